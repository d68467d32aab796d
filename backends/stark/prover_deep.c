/* SPDX-License-Identifier: MIT */
/*
 * Prover steps 6 and 7 (docs/stark.md): the out-of-domain values and the
 * DEEP composition over D, plus the thread helper every hot loop uses.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ntt.h"
#include "prover_internal.h"
#include "stark.h"

struct zk_range_job {
	zk_range_fn fn;
	void *arg;
	size_t lo, hi;
};

static void *range_thread(void *p)
{
	struct zk_range_job *j = p;

	j->fn(j->arg, j->lo, j->hi);
	return NULL;
}

void zk_prover_parallel_for(unsigned threads, size_t n, zk_range_fn fn,
			    void *arg)
{
	struct zk_range_job jobs[64];
	pthread_t tid[64];
	bool started[64] = { false };
	size_t t_count = threads < 1 ? 1 : threads > 64 ? 64 : threads;

	if (t_count > n)
		t_count = n ? n : 1;
	for (size_t t = 0; t < t_count; t++) {
		jobs[t] = (struct zk_range_job){ fn, arg, n * t / t_count,
						 n * (t + 1) / t_count };
		if (t > 0)
			started[t] = pthread_create(&tid[t], NULL, range_thread,
						    &jobs[t]) == 0;
	}
	fn(arg, jobs[0].lo, jobs[0].hi);
	for (size_t t = 1; t < t_count; t++) {
		if (started[t])
			pthread_join(tid[t], NULL);
		else
			fn(arg, jobs[t].lo, jobs[t].hi);
	}
}

/* ---- step 6: out-of-domain values ---- */

/*
 * Barycentric form on H: T(z) = (z^n - 1)/n · Σ_j T_j·w_j with
 * w_j = ω^j/(z - ω^j), and T(zω) = (z^n - 1)/n · Σ_j T_(j+1)·w_j, so one
 * batch inversion serves every column at both points.
 */
static zk_gl2 *barycentric_weights(const struct zk_prover *pv)
{
	size_t n = pv->n;
	zk_gl w = zk_gl_root_of_unity(pv->log_n), acc = 1;
	zk_gl2 *den = malloc(n * sizeof(zk_gl2));
	zk_gl2 *bary = malloc(n * sizeof(zk_gl2));

	if (den == NULL || bary == NULL)
		goto fail;
	for (size_t j = 0; j < n; j++) {
		den[j] = zk_gl2_sub(pv->z, zk_gl2_from_base(acc));
		acc = zk_gl_mul(acc, w);
	}
	if (!zk_stark_gl2_batch_inv(bary, den, n))
		goto fail;
	acc = 1;
	for (size_t j = 0; j < n; j++) {
		bary[j] = zk_gl2_mul_base(bary[j], acc);
		acc = zk_gl_mul(acc, w);
	}
	free(den);
	return bary;
fail:
	free(den);
	free(bary);
	return NULL;
}

struct zk_ood_job {
	struct zk_prover *pv;
	const zk_gl *const *trace;
	const zk_gl2 *bary;
	zk_gl2 factor;
	struct zk_stark_ood_layout l;
};

static void ood_columns(void *arg, size_t lo, size_t hi)
{
	struct zk_ood_job *job = arg;
	struct zk_prover *pv = job->pv;
	const zk_gl2 *bary = job->bary;
	size_t n = pv->n, mw = pv->air->main_width;

	for (size_t c = lo; c < hi; c++) {
		zk_gl2 cur = zk_gl2_zero(), nxt = zk_gl2_zero();

		if (c < mw) {
			const zk_gl *col = job->trace[c];
			struct zk_acc c0 = { 0 }, c1 = { 0 }, n0 = { 0 }, n1 = { 0 };

			for (size_t j = 0; j < n; j++) {
				zk_gl t = col[j], u = col[(j + 1) & (n - 1)];

				zk_acc_mac(&c0, bary[j].c0, t);
				zk_acc_mac(&c1, bary[j].c1, t);
				zk_acc_mac(&n0, bary[j].c0, u);
				zk_acc_mac(&n1, bary[j].c1, u);
			}
			cur = zk_gl2_make(zk_acc_reduce(&c0), zk_acc_reduce(&c1));
			nxt = zk_gl2_make(zk_acc_reduce(&n0), zk_acc_reduce(&n1));
			pv->ood[job->l.main_cur + c] = zk_gl2_mul(cur, job->factor);
			pv->ood[job->l.main_nxt + c] = zk_gl2_mul(nxt, job->factor);
		} else {
			const zk_gl2 *col = pv->aux[c - mw];

			for (size_t j = 0; j < n; j++) {
				cur = zk_gl2_add(cur, zk_gl2_mul(bary[j], col[j]));
				nxt = zk_gl2_add(nxt, zk_gl2_mul(bary[j],
						 col[(j + 1) & (n - 1)]));
			}
			pv->ood[job->l.aux_cur + c - mw] = zk_gl2_mul(cur, job->factor);
			pv->ood[job->l.aux_nxt + c - mw] = zk_gl2_mul(nxt, job->factor);
		}
	}
}

int zk_prover_compute_ood(struct zk_prover *pv, const zk_gl *const *trace)
{
	struct zk_ood_job job = { .pv = pv, .trace = trace };
	size_t n = pv->n, q_len = pv->q_len;
	zk_gl2 *bary;
	zk_gl n_inv;

	zk_stark_ood_layout(&pv->shape, &job.l);
	pv->ood = calloc(job.l.total, sizeof(zk_gl2));
	if (pv->ood == NULL)
		return ZK_STARK_ENOMEM;
	if (!zk_gl_inv(n, &n_inv))
		return ZK_STARK_EINVAL;
	bary = barycentric_weights(pv);
	if (bary == NULL)
		return ZK_STARK_ENOMEM;
	job.bary = bary;
	job.factor = zk_gl2_mul_base(zk_gl2_sub(zk_gl2_pow(pv->z, n),
						zk_gl2_one()), n_inv);
	zk_prover_parallel_for(pv->threads, pv->air->main_width + pv->air->aux_width,
		     ood_columns, &job);
	free(bary);
	/* the chunks' coefficients are still in pv->q: Horner */
	for (size_t k = 0; k < pv->shape.n_chunks; k++) {
		zk_gl2 acc = zk_gl2_zero();

		for (size_t j = n; j-- > 0;)
			acc = zk_gl2_add(zk_gl2_mul(acc, pv->z),
					 zk_gl2_make(pv->q[k * n + j],
						     pv->q[q_len + k * n + j]));
		pv->ood[job.l.comp + k] = acc;
	}
	return 0;
}

/* ---- step 7: DEEP composition ---- */

/*
 * F(x) = (A(x) - A(z))/(x - z) + (B(x) - B(zω))/(x - zω) with
 * A = Σ_c γ_2c·T_c + Σ_k γ''_k·Q_k and B = Σ_c γ_2c+1·T_c, both of degree
 * < n. A and B are formed on H from the trace, interpolated, the chunks
 * added as coefficients, and extended to D: four base columns
 * (A.c0, A.c1, B.c0, B.c1) instead of a sum over every column at every
 * point of D. The values of F are the same field elements either way.
 */
#define DEEP_ROWS 256

struct zk_deep_job {
	struct zk_prover *pv;
	const zk_gl *const *trace;
	zk_gl *ab[4];     /* A.c0, A.c1, B.c0, B.c1: n on H, then N on D */
	zk_gl2 a_z, b_zw; /* A(z), B(zω) from the OOD values */
};

/* Rows [lo, hi) of A and B on H (natural order). */
static void deep_rows(void *arg, size_t lo, size_t hi)
{
	struct zk_deep_job *job = arg;
	struct zk_prover *pv = job->pv;
	size_t mw = pv->air->main_width, aw = pv->air->aux_width;
	const zk_gl2 *g = pv->gammas;
	struct zk_acc acc[4][DEEP_ROWS];

	for (size_t r0 = lo; r0 < hi; r0 += DEEP_ROWS) {
		size_t len = hi - r0 < DEEP_ROWS ? hi - r0 : DEEP_ROWS;

		memset(acc, 0, sizeof(acc));
		for (size_t c = 0; c < mw; c++) {
			const zk_gl *col = job->trace[c] + r0;
			zk_gl2 ga = g[2 * c], gb = g[2 * c + 1];

			for (size_t k = 0; k < len; k++) {
				zk_acc_mac(&acc[0][k], ga.c0, col[k]);
				zk_acc_mac(&acc[1][k], ga.c1, col[k]);
				zk_acc_mac(&acc[2][k], gb.c0, col[k]);
				zk_acc_mac(&acc[3][k], gb.c1, col[k]);
			}
		}
		for (size_t c = 0; c < aw; c++) {
			const zk_gl2 *col = pv->aux[c] + r0;
			zk_gl2 ga = g[2 * (mw + c)], gb = g[2 * (mw + c) + 1];
			/* γ·v = (g0·v0 + 7·g1·v1) + (g0·v1 + g1·v0)·X */
			zk_gl ga7 = zk_gl2_mul_nonresidue(ga.c1);
			zk_gl gb7 = zk_gl2_mul_nonresidue(gb.c1);

			for (size_t k = 0; k < len; k++) {
				zk_gl v0 = col[k].c0, v1 = col[k].c1;

				zk_acc_mac(&acc[0][k], ga.c0, v0);
				zk_acc_mac(&acc[0][k], ga7, v1);
				zk_acc_mac(&acc[1][k], ga.c0, v1);
				zk_acc_mac(&acc[1][k], ga.c1, v0);
				zk_acc_mac(&acc[2][k], gb.c0, v0);
				zk_acc_mac(&acc[2][k], gb7, v1);
				zk_acc_mac(&acc[3][k], gb.c0, v1);
				zk_acc_mac(&acc[3][k], gb.c1, v0);
			}
		}
		for (size_t h = 0; h < 4; h++)
			for (size_t k = 0; k < len; k++)
				job->ab[h][r0 + k] = zk_acc_reduce(&acc[h][k]);
	}
}

/*
 * Narrow AIRs: the same sums taken at every point of D from the LDEs,
 * positions [lo, hi), chunks included. For a few columns this costs less
 * than extending four columns.
 */
static void deep_lde_rows(void *arg, size_t lo, size_t hi)
{
	struct zk_deep_job *job = arg;
	struct zk_prover *pv = job->pv;
	size_t mw = pv->air->main_width, aw = pv->air->aux_width;
	size_t chunks = pv->shape.n_chunks, big_n = pv->big_n;
	const zk_gl2 *g = pv->gammas;
	struct zk_acc acc[4][DEEP_ROWS];

	for (size_t r0 = lo; r0 < hi; r0 += DEEP_ROWS) {
		size_t len = hi - r0 < DEEP_ROWS ? hi - r0 : DEEP_ROWS;

		memset(acc, 0, sizeof(acc));
		for (size_t c = 0; c < mw; c++) {
			const zk_gl *col = pv->main_lde + c * big_n + r0;
			zk_gl2 ga = g[2 * c], gb = g[2 * c + 1];

			for (size_t k = 0; k < len; k++) {
				zk_acc_mac(&acc[0][k], ga.c0, col[k]);
				zk_acc_mac(&acc[1][k], ga.c1, col[k]);
				zk_acc_mac(&acc[2][k], gb.c0, col[k]);
				zk_acc_mac(&acc[3][k], gb.c1, col[k]);
			}
		}
		for (size_t c = 0; c < aw + chunks; c++) {
			bool is_aux = c < aw;
			const zk_gl *src = is_aux ? pv->aux_lde + 2 * c * big_n :
					   pv->comp_lde + 2 * (c - aw) * big_n;
			const zk_gl *c0 = src + r0, *c1 = src + big_n + r0;
			zk_gl2 ga = is_aux ? g[2 * (mw + c)] : g[2 * (mw + aw) + c - aw];
			zk_gl ga7 = zk_gl2_mul_nonresidue(ga.c1);

			for (size_t k = 0; k < len; k++) {
				zk_acc_mac(&acc[0][k], ga.c0, c0[k]);
				zk_acc_mac(&acc[0][k], ga7, c1[k]);
				zk_acc_mac(&acc[1][k], ga.c0, c1[k]);
				zk_acc_mac(&acc[1][k], ga.c1, c0[k]);
			}
			if (!is_aux)
				continue;
			zk_gl2 gb = g[2 * (mw + c) + 1];
			zk_gl gb7 = zk_gl2_mul_nonresidue(gb.c1);

			for (size_t k = 0; k < len; k++) {
				zk_acc_mac(&acc[2][k], gb.c0, c0[k]);
				zk_acc_mac(&acc[2][k], gb7, c1[k]);
				zk_acc_mac(&acc[3][k], gb.c0, c1[k]);
				zk_acc_mac(&acc[3][k], gb.c1, c0[k]);
			}
		}
		for (size_t h = 0; h < 4; h++)
			for (size_t k = 0; k < len; k++)
				job->ab[h][r0 + k] = zk_acc_reduce(&acc[h][k]);
	}
}

/* A += Σ_k γ''_k·Q_k on coefficients, for coefficients [lo, hi). */
static void deep_chunks(void *arg, size_t lo, size_t hi)
{
	struct zk_deep_job *job = arg;
	struct zk_prover *pv = job->pv;
	size_t n = pv->n, q_len = pv->q_len, chunks = pv->shape.n_chunks;
	const zk_gl2 *g = pv->gammas + 2 * ((size_t)pv->air->main_width +
					    pv->air->aux_width);

	for (size_t j = lo; j < hi; j++) {
		struct zk_acc a0 = { 0 }, a1 = { 0 };

		for (size_t k = 0; k < chunks; k++) {
			zk_gl v0 = pv->q[k * n + j], v1 = pv->q[q_len + k * n + j];

			zk_acc_mac(&a0, g[k].c0, v0);
			zk_acc_mac(&a0, zk_gl2_mul_nonresidue(g[k].c1), v1);
			zk_acc_mac(&a1, g[k].c0, v1);
			zk_acc_mac(&a1, g[k].c1, v0);
		}
		job->ab[0][j] = zk_gl_add(job->ab[0][j], zk_acc_reduce(&a0));
		job->ab[1][j] = zk_gl_add(job->ab[1][j], zk_acc_reduce(&a1));
	}
}

/* F over blocks [lo, hi) of D. */
static void deep_points(void *arg, size_t lo, size_t hi)
{
	struct zk_deep_job *job = arg;
	struct zk_prover *pv = job->pv;
	size_t bsize = (size_t)1 << pv->log_block;
	zk_gl2 zw = zk_gl2_mul_base(pv->z, zk_gl_root_of_unity(pv->log_n));
	/* 7·w1^2 of each point, the constant part of the norms below */
	zk_gl c1 = zk_gl2_mul_nonresidue(zk_gl_sqr(pv->z.c1));
	zk_gl c2 = zk_gl2_mul_nonresidue(zk_gl_sqr(zw.c1));
	zk_gl *buf = malloc(5 * bsize * sizeof(zk_gl));
	zk_gl *xs, *norm, *ninv;

	if (buf == NULL) {
		__atomic_store_n(&pv->failed, 1, __ATOMIC_RELAXED);
		return;
	}
	xs = buf;
	norm = xs + bsize;         /* 2 blocks */
	ninv = norm + 2 * bsize;   /* 2 blocks */
	for (size_t blk = lo; blk < hi; blk++) {
		size_t blo = blk * bsize;

		zk_prover_points(pv, blo, bsize, xs);
		/*
		 * 1/(x - w) for x in F_p, w = w0 + w1·X: (x - w0 + w1·X)/N with
		 * the norm N = (x - w0)^2 - 7·w1^2 in F_p, so both points cost
		 * one base-field batch inversion instead of two in F_p2.
		 */
		for (size_t k = 0; k < bsize; k++) {
			zk_gl a1 = zk_gl_sub(xs[k], pv->z.c0);
			zk_gl a2 = zk_gl_sub(xs[k], zw.c0);

			norm[k] = zk_gl_sub(zk_gl_sqr(a1), c1);
			norm[bsize + k] = zk_gl_sub(zk_gl_sqr(a2), c2);
		}
		if (zk_gl_batch_inv(ninv, norm, 2 * bsize) != 0) {
			__atomic_store_n(&pv->failed, 1, __ATOMIC_RELAXED);
			break;
		}
		for (size_t k = 0; k < bsize; k++) {
			size_t i = blo + k;
			zk_gl x = xs[k];
			zk_gl2 i1 = zk_gl2_mul_base(zk_gl2_make(zk_gl_sub(x, pv->z.c0),
							       pv->z.c1), ninv[k]);
			zk_gl2 i2 = zk_gl2_mul_base(zk_gl2_make(zk_gl_sub(x, zw.c0),
							       zw.c1), ninv[bsize + k]);
			zk_gl2 s1 = zk_gl2_sub(zk_gl2_make(job->ab[0][i], job->ab[1][i]),
					       job->a_z);
			zk_gl2 s2 = zk_gl2_sub(zk_gl2_make(job->ab[2][i], job->ab[3][i]),
					       job->b_zw);

			pv->deep[i] = zk_gl2_add(zk_gl2_mul(s1, i1),
						 zk_gl2_mul(s2, i2));
		}
	}
	free(buf);
}

int zk_prover_deep(struct zk_prover *pv, const zk_gl *const *trace)
{
	struct zk_deep_job job = { .pv = pv, .trace = trace };
	size_t mw = pv->air->main_width, aw = pv->air->aux_width;
	size_t n = pv->n, big_n = pv->big_n;
	struct zk_stark_ood_layout l;
	zk_gl *mem = malloc(4 * big_n * sizeof(zk_gl));
	int rc;

	if (mem == NULL)
		return ZK_STARK_ENOMEM;
	for (size_t h = 0; h < 4; h++)
		job.ab[h] = mem + h * big_n;
	zk_stark_ood_layout(&pv->shape, &l);
	job.a_z = job.b_zw = zk_gl2_zero();
	for (size_t c = 0; c < mw + aw; c++) {
		size_t cur = c < mw ? l.main_cur + c : l.aux_cur + c - mw;
		size_t nxt = c < mw ? l.main_nxt + c : l.aux_nxt + c - mw;

		job.a_z = zk_gl2_add(job.a_z, zk_gl2_mul(pv->gammas[2 * c],
							 pv->ood[cur]));
		job.b_zw = zk_gl2_add(job.b_zw, zk_gl2_mul(pv->gammas[2 * c + 1],
							   pv->ood[nxt]));
	}
	for (size_t k = 0; k < pv->shape.n_chunks; k++)
		job.a_z = zk_gl2_add(job.a_z,
				     zk_gl2_mul(pv->gammas[2 * (mw + aw) + k],
						pv->ood[l.comp + k]));

	/*
	 * Products per point of D if summed there, against per row plus the
	 * four extensions: measured (perf/bench_stark), a column's extension
	 * costs about log N products per point of D.
	 */
	if ((4 * mw + 8 * aw + 4 * pv->shape.n_chunks) * big_n <=
	    (4 * mw + 8 * aw) * n + 4 * pv->log_domain * big_n) {
		zk_prover_parallel_for(pv->threads, big_n, deep_lde_rows, &job);
		rc = 0;
	} else {
		zk_prover_parallel_for(pv->threads, n, deep_rows, &job);
		for (size_t h = 0; h < 4; h++)
			zk_ntt_bitrev_permute(job.ab[h], pv->log_n);
		rc = zk_ntt_inverse(job.ab, 4, pv->log_n, pv->threads);
		if (rc == 0) {
			zk_prover_parallel_for(pv->threads, n, deep_chunks, &job);
			rc = zk_prover_extend(pv, job.ab, 4, job.ab);
		}
	}
	if (rc == 0)
		zk_prover_parallel_for(pv->threads,
				       big_n >> pv->log_block, deep_points, &job);
	free(mem);
	if (rc != 0)
		return ZK_STARK_ENOMEM;
	return pv->failed ? ZK_STARK_ENOMEM : 0;
}
