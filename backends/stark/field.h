/* SPDX-License-Identifier: MIT */
/*
 * Goldilocks prime field F_p, p = 2^64 - 2^32 + 1.
 *
 * Spec
 *  - An element is a uint64_t in canonical form, 0 <= x < p. Every function
 *    here takes canonical inputs and returns canonical outputs, so equality of
 *    elements is equality of integers and the encoding of an element is unique
 *    (the proof format and the transcript rely on that).
 *  - Reduction uses 2^64 ≡ 2^32 - 1 (mod p) and 2^96 ≡ -1 (mod p).
 *  - Constant time in the values (no data-dependent branches beyond the
 *    carry fix-ups that compile to cmov); nothing here is secret anyway.
 */
#ifndef ZKCLOB_STARK_FIELD_H
#define ZKCLOB_STARK_FIELD_H

#include <stdint.h>

#define ZK_GL_P       0xFFFFFFFF00000001ull
#define ZK_GL_EPSILON 0x00000000FFFFFFFFull /* 2^64 mod p */

typedef uint64_t zk_gl;

static inline zk_gl zk_gl_add(zk_gl a, zk_gl b)
{
	uint64_t s;
	if (__builtin_add_overflow(a, b, &s))
		return s + ZK_GL_EPSILON; /* a+b-2^64+(2^64-p) = a+b-p < p */
	return s >= ZK_GL_P ? s - ZK_GL_P : s;
}

static inline zk_gl zk_gl_sub(zk_gl a, zk_gl b)
{
	uint64_t d;
	if (__builtin_sub_overflow(a, b, &d))
		return d - ZK_GL_EPSILON; /* a-b+2^64-(2^64-p) = a-b+p */
	return d;
}

static inline zk_gl zk_gl_neg(zk_gl a)
{
	return a ? ZK_GL_P - a : 0;
}

/* Reduce any 128-bit value to canonical form. */
static inline zk_gl zk_gl_reduce128(unsigned __int128 x)
{
	uint64_t lo = (uint64_t)x;
	uint64_t hi = (uint64_t)(x >> 64);
	uint64_t hi_hi = hi >> 32;
	uint64_t hi_lo = hi & ZK_GL_EPSILON;
	uint64_t t0, t1, r;

	if (__builtin_sub_overflow(lo, hi_hi, &t0))
		t0 -= ZK_GL_EPSILON; /* borrow: add p, i.e. subtract 2^64-p */
	t1 = hi_lo * ZK_GL_EPSILON; /* < 2^64 */
	if (__builtin_add_overflow(t0, t1, &r))
		r += ZK_GL_EPSILON;
	return r >= ZK_GL_P ? r - ZK_GL_P : r;
}

static inline zk_gl zk_gl_mul(zk_gl a, zk_gl b)
{
	return zk_gl_reduce128((unsigned __int128)a * b);
}

static inline zk_gl zk_gl_sqr(zk_gl a)
{
	return zk_gl_mul(a, a);
}

/* Map an arbitrary uint64 (e.g. a hash output word) into the field. */
static inline zk_gl zk_gl_from_u64(uint64_t x)
{
	return x >= ZK_GL_P ? x - ZK_GL_P : x;
}

#endif /* ZKCLOB_STARK_FIELD_H */
