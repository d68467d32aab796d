/* SPDX-License-Identifier: MIT */
/*
 * bench_util.h — the clocks every benchmark in perf/ reads, and the
 * baseline the prover benchmarks divide by.
 *
 * now():      wall seconds (CLOCK_MONOTONIC).
 * cpu_now():  CPU seconds of every thread of this process.
 * status_kb(): a "Key:   123 kB" line of /proc/self/status ("VmRSS",
 *             "VmHWM"), or -1; reset_peak_rss(): VmHWM back to the
 *             current RSS (/proc/self/clear_refs "5"), 0 or -1 where the
 *             kernel has no such control. The peak-memory figures (and
 *             tests/stark/test_stream_memory.c's bounds) are read with them.
 * bench_lde_commit(): one coset LDE of `width` columns of 2^log_n rows at
 *             the set's blowup plus the Merkle tree over its rows — what
 *             any proof of that trace pays first, so prove ÷ it is the
 *             distance to the proof system's own limit. Wall seconds, or
 *             < 0 where memory or a library call failed; the CPU seconds
 *             in *cpu_s where it is not NULL.
 *
 * Header-only (static inline): each benchmark is one translation unit.
 */
#ifndef ZK_PERF_BENCH_UTIL_H
#define ZK_PERF_BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "field.h"
#include "merkle.h"
#include "ntt.h"
#include "params.h"

static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static inline double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static inline long status_kb(const char *key)
{
	char line[256];
	size_t klen = strlen(key);
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			kb = strtol(line + klen + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return kb;
}

static inline int reset_peak_rss(void)
{
	FILE *f = fopen("/proc/self/clear_refs", "w");
	int ok;

	if (f == NULL)
		return -1;
	ok = fputs("5", f) >= 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static inline double bench_lde_commit(zk_gl *const *cols, unsigned width,
				      unsigned log_n,
				      const struct zk_stark_params *p,
				      unsigned threads, double *cpu_s)
{
	size_t big = (size_t)1 << (log_n + p->log_blowup);
	zk_gl *lde = malloc(big * width * sizeof(zk_gl));
	zk_gl **out = calloc(width, sizeof(*out));
	struct zk_merkle_tree tree;
	double t0, c0, t1 = -1.0;

	if (lde == NULL || out == NULL)
		goto done;
	for (unsigned c = 0; c < width; c++)
		out[c] = lde + (size_t)c * big;
	c0 = cpu_now();
	t0 = now();
	if (zk_ntt_lde(out, (const zk_gl *const *)cols, width, log_n,
		       p->log_blowup, ZK_GL_MULTIPLICATIVE_GENERATOR,
		       threads) != 0 ||
	    zk_merkle_build_lde(&tree, p->hash, lde, width, big, threads) != 0)
		goto done;
	t1 = now() - t0;
	if (cpu_s != NULL)
		*cpu_s = cpu_now() - c0;
	zk_merkle_free(&tree);
done:
	free(out);
	free(lde);
	return t1;
}

#endif
