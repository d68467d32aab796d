/* SPDX-License-Identifier: MIT */
/*
 * The native STARK: prove and verify an AIR (air.h) under a named parameter
 * set (params.h). docs/stark.md has the protocol.
 *
 * Spec
 *  - zk_stark_prove() takes the main trace (main_width columns of 2^log_n
 *    canonical elements, natural row order) and returns a freshly
 *    malloc'ed proof in the canonical encoding of proof.h.
 *  - zk_stark_verify() takes the parameter-set id the caller EXPECTS (its
 *    own policy), never the one written in the proof: a proof made under
 *    any other set is rejected. It returns ZK_STARK_ACCEPT only when every
 *    check passed; any other value is a rejection with a reason in err.
 *    There is no way to get "accept" from a partially checked proof.
 *  - With opts.debug set the prover first runs the constraint debugger
 *    (zk_stark_debug_check) and refuses to prove a trace that violates a
 *    constraint, naming the first failing row and constraint. With it off
 *    (the default, for speed) a bad trace yields a proof that the verifier
 *    rejects.
 *  - Thread count: opts.threads workers including the caller (0 ⇒ 1).
 *    The proof does not depend on the thread count.
 */
#ifndef ZKCLOB_STARK_STARK_H
#define ZKCLOB_STARK_STARK_H

#include <stddef.h>
#include <stdint.h>

#include "air.h"
#include "field.h"
#include "params.h"

enum zk_stark_status {
	ZK_STARK_ACCEPT = 0,
	ZK_STARK_EINVAL = -1,   /* bad arguments / AIR shape / params */
	ZK_STARK_ENOMEM = -2,
	ZK_STARK_EFORMAT = -3,  /* proof does not decode (hostile input) */
	ZK_STARK_EPARAMS = -4,  /* proof made under another parameter set / shape */
	ZK_STARK_EMERKLE = -5,  /* an opening does not match its commitment */
	ZK_STARK_EOOD = -6,     /* out-of-domain constraint check failed */
	ZK_STARK_EFRI = -7,     /* FRI rejected (not low degree) */
	ZK_STARK_EPOW = -8,     /* proof-of-work nonce invalid */
	ZK_STARK_ETRACE = -9,   /* prover: trace violates a constraint (debug) */
	ZK_STARK_EAUX = -10,    /* prover: build_aux failed */
};

const char *zk_stark_strerror(int status);

struct zk_prove_opts {
	unsigned threads;
	int debug; /* run the constraint debugger first */
	/*
	 * Keep no LDE: the main, aux and composition segments are kept as
	 * coefficients and each block of D a step needs is made again (one
	 * size-n coset transform per column) when it is needed. The same
	 * proof, a fraction of the memory, more transforms (docs/stark.md).
	 */
	int streaming;
};

int zk_stark_prove(const struct zk_air *air, const struct zk_stark_params *p,
		   const zk_gl *const *main_trace, unsigned log_n,
		   const struct zk_prove_opts *opts, uint8_t **proof,
		   size_t *proof_len, char *err, size_t errlen);

int zk_stark_verify(const struct zk_air *air, uint8_t expected_params_id,
		    const uint8_t *proof, size_t proof_len, char *err,
		    size_t errlen);

/*
 * Evaluate every constraint and assertion on the trace (aux built with
 * challenges derived deterministically from `seed`). Returns 0 when all
 * hold, else ZK_STARK_ETRACE with "row R: main constraint K" (or
 * "assertion A: column C row R", "aux constraint K", "eval_main and
 * eval_main_ext disagree at row R constraint K", the same for
 * eval_main_x4 where the AIR has one, "eval_aux and eval_aux_base
 * disagree ..." where it has that, "a constraint reads main column C
 * at the next row, which the AIR does not list" (air.h main_next /
 * aux_next), "declared degree D but constraint K has degree E") in err.
 */
int zk_stark_debug_check(const struct zk_air *air, const zk_gl *const *main_trace,
			 unsigned log_n, uint64_t seed, char *err, size_t errlen);

#endif /* ZKCLOB_STARK_STARK_H */
