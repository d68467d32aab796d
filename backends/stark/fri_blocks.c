/* SPDX-License-Identifier: MIT */
/*
 * FRI with layer 0 given by blocks (fri.h, zk_fri_commit_blocks). Layer 0
 * is the largest array of a streaming proof (N extension values); here it
 * exists one block at a time, remade by the caller three times: for its
 * tree (before β_0 exists), for the first fold (after), and for the
 * queried cosets. Layers 1.. are held and committed as in fri.c, and
 * every digest and value is the one zk_fri_commit makes from the whole
 * layer, so the proof bytes do not depend on the mode.
 */
#include <stdlib.h>
#include <string.h>

#include "fri.h"
#include "fri_internal.h"
#include "stark.h"

/*
 * Levels layer 0's tree keeps below: its full tree is 64 bytes a coset
 * (16 B per main cell of the range AIR at blowup 16, held from the
 * commit to the queries); without its bottom 5 levels, 2 bytes, and the
 * queries make again the groups of 32 cosets holding the queried ones
 * (one part of 32·2^f positions each, a fold and a small transform).
 */
#define TREE0_DROP 5

/* The whole layer from its blocks: the path for a layer that is its own
 * final polynomial, or blocks smaller than one coset. */
static int gather_layer(size_t n, unsigned log_block, zk_fri_block_fn fill,
			void *ctx, zk_ext **out)
{
	zk_ext *all = malloc(n * sizeof(zk_ext));
	size_t bsize = (size_t)1 << log_block;
	int rc = ZK_STARK_ACCEPT;

	*out = NULL;
	if (all == NULL)
		return ZK_STARK_ENOMEM;
	for (size_t h = 0; h < n / bsize && rc == ZK_STARK_ACCEPT; h++)
		rc = fill(ctx, h, all + h * bsize);
	if (rc != ZK_STARK_ACCEPT) {
		free(all);
		return rc;
	}
	*out = all;
	return ZK_STARK_ACCEPT;
}

/*
 * Layer 0's tree from the blocks, β_0, and layer 1 folded from the blocks
 * made again. The fold reads a table of the N/2^f inverse roots it uses
 * (not fri.c's N/2), made after the tree; the later layers make theirs
 * the same way, one layer at a time (zk_fri_commit_from given no table).
 */
static int commit_first_layer(struct zk_fri_prover *fp,
			      struct zk_transcript *t, zk_ext *block,
			      zk_ext **next_out)
{
	unsigned f = fp->sched.log_folding[0], lb = fp->log_block;
	unsigned log_n = fp->cfg.log_domain;
	size_t blocks = (size_t)1 << (log_n - lb);
	size_t per_block = (size_t)1 << (lb - f);
	zk_gl *w_inv;
	zk_ext *next;
	zk_ext beta;
	int rc;

	rc = zk_fri_layer_tree_blocks_top(&fp->trees[0], f, blocks * per_block,
					  blocks, fp->fill, fp->fill_ctx, block,
					  fp->cfg.hash, fp->cfg.threads,
					  TREE0_DROP, &fp->dropped0);
	if (rc != ZK_STARK_ACCEPT)
		return rc;
	zk_transcript_absorb_digest(t, zk_merkle_root(&fp->trees[0]));
	beta = zk_transcript_draw_ext(t);
	w_inv = zk_fri_inv_roots_table(log_n, log_n - f, fp->cfg.threads, true);
	/* layer 1 becomes fp's (zk_fri_commit_from, freed with free()) */
	next = malloc(blocks * per_block * sizeof(zk_ext));
	if (w_inv == NULL || next == NULL) {
		zk_big_free(w_inv);
		free(next);
		return ZK_STARK_ENOMEM;
	}
	for (size_t h = 0; h < blocks && rc == ZK_STARK_ACCEPT; h++) {
		rc = fp->fill(fp->fill_ctx, h, block);
		if (rc == ZK_STARK_ACCEPT)
			rc = zk_fri_fold_part(fp, 0, block, h * per_block,
					      per_block, w_inv, true, beta,
					      next);
	}
	zk_big_free(w_inv);
	if (rc != ZK_STARK_ACCEPT) {
		free(next);
		return rc;
	}
	*next_out = next;
	return ZK_STARK_ACCEPT;
}

int zk_fri_commit_blocks(struct zk_fri_prover **out,
			 const struct zk_fri_config *cfg,
			 struct zk_transcript *t, unsigned log_block,
			 zk_fri_block_fn fill, void *ctx)
{
	struct zk_fri_prover *fp;
	zk_gl *w_inv_br = NULL;
	zk_ext *block = NULL, *cur = NULL;
	int rc;

	if (out == NULL)
		return ZK_STARK_EINVAL;
	*out = NULL;
	if (cfg == NULL || t == NULL || fill == NULL ||
	    log_block > cfg->log_domain)
		return ZK_STARK_EINVAL;
	rc = zk_fri_prover_start(cfg, &fp, NULL, true);
	if (rc != ZK_STARK_ACCEPT)
		return rc;
	zk_fri_absorb_config(t, cfg);
	if (fp->sched.n_layers == 0 || log_block < fp->sched.log_folding[0]) {
		w_inv_br = zk_fri_inv_roots_table(cfg->log_domain,
						  cfg->log_domain - 1,
						  cfg->threads, true);
		rc = w_inv_br == NULL ? ZK_STARK_ENOMEM :
		     gather_layer((size_t)1 << cfg->log_domain, log_block,
				  fill, ctx, &cur);
		if (rc == ZK_STARK_ACCEPT)
			rc = zk_fri_commit_from(fp, t, 0, cur, w_inv_br);
	} else {
		fp->fill = fill;
		fp->fill_ctx = ctx;
		fp->log_block = log_block;
		block = zk_big_alloc(((size_t)1 << log_block) * sizeof(zk_ext),
				     true);
		rc = block == NULL ? ZK_STARK_ENOMEM :
			commit_first_layer(fp, t, block, &cur);
		zk_big_free(block);
		if (rc == ZK_STARK_ACCEPT)
			rc = zk_fri_commit_from(fp, t, 1, cur, NULL);
	}
	zk_big_free(w_inv_br);
	if (rc != ZK_STARK_ACCEPT) {
		zk_fri_prover_free(fp);
		return rc;
	}
	*out = fp;
	return ZK_STARK_ACCEPT;
}

int zk_fri_block_cosets(const struct zk_fri_prover *fp, const uint64_t *cosets,
			size_t count, zk_ext *out)
{
	unsigned f = fp->sched.log_folding[0], per_log = fp->log_block - f;
	zk_ext *block;
	size_t k = 0;
	int rc = ZK_STARK_ACCEPT;

	if (fp->fill == NULL)
		return ZK_STARK_EINVAL;
	block = zk_big_alloc(((size_t)1 << fp->log_block) * sizeof(zk_ext), true);
	if (block == NULL)
		return ZK_STARK_ENOMEM;
	/* cosets are sorted: each block holding one is made once */
	while (k < count && rc == ZK_STARK_ACCEPT) {
		size_t h = cosets[k] >> per_log, end = k;

		while (end < count && cosets[end] >> per_log == h)
			end++;
		if (fp->coset_fn != NULL && end - k <= fp->max_cosets) {
			for (; rc == ZK_STARK_ACCEPT && k < end; k++)
				rc = fp->coset_fn(fp->fill_ctx, h,
						  (cosets[k] - (h << per_log)) << f,
						  f, out + (k << f));
			continue;
		}
		rc = fp->fill(fp->fill_ctx, h, block);
		for (; rc == ZK_STARK_ACCEPT && k < count &&
		       cosets[k] >> per_log == h; k++)
			memcpy(out + (k << f),
			       block + ((cosets[k] - (h << per_log)) << f),
			       sizeof(zk_ext) << f);
	}
	zk_big_free(block);
	return rc;
}

/* The groups of 2^dropped0 cosets the queries fall in, their values. */
struct open0 {
	const struct zk_fri_prover *fp;
	uint64_t *groups;
	size_t n_groups;
	zk_ext *values;            /* n_groups × 2^(dropped0 + f) */
	struct zk_merkle_tree *sub; /* each group's subtree */
};

static int group_values(struct open0 *o, zk_ext *block)
{
	const struct zk_fri_prover *fp = o->fp;
	unsigned f = fp->sched.log_folding[0], d = fp->dropped0;
	unsigned per_log = fp->log_block - f;
	size_t per_group = (size_t)1 << (d + f), made = SIZE_MAX, g = 0;
	int rc = ZK_STARK_ACCEPT;

	while (g < o->n_groups && rc == ZK_STARK_ACCEPT) {
		size_t h = (o->groups[g] << d) >> per_log, end = g;
		bool part;

		while (end < o->n_groups && (o->groups[end] << d) >> per_log == h)
			end++;
		/* a group costs about what a coset does (zk_fri_coset_fn) */
		part = fp->coset_fn != NULL && end - g <= fp->max_cosets;
		for (; rc == ZK_STARK_ACCEPT && g < end; g++) {
			size_t first = ((o->groups[g] << d) - (h << per_log)) << f;

			if (part) {
				rc = fp->coset_fn(fp->fill_ctx, h, first, d + f,
						  o->values + g * per_group);
				continue;
			}
			if (made != h)
				rc = fp->fill(fp->fill_ctx, h, block);
			made = h;
			if (rc == ZK_STARK_ACCEPT)
				memcpy(o->values + g * per_group, block + first,
				       per_group * sizeof(zk_ext));
		}
	}
	return rc;
}

/* Group g's subtree: its cosets' leaves as fri_tree.c hashes them. */
static int group_tree(struct open0 *o, size_t g, zk_gl *tcols,
		      const zk_gl **cols)
{
	const struct zk_fri_prover *fp = o->fp;
	unsigned f = fp->sched.log_folding[0];
	size_t rows = (size_t)1 << fp->dropped0, fold = (size_t)1 << f;
	size_t n_cols = ZK_EXT_DEGREE * fold;
	const zk_ext *v = o->values + g * (rows << f);

	for (size_t j = 0; j < rows; j++)
		for (size_t k = 0; k < fold; k++)
			zk_ext_scatter(v[(j << f) + k],
				       tcols + ZK_EXT_DEGREE * k * rows + j, rows);
	for (size_t c = 0; c < n_cols; c++)
		cols[c] = tcols + c * rows;
	return zk_merkle_build(&o->sub[g], fp->cfg.hash, cols, n_cols, rows,
			       1) == ZK_MERKLE_OK ? ZK_STARK_ACCEPT :
					    ZK_STARK_ENOMEM;
}

/* Node k (merkle.h heap index) of the whole tree: kept, or a group's. */
static const struct zk_digest *node0(const struct open0 *o, uint64_t k)
{
	const struct zk_merkle_tree *t = &o->fp->trees[0];
	unsigned d = o->fp->dropped0, level = 0, below;
	uint64_t kept = t->n_leaves >> d, g;
	size_t lo = 0, hi = o->n_groups;

	if (k < 2 * kept)
		return &t->nodes[k];
	while ((k >> level) > 1)
		level++;
	below = level - (t->depth - d);
	g = (k >> below) - kept;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (o->groups[mid] < g)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == o->n_groups || o->groups[lo] != g)
		return NULL;
	return &o->sub[lo].nodes[((uint64_t)1 << below) |
				 (k & (((uint64_t)1 << below) - 1))];
}

/* What zk_merkle_open_batch gives for the whole tree (merkle.c). */
static int open_batch0(const struct open0 *o, const uint64_t *cosets,
		       size_t count, struct zk_merkle_batch *out)
{
	const struct zk_merkle_tree *t = &o->fp->trees[0];
	uint64_t *pos = malloc((count + 1) * sizeof(uint64_t));
	size_t m = count;

	memset(out, 0, sizeof(*out));
	out->nodes = malloc(((size_t)count * t->depth + 1) * sizeof(*out->nodes));
	if (pos == NULL || out->nodes == NULL) {
		free(pos);
		zk_merkle_batch_free(out);
		return ZK_STARK_ENOMEM;
	}
	/* cosets are sorted and distinct */
	memcpy(pos, cosets, count * sizeof(uint64_t));
	for (unsigned d = 0; d < t->depth; d++) {
		uint64_t base = t->n_leaves >> d;
		size_t next = 0;

		for (size_t i = 0; i < m; i++) {
			uint64_t p = pos[i];
			const struct zk_digest *node;

			if ((p & 1) == 0 && i + 1 < m && pos[i + 1] == p + 1) {
				i++; /* sibling is known: nothing to send */
			} else {
				node = node0(o, (base + p) ^ 1);
				if (node == NULL) {
					free(pos);
					zk_merkle_batch_free(out);
					return ZK_STARK_EINVAL;
				}
				out->nodes[out->n_nodes++] = *node;
			}
			pos[next++] = p >> 1;
		}
		m = next;
	}
	out->depth = t->depth;
	free(pos);
	return ZK_STARK_ACCEPT;
}

int zk_fri_block_open0(const struct zk_fri_prover *fp, const uint64_t *cosets,
		       size_t count, zk_ext *out, struct zk_merkle_batch *open)
{
	unsigned f = fp->sched.log_folding[0], d = fp->dropped0;
	size_t per_group = (size_t)1 << (d + f);
	size_t n_cols = (size_t)ZK_EXT_DEGREE << f;
	struct open0 o = { .fp = fp };
	zk_ext *block = NULL;
	zk_gl *tcols = NULL;
	const zk_gl **cols = NULL;
	int rc = ZK_STARK_ENOMEM;

	memset(open, 0, sizeof(*open));
	if (fp->fill == NULL || d == 0)
		return ZK_STARK_EINVAL;
	o.groups = malloc((count + 1) * sizeof(uint64_t));
	if (o.groups == NULL)
		return rc;
	o.n_groups = zk_fri_distinct_sorted(cosets, count, d, o.groups);
	o.values = malloc((o.n_groups * per_group + 1) * sizeof(zk_ext));
	o.sub = calloc(o.n_groups + 1, sizeof(*o.sub));
	block = zk_big_alloc(((size_t)1 << fp->log_block) * sizeof(zk_ext),
			     true);
	tcols = malloc((n_cols << d) * sizeof(zk_gl));
	cols = malloc((n_cols + 1) * sizeof(*cols));
	if (o.values == NULL || o.sub == NULL || block == NULL ||
	    tcols == NULL || cols == NULL)
		goto done;
	rc = group_values(&o, block);
	for (size_t g = 0; rc == ZK_STARK_ACCEPT && g < o.n_groups; g++)
		rc = group_tree(&o, g, tcols, cols);
	for (size_t k = 0; rc == ZK_STARK_ACCEPT && k < count; k++) {
		size_t g = 0;

		while (o.groups[g] != cosets[k] >> d)
			g++;
		memcpy(out + (k << f),
		       o.values + g * per_group +
		       ((cosets[k] & (((uint64_t)1 << d) - 1)) << f),
		       sizeof(zk_ext) << f);
	}
	if (rc == ZK_STARK_ACCEPT)
		rc = open_batch0(&o, cosets, count, open);
done:
	for (size_t g = 0; o.sub != NULL && g < o.n_groups; g++)
		zk_merkle_free(&o.sub[g]);
	free(o.sub);
	free(o.values);
	free(o.groups);
	zk_big_free(block);
	free(tcols);
	free(cols);
	return rc;
}

void zk_fri_prover_set_coset_fn(struct zk_fri_prover *fp, zk_fri_coset_fn fn,
				size_t max_cosets)
{
	if (fp == NULL || fp->fill == NULL)
		return;
	fp->coset_fn = fn;
	fp->max_cosets = max_cosets;
}
