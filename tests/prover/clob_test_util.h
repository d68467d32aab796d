/* SPDX-License-Identifier: MIT */
/*
 * Shared set-up for the CLOB AIR tests and benchmark: one small market, an
 * engine with a witness-recording batcher, an arity-4 state tree, and op
 * makers for honest traffic.
 */
#ifndef ZKCLOB_TESTS_CLOB_TEST_UTIL_H
#define ZKCLOB_TESTS_CLOB_TEST_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zkclob/batch.h"
#include "zkclob/engine.h"
#include "zkclob/statetree.h"

static const struct zk_market_params clob_test_market = {
	.market = 3, .tick = 5, .lot = 10, .min_price = 100,
	.max_price = 100000, .max_qty = 100000, .stp = ZK_STP_CANCEL_NEWEST,
	.max_orders = 64, .max_levels = 32,
};

struct clob_rig {
	struct zk_engine *e;
	struct zk_batcher *b;
	struct zk_st_tree *t;
	uint64_t seq;
};

static inline int clob_rig_init(struct clob_rig *r, uint32_t max_ops)
{
	struct zk_batch_cfg cfg = { .max_ops = max_ops, .witness = true };

	memset(r, 0, sizeof(*r));
	r->e = zk_engine_create(&clob_test_market, 1);
	if (r->e == NULL)
		return -1;
	r->b = zk_batcher_create(r->e, &cfg);
	r->t = zk_st_create(r->e, clob_test_market.market, 4);
	r->seq = 1;
	return r->b != NULL && r->t != NULL ? 0 : -1;
}

static inline void clob_rig_fini(struct clob_rig *r)
{
	zk_st_destroy(r->t);
	zk_batcher_destroy(r->b);
	zk_engine_destroy(r->e);
}

/* A malformed op the engine rejects without touching the book. */
static inline struct zk_op clob_malformed_op(struct clob_rig *r, uint64_t k)
{
	struct zk_op op = { .seq = r->seq++, .order_id = 1000 + k,
			    .account = 7 + k % 3, .price = 500 + 5 * (k % 9),
			    .qty = 10 * (1 + k % 4),
			    .market = clob_test_market.market };

	switch (k % 4) {
	case 0: /* reserved byte set on an otherwise fine NEW */
		op.type = ZK_OP_NEW;
		op.side = ZK_SIDE_BUY;
		op.ord_type = ZK_ORD_LIMIT;
		op.tif = ZK_TIF_GTC;
		op.reserved[1] = (uint8_t)(1 + k % 200);
		break;
	case 1: /* unknown op type */
		op.type = (uint8_t)(4 + k % 250);
		break;
	case 2: /* replace with a reserved byte: other_id is the new id */
		op.type = ZK_OP_REPLACE;
		op.new_order_id = 5000 + k;
		op.reserved[2] = 9;
		break;
	default: /* type 0 */
		op.type = 0;
		op.new_order_id = 77;
		break;
	}
	return op;
}

/* Resting GTC limit orders, cancels and crossing orders. */
static inline struct zk_op clob_book_op(struct clob_rig *r, uint64_t k)
{
	struct zk_op op = { .seq = r->seq++, .market = clob_test_market.market,
			    .account = 1 + k % 5 };
	uint64_t u = (k * 2654435761u) % 100;

	if (u < 60 || k < 8) {
		op.type = ZK_OP_NEW;
		op.order_id = 1 + k;
		op.side = (k & 1) ? ZK_SIDE_SELL : ZK_SIDE_BUY;
		op.ord_type = ZK_ORD_LIMIT;
		op.tif = ZK_TIF_GTC;
		op.price = op.side == ZK_SIDE_BUY ? 1000 - 5 * (int64_t)(u % 10)
						  : 1005 + 5 * (int64_t)(u % 10);
		if (u % 17 == 0)
			op.price = op.side == ZK_SIDE_BUY ? 1010 : 995;
		op.qty = 10 * (1 + u % 5);
	} else {
		op.type = ZK_OP_CANCEL;
		op.order_id = 1 + (k * 7) % (k + 1);
	}
	return op;
}

/* Push ops[0..n) through the batcher and flush: the batch, or NULL. */
static inline struct zk_batch *clob_rig_batch(struct clob_rig *r,
					      const struct zk_op *ops, size_t n)
{
	struct zk_batch *cut = NULL;

	for (size_t i = 0; i < n; i++) {
		if (zk_batcher_push(r->b, &ops[i], 0, &cut) != 0 || cut != NULL)
			return NULL;
	}
	if (zk_batcher_flush(r->b, 0, &cut) != 0)
		return NULL;
	return cut;
}

#endif /* ZKCLOB_TESTS_CLOB_TEST_UTIL_H */
