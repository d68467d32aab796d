/* SPDX-License-Identifier: MIT */
/*
 * Prover steps 6 and 7 (docs/stark.md): the out-of-domain values and the
 * DEEP composition over D, plus the thread helper every hot loop uses.
 */
#include <pthread.h>
#include <stdlib.h>

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
static int prepare_barycentric(struct zk_prover *pv)
{
	size_t n = pv->n;
	zk_gl w = zk_gl_root_of_unity(pv->log_n), acc = 1;
	zk_gl2 *den = malloc(n * sizeof(zk_gl2));

	pv->bary = malloc(n * sizeof(zk_gl2));
	if (den == NULL || pv->bary == NULL) {
		free(den);
		return ZK_STARK_ENOMEM;
	}
	for (size_t j = 0; j < n; j++) {
		den[j] = zk_gl2_sub(pv->z, zk_gl2_from_base(acc));
		acc = zk_gl_mul(acc, w);
	}
	if (!zk_stark_gl2_batch_inv(pv->bary, den, n)) {
		free(den);
		return ZK_STARK_EINVAL;
	}
	acc = 1;
	for (size_t j = 0; j < n; j++) {
		pv->bary[j] = zk_gl2_mul_base(pv->bary[j], acc);
		acc = zk_gl_mul(acc, w);
	}
	free(den);
	return 0;
}

struct zk_ood_job {
	struct zk_prover *pv;
	const zk_gl *const *trace;
	zk_gl2 factor;
	struct zk_stark_ood_layout l;
};

static void ood_columns(void *arg, size_t lo, size_t hi)
{
	struct zk_ood_job *job = arg;
	struct zk_prover *pv = job->pv;
	size_t n = pv->n, mw = pv->air->main_width;

	for (size_t c = lo; c < hi; c++) {
		zk_gl2 cur = zk_gl2_zero(), nxt = zk_gl2_zero();

		if (c < mw) {
			const zk_gl *col = job->trace[c];

			for (size_t j = 0; j < n; j++) {
				cur = zk_gl2_add(cur, zk_gl2_mul_base(pv->bary[j], col[j]));
				nxt = zk_gl2_add(nxt, zk_gl2_mul_base(pv->bary[j],
						 col[(j + 1) & (n - 1)]));
			}
			pv->ood[job->l.main_cur + c] = zk_gl2_mul(cur, job->factor);
			pv->ood[job->l.main_nxt + c] = zk_gl2_mul(nxt, job->factor);
		} else {
			const zk_gl2 *col = pv->aux[c - mw];

			for (size_t j = 0; j < n; j++) {
				cur = zk_gl2_add(cur, zk_gl2_mul(pv->bary[j], col[j]));
				nxt = zk_gl2_add(nxt, zk_gl2_mul(pv->bary[j],
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
	size_t n = pv->n;
	zk_gl n_inv;
	int rc;

	zk_stark_ood_layout(&pv->shape, &job.l);
	pv->ood = calloc(job.l.total, sizeof(zk_gl2));
	if (pv->ood == NULL)
		return ZK_STARK_ENOMEM;
	rc = prepare_barycentric(pv);
	if (rc != 0)
		return rc;
	if (!zk_gl_inv(n, &n_inv))
		return ZK_STARK_EINVAL;
	job.factor = zk_gl2_mul_base(zk_gl2_sub(zk_gl2_pow(pv->z, n),
						zk_gl2_one()), n_inv);
	zk_prover_parallel_for(pv->threads, pv->air->main_width + pv->air->aux_width,
		     ood_columns, &job);
	/* the chunks' coefficients are still in pv->q: Horner */
	for (size_t k = 0; k < pv->shape.n_chunks; k++) {
		zk_gl2 acc = zk_gl2_zero();

		for (size_t j = n; j-- > 0;)
			acc = zk_gl2_add(zk_gl2_mul(acc, pv->z),
					 zk_gl2_make(pv->q[k * n + j],
						     pv->q[pv->big_n + k * n + j]));
		pv->ood[job.l.comp + k] = acc;
	}
	return 0;
}

/* ---- step 7: DEEP composition ---- */

static void deep_range(void *arg, size_t lo, size_t hi)
{
	struct zk_prover *pv = arg;
	size_t mw = pv->air->main_width, aw = pv->air->aux_width;
	size_t chunks = pv->shape.n_chunks, big_n = pv->big_n;
	struct zk_stark_ood_layout l;
	zk_gl2 zw = zk_gl2_mul_base(pv->z, zk_gl_root_of_unity(pv->log_n));
	zk_gl2 at_z = zk_gl2_zero(), at_zw = zk_gl2_zero();
	zk_gl2 *buf = malloc(6 * ZK_PROVER_BLOCK * sizeof(zk_gl2));
	zk_gl2 *i1, *i2, *s1, *s2;
	zk_gl *norm, *ninv;
	/* 7·w1^2 of each point, the constant part of the norms below */
	zk_gl c1 = zk_gl2_mul_nonresidue(zk_gl_sqr(pv->z.c1));
	zk_gl c2 = zk_gl2_mul_nonresidue(zk_gl_sqr(zw.c1));

	if (buf == NULL) {
		__atomic_store_n(&pv->failed, 1, __ATOMIC_RELAXED);
		return;
	}
	norm = (zk_gl *)buf;                    /* 2 blocks of base elements */
	ninv = (zk_gl *)(buf + ZK_PROVER_BLOCK); /* 2 more */
	i1 = buf + 2 * ZK_PROVER_BLOCK;
	i2 = i1 + ZK_PROVER_BLOCK;
	s1 = i2 + ZK_PROVER_BLOCK;
	s2 = s1 + ZK_PROVER_BLOCK;
	zk_stark_ood_layout(&pv->shape, &l);
	for (size_t c = 0; c < mw + aw; c++) {
		size_t cur = c < mw ? l.main_cur + c : l.aux_cur + c - mw;
		size_t nxt = c < mw ? l.main_nxt + c : l.aux_nxt + c - mw;

		at_z = zk_gl2_add(at_z, zk_gl2_mul(pv->gammas[2 * c], pv->ood[cur]));
		at_zw = zk_gl2_add(at_zw, zk_gl2_mul(pv->gammas[2 * c + 1],
						     pv->ood[nxt]));
	}
	for (size_t k = 0; k < chunks; k++)
		at_z = zk_gl2_add(at_z, zk_gl2_mul(pv->gammas[2 * (mw + aw) + k],
						   pv->ood[l.comp + k]));

	for (size_t blo = lo; blo < hi; blo += ZK_PROVER_BLOCK) {
		size_t len = hi - blo < ZK_PROVER_BLOCK ? hi - blo : ZK_PROVER_BLOCK;

		/*
		 * 1/(x - w) for x in F_p, w = w0 + w1·X: (x - w0 + w1·X)/N with
		 * the norm N = (x - w0)^2 - 7·w1^2 in F_p, so both points cost
		 * one base-field batch inversion instead of two in F_p2.
		 */
		for (size_t k = 0; k < len; k++) {
			zk_gl x = pv->xs[blo + k];
			zk_gl a1 = zk_gl_sub(x, pv->z.c0), a2 = zk_gl_sub(x, zw.c0);

			norm[k] = zk_gl_sub(zk_gl_sqr(a1), c1);
			norm[len + k] = zk_gl_sub(zk_gl_sqr(a2), c2);
			s1[k] = zk_gl2_neg(at_z);
			s2[k] = zk_gl2_neg(at_zw);
		}
		if (zk_gl_batch_inv(ninv, norm, 2 * len) != 0) {
			__atomic_store_n(&pv->failed, 1, __ATOMIC_RELAXED);
			break;
		}
		for (size_t k = 0; k < len; k++) {
			zk_gl x = pv->xs[blo + k];

			i1[k] = zk_gl2_mul_base(zk_gl2_make(zk_gl_sub(x, pv->z.c0),
							    pv->z.c1), ninv[k]);
			i2[k] = zk_gl2_mul_base(zk_gl2_make(zk_gl_sub(x, zw.c0),
							    zw.c1), ninv[len + k]);
		}
		for (size_t c = 0; c < mw; c++) {
			const zk_gl *col = pv->main_lde + c * big_n + blo;

			for (size_t k = 0; k < len; k++) {
				s1[k] = zk_gl2_add(s1[k], zk_gl2_mul_base(pv->gammas[2 * c], col[k]));
				s2[k] = zk_gl2_add(s2[k], zk_gl2_mul_base(pv->gammas[2 * c + 1], col[k]));
			}
		}
		for (size_t c = 0; c < aw + chunks; c++) {
			bool is_aux = c < aw;
			const zk_gl *src = is_aux ? pv->aux_lde + 2 * c * big_n :
					   pv->comp_lde + 2 * (c - aw) * big_n;
			const zk_gl *c0 = src + blo, *c1 = src + big_n + blo;
			zk_gl2 g1 = is_aux ? pv->gammas[2 * (mw + c)] :
				    pv->gammas[2 * (mw + aw) + c - aw];
			zk_gl2 g2 = is_aux ? pv->gammas[2 * (mw + c) + 1] : zk_gl2_zero();

			for (size_t k = 0; k < len; k++) {
				zk_gl2 v = zk_gl2_make(c0[k], c1[k]);

				s1[k] = zk_gl2_add(s1[k], zk_gl2_mul(g1, v));
				if (is_aux)
					s2[k] = zk_gl2_add(s2[k], zk_gl2_mul(g2, v));
			}
		}
		for (size_t k = 0; k < len; k++)
			pv->deep[blo + k] = zk_gl2_add(zk_gl2_mul(s1[k], i1[k]),
						       zk_gl2_mul(s2[k], i2[k]));
	}
	free(buf);
}

int zk_prover_deep(struct zk_prover *pv)
{
	zk_prover_parallel_for(pv->threads, pv->big_n, deep_range, pv);
	return pv->failed ? ZK_STARK_ENOMEM : 0;
}
