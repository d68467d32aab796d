/* SPDX-License-Identifier: MIT */
/*
 * Shared by the tests of the CLOB AIR's optional evaluators (the
 * four-row eval_main_x4, test_clob_x4.c; the base-field eval_aux_base,
 * test_clob_aux_base.c): a batch's air and main trace as zk_clob_prove
 * makes them, a warm-up book, and the check that a proof is the same
 * bytes with and without the optional evaluator, while a wrong one's
 * proof does not verify.
 */
#ifndef ZKCLOB_TESTS_CLOB_EVAL_TRACE_H
#define ZKCLOB_TESTS_CLOB_EVAL_TRACE_H

#include "clob_test_prove.h"

/* Field edge values and the random stream the evaluators' row tests draw
 * from. */
static const zk_gl edges[] = {
	0, 1, 2, ZK_GL_P - 1, ZK_GL_P - 2, (1ull << 32) - 1, 1ull << 32,
	(1ull << 32) + 1, ZK_GL_EPSILON, 1ull << 63, ZK_GL_P >> 1,
};
#define N_EDGES (sizeof(edges) / sizeof(edges[0]))

static inline uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* The air reads the batch's ops and events, so the trace keeps the batch. */
struct clob_eval_trace {
	struct zk_batch *b;
	struct zk_statement st;
	struct zk_clob_air air;
	zk_gl **cols;
	unsigned log_n;
};

static inline void clob_eval_trace_make(struct clob_rig *r, struct zk_batch *b,
					int machinery,
					struct clob_eval_trace *t)
{
	struct zk_st_update u = { 0 };
	char err[ERRLEN];

	assert_non_null(b);
	memset(t, 0, sizeof(*t));
	t->b = b;
	assert_int_equal(zk_st_apply_witness(r->t, &b->witness, &u), 0);
	t->st = (struct zk_statement){
		.market = clob_test_market.market,
		.params_id = ZK_CLOB_PARAMS_ID(FAST),
		.batch_seq = b->batch_seq,
	};
	memcpy(t->st.old_root, u.old_root, 32);
	memcpy(t->st.new_root, u.new_root, 32);
	restate(&t->st, b->ops, b->n_ops, b->events.ev, b->events.len);
	assert_int_equal(zk_clob_air_init(&t->air, zk_st_layout_get(r->t),
					  &clob_test_market, &t->st, b->ops,
					  b->n_ops, b->events.ev,
					  b->events.len, machinery, err,
					  sizeof(err)),
			 0);
	assert_int_equal(zk_clob_trace_build(&t->air, b, &u, 1, &t->cols,
					     &t->log_n, err, sizeof(err)),
			 0);
	zk_st_update_free(&u);
}

static inline void clob_eval_trace_free(struct clob_eval_trace *t)
{
	zk_clob_trace_free(t->cols);
	zk_batch_free(t->b);
}

/* A first batch (not traced: op 17 is one the prover refuses) builds a
 * book, so the next ones have history, as test_clob_tree does. */
static inline void clob_eval_warm_book(struct clob_rig *r)
{
	struct zk_batch *warm = book_batch(r, 0, 20);
	struct zk_st_update u = { 0 };

	assert_non_null(warm);
	assert_int_equal(zk_st_apply_witness(r->t, &warm->witness, &u), 0);
	zk_st_update_free(&u);
	zk_batch_free(warm);
}

/* What clob_eval_same_bytes puts in the optional evaluator's slot. */
enum clob_eval_use { CLOB_EVAL_NONE, CLOB_EVAL_REAL, CLOB_EVAL_WRONG };

/*
 * t's trace through zk_stark_prove with the evaluator use() installs as
 * CLOB_EVAL_REAL, then none: the same bytes, which verify; then
 * CLOB_EVAL_WRONG (the prover's debug check off): a proof, which must not.
 */
static inline void clob_eval_same_bytes(struct clob_eval_trace *t,
					void (*use)(struct zk_air *air,
						    enum clob_eval_use which))
{
	const struct zk_stark_params *p = zk_stark_params_by_id(FAST);
	struct zk_prove_opts po = { .threads = 2 };
	uint8_t *proof[3] = { NULL, NULL, NULL };
	size_t len[3] = { 0, 0, 0 };
	static const enum clob_eval_use order[3] = {
		CLOB_EVAL_REAL, CLOB_EVAL_NONE, CLOB_EVAL_WRONG
	};
	char err[ERRLEN] = "";

	for (unsigned i = 0; i < 3; i++) {
		use(&t->air.air, order[i]);
		assert_int_equal(zk_stark_prove(&t->air.air, p,
						(const zk_gl *const *)t->cols,
						t->log_n, &po, &proof[i],
						&len[i], err, sizeof(err)),
				 ZK_STARK_ACCEPT);
	}
	use(&t->air.air, CLOB_EVAL_REAL);
	assert_int_equal(len[0], len[1]);
	assert_memory_equal(proof[0], proof[1], len[0]);
	assert_int_equal(verify(&t->st, t->b->ops, t->b->n_ops,
				t->b->events.ev, t->b->events.len, proof[0],
				len[0]),
			 0);
	assert_int_not_equal(verify(&t->st, t->b->ops, t->b->n_ops,
				    t->b->events.ev, t->b->events.len,
				    proof[2], len[2]),
			     0);
	for (unsigned i = 0; i < 3; i++)
		free(proof[i]);
}

/*
 * The library path: a committed batch proven with the evaluator switched
 * on and off (enable, process-wide) gives the same bytes, which verify;
 * an air zk_clob_air_init makes with it off has none, with it on the
 * real one (installed() reads the air's slot: CLOB_EVAL_NONE, _REAL or
 * _WRONG for anything else).
 */
static inline void
clob_eval_library_same_bytes(struct clob_rig *r, void (*enable)(int on),
			     enum clob_eval_use (*installed)(const struct zk_air *air))
{
	struct zk_clob_prove_opts o = { .market = &clob_test_market,
					.stark_params = FAST, .threads = 2 };
	struct zk_batch *b = book_batch(r, 20, 24), cb;
	struct zk_st_update u = { 0 };
	struct zk_statement st;
	struct zk_clob_air *air = malloc(sizeof(*air));
	uint8_t *proof[2] = { NULL, NULL };
	size_t len[2] = { 0, 0 };
	char err[ERRLEN] = "";

	assert_non_null(b);
	assert_non_null(air);
	cb = *b;
	assert_int_equal(zk_clob_commit(&cb, r->t, &u, &st, err, sizeof(err)),
			 0);
	for (int on = 1; on >= 0; on--) {
		enable(on);
		assert_int_equal(zk_clob_prove_committed(&cb, &o, &st,
							 &proof[on], &len[on],
							 err, sizeof(err)),
				 0);
	}
	enable(1);
	assert_int_equal(len[0], len[1]);
	assert_memory_equal(proof[0], proof[1], len[0]);
	assert_int_equal(verify(&st, b->ops, b->n_ops, b->events.ev,
				b->events.len, proof[1], len[1]),
			 0);
	for (int on = 0; on <= 1; on++) {
		enable(on);
		assert_int_equal(zk_clob_air_init(air, zk_st_layout_get(r->t),
						  &clob_test_market, &st,
						  b->ops, b->n_ops,
						  b->events.ev, b->events.len,
						  0, err, sizeof(err)),
				 0);
		assert_int_equal(installed(&air->air),
				 on ? CLOB_EVAL_REAL : CLOB_EVAL_NONE);
	}
	free(proof[0]);
	free(proof[1]);
	free(air);
	zk_st_update_free(&u);
	zk_batch_free(b);
}

#endif
