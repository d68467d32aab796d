/* SPDX-License-Identifier: MIT */
/*
 * The zkclob CLI end to end: gen → replay is deterministic, config errors
 * stop it with exit 2 and file:line:key, bad captures give exit 1 and a
 * reason, never a crash. argv[1] is the zkclob binary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli_test_util.h"

static const char *zkclob;
static char dir[] = "/tmp/zkclob-cli-XXXXXX";

static void test_gen_replay_deterministic(void **state)
{
	char d1[65], d2[65], d3[65];

	(void)state;
	assert_int_equal(run("%s gen --seed 7 --count 20000 %s/a.pcap",
			     zkclob, dir), 0);
	assert_non_null(strstr(out, "20000 messages"));
	assert_int_equal(run("%s gen --seed 7 --count 20000 %s/b.pcap",
			     zkclob, dir), 0);
	assert_int_equal(run("cmp %s/a.pcap %s/b.pcap", dir, dir), 0);
	assert_int_equal(run("%s gen --seed 8 --count 20000 %s/c.pcap",
			     zkclob, dir), 0);

	assert_int_equal(run("%s replay %s/a.pcap", zkclob, dir), 0);
	assert_non_null(strstr(out, "20000 ops"));
	assert_non_null(strstr(out, " trade "));
	digest_of(d1);
	assert_int_equal(run("%s replay %s/b.pcap", zkclob, dir), 0);
	digest_of(d2);
	assert_string_equal(d1, d2);
	assert_int_equal(run("%s replay %s/c.pcap", zkclob, dir), 0);
	digest_of(d3);
	assert_string_not_equal(d1, d3);
}

static void test_config_error_exit_2(void **state)
{
	(void)state;
	assert_int_equal(run("printf '[wire]\\nudp_port = 70000\\n' > %s/bad.conf", dir), 0);
	assert_int_equal(run("%s config --config %s/bad.conf",
			     zkclob, dir), 2);
	assert_non_null(strstr(out, "bad.conf:2: [wire] udp_port: '70000'"));
	assert_int_equal(run("%s run --config %s/missing.conf",
			     zkclob, dir), 2);
	assert_non_null(strstr(out, "missing.conf: No such file"));
}

static void test_gen_market_without_section(void **state)
{
	(void)state;
	assert_int_equal(run("printf '[gen]\\nmarkets = 3\\n' > %s/m3.conf", dir), 0);
	assert_int_equal(run("%s gen --config %s/m3.conf %s/x.pcap",
			     zkclob, dir, dir), 2);
	assert_non_null(strstr(out, "no [market.3] section"));
}

static void test_config_dump_reloads(void **state)
{
	static char first[sizeof(out)];

	(void)state;
	assert_int_equal(run("%s config > %s/dump.conf", zkclob, dir), 0);
	assert_int_equal(run("%s config --config %s/dump.conf",
			     zkclob, dir), 0);
	memcpy(first, out, sizeof(out));
	assert_int_equal(run("%s config", zkclob), 0);
	assert_string_equal(first, out);
}

static void test_bad_captures(void **state)
{
	(void)state;
	/* not a pcap at all */
	assert_int_equal(run("head -c 1000 /dev/urandom > %s/junk.pcap", dir), 0);
	assert_int_equal(run("%s replay %s/junk.pcap", zkclob, dir), 1);
	assert_non_null(strstr(out, "junk.pcap"));
	/* missing */
	assert_int_equal(run("%s replay %s/none.pcap", zkclob, dir), 1);
	/* a valid capture cut mid-record: refused with the reason, since a
	 * replay of part of a flow would print a misleading digest */
	assert_int_equal(run("%s gen --count 100 %s/t.pcap", zkclob, dir), 0);
	assert_int_equal(run("head -c 999 %s/t.pcap > %s/cut.pcap", dir, dir), 0);
	assert_int_equal(run("%s replay %s/cut.pcap", zkclob, dir), 1);
	assert_non_null(strstr(out, "cut.pcap: truncated"));
	assert_null(strstr(out, "digest:"));
}

static void test_usage_errors(void **state)
{
	(void)state;
	assert_int_equal(run("%s", zkclob), 2);
	assert_int_equal(run("%s frobnicate", zkclob), 2);
	assert_non_null(strstr(out, "unknown command"));
	assert_int_equal(run("%s gen --count abc %s/y.pcap", zkclob, dir), 2);
	assert_int_equal(run("%s replay", zkclob), 2);
}

static int setup(void **state)
{
	(void)state;
	return make_scratch_dir(dir);
}

static int teardown(void **state)
{
	(void)state;
	return remove_scratch_dir(dir);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gen_replay_deterministic),
		cmocka_unit_test(test_config_error_exit_2),
		cmocka_unit_test(test_gen_market_without_section),
		cmocka_unit_test(test_config_dump_reloads),
		cmocka_unit_test(test_bad_captures),
		cmocka_unit_test(test_usage_errors),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s PATH-TO-zkclob\n", argv[0]);
		return 2;
	}
	zkclob = argv[1];
	return cmocka_run_group_tests(tests, setup, teardown);
}
