/* SPDX-License-Identifier: MIT */
/*
 * Batch cutting (include/zkclob/batch.h). The engine applies ops one at a
 * time; this file decides where batches end and gathers what a prover
 * needs for each: the ops, their events, the witness and both digests.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <blake2.h>

#include "zkclob/batch.h"
#include "zkclob/be.h"

static const uint8_t ops_personal[BLAKE2B_PERSONALBYTES] = {
	'z', 'k', 'c', 'l', 'o', 'b', '-', 'o', 'p', 's', '-', 'v', '1',
};

struct zk_batcher {
	struct zk_engine *engine;
	struct zk_batch_cfg cfg;
	struct zk_batch *open;    /* NULL between batches */
	uint64_t next_batch_seq;
	uint64_t last_seq;        /* seq of the last op pushed, 0 before any */
	uint64_t ops;
	uint64_t gap_expected, gap_received; /* pending for the next batch */
};

void zk_op_encode(const struct zk_op *op, uint8_t out[ZK_OP_WIRE_SIZE])
{
	zk_put_be64(out + 0, op->seq);
	zk_put_be64(out + 8, op->order_id);
	zk_put_be64(out + 16, op->new_order_id);
	zk_put_be64(out + 24, op->account);
	zk_put_be64(out + 32, (uint64_t)op->price);
	zk_put_be64(out + 40, op->qty);
	zk_put_be32(out + 48, op->market);
	zk_put_be32(out + 52, op->stp_group);
	out[56] = op->type;
	out[57] = op->side;
	out[58] = op->ord_type;
	out[59] = op->tif;
	out[60] = op->flags;
	/* reserved bytes too: the engine rejects an op whose reserved bytes
	 * are not zero, so they decide its events and the digest must
	 * cover them */
	memcpy(out + 61, op->reserved, 3);
}

void zk_op_decode(const uint8_t in[ZK_OP_WIRE_SIZE], struct zk_op *op)
{
	op->seq = zk_be64(in + 0);
	op->order_id = zk_be64(in + 8);
	op->new_order_id = zk_be64(in + 16);
	op->account = zk_be64(in + 24);
	op->price = (int64_t)zk_be64(in + 32);
	op->qty = zk_be64(in + 40);
	op->market = zk_be32(in + 48);
	op->stp_group = zk_be32(in + 52);
	op->type = in[56];
	op->side = in[57];
	op->ord_type = in[58];
	op->tif = in[59];
	op->flags = in[60];
	memcpy(op->reserved, in + 61, 3);
}

static void ops_digest_init(blake2b_state *st)
{
	blake2b_param param;

	memset(&param, 0, sizeof(param));
	param.digest_length = 32;
	param.fanout = 1;
	param.depth = 1;
	memcpy(param.personal, ops_personal, sizeof(param.personal));
	blake2b_init_param(st, &param);
}

void zk_ops_digest(const struct zk_op *ops, size_t n, uint8_t out[32])
{
	blake2b_state st;
	uint8_t buf[ZK_OP_WIRE_SIZE];
	size_t i;

	ops_digest_init(&st);
	for (i = 0; i < n; i++) {
		zk_op_encode(&ops[i], buf);
		blake2b_update(&st, buf, sizeof(buf));
	}
	blake2b_final(&st, out, 32);
}

struct zk_batcher *zk_batcher_create(struct zk_engine *e,
				     const struct zk_batch_cfg *cfg)
{
	struct zk_batcher *b;

	if (e == NULL || cfg == NULL || cfg->max_ops == 0) {
		errno = EINVAL;
		return NULL;
	}
	b = calloc(1, sizeof(*b));
	if (b == NULL)
		return NULL;
	b->engine = e;
	b->cfg = *cfg;
	b->next_batch_seq = 1;
	return b;
}

void zk_batch_free(struct zk_batch *batch)
{
	if (batch == NULL)
		return;
	free(batch->ops);
	zk_event_buf_free(&batch->events);
	zk_witness_free(&batch->witness);
	free(batch);
}

void zk_batcher_destroy(struct zk_batcher *b)
{
	if (b == NULL)
		return;
	if (b->open != NULL && b->cfg.witness)
		zk_engine_set_witness(b->engine, NULL);
	zk_batch_free(b->open);
	free(b);
}

static struct zk_batch *open_batch(struct zk_batcher *b, uint64_t now_ns)
{
	struct zk_batch *batch = calloc(1, sizeof(*batch));

	if (batch == NULL)
		return NULL;
	batch->ops = malloc((size_t)b->cfg.max_ops * sizeof(*batch->ops));
	if (batch->ops == NULL) {
		free(batch);
		return NULL;
	}
	batch->batch_seq = b->next_batch_seq++;
	batch->t_first_ns = now_ns;
	batch->gap_expected = b->gap_expected;
	batch->gap_received = b->gap_received;
	b->gap_expected = b->gap_received = 0;
	if (b->cfg.witness)
		zk_engine_set_witness(b->engine, &batch->witness);
	b->open = batch;
	return batch;
}

static void cut(struct zk_batcher *b, enum zk_cut_reason why, uint64_t now_ns,
		struct zk_batch **out)
{
	struct zk_batch *batch = b->open;
	struct zk_events_digest dg;

	if (b->cfg.witness)
		zk_engine_set_witness(b->engine, NULL);
	batch->cut = why;
	batch->t_cut_ns = now_ns;
	batch->first_seq = batch->ops[0].seq;
	batch->last_seq = batch->ops[batch->n_ops - 1].seq;
	zk_ops_digest(batch->ops, batch->n_ops, batch->ops_digest);
	zk_events_digest_init(&dg);
	zk_events_digest_update(&dg, batch->events.ev, batch->events.len);
	zk_events_digest_final(&dg, batch->events_digest);
	b->open = NULL;
	*out = batch;
}

/* Whether the open batch must be cut now, and why. A full batch normally
 * goes at once; it can stay open full only when the push that filled it
 * already handed out a timed-out batch (one output per call). */
static bool due(const struct zk_batcher *b, uint64_t now_ns,
		enum zk_cut_reason *why)
{
	if (b->open == NULL)
		return false;
	if (b->open->n_ops >= b->cfg.max_ops) { /* >=: max_ops may have shrunk */
		*why = ZK_CUT_SIZE;
		return true;
	}
	if (b->cfg.timeout_ns != 0 &&
	    now_ns - b->open->t_first_ns >= b->cfg.timeout_ns) {
		*why = ZK_CUT_TIMEOUT;
		return true;
	}
	return false;
}

/* One op is a burst of one: one code path decides cuts for both. */
int zk_batcher_push(struct zk_batcher *b, const struct zk_op *op,
		    uint64_t now_ns, struct zk_batch **out)
{
	size_t consumed;

	return zk_batcher_push_burst(b, op, 1, now_ns, &consumed, out);
}

int zk_batcher_push_burst(struct zk_batcher *b, const struct zk_op *ops,
			  size_t n, uint64_t now_ns, size_t *consumed,
			  struct zk_batch **out)
{
	struct zk_batch *batch;
	enum zk_cut_reason why;
	size_t room, k, ordered;

	*out = NULL;
	*consumed = 0;
	if (n == 0)
		return 0;
	/* Refuse before touching anything; a later out-of-order op ends the
	 * run and is refused on the caller's next call. */
	for (ordered = 0; ordered < n; ordered++)
		if (ops[ordered].seq <= (ordered ? ops[ordered - 1].seq : b->last_seq))
			break;
	if (ordered == 0) {
		errno = EINVAL;
		return -1;
	}
	if (due(b, now_ns, &why))
		cut(b, why, now_ns, out);
	batch = b->open;
	if (batch == NULL && (batch = open_batch(b, now_ns)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	/* due() cut any batch at or above max_ops, so room >= 1 */
	room = b->cfg.max_ops - batch->n_ops;
	k = ordered < room ? ordered : room;
	if (zk_engine_apply_burst(b->engine, ops, k, &batch->events) < 0) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(&batch->ops[batch->n_ops], ops, k * sizeof(*ops));
	batch->n_ops += k;
	b->last_seq = ops[k - 1].seq;
	b->ops += k;
	*consumed = k;
	if (batch->n_ops >= b->cfg.max_ops && *out == NULL)
		cut(b, ZK_CUT_SIZE, now_ns, out);
	return 0;
}

int zk_batcher_set_limits(struct zk_batcher *b, uint32_t max_ops,
			  uint64_t timeout_ns)
{
	struct zk_op *ops;

	if (max_ops == 0) {
		errno = EINVAL;
		return -1;
	}
	/* The open batch must hold up to the new limit: grow it now, so the
	 * push paths never check a capacity. Shrinking needs nothing: the
	 * next push or tick cuts a batch that is already at the limit. */
	if (b->open != NULL && max_ops > b->cfg.max_ops) {
		ops = realloc(b->open->ops, (size_t)max_ops * sizeof(*ops));
		if (ops == NULL) {
			errno = ENOMEM;
			return -1;
		}
		b->open->ops = ops;
	}
	b->cfg.max_ops = max_ops;
	b->cfg.timeout_ns = timeout_ns;
	return 0;
}

int zk_batcher_gap(struct zk_batcher *b, uint64_t expected_seq,
		   uint64_t received_seq, uint64_t now_ns,
		   struct zk_batch **out)
{
	*out = NULL;
	if (b->open != NULL)
		cut(b, ZK_CUT_GAP, now_ns, out);
	b->gap_expected = expected_seq;
	b->gap_received = received_seq;
	return 0;
}

int zk_batcher_tick(struct zk_batcher *b, uint64_t now_ns,
		    struct zk_batch **out)
{
	enum zk_cut_reason why;

	*out = NULL;
	if (due(b, now_ns, &why))
		cut(b, why, now_ns, out);
	return 0;
}

int zk_batcher_flush(struct zk_batcher *b, uint64_t now_ns,
		     struct zk_batch **out)
{
	*out = NULL;
	if (b->open != NULL)
		cut(b, ZK_CUT_FLUSH, now_ns, out);
	return 0;
}

uint64_t zk_batcher_ops(const struct zk_batcher *b)
{
	return b->ops;
}

uint64_t zk_batcher_batches(const struct zk_batcher *b)
{
	return b->next_batch_seq - 1 - (b->open != NULL);
}

/* A part of `parent` for one market, with its digests. */
static struct zk_batch *split_part(const struct zk_batch *parent, uint32_t market,
				   size_t n_ops)
{
	struct zk_batch *part = calloc(1, sizeof(*part));
	struct zk_events_digest dg;
	size_t i, k = 0, ev_n = 0, acc_n = 0, *index = NULL;

	if (part == NULL)
		return NULL;
	part->ops = malloc(n_ops * sizeof(*part->ops));
	index = malloc((parent->n_ops ? parent->n_ops : 1) * sizeof(*index));
	for (i = 0; i < parent->events.len; i++)
		ev_n += parent->events.ev[i].market == market;
	for (i = 0; i < parent->witness.len; i++)
		acc_n += parent->witness.acc[i].market == market;
	part->events.ev = malloc((ev_n ? ev_n : 1) * sizeof(*part->events.ev));
	part->witness.acc = malloc((acc_n ? acc_n : 1) * sizeof(*part->witness.acc));
	if (part->ops == NULL || index == NULL || part->events.ev == NULL ||
	    part->witness.acc == NULL) {
		free(index);
		zk_batch_free(part);
		return NULL;
	}
	part->events.cap = ev_n ? ev_n : 1;
	part->witness.cap = acc_n ? acc_n : 1;
	for (i = 0; i < parent->n_ops; i++) {
		index[i] = k;
		if (parent->ops[i].market == market)
			part->ops[k++] = parent->ops[i];
	}
	part->n_ops = k;
	for (i = 0; i < parent->events.len; i++)
		if (parent->events.ev[i].market == market)
			part->events.ev[part->events.len++] = parent->events.ev[i];
	for (i = 0; i < parent->witness.len; i++) {
		const struct zk_witness_access *a = &parent->witness.acc[i];

		if (a->market != market)
			continue;
		part->witness.acc[part->witness.len] = *a;
		part->witness.acc[part->witness.len++].op = index[a->op];
	}
	part->witness.ops = k;
	free(index);
	part->cut = parent->cut;
	part->t_first_ns = parent->t_first_ns;
	part->t_cut_ns = parent->t_cut_ns;
	part->gap_expected = parent->gap_expected;
	part->gap_received = parent->gap_received;
	part->first_seq = part->ops[0].seq;
	part->last_seq = part->ops[k - 1].seq;
	zk_ops_digest(part->ops, part->n_ops, part->ops_digest);
	zk_events_digest_init(&dg);
	zk_events_digest_update(&dg, part->events.ev, part->events.len);
	zk_events_digest_final(&dg, part->events_digest);
	return part;
}

long zk_batch_split_by_market(const struct zk_batch *batch,
			      struct zk_batch **parts, size_t max_parts)
{
	uint32_t markets[64];
	size_t counts[64], n = 0, i, j;

	for (i = 0; i < batch->n_ops; i++) {
		for (j = 0; j < n && markets[j] != batch->ops[i].market; j++)
			;
		if (j == n) {
			if (n == max_parts || n == sizeof(markets) / sizeof(markets[0])) {
				errno = ENOSPC;
				return -1;
			}
			markets[n] = batch->ops[i].market;
			counts[n++] = 0;
		}
		counts[j]++;
	}
	for (j = 0; j < n; j++) {
		parts[j] = split_part(batch, markets[j], counts[j]);
		if (parts[j] == NULL) {
			while (j > 0)
				zk_batch_free(parts[--j]);
			errno = ENOMEM;
			return -1;
		}
	}
	return (long)n;
}
