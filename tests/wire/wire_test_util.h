/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the wire tests: frames built through the real encoder,
 * then bent into exactly one kind of malformation.
 */
#ifndef ZKCLOB_WIRE_TEST_UTIL_H
#define ZKCLOB_WIRE_TEST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "zkclob/wire.h"

#define T_IP 14
#define T_UDP (14 + 20)
#define T_MOLD (14 + 20 + 8)
#define T_BODY (14 + 20 + 8 + 20)

static inline void
t_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
t_put64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static inline struct zk_op
t_enter(uint64_t id, uint8_t side, int64_t price, uint64_t qty)
{
	struct zk_op op = {0};

	op.type = ZK_OP_NEW;
	op.order_id = id;
	op.account = 7;
	op.market = 1;
	op.side = side;
	op.ord_type = ZK_ORD_LIMIT;
	op.tif = ZK_TIF_GTC;
	op.price = price;
	op.qty = qty;
	return op;
}

/* A frame with n simple Enter messages, ids seq.., on the default port. */
static inline size_t
t_frame(uint8_t *buf, size_t cap, const char *session, uint64_t seq, size_t n)
{
	struct zk_op ops[64];
	struct zk_wire_addr a;
	uint8_t s[ZK_WIRE_SESSION_LEN];
	size_t i;

	assert_true(n <= 64);
	for (i = 0; i < n; i++)
		ops[i] = t_enter(seq + i, ZK_SIDE_BUY, 100 + (int64_t)i, 5);
	zk_wire_addr_default(&a);
	zk_wire_session_from_str(s, session);
	return zk_wire_encode_frame(&a, s, seq, ops, n, buf, cap);
}

/*
 * A frame whose MoldUDP64 count field and body are given raw; IP and UDP
 * lengths are made consistent with the body.
 */
static inline size_t
t_raw_frame(uint8_t *buf, size_t cap, uint64_t seq, uint16_t count,
	    const uint8_t *body, size_t body_len)
{
	size_t len = t_frame(buf, cap, "SESSION001", seq, 0);

	assert_int_equal(len, T_BODY);
	assert_true(len + body_len <= cap);
	memcpy(buf + T_BODY, body, body_len);
	t_put16(buf + T_MOLD + 18, count);
	t_put16(buf + T_IP + 2, (uint16_t)(20 + 8 + 20 + body_len));
	t_put16(buf + T_UDP + 4, (uint16_t)(8 + 20 + body_len));
	return len + body_len;
}

/* Appends one length-prefixed message to a raw body. */
static inline size_t
t_body_add(uint8_t *body, size_t off, const uint8_t *msg, size_t len)
{
	t_put16(body + off, (uint16_t)len);
	memcpy(body + off + 2, msg, len);
	return off + 2 + len;
}

static inline uint64_t
t_drops_total(const struct zk_wire_stats *s, int msg_level)
{
	uint64_t sum = 0;
	int r;

	for (r = 0; r < ZK_DROP__COUNT; r++)
		if (zk_drop_reason_is_msg((enum zk_drop_reason)r) == !!msg_level)
			sum += s->drops[r];
	return sum;
}

/* The two accounting identities wire.h promises. */
static inline void
t_check_invariants(const struct zk_wire_stats *s)
{
	assert_int_equal(s->frames, s->packets + s->heartbeats +
					    s->end_of_session +
					    t_drops_total(s, 0));
	assert_int_equal(s->msgs, s->ops + s->dup_msgs + t_drops_total(s, 1));
}

#endif /* ZKCLOB_WIRE_TEST_UTIL_H */
