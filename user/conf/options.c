// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The option table and its value parsers. Pure: an error comes back as one
 * line of text naming the option and what it accepts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conf/options.h"

#define WORDS(w) (w), (int)(sizeof(w) / sizeof(*(w)))

/* --xdp-mode takes the explicit modes only: auto is the default, not a choice. */
static const char *const xdp_mode_words[] = { "native", "skb" };

const struct lag_option lag_options[] = {
	{ LAG_O_MODE, "mode", LAG_OPT_WORD, LAG_OPT_ATTACH, NULL, 0, 0, lag_mode_name,
	  LAG_MODE__COUNT, "lacp", "LACP (802.1AX) or static aggregation (\"mode on\")" },
	{ LAG_O_PASSIVE, "passive", LAG_OPT_FLAG, LAG_OPT_ATTACH, NULL, 0, 0, NULL, 0, "active",
	  "LACP passive: speak only when the partner does" },
	{ LAG_O_RATE, "rate", LAG_OPT_WORD, LAG_OPT_ATTACH | LAG_OPT_SET, NULL, 0, 0, lag_rate_name,
	  LAG_RATE__COUNT, "slow", "LACPDU rate asked of the partner (1 s or 30 s)" },
	{ LAG_O_HASH, "hash", LAG_OPT_WORD, LAG_OPT_ATTACH | LAG_OPT_SET, NULL, 0, 0, lag_hash_name,
	  LAG_HASH__COUNT, "l34", "transmit hash policy" },
	{ LAG_O_HASH_SEED, "hash-seed", LAG_OPT_UINT, LAG_OPT_ATTACH, "N", 0, 0xffffffffUL, NULL, 0,
	  "random", "jhash seed" },
	{ LAG_O_MIN_LINKS, "min-links", LAG_OPT_UINT, LAG_OPT_ATTACH | LAG_OPT_SET, "N", 0,
	  LAG_MAX_MEMBERS, NULL, 0, "0", "below this many distributing members the LAG is down" },
	{ LAG_O_MAX_ACTIVE, "max-active", LAG_OPT_UINT, LAG_OPT_ATTACH, "N", 1, LAG_MAX_MEMBERS,
	  NULL, 0, "no limit", "at most N members distribute, the rest stand by (LACP)" },
	{ LAG_O_SYSTEM_PRIORITY, "system-priority", LAG_OPT_UINT, LAG_OPT_ATTACH, "N", 0, 65535,
	  NULL, 0, "32768", "LACP system priority" },
	{ LAG_O_PORT_PRIORITY, "port-priority", LAG_OPT_PORT_PRIO, LAG_OPT_ATTACH, "IF=N", 0, 65535,
	  NULL, 0, "32768", "LACP port priority of member IF (repeatable)" },
	{ LAG_O_KEY, "key", LAG_OPT_UINT, LAG_OPT_ATTACH, "N", 1, 65535, NULL, 0, "speed in Gb/s",
	  "LACP operational key" },
	{ LAG_O_MAC, "mac", LAG_OPT_MAC, LAG_OPT_ATTACH, "ADDR", 0, 0, NULL, 0, "random",
	  "the LAG's MAC address (and LACP system id)" },
	{ LAG_O_XDP_MODE, "xdp-mode", LAG_OPT_WORD, LAG_OPT_ATTACH, NULL, 0, 0,
	  WORDS(xdp_mode_words), "skb on veth, else native",
	  "how the member XDP program attaches" },
	{ LAG_O_FOREGROUND, "foreground", LAG_OPT_FLAG, LAG_OPT_ATTACH, NULL, 0, 0, NULL, 0,
	  "daemon", "run the controller in this process; detach when it stops" },
	{ LAG_O_SYSTEM_ID, "system-id", LAG_OPT_MAC, LAG_OPT_ATTACH, "ADDR", 0, 0, NULL, 0,
	  "the LAG's MAC", "LACP system id, kept whatever the members and MAC (LACP)" },
	{ LAG_O_AGGREGATE_WAIT, "aggregate-wait", LAG_OPT_UINT, LAG_OPT_ATTACH, "MS", 0,
	  LAG_AGGREGATE_WAIT_DEFAULT, NULL, 0, "2000",
	  "LACP Aggregate_Wait_Time: ms a port waits before it attaches (LACP)" },
	{ LAG_O_FALLBACK, "fallback", LAG_OPT_WORD, LAG_OPT_ATTACH, NULL, 0, 0, lag_fallback_name,
	  LAG_FALLBACK__COUNT, "off", "with no LACPDU heard, come up on one member (LACP)" },
	{ LAG_O_FALLBACK_TIMEOUT, "fallback-timeout", LAG_OPT_UINT, LAG_OPT_ATTACH, "S", 1, 3600,
	  NULL, 0, "90", "seconds without any LACPDU before the fallback" },
	{ LAG_O_MTU, "mtu", LAG_OPT_UINT, LAG_OPT_ATTACH, "N", 68, 65535, NULL, 0,
	  "the first member's", "MTU of the LAG device, which every member takes" },
	{ LAG_O_SLOW_RATE, "slow-rate", LAG_OPT_UINT, LAG_OPT_ATTACH | LAG_OPT_SET, "N", 0, 1000000,
	  NULL, 0, "50",
	  "slow-protocol frames a second a member passes to the controller (0: all)" },
	{ LAG_O_SLOW_BURST, "slow-burst", LAG_OPT_UINT, LAG_OPT_ATTACH | LAG_OPT_SET, "N", 1,
	  1000000, NULL, 0, "100", "burst of slow-protocol frames above --slow-rate" },
	{ LAG_O_TX_PATH, "tx-path", LAG_OPT_WORD, LAG_OPT_ATTACH, NULL, 0, 0, lag_tx_path_name,
	  LAG_TX_PATH__COUNT, "direct",
	  "device: through the LAG device's transmit, so ip -s link counts its TX" },
	{ LAG_O_CARRIER_POLL, "carrier-poll", LAG_OPT_UINT, LAG_OPT_ATTACH | LAG_OPT_SET, "MS", 0,
	  1000, NULL, 0, "10",
	  "every MS ms, read the carrier of members whose link events may come late (0: never)" },
	{ LAG_O_REBALANCE, "rebalance", LAG_OPT_UINT, LAG_OPT_ATTACH | LAG_OPT_SET, "S", 0, 3600,
	  NULL, 0, "0 (off)",
	  "every S seconds, move table buckets from busy members to idle ones by egress bytes" },
	{ LAG_O_METRICS_LISTEN, "metrics-listen", LAG_OPT_ADDRPORT, LAG_OPT_ATTACH | LAG_OPT_SET,
	  "ADDR:PORT", 0, 0, NULL, 0, "off",
	  "serve Prometheus metrics over HTTP at /metrics ([ADDR]:PORT for IPv6)" },
};
const int lag_n_options = (int)(sizeof(lag_options) / sizeof(*lag_options));
_Static_assert(sizeof(lag_options) / sizeof(*lag_options) == LAG_O__COUNT, "one row per option");

const struct lag_option *lag_option_find(const char *name, unsigned int scope)
{
	for (int i = 0; i < lag_n_options; i++)
		if ((lag_options[i].scope & scope) && !strcmp(lag_options[i].name, name))
			return &lag_options[i];
	return NULL;
}

static int parse_uint(const struct lag_option *o, const char *val, unsigned long *out, char *err,
		      size_t len)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(val, &end, 0);
	if (errno || end == val || *end || val[0] == '-' || v < o->min || v > o->max) {
		snprintf(err, len, "--%s %s: expected a number from %lu to %lu", o->name, val,
			 o->min, o->max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int parse_word(const struct lag_option *o, const char *val, int *out, char *err, size_t len)
{
	size_t n;

	for (int i = 0; i < o->n_words; i++) {
		if (!strcmp(val, o->words[i])) {
			*out = i;
			return 0;
		}
	}
	n = (size_t)snprintf(err, len, "--%s %s: expected one of ", o->name, val);
	for (int i = 0; i < o->n_words && n < len; i++)
		n += (size_t)snprintf(err + n, len - n, "%s%s", i ? ", " : "", o->words[i]);
	return -EINVAL;
}

/* Into out only when valid: a refused value leaves the configuration as it was. */
static int parse_mac(const struct lag_option *o, const char *val, uint8_t out[6], char *err,
		     size_t len)
{
	unsigned int b[6];
	uint8_t mac[6];
	char tail;

	if (sscanf(val, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &tail) !=
	    6)
		goto bad;
	for (int i = 0; i < 6; i++) {
		if (b[i] > 0xff)
			goto bad;
		mac[i] = (uint8_t)b[i];
	}
	if (mac[0] & 1) {
		snprintf(err, len, "--%s %s: a multicast address cannot be %s", o->name, val,
			 o->id == LAG_O_SYSTEM_ID ? "a system id" : "a LAG's MAC");
		return -EINVAL;
	}
	if (!(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
		goto bad;
	memcpy(out, mac, 6);
	return 0;
bad:
	snprintf(err, len, "--%s %s: expected a unicast MAC address like 02:00:00:00:00:01",
		 o->name, val);
	return -EINVAL;
}

/* Into out only when valid; "off" clears it. */
static int parse_addrport(const struct lag_option *o, const char *val, char *out, size_t out_len,
			  char *err, size_t len)
{
	struct lag_addrport a;

	if (!strcmp(val, "off")) {
		out[0] = '\0';
		return 0;
	}
	if (strlen(val) >= out_len || lag_addrport_parse(val, &a)) {
		snprintf(err, len,
			 "--%s %s: expected a numeric ADDR:PORT like 127.0.0.1:9464 or [::1]:9464, "
			 "or off",
			 o->name, val);
		return -EINVAL;
	}
	snprintf(out, out_len, "%s", val);
	return 0;
}

static int parse_port_prio(struct lag_config *c, const struct lag_option *o, const char *val,
			   char *err, size_t len)
{
	const char *eq = strchr(val, '=');
	struct lag_port_prio *pp = &c->port_prio[c->n_port_prio];
	unsigned long v;

	if (!eq || eq == val || (size_t)(eq - val) >= sizeof(pp->ifname) ||
	    c->n_port_prio >= LAG_MAX_MEMBERS) {
		snprintf(err, len, "--%s %s: expected IF=N", o->name, val);
		return -EINVAL;
	}
	if (parse_uint(o, eq + 1, &v, err, len))
		return -EINVAL;
	memcpy(pp->ifname, val, (size_t)(eq - val));
	pp->ifname[eq - val] = '\0';
	pp->prio = (unsigned int)v;
	c->n_port_prio++;
	return 0;
}

/* Where each option's value lands in the configuration. */
static void store(struct lag_config *c, enum lag_opt_id id, unsigned long v)
{
	switch (id) {
	case LAG_O_MODE:
		c->mode = (enum lag_mode)v;
		break;
	case LAG_O_PASSIVE:
		c->passive = 1;
		break;
	case LAG_O_RATE:
		c->rate = (enum lag_rate)v;
		break;
	case LAG_O_HASH:
		c->hash = (enum lag_hash_policy)v;
		break;
	case LAG_O_HASH_SEED:
		c->hash_seed = (uint32_t)v;
		c->hash_seed_set = 1;
		break;
	case LAG_O_MIN_LINKS:
		c->min_links = (unsigned int)v;
		break;
	case LAG_O_MAX_ACTIVE:
		c->max_active = (unsigned int)v;
		break;
	case LAG_O_SYSTEM_PRIORITY:
		c->system_priority = (unsigned int)v;
		break;
	case LAG_O_KEY:
		c->key = (int)v;
		break;
	case LAG_O_MAC:
		c->mac_set = 1;
		break;
	case LAG_O_XDP_MODE:
		c->xdp_mode = (enum lag_xdp_mode)(v + LAG_XDP_NATIVE);
		break;
	case LAG_O_FOREGROUND:
		c->foreground = 1;
		break;
	case LAG_O_TX_PATH:
		c->tx_path = (enum lag_tx_path)v;
		break;
	case LAG_O_SYSTEM_ID:
		c->system_id_set = 1;
		break;
	case LAG_O_AGGREGATE_WAIT:
		c->aggregate_wait_ms = (unsigned int)v;
		break;
	case LAG_O_FALLBACK:
		c->fallback = (enum lag_fallback)v;
		break;
	case LAG_O_FALLBACK_TIMEOUT:
		c->fallback_timeout = (unsigned int)v;
		break;
	case LAG_O_MTU:
		c->mtu = (unsigned int)v;
		break;
	case LAG_O_SLOW_RATE:
		c->slow_rate = (unsigned int)v;
		break;
	case LAG_O_SLOW_BURST:
		c->slow_burst = (unsigned int)v;
		break;
	case LAG_O_REBALANCE:
		c->rebalance_s = (unsigned int)v;
		break;
	case LAG_O_CARRIER_POLL:
		c->carrier_poll_ms = (unsigned int)v;
		break;
	case LAG_O_PORT_PRIORITY:
	case LAG_O_METRICS_LISTEN:
	case LAG_O__COUNT:
		break;
	}
}

int lag_option_apply(struct lag_config *c, const struct lag_option *o, const char *val, char *err,
		     size_t len)
{
	unsigned long v = 0;
	int w;

	switch (o->type) {
	case LAG_OPT_FLAG:
		break;
	case LAG_OPT_UINT:
		if (parse_uint(o, val, &v, err, len))
			return -EINVAL;
		break;
	case LAG_OPT_WORD:
		if (parse_word(o, val, &w, err, len))
			return -EINVAL;
		v = (unsigned long)w;
		break;
	case LAG_OPT_MAC:
		if (parse_mac(o, val, o->id == LAG_O_SYSTEM_ID ? c->system_id : c->mac, err, len))
			return -EINVAL;
		break;
	case LAG_OPT_PORT_PRIO:
		return parse_port_prio(c, o, val, err, len);
	case LAG_OPT_ADDRPORT:
		return parse_addrport(o, val, c->metrics_listen, sizeof(c->metrics_listen), err,
				      len);
	}
	store(c, o->id, v);
	return 0;
}

static int value_text(const struct lag_option *o, char *buf, size_t len)
{
	size_t n = 0;

	if (o->type == LAG_OPT_FLAG)
		return snprintf(buf, len, "--%s", o->name);
	if (o->type != LAG_OPT_WORD)
		return snprintf(buf, len, "--%s %s", o->name, o->metavar);
	n = (size_t)snprintf(buf, len, "--%s ", o->name);
	for (int i = 0; i < o->n_words && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? "|" : "", o->words[i]);
	return (int)n;
}

void lag_options_synopsis(FILE *out, unsigned int scope, const char *indent)
{
	size_t col = strlen(indent);
	char buf[96];

	fputs(indent, out);
	for (int i = 0; i < lag_n_options; i++) {
		size_t n;

		if (!(lag_options[i].scope & scope))
			continue;
		n = (size_t)value_text(&lag_options[i], buf, sizeof(buf)) + 3;
		if (col + n > 78 && col > strlen(indent)) {
			fprintf(out, "\n%s", indent);
			col = strlen(indent);
		}
		fprintf(out, "%s[%s]", col > strlen(indent) ? " " : "", buf);
		col += n;
	}
	fputc('\n', out);
}

void lag_options_help(FILE *out, unsigned int scope)
{
	char buf[96];

	for (int i = 0; i < lag_n_options; i++) {
		if (!(lag_options[i].scope & scope))
			continue;
		value_text(&lag_options[i], buf, sizeof(buf));
		fprintf(out, "  %-34s %s (default: %s)\n", buf, lag_options[i].help,
			lag_options[i].def);
	}
}
