/* SPDX-License-Identifier: MIT */
/*
 * Internal to the NTT (ntt.c, ntt_bitrev.c).
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

size_t zk_ntt_bitrev_items(unsigned int log_n);

void zk_ntt_bitrev_copy(zk_gl *dst, const zk_gl *src, unsigned int log_n,
			size_t lo, size_t hi);

#endif /* ZKCLOB_STARK_NTT_INTERNAL_H */
