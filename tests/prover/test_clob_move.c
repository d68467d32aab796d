/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR, a REPLACE that moves and rests without crossing
 * (clob_air_move.h): honest batches (to a live level of its side, to a new
 * level, its old level freed, the new id's home occupied, the old and new
 * id chains overlapping) prove and verify; cheating engines (the order
 * written in place, the old order left in its level, a rest that crosses,
 * another side / account / stp group, the old id left in the table, the
 * new id not inserted, a replace the engine keeps moved instead, a
 * REPLACED that claims priority kept, an ACCEPTED
 * added) are named by the constraint debugger and their proofs do not
 * verify; a REPLACE rejected outside the AIR's limbs stays refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clob_test_book.h"

static uint32_t bucket_home(uint64_t id, uint32_t nb)
{
	return (uint32_t)((id * 0x9E3779B97F4A7C15ull) >>
			  (64 - (unsigned)__builtin_ctz(nb)));
}

/* An id from `from` on whose home bucket is the home of `like`. */
static uint64_t colliding_id(const struct clob_rig *r, uint64_t like,
			     uint64_t from)
{
	uint32_t nb = zk_engine_slot_count(r->e, clob_test_market.market,
					   ZK_SLOT_BUCKET);

	while (bucket_home(from, nb) != bucket_home(like, nb))
		from++;
	return from;
}

static struct zk_op move_op(struct clob_rig *r, uint64_t id, uint64_t nid,
			    int64_t price, uint64_t qty)
{
	return (struct zk_op){ .seq = r->seq++, .order_id = id,
			       .new_order_id = nid,
			       .account = book_account(id - ID0),
			       .price = price, .qty = qty,
			       .market = clob_test_market.market,
			       .type = ZK_OP_REPLACE };
}

static void expect_moved(const struct zk_batch *b, size_t n)
{
	assert_int_equal(b->events.len, n);
	for (size_t i = 0; i < n; i++)
		if (b->events.ev[i].type != ZK_EV_REPLACED ||
		    b->events.ev[i].reason != 0)
			fail_msg("op %zu: event %u reason %u", i,
				 b->events.ev[i].type, b->events.ev[i].reason);
}

static void test_honest_move(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[16];
	uint64_t alone[2] = { 1000, 1001 };
	size_t n = 0;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	/* two orders alone at their levels (480 and 470) */
	rest_more(&r, &alone[0], 1, 480, ZK_SIDE_BUY);
	rest_more(&r, &alone[1], 1, 470, ZK_SIDE_BUY);
	/* to a live level of its side (behind its tail) */
	ops[n++] = move_op(&r, book_id(0, 1), 960, 495, 20);
	/* a sell to a live level */
	ops[n++] = move_op(&r, book_id(4, 1), 961, 5010, 30);
	/* to a new level: the best bid (the best ask read, no cross),
	 * between two levels, past the worst */
	ops[n++] = move_op(&r, book_id(2, 0), 962, 505, 20);
	ops[n++] = move_op(&r, book_id(1, 2), 963, 485, 20);
	ops[n++] = move_op(&r, book_id(5, 0), 964, 5020, 50);
	/* its level emptied and freed, to a live level */
	ops[n] = move_op(&r, alone[0], 965, 500, 40);
	ops[n++].account = book_account(alone[0] - ID0);
	/* its level freed and the freed slot taken by a new level */
	ops[n] = move_op(&r, alone[1], 966, 475, 40);
	ops[n++].account = book_account(alone[1] - ID0);
	/* the new id's home occupied (its chain and insert take more than
	 * one bucket) */
	ops[n++] = move_op(&r, book_id(0, 2), colliding_id(&r, book_id(3, 2),
							   2000),
			   490, 10);
	/* the new id's chain runs over the old id's bucket */
	ops[n++] = move_op(&r, book_id(3, 3), colliding_id(&r, book_id(3, 3),
							   3000),
			   5005, 10);
	/* the same price with a larger qty: priority lost, to the tail */
	ops[n++] = move_op(&r, book_id(1, 1), 968, 495,
			   book_qty(book_id(1, 1) - ID0) + 10);
	/* a moved order moved again */
	ops[n] = move_op(&r, 960, 967, 500, 20);
	ops[n++].account = book_account(book_id(0, 1) - ID0);
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	expect_moved(b, n);
	{
		/* ops 5 and 6 free their levels; op 6's new level takes the
		 * slot op 6 freed */
		uint32_t freed[2] = { ZK_SLOT_NIL, ZK_SLOT_NIL };
		int reused = 0;

		for (size_t i = 0; i < b->witness.len; i++) {
			const struct zk_witness_access *a = &b->witness.acc[i];

			if (a->kind != ZK_SLOT_LEVEL || !a->write ||
			    (a->op != 5 && a->op != 6))
				continue;
			if (a->before.level.side != 0 && a->after.level.side == 0)
				freed[a->op - 5] = a->slot;
			reused |= a->op == 6 && a->before.level.side == 0 &&
				  a->after.level.price == 475 &&
				  a->slot == freed[1];
		}
		assert_int_not_equal(freed[0], ZK_SLOT_NIL);
		assert_int_not_equal(freed[1], ZK_SLOT_NIL);
		assert_true(reused);
	}
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

/* A batch of one move for the cheating engines to edit: book order
 * (lv, 1) to `price` as id 960. */
static struct zk_batch *move_batch(struct clob_rig *r, size_t lv,
				   int64_t price)
{
	struct zk_op op;
	struct zk_batch *b;

	assert_int_equal(clob_rig_init(r, 1000), 0);
	rest_book(r);
	op = move_op(r, book_id(lv, 1), 960, price, 20);
	b = clob_rig_batch(r, &op, 1);
	assert_non_null(b);
	expect_moved(b, 1);
	return b;
}

/* The witness access that writes the order slot with id `id`. */
static struct zk_witness_access *order_write(struct zk_batch *b, uint64_t id)
{
	for (size_t i = 0; i < b->witness.len; i++) {
		struct zk_witness_access *a = &b->witness.acc[i];

		if (a->kind == ZK_SLOT_ORDER && a->write &&
		    a->after.order.id == id)
			return a;
	}
	fail_msg("no write of order %llu", (unsigned long long)id);
	return NULL;
}

static struct zk_witness_access *nth_access(struct zk_batch *b, uint8_t kind,
					    int write, size_t nth)
{
	for (size_t i = 0; i < b->witness.len; i++) {
		struct zk_witness_access *a = &b->witness.acc[i];

		if (a->kind == kind && !a->write == !write && nth-- == 0)
			return a;
	}
	fail_msg("no such access");
	return NULL;
}

static void test_cheat_move(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_witness_access *a, *ord;

	(void)state;
	/* the moved order keeps its FIFO links (written in place) */
	b = move_batch(&r, 0, 495);
	ord = nth_access(b, ZK_SLOT_ORDER, 0, 0);
	a = order_write(b, 960);
	a->after.order.prev = ord->before.order.prev;
	a->after.order.next = ord->before.order.next;
	expect_cheat_refused(&r, b, NULL, "moved order written in place");
	/* the old order left in its level (its level write kept) */
	b = move_batch(&r, 0, 495);
	a = nth_access(b, ZK_SLOT_LEVEL, 1, 0);
	a->after = a->before;
	expect_cheat_refused(&r, b, NULL, "old order left in its level");
	/* it rests at a price that crosses the best ask */
	b = move_batch(&r, 2, 505);
	b->ops[0].price = 5000;
	b->events.ev[0].price = 5000;
	order_write(b, 960)->after.order.price = 5000;
	for (size_t i = 0; i < b->witness.len; i++) {
		a = &b->witness.acc[i];
		if (a->kind != ZK_SLOT_LEVEL)
			continue;
		if (a->before.level.price == 505)
			a->before.level.price = 5000;
		if (a->after.level.price == 505)
			a->after.level.price = 5000;
	}
	expect_cheat_refused(&r, b, NULL, "rests while crossing");
	/* a replace the engine keeps (same price, qty <= remaining) moved
	 * to the tail instead */
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	{
		struct zk_op op = move_op(&r, book_id(0, 0), 960, 500, 60);

		b = clob_rig_batch(&r, &op, 1);
		assert_non_null(b);
		expect_moved(b, 1);
		b->ops[0].qty = 20;
		b->events.ev[0].qty = 20;
		order_write(b, 960)->after.order.remaining = 20;
		a = nth_access(b, ZK_SLOT_LEVEL, 1, 1);
		a->after.level.total -= 40;
	}
	expect_cheat_refused(&r, b, NULL, "a kept replace moved");
	/* the new order of another side, account or stp group */
	b = move_batch(&r, 0, 495);
	a = order_write(b, 960);
	a->after.order.side = 3 - a->after.order.side;
	expect_cheat_refused(&r, b, NULL, "new order on the other side");
	b = move_batch(&r, 0, 495);
	order_write(b, 960)->after.order.account += 1;
	expect_cheat_refused(&r, b, NULL, "new order of another account");
	b = move_batch(&r, 0, 495);
	order_write(b, 960)->after.order.stp_group = 7;
	expect_cheat_refused(&r, b, NULL, "new order of another stp group");
	/* the old id left in the table (the erase's final write kept) */
	b = move_batch(&r, 0, 495);
	for (size_t i = 0; i < b->witness.len; i++) {
		a = &b->witness.acc[i];
		if (a->kind == ZK_SLOT_BUCKET && a->write &&
		    a->after.bucket.order == ZK_SLOT_NIL)
			a->after = a->before;
	}
	expect_cheat_refused(&r, b, NULL, "old id left in the table");
	/* the new id not inserted */
	b = move_batch(&r, 0, 495);
	for (size_t i = 0; i < b->witness.len; i++) {
		a = &b->witness.acc[i];
		if (a->kind == ZK_SLOT_BUCKET && a->write &&
		    a->after.bucket.id == 960)
			a->after = a->before;
	}
	expect_cheat_refused(&r, b, NULL, "new id not inserted");
	/* events: priority claimed kept, another side, an ACCEPTED added */
	b = move_batch(&r, 0, 495);
	b->events.ev[0].reason = 1;
	expect_cheat_refused(&r, b, NULL, "REPLACED with reason 1");
	b = move_batch(&r, 0, 495);
	b->events.ev[0].side = 3 - b->events.ev[0].side;
	expect_cheat_refused(&r, b, NULL, "REPLACED with the other side");
	b = move_batch(&r, 0, 495);
	{
		struct zk_event ev[2] = { b->events.ev[0], b->events.ev[0] };
		struct custom cu;

		ev[1].type = ZK_EV_ACCEPTED;
		ev[1].order_id = 960;
		ev[1].other_id = 0;
		ev[1].remaining = ev[1].qty;
		prove_custom(&r, b, 0, b->ops, 1, ev, 2, NULL, NULL, &cu);
		print_message("ACCEPTED added: debugger: %s\n", cu.debug_err);
		assert_int_equal(cu.debug_rc, ZK_STARK_ETRACE);
		assert_int_not_equal(verify(&cu.st, b->ops, 1, ev, 2, cu.proof,
					    cu.len),
				     0);
		free(cu.proof);
		zk_batch_free(b);
		clob_rig_fini(&r);
	}
}

/* A REPLACE to a price outside the AIR's limbs (negative: the engine
 * rejects it PRICE_BAND) stays refused; a move whose first maker is an
 * order of its own account, which served here, is proven since AIR v10
 * (test_clob_xstp.c). */
static void test_refuse_move(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op op;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	op = move_op(&r, book_id(0, 1), 960, -5000, 20);
	b = clob_rig_batch(&r, &op, 1);
	assert_non_null(b);
	assert_int_equal(b->events.len, 1);
	assert_int_equal(b->events.ev[0].type, ZK_EV_REJECTED);
	expect_gate_refused(&r, b, "REPLACE rejected by validation");
	clob_rig_fini(&r);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_honest_move),
		cmocka_unit_test(test_cheat_move),
		cmocka_unit_test(test_refuse_move),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
