/* SPDX-License-Identifier: MIT */
/*
 * The rx lcore: burst in, parse, enqueue ops in order. Nothing is dropped
 * here that the parser did not count: a full ring stalls this core.
 */
#include <string.h>

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

/* A gap is detected from a packet's header, before any of its messages is
 * parsed, and every earlier frame's ops are already enqueued: the control
 * record lands exactly between the ops around the gap. */
static void on_gap(void *arg, uint64_t expected, uint64_t received)
{
	struct zk_rx_ctx *ctx = arg;
	struct zk_op ctl;

	memset(&ctl, 0, sizeof(ctl));
	ctl.type = ZK_OP_CTL_GAP;
	ctl.seq = expected;
	ctl.order_id = received;
	enqueue_all(ctx, &ctl, 1);
	ctx->stats.ctl_enqueued++;
}

int zk_rx_lcore(void *arg)
{
	struct zk_rx_ctx *ctx = arg;
	struct zk_wire_parser parser;
	struct zk_wire_cfg wcfg = ctx->wire;
	struct rte_mbuf *pkts[ZK_RX_MAX_BURST];
	static __thread uint8_t linear[RTE_MBUF_DEFAULT_BUF_SIZE * 32];
	struct zk_op ops[ZK_WIRE_MAX_MSGS(sizeof(linear))];
	uint64_t eos_seen = 0;
	size_t got;
	uint16_t i, n;

	wcfg.on_gap = on_gap;
	wcfg.gap_ctx = ctx;
	zk_wire_parser_init(&parser, &wcfg);

	while (!*ctx->stop) {
		n = rte_eth_rx_burst(ctx->port_id, 0, pkts, ctx->burst);
		if (n == 0) {
			if (ctx->stop_on_eos && eos_seen)
				break;
			continue;
		}
		ctx->stats.bursts++;
		for (i = 0; i < n; i++) {
			struct rte_mbuf *m = pkts[i];
			const uint8_t *frame;
			size_t len = rte_pktmbuf_pkt_len(m);

			if (m->nb_segs == 1) {
				frame = rte_pktmbuf_mtod(m, const uint8_t *);
			} else {
				if (len > sizeof(linear))
					len = sizeof(linear); /* parser: bad length */
				frame = rte_pktmbuf_read(m, 0, (uint32_t)len, linear);
				ctx->stats.multiseg_frames++;
			}
			ctx->stats.frames++;
			got = zk_wire_parse_frame(&parser, frame, len, ops,
						  sizeof(ops) / sizeof(ops[0]));
			enqueue_all(ctx, ops, got);
			ctx->stats.ops_enqueued += got;
			if (parser.stats.end_of_session != eos_seen) {
				struct zk_op ctl;

				eos_seen = parser.stats.end_of_session;
				memset(&ctl, 0, sizeof(ctl));
				ctl.type = ZK_OP_CTL_EOS;
				ctl.seq = parser.next_seq;
				enqueue_all(ctx, &ctl, 1);
				ctx->stats.ctl_enqueued++;
			}
		}
		rte_pktmbuf_free_bulk(pkts, n);
	}
	ctx->stats.wire = parser.stats;
	atomic_store(&ctx->done, 1);
	return 0;
}
