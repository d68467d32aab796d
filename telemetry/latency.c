/* SPDX-License-Identifier: MIT */
/*
 * Latency profiling mode: histogram queries, TSC calibration and the
 * HdrHistogram-format report (include/zkclob/latency.h, docs/latency.md).
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "zkclob/latency.h"

static const char *const stage_names[ZK_LAT_STAGES] = {
	[ZK_LAT_RX] = "rx",
	[ZK_LAT_RING] = "ring",
	[ZK_LAT_SEQUENCER] = "sequencer",
	[ZK_LAT_BATCH] = "batch",
	[ZK_LAT_PROVING] = "proving",
	[ZK_LAT_COMMIT_WAIT] = "commit_wait",
	[ZK_LAT_COMMIT] = "commit",
	[ZK_LAT_PROVE_WAIT] = "prove_wait",
	[ZK_LAT_PROVE] = "prove",
	[ZK_LAT_LOG] = "log",
	[ZK_LAT_END_TO_END] = "end_to_end",
};

/* ---- histogram ---------------------------------------------------------- */

void
zk_lat_hist_init(struct zk_lat_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

static unsigned int
bucket_shift(unsigned int i)
{
	return (i >> ZK_LAT_HIST_SUB_BITS) - 1;
}

uint64_t
zk_lat_hist_bucket_low(unsigned int i)
{
	unsigned int sub = 1u << ZK_LAT_HIST_SUB_BITS;

	if (i >= ZK_LAT_HIST_BUCKETS)
		i = ZK_LAT_HIST_BUCKETS - 1;
	if (i < sub)
		return i;
	return (uint64_t)((i & (sub - 1)) + sub) << bucket_shift(i);
}

uint64_t
zk_lat_hist_bucket_high(unsigned int i)
{
	if (i >= ZK_LAT_HIST_BUCKETS)
		i = ZK_LAT_HIST_BUCKETS - 1;
	if (i < (1u << ZK_LAT_HIST_SUB_BITS))
		return i;
	return zk_lat_hist_bucket_low(i) + (UINT64_C(1) << bucket_shift(i)) - 1;
}

uint64_t
zk_lat_hist_bucket_mid(unsigned int i)
{
	uint64_t lo = zk_lat_hist_bucket_low(i);

	return lo + (zk_lat_hist_bucket_high(i) - lo) / 2;
}

static uint64_t
load(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

void
zk_lat_hist_merge(struct zk_lat_hist *dst, const struct zk_lat_hist *src)
{
	unsigned int i;
	uint64_t n = 0, v;

	/* Count from the buckets themselves so that a snapshot taken while
	 * the writer runs stays self-consistent (count == Σ buckets). */
	for (i = 0; i < ZK_LAT_HIST_BUCKETS; i++) {
		v = load(&src->buckets[i]);
		dst->buckets[i] += v;
		n += v;
	}
	dst->count += n;
	dst->overflow += load(&src->overflow);
	v = load(&src->min);
	if (v < dst->min)
		dst->min = v;
	v = load(&src->max);
	if (n != 0 && v > dst->max)
		dst->max = v;
}

static uint64_t
clamp_to_range(const struct zk_lat_hist *h, uint64_t v)
{
	if (v < h->min)
		return h->min;
	if (v > h->max)
		return h->max;
	return v;
}

static uint64_t
rank_of(double pct, uint64_t n)
{
	double x;
	uint64_t r;

	if (!(pct > 0.0))
		return 1;
	if (pct >= 100.0)
		return n;
	x = pct / 100.0 * (double)n;
	/* 99.9 % of 1000 must be rank 999, not 1000 from rounding noise. */
	x -= x * 1e-12;
	r = (uint64_t)ceil(x);
	if (r < 1)
		r = 1;
	return r > n ? n : r;
}

/* Index of the bucket holding the value of rank r (1-based). */
static unsigned int
bucket_of_rank(const struct zk_lat_hist *h, uint64_t r, uint64_t *cumulative)
{
	unsigned int i;
	uint64_t seen = 0;

	for (i = 0; i < ZK_LAT_HIST_BUCKETS; i++) {
		seen += h->buckets[i];
		if (seen >= r)
			break;
	}
	if (i == ZK_LAT_HIST_BUCKETS)
		i = ZK_LAT_HIST_BUCKETS - 1;
	if (cumulative != NULL)
		*cumulative = seen;
	return i;
}

/* Reads go through a private copy so concurrent writers cannot make the
 * bucket walk and the count disagree. */
static void
snapshot(const struct zk_lat_hist *h, struct zk_lat_hist *copy)
{
	zk_lat_hist_init(copy);
	zk_lat_hist_merge(copy, h);
}

/* The extremes are known exactly; everything between is a bucket midpoint. */
static uint64_t
value_of_rank(const struct zk_lat_hist *h, uint64_t r, uint64_t *cumulative)
{
	unsigned int i = bucket_of_rank(h, r, cumulative);

	if (r >= h->count)
		return h->max;
	if (r <= 1)
		return h->min;
	return clamp_to_range(h, zk_lat_hist_bucket_mid(i));
}

static uint64_t
percentile_of_consistent(const struct zk_lat_hist *h, double pct)
{
	if (h->count == 0)
		return 0;
	return value_of_rank(h, rank_of(pct, h->count), NULL);
}

uint64_t
zk_lat_hist_percentile(const struct zk_lat_hist *h, double pct)
{
	struct zk_lat_hist *copy = malloc(sizeof(*copy));
	uint64_t v;

	if (copy == NULL)
		return 0;
	snapshot(h, copy);
	v = percentile_of_consistent(copy, pct);
	free(copy);
	return v;
}

static double
mean_of_consistent(const struct zk_lat_hist *h)
{
	double sum = 0.0;
	unsigned int i;

	if (h->count == 0)
		return 0.0;
	for (i = 0; i < ZK_LAT_HIST_BUCKETS; i++)
		if (h->buckets[i] != 0)
			sum += (double)h->buckets[i] *
			       (double)clamp_to_range(h, zk_lat_hist_bucket_mid(i));
	return sum / (double)h->count;
}

double
zk_lat_hist_mean(const struct zk_lat_hist *h)
{
	struct zk_lat_hist *copy = malloc(sizeof(*copy));
	double m;

	if (copy == NULL)
		return 0.0;
	snapshot(h, copy);
	m = mean_of_consistent(copy);
	free(copy);
	return m;
}

static double
stddev_of_consistent(const struct zk_lat_hist *h, double mean)
{
	double acc = 0.0, d;
	unsigned int i;

	if (h->count == 0)
		return 0.0;
	for (i = 0; i < ZK_LAT_HIST_BUCKETS; i++) {
		if (h->buckets[i] == 0)
			continue;
		d = (double)clamp_to_range(h, zk_lat_hist_bucket_mid(i)) - mean;
		acc += d * d * (double)h->buckets[i];
	}
	return sqrt(acc / (double)h->count);
}

static int
write_percentiles_consistent(const struct zk_lat_hist *h, FILE *out,
			     double scale, unsigned int ticks)
{
	double pct = 0.0, mean;
	uint64_t cumulative, value;

	if (ticks == 0)
		ticks = 5;
	fprintf(out, "%12s %14s %10s %14s\n\n", "Value", "Percentile",
		"TotalCount", "1/(1-Percentile)");
	while (h->count != 0) {
		value = value_of_rank(h, rank_of(pct, h->count), &cumulative);
		if (cumulative >= h->count)
			break; /* the rest is the 100 % row */
		fprintf(out, "%12.3f %2.12f %10" PRIu64 " %14.2f\n",
			(double)value * scale,
			pct / 100.0, cumulative, 1.0 / (1.0 - pct / 100.0));
		/* HdrHistogram's step: `ticks` rows per halving of the
		 * distance to 100 %. */
		pct += 100.0 / ((double)ticks *
				exp2(floor(log2(100.0 / (100.0 - pct))) + 1.0));
		if (pct >= 100.0)
			break;
	}
	if (h->count != 0)
		fprintf(out, "%12.3f %2.12f %10" PRIu64 "\n",
			(double)h->max * scale, 1.0, h->count);
	mean = mean_of_consistent(h);
	fprintf(out, "#[Mean    = %12.3f, StdDeviation   = %12.3f]\n",
		mean * scale, stddev_of_consistent(h, mean) * scale);
	fprintf(out, "#[Max     = %12.3f, Total count    = %12" PRIu64 "]\n",
		h->count != 0 ? (double)h->max * scale : 0.0, h->count);
	fprintf(out, "#[Buckets = %12u, SubBuckets     = %12u]\n",
		ZK_LAT_HIST_MAX_EXP - ZK_LAT_HIST_SUB_BITS + 1,
		1u << ZK_LAT_HIST_SUB_BITS);
	return ferror(out) ? -EIO : 0;
}

int
zk_lat_hist_write_percentiles(const struct zk_lat_hist *h, FILE *out,
			      double value_scale,
			      unsigned int ticks_per_half_distance)
{
	struct zk_lat_hist *copy = malloc(sizeof(*copy));
	int rc;

	if (copy == NULL)
		return -ENOMEM;
	snapshot(h, copy);
	rc = write_percentiles_consistent(copy, out, value_scale,
					  ticks_per_half_distance);
	free(copy);
	return rc;
}

/* ---- clock -------------------------------------------------------------- */

static bool
tsc_is_invariant(void)
{
#if ZK_LATENCY_HAVE_TSC
	unsigned int a, b, c, d;

	/* CPUID 0x80000007 EDX bit 8: constant rate, does not stop in deep
	 * C-states — the condition for TSC deltas to mean time. */
	/* __get_cpuid() fails cleanly when the leaf is not implemented. */
	if (!__get_cpuid(0x80000007u, &a, &b, &c, &d))
		return false;
	return (d & (1u << 8)) != 0;
#else
	return false;
#endif
}

#if ZK_LATENCY_HAVE_TSC
struct clock_pair {
	double ns;    /* CLOCK_MONOTONIC at the TSC read */
	uint64_t tsc;
};

/* The best of a few bracketed reads: the TSC read sits between two clock
 * reads, and the narrowest bracket bounds the pairing error. */
static struct clock_pair
read_pair(void)
{
	struct clock_pair best = { 0.0, 0 };
	uint64_t best_width = UINT64_MAX;
	int k;

	for (k = 0; k < 16; k++) {
		uint64_t a = zk_latency_clock_monotonic_ns();
		uint64_t t = __rdtsc();
		uint64_t b = zk_latency_clock_monotonic_ns();

		if (b - a < best_width) {
			best_width = b - a;
			best.ns = (double)a + (double)(b - a) / 2.0;
			best.tsc = t;
		}
	}
	return best;
}

static void
sleep_ns(uint64_t ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(ns / 1000000000u),
		.tv_nsec = (long)(ns % 1000000000u),
	};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void
calibrate_tsc(struct zk_latency_calibration *cal, unsigned int ms)
{
	struct clock_pair p0, p1, p2;
	double r1, r2, r;

	p0 = read_pair();
	sleep_ns((uint64_t)ms * 500000u);
	p1 = read_pair();
	sleep_ns((uint64_t)ms * 500000u);
	p2 = read_pair();
	r1 = (double)(p1.tsc - p0.tsc) / (p1.ns - p0.ns);
	r2 = (double)(p2.tsc - p1.tsc) / (p2.ns - p1.ns);
	r = (double)(p2.tsc - p0.tsc) / (p2.ns - p0.ns);
	cal->ticks_per_ns = r;
	cal->window_ns = p2.ns - p0.ns;
	cal->spread_ppm = fabs(r1 - r2) / r * 1e6;
}
#endif

/* ---- profiler ----------------------------------------------------------- */

struct zk_latency *
zk_latency_create(bool enabled)
{
	struct zk_latency_config cfg = {
		.enabled = enabled,
		.lanes = 1,
		.clock = ZK_LAT_CLOCK_AUTO,
		.calibrate_ms = 0,
	};

	return zk_latency_create_cfg(&cfg);
}

struct zk_latency *
zk_latency_create_cfg(const struct zk_latency_config *cfg)
{
	struct zk_latency *lat;
	size_t n, i;
	unsigned int ms;

	if (cfg == NULL || cfg->clock > ZK_LAT_CLOCK_MONOTONIC ||
	    (cfg->clock == ZK_LAT_CLOCK_TSC && !ZK_LATENCY_HAVE_TSC)) {
		errno = EINVAL;
		return NULL;
	}
	lat = calloc(1, sizeof(*lat));
	if (lat == NULL)
		return NULL;
	lat->enabled = cfg->enabled;
	lat->lanes = cfg->lanes != 0 ? cfg->lanes : 1;
	lat->cal.tsc_invariant = tsc_is_invariant();
	lat->tsc = ZK_LATENCY_HAVE_TSC &&
		   (cfg->clock == ZK_LAT_CLOCK_TSC ||
		    (cfg->clock == ZK_LAT_CLOCK_AUTO && lat->cal.tsc_invariant));
	lat->cal.tsc = lat->tsc;
	lat->cal.ticks_per_ns = 1.0;
	if (!lat->enabled)
		return lat; /* no histograms, no calibration: nothing to record */

	n = (size_t)ZK_LAT_STAGES * lat->lanes;
	lat->slots = aligned_alloc(64, n * sizeof(*lat->slots));
	if (lat->slots == NULL) {
		free(lat);
		errno = ENOMEM;
		return NULL;
	}
	for (i = 0; i < n; i++) {
		lat->slots[i].unstamped = 0;
		lat->slots[i].backwards = 0;
		zk_lat_hist_init(&lat->slots[i].hist);
	}
	ms = cfg->calibrate_ms != 0 ? cfg->calibrate_ms : 20;
#if ZK_LATENCY_HAVE_TSC
	if (lat->tsc)
		calibrate_tsc(&lat->cal, ms);
#else
	(void)ms;
#endif
	return lat;
}

void
zk_latency_destroy(struct zk_latency *lat)
{
	if (lat == NULL)
		return;
	free(lat->slots);
	free(lat);
}

const char *
zk_latency_stage_name(enum zk_latency_stage stage)
{
	if ((unsigned int)stage >= ZK_LAT_STAGES)
		return "unknown";
	return stage_names[stage];
}

const struct zk_latency_calibration *
zk_latency_calibration(const struct zk_latency *lat)
{
	return lat != NULL ? &lat->cal : NULL;
}

double
zk_latency_ticks_to_ns(const struct zk_latency *lat, uint64_t ticks)
{
	if (lat == NULL)
		return (double)ticks;
	return (double)ticks / lat->cal.ticks_per_ns;
}

void
zk_latency_record_arrivals(struct zk_latency *lat, enum zk_latency_stage stage,
			   unsigned int lane, const void *first_stamp, size_t n,
			   size_t stride, uint64_t t_end)
{
	const unsigned char *p = first_stamp;
	uint64_t stamp;
	size_t i;

	if (lat == NULL || !lat->enabled || p == NULL)
		return;
	for (i = 0; i < n; i++, p += stride) {
		memcpy(&stamp, p, sizeof(stamp)); /* stamps may be unaligned */
		zk_latency_record(lat, stage, lane,
				  zk_latency_stamp_arrival(stamp, t_end), t_end);
	}
}

void
zk_latency_stage_hist(const struct zk_latency *lat, enum zk_latency_stage stage,
		      struct zk_lat_hist *out)
{
	unsigned int l;

	zk_lat_hist_init(out);
	if (lat == NULL || !lat->enabled || (unsigned int)stage >= ZK_LAT_STAGES)
		return;
	for (l = 0; l < lat->lanes; l++)
		zk_lat_hist_merge(out,
			&lat->slots[(unsigned int)stage * lat->lanes + l].hist);
}

uint64_t
zk_latency_stage_drops(const struct zk_latency *lat,
		       enum zk_latency_stage stage, uint64_t *unstamped,
		       uint64_t *backwards)
{
	uint64_t u = 0, b = 0;
	unsigned int l;

	if (lat != NULL && lat->enabled && (unsigned int)stage < ZK_LAT_STAGES) {
		for (l = 0; l < lat->lanes; l++) {
			const struct zk_latency_slot *s =
				&lat->slots[(unsigned int)stage * lat->lanes + l];

			u += load(&s->unstamped);
			b += load(&s->backwards);
		}
	}
	if (unstamped != NULL)
		*unstamped = u;
	if (backwards != NULL)
		*backwards = b;
	return u + b;
}

static void
summary_row(const struct zk_latency *lat, enum zk_latency_stage stage,
	    const struct zk_lat_hist *h, FILE *out)
{
	static const double pcts[] = { 50.0, 90.0, 99.0, 99.9 };
	double us = 1.0 / (lat->cal.ticks_per_ns * 1000.0);
	uint64_t unstamped, backwards;
	size_t k;

	zk_latency_stage_drops(lat, stage, &unstamped, &backwards);
	fprintf(out, "%-11s %10" PRIu64, zk_latency_stage_name(stage), h->count);
	fprintf(out, " %12.3f %12.3f", h->count ? (double)h->min * us : 0.0,
		mean_of_consistent(h) * us);
	for (k = 0; k < sizeof(pcts) / sizeof(pcts[0]); k++)
		fprintf(out, " %12.3f",
			(double)percentile_of_consistent(h, pcts[k]) * us);
	fprintf(out, " %12.3f %9" PRIu64 " %9" PRIu64 " %9" PRIu64 "\n",
		(double)h->max * us, unstamped, backwards, h->overflow);
}

int
zk_latency_summary(const struct zk_latency *lat, FILE *out)
{
	struct zk_lat_hist *h;
	unsigned int s;

	if (lat == NULL || out == NULL)
		return -EINVAL;
	fprintf(out, "# zkclob latency profile (microseconds)\n");
	if (lat->cal.tsc && lat->enabled)
		fprintf(out, "# clock: TSC, %.6f ticks/ns (%.4f GHz), TSC "
			"invariant: %s, calibrated against CLOCK_MONOTONIC over "
			"%.1f ms, half-window spread %.2f ppm\n",
			lat->cal.ticks_per_ns, lat->cal.ticks_per_ns,
			lat->cal.tsc_invariant ? "yes" : "no",
			lat->cal.window_ns / 1e6, lat->cal.spread_ppm);
	else
		fprintf(out, "# clock: %s, ticks are ns (no calibration), TSC "
			"invariant: %s\n",
			lat->cal.tsc ? "TSC (not calibrated)" : "CLOCK_MONOTONIC",
			lat->cal.tsc_invariant ? "yes" : "no");
	if (!lat->enabled) {
		fprintf(out, "# profiling disabled: nothing recorded\n");
		return ferror(out) ? -EIO : 0;
	}
	fprintf(out, "# lanes per stage: %u, records to a bad lane: %" PRIu64 "\n",
		lat->lanes, load(&lat->bad_lane));
	fprintf(out, "%-11s %10s %12s %12s %12s %12s %12s %12s %12s %9s %9s %9s\n",
		"stage", "count", "min", "mean", "p50", "p90", "p99", "p99.9",
		"max", "unstamped", "backwards", "overflow");
	h = malloc(sizeof(*h));
	if (h == NULL)
		return -ENOMEM;
	for (s = 0; s < ZK_LAT_STAGES; s++) {
		zk_latency_stage_hist(lat, (enum zk_latency_stage)s, h);
		summary_row(lat, (enum zk_latency_stage)s, h, out);
	}
	free(h);
	return ferror(out) ? -EIO : 0;
}

static int
write_file(const char *dir, const char *name, const struct zk_latency *lat,
	   int stage)
{
	char path[PATH_MAX];
	struct zk_lat_hist *h;
	FILE *f;
	int rc;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path))
		return -ENAMETOOLONG;
	f = fopen(path, "w");
	if (f == NULL)
		return -errno;
	if (stage < 0) {
		rc = zk_latency_summary(lat, f);
	} else {
		h = malloc(sizeof(*h));
		if (h == NULL) {
			fclose(f);
			return -ENOMEM;
		}
		zk_latency_stage_hist(lat, (enum zk_latency_stage)stage, h);
		rc = write_percentiles_consistent(h, f,
			1.0 / (lat->cal.ticks_per_ns * 1000.0), 5);
		free(h);
	}
	if (fclose(f) != 0 && rc == 0)
		rc = -EIO;
	return rc;
}

int
zk_latency_write(const struct zk_latency *lat, const char *dir)
{
	char name[64];
	unsigned int s;
	int rc;

	if (lat == NULL || dir == NULL || dir[0] == '\0')
		return -EINVAL;
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return -errno;
	for (s = 0; s < ZK_LAT_STAGES; s++) {
		snprintf(name, sizeof(name), "%s.hgrm",
			 zk_latency_stage_name((enum zk_latency_stage)s));
		rc = write_file(dir, name, lat, (int)s);
		if (rc != 0)
			return rc;
	}
	return write_file(dir, "summary.txt", lat, -1);
}
