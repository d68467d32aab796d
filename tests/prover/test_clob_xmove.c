/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR, a REPLACE that moves to a price where it crosses
 * (clob_air_xmove.h): honest batches (one maker kept, one emptied exactly,
 * a sell moving down, several makers across two levels with the remainder
 * resting, filled whole across levels, the remainder resting after one
 * level, self-trade prevention after fills) prove and verify; cheating
 * engines (a TRADE at a worse price or naming the old id, the rest with a
 * wrong qty, the fills dropped so the order stays resting while crossing,
 * the old order left in its level, an ACCEPTED in place of REPLACED; the
 * self-trade stop's CANCELLED with a wrong qty, the old id, or dropped)
 * are named by the constraint debugger and their proofs do not verify.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clob_test_book.h"

/* seq: set by xmove_batch */
static struct zk_op move_op(uint64_t id, uint64_t nid, int64_t price,
			    uint64_t qty)
{
	return (struct zk_op){ .order_id = id,
			       .new_order_id = nid,
			       .account = book_account(id - ID0),
			       .price = price, .qty = qty,
			       .market = clob_test_market.market,
			       .type = ZK_OP_REPLACE };
}

/* The engine's event types for the batch, in order (0 ends the list). */
static void expect_events(const struct zk_batch *b, const uint8_t *types)
{
	size_t n = 0;

	while (types[n] != 0)
		n++;
	assert_int_equal(b->events.len, n);
	for (size_t i = 0; i < n; i++)
		if (b->events.ev[i].type != types[i])
			fail_msg("event %zu: type %u, expected %u", i,
				 b->events.ev[i].type, types[i]);
}

/* A fresh book and one batch of the given moves. Book levels: buys 500
 * (account 1), 495 (2), 490 (3); sells 5000 (1, 40 lots each), 5005 (2,
 * 50 lots each), 5010 (3); four orders each. */
static struct zk_batch *xmove_batch(struct clob_rig *r, struct zk_op *ops,
				    size_t n)
{
	struct zk_batch *b;

	assert_int_equal(clob_rig_init(r, 1000), 0);
	rest_book(r);
	for (size_t i = 0; i < n; i++)
		ops[i].seq = r->seq++;
	b = clob_rig_batch(r, ops, n);
	assert_non_null(b);
	return b;
}

enum { REP = ZK_EV_REPLACED, TRD = ZK_EV_TRADE, DN = ZK_EV_DONE };

static void test_honest_xmove(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[3];

	(void)state;
	/* one maker that keeps a remaining (the taker DONE), the same
	 * maker then emptied exactly (its DONE, then the taker's), a sell
	 * moving down onto the best bid */
	ops[0] = move_op(book_id(1, 1), 960, 5000, 20);
	ops[1] = move_op(book_id(1, 2), 961, 5000, 20);
	ops[2] = move_op(book_id(4, 1), 962, 500, 30);
	b = xmove_batch(&r, ops, 3);
	expect_events(b, (const uint8_t[]){ REP, TRD, DN, REP, TRD, DN, DN,
					    REP, TRD, DN, 0 });
	assert_int_equal(b->events.ev[1].order_id, 960);
	assert_int_equal(b->events.ev[1].qty, 20);
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);

	/* several makers across two levels (160 at 5000, 200 at 5005),
	 * the remaining 40 rests at 5005 */
	ops[0] = move_op(book_id(2, 1), 960, 5005, 400);
	b = xmove_batch(&r, ops, 1);
	assert_int_equal(b->events.len, 1 + 8 * 2);
	assert_int_equal(b->events.ev[15].remaining, 40);
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);

	/* filled whole across the levels (the last maker keeps 10) */
	ops[0] = move_op(book_id(2, 1), 960, 5005, 200);
	b = xmove_batch(&r, ops, 1);
	assert_int_equal(b->events.ev[b->events.len - 1].type, ZK_EV_DONE);
	assert_int_equal(b->events.ev[b->events.len - 2].type, ZK_EV_TRADE);
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);

	/* the remainder rests after one level (5005 does not cross) */
	ops[0] = move_op(book_id(1, 1), 960, 5000, 200);
	b = xmove_batch(&r, ops, 1);
	assert_int_equal(b->events.len, 1 + 4 * 2);
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

/* Self-trade prevention (CANCEL_NEWEST) after fills: the bid at 495
 * (account 2) moved to 5005 takes the four asks at 5000 (account 1), then
 * meets account 2's ask at 5005, which cancels the remaining 40. */
static struct zk_batch *stp_batch(struct clob_rig *r)
{
	struct zk_op op = move_op(book_id(1, 1), 960, 5005, 200);
	struct zk_batch *b = xmove_batch(r, &op, 1);
	const struct zk_event *end = &b->events.ev[b->events.len - 1];

	assert_int_equal(b->events.len, 1 + 4 * 2 + 1);
	assert_int_equal(end->type, ZK_EV_CANCELLED);
	assert_int_equal(end->reason, ZK_CXL_STP);
	assert_int_equal(end->order_id, 960);
	assert_int_equal(end->qty, 40);
	return b;
}

static void test_honest_stp_xmove(void **state)
{
	struct clob_rig r;
	struct zk_batch *b = stp_batch(&r);

	(void)state;
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

static void test_cheat_stp_xmove(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;

	(void)state;
	/* the stop cancels 50, not the 40 left */
	b = stp_batch(&r);
	b->events.ev[b->events.len - 1].qty = 50;
	expect_cheat_refused(&r, b, NULL, "STP of a wrong remaining");
	/* the stop names the old id */
	b = stp_batch(&r);
	b->events.ev[b->events.len - 1].order_id = book_id(1, 1);
	expect_cheat_refused(&r, b, NULL, "STP of the old id");
	/* the stop claimed as a rest: its CANCELLED dropped */
	b = stp_batch(&r);
	b->events.len--;
	expect_cheat_refused(&r, b, NULL, "STP claimed as a rest");
}

/* The move of book order (1, 1) to 5000 for `qty`, for the cheating
 * engines to edit. */
static struct zk_batch *cheat_batch(struct clob_rig *r, uint64_t qty)
{
	struct zk_op op = move_op(book_id(1, 1), 960, 5000, qty);

	return xmove_batch(r, &op, 1);
}

static struct zk_event *nth_event(struct zk_batch *b, uint8_t type,
				  size_t nth)
{
	for (size_t i = 0; i < b->events.len; i++)
		if (b->events.ev[i].type == type && nth-- == 0)
			return &b->events.ev[i];
	fail_msg("no such event");
	return NULL;
}

static void test_cheat_xmove(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_witness_access *a = NULL;

	(void)state;
	/* a TRADE at a worse price than the maker's */
	b = cheat_batch(&r, 20);
	nth_event(b, ZK_EV_TRADE, 0)->price = 5001;
	expect_cheat_refused(&r, b, NULL, "trade at a worse price");
	/* a TRADE naming the old id instead of the new */
	b = cheat_batch(&r, 20);
	nth_event(b, ZK_EV_TRADE, 0)->order_id = book_id(1, 1);
	expect_cheat_refused(&r, b, NULL, "trade with the old id");
	/* ACCEPTED in place of REPLACED */
	b = cheat_batch(&r, 20);
	b->events.ev[0].type = ZK_EV_ACCEPTED;
	b->events.ev[0].other_id = 0;
	b->events.ev[0].remaining = 20;
	expect_cheat_refused(&r, b, NULL, "ACCEPTED for a move");
	/* the fills dropped: REPLACED alone, as if it rested while
	 * crossing */
	b = cheat_batch(&r, 20);
	b->events.len = 1;
	expect_cheat_refused(&r, b, NULL, "rests while crossing");
	/* the remainder (40 after 160) rests with 50 */
	b = cheat_batch(&r, 200);
	for (size_t i = 0; i < b->witness.len; i++)
		if (b->witness.acc[i].kind == ZK_SLOT_ORDER &&
		    b->witness.acc[i].write &&
		    b->witness.acc[i].after.order.id == 960)
			a = &b->witness.acc[i];
	assert_non_null(a);
	assert_int_equal(a->after.order.remaining, 40);
	a->after.order.remaining = 50;
	expect_cheat_refused(&r, b, NULL, "rest with a wrong qty");
	/* the old order left in its level (the removal's level write
	 * kept) */
	b = cheat_batch(&r, 20);
	for (size_t i = 0; i < b->witness.len; i++)
		if (b->witness.acc[i].kind == ZK_SLOT_LEVEL &&
		    b->witness.acc[i].write) {
			a = &b->witness.acc[i];
			break;
		}
	a->after = a->before;
	expect_cheat_refused(&r, b, NULL, "old order left in its level");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_honest_xmove),
		cmocka_unit_test(test_cheat_xmove),
		cmocka_unit_test(test_honest_stp_xmove),
		cmocka_unit_test(test_cheat_stp_xmove),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
