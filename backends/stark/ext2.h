/* SPDX-License-Identifier: MIT */
/*
 * Quadratic extension F_p2 = F_p[X]/(X^2 - 7) of the Goldilocks field, where
 * Fiat–Shamir challenges, DEEP points and FRI folding factors live.
 *
 * Spec
 *  - An element is c0 + c1·X with canonical zk_gl coefficients, so the
 *    encoding (c0 then c1) is unique. X^2 - 7 is irreducible because 7 is a
 *    quadratic non-residue mod p (7^((p-1)/2) = p-1; checked in
 *    tests/stark/test_field.c).
 *  - Frobenius: (c0 + c1·X)^p = c0 - c1·X, since X^(p-1) = 7^((p-1)/2) = -1.
 *    The norm c0^2 - 7·c1^2 is in F_p and is 0 only for 0, which makes
 *    inversion one base-field inversion.
 *  - zk_gl2_inv reports zero like zk_gl_inv does; nothing returns a silent 0.
 *
 * Security bound
 *  |F_p2| = p^2 ≈ 2^128. Every soundness term that is a field-size term —
 *  the DEEP/ALI out-of-domain check and the FRI batching/folding
 *  (proximity-gap) terms — is about (trace_len · blowup · constraint_degree)
 *  / |F| per term, i.e. 128 - log2(trace_len · blowup · degree) bits:
 *    2^20 rows, blowup 8, degree 4:  128 - 25 = 103 bits
 *    2^24 rows, blowup 8, degree 2:  128 - 28 = 100 bits
 *    2^24 rows, blowup 16, degree 4: 128 - 30 =  98 bits
 *  So F_p2 keeps these terms at >= ~100 bits while trace_len·blowup·degree
 *  <= 2^28 (e.g. 2^24 rows at blowup 8 and degree 2). A cubic extension
 *  (|F| ≈ 2^192) is needed when that product grows past 2^28 at a 100-bit
 *  target, and for any profile that promises 128 bits from these terms (the
 *  compact profile): with F_p2 they can never reach 128.
 */
#ifndef ZKCLOB_STARK_EXT2_H
#define ZKCLOB_STARK_EXT2_H

#include <stdbool.h>
#include <stdint.h>

#include "field.h"

#define ZK_GL2_NONRESIDUE 7ull /* X^2 = 7 */

typedef struct {
	zk_gl c0; /* constant term */
	zk_gl c1; /* coefficient of X */
} zk_gl2;

static inline zk_gl2 zk_gl2_make(zk_gl c0, zk_gl c1)
{
	return (zk_gl2){ .c0 = c0, .c1 = c1 };
}

static inline zk_gl2 zk_gl2_from_base(zk_gl a)
{
	return zk_gl2_make(a, 0);
}

static inline zk_gl2 zk_gl2_zero(void)
{
	return zk_gl2_make(0, 0);
}

static inline zk_gl2 zk_gl2_one(void)
{
	return zk_gl2_make(1, 0);
}

static inline bool zk_gl2_eq(zk_gl2 a, zk_gl2 b)
{
	return a.c0 == b.c0 && a.c1 == b.c1;
}

static inline bool zk_gl2_is_zero(zk_gl2 a)
{
	return (a.c0 | a.c1) == 0;
}

static inline zk_gl2 zk_gl2_add(zk_gl2 a, zk_gl2 b)
{
	return zk_gl2_make(zk_gl_add(a.c0, b.c0), zk_gl_add(a.c1, b.c1));
}

static inline zk_gl2 zk_gl2_sub(zk_gl2 a, zk_gl2 b)
{
	return zk_gl2_make(zk_gl_sub(a.c0, b.c0), zk_gl_sub(a.c1, b.c1));
}

static inline zk_gl2 zk_gl2_neg(zk_gl2 a)
{
	return zk_gl2_make(zk_gl_neg(a.c0), zk_gl_neg(a.c1));
}

/* 7·a as 8a - a: three doublings and a subtraction, no 128-bit product. */
static inline zk_gl zk_gl2_mul_nonresidue(zk_gl a)
{
	zk_gl a2 = zk_gl_add(a, a);
	zk_gl a4 = zk_gl_add(a2, a2);
	zk_gl a8 = zk_gl_add(a4, a4);

	return zk_gl_sub(a8, a);
}

/* Karatsuba: three base products instead of four. */
static inline zk_gl2 zk_gl2_mul(zk_gl2 a, zk_gl2 b)
{
	zk_gl v0 = zk_gl_mul(a.c0, b.c0);
	zk_gl v1 = zk_gl_mul(a.c1, b.c1);
	zk_gl cross = zk_gl_mul(zk_gl_add(a.c0, a.c1), zk_gl_add(b.c0, b.c1));

	return zk_gl2_make(zk_gl_add(v0, zk_gl2_mul_nonresidue(v1)),
			   zk_gl_sub(cross, zk_gl_add(v0, v1)));
}

static inline zk_gl2 zk_gl2_sqr(zk_gl2 a)
{
	zk_gl v0 = zk_gl_sqr(a.c0);
	zk_gl v1 = zk_gl_sqr(a.c1);
	zk_gl c0c1 = zk_gl_mul(a.c0, a.c1);

	return zk_gl2_make(zk_gl_add(v0, zk_gl2_mul_nonresidue(v1)),
			   zk_gl_add(c0c1, c0c1));
}

static inline zk_gl2 zk_gl2_mul_base(zk_gl2 a, zk_gl s)
{
	return zk_gl2_make(zk_gl_mul(a.c0, s), zk_gl_mul(a.c1, s));
}

static inline zk_gl2 zk_gl2_frobenius(zk_gl2 a)
{
	return zk_gl2_make(a.c0, zk_gl_neg(a.c1));
}

/* a·frobenius(a) = c0^2 - 7·c1^2, an element of F_p. */
static inline zk_gl zk_gl2_norm(zk_gl2 a)
{
	return zk_gl_sub(zk_gl_sqr(a.c0), zk_gl2_mul_nonresidue(zk_gl_sqr(a.c1)));
}

static inline zk_gl2 zk_gl2_pow(zk_gl2 base, uint64_t exp)
{
	zk_gl2 acc = zk_gl2_one();

	while (exp) {
		if (exp & 1)
			acc = zk_gl2_mul(acc, base);
		base = zk_gl2_sqr(base);
		exp >>= 1;
	}
	return acc;
}

/* a^-1 = frobenius(a) / norm(a); false (and *out untouched) for a == 0. */
ZK_GL_MUST_CHECK static inline bool zk_gl2_inv(zk_gl2 a, zk_gl2 *out)
{
	zk_gl norm_inv;

	if (!zk_gl_inv(zk_gl2_norm(a), &norm_inv))
		return false;
	*out = zk_gl2_mul_base(zk_gl2_frobenius(a), norm_inv);
	return true;
}

#endif /* ZKCLOB_STARK_EXT2_H */
