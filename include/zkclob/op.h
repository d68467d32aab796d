/* SPDX-License-Identifier: MIT */
/*
 * zkclob — the operation record: the one fixed-size unit that flows from the
 * wire parser (dataplane/) through the rx→sequencer ring into the matching
 * engine (engine/).
 *
 * Spec
 *  - Integer only: prices are ticks (int64_t), sizes are lots (uint64_t).
 *  - Exactly 64 bytes, naturally aligned, no pointers, so it can be enqueued
 *    into an rte_ring by value and recorded verbatim in a proof witness.
 *  - Every field that is not meaningful for a given op type is zero; the
 *    parser guarantees that, so two equal ops are byte-identical.
 *  - Op types:
 *      ZK_OP_NEW      enter a new order `order_id` for `account` in `market`
 *      ZK_OP_CANCEL   reduce order `order_id` to `qty` lots remaining
 *                     (qty == 0 ⇒ full cancel), owner must be `account`
 *      ZK_OP_REPLACE  replace `order_id` by `new_order_id` at `price`/`qty`
 *                     (priority kept only when the price is unchanged and
 *                     the size does not increase), owner must be `account`
 */
#ifndef ZKCLOB_OP_H
#define ZKCLOB_OP_H

#include <stdint.h>

enum zk_op_type {
	ZK_OP_NEW = 1,
	ZK_OP_CANCEL = 2,
	ZK_OP_REPLACE = 3,
};

enum zk_side {
	ZK_SIDE_BUY = 1,
	ZK_SIDE_SELL = 2,
};

enum zk_ord_type {
	ZK_ORD_LIMIT = 1,
	ZK_ORD_MARKET = 2, /* price ignored (must be 0); never rests */
};

enum zk_tif {
	ZK_TIF_GTC = 1, /* rests until filled or cancelled */
	ZK_TIF_IOC = 2, /* fills what it can now, the remainder is cancelled */
	ZK_TIF_FOK = 3, /* fills completely now or not at all */
};

/* zk_op.flags */
#define ZK_OP_F_POST_ONLY 0x01u /* reject instead of crossing */

struct zk_op {
	uint64_t seq;          /* MoldUDP64 sequence number of the message */
	uint64_t order_id;     /* client order id (new) / target (cancel, replace) */
	uint64_t new_order_id; /* replace only: id of the replacing order */
	uint64_t account;      /* owner; checked on cancel/replace */
	int64_t price;         /* ticks; 0 for market orders */
	uint64_t qty;          /* lots: size (new/replace), remaining (cancel) */
	uint32_t market;       /* market id */
	uint32_t stp_group;    /* self-trade group; 0 = use `account` */
	uint8_t type;          /* enum zk_op_type */
	uint8_t side;          /* enum zk_side (new); 0 otherwise (replace keeps the side) */
	uint8_t ord_type;      /* enum zk_ord_type (new); 0 otherwise */
	uint8_t tif;           /* enum zk_tif (new); 0 otherwise */
	uint8_t flags;         /* ZK_OP_F_* */
	uint8_t reserved[3];   /* always zero */
};

_Static_assert(sizeof(struct zk_op) == 64, "zk_op must stay 64 bytes");

#endif /* ZKCLOB_OP_H */
