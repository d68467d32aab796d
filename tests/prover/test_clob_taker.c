/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR, a limit IOC / FOK or market NEW that finds nothing to cross
 * (engine apply_new → enter: fok_fillable or match read the header and the
 * best opposite level, then CANCELLED IOC_REMAINDER / FOK_UNFILLED): two
 * events for one op. Honest batches (both sides, a best opposite level that
 * does not cross, an empty opposite side, market orders against an empty
 * side, mixed with resting orders, cancels and rejects) prove and verify;
 * cheating engines (a taker that could trade reported cancelled, a market
 * order against a live level, the wrong reason or qty, an IOC that rests,
 * a skipped level read) are named by the constraint debugger and their
 * proofs do not verify; takers that trade are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clob_test_book.h"

static struct zk_op taker_op(struct clob_rig *r, uint64_t id, uint8_t side,
			     int64_t price, uint8_t tif)
{
	return (struct zk_op){ .seq = r->seq++, .order_id = id,
			       .account = book_account(id % 7), .price = price,
			       .qty = 30, .market = clob_test_market.market,
			       .type = ZK_OP_NEW, .side = side,
			       .ord_type = price == 0 ? ZK_ORD_MARKET :
							ZK_ORD_LIMIT,
			       .tif = tif, .stp_group = (uint32_t)(id % 3) };
}

/* ops whose events are ACCEPTED then CANCELLED with `reason` */
static size_t count_unfilled(const struct zk_batch *b, uint8_t reason)
{
	size_t n = 0;

	for (size_t i = 0; i + 1 < b->events.len; i++)
		n += b->events.ev[i].type == ZK_EV_ACCEPTED &&
		     b->events.ev[i + 1].type == ZK_EV_CANCELLED &&
		     b->events.ev[i + 1].reason == reason &&
		     b->events.ev[i + 1].seq == b->events.ev[i].seq;
	return n;
}

/* On the test book (bids 500..490, asks 5000..5010): limit IOC / FOK on
 * both sides just short of the best opposite level, between rests,
 * cancels (one empties the best ask level, so the next FOK reads the new
 * best) and rejects. */
static void test_honest_taker(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[32];
	size_t n = 0, i;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	ops[n++] = taker_op(&r, 300, ZK_SIDE_BUY, 4995, ZK_TIF_IOC);
	ops[n++] = taker_op(&r, 301, ZK_SIDE_SELL, 505, ZK_TIF_IOC);
	ops[n++] = taker_op(&r, 302, ZK_SIDE_BUY, 700, ZK_TIF_FOK);
	ops[n++] = taker_op(&r, 303, ZK_SIDE_SELL, 3000, ZK_TIF_FOK);
	ops[n++] = clob_malformed_op(&r, 3);
	ops[n++] = taker_op(&r, 304, ZK_SIDE_BUY, 800, ZK_TIF_GTC);
	ops[n++] = taker_op(&r, 305, ZK_SIDE_SELL, 805, ZK_TIF_IOC);
	ops[n++] = taker_op(&r, 304, ZK_SIDE_SELL, 900, ZK_TIF_IOC); /* dup */
	for (i = 0; i < PER_LEVEL; i++)
		ops[n++] = cancel_op(&r, book_id(3, i), 0);
	ops[n++] = taker_op(&r, 306, ZK_SIDE_BUY, 5000, ZK_TIF_FOK);
	ops[n++] = clob_invalid_op(&r, 2);
	ops[n++] = taker_op(&r, 307, ZK_SIDE_BUY, 5003, ZK_TIF_IOC); /* tick */
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	assert_int_equal(count_unfilled(b, ZK_CXL_IOC_REMAINDER), 3);
	assert_int_equal(count_unfilled(b, ZK_CXL_FOK_UNFILLED), 3);
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

/* An empty book: market orders (IOC and FOK) of both sides and limit
 * takers find no level at all; a resting order on one side leaves the
 * other empty, so a market order of the same side still finds nothing. */
static void test_honest_market(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[8];
	size_t n = 0;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	ops[n++] = taker_op(&r, 7, ZK_SIDE_BUY, 0, ZK_TIF_IOC);
	ops[n++] = taker_op(&r, 8, ZK_SIDE_SELL, 0, ZK_TIF_FOK);
	ops[n++] = taker_op(&r, 9, ZK_SIDE_SELL, 600, ZK_TIF_IOC);
	ops[n++] = taker_op(&r, 10, ZK_SIDE_BUY, 600, ZK_TIF_GTC);
	ops[n++] = taker_op(&r, 11, ZK_SIDE_BUY, 0, ZK_TIF_FOK);
	ops[n++] = taker_op(&r, 12, ZK_SIDE_BUY, 700, ZK_TIF_IOC);
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	assert_int_equal(count_unfilled(b, ZK_CXL_IOC_REMAINDER), 3);
	assert_int_equal(count_unfilled(b, ZK_CXL_FOK_UNFILLED), 2);
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

enum cheat {
	CH_IOC_CROSS,    /* an IOC at the best ask reported cancelled */
	CH_FOK_CROSS,    /* a FOK that could fill reported unfilled */
	CH_MARKET_LEVEL, /* a market BUY with a live ask reported cancelled */
	CH_REASON,       /* an IOC's remainder reported FOK_UNFILLED */
	CH_QTY,          /* the cancelled qty short of the order's */
	CH_REMAINING,    /* the cancelled event claims a remaining */
	CH_SKIP_LEVEL,   /* the best ask's read dropped */
	CH_IOC_RESTS,    /* an IOC whose remainder rests */
	CH_EXTRA_EVENT,  /* a rejected op followed by a second event */
	CH_EXTRA_E2,     /* the same, its first event row claiming E2 */
	CH_COUNT,
};

static const char *const cheat_name[CH_COUNT] = {
	"IOC that could trade", "FOK that could fill",
	"market order against a live level", "reason", "cancelled qty",
	"cancelled remaining", "best level read skipped", "IOC resting",
	"extra event after a reject", "extra event with E2 forged",
};

/* E2 (and the IOC reason) on every event row followed by an event. */
static void forge_e2(zk_gl **cols, size_t n, void *arg)
{
	(void)arg;
	for (size_t r = 0; r + 1 < n; r++) {
		if (cols[C_SEV][r] && cols[C_SEV][r + 1]) {
			cols[C_E2][r] = 1;
			cols[C_RSN][r] = ZK_CXL_IOC_REMAINDER;
		}
	}
}

/* A CANCELLED event after the op's only one (the gate never sees it). */
static void append_cancelled(struct zk_batch *b)
{
	struct zk_event *ev = realloc(b->events.ev,
				      (b->events.len + 1) * sizeof(*ev));

	assert_non_null(ev);
	b->events.ev = ev;
	b->events.cap = b->events.len + 1;
	ev[b->events.len] = ev[b->events.len - 1];
	ev[b->events.len].type = ZK_EV_CANCELLED;
	ev[b->events.len].reason = ZK_CXL_IOC_REMAINDER;
	b->events.len++;
}

static void cheat_case(enum cheat ch)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op op;
	struct zk_event *ev;

	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	if (ch == CH_FOK_CROSS)
		op = taker_op(&r, 400, ZK_SIDE_BUY, 4995, ZK_TIF_FOK);
	else if (ch == CH_IOC_RESTS)
		op = taker_op(&r, 400, ZK_SIDE_BUY, 4995, ZK_TIF_GTC);
	else if (ch >= CH_EXTRA_EVENT)
		op = taker_op(&r, 400, ZK_SIDE_BUY, 4993, ZK_TIF_IOC);
	else
		op = taker_op(&r, 400, ZK_SIDE_BUY, 4995, ZK_TIF_IOC);
	b = clob_rig_batch(&r, &op, 1);
	assert_non_null(b);
	ev = b->events.ev;
	assert_int_equal(ev[0].type, ch >= CH_EXTRA_EVENT ? ZK_EV_REJECTED :
							   ZK_EV_ACCEPTED);
	assert_int_equal(b->events.len, ch >= CH_IOC_RESTS ? 1 : 2);
	switch (ch) {
	case CH_IOC_CROSS:
	case CH_FOK_CROSS:
		/* at the best ask: the engine would have traded */
		b->ops[0].price = ev[0].price = ev[1].price = 5000;
		break;
	case CH_MARKET_LEVEL:
		b->ops[0].ord_type = ZK_ORD_MARKET;
		b->ops[0].price = ev[0].price = ev[1].price = 0;
		break;
	case CH_REASON:
		ev[1].reason = ZK_CXL_FOK_UNFILLED;
		break;
	case CH_QTY:
		ev[1].qty -= 10;
		break;
	case CH_REMAINING:
		ev[1].remaining = 10;
		break;
	case CH_SKIP_LEVEL:
		assert_int_equal(b->witness.acc[b->witness.len - 1].kind,
				 ZK_SLOT_LEVEL);
		b->witness.len--;
		break;
	case CH_IOC_RESTS:
		b->ops[0].tif = ZK_TIF_IOC;
		break;
	case CH_EXTRA_EVENT:
	case CH_EXTRA_E2:
		append_cancelled(b);
		break;
	default:
		break;
	}
	expect_cheat_refused(&r, b, ch == CH_EXTRA_E2 ? forge_e2 : NULL,
			     (unsigned)ch < CH_COUNT ? cheat_name[ch] : "?");
}

static void test_cheat_taker(void **state)
{
	(void)state;
	for (int ch = 0; ch < CH_COUNT; ch++)
		cheat_case((enum cheat)ch);
}

/* With every level slot taken, a GTC that would trade is rejected
 * BOOK_FULL (slots_available runs before matching); at its crossing price
 * the engine's witness reads its side's best level as the worse bracket
 * (AIR v10; the gate refused it before), so it is proven with the
 * debugger on and verifies (test_clob_full.c proves the rest); the
 * takers themselves (one or several makers, FOK filled or unfilled after
 * any number of reads, STP after fills) are proven since AIR v8
 * (test_clob_sweep.c). */
static void test_full_taker(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op op, more[2 * 13];
	struct zk_st_update u = { 0 };

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	/* 26 more levels: the market's 32 level slots all taken */
	for (size_t i = 0; i < 26; i++) {
		int buy = i < 13;

		more[i] = (struct zk_op){
			.seq = r.seq++, .order_id = 2000 + i, .account = 5,
			.price = buy ? 485 - 5 * (int64_t)i :
				       5015 + 5 * (int64_t)(i - 13),
			.qty = 10, .market = clob_test_market.market,
			.type = ZK_OP_NEW,
			.side = buy ? ZK_SIDE_BUY : ZK_SIDE_SELL,
			.ord_type = ZK_ORD_LIMIT, .tif = ZK_TIF_GTC };
	}
	b = clob_rig_batch(&r, more, 26);
	assert_non_null(b);
	for (size_t i = 0; i < b->events.len; i++)
		assert_int_equal(b->events.ev[i].type, ZK_EV_ACCEPTED);
	assert_int_equal(zk_st_apply_witness(r.t, &b->witness, &u), 0);
	zk_st_update_free(&u);
	zk_batch_free(b);
	op = taker_op(&r, 401, ZK_SIDE_BUY, 5005, ZK_TIF_GTC);
	op.qty = 200;
	b = clob_rig_batch(&r, &op, 1);
	assert_non_null(b);
	assert_int_equal(b->events.ev[0].reason, ZK_REJ_BOOK_FULL);
	{
		struct zk_clob_prove_opts o = { .market = &clob_test_market,
						.stark_params = FAST,
						.debug = 1 };
		struct zk_statement st;
		uint8_t *proof = NULL;
		size_t len = 0;
		char err[ERRLEN] = "";

		if (zk_clob_prove(b, r.t, &o, &proof, &len, &st, err,
				  sizeof(err)) != 0)
			fail_msg("prove: %s", err);
		assert_int_equal(verify(&st, b->ops, b->n_ops, b->events.ev,
					b->events.len, proof, len),
				 0);
		free(proof);
	}
	zk_batch_free(b);
	clob_rig_fini(&r);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest all[] = {
		cmocka_unit_test(test_honest_taker),
		cmocka_unit_test(test_honest_market),
		cmocka_unit_test(test_cheat_taker),
		cmocka_unit_test(test_full_taker),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(all, NULL, NULL);
}
