// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Adoption: a LAG whose controller is gone (kill -9, OOM, a restart) keeps
 * its device, members, programs and tables, and keeps forwarding until its
 * dead-man fires (the partner's timeout). Running
 * attach again with the same members, or restart, gives it a new controller
 * instead of failing or tearing it down.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "lag/lag.h"
#include "sys/links.h"
#include "sys/log.h"

static int same_members(struct nl *nl, const struct lag_config *c, const struct lag_member *mbs,
			int n)
{
	if (n != c->n_members)
		return 0;
	for (int i = 0; i < c->n_members; i++) {
		struct nl_link l;
		int found = 0;

		if (nl_link_get(nl, c->members[i], 0, &l))
			return 0;
		for (int k = 0; k < n; k++)
			found |= mbs[k].ifindex == (__u32)l.ifindex;
		if (!found)
			return 0;
	}
	return 1;
}

int lag_pins_open(struct lag_maps *m, const char *name, const struct lag_paths *p)
{
	int err = maps_open_pinned(m, p->pin_dir), abi;

	if (err == -EPROTONOSUPPORT) {
		abi = maps_pinned_abi(p->pin_dir);
		lag_err("%s was attached by a lagbpf whose maps have layout %d; this one has "
			"layout %d and leaves it untouched: restart it with the lagbpf that "
			"attached it, or detach and attach it with this one",
			name, abi, LAG_ABI_VERSION);
	} else if (err) {
		lag_err("cannot open the pins of %s in %s: %s", name, p->pin_dir, strerror(-err));
	}
	return err;
}

int lag_adopt(struct lag_config *c, const struct lag_paths *p)
{
	struct lag_member mbs[LAG_MAX_MEMBERS];
	struct nl_link lag, peer;
	struct lag_maps m;
	struct lag_cfg cfg;
	const char *tc;
	struct nl nl;
	int n, err;

	err = nl_open(&nl, 0);
	if (err) {
		lag_err("cannot open rtnetlink: %s", strerror(-err));
		return err;
	}
	err = lag_pins_open(&m, c->name, p);
	if (err)
		goto out_nl;
	if (nl_link_get(&nl, c->name, 0, &lag) || nl_link_get(&nl, c->peer, 0, &peer) ||
	    strcmp(lag.kind, "veth")) {
		lag_err("%s has pins but no LAG device: detach it, then attach", c->name);
		err = -ENODEV;
		goto out_maps;
	}
	n = maps_members_list(&m, mbs, LAG_MAX_MEMBERS);
	if (!same_members(&nl, c, mbs, n)) {
		char have[LAG_MAX_MEMBERS * IF_NAMESIZE] = "";
		size_t off = 0;

		/* In slot order, as attach listed them. */
		for (__u32 slot = 0; slot < LAG_MAX_MEMBERS && off < sizeof(have); slot++) {
			struct nl_link l;
			int i = 0;

			while (i < n && mbs[i].slot != slot)
				i++;
			if (i < n && nl_link_get(&nl, NULL, (int)mbs[i].ifindex, &l) == 0)
				off += (size_t)snprintf(have + off, sizeof(have) - off, "%s%s",
							off ? " " : "", l.name);
		}
		lag_err("%s runs without a controller with members %s: attach it with those to "
			"adopt it, or detach it",
			c->name, have[0] ? have : "(none left)");
		err = -EEXIST;
		goto out_maps;
	}
	err = maps_cfg_get(&m, &cfg);
	if (err) {
		lag_err("cannot read the configuration map of %s: %s", c->name, strerror(-err));
		goto out_maps;
	}
	/* The seed stays (flows keep their members); the policy is applied as set would.
	 * So does where lag_tx runs: a link on the peer says --tx-path device.
	 */
	c->hash_seed = cfg.hash_seed;
	c->tx_path = links_tc_mode(&m, (int)cfg.peer_ifindex, "tx", &tc) == 0 && !strcmp(tc, "tcx")
			     ? LAG_TX_DEVICE
			     : LAG_TX_DIRECT;
	c->hash_seed_set = 1;
	memcpy(c->mac, lag.mac, 6);
	if (cfg.hash_policy != (__u32)c->hash ||
	    cfg.slow_rate != (c->slow_rate ? c->slow_rate : LAG_SLOW_RATE_UNLIMITED) ||
	    cfg.slow_burst != c->slow_burst) {
		cfg.hash_policy = (__u32)c->hash;
		cfg.slow_rate = c->slow_rate ? c->slow_rate : LAG_SLOW_RATE_UNLIMITED;
		cfg.slow_burst = c->slow_burst;
		err = maps_cfg_set(&m, &cfg);
		if (err) {
			lag_err("cannot update the configuration map of %s: %s", c->name,
				strerror(-err));
			goto out_maps;
		}
	}
	lag_log(LAG_LOG_INFO, "%s: adopting it: device, %d members, tables and programs kept\n",
		c->name, n);
out_maps:
	maps_close(&m);
out_nl:
	nl_close(&nl);
	return err;
}
