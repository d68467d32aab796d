/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR benchmark: batches of 64 / 256 / 1024 ops.
 *  (a) supported traffic (what zk_clob_prove accepts today: a third each
 *      of malformed ops, market-rule rejects and cancels of unknown ids
 *      against a 30-order book): prove time,
 *      verify time, proof size, proven ops/s, and beside them the time to
 *      LDE + Merkle-commit the same main trace once (the baseline measured
 *      in the same run; prove ÷ baseline is the distance to the proof
 *      system's own limit);
 *  (c) book-changing traffic zk_clob_prove accepts: reduces and full
 *      cancels of resting orders, limit GTC NEWs that rest and limit
 *      IOC / FOK NEWs that find nothing to cross, one-lot IOC / market
 *      takers filled by the best head order, mixed with rejects, the
 *      same figures;
 *  (d) fills that empty their maker: per 4 ops a one-lot limit GTC SELL
 *      rests at a fresh level, a market BUY takes it, a one-lot BUY
 *      rests, a limit IOC SELL takes it (each removal frees the level);
 *  (e) GTC takers that rest and FOK fills: per 4 ops a one-lot GTC SELL
 *      rests at a fresh price, a two-lot GTC BUY there empties it and
 *      rests one lot, a two-lot GTC SELL empties that and rests one lot,
 *      a one-lot FOK BUY takes it (every fill frees its level);
 *  (f) the matching loop: per 8 ops five one-lot GTC SELLs rest over two
 *      fresh levels, a five-lot market BUY sweeps them (five fills, two
 *      levels freed), a SELL rests and a two-lot IOC BUY takes it and
 *      cancels the rest (the side is empty);
 *  (b) book traffic (resting GTC, cancels, crosses) through the test-only
 *      machinery variant (memory checking + Merkle, no op rules): the rows
 *      per access, per touched slot and per tree node that the full AIR
 *      will pay, and the same prove ÷ LDE+commit ratio.
 * With --verify-loop N only (a) and (d) at 256 ops are proved, once each,
 * and each proof is verified N times: CPU time per verify beside the CPU
 * time to BLAKE2s-hash its opened main rows alone (one leaf per query
 * position, the library hash), the two interleaved so that both see the
 * same load; verify ÷ that baseline is the figure to compare across runs.
 * --compact proves under the compact set instead of the fast one.
 * --x4 both: each batch of (a) and (c)..(f) is proven twice more, with
 * the CLOB AIR's four-row evaluator on and off (zk_clob_air_x4_enable;
 * which goes first alternates), both the first proof's bytes: the two
 * times and their ratio.
 * Usage: bench_clob [--quick] [--threads N] [--verify-loop N [--compact]]
 *                   [--x4 both]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "clob_air.h"
#include "clob_test_util.h"
#include "merkle.h"
#include "ntt.h"
#include "params.h"
#include "stark.h"
#include "zkclob/clobproof.h"

static unsigned n_threads = 2;
static unsigned n_constraints; /* the AIR's, from the first baseline */
static unsigned verify_loop; /* --verify-loop N: verifications per proof */
static int x4_both;          /* --x4 both: x4 on and off in the same run */

/* The opened main rows' leaf hashes alone: n_queries rows of CLOB_WIDTH. */
static double leaf_hash_cpu(const struct zk_stark_params *p, const zk_gl *rows,
			    struct zk_digest *sink)
{
	struct zk_hasher *h = zk_hasher_new(p->hash);
	double t0;

	if (h == NULL)
		exit(1);
	t0 = cpu_now();
	for (unsigned q = 0; q < p->n_queries; q++)
		if (zk_hasher_leaf(h, rows + (size_t)q * CLOB_WIDTH, CLOB_WIDTH,
				   &sink[q]) != 0)
			exit(1);
	t0 = cpu_now() - t0;
	zk_hasher_free(h);
	return t0;
}

/* Verify one proof verify_loop times, each beside one baseline hash. */
static void verify_loop_run(char traffic, const struct zk_batch *b,
			    const struct zk_statement *st,
			    const struct zk_stark_params *p,
			    const uint8_t *proof, size_t len)
{
	size_t n_rows = (size_t)p->n_queries * CLOB_WIDTH;
	zk_gl *rows = malloc(n_rows * sizeof(*rows));
	struct zk_digest *sink = malloc(p->n_queries * sizeof(*sink));
	double tv = 0.0, tb = 0.0, t0;
	char err[256] = "";

	if (rows == NULL || sink == NULL)
		exit(1);
	for (size_t i = 0; i < n_rows; i++)
		rows[i] = (0x9e3779b97f4a7c15ull * (i + 1)) % ZK_GL_P;
	for (unsigned k = 0; k < verify_loop; k++) {
		t0 = cpu_now();
		if (zk_clob_verify(st, b->ops, b->n_ops, b->events.ev,
				   b->events.len, &clob_test_market, p->id,
				   proof, len, err, sizeof(err)) != 0) {
			fprintf(stderr, "bench_clob: verify: %s\n", err);
			exit(1);
		}
		tv += cpu_now() - t0;
		tb += leaf_hash_cpu(p, rows, sink);
	}
	printf("(%c) %-7s %5zu ops  verify x%u: %7.3f ms CPU each  "
	       "leaf-hash %u x %d baseline %6.3f ms  (x%.2f)\n",
	       traffic, p->name, b->n_ops, verify_loop, tv * 1e3 / verify_loop,
	       p->n_queries, CLOB_WIDTH, tb * 1e3 / verify_loop,
	       tb > 0 ? tv / tb : 0.0);
	printf("(%c) %-7s %5zu ops  proof %zu bytes\n", traffic, p->name,
	       b->n_ops, len);
	free(sink);
	free(rows);
}

/*
 * --x4 both: the batch committed to `tree` (the book before it) and
 * proven with eval_main_x4 on and off, the order alternating between
 * calls; both proofs must be `ref`'s bytes.
 */
static void x4_compare(const struct zk_batch *batch, struct zk_st_tree *tree,
		       const struct zk_clob_prove_opts *o, const uint8_t *ref,
		       size_t ref_len)
{
	static unsigned calls;
	struct zk_batch b = *batch;
	struct zk_st_update u = { 0 };
	struct zk_statement st;
	char err[256] = "";
	double t[2], cpu[2];

	if (tree == NULL ||
	    zk_clob_commit(&b, tree, &u, &st, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench_clob: x4 commit: %s\n", err);
		exit(1);
	}
	for (unsigned j = 0; j < 2; j++) {
		unsigned x4 = (j + calls) % 2;
		uint8_t *proof = NULL;
		size_t len = 0;
		double t0, c0;
		int rc;

		zk_clob_air_x4_enable((int)x4);
		c0 = cpu_now();
		t0 = now();
		rc = zk_clob_prove_committed(&b, o, &st, &proof, &len, err,
					     sizeof(err));
		t[x4] = now() - t0;
		cpu[x4] = cpu_now() - c0;
		zk_clob_air_x4_enable(1);
		if (rc != 0 || len != ref_len || memcmp(proof, ref, len) != 0) {
			fprintf(stderr, "bench_clob: x4 %s: %s\n",
				x4 ? "on" : "off",
				rc ? err : "not the same proof bytes");
			exit(1);
		}
		free(proof);
	}
	calls++;
	zk_st_update_free(&u);
	printf("      x4 on %8.1f ms  off %8.1f ms  (on / off %.2f); CPU "
	       "(both threads) on %8.1f ms  off %8.1f ms  (%.2f); the same "
	       "proof bytes\n", t[1] * 1e3, t[0] * 1e3, t[1] / t[0],
	       cpu[1] * 1e3, cpu[0] * 1e3, cpu[1] / cpu[0]);
}

/* Rebuild the trace of an already applied batch for the baseline. */
static double baseline(const struct zk_batch *b, const struct zk_st_update *u,
		       const struct zk_st_layout *lay,
		       const struct zk_statement *st, int machinery,
		       const struct zk_stark_params *p, unsigned *log_n)
{
	struct zk_clob_air *c = malloc(sizeof(*c));
	char err[256];
	zk_gl **cols;
	double t = -1.0;

	if (c == NULL)
		return -1.0;
	if (zk_clob_air_init(c, lay, &clob_test_market, st, b->ops, b->n_ops,
			     b->events.ev, b->events.len, machinery, err,
			     sizeof(err)) == 0 &&
	    zk_clob_trace_build(c, b, u, n_threads, &cols, log_n, err,
				sizeof(err)) == 0) {
		t = bench_lde_commit(cols, CLOB_WIDTH, *log_n, p, n_threads,
				     NULL);
		if (!machinery)
			n_constraints = c->air.n_main_constraints;
		zk_clob_trace_free(cols);
	}
	free(c);
	return t;
}

/* The resting book of traffic (c): 60 orders of 50,000 lots, three on each
 * of 20 levels (order i: side i % 2, level i / 2 % 10), so every reduce by
 * one lot leaves them resting and cancels in id order empty levels. */
static void rest_for_reduces(struct clob_rig *r, struct zk_op *ops)
{
	struct zk_st_update u = { 0 };
	struct zk_batch *b;

	for (size_t i = 0; i < 60; i++)
		ops[i] = (struct zk_op){
			.seq = r->seq++, .order_id = 1 + i, .account = 1 + i % 4,
			.price = (i % 2 ? 5000 : 500) + 5 * (int64_t)(i / 2 % 10),
			.qty = 50000, .market = clob_test_market.market,
			.type = ZK_OP_NEW,
			.side = i % 2 ? ZK_SIDE_SELL : ZK_SIDE_BUY,
			.ord_type = ZK_ORD_LIMIT, .tif = ZK_TIF_GTC };
	b = clob_rig_batch(r, ops, 60);
	if (b == NULL || zk_st_apply_witness(r->t, &b->witness, &u) != 0)
		exit(1);
	zk_st_update_free(&u);
	zk_batch_free(b);
}

/*
 * Proven traffic through zk_clob_prove:
 *  (a) rejects only (a third each of malformed ops, market-rule rejects
 *      and cancels of unknown ids against a 30-order book);
 *  (c) book-changing: per 8 ops three reduces of resting orders (each
 *      remaining := remaining - one lot), one taker: a limit IOC BUY or
 *      FOK SELL that finds nothing to cross (ACCEPTED, CANCELLED) or,
 *      every other pair of 8, a one-lot market BUY or limit IOC SELL
 *      filled by the best opposite head order (ACCEPTED, TRADE, DONE),
 *      one limit GTC NEW of 1,000 that rests
 *      (at a live level, or at one the cancels freed: level_create; once
 *      the order slots run out, BOOK_FULL), one full cancel of a resting
 *      order in id order (the third of a level frees it; a reduce once
 *      only 8 orders are left), a cancel of an unknown id and a malformed
 *      op.
 */
static void bench_proven(size_t n_ops, const struct zk_stark_params *p,
			 int reduces)
{
	struct clob_rig r;
	struct zk_op *ops = malloc((n_ops + 64) * sizeof(*ops));
	uint64_t *left = calloc(61, sizeof(*left));
	size_t n_cancels = 0, n_rests = 0, n_takers = 0, n_trades = 0;
	struct zk_batch *b;
	struct zk_statement st;
	struct zk_clob_prove_opts o = { .market = &clob_test_market,
					.stark_params = p->id,
					.threads = n_threads };
	struct zk_st_update u = { 0 };
	struct zk_st_tree *twin, *twin_x4 = NULL;
	uint8_t *proof = NULL;
	size_t len = 0;
	char err[256] = "";
	double t0, tp, tv, tb;
	unsigned log_n = 0;

	if (ops == NULL || left == NULL || clob_rig_init(&r, 100000) != 0) {
		fprintf(stderr, "bench_clob: set-up failed\n");
		exit(1);
	}
	if (reduces == 1) {
		rest_for_reduces(&r, ops);
	} else if (reduces == 0) {
		for (size_t i = 0; i < 30; i++)
			ops[i] = clob_book_op(&r, i);
		b = clob_rig_batch(&r, ops, 30);
		if (b == NULL || zk_st_apply_witness(r.t, &b->witness, &u) != 0)
			exit(1);
		zk_batch_free(b);
		zk_st_update_free(&u);
		memset(&u, 0, sizeof(u));
	}
	/* the book before the batch, for the baseline's trace */
	twin = zk_st_create(r.e, clob_test_market.market, 4);
	if (x4_both)
		twin_x4 = zk_st_create(r.e, clob_test_market.market, 4);
	for (size_t i = 0; i < 61; i++)
		left[i] = 50000;
	for (size_t i = 0; i < n_ops; i++) {
		if (reduces == 2) {
			/* (d): a one-order level rests, a taker empties it */
			int rest = i % 2 == 0, sell = i % 4 < 2;
			int64_t lv = 5 * (int64_t)(i / 4 % 8);

			n_trades += !rest;
			ops[i] = (struct zk_op){
				.seq = r.seq++, .order_id = 8000000 + i,
				.account = rest ? 1 : 2,
				.price = rest ? (sell ? 5000 : 500) + lv :
					 sell ? 0 : 100,
				.qty = clob_test_market.lot,
				.market = clob_test_market.market,
				.type = ZK_OP_NEW,
				.side = sell == rest ? ZK_SIDE_SELL :
						       ZK_SIDE_BUY,
				.ord_type = !rest && sell ? ZK_ORD_MARKET :
							    ZK_ORD_LIMIT,
				.tif = rest ? ZK_TIF_GTC : ZK_TIF_IOC };
			continue;
		}
		if (reduces == 4) {
			/* (f): per 8 ops five one-lot SELLs rest (three at
			 * a fresh price, two 5 above), a market BUY of five
			 * lots sweeps them (five fills, two levels freed), a
			 * SELL rests again and a two-lot IOC BUY takes it,
			 * then finds the side empty (IOC_REMAINDER) */
			size_t k = i % 8;
			int64_t price = 5000 + 10 * (int64_t)(i / 8 % 8);
			int taker = k == 5 || k == 7;

			n_trades += taker;
			ops[i] = (struct zk_op){
				.seq = r.seq++, .order_id = 9500000 + i,
				.account = taker ? 9 : 1 + k % 3,
				.price = k == 5 ? 0 :
					 price + (k == 3 || k == 4 || k == 7 ?
							  5 : 0),
				.qty = (k == 5 ? 5 : k == 7 ? 2 : 1) *
				       clob_test_market.lot,
				.market = clob_test_market.market,
				.type = ZK_OP_NEW,
				.side = taker ? ZK_SIDE_BUY : ZK_SIDE_SELL,
				.ord_type = k == 5 ? ZK_ORD_MARKET :
						     ZK_ORD_LIMIT,
				.tif = taker ? ZK_TIF_IOC : ZK_TIF_GTC };
			continue;
		}
		if (reduces == 3) {
			/* (e): a rest, two GTC takers that empty the
			 * level and rest the rest, a FOK that empties it */
			size_t k = i % 4;
			int64_t price = 5000 + 5 * (int64_t)(i / 4 % 8);

			n_trades += k != 0;
			ops[i] = (struct zk_op){
				.seq = r.seq++, .order_id = 9000000 + i,
				.account = 1 + k, .price = price,
				.qty = (k == 1 || k == 2 ? 2 : 1) *
				       clob_test_market.lot,
				.market = clob_test_market.market,
				.type = ZK_OP_NEW,
				.side = k % 2 == 0 ? ZK_SIDE_SELL :
						     ZK_SIDE_BUY,
				.ord_type = ZK_ORD_LIMIT,
				.tif = k == 3 ? ZK_TIF_FOK : ZK_TIF_GTC };
			continue;
		}
		/* (c): per 8 ops three reduces, a taker, a rest, a
		 * cancel, an unknown id, a malformed op */
		size_t kind = !reduces ? i % 3 : i % 8 == 3 ? 2 :
						 i % 8 == 7 ? 0 :
						 i % 8 == 5 ? 4 :
						 i % 8 == 1 ? 5 :
						 i % 8 == 6 ? 6 : 3;

		if (kind == 4 && n_cancels >= 52)
			kind = 3;

		if (kind == 0) {
			ops[i] = clob_malformed_op(&r, i);
		} else if (kind == 1) {
			ops[i] = clob_invalid_op(&r, i);
		} else if (kind == 2) {
			ops[i] = (struct zk_op){
				.seq = r.seq++, .order_id = 5000000 + i,
				.account = 1, .market = clob_test_market.market,
				.type = ZK_OP_CANCEL };
		} else if (kind == 5) {
			/* a limit GTC that rests: at a live level (FIFO
			 * append) or one the cancels freed (level_create) */
			int buy = (i / 8) % 2 == 0;

			n_rests++;
			ops[i] = (struct zk_op){
				.seq = r.seq++, .order_id = 6000000 + i,
				.account = 1 + i % 4,
				.price = (buy ? 500 : 5000) +
					 5 * (int64_t)(i / 16 % 10),
				.qty = 1000, .market = clob_test_market.market,
				.type = ZK_OP_NEW,
				.side = buy ? ZK_SIDE_BUY : ZK_SIDE_SELL,
				.ord_type = ZK_ORD_LIMIT, .tif = ZK_TIF_GTC };
		} else if (kind == 6 && (i / 8) % 4 >= 2) {
			/* a taker filled by the best opposite head order
			 * (one lot; the heads hold 1,000 or more): a market
			 * BUY, or a limit IOC SELL at the band's floor */
			int buy = (i / 8) % 4 == 2;

			n_trades++;
			ops[i] = (struct zk_op){
				.seq = r.seq++, .order_id = 7000000 + i,
				.account = 99, .price = buy ? 0 : 100,
				.qty = clob_test_market.lot,
				.market = clob_test_market.market,
				.type = ZK_OP_NEW,
				.side = buy ? ZK_SIDE_BUY : ZK_SIDE_SELL,
				.ord_type = buy ? ZK_ORD_MARKET : ZK_ORD_LIMIT,
				.tif = ZK_TIF_IOC };
		} else if (kind == 6) {
			/* bids stay below 550 and asks from 5000 on: an
			 * IOC BUY at 4000 or a FOK SELL at 1000 reads the
			 * best opposite level and ends CANCELLED */
			int buy = (i / 8) % 2 == 0;

			n_takers++;
			ops[i] = (struct zk_op){
				.seq = r.seq++, .order_id = 7000000 + i,
				.account = 1 + i % 4,
				.price = buy ? 4000 : 1000,
				.qty = 50, .market = clob_test_market.market,
				.type = ZK_OP_NEW,
				.side = buy ? ZK_SIDE_BUY : ZK_SIDE_SELL,
				.ord_type = ZK_ORD_LIMIT,
				.tif = buy ? ZK_TIF_IOC : ZK_TIF_FOK };
		} else if (kind == 4) {
			uint64_t id = 1 + n_cancels++;

			left[id] = 0;
			ops[i] = (struct zk_op){
				.seq = r.seq++, .order_id = id,
				.account = 1 + (id - 1) % 4,
				.market = clob_test_market.market,
				.type = ZK_OP_CANCEL };
		} else {
			uint64_t id = 1 + (i * 7) % 60;

			while (left[id] == 0)
				id = id % 60 + 1;
			left[id] -= clob_test_market.lot;
			ops[i] = (struct zk_op){
				.seq = r.seq++, .order_id = id,
				.account = 1 + (id - 1) % 4, .qty = left[id],
				.market = clob_test_market.market,
				.type = ZK_OP_CANCEL };
		}
	}
	b = clob_rig_batch(&r, ops, n_ops);
	if (twin == NULL || b == NULL ||
	    zk_st_apply_witness(twin, &b->witness, &u) != 0) {
		fprintf(stderr, "bench_clob: batch set-up failed\n");
		exit(1);
	}
	t0 = now();
	if (zk_clob_prove(b, r.t, &o, &proof, &len, &st, err,
			  sizeof(err)) != 0) {
		fprintf(stderr, "bench_clob: prove: %s\n", err);
		exit(1);
	}
	tp = now() - t0;
	if (verify_loop > 0) {
		verify_loop_run(reduces == 2 ? 'd' : 'a', b, &st, p, proof, len);
		goto done;
	}
	t0 = now();
	if (zk_clob_verify(&st, b->ops, b->n_ops, b->events.ev, b->events.len,
			   &clob_test_market, p->id, proof, len, err,
			   sizeof(err)) != 0) {
		fprintf(stderr, "bench_clob: verify: %s\n", err);
		exit(1);
	}
	tv = now() - t0;
	tb = baseline(b, &u, zk_st_layout_get(twin), &st, 0, p, &log_n);
	printf("(%c) %-7s %5zu ops  2^%-2u rows  prove %8.1f ms  verify %6.2f ms"
	       "  proof %7zu B  %8.0f ops/s  LDE+commit %7.1f ms  (x%.1f)\n",
	       reduces == 4 ? 'f' : reduces == 3 ? 'e' : reduces == 2 ? 'd' :
	       reduces ? 'c' : 'a',
	       p->name, n_ops, log_n, tp * 1e3, tv * 1e3,
	       len, (double)n_ops / tp, tb * 1e3, tb > 0 ? tp / tb : 0.0);
	if (x4_both)
		x4_compare(b, twin_x4, &o, proof, len);
	if (reduces == 4)
		printf("      rows: %zu ops (%zu takers: market sweeps of "
		       "five makers over two levels, IOCs of one fill and a "
		       "remainder) + %zu events + %zu accesses + 2 x %zu "
		       "leaves\n",
		       b->n_ops, n_trades, b->events.len, b->witness.len,
		       u.n_leaves);
	if (reduces == 3)
		printf("      rows: %zu ops (%zu GTC / FOK takers that empty "
		       "their maker, two in three resting the rest) + %zu "
		       "events + %zu accesses + 2 x %zu leaves\n",
		       b->n_ops, n_trades, b->events.len, b->witness.len,
		       u.n_leaves);
	if (reduces == 2)
		printf("      rows: %zu ops (%zu takers that empty their "
		       "maker and free its level) + %zu events + %zu "
		       "accesses + 2 x %zu leaves\n",
		       b->n_ops, n_trades, b->events.len, b->witness.len,
		       u.n_leaves);
	if (reduces == 1)
		printf("      rows: %zu ops (%zu full cancels, %zu resting "
		       "NEWs, %zu IOC/FOK, %zu filled takers) + %zu events + "
		       "%zu accesses + 2 x %zu leaves, root changed: %s\n",
		       b->n_ops, n_cancels, n_rests, n_takers, n_trades,
		       b->events.len,
		       b->witness.len,
		       u.n_leaves,
		       memcmp(st.old_root, st.new_root, 32) ? "yes" : "no");
done:
	zk_st_update_free(&u);
	zk_st_destroy(twin);
	if (twin_x4 != NULL)
		zk_st_destroy(twin_x4);
	free(proof);
	zk_batch_free(b);
	clob_rig_fini(&r);
	free(left);
	free(ops);
}

static void bench_machinery(size_t n_ops, const struct zk_stark_params *p)
{
	struct clob_rig r;
	struct zk_op *ops = malloc(n_ops * sizeof(*ops));
	struct zk_batch *warm, *b;
	struct zk_st_update u = { 0 };
	struct zk_statement st = { .market = clob_test_market.market };
	struct zk_clob_air *c = malloc(sizeof(*c));
	struct zk_prove_opts po = { .threads = n_threads };
	size_t touched = 0, sibs = 0, len = 0;
	uint8_t *proof = NULL;
	char err[256] = "";
	zk_gl **cols;
	unsigned log_n = 0;
	double t0, tp, tv, tb;

	if (ops == NULL || c == NULL || clob_rig_init(&r, 100000) != 0)
		exit(1);
	for (size_t i = 0; i < 64; i++)
		ops[i] = clob_book_op(&r, i);
	warm = clob_rig_batch(&r, ops, 64);
	if (warm == NULL || zk_st_apply_witness(r.t, &warm->witness, &u) != 0)
		exit(1);
	for (size_t i = 0; i < n_ops; i++)
		ops[i] = clob_book_op(&r, 64 + i);
	b = clob_rig_batch(&r, ops, n_ops);
	t0 = now();
	if (b == NULL || zk_st_apply_witness(r.t, &b->witness, &u) != 0)
		exit(1);
	memcpy(st.old_root, u.old_root, 32);
	memcpy(st.new_root, u.new_root, 32);
	st.first_seq = b->first_seq;
	st.last_seq = b->last_seq;
	if (zk_clob_air_init(c, zk_st_layout_get(r.t), &clob_test_market, &st,
			     b->ops, b->n_ops, b->events.ev, b->events.len, 1,
			     err, sizeof(err)) != 0 ||
	    zk_clob_trace_build(c, b, &u, n_threads, &cols, &log_n, err,
				sizeof(err)) != 0 ||
	    zk_stark_prove(&c->air, p, (const zk_gl *const *)cols, log_n, &po,
			   &proof, &len, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench_clob: machinery: %s\n", err);
		exit(1);
	}
	tp = now() - t0;
	zk_clob_trace_free(cols);
	t0 = now();
	if (zk_stark_verify(&c->air, p->id, proof, len, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench_clob: machinery verify: %s\n", err);
		exit(1);
	}
	tv = now() - t0;
	tb = baseline(b, &u, zk_st_layout_get(r.t), &st, 1, p, &log_n);
	for (size_t i = 0; i < u.n_nodes; i++) {
		if (!u.nodes[i].touched)
			sibs++;
		else if (u.nodes[i].level > 0)
			touched++;
	}
	printf("(b) %-7s %5zu ops  2^%-2u rows  prove %8.1f ms  verify %6.2f ms"
	       "  proof %7zu B  LDE+commit %7.1f ms  (x%.1f)\n"
	       "      rows: %zu ops + %zu events + %zu accesses; tree "
	       "record: %zu leaves, %zu nodes, %zu untouched siblings (AIR "
	       "v10: 2 rows a changed leaf / node, 1 an unchanged one, none "
	       "a sibling)\n",
	       p->name, n_ops, log_n, tp * 1e3, tv * 1e3, len, tb * 1e3,
	       tb > 0 ? tp / tb : 0.0, b->n_ops, b->events.len,
	       b->witness.len, u.n_leaves, touched, sibs);
	free(proof);
	zk_st_update_free(&u);
	zk_batch_free(warm);
	zk_batch_free(b);
	clob_rig_fini(&r);
	free(c);
	free(ops);
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 64, 256, 1024 };
	size_t n_sizes = 3;
	const struct zk_stark_params *fast = zk_stark_params_by_id(ZK_PARAMS_FAST);
	const struct zk_stark_params *loop_p = fast;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0)
			n_sizes = 2;
		else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
			n_threads = (unsigned)atoi(argv[++i]);
		else if (strcmp(argv[i], "--verify-loop") == 0 && i + 1 < argc)
			verify_loop = (unsigned)atoi(argv[++i]);
		else if (strcmp(argv[i], "--compact") == 0)
			loop_p = zk_stark_params_by_id(ZK_PARAMS_COMPACT);
		else if (strcmp(argv[i], "--x4") == 0 && i + 1 < argc &&
			 strcmp(argv[i + 1], "both") == 0)
			x4_both = 1, i++;
	}
	if (n_threads == 0)
		n_threads = 1;
	printf("bench_clob: CLOB AIR v%u, width %d, %u threads, four-row "
	       "evaluator %s\n", ZK_CLOB_AIR_VERSION, CLOB_WIDTH, n_threads,
	       zk_clob_air_eval_x4() != NULL ? "AVX2" : "none (row by row)");
	if (verify_loop > 0) {
		bench_proven(256, loop_p, 0);
		bench_proven(256, loop_p, 2);
		return 0;
	}
	for (size_t i = 0; i < n_sizes; i++)
		bench_proven(sizes[i], fast, 0);
	for (size_t i = 0; i < n_sizes; i++)
		bench_proven(sizes[i], fast, 1);
	for (size_t i = 0; i < n_sizes; i++)
		bench_proven(sizes[i], fast, 2);
	for (size_t i = 0; i < n_sizes; i++)
		bench_proven(sizes[i], fast, 3);
	for (size_t i = 0; i < n_sizes; i++)
		bench_proven(sizes[i], fast, 4);
	for (size_t i = 0; i < n_sizes; i++)
		bench_machinery(sizes[i], fast);
	printf("bench_clob: %u main constraints\n", n_constraints);
	return 0;
}
