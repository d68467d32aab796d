/* SPDX-License-Identifier: MIT */
/*
 * The matching core, written once and compiled twice: core_plain.c includes
 * it with ZK_CORE_WITNESS 0 and core_witness.c with 1. With 0 every witness
 * hook expands to nothing, so the plain engine pays no per-access cost; the
 * only price of the switch is one branch per op in zk_engine_apply().
 *
 * Slot access discipline (what the witness proves): a slot is read through
 * W_RD() before its fields decide anything, and mutated only inside W_MOD(),
 * which logs the value before and after. The acceleration index (level_at,
 * bitmaps) is consulted without logging: it only names slots whose fields
 * are then read and checked like any other.
 *
 * A few shortcuts exist only in the plain build (#if !ZK_CORE_WITNESS: a
 * place or move that cannot trade skips matching and the free-list round
 * trip). They reach the same slot state and events; the witness build
 * always takes the general path, whose accesses are the proof's witness
 * (tests/engine/test_engine_witness_pin.c pins both).
 */
#ifndef ZK_CORE_WITNESS
#error "define ZK_CORE_WITNESS to 0 or 1 before including core.h"
#endif

#include <errno.h>
#include <string.h>

#include "engine_priv.h"

#if ZK_CORE_WITNESS
#define CORE_APPLY zk__apply_witness
#define CORE_APPLY_BURST zk__apply_burst_witness
#define W_RD(m, kind, idx, ptr)                                            \
	((void)zk__witness_begin(e, (m)->p.market, (kind), (idx), (ptr),   \
				 sizeof(*(ptr)), 0))
#define W_MOD(m, kind, idx, ptr, ...)                                      \
	do {                                                               \
		size_t w_at_ = zk__witness_begin(e, (m)->p.market, (kind), \
						 (idx), (ptr),             \
						 sizeof(*(ptr)), 1);       \
		__VA_ARGS__;                                               \
		zk__witness_end(e, w_at_, (ptr), sizeof(*(ptr)));          \
	} while (0)
#else
#define CORE_APPLY zk__apply_plain
#define CORE_APPLY_BURST zk__apply_burst_plain
#define W_RD(m, kind, idx, ptr) ((void)e)
#define W_MOD(m, kind, idx, ptr, ...)                                      \
	do {                                                               \
		(void)e;                                                   \
		__VA_ARGS__;                                               \
	} while (0)
#endif

#define HDR(m) W_RD(m, ZK_SLOT_HEADER, 0, &(m)->hdr)
#define HDR_MOD(m, ...) W_MOD(m, ZK_SLOT_HEADER, 0, &(m)->hdr, __VA_ARGS__)

/* The order being entered: a NEW, or the re-entry of a replace. */
struct taker {
	uint64_t id;
	uint64_t account;
	uint32_t stp_group;
	uint8_t side;
	uint8_t tif;
	uint8_t is_market;
	int64_t price; /* limit; 0 for market orders */
	uint64_t remaining;
};

static inline struct zk_event *
ev_push(struct zk_engine *e, struct zk_event_buf *out)
{
	if (ZK_UNLIKELY(out->len == out->cap) && zk__event_buf_grow(out) != 0) {
		e->oom = 1;
		return &e->sink;
	}
	return &out->ev[out->len++];
}

static inline void
emit(struct zk_engine *e, struct zk_event_buf *out, const struct zk_op *op,
     uint8_t type, uint8_t reason, uint8_t side, uint64_t order_id,
     uint64_t other_id, int64_t price, uint64_t qty, uint64_t remaining,
     uint64_t other_remaining)
{
	*ev_push(e, out) = (struct zk_event){
		.seq = op->seq,
		.market = op->market,
		.type = type,
		.reason = reason,
		.side = side,
		.order_id = order_id,
		.other_id = other_id,
		.price = price,
		.qty = qty,
		.remaining = remaining,
		.other_remaining = other_remaining,
	};
}

static inline int
self_trade(const struct taker *t, const struct zk_order_slot *o)
{
	if (t->stp_group != 0 || o->stp_group != 0)
		return t->stp_group == o->stp_group;
	return t->account == o->account;
}

/* Branch-free: the taker's side is as random as the flow. */
static inline int
crosses(const struct taker *t, int64_t maker_price)
{
	int buy = t->side == ZK_SIDE_BUY;

	return t->is_market | (buy & (maker_price <= t->price)) |
	       (!buy & (maker_price >= t->price));
}

#if !ZK_CORE_WITNESS
/* Would a limit order of `side` at `price` find nothing to trade with? */
static inline int
rests_without_trading(const struct zk_market *m, uint8_t side, int64_t price)
{
	uint32_t li = side == ZK_SIDE_BUY ? m->hdr.best_ask : m->hdr.best_bid;
	int64_t best;

	if (li == ZK_SLOT_NIL)
		return 1;
	best = m->levels[li].price;
	return side == ZK_SIDE_BUY ? best > price : best < price;
}
#endif

#include "core_hash.h"

static inline uint32_t *
best_of(struct zk_market *m, uint8_t side)
{
	return side == ZK_SIDE_BUY ? &m->hdr.best_bid : &m->hdr.best_ask;
}

/* Level of `side` at band index `bi`, or ZK_SLOT_NIL. */
static inline uint32_t
level_lookup(struct zk_engine *e, struct zk_market *m, uint32_t bi,
	     uint8_t side)
{
	uint32_t l = m->level_at[bi];

	if (l == 0)
		return ZK_SLOT_NIL;
	l--;
	W_RD(m, ZK_SLOT_LEVEL, l, &m->levels[l]);
	return m->levels[l].side == side ? l : ZK_SLOT_NIL;
}

/* The live levels (either side) nearest to band index `bi` above and below
 * it, from the price index; ZK_SLOT_NIL where there is none. */
static inline void
level_index_neighbours(const struct zk_market *m, uint32_t bi,
		       uint32_t *above_l, uint32_t *below_l)
{
	uint32_t above = bi + 1 < m->band ? zk__bm_next(m, bi + 1)
					  : ZK_SLOT_NIL;
	uint32_t below = bi > 0 ? zk__bm_prev(m, bi - 1) : ZK_SLOT_NIL;

	*above_l = above == ZK_SLOT_NIL ? ZK_SLOT_NIL : m->level_at[above] - 1;
	*below_l = below == ZK_SLOT_NIL ? ZK_SLOT_NIL : m->level_at[below] - 1;
}

static void
level_free(struct zk_engine *e, struct zk_market *m, uint32_t li)
{
	struct zk_level_slot *l = &m->levels[li];
	uint32_t better = l->better, worse = l->worse;
	uint32_t bi = m->level_band_idx[li];
	uint8_t side = l->side;

	if (better != ZK_SLOT_NIL) {
		struct zk_level_slot *b = &m->levels[better];

		W_MOD(m, ZK_SLOT_LEVEL, better, b, b->worse = worse);
	}
	if (worse != ZK_SLOT_NIL) {
		struct zk_level_slot *w = &m->levels[worse];

		W_MOD(m, ZK_SLOT_LEVEL, worse, w, w->better = better);
	}
	W_MOD(m, ZK_SLOT_LEVEL, li, l,
	      *l = (struct zk_level_slot){
		      .head = ZK_SLOT_NIL,
		      .tail = ZK_SLOT_NIL,
		      .better = ZK_SLOT_NIL,
		      .worse = m->hdr.level_free,
	      });
	HDR_MOD(m, if (better == ZK_SLOT_NIL) *best_of(m, side) = worse;
		m->hdr.n_levels--; m->hdr.level_free = li);
	m->level_at[bi] = 0;
	zk__bm_clear(m, bi);
}

/*
 * Takes a resting order out of the book: FIFO unlink, level total, id
 * bucket (`bucket`, or found by probing when ZK_SLOT_NIL), slot back to the
 * free list; frees its level when it empties.
 */
static void
order_remove(struct zk_engine *e, struct zk_market *m, uint32_t oi,
	     uint32_t bucket)
{
	struct zk_order_slot *o = &m->orders[oi];
	uint32_t li = o->level;
	struct zk_level_slot *l = &m->levels[li];
	uint32_t prev = o->prev, next = o->next;

	W_RD(m, ZK_SLOT_ORDER, oi, o);
	if (prev != ZK_SLOT_NIL) {
		struct zk_order_slot *p = &m->orders[prev];

		W_MOD(m, ZK_SLOT_ORDER, prev, p, p->next = next);
	}
	if (next != ZK_SLOT_NIL) {
		struct zk_order_slot *n = &m->orders[next];

		W_MOD(m, ZK_SLOT_ORDER, next, n, n->prev = prev);
	}
	W_MOD(m, ZK_SLOT_LEVEL, li, l, l->total -= o->remaining;
	      if (prev == ZK_SLOT_NIL) l->head = next;
	      if (next == ZK_SLOT_NIL) l->tail = prev);
	if (l->head == ZK_SLOT_NIL)
		level_free(e, m, li);

	if (bucket == ZK_SLOT_NIL)
		bucket = hash_find(e, m, o->id);
	hash_erase(e, m, bucket);

	W_MOD(m, ZK_SLOT_ORDER, oi, o,
	      *o = (struct zk_order_slot){
		      .prev = ZK_SLOT_NIL,
		      .next = m->hdr.order_free,
		      .level = ZK_SLOT_NIL,
	      });
	HDR_MOD(m, m->hdr.order_free = oi; m->hdr.n_orders--);
}

/* A new level at band index bi; the book is not crossed at its price. */
static uint32_t
level_create(struct zk_engine *e, struct zk_market *m, uint32_t bi,
	     uint8_t side, int64_t price)
{
	uint32_t li = m->hdr.level_free;
	struct zk_level_slot *l = &m->levels[li];
	uint32_t above_l, below_l;
	uint32_t better, worse;

	level_index_neighbours(m, bi, &above_l, &below_l);

	/* The opposite side lies entirely on the far side of `price`. */
	if (side == ZK_SIDE_BUY) {
		better = above_l;
		worse = below_l;
	} else {
		better = below_l;
		worse = above_l;
	}
	if (better != ZK_SLOT_NIL) {
		W_RD(m, ZK_SLOT_LEVEL, better, &m->levels[better]);
		if (m->levels[better].side != side)
			better = ZK_SLOT_NIL;
	}
	if (worse != ZK_SLOT_NIL) {
		W_RD(m, ZK_SLOT_LEVEL, worse, &m->levels[worse]);
		if (m->levels[worse].side != side)
			worse = ZK_SLOT_NIL;
	}

	HDR_MOD(m, m->hdr.level_free = l->worse; m->hdr.n_levels++;
		if (better == ZK_SLOT_NIL) *best_of(m, side) = li);
	W_MOD(m, ZK_SLOT_LEVEL, li, l,
	      *l = (struct zk_level_slot){
		      .price = price,
		      .head = ZK_SLOT_NIL,
		      .tail = ZK_SLOT_NIL,
		      .better = better,
		      .worse = worse,
		      .side = side,
	      });
	if (better != ZK_SLOT_NIL) {
		struct zk_level_slot *b = &m->levels[better];

		W_MOD(m, ZK_SLOT_LEVEL, better, b, b->worse = li);
	}
	if (worse != ZK_SLOT_NIL) {
		struct zk_level_slot *w = &m->levels[worse];

		W_MOD(m, ZK_SLOT_LEVEL, worse, w, w->better = li);
	}
	m->level_at[bi] = li + 1;
	m->level_band_idx[li] = bi;
	zk__bm_set(m, bi);
	return li;
}

/*
 * Free slots were checked before the op was accepted. `empty` is the bucket
 * the id goes to when the caller's probe found it and the table has not
 * changed since (plain build only), else ZK_SLOT_NIL.
 */
static void
order_rest(struct zk_engine *e, struct zk_market *m, const struct taker *t,
	   uint32_t bi, uint32_t empty)
{
	uint32_t oi = m->hdr.order_free;
	struct zk_order_slot *o = &m->orders[oi];
	uint32_t li = level_lookup(e, m, bi, t->side);
	struct zk_level_slot *l;
	uint32_t tail;

	W_RD(m, ZK_SLOT_ORDER, oi, o);
	HDR_MOD(m, m->hdr.order_free = o->next; m->hdr.n_orders++);
	if (li == ZK_SLOT_NIL)
		li = level_create(e, m, bi, t->side, t->price);
	l = &m->levels[li];
	tail = l->tail;
	W_MOD(m, ZK_SLOT_ORDER, oi, o,
	      *o = (struct zk_order_slot){
		      .id = t->id,
		      .account = t->account,
		      .price = t->price,
		      .remaining = t->remaining,
		      .prev = tail,
		      .next = ZK_SLOT_NIL,
		      .level = li,
		      .stp_group = t->stp_group,
		      .side = t->side,
	      });
	if (tail != ZK_SLOT_NIL) {
		struct zk_order_slot *p = &m->orders[tail];

		W_MOD(m, ZK_SLOT_ORDER, tail, p, p->next = oi);
	}
	W_MOD(m, ZK_SLOT_LEVEL, li, l, l->total += t->remaining;
	      if (tail == ZK_SLOT_NIL) l->head = oi; l->tail = oi);
#if !ZK_CORE_WITNESS
	if (empty != ZK_SLOT_NIL) {
		m->buckets[empty] = (struct zk_bucket_slot){
			.id = t->id,
			.order = oi,
		};
		return;
	}
#else
	(void)empty;
#endif
	hash_insert(e, m, t->id, oi);
}

/* Would a FOK fill completely? Reads exactly what matching would visit. */
static int
fok_fillable(struct zk_engine *e, struct zk_market *m, const struct taker *t)
{
	uint32_t li = t->side == ZK_SIDE_BUY ? m->hdr.best_ask
					     : m->hdr.best_bid;
	uint64_t need = t->remaining;
	int skip_self = m->p.stp == ZK_STP_CANCEL_OLDEST;

	HDR(m);
	while (li != ZK_SLOT_NIL) {
		const struct zk_level_slot *l = &m->levels[li];

		W_RD(m, ZK_SLOT_LEVEL, li, l);
		if (!crosses(t, l->price))
			return 0;
		for (uint32_t oi = l->head; oi != ZK_SLOT_NIL;) {
			const struct zk_order_slot *o = &m->orders[oi];

			W_RD(m, ZK_SLOT_ORDER, oi, o);
			if (self_trade(t, o)) {
				if (!skip_self)
					return 0;
			} else if (o->remaining >= need) {
				return 1;
			} else {
				need -= o->remaining;
			}
			oi = o->next;
		}
		li = l->worse;
	}
	return 0;
}

/*
 * Matches the taker against the opposite side while it crosses. Returns 1
 * when self-trade prevention cancelled the taker's remainder.
 */
static int
match(struct zk_engine *e, struct zk_market *m, const struct zk_op *op,
      struct taker *t, struct zk_event_buf *out)
{
	uint32_t *best = best_of(m, t->side == ZK_SIDE_BUY ? ZK_SIDE_SELL
							  : ZK_SIDE_BUY);

	while (t->remaining > 0) {
		uint32_t li = *best, oi;
		struct zk_level_slot *l;
		struct zk_order_slot *o;
		uint64_t fill;

		HDR(m);
		if (li == ZK_SLOT_NIL)
			break;
		l = &m->levels[li];
		W_RD(m, ZK_SLOT_LEVEL, li, l);
		if (!crosses(t, l->price))
			break;
		oi = l->head;
		o = &m->orders[oi];
		W_RD(m, ZK_SLOT_ORDER, oi, o);

		if (ZK_UNLIKELY(self_trade(t, o))) {
			enum zk_stp_mode mode = m->p.stp;

			if (mode != ZK_STP_CANCEL_NEWEST) {
				emit(e, out, op, ZK_EV_CANCELLED, ZK_CXL_STP,
				     o->side, o->id, 0, o->price, o->remaining,
				     0, 0);
				order_remove(e, m, oi, ZK_SLOT_NIL);
				if (mode == ZK_STP_CANCEL_OLDEST)
					continue;
			}
			emit(e, out, op, ZK_EV_CANCELLED, ZK_CXL_STP, t->side,
			     t->id, 0, t->price, t->remaining, 0, 0);
			t->remaining = 0;
			return 1;
		}

		fill = t->remaining < o->remaining ? t->remaining
						   : o->remaining;
		t->remaining -= fill;
		W_MOD(m, ZK_SLOT_ORDER, oi, o, o->remaining -= fill);
		W_MOD(m, ZK_SLOT_LEVEL, li, l, l->total -= fill);
		emit(e, out, op, ZK_EV_TRADE, 0, t->side, t->id, o->id,
		     o->price, fill, t->remaining, o->remaining);
		if (o->remaining == 0) {
			emit(e, out, op, ZK_EV_DONE, 0, o->side, o->id, 0,
			     o->price, 0, 0, 0);
			order_remove(e, m, oi, ZK_SLOT_NIL);
		}
	}
	return 0;
}

static inline void
reject(struct zk_engine *e, struct zk_event_buf *out, const struct zk_op *op,
       int reason)
{
	emit(e, out, op, ZK_EV_REJECTED, (uint8_t)reason, 0, op->order_id,
	     op->type == ZK_OP_REPLACE ? op->new_order_id : 0, 0, 0, 0, 0);
}

/*
 * Market-parameter checks in their documented order: tick, lot, band,
 * max_qty. On success *bi is the limit price's band index. min_price is a
 * multiple of tick, so in the band one division serves both checks.
 */
static inline int
check_price_qty(const struct zk_market *m, int64_t price, uint64_t qty,
		int is_market, uint32_t *bi)
{
	int in_band = 0;

	/* Power-of-two tick and lot (the common case): one test for the
	 * valid op; the ordered checks below name the reason otherwise. */
	if (ZK_LIKELY(m->units_pow2)) {
		uint64_t d = (uint64_t)price - (uint64_t)m->p.min_price;
		int bad = ((qty - 1) >= m->p.max_qty) |
			  ((qty & m->lot_mask) != 0) |
			  ((is_market == 0) & ((d > m->price_span) |
					 ((d & m->tick_mask) != 0)));

		if (ZK_LIKELY(!bad)) {
			*bi = (uint32_t)(d >> m->tick_shift);
			return 0;
		}
	}
	if (!is_market) {
		if (price >= m->p.min_price && price <= m->p.max_price) {
			uint64_t d = (uint64_t)price - (uint64_t)m->p.min_price;
			uint64_t q = m->tick_pow2 ? d >> m->tick_shift
						  : d / (uint64_t)m->p.tick;

			if (q * (uint64_t)m->p.tick != d)
				return ZK_REJ_BAD_TICK;
			*bi = (uint32_t)q;
			in_band = 1;
		} else if (price % m->p.tick != 0) {
			return ZK_REJ_BAD_TICK;
		}
	}
	if (qty == 0 || (m->lot_pow2 ? qty & (m->p.lot - 1) : qty % m->p.lot))
		return ZK_REJ_BAD_LOT;
	if (!is_market && !in_band)
		return ZK_REJ_PRICE_BAND;
	if (qty > m->p.max_qty)
		return ZK_REJ_MAX_QTY;
	return 0;
}

static inline int
would_cross(struct zk_engine *e, struct zk_market *m, const struct taker *t)
{
	uint32_t li = t->side == ZK_SIDE_BUY ? m->hdr.best_ask
					     : m->hdr.best_bid;

	HDR(m);
	if (li == ZK_SLOT_NIL)
		return 0;
	W_RD(m, ZK_SLOT_LEVEL, li, &m->levels[li]);
	return crosses(t, m->levels[li].price);
}

/*
 * Can an order of `side` rest at band index bi? Decided before matching
 * (which only ever frees slots) so a BOOK_FULL reject changes nothing.
 */
static inline int
slots_available(struct zk_engine *e, struct zk_market *m, uint32_t bi,
		uint8_t side, int order_slot_reused, int level_slot_freed)
{
	HDR(m);
	if (m->hdr.order_free == ZK_SLOT_NIL && !order_slot_reused)
		return 0;
	if (m->hdr.level_free != ZK_SLOT_NIL || level_slot_freed)
		return 1;
	if (level_lookup(e, m, bi, side) != ZK_SLOT_NIL)
		return 1;
#if ZK_CORE_WITNESS
	/* The index alone says no level of this price exists; a proof cannot
	 * see the index, so the witness reads the levels of this side that
	 * bracket the price (the ones level_create would link to): their
	 * adjacency, or a NIL better one with the best pointer on the worse,
	 * shows the gap. A bracketing level of the other side is not read: a
	 * proof needs only this side's list. The worse neighbour is of the
	 * other side only when the order crosses (the other side's levels
	 * lie between its price and this side's), and then no level of this
	 * side is better and the nearest worse one is this side's best, read
	 * instead. Read in level_create's order, better then worse. The
	 * plain build skips the reads, as they change nothing. */
	{
		uint32_t above_l, below_l, better, worse;

		level_index_neighbours(m, bi, &above_l, &below_l);
		better = side == ZK_SIDE_BUY ? above_l : below_l;
		worse = side == ZK_SIDE_BUY ? below_l : above_l;
		if (worse != ZK_SLOT_NIL && m->levels[worse].side != side)
			worse = *best_of(m, side);
		if (better != ZK_SLOT_NIL && m->levels[better].side == side)
			W_RD(m, ZK_SLOT_LEVEL, better, &m->levels[better]);
		if (worse != ZK_SLOT_NIL)
			W_RD(m, ZK_SLOT_LEVEL, worse, &m->levels[worse]);
	}
#endif
	return 0;
}

/* The accepted order's life after validation: match, then rest or end. */
static void
enter(struct zk_engine *e, struct zk_market *m, const struct zk_op *op,
      struct taker *t, uint32_t bi, struct zk_event_buf *out)
{
	if (t->tif == ZK_TIF_FOK && !fok_fillable(e, m, t)) {
		emit(e, out, op, ZK_EV_CANCELLED, ZK_CXL_FOK_UNFILLED, t->side,
		     t->id, 0, t->price, t->remaining, 0, 0);
		return;
	}
	if (match(e, m, op, t, out))
		return;
	if (t->remaining == 0) {
		emit(e, out, op, ZK_EV_DONE, 0, t->side, t->id, 0, t->price,
		     0, 0, 0);
		return;
	}
	if (t->tif != ZK_TIF_GTC) {
		emit(e, out, op, ZK_EV_CANCELLED, ZK_CXL_IOC_REMAINDER, t->side,
		     t->id, 0, t->price, t->remaining, 0, 0);
		return;
	}
	order_rest(e, m, t, bi, ZK_SLOT_NIL);
}

static inline __attribute__((always_inline)) void
apply_new(struct zk_engine *e, struct zk_market *m, const struct zk_op *op,
	  struct zk_event_buf *out)
{
	struct taker t = {
		.id = op->order_id,
		.account = op->account,
		.stp_group = op->stp_group,
		.side = op->side,
		.tif = op->tif,
		.is_market = op->ord_type == ZK_ORD_MARKET,
		.price = op->price,
		.remaining = op->qty,
	};
	uint32_t bi = 0, empty = ZK_SLOT_NIL;
	int r = check_price_qty(m, op->price, op->qty, t.is_market, &bi);

	if (r == 0 && hash_find_at(e, m, op->order_id, &empty) != ZK_SLOT_NIL)
		r = ZK_REJ_DUPLICATE_ID;
	if (r == 0 && (op->flags & ZK_OP_F_POST_ONLY) && would_cross(e, m, &t))
		r = ZK_REJ_WOULD_CROSS;
	if (r == 0 && (!t.is_market & (t.tif == ZK_TIF_GTC)) &&
	    !slots_available(e, m, bi, t.side, 0, 0))
		r = ZK_REJ_BOOK_FULL;
	if (r != 0) {
		reject(e, out, op, r);
		return;
	}
	emit(e, out, op, ZK_EV_ACCEPTED, 0, t.side, t.id, 0, t.price, t.remaining,
	     t.remaining, 0);
#if !ZK_CORE_WITNESS
	/* A GTC limit that cannot trade rests at once, exactly as enter()
	 * would after an empty match; nothing touched the buckets since the
	 * duplicate probe, so its empty bucket takes the id. */
	if ((!t.is_market & (t.tif == ZK_TIF_GTC)) &&
	    rests_without_trading(m, t.side, t.price)) {
		order_rest(e, m, &t, bi, empty);
		return;
	}
#endif
	enter(e, m, op, &t, bi, out);
}

static inline __attribute__((always_inline)) void
apply_cancel(struct zk_engine *e, struct zk_market *m, const struct zk_op *op,
	     struct zk_event_buf *out)
{
	uint32_t b = hash_find(e, m, op->order_id);
	uint32_t oi;
	struct zk_order_slot *o;

	if (b == ZK_SLOT_NIL) {
		reject(e, out, op, ZK_REJ_UNKNOWN_ORDER);
		return;
	}
	oi = m->buckets[b].order;
	o = &m->orders[oi];
	W_RD(m, ZK_SLOT_ORDER, oi, o);
	if (o->account != op->account) {
		reject(e, out, op, ZK_REJ_OWNER_MISMATCH);
		return;
	}
	if (op->qty == 0) {
		emit(e, out, op, ZK_EV_CANCELLED, ZK_CXL_USER, o->side, o->id,
		     0, o->price, o->remaining, 0, 0);
		order_remove(e, m, oi, b);
		return;
	}
	if (op->qty % m->p.lot != 0) {
		reject(e, out, op, ZK_REJ_BAD_LOT);
		return;
	}
	if (op->qty >= o->remaining) {
		reject(e, out, op, ZK_REJ_BAD_REDUCE);
		return;
	}
	uint64_t cut = o->remaining - op->qty;
	struct zk_level_slot *l = &m->levels[o->level];

	W_MOD(m, ZK_SLOT_ORDER, oi, o, o->remaining = op->qty);
	W_MOD(m, ZK_SLOT_LEVEL, o->level, l, l->total -= cut);
	emit(e, out, op, ZK_EV_CANCELLED, ZK_CXL_REDUCE, o->side, o->id, 0,
	     o->price, cut, op->qty, 0);
}

#if !ZK_CORE_WITNESS
/*
 * A replace that loses priority and cannot trade (the common "move"):
 * what order_remove() then enter() would do, in the same order of level
 * and bucket changes, minus the order slot's round trip through the free
 * list (order_rest() would pop the very slot order_remove() pushed, and
 * rewrite it whole). Plain build only: the witness build keeps the general
 * path, whose recorded accesses are the proof's witness, and the final
 * state is the same either way (engine_witness_pin, engine_diff).
 */
static inline void
order_move(struct zk_engine *e, struct zk_market *m, uint32_t oi,
	   uint32_t bucket, const struct zk_op *op, uint32_t bi)
{
	struct zk_order_slot *o = &m->orders[oi];
	uint32_t li = o->level, prev = o->prev, next = o->next, tail;
	struct zk_level_slot *l = &m->levels[li];

	if (prev != ZK_SLOT_NIL)
		m->orders[prev].next = next;
	if (next != ZK_SLOT_NIL)
		m->orders[next].prev = prev;
	l->total -= o->remaining;
	if (prev == ZK_SLOT_NIL)
		l->head = next;
	if (next == ZK_SLOT_NIL)
		l->tail = prev;
	if (l->head == ZK_SLOT_NIL)
		level_free(e, m, li);
	hash_erase(e, m, bucket);

	li = level_lookup(e, m, bi, o->side);
	if (li == ZK_SLOT_NIL)
		li = level_create(e, m, bi, o->side, op->price);
	l = &m->levels[li];
	tail = l->tail;
	o->id = op->new_order_id;
	o->price = op->price;
	o->remaining = op->qty;
	o->prev = tail;
	o->next = ZK_SLOT_NIL;
	o->level = li;
	if (tail != ZK_SLOT_NIL)
		m->orders[tail].next = oi;
	l->total += op->qty;
	if (tail == ZK_SLOT_NIL)
		l->head = oi;
	l->tail = oi;
	hash_insert(e, m, op->new_order_id, oi);
}
#endif

static inline __attribute__((always_inline)) void
apply_replace(struct zk_engine *e, struct zk_market *m,
	      const struct zk_op *op, struct zk_event_buf *out)
{
	uint32_t b = hash_find(e, m, op->order_id);
	uint32_t oi, bi = 0;
	struct zk_order_slot *o;
	int r, keep;

	if (b == ZK_SLOT_NIL) {
		reject(e, out, op, ZK_REJ_UNKNOWN_ORDER);
		return;
	}
	oi = m->buckets[b].order;
	o = &m->orders[oi];
	W_RD(m, ZK_SLOT_ORDER, oi, o);
	if (o->account != op->account)
		r = ZK_REJ_OWNER_MISMATCH;
	else
		r = check_price_qty(m, op->price, op->qty, 0, &bi);
	if (r == 0 && hash_find(e, m, op->new_order_id) != ZK_SLOT_NIL)
		r = ZK_REJ_DUPLICATE_ID;
	keep = (op->price == o->price) & (op->qty <= o->remaining);
	if (r == 0 && !keep) {
		const struct zk_level_slot *l = &m->levels[o->level];

		W_RD(m, ZK_SLOT_LEVEL, o->level, l);
		if (!slots_available(e, m, bi, o->side, 1,
				     (l->head == oi) & (l->tail == oi)))
			r = ZK_REJ_BOOK_FULL;
	}
	if (r != 0) {
		reject(e, out, op, r);
		return;
	}
	emit(e, out, op, ZK_EV_REPLACED, (uint8_t)keep, o->side, op->order_id,
	     op->new_order_id, op->price, op->qty, 0, 0);

	if (keep) {
		uint64_t cut = o->remaining - op->qty;
		struct zk_level_slot *l = &m->levels[o->level];

		hash_erase(e, m, b);
		hash_insert(e, m, op->new_order_id, oi);
		W_MOD(m, ZK_SLOT_ORDER, oi, o, o->id = op->new_order_id;
		      o->remaining = op->qty);
		W_MOD(m, ZK_SLOT_LEVEL, o->level, l, l->total -= cut);
		return;
	}

#if !ZK_CORE_WITNESS
	if (rests_without_trading(m, o->side, op->price)) {
		order_move(e, m, oi, b, op, bi);
		return;
	}
#endif
	struct taker t = {
		.id = op->new_order_id,
		.account = o->account,
		.stp_group = o->stp_group,
		.side = o->side,
		.tif = ZK_TIF_GTC,
		.price = op->price,
		.remaining = op->qty,
	};

	order_remove(e, m, oi, b);
	enter(e, m, op, &t, bi, out);
}

#include "core_entry.h"
