/* SPDX-License-Identifier: MIT */
/*
 * NTT, coset NTT and LDE against direct O(n^2) evaluation, round trips,
 * the bit-reversed output order, thread-count independence and the
 * argument checks.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "field.h"
#include "ntt.h"

static uint64_t rng_state = 0x0123456789ABCDEFull;

static uint64_t rnd64(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static zk_gl rnd_gl(void)
{
	uint64_t x;

	do
		x = rnd64();
	while (x >= ZK_GL_P);
	return x;
}

static zk_gl *alloc_col(size_t n)
{
	zk_gl *c = malloc((n ? n : 1) * sizeof(*c));

	assert_non_null(c);
	return c;
}

static zk_gl *random_col(size_t n)
{
	zk_gl *c = alloc_col(n);

	for (size_t i = 0; i < n; i++)
		c[i] = rnd_gl();
	return c;
}

/* Horner: f(x) for coefficients c[0..n) */
static zk_gl horner(const zk_gl *c, size_t n, zk_gl x)
{
	zk_gl acc = 0;

	for (size_t i = n; i-- > 0;)
		acc = zk_gl_add(zk_gl_mul(acc, x), c[i]);
	return acc;
}

static void test_bitrev(void **state)
{
	zk_gl col[16];

	(void)state;
	assert_int_equal(zk_ntt_bitrev(0, 0), 0);
	assert_int_equal(zk_ntt_bitrev(1, 1), 1);
	assert_int_equal(zk_ntt_bitrev(1, 4), 8);
	assert_int_equal(zk_ntt_bitrev(6, 4), 6);
	assert_int_equal(zk_ntt_bitrev(3, 5), 24);
	assert_int_equal(zk_ntt_bitrev(1, 24), (size_t)1 << 23);
	for (unsigned int log_n = 0; log_n <= 12; log_n++)
		for (size_t i = 0; i < ((size_t)1 << log_n); i++)
			assert_int_equal(zk_ntt_bitrev(zk_ntt_bitrev(i, log_n), log_n), i);
	for (size_t i = 0; i < 16; i++)
		col[i] = i;
	zk_ntt_bitrev_permute(col, 4);
	for (size_t i = 0; i < 16; i++)
		assert_int_equal(col[i], zk_ntt_bitrev(i, 4));
	/* small sizes swap pairs, large ones go by tiles: cover both */
	for (unsigned int log_n = 0; log_n <= 14; log_n++) {
		size_t n = (size_t)1 << log_n;
		zk_gl *big = alloc_col(n);

		for (size_t i = 0; i < n; i++)
			big[i] = i;
		zk_ntt_bitrev_permute(big, log_n);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(big[i], zk_ntt_bitrev(i, log_n));
		zk_ntt_bitrev_permute(big, log_n);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(big[i], i);
		free(big);
	}
}

/* forward = naive DFT read in bit-reversed order; inverse undoes it */
static void test_against_naive_dft(void **state)
{
	(void)state;
	for (unsigned int log_n = 0; log_n <= 10; log_n++) {
		size_t n = (size_t)1 << log_n;
		zk_gl w = zk_gl_root_of_unity(log_n);
		zk_gl *coef = random_col(n);
		zk_gl *a = alloc_col(n);
		zk_gl *cols[1] = { a };

		memcpy(a, coef, n * sizeof(*a));
		assert_int_equal(zk_ntt_forward(cols, 1, log_n, 1), 0);
		for (size_t i = 0; i < n; i++) {
			zk_gl x = zk_gl_pow(w, zk_ntt_bitrev(i, log_n));

			assert_int_equal(a[i], horner(coef, n, x));
		}
		assert_int_equal(zk_ntt_inverse(cols, 1, log_n, 1), 0);
		assert_memory_equal(a, coef, n * sizeof(*a));
		free(coef);
		free(a);
	}
}

static void test_round_trip(void **state)
{
	(void)state;
	for (unsigned int log_n = 0; log_n <= 16; log_n++) {
		size_t n = (size_t)1 << log_n;
		zk_gl *orig[2] = { random_col(n), random_col(n) };
		zk_gl *cols[2] = { alloc_col(n), alloc_col(n) };

		for (int c = 0; c < 2; c++)
			memcpy(cols[c], orig[c], n * sizeof(zk_gl));
		assert_int_equal(zk_ntt_forward(cols, 2, log_n, 1), 0);
		if (n > 1)
			assert_memory_not_equal(cols[0], orig[0], n * sizeof(zk_gl));
		assert_int_equal(zk_ntt_inverse(cols, 2, log_n, 1), 0);
		for (int c = 0; c < 2; c++) {
			assert_memory_equal(cols[c], orig[c], n * sizeof(zk_gl));
			free(cols[c]);
			free(orig[c]);
		}
	}
}

static void test_coset(void **state)
{
	(void)state;
	for (unsigned int log_n = 0; log_n <= 11; log_n += 1) {
		size_t n = (size_t)1 << log_n;
		zk_gl shift = log_n % 2 ? ZK_GL_MULTIPLICATIVE_GENERATOR : rnd_gl();
		zk_gl w = zk_gl_root_of_unity(log_n);
		zk_gl *coef = random_col(n);
		zk_gl *a = alloc_col(n);
		zk_gl *cols[1] = { a };
		size_t step = n > 64 ? n / 61 : 1;

		memcpy(a, coef, n * sizeof(*a));
		assert_int_equal(zk_ntt_coset_forward(cols, 1, log_n, shift, 1), 0);
		for (size_t i = 0; i < n; i += step) {
			zk_gl x = zk_gl_mul(shift, zk_gl_pow(w, zk_ntt_bitrev(i, log_n)));

			assert_int_equal(a[i], horner(coef, n, x));
		}
		assert_int_equal(zk_ntt_coset_inverse(cols, 1, log_n, shift, 1), 0);
		assert_memory_equal(a, coef, n * sizeof(*a));
		/* the unchecked entry (canonical inputs) gives the same values */
		{
			zk_gl *b = alloc_col(n);
			zk_gl *bcols[1] = { b };

			memcpy(b, coef, n * sizeof(*b));
			assert_int_equal(zk_ntt_coset_forward(cols, 1, log_n, shift,
							      1), 0);
			assert_int_equal(zk_ntt_coset_forward_trusted(bcols, 1, log_n,
								      shift, 2), 0);
			assert_memory_equal(a, b, n * sizeof(*a));
			free(b);
		}
		free(coef);
		free(a);
	}
}

/* LDE output = the trace's interpolant evaluated on shift·H_N */
static void check_lde(unsigned int log_n, unsigned int log_blowup, zk_gl shift)
{
	size_t n = (size_t)1 << log_n;
	size_t big = n << log_blowup;
	unsigned int log_big = log_n + log_blowup;
	zk_gl w_n = zk_gl_root_of_unity(log_n);
	zk_gl w_big = zk_gl_root_of_unity(log_big);
	zk_gl *coef = random_col(n);
	zk_gl *trace = alloc_col(n);
	zk_gl *out = alloc_col(big);
	zk_gl *outs[1] = { out };
	const zk_gl *ins[1] = { trace };
	size_t step = big > 128 ? big / 127 : 1;
	zk_gl x = 1;

	for (size_t i = 0; i < n; i++) {
		trace[i] = horner(coef, n, x);
		x = zk_gl_mul(x, w_n);
	}
	assert_int_equal(zk_ntt_lde(outs, ins, 1, log_n, log_blowup, shift, 1), 0);
	for (size_t i = 0; i < big; i += step) {
		zk_gl pt = zk_gl_mul(shift, zk_gl_pow(w_big, zk_ntt_bitrev(i, log_big)));

		assert_int_equal(out[i], horner(coef, n, pt));
	}
	/* x and -x side by side, as FRI folding expects */
	for (size_t i = 0; i + 1 < big && log_big > 0; i += 2 * step) {
		zk_gl pt = zk_gl_mul(shift, zk_gl_pow(w_big, zk_ntt_bitrev(i, log_big)));

		assert_int_equal(out[i + 1], horner(coef, n, zk_gl_neg(pt)));
	}
	free(coef);
	free(trace);
	free(out);
}

static void test_lde(void **state)
{
	(void)state;
	check_lde(0, 0, ZK_GL_MULTIPLICATIVE_GENERATOR);
	check_lde(0, 3, ZK_GL_MULTIPLICATIVE_GENERATOR);
	check_lde(1, 1, ZK_GL_MULTIPLICATIVE_GENERATOR);
	check_lde(3, 2, 1);
	check_lde(5, 0, ZK_GL_MULTIPLICATIVE_GENERATOR);
	for (unsigned int lb = 1; lb <= 3; lb++)
		check_lde(8, lb, ZK_GL_MULTIPLICATIVE_GENERATOR);
	check_lde(6, ZK_NTT_MAX_LOG_BLOWUP, rnd_gl() | 1);
	check_lde(11, 2, ZK_GL_MULTIPLICATIVE_GENERATOR);
}

/* The LDE of a low-degree trace restricted to H_n gives the trace back. */
static void test_lde_consistency(void **state)
{
	enum { LOG_N = 12, LOG_B = 2 };
	size_t n = (size_t)1 << LOG_N, big = n << LOG_B;
	zk_gl *trace = random_col(n);
	zk_gl *ext = alloc_col(big);
	zk_gl *outs[1] = { ext };
	const zk_gl *ins[1] = { trace };

	(void)state;
	/* shift 1: H_n is the subgroup of H_N at k ≡ 0 mod 4, i.e. the
	 * bit-reversed positions whose top LOG_B bits are zero: block 0 */
	assert_int_equal(zk_ntt_lde(outs, ins, 1, LOG_N, LOG_B, 1, 1), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(ext[i], trace[zk_ntt_bitrev(i, LOG_N)]);
	free(trace);
	free(ext);
}

enum op { OP_FWD, OP_INV, OP_CFWD, OP_CINV, OP_LDE };

static void run_op(enum op op, zk_gl **cols, const zk_gl *const *ins,
		   size_t ncols, unsigned int log_n, unsigned int threads)
{
	int rc = -1;

	switch (op) {
	case OP_FWD:
		rc = zk_ntt_forward(cols, ncols, log_n, threads);
		break;
	case OP_INV:
		rc = zk_ntt_inverse(cols, ncols, log_n, threads);
		break;
	case OP_CFWD:
		rc = zk_ntt_coset_forward(cols, ncols, log_n, 7, threads);
		break;
	case OP_CINV:
		rc = zk_ntt_coset_inverse(cols, ncols, log_n, 7, threads);
		break;
	case OP_LDE:
		rc = zk_ntt_lde(cols, ins, ncols, log_n, 2, 7, threads);
		break;
	}
	assert_int_equal(rc, 0);
}

/*
 * Spans of 2^14 and more keep only their first 1024 twiddles cached and
 * make the rest per chunk (ntt.c, span_butterflies): sizes 2^15 and 2^17,
 * one thread and a team (stage_range's split stages), plain and coset,
 * checked at sampled positions against Horner, and inverted back.
 */
static void test_wide_spans(void **state)
{
	static const unsigned int sizes[] = { 15, 17 };
	static const unsigned int threads[] = { 1, 3 };

	(void)state;
	for (size_t si = 0; si < 2; si++) {
		unsigned int log_n = sizes[si];
		size_t n = (size_t)1 << log_n;
		zk_gl w = zk_gl_root_of_unity(log_n);
		zk_gl *coeffs = random_col(n), *col = alloc_col(n);
		zk_gl *cols[1] = { col };

		for (size_t ti = 0; ti < 2; ti++)
			for (int coset = 0; coset < 2; coset++) {
				zk_gl shift = coset ? 7 : 1;

				memcpy(col, coeffs, n * sizeof(zk_gl));
				assert_int_equal(coset ?
					zk_ntt_coset_forward(cols, 1, log_n, shift,
							     threads[ti]) :
					zk_ntt_forward(cols, 1, log_n, threads[ti]), 0);
				for (size_t k = 0; k < 24; k++) {
					/* the first and last chunks, then anywhere */
					size_t i = k < 4 ? k : k < 8 ? n - 1 - k :
						   rnd64() & (n - 1);
					zk_gl x = zk_gl_mul(shift, zk_gl_pow(w,
						zk_ntt_bitrev(i, log_n)));

					assert_int_equal(col[i], horner(coeffs, n, x));
				}
				assert_int_equal(coset ?
					zk_ntt_coset_inverse(cols, 1, log_n, shift,
							     threads[ti]) :
					zk_ntt_inverse(cols, 1, log_n, threads[ti]), 0);
				assert_memory_equal(col, coeffs, n * sizeof(zk_gl));
			}
		free(coeffs);
		free(col);
	}
}

/* Column-parallel, split-transform and mixed schedules all agree. */
static void test_threads_match(void **state)
{
	enum { MAXC = 5, LOG_N = 14 };
	static const unsigned int thread_counts[] = { 2, 3, 4, 8 };
	static const size_t col_counts[] = { 1, 2, 3, 5 };
	size_t n = (size_t)1 << LOG_N, big = n << 2;
	zk_gl *src[MAXC], *ref[MAXC], *got[MAXC];

	(void)state;
	for (size_t c = 0; c < MAXC; c++) {
		src[c] = random_col(n);
		ref[c] = alloc_col(big);
		got[c] = alloc_col(big);
	}
	for (int op = OP_FWD; op <= OP_LDE; op++) {
		size_t len = op == OP_LDE ? big : n;

		for (size_t ci = 0; ci < 4; ci++) {
			size_t ncols = col_counts[ci];

			for (size_t c = 0; c < ncols; c++)
				memcpy(ref[c], src[c], n * sizeof(zk_gl));
			run_op(op, ref, (const zk_gl *const *)src, ncols, LOG_N, 1);
			for (size_t ti = 0; ti < 4; ti++) {
				for (size_t c = 0; c < ncols; c++)
					memcpy(got[c], src[c], n * sizeof(zk_gl));
				run_op(op, got, (const zk_gl *const *)src, ncols,
				       LOG_N, thread_counts[ti]);
				for (size_t c = 0; c < ncols; c++)
					assert_memory_equal(got[c], ref[c],
							    len * sizeof(zk_gl));
			}
		}
	}
	for (size_t c = 0; c < MAXC; c++) {
		free(src[c]);
		free(ref[c]);
		free(got[c]);
	}
}

static void test_bad_arguments(void **state)
{
	zk_gl a[4] = { 1, 2, 3, 4 }, before[4], big[16];
	zk_gl *cols[2] = { a, NULL };
	zk_gl *outs[1] = { big };
	const zk_gl *ins[1] = { a };

	(void)state;
	memcpy(before, a, sizeof(a));
	assert_int_equal(zk_ntt_forward(cols, 1, ZK_NTT_MAX_LOG_N + 1, 1), -EINVAL);
	assert_int_equal(zk_ntt_forward(cols, 2, 2, 1), -EINVAL);
	assert_int_equal(zk_ntt_forward(NULL, 1, 2, 1), -EINVAL);
	assert_int_equal(zk_ntt_inverse(cols, 2, 2, 1), -EINVAL);
	assert_int_equal(zk_ntt_coset_forward(cols, 1, 2, 0, 1), -EINVAL);
	assert_int_equal(zk_ntt_coset_inverse(cols, 1, 2, 0, 1), -EINVAL);
	assert_int_equal(zk_ntt_coset_forward(cols, 1, 2, ZK_GL_P, 1), -EINVAL);
	assert_int_equal(zk_ntt_lde(outs, ins, 1, 2, ZK_NTT_MAX_LOG_BLOWUP + 1,
				    7, 1), -EINVAL);
	assert_int_equal(zk_ntt_lde(outs, ins, 1, 2, 2, 0, 1), -EINVAL);
	assert_int_equal(zk_ntt_lde(cols + 1, ins, 1, 2, 2, 7, 1), -EINVAL);
	assert_int_equal(zk_ntt_prepare(ZK_NTT_MAX_LOG_N + 1), -EINVAL);
	assert_memory_equal(a, before, sizeof(a));
	/* an element >= p is refused, not silently reduced or mangled */
	a[3] = ZK_GL_P;
	assert_int_equal(zk_ntt_forward(cols, 1, 2, 1), -EINVAL);
	assert_int_equal(zk_ntt_coset_inverse(cols, 1, 2, 7, 1), -EINVAL);
	assert_int_equal(zk_ntt_lde(outs, ins, 1, 2, 2, 7, 1), -EINVAL);
	assert_int_equal(a[3], ZK_GL_P);
	a[3] = 4;
	/* nothing to do is not an error */
	assert_int_equal(zk_ntt_forward(NULL, 0, 2, 1), 0);
	/* 0 threads means the caller only */
	assert_int_equal(zk_ntt_forward(cols, 1, 2, 0), 0);
	assert_int_equal(zk_ntt_inverse(cols, 1, 2, 0), 0);
	assert_memory_equal(a, before, sizeof(a));
}

/* The twiddle cache is rebuilt after teardown and shared by threads. */
static void test_teardown_rebuild(void **state)
{
	enum { LOG_N = 13 };
	size_t n = (size_t)1 << LOG_N;
	zk_gl *orig = random_col(n), *a = alloc_col(n), *b = alloc_col(n);
	zk_gl *ca[1] = { a }, *cb[1] = { b };

	(void)state;
	memcpy(a, orig, n * sizeof(zk_gl));
	memcpy(b, orig, n * sizeof(zk_gl));
	assert_int_equal(zk_ntt_forward(ca, 1, LOG_N, 2), 0);
	zk_ntt_teardown();
	zk_ntt_teardown(); /* idempotent */
	assert_int_equal(zk_ntt_prepare(LOG_N), 0);
	assert_int_equal(zk_ntt_forward(cb, 1, LOG_N, 4), 0);
	assert_memory_equal(a, b, n * sizeof(zk_gl));
	free(orig);
	free(a);
	free(b);
}

struct concurrent_call {
	zk_gl *col;
	unsigned int log_n;
	int rc;
};

static void *concurrent_forward(void *arg)
{
	struct concurrent_call *call = arg;
	zk_gl *cols[1] = { call->col };

	call->rc = zk_ntt_forward(cols, 1, call->log_n, 2);
	return NULL;
}

/* Callers racing to build the same twiddles all get correct results. */
static void test_concurrent_callers(void **state)
{
	enum { CALLERS = 4, LOG_N = 15 };
	size_t n = (size_t)1 << LOG_N;
	zk_gl *orig = random_col(n), *ref = alloc_col(n);
	zk_gl *refs[1] = { ref };
	struct concurrent_call calls[CALLERS];
	pthread_t tids[CALLERS];

	(void)state;
	memcpy(ref, orig, n * sizeof(zk_gl));
	assert_int_equal(zk_ntt_forward(refs, 1, LOG_N, 1), 0);
	zk_ntt_teardown();
	for (int i = 0; i < CALLERS; i++) {
		calls[i].col = alloc_col(n);
		calls[i].log_n = LOG_N;
		calls[i].rc = -1;
		memcpy(calls[i].col, orig, n * sizeof(zk_gl));
		assert_int_equal(pthread_create(&tids[i], NULL, concurrent_forward,
						&calls[i]), 0);
	}
	for (int i = 0; i < CALLERS; i++) {
		assert_int_equal(pthread_join(tids[i], NULL), 0);
		assert_int_equal(calls[i].rc, 0);
		assert_memory_equal(calls[i].col, ref, n * sizeof(zk_gl));
		free(calls[i].col);
	}
	free(orig);
	free(ref);
}

/*
 * Every code path of this CPU (portable, AVX2 with its fused and radix-4
 * passes, AVX-512) against the naive DFT, the LDE and the tiled bit
 * reversal (its store transposes in AVX2 registers) on each: the
 * default path alone would leave the portable fallback unchecked. Sizes
 * up to 2^10 take every pass: radix-4 pairs from 2^6 on, an odd leftover
 * stage at 2^5, 2^7, 2^9.
 */
static void test_every_path(void **state)
{
	const struct zk_gl_vec_ops *saved = zk_gl_vec_ops_default();
	unsigned int paths = 0;

	(void)state;
	for (int kind = 0; kind < ZK_GL_SIMD_COUNT; kind++) {
		if (!zk_gl_vec_ops_set_default((enum zk_gl_simd)kind))
			continue;
		paths++;
		for (unsigned int log_n = 0; log_n <= 10; log_n++) {
			size_t n = (size_t)1 << log_n;
			zk_gl w = zk_gl_root_of_unity(log_n);
			zk_gl *coef = random_col(n);
			zk_gl *a = alloc_col(n);
			zk_gl *cols[1] = { a };

			/* edge values among the coefficients */
			coef[0] = ZK_GL_P - 1;
			if (n > 2) {
				coef[1] = 0;
				coef[2] = 0xFFFFFFFFull;
			}
			memcpy(a, coef, n * sizeof(*a));
			assert_int_equal(zk_ntt_forward(cols, 1, log_n, 1), 0);
			for (size_t i = 0; i < n; i++)
				assert_int_equal(a[i], horner(coef, n,
					zk_gl_pow(w, zk_ntt_bitrev(i, log_n))));
			assert_int_equal(zk_ntt_inverse(cols, 1, log_n, 1), 0);
			assert_memory_equal(a, coef, n * sizeof(*a));
			free(coef);
			free(a);
		}
		check_lde(7, 1, ZK_GL_MULTIPLICATIVE_GENERATOR);
		check_lde(10, 2, ZK_GL_MULTIPLICATIVE_GENERATOR);
		/* the tiled bit reversal's store follows the path too */
		for (unsigned int log_n = 8; log_n <= 12; log_n++) {
			size_t n = (size_t)1 << log_n;
			zk_gl *big = alloc_col(n);

			for (size_t i = 0; i < n; i++)
				big[i] = i;
			zk_ntt_bitrev_permute(big, log_n);
			for (size_t i = 0; i < n; i++)
				assert_int_equal(big[i], zk_ntt_bitrev(i, log_n));
			free(big);
		}
	}
	assert_true(zk_gl_vec_ops_set_default(saved->kind));
	assert_true(paths >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bitrev),
		cmocka_unit_test(test_against_naive_dft),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_coset),
		cmocka_unit_test(test_lde),
		cmocka_unit_test(test_lde_consistency),
		cmocka_unit_test(test_threads_match),
		cmocka_unit_test(test_wide_spans),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_teardown_rebuild),
		cmocka_unit_test(test_concurrent_callers),
		cmocka_unit_test(test_every_path),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	zk_ntt_teardown();
	return failed;
}
