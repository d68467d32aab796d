/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR, NEW ops rejected after reading the book's header: WOULD_CROSS
 * (post-only; the best opposite level, read through memory, crosses) and
 * BOOK_FULL (limit GTC, not post-only; the header's order free list is
 * empty). Honest batches verify; a cheating engine that claims either
 * reject when the book says otherwise is rejected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clob_test_prove.h"

static uint32_t bucket_home(uint64_t id, uint32_t nb)
{
	return (uint32_t)((id * 0x9E3779B97F4A7C15ull) >>
			  (64 - (unsigned)__builtin_ctz(nb)));
}

/* Rest n orders (not proven): buys at 500..515, sells at 5000..5015. */
static void rest_orders(struct clob_rig *r, uint64_t id0, size_t n)
{
	struct zk_op ops[64];
	struct zk_batch *b;
	struct zk_st_update u = { 0 };

	for (size_t i = 0; i < n; i++)
		ops[i] = (struct zk_op){
			.seq = r->seq++, .order_id = id0 + i, .account = 1,
			.price = (i % 2 ? 5000 : 500) + 5 * (i % 4 / 2),
			.qty = 10, .market = clob_test_market.market,
			.type = ZK_OP_NEW,
			.side = i % 2 ? ZK_SIDE_SELL : ZK_SIDE_BUY,
			.ord_type = ZK_ORD_LIMIT, .tif = ZK_TIF_GTC };
	b = clob_rig_batch(r, ops, n);
	assert_non_null(b);
	assert_int_equal(zk_st_apply_witness(r->t, &b->witness, &u), 0);
	zk_st_update_free(&u);
	zk_batch_free(b);
}

static void prove_and_verify(struct clob_rig *r, const struct zk_op *ops,
			     size_t n, uint8_t reason)
{
	struct zk_clob_prove_opts o = { .market = &clob_test_market,
					.stark_params = FAST, .debug = 1 };
	struct zk_statement st;
	struct zk_batch *b = clob_rig_batch(r, ops, n);
	uint8_t *proof = NULL;
	size_t len = 0;
	char err[ERRLEN] = "";

	assert_non_null(b);
	assert_int_equal(b->events.len, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(b->events.ev[i].reason, reason);
	if (zk_clob_prove(b, r->t, &o, &proof, &len, &st, err, sizeof(err)))
		fail_msg("prove: %s", err);
	assert_memory_equal(st.old_root, st.new_root, 32);
	assert_int_equal(verify(&st, b->ops, b->n_ops, b->events.ev,
				b->events.len, proof, len),
			 0);
	free(proof);
	zk_batch_free(b);
}

static struct zk_op new_op(struct clob_rig *r, uint64_t id, uint8_t side,
			   int64_t price, uint8_t flags)
{
	return (struct zk_op){ .seq = r->seq++, .order_id = id, .account = 7,
			       .price = price, .qty = 20,
			       .market = clob_test_market.market,
			       .type = ZK_OP_NEW, .side = side,
			       .ord_type = ZK_ORD_LIMIT, .tif = ZK_TIF_GTC,
			       .flags = flags };
}

static void test_honest_cross(void **state)
{
	struct clob_rig r;
	struct zk_op ops[4];

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_orders(&r, 100, 8);
	/* at the best opposite price, and through it */
	ops[0] = new_op(&r, 900, ZK_SIDE_BUY, 5000, ZK_OP_F_POST_ONLY);
	ops[1] = new_op(&r, 901, ZK_SIDE_BUY, 9000, ZK_OP_F_POST_ONLY);
	ops[2] = new_op(&r, 902, ZK_SIDE_SELL, 505, ZK_OP_F_POST_ONLY);
	ops[3] = new_op(&r, 903, ZK_SIDE_SELL, 100, ZK_OP_F_POST_ONLY);
	prove_and_verify(&r, ops, 4, ZK_REJ_WOULD_CROSS);
	clob_rig_fini(&r);
}

static void test_honest_full(void **state)
{
	struct clob_rig r;
	struct zk_op ops[3];

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_orders(&r, 100, 64);
	/* resting, crossing (decided before matching) and a new level */
	ops[0] = new_op(&r, 900, ZK_SIDE_BUY, 510, 0);
	ops[1] = new_op(&r, 901, ZK_SIDE_SELL, 400, 0);
	ops[2] = new_op(&r, 902, ZK_SIDE_BUY, 700, 0);
	prove_and_verify(&r, ops, 3, ZK_REJ_BOOK_FULL);
	clob_rig_fini(&r);
}

/* One NEW claimed `reason`, with the empty probe chain of its id, the
 * header read and (WOULD_CROSS) the level read the book really holds. */
static void cheat_case(size_t n_rest, struct zk_op op, uint8_t reason)
{
	struct clob_rig r;
	union zk_slot_value v;
	uint8_t kinds[64];
	uint32_t slots[64], nb, bk;
	size_t m = 0;

	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_orders(&r, 100, n_rest);
	op.seq = r.seq++;
	nb = zk_engine_slot_count(r.e, clob_test_market.market, ZK_SLOT_BUCKET);
	for (bk = bucket_home(op.order_id, nb);; bk = (bk + 1) % nb) {
		assert_int_equal(zk_engine_slot_get(r.e, op.market,
						    ZK_SLOT_BUCKET, bk, &v), 0);
		kinds[m] = ZK_SLOT_BUCKET;
		slots[m++] = bk;
		if (v.bucket.order == ZK_SLOT_NIL)
			break;
	}
	kinds[m] = ZK_SLOT_HEADER;
	slots[m++] = 0;
	assert_int_equal(zk_engine_slot_get(r.e, op.market, ZK_SLOT_HEADER, 0,
					    &v), 0);
	if (reason == ZK_REJ_WOULD_CROSS) {
		kinds[m] = ZK_SLOT_LEVEL;
		slots[m++] = op.side == ZK_SIDE_BUY ? v.header.best_ask :
						      v.header.best_bid;
	}
	expect_forged_reject_fails(&r, op, reason, kinds, slots, m);
	clob_rig_fini(&r);
}

static void test_cheat_cross(void **state)
{
	struct clob_rig r;

	(void)state;
	r.seq = 0;
	/* best ask 5000 is above the buy, best bid 505 below the sell */
	cheat_case(8, new_op(&r, 900, ZK_SIDE_BUY, 4995, ZK_OP_F_POST_ONLY),
		   ZK_REJ_WOULD_CROSS);
	cheat_case(8, new_op(&r, 900, ZK_SIDE_SELL, 510, ZK_OP_F_POST_ONLY),
		   ZK_REJ_WOULD_CROSS);
}

static void test_cheat_full(void **state)
{
	struct clob_rig r;

	(void)state;
	r.seq = 0;
	/* free order slots left */
	cheat_case(8, new_op(&r, 900, ZK_SIDE_BUY, 510, 0), ZK_REJ_BOOK_FULL);
	/* a full book, but the id is live: DUPLICATE_ID comes first */
	cheat_case(64, new_op(&r, 100, ZK_SIDE_BUY, 510, 0), ZK_REJ_BOOK_FULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_honest_cross),
		cmocka_unit_test(test_cheat_cross),
		cmocka_unit_test(test_honest_full),
		cmocka_unit_test(test_cheat_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
