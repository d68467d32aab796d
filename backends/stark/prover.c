/* SPDX-License-Identifier: MIT */
/*
 * The prover (docs/stark.md, "Protocol"). Memory is column-major LDE
 * arrays over D in bit-reversed order; the hot loops (constraint
 * evaluation, DEEP composition, OOD evaluation) are split over
 * opts.threads workers by position block, row block or column, so the
 * proof does not depend on the thread count. Step 5 lives in
 * prover_quotient.c, steps 6–7 in prover_deep.c.
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "ntt.h"
#include "prover_internal.h"
#include "stark.h"


static void prover_free(struct zk_prover *pv)
{
	free(pv->main_lde);
	zk_big_free(pv->main_coeffs);
	zk_big_free(pv->aux_coeffs);
	if (pv->aux != NULL)
		for (uint32_t c = 0; c < pv->air->aux_width; c++)
			free(pv->aux[c]);
	free(pv->aux);
	free(pv->aux_lde);
	zk_big_free(pv->q);
	free(pv->comp_lde);
	free(pv->block_roots);
	if (pv->periodic_lde != NULL)
		for (uint32_t j = 0; j < pv->air->n_periodic; j++)
			free(pv->periodic_lde[j]);
	free(pv->periodic_lde);
	free(pv->periodic_shift);
	zk_prover_tree_free(&pv->main_tree);
	zk_prover_tree_free(&pv->aux_tree);
	zk_prover_tree_free(&pv->comp_tree);
	free(pv->alphas);
	free(pv->asrt);
	free(pv->asrt_alpha);
	free(pv->zinv_by_high);
	free(pv->ood);
	free(pv->gammas);
	free(pv->deep);
	zk_prover_deep_free(pv);
}

/*
 * Hand the pages of buffers freed by the step just done back to the
 * system. glibc keeps freed heap chunks resident, and the next step's
 * buffers are of other sizes, so without this the peak is nearer the sum
 * of the steps' buffers than the largest step's (the streaming prover's
 * large buffers are mappings of their own, zk_big_alloc; this covers the
 * rest, and the stored prover's). A few milliseconds a proof.
 */
static void release_freed(void)
{
	malloc_trim(0);
}

/* ---- step 2/3: LDEs and commitments ---- */

/* The main columns (aux false) or the aux base columns, bit-reversed,
 * into cols[c] (n each): what an inverse transform makes coefficients of. */
static void load_values(const struct zk_prover *pv, bool aux, size_t ncols,
			zk_gl *const *cols)
{
	size_t n = pv->n;

	for (size_t c = 0; c < ncols; c++) {
		if (aux)
			for (size_t i = 0; i < n; i++)
				cols[c][i] = pv->aux[c / ZK_EXT_DEGREE][i]
						     .c[c % ZK_EXT_DEGREE];
		else
			memcpy(cols[c], pv->trace[c], n * sizeof(zk_gl));
		zk_ntt_bitrev_permute(cols[c], pv->log_n);
	}
}

static size_t segment_cols(const struct zk_prover *pv, bool aux)
{
	return aux ? ZK_EXT_DEGREE * (size_t)pv->air->aux_width :
		     pv->air->main_width;
}

/*
 * Streaming: the coefficients (n each, n apart) of the main columns, from
 * the trace, or of the aux base columns, from pv->aux: what
 * zk_prover_block makes any block of D from. Made for the commitment,
 * dropped, and made again for the openings (one inverse transform per
 * column, against B forward ones for the blocks).
 */
int zk_prover_make_coeffs(struct zk_prover *pv, bool aux, zk_gl **coeffs)
{
	size_t n = pv->n, ncols = segment_cols(pv, aux);
	zk_gl **cols;
	int rc = ZK_STARK_ENOMEM;

	/* the aux values dropped (drop_aux_values): the coefficients are held */
	if (aux && pv->aux == NULL)
		return *coeffs != NULL ? 0 : ZK_STARK_EINVAL;
	cols = calloc(ncols + 1, sizeof(zk_gl *));
	zk_big_free(*coeffs);
	*coeffs = zk_big_alloc((ncols * n + 1) * sizeof(zk_gl), pv->streaming);
	if (cols == NULL || *coeffs == NULL)
		goto done;
	for (size_t c = 0; c < ncols; c++)
		cols[c] = *coeffs + c * n;
	load_values(pv, aux, ncols, cols);
	rc = zk_ntt_inverse(cols, ncols, pv->log_n, pv->threads) == 0 ? 0 :
	     ZK_STARK_ENOMEM;
done:
	free(cols);
	return rc;
}

/*
 * The quotient step's blocks without the coefficients held: one more
 * inverse transform per column and block (n_chunks blocks), for not
 * keeping n coefficients per column beside the trace and the quotient's
 * values during that step, the prover's largest.
 */
int zk_prover_block_from_trace(struct zk_prover *pv, bool aux, size_t h,
			       zk_gl *buf)
{
	size_t ncols = segment_cols(pv, aux);
	zk_gl **cols = calloc(ncols + 1, sizeof(zk_gl *));
	int rc = ZK_STARK_ENOMEM;

	if (cols == NULL)
		return rc;
	for (size_t c = 0; c < ncols; c++)
		cols[c] = buf + c * pv->n;
	load_values(pv, aux, ncols, cols);
	if (zk_ntt_inverse(cols, ncols, pv->log_n, pv->threads) == 0 &&
	    zk_ntt_coset_forward_trusted(cols, ncols, pv->log_n,
					 zk_prover_block_shift(pv, h),
					 pv->threads) == 0)
		rc = 0;
	free(cols);
	return rc;
}

/*
 * Streaming, one table: the aux segment is held as its coefficients
 * from its commitment on, not as values too (ZK_EXT_DEGREE base columns
 * of n, 6 B per main cell for the range AIR): the quotient step
 * transforms them in place for each of its blocks (zk_prover_aux_in_place)
 * instead of a block buffer beside the values, OOD evaluates them at z
 * and zω, DEEP adds them to A and B as coefficients, and the openings
 * use them as they are.
 */
static int drop_aux_values(struct zk_prover *pv)
{
	if (pv->aux_coeffs == NULL &&
	    zk_prover_make_coeffs(pv, true, &pv->aux_coeffs) != 0)
		return ZK_STARK_ENOMEM;
	for (uint32_t c = 0; c < pv->air->aux_width; c++)
		free(pv->aux[c]);
	free(pv->aux);
	pv->aux = NULL;
	return 0;
}

int zk_prover_aux_in_place(struct zk_prover *pv, size_t h, bool forward)
{
	size_t ncols = segment_cols(pv, true);
	zk_gl **cols = calloc(ncols + 1, sizeof(zk_gl *));
	zk_gl shift = zk_prover_block_shift(pv, h);
	int rc;

	if (cols == NULL)
		return ZK_STARK_ENOMEM;
	for (size_t c = 0; c < ncols; c++)
		cols[c] = pv->aux_coeffs + c * pv->n;
	rc = forward ? zk_ntt_coset_forward_trusted(cols, ncols, pv->log_n,
						    shift, pv->threads) :
		       zk_ntt_coset_inverse(cols, ncols, pv->log_n, shift,
					    pv->threads);
	free(cols);
	return rc == 0 ? 0 : ZK_STARK_ENOMEM;
}

/* Streaming: coefficients, then the tree, built block by block. */
static int commit_streamed(struct zk_prover *pv, bool aux, size_t ncols,
			   zk_gl **coeffs, zk_block_fn fill,
			   struct zk_prover_tree *tree)
{
	zk_gl *buf = zk_big_alloc((ncols * pv->n + 1) * sizeof(zk_gl), true);
	int rc = buf == NULL ? ZK_STARK_ENOMEM :
		 zk_prover_make_coeffs(pv, aux, coeffs);

	if (rc == 0)
		rc = zk_prover_commit_tree_blocks(tree, pv->p->hash, ncols,
						  pv->big_n, pv->big_n / pv->n,
						  fill, pv, buf, pv->threads);
	zk_big_free(buf);
	/*
	 * When the composition's chunks are at least as wide as the main
	 * trace, the quotient step (which holds them) is the prover's
	 * largest, and it makes its blocks from the trace instead; otherwise
	 * the commitment's own buffers are, and keeping the coefficients
	 * saves an inverse transform per column and quotient block.
	 */
	if (ZK_EXT_DEGREE * (size_t)pv->shape.n_chunks >= pv->air->main_width) {
		zk_big_free(*coeffs);
		*coeffs = NULL;
	}
	return rc;
}

static int commit_main(struct zk_prover *pv, const zk_gl *const *trace)
{
	size_t w = pv->air->main_width;
	zk_gl **out;
	int rc = ZK_STARK_ENOMEM;

	if (pv->streaming)
		return commit_streamed(pv, false, w, &pv->main_coeffs,
				       zk_prover_main_block, &pv->main_tree);
	out = calloc(w, sizeof(zk_gl *));

	pv->main_lde = malloc(w * pv->big_n * sizeof(zk_gl));
	if (out == NULL || pv->main_lde == NULL)
		goto done;
	for (size_t c = 0; c < w; c++)
		out[c] = pv->main_lde + c * pv->big_n;
	if (zk_ntt_lde(out, trace, w, pv->log_n, pv->p->log_blowup,
		       ZK_GL_MULTIPLICATIVE_GENERATOR, pv->threads) != 0)
		goto done;
	rc = zk_prover_commit_tree(&pv->main_tree, pv->p->hash, pv->main_lde,
				   w, pv->big_n, pv->threads);
done:
	free(out);
	return rc;
}

/* aux columns become (c0, c1, c2) base columns, the layout merkle and FRI
 * use */
static int commit_aux(struct zk_prover *pv, const zk_gl *const *trace)
{
	size_t w = ZK_EXT_DEGREE * (size_t)pv->air->aux_width, n = pv->n;
	zk_gl **in = calloc(w, sizeof(zk_gl *));
	zk_gl **out = calloc(w, sizeof(zk_gl *));
	int rc = ZK_STARK_ENOMEM;

	pv->aux = calloc(pv->air->aux_width, sizeof(zk_ext *));
	if (!pv->streaming)
		pv->aux_lde = malloc(w * pv->big_n * sizeof(zk_gl));
	if (in == NULL || out == NULL || pv->aux == NULL ||
	    (!pv->streaming && pv->aux_lde == NULL))
		goto done;
	for (size_t c = 0; c < pv->air->aux_width; c++) {
		pv->aux[c] = calloc(n, sizeof(zk_ext));
		if (pv->aux[c] == NULL)
			goto done;
	}
	if (pv->air->build_aux(pv->air->ctx, trace, pv->log_n, pv->rand,
			       pv->aux) != 0) {
		rc = ZK_STARK_EAUX;
		goto done;
	}
	for (size_t c = 0; c < w; c++) {
		in[c] = zk_big_alloc(n * sizeof(zk_gl), pv->streaming);
		if (!pv->streaming)
			out[c] = pv->aux_lde + c * pv->big_n;
		if (in[c] == NULL)
			goto done;
		for (size_t i = 0; i < n; i++) {
			zk_ext v = pv->aux[c / ZK_EXT_DEGREE][i];

			in[c][i] = v.c[c % ZK_EXT_DEGREE];
			if (!zk_gl_is_canonical(in[c][i])) {
				rc = ZK_STARK_EAUX;
				goto done;
			}
		}
	}
	if (pv->streaming) {
		rc = commit_streamed(pv, true, w, &pv->aux_coeffs,
				     zk_prover_aux_block, &pv->aux_tree);
		goto done;
	}
	if (zk_ntt_lde(out, (const zk_gl *const *)in, w, pv->log_n,
		       pv->p->log_blowup, ZK_GL_MULTIPLICATIVE_GENERATOR,
		       pv->threads) != 0)
		goto done;
	rc = zk_prover_commit_tree(&pv->aux_tree, pv->p->hash, pv->aux_lde,
				   w, pv->big_n, pv->threads);
done:
	if (in != NULL)
		for (size_t c = 0; c < w; c++)
			zk_big_free(in[c]);
	free(in);
	free(out);
	return rc;
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
			   const zk_ext *alphas)
{
	size_t n = pv->n_asrt;
	size_t *keys = malloc((2 * n + 1) * sizeof(size_t));

	pv->asrt = malloc((n + 1) * sizeof(*pv->asrt));
	pv->asrt_alpha = malloc((n + 1) * sizeof(zk_ext));
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
	release_freed();
	zk_transcript_absorb_digest(t, zk_prover_tree_root(&pv->main_tree));
	if (air->aux_width > 0) {
		for (uint32_t r = 0; r < air->n_aux_rand; r++)
			pv->rand[r] = zk_transcript_draw_ext(t);
		rc = commit_aux(pv, trace);
		if (rc == ZK_STARK_EAUX) {
			zk_stark_errf(err, errlen, rc, "build_aux found no aux trace");
			goto done;
		}
		if (rc == 0 && pv->streaming)
			rc = drop_aux_values(pv);
		if (rc != 0)
			goto done;
		release_freed();
		zk_transcript_absorb_digest(t, zk_prover_tree_root(&pv->aux_tree));
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
	pv->alphas = malloc((n_alpha + 1) * sizeof(zk_ext));
	if (pv->alphas == NULL) {
		rc = ZK_STARK_ENOMEM;
		goto done;
	}
	zk_transcript_draw_powers(t, pv->alphas, n_alpha);
	rc = sort_assertions(pv, raw, pv->alphas + air->n_main_constraints +
			     air->n_aux_constraints);
	if (rc == 0)
		rc = zk_prover_prepare_points(pv);
	if (rc == 0)
		rc = zk_prover_commit_composition(pv, debug, err, errlen);
	release_freed();
	if (rc == 0)
		zk_transcript_absorb_digest(t, zk_prover_tree_root(&pv->comp_tree));
done:
	free(raw);
	return rc;
}

/*
 * Streaming: the rows the openings need, from the blocks they fall in,
 * made again: the aux ones first, from the aux coefficients (made again
 * from the trace, remake_aux_coeffs), which then serve the quotient step
 * once more for the composition's rows (pv->q, dropped by DEEP) and are
 * dropped before those rows are made, then the main ones from
 * coefficients remade from the trace; each segment's block buffer
 * dropped before the next segment's is made. The composition's rows
 * came first before: the chunks, the aux coefficients and the
 * composition's block buffer together were the openings' peak.
 */
static int cache_segment(struct zk_prover *pv, int seg, const uint64_t *pos,
			 size_t count)
{
	size_t ncols = seg == 0 ? pv->air->main_width :
		       seg == 1 ? ZK_EXT_DEGREE * (size_t)pv->air->aux_width :
				  ZK_EXT_DEGREE * (size_t)pv->shape.n_chunks;
	static const zk_block_fn fills[3] = { zk_prover_main_block,
					      zk_prover_aux_block,
					      zk_prover_comp_split_block };
	static const zk_part_fn parts[3] = { zk_prover_main_part,
					     zk_prover_aux_part,
					     zk_prover_comp_split_part };
	struct zk_prover_tree *tree = seg == 0 ? &pv->main_tree :
				      seg == 1 ? &pv->aux_tree : &pv->comp_tree;
	/* the composition in parts of a coset block (zk_prover_comp_split) */
	unsigned split = seg == 2 ? zk_prover_comp_split(pv) : 0;
	zk_gl *buf = NULL;
	int rc = 0;

	if (seg < 2)
		rc = zk_prover_make_coeffs(pv, seg == 1, seg == 0 ?
					   &pv->main_coeffs : &pv->aux_coeffs);
	else if (pv->q == NULL)
		rc = zk_prover_remake_quotient(pv);
	if (seg == 2) {
		/* their last use: the aux rows are cached */
		zk_big_free(pv->aux_coeffs);
		pv->aux_coeffs = NULL;
	}
	if (rc == 0) {
		buf = zk_big_alloc((ncols * (pv->n >> split) + 1) *
				   sizeof(zk_gl), true);
		rc = buf == NULL ? ZK_STARK_ENOMEM : 0;
	}
	if (rc == 0)
		rc = zk_prover_tree_cache(tree, pos, count,
					  (pv->big_n / pv->n) << split,
					  fills[seg], parts[seg],
					  zk_prover_part_max_groups(pv) >> split,
					  pv, buf);
	zk_big_free(buf);
	if (seg == 0) {
		zk_big_free(pv->main_coeffs);
		pv->main_coeffs = NULL;
	} else if (seg == 2) {
		zk_big_free(pv->q);
		pv->q = NULL;
	}
	return rc;
}

/*
 * Streaming, one table: DEEP is the aux coefficients' last use before
 * the openings, which make them again (build_aux once more, then as
 * after the commitment) rather than hold them through FRI (6 B per main
 * cell for the range AIR beside FRI's layers, the compact set's peak).
 */
static int remake_aux_coeffs(struct zk_prover *pv)
{
	const struct zk_air *air = pv->air;

	pv->aux = calloc(air->aux_width, sizeof(zk_ext *));
	if (pv->aux == NULL)
		return ZK_STARK_ENOMEM;
	for (uint32_t c = 0; c < air->aux_width; c++) {
		pv->aux[c] = calloc(pv->n, sizeof(zk_ext));
		if (pv->aux[c] == NULL)
			return ZK_STARK_ENOMEM;
	}
	if (air->build_aux(air->ctx, pv->trace, pv->log_n, pv->rand,
			   pv->aux) != 0)
		return ZK_STARK_EAUX;
	return drop_aux_values(pv);
}

static int cache_rows(struct zk_prover *pv, const uint64_t *pos, size_t count)
{
	int rc = 0;

	if (pv->air->aux_width > 0) {
		if (pv->aux == NULL && pv->aux_coeffs == NULL) {
			rc = remake_aux_coeffs(pv);
			/* the values' heap pages, before the quotient step */
			release_freed();
		}
		if (rc == 0)
			rc = cache_segment(pv, 1, pos, count);
	}
	if (rc == 0)
		rc = cache_segment(pv, 2, pos, count);
	if (rc == 0)
		rc = cache_segment(pv, 0, pos, count);
	return rc;
}

static int open_rows(struct zk_prover *pv, struct zk_stark_proof *pf,
		     const uint64_t *pos, size_t count)
{
	size_t mw = pv->air->main_width, aw2 = ZK_EXT_DEGREE * (size_t)pv->air->aux_width;
	size_t cw = ZK_EXT_DEGREE * (size_t)pv->shape.n_chunks;

	if (pv->streaming) {
		int rc = cache_rows(pv, pos, count);

		if (rc != 0)
			return rc;
	}
	for (size_t k = 0; k < count; k++) {
		if (zk_prover_tree_row(&pv->main_tree, pos[k],
				       pf->main_rows + k * mw) != 0 ||
		    (aw2 > 0 && zk_prover_tree_row(&pv->aux_tree, pos[k],
						   pf->aux_rows + k * aw2) != 0) ||
		    zk_prover_tree_row(&pv->comp_tree, pos[k],
				       pf->comp_rows + k * cw) != 0)
			return ZK_STARK_EINVAL;
	}
	if (zk_prover_open_tree(&pv->main_tree, pos, count, &pf->main_open) != 0 ||
	    zk_prover_open_tree(&pv->comp_tree, pos, count, &pf->comp_open) != 0)
		return ZK_STARK_ENOMEM;
	if (aw2 > 0 &&
	    zk_prover_open_tree(&pv->aux_tree, pos, count, &pf->aux_open) != 0)
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
	/* the DEEP values become FRI's layer 0 (pv->deep is NULL after);
	 * streaming, F is remade block by block whenever FRI needs it */
	if (pv->streaming) {
		rc = zk_fri_commit_blocks(&fp, &cfg, t,
					  zk_prover_deep_log_block(pv),
					  zk_prover_deep_fill, pv);
		if (rc == 0)
			zk_fri_prover_set_coset_fn(fp, zk_prover_deep_part,
						   zk_prover_part_max_groups(pv));
	} else
		rc = zk_fri_commit_take(&fp, &cfg, t, &pv->deep);
	if (rc != 0)
		return rc;
	release_freed();
	/* one thread: eight-way BLAKE2s tries 2^16 nonces in about a
	 * millisecond, less than a fan-out to the workers saves */
	pf->pow_nonce = zk_transcript_grind(t, pv->p->grinding_bits);
	count = zk_stark_draw_positions(t, pv->p, pv->log_domain, positions);
	rc = zk_fri_prove_queries(fp, positions, count, &pf->fri);
	zk_fri_prover_free(fp);
	zk_prover_deep_free(pv);
	if (rc != 0)
		return rc;
	release_freed();
	rc = zk_stark_proof_alloc(pf, &pv->shape, (uint32_t)count);
	if (rc == 0)
		rc = open_rows(pv, pf, positions, count);
	return rc;
}

static int check_trace(const struct zk_air *air, const zk_gl *const *trace,
		       unsigned log_n, char *err, size_t errlen)
{
	if (trace == NULL)
		return zk_stark_errf(err, errlen, ZK_STARK_EINVAL, "no trace");
	for (uint32_t c = 0; c < air->main_width; c++) {
		if (trace[c] == NULL)
			return zk_stark_errf(err, errlen, ZK_STARK_EINVAL,
					     "trace column %u missing", c);
		for (size_t i = 0; i < ((size_t)1 << log_n); i++)
			if (!zk_gl_is_canonical(trace[c][i]))
				return zk_stark_errf(err, errlen, ZK_STARK_EINVAL,
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
	struct zk_stark_ood_layout l;
	size_t n_gamma;
	int rc;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (proof == NULL || proof_len == NULL)
		return zk_stark_errf(err, errlen, ZK_STARK_EINVAL, "no output buffer");
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
	pv.streaming = opts != NULL && opts->streaming;
	pv.trace = main_trace;
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
	release_freed();
	zk_stark_ood_layout(&pv.shape, &l);
	zk_transcript_absorb_ext(&t, pv.ood, l.total);

	/* one DEEP coefficient per OOD value, in the same order */
	n_gamma = l.total;
	pv.gammas = malloc(n_gamma * sizeof(zk_ext));
	if (!pv.streaming)
		pv.deep = malloc(pv.big_n * sizeof(zk_ext));
	if (pv.gammas == NULL || (!pv.streaming && pv.deep == NULL)) {
		rc = ZK_STARK_ENOMEM;
		goto done;
	}
	zk_transcript_draw_powers(&t, pv.gammas, n_gamma);
	rc = zk_prover_deep(&pv, main_trace);
	if (rc != 0)
		goto done;
	if (pv.streaming && pv.aux == NULL) {
		/* made again for the openings (remake_aux_coeffs) */
		zk_big_free(pv.aux_coeffs);
		pv.aux_coeffs = NULL;
	}
	release_freed();
	/* the chunks' coefficients have served OOD and DEEP (and, streaming,
	 * make the composition rows the queries open) */
	if (!pv.streaming) {
		zk_big_free(pv.q);
		pv.q = NULL;
	}

	rc = query_phase(&pv, &t, &pf);
	if (rc != 0)
		goto done;
	pf.params_id = p->id;
	pf.log_n = (uint8_t)log_n;
	pf.shape = pv.shape;
	pf.main_root = *zk_prover_tree_root(&pv.main_tree);
	if (air->aux_width > 0)
		pf.aux_root = *zk_prover_tree_root(&pv.aux_tree);
	pf.comp_root = *zk_prover_tree_root(&pv.comp_tree);
	memcpy(pf.ood, pv.ood, n_gamma * sizeof(zk_ext));
	rc = zk_stark_proof_encode(&pf, proof, proof_len);
done:
	if (rc != 0 && err != NULL && errlen > 0 && err[0] == '\0')
		zk_stark_errf(err, errlen, rc, "prover failed: %s", zk_stark_strerror(rc));
	zk_stark_proof_free(&pf);
	prover_free(&pv);
	return rc;
}

/*
 * ---- the steps above, for the multi-table prover (prover_multi.c) ----
 * It runs them per table in its own order under one transcript.
 */

int zk_prover_check_trace(const struct zk_air *air, const zk_gl *const *trace,
			  unsigned log_n, char *err, size_t errlen)
{
	return check_trace(air, trace, log_n, err, errlen);
}

int zk_prover_commit_main(struct zk_prover *pv, const zk_gl *const *trace)
{
	return commit_main(pv, trace);
}

int zk_prover_commit_aux(struct zk_prover *pv, const zk_gl *const *trace)
{
	return commit_aux(pv, trace);
}

int zk_prover_sort_assertions(struct zk_prover *pv,
			      const struct zk_assertion *raw,
			      const zk_ext *alphas)
{
	return sort_assertions(pv, raw, alphas);
}

int zk_prover_open_rows(struct zk_prover *pv, struct zk_stark_proof *pf,
			const uint64_t *pos, size_t count)
{
	return open_rows(pv, pf, pos, count);
}

void zk_prover_free(struct zk_prover *pv)
{
	prover_free(pv);
}
