// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for the option table (user/conf/options.c) and the configuration
 * rules (user/conf/config.c): every option parses into its field, bad values
 * get one line naming the option and what it accepts, `set` sees only the
 * run-time options, and the cross-field rules that attach and the daemon share.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>
#include <sys/socket.h>

#include "conf/names.h"
#include "conf/options.h"

static char err[LAG_ERR_LEN];

static int apply(struct lag_config *c, const char *name, const char *val)
{
	const struct lag_option *o = lag_option_find(name, LAG_OPT_ATTACH);

	assert_non_null(o);
	err[0] = '\0';
	return lag_option_apply(c, o, val, err, sizeof(err));
}

static void test_every_option_parses(void **state)
{
	struct lag_config c;

	lag_config_defaults(&c);
	assert_int_equal(c.mode, LAG_MODE_LACP);
	assert_int_equal(c.rate, LAG_RATE_SLOW);
	assert_int_equal(c.hash, LAG_HASH_L34);
	assert_int_equal(c.key, -1);
	assert_int_equal(apply(&c, "mode", "static"), 0);
	assert_int_equal(c.mode, LAG_MODE_STATIC);
	assert_int_equal(apply(&c, "passive", NULL), 0);
	assert_true(c.passive);
	assert_int_equal(apply(&c, "rate", "fast"), 0);
	assert_int_equal(c.rate, LAG_RATE_FAST);
	assert_int_equal(apply(&c, "hash", "encap34"), 0);
	assert_int_equal(c.hash, LAG_HASH_ENCAP34);
	assert_int_equal(apply(&c, "hash-seed", "0xdeadbeef"), 0);
	assert_true(c.hash_seed_set);
	assert_int_equal(c.hash_seed, 0xdeadbeef);
	assert_int_equal(apply(&c, "min-links", "2"), 0);
	assert_int_equal(c.min_links, 2);
	assert_int_equal(apply(&c, "max-active", "3"), 0);
	assert_int_equal(c.max_active, 3);
	assert_int_equal(apply(&c, "system-priority", "100"), 0);
	assert_int_equal(c.system_priority, 100);
	assert_int_equal(apply(&c, "port-priority", "eth1=7"), 0);
	assert_int_equal(c.n_port_prio, 1);
	assert_string_equal(c.port_prio[0].ifname, "eth1");
	assert_int_equal(c.port_prio[0].prio, 7);
	assert_int_equal(apply(&c, "key", "17"), 0);
	assert_int_equal(c.key, 17);
	assert_int_equal(apply(&c, "mac", "02:00:00:00:00:2a"), 0);
	assert_true(c.mac_set);
	assert_int_equal(c.mac[5], 0x2a);
	assert_int_equal(apply(&c, "xdp-mode", "skb"), 0);
	assert_int_equal(c.xdp_mode, LAG_XDP_SKB);
	assert_int_equal(apply(&c, "xdp-mode", "native"), 0);
	assert_int_equal(c.xdp_mode, LAG_XDP_NATIVE);
	assert_int_equal(apply(&c, "foreground", NULL), 0);
	assert_true(c.foreground);
}

/* --metrics-listen: numeric ADDR:PORT, IPv6 in brackets, or off */
static void test_metrics_listen(void **state)
{
	static const char *const good[] = { "127.0.0.1:9464", "198.18.0.1:1", "0.0.0.0:65535",
					    "[::1]:9464",     "[fe80::1]:80", "[::]:9100" };
	static const char *const bad[] = { "127.0.0.1",	     "127.0.0.1:",
					   "127.0.0.1:0",    "127.0.0.1:65536",
					   "127.0.0.1:-1",   "127.0.0.1:9x",
					   "localhost:9464", "::1:9464",
					   "[::1]9464",	     "[::1]:",
					   "[127.0.0.1]:80", "1.2.3:80",
					   ":9464",	     "" };
	struct lag_addrport a;
	struct lag_config c;

	lag_config_defaults(&c);
	assert_string_equal(c.metrics_listen, "");
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
		assert_int_equal(apply(&c, "metrics-listen", good[i]), 0);
		assert_string_equal(c.metrics_listen, good[i]);
		assert_int_equal(lag_addrport_parse(good[i], &a), 0);
	}
	assert_int_equal(lag_addrport_parse("[::1]:9464", &a), 0);
	assert_int_equal(a.family, AF_INET6);
	assert_int_equal(a.port, 9464);
	assert_int_equal(a.addr[15], 1);
	assert_int_equal(lag_addrport_parse("198.18.0.7:80", &a), 0);
	assert_int_equal(a.family, AF_INET);
	assert_int_equal(a.port, 80);
	assert_memory_equal(a.addr, "\xc6\x12\x00\x07", 4);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		assert_int_not_equal(apply(&c, "metrics-listen", bad[i]), 0);
		assert_non_null(strstr(err, "--metrics-listen"));
		assert_non_null(strstr(err, "ADDR:PORT"));
		/* a refused value leaves the one before */
		assert_string_equal(c.metrics_listen, "[::]:9100");
	}
	assert_int_equal(apply(&c, "metrics-listen", "off"), 0);
	assert_string_equal(c.metrics_listen, "");
	/* also a run-time option */
	assert_non_null(lag_option_find("metrics-listen", LAG_OPT_SET));
}

static void test_bad_values_say_why(void **state)
{
	struct lag_config c;

	lag_config_defaults(&c);
	assert_int_not_equal(apply(&c, "min-links", "65"), 0);
	assert_string_equal(err, "--min-links 65: expected a number from 0 to 64");
	assert_int_not_equal(apply(&c, "min-links", "-1"), 0);
	assert_int_not_equal(apply(&c, "min-links", "2x"), 0);
	assert_int_not_equal(apply(&c, "key", "0"), 0);
	assert_int_not_equal(apply(&c, "hash", "foo"), 0);
	assert_string_equal(err, "--hash foo: expected one of l2, l23, l34, encap34");
	assert_int_not_equal(apply(&c, "rate", "medium"), 0);
	assert_string_equal(err, "--rate medium: expected one of slow, fast");
	assert_int_not_equal(apply(&c, "xdp-mode", "auto"), 0);
	assert_int_not_equal(apply(&c, "mac", "01:00:5e:00:00:01"), 0);
	assert_non_null(strstr(err, "multicast"));
	assert_int_not_equal(apply(&c, "mac", "00:00:00:00:00:00"), 0);
	assert_int_not_equal(apply(&c, "mac", "02:00:00:00:00:01:02"), 0);
	assert_int_not_equal(apply(&c, "port-priority", "=3"), 0);
	assert_string_equal(err, "--port-priority =3: expected IF=N");
	assert_int_not_equal(apply(&c, "port-priority", "eth0=70000"), 0);
	assert_int_equal(c.n_port_prio, 0);
	/* Nothing half-applied: the defaults stand. */
	assert_int_equal(c.min_links, 0);
	assert_int_equal(c.hash, LAG_HASH_L34);
	assert_false(c.mac_set);
}

static void test_set_scope(void **state)
{
	assert_non_null(lag_option_find("min-links", LAG_OPT_SET));
	assert_non_null(lag_option_find("rate", LAG_OPT_SET));
	assert_non_null(lag_option_find("hash", LAG_OPT_SET));
	assert_null(lag_option_find("mode", LAG_OPT_SET));
	assert_null(lag_option_find("mac", LAG_OPT_SET));
	assert_null(lag_option_find("nope", LAG_OPT_ATTACH | LAG_OPT_SET));
	for (int i = 0; i < lag_n_options; i++) {
		assert_int_equal(lag_options[i].id, i); /* store() is keyed by row */
		assert_non_null(lag_options[i].help);
		assert_non_null(lag_options[i].def);
	}
}

static void test_config_rules(void **state)
{
	struct lag_config c;

	lag_config_defaults(&c);
	assert_int_not_equal(lag_config_check(&c, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "no members"));
	assert_int_equal(lag_config_add_member(&c, "a0", err, sizeof(err)), 0);
	assert_int_equal(lag_config_add_member(&c, "a1", err, sizeof(err)), 0);
	assert_int_equal(lag_config_check(&c, err, sizeof(err)), 0);
	c.min_links = 3;
	assert_int_not_equal(lag_config_check(&c, err, sizeof(err)), 0);
	assert_string_equal(err, "--min-links 3 is above the number of members (2)");
	c.min_links = 2;
	c.mode = LAG_MODE_STATIC;
	c.max_active = 1;
	assert_int_not_equal(lag_config_check(&c, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "--max-active needs LACP"));
	c.max_active = 0;
	assert_int_equal(apply(&c, "port-priority", "a9=1"), 0);
	assert_int_not_equal(lag_config_check(&c, err, sizeof(err)), 0);
	assert_string_equal(err, "--port-priority a9: not a member");
	c.n_port_prio = 0;
	assert_int_equal(lag_config_add_member(&c, "a0", err, sizeof(err)), 0);
	assert_int_not_equal(lag_config_check(&c, err, sizeof(err)), 0);
	assert_string_equal(err, "member a0 is given twice");
	assert_int_not_equal(lag_config_add_member(&c, "0123456789abcdef", err, sizeof(err)), 0);
	assert_int_not_equal(lag_config_add_member(&c, "", err, sizeof(err)), 0);
}

static void test_names(void **state)
{
	struct lag_config c;

	lag_config_defaults(&c);
	assert_int_equal(lag_config_set_name(&c, "lag0", err, sizeof(err)), 0);
	assert_string_equal(c.peer, "lbp-lag0");
	assert_int_not_equal(lag_config_set_name(&c, "lag012345678", err, sizeof(err)), 0);
	assert_non_null(strstr(err, "too long"));
	assert_int_not_equal(lag_config_set_name(&c, "a/b", err, sizeof(err)), 0);
	assert_int_not_equal(lag_config_set_name(&c, "..", err, sizeof(err)), 0);
	assert_int_not_equal(lag_config_set_name(&c, "", err, sizeof(err)), 0);
	assert_string_equal(c.name, "lag0");
	assert_int_equal(lag_config_key(&c, 10000), 10);
	assert_int_equal(lag_config_key(&c, 100), 1);
	c.key = 42;
	assert_int_equal(lag_config_key(&c, 10000), 42);
	assert_int_equal(lag_config_port_priority(&c, "x"), LAG_PORT_PRIORITY_DEFAULT);
}

static void test_name_rules(void **state)
{
	const char *bad_lag[] = { "",	 ".",	"..",	"a/b",	 "../x",
				  "a b", "a:b", "a\tb", "netns", "lag012345678" };
	const char *bad_ns[] = { "", ".", "..", "a/b", "../x", "a\nb" };

	for (size_t i = 0; i < sizeof(bad_lag) / sizeof(*bad_lag); i++)
		assert_int_equal(lag_name_check(bad_lag[i], err, sizeof(err)), -EINVAL);
	for (size_t i = 0; i < sizeof(bad_ns) / sizeof(*bad_ns); i++)
		assert_int_equal(lag_netns_name_check(bad_ns[i], err, sizeof(err)), -EINVAL);
	assert_int_equal(lag_name_check("lag0", err, sizeof(err)), 0);
	assert_int_equal(lag_name_check("bond-01234", err, sizeof(err)), 0);
	assert_int_equal(lag_netns_name_check("lagt-x-1", err, sizeof(err)), 0);
	assert_int_equal(lag_ifname_check("member", "enp1s0f0np0", err, sizeof(err)), 0);
	assert_int_equal(lag_ifname_check("member", "0123456789abcdef", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "member '0123456789abcdef' is longer than 15 characters");
}

static void test_usage_text(void **state)
{
	char buf[4096] = "";
	FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");

	assert_non_null(f);
	lag_options_synopsis(f, LAG_OPT_SET, "  ");
	lag_options_help(f, LAG_OPT_SET);
	assert_int_equal(fclose(f), 0);
	assert_non_null(strstr(buf, "[--rate slow|fast]"));
	assert_non_null(strstr(buf, "[--min-links N]"));
	assert_non_null(strstr(buf, "(default: l34)"));
	assert_null(strstr(buf, "--mode"));
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (line[2] == '[')
			assert_true(strlen(line) <= 80); /* the synopsis wraps */
}

/* Issue 11: --aggregate-wait, --system-id, --fallback, --fallback-timeout (attach only) */
static void test_lacp_options(void **state)
{
	struct lag_config c;

	lag_config_defaults(&c);
	assert_int_equal(c.aggregate_wait_ms, 2000);
	assert_int_equal(c.fallback, LAG_FALLBACK_OFF);
	assert_int_equal(c.fallback_timeout, 90);
	assert_false(c.system_id_set);
	assert_int_equal(apply(&c, "aggregate-wait", "0"), 0);
	assert_int_equal(c.aggregate_wait_ms, 0);
	assert_int_equal(apply(&c, "aggregate-wait", "2000"), 0);
	assert_int_equal(c.aggregate_wait_ms, 2000);
	assert_int_not_equal(apply(&c, "aggregate-wait", "2001"), 0);
	assert_string_equal(err, "--aggregate-wait 2001: expected a number from 0 to 2000");
	assert_int_equal(apply(&c, "mac", "02:00:00:00:00:2a"), 0);
	assert_int_equal(apply(&c, "system-id", "02:00:00:00:00:07"), 0);
	assert_true(c.system_id_set);
	assert_int_equal(c.system_id[5], 7);
	assert_int_equal(c.mac[5], 0x2a); /* the LAG's MAC is another thing */
	assert_int_not_equal(apply(&c, "system-id", "01:80:c2:00:00:02"), 0);
	assert_string_equal(err, "--system-id 01:80:c2:00:00:02: a multicast address cannot be "
				 "a system id");
	assert_int_not_equal(apply(&c, "system-id", "00:00:00:00:00:00"), 0);
	assert_int_equal(c.system_id[5], 7);
	assert_int_equal(apply(&c, "fallback", "active-backup"), 0);
	assert_int_equal(c.fallback, LAG_FALLBACK_ACTIVE_BACKUP);
	assert_string_equal(lag_fallback_name[c.fallback], "active-backup");
	assert_int_not_equal(apply(&c, "fallback", "lacp"), 0);
	assert_string_equal(err, "--fallback lacp: expected one of off, active-backup");
	assert_int_equal(apply(&c, "fallback-timeout", "5"), 0);
	assert_int_equal(c.fallback_timeout, 5);
	assert_int_not_equal(apply(&c, "fallback-timeout", "0"), 0);
	assert_int_not_equal(apply(&c, "fallback-timeout", "3601"), 0);
	assert_null(lag_option_find("aggregate-wait", LAG_OPT_SET));
	assert_null(lag_option_find("system-id", LAG_OPT_SET));
	assert_null(lag_option_find("fallback", LAG_OPT_SET));
	assert_null(lag_option_find("fallback-timeout", LAG_OPT_SET));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_option_parses),
		cmocka_unit_test(test_bad_values_say_why),
		cmocka_unit_test(test_set_scope),
		cmocka_unit_test(test_config_rules),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_name_rules),
		cmocka_unit_test(test_usage_text),
		cmocka_unit_test(test_lacp_options),
		cmocka_unit_test(test_metrics_listen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
