/* SPDX-License-Identifier: MIT */
/*
 * The zkVM guest from a PROVE witness (guest input v2, docs/zkvm.md)
 * against the appliance's own commit: generated traffic runs through the
 * batcher with the witness on, every batch is split by market and
 * committed to that market's state tree (zk_clob_commit, arity 4, as the
 * daemon does), its guest input is built by zk_zkvm_input_encode, and the
 * guest (zkclob-zkvm-exec --witness, the same code the SP1 / ZisK guests
 * run) must commit exactly zk_clob_commit's statement: both roots, both
 * digests, first/last seq, then the market's parameter record.
 *
 * The one expected refusal: a BOOK_FULL reject when the level table is
 * full and no level sits at the price. The engine decides it from its
 * price index and reads no level, so the witness holds nothing that proves
 * the level absent (the CLOB AIR refuses the same batches, docs/proof.md);
 * the guest says LevelGapNotProven and such batches are counted.
 *
 * Tamper cases on real inputs, every TAMPER_EVERY-th batch: a wrong
 * before-value, a wrong sibling digest, a touched slot dropped (its digest
 * given as a sibling, so the paths still reach old_root), two ops
 * swapped. Each must be refused.
 *
 * Exits 77 (skipped) when ZKCLOB_ZKVM_EXEC is unset (no cargo).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "zkclob/batch.h"
#include "zkclob/be.h"
#include "zkclob/clobproof.h"
#include "zkclob/engine.h"
#include "zkclob/event.h"
#include "zkclob/statetree.h"
#include "zkvm_input.h"
#include "zkvm_traffic.h"

#define ARITY 4
#define MAX_PARTS 8
#define TAMPER_EVERY 7
#define FLUSH_BYTES (8u << 20)
#define PARAMS_ID 0x5a4b0002u

enum want_kind { HONEST, T_BEFORE, T_SIBLING, T_DROP, T_SWAP, N_KINDS };

static const char *const kind_name[N_KINDS] = {
	"honest", "wrong before-value", "wrong sibling", "dropped slot",
	"swapped ops",
};

struct want {
	enum want_kind kind;
	int book_full; /* the batch holds a BOOK_FULL reject */
	uint32_t market;
	uint64_t batch_seq;
	uint8_t st[ZK_STATEMENT_WIRE_SIZE];
	uint8_t market_rec[56]; /* what the guest must commit after it */
};

struct run {
	const struct scenario *sc;
	struct buf in;
	struct want *w;
	size_t n_w, cap_w;
	uint64_t accepted, declined, tampered, tampers_made, drops_unneeded;
	uint64_t slots, ops;
};

static const char *exec_path;
static char workdir[] = "/tmp/zkvm-wit-XXXXXX";

static void
add_input(struct run *r, const uint8_t *p, size_t n, enum want_kind kind,
	  int book_full, const struct zk_statement *st)
{
	struct want *w;

	if (r->n_w == r->cap_w) {
		r->cap_w = r->cap_w ? 2 * r->cap_w : 64;
		r->w = realloc(r->w, r->cap_w * sizeof(*r->w));
		assert_non_null(r->w);
	}
	w = &r->w[r->n_w++];
	w->kind = kind;
	r->tampers_made += kind != HONEST;
	w->book_full = book_full;
	w->market = st->market;
	w->batch_seq = st->batch_seq;
	zk_statement_encode(st, w->st);
	memcpy(w->market_rec, p + 8 + ZK_STATEMENT_WIRE_SIZE, 56);
	buf_u32(&r->in, (uint32_t)n);
	buf_put(&r->in, p, n);
}

/* Runs the guest over the pending inputs and checks every verdict. */
static void
flush(struct run *r)
{
	char in[64], out[64];
	size_t len, at = 0;
	uint8_t *o;

	if (r->n_w == 0)
		return;
	snprintf(in, sizeof(in), "%s/in.bin", workdir);
	snprintf(out, sizeof(out), "%s/out.bin", workdir);
	write_file(in, &r->in);
	assert_int_equal(run_exec(exec_path, "--witness", in, out), 0);
	o = read_file(out, &len);
	for (size_t i = 0; i < r->n_w; i++) {
		const struct want *w = &r->w[i];
		char why[256] = "";

		assert_true(at < len);
		if (o[at] == 0) {
			assert_true(at + 1 + ZK_STATEMENT_WIRE_SIZE + 56 <= len);
			/* A level-table BOOK_FULL makes the engine read the level
			 * its index names at the price even when it is of the
			 * other side; the gap proof needs only this side's
			 * levels, so dropping that read changes nothing. Such a
			 * drop may pass, with the honest statement (checked
			 * below); any other tamper must not. */
			if (w->kind == T_DROP && w->book_full)
				r->drops_unneeded++;
			else if (w->kind != HONEST)
				fail_msg("%s market %u batch %llu: %s accepted",
					 r->sc->name, w->market,
					 (unsigned long long)w->batch_seq,
					 kind_name[w->kind]);
			if (memcmp(o + at + 1, w->st, ZK_STATEMENT_WIRE_SIZE))
				fail_msg("%s market %u batch %llu: the guest's statement differs",
					 r->sc->name, w->market,
					 (unsigned long long)w->batch_seq);
			/* the market's rules, committed after the statement */
			assert_memory_equal(o + at + 1 + ZK_STATEMENT_WIRE_SIZE,
					    w->market_rec, 56);
			r->accepted += w->kind == HONEST;
			at += 1 + ZK_STATEMENT_WIRE_SIZE + 56;
			continue;
		}
		assert_int_equal(o[at], 1);
		assert_true(at + 3 <= len);
		{
			size_t n = (size_t)get_be(o + at + 1, 2);

			assert_true(at + 3 + n <= len);
			memcpy(why, o + at + 3, n < sizeof(why) - 1 ? n : sizeof(why) - 1);
			at += 3 + n;
		}
		if (w->kind != HONEST) {
			r->tampered++;
			continue;
		}
		if (!w->book_full || strstr(why, "LevelGapNotProven") == NULL)
			fail_msg("%s market %u batch %llu: honest input refused: %s",
				 r->sc->name, w->market,
				 (unsigned long long)w->batch_seq, why);
		r->declined++;
	}
	assert_int_equal(at, len);
	free(o);
	r->in.len = 0;
	r->n_w = 0;
}

/* Offsets inside a guest input (docs/zkvm.md). */
static size_t
leaves_at(const uint8_t *p)
{
	return ZK_ZKVM_INPUT_HEAD + (size_t)zk_be32(p + 228) * ZK_OP_WIRE_SIZE;
}

static size_t
siblings_at(const uint8_t *p)
{
	return leaves_at(p) + (size_t)zk_be32(p + 232) * ZK_ZKVM_INPUT_LEAF;
}

/*
 * Leaf k dropped, its digest under old_root inserted as a level-0 sibling
 * in (level, index) order: the paths still give old_root, so only the
 * re-execution can notice. Returns the new length (the buffer is n + 48).
 */
static size_t
drop_leaf(uint8_t *p, size_t n, uint32_t k, const struct zk_st_layout *lay)
{
	size_t lf = leaves_at(p) + (size_t)k * ZK_ZKVM_INPUT_LEAF;
	uint32_t kind = zk_be32(p + lf), slot = zk_be32(p + lf + 4);
	union zk_slot_value v;
	uint8_t sib[ZK_ZKVM_INPUT_SIBLING] = { 0 };
	zk_gl h[ZK_ST_DIGEST_ELEMS];
	uint64_t pos;
	size_t s, end;

	memcpy(v.raw, p + lf + 8, 64);
	assert_int_equal(zk_st_leaf_index(lay, kind, slot, &pos), 0);
	assert_int_equal(zk_st_leaf_hash(lay, kind, slot, &v, h), 0);
	zk_put_be64(sib + 8, pos);
	for (int j = 0; j < ZK_ST_DIGEST_ELEMS; j++)
		zk_put_be64(sib + 16 + 8 * j, h[j]);
	memmove(p + lf, p + lf + ZK_ZKVM_INPUT_LEAF,
		n - lf - ZK_ZKVM_INPUT_LEAF);
	n -= ZK_ZKVM_INPUT_LEAF;
	zk_put_be32(p + 232, zk_be32(p + 232) - 1);
	end = n;
	for (s = siblings_at(p); s < end; s += ZK_ZKVM_INPUT_SIBLING)
		if (zk_be32(p + s) != 0 || zk_be64(p + s + 8) > pos)
			break;
	memmove(p + s + ZK_ZKVM_INPUT_SIBLING, p + s, end - s);
	memcpy(p + s, sib, ZK_ZKVM_INPUT_SIBLING);
	zk_put_be32(p + 236, zk_be32(p + 236) + 1);
	return n + ZK_ZKVM_INPUT_SIBLING;
}

static int
book_full(const struct zk_batch *part)
{
	for (size_t i = 0; i < part->events.len; i++)
		if (part->events.ev[i].type == ZK_EV_REJECTED &&
		    part->events.ev[i].reason == ZK_REJ_BOOK_FULL)
			return 1;
	return 0;
}

static void
add_tampered(struct run *r, const uint8_t *good, size_t n,
	     const struct zk_batch *part, const struct zk_statement *st)
{
	uint8_t *t = malloc(n + ZK_ZKVM_INPUT_SIBLING);
	uint32_t n_ops = zk_be32(good + 228);
	uint32_t n_leaves = zk_be32(good + 232);
	uint32_t n_sib = zk_be32(good + 236);

	assert_non_null(t);
	if (n_leaves > 0) {
		memcpy(t, good, n);
		t[leaves_at(t) + 8] ^= 1; /* the value's first field */
		add_input(r, t, n, T_BEFORE, 0, st);
		memcpy(t, good, n);
		add_input(r, t, drop_leaf(t, n, n_leaves / 2, part->tree_layout),
			  T_DROP, book_full(part), st);
	}
	if (n_sib > 0) {
		memcpy(t, good, n);
		t[siblings_at(t) + 23] ^= 1; /* first element, low bit */
		add_input(r, t, n, T_SIBLING, 0, st);
	}
	if (n_ops > 1) {
		uint8_t op[ZK_OP_WIRE_SIZE];
		size_t a = ZK_ZKVM_INPUT_HEAD;

		memcpy(t, good, n);
		memcpy(op, t + a, sizeof(op));
		memcpy(t + a, t + a + ZK_OP_WIRE_SIZE, sizeof(op));
		memcpy(t + a + ZK_OP_WIRE_SIZE, op, sizeof(op));
		add_input(r, t, n, T_SWAP, 0, st);
	}
	free(t);
}

struct market_state {
	struct zk_st_tree *tree;
	struct zk_st_update upd;
	uint64_t batch_seq;
};

static void
commit_cut(struct run *r, struct zk_batch *cut,
	   const struct zk_market_params *p, size_t n_mk,
	   struct market_state *ms, uint64_t *n_batches)
{
	struct zk_batch *parts[MAX_PARTS];
	long np = zk_batch_split_by_market(cut, parts, MAX_PARTS);

	assert_true(np >= 1);
	for (long k = 0; k < np; k++) {
		struct zk_batch *part = parts[k];
		struct zk_statement st;
		char err[160];
		size_t mi, n;
		uint8_t *g;

		for (mi = 0; mi < n_mk && p[mi].market != part->ops[0].market;
		     mi++)
			;
		if (mi == n_mk) { /* an unknown market's ops: no book */
			zk_batch_free(part);
			continue;
		}
		part->batch_seq = ++ms[mi].batch_seq;
		if (zk_clob_commit(part, ms[mi].tree, &ms[mi].upd, &st, err,
				   sizeof(err)) != ZK_CLOB_OK)
			fail_msg("%s: commit: %s", r->sc->name, err);
		st.params_id = PARAMS_ID;
		n = zk_zkvm_input_size(part);
		assert_true(n >= ZK_ZKVM_INPUT_HEAD);
		g = malloc(n);
		assert_non_null(g);
		assert_int_equal(zk_zkvm_input_encode(&st, &p[mi], part, g, n), n);
		add_input(r, g, n, HONEST, book_full(part), &st);
		r->slots += ms[mi].upd.n_leaves;
		r->ops += part->n_ops;
		if (++*n_batches % TAMPER_EVERY == 0)
			add_tampered(r, g, n, part, &st);
		free(g);
		zk_batch_free(part);
		if (r->in.len > FLUSH_BYTES)
			flush(r);
	}
	zk_batch_free(cut);
}

static void
test_witness_scenario(void **state)
{
	const struct scenario *sc = *state;
	struct zk_market_params p[MAX_MARKETS];
	struct zk_gen_params gp;
	size_t n_mk = make_params(sc, p, &gp);
	struct zk_op *ops = make_ops(sc, &gp);
	struct zk_engine *e = zk_engine_create(p, n_mk);
	struct zk_batch_cfg cfg = { .max_ops = sc->batch_ops, .witness = true };
	struct market_state ms[MAX_MARKETS];
	struct run r = { .sc = sc };
	struct zk_batcher *bat;
	uint64_t n_batches = 0;

	assert_non_null(e);
	memset(ms, 0, sizeof(ms));
	for (size_t i = 0; i < n_mk; i++) {
		ms[i].tree = zk_st_create(e, p[i].market, ARITY);
		assert_non_null(ms[i].tree);
	}
	bat = zk_batcher_create(e, &cfg);
	assert_non_null(bat);
	for (size_t i = 0; i < sc->n_ops;) {
		size_t used;
		struct zk_batch *cut;

		assert_int_equal(zk_batcher_push_burst(bat, &ops[i],
						       sc->n_ops - i, 0, &used,
						       &cut), 0);
		i += used;
		if (cut != NULL)
			commit_cut(&r, cut, p, n_mk, ms, &n_batches);
	}
	{
		struct zk_batch *cut;

		assert_int_equal(zk_batcher_flush(bat, 0, &cut), 0);
		if (cut != NULL)
			commit_cut(&r, cut, p, n_mk, ms, &n_batches);
	}
	flush(&r);
	print_message("%s: %llu market batches (%llu ops, %.1f touched slots/op): "
		      "%llu statements identical, %llu declined (level-table "
		      "BOOK_FULL), %llu tampered inputs refused, %llu drops of an "
		      "unneeded other-side level read passed\n",
		      sc->name, (unsigned long long)n_batches,
		      (unsigned long long)r.ops,
		      r.ops ? (double)r.slots / (double)r.ops : 0.0,
		      (unsigned long long)r.accepted,
		      (unsigned long long)r.declined,
		      (unsigned long long)r.tampered,
		      (unsigned long long)r.drops_unneeded);
	/* A run whose guests refuse most honest batches proves little. */
	assert_true(r.accepted * 10 >= n_batches * 9);
	assert_true(r.tampers_made > 0);
	assert_int_equal(r.tampered + r.drops_unneeded, r.tampers_made);
	for (size_t i = 0; i < n_mk; i++) {
		zk_st_update_free(&ms[i].upd);
		zk_st_destroy(ms[i].tree);
	}
	free(r.in.p);
	free(r.w);
	zk_batcher_destroy(bat);
	zk_engine_destroy(e);
	free(ops);
}

static const struct scenario scenarios[] = {
	{ "witness-realistic-1", 1, 0, 20000, 256, ZK_STP_CANCEL_NEWEST, 4096, 2048 },
	{ "witness-realistic-full", 3, 0, 20000, 64, ZK_STP_CANCEL_BOTH, 1100, 760 },
	{ "witness-adversarial-1", 11, 1, 20000, 256, 0, 0, 0 },
	{ "witness-adversarial-2", 12, 1, 10000, 37, 0, 0, 0 },
	{ "witness-adversarial-3", 13, 1, 3000, 1, 0, 0, 0 },
};

int
main(void)
{
	struct CMUnitTest tests[sizeof(scenarios) / sizeof(scenarios[0])];
	size_t n = 0;
	int rc;

	exec_path = getenv("ZKCLOB_ZKVM_EXEC");
	if (exec_path == NULL || access(exec_path, X_OK) != 0) {
		fprintf(stderr, "zkvm_witness: ZKCLOB_ZKVM_EXEC not set or not "
				"executable (cargo not installed?): skipped\n");
		return 77;
	}
	if (mkdtemp(workdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		tests[n] = (struct CMUnitTest)cmocka_unit_test_prestate(
			test_witness_scenario, (void *)&scenarios[i]);
		tests[n++].name = scenarios[i].name;
	}
	rc = _cmocka_run_group_tests("zkvm_witness", tests, n, NULL, NULL);
	{
		char path[96];

		snprintf(path, sizeof(path), "%s/in.bin", workdir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/out.bin", workdir);
		unlink(path);
		rmdir(workdir);
	}
	return rc;
}
