/* SPDX-License-Identifier: MIT */
/*
 * zkclob — the event record: what the matching engine (engine/) emits for
 * every operation it applies, and the canonical digest over a stream of them.
 *
 * Spec
 *  - Exactly 64 bytes, no pointers, every field not meaningful for the event
 *    type is zero, so two equal events are byte-identical and the canonical
 *    encoding below is a function of the event alone.
 *  - Every event carries the `seq` and `market` of the op that caused it.
 *  - Per op the engine emits, in this order:
 *      NEW      REJECTED, or ACCEPTED then any of TRADE [DONE(maker)],
 *               CANCELLED(maker, STP) ... and finally DONE(taker) when it was
 *               filled, CANCELLED(taker, cause) when its remainder was
 *               removed, nothing when it rests.
 *      CANCEL   REJECTED, or CANCELLED (cause USER or REDUCE).
 *      REPLACE  REJECTED, or REPLACED then, when priority was lost, the same
 *               tail as NEW for the replacing order (it re-enters as an
 *               aggressive GTC limit order).
 *  - Field use per type (unlisted fields are zero):
 *      ACCEPTED   order_id, side, price (0 for market), qty, remaining = qty
 *      REJECTED   reason, order_id, other_id (replace: new id)
 *      TRADE      order_id = taker, other_id = maker, side = taker side,
 *                 price = maker price, qty = fill size,
 *                 remaining = taker remaining, other_remaining = maker remaining
 *      CANCELLED  reason = cause, order_id, side, price, qty = lots removed,
 *                 remaining = lots left resting (non-zero only for REDUCE)
 *      REPLACED   order_id = old id, other_id = new id, side, price, qty = new
 *                 size, reason = 1 when time priority was kept
 *      DONE       order_id, side, price (the order's limit price)
 *  - Canonical encoding (ZK_EVENT_WIRE_SIZE bytes, big-endian, fixed width):
 *      seq u64 | market u32 | type u8 | reason u8 | side u8 | 0 u8 |
 *      order_id u64 | other_id u64 | price i64 (two's complement) | qty u64 |
 *      remaining u64 | other_remaining u64
 *    The events digest is BLAKE2b-256 with personalisation "zkclob-events-v1"
 *    over the concatenated encodings, in emission order.
 */
#ifndef ZKCLOB_EVENT_H
#define ZKCLOB_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include <blake2.h>

enum zk_event_type {
	ZK_EV_ACCEPTED = 1,
	ZK_EV_REJECTED = 2,
	ZK_EV_TRADE = 3,
	ZK_EV_CANCELLED = 4,
	ZK_EV_REPLACED = 5,
	ZK_EV_DONE = 6,
};

enum zk_reject_reason {
	ZK_REJ_NONE = 0,
	ZK_REJ_MALFORMED = 1,      /* bad enum value / field that must be zero */
	ZK_REJ_UNKNOWN_MARKET = 2,
	ZK_REJ_BAD_TICK = 3,       /* price % tick != 0 */
	ZK_REJ_BAD_LOT = 4,        /* qty % lot != 0 or qty == 0 on new/replace */
	ZK_REJ_PRICE_BAND = 5,     /* price outside [min_price, max_price] */
	ZK_REJ_MAX_QTY = 6,        /* qty > max_qty */
	ZK_REJ_UNKNOWN_ORDER = 7,  /* cancel/replace of an id not live */
	ZK_REJ_DUPLICATE_ID = 8,   /* new/replacing id already live */
	ZK_REJ_OWNER_MISMATCH = 9, /* cancel/replace from another account */
	ZK_REJ_BOOK_FULL = 10,     /* no free order or level slot */
	ZK_REJ_WOULD_CROSS = 11,   /* post-only order would have traded */
	ZK_REJ_BAD_REDUCE = 12,    /* reduce to >= the current remaining */
};
#define ZK_REJ_COUNT 13

enum zk_cancel_cause {
	ZK_CXL_USER = 1,          /* cancel op, qty == 0 */
	ZK_CXL_REDUCE = 2,        /* cancel op, qty > 0: order keeps resting */
	ZK_CXL_STP = 3,           /* self-trade prevention */
	ZK_CXL_IOC_REMAINDER = 4, /* IOC / market: unfilled remainder */
	ZK_CXL_FOK_UNFILLED = 5,  /* FOK that could not fill completely */
};

struct zk_event {
	uint64_t seq;
	uint32_t market;
	uint8_t type;   /* enum zk_event_type */
	uint8_t reason; /* reject reason / cancel cause / replace kept-priority */
	uint8_t side;   /* enum zk_side */
	uint8_t zero;   /* always zero */
	uint64_t order_id;
	uint64_t other_id;
	int64_t price;
	uint64_t qty;
	uint64_t remaining;
	uint64_t other_remaining;
};

_Static_assert(sizeof(struct zk_event) == 64, "zk_event must stay 64 bytes");

#define ZK_EVENT_WIRE_SIZE 64

const char *zk_reject_reason_str(int reason);
const char *zk_event_type_str(int type);
const char *zk_cancel_cause_str(int cause);

/* Writes the canonical big-endian encoding of one event. */
void zk_event_encode(const struct zk_event *ev, uint8_t out[ZK_EVENT_WIRE_SIZE]);

/* Inverse of zk_event_encode; -1 when the always-zero byte is not zero
 * (such bytes are not the encoding of any event). */
int zk_event_decode(const uint8_t in[ZK_EVENT_WIRE_SIZE], struct zk_event *ev);

struct zk_events_digest {
	blake2b_state st;
};

void zk_events_digest_init(struct zk_events_digest *ctx);
void zk_events_digest_update(struct zk_events_digest *ctx,
			     const struct zk_event *ev, size_t n);
void zk_events_digest_final(struct zk_events_digest *ctx, uint8_t out[32]);

#endif /* ZKCLOB_EVENT_H */
