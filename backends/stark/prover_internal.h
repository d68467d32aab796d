/* SPDX-License-Identifier: MIT */
/*
 * Prover internals shared by prover.c (commitments, composition, the
 * protocol) and prover_deep.c (threads, OOD values, DEEP composition).
 * Not installed; nothing outside the prover includes it.
 */
#ifndef ZKCLOB_STARK_PROVER_INTERNAL_H
#define ZKCLOB_STARK_PROVER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "air.h"
#include "merkle.h"
#include "params.h"
#include "proof.h"

/* positions per batch inversion: big enough to amortise the inversion,
 * small enough to stay in cache */
#define ZK_PROVER_BLOCK 1024

typedef void (*zk_range_fn)(void *arg, size_t lo, size_t hi);

/*
 * fn over [0, n) split into `threads` ranges; a thread the system refuses
 * is run by the caller, so the result never depends on what was granted.
 */
void zk_prover_parallel_for(unsigned threads, size_t n, zk_range_fn fn,
			    void *arg);

struct zk_prover {
	const struct zk_air *air;
	const struct zk_stark_params *p;
	struct zk_stark_proof_shape shape;
	unsigned log_n, log_domain, threads;
	size_t n, big_n;

	zk_gl *main_lde;   /* main_width × N */
	zk_gl2 **aux;      /* aux_width columns of n values (trace) */
	zk_gl *aux_lde;    /* 2·aux_width × N */
	zk_gl *q;          /* 2 × N: composition evals, then coefficients */
	zk_gl *comp_lde;   /* 2·n_chunks × N */
	zk_gl *xs;         /* N points of D, bit-reversed */
	zk_gl **periodic_lde;
	unsigned *periodic_shift;

	struct zk_merkle_tree main_tree, aux_tree, comp_tree;

	zk_gl2 rand[ZK_AIR_MAX_AUX_RAND];
	zk_gl2 *alphas;
	struct zk_assertion *asrt; /* sorted by row (stable) */
	zk_gl2 *asrt_alpha;        /* each one's coefficient */
	size_t n_asrt;
	zk_gl *zinv_by_high; /* 1/Z_H(x) by the top log_blowup position bits */
	zk_gl last_row;      /* ω^(n-1) */

	zk_gl2 z;
	zk_gl2 *ood;
	zk_gl2 *gammas;
	zk_gl2 *bary;        /* ω^j / (z - ω^j), j < n */
	zk_gl2 *deep;        /* N values of F, bit-reversed */
	int failed;
};

/* Step 6: pv->ood from the trace (barycentric) and the chunk coefficients. */
int zk_prover_compute_ood(struct zk_prover *pv, const zk_gl *const *trace);
/* Step 7: pv->deep over D from the LDEs and pv->ood, pv->gammas. */
int zk_prover_deep(struct zk_prover *pv);

#endif /* ZKCLOB_STARK_PROVER_INTERNAL_H */
