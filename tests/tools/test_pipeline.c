/* SPDX-License-Identifier: MIT */
/*
 * The proving pipeline (prover/pipeline.c) without DPDK: a real engine and
 * batcher cut batches over two markets with a sequence gap; the pipeline
 * commits them to the markets' state trees, proves them through a router
 * and logs them. Checked against the log as read back: one record per
 * market part in commit order, per-market root chains, the gap's skip
 * record, unproven records with their reason, halting.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "zkclob/backend.h"
#include "zkclob/batch.h"
#include "zkclob/engine.h"
#include "zkclob/pipeline.h"
#include "zkclob/prooflog.h"
#include "zkclob/router.h"

#define N_MARKETS 2
#define HP_PARAMS 0x00ff0001u

static const struct zk_market_params markets[N_MARKETS] = {
	{ .market = 1, .tick = 1, .lot = 1, .min_price = 1, .max_price = 1000,
	  .max_qty = 1000, .stp = ZK_STP_CANCEL_NEWEST, .max_orders = 64,
	  .max_levels = 32 },
	{ .market = 2, .tick = 1, .lot = 1, .min_price = 1, .max_price = 1000,
	  .max_qty = 1000, .stp = ZK_STP_CANCEL_NEWEST, .max_orders = 64,
	  .max_levels = 32 },
};
static const uint32_t market_ids[N_MARKETS] = { 1, 2 };

struct fixture {
	char path[64];
	struct zk_engine *engine;
	struct zk_batcher *batcher;
	struct zk_router *router;
	struct zk_prooflog *log;
	struct zk_pipeline *pipe;
	uint64_t batches_cut;
	uint64_t on_record_calls;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct zk_batch_cfg bc = { .max_ops = 7, .witness = true };
	int fd;

	assert_non_null(f);
	snprintf(f->path, sizeof(f->path), "/tmp/zk_pipeline_XXXXXX");
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	close(fd);
	unlink(f->path);
	f->engine = zk_engine_create(markets, N_MARKETS);
	assert_non_null(f->engine);
	f->batcher = zk_batcher_create(f->engine, &bc);
	assert_non_null(f->batcher);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	zk_pipeline_destroy(f->pipe);
	zk_prooflog_close(f->log);
	zk_router_destroy(f->router);
	zk_batcher_destroy(f->batcher);
	zk_engine_destroy(f->engine);
	unlink(f->path);
	free(f);
	return 0;
}

/* hashproof (optionally behind a fault) in a router that allows it */
static void make_router(struct fixture *f, const char *fault)
{
	struct zk_hashproof_cfg hc = { .params_id = HP_PARAMS };
	struct zk_router_cfg rc;
	struct zk_backend *be;
	char err[256];

	zk_router_config_default(&rc);
	rc.test_backends = true;
	rc.max_retries = 0;
	rc.breaker_failures = 1000;
	f->router = zk_router_create(&rc, NULL, err, sizeof(err));
	assert_non_null(f->router);
	be = zk_hashproof_create(&hc);
	assert_non_null(be);
	if (fault != NULL) {
		struct zk_fault_cfg fc;

		assert_int_equal(zk_fault_parse(fault, &fc, err, sizeof(err)), 0);
		be = zk_fault_create(be, &fc);
		assert_non_null(be);
	}
	assert_int_equal(zk_router_add_backend(f->router, be, err, sizeof(err)), 0);
}

static void count_record(void *arg, const struct zk_pipeline_record *rec)
{
	struct fixture *f = arg;

	(void)rec;
	f->on_record_calls++;
}

static void make_pipeline(struct fixture *f, bool halt, unsigned workers)
{
	struct zk_pipeline_cfg pc = {
		.engine = f->engine, .markets = market_ids,
		.n_markets = N_MARKETS, .router = f->router, .log = f->log,
		.workers = workers, .queue_depth = 2,
		.workload = ZK_WORKLOAD_BATCH, .halt_on_unprovable = halt,
		.skip_gaps = true, .proof_cap = 1 << 16,
		.on_record = count_record, .arg = f,
	};
	char err[256];

	assert_int_equal(zk_prooflog_open(f->path, ZK_PROOFLOG_CREATE, NULL,
					  &f->log, NULL), 0);
	pc.log = f->log;
	f->pipe = zk_pipeline_create(&pc, err, sizeof(err));
	if (f->pipe == NULL)
		fail_msg("pipeline: %s", err);
}

/* 60 ops over both markets (places, crossing orders, cancels of unknown
 * ids), seq 1..30 then a gap, 41..70. Returns batches submitted. */
static void feed(struct fixture *f, bool expect_accept)
{
	uint64_t seq = 0, now = 1000;
	int i, refused = 0;

	for (i = 0; i < 60; i++) {
		struct zk_op op = { 0 };
		struct zk_batch *cut = NULL;

		seq = i < 30 ? (uint64_t)i + 1 : (uint64_t)i + 11;
		if (i == 30) {
			assert_int_equal(zk_batcher_gap(f->batcher, 31, 41, now, &cut), 0);
			if (cut != NULL) {
				f->batches_cut++;
				refused += zk_pipeline_submit(f->pipe, cut) != 0;
			}
		}
		op.seq = seq;
		op.market = 1 + (uint32_t)(i % 2);
		op.account = 1 + (uint64_t)(i % 5);
		if (i % 3 == 2) {
			op.type = ZK_OP_CANCEL;
			op.order_id = 100000 + (uint64_t)i; /* unknown id */
		} else {
			op.type = ZK_OP_NEW;
			op.order_id = (uint64_t)i + 1;
			op.side = i % 4 < 2 ? ZK_SIDE_BUY : ZK_SIDE_SELL;
			op.ord_type = ZK_ORD_LIMIT;
			op.tif = ZK_TIF_GTC;
			op.price = 500 + (i % 7);
			op.qty = 1 + (uint64_t)(i % 4);
		}
		assert_int_equal(zk_batcher_push(f->batcher, &op, now++, &cut), 0);
		if (cut != NULL) {
			f->batches_cut++;
			refused += zk_pipeline_submit(f->pipe, cut) != 0;
		}
	}
	{
		struct zk_batch *cut = NULL;

		assert_int_equal(zk_batcher_flush(f->batcher, now, &cut), 0);
		if (cut != NULL) {
			f->batches_cut++;
			refused += zk_pipeline_submit(f->pipe, cut) != 0;
		}
	}
	if (expect_accept)
		assert_int_equal(refused, 0);
}

struct log_summary {
	uint64_t proofs, unproven, skips, restarts, resyncs;
	uint64_t reason[ZK_UNPROVEN__MAX + 1];
	int chain_rc;
	char chain_msg[ZK_PROOFLOG_ERRLEN];
};

static void read_log(const char *path, struct log_summary *s)
{
	struct zk_prooflog_reader *rd;
	struct zk_prooflog_record rec;
	struct zk_prooflog_mchain mc;
	struct zk_prooflog_chain_result res;
	char err[256];
	int rc;

	memset(s, 0, sizeof(*s));
	assert_int_equal(zk_prooflog_reader_open(path, &rd, err, sizeof(err)), 0);
	zk_prooflog_mchain_init(&mc);
	while ((rc = zk_prooflog_reader_next(rd, &rec)) == 1) {
		if (s->chain_rc == 0 &&
		    zk_prooflog_mchain_step(&mc, &rec, &res) != ZK_CHAIN_OK) {
			s->chain_rc = 1;
			snprintf(s->chain_msg, sizeof(s->chain_msg), "%s",
				 res.message);
		}
		switch (rec.type) {
		case ZK_PROOFLOG_REC_PROOF:
			s->proofs++;
			assert_int_equal(rec.statement.params_id, HP_PARAMS);
			break;
		case ZK_PROOFLOG_REC_UNPROVEN:
			s->unproven++;
			assert_true(rec.unproven_reason >= 1 &&
				    rec.unproven_reason <= ZK_UNPROVEN__MAX);
			s->reason[rec.unproven_reason]++;
			assert_true(rec.unproven_text[0] != '\0');
			break;
		case ZK_PROOFLOG_REC_SKIP:
			s->skips++;
			assert_int_equal(rec.skip.first_seq, 31);
			assert_int_equal(rec.skip.last_seq, 40);
			break;
		case ZK_PROOFLOG_REC_RESTART:
			s->restarts++;
			break;
		case ZK_PROOFLOG_REC_RESYNC:
			s->resyncs++;
			break;
		}
	}
	assert_int_equal(rc, 0);
	zk_prooflog_reader_close(rd);
}

static void test_all_proven(void **state)
{
	struct fixture *f = *state;
	struct zk_pipeline_stats st;
	struct log_summary s;

	make_router(f, NULL);
	make_pipeline(f, false, 2);
	feed(f, true);
	assert_int_equal(zk_pipeline_finish(f->pipe), 0);
	zk_pipeline_get_stats(f->pipe, &st);
	assert_int_equal(st.batches, f->batches_cut);
	assert_true(st.parts >= st.batches); /* two markets per batch mostly */
	assert_int_equal(st.proven, st.parts);
	assert_int_equal(st.unproven_total, 0);
	assert_int_equal(st.skips, 1);
	assert_int_equal(st.records, st.parts + 1);
	assert_int_equal(st.durable_seq, st.records);
	assert_int_equal(st.by_backend[0], st.parts);
	assert_int_equal(f->on_record_calls, st.records);
	/* on_backlog = stall (the default): nothing is ever backlogged */
	assert_int_equal(st.backlog_batches, 0);
	assert_int_equal(st.part_ops, 60);
	assert_true(zk_pipeline_proof_latency(f->pipe, 50) > 0);
	read_log(f->path, &s);
	assert_int_equal(s.chain_rc, 0);
	assert_int_equal(s.proofs, st.parts);
	assert_int_equal(s.skips, 1);
	assert_int_equal(s.resyncs, 0);
}

static void test_unproven_keeps_chain(void **state)
{
	struct fixture *f = *state;
	struct zk_pipeline_stats st;
	struct log_summary s;

	make_router(f, "fail every=2");
	make_pipeline(f, false, 1);
	feed(f, true);
	assert_int_equal(zk_pipeline_finish(f->pipe), 0);
	zk_pipeline_get_stats(f->pipe, &st);
	assert_int_equal(st.proven + st.unproven_total, st.parts);
	assert_true(st.unproven_total > 0);
	assert_true(st.proven > 0);
	assert_int_equal(st.unproven[ZK_UNPROVEN_FAILED], st.unproven_total);
	read_log(f->path, &s);
	if (s.chain_rc != 0)
		fail_msg("chain: %s", s.chain_msg);
	assert_int_equal(s.proofs, st.proven);
	assert_int_equal(s.unproven, st.unproven_total);
	assert_int_equal(s.reason[ZK_UNPROVEN_FAILED], s.unproven);
}

static void test_halt_on_unprovable(void **state)
{
	struct fixture *f = *state;
	struct zk_pipeline_stats st;
	struct log_summary s;

	make_router(f, "fail calls=3..3");
	make_pipeline(f, true, 1);
	feed(f, false);
	assert_int_equal(zk_pipeline_finish(f->pipe), -1);
	assert_true(zk_pipeline_halted(f->pipe));
	zk_pipeline_get_stats(f->pipe, &st);
	assert_non_null(strstr(st.halt_reason, "on_unprovable = halt"));
	assert_int_equal(st.proven, 2); /* the two parts before the refused one */
	assert_int_equal(st.unproven_total, 0);
	read_log(f->path, &s);
	assert_int_equal(s.chain_rc, 0);
	assert_int_equal(s.proofs, 2);
	assert_int_equal(s.unproven, 0);
}

/* The record types the pipeline adds, through the library alone. */
static void test_log_records_and_restart(void **state)
{
	struct fixture *f = *state;
	struct zk_prooflog_mchain mc;
	struct zk_prooflog_record rec;
	struct zk_prooflog_chain_result res;
	struct zk_prooflog_reader *rd;
	struct zk_statement a = { .market = 1, .batch_seq = 1, .first_seq = 1,
				  .last_seq = 4 };
	struct zk_statement b = a;
	char text[400], err[256];
	int n = 0;

	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	a.new_root[0] = 7;
	b.batch_seq = 2;
	b.first_seq = 9;
	b.last_seq = 9;
	b.old_root[0] = 7;
	assert_int_equal(zk_prooflog_open(f->path, ZK_PROOFLOG_CREATE, NULL,
					  &f->log, NULL), 0);
	assert_int_equal(zk_prooflog_append_unproven(f->log, &a,
						     ZK_UNPROVEN_UNSUPPORTED,
						     text, NULL), 0);
	assert_int_equal(zk_prooflog_append_proof(f->log, &b, "p", 1, NULL), 0);
	assert_int_equal(zk_prooflog_append_restart(f->log, 12345, NULL), 0);
	/* after a restart market 1 starts again from batch 1 and op 1 */
	assert_int_equal(zk_prooflog_append_unproven(f->log, &a,
						     ZK_UNPROVEN_ABANDONED, "",
						     NULL), 0);
	/* and then the same ops again */
	assert_int_equal(zk_prooflog_append_unproven(f->log, &a, 2, "x", NULL), 0);
	assert_int_equal(zk_prooflog_close(f->log), 0);
	f->log = NULL;
	assert_int_equal(zk_prooflog_reader_open(f->path, &rd, err, sizeof(err)), 0);
	zk_prooflog_mchain_init(&mc);
	while (zk_prooflog_reader_next(rd, &rec) == 1) {
		enum zk_prooflog_chain_error e = zk_prooflog_mchain_step(&mc, &rec, &res);

		n++;
		if (n == 1) {
			assert_int_equal(rec.type, ZK_PROOFLOG_REC_UNPROVEN);
			assert_int_equal(strlen(rec.unproven_text), ZK_PROOFLOG_TEXT_MAX);
			assert_string_equal(zk_unproven_reason_name(rec.unproven_reason),
					    "unsupported");
		}
		if (n == 3) {
			assert_int_equal(rec.type, ZK_PROOFLOG_REC_RESTART);
			assert_int_equal(rec.restart_ns, 12345);
		}
		assert_int_equal(e, n == 5 ? ZK_CHAIN_SEQ_OVERLAP : ZK_CHAIN_OK);
	}
	assert_int_equal(n, 5);
	assert_int_equal(mc.restarts, 1);
	assert_int_equal(mc.proofs, 1);
	assert_int_equal(mc.unproven, 2);
	zk_prooflog_reader_close(rd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_all_proven, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unproven_keeps_chain, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_halt_on_unprovable, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_log_records_and_restart,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
