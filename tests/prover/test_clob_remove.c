/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR, the full CANCEL (qty = 0): FIFO unlink, level total and ends,
 * level_free when the level empties (neighbour levels relinked, best
 * pointer, the level slot back to the free list), backward-shift erase of
 * the id's bucket, the order slot back to the free list, the header.
 * Honest batches (head, middle and tail of a FIFO, both sides, the best,
 * a middle, the worst and the only level of a side freed, ids that
 * collide in the hash table so the erase shifts entries back across the
 * table's end, mixed with reduces and rejects) prove and verify; cheating
 * engines (a wrong or skipped relink, a wrong total or FIFO end, a bucket
 * left behind, not shifted or wrongly shifted, the free lists or the
 * counts not updated, a wrong best pointer, a freed level left dirty, a
 * wrong event, a changed untouched field, another account's order) are
 * named by the constraint debugger and their proofs do not verify.
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

/* n ids from `from` on whose home bucket is `home`. */
static void colliding_ids(uint32_t home, uint32_t nb, uint64_t from,
			  uint64_t *out, size_t n)
{
	for (size_t k = 0; k < n; from++)
		if (bucket_home(from, nb) == home)
			out[k++] = from;
}

static uint32_t n_buckets(const struct clob_rig *r)
{
	return zk_engine_slot_count(r->e, clob_test_market.market,
				    ZK_SLOT_BUCKET);
}

/* Three orders at 480 whose ids all hash to the last bucket: erasing the
 * first shifts the others back, across the table's end. */
static void rest_colliders(struct clob_rig *r, uint64_t ids[3])
{
	colliding_ids(n_buckets(r) - 1, n_buckets(r), ID0 + 1000, ids, 3);
	rest_more(r, ids, 3, 480, ZK_SIDE_BUY);
}

static size_t bucket_writes(const struct zk_batch *b)
{
	size_t n = 0;

	for (size_t a = 0; a < b->witness.len; a++)
		n += b->witness.acc[a].kind == ZK_SLOT_BUCKET &&
		     b->witness.acc[a].write;
	return n;
}

static void test_honest_cancel(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[16];
	uint64_t coll[3];
	size_t n = 0, cancels = 0;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	rest_colliders(&r, coll);
	/* head, tail and middle of one FIFO, with rejects and reduces */
	ops[n++] = cancel_op(&r, book_id(0, 0), 0);
	ops[n++] = clob_malformed_op(&r, 6);
	ops[n++] = cancel_op(&r, book_id(0, PER_LEVEL - 1), 0);
	ops[n++] = cancel_op(&r, book_id(0, 1), 10);
	ops[n++] = cancel_op(&r, book_id(0, 2), 0);
	ops[n++] = cancel_op(&r, book_id(0, 2), 0); /* now unknown */
	ops[n++] = cancel_op(&r, book_id(4, 1), 0);
	ops[n++] = clob_invalid_op(&r, 5);
	ops[n++] = cancel_op(&r, book_id(5, 0), 0);
	ops[n++] = cancel_op(&r, book_id(5, 3), 20);
	/* the first collider: the other two move back */
	ops[n++] = cancel_op(&r, coll[0], 0);
	ops[n++] = cancel_op(&r, coll[2], 0);
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	assert_int_equal(b->events.len, n);
	for (size_t i = 0; i < n; i++) {
		const struct zk_event *ev = &b->events.ev[i];

		if (ops[i].type != ZK_OP_CANCEL || ops[i].qty != 0 || i == 5)
			continue;
		assert_int_equal(ev->type, ZK_EV_CANCELLED);
		assert_int_equal(ev->reason, ZK_CXL_USER);
		cancels++;
	}
	assert_int_equal(b->events.ev[5].reason, ZK_REJ_UNKNOWN_ORDER);
	/* some erase moved an entry (more bucket writes than cancels) */
	assert_true(bucket_writes(b) > cancels);
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

/* Every level freed once: the middle bid level (495), the best (500), the
 * worst (an order alone at 485), and all asks, the last of which is the
 * only level of its side; rejects and reduces in between. */
static void test_honest_free(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[32];
	const uint64_t alone = ID0 + 800;
	size_t n = 0, freed = 0, i;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	rest_more(&r, &alone, 1, 485, ZK_SIDE_BUY);
	for (i = 0; i < PER_LEVEL; i++)
		ops[n++] = cancel_op(&r, book_id(1, i), 0);
	ops[n++] = clob_malformed_op(&r, 9);
	for (i = 0; i < PER_LEVEL; i++)
		ops[n++] = cancel_op(&r, book_id(0, PER_LEVEL - 1 - i), 0);
	ops[n++] = cancel_op(&r, alone, 0);
	ops[n++] = cancel_op(&r, book_id(2, 1), 20);
	for (size_t lv = 3; lv < 6; lv++)
		for (i = 0; i < PER_LEVEL; i++)
			ops[n++] = cancel_op(&r, book_id(lv, i), 0);
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	for (i = 0; i < n; i++)
		if (ops[i].type == ZK_OP_CANCEL && ops[i].qty == 0)
			assert_int_equal(b->events.ev[i].reason, ZK_CXL_USER);
	for (size_t a = 0; a < b->witness.len; a++)
		freed += b->witness.acc[a].kind == ZK_SLOT_LEVEL &&
			 b->witness.acc[a].write &&
			 b->witness.acc[a].after.level.total == 0 &&
			 b->witness.acc[a].after.level.price == 0;
	assert_int_equal(freed, 6);
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

enum cheat {
	CH_RELINK,       /* prev.next set to another order */
	CH_SKIP_RELINK,  /* no write of the next order's prev */
	CH_TOTAL,        /* the level total cut by another amount */
	CH_HEAD,         /* the head cancelled, the level's head kept */
	CH_UNTOUCHED,    /* the next order's account changed */
	CH_LEFT_BEHIND,  /* the id's bucket not emptied */
	CH_NO_SHIFT,     /* the erase leaves a collider behind the hole */
	CH_FREE_LIST,    /* order_free not set to the slot */
	CH_SLOT_LINK,    /* the freed slot not linked to the old free list */
	CH_COUNT_KEPT,   /* n_orders not decremented */
	CH_EVENT,        /* the event's qty is not the remaining */
	CH_BEST,         /* the best level freed, best_bid kept */
	CH_LEVEL_DIRTY,  /* the freed level keeps its price */
	CH_LEVEL_LINK,   /* the freed level not linked to level_free */
	CH_NEIGHBOUR,    /* the worse level keeps its better link */
	CH_LEVEL_FREE,   /* level_free not set to the slot */
	CH_LEVELS_KEPT,  /* n_levels not decremented */
	CH_OWNER,        /* another account's order */
	CH_BAD_SHIFT,    /* an entry at its home shifted into the hole */
	CH_COUNT,
};

static const char *const cheat_name[CH_COUNT] = {
	"wrong relink", "skipped relink", "level total", "level head",
	"untouched field", "bucket left behind", "no backward shift",
	"free list head", "freed slot link", "order count", "event qty",
	"best pointer", "freed level dirty", "freed level link",
	"neighbour level link", "level free list", "level count", "owner",
	"shift of an entry at its home",
};

/* the k-th access (from 0) of the given kind and write flag */
static struct zk_witness_access *nth_access(struct zk_batch *b, uint8_t kind,
					    int write, size_t k)
{
	for (size_t a = 0; a < b->witness.len; a++) {
		struct zk_witness_access *w = &b->witness.acc[a];

		if (w->kind == kind && !w->write == !write && k-- == 0)
			return w;
	}
	fail_msg("no access %u/%d", kind, write);
	return NULL;
}

static void drop(struct zk_batch *b, struct zk_witness_access *w)
{
	memmove(w, w + 1, (size_t)(b->witness.acc + b->witness.len - (w + 1)) *
				  sizeof(*w));
	b->witness.len--;
}

/*
 * The erase of a collider cancel redone by a cheater who never shifts:
 * the scans stay (reads of what the buckets held), the moves go, and the
 * final write empties the id's own bucket.
 */
static void forge_no_shift(struct zk_batch *b)
{
	struct zk_witness_access *w = b->witness.acc, *last_probe = NULL;
	size_t a, out = 0, n = b->witness.len;
	int after_level = 0;

	for (a = 0; a < n; a++) {
		if (w[a].kind == ZK_SLOT_BUCKET && !w[a].write && !after_level)
			last_probe = &w[a];
		if (w[a].kind == ZK_SLOT_LEVEL)
			after_level = 1;
		if (after_level && w[a].kind == ZK_SLOT_BUCKET && w[a].write) {
			int final = a + 1 < n &&
				    w[a + 1].kind != ZK_SLOT_BUCKET;

			if (!final)
				continue;
			assert_non_null(last_probe);
			w[a].slot = last_probe->slot;
			w[a].before = last_probe->before;
		}
		w[out++] = w[a];
	}
	assert_true(out < n);
	b->witness.len = out;
}

/* A tampered level_free header write: the op's later header write sees
 * (and keeps) the tampered fields, so the witness stays a consistent
 * memory log and only the AIR's rules can object. */
static void carry_header(struct zk_batch *b, const struct zk_witness_access *w)
{
	struct zk_witness_access *hw = nth_access(b, ZK_SLOT_HEADER, 1, 1);

	hw->before.header.best_bid = hw->after.header.best_bid =
		w->after.header.best_bid;
	hw->before.header.level_free = hw->after.header.level_free =
		w->after.header.level_free;
	hw->before.header.n_levels = hw->after.header.n_levels =
		w->after.header.n_levels;
}

static int bucket_empty(const struct clob_rig *r, uint32_t b)
{
	union zk_slot_value v;

	assert_int_equal(zk_engine_slot_get(r->e, clob_test_market.market,
					    ZK_SLOT_BUCKET, b, &v), 0);
	return v.bucket.order == ZK_SLOT_NIL;
}

/* Two orders at 475: x at its home h, y at its home h + 1, bucket h + 2
 * empty; cancelling x must leave y where it is. */
static void rest_neighbours(struct clob_rig *r, uint64_t *x, uint64_t *y)
{
	uint32_t nb = n_buckets(r), h;
	uint64_t ids[2];

	for (h = 0; h + 2 < nb; h++)
		if (bucket_empty(r, h) && bucket_empty(r, h + 1) &&
		    bucket_empty(r, h + 2))
			break;
	assert_true(h + 2 < nb);
	colliding_ids(h, nb, ID0 + 2000, &ids[0], 1);
	colliding_ids(h + 1, nb, ID0 + 2000, &ids[1], 1);
	rest_more(r, ids, 2, 475, ZK_SIDE_BUY);
	*x = ids[0];
	*y = ids[1];
}

/*
 * The erase of x redone by a cheater who shifts y (at its home, h + 1)
 * back into the hole h: a move after y's scan, the final write at h + 1.
 */
static void forge_bad_shift(struct zk_batch *b)
{
	struct zk_witness_access *w = b->witness.acc, *probe = NULL, *scan;
	size_t a, n = b->witness.len, at_scan = n;

	for (a = 0; a < n && w[a].kind != ZK_SLOT_LEVEL; a++)
		if (w[a].kind == ZK_SLOT_BUCKET)
			probe = &w[a];
	for (; a < n; a++)
		if (w[a].kind == ZK_SLOT_BUCKET && !w[a].write) {
			at_scan = a;
			break;
		}
	assert_non_null(probe);
	assert_true(at_scan + 2 < n && b->witness.len < b->witness.cap);
	scan = &w[at_scan];
	assert_int_equal(scan->slot, probe->slot + 1);
	assert_int_not_equal(scan->before.bucket.order, ZK_SLOT_NIL);
	/* the move: hole h := y */
	memmove(&w[at_scan + 2], &w[at_scan + 1],
		(n - at_scan - 1) * sizeof(*w));
	b->witness.len++;
	w[at_scan + 1] = *probe;
	w[at_scan + 1].write = 1;
	w[at_scan + 1].after = scan->before;
	/* the final write empties y's old bucket instead of h */
	for (a = at_scan + 2; a < b->witness.len; a++)
		if (w[a].kind == ZK_SLOT_BUCKET && w[a].write) {
			w[a].slot = scan->slot;
			w[a].before = scan->before;
			break;
		}
}

static void cheat_case(enum cheat ch)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_witness_access *w;
	uint64_t coll[3], id = book_id(1, 1);
	struct zk_op op;

	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	rest_colliders(&r, coll);
	if (ch == CH_HEAD)
		id = book_id(1, 0);
	else if (ch == CH_NO_SHIFT)
		id = coll[0];
	if (ch == CH_BAD_SHIFT) {
		uint64_t y;

		rest_neighbours(&r, &id, &y);
	} else if (ch >= CH_BEST) {
		/* empty the best bid level but for its head, which the op
		 * cancels */
		struct zk_op pre[PER_LEVEL - 1];
		struct zk_st_update u = { 0 };

		for (size_t i = 1; i < PER_LEVEL; i++)
			pre[i - 1] = cancel_op(&r, book_id(0, i), 0);
		b = clob_rig_batch(&r, pre, PER_LEVEL - 1);
		assert_non_null(b);
		assert_int_equal(zk_st_apply_witness(r.t, &b->witness, &u), 0);
		zk_st_update_free(&u);
		zk_batch_free(b);
		id = book_id(0, 0);
	}
	op = cancel_op(&r, id, 0);
	b = clob_rig_batch(&r, &op, 1);
	assert_non_null(b);
	assert_int_equal(b->events.ev[0].reason, ZK_CXL_USER);
	switch (ch) {
	case CH_RELINK:
		w = nth_access(b, ZK_SLOT_ORDER, 1, 0);
		w->after.order.next = w->before.order.next;
		break;
	case CH_SKIP_RELINK:
		drop(b, nth_access(b, ZK_SLOT_ORDER, 1, 1));
		break;
	case CH_TOTAL:
		nth_access(b, ZK_SLOT_LEVEL, 1, 0)->after.level.total += 10;
		break;
	case CH_HEAD:
		w = nth_access(b, ZK_SLOT_LEVEL, 1, 0);
		w->after.level.head = w->before.level.head;
		break;
	case CH_UNTOUCHED:
		nth_access(b, ZK_SLOT_ORDER, 1, 1)->after.order.account += 1;
		break;
	case CH_LEFT_BEHIND:
		/* the final bucket write is the last one */
		w = nth_access(b, ZK_SLOT_BUCKET, 1, bucket_writes(b) - 1);
		w->after = w->before;
		break;
	case CH_NO_SHIFT:
		assert_true(bucket_writes(b) > 1);
		forge_no_shift(b);
		break;
	case CH_FREE_LIST:
		w = nth_access(b, ZK_SLOT_HEADER, 1, 0);
		w->after.header.order_free = w->before.header.order_free;
		break;
	case CH_SLOT_LINK:
		w = nth_access(b, ZK_SLOT_ORDER, 1, 2);
		w->after.order.next = ZK_SLOT_NIL;
		break;
	case CH_COUNT_KEPT:
		w = nth_access(b, ZK_SLOT_HEADER, 1, 0);
		w->after.header.n_orders = w->before.header.n_orders;
		break;
	case CH_OWNER:
		b->ops[0].account += 1;
		break;
	case CH_BAD_SHIFT:
		forge_bad_shift(b);
		break;
	case CH_EVENT:
		b->events.ev[0].qty += 10;
		break;
	case CH_BEST:
		w = nth_access(b, ZK_SLOT_HEADER, 1, 0);
		w->after.header.best_bid = w->before.header.best_bid;
		carry_header(b, w);
		break;
	case CH_LEVEL_DIRTY:
		/* the level writes: LW, the worse level's, the level's */
		nth_access(b, ZK_SLOT_LEVEL, 1, 2)->after.level.price = 500;
		break;
	case CH_LEVEL_LINK:
		nth_access(b, ZK_SLOT_LEVEL, 1, 2)->after.level.worse =
			ZK_SLOT_NIL;
		break;
	case CH_NEIGHBOUR:
		w = nth_access(b, ZK_SLOT_LEVEL, 1, 1);
		w->after.level.better = w->before.level.better;
		break;
	case CH_LEVEL_FREE:
		w = nth_access(b, ZK_SLOT_HEADER, 1, 0);
		w->after.header.level_free = w->before.header.level_free;
		carry_header(b, w);
		break;
	case CH_LEVELS_KEPT:
		w = nth_access(b, ZK_SLOT_HEADER, 1, 0);
		w->after.header.n_levels = w->before.header.n_levels;
		carry_header(b, w);
		break;
	default:
		break;
	}
	expect_cheat_refused(&r, b, NULL,
			     (unsigned)ch < CH_COUNT ? cheat_name[ch] : "?");
}

static void test_cheat_cancel(void **state)
{
	(void)state;
	for (int ch = 0; ch < CH_COUNT; ch++)
		cheat_case((enum cheat)ch);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest all[] = {
		cmocka_unit_test(test_honest_cancel),
		cmocka_unit_test(test_honest_free),
		cmocka_unit_test(test_cheat_cancel),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(all, NULL, NULL);
}
