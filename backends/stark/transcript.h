/* SPDX-License-Identifier: MIT */
/*
 * Fiat–Shamir transcript and proof-of-work grinding.
 *
 * Spec
 *  - A hash-chain transcript over one of the bytehash.h hashes (the
 *    parameter set's): state is a 32-byte digest; every absorb replaces it
 *    by H(tag ‖ state ‖ length ‖ data) and every challenge is derived from
 *    H(tag ‖ state ‖ counter) and then absorbed too, so the prover and the
 *    verifier that perform the same absorb/draw sequence see the same
 *    challenges, and any difference in what was absorbed (values, lengths,
 *    order) changes every later challenge. Tags separate absorbs from draws.
 *  - Field challenges are uniform: 64-bit words >= p are rejected and
 *    redrawn (not reduced), extension challenges are ZK_EXT_DEGREE (3) such elements.
 *  - Query indices: uniform in [0, 2^log_n).
 *  - Grinding: the prover searches nonce = 0, 1, ... until
 *    H(tag ‖ state ‖ nonce) has `bits` leading zero bits; the verifier
 *    checks the same single hash. Either way the nonce is then absorbed.
 *    "Leading zero bits" are the most significant bits of the digest's
 *    first 8 bytes read as a little-endian u64. The prover's expected cost
 *    is 2^bits hashes (2^32 at most), the verifier's one hash.
 *  - Raw-byte hashing per hash id (transcript.c): BLAKE2s-256, BLAKE2b with
 *    a 32-byte digest, SHA-256 (OpenSSL EVP); for the Poseidon2 ids the
 *    message bytes are packed 7 per field element (little-endian, the last
 *    chunk zero-padded) after one element holding the byte length, which
 *    makes the packing injective, and hashed with the Poseidon2 sponge.
 *    Every init binds the hash id, so the two Poseidon2 ids differ too.
 *  - A failure of the hash library (OpenSSL out of memory) is latched in
 *    `error`: from then on draws return 0, check_pow returns false and
 *    zk_transcript_status() returns -1. Verifiers check the status before
 *    accepting.
 */
#ifndef ZKCLOB_STARK_TRANSCRIPT_H
#define ZKCLOB_STARK_TRANSCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytehash.h"
#include "ext3.h"
#include "field.h"

struct zk_transcript {
	enum zk_hash_id hash;
	struct zk_digest state;
	uint64_t counter;
	int error; /* latched hash-library failure, see zk_transcript_status */
};

/* 0, or -1 for a hash id that bytehash.h does not provide. */
int zk_transcript_init(struct zk_transcript *t, enum zk_hash_id hash,
		       const char *domain_label);

void zk_transcript_absorb_bytes(struct zk_transcript *t, const void *data,
				size_t len);
void zk_transcript_absorb_u64(struct zk_transcript *t, uint64_t v);
void zk_transcript_absorb_gl(struct zk_transcript *t, const zk_gl *v, size_t n);
void zk_transcript_absorb_ext(struct zk_transcript *t, const zk_ext *v,
			      size_t n);
void zk_transcript_absorb_digest(struct zk_transcript *t,
				 const struct zk_digest *d);

/* 0 while every hash so far succeeded, -1 once one failed. */
int zk_transcript_status(const struct zk_transcript *t);

zk_gl zk_transcript_draw_gl(struct zk_transcript *t);
zk_ext zk_transcript_draw_ext(struct zk_transcript *t);
/*
 * n coefficients c, c^2, ..., c^n from ONE drawn challenge c (nothing drawn
 * when n == 0). A combination Σ c^(k+1)·x_k of terms not all zero vanishes
 * for at most n values of c, so the error is n/|F_p3| instead of the
 * 1/|F_p3| of n independent draws — at n < 2^13 still below 2^-179 — for
 * one draw instead of n (three hash compressions each).
 */
void zk_transcript_draw_powers(struct zk_transcript *t, zk_ext *out, size_t n);
/* uniform in [0, 2^log_n), log_n <= 63 */
uint64_t zk_transcript_draw_index(struct zk_transcript *t, unsigned log_n);

/* Prover: find and absorb the nonce. bits <= 32. */
uint64_t zk_transcript_grind(struct zk_transcript *t, unsigned bits);
/*
 * Prover, in pieces for several threads: the smallest nonce in
 * [first, first + count) that passes the proof of work, without absorbing
 * it; UINT64_MAX when none does, or when the hash library fails (*failed
 * is then set). Eight nonces per compression for BLAKE2s on AVX2.
 */
uint64_t zk_transcript_pow_scan(const struct zk_transcript *t, unsigned bits,
				uint64_t first, uint64_t count, int *failed);
/* Verifier: true and absorbed when nonce has `bits` leading zeros. */
bool zk_transcript_check_pow(struct zk_transcript *t, unsigned bits,
			     uint64_t nonce);

#endif /* ZKCLOB_STARK_TRANSCRIPT_H */
