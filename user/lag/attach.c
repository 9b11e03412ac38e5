// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Attach and detach of a LAG on the host. attach is all or nothing: every
 * step has an undo, run in reverse on failure. detach works from the pins
 * alone, so it also cleans up after a controller that died.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <linux/if.h>
#include "lag/lag.h"
#include "sys/ethtool.h"
#include "sys/links.h"
#include "sys/log.h"
#include "sys/sysctl.h"

/* What only the host can tell: names taken, members fit, one speed. */
static int check_host(struct nl *nl, const struct lag_config *c, struct nl_link *links,
		      const struct lag_paths *p)
{
	unsigned int speed0 = 0;
	struct nl_link l;
	int err;

	if (nl_link_get(nl, c->name, 0, &l) == 0) {
		lag_err("a device named %s exists already", c->name);
		return -EEXIST;
	}
	if (nl_link_get(nl, c->peer, 0, &l) == 0 || access(p->pin_dir, F_OK) == 0) {
		lag_err("leftovers of an earlier LAG %s exist (%s); run: lagbpf detach %s", c->name,
			access(p->pin_dir, F_OK) == 0 ? p->pin_dir : c->peer, c->name);
		return -EEXIST;
	}
	for (int i = 0; i < c->n_members; i++) {
		unsigned int speed;

		err = lag_member_check(nl, c->name, c->members[i], &links[i]);
		if (err)
			return err;
		/* One bandwidth per LAG: every member at the same speed. */
		speed = ethtool_speed(c->members[i]);
		if (speed && speed0 && speed != speed0) {
			lag_err("%s runs at %uMb/s, %s at %uMb/s: all members need one speed",
				c->members[i], speed, c->members[0], speed0);
			return -EINVAL;
		}
		if (speed && !speed0)
			speed0 = speed;
	}
	return 0;
}

static int make_dirs(const struct lag_paths *p)
{
	char parent[PATH_MAX];
	int err;

	err = lag_bpffs_ensure();
	if (err) {
		lag_err("cannot mount bpffs on " LAG_BPFFS ": %s", strerror(-err));
		return err;
	}
	snprintf(parent, sizeof(parent), "%s", p->pin_dir);
	err = lag_mkdir_p(dirname(parent));
	if (!err)
		err = lag_mkdir_p(p->run_dir);
	if (err)
		lag_err("cannot make the folders of %s or %s: %s", p->pin_dir, p->run_dir,
			strerror(-err));
	return err;
}

int lag_attach(struct lag_config *c, const struct lag_paths *p)
{
	struct nl_link links[LAG_MAX_MEMBERS], lag, peer;
	struct lag_cfg cfg = {};
	struct lag_maps m;
	struct nl nl;
	int err, i = 0, own;

	err = nl_open(&nl, 0);
	if (err) {
		lag_err("cannot open rtnetlink: %s", strerror(-err));
		return err;
	}
	err = check_host(&nl, c, links, p);
	if (!err)
		err = make_dirs(p);
	if (err)
		goto err_close_nl;
	/* The LAG takes --mtu or its first member's MTU, and every member gets it. */
	err = nl_veth_create(&nl, c->name, c->peer, c->mac_set ? c->mac : NULL,
			     c->mtu ? c->mtu : links[0].mtu);
	if (!err)
		err = nl_link_get(&nl, c->name, 0, &lag);
	if (!err)
		err = nl_link_get(&nl, c->peer, 0, &peer);
	if (err) {
		lag_err("cannot create the LAG device %s: %s", c->name, strerror(-err));
		goto err_close_nl;
	}
	memcpy(c->mac, lag.mac, 6);
	err = maps_load(&m, p->pin_dir);
	if (err) {
		lag_err("cannot load the BPF programs: %s", strerror(-err));
		goto err_del_dev;
	}
	cfg.lag_ifindex = (__u32)lag.ifindex;
	cfg.peer_ifindex = (__u32)peer.ifindex;
	cfg.hash_policy = c->hash;
	/* A random seed: nobody choosing ports can steer flows onto one member. */
	if (!c->hash_seed_set &&
	    getrandom(&c->hash_seed, sizeof(c->hash_seed), 0) != sizeof(c->hash_seed)) {
		err = -errno;
		lag_err("cannot draw a random hash seed: %s (give --hash-seed)", strerror(-err));
		goto err_unpin;
	}
	cfg.hash_seed = c->hash_seed;
	cfg.slow_rate = c->slow_rate ? c->slow_rate : LAG_SLOW_RATE_UNLIMITED;
	cfg.slow_burst = c->slow_burst;
	err = maps_cfg_set(&m, &cfg);
	if (!err)
		err = maps_active_set(&m, LAG_TABLE_LIVE0);
	if (err) {
		lag_err("cannot write the LAG's configuration map: %s", strerror(-err));
		goto err_unpin;
	}
	for (i = 0; i < c->n_members; i++) {
		err = lag_member_prepare(&nl, &m, c->xdp_mode, &links[i], (__u32)i, c->name,
					 lag.mac, lag.mtu);
		if (err)
			goto err_restore_members;
	}
	/* The peer's ingress is where lag0's own transmit (counted) delivers. */
	err = c->tx_path == LAG_TX_DEVICE ? links_attach_tx_ingress(&m, peer.ifindex, &own)
					  : links_attach_tc(&m, lag.ifindex, 1, &own);
	if (!err && own)
		lag_log(LAG_LOG_INFO, "%s: no tcx in this kernel: TC programs on clsact\n",
			c->name);
	if (err) {
		lag_err("cannot attach the TC program of %s: %s", c->name, strerror(-err));
		goto err_restore_members;
	}
	/* The peer only gives the LAG device its carrier: no IPv6 chatter from
	 * it, and down until the controller finds the LAG available.
	 */
	err = sysctl_ipv6_set_disabled(c->peer, 1);
	if (!err)
		err = nl_link_set_up(&nl, lag.ifindex, 1);
	if (err) {
		lag_err("cannot set %s up: %s", c->name, strerror(-err));
		goto err_restore_members;
	}
	maps_close(&m);
	nl_close(&nl);
	return 0;

err_restore_members:
	while (i-- > 0) {
		struct lag_member mb;

		if (maps_member_get(&m, (__u32)links[i].ifindex, &mb) == 0)
			lag_member_restore(&nl, &m, &mb);
	}
err_unpin:
	maps_close(&m);
	maps_unpin(p->pin_dir);
err_del_dev:
	nl_link_del(&nl, lag.ifindex);
err_close_nl:
	nl_close(&nl);
	return err;
}

/* The LAG device and its peer, as lagbpf makes them: a veth pair. */
static int lag_device(struct nl *nl, const char *name, struct nl_link *peer)
{
	char peer_name[IF_NAMESIZE + sizeof(LAG_PEER_PREFIX)];
	struct nl_link l;

	snprintf(peer_name, sizeof(peer_name), LAG_PEER_PREFIX "%s", name);
	return nl_link_get(nl, name, 0, &l) == 0 && !strcmp(l.kind, "veth") &&
	       nl_link_get(nl, peer_name, 0, peer) == 0 && !strcmp(peer->kind, "veth");
}

int lag_exists(const char *name, const struct lag_paths *p)
{
	struct nl_link peer;
	struct nl nl;
	int dev = 0;

	if (access(p->pin_dir, F_OK) == 0 || access(p->pid, F_OK) == 0)
		return 1;
	if (nl_open(&nl, 0) == 0) {
		dev = lag_device(&nl, name, &peer);
		nl_close(&nl);
	}
	return dev;
}

int lag_detach(const char *name, const struct lag_paths *p)
{
	struct lag_member mbs[LAG_MAX_MEMBERS];
	struct lag_maps m;
	struct nl_link peer;
	int err, have_pins, n, ret = 0;
	struct nl nl;

	err = nl_open(&nl, 0);
	if (err) {
		lag_err("cannot open rtnetlink: %s", strerror(-err));
		return err;
	}
	have_pins = access(p->pin_dir, F_OK) == 0;
	/* Members of any ABI version: lag_members never changed its layout. */
	if (have_pins && (maps_open_pinned(&m, p->pin_dir) == 0 ||
			  maps_open_pinned_members(&m, p->pin_dir) == 0)) {
		n = maps_members_list(&m, mbs, LAG_MAX_MEMBERS);
		for (int i = 0; i < n; i++) {
			err = lag_member_restore(&nl, &m, &mbs[i]);
			ret = ret ? ret : err;
		}
		maps_close(&m);
	}
	/* Deleting the LAG device deletes its peer and its TC program. */
	if (lag_device(&nl, name, &peer)) {
		err = nl_link_del(&nl, peer.ifindex);
		ret = ret ? ret : err;
	}
	if (have_pins) {
		err = maps_unpin(p->pin_dir);
		ret = ret ? ret : err;
	}
	unlink(p->sock);
	unlink(p->pid);
	unlink(p->log);
	unlink(p->conf);
	if (p->ns[0]) {
		/* The namespace's folders go with its last LAG (ENOTEMPTY otherwise). */
		char dir[PATH_MAX];

		snprintf(dir, sizeof(dir), "%s", p->pin_dir);
		rmdir(dirname(dir));
		rmdir(p->run_dir);
	}
	nl_close(&nl);
	if (ret)
		lag_err("detached %s, but: %s", name, strerror(-ret));
	return ret;
}
