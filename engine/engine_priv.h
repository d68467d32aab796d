/* SPDX-License-Identifier: MIT */
/*
 * Engine internals shared by engine.c, the two instantiations of core.h
 * (core_plain.c, core_witness.c) and witness.c. Not a public header.
 *
 * Each market owns four dense slot arrays (the proven state: header, orders,
 * levels, id buckets) plus an acceleration index over the price band
 * (level_at + a 64-ary bitmap tree) that only serves to find a level or a
 * new level's neighbours quickly; the proof re-checks whatever it names.
 */
#ifndef ZKCLOB_ENGINE_PRIV_H
#define ZKCLOB_ENGINE_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "zkclob/engine.h"

#define ZK_LIKELY(x) __builtin_expect(!!(x), 1)
#define ZK_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* 64^4 bits cover ZK_MAX_BAND_TICKS with room to spare. */
#define ZK_BM_MAX_LAYERS 5

struct zk_market {
	struct zk_market_params p;
	struct zk_book_header hdr;
	struct zk_order_slot *orders;
	struct zk_level_slot *levels;
	struct zk_bucket_slot *buckets;
	uint32_t bucket_mask;
	unsigned bucket_shift; /* 64 - log2(bucket count) */
	/* Power-of-two tick/lot (the common case) validate without a divide. */
	int tick_pow2, lot_pow2;
	unsigned tick_shift;
	int units_pow2;              /* tick_pow2 && lot_pow2 */
	uint64_t tick_mask, lot_mask; /* tick - 1, lot - 1 when units_pow2 */
	uint64_t price_span;          /* max_price - min_price */

	/* Acceleration index, outside the proven state. */
	uint32_t band;            /* ticks in [min_price, max_price] */
	uint32_t *level_at;       /* band index -> level slot + 1, 0 = none */
	uint32_t *level_band_idx; /* level slot -> band index */
	unsigned bm_layers;
	uint32_t bm_words[ZK_BM_MAX_LAYERS];
	uint64_t *bm[ZK_BM_MAX_LAYERS];
};

/* Market ids below this are found by direct index (ops interleave markets). */
#define ZK_DIRECT_MARKET_IDS 256

struct zk_engine {
	struct zk_market *mk; /* sorted by market id */
	size_t n_markets;
	struct zk_market *direct[ZK_DIRECT_MARKET_IDS]; /* id -> market or NULL */
	struct zk_witness *w;
	int oom;              /* an event or witness append failed this op */
	struct zk_event sink; /* written instead when the event buffer is full */
};

long zk__apply_plain(struct zk_engine *e, const struct zk_op *op,
		     struct zk_event_buf *out);
long zk__apply_witness(struct zk_engine *e, const struct zk_op *op,
		       struct zk_event_buf *out);
/* Both set errno to ENOMEM when they return -1. */
long zk__apply_burst_plain(struct zk_engine *e, const struct zk_op *ops,
			   size_t n, struct zk_event_buf *out);
long zk__apply_burst_witness(struct zk_engine *e, const struct zk_op *ops,
			     size_t n, struct zk_event_buf *out);

/* Appends one access; returns its index so a write can fill .after later. */
size_t zk__witness_begin(struct zk_engine *e, uint32_t market, uint8_t kind,
			 uint32_t slot, const void *val, size_t size,
			 int write);
void zk__witness_end(struct zk_engine *e, size_t at, const void *val,
		     size_t size);

int zk__event_buf_grow(struct zk_event_buf *b);

static inline struct zk_market *
zk__market_find(const struct zk_engine *e, uint32_t id)
{
	size_t lo = 0, hi;

	if (ZK_LIKELY(id < ZK_DIRECT_MARKET_IDS))
		return e->direct[id];
	hi = e->n_markets;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (e->mk[mid].p.market < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < e->n_markets && e->mk[lo].p.market == id)
		return &e->mk[lo];
	return NULL;
}

/*
 * Home bucket of an order id: Fibonacci hashing (multiply by 2^64/phi, keep
 * the top bits). Sequential ids, the common case, land evenly spread, which
 * keeps linear-probing clusters short even at the 50 % load of a full book;
 * a hash that kept sequential ids adjacent was tried and rejected: at high
 * load the live ids formed one contiguous run and probes grew to hundreds.
 */
static inline uint32_t
zk__bucket_home(const struct zk_market *m, uint64_t id)
{
	return (uint32_t)((id * 0x9E3779B97F4A7C15ull) >> m->bucket_shift);
}

static inline void
zk__bm_set(struct zk_market *m, uint32_t pos)
{
	for (unsigned l = 0; l < m->bm_layers; l++) {
		uint64_t *w = &m->bm[l][pos >> 6];
		int was_empty = *w == 0;

		*w |= 1ull << (pos & 63);
		if (!was_empty)
			return;
		pos >>= 6;
	}
}

static inline void
zk__bm_clear(struct zk_market *m, uint32_t pos)
{
	for (unsigned l = 0; l < m->bm_layers; l++) {
		uint64_t *w = &m->bm[l][pos >> 6];

		*w &= ~(1ull << (pos & 63));
		if (*w != 0)
			return;
		pos >>= 6;
	}
}

/* Lowest set band index >= pos, or ZK_SLOT_NIL. */
static inline uint32_t
zk__bm_next(const struct zk_market *m, uint32_t pos)
{
	unsigned l = 0;

	for (;;) {
		uint32_t w = pos >> 6;
		uint64_t bits;

		if (l == m->bm_layers || w >= m->bm_words[l])
			return ZK_SLOT_NIL;
		bits = m->bm[l][w] & (~0ull << (pos & 63));
		if (bits) {
			pos = (w << 6) + (uint32_t)__builtin_ctzll(bits);
			break;
		}
		pos = w + 1;
		l++;
	}
	while (l > 0) {
		l--;
		pos = (pos << 6) + (uint32_t)__builtin_ctzll(m->bm[l][pos]);
	}
	return pos;
}

/* Highest set band index <= pos, or ZK_SLOT_NIL. */
static inline uint32_t
zk__bm_prev(const struct zk_market *m, uint32_t pos)
{
	unsigned l = 0;

	for (;;) {
		uint32_t w = pos >> 6;
		uint64_t bits;

		if (l == m->bm_layers)
			return ZK_SLOT_NIL;
		bits = m->bm[l][w] & (~0ull >> (63 - (pos & 63)));
		if (bits) {
			pos = (w << 6) + 63 - (uint32_t)__builtin_clzll(bits);
			break;
		}
		if (w == 0)
			return ZK_SLOT_NIL;
		pos = w - 1;
		l++;
	}
	while (l > 0) {
		l--;
		pos = (pos << 6) + 63 - (uint32_t)__builtin_clzll(m->bm[l][pos]);
	}
	return pos;
}

#endif /* ZKCLOB_ENGINE_PRIV_H */
