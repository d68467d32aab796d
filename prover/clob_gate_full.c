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

/*
 * slots_available's level reads after its header read h (access a on):
 * [the other side's level at the price,] [the better bracket,] [the
 * worse one], nothing after; the gap the AIR checks closed by them.
 */
static const char *level_gap(uint8_t side, int64_t price,
			     const struct zk_book_header *h,
			     const struct zk_witness_access *w, size_t a,
			     size_t n)
{
	const struct zk_witness_access *better = NULL, *worse = NULL;
	uint32_t best, after_better;

	if (h->level_free != ZK_SLOT_NIL)
		return "a BOOK_FULL with a free level slot";
	if (is_read(w, a, n, ZK_SLOT_LEVEL) &&
	    w[a].before.level.side != side) {
		if (w[a].before.level.price != price)
			return "a BOOK_FULL with other accesses";
		a++;
	}
	if (is_read(w, a, n, ZK_SLOT_LEVEL) &&
	    w[a].before.level.side == side &&
	    better_than(side, w[a].before.level.price, price))
		better = &w[a++];
	if (is_read(w, a, n, ZK_SLOT_LEVEL) &&
	    w[a].before.level.side == side &&
	    better_than(side, price, w[a].before.level.price))
		worse = &w[a++];
	if (a != n)
		return "a BOOK_FULL with other accesses";
	/* the AIR's gap: adjacent brackets, or the side's end */
	best = side == ZK_SIDE_BUY ? h->best_bid : h->best_ask;
	after_better = worse != NULL ? worse->slot : ZK_SLOT_NIL;
	if (better != NULL ? better->before.level.worse != after_better :
			     best != after_better)
		return "a BOOK_FULL whose level reads do not show the gap at "
		       "its price";
	return NULL;
}

static const char *levels_in_range(const struct zk_witness_access *w,
				   size_t n, uint32_t market)
{
	for (size_t i = 0; i < n; i++) {
		if (w[i].market != market)
			return "a BOOK_FULL with accesses of another market";
		if (w[i].kind == ZK_SLOT_LEVEL &&
		    (w[i].before.level.price < 0 ||
		     (uint64_t)w[i].before.level.price >= CLOB_VAL_MAX_PRICE))
			return "a BOOK_FULL next to a level price out of range";
	}
	return NULL;
}

const char *zk_clob_full_shape(const struct zk_op *op,
			       const struct zk_witness_access *w, size_t n,
			       uint32_t market)
{
	const struct zk_book_header *h;
	const char *why = levels_in_range(w, n, market);
	uint32_t best;
	size_t a = 0;

	if (why != NULL)
		return why;
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
	return level_gap(op->side, op->price, h, w, a, n);
}

const char *zk_clob_full_replace_shape(const struct zk_op *op,
				       const struct zk_witness_access *w,
				       size_t a, size_t n, uint32_t market)
{
	const struct zk_witness_access *ord = &w[a - 1];
	const char *why = levels_in_range(w, n, market);
	size_t b = a;

	if (why != NULL)
		return why;
	/* the new id's probes, the order's level (it keeps another order),
	 * slots_available's header read */
	while (is_read(w, b, n, ZK_SLOT_BUCKET))
		b++;
	if (b == a || !is_read(w, b, n, ZK_SLOT_LEVEL) ||
	    w[b].slot != ord->before.order.level ||
	    (w[b].before.level.head == ord->slot &&
	     w[b].before.level.tail == ord->slot) ||
	    !is_read(w, b + 1, n, ZK_SLOT_HEADER))
		return "a REPLACE BOOK_FULL with other accesses";
	return level_gap(ord->before.order.side, op->price,
			 &w[b + 1].before.header, w, b + 2, n);
}
