/* SPDX-License-Identifier: MIT */
/*
 * Prover step 6 (docs/stark.md): the out-of-domain values of the trace,
 * the aux segment and the composition chunks at z (and zω).
 */
#include <stdlib.h>

#include "air_next.h"
#include "prover_internal.h"
#include "stark.h"

/*
 * Barycentric form on H: T(z) = (z^n - 1)/n · Σ_j T_j·w_j with
 * w_j = ω^j/(z - ω^j), and T(zω) = (z^n - 1)/n · Σ_j T_(j+1)·w_j, so one
 * batch inversion serves every column at both points. The weights are
 * made OOD_ROWS rows at a time and every column summed over those rows
 * before the next: no weight array of n (two of 24 bytes a row, 12 B per
 * main cell for the range AIR), and the block's weights stay in cache
 * for all the columns. Each worker sums its own rows; the partial sums
 * are added after (field sums: the same elements in any order).
 */
#define OOD_ROWS 1024
/* next_slot of a column the constraints do not read at the next row */
#define OOD_NO_NEXT UINT32_MAX

struct zk_ood_job {
	struct zk_prover *pv;
	const zk_gl *const *trace;
	zk_ext factor;
	struct zk_stark_ood_layout l;
	size_t slots;
	zk_ext *part; /* slots × 2·columns: T(z) sums, then T(zω) sums */
	struct zk_acc *macc; /* slots × main_width × 2·ZK_EXT_DEGREE */
	/* main then aux columns: index among the segment's T(zω) values,
	 * or OOD_NO_NEXT (no T(zω) sum for it) */
	uint32_t *next_slot;
	int failed;
};

/* The weights w_j for rows [r0, r0 + len) into bary, den as scratch. */
static bool ood_weights(const struct zk_prover *pv, size_t r0, size_t len,
			zk_ext *den, zk_ext *bary)
{
	zk_gl w = zk_gl_root_of_unity(pv->log_n), x = zk_gl_pow(w, r0), acc;

	acc = x;
	for (size_t j = 0; j < len; j++) {
		den[j] = zk_ext_sub(pv->z, zk_ext_from_base(acc));
		acc = zk_gl_mul(acc, w);
	}
	if (!zk_stark_ext_batch_inv(bary, den, len))
		return false;
	acc = x;
	for (size_t j = 0; j < len; j++) {
		bary[j] = zk_ext_mul_base(bary[j], acc);
		acc = zk_gl_mul(acc, w);
	}
	return true;
}

/* Rows [r0, r0 + len) of every column into the slot's sums. */
static void ood_rows(struct zk_ood_job *job, size_t r0, size_t len,
		     const zk_ext *bary, struct zk_acc *macc, zk_ext *part)
{
	struct zk_prover *pv = job->pv;
	size_t n = pv->n, mw = pv->air->main_width, aw = pv->air->aux_width;
	size_t ncols = mw + aw;

	for (size_t c = 0; c < mw; c++) {
		const zk_gl *col = job->trace[c] + r0;
		struct zk_acc *ac = macc + c * 2 * ZK_EXT_DEGREE;
		struct zk_acc *an = ac + ZK_EXT_DEGREE;
		size_t last = r0 + len == n ? len - 1 : len;

		if (job->next_slot[c] == OOD_NO_NEXT) {
			for (unsigned k = 0; k < ZK_EXT_DEGREE; k++) {
				struct zk_acc a = ac[k];

				for (size_t j = 0; j < len; j++)
					zk_acc_mac(&a, bary[j].c[k], col[j]);
				ac[k] = a;
			}
			continue;
		}

		/*
		 * One limb of T(z) and of T(zω) per pass, sharing the weight:
		 * two 192-bit sums in locals stay in registers (six in one
		 * loop spilled, and each carry chain then waited on a store
		 * every product).
		 */
		for (unsigned k = 0; k < ZK_EXT_DEGREE; k++) {
			struct zk_acc a = ac[k], b = an[k];

			for (size_t j = 0; j < last; j++) {
				zk_gl w = bary[j].c[k];

				zk_acc_mac(&a, w, col[j]);
				zk_acc_mac(&b, w, col[j + 1]);
			}
			if (last < len) {
				zk_acc_mac(&a, bary[last].c[k], col[last]);
				zk_acc_mac(&b, bary[last].c[k], job->trace[c][0]);
			}
			ac[k] = a;
			an[k] = b;
		}
	}
	for (size_t c = 0; pv->aux != NULL && c < aw; c++) {
		const zk_ext *col = pv->aux[c];
		zk_ext cur = part[mw + c], nxt = part[ncols + mw + c];
		bool read_next = job->next_slot[mw + c] != OOD_NO_NEXT;

		for (size_t j = 0; j < len; j++) {
			cur = zk_ext_add(cur, zk_ext_mul(bary[j], col[r0 + j]));
			if (read_next)
				nxt = zk_ext_add(nxt, zk_ext_mul(bary[j],
						 col[(r0 + j + 1) & (n - 1)]));
		}
		part[mw + c] = cur;
		part[ncols + mw + c] = nxt;
	}
}

static void ood_slots(void *arg, size_t lo, size_t hi)
{
	struct zk_ood_job *job = arg;
	struct zk_prover *pv = job->pv;
	size_t n = pv->n, mw = pv->air->main_width;
	size_t ncols = mw + pv->air->aux_width;
	zk_ext *den = malloc(2 * OOD_ROWS * sizeof(zk_ext));
	zk_ext *bary = den + OOD_ROWS;

	if (den == NULL) {
		__atomic_store_n(&job->failed, 1, __ATOMIC_RELAXED);
		return;
	}
	for (size_t slot = lo; slot < hi; slot++) {
		size_t r0 = n * slot / job->slots, r1 = n * (slot + 1) / job->slots;
		struct zk_acc *macc = job->macc + slot * mw * 2 * ZK_EXT_DEGREE;
		zk_ext *part = job->part + slot * 2 * ncols;

		for (size_t r = r0; r < r1; r += OOD_ROWS) {
			size_t len = r1 - r < OOD_ROWS ? r1 - r : OOD_ROWS;

			if (!ood_weights(pv, r, len, den, bary)) {
				__atomic_store_n(&job->failed, 1,
						 __ATOMIC_RELAXED);
				break;
			}
			ood_rows(job, r, len, bary, macc, part);
		}
		for (size_t c = 0; c < mw; c++)
			for (unsigned h = 0; h < 2; h++)
				for (unsigned k = 0; k < ZK_EXT_DEGREE; k++)
					part[h * ncols + c].c[k] = zk_acc_reduce(
						&macc[(c * 2 + h) * ZK_EXT_DEGREE + k]);
	}
	free(den);
}

/*
 * Aux column c at z and zω from its held coefficients (the values
 * dropped, streaming): Horner with the coefficients' limbs as one
 * extension coefficient, the interpolant the barycentric sum evaluates.
 */
static void aux_from_coeffs(const struct zk_prover *pv, size_t c,
			    zk_ext *cur, zk_ext *nxt)
{
	const zk_gl *p = pv->aux_coeffs + ZK_EXT_DEGREE * c * pv->n;
	size_t n = pv->n;
	zk_ext zw = zk_ext_mul_base(pv->z, zk_gl_root_of_unity(pv->log_n));

	*cur = *nxt = zk_ext_zero();
	for (size_t j = n; j-- > 0;) {
		zk_ext v = zk_gl3_make(p[j], p[n + j], p[2 * n + j]);

		*cur = zk_ext_add(zk_ext_mul(*cur, pv->z), v);
		*nxt = zk_ext_add(zk_ext_mul(*nxt, zw), v);
	}
}

int zk_prover_compute_ood(struct zk_prover *pv, const zk_gl *const *trace)
{
	struct zk_ood_job job = { .pv = pv, .trace = trace };
	size_t n = pv->n, q_len = pv->q_len, mw = pv->air->main_width;
	size_t aw = pv->air->aux_width, ncols = mw + aw;
	zk_gl n_inv;

	zk_stark_ood_layout(&pv->shape, &job.l);
	pv->ood = calloc(job.l.total, sizeof(zk_ext));
	if (pv->ood == NULL)
		return ZK_STARK_ENOMEM;
	if (!zk_gl_inv(n, &n_inv))
		return ZK_STARK_EINVAL;
	job.slots = pv->threads < 1 ? 1 : pv->threads > 64 ? 64 : pv->threads;
	if (job.slots > n / OOD_ROWS)
		job.slots = n >= OOD_ROWS ? n / OOD_ROWS : 1;
	job.part = calloc(job.slots * 2 * ncols + 1, sizeof(zk_ext));
	job.macc = calloc(job.slots * mw * 2 * ZK_EXT_DEGREE + 1,
			  sizeof(struct zk_acc));
	job.next_slot = malloc(ncols * sizeof(uint32_t));
	if (job.part == NULL || job.macc == NULL || job.next_slot == NULL) {
		free(job.part);
		free(job.macc);
		free(job.next_slot);
		return ZK_STARK_ENOMEM;
	}
	for (size_t c = 0; c < ncols; c++)
		job.next_slot[c] = OOD_NO_NEXT;
	for (unsigned seg = ZK_SEG_MAIN; seg <= ZK_SEG_AUX; seg++)
		for (uint32_t j = 0; j < zk_air_next_count(pv->air, seg); j++)
			job.next_slot[(seg == ZK_SEG_MAIN ? 0 : mw) +
				      zk_air_next_col(pv->air, seg, j)] = j;
	job.factor = zk_ext_mul_base(zk_ext_sub(zk_ext_pow(pv->z, n),
						zk_ext_one()), n_inv);
	zk_prover_parallel_for(pv->threads, job.slots, ood_slots, &job);
	for (size_t c = 0; c < ncols; c++) {
		zk_ext cur = zk_ext_zero(), nxt = zk_ext_zero();

		for (size_t s = 0; s < job.slots; s++) {
			cur = zk_ext_add(cur, job.part[s * 2 * ncols + c]);
			nxt = zk_ext_add(nxt, job.part[s * 2 * ncols + ncols + c]);
		}
		cur = zk_ext_mul(cur, job.factor);
		nxt = zk_ext_mul(nxt, job.factor);
		if (c >= mw && pv->aux == NULL)
			aux_from_coeffs(pv, c - mw, &cur, &nxt);
		pv->ood[(c < mw ? job.l.main_cur + c : job.l.aux_cur + c - mw)] = cur;
		if (job.next_slot[c] != OOD_NO_NEXT)
			pv->ood[(c < mw ? job.l.main_nxt : job.l.aux_nxt) +
				job.next_slot[c]] = nxt;
	}
	free(job.part);
	free(job.macc);
	free(job.next_slot);
	if (job.failed)
		return ZK_STARK_EINVAL;
	/* the chunks' coefficients are still in pv->q: Horner */
	for (size_t k = 0; k < pv->shape.n_chunks; k++) {
		zk_ext acc = zk_ext_zero();

		for (size_t j = n; j-- > 0;)
			acc = zk_ext_add(zk_ext_mul(acc, pv->z),
					 zk_ext_gather(pv->q + k * n + j, q_len));
		pv->ood[job.l.comp + k] = acc;
	}
	return 0;
}
