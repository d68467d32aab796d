/* SPDX-License-Identifier: MIT */
/*
 * Poseidon2 over Goldilocks (p = 2^64 - 2^32 + 1): permutations of width 8
 * and 12, a sponge for hashing rows of field elements, and 2-to-1
 * compressions of 4-element digests for Merkle nodes.
 *
 * Spec
 *  - Instance: S-box x^7, R_F = 8 full rounds (4 before, 4 after the partial
 *    rounds), R_P = 22 partial rounds (S-box on lane 0 only). Round
 *    constants and internal diagonals are those of the Poseidon2 authors:
 *    github.com/HorizenLabs/poseidon2, commit
 *    055bde3f4782731ba5f5ce5888a440a94327eaf3,
 *    plain_implementations/src/poseidon2/poseidon2_instance_goldilocks.rs
 *    (RC8, RC12, MAT_DIAG8_M_1, MAT_DIAG12_M_1). See poseidon2_constants.c.
 *  - Round structure (as in that repository's poseidon2.rs):
 *      x ← M_E·x;  4 × { x ← M_E·S(x + c_r) };
 *      22 × { x_0 ← (x_0 + c_r)^7; x ← M_I·x };  4 × { x ← M_E·S(x + c_r) }.
 *  - External matrix M_E = circ(2·M4, M4, ..., M4) on t/4 blocks of 4, with
 *    M4 = [[5,7,1,3],[4,6,1,1],[1,3,5,7],[1,1,4,6]] (the paper's M4).
 *    Internal matrix M_I = J + diag(D): every lane gets the sum of all lanes
 *    plus D_i·x_i, with D the MAT_DIAG*_M_1 vector.
 *  - Known-answer tests: width 12 on [0..11] from the repository above;
 *    width 8 on [0..7] (and zeros, and one random input) from Plonky3's
 *    re-implementation of that instance (see tests/stark/test_poseidon2.c).
 *  - Sponge (width 12, rate 8 = lanes 0..7, capacity 4 = lanes 8..11),
 *    fixed-length: the number n of input elements is known before hashing
 *    and is written into lane 8 at the start, lane 9 is set to 1 (marks a
 *    sponge: the width-12 compression starts with lanes 8..11 all zero),
 *    the other lanes are zero.
 *    Input is absorbed 8 elements at a time by field addition into lanes
 *    0..7, one permutation after each chunk; a final short chunk is added
 *    as is (no padding element) and is followed by a permutation as well.
 *    n = 0 still permutes once. The digest is lanes 0..3. Two inputs of
 *    different lengths start from different states, so zero-padding cannot
 *    make them collide.
 *  - Compression (Merkle nodes), both widths: x = left ‖ right (‖ 0000 for
 *    width 12), out = (P(x) + x)[0..3] — permutation, feed-forward of the
 *    input, then truncation to 4 lanes. The feed-forward makes the map
 *    non-invertible even for someone who knows the truncated-away lanes.
 *  - All inputs must be canonical (< p); outputs are canonical.
 *  - Batches (*_x4): four independent states permuted at once, with
 *    results identical to four one-state calls. They run on the AVX2 path
 *    (one state per 64-bit lane) when the CPU has it, else on a portable
 *    path that interleaves the four states; zk_p2_x4_set_path() picks one
 *    explicitly (tests, benchmarks). Where many independent hashes are due
 *    (Merkle levels, leaf batches), these give the throughput.
 */
#ifndef ZKCLOB_STARK_POSEIDON2_H
#define ZKCLOB_STARK_POSEIDON2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "field.h"

#define ZK_P2_WIDTH8        8
#define ZK_P2_WIDTH12       12
#define ZK_P2_RATE          8
#define ZK_P2_CAPACITY      4
#define ZK_P2_DIGEST_ELEMS  4
#define ZK_P2_FULL_ROUNDS   8
#define ZK_P2_PARTIAL_ROUNDS 22
#define ZK_P2_LANES         4

/* Published constants (poseidon2_constants.c). */
extern const zk_gl zk_p2_w8_rc_ext[ZK_P2_FULL_ROUNDS][ZK_P2_WIDTH8];
extern const zk_gl zk_p2_w8_rc_int[ZK_P2_PARTIAL_ROUNDS];
extern const zk_gl zk_p2_w8_diag[ZK_P2_WIDTH8];
extern const zk_gl zk_p2_w12_rc_ext[ZK_P2_FULL_ROUNDS][ZK_P2_WIDTH12];
extern const zk_gl zk_p2_w12_rc_int[ZK_P2_PARTIAL_ROUNDS];
extern const zk_gl zk_p2_w12_diag[ZK_P2_WIDTH12];

void zk_poseidon2_w8(zk_gl state[ZK_P2_WIDTH8]);
void zk_poseidon2_w12(zk_gl state[ZK_P2_WIDTH12]);

/* Incremental form of the fixed-length sponge: exactly `total_len` elements
 * must be absorbed before finishing. */
struct zk_p2_sponge {
	zk_gl state[ZK_P2_WIDTH12];
	uint64_t total_len;
	uint64_t absorbed;
	unsigned pos; /* next rate lane to add into */
};

void zk_p2_sponge_init(struct zk_p2_sponge *sp, uint64_t total_len);
void zk_p2_sponge_absorb(struct zk_p2_sponge *sp, const zk_gl *in, size_t n);
/* Returns 0, or -1 (and no digest) when the absorbed count differs from the
 * length declared at init. */
int zk_p2_sponge_finish(struct zk_p2_sponge *sp, zk_gl out[ZK_P2_DIGEST_ELEMS]);

/* One-shot sponge hash of n elements. */
void zk_p2_hash(const zk_gl *in, size_t n, zk_gl out[ZK_P2_DIGEST_ELEMS]);

void zk_p2_compress_w8(const zk_gl left[ZK_P2_DIGEST_ELEMS],
		       const zk_gl right[ZK_P2_DIGEST_ELEMS],
		       zk_gl out[ZK_P2_DIGEST_ELEMS]);
void zk_p2_compress_w12(const zk_gl left[ZK_P2_DIGEST_ELEMS],
			const zk_gl right[ZK_P2_DIGEST_ELEMS],
			zk_gl out[ZK_P2_DIGEST_ELEMS]);

/* ---- batches of four independent states (poseidon2_x4.c) ---- */

/* states[k] is permuted exactly as zk_poseidon2_w8/w12(states[k]). */
void zk_poseidon2_w8_x4(zk_gl states[ZK_P2_LANES][ZK_P2_WIDTH8]);
void zk_poseidon2_w12_x4(zk_gl states[ZK_P2_LANES][ZK_P2_WIDTH12]);

/* out[k] = zk_p2_hash(in[k], n): four sponges over inputs of one length. */
void zk_p2_hash_x4(const zk_gl *const in[ZK_P2_LANES], size_t n,
		   zk_gl out[ZK_P2_LANES][ZK_P2_DIGEST_ELEMS]);

/* out[k] = zk_p2_compress_w8(left[k], right[k]). */
void zk_p2_compress_w8_x4(const zk_gl left[ZK_P2_LANES][ZK_P2_DIGEST_ELEMS],
			  const zk_gl right[ZK_P2_LANES][ZK_P2_DIGEST_ELEMS],
			  zk_gl out[ZK_P2_LANES][ZK_P2_DIGEST_ELEMS]);

/* The path the batches run on: ZK_GL_SIMD_AVX2 or ZK_GL_SIMD_PORTABLE. */
enum zk_gl_simd zk_p2_x4_path(void);
/* Run the batches on `kind` from now on; false (and no change) when this
 * build or CPU has no such path. Every path gives the same results. */
ZK_GL_MUST_CHECK bool zk_p2_x4_set_path(enum zk_gl_simd kind);

#endif /* ZKCLOB_STARK_POSEIDON2_H */
