/* SPDX-License-Identifier: MIT */
/*
 * Four independent Poseidon2 permutations at once (poseidon2.h, "batches").
 * A state is turned sideways first: row i holds lane i of all four states,
 * so every step of the permutation is the same operation on four words.
 * The portable path runs those four words in a loop, which already hides
 * the multiply latency one state alone leaves idle (the partial rounds are
 * a dependency chain through lane 0); the AVX2 path puts them in one
 * register. Both use the partly reduced lanes of poseidon2_internal.h and
 * give exactly the one-state results.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define ZK_P2_HAVE_X86 1
#endif

#include "poseidon2.h"
#include "poseidon2_internal.h"

#define L ZK_P2_LANES

typedef void (*permute_x4_fn)(uint64_t x[][L], unsigned width,
			      const zk_gl *rc_ext, const zk_gl *rc_int,
			      const zk_gl *diag);

/* ---- portable ---- */

/* As external_layer in poseidon2.c, four lanes at a time. */
static inline void port_external(uint64_t x[][L], unsigned width)
{
	for (unsigned k = 0; k < L; k++) {
		zk_p2_u128 y[ZK_P2_WIDTH12];
		zk_p2_u128 col[4] = {0, 0, 0, 0};

		for (unsigned blk = 0; blk < width; blk += 4) {
			zk_p2_u128 a = x[blk][k], b = x[blk + 1][k];
			zk_p2_u128 c = x[blk + 2][k], d = x[blk + 3][k];
			zk_p2_u128 ab = a + b, cd = c + d;
			zk_p2_u128 t2 = 2 * b + cd, t3 = 2 * d + ab;
			zk_p2_u128 t4 = 4 * cd + t3, t5 = 4 * ab + t2;

			y[blk] = t3 + t5;
			y[blk + 1] = t5;
			y[blk + 2] = t2 + t4;
			y[blk + 3] = t4;
			for (unsigned i = 0; i < 4; i++)
				col[i] += y[blk + i];
		}
		for (unsigned i = 0; i < width; i++)
			x[i][k] = zk_p2_reduce_partial(y[i] + col[i & 3]);
	}
}

__attribute__((always_inline)) static inline void
port_permute_w(uint64_t x[][L], unsigned width, const zk_gl *rc_ext,
	       const zk_gl *rc_int, const zk_gl *diag)
{
	unsigned r, i, k;

	port_external(x, width);
	for (r = 0; r < ZK_P2_FULL_ROUNDS; r++) {
		const zk_gl *rc = rc_ext + r * width;

		if (r == ZK_P2_FULL_ROUNDS / 2) {
			for (unsigned pr = 0; pr < ZK_P2_PARTIAL_ROUNDS; pr++) {
				zk_p2_u128 sum[L];

				for (k = 0; k < L; k++) {
					x[0][k] = zk_p2_sbox7(zk_p2_add_const(
						x[0][k], rc_int[pr]));
					sum[k] = 0;
				}
				for (i = 0; i < width; i++)
					for (k = 0; k < L; k++)
						sum[k] += x[i][k];
				for (i = 0; i < width; i++)
					for (k = 0; k < L; k++)
						x[i][k] = zk_p2_reduce_partial(
							(zk_p2_u128)x[i][k] * diag[i] +
							sum[k]);
			}
		}
		for (i = 0; i < width; i++)
			for (k = 0; k < L; k++)
				x[i][k] = zk_p2_sbox7(zk_p2_add_const(x[i][k],
								      rc[i]));
		port_external(x, width);
	}
	for (i = 0; i < width; i++)
		for (k = 0; k < L; k++)
			x[i][k] = zk_p2_canonical(x[i][k]);
}

static void port_permute(uint64_t x[][L], unsigned width, const zk_gl *rc_ext,
			 const zk_gl *rc_int, const zk_gl *diag)
{
	if (width == ZK_P2_WIDTH8)
		port_permute_w(x, ZK_P2_WIDTH8, rc_ext, rc_int, diag);
	else
		port_permute_w(x, ZK_P2_WIDTH12, rc_ext, rc_int, diag);
}

#ifdef ZK_P2_HAVE_X86

/* ---- AVX2: one state per 64-bit lane ---- */

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
	__m256i hi_lo = _mm256_and_si256(hi, EPS);
	__m256i t0_s = _mm256_sub_epi64(lo_s, hi_hi);
	__m256i r_s;

	/* borrow iff t0 > lo */
	t0_s = _mm256_sub_epi64(t0_s, _mm256_and_si256(
		_mm256_cmpgt_epi64(t0_s, lo_s), EPS));
	r_s = _mm256_add_epi64(t0_s, _mm256_sub_epi64(
		_mm256_slli_epi64(hi_lo, 32), hi_lo));
	/* carry iff r < t0 */
	r_s = _mm256_add_epi64(r_s, _mm256_and_si256(
		_mm256_cmpgt_epi64(t0_s, r_s), EPS));
	return _mm256_xor_si256(r_s, SIGN);
}

/* Full 128-bit product from four 32x32 partial products; b_hi holds b's
 * high halves in the low halves (constants come that way precomputed). */
ZK_AVX2 static inline void v_mul_wide(__m256i a, __m256i b, __m256i b_hi,
				      __m256i *hi, __m256i *lo)
{
	__m256i a_hi = _mm256_srli_epi64(a, 32);
	__m256i ll = _mm256_mul_epu32(a, b);
	__m256i lh = _mm256_mul_epu32(a, b_hi);
	__m256i hl = _mm256_mul_epu32(a_hi, b);
	__m256i hh = _mm256_mul_epu32(a_hi, b_hi);
	/* neither sum can pass 2^64 */
	__m256i t = _mm256_add_epi64(hl, _mm256_srli_epi64(ll, 32));
	__m256i u = _mm256_add_epi64(lh, _mm256_and_si256(t, EPS));

	*lo = _mm256_blend_epi32(ll, _mm256_slli_epi64(u, 32), 0xAA);
	*hi = _mm256_add_epi64(hh, _mm256_add_epi64(_mm256_srli_epi64(t, 32),
						    _mm256_srli_epi64(u, 32)));
}

ZK_AVX2 static inline __m256i v_mul(__m256i a, __m256i b)
{
	__m256i hi, lo;

	v_mul_wide(a, b, _mm256_srli_epi64(b, 32), &hi, &lo);
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

		v_mul_wide(x[i], d[i], d_hi[i], &hi, &lo);
		lo2 = _mm256_add_epi64(lo, sum);
		/* carry iff lo2 < sum; the compare mask is -1 per carry */
		hi = _mm256_sub_epi64(hi, _mm256_cmpgt_epi64(
			sum_s, _mm256_xor_si256(lo2, SIGN)));
		x[i] = v_reduce(hi, lo2);
	}
}

ZK_AVX2 __attribute__((always_inline)) static inline void
avx2_permute_w(uint64_t xs[][L], unsigned width, const zk_gl *rc_ext,
	       const zk_gl *rc_int, const zk_gl *diag)
{
	const __m256i p_s = _mm256_set1_epi64x(
		(int64_t)((ZK_GL_P - 1) ^ (1ull << 63)));
	__m256i x[ZK_P2_WIDTH12], d[ZK_P2_WIDTH12], d_hi[ZK_P2_WIDTH12];
	unsigned r, i;

	for (i = 0; i < width; i++) {
		x[i] = _mm256_loadu_si256((const __m256i *)xs[i]);
		d[i] = _mm256_set1_epi64x((int64_t)diag[i]);
		d_hi[i] = _mm256_set1_epi64x((int64_t)(diag[i] >> 32));
	}
	v_external(x, width);
	for (r = 0; r < ZK_P2_FULL_ROUNDS; r++) {
		const zk_gl *rc = rc_ext + r * width;

		if (r == ZK_P2_FULL_ROUNDS / 2) {
			for (unsigned pr = 0; pr < ZK_P2_PARTIAL_ROUNDS; pr++) {
				x[0] = v_sbox7(v_add_const(x[0], rc_int[pr]));
				v_internal(x, width, d, d_hi);
			}
		}
		for (i = 0; i < width; i++)
			x[i] = v_sbox7(v_add_const(x[i], rc[i]));
		v_external(x, width);
	}
	for (i = 0; i < width; i++) {
		/* x > p - 1: x - p = x + epsilon (mod 2^64) */
		__m256i ge = _mm256_cmpgt_epi64(_mm256_xor_si256(x[i], SIGN), p_s);

		x[i] = _mm256_add_epi64(x[i], _mm256_and_si256(ge, EPS));
		_mm256_storeu_si256((__m256i *)xs[i], x[i]);
	}
}

/* One copy per width, so every loop above has a constant trip count. */
ZK_AVX2 static void avx2_permute(uint64_t xs[][L], unsigned width,
				 const zk_gl *rc_ext, const zk_gl *rc_int,
				 const zk_gl *diag)
{
	if (width == ZK_P2_WIDTH8)
		avx2_permute_w(xs, ZK_P2_WIDTH8, rc_ext, rc_int, diag);
	else
		avx2_permute_w(xs, ZK_P2_WIDTH12, rc_ext, rc_int, diag);
}

#endif /* ZK_P2_HAVE_X86 */

static permute_x4_fn path_fn(enum zk_gl_simd kind)
{
	switch (kind) {
	case ZK_GL_SIMD_PORTABLE:
		return port_permute;
#ifdef ZK_P2_HAVE_X86
	case ZK_GL_SIMD_AVX2:
		return __builtin_cpu_supports("avx2") ? avx2_permute : NULL;
#endif
	default:
		return NULL;
	}
}

/* 0: not chosen yet; otherwise the zk_gl_simd kind + 1. */
static atomic_uint chosen_path;

enum zk_gl_simd zk_p2_x4_path(void)
{
	unsigned c = atomic_load_explicit(&chosen_path, memory_order_relaxed);

	if (c == 0) {
		/* racing first callers all pick the same path, so no lock */
		c = path_fn(ZK_GL_SIMD_AVX2) ? ZK_GL_SIMD_AVX2 + 1 :
					       ZK_GL_SIMD_PORTABLE + 1;
		atomic_store_explicit(&chosen_path, c, memory_order_relaxed);
	}
	return (enum zk_gl_simd)(c - 1);
}

bool zk_p2_x4_set_path(enum zk_gl_simd kind)
{
	if (path_fn(kind) == NULL)
		return false;
	atomic_store_explicit(&chosen_path, (unsigned)kind + 1,
			      memory_order_relaxed);
	return true;
}

static void permute_x4(zk_gl *states, unsigned width, const zk_gl *rc_ext,
		       const zk_gl *rc_int, const zk_gl *diag)
{
	uint64_t x[ZK_P2_WIDTH12][L];
	unsigned i, k;

	for (k = 0; k < L; k++)
		for (i = 0; i < width; i++)
			x[i][k] = states[k * width + i];
	path_fn(zk_p2_x4_path())(x, width, rc_ext, rc_int, diag);
	for (k = 0; k < L; k++)
		for (i = 0; i < width; i++)
			states[k * width + i] = x[i][k];
}

void zk_poseidon2_w8_x4(zk_gl states[ZK_P2_LANES][ZK_P2_WIDTH8])
{
	permute_x4(&states[0][0], ZK_P2_WIDTH8, &zk_p2_w8_rc_ext[0][0],
		   zk_p2_w8_rc_int, zk_p2_w8_diag);
}

void zk_poseidon2_w12_x4(zk_gl states[ZK_P2_LANES][ZK_P2_WIDTH12])
{
	permute_x4(&states[0][0], ZK_P2_WIDTH12, &zk_p2_w12_rc_ext[0][0],
		   zk_p2_w12_rc_int, zk_p2_w12_diag);
}

void zk_p2_hash_x4(const zk_gl *const in[ZK_P2_LANES], size_t n,
		   zk_gl out[ZK_P2_LANES][ZK_P2_DIGEST_ELEMS])
{
	zk_gl s[L][ZK_P2_WIDTH12];
	size_t done = 0;
	unsigned k;

	/* the same start state and chunking as zk_p2_sponge_* */
	memset(s, 0, sizeof(s));
	for (k = 0; k < L; k++) {
		s[k][ZK_P2_RATE] = zk_gl_from_u64(n);
		s[k][ZK_P2_RATE + 1] = 1;
	}
	do {
		size_t chunk = n - done < ZK_P2_RATE ? n - done : ZK_P2_RATE;

		for (k = 0; k < L; k++)
			for (size_t i = 0; i < chunk; i++)
				s[k][i] = zk_gl_add(s[k][i], in[k][done + i]);
		zk_poseidon2_w12_x4(s);
		done += chunk;
	} while (done < n);
	for (k = 0; k < L; k++)
		memcpy(out[k], s[k], ZK_P2_DIGEST_ELEMS * sizeof(zk_gl));
}

void zk_p2_compress_w8_x4(const zk_gl left[ZK_P2_LANES][ZK_P2_DIGEST_ELEMS],
			  const zk_gl right[ZK_P2_LANES][ZK_P2_DIGEST_ELEMS],
			  zk_gl out[ZK_P2_LANES][ZK_P2_DIGEST_ELEMS])
{
	zk_gl s[L][ZK_P2_WIDTH8];
	unsigned i, k;

	for (k = 0; k < L; k++) {
		memcpy(s[k], left[k], ZK_P2_DIGEST_ELEMS * sizeof(zk_gl));
		memcpy(s[k] + ZK_P2_DIGEST_ELEMS, right[k],
		       ZK_P2_DIGEST_ELEMS * sizeof(zk_gl));
	}
	zk_poseidon2_w8_x4(s);
	for (k = 0; k < L; k++)
		for (i = 0; i < ZK_P2_DIGEST_ELEMS; i++)
			out[k][i] = zk_gl_add(s[k][i], left[k][i]);
}
