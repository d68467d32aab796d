/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR and a FOK in a CANCEL_OLDEST market (clob_air_fokstp.h): its
 * fok_fillable skips the orders of its own (they do not count toward the
 * fill, the chain goes on past them), then its match removes them with
 * CANCELLED STP as it meets them and fills the FOK whole, or it ends
 * FOK_UNFILLED. Honest batches prove and verify under CANCEL_OLDEST (and
 * not under CANCEL_NEWEST); cheating traces (an own order counted toward
 * the fill, a FOK cancelled unfilled while the orders that are not its
 * own cover it, an order of another account skipped as if it were its
 * own, the skip under the other modes' rules) are rejected by the
 * constraint debugger and their proofs do not verify.
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
 * The book: asks 100 (account 1, 10) and 101 (account 2, 10) at 5000,
 * 102 (account 1, 10) alone at 5005, 103 (account 3, 30) at 5010; bids
 * 201 (account 2, 10) then 200 (account 1, 10) at 4000. Committed in the
 * rig's tree.
 */
static void fok_book(struct clob_rig *r, const struct zk_market_params *mp)
{
	struct zk_op ops[6];

	assert_int_equal(clob_rig_init_market(r, mp, 1000), 0);
	ops[0] = new_op(r, 100, 1, ZK_SIDE_SELL, 5000, 10, ZK_TIF_GTC);
	ops[1] = new_op(r, 101, 2, ZK_SIDE_SELL, 5000, 10, ZK_TIF_GTC);
	ops[2] = new_op(r, 102, 1, ZK_SIDE_SELL, 5005, 10, ZK_TIF_GTC);
	ops[3] = new_op(r, 103, 3, ZK_SIDE_SELL, 5010, 30, ZK_TIF_GTC);
	ops[4] = new_op(r, 201, 2, ZK_SIDE_BUY, 4000, 10, ZK_TIF_GTC);
	ops[5] = new_op(r, 200, 1, ZK_SIDE_BUY, 4000, 10, ZK_TIF_GTC);
	rest(r, ops, 6);
}

/* The FOKs of account 1 on that book and what the engine makes of them:
 * the own makers removed (CANCELLED STP), the TRADEs, filled or not. */
static const struct {
	uint8_t side;
	int64_t price;
	uint64_t qty;
	size_t own, trades;
	int filled;
} fok_case[] = {
	/* 100 skipped, 101 covers: 100 removed, 101 fills it */
	{ ZK_SIDE_BUY, 5000, 10, 1, 1, 1 },
	/* 100 skipped, 101 (10), 102 skipped (its level's last: the worse
	 * level), 103 covers 20: two removals, two TRADEs */
	{ ZK_SIDE_BUY, 5010, 30, 2, 2, 1 },
	/* the same as a market order */
	{ ZK_SIDE_BUY, 0, 30, 2, 2, 1 },
	/* 100 skipped, 101 (10), 102 skipped, 5010 does not cross: 10 short */
	{ ZK_SIDE_BUY, 5005, 20, 0, 0, 0 },
	/* 201 (10), then 200 skipped, the side's last order: 10 short */
	{ ZK_SIDE_SELL, 4000, 20, 0, 0, 0 },
};
#define N_FOK (sizeof(fok_case) / sizeof(fok_case[0]))

static struct zk_batch *fok_batch(struct clob_rig *r,
				  const struct zk_market_params *mp, size_t k)
{
	struct zk_op op;
	struct zk_batch *b;
	const struct zk_event *ev;
	size_t own = 0, trades = 0, n;

	fok_book(r, mp);
	op = new_op(r, 800, 1, fok_case[k].side, fok_case[k].price,
		    fok_case[k].qty, ZK_TIF_FOK);
	b = clob_rig_batch(r, &op, 1);
	assert_non_null(b);
	ev = b->events.ev;
	n = b->events.len;
	for (size_t i = 0; i < n; i++) {
		own += ev[i].type == ZK_EV_CANCELLED &&
		       ev[i].reason == ZK_CXL_STP && ev[i].order_id != 800;
		trades += ev[i].type == ZK_EV_TRADE;
	}
	assert_int_equal(own, fok_case[k].own);
	assert_int_equal(trades, fok_case[k].trades);
	assert_int_equal(ev[n - 1].order_id, 800);
	if (fok_case[k].filled) {
		assert_int_equal(ev[n - 1].type, ZK_EV_DONE);
	} else {
		assert_int_equal(n, 2);
		assert_int_equal(ev[1].type, ZK_EV_CANCELLED);
		assert_int_equal(ev[1].reason, ZK_CXL_FOK_UNFILLED);
	}
	return b;
}

static void test_honest_fok_oldest(void **state)
{
	struct zk_market_params oldest = market_of(ZK_STP_CANCEL_OLDEST);

	(void)state;
	for (size_t k = 0; k < N_FOK; k++) {
		struct clob_rig r;
		struct zk_batch *b = fok_batch(&r, &oldest, k);
		char what[32];
		int debug_rc, verify_rc;

		print_message("fok case %zu\n", k);
		prove_cheat_edit(&r, b, &oldest, NULL, &debug_rc, &verify_rc);
		assert_int_equal(debug_rc, 0);
		assert_int_equal(verify_rc, 0);
		zk_batch_free(b);
		clob_rig_fini(&r);
		b = fok_batch(&r, &oldest, k);
		snprintf(what, sizeof(what), "case %zu", k);
		prove_mode_only(&r, b, &oldest, 0, what);
		zk_batch_free(b);
		clob_rig_fini(&r);
	}
}

/* The first FO row that FSK marks (a skipped own order), or 0. */
static size_t skip_row(zk_gl **cols, size_t n, size_t from)
{
	for (size_t r = from; r < n; r++)
		if (cols[C_FSK][r])
			return r;
	return 0;
}

/*
 * An own order counted toward the fill: the skipped read's FSK dropped,
 * its remaining taken from the need on the next read, the short register
 * set for it.
 */
static void count_own(zk_gl **cols, size_t n)
{
	size_t r = skip_row(cols, n, 1);
	uint64_t rem, need;

	assert_true(r != 0);
	rem = cols[C_MSG + 9][r] | cols[C_MSG + 10][r] << 32;
	need = cols[C_NEED][r];
	cols[C_FSK][r] = 0;
	zk_clob_set_reg(cols, r, 1, need - rem - 1);
	cols[C_NEED][r + 1] = need - rem;
}

/* An order of another account skipped as the taker's own: the row after
 * the first skip (101, which is not account 1's) marked FSK too. */
static void skip_other(zk_gl **cols, size_t n)
{
	size_t r = skip_row(cols, n, 1);

	assert_true(r != 0 && cols[C_FO][r + 1]);
	cols[C_FSK][r + 1] = 1;
	cols[C_FOL][r + 1] = 0;
	cols[C_FX][r + 1] = 1;
	cols[C_GD][r + 1] = 0;
}

/* The skip of a FOK_UNFILLED chain's last read (200, account 1) marked
 * off: it must then be short of the need, which 10 is not of 10. */
static void unskip_last(zk_gl **cols, size_t n)
{
	size_t r = skip_row(cols, n, 1);

	assert_true(r != 0 && cols[C_FU][r]);
	cols[C_FSK][r] = 0;
}

enum fcheat {
	FC_COUNT_OWN,     /* an own order counted toward the fill */
	FC_SKIP_OTHER,    /* another account's order skipped */
	FC_UNSKIP_LAST,   /* an own last read compared with the need */
	FC_UNFILLED,      /* FOK_UNFILLED while the others cover it */
	FC_NEWEST,        /* the skip under a CANCEL_NEWEST market's AIR */
	FC_BOTH,          /* ... under a CANCEL_BOTH market's */
	FC_N
};

/*
 * Case 0's batch with its match dropped and FOK_UNFILLED claimed: the
 * chain (100 skipped, 101 covering the 10) then ends, as if 101 were
 * short, and the worse level 5005 read as not crossing.
 */
static void claim_unfilled(struct zk_batch *b)
{
	struct zk_witness_access *w = b->witness.acc;
	struct zk_event *ev = b->events.ev;
	size_t a = 0, orders = 0;
	uint32_t l5005 = ZK_SLOT_NIL;

	while (a < b->witness.len && orders < 2)
		orders += w[a++].kind == ZK_SLOT_ORDER;
	assert_int_equal(orders, 2);
	/* 101's level's worse: 5005, as the level read before 100 names */
	for (size_t i = 0; i < a; i++)
		if (w[i].kind == ZK_SLOT_LEVEL)
			l5005 = w[i].before.level.worse;
	assert_true(l5005 != ZK_SLOT_NIL);
	/* its value before the batch: the first access of it (level_free
	 * relinks it when 5000 empties) */
	for (size_t i = a; i < b->witness.len; i++)
		if (w[i].kind == ZK_SLOT_LEVEL && w[i].slot == l5005) {
			w[a] = w[i];
			break;
		}
	assert_int_equal(w[a].slot, l5005);
	assert_int_equal(w[a].before.level.price, 5005);
	w[a].write = 0;
	w[a].after = w[a].before;
	b->witness.len = a + 1;
	ev[1] = ev[0];
	ev[1].type = ZK_EV_CANCELLED;
	ev[1].reason = ZK_CXL_FOK_UNFILLED;
	ev[1].remaining = 0;
	b->events.len = 2;
}

static void fcheat_case(enum fcheat ch)
{
	struct zk_market_params oldest = market_of(ZK_STP_CANCEL_OLDEST);
	struct zk_market_params newest = market_of(ZK_STP_CANCEL_NEWEST);
	struct zk_market_params both = market_of(ZK_STP_CANCEL_BOTH);
	const struct zk_market_params *mp = &oldest;
	clob_trace_edit fn = NULL;
	size_t k = 1;
	struct clob_rig r;
	struct zk_batch *b;
	int debug_rc, verify_rc;

	switch (ch) {
	case FC_COUNT_OWN:
		fn = count_own;
		break;
	case FC_SKIP_OTHER:
		k = 0;
		fn = skip_other;
		break;
	case FC_UNSKIP_LAST:
		k = 4;
		fn = unskip_last;
		break;
	case FC_UNFILLED:
		k = 0;
		break;
	case FC_NEWEST:
		mp = &newest;
		break;
	default:
		mp = &both;
		break;
	}
	print_message("fok cheat %d, case %zu\n", (int)ch, k);
	b = fok_batch(&r, &oldest, k);
	if (ch == FC_UNFILLED)
		claim_unfilled(b);
	prove_cheat_edit(&r, b, mp, fn, &debug_rc, &verify_rc);
	assert_int_equal(debug_rc, ZK_STARK_ETRACE);
	assert_int_not_equal(verify_rc, 0);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

static void test_cheat_fok_oldest(void **state)
{
	(void)state;
	for (int ch = 0; ch < FC_N; ch++)
		fcheat_case((enum fcheat)ch);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_honest_fok_oldest),
		cmocka_unit_test(test_cheat_fok_oldest),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
