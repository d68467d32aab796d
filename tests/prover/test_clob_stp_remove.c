/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR and the self-trade prevention modes that remove the maker
 * (clob_air_stp.h): a taker whose head maker is its own order, at the
 * first maker or after fills, removes that maker (CANCELLED STP); under
 * CANCEL_BOTH it then ends CANCELLED STP of its remaining, under
 * CANCEL_OLDEST it matches on and ends per its TIF. Honest batches prove
 * and verify under the market's params (and not under CANCEL_NEWEST's);
 * cheating traces (the maker kept in the book, a wrong event, reason or
 * qty, the mode applied in a CANCEL_NEWEST market, the taker trading on
 * after a CANCEL_BOTH stop or cancelled in a CANCEL_OLDEST one, a maker
 * removed that is not the taker's own) are rejected by the constraint
 * debugger and their proofs do not verify. A REPLACE that moves to a
 * crossing price and meets its own order: test_clob_xstp.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clob_test_stp.h"

/*
 * The takers of clob_test_stp.h's book (book()) the batch picks.
 */
enum taker_case {
	TC_FIRST_IOC,   /* BUY 5000 of account 2: its own head, 100 */
	TC_FIRST_GTC,   /* the same as a GTC (it does not rest) */
	TC_FIRST_SELL,  /* SELL 4000 of account 1: 200, its level freed */
	TC_AFTER_IOC,   /* BUY 5005 of account 1: fills 100, stops at 101 */
	TC_AFTER_LEVEL, /* market BUY of account 1 with stp group 0 after
			 * the 5000 level went: fills 100, 101 is its own */
	TC_AFTER_GTC,   /* BUY 5010 GTC of account 3 for 60: fills 100,
			 * 101, 102 (5005 freed), stops at 103 */
	TC_COUNT
};

static struct zk_batch *both_batch(struct clob_rig *r,
				   const struct zk_market_params *mp,
				   enum taker_case tc)
{
	struct zk_op ops[6];
	struct zk_batch *b;
	size_t n = 0;

	book(r, mp);
	switch (tc) {
	case TC_FIRST_IOC:
	case TC_FIRST_GTC:
		ops[n++] = new_op(r, 800, 2, ZK_SIDE_BUY, 5000, 10,
				  tc == TC_FIRST_IOC ? ZK_TIF_IOC :
						       ZK_TIF_GTC);
		break;
	case TC_FIRST_SELL:
		ops[n++] = new_op(r, 800, 1, ZK_SIDE_SELL, 4000, 10,
				  ZK_TIF_IOC);
		break;
	case TC_AFTER_IOC:
		ops[n++] = new_op(r, 800, 1, ZK_SIDE_BUY, 5005, 50, ZK_TIF_IOC);
		break;
	case TC_AFTER_LEVEL:
		/* the 5000 level's 101 cancelled first: 100 then 102 */
		ops[n] = (struct zk_op){ .seq = r->seq++, .order_id = 101,
					 .account = 1,
					 .market = clob_test_market.market,
					 .type = ZK_OP_CANCEL };
		n++;
		ops[n++] = new_op(r, 800, 1, ZK_SIDE_BUY, 0, 50, ZK_TIF_IOC);
		break;
	default:
		ops[n++] = new_op(r, 800, 3, ZK_SIDE_BUY, 5010, 80, ZK_TIF_GTC);
		break;
	}
	b = clob_rig_batch(r, ops, n);
	assert_non_null(b);
	return b;
}

/* The events of the last op: the maker's and the taker's CANCELLED STP
 * at the end, after `fills` TRADEs. */
static void check_events(const struct zk_batch *b, uint64_t maker,
			 size_t fills, uint64_t left)
{
	const struct zk_event *ev = b->events.ev;
	size_t n = b->events.len, trades = 0;
	uint64_t seq = ev[n - 1].seq;

	for (size_t i = 0; i < n; i++)
		trades += ev[i].seq == seq && ev[i].type == ZK_EV_TRADE;
	assert_int_equal(trades, fills);
	assert_int_equal(ev[n - 2].type, ZK_EV_CANCELLED);
	assert_int_equal(ev[n - 2].reason, ZK_CXL_STP);
	assert_int_equal(ev[n - 2].order_id, maker);
	assert_int_equal(ev[n - 1].type, ZK_EV_CANCELLED);
	assert_int_equal(ev[n - 1].reason, ZK_CXL_STP);
	assert_int_equal(ev[n - 1].order_id, 800);
	assert_int_equal(ev[n - 1].qty, left);
}

static void test_honest_both(void **state)
{
	static const struct {
		uint64_t maker;
		size_t fills;
		uint64_t left;
	} want[TC_COUNT] = {
		{ 100, 0, 10 }, { 100, 0, 10 }, { 200, 0, 10 },
		{ 101, 1, 30 }, { 102, 1, 30 }, { 103, 3, 20 },
	};
	struct zk_market_params both = market_of(ZK_STP_CANCEL_BOTH);

	(void)state;
	for (int tc = 0; tc < TC_COUNT; tc++) {
		struct clob_rig r;
		struct zk_batch *b = both_batch(&r, &both, tc);
		char what[32];
		int debug_rc, verify_rc;

		/* the constraint debugger finds nothing */
		prove_cheat(&r, b, &both, &debug_rc, &verify_rc);
		assert_int_equal(debug_rc, 0);
		assert_int_equal(verify_rc, 0);
		zk_batch_free(b);
		clob_rig_fini(&r);
		b = both_batch(&r, &both, tc);
		check_events(b, want[tc].maker, want[tc].fills, want[tc].left);
		snprintf(what, sizeof(what), "case %d", tc);
		prove_mode_only(&r, b, &both, 0, what);
		zk_batch_free(b);
		clob_rig_fini(&r);
	}
}

enum cheat {
	CH_KEPT,        /* the maker's slot not freed (OF keeps it) */
	CH_TOTAL,       /* the level total not cut by the maker's remaining */
	CH_REASON,      /* the maker's CANCELLED with reason USER */
	CH_MAKER_QTY,   /* the maker's CANCELLED for 10 less */
	CH_MAKER_ID,    /* the maker's CANCELLED names another order */
	CH_TAKER_QTY,   /* the taker's CANCELLED for 10 less */
	CH_NEWEST_AIR,  /* the trace under a CANCEL_NEWEST market's AIR */
	CH_DROP_TAKER,  /* the taker's CANCELLED dropped */
	CH_DROP_MAKER,  /* the maker's CANCELLED dropped */
	CH_TRADES_ON,   /* a TRADE claimed after the stop */
	CH_COUNT
};

static const char *const cheat_name[CH_COUNT] = {
	"kept",       "total",     "reason",     "maker_qty",  "maker_id",
	"taker_qty",  "newest_air", "drop_taker", "drop_maker", "trades_on",
};

static void cheat_case(enum cheat ch, enum taker_case tc)
{
	struct zk_market_params both = market_of(ZK_STP_CANCEL_BOTH);
	struct zk_market_params newest = market_of(ZK_STP_CANCEL_NEWEST);
	const struct zk_market_params *mp = &both;
	struct clob_rig r;
	struct zk_batch *b = both_batch(&r, &both, tc);
	struct zk_event *ev = b->events.ev;
	size_t n = b->events.len;
	uint64_t maker = ev[n - 2].order_id;
	int debug_rc, verify_rc;

	print_message("cheat %s, case %d\n", cheat_name[ch], (int)tc);
	switch (ch) {
	case CH_KEPT: {
		struct zk_witness_access *a =
			freeing_write(b, maker, ZK_SLOT_ORDER);

		a->after = a->before;
		break;
	}
	case CH_TOTAL:
		freeing_write(b, maker, ZK_SLOT_LEVEL)->after.level.total +=
			10;
		break;
	case CH_REASON:
		ev[n - 2].reason = ZK_CXL_USER;
		break;
	case CH_MAKER_QTY:
		ev[n - 2].qty -= 10;
		break;
	case CH_MAKER_ID:
		ev[n - 2].order_id = 103;
		break;
	case CH_TAKER_QTY:
		ev[n - 1].qty -= 10;
		break;
	case CH_NEWEST_AIR:
		mp = &newest;
		break;
	case CH_DROP_TAKER:
		b->events.len--;
		break;
	case CH_DROP_MAKER:
		ev[n - 2] = ev[n - 1];
		b->events.len--;
		break;
	default: /* a TRADE with the next ask claimed after the stop */
		ev[n - 1].type = ZK_EV_TRADE;
		ev[n - 1].reason = 0;
		ev[n - 1].other_id = 103;
		ev[n - 1].other_remaining = 0;
		break;
	}
	prove_cheat(&r, b, mp, &debug_rc, &verify_rc);
	assert_int_equal(debug_rc, ZK_STARK_ETRACE);
	assert_int_not_equal(verify_rc, 0);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

static void test_cheat_both(void **state)
{
	(void)state;
	for (int ch = 0; ch < CH_COUNT; ch++) {
		cheat_case((enum cheat)ch, TC_FIRST_IOC);
		cheat_case((enum cheat)ch, TC_AFTER_IOC);
	}
}

/*
 * CANCEL_OLDEST on the same book: the taker of case k, its events' own
 * makers (the CANCELLED STPs), TRADEs and how it ends.
 */
static const struct {
	uint64_t acct;
	uint8_t side, tif;
	int64_t price;
	uint64_t qty;
	size_t own, trades;
	uint8_t end; /* DONE, CANCELLED (IOC_REMAINDER) or 0: rests */
	uint64_t left;
} oldest_case[] = {
	/* 100 removed, then 101 fills it */
	{ 2, ZK_SIDE_BUY, ZK_TIF_IOC, 5000, 10, 1, 1, ZK_EV_DONE, 0 },
	/* 100 fills 20, 101 and 102 removed (both levels freed), 5010 does
	 * not cross: 30 cancelled */
	{ 1, ZK_SIDE_BUY, ZK_TIF_IOC, 5005, 50, 2, 1, ZK_EV_CANCELLED, 30 },
	/* the same as a GTC: 30 rest at 5005 */
	{ 1, ZK_SIDE_BUY, ZK_TIF_GTC, 5005, 50, 2, 1, 0, 30 },
	/* the only bid removed, nothing left to cross */
	{ 1, ZK_SIDE_SELL, ZK_TIF_IOC, 4000, 10, 1, 0, ZK_EV_CANCELLED, 10 },
	/* a market BUY: 100, then 101 and 102 removed, 103, the side empty */
	{ 1, ZK_SIDE_BUY, ZK_TIF_IOC, 0, 80, 2, 2, ZK_EV_CANCELLED, 50 },
};
#define N_OLDEST (sizeof(oldest_case) / sizeof(oldest_case[0]))

static struct zk_batch *oldest_batch(struct clob_rig *r,
				     const struct zk_market_params *mp,
				     size_t k)
{
	struct zk_op op;
	struct zk_batch *b;
	const struct zk_event *ev;
	size_t own = 0, trades = 0, n;

	book(r, mp);
	op = new_op(r, 800, oldest_case[k].acct, oldest_case[k].side,
		    oldest_case[k].price, oldest_case[k].qty,
		    oldest_case[k].tif);
	b = clob_rig_batch(r, &op, 1);
	assert_non_null(b);
	ev = b->events.ev;
	n = b->events.len;
	for (size_t i = 0; i < n; i++) {
		own += ev[i].type == ZK_EV_CANCELLED &&
		       ev[i].reason == ZK_CXL_STP && ev[i].order_id != 800;
		trades += ev[i].type == ZK_EV_TRADE;
	}
	assert_int_equal(own, oldest_case[k].own);
	assert_int_equal(trades, oldest_case[k].trades);
	if (oldest_case[k].end == 0) {
		assert_int_not_equal(ev[n - 1].order_id, 800);
	} else {
		assert_int_equal(ev[n - 1].type, oldest_case[k].end);
		assert_int_equal(ev[n - 1].order_id, 800);
		assert_int_equal(ev[n - 1].qty, oldest_case[k].left);
	}
	return b;
}

static void test_honest_oldest(void **state)
{
	struct zk_market_params oldest = market_of(ZK_STP_CANCEL_OLDEST);

	(void)state;
	for (size_t k = 0; k < N_OLDEST; k++) {
		struct clob_rig r;
		struct zk_batch *b = oldest_batch(&r, &oldest, k);
		char what[32];
		int debug_rc, verify_rc;

		print_message("oldest case %zu\n", k);
		prove_cheat(&r, b, &oldest, &debug_rc, &verify_rc);
		assert_int_equal(debug_rc, 0);
		assert_int_equal(verify_rc, 0);
		zk_batch_free(b);
		clob_rig_fini(&r);
		b = oldest_batch(&r, &oldest, k);
		snprintf(what, sizeof(what), "case %zu", k);
		prove_mode_only(&r, b, &oldest, 0, what);
		zk_batch_free(b);
		clob_rig_fini(&r);
	}
}

enum ocheat {
	OC_KEPT,      /* the removed maker's slot not freed */
	OC_REASON,    /* the maker's CANCELLED with reason USER */
	OC_QTY,       /* the maker's CANCELLED for 10 less */
	OC_TAKER,     /* the taker cancelled STP instead of matching on */
	OC_NOT_OWN,   /* the taker's account another: no self-trade */
	OC_DROP,      /* the maker's CANCELLED dropped */
	OC_NEWEST,    /* the trace under a CANCEL_NEWEST market's AIR */
	OC_BOTH,      /* ... under a CANCEL_BOTH market's */
	OC_COUNT
};

static void ocheat_case(enum ocheat ch, size_t k)
{
	struct zk_market_params oldest = market_of(ZK_STP_CANCEL_OLDEST);
	struct zk_market_params newest = market_of(ZK_STP_CANCEL_NEWEST);
	struct zk_market_params both = market_of(ZK_STP_CANCEL_BOTH);
	const struct zk_market_params *mp = &oldest;
	struct clob_rig r;
	struct zk_batch *b = oldest_batch(&r, &oldest, k);
	struct zk_event *ev = b->events.ev;
	size_t so = 1;
	int debug_rc, verify_rc;

	while (!(ev[so].type == ZK_EV_CANCELLED && ev[so].order_id != 800))
		so++;
	print_message("oldest cheat %d, case %zu\n", (int)ch, k);
	switch (ch) {
	case OC_KEPT: {
		struct zk_witness_access *a =
			freeing_write(b, ev[so].order_id, ZK_SLOT_ORDER);

		a->after = a->before;
		break;
	}
	case OC_REASON:
		ev[so].reason = ZK_CXL_USER;
		break;
	case OC_QTY:
		ev[so].qty -= 10;
		break;
	case OC_TAKER:
		/* the stop claimed as the taker's (CANCEL_BOTH's end) */
		ev[so].side = b->ops[0].side;
		ev[so].order_id = 800;
		ev[so].qty = b->ops[0].qty;
		break;
	case OC_NOT_OWN:
		b->ops[0].account = 9;
		break;
	case OC_DROP:
		memmove(&ev[so], &ev[so + 1],
			(b->events.len - so - 1) * sizeof(*ev));
		b->events.len--;
		break;
	case OC_NEWEST:
		mp = &newest;
		break;
	default:
		mp = &both;
		break;
	}
	prove_cheat(&r, b, mp, &debug_rc, &verify_rc);
	assert_int_equal(debug_rc, ZK_STARK_ETRACE);
	assert_int_not_equal(verify_rc, 0);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

static void test_cheat_oldest(void **state)
{
	(void)state;
	for (int ch = 0; ch < OC_COUNT; ch++) {
		ocheat_case((enum ocheat)ch, 0);
		ocheat_case((enum ocheat)ch, 1);
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_honest_both),
		cmocka_unit_test(test_cheat_both),
		cmocka_unit_test(test_honest_oldest),
		cmocka_unit_test(test_cheat_oldest),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
