/* SPDX-License-Identifier: MIT */
/*
 * The prover's gate for REPLACE ops past the owner check, rejected,
 * keeping priority or moving to a price where they rest or trade
 * (clob_proof.c asks it): which of them the CLOB AIR constrains
 * (clob_air_replace.h, clob_air_move.h, clob_air_xmove.h,
 * clob_air_xstp.h) and whether the engine's accesses have the shape its
 * rows expect (a move's up to its removal; what follows is the AIR's to
 * check).
 */
#include <stddef.h>
#include <stdint.h>

#include "clob_air.h"

static int replace_numbers_ok(const struct zk_op *op,
			      const struct zk_market_params *mp)
{
	return op->type == ZK_OP_REPLACE && op->market == mp->market &&
	       zk_clob_val_ok(mp) && op->price >= 0 &&
	       (uint64_t)op->price < CLOB_VAL_MAX_PRICE &&
	       op->qty < CLOB_VAL_MAX_QTY;
}

/*
 * A move stopped by self-trade prevention at its first maker in a
 * CANCEL_NEWEST market (clob_air_xstp.h): REPLACED (reason 0), then
 * CANCELLED STP of the taker apply_replace builds: the new id, the
 * order's side, the new price and qty.
 */
static int move_stop_first(const struct zk_op *op, const struct zk_event *ev,
			   size_t n)
{
	return n == 2 && ev[0].type == ZK_EV_REPLACED && ev[0].reason == 0 &&
	       ev[1].type == ZK_EV_CANCELLED && ev[1].reason == ZK_CXL_STP &&
	       ev[1].order_id == op->new_order_id && ev[1].side == ev[0].side &&
	       ev[1].price == op->price && ev[1].qty == op->qty;
}

/*
 * The events of a move that crosses (clob_air_xmove.h, clob_air_xstp.h):
 * REPLACED, then a GTC taker's fills and end (zk_clob_fill_events counts
 * fills), or its self-trade prevention per the market's mode: CANCEL_NEWEST
 * after fills (the fill events' end) or at the first maker, CANCEL_BOTH
 * (the maker's and the taker's CANCELLED STP), CANCEL_OLDEST (its own
 * makers removed, the loop going on).
 */
static int move_events_ok(const struct zk_op *op, const struct zk_event *ev,
			  size_t n, const struct zk_market_params *mp)
{
	switch (mp->stp) {
	case ZK_STP_CANCEL_NEWEST:
		return zk_clob_fill_events(op, ev, n) != 0 ||
		       move_stop_first(op, ev, n);
	case ZK_STP_CANCEL_BOTH:
		return (zk_clob_fill_events(op, ev, n) != 0 &&
			ev[n - 1].type != ZK_EV_CANCELLED) ||
		       zk_clob_stp_both_events(op, ev, n) != 0;
	default:
		return (zk_clob_fill_events(op, ev, n) != 0 &&
			ev[n - 1].type != ZK_EV_CANCELLED) ||
		       zk_clob_stp_oldest_events(op, ev, n);
	}
}

int zk_clob_replace_supported(const struct zk_op *op,
			      const struct zk_event *events, size_t n_events,
			      size_t n_accesses,
			      const struct zk_market_params *mp)
{
	if (!replace_numbers_ok(op, mp))
		return 0;
	/* a move that trades or meets its own order: the move's rows, then
	 * at least a header, level and order read (a stop at the first
	 * maker) */
	if (n_events > 1)
		return move_events_ok(op, events, n_events, mp) &&
		       n_accesses >= 14;
	/* priority kept: probes, order read, the new id's probes, the
	 * erase, the insert, the order and level writes */
	if (events[0].type == ZK_EV_REPLACED && events[0].reason == 1)
		return n_accesses >= 8;
	/* a move whose only event is REPLACED rests without crossing (a
	 * fill or an STP cancel would add events): the rows of
	 * clob_air_move.h, at least probes, ORD, NP, LO, HS, the removal's
	 * seven and the rest's six */
	if (events[0].type == ZK_EV_REPLACED)
		return events[0].reason == 0 && n_accesses >= 17;
	if (events[0].type != ZK_EV_REJECTED)
		return 0;
	switch (events[0].reason) {
	case ZK_REJ_BAD_TICK:
	case ZK_REJ_BAD_LOT:
	case ZK_REJ_PRICE_BAND:
	case ZK_REJ_MAX_QTY:
		return n_accesses >= 2;
	case ZK_REJ_DUPLICATE_ID:
		return n_accesses >= 3;
	case ZK_REJ_BOOK_FULL:
		/* probes, order read, the new id's probes, the order's
		 * level, the header (clob_air_full.h) */
		return n_accesses >= 5;
	default:
		return 0;
	}
}

/* Bucket reads from access a on, at least one; the index after them. */
static size_t bucket_reads(const struct zk_witness_access *w, size_t a,
			   size_t n)
{
	while (a < n && w[a].kind == ZK_SLOT_BUCKET && !w[a].write)
		a++;
	return a;
}

/*
 * A move after its order read (access a): the new id's probes, the read of
 * the order's level, slots_available's header read, with no free level
 * slot and the order not alone in its level level_lookup's read of a
 * level of its side at the new price (clob_air_mfull.h), then
 * order_remove's re-read of the order.
 */
static const char *move_shape(const struct zk_op *op,
			      const struct zk_witness_access *w, size_t a,
			      size_t n)
{
	const struct zk_witness_access *ord = &w[a - 1];
	size_t b = bucket_reads(w, a, n);
	int alone;

	if (b == a || b + 3 > n)
		return "a REPLACE moving without the new id's probes";
	if (w[b].kind != ZK_SLOT_LEVEL || w[b].write ||
	    w[b].slot != ord->before.order.level)
		return "a REPLACE moving without the read of its level";
	if (w[b + 1].kind != ZK_SLOT_HEADER || w[b + 1].write)
		return "a REPLACE moving without slots_available's read";
	alone = w[b].before.level.head == ord->slot &&
		w[b].before.level.tail == ord->slot;
	if (w[b + 1].before.header.level_free == ZK_SLOT_NIL && !alone) {
		/* level_lookup: a level of the order's side at the price */
		if (w[b + 2].kind != ZK_SLOT_LEVEL || w[b + 2].write ||
		    w[b + 2].before.level.side != ord->before.order.side ||
		    w[b + 2].before.level.price != op->price)
			return "a REPLACE moving with other accesses";
		b++;
	}
	if (b + 3 > n)
		return "a REPLACE moving with accesses before its removal";
	if (w[b + 2].kind != ZK_SLOT_ORDER || w[b + 2].write ||
	    w[b + 2].slot != ord->slot)
		return "a REPLACE moving with accesses before its removal";
	return NULL;
}

const char *zk_clob_replace_shape(const struct zk_op *op,
				  const struct zk_event *ev,
				  const struct zk_witness_access *w, size_t n,
				  uint32_t market)
{
	size_t a = bucket_reads(w, 0, n), b;

	for (size_t i = 0; i < n; i++)
		if (w[i].market != market)
			return "a REPLACE with an access of another market";
	if (a == 0 || a >= n || w[a].kind != ZK_SLOT_ORDER || w[a].write)
		return "a REPLACE whose id probes are not followed by its "
		       "order read";
	a++;
	if (ev->type == ZK_EV_REPLACED && ev->reason == 0)
		return move_shape(op, w, a, n);
	if (ev->type == ZK_EV_REJECTED && ev->reason == ZK_REJ_BOOK_FULL)
		return zk_clob_full_replace_shape(op, w, a, n, market);
	if (ev->type == ZK_EV_REPLACED) {
		/* bucket reads and writes (the new id's probes, the erase,
		 * the insert), then the order write and the level write */
		b = a;
		while (b < n && w[b].kind == ZK_SLOT_BUCKET)
			b++;
		if (b == a || b + 2 != n || w[b].kind != ZK_SLOT_ORDER ||
		    !w[b].write || w[b + 1].kind != ZK_SLOT_LEVEL ||
		    !w[b + 1].write)
			return "a REPLACE keeping priority with other accesses";
		return NULL;
	}
	if (ev->reason != ZK_REJ_DUPLICATE_ID)
		return a == n ? NULL :
				"a REPLACE reject with accesses after its "
				"order read";
	b = bucket_reads(w, a, n);
	if (b == a || b != n)
		return "a REPLACE DUPLICATE_ID without the new id's probes";
	return NULL;
}
