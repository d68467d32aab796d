/* SPDX-License-Identifier: MIT */
/*
 * zkclob — latency profiling mode (DESIGN.md §9, §10; docs/latency.md).
 *
 * Spec
 *  - Stages: rx (frame arrival → parsed), ring (enqueued → dequeued by the
 *    sequencer), sequencer (dequeued → applied), batch (first op of a batch
 *    applied → batch cut), proving (cut → proof done; split into
 *    commit_wait, commit, prove_wait and prove), log (proof done →
 *    durable) and end_to_end (frame arrival → proof durable).
 *  - Timestamps are "ticks": the TSC (rdtsc) where it is invariant, else
 *    CLOCK_MONOTONIC nanoseconds. The tick→ns ratio is calibrated once
 *    against CLOCK_MONOTONIC at creation and reported. A timestamp of 0
 *    means "not stamped" (zk_latency_now() returns 0 when disabled).
 *  - Histograms (struct zk_lat_hist) are log-linear: exact below 128 ticks,
 *    then 128 linear sub-buckets per power of two up to 2^40 ticks (over
 *    200 s at 5 GHz). A bucket's midpoint is within 1/256 (0.4 %) of every
 *    value in it. Larger values land in the top bucket and are counted in
 *    `overflow`; min and max are exact.
 *  - Recording is O(1), never allocates, never locks: each histogram has
 *    exactly one writer (relaxed atomic loads/stores, so a reporter may read
 *    while it runs). Stages recorded by several threads (rx lcores, prover
 *    workers) use one lane per thread; lanes are merged for reporting.
 *  - Bad input is counted, never recorded and never fatal: an unstamped
 *    start (0), an end before the start (unsynchronised TSCs), a lane out
 *    of range.
 *  - Disabled mode (or a NULL profiler) records nothing and costs a branch.
 *  - zk_latency_write() writes <dir>/<stage>.hgrm in HdrHistogram's
 *    percentile-distribution format (values in microseconds) and
 *    <dir>/summary.txt; perf/plot_latency.sh plots the .hgrm files.
 */
#ifndef ZKCLOB_LATENCY_H
#define ZKCLOB_LATENCY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define ZK_LATENCY_HAVE_TSC 1
#else
#define ZK_LATENCY_HAVE_TSC 0
#endif

/* ---- histogram ---------------------------------------------------------- */

#define ZK_LAT_HIST_SUB_BITS 7u  /* 128 sub-buckets per power of two */
#define ZK_LAT_HIST_MAX_EXP 40u  /* values ≥ 2^40 clamp into the top bucket */
#define ZK_LAT_HIST_MAX_VALUE ((UINT64_C(1) << ZK_LAT_HIST_MAX_EXP) - 1)
#define ZK_LAT_HIST_BUCKETS \
	((ZK_LAT_HIST_MAX_EXP - ZK_LAT_HIST_SUB_BITS + 1u) << ZK_LAT_HIST_SUB_BITS)

struct zk_lat_hist {
	uint64_t count;
	uint64_t min;      /* UINT64_MAX while empty */
	uint64_t max;
	uint64_t overflow; /* values above ZK_LAT_HIST_MAX_VALUE */
	uint64_t buckets[ZK_LAT_HIST_BUCKETS];
} __attribute__((aligned(64)));

void zk_lat_hist_init(struct zk_lat_hist *h);

/* Bucket of value v (v is clamped to ZK_LAT_HIST_MAX_VALUE). */
static inline unsigned int
zk_lat_hist_index(uint64_t v)
{
	/* OR-ing in 2^7 folds the exact range [0, 128) into the first group,
	 * so there is no branch between the linear and logarithmic parts. */
	unsigned int shift;

	if (v > ZK_LAT_HIST_MAX_VALUE)
		v = ZK_LAT_HIST_MAX_VALUE;
	shift = (unsigned int)(63 - __builtin_clzll(v | (1u << ZK_LAT_HIST_SUB_BITS))) -
		ZK_LAT_HIST_SUB_BITS;
	return (shift << ZK_LAT_HIST_SUB_BITS) + (unsigned int)(v >> shift);
}

/* Lowest and highest values of bucket i (inclusive), and its midpoint. */
uint64_t zk_lat_hist_bucket_low(unsigned int i);
uint64_t zk_lat_hist_bucket_high(unsigned int i);
uint64_t zk_lat_hist_bucket_mid(unsigned int i);

static inline void
zk_lat_hist_bump(uint64_t *p)
{
	/* One writer: a load and a store, not a locked RMW. */
	__atomic_store_n(p, __atomic_load_n(p, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELAXED);
}

static inline void
zk_lat_hist_record(struct zk_lat_hist *h, uint64_t v)
{
	zk_lat_hist_bump(&h->buckets[zk_lat_hist_index(v)]);
	zk_lat_hist_bump(&h->count);
	if (v < __atomic_load_n(&h->min, __ATOMIC_RELAXED))
		__atomic_store_n(&h->min, v, __ATOMIC_RELAXED);
	if (v > __atomic_load_n(&h->max, __ATOMIC_RELAXED))
		__atomic_store_n(&h->max, v, __ATOMIC_RELAXED);
	if (v > ZK_LAT_HIST_MAX_VALUE)
		zk_lat_hist_bump(&h->overflow);
}

/* dst += src (dst must not be written concurrently; src may be). */
void zk_lat_hist_merge(struct zk_lat_hist *dst, const struct zk_lat_hist *src);

/*
 * Value at percentile pct (0..100): the value of rank max(1, ceil(pct/100·n))
 * in sorted order, reported as its bucket's midpoint clamped to [min, max].
 * 0 for an empty histogram.
 */
uint64_t zk_lat_hist_percentile(const struct zk_lat_hist *h, double pct);
/* Mean from bucket midpoints (same error bound as a bucket). */
double zk_lat_hist_mean(const struct zk_lat_hist *h);

/*
 * HdrHistogram's outputPercentileDistribution text: header
 * "Value Percentile TotalCount 1/(1-Percentile)", one row per percentile
 * step (ticks_per_half_distance steps per halving of the distance to 100 %),
 * a final 100 % row, then the #[Mean...], #[Max...], #[Buckets...] footer.
 * Values are multiplied by value_scale (e.g. ns per tick / 1000 → µs).
 * Returns 0, or -EIO if the stream failed.
 */
int zk_lat_hist_write_percentiles(const struct zk_lat_hist *h, FILE *out,
				  double value_scale,
				  unsigned int ticks_per_half_distance);

/* ---- profiler ----------------------------------------------------------- */

enum zk_latency_stage {
	ZK_LAT_RX = 0,
	ZK_LAT_RING,
	ZK_LAT_SEQUENCER,
	ZK_LAT_BATCH,
	ZK_LAT_PROVING,
	/* the proving stage split: cut → commit thread takes the batch,
	 * → committed to the state tree, → a worker takes it, → proof done */
	ZK_LAT_COMMIT_WAIT,
	ZK_LAT_COMMIT,
	ZK_LAT_PROVE_WAIT,
	ZK_LAT_PROVE,
	ZK_LAT_LOG,
	ZK_LAT_END_TO_END,
	ZK_LAT_STAGES
};

enum zk_latency_clock {
	ZK_LAT_CLOCK_AUTO = 0,  /* TSC if invariant, else CLOCK_MONOTONIC */
	ZK_LAT_CLOCK_TSC,       /* TSC even if not flagged invariant (x86) */
	ZK_LAT_CLOCK_MONOTONIC, /* portable fallback, ticks are ns */
};

struct zk_latency_config {
	bool enabled;
	unsigned int lanes;         /* writer threads per stage; 0 ⇒ 1 */
	enum zk_latency_clock clock;
	unsigned int calibrate_ms;  /* calibration window; 0 ⇒ 20 */
};

struct zk_latency_calibration {
	bool tsc;               /* ticks are TSC cycles (else ns) */
	bool tsc_invariant;     /* CPUID says constant-rate, non-stop TSC */
	double ticks_per_ns;    /* e.g. 2.9 for a 2.9 GHz TSC; 1 for ns */
	double window_ns;       /* CLOCK_MONOTONIC span that was measured */
	double spread_ppm;      /* disagreement of the two half-windows */
};

/* Per stage and lane: one writer. Kept in a cache line of its own. */
struct zk_latency_slot {
	uint64_t unstamped; /* start timestamp was 0 */
	uint64_t backwards; /* end before start */
	struct zk_lat_hist hist;
} __attribute__((aligned(64)));

struct zk_latency {
	bool enabled;
	bool tsc;
	unsigned int lanes;
	uint64_t bad_lane; /* atomic: any thread may hit it */
	struct zk_latency_calibration cal;
	struct zk_latency_slot *slots; /* [stage * lanes + lane] */
};

/* Defaults: one lane, automatic clock. NULL on allocation failure. */
struct zk_latency *zk_latency_create(bool enabled);
/* NULL with errno EINVAL (bad clock, TSC on a non-x86 build) or ENOMEM. */
struct zk_latency *zk_latency_create_cfg(const struct zk_latency_config *cfg);
void zk_latency_destroy(struct zk_latency *lat);

const char *zk_latency_stage_name(enum zk_latency_stage stage);
const struct zk_latency_calibration *
zk_latency_calibration(const struct zk_latency *lat);
double zk_latency_ticks_to_ns(const struct zk_latency *lat, uint64_t ticks);

static inline uint64_t
zk_latency_clock_monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec;
}

/* Current timestamp in ticks; 0 when disabled (so nothing gets recorded). */
static inline uint64_t
zk_latency_now(const struct zk_latency *lat)
{
	if (lat == NULL || !lat->enabled)
		return 0;
#if ZK_LATENCY_HAVE_TSC
	if (lat->tsc)
		return __rdtsc();
#endif
	return zk_latency_clock_monotonic_ns();
}

/* Record t_end - t_start for `stage` from the thread that owns `lane`. */
static inline void
zk_latency_record(struct zk_latency *lat, enum zk_latency_stage stage,
		  unsigned int lane, uint64_t t_start, uint64_t t_end)
{
	struct zk_latency_slot *s;

	if (lat == NULL || !lat->enabled)
		return;
	if (lane >= lat->lanes || (unsigned int)stage >= ZK_LAT_STAGES) {
		__atomic_fetch_add(&lat->bad_lane, 1, __ATOMIC_RELAXED);
		return;
	}
	s = &lat->slots[(unsigned int)stage * lat->lanes + lane];
	if (t_start == 0)
		zk_lat_hist_bump(&s->unstamped);
	else if (t_end < t_start)
		zk_lat_hist_bump(&s->backwards);
	else
		zk_lat_hist_record(&s->hist, t_end - t_start);
}

/*
 * End-to-end for a batch: record t_end minus the arrival of each of n
 * stamps (zk_latency_stamp_* values) laid out `stride` bytes apart, e.g.
 * a field inside an array of op records.
 */
void zk_latency_record_arrivals(struct zk_latency *lat,
				enum zk_latency_stage stage, unsigned int lane,
				const void *first_stamp, size_t n,
				size_t stride, uint64_t t_end);

/*
 * Per-op stamp: one 64-bit word carries both the arrival and the enqueue
 * time. The low 44 bits hold the arrival modulo 2^44 ticks (about 1.6 h at
 * 3 GHz: latencies must stay below that); the high 20 bits hold
 * enqueue − arrival, saturated at 2^20 − 1 ticks. Both are recovered
 * relative to a later "now". 0 stays "not stamped".
 */
#define ZK_LAT_STAMP_ARRIVAL_BITS 44u
#define ZK_LAT_STAMP_ARRIVAL_MASK ((UINT64_C(1) << ZK_LAT_STAMP_ARRIVAL_BITS) - 1)
#define ZK_LAT_STAMP_DELTA_MAX ((UINT64_C(1) << (64u - ZK_LAT_STAMP_ARRIVAL_BITS)) - 1)

static inline uint64_t
zk_latency_stamp_pack(uint64_t t_arrival, uint64_t t_enqueued)
{
	uint64_t delta, stamp;

	if (t_arrival == 0)
		return 0;
	delta = t_enqueued > t_arrival ? t_enqueued - t_arrival : 0;
	if (delta > ZK_LAT_STAMP_DELTA_MAX)
		delta = ZK_LAT_STAMP_DELTA_MAX;
	stamp = (t_arrival & ZK_LAT_STAMP_ARRIVAL_MASK) |
		(delta << ZK_LAT_STAMP_ARRIVAL_BITS);
	/* An arrival that is a multiple of 2^44 must not read as "unstamped". */
	return stamp != 0 ? stamp : 1;
}

/* Full arrival timestamp, given any later timestamp `now`; 0 if unstamped. */
static inline uint64_t
zk_latency_stamp_arrival(uint64_t stamp, uint64_t now)
{
	uint64_t low = stamp & ZK_LAT_STAMP_ARRIVAL_MASK;

	if (stamp == 0)
		return 0;
	return now - ((now - low) & ZK_LAT_STAMP_ARRIVAL_MASK);
}

static inline uint64_t
zk_latency_stamp_enqueued(uint64_t stamp, uint64_t now)
{
	if (stamp == 0)
		return 0;
	return zk_latency_stamp_arrival(stamp, now) +
	       (stamp >> ZK_LAT_STAMP_ARRIVAL_BITS);
}

/* Merged (all lanes) histogram of a stage, and its drop counters. */
void zk_latency_stage_hist(const struct zk_latency *lat,
			   enum zk_latency_stage stage,
			   struct zk_lat_hist *out);
uint64_t zk_latency_stage_drops(const struct zk_latency *lat,
				enum zk_latency_stage stage,
				uint64_t *unstamped, uint64_t *backwards);

/* Summary table (µs) plus the calibration, to any stream. */
int zk_latency_summary(const struct zk_latency *lat, FILE *out);

/*
 * Write <dir>/<stage>.hgrm for every stage and <dir>/summary.txt, creating
 * dir if needed. 0, or a negative errno.
 */
int zk_latency_write(const struct zk_latency *lat, const char *dir);

#endif /* ZKCLOB_LATENCY_H */
