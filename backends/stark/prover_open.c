/* SPDX-License-Identifier: MIT */
/*
 * Streaming openings: a few rows of a segment's block without the block.
 * Positions [g·2^d, (g+1)·2^d) of coset block h (bit-reversed, 2^d | n)
 * are the points c·ω_(2^d)^bitrev(j, d), j < 2^d, with c = s_h·
 * ω_n^bitrev(g, log n - d): a coset of the order-2^d subgroup. On it a
 * polynomial P of n coefficients takes the values of
 *   P_c(y) = Σ_(r < 2^d) y^r · Σ_k p_(r + k·2^d)·C^k,   C = c^(2^d),
 * scaled by c^r: n products to fold, then one size-2^d coset transform
 * with shift c. A block's transform costs about (log n)/2 vectorised
 * products per coefficient, the fold one scalar product per coefficient
 * and group, so a block with few opened groups is cheaper this way
 * (zk_prover_part_pays).
 */
#include <stdlib.h>
#include <string.h>

#include "ntt.h"
#include "prover_internal.h"
#include "stark.h"

/*
 * Groups made alone while groups·PART_COST <= log n: a group costs one
 * scalar product per coefficient, the block's transform (log n)/2
 * vectorised butterflies per coefficient, each about half a scalar
 * product's time; 4 keeps a margin for the copies. Compact (~2 groups a
 * block) gains, fast (~11) keeps whole blocks (docs/perf.md).
 */
#define PART_COST 4

/* Parts from this size up are made by the prover's threads: below it a
 * fan-out costs more than it saves (the openings' groups). */
#define PART_LOG_THREADED 12

struct fold_job {
	const zk_gl *const *coeffs;
	zk_gl *buf;
	size_t n, len;
	zk_gl big_c;
};

/* Columns [lo, hi): Horner in C over k, every r at once (vector
 * products: the scalar loop was a tenth of a fast streaming proof). */
static void fold_columns(void *arg, size_t lo, size_t hi)
{
	const struct fold_job *job = arg;
	size_t n = job->n, len = job->len;

	for (size_t col = lo; col < hi; col++) {
		const zk_gl *p = job->coeffs[col];
		zk_gl *f = job->buf + col * len;

		memcpy(f, p + n - len, len * sizeof(zk_gl));
		for (size_t k = n / len - 1; k-- > 0;) {
			zk_gl_vec_mul_scalar(f, f, job->big_c, len);
			zk_gl_vec_add(f, f, p + k * len, len);
		}
	}
}

int zk_prover_block_part_threads(const struct zk_prover *pv,
				 const zk_gl *const *coeffs, size_t ncols,
				 size_t h, size_t first, unsigned log_len,
				 zk_gl *buf, unsigned threads)
{
	size_t len = (size_t)1 << log_len, n = pv->n;
	unsigned log_n = pv->log_n;
	struct fold_job job = { .coeffs = coeffs, .buf = buf, .n = n,
				.len = len };
	zk_gl c;
	zk_gl **cols;
	int rc;

	if (log_len > log_n || (first & (len - 1)) != 0 || first >= n)
		return ZK_STARK_EINVAL;
	if (log_len < PART_LOG_THREADED)
		threads = 1;
	c = zk_gl_mul(zk_prover_block_shift(pv, h),
		      zk_gl_pow(zk_gl_root_of_unity(log_n),
				zk_ntt_bitrev(first >> log_len,
					      log_n - log_len)));
	job.big_c = zk_gl_pow(c, len);
	cols = malloc((ncols + 1) * sizeof(zk_gl *));
	if (cols == NULL)
		return ZK_STARK_ENOMEM;
	zk_prover_parallel_for(threads, ncols, fold_columns, &job);
	for (size_t col = 0; col < ncols; col++)
		cols[col] = buf + col * len;
	rc = zk_ntt_coset_forward_trusted(cols, ncols, log_len, c, threads);
	free(cols);
	return rc == 0 ? 0 : ZK_STARK_ENOMEM;
}

int zk_prover_block_part(const struct zk_prover *pv,
			 const zk_gl *const *coeffs, size_t ncols, size_t h,
			 size_t first, unsigned log_len, zk_gl *buf)
{
	return zk_prover_block_part_threads(pv, coeffs, ncols, h, first,
					    log_len, buf, 1);
}

/* composition column ZK_EXT_DEGREE·k + e: limb e of chunk k's coefficients
 * (as zk_prover_comp_block) */
static int seg_part_threads(const struct zk_prover *pv, int seg, size_t h,
			    size_t first, unsigned log_len, zk_gl *buf,
			    unsigned threads)
{
	size_t ncols = seg == 0 ? pv->air->main_width :
		       seg == 1 ? ZK_EXT_DEGREE * (size_t)pv->air->aux_width :
				  ZK_EXT_DEGREE * (size_t)pv->shape.n_chunks;
	const zk_gl **cols = malloc((ncols + 1) * sizeof(zk_gl *));
	int rc;

	if (cols == NULL)
		return ZK_STARK_ENOMEM;
	for (size_t c = 0; c < ncols; c++)
		cols[c] = seg == 0 ? pv->main_coeffs + c * pv->n :
			  seg == 1 ? pv->aux_coeffs + c * pv->n :
				     pv->q + (c % ZK_EXT_DEGREE) * pv->q_len +
					     (c / ZK_EXT_DEGREE) * pv->n;
	rc = zk_prover_block_part_threads(pv, cols, ncols, h, first, log_len,
					  buf, threads);
	free(cols);
	return rc;
}

static int seg_part(const struct zk_prover *pv, int seg, size_t h,
		    size_t first, unsigned log_len, zk_gl *buf)
{
	return seg_part_threads(pv, seg, h, first, log_len, buf, 1);
}

int zk_prover_main_part(void *pv, size_t h, size_t first, unsigned log_len,
			zk_gl *buf)
{
	return seg_part(pv, 0, h, first, log_len, buf);
}

int zk_prover_aux_part(void *pv, size_t h, size_t first, unsigned log_len,
		       zk_gl *buf)
{
	return seg_part(pv, 1, h, first, log_len, buf);
}

int zk_prover_comp_part(void *pv, size_t h, size_t first, unsigned log_len,
			zk_gl *buf)
{
	return seg_part(pv, 2, h, first, log_len, buf);
}

size_t zk_prover_part_max_groups(const struct zk_prover *pv)
{
	return pv->log_n / PART_COST;
}

/*
 * The composition's commitment and openings in eighths of a coset block
 * (streaming): its nine base columns of n (the range AIR) were the
 * largest buffer beside the chunks' coefficients, 18 B per main cell.
 * A part of n/2^s costs n(1 - 2^-s) vector products (the fold) and a
 * size-n/2^s transform a column. Quarters left the composition's
 * commitment and its openings the prover's peak once the quotient step
 * lost its main block (4.5 B per main cell beside the chunks and the aux
 * coefficients); eighths take 2.25 off it for twice the fold's products
 * (docs/perf.md "Streaming memory, third pass").
 */
#define COMP_SPLIT 3

unsigned zk_prover_comp_split(const struct zk_prover *pv)
{
	return pv->log_n >= 8 ? COMP_SPLIT : 0;
}

int zk_prover_comp_split_block(void *arg, size_t h, zk_gl *buf)
{
	struct zk_prover *pv = arg;
	unsigned s = zk_prover_comp_split(pv), lb = pv->log_n - s;

	if (s == 0)
		return zk_prover_comp_block(pv, h, buf);
	return seg_part_threads(pv, 2, h >> s,
				(h & (((size_t)1 << s) - 1)) << lb, lb, buf,
				pv->threads);
}

int zk_prover_comp_split_part(void *arg, size_t h, size_t first,
			      unsigned log_len, zk_gl *buf)
{
	struct zk_prover *pv = arg;
	unsigned s = zk_prover_comp_split(pv), lb = pv->log_n - s;

	return seg_part(pv, 2, h >> s,
			((h & (((size_t)1 << s) - 1)) << lb) + first, log_len,
			buf);
}
