/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR, the matching loop (clob_air_fill.h): a limit IOC or market
 * NEW that trades with several makers, at one level and across levels,
 * in price-time order (engine match's while loop), every maker but maybe
 * the last emptied and removed, the loop ending at a zero remaining
 * (DONE), at an empty opposite side or at a level that does not cross
 * (CANCELLED IOC_REMAINDER); GTC takers that rest after it, FOKs filled
 * by several makers or unfilled after several reads (fok_fillable's
 * chain), takers stopped by self-trade prevention after fills. Honest
 * batches (2 to 12 fills) prove and verify; cheating engines (a worse
 * price, the oldest order skipped, a wrong fill or remaining, an emptied
 * maker left on the book, a TRADE changed, dropped or added, the loop
 * stopped while the next level crosses, an IOC remainder that rests, a
 * wrong or crossing GTC rest, a FOK filled in part or unfilled while
 * covered, a wrong self-trade stop) are named by the constraint debugger
 * and their proofs do not verify.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clob_test_book.h"

#define TAKER_ACCOUNT 9 /* no book order's: never a self-trade */

static struct zk_op sweep_op(struct clob_rig *r, uint64_t id, uint8_t side,
			     int64_t price, uint64_t qty, uint8_t tif)
{
	return (struct zk_op){ .seq = r->seq++, .order_id = id,
			       .account = TAKER_ACCOUNT, .price = price,
			       .qty = qty, .market = clob_test_market.market,
			       .type = ZK_OP_NEW, .side = side,
			       .ord_type = price == 0 ? ZK_ORD_MARKET :
							ZK_ORD_LIMIT,
			       .tif = tif };
}

/* The TRADE events of op seq, and how its events end. */
static size_t count_trades(const struct zk_batch *b, uint64_t seq,
			   const struct zk_event **end)
{
	size_t n = 0;

	*end = NULL;
	for (size_t i = 0; i < b->events.len; i++) {
		if (b->events.ev[i].seq != seq)
			continue;
		n += b->events.ev[i].type == ZK_EV_TRADE;
		*end = &b->events.ev[i];
	}
	return n;
}

/* On the test book (bids 500 / 495 / 490 of 40 / 50 / 60 lots, asks 5000
 * / 5005 / 5010 of 40 / 50 / 60, four orders a level): sweeps of one and
 * of several levels, both sides, limit and market, ending DONE with the
 * last maker kept or emptied and CANCELLED IOC_REMAINDER at a level that
 * does not cross, between other kinds; then on a fresh book a market
 * SELL that empties the bid side (no best level left). */
static void test_honest_sweep(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[8];
	const struct zk_event *end;
	size_t n = 0;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	/* two makers at 5000: 40 (emptied) and 30 of the next (kept) */
	ops[n++] = sweep_op(&r, 700, ZK_SIDE_BUY, 5000, 70, ZK_TIF_IOC);
	/* three at 500: 40, 40, 20 of the third */
	ops[n++] = sweep_op(&r, 701, ZK_SIDE_SELL, 495, 100, ZK_TIF_IOC);
	ops[n++] = clob_malformed_op(&r, 3);
	/* 5000's 10 + 40 + 40, 5005's 4 x 50, then 5010 does not cross */
	ops[n++] = sweep_op(&r, 702, ZK_SIDE_BUY, 5005, 400, ZK_TIF_IOC);
	ops[n++] = cancel_op(&r, book_id(1, 0), 0);
	/* a market BUY that takes 5010's four orders exactly */
	ops[n++] = sweep_op(&r, 703, ZK_SIDE_BUY, 0, 240, ZK_TIF_IOC);
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	assert_int_equal(count_trades(b, ops[0].seq, &end), 2);
	assert_int_equal(end->type, ZK_EV_DONE);
	assert_int_equal(count_trades(b, ops[1].seq, &end), 3);
	assert_int_equal(end->type, ZK_EV_DONE);
	assert_int_equal(count_trades(b, ops[3].seq, &end), 7);
	assert_int_equal(end->type, ZK_EV_CANCELLED);
	assert_int_equal(end->reason, ZK_CXL_IOC_REMAINDER);
	assert_int_equal(end->qty, 110);
	assert_int_equal(count_trades(b, ops[5].seq, &end), 4);
	assert_int_equal(end->type, ZK_EV_DONE);
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);

	/* the whole bid side (600) and more: twelve makers, three levels
	 * freed, then the header names no best bid */
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	ops[0] = sweep_op(&r, 710, ZK_SIDE_SELL, 0, 700, ZK_TIF_IOC);
	b = clob_rig_batch(&r, ops, 1);
	assert_non_null(b);
	assert_int_equal(count_trades(b, ops[0].seq, &end), 12);
	assert_int_equal(end->type, ZK_EV_CANCELLED);
	assert_int_equal(end->qty, 100);
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

/* Limit GTC takers that trade with several makers (slots_available's
 * header read before matching, the resting NEW's rows after the loop): a
 * BUY that empties 5000 and 5005 and rests 40 at 5005 in a level slot its
 * fills freed; a SELL that takes that bid, 500's and 495's orders and
 * rests 20 at 495 (nine makers); a BUY that takes those 20 and is filled
 * at 5010 (DONE); with an IOC and a reject. */
static void test_honest_gtc_sweep(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[8];
	const struct zk_event *end;
	size_t n = 0;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	ops[n++] = sweep_op(&r, 900, ZK_SIDE_BUY, 5005, 400, ZK_TIF_GTC);
	ops[n++] = clob_invalid_op(&r, 1);
	/* the 40 at 5005 (bid), then 500's 160 and 495's 200, rests 20 at
	 * 495 (its last event is the last maker's DONE) */
	ops[n] = sweep_op(&r, 901, ZK_SIDE_SELL, 495, 420, ZK_TIF_GTC);
	ops[n++].account = TAKER_ACCOUNT + 1; /* not 900's */
	/* that 20 at 495, then 60 and 40 of 5010's (DONE) */
	ops[n++] = sweep_op(&r, 902, ZK_SIDE_BUY, 5010, 120, ZK_TIF_GTC);
	ops[n++] = sweep_op(&r, 903, ZK_SIDE_SELL, 0, 20, ZK_TIF_IOC);
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	assert_int_equal(count_trades(b, ops[0].seq, &end), 8);
	assert_int_equal(end->type, ZK_EV_DONE);
	assert_int_equal(count_trades(b, ops[2].seq, &end), 9);
	assert_int_equal(end->type, ZK_EV_DONE);
	assert_int_equal(end->order_id, book_id(1, 3));
	assert_int_equal(count_trades(b, ops[3].seq, &end), 3);
	assert_int_equal(end->type, ZK_EV_DONE);
	assert_int_equal(end->order_id, 902);
	assert_int_equal(count_trades(b, ops[4].seq, &end), 1);
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

/* FOK takers filled by several makers (fok_fillable's reads down the
 * FIFO and to the worse level, then the loop): a limit BUY over 5000's
 * four orders and two of 5005's (the last keeps 10), a market SELL of
 * three bids, a BUY that empties 5005's last three and 5010's head
 * exactly, a FOK the head fills (one read, one fill). */
static void test_honest_fok_sweep(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[8];
	const struct zk_event *end;
	size_t n = 0;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	ops[n++] = sweep_op(&r, 950, ZK_SIDE_BUY, 5005, 250, ZK_TIF_FOK);
	ops[n++] = sweep_op(&r, 951, ZK_SIDE_SELL, 0, 100, ZK_TIF_FOK);
	ops[n++] = clob_malformed_op(&r, 2);
	ops[n++] = sweep_op(&r, 952, ZK_SIDE_BUY, 5010, 170, ZK_TIF_FOK);
	ops[n++] = sweep_op(&r, 953, ZK_SIDE_BUY, 5010, 30, ZK_TIF_FOK);
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	assert_int_equal(count_trades(b, ops[0].seq, &end), 6);
	assert_int_equal(end->type, ZK_EV_DONE);
	assert_int_equal(count_trades(b, ops[1].seq, &end), 3);
	assert_int_equal(end->type, ZK_EV_DONE);
	assert_int_equal(count_trades(b, ops[3].seq, &end), 4);
	assert_int_equal(end->type, ZK_EV_DONE);
	assert_int_equal(count_trades(b, ops[4].seq, &end), 1);
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

/* Self-trade prevention after fills (CANCEL_NEWEST: the taker is
 * cancelled at the first maker of its own): a market IOC of account 2
 * takes 5000's four orders (account 1) and stops at 5005's head (account
 * 2) with 40 left; a limit GTC of account 3 takes 5005's four orders and
 * stops at 5010's head (account 3) with 100 left, which does not rest. */
static void test_honest_stp_sweep(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[4];
	const struct zk_event *end;
	size_t n = 0;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	ops[n] = sweep_op(&r, 960, ZK_SIDE_BUY, 0, 200, ZK_TIF_IOC);
	ops[n++].account = book_account(book_id(4, 0) - ID0);
	ops[n++] = clob_malformed_op(&r, 2);
	ops[n] = sweep_op(&r, 961, ZK_SIDE_BUY, 5010, 300, ZK_TIF_GTC);
	ops[n++].account = book_account(book_id(5, 0) - ID0);
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	assert_int_equal(count_trades(b, ops[0].seq, &end), 4);
	assert_int_equal(end->type, ZK_EV_CANCELLED);
	assert_int_equal(end->reason, ZK_CXL_STP);
	assert_int_equal(end->qty, 40);
	assert_int_equal(count_trades(b, ops[2].seq, &end), 4);
	assert_int_equal(end->reason, ZK_CXL_STP);
	assert_int_equal(end->qty, 100);
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

/* FOKs that end unfilled after fok_fillable read several orders (the
 * chain of reads down the FIFO and to the worse levels, the need falling,
 * nothing written): a limit BUY at 5005 for more than 5000's and 5005's
 * orders (the 5010 level does not cross), a market SELL for more than the
 * whole bid side (no worse level left), a BUY at 5010 of 5010's account
 * that reaches its own order after eight others. */
static void test_honest_fok_unfilled_sweep(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[4];
	size_t n = 0;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	ops[n++] = sweep_op(&r, 970, ZK_SIDE_BUY, 5005, 400, ZK_TIF_FOK);
	ops[n++] = sweep_op(&r, 971, ZK_SIDE_SELL, 0, 700, ZK_TIF_FOK);
	ops[n] = sweep_op(&r, 972, ZK_SIDE_BUY, 5010, 500, ZK_TIF_FOK);
	ops[n++].account = book_account(book_id(5, 0) - ID0);
	/* and one that fills, after them */
	ops[n++] = sweep_op(&r, 973, ZK_SIDE_BUY, 5005, 360, ZK_TIF_FOK);
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	for (size_t i = 0; i < 3; i++) {
		const struct zk_event *end;

		assert_int_equal(count_trades(b, ops[i].seq, &end), 0);
		assert_int_equal(end->reason, ZK_CXL_FOK_UNFILLED);
	}
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

enum cheat {
	CH_WORSE_PRICE, /* the first trade at the next level's price */
	CH_NOT_OLDEST,  /* a trade names the level's next order */
	CH_FILL,        /* a trade's fill short by a lot */
	CH_TAKER_REM,   /* a trade's taker remaining off */
	CH_MAKER_REM,   /* a trade's maker remaining off */
	CH_NOT_REMOVED, /* the last maker emptied but left on the book */
	CH_TRADE_EDIT,  /* two trades' fills swapped */
	CH_TRADE_DROP,  /* a trade and its maker's DONE dropped */
	CH_TRADE_ADD,   /* a trade and its maker's DONE repeated */
	CH_STOP_EARLY,  /* IOC_REMAINDER while the next level crosses */
	CH_IOC_RESTS,   /* an IOC's remainder rests after its fills */
	CH_REST_QTY,    /* a GTC rests 10 more than its remaining */
	CH_REST_CROSS,  /* a GTC rests while the next level crosses */
	CH_FOK_PARTIAL, /* a FOK filled in part, its rest cancelled */
	CH_STP_OTHER,   /* a stop after fills at another account's order */
	CH_STP_QTY,     /* a stop after fills cancelling 10 less */
	CH_UNFILLED,    /* a FOK unfilled while the makers read cover it */
	CH_UNFILLED_CUT, /* ... without reading the worse level */
	CH_COUNT,
};

static const char *const cheat_name[CH_COUNT] = {
	"trade at a worse price", "not the oldest order", "fill",
	"taker remaining", "maker remaining", "maker not removed",
	"trade edited", "trade dropped", "trade added",
	"loop stopped while crossing", "IOC remainder rests",
	"rest qty", "rest while crossing", "FOK filled in part",
	"stop at another account's order", "stop qty",
	"FOK unfilled while covered", "FOK unfilled, worse level unread",
};

/* Grow the batch's event list by one at `at` (a copy of ev[at]). */
static void insert_event(struct zk_batch *b, size_t at)
{
	struct zk_event *ev = realloc(b->events.ev,
				      (b->events.len + 1) * sizeof(*ev));

	assert_non_null(ev);
	memmove(ev + at + 1, ev + at, (b->events.len - at) * sizeof(*ev));
	b->events.ev = ev;
	b->events.cap = ++b->events.len;
}

static void remove_events(struct zk_batch *b, size_t at, size_t n)
{
	memmove(b->events.ev + at, b->events.ev + at + n,
		(b->events.len - at - n) * sizeof(*b->events.ev));
	b->events.len -= n;
}

static void cheat_case(enum cheat ch)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op op;
	struct zk_event *ev;
	size_t i;

	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	if (ch == CH_NOT_REMOVED) /* two makers, the second emptied */
		op = sweep_op(&r, 800, ZK_SIDE_BUY, 5000, 80, ZK_TIF_IOC);
	else if (ch >= CH_UNFILLED) /* reads 5000's, 5005's, then 5010 */
		op = sweep_op(&r, 800, ZK_SIDE_BUY, 5005, 400, ZK_TIF_FOK);
	else if (ch >= CH_STP_OTHER) { /* 5000's four, stopped at 5005 */
		op = sweep_op(&r, 800, ZK_SIDE_BUY, 0, 200, ZK_TIF_IOC);
		op.account = book_account(book_id(4, 0) - ID0);
	} else if (ch == CH_FOK_PARTIAL) /* the asks (600), 100 cancelled */
		op = sweep_op(&r, 800, ZK_SIDE_BUY, 0, 700, ZK_TIF_IOC);
	else if (ch >= CH_IOC_RESTS) /* eight makers, 40 rest at 5005 */
		op = sweep_op(&r, 800, ZK_SIDE_BUY, 5005, 400, ZK_TIF_GTC);
	else /* 5000's four orders, then 50 and 40 of 5005's */
		op = sweep_op(&r, 800, ZK_SIDE_BUY, 5005, 250, ZK_TIF_IOC);
	b = clob_rig_batch(&r, &op, 1);
	assert_non_null(b);
	ev = b->events.ev;
	assert_int_equal(ev[1].type,
			 ch >= CH_UNFILLED ? ZK_EV_CANCELLED : ZK_EV_TRADE);
	switch (ch) {
	case CH_WORSE_PRICE:
		ev[1].price = 5005;
		break;
	case CH_NOT_OLDEST:
		ev[3].other_id = book_id(3, 2);
		break;
	case CH_FILL:
		ev[3].qty -= 10;
		break;
	case CH_TAKER_REM:
		ev[5].remaining += 10;
		break;
	case CH_MAKER_REM:
		ev[b->events.len - 2].other_remaining += 10;
		break;
	case CH_NOT_REMOVED:
		/* the second order_remove's accesses and DONE dropped */
		assert_int_equal(b->events.len, 6);
		while (b->witness.acc[b->witness.len - 1].kind !=
			       ZK_SLOT_LEVEL ||
		       !b->witness.acc[b->witness.len - 2].write ||
		       b->witness.acc[b->witness.len - 2].kind !=
			       ZK_SLOT_ORDER)
			b->witness.len--;
		remove_events(b, 4, 1);
		break;
	case CH_TRADE_EDIT: {
		uint64_t q = ev[9].qty;

		ev[9].qty = ev[11].qty;
		ev[11].qty = q;
		break;
	}
	case CH_TRADE_DROP:
		remove_events(b, 3, 2);
		break;
	case CH_TRADE_ADD:
		insert_event(b, 3);
		insert_event(b, 3);
		break;
	case CH_STOP_EARLY:
		/* after 5000's four removals: the header and 5005's read
		 * (which crosses), then the end claimed */
		for (i = 0; i < b->witness.len; i++)
			if (b->witness.acc[i].kind == ZK_SLOT_LEVEL &&
			    !b->witness.acc[i].write &&
			    b->witness.acc[i].before.level.price == 5005)
				break;
		assert_true(i < b->witness.len);
		assert_int_equal(b->witness.acc[i - 1].kind, ZK_SLOT_HEADER);
		b->witness.len = i + 1;
		ev[9] = ev[b->events.len - 1];
		ev[9].type = ZK_EV_CANCELLED;
		ev[9].reason = ZK_CXL_IOC_REMAINDER;
		ev[9].qty = 90;
		b->events.len = 10;
		break;
	case CH_IOC_RESTS:
		b->ops[0].tif = ZK_TIF_IOC;
		break;
	case CH_STP_OTHER:
		/* the taker's account no maker's: no self-trade to stop */
		assert_int_equal(ev[9].reason, ZK_CXL_STP);
		b->ops[0].account = TAKER_ACCOUNT;
		break;
	case CH_STP_QTY:
		ev[9].qty -= 10;
		break;
	case CH_UNFILLED:
		/* 350: the eighth read covers it (310 + 50) */
		assert_int_equal(ev[1].reason, ZK_CXL_FOK_UNFILLED);
		b->ops[0].qty = ev[0].qty = ev[0].remaining = ev[1].qty = 350;
		break;
	case CH_UNFILLED_CUT:
		b->witness.len--;
		break;
	case CH_FOK_PARTIAL:
		assert_int_equal(ev[b->events.len - 1].reason,
				 ZK_CXL_IOC_REMAINDER);
		b->ops[0].tif = ZK_TIF_FOK;
		break;
	case CH_REST_QTY:
	case CH_REST_CROSS: {
		/* the rest's order write and its level's last write,
		 * consistent as memory: 10 more lots, or (CROSS) the price
		 * 5010 of a taker at 5010, where the best ask still is */
		size_t lw = b->witness.len;

		if (ch == CH_REST_CROSS)
			b->ops[0].price = ev[0].price = 5010;
		for (i = 0; i < b->witness.len; i++) {
			struct zk_witness_access *a = &b->witness.acc[i];

			if (a->kind == ZK_SLOT_LEVEL && a->write)
				lw = i;
			if (a->kind != ZK_SLOT_ORDER || !a->write ||
			    a->after.order.id != 800)
				continue;
			if (ch == CH_REST_QTY)
				a->after.order.remaining += 10;
			else
				a->after.order.price = 5010;
		}
		assert_true(lw < b->witness.len);
		if (ch == CH_REST_QTY)
			b->witness.acc[lw].after.level.total += 10;
		else
			b->witness.acc[lw].after.level.price = 5010;
		break;
	}
	default:
		break;
	}
	expect_cheat_refused(&r, b, NULL,
			     (unsigned)ch < CH_COUNT ? cheat_name[ch] : "?");
}

static void test_cheat_sweep(void **state)
{
	(void)state;
	for (int ch = 0; ch < CH_COUNT; ch++)
		cheat_case((enum cheat)ch);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_honest_sweep),
		cmocka_unit_test(test_honest_gtc_sweep),
		cmocka_unit_test(test_honest_fok_sweep),
		cmocka_unit_test(test_honest_stp_sweep),
		cmocka_unit_test(test_honest_fok_unfilled_sweep),
		cmocka_unit_test(test_cheat_sweep),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
