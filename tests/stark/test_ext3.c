/* SPDX-License-Identifier: MIT */
/*
 * The cubic extension F_p3 = F_p[X]/(X^3 - 7) (ext3.h): irreducibility of
 * the modulus, products against a naive polynomial product reduced with
 * a plain 128-bit `% p`, the field laws, inversion, and the Frobenius map
 * and norm against their definitions (a^p and a·a^p·a^(p^2)).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "ext3.h"
#include "field.h"

typedef unsigned __int128 u128;

static const uint64_t P = ZK_GL_P;

static uint64_t ref_add(uint64_t a, uint64_t b)
{
	return (uint64_t)(((u128)a + b) % P);
}

static uint64_t ref_mul(uint64_t a, uint64_t b)
{
	return (uint64_t)(((u128)a * b) % P);
}

static uint64_t ref_pow(uint64_t b, uint64_t e)
{
	uint64_t acc = 1;

	for (; e; e >>= 1, b = ref_mul(b, b))
		if (e & 1)
			acc = ref_mul(acc, b);
	return acc;
}

static uint64_t rng_state = 0x13198A2E03707344ull;

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

static zk_gl3 rnd_gl3(void)
{
	zk_gl c0 = rnd_gl(), c1 = rnd_gl();

	return zk_gl3_make(c0, c1, rnd_gl());
}

/* Carries, borrows and the reduction's branches turn over here. */
static const zk_gl edge[] = {
	0, 1, 2, 7,
	0xFFFFFFFFull,         /* 2^32 - 1 = 2^64 mod p */
	0x100000000ull,        /* 2^32 */
	0x8000000000000000ull, /* 2^63 */
	0xFFFFFFFE00000001ull, /* p - 2^32 */
	0xFFFFFFFEFFFFFFFFull, /* p - 2 */
	0xFFFFFFFF00000000ull, /* p - 1 */
};

#define N_EDGE (sizeof(edge) / sizeof(edge[0]))
#define N_RANDOM 5000

/* (a0 + a1·X + a2·X^2)(b0 + b1·X + b2·X^2), X^3 = 7, X^4 = 7·X. */
static zk_gl3 ref_mul3(zk_gl3 a, zk_gl3 b)
{
	uint64_t prod[5] = { 0 };

	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			prod[i + j] = ref_add(prod[i + j], ref_mul(a.c[i], b.c[j]));
	return zk_gl3_make(ref_add(prod[0], ref_mul(7, prod[3])),
			   ref_add(prod[1], ref_mul(7, prod[4])), prod[2]);
}

static void test_modulus_irreducible(void **state)
{
	zk_gl3 x = zk_gl3_make(0, 1, 0);
	uint64_t w = ref_pow(ZK_GL3_NONRESIDUE, (P - 1) / 3);

	(void)state;
	/* 3 | p - 1: X^3 - 7 has no root in F_p iff 7 is not a cube */
	assert_int_equal((P - 1) % 3, 0);
	assert_int_not_equal(w, 1);
	/* w is then a primitive cube root of unity: the Frobenius constant */
	assert_int_equal(w, ZK_GL3_FROBENIUS_W);
	assert_int_equal(ref_mul(w, w), ZK_GL3_FROBENIUS_W2);
	assert_int_equal(ref_mul(w, ref_mul(w, w)), 1);
	/* X^3 = 7 in the ring */
	assert_true(zk_gl3_eq(zk_gl3_mul(x, zk_gl3_sqr(x)), zk_gl3_from_base(7)));
	for (size_t i = 0; i < N_EDGE; i++)
		assert_int_equal(zk_gl3_mul_nonresidue(edge[i]),
				 ref_mul(edge[i], 7));
}

static void test_mul_reference(void **state)
{
	(void)state;
	/* every coefficient pattern over the edge values, then random */
	for (size_t i = 0; i < N_EDGE; i++)
		for (size_t j = 0; j < N_EDGE; j++) {
			zk_gl3 a = zk_gl3_make(edge[i], edge[j], edge[N_EDGE - 1 - i]);
			zk_gl3 b = zk_gl3_make(edge[j], edge[N_EDGE - 1 - j], edge[i]);

			assert_true(zk_gl3_eq(zk_gl3_mul(a, b), ref_mul3(a, b)));
			assert_true(zk_gl3_eq(zk_gl3_sqr(a), ref_mul3(a, a)));
		}
	for (int i = 0; i < N_RANDOM; i++) {
		zk_gl3 a = rnd_gl3(), b = rnd_gl3();

		zk_gl3 c = rnd_gl3(), d = rnd_gl3();

		assert_true(zk_gl3_eq(zk_gl3_mul(a, b), ref_mul3(a, b)));
		assert_true(zk_gl3_eq(zk_gl3_mul_add2(a, b, c, d),
				      zk_gl3_add(ref_mul3(a, b), ref_mul3(c, d))));
	}
	/* all-(p-1) operands: every dot3 sums three products near 2^128,
	 * every dot6 six (five carries) */
	zk_gl3 m = zk_gl3_make(P - 1, P - 1, P - 1);

	assert_true(zk_gl3_eq(zk_gl3_mul(m, m), ref_mul3(m, m)));
	assert_true(zk_gl3_eq(zk_gl3_mul_add2(m, m, m, m),
			      zk_gl3_add(ref_mul3(m, m), ref_mul3(m, m))));
}

static void test_laws(void **state)
{
	(void)state;
	for (int i = 0; i < N_RANDOM / 5; i++) {
		zk_gl3 a = rnd_gl3(), b = rnd_gl3(), c = rnd_gl3();
		zk_gl3 ab = zk_gl3_mul(a, b);
		zk_gl s = i < (int)N_EDGE ? edge[i] : rnd_gl();
		zk_gl buf[9];

		assert_true(zk_gl3_eq(ab, zk_gl3_mul(b, a)));
		assert_true(zk_gl3_eq(zk_gl3_mul(ab, c),
				      zk_gl3_mul(a, zk_gl3_mul(b, c))));
		assert_true(zk_gl3_eq(zk_gl3_mul(a, zk_gl3_add(b, c)),
				      zk_gl3_add(ab, zk_gl3_mul(a, c))));
		assert_true(zk_gl3_eq(zk_gl3_sub(zk_gl3_add(a, b), b), a));
		assert_true(zk_gl3_is_zero(zk_gl3_add(a, zk_gl3_neg(a))));
		assert_true(zk_gl3_eq(zk_gl3_mul(a, zk_gl3_one()), a));
		assert_true(zk_gl3_is_zero(zk_gl3_mul(a, zk_gl3_zero())));
		assert_true(zk_gl3_eq(zk_gl3_mul_base(a, s),
				      zk_gl3_mul(a, zk_gl3_from_base(s))));
		assert_true(zk_gl3_eq(zk_gl3_add_base(a, s),
				      zk_gl3_add(a, zk_gl3_from_base(s))));
		assert_true(zk_gl3_eq(zk_gl3_pow(a, 5),
				      zk_gl3_mul(zk_gl3_sqr(zk_gl3_sqr(a)), a)));
		/* column-major round trip */
		zk_gl3_scatter(a, buf + 1, 3);
		assert_true(zk_gl3_eq(zk_gl3_gather(buf + 1, 3), a));
		assert_true(zk_gl3_is_canonical(a));
	}
	/* F_p embeds as a subring */
	for (size_t i = 0; i < N_EDGE; i++)
		for (size_t j = 0; j < N_EDGE; j++) {
			zk_gl3 a = zk_gl3_from_base(edge[i]);

			assert_true(zk_gl3_is_base(a));
			assert_true(zk_gl3_eq(zk_gl3_mul(a, zk_gl3_from_base(edge[j])),
					      zk_gl3_from_base(ref_mul(edge[i],
								       edge[j]))));
		}
	assert_false(zk_gl3_is_base(zk_gl3_make(1, 0, 1)));
	assert_false(zk_gl3_is_canonical(zk_gl3_make(0, 0, P)));
	assert_false(zk_gl3_is_canonical(zk_gl3_make(P, 0, 0)));
	assert_false(zk_gl3_is_canonical(zk_gl3_make(0, UINT64_MAX, 0)));
}

static void test_inverse(void **state)
{
	zk_gl3 out = zk_gl3_make(5, 6, 7);

	(void)state;
	assert_false(zk_gl3_inv(zk_gl3_zero(), &out));
	assert_true(zk_gl3_eq(out, zk_gl3_make(5, 6, 7)));
	for (int i = 0; i < 500; i++) {
		zk_gl3 a = rnd_gl3(), inv = zk_gl3_zero();

		if (i < (int)(N_EDGE * 3)) {
			/* one coefficient alone, then sparse: the formula's
			 * cross terms vanish in different places */
			a = zk_gl3_zero();
			a.c[i % 3] = edge[(size_t)i / 3] ? edge[(size_t)i / 3] : 3;
			a.c[(i + 1) % 3] = i & 1 ? 0 : edge[N_EDGE - 1 - (size_t)i / 3];
		}
		assert_true(zk_gl3_inv(a, &inv));
		assert_true(zk_gl3_eq(zk_gl3_mul(a, inv), zk_gl3_one()));
		assert_true(zk_gl3_eq(ref_mul3(inv, a), zk_gl3_one()));
	}
}

static void test_frobenius_norm(void **state)
{
	(void)state;
	for (int i = 0; i < 100; i++) {
		zk_gl3 a = rnd_gl3(), b = rnd_gl3();
		zk_gl3 ap = zk_gl3_pow(a, P);           /* a^p */
		zk_gl3 ap2 = zk_gl3_pow(ap, P);         /* a^(p^2) */
		zk_gl3 norm = zk_gl3_mul(zk_gl3_mul(a, ap), ap2);

		assert_true(zk_gl3_eq(ap, zk_gl3_frobenius(a)));
		assert_true(zk_gl3_eq(ap2, zk_gl3_frobenius(zk_gl3_frobenius(a))));
		/* the Frobenius has order 3 and is a ring map */
		assert_true(zk_gl3_eq(zk_gl3_pow(ap2, P), a));
		assert_true(zk_gl3_eq(zk_gl3_frobenius(zk_gl3_mul(a, b)),
				      zk_gl3_mul(zk_gl3_frobenius(a),
						 zk_gl3_frobenius(b))));
		/* N(a) = a^(1 + p + p^2) lies in F_p and is zk_gl3_norm */
		assert_true(zk_gl3_is_base(norm));
		assert_int_equal(norm.c[0], zk_gl3_norm(a));
		assert_int_equal(zk_gl3_norm(zk_gl3_mul(a, b)),
				 ref_mul(zk_gl3_norm(a), zk_gl3_norm(b)));
		/* |F_p3^*| = p^3 - 1 = (p - 1)(p^2 + p + 1): N(a)^(p-1) = 1 */
		assert_true(zk_gl3_eq(zk_gl3_pow(norm, P - 1), zk_gl3_one()));
	}
	/* base elements are fixed, X is not */
	assert_true(zk_gl3_eq(zk_gl3_frobenius(zk_gl3_from_base(12345)),
			      zk_gl3_from_base(12345)));
	assert_false(zk_gl3_eq(zk_gl3_frobenius(zk_gl3_make(0, 1, 0)),
			       zk_gl3_make(0, 1, 0)));
	assert_int_equal(zk_gl3_norm(zk_gl3_from_base(3)), 27);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modulus_irreducible),
		cmocka_unit_test(test_mul_reference),
		cmocka_unit_test(test_laws),
		cmocka_unit_test(test_inverse),
		cmocka_unit_test(test_frobenius_norm),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
