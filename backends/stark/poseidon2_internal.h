/* SPDX-License-Identifier: MIT */
/*
 * Poseidon2 internals shared by the one-state permutation (poseidon2.c)
 * and the four-state batches (poseidon2_x4.c).
 *
 * Spec
 *  - Inside a permutation a lane is kept only partly reduced: any uint64
 *    congruent to its value mod p. A product of two such words still fits
 *    128 bits and the reduction steps below need no canonical input, so
 *    the "r >= p" fix-up is paid once per lane when the permutation ends,
 *    not after every multiplication. Outputs are canonical again.
 */
#ifndef ZKCLOB_STARK_POSEIDON2_INTERNAL_H
#define ZKCLOB_STARK_POSEIDON2_INTERNAL_H

#include <stdint.h>

#include "field.h"

typedef unsigned __int128 zk_p2_u128;

/* Any 128-bit x to a partly reduced word. */
static inline uint64_t zk_p2_reduce_partial(zk_p2_u128 x)
{
	uint64_t lo = (uint64_t)x;
	uint64_t hi = (uint64_t)(x >> 64);
	uint64_t hi_hi = hi >> 32;
	uint64_t hi_lo = hi & ZK_GL_EPSILON;
	uint64_t t0, r;
	int borrow, carry;

	/* on borrow t0 >= 2^64 - 2^32, so taking epsilon off cannot wrap */
	borrow = __builtin_sub_overflow(lo, hi_hi, &t0);
	t0 -= ZK_GL_EPSILON & zk_gl_mask(borrow);
	/* on carry r < hi_lo * (2^32 - 1) <= 2^64 - 2^33, so + epsilon fits */
	carry = __builtin_add_overflow(t0, (hi_lo << 32) - hi_lo, &r);
	return r + (ZK_GL_EPSILON & zk_gl_mask(carry));
}

/* a + c for a partly reduced a and a canonical constant c: on carry the
 * wrapped sum is below c < p, so adding epsilon cannot carry again. */
static inline uint64_t zk_p2_add_const(uint64_t a, zk_gl c)
{
	uint64_t s;
	int carry = __builtin_add_overflow(a, c, &s);

	return s + (ZK_GL_EPSILON & zk_gl_mask(carry));
}

static inline uint64_t zk_p2_canonical(uint64_t x)
{
	return x + (ZK_GL_EPSILON & zk_gl_mask(x >= ZK_GL_P));
}

/* x^7 in four multiplications, x^3 and x^4 side by side. */
static inline uint64_t zk_p2_sbox7(uint64_t x)
{
	uint64_t x2 = zk_p2_reduce_partial((zk_p2_u128)x * x);
	uint64_t x3 = zk_p2_reduce_partial((zk_p2_u128)x2 * x);
	uint64_t x4 = zk_p2_reduce_partial((zk_p2_u128)x2 * x2);

	return zk_p2_reduce_partial((zk_p2_u128)x3 * x4);
}

#endif /* ZKCLOB_STARK_POSEIDON2_INTERNAL_H */
