/* SPDX-License-Identifier: MIT */
/*
 * The appliance's own series, registered in one place so that names, help
 * texts, label names and bucket layouts match docs/metrics.md,
 * configs/alerts.yml and configs/dashboard.json.
 */
#include <errno.h>
#include <string.h>

#include "metrics_priv.h"

static const char *const proof_result_names[ZK_PROOF_RESULT_COUNT] = {
	[ZK_PROOF_RESULT_OK] = "ok",
	[ZK_PROOF_RESULT_FAILED] = "failed",
	[ZK_PROOF_RESULT_TIMEOUT] = "timeout",
	[ZK_PROOF_RESULT_REJECTED] = "rejected",
};

const char *
zk_metrics_proof_result_name(enum zk_metrics_proof_result r)
{
	return (unsigned int)r < ZK_PROOF_RESULT_COUNT ? proof_result_names[r] :
							 "unknown";
}

static int
count_values(const char *const *values, unsigned int max, const char *what,
	     unsigned int *n, char *err, size_t errlen)
{
	*n = 0;
	if (values == NULL)
		return 0;
	while (values[*n] != NULL) {
		if (*n == max) {
			snprintf(err, errlen, "more than %u %s", max, what);
			return -1;
		}
		(*n)++;
	}
	return 0;
}

static int
check(const void *series, const char *name, char *err, size_t errlen)
{
	if (series != NULL)
		return 0;
	snprintf(err, errlen, "%s: cannot register: %s", name,
		 strerror(errno));
	return -1;
}

/* One counter per value of a single label. */
static int
labelled_counters(struct zk_metrics *reg, const char *name, const char *help,
		  const char *label, const char *const *values, unsigned int n,
		  struct zk_counter **out, char *err, size_t errlen)
{
	for (unsigned int i = 0; i < n; i++) {
		struct zk_metric_label l = { label, values[i] };

		out[i] = zk_metrics_counter(reg, name, help, &l, 1);
		if (check(out[i], name, err, errlen) != 0)
			return -1;
	}
	return 0;
}

static int
backend_series(struct zk_metrics *reg, const char *backend,
	       struct zk_metrics_std *std, unsigned int b, char *err,
	       size_t errlen)
{
	const struct zk_hist_spec lat = ZK_HIST_LATENCY_NS;
	struct zk_metric_label l[2] = { { "backend", backend }, { "result", "" } };

	std->proof_seconds[b] = zk_metrics_histogram(reg,
		ZK_METRIC_PROOF_SECONDS,
		"Time one backend took to prove one batch (each attempt).",
		l, 1, &lat);
	if (check(std->proof_seconds[b], ZK_METRIC_PROOF_SECONDS, err, errlen))
		return -1;
	std->verify_seconds[b] = zk_metrics_histogram(reg,
		ZK_METRIC_VERIFY_SECONDS,
		"Time one backend took to verify one proof.", l, 1, &lat);
	if (check(std->verify_seconds[b], ZK_METRIC_VERIFY_SECONDS, err,
		  errlen))
		return -1;
	for (unsigned int r = 0; r < ZK_PROOF_RESULT_COUNT; r++) {
		l[1].value = proof_result_names[r];
		std->proofs[b][r] = zk_metrics_counter(reg, ZK_METRIC_PROOFS,
			"Proof attempts per backend by outcome (ok, failed, timeout, rejected by verify).",
			l, 2);
		if (check(std->proofs[b][r], ZK_METRIC_PROOFS, err, errlen))
			return -1;
	}
	std->breaker_state[b] = zk_metrics_gauge(reg, ZK_METRIC_BREAKER_STATE,
		"Circuit breaker of a backend: 0 closed, 1 open, 2 half-open.",
		l, 1);
	if (check(std->breaker_state[b], ZK_METRIC_BREAKER_STATE, err, errlen))
		return -1;
	std->router_declines[b] = zk_metrics_counter(reg,
		ZK_METRIC_ROUTER_DECLINES,
		"Batches a backend declined as outside what it proves (not failures).",
		l, 1);
	return check(std->router_declines[b], ZK_METRIC_ROUTER_DECLINES, err,
		     errlen);
}

/* What the proving pipeline publishes (docs/metrics.md). */
static int
pipeline_series(struct zk_metrics *reg,
		const struct zk_metrics_std_labels *labels,
		struct zk_metrics_std *std, char *err, size_t errlen)
{
	const struct zk_hist_spec lat = ZK_HIST_LATENCY_NS;
	unsigned int n;

	if (count_values(labels->unproven_reasons, ZK_METRICS_STD_MAX_VALUES,
			 "unproven reasons", &n, err, errlen) != 0 ||
	    labelled_counters(reg, ZK_METRIC_UNPROVEN,
			      "Batches logged as unproven records, by reason.",
			      "reason", labels->unproven_reasons, n,
			      std->unproven, err, errlen) != 0)
		return -1;
	std->commit_seconds = zk_metrics_histogram(reg, ZK_METRIC_COMMIT_SECONDS,
		"From a batch cut to its part committed to the market's state tree.",
		NULL, 0, &lat);
	std->batch_to_log = zk_metrics_histogram(reg, ZK_METRIC_BATCH_TO_LOG,
		"From a batch part's first op to its proof-log record appended.",
		NULL, 0, &lat);
	std->prover_queue = zk_metrics_gauge(reg, ZK_METRIC_PROVER_QUEUE,
		"Committed batch parts waiting for a prover worker.", NULL, 0);
	std->log_records = zk_metrics_counter(reg, ZK_METRIC_LOG_RECORDS,
		"Records appended to the proof log.", NULL, 0);
	std->log_durable_seq = zk_metrics_gauge(reg, ZK_METRIC_LOG_DURABLE_SEQ,
		"Last proof-log record made durable (fdatasync completed).",
		NULL, 0);
	if (check(std->commit_seconds, ZK_METRIC_COMMIT_SECONDS, err, errlen) ||
	    check(std->batch_to_log, ZK_METRIC_BATCH_TO_LOG, err, errlen) ||
	    check(std->prover_queue, ZK_METRIC_PROVER_QUEUE, err, errlen) ||
	    check(std->log_records, ZK_METRIC_LOG_RECORDS, err, errlen))
		return -1;
	return check(std->log_durable_seq, ZK_METRIC_LOG_DURABLE_SEQ, err,
		     errlen);
}

int
zk_metrics_std_register(struct zk_metrics *reg,
			const struct zk_metrics_std_labels *labels,
			struct zk_metrics_std *std, char *err, size_t errlen)
{
	const struct zk_hist_spec lat = ZK_HIST_LATENCY_NS;
	const struct zk_hist_spec ops = ZK_HIST_COUNT;
	unsigned int n_drops, n_events, n_cuts, n_backends;

	memset(std, 0, sizeof(*std));
	if (count_values(labels->drop_reasons, ZK_METRICS_STD_MAX_VALUES,
			 "drop reasons", &n_drops, err, errlen) != 0 ||
	    count_values(labels->event_types, ZK_METRICS_STD_MAX_VALUES,
			 "event types", &n_events, err, errlen) != 0 ||
	    count_values(labels->cuts, ZK_METRICS_STD_MAX_VALUES, "cut reasons",
			 &n_cuts, err, errlen) != 0 ||
	    count_values(labels->backends, ZK_METRICS_STD_MAX_BACKENDS,
			 "backends", &n_backends, err, errlen) != 0)
		return -1;

	std->rx_frames = zk_metrics_counter(reg, ZK_METRIC_RX_FRAMES,
		"Frames received by the rx lcores, before parsing.", NULL, 0);
	if (check(std->rx_frames, ZK_METRIC_RX_FRAMES, err, errlen) != 0 ||
	    labelled_counters(reg, ZK_METRIC_RX_DROPS,
			      "Frames or messages dropped by the parser, by reason.",
			      "reason", labels->drop_reasons, n_drops,
			      std->rx_drops, err, errlen) != 0)
		return -1;
	std->ring_full_stalls = zk_metrics_counter(reg,
		ZK_METRIC_RING_FULL_STALLS,
		"Times a producer found the next ring full and had to wait.",
		NULL, 0);
	if (check(std->ring_full_stalls, ZK_METRIC_RING_FULL_STALLS, err,
		  errlen) != 0)
		return -1;
	std->ops_applied = zk_metrics_counter(reg, ZK_METRIC_OPS_APPLIED,
		"Operations the engine applied to the book (accepted or rejected).",
		NULL, 0);
	if (check(std->ops_applied, ZK_METRIC_OPS_APPLIED, err, errlen) != 0 ||
	    labelled_counters(reg, ZK_METRIC_EVENTS,
			      "Events the engine emitted, by type.", "type",
			      labels->event_types, n_events, std->events, err,
			      errlen) != 0 ||
	    labelled_counters(reg, ZK_METRIC_BATCHES,
			      "Batches cut, by what cut them.", "cut",
			      labels->cuts, n_cuts, std->batches, err,
			      errlen) != 0)
		return -1;
	std->batch_ops = zk_metrics_histogram(reg, ZK_METRIC_BATCH_OPS,
		"Operations per batch.", NULL, 0, &ops);
	if (check(std->batch_ops, ZK_METRIC_BATCH_OPS, err, errlen) != 0)
		return -1;
	std->batch_latency = zk_metrics_histogram(reg, ZK_METRIC_BATCH_LATENCY,
		"From a batch's first operation to its proof being durable.",
		NULL, 0, &lat);
	if (check(std->batch_latency, ZK_METRIC_BATCH_LATENCY, err, errlen))
		return -1;
	for (unsigned int b = 0; b < n_backends; b++)
		if (backend_series(reg, labels->backends[b], std, b, err,
				   errlen) != 0)
			return -1;
	std->router_failovers = zk_metrics_counter(reg,
		ZK_METRIC_ROUTER_FAILOVERS,
		"Proof requests the router retried on another backend.", NULL, 0);
	if (check(std->router_failovers, ZK_METRIC_ROUTER_FAILOVERS, err,
		  errlen) != 0)
		return -1;
	std->log_durable_lag = zk_metrics_gauge(reg, ZK_METRIC_LOG_DURABLE_LAG,
		"Proof-log records appended but not yet durable (fdatasync pending).",
		NULL, 0);
	if (check(std->log_durable_lag, ZK_METRIC_LOG_DURABLE_LAG, err,
		  errlen) != 0)
		return -1;
	return pipeline_series(reg, labels, std, err, errlen);
}
