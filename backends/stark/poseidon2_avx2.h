/* SPDX-License-Identifier: MIT */
/*
 * Poseidon2 lane arithmetic in AVX2, one independent state (or trace row)
 * per 64-bit lane: shared by the four-state permutation (poseidon2_x4.c)
 * and AIRs that evaluate Poseidon2 round constraints four rows at a time
 * (tests/stark/air_p2chain_x4.c).
 *
 * Spec
 *  - Lanes are partly reduced (poseidon2_internal.h): any uint64 congruent
 *    to the value mod p, also as input to every function here; outputs
 *    are partly reduced too. v_canonical and v_sub give canonical words.
 *  - Include only where __x86_64__ is defined; every function carries
 *    target("avx2"), so callers must check __builtin_cpu_supports("avx2").
 */
#ifndef ZKCLOB_STARK_POSEIDON2_AVX2_H
#define ZKCLOB_STARK_POSEIDON2_AVX2_H

#include <stdint.h>
#include <immintrin.h>

#include "field.h"
#include "field_x4.h"
#include "poseidon2.h"

#define ZK_AVX2 __attribute__((target("avx2")))

#define SIGN _mm256_set1_epi64x(INT64_MIN)
#define EPS _mm256_set1_epi64x((int64_t)ZK_GL_EPSILON)

/*
 * zk_p2_reduce_partial lane-wise. AVX2 compares only signed lanes, so the
 * running value carries its sign bit flipped: a signed compare of two
 * flipped words is the unsigned compare of the originals.
 */
ZK_AVX2 static inline __m256i v_reduce(__m256i hi, __m256i lo)
{
	__m256i lo_s = _mm256_xor_si256(lo, SIGN);
	__m256i hi_hi = _mm256_srli_epi64(hi, 32);
	__m256i t0_s = _mm256_sub_epi64(lo_s, hi_hi);
	__m256i r_s;

	/* borrow iff t0 > lo */
	t0_s = _mm256_sub_epi64(t0_s, _mm256_and_si256(
		_mm256_cmpgt_epi64(t0_s, lo_s), EPS));
	/* + (hi mod 2^32)·(2^32 - 1), one mul_epu32 (it reads the low
	 * halves only) for a mask, a shift and a subtraction */
	r_s = _mm256_add_epi64(t0_s, _mm256_mul_epu32(hi, EPS));
	/* carry iff r < t0 */
	r_s = _mm256_add_epi64(r_s, _mm256_and_si256(
		_mm256_cmpgt_epi64(t0_s, r_s), EPS));
	return _mm256_xor_si256(r_s, SIGN);
}

ZK_AVX2 static inline __m256i v_mul(__m256i a, __m256i b)
{
	__m256i hi, lo;

	zk_gl4_mul_wide(a, b, _mm256_srli_epi64(b, 32), &hi, &lo);
	return v_reduce(hi, lo);
}

ZK_AVX2 static inline __m256i v_add_const(__m256i a, zk_gl c)
{
	__m256i cv = _mm256_set1_epi64x((int64_t)c);
	__m256i s = _mm256_add_epi64(a, cv);
	/* carry iff s < c */
	__m256i carry = _mm256_cmpgt_epi64(_mm256_xor_si256(cv, SIGN),
					   _mm256_xor_si256(s, SIGN));

	return _mm256_add_epi64(s, _mm256_and_si256(carry, EPS));
}

ZK_AVX2 static inline __m256i v_sbox7(__m256i x)
{
	__m256i x2 = v_mul(x, x);
	__m256i x3 = v_mul(x2, x);
	__m256i x4 = v_mul(x2, x2);

	return v_mul(x3, x4);
}

/*
 * lo + hi·2^32 for lo, hi < 2^39 (sums of at most 64 half-words) to a
 * partly reduced word: hi·2^32 = (hi >> 32)·2^64 + (hi << 32) and 2^64 ≡
 * 2^32 - 1, so the value is (hi << 32) + small with small < 2^40; on carry
 * the wrapped sum is below small and + epsilon fits.
 */
ZK_AVX2 static inline __m256i v_join(__m256i lo, __m256i hi)
{
	__m256i top = _mm256_srli_epi64(hi, 32);
	__m256i small = _mm256_add_epi64(lo, _mm256_sub_epi64(
		_mm256_slli_epi64(top, 32), top));
	__m256i s = _mm256_add_epi64(_mm256_slli_epi64(hi, 32), small);
	__m256i carry = _mm256_cmpgt_epi64(_mm256_xor_si256(small, SIGN),
					   _mm256_xor_si256(s, SIGN));

	return _mm256_add_epi64(s, _mm256_and_si256(carry, EPS));
}

/* M4 on one block of 32-bit halves: an output is at most 16 times the
 * largest input, so with the column sums every lane stays below 2^38. */
ZK_AVX2 static inline void v_m4(__m256i *v)
{
	__m256i ab = _mm256_add_epi64(v[0], v[1]);
	__m256i cd = _mm256_add_epi64(v[2], v[3]);
	__m256i t2 = _mm256_add_epi64(_mm256_slli_epi64(v[1], 1), cd);
	__m256i t3 = _mm256_add_epi64(_mm256_slli_epi64(v[3], 1), ab);
	__m256i t4 = _mm256_add_epi64(_mm256_slli_epi64(cd, 2), t3);
	__m256i t5 = _mm256_add_epi64(_mm256_slli_epi64(ab, 2), t2);

	v[0] = _mm256_add_epi64(t3, t5);
	v[1] = t5;
	v[2] = _mm256_add_epi64(t2, t4);
	v[3] = t4;
}

/* M_E on 32-bit halves, which cannot overflow 64-bit lanes, then joined. */
ZK_AVX2 static inline void v_external(__m256i *x, unsigned width)
{
	__m256i lo[ZK_P2_WIDTH12], hi[ZK_P2_WIDTH12];
	__m256i col_lo[4], col_hi[4];
	unsigned i, blk;

	for (i = 0; i < width; i++) {
		lo[i] = _mm256_and_si256(x[i], EPS);
		hi[i] = _mm256_srli_epi64(x[i], 32);
	}
	for (blk = 0; blk < width; blk += 4) {
		v_m4(lo + blk);
		v_m4(hi + blk);
	}
	for (i = 0; i < 4; i++) {
		col_lo[i] = lo[i];
		col_hi[i] = hi[i];
		for (blk = 4; blk < width; blk += 4) {
			col_lo[i] = _mm256_add_epi64(col_lo[i], lo[blk + i]);
			col_hi[i] = _mm256_add_epi64(col_hi[i], hi[blk + i]);
		}
	}
	for (i = 0; i < width; i++)
		x[i] = v_join(_mm256_add_epi64(lo[i], col_lo[i & 3]),
			      _mm256_add_epi64(hi[i], col_hi[i & 3]));
}

/*
 * M_I = J + diag(D): the lane sum is formed from 32-bit halves (joined
 * once), then added to each 128-bit product D_i·x_i before its reduction;
 * the high word of such a product is below p - 1, so the carry fits.
 */
ZK_AVX2 static inline void v_internal(__m256i *x, unsigned width,
				      const __m256i *d, const __m256i *d_hi)
{
	__m256i s_lo = _mm256_setzero_si256(), s_hi = _mm256_setzero_si256();
	__m256i sum, sum_s;
	unsigned i;

	for (i = 0; i < width; i++) {
		s_lo = _mm256_add_epi64(s_lo, _mm256_and_si256(x[i], EPS));
		s_hi = _mm256_add_epi64(s_hi, _mm256_srli_epi64(x[i], 32));
	}
	sum = v_join(s_lo, s_hi);
	sum_s = _mm256_xor_si256(sum, SIGN);
	for (i = 0; i < width; i++) {
		__m256i hi, lo, lo2;

		zk_gl4_mul_wide(x[i], d[i], d_hi[i], &hi, &lo);
		lo2 = _mm256_add_epi64(lo, sum);
		/* carry iff lo2 < sum; the compare mask is -1 per carry */
		hi = _mm256_sub_epi64(hi, _mm256_cmpgt_epi64(
			sum_s, _mm256_xor_si256(lo2, SIGN)));
		x[i] = v_reduce(hi, lo2);
	}
}

/* The canonical representative of a partly reduced lane. */
ZK_AVX2 static inline __m256i v_canonical(__m256i x)
{
	const __m256i p_s = _mm256_set1_epi64x(
		(int64_t)((ZK_GL_P - 1) ^ (1ull << 63)));
	/* x > p - 1: x - p = x + epsilon (mod 2^64) */
	__m256i ge = _mm256_cmpgt_epi64(_mm256_xor_si256(x, SIGN), p_s);

	return _mm256_add_epi64(x, _mm256_and_si256(ge, EPS));
}

/* Canonical a - b for partly reduced a and b. */
ZK_AVX2 static inline __m256i v_sub(__m256i a, __m256i b)
{
	const __m256i p = _mm256_set1_epi64x((int64_t)ZK_GL_P);
	__m256i ac = v_canonical(a), bc = v_canonical(b);
	__m256i d = _mm256_sub_epi64(ac, bc);
	/* borrow iff a < b */
	__m256i lt = _mm256_cmpgt_epi64(_mm256_xor_si256(bc, SIGN),
					_mm256_xor_si256(ac, SIGN));

	return _mm256_add_epi64(d, _mm256_and_si256(lt, p));
}

#endif /* ZKCLOB_STARK_POSEIDON2_AVX2_H */
