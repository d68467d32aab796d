/* SPDX-License-Identifier: MIT */
/*
 * [prover] on_backlog = skip without DPDK: a slow prover behind a commit
 * input of one batch, a real engine and batcher. Submit never waits; the
 * batches it could not take are accounted, closed by a resync (the
 * market's tree rebuilt from a snapshot of its book) and logged as
 * unproven ranges. Checked against the log as read back: the per-market
 * chains hold across every resync, every op fed is covered exactly once
 * by a proof or a resync range, and each market's chain ends at the root
 * of its final book. Also: the book snapshot round trip, and the resync
 * record's chain rules and tamper cases.
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
#include "zkclob/book_snapshot.h"
#include "zkclob/engine.h"
#include "zkclob/pipeline.h"
#include "zkclob/prooflog.h"
#include "zkclob/router.h"
#include "zkclob/statetree.h"

#define N_MARKETS 2
#define N_OPS 420
#define GAP_AT 200   /* ops from here on have seq + GAP_LEN */
#define GAP_LEN 10

static const struct zk_market_params markets[N_MARKETS] = {
	{ .market = 1, .tick = 1, .lot = 1, .min_price = 1, .max_price = 1000,
	  .max_qty = 1000, .stp = ZK_STP_CANCEL_NEWEST, .max_orders = 64,
	  .max_levels = 32 },
	{ .market = 2, .tick = 1, .lot = 1, .min_price = 1, .max_price = 1000,
	  .max_qty = 1000, .stp = ZK_STP_CANCEL_NEWEST, .max_orders = 64,
	  .max_levels = 32 },
};
static const uint32_t market_ids[N_MARKETS] = { 1, 2 };

/* A mix that rests, crosses, cancels live and unknown ids. */
static void make_op(int i, struct zk_op *op)
{
	memset(op, 0, sizeof(*op));
	op->seq = (uint64_t)i + 1 + (i >= GAP_AT ? GAP_LEN : 0);
	op->market = 1 + (uint32_t)(i % 2);
	op->account = 1 + (uint64_t)(i % 5);
	if (i % 4 == 3) {
		op->type = ZK_OP_CANCEL;
		/* half of them name an earlier order of this market (op i - 2,
		 * live unless it traded away), half an unknown id */
		if (i % 8 == 3) {
			op->order_id = (uint64_t)i - 1;
			op->account = 1 + (uint64_t)((i - 2) % 5);
		} else {
			op->order_id = 100000 + (uint64_t)i;
		}
	} else {
		op->type = ZK_OP_NEW;
		op->order_id = (uint64_t)i + 1;
		op->side = i % 3 == 0 ? ZK_SIDE_BUY : ZK_SIDE_SELL;
		op->ord_type = ZK_ORD_LIMIT;
		op->tif = ZK_TIF_GTC;
		op->price = 495 + (i % 11);
		op->qty = 1 + (uint64_t)(i % 4);
	}
}

static void test_snapshot_roundtrip(void **state)
{
	struct zk_engine *e = zk_engine_create(markets, N_MARKETS), *copy;
	struct zk_event_buf ev_a = { 0 }, ev_b = { 0 };
	struct zk_book_snapshot *snap;
	struct zk_st_tree *ta, *tb;
	uint8_t ra[ZK_ST_ROOT_SIZE], rb[ZK_ST_ROOT_SIZE];
	uint32_t kind, slot;
	int i;

	(void)state;
	assert_non_null(e);
	for (i = 0; i < 200; i++) {
		struct zk_op op;

		make_op(i, &op);
		assert_true(zk_engine_apply(e, &op, &ev_a) >= 1);
	}
	snap = zk_book_snapshot_take(e, 1);
	assert_non_null(snap);
	assert_int_equal(zk_book_snapshot_market(snap), 1);
	copy = zk_book_snapshot_engine(snap);
	assert_non_null(copy);
	zk_book_snapshot_free(snap);
	for (kind = ZK_SLOT_HEADER; kind <= ZK_SLOT_BUCKET; kind++) {
		assert_int_equal(zk_engine_slot_count(copy, 1, kind),
				 zk_engine_slot_count(e, 1, kind));
		for (slot = 0; slot < zk_engine_slot_count(e, 1, kind); slot++) {
			union zk_slot_value a, b;

			assert_int_equal(zk_engine_slot_get(e, 1, kind, slot, &a), 0);
			assert_int_equal(zk_engine_slot_get(copy, 1, kind, slot, &b), 0);
			assert_memory_equal(&a, &b, sizeof(a));
		}
	}
	ta = zk_st_create(e, 1, 4);
	tb = zk_st_create(copy, 1, 4);
	assert_non_null(ta);
	assert_non_null(tb);
	zk_st_root(ta, ra);
	zk_st_root(tb, rb);
	assert_memory_equal(ra, rb, sizeof(ra));
	zk_st_destroy(ta);
	zk_st_destroy(tb);
	/* the rebuilt acceleration index matches too: the same further ops
	 * (crossing the resting levels) give the same events */
	ev_a.len = 0;
	for (i = 200; i < 400; i += 2) {
		struct zk_op op;

		make_op(i, &op);
		assert_true(zk_engine_apply(e, &op, &ev_a) >= 1);
		assert_true(zk_engine_apply(copy, &op, &ev_b) >= 1);
	}
	assert_int_equal(ev_a.len, ev_b.len);
	assert_memory_equal(ev_a.ev, ev_b.ev, ev_a.len * sizeof(*ev_a.ev));
	zk_event_buf_free(&ev_a);
	zk_event_buf_free(&ev_b);
	zk_engine_destroy(copy);
	/* an unknown market is refused, not copied */
	errno = 0;
	assert_null(zk_book_snapshot_take(e, 99));
	assert_int_equal(errno, EINVAL);
	zk_engine_destroy(e);
}

/*
 * A backend that reads what a real CLOB backend reads of its witness —
 * the state tree's layout the part was committed against — before the
 * slow hashproof it wraps proves. A resync must not free a tree that
 * parts committed before it still point into (caught here by the
 * check, by MALLOC_PERTURB_ under meson test, and by ASan).
 */
static enum zk_be_status layout_prove(void *ctx, const struct zk_statement *st,
				      const struct zk_batch *w,
				      uint64_t deadline_ns, struct zk_proof *out,
				      char *reason, size_t reason_len)
{
	const struct zk_st_layout *lay = w ? w->tree_layout : NULL;

	if (lay == NULL || lay->market != st->market || lay->arity != 4 ||
	    lay->count[ZK_SLOT_ORDER] != markets[0].max_orders ||
	    lay->count[ZK_SLOT_LEVEL] != markets[0].max_levels) {
		snprintf(reason, reason_len, "the part's tree layout is gone");
		return ZK_BE_FAILED;
	}
	return zk_backend_prove(ctx, st, w, deadline_ns, out, reason,
				reason_len);
}

static enum zk_verdict layout_verify(void *ctx, const struct zk_statement *st,
				     const uint8_t *proof, size_t len,
				     uint64_t deadline_ns, char *reason,
				     size_t reason_len)
{
	return zk_backend_verify(ctx, st, proof, len, deadline_ns, reason,
				 reason_len);
}

static void layout_describe(void *ctx, struct zk_backend_info *info)
{
	*info = *zk_backend_info(ctx);
	snprintf(info->name, sizeof(info->name), "layout-check");
}

static enum zk_health layout_health(void *ctx, char *reason, size_t len)
{
	(void)ctx;
	(void)reason;
	(void)len;
	return ZK_HEALTH_OK;
}

static void layout_destroy(void *ctx)
{
	zk_backend_destroy(ctx);
}

static const struct zk_backend_ops layout_ops = {
	.prove = layout_prove, .verify = layout_verify,
	.describe = layout_describe, .health = layout_health,
	.destroy = layout_destroy,
};

struct fixture {
	char path[64];
	struct zk_engine *engine;
	struct zk_batcher *batcher;
	struct zk_router *router;
	struct zk_prooflog *log;
	struct zk_pipeline *pipe;
	uint64_t delivered;
	int backlogged, queued;
};

static void submit(struct fixture *f, struct zk_batch *cut)
{
	int rc;

	if (cut == NULL)
		return;
	f->delivered += cut->n_ops;
	rc = zk_pipeline_submit_ex(f->pipe, cut, NULL,
				   f->delivered == zk_batcher_ops(f->batcher));
	assert_true(rc == 0 || rc == 1);
	f->backlogged += rc == 1;
	f->queued += rc == 0;
}

static void run_skip_pipeline(struct fixture *f)
{
	struct zk_batch_cfg bc = { .max_ops = 7, .witness = true };
	struct zk_hashproof_cfg hc = { .params_id = 0x00ff0001u };
	struct zk_router_cfg rc;
	struct zk_fault_cfg fc;
	struct zk_backend *be;
	struct zk_pipeline_cfg pc = {
		.markets = market_ids, .n_markets = N_MARKETS, .workers = 1,
		.queue_depth = 2, .workload = ZK_WORKLOAD_BATCH,
		.skip_gaps = true, .skip_on_backlog = true,
		.proof_cap = 1 << 16,
	};
	struct zk_batch *cut;
	char err[256];
	int fd, i;

	snprintf(f->path, sizeof(f->path), "/tmp/zk_backlog_XXXXXX");
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	close(fd);
	unlink(f->path);
	f->engine = zk_engine_create(markets, N_MARKETS);
	assert_non_null(f->engine);
	f->batcher = zk_batcher_create(f->engine, &bc);
	assert_non_null(f->batcher);
	zk_router_config_default(&rc);
	rc.test_backends = true;
	rc.max_retries = 0;
	f->router = zk_router_create(&rc, NULL, err, sizeof(err));
	assert_non_null(f->router);
	be = zk_hashproof_create(&hc);
	assert_non_null(be);
	/* a prover far slower than matching: the backlog is certain */
	assert_int_equal(zk_fault_parse("slow=3000", &fc, err, sizeof(err)), 0);
	be = zk_fault_create(be, &fc);
	assert_non_null(be);
	be = zk_backend_create(&layout_ops, be);
	assert_non_null(be);
	assert_int_equal(zk_router_add_backend(f->router, be, err, sizeof(err)), 0);
	assert_int_equal(zk_prooflog_open(f->path, ZK_PROOFLOG_CREATE, NULL,
					  &f->log, NULL), 0);
	pc.engine = f->engine;
	pc.router = f->router;
	pc.log = f->log;
	f->pipe = zk_pipeline_create(&pc, err, sizeof(err));
	if (f->pipe == NULL)
		fail_msg("pipeline: %s", err);
	for (i = 0; i < N_OPS; i++) {
		struct zk_op op;

		make_op(i, &op);
		if (i == GAP_AT) {
			assert_int_equal(zk_batcher_gap(f->batcher, op.seq - GAP_LEN,
							op.seq, 1000, &cut), 0);
			submit(f, cut);
		}
		assert_int_equal(zk_batcher_push(f->batcher, &op, 1000, &cut), 0);
		submit(f, cut);
		/* now and then let the prover catch up, so backlogs close in
		 * mid-stream and proven batches follow them (the checks hold
		 * however the timing falls) */
		if (i % 100 == 99)
			usleep(60 * 1000);
	}
	assert_int_equal(zk_batcher_flush(f->batcher, 1000, &cut), 0);
	submit(f, cut);
	assert_int_equal(zk_pipeline_finish(f->pipe), 0);
}

static void fixture_free(struct fixture *f)
{
	zk_pipeline_destroy(f->pipe);
	zk_prooflog_close(f->log);
	zk_router_destroy(f->router);
	zk_batcher_destroy(f->batcher);
	zk_engine_destroy(f->engine);
	unlink(f->path);
}

/* mchain over `first` then `r`: r's verdict. */
static enum zk_prooflog_chain_error
step_after(const struct zk_prooflog_record *first,
	   const struct zk_prooflog_record *r)
{
	struct zk_prooflog_mchain mc;
	struct zk_prooflog_chain_result res;

	zk_prooflog_mchain_init(&mc);
	assert_int_equal(zk_prooflog_mchain_step(&mc, first, &res), ZK_CHAIN_OK);
	return zk_prooflog_mchain_step(&mc, r, &res);
}

struct span {
	uint32_t market;
	uint64_t first, last;
};

static void test_skip_never_stalls(void **state)
{
	struct fixture f = { 0 };
	struct zk_pipeline_stats st;
	struct zk_prooflog_reader *rd;
	struct zk_prooflog_record rec;
	struct zk_prooflog_mchain mc;
	struct zk_prooflog_chain_result res;
	static struct span spans[4 * N_OPS];
	uint8_t last_root[N_MARKETS][ZK_ROOT_SIZE];
	size_t n_spans = 0, k;
	uint64_t skips = 0, resyncs = 0, resync_ops = 0;
	char err[256];
	int i, m, rc;

	(void)state;
	run_skip_pipeline(&f);
	zk_pipeline_get_stats(f.pipe, &st);
	print_message("%d batches queued, %d backlogged (%" PRIu64 " ops) in %"
		      PRIu64 " ranges, %" PRIu64 " parts proven, %" PRIu64
		      " resync records\n", f.queued, f.backlogged, st.backlog_ops,
		      st.backlog_ranges, st.proven, st.resync_records);
	/* matching never waited for the prover, and it was behind */
	assert_int_equal(st.submit_waits, 0);
	assert_true(st.backlog_batches > 0);
	assert_int_equal(st.backlog_batches, (uint64_t)f.backlogged);
	assert_true(st.proven > 0);
	/* every committed part proved: none found its tree freed */
	assert_int_equal(st.unproven_total, 0);
	assert_true(st.backlog_ranges >= 1);
	/* every op applied is in a committed part or in the backlog */
	assert_int_equal(st.part_ops + st.backlog_ops, N_OPS);
	assert_int_equal(st.resync_ops, st.backlog_ops);
	assert_false(st.halted);

	assert_int_equal(zk_prooflog_reader_open(f.path, &rd, err, sizeof(err)), 0);
	zk_prooflog_mchain_init(&mc);
	memset(last_root, 0, sizeof(last_root));
	while ((rc = zk_prooflog_reader_next(rd, &rec)) == 1) {
		if (zk_prooflog_mchain_step(&mc, &rec, &res) != ZK_CHAIN_OK)
			fail_msg("chain: %s", res.message);
		m = -1;
		if (rec.type == ZK_PROOFLOG_REC_PROOF) {
			m = (int)rec.statement.market - 1;
			spans[n_spans++] = (struct span){ rec.statement.market,
				rec.statement.first_seq, rec.statement.last_seq };
			memcpy(last_root[m], rec.statement.new_root, ZK_ROOT_SIZE);
		} else if (rec.type == ZK_PROOFLOG_REC_RESYNC) {
			m = (int)rec.resync.market - 1;
			assert_int_equal(rec.resync.reason, ZK_UNPROVEN_BACKLOG);
			spans[n_spans++] = (struct span){ rec.resync.market,
				rec.resync.first_seq, rec.resync.last_seq };
			memcpy(last_root[m], rec.resync.new_root, ZK_ROOT_SIZE);
			resyncs++;
			resync_ops += rec.resync.ops;
		} else if (rec.type == ZK_PROOFLOG_REC_SKIP) {
			assert_int_equal(rec.skip.first_seq, GAP_AT + 1);
			assert_int_equal(rec.skip.last_seq, GAP_AT + GAP_LEN);
			skips++;
		} else {
			fail_msg("unexpected record type %d", rec.type);
		}
		assert_true(m == -1 || (m >= 0 && m < N_MARKETS));
	}
	assert_int_equal(rc, 0);
	zk_prooflog_reader_close(rd);
	assert_int_equal(skips, 1);
	assert_int_equal(resyncs, st.resync_records);
	assert_int_equal(resync_ops, st.backlog_ops);
	assert_int_equal(mc.resyncs, resyncs);
	/* every op fed lies in exactly one proof or resync range of its
	 * market */
	for (i = 0; i < N_OPS; i++) {
		struct zk_op op;
		int hits = 0;

		make_op(i, &op);
		for (k = 0; k < n_spans; k++)
			hits += spans[k].market == op.market &&
				spans[k].first <= op.seq && op.seq <= spans[k].last;
		if (hits != 1)
			fail_msg("op seq %" PRIu64 " (market %" PRIu32 ") is in %d "
				 "logged ranges", op.seq, op.market, hits);
	}
	/* each market's chain ends at its final book */
	for (m = 0; m < N_MARKETS; m++) {
		struct zk_st_tree *t = zk_st_create(f.engine, market_ids[m], 4);
		uint8_t root[ZK_ST_ROOT_SIZE];

		assert_non_null(t);
		zk_st_root(t, root);
		assert_memory_equal(root, last_root[m], ZK_ROOT_SIZE);
		zk_st_destroy(t);
	}
	fixture_free(&f);
}

/* A resync record through the library: it chains like a statement with
 * no batch seq of its own, the next statement must start at its root, and
 * each of its fields is checked. */
static void test_resync_record_rules(void **state)
{
	char path[64] = "/tmp/zk_resync_XXXXXX";
	struct zk_statement a = { .market = 1, .batch_seq = 1, .first_seq = 1,
				  .last_seq = 4 };
	struct zk_statement b = { .market = 1, .batch_seq = 2, .first_seq = 12,
				  .last_seq = 14 };
	struct zk_prooflog_resync rs = {
		.market = 1, .reason = ZK_UNPROVEN_BACKLOG, .first_seq = 5,
		.last_seq = 9, .ops = 3, .batches = 2, .last_batch_seq = 1,
	};
	struct zk_prooflog *log;
	struct zk_prooflog_reader *rd;
	struct zk_prooflog_record rec[3], bad;
	struct zk_prooflog_mchain mc;
	struct zk_prooflog_chain_result res;
	char err[256];
	long resync_off;
	FILE *fp;
	int fd, n = 0;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	a.new_root[0] = 7;
	rs.new_root[0] = 9;
	b.old_root[0] = 9;
	assert_int_equal(zk_prooflog_open(path, ZK_PROOFLOG_CREATE, NULL, &log,
					  NULL), 0);
	assert_int_equal(zk_prooflog_append_proof(log, &a, "p", 1, NULL), 0);
	assert_int_equal(zk_prooflog_append_resync(log, &rs, NULL), 0);
	assert_int_equal(zk_prooflog_append_proof(log, &b, "q", 1, NULL), 0);
	/* nothing to resync is refused */
	bad.resync = rs;
	bad.resync.ops = 0;
	assert_int_equal(zk_prooflog_append_resync(log, &bad.resync, NULL), -EINVAL);
	bad.resync = rs;
	bad.resync.first_seq = 10;
	assert_int_equal(zk_prooflog_append_resync(log, &bad.resync, NULL), -EINVAL);
	assert_int_equal(zk_prooflog_close(log), 0);

	assert_int_equal(zk_prooflog_reader_open(path, &rd, err, sizeof(err)), 0);
	zk_prooflog_mchain_init(&mc);
	while (n < 3 && zk_prooflog_reader_next(rd, &rec[n]) == 1) {
		assert_int_equal(zk_prooflog_mchain_step(&mc, &rec[n], &res),
				 ZK_CHAIN_OK);
		n++;
	}
	zk_prooflog_reader_close(rd);
	assert_int_equal(n, 3);
	assert_int_equal(rec[1].type, ZK_PROOFLOG_REC_RESYNC);
	assert_memory_equal(&rec[1].resync, &rs, sizeof(rs));
	resync_off = (long)rec[1].offset;
	assert_int_equal(mc.resyncs, 1);
	assert_int_equal(mc.resync_ops, 3);
	assert_int_equal(mc.resync_batches, 2);
	assert_int_equal(mc.proofs, 2);

	/* a resync that claims a batch seq the chain is not at */
	bad = rec[1];
	bad.resync.last_batch_seq = 0;
	assert_int_equal(step_after(&rec[0], &bad), ZK_CHAIN_RESYNC_BATCH_SEQ);
	/* one that covers ops already proven */
	bad = rec[1];
	bad.resync.first_seq = 4;
	assert_int_equal(step_after(&rec[0], &bad), ZK_CHAIN_SEQ_OVERLAP);
	bad = rec[1];
	bad.resync.first_seq = 10;
	assert_int_equal(step_after(&rec[0], &bad), ZK_CHAIN_BAD_RANGE);
	/* the statement after it must start from the resync's root, not from
	 * the last proof's */
	zk_prooflog_mchain_init(&mc);
	assert_int_equal(zk_prooflog_mchain_step(&mc, &rec[0], &res), ZK_CHAIN_OK);
	bad = rec[1];
	bad.resync.new_root[0] = 8;
	assert_int_equal(zk_prooflog_mchain_step(&mc, &bad, &res), ZK_CHAIN_OK);
	assert_int_equal(zk_prooflog_mchain_step(&mc, &rec[2], &res),
			 ZK_CHAIN_ROOT_MISMATCH);
	/* and from the batch seq after the resync's last one */
	zk_prooflog_mchain_init(&mc);
	assert_int_equal(zk_prooflog_mchain_step(&mc, &rec[0], &res), ZK_CHAIN_OK);
	assert_int_equal(zk_prooflog_mchain_step(&mc, &rec[1], &res), ZK_CHAIN_OK);
	bad = rec[2];
	bad.statement.batch_seq = 3;
	assert_int_equal(zk_prooflog_mchain_step(&mc, &bad, &res),
			 ZK_CHAIN_BATCH_SEQ);

	/* a flipped byte in the resync's root (a record in the middle) is
	 * damage the reader reports, never a different root */
	fp = fopen(path, "r+b");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, resync_off + 32 + 48, SEEK_SET), 0);
	assert_int_equal(fputc(9 ^ 0x40, fp), 9 ^ 0x40);
	fclose(fp);
	assert_int_equal(zk_prooflog_reader_open(path, &rd, err, sizeof(err)), 0);
	assert_int_equal(zk_prooflog_reader_next(rd, &rec[0]), 1);
	assert_int_equal(zk_prooflog_reader_next(rd, &rec[1]), -EBADMSG);
	zk_prooflog_reader_close(rd);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snapshot_roundtrip),
		cmocka_unit_test(test_skip_never_stalls),
		cmocka_unit_test(test_resync_record_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
