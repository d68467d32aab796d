/* SPDX-License-Identifier: MIT */
/*
 * zkclob — deterministic central limit order book (engine/).
 *
 * Spec (docs/engine.md has the full rules and the validation order)
 *  - Integer only: prices in ticks (int64_t), sizes in lots (uint64_t).
 *  - Several markets per engine, each with its own zk_market_params and its
 *    own book; order ids are unique per market among live orders.
 *  - Order types: limit GTC / IOC / FOK, market IOC / FOK (price 0, never
 *    rests), post-only (limit GTC only, rejected when it would cross).
 *    Cancel (qty 0) / reduce (0 < qty < remaining), replace (priority kept
 *    only when the price is unchanged and qty <= remaining).
 *  - Price-time priority, trades at the maker's price, partial fills.
 *  - Self-trade prevention keyed by stp_group when non-zero, else account;
 *    the market's zk_stp_mode decides which side is cancelled.
 *  - Bad ops are never errors: each yields a REJECTED event and changes
 *    nothing. Same ops in the same order => byte-identical events.
 *  - Proven state lives in dense per-market slot arrays (header, orders,
 *    price levels, id-hash buckets) with free lists, so every op touches a
 *    bounded set of slots. With a witness attached, every slot access is
 *    logged as (op, market, kind, slot, before, after); reads have
 *    before == after. Level lookup by price uses an index outside the proven
 *    state; it only names slots that the proof checks locally.
 *  - Not thread-safe: one engine belongs to one sequencer thread.
 */
#ifndef ZKCLOB_ENGINE_H
#define ZKCLOB_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "zkclob/event.h"
#include "zkclob/op.h"

/* "No slot" in every link field. */
#define ZK_SLOT_NIL UINT32_MAX

/* Largest price band, in ticks, a market may span ((max-min)/tick + 1). */
#define ZK_MAX_BAND_TICKS (1u << 24)
/* Largest max_orders / max_levels per market. */
#define ZK_MAX_SLOTS (1u << 24)

enum zk_stp_mode {
	ZK_STP_CANCEL_NEWEST = 0, /* cancel the aggressor's remainder */
	ZK_STP_CANCEL_OLDEST = 1, /* cancel the resting order, keep matching */
	ZK_STP_CANCEL_BOTH = 2,
};

struct zk_market_params {
	uint32_t market;
	int64_t tick;       /* > 0; min_price and max_price are multiples */
	uint64_t lot;       /* > 0 */
	int64_t min_price;
	int64_t max_price;
	uint64_t max_qty;   /* >= lot, max_qty * max_orders < 2^64 */
	enum zk_stp_mode stp;
	uint32_t max_orders; /* resting orders, 1 .. ZK_MAX_SLOTS */
	uint32_t max_levels; /* price levels both sides, 1 .. ZK_MAX_SLOTS */
};

/* Slot kinds of the proven state; index 0 .. zk_engine_slot_count()-1. */
enum zk_slot_kind {
	ZK_SLOT_HEADER = 1, /* one per market */
	ZK_SLOT_ORDER = 2,
	ZK_SLOT_LEVEL = 3,
	ZK_SLOT_BUCKET = 4, /* order-id hash table, linear probing */
};

/* Slot layouts have no implicit padding so their bytes are canonical. */
struct zk_book_header {
	uint32_t best_bid;   /* level slot or ZK_SLOT_NIL */
	uint32_t best_ask;
	uint32_t order_free; /* free order slots, linked through .next */
	uint32_t level_free; /* free level slots, linked through .worse */
	uint32_t n_orders;
	uint32_t n_levels;
	uint32_t zero[2];
};

struct zk_order_slot {
	uint64_t id;
	uint64_t account;
	int64_t price;
	uint64_t remaining; /* 0 <=> slot free */
	uint32_t prev;      /* toward the level head (older) */
	uint32_t next;      /* toward the level tail (newer); free-list link */
	uint32_t level;
	uint32_t stp_group;
	uint8_t side;
	uint8_t zero[15];
};

struct zk_level_slot {
	int64_t price;
	uint64_t total;  /* sum of remaining over the FIFO; 0 <=> slot free */
	uint32_t head;   /* oldest order */
	uint32_t tail;   /* newest order */
	uint32_t better; /* toward the best level of this side */
	uint32_t worse;  /* away from it; free-list link */
	uint8_t side;
	uint8_t zero[7];
};

struct zk_bucket_slot {
	uint64_t id;
	uint32_t order; /* order slot, ZK_SLOT_NIL when the bucket is empty */
	uint32_t zero;
};

union zk_slot_value {
	struct zk_book_header header;
	struct zk_order_slot order;
	struct zk_level_slot level;
	struct zk_bucket_slot bucket;
	uint8_t raw[64];
};

_Static_assert(sizeof(struct zk_book_header) == 32, "header layout");
_Static_assert(sizeof(struct zk_order_slot) == 64, "order slot layout");
_Static_assert(sizeof(struct zk_level_slot) == 40, "level slot layout");
_Static_assert(sizeof(struct zk_bucket_slot) == 16, "bucket slot layout");

struct zk_witness_access {
	uint64_t op;      /* ops applied since the witness was attached */
	uint32_t market;
	uint32_t slot;
	uint8_t kind;     /* enum zk_slot_kind */
	uint8_t write;    /* 0: read, before == after */
	uint8_t zero[6];
	union zk_slot_value before; /* bytes past the slot's size are zero */
	union zk_slot_value after;
};

/* Caller-owned log; the engine appends and grows .acc with realloc. */
struct zk_witness {
	struct zk_witness_access *acc;
	size_t len, cap;
	uint64_t ops;
};

/* Caller-owned event buffer; the engine appends and grows .ev. */
struct zk_event_buf {
	struct zk_event *ev;
	size_t len, cap;
};

struct zk_engine;

/* NULL with errno EINVAL (bad or duplicate market params) or ENOMEM. */
struct zk_engine *zk_engine_create(const struct zk_market_params *m,
				   size_t n_markets);
void zk_engine_destroy(struct zk_engine *e);

/*
 * Applies one op and appends its events to *out. Returns the number of
 * events appended (>= 1), or -1 when growing *out or the witness failed
 * (errno ENOMEM); the book is then unchanged only if no event was due yet,
 * so treat -1 as fatal for the engine instance.
 */
long zk_engine_apply(struct zk_engine *e, const struct zk_op *op,
		     struct zk_event_buf *out);

/*
 * Applies ops[0..n) in order, exactly as n zk_engine_apply() calls would
 * (same events, same state), prefetching the first id-table bucket of ops a few places
 * ahead. Returns the number of events appended, or -1 as zk_engine_apply.
 */
long zk_engine_apply_burst(struct zk_engine *e, const struct zk_op *ops,
			   size_t n, struct zk_event_buf *out);

/* Attach (or detach with NULL) a witness log; off costs one branch per op. */
void zk_engine_set_witness(struct zk_engine *e, struct zk_witness *w);

/*
 * The slot counts per kind (count[kind], count[0] = 0) zk_engine_create
 * gives a market with these rules, without building its book: 0, or -1
 * (errno EINVAL) for rules zk_engine_create refuses.
 */
int zk_market_slot_counts(const struct zk_market_params *p, uint32_t count[5]);
/* Number of slots of `kind` in `market`, 0 for an unknown market/kind. */
uint32_t zk_engine_slot_count(const struct zk_engine *e, uint32_t market,
			      enum zk_slot_kind kind);
/* Copies one slot (zero-filled past its size); -1 on a bad market/kind/index. */
int zk_engine_slot_get(const struct zk_engine *e, uint32_t market,
		       enum zk_slot_kind kind, uint32_t slot,
		       union zk_slot_value *out);

/* Best level of one side: 0 and price/total, or -1 when empty/unknown. */
int zk_engine_top(const struct zk_engine *e, uint32_t market, uint8_t side,
		  int64_t *price, uint64_t *total);

void zk_event_buf_free(struct zk_event_buf *b);
void zk_witness_free(struct zk_witness *w);

#endif /* ZKCLOB_ENGINE_H */
