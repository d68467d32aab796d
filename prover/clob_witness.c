/* SPDX-License-Identifier: MIT */
/*
 * zk_clob_witness_decode: a committed batch rebuilt from a PROVE request's
 * witness (format: backends/witness.c). The bytes come from another process,
 * so everything is checked before the prover sees it: the trace builder
 * assumes a consistent record, and a prover must answer a bad request with
 * an error, never crash on it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkclob/backend.h"
#include "zkclob/be.h"
#include "zkclob/clobproof.h"
#include "clob_errf.h"

/* A 2^20-row trace bounds everything a batch can touch. */
#define WT_MAX_ITEMS (1u << 21)

void zk_clob_rebuilt_free(struct zk_clob_rebuilt *r)
{
	if (r == NULL)
		return;
	free(r->batch.ops);
	free(r->batch.events.ev);
	free(r->batch.witness.acc);
	zk_st_update_free(&r->update);
	memset(r, 0, sizeof(*r));
}

/* Every access names a leaf of the record and chains from its old value to
 * its new one. `cur` (one pointer per leaf) tracks the last value seen. */
static int check_accesses(const struct zk_clob_rebuilt *r, size_t n_ops,
			  char *err, size_t errlen)
{
	const struct zk_st_update *u = &r->update;
	const union zk_slot_value **cur;
	int rc = -1;

	cur = calloc(u->n_leaves + 1, sizeof(*cur));
	if (cur == NULL) {
		clob_errf(err, errlen, "witness: out of memory");
		return -1;
	}
	for (size_t i = 0; i < u->n_leaves; i++)
		cur[i] = &u->leaves[i].before;
	for (size_t i = 0; i < r->batch.witness.len; i++) {
		const struct zk_witness_access *a = &r->batch.witness.acc[i];
		uint64_t index;
		long l;

		if (a->market != r->layout.market || a->write > 1 ||
		    a->op >= n_ops ||
		    (i > 0 && a->op < r->batch.witness.acc[i - 1].op) ||
		    zk_st_leaf_index(&r->layout, a->kind, a->slot, &index) != 0) {
			clob_errf(err, errlen, "witness: access %zu is out of range "
					  "or out of op order", i);
			goto out;
		}
		l = zk_st_update_find_leaf(u, index);
		if (l < 0 || u->leaves[l].kind != a->kind ||
		    u->leaves[l].slot != a->slot) {
			clob_errf(err, errlen, "witness: access %zu names a slot "
					  "the update record does not touch", i);
			goto out;
		}
		if (memcmp(cur[l], &a->before, sizeof(a->before)) != 0 ||
		    (!a->write &&
		     memcmp(&a->before, &a->after, sizeof(a->after)) != 0)) {
			clob_errf(err, errlen, "witness: access %zu does not follow "
					  "its slot's previous value", i);
			goto out;
		}
		cur[l] = &a->after;
	}
	for (size_t i = 0; i < u->n_leaves; i++) {
		if (memcmp(cur[i], &u->leaves[i].after,
			   sizeof(u->leaves[i].after)) != 0 ||
		    cur[i] == &u->leaves[i].before) {
			clob_errf(err, errlen, "witness: leaf %zu's new value is not "
					  "what its accesses leave", i);
			goto out;
		}
	}
	rc = 0;
out:
	free(cur);
	return rc;
}

static void read_slot(union zk_slot_value *v, const uint8_t *p)
{
	memcpy(v->raw, p, sizeof(v->raw));
}

int zk_clob_witness_decode(const struct zk_statement *st,
			   const struct zk_op *ops, size_t n_ops,
			   const uint8_t *wit, size_t len,
			   const struct zk_market_params *market,
			   struct zk_clob_rebuilt *out, char *err,
			   size_t errlen)
{
	uint32_t n_ev, n_acc, n_leaves, n_nodes, count[ZK_ST_KINDS + 1];
	struct zk_batch *b;
	const uint8_t *p;
	const char *why = NULL;

	if (out == NULL)
		return -1;
	memset(out, 0, sizeof(*out));
	if (st == NULL || ops == NULL || n_ops == 0 || market == NULL ||
	    wit == NULL || len < ZK_BP_WITNESS_HEAD ||
	    memcmp(wit, "ZKWT", 4) != 0 ||
	    wit[4] != 1 || wit[5] || wit[6] || wit[7]) {
		clob_errf(err, errlen, "witness: missing, or not a version-1 "
				  "batch witness");
		return -1;
	}
	n_ev = zk_be32(wit + 8);
	n_acc = zk_be32(wit + 12);
	n_leaves = zk_be32(wit + 16);
	n_nodes = zk_be32(wit + 20);
	if (n_ev > ZK_CLOB_CONTAINER_MAX_EVENTS || n_acc > WT_MAX_ITEMS ||
	    n_leaves > n_acc || n_nodes > WT_MAX_ITEMS ||
	    len != ZK_BP_WITNESS_HEAD + (size_t)n_ev * ZK_EVENT_WIRE_SIZE +
			   (size_t)n_acc * ZK_BP_WITNESS_ACCESS +
			   (size_t)n_leaves * ZK_BP_WITNESS_LEAF +
			   (size_t)n_nodes * ZK_BP_WITNESS_NODE) {
		clob_errf(err, errlen, "witness: counts out of range or length "
				  "mismatch");
		return -1;
	}
	/* The layout follows from the market rules, never from the request. */
	if (zk_market_slot_counts(market, count) != 0) {
		clob_errf(err, errlen, "witness: market parameters are invalid");
		return -1;
	}
	if (zk_st_layout_init(&out->layout, market->market, 4, count) != 0 ||
	    zk_be32(wit + 24) != market->market ||
	    zk_be32(wit + 28) != out->layout.arity ||
	    st->market != market->market) {
		clob_errf(err, errlen, "witness: another market or tree shape");
		return -1;
	}

	b = &out->batch;
	b->ops = malloc(n_ops * sizeof(*b->ops));
	b->events.ev = malloc(((size_t)n_ev + 1) * sizeof(*b->events.ev));
	b->witness.acc = malloc(((size_t)n_acc + 1) * sizeof(*b->witness.acc));
	out->update.leaves = malloc(((size_t)n_leaves + 1) *
				    sizeof(*out->update.leaves));
	out->update.nodes = malloc(((size_t)n_nodes + 1) *
				   sizeof(*out->update.nodes));
	if (b->ops == NULL || b->events.ev == NULL || b->witness.acc == NULL ||
	    out->update.leaves == NULL || out->update.nodes == NULL) {
		clob_errf(err, errlen, "witness: out of memory");
		goto fail;
	}
	memcpy(b->ops, ops, n_ops * sizeof(*ops));
	b->n_ops = n_ops;
	memcpy(out->update.old_root, wit + 32, 32);
	memcpy(out->update.new_root, wit + 64, 32);
	p = wit + ZK_BP_WITNESS_HEAD;
	for (uint32_t i = 0; i < n_ev; i++, p += ZK_EVENT_WIRE_SIZE) {
		if (zk_event_decode(p, &b->events.ev[i]) != 0) {
			clob_errf(err, errlen, "witness: event %u is not canonical",
			     i);
			goto fail;
		}
	}
	b->events.len = b->events.cap = n_ev;
	for (uint32_t i = 0; i < n_acc; i++, p += ZK_BP_WITNESS_ACCESS) {
		struct zk_witness_access *a = &b->witness.acc[i];

		memset(a, 0, sizeof(*a));
		a->op = zk_be64(p);
		a->market = zk_be32(p + 8);
		a->slot = zk_be32(p + 12);
		a->kind = p[16];
		a->write = p[17];
		if (p[18] || p[19]) {
			clob_errf(err, errlen, "witness: access %u has non-zero "
					  "reserved bytes", i);
			goto fail;
		}
		read_slot(&a->before, p + 20);
		read_slot(&a->after, p + 84);
	}
	b->witness.len = b->witness.cap = n_acc;
	b->witness.ops = n_ops;
	for (uint32_t i = 0; i < n_leaves; i++, p += ZK_BP_WITNESS_LEAF) {
		struct zk_st_leaf_rec *l = &out->update.leaves[i];

		l->index = zk_be64(p);
		l->slot = zk_be32(p + 8);
		l->kind = zk_be32(p + 12);
		l->node = zk_be32(p + 16);
		l->written = zk_be32(p + 20);
		read_slot(&l->before, p + 24);
		read_slot(&l->after, p + 88);
	}
	out->update.n_leaves = out->update.cap_leaves = n_leaves;
	for (uint32_t i = 0; i < n_nodes; i++, p += ZK_BP_WITNESS_NODE) {
		struct zk_st_node_rec *nd = &out->update.nodes[i];

		nd->index = zk_be64(p);
		nd->level = zk_be32(p + 8);
		nd->touched = zk_be32(p + 12);
		for (int j = 0; j < 4; j++)
			nd->child[j] = zk_be32(p + 16 + 4 * j);
		for (int j = 0; j < 4; j++) {
			nd->old_hash[j] = zk_be64(p + 32 + 8 * j);
			nd->new_hash[j] = zk_be64(p + 64 + 8 * j);
		}
	}
	out->update.n_nodes = out->update.cap_nodes = n_nodes;

	if (zk_st_update_verify(&out->layout, &out->update, &why) != 0) {
		clob_errf(err, errlen, "witness: update record: %s",
		     why != NULL ? why : "invalid");
		goto fail;
	}
	if (check_accesses(out, n_ops, err, errlen) != 0)
		goto fail;

	b->batch_seq = st->batch_seq;
	b->first_seq = ops[0].seq;
	b->last_seq = ops[n_ops - 1].seq;
	zk_ops_digest(b->ops, n_ops, b->ops_digest);
	{
		struct zk_events_digest d;

		zk_events_digest_init(&d);
		zk_events_digest_update(&d, b->events.ev, n_ev);
		zk_events_digest_final(&d, b->events_digest);
	}
	if (st->first_seq != b->first_seq || st->last_seq != b->last_seq ||
	    memcmp(st->ops_digest, b->ops_digest, 32) != 0 ||
	    memcmp(st->events_digest, b->events_digest, 32) != 0 ||
	    memcmp(st->old_root, out->update.old_root, 32) != 0 ||
	    memcmp(st->new_root, out->update.new_root, 32) != 0) {
		clob_errf(err, errlen, "witness: the statement is not this batch's "
				  "(seqs, digests or roots differ)");
		goto fail;
	}
	b->tree_update = &out->update;
	b->tree_layout = &out->layout;
	return 0;
fail:
	zk_clob_rebuilt_free(out);
	return -1;
}
