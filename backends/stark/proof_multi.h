/* SPDX-License-Identifier: MIT */
/*
 * The multi-table proof (multi.h): its parsed form, canonical encoding,
 * hostile-input decoder, and the protocol steps the multi-table prover
 * and verifier both perform (docs/stark.md, "Multi-table proofs").
 *
 * Spec
 *  - Wire form, integers little-endian (version 5, T(zω) only for the
 *    columns each AIR reads at the next row; earlier versions refused):
 *      "ZKSM" | u16 version (5) | u8 params id | u8 n_tables
 *      | u32 n_sums | n_sums partial sums (zk_ext, 24 bytes each: table
 *        order, then port order)
 *      | per table: u8 log_n | u32 main_width | u32 aux_width
 *        | u32 n_chunks | main root | aux root (aux_width > 0) | comp root
 *        | OOD values (proof.h order; the next-row counts are the
 *          AIR's, not sent) | u32 n_positions
 *        | main rows | batch | aux rows | batch (aux only)
 *        | composition rows | batch         (proof.h's row layout)
 *      | u64 grinding nonce
 *      | FRI proof (fri.h encoding) on zk_multi_fri_schedule()
 *  - Decoding bounds everything before allocating: n_tables and n_sums
 *    must be the statement's, each table's shape its AIR's, its log_n in
 *    range, its positions <= the set's query count, its Merkle batches by
 *    positions × depth, the FRI proof by the schedule its heights give;
 *    every length by the bytes left. Non-canonical elements and trailing
 *    bytes are errors: one encoding per proof.
 *  - Not installed; the prover and verifier include it.
 */
#ifndef ZKCLOB_STARK_PROOF_MULTI_H
#define ZKCLOB_STARK_PROOF_MULTI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fri.h"
#include "multi.h"
#include "proof.h"
#include "transcript.h"

#define ZK_MULTI_PROOF_MAGIC "ZKSM"
#define ZK_MULTI_PROOF_VERSION 5 /* 4: FRI format 4; 5: T(zω) for next-row columns only */
#define ZK_MULTI_DOMAIN_LABEL "zkclob-stark-multi-v1"
#define ZK_MULTI_MAX_SUMS (ZK_MULTI_MAX_TABLES * ZK_MULTI_MAX_PORTS)

struct zk_multi_proof {
	uint8_t params_id;
	uint32_t n_tables;
	uint32_t n_sums;
	zk_ext sums[ZK_MULTI_MAX_SUMS];
	/* per table: roots, OOD values, openings (fri and nonce unused) */
	struct zk_stark_proof tables[ZK_MULTI_MAX_TABLES];
	uint64_t pow_nonce;
	struct zk_fri_proof fri;
};

void zk_multi_proof_init(struct zk_multi_proof *mp);
void zk_multi_proof_free(struct zk_multi_proof *mp);
/* malloc'ed canonical bytes; 0 or a negative ZK_STARK_* status. */
int zk_multi_proof_encode(const struct zk_multi_proof *mp, uint8_t **out,
			  size_t *out_len);
/* Hostile bytes against the statement s (checked by the caller) and the
 * set the caller expects; mp is left freed on error. */
int zk_multi_proof_decode(const uint8_t *buf, size_t len,
			  const struct zk_stark_params *expect,
			  const struct zk_multi_statement *s,
			  struct zk_multi_proof *mp, char *err, size_t errlen);

/*
 * `zkclob inspect` for a multi-table proof: the header, the set and the
 * first table's height and shape, to out; 0, or a ZK_STARK_* status
 * with the reason printed. Nothing is verified.
 */
int zk_multi_proof_describe(const uint8_t *buf, size_t len, FILE *out);

/* Ports over all tables: the number of partial sums. */
size_t zk_multi_port_count(const struct zk_multi_statement *s);
/* Most aux challenges any table asks for: how many are drawn. */
uint32_t zk_multi_aux_rand(const struct zk_multi_statement *s);

/*
 * Step 1: label, set id, the bus sums, and per table its identity, shape,
 * height, public input and ports. log_n[i] is table i's height.
 */
int zk_multi_transcript_start(struct zk_transcript *t,
			      const struct zk_stark_params *p,
			      const struct zk_multi_statement *s,
			      const unsigned *log_n);

/*
 * Table i's assertions: its AIR's (zk_stark_air_assertions) and then one
 * per port, aux column at row n-1 = its partial sum (sums: this table's,
 * port order). out needs ZK_AIR_MAX_ASSERTIONS + ZK_MULTI_MAX_PORTS
 * entries. Count, or -1 with the reason in err.
 */
long zk_multi_assertions(const struct zk_table *tb, unsigned log_n,
			 const zk_ext *rand, const zk_ext *sums,
			 struct zk_assertion *out, char *err, size_t errlen);

/*
 * A table's query positions from the positions drawn over the tallest
 * table's domain (2^top_log_domain): each shifted right by the difference
 * of the log domains, duplicates dropped. Count.
 */
size_t zk_multi_table_positions(const uint64_t *top, size_t count,
				unsigned top_log_domain, unsigned log_domain,
				uint64_t *out);

/*
 * ---- One FRI over mixed heights (fri_multi.c) ----
 * The schedule: the tallest table's FRI config (final degree bound
 * lowered to the shortest table's height if below it), each fold cut
 * short where a table's height must be a layer: every table's domain
 * size is a layer's (or the final domain's).
 */
int zk_multi_fri_schedule(const struct zk_stark_params *p,
			  const unsigned *log_n, uint32_t k,
			  struct zk_fri_config *cfg, struct zk_fri_schedule *s);
/*
 * Commit phase: absorb cfg, draw γ_0..γ_(k-1); layer 0 = Σ γ_i·F_i over
 * the tallest tables; before layer l (or the final polynomial) add
 * γ_i·F_i of every table whose domain (2^log_domain[i]) is that size.
 * deep[i] (2^log_domain[i] values, bit-reversed) are taken and freed.
 */
int zk_multi_fri_commit(struct zk_fri_prover **out,
			const struct zk_fri_config *cfg,
			const struct zk_fri_schedule *s,
			struct zk_transcript *t, zk_ext **deep,
			const unsigned *log_domain, uint32_t k);
/* Verifier side of the commit phase: the β's into v, the γ's into gammas. */
int zk_multi_fri_verify_commit(struct zk_fri_verifier *v, zk_ext *gammas,
			       const struct zk_fri_config *cfg,
			       const struct zk_fri_schedule *s,
			       struct zk_transcript *t,
			       const struct zk_fri_proof *proof, uint32_t k);
/* A table's DEEP values at its own (sorted, distinct) query positions. */
struct zk_multi_fri_values {
	unsigned log_domain;
	const uint64_t *positions;
	size_t count;
	const zk_ext *values;
};
/* Query phase at the positions drawn over the tallest domain (top). */
int zk_multi_fri_verify_queries(const struct zk_fri_verifier *v,
				const zk_ext *gammas,
				const struct zk_fri_schedule *s,
				const struct zk_fri_proof *proof,
				const uint64_t *top, size_t n,
				const struct zk_multi_fri_values *tv,
				uint32_t k);

#endif /* ZKCLOB_STARK_PROOF_MULTI_H */
