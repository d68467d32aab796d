/* SPDX-License-Identifier: MIT */
/*
 * Merkle commitments to the rows of a low-degree extension, with single and
 * batched openings.
 *
 * Spec
 *  - Input: n_cols columns of n_rows canonical field elements each
 *    (column-major, the LDE layout). Leaf i = zk_hasher_leaf(row i), the
 *    row being (col_0[i], ..., col_{n_cols-1}[i]); leaves in row order.
 *    n_rows must be a power of two (1 ≤ n_rows ≤ 2^ZK_MERKLE_MAX_DEPTH),
 *    n_cols ≥ 1. depth = log2(n_rows); a tree of one leaf has that leaf's
 *    digest as its root.
 *  - Node layout: nodes[1] is the root, nodes[k] = node(nodes[2k],
 *    nodes[2k+1]), leaf i is nodes[n_rows + i]; nodes[0] is unused.
 *  - Build splits the leaves into power-of-two chunks whose subtrees are
 *    independent; `threads` workers (the caller counts as one) take chunks
 *    from a shared counter, then the caller hashes the few nodes above the
 *    chunks. The result does not depend on the thread count.
 *  - Single path: path[d] is the sibling at level d (d = 0: the leaf's
 *    sibling), depth entries.
 *  - Batched opening for a multiset of leaf indices: the indices are sorted
 *    and deduplicated; then level by level, left to right, the sibling of
 *    every known node is sent unless it is itself known (opened, or derived
 *    from opened leaves). Nothing derivable is sent, and the order is
 *    fixed, so the verifier consumes the nodes in the same order and must
 *    use up all of them exactly.
 *  - Wire form of a batch (all integers little-endian):
 *      u8 version (1) | u8 depth | u32 n_nodes | n_nodes × 32-byte digest
 *    The parser treats its input as hostile: n_nodes is bounded by the
 *    caller's max_nodes and by the bytes present, the depth by
 *    ZK_MERKLE_MAX_DEPTH; trailing bytes are an error unless the caller
 *    asks for the consumed length.
 *  - Verification rejects: an index ≥ 2^depth, a depth that is not the
 *    expected one, duplicate indices with different leaf values, missing
 *    or surplus nodes, non-canonical digests for algebraic hashes, and any
 *    root mismatch.
 */
#ifndef ZKCLOB_STARK_MERKLE_H
#define ZKCLOB_STARK_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#include "bytehash.h"
#include "field.h"

#define ZK_MERKLE_MAX_DEPTH 40
#define ZK_MERKLE_BATCH_VERSION 1
#define ZK_MERKLE_BATCH_HEADER 6

enum zk_merkle_status {
	ZK_MERKLE_OK = 0,
	ZK_MERKLE_EINVAL = -1,  /* bad arguments (sizes, hash id, index) */
	ZK_MERKLE_ENOMEM = -2,
	ZK_MERKLE_EHASH = -3,   /* the hash library failed */
	ZK_MERKLE_EFORMAT = -4, /* malformed or oversized serialised batch */
	ZK_MERKLE_EREJECT = -5, /* opening does not match the root */
};

const char *zk_merkle_strerror(int status);

struct zk_merkle_tree {
	enum zk_hash_id hash;
	unsigned depth;
	uint64_t n_leaves;
	struct zk_digest *nodes; /* 2 * n_leaves entries */
};

struct zk_merkle_batch {
	unsigned depth;
	uint32_t n_nodes;
	struct zk_digest *nodes;
};

/* cols[c] points at column c (n_rows elements). */
int zk_merkle_build(struct zk_merkle_tree *t, enum zk_hash_id hash,
		    const zk_gl *const *cols, size_t n_cols, uint64_t n_rows,
		    unsigned threads);
/* Same, for one contiguous column-major array: column c at lde + c·n_rows. */
int zk_merkle_build_lde(struct zk_merkle_tree *t, enum zk_hash_id hash,
			const zk_gl *lde, size_t n_cols, uint64_t n_rows,
			unsigned threads);
void zk_merkle_free(struct zk_merkle_tree *t);
const struct zk_digest *zk_merkle_root(const struct zk_merkle_tree *t);

int zk_merkle_open(const struct zk_merkle_tree *t, uint64_t index,
		   struct zk_digest *path);
int zk_merkle_verify_path(enum zk_hash_id hash, const struct zk_digest *root,
			  unsigned depth, uint64_t index, const zk_gl *row,
			  size_t n_cols, const struct zk_digest *path);

int zk_merkle_open_batch(const struct zk_merkle_tree *t,
			 const uint64_t *indices, size_t count,
			 struct zk_merkle_batch *out);
void zk_merkle_batch_free(struct zk_merkle_batch *b);

/* rows: count × n_cols, row-major, rows[k] belongs to indices[k]. */
int zk_merkle_verify_batch(enum zk_hash_id hash, const struct zk_digest *root,
			   unsigned depth, const uint64_t *indices,
			   size_t count, const zk_gl *rows, size_t n_cols,
			   const struct zk_merkle_batch *b);
/* Same with the leaf digests already computed by the caller. */
int zk_merkle_verify_batch_digests(enum zk_hash_id hash,
				   const struct zk_digest *root,
				   unsigned depth, const uint64_t *indices,
				   size_t count,
				   const struct zk_digest *leaf_digests,
				   const struct zk_merkle_batch *b);

size_t zk_merkle_batch_wire_size(const struct zk_merkle_batch *b);
/* Returns 0 and the length in *written, or ZK_MERKLE_EINVAL when cap is
 * too small. */
int zk_merkle_batch_serialize(const struct zk_merkle_batch *b, uint8_t *buf,
			      size_t cap, size_t *written);
/* consumed == NULL: buf must hold exactly one batch. Otherwise the batch
 * may be followed by other data and *consumed gets its length. */
int zk_merkle_batch_deserialize(const uint8_t *buf, size_t len,
				size_t max_nodes, struct zk_merkle_batch *out,
				size_t *consumed);

#endif /* ZKCLOB_STARK_MERKLE_H */
