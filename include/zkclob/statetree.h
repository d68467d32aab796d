/* SPDX-License-Identifier: MIT */
/*
 * zkclob — the book commitment (DESIGN.md §4): one sparse Merkle tree per
 * market over the engine's proven slots, hashed with Poseidon2 over
 * Goldilocks, updated once per batch from the engine's witness log.
 *
 * Spec (docs/statetree.md has the tables the AIR uses)
 *  - One tree per market: a batch's statement names one market, so its
 *    old_root/new_root must not depend on other markets' books.
 *  - Leaf positions: each slot kind owns a region of 2^ceil(log2(count))
 *    leaves; regions are placed largest first (ties: lower kind first), so
 *    each starts at a multiple of its own size. leaf(kind, slot) =
 *    offset[kind] + slot. The tree has arity^depth >= sum of regions leaves.
 *  - Leaf value: a slot whose value equals its pristine value (the one
 *    zk_engine_create gives it: links NIL, free lists chained i -> i+1,
 *    everything else zero) is EMPTY and its leaf is the zero digest; any
 *    other value is hashed as zk_p2_hash over ZK_ST_LEAF_ELEMS elements
 *    (kind, market, slot, then the fields: u64 as two 32-bit limbs low
 *    first, u32 and u8 as one element, zeros to the end). Padding bytes
 *    of a slot must be zero, otherwise it has no encoding (error).
 *  - Nodes: arity 2 (default) node = zk_p2_compress_w8(left, right);
 *    arity 4 node = width-12 sponge over the four children (two
 *    permutations, capacity lanes start as 0,0,4,0 so it differs from both
 *    the leaf sponge and the width-12 compression). Empty subtrees have
 *    precomputed hashes; only nodes that differ from them are stored, so
 *    memory is proportional to the non-empty paths, not to capacity.
 *  - Roots are 32 bytes: 4 canonical elements, 8 bytes little-endian each
 *    (bytehash.h's digest convention), ready for struct zk_statement.
 *  - A batch update consumes a witness: every slot of the tree's market
 *    that the batch accessed (read or written) is a touched leaf; its old
 *    value is the first access's before, its new value the last access's
 *    after. The update checks that the witness is a consistent log
 *    (each before equals the previous after of that slot, reads unchanged)
 *    and that every old value matches the tree, and changes nothing if any
 *    check fails. Each affected node is recomputed once.
 *  - The update record lists, bottom-up and left to right, every node on
 *    the touched paths (old and new hash, child entries) and every sibling
 *    those need (one hash, old == new), plus each touched leaf's slot and
 *    old/new value: enough to recompute both roots with nothing else.
 *  - Not thread-safe: one tree belongs to one prover thread.
 */
#ifndef ZKCLOB_STATETREE_H
#define ZKCLOB_STATETREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "field.h"
#include "zkclob/engine.h"

#define ZK_ST_DIGEST_ELEMS 4
#define ZK_ST_ROOT_SIZE 32
#define ZK_ST_LEAF_ELEMS 16
#define ZK_ST_MAX_ARITY 4
#define ZK_ST_MAX_DEPTH 32
/* Slot kinds are 1..ZK_ST_KINDS (enum zk_slot_kind). */
#define ZK_ST_KINDS 4
/* A child entry that does not exist (leaves, siblings). */
#define ZK_ST_NONE UINT32_MAX

struct zk_st_layout {
	uint32_t market;
	uint32_t arity;                      /* 2 or 4 */
	uint32_t depth;                      /* root at level depth, leaves at 0 */
	uint32_t count[ZK_ST_KINDS + 1];     /* slots per kind; [0] unused */
	uint64_t offset[ZK_ST_KINDS + 1];    /* first leaf of each kind */
};

/* One node of an update record. */
struct zk_st_node_rec {
	uint64_t index;   /* position within its level, left to right */
	uint32_t level;   /* 0: leaves */
	uint32_t touched; /* 1: on a touched path; 0: sibling, old == new */
	uint32_t child[ZK_ST_MAX_ARITY]; /* entries of this record; NONE for
					  * leaves and siblings */
	zk_gl old_hash[ZK_ST_DIGEST_ELEMS];
	zk_gl new_hash[ZK_ST_DIGEST_ELEMS];
};

/* One touched slot of an update record, in leaf-position order. */
struct zk_st_leaf_rec {
	uint64_t index;   /* leaf position */
	uint32_t slot;
	uint32_t kind;    /* enum zk_slot_kind */
	uint32_t node;    /* its level-0 entry in .nodes */
	uint32_t written; /* some access wrote it (before may still == after) */
	union zk_slot_value before, after;
};

/* Zero-initialise; reusable across batches; release with
 * zk_st_update_free(). */
struct zk_st_update {
	uint8_t old_root[ZK_ST_ROOT_SIZE];
	uint8_t new_root[ZK_ST_ROOT_SIZE];
	size_t n_leaves, n_nodes;
	struct zk_st_leaf_rec *leaves;
	struct zk_st_node_rec *nodes;
	size_t cap_leaves, cap_nodes;
	/* what the native update did */
	uint64_t accesses;     /* witness accesses of this market */
	uint64_t other_market; /* accesses skipped: another market's tree */
	uint64_t node_hashes;  /* internal nodes hashed (new hashes) */
	uint64_t leaf_hashes;  /* leaf sponges run (changed new values; old
				* values are compared with stored ones) */
	/* why the last zk_st_apply_witness failed, NULL when it did not */
	const char *error;
	char error_buf[160];
};

/* Single-leaf membership proof: the arity-1 siblings of each level, in
 * child order with the path's own child left out. */
struct zk_st_proof {
	uint32_t market, arity, depth;
	uint32_t kind, slot;
	uint64_t index;
	zk_gl sib[ZK_ST_MAX_DEPTH][ZK_ST_MAX_ARITY - 1][ZK_ST_DIGEST_ELEMS];
};

struct zk_st_stats {
	uint64_t stored_nodes; /* non-empty nodes held, leaves included */
	uint64_t table_bytes;  /* memory of the node table */
	uint64_t node_hashes;  /* since creation */
	uint64_t leaf_hashes;
};

struct zk_st_tree;

/*
 * Layout for a market whose kinds have count[1..4] slots; arity 2 or 4.
 * 0, or -1 (errno EINVAL) for a bad arity, a zero header/order/level count
 * or a tree deeper than ZK_ST_MAX_DEPTH.
 */
int zk_st_layout_init(struct zk_st_layout *lay, uint32_t market,
		      uint32_t arity, const uint32_t count[ZK_ST_KINDS + 1]);
/* Same, with the counts zk_engine_slot_count() reports for the market. */
int zk_st_layout_for_engine(struct zk_st_layout *lay,
			    const struct zk_engine *e, uint32_t market,
			    uint32_t arity);
/* Leaf position of (kind, slot); -1 when the kind or slot is out of range. */
int zk_st_leaf_index(const struct zk_st_layout *lay, uint32_t kind,
		     uint32_t slot, uint64_t *index);

/* The value zk_engine_create gives (kind, slot): such a slot is empty. */
bool zk_st_is_pristine(const struct zk_st_layout *lay, uint32_t kind,
		       uint32_t slot, const union zk_slot_value *v);
/* Canonical elements of a slot; -1 on a bad kind/slot or non-zero padding. */
int zk_st_encode(const struct zk_st_layout *lay, uint32_t kind, uint32_t slot,
		 const union zk_slot_value *v, zk_gl out[ZK_ST_LEAF_ELEMS]);
/* Leaf digest (zero digest when pristine); -1 as zk_st_encode. */
int zk_st_leaf_hash(const struct zk_st_layout *lay, uint32_t kind,
		    uint32_t slot, const union zk_slot_value *v,
		    zk_gl out[ZK_ST_DIGEST_ELEMS]);
/* Node digest of `arity` children (arity 2 or 4). */
void zk_st_node_hash(uint32_t arity,
		     const zk_gl children[][ZK_ST_DIGEST_ELEMS],
		     zk_gl out[ZK_ST_DIGEST_ELEMS]);
/*
 * out[i] = zk_st_node_hash(arity, children[i]) for i < n, four at a time
 * on the batched permutations (poseidon2.h): same digests, more per second.
 */
void zk_st_node_hash_many(uint32_t arity,
			  const zk_gl (*children)[ZK_ST_MAX_ARITY][ZK_ST_DIGEST_ELEMS],
			  zk_gl (*out)[ZK_ST_DIGEST_ELEMS], size_t n);
/* out[i] = digest of a non-pristine leaf whose zk_st_encode() is enc[i]
 * (what zk_st_leaf_hash computes for it), four at a time. */
void zk_st_leaf_hash_many(const zk_gl (*enc)[ZK_ST_LEAF_ELEMS],
			  zk_gl (*out)[ZK_ST_DIGEST_ELEMS], size_t n);
/* Hash of an all-empty subtree whose root is at `level` (<= depth). */
void zk_st_empty_hash(uint32_t arity, uint32_t level,
		      zk_gl out[ZK_ST_DIGEST_ELEMS]);

/* 32-byte root ↔ 4 elements; from_bytes returns -1 on a non-canonical one. */
void zk_st_root_to_bytes(const zk_gl root[ZK_ST_DIGEST_ELEMS],
			 uint8_t out[ZK_ST_ROOT_SIZE]);
int zk_st_root_from_bytes(const uint8_t in[ZK_ST_ROOT_SIZE],
			  zk_gl root[ZK_ST_DIGEST_ELEMS]);

/*
 * Tree over the market's current slots in `e`. NULL with errno EINVAL
 * (unknown market, bad arity, a slot with non-zero padding) or ENOMEM.
 */
struct zk_st_tree *zk_st_create(const struct zk_engine *e, uint32_t market,
				uint32_t arity);
void zk_st_destroy(struct zk_st_tree *t);

const struct zk_st_layout *zk_st_layout_get(const struct zk_st_tree *t);
void zk_st_root(const struct zk_st_tree *t, uint8_t out[ZK_ST_ROOT_SIZE]);
void zk_st_root_gl(const struct zk_st_tree *t, zk_gl out[ZK_ST_DIGEST_ELEMS]);
void zk_st_get_stats(const struct zk_st_tree *t, struct zk_st_stats *st);

/*
 * Apply one batch's witness (accesses of other markets are counted and
 * skipped) and fill *u with the update record. 0, or -1 with the tree
 * unchanged and u->error saying why: errno EINVAL (bad kind/slot,
 * non-zero padding, a before that does not follow the previous after, a
 * read that changed its slot, an old value that differs from the tree's)
 * or ENOMEM. A witness without accesses of this market gives an empty
 * record with old_root == new_root.
 */
int zk_st_apply_witness(struct zk_st_tree *t, const struct zk_witness *w,
			struct zk_st_update *u);

/*
 * Recompute both roots from the record alone and check every entry: order,
 * positions, children, leaf values against their hashes, old_root and
 * new_root. 0 when all hold; -1 and *why (if not NULL) naming the first
 * failed check.
 */
int zk_st_update_verify(const struct zk_st_layout *lay,
			const struct zk_st_update *u, const char **why);
void zk_st_update_free(struct zk_st_update *u);
/* Index in u->leaves of the touched leaf at position `index` (the leaves
 * are in position order), or -1 when the record does not touch it. */
long zk_st_update_find_leaf(const struct zk_st_update *u, uint64_t index);

/* Membership proof of (kind, slot) in the current tree; -1 on a bad slot. */
int zk_st_prove(const struct zk_st_tree *t, uint32_t kind, uint32_t slot,
		struct zk_st_proof *p);
/* 0 when `v` is the value of the proof's slot under `root`, else -1. */
int zk_st_proof_verify(const struct zk_st_layout *lay,
		       const struct zk_st_proof *p,
		       const union zk_slot_value *v,
		       const uint8_t root[ZK_ST_ROOT_SIZE]);

#endif /* ZKCLOB_STATETREE_H */
