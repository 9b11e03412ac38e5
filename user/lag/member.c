// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Members on the host: whether an interface may join, its preparation
 * (saved state, MAC, programs) and its exact restoration. Every change is
 * recorded in lag_members before it is made, so a restore undoes it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/if.h>
#include <bpf/bpf.h>
#include "lag/lag.h"
#include "sys/links.h"
#include "sys/log.h"
#include "sys/sysctl.h"

int lag_member_check(struct nl *nl, const char *lag, const char *ifname, struct nl_link *l)
{
	char name[BPF_OBJ_NAME_LEN], owner[IF_NAMESIZE], addr[64];
	struct lag_paths p;
	__u32 id;
	int err;

	err = nl_link_get(nl, ifname, 0, l);
	if (err == -ENODEV || err == -ENAMETOOLONG) {
		lag_err("member %s does not exist", ifname);
		return -ENODEV;
	}
	if (err) {
		lag_err("cannot read member %s: %s", ifname, strerror(-err));
		return err;
	}
	if (l->flags & IFF_LOOPBACK) {
		lag_err("%s is a loopback device and cannot be a member", ifname);
		return -EINVAL;
	}
	if (!strcmp(ifname, lag) || !strncmp(ifname, LAG_PEER_PREFIX, strlen(LAG_PEER_PREFIX))) {
		lag_err("%s is a LAG device and cannot be a member", ifname);
		return -EINVAL;
	}
	if (l->master) {
		lag_err("%s is already enslaved to ifindex %d; release it first", ifname,
			l->master);
		return -EBUSY;
	}
	if (lag_paths_get(NULL, &p) == 0 &&
	    maps_member_owner(p.pin_dir, (__u32)l->ifindex, owner, sizeof(owner)) == 0) {
		lag_err("%s is already a member of LAG %s", ifname, owner);
		return -EBUSY;
	}
	err = links_xdp_prog_name(l->ifindex, name, sizeof(name), &id);
	if (!err && id) {
		lag_err("%s already has XDP program %s (id %u); lagbpf does not replace it", ifname,
			name, id);
		return -EBUSY;
	}
	err = nl_addr_first(nl, l->ifindex, addr, sizeof(addr));
	if (err > 0) {
		lag_err("%s has address %s; a member carries no addresses (put them on the LAG)",
			ifname, addr);
		return -EADDRINUSE;
	}
	return err < 0 ? err : 0;
}

int lag_member_restore(struct nl *nl, struct lag_maps *m, const struct lag_member *mb)
{
	struct nl_link l;
	int err, ret = 0;

	maps_member_del(m, mb->ifindex);
	maps_lacp_del(m, mb->ifindex);
	if (nl_link_get(nl, NULL, (int)mb->ifindex, &l)) {
		/* The member is gone: nothing to restore but its links' pins. */
		err = links_detach_xdp(m, (int)mb->ifindex);
		return err ? err : links_detach_tc(m, (int)mb->ifindex, 0, 0);
	}
	err = links_detach_tc(m, (int)mb->ifindex, 0, !!(mb->flags & LAG_M_OWN_QDISC));
	if (err)
		ret = err;
	err = links_detach_xdp(m, (int)mb->ifindex);
	if (err && !ret)
		ret = err;
	if (memcmp(l.mac, mb->saved_mac, 6)) {
		nl_link_set_up(nl, l.ifindex, 0);
		err = nl_link_set_mac(nl, l.ifindex, mb->saved_mac);
		if (err && !ret)
			ret = err;
	}
	/* The alias goes only if it is still ours: the operator may have set one since. */
	if ((mb->flags & LAG_M_OWN_ALIAS) &&
	    !strncmp(l.alias, LAG_ALIAS_PREFIX, strlen(LAG_ALIAS_PREFIX))) {
		err = nl_link_set_alias(nl, l.ifindex, "");
		if (err && !ret)
			ret = err;
	}
	if (mb->saved_mtu && l.mtu != mb->saved_mtu) {
		err = nl_link_set_mtu(nl, l.ifindex, mb->saved_mtu);
		if (err && !ret)
			ret = err;
	}
	err = sysctl_ipv6_set_disabled(l.name, (int)mb->saved_no_ipv6);
	if (err && !ret)
		ret = err;
	err = nl_link_set_up(nl, l.ifindex, !!(mb->saved_flags & IFF_UP));
	if (err && !ret)
		ret = err;
	if (ret)
		lag_log(LAG_LOG_WARN, "restoring %s: %s\n", l.name, strerror(-ret));
	return ret;
}

static enum lag_xdp_mode xdp_mode_for(const struct nl_link *l, enum lag_xdp_mode want)
{
	if (want != LAG_XDP_AUTO)
		return want;
	/* Native XDP on a veth turns off TSO on its peer (TCP at ~0.3x):
	 * generic XDP costs nothing there. Drivers get native.
	 */
	return !strcmp(l->kind, "veth") ? LAG_XDP_SKB : LAG_XDP_NATIVE;
}

int lag_member_prepare(struct nl *nl, struct lag_maps *m, enum lag_xdp_mode xdp_mode,
		       const struct nl_link *l, __u32 slot, const char *lag,
		       const uint8_t lag_mac[6], unsigned int mtu)
{
	struct lag_member mb = {
		.ifindex = (__u32)l->ifindex,
		.slot = slot,
		.saved_flags = l->flags & IFF_UP,
		.port_number = (__u16)(slot + 1),
		.saved_mtu = l->mtu,
	};
	int own = 0, err, no6;

	memcpy(mb.saved_mac, l->mac, 6);
	no6 = sysctl_ipv6_disabled(l->name);
	mb.saved_no_ipv6 = no6 > 0;
	/* Saved before any change, so a restore after a failure below is exact. */
	err = maps_member_put(m, &mb);
	if (!err)
		err = maps_cnt_init(m, mb.slot);
	if (err) {
		lag_err("%s: cannot add it to the member map: %s", l->name, strerror(-err));
		goto err_restore;
	}
	err = nl_link_set_up(nl, l->ifindex, 0);
	if (!err)
		err = nl_link_set_mac(nl, l->ifindex, lag_mac);
	if (err) {
		lag_err("%s: cannot set the LAG's MAC: %s", l->name, strerror(-err));
		goto err_restore;
	}
	if (mtu && l->mtu != mtu) {
		err = nl_link_set_mtu(nl, l->ifindex, mtu);
		if (err) {
			lag_err("%s: cannot take the LAG's MTU %u: %s", l->name, mtu,
				strerror(-err));
			goto err_restore;
		}
	}
	err = sysctl_ipv6_set_disabled(l->name, 1);
	if (err) {
		lag_err("%s: cannot disable IPv6 on it: %s", l->name, strerror(-err));
		goto err_restore;
	}
	err = links_attach_xdp(m, l->ifindex, xdp_mode_for(l, xdp_mode) == LAG_XDP_SKB);
	if (err) {
		lag_err("%s: cannot attach the XDP program in %s mode: %s%s", l->name,
			lag_xdp_mode_name[xdp_mode_for(l, xdp_mode)], strerror(-err),
			err == -EOPNOTSUPP ? " (try --xdp-mode skb)" : "");
		goto err_restore;
	}
	err = links_attach_tc(m, l->ifindex, 0, &own);
	if (own) {
		mb.flags |= LAG_M_OWN_QDISC;
		err = err ? err : maps_member_put(m, &mb);
	}
	if (err) {
		lag_err("%s: cannot attach the TC ingress program: %s%s", l->name, strerror(-err),
			err == -EEXIST ? " (a filter with handle 0x1ab prio 1 exists)" : "");
		goto err_restore;
	}
	/* ip link and node_exporter's node_network_info show who holds it;
	 * an alias the operator gave the member stays.
	 */
	if (!l->alias[0]) {
		char alias[64];

		snprintf(alias, sizeof(alias), LAG_ALIAS_PREFIX "%s", lag);
		mb.flags |= LAG_M_OWN_ALIAS;
		err = maps_member_put(m, &mb);
		if (!err)
			err = nl_link_set_alias(nl, l->ifindex, alias);
		if (err) {
			lag_err("%s: cannot set its alias: %s", l->name, strerror(-err));
			goto err_restore;
		}
	}
	err = nl_link_set_up(nl, l->ifindex, 1);
	if (err) {
		lag_err("%s: cannot set it up: %s", l->name, strerror(-err));
		goto err_restore;
	}
	return 0;
err_restore:
	lag_member_restore(nl, m, &mb);
	return err;
}
