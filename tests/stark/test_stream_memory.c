/* SPDX-License-Identifier: MIT */
/*
 * Peak memory of the coset-streaming prover (docs/perf.md, "Streaming
 * memory"): the LogUp range AIR at its least size (2^16 rows), fast and
 * compact, one proof in a forked child that first hands back the
 * parent's freed heap (malloc_trim), resets its peak-RSS mark
 * (/proc/self/clear_refs "5") and reports VmHWM − VmRSS at start per
 * main trace cell, trace included. The bounds sit above what this
 * prover measures (fast 42, compact 43; glibc's arenas made the compact
 * figure move by up to 9 between builds before) and below the prover
 * before the third pass (fast 48–51, compact 52–61): a main block buffer
 * beside the chunks' values in the quotient step again (+6 B per cell,
 * prover_quotient_last.c) fails the fast bound. The proof must verify.
 * And the NTT's twiddles for a 2^20 transform stay under 1 MiB (ntt.c
 * keeps 1024 per wide span; 12 MiB when they were all cached). Skipped
 * where clear_refs or VmHWM is missing and under AddressSanitizer (its
 * shadow memory is resident too, and the prover's large buffers are heap
 * buffers there).
 */
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "air_range.h"
#include "fri_internal.h"
#include "ntt.h"
#include "bench_util.h"
#include "params.h"
#include "stark.h"

#define LOG_N ZK_AIR_RANGE_MIN_LOG_N

/* Child: B per main cell ×10 (0 when not measurable, -1 on failure). */
static long child_peak(uint8_t set)
{
	const struct zk_stark_params *p = zk_stark_params_by_id(set);
	struct zk_prove_opts opts = { .threads = 2, .streaming = true };
	size_t n = (size_t)1 << LOG_N;
	struct zk_air_range air;
	zk_gl *cols[ZK_RANGE_WIDTH] = { 0 };
	zk_gl *values;
	uint8_t *proof = NULL;
	size_t proof_len = 0;
	uint64_t x = 0x9e3779b97f4a7c15ull;
	long start, peak;
	int rc;

	malloc_trim(0);
	if (p == NULL || reset_peak_rss() != 0)
		return 0;
	start = status_kb("VmRSS");
	if (start < 0)
		return 0;
	values = malloc(n * sizeof(zk_gl));
	for (unsigned c = 0; c < ZK_RANGE_WIDTH; c++)
		cols[c] = malloc(n * sizeof(zk_gl));
	for (unsigned c = 0; c < ZK_RANGE_WIDTH; c++)
		if (values == NULL || cols[c] == NULL)
			return -1;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		values[i] = x & 0xffff;
	}
	if (zk_air_range_trace(values, LOG_N, cols) != 0)
		return -1;
	zk_air_range_init(&air, values[0], values[n - 1]);
	free(values);
	rc = zk_stark_prove(&air.air, p, (const zk_gl *const *)cols, LOG_N,
			    &opts, &proof, &proof_len, NULL, 0);
	peak = status_kb("VmHWM");
	if (rc != ZK_STARK_ACCEPT ||
	    zk_stark_verify(&air.air, set, proof, proof_len, NULL, 0) !=
	    ZK_STARK_ACCEPT)
		return -1;
	free(proof);
	for (unsigned c = 0; c < ZK_RANGE_WIDTH; c++)
		free(cols[c]);
	if (peak < start)
		return 0;
	return (long)(10240.0 * (double)(peak - start) /
		      (double)(n * ZK_RANGE_WIDTH));
}

/* Child: kB the twiddles of a 2^20 transform add (0: not measurable). */
static long child_twiddles(uint8_t unused)
{
	long start, peak;

	(void)unused;
	zk_ntt_teardown();
	malloc_trim(0);
	if (reset_peak_rss() != 0)
		return 0;
	start = status_kb("VmRSS");
	if (start < 0 || zk_ntt_prepare(20) != 0)
		return start < 0 ? 0 : -1;
	peak = status_kb("VmHWM");
	zk_ntt_teardown();
	return peak >= start ? peak - start + 1 : 0;
}

/* fn(arg) run in a child of its own; its answer. */
static long measure_fn(long (*fn)(uint8_t), uint8_t arg)
{
	int fds[2], status;
	long v = -1;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		v = fn(arg);
		_exit(write(fds[1], &v, sizeof(v)) == (ssize_t)sizeof(v) ? 0 : 1);
	}
	close(fds[1]);
	if (read(fds[0], &v, sizeof(v)) != (ssize_t)sizeof(v))
		v = -1;
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return v;
}

static void check_bound(uint8_t set, long bound_x10)
{
	long v;

	if (ZK_BIG_ASAN)
		skip();
	v = measure_fn(child_peak, set);
	assert_true(v >= 0); /* the proof was made and verified */
	if (v == 0)
		skip();
	print_message("streaming %s 2^%u: %.1f B per main cell (bound %.1f)\n",
		      zk_stark_params_by_id(set)->name, LOG_N, v / 10.0,
		      bound_x10 / 10.0);
	assert_true(v <= bound_x10);
}

static void test_fast_peak(void **state)
{
	(void)state;
	check_bound(ZK_PARAMS_FAST, 460);
}

static void test_compact_peak(void **state)
{
	(void)state;
	check_bound(ZK_PARAMS_COMPACT, 520);
}

static void test_twiddles_small(void **state)
{
	long kb;

	(void)state;
	if (ZK_BIG_ASAN)
		skip();
	kb = measure_fn(child_twiddles, 0);
	assert_true(kb >= 0);
	if (kb == 0)
		skip();
	print_message("twiddles of a 2^20 transform: %ld kB (bound 1024)\n",
		      kb - 1);
	assert_true(kb - 1 <= 1024);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fast_peak),
		cmocka_unit_test(test_compact_peak),
		cmocka_unit_test(test_twiddles_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
