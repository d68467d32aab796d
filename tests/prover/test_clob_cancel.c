/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR, the first ops that change the book: a CANCEL that reduces a
 * resting order (qty > 0, a lot multiple, below the remaining); the full
 * cancel is in test_clob_remove.c. Honest
 * batches (head, middle and tail of a FIFO, several orders per level, the
 * same order twice, mixed with rejects) prove and verify with a new root;
 * cheating engines (wrong cut or remaining in the event or in the slots, a
 * changed untouched field, the wrong level slot, a skipped order write, a
 * cut of zero, a qty off the lot) are named by the constraint debugger and
 * their proofs do not verify.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clob_test_book.h"

static void test_honest_cut(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[16];
	size_t n = 0, i;
	uint8_t want_type[16], want_reason[16];

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
#define PUSH(op, ty, rs)                                                       \
	do {                                                                   \
		ops[n] = (op);                                                 \
		want_type[n] = (ty);                                           \
		want_reason[n++] = (rs);                                       \
	} while (0)
	/* head, middle and tail of one FIFO; the head twice */
	PUSH(cancel_op(&r, book_id(0, 0), 20), ZK_EV_CANCELLED, ZK_CXL_REDUCE);
	PUSH(clob_malformed_op(&r, 4), ZK_EV_REJECTED, ZK_REJ_MALFORMED);
	PUSH(cancel_op(&r, book_id(0, 1), 30), ZK_EV_CANCELLED, ZK_CXL_REDUCE);
	PUSH(cancel_op(&r, book_id(0, PER_LEVEL - 1), 10), ZK_EV_CANCELLED,
	     ZK_CXL_REDUCE);
	PUSH(clob_invalid_op(&r, 2), ZK_EV_REJECTED, ZK_REJ_BAD_LOT);
	PUSH(cancel_op(&r, book_id(0, 0), 10), ZK_EV_CANCELLED, ZK_CXL_REDUCE);
	/* a reduce to the remaining: rejected, book unchanged */
	PUSH(cancel_op(&r, book_id(1, 2), book_qty(book_id(1, 2) - ID0)),
	     ZK_EV_REJECTED, ZK_REJ_BAD_REDUCE);
	/* another side, another level */
	PUSH(cancel_op(&r, book_id(4, 2), 10), ZK_EV_CANCELLED, ZK_CXL_REDUCE);
	PUSH(cancel_op(&r, book_id(5, 3), 20), ZK_EV_CANCELLED, ZK_CXL_REDUCE);
	/* unknown id, and an order of another account */
	ops[n] = cancel_op(&r, 999999, 10);
	want_type[n] = ZK_EV_REJECTED;
	want_reason[n++] = ZK_REJ_UNKNOWN_ORDER;
	ops[n] = cancel_op(&r, book_id(2, 1), 10);
	ops[n].account += 1;
	want_type[n] = ZK_EV_REJECTED;
	want_reason[n++] = ZK_REJ_OWNER_MISMATCH;
	PUSH(cancel_op(&r, book_id(2, 1), 10), ZK_EV_CANCELLED, ZK_CXL_REDUCE);
#undef PUSH
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	assert_int_equal(b->events.len, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(b->events.ev[i].type, want_type[i]);
		assert_int_equal(b->events.ev[i].reason, want_reason[i]);
	}
	prove_verify_ok(&r, b);
	zk_batch_free(b);

	/* a batch of reduces only, every order once more, by one lot */
	n = 0;
	for (i = 0; i < BOOK_ORDERS && n < 16; i += 2) {
		union zk_slot_value v;
		uint64_t id = ID0 + i;
		size_t s;

		for (s = 0; s < clob_test_market.max_orders; s++) {
			assert_int_equal(zk_engine_slot_get(
						 r.e, clob_test_market.market,
						 ZK_SLOT_ORDER, (uint32_t)s, &v),
					 0);
			if (v.order.remaining != 0 && v.order.id == id)
				break;
		}
		assert_true(s < clob_test_market.max_orders);
		if (v.order.remaining > 10)
			ops[n++] = cancel_op(&r, id, v.order.remaining - 10);
	}
	assert_true(n >= 8);
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	for (i = 0; i < n; i++)
		assert_int_equal(b->events.ev[i].reason, ZK_CXL_REDUCE);
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

enum cheat {
	CH_EV_CUT,       /* event qty is not remaining - qty */
	CH_EV_REMAINING, /* event remaining is not qty */
	CH_EV_SIDE,
	CH_EV_PRICE,
	CH_ORD_REMAINING, /* the order write keeps another remaining */
	CH_ORD_UNTOUCHED, /* the order write changes another field */
	CH_LVL_TOTAL,     /* the level total is cut by another amount */
	CH_LVL_UNTOUCHED, /* the level write changes its FIFO head */
	CH_LVL_SLOT,      /* another level of the side is written */
	CH_SKIP_ORD,      /* no order write at all */
	CH_CUT_ZERO,      /* qty = remaining claimed applied */
	CH_OFF_LOT,       /* qty not a lot multiple claimed applied */
	CH_OWNER,        /* another account's order */
	CH_COUNT,
};

static const char *const cheat_name[CH_COUNT] = {
	"event cut", "event remaining", "event side", "event price",
	"order remaining", "order untouched field", "level total",
	"level untouched field", "wrong level slot", "skipped order write",
	"cut of zero", "qty off the lot", "owner",
};

static struct zk_witness_access *find_write(struct zk_batch *b, uint8_t kind)
{
	for (size_t a = 0; a < b->witness.len; a++)
		if (b->witness.acc[a].write && b->witness.acc[a].kind == kind)
			return &b->witness.acc[a];
	fail_msg("no write of kind %u", kind);
	return NULL;
}

/* An honest one-op reduce of the middle order of the best bid level,
 * then the cheat applied to its witness, op or event. */
static void cheat_case(enum cheat ch)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_witness_access *ow, *lw;
	struct zk_event *ev;
	uint64_t id = book_id(0, 1), rem = book_qty(id - ID0), shift = 0;
	struct zk_op op;

	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	op = cancel_op(&r, id, rem - 20);
	b = clob_rig_batch(&r, &op, 1);
	assert_non_null(b);
	ev = &b->events.ev[0];
	assert_int_equal(ev->reason, ZK_CXL_REDUCE);
	assert_int_equal(ev->qty, 20);
	ow = find_write(b, ZK_SLOT_ORDER);
	lw = find_write(b, ZK_SLOT_LEVEL);
	switch (ch) {
	case CH_EV_CUT:
		ev->qty += 10;
		break;
	case CH_EV_REMAINING:
		ev->remaining += 10;
		break;
	case CH_EV_SIDE:
		ev->side = ZK_SIDE_SELL;
		break;
	case CH_EV_PRICE:
		ev->price += 5;
		break;
	case CH_ORD_REMAINING:
		ow->after.order.remaining += 10;
		break;
	case CH_ORD_UNTOUCHED:
		ow->after.order.stp_group = 5;
		break;
	case CH_LVL_TOTAL:
		lw->after.level.total += 10;
		break;
	case CH_LVL_UNTOUCHED:
		lw->after.level.head = lw->after.level.tail;
		break;
	case CH_LVL_SLOT: {
		union zk_slot_value other;
		uint32_t s = lw->before.level.worse;

		assert_int_not_equal(s, ZK_SLOT_NIL);
		assert_int_equal(zk_engine_slot_get(r.e,
						    clob_test_market.market,
						    ZK_SLOT_LEVEL, s, &other),
				 0);
		lw->slot = s;
		lw->before = lw->after = other;
		lw->after.level.total -= 20;
		break;
	}
	case CH_SKIP_ORD:
		memmove(ow, ow + 1, (size_t)(b->witness.acc + b->witness.len -
					     (ow + 1)) * sizeof(*ow));
		b->witness.len--;
		break;
	case CH_OWNER:
		b->ops[0].account += 1;
		break;
	case CH_CUT_ZERO:
	case CH_OFF_LOT:
		/* a consistent story for the other qty: only the rule fails */
		shift = ch == CH_CUT_ZERO ? 20 : 5;
		b->ops[0].qty += shift;
		ev->qty -= shift;
		ev->remaining += shift;
		ow->after.order.remaining += shift;
		lw->after.level.total += shift;
		break;
	default:
		break;
	}
	expect_cheat_refused(&r, b, NULL,
			     (unsigned)ch < CH_COUNT ? cheat_name[ch] : "?");
}

static void test_cheat_cut(void **state)
{
	(void)state;
	for (int ch = 0; ch < CH_COUNT; ch++)
		cheat_case((enum cheat)ch);
}

/* Witnesses of another access shape are refused before proving: a full
 * cancel whose level write is claimed a read, likewise a reduce's. */
static void test_refuse_cancel(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op op;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	op = cancel_op(&r, book_id(3, 1), 0);
	b = clob_rig_batch(&r, &op, 1);
	assert_non_null(b);
	assert_int_equal(b->events.ev[0].reason, ZK_CXL_USER);
	for (size_t a = 0; a < b->witness.len; a++)
		if (b->witness.acc[a].kind == ZK_SLOT_LEVEL)
			b->witness.acc[a].write = 0;
	expect_gate_refused(&r, b, "a cancel with other accesses");

	op = cancel_op(&r, book_id(3, 2), 10);
	b = clob_rig_batch(&r, &op, 1);
	assert_non_null(b);
	assert_int_equal(b->events.ev[0].reason, ZK_CXL_REDUCE);
	/* the level write claimed a read */
	b->witness.acc[b->witness.len - 1].write = 0;
	expect_gate_refused(&r, b, NULL);
	clob_rig_fini(&r);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest all[] = {
		cmocka_unit_test(test_honest_cut),
		cmocka_unit_test(test_cheat_cut),
		cmocka_unit_test(test_refuse_cancel),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(all, NULL, NULL);
}
