// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* lagbpf add LAG MEMBER... / lagbpf del LAG MEMBER...: associate a member
 * with a running LAG, or disassociate it. The command prepares or restores
 * the member (as attach and detach do); the controller starts or stops
 * tracking it. Each member is all or nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cmd.h"
#include "lag/lag.h"
#include "sys/ethtool.h"
#include "sys/log.h"

struct lag_handle {
	struct lag_paths p;
	struct lag_maps m;
	struct nl nl;
	struct lag_cfg cfg;
	struct lag_member mbs[LAG_MAX_MEMBERS];
	int n;
};

static int lag_handle_open(struct lag_handle *h, const char *lag)
{
	int err;

	if (cmd_lag_paths(lag, &h->p))
		return -EINVAL;
	if (access(h->p.sock, F_OK)) {
		lag_err("no LAG named %s%s%s", lag, h->p.ns[0] ? " in namespace " : "", h->p.ns);
		return -ENOENT;
	}
	err = lag_pins_open(&h->m, lag, &h->p);
	if (err)
		return err;
	err = nl_open(&h->nl, 0);
	if (!err)
		err = maps_cfg_get(&h->m, &h->cfg);
	if (err) {
		lag_err("cannot read %s: %s", lag, strerror(-err));
		maps_close(&h->m);
		return err;
	}
	h->n = maps_members_list(&h->m, h->mbs, LAG_MAX_MEMBERS);
	return 0;
}

static void lag_handle_close(struct lag_handle *h)
{
	nl_close(&h->nl);
	maps_close(&h->m);
}

static int free_slot(const struct lag_handle *h)
{
	for (__u32 s = 0; s < LAG_MAX_MEMBERS; s++) {
		int used = 0;

		for (int i = 0; i < h->n; i++)
			used |= h->mbs[i].slot == s;
		if (!used)
			return (int)s;
	}
	return -ENOSPC;
}

static int add_one(struct lag_handle *h, const char *lag, const char *ifname)
{
	struct nl_link l, lagdev;
	struct lag_member rec;
	unsigned int speed, speed0;
	char req[64];
	int slot, err;

	err = lag_member_check(&h->nl, lag, ifname, &l);
	if (err)
		return err;
	speed = ethtool_speed(ifname);
	err = nl_link_get(&h->nl, NULL, (int)h->mbs[0].ifindex, &lagdev);
	speed0 = err ? 0 : ethtool_speed(lagdev.name);
	if (speed && speed0 && speed != speed0) {
		lag_err("%s runs at %uMb/s, %s members at %uMb/s: a LAG has one speed", ifname,
			speed, lag, speed0);
		return -EINVAL;
	}
	err = nl_link_get(&h->nl, NULL, (int)h->cfg.lag_ifindex, &lagdev);
	if (err) {
		lag_err("the LAG device of %s is gone: %s", lag, strerror(-err));
		return err;
	}
	slot = free_slot(h);
	if (slot < 0) {
		lag_err("%s has %d members already", lag, LAG_MAX_MEMBERS);
		return slot;
	}
	err = lag_member_prepare(&h->nl, &h->m, LAG_XDP_AUTO, &l, (__u32)slot, lag, lagdev.mac,
				 lagdev.mtu);
	if (err)
		return err;
	snprintf(req, sizeof(req), "add %s", ifname);
	if (cmd_ctl(h->p.sock, req, ifname)) {
		if (maps_member_get(&h->m, (__u32)l.ifindex, &rec) == 0)
			lag_member_restore(&h->nl, &h->m, &rec);
		return -EIO;
	}
	h->n = maps_members_list(&h->m, h->mbs, LAG_MAX_MEMBERS);
	return 0;
}

static int del_one(struct lag_handle *h, const char *lag, const char *ifname)
{
	struct lag_member rec;
	struct nl_link l;
	char req[64];

	snprintf(req, sizeof(req), "del %s", ifname);
	if (nl_link_get(&h->nl, ifname, 0, &l) || maps_member_get(&h->m, (__u32)l.ifindex, &rec)) {
		/* No such device, or another one under that name: only a member
		 * whose device was deleted may go so; the controller knows.
		 */
		return cmd_ctl(h->p.sock, req, ifname) ? -ENOENT : 0;
	}
	if (cmd_ctl(h->p.sock, req, ifname))
		return -EIO;
	return lag_member_restore(&h->nl, &h->m, &rec);
}

static int cmd_member(int argc, char **argv, int add)
{
	static char prefix[64];
	struct lag_handle h;
	int err;

	if (argc < 3 || argv[1][0] == '-')
		return cmd_usage(argc >= 2 && !strcmp(argv[1], "--help"),
				 add ? "lagbpf add LAG MEMBER...\n" : "lagbpf del LAG MEMBER...\n");
	snprintf(prefix, sizeof(prefix), "%s %s", add ? "add" : "del", argv[1]);
	lag_log_prefix = prefix;
	for (int i = 2; i < argc; i++)
		for (int j = 2; j < i; j++)
			if (!strcmp(argv[i], argv[j])) {
				lag_err("member %s is given twice", argv[i]);
				return 1;
			}
	if (lag_handle_open(&h, argv[1]))
		return 1;
	for (int i = 2; i < argc; i++) {
		err = add ? add_one(&h, argv[1], argv[i]) : del_one(&h, argv[1], argv[i]);
		if (err) {
			lag_handle_close(&h);
			return 1;
		}
	}
	lag_handle_close(&h);
	return 0;
}

int cmd_add(int argc, char **argv)
{
	return cmd_member(argc, argv, 1);
}

int cmd_del(int argc, char **argv)
{
	return cmd_member(argc, argv, 0);
}
