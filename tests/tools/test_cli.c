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

static const char *zkclob;
static char dir[] = "/tmp/zkclob-cli-XXXXXX";

/* Runs a shell command line, captures stdout+stderr, returns exit status. */
static int run(char *out, size_t cap, const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	FILE *p;
	size_t n = 0;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (n + 1 < cap && fgets(out + n, (int)(cap - n), p) != NULL)
		n += strlen(out + n);
	out[n] = '\0';
	st = pclose(p);
	assert_true(WIFEXITED(st)); /* a signal (crash) fails the test */
	return WEXITSTATUS(st);
}

static void digest_of(const char *out, char digest[65])
{
	const char *d = strstr(out, "digest:  ");

	assert_non_null(d);
	memcpy(digest, d + 9, 64);
	digest[64] = '\0';
}

static void test_gen_replay_deterministic(void **state)
{
	static char out[16384];
	char d1[65], d2[65], d3[65];

	(void)state;
	assert_int_equal(run(out, sizeof(out), "%s gen --seed 7 --count 20000 %s/a.pcap",
			     zkclob, dir), 0);
	assert_non_null(strstr(out, "20000 messages"));
	assert_int_equal(run(out, sizeof(out), "%s gen --seed 7 --count 20000 %s/b.pcap",
			     zkclob, dir), 0);
	assert_int_equal(run(out, sizeof(out), "cmp %s/a.pcap %s/b.pcap", dir, dir), 0);
	assert_int_equal(run(out, sizeof(out), "%s gen --seed 8 --count 20000 %s/c.pcap",
			     zkclob, dir), 0);

	assert_int_equal(run(out, sizeof(out), "%s replay %s/a.pcap", zkclob, dir), 0);
	assert_non_null(strstr(out, "20000 ops"));
	assert_non_null(strstr(out, " trade "));
	digest_of(out, d1);
	assert_int_equal(run(out, sizeof(out), "%s replay %s/b.pcap", zkclob, dir), 0);
	digest_of(out, d2);
	assert_string_equal(d1, d2);
	assert_int_equal(run(out, sizeof(out), "%s replay %s/c.pcap", zkclob, dir), 0);
	digest_of(out, d3);
	assert_string_not_equal(d1, d3);
}

static void test_config_error_exit_2(void **state)
{
	static char out[4096];

	(void)state;
	assert_int_equal(run(out, sizeof(out),
			     "printf '[wire]\\nudp_port = 70000\\n' > %s/bad.conf", dir), 0);
	assert_int_equal(run(out, sizeof(out), "%s config --config %s/bad.conf",
			     zkclob, dir), 2);
	assert_non_null(strstr(out, "bad.conf:2: [wire] udp_port: '70000'"));
	assert_int_equal(run(out, sizeof(out), "%s run --config %s/missing.conf",
			     zkclob, dir), 2);
	assert_non_null(strstr(out, "missing.conf: No such file"));
}

static void test_gen_market_without_section(void **state)
{
	static char out[4096];

	(void)state;
	assert_int_equal(run(out, sizeof(out),
			     "printf '[gen]\\nmarkets = 3\\n' > %s/m3.conf", dir), 0);
	assert_int_equal(run(out, sizeof(out), "%s gen --config %s/m3.conf %s/x.pcap",
			     zkclob, dir, dir), 2);
	assert_non_null(strstr(out, "no [market.3] section"));
}

static void test_config_dump_reloads(void **state)
{
	static char out[8192], out2[8192];

	(void)state;
	assert_int_equal(run(out, sizeof(out), "%s config > %s/dump.conf", zkclob, dir), 0);
	assert_int_equal(run(out, sizeof(out), "%s config --config %s/dump.conf",
			     zkclob, dir), 0);
	assert_int_equal(run(out2, sizeof(out2), "%s config", zkclob), 0);
	assert_string_equal(out, out2);
}

static void test_bad_captures(void **state)
{
	static char out[8192];

	(void)state;
	/* not a pcap at all */
	assert_int_equal(run(out, sizeof(out), "head -c 1000 /dev/urandom > %s/junk.pcap", dir), 0);
	assert_int_equal(run(out, sizeof(out), "%s replay %s/junk.pcap", zkclob, dir), 1);
	assert_non_null(strstr(out, "junk.pcap"));
	/* missing */
	assert_int_equal(run(out, sizeof(out), "%s replay %s/none.pcap", zkclob, dir), 1);
	/* a valid capture cut mid-record: refused with the reason, since a
	 * replay of part of a flow would print a misleading digest */
	assert_int_equal(run(out, sizeof(out), "%s gen --count 100 %s/t.pcap", zkclob, dir), 0);
	assert_int_equal(run(out, sizeof(out), "head -c 999 %s/t.pcap > %s/cut.pcap", dir, dir), 0);
	assert_int_equal(run(out, sizeof(out), "%s replay %s/cut.pcap", zkclob, dir), 1);
	assert_non_null(strstr(out, "cut.pcap: truncated"));
	assert_null(strstr(out, "digest:"));
}

static void test_usage_errors(void **state)
{
	static char out[4096];

	(void)state;
	assert_int_equal(run(out, sizeof(out), "%s", zkclob), 2);
	assert_int_equal(run(out, sizeof(out), "%s frobnicate", zkclob), 2);
	assert_non_null(strstr(out, "unknown command"));
	assert_int_equal(run(out, sizeof(out), "%s gen --count abc %s/y.pcap", zkclob, dir), 2);
	assert_int_equal(run(out, sizeof(out), "%s replay", zkclob), 2);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
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
