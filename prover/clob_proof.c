/* SPDX-License-Identifier: MIT */
/*
 * zk_clob_prove / zk_clob_verify: the statement around the CLOB AIR, the
 * refusal of op kinds the AIR does not constrain yet, and the checks a
 * verifier makes outside the AIR (seq range, BLAKE2b digests).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clob_air.h"
#include "stark.h"
#include "zkclob/clobproof.h"
#include "clob_errf.h"

/* A NEW rejected by the market rules within the AIR's numeric limits. */
static int validation_supported(const struct zk_op *op,
				const struct zk_event *ev,
				const struct zk_market_params *mp)
{
	return op->type == ZK_OP_NEW && op->market == mp->market &&
	       (ev->reason == ZK_REJ_BAD_TICK || ev->reason == ZK_REJ_BAD_LOT ||
		ev->reason == ZK_REJ_PRICE_BAND ||
		ev->reason == ZK_REJ_MAX_QTY) &&
	       zk_clob_val_ok(mp) && op->price >= 0 &&
	       (uint64_t)op->price < CLOB_VAL_MAX_PRICE &&
	       op->qty < CLOB_VAL_MAX_QTY;
}

const char *zk_clob_unsupported(const struct zk_op *op,
				const struct zk_event *events, size_t n_events,
				size_t n_accesses,
				const struct zk_market_params *mp)
{
	/* The AIR checks that the op really is malformed; here we only pick
	 * the batches it can speak about. */
	if (n_events == 1 && events[0].type == ZK_EV_REJECTED &&
	    events[0].reason == ZK_REJ_MALFORMED)
		return n_accesses == 0 ?
			       NULL :
			       "MALFORMED reject that accessed the book";
	if (n_events == 1 && events[0].type == ZK_EV_REJECTED &&
	    n_accesses == 0 && validation_supported(op, &events[0], mp))
		return NULL;
	/* a NEW whose id is live: the market rules pass, probes to the id */
	if (n_events == 1 && events[0].type == ZK_EV_REJECTED &&
	    events[0].reason == ZK_REJ_DUPLICATE_ID && n_accesses >= 1 &&
	    op->type == ZK_OP_NEW && op->market == mp->market &&
	    zk_clob_val_ok(mp) && op->price >= 0 &&
	    (uint64_t)op->price < CLOB_VAL_MAX_PRICE &&
	    op->qty < CLOB_VAL_MAX_QTY)
		return NULL;
	/* a post-only NEW (WOULD_CROSS: probes, header, level) or a limit
	 * GTC that is not post-only (BOOK_FULL: probes, header) whose id is
	 * free and whose market rules pass; check_supported checks that the
	 * accesses are those and, for BOOK_FULL, that the order free list is
	 * the empty one (a full level table is refused) */
	if (n_events == 1 && events[0].type == ZK_EV_REJECTED &&
	    ((events[0].reason == ZK_REJ_WOULD_CROSS && n_accesses >= 3) ||
	     (events[0].reason == ZK_REJ_BOOK_FULL && n_accesses >= 2 &&
	      op->flags == 0)) &&
	    op->type == ZK_OP_NEW && op->market == mp->market &&
	    zk_clob_val_ok(mp) && op->price >= 0 &&
	    (uint64_t)op->price < CLOB_VAL_MAX_PRICE &&
	    op->qty < CLOB_VAL_MAX_QTY)
		return NULL;
	/* a reduce (CANCEL, qty > 0) of the owner's order that the lot or
	 * the remaining size rejects: probes to the id, then the order */
	if (n_events == 1 && events[0].type == ZK_EV_REJECTED &&
	    (events[0].reason == ZK_REJ_BAD_LOT ||
	     events[0].reason == ZK_REJ_BAD_REDUCE) && n_accesses >= 2 &&
	    op->type == ZK_OP_CANCEL && op->market == mp->market &&
	    zk_clob_val_ok(mp) && op->qty < CLOB_VAL_MAX_QTY)
		return NULL;
	/* a reduce that applies: probes to the id, the order read, the order
	 * write and the level write (check_supported checks them) */
	if (n_events == 1 && events[0].type == ZK_EV_CANCELLED &&
	    events[0].reason == ZK_CXL_REDUCE && n_accesses >= 4 &&
	    op->type == ZK_OP_CANCEL && op->market == mp->market &&
	    zk_clob_val_ok(mp) && op->qty < CLOB_VAL_MAX_QTY)
		return NULL;
	/* a full cancel (check_supported checks the accesses:
	 * cancel_shape) */
	if (n_events == 1 && events[0].type == ZK_EV_CANCELLED &&
	    events[0].reason == ZK_CXL_USER && n_accesses >= 8 &&
	    op->type == ZK_OP_CANCEL && op->qty == 0 &&
	    op->market == mp->market && zk_clob_val_ok(mp))
		return NULL;
	/* a limit GTC that rests without trading (ACCEPTED and nothing
	 * else; check_supported checks the accesses: rest_shape) */
	if (n_events == 1 && events[0].type == ZK_EV_ACCEPTED &&
	    n_accesses >= 8 && op->type == ZK_OP_NEW &&
	    op->ord_type == ZK_ORD_LIMIT && op->tif == ZK_TIF_GTC &&
	    op->market == mp->market && zk_clob_val_ok(mp) &&
	    op->price >= 0 && (uint64_t)op->price < CLOB_VAL_MAX_PRICE &&
	    op->qty < CLOB_VAL_MAX_QTY)
		return NULL;
	/* a limit IOC / FOK or market NEW that finds nothing to cross:
	 * ACCEPTED, then CANCELLED IOC_REMAINDER / FOK_UNFILLED (the reason
	 * the AIR derives from the tif); check_supported checks the accesses
	 * (taker_shape) */
	if (n_events == 2 && events[0].type == ZK_EV_ACCEPTED &&
	    events[1].type == ZK_EV_CANCELLED &&
	    (events[1].reason == ZK_CXL_IOC_REMAINDER ||
	     events[1].reason == ZK_CXL_FOK_UNFILLED) &&
	    n_accesses >= 2 && op->type == ZK_OP_NEW &&
	    (op->tif == ZK_TIF_IOC || op->tif == ZK_TIF_FOK) &&
	    op->market == mp->market && zk_clob_val_ok(mp) &&
	    op->price >= 0 && (uint64_t)op->price < CLOB_VAL_MAX_PRICE &&
	    op->qty < CLOB_VAL_MAX_QTY)
		return NULL;
	/* a limit IOC / GTC (not post-only) or market NEW filled by the
	 * best level's head order, which keeps a remaining (ACCEPTED, TRADE,
	 * DONE) or held exactly the taker's qty (ACCEPTED, TRADE, the
	 * maker's DONE, DONE), or held less and nothing else crosses
	 * (ACCEPTED, TRADE, the maker's DONE, then CANCELLED IOC_REMAINDER,
	 * or for a GTC nothing: the remainder rests); check_supported checks
	 * the accesses: match_shape; a self-trade or a second fill gives
	 * other events */
	if ((n_events == 3 ||
	     (n_events == 4 && events[1].other_remaining == 0 &&
	      ((events[1].remaining == 0 && events[3].type == ZK_EV_DONE) ||
	       (events[1].remaining != 0 &&
		events[3].type == ZK_EV_CANCELLED &&
		events[3].reason == ZK_CXL_IOC_REMAINDER)))) &&
	    events[0].type == ZK_EV_ACCEPTED &&
	    events[1].type == ZK_EV_TRADE && events[2].type == ZK_EV_DONE &&
	    n_accesses >= 6 && op->type == ZK_OP_NEW &&
	    (op->tif == ZK_TIF_IOC || op->tif == ZK_TIF_FOK ||
	     (op->tif == ZK_TIF_GTC && op->ord_type == ZK_ORD_LIMIT &&
	      op->flags == 0)) &&
	    op->market == mp->market &&
	    zk_clob_val_ok(mp) && op->price >= 0 &&
	    (uint64_t)op->price < CLOB_VAL_MAX_PRICE &&
	    op->qty < CLOB_VAL_MAX_QTY)
		return NULL;
	/* a limit IOC / GTC (not post-only) or market IOC NEW whose first
	 * maker is its own order, in a market whose STP mode cancels the
	 * taker (ACCEPTED, CANCELLED STP); check_supported checks the
	 * accesses: stp_shape */
	if (n_events == 2 && events[0].type == ZK_EV_ACCEPTED &&
	    events[1].type == ZK_EV_CANCELLED &&
	    events[1].reason == ZK_CXL_STP &&
	    mp->stp == ZK_STP_CANCEL_NEWEST && n_accesses >= 4 &&
	    op->type == ZK_OP_NEW &&
	    (op->tif == ZK_TIF_IOC ||
	     (op->tif == ZK_TIF_GTC && op->ord_type == ZK_ORD_LIMIT &&
	      op->flags == 0)) &&
	    op->market == mp->market && zk_clob_val_ok(mp) &&
	    op->price >= 0 && (uint64_t)op->price < CLOB_VAL_MAX_PRICE &&
	    op->qty < CLOB_VAL_MAX_QTY)
		return NULL;
	/* id-hash probes to an empty bucket, or to the id and then the order:
	 * reads only (check_supported checks the accesses) */
	if (n_events == 1 && events[0].type == ZK_EV_REJECTED &&
	    (events[0].reason == ZK_REJ_UNKNOWN_ORDER ||
	     events[0].reason == ZK_REJ_OWNER_MISMATCH) && n_accesses >= 1 &&
	    (op->type == ZK_OP_CANCEL || op->type == ZK_OP_REPLACE) &&
	    op->market == mp->market)
		return NULL;
	/* a REPLACE rejected after its owner check (clob_proof_replace.c) */
	if (zk_clob_replace_supported(op, events, n_events, n_accesses, mp))
		return NULL;
	if (n_events >= 1 && events[0].type == ZK_EV_REJECTED) {
		switch (op->type) {
		case ZK_OP_NEW:
			return "NEW rejected by validation";
		case ZK_OP_CANCEL:
			return "CANCEL rejected by validation";
		default:
			return "REPLACE rejected by validation";
		}
	}
	switch (op->type) {
	case ZK_OP_NEW:
		if (op->ord_type == ZK_ORD_MARKET)
			return "NEW market order";
		return op->tif == ZK_TIF_GTC ? "NEW limit GTC" :
		       op->tif == ZK_TIF_IOC ? "NEW limit IOC" : "NEW limit FOK";
	case ZK_OP_CANCEL:
		return op->qty == 0 ? "CANCEL" : "CANCEL (reduce)";
	default:
		return "REPLACE";
	}
}

/*
 * The slot kind and access type the AIR's rows expect for access a of
 * n_acc of one supported op (accesses counted from its first): probes
 * (bucket reads) first, then the kind's tail.
 */
static void expected_access(const struct zk_op *op, const struct zk_event *ev,
			    size_t a, size_t n_acc, uint8_t *kind, int *write)
{
	int owner = ev->reason == ZK_REJ_OWNER_MISMATCH ||
		    (op->type == ZK_OP_CANCEL &&
		     (ev->reason == ZK_REJ_BAD_LOT ||
		      ev->reason == ZK_REJ_BAD_REDUCE));
	int reduce = ev->type == ZK_EV_CANCELLED;
	int cross = ev->reason == ZK_REJ_WOULD_CROSS;
	int full = ev->reason == ZK_REJ_BOOK_FULL;
	size_t left = n_acc - a; /* 1 for the last access */

	*kind = ZK_SLOT_BUCKET;
	*write = 0;
	if (reduce) {
		if (left <= 3)
			*kind = left == 1 ? ZK_SLOT_LEVEL : ZK_SLOT_ORDER;
		*write = left <= 2;
	} else if (owner && left == 1) {
		*kind = ZK_SLOT_ORDER;
	} else if (cross && left == 2) {
		*kind = ZK_SLOT_HEADER;
	} else if ((cross || full) && left == 1) {
		*kind = full ? ZK_SLOT_HEADER : ZK_SLOT_LEVEL;
	}
}

/*
 * The accesses of a full cancel the AIR proves (clob_air_cancel.h): bucket
 * reads up to the id, the order read twice, the neighbours' link writes,
 * the level write (when it empties: the neighbour levels', the level's
 * and the header's writes of level_free), the erase (bucket reads, each
 * maybe followed by a write; a final write), the order slot write, the
 * header write. NULL, or why not.
 */
static const char *cancel_shape(const struct zk_witness_access *w, size_t n,
				uint32_t market)
{
	size_t a = 0, links = 0;

	for (size_t i = 0; i < n; i++)
		if (w[i].market != market)
			return "a cancel with accesses of another market";
	while (a < n && w[a].kind == ZK_SLOT_BUCKET && !w[a].write)
		a++;
	if (a == 0 || a + 2 > n || w[a].kind != ZK_SLOT_ORDER || w[a].write ||
	    w[a + 1].kind != ZK_SLOT_ORDER || w[a + 1].write)
		return "a cancel with other accesses";
	for (a += 2; a < n && w[a].kind == ZK_SLOT_ORDER && w[a].write; a++)
		links++;
	if (links > 2 || a >= n || w[a].kind != ZK_SLOT_LEVEL || !w[a].write)
		return "a cancel with other accesses";
	/* the level emptied: level_free's neighbour and slot writes, then
	 * the header */
	if (w[a++].after.level.head == ZK_SLOT_NIL) {
		for (links = 0; a < n && w[a].kind == ZK_SLOT_LEVEL &&
				w[a].write;
		     a++)
			links++;
		if (links < 1 || links > 3 || a >= n ||
		    w[a].kind != ZK_SLOT_HEADER || !w[a].write)
			return "a cancel with other accesses";
		a++;
	}
	/* the erase: scans, each maybe followed by a move; the last scan
	 * (of an empty bucket) by the final write */
	for (; a < n && w[a].kind == ZK_SLOT_BUCKET && !w[a].write;) {
		a++;
		if (a < n && w[a].kind == ZK_SLOT_BUCKET && w[a].write)
			a++;
	}
	if (a + 2 != n || w[a - 1].kind != ZK_SLOT_BUCKET || !w[a - 1].write ||
	    w[a].kind != ZK_SLOT_ORDER || !w[a].write ||
	    w[a + 1].kind != ZK_SLOT_HEADER || !w[a + 1].write)
		return "a cancel with other accesses";
	return NULL;
}

static int is_acc(const struct zk_witness_access *w, size_t a, size_t n,
		  uint8_t kind, int write)
{
	return a < n && w[a].kind == kind && !w[a].write == !write;
}

/* A level price the AIR's 40-bit crossing and ordering registers cover. */
static int price_in_range(int64_t p)
{
	return p >= 0 && (uint64_t)p < CLOB_VAL_MAX_PRICE;
}

/*
 * A resting NEW's accesses from its first header read on (rest_shape;
 * a GTC taker's remainder after its fills: match_shape). NULL, or why
 * not.
 */
static const char *rest_tail(const struct zk_witness_access *w, size_t a,
			     size_t n)
{
	size_t k;

	if (!is_acc(w, a, n, ZK_SLOT_HEADER, 0))
		return "a NEW with other accesses";
	while (is_acc(w, a, n, ZK_SLOT_HEADER, 0) ||
	       is_acc(w, a, n, ZK_SLOT_LEVEL, 0))
		a++;
	if (!is_acc(w, a, n, ZK_SLOT_ORDER, 0) ||
	    !is_acc(w, a + 1, n, ZK_SLOT_HEADER, 1))
		return "a NEW with other accesses";
	a += 2;
	for (k = 0; is_acc(w, a, n, ZK_SLOT_LEVEL, 0); k++)
		a++;
	if (is_acc(w, a, n, ZK_SLOT_HEADER, 1)) {
		for (a++, k = 0; is_acc(w, a, n, ZK_SLOT_LEVEL, 1); k++)
			a++;
		if (k < 1 || k > 3)
			return "a NEW with other accesses";
	} else if (k != 0) {
		return "a NEW with other accesses";
	}
	for (k = 0; is_acc(w, a, n, ZK_SLOT_ORDER, 1); k++)
		a++;
	if (k < 1 || k > 2 || !is_acc(w, a++, n, ZK_SLOT_LEVEL, 1))
		return "a NEW with other accesses";
	while (is_acc(w, a, n, ZK_SLOT_BUCKET, 0))
		a++;
	if (!is_acc(w, a, n, ZK_SLOT_BUCKET, 1) || a + 1 != n)
		return "a NEW with other accesses";
	return NULL;
}

/*
 * The accesses of a resting NEW the AIR proves (clob_air_rest.h): bucket
 * reads up to an empty one; header and level reads (would_cross,
 * slots_available, match, level_lookup); the order slot read and the
 * header write of order_rest; level_create's candidate reads, header,
 * level and neighbour writes, or nothing when the level exists; the order
 * write, the old tail's write, the level write; the insert's bucket reads
 * and write. NULL, or why not.
 */
static const char *rest_shape(const struct zk_witness_access *w, size_t n,
			      uint32_t market)
{
	size_t a = 0;

	for (size_t i = 0; i < n; i++) {
		if (w[i].market != market)
			return "a NEW with accesses of another market";
		if (w[i].kind == ZK_SLOT_LEVEL &&
		    (!price_in_range(w[i].before.level.price) ||
		     !price_in_range(w[i].after.level.price)))
			return "a NEW next to a level price out of range";
	}
	while (is_acc(w, a, n, ZK_SLOT_BUCKET, 0))
		a++;
	if (a == 0)
		return "a NEW with other accesses";
	return rest_tail(w, a, n);
}

/*
 * The accesses of a taker that finds nothing to cross (clob_air_taker.h):
 * bucket reads up to an empty one, the header read, the best opposite
 * level's read when there is one (a limit order's: a market order crosses
 * any level); a FOK may first read a crossing level and its only order
 * (clob_air_loop.h). NULL, or why not.
 */
static const char *taker_shape(const struct zk_op *op,
			       const struct zk_witness_access *w, size_t n,
			       uint32_t market)
{
	size_t a = 0;

	for (size_t i = 0; i < n; i++)
		if (w[i].market != market)
			return "a NEW with accesses of another market";
	while (is_acc(w, a, n, ZK_SLOT_BUCKET, 0))
		a++;
	if (a == 0 || !is_acc(w, a++, n, ZK_SLOT_HEADER, 0))
		return "an IOC / FOK / market NEW with other accesses";
	if (a == n)
		return NULL;
	/* a FOK that reads a crossing level's only order (its own, or too
	 * small), then maybe the worse level, which does not cross */
	if (op->tif == ZK_TIF_FOK && is_acc(w, a + 1, n, ZK_SLOT_ORDER, 0)) {
		if (!is_acc(w, a, n, ZK_SLOT_LEVEL, 0) ||
		    !price_in_range(w[a].before.level.price))
			return "an IOC / FOK / market NEW with other accesses";
		a += 2;
		if (a == n)
			return NULL;
	}
	if (op->ord_type != ZK_ORD_LIMIT ||
	    !is_acc(w, a, n, ZK_SLOT_LEVEL, 0) || a + 1 != n)
		return "an IOC / FOK / market NEW with other accesses";
	if (!price_in_range(w[a].before.level.price))
		return "a NEW next to a level price out of range";
	return NULL;
}

/*
 * The accesses of a taker filled by one maker (clob_air_match.h): bucket
 * reads up to an empty one, the header read, the best opposite level's
 * read, its head order's read and write, the level's write; when the
 * maker empties, order_remove's: the order's re-read, [its next's write],
 * the level write, [level_free's level writes and header write], the
 * maker id's probes and the erase (bucket reads and writes), the order
 * slot's and the header's writes; then, when the taker keeps a
 * remaining, the header read and (a limit order's) the best opposite
 * level's read. NULL, or why not.
 */
static const char *match_shape(const struct zk_op *op,
			       const struct zk_witness_access *w, size_t n,
			       uint32_t market)
{
	size_t a = 0, k;
	int gtc = op->tif == ZK_TIF_GTC;

	for (size_t i = 0; i < n; i++) {
		if (w[i].market != market)
			return "a NEW with accesses of another market";
		if (gtc && w[i].kind == ZK_SLOT_LEVEL &&
		    (!price_in_range(w[i].before.level.price) ||
		     !price_in_range(w[i].after.level.price)))
			return "a NEW next to a level price out of range";
	}
	while (is_acc(w, a, n, ZK_SLOT_BUCKET, 0))
		a++;
	/* a GTC's slots_available: the header (a level free list that is
	 * empty means BOOK_FULL: an own level at a crossing price would be a
	 * crossed book) */
	if (gtc && a > 0 && !is_acc(w, a++, n, ZK_SLOT_HEADER, 0))
		return "a matching NEW with other accesses";
	/* a FOK's fok_fillable: the header, the best level, its head (the
	 * one maker that fills it: match then reads them again) */
	if (op->tif == ZK_TIF_FOK && a > 0) {
		if (!is_acc(w, a, n, ZK_SLOT_HEADER, 0) ||
		    !is_acc(w, a + 1, n, ZK_SLOT_LEVEL, 0) ||
		    !is_acc(w, a + 2, n, ZK_SLOT_ORDER, 0))
			return "a matching NEW with other accesses";
		if (!price_in_range(w[a + 1].before.level.price))
			return "a NEW next to a level price out of range";
		a += 3;
	}
	if (a == 0 || a + 5 > n || !is_acc(w, a, n, ZK_SLOT_HEADER, 0) ||
	    !is_acc(w, a + 1, n, ZK_SLOT_LEVEL, 0) ||
	    !is_acc(w, a + 2, n, ZK_SLOT_ORDER, 0) ||
	    !is_acc(w, a + 3, n, ZK_SLOT_ORDER, 1) ||
	    !is_acc(w, a + 4, n, ZK_SLOT_LEVEL, 1))
		return "a matching NEW with other accesses";
	if (!price_in_range(w[a + 1].before.level.price))
		return "a NEW next to a level price out of range";
	a += 5;
	if (a == n)
		return NULL;
	if (!is_acc(w, a++, n, ZK_SLOT_ORDER, 0))
		return "a matching NEW with other accesses";
	if (is_acc(w, a, n, ZK_SLOT_ORDER, 1))
		a++;
	if (!is_acc(w, a++, n, ZK_SLOT_LEVEL, 1))
		return "a matching NEW with other accesses";
	for (k = 0; is_acc(w, a, n, ZK_SLOT_LEVEL, 1); k++)
		a++;
	if (k > 3 || (k > 0 && !is_acc(w, a++, n, ZK_SLOT_HEADER, 1)))
		return "a matching NEW with other accesses";
	for (k = 0; is_acc(w, a, n, ZK_SLOT_BUCKET, 0) ||
		    is_acc(w, a, n, ZK_SLOT_BUCKET, 1); k++)
		a++;
	if (k < 3 || !is_acc(w, a, n, ZK_SLOT_ORDER, 1) ||
	    !is_acc(w, a + 1, n, ZK_SLOT_HEADER, 1))
		return "a matching NEW with other accesses";
	a += 2;
	if (a == n)
		return NULL;
	if (gtc)
		return rest_tail(w, a, n);
	if (op->tif == ZK_TIF_FOK)
		return "a FOK NEW with other accesses";
	if (!is_acc(w, a++, n, ZK_SLOT_HEADER, 0))
		return "a matching NEW with other accesses";
	if (a == n)
		return NULL;
	if (op->ord_type != ZK_ORD_LIMIT ||
	    !is_acc(w, a, n, ZK_SLOT_LEVEL, 0) || a + 1 != n)
		return "a matching NEW with other accesses";
	if (!price_in_range(w[a].before.level.price))
		return "a NEW next to a level price out of range";
	return NULL;
}

/*
 * The accesses of a taker stopped by a self-trade (clob_air_loop.h, OS):
 * bucket reads up to an empty one, [a GTC's slots_available header
 * read,] the header read, the best opposite level's read, its head's
 * read. NULL, or why not.
 */
static const char *stp_shape(const struct zk_op *op,
			     const struct zk_witness_access *w, size_t n,
			     uint32_t market)
{
	size_t a = 0;

	for (size_t i = 0; i < n; i++)
		if (w[i].market != market)
			return "a NEW with accesses of another market";
	while (is_acc(w, a, n, ZK_SLOT_BUCKET, 0))
		a++;
	if (a == 0 || (op->tif == ZK_TIF_GTC &&
			!is_acc(w, a++, n, ZK_SLOT_HEADER, 0)))
		return "a self-trade stop with other accesses";
	if (a + 3 != n || !is_acc(w, a, n, ZK_SLOT_HEADER, 0) ||
	    !is_acc(w, a + 1, n, ZK_SLOT_LEVEL, 0) ||
	    !is_acc(w, a + 2, n, ZK_SLOT_ORDER, 0))
		return "a self-trade stop with other accesses";
	if (!price_in_range(w[a + 1].before.level.price))
		return "a NEW next to a level price out of range";
	return NULL;
}

/* Ops of a cut batch have increasing seq, events follow their op. */
static int check_supported(const struct zk_batch *b,
			   const struct zk_market_params *mp, char *err,
			   size_t errlen)
{
	size_t ev = 0, acc = 0;

	for (size_t i = 0; i < b->n_ops; i++) {
		size_t ev0 = ev, n_acc = 0;
		const char *why;
		int own_shape;

		while (ev < b->events.len && b->events.ev[ev].seq == b->ops[i].seq)
			ev++;
		size_t acc0 = acc;

		while (acc < b->witness.len && b->witness.acc[acc].op == i) {
			acc++;
			n_acc++;
		}
		why = zk_clob_unsupported(&b->ops[i], b->events.ev + ev0,
					  ev - ev0, n_acc, mp);
		own_shape = why == NULL &&
			    b->events.ev[ev0].type == ZK_EV_CANCELLED &&
			    b->events.ev[ev0].reason == ZK_CXL_USER;
		if (own_shape)
			why = cancel_shape(b->witness.acc + acc0, n_acc,
					   mp->market);
		if (why == NULL &&
		    zk_clob_replace_supported(&b->ops[i], b->events.ev + ev0,
					      ev - ev0, n_acc, mp)) {
			own_shape = 1;
			why = zk_clob_replace_shape(b->events.ev + ev0,
						    b->witness.acc + acc0,
						    n_acc, mp->market);
		}
		if (why == NULL &&
		    b->events.ev[ev0].type == ZK_EV_ACCEPTED) {
			own_shape = 1;
			if (ev - ev0 >= 3)
				why = match_shape(&b->ops[i],
						  b->witness.acc + acc0, n_acc,
						  mp->market);
			else if (ev - ev0 == 2 &&
				 b->events.ev[ev0 + 1].reason == ZK_CXL_STP)
				why = stp_shape(&b->ops[i],
						b->witness.acc + acc0, n_acc,
						mp->market);
			else if (ev - ev0 == 2)
				why = taker_shape(&b->ops[i],
						  b->witness.acc + acc0, n_acc,
						  mp->market);
			else
				why = rest_shape(b->witness.acc + acc0, n_acc,
						 mp->market);
		}
		/* probes are bucket reads, then each kind's tail of reads and
		 * writes (expected_access) */
		for (size_t a = acc0; why == NULL && !own_shape && a < acc;
		     a++) {
			const struct zk_witness_access *w = &b->witness.acc[a];
			const struct zk_event *ev0p = &b->events.ev[ev0];
			int full = ev0p->type == ZK_EV_REJECTED &&
				   ev0p->reason == ZK_REJ_BOOK_FULL;
			uint8_t kind;
			int write;

			expected_access(&b->ops[i], ev0p, a - acc0, n_acc,
					&kind, &write);
			if (!w->write != !write || w->kind != kind ||
			    w->market != mp->market)
				why = "an id-probing op with other accesses";
			else if (full && kind == ZK_SLOT_HEADER &&
				 w->before.header.order_free != ZK_SLOT_NIL)
				why = "BOOK_FULL with a free order slot (full "
				      "level table)";
			else if (kind == ZK_SLOT_LEVEL && !write &&
				 (w->before.level.price < 0 ||
				  (uint64_t)w->before.level.price >=
					  CLOB_VAL_MAX_PRICE))
				why = "WOULD_CROSS against a level price out "
				      "of range";
		}
		if (why != NULL) {
			clob_errf(err, errlen,
			     "op %zu (seq %llu): %s is not provable by CLOB "
			     "AIR v%u yet",
			     i, (unsigned long long)b->ops[i].seq, why,
			     ZK_CLOB_AIR_VERSION);
			return -1;
		}
	}
	if (ev != b->events.len || acc != b->witness.len) {
		clob_errf(err, errlen, "batch events or witness out of op order");
		return -1;
	}
	return 0;
}

static int shape_ok(const struct zk_st_layout *lay, char *err, size_t errlen)
{
	if (lay->arity != 4) {
		clob_errf(err, errlen, "CLOB AIR needs a state tree of arity 4");
		return -1;
	}
	for (uint32_t k = 1; k <= ZK_ST_KINDS; k++) {
		uint32_t c = lay->count[k];

		if (c == 0 || (c & (c - 1)) != 0) {
			clob_errf(err, errlen,
			     "CLOB AIR needs power-of-two max_orders and "
			     "max_levels");
			return -1;
		}
	}
	return 0;
}

int zk_clob_prove_committed(const struct zk_batch *batch,
			    const struct zk_clob_prove_opts *opts,
			    struct zk_statement *st, uint8_t **proof,
			    size_t *proof_len, char *err, size_t errlen)
{
	const struct zk_stark_params *sp;
	const struct zk_st_layout *lay;
	struct zk_clob_air *c = NULL;
	struct zk_prove_opts po;
	zk_gl **cols = NULL;
	unsigned log_n;
	int rc;

	if (batch == NULL || opts == NULL || opts->market == NULL ||
	    proof == NULL || proof_len == NULL || st == NULL ||
	    batch->n_ops == 0 || batch->tree_update == NULL ||
	    batch->tree_layout == NULL) {
		clob_errf(err, errlen, "zk_clob_prove_committed: bad arguments "
				  "(or the batch is not committed)");
		return ZK_CLOB_EINVAL;
	}
	lay = batch->tree_layout;
	sp = zk_stark_params_by_id(opts->stark_params);
	if (sp == NULL) {
		clob_errf(err, errlen, "unknown STARK parameter set %u",
		     opts->stark_params);
		return ZK_CLOB_EINVAL;
	}
	if (lay->market != opts->market->market || st->market != lay->market) {
		clob_errf(err, errlen, "tree, statement and market parameters "
				  "disagree");
		return ZK_CLOB_EINVAL;
	}
	if (st->params_id != 0 && st->params_id != ZK_CLOB_PARAMS_ID(sp->id)) {
		clob_errf(err, errlen, "statement names parameter id %#x, this "
				  "prover makes %#x", st->params_id,
		     ZK_CLOB_PARAMS_ID(sp->id));
		return ZK_CLOB_EINVAL;
	}
	if (st->batch_seq != batch->batch_seq ||
	    st->first_seq != batch->first_seq ||
	    st->last_seq != batch->last_seq ||
	    memcmp(st->old_root, batch->tree_update->old_root, 32) != 0 ||
	    memcmp(st->new_root, batch->tree_update->new_root, 32) != 0 ||
	    memcmp(st->ops_digest, batch->ops_digest, 32) != 0 ||
	    memcmp(st->events_digest, batch->events_digest, 32) != 0) {
		clob_errf(err, errlen, "statement is not the committed batch's");
		return ZK_CLOB_EINVAL;
	}
	if (shape_ok(lay, err, errlen) != 0)
		return ZK_CLOB_EINVAL;
	if (check_supported(batch, opts->market, err, errlen) != 0)
		return ZK_CLOB_EUNSUPPORTED;
	st->params_id = ZK_CLOB_PARAMS_ID(sp->id);

	c = malloc(sizeof(*c));
	if (c == NULL)
		return ZK_CLOB_ENOMEM;
	if (zk_clob_air_init(c, lay, opts->market, st, batch->ops,
			     batch->n_ops, batch->events.ev, batch->events.len,
			     0, err, errlen) != 0) {
		rc = ZK_CLOB_EINVAL;
		goto out;
	}
	if (zk_clob_trace_build(c, batch, batch->tree_update, opts->threads,
				&cols, &log_n, err, errlen) != 0) {
		rc = ZK_CLOB_EPROVE;
		goto out;
	}
	po = (struct zk_prove_opts){ .threads = opts->threads,
				     .debug = opts->debug };
	rc = zk_stark_prove(&c->air, sp, (const zk_gl *const *)cols, log_n,
			    &po, proof, proof_len, err, errlen);
	rc = rc == ZK_STARK_ACCEPT ? ZK_CLOB_OK :
	     rc == ZK_STARK_ENOMEM ? ZK_CLOB_ENOMEM : ZK_CLOB_EPROVE;
out:
	zk_clob_trace_free(cols);
	free(c);
	return rc;
}

/* Commit + prove on a private copy of the batch header (the caller's batch
 * is const). Refusals come before the tree is touched. */
int zk_clob_prove(const struct zk_batch *batch, struct zk_st_tree *tree,
		  const struct zk_clob_prove_opts *opts, uint8_t **proof,
		  size_t *proof_len, struct zk_statement *st, char *err,
		  size_t errlen)
{
	struct zk_st_update u = { 0 };
	struct zk_batch b;
	int rc;

	if (batch == NULL || tree == NULL || opts == NULL ||
	    opts->market == NULL || proof == NULL || proof_len == NULL ||
	    st == NULL || batch->n_ops == 0) {
		clob_errf(err, errlen, "zk_clob_prove: bad arguments");
		return ZK_CLOB_EINVAL;
	}
	if (zk_stark_params_by_id(opts->stark_params) == NULL) {
		clob_errf(err, errlen, "unknown STARK parameter set %u",
		     opts->stark_params);
		return ZK_CLOB_EINVAL;
	}
	if (zk_st_layout_get(tree)->market != opts->market->market) {
		clob_errf(err, errlen, "tree and market parameters disagree");
		return ZK_CLOB_EINVAL;
	}
	if (shape_ok(zk_st_layout_get(tree), err, errlen) != 0)
		return ZK_CLOB_EINVAL;
	if (check_supported(batch, opts->market, err, errlen) != 0)
		return ZK_CLOB_EUNSUPPORTED;
	b = *batch;
	rc = zk_clob_commit(&b, tree, &u, st, err, errlen);
	if (rc == ZK_CLOB_OK)
		rc = zk_clob_prove_committed(&b, opts, st, proof, proof_len,
					     err, errlen);
	zk_st_update_free(&u);
	return rc;
}

static int events_digest_ok(const struct zk_event *events, size_t n,
			    const uint8_t want[32])
{
	struct zk_events_digest d;
	uint8_t got[32];

	zk_events_digest_init(&d);
	zk_events_digest_update(&d, events, n);
	zk_events_digest_final(&d, got);
	return memcmp(got, want, 32) == 0;
}

int zk_clob_verify(const struct zk_statement *st, const struct zk_op *ops,
		   size_t n_ops, const struct zk_event *events, size_t n_events,
		   const struct zk_market_params *market, uint8_t stark_params,
		   const uint8_t *proof, size_t proof_len, char *err,
		   size_t errlen)
{
	struct zk_st_layout lay;
	struct zk_engine *e;
	struct zk_clob_air *c;
	uint8_t digest[32];
	int rc;

	if (st == NULL || ops == NULL || market == NULL || proof == NULL ||
	    (events == NULL && n_events != 0) || n_ops == 0) {
		clob_errf(err, errlen, "zk_clob_verify: bad arguments");
		return ZK_CLOB_EINVAL;
	}
	if (!zk_statement_is_well_formed(st) || st->market != market->market ||
	    st->params_id != ZK_CLOB_PARAMS_ID(stark_params)) {
		clob_errf(err, errlen, "statement: malformed, other market or "
				  "other parameter id");
		return ZK_CLOB_EREJECT;
	}
	if (st->first_seq != ops[0].seq || st->last_seq != ops[n_ops - 1].seq) {
		clob_errf(err, errlen, "statement: seq range differs from the ops");
		return ZK_CLOB_EREJECT;
	}
	for (size_t i = 1; i < n_ops; i++) {
		if (ops[i].seq <= ops[i - 1].seq) {
			clob_errf(err, errlen, "ops: seq not increasing at %zu", i);
			return ZK_CLOB_EREJECT;
		}
	}
	zk_ops_digest(ops, n_ops, digest);
	if (memcmp(digest, st->ops_digest, 32) != 0) {
		clob_errf(err, errlen, "ops digest differs from the statement");
		return ZK_CLOB_EREJECT;
	}
	if (!events_digest_ok(events, n_events, st->events_digest)) {
		clob_errf(err, errlen, "events digest differs from the statement");
		return ZK_CLOB_EREJECT;
	}
	/* The slot counts (the tree layout) follow from the market rules. */
	e = zk_engine_create(market, 1);
	if (e == NULL) {
		clob_errf(err, errlen, "market parameters are invalid");
		return ZK_CLOB_EINVAL;
	}
	rc = zk_st_layout_for_engine(&lay, e, market->market, 4);
	zk_engine_destroy(e);
	if (rc != 0) {
		clob_errf(err, errlen, "no state-tree layout for this market");
		return ZK_CLOB_EINVAL;
	}
	c = malloc(sizeof(*c));
	if (c == NULL)
		return ZK_CLOB_ENOMEM;
	if (zk_clob_air_init(c, &lay, market, st, ops, n_ops, events, n_events,
			     0, err, errlen) != 0) {
		free(c);
		return ZK_CLOB_EREJECT;
	}
	rc = zk_stark_verify(&c->air, stark_params, proof, proof_len, err,
			     errlen);
	free(c);
	return rc == ZK_STARK_ACCEPT ? ZK_CLOB_OK : ZK_CLOB_EREJECT;
}
