/* SPDX-License-Identifier: MIT */
/*
 * The verifier (docs/stark.md). It trusts nothing in the proof: the
 * parameter set is the caller's, the shape is the AIR's, the query
 * positions and every challenge are recomputed from the transcript, and
 * the single path to ZK_STARK_ACCEPT runs through every check in order.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "air_next.h"
#include "proof.h"
#include "stark.h"
#include "verifier_internal.h"

const char *zk_stark_strerror(int status)
{
	switch (status) {
	case ZK_STARK_ACCEPT: return "accepted";
	case ZK_STARK_EINVAL: return "invalid arguments, AIR or parameters";
	case ZK_STARK_ENOMEM: return "out of memory";
	case ZK_STARK_EFORMAT: return "malformed proof";
	case ZK_STARK_EPARAMS: return "proof made under another parameter set or shape";
	case ZK_STARK_EMERKLE: return "opening does not match its commitment";
	case ZK_STARK_EOOD: return "out-of-domain constraint check failed";
	case ZK_STARK_EFRI: return "FRI rejected";
	case ZK_STARK_EPOW: return "proof-of-work nonce invalid";
	case ZK_STARK_ETRACE: return "trace violates a constraint";
	case ZK_STARK_EAUX: return "aux trace could not be built";
	default: return "unknown status";
	}
}

static int reject(struct zk_verifier *v, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int reject(struct zk_verifier *v, int status, const char *fmt, ...)
{
	va_list ap;

	if (v->err != NULL && v->errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(v->err, v->errlen, fmt, ap);
		va_end(ap);
	}
	return status;
}

static zk_ext horner(const zk_gl *coeffs, size_t len, zk_ext x)
{
	zk_ext acc = zk_ext_zero();

	for (size_t j = len; j-- > 0;)
		acc = zk_ext_add(zk_ext_mul(acc, x), zk_ext_from_base(coeffs[j]));
	return acc;
}

/* Periodic column j at z: its period polynomial at z^(n/period). */
static int periodic_at_z(struct zk_verifier *v, zk_ext *out)
{
	const struct zk_air *air = v->air;

	for (uint32_t j = 0; j < air->n_periodic; j++) {
		const struct zk_periodic_col *pc = &air->periodic[j];
		size_t period = (size_t)1 << pc->log_period;
		zk_gl *coeffs = malloc(period * sizeof(zk_gl));

		if (coeffs == NULL)
			return ZK_STARK_ENOMEM;
		if (zk_stark_periodic_coeffs(pc, coeffs) != 0) {
			free(coeffs);
			return ZK_STARK_ENOMEM;
		}
		out[j] = horner(coeffs, period,
				zk_ext_pow(v->z, v->n >> pc->log_period));
		free(coeffs);
	}
	return 0;
}

/* Step 6: Σ α·C(z)·(z − ω^(n−1))/Z_H(z) + boundary terms = Σ z^(kn)·Q_k(z). */
static int check_ood(struct zk_verifier *v)
{
	const struct zk_air *air = v->air;
	const zk_ext *ood = v->pf.ood;
	size_t nmc = air->n_main_constraints, nac = air->n_aux_constraints;
	size_t mw = air->main_width, aw = air->aux_width;
	zk_gl w_n = zk_gl_root_of_unity(v->log_n);
	zk_ext *buf = calloc(air->n_periodic + nmc + nac + mw + aw + 1,
			     sizeof(zk_ext));
	zk_ext *per = buf, *out = buf + air->n_periodic;
	/* T(zω) at full width, 0 where the AIR reads no next row */
	zk_ext *main_nxt = out + nmc + nac, *aux_nxt = main_nxt + mw;
	zk_ext z_n = zk_ext_pow(v->z, v->n), acc = zk_ext_zero(), rhs, inv, zk;
	int rc;

	if (buf == NULL)
		return ZK_STARK_ENOMEM;
	rc = periodic_at_z(v, per);
	if (rc != 0)
		goto done;
	zk_air_next_expand(air, ZK_SEG_MAIN, ood + v->l.main_nxt, main_nxt);
	zk_air_next_expand(air, ZK_SEG_AUX, ood + v->l.aux_nxt, aux_nxt);
	air->eval_main_ext(air->ctx, ood + v->l.main_cur, main_nxt, per, out);
	if (air->aux_width > 0)
		air->eval_aux(air->ctx, ood + v->l.main_cur, main_nxt,
			      ood + v->l.aux_cur, aux_nxt, per, v->rand,
			      out + nmc);
	for (size_t k = 0; k < nmc + nac; k++)
		acc = zk_ext_add(acc, zk_ext_mul(v->alphas[k], out[k]));
	rc = ZK_STARK_EOOD;
	if (!zk_ext_inv(zk_ext_sub(z_n, zk_ext_one()), &inv))
		goto done;
	acc = zk_ext_mul(acc, zk_ext_mul(inv, zk_ext_sub(v->z,
			 zk_ext_from_base(zk_gl_pow(w_n, v->n - 1)))));
	for (size_t j = 0; j < v->n_asrt; j++) {
		const struct zk_assertion *a = &v->asrt[j];
		zk_ext t = a->segment == ZK_SEG_MAIN ?
			   ood[v->l.main_cur + a->column] :
			   ood[v->l.aux_cur + a->column];

		if (!zk_ext_inv(zk_ext_sub(v->z, zk_ext_from_base(
				zk_gl_pow(w_n, a->row))), &inv))
			goto done;
		acc = zk_ext_add(acc, zk_ext_mul(zk_ext_mul(v->alphas[nmc + nac + j],
				 zk_ext_sub(t, a->value)), inv));
	}
	rhs = zk_ext_zero();
	zk = zk_ext_one();
	for (size_t k = 0; k < v->pf.shape.n_chunks; k++) {
		rhs = zk_ext_add(rhs, zk_ext_mul(zk, ood[v->l.comp + k]));
		zk = zk_ext_mul(zk, z_n);
	}
	rc = zk_ext_eq(acc, rhs) ? 0 : ZK_STARK_EOOD;
done:
	free(buf);
	if (rc == ZK_STARK_EOOD)
		reject(v, rc, "constraints at the out-of-domain point do not "
		       "match the composition polynomial");
	return rc;
}

/* Steps 1–6 of the transcript, with the OOD check. */
static int replay_commitments(struct zk_verifier *v, struct zk_transcript *t)
{
	const struct zk_air *air = v->air;
	size_t n_alpha, n_gamma;
	long count;
	int rc;

	rc = zk_stark_transcript_start(t, v->p, air, v->log_n);
	if (rc != 0)
		return reject(v, rc, "transcript hash unavailable");
	zk_transcript_absorb_digest(t, &v->pf.main_root);
	if (air->aux_width > 0) {
		for (uint32_t r = 0; r < air->n_aux_rand; r++)
			v->rand[r] = zk_transcript_draw_ext(t);
		zk_transcript_absorb_digest(t, &v->pf.aux_root);
	}
	v->asrt = calloc(ZK_AIR_MAX_ASSERTIONS, sizeof(*v->asrt));
	if (v->asrt == NULL)
		return ZK_STARK_ENOMEM;
	count = zk_stark_air_assertions(air, v->log_n,
					air->aux_width ? v->rand : NULL, v->asrt,
					v->err, v->errlen);
	if (count < 0)
		return ZK_STARK_EINVAL;
	v->n_asrt = (size_t)count;
	n_alpha = air->n_main_constraints + air->n_aux_constraints + v->n_asrt;
	v->alphas = malloc((n_alpha + 1) * sizeof(zk_ext));
	if (v->alphas == NULL)
		return ZK_STARK_ENOMEM;
	zk_transcript_draw_powers(t, v->alphas, n_alpha);
	zk_transcript_absorb_digest(t, &v->pf.comp_root);
	v->z = zk_stark_draw_ood_point(t);
	zk_transcript_absorb_ext(t, v->pf.ood, v->l.total);
	rc = check_ood(v);
	if (rc != 0)
		return rc;
	n_gamma = v->l.total;
	v->gammas = malloc(n_gamma * sizeof(zk_ext));
	if (v->gammas == NULL)
		return ZK_STARK_ENOMEM;
	zk_transcript_draw_powers(t, v->gammas, n_gamma);
	return 0;
}

static int check_openings(struct zk_verifier *v)
{
	const struct zk_stark_proof *pf = &v->pf;
	enum zk_hash_id h = v->p->hash;
	unsigned d = v->log_domain;
	size_t np = v->n_positions;
	int rc;

	rc = zk_merkle_verify_batch(h, &pf->main_root, d, v->positions, np,
				    pf->main_rows, pf->shape.main_width,
				    &pf->main_open);
	if (rc == 0 && pf->shape.aux_width > 0)
		rc = zk_merkle_verify_batch(h, &pf->aux_root, d, v->positions, np,
					    pf->aux_rows, ZK_EXT_DEGREE * (size_t)pf->shape.aux_width,
					    &pf->aux_open);
	if (rc == 0)
		rc = zk_merkle_verify_batch(h, &pf->comp_root, d, v->positions, np,
					    pf->comp_rows, ZK_EXT_DEGREE * (size_t)pf->shape.n_chunks,
					    &pf->comp_open);
	if (rc == ZK_MERKLE_ENOMEM)
		return ZK_STARK_ENOMEM;
	if (rc != 0)
		return reject(v, ZK_STARK_EMERKLE, "trace or composition opening "
			      "rejected: %s", zk_merkle_strerror(rc));
	return 0;
}

/*
 * A sum of up to 2^64 products of two canonical elements, reduced once:
 * each 128-bit product is added to lo and its carries counted in hi, so
 * the inner loop of deep_values multiplies without reducing.
 */
struct lazy_sum {
	unsigned __int128 lo;
	uint64_t hi;
};

static inline void lazy_add(struct lazy_sum *a, zk_gl x, zk_gl y)
{
	unsigned __int128 prod = (unsigned __int128)x * y;

	a->lo += prod;
	a->hi += a->lo < prod;
}

static zk_gl lazy_reduce(const struct lazy_sum *a)
{
	/* 2^128 mod p = (2^64 mod p)^2 */
	zk_gl two128 = zk_gl_mul(ZK_GL_EPSILON, ZK_GL_EPSILON);

	return zk_gl_add(zk_gl_reduce128(a->lo),
			 zk_gl_mul(zk_gl_reduce128(a->hi), two128));
}

/*
 * Σ_c γ_c·(v_c − o_c) is Σ_c γ_c·v_c − Σ_c γ_c·o_c, and the second sum is
 * the same at every query: computed once here.
 */
static void deep_ood_sums(const struct zk_verifier *v, zk_ext *at_z,
			  zk_ext *at_zw)
{
	const zk_ext *ood = v->pf.ood;
	const struct zk_stark_ood_layout *l = &v->l;
	zk_ext s1 = zk_ext_zero(), s2 = zk_ext_zero();

	/* each OOD value has the DEEP coefficient of the same index */
	for (size_t i = 0; i < l->total; i++) {
		zk_ext term = zk_ext_mul(v->gammas[i], ood[i]);

		if ((i >= l->main_nxt && i < l->aux_cur) ||
		    (i >= l->aux_nxt && i < l->comp))
			s2 = zk_ext_add(s2, term);
		else
			s1 = zk_ext_add(s1, term);
	}
	*at_z = s1;
	*at_zw = s2;
}

/* Σ γ_c·v_c over one opened main row (base field) and Σ γ'_c·v_c over
 * its next-row columns. */
static void deep_main_row(const struct zk_verifier *v, const zk_gl *row,
			  zk_ext *s1, zk_ext *s2)
{
	struct lazy_sum a[ZK_EXT_DEGREE] = { { 0, 0 } };
	struct lazy_sum b[ZK_EXT_DEGREE] = { { 0, 0 } };
	const zk_ext *ga = v->gammas + v->l.main_cur;
	const zk_ext *gb = v->gammas + v->l.main_nxt;

	for (size_t c = 0; c < v->pf.shape.main_width; c++)
		for (unsigned i = 0; i < ZK_EXT_DEGREE; i++)
			lazy_add(&a[i], ga[c].c[i], row[c]);
	for (size_t j = 0; j < v->pf.shape.main_next; j++) {
		zk_gl x = row[zk_air_next_col(v->air, ZK_SEG_MAIN, (uint32_t)j)];

		for (unsigned i = 0; i < ZK_EXT_DEGREE; i++)
			lazy_add(&b[i], gb[j].c[i], x);
	}
	for (unsigned i = 0; i < ZK_EXT_DEGREE; i++) {
		s1->c[i] = lazy_reduce(&a[i]);
		s2->c[i] = lazy_reduce(&b[i]);
	}
}

/*
 * F at each query point from the opened rows (step 7, pointwise):
 * F(x) = Σ γ_c(v_c − c(z))/(x − z) + Σ_(c read at the next row)
 *        γ'_c(v_c − c(zω))/(x − zω) + Σ γ_k(Q_k(x) − Q_k(z))/(x − z),
 * each γ the coefficient of its OOD value; the 2·queries inverses batched.
 */
static int deep_values(struct zk_verifier *v, zk_ext *values)
{
	const struct zk_stark_proof *pf = &v->pf;
	size_t mw = pf->shape.main_width, aw = pf->shape.aux_width;
	size_t chunks = pf->shape.n_chunks, np = v->n_positions;
	zk_gl w_big = zk_gl_root_of_unity(v->log_domain);
	zk_ext zw = zk_ext_mul_base(v->z, zk_gl_root_of_unity(v->log_n));
	zk_ext o1, o2, all_inv;
	zk_ext den[2 * ZK_FRI_MAX_QUERIES], pre[2 * ZK_FRI_MAX_QUERIES];
	zk_ext num1[ZK_FRI_MAX_QUERIES], num2[ZK_FRI_MAX_QUERIES];

	deep_ood_sums(v, &o1, &o2);
	for (size_t q = 0; q < np; q++) {
		const zk_gl *arow = pf->aux_rows + q * ZK_EXT_DEGREE * aw;
		const zk_gl *crow = pf->comp_rows + q * ZK_EXT_DEGREE * chunks;
		zk_gl x = zk_gl_mul(ZK_GL_MULTIPLICATIVE_GENERATOR,
				    zk_gl_pow(w_big, zk_stark_rev_bits(v->positions[q],
								      v->log_domain)));
		zk_ext s1, s2;

		deep_main_row(v, pf->main_rows + q * mw, &s1, &s2);
		for (size_t c = 0; c < aw; c++) {
			zk_ext val = zk_ext_gather(arow + ZK_EXT_DEGREE * c, 1);

			s1 = zk_ext_add(s1, zk_ext_mul(v->gammas[v->l.aux_cur + c],
						       val));
		}
		for (size_t j = 0; j < pf->shape.aux_next; j++) {
			size_t c = zk_air_next_col(v->air, ZK_SEG_AUX, (uint32_t)j);
			zk_ext val = zk_ext_gather(arow + ZK_EXT_DEGREE * c, 1);

			s2 = zk_ext_add(s2, zk_ext_mul(v->gammas[v->l.aux_nxt + j],
						       val));
		}
		for (size_t k = 0; k < chunks; k++)
			s1 = zk_ext_add(s1, zk_ext_mul(v->gammas[v->l.comp + k],
						       zk_ext_gather(crow + ZK_EXT_DEGREE * k, 1)));
		num1[q] = zk_ext_sub(s1, o1);
		num2[q] = zk_ext_sub(s2, o2);
		den[2 * q] = zk_ext_sub(zk_ext_from_base(x), v->z);
		den[2 * q + 1] = zk_ext_sub(zk_ext_from_base(x), zw);
	}
	/* Montgomery's batch inversion: the product is zero iff one is */
	for (size_t i = 0; i < 2 * np; i++)
		pre[i] = i == 0 ? den[0] : zk_ext_mul(pre[i - 1], den[i]);
	if (np == 0)
		return 0;
	if (!zk_ext_inv(pre[2 * np - 1], &all_inv))
		return reject(v, ZK_STARK_EFRI, "query point meets z");
	for (size_t i = 2 * np; i-- > 0;) {
		zk_ext inv_i = i == 0 ? all_inv : zk_ext_mul(all_inv, pre[i - 1]);

		all_inv = zk_ext_mul(all_inv, den[i]);
		den[i] = inv_i;
	}
	for (size_t q = 0; q < np; q++)
		values[q] = zk_ext_add(zk_ext_mul(num1[q], den[2 * q]),
				       zk_ext_mul(num2[q], den[2 * q + 1]));
	return 0;
}

static int verify_decoded(struct zk_verifier *v)
{
	struct zk_fri_verifier fv;
	struct zk_fri_config cfg;
	struct zk_transcript t;
	zk_ext values[ZK_FRI_MAX_QUERIES];
	int rc;

	rc = replay_commitments(v, &t);
	if (rc != 0)
		return rc;
	zk_stark_fri_config(v->p, v->log_n, 1, &cfg);
	rc = zk_fri_verify_commit(&fv, &cfg, &t, &v->pf.fri);
	if (rc != 0)
		return reject(v, rc == ZK_STARK_ENOMEM ? rc : ZK_STARK_EFRI,
			      "FRI commitments rejected (%s)", zk_stark_strerror(rc));
	if (!zk_transcript_check_pow(&t, v->p->grinding_bits, v->pf.pow_nonce))
		return reject(v, ZK_STARK_EPOW, "nonce lacks %u leading zero bits",
			      v->p->grinding_bits);
	v->n_positions = zk_stark_draw_positions(&t, v->p, v->log_domain,
						 v->positions);
	if (v->n_positions != v->pf.n_positions)
		return reject(v, ZK_STARK_EFORMAT, "proof opens %u positions, the "
			      "transcript draws %zu", v->pf.n_positions,
			      v->n_positions);
	rc = check_openings(v);
	if (rc == 0)
		rc = deep_values(v, values);
	if (rc != 0)
		return rc;
	rc = zk_fri_verify_queries(&fv, &v->pf.fri, v->positions, values,
				   v->n_positions);
	if (rc != 0)
		return reject(v, rc == ZK_STARK_ENOMEM ? rc : ZK_STARK_EFRI,
			      "FRI queries rejected (%s)", zk_stark_strerror(rc));
	if (zk_transcript_status(&t) != 0)
		return reject(v, ZK_STARK_ENOMEM, "transcript hash failed");
	return ZK_STARK_ACCEPT;
}

int zk_stark_verify(const struct zk_air *air, uint8_t expected_params_id,
		    const uint8_t *proof, size_t proof_len, char *err,
		    size_t errlen)
{
	struct zk_verifier v = { .air = air, .err = err, .errlen = errlen };
	struct zk_stark_proof_shape shape;
	int rc;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	v.p = zk_stark_params_by_id(expected_params_id);
	if (v.p == NULL)
		return reject(&v, ZK_STARK_EINVAL, "unknown parameter set %u",
			      expected_params_id);
	if (air == NULL)
		return reject(&v, ZK_STARK_EINVAL, "no AIR");
	/* the AIR itself is validated once log_n is known */
	zk_stark_air_shape(air, &shape);
	rc = zk_stark_proof_decode(proof, proof_len, v.p, &shape, &v.pf, err,
				   errlen);
	if (rc != 0)
		return rc;
	v.log_n = v.pf.log_n;
	v.log_domain = v.log_n + v.p->log_blowup;
	v.n = (size_t)1 << v.log_n;
	zk_stark_ood_layout(&shape, &v.l);
	rc = zk_stark_air_validate(air, v.p, v.log_n, err, errlen);
	if (rc == 0)
		rc = verify_decoded(&v);
	zk_stark_proof_free(&v.pf);
	free(v.alphas);
	free(v.asrt);
	free(v.gammas);
	return rc;
}

/* ---- the per-table checks, for verifier_multi.c ---- */

int zk_verifier_check_ood(struct zk_verifier *v)
{
	return check_ood(v);
}

int zk_verifier_check_openings(struct zk_verifier *v)
{
	return check_openings(v);
}

int zk_verifier_deep_values(struct zk_verifier *v, zk_ext *values)
{
	return deep_values(v, values);
}
