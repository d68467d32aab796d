/* SPDX-License-Identifier: MIT */
/*
 * The k-value LogUp range AIR (air_range_k.h) and its fraction helper
 * (air_logup.h): honest proofs verify under the stored and the streaming
 * prover and under every parameter set the degree allows; a value out of
 * range at any column position, a wrong multiplicity, a forged table or
 * selector, a flipped proof byte or another statement is rejected; the
 * helper's base and extension paths agree; build_aux refuses an α that
 * hits a denominator; the prover's eval_aux_base path gives the same proof
 * bytes as eval_aux, and a wrong one is named by the debugger and its
 * proof rejected.
 *
 * The executable takes one group name (see main) so that meson runs each
 * group as its own test; no argument runs all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "air_logup.h"
#include "air_range_k.h"
#include "stark.h"

#define LOG_N ZK_AIR_RANGEK_MIN_LOG_N
#define N ((size_t)1 << LOG_N)
#define THREADS 2
/* the shape most tests use: two full groups of two, degree 3 */
#define K 4
#define G 2

struct instance {
	struct zk_air_range_k r;
	unsigned k, g;
	zk_gl **cols;
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* (Re)derive t, m, first and the statement from the value columns. */
static long instance_refill(struct instance *in)
{
	long bad = zk_air_range_k_fill(in->k, LOG_N, in->cols);

	assert_int_equal(zk_air_range_k_init(&in->r, in->k, in->g,
					     in->cols[0][N - 1],
					     in->cols[in->k - 1][N - 1]), 0);
	return bad;
}

static struct instance *instance_new(unsigned k, unsigned g)
{
	struct instance *in = calloc(1, sizeof(*in));

	assert_non_null(in);
	in->k = k;
	in->g = g;
	in->cols = calloc(ZK_RANGEK_WIDTH(k), sizeof(*in->cols));
	assert_non_null(in->cols);
	for (unsigned c = 0; c < ZK_RANGEK_WIDTH(k); c++) {
		in->cols[c] = malloc(N * sizeof(zk_gl));
		assert_non_null(in->cols[c]);
	}
	for (unsigned c = 0; c < k; c++)
		for (size_t i = 0; i < N; i++)
			in->cols[c][i] = rng() & 0xffff;
	/* both ends of the range, in every column */
	for (unsigned c = 0; c < k; c++) {
		in->cols[c][1 + c] = 0;
		in->cols[c][100 + c] = 0xffff;
	}
	assert_int_equal(instance_refill(in), 0);
	return in;
}

static void instance_free(struct instance *in)
{
	for (unsigned c = 0; c < ZK_RANGEK_WIDTH(in->k); c++)
		free(in->cols[c]);
	free(in->cols);
	free(in);
}

static int prove_opts(const struct instance *in, uint8_t params_id,
		      int debug, int streaming, uint8_t **proof, size_t *len,
		      char *err, size_t errlen)
{
	const struct zk_stark_params *p = zk_stark_params_by_id(params_id);
	struct zk_prove_opts opts = { .threads = THREADS, .debug = debug,
				      .streaming = streaming };

	assert_non_null(p);
	*proof = NULL;
	*len = 0;
	return zk_stark_prove(&in->r.air, p, (const zk_gl *const *)in->cols,
			      LOG_N, &opts, proof, len, err, errlen);
}

static void prove_ok(const struct instance *in, uint8_t params_id,
		     int streaming, uint8_t **proof, size_t *len)
{
	char err[256] = "";
	int rc = prove_opts(in, params_id, 0, streaming, proof, len, err,
			    sizeof(err));

	if (rc != ZK_STARK_ACCEPT)
		fail_msg("k=%u g=%u: prove under set %u: %s (%s)", in->k, in->g,
			 params_id, zk_stark_strerror(rc), err);
}

static int verify(const struct zk_air *air, uint8_t params_id,
		  const uint8_t *proof, size_t len)
{
	char err[256];

	return zk_stark_verify(air, params_id, proof, len, err, sizeof(err));
}

static void expect_verifies(const struct instance *in, uint8_t params_id,
			    int streaming)
{
	char err[256] = "";
	uint8_t *proof;
	size_t len;
	int rc;

	prove_ok(in, params_id, streaming, &proof, &len);
	rc = zk_stark_verify(&in->r.air, params_id, proof, len, err,
			     sizeof(err));
	if (rc != ZK_STARK_ACCEPT)
		fail_msg("k=%u g=%u set %u%s: honest proof rejected: %s (%s)",
			 in->k, in->g, params_id, streaming ? " streaming" : "",
			 zk_stark_strerror(rc), err);
	free(proof);
}

/*
 * A cheating trace: with the debugger off the prover may emit a proof but
 * the verifier must reject it; with it on the prover refuses and names
 * `expect` (NULL: any violation).
 */
static void expect_rejected(const struct instance *in, const char *expect)
{
	char err[256] = "";
	uint8_t *proof;
	size_t len;
	int rc;

	rc = prove_opts(in, ZK_PARAMS_FAST, 0, 0, &proof, &len, err,
			sizeof(err));
	if (rc == ZK_STARK_ACCEPT) {
		assert_int_not_equal(verify(&in->r.air, ZK_PARAMS_FAST, proof,
					    len), ZK_STARK_ACCEPT);
		free(proof);
	} else {
		/* build_aux may refuse a value only when α hits it */
		assert_int_equal(rc, ZK_STARK_EAUX);
	}
	err[0] = '\0';
	rc = prove_opts(in, ZK_PARAMS_FAST, 1, 0, &proof, &len, err,
			sizeof(err));
	assert_int_equal(rc, ZK_STARK_ETRACE);
	if (expect != NULL && strstr(err, expect) == NULL)
		fail_msg("k=%u: debugger said \"%s\", expected \"%s\"", in->k, err,
			 expect);
}

/* the assertion s[n-1] = 0 (after the five main ones) */
#define SUM_ASSERTION "assertion 5: column 0 row 65535"

/* ---- the fraction helper ---- */

static zk_ext rand_ext(void)
{
	return zk_gl3_make(rng() % ZK_GL_P, rng() % ZK_GL_P, rng() % ZK_GL_P);
}

/* h·P(α) - P'(α) directly: P' by the product rule over all factors */
static zk_ext direct(zk_ext alpha, zk_ext h, const zk_ext *x, unsigned g)
{
	zk_ext p = zk_ext_one(), dp = zk_ext_zero();

	for (unsigned c = 0; c < g; c++) {
		zk_ext other = zk_ext_one();

		for (unsigned d = 0; d < g; d++)
			if (d != c)
				other = zk_ext_mul(other, zk_ext_sub(alpha, x[d]));
		dp = zk_ext_add(dp, other);
		p = zk_ext_mul(p, zk_ext_sub(alpha, x[c]));
	}
	return zk_ext_sub(zk_ext_mul(h, p), dp);
}

static void test_logup_group(void **state)
{
	const zk_gl edge[] = { 0, 1, 0xffff, 0x10000, ZK_GL_P - 1, ZK_GL_P - 2 };

	(void)state;
	for (unsigned g = 1; g <= ZK_LOGUP_MAX_GROUP; g++) {
		for (unsigned trial = 0; trial < 200; trial++) {
			zk_ext alpha = rand_ext(), h = rand_ext(), x[ZK_LOGUP_MAX_GROUP];
			zk_ext sum = zk_ext_zero(), inv = zk_ext_zero();
			struct zk_logup_alpha a;

			for (unsigned c = 0; c < g; c++)
				x[c] = zk_ext_from_base(trial < 20 ?
					edge[(trial + c) % 6] : rng() % ZK_GL_P);
			/* every limb p - 1: the most carries the fused sums of
			 * zk_logup_group_gl can take */
			for (unsigned e = 0; e < ZK_EXT_DEGREE && trial < 8; e++) {
				h.c[e] = ZK_GL_P - 1;
				if (trial < 4)
					alpha.c[e] = ZK_GL_P - 1 - trial;
			}
			/* the helper's α powers may serve a wider group */
			zk_logup_alpha_init(&a, alpha, ZK_LOGUP_MAX_GROUP);
			/* base path (values in F_p) against the direct formula */
			assert_true(zk_ext_eq(zk_logup_group(&a, h, x, g),
					      direct(alpha, h, x, g)));
			/* the true sum makes it vanish, a wrong one does not */
			for (unsigned c = 0; c < g; c++) {
				assert_true(zk_ext_inv(zk_ext_sub(alpha, x[c]), &inv));
				sum = zk_ext_add(sum, inv);
			}
			assert_true(zk_ext_is_zero(zk_logup_group(&a, sum, x, g)));
			assert_false(zk_ext_is_zero(zk_logup_group(
				&a, zk_ext_add_base(sum, 1), x, g)));
			/* extension path (the verifier's) */
			x[trial % g] = rand_ext();
			assert_true(zk_ext_eq(zk_logup_group(&a, h, x, g),
					      direct(alpha, h, x, g)));
		}
	}
}

/* ---- completeness ---- */

static void test_complete_fast(void **state)
{
	struct instance *in = instance_new(K, G);

	(void)state;
	expect_verifies(in, ZK_PARAMS_FAST, 0);
	expect_verifies(in, ZK_PARAMS_FAST, 1);
	instance_free(in);
}

/* degree 3 fits the throughput set (blowup 2) too */
static void test_complete_other_sets(void **state)
{
	struct instance *in = instance_new(K, G);

	(void)state;
	expect_verifies(in, ZK_PARAMS_THROUGHPUT, 0);
	expect_verifies(in, ZK_PARAMS_COMPACT, 1);
	instance_free(in);
}

/* wider groups (degree 4 and 5) and a short last group */
static void test_complete_shapes(void **state)
{
	static const unsigned shapes[][2] = { { 5, 3 }, { 6, 4 }, { 1, 2 } };

	(void)state;
	for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
		struct instance *in = instance_new(shapes[s][0], shapes[s][1]);
		char err[256] = "";

		assert_int_equal(zk_stark_debug_check(&in->r.air,
				(const zk_gl *const *)in->cols, LOG_N, s + 1,
				err, sizeof(err)), 0);
		expect_verifies(in, ZK_PARAMS_FAST, s == 1);
		instance_free(in);
	}
}

/* The floor is what the AIR commits: main + 3·aux + 3·chunks over main. */
static void test_floor_matches_shape(void **state)
{
	(void)state;
	for (unsigned k = 1; k <= ZK_AIR_RANGEK_MAX_VALUES; k++)
		for (unsigned g = 2; g <= ZK_LOGUP_MAX_GROUP; g++) {
			struct zk_air_range_k r;
			double want;

			assert_int_equal(zk_air_range_k_init(&r, k, g, 0, 0), 0);
			want = (double)(r.air.main_width + 3 * r.air.aux_width +
					3 * (r.air.max_degree - 1)) /
			       r.air.main_width;
			assert_true(zk_air_range_k_floor(k, g) == want);
		}
	/* the figures docs/perf.md quotes */
	assert_true(zk_air_range_k_floor(16, 4) == 46.0 / 19.0);
	assert_true(zk_air_range_k_floor(32, 4) == 74.0 / 35.0);
}

/* ---- values out of range ---- */

/* bad at column c, row `row` >= 1 */
static void check_bad_value(zk_gl bad, unsigned c, size_t row)
{
	struct instance *in = instance_new(K, G);

	in->cols[c][row] = bad;
	assert_int_equal(instance_refill(in), 1);
	expect_rejected(in, SUM_ASSERTION);
	instance_free(in);
}

static void test_reject_2_16(void **state)
{
	(void)state;
	for (unsigned c = 0; c < K; c++)
		check_bad_value(0x10000, c, 777 + 1000 * c);
}

static void test_reject_negative(void **state)
{
	(void)state;
	for (unsigned c = 0; c < K; c++)
		check_bad_value(ZK_GL_P - 1, c, 12345 + c);
}

/* the last row too, where the statement carries the outer two values */
static void test_reject_last_row(void **state)
{
	(void)state;
	check_bad_value(0x10000, 0, N - 1);
	check_bad_value(ZK_GL_P - 1, K - 1, N - 1);
	check_bad_value(0x10000, 1, N - 1);
}

/* Row 0 is padding (air_range_k.h): its cells are not checked at all. */
static void test_row0_is_padding(void **state)
{
	struct instance *in = instance_new(K, G);

	(void)state;
	in->cols[0][0] = 0x10000;
	in->cols[K - 1][0] = ZK_GL_P - 1;
	assert_int_equal(instance_refill(in), 0);
	expect_verifies(in, ZK_PARAMS_FAST, 0);
	instance_free(in);
}

/* ---- multiplicities, table, selector ---- */

static void test_reject_wrong_multiplicity(void **state)
{
	struct instance *in = instance_new(K, G);
	zk_gl *m = in->cols[ZK_RANGEK_COL_MULT(K)];

	(void)state;
	m[5] = zk_gl_add(m[5], 1);
	expect_rejected(in, SUM_ASSERTION);
	m[5] = zk_gl_sub(m[5], 2);
	expect_rejected(in, SUM_ASSERTION);
	/* moved from one entry to another: the total still matches */
	m[5] = zk_gl_add(m[5], 1);
	m[6] = zk_gl_add(m[6], 1);
	m[7] = zk_gl_sub(m[7], 1);
	expect_rejected(in, SUM_ASSERTION);
	instance_free(in);
}

/*
 * Count a value 2^16 against a forged table entry (row n-2 set to 2^16,
 * multiplicities consistent with it): only the step constraint objects.
 */
static void test_reject_forged_table(void **state)
{
	struct instance *in = instance_new(K, G);
	zk_gl *t = in->cols[ZK_RANGEK_COL_TABLE(K)];
	zk_gl *m = in->cols[ZK_RANGEK_COL_MULT(K)];

	(void)state;
	for (unsigned c = 0; c < K; c++)
		for (size_t i = 0; i < N; i++)
			if (in->cols[c][i] == 0xfffe) /* loses its table row */
				in->cols[c][i] = 3;
	in->cols[2][4321] = 0x10000;
	assert_int_equal(instance_refill(in), 1);
	t[N - 2] = 0x10000;
	m[N - 2] = 1;
	expect_rejected(in, "row 65533: main constraint 0");
	instance_free(in);
}

static void test_reject_selector(void **state)
{
	struct instance *in = instance_new(K, G);

	(void)state;
	in->cols[ZK_RANGEK_COL_FIRST(K)][9] = 1;
	expect_rejected(in, "row 8: main constraint 1");
	instance_free(in);
}

/* ---- proof bytes and statements ---- */

static void expect_flip_rejected(const struct zk_air *air, uint8_t *proof,
				 size_t len, size_t pos)
{
	uint8_t saved = proof[pos];

	proof[pos] ^= (uint8_t)(1u << (pos % 8));
	if (verify(air, ZK_PARAMS_FAST, proof, len) == ZK_STARK_ACCEPT)
		fail_msg("flipping byte %zu of %zu was accepted", pos, len);
	proof[pos] = saved;
}

/*
 * The header and roots (first bytes) and the last openings exhaustively,
 * then about FLIPS positions spread over the rest with an offset walking
 * through the stride's residues.
 */
#define FLIP_EDGE 96
#define FLIPS 256

static void test_byte_flips(void **state)
{
	struct instance *in = instance_new(K, G);
	uint8_t *proof;
	size_t len, stride, pos, k;

	(void)state;
	prove_ok(in, ZK_PARAMS_FAST, 0, &proof, &len);
	assert_true(len > 4 * FLIP_EDGE);
	for (pos = 0; pos < FLIP_EDGE; pos++) {
		expect_flip_rejected(&in->r.air, proof, len, pos);
		expect_flip_rejected(&in->r.air, proof, len, len - 1 - pos);
	}
	stride = (len - 2 * FLIP_EDGE) / FLIPS + 1;
	for (k = 0; (pos = FLIP_EDGE + k * stride + k % stride) < len - FLIP_EDGE;
	     k++)
		expect_flip_rejected(&in->r.air, proof, len, pos);
	assert_int_equal(verify(&in->r.air, ZK_PARAMS_FAST, proof, len),
			 ZK_STARK_ACCEPT);
	assert_int_not_equal(verify(&in->r.air, ZK_PARAMS_FAST, proof, len - 1),
			     ZK_STARK_ACCEPT);
	assert_int_not_equal(verify(&in->r.air, ZK_PARAMS_COMPACT, proof, len),
			     ZK_STARK_ACCEPT);
	free(proof);
	instance_free(in);
}

static void test_wrong_statement(void **state)
{
	struct instance *in = instance_new(K, G);
	zk_gl a = in->r.last_first, b = in->r.last_last;
	struct zk_air_range_k alt;
	uint8_t *proof;
	size_t len;

	(void)state;
	prove_ok(in, ZK_PARAMS_FAST, 0, &proof, &len);
	assert_int_equal(zk_air_range_k_from_pub(&alt, in->r.pub,
						 in->r.air.pub_len), 0);
	assert_int_equal(verify(&alt.air, ZK_PARAMS_FAST, proof, len),
			 ZK_STARK_ACCEPT);
	/* either bound value changed */
	assert_int_equal(zk_air_range_k_init(&alt, K, G, (a + 1) & 0xffff, b), 0);
	assert_int_not_equal(verify(&alt.air, ZK_PARAMS_FAST, proof, len),
			     ZK_STARK_ACCEPT);
	assert_int_equal(zk_air_range_k_init(&alt, K, G, a, (b + 1) & 0xffff), 0);
	assert_int_not_equal(verify(&alt.air, ZK_PARAMS_FAST, proof, len),
			     ZK_STARK_ACCEPT);
	/* another grouping of the same columns: same widths, other AIR */
	assert_int_equal(zk_air_range_k_init(&alt, K, 3, a, b), 0);
	assert_int_equal(alt.air.aux_width, in->r.air.aux_width);
	assert_int_not_equal(verify(&alt.air, ZK_PARAMS_FAST, proof, len),
			     ZK_STARK_ACCEPT);
	/* a re-versioned AIR */
	assert_int_equal(zk_air_range_k_init(&alt, K, G, a, b), 0);
	alt.air.version++;
	assert_int_not_equal(verify(&alt.air, ZK_PARAMS_FAST, proof, len),
			     ZK_STARK_ACCEPT);
	free(proof);
	instance_free(in);
}

static void test_statement_parser(void **state)
{
	uint8_t buf[ZK_AIR_RANGEK_PUB_LEN + 1];
	struct zk_air_range_k r;

	(void)state;
	memset(buf, 0, sizeof(buf));
	buf[0] = 3;
	buf[1] = 2;
	buf[2] = 7;
	buf[10] = 9;
	assert_int_equal(zk_air_range_k_from_pub(&r, buf, ZK_AIR_RANGEK_PUB_LEN),
			 0);
	assert_int_equal(r.n_values, 3);
	assert_int_equal(r.n_groups, 2);
	assert_int_equal(r.last_first, 7);
	assert_int_equal(r.last_last, 9);
	assert_memory_equal(r.pub, buf, ZK_AIR_RANGEK_PUB_LEN);
	assert_int_equal(zk_air_range_k_from_pub(&r, buf,
						 ZK_AIR_RANGEK_PUB_LEN + 1), -1);
	assert_int_equal(zk_air_range_k_from_pub(&r, buf,
						 ZK_AIR_RANGEK_PUB_LEN - 1), -1);
	buf[1] = 1; /* groups of one are not a shape */
	assert_int_equal(zk_air_range_k_from_pub(&r, buf, ZK_AIR_RANGEK_PUB_LEN),
			 -1);
	buf[1] = ZK_LOGUP_MAX_GROUP + 1;
	assert_int_equal(zk_air_range_k_from_pub(&r, buf, ZK_AIR_RANGEK_PUB_LEN),
			 -1);
	buf[1] = 2;
	buf[0] = 0;
	assert_int_equal(zk_air_range_k_from_pub(&r, buf, ZK_AIR_RANGEK_PUB_LEN),
			 -1);
	buf[0] = ZK_AIR_RANGEK_MAX_VALUES + 1;
	assert_int_equal(zk_air_range_k_from_pub(&r, buf, ZK_AIR_RANGEK_PUB_LEN),
			 -1);
	buf[0] = 3;
	memset(buf + 10, 0xff, 8); /* 2^64 - 1 >= p */
	assert_int_equal(zk_air_range_k_from_pub(&r, buf, ZK_AIR_RANGEK_PUB_LEN),
			 -1);
	assert_int_equal(zk_air_range_k_init(&r, 0, 2, 0, 0), -1);
	assert_int_equal(zk_air_range_k_init(&r, 4, 5, 0, 0), -1);
	/* the trace builder refuses what the AIR cannot hold */
	assert_int_equal(zk_air_range_k_fill(4, LOG_N - 1, NULL), -1);
	assert_int_equal(zk_air_range_k_fill(0, LOG_N, NULL), -1);
}

/* ---- build_aux ---- */

/* α on a value or table entry (possible only in F_p): no aux trace. */
static void test_build_aux_refuses(void **state)
{
	struct instance *in = instance_new(K, G);
	const struct zk_air *air = &in->r.air;
	zk_ext *aux[1 + (K + G - 1) / G];
	zk_ext rand;

	(void)state;
	for (unsigned c = 0; c < air->aux_width; c++) {
		aux[c] = malloc(N * sizeof(zk_ext));
		assert_non_null(aux[c]);
	}
	rand = rand_ext();
	assert_int_equal(air->build_aux(air->ctx, (const zk_gl *const *)in->cols,
					LOG_N, &rand, aux), 0);
	/* the table's entries */
	rand = zk_ext_from_base(1234);
	assert_int_equal(air->build_aux(air->ctx, (const zk_gl *const *)in->cols,
					LOG_N, &rand, aux), -1);
	/* a value outside the table (a cheating trace's slow path) */
	in->cols[3][999] = ZK_GL_P - 5;
	rand = zk_ext_from_base(ZK_GL_P - 5);
	assert_int_equal(air->build_aux(air->ctx, (const zk_gl *const *)in->cols,
					LOG_N, &rand, aux), -1);
	rand = rand_ext();
	assert_int_equal(air->build_aux(air->ctx, (const zk_gl *const *)in->cols,
					LOG_N, &rand, aux), 0);
	for (unsigned c = 0; c < air->aux_width; c++)
		free(aux[c]);
	instance_free(in);
}

/* 1/(α - x) inverted alone: the reference for build_aux's table */
static zk_ext inverse_of(zk_ext alpha, zk_gl x)
{
	zk_ext out = zk_ext_zero();

	assert_true(zk_ext_inv(zk_ext_sub(alpha, zk_ext_from_base(x)), &out));
	return out;
}

/*
 * build_aux (rows in blocks, helpers column by column) against the spec's
 * row-by-row sums with every fraction inverted alone: a short last group
 * (k = 3, g = 2) and values outside the table (the slow path) on both
 * sides of block boundaries, at row 1 and at the last row.
 */
static void test_build_aux_rows(void **state)
{
	static const size_t rows[] = { 1, 255, 256, 257, 511, 512, 4095, N - 1 };
	struct instance *in = instance_new(3, 2);
	const struct zk_air *air = &in->r.air;
	zk_ext *aux[3], alpha = rand_ext(), s = zk_ext_zero();
	size_t mismatches = 0;

	(void)state;
	assert_int_equal(air->aux_width, 3);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		in->cols[i % 3][rows[i]] = ZK_GL_P - 1 - rows[i];
	assert_int_equal(instance_refill(in), (long)(sizeof(rows) / sizeof(rows[0])));
	for (unsigned c = 0; c < 3; c++) {
		aux[c] = malloc(N * sizeof(zk_ext));
		assert_non_null(aux[c]);
	}
	assert_int_equal(air->build_aux(air->ctx, (const zk_gl *const *)in->cols,
					LOG_N, &alpha, aux), 0);
	for (size_t i = 0; i < N; i++) {
		zk_ext h0 = zk_ext_zero(), h1 = zk_ext_zero();

		if (i > 0) {
			h0 = zk_ext_add(inverse_of(alpha, in->cols[0][i]),
					inverse_of(alpha, in->cols[1][i]));
			h1 = inverse_of(alpha, in->cols[2][i]);
		}
		s = zk_ext_add(s, zk_ext_add(h0, h1));
		s = zk_ext_sub(s, zk_ext_mul_base(
				  inverse_of(alpha, in->cols[ZK_RANGEK_COL_TABLE(3)][i]),
				  in->cols[ZK_RANGEK_COL_MULT(3)][i]));
		mismatches += !zk_ext_eq(aux[1][i], h0) +
			      !zk_ext_eq(aux[2][i], h1) + !zk_ext_eq(aux[0][i], s);
	}
	assert_int_equal(mismatches, 0);
	/* the running sum closes only on an honest trace */
	assert_false(zk_ext_eq(s, zk_ext_zero()));
	for (unsigned c = 0; c < 3; c++)
		free(aux[c]);
	instance_free(in);
}

/* ---- eval_aux_base: the prover's aux path over base-field main rows ---- */

/* The proof of in with and without eval_aux_base: the same bytes. */
static void check_same_proof(struct instance *in, int streaming)
{
	uint8_t *with, *without;
	size_t len_with, len_without;

	assert_non_null(in->r.air.eval_aux_base);
	prove_ok(in, ZK_PARAMS_FAST, streaming, &with, &len_with);
	in->r.air.eval_aux_base = NULL;
	prove_ok(in, ZK_PARAMS_FAST, streaming, &without, &len_without);
	assert_int_equal(len_with, len_without);
	assert_memory_equal(with, without, len_with);
	assert_int_equal(verify(&in->r.air, ZK_PARAMS_FAST, with, len_with),
			 ZK_STARK_ACCEPT);
	free(with);
	free(without);
}

static void test_aux_base_same_proof(void **state)
{
	struct instance *in = instance_new(K, G);

	(void)state;
	check_same_proof(in, 0);
	instance_refill(in);
	check_same_proof(in, 1);
	instance_free(in);
	/* a shorter last group, groups of four */
	in = instance_new(7, 4);
	check_same_proof(in, 0);
	instance_free(in);
}

static void (*real_aux_base)(const void *, const zk_gl *, const zk_gl *,
			     const zk_ext *, const zk_ext *, const zk_gl *,
			     const zk_ext *, zk_ext *);
static unsigned wrong_constraint;

/* the real eval_aux_base, but one constraint off by one */
static void wrong_aux_base(const void *ctx, const zk_gl *main_cur,
			   const zk_gl *main_nxt, const zk_ext *aux_cur,
			   const zk_ext *aux_nxt, const zk_gl *periodic,
			   const zk_ext *rand, zk_ext *out)
{
	real_aux_base(ctx, main_cur, main_nxt, aux_cur, aux_nxt, periodic, rand,
		      out);
	out[wrong_constraint] = zk_ext_add_base(out[wrong_constraint], 1);
}

/*
 * A prover whose eval_aux_base disagrees with eval_aux: the debugger names
 * the disagreement, and without it the proof (its quotient built from the
 * wrong values) is rejected by the verifier, which evaluates eval_aux.
 */
static void test_aux_base_wrong(void **state)
{
	struct instance *in = instance_new(K, G);
	struct zk_air *air = &in->r.air;
	char err[256] = "";
	uint8_t *proof;
	size_t len;

	(void)state;
	real_aux_base = air->eval_aux_base;
	air->eval_aux_base = wrong_aux_base;
	for (wrong_constraint = 0; wrong_constraint < air->n_aux_constraints;
	     wrong_constraint += air->n_aux_constraints - 1) {
		err[0] = '\0';
		assert_int_equal(prove_opts(in, ZK_PARAMS_FAST, 1, 0, &proof, &len,
					    err, sizeof(err)), ZK_STARK_ETRACE);
		if (strstr(err, "eval_aux and eval_aux_base disagree") == NULL)
			fail_msg("debugger said \"%s\"", err);
		assert_int_equal(prove_opts(in, ZK_PARAMS_FAST, 0, 0, &proof, &len,
					    err, sizeof(err)), ZK_STARK_ACCEPT);
		assert_int_not_equal(verify(air, ZK_PARAMS_FAST, proof, len),
				     ZK_STARK_ACCEPT);
		free(proof);
	}
	instance_free(in);
}

static int run_group(const char *name, const struct CMUnitTest *tests,
		     size_t count, const char *want)
{
	if (want != NULL && strcmp(want, name) != 0)
		return 0;
	return _cmocka_run_group_tests(name, tests, count, NULL, NULL);
}

#define RUN(name, arr, want) run_group(name, arr, sizeof(arr) / sizeof(arr[0]), want)

int main(int argc, char **argv)
{
	const struct CMUnitTest basics[] = {
		cmocka_unit_test(test_logup_group),
		cmocka_unit_test(test_floor_matches_shape),
		cmocka_unit_test(test_statement_parser),
		cmocka_unit_test(test_build_aux_refuses),
		cmocka_unit_test(test_build_aux_rows),
	};
	const struct CMUnitTest complete[] = {
		cmocka_unit_test(test_complete_fast),
	};
	const struct CMUnitTest complete_sets[] = {
		cmocka_unit_test(test_complete_other_sets),
	};
	const struct CMUnitTest shapes[] = {
		cmocka_unit_test(test_complete_shapes),
	};
	const struct CMUnitTest values_2_16[] = {
		cmocka_unit_test(test_reject_2_16),
	};
	const struct CMUnitTest values_negative[] = {
		cmocka_unit_test(test_reject_negative),
	};
	const struct CMUnitTest values_edges[] = {
		cmocka_unit_test(test_reject_last_row),
		cmocka_unit_test(test_row0_is_padding),
	};
	const struct CMUnitTest cheat_mult[] = {
		cmocka_unit_test(test_reject_wrong_multiplicity),
	};
	const struct CMUnitTest cheat_table[] = {
		cmocka_unit_test(test_reject_forged_table),
		cmocka_unit_test(test_reject_selector),
	};
	const struct CMUnitTest tamper[] = {
		cmocka_unit_test(test_byte_flips),
		cmocka_unit_test(test_wrong_statement),
	};
	const struct CMUnitTest aux_base[] = {
		cmocka_unit_test(test_aux_base_same_proof),
		cmocka_unit_test(test_aux_base_wrong),
	};
	const char *want = argc > 1 ? argv[1] : NULL;
	int failed = 0;

	failed += RUN("basics", basics, want);
	failed += RUN("complete", complete, want);
	failed += RUN("complete_sets", complete_sets, want);
	failed += RUN("shapes", shapes, want);
	failed += RUN("values_2_16", values_2_16, want);
	failed += RUN("values_negative", values_negative, want);
	failed += RUN("values_edges", values_edges, want);
	failed += RUN("cheat_mult", cheat_mult, want);
	failed += RUN("cheat_table", cheat_table, want);
	failed += RUN("tamper", tamper, want);
	failed += RUN("aux_base", aux_base, want);
	return failed;
}
