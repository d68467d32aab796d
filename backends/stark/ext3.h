/* SPDX-License-Identifier: MIT */
/*
 * Cubic extension F_p3 = F_p[X]/(X^3 - 7) of the Goldilocks field, and the
 * extension field the whole proof system uses (zk_gl3): Fiat–Shamir
 * challenges, out-of-domain points, DEEP and composition values, FRI
 * layers and folding factors, aux (LogUp) columns.
 *
 * Spec
 *  - An element is c[0] + c[1]·X + c[2]·X^2 with canonical zk_gl
 *    coefficients, so the encoding (c[0], c[1], c[2]) is unique.
 *  - X^3 - W is irreducible over F_p iff W is not a cube (3 | p - 1, so a
 *    cube root of W in F_p would be a root). W = 7: 7 generates F_p^*
 *    (field.h; the same generator Plonky2 publishes as
 *    MULTIPLICATIVE_GROUP_GENERATOR, and its quadratic and quartic
 *    Goldilocks extensions use the same W = 7), and a generator is never a
 *    cube. tests/stark/test_field.c checks 7^((p-1)/3) != 1. Keeping the
 *    former F_p2's constant keeps multiplication by W three doublings and
 *    a subtraction.
 *  - Frobenius: X^p = ω·X with ω = 7^((p-1)/3) = p - 2^32 (a primitive
 *    cube root of unity), so (c0 + c1·X + c2·X^2)^p = c0 + ω·c1·X +
 *    ω^2·c2·X^2. The norm a·a^p·a^(p^2) lies in F_p and is 0 only for 0,
 *    which makes inversion one base-field inversion (adjugate formula
 *    below; the tests check it against frobenius products).
 *  - zk_gl3_inv reports zero like zk_gl_inv does; nothing returns a
 *    silent 0.
 *  - zk_gl3 / zk_gl3_* / ZK_EXT_DEGREE name the extension for generic code
 *    (prover, verifier, FRI, transcript, AIRs): switching the proof system
 *    to another extension means rebinding the block at the end.
 *
 * Security: |F_p3| = p^3 ≈ 2^192, so the field-size soundness terms
 * (out-of-domain/ALI, DEEP batching, FRI folding; docs/stark.md) are
 * 192 - log2(N + d·n) bits, above 160 for any trace this STARK accepts
 * (N <= 2^25, blowup <= 32, degree <= 33), where F_p2 gave 128 - that.
 */
#ifndef ZKCLOB_STARK_EXT3_H
#define ZKCLOB_STARK_EXT3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "field.h"

#define ZK_GL3_DEGREE 3
#define ZK_GL3_NONRESIDUE 7ull                  /* X^3 = 7 */
#define ZK_GL3_FROBENIUS_W 0xFFFFFFFE00000001ull /* 7^((p-1)/3) */
#define ZK_GL3_FROBENIUS_W2 0x00000000FFFFFFFFull /* its square */

typedef struct {
	zk_gl c[ZK_GL3_DEGREE]; /* coefficients of 1, X, X^2 */
} zk_gl3;

static inline zk_gl3 zk_gl3_make(zk_gl c0, zk_gl c1, zk_gl c2)
{
	return (zk_gl3){ .c = { c0, c1, c2 } };
}

static inline zk_gl3 zk_gl3_from_base(zk_gl a)
{
	return zk_gl3_make(a, 0, 0);
}

static inline zk_gl3 zk_gl3_zero(void)
{
	return zk_gl3_make(0, 0, 0);
}

static inline zk_gl3 zk_gl3_one(void)
{
	return zk_gl3_make(1, 0, 0);
}

/* Coefficient k at base[k·stride]: one element of a column-major block. */
static inline zk_gl3 zk_gl3_gather(const zk_gl *base, size_t stride)
{
	return zk_gl3_make(base[0], base[stride], base[2 * stride]);
}

static inline void zk_gl3_scatter(zk_gl3 a, zk_gl *base, size_t stride)
{
	base[0] = a.c[0];
	base[stride] = a.c[1];
	base[2 * stride] = a.c[2];
}

static inline bool zk_gl3_eq(zk_gl3 a, zk_gl3 b)
{
	return a.c[0] == b.c[0] && a.c[1] == b.c[1] && a.c[2] == b.c[2];
}

static inline bool zk_gl3_is_zero(zk_gl3 a)
{
	return (a.c[0] | a.c[1] | a.c[2]) == 0;
}

/* In F_p: the coefficients of X and X^2 vanish. */
static inline bool zk_gl3_is_base(zk_gl3 a)
{
	return (a.c[1] | a.c[2]) == 0;
}

static inline bool zk_gl3_is_canonical(zk_gl3 a)
{
	return zk_gl_is_canonical(a.c[0]) && zk_gl_is_canonical(a.c[1]) &&
	       zk_gl_is_canonical(a.c[2]);
}

static inline zk_gl3 zk_gl3_add(zk_gl3 a, zk_gl3 b)
{
	return zk_gl3_make(zk_gl_add(a.c[0], b.c[0]), zk_gl_add(a.c[1], b.c[1]),
			   zk_gl_add(a.c[2], b.c[2]));
}

static inline zk_gl3 zk_gl3_sub(zk_gl3 a, zk_gl3 b)
{
	return zk_gl3_make(zk_gl_sub(a.c[0], b.c[0]), zk_gl_sub(a.c[1], b.c[1]),
			   zk_gl_sub(a.c[2], b.c[2]));
}

static inline zk_gl3 zk_gl3_neg(zk_gl3 a)
{
	return zk_gl3_make(zk_gl_neg(a.c[0]), zk_gl_neg(a.c[1]),
			   zk_gl_neg(a.c[2]));
}

static inline zk_gl3 zk_gl3_add_base(zk_gl3 a, zk_gl s)
{
	return zk_gl3_make(zk_gl_add(a.c[0], s), a.c[1], a.c[2]);
}

/* 7·a as 8a - a: three doublings and a subtraction, no 128-bit product. */
static inline zk_gl zk_gl3_mul_nonresidue(zk_gl a)
{
	zk_gl a2 = zk_gl_add(a, a);
	zk_gl a4 = zk_gl_add(a2, a2);
	zk_gl a8 = zk_gl_add(a4, a4);

	return zk_gl_sub(a8, a);
}

/*
 * x·y + u·v + s·t reduced once: the three 128-bit products are summed with
 * a carry count (at most 2) and 2^128 ≡ -2^32 (mod p) folds the carries
 * back, so a coefficient costs one reduction instead of three.
 */
static inline zk_gl zk_gl3_dot3(zk_gl x, zk_gl y, zk_gl u, zk_gl v, zk_gl s,
				zk_gl t)
{
	unsigned __int128 acc = (unsigned __int128)x * y;
	unsigned __int128 p2 = (unsigned __int128)u * v;
	unsigned __int128 p3 = (unsigned __int128)s * t;
	uint64_t carries;

	carries = __builtin_add_overflow(acc, p2, &acc);
	carries += __builtin_add_overflow(acc, p3, &acc);
	return zk_gl_sub(zk_gl_reduce128(acc), carries << 32);
}

/*
 * Schoolbook modulo X^3 = 7:
 *   c0 = a0·b0 + 7·(a1·b2 + a2·b1)
 *   c1 = a0·b1 + a1·b0 + 7·a2·b2
 *   c2 = a0·b2 + a1·b1 + a2·b0
 * Nine word products but three reductions (zk_gl3_dot3): about 2x faster
 * than Karatsuba's six reduced products in a same-run micro-benchmark
 * (chained and independent products) on the build VM.
 */
static inline zk_gl3 zk_gl3_mul(zk_gl3 a, zk_gl3 b)
{
	zk_gl a1w = zk_gl3_mul_nonresidue(a.c[1]);
	zk_gl a2w = zk_gl3_mul_nonresidue(a.c[2]);

	return zk_gl3_make(zk_gl3_dot3(a.c[0], b.c[0], a1w, b.c[2], a2w, b.c[1]),
			   zk_gl3_dot3(a.c[0], b.c[1], a.c[1], b.c[0], a2w, b.c[2]),
			   zk_gl3_dot3(a.c[0], b.c[2], a.c[1], b.c[1], a.c[2], b.c[0]));
}

/*
 * Σ x[i]·y[i] over six word products, reduced once: the carries (at most
 * 5) fold back as -carries·2^32 like in zk_gl3_dot3.
 */
static inline zk_gl zk_gl3_dot6(const zk_gl x[6], const zk_gl y[6])
{
	unsigned __int128 acc = 0;
	uint64_t carries = 0;

	for (unsigned i = 0; i < 6; i++)
		carries += __builtin_add_overflow(acc, (unsigned __int128)x[i] * y[i],
						  &acc);
	return zk_gl_sub(zk_gl_reduce128(acc), carries << 32);
}

/*
 * a·b + c·d with one reduction per coefficient instead of three (two
 * products and a sum): the DEEP quotient's two terms at every point of D.
 */
static inline zk_gl3 zk_gl3_mul_add2(zk_gl3 a, zk_gl3 b, zk_gl3 c, zk_gl3 d)
{
	zk_gl b1w = zk_gl3_mul_nonresidue(b.c[1]), b2w = zk_gl3_mul_nonresidue(b.c[2]);
	zk_gl d1w = zk_gl3_mul_nonresidue(d.c[1]), d2w = zk_gl3_mul_nonresidue(d.c[2]);
	const zk_gl x[6] = { a.c[0], a.c[1], a.c[2], c.c[0], c.c[1], c.c[2] };
	const zk_gl y0[6] = { b.c[0], b2w, b1w, d.c[0], d2w, d1w };
	const zk_gl y1[6] = { b.c[1], b.c[0], b2w, d.c[1], d.c[0], d2w };
	const zk_gl y2[6] = { b.c[2], b.c[1], b.c[0], d.c[2], d.c[1], d.c[0] };

	return zk_gl3_make(zk_gl3_dot6(x, y0), zk_gl3_dot6(x, y1),
			   zk_gl3_dot6(x, y2));
}

static inline zk_gl3 zk_gl3_sqr(zk_gl3 a)
{
	return zk_gl3_mul(a, a);
}

static inline zk_gl3 zk_gl3_mul_base(zk_gl3 a, zk_gl s)
{
	return zk_gl3_make(zk_gl_mul(a.c[0], s), zk_gl_mul(a.c[1], s),
			   zk_gl_mul(a.c[2], s));
}

static inline zk_gl3 zk_gl3_frobenius(zk_gl3 a)
{
	return zk_gl3_make(a.c[0], zk_gl_mul(a.c[1], ZK_GL3_FROBENIUS_W),
			   zk_gl_mul(a.c[2], ZK_GL3_FROBENIUS_W2));
}

static inline zk_gl3 zk_gl3_pow(zk_gl3 base, uint64_t exp)
{
	zk_gl3 acc = zk_gl3_one();

	while (exp) {
		if (exp & 1)
			acc = zk_gl3_mul(acc, base);
		base = zk_gl3_sqr(base);
		exp >>= 1;
	}
	return acc;
}

/*
 * The adjugate of a's multiplication matrix, t = (t0, t1, t2) with
 *   t0 = a0^2 - 7·a1·a2,  t1 = 7·a2^2 - a0·a1,  t2 = a1^2 - a0·a2,
 * satisfies a·t = N(a) = a0·t0 + 7·(a2·t1 + a1·t2) ∈ F_p (the norm).
 */
static inline zk_gl3 zk_gl3_adjugate(zk_gl3 a)
{
	zk_gl a0 = a.c[0], a1 = a.c[1], a2 = a.c[2];

	return zk_gl3_make(zk_gl_sub(zk_gl_sqr(a0),
				     zk_gl3_mul_nonresidue(zk_gl_mul(a1, a2))),
			   zk_gl_sub(zk_gl3_mul_nonresidue(zk_gl_sqr(a2)),
				     zk_gl_mul(a0, a1)),
			   zk_gl_sub(zk_gl_sqr(a1), zk_gl_mul(a0, a2)));
}

/* a0·t0 + 7·(a2·t1 + a1·t2) for t = zk_gl3_adjugate(a). */
static inline zk_gl zk_gl3_norm_with(zk_gl3 a, zk_gl3 t)
{
	zk_gl hi = zk_gl_add(zk_gl_mul(a.c[2], t.c[1]), zk_gl_mul(a.c[1], t.c[2]));

	return zk_gl_add(zk_gl_mul(a.c[0], t.c[0]), zk_gl3_mul_nonresidue(hi));
}

static inline zk_gl zk_gl3_norm(zk_gl3 a)
{
	return zk_gl3_norm_with(a, zk_gl3_adjugate(a));
}

/* a^-1 = adjugate(a) / norm(a); false (and *out untouched) for a == 0. */
ZK_GL_MUST_CHECK static inline bool zk_gl3_inv(zk_gl3 a, zk_gl3 *out)
{
	zk_gl3 t = zk_gl3_adjugate(a);
	zk_gl norm_inv;

	if (!zk_gl_inv(zk_gl3_norm_with(a, t), &norm_inv))
		return false;
	*out = zk_gl3_mul_base(t, norm_inv);
	return true;
}

/* ---- the proof system's extension field ---- */

typedef zk_gl3 zk_ext;
#define ZK_EXT_DEGREE ZK_GL3_DEGREE
#define ZK_EXT_NONRESIDUE ZK_GL3_NONRESIDUE
#define ZK_EXT_BYTES (ZK_EXT_DEGREE * 8)

#define zk_ext_from_base zk_gl3_from_base
#define zk_ext_zero zk_gl3_zero
#define zk_ext_one zk_gl3_one
#define zk_ext_gather zk_gl3_gather
#define zk_ext_scatter zk_gl3_scatter
#define zk_ext_eq zk_gl3_eq
#define zk_ext_is_zero zk_gl3_is_zero
#define zk_ext_is_base zk_gl3_is_base
#define zk_ext_is_canonical zk_gl3_is_canonical
#define zk_ext_add zk_gl3_add
#define zk_ext_sub zk_gl3_sub
#define zk_ext_neg zk_gl3_neg
#define zk_ext_add_base zk_gl3_add_base
#define zk_ext_mul_nonresidue zk_gl3_mul_nonresidue
#define zk_ext_mul zk_gl3_mul
#define zk_ext_mul_add2 zk_gl3_mul_add2
#define zk_ext_sqr zk_gl3_sqr
#define zk_ext_mul_base zk_gl3_mul_base
#define zk_ext_frobenius zk_gl3_frobenius
#define zk_ext_norm zk_gl3_norm
#define zk_ext_pow zk_gl3_pow
#define zk_ext_inv zk_gl3_inv

#endif /* ZKCLOB_STARK_EXT3_H */
