/* SPDX-License-Identifier: MIT */
/*
 * FRI verifier (fri.h): the proof's shape against the schedule the
 * verifier derives itself, the commit phase's transcript, and per query
 * every layer's coset (format 4: its known slot put back from the
 * verifier's own value before the Merkle check) folded down to the final
 * polynomial. Shares the schedule, the fold and the query bookkeeping with
 * the prover through fri_internal.h, nothing else.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fri.h"
#include "fri_internal.h"
#include "ntt.h"
#include "stark.h"

static bool ext_canonical(const zk_ext *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!zk_ext_is_canonical(v[i]))
			return false;
	return true;
}

/* Shape of a proof against the schedule: never trust its own counts. */
static int check_shape(const struct zk_fri_schedule *s,
		       const struct zk_fri_config *cfg,
		       const struct zk_fri_proof *proof)
{
	unsigned l;

	if (proof->n_layers != s->n_layers)
		return ZK_STARK_EPARAMS;
	for (l = 0; l < s->n_layers; l++) {
		const struct zk_fri_layer_proof *lp = &proof->layers[l];
		zk_gl root_elems[4];

		if (lp->log_folding != s->log_folding[l])
			return ZK_STARK_EPARAMS;
		if (zk_hash_is_algebraic(cfg->hash) &&
		    zk_digest_to_gl(&lp->root, root_elems) != 0)
			return ZK_STARK_EFORMAT;
	}
	if (proof->final_len != (1u << s->final_log_degree) ||
	    proof->final_coeffs == NULL)
		return ZK_STARK_EPARAMS;
	if (!ext_canonical(proof->final_coeffs, proof->final_len))
		return ZK_STARK_EFORMAT;
	return ZK_STARK_ACCEPT;
}

int zk_fri_verify_commit(struct zk_fri_verifier *v,
			 const struct zk_fri_config *cfg,
			 struct zk_transcript *t,
			 const struct zk_fri_proof *proof)
{
	struct zk_fri_schedule s;
	unsigned l;
	int rc;

	memset(v, 0, sizeof(*v));
	if (t == NULL || proof == NULL)
		return ZK_STARK_EINVAL;
	rc = zk_fri_schedule_make(cfg, &s);
	if (rc != ZK_STARK_ACCEPT)
		return rc;
	rc = check_shape(&s, cfg, proof);
	if (rc != ZK_STARK_ACCEPT)
		return rc;
	v->cfg = *cfg;
	zk_fri_absorb_config(t, cfg);
	for (l = 0; l < s.n_layers; l++) {
		zk_transcript_absorb_digest(t, &proof->layers[l].root);
		v->betas[l] = zk_transcript_draw_ext(t);
	}
	zk_transcript_absorb_ext(t, proof->final_coeffs, proof->final_len);
	if (zk_transcript_status(t) != 0)
		return ZK_STARK_EINVAL;
	return ZK_STARK_ACCEPT;
}

/*
 * One layer for all queries: match each query's value against its slot in
 * the opened coset, check the openings against the root, then fold each
 * coset once and hand every query its folded value and next position.
 */
static int verify_layer(const struct zk_fri_config *cfg,
			const struct zk_fri_schedule *s, unsigned l,
			const struct zk_fri_layer_proof *lp, zk_ext beta,
			uint64_t *pos, zk_ext *val, size_t n)
{
	uint64_t cosets[ZK_FRI_MAX_QUERIES];
	zk_ext folded[ZK_FRI_MAX_QUERIES];
	zk_gl wk_inv[(1u << ZK_FRI_MAX_LOG_FOLDING) / 2];
	unsigned f = s->log_folding[l], log_m = s->log_size[l];
	size_t k, i, n_c = zk_fri_distinct_sorted(pos, n, f, cosets);
	size_t fold = (size_t)1 << f;
	uint8_t slot[ZK_FRI_MAX_QUERIES];
	zk_gl *rows, shift_inv, w_inv;
	zk_ext *full;
	int rc;

	if (lp->n_cosets != n_c || lp->coset_values == NULL)
		return ZK_STARK_EFRI;
	if (!ext_canonical(lp->coset_values, n_c * (fold - 1)))
		return ZK_STARK_EFORMAT;
	full = malloc(n_c * fold * (sizeof(zk_ext) +
				    ZK_EXT_DEGREE * sizeof(zk_gl)));
	if (full == NULL)
		return ZK_STARK_ENOMEM;
	rows = (zk_gl *)(full + n_c * fold);
	/* the known slot of each coset takes its query's value, so it is
	 * bound to the Merkle root like the values sent */
	zk_fri_known_slots(pos, n, cosets, n_c, f, slot);
	for (k = 0, i = 0; k < n_c * fold; k++)
		full[k] = (k & (fold - 1)) == slot[k >> f] ? zk_ext_zero()
							  : lp->coset_values[i++];
	for (k = 0; k < n; k++) {
		size_t c = zk_fri_find_sorted(cosets, n_c, pos[k] >> f);
		size_t at = c * fold + (pos[k] & (fold - 1));

		if ((pos[k] & (fold - 1)) == slot[c])
			full[at] = val[k];
	}
	for (k = 0; k < n; k++) {
		size_t c = zk_fri_find_sorted(cosets, n_c, pos[k] >> f);

		if (!zk_ext_eq(full[c * fold + (pos[k] & (fold - 1))], val[k])) {
			free(full);
			return ZK_STARK_EFRI;
		}
	}
	for (k = 0; k < n_c * fold; k++)
		zk_ext_scatter(full[k], rows + ZK_EXT_DEGREE * k, 1);
	rc = zk_merkle_verify_batch(cfg->hash, &lp->root, log_m - f, cosets,
				    n_c, rows, ZK_EXT_DEGREE * fold, &lp->opening);
	if (rc != ZK_MERKLE_OK) {
		free(full);
		return rc == ZK_MERKLE_ENOMEM ? ZK_STARK_ENOMEM
					      : ZK_STARK_EMERKLE;
	}

	if (!zk_gl_inv(s->shift[l], &shift_inv)) {
		free(full);
		return ZK_STARK_EINVAL;
	}
	w_inv = zk_fri_inverse_root(log_m);
	zk_fri_coset_inv_roots(f, wk_inv);
	for (k = 0; k < n_c; k++) {
		/* the verifier's own point: shift·ω_M^bitrev(c, log M/K) */
		zk_gl x_inv = zk_gl_mul(shift_inv,
					zk_gl_pow(w_inv, zk_ntt_bitrev(cosets[k],
								       log_m - f)));

		folded[k] = zk_fri_fold_coset(full + k * fold, f, x_inv,
					      wk_inv, beta);
	}
	free(full);
	for (k = 0; k < n; k++) {
		size_t c = zk_fri_find_sorted(cosets, n_c, pos[k] >> f);

		val[k] = folded[c];
		pos[k] >>= f;
	}
	return ZK_STARK_ACCEPT;
}

int zk_fri_verify_queries(const struct zk_fri_verifier *v,
			  const struct zk_fri_proof *proof,
			  const uint64_t *positions, const zk_ext *values0,
			  size_t n_positions)
{
	uint64_t pos[ZK_FRI_MAX_QUERIES];
	zk_ext val[ZK_FRI_MAX_QUERIES];
	struct zk_fri_schedule s;
	size_t k;
	unsigned l;
	int rc;

	if (v == NULL || proof == NULL || values0 == NULL)
		return ZK_STARK_EINVAL;
	rc = zk_fri_schedule_make(&v->cfg, &s);
	if (rc != ZK_STARK_ACCEPT)
		return rc;
	rc = check_shape(&s, &v->cfg, proof);
	if (rc != ZK_STARK_ACCEPT)
		return rc;
	rc = zk_fri_check_positions(v->cfg.log_domain, positions, n_positions);
	if (rc != ZK_STARK_ACCEPT)
		return rc;
	memcpy(pos, positions, n_positions * sizeof(*pos));
	memcpy(val, values0, n_positions * sizeof(*val));
	for (l = 0; l < s.n_layers; l++) {
		rc = verify_layer(&v->cfg, &s, l, &proof->layers[l],
				  v->betas[l], pos, val, n_positions);
		if (rc != ZK_STARK_ACCEPT)
			return rc;
	}
	for (k = 0; k < n_positions; k++) {
		zk_gl x = zk_fri_point(s.shift[s.n_layers],
				       s.log_size[s.n_layers], pos[k]);

		if (!zk_ext_eq(zk_fri_eval_poly(proof->final_coeffs,
						proof->final_len, x),
			       val[k]))
			return ZK_STARK_EFRI;
	}
	return ZK_STARK_ACCEPT;
}

/* verify_layer for the mixed-height FRI (fri_multi.c), which adds the
 * shorter tables' values between layers. */
int zk_fri_verify_layer(const struct zk_fri_config *cfg,
			const struct zk_fri_schedule *s, unsigned l,
			const struct zk_fri_layer_proof *lp, zk_ext beta,
			uint64_t *pos, zk_ext *val, size_t n)
{
	return verify_layer(cfg, s, l, lp, beta, pos, val, n);
}
