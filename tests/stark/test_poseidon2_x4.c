/* SPDX-License-Identifier: MIT */
/*
 * Poseidon2 speed paths against plain definitions: the one-state
 * permutation against a textbook one (dense matrices, canonical field
 * operations) on random and edge inputs, and the four-state batches
 * against the one-state permutation, every lane, on every path this CPU
 * runs (the portable path always).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "poseidon2.h"

static uint64_t rng_state = 0x13198a2e03707344ull;

static uint64_t splitmix64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Mostly uniform, sometimes values at the edges of the reductions. */
static zk_gl test_gl(void)
{
	static const zk_gl edge[] = {
		0, 1, ZK_GL_P - 1, ZK_GL_P - 2, ZK_GL_EPSILON, 1ull << 32,
		(1ull << 63), ZK_GL_P - ZK_GL_EPSILON,
	};
	uint64_t r = splitmix64();

	if ((r & 7) == 0)
		return edge[(r >> 3) % (sizeof(edge) / sizeof(edge[0]))];
	return zk_gl_from_u64(splitmix64());
}

static const zk_gl m4[4][4] = {
	{ 5, 7, 1, 3 }, { 4, 6, 1, 1 }, { 1, 3, 5, 7 }, { 1, 1, 4, 6 },
};

static void mat_vec(zk_gl *x, unsigned t, zk_gl m[12][12])
{
	zk_gl y[12];

	for (unsigned i = 0; i < t; i++) {
		y[i] = 0;
		for (unsigned j = 0; j < t; j++)
			y[i] = zk_gl_add(y[i], zk_gl_mul(m[i][j], x[j]));
	}
	memcpy(x, y, t * sizeof(zk_gl));
}

static zk_gl pow7(zk_gl x)
{
	return zk_gl_pow(x, 7);
}

/* The permutation as the spec in poseidon2.h states it, nothing fused. */
static void reference(zk_gl *x, unsigned t, const zk_gl *rc_ext,
		      const zk_gl *rc_int, const zk_gl *diag)
{
	zk_gl me[12][12], mi[12][12];
	unsigned i, j, r;

	for (i = 0; i < t; i++)
		for (j = 0; j < t; j++) {
			me[i][j] = m4[i % 4][j % 4] * (i / 4 == j / 4 ? 2 : 1);
			mi[i][j] = i == j ? zk_gl_add(diag[i], 1) : 1;
		}
	mat_vec(x, t, me);
	for (r = 0; r < 8; r++) {
		if (r == 4)
			for (unsigned p = 0; p < 22; p++) {
				x[0] = pow7(zk_gl_add(x[0], rc_int[p]));
				mat_vec(x, t, mi);
			}
		for (i = 0; i < t; i++)
			x[i] = pow7(zk_gl_add(x[i], rc_ext[r * t + i]));
		mat_vec(x, t, me);
	}
}

static void test_scalar_vs_reference(void **state)
{
	(void)state;
	for (unsigned round = 0; round < 300; round++) {
		zk_gl a[12], b[12];

		for (unsigned i = 0; i < 12; i++)
			a[i] = b[i] = test_gl();
		reference(a, 12, &zk_p2_w12_rc_ext[0][0], zk_p2_w12_rc_int,
			  zk_p2_w12_diag);
		zk_poseidon2_w12(b);
		assert_memory_equal(a, b, sizeof(a));
		for (unsigned i = 0; i < 8; i++)
			a[i] = b[i] = test_gl();
		reference(a, 8, &zk_p2_w8_rc_ext[0][0], zk_p2_w8_rc_int,
			  zk_p2_w8_diag);
		zk_poseidon2_w8(b);
		assert_memory_equal(a, b, 8 * sizeof(zk_gl));
	}
}

/* Paths to try: every one this CPU has (portable is always there). */
static unsigned paths(enum zk_gl_simd out[ZK_GL_SIMD_COUNT])
{
	unsigned n = 0;

	for (int k = 0; k < ZK_GL_SIMD_COUNT; k++)
		if (zk_p2_x4_set_path((enum zk_gl_simd)k))
			out[n++] = (enum zk_gl_simd)k;
	return n;
}

static void test_batch_permutations(void **state)
{
	enum zk_gl_simd kinds[ZK_GL_SIMD_COUNT];
	enum zk_gl_simd before = zk_p2_x4_path();
	unsigned n = paths(kinds);

	(void)state;
	assert_true(n >= 1);
	assert_int_equal(kinds[0], ZK_GL_SIMD_PORTABLE);
	for (unsigned p = 0; p < n; p++) {
		assert_true(zk_p2_x4_set_path(kinds[p]));
		assert_int_equal(zk_p2_x4_path(), kinds[p]);
		for (unsigned round = 0; round < 200; round++) {
			zk_gl s12[4][12], e12[4][12], s8[4][8], e8[4][8];

			for (unsigned k = 0; k < 4; k++) {
				for (unsigned i = 0; i < 12; i++)
					s12[k][i] = e12[k][i] = test_gl();
				for (unsigned i = 0; i < 8; i++)
					s8[k][i] = e8[k][i] = test_gl();
				zk_poseidon2_w12(e12[k]);
				zk_poseidon2_w8(e8[k]);
			}
			zk_poseidon2_w12_x4(s12);
			zk_poseidon2_w8_x4(s8);
			for (unsigned k = 0; k < 4; k++) {
				assert_memory_equal(s12[k], e12[k], sizeof(e12[k]));
				assert_memory_equal(s8[k], e8[k], sizeof(e8[k]));
			}
		}
	}
	assert_true(zk_p2_x4_set_path(before));
}

/* One lane's known answer must not depend on what the other lanes hold. */
static void test_batch_kat_every_lane(void **state)
{
	static const zk_gl expected[12] = {
		0x01eaef96bdf1c0c1ull, 0x1f0d2cc525b2540cull, 0x6282c1dfe1e0358dull,
		0xe780d721f698e1e6ull, 0x280c0b6f753d833bull, 0x1b942dd5023156abull,
		0x43f0df3fcccb8398ull, 0xe8e8190585489025ull, 0x56bdbf72f77ada22ull,
		0x7911c32bf9dcd705ull, 0xec467926508fbe67ull, 0x6a50450ddf85a6edull,
	};
	enum zk_gl_simd kinds[ZK_GL_SIMD_COUNT];
	enum zk_gl_simd before = zk_p2_x4_path();
	unsigned n = paths(kinds);

	(void)state;
	for (unsigned p = 0; p < n; p++) {
		assert_true(zk_p2_x4_set_path(kinds[p]));
		for (unsigned lane = 0; lane < 4; lane++) {
			zk_gl s[4][12];

			for (unsigned k = 0; k < 4; k++)
				for (unsigned i = 0; i < 12; i++)
					s[k][i] = k == lane ? i : ZK_GL_P - 1;
			zk_poseidon2_w12_x4(s);
			assert_memory_equal(s[lane], expected, sizeof(expected));
		}
	}
	assert_true(zk_p2_x4_set_path(before));
}

static void test_batch_hash_and_compress(void **state)
{
	static const size_t lens[] = { 0, 1, 7, 8, 9, 16, 17, 40 };
	enum zk_gl_simd kinds[ZK_GL_SIMD_COUNT];
	enum zk_gl_simd before = zk_p2_x4_path();
	unsigned n = paths(kinds);

	(void)state;
	for (unsigned p = 0; p < n; p++) {
		assert_true(zk_p2_x4_set_path(kinds[p]));
		for (size_t li = 0; li < sizeof(lens) / sizeof(lens[0]); li++) {
			zk_gl buf[4][40], out[4][4], want[4];
			const zk_gl *in[4] = { buf[0], buf[1], buf[2], buf[3] };

			for (unsigned k = 0; k < 4; k++)
				for (unsigned i = 0; i < 40; i++)
					buf[k][i] = test_gl();
			zk_p2_hash_x4(in, lens[li], out);
			for (unsigned k = 0; k < 4; k++) {
				zk_p2_hash(buf[k], lens[li], want);
				assert_memory_equal(out[k], want, sizeof(want));
			}
		}
		for (unsigned round = 0; round < 50; round++) {
			zk_gl l[4][4], r[4][4], out[4][4], want[4];

			for (unsigned k = 0; k < 4; k++)
				for (unsigned i = 0; i < 4; i++) {
					l[k][i] = test_gl();
					r[k][i] = test_gl();
				}
			zk_p2_compress_w8_x4(l, r, out);
			for (unsigned k = 0; k < 4; k++) {
				zk_p2_compress_w8(l[k], r[k], want);
				assert_memory_equal(out[k], want, sizeof(want));
			}
		}
	}
	assert_true(zk_p2_x4_set_path(before));
}

static void test_set_path_rejects_unknown(void **state)
{
	enum zk_gl_simd before = zk_p2_x4_path();

	(void)state;
	assert_false(zk_p2_x4_set_path(ZK_GL_SIMD_COUNT));
	assert_int_equal(zk_p2_x4_path(), before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalar_vs_reference),
		cmocka_unit_test(test_batch_permutations),
		cmocka_unit_test(test_batch_kat_every_lane),
		cmocka_unit_test(test_batch_hash_and_compress),
		cmocka_unit_test(test_set_path_rejects_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
