/* SPDX-License-Identifier: MIT */
/*
 * The multi-table verifier (multi.h; docs/stark.md, "Multi-table
 * proofs"). It replays prover_multi.c's transcript order, checks every
 * bus against the caller's stated sums, runs the single-table verifier's
 * per-table checks (verifier_internal.h) on each table and the one
 * mixed-height FRI (fri_multi.c) on all of them. The
 * statement, the parameter set and every challenge are the caller's or
 * recomputed; the one path to ZK_STARK_ACCEPT runs through every check.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "multi.h"
#include "proof_multi.h"
#include "verifier_internal.h"

struct multi_verifier {
	const struct zk_multi_statement *s;
	const struct zk_stark_params *p;
	struct zk_multi_proof mp;
	struct zk_verifier v[ZK_MULTI_MAX_TABLES];
	zk_ext values[ZK_MULTI_MAX_TABLES][ZK_FRI_MAX_QUERIES];
	size_t sum_base[ZK_MULTI_MAX_TABLES];
	unsigned top_log_domain;
	char *err;
	size_t errlen;
};

static int reject(struct multi_verifier *m, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int reject(struct multi_verifier *m, int status, const char *fmt, ...)
{
	va_list ap;

	if (m->err != NULL && m->errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(m->err, m->errlen, fmt, ap);
		va_end(ap);
	}
	return status;
}

/* Per bus: Σ of its ports' partial sums = the stated sum. */
static int check_buses(struct multi_verifier *m)
{
	const struct zk_multi_statement *s = m->s;

	for (uint32_t b = 0; b < s->n_buses; b++) {
		zk_ext total = zk_ext_zero();

		for (uint32_t i = 0; i < s->n_tables; i++)
			for (uint32_t k = 0; k < s->tables[i].n_ports; k++)
				if (s->tables[i].ports[k].bus == b)
					total = zk_ext_add(total,
						m->mp.sums[m->sum_base[i] + k]);
		if (!zk_ext_eq(total, s->bus_sums[b]))
			return reject(m, ZK_STARK_EOOD, "bus %u: the partial "
				      "sums do not add up to the stated sum", b);
	}
	return 0;
}

/* Steps 1–4: statement, roots, shared challenges, sums, α's. */
static int replay_commitments(struct multi_verifier *m, struct zk_transcript *t)
{
	const struct zk_multi_statement *s = m->s;
	unsigned log_n[ZK_MULTI_MAX_TABLES] = { 0 };
	zk_ext rand[ZK_AIR_MAX_AUX_RAND];
	uint32_t n_rand = zk_multi_aux_rand(s);

	for (uint32_t i = 0; i < s->n_tables; i++)
		log_n[i] = m->v[i].log_n;
	if (zk_multi_transcript_start(t, m->p, s, log_n) != 0)
		return reject(m, ZK_STARK_EINVAL, "transcript hash unavailable");
	for (uint32_t i = 0; i < s->n_tables; i++)
		zk_transcript_absorb_digest(t, &m->v[i].pf.main_root);
	for (uint32_t r = 0; r < n_rand; r++)
		rand[r] = zk_transcript_draw_ext(t);
	for (uint32_t i = 0; i < s->n_tables; i++) {
		memcpy(m->v[i].rand, rand, n_rand * sizeof(zk_ext));
		if (s->tables[i].air->aux_width > 0)
			zk_transcript_absorb_digest(t, &m->v[i].pf.aux_root);
	}
	zk_transcript_absorb_ext(t, m->mp.sums, m->mp.n_sums);
	for (uint32_t i = 0; i < s->n_tables; i++) {
		struct zk_verifier *v = &m->v[i];
		const struct zk_air *air = v->air;
		size_t n_alpha;
		long count;

		v->asrt = calloc(ZK_AIR_MAX_ASSERTIONS + ZK_MULTI_MAX_PORTS,
				 sizeof(*v->asrt));
		if (v->asrt == NULL)
			return ZK_STARK_ENOMEM;
		count = zk_multi_assertions(&s->tables[i], v->log_n,
					    air->aux_width ? v->rand : NULL,
					    m->mp.sums + m->sum_base[i], v->asrt,
					    m->err, m->errlen);
		if (count < 0)
			return ZK_STARK_EINVAL;
		v->n_asrt = (size_t)count;
		n_alpha = air->n_main_constraints + air->n_aux_constraints +
			  v->n_asrt;
		v->alphas = malloc((n_alpha + 1) * sizeof(zk_ext));
		if (v->alphas == NULL)
			return ZK_STARK_ENOMEM;
		zk_transcript_draw_powers(t, v->alphas, n_alpha);
	}
	return 0;
}

/* Steps 5–7: composition roots, one z, OOD values and checks, γ's. */
static int replay_ood(struct multi_verifier *m, struct zk_transcript *t)
{
	uint32_t k = m->s->n_tables;
	zk_ext z;
	int rc;

	for (uint32_t i = 0; i < k; i++)
		zk_transcript_absorb_digest(t, &m->v[i].pf.comp_root);
	z = zk_stark_draw_ood_point(t);
	for (uint32_t i = 0; i < k; i++) {
		m->v[i].z = z;
		zk_transcript_absorb_ext(t, m->v[i].pf.ood, m->v[i].l.total);
	}
	for (uint32_t i = 0; i < k; i++) {
		rc = zk_verifier_check_ood(&m->v[i]);
		if (rc != 0)
			return rc == ZK_STARK_EOOD ?
			       reject(m, rc, "table %u: constraints at the "
				      "out-of-domain point do not match its "
				      "composition polynomial", i) : rc;
	}
	for (uint32_t i = 0; i < k; i++) {
		struct zk_verifier *v = &m->v[i];

		v->gammas = malloc(v->l.total * sizeof(zk_ext));
		if (v->gammas == NULL)
			return ZK_STARK_ENOMEM;
		zk_transcript_draw_powers(t, v->gammas, v->l.total);
	}
	return 0;
}

/* Steps 8–10: the one FRI, the nonce, positions, every table's openings
 * and DEEP values, then FRI's queries with those values added in. */
static int check_queries(struct multi_verifier *m, struct zk_transcript *t)
{
	uint32_t k = m->s->n_tables;
	unsigned log_n[ZK_MULTI_MAX_TABLES] = { 0 };
	zk_ext gammas[ZK_MULTI_MAX_TABLES];
	struct zk_multi_fri_values tv[ZK_MULTI_MAX_TABLES];
	uint64_t top[ZK_FRI_MAX_QUERIES];
	struct zk_fri_schedule sched;
	struct zk_fri_verifier fv;
	struct zk_fri_config cfg;
	size_t count;
	int rc;

	for (uint32_t i = 0; i < k; i++)
		log_n[i] = m->v[i].log_n;
	if (zk_multi_fri_schedule(m->p, log_n, k, &cfg, &sched) != 0)
		return reject(m, ZK_STARK_EFORMAT, "no FRI schedule for these "
			      "heights");
	rc = zk_multi_fri_verify_commit(&fv, gammas, &cfg, &sched, t,
					&m->mp.fri, k);
	if (rc != 0)
		return reject(m, rc == ZK_STARK_ENOMEM ? rc : ZK_STARK_EFRI,
			      "FRI commitments rejected (%s)",
			      zk_stark_strerror(rc));
	if (!zk_transcript_check_pow(t, m->p->grinding_bits, m->mp.pow_nonce))
		return reject(m, ZK_STARK_EPOW, "nonce lacks %u leading zero "
			      "bits", m->p->grinding_bits);
	count = zk_stark_draw_positions(t, m->p, m->top_log_domain, top);
	for (uint32_t i = 0; i < k; i++) {
		struct zk_verifier *v = &m->v[i];

		v->n_positions = zk_multi_table_positions(top, count,
							  m->top_log_domain,
							  v->log_domain,
							  v->positions);
		if (v->n_positions != v->pf.n_positions)
			return reject(m, ZK_STARK_EFORMAT, "table %u opens %u "
				      "positions, the transcript draws %zu", i,
				      v->pf.n_positions, v->n_positions);
		rc = zk_verifier_check_openings(v);
		if (rc == 0)
			rc = zk_verifier_deep_values(v, m->values[i]);
		if (rc != 0)
			return rc;
		tv[i] = (struct zk_multi_fri_values){ v->log_domain,
			v->positions, v->n_positions, m->values[i] };
	}
	rc = zk_multi_fri_verify_queries(&fv, gammas, &sched, &m->mp.fri, top,
					 count, tv, k);
	if (rc != 0)
		return reject(m, rc == ZK_STARK_ENOMEM ? rc : ZK_STARK_EFRI,
			      "FRI queries rejected (%s)", zk_stark_strerror(rc));
	return 0;
}

/* Each table's part moves into its zk_verifier; heights come from it. */
static int setup_tables(struct multi_verifier *m)
{
	size_t base = 0;
	int rc = 0;

	m->top_log_domain = 0;
	for (uint32_t i = 0; i < m->s->n_tables && rc == 0; i++) {
		struct zk_verifier *v = &m->v[i];

		v->air = m->s->tables[i].air;
		v->p = m->p;
		v->pf = m->mp.tables[i];
		zk_stark_proof_init(&m->mp.tables[i]);
		v->log_n = v->pf.log_n;
		v->log_domain = v->log_n + m->p->log_blowup;
		v->n = (size_t)1 << v->log_n;
		v->err = m->err;
		v->errlen = m->errlen;
		zk_stark_ood_layout(&v->pf.shape, &v->l);
		if (v->log_domain > m->top_log_domain)
			m->top_log_domain = v->log_domain;
		m->sum_base[i] = base;
		base += m->s->tables[i].n_ports;
		rc = zk_stark_air_validate(v->air, m->p, v->log_n, m->err,
					   m->errlen);
	}
	return rc;
}

static int verify(struct multi_verifier *m, const uint8_t *proof,
		  size_t proof_len)
{
	struct zk_transcript t;
	int rc;

	rc = zk_multi_proof_decode(proof, proof_len, m->p, m->s, &m->mp,
				   m->err, m->errlen);
	if (rc != 0)
		return rc;
	rc = setup_tables(m);
	if (rc == 0)
		rc = check_buses(m);
	if (rc == 0)
		rc = replay_commitments(m, &t);
	if (rc == 0)
		rc = replay_ood(m, &t);
	if (rc == 0)
		rc = check_queries(m, &t);
	if (rc == 0 && zk_transcript_status(&t) != 0)
		rc = reject(m, ZK_STARK_ENOMEM, "transcript hash failed");
	return rc;
}

int zk_stark_multi_verify(const struct zk_multi_statement *s,
			  uint8_t expected_params_id, const uint8_t *proof,
			  size_t proof_len, char *err, size_t errlen)
{
	struct multi_verifier *m;
	int rc;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	rc = zk_stark_multi_check_statement(s, err, errlen);
	if (rc != 0)
		return rc;
	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return ZK_STARK_ENOMEM;
	m->s = s;
	m->err = err;
	m->errlen = errlen;
	zk_multi_proof_init(&m->mp);
	m->p = zk_stark_params_by_id(expected_params_id);
	rc = m->p == NULL ?
	     reject(m, ZK_STARK_EINVAL, "unknown parameter set %u",
		    expected_params_id) :
	     verify(m, proof, proof_len);
	for (uint32_t i = 0; i < s->n_tables; i++) {
		zk_stark_proof_free(&m->v[i].pf);
		free(m->v[i].alphas);
		free(m->v[i].asrt);
		free(m->v[i].gammas);
	}
	zk_multi_proof_free(&m->mp);
	free(m);
	return rc;
}
