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
#ifdef ZK_P2_HAVE_X86
#include "poseidon2_avx2.h"
#endif

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

/* ---- AVX2: one state per 64-bit lane (poseidon2_avx2.h) ---- */

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
