// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Attach and detach of a LAG on the host. attach is all or nothing: every
 * step has an undo, run in reverse on failure. detach works from the pins
 * alone, so it also cleans up after a controller that died.
 */
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/if.h>
#include <bpf/bpf.h>
#include "controller.h"
#include "lag.h"
#include "log.h"

const char *const lag_mode_name[] = { "lacp", "static" };
const char *const lag_hash_name[] = { "l2", "l23", "l34", "encap34" };
_Static_assert(sizeof(lag_mode_name) / sizeof(*lag_mode_name) == LAG_MODE__COUNT, "names");
_Static_assert(sizeof(lag_hash_name) / sizeof(*lag_hash_name) == LAG_HASH__COUNT, "names");

void lag_config_defaults(struct lag_config *c)
{
	memset(c, 0, sizeof(*c));
	c->mode = LAG_MODE_LACP;
	c->hash = LAG_HASH_L34;
	c->system_priority = 32768;
	c->key = -1;
	c->xdp_mode = LAG_XDP_AUTO;
}

/* Which LAG of this namespace has ifindex as a member: 0 and its name, or -ENOENT. */
static int lag_find_owner(int ifindex, char *out, size_t len)
{
	struct lag_paths p;
	struct dirent *de;
	int found = -ENOENT;
	DIR *d;

	if (lag_paths_get(NULL, &p))
		return -ENOENT;
	d = opendir(p.pin_dir);
	while (d && found && (de = readdir(d))) {
		char path[PATH_MAX];
		struct lag_member mb;
		__u32 key = (__u32)ifindex;
		int fd;

		if (de->d_name[0] == '.' || strlen(de->d_name) >= len)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s/lag_members", p.pin_dir, de->d_name) >=
		    (int)sizeof(path))
			continue;
		fd = bpf_obj_get(path);
		if (fd < 0)
			continue;
		if (bpf_map_lookup_elem(fd, &key, &mb) == 0) {
			snprintf(out, len, "%s", de->d_name);
			found = 0;
		}
		close(fd);
	}
	if (d)
		closedir(d);
	return found;
}

int lag_member_check(struct nl *nl, const char *lag, const char *ifname, struct nl_link *l)
{
	char name[BPF_OBJ_NAME_LEN], owner[IF_NAMESIZE], addr[64];
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
	if (!strcmp(ifname, lag) || !strncmp(ifname, "lbp-", 4)) {
		lag_err("%s is a LAG device and cannot be a member", ifname);
		return -EINVAL;
	}
	if (l->master) {
		lag_err("%s is already enslaved to ifindex %d; release it first", ifname, l->master);
		return -EBUSY;
	}
	if (lag_find_owner(l->ifindex, owner, sizeof(owner)) == 0) {
		lag_err("%s is already a member of LAG %s", ifname, owner);
		return -EBUSY;
	}
	err = maps_xdp_prog_name(l->ifindex, name, sizeof(name), &id);
	if (!err && id) {
		lag_err("%s already has XDP program %s (id %u); lagbpf does not replace it",
			ifname, name, id);
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
	maps_cnt_del(m, mb->ifindex);
	maps_lacp_del(m, mb->ifindex);
	if (nl_link_get(nl, NULL, (int)mb->ifindex, &l))
		return 0; /* the member is gone: nothing to restore */
	err = maps_detach_tc((int)mb->ifindex, 0, !!(mb->flags & LAG_M_OWN_QDISC));
	if (err)
		ret = err;
	err = maps_detach_xdp((int)mb->ifindex);
	if (err && !ret)
		ret = err;
	if (memcmp(l.mac, mb->saved_mac, 6)) {
		nl_link_set_up(nl, l.ifindex, 0);
		err = nl_link_set_mac(nl, l.ifindex, mb->saved_mac);
		if (err && !ret)
			ret = err;
	}
	err = nl_ipv6_set_disabled(l.name, (int)mb->saved_no_ipv6);
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
		       const struct nl_link *l, __u32 slot, const uint8_t lag_mac[6])
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
	no6 = nl_ipv6_disabled(l->name);
	mb.saved_no_ipv6 = no6 > 0;
	/* Saved before any change, so a restore after a failure below is exact. */
	err = maps_member_put(m, &mb);
	if (!err)
		err = maps_cnt_init(m, mb.ifindex);
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
	err = nl_ipv6_set_disabled(l->name, 1);
	if (err) {
		lag_err("%s: cannot disable IPv6 on it: %s", l->name, strerror(-err));
		goto err_restore;
	}
	err = maps_attach_xdp(m, l->ifindex, xdp_mode_for(l, xdp_mode));
	if (err) {
		lag_err("%s: cannot attach the XDP program in %s mode: %s%s", l->name,
			lag_xdp_mode_name[xdp_mode_for(l, xdp_mode)], strerror(-err),
			err == -EOPNOTSUPP ? " (try --xdp-mode skb)" : "");
		goto err_restore;
	}
	err = maps_attach_tc(m, l->ifindex, 0, &own);
	if (own) {
		mb.flags |= LAG_M_OWN_QDISC;
		err = err ? err : maps_member_put(m, &mb);
	}
	if (err) {
		lag_err("%s: cannot attach the TC ingress program: %s%s", l->name, strerror(-err),
			err == -EEXIST ? " (a filter with handle 0x1ab prio 1 exists)" : "");
		goto err_restore;
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

static int check_config(struct nl *nl, struct lag_config *c, struct nl_link *links,
			const struct lag_paths *p)
{
	unsigned int speed0 = 0;
	struct nl_link l;
	int err;

	if (c->n_members == 0) {
		lag_err("no members given (usage: lagbpf attach LAG MEMBER...)");
		return -EINVAL;
	}
	if (strlen(c->name) > LAG_NAME_MAX) {
		lag_err("LAG name %s is too long (at most %d characters)", c->name, LAG_NAME_MAX);
		return -ENAMETOOLONG;
	}
	if (nl_link_get(nl, c->name, 0, &l) == 0) {
		lag_err("a device named %s exists already", c->name);
		return -EEXIST;
	}
	if (nl_link_get(nl, c->peer, 0, &l) == 0 || access(p->pin_dir, F_OK) == 0) {
		lag_err("leftovers of an earlier LAG %s exist (%s); run: lagbpf detach %s",
			c->name, access(p->pin_dir, F_OK) == 0 ? p->pin_dir : c->peer, c->name);
		return -EEXIST;
	}
	if (c->min_links > (unsigned int)c->n_members) {
		lag_err("--min-links %u is above the number of members (%d)", c->min_links,
			c->n_members);
		return -EINVAL;
	}
	for (int i = 0; i < c->n_members; i++) {
		for (int j = 0; j < i; j++) {
			if (!strcmp(c->members[i], c->members[j])) {
				lag_err("member %s is given twice", c->members[i]);
				return -EINVAL;
			}
		}
		err = lag_member_check(nl, c->name, c->members[i], &links[i]);
		if (err)
			return err;
		/* One bandwidth per LAG: every member at the same speed. */
		unsigned int speed = lag_link_speed(c->members[i]);

		if (speed && speed0 && speed != speed0) {
			lag_err("%s runs at %uMb/s, %s at %uMb/s: all members need one speed",
				c->members[i], speed, c->members[0], speed0);
			return -EINVAL;
		}
		if (speed && !speed0)
			speed0 = speed;
	}
	for (int i = 0; i < c->n_port_prio; i++) {
		int found = 0;

		for (int j = 0; j < c->n_members; j++)
			found |= !strcmp(c->port_prio[i].ifname, c->members[j]);
		if (!found) {
			lag_err("--port-priority %s: not a member", c->port_prio[i].ifname);
			return -EINVAL;
		}
	}
	return 0;
}

/* The LAG's paths in this namespace, and an rtnetlink socket. */
static int lag_open(const char *name, struct lag_paths *p, struct nl *nl)
{
	int err = lag_paths_get(name, p);

	if (err) {
		lag_err("cannot name the LAG's paths: %s", strerror(-err));
		return err;
	}
	err = nl_open(nl, 0);
	if (err)
		lag_err("cannot open rtnetlink: %s", strerror(-err));
	return err;
}

int lag_attach(struct lag_config *c)
{
	struct nl_link links[LAG_MAX_MEMBERS], lag;
	struct lag_cfg cfg = {};
	struct lag_paths p;
	struct lag_maps m;
	char parent[PATH_MAX];
	struct nl nl;
	int err, i = 0, own;

	if (snprintf(c->peer, sizeof(c->peer), "lbp-%s", c->name) >= (int)sizeof(c->peer)) {
		lag_err("LAG name %s is too long (at most %d characters)", c->name, LAG_NAME_MAX);
		return -ENAMETOOLONG;
	}
	err = lag_open(c->name, &p, &nl);
	if (err)
		return err;
	err = check_config(&nl, c, links, &p);
	if (err)
		goto err_close_nl;
	err = lag_bpffs_ensure();
	if (err) {
		lag_err("cannot mount bpffs on " LAG_BPFFS ": %s", strerror(-err));
		goto err_close_nl;
	}
	snprintf(parent, sizeof(parent), "%s", p.pin_dir);
	err = lag_mkdir_p(dirname(parent));
	if (!err)
		err = lag_mkdir_p(p.run_dir);
	if (err) {
		lag_err("cannot make %s or %s: %s", parent, p.run_dir, strerror(-err));
		goto err_close_nl;
	}
	err = nl_veth_create(&nl, c->name, c->peer, c->mac_set ? c->mac : NULL);
	if (!err)
		err = nl_link_get(&nl, c->name, 0, &lag);
	if (err) {
		lag_err("cannot create the LAG device %s: %s", c->name, strerror(-err));
		goto err_close_nl;
	}
	memcpy(c->mac, lag.mac, 6);
	err = maps_load(&m, p.pin_dir);
	if (err) {
		lag_err("cannot load the BPF programs: %s", strerror(-err));
		goto err_del_dev;
	}
	cfg.lag_ifindex = (__u32)lag.ifindex;
	cfg.hash_policy = c->hash;
	cfg.hash_seed = c->hash_seed_set ? c->hash_seed : (__u32)lag.ifindex * 0x9e3779b9u;
	c->hash_seed = cfg.hash_seed;
	err = maps_cfg_set(&m, &cfg);
	if (!err)
		err = maps_active_set(&m, LAG_TABLE_LIVE0);
	if (err) {
		lag_err("cannot write the LAG's configuration map: %s", strerror(-err));
		goto err_unpin;
	}
	for (i = 0; i < c->n_members; i++) {
		err = lag_member_prepare(&nl, &m, c->xdp_mode, &links[i], (__u32)i, lag.mac);
		if (err)
			goto err_restore_members;
	}
	err = maps_attach_tc(&m, lag.ifindex, 1, &own);
	if (err) {
		lag_err("cannot attach the TC egress program to %s: %s", c->name, strerror(-err));
		goto err_restore_members;
	}
	/* The peer only gives the LAG device its carrier: no IPv6 chatter from
	 * it, and down until the controller finds the LAG available.
	 */
	err = nl_ipv6_set_disabled(c->peer, 1);
	if (!err)
		err = nl_link_set_up(&nl, lag.ifindex, 1);
	if (err) {
		lag_err("cannot set %s up: %s", c->name, strerror(-err));
		goto err_restore_members;
	}
	maps_close(&m);
	nl_close(&nl);
	if (c->foreground)
		return controller_run(c, &p, -1);
	err = controller_spawn(c, &p);
	if (err) {
		/* The controller already printed why; undo from the pins. */
		lag_log_prefix = NULL;
		lag_detach(c->name);
		return err;
	}
	return 0;

err_restore_members:
	while (i-- > 0) {
		struct lag_member mb;

		if (maps_member_get(&m, (__u32)links[i].ifindex, &mb) == 0)
			lag_member_restore(&nl, &m, &mb);
	}
err_unpin:
	maps_close(&m);
	maps_unpin(p.pin_dir);
err_del_dev:
	nl_link_del(&nl, lag.ifindex);
err_close_nl:
	nl_close(&nl);
	return err;
}

int lag_detach(const char *name)
{
	struct lag_member mbs[LAG_MAX_MEMBERS];
	struct lag_paths p;
	struct lag_maps m;
	struct lag_cfg cfg = {};
	struct nl_link l;
	char peer[IF_NAMESIZE + 4];
	int err, have_pins, have_dev, have_pid, n, ret = 0;
	struct nl nl;

	err = lag_open(name, &p, &nl);
	if (err)
		return err;
	snprintf(peer, sizeof(peer), "lbp-%s", name);
	have_pins = access(p.pin_dir, F_OK) == 0;
	have_pid = access(p.pid, F_OK) == 0;
	have_dev = nl_link_get(&nl, name, 0, &l) == 0 && !strcmp(l.kind, "veth") &&
		   nl_link_get(&nl, peer, 0, &l) == 0;
	if (!have_pins && !have_pid && !have_dev) {
		lag_err("no LAG named %s%s%s", name, p.ns[0] ? " in namespace " : "", p.ns);
		nl_close(&nl);
		return -ENOENT;
	}
	controller_stop(&p);
	if (have_pins && maps_open_pinned(&m, p.pin_dir) == 0) {
		maps_cfg_get(&m, &cfg);
		n = maps_members_list(&m, mbs, LAG_MAX_MEMBERS);
		for (int i = 0; i < n; i++) {
			err = lag_member_restore(&nl, &m, &mbs[i]);
			ret = ret ? ret : err;
		}
		maps_close(&m);
	}
	/* Deleting the LAG device deletes its peer and its TC program. */
	if (nl_link_get(&nl, peer, 0, &l) == 0 && !strcmp(l.kind, "veth")) {
		err = nl_link_del(&nl, l.ifindex);
		ret = ret ? ret : err;
	}
	if (have_pins) {
		err = maps_unpin(p.pin_dir);
		ret = ret ? ret : err;
	}
	unlink(p.sock);
	unlink(p.pid);
	unlink(p.log);
	if (p.ns[0]) {
		/* The namespace's folders go with its last LAG (ENOTEMPTY otherwise). */
		char dir[PATH_MAX];

		snprintf(dir, sizeof(dir), "%s", p.pin_dir);
		rmdir(dirname(dir));
		rmdir(p.run_dir);
	}
	nl_close(&nl);
	if (ret)
		lag_err("detached %s, but: %s", name, strerror(-ret));
	return ret;
}
