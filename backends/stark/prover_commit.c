/* SPDX-License-Identifier: MIT */
/*
 * Merkle commitments of the prover's LDEs, kept without their bottom
 * levels. A full tree over N rows holds 2N digests (64·N bytes), more than
 * the LDE it commits to for any AIR narrower than 8 columns, and the
 * prover keeps three of them until the queries. Only the levels from
 * ZK_PROVER_TREE_DROP up are kept; an opening recomputes the few nodes
 * below from the LDE rows, which the prover keeps anyway. The openings are
 * those zk_merkle_open_batch gives for the full tree (merkle.h: sorted,
 * deduplicated leaves, level by level, left to right, a sibling sent
 * unless known), so the proof does not change.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "prover_internal.h"
#include "stark.h"

/* 2^3 leaves per recomputed subtree: 1/8 of the tree's memory is kept */
#define ZK_PROVER_TREE_DROP 3

#define HUGE_PAGE ((size_t)2 << 20)

void *zk_prover_big_alloc(size_t bytes)
{
	void *p;

	if (bytes < HUGE_PAGE || getenv("NOALIGN"))
		return malloc(bytes);
	if (posix_memalign(&p, HUGE_PAGE, bytes) != 0)
		return NULL;
	/* advice only: where it is refused the pages are just smaller */
	if (getenv("NOTHP") == NULL) (void)madvise(p, bytes, MADV_HUGEPAGE);
	return p;
}

int zk_prover_commit_tree(struct zk_prover_tree *lt, enum zk_hash_id hash,
			  const zk_gl *lde, size_t n_cols, uint64_t n_rows,
			  unsigned threads)
{
	struct zk_merkle_tree full;
	size_t kept;

	memset(lt, 0, sizeof(*lt));
	if (zk_merkle_build_lde(&full, hash, lde, n_cols, n_rows, threads) != 0)
		return ZK_STARK_ENOMEM;
	lt->hash = hash;
	lt->depth = full.depth;
	lt->dropped = full.depth < ZK_PROVER_TREE_DROP ? full.depth :
						      ZK_PROVER_TREE_DROP;
	lt->n_leaves = n_rows;
	lt->lde = lde;
	lt->n_cols = n_cols;
	/* heap indices below 2·(n >> dropped): the levels >= dropped */
	kept = (size_t)2 * (size_t)(n_rows >> lt->dropped);
	lt->top = malloc(kept * sizeof(struct zk_digest));
	if (lt->top != NULL)
		memcpy(lt->top, full.nodes, kept * sizeof(struct zk_digest));
	zk_merkle_free(&full);
	return lt->top != NULL ? 0 : ZK_STARK_ENOMEM;
}

void zk_prover_tree_free(struct zk_prover_tree *lt)
{
	free(lt->top);
	memset(lt, 0, sizeof(*lt));
}

struct node_ctx {
	const struct zk_prover_tree *lt;
	struct zk_hasher *hasher;
	zk_gl *row;
};

/* The node at heap index k (merkle.h layout), recomputed below the top. */
static int tree_node(struct node_ctx *nc, uint64_t k, struct zk_digest *out)
{
	const struct zk_prover_tree *lt = nc->lt;
	struct zk_digest left, right;

	if (k < 2 * (lt->n_leaves >> lt->dropped)) {
		*out = lt->top[k];
		return 0;
	}
	if (k >= lt->n_leaves) {
		uint64_t i = k - lt->n_leaves;

		for (size_t c = 0; c < lt->n_cols; c++)
			nc->row[c] = lt->lde[c * lt->n_leaves + i];
		return zk_hasher_leaf(nc->hasher, nc->row, lt->n_cols, out);
	}
	if (tree_node(nc, 2 * k, &left) != 0 ||
	    tree_node(nc, 2 * k + 1, &right) != 0)
		return -1;
	return zk_hasher_node(nc->hasher, &left, &right, out);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
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
	nc.hasher = zk_hasher_new(lt->hash);
	nc.row = malloc((lt->n_cols + 1) * sizeof(zk_gl));
	out->nodes = malloc(((size_t)count * lt->depth + 1) * sizeof(*out->nodes));
	if (pos == NULL || nc.hasher == NULL || nc.row == NULL ||
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
	zk_hasher_free(nc.hasher);
	free(nc.row);
	free(pos);
	return rc;
}
