/* SPDX-License-Identifier: MIT */
/*
 * The NTT's twiddle cache (ntt.h's "Twiddle factors"): built once per
 * span on first use, shared by all threads (creation locked, lookups
 * not), freed by zk_ntt_teardown.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include "field.h"
#include "ntt.h"
#include "ntt_internal.h"

/*
 * Segment k of twiddle_cache holds w_{2^(k+1)}^j for j < 2^k: the
 * twiddles of span 2^k. Segment k >= 1 of cube_cache holds
 * w_{2^(k+1)}^(3j) for j < 2^(k-1): the third twiddle of a radix-4 pass
 * whose wider span is 2^k (the others are segments k and k - 1); only
 * passes within a block of 2^CACHE_LOG have one, so k < CACHE_LOG.
 *
 * A segment of span 2^k >= 2^CACHE_LOG (the whole-array stages) keeps its
 * first TW_CHUNK twiddles only; the stage makes the rest TW_CHUNK at a
 * time, one vector scalar product each (ntt.c, span_butterflies). Held
 * in full they were about n elements for a size-n transform, global and
 * kept: 2 B per main cell at the streaming prover's peak, the largest
 * thing there after its own buffers. The extra products fall on stages that
 * sweep the whole array, whose memory traffic they hide behind.
 */
#define CACHE_LOG ZK_NTT_CACHE_LOG
#define TW_CHUNK ((size_t)1 << ZK_NTT_TW_CHUNK_LOG)

static _Atomic(zk_gl *) twiddle_cache[ZK_NTT_MAX_LOG_N];
static _Atomic(zk_gl *) cube_cache[ZK_NTT_MAX_LOG_N];
static pthread_mutex_t twiddle_lock = PTHREAD_MUTEX_INITIALIZER;

/* seg[j] = w^j, j < m, for w = w_{2^(k+1)} (cube: w^3) */
static zk_gl *build_segment(unsigned int k, bool cube)
{
	size_t m = cube ? (size_t)1 << (k - 1) :
		   k >= CACHE_LOG ? TW_CHUNK : (size_t)1 << k;
	zk_gl *seg = aligned_alloc(64, m * sizeof(*seg) < 64 ? 64 :
						     m * sizeof(*seg));
	zk_gl w = zk_gl_root_of_unity(k + 1);

	if (!seg)
		return NULL;
	if (cube)
		w = zk_gl_mul(w, zk_gl_sqr(w));
	seg[0] = 1;
	for (size_t j = 1; j < m; j++)
		seg[j] = zk_gl_mul(seg[j - 1], w);
	return seg;
}

static const zk_gl *get_segment(_Atomic(zk_gl *) *cache, unsigned int k,
				bool cube)
{
	zk_gl *seg = atomic_load_explicit(&cache[k], memory_order_acquire);

	if (!seg) {
		pthread_mutex_lock(&twiddle_lock);
		seg = atomic_load_explicit(&cache[k], memory_order_relaxed);
		if (!seg) {
			seg = build_segment(k, cube);
			atomic_store_explicit(&cache[k], seg,
					      memory_order_release);
		}
		pthread_mutex_unlock(&twiddle_lock);
	}
	return seg;
}

/*
 * The segments a size-2^log_n transform on `ops` reads: the cubes only
 * for a path with radix-4 passes (tw3[k] is NULL otherwise, and tw3[0]
 * always: no pass has a wider span of 1).
 */
int zk_ntt_twiddles(unsigned int log_n, const struct zk_gl_vec_ops *ops,
		    const zk_gl **tw, const zk_gl **tw3)
{
	bool cubes = ops->dif_radix4 != NULL || ops->dit_radix4 != NULL;

	for (unsigned int k = 0; k < log_n; k++) {
		tw[k] = get_segment(twiddle_cache, k, false);
		tw3[k] = k == 0 || k >= CACHE_LOG || !cubes ? NULL :
			 get_segment(cube_cache, k, true);
		if (!tw[k] || (k > 0 && k < CACHE_LOG && cubes && !tw3[k]))
			return -ENOMEM;
	}
	return 0;
}

int zk_ntt_prepare(unsigned int log_n)
{
	const zk_gl *tw[ZK_NTT_MAX_LOG_N], *tw3[ZK_NTT_MAX_LOG_N];

	if (log_n > ZK_NTT_MAX_LOG_N)
		return -EINVAL;
	return zk_ntt_twiddles(log_n, zk_gl_vec_ops_default(), tw, tw3);
}

void zk_ntt_teardown(void)
{
	pthread_mutex_lock(&twiddle_lock);
	for (unsigned int k = 0; k < ZK_NTT_MAX_LOG_N; k++) {
		free(atomic_exchange(&twiddle_cache[k], NULL));
		free(atomic_exchange(&cube_cache[k], NULL));
	}
	pthread_mutex_unlock(&twiddle_lock);
}
