/* SPDX-License-Identifier: MIT */
/*
 * Internal to the NTT (ntt.c, ntt_bitrev.c, ntt_twiddle.c).
 *
 * Spec
 *  - zk_ntt_bitrev_copy(dst, src, log_n, lo, hi): dst[i] = src[bitrev(i)]
 *    for the work items [lo, hi) of a column of 2^log_n; the items are
 *    zk_ntt_bitrev_items(log_n) disjoint parts of the column (16 x 16
 *    tiles, or single elements below 2^8), so threads may split them.
 *    dst and src must not overlap.
 */
#ifndef ZKCLOB_STARK_NTT_INTERNAL_H
#define ZKCLOB_STARK_NTT_INTERNAL_H

#include <stddef.h>

#include "field.h"

/* Spans below 2^ZK_NTT_CACHE_LOG are the stages run block by block
 * (ntt.c); the twiddle cache keeps all of theirs, and the first
 * 2^ZK_NTT_TW_CHUNK_LOG of each wider span (ntt_twiddle.c). */
#define ZK_NTT_CACHE_LOG 14       /* 2^14 elements = 128 KiB per block */
#define ZK_NTT_TW_CHUNK_LOG 10

/*
 * tw[k] (k < log_n): w_{2^(k+1)}^j for j < 2^k, only j < 2^10 where
 * k >= ZK_NTT_CACHE_LOG; tw3[k]: w_{2^(k+1)}^(3j) for j < 2^(k-1) on a
 * path with radix-4 passes (`ops`), for 0 < k < ZK_NTT_CACHE_LOG, NULL
 * otherwise. 0 or -ENOMEM.
 */
int zk_ntt_twiddles(unsigned int log_n, const struct zk_gl_vec_ops *ops,
		    const zk_gl **tw, const zk_gl **tw3);

size_t zk_ntt_bitrev_items(unsigned int log_n);

void zk_ntt_bitrev_copy(zk_gl *dst, const zk_gl *src, unsigned int log_n,
			size_t lo, size_t hi);

#endif /* ZKCLOB_STARK_NTT_INTERNAL_H */
