/* SPDX-License-Identifier: MIT */
/*
 * A resting book for the CLOB AIR tests of the ops that change it: three
 * price levels a side, four orders each (ids from ID0, order i at level
 * i % 6, FIFO position i / 6), committed in the rig's tree; cancel ops of
 * its orders by their owners; prove-and-verify of a batch that must
 * change the root.
 */
#ifndef ZKCLOB_TESTS_CLOB_TEST_BOOK_H
#define ZKCLOB_TESTS_CLOB_TEST_BOOK_H

#include "clob_test_prove.h"

#define LEVELS_PER_SIDE 3
#define PER_LEVEL 4
#define BOOK_ORDERS (2 * LEVELS_PER_SIDE * PER_LEVEL)
#define ID0 100

/* Order i rests at level i % 6 (buys 500, 495, 490; sells 5000, 5005,
 * 5010), FIFO position i / 6. */
static inline int64_t book_price(size_t i)
{
	size_t lv = i % (2 * LEVELS_PER_SIDE);

	return lv < LEVELS_PER_SIDE ? 500 - 5 * (int64_t)lv :
				      5000 + 5 * (int64_t)(lv - LEVELS_PER_SIDE);
}

static inline uint64_t book_account(size_t i)
{
	return 1 + i % 3;
}

static inline uint64_t book_qty(size_t i)
{
	return 40 + 10 * (i % 3);
}

/* id of the order at FIFO position pos of level lv */
static inline uint64_t book_id(size_t lv, size_t pos)
{
	return ID0 + pos * 2 * LEVELS_PER_SIDE + lv;
}

/* Rest the book (not proven; the tree commits it). */
static inline void rest_book(struct clob_rig *r)
{
	struct zk_op ops[BOOK_ORDERS];
	struct zk_batch *b;
	struct zk_st_update u = { 0 };

	for (size_t i = 0; i < BOOK_ORDERS; i++) {
		int buy = i % (2 * LEVELS_PER_SIDE) < LEVELS_PER_SIDE;

		ops[i] = (struct zk_op){
			.seq = r->seq++, .order_id = ID0 + i,
			.account = book_account(i), .price = book_price(i),
			.qty = book_qty(i), .market = clob_test_market.market,
			.type = ZK_OP_NEW,
			.side = buy ? ZK_SIDE_BUY : ZK_SIDE_SELL,
			.ord_type = ZK_ORD_LIMIT, .tif = ZK_TIF_GTC };
	}
	b = clob_rig_batch(r, ops, BOOK_ORDERS);
	assert_non_null(b);
	for (size_t i = 0; i < b->events.len; i++)
		assert_int_equal(b->events.ev[i].type, ZK_EV_ACCEPTED);
	assert_int_equal(zk_st_apply_witness(r->t, &b->witness, &u), 0);
	zk_st_update_free(&u);
	zk_batch_free(b);
}

static inline struct zk_op cancel_op(struct clob_rig *r, uint64_t id,
				     uint64_t qty)
{
	size_t i = id - ID0;

	return (struct zk_op){ .seq = r->seq++, .order_id = id,
			       .account = book_account(i), .qty = qty,
			       .market = clob_test_market.market,
			       .type = ZK_OP_CANCEL };
}

static inline void prove_verify_ok(struct clob_rig *r, struct zk_batch *b)
{
	struct zk_clob_prove_opts o = { .market = &clob_test_market,
					.stark_params = FAST, .threads = 2,
					.debug = 1 };
	struct zk_statement st;
	uint8_t *proof = NULL;
	size_t len = 0;
	char err[ERRLEN] = "";

	if (zk_clob_prove(b, r->t, &o, &proof, &len, &st, err, sizeof(err)))
		fail_msg("prove: %s", err);
	assert_memory_not_equal(st.old_root, st.new_root, 32);
	assert_int_equal(verify(&st, b->ops, b->n_ops, b->events.ev,
				b->events.len, proof, len),
			 0);
	free(proof);
}

/* Rest more orders of 40 lots at one price (not proven; the tree commits
 * them), owned as cancel_op expects. */
static inline void rest_more(struct clob_rig *r, const uint64_t *ids, size_t n,
			     int64_t price, uint8_t side)
{
	struct zk_op ops[16];
	struct zk_batch *b;
	struct zk_st_update u = { 0 };

	assert_true(n <= 16);
	for (size_t i = 0; i < n; i++)
		ops[i] = (struct zk_op){
			.seq = r->seq++, .order_id = ids[i],
			.account = book_account(ids[i] - ID0), .price = price,
			.qty = 40, .market = clob_test_market.market,
			.type = ZK_OP_NEW, .side = side,
			.ord_type = ZK_ORD_LIMIT, .tif = ZK_TIF_GTC };
	b = clob_rig_batch(r, ops, n);
	assert_non_null(b);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(b->events.ev[i].type, ZK_EV_ACCEPTED);
	assert_int_equal(zk_st_apply_witness(r->t, &b->witness, &u), 0);
	zk_st_update_free(&u);
	zk_batch_free(b);
}

#endif /* ZKCLOB_TESTS_CLOB_TEST_BOOK_H */
