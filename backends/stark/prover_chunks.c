/* SPDX-License-Identifier: MIT */
/*
 * The chunks' coefficients from the quotient step's values (step 5,
 * docs/stark.md): Q on the first n_chunks coset blocks of D interpolated
 * block by block and the chunks separated by the inverse of the blocks'
 * Vandermonde matrix in x^n, or, in debug mode, Q on all of D
 * interpolated at once so that a degree overflow shows.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "ntt.h"
#include "prover_internal.h"
#include "stark.h"

/*
 * Debug path: Q on all of D (a subgroup coset), so that a degree overflow
 * shows as non-zero coefficients >= n_chunks·n.
 */
int zk_prover_interpolate_domain(struct zk_prover *pv, char *err,
				 size_t errlen)
{
	size_t q_len = pv->q_len, top = pv->shape.n_chunks * pv->n;
	zk_gl *qcols[ZK_EXT_DEGREE];

	for (unsigned e = 0; e < ZK_EXT_DEGREE; e++)
		qcols[e] = pv->q + e * q_len;
	if (zk_ntt_coset_inverse(qcols, ZK_EXT_DEGREE, pv->log_domain,
				 ZK_GL_MULTIPLICATIVE_GENERATOR, pv->threads) != 0)
		return ZK_STARK_ENOMEM;
	for (size_t k = top; k < q_len; k++)
		if (!zk_ext_is_zero(zk_ext_gather(pv->q + k, q_len))) {
			if (err != NULL && errlen > 0)
				snprintf(err, errlen, "composition has degree "
					 ">= %zu: the trace violates a "
					 "constraint or the declared degree "
					 "is too low", top);
			return ZK_STARK_ETRACE;
		}
	return 0;
}

/* w = v^-1 for the chunks × chunks matrix v (Gauss–Jordan); false if singular */
static bool invert_matrix(size_t m, zk_gl *v, zk_gl *w)
{
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < m; j++)
			w[i * m + j] = i == j;
	for (size_t col = 0; col < m; col++) {
		size_t piv = col;
		zk_gl inv;

		while (piv < m && v[piv * m + col] == 0)
			piv++;
		if (piv == m || !zk_gl_inv(v[piv * m + col], &inv))
			return false;
		for (size_t j = 0; j < m; j++) {
			zk_gl t = v[col * m + j];

			v[col * m + j] = zk_gl_mul(v[piv * m + j], inv);
			v[piv * m + j] = piv == col ? v[col * m + j] : t;
			t = w[col * m + j];
			w[col * m + j] = zk_gl_mul(w[piv * m + j], inv);
			w[piv * m + j] = piv == col ? w[col * m + j] : t;
		}
		for (size_t i = 0; i < m; i++) {
			zk_gl f = v[i * m + col];

			if (i == col || f == 0)
				continue;
			for (size_t j = 0; j < m; j++) {
				v[i * m + j] = zk_gl_sub(v[i * m + j],
							 zk_gl_mul(f, v[col * m + j]));
				w[i * m + j] = zk_gl_sub(w[i * m + j],
							 zk_gl_mul(f, w[col * m + j]));
			}
		}
	}
	return true;
}

struct unmix_job {
	struct zk_prover *pv;
	const zk_gl *w; /* chunks × chunks */
};

/* Q_k[j] = Σ_h w[k][h]·P_h[j] for coefficients j in [lo, hi). */
static void unmix_range(void *arg, size_t lo, size_t hi)
{
	struct unmix_job *job = arg;
	struct zk_prover *pv = job->pv;
	size_t m = pv->shape.n_chunks, n = pv->n;
	zk_gl p[ZK_EXT_DEGREE][64]; /* m <= 64, see zk_prover_interpolate_blocks */

	for (size_t j = lo; j < hi; j++) {
		for (size_t h = 0; h < m; h++)
			for (size_t e = 0; e < ZK_EXT_DEGREE; e++)
				p[e][h] = pv->q[e * pv->q_len + h * n + j];
		for (size_t k = 0; k < m; k++)
			for (size_t e = 0; e < ZK_EXT_DEGREE; e++) {
				struct zk_acc a = { 0 };

				for (size_t h = 0; h < m; h++)
					zk_acc_mac(&a, job->w[k * m + h], p[e][h]);
				pv->q[e * pv->q_len + k * n + j] = zk_acc_reduce(&a);
			}
	}
}

/*
 * Q was evaluated on the first n_chunks blocks of D, block h being the
 * coset c_h·H_n. There x^n is the constant λ_h = c_h^n, so Q restricted to
 * it is P_h = Σ_k λ_h^k·Q_k, a polynomial of degree < n: one size-n
 * interpolation per block, then the Vandermonde system in the λ_h (at most
 * B × B, the λ_h distinct) separates the chunks.
 */
int zk_prover_interpolate_blocks(struct zk_prover *pv)
{
	size_t m = pv->shape.n_chunks, n = pv->n, q_len = pv->q_len;
	zk_gl v[64 * 64], w[64 * 64];
	struct unmix_job job = { .pv = pv, .w = w };

	if (m > 64)
		return ZK_STARK_EINVAL;
	for (size_t h = 0; h < m; h++) {
		zk_gl shift = zk_prover_block_shift(pv, h);
		zk_gl lambda = zk_gl_pow(shift, n), acc = 1;
		zk_gl *cols[ZK_EXT_DEGREE];

		for (unsigned e = 0; e < ZK_EXT_DEGREE; e++)
			cols[e] = pv->q + e * q_len + h * n;
		if (zk_ntt_coset_inverse(cols, ZK_EXT_DEGREE, pv->log_n, shift,
					 pv->threads) != 0)
			return ZK_STARK_ENOMEM;
		for (size_t k = 0; k < m; k++) {
			v[h * m + k] = acc;
			acc = zk_gl_mul(acc, lambda);
		}
	}
	if (m == 1)
		return 0;
	if (!invert_matrix(m, v, w))
		return ZK_STARK_EINVAL;
	zk_prover_parallel_for(pv->threads, n, unmix_range, &job);
	return 0;
}
