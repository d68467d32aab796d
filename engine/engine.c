/* SPDX-License-Identifier: MIT */
/*
 * Engine lifetime, parameter validation, slot-state initialisation and the
 * read-only accessors. The matching itself is in core.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "engine_priv.h"

static int
params_valid(const struct zk_market_params *p)
{
	uint64_t span;

	if (p->tick <= 0 || p->lot == 0 || p->min_price > p->max_price ||
	    p->min_price % p->tick != 0 || p->max_price % p->tick != 0 ||
	    p->max_qty < p->lot)
		return 0;
	if (p->stp != ZK_STP_CANCEL_NEWEST && p->stp != ZK_STP_CANCEL_OLDEST &&
	    p->stp != ZK_STP_CANCEL_BOTH)
		return 0;
	if (p->max_orders == 0 || p->max_orders > ZK_MAX_SLOTS ||
	    p->max_levels == 0 || p->max_levels > ZK_MAX_SLOTS)
		return 0;
	/* A level total sums up to max_orders sizes: it must not wrap. */
	if (p->max_qty > UINT64_MAX / p->max_orders)
		return 0;
	span = ((uint64_t)p->max_price - (uint64_t)p->min_price) /
	       (uint64_t)p->tick;
	return span < ZK_MAX_BAND_TICKS;
}

static void
market_release(struct zk_market *m)
{
	free(m->orders);
	free(m->levels);
	free(m->buckets);
	free(m->level_at);
	free(m->level_band_idx);
	for (unsigned l = 0; l < ZK_BM_MAX_LAYERS; l++)
		free(m->bm[l]);
}

#define HUGE_PAGE ((size_t)2 << 20)

/*
 * Slot arrays and the price index are touched at random: on large markets
 * 4 KiB pages make each access a likely TLB miss too, so arrays of 2 MiB or
 * more ask for transparent huge pages (a hint; ignored where unsupported).
 */
static void *
slot_array(size_t n, size_t size)
{
	size_t bytes = (n * size + 63) & ~(size_t)63;
	size_t align = bytes >= HUGE_PAGE ? HUGE_PAGE : 64;
	void *p;

	bytes = (bytes + align - 1) & ~(align - 1);
	p = aligned_alloc(align, bytes);
	if (p != NULL && align == HUGE_PAGE)
		(void)madvise(p, bytes, MADV_HUGEPAGE);
	return p;
}

/* Id-hash buckets: a power of two, at least 16 and 2·max_orders. */
static uint32_t
bucket_count(const struct zk_market_params *p)
{
	uint32_t n_buckets = 16;

	while (n_buckets < 2 * (uint64_t)p->max_orders)
		n_buckets *= 2;
	return n_buckets;
}

static int
market_init(struct zk_market *m, const struct zk_market_params *p)
{
	uint32_t n_buckets = bucket_count(p), words;

	memset(m, 0, sizeof(*m));
	m->p = *p;
	m->band = (uint32_t)(((uint64_t)p->max_price - (uint64_t)p->min_price) /
			     (uint64_t)p->tick) + 1;
	m->bucket_mask = n_buckets - 1;
	m->bucket_shift = 64 - (unsigned)__builtin_ctz(n_buckets);
	m->tick_pow2 = (p->tick & (p->tick - 1)) == 0;
	m->tick_shift = (unsigned)__builtin_ctzll((uint64_t)p->tick);
	m->lot_pow2 = (p->lot & (p->lot - 1)) == 0;
	m->units_pow2 = m->tick_pow2 && m->lot_pow2;
	m->tick_mask = (uint64_t)p->tick - 1;
	m->lot_mask = p->lot - 1;
	m->price_span = (uint64_t)p->max_price - (uint64_t)p->min_price;

	m->orders = slot_array(p->max_orders, sizeof(*m->orders));
	m->levels = slot_array(p->max_levels, sizeof(*m->levels));
	m->buckets = slot_array(n_buckets, sizeof(*m->buckets));
	m->level_at = slot_array(m->band, sizeof(*m->level_at));
	m->level_band_idx = calloc(p->max_levels, sizeof(*m->level_band_idx));
	if (!m->orders || !m->levels || !m->buckets || !m->level_at ||
	    !m->level_band_idx)
		return -1;
	memset(m->level_at, 0, (size_t)m->band * sizeof(*m->level_at));
	words = (m->band + 63) / 64;
	for (;;) {
		m->bm_words[m->bm_layers] = words;
		m->bm[m->bm_layers] = calloc(words, sizeof(uint64_t));
		if (!m->bm[m->bm_layers++])
			return -1;
		if (words == 1)
			break;
		words = (words + 63) / 64;
	}

	for (uint32_t i = 0; i < p->max_orders; i++)
		m->orders[i] = (struct zk_order_slot){
			.prev = ZK_SLOT_NIL,
			.next = i + 1 < p->max_orders ? i + 1 : ZK_SLOT_NIL,
			.level = ZK_SLOT_NIL,
		};
	for (uint32_t i = 0; i < p->max_levels; i++)
		m->levels[i] = (struct zk_level_slot){
			.head = ZK_SLOT_NIL,
			.tail = ZK_SLOT_NIL,
			.better = ZK_SLOT_NIL,
			.worse = i + 1 < p->max_levels ? i + 1 : ZK_SLOT_NIL,
		};
	for (uint32_t i = 0; i < n_buckets; i++)
		m->buckets[i] = (struct zk_bucket_slot){ .order = ZK_SLOT_NIL };
	m->hdr = (struct zk_book_header){
		.best_bid = ZK_SLOT_NIL,
		.best_ask = ZK_SLOT_NIL,
		.order_free = 0,
		.level_free = 0,
	};
	return 0;
}

static int
cmp_market(const void *a, const void *b)
{
	uint32_t x = ((const struct zk_market *)a)->p.market;
	uint32_t y = ((const struct zk_market *)b)->p.market;

	return (x > y) - (x < y);
}

struct zk_engine *
zk_engine_create(const struct zk_market_params *m, size_t n_markets)
{
	struct zk_engine *e;

	if (m == NULL || n_markets == 0 || n_markets > UINT32_MAX) {
		errno = EINVAL;
		return NULL;
	}
	for (size_t i = 0; i < n_markets; i++) {
		if (!params_valid(&m[i])) {
			errno = EINVAL;
			return NULL;
		}
	}
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		goto nomem;
	e->mk = calloc(n_markets, sizeof(*e->mk));
	if (e->mk == NULL)
		goto nomem;
	e->n_markets = n_markets;
	for (size_t i = 0; i < n_markets; i++)
		if (market_init(&e->mk[i], &m[i]) != 0)
			goto nomem;
	qsort(e->mk, n_markets, sizeof(*e->mk), cmp_market);
	for (size_t i = 1; i < n_markets; i++) {
		if (e->mk[i].p.market == e->mk[i - 1].p.market) {
			zk_engine_destroy(e);
			errno = EINVAL;
			return NULL;
		}
	}
	for (size_t i = 0; i < n_markets; i++)
		if (e->mk[i].p.market < ZK_DIRECT_MARKET_IDS)
			e->direct[e->mk[i].p.market] = &e->mk[i];
	return e;
nomem:
	zk_engine_destroy(e);
	errno = ENOMEM;
	return NULL;
}

void
zk_engine_destroy(struct zk_engine *e)
{
	if (e == NULL)
		return;
	if (e->mk != NULL)
		for (size_t i = 0; i < e->n_markets; i++)
			market_release(&e->mk[i]);
	free(e->mk);
	free(e);
}

/* Tail calls: each core sets errno itself when it fails. */
long
zk_engine_apply(struct zk_engine *e, const struct zk_op *op,
		struct zk_event_buf *out)
{
	if (ZK_LIKELY(e->w == NULL))
		return zk__apply_plain(e, op, out);
	return zk__apply_witness(e, op, out);
}

long
zk_engine_apply_burst(struct zk_engine *e, const struct zk_op *ops, size_t n,
		      struct zk_event_buf *out)
{
	if (ZK_LIKELY(e->w == NULL))
		return zk__apply_burst_plain(e, ops, n, out);
	return zk__apply_burst_witness(e, ops, n, out);
}

void
zk_engine_set_witness(struct zk_engine *e, struct zk_witness *w)
{
	e->w = w;
}

int
zk_market_slot_counts(const struct zk_market_params *p, uint32_t count[5])
{
	if (p == NULL || !params_valid(p)) {
		errno = EINVAL;
		return -1;
	}
	count[0] = 0;
	count[ZK_SLOT_HEADER] = 1;
	count[ZK_SLOT_ORDER] = p->max_orders;
	count[ZK_SLOT_LEVEL] = p->max_levels;
	count[ZK_SLOT_BUCKET] = bucket_count(p);
	return 0;
}

uint32_t
zk_engine_slot_count(const struct zk_engine *e, uint32_t market,
		     enum zk_slot_kind kind)
{
	const struct zk_market *m = zk__market_find(e, market);

	if (m == NULL)
		return 0;
	switch (kind) {
	case ZK_SLOT_HEADER:
		return 1;
	case ZK_SLOT_ORDER:
		return m->p.max_orders;
	case ZK_SLOT_LEVEL:
		return m->p.max_levels;
	case ZK_SLOT_BUCKET:
		return m->bucket_mask + 1;
	}
	return 0;
}

int
zk_engine_slot_get(const struct zk_engine *e, uint32_t market,
		   enum zk_slot_kind kind, uint32_t slot,
		   union zk_slot_value *out)
{
	const struct zk_market *m = zk__market_find(e, market);

	if (m == NULL || slot >= zk_engine_slot_count(e, market, kind))
		return -1;
	memset(out, 0, sizeof(*out));
	switch (kind) {
	case ZK_SLOT_HEADER:
		out->header = m->hdr;
		return 0;
	case ZK_SLOT_ORDER:
		out->order = m->orders[slot];
		return 0;
	case ZK_SLOT_LEVEL:
		out->level = m->levels[slot];
		return 0;
	case ZK_SLOT_BUCKET:
		out->bucket = m->buckets[slot];
		return 0;
	}
	return -1;
}

int
zk_engine_top(const struct zk_engine *e, uint32_t market, uint8_t side,
	      int64_t *price, uint64_t *total)
{
	const struct zk_market *m = zk__market_find(e, market);
	uint32_t li;

	if (m == NULL || (side != ZK_SIDE_BUY && side != ZK_SIDE_SELL))
		return -1;
	li = side == ZK_SIDE_BUY ? m->hdr.best_bid : m->hdr.best_ask;
	if (li == ZK_SLOT_NIL)
		return -1;
	*price = m->levels[li].price;
	*total = m->levels[li].total;
	return 0;
}

int
zk__event_buf_grow(struct zk_event_buf *b)
{
	size_t cap = b->cap ? b->cap * 2 : 256;
	struct zk_event *ev = realloc(b->ev, cap * sizeof(*ev));

	if (ev == NULL)
		return -1;
	b->ev = ev;
	b->cap = cap;
	return 0;
}

void
zk_event_buf_free(struct zk_event_buf *b)
{
	free(b->ev);
	*b = (struct zk_event_buf){ 0 };
}

const char *
zk_reject_reason_str(int reason)
{
	static const char *const names[ZK_REJ_COUNT] = {
		[ZK_REJ_NONE] = "none",
		[ZK_REJ_MALFORMED] = "malformed op",
		[ZK_REJ_UNKNOWN_MARKET] = "unknown market",
		[ZK_REJ_BAD_TICK] = "price not a multiple of the tick",
		[ZK_REJ_BAD_LOT] = "quantity zero or not a multiple of the lot",
		[ZK_REJ_PRICE_BAND] = "price outside the market's band",
		[ZK_REJ_MAX_QTY] = "quantity above the market's maximum",
		[ZK_REJ_UNKNOWN_ORDER] = "unknown order id",
		[ZK_REJ_DUPLICATE_ID] = "order id already live",
		[ZK_REJ_OWNER_MISMATCH] = "order owned by another account",
		[ZK_REJ_BOOK_FULL] = "book full",
		[ZK_REJ_WOULD_CROSS] = "post-only order would cross",
		[ZK_REJ_BAD_REDUCE] = "reduce not below the remaining size",
	};

	if (reason < 0 || reason >= ZK_REJ_COUNT)
		return "unknown reject reason";
	return names[reason];
}

const char *
zk_event_type_str(int type)
{
	switch (type) {
	case ZK_EV_ACCEPTED:
		return "accepted";
	case ZK_EV_REJECTED:
		return "rejected";
	case ZK_EV_TRADE:
		return "trade";
	case ZK_EV_CANCELLED:
		return "cancelled";
	case ZK_EV_REPLACED:
		return "replaced";
	case ZK_EV_DONE:
		return "done";
	}
	return "unknown event type";
}

const char *
zk_cancel_cause_str(int cause)
{
	switch (cause) {
	case ZK_CXL_USER:
		return "user cancel";
	case ZK_CXL_REDUCE:
		return "user reduce";
	case ZK_CXL_STP:
		return "self-trade prevention";
	case ZK_CXL_IOC_REMAINDER:
		return "immediate-or-cancel remainder";
	case ZK_CXL_FOK_UNFILLED:
		return "fill-or-kill not fillable";
	}
	return "unknown cancel cause";
}
