/* SPDX-License-Identifier: MIT */
/*
 * zkclob — metrics registry and Prometheus text exposition (DESIGN.md §9,
 * docs/metrics.md).
 *
 * Spec
 *  - A registry holds metric families (counter, gauge, histogram); each
 *    family has a name, a help text and one or more series whose label
 *    names and values are fixed when the series is registered. All series
 *    of one family carry the same label names in the same order.
 *  - Registration allocates and may take a lock; it belongs to start-up.
 *    Updates never allocate, never lock and never block: counters and
 *    histograms are sharded per thread (ZK_METRICS_SHARDS cache-line
 *    separated shards, relaxed atomics) and summed when scraped; gauges are
 *    one relaxed atomic. Every update accepts NULL and then does nothing, so
 *    a disabled metrics config costs one branch.
 *  - Histograms observe unsigned integers in a base unit (nanoseconds,
 *    ops); buckets are log-linear (sub_buckets linear steps per power of
 *    two, HDR-style) from `lowest` to at least `highest`, fixed at
 *    registration; exposition divides by `scale` (1e9: ns → seconds).
 *  - Exposition is text format 0.0.4: HELP/TYPE per family, label values
 *    escaped (\\, \", \n), histograms as cumulative _bucket{le=...} with a
 *    final +Inf, then _sum and _count. Families come in registration order,
 *    then static text blocks, then collectors (pre-rendered text such as
 *    zk_placement_to_metrics()).
 *  - A scrape reads the atomics while writers run: each counter and bucket
 *    is exact at some instant; _count equals the +Inf bucket.
 *  - The HTTP server (zk_metrics_server_*) runs on its own thread
 *    (libmicrohttpd), serves GET/HEAD /metrics, 404 elsewhere, 405 for other
 *    methods, and binds where the config says: 127.0.0.1:9464 by default.
 */
#ifndef ZKCLOB_METRICS_H
#define ZKCLOB_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ZK_METRICS_SHARDS 16
#define ZK_METRICS_MAX_LABELS 4
#define ZK_METRICS_MAX_BUCKETS 160

struct zk_metrics;
struct zk_counter;
struct zk_gauge;
struct zk_histogram;

struct zk_metric_label {
	const char *name;
	const char *value;
};

struct zk_hist_spec {
	uint64_t lowest;          /* upper bound of the first bucket, >= 1 */
	uint64_t highest;         /* the last finite bound is >= this */
	unsigned int sub_buckets; /* linear steps per power of two, 1..16 */
	double scale;             /* exposed value = raw / scale, > 0 */
};

/* 1 µs .. 60 s, observed in nanoseconds, exposed in seconds. */
#define ZK_HIST_LATENCY_NS \
	((struct zk_hist_spec){ 1000u, 60000000000u, 2u, 1e9 })
/* 1 .. 65536 (operations per batch and other sizes). */
#define ZK_HIST_COUNT \
	((struct zk_hist_spec){ 1u, 65536u, 2u, 1.0 })

/* NULL with errno ENOMEM. */
struct zk_metrics *zk_metrics_create(void);
void zk_metrics_destroy(struct zk_metrics *reg);

/*
 * Register a series (and its family when new). Registering the same name
 * and labels again returns the same series. NULL with errno: EINVAL (bad
 * name, label name, duplicate label, "le" on a histogram, more than
 * ZK_METRICS_MAX_LABELS, label names that differ from the family's, bad
 * histogram spec), EEXIST (name registered with another type or histogram
 * spec), ENOMEM.
 */
struct zk_counter *zk_metrics_counter(struct zk_metrics *reg,
				      const char *name, const char *help,
				      const struct zk_metric_label *labels,
				      unsigned int n_labels);
struct zk_gauge *zk_metrics_gauge(struct zk_metrics *reg, const char *name,
				  const char *help,
				  const struct zk_metric_label *labels,
				  unsigned int n_labels);
struct zk_histogram *zk_metrics_histogram(struct zk_metrics *reg,
					  const char *name, const char *help,
					  const struct zk_metric_label *labels,
					  unsigned int n_labels,
					  const struct zk_hist_spec *spec);

/* Hot-path updates: lock-free, allocation-free, NULL-tolerant. */
void zk_counter_add(struct zk_counter *c, uint64_t n);
static inline void zk_counter_inc(struct zk_counter *c)
{
	zk_counter_add(c, 1);
}
void zk_gauge_set(struct zk_gauge *g, int64_t v);
void zk_gauge_add(struct zk_gauge *g, int64_t delta);
void zk_histogram_observe(struct zk_histogram *h, uint64_t v);

/*
 * Threads get shards round-robin on their first update; a pinned lcore may
 * claim shard (id % ZK_METRICS_SHARDS) instead so that lcores never share.
 */
void zk_metrics_thread_shard(unsigned int id);

/* Scrape-time reads (sum of shards). */
uint64_t zk_counter_value(const struct zk_counter *c);
int64_t zk_gauge_value(const struct zk_gauge *g);
uint64_t zk_histogram_count(const struct zk_histogram *h);
uint64_t zk_histogram_sum(const struct zk_histogram *h);
/* Finite bucket upper bounds (raw units) into bounds[max]; returns count. */
unsigned int zk_histogram_bounds(const struct zk_histogram *h,
				 uint64_t *bounds, unsigned int max);

/*
 * Extra text appended to every scrape, verbatim (must itself be valid
 * exposition text ending in '\n'). A text block is copied now; a collector
 * renders at each scrape on the scraping thread and returns the length
 * written, or -1 when len is too small (it is retried with more room), as
 * zk_placement_to_metrics() does. 0 or -1 (ENOMEM, EINVAL).
 */
typedef int (*zk_metrics_collector_fn)(void *ctx, char *buf, size_t len);
int zk_metrics_add_text(struct zk_metrics *reg, const char *text);
int zk_metrics_add_collector(struct zk_metrics *reg,
			     zk_metrics_collector_fn fn, void *ctx);

/* Length written (NUL-terminated), or -1 when len is too small. */
int zk_metrics_render(struct zk_metrics *reg, char *buf, size_t len);
/* 0, or -1 on a write error. */
int zk_metrics_write(struct zk_metrics *reg, FILE *out);

/* ---- config: the [metrics] section ---- */

#define ZK_METRICS_LISTEN_DEFAULT "127.0.0.1:9464"
#define ZK_METRICS_LISTEN_MAX 64

struct zk_metrics_cfg {
	bool enabled;
	/* host:port; host is an IPv4 literal, [IPv6 literal] or localhost;
	 * port 0 takes an ephemeral port. */
	char listen[ZK_METRICS_LISTEN_MAX];
};

void zk_metrics_config_default(struct zk_metrics_cfg *cfg);
/* One key of [metrics]: 0, or -1 with a reason in err (the caller adds
 * file:line). Returns 1 (not an error) when section is not "metrics". */
int zk_metrics_config_set(struct zk_metrics_cfg *cfg, const char *section,
			  const char *key, const char *value, char *err,
			  size_t errlen);
/* Write cfg as a [metrics] section that loads back. 0 or -1. */
int zk_metrics_config_write(const struct zk_metrics_cfg *cfg, FILE *out);

/* ---- the HTTP endpoint ---- */

struct zk_metrics_server;

/* Serve reg on `listen` (host:port as in zk_metrics_cfg). NULL with a
 * reason in err. reg must outlive the server. */
struct zk_metrics_server *zk_metrics_server_start(struct zk_metrics *reg,
						  const char *listen,
						  char *err, size_t errlen);
/* The bound port (the ephemeral one when listen asked for port 0). */
uint16_t zk_metrics_server_port(const struct zk_metrics_server *srv);
/* Stops the thread and closes the socket; NULL is fine. */
void zk_metrics_server_stop(struct zk_metrics_server *srv);

/* ---- the appliance's metric names (docs/metrics.md) ---- */

#define ZK_METRIC_RX_FRAMES "zkclob_rx_frames_total"
#define ZK_METRIC_RX_DROPS "zkclob_rx_drops_total"             /* {reason} */
#define ZK_METRIC_RING_FULL_STALLS "zkclob_ring_full_stalls_total"
#define ZK_METRIC_OPS_APPLIED "zkclob_ops_applied_total"
#define ZK_METRIC_EVENTS "zkclob_events_total"                 /* {type} */
#define ZK_METRIC_BATCHES "zkclob_batches_total"               /* {cut} */
#define ZK_METRIC_BATCH_OPS "zkclob_batch_ops"                 /* histogram */
#define ZK_METRIC_BATCH_LATENCY "zkclob_batch_latency_seconds" /* histogram */
#define ZK_METRIC_PROOF_SECONDS "zkclob_proof_seconds"  /* {backend} hist */
#define ZK_METRIC_PROOFS "zkclob_proofs_total"          /* {backend,result} */
#define ZK_METRIC_VERIFY_SECONDS "zkclob_verify_seconds" /* {backend} hist */
#define ZK_METRIC_ROUTER_FAILOVERS "zkclob_router_failovers_total"
#define ZK_METRIC_BREAKER_STATE "zkclob_breaker_state"  /* {backend} gauge */
#define ZK_METRIC_LOG_DURABLE_LAG "zkclob_log_durable_lag_records"
/* The proving pipeline (prover/pipeline.c, tools/zkclobd_prove.c). */
#define ZK_METRIC_UNPROVEN "zkclob_unproven_batches_total"   /* {reason} */
#define ZK_METRIC_ROUTER_DECLINES "zkclob_router_declines_total" /* {backend} */
#define ZK_METRIC_COMMIT_SECONDS "zkclob_commit_seconds"     /* histogram */
#define ZK_METRIC_BATCH_TO_LOG "zkclob_batch_to_log_seconds" /* histogram */
#define ZK_METRIC_PROVER_QUEUE "zkclob_prover_queue_depth"   /* gauge */
#define ZK_METRIC_LOG_RECORDS "zkclob_prooflog_records_total"
#define ZK_METRIC_LOG_DURABLE_SEQ "zkclob_prooflog_durable_seq" /* gauge */
/* zkclob_placement_* come from zk_placement_to_metrics() (placement.h). */

#define ZK_METRICS_STD_MAX_VALUES 24 /* per label dimension */
#define ZK_METRICS_STD_MAX_BACKENDS 8

/* zkclob_proofs_total{result}: what happened to one proof attempt. */
enum zk_metrics_proof_result {
	ZK_PROOF_RESULT_OK = 0,       /* proved and (if sampled) verified */
	ZK_PROOF_RESULT_FAILED,       /* the backend returned an error */
	ZK_PROOF_RESULT_TIMEOUT,      /* the deadline passed first */
	ZK_PROOF_RESULT_REJECTED,     /* verify rejected the proof */
	ZK_PROOF_RESULT_COUNT
};
const char *zk_metrics_proof_result_name(enum zk_metrics_proof_result r);

/* Label values the appliance knows at start-up; NULL-terminated arrays. */
struct zk_metrics_std_labels {
	const char *const *drop_reasons; /* zkclob_rx_drops_total{reason} */
	const char *const *event_types;  /* zkclob_events_total{type} */
	const char *const *cuts;         /* zkclob_batches_total{cut} */
	const char *const *backends;     /* per-backend series */
	const char *const *unproven_reasons; /* zkclob_unproven_batches_total{reason} */
};

/* Every series of the appliance, indexed like the label arrays. */
struct zk_metrics_std {
	struct zk_counter *rx_frames;
	struct zk_counter *rx_drops[ZK_METRICS_STD_MAX_VALUES];
	struct zk_counter *ring_full_stalls;
	struct zk_counter *ops_applied;
	struct zk_counter *events[ZK_METRICS_STD_MAX_VALUES];
	struct zk_counter *batches[ZK_METRICS_STD_MAX_VALUES];
	struct zk_histogram *batch_ops;
	struct zk_histogram *batch_latency;
	struct zk_histogram *proof_seconds[ZK_METRICS_STD_MAX_BACKENDS];
	struct zk_counter *proofs[ZK_METRICS_STD_MAX_BACKENDS]
				 [ZK_PROOF_RESULT_COUNT];
	struct zk_histogram *verify_seconds[ZK_METRICS_STD_MAX_BACKENDS];
	struct zk_counter *router_failovers;
	struct zk_gauge *breaker_state[ZK_METRICS_STD_MAX_BACKENDS];
	struct zk_gauge *log_durable_lag;
	/* proving pipeline */
	struct zk_counter *unproven[ZK_METRICS_STD_MAX_VALUES];
	struct zk_counter *router_declines[ZK_METRICS_STD_MAX_BACKENDS];
	struct zk_histogram *commit_seconds;
	struct zk_histogram *batch_to_log;
	struct zk_gauge *prover_queue;
	struct zk_counter *log_records;
	struct zk_gauge *log_durable_seq;
};

/*
 * Register every appliance series in one place (zkclobd calls this once).
 * Fills std; 0, or -1 with a reason in err (too many label values, bad
 * label value, a registry error).
 */
int zk_metrics_std_register(struct zk_metrics *reg,
			    const struct zk_metrics_std_labels *labels,
			    struct zk_metrics_std *std, char *err,
			    size_t errlen);

#endif /* ZKCLOB_METRICS_H */
