/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR, a limit GTC NEW that rests without trading (engine apply_new
 * → enter → order_rest): no cross, a free order slot, the FIFO append at
 * an existing level or level_create between adjacent neighbours with the
 * best pointer, the free lists, the order slot, the id insert. Honest
 * batches (existing and new levels, best / middle / worst inserts on both
 * sides, an empty side, post-only rests, slots reused after cancels in
 * the same batch, an insert that wraps the table's end, mixed with
 * rejects) prove and verify; cheating engines are named by the constraint
 * debugger and their proofs do not verify.
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

static uint32_t n_buckets(const struct clob_rig *r)
{
	return zk_engine_slot_count(r->e, clob_test_market.market,
				    ZK_SLOT_BUCKET);
}

/* The first id from `from` on whose home bucket is `home`. */
static uint64_t id_at_home(uint32_t home, uint32_t nb, uint64_t from)
{
	while (bucket_home(from, nb) != home)
		from++;
	return from;
}

static struct zk_op rest_op(struct clob_rig *r, uint64_t id, uint8_t side,
			    int64_t price, uint8_t flags)
{
	return (struct zk_op){ .seq = r->seq++, .order_id = id,
			       .account = book_account(id % 7), .price = price,
			       .qty = 30, .market = clob_test_market.market,
			       .type = ZK_OP_NEW, .side = side,
			       .ord_type = ZK_ORD_LIMIT, .tif = ZK_TIF_GTC,
			       .flags = flags, .stp_group = (uint32_t)(id % 3) };
}

static size_t count_accepted(const struct zk_batch *b)
{
	size_t n = 0;

	for (size_t i = 0; i < b->events.len; i++)
		n += b->events.ev[i].type == ZK_EV_ACCEPTED;
	return n;
}

/* On the test book: appends at existing levels, new best / middle /
 * worst levels on both sides, post-only rests, a level and order slots
 * freed by cancels in the batch and reused, rejects in between. */
static void test_honest_rest(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[32];
	size_t n = 0, i;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	ops[n++] = rest_op(&r, 300, ZK_SIDE_BUY, 500, 0);  /* existing best */
	ops[n++] = rest_op(&r, 301, ZK_SIDE_BUY, 505, 0);  /* new best */
	ops[n++] = rest_op(&r, 302, ZK_SIDE_BUY, 485, 0);  /* new worst */
	ops[n++] = rest_op(&r, 303, ZK_SIDE_BUY, 475, 0);  /* new worst */
	ops[n++] = rest_op(&r, 304, ZK_SIDE_BUY, 480, 0);  /* middle */
	ops[n++] = clob_malformed_op(&r, 3);
	ops[n++] = rest_op(&r, 305, ZK_SIDE_SELL, 5005, 0); /* existing */
	ops[n++] = rest_op(&r, 306, ZK_SIDE_SELL, 4990, 0); /* new best */
	ops[n++] = rest_op(&r, 307, ZK_SIDE_SELL, 5020, 0); /* new worst */
	ops[n++] = rest_op(&r, 308, ZK_SIDE_SELL, 5015, 0); /* middle */
	ops[n++] = rest_op(&r, 309, ZK_SIDE_BUY, 510, ZK_OP_F_POST_ONLY);
	ops[n++] = rest_op(&r, 310, ZK_SIDE_SELL, 4985, ZK_OP_F_POST_ONLY);
	ops[n++] = rest_op(&r, 310, ZK_SIDE_SELL, 4980, 0); /* duplicate */
	/* free the 5010 level, then rest there again: the freed level and
	 * order slots are popped back */
	for (i = 0; i < PER_LEVEL; i++)
		ops[n++] = cancel_op(&r, book_id(5, i), 0);
	ops[n++] = rest_op(&r, 311, ZK_SIDE_SELL, 5010, 0);
	ops[n++] = rest_op(&r, 312, ZK_SIDE_SELL, 5010, 0);
	ops[n++] = clob_invalid_op(&r, 2);
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	assert_int_equal(b->events.len, n);
	assert_int_equal(count_accepted(b), 13);
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

/* An empty book: the first order of each side (no neighbours, the best
 * pointer from NIL), then ids whose home is the last bucket, so the
 * insert probes wrap to bucket 0. */
static void test_honest_insert(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[8];
	uint32_t nb;
	uint64_t x, y;
	size_t n = 0;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	nb = n_buckets(&r);
	x = id_at_home(nb - 1, nb, 5000);
	y = id_at_home(nb - 1, nb, x + 1);
	ops[n++] = rest_op(&r, 7, ZK_SIDE_SELL, 900, 0);
	ops[n++] = rest_op(&r, 8, ZK_SIDE_BUY, 700, ZK_OP_F_POST_ONLY);
	ops[n++] = rest_op(&r, x, ZK_SIDE_BUY, 700, 0);
	ops[n++] = rest_op(&r, y, ZK_SIDE_BUY, 695, 0);
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	assert_int_equal(count_accepted(b), n);
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

enum cheat {
	CH_BEST,        /* a new best bid level, best_bid kept */
	CH_NEIGHBOUR,   /* the worse level's better link kept */
	CH_LEVEL_PRICE, /* the new level written at another price */
	CH_ORDER_POP,   /* order_free not popped */
	CH_LEVEL_POP,   /* level_free not popped */
	CH_ORDER_FIELD, /* the order slot's remaining is not the qty */
	CH_FIFO,        /* the old tail's next kept NIL */
	CH_TOTAL,       /* the level total not raised by the qty */
	CH_OCCUPIED,    /* the id written over its occupied home bucket */
	CH_PAST_EMPTY,  /* the id written past an empty bucket */
	CH_CROSS,       /* a BUY at the best ask rests instead of trading */
	CH_EVENT,       /* the ACCEPTED event's qty */
	CH_TAIL_KEPT,   /* the level's tail not moved to the order */
	CH_NOT_ADJACENT, /* a new level between non-adjacent levels */
	CH_SAME_BETTER, /* a new level at the better neighbour's price */
	CH_SAME_WORSE,  /* a new level at the worse neighbour's price */
	CH_COUNT,
};

static const char *const cheat_name[CH_COUNT] = {
	"best pointer", "neighbour link", "new level price", "order free list",
	"level free list", "order field", "FIFO link", "level total",
	"insert at an occupied bucket", "insert past an empty bucket",
	"resting order that crosses", "event qty", "level tail",
	"level between non-adjacent levels",
	"level beside one at its price (better)",
	"level beside one at its price (worse)",
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

/* Move the resting op, its order, new level and event to `price` (the
 * level stays linked where the engine put it for the honest price; its
 * level writes are LN, one neighbour's, LT). */
static void reprice_new_level(struct zk_batch *b, int64_t price)
{
	b->ops[0].price = price;
	b->events.ev[0].price = price;
	nth_access(b, ZK_SLOT_LEVEL, 1, 0)->after.level.price = price;
	nth_access(b, ZK_SLOT_ORDER, 1, 0)->after.order.price = price;
	nth_access(b, ZK_SLOT_LEVEL, 1, 2)->before.level.price = price;
	nth_access(b, ZK_SLOT_LEVEL, 1, 2)->after.level.price = price;
}

/*
 * The new level 485 (honestly the worst bid, below 490) linked instead
 * below 495, skipping 490: every write is consistent memory (495's real
 * value before, its worse link := the new level), only the adjacency is
 * false (495's worse link was 490, not NIL).
 */
static void link_past_neighbour(struct clob_rig *r, struct zk_batch *b)
{
	struct zk_witness_access *ln = nth_access(b, ZK_SLOT_LEVEL, 1, 0);
	struct zk_witness_access *lbw = nth_access(b, ZK_SLOT_LEVEL, 1, 1);
	uint32_t slot = nth_access(b, ZK_SLOT_HEADER, 0, 0)
				->before.header.best_bid;
	union zk_slot_value v;

	assert_int_equal(zk_engine_slot_get(r->e, clob_test_market.market,
					    ZK_SLOT_LEVEL, slot, &v), 0);
	assert_int_equal(v.level.price, 500);
	slot = v.level.worse;
	assert_int_equal(zk_engine_slot_get(r->e, clob_test_market.market,
					    ZK_SLOT_LEVEL, slot, &v), 0);
	assert_int_equal(v.level.price, 495);
	assert_int_not_equal(v.level.worse, ln->after.level.worse);
	ln->after.level.better = slot;
	nth_access(b, ZK_SLOT_LEVEL, 1, 2)->before.level.better = slot;
	nth_access(b, ZK_SLOT_LEVEL, 1, 2)->after.level.better = slot;
	lbw->slot = slot;
	lbw->before = v;
	lbw->after = v;
	lbw->after.level.worse = ln->slot;
}

static void drop(struct zk_batch *b, struct zk_witness_access *w)
{
	memmove(w, w + 1, (size_t)(b->witness.acc + b->witness.len - (w + 1)) *
				  sizeof(*w));
	b->witness.len--;
}

/* The bucket reads after the op's last level write (the insert's). */
static void drop_insert_probes(struct zk_batch *b)
{
	size_t a, last = 0;

	for (a = 0; a < b->witness.len; a++)
		if (b->witness.acc[a].kind == ZK_SLOT_LEVEL &&
		    b->witness.acc[a].write)
			last = a;
	for (a = last + 1; a < b->witness.len;) {
		if (b->witness.acc[a].kind == ZK_SLOT_BUCKET &&
		    !b->witness.acc[a].write)
			drop(b, &b->witness.acc[a]);
		else
			a++;
	}
}

static union zk_slot_value bucket_value(const struct clob_rig *r, uint32_t k)
{
	union zk_slot_value v;

	assert_int_equal(zk_engine_slot_get(r->e, clob_test_market.market,
					    ZK_SLOT_BUCKET, k, &v), 0);
	return v;
}

/* The insert's write moved to bucket `to` (whose value the engine holds
 * as `before`), the insert probes dropped or one read of `probe` added. */
static void move_insert(struct zk_batch *b, uint32_t to,
			const union zk_slot_value *before)
{
	struct zk_witness_access *iw = nth_access(b, ZK_SLOT_BUCKET, 1, 0);

	iw->slot = to;
	iw->before = *before;
	iw->after = *before;
	iw->after.bucket.id = b->ops[0].order_id;
	iw->after.bucket.order = nth_access(b, ZK_SLOT_ORDER, 1, 0)->slot;
}

static void cheat_case(enum cheat ch)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_witness_access *w;
	struct zk_op op;
	uint32_t nb;

	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	nb = n_buckets(&r);
	switch (ch) {
	case CH_FIFO:
	case CH_TOTAL:
	case CH_TAIL_KEPT:
		op = rest_op(&r, 400, ZK_SIDE_BUY, 495, 0);
		break;
	case CH_OCCUPIED: {
		/* an order whose id's home is taken: the write belongs one
		 * bucket on */
		uint64_t x = id_at_home(0, nb, 7000);

		rest_more(&r, &x, 1, 500, ZK_SIDE_BUY);
		op = rest_op(&r, id_at_home(0, nb, x + 1), ZK_SIDE_BUY, 500,
			     0);
		break;
	}
	case CH_NOT_ADJACENT:
	case CH_SAME_BETTER:
		op = rest_op(&r, 400, ZK_SIDE_BUY, 485, 0);
		break;
	case CH_SAME_WORSE:
		op = rest_op(&r, 400, ZK_SIDE_BUY, 505, 0);
		break;
	case CH_PAST_EMPTY: {
		uint32_t h = 0;

		while (bucket_value(&r, h).bucket.order != ZK_SLOT_NIL ||
		       bucket_value(&r, h + 1).bucket.order != ZK_SLOT_NIL)
			h++;
		op = rest_op(&r, id_at_home(h, nb, 7000), ZK_SIDE_BUY, 500, 0);
		break;
	}
	default:
		op = rest_op(&r, 400, ZK_SIDE_BUY, 505, 0);
		break;
	}
	b = clob_rig_batch(&r, &op, 1);
	assert_non_null(b);
	assert_int_equal(b->events.ev[0].type, ZK_EV_ACCEPTED);
	switch (ch) {
	case CH_BEST:
		w = nth_access(b, ZK_SLOT_HEADER, 1, 1);
		w->after.header.best_bid = w->before.header.best_bid;
		break;
	case CH_NEIGHBOUR:
		/* the level writes: the new level, the worse one's, LT */
		w = nth_access(b, ZK_SLOT_LEVEL, 1, 1);
		w->after.level.better = w->before.level.better;
		break;
	case CH_LEVEL_PRICE:
		nth_access(b, ZK_SLOT_LEVEL, 1, 0)->after.level.price += 5;
		nth_access(b, ZK_SLOT_LEVEL, 1, 2)->before.level.price += 5;
		nth_access(b, ZK_SLOT_LEVEL, 1, 2)->after.level.price += 5;
		break;
	case CH_ORDER_POP:
		w = nth_access(b, ZK_SLOT_HEADER, 1, 0);
		w->after.header.order_free = w->before.header.order_free;
		w = nth_access(b, ZK_SLOT_HEADER, 1, 1);
		w->before.header.order_free = w->after.header.order_free =
			nth_access(b, ZK_SLOT_HEADER, 1, 0)->after.header.order_free;
		break;
	case CH_LEVEL_POP:
		w = nth_access(b, ZK_SLOT_HEADER, 1, 1);
		w->after.header.level_free = w->before.header.level_free;
		break;
	case CH_ORDER_FIELD:
		nth_access(b, ZK_SLOT_ORDER, 1, 0)->after.order.remaining += 10;
		break;
	case CH_FIFO:
		w = nth_access(b, ZK_SLOT_ORDER, 1, 1);
		w->after.order.next = w->before.order.next;
		break;
	case CH_TOTAL:
		nth_access(b, ZK_SLOT_LEVEL, 1, 0)->after.level.total += 10;
		break;
	case CH_TAIL_KEPT:
		w = nth_access(b, ZK_SLOT_LEVEL, 1, 0);
		w->after.level.tail = w->before.level.tail;
		break;
	case CH_OCCUPIED: {
		union zk_slot_value home = bucket_value(&r, 0);

		/* no insert probe: the write lands on the home bucket */
		drop_insert_probes(b);
		move_insert(b, 0, &home);
		break;
	}
	case CH_PAST_EMPTY: {
		struct zk_witness_access *iw = nth_access(b, ZK_SLOT_BUCKET, 1,
							  0);
		union zk_slot_value next = bucket_value(&r, iw->slot + 1);
		size_t at = (size_t)(iw - b->witness.acc);

		/* a probe of the empty home bucket, the write one on */
		assert_true(b->witness.len < b->witness.cap);
		memmove(iw + 1, iw, (b->witness.len - at) * sizeof(*iw));
		b->witness.len++;
		iw->write = 0;
		iw->after = iw->before;
		move_insert(b, iw->slot + 1, &next);
		break;
	}
	case CH_CROSS:
		/* the op at the best ask; the order and level keep 505 */
		b->ops[0].price = 5000;
		b->events.ev[0].price = 5000;
		break;
	case CH_EVENT:
		b->events.ev[0].qty += 10;
		break;
	case CH_NOT_ADJACENT:
		link_past_neighbour(&r, b);
		break;
	case CH_SAME_BETTER:
		reprice_new_level(b, 490);
		break;
	case CH_SAME_WORSE:
		reprice_new_level(b, 500);
		break;
	default:
		break;
	}
	expect_cheat_refused(&r, b, NULL,
			     (unsigned)ch < CH_COUNT ? cheat_name[ch] : "?");
}

static void test_cheat_rest(void **state)
{
	(void)state;
	for (int ch = 0; ch < CH_COUNT; ch++)
		cheat_case((enum cheat)ch);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest all[] = {
		cmocka_unit_test(test_honest_rest),
		cmocka_unit_test(test_honest_insert),
		cmocka_unit_test(test_cheat_rest),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(all, NULL, NULL);
}
