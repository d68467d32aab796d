/* SPDX-License-Identifier: MIT */
/*
 * zkclob — batch cutting: the sequencer's core, without DPDK.
 *
 * Spec
 *  - The batcher owns no engine state: it applies each op to the engine it
 *    was given, in the order pushed, and collects into the current batch
 *    the op, its events and (when enabled) the engine's witness accesses.
 *  - A batch is cut when it holds max_ops ops (SIZE), when timeout_ns has
 *    passed since its first op (TIMEOUT, checked on push and on tick), on
 *    a sequence gap (GAP: the batch before the gap is cut so that no batch
 *    spans a gap) or on flush (FLUSH). Empty batches are never cut.
 *  - Batch sequence numbers start at 1 and increase by 1. A batch's ops
 *    have strictly increasing seq; first_seq/last_seq are those of its first
 *    and last op. gap_before records a gap reported just before the batch
 *    (expected seq, received seq), zero when none.
 *  - ops_digest and events_digest are BLAKE2b-256 over the canonical
 *    encodings (zk_op_encode / zk_event_encode) in order, with the
 *    personalisations "zkclob-ops-v1" / "zkclob-events-v1": the same
 *    digests a verifier recomputes from the published ops and events.
 *  - Ownership: a cut batch belongs to the caller (zk_batch_free).
 */
#ifndef ZKCLOB_BATCH_H
#define ZKCLOB_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zkclob/engine.h"
#include "zkclob/event.h"
#include "zkclob/op.h"

#define ZK_OP_WIRE_SIZE 64

enum zk_cut_reason {
	ZK_CUT_SIZE = 1,
	ZK_CUT_TIMEOUT = 2,
	ZK_CUT_GAP = 3,
	ZK_CUT_FLUSH = 4,
};

struct zk_batch_cfg {
	uint32_t max_ops;    /* >= 1 */
	uint64_t timeout_ns; /* 0: no timeout */
	bool witness;        /* record the engine's slot accesses per batch */
};

struct zk_st_update;
struct zk_st_layout;

struct zk_batch {
	uint64_t batch_seq;
	uint64_t first_seq, last_seq;
	uint64_t gap_expected, gap_received; /* gap just before this batch */
	enum zk_cut_reason cut;
	uint64_t t_first_ns; /* when the first op was pushed */
	uint64_t t_cut_ns;   /* when the batch was cut */

	size_t n_ops;
	struct zk_op *ops;
	struct zk_event_buf events;
	struct zk_witness witness; /* empty unless cfg.witness */

	uint8_t ops_digest[32];
	uint8_t events_digest[32];

	/* Set by zk_clob_commit (clobproof.h) once the batch is applied to its
	 * market's state tree; NULL before. Owned by whoever committed it and
	 * valid while the batch is: the prover's witness besides the accesses. */
	const struct zk_st_update *tree_update;
	const struct zk_st_layout *tree_layout;
};

struct zk_batcher;

/* NULL with errno EINVAL (bad cfg) or ENOMEM. */
struct zk_batcher *zk_batcher_create(struct zk_engine *e,
				     const struct zk_batch_cfg *cfg);
void zk_batcher_destroy(struct zk_batcher *b);

/*
 * Apply one op. *cut receives a completed batch (or NULL): the batch this
 * op completed (SIZE), or the one it found timed out before applying it
 * (TIMEOUT, the op then starts the next batch). 0, or -1 (errno ENOMEM,
 * or EINVAL for an op whose seq does not increase).
 */
int zk_batcher_push(struct zk_batcher *b, const struct zk_op *op,
		    uint64_t now_ns, struct zk_batch **cut);

/*
 * Apply ops[0..n) as far as the open batch allows, with the engine's
 * prefetching burst call: same events and state as pushing them one by
 * one. *consumed receives how many were applied (>= 1 when n >= 1), *cut a
 * completed batch or NULL; call again with the rest. 0 or -1 as
 * zk_batcher_push (on -1 nothing of this call was applied).
 */
int zk_batcher_push_burst(struct zk_batcher *b, const struct zk_op *ops,
			  size_t n, uint64_t now_ns, size_t *consumed,
			  struct zk_batch **cut);

/*
 * Change the size and time limits at run time (SIGHUP). The open batch
 * keeps its ops; it is cut by the new limits at the next push or tick.
 * 0, or -1 (EINVAL for max_ops 0, ENOMEM: limits unchanged).
 */
int zk_batcher_set_limits(struct zk_batcher *b, uint32_t max_ops,
			  uint64_t timeout_ns);

/* Report a sequence gap: cuts the open batch (GAP) into *cut and marks the
 * next batch with the gap. */
int zk_batcher_gap(struct zk_batcher *b, uint64_t expected_seq,
		   uint64_t received_seq, uint64_t now_ns,
		   struct zk_batch **cut);

/* Cut the open batch if it has timed out. */
int zk_batcher_tick(struct zk_batcher *b, uint64_t now_ns,
		    struct zk_batch **cut);

/* Cut the open batch whatever its size (NULL when empty). */
int zk_batcher_flush(struct zk_batcher *b, uint64_t now_ns,
		     struct zk_batch **cut);

/* Ops applied so far and batches cut so far. */
uint64_t zk_batcher_ops(const struct zk_batcher *b);
uint64_t zk_batcher_batches(const struct zk_batcher *b);

void zk_batch_free(struct zk_batch *batch);

/*
 * Statements are per market (one book, one root each), batches are cut over
 * the whole stream: split a cut batch into one batch per market it holds,
 * in order of each market's first op. Each part keeps only its market's
 * ops, events and witness accesses (op indices renumbered within the
 * part), its own first/last seq and digests, and the parent's cut reason,
 * times and gap; batch_seq is left 0 for the caller's per-market chain.
 * Books of different markets share no slot, so each part is exactly what
 * its market's engine did. Returns the number of parts (<= max_parts) or
 * -1 (ENOMEM, or ENOSPC when the batch holds more than max_parts markets).
 */
long zk_batch_split_by_market(const struct zk_batch *batch,
			      struct zk_batch **parts, size_t max_parts);

/* Canonical 64-byte big-endian encoding of an op (docs/engine.md). */
void zk_op_encode(const struct zk_op *op, uint8_t out[ZK_OP_WIRE_SIZE]);

/* Inverse of zk_op_encode (every byte is a field: any 64 bytes decode). */
void zk_op_decode(const uint8_t in[ZK_OP_WIRE_SIZE], struct zk_op *op);

/* Digest of n ops, as in a batch's ops_digest. */
void zk_ops_digest(const struct zk_op *ops, size_t n, uint8_t out[32]);

#endif /* ZKCLOB_BATCH_H */
