// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for the configuration file (user/conf/conffile.c): networkd's
 * key names and value words, every error with its file and line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
