/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR, the ops that read the book: CANCEL / REPLACE rejected
 * UNKNOWN_ORDER (absence by linear probing from the id's home bucket),
 * OWNER_MISMATCH (presence, then the order read), NEW rejected
 * DUPLICATE_ID (market rules pass, presence) and reduces rejected BAD_LOT
 * or BAD_REDUCE (presence, owner matches, order read). Honest batches against a
 * real book verify; cheating engines (a probe chain cut short, probing
 * that skips the id's bucket, a matching owner, presence claimed at
 * another id's bucket or at an empty one, a duplicate claimed before a
 * failing market rule) are rejected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clob_test_prove.h"

/* ---- UNKNOWN_ORDER: id-hash probes through the memory argument ---- */

static uint32_t bucket_home(uint64_t id, uint32_t nb)
{
	return (uint32_t)((id * 0x9E3779B97F4A7C15ull) >>
			  (64 - (unsigned)__builtin_ctz(nb)));
}

static int bucket_used(const struct clob_rig *r, uint32_t b)
{
	union zk_slot_value v;

	assert_int_equal(zk_engine_slot_get(r->e, clob_test_market.market,
					    ZK_SLOT_BUCKET, b, &v), 0);
	return v.bucket.order != ZK_SLOT_NIL;
}

/* A book with history, committed in the tree (the warm-up is not proven). */
static void warm_book(struct clob_rig *r)
{
	struct zk_batch *warm = book_batch(r, 0, 30);
	struct zk_st_update u = { 0 };

	assert_non_null(warm);
	assert_int_equal(zk_st_apply_witness(r->t, &warm->witness, &u), 0);
	zk_st_update_free(&u);
	zk_batch_free(warm);
}

/* n ops: unknown-id cancels and replaces whose home bucket is occupied
 * (probe chains longer than one), the last ones with home = nb - 1. */
static size_t unknown_ops(struct clob_rig *r, struct zk_op *ops, size_t n)
{
	uint32_t nb = zk_engine_slot_count(r->e, clob_test_market.market,
					   ZK_SLOT_BUCKET);
	uint64_t id = 700000;
	size_t k = 0;

	while (k < n) {
		uint32_t h = bucket_home(++id, nb);
		int want_wrap = k + 2 >= n;

		if (want_wrap ? h != nb - 1 : !bucket_used(r, h))
			continue;
		ops[k] = (struct zk_op){ .seq = r->seq++, .order_id = id,
					 .account = 4,
					 .market = clob_test_market.market,
					 .type = ZK_OP_CANCEL };
		if (k % 2) {
			ops[k].type = ZK_OP_REPLACE;
			ops[k].new_order_id = id + 1000000;
			ops[k].price = 1000;
			ops[k].qty = 10;
		}
		k++;
	}
	return k;
}

static void test_honest_unknown(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_statement st;
	struct zk_clob_prove_opts o = { .market = &clob_test_market,
					.stark_params = FAST, .threads = 2,
					.debug = 1 };
	struct zk_op ops[24];
	uint8_t *proof = NULL;
	size_t len = 0, n, probes;
	char err[ERRLEN] = "";

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	warm_book(&r);
	n = unknown_ops(&r, ops, 12);
	for (size_t i = 12; i < 24; i++)
		ops[i] = i % 2 ? clob_invalid_op(&r, i) : clob_malformed_op(&r, i);
	b = clob_rig_batch(&r, ops, 24);
	assert_non_null(b);
	for (size_t i = 0; i < b->events.len; i++)
		if (i < n)
			assert_int_equal(b->events.ev[i].reason,
					 ZK_REJ_UNKNOWN_ORDER);
	probes = b->witness.len;
	assert_true(probes > n); /* some chains are longer than one */
	if (zk_clob_prove(b, r.t, &o, &proof, &len, &st, err, sizeof(err)) != 0)
		fail_msg("prove: %s", err);
	assert_memory_equal(st.old_root, st.new_root, 32);
	assert_int_equal(verify(&st, b->ops, b->n_ops, b->events.ev,
				b->events.len, proof, len),
			 0);
	free(proof);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

/* Remove access `drop` from the witness (a probe the engine skipped). */
static void drop_access(struct zk_witness *w, size_t drop)
{
	memmove(w->acc + drop, w->acc + drop + 1,
		(w->len - drop - 1) * sizeof(w->acc[0]));
	w->len--;
}

static void test_cheat_unknown(void **state)
{
	struct clob_rig r;
	struct zk_batch *b, fake;
	struct custom cu;
	struct zk_op ops[4];
	struct zk_event ev;
	struct zk_witness_access acc[64];
	uint32_t nb, h, s;
	size_t i, n_acc = 0;
	union zk_slot_value v;

	(void)state;
	/* (a) a probe chain cut short: the last read bucket is not empty */
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	warm_book(&r);
	unknown_ops(&r, ops, 4);
	b = clob_rig_batch(&r, ops, 4);
	for (i = 0; i + 1 < b->witness.len; i++)
		if (b->witness.acc[i + 1].op == b->witness.acc[i].op)
			break;
	assert_true(i + 1 < b->witness.len);
	drop_access(&b->witness, i + 1);
	prove_custom(&r, b, 0, b->ops, b->n_ops, b->events.ev, b->events.len,
		     NULL, NULL, &cu);
	assert_int_equal(cu.debug_rc, ZK_STARK_ETRACE);
	print_message("debugger: %s\n", cu.debug_err);
	assert_int_not_equal(verify(&cu.st, b->ops, b->n_ops, b->events.ev,
				    b->events.len, cu.proof, cu.len), 0);
	free(cu.proof);
	zk_batch_free(b);
	clob_rig_fini(&r);

	/* (b) a live order claimed unknown: probing starts past its bucket */
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	warm_book(&r);
	nb = zk_engine_slot_count(r.e, clob_test_market.market, ZK_SLOT_BUCKET);
	for (s = 0; s < nb && !bucket_used(&r, s); s++)
		;
	assert_true(s < nb);
	assert_int_equal(zk_engine_slot_get(r.e, clob_test_market.market,
					    ZK_SLOT_BUCKET, s, &v), 0);
	ops[0] = (struct zk_op){ .seq = r.seq++, .order_id = v.bucket.id,
				 .account = 1, .market = clob_test_market.market,
				 .type = ZK_OP_CANCEL };
	ev = (struct zk_event){ .seq = ops[0].seq,
				.market = clob_test_market.market,
				.type = ZK_EV_REJECTED,
				.reason = ZK_REJ_UNKNOWN_ORDER,
				.order_id = ops[0].order_id };
	h = bucket_home(v.bucket.id, nb);
	(void)h;
	for (uint32_t bk = (s + 1) % nb;; bk = (bk + 1) % nb) {
		union zk_slot_value bv;

		assert_int_equal(zk_engine_slot_get(r.e, clob_test_market.market,
						    ZK_SLOT_BUCKET, bk, &bv), 0);
		acc[n_acc++] = (struct zk_witness_access){
			.op = 0, .market = clob_test_market.market, .slot = bk,
			.kind = ZK_SLOT_BUCKET, .before = bv, .after = bv };
		if (bv.bucket.order == ZK_SLOT_NIL || n_acc == 64)
			break;
	}
	memset(&fake, 0, sizeof(fake));
	fake.batch_seq = 99;
	fake.n_ops = 1;
	fake.ops = ops;
	fake.events = (struct zk_event_buf){ .ev = &ev, .len = 1, .cap = 1 };
	fake.witness = (struct zk_witness){ .acc = acc, .len = n_acc,
					    .cap = 64, .ops = 1 };
	prove_custom(&r, &fake, 0, ops, 1, &ev, 1, NULL, NULL, &cu);
	assert_int_equal(cu.debug_rc, ZK_STARK_ETRACE);
	print_message("debugger: %s\n", cu.debug_err);
	assert_int_not_equal(verify(&cu.st, ops, 1, &ev, 1, cu.proof, cu.len),
			     0);
	free(cu.proof);
	clob_rig_fini(&r);
}

/* ---- OWNER_MISMATCH: presence probes, then the order read ---- */

/* Live orders of the rig's book: (bucket slot, id, order slot, account). */
struct live {
	uint32_t bucket, order;
	uint64_t id, account, remaining;
};

static size_t live_orders(const struct clob_rig *r, struct live *out,
			  size_t max)
{
	uint32_t nb = zk_engine_slot_count(r->e, clob_test_market.market,
					   ZK_SLOT_BUCKET);
	size_t n = 0;

	for (uint32_t b = 0; b < nb && n < max; b++) {
		union zk_slot_value v, o;

		assert_int_equal(zk_engine_slot_get(r->e, clob_test_market.market,
						    ZK_SLOT_BUCKET, b, &v), 0);
		if (v.bucket.order == ZK_SLOT_NIL)
			continue;
		assert_int_equal(zk_engine_slot_get(r->e, clob_test_market.market,
						    ZK_SLOT_ORDER, v.bucket.order,
						    &o), 0);
		out[n++] = (struct live){ b, v.bucket.order, v.bucket.id,
					  o.order.account, o.order.remaining };
	}
	return n;
}

static void test_honest_owner(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_statement st;
	struct zk_clob_prove_opts o = { .market = &clob_test_market,
					.stark_params = FAST, .debug = 1 };
	struct live lv[16];
	struct zk_op ops[16];
	uint8_t *proof = NULL;
	size_t len = 0, n;
	char err[ERRLEN] = "";

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	warm_book(&r);
	n = live_orders(&r, lv, 8);
	assert_true(n >= 4);
	for (size_t i = 0; i < n; i++) {
		ops[i] = (struct zk_op){ .seq = r.seq++, .order_id = lv[i].id,
					 .account = lv[i].account + 1 + i,
					 .market = clob_test_market.market,
					 .type = ZK_OP_CANCEL, .qty = 10 * (i % 2) };
		if (i % 3 == 2) {
			ops[i].type = ZK_OP_REPLACE;
			ops[i].new_order_id = 800000 + i;
			ops[i].price = 1000;
		}
	}
	ops[n] = clob_malformed_op(&r, 3);
	b = clob_rig_batch(&r, ops, n + 1);
	assert_non_null(b);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(b->events.ev[i].reason, ZK_REJ_OWNER_MISMATCH);
	if (zk_clob_prove(b, r.t, &o, &proof, &len, &st, err, sizeof(err)) != 0)
		fail_msg("prove: %s", err);
	assert_memory_equal(st.old_root, st.new_root, 32);
	assert_int_equal(verify(&st, b->ops, b->n_ops, b->events.ev,
				b->events.len, proof, len),
			 0);
	free(proof);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

/* Reads of the current engine state, as a cheating engine would log. */
static void cheat_owner_case(int same_account)
{
	struct clob_rig r;
	struct live lv[64];
	struct zk_op op;
	uint8_t kinds[64];
	uint32_t slots[64], nb, h;
	size_t n, m = 0, i, pick = 0;

	assert_int_equal(clob_rig_init(&r, 1000), 0);
	warm_book(&r);
	n = live_orders(&r, lv, 64);
	nb = zk_engine_slot_count(r.e, clob_test_market.market, ZK_SLOT_BUCKET);
	uint64_t id = lv[0].id;

	if (!same_account) {
		/* an unknown id whose home bucket holds another id: claim the
		 * id is there */
		for (id = 600000;; id++) {
			for (pick = 0; pick < n; pick++)
				if (lv[pick].bucket == bucket_home(id, nb))
					break;
			if (pick < n)
				break;
		}
	}
	h = bucket_home(id, nb);
	for (uint32_t bk = h;; bk = (bk + 1) % nb) {
		kinds[m] = ZK_SLOT_BUCKET;
		slots[m++] = bk;
		if (bk == lv[pick].bucket || !same_account)
			break;
	}
	if (same_account) {
		kinds[m] = ZK_SLOT_ORDER;
		slots[m++] = lv[pick].order;
	} else {
		/* the order the home bucket names (another id's order) */
		for (i = 0; i < n && lv[i].bucket != h; i++)
			;
		assert_true(i < n);
		kinds[m] = ZK_SLOT_ORDER;
		slots[m++] = lv[i].order;
	}
	op = (struct zk_op){ .seq = r.seq++, .order_id = id,
			     .account = same_account ? lv[pick].account :
						       lv[pick].account + 1,
			     .market = clob_test_market.market,
			     .type = ZK_OP_CANCEL };
	expect_forged_reject_fails(&r, op, ZK_REJ_OWNER_MISMATCH, kinds, slots, m);
	clob_rig_fini(&r);
}

static void test_cheat_owner(void **state)
{
	(void)state;
	/* the owner matches, the engine says it does not */
	cheat_owner_case(1);
	/* the chain stops at a bucket that holds another id */
	cheat_owner_case(0);
}

/* ---- DUPLICATE_ID: the market rules pass, then a presence probe ---- */

static void test_honest_duplicate(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_statement st;
	struct zk_clob_prove_opts o = { .market = &clob_test_market,
					.stark_params = FAST, .debug = 1 };
	struct live lv[8];
	struct zk_op ops[10];
	uint8_t *proof = NULL;
	size_t len = 0, n;
	char err[ERRLEN] = "";

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	warm_book(&r);
	n = live_orders(&r, lv, 8);
	assert_true(n >= 4);
	for (size_t i = 0; i < n; i++) {
		ops[i] = (struct zk_op){ .seq = r.seq++, .order_id = lv[i].id,
					 .account = 9, .price = 1000 + 5 * i,
					 .qty = 10 * (i + 1),
					 .market = clob_test_market.market,
					 .type = ZK_OP_NEW, .side = ZK_SIDE_BUY,
					 .ord_type = ZK_ORD_LIMIT,
					 .tif = ZK_TIF_GTC };
		if (i % 3 == 1) { /* a market order */
			ops[i].ord_type = ZK_ORD_MARKET;
			ops[i].tif = ZK_TIF_IOC;
			ops[i].price = 0;
		}
		if (i % 3 == 2) /* post-only, checked after the id */
			ops[i].flags = ZK_OP_F_POST_ONLY;
	}
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(b->events.ev[i].reason, ZK_REJ_DUPLICATE_ID);
	if (zk_clob_prove(b, r.t, &o, &proof, &len, &st, err, sizeof(err)) != 0)
		fail_msg("prove: %s", err);
	assert_memory_equal(st.old_root, st.new_root, 32);
	assert_int_equal(verify(&st, b->ops, b->n_ops, b->events.ev,
				b->events.len, proof, len),
			 0);
	free(proof);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

/* One NEW claimed DUPLICATE_ID with the probe reads a cheater chose. */
static void cheat_duplicate_case(uint64_t id, uint64_t qty, int chain_to_id)
{
	struct clob_rig r;
	struct live lv[64];
	struct zk_op op;
	uint8_t kinds[64];
	uint32_t slots[64], nb, h;
	size_t n, m = 0, pick;

	assert_int_equal(clob_rig_init(&r, 1000), 0);
	warm_book(&r);
	n = live_orders(&r, lv, 64);
	nb = zk_engine_slot_count(r.e, clob_test_market.market, ZK_SLOT_BUCKET);
	h = bucket_home(id, nb);
	for (pick = 0; pick < n && lv[pick].id != id; pick++)
		;
	for (uint32_t bk = h;; bk = (bk + 1) % nb) {
		kinds[m] = ZK_SLOT_BUCKET;
		slots[m++] = bk;
		if (!chain_to_id || (pick < n && bk == lv[pick].bucket) ||
		    m == 64)
			break;
	}
	op = (struct zk_op){ .seq = r.seq++, .order_id = id, .account = 9,
			     .price = 1000, .qty = qty,
			     .market = clob_test_market.market,
			     .type = ZK_OP_NEW, .side = ZK_SIDE_SELL,
			     .ord_type = ZK_ORD_LIMIT, .tif = ZK_TIF_GTC };
	expect_forged_reject_fails(&r, op, ZK_REJ_DUPLICATE_ID, kinds, slots, m);
	clob_rig_fini(&r);
}

static void test_cheat_duplicate(void **state)
{
	struct clob_rig r;
	struct live lv[4];
	uint64_t live_id, unknown = 650000;
	uint32_t nb;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	warm_book(&r);
	assert_true(live_orders(&r, lv, 4) >= 1);
	live_id = lv[0].id;
	nb = zk_engine_slot_count(r.e, clob_test_market.market, ZK_SLOT_BUCKET);
	/* an unknown id whose home bucket is occupied by another id */
	while (!bucket_used(&r, bucket_home(unknown, nb)))
		unknown++;
	clob_rig_fini(&r);
	/* the id is live but qty breaks MAX_QTY, which comes first */
	cheat_duplicate_case(live_id, 200000, 1);
	/* the id is not live: the chain stops at another id's bucket */
	cheat_duplicate_case(unknown, 20, 0);
	/* id 0 is the id of every empty bucket: still not live */
	cheat_duplicate_case(0, 20, 0);
}

/* ---- reduce rejects: presence, owner matches, then the qty rules ---- */

static void test_honest_reduce(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_statement st;
	struct zk_clob_prove_opts o = { .market = &clob_test_market,
					.stark_params = FAST, .debug = 1 };
	struct live lv[8];
	struct zk_op ops[8];
	uint8_t *proof = NULL;
	size_t len = 0, n;
	char err[ERRLEN] = "";

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	warm_book(&r);
	n = live_orders(&r, lv, 8);
	assert_true(n >= 4);
	for (size_t i = 0; i < n; i++)
		ops[i] = (struct zk_op){
			.seq = r.seq++, .order_id = lv[i].id,
			.account = lv[i].account,
			.market = clob_test_market.market, .type = ZK_OP_CANCEL,
			/* BAD_LOT, or BAD_REDUCE at or above the remaining */
			.qty = i % 2 ? 15 : lv[i].remaining + 10 * (i % 3) };
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(b->events.ev[i].reason,
				 i % 2 ? ZK_REJ_BAD_LOT : ZK_REJ_BAD_REDUCE);
	if (zk_clob_prove(b, r.t, &o, &proof, &len, &st, err, sizeof(err)) != 0)
		fail_msg("prove: %s", err);
	assert_memory_equal(st.old_root, st.new_root, 32);
	assert_int_equal(verify(&st, b->ops, b->n_ops, b->events.ev,
				b->events.len, proof, len),
			 0);
	free(proof);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

/* A reduce of a live order claimed rejected, with honest reads. */
static void cheat_reduce_case(uint8_t reason, int other_owner)
{
	struct clob_rig r;
	struct live lv[64];
	struct zk_op op;
	uint8_t kinds[64];
	uint32_t slots[64], nb;
	size_t n, m = 0, pick;

	assert_int_equal(clob_rig_init(&r, 1000), 0);
	warm_book(&r);
	n = live_orders(&r, lv, 64);
	nb = zk_engine_slot_count(r.e, clob_test_market.market, ZK_SLOT_BUCKET);
	for (pick = 0; pick < n && lv[pick].remaining <= 10; pick++)
		;
	assert_true(pick < n);
	for (uint32_t bk = bucket_home(lv[pick].id, nb);; bk = (bk + 1) % nb) {
		kinds[m] = ZK_SLOT_BUCKET;
		slots[m++] = bk;
		if (bk == lv[pick].bucket)
			break;
	}
	kinds[m] = ZK_SLOT_ORDER;
	slots[m++] = lv[pick].order;
	op = (struct zk_op){ .seq = r.seq++, .order_id = lv[pick].id,
			     .account = lv[pick].account + (other_owner ? 1 : 0),
			     .market = clob_test_market.market,
			     .type = ZK_OP_CANCEL,
			     /* a valid reduce, or a bad lot by another owner */
			     .qty = other_owner ? 15 : lv[pick].remaining - 10 };
	expect_forged_reject_fails(&r, op, reason, kinds, slots, m);
	clob_rig_fini(&r);
}

static void test_cheat_reduce(void **state)
{
	(void)state;
	/* qty below the remaining: a valid reduce claimed BAD_REDUCE */
	cheat_reduce_case(ZK_REJ_BAD_REDUCE, 0);
	/* a valid reduce claimed BAD_LOT */
	cheat_reduce_case(ZK_REJ_BAD_LOT, 0);
	/* another account's order: OWNER_MISMATCH comes before BAD_LOT */
	cheat_reduce_case(ZK_REJ_BAD_LOT, 1);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest all[] = {
		cmocka_unit_test(test_honest_unknown),
		cmocka_unit_test(test_cheat_unknown),
		cmocka_unit_test(test_honest_owner),
		cmocka_unit_test(test_cheat_owner),
		cmocka_unit_test(test_honest_duplicate),
		cmocka_unit_test(test_cheat_duplicate),
		cmocka_unit_test(test_honest_reduce),
		cmocka_unit_test(test_cheat_reduce),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(all, NULL, NULL);
}
