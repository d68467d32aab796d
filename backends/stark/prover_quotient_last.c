/* SPDX-License-Identifier: MIT */
/*
 * The streaming quotient step's last block, evaluated over its own main
 * rows (docs/stark.md "The coset-streaming prover").
 *
 * The step's peak is its last block: the chunks' values (ZK_EXT_DEGREE
 * columns of q_len), the main block (main_width columns of n) and the aux
 * coefficients. The main block of that coset is made inside q instead,
 * column c at q + c·q_len + h·n: its first ZK_EXT_DEGREE columns are the
 * very places Q of that block goes, the rest (main_width > ZK_EXT_DEGREE)
 * a few extra columns of the same mapping, released after. Only the
 * pages of that block are touched then, so the step holds n·(main_width -
 * ZK_EXT_DEGREE) values beside the chunks where it held n·main_width.
 *
 * Q at a position may only replace a main row once no position still has
 * to read it. In the bit-reversed order of D the next row of a position
 * is anywhere in the block; in natural order (x = c_h·ω_n^t) it is row
 * t + 1. So the block is put in natural order (main and aux, one
 * permutation per column), each evaluation block (2^log_block rows)
 * computes its Q into a small buffer and stores it once all its rows
 * are read, except its first row, which the previous evaluation block
 * (maybe another worker's) reads as its last next row: those rows' Q
 * waits in q_heads until every worker is done. Then q's three columns
 * of the block go back to bit-reversed order, as the other blocks are.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ntt.h"
#include "prover_internal.h"
#include "stark.h"

/*
 * Where the quotient step is the prover's largest (the chunks at least as
 * wide as the main trace, as for dropping the main coefficients), and
 * for the q mapping's extra columns to stay a few.
 */
bool zk_prover_natural_fits(const struct zk_prover *pv)
{
	size_t chunk_cols = ZK_EXT_DEGREE * (size_t)pv->shape.n_chunks;

	return pv->streaming && pv->air->main_width <= chunk_cols;
}

size_t zk_prover_q_columns(const struct zk_prover *pv)
{
	size_t mw = pv->air->main_width;

	return zk_prover_natural_fits(pv) && mw > ZK_EXT_DEGREE ? mw :
	       ZK_EXT_DEGREE;
}

static void permute_columns(zk_gl *base, size_t ncols, size_t stride,
			    unsigned log_n)
{
	for (size_t c = 0; c < ncols; c++)
		zk_ntt_bitrev_permute(base + c * stride, log_n);
}

/* Block h of the main segment at q + c·q_len + h·n, natural order. */
int zk_prover_natural_main(struct zk_prover *pv, size_t h)
{
	size_t mw = pv->air->main_width, n = pv->n;
	zk_gl **cols = calloc(mw + 1, sizeof(zk_gl *));
	int rc = ZK_STARK_ENOMEM;

	if (cols == NULL)
		return rc;
	for (size_t c = 0; c < mw; c++) {
		cols[c] = pv->q + c * pv->q_len + h * n;
		if (pv->main_coeffs != NULL) {
			memcpy(cols[c], pv->main_coeffs + c * n,
			       n * sizeof(zk_gl));
			continue;
		}
		/* the trace, bit-reversed: an inverse transform's input */
		memcpy(cols[c], pv->trace[c], n * sizeof(zk_gl));
		zk_ntt_bitrev_permute(cols[c], pv->log_n);
	}
	if ((pv->main_coeffs != NULL ||
	     zk_ntt_inverse(cols, mw, pv->log_n, pv->threads) == 0) &&
	    zk_ntt_coset_forward_trusted(cols, mw, pv->log_n,
					 zk_prover_block_shift(pv, h),
					 pv->threads) == 0) {
		permute_columns(cols[0], mw, pv->q_len, pv->log_n);
		pv->main_view = cols[0];
		pv->view_stride = pv->q_len;
		rc = 0;
	}
	free(cols);
	return rc;
}

/* Evaluation blocks of the view (composition_blocks' unit): their first
 * rows' Q is held in q_heads. */
static size_t eval_blocks(const struct zk_prover *pv)
{
	return pv->n >> pv->log_block;
}

int zk_prover_natural_enter(struct zk_prover *pv, zk_gl *abuf, size_t acols)
{
	pv->q_heads = calloc(ZK_EXT_DEGREE * eval_blocks(pv), sizeof(zk_gl));
	if (pv->q_heads == NULL)
		return ZK_STARK_ENOMEM;
	permute_columns(abuf, acols, pv->n, pv->log_n);
	pv->view_natural = true;
	return 0;
}

void zk_prover_points_natural(const struct zk_prover *pv, size_t blo,
			      size_t len, zk_gl *out)
{
	zk_gl w = zk_gl_root_of_unity(pv->log_n);
	zk_gl x = zk_gl_mul(zk_prover_block_shift(pv, pv->view_base / pv->n),
			    zk_gl_pow(w, blo - pv->view_base));

	for (size_t k = 0; k < len; k++) {
		out[k] = x;
		x = zk_gl_mul(x, w);
	}
}

void zk_prover_natural_store(struct zk_prover *pv, size_t blo, size_t len,
			     const zk_gl *held)
{
	size_t slot = (blo - pv->view_base) >> pv->log_block;
	size_t heads = eval_blocks(pv);

	for (unsigned e = 0; e < ZK_EXT_DEGREE; e++) {
		zk_gl *q = pv->q + e * pv->q_len + blo;
		const zk_gl *src = held + (e << pv->log_block);

		pv->q_heads[e * heads + slot] = src[0];
		memcpy(q + 1, src + 1, (len - 1) * sizeof(zk_gl));
	}
}

void zk_prover_release_pages(void *big, void *from, size_t bytes)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	uintptr_t lo = (uintptr_t)from, hi = lo + bytes;

	/* a mapping of its own only (zk_big_alloc): heap pages are malloc's */
	if (ZK_BIG_ASAN ||
	    *(size_t *)(void *)((unsigned char *)big - ZK_BIG_HEADER) == 0)
		return;
	lo = (lo + page - 1) & ~(uintptr_t)(page - 1);
	hi &= ~(uintptr_t)(page - 1);
	if (lo < hi)
		madvise((void *)lo, hi - lo, MADV_DONTNEED);
}

void zk_prover_natural_leave(struct zk_prover *pv, zk_gl *abuf, size_t acols)
{
	size_t n = pv->n, heads = eval_blocks(pv);

	pv->view_natural = false;
	permute_columns(abuf, acols, n, pv->log_n);
	for (unsigned e = 0; e < ZK_EXT_DEGREE; e++) {
		zk_gl *q = pv->q + e * pv->q_len + pv->view_base;

		for (size_t j = 0; j < heads; j++)
			q[j << pv->log_block] = pv->q_heads[e * heads + j];
		zk_ntt_bitrev_permute(q, pv->log_n);
	}
	free(pv->q_heads);
	pv->q_heads = NULL;
	/* the main block's columns past the chunks' */
	zk_prover_release_pages(pv->q, pv->q + ZK_EXT_DEGREE * pv->q_len,
				(zk_prover_q_columns(pv) - ZK_EXT_DEGREE) *
				pv->q_len * sizeof(zk_gl));
}
