/* SPDX-License-Identifier: MIT */
/*
 * zkclob — the public statement of one proven batch (DESIGN.md §4).
 *
 * Spec
 *  - One statement per batch: which market, which batch, which operations
 *    (first/last MoldUDP64 sequence numbers, inclusive), the book commitment
 *    before and after, the digests of the operations and of the events, and
 *    the parameter id that names backend, AIR version and security profile.
 *  - The canonical encoding is ZK_STATEMENT_WIRE_SIZE bytes, integers
 *    big-endian (like the event encoding), fields in this order:
 *      market u32 | params_id u32 | batch_seq u64 | first_seq u64 |
 *      last_seq u64 | old_root[32] | ops_digest[32] | events_digest[32] |
 *      new_root[32]
 *    It is what a proof binds and what the proof log stores, so two equal
 *    statements always have byte-identical encodings.
 *  - A well-formed statement has first_seq <= last_seq (a batch holds at
 *    least one operation).
 */
#ifndef ZKCLOB_STATEMENT_H
#define ZKCLOB_STATEMENT_H

#include <stdbool.h>
#include <stdint.h>

#define ZK_STATEMENT_WIRE_SIZE 160
#define ZK_ROOT_SIZE 32

struct zk_statement {
	uint32_t market;
	uint32_t params_id;
	uint64_t batch_seq;
	uint64_t first_seq; /* first operation in the batch */
	uint64_t last_seq;  /* last operation in the batch, inclusive */
	uint8_t old_root[ZK_ROOT_SIZE];
	uint8_t ops_digest[ZK_ROOT_SIZE];
	uint8_t events_digest[ZK_ROOT_SIZE];
	uint8_t new_root[ZK_ROOT_SIZE];
};

void zk_statement_encode(const struct zk_statement *st,
			 uint8_t out[ZK_STATEMENT_WIRE_SIZE]);
void zk_statement_decode(const uint8_t in[ZK_STATEMENT_WIRE_SIZE],
			 struct zk_statement *st);

/* first_seq <= last_seq */
bool zk_statement_is_well_formed(const struct zk_statement *st);

#endif /* ZKCLOB_STATEMENT_H */
