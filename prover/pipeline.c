/* SPDX-License-Identifier: MIT */
/*
 * The proving pipeline (include/zkclob/pipeline.h): submit, commit
 * thread, worker threads, life cycle; the log thread is in pipeline_log.c.
 *
 * One mutex guards the queues. It is taken a few times per batch part, and
 * a part costs milliseconds of proving, so it never shows beside the work;
 * the per-op hot path (rx, sequencer) never touches it. Jobs live in one
 * list in commit order; workers take the oldest queued job, the log thread
 * only ever looks at the head, so the reorder buffer is the list itself
 * and is bounded by the two queue depths plus the workers.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zkclob/clobproof.h"
#include "zkclob/pipeline.h"
#include "zkclob/statetree.h"
#include "pipeline_int.h"

void zk_pl_halt_locked(struct zk_pipeline *p, const char *fmt, ...)
{
	va_list ap;

	if (p->halted)
		return;
	/* zk_pipeline_halted() reads it without the lock */
	__atomic_store_n(&p->halted, true, __ATOMIC_RELAXED);
	p->stats.halted = true;
	va_start(ap, fmt);
	vsnprintf(p->stats.halt_reason, sizeof(p->stats.halt_reason), fmt, ap);
	va_end(ap);
	pthread_cond_broadcast(&p->cv_commit);
	pthread_cond_broadcast(&p->cv_work);
	pthread_cond_broadcast(&p->cv_log);
	pthread_cond_broadcast(&p->cv_space);
}

void zk_pl_job_free(struct job *j)
{
	if (j == NULL)
		return;
	zk_batch_free(j->part);
	free(j->stamps);
	zk_st_destroy(j->retired_tree);
	zk_st_update_free(&j->upd);
	free(j->proof);
	free(j);
}

bool zk_pl_enqueue_job(struct zk_pipeline *p, struct job *j, bool work)
{
	if (work && p->work_len >= p->cfg.queue_depth && !p->halted) {
		p->stats.queue_waits++;
		while (p->work_len >= p->cfg.queue_depth && !p->halted)
			pthread_cond_wait(&p->cv_space, &p->mu);
	}
	if (p->halted)
		return false;
	if (p->tail != NULL)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	if (work) {
		if (p->work_tail != NULL)
			p->work_tail->next_work = j;
		else
			p->work_head = j;
		p->work_tail = j;
		p->work_len++;
		if (p->work_len > p->stats.max_queue_depth)
			p->stats.max_queue_depth = p->work_len;
		pthread_cond_signal(&p->cv_work);
	} else {
		pthread_cond_signal(&p->cv_log);
	}
	return true;
}

struct market_state *zk_pl_market_of(struct zk_pipeline *p, uint32_t market)
{
	for (size_t i = 0; i < p->n_markets; i++)
		if (p->markets[i].market == market)
			return &p->markets[i];
	return NULL;
}

/* The stamps of the parent's ops that belong to part's market, in order:
 * zk_batch_split_by_market keeps each market's ops in their order. NULL
 * when there are none to give (or no memory: a profile sample lost). */
static uint64_t *part_stamps(const struct zk_batch *b, const uint64_t *stamps,
			     const struct zk_batch *part)
{
	uint64_t *out;
	size_t i, k = 0;

	if (stamps == NULL || part->n_ops == 0)
		return NULL;
	out = malloc(part->n_ops * sizeof(*out));
	if (out == NULL)
		return NULL;
	for (i = 0; i < b->n_ops && k < part->n_ops; i++)
		if (b->ops[i].market == part->ops[0].market)
			out[k++] = stamps[i];
	return out;
}

/* Commit one cut batch: skip record, then one job per market part. */
static int commit_batch(struct zk_pipeline *p, struct zk_batch *b,
			const uint64_t *stamps, uint64_t t_start)
{
	struct zk_batch *parts[ZK_PIPELINE_MAX_MARKETS];
	char err[256];
	long n, i;
	int rc = 0;

	if (b->gap_expected != 0 && b->gap_received > b->gap_expected &&
	    p->cfg.skip_gaps) {
		struct job *j = calloc(1, sizeof(*j));

		if (j == NULL)
			return -ENOMEM;
		j->skip = true;
		j->skip_first = b->gap_expected;
		j->skip_last = b->gap_received - 1;
		j->state = JOB_DONE;
		j->t_committed = zk_pl_now_ns();
		pthread_mutex_lock(&p->mu);
		if (!zk_pl_enqueue_job(p, j, false)) {
			pthread_mutex_unlock(&p->mu);
			zk_pl_job_free(j);
			return -ECANCELED;
		}
		pthread_mutex_unlock(&p->mu);
	}
	n = zk_batch_split_by_market(b, parts, ZK_PIPELINE_MAX_MARKETS);
	if (n < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		struct market_state *m = zk_pl_market_of(p, parts[i]->ops[0].market);
		struct job *j = NULL;

		if (rc != 0 || m == NULL || (j = calloc(1, sizeof(*j))) == NULL) {
			if (rc == 0) {
				pthread_mutex_lock(&p->mu);
				zk_pl_halt_locked(p, m == NULL ?
					    "batch %" PRIu64 " holds market %" PRIu32
					    ", which has no state tree" :
					    "out of memory committing batch %" PRIu64
					    " (market %" PRIu32 ")",
					    b->batch_seq, parts[i]->ops[0].market);
				pthread_mutex_unlock(&p->mu);
				rc = m == NULL ? -EINVAL : -ENOMEM;
			}
			zk_batch_free(parts[i]);
			continue;
		}
		j->part = parts[i];
		j->stamps = part_stamps(b, stamps, parts[i]);
		j->t_commit_start = t_start;
		j->backend = -1;
		j->part->batch_seq = m->batch_seq + 1;
		if (zk_clob_commit(j->part, m->tree, &j->upd, &j->st, err,
				   sizeof(err)) != ZK_CLOB_OK) {
			pthread_mutex_lock(&p->mu);
			zk_pl_halt_locked(p, "commit of market %" PRIu32 " batch %" PRIu64
				    " failed: %s", m->market, j->part->batch_seq,
				    err);
			pthread_mutex_unlock(&p->mu);
			zk_pl_job_free(j);
			rc = -EPROTO;
			continue;
		}
		m->batch_seq++;
		j->t_committed = zk_pl_now_ns();
		pthread_mutex_lock(&p->mu);
		p->stats.parts++;
		p->stats.part_ops += j->part->n_ops;
		if (!zk_pl_enqueue_job(p, j, true)) {
			pthread_mutex_unlock(&p->mu);
			zk_pl_job_free(j);
			rc = -ECANCELED;
			continue;
		}
		pthread_mutex_unlock(&p->mu);
	}
	return rc;
}

static void *commit_main(void *arg)
{
	struct zk_pipeline *p = arg;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct zk_batch *b;
		struct zk_pl_resync *rs;
		uint64_t *stamps;

		while (p->in_len == 0 && !p->finishing && !p->halted)
			pthread_cond_wait(&p->cv_commit, &p->mu);
		if (p->halted || p->in_len == 0)
			break;
		b = p->inq[p->in_head];
		stamps = p->inq_stamps[p->in_head];
		rs = p->inq_resync[p->in_head];
		p->in_head = (p->in_head + 1) % p->cfg.queue_depth;
		p->in_len--;
		pthread_cond_broadcast(&p->cv_space);
		pthread_mutex_unlock(&p->mu);
		if (rs != NULL)
			zk_pl_commit_resync(p, rs);
		else
			commit_batch(p, b, stamps, zk_pl_now_ns());
		zk_pl_resync_free(rs);
		zk_batch_free(b);
		free(stamps);
		pthread_mutex_lock(&p->mu);
	}
	/* halted: batches never committed are freed here */
	while (p->in_len > 0) {
		zk_pl_resync_free(p->inq_resync[p->in_head]);
		free(p->inq_stamps[p->in_head]);
		zk_batch_free(p->inq[p->in_head]);
		p->in_head = (p->in_head + 1) % p->cfg.queue_depth;
		p->in_len--;
	}
	p->commit_done = true;
	pthread_cond_broadcast(&p->cv_work);
	pthread_cond_broadcast(&p->cv_log);
	pthread_cond_broadcast(&p->cv_space);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static uint32_t reason_of(const struct zk_route_result *res)
{
	switch (res->status) {
	case ZK_ROUTE_NO_BACKEND:
		return ZK_UNPROVEN_NO_BACKEND;
	case ZK_ROUTE_DEADLINE:
		return ZK_UNPROVEN_DEADLINE;
	case ZK_ROUTE_UNSUPPORTED:
		return ZK_UNPROVEN_UNSUPPORTED;
	default:
		return strstr(res->reason, "unsupported") != NULL
			       ? ZK_UNPROVEN_UNSUPPORTED : ZK_UNPROVEN_FAILED;
	}
}

static void prove_job(struct zk_pipeline *p, struct job *j, struct zk_proof *buf)
{
	struct zk_route_request req = {
		.st = &j->st, .witness = j->part,
		.n_ops = (uint32_t)j->part->n_ops, .workload = p->cfg.workload,
	};
	struct zk_route_result res;

	buf->len = 0;
	if (zk_router_prove(p->cfg.router, &req, buf, &res) != ZK_ROUTE_OK) {
		j->reason_code = reason_of(&res);
		snprintf(j->reason, sizeof(j->reason), "%s", res.reason);
		j->attempts = res.attempts;
		return;
	}
	j->proof = malloc(buf->len ? buf->len : 1);
	if (j->proof == NULL) {
		j->reason_code = ZK_UNPROVEN_FAILED;
		snprintf(j->reason, sizeof(j->reason),
			 "out of memory keeping a %zu-byte proof", buf->len);
		return;
	}
	memcpy(j->proof, buf->data, buf->len);
	j->proof_len = buf->len;
	j->st = res.statement;
	j->proven = true;
	j->backend = res.backend;
	j->attempts = res.attempts;
}

struct worker_arg {
	struct zk_pipeline *p;
	unsigned index;
};

static void *worker_main(void *arg)
{
	struct worker_arg *wa = arg;
	struct zk_pipeline *p = wa->p;
	const struct zk_placement *plan = p->cfg.plan;
	struct zk_proof buf = { .cap = p->cfg.proof_cap };
	unsigned idx = wa->index;
	int node = -1;
	char err[160];

	free(wa);
	if (plan != NULL && plan->this_machine &&
	    plan->role[ZK_ROLE_PROVER].count > 0) {
		unsigned slot = idx % plan->role[ZK_ROLE_PROVER].count;

		if (zk_placement_pin_self(plan, ZK_ROLE_PROVER, (int)slot, err,
					  sizeof(err)) == 0)
			node = plan->role[ZK_ROLE_PROVER].node[slot];
	}
	/* scratch on the worker's node; plain pages when that fails */
	buf.data = zk_node_alloc(node < 0 ? 0 : node, buf.cap);
	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct job *j;

		while (p->work_head == NULL && !p->commit_done && !p->halted)
			pthread_cond_wait(&p->cv_work, &p->mu);
		if (p->halted || p->work_head == NULL)
			break;
		j = p->work_head;
		p->work_head = j->next_work;
		if (p->work_head == NULL)
			p->work_tail = NULL;
		p->work_len--;
		pthread_cond_broadcast(&p->cv_space);
		if (p->finishing && p->abandon_on_stop) {
			j->reason_code = ZK_UNPROVEN_ABANDONED;
			snprintf(j->reason, sizeof(j->reason),
				 "abandoned at shutdown (on_stop = abandon)");
			j->t_start = j->t_proved = zk_pl_now_ns();
			j->state = JOB_DONE;
			pthread_cond_signal(&p->cv_log);
			continue;
		}
		j->state = JOB_PROVING;
		pthread_mutex_unlock(&p->mu);
		j->t_start = zk_pl_now_ns();
		if (buf.data == NULL) {
			j->reason_code = ZK_UNPROVEN_FAILED;
			snprintf(j->reason, sizeof(j->reason),
				 "worker %u has no proof buffer", idx);
		} else {
			prove_job(p, j, &buf);
		}
		j->t_proved = zk_pl_now_ns();
		pthread_mutex_lock(&p->mu);
		j->state = JOB_DONE;
		pthread_cond_signal(&p->cv_log);
	}
	p->workers_running--;
	if (p->workers_running == 0) {
		p->workers_done = true;
		pthread_cond_broadcast(&p->cv_log);
	}
	pthread_mutex_unlock(&p->mu);
	if (buf.data != NULL)
		zk_node_free(buf.data, buf.cap);
	return NULL;
}


static int start_threads(struct zk_pipeline *p, char *err, size_t errlen)
{
	unsigned i;

	p->worker_tid = calloc(p->cfg.workers, sizeof(*p->worker_tid));
	if (p->worker_tid == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (pthread_create(&p->log_tid, NULL, zk_pl_log_main, p) != 0) {
		snprintf(err, errlen, "cannot start the log thread");
		return -1;
	}
	p->log_started = true;
	for (i = 0; i < p->cfg.workers; i++) {
		struct worker_arg *wa = malloc(sizeof(*wa));

		if (wa == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		wa->p = p;
		wa->index = i;
		pthread_mutex_lock(&p->mu);
		p->workers_running++;
		pthread_mutex_unlock(&p->mu);
		if (pthread_create(&p->worker_tid[i], NULL, worker_main, wa) != 0) {
			pthread_mutex_lock(&p->mu);
			p->workers_running--;
			pthread_mutex_unlock(&p->mu);
			free(wa);
			snprintf(err, errlen, "cannot start prover worker %u", i);
			return -1;
		}
		p->n_workers_started++;
	}
	if (pthread_create(&p->commit_tid, NULL, commit_main, p) != 0) {
		snprintf(err, errlen, "cannot start the commit thread");
		return -1;
	}
	p->commit_started = true;
	return 0;
}

struct zk_pipeline *zk_pipeline_create(const struct zk_pipeline_cfg *cfg,
				       char *err, size_t errlen)
{
	struct zk_pipeline *p;
	size_t i;

	if (cfg == NULL || cfg->engine == NULL || cfg->router == NULL ||
	    cfg->workers == 0 || cfg->queue_depth == 0 || cfg->n_markets == 0 ||
	    cfg->n_markets > ZK_PIPELINE_MAX_MARKETS || cfg->markets == NULL) {
		snprintf(err, errlen, "bad pipeline config (engine, router, "
			 "workers >= 1, queue_depth >= 1, 1..%d markets)",
			 ZK_PIPELINE_MAX_MARKETS);
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->cfg = *cfg;
	if (p->cfg.proof_cap == 0)
		p->cfg.proof_cap = DEFAULT_PROOF_CAP;
	p->halt_on_unprovable = cfg->halt_on_unprovable;
	p->abandon_on_stop = cfg->abandon_on_stop;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv_commit, NULL);
	pthread_cond_init(&p->cv_work, NULL);
	pthread_cond_init(&p->cv_log, NULL);
	pthread_cond_init(&p->cv_space, NULL);
	p->inq = calloc(cfg->queue_depth, sizeof(*p->inq));
	p->inq_stamps = calloc(cfg->queue_depth, sizeof(*p->inq_stamps));
	p->inq_resync = calloc(cfg->queue_depth, sizeof(*p->inq_resync));
	if (p->inq == NULL || p->inq_stamps == NULL || p->inq_resync == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	for (i = 0; i < cfg->n_markets; i++) {
		/* arity 4: the shape the CLOB AIR proves (clobproof.h) */
		p->markets[i].market = cfg->markets[i];
		p->markets[i].tree = zk_st_create(cfg->engine, cfg->markets[i], 4);
		if (p->markets[i].tree == NULL) {
			snprintf(err, errlen, "state tree of market %" PRIu32 ": %s",
				 cfg->markets[i], strerror(errno));
			goto fail;
		}
		p->n_markets++;
	}
	if (start_threads(p, err, errlen) != 0)
		goto fail;
	return p;
fail:
	zk_pipeline_destroy(p);
	return NULL;
}

int zk_pipeline_submit(struct zk_pipeline *p, struct zk_batch *batch)
{
	return zk_pipeline_submit_stamped(p, batch, NULL);
}

int zk_pipeline_submit_stamped(struct zk_pipeline *p, struct zk_batch *batch,
			       uint64_t *stamps)
{
	return zk_pipeline_submit_ex(p, batch, stamps, false);
}

/* Caller holds mu and has checked for room. */
static void in_push(struct zk_pipeline *p, struct zk_batch *batch,
		    uint64_t *stamps, struct zk_pl_resync *rs)
{
	size_t slot = (p->in_head + p->in_len) % p->cfg.queue_depth;

	p->inq[slot] = batch;
	p->inq_stamps[slot] = stamps;
	p->inq_resync[slot] = rs;
	p->in_len++;
	pthread_cond_signal(&p->cv_commit);
}

/* Submitting thread: snapshot the backlog's markets now (the engine is at
 * a batch boundary) and queue the resync item; wait for room when asked
 * (finish), else the caller has seen room. -1: not closed (halted, or no
 * memory for the snapshot: tried again at the next boundary). */
static int backlog_close(struct zk_pipeline *p, bool wait)
{
	struct zk_pl_resync *rs = zk_pl_backlog_take(p);

	if (rs == NULL)
		return -1;
	pthread_mutex_lock(&p->mu);
	while (wait && p->in_len >= p->cfg.queue_depth && !p->halted)
		pthread_cond_wait(&p->cv_space, &p->mu);
	if (p->halted || p->in_len >= p->cfg.queue_depth) {
		pthread_mutex_unlock(&p->mu);
		zk_pl_resync_free(rs);
		return -1;
	}
	in_push(p, NULL, NULL, rs);
	p->stats.backlog_ranges++;
	pthread_mutex_unlock(&p->mu);
	return 0;
}

/* on_backlog = skip and no room (or a backlog open): account the batch. */
static int backlog_submit(struct zk_pipeline *p, struct zk_batch *batch,
			  uint64_t *stamps, bool at_boundary)
{
	bool room;
	int rc;

	p->stats.backlog_batches++;
	p->stats.backlog_ops += batch->n_ops;
	rc = zk_pl_backlog_add(p, batch);
	if (rc != 0)
		zk_pl_halt_locked(p, "backlog of batch %" PRIu64 ": %s",
				  batch->batch_seq, strerror(-rc));
	room = p->in_len < p->cfg.queue_depth && !p->halted;
	pthread_mutex_unlock(&p->mu);
	zk_batch_free(batch);
	free(stamps);
	if (rc != 0)
		return -1;
	if (room && at_boundary)
		(void)backlog_close(p, false);
	return 1;
}

int zk_pipeline_submit_ex(struct zk_pipeline *p, struct zk_batch *batch,
			  uint64_t *stamps, bool at_boundary)
{
	pthread_mutex_lock(&p->mu);
	if (p->cfg.skip_on_backlog && !p->halted && !p->finishing &&
	    (p->backlog.open || p->in_len >= p->cfg.queue_depth))
		return backlog_submit(p, batch, stamps, at_boundary);
	if (p->in_len >= p->cfg.queue_depth && !p->halted && !p->finishing) {
		p->stats.submit_waits++;
		while (p->in_len >= p->cfg.queue_depth && !p->halted &&
		       !p->finishing)
			pthread_cond_wait(&p->cv_space, &p->mu);
	}
	if (p->halted || p->finishing) {
		pthread_mutex_unlock(&p->mu);
		zk_batch_free(batch);
		free(stamps);
		return -1;
	}
	in_push(p, batch, stamps, NULL);
	p->stats.batches++;
	pthread_mutex_unlock(&p->mu);
	return 0;
}

void zk_pipeline_set_policy(struct zk_pipeline *p, bool halt_on_unprovable,
			    bool abandon_on_stop)
{
	pthread_mutex_lock(&p->mu);
	p->halt_on_unprovable = halt_on_unprovable;
	p->abandon_on_stop = abandon_on_stop;
	pthread_cond_broadcast(&p->cv_log);
	pthread_mutex_unlock(&p->mu);
}

int zk_pipeline_finish(struct zk_pipeline *p)
{
	unsigned i;
	int rc;

	if (p->finished)
		return p->finish_rc;
	/* the submitting thread is done: the engine holds the state after
	 * the last batch, a boundary, so an open backlog closes here */
	if (p->backlog.open && backlog_close(p, true) != 0) {
		pthread_mutex_lock(&p->mu);
		zk_pl_halt_locked(p, "cannot close the backlog at shutdown "
				  "(snapshot: %s)", strerror(errno));
		pthread_mutex_unlock(&p->mu);
	}
	pthread_mutex_lock(&p->mu);
	p->finishing = true;
	pthread_cond_broadcast(&p->cv_commit);
	pthread_cond_broadcast(&p->cv_space);
	pthread_cond_broadcast(&p->cv_work);
	pthread_mutex_unlock(&p->mu);
	if (p->commit_started)
		pthread_join(p->commit_tid, NULL);
	if (!p->commit_started) {
		pthread_mutex_lock(&p->mu);
		p->commit_done = true;
		pthread_cond_broadcast(&p->cv_work);
		pthread_mutex_unlock(&p->mu);
	}
	for (i = 0; i < p->n_workers_started; i++)
		pthread_join(p->worker_tid[i], NULL);
	pthread_mutex_lock(&p->mu);
	p->workers_done = true;
	pthread_cond_broadcast(&p->cv_log);
	pthread_mutex_unlock(&p->mu);
	if (p->log_started)
		pthread_join(p->log_tid, NULL);
	/* halted: jobs never logged are dropped here, and said so */
	while (p->head != NULL) {
		struct job *j = p->head;

		p->head = j->next;
		zk_pl_job_free(j);
	}
	p->tail = NULL;
	rc = 0;
	if (p->cfg.log != NULL) {
		if (zk_prooflog_flush(p->cfg.log) != 0 && !p->halted) {
			p->halted = p->stats.halted = true;
			snprintf(p->stats.halt_reason, sizeof(p->stats.halt_reason),
				 "proof log flush: %s",
				 zk_prooflog_errmsg(p->cfg.log));
		}
		p->stats.durable_seq = zk_prooflog_durable_seq(p->cfg.log);
		p->stats.last_seq = zk_prooflog_last_seq(p->cfg.log);
	}
	if (p->halted)
		rc = -1;
	p->finished = true;
	p->finish_rc = rc;
	return rc;
}

bool zk_pipeline_halted(const struct zk_pipeline *p)
{
	return __atomic_load_n(&p->halted, __ATOMIC_RELAXED);
}

void zk_pipeline_get_stats(struct zk_pipeline *p, struct zk_pipeline_stats *s)
{
	pthread_mutex_lock(&p->mu);
	*s = p->stats;
	s->queue_depth = p->work_len;
	pthread_mutex_unlock(&p->mu);
}

uint64_t zk_pipeline_proof_latency(struct zk_pipeline *p, double q)
{
	return zk_pl_lat_pct(p, &p->proof_lat, q);
}

uint64_t zk_pipeline_log_latency(struct zk_pipeline *p, double q)
{
	return zk_pl_lat_pct(p, &p->log_lat, q);
}

void zk_pipeline_destroy(struct zk_pipeline *p)
{
	size_t i;

	if (p == NULL)
		return;
	zk_pipeline_finish(p);
	for (i = 0; i < p->n_markets; i++)
		zk_st_destroy(p->markets[i].tree);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv_commit);
	pthread_cond_destroy(&p->cv_work);
	pthread_cond_destroy(&p->cv_log);
	pthread_cond_destroy(&p->cv_space);
	free(p->inq);
	free(p->inq_stamps);
	free(p->inq_resync);
	free(p->backlog.gaps);
	while (p->n_retired > 0)
		zk_st_destroy(p->retired[--p->n_retired]);
	free(p->retired);
	free(p->worker_tid);
	free(p->proof_lat.v);
	free(p->log_lat.v);
	free(p);
}
