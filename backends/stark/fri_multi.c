/* SPDX-License-Identifier: MIT */
/*
 * One FRI over tables of mixed heights (proof_multi.h; docs/stark.md,
 * "Multi-table proofs"). The tallest tables' DEEP codewords, combined
 * with random coefficients γ_i, are layer 0; each shorter table's
 * codeword is added, times its own γ_i, to the layer whose size is its
 * domain's. Folds are cut short where needed so that every table's size
 * is a layer (or the final domain). The layer trees, folds, openings and
 * the final polynomial are fri.c's (fri_internal.h), on this schedule.
 */
#include <stdlib.h>
#include <string.h>

#include "fri_internal.h"
#include "ntt.h"
#include "proof_multi.h"

int zk_multi_fri_schedule(const struct zk_stark_params *p,
			  const unsigned *log_n, uint32_t k,
			  struct zk_fri_config *cfg, struct zk_fri_schedule *s)
{
	unsigned top = 0, low = ZK_AIR_MAX_LOG_N;

	for (uint32_t i = 0; i < k; i++) {
		top = log_n[i] > top ? log_n[i] : top;
		low = log_n[i] < low ? log_n[i] : low;
	}
	zk_stark_fri_config(p, top, 1, cfg);
	/* the last fold must not pass below the shortest table */
	if (cfg->final_log_max > low)
		cfg->final_log_max = low;
	return zk_fri_schedule_landing(cfg, log_n, k, s) != 0 ?
		       ZK_STARK_EINVAL : 0;
}

/* cur (allocated on the first table) += γ_i·F_i for tables of this size. */
static int inject(zk_ext **cur, unsigned log_size, zk_ext **deep,
		  const unsigned *log_domain, const zk_ext *gammas, uint32_t k)
{
	size_t n = (size_t)1 << log_size;

	for (uint32_t i = 0; i < k; i++) {
		if (log_domain[i] != log_size)
			continue;
		if (*cur == NULL) {
			*cur = calloc(n, sizeof(zk_ext));
			if (*cur == NULL)
				return ZK_STARK_ENOMEM;
		}
		for (size_t j = 0; j < n; j++)
			(*cur)[j] = zk_ext_add((*cur)[j],
					       zk_ext_mul(gammas[i], deep[i][j]));
		free(deep[i]);
		deep[i] = NULL;
	}
	return 0;
}

int zk_multi_fri_commit(struct zk_fri_prover **out,
			const struct zk_fri_config *cfg,
			const struct zk_fri_schedule *s,
			struct zk_transcript *t, zk_ext **deep,
			const unsigned *log_domain, uint32_t k)
{
	zk_ext gammas[ZK_MULTI_MAX_TABLES], *cur = NULL;
	struct zk_fri_prover *fp;
	zk_gl *w_inv_br;
	unsigned l;
	int rc;

	*out = NULL;
	rc = zk_fri_prover_start(cfg, &fp, &w_inv_br, false);
	if (rc != 0)
		return rc;
	fp->sched = *s;
	zk_fri_absorb_config(t, cfg);
	for (uint32_t i = 0; i < k; i++)
		gammas[i] = zk_transcript_draw_ext(t);
	for (l = 0; l < s->n_layers && rc == 0; l++) {
		unsigned f = s->log_folding[l];
		size_t n_next = (size_t)1 << (s->log_size[l] - f);
		zk_ext beta, *next;

		rc = inject(&cur, s->log_size[l], deep, log_domain,
			    gammas, k);
		if (rc != 0)
			break;
		fp->layer_values[l] = cur;
		cur = NULL;
		rc = zk_fri_layer_tree(&fp->trees[l], fp->layer_values[l], f,
				       n_next, cfg->hash, cfg->threads);
		if (rc != 0)
			break;
		zk_transcript_absorb_digest(t, zk_merkle_root(&fp->trees[l]));
		beta = zk_transcript_draw_ext(t);
		next = malloc(n_next * sizeof(zk_ext));
		if (next == NULL) {
			rc = ZK_STARK_ENOMEM;
			break;
		}
		rc = zk_fri_fold_part(fp, l, fp->layer_values[l], 0, n_next,
				      w_inv_br, false, beta, next);
		cur = next;
	}
	if (rc == 0)
		rc = inject(&cur, s->log_size[s->n_layers], deep,
			    log_domain, gammas, k);
	/* the final polynomial from the last stage (takes cur) */
	if (rc == 0)
		rc = zk_fri_commit_from(fp, t, s->n_layers, cur, w_inv_br);
	else
		free(cur);
	zk_big_free(w_inv_br);
	if (rc != 0) {
		zk_fri_prover_free(fp);
		return rc;
	}
	*out = fp;
	return 0;
}

int zk_multi_fri_verify_commit(struct zk_fri_verifier *v, zk_ext *gammas,
			       const struct zk_fri_config *cfg,
			       const struct zk_fri_schedule *s,
			       struct zk_transcript *t,
			       const struct zk_fri_proof *proof, uint32_t k)
{
	memset(v, 0, sizeof(*v));
	/* the decoder built proof on s: shapes are s's already */
	if (proof->n_layers != s->n_layers ||
	    proof->final_len != (1u << s->final_log_degree))
		return ZK_STARK_EPARAMS;
	v->cfg = *cfg;
	zk_fri_absorb_config(t, cfg);
	for (uint32_t i = 0; i < k; i++)
		gammas[i] = zk_transcript_draw_ext(t);
	for (unsigned l = 0; l < s->n_layers; l++) {
		if (proof->layers[l].log_folding != s->log_folding[l])
			return ZK_STARK_EPARAMS;
		zk_transcript_absorb_digest(t, &proof->layers[l].root);
		v->betas[l] = zk_transcript_draw_ext(t);
	}
	zk_transcript_absorb_ext(t, proof->final_coeffs, proof->final_len);
	return zk_transcript_status(t) != 0 ? ZK_STARK_EINVAL : 0;
}

static size_t find(const uint64_t *a, size_t n, uint64_t key)
{
	size_t lo = 0, hi = n;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (a[mid] <= key)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* val[q] += γ_i·F_i at the query's position, for tables of this size. */
static void inject_values(unsigned log_size, const uint64_t *pos, zk_ext *val,
			  size_t n, const struct zk_multi_fri_values *tv,
			  const zk_ext *gammas, uint32_t k)
{
	for (uint32_t i = 0; i < k; i++) {
		if (tv[i].log_domain != log_size)
			continue;
		for (size_t q = 0; q < n; q++) {
			size_t at = find(tv[i].positions, tv[i].count, pos[q]);

			val[q] = zk_ext_add(val[q], zk_ext_mul(gammas[i],
							       tv[i].values[at]));
		}
	}
}

int zk_multi_fri_verify_queries(const struct zk_fri_verifier *v,
				const zk_ext *gammas,
				const struct zk_fri_schedule *s,
				const struct zk_fri_proof *proof,
				const uint64_t *top, size_t n,
				const struct zk_multi_fri_values *tv,
				uint32_t k)
{
	uint64_t pos[ZK_FRI_MAX_QUERIES];
	zk_ext val[ZK_FRI_MAX_QUERIES];
	unsigned l;
	int rc;

	if (n == 0 || n > ZK_FRI_MAX_QUERIES)
		return ZK_STARK_EINVAL;
	memcpy(pos, top, n * sizeof(*pos));
	for (size_t q = 0; q < n; q++)
		val[q] = zk_ext_zero();
	for (l = 0; l < s->n_layers; l++) {
		inject_values(s->log_size[l], pos, val, n, tv, gammas, k);
		rc = zk_fri_verify_layer(&v->cfg, s, l, &proof->layers[l],
					 v->betas[l], pos, val, n);
		if (rc != 0)
			return rc;
	}
	/* l = n_layers: the tables of the final domain's size, if any */
	inject_values(s->log_size[l], pos, val, n, tv, gammas, k);
	for (size_t q = 0; q < n; q++) {
		zk_gl x = zk_fri_point(s->shift[l], s->log_size[l], pos[q]);

		if (!zk_ext_eq(zk_fri_eval_poly(proof->final_coeffs,
						proof->final_len, x), val[q]))
			return ZK_STARK_EFRI;
	}
	return 0;
}
