/* SPDX-License-Identifier: MIT */
/*
 * Encoder/parser round trips at field extremes, and the sequencing rules:
 * gaps (delivered, reported), duplicates (dropped), heartbeats, end of
 * session.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "zkclob/wire.h"
#include "wire_test_util.h"

static struct zk_wire_parser parser;
static uint8_t frame[65536];
static struct zk_op out[1024];

static void
fresh_parser(void)
{
	struct zk_wire_cfg cfg;

	zk_wire_cfg_default(&cfg);
	zk_wire_parser_init(&parser, &cfg);
}

/* Encodes ops as one packet at seq, parses it, expects them back verbatim. */
static void
round_trip(const struct zk_op *ops, size_t n, uint64_t seq)
{
	struct zk_wire_addr a;
	uint8_t s[ZK_WIRE_SESSION_LEN];
	size_t len, i;

	zk_wire_addr_default(&a);
	zk_wire_session_from_str(s, "RT");
	len = zk_wire_encode_frame(&a, s, seq, ops, n, frame, sizeof(frame));
	assert_true(len > 0);
	assert_int_equal(zk_wire_parse_frame(&parser, frame, len, out, 1024), n);
	for (i = 0; i < n; i++) {
		struct zk_op want = ops[i];

		want.seq = seq + i;
		assert_memory_equal(&out[i], &want, sizeof(want));
	}
	t_check_invariants(&parser.stats);
}

static void
test_round_trip_enter(void **state)
{
	static const int64_t prices[] = {INT64_MIN, -1, 1, INT64_MAX};
	static const uint64_t u64s[] = {0, 1, UINT64_MAX};
	struct zk_op ops[96];
	size_t n;

	(void)state;
	fresh_parser();
	/* every side × order type × TIF × flags combination, extremes rotating */
	for (n = 0; n < 96; n++) {
		struct zk_op *op = &ops[n];
		size_t i = n % 4;

		*op = (struct zk_op){0};
		op->type = ZK_OP_NEW;
		op->order_id = u64s[i % 3];
		op->account = u64s[(i + 1) % 3];
		op->qty = u64s[(i + 2) % 3];
		op->market = i & 1 ? UINT32_MAX : 0;
		op->stp_group = i & 2 ? UINT32_MAX : 0;
		op->flags = (n / 4) % 2 ? ZK_OP_F_POST_ONLY : 0;
		op->tif = (uint8_t)(ZK_TIF_GTC + (n / 8) % 3);
		op->ord_type = (n / 24) % 2 ? ZK_ORD_MARKET : ZK_ORD_LIMIT;
		op->side = n / 48 ? ZK_SIDE_SELL : ZK_SIDE_BUY;
		op->price = op->ord_type == ZK_ORD_MARKET ? 0 : prices[i];
	}
	round_trip(ops, n, 1);
	assert_int_equal(parser.stats.ops, n);
}

static void
test_round_trip_replace_cancel(void **state)
{
	struct zk_op ops[4] = {
		{.type = ZK_OP_REPLACE, .order_id = UINT64_MAX,
		 .new_order_id = UINT64_MAX - 1, .account = UINT64_MAX,
		 .price = INT64_MIN, .qty = UINT64_MAX, .market = UINT32_MAX},
		{.type = ZK_OP_REPLACE, .order_id = 1, .new_order_id = 2,
		 .account = 3, .price = 0x0102030405060708, .qty = 9,
		 .market = 0x0a0b0c0d},
		{.type = ZK_OP_CANCEL, .order_id = UINT64_MAX,
		 .account = UINT64_MAX, .qty = UINT64_MAX,
		 .market = UINT32_MAX},
		{.type = ZK_OP_CANCEL, .order_id = 0x1122334455667788,
		 .account = 5, .qty = 0, .market = 1},
	};

	(void)state;
	fresh_parser();
	/* a high starting sequence number exercises the whole 64 bits */
	parser.next_seq = UINT64_MAX - 10;
	round_trip(ops, 4, UINT64_MAX - 10);
}

/* Byte layout spot checks against docs/wire.md. */
static void
test_layout(void **state)
{
	struct zk_op op = t_enter(0x0102030405060708, ZK_SIDE_SELL, -2, 0x33);
	uint8_t m[ZK_WIRE_MAX_MSG_LEN];

	(void)state;
	op.tif = ZK_TIF_IOC;
	op.flags = ZK_OP_F_POST_ONLY;
	op.stp_group = 0xaabbccdd;
	assert_int_equal(zk_wire_encode_msg(&op, m, sizeof(m)), 48);
	assert_int_equal(m[0], 'O');
	assert_int_equal(m[1], 0x01);
	assert_int_equal(m[8], 0x08);
	assert_int_equal(m[12], 1);  /* market 1, big-endian */
	assert_int_equal(m[20], 7);  /* account 7 */
	assert_int_equal(m[21], 'S');
	assert_int_equal(m[22], 'L');
	assert_int_equal(m[23], 'I');
	assert_int_equal(m[24], 1);
	assert_int_equal(m[25], 0xff); /* -2 two's complement */
	assert_int_equal(m[32], 0xfe);
	assert_int_equal(m[40], 0x33);
	assert_int_equal(m[41], 0xaa);
	assert_int_equal(m[44], 0xdd);
	assert_int_equal(zk_wire_encode_msg(&op, m, 47), 0);
}

static void
test_unrepresentable(void **state)
{
	struct zk_op base = t_enter(1, ZK_SIDE_BUY, 1, 1), op;
	uint8_t m[ZK_WIRE_MAX_MSG_LEN];

	(void)state;
	assert_int_equal(zk_wire_msg_len(&base), ZK_WIRE_ENTER_LEN);
	op = base; op.type = 0;
	assert_int_equal(zk_wire_encode_msg(&op, m, sizeof(m)), 0);
	op = base; op.side = 3;
	assert_int_equal(zk_wire_msg_len(&op), 0);
	op = base; op.tif = 4;
	assert_int_equal(zk_wire_msg_len(&op), 0);
	op = base; op.flags = 2;
	assert_int_equal(zk_wire_msg_len(&op), 0);
	op = base; op.new_order_id = 9;
	assert_int_equal(zk_wire_msg_len(&op), 0);
	op = base; op.ord_type = ZK_ORD_MARKET;
	assert_int_equal(zk_wire_msg_len(&op), 0); /* price must be 0 */
	op = base; op.reserved[1] = 1;
	assert_int_equal(zk_wire_msg_len(&op), 0);
	op = (struct zk_op){.type = ZK_OP_CANCEL, .price = 1};
	assert_int_equal(zk_wire_msg_len(&op), 0);
	op = (struct zk_op){.type = ZK_OP_REPLACE, .side = 1};
	assert_int_equal(zk_wire_msg_len(&op), 0);
	op = (struct zk_op){.type = ZK_OP_REPLACE, .stp_group = 1};
	assert_int_equal(zk_wire_msg_len(&op), 0);
}

static size_t
packet(uint64_t seq, size_t n)
{
	return t_frame(frame, sizeof(frame), "SEQ", seq, n);
}

struct gap_log {
	int calls;
	uint64_t expected, received;
};

static void
on_gap(void *ctx, uint64_t expected, uint64_t received)
{
	struct gap_log *log = ctx;

	log->calls++;
	log->expected = expected;
	log->received = received;
}

static void
test_gap_and_duplicates(void **state)
{
	struct gap_log log = {0};
	struct zk_wire_cfg cfg;
	size_t len;

	(void)state;
	zk_wire_cfg_default(&cfg);
	cfg.on_gap = on_gap;
	cfg.gap_ctx = &log;
	zk_wire_parser_init(&parser, &cfg);

	len = packet(1, 2);
	assert_int_equal(zk_wire_parse_frame(&parser, frame, len, out, 64), 2);
	/* 3 and 4 are lost: 5 and 6 are still delivered */
	len = packet(5, 2);
	assert_int_equal(zk_wire_parse_frame(&parser, frame, len, out, 64), 2);
	assert_int_equal(out[0].seq, 5);
	assert_int_equal(out[1].seq, 6);
	assert_int_equal(parser.stats.gap_events, 1);
	assert_int_equal(parser.stats.gap_msgs, 2);
	assert_int_equal(log.calls, 1);
	assert_int_equal(log.expected, 3);
	assert_int_equal(log.received, 5);
	assert_int_equal(parser.next_seq, 7);

	/* a late retransmission of 1..2 is all duplicates */
	len = packet(1, 2);
	assert_int_equal(zk_wire_parse_frame(&parser, frame, len, out, 64), 0);
	assert_int_equal(parser.stats.dup_msgs, 2);
	/* 6..8 overlaps: 6 is a duplicate, 7 and 8 are new */
	len = packet(6, 3);
	assert_int_equal(zk_wire_parse_frame(&parser, frame, len, out, 64), 2);
	assert_int_equal(out[0].seq, 7);
	assert_int_equal(out[0].order_id, 7);
	assert_int_equal(out[1].seq, 8);
	assert_int_equal(parser.stats.dup_msgs, 3);
	assert_int_equal(parser.stats.gap_events, 1);
	assert_int_equal(parser.next_seq, 9);
	assert_int_equal(t_drops_total(&parser.stats, 0) +
				 t_drops_total(&parser.stats, 1), 0);
	t_check_invariants(&parser.stats);
}

static void
test_first_seq(void **state)
{
	struct zk_wire_cfg cfg;
	size_t len;

	(void)state;
	zk_wire_cfg_default(&cfg);
	cfg.first_seq = 1000;
	zk_wire_parser_init(&parser, &cfg);
	len = packet(1000, 1);
	assert_int_equal(zk_wire_parse_frame(&parser, frame, len, out, 64), 1);
	assert_int_equal(parser.stats.gap_events, 0);
	len = packet(999, 1);
	assert_int_equal(zk_wire_parse_frame(&parser, frame, len, out, 64), 0);
	assert_int_equal(parser.stats.dup_msgs, 1);
}

static void
test_heartbeat(void **state)
{
	size_t len;

	(void)state;
	fresh_parser();
	len = packet(1, 0);
	assert_int_equal(len, ZK_WIRE_FRAME_OVERHEAD);
	assert_int_equal(zk_wire_parse_frame(&parser, frame, len, out, 64), 0);
	assert_int_equal(parser.stats.heartbeats, 1);
	assert_int_equal(parser.stats.gap_events, 0);
	/* a heartbeat announcing seq 4 tells us 1..3 were lost */
	len = packet(4, 0);
	assert_int_equal(zk_wire_parse_frame(&parser, frame, len, out, 64), 0);
	assert_int_equal(parser.stats.heartbeats, 2);
	assert_int_equal(parser.stats.gap_events, 1);
	assert_int_equal(parser.stats.gap_msgs, 3);
	assert_int_equal(parser.next_seq, 4);
	assert_int_equal(parser.stats.ops, 0);
	t_check_invariants(&parser.stats);
}

static void
test_end_of_session(void **state)
{
	struct zk_wire_addr a;
	uint8_t s[ZK_WIRE_SESSION_LEN];
	size_t len;

	(void)state;
	fresh_parser();
	zk_wire_addr_default(&a);
	zk_wire_session_from_str(s, "SEQ");
	len = packet(1, 3);
	assert_int_equal(zk_wire_parse_frame(&parser, frame, len, out, 64), 3);
	len = zk_wire_encode_end_of_session(&a, s, 4, frame, sizeof(frame));
	assert_int_equal(len, ZK_WIRE_FRAME_OVERHEAD);
	assert_int_equal(zk_wire_parse_frame(&parser, frame, len, out, 64), 0);
	/* publishers repeat the marker; repeats are counted, not dropped */
	assert_int_equal(zk_wire_parse_frame(&parser, frame, len, out, 64), 0);
	assert_int_equal(parser.stats.end_of_session, 2);
	assert_true(parser.session_ended);
	assert_int_equal(parser.stats.gap_events, 0);
	len = packet(4, 1);
	assert_int_equal(zk_wire_parse_frame(&parser, frame, len, out, 64), 0);
	assert_int_equal(parser.stats.drops[ZK_DROP_SESSION_ENDED], 1);
	t_check_invariants(&parser.stats);
}

static void
test_encoder_limits(void **state)
{
	struct zk_wire_addr a;
	uint8_t s[ZK_WIRE_SESSION_LEN];
	static struct zk_op many[1400];
	size_t i;

	(void)state;
	zk_wire_addr_default(&a);
	zk_wire_session_from_str(s, "LIM");
	for (i = 0; i < 1400; i++)
		many[i] = t_enter(i + 1, ZK_SIDE_BUY, 1, 1);
	/* 1400 * 50 bytes do not fit a 65535-byte IP packet */
	assert_int_equal(zk_wire_encode_frame(&a, s, 1, many, 1400, frame,
					      sizeof(frame)), 0);
	assert_int_equal(zk_wire_encode_frame(&a, s, 1, many, 2, frame,
					      ZK_WIRE_FRAME_OVERHEAD + 99), 0);
	assert_int_equal(zk_wire_encode_frame(&a, s, 1, many, 2, frame,
					      ZK_WIRE_FRAME_OVERHEAD + 100),
			 ZK_WIRE_FRAME_OVERHEAD + 100);
	assert_int_equal(zk_wire_encode_frame(&a, s, 1, many, 0, frame, 10), 0);
	assert_int_equal(ZK_WIRE_MAX_MSGS(1514), 42);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_enter),
		cmocka_unit_test(test_round_trip_replace_cancel),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_unrepresentable),
		cmocka_unit_test(test_gap_and_duplicates),
		cmocka_unit_test(test_first_seq),
		cmocka_unit_test(test_heartbeat),
		cmocka_unit_test(test_end_of_session),
		cmocka_unit_test(test_encoder_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
