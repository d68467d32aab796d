/* SPDX-License-Identifier: MIT */
/*
 * One test per reject reason, book-full accounting, market isolation and
 * engine parameter validation. A rejected op must leave the book unchanged,
 * which every test checks through the slot state, not just top of book.
 */
#include <errno.h>
#include <stdlib.h>

#include "engine_test_util.h"

#define B ZK_SIDE_BUY
#define S ZK_SIDE_SELL

static struct zk_event_buf buf;
static uint64_t next_seq = 1;

static struct zk_market_params
params(uint32_t market, uint32_t max_orders, uint32_t max_levels)
{
	return (struct zk_market_params){
		.market = market, .tick = 5, .lot = 10, .min_price = 100,
		.max_price = 100000, .max_qty = 10000,
		.stp = ZK_STP_CANCEL_NEWEST, .max_orders = max_orders,
		.max_levels = max_levels,
	};
}

static struct zk_engine *
engine_with(uint32_t max_orders, uint32_t max_levels)
{
	struct zk_market_params p = params(1, max_orders, max_levels);
	struct zk_engine *e = zk_engine_create(&p, 1);

	assert_non_null(e);
	return e;
}

static const struct zk_event *
run(struct zk_engine *e, struct zk_op op)
{
	op.seq = next_seq++;
	if (op.market == 0)
		op.market = 1;
	buf.len = 0;
	assert_true(zk_engine_apply(e, &op, &buf) >= 1);
	assert_int_equal(buf.ev[0].seq, op.seq);
	assert_int_equal(buf.ev[0].market, op.market);
	return &buf.ev[0];
}

/* Every slot of one market, in kind order: the whole proven state. */
struct state_copy {
	union zk_slot_value *v;
	size_t n;
};

static struct state_copy
snapshot(const struct zk_engine *e, uint32_t market)
{
	static const enum zk_slot_kind kinds[] = { ZK_SLOT_HEADER,
		ZK_SLOT_ORDER, ZK_SLOT_LEVEL, ZK_SLOT_BUCKET };
	struct state_copy c = { 0 };
	size_t n = 0;

	for (size_t k = 0; k < 4; k++)
		n += zk_engine_slot_count(e, market, kinds[k]);
	c.v = calloc(n, sizeof(*c.v));
	assert_non_null(c.v);
	for (size_t k = 0; k < 4; k++)
		for (uint32_t i = 0; i < zk_engine_slot_count(e, market, kinds[k]);
		     i++)
			assert_int_equal(zk_engine_slot_get(e, market, kinds[k],
							    i, &c.v[c.n++]), 0);
	return c;
}

static void
expect_rejected_unchanged(struct zk_engine *e, struct zk_op op, int reason)
{
	struct state_copy before = snapshot(e, 1), after;
	const struct zk_event *ev = run(e, op);

	assert_int_equal(buf.len, 1);
	assert_int_equal(ev->type, ZK_EV_REJECTED);
	if (ev->reason != reason)
		fail_msg("want reject '%s', got '%s'",
			 zk_reject_reason_str(reason),
			 zk_reject_reason_str(ev->reason));
	assert_int_equal(ev->order_id, op.order_id);
	assert_int_equal(ev->other_id, op.type == ZK_OP_REPLACE ?
						op.new_order_id : 0);
	after = snapshot(e, 1);
	assert_int_equal(before.n, after.n);
	assert_memory_equal(before.v, after.v, before.n * sizeof(*before.v));
	free(before.v);
	free(after.v);
}

static void
test_reject_price_and_size(void **state)
{
	struct zk_engine *e = engine_with(16, 16);

	(void)state;
	run(e, op_gtc(1, 1, S, 1000, 20));
	expect_rejected_unchanged(e, op_gtc(2, 1, B, 1001, 10), ZK_REJ_BAD_TICK);
	expect_rejected_unchanged(e, op_gtc(2, 1, B, -7, 10), ZK_REJ_BAD_TICK);
	expect_rejected_unchanged(e, op_gtc(2, 1, B, 1000, 15), ZK_REJ_BAD_LOT);
	expect_rejected_unchanged(e, op_gtc(2, 1, B, 1000, 0), ZK_REJ_BAD_LOT);
	expect_rejected_unchanged(e, op_gtc(2, 1, B, 95, 10), ZK_REJ_PRICE_BAND);
	expect_rejected_unchanged(e, op_gtc(2, 1, B, 100005, 10),
				  ZK_REJ_PRICE_BAND);
	expect_rejected_unchanged(e, op_gtc(2, 1, B, INT64_MIN + 3, 10),
				  ZK_REJ_PRICE_BAND);
	expect_rejected_unchanged(e, op_gtc(2, 1, B, INT64_MAX - 2, 10),
				  ZK_REJ_PRICE_BAND);
	expect_rejected_unchanged(e, op_gtc(2, 1, B, 1000, 10010),
				  ZK_REJ_MAX_QTY);
	/* The documented order: tick before lot before band before size. */
	expect_rejected_unchanged(e, op_gtc(2, 1, B, 99, 15), ZK_REJ_BAD_TICK);
	expect_rejected_unchanged(e, op_gtc(2, 1, B, 95, 15), ZK_REJ_BAD_LOT);
	expect_rejected_unchanged(e, op_gtc(2, 1, B, 95, 20000),
				  ZK_REJ_PRICE_BAND);
	/* Band edges are inside. */
	assert_int_equal(run(e, op_gtc(3, 1, B, 100, 10))->type,
			 ZK_EV_ACCEPTED);
	assert_int_equal(run(e, op_gtc(4, 1, S, 100000, 10000))->type,
			 ZK_EV_ACCEPTED);
	zk_engine_destroy(e);
}

static void
test_reject_ids_and_owner(void **state)
{
	struct zk_engine *e = engine_with(16, 16);

	(void)state;
	run(e, op_gtc(1, 1, S, 1000, 20));
	expect_rejected_unchanged(e, op_gtc(1, 2, B, 900, 10),
				  ZK_REJ_DUPLICATE_ID);
	expect_rejected_unchanged(e, op_cancel(2, 1, 0), ZK_REJ_UNKNOWN_ORDER);
	expect_rejected_unchanged(e, op_replace(2, 3, 1, 1000, 10),
				  ZK_REJ_UNKNOWN_ORDER);
	expect_rejected_unchanged(e, op_cancel(1, 2, 0), ZK_REJ_OWNER_MISMATCH);
	expect_rejected_unchanged(e, op_replace(1, 3, 2, 1000, 10),
				  ZK_REJ_OWNER_MISMATCH);
	expect_rejected_unchanged(e, op_cancel(1, 1, 20), ZK_REJ_BAD_REDUCE);
	/* A filled order's id is free again. */
	run(e, op_gtc(5, 2, B, 1000, 20));
	assert_int_equal(run(e, op_gtc(1, 2, B, 900, 10))->type,
			 ZK_EV_ACCEPTED);
	zk_engine_destroy(e);
}

static void
test_reject_malformed(void **state)
{
	struct zk_engine *e = engine_with(16, 16);
	struct zk_op op;

	(void)state;
	run(e, op_gtc(1, 1, S, 1000, 20));
	op = op_gtc(2, 1, B, 900, 10);
	op.type = 0;
	expect_rejected_unchanged(e, op, ZK_REJ_MALFORMED);
	op.type = 4;
	expect_rejected_unchanged(e, op, ZK_REJ_MALFORMED);
	op = op_gtc(2, 1, 3, 900, 10);
	expect_rejected_unchanged(e, op, ZK_REJ_MALFORMED);
	op = op_order(2, 1, B, 3, ZK_TIF_GTC, 900, 10);
	expect_rejected_unchanged(e, op, ZK_REJ_MALFORMED);
	op = op_order(2, 1, B, ZK_ORD_LIMIT, 0, 900, 10);
	expect_rejected_unchanged(e, op, ZK_REJ_MALFORMED);
	op = op_order(2, 1, B, ZK_ORD_LIMIT, 4, 900, 10);
	expect_rejected_unchanged(e, op, ZK_REJ_MALFORMED);
	op = op_gtc(2, 1, B, 900, 10);
	op.flags = 0x02;
	expect_rejected_unchanged(e, op, ZK_REJ_MALFORMED);
	op = op_gtc(2, 1, B, 900, 10);
	op.reserved[2] = 1;
	expect_rejected_unchanged(e, op, ZK_REJ_MALFORMED);
	op = op_gtc(2, 1, B, 900, 10);
	op.new_order_id = 9;
	expect_rejected_unchanged(e, op, ZK_REJ_MALFORMED);
	op = op_cancel(1, 1, 0);
	op.side = S;
	expect_rejected_unchanged(e, op, ZK_REJ_MALFORMED);
	op = op_cancel(1, 1, 0);
	op.price = 1000;
	expect_rejected_unchanged(e, op, ZK_REJ_MALFORMED);
	op = op_cancel(1, 1, 0);
	op.stp_group = 3;
	expect_rejected_unchanged(e, op, ZK_REJ_MALFORMED);
	op = op_replace(1, 2, 1, 1000, 10);
	op.tif = ZK_TIF_IOC;
	expect_rejected_unchanged(e, op, ZK_REJ_MALFORMED);
	/* Malformed is decided before the market is looked up. */
	op = op_gtc(2, 1, 9, 900, 10);
	op.market = 77;
	expect_rejected_unchanged(e, op, ZK_REJ_MALFORMED);
	zk_engine_destroy(e);
}

static void
test_reject_unknown_market(void **state)
{
	struct zk_engine *e = engine_with(16, 16);
	struct zk_op op = op_gtc(1, 1, B, 900, 10);

	(void)state;
	op.market = 2;
	expect_rejected_unchanged(e, op, ZK_REJ_UNKNOWN_MARKET);
	op.market = 256;
	expect_rejected_unchanged(e, op, ZK_REJ_UNKNOWN_MARKET);
	op.market = UINT32_MAX;
	expect_rejected_unchanged(e, op, ZK_REJ_UNKNOWN_MARKET);
	op = op_cancel(1, 1, 0);
	op.market = 2;
	expect_rejected_unchanged(e, op, ZK_REJ_UNKNOWN_MARKET);
	zk_engine_destroy(e);
}

static void
test_book_full_orders(void **state)
{
	struct zk_engine *e = engine_with(2, 16);

	(void)state;
	run(e, op_gtc(1, 1, S, 1000, 20));
	run(e, op_gtc(2, 1, S, 1005, 20));
	expect_rejected_unchanged(e, op_gtc(3, 2, B, 900, 10),
				  ZK_REJ_BOOK_FULL);
	/* Decided before matching, even when it would have filled. */
	expect_rejected_unchanged(e, op_gtc(3, 2, B, 1000, 10),
				  ZK_REJ_BOOK_FULL);
	/* Orders that never rest need no slot. */
	run(e, op_order(4, 2, B, ZK_ORD_LIMIT, ZK_TIF_IOC, 1000, 20));
	assert_int_equal(buf.len, 4);
	assert_int_equal(run(e, op_gtc(5, 2, B, 900, 10))->type,
			 ZK_EV_ACCEPTED);
	/* A replace reuses its own slot. */
	assert_int_equal(run(e, op_replace(5, 6, 2, 905, 20))->type,
			 ZK_EV_REPLACED);
	zk_engine_destroy(e);
}

static void
test_book_full_levels(void **state)
{
	struct zk_engine *e = engine_with(16, 2);

	(void)state;
	run(e, op_gtc(1, 1, S, 1000, 20));
	run(e, op_gtc(2, 1, B, 900, 20));
	expect_rejected_unchanged(e, op_gtc(3, 2, B, 905, 10),
				  ZK_REJ_BOOK_FULL);
	/* Joining an existing level needs no level slot. */
	assert_int_equal(run(e, op_gtc(3, 2, B, 900, 10))->type,
			 ZK_EV_ACCEPTED);
	/* Order 2 shares its level: moving it would need a new level. */
	expect_rejected_unchanged(e, op_replace(2, 7, 1, 895, 20),
				  ZK_REJ_BOOK_FULL);
	run(e, op_cancel(3, 2, 0));
	/* Alone on its level: moving it frees the level it needs. */
	assert_int_equal(run(e, op_replace(2, 7, 1, 895, 20))->type,
			 ZK_EV_REPLACED);
	assert_int_equal(buf.len, 1);
	int64_t p;
	uint64_t t;

	assert_int_equal(zk_engine_top(e, 1, B, &p, &t), 0);
	assert_int_equal(p, 895);
	assert_int_equal(t, 20);
	zk_engine_destroy(e);
}

static void
test_markets_isolated(void **state)
{
	/* 300000 is past the direct-index range: found by binary search. */
	struct zk_market_params p[3] = { params(300000, 16, 16),
					 params(10, 16, 16),
					 params(20, 16, 16) };
	struct zk_engine *e;
	struct zk_op op;
	int64_t px;
	uint64_t t;

	(void)state;
	p[1].tick = 1;
	p[1].lot = 1;
	e = zk_engine_create(p, 3);
	assert_non_null(e);
	op = op_gtc(1, 1, S, 1000, 20);
	op.market = 300000;
	run(e, op);
	/* Same id, same account, crossing price, other market: independent. */
	op = op_gtc(1, 1, B, 1000, 20);
	op.market = 20;
	assert_int_equal(run(e, op)->type, ZK_EV_ACCEPTED);
	assert_int_equal(buf.len, 1);
	assert_int_equal(zk_engine_top(e, 300000, S, &px, &t), 0);
	assert_int_equal(zk_engine_top(e, 20, B, &px, &t), 0);
	assert_int_equal(zk_engine_top(e, 10, B, &px, &t), -1);
	/* Each market applies its own params. */
	op = op_gtc(2, 1, B, 1001, 3);
	op.market = 10;
	assert_int_equal(run(e, op)->type, ZK_EV_ACCEPTED);
	op.market = 20;
	assert_int_equal(run(e, op)->reason, ZK_REJ_BAD_TICK);
	op = op_cancel(1, 1, 0);
	op.market = 10;
	assert_int_equal(run(e, op)->reason, ZK_REJ_UNKNOWN_ORDER);
	op.market = 300000;
	assert_int_equal(run(e, op)->reason, ZK_CXL_USER);
	assert_int_equal(zk_engine_top(e, 300000, S, &px, &t), -1);
	assert_int_equal(zk_engine_top(e, 20, B, &px, &t), 0);
	assert_int_equal(px, 1000);
	zk_engine_destroy(e);
}

static void
test_create_rejects_bad_params(void **state)
{
	struct zk_market_params ok = params(1, 16, 16), p[2];

	(void)state;
#define BAD(expr)                                                          \
	do {                                                               \
		struct zk_market_params b = ok;                            \
		expr;                                                      \
		errno = 0;                                                 \
		assert_null(zk_engine_create(&b, 1));                      \
		assert_int_equal(errno, EINVAL);                           \
	} while (0)
	BAD(b.tick = 0);
	BAD(b.tick = -5);
	BAD(b.lot = 0);
	BAD(b.min_price = 1001);
	BAD(b.min_price = 101);
	BAD(b.max_price = 99999);
	BAD(b.max_qty = 5);
	BAD(b.stp = (enum zk_stp_mode)3);
	BAD(b.max_orders = 0);
	BAD(b.max_levels = 0);
	BAD(b.max_orders = ZK_MAX_SLOTS + 1);
	BAD(b.max_qty = UINT64_MAX / 16 + 1);
	BAD(b.max_price = b.min_price + (int64_t)ZK_MAX_BAND_TICKS * 5);
#undef BAD
	errno = 0;
	assert_null(zk_engine_create(NULL, 1));
	assert_int_equal(errno, EINVAL);
	assert_null(zk_engine_create(&ok, 0));
	p[0] = ok;
	p[1] = ok;
	errno = 0;
	assert_null(zk_engine_create(p, 2));
	assert_int_equal(errno, EINVAL);
	/* The largest band is accepted. */
	ok.max_price = ok.min_price + (int64_t)(ZK_MAX_BAND_TICKS - 1) * 5;
	struct zk_engine *e = zk_engine_create(&ok, 1);

	assert_non_null(e);
	run(e, op_gtc(1, 1, S, ok.max_price, 10));
	run(e, op_gtc(2, 1, B, ok.min_price, 10));
	run(e, op_gtc(3, 1, B, ok.min_price + 5, 10));
	assert_int_equal(buf.ev[0].type, ZK_EV_ACCEPTED);
	zk_engine_destroy(e);
}

static void
test_strings(void **state)
{
	(void)state;
	for (int r = 0; r < ZK_REJ_COUNT; r++)
		assert_string_not_equal(zk_reject_reason_str(r),
					"unknown reject reason");
	assert_string_equal(zk_reject_reason_str(ZK_REJ_COUNT),
			    "unknown reject reason");
	assert_string_equal(zk_reject_reason_str(-1), "unknown reject reason");
	assert_string_equal(zk_event_type_str(ZK_EV_TRADE), "trade");
	assert_string_equal(zk_event_type_str(0), "unknown event type");
	assert_string_equal(zk_cancel_cause_str(ZK_CXL_STP),
			    "self-trade prevention");
	assert_string_equal(zk_cancel_cause_str(9), "unknown cancel cause");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reject_price_and_size),
		cmocka_unit_test(test_reject_ids_and_owner),
		cmocka_unit_test(test_reject_malformed),
		cmocka_unit_test(test_reject_unknown_market),
		cmocka_unit_test(test_book_full_orders),
		cmocka_unit_test(test_book_full_levels),
		cmocka_unit_test(test_markets_isolated),
		cmocka_unit_test(test_create_rejects_bad_params),
		cmocka_unit_test(test_strings),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	zk_event_buf_free(&buf);
	return rc;
}
