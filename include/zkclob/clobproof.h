/* SPDX-License-Identifier: MIT */
/*
 * zkclob — proofs of the order-book transition (the CLOB AIR, prover/).
 *
 * Spec (docs/proof.md has the columns, constraints and the status table)
 *  - A proof says: applying the published ops, in order, to the book that
 *    old_root commits yields exactly the published events and the book that
 *    new_root commits. The verifier holds the statement, the ops and the
 *    events; the ops/events digests are recomputed outside the AIR, and
 *    inside it ops and events are bound by LogUp "public buses".
 *  - Only op kinds whose rules the AIR constrains are provable. The prover
 *    REFUSES (ZK_CLOB_EUNSUPPORTED, err names the op and its kind) any batch
 *    that holds another kind: it never emits a proof of unconstrained
 *    behaviour. zk_clob_supported() says which kinds are in.
 *  - The book commitment is the state tree (statetree.h) with arity 4 and
 *    power-of-two order/level counts (other shapes are refused).
 *  - statement.params_id = ZK_CLOB_PARAMS_ID(stark parameter-set id); the
 *    verifier takes the parameter set it expects, never the proof's.
 *  - zk_clob_verify returns 0 only when everything checked: statement shape,
 *    seq range, both digests, market parameters, the STARK proof (which
 *    binds old_root, new_root, the ops and the events).
 */
#ifndef ZKCLOB_CLOBPROOF_H
#define ZKCLOB_CLOBPROOF_H

#include <stddef.h>
#include <stdint.h>

#include "zkclob/batch.h"
#include "zkclob/engine.h"
#include "zkclob/event.h"
#include "zkclob/op.h"
#include "zkclob/statement.h"
#include "zkclob/statetree.h"

#define ZK_CLOB_AIR_VERSION 10
/* Largest constraint degree of the AIR: a STARK set must carry it. */
#define ZK_CLOB_AIR_MAX_DEGREE 4
/* backend 1 = native STARK | AIR version | STARK parameter-set id */
#define ZK_CLOB_PARAMS_ID(stark_id)                                            \
	((1u << 16) | ((uint32_t)ZK_CLOB_AIR_VERSION << 8) | (uint32_t)(stark_id))

enum zk_clob_status {
	ZK_CLOB_OK = 0,
	ZK_CLOB_EINVAL = -1,      /* bad arguments, unsupported tree shape */
	ZK_CLOB_ENOMEM = -2,
	ZK_CLOB_EUNSUPPORTED = -3, /* the batch holds an op kind not yet proven */
	ZK_CLOB_ETREE = -4,       /* the witness does not apply to the tree */
	ZK_CLOB_EPROVE = -5,      /* the STARK prover failed (err says why) */
	ZK_CLOB_EREJECT = -6,     /* verifier: the proof or statement is wrong */
};

struct zk_clob_prove_opts {
	const struct zk_market_params *market; /* the batch's market rules */
	uint8_t stark_params;  /* ZK_PARAMS_FAST / ZK_PARAMS_COMPACT */
	unsigned threads;      /* prover threads, 0 => 1 */
	int debug;             /* run the constraint debugger first */
};

/*
 * Why an op is (not) provable: NULL when this AIR version constrains what
 * the engine did with it, else a short name of the unsupported kind.
 * `events`/`n_events` are the events the op produced, n_accesses the slot
 * accesses it made, mp the rules of the market being proven.
 */
const char *zk_clob_unsupported(const struct zk_op *op,
				const struct zk_event *events, size_t n_events,
				size_t n_accesses,
				const struct zk_market_params *mp);

/*
 * Prove one batch (cut with cfg.witness on) of opts->market's market.
 * Applies the batch's witness to `tree` (the tree then commits the book
 * after the batch, whatever happens later in this call) and writes the
 * statement and a malloc'ed proof. Refusals (EINVAL, EUNSUPPORTED) happen
 * before the tree is touched.
 */
int zk_clob_prove(const struct zk_batch *batch, struct zk_st_tree *tree,
		  const struct zk_clob_prove_opts *opts, uint8_t **proof,
		  size_t *proof_len, struct zk_statement *st, char *err,
		  size_t errlen);

/*
 * Verify a batch proof against the published ops and events of market
 * `market` under the STARK parameter set `stark_params`. 0 (accept) or a
 * negative zk_clob_status with the reason in err.
 */
int zk_clob_verify(const struct zk_statement *st, const struct zk_op *ops,
		   size_t n_ops, const struct zk_event *events, size_t n_events,
		   const struct zk_market_params *market, uint8_t stark_params,
		   const uint8_t *proof, size_t proof_len, char *err,
		   size_t errlen);

/* ------------------------------------------------------------------ */
/* Commit, then prove: the appliance's split (prover/clob_commit.c).
 *
 * The state tree must follow the engine's book batch after batch whether or
 * not a batch can be proven (and by whichever backend), so the tree update
 * is its own step, done once per batch in batch order by one thread; the
 * proving that follows needs only the batch and its update record and may
 * run on any thread, retried or routed to another backend.
 */

/*
 * Apply the batch's witness (cut with cfg.witness on, one market: see
 * zk_batch_split_by_market) to `tree`, fill the update record *u
 * (zero-initialised or reused) and the statement, whose params_id is left
 * 0 for the backend that proves it. Sets batch->tree_update/tree_layout to
 * u and the tree's layout. The batch must hold only the tree's market.
 * ZK_CLOB_OK, or EINVAL / ETREE / ENOMEM with the tree unchanged.
 */
int zk_clob_commit(struct zk_batch *batch, struct zk_st_tree *tree,
		   struct zk_st_update *u, struct zk_statement *st, char *err,
		   size_t errlen);

/*
 * Prove a committed batch (batch->tree_update set). st->params_id must be
 * 0 or ZK_CLOB_PARAMS_ID(opts->stark_params); it is set to the latter.
 * Refuses (EUNSUPPORTED) a batch with an op kind the AIR does not
 * constrain, before any work. Writes a malloc'ed STARK proof.
 */
int zk_clob_prove_committed(const struct zk_batch *batch,
			    const struct zk_clob_prove_opts *opts,
			    struct zk_statement *st, uint8_t **proof,
			    size_t *proof_len, char *err, size_t errlen);

/* ------------------------------------------------------------------ */
/* The batch container: what a verifier needs besides the statement — the
 * published ops and events — and the STARK proof, in one byte string. It
 * is the proof a backend returns and the proof log stores, so a proof
 * verifies from (statement, container) alone.
 *
 *   "ZKBT" | version u8 (1) | 0 u8[3] | n_ops u32 | n_events u32 |
 *   ops[n_ops × 64] | events[n_events × 64] | STARK proof (the rest)
 *
 * integers big-endian, ops/events in their canonical encodings.
 */
#define ZK_CLOB_CONTAINER_HEADER 16
#define ZK_CLOB_CONTAINER_MAX_OPS (1u << 20)
#define ZK_CLOB_CONTAINER_MAX_EVENTS (1u << 22)

/* Bytes the container of n_ops, n_events and proof_len proof bytes takes. */
size_t zk_clob_container_size(size_t n_ops, size_t n_events,
			      size_t proof_len);
/* Encode into out (cap bytes). Its length, or 0 when cap is too small or a
 * count is over the limits. */
size_t zk_clob_container_encode(const struct zk_op *ops, size_t n_ops,
				const struct zk_event *events,
				size_t n_events, const uint8_t *proof,
				size_t proof_len, uint8_t *out, size_t cap);

struct zk_clob_container {
	struct zk_op *ops;        /* malloc'ed */
	size_t n_ops;
	struct zk_event *events;  /* malloc'ed */
	size_t n_events;
	const uint8_t *proof;     /* points into the decoded input */
	size_t proof_len;
};

/* Decode hostile input: magic, version, counts within the limits and the
 * length, no empty proof. 0, or -1 with a reason in err (nothing to free).
 * Release with zk_clob_container_free. */
int zk_clob_container_decode(const uint8_t *in, size_t len,
			     struct zk_clob_container *c, char *err,
			     size_t errlen);
void zk_clob_container_free(struct zk_clob_container *c);

/* zk_clob_verify over a container. 0 (accept) or a negative status. */
int zk_clob_verify_container(const struct zk_statement *st,
			     const uint8_t *container, size_t len,
			     const struct zk_market_params *market,
			     uint8_t stark_params, char *err, size_t errlen);

/* ------------------------------------------------------------------ */
/* A committed batch rebuilt from a PROVE request (zk_bp_witness_encode's
 * format) by a stateless prover (`zkclob prove --serve`). */
struct zk_clob_rebuilt {
	struct zk_batch batch;   /* ops, events, witness, digests, seqs */
	struct zk_st_update update;
	struct zk_st_layout layout;
};

/*
 * Rebuild the committed batch of statement `st` from its ops and witness
 * bytes, for the market whose rules are `market`. Hostile input: counts
 * bounded before allocation, exact length, the update record checked in
 * full (zk_st_update_verify), every access of the market's slots, in op
 * order, chained (each before = the previous after of its slot, reads
 * unchanged, first before / last after = the record's old / new value),
 * and the statement's seqs and digests must be the batch's. 0, or -1 with
 * a reason. Release with zk_clob_rebuilt_free (also after a failure).
 */
int zk_clob_witness_decode(const struct zk_statement *st,
			   const struct zk_op *ops, size_t n_ops,
			   const uint8_t *wit, size_t len,
			   const struct zk_market_params *market,
			   struct zk_clob_rebuilt *out, char *err,
			   size_t errlen);
void zk_clob_rebuilt_free(struct zk_clob_rebuilt *r);

#endif /* ZKCLOB_CLOBPROOF_H */
