/* SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "prover_aux.h"
#include "prover_internal.h"
#include "stark.h"

/* zk_aux_eval_combine writes out the product of F_p[X]/(X^3 - 7) */
_Static_assert(ZK_EXT_DEGREE == 3, "zk_aux_eval_combine assumes F_p3");

/* Limbs ahead whose lines zk_aux_eval_tile asks for before it reads them. */
#define AUX_PREFETCH 3

int zk_aux_eval_init(struct zk_aux_eval *a, const struct zk_prover *pv,
		     size_t rows)
{
	const struct zk_air *air = pv->air;
	size_t aw = air->aux_width, nac = air->n_aux_constraints;
	const zk_ext *alpha = pv->alphas + air->n_main_constraints;

	a->width = aw;
	a->n_constraints = nac;
	a->cur = malloc((2 * rows * aw + 1) * sizeof(zk_ext));
	a->coef = malloc((5 * nac + 1) * sizeof(zk_gl));
	if (a->cur == NULL || a->coef == NULL) {
		zk_aux_eval_free(a);
		return ZK_STARK_ENOMEM;
	}
	a->nxt = a->cur + rows * aw;
	for (size_t k = 0; k < nac; k++) {
		zk_gl *c = a->coef + 5 * k;

		c[0] = alpha[k].c[0];
		c[1] = alpha[k].c[1];
		c[2] = alpha[k].c[2];
		c[3] = zk_ext_mul_nonresidue(alpha[k].c[1]);
		c[4] = zk_ext_mul_nonresidue(alpha[k].c[2]);
	}
	return 0;
}

void zk_aux_eval_free(struct zk_aux_eval *a)
{
	free(a->cur);
	free(a->coef);
	a->cur = a->nxt = NULL;
	a->coef = NULL;
}

void zk_aux_eval_tile(struct zk_aux_eval *a, const zk_gl *aux_view,
		      size_t stride, size_t at, const size_t *nx, size_t len)
{
	size_t aw = a->width, limbs = ZK_EXT_DEGREE * aw;

	for (size_t l = 0; l < limbs; l++) {
		const zk_gl *col = aux_view + l * stride;
		zk_ext *cur = a->cur + l / ZK_EXT_DEGREE;
		zk_ext *nxt = a->nxt + l / ZK_EXT_DEGREE;
		unsigned e = l % ZK_EXT_DEGREE;

		if (l + AUX_PREFETCH < limbs) {
			const zk_gl *ahead = col + AUX_PREFETCH * stride;

			for (size_t k = 0; k < len; k += 8) {
				__builtin_prefetch(ahead + at + k);
				__builtin_prefetch(ahead + nx[k]);
			}
			__builtin_prefetch(ahead + at + len - 1);
			__builtin_prefetch(ahead + nx[len - 1]);
		}
		for (size_t k = 0; k < len; k++) {
			cur[k * aw].c[e] = col[at + k];
			nxt[k * aw].c[e] = col[nx[k]];
		}
	}
}

/*
 * (α0 + α1·X + α2·X²)·(o0 + o1·X + o2·X²) mod X³ - 7, limb by limb:
 *   c0 = α0·o0 + 7α2·o1 + 7α1·o2
 *   c1 = α1·o0 + α0·o1 + 7α2·o2
 *   c2 = α2·o0 + α1·o1 + α0·o2
 * summed over the constraints before any reduction.
 */
zk_ext zk_aux_eval_combine(const struct zk_aux_eval *a, const zk_ext *out)
{
	struct zk_acc s0 = { 0 }, s1 = { 0 }, s2 = { 0 };
	zk_ext r;

	for (size_t k = 0; k < a->n_constraints; k++) {
		const zk_gl *c = a->coef + 5 * k;
		zk_gl o0 = out[k].c[0], o1 = out[k].c[1], o2 = out[k].c[2];

		zk_acc_mac(&s0, c[0], o0);
		zk_acc_mac(&s0, c[4], o1);
		zk_acc_mac(&s0, c[3], o2);
		zk_acc_mac(&s1, c[1], o0);
		zk_acc_mac(&s1, c[0], o1);
		zk_acc_mac(&s1, c[4], o2);
		zk_acc_mac(&s2, c[2], o0);
		zk_acc_mac(&s2, c[1], o1);
		zk_acc_mac(&s2, c[0], o2);
	}
	r.c[0] = zk_acc_reduce(&s0);
	r.c[1] = zk_acc_reduce(&s1);
	r.c[2] = zk_acc_reduce(&s2);
	return r;
}

/* Columns per pass of zk_rows_from_tile: one cache line of a row. */
#define TRANSPOSE_COLS 8

/*
 * Column by column, a wide AIR's rows (two of 32 × 853 words for the CLOB
 * AIR) fell out of cache between the eight writes to each of their lines;
 * a second gather from the LDE instead would wait on the same
 * conflicting lines copy_tile has just read.
 */
void zk_rows_from_tile(const zk_gl *tcur, const zk_gl *tnxt,
		       size_t tile_stride, size_t width, size_t len,
		       zk_gl *cur, zk_gl *nxt)
{
	for (size_t c0 = 0; c0 < width; c0 += TRANSPOSE_COLS) {
		size_t cn = width - c0 < TRANSPOSE_COLS ? width - c0 :
							   TRANSPOSE_COLS;
		const zk_gl *tc = tcur + c0 * tile_stride;
		const zk_gl *tn = tnxt + c0 * tile_stride;

		for (size_t k = 0; k < len; k++)
			for (size_t j = 0; j < cn; j++) {
				cur[k * width + c0 + j] = tc[j * tile_stride + k];
				nxt[k * width + c0 + j] = tn[j * tile_stride + k];
			}
	}
}
