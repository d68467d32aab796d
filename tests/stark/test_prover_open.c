/* SPDX-License-Identifier: MIT */
/*
 * Streaming openings (prover_open.c): the rows of any aligned group of
 * any coset block of D made by zk_prover_block_part equal those of the
 * whole block's transform (zk_prover_block), for every group size from
 * one row to the whole block, every block and each parameter set's
 * blowup, with one thread or (parts of 2^12 up) three; a misaligned or
 * out-of-range group is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "params.h"
#include "prover_internal.h"
#include "stark.h"

#define N_COLS 3

static uint64_t rng_state;

static zk_gl rng_gl(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return zk_gl_from_u64(z ^ (z >> 31));
}

static void check_set(uint8_t id, unsigned log_n)
{
	struct zk_prover pv = { 0 };
	size_t n = (size_t)1 << log_n;
	zk_gl *coeffs = malloc(N_COLS * n * sizeof(zk_gl));
	zk_gl *block = malloc(N_COLS * n * sizeof(zk_gl));
	zk_gl *part = malloc(N_COLS * n * sizeof(zk_gl));
	const zk_gl *cols[N_COLS];

	assert_non_null(coeffs);
	assert_non_null(block);
	assert_non_null(part);
	pv.p = zk_stark_params_by_id(id);
	assert_non_null(pv.p);
	pv.log_n = log_n;
	pv.n = n;
	pv.log_domain = log_n + pv.p->log_blowup;
	pv.big_n = (size_t)1 << pv.log_domain;
	pv.threads = 1;
	for (size_t i = 0; i < N_COLS * n; i++)
		coeffs[i] = rng_gl();
	for (unsigned c = 0; c < N_COLS; c++)
		cols[c] = coeffs + c * n;
	for (size_t h = 0; h < pv.big_n / n; h++) {
		assert_int_equal(zk_prover_block(&pv, cols, N_COLS, h, block), 0);
		for (unsigned d = 0; d <= log_n; d++) {
			size_t len = (size_t)1 << d;

			/* the first, the last and one middle group */
			for (size_t first = 0; first < n; first += len) {
				if (first != 0 && first != n - len &&
				    first != (n / 2 & ~(len - 1)) + len)
					continue;
				if (first >= n)
					continue;
				assert_int_equal(zk_prover_block_part(
					&pv, cols, N_COLS, h, first, d, part), 0);
				for (unsigned c = 0; c < N_COLS; c++)
					assert_memory_equal(part + c * len,
							    block + c * n + first,
							    len * sizeof(zk_gl));
			}
		}
	}
	/* misaligned, beyond the block, larger than it */
	assert_int_equal(zk_prover_block_part(&pv, cols, N_COLS, 0, 2, 2, part),
			 ZK_STARK_EINVAL);
	assert_int_equal(zk_prover_block_part(&pv, cols, N_COLS, 0, n, 0, part),
			 ZK_STARK_EINVAL);
	assert_int_equal(zk_prover_block_part(&pv, cols, N_COLS, 0, 0,
					      log_n + 1, part),
			 ZK_STARK_EINVAL);
	free(coeffs);
	free(block);
	free(part);
}

static void test_part_equals_block(void **state)
{
	(void)state;
	rng_state = 3;
	check_set(ZK_PARAMS_FAST, 8);
	check_set(ZK_PARAMS_COMPACT, 7);
	check_set(ZK_PARAMS_THROUGHPUT, 10);
	check_set(ZK_PARAMS_FAST, 1);
}

/*
 * Parts of 2^12 rows and more are folded and transformed by the prover's
 * threads (zk_prover_block_part_threads, the composition's commitment):
 * the same rows as one thread and as the whole block's transform.
 */
static void test_threaded_part_equals_block(void **state)
{
	struct zk_prover pv = { 0 };
	unsigned log_n = 14;
	size_t n = (size_t)1 << log_n;
	zk_gl *coeffs = malloc(N_COLS * n * sizeof(zk_gl));
	zk_gl *block = malloc(N_COLS * n * sizeof(zk_gl));
	zk_gl *part = malloc(N_COLS * n * sizeof(zk_gl));
	const zk_gl *cols[N_COLS];

	(void)state;
	assert_non_null(coeffs);
	assert_non_null(block);
	assert_non_null(part);
	rng_state = 11;
	pv.p = zk_stark_params_by_id(ZK_PARAMS_FAST);
	assert_non_null(pv.p);
	pv.log_n = log_n;
	pv.n = n;
	pv.log_domain = log_n + pv.p->log_blowup;
	pv.big_n = (size_t)1 << pv.log_domain;
	pv.threads = 3;
	for (size_t i = 0; i < N_COLS * n; i++)
		coeffs[i] = rng_gl();
	for (unsigned c = 0; c < N_COLS; c++)
		cols[c] = coeffs + c * n;
	for (size_t h = 0; h < pv.big_n / n; h += 3) {
		assert_int_equal(zk_prover_block(&pv, cols, N_COLS, h, block), 0);
		for (unsigned d = 12; d <= log_n; d++) {
			size_t len = (size_t)1 << d;

			for (size_t first = 0; first < n; first += len) {
				assert_int_equal(zk_prover_block_part_threads(
					&pv, cols, N_COLS, h, first, d, part,
					3), 0);
				for (unsigned c = 0; c < N_COLS; c++)
					assert_memory_equal(part + c * len,
							    block + c * n + first,
							    len * sizeof(zk_gl));
			}
		}
	}
	assert_int_equal(zk_prover_block_part_threads(&pv, cols, N_COLS, 0, 1,
						      12, part, 3),
			 ZK_STARK_EINVAL);
	free(coeffs);
	free(block);
	free(part);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_part_equals_block),
		cmocka_unit_test(test_threaded_part_equals_block),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
