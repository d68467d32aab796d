/* SPDX-License-Identifier: MIT */
/*
 * The rx lcore: burst in, parse, enqueue ops in order. Nothing is dropped
 * here that the parser did not count: a full ring stalls this core.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_pause.h>
#include <rte_ring_elem.h>

#include "zkclob/dataplane.h"

/* Enqueue everything, stalling until it fits. Only an abort (stop >= 2,
 * the sequencer is gone) ends the stall; those ops are counted, and they
 * never reach the engine, so the book is unaffected. */
static void enqueue_all(struct zk_rx_ctx *ctx, const struct zk_op *ops,
			size_t n)
{
	while (n > 0) {
		if (*ctx->stop >= 2) {
			ctx->stats.lost_on_abort += n;
			return;
		}
		unsigned int done = rte_ring_sp_enqueue_burst_elem(
			ctx->ring, ops, sizeof(*ops), (unsigned int)n, NULL);

		ops += done;
		n -= done;
		if (n > 0) {
			ctx->stats.ring_full_stalls++;
			rte_pause();
		}
	}
}

/*
 * Ops of a whole rx burst are gathered and enqueued at once: one ring
 * transaction per burst instead of per frame (the ring's cost is per call
 * as much as per element). Control records take their place in the same
 * buffer, so order is kept.
 */
#define BURST_OPS (4096 + ZK_WIRE_MAX_MSGS(UINT16_MAX))

struct burst_buf {
	struct zk_op ops[BURST_OPS];
	size_t n;
	bool gap;                 /* the frame being parsed started with a gap */
	uint64_t gap_expected, gap_received;
};

/* A gap is detected from a packet's header before any of its messages is
 * parsed: remember it, and the record goes in before that frame's ops. */
static void on_gap(void *arg, uint64_t expected, uint64_t received)
{
	struct burst_buf *b = arg;

	b->gap = true;
	b->gap_expected = expected;
	b->gap_received = received;
}

static void push_ctl(struct zk_rx_ctx *ctx, struct burst_buf *b, uint8_t type,
		     uint64_t seq, uint64_t arg)
{
	struct zk_op *ctl = &b->ops[b->n++];

	memset(ctl, 0, sizeof(*ctl));
	ctl->type = type;
	ctl->seq = seq;
	ctl->order_id = arg;
	if (type != ZK_OP_CTL_STAMP) /* stamps are not pipeline events */
		ctx->stats.ctl_enqueued++;
}

/* Publish what changed since the last burst: lock-free counter adds, a
 * handful per burst, never per frame. */
static void publish(struct zk_rx_ctx *ctx, const struct zk_wire_stats *w,
		    uint64_t *last_drops, uint64_t *last_stalls, uint16_t frames)
{
	struct zk_metrics_std *m = ctx->metrics;
	int i;

	zk_counter_add(m->rx_frames, frames);
	if (ctx->stats.ring_full_stalls != *last_stalls) {
		zk_counter_add(m->ring_full_stalls,
			       ctx->stats.ring_full_stalls - *last_stalls);
		*last_stalls = ctx->stats.ring_full_stalls;
	}
	for (i = 0; i < ZK_DROP__COUNT; i++) {
		if (w->drops[i] != last_drops[i]) {
			zk_counter_add(m->rx_drops[i], w->drops[i] - last_drops[i]);
			last_drops[i] = w->drops[i];
		}
	}
}

static void flush(struct zk_rx_ctx *ctx, struct burst_buf *b)
{
	enqueue_all(ctx, b->ops, b->n);
	b->n = 0;
}

/* The offered load of a replayed capture: messages due since the first
 * poll at ctx->rate per second, minus those taken. */
struct pacer {
	uint64_t start, hz;
	uint64_t msgs, frames; /* taken so far */
};

/* Frames to ask for now: 0 when no message is due yet. */
static uint16_t paced_burst(const struct zk_rx_ctx *ctx, struct pacer *pc)
{
	uint64_t now = rte_get_timer_cycles(), due, per_frame, frames;

	if (pc->hz == 0) {
		pc->hz = rte_get_timer_hz();
		pc->start = now;
	}
	due = (uint64_t)((unsigned __int128)(now - pc->start) * ctx->rate /
			 pc->hz);
	if (due <= pc->msgs)
		return 0;
	/* frames carry several messages: ask for about as many frames as
	 * the due messages fill, by the mean so far */
	per_frame = pc->frames ? (pc->msgs + pc->frames - 1) / pc->frames : 1;
	frames = (due - pc->msgs) / (per_frame ? per_frame : 1);
	if (frames == 0)
		frames = 1;
	return frames < ctx->burst ? (uint16_t)frames : ctx->burst;
}

int zk_rx_lcore(void *arg)
{
	struct zk_rx_ctx *ctx = arg;
	struct zk_wire_parser parser;
	struct zk_wire_cfg wcfg = ctx->wire;
	struct rte_mbuf *pkts[ZK_RX_MAX_BURST];
	struct rx_scratch {
		uint8_t linear[UINT16_MAX];
		struct burst_buf buf;
	} *scratch = calloc(1, sizeof(*scratch));
	struct burst_buf *buf;
	struct pacer pacer = { 0 };
	uint64_t last_drops[ZK_DROP__COUNT] = { 0 }, last_stalls = 0;
	uint64_t eos_seen = 0;
	size_t got;
	uint16_t i, n;

	if (scratch == NULL) {
		atomic_store(&ctx->done, 1);
		return -ENOMEM;
	}
	buf = &scratch->buf;
	wcfg.on_gap = on_gap;
	wcfg.gap_ctx = buf;
	zk_wire_parser_init(&parser, &wcfg);

	while (!*ctx->stop) {
		uint64_t t_arrival, msgs_before = parser.stats.msgs;
		uint16_t want = ctx->burst;

		if (ctx->rate != 0) {
			want = paced_burst(ctx, &pacer);
			if (want == 0) {
				ctx->stats.paced_waits++;
				rte_pause();
				continue;
			}
		}
		n = rte_eth_rx_burst(ctx->port_id, 0, pkts, want);
		if (n == 0) {
			if (ctx->stop_on_eos && eos_seen)
				break;
			continue;
		}
		ctx->stats.tsc_last = rte_get_timer_cycles();
		if (ctx->stats.bursts++ == 0)
			ctx->stats.tsc_first = ctx->stats.tsc_last;
		/* profiling: the stamp record leads the burst's ops; its
		 * enqueue time is filled in just before the flush */
		t_arrival = zk_latency_now(ctx->latency);
		if (t_arrival != 0) {
			push_ctl(ctx, buf, ZK_OP_CTL_STAMP, 0, t_arrival);
		}
		for (i = 0; i < n; i++) {
			struct rte_mbuf *m = pkts[i];
			const uint8_t *frame;
			size_t len = rte_pktmbuf_pkt_len(m);

			if (m->nb_segs == 1) {
				frame = rte_pktmbuf_mtod(m, const uint8_t *);
			} else {
				if (len > sizeof(scratch->linear))
					len = sizeof(scratch->linear); /* parser: bad length */
				frame = rte_pktmbuf_read(m, 0, (uint32_t)len, scratch->linear);
				ctx->stats.multiseg_frames++;
			}
			ctx->stats.frames++;
			/* parse straight into the burst buffer, keeping room for
			 * the most a frame can hold plus two control records */
			if (buf->n + ZK_WIRE_MAX_MSGS(UINT16_MAX) + 2 > BURST_OPS)
				flush(ctx, buf);
			buf->gap = false;
			got = zk_wire_parse_frame(&parser, frame, len,
						  &buf->ops[buf->n],
						  ZK_WIRE_MAX_MSGS(UINT16_MAX));
			if (buf->gap) {
				/* rare: the gap record goes before this frame's
				 * ops, so shift them up by one */
				memmove(&buf->ops[buf->n + 1], &buf->ops[buf->n],
					got * sizeof(struct zk_op));
				push_ctl(ctx, buf, ZK_OP_CTL_GAP, buf->gap_expected,
					 buf->gap_received);
			}
			buf->n += got;
			ctx->stats.ops_enqueued += got;
			if (parser.stats.end_of_session != eos_seen) {
				eos_seen = parser.stats.end_of_session;
				push_ctl(ctx, buf, ZK_OP_CTL_EOS, parser.next_seq, 0);
			}
		}
		rte_pktmbuf_free_bulk(pkts, n);
		/* every message counts against the rate, parsed or dropped */
		pacer.msgs += parser.stats.msgs - msgs_before;
		pacer.frames += n;
		if (t_arrival != 0) {
			uint64_t t_enq = zk_latency_now(ctx->latency);

			/* the stamp is the first record unless a full buffer
			 * was flushed mid-burst; then it already left */
			if (buf->n > 0 && buf->ops[0].type == ZK_OP_CTL_STAMP)
				buf->ops[0].new_order_id = t_enq;
			zk_latency_record(ctx->latency, ZK_LAT_RX, 0, t_arrival, t_enq);
		}
		flush(ctx, buf);
		if (ctx->metrics != NULL)
			publish(ctx, &parser.stats, last_drops, &last_stalls, n);
	}
	free(scratch);
	ctx->stats.wire = parser.stats;
	atomic_store(&ctx->done, 1);
	return 0;
}
