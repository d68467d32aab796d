/* SPDX-License-Identifier: MIT */
/*
 * zkclobd's proving stage: builds the router from [router] and the
 * backends [prover] names, opens (recovers) the proof log, runs the
 * pipeline, and turns each logged record into metrics and an audit record.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <blake2.h>

#include "zkclob/backend.h"
#include "zkclob/latency.h"
#include "zkclob/pipeline.h"
#include "zkclob/prooflog.h"
#include "zkclob/router.h"
#include "params.h"
#include "zkclobd_prove.h"

/* hashproof's parameter id in zkclobd logs: not a native CLOB set, so
 * verify-log never mistakes its MACs for STARK proofs. */
#define HASHPROOF_PARAMS_ID 0x00ff0001u

struct zkd_prover {
	struct zk_router *router;
	struct zk_prooflog *log;
	struct zk_pipeline *pipe;
	struct zk_audit *audit;
	struct zk_metrics_std *std;
	uint64_t restart_seq;     /* the restart record written at start, 0 none */
	struct zk_prooflog_scan scan;
	bool log_existed;
	uint64_t audit_failures;
	/* metrics: the std series, per backend by router index (same order) */
	struct zk_backend_stats seen[ZK_ROUTER_MAX_BACKENDS];
	uint64_t seen_retries;
	/* records appended, waiting to be durable: first op → durable, and
	 * (profiling, proven parts) each op's arrival → durable */
	struct zk_latency *lat;
	struct pending {
		uint64_t seq, t_first, t_proved;
		uint64_t *arrivals; /* n stamps, owned; NULL: not profiled */
		uint32_t n;
	} *pend;
	size_t pend_head, pend_len, pend_cap;
	uint64_t *durable_ns; /* first op → durable, per proven/unproven part */
	size_t n_durable, cap_durable;
	size_t n_backends;
	char backend_names[ZK_ROUTER_MAX_BACKENDS][ZK_BACKEND_NAME_MAX];
};

static struct zk_backend *make_backend(const struct zk_config *cfg,
				       const char *name, char *err,
				       size_t errlen)
{
	struct zk_backend *be;

	if (strncmp(name, "external:", strlen("external:")) == 0)
		return zkd_external_backend(cfg, name, err, errlen);
	if (strcmp(name, "hashproof") == 0) {
		struct zk_hashproof_cfg hc = {
			.name = "hashproof", .params_id = HASHPROOF_PARAMS_ID,
		};

		be = zk_hashproof_create(&hc);
	} else {
		const struct zk_stark_params *sp =
			zk_stark_params_by_name(name + strlen("clob-"));
		struct zk_clob_backend_cfg cc = {
			.name = name, .threads = cfg->prover.threads,
			.markets = cfg->markets, .n_markets = cfg->n_markets,
		};

		if (sp == NULL) {
			snprintf(err, errlen, "[prover] backends: %s: no such STARK parameter set",
				 name);
			return NULL;
		}
		cc.stark_params = (uint8_t)sp->id;
		be = zk_clob_backend_create(&cc);
	}
	if (be == NULL)
		snprintf(err, errlen, "[prover] backends: %s: %s", name,
			 strerror(errno));
	return be;
}

/* A proof a backend produced and verification refused: into the audit log
 * (proving threads; the audit log serialises its writers). */
static void audit_verify_failure(void *arg, const struct zk_statement *st,
				 const char *backend, const uint8_t *proof,
				 size_t len, const char *reason)
{
	struct zkd_prover *p = arg;
	uint8_t h[ZK_AUDIT_HASH_SIZE];

	if (p->audit == NULL)
		return;
	blake2b(h, proof, NULL, sizeof(h), len, 0);
	if (zk_audit_verify_failure(p->audit, st, backend, h, reason) != 0)
		__atomic_fetch_add(&p->audit_failures, 1, __ATOMIC_RELAXED);
}

static int make_router(struct zkd_prover *p, const struct zk_config *cfg,
		       char *err, size_t errlen)
{
	struct zk_router_opts ro = { .on_verify_failure = audit_verify_failure,
				     .observer_arg = p };
	uint32_t i;

	p->router = zk_router_create(&cfg->router, &ro, err, errlen);
	if (p->router == NULL)
		return -1;
	for (i = 0; i < cfg->prover.n_backends; i++) {
		char berr[256];
		struct zk_backend *be = make_backend(cfg, cfg->prover.backends[i],
						     err, errlen);

		if (be == NULL)
			return -1;
		if (i == 0 && cfg->prover.fault[0] != '\0') {
			struct zk_fault_cfg fc;

			if (zk_fault_parse(cfg->prover.fault, &fc, berr,
					   sizeof(berr)) != 0) {
				snprintf(err, errlen, "[prover] fault: %s", berr);
				zk_backend_destroy(be);
				return -1;
			}
			be = zk_fault_create(be, &fc);
			if (be == NULL) {
				snprintf(err, errlen, "[prover] fault: out of memory");
				return -1;
			}
		}
		if (zk_router_add_backend(p->router, be, berr, sizeof(berr)) < 0) {
			snprintf(err, errlen, "[prover] backends: %s: %s",
				 cfg->prover.backends[i], berr);
			return -1;
		}
		snprintf(p->backend_names[i], sizeof(p->backend_names[i]), "%s",
			 zk_backend_info(zk_router_backend(p->router, (int)i))->name);
		p->n_backends++;
	}
	return 0;
}

/* The log's folder when it is one level that does not exist yet. */
static void make_parent(const char *path)
{
	char dir[512];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash != NULL && slash != dir) {
		*slash = '\0';
		(void)mkdir(dir, 0755);
	}
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* A proven part's record is durable at `now`: its log stage, and every
 * op's frame arrival → durable (per op: a few ns each beside a proof). */
static void record_durable(struct zkd_prover *p, const struct pending *e,
			   uint64_t now)
{
	if (e->arrivals == NULL)
		return;
	zk_latency_record(p->lat, ZK_LAT_LOG, 0, e->t_proved, now);
	zk_latency_record_arrivals(p->lat, ZK_LAT_END_TO_END, 0, e->arrivals,
				   e->n, sizeof(e->arrivals[0]), now);
}

/* The log's writer thread: records up to durable_seq are on disk now. */
static void on_durable(void *arg, uint64_t durable_seq)
{
	struct zkd_prover *p = arg;
	uint64_t now = mono_ns();

	while (p->pend_len > 0 && p->pend[p->pend_head].seq <= durable_seq) {
		struct pending *e = &p->pend[p->pend_head];

		record_durable(p, e, now);
		free(e->arrivals);
		e->arrivals = NULL;
		if (p->std != NULL)
			zk_histogram_observe(p->std->batch_latency, now - e->t_first);
		if (p->n_durable == p->cap_durable) {
			size_t cap = p->cap_durable ? p->cap_durable * 2 : 4096;
			uint64_t *v = realloc(p->durable_ns, cap * sizeof(*v));

			if (v != NULL) {
				p->durable_ns = v;
				p->cap_durable = cap;
			}
		}
		if (p->n_durable < p->cap_durable)
			p->durable_ns[p->n_durable++] = now - e->t_first;
		p->pend_head++;
		p->pend_len--;
	}
	if (p->pend_len == 0)
		p->pend_head = 0;
}

/* Takes arrivals (may be NULL). */
static void pending_push(struct zkd_prover *p, uint64_t seq, uint64_t t_first,
			 uint64_t t_proved, uint64_t *arrivals, uint32_t n)
{
	if (p->pend_head + p->pend_len == p->pend_cap) {
		if (p->pend_head > 0) {
			memmove(p->pend, p->pend + p->pend_head,
				p->pend_len * sizeof(*p->pend));
			p->pend_head = 0;
		} else {
			size_t cap = p->pend_cap ? p->pend_cap * 2 : 1024;
			struct pending *v = realloc(p->pend, cap * sizeof(*v));

			if (v == NULL) {
				free(arrivals);
				return; /* a latency sample lost, not a record */
			}
			p->pend = v;
			p->pend_cap = cap;
		}
	}
	p->pend[p->pend_head + p->pend_len++] =
		(struct pending){ seq, t_first, t_proved, arrivals, n };
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double durable_pct_ms(struct zkd_prover *p, double q)
{
	size_t i;

	if (p->n_durable == 0)
		return 0;
	i = (size_t)(q / 100.0 * (double)(p->n_durable - 1) + 0.5);
	return (double)p->durable_ns[i] / 1e6;
}

static int open_log(struct zkd_prover *p, const struct zk_config *cfg,
		    char *err, size_t errlen)
{
	const struct zk_config_prover *pc = &cfg->prover;
	struct zk_prooflog_opts o = {
		.sync = pc->log_sync, .sync_every_n = pc->log_sync_every,
		.sync_interval_us = pc->log_sync_interval_us,
		.fault_sync_delay_us = pc->fault_log_delay_us,
		.on_durable = on_durable, .on_durable_arg = p,
	};
	struct timespec ts;
	int rc;

	make_parent(pc->log);
	rc = zk_prooflog_open(pc->log, ZK_PROOFLOG_CREATE, &o, &p->log, &p->scan);
	if (rc != 0) {
		snprintf(err, errlen, "proof log %s: %s%s%s", pc->log,
			 strerror(-rc), p->scan.reason[0] ? ": " : "",
			 p->scan.reason);
		return -1;
	}
	p->log_existed = p->scan.records > 0;
	printf("prooflog: %s: %" PRIu64 " records kept%s%s\n", pc->log,
	       p->scan.records, p->scan.truncated ? "; torn tail truncated: " : "",
	       p->scan.truncated ? p->scan.reason : "");
	if (!p->log_existed)
		return 0;
	/* the books start empty again: say so in the log, so that every
	 * market's root chain visibly restarts instead of breaking */
	clock_gettime(CLOCK_REALTIME, &ts);
	rc = zk_prooflog_append_restart(p->log,
					(uint64_t)ts.tv_sec * 1000000000u +
						(uint64_t)ts.tv_nsec,
					&p->restart_seq);
	if (rc == 0)
		rc = zk_prooflog_flush(p->log);
	if (rc != 0) {
		snprintf(err, errlen, "proof log %s: restart record: %s", pc->log,
			 zk_prooflog_errmsg(p->log));
		return -1;
	}
	printf("prooflog: continuing after record %" PRIu64 " (last durable); restart record %" PRIu64
	       ": every market's chain starts again from the empty book\n",
	       p->scan.last_seq, p->restart_seq);
	return 0;
}

/* The names zkclobd's backends will have (router order), for the metric
 * labels registered before the backends exist. */
int zkd_prover_backend_names(const struct zk_config *cfg,
			     char names[][ZK_BACKEND_NAME_MAX], size_t max)
{
	size_t i;

	if (!cfg->prover.enabled)
		return 0;
	for (i = 0; i < cfg->prover.n_backends && i < max; i++)
		snprintf(names[i], ZK_BACKEND_NAME_MAX, "%s%s",
			 i == 0 && cfg->prover.fault[0] ? "fault:" : "",
			 cfg->prover.backends[i]);
	return (int)i;
}

/* Attempt outcomes, declines, failovers and breakers from the router's
 * own counters (the record only says who proved it in the end). */
static void publish_router(struct zkd_prover *p)
{
	struct zk_metrics_std *m = p->std;
	struct zk_router_stats rs;
	size_t i;

	for (i = 0; i < p->n_backends; i++) {
		struct zk_backend_stats b, *o = &p->seen[i];

		if (zk_router_backend_stats(p->router, (int)i, &b) != 0)
			continue;
		if (m != NULL && i < ZK_METRICS_STD_MAX_BACKENDS) {
			zk_counter_add(m->proofs[i][ZK_PROOF_RESULT_FAILED],
				       b.failures - b.timeouts - b.rejects -
				       (o->failures - o->timeouts - o->rejects));
			zk_counter_add(m->proofs[i][ZK_PROOF_RESULT_TIMEOUT],
				       b.timeouts - o->timeouts);
			zk_counter_add(m->proofs[i][ZK_PROOF_RESULT_REJECTED],
				       b.rejects - o->rejects);
			zk_gauge_set(m->breaker_state[i], (int64_t)b.breaker);
		}
		if (m != NULL && i < ZK_METRICS_STD_MAX_BACKENDS)
			zk_counter_add(m->router_declines[i],
				       b.unsupported - o->unsupported);
		*o = b;
	}
	zk_router_stats(p->router, &rs);
	if (m != NULL)
		zk_counter_add(m->router_failovers, rs.retries - p->seen_retries);
	p->seen_retries = rs.retries;
}

/*
 * Profiling, a proven part (docs/latency.md): batch cut → proof done and
 * its four parts now; the log stage and each op's end to end once the
 * record is durable. Only proven parts are profiled, so end_to_end counts
 * exactly the ops proven and every one of them has its batch's proving
 * sample (end_to_end of an op >= proving of its batch).
 */
static void profile_proven(struct zkd_prover *p,
			   const struct zk_pipeline_record *r)
{
	uint64_t *copy;

	zk_latency_record(p->lat, ZK_LAT_PROVING, 0, r->t_cut_ns, r->t_proved_ns);
	zk_latency_record(p->lat, ZK_LAT_COMMIT_WAIT, 0, r->t_cut_ns,
			  r->t_commit_start_ns);
	zk_latency_record(p->lat, ZK_LAT_COMMIT, 0, r->t_commit_start_ns,
			  r->t_committed_ns);
	zk_latency_record(p->lat, ZK_LAT_PROVE_WAIT, 0, r->t_committed_ns,
			  r->t_started_ns);
	zk_latency_record(p->lat, ZK_LAT_PROVE, 0, r->t_started_ns,
			  r->t_proved_ns);
	if (r->log_seq == 0)
		return; /* no log: nothing becomes durable */
	copy = malloc(r->n_ops * sizeof(*copy));
	if (copy != NULL)
		memcpy(copy, r->arrivals, r->n_ops * sizeof(*copy));
	if (r->log_seq > r->durable_seq) {
		/* before it can be durable: on_durable runs in this thread */
		pending_push(p, r->log_seq, r->t_first_ns, r->t_proved_ns, copy,
			     r->n_ops);
	} else {
		/* already durable (a sync completed in the append's poll) */
		struct pending e = { r->log_seq, r->t_first_ns, r->t_proved_ns,
				     copy, r->n_ops };

		record_durable(p, &e, mono_ns());
		free(copy);
	}
}

/* Log thread, commit order. */
static void on_record(void *arg, const struct zk_pipeline_record *r)
{
	struct zkd_prover *p = arg;
	struct zk_metrics_std *m = p->std;
	struct zk_pipeline_stats ps;
	/* a batch part's record (not a gap's skip, not a backlog's resync) */
	bool part = !r->skip && r->resync == NULL;

	publish_router(p);
	if (r->proven && r->arrivals != NULL)
		profile_proven(p, r);
	else if (r->log_seq != 0 && part && r->log_seq > r->durable_seq)
		/* before it can be durable: on_durable runs in this thread */
		pending_push(p, r->log_seq, r->t_first_ns, r->t_proved_ns,
			     NULL, 0);
	if (m != NULL) {
		zk_pipeline_get_stats(p->pipe, &ps);
		zk_gauge_set(m->prover_queue, (int64_t)ps.queue_depth);
		if (r->log_seq != 0) {
			zk_counter_inc(m->log_records);
			zk_gauge_set(m->log_durable_seq, (int64_t)r->durable_seq);
			zk_gauge_set(m->log_durable_lag,
				     (int64_t)(r->log_seq - r->durable_seq));
		}
		if (part) {
			zk_histogram_observe(m->commit_seconds,
					     r->t_committed_ns - r->t_cut_ns);
			zk_histogram_observe(m->batch_to_log,
					     r->t_logged_ns - r->t_first_ns);
		}
		if (part && !r->proven && r->unproven_reason >= 1 &&
		    r->unproven_reason <= ZK_UNPROVEN__MAX)
			zk_counter_inc(m->unproven[r->unproven_reason - 1]);
		/* a resync record stands for every batch of its range */
		if (r->resync != NULL && r->unproven_reason >= 1 &&
		    r->unproven_reason <= ZK_UNPROVEN__MAX)
			zk_counter_add(m->unproven[r->unproven_reason - 1],
				       r->resync->batches);
		if (r->proven && r->backend >= 0 &&
		    r->backend < ZK_METRICS_STD_MAX_BACKENDS &&
		    (size_t)r->backend < p->n_backends) {
			zk_counter_inc(m->proofs[r->backend][ZK_PROOF_RESULT_OK]);
			zk_histogram_observe(m->proof_seconds[r->backend],
					     r->t_proved_ns - r->t_started_ns);
		}
	}
	if (r->proven && p->audit != NULL) {
		uint8_t h[ZK_AUDIT_HASH_SIZE];

		blake2b(h, r->proof, NULL, sizeof(h), r->proof_len, 0);
		if (zk_audit_proof(p->audit, r->st, r->backend_name, h,
				   r->proof_len) != 0)
			__atomic_fetch_add(&p->audit_failures, 1, __ATOMIC_RELAXED);
	}
}

int zkd_prover_start(const struct zk_config *cfg,
		     const struct zk_placement *plan,
		     const struct zk_engine *engine, struct zk_metrics_std *std,
		     struct zk_audit *audit, struct zk_latency *lat,
		     struct zkd_prover **out)
{
	const struct zk_config_prover *pc = &cfg->prover;
	uint32_t markets[ZK_PIPELINE_MAX_MARKETS];
	struct zk_pipeline_cfg pcfg;
	struct zkd_prover *p;
	char err[1400]; /* a path, a reason, a scan's reason */
	size_t i;

	*out = NULL;
	if (!pc->enabled)
		return 0;
	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		fprintf(stderr, "zkclobd: prover: out of memory\n");
		return -1;
	}
	p->audit = audit;
	p->std = std;
	p->lat = lat;
	if (make_router(p, cfg, err, sizeof(err)) != 0 ||
	    (pc->log[0] != '\0' && open_log(p, cfg, err, sizeof(err)) != 0))
		goto fail;
	for (i = 0; i < cfg->n_markets && i < ZK_PIPELINE_MAX_MARKETS; i++)
		markets[i] = cfg->markets[i].market;
	memset(&pcfg, 0, sizeof(pcfg));
	pcfg.engine = engine;
	pcfg.markets = markets;
	pcfg.n_markets = i;
	pcfg.router = p->router;
	pcfg.log = p->log;
	pcfg.workers = pc->workers ? pc->workers
				   : plan->role[ZK_ROLE_PROVER].count;
	if (pcfg.workers == 0)
		pcfg.workers = 1;
	pcfg.queue_depth = pc->queue_depth;
	pcfg.workload = pc->workload;
	pcfg.halt_on_unprovable = pc->on_unprovable == ZK_UNPROVABLE_HALT;
	pcfg.abandon_on_stop = pc->abandon_on_stop != 0;
	pcfg.skip_gaps = !cfg->batch.gap_halt;
	pcfg.skip_on_backlog = pc->skip_on_backlog != 0;
	pcfg.plan = plan;
	pcfg.on_record = on_record;
	pcfg.arg = p;
	p->pipe = zk_pipeline_create(&pcfg, err, sizeof(err));
	if (p->pipe == NULL)
		goto fail;
	printf("prover:  %u workers, backends", pcfg.workers);
	for (i = 0; i < p->n_backends; i++)
		printf(" %s", p->backend_names[i]);
	printf(", log %s (fdatasync %s), on_unprovable %s, on_backlog %s\n",
	       pc->log[0] ? pc->log : "(none)",
	       zk_config_log_sync_name(pc->log_sync),
	       pc->on_unprovable == ZK_UNPROVABLE_HALT ? "halt" : "log",
	       pc->skip_on_backlog ? "skip" : "stall");
	*out = p;
	return 0;
fail:
	fprintf(stderr, "zkclobd: prover: %s\n", err);
	zkd_prover_destroy(p);
	return -1;
}

int zkd_prover_submit(struct zkd_prover *p, struct zk_batch *batch,
		      uint64_t *stamps, bool at_boundary)
{
	return zk_pipeline_submit_ex(p->pipe, batch, stamps, at_boundary);
}

bool zkd_prover_halted(const struct zkd_prover *p)
{
	return p != NULL && zk_pipeline_halted(p->pipe);
}

void zkd_prover_reload(struct zkd_prover *p, const struct zk_config *next)
{
	char err[256];

	if (p == NULL)
		return;
	zk_pipeline_set_policy(p->pipe,
			       next->prover.on_unprovable == ZK_UNPROVABLE_HALT,
			       next->prover.abandon_on_stop != 0);
	if (zk_router_reconfigure(p->router, &next->router, err, sizeof(err)) != 0)
		fprintf(stderr, "zkclobd: reload: [router]: %s; router unchanged\n",
			err);
}

int zkd_prover_finish(struct zkd_prover *p)
{
	return p == NULL ? 0 : zk_pipeline_finish(p->pipe);
}

void zkd_prover_summary(struct zkd_prover *p, FILE *out, double secs)
{
	struct zk_pipeline_stats s;
	uint32_t i;

	if (p == NULL)
		return;
	zk_pipeline_get_stats(p->pipe, &s);
	fprintf(out, "proving: %" PRIu64 " batch parts (per market) from %" PRIu64
		" batches: %" PRIu64 " proven, %" PRIu64 " unproven",
		s.parts, s.batches, s.proven, s.unproven_total);
	for (i = 1; i <= ZK_UNPROVEN__MAX; i++)
		if (s.unproven[i])
			fprintf(out, " (%s %" PRIu64 ")", zk_unproven_reason_name(i),
				s.unproven[i]);
	fprintf(out, ", %" PRIu64 " gap skips; %" PRIu64 " ops in parts\n",
		s.skips, s.part_ops);
	if (s.backlog_batches > 0 || s.resync_records > 0)
		fprintf(out, "backlog: %" PRIu64 " batches (%" PRIu64 " ops) applied "
			"unproven (on_backlog = skip), %" PRIu64 " ranges closed, %"
			PRIu64 " resync records covering %" PRIu64 " ops\n",
			s.backlog_batches, s.backlog_ops, s.backlog_ranges,
			s.resync_records, s.resync_ops);
	fprintf(out, "throughput: %" PRIu64 " ops proven, %.0f proven ops/s over "
		"the %.3f s run\n", s.proven_ops,
		secs > 0 ? (double)s.proven_ops / secs : 0, secs);
	fprintf(out, "proofs: ");
	for (i = 0; i < p->n_backends; i++)
		fprintf(out, " %s %" PRIu64, p->backend_names[i], s.by_backend[i]);
	fprintf(out, "; latency P50 %.3f ms, P99 %.3f ms (proven); batch cut -> logged P50 %.3f ms, P99 %.3f ms\n",
		(double)zk_pipeline_proof_latency(p->pipe, 50) / 1e6,
		(double)zk_pipeline_proof_latency(p->pipe, 99) / 1e6,
		(double)zk_pipeline_log_latency(p->pipe, 50) / 1e6,
		(double)zk_pipeline_log_latency(p->pipe, 99) / 1e6);
	if (p->log != NULL && p->n_durable > 0) {
		qsort(p->durable_ns, p->n_durable, sizeof(*p->durable_ns), cmp_u64);
		fprintf(out, "durable: first op of a batch -> its record durable P50 %.3f ms, P99 %.3f ms over %zu batch parts\n",
			durable_pct_ms(p, 50), durable_pct_ms(p, 99), p->n_durable);
	}
	{
		struct zk_router_stats rs;
		uint64_t declines = 0;

		zk_router_stats(p->router, &rs);
		for (i = 0; i < p->n_backends; i++) {
			struct zk_backend_stats b;

			if (zk_router_backend_stats(p->router, (int)i, &b) == 0)
				declines += b.unsupported;
		}
		fprintf(out, "router:  %" PRIu64 " requests, %" PRIu64 " ok, %" PRIu64
			" failovers, %" PRIu64 " declines (outside a backend's coverage)\n",
			rs.requests, rs.ok, rs.retries, declines);
	}
	fprintf(out, "backpressure: %" PRIu64 " submit waits, %" PRIu64
		" work-queue waits, deepest queue %" PRIu64 "\n",
		s.submit_waits, s.queue_waits, s.max_queue_depth);
	if (p->log != NULL)
		fprintf(out, "prooflog: %" PRIu64 " records this run, last seq %" PRIu64
			", durable seq %" PRIu64 "%s\n",
			s.records + (p->restart_seq != 0), s.last_seq, s.durable_seq,
			p->restart_seq ? " (continued after a restart record)" : "");
	if (p->audit_failures)
		fprintf(out, "audit:   %" PRIu64 " proof records could not be written\n",
			p->audit_failures);
	if (s.halted)
		fprintf(out, "PROVING HALTED: %s\n", s.halt_reason);
}

void zkd_prover_destroy(struct zkd_prover *p)
{
	if (p == NULL)
		return;
	zk_pipeline_destroy(p->pipe);
	if (p->log != NULL) {
		int rc = zk_prooflog_close(p->log);

		if (rc != 0)
			fprintf(stderr, "zkclobd: proof log: close: %s\n",
				strerror(-rc));
	}
	zk_router_destroy(p->router);
	while (p->pend_len > 0) /* a halted log: never durable */
		free(p->pend[p->pend_head + --p->pend_len].arrivals);
	free(p->pend);
	free(p->durable_ns);
	free(p);
}
