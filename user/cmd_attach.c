// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* lagbpf attach LAG MEMBER... [options]: argv to a lag_config, then lag_attach(). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "lag.h"
#include "log.h"
#include "opts.h"

static const char *const rate_words[] = { "slow", "fast" };

enum {
	O_MODE = 256, O_PASSIVE, O_RATE, O_HASH, O_SEED, O_MIN_LINKS, O_MAX_ACTIVE, O_SYS_PRIO,
	O_PORT_PRIO, O_KEY, O_MAC, O_XDP_MODE, O_FOREGROUND, O_HELP,
};

static const struct option attach_opts[] = {
	{ "mode", required_argument, NULL, O_MODE },
	{ "passive", no_argument, NULL, O_PASSIVE },
	{ "rate", required_argument, NULL, O_RATE },
	{ "hash", required_argument, NULL, O_HASH },
	{ "hash-seed", required_argument, NULL, O_SEED },
	{ "min-links", required_argument, NULL, O_MIN_LINKS },
	{ "max-active", required_argument, NULL, O_MAX_ACTIVE },
	{ "system-priority", required_argument, NULL, O_SYS_PRIO },
	{ "port-priority", required_argument, NULL, O_PORT_PRIO },
	{ "key", required_argument, NULL, O_KEY },
	{ "mac", required_argument, NULL, O_MAC },
	{ "xdp-mode", required_argument, NULL, O_XDP_MODE },
	{ "foreground", no_argument, NULL, O_FOREGROUND },
	{ "help", no_argument, NULL, O_HELP },
	{}
};

static int attach_usage(void)
{
	fprintf(stderr, "usage: lagbpf attach LAG MEMBER... [--mode lacp|static] [--passive]\n"
			"       [--rate fast|slow] [--hash l2|l23|l34|encap34] [--hash-seed N]\n"
			"       [--min-links N] [--max-active N] [--system-priority N]\n"
			"       [--port-priority IF=N] [--key N] [--mac ADDR]\n"
			"       [--xdp-mode native|skb] [--foreground]\n");
	return 2;
}

static int port_prio(struct lag_config *c, const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct lag_port_prio *pp = &c->port_prio[c->n_port_prio];

	if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof(pp->ifname) ||
	    c->n_port_prio >= LAG_MAX_MEMBERS) {
		lag_err("--port-priority %s: expected IF=N", arg);
		return -1;
	}
	memcpy(pp->ifname, arg, (size_t)(eq - arg));
	pp->ifname[eq - arg] = '\0';
	if (opt_uint("--port-priority", eq + 1, 0, 65535, &pp->prio))
		return -1;
	c->n_port_prio++;
	return 0;
}

static int parse(struct lag_config *c, int argc, char **argv)
{
	unsigned int u;
	int opt, w, err = 0;

	while (!err && (opt = getopt_long(argc, argv, "", attach_opts, NULL)) != -1) {
		switch (opt) {
		case O_MODE:
			err = opt_word("--mode", optarg, lag_mode_name, LAG_MODE__COUNT, &w);
			c->mode = (enum lag_mode)w;
			break;
		case O_PASSIVE: c->passive = 1; break;
		case O_RATE:
			err = opt_word("--rate", optarg, rate_words, 2, &c->fast);
			break;
		case O_HASH:
			err = opt_word("--hash", optarg, lag_hash_name, LAG_HASH__COUNT, &w);
			c->hash = (enum lag_hash_policy)w;
			break;
		case O_SEED:
			err = opt_uint("--hash-seed", optarg, 0, 0xffffffffUL, &u);
			c->hash_seed = u;
			c->hash_seed_set = 1;
			break;
		case O_MIN_LINKS:
			err = opt_uint("--min-links", optarg, 0, LAG_MAX_MEMBERS, &c->min_links);
			break;
		case O_MAX_ACTIVE:
			err = opt_uint("--max-active", optarg, 1, LAG_MAX_MEMBERS, &c->max_active);
			break;
		case O_SYS_PRIO:
			err = opt_uint("--system-priority", optarg, 0, 65535, &c->system_priority);
			break;
		case O_PORT_PRIO: err = port_prio(c, optarg); break;
		case O_KEY:
			err = opt_uint("--key", optarg, 1, 65535, &u);
			c->key = (int)u;
			break;
		case O_MAC:
			err = opt_mac("--mac", optarg, c->mac);
			c->mac_set = 1;
			break;
		case O_XDP_MODE:
			err = opt_word("--xdp-mode", optarg, lag_xdp_mode_name + 1,
				       LAG_XDP_MODE__COUNT - 1, &w);
			c->xdp_mode = (enum lag_xdp_mode)(w + 1);
			break;
		case O_FOREGROUND: c->foreground = 1; break;
		case O_HELP: attach_usage(); return 1;
		default: return attach_usage();
		}
	}
	if (err)
		return 1;
	return 0;
}

int cmd_attach(int argc, char **argv)
{
	static char prefix[64];
	struct lag_config c;
	int ret, first;

	lag_config_defaults(&c);
	ret = parse(&c, argc, argv);
	if (ret)
		return ret;
	first = optind;
	if (first >= argc) {
		lag_err("attach: no LAG name given (usage: lagbpf attach LAG MEMBER...)");
		return 2;
	}
	snprintf(c.name, sizeof(c.name), "%s", argv[first]);
	snprintf(prefix, sizeof(prefix), "attach %s", c.name);
	lag_log_prefix = prefix;
	if (strlen(argv[first]) >= sizeof(c.name) || !argv[first][0] || strchr(argv[first], '/')) {
		lag_err("LAG name %s is not a valid interface name", argv[first]);
		return 1;
	}
	for (int i = first + 1; i < argc; i++) {
		if (c.n_members >= LAG_MAX_MEMBERS) {
			lag_err("at most %d members", LAG_MAX_MEMBERS);
			return 1;
		}
		if (strlen(argv[i]) >= IF_NAMESIZE) {
			lag_err("member %s does not exist", argv[i]);
			return 1;
		}
		snprintf(c.members[c.n_members++], IF_NAMESIZE, "%s", argv[i]);
	}
	if (c.max_active && c.mode == LAG_MODE_STATIC) {
		lag_err("--max-active needs LACP (--mode lacp)");
		return 1;
	}
	return lag_attach(&c) ? 1 : 0;
}
