/* SPDX-License-Identifier: MIT */
/*
 * The commit step of the appliance's commit-then-prove split, and the batch
 * container (format: include/zkclob/clobproof.h).
 *
 * The container decoder treats its input as hostile: it is what the proof
 * log stores and what an external prover returns. Counts are bounded before
 * anything is allocated, the lengths must add up exactly, and the events
 * must decode canonically (their always-zero byte); ops have no invalid
 * encoding (every byte is a field), which the verifier's digests cover.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkclob/be.h"
#include "zkclob/clobproof.h"

#define CONTAINER_MAGIC "ZKBT"
#define CONTAINER_VERSION 1

static void errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int zk_clob_commit(struct zk_batch *batch, struct zk_st_tree *tree,
		   struct zk_st_update *u, struct zk_statement *st, char *err,
		   size_t errlen)
{
	const struct zk_st_layout *lay;

	if (batch == NULL || tree == NULL || u == NULL || st == NULL ||
	    batch->n_ops == 0) {
		errf(err, errlen, "zk_clob_commit: bad arguments");
		return ZK_CLOB_EINVAL;
	}
	lay = zk_st_layout_get(tree);
	/* A statement names one market: a batch spanning markets would commit
	 * part of what it did (zk_st_apply_witness skips other markets). */
	for (size_t i = 0; i < batch->n_ops; i++) {
		if (batch->ops[i].market != lay->market) {
			errf(err, errlen,
			     "op %zu (seq %llu) is of market %u, the tree of "
			     "market %u: split the batch by market first",
			     i, (unsigned long long)batch->ops[i].seq,
			     batch->ops[i].market, lay->market);
			return ZK_CLOB_EINVAL;
		}
	}
	if (zk_st_apply_witness(tree, &batch->witness, u) != 0) {
		errf(err, errlen, "witness does not apply to the tree: %s",
		     u->error != NULL ? u->error : "?");
		return errno == ENOMEM ? ZK_CLOB_ENOMEM : ZK_CLOB_ETREE;
	}
	memset(st, 0, sizeof(*st));
	st->market = lay->market;
	st->batch_seq = batch->batch_seq;
	st->first_seq = batch->first_seq;
	st->last_seq = batch->last_seq;
	memcpy(st->old_root, u->old_root, ZK_ROOT_SIZE);
	memcpy(st->new_root, u->new_root, ZK_ROOT_SIZE);
	memcpy(st->ops_digest, batch->ops_digest, ZK_ROOT_SIZE);
	memcpy(st->events_digest, batch->events_digest, ZK_ROOT_SIZE);
	batch->tree_update = u;
	batch->tree_layout = lay;
	return ZK_CLOB_OK;
}

size_t zk_clob_container_size(size_t n_ops, size_t n_events, size_t proof_len)
{
	return ZK_CLOB_CONTAINER_HEADER + n_ops * ZK_OP_WIRE_SIZE +
	       n_events * ZK_EVENT_WIRE_SIZE + proof_len;
}

size_t zk_clob_container_encode(const struct zk_op *ops, size_t n_ops,
				const struct zk_event *events,
				size_t n_events, const uint8_t *proof,
				size_t proof_len, uint8_t *out, size_t cap)
{
	size_t n;
	uint8_t *p;

	if (n_ops > ZK_CLOB_CONTAINER_MAX_OPS ||
	    n_events > ZK_CLOB_CONTAINER_MAX_EVENTS ||
	    (proof == NULL && proof_len != 0) || out == NULL)
		return 0;
	n = zk_clob_container_size(n_ops, n_events, proof_len);
	if (n > cap)
		return 0;
	memcpy(out, CONTAINER_MAGIC, 4);
	out[4] = CONTAINER_VERSION;
	memset(out + 5, 0, 3);
	zk_put_be32(out + 8, (uint32_t)n_ops);
	zk_put_be32(out + 12, (uint32_t)n_events);
	p = out + ZK_CLOB_CONTAINER_HEADER;
	for (size_t i = 0; i < n_ops; i++, p += ZK_OP_WIRE_SIZE)
		zk_op_encode(&ops[i], p);
	for (size_t i = 0; i < n_events; i++, p += ZK_EVENT_WIRE_SIZE)
		zk_event_encode(&events[i], p);
	if (proof_len != 0)
		memcpy(p, proof, proof_len);
	return n;
}

int zk_clob_container_decode(const uint8_t *in, size_t len,
			     struct zk_clob_container *c, char *err,
			     size_t errlen)
{
	uint32_t n_ops, n_ev;
	const uint8_t *p;

	if (c == NULL) {
		errf(err, errlen, "container: bad arguments");
		return -1;
	}
	memset(c, 0, sizeof(*c));
	if (in == NULL || len < ZK_CLOB_CONTAINER_HEADER ||
	    memcmp(in, CONTAINER_MAGIC, 4) != 0) {
		errf(err, errlen, "container: not a batch container");
		return -1;
	}
	if (in[4] != CONTAINER_VERSION || in[5] || in[6] || in[7]) {
		errf(err, errlen, "container: version %u not supported",
		     in[4]);
		return -1;
	}
	n_ops = zk_be32(in + 8);
	n_ev = zk_be32(in + 12);
	if (n_ops == 0 || n_ops > ZK_CLOB_CONTAINER_MAX_OPS ||
	    n_ev > ZK_CLOB_CONTAINER_MAX_EVENTS) {
		errf(err, errlen, "container: %u ops / %u events out of range",
		     n_ops, n_ev);
		return -1;
	}
	/* both products fit size_t: counts are below 2^22 */
	if ((size_t)n_ops * ZK_OP_WIRE_SIZE +
		    (size_t)n_ev * ZK_EVENT_WIRE_SIZE >=
	    len - ZK_CLOB_CONTAINER_HEADER) {
		errf(err, errlen, "container: %zu bytes cannot hold %u ops, "
				  "%u events and a proof", len, n_ops, n_ev);
		return -1;
	}
	c->ops = malloc((size_t)n_ops * sizeof(*c->ops));
	c->events = malloc(((size_t)n_ev + 1) * sizeof(*c->events));
	if (c->ops == NULL || c->events == NULL) {
		zk_clob_container_free(c);
		errf(err, errlen, "container: out of memory");
		return -1;
	}
	p = in + ZK_CLOB_CONTAINER_HEADER;
	for (uint32_t i = 0; i < n_ops; i++, p += ZK_OP_WIRE_SIZE)
		zk_op_decode(p, &c->ops[i]);
	for (uint32_t i = 0; i < n_ev; i++, p += ZK_EVENT_WIRE_SIZE) {
		if (zk_event_decode(p, &c->events[i]) != 0) {
			zk_clob_container_free(c);
			errf(err, errlen, "container: event %u is not a "
					  "canonical encoding", i);
			return -1;
		}
	}
	c->n_ops = n_ops;
	c->n_events = n_ev;
	c->proof = p;
	c->proof_len = len - (size_t)(p - in);
	return 0;
}

void zk_clob_container_free(struct zk_clob_container *c)
{
	if (c == NULL)
		return;
	free(c->ops);
	free(c->events);
	memset(c, 0, sizeof(*c));
}

int zk_clob_verify_container(const struct zk_statement *st,
			     const uint8_t *container, size_t len,
			     const struct zk_market_params *market,
			     uint8_t stark_params, char *err, size_t errlen)
{
	struct zk_clob_container c;
	int rc;

	if (st == NULL || market == NULL) {
		errf(err, errlen, "zk_clob_verify_container: bad arguments");
		return ZK_CLOB_EINVAL;
	}
	if (zk_clob_container_decode(container, len, &c, err, errlen) != 0)
		return ZK_CLOB_EREJECT;
	rc = zk_clob_verify(st, c.ops, c.n_ops, c.events, c.n_events, market,
			    stark_params, c.proof, c.proof_len, err, errlen);
	zk_clob_container_free(&c);
	return rc;
}
