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

/* A rig on another market (e.g. the test market with another STP mode);
 * mp must outlive the rig's proofs, which read the market rules. */
static inline int clob_rig_init_market(struct clob_rig *r,
				       const struct zk_market_params *mp,
				       uint32_t max_ops)
{
	struct zk_batch_cfg cfg = { .max_ops = max_ops, .witness = true };

	memset(r, 0, sizeof(*r));
	r->e = zk_engine_create(mp, 1);
	if (r->e == NULL)
		return -1;
	r->b = zk_batcher_create(r->e, &cfg);
	r->t = zk_st_create(r->e, mp->market, 4);
	r->seq = 1;
	return r->b != NULL && r->t != NULL ? 0 : -1;
}

static inline int clob_rig_init(struct clob_rig *r, uint32_t max_ops)
{
	return clob_rig_init_market(r, &clob_test_market, max_ops);
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

	op.type = ZK_OP_NEW;
	op.side = ZK_SIDE_BUY;
	op.ord_type = ZK_ORD_LIMIT;
	op.tif = ZK_TIF_GTC;
	switch (k % 16) {
	case 0: /* reserved byte set on an otherwise fine NEW */
		op.reserved[1] = (uint8_t)(1 + k % 200);
		break;
	case 1: /* unknown op type */
		op.type = (uint8_t)(4 + k % 250);
		break;
	case 2: /* replace with a reserved byte: other_id is the new id */
		op.type = ZK_OP_REPLACE;
		op.side = op.ord_type = op.tif = 0;
		op.new_order_id = 5000 + k;
		op.reserved[2] = 9;
		break;
	case 3: /* type 0 */
		op.type = 0;
		op.new_order_id = 77;
		break;
	case 4: /* NEW, bad side */
		op.side = 3;
		break;
	case 5: /* NEW, bad ord_type */
		op.ord_type = 0;
		break;
	case 6: /* NEW, bad tif */
		op.tif = 4;
		break;
	case 7: /* NEW, unknown flag */
		op.flags = 2;
		break;
	case 8: /* NEW with a new_order_id */
		op.new_order_id = 1ull << 40;
		break;
	case 9: /* market order with a price */
		op.ord_type = ZK_ORD_MARKET;
		op.tif = ZK_TIF_IOC;
		break;
	case 10: /* market GTC */
		op.ord_type = ZK_ORD_MARKET;
		op.price = 0;
		break;
	case 11: /* post-only IOC */
		op.flags = ZK_OP_F_POST_ONLY;
		op.tif = ZK_TIF_IOC;
		break;
	case 12: /* cancel with a side */
		op.type = ZK_OP_CANCEL;
		op.ord_type = op.tif = 0;
		op.price = 0;
		break;
	case 13: /* cancel with a price and a group */
		op.type = ZK_OP_CANCEL;
		op.side = op.ord_type = op.tif = 0;
		op.stp_group = 4;
		break;
	case 14: /* replace with a tif */
		op.type = ZK_OP_REPLACE;
		op.side = op.ord_type = 0;
		op.new_order_id = 9000 + k;
		break;
	default: /* replace with an stp group */
		op.type = ZK_OP_REPLACE;
		op.side = op.ord_type = op.tif = 0;
		op.new_order_id = 9000 + k;
		op.stp_group = 1;
		break;
	}
	return op;
}

/*
 * A well-formed NEW of the market that the market rules reject (BAD_TICK,
 * BAD_LOT, PRICE_BAND, MAX_QTY), limit and market orders.
 */
static inline struct zk_op clob_invalid_op(struct clob_rig *r, uint64_t k)
{
	struct zk_op op = { .seq = r->seq++, .order_id = 2000 + k,
			    .account = 3, .price = 1000, .qty = 20,
			    .market = clob_test_market.market,
			    .type = ZK_OP_NEW, .side = ZK_SIDE_SELL,
			    .ord_type = ZK_ORD_LIMIT, .tif = ZK_TIF_GTC };

	switch (k % 9) {
	case 0: /* BAD_TICK */
		op.price = 1002;
		break;
	case 1: /* BAD_TICK below the band */
		op.price = 13;
		op.tif = ZK_TIF_IOC;
		break;
	case 2: /* BAD_LOT */
		op.qty = 15;
		break;
	case 3: /* BAD_LOT: zero */
		op.qty = 0;
		op.side = ZK_SIDE_BUY;
		break;
	case 4: /* BAD_LOT, market order */
		op.ord_type = ZK_ORD_MARKET;
		op.tif = ZK_TIF_FOK;
		op.price = 0;
		op.qty = 7;
		break;
	case 5: /* PRICE_BAND below */
		op.price = 50;
		break;
	case 6: /* PRICE_BAND above, post-only */
		op.price = 200000;
		op.flags = ZK_OP_F_POST_ONLY;
		break;
	case 7: /* MAX_QTY */
		op.qty = 100010;
		break;
	default: /* MAX_QTY, market order */
		op.ord_type = ZK_ORD_MARKET;
		op.tif = ZK_TIF_IOC;
		op.price = 0;
		op.qty = 1u << 30;
		break;
	}
	return op;
}

/* Resting GTC limit orders, cancels and crossing orders; one op in 29
 * (the 18th on) is a NEW at a negative price, which the engine rejects
 * PRICE_BAND and the AIR's 40-bit price limbs do not cover, so book
 * traffic holds an op the prover refuses (tests of the refusal path rely
 * on it; docs/proof.md section 8 item 5). */
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
	if (k % 29 == 17) {
		op = (struct zk_op){ .seq = op.seq, .order_id = 1 + k,
				     .account = op.account, .price = -5,
				     .qty = 10, .market = op.market,
				     .type = ZK_OP_NEW, .side = ZK_SIDE_BUY,
				     .ord_type = ZK_ORD_LIMIT,
				     .tif = ZK_TIF_GTC };
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
