/* SPDX-License-Identifier: MIT */
/*
 * The multi-table proof (multi.h): its parsed form, canonical encoding,
 * hostile-input decoder, and the protocol steps the multi-table prover
 * and verifier both perform (docs/stark.md, "Multi-table proofs").
 *
 * Spec
 *  - Wire form, integers little-endian:
 *      "ZKSM" | u16 version (1) | u8 params id | u8 n_tables
 *      | u32 n_sums | n_sums partial sums (zk_ext, 24 bytes each: table
 *        order, then port order)
 *      | per table: u32 length | a single-table proof (proof.h, "ZKSP"
 *        version 2) of that table, `length` bytes
 *    Every table part carries the one shared grinding nonce; the decoder
 *    requires them equal, so the encoding stays unique.
 *  - Decoding bounds everything by the statement before allocating:
 *    n_tables and n_sums must be the statement's, each part's length the
 *    bytes left, each part decodes under the expected set with its AIR's
 *    shape; non-canonical sums and trailing bytes are errors.
 *  - Not installed; the prover and verifier include it.
 */
#ifndef ZKCLOB_STARK_PROOF_MULTI_H
#define ZKCLOB_STARK_PROOF_MULTI_H

#include <stddef.h>
#include <stdint.h>

#include "multi.h"
#include "proof.h"
#include "transcript.h"

#define ZK_MULTI_PROOF_MAGIC "ZKSM"
#define ZK_MULTI_PROOF_VERSION 1
#define ZK_MULTI_DOMAIN_LABEL "zkclob-stark-multi-v1"
#define ZK_MULTI_MAX_SUMS (ZK_MULTI_MAX_TABLES * ZK_MULTI_MAX_PORTS)

struct zk_multi_proof {
	uint8_t params_id;
	uint32_t n_tables;
	uint32_t n_sums;
	zk_ext sums[ZK_MULTI_MAX_SUMS];
	struct zk_stark_proof tables[ZK_MULTI_MAX_TABLES];
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

#endif /* ZKCLOB_STARK_PROOF_MULTI_H */
