/* SPDX-License-Identifier: MIT */
/*
 * The CLOB AIR's four-row evaluator (clob_air_x4.c, the constraint body
 * over four AVX2 lanes) against the row-by-row one, constraint by
 * constraint: the lane arithmetic on edge values, random rows, every row
 * of honest traces (full AIR and machinery variant), the debugger naming
 * a wrong evaluator, and proofs made with and without it. Skipped where
 * the build or the CPU has no AVX2 (the prover then evaluates row by row).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clob_air.h"
#include "clob_eval_trace.h"
#if defined(__x86_64__)
#include "field_x4.h"
#endif

/* The tile stride the prover uses (prover_quotient.c COMP_ROWS): the
 * evaluator must honour the stride, not assume four. */
#define TILE 32

/* a field element: an edge value one time in four, else uniform */
static zk_gl test_gl(uint64_t *x)
{
	uint64_t z = splitmix(x);

	if ((z & 3) == 0)
		return edges[(z >> 2) % N_EDGES];
	return zk_gl_from_u64(z);
}

static zk_air_eval_x4_fn x4_or_skip(void)
{
	zk_air_eval_x4_fn f = zk_clob_air_eval_x4();

	if (f == NULL) {
		print_message("no AVX2 eval_main_x4 here: nothing to compare\n");
		skip();
	}
	return f;
}

#if defined(__x86_64__)
/* Lane l of every zk_gl4 operation against the scalar one; the lanes hold
 * different values so a lane mix-up shows. Non-canonical words (p, 2^64 -
 * 1) are in too: the claim is bit-for-bit equality for any word. */
__attribute__((target("avx2"))) static void
field_lanes(const zk_gl *a, const zk_gl *b, zk_gl c)
{
	zk_gl4 va = _mm256_loadu_si256((const __m256i *)a);
	zk_gl4 vb = _mm256_loadu_si256((const __m256i *)b);
	zk_gl r[7][4];

	_mm256_storeu_si256((__m256i *)r[0], zk_gl4_add(va, vb));
	_mm256_storeu_si256((__m256i *)r[1], zk_gl4_sub(va, vb));
	_mm256_storeu_si256((__m256i *)r[2], zk_gl4_mul(va, vb));
	_mm256_storeu_si256((__m256i *)r[3], zk_gl4_sqr(va));
	_mm256_storeu_si256((__m256i *)r[4], zk_gl4_neg(va));
	_mm256_storeu_si256((__m256i *)r[5], zk_gl4_double(va));
	_mm256_storeu_si256((__m256i *)r[6], zk_gl4_mul_const(va, c));
	for (unsigned l = 0; l < 4; l++) {
		assert_int_equal(r[0][l], zk_gl_add(a[l], b[l]));
		assert_int_equal(r[1][l], zk_gl_sub(a[l], b[l]));
		assert_int_equal(r[2][l], zk_gl_mul(a[l], b[l]));
		assert_int_equal(r[3][l], zk_gl_sqr(a[l]));
		assert_int_equal(r[4][l], zk_gl_neg(a[l]));
		assert_int_equal(r[5][l], zk_gl_add(a[l], a[l]));
		assert_int_equal(r[6][l], zk_gl_mul(a[l], c));
	}
}
#endif

static void test_x4_field(void **state)
{
	(void)state;
	(void)x4_or_skip();
#if defined(__x86_64__)
	zk_gl vals[N_EDGES + 2 + 48];
	size_t n = 0;
	uint64_t rng = 0x5eed;

	for (size_t i = 0; i < N_EDGES; i++)
		vals[n++] = edges[i];
	vals[n++] = ZK_GL_P;      /* non-canonical */
	vals[n++] = UINT64_MAX;   /* non-canonical */
	while (n < sizeof(vals) / sizeof(vals[0]))
		vals[n++] = splitmix(&rng) >> (splitmix(&rng) & 32);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			zk_gl a[4] = { vals[i], vals[j], vals[(i + j) % n],
				       vals[(3 * i + 1) % n] };
			zk_gl b[4] = { vals[j], vals[i], vals[(i * j) % n],
				       vals[(j + 7) % n] };

			/* constants below 2^32 and above take different paths */
			field_lanes(a, b, vals[j]);
			field_lanes(a, b, (uint32_t)vals[j]);
		}
#endif
}

/* Rows cur[c·TILE + r], nxt likewise (r < 4, at offset `at` of the tile)
 * through both evaluators; every constraint of every lane must agree. */
static void compare_tile(const struct zk_clob_air *c, zk_air_eval_x4_fn x4,
			 const zk_gl *tcur, const zk_gl *tnxt, size_t at,
			 const char *what, size_t row0)
{
	size_t mw = CLOB_WIDTH, nmc = c->air.n_main_constraints;
	zk_gl *out4 = malloc(4 * nmc * sizeof(zk_gl));
	zk_gl *row = malloc((2 * mw + nmc) * sizeof(zk_gl));

	assert_non_null(out4);
	assert_non_null(row);
	x4(c, tcur + at, tnxt + at, TILE, NULL, out4);
	for (size_t r = 0; r < 4; r++) {
		for (size_t col = 0; col < mw; col++) {
			row[col] = tcur[col * TILE + at + r];
			row[mw + col] = tnxt[col * TILE + at + r];
		}
		c->air.eval_main(c, row, row + mw, NULL, row + 2 * mw);
		for (size_t k = 0; k < nmc; k++)
			if (out4[4 * k + r] != row[2 * mw + k])
				fail_msg("%s row %zu: constraint %zu: x4 %llu, "
					 "row by row %llu", what, row0 + r, k,
					 (unsigned long long)out4[4 * k + r],
					 (unsigned long long)row[2 * mw + k]);
	}
	free(out4);
	free(row);
}

static void test_x4_rows(void **state)
{
	zk_air_eval_x4_fn x4 = x4_or_skip();
	struct clob_rig r;
	struct clob_eval_trace t[2];
	zk_gl *tile = malloc(2 * CLOB_WIDTH * TILE * sizeof(zk_gl));
	uint64_t rng = 0x1234;

	(void)state;
	assert_non_null(tile);
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	clob_eval_trace_make(&r, malformed_batch(&r, 6), 0, &t[0]);
	clob_eval_trace_make(&r, malformed_batch(&r, 6), 1, &t[1]);
	for (unsigned m = 0; m < 2; m++)
		for (unsigned trial = 0; trial < 48; trial++) {
			/* a third of the trials: cells from {0, 1} only, so
			 * the selector-guarded constraints see live selectors */
			int bits = trial % 3 == 0;

			for (size_t k = 0; k < 2 * CLOB_WIDTH * TILE; k++)
				tile[k] = bits ? splitmix(&rng) & 1 :
						 test_gl(&rng);
			compare_tile(&t[m].air, x4, tile,
				     tile + CLOB_WIDTH * TILE, 4 * (trial % 8),
				     m ? "random (machinery)" : "random",
				     trial);
		}
	/* every cell an edge value, neighbouring cells and lanes different */
	for (size_t e = 0; e < N_EDGES; e++) {
		for (size_t k = 0; k < 2 * CLOB_WIDTH * TILE; k++)
			tile[k] = edges[(e + k) % N_EDGES];
		compare_tile(&t[0].air, x4, tile, tile + CLOB_WIDTH * TILE,
			     0, "edge", e);
	}
	for (unsigned m = 0; m < 2; m++)
		clob_eval_trace_free(&t[m]);
	clob_rig_fini(&r);
	free(tile);
}

/* Every row of the trace in every lane position: tiles of four rows at
 * each start (wrapping), their next rows as the prover takes them. */
static void compare_trace(const struct clob_eval_trace *t, zk_air_eval_x4_fn x4,
			  const char *what)
{
	size_t n = (size_t)1 << t->log_n;
	zk_gl *tile = malloc(2 * CLOB_WIDTH * TILE * sizeof(zk_gl));

	assert_non_null(tile);
	for (size_t i = 0; i < n; i++) {
		for (size_t c = 0; c < CLOB_WIDTH; c++)
			for (size_t r = 0; r < 4; r++) {
				tile[c * TILE + r] = t->cols[c][(i + r) % n];
				tile[(CLOB_WIDTH + c) * TILE + r] =
					t->cols[c][(i + r + 1) % n];
			}
		compare_tile(&t->air, x4, tile, tile + CLOB_WIDTH * TILE, 0,
			     what, i);
	}
	print_message("%s: %zu rows, %u constraints each, all equal\n", what,
		      n, t->air.air.n_main_constraints);
	free(tile);
}

static void test_x4_traces(void **state)
{
	zk_air_eval_x4_fn x4 = x4_or_skip();
	struct clob_rig r;
	struct clob_eval_trace t;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	/* malformed ops and market-rule rejects */
	clob_eval_trace_make(&r, malformed_batch(&r, 12), 0, &t);
	compare_trace(&t, x4, "malformed");
	clob_eval_trace_free(&t);
	/* resting orders, cancels and crossing NEWs on a book with history */
	clob_eval_warm_book(&r);
	clob_eval_trace_make(&r, book_batch(&r, 20, 24), 0, &t);
	compare_trace(&t, x4, "book");
	clob_eval_trace_free(&t);
	/* the same kind of traffic through the machinery variant */
	clob_eval_trace_make(&r, book_batch(&r, 47, 12), 1, &t);
	compare_trace(&t, x4, "book (machinery)");
	clob_eval_trace_free(&t);
	clob_rig_fini(&r);
}

/* The real evaluator, and one wrong in a single value: constraint 2000
 * (past the hash, in the op rules) of lane 2. */
static zk_air_eval_x4_fn real_x4;

static void wrong_x4(const void *ctx, const zk_gl *cur, const zk_gl *nxt,
		     size_t stride, const zk_gl *periodic, zk_gl *out)
{
	real_x4(ctx, cur, nxt, stride, periodic, out);
	out[4 * 2000 + 2] = zk_gl_add(out[4 * 2000 + 2], 1);
}

static void use_x4(struct zk_air *air, enum clob_eval_use which)
{
	air->eval_main_x4 = which == CLOB_EVAL_REAL ? real_x4 :
			    which == CLOB_EVAL_WRONG ? wrong_x4 : NULL;
}

static enum clob_eval_use x4_slot(const struct zk_air *air)
{
	if (air->eval_main_x4 == NULL)
		return CLOB_EVAL_NONE;
	return air->eval_main_x4 == real_x4 ? CLOB_EVAL_REAL : CLOB_EVAL_WRONG;
}

static void test_x4_debug(void **state)
{
	struct clob_rig r;
	struct clob_eval_trace t;
	char err[ERRLEN] = "";

	(void)state;
	real_x4 = x4_or_skip();
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	clob_eval_warm_book(&r);
	clob_eval_trace_make(&r, book_batch(&r, 20, 24), 0, &t);
	assert_true(t.air.air.n_main_constraints > 2000);
	t.air.air.eval_main_x4 = real_x4;
	assert_int_equal(zk_stark_debug_check(&t.air.air,
					      (const zk_gl *const *)t.cols,
					      t.log_n, 42, err, sizeof(err)),
			 0);
	t.air.air.eval_main_x4 = wrong_x4;
	assert_int_equal(zk_stark_debug_check(&t.air.air,
					      (const zk_gl *const *)t.cols,
					      t.log_n, 42, err, sizeof(err)),
			 ZK_STARK_ETRACE);
	print_message("debugger: %s\n", err);
	assert_non_null(strstr(err, "eval_main and eval_main_x4 disagree"));
	assert_non_null(strstr(err, "constraint 2000"));
	clob_eval_trace_free(&t);
	clob_rig_fini(&r);
}

/*
 * The prover takes the evaluator from zk_clob_air_init: a proof made with
 * it is byte for byte the one made row by row (the library path, both
 * ways of the switch, and the STARK call on the same trace), and one made
 * with a wrong evaluator does not verify.
 */
static void test_x4_proof(void **state)
{
	struct clob_rig r;
	struct clob_eval_trace t;

	(void)state;
	real_x4 = x4_or_skip();
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	clob_eval_warm_book(&r);
	clob_eval_library_same_bytes(&r, zk_clob_air_x4_enable, x4_slot);
	/* the same trace through zk_stark_prove: the same bytes, and with
	 * a wrong evaluator a proof that does not verify */
	clob_eval_trace_make(&r, book_batch(&r, 47, 12), 0, &t);
	clob_eval_same_bytes(&t, use_x4);
	clob_eval_trace_free(&t);
	clob_rig_fini(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x4_field),
		cmocka_unit_test(test_x4_rows),
		cmocka_unit_test(test_x4_traces),
		cmocka_unit_test(test_x4_debug),
		cmocka_unit_test(test_x4_proof),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
