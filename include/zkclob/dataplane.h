/* SPDX-License-Identifier: MIT */
/*
 * zkclob — the DPDK side of the appliance: port setup, the rx lcore loop
 * and the sequencer lcore loop (DESIGN.md §2).
 *
 * Spec
 *  - Pacing (rate != 0, for replayed captures: net_pcap delivers as fast
 *    as it is polled): a token bucket on messages started at the first
 *    poll; each poll asks for as many frames as the messages due allow
 *    (by the mean messages per frame so far, at least one, at most the
 *    burst), so the long-run rate is exact and a burst overshoots by at
 *    most one burst. Polls with nothing due are counted (paced_waits).
 *  - rx lcore: rte_eth_rx_burst (burst from config) → zk_wire_parse_frame
 *    on each single-segment mbuf (multi-segment mbufs are linearised into
 *    a scratch buffer first) → ops bulk-enqueued, in order, into the op
 *    ring (single producer). A full ring stalls the rx core (it retries and
 *    counts ring_full_stalls) — never a silent drop. A sequence gap is sent
 *    down the same ring as a control record (type ZK_OP_CTL_GAP) so that
 *    the sequencer sees it exactly between the ops around it; the end of a
 *    MoldUDP64 session likewise (ZK_OP_CTL_EOS).
 *  - sequencer lcore: dequeues ops in bursts (single consumer), pushes
 *    them through the batcher (engine + batch cut), handles control
 *    records per the gap policy, and hands every cut batch to the batch
 *    sink callback (the prover stage), in batch order. In profiling mode
 *    each op's rx arrival stamp (one per rx burst, from the stamp control
 *    record) travels with it and is handed to the sink beside the batch.
 *  - Stop: *stop = 1 is a clean stop: rx stops reading, the sequencer
 *    drains the ring completely (after rx is done) and flushes its last
 *    batch, so nothing the rx core enqueued is lost. *stop = 2 aborts (the
 *    sequencer failed): rx leaves even a stalled enqueue and counts what it
 *    could not hand over (lost_on_abort); the book never sees those ops.
 */
#ifndef ZKCLOB_DATAPLANE_H
#define ZKCLOB_DATAPLANE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_mempool.h>
#include <rte_ring.h>

#include "zkclob/batch.h"
#include "zkclob/event.h"
#include "zkclob/latency.h"
#include "zkclob/metrics.h"
#include "zkclob/wire.h"

/* Control records in the op ring (never produced by the wire parser). */
#define ZK_OP_CTL_GAP 0x80 /* seq = expected, order_id = received */
#define ZK_OP_CTL_EOS 0x81 /* end of the MoldUDP64 session */
/* Profiling mode only: one per rx burst, ahead of its ops. order_id = the
 * burst's arrival time, new_order_id = when it was parsed and enqueued
 * (zk_latency_now() ticks). */
#define ZK_OP_CTL_STAMP 0x82

enum zk_gap_policy {
	ZK_GAP_SKIP = 0, /* record the gap in the next batch and go on */
	ZK_GAP_HALT = 1, /* stop applying ops; the daemon reports and exits */
};

struct zk_port_cfg {
	const char *name;     /* ethdev name, e.g. "net_pcap0" */
	uint32_t mbufs;       /* mbuf pool size */
	uint32_t mbuf_cache;  /* per-lcore mempool cache */
	uint16_t rx_desc;
	uint16_t tx_desc;
	int socket;           /* NUMA node for the pool, SOCKET_ID_ANY ok */
};

/* Creates the pool, configures one rx and one tx queue, starts the port.
 * 0, or -1 with a reason in err. */
int zk_port_init(const struct zk_port_cfg *cfg, uint16_t *port_id,
		 struct rte_mempool **pool, char *err, size_t errlen);
void zk_port_close(uint16_t port_id);

struct zk_rx_stats {
	uint64_t bursts;         /* non-empty rx bursts */
	uint64_t paced_waits;    /* polls held back by the rate (rate != 0) */
	uint64_t tsc_first, tsc_last; /* first and last non-empty burst
				       * (rte_get_timer_cycles) */
	uint64_t frames;
	uint64_t ops_enqueued;
	uint64_t ctl_enqueued;
	uint64_t ring_full_stalls; /* enqueue attempts refused by a full ring */
	uint64_t multiseg_frames;
	uint64_t lost_on_abort;  /* ops not enqueued because of an abort */
	struct zk_wire_stats wire;
};

struct zk_rx_ctx {
	uint16_t port_id;
	uint16_t burst;          /* <= ZK_RX_MAX_BURST */
	struct rte_ring *ring;   /* ops, 64-byte elements */
	struct zk_wire_cfg wire;
	bool stop_on_eos;        /* stop rx after the end-of-session packet */
	uint64_t rate;           /* messages/s to take from the port; 0: all
				  * it delivers (see zk_rx_lcore) */
	volatile int *stop;
	struct zk_metrics_std *metrics; /* NULL: no metrics */
	struct zk_latency *latency;     /* NULL or disabled: no profiling */
	_Atomic int done;        /* set by the rx loop when it has returned */
	struct zk_rx_stats stats;
};

#define ZK_RX_MAX_BURST 256

/* rte_eal_remote_launch() entry: arg is a struct zk_rx_ctx. */
int zk_rx_lcore(void *arg);

struct zk_seq_stats {
	uint64_t ops;
	uint64_t batches;
	uint64_t gaps;
	uint64_t empty_polls;
	uint64_t events[ZK_EV_DONE + 1];
	bool halted;             /* stopped by a gap under ZK_GAP_HALT */
	uint64_t halted_ops;     /* ops received after the halt, not applied */
	uint64_t halt_expected, halt_received;
	bool eos;                /* end of session seen */
};

/* Takes ownership of batch and of stamps: NULL, or (profiling mode) one
 * zk_latency_stamp_pack() word per op of the batch, in op order — the
 * arrival of the rx burst that carried the op and its enqueue time.
 * at_boundary: the engine holds exactly the state after this batch (no op
 * of the next one applied yet; false after a timeout cut found while
 * pushing). The sink runs on the sequencer, so it may read the engine.
 * Returns 0, or -1 to stop the sequencer. */
typedef int (*zk_batch_sink_fn)(void *ctx, struct zk_batch *batch,
				uint64_t *stamps, bool at_boundary);

/* Profiling: arrival stamps of the ops applied but not yet delivered in a
 * batch, run-length coded (one run per rx burst), oldest first. */
struct zk_stamp_run {
	uint64_t stamp;
	uint64_t n;
};

struct zk_seq_ctx {
	struct rte_ring *ring;
	struct zk_batcher *batcher;
	enum zk_gap_policy gap_policy;
	zk_batch_sink_fn sink;
	void *sink_ctx;
	volatile int *stop;
	const struct zk_rx_ctx *rx; /* drained after rx->done */
	/* SIGHUP: when *reload is set the loop clears it and calls
	 * reload_fn between bursts (never inside a batch's op run). */
	struct zk_latency *latency; /* NULL or disabled: no profiling */
	uint64_t stamp_dequeued;    /* profiling: current burst's dequeue time */
	uint64_t stamp_current;     /* profiling: the last stamp record's word */
	struct zk_stamp_run *runs;  /* profiling: FIFO, freed by the loop */
	size_t runs_head, runs_len, runs_cap;
	uint64_t stamps_lost;       /* ops at the FIFO's head whose stamp could
				     * not be kept (ENOMEM); delivered as 0 */
	uint64_t delivered_ops;     /* ops in batches handed to the sink */
	volatile int *reload;
	void (*reload_fn)(void *arg, struct zk_seq_ctx *seq);
	void *reload_arg;
	struct zk_events_digest digest; /* over every event, in order */
	struct zk_seq_stats stats;
	int error;               /* non-zero: the loop ended on an error */
};

int zk_seq_lcore(void *arg);

#endif /* ZKCLOB_DATAPLANE_H */
