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
 * (not fri.c's N/2), made after the tree; the later layers' table is the
 * N_1/2-entry one for layer 1's domain, which holds the same elements as
 * the first N_1/2 of the full table (ω_N^(2^f) = ω_(N_1)).
 */
static int commit_first_layer(struct zk_fri_prover *fp,
			      struct zk_transcript *t, zk_ext *block,
			      zk_ext **next_out, zk_gl **w_next)
{
	unsigned f = fp->sched.log_folding[0], lb = fp->log_block;
	unsigned log_n = fp->cfg.log_domain;
	size_t blocks = (size_t)1 << (log_n - lb);
	size_t per_block = (size_t)1 << (lb - f);
	zk_gl *w_inv;
	zk_ext *next;
	zk_ext beta;
	int rc;

	rc = zk_fri_layer_tree_blocks(&fp->trees[0], f, blocks * per_block,
				      blocks, fp->fill, fp->fill_ctx, block,
				      fp->cfg.hash, fp->cfg.threads);
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
	if (rc == ZK_STARK_ACCEPT) {
		*w_next = zk_fri_inv_roots_table(log_n - f, log_n - f - 1,
						 fp->cfg.threads, true);
		if (*w_next == NULL)
			rc = ZK_STARK_ENOMEM;
	}
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
			commit_first_layer(fp, t, block, &cur, &w_inv_br);
		zk_big_free(block);
		if (rc == ZK_STARK_ACCEPT)
			rc = zk_fri_commit_from(fp, t, 1, cur, w_inv_br);
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

void zk_fri_prover_set_coset_fn(struct zk_fri_prover *fp, zk_fri_coset_fn fn,
				size_t max_cosets)
{
	if (fp == NULL || fp->fill == NULL)
		return;
	fp->coset_fn = fn;
	fp->max_cosets = max_cosets;
}
