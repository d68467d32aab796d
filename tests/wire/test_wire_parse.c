/* SPDX-License-Identifier: MIT */
/*
 * Parser rejection tests: one malformation per test, each must bump exactly
 * its own reason counter (and nothing else) and yield no op from the bad
 * part.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "zkclob/wire.h"
#include "wire_test_util.h"

struct fixture {
	struct zk_wire_parser p;
	uint8_t frame[2048];
	struct zk_op ops[64];
};

static void
reset(struct fixture *f)
{
	struct zk_wire_cfg cfg;

	memset(f, 0, sizeof(*f));
	zk_wire_cfg_default(&cfg);
	zk_wire_parser_init(&f->p, &cfg);
}

static int
setup(void **state)
{
	static struct fixture f;

	reset(&f);
	*state = &f;
	return 0;
}

/* Parses the frame and asserts it was dropped for `reason` alone. */
static void
expect_frame_drop(struct fixture *f, size_t len, enum zk_drop_reason reason)
{
	struct zk_wire_stats before = f->p.stats;
	uint64_t next_seq = f->p.next_seq;
	int r;

	assert_int_equal(zk_wire_parse_frame(&f->p, f->frame, len, f->ops, 64), 0);
	for (r = 0; r < ZK_DROP__COUNT; r++) {
		uint64_t want = before.drops[r] + (r == (int)reason ? 1 : 0);

		if (f->p.stats.drops[r] != want)
			fail_msg("reason %s: got %llu want %llu (expected %s)",
				 zk_drop_reason_str((enum zk_drop_reason)r),
				 (unsigned long long)f->p.stats.drops[r],
				 (unsigned long long)want,
				 zk_drop_reason_str(reason));
	}
	assert_int_equal(f->p.stats.ops, before.ops);
	assert_int_equal(f->p.stats.msgs, before.msgs);
	assert_int_equal(f->p.next_seq, next_seq);
	t_check_invariants(&f->p.stats);
}

static size_t
good(struct fixture *f, size_t n)
{
	return t_frame(f->frame, sizeof(f->frame), "SESSION001", 1, n);
}

static void
test_trunc_eth(void **state)
{
	struct fixture *f = *state;

	good(f, 1);
	expect_frame_drop(f, 13, ZK_DROP_TRUNC_ETH);
	expect_frame_drop(f, 0, ZK_DROP_TRUNC_ETH);
}

static void
test_not_ipv4(void **state)
{
	struct fixture *f = *state;
	size_t len = good(f, 1);

	t_put16(f->frame + 12, 0x86dd);
	expect_frame_drop(f, len, ZK_DROP_NOT_IPV4);
	t_put16(f->frame + 12, 0x8100); /* VLAN tags are not unwrapped */
	expect_frame_drop(f, len, ZK_DROP_NOT_IPV4);
}

static void
test_trunc_ip(void **state)
{
	struct fixture *f = *state;

	good(f, 1);
	expect_frame_drop(f, T_IP + 19, ZK_DROP_TRUNC_IP);
}

static void
test_ip_version(void **state)
{
	struct fixture *f = *state;
	size_t len = good(f, 1);

	f->frame[T_IP] = 0x65;
	expect_frame_drop(f, len, ZK_DROP_IP_VERSION);
}

static void
test_ip_ihl(void **state)
{
	struct fixture *f = *state;
	size_t len = good(f, 1);

	f->frame[T_IP] = 0x44;
	expect_frame_drop(f, len, ZK_DROP_IP_IHL);
}

static void
test_ip_total_len(void **state)
{
	struct fixture *f = *state;
	size_t len = good(f, 1);

	t_put16(f->frame + T_IP + 2, (uint16_t)(len - T_IP + 1));
	expect_frame_drop(f, len, ZK_DROP_IP_TOTAL_LEN);
	t_put16(f->frame + T_IP + 2, 19);
	expect_frame_drop(f, len, ZK_DROP_IP_TOTAL_LEN);
	/* a frame cut short on the wire: total length claims more */
	good(f, 1);
	expect_frame_drop(f, len - 1, ZK_DROP_IP_TOTAL_LEN);
}

static void
test_ip_fragment(void **state)
{
	struct fixture *f = *state;
	size_t len = good(f, 1);

	t_put16(f->frame + T_IP + 6, 0x2000); /* more fragments */
	expect_frame_drop(f, len, ZK_DROP_IP_FRAGMENT);
	t_put16(f->frame + T_IP + 6, 0x0010); /* non-zero offset */
	expect_frame_drop(f, len, ZK_DROP_IP_FRAGMENT);
}

static void
test_not_udp(void **state)
{
	struct fixture *f = *state;
	size_t len = good(f, 1);

	f->frame[T_IP + 9] = 6;
	expect_frame_drop(f, len, ZK_DROP_NOT_UDP);
}

static void
test_trunc_udp(void **state)
{
	struct fixture *f = *state;

	good(f, 1);
	t_put16(f->frame + T_IP + 2, 20 + 7);
	expect_frame_drop(f, T_UDP + 7, ZK_DROP_TRUNC_UDP);
}

static void
test_udp_port(void **state)
{
	struct fixture *f = *state;
	size_t len = good(f, 1);

	t_put16(f->frame + T_UDP + 2, ZK_WIRE_DEFAULT_PORT + 1);
	expect_frame_drop(f, len, ZK_DROP_UDP_PORT);
}

static void
test_udp_len(void **state)
{
	struct fixture *f = *state;
	size_t len = good(f, 1);
	uint16_t udp_len = (uint16_t)(len - T_UDP);

	t_put16(f->frame + T_UDP + 4, udp_len + 1);
	expect_frame_drop(f, len, ZK_DROP_UDP_LEN);
	t_put16(f->frame + T_UDP + 4, udp_len - 1);
	expect_frame_drop(f, len, ZK_DROP_UDP_LEN);
}

static void
test_trunc_mold(void **state)
{
	struct fixture *f = *state;

	good(f, 0);
	t_put16(f->frame + T_IP + 2, 20 + 8 + 19);
	t_put16(f->frame + T_UDP + 4, 8 + 19);
	expect_frame_drop(f, T_MOLD + 19, ZK_DROP_TRUNC_MOLD);
}

static void
test_session_mismatch(void **state)
{
	struct fixture *f = *state;
	size_t len = good(f, 1);

	/* the first packet locks the session */
	assert_int_equal(zk_wire_parse_frame(&f->p, f->frame, len, f->ops, 64),
			 1);
	len = t_frame(f->frame, sizeof(f->frame), "OTHER", 2, 1);
	expect_frame_drop(f, len, ZK_DROP_SESSION);
}

static void
test_session_configured(void **state)
{
	struct fixture *f = *state;
	struct zk_wire_cfg cfg;
	size_t len;

	zk_wire_cfg_default(&cfg);
	zk_wire_session_from_str(cfg.session, "WANTED");
	zk_wire_parser_init(&f->p, &cfg);
	len = good(f, 1);
	expect_frame_drop(f, len, ZK_DROP_SESSION);
	len = t_frame(f->frame, sizeof(f->frame), "WANTED", 1, 1);
	assert_int_equal(zk_wire_parse_frame(&f->p, f->frame, len, f->ops, 64),
			 1);
}

static void
test_session_ended(void **state)
{
	struct fixture *f = *state;
	struct zk_wire_addr a;
	uint8_t s[ZK_WIRE_SESSION_LEN];
	size_t len;

	zk_wire_addr_default(&a);
	zk_wire_session_from_str(s, "SESSION001");
	len = zk_wire_encode_end_of_session(&a, s, 1, f->frame,
					    sizeof(f->frame));
	assert_int_equal(zk_wire_parse_frame(&f->p, f->frame, len, f->ops, 64),
			 0);
	assert_int_equal(f->p.stats.end_of_session, 1);
	len = good(f, 1);
	expect_frame_drop(f, len, ZK_DROP_SESSION_ENDED);
	len = good(f, 0);
	expect_frame_drop(f, len, ZK_DROP_SESSION_ENDED);
}

static void
test_seq_range(void **state)
{
	struct fixture *f = *state;
	size_t len = good(f, 2);

	t_put64(f->frame + T_MOLD + 10, 0);
	expect_frame_drop(f, len, ZK_DROP_SEQ_RANGE);
	t_put64(f->frame + T_MOLD + 10, UINT64_MAX);
	expect_frame_drop(f, len, ZK_DROP_SEQ_RANGE);
}

static void
test_mold_count(void **state)
{
	struct fixture *f = *state;
	size_t len = good(f, 2);

	t_put16(f->frame + T_MOLD + 18, 3); /* fewer messages than claimed */
	expect_frame_drop(f, len, ZK_DROP_MOLD_COUNT);
	t_put16(f->frame + T_MOLD + 18, 1); /* trailing bytes */
	expect_frame_drop(f, len, ZK_DROP_MOLD_COUNT);
	/* second message's length runs past the payload */
	t_put16(f->frame + T_MOLD + 18, 2);
	t_put16(f->frame + T_BODY + 2 + ZK_WIRE_ENTER_LEN, ZK_WIRE_ENTER_LEN + 1);
	expect_frame_drop(f, len, ZK_DROP_MOLD_COUNT);
	/* a heartbeat with a body */
	len = t_raw_frame(f->frame, sizeof(f->frame), 1, 0,
			  (const uint8_t *)"xx", 2);
	expect_frame_drop(f, len, ZK_DROP_MOLD_COUNT);
}

static void
test_over_capacity(void **state)
{
	struct fixture *f = *state;
	size_t len = good(f, 3);

	assert_int_equal(zk_wire_parse_frame(&f->p, f->frame, len, f->ops, 2),
			 0);
	assert_int_equal(f->p.stats.drops[ZK_DROP_OVER_CAPACITY], 1);
	assert_int_equal(f->p.next_seq, 1);
	t_check_invariants(&f->p.stats);
}

/*
 * One bad message between two good ones: only it is dropped, its sequence
 * number is consumed, the good ones keep theirs.
 */
static void
expect_msg_drop(struct fixture *f, const uint8_t *bad, size_t bad_len,
		enum zk_drop_reason reason)
{
	uint8_t good_msg[ZK_WIRE_MAX_MSG_LEN], body[256];
	struct zk_op op = t_enter(9, ZK_SIDE_SELL, 5, 1);
	size_t off = 0, len, glen;
	int r;

	reset(f);
	glen = zk_wire_encode_msg(&op, good_msg, sizeof(good_msg));
	assert_int_equal(glen, ZK_WIRE_ENTER_LEN);
	off = t_body_add(body, off, good_msg, glen);
	off = t_body_add(body, off, bad, bad_len);
	off = t_body_add(body, off, good_msg, glen);
	len = t_raw_frame(f->frame, sizeof(f->frame), 1, 3, body, off);
	assert_int_equal(zk_wire_parse_frame(&f->p, f->frame, len, f->ops, 64),
			 2);
	assert_int_equal(f->ops[0].seq, 1);
	assert_int_equal(f->ops[1].seq, 3);
	for (r = 0; r < ZK_DROP__COUNT; r++)
		assert_int_equal(f->p.stats.drops[r], r == (int)reason ? 1 : 0);
	assert_int_equal(f->p.stats.msgs, 3);
	assert_int_equal(f->p.next_seq, 4);
	assert_int_equal(f->p.stats.gap_events, 0);
	t_check_invariants(&f->p.stats);
}

static size_t
enter_bytes(uint8_t *m)
{
	struct zk_op op = t_enter(1, ZK_SIDE_BUY, 10, 1);

	return zk_wire_encode_msg(&op, m, ZK_WIRE_MAX_MSG_LEN);
}

static void
test_msg_len(void **state)
{
	struct fixture *f = *state;
	uint8_t m[ZK_WIRE_MAX_MSG_LEN + 8] = {0};
	size_t len = enter_bytes(m);

	expect_msg_drop(f, m, len - 1, ZK_DROP_MSG_LEN);
	expect_msg_drop(f, m, len + 1, ZK_DROP_MSG_LEN);
	expect_msg_drop(f, m, 0, ZK_DROP_MSG_LEN);
	m[0] = ZK_WIRE_MSG_CANCEL;
	expect_msg_drop(f, m, ZK_WIRE_CANCEL_LEN + 1, ZK_DROP_MSG_LEN);
	m[0] = ZK_WIRE_MSG_REPLACE;
	expect_msg_drop(f, m, ZK_WIRE_REPLACE_LEN - 1, ZK_DROP_MSG_LEN);
}

static void
test_msg_type(void **state)
{
	struct fixture *f = *state;
	uint8_t m[ZK_WIRE_MAX_MSG_LEN];
	size_t len = enter_bytes(m);

	m[0] = 'Z';
	expect_msg_drop(f, m, len, ZK_DROP_MSG_TYPE);
	m[0] = 'o';
	expect_msg_drop(f, m, len, ZK_DROP_MSG_TYPE);
}

static void
test_bad_fields(void **state)
{
	static const struct {
		size_t off;
		uint8_t val;
	} enter_bad[] = {
		{21, 'T'}, {21, 0}, {22, 'P'}, {23, 'D'}, {23, 0},
		{24, 0x02}, {24, 0x80}, {45, 1}, {46, 1}, {47, 0xff},
	};
	struct fixture *f = *state;
	uint8_t m[ZK_WIRE_MAX_MSG_LEN];
	struct zk_op op;
	size_t i, len;

	for (i = 0; i < sizeof(enter_bad) / sizeof(enter_bad[0]); i++) {
		len = enter_bytes(m);
		m[enter_bad[i].off] = enter_bad[i].val;
		expect_msg_drop(f, m, len, ZK_DROP_FIELD);
	}
	/* a market order must not carry a price */
	len = enter_bytes(m);
	m[22] = 'M';
	expect_msg_drop(f, m, len, ZK_DROP_FIELD);

	op = (struct zk_op){.type = ZK_OP_REPLACE, .order_id = 1,
			    .new_order_id = 2, .price = 3, .qty = 4};
	len = zk_wire_encode_msg(&op, m, sizeof(m));
	assert_int_equal(len, ZK_WIRE_REPLACE_LEN);
	m[46] = 1;
	expect_msg_drop(f, m, len, ZK_DROP_FIELD);

	op = (struct zk_op){.type = ZK_OP_CANCEL, .order_id = 1};
	len = zk_wire_encode_msg(&op, m, sizeof(m));
	assert_int_equal(len, ZK_WIRE_CANCEL_LEN);
	m[29] = 1;
	expect_msg_drop(f, m, len, ZK_DROP_FIELD);
}

/* IPv4 options are skipped, Ethernet padding after the IP packet ignored. */
static void
test_ip_options_and_padding(void **state)
{
	struct fixture *f = *state;
	uint8_t copy[2048];
	size_t len = good(f, 2);

	memcpy(copy, f->frame, len);
	memcpy(f->frame, copy, T_UDP);
	memset(f->frame + T_UDP, 0x01, 8); /* two NOP-filled option words */
	memcpy(f->frame + T_UDP + 8, copy + T_UDP, len - T_UDP);
	f->frame[T_IP] = 0x47;
	t_put16(f->frame + T_IP + 2, (uint16_t)(len - T_IP + 8));
	memset(f->frame + len + 8, 0, 16);
	assert_int_equal(zk_wire_parse_frame(&f->p, f->frame, len + 8 + 16,
					     f->ops, 64), 2);
	assert_int_equal(f->ops[0].order_id, 1);
	assert_int_equal(f->ops[1].order_id, 2);
	assert_int_equal(f->ops[1].seq, 2);
	assert_int_equal(t_drops_total(&f->p.stats, 0), 0);
}

static void
test_drop_names(void **state)
{
	int r, s;

	(void)state;
	for (r = 0; r < ZK_DROP__COUNT; r++) {
		const char *name = zk_drop_reason_str((enum zk_drop_reason)r);

		assert_non_null(name);
		assert_string_not_equal(name, "unknown");
		for (s = 0; s < r; s++)
			assert_string_not_equal(
				name, zk_drop_reason_str((enum zk_drop_reason)s));
	}
	assert_string_equal(zk_drop_reason_str(ZK_DROP__COUNT), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_trunc_eth, setup),
		cmocka_unit_test_setup(test_not_ipv4, setup),
		cmocka_unit_test_setup(test_trunc_ip, setup),
		cmocka_unit_test_setup(test_ip_version, setup),
		cmocka_unit_test_setup(test_ip_ihl, setup),
		cmocka_unit_test_setup(test_ip_total_len, setup),
		cmocka_unit_test_setup(test_ip_fragment, setup),
		cmocka_unit_test_setup(test_not_udp, setup),
		cmocka_unit_test_setup(test_trunc_udp, setup),
		cmocka_unit_test_setup(test_udp_port, setup),
		cmocka_unit_test_setup(test_udp_len, setup),
		cmocka_unit_test_setup(test_trunc_mold, setup),
		cmocka_unit_test_setup(test_session_mismatch, setup),
		cmocka_unit_test_setup(test_session_configured, setup),
		cmocka_unit_test_setup(test_session_ended, setup),
		cmocka_unit_test_setup(test_seq_range, setup),
		cmocka_unit_test_setup(test_mold_count, setup),
		cmocka_unit_test_setup(test_over_capacity, setup),
		cmocka_unit_test_setup(test_msg_len, setup),
		cmocka_unit_test_setup(test_msg_type, setup),
		cmocka_unit_test_setup(test_bad_fields, setup),
		cmocka_unit_test_setup(test_ip_options_and_padding, setup),
		cmocka_unit_test(test_drop_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
