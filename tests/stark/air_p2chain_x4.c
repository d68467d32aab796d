/* SPDX-License-Identifier: MIT */
/*
 * The chain AIR's constraints (air_p2chain_body.h) on four rows at once,
 * one row per AVX2 lane (air.h eval_main_x4). The prover evaluates them
 * on 2n points of D, where the row-by-row body was a fifth of a proof;
 * here the lanes stay partly reduced (poseidon2_avx2.h) as in the
 * four-state permutation, and every output is made canonical, so the
 * values are exactly the body's.
 */
#include <stddef.h>
#include <stdint.h>

#include "air_p2chain.h"

#if defined(__x86_64__)
#include <immintrin.h>

#include "poseidon2_avx2.h"

#define LOAD(p) _mm256_loadu_si256((const __m256i *)(p))
#define STORE(p, v) _mm256_storeu_si256((__m256i *)(p), (v))

ZK_AVX2 static inline __m256i cube(__m256i u)
{
	return v_mul(v_mul(u, u), u);
}

ZK_AVX2 static void p2chain_eval_x4_avx2(const void *ctx, const zk_gl *cur,
					 const zk_gl *nxt, size_t stride,
					 const zk_gl *periodic, zk_gl *out)
{
	__m256i x[ZK_P2_WIDTH12], d[ZK_P2_WIDTH12], d_hi[ZK_P2_WIDTH12];
	unsigned r, p, i;
	zk_gl *o = out;

	(void)ctx;
	(void)periodic;
	for (i = 0; i < ZK_P2_WIDTH12; i++) {
		x[i] = LOAD(cur + (ZK_P2CHAIN_COL_IN + i) * stride);
		d[i] = _mm256_set1_epi64x((int64_t)zk_p2_w12_diag[i]);
		d_hi[i] = _mm256_set1_epi64x((int64_t)(zk_p2_w12_diag[i] >> 32));
	}
	v_external(x, ZK_P2_WIDTH12);
	for (r = 0; r < ZK_P2_FULL_ROUNDS; r++) {
		if (r == ZK_P2CHAIN_HALF_FULL) {
			for (p = 0; p < ZK_P2_PARTIAL_ROUNDS; p++) {
				__m256i u = v_add_const(x[0], zk_p2_w12_rc_int[p]);
				__m256i t = LOAD(cur + ZK_P2CHAIN_COL_PT(p) * stride);
				__m256i y = LOAD(cur + ZK_P2CHAIN_COL_PY(p) * stride);

				STORE(o, v_sub(t, cube(u)));
				STORE(o + 4, v_sub(y, v_mul(u, v_mul(t, t))));
				o += 8;
				x[0] = y;
				v_internal(x, ZK_P2_WIDTH12, d, d_hi);
			}
		}
		for (i = 0; i < ZK_P2_WIDTH12; i++) {
			__m256i u = v_add_const(x[i], zk_p2_w12_rc_ext[r][i]);
			__m256i t = LOAD(cur + (ZK_P2CHAIN_COL_FT(r) + i) * stride);
			__m256i ut2 = v_mul(u, v_mul(t, t));

			STORE(o, v_sub(t, cube(u)));
			o += 4;
			if (r + 1 < ZK_P2_FULL_ROUNDS) {
				x[i] = LOAD(cur + (ZK_P2CHAIN_COL_FY(r) + i) * stride);
				STORE(o, v_sub(x[i], ut2));
				o += 4;
			} else {
				x[i] = ut2;
			}
		}
		v_external(x, ZK_P2_WIDTH12);
	}
	for (i = 0; i < ZK_P2_WIDTH12; i++) {
		STORE(o, v_sub(LOAD(nxt + (ZK_P2CHAIN_COL_IN + i) * stride), x[i]));
		o += 4;
	}
}

zk_air_eval_x4_fn zk_air_p2chain_eval_x4(void)
{
	return __builtin_cpu_supports("avx2") ? p2chain_eval_x4_avx2 : NULL;
}

#else

zk_air_eval_x4_fn zk_air_p2chain_eval_x4(void)
{
	return NULL;
}

#endif
