/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR, a REPLACE that moves while the level table is full
 * (clob_air_mfull.h): slots_available answers yes without a read when
 * the order is alone in its level (the move frees it), else after
 * level_lookup's read of a level of the order's side at the new price.
 * Honest batches (alone to a new price, to a level of its side, at its
 * own price with a larger qty, across the book with a fill and with a
 * resting remainder; not alone to a level of its side, to its own level)
 * prove and verify; cheating traces (the order claimed alone when it is
 * not, level_lookup's read dropped, a read of a level at another price or
 * of the other side in its place) are rejected by the constraint debugger
 * and their proofs do not verify.
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

static struct zk_op gtc(struct clob_rig *r, uint64_t id, uint64_t acct,
			uint8_t side, int64_t price)
{
	return (struct zk_op){ .seq = r->seq++, .order_id = id,
			       .account = acct, .price = price, .qty = 10,
			       .market = clob_test_market.market,
			       .type = ZK_OP_NEW, .side = side,
			       .ord_type = ZK_ORD_LIMIT, .tif = ZK_TIF_GTC };
}

/*
 * Every level slot taken: bids 100 + i (account 2) at 500 + 10·i, asks
 * 116 + i (account 3) at 5000 + 10·i, i < 16, one order of 10 each; then
 * bid 200 (account 2) at 500 and ask 201 (account 3) at 5000, so those
 * two levels hold two orders. Committed in the rig's tree.
 */
static void full_book(struct clob_rig *r)
{
	struct zk_op ops[LEVELS + 2];
	struct zk_batch *b;
	struct zk_st_update u = { 0 };
	size_t n = 0;

	assert_int_equal(clob_rig_init(r, 1000), 0);
	for (size_t i = 0; i < LEVELS / 2; i++)
		ops[n++] = gtc(r, 100 + i, 2, ZK_SIDE_BUY,
			       500 + 10 * (int64_t)i);
	for (size_t i = 0; i < LEVELS / 2; i++)
		ops[n++] = gtc(r, 116 + i, 3, ZK_SIDE_SELL,
			       5000 + 10 * (int64_t)i);
	ops[n++] = gtc(r, 200, 2, ZK_SIDE_BUY, 500);
	ops[n++] = gtc(r, 201, 3, ZK_SIDE_SELL, 5000);
	b = clob_rig_batch(r, ops, n);
	assert_non_null(b);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(b->events.ev[i].type, ZK_EV_ACCEPTED);
	assert_int_equal(zk_st_apply_witness(r->t, &b->witness, &u), 0);
	zk_st_update_free(&u);
	zk_batch_free(b);
}

static struct zk_op replace(struct clob_rig *r, uint64_t id, uint64_t nid,
			    uint64_t acct, int64_t price, uint64_t qty)
{
	return (struct zk_op){ .seq = r->seq++, .order_id = id,
			       .new_order_id = nid, .account = acct,
			       .price = price, .qty = qty,
			       .market = clob_test_market.market,
			       .type = ZK_OP_REPLACE };
}

/* The moves, one batch each on a fresh book: who, where, and whether
 * level_lookup's read is in the engine's accesses. */
static const struct {
	uint64_t id, acct;
	int64_t price;
	uint64_t qty;
	int lookup;
	size_t n_events;
} move_case[] = {
	{ 101, 2, 505, 10, 0, 1 },  /* alone at 510, to a new price */
	{ 101, 2, 520, 10, 0, 1 },  /* alone, to the bid level at 520 */
	{ 101, 2, 510, 20, 0, 1 },  /* alone, its own price, more qty */
	{ 100, 2, 520, 10, 1, 1 },  /* 500 keeps 200: the 520 level read */
	{ 200, 2, 500, 20, 1, 1 },  /* 500 keeps 100: its own level read */
	{ 201, 3, 5020, 10, 1, 1 }, /* 5000 keeps 116: an ask to 5020 */
	{ 101, 2, 5000, 10, 0, 4 }, /* alone, crossing: 116 fills it */
	{ 101, 2, 5000, 30, 0, 5 }, /* ... 116 and 201, 10 rest at 5000 */
};
#define N_MOVE (sizeof(move_case) / sizeof(move_case[0]))

/* Index of level_lookup's read in b's witness (the level read right
 * after slots_available's header read), or SIZE_MAX. */
static size_t lookup_at(const struct zk_batch *b)
{
	const struct zk_witness_access *w = b->witness.acc;

	for (size_t i = 2; i + 1 < b->witness.len; i++)
		if (w[i - 2].kind == ZK_SLOT_LEVEL &&
		    w[i - 1].kind == ZK_SLOT_HEADER && !w[i - 1].write &&
		    w[i].kind == ZK_SLOT_LEVEL && !w[i].write &&
		    w[i + 1].kind == ZK_SLOT_ORDER && !w[i + 1].write)
			return i;
	return SIZE_MAX;
}

static struct zk_batch *move_batch(struct clob_rig *r, size_t k)
{
	struct zk_op op;
	struct zk_batch *b;

	full_book(r);
	op = replace(r, move_case[k].id, 900, move_case[k].acct,
		     move_case[k].price, move_case[k].qty);
	b = clob_rig_batch(r, &op, 1);
	assert_non_null(b);
	assert_int_equal(b->events.len, move_case[k].n_events);
	assert_int_equal(b->events.ev[0].type, ZK_EV_REPLACED);
	assert_int_equal(b->events.ev[0].reason, 0);
	assert_int_equal(lookup_at(b) != SIZE_MAX, move_case[k].lookup);
	return b;
}

static void test_honest_move_full(void **state)
{
	(void)state;
	for (size_t k = 0; k < N_MOVE; k++) {
		struct zk_clob_prove_opts o = { .market = &clob_test_market,
						.stark_params = FAST,
						.threads = 2, .debug = 1 };
		struct clob_rig r;
		struct zk_batch *b = move_batch(&r, k);
		struct zk_statement st;
		uint8_t *proof = NULL;
		size_t len = 0;
		char err[ERRLEN] = "";

		print_message("move case %zu\n", k);
		if (zk_clob_prove(b, r.t, &o, &proof, &len, &st, err,
				  sizeof(err)) != 0)
			fail_msg("case %zu: %s", k, err);
		assert_int_equal(verify(&st, b->ops, b->n_ops, b->events.ev,
					b->events.len, proof, len),
				 0);
		free(proof);
		zk_batch_free(b);
		clob_rig_fini(&r);
	}
}

/* The order claimed alone in its level (MA on LO and HS) while it is
 * not: level_lookup's read would not be due. */
static void claim_alone(zk_gl **cols, size_t n, void *arg)
{
	(void)arg;
	for (size_t r = 0; r < n; r++)
		if (cols[C_LO][r] || (cols[C_HS][r] && cols[C_AV][r]))
			cols[C_MA][r] = 1;
}

enum mcheat {
	MC_ALONE,      /* the order claimed alone in its level */
	MC_NO_LOOKUP,  /* level_lookup's read dropped */
	MC_PRICE,      /* a level of its side at another price read */
	MC_SIDE,       /* a level of the other side read */
	MC_N
};

/* Replace the lookup read at a with a read of the level of `side` at
 * `price`, which the batch does not touch (its value now is its value
 * before). */
static void other_level(struct clob_rig *r, struct zk_batch *b, size_t a,
			uint8_t side, int64_t price)
{
	uint32_t n = zk_engine_slot_count(r->e, clob_test_market.market,
					  ZK_SLOT_LEVEL);

	for (uint32_t s = 0; s < n; s++) {
		union zk_slot_value v;

		assert_int_equal(zk_engine_slot_get(r->e,
						    clob_test_market.market,
						    ZK_SLOT_LEVEL, s, &v),
				 0);
		if (v.level.side == side && v.level.price == price) {
			b->witness.acc[a].slot = s;
			b->witness.acc[a].before = v;
			b->witness.acc[a].after = v;
			return;
		}
	}
	fail_msg("no level at %lld", (long long)price);
}

static void mcheat_case(enum mcheat ch)
{
	struct clob_rig r;
	struct zk_batch *b = move_batch(&r, 3);
	size_t a = lookup_at(b);
	tamper_fn fn = NULL;
	struct custom cu;

	print_message("move cheat %d\n", (int)ch);
	switch (ch) {
	case MC_ALONE:
		fn = claim_alone;
		break;
	case MC_NO_LOOKUP:
		memmove(&b->witness.acc[a], &b->witness.acc[a + 1],
			(b->witness.len - a - 1) * sizeof(b->witness.acc[0]));
		b->witness.len--;
		break;
	case MC_PRICE:
		other_level(&r, b, a, ZK_SIDE_BUY, 600);
		break;
	default:
		other_level(&r, b, a, ZK_SIDE_SELL, 5100);
		break;
	}
	prove_custom(&r, b, 0, b->ops, b->n_ops, b->events.ev, b->events.len,
		     fn, NULL, &cu);
	print_message("debugger: %s\n", cu.debug_err);
	assert_int_equal(cu.debug_rc, ZK_STARK_ETRACE);
	assert_int_not_equal(verify(&cu.st, b->ops, b->n_ops, b->events.ev,
				    b->events.len, cu.proof, cu.len),
			     0);
	free(cu.proof);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

static void test_cheat_move_full(void **state)
{
	(void)state;
	for (int ch = 0; ch < MC_N; ch++)
		mcheat_case((enum mcheat)ch);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_honest_move_full),
		cmocka_unit_test(test_cheat_move_full),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
