// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The LAG device as the stack above sees it, kept on every member as the
 * bonding driver keeps its slaves: the MTU, the multicast list, promiscuity
 * and allmulti. Multicast, promisc and allmulti are memberships of one
 * AF_PACKET socket (PACKET_ADD_MEMBERSHIP): the kernel counts them on top of
 * whatever the member had, and drops them all if the controller dies.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/if.h>
#include <linux/if_packet.h>
#include "daemon/state.h"
#include "sys/log.h"

static int membership(struct ctrl *c, int ifindex, unsigned short type, const uint8_t *mac, int add)
{
	struct packet_mreq mr = { .mr_ifindex = ifindex, .mr_type = type };

	if (mac) {
		mr.mr_alen = 6;
		memcpy(mr.mr_address, mac, 6);
	}
	if (setsockopt(c->stack.fd, SOL_PACKET,
		       add ? PACKET_ADD_MEMBERSHIP : PACKET_DROP_MEMBERSHIP, &mr, sizeof(mr))) {
		int err = -errno;

		lag_log(LAG_LOG_WARN, "%s: ifindex %d: %s membership %u: %s\n", c->cfg.name,
			ifindex, add ? "cannot add" : "cannot drop", type, strerror(-err));
		return err;
	}
	return 0;
}

/* Everything the LAG has, onto one member (add) or off it. */
static void member_apply(struct ctrl *c, struct ctrl_member *mb, int add)
{
	int err = 0;

	for (unsigned int i = 0; i < c->stack.n_mc && !err; i++)
		err = membership(c, mb->ifindex, PACKET_MR_MULTICAST, c->stack.mc[i], add);
	if (!err && (c->stack.flags & IFF_PROMISC))
		err = membership(c, mb->ifindex, PACKET_MR_PROMISC, NULL, add);
	if (!err && (c->stack.flags & IFF_ALLMULTI))
		err = membership(c, mb->ifindex, PACKET_MR_ALLMULTI, NULL, add);
	if (err && add)
		lag_log(LAG_LOG_WARN, "%s %s: cannot mirror the LAG's address lists: %s\n",
			c->cfg.name, mb->name, strerror(-err));
}

int ctrl_stack_init(struct ctrl *c)
{
	struct nl_link lag;
	int err;

	/* Protocol 0: the socket receives nothing, it only holds memberships. */
	c->stack.fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (c->stack.fd < 0) {
		err = -errno;
		lag_err("controller: packet socket: %s", strerror(-err));
		return err;
	}
	err = nl_link_get(&c->nl, NULL, c->lag_ifindex, &lag);
	if (err) {
		lag_err("controller: cannot read the LAG device: %s", strerror(-err));
		return err;
	}
	c->stack.mc_file = fopen("/proc/net/dev_mcast", "re");
	if (!c->stack.mc_file)
		lag_log(LAG_LOG_WARN,
			"%s: /proc/net/dev_mcast: %s: the LAG's multicast list is "
			"not kept on its members\n",
			c->cfg.name, strerror(errno));
	c->stack.mtu = lag.mtu;
	ctrl_stack_lag_event(c, &lag);
	ctrl_stack_poll(c);
	return 0;
}

void ctrl_stack_fini(struct ctrl *c)
{
	if (c->stack.fd >= 0)
		close(c->stack.fd);
	c->stack.fd = -1;
	if (c->stack.mc_file)
		fclose(c->stack.mc_file);
	c->stack.mc_file = NULL;
}

void ctrl_stack_member_add(struct ctrl *c, struct ctrl_member *mb)
{
	member_apply(c, mb, 1);
}

void ctrl_stack_member_del(struct ctrl *c, struct ctrl_member *mb)
{
	if (!mb->gone)
		member_apply(c, mb, 0);
}

/* A new MTU on the LAG: onto every member, or back on the LAG if one refuses. */
static void follow_mtu(struct ctrl *c, unsigned int mtu)
{
	unsigned int old = c->stack.mtu;
	const char *who = c->cfg.peer;
	int i, err = 0;

	for (i = 0; i < c->n && !err; i++) {
		if (c->m[i].gone)
			continue;
		err = nl_link_set_mtu(&c->nl, c->m[i].ifindex, mtu);
		who = c->m[i].name;
	}
	if (!err) {
		who = c->cfg.peer;
		err = nl_link_set_mtu(&c->nl, c->peer_ifindex, mtu);
	}
	if (err) {
		lag_log(LAG_LOG_ERR, "%s: MTU %u refused by %s: %s; the LAG keeps %u\n",
			c->cfg.name, mtu, who, strerror(-err), old);
		while (i-- > 0)
			if (!c->m[i].gone)
				nl_link_set_mtu(&c->nl, c->m[i].ifindex, old);
		nl_link_set_mtu(&c->nl, c->lag_ifindex, old);
		return;
	}
	c->stack.mtu = mtu;
	lag_log(LAG_LOG_INFO, "%s: MTU %u on every member\n", c->cfg.name, mtu);
}

void ctrl_stack_lag_event(struct ctrl *c, const struct nl_link *lag)
{
	unsigned int flags =
		(lag->promiscuity ? IFF_PROMISC : 0) | (lag->allmulti ? IFF_ALLMULTI : 0);
	unsigned int changed = flags ^ c->stack.flags;

	if (lag->mtu && lag->mtu != c->stack.mtu)
		follow_mtu(c, lag->mtu);
	for (int i = 0; i < c->n && changed; i++) {
		if (c->m[i].gone)
			continue;
		if (changed & IFF_PROMISC)
			membership(c, c->m[i].ifindex, PACKET_MR_PROMISC, NULL,
				   !!(flags & IFF_PROMISC));
		if (changed & IFF_ALLMULTI)
			membership(c, c->m[i].ifindex, PACKET_MR_ALLMULTI, NULL,
				   !!(flags & IFF_ALLMULTI));
	}
	if (changed)
		lag_log(LAG_LOG_INFO, "%s: promisc %s, allmulti %s on every member\n", c->cfg.name,
			flags & IFF_PROMISC ? "on" : "off", flags & IFF_ALLMULTI ? "on" : "off");
	c->stack.flags = flags;
}

/* The LAG's link-layer multicast list, from /proc/net/dev_mcast (no event
 * tells of its changes): n addresses into mc.
 */
/* From the start of the file kept open: a seq_file reads anew after a rewind
 * (opening it is a path walk each time: a third of an idle controller's CPU).
 */
static unsigned int read_mc(FILE *f, int ifindex, uint8_t mc[][6], unsigned int max)
{
	char line[256], hex[64];
	unsigned int n = 0;
	int idx;

	if (!f || fseek(f, 0, SEEK_SET))
		return 0;
	while (fgets(line, sizeof(line), f) && n < max) {
		unsigned int b[6];

		if (sscanf(line, "%d %*s %*d %*d %63s", &idx, hex) != 2 || idx != ifindex ||
		    sscanf(hex, "%2x%2x%2x%2x%2x%2x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) !=
			    6)
			continue;
		for (int k = 0; k < 6; k++)
			mc[n][k] = (uint8_t)b[k];
		n++;
	}
	return n;
}

static int has(uint8_t set[][6], unsigned int n, const uint8_t *a)
{
	for (unsigned int i = 0; i < n; i++)
		if (!memcmp(set[i], a, 6))
			return 1;
	return 0;
}

void ctrl_stack_poll(struct ctrl *c)
{
	uint8_t now[CTRL_MAX_MC][6];
	unsigned int n = read_mc(c->stack.mc_file, c->lag_ifindex, now, CTRL_MAX_MC);
	struct nl_link lag;

	/* A bridge or macvlan changes the LAG's promiscuity without an event. */
	if (nl_link_get(&c->nl, NULL, c->lag_ifindex, &lag) == 0)
		ctrl_stack_lag_event(c, &lag);
	for (unsigned int i = 0; i < n; i++) /* joined */
		if (!has(c->stack.mc, c->stack.n_mc, now[i]))
			for (int k = 0; k < c->n; k++)
				if (!c->m[k].gone)
					membership(c, c->m[k].ifindex, PACKET_MR_MULTICAST, now[i],
						   1);
	for (unsigned int i = 0; i < c->stack.n_mc; i++) /* left */
		if (!has(now, n, c->stack.mc[i]))
			for (int k = 0; k < c->n; k++)
				if (!c->m[k].gone)
					membership(c, c->m[k].ifindex, PACKET_MR_MULTICAST,
						   c->stack.mc[i], 0);
	if (n != c->stack.n_mc || memcmp(now, c->stack.mc, n * 6))
		lag_log(LAG_LOG_DEBUG, "%s: %u multicast addresses on every member\n", c->cfg.name,
			n);
	memcpy(c->stack.mc, now, n * 6);
	c->stack.n_mc = n;
}
