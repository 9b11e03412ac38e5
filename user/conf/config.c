// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Defaults, names and the cross-field rules of a LAG's configuration. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include "conf/config.h"
#include "conf/names.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char *const lag_mode_name[] = { "lacp", "static" };
const char *const lag_rate_name[] = { "slow", "fast" };
const char *const lag_hash_name[] = { "l2", "l23", "l34", "encap34" };
const char *const lag_xdp_mode_name[] = { "auto", "native", "skb" };
const char *const lag_fallback_name[] = { "off", "active-backup" };
_Static_assert(ARRAY_SIZE(lag_mode_name) == LAG_MODE__COUNT, "names");
_Static_assert(ARRAY_SIZE(lag_rate_name) == LAG_RATE__COUNT, "names");
_Static_assert(ARRAY_SIZE(lag_hash_name) == LAG_HASH__COUNT, "names");
_Static_assert(ARRAY_SIZE(lag_xdp_mode_name) == LAG_XDP_MODE__COUNT, "names");
const char *const lag_tx_path_name[] = { "direct", "device" };
_Static_assert(ARRAY_SIZE(lag_tx_path_name) == LAG_TX_PATH__COUNT, "names");
_Static_assert(ARRAY_SIZE(lag_fallback_name) == LAG_FALLBACK__COUNT, "names");

void lag_config_defaults(struct lag_config *c)
{
	memset(c, 0, sizeof(*c));
	c->mode = LAG_MODE_LACP;
	c->rate = LAG_RATE_SLOW;
	c->hash = LAG_HASH_L34;
	c->system_priority = LAG_SYSTEM_PRIORITY_DEFAULT;
	c->key = -1;
	c->xdp_mode = LAG_XDP_AUTO;
	c->slow_rate = LAG_SLOW_RATE_DEFAULT;
	c->slow_burst = LAG_SLOW_BURST_DEFAULT;
	c->aggregate_wait_ms = LAG_AGGREGATE_WAIT_DEFAULT;
	c->carrier_poll_ms = LAG_CARRIER_POLL_DEFAULT;
	c->fallback = LAG_FALLBACK_OFF;
	c->fallback_timeout = LAG_FALLBACK_TIMEOUT_DEFAULT;
}

int lag_config_set_name(struct lag_config *c, const char *name, char *err, size_t len)
{
	int ret = lag_name_check(name, err, len);

	if (ret)
		return ret;
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->peer, sizeof(c->peer), LAG_PEER_PREFIX "%s", name);
	return 0;
}

int lag_config_add_member(struct lag_config *c, const char *ifname, char *err, size_t len)
{
	if (c->n_members >= LAG_MAX_MEMBERS) {
		snprintf(err, len, "at most %d members", LAG_MAX_MEMBERS);
		return -E2BIG;
	}
	if (lag_ifname_check("member", ifname, err, len))
		return -EINVAL;
	snprintf(c->members[c->n_members++], IF_NAMESIZE, "%s", ifname);
	return 0;
}

static int is_member(const struct lag_config *c, const char *ifname)
{
	for (int i = 0; i < c->n_members; i++)
		if (!strcmp(c->members[i], ifname))
			return 1;
	return 0;
}

int lag_config_check(const struct lag_config *c, char *err, size_t len)
{
	if (c->n_members == 0) {
		snprintf(err, len, "no members given (usage: lagbpf attach LAG MEMBER...)");
		return -EINVAL;
	}
	for (int i = 0; i < c->n_members; i++) {
		for (int j = 0; j < i; j++) {
			if (!strcmp(c->members[i], c->members[j])) {
				snprintf(err, len, "member %s is given twice", c->members[i]);
				return -EINVAL;
			}
		}
	}
	if (c->min_links > (unsigned int)c->n_members) {
		snprintf(err, len, "--min-links %u is above the number of members (%d)",
			 c->min_links, c->n_members);
		return -EINVAL;
	}
	if (c->max_active && c->mode == LAG_MODE_STATIC) {
		snprintf(err, len, "--max-active needs LACP (--mode lacp)");
		return -EINVAL;
	}
	for (int i = 0; i < c->n_port_prio; i++) {
		if (!is_member(c, c->port_prio[i].ifname)) {
			snprintf(err, len, "--port-priority %s: not a member",
				 c->port_prio[i].ifname);
			return -EINVAL;
		}
	}
	return 0;
}

unsigned int lag_config_port_priority(const struct lag_config *c, const char *ifname)
{
	for (int i = 0; i < c->n_port_prio; i++)
		if (!strcmp(c->port_prio[i].ifname, ifname))
			return c->port_prio[i].prio;
	return LAG_PORT_PRIORITY_DEFAULT;
}

uint16_t lag_config_key(const struct lag_config *c, unsigned int speed)
{
	if (c->key >= 0)
		return (uint16_t)c->key;
	/* The operational key carries the speed: members at another speed
	 * never aggregate. 1 for unknown or below 1 Gb/s.
	 */
	return speed >= 1000 ? (uint16_t)(speed / 1000) : 1;
}

int lag_addrport_parse(const char *s, struct lag_addrport *out)
{
	char host[LAG_ADDRPORT_LEN], *end;
	const char *colon, *port;
	struct lag_addrport a = { 0 };
	unsigned long v;
	size_t n;

	if (!s || strlen(s) >= sizeof(host))
		return -EINVAL;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			return -EINVAL;
		n = (size_t)(close - s - 1);
		memcpy(host, s + 1, n);
		host[n] = '\0';
		port = close + 2;
		a.family = AF_INET6;
	} else {
		colon = strrchr(s, ':');
		if (!colon || strchr(s, ':') != colon)
			return -EINVAL; /* an IPv6 address goes in brackets */
		n = (size_t)(colon - s);
		memcpy(host, s, n);
		host[n] = '\0';
		port = colon + 1;
		a.family = AF_INET;
	}
	if (inet_pton(a.family, host, a.addr) != 1)
		return -EINVAL;
	if (port[0] < '0' || port[0] > '9')
		return -EINVAL;
	v = strtoul(port, &end, 10);
	if (*end || v < 1 || v > 65535)
		return -EINVAL;
	a.port = (uint16_t)v;
	*out = a;
	return 0;
}
