/* SPDX-License-Identifier: MIT */
/*
 * Registry internals shared by the registration/update code (metrics.c)
 * and the exposition code (metrics_render.c).
 */
#ifndef ZKCLOB_METRICS_PRIV_H
#define ZKCLOB_METRICS_PRIV_H

#include <pthread.h>
#include <sys/socket.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>

#include "zkclob/metrics.h"

#define ZK_CACHE_LINE 64

enum zk_metric_type {
	ZK_METRIC_COUNTER,
	ZK_METRIC_GAUGE,
	ZK_METRIC_HISTOGRAM,
};

/* One cache line per shard, so two lcores never write the same line. */
struct zk_shard_u64 {
	alignas(ZK_CACHE_LINE) _Atomic uint64_t v;
};

struct zk_counter {
	struct zk_shard_u64 shard[ZK_METRICS_SHARDS];
};

struct zk_gauge {
	alignas(ZK_CACHE_LINE) _Atomic int64_t v;
};

/*
 * Bucket lookup is O(1) in the HDR manner: the value's highest set bit picks
 * a starting bucket, then a short linear step (<= sub_buckets + 1 bounds).
 * Per shard: n_bounds + 1 bucket counts (the last is +Inf), then the sum;
 * `stride` rounds that up to whole cache lines.
 */
struct zk_histogram {
	/* First bucket that can hold a value whose highest set bit is m:
	 * the search starts there and steps at most a few bounds. */
	uint8_t first_for_msb[64];
	const uint64_t *bounds;
	unsigned int n_bounds;
	size_t stride;
	_Atomic uint64_t *cells;
};

struct zk_series {
	char *label_values[ZK_METRICS_MAX_LABELS];
	void *metric;
};

struct zk_family {
	char *name;
	char *help;
	enum zk_metric_type type;
	unsigned int n_labels;
	char *label_names[ZK_METRICS_MAX_LABELS];
	struct zk_hist_spec spec;
	unsigned int n_bounds;
	uint64_t bounds[ZK_METRICS_MAX_BUCKETS];
	struct zk_series *series;
	unsigned int n_series;
	unsigned int cap_series;
};

struct zk_extra {
	char *text;                 /* a static block, or NULL */
	zk_metrics_collector_fn fn; /* a collector, or NULL */
	void *ctx;
};

struct zk_metrics {
	/* Registration and scraping only; updates never take it. */
	pthread_mutex_t lock;
	struct zk_family **families;
	unsigned int n_families;
	unsigned int cap_families;
	struct zk_extra *extras;
	unsigned int n_extras;
	unsigned int cap_extras;
};

/* Count of bucket b (n_bounds is +Inf), summed over shards; not cumulative. */
uint64_t zk_histogram_bucket(const struct zk_histogram *h, unsigned int b);

/*
 * Parse a listen address (zk_metrics_cfg.listen) into a socket address.
 * 0, or -1 with a reason in err.
 */
int zk_metrics_parse_listen(const char *listen, struct sockaddr_storage *addr,
			    socklen_t *addr_len, char *err, size_t errlen);

#endif /* ZKCLOB_METRICS_PRIV_H */
