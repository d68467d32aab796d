/* SPDX-License-Identifier: MIT */
/*
 * The committed-batch witness a PROVE request carries (protocol version 2,
 * docs/backend-protocol.md): everything a prover without the book needs to
 * prove a batch committed with zk_clob_commit. Decoded and checked by
 * zk_clob_witness_decode (prover/clob_witness.c).
 *
 * FORMAT (version 1; integers big-endian)
 *
 *   header (96 bytes)
 *     0  magic "ZKWT"                 4
 *     4  version (1)                  u8, then 3 zero bytes
 *     8  n_events                     u32
 *    12  n_accesses                   u32
 *    16  n_leaves                     u32
 *    20  n_nodes                      u32
 *    24  market                       u32
 *    28  arity                        u32
 *    32  old_root                     32 bytes (statement encoding)
 *    64  new_root                     32 bytes
 *   then
 *   events    n_events × 64           zk_event_encode
 *   accesses  n_accesses × 148        op u64 | market u32 | slot u32 |
 *                                     kind u8 | write u8 | 0 u16 |
 *                                     before[64] | after[64]
 *   leaves    n_leaves × 152          index u64 | slot u32 | kind u32 |
 *                                     node u32 | written u32 |
 *                                     before[64] | after[64]
 *   nodes     n_nodes × 96            index u64 | level u32 | touched u32 |
 *                                     child[4] u32 |
 *                                     old_hash[4] u64 | new_hash[4] u64
 *
 * Slot values (before/after) are the engine's 64-byte slot images
 * (union zk_slot_value: x86-64 in-memory layout, little-endian fields,
 * bytes past the slot's size zero), exactly what the engine's witness
 * recorded; the state tree encodes them canonically itself. Hash elements
 * are canonical Goldilocks elements.
 */
#include <string.h>

#include "zkclob/backend.h"
#include "zkclob/batch.h"
#include "zkclob/be.h"
#include "zkclob/event.h"
#include "zkclob/statetree.h"


size_t zk_bp_witness_size(const struct zk_batch *b)
{
	const struct zk_st_update *u;

	if (b == NULL || b->tree_update == NULL || b->tree_layout == NULL)
		return 0;
	u = b->tree_update;
	return ZK_BP_WITNESS_HEAD + b->events.len * ZK_EVENT_WIRE_SIZE +
	       b->witness.len * ZK_BP_WITNESS_ACCESS +
	       u->n_leaves * ZK_BP_WITNESS_LEAF + u->n_nodes * ZK_BP_WITNESS_NODE;
}

size_t zk_bp_witness_encode(const struct zk_batch *b, uint8_t *out,
			    size_t cap)
{
	size_t n = zk_bp_witness_size(b);
	const struct zk_st_update *u;
	uint8_t *p = out;

	if (n == 0 || n > cap || out == NULL ||
	    b->events.len > UINT32_MAX || b->witness.len > UINT32_MAX)
		return 0;
	u = b->tree_update;
	memcpy(p, "ZKWT", 4);
	p[4] = 1;
	memset(p + 5, 0, 3);
	zk_put_be32(p + 8, (uint32_t)b->events.len);
	zk_put_be32(p + 12, (uint32_t)b->witness.len);
	zk_put_be32(p + 16, (uint32_t)u->n_leaves);
	zk_put_be32(p + 20, (uint32_t)u->n_nodes);
	zk_put_be32(p + 24, b->tree_layout->market);
	zk_put_be32(p + 28, b->tree_layout->arity);
	memcpy(p + 32, u->old_root, 32);
	memcpy(p + 64, u->new_root, 32);
	p += ZK_BP_WITNESS_HEAD;
	for (size_t i = 0; i < b->events.len; i++, p += ZK_EVENT_WIRE_SIZE)
		zk_event_encode(&b->events.ev[i], p);
	for (size_t i = 0; i < b->witness.len; i++, p += ZK_BP_WITNESS_ACCESS) {
		const struct zk_witness_access *a = &b->witness.acc[i];

		zk_put_be64(p, a->op);
		zk_put_be32(p + 8, a->market);
		zk_put_be32(p + 12, a->slot);
		p[16] = a->kind;
		p[17] = a->write;
		p[18] = p[19] = 0;
		memcpy(p + 20, a->before.raw, 64);
		memcpy(p + 84, a->after.raw, 64);
	}
	for (size_t i = 0; i < u->n_leaves; i++, p += ZK_BP_WITNESS_LEAF) {
		const struct zk_st_leaf_rec *l = &u->leaves[i];

		zk_put_be64(p, l->index);
		zk_put_be32(p + 8, l->slot);
		zk_put_be32(p + 12, l->kind);
		zk_put_be32(p + 16, l->node);
		zk_put_be32(p + 20, l->written);
		memcpy(p + 24, l->before.raw, 64);
		memcpy(p + 88, l->after.raw, 64);
	}
	for (size_t i = 0; i < u->n_nodes; i++, p += ZK_BP_WITNESS_NODE) {
		const struct zk_st_node_rec *nd = &u->nodes[i];

		zk_put_be64(p, nd->index);
		zk_put_be32(p + 8, nd->level);
		zk_put_be32(p + 12, nd->touched);
		for (int j = 0; j < 4; j++)
			zk_put_be32(p + 16 + 4 * j, nd->child[j]);
		for (int j = 0; j < 4; j++) {
			zk_put_be64(p + 32 + 8 * j, nd->old_hash[j]);
			zk_put_be64(p + 64 + 8 * j, nd->new_hash[j]);
		}
	}
	return n;
}
