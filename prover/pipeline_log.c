/* SPDX-License-Identifier: MIT */
/*
 * The proving pipeline's log thread (include/zkclob/pipeline.h): writes
 * each job's record in commit order once it is done, polls the proof log
 * for due fdatasyncs, keeps the latency figures.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zkclob/pipeline.h"
#include "pipeline_int.h"

void zk_pl_lat_push(struct lat_vec *l, uint64_t v)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		uint64_t *nv = realloc(l->v, cap * sizeof(*nv));

		if (nv == NULL)
			return; /* a figure lost, never the record */
		l->v = nv;
		l->cap = cap;
	}
	l->v[l->n++] = v;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t zk_pl_lat_pct(struct zk_pipeline *p, struct lat_vec *l, double q)
{
	uint64_t r = 0;
	size_t i;

	pthread_mutex_lock(&p->mu);
	if (l->n > 0) {
		qsort(l->v, l->n, sizeof(*l->v), cmp_u64);
		i = (size_t)(q / 100.0 * (double)(l->n - 1) + 0.5);
		r = l->v[i < l->n ? i : l->n - 1];
	}
	pthread_mutex_unlock(&p->mu);
	return r;
}

/* Append j's record; fills rec. Log thread, mu not held. */
static int write_record(struct zk_pipeline *p, struct job *j,
			struct zk_pipeline_record *rec)
{
	struct zk_prooflog *log = p->cfg.log;
	uint64_t seq = 0;
	int rc = 0;

	memset(rec, 0, sizeof(*rec));
	rec->skip = j->skip;
	rec->skip_first = j->skip_first;
	rec->skip_last = j->skip_last;
	rec->resync = j->resync ? &j->rs : NULL;
	rec->st = j->resync ? NULL : &j->st;
	rec->proven = j->proven;
	rec->backend = j->backend;
	rec->backend_name = "";
	if (j->proven) {
		struct zk_backend *be = zk_router_backend(p->cfg.router, j->backend);

		if (be != NULL)
			rec->backend_name = zk_backend_info(be)->name;
	}
	rec->attempts = j->attempts;
	rec->unproven_reason = j->proven || j->skip ? 0
			       : j->resync ? j->rs.reason : j->reason_code;
	rec->reason = j->reason;
	rec->proof = j->proof;
	rec->proof_len = j->proof_len;
	if (j->part != NULL) {
		rec->n_ops = (uint32_t)j->part->n_ops;
		rec->arrivals = j->stamps;
		rec->t_first_ns = j->part->t_first_ns;
		rec->t_cut_ns = j->part->t_cut_ns;
	}
	rec->t_commit_start_ns = j->t_commit_start ? j->t_commit_start
						   : j->t_committed;
	rec->t_committed_ns = j->t_committed;
	rec->t_started_ns = j->t_start ? j->t_start : j->t_committed;
	rec->t_proved_ns = j->t_proved ? j->t_proved : j->t_committed;
	if (log != NULL) {
		if (j->skip)
			rc = zk_prooflog_append_skip(log, 0, j->skip_first,
						     j->skip_last, 0, &seq);
		else if (j->resync)
			rc = zk_prooflog_append_resync(log, &j->rs, &seq);
		else if (j->proven)
			rc = zk_prooflog_append_proof(log, &j->st, j->proof,
						      j->proof_len, &seq);
		else
			rc = zk_prooflog_append_unproven(log, &j->st,
							 j->reason_code,
							 j->reason, &seq);
		if (rc == 0)
			rc = zk_prooflog_poll(log, 0);
		rec->durable_seq = zk_prooflog_durable_seq(log);
	}
	rec->log_seq = seq;
	rec->t_logged_ns = zk_pl_now_ns();
	return rc;
}

void *zk_pl_log_main(void *arg)
{
	struct zk_pipeline *p = arg;
	const struct zk_placement *plan = p->cfg.plan;
	char err[160];

	if (plan != NULL && plan->this_machine &&
	    plan->role[ZK_ROLE_LOG_WRITER].count > 0)
		(void)zk_placement_pin_self(plan, ZK_ROLE_LOG_WRITER, 0, err,
					    sizeof(err));
	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct zk_pipeline_record rec;
		struct job *j = p->head;
		int rc;

		if (p->halted)
			break;
		if (j == NULL || j->state != JOB_DONE) {
			struct timespec ts;

			if (j == NULL && p->commit_done && p->workers_done)
				break;
			/* wake now and then: interval fdatasyncs are due
			 * even when no record arrives */
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += LOG_POLL_NS;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&p->cv_log, &p->mu, &ts);
			if (p->cfg.log != NULL) {
				pthread_mutex_unlock(&p->mu);
				rc = zk_prooflog_poll(p->cfg.log, 0);
				pthread_mutex_lock(&p->mu);
				p->stats.durable_seq =
					zk_prooflog_durable_seq(p->cfg.log);
				if (rc != 0)
					zk_pl_halt_locked(p, "proof log: %s",
						    zk_prooflog_errmsg(p->cfg.log));
			}
			continue;
		}
		if (!j->proven && !j->skip && !j->resync &&
		    p->halt_on_unprovable) {
			zk_pl_halt_locked(p, "market %" PRIu32 " batch %" PRIu64
				    " (ops %" PRIu64 "..%" PRIu64 ") is unproven"
				    " (%s: %s) and on_unprovable = halt",
				    j->st.market, j->st.batch_seq, j->st.first_seq,
				    j->st.last_seq,
				    zk_unproven_reason_name(j->reason_code),
				    j->reason);
			break;
		}
		p->head = j->next;
		if (p->head == NULL)
			p->tail = NULL;
		pthread_mutex_unlock(&p->mu);
		rc = write_record(p, j, &rec);
		if (rc == 0 && p->cfg.on_record != NULL)
			p->cfg.on_record(p->cfg.arg, &rec);
		pthread_mutex_lock(&p->mu);
		if (rc != 0) {
			zk_pl_halt_locked(p, "proof log: %s",
				    zk_prooflog_errmsg(p->cfg.log));
			zk_pl_job_free(j);
			break;
		}
		p->stats.records += p->cfg.log != NULL;
		p->stats.durable_seq = rec.durable_seq;
		p->stats.last_seq = rec.log_seq;
		if (j->skip) {
			p->stats.skips++;
		} else if (j->resync) {
			p->stats.resync_records++;
			p->stats.resync_ops += j->rs.ops;
		} else if (j->proven) {
			p->stats.proven++;
			p->stats.proven_ops += j->part->n_ops;
			if (j->backend >= 0 && j->backend < ZK_ROUTER_MAX_BACKENDS)
				p->stats.by_backend[j->backend]++;
			zk_pl_lat_push(&p->proof_lat, j->t_proved - j->t_start);
		} else {
			p->stats.unproven_total++;
			if (j->reason_code <= ZK_UNPROVEN__MAX)
				p->stats.unproven[j->reason_code]++;
		}
		if (!j->skip && !j->resync)
			zk_pl_lat_push(&p->log_lat, rec.t_logged_ns - rec.t_cut_ns);
		zk_pl_job_free(j);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}
