/* SPDX-License-Identifier: MIT */
/*
 * The constraint debugger (zk_stark_debug_check) on the example AIRs: it
 * accepts honest traces and names the first failing row and constraint,
 * the failing assertion, a base/extension mismatch, a four-row evaluator
 * (eval_main_x4) that disagrees with eval_main and a wrong declared
 * degree. The chain AIR's AVX2 four-row evaluator is compared with its
 * row-by-row body, and a proof made with a wrong one must not verify.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "air_fib.h"
#include "air_p2chain.h"
#include "air_range.h"
#include "stark.h"

#define SEED 0x5eed

static zk_gl **cols_new(unsigned width, unsigned log_n)
{
	zk_gl **c = calloc(width, sizeof(*c));
	unsigned i;

	assert_non_null(c);
	for (i = 0; i < width; i++) {
		c[i] = calloc((size_t)1 << log_n, sizeof(zk_gl));
		assert_non_null(c[i]);
	}
	return c;
}

static void cols_free(zk_gl **c, unsigned width)
{
	unsigned i;

	for (i = 0; i < width; i++)
		free(c[i]);
	free(c);
}

static void expect_error(const struct zk_air *air, zk_gl **cols,
			 unsigned log_n, const char *expect)
{
	char err[256] = "";
	int rc = zk_stark_debug_check(air, (const zk_gl *const *)cols, log_n,
				      SEED, err, sizeof(err));

	assert_int_equal(rc, ZK_STARK_ETRACE);
	if (strstr(err, expect) == NULL)
		fail_msg("debugger said \"%s\", expected \"%s\"", err, expect);
}

static void expect_ok(const struct zk_air *air, zk_gl **cols, unsigned log_n)
{
	char err[256] = "";
	int rc = zk_stark_debug_check(air, (const zk_gl *const *)cols, log_n,
				      SEED, err, sizeof(err));

	if (rc != 0)
		fail_msg("honest trace refused: %s", err);
}

static void test_fib(void **state)
{
	const unsigned log_n = 6;
	zk_gl **c = cols_new(2, log_n);
	struct zk_air_fib f;
	zk_gl res = zk_air_fib_trace(1, 2, log_n, c[0], c[1]);

	(void)state;
	zk_air_fib_init(&f, 1, 2, res);
	expect_ok(&f.air, c, log_n);
	/* two bad cells: the earlier failing row is named */
	c[0][21] = zk_gl_add(c[0][21], 9);
	expect_error(&f.air, c, log_n, "row 20: main constraint 0");
	c[1][9] = zk_gl_add(c[1][9], 1);
	expect_error(&f.air, c, log_n, "row 8: main constraint 1");
	cols_free(c, 2);
}

static void test_fib_assertion(void **state)
{
	const unsigned log_n = 5;
	zk_gl **c = cols_new(2, log_n);
	struct zk_air_fib f;
	zk_gl res = zk_air_fib_trace(1, 2, log_n, c[0], c[1]);

	(void)state;
	zk_air_fib_init(&f, 1, 2, zk_gl_add(res, 1));
	expect_error(&f.air, c, log_n, "assertion 2: column 1 row 31");
	zk_air_fib_init(&f, 0, 2, res);
	expect_error(&f.air, c, log_n, "assertion 0: column 0 row 0");
	cols_free(c, 2);
}

static void test_p2chain(void **state)
{
	const unsigned log_n = 3;
	const zk_gl d_in[ZK_P2_DIGEST_ELEMS] = { 1, 2, 3, 4 };
	zk_gl d_out[ZK_P2_DIGEST_ELEMS], s[ZK_P2_WIDTH12] = { 1, 2, 3, 4 };
	zk_gl **c = cols_new(ZK_P2CHAIN_WIDTH, log_n);
	struct zk_air_p2chain air;
	unsigned k, col;

	(void)state;
	assert_int_equal(zk_air_p2chain_trace(d_in, log_n, c, 2, d_out), 0);
	/* the chain is the reference permutation's */
	for (k = 0; k + 1 < (1u << log_n); k++)
		zk_poseidon2_w12(s);
	assert_memory_equal(s, d_out, sizeof(d_out));
	zk_air_p2chain_init(&air, d_in, d_out);
	expect_ok(&air.air, c, log_n);

	/* full round 5 (the second after the partial rounds), lane 3 cube */
	col = ZK_P2CHAIN_COL_FT(5) + 3;
	c[col][2] = zk_gl_add(c[col][2], 1);
	expect_error(&air.air, c, log_n, "row 2: main constraint 170");
	cols_free(c, ZK_P2CHAIN_WIDTH);
}

/* The chain's real four-row evaluator, and one that is wrong in a single
 * value: constraint 100 of row 2. */
static zk_air_eval_x4_fn p2_x4;

static void p2_x4_wrong(const void *ctx, const zk_gl *cur, const zk_gl *nxt,
			size_t stride, const zk_gl *periodic, zk_gl *out)
{
	p2_x4(ctx, cur, nxt, stride, periodic, out);
	out[4 * 100 + 2] = zk_gl_add(out[4 * 100 + 2], 1);
}

/* splitmix64 into [0, p) with the edge values p - 1, 0 and 1 mixed in */
static zk_gl test_gl(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	z ^= z >> 31;
	switch (z & 15) {
	case 0:
		return ZK_GL_P - 1;
	case 1:
		return 0;
	case 2:
		return 1;
	default:
		return zk_gl_from_u64(z);
	}
}

static void test_p2chain_x4(void **state)
{
	/* 64 rows: tiles of 32 whose next rows are one run, and the tile at
	 * each block's end where they wrap */
	const unsigned log_n = 6;
	const size_t mw = ZK_P2CHAIN_WIDTH, nmc = ZK_P2CHAIN_CONSTRAINTS;
	const zk_gl d_in[ZK_P2_DIGEST_ELEMS] = { 5, 6, 7, 8 };
	zk_gl d_out[ZK_P2_DIGEST_ELEMS];
	zk_gl **c = cols_new(ZK_P2CHAIN_WIDTH, log_n);
	zk_gl *in = calloc(8 * mw, sizeof(zk_gl));
	zk_gl *out4 = calloc(4 * nmc, sizeof(zk_gl));
	zk_gl *row = calloc(2 * mw + nmc, sizeof(zk_gl));
	const struct zk_stark_params *p =
		zk_stark_params_by_id(ZK_PARAMS_THROUGHPUT);
	struct zk_prove_opts opts = { .threads = 2 };
	struct zk_air_p2chain air;
	uint8_t *proof = NULL, *plain = NULL;
	size_t len = 0, plain_len = 0;
	uint64_t rng = 0x1234;
	char err[256] = "";

	(void)state;
	assert_non_null(in);
	assert_non_null(out4);
	assert_non_null(row);
	assert_int_equal(zk_air_p2chain_trace(d_in, log_n, c, 1, d_out), 0);
	zk_air_p2chain_init(&air, d_in, d_out);
	p2_x4 = air.air.eval_main_x4;
	if (p2_x4 == NULL) {
		/* no AVX2: the prover evaluates row by row, nothing to compare */
		cols_free(c, ZK_P2CHAIN_WIDTH);
		free(in);
		free(out4);
		free(row);
		skip();
	}
	/* random rows (stride 4), every value against the row-by-row body */
	for (unsigned trial = 0; trial < 64; trial++) {
		for (size_t k = 0; k < 8 * mw; k++)
			in[k] = test_gl(&rng);
		p2_x4(&air, in, in + 4 * mw, 4, NULL, out4);
		for (size_t r = 0; r < 4; r++) {
			for (size_t col = 0; col < 2 * mw; col++)
				row[col] = in[4 * col + r];
			air.air.eval_main(&air, row, row + mw, NULL, row + 2 * mw);
			for (size_t k = 0; k < nmc; k++)
				assert_int_equal(out4[4 * k + r], row[2 * mw + k]);
		}
	}

	/* the same proof with and without it */
	assert_int_equal(zk_stark_prove(&air.air, p, (const zk_gl *const *)c,
					log_n, &opts, &proof, &len, err,
					sizeof(err)), ZK_STARK_ACCEPT);
	air.air.eval_main_x4 = NULL;
	assert_int_equal(zk_stark_prove(&air.air, p, (const zk_gl *const *)c,
					log_n, &opts, &plain, &plain_len, err,
					sizeof(err)), ZK_STARK_ACCEPT);
	assert_int_equal(len, plain_len);
	assert_memory_equal(proof, plain, len);
	free(proof);
	free(plain);

	/* a wrong one: the debugger names it, and its proof does not verify */
	air.air.eval_main_x4 = p2_x4_wrong;
	expect_error(&air.air, c, log_n, "eval_main and eval_main_x4 disagree");
	assert_int_equal(zk_stark_prove(&air.air, p, (const zk_gl *const *)c,
					log_n, &opts, &proof, &len, err,
					sizeof(err)), ZK_STARK_ACCEPT);
	air.air.eval_main_x4 = p2_x4;
	assert_int_not_equal(zk_stark_verify(&air.air, ZK_PARAMS_THROUGHPUT,
					     proof, len, err, sizeof(err)),
			     ZK_STARK_ACCEPT);
	free(proof);
	cols_free(c, ZK_P2CHAIN_WIDTH);
	free(in);
	free(out4);
	free(row);
}

static void test_range(void **state)
{
	const unsigned log_n = ZK_AIR_RANGE_MIN_LOG_N;
	size_t n = (size_t)1 << log_n, i;
	zk_gl **c = cols_new(ZK_RANGE_WIDTH, log_n);
	zk_gl *v = malloc(n * sizeof(*v));
	struct zk_air_range r;

	(void)state;
	assert_non_null(v);
	for (i = 0; i < n; i++)
		v[i] = (i * 31) & 0xffff;
	assert_int_equal(zk_air_range_trace(v, log_n, c), 0);
	zk_air_range_init(&r, v[0], v[n - 1]);
	expect_ok(&r.air, c, log_n);
	/* out of range: every row is locally fine, the LogUp sum is not 0 */
	v[1000] = 0x10000;
	assert_int_equal(zk_air_range_trace(v, log_n, c), 1);
	expect_error(&r.air, c, log_n, "assertion 5: column 0 row 65535");
	free(v);
	cols_free(c, ZK_RANGE_WIDTH);
}

/* ---- an AIR whose two evaluators disagree, one that lies about degree ---- */

static void sq_eval(const void *ctx, const zk_gl *cur, const zk_gl *nxt,
		    const zk_gl *periodic, zk_gl *out)
{
	(void)ctx;
	(void)periodic;
	out[0] = zk_gl_sub(nxt[0], zk_gl_sqr(cur[0]));
}

static void sq_eval_ext(const void *ctx, const zk_ext *cur, const zk_ext *nxt,
			const zk_ext *periodic, zk_ext *out)
{
	(void)ctx;
	(void)periodic;
	out[0] = zk_ext_sub(nxt[0], zk_ext_sqr(cur[0]));
}

/* wrong on purpose: a sign error the honest trace cannot reveal */
static void sq_eval_ext_wrong(const void *ctx, const zk_ext *cur,
			      const zk_ext *nxt, const zk_ext *periodic,
			      zk_ext *out)
{
	(void)ctx;
	(void)periodic;
	out[0] = zk_ext_add(nxt[0], zk_ext_sqr(cur[0]));
}

static size_t sq_assertions(const void *ctx, unsigned log_n,
			    const zk_ext *rand, struct zk_assertion *out)
{
	(void)ctx;
	(void)log_n;
	(void)rand;
	out[0] = (struct zk_assertion){ ZK_SEG_MAIN, 0, 0, zk_ext_from_base(3) };
	return 1;
}

static void test_evaluators_and_degree(void **state)
{
	const unsigned log_n = 4;
	zk_gl **c = cols_new(1, log_n);
	static const uint8_t pub[1] = { 0 };
	struct zk_air air = {
		.name = "square",
		.version = 1,
		.main_width = 1,
		.n_main_constraints = 1,
		.max_degree = 2,
		.eval_main = sq_eval,
		.eval_main_ext = sq_eval_ext,
		.assertions = sq_assertions,
		.pub = pub,
		.pub_len = sizeof(pub),
	};
	unsigned i;

	(void)state;
	c[0][0] = 3;
	for (i = 1; i < (1u << log_n); i++)
		c[0][i] = zk_gl_sqr(c[0][i - 1]);
	expect_ok(&air, c, log_n);
	air.eval_main_ext = sq_eval_ext_wrong;
	expect_error(&air, c, log_n, "disagree");
	air.eval_main_ext = sq_eval_ext;
	air.max_degree = 1;
	expect_error(&air, c, log_n, "degree");
	cols_free(c, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fib),
		cmocka_unit_test(test_fib_assertion),
		cmocka_unit_test(test_p2chain),
		cmocka_unit_test(test_p2chain_x4),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_evaluators_and_degree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
