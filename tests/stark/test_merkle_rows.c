/* SPDX-License-Identifier: MIT */
/*
 * The verifier's batched leaf hashing (eight opened rows per BLAKE2s
 * compression where AVX2 is available): for row widths around the 8-element
 * block size, opened-row counts around the eight lanes, and the CLOB AIR's
 * 843 columns, an honest batch opening is accepted, its leaves agree with
 * the library hash one row at a time, and a single flipped byte in any
 * opened row (any lane, any block, the zero-padded tail) is rejected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bytehash.h"
#include "merkle.h"

#define LOG_ROWS 6
#define N_ROWS (1u << LOG_ROWS)

static uint64_t rng_state = 0x243f6a8885a308d3ull;

static uint64_t splitmix64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

struct opened {
	struct zk_merkle_tree tree;
	struct zk_merkle_batch batch;
	uint64_t idx[64];
	zk_gl *rows; /* count × n_cols, row-major */
};

/* A tree over random columns and `count` openings, some indices twice. */
static void open_random(struct opened *o, size_t n_cols, size_t count)
{
	zk_gl *lde = malloc(n_cols * N_ROWS * sizeof(zk_gl));

	assert_non_null(lde);
	assert_true(count <= 64);
	for (size_t i = 0; i < n_cols * N_ROWS; i++)
		lde[i] = zk_gl_from_u64(splitmix64());
	assert_int_equal(zk_merkle_build_lde(&o->tree, ZK_HASH_BLAKE2S, lde,
					     n_cols, N_ROWS, 1), ZK_MERKLE_OK);
	o->rows = malloc(count * n_cols * sizeof(zk_gl));
	assert_non_null(o->rows);
	for (size_t k = 0; k < count; k++) {
		o->idx[k] = k % 5 == 4 ? o->idx[k - 1] : splitmix64() % N_ROWS;
		for (size_t c = 0; c < n_cols; c++)
			o->rows[k * n_cols + c] = lde[c * N_ROWS + o->idx[k]];
	}
	assert_int_equal(zk_merkle_open_batch(&o->tree, o->idx, count,
					      &o->batch), ZK_MERKLE_OK);
	free(lde);
}

static void close_opened(struct opened *o)
{
	zk_merkle_batch_free(&o->batch);
	zk_merkle_free(&o->tree);
	free(o->rows);
}

static int verify(const struct opened *o, size_t n_cols, size_t count)
{
	return zk_merkle_verify_batch(ZK_HASH_BLAKE2S, zk_merkle_root(&o->tree),
				      LOG_ROWS, o->idx, count, o->rows, n_cols,
				      &o->batch);
}

/* The library's leaves, one row at a time, give the same root. */
static void check_library_leaves(const struct opened *o, size_t n_cols,
				 size_t count)
{
	struct zk_digest *leaves = malloc(count * sizeof(*leaves));
	struct zk_hasher *h = zk_hasher_new(ZK_HASH_BLAKE2S);

	assert_non_null(leaves);
	assert_non_null(h);
	for (size_t k = 0; k < count; k++)
		assert_int_equal(zk_hasher_leaf(h, o->rows + k * n_cols, n_cols,
						&leaves[k]), 0);
	assert_int_equal(zk_merkle_verify_batch_digests(ZK_HASH_BLAKE2S,
			 zk_merkle_root(&o->tree), LOG_ROWS, o->idx, count,
			 leaves, &o->batch), ZK_MERKLE_OK);
	zk_hasher_free(h);
	free(leaves);
}

/* Flip one bit of byte b of element c of opened row k: rejected. */
static void check_flip(struct opened *o, size_t n_cols, size_t count,
		       size_t k, size_t c, unsigned b)
{
	uint8_t *byte = (uint8_t *)&o->rows[k * n_cols + c] + b;
	uint8_t bit = (uint8_t)(1u << (splitmix64() % 8));

	*byte ^= bit;
	assert_int_equal(verify(o, n_cols, count), ZK_MERKLE_EREJECT);
	*byte ^= bit;
}

static void test_rows_narrow(void **state)
{
	static const size_t widths[] = { 1, 3, 4, 7, 8, 9, 15, 16, 17, 24 };
	static const size_t counts[] = { 1, 5, 7, 8, 9, 16, 17, 44 };

	(void)state;
	for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
		for (size_t n = 0; n < sizeof(counts) / sizeof(counts[0]); n++) {
			size_t n_cols = widths[w], count = counts[n];
			struct opened o;

			open_random(&o, n_cols, count);
			assert_int_equal(verify(&o, n_cols, count), ZK_MERKLE_OK);
			check_library_leaves(&o, n_cols, count);
			for (size_t k = 0; k < count; k++)
				for (size_t c = 0; c < n_cols; c++)
					for (unsigned b = 0; b < 8; b++)
						check_flip(&o, n_cols, count,
							   k, c, b);
			assert_int_equal(verify(&o, n_cols, count), ZK_MERKLE_OK);
			close_opened(&o);
		}
	}
}

/* The CLOB AIR's width: every row, the elements at each block edge. */
static void test_rows_clob_width(void **state)
{
	static const size_t cols[] = { 0, 1, 7, 8, 415, 832, 839, 840, 842 };
	const size_t n_cols = 843, count = 44;
	struct opened o;

	(void)state;
	open_random(&o, n_cols, count);
	assert_int_equal(verify(&o, n_cols, count), ZK_MERKLE_OK);
	check_library_leaves(&o, n_cols, count);
	for (size_t k = 0; k < count; k++)
		for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
			check_flip(&o, n_cols, count, k, cols[i],
				   (unsigned)(splitmix64() % 8));
	close_opened(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_narrow),
		cmocka_unit_test(test_rows_clob_width),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
