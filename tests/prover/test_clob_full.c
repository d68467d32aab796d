/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR, BOOK_FULL from a full level table (clob_air_full.h): a limit
 * GTC NEW with a free order slot whose price has no level of its side
 * while no level slot is free. Honest batches verify (the brackets both
 * read, one end of the side's list, an empty side, a crossing price with
 * the other side's level there, a crossing price whose worse bracket is
 * the side's best level, since AIR v10); a cheating engine that claims
 * BOOK_FULL with a free level slot, with a level at the price, with
 * brackets that are not adjacent, without the better bracket, with a
 * worse bracket that is not the side's best at a crossing price, or that
 * names another reason is rejected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clob_test_prove.h"

#define LEVELS 32 /* clob_test_market.max_levels */

static uint32_t bucket_home(uint64_t id, uint32_t nb)
{
	return (uint32_t)((id * 0x9E3779B97F4A7C15ull) >>
			  (64 - (unsigned)__builtin_ctz(nb)));
}

/* One order of 10 lots (ids from id0) at each of n_buy buy levels 500,
 * 510, ... and LEVELS - n_buy - gap sell levels 5000, 5010, ... (not
 * proven; the tree commits them): `gap` level slots stay free. */
static void rest_levels_from(struct clob_rig *r, size_t n_buy, size_t gap,
			     uint64_t id0)
{
	struct zk_op ops[LEVELS];
	struct zk_batch *b;
	struct zk_st_update u = { 0 };
	size_t n = LEVELS - gap;

	for (size_t i = 0; i < n; i++) {
		int buy = i < n_buy;

		ops[i] = (struct zk_op){
			.seq = r->seq++, .order_id = id0 + i, .account = 1,
			.price = buy ? 500 + 10 * (int64_t)i :
				       5000 + 10 * (int64_t)(i - n_buy),
			.qty = 10, .market = clob_test_market.market,
			.type = ZK_OP_NEW,
			.side = buy ? ZK_SIDE_BUY : ZK_SIDE_SELL,
			.ord_type = ZK_ORD_LIMIT, .tif = ZK_TIF_GTC };
	}
	b = clob_rig_batch(r, ops, n);
	assert_non_null(b);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(b->events.ev[i].type, ZK_EV_ACCEPTED);
	assert_int_equal(zk_st_apply_witness(r->t, &b->witness, &u), 0);
	zk_st_update_free(&u);
	zk_batch_free(b);
}

static void rest_levels(struct clob_rig *r, size_t n_buy, size_t gap)
{
	rest_levels_from(r, n_buy, gap, 100);
}

static struct zk_op gtc(struct clob_rig *r, uint64_t id, uint8_t side,
			int64_t price)
{
	return (struct zk_op){ .seq = r->seq++, .order_id = id, .account = 7,
			       .price = price, .qty = 20,
			       .market = clob_test_market.market,
			       .type = ZK_OP_NEW, .side = side,
			       .ord_type = ZK_ORD_LIMIT, .tif = ZK_TIF_GTC };
}

static size_t count_reason(const struct zk_batch *b, uint8_t reason)
{
	size_t n = 0;

	for (size_t i = 0; i < b->events.len; i++)
		n += b->events.ev[i].type == ZK_EV_REJECTED &&
		     b->events.ev[i].reason == reason;
	return n;
}

/* Prove (with the constraint debugger on) and verify. */
static void prove_ok(struct clob_rig *r, const struct zk_batch *b)
{
	struct zk_clob_prove_opts o = { .market = &clob_test_market,
					.stark_params = FAST, .threads = 2,
					.debug = 1 };
	struct zk_statement st;
	uint8_t *proof = NULL;
	size_t len = 0;
	char err[ERRLEN] = "";

	if (zk_clob_prove(b, r->t, &o, &proof, &len, &st, err, sizeof(err)))
		fail_msg("prove: %s", err);
	assert_int_equal(verify(&st, b->ops, b->n_ops, b->events.ev,
				b->events.len, proof, len),
			 0);
	free(proof);
}

static void test_honest_level_full(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[16];
	size_t n = 0;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_levels(&r, 16, 0);
	ops[n++] = gtc(&r, 900, ZK_SIDE_BUY, 505);   /* both brackets */
	ops[n++] = gtc(&r, 901, ZK_SIDE_BUY, 700);   /* above the best bid */
	ops[n++] = gtc(&r, 902, ZK_SIDE_BUY, 400);   /* below the worst */
	ops[n++] = gtc(&r, 903, ZK_SIDE_SELL, 5005); /* both brackets */
	ops[n++] = gtc(&r, 904, ZK_SIDE_SELL, 6000); /* above the worst */
	ops[n++] = gtc(&r, 905, ZK_SIDE_SELL, 4000); /* below the best ask */
	ops[n++] = gtc(&r, 906, ZK_SIDE_BUY, 5000);  /* an ask level there */
	ops[n++] = gtc(&r, 907, ZK_SIDE_BUY, 510);   /* rests at a level */
	ops[n++] = gtc(&r, 908, ZK_SIDE_SELL, 650);  /* a bid level there */
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	assert_int_equal(count_reason(b, ZK_REJ_BOOK_FULL), n - 1);
	prove_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);

	/* every level a bid: a SELL finds its side empty */
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_levels(&r, LEVELS, 0);
	n = 0;
	ops[n++] = gtc(&r, 900, ZK_SIDE_SELL, 6000);
	ops[n++] = gtc(&r, 901, ZK_SIDE_BUY, 515);
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	assert_int_equal(count_reason(b, ZK_REJ_BOOK_FULL), 2);
	prove_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

static void prove_ok(struct clob_rig *r, const struct zk_batch *b);

/* Crossing prices (refused by the gate until the engine's witness read
 * its side's best level past the other side's, AIR v10): a BUY between
 * two ask levels and at one, a SELL between two bid levels; no bracket
 * is better, the worse one is the side's best. */
static void test_cross_level_full(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[4];
	size_t n = 0;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_levels(&r, 16, 0);
	ops[n++] = gtc(&r, 900, ZK_SIDE_BUY, 5005);
	ops[n++] = gtc(&r, 901, ZK_SIDE_BUY, 5010);
	ops[n++] = gtc(&r, 902, ZK_SIDE_SELL, 605);
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	assert_int_equal(count_reason(b, ZK_REJ_BOOK_FULL), 3);
	prove_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

/* The level slot of `side` at `price` (it must exist). */
static uint32_t level_slot(struct clob_rig *r, uint8_t side, int64_t price)
{
	for (uint32_t s = 0; s < clob_test_market.max_levels; s++) {
		union zk_slot_value v;

		assert_int_equal(zk_engine_slot_get(r->e,
						    clob_test_market.market,
						    ZK_SLOT_LEVEL, s, &v), 0);
		if (v.level.side == side && v.level.price == price &&
		    v.level.head != ZK_SLOT_NIL)
			return s;
	}
	fail_msg("no level at %lld", (long long)price);
	return ZK_SLOT_NIL;
}

/* A read after the probes: the header (side 0) or a level. */
struct rd {
	uint8_t side;
	int64_t price;
};

#define HEADER_READ { 0, 0 }
#define BID(p) { ZK_SIDE_BUY, p }
#define ASK(p) { ZK_SIDE_SELL, p }

/* One BUY claimed `reason` with the empty probe chain of its id and the
 * given header and level reads, as the book holds them (a cheating
 * engine's witness). */
static void forge(size_t n_buy, size_t gap, int64_t price, uint8_t flags,
		  uint8_t reason, const struct rd *reads, size_t n_reads)
{
	struct clob_rig r;
	union zk_slot_value v;
	uint8_t kinds[64];
	uint32_t slots[64], nb, bk;
	size_t m = 0;
	struct zk_op op;

	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_levels(&r, n_buy, gap);
	op = gtc(&r, 900, ZK_SIDE_BUY, price);
	op.flags = flags;
	nb = zk_engine_slot_count(r.e, op.market, ZK_SLOT_BUCKET);
	for (bk = bucket_home(op.order_id, nb);; bk = (bk + 1) % nb) {
		assert_int_equal(zk_engine_slot_get(r.e, op.market,
						    ZK_SLOT_BUCKET, bk, &v), 0);
		kinds[m] = ZK_SLOT_BUCKET;
		slots[m++] = bk;
		if (v.bucket.order == ZK_SLOT_NIL)
			break;
	}
	for (size_t i = 0; i < n_reads; i++) {
		kinds[m] = reads[i].side == 0 ? ZK_SLOT_HEADER : ZK_SLOT_LEVEL;
		slots[m++] = reads[i].side == 0 ?
				     0 :
				     level_slot(&r, reads[i].side,
						reads[i].price);
	}
	expect_forged_reject_fails(&r, op, reason, kinds, slots, m);
	clob_rig_fini(&r);
}

static void test_cheat_level_full(void **state)
{
	static const struct rd around[] = { HEADER_READ, BID(510), BID(500) };
	static const struct rd at[] = { HEADER_READ, BID(520), BID(510) };
	static const struct rd skip[] = { HEADER_READ, BID(520), BID(500) };
	static const struct rd worse[] = { HEADER_READ, BID(500) };

	(void)state;
	/* the honest reads of BUY 505 pass (a control), ... */
	{
		struct clob_rig r;
		struct zk_op op;
		struct zk_batch *b;

		assert_int_equal(clob_rig_init(&r, 1000), 0);
		rest_levels(&r, 16, 0);
		op = gtc(&r, 900, ZK_SIDE_BUY, 505);
		b = clob_rig_batch(&r, &op, 1);
		assert_non_null(b);
		assert_int_equal(count_reason(b, ZK_REJ_BOOK_FULL), 1);
		prove_ok(&r, b);
		zk_batch_free(b);
		clob_rig_fini(&r);
	}
	/* ... but not with a free level slot (the order rests) */
	forge(16, 1, 505, 0, ZK_REJ_BOOK_FULL, around, 3);
	/* a level at the price: it as the worse bracket, or skipped */
	forge(16, 0, 510, 0, ZK_REJ_BOOK_FULL, at, 3);
	forge(16, 0, 510, 0, ZK_REJ_BOOK_FULL, skip, 3);
	/* brackets that are not adjacent (510 lies between) */
	forge(16, 0, 505, 0, ZK_REJ_BOOK_FULL, skip, 3);
	/* no better bracket while the best bid is above the price */
	forge(16, 0, 505, 0, ZK_REJ_BOOK_FULL, worse, 2);
	/* a crossing BUY at 5005: a bid that is not the best as the worse
	 * bracket, or no bracket while the side has levels */
	{
		static const struct rd not_best[] = { HEADER_READ, BID(640) };
		static const struct rd none[] = { HEADER_READ };

		forge(16, 0, 5005, 0, ZK_REJ_BOOK_FULL, not_best, 2);
		forge(16, 0, 5005, 0, ZK_REJ_BOOK_FULL, none, 1);
	}
	/* the honest reads, another reason */
	forge(16, 0, 505, 0, ZK_REJ_WOULD_CROSS, around, 3);
	forge(16, 0, 505, 0, ZK_REJ_DUPLICATE_ID, around, 3);
}

static void test_honest_post_only_full(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[8];
	size_t n = 0;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_levels(&r, 16, 0);
	ops[n++] = gtc(&r, 900, ZK_SIDE_BUY, 505);
	ops[n++] = gtc(&r, 901, ZK_SIDE_SELL, 6000);
	ops[n++] = gtc(&r, 902, ZK_SIDE_BUY, 5000);  /* WOULD_CROSS */
	ops[n++] = gtc(&r, 903, ZK_SIDE_BUY, 510);   /* rests */
	ops[n++] = gtc(&r, 904, ZK_SIDE_SELL, 4000);
	for (size_t i = 0; i < n; i++)
		ops[i].flags = ZK_OP_F_POST_ONLY;
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	assert_int_equal(count_reason(b, ZK_REJ_BOOK_FULL), 3);
	assert_int_equal(count_reason(b, ZK_REJ_WOULD_CROSS), 1);
	prove_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);

	/* no ask at all (would_cross reads the header only); then a full
	 * order table (two orders a level), decided by its free list */
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_levels(&r, LEVELS, 0);
	ops[0] = gtc(&r, 900, ZK_SIDE_BUY, 515);
	ops[0].flags = ZK_OP_F_POST_ONLY;
	b = clob_rig_batch(&r, ops, 1);
	assert_non_null(b);
	assert_int_equal(count_reason(b, ZK_REJ_BOOK_FULL), 1);
	prove_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_levels(&r, 16, 0);
	rest_levels_from(&r, 16, 0, 200);
	ops[0] = gtc(&r, 901, ZK_SIDE_SELL, 1000);
	ops[0].flags = ZK_OP_F_POST_ONLY;
	ops[1] = gtc(&r, 902, ZK_SIDE_BUY, 700);
	b = clob_rig_batch(&r, ops, 2);
	assert_non_null(b);
	assert_int_equal(count_reason(b, ZK_REJ_BOOK_FULL), 2);
	prove_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

static void test_cheat_post_only_full(void **state)
{
	/* BUY 5000 crosses the best ask: WOULD_CROSS, not BOOK_FULL */
	static const struct rd crossing[] = { HEADER_READ, ASK(5000),
					      HEADER_READ, ASK(5000),
					      BID(650) };
	/* would_cross's reads left out */
	static const struct rd no_cross_reads[] = { HEADER_READ, BID(510),
						    BID(500) };
	/* the best ask's read left out */
	static const struct rd no_level[] = { HEADER_READ, HEADER_READ,
					      BID(510), BID(500) };

	(void)state;
	forge(16, 0, 5000, ZK_OP_F_POST_ONLY, ZK_REJ_BOOK_FULL, crossing, 5);
	forge(16, 0, 505, ZK_OP_F_POST_ONLY, ZK_REJ_BOOK_FULL,
	      no_cross_reads, 3);
	forge(16, 0, 505, ZK_OP_F_POST_ONLY, ZK_REJ_BOOK_FULL, no_level, 4);
}

static struct zk_op replace(struct clob_rig *r, uint64_t id, uint64_t nid,
			    int64_t price, uint64_t qty)
{
	return (struct zk_op){ .seq = r->seq++, .order_id = id,
			       .new_order_id = nid, .account = 1,
			       .price = price, .qty = qty,
			       .market = clob_test_market.market,
			       .type = ZK_OP_REPLACE };
}

/* The full level table with a second order at 500 (bid) and at 5000
 * (ask): orders 100 (bid 500) and 116 (ask 5000) share their levels. */
static void rest_shared(struct clob_rig *r)
{
	struct zk_op ops[2];
	struct zk_batch *b;
	struct zk_st_update u = { 0 };

	rest_levels(r, 16, 0);
	ops[0] = gtc(r, 200, ZK_SIDE_BUY, 500);
	ops[1] = gtc(r, 201, ZK_SIDE_SELL, 5000);
	ops[0].account = ops[1].account = 1;
	b = clob_rig_batch(r, ops, 2);
	assert_non_null(b);
	assert_int_equal(zk_st_apply_witness(r->t, &b->witness, &u), 0);
	zk_st_update_free(&u);
	zk_batch_free(b);
}

static void test_honest_replace_full(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[8];
	size_t n = 0;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_shared(&r);
	ops[n++] = replace(&r, 100, 300, 505, 10);  /* both brackets */
	ops[n++] = replace(&r, 100, 301, 700, 10);  /* above the best bid */
	ops[n++] = replace(&r, 200, 302, 400, 20);  /* below the worst */
	ops[n++] = replace(&r, 116, 303, 5005, 10); /* an ask, both */
	ops[n++] = replace(&r, 201, 304, 650, 20);  /* a bid level there */
	ops[n++] = replace(&r, 100, 305, 500, 5);   /* kept: not refused */
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	assert_int_equal(count_reason(b, ZK_REJ_BOOK_FULL), 5);
	prove_ok(&r, b);
	zk_batch_free(b);
	/* a crossing price: its side's best level is the worse bracket
	 * (AIR v10; the gate refused it before) */
	ops[0] = replace(&r, 100, 306, 5005, 10);
	b = clob_rig_batch(&r, ops, 1);
	assert_non_null(b);
	assert_int_equal(count_reason(b, ZK_REJ_BOOK_FULL), 1);
	prove_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

/* REPLACE of `id` to `price` claimed BOOK_FULL with the engine's reads
 * up to and including slots_available's header read, then the given
 * bids, as the book holds them. */
static void forge_replace(uint64_t id, int64_t price, const int64_t *bids,
			  size_t n_bids)
{
	struct clob_rig r;
	union zk_slot_value v, o;
	uint8_t kinds[64];
	uint32_t slots[64], nb, bk;
	size_t m = 0;
	struct zk_op op;

	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_shared(&r);
	op = replace(&r, id, 300, price, 10);
	nb = zk_engine_slot_count(r.e, op.market, ZK_SLOT_BUCKET);
	for (bk = bucket_home(op.order_id, nb);; bk = (bk + 1) % nb) {
		assert_int_equal(zk_engine_slot_get(r.e, op.market,
						    ZK_SLOT_BUCKET, bk, &v), 0);
		kinds[m] = ZK_SLOT_BUCKET;
		slots[m++] = bk;
		if (v.bucket.id == id)
			break;
	}
	kinds[m] = ZK_SLOT_ORDER;
	slots[m++] = v.bucket.order;
	assert_int_equal(zk_engine_slot_get(r.e, op.market, ZK_SLOT_ORDER,
					    v.bucket.order, &o), 0);
	for (bk = bucket_home(op.new_order_id, nb);; bk = (bk + 1) % nb) {
		assert_int_equal(zk_engine_slot_get(r.e, op.market,
						    ZK_SLOT_BUCKET, bk, &v), 0);
		kinds[m] = ZK_SLOT_BUCKET;
		slots[m++] = bk;
		if (v.bucket.order == ZK_SLOT_NIL)
			break;
	}
	kinds[m] = ZK_SLOT_LEVEL;
	slots[m++] = o.order.level;
	kinds[m] = ZK_SLOT_HEADER;
	slots[m++] = 0;
	for (size_t i = 0; i < n_bids; i++) {
		kinds[m] = ZK_SLOT_LEVEL;
		slots[m++] = level_slot(&r, ZK_SIDE_BUY, bids[i]);
	}
	expect_forged_reject_fails(&r, op, ZK_REJ_BOOK_FULL, kinds, slots, m);
	clob_rig_fini(&r);
}

static void test_cheat_replace_full(void **state)
{
	static const int64_t around[] = { 510, 500 }, skip[] = { 520, 500 };
	static const int64_t above[] = { 650 };

	(void)state;
	/* order 101 is alone at 510: its level would be reused */
	forge_replace(101, 505, around, 2);
	/* brackets that are not adjacent */
	forge_replace(100, 505, skip, 2);
	/* an ask moved among the bids: the brackets are not of its side */
	forge_replace(116, 700, above, 1);
}

/* The move's LO row with one bit of V0 flipped (V0 kept): the register
 * no longer holds its bits. */
static void flip_lo_bit(zk_gl **cols, size_t n, void *arg)
{
	(void)arg;
	for (size_t r = 0; r < n; r++)
		if (cols[C_LO][r]) {
			cols[C_VB + 3][r] ^= 1;
			return;
		}
	fail_msg("no LO row");
}

/* A move at the same price with a larger qty: LO's registers (qty −
 * remaining − 1 in two limbs) are range checked. */
static void test_cheat_move_registers(void **state)
{
	struct clob_rig r;
	struct zk_op op;
	struct zk_batch *b;

	(void)state;
	for (int cheat = 0; cheat < 2; cheat++) {
		assert_int_equal(clob_rig_init(&r, 1000), 0);
		rest_levels(&r, 16, 1);
		op = replace(&r, 100, 300, 500, 30);
		b = clob_rig_batch(&r, &op, 1);
		assert_non_null(b);
		assert_int_equal(b->events.ev[0].type, ZK_EV_REPLACED);
		if (cheat) {
			expect_cheat_refused(&r, b, flip_lo_bit,
					     "LO register bit");
			continue;
		}
		prove_ok(&r, b);
		zk_batch_free(b);
		clob_rig_fini(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_honest_level_full),
		cmocka_unit_test(test_cross_level_full),
		cmocka_unit_test(test_cheat_level_full),
		cmocka_unit_test(test_honest_post_only_full),
		cmocka_unit_test(test_cheat_post_only_full),
		cmocka_unit_test(test_honest_replace_full),
		cmocka_unit_test(test_cheat_replace_full),
		cmocka_unit_test(test_cheat_move_registers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
