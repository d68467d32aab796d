/* SPDX-License-Identifier: MIT */
/*
 * State tree: roots against a naive dense recomputation, batch updates
 * driven by real engine witnesses against rebuilds, update records and
 * membership proofs against tampering, encoding injectivity on edge values,
 * and rejection of inconsistent witnesses.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "zkclob/batch.h"
#include "zkclob/config.h"
#include "zkclob/gen.h"
#include "poseidon2.h"
#include "zkclob/statetree.h"
#include "statetree_test_util.h"

#define D ZK_ST_DIGEST_ELEMS

/* Places, cancels, reduces, replaces and aggressors around price 100, with
 * a trickle of unknown ids and wrong owners. */
static struct zk_op
random_op(uint64_t *s, uint64_t seq, uint64_t *next_id)
{
	struct zk_op op = { .seq = seq };
	unsigned u = (unsigned)pick(s, 100);
	uint64_t target = *next_id > 1 ? 1 + pick(s, *next_id - 1) : 1;

	op.market = small[pick(s, N_MARKETS)].market;
	op.account = 1 + pick(s, 4);
	if (u < 50) {
		op.type = ZK_OP_NEW;
		op.order_id = (*next_id)++;
		op.side = pick(s, 2) ? ZK_SIDE_BUY : ZK_SIDE_SELL;
		op.ord_type = ZK_ORD_LIMIT;
		op.tif = ZK_TIF_GTC;
		op.price = op.side == ZK_SIDE_BUY ? 88 + (int64_t)pick(s, 14)
						  : 99 + (int64_t)pick(s, 14);
		op.qty = 1 + pick(s, 20);
		if (pick(s, 10) == 0)
			op.flags = ZK_OP_F_POST_ONLY;
	} else if (u < 70) {
		op.type = ZK_OP_CANCEL;
		op.order_id = target;
		op.qty = pick(s, 2) ? 0 : 1 + pick(s, 5);
	} else if (u < 85) {
		op.type = ZK_OP_REPLACE;
		op.order_id = target;
		op.new_order_id = (*next_id)++;
		op.price = 90 + (int64_t)pick(s, 20);
		op.qty = 1 + pick(s, 20);
	} else {
		op.type = ZK_OP_NEW;
		op.order_id = (*next_id)++;
		op.side = pick(s, 2) ? ZK_SIDE_BUY : ZK_SIDE_SELL;
		op.ord_type = pick(s, 4) ? ZK_ORD_LIMIT : ZK_ORD_MARKET;
		op.tif = pick(s, 2) ? ZK_TIF_IOC : ZK_TIF_FOK;
		op.price = op.ord_type == ZK_ORD_MARKET ? 0
			   : op.side == ZK_SIDE_BUY ? 110 : 90;
		op.qty = 1 + pick(s, 40);
	}
	return op;
}

/* Independent of the sparse store: hash every leaf position, fold all
 * levels. Fine for the small books above (a few hundred leaves). */
static void
dense_root(const struct zk_engine *e, uint32_t market, uint32_t arity,
	   zk_gl root[D])
{
	struct zk_st_layout lay;
	uint64_t n = 1;
	zk_gl(*h)[D];

	assert_int_equal(zk_st_layout_for_engine(&lay, e, market, arity), 0);
	for (uint32_t l = 0; l < lay.depth; l++)
		n *= arity;
	h = calloc(n, sizeof(*h));
	assert_non_null(h);
	for (uint32_t k = 1; k <= ZK_ST_KINDS; k++)
		for (uint32_t s = 0; s < lay.count[k]; s++) {
			union zk_slot_value v;

			assert_int_equal(zk_engine_slot_get(e, market, k, s, &v), 0);
			assert_int_equal(zk_st_leaf_hash(&lay, k, s, &v,
							 h[lay.offset[k] + s]), 0);
		}
	for (; n > 1; n /= arity)
		for (uint64_t i = 0; i < n / arity; i++)
			zk_st_node_hash(arity, (const zk_gl(*)[D])h[i * arity],
					h[i]);
	memcpy(root, h[0], sizeof(h[0]));
	free(h);
}

static void
assert_root_is(const uint8_t bytes[32], const zk_gl want[D])
{
	zk_gl got[D];

	assert_int_equal(zk_st_root_from_bytes(bytes, got), 0);
	assert_memory_equal(got, want, sizeof(got));
}

static void
assert_rebuild_equal(const struct zk_engine *e, uint32_t market,
		     uint32_t arity, const uint8_t root[32])
{
	struct zk_st_tree *fresh = zk_st_create(e, market, arity);
	uint8_t again[32];
	zk_gl dense[D];

	assert_non_null(fresh);
	zk_st_root(fresh, again);
	assert_memory_equal(again, root, 32);
	zk_st_destroy(fresh);
	dense_root(e, market, arity, dense);
	assert_root_is(root, dense);
}

static void
test_layout(void **state)
{
	const uint32_t count[ZK_ST_KINDS + 1] = { 0, 1, 65536, 16384, 131072 };
	struct zk_st_layout lay;
	uint64_t idx;

	(void)state;
	assert_int_equal(zk_st_layout_init(&lay, 3, 2, count), 0);
	assert_int_equal(lay.depth, 18);
	assert_int_equal(lay.offset[ZK_SLOT_BUCKET], 0);
	assert_int_equal(lay.offset[ZK_SLOT_ORDER], 1u << 17);
	assert_int_equal(lay.offset[ZK_SLOT_LEVEL], (1u << 17) + (1u << 16));
	assert_int_equal(lay.offset[ZK_SLOT_HEADER],
			 (1u << 17) + (1u << 16) + (1u << 14));
	assert_int_equal(zk_st_layout_init(&lay, 3, 4, count), 0);
	assert_int_equal(lay.depth, 9);
	assert_int_equal(zk_st_leaf_index(&lay, ZK_SLOT_ORDER, 65535, &idx), 0);
	assert_int_equal(idx, (1u << 17) + 65535);
	assert_int_equal(zk_st_leaf_index(&lay, ZK_SLOT_ORDER, 65536, &idx), -1);
	assert_int_equal(zk_st_leaf_index(&lay, 0, 0, &idx), -1);
	assert_int_equal(zk_st_leaf_index(&lay, 5, 0, &idx), -1);
	assert_int_equal(zk_st_layout_init(&lay, 3, 3, count), -1);
	assert_int_equal(errno, EINVAL);
}

static void
test_fresh_engine_is_empty(void **state)
{
	struct zk_engine *e = zk_engine_create(small, N_MARKETS);

	(void)state;
	assert_non_null(e);
	for (uint32_t arity = 2; arity <= 4; arity += 2) {
		struct zk_st_tree *t = zk_st_create(e, 1, arity);
		struct zk_st_stats st;
		zk_gl root[D], empty[D];

		assert_non_null(t);
		zk_st_root_gl(t, root);
		zk_st_empty_hash(arity, zk_st_layout_get(t)->depth, empty);
		assert_memory_equal(root, empty, sizeof(root));
		zk_st_get_stats(t, &st);
		assert_int_equal(st.stored_nodes, 0);
		zk_st_destroy(t);
	}
	assert_null(zk_st_create(e, 2, 2)); /* no market 2 */
	assert_int_equal(errno, EINVAL);
	zk_engine_destroy(e);
}

/* The (kind, slot) pairs a witness accessed in `market`, as leaf flags. */
static void
mark_touched(const struct zk_witness *w, const struct zk_st_layout *lay,
	     uint8_t *touched)
{
	for (size_t i = 0; i < w->len; i++) {
		uint64_t idx;

		if (w->acc[i].market != lay->market)
			continue;
		assert_int_equal(zk_st_leaf_index(lay, w->acc[i].kind,
						  w->acc[i].slot, &idx), 0);
		touched[idx] = 1;
	}
}

static void
check_batches(uint32_t arity, uint64_t seed, unsigned n_ops)
{
	struct zk_engine *e = zk_engine_create(small, N_MARKETS);
	struct zk_batch_cfg cfg = { .max_ops = 1 + (uint32_t)(seed % 37),
				    .witness = true };
	struct zk_batcher *b;
	struct zk_st_tree *t[N_MARKETS];
	struct zk_st_update u = { 0 };
	uint64_t s = seed, next_id = 1, batches = 0;

	assert_non_null(e);
	b = zk_batcher_create(e, &cfg);
	assert_non_null(b);
	for (int m = 0; m < N_MARKETS; m++) {
		t[m] = zk_st_create(e, small[m].market, arity);
		assert_non_null(t[m]);
	}
	for (unsigned i = 0; i <= n_ops; i++) {
		struct zk_batch *cut = NULL;

		if (i < n_ops) {
			struct zk_op op = random_op(&s, i + 1, &next_id);

			assert_int_equal(zk_batcher_push(b, &op, 0, &cut), 0);
		} else {
			assert_int_equal(zk_batcher_flush(b, 0, &cut), 0);
		}
		if (cut == NULL)
			continue;
		batches++;
		for (int m = 0; m < N_MARKETS; m++) {
			const struct zk_st_layout *lay = zk_st_layout_get(t[m]);
			uint8_t prev[32], now[32], *touched;
			size_t n_touched = 0;
			const char *why = NULL;

			zk_st_root(t[m], prev);
			assert_int_equal(zk_st_apply_witness(t[m], &cut->witness,
							     &u), 0);
			assert_null(u.error);
			assert_memory_equal(u.old_root, prev, 32);
			zk_st_root(t[m], now);
			assert_memory_equal(u.new_root, now, 32);
			assert_int_equal(u.accesses + u.other_market,
					 cut->witness.len);
			if (zk_st_update_verify(lay, &u, &why) != 0)
				fail_msg("record rejected: %s", why);
			/* the record's leaves are exactly the accessed slots */
			touched = calloc(1ull << (lay->depth * (arity / 2)), 1);
			assert_non_null(touched);
			mark_touched(&cut->witness, lay, touched);
			for (uint64_t k = 0; k < (1ull << (lay->depth * (arity / 2))); k++)
				n_touched += touched[k];
			assert_int_equal(n_touched, u.n_leaves);
			for (size_t k = 0; k < u.n_leaves; k++)
				assert_true(touched[u.leaves[k].index]);
			free(touched);
			assert_rebuild_equal(e, small[m].market, arity, now);
		}
		zk_batch_free(cut);
	}
	assert_true(batches > 10);
	zk_st_update_free(&u);
	for (int m = 0; m < N_MARKETS; m++)
		zk_st_destroy(t[m]);
	zk_batcher_destroy(b);
	zk_engine_destroy(e);
}

static void
test_batches_binary(void **state)
{
	(void)state;
	check_batches(2, 11, 1500);
	check_batches(2, 12, 600);
}

static void
test_batches_quad(void **state)
{
	(void)state;
	check_batches(4, 21, 1500);
}

/* An engine after `n` random ops, with the last `last` ops in *w. */
static struct zk_engine *
engine_after(uint64_t seed, unsigned n, unsigned last, struct zk_witness *w)
{
	struct zk_engine *e = zk_engine_create(small, N_MARKETS);
	struct zk_event_buf ev = { 0 };
	uint64_t s = seed, next_id = 1;

	assert_non_null(e);
	for (unsigned i = 0; i < n; i++) {
		struct zk_op op = random_op(&s, i + 1, &next_id);

		if (i + last == n)
			zk_engine_set_witness(e, w);
		assert_true(zk_engine_apply(e, &op, &ev) >= 1);
		ev.len = 0;
	}
	zk_engine_set_witness(e, NULL);
	zk_event_buf_free(&ev);
	return e;
}

static void
expect_rejected(const struct zk_st_layout *lay, struct zk_st_update *u)
{
	const char *why = NULL;

	assert_int_equal(zk_st_update_verify(lay, u, &why), -1);
	assert_non_null(why);
}

static void
tamper_nodes(const struct zk_st_layout *lay, struct zk_st_update *u)
{
	for (size_t i = 0; i < u->n_nodes; i++) {
		struct zk_st_node_rec *n = &u->nodes[i], saved = *n;

		n->old_hash[i % D] = zk_gl_add(n->old_hash[i % D], 1);
		expect_rejected(lay, u);
		*n = saved;
		n->new_hash[(i + 1) % D] = zk_gl_add(n->new_hash[(i + 1) % D], 1);
		expect_rejected(lay, u);
		*n = saved;
		/* a sibling changed consistently still breaks its parent */
		n->old_hash[0] = zk_gl_add(n->old_hash[0], 1);
		n->new_hash[0] = zk_gl_add(n->new_hash[0], 1);
		expect_rejected(lay, u);
		*n = saved;
		n->index ^= 1;
		expect_rejected(lay, u);
		*n = saved;
		n->touched ^= 1;
		expect_rejected(lay, u);
		*n = saved;
		n->child[0] = n->child[0] == ZK_ST_NONE ? 0 : n->child[0] - 1;
		expect_rejected(lay, u);
		*n = saved;
		assert_int_equal(zk_st_update_verify(lay, u, NULL), 0);
	}
}

static void
tamper_leaves(const struct zk_st_layout *lay, struct zk_st_update *u)
{
	for (size_t i = 0; i < u->n_leaves; i++) {
		struct zk_st_leaf_rec *lf = &u->leaves[i], saved = *lf;

		lf->before.raw[0] ^= 1; /* first field of every kind */
		expect_rejected(lay, u);
		*lf = saved;
		lf->after.raw[0] ^= 0x80;
		expect_rejected(lay, u);
		*lf = saved;
		lf->after.raw[63] = 1; /* padding */
		expect_rejected(lay, u);
		*lf = saved;
		lf->slot ^= 1;
		expect_rejected(lay, u);
		*lf = saved;
		lf->kind = lf->kind % ZK_ST_KINDS + 1;
		expect_rejected(lay, u);
		*lf = saved;
		lf->written = 0;
		if (memcmp(&lf->before, &lf->after, sizeof(lf->before)) != 0)
			expect_rejected(lay, u);
		*lf = saved;
	}
	assert_int_equal(zk_st_update_verify(lay, u, NULL), 0);
}

static void
check_tamper(uint32_t arity)
{
	struct zk_witness w = { 0 };
	struct zk_engine *e = engine_after(5, 300, 0, &w);
	struct zk_st_tree *t = zk_st_create(e, 1, arity);
	const struct zk_st_layout *lay;
	struct zk_st_update u = { 0 };
	uint64_t s = 99, next_id = 100000;
	struct zk_event_buf ev = { 0 };

	assert_non_null(t);
	lay = zk_st_layout_get(t);
	zk_engine_set_witness(e, &w);
	for (unsigned i = 0; i < 4; i++) {
		struct zk_op op = random_op(&s, 1000 + i, &next_id);

		op.market = 1;
		assert_true(zk_engine_apply(e, &op, &ev) >= 1);
	}
	zk_engine_set_witness(e, NULL);
	assert_int_equal(zk_st_apply_witness(t, &w, &u), 0);
	assert_int_equal(zk_st_update_verify(lay, &u, NULL), 0);
	assert_true(u.n_leaves >= 2);
	tamper_nodes(lay, &u);
	tamper_leaves(lay, &u);
	u.old_root[3] ^= 1;
	expect_rejected(lay, &u);
	u.old_root[3] ^= 1;
	u.new_root[0] ^= 1;
	expect_rejected(lay, &u);
	u.new_root[0] ^= 1;
	/* dropping a leaf or the root is caught too */
	u.n_leaves--;
	expect_rejected(lay, &u);
	u.n_leaves++;
	u.n_nodes--;
	expect_rejected(lay, &u);
	u.n_nodes++;
	assert_int_equal(zk_st_update_verify(lay, &u, NULL), 0);
	zk_event_buf_free(&ev);
	zk_witness_free(&w);
	zk_st_update_free(&u);
	zk_st_destroy(t);
	zk_engine_destroy(e);
}

static void
test_record_tamper(void **state)
{
	(void)state;
	check_tamper(2);
	check_tamper(4);
}

static void
test_membership(void **state)
{
	struct zk_engine *e = engine_after(7, 800, 0, NULL);

	(void)state;
	for (uint32_t arity = 2; arity <= 4; arity += 2) {
		struct zk_st_tree *t = zk_st_create(e, 1, arity);
		const struct zk_st_layout *lay = zk_st_layout_get(t);
		uint8_t root[32];

		zk_st_root(t, root);
		for (uint32_t k = 1; k <= ZK_ST_KINDS; k++)
			for (uint32_t s = 0; s < lay->count[k]; s++) {
				struct zk_st_proof p;
				union zk_slot_value v, bad;

				assert_int_equal(zk_engine_slot_get(e, 1, k, s, &v), 0);
				assert_int_equal(zk_st_prove(t, k, s, &p), 0);
				assert_int_equal(zk_st_proof_verify(lay, &p, &v, root), 0);
				bad = v;
				bad.raw[s % 4] ^= 4;
				assert_int_equal(zk_st_proof_verify(lay, &p, &bad, root), -1);
				p.sib[s % lay->depth][0][s % D] ^= 1;
				assert_int_equal(zk_st_proof_verify(lay, &p, &v, root), -1);
				p.sib[s % lay->depth][0][s % D] ^= 1;
				p.slot ^= 1;
				assert_int_equal(zk_st_proof_verify(lay, &p, &v, root), -1);
				p.slot ^= 1;
				root[s % 32] ^= 1;
				assert_int_equal(zk_st_proof_verify(lay, &p, &v, root), -1);
				root[s % 32] ^= 1;
			}
		assert_int_equal(zk_st_prove(t, ZK_SLOT_HEADER, 1, &(struct zk_st_proof){ 0 }), -1);
		zk_st_destroy(t);
	}
	zk_engine_destroy(e);
}

/* Field values a limb split or a u32 cast could confuse. */
static const uint64_t edge64[] = {
	0, 1, 0xffffffffull, 0x100000000ull, 0x100000001ull,
	ZK_GL_P - 1, ZK_GL_P, UINT64_MAX, (uint64_t)INT64_MIN,
};
static const uint32_t edge32[] = { 0, 1, 2, 0x7fffffff, ZK_SLOT_NIL - 1,
				   ZK_SLOT_NIL };

struct item {
	uint32_t kind, slot;
	union zk_slot_value v;
	zk_gl enc[ZK_ST_LEAF_ELEMS];
};

/* Byte offsets and widths of every encoded field, per kind. */
struct field {
	uint32_t kind;
	size_t off, width;
};

static const struct field fields[] = {
#define F(k, T, m) { k, offsetof(T, m), sizeof(((T *)0)->m) }
	F(ZK_SLOT_HEADER, struct zk_book_header, best_bid),
	F(ZK_SLOT_HEADER, struct zk_book_header, best_ask),
	F(ZK_SLOT_HEADER, struct zk_book_header, order_free),
	F(ZK_SLOT_HEADER, struct zk_book_header, level_free),
	F(ZK_SLOT_HEADER, struct zk_book_header, n_orders),
	F(ZK_SLOT_HEADER, struct zk_book_header, n_levels),
	F(ZK_SLOT_ORDER, struct zk_order_slot, id),
	F(ZK_SLOT_ORDER, struct zk_order_slot, account),
	F(ZK_SLOT_ORDER, struct zk_order_slot, price),
	F(ZK_SLOT_ORDER, struct zk_order_slot, remaining),
	F(ZK_SLOT_ORDER, struct zk_order_slot, prev),
	F(ZK_SLOT_ORDER, struct zk_order_slot, next),
	F(ZK_SLOT_ORDER, struct zk_order_slot, level),
	F(ZK_SLOT_ORDER, struct zk_order_slot, stp_group),
	F(ZK_SLOT_ORDER, struct zk_order_slot, side),
	F(ZK_SLOT_LEVEL, struct zk_level_slot, price),
	F(ZK_SLOT_LEVEL, struct zk_level_slot, total),
	F(ZK_SLOT_LEVEL, struct zk_level_slot, head),
	F(ZK_SLOT_LEVEL, struct zk_level_slot, tail),
	F(ZK_SLOT_LEVEL, struct zk_level_slot, better),
	F(ZK_SLOT_LEVEL, struct zk_level_slot, worse),
	F(ZK_SLOT_LEVEL, struct zk_level_slot, side),
	F(ZK_SLOT_BUCKET, struct zk_bucket_slot, id),
	F(ZK_SLOT_BUCKET, struct zk_bucket_slot, order),
#undef F
};

static size_t
add_items(struct item *it, size_t n, uint32_t kind, uint32_t slot)
{
	/* all zero, then every field alone at every edge value */
	memset(&it[n], 0, sizeof(it[n]));
	it[n].kind = kind;
	it[n++].slot = slot;
	for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
		if (fields[f].kind != kind)
			continue;
		for (size_t x = 0; x < 9; x++) {
			uint64_t val = fields[f].width == 8 ? edge64[x]
				       : x < 6 ? edge32[x] : 0;

			if (val == 0)
				continue;
			memset(&it[n], 0, sizeof(it[n]));
			it[n].kind = kind;
			it[n].slot = slot;
			memcpy(it[n].v.raw + fields[f].off, &val, fields[f].width);
			if (fields[f].width == 1 && val > 255)
				continue;
			n++;
		}
	}
	return n;
}

static void
test_encoding_injective(void **state)
{
	const uint32_t count[ZK_ST_KINDS + 1] = { 0, 1, 40, 20, 128 };
	struct zk_st_layout lay;
	struct item *it = calloc(2048, sizeof(*it));
	size_t n = 0;

	(void)state;
	assert_non_null(it);
	assert_int_equal(zk_st_layout_init(&lay, 0xffffffffu, 2, count), 0);
	for (uint32_t k = 1; k <= ZK_ST_KINDS; k++) {
		uint32_t slots[] = { 0, 1, lay.count[k] - 1 };

		for (size_t s = 0; s < 3; s++)
			if (slots[s] < lay.count[k] &&
			    (s == 0 || slots[s] > slots[s - 1]))
				n = add_items(it, n, k, slots[s]);
	}
	assert_true(n > 200 && n < 2048);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(zk_st_encode(&lay, it[i].kind, it[i].slot,
					      &it[i].v, it[i].enc), 0);
		for (size_t j = 0; j < ZK_ST_LEAF_ELEMS; j++)
			assert_true(zk_gl_is_canonical(it[i].enc[j]));
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			int same = it[i].kind == it[j].kind &&
				   it[i].slot == it[j].slot &&
				   memcmp(&it[i].v, &it[j].v, sizeof(it[i].v)) == 0;

			assert_false(same);
			assert_memory_not_equal(it[i].enc, it[j].enc,
						sizeof(it[i].enc));
		}
	/* padding has no encoding: the slot's own zero fields and the tail */
	for (uint32_t k = 1; k <= ZK_ST_KINDS; k++) {
		static const size_t pad[ZK_ST_KINDS + 1] = {
			0, offsetof(struct zk_book_header, zero),
			offsetof(struct zk_order_slot, zero),
			offsetof(struct zk_level_slot, zero),
			offsetof(struct zk_bucket_slot, zero),
		};
		union zk_slot_value v = { 0 };
		zk_gl enc[ZK_ST_LEAF_ELEMS];

		v.raw[pad[k]] = 1;
		assert_int_equal(zk_st_encode(&lay, k, 0, &v, enc), -1);
		v.raw[pad[k]] = 0;
		v.raw[63] = 1;
		if (k != ZK_SLOT_ORDER) /* an order fills all 64 bytes */
			assert_int_equal(zk_st_encode(&lay, k, 0, &v, enc), -1);
		assert_int_equal(zk_st_encode(&lay, k, lay.count[k], &(union zk_slot_value){ 0 }, enc), -1);
	}
	free(it);
}

static void
expect_witness_rejected(struct zk_st_tree *t, const struct zk_witness *w,
			struct zk_st_update *u, const uint8_t root[32])
{
	uint8_t now[32];

	assert_int_equal(zk_st_apply_witness(t, w, u), -1);
	assert_int_equal(errno, EINVAL);
	assert_non_null(u->error);
	zk_st_root(t, now);
	assert_memory_equal(now, root, 32);
}

static void
test_witness_rejected(void **state)
{
	struct zk_engine *e = engine_after(3, 200, 0, NULL);
	struct zk_st_tree *t = zk_st_create(e, 1, 2);
	struct zk_witness w = { 0 };
	struct zk_st_update u = { 0 };
	struct zk_witness_access saved;
	uint8_t root[32];
	size_t twice = SIZE_MAX, write = SIZE_MAX, first = SIZE_MAX;

	(void)state;
	assert_non_null(t);
	zk_st_root(t, root);
	zk_engine_destroy(e);
	/* the same stream, 20 ops further, with those ops' witness */
	e = engine_after(3, 220, 20, &w);
	for (size_t i = 0; i < w.len; i++) {
		if (w.acc[i].market != 1)
			continue;
		if (first == SIZE_MAX)
			first = i;
		if (w.acc[i].write && write == SIZE_MAX &&
		    memcmp(&w.acc[i].before, &w.acc[i].after,
			   sizeof(w.acc[i].before)) != 0)
			write = i;
		for (size_t j = 0; j < i && twice == SIZE_MAX; j++)
			if (w.acc[j].kind == w.acc[i].kind &&
			    w.acc[j].slot == w.acc[i].slot &&
			    w.acc[j].market == 1)
				twice = i;
	}
	assert_true(twice != SIZE_MAX && write != SIZE_MAX);

	w.acc[twice].before.raw[1] ^= 1; /* breaks the chain */
	expect_witness_rejected(t, &w, &u, root);
	w.acc[twice].before.raw[1] ^= 1;
	w.acc[write].write = 0; /* a read that changes the slot */
	expect_witness_rejected(t, &w, &u, root);
	w.acc[write].write = 1;
	w.acc[write].after.raw[63] = 1; /* padding */
	expect_witness_rejected(t, &w, &u, root);
	w.acc[write].after.raw[63] = 0;
	saved = w.acc[first];
	w.acc[first].slot = 1u << 20; /* no such slot */
	expect_witness_rejected(t, &w, &u, root);
	w.acc[first].kind = 9;
	expect_witness_rejected(t, &w, &u, root);
	w.acc[first] = saved;
	w.acc[first].before.raw[2] ^= 1; /* old value is not the tree's */
	w.acc[first].after.raw[2] ^= w.acc[first].write ? 0 : 1;
	expect_witness_rejected(t, &w, &u, root);
	w.acc[first] = saved;

	/* untouched by the rejections: the real witness still applies */
	assert_int_equal(zk_st_apply_witness(t, &w, &u), 0);
	assert_memory_equal(u.old_root, root, 32);
	zk_st_root(t, root);
	assert_rebuild_equal(e, 1, 2, root);
	/* and cannot be applied twice */
	assert_memory_not_equal(u.old_root, u.new_root, 32);
	expect_witness_rejected(t, &w, &u, root);
	zk_witness_free(&w);
	zk_st_update_free(&u);
	zk_st_destroy(t);
	zk_engine_destroy(e);
}

static void
test_other_market_skipped(void **state)
{
	struct zk_engine *e = zk_engine_create(small, N_MARKETS);
	struct zk_st_tree *t = zk_st_create(e, 1, 2);
	struct zk_witness w = { 0 };
	struct zk_event_buf ev = { 0 };
	struct zk_st_update u = { 0 };
	struct zk_op op = { .seq = 1, .type = ZK_OP_NEW, .order_id = 1,
			    .account = 1, .market = 7, .side = ZK_SIDE_BUY,
			    .ord_type = ZK_ORD_LIMIT, .tif = ZK_TIF_GTC,
			    .price = 100, .qty = 5 };

	(void)state;
	assert_non_null(t);
	zk_engine_set_witness(e, &w);
	assert_true(zk_engine_apply(e, &op, &ev) >= 1);
	assert_int_equal(zk_st_apply_witness(t, &w, &u), 0);
	assert_int_equal(u.accesses, 0);
	assert_int_equal(u.other_market, w.len);
	assert_int_equal(u.n_nodes, 0);
	assert_memory_equal(u.old_root, u.new_root, 32);
	assert_int_equal(zk_st_update_verify(zk_st_layout_get(t), &u, NULL), 0);
	/* an empty record cannot claim a root change */
	u.new_root[0] ^= 1;
	assert_int_equal(zk_st_update_verify(zk_st_layout_get(t), &u, NULL), -1);
	zk_event_buf_free(&ev);
	zk_witness_free(&w);
	zk_st_update_free(&u);
	zk_st_destroy(t);
	zk_engine_destroy(e);
}

/* The default configuration's markets (2^18-leaf trees) and traffic. */
/* The batched hashes give the one-at-a-time digests, every count and lane,
 * on every Poseidon2 batch path this CPU has. */
static void
test_old_value_exact(void **state)
{
	struct zk_engine *e = engine_after(3, 200, 0, NULL);
	struct zk_engine *fresh = zk_engine_create(small, N_MARKETS);
	struct zk_st_tree *t = zk_st_create(e, 1, 4);
	struct zk_witness_access a = { .market = 1, .kind = ZK_SLOT_ORDER };
	struct zk_witness w = { .acc = &a, .len = 1, .cap = 1 };
	struct zk_st_update u = { 0 };
	union zk_slot_value v, p;
	uint32_t filled = UINT32_MAX, empty = UINT32_MAX;
	uint8_t root[32];

	(void)state;
	assert_non_null(t);
	assert_non_null(fresh);
	zk_st_root(t, root);
	for (uint32_t sl = 0; sl < small[0].max_orders; sl++) {
		assert_int_equal(zk_engine_slot_get(e, 1, ZK_SLOT_ORDER, sl, &v), 0);
		if (zk_st_is_pristine(zk_st_layout_get(t), ZK_SLOT_ORDER, sl, &v))
			empty = empty == UINT32_MAX ? sl : empty;
		else
			filled = filled == UINT32_MAX ? sl : filled;
	}
	assert_true(filled != UINT32_MAX && empty != UINT32_MAX);
	assert_int_equal(zk_engine_slot_get(e, 1, ZK_SLOT_ORDER, filled, &v), 0);
	assert_int_equal(zk_engine_slot_get(fresh, 1, ZK_SLOT_ORDER, filled, &p), 0);
	a.slot = filled;
	a.before = a.after = p;
	expect_witness_rejected(t, &w, &u, root);
	assert_non_null(strstr(u.error, "differs from the tree"));
	a.slot = empty;
	a.before = a.after = v;
	expect_witness_rejected(t, &w, &u, root);
	a.before.raw[0] ^= 1; /* a neighbour of the true value */
	a.after = a.before;
	a.slot = filled;
	expect_witness_rejected(t, &w, &u, root);
	assert_non_null(strstr(u.error, "differs from the tree"));
	for (int k = 0; k < 2; k++) {
		a.slot = k ? empty : filled;
		assert_int_equal(zk_engine_slot_get(e, 1, ZK_SLOT_ORDER, a.slot,
						    &a.before), 0);
		a.after = a.before;
		assert_int_equal(zk_st_apply_witness(t, &w, &u), 0);
		assert_memory_equal(u.new_root, root, 32);
		assert_int_equal(u.leaf_hashes, 0);
	}
	zk_st_update_free(&u);
	zk_st_destroy(t);
	zk_engine_destroy(fresh);
	zk_engine_destroy(e);
}

static void
test_default_traffic(void **state)
{
	struct zk_config cfg;
	struct zk_gen_params gp;
	struct zk_batch_cfg bc = { .max_ops = 256, .witness = true };
	char err[256];
	const size_t n_ops = 3000;
	struct zk_op *ops = calloc(n_ops, sizeof(*ops));
	struct zk_engine *e;
	struct zk_batcher *b;
	struct zk_st_tree *t;
	struct zk_st_update u = { 0 };
	uint32_t market;

	(void)state;
	assert_non_null(ops);
	assert_int_equal(zk_config_load_default(&cfg, err, sizeof(err)), 0);
	assert_int_equal(zk_config_gen_params(&cfg, &gp, err, sizeof(err)), 0);
	assert_int_equal(zk_gen_ops(&gp, ops, n_ops, err, sizeof(err)), 0);
	market = cfg.markets[0].market;
	e = zk_engine_create(cfg.markets, cfg.n_markets);
	assert_non_null(e);
	b = zk_batcher_create(e, &bc);
	t = zk_st_create(e, market, 2);
	assert_non_null(b);
	assert_non_null(t);
	for (size_t i = 0; i <= n_ops; i++) {
		struct zk_batch *cut = NULL;

		if (i < n_ops)
			assert_int_equal(zk_batcher_push(b, &ops[i], 0, &cut), 0);
		else
			assert_int_equal(zk_batcher_flush(b, 0, &cut), 0);
		if (cut == NULL)
			continue;
		assert_int_equal(zk_st_apply_witness(t, &cut->witness, &u), 0);
		assert_int_equal(zk_st_update_verify(zk_st_layout_get(t), &u,
						     NULL), 0);
		zk_batch_free(cut);
	}
	{
		struct zk_st_tree *fresh = zk_st_create(e, market, 2);
		uint8_t a[32], c[32];

		assert_non_null(fresh);
		zk_st_root(t, a);
		zk_st_root(fresh, c);
		assert_memory_equal(a, c, 32);
		zk_st_destroy(fresh);
	}
	zk_st_update_free(&u);
	zk_st_destroy(t);
	zk_batcher_destroy(b);
	zk_engine_destroy(e);
	free(ops);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_fresh_engine_is_empty),
		cmocka_unit_test(test_batches_binary),
		cmocka_unit_test(test_batches_quad),
		cmocka_unit_test(test_record_tamper),
		cmocka_unit_test(test_membership),
		cmocka_unit_test(test_encoding_injective),
		cmocka_unit_test(test_witness_rejected),
		cmocka_unit_test(test_other_market_skipped),
		cmocka_unit_test(test_old_value_exact),
		cmocka_unit_test(test_default_traffic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
