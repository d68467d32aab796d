/* SPDX-License-Identifier: MIT */
/*
 * Splitting a batch cut over an interleaved two-market stream into one
 * batch per market: each part is exactly what that market's book did.
 * Checked against an engine that saw only that market's ops, and by the
 * state tree, which accepts a part's witness only if it is a consistent
 * log of that market's slots and then must agree with a rebuild.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "zkclob/batch.h"
#include "zkclob/config.h"
#include "zkclob/gen.h"
#include "zkclob/statetree.h"

#define N_OPS 6000
#define MAX_OPS 97 /* odd, so cuts fall anywhere in the interleaving */

static void test_split_matches_single_market_books(void **state)
{
	static struct zk_op ops[N_OPS];
	struct zk_config cfg;
	struct zk_gen_params gp;
	struct zk_batch_cfg bcfg = { .max_ops = MAX_OPS, .witness = true };
	struct zk_engine *all, *solo[2];
	struct zk_batcher *b;
	struct zk_st_tree *tree[2];
	struct zk_event_buf ev = { 0 };
	struct zk_batch *cut, *parts[4];
	char err[256];
	size_t i, solo_done[2] = { 0, 0 }, batches = 0;
	uint8_t r1[32], r2[32];
	long np, k;

	(void)state;
	assert_int_equal(zk_config_load_default(&cfg, err, sizeof(err)), 0);
	assert_int_equal(zk_config_gen_params(&cfg, &gp, err, sizeof(err)), 0);
	assert_int_equal(gp.markets, 2);
	assert_int_equal(zk_gen_ops(&gp, ops, N_OPS, err, sizeof(err)), 0);
	all = zk_engine_create(cfg.markets, cfg.n_markets);
	solo[0] = zk_engine_create(&cfg.markets[0], 1);
	solo[1] = zk_engine_create(&cfg.markets[1], 1);
	assert_non_null(all);
	b = zk_batcher_create(all, &bcfg);
	assert_non_null(b);
	for (k = 0; k < 2; k++) {
		tree[k] = zk_st_create(all, cfg.markets[k].market, 4);
		assert_non_null(tree[k]);
	}
	for (i = 0; i <= N_OPS; i++) {
		if (i < N_OPS)
			assert_int_equal(zk_batcher_push(b, &ops[i], 0, &cut), 0);
		else
			assert_int_equal(zk_batcher_flush(b, 0, &cut), 0);
		if (cut == NULL)
			continue;
		batches++;
		np = zk_batch_split_by_market(cut, parts, 4);
		assert_true(np >= 1 && np <= 2);
		for (k = 0; k < np; k++) {
			struct zk_batch *p = parts[k];
			int m = p->ops[0].market == cfg.markets[0].market ? 0 : 1;
			struct zk_st_update upd;
			size_t j;

			/* the same ops, in order, through a one-market engine */
			ev.len = 0;
			for (j = 0; j < p->n_ops; j++) {
				assert_int_equal(p->ops[j].market, cfg.markets[m].market);
				assert_true(zk_engine_apply(solo[m], &p->ops[j], &ev) >= 1);
			}
			assert_int_equal(ev.len, p->events.len);
			assert_memory_equal(ev.ev, p->events.ev, ev.len * sizeof(*ev.ev));
			assert_int_equal(p->first_seq, p->ops[0].seq);
			assert_int_equal(p->last_seq, p->ops[p->n_ops - 1].seq);
			assert_int_equal(p->witness.ops, p->n_ops);
			for (j = 0; j < p->witness.len; j++) {
				assert_int_equal(p->witness.acc[j].market, cfg.markets[m].market);
				assert_true(p->witness.acc[j].op < p->n_ops);
			}
			/* the state tree takes the part's witness as its market's log */
			memset(&upd, 0, sizeof(upd));
			if (zk_st_apply_witness(tree[m], &p->witness, &upd) != 0)
				fail_msg("batch %zu part %ld: witness refused: %s", batches, k,
					 upd.error ? upd.error : "?");
			zk_st_update_free(&upd);
			solo_done[m] += p->n_ops;
			zk_batch_free(p);
		}
		zk_batch_free(cut);
	}
	assert_true(batches > 10);
	assert_int_equal(solo_done[0] + solo_done[1], N_OPS);
	/* after it all, each market's tree commits its one-market book */
	for (k = 0; k < 2; k++) {
		struct zk_st_tree *rebuilt = zk_st_create(solo[k], cfg.markets[k].market, 4);

		assert_non_null(rebuilt);
		zk_st_root(tree[k], r1);
		zk_st_root(rebuilt, r2);
		assert_memory_equal(r1, r2, 32);
		zk_st_destroy(rebuilt);
		zk_st_destroy(tree[k]);
	}
	zk_event_buf_free(&ev);
	zk_batcher_destroy(b);
	zk_engine_destroy(all);
	zk_engine_destroy(solo[0]);
	zk_engine_destroy(solo[1]);
}

static void test_split_refuses_too_many_markets(void **state)
{
	static const struct zk_market_params m[3] = {
		{ .market = 1, .tick = 1, .lot = 1, .min_price = 1, .max_price = 100,
		  .max_qty = 100, .max_orders = 16, .max_levels = 16 },
		{ .market = 2, .tick = 1, .lot = 1, .min_price = 1, .max_price = 100,
		  .max_qty = 100, .max_orders = 16, .max_levels = 16 },
		{ .market = 3, .tick = 1, .lot = 1, .min_price = 1, .max_price = 100,
		  .max_qty = 100, .max_orders = 16, .max_levels = 16 },
	};
	struct zk_batch_cfg bcfg = { .max_ops = 8 };
	struct zk_engine *e = zk_engine_create(m, 3);
	struct zk_batcher *b = zk_batcher_create(e, &bcfg);
	struct zk_batch *cut = NULL, *parts[2];
	struct zk_op op;
	uint32_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		memset(&op, 0, sizeof(op));
		op.seq = i + 1;
		op.type = ZK_OP_NEW;
		op.order_id = i + 1;
		op.account = 1;
		op.market = i + 1;
		op.side = ZK_SIDE_BUY;
		op.ord_type = ZK_ORD_LIMIT;
		op.tif = ZK_TIF_GTC;
		op.price = 10;
		op.qty = 1;
		assert_int_equal(zk_batcher_push(b, &op, 0, &cut), 0);
	}
	assert_int_equal(zk_batcher_flush(b, 0, &cut), 0);
	assert_non_null(cut);
	errno = 0;
	assert_int_equal(zk_batch_split_by_market(cut, parts, 2), -1);
	assert_int_equal(errno, ENOSPC);
	zk_batch_free(cut);
	zk_batcher_destroy(b);
	zk_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_matches_single_market_books),
		cmocka_unit_test(test_split_refuses_too_many_markets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
