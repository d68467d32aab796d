/* SPDX-License-Identifier: MIT */
/*
 * The sequencer lcore: the only writer of the book. Ops leave the ring in
 * the order the rx core parsed them; the batcher applies them and cuts
 * batches, which go to the prover stage through the sink.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_pause.h>
#include <rte_ring_elem.h>

#include "zkclob/dataplane.h"

#define SEQ_BURST 64

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static bool profiling(const struct zk_seq_ctx *ctx)
{
	return ctx->latency != NULL && ctx->latency->enabled;
}

/* n ops were applied under the current stamp. Every applied op is in
 * exactly one batch and batches are delivered in op order, so a FIFO is
 * enough whichever batch (the cut one, or the next after a timeout cut)
 * they land in. */
static void stamps_push(struct zk_seq_ctx *ctx, uint64_t n)
{
	struct zk_stamp_run *tail;

	if (n == 0 || !profiling(ctx))
		return;
	if (ctx->runs_len > 0) {
		tail = &ctx->runs[(ctx->runs_head + ctx->runs_len - 1) %
				  ctx->runs_cap];
		if (tail->stamp == ctx->stamp_current) {
			tail->n += n;
			return;
		}
	}
	if (ctx->runs_len == ctx->runs_cap) {
		size_t cap = ctx->runs_cap ? ctx->runs_cap * 2 : 64, i;
		struct zk_stamp_run *v = malloc(cap * sizeof(*v));

		if (v == NULL) {
			/* profiling never stops matching, and the FIFO must
			 * stay aligned with the ops: the full ring has a tail
			 * run, which takes them (an earlier arrival: their
			 * end to end can only read long, never short) */
			if (ctx->runs_len > 0)
				ctx->runs[(ctx->runs_head + ctx->runs_len - 1) %
					  ctx->runs_cap].n += n;
			else
				ctx->stamps_lost += n;
			return;
		}
		for (i = 0; i < ctx->runs_len; i++)
			v[i] = ctx->runs[(ctx->runs_head + i) % ctx->runs_cap];
		free(ctx->runs);
		ctx->runs = v;
		ctx->runs_cap = cap;
		ctx->runs_head = 0;
	}
	ctx->runs[(ctx->runs_head + ctx->runs_len) % ctx->runs_cap] =
		(struct zk_stamp_run){ ctx->stamp_current, n };
	ctx->runs_len++;
}

/* The stamps of the next n ops, one word per op (0 where none was kept);
 * NULL when not profiling or out of memory. */
static uint64_t *stamps_pop(struct zk_seq_ctx *ctx, size_t n)
{
	uint64_t *out;
	size_t i = 0;

	if (!profiling(ctx))
		return NULL;
	out = calloc(n ? n : 1, sizeof(*out));
	/* ops whose stamp was never kept are the oldest: they go first, as 0
	 * (counted unstamped downstream) */
	while (i < n && ctx->stamps_lost > 0) {
		ctx->stamps_lost--;
		i++;
	}
	while (i < n && ctx->runs_len > 0) {
		struct zk_stamp_run *r = &ctx->runs[ctx->runs_head];

		while (i < n && r->n > 0) {
			if (out != NULL)
				out[i] = r->stamp;
			i++;
			r->n--;
		}
		if (r->n == 0) {
			ctx->runs_head = (ctx->runs_head + 1) % ctx->runs_cap;
			ctx->runs_len--;
		}
	}
	return out;
}

static void stamps_free(struct zk_seq_ctx *ctx)
{
	free(ctx->runs);
	ctx->runs = NULL;
	ctx->runs_head = ctx->runs_len = ctx->runs_cap = 0;
}

static int deliver(struct zk_seq_ctx *ctx, struct zk_batch *batch)
{
	uint64_t *stamps;
	size_t i;

	if (batch == NULL)
		return 0;
	stamps = stamps_pop(ctx, batch->n_ops);
	ctx->delivered_ops += batch->n_ops;
	ctx->stats.batches++;
	zk_events_digest_update(&ctx->digest, batch->events.ev,
				batch->events.len);
	for (i = 0; i < batch->events.len; i++)
		if (batch->events.ev[i].type <= ZK_EV_DONE)
			ctx->stats.events[batch->events.ev[i].type]++;
	/* stats.ops counts every op applied, including any of the next
	 * batch that a timeout cut found while pushing */
	return ctx->sink(ctx->sink_ctx, batch, stamps,
			 ctx->delivered_ops == ctx->stats.ops);
}

static int handle_control(struct zk_seq_ctx *ctx, const struct zk_op *op,
			  uint64_t now)
{
	struct zk_batch *cut = NULL;

	switch (op->type) {
	case ZK_OP_CTL_GAP:
		ctx->stats.gaps++;
		if (ctx->gap_policy == ZK_GAP_HALT) {
			ctx->stats.halted = true;
			ctx->stats.halt_expected = op->seq;
			ctx->stats.halt_received = op->order_id;
		}
		/* Under both policies the batch before the gap is complete
		 * and provable: cut it. */
		if (zk_batcher_gap(ctx->batcher, op->seq, op->order_id, now,
				   &cut) != 0)
			return -1;
		return deliver(ctx, cut);
	case ZK_OP_CTL_STAMP:
		/* ring: enqueued → dequeued; the sequencer stage of this
		 * burst ends with the burst (apply_burst) */
		ctx->stamp_dequeued = zk_latency_now(ctx->latency);
		zk_latency_record(ctx->latency, ZK_LAT_RING, 0, op->new_order_id,
				  ctx->stamp_dequeued);
		/* every op after it, up to the next stamp, came in this
		 * burst: its word travels with each op to the proof log */
		ctx->stamp_current = zk_latency_stamp_pack(op->order_id,
							   op->new_order_id);
		return 0;
	case ZK_OP_CTL_EOS:
		ctx->stats.eos = true;
		if (zk_batcher_flush(ctx->batcher, now, &cut) != 0)
			return -1;
		return deliver(ctx, cut);
	default:
		errno = EPROTO;
		return -1;
	}
}

/* Runs of plain ops go to the engine's prefetching burst call; control
 * records split the runs so they act exactly between their neighbours. */
static int apply_burst(struct zk_seq_ctx *ctx, const struct zk_op *ops,
		       unsigned int n)
{
	struct zk_batch *cut;
	uint64_t now = now_ns();
	size_t i = 0, run, done;

	while (i < n) {
		if (ops[i].type >= ZK_OP_CTL_GAP) {
			if (handle_control(ctx, &ops[i], now) != 0)
				return -1;
			i++;
			continue;
		}
		for (run = 0; i + run < n && ops[i + run].type < ZK_OP_CTL_GAP; run++)
			;
		if (ctx->stats.halted) {
			ctx->stats.halted_ops += run; /* never applied */
			i += run;
			continue;
		}
		while (run > 0) {
			if (zk_batcher_push_burst(ctx->batcher, &ops[i], run, now,
						  &done, &cut) != 0)
				return -1;
			ctx->stats.ops += done;
			stamps_push(ctx, done);
			i += done;
			run -= done;
			if (deliver(ctx, cut) != 0)
				return -1;
		}
	}
	if (ctx->stamp_dequeued != 0) {
		zk_latency_record(ctx->latency, ZK_LAT_SEQUENCER, 0,
				  ctx->stamp_dequeued, zk_latency_now(ctx->latency));
		ctx->stamp_dequeued = 0;
	}
	return 0;
}

int zk_seq_lcore(void *arg)
{
	struct zk_seq_ctx *ctx = arg;
	struct zk_op ops[SEQ_BURST];
	struct zk_batch *cut;
	unsigned int n;

	zk_events_digest_init(&ctx->digest);
	for (;;) {
		if (ctx->reload != NULL && *ctx->reload) {
			*ctx->reload = 0;
			ctx->reload_fn(ctx->reload_arg, ctx);
		}
		n = rte_ring_sc_dequeue_burst_elem(ctx->ring, ops, sizeof(ops[0]),
						   SEQ_BURST, NULL);
		if (n > 0) {
			if (apply_burst(ctx, ops, n) != 0)
				goto fail;
			continue;
		}
		ctx->stats.empty_polls++;
		if (*ctx->stop >= 2)
			break;
		/* Leave only once the rx core is done and the ring is empty:
		 * a clean stop loses nothing. */
		if (atomic_load(&ctx->rx->done) && rte_ring_empty(ctx->ring))
			break;
		if (zk_batcher_tick(ctx->batcher, now_ns(), &cut) != 0 ||
		    deliver(ctx, cut) != 0)
			goto fail;
		rte_pause();
	}
	if (zk_batcher_flush(ctx->batcher, now_ns(), &cut) != 0 ||
	    deliver(ctx, cut) != 0)
		goto fail;
	stamps_free(ctx);
	return 0;
fail:
	stamps_free(ctx);
	ctx->error = errno ? errno : EIO;
	*ctx->stop = 2;
	return -1;
}
