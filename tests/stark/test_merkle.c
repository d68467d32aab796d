/* SPDX-License-Identifier: MIT */
/*
 * Merkle commitments over every hash of bytehash.h: build (any thread
 * count gives the same root), single and batched openings, the wire form of
 * a batch as hostile input, and tampering of every kind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/sha.h>

#include "bytehash.h"
#include "merkle.h"
#include "poseidon2.h"

static const enum zk_hash_id all_hashes[] = {
	ZK_HASH_BLAKE2S, ZK_HASH_BLAKE2B, ZK_HASH_SHA256,
	ZK_HASH_POSEIDON2, ZK_HASH_POSEIDON2_W12,
};
#define N_HASHES (sizeof(all_hashes) / sizeof(all_hashes[0]))

static uint64_t rng_state = 0x13198a2e03707344ull;

static uint64_t splitmix64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Column-major LDE stand-in: n_cols columns of n_rows canonical elements. */
static zk_gl *random_lde(size_t n_cols, uint64_t n_rows)
{
	zk_gl *lde = malloc(n_cols * n_rows * sizeof(zk_gl));
	size_t i;

	assert_non_null(lde);
	for (i = 0; i < n_cols * n_rows; i++)
		lde[i] = zk_gl_from_u64(splitmix64());
	return lde;
}

static void get_row(const zk_gl *lde, size_t n_cols, uint64_t n_rows,
		    uint64_t i, zk_gl *row)
{
	size_t c;

	for (c = 0; c < n_cols; c++)
		row[c] = lde[c * n_rows + i];
}

static zk_gl *gather_rows(const zk_gl *lde, size_t n_cols, uint64_t n_rows,
			  const uint64_t *idx, size_t count)
{
	zk_gl *rows = malloc(count * n_cols * sizeof(zk_gl));
	size_t k;

	assert_non_null(rows);
	for (k = 0; k < count; k++)
		get_row(lde, n_cols, n_rows, idx[k], rows + k * n_cols);
	return rows;
}

/* Independent recomputation of the root: recursive, one hasher call per
 * node, no shared layout with merkle.c. */
static void naive_root(struct zk_hasher *h, const zk_gl *lde, size_t n_cols,
		       uint64_t n_rows, uint64_t lo, uint64_t len,
		       struct zk_digest *out)
{
	if (len == 1) {
		zk_gl row[16];

		assert_true(n_cols <= 16);
		get_row(lde, n_cols, n_rows, lo, row);
		assert_int_equal(zk_hasher_leaf(h, row, n_cols, out), 0);
	} else {
		struct zk_digest l, r;

		naive_root(h, lde, n_cols, n_rows, lo, len / 2, &l);
		naive_root(h, lde, n_cols, n_rows, lo + len / 2, len / 2, &r);
		assert_int_equal(zk_hasher_node(h, &l, &r, out), 0);
	}
}

static void test_hasher_definitions(void **state)
{
	zk_gl row[8], e[4], l4[4], r4[4];
	struct zk_digest d, l, r, node;
	uint8_t buf[1 + 64], want[32];
	struct zk_hasher *h;
	size_t i, k;

	(void)state;
	for (i = 0; i < 8; i++)
		row[i] = zk_gl_from_u64(splitmix64());

	/* SHA-256: RFC 6962-style prefix byte, elements little-endian. */
	h = zk_hasher_new(ZK_HASH_SHA256);
	assert_non_null(h);
	buf[0] = 0x00;
	for (i = 0; i < 8; i++)
		for (k = 0; k < 8; k++)
			buf[1 + 8 * i + k] = (uint8_t)(row[i] >> (8 * k));
	SHA256(buf, sizeof(buf), want);
	assert_int_equal(zk_hasher_leaf(h, row, 8, &d), 0);
	assert_memory_equal(d.bytes, want, 32);
	memcpy(l.bytes, buf + 1, 32);
	memcpy(r.bytes, buf + 33, 32);
	buf[0] = 0x01;
	SHA256(buf, sizeof(buf), want);
	assert_int_equal(zk_hasher_node(h, &l, &r, &node), 0);
	assert_memory_equal(node.bytes, want, 32);
	zk_hasher_free(h);

	/* Poseidon2: leaf = sponge, node = w8 / w12 compression. */
	for (i = 0; i < 4; i++) {
		l4[i] = row[i];
		r4[i] = row[4 + i];
	}
	zk_digest_from_gl(&l, l4);
	zk_digest_from_gl(&r, r4);
	h = zk_hasher_new(ZK_HASH_POSEIDON2);
	assert_non_null(h);
	zk_p2_hash(row, 8, e);
	assert_int_equal(zk_hasher_leaf(h, row, 8, &d), 0);
	zk_digest_from_gl(&node, e);
	assert_memory_equal(&d, &node, sizeof(d));
	zk_p2_compress_w8(l4, r4, e);
	assert_int_equal(zk_hasher_node(h, &l, &r, &node), 0);
	zk_digest_from_gl(&d, e);
	assert_memory_equal(&d, &node, sizeof(d));
	zk_hasher_free(h);

	h = zk_hasher_new(ZK_HASH_POSEIDON2_W12);
	assert_non_null(h);
	zk_p2_compress_w12(l4, r4, e);
	assert_int_equal(zk_hasher_node(h, &l, &r, &node), 0);
	zk_digest_from_gl(&d, e);
	assert_memory_equal(&d, &node, sizeof(d));
	/* The same field value under another 64-bit encoding (5 + p, bytes
	 * 06 00 00 00 ff ff ff ff) is refused. */
	memset(l.bytes, 0, 8);
	l.bytes[0] = 6;
	memset(l.bytes + 4, 0xff, 4);
	assert_true(zk_digest_to_gl(&l, e) == -1);
	assert_int_equal(zk_hasher_node(h, &l, &r, &node), -1);
	zk_hasher_free(h);

	assert_int_equal(zk_hash_for_row_width(8), ZK_HASH_BLAKE2S);
	assert_int_equal(zk_hash_for_row_width(9), ZK_HASH_BLAKE2B);
	assert_null(zk_hasher_new((enum zk_hash_id)0));
	assert_null(zk_hasher_new((enum zk_hash_id)99));
}

/* A leaf over the 64 bytes l ‖ r must differ from node(l, r). */
static void test_leaf_node_separation(void **state)
{
	size_t hi, i;

	(void)state;
	for (hi = 0; hi < N_HASHES; hi++) {
		struct zk_hasher *h = zk_hasher_new(all_hashes[hi]);
		struct zk_digest l, r, leaf, node;
		zk_gl row[8];

		assert_non_null(h);
		for (i = 0; i < 8; i++)
			row[i] = zk_gl_from_u64(splitmix64());
		zk_digest_from_gl(&l, row);
		zk_digest_from_gl(&r, row + 4);
		assert_int_equal(zk_hasher_leaf(h, row, 8, &leaf), 0);
		assert_int_equal(zk_hasher_node(h, &l, &r, &node), 0);
		assert_memory_not_equal(&leaf, &node, sizeof(leaf));
		zk_hasher_free(h);
	}
}

static void test_build_matches_naive(void **state)
{
	const size_t n_cols = 3;
	unsigned log_n;
	size_t hi;

	(void)state;
	for (hi = 0; hi < N_HASHES; hi++) {
		struct zk_hasher *h = zk_hasher_new(all_hashes[hi]);

		assert_non_null(h);
		for (log_n = 0; log_n <= 7; log_n++) {
			uint64_t n = 1ull << log_n;
			zk_gl *lde = random_lde(n_cols, n);
			struct zk_merkle_tree t;
			struct zk_digest want;

			assert_int_equal(zk_merkle_build_lde(&t, all_hashes[hi], lde,
							     n_cols, n, 1), 0);
			assert_int_equal(t.depth, log_n);
			naive_root(h, lde, n_cols, n, 0, n, &want);
			assert_memory_equal(zk_merkle_root(&t), &want, sizeof(want));
			zk_merkle_free(&t);
			free(lde);
		}
		zk_hasher_free(h);
	}
}

static void test_build_thread_independent(void **state)
{
	static const unsigned thread_counts[] = {1, 2, 3, 4, 7, 300};
	const size_t n_cols = 5;
	unsigned log_n;
	size_t ti;

	(void)state;
	for (log_n = 0; log_n <= 12; log_n += 3) {
		uint64_t n = 1ull << log_n;
		zk_gl *lde = random_lde(n_cols, n);
		struct zk_merkle_tree ref, t;

		assert_int_equal(zk_merkle_build_lde(&ref, zk_hash_for_row_width(5), lde,
						     n_cols, n, 1), 0);
		for (ti = 0; ti < sizeof(thread_counts) / sizeof(thread_counts[0]); ti++) {
			assert_int_equal(zk_merkle_build_lde(&t, zk_hash_for_row_width(5), lde,
							     n_cols, n,
							     thread_counts[ti]), 0);
			assert_memory_equal(t.nodes + 1, ref.nodes + 1,
					    (2 * n - 1) * sizeof(struct zk_digest));
			zk_merkle_free(&t);
		}
		zk_merkle_free(&ref);
		free(lde);
	}
}

static void test_build_rejects_bad_shapes(void **state)
{
	zk_gl col[6] = {1, 2, 3, 4, 5, 6};
	const zk_gl *cols[2] = {col, NULL};
	struct zk_merkle_tree t;

	(void)state;
	assert_int_equal(zk_merkle_build(&t, zk_hash_for_row_width(5), cols, 1, 6, 1),
			 ZK_MERKLE_EINVAL);
	assert_int_equal(zk_merkle_build(&t, zk_hash_for_row_width(5), cols, 1, 0, 1),
			 ZK_MERKLE_EINVAL);
	assert_int_equal(zk_merkle_build(&t, zk_hash_for_row_width(5), cols, 0, 4, 1),
			 ZK_MERKLE_EINVAL);
	assert_int_equal(zk_merkle_build(&t, zk_hash_for_row_width(5), cols, 2, 4, 1),
			 ZK_MERKLE_EINVAL);
	assert_int_equal(zk_merkle_build(&t, (enum zk_hash_id)42, cols, 1, 4, 1),
			 ZK_MERKLE_EINVAL);
	assert_null(t.nodes);
	assert_int_equal(zk_merkle_build(&t, zk_hash_for_row_width(5), cols, 1, 4, 0), 0);
	assert_int_equal(zk_merkle_open(&t, 4, NULL), ZK_MERKLE_EINVAL);
	zk_merkle_free(&t);
}

static void test_single_paths(void **state)
{
	const size_t n_cols = 4;
	struct zk_digest path[ZK_MERKLE_MAX_DEPTH];
	zk_gl row[4];
	unsigned log_n;
	size_t hi;

	(void)state;
	for (hi = 0; hi < N_HASHES; hi++) {
		for (log_n = 0; log_n <= 6; log_n++) {
			uint64_t n = 1ull << log_n, i;
			zk_gl *lde = random_lde(n_cols, n);
			struct zk_merkle_tree t;
			enum zk_hash_id id = all_hashes[hi];

			assert_int_equal(zk_merkle_build_lde(&t, id, lde, n_cols, n, 2), 0);
			for (i = 0; i < n; i++) {
				const struct zk_digest *root = zk_merkle_root(&t);
				unsigned d;

				assert_int_equal(zk_merkle_open(&t, i, path), 0);
				get_row(lde, n_cols, n, i, row);
				assert_int_equal(zk_merkle_verify_path(id, root, log_n, i, row,
								       n_cols, path), 0);
				/* Wrong index. */
				if (n > 1)
					assert_int_equal(zk_merkle_verify_path(id, root, log_n,
									       i ^ 1, row, n_cols, path),
							 ZK_MERKLE_EREJECT);
				assert_int_equal(zk_merkle_verify_path(id, root, log_n, i + n,
								       row, n_cols, path),
						 ZK_MERKLE_EREJECT);
				/* Wrong leaf value. */
				row[i % n_cols] = zk_gl_add(row[i % n_cols], 1);
				assert_int_equal(zk_merkle_verify_path(id, root, log_n, i, row,
								       n_cols, path),
						 ZK_MERKLE_EREJECT);
				row[i % n_cols] = zk_gl_sub(row[i % n_cols], 1);
				/* Any sibling bit. */
				for (d = 0; d < log_n; d++) {
					unsigned byte = (unsigned)(splitmix64() % ZK_DIGEST_BYTES);

					path[d].bytes[byte] ^= 0x10;
					assert_int_equal(zk_merkle_verify_path(id, root, log_n, i,
									       row, n_cols, path),
							 ZK_MERKLE_EREJECT);
					path[d].bytes[byte] ^= 0x10;
				}
			}
			zk_merkle_free(&t);
			free(lde);
		}
	}
}

/* Number of nodes a batch must carry: siblings of the union of the paths
 * that are not themselves on the union, counted from the definition. */
static size_t expected_batch_nodes(const uint64_t *idx, size_t count,
				   unsigned depth)
{
	uint64_t n = 1ull << depth;
	uint8_t *on_path = calloc(2 * n, 1);
	size_t k, total = 0;
	uint64_t v;

	assert_non_null(on_path);
	for (k = 0; k < count; k++)
		for (v = n + idx[k]; v >= 1; v >>= 1)
			on_path[v] = 1;
	for (v = 2; v < 2 * n; v++)
		if (on_path[v] && !on_path[v ^ 1])
			total++;
	free(on_path);
	return total;
}

struct batch_fixture {
	enum zk_hash_id hash;
	unsigned depth;
	uint64_t n;
	size_t n_cols;
	zk_gl *lde;
	struct zk_merkle_tree tree;
};

static void fixture_init(struct batch_fixture *f, enum zk_hash_id hash,
			 unsigned depth, size_t n_cols)
{
	f->hash = hash;
	f->depth = depth;
	f->n = 1ull << depth;
	f->n_cols = n_cols;
	f->lde = random_lde(n_cols, f->n);
	assert_int_equal(zk_merkle_build_lde(&f->tree, hash, f->lde, n_cols,
					     f->n, 2), 0);
}

static void fixture_fini(struct batch_fixture *f)
{
	zk_merkle_free(&f->tree);
	free(f->lde);
}

static int verify_rows(const struct batch_fixture *f, const uint64_t *idx,
		       size_t count, const zk_gl *rows,
		       const struct zk_merkle_batch *b)
{
	return zk_merkle_verify_batch(f->hash, zk_merkle_root(&f->tree),
				      f->depth, idx, count, rows, f->n_cols, b);
}

/* Open, check the node count against the definition, round-trip the wire
 * form and verify. */
static void open_and_verify(const struct batch_fixture *f, const uint64_t *idx,
			    size_t count)
{
	struct zk_merkle_batch b, back;
	zk_gl *rows = gather_rows(f->lde, f->n_cols, f->n, idx, count);
	uint8_t *wire;
	size_t len, used;

	assert_int_equal(zk_merkle_open_batch(&f->tree, idx, count, &b), 0);
	assert_int_equal(b.n_nodes, expected_batch_nodes(idx, count, f->depth));
	assert_int_equal(verify_rows(f, idx, count, rows, &b), 0);

	len = zk_merkle_batch_wire_size(&b);
	wire = malloc(len);
	assert_non_null(wire);
	assert_int_equal(zk_merkle_batch_serialize(&b, wire, len, &used), 0);
	assert_int_equal(used, len);
	assert_int_equal(zk_merkle_batch_deserialize(wire, len, b.n_nodes, &back,
						     NULL), 0);
	assert_int_equal(verify_rows(f, idx, count, rows, &back), 0);
	zk_merkle_batch_free(&back);
	free(wire);
	free(rows);
	zk_merkle_batch_free(&b);
}

static void test_batch_shapes(void **state)
{
	uint64_t idx[64];
	unsigned depth;
	size_t hi, k, round;

	(void)state;
	for (hi = 0; hi < N_HASHES; hi++) {
		for (depth = 0; depth <= 12; depth++) {
			struct batch_fixture f;

			fixture_init(&f, all_hashes[hi], depth, 3);

			/* One leaf: a full path. */
			idx[0] = f.n - 1;
			open_and_verify(&f, idx, 1);

			/* Random sets with repeats. */
			for (round = 0; round < 3; round++) {
				size_t count = 1 + splitmix64() % 40;

				for (k = 0; k < count; k++)
					idx[k] = splitmix64() % f.n;
				if (count > 2)
					idx[count - 1] = idx[0];
				open_and_verify(&f, idx, count);
			}

			/* All leaves (small trees): nothing to send. */
			if (f.n <= 64) {
				struct zk_merkle_batch b;

				for (k = 0; k < f.n; k++)
					idx[k] = f.n - 1 - k;
				open_and_verify(&f, idx, f.n);
				assert_int_equal(zk_merkle_open_batch(&f.tree, idx, f.n, &b), 0);
				assert_int_equal(b.n_nodes, 0);
				zk_merkle_batch_free(&b);
			}
			fixture_fini(&f);
		}
	}
}

static void test_batch_smaller_than_paths(void **state)
{
	static const uint64_t idx[] = {8, 9, 10, 11, 300, 301, 1000};
	const size_t count = sizeof(idx) / sizeof(idx[0]);
	struct batch_fixture f;
	struct zk_merkle_batch b;

	(void)state;
	fixture_init(&f, zk_hash_for_row_width(5), 10, 2);
	assert_int_equal(zk_merkle_open_batch(&f.tree, idx, count, &b), 0);
	/* 4 leaves under one depth-8 node, a pair, a lone leaf:
	 * (10 - 2) + (10 - 1) + 10 nodes, minus the shared upper levels. */
	assert_true(b.n_nodes < count * f.depth);
	assert_int_equal(b.n_nodes, expected_batch_nodes(idx, count, f.depth));
	assert_true(zk_merkle_batch_wire_size(&b) <
		    count * f.depth * sizeof(struct zk_digest));
	zk_merkle_batch_free(&b);
	fixture_fini(&f);
}

static void test_batch_tampering(void **state)
{
	static const uint64_t idx[] = {3, 17, 18, 40, 17, 63};
	const size_t count = sizeof(idx) / sizeof(idx[0]);
	size_t hi, k, c, byte, len, n_missing, extra_count;
	uint64_t bad[sizeof(idx) / sizeof(idx[0]) + 1];

	(void)state;
	for (hi = 0; hi < N_HASHES; hi++) {
		struct batch_fixture f;
		struct zk_merkle_batch b, back;
		zk_gl *rows;
		uint8_t *wire;

		fixture_init(&f, all_hashes[hi], 6, 3);
		rows = gather_rows(f.lde, f.n_cols, f.n, idx, count);
		assert_int_equal(zk_merkle_open_batch(&f.tree, idx, count, &b), 0);
		assert_int_equal(verify_rows(&f, idx, count, rows, &b), 0);

		/* Any leaf value. */
		for (k = 0; k < count * f.n_cols; k++) {
			rows[k] = zk_gl_add(rows[k], 1);
			assert_int_equal(verify_rows(&f, idx, count, rows, &b),
					 ZK_MERKLE_EREJECT);
			rows[k] = zk_gl_sub(rows[k], 1);
		}

		/* Any byte of any sent node. */
		for (k = 0; k < b.n_nodes; k++)
			for (byte = 0; byte < ZK_DIGEST_BYTES; byte++) {
				b.nodes[k].bytes[byte] ^= 0x01;
				assert_int_equal(verify_rows(&f, idx, count, rows, &b),
						 ZK_MERKLE_EREJECT);
				b.nodes[k].bytes[byte] ^= 0x01;
			}

		/* Wrong index: each index moved to another leaf. */
		for (k = 0; k < count; k++) {
			memcpy(bad, idx, sizeof(idx));
			bad[k] = (idx[k] + 1 + splitmix64() % (f.n - 1)) % f.n;
			assert_int_not_equal(verify_rows(&f, bad, count, rows, &b), 0);
			bad[k] = idx[k] + f.n; /* outside the tree */
			assert_int_equal(verify_rows(&f, bad, count, rows, &b),
					 ZK_MERKLE_EREJECT);
		}

		/* A repeated index with a different row. */
		for (c = 0; c < f.n_cols; c++)
			rows[4 * f.n_cols + c] = zk_gl_add(rows[4 * f.n_cols + c], 7);
		assert_int_equal(verify_rows(&f, idx, count, rows, &b),
				 ZK_MERKLE_EREJECT);
		for (c = 0; c < f.n_cols; c++)
			rows[4 * f.n_cols + c] = zk_gl_sub(rows[4 * f.n_cols + c], 7);

		/* Wrong root, wrong depth. */
		{
			struct zk_digest root = *zk_merkle_root(&f.tree);

			root.bytes[31] ^= 0x80;
			assert_int_equal(zk_merkle_verify_batch(f.hash, &root, f.depth, idx,
								count, rows, f.n_cols, &b),
					 ZK_MERKLE_EREJECT);
			assert_int_equal(zk_merkle_verify_batch(f.hash, zk_merkle_root(&f.tree),
								f.depth + 1, idx, count, rows,
								f.n_cols, &b),
					 ZK_MERKLE_EREJECT);
		}

		/* Missing and surplus nodes. */
		n_missing = b.n_nodes;
		b.n_nodes = (uint32_t)(n_missing - 1);
		assert_int_equal(verify_rows(&f, idx, count, rows, &b),
				 ZK_MERKLE_EREJECT);
		b.n_nodes = (uint32_t)n_missing;
		{
			struct zk_merkle_batch more = b;

			more.nodes = malloc((b.n_nodes + 1) * sizeof(struct zk_digest));
			assert_non_null(more.nodes);
			memcpy(more.nodes, b.nodes, b.n_nodes * sizeof(struct zk_digest));
			more.nodes[b.n_nodes] = b.nodes[0];
			more.n_nodes = b.n_nodes + 1;
			assert_int_equal(verify_rows(&f, idx, count, rows, &more),
					 ZK_MERKLE_EREJECT);
			free(more.nodes);
		}

		/* Fewer indices than the batch was made for: surplus nodes. */
		extra_count = count - 1;
		assert_int_equal(verify_rows(&f, idx, extra_count, rows, &b),
				 ZK_MERKLE_EREJECT);

		/* Wire form: every truncation and one extra byte fail to parse;
		 * with `consumed` the extra byte is left to the caller. */
		len = zk_merkle_batch_wire_size(&b);
		wire = malloc(len + 1);
		assert_non_null(wire);
		assert_int_equal(zk_merkle_batch_serialize(&b, wire, len + 1, NULL), 0);
		assert_int_equal(zk_merkle_batch_serialize(&b, wire, len - 1, NULL),
				 ZK_MERKLE_EINVAL);
		wire[len] = 0xAA;
		for (k = 0; k < len; k++) {
			assert_int_equal(zk_merkle_batch_deserialize(wire, k, 1000, &back,
								     NULL),
					 ZK_MERKLE_EFORMAT);
			assert_null(back.nodes);
		}
		assert_int_equal(zk_merkle_batch_deserialize(wire, len + 1, 1000, &back,
							     NULL),
				 ZK_MERKLE_EFORMAT);
		assert_int_equal(zk_merkle_batch_deserialize(wire, len + 1, 1000, &back,
							     &k),
				 0);
		assert_int_equal(k, len);
		assert_int_equal(verify_rows(&f, idx, count, rows, &back), 0);
		zk_merkle_batch_free(&back);
		/* Any bit of the wire form: it fails to parse or to verify. */
		for (k = 0; k < len; k++) {
			unsigned bit;

			for (bit = 0; bit < 8; bit += 3) {
				int prc;

				wire[k] ^= (uint8_t)(1u << bit);
				prc = zk_merkle_batch_deserialize(wire, len, 1000, &back, NULL);
				if (prc == 0)
					assert_int_equal(verify_rows(&f, idx, count, rows, &back),
							 ZK_MERKLE_EREJECT);
				else
					assert_int_equal(prc, ZK_MERKLE_EFORMAT);
				zk_merkle_batch_free(&back);
				wire[k] ^= (uint8_t)(1u << bit);
			}
		}
		/* Over the caller's bound. */
		assert_int_equal(zk_merkle_batch_deserialize(wire, len, b.n_nodes - 1,
							     &back, NULL),
				 ZK_MERKLE_EFORMAT);

		free(wire);
		free(rows);
		zk_merkle_batch_free(&b);
		fixture_fini(&f);
	}
}

/*
 * A sent node re-encoded as x + p (same value mod p, other bytes) must not
 * verify. Two leaves with chosen digests, so that a small element exists.
 */
static void test_poseidon2_non_canonical_node(void **state)
{
	static const uint64_t idx[] = {1};
	static const zk_gl left_e[4] = {3, 1, 4, 1};
	static const zk_gl right_e[4] = {5, 9, 2, 6};
	struct zk_digest leaves[2], root;
	struct zk_merkle_batch b;
	struct zk_hasher *h;
	size_t hi;

	(void)state;
	for (hi = 0; hi < N_HASHES; hi++) {
		enum zk_hash_id id = all_hashes[hi];

		if (!zk_hash_is_algebraic(id))
			continue;
		h = zk_hasher_new(id);
		assert_non_null(h);
		zk_digest_from_gl(&leaves[0], left_e);
		zk_digest_from_gl(&leaves[1], right_e);
		assert_int_equal(zk_hasher_node(h, &leaves[0], &leaves[1], &root), 0);
		zk_hasher_free(h);

		b.depth = 1;
		b.n_nodes = 1;
		b.nodes = &leaves[0];
		assert_int_equal(zk_merkle_verify_batch_digests(id, &root, 1, idx, 1,
								&leaves[1], &b), 0);
		/* 3 + p = 0xffffffff00000004 */
		leaves[0].bytes[0] = 4;
		memset(leaves[0].bytes + 4, 0xff, 4);
		assert_int_equal(zk_merkle_verify_batch_digests(id, &root, 1, idx, 1,
								&leaves[1], &b),
				 ZK_MERKLE_EREJECT);
	}
}

static void test_hostile_headers(void **state)
{
	uint8_t buf[ZK_MERKLE_BATCH_HEADER + 2 * ZK_DIGEST_BYTES] = {0};
	struct zk_merkle_batch b;
	size_t used;

	(void)state;
	/* Claims 2^32 - 1 nodes with two present. */
	buf[0] = ZK_MERKLE_BATCH_VERSION;
	buf[1] = 10;
	buf[2] = buf[3] = buf[4] = buf[5] = 0xff;
	assert_int_equal(zk_merkle_batch_deserialize(buf, sizeof(buf), SIZE_MAX, &b,
						     &used),
			 ZK_MERKLE_EFORMAT);
	/* Two nodes: fine, unless the caller's bound is 1. */
	buf[2] = 2;
	buf[3] = buf[4] = buf[5] = 0;
	assert_int_equal(zk_merkle_batch_deserialize(buf, sizeof(buf), 2, &b, NULL), 0);
	zk_merkle_batch_free(&b);
	assert_int_equal(zk_merkle_batch_deserialize(buf, sizeof(buf), 1, &b, NULL),
			 ZK_MERKLE_EFORMAT);
	/* Unknown version, absurd depth, short header, NULL. */
	buf[0] = 2;
	assert_int_equal(zk_merkle_batch_deserialize(buf, sizeof(buf), 2, &b, NULL),
			 ZK_MERKLE_EFORMAT);
	buf[0] = ZK_MERKLE_BATCH_VERSION;
	buf[1] = ZK_MERKLE_MAX_DEPTH + 1;
	assert_int_equal(zk_merkle_batch_deserialize(buf, sizeof(buf), 2, &b, NULL),
			 ZK_MERKLE_EFORMAT);
	assert_int_equal(zk_merkle_batch_deserialize(buf, 3, 2, &b, NULL),
			 ZK_MERKLE_EFORMAT);
	assert_int_equal(zk_merkle_batch_deserialize(NULL, 100, 2, &b, NULL),
			 ZK_MERKLE_EFORMAT);
	assert_string_equal(zk_merkle_strerror(ZK_MERKLE_EFORMAT),
			    "malformed batch opening");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hasher_definitions),
		cmocka_unit_test(test_leaf_node_separation),
		cmocka_unit_test(test_build_matches_naive),
		cmocka_unit_test(test_build_thread_independent),
		cmocka_unit_test(test_build_rejects_bad_shapes),
		cmocka_unit_test(test_single_paths),
		cmocka_unit_test(test_batch_shapes),
		cmocka_unit_test(test_batch_smaller_than_paths),
		cmocka_unit_test(test_batch_tampering),
		cmocka_unit_test(test_poseidon2_non_canonical_node),
		cmocka_unit_test(test_hostile_headers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
