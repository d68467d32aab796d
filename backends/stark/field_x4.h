/* SPDX-License-Identifier: MIT */
/*
 * Four Goldilocks elements in one AVX2 register (zk_gl4, one element per
 * 64-bit lane), for AIR bodies evaluated four trace rows at a time
 * (air.h eval_main_x4, air_template_x4.h).
 *
 * Spec
 *  - zk_gl4_add / sub / neg / double / mul / sqr / mul_const are
 *    field.h's zk_gl_add / sub / neg / mul computed lane by lane with the
 *    SAME formulas (the product: the exact 128-bit product, then
 *    zk_gl_reduce128's steps), so their results equal the scalar ones bit
 *    for bit for any uint64 lanes, canonical or not: an x4 evaluation
 *    equals the row-by-row one exactly, and the debug check's comparison
 *    holds.
 *  - zk_gl4_mul_wide (the exact 128-bit product) is also poseidon2_avx2.h's.
 *  - Unlike poseidon2_avx2.h's partly reduced lanes, every result here is
 *    canonical; that costs a compare per product and keeps add / sub the
 *    scalar formulas, which need canonical inputs to be canonical.
 *  - Include only where __x86_64__ is defined; every function carries
 *    target("avx2"), so callers must check __builtin_cpu_supports("avx2")
 *    before calling code that uses them.
 */
#ifndef ZKCLOB_STARK_FIELD_X4_H
#define ZKCLOB_STARK_FIELD_X4_H

#include <stdint.h>
#include <immintrin.h>

#include "field.h"

typedef __m256i zk_gl4;

/*
 * Forced inline: a constraint body makes thousands of these calls, and
 * past its inlining budget GCC left the product out of line, a call per
 * product and mul_const's constant no longer folded into one path.
 */
#define ZK_GL4_INLINE                                                          \
	__attribute__((target("avx2"), always_inline)) static inline

#define ZK_GL4_SIGN _mm256_set1_epi64x(INT64_MIN)
#define ZK_GL4_EPS _mm256_set1_epi64x((int64_t)ZK_GL_EPSILON)
#define ZK_GL4_P _mm256_set1_epi64x((int64_t)ZK_GL_P)

ZK_GL4_INLINE zk_gl4 zk_gl4_set1(zk_gl c)
{
	return _mm256_set1_epi64x((int64_t)c);
}

ZK_GL4_INLINE zk_gl4 zk_gl4_zero(void)
{
	return _mm256_setzero_si256();
}

/* All-ones lanes where a < b as unsigned words: AVX2 compares only signed
 * lanes, and flipping both sign bits turns one compare into the other. */
ZK_GL4_INLINE __m256i zk_gl4_lt(__m256i a, __m256i b)
{
	return _mm256_cmpgt_epi64(_mm256_xor_si256(b, ZK_GL4_SIGN),
				  _mm256_xor_si256(a, ZK_GL4_SIGN));
}

/*
 * zk_gl_add: a - (p - b), plus p on borrow. The compare runs on
 * sign-flipped words (x ^ 2^63 = x + 2^63 mod 2^64), so p - b comes
 * flipped from one subtraction, and the difference of two flipped words
 * is the difference of the words.
 */
ZK_GL4_INLINE zk_gl4 zk_gl4_add(zk_gl4 a, zk_gl4 b)
{
	const __m256i p_s = _mm256_set1_epi64x(
		(int64_t)(ZK_GL_P ^ (1ull << 63)));
	__m256i c_s = _mm256_sub_epi64(p_s, b);
	__m256i a_s = _mm256_xor_si256(a, ZK_GL4_SIGN);
	__m256i d = _mm256_sub_epi64(a_s, c_s);

	return _mm256_add_epi64(d, _mm256_and_si256(
		_mm256_cmpgt_epi64(c_s, a_s), ZK_GL4_P));
}

/* zk_gl_sub: a - b, plus p on borrow */
ZK_GL4_INLINE zk_gl4 zk_gl4_sub(zk_gl4 a, zk_gl4 b)
{
	__m256i d = _mm256_sub_epi64(a, b);

	return _mm256_add_epi64(d, _mm256_and_si256(zk_gl4_lt(a, b), ZK_GL4_P));
}

ZK_GL4_INLINE zk_gl4 zk_gl4_neg(zk_gl4 a)
{
	return zk_gl4_sub(_mm256_setzero_si256(), a);
}

ZK_GL4_INLINE zk_gl4 zk_gl4_double(zk_gl4 a)
{
	return zk_gl4_add(a, a);
}

/*
 * zk_gl_reduce128 of hi·2^64 + lo, step for step, the running value kept
 * sign-flipped so that each unsigned compare is one signed one.
 */
ZK_GL4_INLINE zk_gl4 zk_gl4_reduce128(__m256i hi, __m256i lo)
{
	const __m256i pm1_s = _mm256_set1_epi64x(
		(int64_t)((ZK_GL_P - 1) ^ (1ull << 63)));
	__m256i lo_s = _mm256_xor_si256(lo, ZK_GL4_SIGN);
	__m256i hi_hi = _mm256_srli_epi64(hi, 32);
	__m256i hi_lo = _mm256_and_si256(hi, ZK_GL4_EPS);
	__m256i t0_s = _mm256_sub_epi64(lo_s, hi_hi);
	__m256i r_s;

	/* borrow iff lo < hi_hi, i.e. t0 > lo */
	t0_s = _mm256_sub_epi64(t0_s, _mm256_and_si256(
		_mm256_cmpgt_epi64(t0_s, lo_s), ZK_GL4_EPS));
	r_s = _mm256_add_epi64(t0_s, _mm256_sub_epi64(
		_mm256_slli_epi64(hi_lo, 32), hi_lo));
	/* carry iff r < t0 */
	r_s = _mm256_add_epi64(r_s, _mm256_and_si256(
		_mm256_cmpgt_epi64(t0_s, r_s), ZK_GL4_EPS));
	/* r >= p: r - p = r + epsilon (mod 2^64) */
	r_s = _mm256_add_epi64(r_s, _mm256_and_si256(
		_mm256_cmpgt_epi64(r_s, pm1_s), ZK_GL4_EPS));
	return _mm256_xor_si256(r_s, ZK_GL4_SIGN);
}

/* The exact 128-bit product from four 32x32 partial products; b_hi holds
 * b's high halves in its low halves. */
ZK_GL4_INLINE void zk_gl4_mul_wide(__m256i a, __m256i b, __m256i b_hi,
				   __m256i *hi, __m256i *lo)
{
	__m256i a_hi = _mm256_srli_epi64(a, 32);
	__m256i ll = _mm256_mul_epu32(a, b);
	__m256i lh = _mm256_mul_epu32(a, b_hi);
	__m256i hl = _mm256_mul_epu32(a_hi, b);
	__m256i hh = _mm256_mul_epu32(a_hi, b_hi);
	/* neither sum can pass 2^64 */
	__m256i t = _mm256_add_epi64(hl, _mm256_srli_epi64(ll, 32));
	__m256i u = _mm256_add_epi64(lh, _mm256_and_si256(t, ZK_GL4_EPS));

	*lo = _mm256_blend_epi32(ll, _mm256_slli_epi64(u, 32), 0xAA);
	*hi = _mm256_add_epi64(hh, _mm256_add_epi64(_mm256_srli_epi64(t, 32),
						    _mm256_srli_epi64(u, 32)));
}

ZK_GL4_INLINE zk_gl4 zk_gl4_mul(zk_gl4 a, zk_gl4 b)
{
	__m256i hi, lo;

	zk_gl4_mul_wide(a, b, _mm256_srli_epi64(b, 32), &hi, &lo);
	return zk_gl4_reduce128(hi, lo);
}

ZK_GL4_INLINE zk_gl4 zk_gl4_sqr(zk_gl4 a)
{
	return zk_gl4_mul(a, a);
}

/*
 * a·c for a constant c. Below 2^32 (most of the AIRs' constants: small
 * coefficients, powers of two) the high partial products vanish, so the
 * exact 128-bit product takes two 32x32 multiplies instead of four.
 */
ZK_GL4_INLINE zk_gl4 zk_gl4_mul_const(zk_gl4 a, zk_gl c)
{
	__m256i cv = _mm256_set1_epi64x((int64_t)c), hi, lo;

	if (c >> 32 == 0) {
		__m256i ll = _mm256_mul_epu32(a, cv);
		__m256i hl = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), cv);
		/* hl + (ll >> 32) < 2^64 */
		__m256i t = _mm256_add_epi64(hl, _mm256_srli_epi64(ll, 32));

		lo = _mm256_blend_epi32(ll, _mm256_slli_epi64(t, 32), 0xAA);
		hi = _mm256_srli_epi64(t, 32);
	} else {
		zk_gl4_mul_wide(a, cv, _mm256_set1_epi64x((int64_t)(c >> 32)),
				&hi, &lo);
	}
	return zk_gl4_reduce128(hi, lo);
}

#endif /* ZKCLOB_STARK_FIELD_X4_H */
