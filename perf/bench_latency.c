/* SPDX-License-Identifier: MIT */
/*
 * Cost of the latency profiler's hot path: one zk_latency_record() call
 * (enabled, disabled, and the bare histogram record) and one timestamp read
 * (rdtsc, rdtscp, lfence+rdtsc, clock_gettime, zk_latency_now()). The
 * baseline, measured in the same run, is the same loop with the call taken
 * out: it reads the same pre-drawn durations and feeds the same sink, so
 * "net" is what the call adds. Best of several repetitions per case.
 * Usage: bench_latency [iterations]   (default 20000000)
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "zkclob/latency.h"

#define DRAWS 4096u /* power of two: the loop indexes with a mask */
#define REPS 5

/* Opaque to the optimiser: keeps the enabled check and the pointer inside
 * the loop, as they are in the pipeline (no loop unswitching). */
#define LAUNDER(x) __asm__ volatile("" : "+r"(x))

static uint64_t durations[DRAWS];
static uint64_t sink;

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

enum kase {
	EMPTY,
	RECORD_ON,
	RECORD_OFF,
	HIST_RECORD,
	RDTSC,
	RDTSCP,
	LFENCE_RDTSC,
	CLOCK_MONO,
	NOW_ON,
	CASES
};

static const char *const case_names[CASES] = {
	[EMPTY] = "empty loop (baseline)",
	[RECORD_ON] = "zk_latency_record, enabled",
	[RECORD_OFF] = "zk_latency_record, disabled",
	[HIST_RECORD] = "zk_lat_hist_record",
	[RDTSC] = "rdtsc",
	[RDTSCP] = "rdtscp",
	[LFENCE_RDTSC] = "lfence; rdtsc",
	[CLOCK_MONO] = "clock_gettime(MONOTONIC)",
	[NOW_ON] = "zk_latency_now, enabled",
};

static double
run_case(enum kase k, uint64_t iters, struct zk_latency *on,
	 struct zk_latency *off, struct zk_lat_hist *h)
{
	uint64_t acc = 0, i;
	double t0 = now_ns();

	for (i = 0; i < iters; i++) {
		uint64_t d = durations[i & (DRAWS - 1)];
		struct zk_latency *lat = k == RECORD_OFF ? off : on;

		LAUNDER(lat);
		switch (k) {
		case RECORD_ON:
		case RECORD_OFF:
			zk_latency_record(lat, ZK_LAT_SEQUENCER, 0, 1, 1 + d);
			break;
		case HIST_RECORD:
			zk_lat_hist_record(h, d);
			break;
#if ZK_LATENCY_HAVE_TSC
		case RDTSC:
			d += __rdtsc();
			break;
		case RDTSCP: {
			unsigned int aux;

			d += __rdtscp(&aux);
			break;
		}
		case LFENCE_RDTSC:
			_mm_lfence();
			d += __rdtsc();
			break;
#endif
		case CLOCK_MONO:
			d += zk_latency_clock_monotonic_ns();
			break;
		case NOW_ON:
			d += zk_latency_now(lat);
			break;
		default:
			break;
		}
		acc += d;
	}
	sink += acc;
	return (now_ns() - t0) / (double)iters;
}

int
main(int argc, char **argv)
{
	struct zk_latency_config cfg = { .enabled = true, .lanes = 1 };
	uint64_t iters = argc > 1 ? strtoull(argv[1], NULL, 10) : 20000000u;
	struct zk_latency *on, *off;
	struct zk_lat_hist *h;
	double best[CASES];
	uint64_t state = 0x2545f4914f6cdd1du;
	const struct zk_latency_calibration *cal;
	unsigned int i, r;
	int k;

	if (iters == 0) {
		fprintf(stderr, "usage: %s [iterations > 0]\n", argv[0]);
		return 2;
	}
	on = zk_latency_create_cfg(&cfg);
	off = zk_latency_create(false);
	h = aligned_alloc(64, sizeof(*h));
	if (on == NULL || off == NULL || h == NULL) {
		fprintf(stderr, "bench_latency: out of memory\n");
		return 1;
	}
	zk_lat_hist_init(h);
	/* Log-uniform 10 ns … ~1 s in ticks: records spread over the whole
	 * histogram, as real stages do, instead of hammering one bucket. */
	for (i = 0; i < DRAWS; i++) {
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		durations[i] = (UINT64_C(16) << (state % 26)) + (state >> 40);
	}
	for (k = 0; k < CASES; k++)
		best[k] = 1e30;
	for (r = 0; r < REPS; r++) {
		for (k = 0; k < CASES; k++) {
			double t;

			if (!ZK_LATENCY_HAVE_TSC &&
			    (k == RDTSC || k == RDTSCP || k == LFENCE_RDTSC))
				continue;
			t = run_case((enum kase)k, iters, on, off, h);
			if (t < best[k])
				best[k] = t;
		}
	}

	cal = zk_latency_calibration(on);
	printf("clock: %s, %.6f ticks/ns (calibrated over %.1f ms, "
	       "half-window spread %.1f ppm), TSC invariant: %s\n",
	       cal->tsc ? "TSC" : "CLOCK_MONOTONIC", cal->ticks_per_ns,
	       cal->window_ns / 1e6, cal->spread_ppm,
	       cal->tsc_invariant ? "yes" : "no");
	printf("%llu iterations, best of %d\n", (unsigned long long)iters, REPS);
	printf("%-30s %10s %10s %10s\n", "case", "ns/iter", "net ns",
	       "x baseline");
	for (k = 0; k < CASES; k++) {
		if (best[k] >= 1e30)
			continue;
		printf("%-30s %10.2f %10.2f %10.2f\n", case_names[k], best[k],
		       best[k] - best[EMPTY], best[k] / best[EMPTY]);
	}
	printf("goal: zk_latency_record net < 10 ns: %s\n",
	       best[RECORD_ON] - best[EMPTY] < 10.0 ? "met" : "NOT met");
	zk_latency_destroy(on);
	zk_latency_destroy(off);
	free(h);
	return sink == 42 ? 3 : 0; /* keeps the sink live */
}
