/* SPDX-License-Identifier: MIT */
/*
 * One test per matching rule: order types, partial fills, price-time
 * priority, maker-price trades, cancel / reduce / replace, self-trade
 * prevention modes. Every emitted event is compared field by field.
 */
#include "engine_test_util.h"

#define B ZK_SIDE_BUY
#define S ZK_SIDE_SELL

#define ACC(side, id, px, q) ev_make(ZK_EV_ACCEPTED, 0, side, id, 0, px, q, q, 0)
#define REJ(r, id, other) ev_make(ZK_EV_REJECTED, r, 0, id, other, 0, 0, 0, 0)
#define TRD(side, taker, maker, px, q, trem, mrem)                          \
	ev_make(ZK_EV_TRADE, 0, side, taker, maker, px, q, trem, mrem)
#define CXL(cause, side, id, px, q, rem)                                    \
	ev_make(ZK_EV_CANCELLED, cause, side, id, 0, px, q, rem, 0)
#define DONE(side, id, px) ev_make(ZK_EV_DONE, 0, side, id, 0, px, 0, 0, 0)
#define RPL(keep, side, id, new_id, px, q)                                  \
	ev_make(ZK_EV_REPLACED, keep, side, id, new_id, px, q, 0, 0)

#define EXPECT(op, ...)                                                     \
	do {                                                                \
		const struct zk_event want_[] = { __VA_ARGS__ };            \
		expect_events(&buf, &(op), want_,                           \
			      sizeof(want_) / sizeof(want_[0]));            \
	} while (0)

static struct zk_event_buf buf;
static uint64_t next_seq = 1;

static struct zk_engine *
engine_with(enum zk_stp_mode stp, uint32_t max_orders, uint32_t max_levels)
{
	struct zk_market_params p = {
		.market = 1, .tick = 5, .lot = 10, .min_price = 100,
		.max_price = 100000, .max_qty = 10000, .stp = stp,
		.max_orders = max_orders, .max_levels = max_levels,
	};
	struct zk_engine *e = zk_engine_create(&p, 1);

	assert_non_null(e);
	return e;
}

/* Applies one op to market 1 (unless set) and returns it with its seq. */
static struct zk_op
run(struct zk_engine *e, struct zk_op op)
{
	long n;

	op.seq = next_seq++;
	if (op.market == 0)
		op.market = 1;
	buf.len = 0;
	n = zk_engine_apply(e, &op, &buf);
	assert_true(n >= 1);
	assert_int_equal((size_t)n, buf.len);
	return op;
}

static void
expect_top(struct zk_engine *e, uint8_t side, int64_t price, uint64_t total)
{
	int64_t p;
	uint64_t t;

	assert_int_equal(zk_engine_top(e, 1, side, &p, &t), 0);
	assert_int_equal(p, price);
	assert_int_equal(t, total);
}

static void
expect_empty(struct zk_engine *e, uint8_t side)
{
	int64_t p;
	uint64_t t;

	assert_int_equal(zk_engine_top(e, 1, side, &p, &t), -1);
}

static void
test_gtc_rests(void **state)
{
	struct zk_engine *e = engine_with(ZK_STP_CANCEL_NEWEST, 16, 16);
	struct zk_op op;

	(void)state;
	op = run(e, op_gtc(1, 7, B, 1000, 50));
	EXPECT(op, ACC(B, 1, 1000, 50));
	op = run(e, op_gtc(2, 7, B, 1000, 30));
	EXPECT(op, ACC(B, 2, 1000, 30));
	op = run(e, op_gtc(3, 8, S, 1010, 20));
	EXPECT(op, ACC(S, 3, 1010, 20));
	expect_top(e, B, 1000, 80);
	expect_top(e, S, 1010, 20);
	zk_engine_destroy(e);
}

static void
test_trade_at_maker_price_partial_fill(void **state)
{
	struct zk_engine *e = engine_with(ZK_STP_CANCEL_NEWEST, 16, 16);
	struct zk_op op;

	(void)state;
	run(e, op_gtc(1, 7, S, 1000, 100));
	op = run(e, op_gtc(2, 8, B, 1010, 30));
	EXPECT(op, ACC(B, 2, 1010, 30), TRD(B, 2, 1, 1000, 30, 0, 70),
	       DONE(B, 2, 1010));
	expect_top(e, S, 1000, 70);
	expect_empty(e, B);
	/* The taker is bigger than the book: the remainder rests. */
	op = run(e, op_gtc(3, 8, B, 1005, 100));
	EXPECT(op, ACC(B, 3, 1005, 100), TRD(B, 3, 1, 1000, 70, 30, 0),
	       DONE(S, 1, 1000));
	expect_empty(e, S);
	expect_top(e, B, 1005, 30);
	zk_engine_destroy(e);
}

static void
test_price_time_priority(void **state)
{
	struct zk_engine *e = engine_with(ZK_STP_CANCEL_NEWEST, 16, 16);
	struct zk_op op;

	(void)state;
	run(e, op_gtc(1, 1, S, 1000, 10));
	run(e, op_gtc(2, 2, S, 995, 10));
	run(e, op_gtc(3, 3, S, 995, 10));
	run(e, op_gtc(4, 4, S, 1005, 10));
	op = run(e, op_gtc(5, 9, B, 1000, 30));
	EXPECT(op, ACC(B, 5, 1000, 30), TRD(B, 5, 2, 995, 10, 20, 0),
	       DONE(S, 2, 995), TRD(B, 5, 3, 995, 10, 10, 0),
	       DONE(S, 3, 995), TRD(B, 5, 1, 1000, 10, 0, 0),
	       DONE(S, 1, 1000), DONE(B, 5, 1000));
	expect_top(e, S, 1005, 10);
	/* Sell side mirrors it: highest bid first, oldest first within it. */
	run(e, op_gtc(6, 1, B, 900, 10));
	run(e, op_gtc(7, 2, B, 905, 20));
	run(e, op_gtc(8, 3, B, 905, 20));
	op = run(e, op_gtc(9, 9, S, 900, 30));
	EXPECT(op, ACC(S, 9, 900, 30), TRD(S, 9, 7, 905, 20, 10, 0),
	       DONE(B, 7, 905), TRD(S, 9, 8, 905, 10, 0, 10),
	       DONE(S, 9, 900));
	expect_top(e, B, 905, 10);
	zk_engine_destroy(e);
}

static void
test_ioc(void **state)
{
	struct zk_engine *e = engine_with(ZK_STP_CANCEL_NEWEST, 16, 16);
	struct zk_op op;

	(void)state;
	run(e, op_gtc(1, 1, S, 1000, 20));
	op = run(e, op_order(2, 2, B, ZK_ORD_LIMIT, ZK_TIF_IOC, 1000, 50));
	EXPECT(op, ACC(B, 2, 1000, 50), TRD(B, 2, 1, 1000, 20, 30, 0),
	       DONE(S, 1, 1000),
	       CXL(ZK_CXL_IOC_REMAINDER, B, 2, 1000, 30, 0));
	expect_empty(e, B);
	expect_empty(e, S);
	/* Not crossing at all: the whole order is cancelled. */
	op = run(e, op_order(3, 2, S, ZK_ORD_LIMIT, ZK_TIF_IOC, 1000, 10));
	EXPECT(op, ACC(S, 3, 1000, 10),
	       CXL(ZK_CXL_IOC_REMAINDER, S, 3, 1000, 10, 0));
	expect_empty(e, S);
	zk_engine_destroy(e);
}

static void
test_fok(void **state)
{
	struct zk_engine *e = engine_with(ZK_STP_CANCEL_NEWEST, 16, 16);
	struct zk_op op;

	(void)state;
	run(e, op_gtc(1, 1, S, 1000, 20));
	run(e, op_gtc(2, 1, S, 1005, 20));
	/* 50 wanted, 40 available within the limit: nothing happens. */
	op = run(e, op_order(3, 2, B, ZK_ORD_LIMIT, ZK_TIF_FOK, 1005, 50));
	EXPECT(op, ACC(B, 3, 1005, 50),
	       CXL(ZK_CXL_FOK_UNFILLED, B, 3, 1005, 50, 0));
	expect_top(e, S, 1000, 20);
	/* The limit excludes the second level. */
	op = run(e, op_order(4, 2, B, ZK_ORD_LIMIT, ZK_TIF_FOK, 1000, 30));
	EXPECT(op, ACC(B, 4, 1000, 30),
	       CXL(ZK_CXL_FOK_UNFILLED, B, 4, 1000, 30, 0));
	op = run(e, op_order(5, 2, B, ZK_ORD_LIMIT, ZK_TIF_FOK, 1005, 40));
	EXPECT(op, ACC(B, 5, 1005, 40), TRD(B, 5, 1, 1000, 20, 20, 0),
	       DONE(S, 1, 1000), TRD(B, 5, 2, 1005, 20, 0, 0),
	       DONE(S, 2, 1005), DONE(B, 5, 1005));
	expect_empty(e, S);
	zk_engine_destroy(e);
}

static void
test_market_orders(void **state)
{
	struct zk_engine *e = engine_with(ZK_STP_CANCEL_NEWEST, 16, 16);
	struct zk_op op;

	(void)state;
	run(e, op_gtc(1, 1, S, 1000, 20));
	run(e, op_gtc(2, 1, S, 99000, 20));
	op = run(e, op_order(3, 2, B, ZK_ORD_MARKET, ZK_TIF_IOC, 0, 50));
	EXPECT(op, ACC(B, 3, 0, 50), TRD(B, 3, 1, 1000, 20, 30, 0),
	       DONE(S, 1, 1000), TRD(B, 3, 2, 99000, 20, 10, 0),
	       DONE(S, 2, 99000), CXL(ZK_CXL_IOC_REMAINDER, B, 3, 0, 10, 0));
	/* Empty book: a market order never rests. */
	op = run(e, op_order(4, 2, S, ZK_ORD_MARKET, ZK_TIF_IOC, 0, 10));
	EXPECT(op, ACC(S, 4, 0, 10), CXL(ZK_CXL_IOC_REMAINDER, S, 4, 0, 10, 0));
	run(e, op_gtc(5, 1, B, 500, 10));
	op = run(e, op_order(6, 2, S, ZK_ORD_MARKET, ZK_TIF_FOK, 0, 20));
	EXPECT(op, ACC(S, 6, 0, 20), CXL(ZK_CXL_FOK_UNFILLED, S, 6, 0, 20, 0));
	op = run(e, op_order(7, 2, S, ZK_ORD_MARKET, ZK_TIF_FOK, 0, 10));
	EXPECT(op, ACC(S, 7, 0, 10), TRD(S, 7, 5, 500, 10, 0, 0),
	       DONE(B, 5, 500), DONE(S, 7, 0));
	/* Market orders must have price 0, a non-GTC tif, no post-only. */
	op = run(e, op_order(8, 2, S, ZK_ORD_MARKET, ZK_TIF_IOC, 500, 10));
	EXPECT(op, REJ(ZK_REJ_MALFORMED, 8, 0));
	op = run(e, op_order(9, 2, S, ZK_ORD_MARKET, ZK_TIF_GTC, 0, 10));
	EXPECT(op, REJ(ZK_REJ_MALFORMED, 9, 0));
	zk_engine_destroy(e);
}

static void
test_post_only(void **state)
{
	struct zk_engine *e = engine_with(ZK_STP_CANCEL_NEWEST, 16, 16);
	struct zk_op op, po;

	(void)state;
	run(e, op_gtc(1, 1, S, 1000, 20));
	po = op_gtc(2, 2, B, 995, 10);
	po.flags = ZK_OP_F_POST_ONLY;
	op = run(e, po);
	EXPECT(op, ACC(B, 2, 995, 10));
	po = op_gtc(3, 2, B, 1000, 10);
	po.flags = ZK_OP_F_POST_ONLY;
	op = run(e, po);
	EXPECT(op, REJ(ZK_REJ_WOULD_CROSS, 3, 0));
	expect_top(e, S, 1000, 20);
	expect_top(e, B, 995, 10);
	po = op_order(4, 2, B, ZK_ORD_LIMIT, ZK_TIF_IOC, 990, 10);
	po.flags = ZK_OP_F_POST_ONLY;
	op = run(e, po);
	EXPECT(op, REJ(ZK_REJ_MALFORMED, 4, 0));
	zk_engine_destroy(e);
}

static void
test_cancel_and_reduce(void **state)
{
	struct zk_engine *e = engine_with(ZK_STP_CANCEL_NEWEST, 16, 16);
	struct zk_op op;

	(void)state;
	run(e, op_gtc(1, 1, B, 1000, 50));
	run(e, op_gtc(2, 2, B, 1000, 40));
	op = run(e, op_cancel(1, 1, 20));
	EXPECT(op, CXL(ZK_CXL_REDUCE, B, 1, 1000, 30, 20));
	expect_top(e, B, 1000, 60);
	op = run(e, op_cancel(1, 1, 20));
	EXPECT(op, REJ(ZK_REJ_BAD_REDUCE, 1, 0));
	op = run(e, op_cancel(1, 1, 30));
	EXPECT(op, REJ(ZK_REJ_BAD_REDUCE, 1, 0));
	op = run(e, op_cancel(1, 1, 15));
	EXPECT(op, REJ(ZK_REJ_BAD_LOT, 1, 0));
	op = run(e, op_cancel(1, 2, 0));
	EXPECT(op, REJ(ZK_REJ_OWNER_MISMATCH, 1, 0));
	op = run(e, op_cancel(99, 1, 0));
	EXPECT(op, REJ(ZK_REJ_UNKNOWN_ORDER, 99, 0));
	/* The reduced order kept its place: it trades first. */
	op = run(e, op_gtc(3, 3, S, 1000, 10));
	EXPECT(op, ACC(S, 3, 1000, 10), TRD(S, 3, 1, 1000, 10, 0, 10),
	       DONE(S, 3, 1000));
	op = run(e, op_cancel(1, 1, 0));
	EXPECT(op, CXL(ZK_CXL_USER, B, 1, 1000, 10, 0));
	expect_top(e, B, 1000, 40);
	op = run(e, op_cancel(1, 1, 0));
	EXPECT(op, REJ(ZK_REJ_UNKNOWN_ORDER, 1, 0));
	op = run(e, op_cancel(2, 2, 0));
	EXPECT(op, CXL(ZK_CXL_USER, B, 2, 1000, 40, 0));
	expect_empty(e, B);
	zk_engine_destroy(e);
}

static void
test_replace_keeps_priority(void **state)
{
	struct zk_engine *e = engine_with(ZK_STP_CANCEL_NEWEST, 16, 16);
	struct zk_op op;

	(void)state;
	run(e, op_gtc(1, 1, S, 1000, 50));
	run(e, op_gtc(2, 2, S, 1000, 50));
	op = run(e, op_replace(1, 11, 1, 1000, 30));
	EXPECT(op, RPL(1, S, 1, 11, 1000, 30));
	op = run(e, op_replace(11, 12, 1, 1000, 30));
	EXPECT(op, RPL(1, S, 11, 12, 1000, 30));
	expect_top(e, S, 1000, 80);
	op = run(e, op_gtc(3, 3, B, 1000, 40));
	EXPECT(op, ACC(B, 3, 1000, 40), TRD(B, 3, 12, 1000, 30, 10, 0),
	       DONE(S, 12, 1000), TRD(B, 3, 2, 1000, 10, 0, 40),
	       DONE(B, 3, 1000));
	op = run(e, op_cancel(1, 1, 0));
	EXPECT(op, REJ(ZK_REJ_UNKNOWN_ORDER, 1, 0));
	zk_engine_destroy(e);
}

static void
test_replace_loses_priority(void **state)
{
	struct zk_engine *e = engine_with(ZK_STP_CANCEL_NEWEST, 16, 16);
	struct zk_op op;

	(void)state;
	/* Size increase: same price, back of the queue. */
	run(e, op_gtc(1, 1, S, 1000, 20));
	run(e, op_gtc(2, 2, S, 1000, 20));
	op = run(e, op_replace(1, 11, 1, 1000, 30));
	EXPECT(op, RPL(0, S, 1, 11, 1000, 30));
	op = run(e, op_gtc(3, 3, B, 1000, 30));
	EXPECT(op, ACC(B, 3, 1000, 30), TRD(B, 3, 2, 1000, 20, 10, 0),
	       DONE(S, 2, 1000), TRD(B, 3, 11, 1000, 10, 0, 20),
	       DONE(B, 3, 1000));
	/* Price change away and back: behind the order that stayed. */
	run(e, op_gtc(4, 4, S, 1000, 10));
	op = run(e, op_replace(11, 12, 1, 1005, 20));
	EXPECT(op, RPL(0, S, 11, 12, 1005, 20));
	op = run(e, op_replace(12, 13, 1, 1000, 20));
	EXPECT(op, RPL(0, S, 12, 13, 1000, 20));
	op = run(e, op_order(5, 3, B, ZK_ORD_LIMIT, ZK_TIF_IOC, 1000, 10));
	EXPECT(op, ACC(B, 5, 1000, 10), TRD(B, 5, 4, 1000, 10, 0, 0),
	       DONE(S, 4, 1000), DONE(B, 5, 1000));
	/* Repricing through the book trades as an aggressive GTC order. */
	run(e, op_gtc(6, 6, B, 990, 50));
	op = run(e, op_replace(6, 16, 6, 1000, 50));
	EXPECT(op, RPL(0, B, 6, 16, 1000, 50), TRD(B, 16, 13, 1000, 20, 30, 0),
	       DONE(S, 13, 1000));
	expect_top(e, B, 1000, 30);
	expect_empty(e, S);
	op = run(e, op_replace(16, 17, 6, 1000, 100));
	EXPECT(op, RPL(0, B, 16, 17, 1000, 100));
	expect_top(e, B, 1000, 100);
	zk_engine_destroy(e);
}

static void
test_replace_rejects(void **state)
{
	struct zk_engine *e = engine_with(ZK_STP_CANCEL_NEWEST, 16, 16);
	struct zk_op op, bad;

	(void)state;
	run(e, op_gtc(1, 1, S, 1000, 20));
	run(e, op_gtc(2, 1, S, 1005, 20));
	op = run(e, op_replace(9, 10, 1, 1000, 20));
	EXPECT(op, REJ(ZK_REJ_UNKNOWN_ORDER, 9, 10));
	op = run(e, op_replace(1, 10, 2, 1000, 20));
	EXPECT(op, REJ(ZK_REJ_OWNER_MISMATCH, 1, 10));
	op = run(e, op_replace(1, 2, 1, 1000, 20));
	EXPECT(op, REJ(ZK_REJ_DUPLICATE_ID, 1, 2));
	op = run(e, op_replace(1, 1, 1, 1000, 10));
	EXPECT(op, REJ(ZK_REJ_DUPLICATE_ID, 1, 1));
	op = run(e, op_replace(1, 10, 1, 1001, 20));
	EXPECT(op, REJ(ZK_REJ_BAD_TICK, 1, 10));
	op = run(e, op_replace(1, 10, 1, 1000, 25));
	EXPECT(op, REJ(ZK_REJ_BAD_LOT, 1, 10));
	op = run(e, op_replace(1, 10, 1, 1000, 0));
	EXPECT(op, REJ(ZK_REJ_BAD_LOT, 1, 10));
	op = run(e, op_replace(1, 10, 1, 100005, 20));
	EXPECT(op, REJ(ZK_REJ_PRICE_BAND, 1, 10));
	op = run(e, op_replace(1, 10, 1, 1000, 10010));
	EXPECT(op, REJ(ZK_REJ_MAX_QTY, 1, 10));
	bad = op_replace(1, 10, 1, 1000, 20);
	bad.side = S; /* replace keeps the side: must be zero */
	op = run(e, bad);
	EXPECT(op, REJ(ZK_REJ_MALFORMED, 1, 10));
	expect_top(e, S, 1000, 20);
	zk_engine_destroy(e);
}

static void
test_stp_cancel_newest(void **state)
{
	struct zk_engine *e = engine_with(ZK_STP_CANCEL_NEWEST, 16, 16);
	struct zk_op op;

	(void)state;
	run(e, op_gtc(1, 2, S, 995, 10));
	run(e, op_gtc(2, 1, S, 1000, 10));
	run(e, op_gtc(3, 2, S, 1000, 10));
	op = run(e, op_gtc(4, 1, B, 1000, 40));
	EXPECT(op, ACC(B, 4, 1000, 40), TRD(B, 4, 1, 995, 10, 30, 0),
	       DONE(S, 1, 995), CXL(ZK_CXL_STP, B, 4, 1000, 30, 0));
	expect_top(e, S, 1000, 20);
	expect_empty(e, B);
	zk_engine_destroy(e);
}

static void
test_stp_cancel_oldest(void **state)
{
	struct zk_engine *e = engine_with(ZK_STP_CANCEL_OLDEST, 16, 16);
	struct zk_op op;

	(void)state;
	run(e, op_gtc(1, 1, S, 1000, 10));
	run(e, op_gtc(2, 2, S, 1000, 10));
	run(e, op_gtc(3, 1, S, 1005, 10));
	op = run(e, op_gtc(4, 1, B, 1005, 40));
	EXPECT(op, ACC(B, 4, 1005, 40), CXL(ZK_CXL_STP, S, 1, 1000, 10, 0),
	       TRD(B, 4, 2, 1000, 10, 30, 0), DONE(S, 2, 1000),
	       CXL(ZK_CXL_STP, S, 3, 1005, 10, 0));
	expect_top(e, B, 1005, 30);
	expect_empty(e, S);
	/* FOK counts only what it could trade: self orders do not fill it. */
	run(e, op_gtc(5, 2, B, 1000, 10));
	run(e, op_gtc(6, 1, B, 1000, 10));
	op = run(e, op_order(7, 1, S, ZK_ORD_LIMIT, ZK_TIF_FOK, 1000, 50));
	EXPECT(op, ACC(S, 7, 1000, 50),
	       CXL(ZK_CXL_FOK_UNFILLED, S, 7, 1000, 50, 0));
	expect_top(e, B, 1005, 30);
	zk_engine_destroy(e);
}

static void
test_stp_cancel_both(void **state)
{
	struct zk_engine *e = engine_with(ZK_STP_CANCEL_BOTH, 16, 16);
	struct zk_op op;

	(void)state;
	run(e, op_gtc(1, 2, B, 1000, 10));
	run(e, op_gtc(2, 1, B, 1000, 10));
	run(e, op_gtc(3, 3, B, 1000, 10));
	op = run(e, op_gtc(4, 1, S, 995, 40));
	EXPECT(op, ACC(S, 4, 995, 40), TRD(S, 4, 1, 1000, 10, 30, 0),
	       DONE(B, 1, 1000), CXL(ZK_CXL_STP, B, 2, 1000, 10, 0),
	       CXL(ZK_CXL_STP, S, 4, 995, 30, 0));
	expect_top(e, B, 1000, 10);
	expect_empty(e, S);
	zk_engine_destroy(e);
}

static void
test_stp_group_overrides_account(void **state)
{
	struct zk_engine *e = engine_with(ZK_STP_CANCEL_NEWEST, 16, 16);
	struct zk_op op, o;

	(void)state;
	o = op_gtc(1, 1, S, 1000, 20);
	o.stp_group = 5;
	run(e, o);
	/* Same account, other group: trades. */
	o = op_gtc(2, 1, B, 1000, 10);
	o.stp_group = 6;
	op = run(e, o);
	EXPECT(op, ACC(B, 2, 1000, 10), TRD(B, 2, 1, 1000, 10, 0, 10),
	       DONE(B, 2, 1000));
	/* Same account, no group vs a grouped maker: trades. */
	op = run(e, op_gtc(3, 1, B, 1000, 20));
	EXPECT(op, ACC(B, 3, 1000, 20), TRD(B, 3, 1, 1000, 10, 10, 0),
	       DONE(S, 1, 1000));
	expect_top(e, B, 1000, 10);
	/* Another account in the same group: prevented. */
	o = op_gtc(4, 9, S, 1010, 10);
	run(e, o);
	o = op_gtc(5, 9, S, 1005, 10);
	o.stp_group = 7;
	run(e, o);
	o = op_gtc(6, 2, B, 1010, 10);
	o.stp_group = 7;
	op = run(e, o);
	EXPECT(op, ACC(B, 6, 1010, 10), CXL(ZK_CXL_STP, B, 6, 1010, 10, 0));
	expect_top(e, S, 1005, 10);
	zk_engine_destroy(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gtc_rests),
		cmocka_unit_test(test_trade_at_maker_price_partial_fill),
		cmocka_unit_test(test_price_time_priority),
		cmocka_unit_test(test_ioc),
		cmocka_unit_test(test_fok),
		cmocka_unit_test(test_market_orders),
		cmocka_unit_test(test_post_only),
		cmocka_unit_test(test_cancel_and_reduce),
		cmocka_unit_test(test_replace_keeps_priority),
		cmocka_unit_test(test_replace_loses_priority),
		cmocka_unit_test(test_replace_rejects),
		cmocka_unit_test(test_stp_cancel_newest),
		cmocka_unit_test(test_stp_cancel_oldest),
		cmocka_unit_test(test_stp_cancel_both),
		cmocka_unit_test(test_stp_group_overrides_account),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	zk_event_buf_free(&buf);
	return rc;
}
