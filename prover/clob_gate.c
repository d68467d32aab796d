/* SPDX-License-Identifier: MIT */
/*
 * The prover's gate, access side (clob_proof.c asks it before proving):
 * zk_clob_unsupported names the op kinds the CLOB AIR constrains; this
 * file checks, op by op, that the engine's witness accesses have the
 * shape the AIR's rows for that kind expect (the REPLACE kinds:
 * clob_proof_replace.c), so a batch the AIR cannot express is refused
 * with the reason instead of failing inside the prover.
 */
#include <stddef.h>
#include <stdint.h>

#include "clob_air.h"
#include "zkclob/clobproof.h"
#include "clob_errf.h"

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
	} else if (cross && left == 1) {
		*kind = ZK_SLOT_LEVEL;
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

/*
 * order_remove after its maker's read, from *a: the optional order
 * re-read, the level write, level_free's up to three level writes and
 * its header write, the erase's bucket probes and writes (at least three
 * accesses), the order slot freed and the header write. Advances *a past
 * them; 0 if the accesses have another shape.
 */
static int removal_shape(const struct zk_witness_access *w, size_t *a,
			 size_t n)
{
	size_t k, i = *a;

	if (is_acc(w, i, n, ZK_SLOT_ORDER, 1))
		i++;
	if (!is_acc(w, i++, n, ZK_SLOT_LEVEL, 1))
		return 0;
	for (k = 0; is_acc(w, i, n, ZK_SLOT_LEVEL, 1); k++)
		i++;
	if (k > 3 || (k > 0 && !is_acc(w, i++, n, ZK_SLOT_HEADER, 1)))
		return 0;
	for (k = 0; is_acc(w, i, n, ZK_SLOT_BUCKET, 0) ||
		    is_acc(w, i, n, ZK_SLOT_BUCKET, 1); k++)
		i++;
	if (k < 3 || !is_acc(w, i, n, ZK_SLOT_ORDER, 1) ||
	    !is_acc(w, i + 1, n, ZK_SLOT_HEADER, 1))
		return 0;
	*a = i + 2;
	return 1;
}

/* A level price the AIR's 40-bit crossing and ordering registers cover. */
static int price_in_range(int64_t p)
{
	return p >= 0 && (uint64_t)p < CLOB_VAL_MAX_PRICE;
}

/*
 * The rest of fok_fillable's read chain after its first head read, from
 * *a: order reads down a level's FIFO, and a worse level's read followed
 * by its head's. Advances *a past them; the reason if a level price is
 * outside the AIR's registers.
 */
static const char *fok_chain_shape(const struct zk_witness_access *w,
				   size_t *a, size_t n)
{
	size_t i = *a;

	for (;;) {
		if (is_acc(w, i, n, ZK_SLOT_ORDER, 0)) {
			i++;
		} else if (is_acc(w, i, n, ZK_SLOT_LEVEL, 0) &&
			   is_acc(w, i + 1, n, ZK_SLOT_ORDER, 0)) {
			if (!price_in_range(w[i].before.level.price))
				return "a NEW next to a level price "
				       "out of range";
			i += 2;
		} else {
			break;
		}
	}
	*a = i;
	return NULL;
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
 * any level); a FOK may first read crossing levels and their orders
 * (clob_air_loop.h, clob_air_fill.h: fok_fillable's chain, in a
 * CANCEL_OLDEST market skipping orders of its own: clob_air_fokstp.h).
 * NULL, or why not.
 */
static const char *taker_shape(const struct zk_op *op,
			       const struct zk_witness_access *w, size_t n,
			       uint32_t market)
{
	const char *why;
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
		why = fok_chain_shape(w, &a, n);
		if (why != NULL)
			return why;
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
 * The accesses of a taker that trades (clob_air_match.h, clob_air_fill.h):
 * bucket reads up to an empty one, [a GTC's slots_available header read,]
 * [a FOK's fok_fillable reads: header, level, head,] then per fill: the
 * header read, the best opposite level's read, its head order's read and
 * write, the level's write; when the maker empties, order_remove's: the
 * order's re-read, [its next's write], the level write, [level_free's
 * level writes and header write], the maker id's probes and the erase
 * (bucket reads and writes), the order slot's and the header's writes;
 * the next fill starts with a header read, a level read, an order read
 * and write. When the taker keeps a remaining: the header read and (a
 * limit order's) the best opposite level's read, or a GTC's rest. NULL,
 * or why not.
 */
static const char *match_shape(const struct zk_op *op,
			       const struct zk_witness_access *w, size_t n,
			       uint32_t market, int stp_remove)
{
	const char *why;
	size_t a = 0;
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
	/* a FOK's fok_fillable: the header, the best level, its orders
	 * down the FIFO and the worse levels' until they cover the qty
	 * (match then reads them again) */
	if (op->tif == ZK_TIF_FOK && a > 0) {
		if (!is_acc(w, a, n, ZK_SLOT_HEADER, 0) ||
		    !is_acc(w, a + 1, n, ZK_SLOT_LEVEL, 0) ||
		    !is_acc(w, a + 2, n, ZK_SLOT_ORDER, 0))
			return "a matching NEW with other accesses";
		if (!price_in_range(w[a + 1].before.level.price))
			return "a NEW next to a level price out of range";
		a += 3;
		why = fok_chain_shape(w, &a, n);
		if (why != NULL)
			return why;
	}
	if (a == 0)
		return "a matching NEW with other accesses";
	for (;;) {
		/* (CANCEL_OLDEST: a pass whose head is the taker's own, the
		 * maker removed: its read, then order_remove's re-read) */
		int own = stp_remove && is_acc(w, a, n, ZK_SLOT_HEADER, 0) &&
			  is_acc(w, a + 1, n, ZK_SLOT_LEVEL, 0) &&
			  is_acc(w, a + 2, n, ZK_SLOT_ORDER, 0) &&
			  is_acc(w, a + 3, n, ZK_SLOT_ORDER, 0);

		if (!own && (a + 5 > n || !is_acc(w, a, n, ZK_SLOT_HEADER, 0) ||
			     !is_acc(w, a + 1, n, ZK_SLOT_LEVEL, 0) ||
			     !is_acc(w, a + 2, n, ZK_SLOT_ORDER, 0) ||
			     !is_acc(w, a + 3, n, ZK_SLOT_ORDER, 1) ||
			     !is_acc(w, a + 4, n, ZK_SLOT_LEVEL, 1)))
			return "a matching NEW with other accesses";
		if (!price_in_range(w[a + 1].before.level.price))
			return "a NEW next to a level price out of range";
		a += own ? 3 : 5;
		if (a == n)
			return NULL;
		if (!is_acc(w, a++, n, ZK_SLOT_ORDER, 0) ||
		    !removal_shape(w, &a, n))
			return "a matching NEW with other accesses";
		if (a == n)
			return NULL;
		/* the loop's next pass: a crossing level's head is filled
		 * (or, CANCEL_OLDEST, removed) */
		if (!is_acc(w, a + 2, n, ZK_SLOT_ORDER, 0) ||
		    !(is_acc(w, a + 3, n, ZK_SLOT_ORDER, 1) ||
		      (stp_remove && is_acc(w, a + 3, n, ZK_SLOT_ORDER, 0))))
			break;
	}
	/* a self-trade stop after fills: the header, the level, its head
	 * (the taker's own) */
	if (op->tif != ZK_TIF_FOK && a + 3 == n &&
	    is_acc(w, a, n, ZK_SLOT_HEADER, 0) &&
	    is_acc(w, a + 1, n, ZK_SLOT_LEVEL, 0) &&
	    is_acc(w, a + 2, n, ZK_SLOT_ORDER, 0))
		return price_in_range(w[a + 1].before.level.price) ?
			       NULL :
			       "a NEW next to a level price out of range";
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
 * The events of a taker that trades (engine match, then enter): ACCEPTED,
 * per fill a TRADE and, when the maker empties, its DONE, then DONE (the
 * last TRADE left the taker nothing), CANCELLED IOC_REMAINDER (an IOC or
 * market order's remainder), CANCELLED STP (a self-trade stop at a later
 * maker) or nothing (a GTC's rests). Every fill but
 * the last empties its maker and leaves the taker a remaining. The number
 * of fills, or 0 when the events are not that.
 */
size_t zk_clob_fill_events(const struct zk_op *op, const struct zk_event *ev,
			   size_t n)
{
	const struct zk_event *last = NULL;
	size_t i = 1, fills = 0;
	/* a REPLACE that moves and trades: REPLACED (reason 0) first, then
	 * a GTC limit taker's events (engine apply_replace → enter) */
	int move = op->type == ZK_OP_REPLACE;
	uint8_t tif = move ? ZK_TIF_GTC : op->tif;

	if (n < 2 || (move ? ev[0].type != ZK_EV_REPLACED || ev[0].reason != 0 :
			     n < 3 || ev[0].type != ZK_EV_ACCEPTED))
		return 0;
	while (i < n && ev[i].type == ZK_EV_TRADE) {
		if (last != NULL &&
		    (last->other_remaining != 0 || last->remaining == 0))
			return 0;
		last = &ev[i++];
		fills++;
		if (last->other_remaining == 0) {
			if (i >= n || ev[i].type != ZK_EV_DONE)
				return 0;
			i++;
		}
	}
	if (last == NULL)
		return 0;
	if (last->remaining == 0)
		return i + 1 == n && ev[i].type == ZK_EV_DONE ? fills : 0;
	if (last->other_remaining != 0 || tif == ZK_TIF_FOK)
		return 0;
	/* self-trade prevention stopped it (CANCEL_NEWEST: the caller
	 * checks the market's mode) */
	if (i + 1 == n && ev[i].type == ZK_EV_CANCELLED &&
	    ev[i].reason == ZK_CXL_STP)
		return fills;
	if (tif == ZK_TIF_GTC)
		return i == n ? fills : 0;
	return i + 1 == n && ev[i].type == ZK_EV_CANCELLED &&
			       ev[i].reason == ZK_CXL_IOC_REMAINDER ?
		       fills : 0;
}

/*
 * The taker whose events start at ev (engine struct taker): a NEW's own
 * fields after its ACCEPTED, or a move's after its REPLACED (reason 0;
 * engine apply_replace: the new id, the order's side, GTC, a limit). 1,
 * or 0 when ev is neither.
 */
static int taker_of(const struct zk_op *op, const struct zk_event *ev,
		    struct zk_op *t)
{
	*t = *op;
	if (op->type != ZK_OP_REPLACE)
		return op->type == ZK_OP_NEW && ev->type == ZK_EV_ACCEPTED;
	t->order_id = op->new_order_id;
	t->side = ev->side;
	t->tif = ZK_TIF_GTC;
	t->ord_type = ZK_ORD_LIMIT;
	return ev->type == ZK_EV_REPLACED && ev->reason == 0;
}

/*
 * The events of a taker stopped by a CANCEL_BOTH self-trade: ACCEPTED (a
 * move's REPLACED), [fills as zk_clob_fill_events sees a stop after
 * them,] the maker's CANCELLED STP (the other side, not the taker's id),
 * the taker's CANCELLED STP (its id and side). 1 + the number of fills,
 * or 0.
 */
size_t zk_clob_stp_both_events(const struct zk_op *op,
			       const struct zk_event *ev, size_t n)
{
	const struct zk_event *m = &ev[n - 2], *t = &ev[n - 1];
	struct zk_op tk;
	size_t fills;

	if (n < 3 || !taker_of(op, ev, &tk) ||
	    m->type != ZK_EV_CANCELLED || m->reason != ZK_CXL_STP ||
	    t->type != ZK_EV_CANCELLED || t->reason != ZK_CXL_STP ||
	    m->side == tk.side || m->order_id == tk.order_id ||
	    t->side != tk.side || t->order_id != tk.order_id)
		return 0;
	if (n == 3)
		return 1;
	fills = zk_clob_fill_events(op, ev, n - 1);
	return fills != 0 ? fills + 1 : 0;
}

/*
 * The events of a taker in a CANCEL_OLDEST market whose loop removed at
 * least one maker of its own (CANCELLED STP: the other side, not the
 * taker's id) among its fills: ACCEPTED (a move's REPLACED), then TRADEs
 * [and the emptied makers' DONEs] and such CANCELLEDs, every TRADE but
 * the last emptying its maker and leaving the taker a remaining, then
 * DONE (the last TRADE left nothing), CANCELLED IOC_REMAINDER of the
 * remaining (an IOC or market order) or nothing (a GTC rests); a FOK's
 * (whose fok_fillable skipped those makers) ends DONE. 1 or 0.
 */
int zk_clob_stp_oldest_events(const struct zk_op *op,
			      const struct zk_event *ev, size_t n)
{
	uint64_t rem = op->qty;
	size_t i = 1, own = 0;
	struct zk_op tk;

	if (n < 2 || !taker_of(op, ev, &tk))
		return 0;
	while (i < n && rem != 0) {
		const struct zk_event *e = &ev[i];

		if (e->type == ZK_EV_CANCELLED && e->reason == ZK_CXL_STP &&
		    e->side != tk.side && e->order_id != tk.order_id) {
			own++;
			i++;
			continue;
		}
		if (e->type != ZK_EV_TRADE)
			break;
		i++;
		if (e->qty == 0 || e->qty > rem || e->remaining != rem - e->qty)
			return 0;
		rem = e->remaining;
		if (e->other_remaining == 0) {
			if (i >= n || ev[i].type != ZK_EV_DONE)
				return 0;
			i++;
		} else if (rem != 0) {
			return 0;
		}
	}
	if (own == 0)
		return 0;
	if (rem == 0)
		return i + 1 == n && ev[i].type == ZK_EV_DONE;
	if (tk.tif == ZK_TIF_FOK)
		return 0;
	if (tk.tif == ZK_TIF_GTC)
		return i == n;
	return i + 1 == n && ev[i].type == ZK_EV_CANCELLED &&
	       ev[i].reason == ZK_CXL_IOC_REMAINDER && ev[i].qty == rem;
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

/*
 * The accesses of a CANCEL_BOTH self-trade stop (clob_air_stp.h): what a
 * CANCEL_NEWEST stop reads (stp_shape, or match_shape's fills and the
 * stop after them), then order_remove of the maker: its re-read (two
 * order reads in a row mark it), [its next's write], the level write,
 * [level_free's level writes and header write], the maker id's probes
 * and the erase, the order slot's and the header's writes, nothing
 * after. NULL, or why not.
 */
static const char *stp_both_shape(const struct zk_op *op,
				  const struct zk_witness_access *w, size_t n,
				  uint32_t market, size_t fills)
{
	size_t a = 1, k;
	const char *why;

	while (a < n && !(is_acc(w, a - 1, n, ZK_SLOT_ORDER, 0) &&
			  is_acc(w, a, n, ZK_SLOT_ORDER, 0)))
		a++;
	if (a >= n)
		return "a self-trade stop that keeps the maker";
	why = fills == 0 ? stp_shape(op, w, a, market) :
			   match_shape(op, w, a, market, 0);
	if (why != NULL)
		return why;
	a++;
	if (!removal_shape(w, &a, n) || a != n)
		return "a self-trade stop with other accesses";
	for (k = 0; k < n; k++)
		if (w[k].market != market)
			return "a NEW with accesses of another market";
	return NULL;
}

/* Ops of a cut batch have increasing seq, events follow their op. */
int zk_clob_check_supported(const struct zk_batch *b,
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
		if (why == NULL && b->ops[i].type == ZK_OP_NEW &&
		    b->events.ev[ev0].type == ZK_EV_REJECTED &&
		    b->events.ev[ev0].reason == ZK_REJ_BOOK_FULL) {
			own_shape = 1;
			why = zk_clob_full_shape(&b->ops[i],
						 b->witness.acc + acc0, n_acc,
						 mp->market);
		}
		if (why == NULL &&
		    zk_clob_replace_supported(&b->ops[i], b->events.ev + ev0,
					      ev - ev0, n_acc, mp)) {
			own_shape = 1;
			why = zk_clob_replace_shape(&b->ops[i],
						    b->events.ev + ev0,
						    b->witness.acc + acc0,
						    n_acc, mp->market);
		}
		if (why == NULL &&
		    b->events.ev[ev0].type == ZK_EV_ACCEPTED) {
			size_t both = mp->stp == ZK_STP_CANCEL_BOTH ?
					      zk_clob_stp_both_events(
						      &b->ops[i],
						      b->events.ev + ev0,
						      ev - ev0) :
					      0;
			int oldest = mp->stp == ZK_STP_CANCEL_OLDEST &&
				     zk_clob_stp_oldest_events(
					     &b->ops[i], b->events.ev + ev0,
					     ev - ev0);

			own_shape = 1;
			if (both != 0)
				why = stp_both_shape(&b->ops[i],
						     b->witness.acc + acc0,
						     n_acc, mp->market,
						     both - 1);
			else if (oldest || ev - ev0 >= 3)
				why = match_shape(&b->ops[i],
						  b->witness.acc + acc0, n_acc,
						  mp->market, oldest);
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
			uint8_t kind;
			int write;

			expected_access(&b->ops[i], ev0p, a - acc0, n_acc,
					&kind, &write);
			if (!w->write != !write || w->kind != kind ||
			    w->market != mp->market)
				why = "an id-probing op with other accesses";
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
