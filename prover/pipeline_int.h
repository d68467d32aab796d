/* SPDX-License-Identifier: MIT */
/*
 * The proving pipeline's insides, shared by prover/pipeline.c (submit,
 * commit thread, workers, life cycle) and prover/pipeline_log.c (the log
 * thread). Not an API: include/zkclob/pipeline.h is.
 *
 * Spec
 *  - struct zk_pipeline's queues and flags are guarded by mu.
 *  - zk_pl_halt_locked: caller holds mu; the first reason wins.
 *  - zk_pl_job_free frees a job and everything it owns.
 *  - backlog (on_backlog = skip) is touched only by the submitting thread
 *    (the engine's owner): zk_pl_backlog_add/take; the resync item it
 *    yields goes through the commit input like a batch.
 */
#ifndef ZKCLOB_PROVER_PIPELINE_INT_H
#define ZKCLOB_PROVER_PIPELINE_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "zkclob/book_snapshot.h"
#include "zkclob/pipeline.h"
#include "zkclob/prooflog.h"
#include "zkclob/statetree.h"

#define DEFAULT_PROOF_CAP (16u << 20)
#define LOG_POLL_NS 1000000 /* the log thread wakes this often when idle */

enum job_state { JOB_QUEUED, JOB_PROVING, JOB_DONE };

struct job {
	struct job *next;       /* commit order */
	struct job *next_work;  /* work queue */
	enum job_state state;
	bool skip;
	uint64_t skip_first, skip_last;
	bool resync;            /* a backlog's resync record (rs) */
	struct zk_prooflog_resync rs;
	/* resync: the market's tree it replaced. Parts committed before it
	 * still point into it (zk_batch.tree_layout) until they are logged;
	 * the log thread frees jobs in commit order, so by the time it frees
	 * this one every earlier part is done and freed. */
	struct zk_st_tree *retired_tree;
	struct zk_batch *part;
	uint64_t *stamps;       /* part's ops' arrival stamps, or NULL */
	struct zk_st_update upd;
	struct zk_statement st;
	bool proven;
	int backend;
	uint32_t attempts;
	uint32_t reason_code;
	char reason[256];
	uint8_t *proof;
	size_t proof_len;
	uint64_t t_commit_start, t_committed, t_start, t_proved;
};

struct market_state {
	uint32_t market;
	struct zk_st_tree *tree;
	uint64_t batch_seq;
};

struct lat_vec {
	uint64_t *v;
	size_t n, cap;
};

/* One market's part of a backlog: its ops the prover never saw. */
struct zk_pl_range {
	uint32_t market;
	uint64_t first_seq, last_seq, ops, batches;
	uint64_t last_batch;    /* the stream batch_seq last counted */
};

struct zk_pl_gap {
	uint64_t first, last;   /* a sequence gap inside the backlog */
};

struct zk_pl_backlog {
	bool open;
	size_t n;
	struct zk_pl_range m[ZK_PIPELINE_MAX_MARKETS];
	struct zk_pl_gap *gaps;
	size_t n_gaps, cap_gaps;
};

/* Closes a backlog: the ranges, and each market's book right after them. */
struct zk_pl_resync {
	struct zk_pl_backlog bl;
	struct zk_book_snapshot *snap[ZK_PIPELINE_MAX_MARKETS];
};

struct zk_pipeline {
	struct zk_pipeline_cfg cfg;
	pthread_mutex_t mu;
	pthread_cond_t cv_commit, cv_work, cv_log, cv_space;

	/* commit input: batches from submit and their stamps, or (batch
	 * NULL) a backlog's resync item */
	struct zk_batch **inq;
	uint64_t **inq_stamps;
	struct zk_pl_resync **inq_resync;
	struct zk_pl_backlog backlog;
	/* trees replaced by a resync whose job never reached the log (halt):
	 * a worker may still read them, so they live until destroy */
	struct zk_st_tree **retired;
	size_t n_retired;
	size_t in_head, in_len;
	/* jobs in commit order, and the work queue (a sub-list) */
	struct job *head, *tail;
	struct job *work_head, *work_tail;
	size_t work_len;

	bool finishing, commit_done, workers_done, halted, finished;
	bool halt_on_unprovable, abandon_on_stop;
	unsigned workers_running;
	int finish_rc;

	size_t n_markets;
	struct market_state markets[ZK_PIPELINE_MAX_MARKETS];
	pthread_t commit_tid, log_tid, *worker_tid;
	unsigned n_workers_started;
	bool commit_started, log_started;

	struct zk_pipeline_stats stats;
	struct lat_vec proof_lat, log_lat;
};

static inline uint64_t zk_pl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void zk_pl_halt_locked(struct zk_pipeline *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void zk_pl_job_free(struct job *j);
/* Caller holds mu; a record-only job (work false) or one for a worker
 * (waits for room in the work queue). false: halted. */
bool zk_pl_enqueue_job(struct zk_pipeline *p, struct job *j, bool work);
struct market_state *zk_pl_market_of(struct zk_pipeline *p, uint32_t market);

/* pipeline_backlog.c. add: 0, or -ENOMEM / -ENOSPC (too many markets). */
int zk_pl_backlog_add(struct zk_pipeline *p, const struct zk_batch *b);
/* Snapshots every market of the open backlog and closes it; NULL (errno)
 * leaves it open. */
struct zk_pl_resync *zk_pl_backlog_take(struct zk_pipeline *p);
void zk_pl_resync_free(struct zk_pl_resync *rs);
/* Commit thread: gap skip records, then per market the rebuilt tree and
 * its resync record. Frees nothing (the caller frees rs). */
int zk_pl_commit_resync(struct zk_pipeline *p, struct zk_pl_resync *rs);
void zk_pl_lat_push(struct lat_vec *l, uint64_t v);
uint64_t zk_pl_lat_pct(struct zk_pipeline *p, struct lat_vec *l, double q);
/* The log thread's body (pthread entry, arg = the pipeline). */
void *zk_pl_log_main(void *arg);

#endif /* ZKCLOB_PROVER_PIPELINE_INT_H */
