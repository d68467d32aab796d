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

int zk_prover_block_part(const struct zk_prover *pv,
			 const zk_gl *const *coeffs, size_t ncols, size_t h,
			 size_t first, unsigned log_len, zk_gl *buf)
{
	size_t len = (size_t)1 << log_len, n = pv->n;
	unsigned log_n = pv->log_n;
	zk_gl c, big_c;
	zk_gl **cols;
	int rc;

	if (log_len > log_n || (first & (len - 1)) != 0 || first >= n)
		return ZK_STARK_EINVAL;
	c = zk_gl_mul(zk_prover_block_shift(pv, h),
		      zk_gl_pow(zk_gl_root_of_unity(log_n),
				zk_ntt_bitrev(first >> log_len,
					      log_n - log_len)));
	big_c = zk_gl_pow(c, len);
	cols = malloc((ncols + 1) * sizeof(zk_gl *));
	if (cols == NULL)
		return ZK_STARK_ENOMEM;
	for (size_t col = 0; col < ncols; col++) {
		const zk_gl *p = coeffs[col];
		zk_gl *f = buf + col * len;

		/* Horner in C over k, every r at once */
		memcpy(f, p + n - len, len * sizeof(zk_gl));
		for (size_t k = n / len - 1; k-- > 0;)
			for (size_t r = 0; r < len; r++)
				f[r] = zk_gl_add(zk_gl_mul(f[r], big_c),
						 p[k * len + r]);
		cols[col] = f;
	}
	rc = zk_ntt_coset_forward_trusted(cols, ncols, log_len, c, 1);
	free(cols);
	return rc == 0 ? 0 : ZK_STARK_ENOMEM;
}

/* composition column ZK_EXT_DEGREE·k + e: limb e of chunk k's coefficients
 * (as zk_prover_comp_block) */
static int seg_part(const struct zk_prover *pv, int seg, size_t h,
		    size_t first, unsigned log_len, zk_gl *buf)
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
	rc = zk_prover_block_part(pv, cols, ncols, h, first, log_len, buf);
	free(cols);
	return rc;
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
