/* SPDX-License-Identifier: MIT */
/*
 * The batch container (format: include/zkclob/clobproof.h): the published
 * ops and events of a batch with its STARK proof.
 *
 * The decoder treats its input as hostile: it is what the proof log stores
 * and what an external prover returns. Counts are bounded before anything
 * is allocated, the lengths must add up exactly, and the events must decode
 * canonically (their always-zero byte); ops have no invalid encoding (every
 * byte is a field), which the verifier's digests cover. No dependency on the
 * prover: fuzz/fuzz_witness.c links it alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkclob/be.h"
#include "zkclob/clobproof.h"
#include "clob_errf.h"

#define CONTAINER_MAGIC "ZKBT"
#define CONTAINER_VERSION 1

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
		clob_errf(err, errlen, "container: bad arguments");
		return -1;
	}
	memset(c, 0, sizeof(*c));
	if (in == NULL || len < ZK_CLOB_CONTAINER_HEADER ||
	    memcmp(in, CONTAINER_MAGIC, 4) != 0) {
		clob_errf(err, errlen, "container: not a batch container");
		return -1;
	}
	if (in[4] != CONTAINER_VERSION || in[5] || in[6] || in[7]) {
		clob_errf(err, errlen, "container: version %u not supported",
		     in[4]);
		return -1;
	}
	n_ops = zk_be32(in + 8);
	n_ev = zk_be32(in + 12);
	if (n_ops == 0 || n_ops > ZK_CLOB_CONTAINER_MAX_OPS ||
	    n_ev > ZK_CLOB_CONTAINER_MAX_EVENTS) {
		clob_errf(err, errlen, "container: %u ops / %u events out of range",
		     n_ops, n_ev);
		return -1;
	}
	/* both products fit size_t: counts are below 2^22 */
	if ((size_t)n_ops * ZK_OP_WIRE_SIZE +
		    (size_t)n_ev * ZK_EVENT_WIRE_SIZE >=
	    len - ZK_CLOB_CONTAINER_HEADER) {
		clob_errf(err, errlen, "container: %zu bytes cannot hold %u ops, "
				  "%u events and a proof", len, n_ops, n_ev);
		return -1;
	}
	c->ops = malloc((size_t)n_ops * sizeof(*c->ops));
	c->events = malloc(((size_t)n_ev + 1) * sizeof(*c->events));
	if (c->ops == NULL || c->events == NULL) {
		zk_clob_container_free(c);
		clob_errf(err, errlen, "container: out of memory");
		return -1;
	}
	p = in + ZK_CLOB_CONTAINER_HEADER;
	for (uint32_t i = 0; i < n_ops; i++, p += ZK_OP_WIRE_SIZE)
		zk_op_decode(p, &c->ops[i]);
	for (uint32_t i = 0; i < n_ev; i++, p += ZK_EVENT_WIRE_SIZE) {
		if (zk_event_decode(p, &c->events[i]) != 0) {
			zk_clob_container_free(c);
			clob_errf(err, errlen, "container: event %u is not a "
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

