/* SPDX-License-Identifier: MIT */
/*
 * The multi-table prover (multi.h; docs/stark.md, "Multi-table proofs").
 * Every table is a struct zk_prover driven through the single-table
 * prover's own steps (prover_internal.h); this file only orders them
 * under one transcript: all main commitments, the shared aux challenges,
 * all aux commitments, the partial sums, all composition coefficients and
 * commitments, one z, all OOD values, all DEEP compositions, one FRI
 * over all of them (fri_multi.c), one grinding nonce and one draw of query
 * positions over the tallest table's domain that every shorter table
 * takes by shifting.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fri_internal.h"
#include "multi.h"
#include "proof_multi.h"
#include "prover_internal.h"

struct multi_prover {
	const struct zk_multi_statement *s;
	const struct zk_stark_params *p;
	const struct zk_table_trace *tr;
	struct zk_transcript t;
	struct zk_multi_proof *mp;
	struct zk_prover pv[ZK_MULTI_MAX_TABLES];
	size_t sum_base[ZK_MULTI_MAX_TABLES];
	zk_ext rand[ZK_AIR_MAX_AUX_RAND];
	unsigned top_log_domain;
	bool debug;
	char *err;
	size_t errlen;
};

static int fail(struct multi_prover *m, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct multi_prover *m, int status, const char *fmt, ...)
{
	va_list ap;

	if (m->err != NULL && m->errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(m->err, m->errlen, fmt, ap);
		va_end(ap);
	}
	return status;
}

/* Everything a single-table proof checks before proving, per table. */
static int check_inputs(struct multi_prover *m)
{
	const struct zk_multi_statement *s = m->s;
	int rc = zk_stark_multi_check_statement(s, m->err, m->errlen);

	if (rc != 0)
		return rc;
	if (m->p == NULL || m->tr == NULL)
		return fail(m, ZK_STARK_EINVAL, "no parameter set or traces");
	for (uint32_t i = 0; i < s->n_tables && rc == 0; i++) {
		const struct zk_air *air = s->tables[i].air;
		unsigned log_n = m->tr[i].log_n;

		rc = zk_stark_air_validate(air, m->p, log_n, m->err, m->errlen);
		if (rc == 0)
			rc = zk_prover_check_trace(air, m->tr[i].main, log_n,
						   m->err, m->errlen);
		if (rc == 0 && m->debug)
			rc = zk_stark_debug_check(air, m->tr[i].main, log_n,
						  0x7a6b636c6f622d64ull, m->err,
						  m->errlen);
		if (rc != 0 && m->err != NULL && m->errlen > 0) {
			char inner[160];

			snprintf(inner, sizeof(inner), "%s", m->err);
			fail(m, rc, "table %u (%s): %s", i, air->name, inner);
		}
	}
	return rc;
}

static void setup_tables(struct multi_prover *m, const struct zk_prove_opts *o)
{
	size_t base = 0;

	m->top_log_domain = 0;
	for (uint32_t i = 0; i < m->s->n_tables; i++) {
		struct zk_prover *pv = &m->pv[i];

		pv->air = m->s->tables[i].air;
		pv->p = m->p;
		pv->log_n = m->tr[i].log_n;
		pv->log_domain = pv->log_n + m->p->log_blowup;
		pv->n = (size_t)1 << pv->log_n;
		pv->big_n = (size_t)1 << pv->log_domain;
		pv->threads = o != NULL && o->threads > 0 ? o->threads : 1;
		pv->streaming = o != NULL && o->streaming;
		pv->trace = m->tr[i].main;
		zk_stark_air_shape(pv->air, &pv->shape);
		if (pv->log_domain > m->top_log_domain)
			m->top_log_domain = pv->log_domain;
		m->sum_base[i] = base;
		base += m->s->tables[i].n_ports;
	}
}

/* Steps 2–3b: main trees, shared challenges, aux trees, partial sums. */
static int commit_traces(struct multi_prover *m)
{
	const struct zk_multi_statement *s = m->s;
	uint32_t n_rand = zk_multi_aux_rand(s);
	int rc;

	for (uint32_t i = 0; i < s->n_tables; i++) {
		rc = zk_prover_commit_main(&m->pv[i], m->tr[i].main);
		if (rc != 0)
			return rc;
		zk_transcript_absorb_digest(&m->t,
					    zk_prover_tree_root(&m->pv[i].main_tree));
	}
	for (uint32_t r = 0; r < n_rand; r++)
		m->rand[r] = zk_transcript_draw_ext(&m->t);
	for (uint32_t i = 0; i < s->n_tables; i++) {
		struct zk_prover *pv = &m->pv[i];

		memcpy(pv->rand, m->rand, sizeof(pv->rand));
		if (pv->air->aux_width == 0)
			continue;
		rc = zk_prover_commit_aux(pv, m->tr[i].main);
		if (rc == ZK_STARK_EAUX)
			return fail(m, rc, "table %u: build_aux found no aux "
				    "trace", i);
		if (rc != 0)
			return rc;
		zk_transcript_absorb_digest(&m->t,
					    zk_prover_tree_root(&pv->aux_tree));
	}
	for (uint32_t i = 0; i < s->n_tables; i++)
		for (uint32_t k = 0; k < s->tables[i].n_ports; k++)
			m->mp->sums[m->sum_base[i] + k] =
				m->pv[i].aux[s->tables[i].ports[k].aux_column]
					    [m->pv[i].n - 1];
	zk_transcript_absorb_ext(&m->t, m->mp->sums, m->mp->n_sums);
	return 0;
}

/* Debug: every bus adds up to its stated sum under the drawn challenges. */
static int check_buses(struct multi_prover *m)
{
	const struct zk_multi_statement *s = m->s;

	for (uint32_t b = 0; b < s->n_buses; b++) {
		zk_ext total = zk_ext_zero();

		for (uint32_t i = 0; i < s->n_tables; i++)
			for (uint32_t k = 0; k < s->tables[i].n_ports; k++)
				if (s->tables[i].ports[k].bus == b)
					total = zk_ext_add(total,
						m->mp->sums[m->sum_base[i] + k]);
		if (!zk_ext_eq(total, s->bus_sums[b]))
			return fail(m, ZK_STARK_ETRACE, "bus %u: the tables' "
				    "partial sums do not add up to the stated "
				    "sum (a value consumed that no table "
				    "produced, or a multiplicity off)", b);
	}
	return 0;
}

/* Step 4: every table's assertions (its ports' included) and α's. */
static int draw_alphas(struct multi_prover *m)
{
	struct zk_assertion *raw = calloc(ZK_AIR_MAX_ASSERTIONS +
					  ZK_MULTI_MAX_PORTS, sizeof(*raw));
	int rc = raw == NULL ? ZK_STARK_ENOMEM : 0;

	for (uint32_t i = 0; i < m->s->n_tables && rc == 0; i++) {
		struct zk_prover *pv = &m->pv[i];
		const struct zk_air *air = pv->air;
		long count = zk_multi_assertions(&m->s->tables[i], pv->log_n,
						 air->aux_width ? pv->rand : NULL,
						 m->mp->sums + m->sum_base[i],
						 raw, m->err, m->errlen);
		size_t n_alpha;

		if (count < 0) {
			rc = ZK_STARK_EINVAL;
			break;
		}
		pv->n_asrt = (size_t)count;
		n_alpha = air->n_main_constraints + air->n_aux_constraints +
			  pv->n_asrt;
		pv->alphas = malloc((n_alpha + 1) * sizeof(zk_ext));
		if (pv->alphas == NULL) {
			rc = ZK_STARK_ENOMEM;
			break;
		}
		zk_transcript_draw_powers(&m->t, pv->alphas, n_alpha);
		rc = zk_prover_sort_assertions(pv, raw, pv->alphas +
					       air->n_main_constraints +
					       air->n_aux_constraints);
		if (rc == 0)
			rc = zk_prover_prepare_points(pv);
	}
	free(raw);
	return rc;
}

/* Steps 5–7: compositions, one z, OOD values, DEEP compositions. */
static int compose(struct multi_prover *m)
{
	uint32_t k = m->s->n_tables;
	zk_ext z;
	int rc = 0;

	for (uint32_t i = 0; i < k && rc == 0; i++) {
		rc = zk_prover_commit_composition(&m->pv[i], m->debug, m->err,
						  m->errlen);
		if (rc == 0)
			zk_transcript_absorb_digest(&m->t,
				zk_prover_tree_root(&m->pv[i].comp_tree));
	}
	if (rc != 0)
		return rc;
	z = zk_stark_draw_ood_point(&m->t);
	for (uint32_t i = 0; i < k && rc == 0; i++) {
		struct zk_stark_ood_layout l;

		m->pv[i].z = z;
		rc = zk_prover_compute_ood(&m->pv[i], m->tr[i].main);
		zk_stark_ood_layout(&m->pv[i].shape, &l);
		if (rc == 0)
			zk_transcript_absorb_ext(&m->t, m->pv[i].ood, l.total);
	}
	for (uint32_t i = 0; i < k && rc == 0; i++) {
		struct zk_prover *pv = &m->pv[i];
		struct zk_stark_ood_layout l;

		zk_stark_ood_layout(&pv->shape, &l);
		pv->gammas = malloc(l.total * sizeof(zk_ext));
		if (!pv->streaming)
			pv->deep = malloc(pv->big_n * sizeof(zk_ext));
		if (pv->gammas == NULL || (!pv->streaming && pv->deep == NULL))
			return ZK_STARK_ENOMEM;
		zk_transcript_draw_powers(&m->t, pv->gammas, l.total);
	}
	for (uint32_t i = 0; i < k && rc == 0; i++) {
		rc = zk_prover_deep(&m->pv[i], m->tr[i].main);
		if (rc == 0 && !m->pv[i].streaming) {
			zk_big_free(m->pv[i].q);
			m->pv[i].q = NULL;
		}
	}
	return rc;
}

/* Streaming keeps no F: make it whole for the mixed-height FRI. */
static int deep_values(struct zk_prover *pv, zk_ext **out)
{
	size_t blk;
	int rc = 0;

	if (!pv->streaming) {
		*out = pv->deep;
		pv->deep = NULL;
		return 0;
	}
	*out = malloc(pv->big_n * sizeof(zk_ext));
	if (*out == NULL)
		return ZK_STARK_ENOMEM;
	/* blocks of L = 2^zk_prover_deep_log_block rows, as FRI asks */
	blk = (size_t)1 << zk_prover_deep_log_block(pv);
	for (size_t h = 0; h < pv->big_n / blk && rc == 0; h++)
		rc = zk_prover_deep_fill(pv, h, *out + h * blk);
	return rc;
}

/* Steps 8–10: one FRI over all tables, one nonce, one draw of positions
 * over the tallest domain, each table opened where they fall in its own. */
static int query(struct multi_prover *m)
{
	uint64_t top[ZK_FRI_MAX_QUERIES], pos[ZK_FRI_MAX_QUERIES];
	unsigned log_n[ZK_MULTI_MAX_TABLES] = { 0 };
	unsigned log_domain[ZK_MULTI_MAX_TABLES] = { 0 };
	zk_ext *deep[ZK_MULTI_MAX_TABLES] = { 0 };
	uint32_t k = m->s->n_tables;
	struct zk_fri_schedule sched;
	struct zk_fri_prover *fp = NULL;
	struct zk_fri_config cfg;
	size_t count, own;
	int rc = 0;

	for (uint32_t i = 0; i < k; i++) {
		log_n[i] = m->pv[i].log_n;
		log_domain[i] = m->pv[i].log_domain;
	}
	if (zk_multi_fri_schedule(m->p, log_n, k, &cfg, &sched) != 0)
		return fail(m, ZK_STARK_EINVAL, "no FRI schedule for these "
			    "heights");
	cfg.threads = m->pv[0].threads;
	for (uint32_t i = 0; i < k && rc == 0; i++) {
		rc = deep_values(&m->pv[i], &deep[i]);
		zk_prover_deep_free(&m->pv[i]);
	}
	if (rc == 0)
		rc = zk_multi_fri_commit(&fp, &cfg, &sched, &m->t, deep,
					 log_domain, k);
	for (uint32_t i = 0; i < k; i++)
		free(deep[i]);
	if (rc != 0)
		return rc;
	m->mp->pow_nonce = zk_transcript_grind(&m->t, m->p->grinding_bits);
	count = zk_stark_draw_positions(&m->t, m->p, m->top_log_domain, top);
	rc = zk_fri_prove_queries(fp, top, count, &m->mp->fri);
	zk_fri_prover_free(fp);
	for (uint32_t i = 0; i < k && rc == 0; i++) {
		struct zk_prover *pv = &m->pv[i];
		struct zk_stark_proof *pf = &m->mp->tables[i];
		struct zk_stark_ood_layout l;

		own = zk_multi_table_positions(top, count, m->top_log_domain,
					       pv->log_domain, pos);
		rc = zk_stark_proof_alloc(pf, &pv->shape, (uint32_t)own);
		if (rc == 0)
			rc = zk_prover_open_rows(pv, pf, pos, own);
		if (rc != 0)
			break;
		pf->params_id = m->p->id;
		pf->log_n = (uint8_t)pv->log_n;
		pf->shape = pv->shape;
		pf->main_root = *zk_prover_tree_root(&pv->main_tree);
		if (pv->air->aux_width > 0)
			pf->aux_root = *zk_prover_tree_root(&pv->aux_tree);
		pf->comp_root = *zk_prover_tree_root(&pv->comp_tree);
		zk_stark_ood_layout(&pv->shape, &l);
		memcpy(pf->ood, pv->ood, l.total * sizeof(zk_ext));
	}
	return rc;
}

static int prove(struct multi_prover *m)
{
	unsigned log_n[ZK_MULTI_MAX_TABLES] = { 0 };
	int rc;

	for (uint32_t i = 0; i < m->s->n_tables; i++)
		log_n[i] = m->tr[i].log_n;
	rc = zk_multi_transcript_start(&m->t, m->p, m->s, log_n);
	if (rc == 0)
		rc = commit_traces(m);
	if (rc == 0 && m->debug)
		rc = check_buses(m);
	if (rc == 0)
		rc = draw_alphas(m);
	if (rc == 0)
		rc = compose(m);
	if (rc == 0)
		rc = query(m);
	if (rc == 0 && zk_transcript_status(&m->t) != 0)
		rc = fail(m, ZK_STARK_ENOMEM, "transcript hash failed");
	return rc;
}

int zk_stark_multi_prove(const struct zk_multi_statement *s,
			 const struct zk_stark_params *p,
			 const struct zk_table_trace *traces,
			 const struct zk_prove_opts *opts, uint8_t **proof,
			 size_t *proof_len, char *err, size_t errlen)
{
	struct multi_prover *m;
	int rc;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (proof == NULL || proof_len == NULL)
		return ZK_STARK_EINVAL;
	*proof = NULL;
	*proof_len = 0;
	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return ZK_STARK_ENOMEM;
	*m = (struct multi_prover){ .s = s, .p = p, .tr = traces,
				    .debug = opts != NULL && opts->debug,
				    .err = err, .errlen = errlen };
	m->mp = malloc(sizeof(*m->mp));
	rc = m->mp == NULL ? ZK_STARK_ENOMEM : check_inputs(m);
	if (rc == 0) {
		zk_multi_proof_init(m->mp);
		m->mp->params_id = p->id;
		m->mp->n_tables = s->n_tables;
		m->mp->n_sums = (uint32_t)zk_multi_port_count(s);
		setup_tables(m, opts);
		rc = prove(m);
		if (rc == 0)
			rc = zk_multi_proof_encode(m->mp, proof, proof_len);
		for (uint32_t i = 0; i < s->n_tables; i++)
			zk_prover_free(&m->pv[i]);
		zk_multi_proof_free(m->mp);
	}
	if (rc != 0 && err != NULL && errlen > 0 && err[0] == '\0')
		fail(m, rc, "multi-table prover failed: %s",
		     zk_stark_strerror(rc));
	free(m->mp);
	free(m);
	return rc;
}
