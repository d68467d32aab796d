/* SPDX-License-Identifier: MIT */
/*
 * zkclob — the proving pipeline (DESIGN.md §2): what zkclobd does with each
 * batch the sequencer cuts, without DPDK so that it is testable alone.
 *
 * Spec
 *  - submit(batch) → COMMIT (one thread, in submit order): a recorded gap
 *    becomes a skip record (when skip_gaps), the batch is split per market
 *    (zk_batch_split_by_market), each part gets its market's next batch_seq
 *    and is applied to its market's state tree (zk_clob_commit; the trees
 *    are built from the engine's books at create time, so create runs
 *    before the sequencer applies anything) → bounded WORK QUEUE → N
 *    WORKER threads (zk_router_prove, the committed part as witness) →
 *    REORDER by commit order → LOG (one thread: every part becomes one
 *    record in commit order, so each market's root chain is continuous).
 *  - Backpressure: submit waits while the commit input holds queue_depth
 *    batches, the commit stage while the work queue holds queue_depth
 *    parts; both waits are counted. Nothing is dropped.
 *  - A part no backend proves: halt_on_unprovable false → an unproven
 *    record (reason code + text) keeps the chain; true → the pipeline
 *    halts: that part and everything after it is not logged, submit
 *    refuses (-1) and zk_pipeline_halted() says why.
 *  - A part whose tree update fails (the witness does not apply: book and
 *    tree disagree) halts the pipeline too: no later root could chain.
 *  - skip_on_backlog ([prover] on_backlog = skip): submit never waits. A
 *    batch that finds the commit input full — or arrives while a backlog
 *    is open — is not committed (returns 1, batch freed): the engine
 *    applied it, the prover never sees it. Its ops are accounted per
 *    market; at the first later submit with room whose batch ends at a
 *    batch boundary (at_boundary: the engine holds exactly the state after
 *    that batch; the batch itself joins the backlog) the submitting thread
 *    copies the touched markets' slots (cfg.engine, read on the submitting
 *    thread, which must be the engine's owner) and queues a resync item in
 *    stream order. The commit thread rebuilds each such market's tree from
 *    its copy and logs a resync record (prooflog.h): the market's unproven
 *    op range, ops, batches and the root its chain resumes from; a gap
 *    inside the backlog is logged as its skip record before them.
 *    finish() closes an open backlog the same way (waiting for room).
 *  - finish(): no more submits; commits everything, lets the workers finish
 *    (or, with abandon_on_stop, logs parts not yet proving as unproven
 *    "abandoned"), writes every record, flushes the log (fdatasync).
 *  - on_record runs on the log thread, in commit order, after the record
 *    was appended (not yet durable; durable_seq says how far that is).
 *  - Arrival stamps (submit_stamped, profiling) follow each op into its
 *    market's part and come out in that part's record.
 *  - Thread safety: submit from one thread; set_policy, halted and stats
 *    from any thread.
 */
#ifndef ZKCLOB_PIPELINE_H
#define ZKCLOB_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zkclob/batch.h"
#include "zkclob/engine.h"
#include "zkclob/placement.h"
#include "zkclob/prooflog.h"
#include "zkclob/router.h"
#include "zkclob/statement.h"

#define ZK_PIPELINE_MAX_MARKETS 64

struct zk_pipeline_record {
	bool skip;                  /* a gap's skip record, no statement */
	uint64_t skip_first, skip_last;
	/* a backlog's resync record (no statement, st NULL), else NULL */
	const struct zk_prooflog_resync *resync;
	const struct zk_statement *st; /* as logged (params_id of the prover) */
	bool proven;
	int backend;                /* router index, -1 when not proven */
	const char *backend_name;   /* "" when not proven */
	uint32_t attempts;
	uint32_t unproven_reason;   /* enum zk_unproven_reason, 0 when proven */
	const char *reason;         /* router / backend text, "" when proven */
	const uint8_t *proof;
	size_t proof_len;
	uint32_t n_ops;
	/* the part's ops' arrival stamps (zk_latency_stamp_pack words, op
	 * order) when the batch was submitted with stamps; NULL otherwise */
	const uint64_t *arrivals;
	uint64_t t_first_ns;        /* the batch's first op (CLOCK_MONOTONIC) */
	uint64_t t_cut_ns;          /* the batch was cut */
	uint64_t t_commit_start_ns; /* the commit thread took the batch */
	uint64_t t_committed_ns;
	uint64_t t_started_ns;      /* a worker took it (committed when none) */
	uint64_t t_proved_ns;       /* the worker finished (committed when none) */
	uint64_t t_logged_ns;
	uint64_t log_seq;           /* 0 without a log */
	uint64_t durable_seq;       /* the log's durable seq at this moment */
};

struct zk_pipeline_cfg {
	const struct zk_engine *engine; /* books the trees start from */
	const uint32_t *markets;        /* one state tree per market */
	size_t n_markets;
	struct zk_router *router;   /* not owned */
	struct zk_prooflog *log;    /* not owned; NULL: records are not kept */
	unsigned workers;           /* >= 1 */
	uint32_t queue_depth;       /* >= 1 */
	enum zk_workload workload;
	bool halt_on_unprovable;
	bool abandon_on_stop;
	bool skip_gaps;             /* a batch's recorded gap → skip record */
	bool skip_on_backlog;       /* on_backlog = skip (see the spec) */
	/* Optional: pin workers (ZK_ROLE_PROVER) and the log thread
	 * (ZK_ROLE_LOG_WRITER), proof buffers on the worker's node. */
	const struct zk_placement *plan;
	size_t proof_cap;           /* proof buffer per worker; 0 = 16 MiB */
	void (*on_record)(void *arg, const struct zk_pipeline_record *rec);
	void *arg;
};

struct zk_pipeline_stats {
	uint64_t batches;          /* submitted */
	uint64_t parts;            /* committed per-market batches */
	uint64_t proven;
	uint64_t unproven[ZK_UNPROVEN__MAX + 1]; /* by enum zk_unproven_reason */
	uint64_t unproven_total;
	uint64_t skips;            /* skip records (gaps) */
	uint64_t part_ops;         /* ops in committed parts */
	uint64_t proven_ops;       /* ops in proven parts */
	uint64_t backlog_batches;  /* on_backlog = skip: batches not committed */
	uint64_t backlog_ops;
	uint64_t backlog_ranges;   /* backlogs closed (resync items queued) */
	uint64_t resync_records;   /* resync records logged (one per market) */
	uint64_t resync_ops;       /* ops those records cover */
	uint64_t records;          /* log records written by the pipeline */
	uint64_t by_backend[ZK_ROUTER_MAX_BACKENDS]; /* proofs per backend */
	uint64_t submit_waits;     /* submit found the commit input full */
	uint64_t queue_waits;      /* commit found the work queue full */
	uint64_t queue_depth;      /* parts waiting for a worker now */
	uint64_t max_queue_depth;
	uint64_t durable_seq;      /* the log's, 0 without a log */
	uint64_t last_seq;         /* the log's last appended record */
	bool halted;
	char halt_reason[320];
};

struct zk_pipeline;

/* Builds the trees and starts the threads. NULL with a reason in err. */
struct zk_pipeline *zk_pipeline_create(const struct zk_pipeline_cfg *cfg,
				       char *err, size_t errlen);

/* Hand over a cut batch (ownership too). Waits while the input is full.
 * 0, or -1 when the pipeline halted or is finishing (batch freed). */
int zk_pipeline_submit(struct zk_pipeline *p, struct zk_batch *batch);

/* The same with one arrival stamp per op of the batch (owned from here,
 * NULL allowed): each part's record then carries its ops' stamps. */
int zk_pipeline_submit_stamped(struct zk_pipeline *p, struct zk_batch *batch,
			       uint64_t *stamps);

/* The same, saying whether the engine is at the boundary right after this
 * batch (needed to close a backlog under skip_on_backlog). 0 committed
 * later, 1 backlogged (applied unproven; batch and stamps freed), -1 as
 * zk_pipeline_submit. */
int zk_pipeline_submit_ex(struct zk_pipeline *p, struct zk_batch *batch,
			  uint64_t *stamps, bool at_boundary);

/* SIGHUP: what may change at run time. */
void zk_pipeline_set_policy(struct zk_pipeline *p, bool halt_on_unprovable,
			    bool abandon_on_stop);

/* Drain, stop the threads, flush the log. 0, or -1 when the pipeline
 * halted or the log failed (stats.halt_reason says which). Idempotent. */
int zk_pipeline_finish(struct zk_pipeline *p);

bool zk_pipeline_halted(const struct zk_pipeline *p);
void zk_pipeline_get_stats(struct zk_pipeline *p, struct zk_pipeline_stats *s);

/* Percentile q (0..100) of the proof latency (worker start → done, proven
 * parts) and of batch cut → record logged, in ns; 0 when none. */
uint64_t zk_pipeline_proof_latency(struct zk_pipeline *p, double q);
uint64_t zk_pipeline_log_latency(struct zk_pipeline *p, double q);

/* finish() if needed, then free everything (not the router or the log). */
void zk_pipeline_destroy(struct zk_pipeline *p);

#endif /* ZKCLOB_PIPELINE_H */
