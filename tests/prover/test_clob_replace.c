/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR, REPLACE past its owner check (clob_air_replace.h): rejected by
 * the market rules on its new price / qty, or DUPLICATE_ID of its new id
 * (a second probe chain). Honest batches prove and verify with the root
 * unchanged; cheating engines (a valid replace claimed rejected, another
 * account's order, a new id that is not live or whose chain stops early,
 * an order read dropped, a reason changed) are named by the constraint
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

static uint32_t bucket_count(const struct clob_rig *r)
{
	return zk_engine_slot_count(r->e, clob_test_market.market,
				    ZK_SLOT_BUCKET);
}

static uint32_t bucket_home(uint64_t id, uint32_t nb)
{
	return (uint32_t)((id * 0x9E3779B97F4A7C15ull) >>
			  (64 - (unsigned)__builtin_ctz(nb)));
}

static union zk_slot_value slot_get(const struct clob_rig *r, uint8_t kind,
				    uint32_t slot)
{
	union zk_slot_value v;

	assert_int_equal(zk_engine_slot_get(r->e, clob_test_market.market, kind,
					    slot, &v), 0);
	return v;
}

/*
 * hash_find's reads of id appended to kinds / slots (from its home to the
 * id's bucket or the first empty one); the bucket holding it, or NIL.
 */
static uint32_t chain(const struct clob_rig *r, uint64_t id, uint8_t *kinds,
		      uint32_t *slots, size_t *m)
{
	uint32_t nb = bucket_count(r);

	for (uint32_t bk = bucket_home(id, nb);; bk = (bk + 1) % nb) {
		union zk_slot_value v = slot_get(r, ZK_SLOT_BUCKET, bk);

		kinds[*m] = ZK_SLOT_BUCKET;
		slots[(*m)++] = bk;
		if (v.bucket.order == ZK_SLOT_NIL)
			return ZK_SLOT_NIL;
		if (v.bucket.id == id)
			return bk;
	}
}

static struct zk_op replace_op(struct clob_rig *r, uint64_t id, uint64_t nid,
			       int64_t price, uint64_t qty)
{
	return (struct zk_op){ .seq = r->seq++, .order_id = id,
			       .new_order_id = nid,
			       .account = book_account(id - ID0),
			       .price = price, .qty = qty,
			       .market = clob_test_market.market,
			       .type = ZK_OP_REPLACE };
}

/* An id from `from` on whose home bucket is the home of `like`. */
static uint64_t colliding_id(const struct clob_rig *r, uint64_t like,
			     uint64_t from)
{
	uint32_t nb = bucket_count(r);
	uint64_t id = from;

	while (bucket_home(id, nb) != bucket_home(like, nb))
		id++;
	return id;
}

static void prove_verify_same_root(struct clob_rig *r, struct zk_batch *b)
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
	assert_memory_equal(st.old_root, st.new_root, 32);
	assert_int_equal(verify(&st, b->ops, b->n_ops, b->events.ev,
				b->events.len, proof, len),
			 0);
	free(proof);
}

/* An id from `from` on whose home is the last bucket. */
static uint64_t last_bucket_id(const struct clob_rig *r, uint64_t from)
{
	uint32_t nb = bucket_count(r);

	while (bucket_home(from, nb) != nb - 1)
		from++;
	return from;
}

/*
 * A book of 24 orders plus one whose id collides with book order 5's
 * (returned) and two whose home is the last bucket (the second wraps to
 * bucket 0: *wrapped).
 */
static uint64_t replace_book_w(struct clob_rig *r, uint64_t *wrapped)
{
	uint64_t extra, last[2];

	assert_int_equal(clob_rig_init(r, 1000), 0);
	rest_book(r);
	extra = colliding_id(r, ID0 + 5, 1000);
	rest_more(r, &extra, 1, 500, ZK_SIDE_BUY);
	last[0] = last_bucket_id(r, 3000);
	last[1] = last_bucket_id(r, last[0] + 1);
	rest_more(r, last, 2, 5005, ZK_SIDE_SELL);
	if (wrapped != NULL)
		*wrapped = last[1];
	return extra;
}

static uint64_t replace_book(struct clob_rig *r)
{
	return replace_book_w(r, NULL);
}

static void test_honest_qreject(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[20];
	uint8_t want[20];
	size_t n = 0;
	uint64_t extra, wrapped;

	(void)state;
	extra = replace_book_w(&r, &wrapped);
	{
		uint8_t k[64];
		uint32_t sl[64];
		size_t m = 0;

		/* the wrapped id sits past the last bucket, at its start */
		assert_true(chain(&r, wrapped, k, sl, &m) <
			    bucket_count(&r) - 1);
	}
#define PUSH(op, rs)                                                           \
	do {                                                                   \
		ops[n] = (op);                                                 \
		want[n++] = (rs);                                              \
	} while (0)
	/* the market rules on the new price and qty, in the engine's order */
	PUSH(replace_op(&r, book_id(0, 0), 900, 502, 40), ZK_REJ_BAD_TICK);
	PUSH(replace_op(&r, book_id(1, 1), 901, 63, 40), ZK_REJ_BAD_TICK);
	PUSH(replace_op(&r, book_id(2, 2), 902, 500, 15), ZK_REJ_BAD_LOT);
	PUSH(replace_op(&r, book_id(3, 3), 903, 5000, 0), ZK_REJ_BAD_LOT);
	PUSH(replace_op(&r, book_id(4, 0), 904, 60, 40), ZK_REJ_PRICE_BAND);
	PUSH(replace_op(&r, book_id(5, 1), 905, 200000, 40), ZK_REJ_PRICE_BAND);
	PUSH(replace_op(&r, book_id(0, 2), 906, 500, 200000), ZK_REJ_MAX_QTY);
	/* the old id two probes from its home */
	PUSH(replace_op(&r, extra, 907, 503, 40), ZK_REJ_BAD_TICK);
	/* the new id live: another order's, two probes from its home, the
	 * old id itself */
	PUSH(replace_op(&r, book_id(1, 0), book_id(2, 0), 495, 40),
	     ZK_REJ_DUPLICATE_ID);
	PUSH(replace_op(&r, book_id(1, 2), extra, 800, 10),
	     ZK_REJ_DUPLICATE_ID);
	PUSH(replace_op(&r, book_id(5, 3), book_id(5, 3), 5010, 10),
	     ZK_REJ_DUPLICATE_ID);
	/* both chains wrap from the last bucket to bucket 0 */
	PUSH(replace_op(&r, wrapped, 909, 5001, 40), ZK_REJ_BAD_TICK);
	PUSH(replace_op(&r, book_id(4, 1), wrapped, 5005, 40),
	     ZK_REJ_DUPLICATE_ID);
	/* the owner check comes first; a malformed op */
	ops[n] = replace_op(&r, book_id(3, 1), 908, 502, 40);
	ops[n].account += 1;
	want[n++] = ZK_REJ_OWNER_MISMATCH;
	PUSH(clob_malformed_op(&r, 5), ZK_REJ_MALFORMED);
#undef PUSH
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	assert_int_equal(b->events.len, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(b->events.ev[i].type, ZK_EV_REJECTED);
		assert_int_equal(b->events.ev[i].reason, want[i]);
	}
	prove_verify_same_root(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

/*
 * A cheating engine's one-op batch: `op` rejected for `reason` with the
 * given reads of the book as it is. The constraint debugger must name a
 * failing row, and the proof made with it off must not verify.
 */
static void expect_forged_replace_fails(struct clob_rig *r, struct zk_op op,
					uint8_t reason, const uint8_t *kinds,
					const uint32_t *slots, size_t m,
					const char *name)
{
	struct zk_witness_access acc[64];
	struct zk_batch fake;
	struct custom cu;
	struct zk_event ev = { .seq = op.seq, .market = op.market,
			       .type = ZK_EV_REJECTED, .reason = reason,
			       .order_id = op.order_id,
			       .other_id = op.new_order_id };

	assert_true(m <= 64);
	memset(&fake, 0, sizeof(fake));
	fake.batch_seq = 5;
	fake.n_ops = 1;
	fake.ops = &op;
	fake.events = (struct zk_event_buf){ .ev = &ev, .len = 1, .cap = 1 };
	fake.witness = (struct zk_witness){
		.acc = acc, .len = fake_reads(r, kinds, slots, m, acc),
		.cap = 64, .ops = 1 };
	prove_custom(r, &fake, 0, &op, 1, &ev, 1, NULL, NULL, &cu);
	print_message("%s: debugger: %s\n", name, cu.debug_err);
	assert_int_equal(cu.debug_rc, ZK_STARK_ETRACE);
	assert_int_not_equal(verify(&cu.st, &op, 1, &ev, 1, cu.proof, cu.len),
			     0);
	free(cu.proof);
}

/* The old id's chain and order read, then (chain_new) the new id's. */
static size_t replace_reads(struct clob_rig *r, const struct zk_op *op,
			    int order_read, int chain_new, uint8_t *kinds,
			    uint32_t *slots)
{
	size_t m = 0;
	uint32_t bk = chain(r, op->order_id, kinds, slots, &m);

	assert_int_not_equal(bk, ZK_SLOT_NIL);
	if (order_read) {
		kinds[m] = ZK_SLOT_ORDER;
		slots[m++] = slot_get(r, ZK_SLOT_BUCKET, bk).bucket.order;
	}
	if (chain_new)
		(void)chain(r, op->new_order_id, kinds, slots, &m);
	return m;
}

static void cheat_case(uint8_t reason, struct zk_op (*make)(struct clob_rig *,
							    uint64_t),
		       int order_read, int chain_new, const char *name)
{
	struct clob_rig r;
	uint8_t kinds[64];
	uint32_t slots[64];
	uint64_t extra = replace_book(&r);
	struct zk_op op = make(&r, extra);
	size_t m = replace_reads(&r, &op, order_read, chain_new, kinds, slots);

	expect_forged_replace_fails(&r, op, reason, kinds, slots, m, name);
	clob_rig_fini(&r);
}

/* a replace every rule passes (it keeps its priority) */
static struct zk_op valid_replace(struct clob_rig *r, uint64_t extra)
{
	(void)extra;
	return replace_op(r, book_id(0, 1), 950, 500, 20);
}

static struct zk_op other_owner_bad_tick(struct clob_rig *r, uint64_t extra)
{
	struct zk_op op = replace_op(r, book_id(0, 1), 950, 502, 20);

	(void)extra;
	op.account += 1;
	return op;
}

static struct zk_op bad_tick(struct clob_rig *r, uint64_t extra)
{
	(void)extra;
	return replace_op(r, book_id(0, 1), 950, 502, 20);
}

/* the new id is not live, but its home holds another id */
static struct zk_op unknown_new_id(struct clob_rig *r, uint64_t extra)
{
	(void)extra;
	return replace_op(r, book_id(0, 1), colliding_id(r, ID0 + 7, 5000),
			  500, 20);
}

/* every rule passes and the new id is live, but the order is not the
 * op account's */
static struct zk_op other_owner_dup(struct clob_rig *r, uint64_t extra)
{
	struct zk_op op = replace_op(r, book_id(0, 1), book_id(2, 1), 500, 20);

	(void)extra;
	op.account += 1;
	return op;
}

static struct zk_op colliding_new_id(struct clob_rig *r, uint64_t extra)
{
	return replace_op(r, book_id(0, 1), extra, 500, 20);
}

static struct zk_op live_new_id_max_qty(struct clob_rig *r, uint64_t extra)
{
	(void)extra;
	return replace_op(r, book_id(0, 1), book_id(2, 1), 500, 200000);
}

static void test_cheat_qreject(void **state)
{
	(void)state;
	cheat_case(ZK_REJ_BAD_TICK, valid_replace, 1, 0,
		   "valid replace claimed BAD_TICK");
	cheat_case(ZK_REJ_MAX_QTY, valid_replace, 1, 0,
		   "valid replace claimed MAX_QTY");
	cheat_case(ZK_REJ_PRICE_BAND, bad_tick, 1, 0,
		   "BAD_TICK claimed PRICE_BAND");
	cheat_case(ZK_REJ_BAD_TICK, other_owner_bad_tick, 1, 0,
		   "another account's order claimed BAD_TICK");
	cheat_case(ZK_REJ_BAD_TICK, bad_tick, 0, 0,
		   "BAD_TICK without the order read");
	cheat_case(ZK_REJ_DUPLICATE_ID, valid_replace, 1, 1,
		   "DUPLICATE_ID of an id that is not live (chain ends empty)");
	cheat_case(ZK_REJ_DUPLICATE_ID, unknown_new_id, 1, 1,
		   "DUPLICATE_ID of an id that is not live (collides)");
	cheat_case(ZK_REJ_DUPLICATE_ID, live_new_id_max_qty, 1, 1,
		   "DUPLICATE_ID when MAX_QTY comes first");
	cheat_case(ZK_REJ_DUPLICATE_ID, valid_replace, 1, 0,
		   "DUPLICATE_ID without the new id's chain");
	cheat_case(ZK_REJ_DUPLICATE_ID, other_owner_dup, 1, 1,
		   "DUPLICATE_ID of another account's order");
}

/* The new id's chain cut short: it stops at the colliding id's home
 * (which holds book order 5), a bucket before the new id's. */
static void test_cheat_qchain(void **state)
{
	struct clob_rig r;
	uint8_t kinds[64];
	uint32_t slots[64];
	uint64_t extra = replace_book(&r);
	struct zk_op op = colliding_new_id(&r, extra);
	size_t m = replace_reads(&r, &op, 1, 1, kinds, slots);

	(void)state;
	assert_true(kinds[m - 2] == ZK_SLOT_BUCKET &&
		    kinds[m - 3] == ZK_SLOT_ORDER);
	expect_forged_replace_fails(&r, op, ZK_REJ_DUPLICATE_ID, kinds, slots,
				    m - 1, "DUPLICATE_ID, chain cut short");
	/* the chain started one bucket late (at the new id's own bucket) */
	slots[m - 2] = slots[m - 1];
	r.seq++;
	op.seq = r.seq;
	expect_forged_replace_fails(&r, op, ZK_REJ_DUPLICATE_ID, kinds, slots,
				    m - 1, "DUPLICATE_ID, chain not from home");
	clob_rig_fini(&r);
}

struct reason_edit {
	size_t at;
	uint8_t reason;
};

/* An honest batch whose published reason is edited. */
static void test_cheat_qevent(void **state)
{
	static const uint8_t wrong[] = { ZK_REJ_BAD_LOT, ZK_REJ_OWNER_MISMATCH,
					 ZK_REJ_UNKNOWN_ORDER };

	(void)state;
	for (size_t w = 0; w < sizeof(wrong); w++) {
		struct clob_rig r;
		struct zk_op ops[2];
		struct zk_batch *b;

		(void)replace_book(&r);
		ops[0] = replace_op(&r, book_id(0, 0), 900, 502, 40);
		ops[1] = replace_op(&r, book_id(1, 0), book_id(2, 0), 495, 40);
		b = clob_rig_batch(&r, ops, 2);
		assert_non_null(b);
		assert_int_equal(b->events.ev[0].reason, ZK_REJ_BAD_TICK);
		assert_int_equal(b->events.ev[1].reason, ZK_REJ_DUPLICATE_ID);
		b->events.ev[w % 2].reason = wrong[w];
		expect_cheat_refused(&r, b, NULL, "reason edited");
	}
}

/* ---- priority kept: erase, insert, order and level writes ---- */

static void test_honest_keep(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[16];
	size_t n = 0;
	uint64_t extra, wrapped;
	uint32_t nb;

	(void)state;
	extra = replace_book_w(&r, &wrapped);
	nb = bucket_count(&r);
	/* cut by two lots; the same qty (cut 0, only the id changes) */
	ops[n++] = replace_op(&r, book_id(0, 0), 910, 500, 20);
	ops[n++] = replace_op(&r, book_id(3, 1), 911, 5000,
			      book_qty(book_id(3, 1) - ID0));
	/* the new id replaced again in the same batch */
	ops[n] = replace_op(&r, 910, 912, 500, 10);
	ops[n++].account = book_account(book_id(0, 0) - ID0);
	/* the erase shifts the colliding order back to its home */
	ops[n++] = replace_op(&r, ID0 + 5, 913, book_price(5), 10);
	/* the erase scan wraps to bucket 0 and shifts the order there
	 * (the last bucket's order, filled in below) */
	ops[n] = replace_op(&r, ID0, 914, 0, 0);
	/* the new id's home is occupied: its chain and insert take two */
	ops[n + 1] = replace_op(&r, book_id(2, 3), colliding_id(&r, extra,
								  extra + 1),
				490, 20);
	/* a reduce and a full cancel in between */
	ops[n + 2] = cancel_op(&r, book_id(1, 2), 10);
	ops[n + 3] = cancel_op(&r, book_id(4, 3), 0);
	n += 4;
	{
		/* the order of the last bucket: find its id and owner */
		uint8_t k[64];
		uint32_t sl[64];
		size_t m = 0;
		union zk_slot_value bv = slot_get(&r, ZK_SLOT_BUCKET, nb - 1);
		union zk_slot_value ov = slot_get(&r, ZK_SLOT_ORDER,
						  bv.bucket.order);

		assert_int_not_equal(bv.bucket.order, ZK_SLOT_NIL);
		ops[4].order_id = bv.bucket.id;
		ops[4].account = ov.order.account;
		ops[4].price = ov.order.price;
		ops[4].qty = ov.order.remaining;
		(void)chain(&r, wrapped, k, sl, &m);
		assert_true(m >= 2);
	}
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	assert_int_equal(b->events.len, n);
	for (size_t i = 0; i < n; i++) {
		if (ops[i].type != ZK_OP_REPLACE)
			continue;
		if (b->events.ev[i].type != ZK_EV_REPLACED ||
		    b->events.ev[i].reason != 1)
			fail_msg("op %zu: event %u reason %u", i,
				 b->events.ev[i].type, b->events.ev[i].reason);
	}
	{
		/* the erases moved the colliding and the wrapped orders */
		int moved_extra = 0, moved_wrapped = 0;

		for (size_t i = 0; i < b->witness.len; i++) {
			const struct zk_witness_access *a = &b->witness.acc[i];

			if (a->kind != ZK_SLOT_BUCKET || !a->write)
				continue;
			moved_extra |= a->op == 3 && a->after.bucket.id == extra;
			moved_wrapped |= a->op == 4 && a->slot == nb - 1 &&
					 a->after.bucket.id == wrapped;
		}
		assert_true(moved_extra && moved_wrapped);
	}
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

/* A keep batch of one replace, for the cheating engines to edit. */
static struct zk_batch *keep_batch(struct clob_rig *r)
{
	struct zk_op op;
	struct zk_batch *b;

	(void)replace_book(r);
	/* order 5's erase shifts the colliding order back */
	op = replace_op(r, ID0 + 5, 920, book_price(5), 10);
	b = clob_rig_batch(r, &op, 1);
	assert_non_null(b);
	assert_int_equal(b->events.ev[0].type, ZK_EV_REPLACED);
	return b;
}

/* The index of the witness access of `kind` / `write` after `from`. */
static size_t find_access(const struct zk_batch *b, size_t from, uint8_t kind,
			  int write)
{
	for (size_t i = from; i < b->witness.len; i++)
		if (b->witness.acc[i].kind == kind &&
		    !b->witness.acc[i].write == !write)
			return i;
	fail_msg("no such access");
	return 0;
}

static void test_cheat_keep(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	size_t i;

	(void)state;
	/* keep claimed while the price changed (op and event agree) */
	b = keep_batch(&r);
	b->ops[0].price += 5;
	b->events.ev[0].price += 5;
	expect_cheat_refused(&r, b, NULL, "keep at another price");
	/* keep claimed while the qty grew: the writes follow it */
	b = keep_batch(&r);
	b->ops[0].qty = 100;
	b->events.ev[0].qty = 100;
	i = find_access(b, 0, ZK_SLOT_ORDER, 1);
	b->witness.acc[i].after.order.remaining = 100;
	i = find_access(b, 0, ZK_SLOT_LEVEL, 1);
	b->witness.acc[i].after.level.total =
		b->witness.acc[i].before.level.total + 100 - book_qty(5);
	expect_cheat_refused(&r, b, NULL, "keep with a larger qty");
	/* the level total cut by another amount */
	b = keep_batch(&r);
	i = find_access(b, 0, ZK_SLOT_LEVEL, 1);
	b->witness.acc[i].after.level.total += 10;
	expect_cheat_refused(&r, b, NULL, "wrong level total");
	/* the old id left in its bucket (the erase's final write kept) */
	b = keep_batch(&r);
	for (i = 0; i < b->witness.len; i++) {
		struct zk_witness_access *a = &b->witness.acc[i];

		if (a->kind == ZK_SLOT_BUCKET && a->write &&
		    a->after.bucket.order == ZK_SLOT_NIL)
			a->after = a->before;
	}
	expect_cheat_refused(&r, b, NULL, "old id left in the table");
	/* the new id not inserted (the insert write kept the bucket empty) */
	b = keep_batch(&r);
	for (i = 0; i < b->witness.len; i++) {
		struct zk_witness_access *a = &b->witness.acc[i];

		if (a->kind == ZK_SLOT_BUCKET && a->write &&
		    a->after.bucket.id == 920)
			a->after = a->before;
	}
	expect_cheat_refused(&r, b, NULL, "new id not inserted");
	/* the order slot keeps the old id */
	b = keep_batch(&r);
	i = find_access(b, 0, ZK_SLOT_ORDER, 1);
	b->witness.acc[i].after.order.id = ID0 + 5;
	expect_cheat_refused(&r, b, NULL, "order keeps the old id");
	/* wrong events: priority reported lost, another side */
	b = keep_batch(&r);
	b->events.ev[0].reason = 0;
	expect_cheat_refused(&r, b, NULL, "REPLACED with keep = 0");
	b = keep_batch(&r);
	b->events.ev[0].side = 3 - b->events.ev[0].side;
	expect_cheat_refused(&r, b, NULL, "REPLACED with the other side");
}

/* A replace to a price outside the AIR's limbs (negative: the engine
 * rejects it PRICE_BAND) stays refused (a move that rests:
 * test_clob_move.c, that trades: test_clob_xmove.c, that self-trade
 * prevention stops, which served here: test_clob_xstp.c). */
static void test_refuse_replace(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op op;

	(void)state;
	(void)replace_book(&r);
	op = replace_op(&r, book_id(0, 1), 960, -5000, 20);
	b = clob_rig_batch(&r, &op, 1);
	assert_non_null(b);
	assert_int_equal(b->events.len, 1);
	assert_int_equal(b->events.ev[0].type, ZK_EV_REJECTED);
	expect_gate_refused(&r, b, "REPLACE rejected by validation");
	clob_rig_fini(&r);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest all[] = {
		cmocka_unit_test(test_honest_qreject),
		cmocka_unit_test(test_cheat_qreject),
		cmocka_unit_test(test_cheat_qchain),
		cmocka_unit_test(test_cheat_qevent),
		cmocka_unit_test(test_honest_keep),
		cmocka_unit_test(test_cheat_keep),
		cmocka_unit_test(test_refuse_replace),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(all, NULL, NULL);
}
