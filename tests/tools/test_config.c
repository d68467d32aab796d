/* SPDX-License-Identifier: MIT */
/* Config loading: defaults, overlays, and every class of refusal with its
 * file:line:key message. */
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
	struct zk_config cfg;

	memset(&cfg, 0x5a, sizeof(cfg));
	err[0] = '\0';
	assert_int_equal(zk_config_load_string(&cfg, "op.conf", text, err,
					       sizeof(err)),
			 -1);
	if (strstr(err, want) == NULL)
		fail_msg("error '%s' does not contain '%s'", err, want);
	/* A refused load leaves the caller's struct untouched. */
	assert_int_equal(((unsigned char *)&cfg)[0], 0x5a);
	assert_int_equal(((unsigned char *)&cfg)[sizeof(cfg) - 1], 0x5a);
}

static void test_default_loads(void **state)
{
	struct zk_config cfg;

	(void)state;
	assert_int_equal(zk_config_load_default(&cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.wire.udp_port, 30001);
	assert_int_equal(cfg.n_markets, 2);
	assert_int_equal(cfg.markets[0].market, 1);
	assert_int_equal(cfg.markets[1].market, 2);
	assert_int_equal(cfg.markets[0].tick, 1);
	assert_int_equal(cfg.markets[0].max_price, 1000000);
	assert_int_equal(cfg.markets[0].stp, ZK_STP_CANCEL_NEWEST);
	assert_int_equal(cfg.gen.msgs_per_packet, 8);
	assert_int_equal(cfg.gen.live_orders, 1000);
}

static void test_overlay_changes_only_what_it_names(void **state)
{
	struct zk_config cfg;

	(void)state;
	assert_int_equal(zk_config_load_string(&cfg, "op.conf",
					       "[wire]\nudp_port = 30000\n",
					       err, sizeof(err)),
			 0);
	assert_int_equal(cfg.wire.udp_port, 30000);
	assert_int_equal(cfg.n_markets, 2);
	assert_int_equal(cfg.gen.count, 20000);
}

static void test_market_sections_replace_the_list(void **state)
{
	struct zk_config cfg;

	(void)state;
	assert_int_equal(zk_config_load_string(&cfg, "op.conf",
					       "[market.7]\ntick = 5\nstp = cancel-both\n"
					       "[market.9]\nlot = 10\n",
					       err, sizeof(err)),
			 0);
	assert_int_equal(cfg.n_markets, 2);
	assert_int_equal(cfg.markets[0].market, 7);
	assert_int_equal(cfg.markets[0].tick, 5);
	assert_int_equal(cfg.markets[0].stp, ZK_STP_CANCEL_BOTH);
	assert_int_equal(cfg.markets[0].lot, 1); /* unnamed keys: defaults */
	assert_int_equal(cfg.markets[1].market, 9);
	assert_int_equal(cfg.markets[1].lot, 10);
}

static void test_unknown_key_names_file_line_key(void **state)
{
	(void)state;
	expect_error("[wire]\n\nudp_prot = 1\n", "op.conf:3: [wire] udp_prot: unknown key");
}

static void test_unknown_section(void **state)
{
	(void)state;
	expect_error("[wires]\nudp_port = 1\n", "op.conf:2: [wires] udp_port: unknown section");
}

static void test_bad_number(void **state)
{
	(void)state;
	expect_error("[wire]\nudp_port = 12ab\n", "op.conf:2: [wire] udp_port: '12ab' is not an integer");
	expect_error("[wire]\nudp_port = -1\n", "[wire] udp_port: '-1'");
	expect_error("[wire]\nudp_port =\n", "[wire] udp_port: '' is not an integer");
	expect_error("[gen]\nseed = 99999999999999999999999\n", "[gen] seed:");
}

static void test_out_of_range(void **state)
{
	(void)state;
	expect_error("[wire]\nudp_port = 65536\n", "op.conf:2: [wire] udp_port: '65536' is not an integer in [1, 65535]");
	expect_error("[wire]\nudp_port = 0\n", "in [1, 65535]");
	expect_error("[market.1]\ntick = 0\n", "op.conf:2: [market.1] tick:");
	expect_error("[gen]\npost_only_pm = 1001\n", "[gen] post_only_pm: '1001' is not an integer in [0, 1000]");
	expect_error("[gen]\nsession = ABCDEFGHIJK\n", "[gen] session: 'ABCDEFGHIJK' must be 1 to 10 characters");
}

static void test_bad_enum(void **state)
{
	(void)state;
	expect_error("[market.1]\nstp = cancel-all\n", "op.conf:2: [market.1] stp: 'cancel-all' is not one of");
}

static void test_bad_market_id(void **state)
{
	(void)state;
	expect_error("[market.x]\ntick = 1\n", "op.conf:2: [market.x] tick: market sections");
	expect_error("[market.4294967296]\ntick = 1\n", "market sections");
}

static void test_duplicate_key(void **state)
{
	(void)state;
	expect_error("[wire]\nudp_port = 1\nudp_port = 2\n", "op.conf:3: [wire] udp_port: given twice");
}

static void test_syntax_error(void **state)
{
	(void)state;
	expect_error("[wire]\nudp_port 1\n", "op.conf:2: syntax error");
	expect_error("[wire\n", "op.conf:1: syntax error");
}

static void test_key_outside_section(void **state)
{
	(void)state;
	expect_error("udp_port = 1\n", "op.conf:1: [] udp_port: key outside any section");
}

static void test_cross_field_checks(void **state)
{
	(void)state;
	expect_error("[market.1]\nmin_price = 10\nmax_price = 5\n",
		     "op.conf: [market.1] min_price 10 > max_price 5");
	expect_error("[market.1]\nlot = 10\nmax_qty = 5\n", "max_qty 5 < lot 10");
	expect_error("[gen]\nmix_place = 0\nmix_move = 0\nmix_reduce = 0\nmix_cancel = 0\n"
		     "mix_ioc = 0\nmix_fok = 0\nmix_market = 0\n",
		     "[gen] every mix_* weight is 0");
}

static void test_router_sections(void **state)
{
	struct zk_config cfg;

	(void)state;
	assert_int_equal(zk_config_load_default(&cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.router.strategy, ZK_STRATEGY_BALANCED);
	assert_int_equal(cfg.router.classes[ZK_WORKLOAD_TRADE_EXECUTION].deadline_us, 50000);
	assert_int_equal(zk_config_load_string(&cfg, "op.conf",
					       "[router]\nstrategy = size\n"
					       "[router.risk]\nmax_proof_bytes = 100000\n",
					       err, sizeof(err)),
			 0);
	assert_int_equal(cfg.router.strategy, ZK_STRATEGY_SIZE);
	assert_int_equal(cfg.router.classes[ZK_WORKLOAD_RISK].max_proof_bytes, 100000);
	/* the embedded classes stay */
	assert_int_equal(cfg.router.classes[ZK_WORKLOAD_TRADE_EXECUTION].deadline_us, 50000);
	expect_error("[router]\nstrategy = fastest\n", "op.conf:2: [router] strategy: must be");
	expect_error("[router.gossip]\ndeadline_us = 1\n", "op.conf:2: [router.gossip] deadline_us:");
	expect_error("[routerx]\na = 1\n", "op.conf:2: [routerx] a: unknown section");
	/* a class set back to 0 dumps as 0, not as the embedded default */
	assert_int_equal(zk_config_load_string(&cfg, "op.conf",
					       "[router.trade_execution]\ndeadline_us = 0\n",
					       err, sizeof(err)),
			 0);
	assert_int_equal(cfg.router.classes[ZK_WORKLOAD_TRADE_EXECUTION].deadline_us, 0);
}

static void test_prover_section(void **state)
{
	struct zk_config cfg;

	(void)state;
	assert_int_equal(zk_config_load_default(&cfg, err, sizeof(err)), 0);
	assert_true(cfg.prover.enabled);
	assert_int_equal(cfg.prover.n_backends, 2);
	assert_string_equal(cfg.prover.backends[0], "clob-fast");
	assert_int_equal(cfg.prover.on_unprovable, ZK_UNPROVABLE_LOG);
	assert_int_equal(zk_config_load_string(&cfg, "op.conf",
					       "[prover]\nbackends = hashproof, clob-compact\n"
					       "workers = 3\nlog_sync = interval\n"
					       "on_unprovable = halt\non_stop = abandon\n"
					       "workload = risk\nlog =\n",
					       err, sizeof(err)),
			 0);
	assert_int_equal(cfg.prover.n_backends, 2);
	assert_string_equal(cfg.prover.backends[0], "hashproof");
	assert_string_equal(cfg.prover.backends[1], "clob-compact");
	assert_int_equal(cfg.prover.workers, 3);
	assert_int_equal(cfg.prover.log_sync, ZK_PROOFLOG_SYNC_INTERVAL);
	assert_int_equal(cfg.prover.on_unprovable, ZK_UNPROVABLE_HALT);
	assert_true(cfg.prover.abandon_on_stop);
	assert_int_equal(cfg.prover.workload, ZK_WORKLOAD_RISK);
	assert_string_equal(cfg.prover.log, "");
	expect_error("[prover]\nbackends = clob-fast stark\n",
		     "op.conf:2: [prover] backends: 'stark' is not one of");
	expect_error("[prover]\nbackends = clob-fast clob-fast\n",
		     "op.conf:2: [prover] backends: 'clob-fast' is listed twice");
	expect_error("[prover]\n\non_unprovable = drop\n",
		     "op.conf:3: [prover] on_unprovable: 'drop' is not one of log, halt");
	expect_error("[prover]\nlog_sync = sometimes\n",
		     "op.conf:2: [prover] log_sync:");
	expect_error("[prover]\nqueue_depth = 0\n", "op.conf:2: [prover] queue_depth:");
	expect_error("[prover]\nworkload = gossip\n", "op.conf:2: [prover] workload:");
	expect_error("[prover]\nbackends =\n", "[prover] enabled needs backends");
}

static void test_value_starting_with_comment_char(void **state)
{
	(void)state;
	expect_error("[audit]\npath =;x\n", "op.conf:2: [audit] path: ';x' starts with a comment character");
	expect_error("[router.risk]\npreferred =#a\n", "[router.risk] preferred: '#a' starts with a comment character");
}

static void test_first_error_wins(void **state)
{
	(void)state;
	expect_error("[wire]\nfoo = 1\nbar = 2\n", "op.conf:2: [wire] foo");
}

static void test_missing_file(void **state)
{
	struct zk_config cfg;

	(void)state;
	assert_int_equal(zk_config_load_file(&cfg, "/nonexistent/zk.conf", err,
					     sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "/nonexistent/zk.conf: No such file"));
}

static const char *dump(const struct zk_config *cfg)
{
	static char bufs[2][4096];
	static int which;
	char *mem = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);
	char *out = bufs[which++ & 1];

	assert_non_null(f);
	assert_int_equal(zk_config_write(cfg, f), 0);
	fclose(f);
	assert_true(len < sizeof(bufs[0]));
	memcpy(out, mem, len + 1);
	free(mem);
	return out;
}

static void test_file_load_and_dump_round_trip(void **state)
{
	struct zk_config a, b;
	char path[] = "/tmp/zkclob-config-XXXXXX";
	int fd;
	FILE *f;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs("[market.3]\ntick = 2\nmin_price = 2\nmax_price = 200\n[gen]\nseed = 42\n", f);
	fclose(f);
	assert_int_equal(zk_config_load_file(&a, path, err, sizeof(err)), 0);
	assert_int_equal(a.markets[0].market, 3);
	assert_int_equal(a.gen.seed, 42);

	/* The dump is a complete config that loads to the same values. */
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(zk_config_write(&a, f), 0);
	fclose(f);
	assert_int_equal(zk_config_load_file(&b, path, err, sizeof(err)), 0);
	unlink(path);
	assert_string_equal(dump(&a), dump(&b));
	assert_int_equal(b.n_markets, 1);
	assert_int_equal(b.markets[0].tick, 2);
	assert_int_equal(b.markets[0].max_price, 200);
	assert_int_equal(b.gen.seed, 42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_loads),
		cmocka_unit_test(test_overlay_changes_only_what_it_names),
		cmocka_unit_test(test_market_sections_replace_the_list),
		cmocka_unit_test(test_unknown_key_names_file_line_key),
		cmocka_unit_test(test_unknown_section),
		cmocka_unit_test(test_bad_number),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_bad_enum),
		cmocka_unit_test(test_bad_market_id),
		cmocka_unit_test(test_duplicate_key),
		cmocka_unit_test(test_syntax_error),
		cmocka_unit_test(test_key_outside_section),
		cmocka_unit_test(test_cross_field_checks),
		cmocka_unit_test(test_router_sections),
		cmocka_unit_test(test_prover_section),
		cmocka_unit_test(test_value_starting_with_comment_char),
		cmocka_unit_test(test_first_error_wins),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_file_load_and_dump_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
