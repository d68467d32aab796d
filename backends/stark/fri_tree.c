/* SPDX-License-Identifier: MIT */
/*
 * The Merkle tree of one FRI layer (fri_internal.h, zk_fri_layer_tree).
 * Its leaves are the rows of the layer's column-major transpose (column
 * ZK_EXT_DEGREE·k + e holds limb e of the k-th value of every coset).
 * The transpose of a large layer is made one slice of rows at a time: a
 * whole one would be another copy of the layer, the largest buffer of
 * layer 0. Each slice's
 * tree comes from zk_merkle_build and is copied level by level into the
 * full tree, so every digest is the one a single build over the whole
 * transpose gives.
 */
#include <stdlib.h>
#include <string.h>

#include "fri_internal.h"
#include "stark.h"

/*
 * Slices of at most this many transposed bytes (and at most 8 slices):
 * a small layer is built in one go, as each slice's build starts its own
 * workers.
 */
#define LAYER_SLICE_BYTES ((size_t)1 << 20)
#define LAYER_SLICES_MAX 8

struct transpose_ctx {
	const zk_ext *values;
	zk_gl *cols; /* ZK_EXT_DEGREE·K columns of n_rows */
	size_t n_rows;
	unsigned fold;
};

static void transpose_range(void *arg, size_t begin, size_t end)
{
	const struct transpose_ctx *c = arg;

	for (size_t j = begin; j < end; j++) {
		const zk_ext *coset = c->values + j * c->fold;

		for (unsigned k = 0; k < c->fold; k++)
			zk_ext_scatter(coset[k],
				       c->cols + ZK_EXT_DEGREE * k * c->n_rows + j,
				       c->n_rows);
	}
}

/*
 * Slice j of the layer is values + j·rows·2^f, or, with fill, part
 * j % per_block of what fill(ctx, j / per_block, scratch) writes: a block
 * is transposed a slice at a time, like a stored layer.
 */
static int layer_tree(struct zk_merkle_tree *tree, const zk_ext *values,
		      zk_fri_block_fn fill, void *ctx, zk_ext *scratch,
		      size_t per_block, unsigned f, size_t n_rows,
		      size_t slices, unsigned dropped, enum zk_hash_id hash,
		      unsigned threads)
{
	size_t n_cols = (size_t)ZK_EXT_DEGREE << f;
	size_t rows = n_rows / slices;
	const zk_gl **cols = calloc(n_cols + 1, sizeof(zk_gl *));
	struct zk_hasher *h = zk_hasher_new(hash);
	struct transpose_ctx tc = { .fold = 1u << f };
	unsigned depth = 0;
	int rc;

	tc.n_rows = rows;
	while (((size_t)1 << depth) < n_rows)
		depth++;
	memset(tree, 0, sizeof(*tree));
	tree->hash = hash;
	tree->depth = depth;
	tree->n_leaves = n_rows;
	/* the levels from `dropped` up: heap indices below 2·(n >> dropped) */
	tree->nodes = calloc(2 * (n_rows >> dropped), sizeof(struct zk_digest));
	tc.cols = zk_big_alloc(n_cols * rows * sizeof(zk_gl), fill != NULL);
	rc = cols == NULL || h == NULL || tree->nodes == NULL || tc.cols == NULL ?
		ZK_STARK_ENOMEM : ZK_STARK_ACCEPT;
	for (size_t j = 0; j < slices && rc == ZK_STARK_ACCEPT; j++) {
		struct zk_merkle_tree sub;
		int mrc;

		if (fill != NULL) {
			if (j % per_block == 0)
				rc = fill(ctx, j / per_block, scratch);
			if (rc != ZK_STARK_ACCEPT)
				break;
			tc.values = scratch + (j % per_block) * rows * tc.fold;
		} else {
			tc.values = values + j * rows * tc.fold;
		}
		zk_fri_parallel_for(threads, rows, transpose_range, &tc);
		for (size_t c = 0; c < n_cols; c++)
			cols[c] = tc.cols + c * rows;
		mrc = zk_merkle_build(&sub, hash, cols, n_cols, rows, threads);
		if (mrc != ZK_MERKLE_OK) {
			rc = mrc == ZK_MERKLE_ENOMEM ? ZK_STARK_ENOMEM :
						       ZK_STARK_EINVAL;
			break;
		}
		/* sub's level of cnt nodes is slice j of the level of
		 * slices·cnt nodes */
		for (size_t cnt = rows; cnt > 0; cnt >>= 1)
			if (slices * cnt <= n_rows >> dropped)
				memcpy(&tree->nodes[slices * cnt + j * cnt],
				       &sub.nodes[cnt],
				       cnt * sizeof(struct zk_digest));
		zk_merkle_free(&sub);
	}
	for (size_t k = slices; rc == ZK_STARK_ACCEPT && k-- > 1;)
		if (zk_hasher_node(h, &tree->nodes[2 * k], &tree->nodes[2 * k + 1],
				   &tree->nodes[k]) != 0)
			rc = ZK_STARK_EINVAL;
	free(cols);
	zk_big_free(tc.cols);
	zk_hasher_free(h);
	return rc;
}

int zk_fri_layer_tree(struct zk_merkle_tree *tree, const zk_ext *values,
		      unsigned f, size_t n_rows, enum zk_hash_id hash,
		      unsigned threads)
{
	size_t n_cols = (size_t)ZK_EXT_DEGREE << f, slices = 1;

	while (slices < LAYER_SLICES_MAX && slices < n_rows &&
	       (n_rows / slices) * n_cols * sizeof(zk_gl) > LAYER_SLICE_BYTES)
		slices *= 2;
	return layer_tree(tree, values, NULL, NULL, NULL, 1, f, n_rows, slices,
			  0, hash, threads);
}

int zk_fri_layer_tree_blocks_top(struct zk_merkle_tree *tree, unsigned f,
				 size_t n_rows, size_t slices,
				 zk_fri_block_fn fill, void *ctx,
				 zk_ext *scratch, enum zk_hash_id hash,
				 unsigned threads, unsigned max_dropped,
				 unsigned *dropped)
{
	if (fill == NULL || scratch == NULL || slices == 0 ||
	    (slices & (slices - 1)) != 0 || n_rows % slices != 0) {
		memset(tree, 0, sizeof(*tree));
		return ZK_STARK_EINVAL;
	}
	size_t n_cols = (size_t)ZK_EXT_DEGREE << f, per_block = 1;
	unsigned d = 0;

	while (per_block < n_rows / slices &&
	       (n_rows / slices / per_block) * n_cols * sizeof(zk_gl) >
	       LAYER_SLICE_BYTES)
		per_block *= 2;
	/* a slice's levels from d up are whole subtrees of the kept ones */
	while (d < max_dropped &&
	       ((size_t)2 << d) <= n_rows / (slices * per_block))
		d++;
	*dropped = d;
	return layer_tree(tree, NULL, fill, ctx, scratch, per_block, f,
			  n_rows, slices * per_block, d, hash, threads);
}

int zk_fri_layer_tree_blocks(struct zk_merkle_tree *tree, unsigned f,
			     size_t n_rows, size_t slices,
			     zk_fri_block_fn fill, void *ctx, zk_ext *scratch,
			     enum zk_hash_id hash, unsigned threads)
{
	unsigned dropped;

	return zk_fri_layer_tree_blocks_top(tree, f, n_rows, slices, fill,
					    ctx, scratch, hash, threads, 0,
					    &dropped);
}
