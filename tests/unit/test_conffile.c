// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for the configuration file (user/conf/conffile.c): networkd's
 * key names and value words, every error with its file and line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "conf/conffile.h"

static char err[LAG_ERR_LEN];

static void test_config_file(void **state)
{
	static const char good[] = "# lag0 of the storage hosts\n"
				   "[LAG]\n"
				   "Members = eth1 eth2\n"
				   "Mode=802.3ad\n"
				   "MinLinks=1\n"
				   "LACPTransmitRate=fast\n"
				   "TransmitHashPolicy=layer2+3\n"
				   "AdActorSystemPriority=100\n"
				   "PortPriority=eth1=10 eth2=20\n"
				   "Passive=no\n";
	struct lag_config c;

	lag_config_defaults(&c);
	assert_int_equal(lag_conffile_parse(&c, good, "lag0.conf", err, sizeof(err)), 0);
	assert_int_equal(c.n_members, 2);
	assert_string_equal(c.members[1], "eth2");
	assert_int_equal(c.mode, LAG_MODE_LACP);
	assert_int_equal(c.min_links, 1);
	assert_int_equal(c.rate, LAG_RATE_FAST);
	assert_int_equal(c.hash, LAG_HASH_L23);
	assert_int_equal(c.system_priority, 100);
	assert_int_equal(c.n_port_prio, 2);
	assert_int_equal(c.port_prio[1].prio, 20);
	assert_false(c.passive);
	assert_int_equal(lag_config_check(&c, err, sizeof(err)), 0);

	lag_config_defaults(&c);
	assert_int_not_equal(
		lag_conffile_parse(&c, "[LAG]\nMembers=a0\nSpeed=10\n", "x.conf", err, sizeof(err)),
		0);
	assert_string_equal(err, "x.conf:3: unknown key Speed");
	assert_int_not_equal(
		lag_conffile_parse(&c, "[LAG]\nMinLinks=99\n", "x.conf", err, sizeof(err)), 0);
	assert_string_equal(err, "x.conf:2: --min-links 99: expected a number from 0 to 64");
	assert_int_not_equal(
		lag_conffile_parse(&c, "[Network]\nDHCP=yes\n", "x.conf", err, sizeof(err)), 0);
	assert_non_null(strstr(err, "x.conf:1: unknown section"));
	assert_int_not_equal(lag_conffile_parse(&c, "Members=a0\n", "x.conf", err, sizeof(err)), 0);
	assert_non_null(strstr(err, "x.conf:1: expected Key=Value"));
	assert_int_not_equal(
		lag_conffile_parse(&c, "[LAG]\nPassive=maybe\n", "x.conf", err, sizeof(err)), 0);
	assert_int_not_equal(lag_conffile_parse(&c, "[LAG]\nTransmitHashPolicy=layer9\n", "x.conf",
						err, sizeof(err)),
			     0);
}

/* What restart re-reads: the running configuration, format then parse. */
static void test_round_trip(void **state)
{
	struct lag_config c, back;
	char text[8192];
	int n;

	lag_config_defaults(&c);
	assert_int_equal(lag_config_set_name(&c, "lag7", err, sizeof(err)), 0);
	for (const char *m = "a0\0a1\0a2\0"; *m; m += strlen(m) + 1)
		assert_int_equal(lag_config_add_member(&c, m, err, sizeof(err)), 0);
	c.mode = LAG_MODE_LACP;
	c.rate = LAG_RATE_FAST;
	c.hash = LAG_HASH_ENCAP34;
	c.min_links = 2;
	c.max_active = 2;
	c.key = 42;
	c.hash_seed = 0xfeedbeef;
	c.passive = 1;
	c.mtu = 9000;
	c.slow_rate = 0;
	c.slow_burst = 7;
	c.aggregate_wait_ms = 300;
	c.fallback = LAG_FALLBACK_ACTIVE_BACKUP;
	c.fallback_timeout = 12;
	c.system_id_set = 1;
	memcpy(c.system_id, "\x02\x00\x00\x00\x00\x09", 6);
	memcpy(c.mac, "\x02\x00\x00\x00\x00\x01", 6);
	c.n_port_prio = 1;
	snprintf(c.port_prio[0].ifname, sizeof(c.port_prio[0].ifname), "a1");
	c.port_prio[0].prio = 9;
	snprintf(c.metrics_listen, sizeof(c.metrics_listen), "[::1]:9464");
	n = lag_conffile_format(&c, text, sizeof(text));
	assert_true(n > 0);
	lag_config_defaults(&back);
	assert_int_equal(lag_conffile_parse(&back, text, "lag7.conf", err, sizeof(err)), 0);
	assert_int_equal(back.n_members, 3);
	assert_string_equal(back.members[2], "a2");
	assert_int_equal(back.rate, c.rate);
	assert_int_equal(back.hash, c.hash);
	assert_int_equal(back.min_links, 2);
	assert_int_equal(back.max_active, 2);
	assert_int_equal(back.key, 42);
	assert_int_equal(back.hash_seed, 0xfeedbeef);
	assert_true(back.passive);
	assert_int_equal(back.mtu, 9000);
	assert_int_equal(back.slow_rate, 0);
	assert_int_equal(back.slow_burst, 7);
	assert_int_equal(back.aggregate_wait_ms, 300);
	assert_int_equal(back.fallback, LAG_FALLBACK_ACTIVE_BACKUP);
	assert_int_equal(back.fallback_timeout, 12);
	assert_true(back.system_id_set);
	assert_memory_equal(back.system_id, c.system_id, 6);
	assert_memory_equal(back.mac, c.mac, 6);
	assert_int_equal(back.n_port_prio, 1);
	assert_int_equal(back.port_prio[0].prio, 9);
	assert_string_equal(back.metrics_listen, "[::1]:9464");
	assert_int_equal(lag_conffile_format(&c, text, 40), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_file),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
