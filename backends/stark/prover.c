/* SPDX-License-Identifier: MIT */
/*
 * The prover (docs/stark.md, "Protocol"). Memory is column-major LDE
 * arrays over D in bit-reversed order; the hot loops (constraint
 * evaluation over D, DEEP composition, OOD evaluation) are split over
 * opts.threads workers by position range or column, so the proof does not
 * depend on the thread count. Steps 6–7 live in prover_deep.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntt.h"
#include "prover_internal.h"
#include "stark.h"


static int fail(char *err, size_t errlen, int status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, int status, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return status;
}

static void prover_free(struct zk_prover *pv)
{
	free(pv->main_lde);
	if (pv->aux != NULL)
		for (uint32_t c = 0; c < pv->air->aux_width; c++)
			free(pv->aux[c]);
	free(pv->aux);
	free(pv->aux_lde);
	free(pv->q);
	free(pv->comp_lde);
	free(pv->xs);
	if (pv->periodic_lde != NULL)
		for (uint32_t j = 0; j < pv->air->n_periodic; j++)
			free(pv->periodic_lde[j]);
	free(pv->periodic_lde);
	free(pv->periodic_shift);
	zk_merkle_free(&pv->main_tree);
	zk_merkle_free(&pv->aux_tree);
	zk_merkle_free(&pv->comp_tree);
	free(pv->alphas);
	free(pv->asrt);
	free(pv->asrt_alpha);
	free(pv->zinv_by_high);
	free(pv->ood);
	free(pv->gammas);
	free(pv->bary);
	free(pv->deep);
}

/* ---- step 2/3: LDEs and commitments ---- */

static int commit_main(struct zk_prover *pv, const zk_gl *const *trace)
{
	size_t w = pv->air->main_width;
	zk_gl **out = calloc(w, sizeof(zk_gl *));
	int rc = ZK_STARK_ENOMEM;

	pv->main_lde = malloc(w * pv->big_n * sizeof(zk_gl));
	if (out == NULL || pv->main_lde == NULL)
		goto done;
	for (size_t c = 0; c < w; c++)
		out[c] = pv->main_lde + c * pv->big_n;
	if (zk_ntt_lde(out, trace, w, pv->log_n, pv->p->log_blowup,
		       ZK_GL_MULTIPLICATIVE_GENERATOR, pv->threads) != 0)
		goto done;
	rc = zk_merkle_build_lde(&pv->main_tree, pv->p->hash, pv->main_lde, w,
				 pv->big_n, pv->threads) == 0 ? 0 : ZK_STARK_ENOMEM;
done:
	free(out);
	return rc;
}

/* aux columns become (c0, c1) base columns, the layout merkle and FRI use */
static int commit_aux(struct zk_prover *pv, const zk_gl *const *trace)
{
	size_t w = 2 * (size_t)pv->air->aux_width, n = pv->n;
	zk_gl **in = calloc(w, sizeof(zk_gl *));
	zk_gl **out = calloc(w, sizeof(zk_gl *));
	int rc = ZK_STARK_ENOMEM;

	pv->aux = calloc(pv->air->aux_width, sizeof(zk_gl2 *));
	pv->aux_lde = malloc(w * pv->big_n * sizeof(zk_gl));
	if (in == NULL || out == NULL || pv->aux == NULL || pv->aux_lde == NULL)
		goto done;
	for (size_t c = 0; c < pv->air->aux_width; c++) {
		pv->aux[c] = calloc(n, sizeof(zk_gl2));
		if (pv->aux[c] == NULL)
			goto done;
	}
	if (pv->air->build_aux(pv->air->ctx, trace, pv->log_n, pv->rand,
			       pv->aux) != 0) {
		rc = ZK_STARK_EAUX;
		goto done;
	}
	for (size_t c = 0; c < w; c++) {
		in[c] = malloc(n * sizeof(zk_gl));
		out[c] = pv->aux_lde + c * pv->big_n;
		if (in[c] == NULL)
			goto done;
		for (size_t i = 0; i < n; i++) {
			zk_gl2 v = pv->aux[c / 2][i];

			in[c][i] = (c & 1) ? v.c1 : v.c0;
			if (!zk_gl_is_canonical(in[c][i])) {
				rc = ZK_STARK_EAUX;
				goto done;
			}
		}
	}
	if (zk_ntt_lde(out, (const zk_gl *const *)in, w, pv->log_n,
		       pv->p->log_blowup, ZK_GL_MULTIPLICATIVE_GENERATOR,
		       pv->threads) != 0)
		goto done;
	rc = zk_merkle_build_lde(&pv->aux_tree, pv->p->hash, pv->aux_lde, w,
				 pv->big_n, pv->threads) == 0 ? 0 : ZK_STARK_ENOMEM;
done:
	if (in != NULL)
		for (size_t c = 0; c < w; c++)
			free(in[c]);
	free(in);
	free(out);
	return rc;
}

/* ---- step 5: composition ---- */

/* D in bit-reversed order, 1/Z_H, and the periodic columns' LDEs. */
static int prepare_domain(struct zk_prover *pv)
{
	unsigned b = pv->p->log_blowup;
	size_t blowup = (size_t)1 << b;
	zk_gl w_n = zk_gl_root_of_unity(pv->log_domain);
	zk_gl s = ZK_GL_MULTIPLICATIVE_GENERATOR, acc = s, s_n, w_b, den[64];
	size_t zeros;

	if (blowup > sizeof(den) / sizeof(den[0]))
		return ZK_STARK_EINVAL;
	pv->xs = malloc(pv->big_n * sizeof(zk_gl));
	pv->zinv_by_high = malloc(blowup * sizeof(zk_gl));
	pv->periodic_lde = calloc(pv->air->n_periodic + 1, sizeof(zk_gl *));
	pv->periodic_shift = calloc(pv->air->n_periodic + 1, sizeof(unsigned));
	if (pv->xs == NULL || pv->zinv_by_high == NULL ||
	    pv->periodic_lde == NULL || pv->periodic_shift == NULL)
		return ZK_STARK_ENOMEM;
	for (size_t k = 0; k < pv->big_n; k++) {
		pv->xs[k] = acc;
		acc = zk_gl_mul(acc, w_n);
	}
	zk_ntt_bitrev_permute(pv->xs, pv->log_domain);

	/* x^n at position i is s^n·ω_B^bitrev_b(i >> (log N - b)) */
	s_n = zk_gl_pow(s, pv->n);
	w_b = zk_gl_root_of_unity(b);
	for (size_t h = 0; h < blowup; h++)
		den[h] = zk_gl_sub(zk_gl_mul(s_n, zk_gl_pow(w_b,
					zk_stark_rev_bits(h, b))), 1);
	zeros = zk_gl_batch_inv(pv->zinv_by_high, den, blowup);
	if (zeros != 0)
		return ZK_STARK_EINVAL;
	pv->last_row = zk_gl_root_of_unity(pv->log_n);
	pv->last_row = zk_gl_pow(pv->last_row, pv->n - 1);

	for (uint32_t j = 0; j < pv->air->n_periodic; j++) {
		const struct zk_periodic_col *pc = &pv->air->periodic[j];
		unsigned lpb = pc->log_period + b;
		size_t size = (size_t)1 << lpb;
		zk_gl *col;
		zk_gl *cols[1];

		col = calloc(size, sizeof(zk_gl));
		if (col == NULL)
			return ZK_STARK_ENOMEM;
		pv->periodic_lde[j] = col;
		pv->periodic_shift[j] = pv->log_domain - lpb;
		if (zk_stark_periodic_coeffs(pc, col) != 0)
			return ZK_STARK_ENOMEM;
		cols[0] = col;
		/* column(x) = p(x^(n/period)): p on the coset s^(n/period)·H */
		if (zk_ntt_coset_forward(cols, 1, lpb,
					 zk_gl_pow(s, pv->n >> pc->log_period),
					 1) != 0)
			return ZK_STARK_ENOMEM;
	}
	return 0;
}

static void composition_range(void *arg, size_t lo, size_t hi)
{
	struct zk_prover *pv = arg;
	const struct zk_air *air = pv->air;
	size_t mw = air->main_width, aw = air->aux_width, big_n = pv->big_n;
	size_t np = air->n_periodic, nmc = air->n_main_constraints;
	size_t nac = air->n_aux_constraints;
	unsigned log_d = pv->log_domain, b = pv->p->log_blowup;
	size_t scratch_len = 4 * mw + 4 * aw + 2 * np + nmc + 2 * nac +
			     3 * ZK_PROVER_BLOCK + 4;
	zk_gl *scratch = malloc(scratch_len * sizeof(zk_gl2));
	zk_gl *cur, *nxt, *per, *outm, *den, *inv;
	zk_gl2 *curx, *nxtx, *acur, *anxt, *perx, *outa, *num;

	if (scratch == NULL) {
		__atomic_store_n(&pv->failed, 1, __ATOMIC_RELAXED);
		return;
	}
	curx = (zk_gl2 *)scratch;
	nxtx = curx + mw;
	acur = nxtx + mw;
	anxt = acur + aw;
	perx = anxt + aw;
	outa = perx + np;
	num = outa + nac;
	cur = (zk_gl *)(num + ZK_PROVER_BLOCK);
	nxt = cur + mw;
	per = nxt + mw;
	outm = per + np;
	den = outm + nmc;
	inv = den + ZK_PROVER_BLOCK;

	for (size_t i = lo; i < hi; i++) {
		size_t nx = zk_stark_rev_bits(
			(zk_stark_rev_bits(i, log_d) + ((size_t)1 << b)) &
			(big_n - 1), log_d);
		zk_gl2 acc = zk_gl2_zero();
		zk_gl factor;

		for (size_t c = 0; c < mw; c++) {
			cur[c] = pv->main_lde[c * big_n + i];
			nxt[c] = pv->main_lde[c * big_n + nx];
		}
		for (size_t j = 0; j < np; j++)
			per[j] = pv->periodic_lde[j][i >> pv->periodic_shift[j]];
		air->eval_main(air->ctx, cur, nxt, per, outm);
		for (size_t k = 0; k < nmc; k++)
			acc = zk_gl2_add(acc, zk_gl2_mul_base(pv->alphas[k], outm[k]));
		if (aw > 0) {
			const zk_gl *al = pv->aux_lde;

			for (size_t c = 0; c < mw; c++) {
				curx[c] = zk_gl2_from_base(cur[c]);
				nxtx[c] = zk_gl2_from_base(nxt[c]);
			}
			for (size_t c = 0; c < aw; c++) {
				acur[c] = zk_gl2_make(al[2 * c * big_n + i],
						      al[(2 * c + 1) * big_n + i]);
				anxt[c] = zk_gl2_make(al[2 * c * big_n + nx],
						      al[(2 * c + 1) * big_n + nx]);
			}
			for (size_t j = 0; j < np; j++)
				perx[j] = zk_gl2_from_base(per[j]);
			air->eval_aux(air->ctx, curx, nxtx, acur, anxt, perx,
				      pv->rand, outa);
			for (size_t k = 0; k < nac; k++)
				acc = zk_gl2_add(acc, zk_gl2_mul(pv->alphas[nmc + k],
								 outa[k]));
		}
		/* transition constraints hold on every row but the last */
		factor = zk_gl_mul(zk_gl_sub(pv->xs[i], pv->last_row),
				   pv->zinv_by_high[i >> (log_d - b)]);
		acc = zk_gl2_mul_base(acc, factor);
		pv->q[i] = acc.c0;
		pv->q[big_n + i] = acc.c1;
	}

	/* boundary terms, grouped per row so each row costs one batch inverse */
	for (size_t blo = lo; blo < hi; blo += ZK_PROVER_BLOCK) {
		size_t bhi = blo + ZK_PROVER_BLOCK < hi ? blo + ZK_PROVER_BLOCK : hi;
		size_t len = bhi - blo;
		zk_gl w_n = zk_gl_root_of_unity(pv->log_n);

		for (size_t a = 0; a < pv->n_asrt;) {
			uint64_t row = pv->asrt[a].row;
			zk_gl root = zk_gl_pow(w_n, row);
			size_t zeros;

			for (size_t k = 0; k < len; k++) {
				den[k] = zk_gl_sub(pv->xs[blo + k], root);
				num[k] = zk_gl2_zero();
			}
			zeros = zk_gl_batch_inv(inv, den, len);
			if (zeros != 0) /* D ∩ H = ∅: cannot happen */
				__atomic_store_n(&pv->failed, 1, __ATOMIC_RELAXED);
			/* pv->asrt is sorted by row: this group is contiguous */
			for (; a < pv->n_asrt && pv->asrt[a].row == row; a++) {
				const struct zk_assertion *as = &pv->asrt[a];
				zk_gl2 alpha = pv->asrt_alpha[a];

				for (size_t k = 0; k < len; k++) {
					size_t i = blo + k;
					zk_gl2 t;

					if (as->segment == ZK_SEG_MAIN)
						t = zk_gl2_from_base(
							pv->main_lde[as->column * big_n + i]);
					else
						t = zk_gl2_make(
							pv->aux_lde[2 * as->column * big_n + i],
							pv->aux_lde[(2 * as->column + 1) * big_n + i]);
					num[k] = zk_gl2_add(num[k], zk_gl2_mul(alpha,
							zk_gl2_sub(t, as->value)));
				}
			}
			for (size_t k = 0; k < len; k++) {
				zk_gl2 term = zk_gl2_mul_base(num[k], inv[k]);
				size_t i = blo + k;

				pv->q[i] = zk_gl_add(pv->q[i], term.c0);
				pv->q[big_n + i] = zk_gl_add(pv->q[big_n + i], term.c1);
			}
		}
	}
	free(scratch);
}

static int commit_composition(struct zk_prover *pv, bool debug, char *err,
			      size_t errlen)
{
	size_t big_n = pv->big_n, n = pv->n, chunks = pv->shape.n_chunks;
	zk_gl *qcols[2];
	zk_gl **cols;
	int rc;

	pv->q = malloc(2 * big_n * sizeof(zk_gl));
	pv->comp_lde = calloc(2 * chunks * big_n, sizeof(zk_gl));
	cols = calloc(2 * chunks, sizeof(zk_gl *));
	if (pv->q == NULL || pv->comp_lde == NULL || cols == NULL) {
		free(cols);
		return ZK_STARK_ENOMEM;
	}
	zk_prover_parallel_for(pv->threads, big_n, composition_range, pv);
	if (pv->failed) {
		free(cols);
		return ZK_STARK_ENOMEM;
	}
	qcols[0] = pv->q;
	qcols[1] = pv->q + big_n;
	rc = zk_ntt_coset_inverse(qcols, 2, pv->log_domain,
				  ZK_GL_MULTIPLICATIVE_GENERATOR, pv->threads);
	if (rc != 0) {
		free(cols);
		return ZK_STARK_ENOMEM;
	}
	if (debug)
		for (size_t k = chunks * n; k < big_n; k++)
			if (pv->q[k] != 0 || pv->q[big_n + k] != 0) {
				free(cols);
				return fail(err, errlen, ZK_STARK_ETRACE,
					    "composition has degree >= %zu: the "
					    "trace violates a constraint or the "
					    "declared degree is too low",
					    chunks * n);
			}
	for (size_t k = 0; k < chunks; k++)
		for (size_t h = 0; h < 2; h++) {
			cols[2 * k + h] = pv->comp_lde + (2 * k + h) * big_n;
			memcpy(cols[2 * k + h], pv->q + h * big_n + k * n,
			       n * sizeof(zk_gl));
		}
	rc = zk_ntt_coset_forward(cols, 2 * chunks, pv->log_domain,
				  ZK_GL_MULTIPLICATIVE_GENERATOR, pv->threads);
	free(cols);
	if (rc != 0)
		return ZK_STARK_ENOMEM;
	return zk_merkle_build_lde(&pv->comp_tree, pv->p->hash, pv->comp_lde,
				   2 * chunks, big_n, pv->threads) == 0 ?
	       0 : ZK_STARK_ENOMEM;
}

/* ---- the whole protocol ---- */

/* keys are (row, original index) pairs: ties keep their order */
static int cmp_assertion_row(const void *a, const void *b)
{
	const size_t *x = a, *y = b;

	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return (x[1] > y[1]) - (x[1] < y[1]);
}

/* Stable sort of the assertions by row, each keeping its own α. */
static int sort_assertions(struct zk_prover *pv, const struct zk_assertion *raw,
			   const zk_gl2 *alphas)
{
	size_t n = pv->n_asrt;
	size_t *keys = malloc((2 * n + 1) * sizeof(size_t));

	pv->asrt = malloc((n + 1) * sizeof(*pv->asrt));
	pv->asrt_alpha = malloc((n + 1) * sizeof(zk_gl2));
	if (keys == NULL || pv->asrt == NULL || pv->asrt_alpha == NULL) {
		free(keys);
		return ZK_STARK_ENOMEM;
	}
	for (size_t j = 0; j < n; j++) {
		keys[2 * j] = raw[j].row;
		keys[2 * j + 1] = j;
	}
	qsort(keys, n, 2 * sizeof(size_t), cmp_assertion_row);
	for (size_t j = 0; j < n; j++) {
		pv->asrt[j] = raw[keys[2 * j + 1]];
		pv->asrt_alpha[j] = alphas[keys[2 * j + 1]];
	}
	free(keys);
	return 0;
}

static int commit_phase(struct zk_prover *pv, const zk_gl *const *trace,
			struct zk_transcript *t, bool debug, char *err,
			size_t errlen)
{
	const struct zk_air *air = pv->air;
	struct zk_assertion *raw = calloc(ZK_AIR_MAX_ASSERTIONS, sizeof(*raw));
	size_t n_alpha;
	long count;
	int rc;

	if (raw == NULL)
		return ZK_STARK_ENOMEM;
	rc = commit_main(pv, trace);
	if (rc != 0)
		goto done;
	zk_transcript_absorb_digest(t, zk_merkle_root(&pv->main_tree));
	if (air->aux_width > 0) {
		for (uint32_t r = 0; r < air->n_aux_rand; r++)
			pv->rand[r] = zk_transcript_draw_gl2(t);
		rc = commit_aux(pv, trace);
		if (rc == ZK_STARK_EAUX) {
			fail(err, errlen, rc, "build_aux found no aux trace");
			goto done;
		}
		if (rc != 0)
			goto done;
		zk_transcript_absorb_digest(t, zk_merkle_root(&pv->aux_tree));
	}
	count = zk_stark_air_assertions(air, pv->log_n,
					air->aux_width ? pv->rand : NULL, raw,
					err, errlen);
	if (count < 0) {
		rc = ZK_STARK_EINVAL;
		goto done;
	}
	pv->n_asrt = (size_t)count;
	n_alpha = air->n_main_constraints + air->n_aux_constraints + pv->n_asrt;
	pv->alphas = malloc((n_alpha + 1) * sizeof(zk_gl2));
	if (pv->alphas == NULL) {
		rc = ZK_STARK_ENOMEM;
		goto done;
	}
	for (size_t k = 0; k < n_alpha; k++)
		pv->alphas[k] = zk_transcript_draw_gl2(t);
	rc = sort_assertions(pv, raw, pv->alphas + air->n_main_constraints +
			     air->n_aux_constraints);
	if (rc == 0)
		rc = prepare_domain(pv);
	if (rc == 0)
		rc = commit_composition(pv, debug, err, errlen);
	if (rc == 0)
		zk_transcript_absorb_digest(t, zk_merkle_root(&pv->comp_tree));
done:
	free(raw);
	return rc;
}

static int open_rows(struct zk_prover *pv, struct zk_stark_proof *pf,
		     const uint64_t *pos, size_t count)
{
	size_t mw = pv->air->main_width, aw2 = 2 * (size_t)pv->air->aux_width;
	size_t cw = 2 * (size_t)pv->shape.n_chunks, big_n = pv->big_n;

	for (size_t k = 0; k < count; k++) {
		for (size_t c = 0; c < mw; c++)
			pf->main_rows[k * mw + c] = pv->main_lde[c * big_n + pos[k]];
		for (size_t c = 0; c < aw2; c++)
			pf->aux_rows[k * aw2 + c] = pv->aux_lde[c * big_n + pos[k]];
		for (size_t c = 0; c < cw; c++)
			pf->comp_rows[k * cw + c] = pv->comp_lde[c * big_n + pos[k]];
	}
	if (zk_merkle_open_batch(&pv->main_tree, pos, count, &pf->main_open) != 0 ||
	    zk_merkle_open_batch(&pv->comp_tree, pos, count, &pf->comp_open) != 0)
		return ZK_STARK_ENOMEM;
	if (aw2 > 0 &&
	    zk_merkle_open_batch(&pv->aux_tree, pos, count, &pf->aux_open) != 0)
		return ZK_STARK_ENOMEM;
	return 0;
}

static int query_phase(struct zk_prover *pv, struct zk_transcript *t,
		       struct zk_stark_proof *pf)
{
	struct zk_fri_prover *fp = NULL;
	struct zk_fri_config cfg;
	uint64_t positions[ZK_FRI_MAX_QUERIES];
	size_t count;
	int rc;

	zk_stark_fri_config(pv->p, pv->log_n, pv->threads, &cfg);
	rc = zk_fri_commit(&fp, &cfg, t, pv->deep);
	if (rc != 0)
		return rc;
	pf->pow_nonce = zk_transcript_grind(t, pv->p->grinding_bits);
	count = zk_stark_draw_positions(t, pv->p, pv->log_domain, positions);
	rc = zk_fri_prove_queries(fp, positions, count, &pf->fri);
	zk_fri_prover_free(fp);
	if (rc != 0)
		return rc;
	rc = zk_stark_proof_alloc(pf, &pv->shape, (uint32_t)count);
	if (rc == 0)
		rc = open_rows(pv, pf, positions, count);
	return rc;
}

static int check_trace(const struct zk_air *air, const zk_gl *const *trace,
		       unsigned log_n, char *err, size_t errlen)
{
	if (trace == NULL)
		return fail(err, errlen, ZK_STARK_EINVAL, "no trace");
	for (uint32_t c = 0; c < air->main_width; c++) {
		if (trace[c] == NULL)
			return fail(err, errlen, ZK_STARK_EINVAL,
				    "trace column %u missing", c);
		for (size_t i = 0; i < ((size_t)1 << log_n); i++)
			if (!zk_gl_is_canonical(trace[c][i]))
				return fail(err, errlen, ZK_STARK_EINVAL,
					    "trace column %u row %zu not canonical",
					    c, i);
	}
	return 0;
}

int zk_stark_prove(const struct zk_air *air, const struct zk_stark_params *p,
		   const zk_gl *const *main_trace, unsigned log_n,
		   const struct zk_prove_opts *opts, uint8_t **proof,
		   size_t *proof_len, char *err, size_t errlen)
{
	struct zk_prover pv = { 0 };
	struct zk_stark_proof pf;
	struct zk_transcript t;
	bool debug = opts != NULL && opts->debug;
	size_t n_gamma;
	int rc;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (proof == NULL || proof_len == NULL)
		return fail(err, errlen, ZK_STARK_EINVAL, "no output buffer");
	*proof = NULL;
	*proof_len = 0;
	rc = zk_stark_air_validate(air, p, log_n, err, errlen);
	if (rc == 0)
		rc = check_trace(air, main_trace, log_n, err, errlen);
	if (rc == 0 && debug)
		rc = zk_stark_debug_check(air, main_trace, log_n,
					  0x7a6b636c6f622d64ull, err, errlen);
	if (rc != 0)
		return rc;

	zk_stark_proof_init(&pf);
	pv.air = air;
	pv.p = p;
	pv.log_n = log_n;
	pv.log_domain = log_n + p->log_blowup;
	pv.n = (size_t)1 << log_n;
	pv.big_n = (size_t)1 << pv.log_domain;
	pv.threads = opts != NULL && opts->threads > 0 ? opts->threads : 1;
	zk_stark_air_shape(air, &pv.shape);

	rc = zk_stark_transcript_start(&t, p, air, log_n);
	if (rc == 0)
		rc = commit_phase(&pv, main_trace, &t, debug, err, errlen);
	if (rc != 0)
		goto done;

	pv.z = zk_stark_draw_ood_point(&t);
	rc = zk_prover_compute_ood(&pv, main_trace);
	if (rc != 0)
		goto done;
	zk_transcript_absorb_gl2(&t, pv.ood, 2 * ((size_t)air->main_width +
				 air->aux_width) + pv.shape.n_chunks);

	n_gamma = 2 * ((size_t)air->main_width + air->aux_width) +
		  pv.shape.n_chunks;
	pv.gammas = malloc(n_gamma * sizeof(zk_gl2));
	pv.deep = malloc(pv.big_n * sizeof(zk_gl2));
	if (pv.gammas == NULL || pv.deep == NULL) {
		rc = ZK_STARK_ENOMEM;
		goto done;
	}
	for (size_t k = 0; k < n_gamma; k++)
		pv.gammas[k] = zk_transcript_draw_gl2(&t);
	rc = zk_prover_deep(&pv);
	if (rc != 0)
		goto done;

	rc = query_phase(&pv, &t, &pf);
	if (rc != 0)
		goto done;
	pf.params_id = p->id;
	pf.log_n = (uint8_t)log_n;
	pf.shape = pv.shape;
	pf.main_root = *zk_merkle_root(&pv.main_tree);
	if (air->aux_width > 0)
		pf.aux_root = *zk_merkle_root(&pv.aux_tree);
	pf.comp_root = *zk_merkle_root(&pv.comp_tree);
	memcpy(pf.ood, pv.ood, n_gamma * sizeof(zk_gl2));
	rc = zk_stark_proof_encode(&pf, proof, proof_len);
done:
	if (rc != 0 && err != NULL && errlen > 0 && err[0] == '\0')
		fail(err, errlen, rc, "prover failed: %s", zk_stark_strerror(rc));
	zk_stark_proof_free(&pf);
	prover_free(&pv);
	return rc;
}
