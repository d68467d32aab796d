/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR, a limit IOC or market NEW filled by the best opposite level's
 * head order (engine match, one fill, then the taker's end): three events
 * for one op when the maker keeps a remaining, four (the maker's DONE and
 * its order_remove) when it held exactly the taker's qty, four with the
 * taker's CANCELLED IOC_REMAINDER when it held less and nothing else
 * crosses. Honest batches (both sides, limit
 * and market, the not-self-trade proof by stp group and by account, mixed
 * with rests, cancels, reduces, takers that find nothing and rejects)
 * prove and verify; cheating engines (a taker that does not cross, a trade
 * at a worse price, another maker than the oldest, a wrong fill or wrong
 * remainders, an IOC remainder claimed, a self-trade, a maker emptied but
 * not removed, a wrong maker DONE; a wrong remainder, a remainder claimed
 * while the next level crosses, an IOC remainder that rests) are named by
 * the constraint debugger and their proofs do not verify.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clob_test_book.h"

static struct zk_op match_op(struct clob_rig *r, uint64_t id, uint8_t side,
			     int64_t price, uint64_t qty, uint64_t account,
			     uint32_t stp)
{
	return (struct zk_op){ .seq = r->seq++, .order_id = id,
			       .account = account, .price = price,
			       .qty = qty, .market = clob_test_market.market,
			       .type = ZK_OP_NEW, .side = side,
			       .ord_type = price == 0 ? ZK_ORD_MARKET :
							ZK_ORD_LIMIT,
			       .tif = ZK_TIF_IOC, .stp_group = stp };
}

/* ops whose events are ACCEPTED, TRADE, DONE and nothing else */
static size_t count_filled(const struct zk_batch *b)
{
	const struct zk_event *ev = b->events.ev;
	size_t n = 0;

	for (size_t i = 0; i + 2 < b->events.len; i++)
		n += ev[i].type == ZK_EV_ACCEPTED &&
		     ev[i + 1].type == ZK_EV_TRADE &&
		     ev[i + 2].type == ZK_EV_DONE &&
		     ev[i + 2].seq == ev[i].seq &&
		     (i + 3 == b->events.len || ev[i + 3].seq != ev[i].seq);
	return n;
}

/* On the test book (bids 500..490, asks 5000..5010, head orders of 40,
 * account 1, stp group 0): fills of both sides, limit and market, then
 * the same head again (its remaining shrinks), between other kinds; a
 * new best level that rests in the batch and is hit in it. */
static void test_honest_match(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[16];
	size_t n = 0;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	ops[n++] = match_op(&r, 300, ZK_SIDE_BUY, 5000, 10, 2, 0);
	ops[n++] = match_op(&r, 301, ZK_SIDE_SELL, 495, 20, 3, 7);
	ops[n++] = clob_malformed_op(&r, 3);
	ops[n++] = match_op(&r, 302, ZK_SIDE_BUY, 0, 10, 1, 5);
	ops[n++] = cancel_op(&r, book_id(1, 0), 20);
	ops[n++] = match_op(&r, 303, ZK_SIDE_SELL, 0, 10, 2, 0);
	ops[n++] = match_op(&r, 304, ZK_SIDE_BUY, 4990, 10, 2, 0); /* none */
	ops[n++] = match_op(&r, 305, ZK_SIDE_BUY, 5010, 10, 3, 0);
	ops[n++] = cancel_op(&r, book_id(4, 0), 0);
	ops[n++] = clob_invalid_op(&r, 2);
	/* a new best ask rests, then a BUY takes part of it */
	ops[n] = match_op(&r, 306, ZK_SIDE_SELL, 4995, 50, 3, 0);
	ops[n++].tif = ZK_TIF_GTC;
	ops[n++] = match_op(&r, 307, ZK_SIDE_BUY, 5005, 20, 1, 2);
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	assert_int_equal(count_filled(b), 6);
	assert_int_equal(b->events.ev[b->events.len - 2].other_id, 306);
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

/* ops whose events are ACCEPTED, TRADE, the maker's DONE, DONE */
static size_t count_emptied(const struct zk_batch *b)
{
	size_t n = 0;

	for (size_t i = 0; i + 3 < b->events.len; i++)
		n += b->events.ev[i].type == ZK_EV_ACCEPTED &&
		     b->events.ev[i + 1].type == ZK_EV_TRADE &&
		     b->events.ev[i + 2].type == ZK_EV_DONE &&
		     b->events.ev[i + 3].type == ZK_EV_DONE &&
		     b->events.ev[i + 3].seq == b->events.ev[i].seq;
	return n;
}

/* Takers that take the whole head order (40 on every best level): four
 * BUYs empty the best ask level order by order (the last one frees it,
 * so the best ask moves to 5005), a market SELL takes the best bid's
 * head, between fills that leave the maker, rests, reduces, cancels and
 * rejects. */
static void test_honest_remove(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[16];
	size_t n = 0;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	ops[n++] = match_op(&r, 300, ZK_SIDE_BUY, 5000, 40, 2, 0);
	ops[n++] = match_op(&r, 301, ZK_SIDE_SELL, 0, 40, 3, 1);
	ops[n++] = cancel_op(&r, book_id(1, 1), 0);
	ops[n++] = match_op(&r, 302, ZK_SIDE_BUY, 5005, 10, 3, 0);
	ops[n++] = clob_malformed_op(&r, 4);
	ops[n++] = match_op(&r, 303, ZK_SIDE_BUY, 5000, 30, 2, 0);
	ops[n++] = match_op(&r, 304, ZK_SIDE_BUY, 0, 40, 2, 0);
	ops[n++] = match_op(&r, 305, ZK_SIDE_BUY, 5000, 20, 2, 0);
	ops[n++] = cancel_op(&r, book_id(0, 1), 20);
	ops[n++] = match_op(&r, 306, ZK_SIDE_BUY, 5000, 20, 2, 0);
	ops[n++] = match_op(&r, 307, ZK_SIDE_BUY, 5005, 10, 3, 0);
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	assert_int_equal(count_emptied(b), 5);
	assert_int_equal(count_filled(b), 3);
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

enum cheat {
	CH_NO_CROSS,    /* the taker's price short of the best ask */
	CH_WORSE_PRICE, /* the trade at a worse level's price */
	CH_NOT_OLDEST,  /* the trade names the level's second order */
	CH_FILL,        /* the trade's fill short of the taker's qty */
	CH_TAKER_REM,   /* the trade leaves the taker a remaining */
	CH_MAKER_REM,   /* the trade's maker remaining off by a lot */
	CH_IOC_REM,     /* the taker's end reported IOC_REMAINDER */
	CH_SELF_TRADE,  /* the taker is the maker's account, groups 0 */
	CH_DONE_PRICE,  /* the taker's DONE at the maker's price */
	CH_NOT_REMOVED, /* the maker emptied but left on the book */
	CH_MAKER_ID,    /* the maker's DONE names another order */
	CH_MAKER_PRICE, /* the maker's DONE at the taker's price */
	CH_KEPT_DONE,   /* a maker that keeps a remaining reported DONE */
	CH_COUNT,
};

static const char *const cheat_name[CH_COUNT] = {
	"taker that does not cross", "trade at a worse price",
	"not the oldest order", "fill", "taker remaining", "maker remaining",
	"IOC remainder claimed", "self-trade", "done price",
	"maker not removed", "maker done id", "maker done price",
	"maker kept but reported done",
};

static void cheat_case(enum cheat ch)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op op;
	struct zk_event *ev;

	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	/* the head order holds 40: the removal cheats take all of it */
	op = match_op(&r, 400, ZK_SIDE_BUY, 5005,
		      ch >= CH_NOT_REMOVED && ch != CH_KEPT_DONE ? 40 : 30, 2,
		      0);
	b = clob_rig_batch(&r, &op, 1);
	assert_non_null(b);
	ev = b->events.ev;
	assert_int_equal(b->events.len,
			 ch >= CH_NOT_REMOVED && ch != CH_KEPT_DONE ? 4 : 3);
	assert_int_equal(ev[1].type, ZK_EV_TRADE);
	switch (ch) {
	case CH_NO_CROSS:
		b->ops[0].price = ev[0].price = ev[2].price = 4995;
		break;
	case CH_WORSE_PRICE:
		ev[1].price = 5005;
		break;
	case CH_NOT_OLDEST:
		ev[1].other_id = book_id(3, 1);
		break;
	case CH_FILL:
		ev[1].qty -= 10;
		break;
	case CH_TAKER_REM:
		ev[1].remaining = 10;
		break;
	case CH_MAKER_REM:
		ev[1].other_remaining += 10;
		break;
	case CH_IOC_REM:
		ev[2].type = ZK_EV_CANCELLED;
		ev[2].reason = ZK_CXL_IOC_REMAINDER;
		ev[2].qty = ev[2].remaining = 0;
		break;
	case CH_SELF_TRADE:
		b->ops[0].account = book_account(3);
		break;
	case CH_DONE_PRICE:
		ev[2].price = ev[1].price;
		break;
	case CH_NOT_REMOVED:
		/* order_remove's accesses and the maker's DONE dropped */
		while (b->witness.acc[b->witness.len - 1].kind !=
			       ZK_SLOT_LEVEL ||
		       !b->witness.acc[b->witness.len - 2].write ||
		       b->witness.acc[b->witness.len - 2].kind !=
			       ZK_SLOT_ORDER)
			b->witness.len--;
		ev[2] = ev[3];
		b->events.len--;
		break;
	case CH_MAKER_ID:
		ev[2].order_id = book_id(3, 1);
		break;
	case CH_MAKER_PRICE:
		ev[2].price = ev[0].price;
		break;
	case CH_KEPT_DONE:
		/* a maker DONE inserted: the events of an emptied maker */
		ev = realloc(b->events.ev, 4 * sizeof(*ev));
		assert_non_null(ev);
		b->events.ev = ev;
		b->events.cap = 4;
		ev[3] = ev[2];
		ev[2].side = ZK_SIDE_SELL;
		ev[2].order_id = ev[1].other_id;
		ev[2].price = ev[1].price;
		b->events.len = 4;
		break;
	default:
		break;
	}
	expect_cheat_refused(&r, b, NULL,
			     (unsigned)ch < CH_COUNT ? cheat_name[ch] : "?");
}

static void test_cheat_match(void **state)
{
	(void)state;
	for (int ch = 0; ch < CH_COUNT; ch++)
		cheat_case((enum cheat)ch);
}

/* ops whose events are ACCEPTED, TRADE, the maker's DONE, CANCELLED
 * IOC_REMAINDER (of the taker's remaining) */
static size_t count_remainder(const struct zk_batch *b)
{
	const struct zk_event *ev = b->events.ev;
	size_t n = 0;

	for (size_t i = 0; i + 3 < b->events.len; i++)
		n += ev[i].type == ZK_EV_ACCEPTED &&
		     ev[i + 1].type == ZK_EV_TRADE &&
		     ev[i + 1].remaining != 0 &&
		     ev[i + 2].type == ZK_EV_DONE &&
		     ev[i + 3].type == ZK_EV_CANCELLED &&
		     ev[i + 3].reason == ZK_CXL_IOC_REMAINDER &&
		     ev[i + 3].qty == ev[i + 1].remaining &&
		     ev[i + 3].seq == ev[i].seq;
	return n;
}

/* Takers that empty the only order of the best level and keep a
 * remaining: on the test book a new best ask (and bid) rests and is
 * taken, the next level does not cross (LVN); on an empty book a market
 * and a limit BUY take the one ask, then the header names no best ask
 * (BONIL). Mixed with fills, rests, cancels and rejects. */
static void test_honest_remainder(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[16];
	size_t n = 0;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	ops[n] = match_op(&r, 500, ZK_SIDE_SELL, 4995, 50, 3, 0);
	ops[n++].tif = ZK_TIF_GTC;
	ops[n++] = match_op(&r, 501, ZK_SIDE_BUY, 4995, 80, 2, 0);
	ops[n++] = match_op(&r, 502, ZK_SIDE_BUY, 5000, 10, 2, 0);
	ops[n++] = clob_malformed_op(&r, 3);
	ops[n] = match_op(&r, 503, ZK_SIDE_BUY, 505, 20, 1, 0);
	ops[n++].tif = ZK_TIF_GTC;
	ops[n++] = cancel_op(&r, book_id(1, 0), 20);
	ops[n++] = match_op(&r, 504, ZK_SIDE_SELL, 505, 60, 3, 4);
	ops[n++] = clob_invalid_op(&r, 2);
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	assert_int_equal(count_remainder(b), 2);
	assert_int_equal(count_filled(b), 1);
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);

	/* an empty book: the side empties, the header shows it (BONIL) */
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	n = 0;
	ops[n] = match_op(&r, 600, ZK_SIDE_SELL, 5000, 40, 1, 0);
	ops[n++].tif = ZK_TIF_GTC;
	ops[n++] = match_op(&r, 601, ZK_SIDE_BUY, 0, 100, 2, 0);
	ops[n] = match_op(&r, 602, ZK_SIDE_SELL, 5005, 10, 1, 0);
	ops[n++].tif = ZK_TIF_GTC;
	ops[n++] = match_op(&r, 603, ZK_SIDE_BUY, 6000, 30, 2, 0);
	/* the book would be back where it began: one order stays */
	ops[n] = match_op(&r, 604, ZK_SIDE_BUY, 490, 10, 1, 0);
	ops[n++].tif = ZK_TIF_GTC;
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	assert_int_equal(count_remainder(b), 2);
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

enum cheat_rem {
	CR_QTY,      /* the CANCELLED qty off the taker's remaining */
	CR_TRADE,    /* the TRADE's taker remaining off */
	CR_FILL,     /* the TRADE's fill off (more than the maker held) */
	CR_CROSSES,  /* a remainder claimed while the next level crosses */
	CR_DONE,     /* the taker's end reported DONE */
	CR_RESTS,    /* an IOC whose remainder rests (a GTC's run) */
	CR_COUNT,
};

static const char *const cheat_rem_name[CR_COUNT] = {
	"remainder qty", "trade remaining", "trade fill",
	"remainder while the next level crosses", "taker done",
	"IOC remainder rests",
};

static void cheat_rem_case(enum cheat_rem ch)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct custom cu;
	struct zk_op ops[2];
	struct zk_event *ev;

	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	ops[0] = match_op(&r, 500, ZK_SIDE_SELL, 4995, 50, 3, 0);
	ops[0].tif = ZK_TIF_GTC;
	ops[1] = match_op(&r, 501, ZK_SIDE_BUY, 4995, 80, 2, 0);
	if (ch == CR_RESTS)
		ops[1].tif = ZK_TIF_GTC;
	b = clob_rig_batch(&r, ops, 2);
	assert_non_null(b);
	ev = b->events.ev;
	assert_int_equal(b->events.len, ch == CR_RESTS ? 4 : 5);
	assert_int_equal(ev[2].type, ZK_EV_TRADE);
	assert_int_equal(ev[2].remaining, 30);
	switch (ch) {
	case CR_QTY:
		ev[4].qty -= 10;
		break;
	case CR_TRADE:
		ev[2].remaining += 10;
		break;
	case CR_FILL:
		ev[2].qty += 10;
		ev[2].remaining -= 10;
		ev[4].qty -= 10;
		break;
	case CR_CROSSES:
		b->ops[1].price = ev[1].price = ev[4].price = 5000;
		break;
	case CR_DONE:
		ev[4].type = ZK_EV_DONE;
		ev[4].reason = 0;
		ev[4].qty = 0;
		break;
	case CR_RESTS:
		b->ops[1].tif = ZK_TIF_IOC;
		break;
	default:
		break;
	}
	prove_custom(&r, b, 0, b->ops, b->n_ops, b->events.ev, b->events.len,
		     NULL, NULL, &cu);
	print_message("%s: debugger: %s\n", cheat_rem_name[ch], cu.debug_err);
	assert_int_equal(cu.debug_rc, ZK_STARK_ETRACE);
	assert_int_not_equal(verify(&cu.st, b->ops, b->n_ops, b->events.ev,
				    b->events.len, cu.proof, cu.len),
			     0);
	free(cu.proof);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

static void test_cheat_remainder(void **state)
{
	(void)state;
	for (int ch = 0; ch < CR_COUNT; ch++)
		cheat_rem_case((enum cheat_rem)ch);
}

/* The gate: an op the AIR does not constrain is refused before anything
 * is proven. */
static void test_refuse_match(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op op;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	/* a REPLACE of the bid at 500 (account 1) to -5000: rejected
	 * (PRICE_BAND) with a price outside the AIR's limbs, not proven yet
	 * (a move stopped by self-trade prevention, which served here, is
	 * since AIR v10: test_clob_xstp.c) */
	op = (struct zk_op){ .seq = r.seq++, .order_id = book_id(0, 0),
			     .new_order_id = 401,
			     .account = book_account(book_id(0, 0) - ID0),
			     .price = -5000, .qty = 50,
			     .market = clob_test_market.market,
			     .type = ZK_OP_REPLACE };
	b = clob_rig_batch(&r, &op, 1);
	assert_non_null(b);
	assert_int_equal(b->events.ev[0].type, ZK_EV_REJECTED);
	expect_gate_refused(&r, b, "REPLACE");
	clob_rig_fini(&r);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_honest_match),
		cmocka_unit_test(test_honest_remove),
		cmocka_unit_test(test_cheat_match),
		cmocka_unit_test(test_refuse_match),
		cmocka_unit_test(test_honest_remainder),
		cmocka_unit_test(test_cheat_remainder),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
