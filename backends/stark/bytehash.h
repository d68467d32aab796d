/* SPDX-License-Identifier: MIT */
/*
 * Hashes for Merkle commitments: one digest type and one interface over
 * four interchangeable hash functions, so a tree can be built with the
 * fastest byte hash (commitments to LDE rows) or with Poseidon2 (trees whose
 * paths an AIR must recompute).
 *
 * Spec
 *  - A digest is 32 bytes. For the Poseidon2 hashes it is 4 canonical
 *    Goldilocks elements, each 8 bytes little-endian; a digest whose
 *    elements are not canonical is rejected wherever one is consumed.
 *  - leaf(row[0..n)) hashes n field elements, each encoded as 8 bytes
 *    little-endian (canonical), in order. node(l, r) hashes two digests.
 *  - Leaves and nodes are domain-separated so that a leaf can never be
 *    presented as an inner node or the other way round:
 *      BLAKE2s-256    parameter block personalisation "zkclobL" / "zkclobN"
 *      BLAKE2b-256    (digest_length 32) personalisation "zkclob-leaf" /
 *                     "zkclob-node" (zero-padded to the field's size)
 *      SHA-256        one prefix byte: 0x00 leaf, 0x01 node (RFC 6962)
 *      POSEIDON2      leaf = zk_p2_hash (sponge, length in the capacity),
 *                     node = zk_p2_compress_w8 (feed-forward + truncation)
 *      POSEIDON2_W12  leaf = zk_p2_hash, node = zk_p2_compress_w12
 *    (the sponge starts with capacity lane 9 = 1, the compressions with a
 *    zero capacity, so the Poseidon2 leaf and node functions differ too).
 *  - zk_hash_for_row_width() is the byte hash picked by perf/bench_hash
 *    (docs/hashes.md has the measurements): BLAKE2s-256 when a row fits one
 *    64-byte BLAKE2s block (≤ 8 elements), BLAKE2b-256 for wider rows,
 *    whose 128-byte blocks halve the compressions per byte. Prover and
 *    verifier both know the width, so both derive the same hash.
 *  - A zk_hasher holds per-thread scratch (pre-initialised states, an
 *    OpenSSL context): one per thread, never shared.
 */
#ifndef ZKCLOB_STARK_BYTEHASH_H
#define ZKCLOB_STARK_BYTEHASH_H

#include <stddef.h>
#include <stdint.h>

#include "field.h"

#define ZK_DIGEST_BYTES 32

struct zk_digest {
	uint8_t bytes[ZK_DIGEST_BYTES];
};

enum zk_hash_id {
	ZK_HASH_BLAKE2S = 1,
	ZK_HASH_BLAKE2B = 2,
	ZK_HASH_SHA256 = 3,
	ZK_HASH_POSEIDON2 = 4,
	ZK_HASH_POSEIDON2_W12 = 5,
};

/* Widest row (in elements) that BLAKE2s hashes in one block. */
#define ZK_HASH_NARROW_ROW 8

struct zk_hasher;

/* NULL for an unknown id or when the allocation fails. */
struct zk_hasher *zk_hasher_new(enum zk_hash_id id);
void zk_hasher_free(struct zk_hasher *h);
enum zk_hash_id zk_hasher_id(const struct zk_hasher *h);

/* Non-zero when `id` names a hash this build provides. */
int zk_hash_id_valid(uint32_t id);
const char *zk_hash_name(enum zk_hash_id id);
/* The fastest byte hash for Merkle leaves of n_cols elements. */
enum zk_hash_id zk_hash_for_row_width(size_t n_cols);
/* Non-zero when the digests of this hash are field elements. */
int zk_hash_is_algebraic(enum zk_hash_id id);

/* Row elements must be canonical. Both return 0, or -1 when the underlying
 * library reports a failure (out is then unspecified) or, for node(), when
 * an algebraic hash is handed a non-canonical digest. */
int zk_hasher_leaf(struct zk_hasher *h, const zk_gl *row, size_t n,
		   struct zk_digest *out);
int zk_hasher_node(struct zk_hasher *h, const struct zk_digest *left,
		   const struct zk_digest *right, struct zk_digest *out);

/* Digest ↔ 4 field elements (little-endian). from_gl expects canonical
 * input; to_gl returns -1 when an element is >= p. */
void zk_digest_from_gl(struct zk_digest *d, const zk_gl e[4]);
int zk_digest_to_gl(const struct zk_digest *d, zk_gl e[4]);

#endif /* ZKCLOB_STARK_BYTEHASH_H */
