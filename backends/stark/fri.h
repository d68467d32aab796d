/* SPDX-License-Identifier: MIT */
/*
 * FRI low-degree test over the extension field zk_ext (ext3.h).
 *
 * Spec (docs/stark.md, steps 8–10)
 *  - Input: evaluations of F (degree < 2^log_degree) on the LDE coset
 *    D = shift·<ω_N>, N = 2^log_domain, in BIT-REVERSED order (ntt.h), so
 *    the 2^log_folding points folded together are consecutive positions.
 *  - Commit phase: layer 0 is the input. While the degree bound is above
 *    2^final_log_max: commit the layer (leaf j = its 2^log_folding values of
 *    coset j, as 2·2^log_folding base elements), absorb the root, draw
 *    β ∈ zk_ext, fold (degree and domain shrink by at most 2^log_folding:
 *    the folds down to the bound are balanced, zk_fri_next_fold, the rule
 *    stated in fri.c). Then send the final polynomial's coefficients
 *    (2^final_log_max of them at most) in the clear, absorbed.
 *  - Query phase: the CALLER grinds and draws the query positions (they
 *    also open the trace trees) in [0, N); zk_fri_prove_queries() opens
 *    every layer at the folded positions (batched Merkle openings).
 *  - Verify: given the layer-0 values at the query positions (computed by
 *    the caller from its own openings), check every layer's opening against
 *    its root, the fold consistency layer to layer, and the last fold
 *    against the final polynomial evaluated at the query's point.
 *  - Layer l's Merkle tree has 2^(log_size - log_folding) leaves; leaf j
 *    is (v_0.c0, v_0.c1, v_0.c2, v_1.c0, ...) over coset j's values in position
 *    order. Before layer 0 the config (log_domain, log_degree,
 *    log_folding, final_log_max, shift) is absorbed, so a proof is bound
 *    to the config it was made under.
 *  - Query positions are checked (< N, 1..ZK_FRI_MAX_QUERIES of them);
 *    duplicates are allowed and cost nothing extra. Every point is
 *    computed by the verifier from the position.
 *  - An opened coset is sent without the value at the slot of its first
 *    query (first in the caller's position order): the verifier has that
 *    value (layer 0: the caller's values0; later: its own fold) and puts
 *    it back before the Merkle check, which binds it to the root like the
 *    others (proof format 4; format 3 sent whole cosets).
 *  - All proof parts are plain data owned by struct zk_fri_proof;
 *    zk_fri_proof_encode/decode give the canonical bytes (the decoder
 *    treats input as hostile: counts bounded by the params before any
 *    allocation, canonical field elements, exact length).
 */
#ifndef ZKCLOB_STARK_FRI_H
#define ZKCLOB_STARK_FRI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ext3.h"
#include "field.h"
#include "merkle.h"
#include "transcript.h"

#define ZK_FRI_MAX_LAYERS 32
#define ZK_FRI_MAX_QUERIES 256
#define ZK_FRI_MAX_LOG_FOLDING 4
#define ZK_FRI_MAX_LOG_DOMAIN 30 /* above every LDE domain a proof may have (2^25) */
#define ZK_FRI_MAX_FINAL_LOG 10

struct zk_fri_config {
	unsigned log_domain;    /* N = 2^log_domain */
	unsigned log_degree;    /* F has degree < 2^log_degree */
	unsigned log_folding;   /* 1..4 */
	unsigned final_log_max; /* stop once the degree bound <= 2^final_log_max */
	zk_gl shift;            /* coset shift of layer 0 */
	enum zk_hash_id hash;
	unsigned threads;
};

struct zk_fri_layer_proof {
	unsigned log_folding;          /* this layer's folding factor (log) */
	struct zk_digest root;
	/* per distinct folded position (sorted ascending), the coset's values
	 * but one: the slot the coset's first query (in position order)
	 * lands on, which the verifier knows (zk_fri_layer_sent_values) */
	uint32_t n_cosets;
	zk_ext *coset_values;          /* n_cosets × (2^log_folding - 1) */
	struct zk_merkle_batch opening;
};

struct zk_fri_proof {
	uint32_t n_layers;
	struct zk_fri_layer_proof layers[ZK_FRI_MAX_LAYERS];
	uint32_t final_len;
	zk_ext *final_coeffs;          /* final polynomial, natural order */
};

/*
 * The layer schedule a config implies (fri.c states the rule). Prover,
 * verifier and decoder all derive it from the config, never from a proof.
 * log_size/shift have n_layers + 1 entries, the last being the domain of
 * the final polynomial's check.
 */
struct zk_fri_schedule {
	unsigned n_layers;
	unsigned log_folding[ZK_FRI_MAX_LAYERS];
	unsigned log_size[ZK_FRI_MAX_LAYERS + 1];
	zk_gl shift[ZK_FRI_MAX_LAYERS + 1];
	unsigned final_log_degree; /* final polynomial: 2^this coefficients */
};

/*
 * The next layer's fold (log2) at degree bound 2^log_degree: the
 * log_degree - final_log_max halvings left spread over the fewest layers
 * of at most 2^log_folding, larger folds first, and the first of three
 * layers or more (first: layer 0's fold) by 2^log_folding; 0 once at the
 * bound. params.c's proven-bits loop and the schedule below share it.
 */
unsigned zk_fri_next_fold(unsigned log_degree, unsigned final_log_max,
			  unsigned log_folding, bool first);

/* 0, or ZK_STARK_EINVAL for a config out of range: log_folding 1..4,
 * log_degree < log_domain <= 30, final_log_max <= 10, shift != 0 and
 * canonical, a hash id bytehash.h provides, last layer <= 2^24 points. */
int zk_fri_schedule_make(const struct zk_fri_config *cfg,
			 struct zk_fri_schedule *s);
/* The same schedule with each fold cut short where it would pass one of
 * land[0..n_land) (degrees, log2): every one of them is then a layer's
 * degree or the final one (fri_multi.c's mixed heights). */
int zk_fri_schedule_landing(const struct zk_fri_config *cfg,
			    const unsigned *land, uint32_t n_land,
			    struct zk_fri_schedule *s);

/* Prover state between the commit and query phases. */
struct zk_fri_prover;

/* Commit phase. `evals` (N values, bit-reversed) is read, not kept.
 * 0 or a negative ZK_STARK_* status. */
int zk_fri_commit(struct zk_fri_prover **out, const struct zk_fri_config *cfg,
		  struct zk_transcript *t, const zk_ext *evals);

/*
 * The same commit phase, taking *evals (malloc'd, N values) as the first
 * layer instead of copying it: *evals is NULL afterwards, whatever the
 * result. Same proof as zk_fri_commit, one N-value copy less in memory.
 */
int zk_fri_commit_take(struct zk_fri_prover **out,
		       const struct zk_fri_config *cfg,
		       struct zk_transcript *t, zk_ext **evals);
/*
 * The same commit phase with layer 0 given by blocks: fill(ctx, h, out)
 * writes its positions [h·2^log_block, (h+1)·2^log_block) into out and
 * returns 0 (else a negative ZK_STARK_* status, which the commit
 * returns). Layer 0 is never held whole: its tree is built block by
 * block, its fold made from the blocks remade after β_0 is drawn, and the
 * queried cosets from the blocks holding them, remade by
 * zk_fri_prove_queries (fill and ctx must stay valid until then). Same
 * proof as zk_fri_commit on the same values; fill is called 2·N/2^log_block
 * times during the commit and at most N/2^log_block more for the queries.
 */
typedef int (*zk_fri_block_fn)(void *ctx, size_t h, zk_ext *out);
int zk_fri_commit_blocks(struct zk_fri_prover **out,
			 const struct zk_fri_config *cfg,
			 struct zk_transcript *t, unsigned log_block,
			 zk_fri_block_fn fill, void *ctx);
/*
 * Optional, block mode: fn(ctx, h, first, log_len, out) writes positions
 * [first, first + 2^log_len) of block h alone (log_len the first
 * layer's folding); the queries use it for a block holding at most
 * max_cosets queried cosets instead of remaking the block.
 */
typedef int (*zk_fri_coset_fn)(void *ctx, size_t h, size_t first,
			       unsigned log_len, zk_ext *out);
void zk_fri_prover_set_coset_fn(struct zk_fri_prover *fp, zk_fri_coset_fn fn,
				size_t max_cosets);
/* Query phase: fills proof (layers + final polynomial). */
int zk_fri_prove_queries(struct zk_fri_prover *fp, const uint64_t *positions,
			 size_t n_positions, struct zk_fri_proof *proof);
void zk_fri_prover_free(struct zk_fri_prover *fp);

/*
 * Verifier, in two steps because the caller draws the query positions
 * between them: replay the commit phase on the transcript (absorb the
 * roots, draw the β's, absorb the final polynomial; check shapes), then
 * check the queries. values0[k] is F at positions[k]. 0 accept, else a
 * negative ZK_STARK_* status.
 */
struct zk_fri_verifier {
	struct zk_fri_config cfg;
	zk_ext betas[ZK_FRI_MAX_LAYERS];
};
int zk_fri_verify_commit(struct zk_fri_verifier *v,
			 const struct zk_fri_config *cfg,
			 struct zk_transcript *t,
			 const struct zk_fri_proof *proof);
int zk_fri_verify_queries(const struct zk_fri_verifier *v,
			  const struct zk_fri_proof *proof,
			  const uint64_t *positions, const zk_ext *values0,
			  size_t n_positions);

void zk_fri_proof_free(struct zk_fri_proof *proof);

/* Coset values a layer's encoding carries (lp->coset_values' length). */
size_t zk_fri_layer_sent_values(const struct zk_fri_layer_proof *lp);

/* Canonical encoding; decode bounds every count by cfg before allocating. */
size_t zk_fri_proof_encoded_size(const struct zk_fri_proof *proof);
int zk_fri_proof_encode(const struct zk_fri_proof *proof, uint8_t *buf,
			size_t cap, size_t *written);
int zk_fri_proof_decode(const struct zk_fri_config *cfg, size_t n_queries,
			const uint8_t *buf, size_t len, size_t *consumed,
			struct zk_fri_proof *proof);

#endif /* ZKCLOB_STARK_FRI_H */
