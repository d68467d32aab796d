/* SPDX-License-Identifier: MIT */
/*
 * Merkle commitments of the prover's LDEs, kept without their bottom
 * levels. A full tree over N rows holds 2N digests (64·N bytes), more than
 * the LDE it commits to for any AIR narrower than 8 columns, and the
 * prover keeps three of them until the queries. Only the levels from 3
 * or 5 up are kept; an opening recomputes the few nodes below from the
 * LDE rows, which the prover keeps anyway. The tree is built in slices so
 * that no full tree exists even while building. The openings are those
 * zk_merkle_open_batch gives for the full tree (merkle.h: sorted,
 * deduplicated leaves, level by level, left to right, a sibling sent
 * unless known), so the proof does not change.
 * A streaming prover keeps no LDE: its trees are built block by block
 * from blocks it makes and drops, and before the openings it makes again
 * the blocks the queried rows fall in and keeps those rows' groups.
 */
#include <stdlib.h>
#include <string.h>

#include "prover_internal.h"
#include "stark.h"

/*
 * Levels dropped: 2^5 leaves per recomputed subtree for rows of one hash
 * block (<= 8 elements), 2^3 for wider rows, whose leaves cost more to
 * recompute; at most 44·2^5 leaf hashes per tree per proof.
 */
#define TREE_DROP_NARROW 5
#define TREE_DROP_WIDE 3
/* the tree is built in this many slices, each slice's full tree transient */
#define TREE_SLICES 8
/*
 * A streaming tree's slices have at most this many rows: a slice's full
 * tree (64 bytes a row, on 2 MiB-aligned pages from 2 MiB up) is
 * transient beside the segment's block, and an eighth of the domain made
 * it 14 B per main cell for the range AIR's composition at 2^16. Each
 * slice's build starts its own workers, so not much smaller.
 */
#define STREAM_SLICE_ROWS ((uint64_t)1 << 12)

static unsigned log2_size(uint64_t v)
{
	unsigned l = 0;

	while (((uint64_t)1 << l) < v)
		l++;
	return l;
}

/*
 * Levels a streaming tree drops. The opened groups' rows are made anew
 * either way, at the same cost for any group size
 * (zk_prover_block_part), so d trades the kept digests, 2·N/2^d of 32
 * bytes held from the commitment to the queries, against the cached
 * rows, about q·2^d·n_cols elements. The digests are held through the
 * prover's peak (the quotient step, made again for the openings), the
 * cached rows only during the openings, below it: weighing the rows a
 * sixteenth, the least sum is at 2^d = sqrt(128N/(q·n_cols)), with q ≈
 * 64 queries (d = 8 for the range AIR's 4 main columns at 2^18 points, 7
 * for its 9 composition columns, 3 for the Poseidon2 chain's 236); kept
 * within [TREE_DROP_WIDE, 8].
 */
static unsigned stream_drop(unsigned depth, size_t n_cols)
{
	unsigned lc = log2_size(n_cols), d;

	d = depth + 1 > lc ? (depth + 1 - lc) / 2 : 0;
	return d < TREE_DROP_WIDE ? TREE_DROP_WIDE : d > 8 ? 8 : d;
}

/* Copy levels [lt->dropped, log2 rows] of slice j's tree into lt->top. */
static void keep_slice(struct zk_prover_tree *lt, const struct zk_merkle_tree *sub,
		       uint64_t j)
{
	uint64_t rows = sub->n_leaves;

	for (unsigned l = lt->dropped; ((uint64_t)1 << l) <= rows; l++) {
		uint64_t count = rows >> l;

		memcpy(&lt->top[(lt->n_leaves >> l) + j * count],
		       &sub->nodes[count], count * sizeof(struct zk_digest));
	}
}

int zk_prover_commit_tree(struct zk_prover_tree *lt, enum zk_hash_id hash,
			  const zk_gl *lde, size_t n_cols, uint64_t n_rows,
			  unsigned threads)
{
	uint64_t kept_nodes, slices, rows;
	const zk_gl **cols = calloc(n_cols + 1, sizeof(zk_gl *));
	struct zk_hasher *h = zk_hasher_new(hash);
	int rc = ZK_STARK_ENOMEM;

	memset(lt, 0, sizeof(*lt));
	lt->hash = hash;
	lt->depth = log2_size(n_rows);
	lt->dropped = n_cols <= ZK_HASH_NARROW_ROW ? TREE_DROP_NARROW :
						      TREE_DROP_WIDE;
	if (lt->dropped > lt->depth)
		lt->dropped = lt->depth;
	lt->n_leaves = n_rows;
	lt->lde = lde;
	lt->n_cols = n_cols;
	/* heap indices below 2·(n >> dropped): the levels >= dropped */
	kept_nodes = 2 * (n_rows >> lt->dropped);
	lt->top = calloc(kept_nodes, sizeof(struct zk_digest));
	if (cols == NULL || h == NULL || lt->top == NULL)
		goto done;
	slices = n_rows >> lt->dropped < TREE_SLICES ? n_rows >> lt->dropped :
						       TREE_SLICES;
	rows = n_rows / slices;
	for (uint64_t j = 0; j < slices; j++) {
		struct zk_merkle_tree sub;

		for (size_t c = 0; c < n_cols; c++)
			cols[c] = lde + c * n_rows + j * rows;
		if (zk_merkle_build(&sub, hash, cols, n_cols, rows, threads) != 0)
			goto done;
		keep_slice(lt, &sub, j);
		zk_merkle_free(&sub);
	}
	/* the few nodes above the slices */
	for (uint64_t k = slices; k-- > 1;)
		if (zk_hasher_node(h, &lt->top[2 * k], &lt->top[2 * k + 1],
				   &lt->top[k]) != 0)
			goto done;
	rc = 0;
done:
	free(cols);
	zk_hasher_free(h);
	return rc;
}

/*
 * Streaming: block by block, each block in slices of at most rows_max
 * rows (a slice's full tree is transient), levels from `dropped` kept.
 */
int zk_prover_commit_tree_blocks(struct zk_prover_tree *lt,
				 enum zk_hash_id hash, size_t n_cols,
				 uint64_t n_rows, size_t n_blocks,
				 zk_block_fn fill, void *ctx, zk_gl *buf,
				 unsigned threads)
{
	uint64_t block_rows = n_rows / n_blocks, slice_rows, slices;
	const zk_gl **cols = calloc(n_cols + 1, sizeof(zk_gl *));
	struct zk_hasher *h = zk_hasher_new(hash);
	int rc = ZK_STARK_ENOMEM;

	memset(lt, 0, sizeof(*lt));
	lt->hash = hash;
	lt->depth = log2_size(n_rows);
	lt->dropped = stream_drop(lt->depth, n_cols);
	/* a group of 2^dropped leaves must lie inside one block */
	if (((uint64_t)1 << lt->dropped) > block_rows)
		lt->dropped = log2_size(block_rows);
	lt->n_leaves = n_rows;
	lt->n_cols = n_cols;
	lt->top = calloc(2 * (n_rows >> lt->dropped), sizeof(struct zk_digest));
	if (cols == NULL || h == NULL || lt->top == NULL)
		goto done;
	slices = n_rows >> lt->dropped < TREE_SLICES ? n_rows >> lt->dropped :
						       TREE_SLICES;
	slice_rows = n_rows / slices < block_rows ? n_rows / slices : block_rows;
	/* at least a group, so that the kept levels come whole from slices */
	if (slice_rows > STREAM_SLICE_ROWS)
		slice_rows = STREAM_SLICE_ROWS > ((uint64_t)1 << lt->dropped) ?
			     STREAM_SLICE_ROWS : (uint64_t)1 << lt->dropped;
	for (size_t b = 0; b < n_blocks; b++) {
		rc = fill(ctx, b, buf);
		if (rc != 0)
			goto done;
		rc = ZK_STARK_ENOMEM;
		for (uint64_t r = 0; r < block_rows; r += slice_rows) {
			struct zk_merkle_tree sub;

			for (size_t c = 0; c < n_cols; c++)
				cols[c] = buf + c * block_rows + r;
			if (zk_merkle_build(&sub, hash, cols, n_cols, slice_rows,
					    threads) != 0)
				goto done;
			keep_slice(lt, &sub, (b * block_rows + r) / slice_rows);
			zk_merkle_free(&sub);
		}
	}
	for (uint64_t k = n_rows / slice_rows; k-- > 1;)
		if (zk_hasher_node(h, &lt->top[2 * k], &lt->top[2 * k + 1],
				   &lt->top[k]) != 0)
			goto done;
	rc = 0;
done:
	free(cols);
	zk_hasher_free(h);
	return rc;
}

void zk_prover_tree_free(struct zk_prover_tree *lt)
{
	free(lt->top);
	free(lt->groups);
	free(lt->group_rows);
	memset(lt, 0, sizeof(*lt));
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Group g's rows, column-major in buf (stride `stride`, from row `at`),
 * into the cache. */
static void keep_group(struct zk_prover_tree *lt, size_t g, const zk_gl *buf,
		       uint64_t stride, uint64_t at)
{
	uint64_t group = (uint64_t)1 << lt->dropped;
	zk_gl *dst = lt->group_rows + g * group * lt->n_cols;

	for (uint64_t r = 0; r < group; r++)
		for (size_t c = 0; c < lt->n_cols; c++)
			dst[r * lt->n_cols + c] = buf[c * stride + at + r];
}

int zk_prover_tree_cache(struct zk_prover_tree *lt, const uint64_t *indices,
			 size_t count, size_t n_blocks, zk_block_fn fill,
			 zk_part_fn part, size_t part_max, void *ctx,
			 zk_gl *buf)
{
	uint64_t group = (uint64_t)1 << lt->dropped;
	uint64_t block_rows = lt->n_leaves / n_blocks;
	size_t m = 0, g = 0;
	int rc;

	free(lt->groups);
	free(lt->group_rows);
	lt->group_rows = NULL;
	lt->n_groups = 0;
	lt->groups = malloc((count + 1) * sizeof(uint64_t));
	if (lt->groups == NULL)
		return ZK_STARK_ENOMEM;
	for (size_t i = 0; i < count; i++) {
		if (indices[i] >= lt->n_leaves)
			return ZK_STARK_EINVAL;
		lt->groups[i] = indices[i] >> lt->dropped;
	}
	qsort(lt->groups, count, sizeof(uint64_t), cmp_u64);
	for (size_t i = 0; i < count; i++)
		if (m == 0 || lt->groups[m - 1] != lt->groups[i])
			lt->groups[m++] = lt->groups[i];
	lt->group_rows = malloc((m * group * lt->n_cols + 1) * sizeof(zk_gl));
	if (lt->group_rows == NULL)
		return ZK_STARK_ENOMEM;
	lt->n_groups = m;
	/* groups are sorted, so each block is made once */
	while (g < m) {
		size_t b = (size_t)((lt->groups[g] * group) / block_rows);
		size_t end = g;

		while (end < m && (lt->groups[end] * group) / block_rows == b)
			end++;
		if (part != NULL && end - g <= part_max) {
			for (; g < end; g++) {
				uint64_t first = lt->groups[g] * group -
						 b * block_rows;

				rc = part(ctx, b, first, lt->dropped, buf);
				if (rc != 0)
					return rc;
				keep_group(lt, g, buf, group, 0);
			}
			continue;
		}
		rc = fill(ctx, b, buf);
		if (rc != 0)
			return rc;
		for (; g < end; g++)
			keep_group(lt, g, buf, block_rows,
				   lt->groups[g] * group - b * block_rows);
	}
	return 0;
}

int zk_prover_tree_row(const struct zk_prover_tree *lt, uint64_t i, zk_gl *row)
{
	uint64_t key = i >> lt->dropped, group = (uint64_t)1 << lt->dropped;
	size_t lo = 0, hi = lt->n_groups;

	if (lt->lde != NULL) {
		for (size_t c = 0; c < lt->n_cols; c++)
			row[c] = lt->lde[c * lt->n_leaves + i];
		return 0;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (lt->groups[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == lt->n_groups || lt->groups[lo] != key)
		return -1;
	memcpy(row, lt->group_rows + (lo * group + (i & (group - 1))) * lt->n_cols,
	       lt->n_cols * sizeof(zk_gl));
	return 0;
}

/*
 * Below the kept levels an opening needs nodes of the subtrees of a few
 * groups of 2^dropped rows: each such subtree is built once, whole, with
 * zk_merkle_build (its eight-way leaf hashing), the first time one of its
 * nodes is asked for, rather than node by node and leaf by leaf.
 */
struct group_tree {
	uint64_t group;
	struct zk_merkle_tree tree;
};

struct node_ctx {
	const struct zk_prover_tree *lt;
	struct group_tree *groups;
	size_t n_groups, max_groups;
	zk_gl *cols; /* n_cols × 2^dropped, column-major */
};

static const struct zk_merkle_tree *group_tree(struct node_ctx *nc,
					       uint64_t g)
{
	const struct zk_prover_tree *lt = nc->lt;
	uint64_t rows = (uint64_t)1 << lt->dropped;
	const zk_gl **cols;
	zk_gl *row;
	struct group_tree *gt;
	int rc = 0;

	for (size_t i = 0; i < nc->n_groups; i++)
		if (nc->groups[i].group == g)
			return &nc->groups[i].tree;
	if (nc->n_groups == nc->max_groups)
		return NULL;
	cols = malloc((lt->n_cols + 1) * sizeof(*cols));
	row = malloc((lt->n_cols + 1) * sizeof(zk_gl));
	if (cols == NULL || row == NULL)
		rc = -1;
	/* the group's rows: in place in the LDE, else from the cache */
	for (uint64_t r = 0; rc == 0 && lt->lde == NULL && r < rows; r++) {
		rc = zk_prover_tree_row(lt, g * rows + r, row);
		for (size_t c = 0; rc == 0 && c < lt->n_cols; c++)
			nc->cols[c * rows + r] = row[c];
	}
	for (size_t c = 0; rc == 0 && c < lt->n_cols; c++)
		cols[c] = lt->lde != NULL ? lt->lde + c * lt->n_leaves + g * rows :
					    nc->cols + c * rows;
	gt = &nc->groups[nc->n_groups];
	if (rc == 0)
		rc = zk_merkle_build(&gt->tree, lt->hash, cols, lt->n_cols,
				     rows, 1);
	free(cols);
	free(row);
	if (rc != 0)
		return NULL;
	gt->group = g;
	nc->n_groups++;
	return &gt->tree;
}

/* The node at heap index k (merkle.h layout), from the top or its group. */
static int tree_node(struct node_ctx *nc, uint64_t k, struct zk_digest *out)
{
	const struct zk_prover_tree *lt = nc->lt;
	unsigned top_level = lt->depth - lt->dropped, level = 0, below;
	const struct zk_merkle_tree *t;

	if (k < 2 * (lt->n_leaves >> lt->dropped)) {
		*out = lt->top[k];
		return 0;
	}
	while ((k >> level) > 1)
		level++;
	below = level - top_level;
	t = group_tree(nc, (k >> below) - (lt->n_leaves >> lt->dropped));
	if (t == NULL)
		return -1;
	*out = t->nodes[((uint64_t)1 << below) | (k & (((uint64_t)1 << below) - 1))];
	return 0;
}

int zk_prover_open_tree(const struct zk_prover_tree *lt,
			const uint64_t *indices, size_t count,
			struct zk_merkle_batch *out)
{
	struct node_ctx nc = { .lt = lt };
	uint64_t *pos = malloc((count + 1) * sizeof(uint64_t));
	size_t m = 0;
	int rc = ZK_STARK_ENOMEM;

	memset(out, 0, sizeof(*out));
	/* a query needs the subtrees of its own group and of none other */
	nc.max_groups = count;
	nc.groups = calloc(count + 1, sizeof(*nc.groups));
	nc.cols = malloc((lt->n_cols << lt->dropped) * sizeof(zk_gl) + 1);
	out->nodes = malloc(((size_t)count * lt->depth + 1) * sizeof(*out->nodes));
	if (pos == NULL || nc.groups == NULL || nc.cols == NULL ||
	    out->nodes == NULL || count == 0)
		goto done;
	memcpy(pos, indices, count * sizeof(uint64_t));
	qsort(pos, count, sizeof(uint64_t), cmp_u64);
	for (size_t i = 0; i < count; i++) {
		if (pos[i] >= lt->n_leaves) {
			rc = ZK_STARK_EINVAL;
			goto done;
		}
		if (m == 0 || pos[m - 1] != pos[i])
			pos[m++] = pos[i];
	}
	for (unsigned d = 0; d < lt->depth; d++) {
		uint64_t base = lt->n_leaves >> d;
		size_t next = 0;

		for (size_t i = 0; i < m; i++) {
			uint64_t p = pos[i];

			if ((p & 1) == 0 && i + 1 < m && pos[i + 1] == p + 1)
				i++; /* sibling is known: nothing to send */
			else if (tree_node(&nc, (base + p) ^ 1,
					   &out->nodes[out->n_nodes++]) != 0)
				goto done;
			pos[next++] = p >> 1;
		}
		m = next;
	}
	out->depth = lt->depth;
	rc = 0;
done:
	if (rc != 0)
		zk_merkle_batch_free(out);
	for (size_t i = 0; i < nc.n_groups; i++)
		zk_merkle_free(&nc.groups[i].tree);
	free(nc.groups);
	free(nc.cols);
	free(pos);
	return rc;
}
