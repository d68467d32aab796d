/* SPDX-License-Identifier: MIT */
/*
 * Verifier internals shared by verifier.c (one table) and
 * verifier_multi.c (several tables under one transcript): the state of
 * one table's check and the per-table checks verifier.c defines.
 *
 * Spec
 *  - zk_verifier_check_ood(): step 6's equation for one table, from
 *    v->pf.ood, v->rand, v->alphas, v->asrt, v->z (ZK_STARK_EOOD if it
 *    fails).
 *  - zk_verifier_check_openings(): the main, aux and composition rows at
 *    v->positions against their roots (ZK_STARK_EMERKLE).
 *  - zk_verifier_deep_values(): F at each of v->positions from the opened
 *    rows, the OOD values and v->gammas.
 *  Not installed; nothing outside the verifier includes it.
 */
#ifndef ZKCLOB_STARK_VERIFIER_INTERNAL_H
#define ZKCLOB_STARK_VERIFIER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "air.h"
#include "fri.h"
#include "params.h"
#include "proof.h"

struct zk_verifier {
	const struct zk_air *air;
	const struct zk_stark_params *p;
	struct zk_stark_proof pf;
	struct zk_stark_ood_layout l;
	unsigned log_n, log_domain;
	size_t n;
	zk_ext rand[ZK_AIR_MAX_AUX_RAND];
	zk_ext *alphas;
	struct zk_assertion *asrt;
	size_t n_asrt;
	zk_ext z;
	zk_ext *gammas;
	uint64_t positions[ZK_FRI_MAX_QUERIES];
	size_t n_positions;
	char *err;
	size_t errlen;
};

int zk_verifier_check_ood(struct zk_verifier *v);
int zk_verifier_check_openings(struct zk_verifier *v);
int zk_verifier_deep_values(struct zk_verifier *v, zk_ext *values);

#endif /* ZKCLOB_STARK_VERIFIER_INTERNAL_H */
