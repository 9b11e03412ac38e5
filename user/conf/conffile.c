// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The configuration file: INI lines, one [LAG] section (or [Bond], as
 * networkd names it), Key=Value. Each key maps onto a row of the option
 * table, so values are checked by the same rules as the command line.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "conf/conffile.h"
#include "conf/options.h"

/* Key -> option; value words of networkd translated to ours. */
static const struct {
	const char *key;
	const char *option;
} keys[] = {
	{ "Mode", "mode" },
	{ "MinLinks", "min-links" },
	{ "LACPTransmitRate", "rate" },
	{ "TransmitHashPolicy", "hash" },
	{ "AdActorSystemPriority", "system-priority" },
	{ "MACAddress", "mac" },
	{ "MaxActive", "max-active" },
	{ "Key", "key" },
	{ "HashSeed", "hash-seed" },
	{ "XDPMode", "xdp-mode" },
	{ "Passive", "passive" },
	{ "PortPriority", "port-priority" },
	{ "AdActorSystem", "system-id" },
	{ "AggregateWaitMSec", "aggregate-wait" },
	{ "Fallback", "fallback" },
	{ "FallbackTimeoutSec", "fallback-timeout" },
	{ "MTUBytes", "mtu" },
	{ "SlowProtocolRate", "slow-rate" },
	{ "SlowProtocolBurst", "slow-burst" },
	{ "TransmitPath", "tx-path" },
	{ "MetricsListen", "metrics-listen" },
	{ "RebalanceSec", "rebalance" },
	{ "CarrierPollMSec", "carrier-poll" },
};

static const struct {
	const char *from, *to;
} words[] = {
	{ "802.3ad", "lacp" },	   { "balance-xor", "static" }, { "layer2", "l2" },
	{ "layer2+3", "l23" },	   { "layer3+4", "l34" },	{ "encap3+4", "encap34" },
	{ "encap2+3", "encap34" },
};

static const char *translate(const char *v)
{
	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (!strcmp(v, words[i].from))
			return words[i].to;
	return v;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int yes(const char *v, int *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "on"))
		*out = 1;
	else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "off"))
		*out = 0;
	else
		return -EINVAL;
	return 0;
}

static int apply(struct lag_config *c, const char *key, char *val, char *why, size_t len)
{
	const struct lag_option *o = NULL;

	if (!strcmp(key, "Members")) {
		for (char *save, *m = strtok_r(val, " \t", &save); m;
		     m = strtok_r(NULL, " \t", &save))
			if (lag_config_add_member(c, m, why, len))
				return -EINVAL;
		return 0;
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys) && !o; i++)
		if (!strcmp(key, keys[i].key))
			o = lag_option_find(keys[i].option, LAG_OPT_ATTACH);
	if (!o) {
		snprintf(why, len, "unknown key %s", key);
		return -EINVAL;
	}
	if (o->type == LAG_OPT_FLAG) {
		int on;

		if (yes(val, &on)) {
			snprintf(why, len, "%s=%s: expected yes or no", key, val);
			return -EINVAL;
		}
		if (on)
			return lag_option_apply(c, o, NULL, why, len);
		return 0;
	}
	if (o->type == LAG_OPT_PORT_PRIO) {
		for (char *save, *m = strtok_r(val, " \t", &save); m;
		     m = strtok_r(NULL, " \t", &save))
			if (lag_option_apply(c, o, m, why, len))
				return -EINVAL;
		return 0;
	}
	return lag_option_apply(c, o, translate(val), why, len);
}

int lag_conffile_parse(struct lag_config *c, const char *text, const char *fname, char *err,
		       size_t len)
{
	char line[512], why[LAG_ERR_LEN];
	int lineno = 0, in_section = 0;
	const char *p = text;

	while (*p) {
		size_t n = strcspn(p, "\n");
		char *s, *eq;

		lineno++;
		if (n >= sizeof(line)) {
			snprintf(err, len, "%s:%d: line too long", fname, lineno);
			return -EINVAL;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		p += n + (p[n] == '\n');
		s = trim(line);
		if (!*s || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			in_section = !strcmp(s, "[LAG]") || !strcmp(s, "[Bond]");
			if (!in_section) {
				snprintf(err, len, "%s:%d: unknown section %.64s (expected [LAG])",
					 fname, lineno, s);
				return -EINVAL;
			}
			continue;
		}
		eq = strchr(s, '=');
		if (!in_section || !eq) {
			snprintf(err, len, "%s:%d: expected Key=Value in a [LAG] section", fname,
				 lineno);
			return -EINVAL;
		}
		*eq = '\0';
		if (apply(c, trim(s), trim(eq + 1), why, sizeof(why))) {
			snprintf(err, len, "%s:%d: %s", fname, lineno, why);
			return -EINVAL;
		}
	}
	return 0;
}

#define PUT(...)                                                                                   \
	do {                                                                                       \
		int n_ = snprintf(buf + off, len - off, __VA_ARGS__);                              \
		if (n_ < 0 || (size_t)n_ >= len - off)                                             \
			return -ENOSPC;                                                            \
		off += (size_t)n_;                                                                 \
	} while (0)

int lag_conffile_format(const struct lag_config *c, char *buf, size_t len)
{
	size_t off = 0;

	PUT("# the running configuration of %s, written by lagbpf attach\n[LAG]\nMembers=",
	    c->name);
	for (int i = 0; i < c->n_members; i++)
		PUT("%s%s", i ? " " : "", c->members[i]);
	PUT("\nMode=%s\nLACPTransmitRate=%s\nTransmitHashPolicy=%s\nMinLinks=%u\n",
	    lag_mode_name[c->mode], lag_rate_name[c->rate], lag_hash_name[c->hash], c->min_links);
	PUT("AdActorSystemPriority=%u\nHashSeed=%u\nPassive=%s\n", c->system_priority, c->hash_seed,
	    c->passive ? "yes" : "no");
	PUT("MACAddress=%02x:%02x:%02x:%02x:%02x:%02x\n", c->mac[0], c->mac[1], c->mac[2],
	    c->mac[3], c->mac[4], c->mac[5]);
	if (c->max_active)
		PUT("MaxActive=%u\n", c->max_active);
	if (c->key >= 0)
		PUT("Key=%d\n", c->key);
	if (c->xdp_mode != LAG_XDP_AUTO)
		PUT("XDPMode=%s\n", lag_xdp_mode_name[c->xdp_mode]);
	for (int i = 0; i < c->n_port_prio; i++)
		PUT("PortPriority=%s=%u\n", c->port_prio[i].ifname, c->port_prio[i].prio);
	if (c->system_id_set)
		PUT("AdActorSystem=%02x:%02x:%02x:%02x:%02x:%02x\n", c->system_id[0],
		    c->system_id[1], c->system_id[2], c->system_id[3], c->system_id[4],
		    c->system_id[5]);
	PUT("AggregateWaitMSec=%u\nFallback=%s\nFallbackTimeoutSec=%u\n", c->aggregate_wait_ms,
	    lag_fallback_name[c->fallback], c->fallback_timeout);
	if (c->mtu)
		PUT("MTUBytes=%u\n", c->mtu);
	PUT("SlowProtocolRate=%u\nSlowProtocolBurst=%u\n", c->slow_rate, c->slow_burst);
	PUT("TransmitPath=%s\n", lag_tx_path_name[c->tx_path]);
	if (c->rebalance_s)
		PUT("RebalanceSec=%u\n", c->rebalance_s);
	PUT("CarrierPollMSec=%u\n", c->carrier_poll_ms);
	if (c->metrics_listen[0])
		PUT("MetricsListen=%s\n", c->metrics_listen);
	return (int)off;
}
