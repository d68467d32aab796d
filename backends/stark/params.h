/* SPDX-License-Identifier: MIT */
/*
 * Named, fixed parameter sets of the native STARK and their security.
 *
 * Spec
 *  - A set is chosen by id; the table in params.c is the only source of
 *    parameters for the prover and the verifier. A proof carries only the id.
 *  - zk_stark_conjectured_bits(): the usual conjecture (ethSTARK §5.10.1,
 *    Winterfell): min(queries·log2(blowup) + grinding, field term), the
 *    field term bounding the DEEP/ALI and FRI-folding errors in F_p3
 *    (|F| = p^3 ≈ 2^192: the query part decides for every set).
 *  - zk_stark_proven_bits(): the proven regime (list decoding up to the
 *    Johnson bound, ethSTARK / BCIKS20 "Proximity gaps"): each query gives
 *    about log2(1/sqrt(rho)) = log_blowup/2 bits and the field terms grow
 *    with the list size; the exact formulas are in params.c. Always below
 *    the conjectured figure.
 */
#ifndef ZKCLOB_STARK_PARAMS_H
#define ZKCLOB_STARK_PARAMS_H

#include <stdint.h>

#include "bytehash.h"

enum zk_stark_params_id {
	ZK_PARAMS_FAST = 1,
	ZK_PARAMS_COMPACT = 2,
	ZK_PARAMS_THROUGHPUT = 3, /* blowup 2: degree <= 3 AIRs, most proofs/s */
};

struct zk_stark_params {
	uint8_t id;
	const char *name;
	unsigned log_blowup;    /* B = 2^log_blowup */
	unsigned log_folding;   /* FRI folds 2^log_folding points per layer */
	unsigned n_queries;
	unsigned grinding_bits;
	unsigned final_log_max; /* FRI stops at degree < 2^final_log_max */
	enum zk_hash_id hash;   /* Merkle trees and transcript */
};

/* NULL for an unknown id / name. */
const struct zk_stark_params *zk_stark_params_by_id(uint8_t id);
const struct zk_stark_params *zk_stark_params_by_name(const char *name);

/* Largest constraint degree a set supports: blowup + 1. */
unsigned zk_stark_params_max_degree(const struct zk_stark_params *p);

double zk_stark_conjectured_bits(const struct zk_stark_params *p,
				 unsigned log_n, unsigned max_degree);
double zk_stark_proven_bits(const struct zk_stark_params *p, unsigned log_n,
			    unsigned max_degree);

#endif /* ZKCLOB_STARK_PARAMS_H */
