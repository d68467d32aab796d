/* SPDX-License-Identifier: MIT */
/* [external NAME] sections: command splitting, the checks that tie them to
 * [prover] backends (each with its file:line:key), and the dump round
 * trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "zkclob/config.h"

static char err[512];

static void expect_error(const char *text, const char *want)
{
	struct zk_config *cfg = malloc(sizeof(*cfg));

	assert_non_null(cfg);
	memset(cfg, 0x5a, sizeof(*cfg));
	err[0] = '\0';
	assert_int_equal(zk_config_load_string(cfg, "op.conf", text, err,
					       sizeof(err)),
			 -1);
	if (strstr(err, want) == NULL)
		fail_msg("error '%s' does not contain '%s'", err, want);
	/* A refused load leaves the caller's struct untouched. */
	assert_int_equal(((unsigned char *)cfg)[sizeof(*cfg) - 1], 0x5a);
	free(cfg);
}

static int split(const char *command, char **argv, size_t max_argv)
{
	static char buf[1024];

	err[0] = '\0';
	return zk_config_command_split(command, buf, sizeof(buf), argv,
				       max_argv, err, sizeof(err));
}

static void test_split_words_and_quotes(void **state)
{
	char *argv[10];

	(void)state;
	assert_int_equal(split("  /usr/bin/zkclob prove\t--serve ", argv, 10), 3);
	assert_string_equal(argv[0], "/usr/bin/zkclob");
	assert_string_equal(argv[1], "prove");
	assert_string_equal(argv[2], "--serve");
	assert_null(argv[3]);

	/* quotes group, \" and \\ are escapes inside them, nothing expands */
	assert_int_equal(split("run --config \"/a b/zk.conf\" x\"y z\"w \"\" $HOME ~ *",
			       argv, 10), 8);
	assert_string_equal(argv[2], "/a b/zk.conf");
	assert_string_equal(argv[3], "xy zw");
	assert_string_equal(argv[4], "");
	assert_string_equal(argv[5], "$HOME");
	assert_string_equal(argv[6], "~");
	assert_string_equal(argv[7], "*");
	assert_null(argv[8]);
	assert_int_equal(split("p \"say \\\"hi\\\" \\\\ \\n\" a\\b", argv, 10), 3);
	assert_string_equal(argv[1], "say \"hi\" \\ \\n");
	assert_string_equal(argv[2], "a\\b");
}

static void test_split_refusals(void **state)
{
	char *argv[4];

	(void)state;
	assert_int_equal(split("", argv, 4), -1);
	assert_non_null(strstr(err, "empty command"));
	assert_int_equal(split(" \t ", argv, 4), -1);
	assert_non_null(strstr(err, "empty command"));
	assert_int_equal(split("prover 'a b'", argv, 4), -1);
	assert_non_null(strstr(err, "single quote"));
	assert_int_equal(split("prover \"a b", argv, 4), -1);
	assert_non_null(strstr(err, "unterminated double quote"));
	assert_int_equal(split("a b c d", argv, 4), -1);
	assert_non_null(strstr(err, "more than 3 words"));
	assert_int_equal(split("a b c", argv, 4), 3);
}

static void test_loads_with_defaults_and_find(void **state)
{
	struct zk_config *cfg = malloc(sizeof(*cfg));
	const struct zk_config_external *x;

	(void)state;
	assert_non_null(cfg);
	assert_int_equal(zk_config_load_string(cfg, "op.conf",
		"[prover]\nbackends = clob-fast external:native external:zisk\n"
		"[external native]\ncommand = zkclob prove --serve --params compact\n"
		"[external zisk]\ncommand = zkclob-zkvm-host --zkvm zisk\n"
		"io_timeout_ms = 500\nprove_timeout_ms = 600000\nmax_payload = 4096\n",
		err, sizeof(err)), 0);
	assert_int_equal(cfg->prover.n_backends, 3);
	assert_string_equal(cfg->prover.backends[1], "external:native");
	assert_int_equal(cfg->prover.n_externals, 2);
	x = zk_config_external_find(cfg, "external:native");
	assert_non_null(x);
	assert_string_equal(x->command, "zkclob prove --serve --params compact");
	assert_int_equal(x->io_timeout_ms, 2000);
	assert_int_equal(x->prove_timeout_ms, 60000);
	assert_int_equal(x->max_payload, 16u << 20);
	x = zk_config_external_find(cfg, "external:zisk");
	assert_non_null(x);
	assert_int_equal(x->io_timeout_ms, 500);
	assert_int_equal(x->prove_timeout_ms, 600000);
	assert_int_equal(x->max_payload, 4096);
	assert_null(zk_config_external_find(cfg, "external:nope"));
	assert_null(zk_config_external_find(cfg, "native"));

	/* the embedded default names none */
	assert_int_equal(zk_config_load_default(cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg->prover.n_externals, 0);
	free(cfg);
}

static void test_unknown_external_name(void **state)
{
	(void)state;
	/* the line blamed is the backends key's, wherever the sections are */
	expect_error("[gen]\nseed = 1\n[prover]\nbackends = external:nope\n"
		     "[external native]\ncommand = zkclob prove --serve\n",
		     "op.conf:4: [prover] backends: 'external:nope' names no [external nope] section");
	/* a malformed name is refused at the key */
	expect_error("[prover]\nbackends = external:a.b\n",
		     "op.conf:2: [prover] backends: 'external:a.b' is not one of");
	expect_error("[prover]\nbackends = external:\n",
		     "op.conf:2: [prover] backends: 'external:' is not one of");
}

static void test_empty_or_missing_command(void **state)
{
	(void)state;
	expect_error("[external native]\nio_timeout_ms = 10\ncommand =\n",
		     "op.conf:3: [external native] command: empty command");
	expect_error("[prover]\nbackends = external:native\n[external native]\ncommand = \"a\n",
		     "op.conf:4: [external native] command: unterminated double quote");
	expect_error("[external native]\ncommand = prove 'x'\n",
		     "op.conf:2: [external native] command: a single quote");
	/* a section with keys but no command, referenced or not */
	expect_error("[gen]\nseed = 1\n\n[external native]\nio_timeout_ms = 10\n",
		     "op.conf:4: [external native] command: missing");
	/* a header alone sets no key, yet backends names it */
	expect_error("[prover]\nbackends = external:native\n[external native]\n",
		     "op.conf:3: [external native] command: missing");
}

static void test_bad_numbers_and_keys(void **state)
{
	(void)state;
	expect_error("[external n]\ncommand = p\nio_timeout_ms = 0\n",
		     "op.conf:3: [external n] io_timeout_ms: '0' is not an integer in [1, 600000]");
	expect_error("[external n]\ncommand = p\nprove_timeout_ms = 5s\n",
		     "op.conf:3: [external n] prove_timeout_ms: '5s' is not an integer");
	expect_error("[external n]\ncommand = p\nmax_payload = 100\n",
		     "op.conf:3: [external n] max_payload: '100' is not an integer in [4096, 1073741824]");
	expect_error("[external n]\ncommand = p\nmax_payload = -1\n",
		     "op.conf:3: [external n] max_payload: '-1' is not an integer");
	expect_error("[external n]\ncommand = p\nargs = x\n",
		     "op.conf:3: [external n] args: unknown key");
	expect_error("[external n]\ncommand = p\ncommand = q\n",
		     "op.conf:3: [external n] command: given twice");
	expect_error("[external a.b]\ncommand = p\n",
		     "op.conf:2: [external a.b] command: 'a.b' is not an external prover name");
	expect_error("[external abcdefghijklmnopqrstuvw]\ncommand = p\n",
		     "op.conf:2: [external abcdefghijklmnopqrstuvw] command: 'abcdefghijklmnopqrstuvw' is not an external prover name");
}

static void test_long_lines(void **state)
{
	char text[600];
	char cmd[200];

	(void)state;
	/* longer than inih's line: named, not a syntax error on the next */
	snprintf(text, sizeof(text), "[gen]\nseed = 1\n; %0200d\n[batch]\n", 0);
	expect_error(text, "op.conf:3: line of 202 characters; the INI reader takes at most 199");
	/* a command whose dump line would not fit */
	memset(cmd, 'p', 190);
	cmd[190] = '\0';
	snprintf(text, sizeof(text), "[external n]\ncommand=%s\n", cmd);
	expect_error(text, "op.conf:2: [external n] command: longer than 189 characters");
	cmd[189] = '\0';
	snprintf(text, sizeof(text), "[external n]\ncommand = %s\n", cmd);
	{
		struct zk_config *cfg = malloc(sizeof(*cfg));

		assert_non_null(cfg);
		assert_int_equal(zk_config_load_string(cfg, "op.conf", text, err,
						       sizeof(err)), 0);
		free(cfg);
	}
}

static void test_at_most_eight(void **state)
{
	char text[2048];
	size_t n = 0;
	int i;

	(void)state;
	for (i = 0; i < ZK_CONFIG_MAX_EXTERNALS + 1; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "[external p%d]\ncommand = p\n", i);
	expect_error(text, "op.conf:18: [external p8] command: more than 8 [external NAME] sections");
}

static char *dump(const struct zk_config *cfg)
{
	char *mem = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);

	assert_non_null(f);
	assert_int_equal(zk_config_write(cfg, f), 0);
	fclose(f);
	return mem;
}

static void test_dump_round_trip(void **state)
{
	struct zk_config *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	char *da, *db;
	const struct zk_config_external *x;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(zk_config_load_string(a, "op.conf",
		"[prover]\nbackends = external:zisk clob-fast external:native\n"
		"[external native]\ncommand = \"/opt/zk clob/zkclob\" prove --serve --config \"a \\\"b\\\".conf\"\n"
		"prove_timeout_ms = 1234\n"
		"[external zisk]\ncommand = host --prove zisk-prove.sh {input} {proof} --\n"
		"max_payload = 8192\n",
		err, sizeof(err)), 0);
	da = dump(a);
	assert_non_null(strstr(da, "\n[external native]\ncommand = \"/opt/zk clob/zkclob\" prove"));
	assert_non_null(strstr(da, "backends = external:zisk clob-fast external:native\n"));
	assert_int_equal(zk_config_load_string(b, "dump", da, err, sizeof(err)), 0);
	db = dump(b);
	assert_string_equal(da, db);
	assert_int_equal(b->prover.n_externals, 2);
	x = zk_config_external_find(b, "external:native");
	assert_non_null(x);
	assert_int_equal(x->prove_timeout_ms, 1234);
	assert_string_equal(x->command,
			    "\"/opt/zk clob/zkclob\" prove --serve --config \"a \\\"b\\\".conf\"");
	x = zk_config_external_find(b, "external:zisk");
	assert_non_null(x);
	assert_int_equal(x->max_payload, 8192);
	free(da);
	free(db);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_words_and_quotes),
		cmocka_unit_test(test_split_refusals),
		cmocka_unit_test(test_loads_with_defaults_and_find),
		cmocka_unit_test(test_unknown_external_name),
		cmocka_unit_test(test_empty_or_missing_command),
		cmocka_unit_test(test_bad_numbers_and_keys),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_at_most_eight),
		cmocka_unit_test(test_dump_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
