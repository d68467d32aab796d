/* SPDX-License-Identifier: MIT */
/*
 * The zkVM guest input of a committed batch (guest input v2, byte by byte
 * in docs/zkvm.md; decoded by backends/zkvm/guest-core/src/witness.rs):
 * the statement, the market's parameters, the ops, each touched slot's
 * value under old_root and the sibling digests of their paths — what a
 * PROVE request carries (docs/backend-protocol.md), reduced to what the
 * guest reads. The guest trusts none of it: it checks the values against
 * old_root, re-executes the ops over exactly those slots and recomputes
 * new_root.
 *
 * Spec
 *  - The batch must be committed (zk_clob_commit: tree_update and
 *    tree_layout set) and hold only the statement's market; otherwise
 *    size 0 and encode 0.
 *  - Leaves come from the update record in position order, siblings are
 *    its untouched entries (level, then index ascending).
 *  - Ops are zk_op_encode's 64 bytes with the op's reserved bytes at
 *    61..63 (zero for every op the engine accepts as well-formed; see
 *    docs/zkvm.md "Known gap" for why they are carried).
 */
#ifndef ZKCLOB_ZKVM_INPUT_H
#define ZKCLOB_ZKVM_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "zkclob/batch.h"
#include "zkclob/engine.h"
#include "zkclob/statement.h"

#define ZK_ZKVM_INPUT_VERSION 2
#define ZK_ZKVM_INPUT_HEAD (8 + ZK_STATEMENT_WIRE_SIZE + 56 + 16)
#define ZK_ZKVM_INPUT_LEAF 72
#define ZK_ZKVM_INPUT_SIBLING 48

/* Bytes of the guest input of `b`; 0 when it has none (see spec). */
size_t zk_zkvm_input_size(const struct zk_batch *b);

/*
 * Writes the guest input of committed batch `b`, whose statement is `st`
 * (params_id as the prover will commit it), under market parameters `p`.
 * Bytes written, or 0 when `b` is not committed, holds another market than
 * st->market / p->market, or `cap` is too small.
 */
size_t zk_zkvm_input_encode(const struct zk_statement *st,
			    const struct zk_market_params *p,
			    const struct zk_batch *b, uint8_t *out, size_t cap);

#endif /* ZKCLOB_ZKVM_INPUT_H */
