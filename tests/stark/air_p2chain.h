/* SPDX-License-Identifier: MIT */
/*
 * Poseidon2 chain AIR: s_{k+1} = zk_poseidon2_w12(s_k), one permutation per
 * row.
 *
 * Spec
 *  - Statement (64 bytes): d_in and d_out, 4 canonical little-endian u64
 *    each. s_0 = (d_in, 0, ..., 0) (12 lanes) and d_out = lanes 0..3 of
 *    s_{n-1}: n - 1 = 2^log_n - 1 permutations for an n-row trace.
 *  - Layout: why one row per permutation rather than one row per round.
 *    A round-per-row layout copies the 12-lane state into every row (and
 *    pads 30 rounds to 32 rows): ~32 × 24 = 768 cells per permutation. Here
 *    a row holds only what a degree-3 constraint cannot derive: the input
 *    state, and per S-box x -> x^7 its cube t = x^3 and (except in the last
 *    round) its output y = x·t^2. Every S-box input x is then a linear
 *    form of committed cells (the M_E / M_I layers and the round constants
 *    are fixed, so they live in the constraint, not in columns or periodic
 *    columns), and every constraint has degree 3:
 *        input 12 + full rounds 1-7: 7 × 24 + partial rounds: 22 × 2
 *        + last full round: 12 (cubes only) = 236 cells per permutation.
 *    The last round's outputs are not committed: the next row's input
 *    columns are constrained to M_E(x·t^2) directly. Row n-1 holds s_{n-1}
 *    in its input columns; the rest of that row is unconstrained (air.h
 *    checks transitions on rows 0..n-2 only) and the trace builder fills
 *    it with the permutation of s_{n-1} anyway.
 *  - Constraints (236): per full round and lane t - x^3 and (rounds 1-7)
 *    y - x·t^2; per partial round the same for lane 0; then
 *    nxt.input - M_E(y_8) for the 12 lanes.
 *  - Assertions: row 0 input = (d_in, 0^8), row n-1 input lanes 0..3 = d_out.
 *  - struct zk_air_p2chain points ctx and pub at itself: do not move it.
 */
#ifndef ZKCLOB_TESTS_AIR_P2CHAIN_H
#define ZKCLOB_TESTS_AIR_P2CHAIN_H

#include <stddef.h>
#include <stdint.h>

#include "air.h"
#include "field.h"
#include "poseidon2.h"

#define ZK_P2CHAIN_HALF_FULL (ZK_P2_FULL_ROUNDS / 2)
/* column of lane 0 of full round r's cubes (r = 0..7) and outputs (r < 7) */
#define ZK_P2CHAIN_COL_IN 0
#define ZK_P2CHAIN_COL_PARTIAL (ZK_P2_WIDTH12 + ZK_P2CHAIN_HALF_FULL * 24)
#define ZK_P2CHAIN_COL_FT(r)                                                   \
	((r) < ZK_P2CHAIN_HALF_FULL ?                                          \
		 ZK_P2_WIDTH12 + (r) * 24 :                                    \
		 ZK_P2CHAIN_COL_PARTIAL + 2 * ZK_P2_PARTIAL_ROUNDS +           \
			 ((r) - ZK_P2CHAIN_HALF_FULL) * 24)
#define ZK_P2CHAIN_COL_FY(r) (ZK_P2CHAIN_COL_FT(r) + ZK_P2_WIDTH12)
#define ZK_P2CHAIN_COL_PT(p) (ZK_P2CHAIN_COL_PARTIAL + 2 * (p))
#define ZK_P2CHAIN_COL_PY(p) (ZK_P2CHAIN_COL_PT(p) + 1)
#define ZK_P2CHAIN_WIDTH (ZK_P2CHAIN_COL_FT(ZK_P2_FULL_ROUNDS - 1) + ZK_P2_WIDTH12)
#define ZK_P2CHAIN_CONSTRAINTS ZK_P2CHAIN_WIDTH
#define ZK_P2CHAIN_PUB_LEN 64

struct zk_air_p2chain {
	zk_gl d_in[ZK_P2_DIGEST_ELEMS];
	zk_gl d_out[ZK_P2_DIGEST_ELEMS];
	uint8_t pub[ZK_P2CHAIN_PUB_LEN];
	struct zk_air air;
};

void zk_air_p2chain_init(struct zk_air_p2chain *c,
			 const zk_gl d_in[ZK_P2_DIGEST_ELEMS],
			 const zk_gl d_out[ZK_P2_DIGEST_ELEMS]);

/* 0, or -1 for a wrong length or a non-canonical element. */
int zk_air_p2chain_from_pub(struct zk_air_p2chain *c, const uint8_t *pub,
			    size_t len);

/*
 * Fill cols[ZK_P2CHAIN_WIDTH] (2^log_n each) with the chain from d_in and
 * write d_out. Rows are independent once their input is known, so
 * `threads` workers (caller included; 0 ⇒ 1) fill them after one serial
 * pass over the chain. 0, or -1 when a thread cannot be started (the
 * trace is then complete anyway: the caller does the work).
 */
int zk_air_p2chain_trace(const zk_gl d_in[ZK_P2_DIGEST_ELEMS], unsigned log_n,
			 zk_gl *const *cols, unsigned threads,
			 zk_gl d_out[ZK_P2_DIGEST_ELEMS]);

/*
 * The constraints four rows at once in AVX2 (air_p2chain_x4.c), what
 * zk_air_p2chain_init sets as eval_main_x4; NULL where the CPU has no AVX2
 * (the prover then evaluates row by row).
 */
zk_air_eval_x4_fn zk_air_p2chain_eval_x4(void);

/* Number of permutations an n-row trace proves. */
static inline uint64_t zk_air_p2chain_perms(unsigned log_n)
{
	return ((uint64_t)1 << log_n) - 1;
}

#endif /* ZKCLOB_TESTS_AIR_P2CHAIN_H */
