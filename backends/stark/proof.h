/* SPDX-License-Identifier: MIT */
/*
 * The STARK proof format: the parsed proof, its canonical encoding and a
 * decoder for hostile input (docs/stark.md, "Proof format").
 *
 * Spec
 *  - Wire form, integers little-endian, field elements 8 bytes canonical:
 *      "ZKSP" | u16 version (5) | u8 params id | u8 log_n
 *      | u32 main_width | u32 aux_width | u32 n_chunks
 *      | u32 main_next | u32 aux_next                          (the shape)
 *      | main root | aux root (only when aux_width > 0) | composition root
 *      | OOD values, zk_ext (c0, c1, c2: 24 bytes): main T(z) [main_width],
 *        main T(zω) [main_next: the AIR's next-row columns, ascending],
 *        aux T(z) [aux_width], aux T(zω) [aux_next], Q_k(z) [n_chunks]
 *      | FRI proof (fri.h encoding)
 *      | u64 grinding nonce
 *      | u32 n_positions (distinct query positions, ascending)
 *      | main rows [n_positions × main_width] | main Merkle batch
 *      | aux rows [n_positions × 3·aux_width] | aux batch   (aux only)
 *      | composition rows [n_positions × 3·n_chunks] | composition batch
 *    An extension column is committed as ZK_EXT_DEGREE = 3 base columns
 *    (c0, c1, c2), so an aux row is (a0.c0, a0.c1, a0.c2, a1.c0, ...);
 *    likewise the chunks. Version 1 was the same layout over F_p2 (two
 *    coefficients per element): it is refused, never reinterpreted.
 *  - The shape is in the proof so that `zkclob inspect` can parse a proof
 *    without its AIR; the verifier requires it to equal the AIR's.
 *  - Decoding bounds every count before allocating: the shape by the AIR
 *    limits (air.h) and the parameter set (n_chunks <= blowup), positions
 *    by the set's query count, Merkle batches by positions × depth, and
 *    every length by the bytes actually present. Non-canonical elements,
 *    unknown ids, a wrong version, and trailing bytes are errors. Exactly
 *    one byte string encodes a given proof.
 */
#ifndef ZKCLOB_STARK_PROOF_H
#define ZKCLOB_STARK_PROOF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "air.h"
#include "bytehash.h"
#include "ext3.h"
#include "fri.h"
#include "merkle.h"
#include "params.h"
#include "transcript.h"

#define ZK_PROOF_MAGIC "ZKSP"
#define ZK_PROOF_VERSION 5 /* 4: FRI without known values; 5: T(zω) for next-row columns only */
#define ZK_PROOF_HEADER_BYTES 28 /* magic, version, id, log_n, shape */

struct zk_stark_proof_shape {
	uint32_t main_width; /* base columns */
	uint32_t aux_width;  /* extension columns */
	uint32_t n_chunks;   /* composition chunks, max(d - 1, 1) */
	uint32_t main_next;  /* main columns opened at zω (air_next.h) */
	uint32_t aux_next;   /* aux columns opened at zω */
};

struct zk_stark_proof {
	uint8_t params_id;
	uint8_t log_n;
	struct zk_stark_proof_shape shape;
	struct zk_digest main_root;
	struct zk_digest aux_root; /* unused when aux_width == 0 */
	struct zk_digest comp_root;
	zk_ext *ood;               /* zk_stark_ood_layout().total values */
	struct zk_fri_proof fri;
	uint64_t pow_nonce;
	uint32_t n_positions;
	zk_gl *main_rows;          /* n_positions × main_width */
	zk_gl *aux_rows;           /* n_positions × ZK_EXT_DEGREE·aux_width */
	zk_gl *comp_rows;          /* n_positions × ZK_EXT_DEGREE·n_chunks */
	struct zk_merkle_batch main_open;
	struct zk_merkle_batch aux_open;
	struct zk_merkle_batch comp_open;
};

/* Where each OOD group starts in proof->ood. */
struct zk_stark_ood_layout {
	size_t main_cur, main_nxt, aux_cur, aux_nxt, comp, total;
};

void zk_stark_ood_layout(const struct zk_stark_proof_shape *s,
			 struct zk_stark_ood_layout *l);

/* The FRI configuration a proof of 2^log_n rows under p uses. */
void zk_stark_fri_config(const struct zk_stark_params *p, unsigned log_n,
			 unsigned threads, struct zk_fri_config *cfg);

/* Zero everything (so free is always safe). */
void zk_stark_proof_init(struct zk_stark_proof *pf);
/* Allocate ood and the opened rows for the given shape; 0 or ZK_STARK_ENOMEM. */
int zk_stark_proof_alloc(struct zk_stark_proof *pf,
			 const struct zk_stark_proof_shape *shape,
			 uint32_t n_positions);
void zk_stark_proof_free(struct zk_stark_proof *pf);

size_t zk_stark_proof_encoded_size(const struct zk_stark_proof *pf);
/* malloc'ed canonical bytes; 0 or a negative ZK_STARK_* status. */
int zk_stark_proof_encode(const struct zk_stark_proof *pf, uint8_t **out,
			  size_t *out_len);

/*
 * Decode hostile bytes. `expect` (may be NULL) is the parameter set the
 * caller requires: another id is ZK_STARK_EPARAMS before anything else is
 * parsed. `shape` (may be NULL) is the AIR's shape: any other is
 * ZK_STARK_EPARAMS. Otherwise 0 or ZK_STARK_EFORMAT / ZK_STARK_ENOMEM, with
 * a reason in err. On error pf is left freed.
 */
int zk_stark_proof_decode(const uint8_t *buf, size_t len,
			  const struct zk_stark_params *expect,
			  const struct zk_stark_proof_shape *shape,
			  struct zk_stark_proof *pf, char *err, size_t errlen);

/* Encoded bytes per part. */
struct zk_stark_proof_sizes {
	size_t header;          /* magic, version, ids, shape, n_positions */
	size_t commitments;     /* trace and composition roots */
	size_t ood;
	size_t trace_openings;  /* main + aux rows and batches */
	size_t comp_openings;
	size_t fri_layers;      /* FRI roots, coset values, batches */
	size_t fri_final;       /* final polynomial */
	size_t nonce;
	size_t total;
};

void zk_stark_proof_sizes(const struct zk_stark_proof *pf,
			  struct zk_stark_proof_sizes *s);

/*
 * Print what a proof claims: parameter set, shape, conjectured and proven
 * security bits (grinding included) and the size by part. The proof is
 * decoded (not verified) first; 0, or the decode status after printing
 * the reason.
 */
int zk_stark_proof_describe(const uint8_t *proof, size_t len, FILE *out);
/* The "parameter set" line of both describes (single- and multi-table). */
void zk_stark_params_describe(const struct zk_stark_params *p, FILE *out);

/*
 * ---- Shared by prover.c, verifier.c and debug.c ----
 * One definition of each protocol step both sides perform, so that the
 * prover and the verifier cannot drift apart.
 */

#define ZK_STARK_DOMAIN_LABEL "zkclob-stark-v1"

/* The AIR's proof shape; n_chunks = max(max_degree - 1, 1), the
 * next-row counts zk_air_next_count()'s. */
void zk_stark_air_shape(const struct zk_air *air,
			struct zk_stark_proof_shape *shape);

/*
 * Writes the printf-style message into err (when err is non-NULL and
 * errlen > 0) and returns status: the one error helper of the prover,
 * the proof checks and the multi-table codec.
 */
int zk_stark_errf(char *err, size_t errlen, int status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* 0, or ZK_STARK_EINVAL with the reason: an AIR this set cannot prove. */
int zk_stark_air_validate(const struct zk_air *air,
			  const struct zk_stark_params *p, unsigned log_n,
			  char *err, size_t errlen);

/* Step 1: label, set id, AIR identity and shape, log_n, public input. */
int zk_stark_transcript_start(struct zk_transcript *t,
			      const struct zk_stark_params *p,
			      const struct zk_air *air, unsigned log_n);

/*
 * The assertions (air->assertions), checked: at most ZK_AIR_MAX_ASSERTIONS,
 * columns inside their segment, rows < n, canonical values. out needs
 * ZK_AIR_MAX_ASSERTIONS entries. Count, or -1 with the reason in err.
 */
long zk_stark_air_assertions(const struct zk_air *air, unsigned log_n,
			     const zk_ext *rand, struct zk_assertion *out,
			     char *err, size_t errlen);

/*
 * Step 6: z drawn until it is outside F_p, which keeps it off H and D and
 * makes every DEEP and assertion denominator non-zero.
 */
zk_ext zk_stark_draw_ood_point(struct zk_transcript *t);

/* Step 9: n_queries draws in [0, 2^log_domain), sorted, duplicates dropped. */
size_t zk_stark_draw_positions(struct zk_transcript *t,
			       const struct zk_stark_params *p,
			       unsigned log_domain, uint64_t *positions);

/* Coefficients (natural) of a periodic column's polynomial over one period. */
int zk_stark_periodic_coeffs(const struct zk_periodic_col *pc, zk_gl *coeffs);

/* Montgomery batch inversion in zk_ext; inputs must be non-zero (false if not). */
bool zk_stark_ext_batch_inv(zk_ext *out, const zk_ext *in, size_t n);

/* i with its low `bits` bits reversed (inline: the prover's inner loops). */
static inline uint64_t zk_stark_rev_bits(uint64_t x, unsigned bits)
{
	x = ((x >> 1) & 0x5555555555555555ull) | ((x & 0x5555555555555555ull) << 1);
	x = ((x >> 2) & 0x3333333333333333ull) | ((x & 0x3333333333333333ull) << 2);
	x = ((x >> 4) & 0x0F0F0F0F0F0F0F0Full) | ((x & 0x0F0F0F0F0F0F0F0Full) << 4);
	x = ((x >> 8) & 0x00FF00FF00FF00FFull) | ((x & 0x00FF00FF00FF00FFull) << 8);
	x = ((x >> 16) & 0x0000FFFF0000FFFFull) | ((x & 0x0000FFFF0000FFFFull) << 16);
	x = (x >> 32) | (x << 32);
	return bits ? x >> (64 - bits) : 0;
}

#endif /* ZKCLOB_STARK_PROOF_H */
