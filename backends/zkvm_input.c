/* SPDX-License-Identifier: MIT */
/*
 * Guest input v2 for the SP1 / ZisK guests (zkvm_input.h, docs/zkvm.md).
 * Only the update record's untouched entries become siblings: the guest
 * recomputes every touched node, both before and after the batch, from the
 * leaves, so sending their hashes would only be bytes it must not trust.
 */
#include <string.h>

#include "zkclob/be.h"
#include "zkclob/statetree.h"
#include "zkvm_input.h"

static size_t
count_siblings(const struct zk_st_update *u)
{
	size_t n = 0;

	for (size_t i = 0; i < u->n_nodes; i++)
		n += u->nodes[i].touched == 0;
	return n;
}

static int
batch_of_market(const struct zk_batch *b, uint32_t market)
{
	if (b == NULL || b->tree_update == NULL || b->tree_layout == NULL ||
	    b->tree_layout->market != market || b->n_ops == 0 ||
	    b->n_ops > UINT32_MAX || b->tree_update->n_leaves > UINT32_MAX)
		return 0;
	return 1;
}

size_t zk_zkvm_input_size(const struct zk_batch *b)
{
	if (b == NULL || b->tree_layout == NULL ||
	    !batch_of_market(b, b->tree_layout->market))
		return 0;
	return ZK_ZKVM_INPUT_HEAD + b->n_ops * ZK_OP_WIRE_SIZE +
	       b->tree_update->n_leaves * ZK_ZKVM_INPUT_LEAF +
	       count_siblings(b->tree_update) * ZK_ZKVM_INPUT_SIBLING;
}

static uint8_t *
put_market(uint8_t *q, const struct zk_market_params *p)
{
	zk_put_be32(q, p->market);
	zk_put_be32(q + 4, (uint32_t)p->stp);
	zk_put_be32(q + 8, p->max_orders);
	zk_put_be32(q + 12, p->max_levels);
	zk_put_be64(q + 16, (uint64_t)p->tick);
	zk_put_be64(q + 24, p->lot);
	zk_put_be64(q + 32, (uint64_t)p->min_price);
	zk_put_be64(q + 40, (uint64_t)p->max_price);
	zk_put_be64(q + 48, p->max_qty);
	return q + 56;
}

size_t zk_zkvm_input_encode(const struct zk_statement *st,
			    const struct zk_market_params *p,
			    const struct zk_batch *b, uint8_t *out, size_t cap)
{
	const struct zk_st_update *u;
	size_t n, n_sib;
	uint8_t *q = out;

	if (st == NULL || p == NULL || out == NULL ||
	    st->market != p->market || !batch_of_market(b, p->market))
		return 0;
	n = zk_zkvm_input_size(b);
	if (n == 0 || n > cap)
		return 0;
	u = b->tree_update;
	n_sib = count_siblings(u);
	memcpy(q, "ZKGI", 4);
	q[4] = ZK_ZKVM_INPUT_VERSION;
	memset(q + 5, 0, 3);
	zk_statement_encode(st, q + 8);
	q = put_market(q + 8 + ZK_STATEMENT_WIRE_SIZE, p);
	zk_put_be32(q, b->tree_layout->arity);
	zk_put_be32(q + 4, (uint32_t)b->n_ops);
	zk_put_be32(q + 8, (uint32_t)u->n_leaves);
	zk_put_be32(q + 12, (uint32_t)n_sib);
	q += 16;
	for (size_t i = 0; i < b->n_ops; i++, q += ZK_OP_WIRE_SIZE) {
		zk_op_encode(&b->ops[i], q);
		memcpy(q + 61, b->ops[i].reserved, 3);
	}
	for (size_t i = 0; i < u->n_leaves; i++, q += ZK_ZKVM_INPUT_LEAF) {
		zk_put_be32(q, u->leaves[i].kind);
		zk_put_be32(q + 4, u->leaves[i].slot);
		memcpy(q + 8, u->leaves[i].before.raw, 64);
	}
	for (size_t i = 0; i < u->n_nodes; i++) {
		const struct zk_st_node_rec *nd = &u->nodes[i];

		if (nd->touched)
			continue;
		zk_put_be32(q, nd->level);
		zk_put_be32(q + 4, 0);
		zk_put_be64(q + 8, nd->index);
		for (int j = 0; j < ZK_ST_DIGEST_ELEMS; j++)
			zk_put_be64(q + 16 + 8 * j, nd->old_hash[j]);
		q += ZK_ZKVM_INPUT_SIBLING;
	}
	return n;
}
