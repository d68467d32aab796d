/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the engine tests: op constructors that fill exactly the
 * fields the op spec makes meaningful, and whole-event comparison so every
 * field (including the ones that must stay zero) is checked.
 */
#ifndef ZKCLOB_ENGINE_TEST_UTIL_H
#define ZKCLOB_ENGINE_TEST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "zkclob/engine.h"

/* splitmix64: a fixed, portable stream, so a seed names the same flow on
 * every machine (the pinned digests depend on it). */
static inline uint64_t
rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static inline uint64_t
pick(uint64_t *s, uint64_t n)
{
	return rnd(s) % n;
}

static inline struct zk_op
op_order(uint64_t id, uint64_t account, uint8_t side, uint8_t ord_type,
	 uint8_t tif, int64_t price, uint64_t qty)
{
	return (struct zk_op){
		.type = ZK_OP_NEW,
		.order_id = id,
		.account = account,
		.side = side,
		.ord_type = ord_type,
		.tif = tif,
		.price = price,
		.qty = qty,
	};
}

static inline struct zk_op
op_gtc(uint64_t id, uint64_t account, uint8_t side, int64_t price,
       uint64_t qty)
{
	return op_order(id, account, side, ZK_ORD_LIMIT, ZK_TIF_GTC, price, qty);
}

static inline struct zk_op
op_cancel(uint64_t id, uint64_t account, uint64_t qty)
{
	return (struct zk_op){
		.type = ZK_OP_CANCEL,
		.order_id = id,
		.account = account,
		.qty = qty,
	};
}

static inline struct zk_op
op_replace(uint64_t id, uint64_t new_id, uint64_t account, int64_t price,
	   uint64_t qty)
{
	return (struct zk_op){
		.type = ZK_OP_REPLACE,
		.order_id = id,
		.new_order_id = new_id,
		.account = account,
		.price = price,
		.qty = qty,
	};
}

static inline struct zk_event
ev_make(uint8_t type, uint8_t reason, uint8_t side, uint64_t order_id,
	uint64_t other_id, int64_t price, uint64_t qty, uint64_t remaining,
	uint64_t other_remaining)
{
	return (struct zk_event){
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

static inline void
ev_print(const char *tag, const struct zk_event *e)
{
	print_error("%s: seq=%llu mkt=%u %s reason=%u side=%u id=%llu other=%llu "
		    "px=%lld qty=%llu rem=%llu orem=%llu\n",
		    tag, (unsigned long long)e->seq, e->market,
		    zk_event_type_str(e->type), e->reason, e->side,
		    (unsigned long long)e->order_id,
		    (unsigned long long)e->other_id, (long long)e->price,
		    (unsigned long long)e->qty,
		    (unsigned long long)e->remaining,
		    (unsigned long long)e->other_remaining);
}

/* Compares whole events; seq/market of `want` are taken from `got`'s op. */
static inline void
expect_events(const struct zk_event_buf *got, const struct zk_op *op,
	      const struct zk_event *want, size_t n)
{
	if (got->len != n) {
		for (size_t i = 0; i < got->len; i++)
			ev_print("got", &got->ev[i]);
		fail_msg("expected %zu events, got %zu", n, got->len);
	}
	for (size_t i = 0; i < n; i++) {
		struct zk_event w = want[i];

		w.seq = op->seq;
		w.market = op->market;
		if (memcmp(&w, &got->ev[i], sizeof(w)) != 0) {
			ev_print("want", &w);
			ev_print("got ", &got->ev[i]);
			fail_msg("event %zu differs", i);
		}
	}
}

#endif /* ZKCLOB_ENGINE_TEST_UTIL_H */
