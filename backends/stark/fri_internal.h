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
 *  - Block mode (fri_blocks.c): layer 0 is never held whole; its tree, its
 *    fold and its queried cosets are each made from its blocks remade by
 *    the caller's fill(), so the proof is the one of zk_fri_commit.
 */
#ifndef ZKCLOB_STARK_FRI_INTERNAL_H
#define ZKCLOB_STARK_FRI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "bytehash.h"
#include "ext3.h"
#include "field.h"
#include "fri.h"
#include "merkle.h"
#include "transcript.h"

/*
 * Large scratch of the streaming prover (and FRI's block mode), freed
 * with zk_big_free only. With own_map the buffer is a mapping of its own,
 * unmapped at free: glibc keeps freed heap chunks resident and raises its
 * mmap threshold to the largest chunk freed, so buffers of one step left
 * holes the next step's (other sizes) did not reuse, and the resident peak
 * was the sum of the steps rather than the largest. Without own_map, under
 * AddressSanitizer (its bounds checks cover the heap, not mappings) or for
 * small sizes it is aligned_alloc. A 64-byte header keeps the mapping's
 * length (0 for the heap), and buffers are 64-byte aligned either way.
 */
/*
 * Proof format 4: drop from values (n_c cosets × 2^f, the cosets of the
 * sorted distinct pos >> f) the slot each coset's first query (in pos
 * order) lands on, compacting in place to n_c × (2^f - 1) values. The
 * verifier knows those values and puts them back (fri.c, verify_layer).
 */
void zk_fri_drop_known(zk_ext *values, const uint64_t *pos, size_t n,
		       const uint64_t *cosets, size_t n_c, unsigned f);

/* Query bookkeeping shared by fri.c (prover) and fri_verify.c. */
/* ω_(2^log_n)^-1. */
zk_gl zk_fri_inverse_root(unsigned log_n);
/* Index of key in the sorted distinct array a (key is known to be there). */
size_t zk_fri_find_sorted(const uint64_t *a, size_t n, uint64_t key);
/* 1..ZK_FRI_MAX_QUERIES positions, each below 2^log_domain: ACCEPT or EINVAL. */
int zk_fri_check_positions(unsigned log_domain, const uint64_t *positions,
			   size_t n);
/* Per coset (sorted distinct pos >> f), the slot its first query lands on. */
void zk_fri_known_slots(const uint64_t *pos, size_t n,
			const uint64_t *cosets, size_t n_c, unsigned f,
			uint8_t *slot);

#define ZK_BIG_HEADER 64
#define ZK_BIG_MIN_MAP ((size_t)256 << 10)
#if defined(__SANITIZE_ADDRESS__)
#define ZK_BIG_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ZK_BIG_ASAN 1
#endif
#endif
#ifndef ZK_BIG_ASAN
#define ZK_BIG_ASAN 0
#endif

static inline void *zk_big_alloc(size_t size, bool own_map)
{
	size_t len = size + ZK_BIG_HEADER;
	unsigned char *base;

	if (len < size || len + ZK_BIG_HEADER < len)
		return NULL;
	if (own_map && !ZK_BIG_ASAN && size >= ZK_BIG_MIN_MAP) {
		base = mmap(NULL, len, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (base == MAP_FAILED)
			return NULL;
	} else {
		/* aligned_alloc wants a multiple of the alignment */
		len = (len + ZK_BIG_HEADER - 1) & ~(size_t)(ZK_BIG_HEADER - 1);
		base = aligned_alloc(ZK_BIG_HEADER, len);
		if (base == NULL)
			return NULL;
		len = 0;
	}
	*(size_t *)(void *)base = len;
	return base + ZK_BIG_HEADER;
}

static inline void zk_big_free(void *p)
{
	unsigned char *base;
	size_t len;

	if (p == NULL)
		return;
	base = (unsigned char *)p - ZK_BIG_HEADER;
	len = *(size_t *)(void *)base;
	if (len != 0)
		munmap(base, len);
	else
		free(base);
}

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
/*
 * The same tree with the layer given by `slices` blocks (a power of two
 * dividing n_rows) that fill() writes one at a time into scratch
 * (n_rows / slices cosets): the digests of zk_fri_layer_tree.
 */
int zk_fri_layer_tree_blocks(struct zk_merkle_tree *tree, unsigned f,
			     size_t n_rows, size_t slices,
			     zk_fri_block_fn fill, void *ctx, zk_ext *scratch,
			     enum zk_hash_id hash, unsigned threads);
/*
 * The same tree without its bottom levels: tree->nodes holds the heap
 * indices below 2·(n_rows >> *dropped) only (the root where
 * zk_merkle_root looks), *dropped at most max_dropped and at most the
 * log of the rows of one slice. zk_merkle_open_batch cannot open it:
 * zk_fri_block_open0 does.
 */
int zk_fri_layer_tree_blocks_top(struct zk_merkle_tree *tree, unsigned f,
				 size_t n_rows, size_t slices,
				 zk_fri_block_fn fill, void *ctx,
				 zk_ext *scratch, enum zk_hash_id hash,
				 unsigned threads, unsigned max_dropped,
				 unsigned *dropped);

/*
 * Prover state (fri.c, fri_blocks.c). layer_values[0] is NULL when layer
 * 0 comes in blocks (zk_fri_commit_blocks): fill() remakes them.
 */
struct zk_fri_prover {
	struct zk_fri_config cfg;
	struct zk_fri_schedule sched;
	zk_ext *layer_values[ZK_FRI_MAX_LAYERS]; /* bit-reversed, owned */
	struct zk_merkle_tree trees[ZK_FRI_MAX_LAYERS];
	uint32_t final_len;
	zk_ext *final_coeffs;
	zk_fri_block_fn fill;
	void *fill_ctx;
	unsigned log_block;
	zk_fri_coset_fn coset_fn; /* optional, zk_fri_prover_set_coset_fn */
	size_t max_cosets;
	/* block mode: layer 0's tree keeps its levels from this one up */
	unsigned dropped0;
};

/* ω_(2^log_size)^-bitrev(j, log_count) for j < 2^log_count
 * (zk_big_alloc(own_map), freed with zk_big_free), or NULL. */
zk_gl *zk_fri_inv_roots_table(unsigned log_size, unsigned log_count,
			      unsigned threads, bool own_map);
/* fp with its schedule, and unless w_inv_br is NULL the fold table
 * ω_N^-bitrev(i, log N - 1) for i < N/2 (zk_fri_inv_roots_table). */
int zk_fri_prover_start(const struct zk_fri_config *cfg,
			struct zk_fri_prover **out, zk_gl **w_inv_br,
			bool own_map);
void zk_fri_absorb_config(struct zk_transcript *t,
			  const struct zk_fri_config *cfg);
/* Layers first.. with cur (owned, freed whatever the result) as layer
 * `first`, then the final polynomial; w_inv_br NULL: each fold makes
 * the table of its own cosets' roots. */
int zk_fri_commit_from(struct zk_fri_prover *fp, struct zk_transcript *t,
		       unsigned first, zk_ext *cur, const zk_gl *w_inv_br);
/*
 * next[base + j] = fold of layer l's coset base + j (cur[j << f ...]),
 * j < count. w_inv_br is the table of zk_fri_prover_start, or with
 * compact the entries it would read only: coset j's at j, not
 * j·2^(f-1) (zk_fri_inv_roots_table(log M, log M - f) for a layer of
 * size M = 2^log M).
 */
int zk_fri_fold_part(const struct zk_fri_prover *fp, unsigned l,
		     const zk_ext *cur, size_t base, size_t count,
		     const zk_gl *w_inv_br, bool compact, zk_ext beta,
		     zk_ext *next);
/* Block mode: the values of layer 0's cosets (sorted, distinct), out
 * holding count << f values. */
int zk_fri_block_cosets(const struct zk_fri_prover *fp, const uint64_t *cosets,
			size_t count, zk_ext *out);
/*
 * Block mode with dropped0 > 0: the same values and the opening
 * zk_merkle_open_batch gives for the whole layer-0 tree, the groups of
 * 2^dropped0 cosets holding the queried ones made again and their
 * subtrees built. 0 or a negative ZK_STARK_* status.
 */
int zk_fri_block_open0(const struct zk_fri_prover *fp, const uint64_t *cosets,
		       size_t count, zk_ext *out, struct zk_merkle_batch *open);

/*
 * For the mixed-height FRI of multi-table proofs (fri_multi.c), which
 * runs on a schedule of its own: one layer of zk_fri_verify_queries
 * (values at pos checked against the opened cosets, then folded: val and
 * pos become the next layer's), and zk_fri_proof_decode on a given
 * schedule (cfg gives the hash only).
 */
int zk_fri_verify_layer(const struct zk_fri_config *cfg,
			const struct zk_fri_schedule *s, unsigned l,
			const struct zk_fri_layer_proof *lp, zk_ext beta,
			uint64_t *pos, zk_ext *val, size_t n);
int zk_fri_proof_decode_sched(const struct zk_fri_config *cfg,
			      const struct zk_fri_schedule *sched,
			      size_t n_queries, const uint8_t *buf, size_t len,
			      size_t *consumed, struct zk_fri_proof *proof);

#endif /* ZKCLOB_STARK_FRI_INTERNAL_H */
