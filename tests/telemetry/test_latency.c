/* SPDX-License-Identifier: MIT */
/*
 * Latency profiler: bucket error bound, percentiles against a sorted-array
 * reference, merge, disabled mode, stamps, the HdrHistogram file format and
 * the TSC calibration.
 */

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "zkclob/latency.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t
rng(void)
{
	/* splitmix64: deterministic, so a failure reproduces. */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* Log-uniform over [1, 2^bits). */
static uint64_t
rng_log(unsigned int bits)
{
	unsigned int e = (unsigned int)(rng() % bits);

	return (UINT64_C(1) << e) + (rng() & ((UINT64_C(1) << e) - 1));
}

static struct zk_lat_hist *
new_hist(void)
{
	struct zk_lat_hist *h = aligned_alloc(64, sizeof(*h));

	assert_non_null(h);
	zk_lat_hist_init(h);
	return h;
}

static void
assert_within(uint64_t got, uint64_t want, double rel)
{
	double err = fabs((double)got - (double)want);

	if (err > rel * (double)want) {
		fail_msg("got %llu, want %llu (±%.2f%%)", (unsigned long long)got,
			 (unsigned long long)want, rel * 100);
	}
}

/* Every bucket: contiguous with its neighbours, and its midpoint within
 * 1 % of both ends, so of every value in it. Walks the whole range. */
static void
test_bucket_error_bound(void **state)
{
	uint64_t expect_low = 0, v;
	unsigned int i;

	(void)state;
	for (i = 0; i < ZK_LAT_HIST_BUCKETS; i++) {
		uint64_t lo = zk_lat_hist_bucket_low(i);
		uint64_t hi = zk_lat_hist_bucket_high(i);
		uint64_t mid = zk_lat_hist_bucket_mid(i);

		assert_int_equal(lo, expect_low);
		assert_true(hi >= lo);
		assert_int_equal(zk_lat_hist_index(lo), i);
		assert_int_equal(zk_lat_hist_index(hi), i);
		if (lo != 0) {
			assert_within(mid, lo, 0.01);
			assert_within(mid, hi, 0.01);
		}
		expect_low = hi + 1;
	}
	assert_int_equal(expect_low - 1, ZK_LAT_HIST_MAX_VALUE);
	/* 100 s at 5 GHz fits below the clamp. */
	assert_true(ZK_LAT_HIST_MAX_VALUE > UINT64_C(500000000000));
	/* Random values, including past the range (clamped to the top). */
	for (i = 0; i < 200000; i++) {
		v = rng_log(40);
		assert_within(zk_lat_hist_bucket_mid(zk_lat_hist_index(v)), v,
			      0.01);
	}
	assert_int_equal(zk_lat_hist_index(UINT64_MAX), ZK_LAT_HIST_BUCKETS - 1);
	assert_int_equal(zk_lat_hist_index(0), 0);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Reference percentile: rank ceil(p·n) with p in parts per thousand,
 * computed in integers. */
static uint64_t
ref_percentile(const uint64_t *sorted, size_t n, unsigned int permille)
{
	size_t r = (size_t)(((uint64_t)permille * n + 999) / 1000);

	return sorted[r == 0 ? 0 : r - 1];
}

static void
check_against_reference(uint64_t *vals, size_t n)
{
	static const unsigned int permille[] = { 0, 1, 100, 500, 900, 990,
						 999, 1000 };
	struct zk_lat_hist *h = new_hist();
	uint64_t sum = 0;
	double mean;
	size_t i;

	for (i = 0; i < n; i++) {
		zk_lat_hist_record(h, vals[i]);
		sum += vals[i];
	}
	qsort(vals, n, sizeof(vals[0]), cmp_u64);
	assert_int_equal(h->count, n);
	assert_int_equal(h->min, vals[0]);
	assert_int_equal(h->max, vals[n - 1]);
	for (i = 0; i < sizeof(permille) / sizeof(permille[0]); i++)
		assert_within(zk_lat_hist_percentile(h, permille[i] / 10.0),
			      ref_percentile(vals, n, permille[i]), 0.01);
	assert_int_equal(zk_lat_hist_percentile(h, 100.0), vals[n - 1]);
	mean = zk_lat_hist_mean(h);
	assert_true(fabs(mean - (double)sum / (double)n) <=
		    0.01 * (double)sum / (double)n + 1e-9);
	free(h);
}

static void
test_percentiles_random(void **state)
{
	size_t n = 100000, i;
	uint64_t *v = malloc(n * sizeof(*v));

	(void)state;
	assert_non_null(v);
	for (i = 0; i < n; i++)
		v[i] = rng_log(37);
	check_against_reference(v, n);
	/* Uniform, narrow: many values per bucket. */
	for (i = 0; i < n; i++)
		v[i] = 1000 + rng() % 5000;
	check_against_reference(v, n);
	free(v);
}

static void
test_percentiles_adversarial(void **state)
{
	size_t n = 4096, i;
	uint64_t *v = malloc(n * sizeof(*v));

	(void)state;
	assert_non_null(v);
	/* A single sample. */
	v[0] = 12345;
	check_against_reference(v, 1);
	/* Two far-apart samples. */
	v[0] = 1;
	v[1] = UINT64_C(100000000000);
	check_against_reference(v, 2);
	/* All equal, at a bucket's upper edge. */
	for (i = 0; i < n; i++)
		v[i] = zk_lat_hist_bucket_high(3000);
	check_against_reference(v, n);
	/* Powers of two and their neighbours: every bucket boundary. */
	for (i = 0; i < n; i++) {
		unsigned int e = (unsigned int)(i % 39) + 1;

		v[i] = (UINT64_C(1) << e) + (uint64_t)(i % 3) - 1;
	}
	check_against_reference(v, n);
	/* Bimodal: 99.8 % tiny, a 0.2 % tail of huge — P99.9 lands in it. */
	for (i = 0; i < n; i++)
		v[i] = i % 500 == 0 ? UINT64_C(90000000000) + i : 20 + i % 7;
	check_against_reference(v, n);
	/* Zeros mixed in, descending order. */
	for (i = 0; i < n; i++)
		v[i] = i % 2 ? 0 : n - i;
	check_against_reference(v, n);
	free(v);
}

static void
test_overflow_counted(void **state)
{
	struct zk_lat_hist *h = new_hist();

	(void)state;
	zk_lat_hist_record(h, UINT64_MAX);
	zk_lat_hist_record(h, 5);
	assert_int_equal(h->overflow, 1);
	assert_int_equal(h->max, UINT64_MAX);
	assert_int_equal(h->buckets[ZK_LAT_HIST_BUCKETS - 1], 1);
	assert_int_equal(zk_lat_hist_percentile(h, 100), UINT64_MAX);
	assert_int_equal(zk_lat_hist_percentile(h, 50), 5);
	/* Empty histogram: zeros, not garbage. */
	zk_lat_hist_init(h);
	assert_int_equal(zk_lat_hist_percentile(h, 99), 0);
	assert_true(zk_lat_hist_mean(h) == 0.0);
	free(h);
}

static void
test_merge_equals_single(void **state)
{
	struct zk_lat_hist *a = new_hist(), *b = new_hist(), *all = new_hist();
	struct zk_lat_hist *m = new_hist();
	size_t i;

	(void)state;
	for (i = 0; i < 50000; i++) {
		uint64_t v = rng_log(36);

		zk_lat_hist_record(i % 3 ? a : b, v);
		zk_lat_hist_record(all, v);
	}
	zk_lat_hist_merge(m, a);
	zk_lat_hist_merge(m, b);
	assert_memory_equal(m, all, sizeof(*m));
	/* Merging an empty histogram changes nothing. */
	zk_lat_hist_init(a);
	zk_lat_hist_merge(m, a);
	assert_memory_equal(m, all, sizeof(*m));
	free(a);
	free(b);
	free(all);
	free(m);
}

static struct zk_latency *
make(bool enabled, unsigned int lanes, enum zk_latency_clock clock)
{
	struct zk_latency_config cfg = {
		.enabled = enabled,
		.lanes = lanes,
		.clock = clock,
		.calibrate_ms = 10,
	};
	struct zk_latency *lat = zk_latency_create_cfg(&cfg);

	assert_non_null(lat);
	return lat;
}

static void
test_disabled_records_nothing(void **state)
{
	struct zk_latency *lat = zk_latency_create(false);
	struct zk_lat_hist *h = new_hist();
	uint64_t stamp = zk_latency_stamp_pack(100, 150);
	unsigned int s;

	(void)state;
	assert_non_null(lat);
	assert_int_equal(zk_latency_now(lat), 0);
	assert_int_equal(zk_latency_now(NULL), 0);
	for (s = 0; s < ZK_LAT_STAGES; s++)
		zk_latency_record(lat, (enum zk_latency_stage)s, 0, 100, 200);
	zk_latency_record(NULL, ZK_LAT_RX, 0, 100, 200);
	zk_latency_record_arrivals(lat, ZK_LAT_END_TO_END, 0, &stamp, 1,
				   sizeof(stamp), 1000);
	for (s = 0; s < ZK_LAT_STAGES; s++) {
		zk_latency_stage_hist(lat, (enum zk_latency_stage)s, h);
		assert_int_equal(h->count, 0);
		assert_int_equal(zk_latency_stage_drops(lat,
				 (enum zk_latency_stage)s, NULL, NULL), 0);
	}
	assert_int_equal(lat->bad_lane, 0);
	zk_latency_destroy(lat);
	free(h);
}

static void
test_enabled_records_and_counts_drops(void **state)
{
	struct zk_latency *lat = make(true, 2, ZK_LAT_CLOCK_MONOTONIC);
	struct zk_lat_hist *h = new_hist();
	uint64_t unstamped, backwards, t0, t1;

	(void)state;
	t0 = zk_latency_now(lat);
	t1 = zk_latency_now(lat);
	assert_true(t0 != 0 && t1 >= t0);
	zk_latency_record(lat, ZK_LAT_PROVING, 0, 1000, 3000);
	zk_latency_record(lat, ZK_LAT_PROVING, 1, 1000, 5000);
	zk_latency_record(lat, ZK_LAT_PROVING, 1, 0, 5000);    /* unstamped */
	zk_latency_record(lat, ZK_LAT_PROVING, 0, 5000, 1000); /* backwards */
	zk_latency_record(lat, ZK_LAT_PROVING, 2, 1000, 5000); /* bad lane */
	zk_latency_record(lat, ZK_LAT_STAGES, 0, 1000, 5000);  /* bad stage */
	zk_latency_stage_hist(lat, ZK_LAT_PROVING, h);
	assert_int_equal(h->count, 2);
	assert_int_equal(h->min, 2000);
	assert_int_equal(h->max, 4000);
	assert_int_equal(zk_latency_stage_drops(lat, ZK_LAT_PROVING, &unstamped,
						&backwards), 2);
	assert_int_equal(unstamped, 1);
	assert_int_equal(backwards, 1);
	assert_int_equal(lat->bad_lane, 2);
	zk_latency_stage_hist(lat, ZK_LAT_RX, h);
	assert_int_equal(h->count, 0);
	zk_latency_destroy(lat);
	free(h);
}

struct fake_op {
	uint8_t pad[3];
	uint64_t stamp;
} __attribute__((packed));

static void
test_stamps(void **state)
{
	struct zk_latency *lat = make(true, 1, ZK_LAT_CLOCK_MONOTONIC);
	struct fake_op ops[3];
	struct zk_lat_hist *h = new_hist();
	uint64_t arrival = (UINT64_C(7) << ZK_LAT_STAMP_ARRIVAL_BITS) - 10;
	uint64_t s, now;
	size_t i;

	(void)state;
	/* Arrival just below a 2^44 wrap, read back after the wrap. */
	s = zk_latency_stamp_pack(arrival, arrival + 300);
	now = arrival + 5000;
	assert_int_equal(zk_latency_stamp_arrival(s, now), arrival);
	assert_int_equal(zk_latency_stamp_enqueued(s, now), arrival + 300);
	/* Enqueue delta saturates instead of wrapping into the arrival. */
	s = zk_latency_stamp_pack(arrival, arrival + (UINT64_C(1) << 30));
	assert_int_equal(zk_latency_stamp_arrival(s, now), arrival);
	assert_int_equal(zk_latency_stamp_enqueued(s, now),
			 arrival + ZK_LAT_STAMP_DELTA_MAX);
	/* Enqueue before arrival reads as zero delta. */
	s = zk_latency_stamp_pack(arrival, arrival - 5);
	assert_int_equal(zk_latency_stamp_enqueued(s, now), arrival);
	/* Unstamped stays unstamped; a multiple of 2^44 does not. */
	assert_int_equal(zk_latency_stamp_pack(0, 5), 0);
	assert_int_equal(zk_latency_stamp_arrival(0, now), 0);
	assert_true(zk_latency_stamp_pack(UINT64_C(1) << 44,
					  UINT64_C(1) << 44) != 0);

	/* End to end over a batch of packed op records, one unstamped. */
	for (i = 0; i < 3; i++) {
		uint64_t st = zk_latency_stamp_pack(1000000 + i * 100,
						    1000000 + i * 100 + 7);

		memcpy((unsigned char *)&ops[i] + offsetof(struct fake_op, stamp),
		       &st, sizeof(st));
	}
	s = 0;
	memcpy((unsigned char *)&ops[1] + offsetof(struct fake_op, stamp), &s,
	       sizeof(s));
	zk_latency_record_arrivals(lat, ZK_LAT_END_TO_END, 0,
		(unsigned char *)ops + offsetof(struct fake_op, stamp), 3,
		sizeof(ops[0]), 1001000);
	zk_latency_stage_hist(lat, ZK_LAT_END_TO_END, h);
	assert_int_equal(h->count, 2);
	assert_int_equal(h->max, 1000);
	assert_int_equal(h->min, 800);
	assert_int_equal(zk_latency_stage_drops(lat, ZK_LAT_END_TO_END, NULL,
						NULL), 1);
	zk_latency_destroy(lat);
	free(h);
}

struct row {
	double value, pct, inv;
	uint64_t total;
	int cols;
};

/* Parse an .hgrm file; returns the number of data rows. */
static size_t
parse_hgrm(const char *path, struct row *rows, size_t max, uint64_t *count)
{
	char line[512];
	size_t n = 0;
	bool header = false;
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	*count = UINT64_MAX;
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long long total;
		struct row r;

		if (strstr(line, "Value") && strstr(line, "Percentile") &&
		    strstr(line, "TotalCount") &&
		    strstr(line, "1/(1-Percentile)")) {
			header = true;
			continue;
		}
		/* A blank in a scanf format matches any run of blanks. */
		if (sscanf(line, "#[Max = %*f, Total count = %llu]", &total) == 1)
			*count = total;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		assert_true(header);
		r.cols = sscanf(line, "%lf %lf %llu %lf", &r.value, &r.pct, &total,
				&r.inv);
		r.total = total;
		assert_true(r.cols == 3 || r.cols == 4);
		assert_true(n < max);
		rows[n++] = r;
	}
	fclose(f);
	assert_true(header);
	return n;
}

static void
test_write_parses_back(void **state)
{
	struct zk_latency *lat = make(true, 1, ZK_LAT_CLOCK_MONOTONIC);
	struct zk_lat_hist *h = new_hist();
	char dir[] = "/tmp/zk_latency_test_XXXXXX", path[256];
	struct row *rows = calloc(4096, sizeof(*rows));
	uint64_t count, p50 = 0;
	size_t n, i;
	FILE *f;
	char line[512];
	bool saw_e2e = false;

	(void)state;
	assert_non_null(rows);
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < 20000; i++)
		zk_latency_record(lat, ZK_LAT_BATCH, 0, 1, 1 + rng_log(30));
	assert_int_equal(zk_latency_write(lat, dir), 0);

	snprintf(path, sizeof(path), "%s/batch.hgrm", dir);
	n = parse_hgrm(path, rows, 4096, &count);
	zk_latency_stage_hist(lat, ZK_LAT_BATCH, h);
	assert_int_equal(count, 20000);
	assert_true(n > 20);
	/* Monotone values, percentiles and counts; last row is 100 %. */
	for (i = 1; i < n; i++) {
		assert_true(rows[i].value >= rows[i - 1].value);
		assert_true(rows[i].pct > rows[i - 1].pct);
		assert_true(rows[i].total >= rows[i - 1].total);
		if (i < n - 1) {
			assert_int_equal(rows[i].cols, 4);
			assert_true(fabs(rows[i].inv -
					 1.0 / (1.0 - rows[i].pct)) < 0.01 *
					 rows[i].inv);
		}
		if (fabs(rows[i].pct - 0.5) < 1e-9)
			p50 = (uint64_t)llround(rows[i].value * 1000.0);
	}
	assert_true(rows[0].pct == 0.0);
	assert_int_equal(rows[n - 1].cols, 3);
	assert_true(rows[n - 1].pct == 1.0);
	assert_int_equal(rows[n - 1].total, 20000);
	/* Monotonic clock: 1 tick = 1 ns, values are µs to 3 decimals. */
	assert_int_equal(p50, zk_lat_hist_percentile(h, 50.0));
	assert_true(fabs(rows[n - 1].value * 1000.0 - (double)h->max) < 1.0);

	/* An empty stage still has a well-formed file with no rows. */
	snprintf(path, sizeof(path), "%s/log.hgrm", dir);
	n = parse_hgrm(path, rows, 4096, &count);
	assert_int_equal(n, 0);
	assert_int_equal(count, 0);

	/* The summary names every stage and the clock. */
	snprintf(path, sizeof(path), "%s/summary.txt", dir);
	f = fopen(path, "r");
	assert_non_null(f);
	n = 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "end_to_end ", 11) == 0)
			saw_e2e = true;
		if (strstr(line, "CLOCK_MONOTONIC") != NULL)
			n++;
	}
	fclose(f);
	assert_true(saw_e2e);
	assert_int_equal(n, 1);

	for (i = 0; i < ZK_LAT_STAGES; i++) {
		snprintf(path, sizeof(path), "%s/%s.hgrm", dir,
			 zk_latency_stage_name((enum zk_latency_stage)i));
		assert_int_equal(unlink(path), 0);
	}
	snprintf(path, sizeof(path), "%s/summary.txt", dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	/* A directory that cannot be created is an error, not a crash. */
	assert_true(zk_latency_write(lat, "/proc/zk_no_such/dir") < 0);
	assert_int_equal(zk_latency_write(NULL, dir), -EINVAL);
	zk_latency_destroy(lat);
	free(rows);
	free(h);
}

static void
test_calibration_sane(void **state)
{
	struct zk_latency *lat = make(true, 1, ZK_LAT_CLOCK_AUTO);
	const struct zk_latency_calibration *cal = zk_latency_calibration(lat);
	uint64_t c0, c1, t0, t1;
	double ratio;
	struct timespec pause = { 0, 30000000 };

	(void)state;
	assert_non_null(cal);
	if (!cal->tsc) {
		assert_true(cal->ticks_per_ns == 1.0);
		zk_latency_destroy(lat);
		skip();
	}
	/* Invariant TSCs run at 0.5–6 GHz on anything we deploy on. */
	assert_true(cal->ticks_per_ns > 0.5 && cal->ticks_per_ns < 6.0);
	assert_true(cal->window_ns >= 10e6);
	/* Converting a TSC span gives the CLOCK_MONOTONIC span: the two
	 * clocks agree, which is what calibration promises. Loose bound:
	 * both reads may be preempted on a loaded box. */
	c0 = zk_latency_clock_monotonic_ns();
	t0 = zk_latency_now(lat);
	nanosleep(&pause, NULL);
	t1 = zk_latency_now(lat);
	c1 = zk_latency_clock_monotonic_ns();
	ratio = zk_latency_ticks_to_ns(lat, t1 - t0) / (double)(c1 - c0);
	assert_true(ratio > 0.9 && ratio <= 1.01);
	zk_latency_destroy(lat);
}

static void
test_bad_config(void **state)
{
	struct zk_latency_config cfg = { .enabled = true, .lanes = 1,
					 .clock = (enum zk_latency_clock)9 };

	(void)state;
	errno = 0;
	assert_null(zk_latency_create_cfg(&cfg));
	assert_int_equal(errno, EINVAL);
	assert_null(zk_latency_create_cfg(NULL));
	assert_string_equal(zk_latency_stage_name(ZK_LAT_END_TO_END),
			    "end_to_end");
	assert_string_equal(zk_latency_stage_name(ZK_LAT_STAGES), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bucket_error_bound),
		cmocka_unit_test(test_percentiles_random),
		cmocka_unit_test(test_percentiles_adversarial),
		cmocka_unit_test(test_overflow_counted),
		cmocka_unit_test(test_merge_equals_single),
		cmocka_unit_test(test_disabled_records_nothing),
		cmocka_unit_test(test_enabled_records_and_counts_drops),
		cmocka_unit_test(test_stamps),
		cmocka_unit_test(test_write_parses_back),
		cmocka_unit_test(test_calibration_sane),
		cmocka_unit_test(test_bad_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
