/* SPDX-License-Identifier: MIT */
/*
 * Goldilocks base field and its array kernels on every SIMD path this CPU
 * has, checked against a plain 128-bit `% p` reference and against the
 * algebraic laws. The cubic extension has its own test (test_ext3.c).
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "field.h"

typedef unsigned __int128 u128;

static const uint64_t P = ZK_GL_P;

static uint64_t ref_add(uint64_t a, uint64_t b)
{
	return (uint64_t)(((u128)a + b) % P);
}

static uint64_t ref_sub(uint64_t a, uint64_t b)
{
	return (uint64_t)(((u128)a + P - b) % P);
}

static uint64_t ref_mul(uint64_t a, uint64_t b)
{
	return (uint64_t)(((u128)a * b) % P);
}

static uint64_t rng_state = 0x243F6A8885A308D3ull;

/* splitmix64: deterministic, so a failure reproduces */
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
	while (x >= P);
	return x;
}

/* Values where carries, borrows and the reduction's branches turn over. */
static const zk_gl edge[] = {
	0, 1, 2, 3, 7,
	0xFFFFFFFFull,          /* 2^32 - 1 = 2^64 mod p */
	0x100000000ull,         /* 2^32 */
	0x100000001ull,
	0x7FFFFFFFFFFFFFFFull,
	0x8000000000000000ull,  /* 2^63 */
	0x8000000000000001ull,
	0xFFFFFFFE00000000ull,
	0xFFFFFFFE00000001ull,  /* p - 2^32 */
	0xFFFFFFFEFFFFFFFFull,  /* p - 2 */
	0xFFFFFFFF00000000ull,  /* p - 1 */
	0xFFFFFFFEFFFFFFFEull,  /* p - 3 */
};

#define N_EDGE (sizeof(edge) / sizeof(edge[0]))
#define N_RANDOM 20000

static void test_reference_edges(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_EDGE; i++) {
		zk_gl a = edge[i];

		assert_true(zk_gl_is_canonical(a));
		assert_int_equal(zk_gl_neg(a), ref_sub(0, a));
		assert_int_equal(zk_gl_sqr(a), ref_mul(a, a));
		for (size_t j = 0; j < N_EDGE; j++) {
			zk_gl b = edge[j];

			assert_int_equal(zk_gl_add(a, b), ref_add(a, b));
			assert_int_equal(zk_gl_sub(a, b), ref_sub(a, b));
			assert_int_equal(zk_gl_mul(a, b), ref_mul(a, b));
		}
	}
}

static void test_reference_random(void **state)
{
	(void)state;
	for (int i = 0; i < N_RANDOM; i++) {
		zk_gl a = rnd_gl(), b = rnd_gl();
		u128 wide = ((u128)rnd64() << 64) | rnd64();
		uint64_t raw = rnd64();

		assert_int_equal(zk_gl_add(a, b), ref_add(a, b));
		assert_int_equal(zk_gl_sub(a, b), ref_sub(a, b));
		assert_int_equal(zk_gl_mul(a, b), ref_mul(a, b));
		assert_int_equal(zk_gl_neg(a), ref_sub(0, a));
		assert_int_equal(zk_gl_reduce128(wide), (uint64_t)(wide % P));
		assert_int_equal(zk_gl_from_u64(raw), raw % P);
	}
	assert_int_equal(zk_gl_reduce128(~(u128)0), (uint64_t)(~(u128)0 % P));
	assert_int_equal(zk_gl_reduce128((u128)(P - 1) * (P - 1)), 1);
	assert_int_equal(zk_gl_from_u64(UINT64_MAX), UINT64_MAX - P);
	assert_int_equal(zk_gl_from_u64(P), 0);
}

static void test_laws(void **state)
{
	(void)state;
	for (int i = 0; i < N_RANDOM; i++) {
		zk_gl a = i < (int)N_EDGE ? edge[i] : rnd_gl();
		zk_gl b = rnd_gl(), c = edge[(size_t)i % N_EDGE];

		assert_int_equal(zk_gl_add(a, b), zk_gl_add(b, a));
		assert_int_equal(zk_gl_mul(a, b), zk_gl_mul(b, a));
		assert_int_equal(zk_gl_add(zk_gl_add(a, b), c),
				 zk_gl_add(a, zk_gl_add(b, c)));
		assert_int_equal(zk_gl_mul(zk_gl_mul(a, b), c),
				 zk_gl_mul(a, zk_gl_mul(b, c)));
		assert_int_equal(zk_gl_mul(a, zk_gl_add(b, c)),
				 zk_gl_add(zk_gl_mul(a, b), zk_gl_mul(a, c)));
		assert_int_equal(zk_gl_add(a, 0), a);
		assert_int_equal(zk_gl_mul(a, 1), a);
		assert_int_equal(zk_gl_mul(a, 0), 0);
		assert_int_equal(zk_gl_add(a, zk_gl_neg(a)), 0);
		assert_int_equal(zk_gl_sub(a, b), zk_gl_add(a, zk_gl_neg(b)));
		assert_int_equal(zk_gl_sub(zk_gl_add(a, b), b), a);
	}
}

static void test_inverse(void **state)
{
	zk_gl out = 12345;

	(void)state;
	assert_false(zk_gl_inv(0, &out));
	assert_int_equal(out, 12345); /* untouched on failure */
	for (int i = 0; i < N_RANDOM / 4; i++) {
		zk_gl a = i < (int)N_EDGE ? edge[i] : rnd_gl();
		zk_gl inv;

		if (a == 0)
			continue;
		assert_true(zk_gl_inv(a, &inv));
		assert_true(zk_gl_is_canonical(inv));
		assert_int_equal(ref_mul(a, inv), 1);
		assert_int_equal(inv, zk_gl_pow(a, P - 2));
	}
}

static void test_batch_inverse(void **state)
{
	enum { N = 257 };
	zk_gl in[N] = { 0 }, out[N];

	(void)state;
	assert_int_equal(zk_gl_batch_inv(out, in, 0), 0);
	for (int round = 0; round < 6; round++) {
		size_t zeros = 0;

		for (size_t i = 0; i < N; i++) {
			in[i] = i < N_EDGE ? edge[(i + (size_t)round) % N_EDGE]
					   : rnd_gl();
			if (round == 1 && i % 3 == 0)
				in[i] = 0;
			if (round == 2)
				in[i] = 0;
			if (round == 3 && (i == 0 || i == N - 1))
				in[i] = 0;
			zeros += in[i] == 0;
		}
		assert_int_equal(zk_gl_batch_inv(out, in, N), zeros);
		for (size_t i = 0; i < N; i++) {
			zk_gl single;

			if (in[i] == 0) {
				assert_int_equal(out[i], 0);
				continue;
			}
			assert_true(zk_gl_inv(in[i], &single));
			assert_int_equal(out[i], single);
		}
	}
	in[0] = 0;
	assert_int_equal(zk_gl_batch_inv(out, in, 1), 1);
	assert_int_equal(out[0], 0);
	in[0] = 2;
	assert_int_equal(zk_gl_batch_inv(out, in, 1), 0);
	assert_int_equal(ref_mul(out[0], 2), 1);
}

static void test_pow(void **state)
{
	(void)state;
	assert_int_equal(zk_gl_pow(0, 0), 1);
	assert_int_equal(zk_gl_pow(0, 5), 0);
	for (int i = 0; i < 200; i++) {
		zk_gl a = rnd_gl(), acc = 1;

		for (uint64_t e = 0; e < 70; e++) {
			assert_int_equal(zk_gl_pow(a, e), acc);
			acc = ref_mul(acc, a);
		}
		if (a)
			assert_int_equal(zk_gl_pow(a, P - 1), 1); /* Fermat */
	}
}

static void test_constants(void **state)
{
	static const uint64_t odd_primes[] = { 3, 5, 17, 257, 65537 };
	zk_gl g = ZK_GL_TWO_ADIC_GENERATOR;
	uint64_t odd = 1;

	(void)state;
	/* p - 1 = 2^32 · 3·5·17·257·65537 */
	for (size_t i = 0; i < 5; i++)
		odd *= odd_primes[i];
	assert_int_equal((uint64_t)1 << 32, (P - 1) / odd);
	assert_int_equal((P - 1) % odd, 0);

	/* 7 generates F_p^*: 7^((p-1)/q) != 1 for every prime q | p-1 */
	assert_int_not_equal(zk_gl_pow(ZK_GL_MULTIPLICATIVE_GENERATOR, (P - 1) / 2), 1);
	for (size_t i = 0; i < 5; i++)
		assert_int_not_equal(zk_gl_pow(ZK_GL_MULTIPLICATIVE_GENERATOR,
					       (P - 1) / odd_primes[i]), 1);

	/* the two-adic generator: order exactly 2^32 */
	assert_int_equal(g, zk_gl_pow(ZK_GL_MULTIPLICATIVE_GENERATOR, odd));
	assert_int_equal(zk_gl_pow(g, (uint64_t)1 << 32), 1);
	assert_int_not_equal(zk_gl_pow(g, (uint64_t)1 << 31), 1);
	assert_int_equal(zk_gl_pow(g, (uint64_t)1 << 31), P - 1);

	for (unsigned int k = 0; k <= ZK_GL_TWO_ADICITY; k++) {
		zk_gl w = zk_gl_root_of_unity(k);

		assert_int_equal(zk_gl_pow(w, (uint64_t)1 << k), 1);
		if (k > 0)
			assert_int_equal(zk_gl_pow(w, (uint64_t)1 << (k - 1)), P - 1);
	}
	assert_int_equal(zk_gl_root_of_unity(1), P - 1);
	assert_int_equal(zk_gl_root_of_unity(ZK_GL_TWO_ADICITY + 1), 0);
}

/* Every kernel of one SIMD path against the scalar inline functions. */
static void check_vec_path(enum zk_gl_simd kind)
{
	enum { MAXN = 77 };
	const struct zk_gl_vec_ops *ops = zk_gl_vec_ops_for(kind);
	zk_gl a[MAXN], b[MAXN], w[MAXN], out[MAXN], x[MAXN], y[MAXN];

	if (!ops) {
		print_message("SIMD path %d not supported by this CPU\n", kind);
		skip();
	}
	assert_int_equal(ops->kind, kind);
	for (size_t n = 0; n <= MAXN; n++) {
		zk_gl s = n < N_EDGE ? edge[n] : rnd_gl();

		for (size_t i = 0; i < n; i++) {
			a[i] = (i + n) % 3 ? rnd_gl() : edge[(i + n) % N_EDGE];
			b[i] = i % 2 ? rnd_gl() : edge[(i * 7 + n) % N_EDGE];
			w[i] = rnd_gl();
		}
		ops->add(out, a, b, n);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(out[i], ref_add(a[i], b[i]));
		ops->sub(out, a, b, n);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(out[i], ref_sub(a[i], b[i]));
		ops->mul(out, a, b, n);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(out[i], ref_mul(a[i], b[i]));
		ops->mul_scalar(out, a, s, n);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(out[i], ref_mul(a[i], s));

		for (size_t i = 0; i < n; i++) {
			x[i] = a[i];
			y[i] = b[i];
		}
		ops->dif_butterfly(x, y, w, n);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(x[i], ref_add(a[i], b[i]));
			assert_int_equal(y[i], ref_mul(ref_sub(a[i], b[i]), w[i]));
		}
		for (size_t i = 0; i < n; i++) {
			x[i] = a[i];
			y[i] = b[i];
		}
		ops->dit_butterfly(x, y, w, n);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(x[i], ref_add(a[i], ref_mul(b[i], w[i])));
			assert_int_equal(y[i], ref_sub(a[i], ref_mul(b[i], w[i])));
		}

		/* in place: out aliases an input */
		for (size_t i = 0; i < n; i++)
			x[i] = a[i];
		ops->mul(x, x, b, n);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(x[i], ref_mul(a[i], b[i]));
	}

	/* every pair of edge values, which includes reductions that land in
	 * [p, 2^64) before the last fix-up, e.g. (2^32+1)(2^32-1) = 2^64-1 */
	for (size_t i = 0; i < N_EDGE; i++) {
		zk_gl row[N_EDGE], col[N_EDGE], res[N_EDGE];

		for (size_t j = 0; j < N_EDGE; j++) {
			row[j] = edge[i];
			col[j] = edge[j];
		}
		ops->mul(res, row, col, N_EDGE);
		for (size_t j = 0; j < N_EDGE; j++)
			assert_int_equal(res[j], ref_mul(edge[i], edge[j]));
		ops->add(res, row, col, N_EDGE);
		for (size_t j = 0; j < N_EDGE; j++)
			assert_int_equal(res[j], ref_add(edge[i], edge[j]));
		ops->sub(res, row, col, N_EDGE);
		for (size_t j = 0; j < N_EDGE; j++)
			assert_int_equal(res[j], ref_sub(edge[i], edge[j]));
	}
}

/* The two stages a radix-4 pass fuses, one at a time with the reference. */
static void ref_dif2(zk_gl *a, size_t m, const zk_gl *tp)
{
	for (size_t j = 0; j < 2 * m; j++) {
		zk_gl u = a[j], v = a[j + 2 * m];

		a[j] = ref_add(u, v);
		a[j + 2 * m] = ref_mul(ref_sub(u, v), tp[j]);
	}
	for (size_t h = 0; h < 4 * m; h += 2 * m)
		for (size_t j = 0; j < m; j++) {
			zk_gl u = a[h + j], v = a[h + j + m];

			a[h + j] = ref_add(u, v);
			a[h + j + m] = ref_mul(ref_sub(u, v), tp[2 * j]);
		}
}

static void ref_dit2(zk_gl *a, size_t m, const zk_gl *tp)
{
	for (size_t h = 0; h < 4 * m; h += 2 * m)
		for (size_t j = 0; j < m; j++) {
			zk_gl u = a[h + j], t = ref_mul(a[h + j + m], tp[2 * j]);

			a[h + j] = ref_add(u, t);
			a[h + j + m] = ref_sub(u, t);
		}
	for (size_t j = 0; j < 2 * m; j++) {
		zk_gl u = a[j], t = ref_mul(a[j + 2 * m], tp[j]);

		a[j] = ref_add(u, t);
		a[j + 2 * m] = ref_sub(u, t);
	}
}

/*
 * A path's radix-4 passes against two reference stages, on random
 * blocks, blocks of edge values (carries, 2^32 boundaries, p - 1) and
 * constant blocks of 0 and p - 1. Returns false if the path has none.
 */
static bool check_radix4(enum zk_gl_simd kind)
{
	enum { MAXM = 64 };
	const struct zk_gl_vec_ops *ops = zk_gl_vec_ops_for(kind);
	zk_gl a[4 * MAXM], ref[4 * MAXM], tp[3 * MAXM];
	zk_gl t1[MAXM], t2[MAXM], t3[MAXM];

	if (!ops || !ops->dif_radix4 || !ops->dit_radix4)
		return false;
	for (size_t m = 4; m <= MAXM; m *= 2) {
		unsigned int log_4m = (unsigned int)__builtin_ctzll(4 * m);
		zk_gl w = zk_gl_root_of_unity(log_4m);

		/* tp[i] = w^i, i < 3m; the kernels' tables from it */
		tp[0] = 1;
		for (size_t i = 1; i < 3 * m; i++)
			tp[i] = ref_mul(tp[i - 1], w);
		for (size_t j = 0; j < m; j++) {
			t1[j] = tp[j];
			t2[j] = tp[2 * j];
			t3[j] = tp[3 * j];
		}
		assert_int_equal(ref_mul(tp[m - 1], w), 1ull << 48);
		for (int pattern = 0; pattern < 5; pattern++) {
			for (size_t i = 0; i < 4 * m; i++)
				a[i] = pattern == 0 ? rnd_gl() :
				       pattern == 1 ? edge[(i * 7 + m) % N_EDGE] :
				       pattern == 2 ? edge[(i * 5 + 3) % N_EDGE] :
				       pattern == 3 ? 0 : P - 1;
			memcpy(ref, a, 4 * m * sizeof(zk_gl));
			ops->dif_radix4(a, m, t1, t2, t3);
			ref_dif2(ref, m, tp);
			assert_memory_equal(a, ref, 4 * m * sizeof(zk_gl));
			ops->dit_radix4(a, m, t1, t2, t3);
			ref_dit2(ref, m, tp);
			assert_memory_equal(a, ref, 4 * m * sizeof(zk_gl));
		}
	}
	return true;
}

/* One radix-2 stage of span m over a[0..len), twiddles w_2m^j. */
static void ref_stage(zk_gl *a, size_t len, size_t m, bool dif)
{
	zk_gl w = zk_gl_root_of_unity((unsigned int)__builtin_ctzll(2 * m));

	for (size_t blk = 0; blk < len; blk += 2 * m) {
		zk_gl t = 1;

		for (size_t j = 0; j < m; j++, t = ref_mul(t, w)) {
			zk_gl u = a[blk + j], v = a[blk + j + m];

			if (dif) {
				a[blk + j] = ref_add(u, v);
				a[blk + j + m] = ref_mul(ref_sub(u, v), t);
			} else {
				v = ref_mul(v, t);
				a[blk + j] = ref_add(u, v);
				a[blk + j + m] = ref_sub(u, v);
			}
		}
	}
}

/* A path's fused last four DIF / first four DIT stages, the same way. */
static bool check_fused4(enum zk_gl_simd kind)
{
	enum { LEN = 48 };
	const struct zk_gl_vec_ops *ops = zk_gl_vec_ops_for(kind);
	zk_gl a[LEN], ref[LEN], w8[4], w16[8];

	if (!ops || !ops->dif_last4 || !ops->dit_first4)
		return false;
	w8[0] = w16[0] = 1;
	for (size_t j = 1; j < 8; j++) {
		w16[j] = ref_mul(w16[j - 1], zk_gl_root_of_unity(4));
		if (j < 4)
			w8[j] = ref_mul(w8[j - 1], zk_gl_root_of_unity(3));
	}
	for (int pattern = 0; pattern < 5; pattern++) {
		for (size_t i = 0; i < LEN; i++)
			a[i] = pattern == 0 ? rnd_gl() :
			       pattern == 1 ? edge[(i * 7 + 1) % N_EDGE] :
			       pattern == 2 ? edge[(i * 5 + 3) % N_EDGE] :
			       pattern == 3 ? 0 : P - 1;
		memcpy(ref, a, sizeof(a));
		ops->dif_last4(a, LEN, w8, w16);
		for (size_t m = 8; m >= 1; m /= 2)
			ref_stage(ref, LEN, m, true);
		assert_memory_equal(a, ref, sizeof(a));
		ops->dit_first4(a, LEN, w8, w16);
		for (size_t m = 1; m <= 8; m *= 2)
			ref_stage(ref, LEN, m, false);
		assert_memory_equal(a, ref, sizeof(a));
	}
	return true;
}

static void test_radix4(void **state)
{
	unsigned int paths = 0, fused = 0;

	(void)state;
	for (int kind = 0; kind < ZK_GL_SIMD_COUNT; kind++) {
		paths += check_radix4((enum zk_gl_simd)kind);
		fused += check_fused4((enum zk_gl_simd)kind);
	}
	print_message("radix-4 passes checked on %u path(s), fused four "
		      "stages on %u\n", paths, fused);
	if (paths == 0 && fused == 0)
		skip();
}

static void test_vec_portable(void **state)
{
	(void)state;
	check_vec_path(ZK_GL_SIMD_PORTABLE);
}

static void test_vec_avx2(void **state)
{
	(void)state;
	check_vec_path(ZK_GL_SIMD_AVX2);
}

static void test_vec_avx512(void **state)
{
	(void)state;
	check_vec_path(ZK_GL_SIMD_AVX512);
}

static void test_vec_default(void **state)
{
	enum { N = 100 };
	const struct zk_gl_vec_ops *ops = zk_gl_vec_ops_default();
	zk_gl a[N], b[N], out[N];

	(void)state;
	assert_non_null(ops);
	assert_ptr_equal(ops, zk_gl_vec_ops_for(ops->kind));
	print_message("default array path: %s\n", ops->name);
	for (size_t i = 0; i < N; i++) {
		a[i] = rnd_gl();
		b[i] = rnd_gl();
	}
	zk_gl_vec_add(out, a, b, N);
	for (size_t i = 0; i < N; i++)
		assert_int_equal(out[i], ref_add(a[i], b[i]));
	zk_gl_vec_sub(out, a, b, N);
	for (size_t i = 0; i < N; i++)
		assert_int_equal(out[i], ref_sub(a[i], b[i]));
	zk_gl_vec_mul(out, a, b, N);
	for (size_t i = 0; i < N; i++)
		assert_int_equal(out[i], ref_mul(a[i], b[i]));
	zk_gl_vec_mul_scalar(out, a, b[0], N);
	for (size_t i = 0; i < N; i++)
		assert_int_equal(out[i], ref_mul(a[i], b[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_edges),
		cmocka_unit_test(test_reference_random),
		cmocka_unit_test(test_laws),
		cmocka_unit_test(test_inverse),
		cmocka_unit_test(test_batch_inverse),
		cmocka_unit_test(test_pow),
		cmocka_unit_test(test_constants),
		cmocka_unit_test(test_vec_portable),
		cmocka_unit_test(test_vec_avx2),
		cmocka_unit_test(test_vec_avx512),
		cmocka_unit_test(test_vec_default),
		cmocka_unit_test(test_radix4),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
