/* SPDX-License-Identifier: MIT */
/*
 * FRI internals shared by fri.c (prover, verifier) and fri_codec.c, and
 * checked directly by tests/stark/test_fri.c. Not part of the library's
 * public contract.
 *
 * Spec
 *  - zk_fri_fold_coset(): v[k] = F(x·ω_K^bitrev(k, f)), K = 2^f, x_inv =
 *    x^-1, wk_inv[t] = ω_K^-t for t < K/2 (zk_fri_coset_inv_roots). Returns
 *    Σ_r β^r·G_r(x^K) where F(y) = Σ_r y^r·G_r(y^K), i.e. the value of the
 *    folded polynomial at x^K.
 *  - zk_fri_point(): the point of position pos in the bit-reversed domain
 *    shift·<ω_(2^log_size)>.
 *  - zk_fri_eval_poly(): Σ coeffs[i]·x^i (Horner).
 *  - zk_fri_distinct_sorted(): out = sorted distinct (in[i] >> shift); out
 *    has room for n; returns the count.
 *  - zk_fri_parallel_for(): fn over [0, n) split over up to `threads`
 *    workers (the caller included); the result never depends on how many.
 *  - zk_fri_layer_tree() (fri_tree.c): the Merkle tree of one layer, leaf
 *    j = the 2^f values of coset j (ZK_EXT_DEGREE·2^f base elements, coset
 *    order, limbs inner). 0 or a negative ZK_STARK_* status.
 */
#ifndef ZKCLOB_STARK_FRI_INTERNAL_H
#define ZKCLOB_STARK_FRI_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "bytehash.h"
#include "ext3.h"
#include "field.h"
#include "merkle.h"

void zk_fri_coset_inv_roots(unsigned log_folding, zk_gl *out);
zk_ext zk_fri_fold_coset(const zk_ext *v, unsigned f, zk_gl x_inv,
			 const zk_gl *wk_inv, zk_ext beta);
zk_gl zk_fri_point(zk_gl shift, unsigned log_size, uint64_t pos);
zk_ext zk_fri_eval_poly(const zk_ext *coeffs, size_t n, zk_gl x);
size_t zk_fri_distinct_sorted(const uint64_t *in, size_t n, unsigned shift,
			      uint64_t *out);

typedef void (*zk_fri_range_fn)(void *ctx, size_t begin, size_t end);
void zk_fri_parallel_for(unsigned threads, size_t n, zk_fri_range_fn fn,
			 void *ctx);
int zk_fri_layer_tree(struct zk_merkle_tree *tree, const zk_ext *values,
		      unsigned f, size_t n_rows, enum zk_hash_id hash,
		      unsigned threads);

#endif /* ZKCLOB_STARK_FRI_INTERNAL_H */
