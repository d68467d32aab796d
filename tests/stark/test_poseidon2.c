/* SPDX-License-Identifier: MIT */
/*
 * Poseidon2 over Goldilocks: published known-answer vectors for widths 8
 * and 12, the sponge's length/padding rule and the compressions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "poseidon2.h"

static uint64_t rng_state = 0x243f6a8885a308d3ull;

static uint64_t splitmix64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static zk_gl random_gl(void)
{
	return zk_gl_from_u64(splitmix64());
}

/*
 * HorizenLabs/poseidon2 @ 055bde3f4782731ba5f5ce5888a440a94327eaf3,
 * plain_implementations/src/poseidon2/poseidon2.rs, poseidon2_tests_goldilocks::kats:
 * permutation of [0, 1, ..., 11] with POSEIDON2_GOLDILOCKS_12_PARAMS.
 */
static void test_w12_kat_range(void **state)
{
	static const zk_gl expected[12] = {
		0x01eaef96bdf1c0c1ull, 0x1f0d2cc525b2540cull, 0x6282c1dfe1e0358dull,
		0xe780d721f698e1e6ull, 0x280c0b6f753d833bull, 0x1b942dd5023156abull,
		0x43f0df3fcccb8398ull, 0xe8e8190585489025ull, 0x56bdbf72f77ada22ull,
		0x7911c32bf9dcd705ull, 0xec467926508fbe67ull, 0x6a50450ddf85a6edull,
	};
	zk_gl x[12];
	unsigned i;

	(void)state;
	for (i = 0; i < 12; i++)
		x[i] = i;
	zk_poseidon2_w12(x);
	assert_memory_equal(x, expected, sizeof(expected));
}

/*
 * Width 8: the HorizenLabs repository has no width-8 Goldilocks vector;
 * these come from Plonky3 @ 08368ad1cb09b1c2cd2a5b13ecf6bed3e4b48016,
 * goldilocks/src/poseidon2.rs (tests test_poseidon2_width_8_{zeros,range,
 * random}), which run the HorizenLabs width-8 instance: the same RC8 and
 * MAT_DIAG8_M_1 and the same M4-based external matrix.
 */
static void test_w8_kat_zeros(void **state)
{
	static const zk_gl expected[8] = {
		4214787979728720400ull, 12324939279576102560ull,
		10353596058419792404ull, 15456793487362310586ull,
		10065219879212154722ull, 16227496357546636742ull,
		2959271128466640042ull, 14285409611125725709ull,
	};
	zk_gl x[8] = {0};

	(void)state;
	zk_poseidon2_w8(x);
	assert_memory_equal(x, expected, sizeof(expected));
}

static void test_w8_kat_range(void **state)
{
	static const zk_gl expected[8] = {
		14266028122062624699ull, 5353147180106052723ull,
		15203350112844181434ull, 17630919042639565165ull,
		16601551015858213987ull, 10184091939013874068ull,
		16774100645754596496ull, 12047415603622314780ull,
	};
	zk_gl x[8];
	unsigned i;

	(void)state;
	for (i = 0; i < 8; i++)
		x[i] = i;
	zk_poseidon2_w8(x);
	assert_memory_equal(x, expected, sizeof(expected));
}

static void test_w8_kat_random(void **state)
{
	zk_gl x[8] = {
		5116996373749832116ull, 8931548647907683339ull,
		17132360229780760684ull, 11280040044015983889ull,
		11957737519043010992ull, 15695650327991256125ull,
		17604752143022812942ull, 543194415197607509ull,
	};
	static const zk_gl expected[8] = {
		1831346684315917658ull, 13497752062035433374ull,
		12149460647271516589ull, 15656333994315312197ull,
		4671534937670455565ull, 3140092508031220630ull,
		4251208148861706881ull, 6973971209430822232ull,
	};

	(void)state;
	zk_poseidon2_w8(x);
	assert_memory_equal(x, expected, sizeof(expected));
}

/* Inputs near p exercise the lazy reductions of the linear layers. */
static void test_outputs_canonical(void **state)
{
	zk_gl x12[12], x8[8];
	unsigned round, i;

	(void)state;
	for (round = 0; round < 200; round++) {
		for (i = 0; i < 12; i++)
			x12[i] = round & 1 ? ZK_GL_P - 1 - (splitmix64() & 3) : random_gl();
		for (i = 0; i < 8; i++)
			x8[i] = x12[i];
		zk_poseidon2_w12(x12);
		zk_poseidon2_w8(x8);
		for (i = 0; i < 12; i++)
			assert_true(x12[i] < ZK_GL_P);
		for (i = 0; i < 8; i++)
			assert_true(x8[i] < ZK_GL_P);
	}
}

/* The documented rule, restated with the bare permutation. */
static void sponge_by_hand(const zk_gl *in, size_t n, zk_gl out[4])
{
	zk_gl s[12] = {0};
	size_t i;

	s[8] = n;
	s[9] = 1;
	for (i = 0; i < n; i++) {
		if (i > 0 && i % 8 == 0)
			zk_poseidon2_w12(s);
		s[i % 8] = zk_gl_add(s[i % 8], in[i]);
	}
	zk_poseidon2_w12(s);
	memcpy(out, s, 4 * sizeof(zk_gl));
}

static void test_sponge_rule(void **state)
{
	zk_gl in[40], got[4], want[4];
	size_t n;

	(void)state;
	for (n = 0; n < 40; n++)
		in[n] = random_gl();
	for (n = 0; n <= 40; n++) {
		zk_p2_hash(in, n, got);
		sponge_by_hand(in, n, want);
		assert_memory_equal(got, want, sizeof(got));
	}
}

static void test_sponge_lengths_distinct(void **state)
{
	zk_gl zeros[17] = {0};
	zk_gl d[18][4];
	size_t a, b;

	(void)state;
	/* All-zero inputs of every length 0..17: zero padding must not make
	 * any two collide (the length lives in the capacity). */
	for (a = 0; a <= 17; a++)
		zk_p2_hash(zeros, a, d[a]);
	for (a = 0; a <= 17; a++)
		for (b = a + 1; b <= 17; b++)
			assert_memory_not_equal(d[a], d[b], sizeof(d[a]));
}

static void test_sponge_incremental(void **state)
{
	struct zk_p2_sponge sp;
	zk_gl in[29], one[4], inc[4];
	size_t i, cut1, cut2;

	(void)state;
	for (i = 0; i < 29; i++)
		in[i] = random_gl();
	zk_p2_hash(in, 29, one);
	for (cut1 = 0; cut1 <= 29; cut1 += 3) {
		for (cut2 = cut1; cut2 <= 29; cut2 += 5) {
			zk_p2_sponge_init(&sp, 29);
			zk_p2_sponge_absorb(&sp, in, cut1);
			zk_p2_sponge_absorb(&sp, in + cut1, cut2 - cut1);
			zk_p2_sponge_absorb(&sp, in + cut2, 29 - cut2);
			assert_int_equal(zk_p2_sponge_finish(&sp, inc), 0);
			assert_memory_equal(one, inc, sizeof(one));
		}
	}
	/* Absorbing a different count than declared is refused. */
	zk_p2_sponge_init(&sp, 29);
	zk_p2_sponge_absorb(&sp, in, 28);
	assert_int_equal(zk_p2_sponge_finish(&sp, inc), -1);
	zk_p2_sponge_init(&sp, 3);
	zk_p2_sponge_absorb(&sp, in, 4);
	assert_int_equal(zk_p2_sponge_finish(&sp, inc), -1);
}

static void test_sponge_sensitivity(void **state)
{
	zk_gl in[20], base[4], d[4];
	size_t i;

	(void)state;
	for (i = 0; i < 20; i++)
		in[i] = random_gl();
	zk_p2_hash(in, 20, base);
	for (i = 0; i < 20; i++) {
		zk_gl saved = in[i];

		in[i] = zk_gl_add(saved, 1);
		zk_p2_hash(in, 20, d);
		assert_memory_not_equal(base, d, sizeof(d));
		in[i] = saved;
	}
}

static void test_compress(void **state)
{
	zk_gl l[4], r[4], out8[4], out12[4], swap[4];
	zk_gl x8[8], x12[12] = {0};
	unsigned round, i;

	(void)state;
	/* The empty sponge and the all-zero width-12 compression start from
	 * different states. */
	memset(l, 0, sizeof(l));
	zk_p2_compress_w12(l, l, out12);
	zk_p2_hash(NULL, 0, swap);
	assert_memory_not_equal(out12, swap, sizeof(swap));

	for (round = 0; round < 50; round++) {
		for (i = 0; i < 4; i++) {
			l[i] = random_gl();
			r[i] = random_gl();
		}
		zk_p2_compress_w8(l, r, out8);
		zk_p2_compress_w12(l, r, out12);

		/* Permute, add the input back, keep lanes 0..3. */
		memcpy(x8, l, sizeof(l));
		memcpy(x8 + 4, r, sizeof(r));
		zk_poseidon2_w8(x8);
		memcpy(x12, l, sizeof(l));
		memcpy(x12 + 4, r, sizeof(r));
		memset(x12 + 8, 0, 4 * sizeof(zk_gl));
		zk_poseidon2_w12(x12);
		for (i = 0; i < 4; i++) {
			assert_true(out8[i] == zk_gl_add(x8[i], l[i]));
			assert_true(out12[i] == zk_gl_add(x12[i], l[i]));
		}
		assert_memory_not_equal(out8, out12, sizeof(out8));

		/* A leaf of the 8 elements l ‖ r is not the node (l, r). */
		memcpy(x8, l, sizeof(l));
		memcpy(x8 + 4, r, sizeof(r));
		zk_p2_hash(x8, 8, swap);
		assert_memory_not_equal(out12, swap, sizeof(swap));

		zk_p2_compress_w8(r, l, swap);
		assert_memory_not_equal(out8, swap, sizeof(swap));
		zk_p2_compress_w12(r, l, swap);
		assert_memory_not_equal(out12, swap, sizeof(swap));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_w12_kat_range),
		cmocka_unit_test(test_w8_kat_zeros),
		cmocka_unit_test(test_w8_kat_range),
		cmocka_unit_test(test_w8_kat_random),
		cmocka_unit_test(test_outputs_canonical),
		cmocka_unit_test(test_sponge_rule),
		cmocka_unit_test(test_sponge_lengths_distinct),
		cmocka_unit_test(test_sponge_incremental),
		cmocka_unit_test(test_sponge_sensitivity),
		cmocka_unit_test(test_compress),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
