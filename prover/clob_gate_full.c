/* SPDX-License-Identifier: MIT */
/*
 * The prover's gate for a NEW rejected BOOK_FULL (clob_air_full.h, and
 * the order-table case of clob_air_probe.h): its accesses must have the
 * shape the AIR's rows expect, and the level reads must close the gap
 * the AIR checks, or the batch is refused with the reason.
 */
#include <stddef.h>
#include <stdint.h>

#include "clob_air.h"

static int is_read(const struct zk_witness_access *w, size_t a, size_t n,
		   uint8_t kind)
{
	return a < n && w[a].kind == kind && !w[a].write;
}

/* (3 − 2·side)·(lp − price) > 0: for that side a level at lp is better
 * than price (and, of the other side, does not cross it). */
static int better_than(uint8_t side, int64_t lp, int64_t price)
{
	return side == ZK_SIDE_BUY ? lp > price : lp < price;
}

const char *zk_clob_full_shape(const struct zk_op *op,
			       const struct zk_witness_access *w, size_t n,
			       uint32_t market)
{
	const struct zk_witness_access *better = NULL, *worse = NULL;
	const struct zk_book_header *h;
	uint32_t best, after_better;
	size_t a = 0;

	for (size_t i = 0; i < n; i++) {
		if (w[i].market != market)
			return "a BOOK_FULL NEW with accesses of another "
			       "market";
		if (w[i].kind == ZK_SLOT_LEVEL &&
		    (w[i].before.level.price < 0 ||
		     (uint64_t)w[i].before.level.price >= CLOB_VAL_MAX_PRICE))
			return "a BOOK_FULL NEW next to a level price out of "
			       "range";
	}
	while (is_read(w, a, n, ZK_SLOT_BUCKET))
		a++;
	if (a == 0)
		return "a BOOK_FULL NEW with other accesses";
	/* a post-only op's would_cross: the header, the best opposite level
	 * when there is one (it does not cross) */
	if ((op->flags & ZK_OP_F_POST_ONLY) &&
	    is_read(w, a, n, ZK_SLOT_HEADER)) {
		h = &w[a++].before.header;
		best = op->side == ZK_SIDE_BUY ? h->best_ask : h->best_bid;
		if (best != ZK_SLOT_NIL) {
			if (!is_read(w, a, n, ZK_SLOT_LEVEL) ||
			    w[a].slot != best ||
			    !better_than(op->side, w[a].before.level.price,
					 op->price))
				return "a BOOK_FULL NEW with other accesses";
			a++;
		}
	}
	if (!is_read(w, a, n, ZK_SLOT_HEADER))
		return "a BOOK_FULL NEW with other accesses";
	h = &w[a++].before.header;
	if (h->order_free == ZK_SLOT_NIL)
		return a == n ? NULL : "a BOOK_FULL NEW with other accesses";
	if (h->level_free != ZK_SLOT_NIL)
		return "a BOOK_FULL NEW with other accesses";
	/* level_lookup's read of the other side's level at the price */
	if (is_read(w, a, n, ZK_SLOT_LEVEL) &&
	    w[a].before.level.side != op->side) {
		if (w[a].before.level.price != op->price)
			return "a BOOK_FULL NEW with other accesses";
		a++;
	}
	if (is_read(w, a, n, ZK_SLOT_LEVEL) &&
	    w[a].before.level.side == op->side &&
	    better_than(op->side, w[a].before.level.price, op->price))
		better = &w[a++];
	if (is_read(w, a, n, ZK_SLOT_LEVEL) &&
	    w[a].before.level.side == op->side &&
	    better_than(op->side, op->price, w[a].before.level.price))
		worse = &w[a++];
	if (a != n)
		return "a BOOK_FULL NEW with other accesses";
	/* the AIR's gap: adjacent brackets, or the side's end */
	best = op->side == ZK_SIDE_BUY ? h->best_bid : h->best_ask;
	after_better = worse != NULL ? worse->slot : ZK_SLOT_NIL;
	if (better != NULL ? better->before.level.worse != after_better :
			     best != after_better)
		return "a BOOK_FULL NEW whose level reads do not show the "
		       "gap at its price (a crossing order)";
	return NULL;
}
