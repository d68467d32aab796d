/* SPDX-License-Identifier: MIT */
/*
 * Prover step 5 (docs/stark.md): the composition polynomial Q.
 *
 * Q has degree < n_chunks·n, so it is fixed by its values on any
 * n_chunks·n points. Rather than evaluate the constraints on all of D
 * (N = B·n points), the prover evaluates them on the first n_chunks
 * blocks of n positions of D, each a coset of H_n (prover_chunks.c),
 * and extends the chunks to D. The next-row point x·ω_n of a position
 * stays in its block, so nothing is re-laid out, and the coefficients are
 * the ones a full-D interpolation gives: the proof does not change.
 * Debug mode still evaluates on all of D: only there does the interpolant
 * show a degree overflow (a trace that violates a constraint).
 */
#include <stdlib.h>
#include <string.h>

#include "ntt.h"
#include "prover_aux.h"
#include "prover_internal.h"
#include "stark.h"

int zk_prover_prepare_points(struct zk_prover *pv)
{
	/* a block never straddles two cosets of H_n (zk_prover_block) */
	unsigned lb = pv->log_n < ZK_PROVER_LOG_BLOCK ? pv->log_n :
			      ZK_PROVER_LOG_BLOCK;
	size_t len = (size_t)1 << lb;
	zk_gl w = zk_gl_root_of_unity(lb), acc = 1;

	pv->log_block = lb;
	pv->block_roots = malloc(len * sizeof(zk_gl));
	if (pv->block_roots == NULL)
		return ZK_STARK_ENOMEM;
	for (size_t k = 0; k < len; k++) {
		pv->block_roots[k] = acc;
		acc = zk_gl_mul(acc, w);
	}
	zk_ntt_bitrev_permute(pv->block_roots, lb);
	return 0;
}

/*
 * With blo a multiple of 2^lb and k < 2^lb the bits of blo and k do not
 * overlap, so bitrev_L(blo + k) = bitrev_L(blo) + bitrev_lb(k)·2^(L - lb)
 * and the point is (s·ω_N^bitrev_L(blo))·ω_(2^lb)^bitrev_lb(k).
 */
void zk_prover_points(const struct zk_prover *pv, size_t blo, size_t len,
		      zk_gl *out)
{
	zk_gl base = zk_gl_mul(ZK_GL_MULTIPLICATIVE_GENERATOR,
			       zk_gl_pow(zk_gl_root_of_unity(pv->log_domain),
					 zk_stark_rev_bits(blo, pv->log_domain)));

	for (size_t k = 0; k < len; k++)
		out[k] = zk_gl_mul(base, pv->block_roots[k]);
}

/* 1/Z_H by the top position bits, ω^(n-1), the periodic columns' LDEs. */
static int prepare_domain(struct zk_prover *pv)
{
	unsigned b = pv->p->log_blowup;
	size_t blowup = (size_t)1 << b;
	zk_gl s = ZK_GL_MULTIPLICATIVE_GENERATOR, s_n, w_b, den[64];
	size_t zeros;

	if (blowup > sizeof(den) / sizeof(den[0]))
		return ZK_STARK_EINVAL;
	pv->zinv_by_high = malloc(blowup * sizeof(zk_gl));
	pv->periodic_lde = calloc(pv->air->n_periodic + 1, sizeof(zk_gl *));
	pv->periodic_shift = calloc(pv->air->n_periodic + 1, sizeof(unsigned));
	if (pv->zinv_by_high == NULL || pv->periodic_lde == NULL ||
	    pv->periodic_shift == NULL)
		return ZK_STARK_ENOMEM;

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

/*
 * Rows are copied out of the column-major LDE a few dozen at a time, one
 * column after the other: reading a whole row per point touches a cache
 * line per column and left wide AIRs waiting on memory.
 */
#define COMP_ROWS 32

struct comp_scratch {
	zk_ext *curx, *nxtx, *perx, *outa, *num;
	/* per and outm hold four rows for eval_main_x4 (per[4·j + r]) */
	zk_gl *cur, *nxt, *per, *outm, *xs, *den, *inv;
	zk_gl *tcur, *tnxt; /* column-major tile (copy_tile) */
	zk_gl *perb; /* periodic values of one row, for eval_aux_base */
	size_t nx[COMP_ROWS];
	struct zk_aux_eval aux; /* the tile's aux rows (zk_aux_eval_tile) */
};

static zk_gl *comp_scratch_alloc(const struct zk_air *air,
				 struct comp_scratch *s)
{
	size_t mw = air->main_width, np = air->n_periodic;
	size_t len = (2 * COMP_ROWS + 2) * mw + 3 * np +
		     2 * air->n_main_constraints + 2 * air->n_aux_constraints +
		     5 * ZK_PROVER_BLOCK + np + 4;
	zk_gl *mem = malloc(len * sizeof(zk_ext));

	if (mem == NULL)
		return NULL;
	s->curx = (zk_ext *)mem;
	s->nxtx = s->curx + mw;
	s->perx = s->nxtx + mw;
	s->outa = s->perx + np;
	s->num = s->outa + air->n_aux_constraints;
	s->cur = (zk_gl *)(s->num + ZK_PROVER_BLOCK);
	s->nxt = s->cur + COMP_ROWS * mw;
	s->per = s->nxt + COMP_ROWS * mw;
	s->outm = s->per + 4 * np;
	s->xs = s->outm + 4 * (size_t)air->n_main_constraints;
	s->den = s->xs + ZK_PROVER_BLOCK;
	s->inv = s->den + ZK_PROVER_BLOCK;
	s->tcur = s->inv + ZK_PROVER_BLOCK;
	s->tnxt = s->tcur + COMP_ROWS * mw;
	s->perb = s->tnxt + COMP_ROWS * mw;
	return mem;
}

/* next-row position of i: x·ω_n is B positions on in natural order */
static size_t next_position(const struct zk_prover *pv, size_t i)
{
	unsigned log_d = pv->log_domain;

	return zk_stark_rev_bits((zk_stark_rev_bits(i, log_d) +
				  ((size_t)1 << pv->p->log_blowup)) &
				 (pv->big_n - 1), log_d);
}

/* Columns ahead whose lines gather_rows asks for before it reads them. */
#define GATHER_PREFETCH 6

/*
 * Rows i..i+len-1 and their next rows into s->cur / s->nxt (row-major).
 * Each column is a separate stream big_n elements from the next, too many
 * for the hardware prefetcher to follow, so the lines of a column a few
 * ahead are requested explicitly; the rows of a tile (and their next rows,
 * but for a carry) are consecutive, one line per eight.
 */
static void next_rows(const struct zk_prover *pv, struct comp_scratch *s,
		      size_t i, size_t len)
{
	size_t at = i - pv->view_base, mask = pv->n - 1;

	/* the next rows are in the same block of n: in the view */
	if (pv->view_natural) {
		for (size_t k = 0; k < len; k++)
			s->nx[k] = (at + k + 1) & mask;
		return;
	}
	for (size_t k = 0; k < len; k++)
		s->nx[k] = next_position(pv, i + k) - pv->view_base;
}

static void gather_rows(const struct zk_prover *pv, struct comp_scratch *s,
			size_t i, size_t len)
{
	size_t mw = pv->air->main_width, stride = pv->view_stride;
	size_t at = i - pv->view_base;

	next_rows(pv, s, i, len);
	for (size_t c = 0; c < mw; c++) {
		const zk_gl *col = pv->main_view + c * stride;

		if (c + GATHER_PREFETCH < mw) {
			const zk_gl *ahead = col + GATHER_PREFETCH * stride;

			for (size_t k = 0; k < len; k += 8) {
				__builtin_prefetch(ahead + at + k);
				__builtin_prefetch(ahead + s->nx[k]);
			}
			__builtin_prefetch(ahead + s->nx[len - 1]);
		}
		for (size_t k = 0; k < len; k++) {
			s->cur[k * mw + c] = col[at + k];
			s->nxt[k * mw + c] = col[s->nx[k]];
		}
	}
}

/* Row r of the tile (position i) alone into s->cur / s->nxt, s->nx set. */
static void gather_row(const struct zk_prover *pv, struct comp_scratch *s,
		       size_t i, size_t r)
{
	size_t mw = pv->air->main_width, stride = pv->view_stride;
	const zk_gl *col = pv->main_view + i - pv->view_base;

	for (size_t c = 0; c < mw; c++, col += stride) {
		s->cur[r * mw + c] = col[0];
		s->nxt[r * mw + c] = col[s->nx[r] - (i - pv->view_base)];
	}
}

/* Σ α·C(x) over the main transition constraints at position i (row r). */
static zk_ext main_sum(struct zk_prover *pv, struct comp_scratch *s,
		       size_t i, size_t r)
{
	const struct zk_air *air = pv->air;
	size_t mw = air->main_width;
	size_t np = air->n_periodic, nmc = air->n_main_constraints;
	const zk_gl *cur = s->cur + r * mw, *nxt = s->nxt + r * mw;
	struct zk_acc a[ZK_EXT_DEGREE] = { 0 };
	zk_ext acc;

	for (size_t j = 0; j < np; j++)
		s->per[j] = zk_prover_periodic_at(pv, j, i);
	air->eval_main(air->ctx, cur, nxt, s->per, s->outm);
	for (size_t k = 0; k < nmc; k++)
		for (unsigned e = 0; e < ZK_EXT_DEGREE; e++)
			zk_acc_mac(&a[e], pv->alphas[k].c[e], s->outm[k]);
	for (unsigned e = 0; e < ZK_EXT_DEGREE; e++)
		acc.c[e] = zk_acc_reduce(&a[e]);
	return acc;
}

/*
 * The same for the four positions i..i+3, rows r..r+3 of the tile that
 * copy_tile made. Two rows per pass keep the six accumulator words in
 * registers.
 */
static void main_sums_x4(struct zk_prover *pv, struct comp_scratch *s,
			 size_t i, size_t r, zk_ext *acc)
{
	const struct zk_air *air = pv->air;
	size_t np = air->n_periodic, nmc = air->n_main_constraints;
	const zk_gl *out = s->outm;

	for (size_t j = 0; j < np; j++)
		for (unsigned k = 0; k < 4; k++)
			s->per[4 * j + k] = zk_prover_periodic_at(pv, j, i + k);
	air->eval_main_x4(air->ctx, s->tcur + r, s->tnxt + r, COMP_ROWS, s->per,
			  s->outm);
	for (unsigned e = 0; e < ZK_EXT_DEGREE; e++)
		for (unsigned k = 0; k < 4; k += 2) {
			struct zk_acc a0 = { 0 }, a1 = { 0 };

			for (size_t c = 0; c < nmc; c++) {
				zk_gl alpha = pv->alphas[c].c[e];

				zk_acc_mac(&a0, alpha, out[4 * c + k]);
				zk_acc_mac(&a1, alpha, out[4 * c + k + 1]);
			}
			acc[k].c[e] = zk_acc_reduce(&a0);
			acc[k + 1].c[e] = zk_acc_reduce(&a1);
		}
}

/* acc plus Σ α·C(x) over the aux constraints at position i (row r). */
static zk_ext aux_sum(struct zk_prover *pv, struct comp_scratch *s,
		      size_t i, size_t r, zk_ext acc)
{
	const struct zk_air *air = pv->air;
	size_t mw = air->main_width, aw = air->aux_width;
	size_t np = air->n_periodic;
	const zk_gl *cur = s->cur + r * mw, *nxt = s->nxt + r * mw;
	const zk_ext *acur = s->aux.cur + r * aw, *anxt = s->aux.nxt + r * aw;

	if (air->eval_aux_base != NULL) {
		for (size_t j = 0; j < np; j++)
			s->perb[j] = zk_prover_periodic_at(pv, j, i);
		air->eval_aux_base(air->ctx, cur, nxt, acur, anxt, s->perb,
				   pv->rand, s->outa);
	} else {
		for (size_t c = 0; c < mw; c++) {
			s->curx[c] = zk_ext_from_base(cur[c]);
			s->nxtx[c] = zk_ext_from_base(nxt[c]);
		}
		for (size_t j = 0; j < np; j++)
			s->perx[j] = zk_ext_from_base(
				zk_prover_periodic_at(pv, j, i));
		air->eval_aux(air->ctx, s->curx, s->nxtx, acur, anxt,
			      s->perx, pv->rand, s->outa);
	}
	return zk_ext_add(acc, zk_aux_eval_combine(&s->aux, s->outa));
}

/*
 * Columns of the tile (positions i..i+len-1) and of their next rows into
 * s->tcur / s->tnxt, column-major with stride COMP_ROWS, for
 * eval_main_x4. Read in place, the LDE's columns are a power of two apart
 * and all fall in the same cache sets: four rows of 236 columns missed in
 * every level. Copied, each column is one short sequential run.
 */
static void copy_tile(const struct zk_prover *pv, struct comp_scratch *s,
		      size_t i, size_t len)
{
	size_t mw = pv->air->main_width, stride = pv->view_stride;
	size_t at = i - pv->view_base;
	bool runs = s->nx[len - 1] == s->nx[0] + len - 1;
	const zk_gl *col = pv->main_view;

	for (size_t c = 0; c < mw; c++, col += stride) {
		zk_gl *cur = s->tcur + c * COMP_ROWS, *nxt = s->tnxt + c * COMP_ROWS;

		if (c + GATHER_PREFETCH < mw) {
			const zk_gl *ahead = col + GATHER_PREFETCH * stride;

			for (size_t k = 0; k < len; k += 8) {
				__builtin_prefetch(ahead + at + k);
				__builtin_prefetch(ahead + s->nx[k]);
			}
			__builtin_prefetch(ahead + at + len - 1);
			__builtin_prefetch(ahead + s->nx[len - 1]);
		}
		memcpy(cur, col + at, len * sizeof(zk_gl));
		if (runs) {
			memcpy(nxt, col + s->nx[0], len * sizeof(zk_gl));
			continue;
		}
		for (size_t k = 0; k < len; k++)
			nxt[k] = col[s->nx[k]];
	}
}

/*
 * Σ α·C(x) over all transition constraints at positions i..i+len-1.
 * With eval_main_x4 the main constraints of four rows at a time are
 * evaluated on the tile's columns (copy_tile); rows are copied out only
 * for the aux constraints (from the tile) or eval_main.
 */
static void tile_sums(struct zk_prover *pv, struct comp_scratch *s, size_t i,
		      size_t len, zk_ext *sums)
{
	const struct zk_air *air = pv->air;
	bool x4 = air->eval_main_x4 != NULL;
	bool rows = !x4 || air->aux_width > 0;

	if (rows && !x4)
		gather_rows(pv, s, i, len);
	else
		next_rows(pv, s, i, len);
	if (x4)
		copy_tile(pv, s, i, len);
	if (rows && x4)
		zk_rows_from_tile(s->tcur, s->tnxt, COMP_ROWS, air->main_width,
				  len, s->cur, s->nxt);
	if (air->aux_width > 0)
		zk_aux_eval_tile(&s->aux, pv->aux_view, pv->aux_stride,
				 i - pv->view_base, s->nx, len);
	for (size_t r = 0; r < len;) {
		if (x4 && r + 4 <= len) {
			main_sums_x4(pv, s, i + r, r, sums + r);
			for (size_t k = r; rows && k < r + 4; k++)
				sums[k] = aux_sum(pv, s, i + k, k, sums[k]);
			r += 4;
			continue;
		}
		if (!rows)
			gather_row(pv, s, i + r, r);
		sums[r] = main_sum(pv, s, i + r, r);
		if (air->aux_width > 0)
			sums[r] = aux_sum(pv, s, i + r, r, sums[r]);
		r++;
	}
}

/*
 * Σ α_j·(T_j(x) - v_j)/(x - ω^r_j) added over one block into dst (limb e
 * of position blo + k at dst[e·dst_stride + k]).
 */
static void boundary_block(struct zk_prover *pv, struct comp_scratch *s,
			   size_t blo, size_t len, zk_gl *dst,
			   size_t dst_stride)
{
	size_t stride = pv->view_stride, at = blo - pv->view_base;
	size_t astride = pv->aux_stride;
	zk_gl w_n = zk_gl_root_of_unity(pv->log_n);

	for (size_t a = 0; a < pv->n_asrt;) {
		uint64_t row = pv->asrt[a].row;
		zk_gl root = zk_gl_pow(w_n, row);

		for (size_t k = 0; k < len; k++) {
			s->den[k] = zk_gl_sub(s->xs[k], root);
			s->num[k] = zk_ext_zero();
		}
		/* D ∩ H = ∅: a zero cannot happen */
		if (zk_gl_batch_inv(s->inv, s->den, len) != 0)
			__atomic_store_n(&pv->failed, 1, __ATOMIC_RELAXED);
		/* pv->asrt is sorted by row: this group is contiguous */
		for (; a < pv->n_asrt && pv->asrt[a].row == row; a++) {
			const struct zk_assertion *as = &pv->asrt[a];
			zk_ext alpha = pv->asrt_alpha[a];

			if (as->segment == ZK_SEG_MAIN) {
				/* main values are in F_p: one base product each */
				const zk_gl *col = pv->main_view +
						   as->column * stride + at;

				for (size_t k = 0; k < len; k++)
					s->num[k] = zk_ext_add(s->num[k],
						zk_ext_mul_base(alpha,
							zk_gl_sub(col[k], as->value.c[0])));
				continue;
			}
			for (size_t k = 0; k < len; k++) {
				zk_ext t = zk_ext_gather(pv->aux_view +
					ZK_EXT_DEGREE * as->column * astride + at + k,
					astride);

				s->num[k] = zk_ext_add(s->num[k], zk_ext_mul(alpha,
						zk_ext_sub(t, as->value)));
			}
		}
		for (size_t k = 0; k < len; k++) {
			zk_ext term = zk_ext_mul_base(s->num[k], s->inv[k]);

			for (unsigned e = 0; e < ZK_EXT_DEGREE; e++)
				dst[e * dst_stride + k] = zk_gl_add(
					dst[e * dst_stride + k], term.c[e]);
		}
	}
}

struct comp_job {
	struct zk_prover *pv;
	size_t first_blk; /* the range's block 0 */
};

/* Q at positions of blocks [lo, hi) (from job->first_blk on) of s·H_M. */
static void composition_blocks(void *arg, size_t lo, size_t hi)
{
	struct comp_job *job = arg;
	struct zk_prover *pv = job->pv;
	unsigned log_d = pv->log_domain, b = pv->p->log_blowup;
	size_t bsize = (size_t)1 << pv->log_block, q_len = pv->q_len;
	struct comp_scratch s;
	zk_ext sums[COMP_ROWS];
	zk_gl *mem = comp_scratch_alloc(pv->air, &s);
	/* natural order: Q waits here until the block's rows are read */
	zk_gl *held = pv->view_natural ?
		      malloc(ZK_EXT_DEGREE * bsize * sizeof(zk_gl)) : NULL;

	if (mem == NULL || (pv->view_natural && held == NULL) ||
	    (pv->air->aux_width > 0 &&
	     zk_aux_eval_init(&s.aux, pv, COMP_ROWS) != 0)) {
		__atomic_store_n(&pv->failed, 1, __ATOMIC_RELAXED);
		free(held);
		free(mem);
		return;
	}
	for (size_t blk = job->first_blk + lo; blk < job->first_blk + hi; blk++) {
		size_t blo = blk * bsize;
		size_t len = q_len - blo < bsize ? q_len - blo : bsize;
		zk_gl *dst = held != NULL ? held : pv->q + blo;
		size_t dst_stride = held != NULL ? bsize : q_len;

		if (pv->view_natural)
			zk_prover_points_natural(pv, blo, len, s.xs);
		else
			zk_prover_points(pv, blo, len, s.xs);
		for (size_t k = 0; k < len; k += COMP_ROWS) {
			size_t rows = len - k < COMP_ROWS ? len - k : COMP_ROWS;

			tile_sums(pv, &s, blo + k, rows, sums);
			for (size_t r = 0; r < rows; r++) {
				size_t i = blo + k + r;
				/* transition constraints hold on every row but
				 * the last */
				zk_gl factor = zk_gl_mul(
					zk_gl_sub(s.xs[k + r], pv->last_row),
					pv->zinv_by_high[i >> (log_d - b)]);

				zk_ext_scatter(zk_ext_mul_base(sums[r], factor),
					       dst + k + r, dst_stride);
			}
		}
		boundary_block(pv, &s, blo, len, dst, dst_stride);
		if (held != NULL)
			zk_prover_natural_store(pv, blo, len, held);
	}
	if (pv->air->aux_width > 0)
		zk_aux_eval_free(&s.aux);
	free(held);
	free(mem);
}

zk_gl zk_prover_block_shift(const struct zk_prover *pv, size_t h)
{
	unsigned b = pv->p->log_blowup;

	return zk_gl_mul(ZK_GL_MULTIPLICATIVE_GENERATOR,
			 zk_gl_pow(zk_gl_root_of_unity(pv->log_domain),
				   zk_stark_rev_bits(h, b)));
}

int zk_prover_extend(const struct zk_prover *pv, zk_gl *const *coeffs,
		     size_t ncols, zk_gl *const *out)
{
	size_t blowup = (size_t)1 << pv->p->log_blowup, n = pv->n;
	zk_gl **blk = malloc((ncols + 1) * sizeof(zk_gl *));
	int rc = 0;

	if (blk == NULL)
		return ZK_STARK_ENOMEM;
	/* last block first: out may hold the coefficients in its block 0 */
	for (size_t h = blowup; rc == 0 && h-- > 0;) {
		for (size_t c = 0; c < ncols; c++) {
			blk[c] = out[c] + h * n;
			if (blk[c] != coeffs[c])
				memcpy(blk[c], coeffs[c], n * sizeof(zk_gl));
		}
		rc = zk_ntt_coset_forward(blk, ncols, pv->log_n,
					  zk_prover_block_shift(pv, h), pv->threads);
	}
	free(blk);
	return rc == 0 ? 0 : ZK_STARK_ENOMEM;
}

int zk_prover_block(const struct zk_prover *pv, const zk_gl *const *coeffs,
		    size_t ncols, size_t h, zk_gl *buf)
{
	zk_gl **cols = malloc((ncols + 1) * sizeof(zk_gl *));
	int rc;

	if (cols == NULL)
		return ZK_STARK_ENOMEM;
	for (size_t c = 0; c < ncols; c++) {
		cols[c] = buf + c * pv->n;
		memcpy(cols[c], coeffs[c], pv->n * sizeof(zk_gl));
	}
	/* coefficients the prover made: canonical */
	rc = zk_ntt_coset_forward_trusted(cols, ncols, pv->log_n,
					  zk_prover_block_shift(pv, h),
					  pv->threads);
	free(cols);
	return rc == 0 ? 0 : ZK_STARK_ENOMEM;
}

/* Column c of a segment whose coefficients are n apart from base. */
static int seg_block(const struct zk_prover *pv, const zk_gl *base,
		     size_t ncols, size_t h, zk_gl *buf)
{
	const zk_gl **cols = malloc((ncols + 1) * sizeof(zk_gl *));
	int rc;

	if (cols == NULL)
		return ZK_STARK_ENOMEM;
	for (size_t c = 0; c < ncols; c++)
		cols[c] = base + c * pv->n;
	rc = zk_prover_block(pv, cols, ncols, h, buf);
	free(cols);
	return rc;
}

int zk_prover_main_block(void *arg, size_t h, zk_gl *buf)
{
	struct zk_prover *pv = arg;

	if (pv->main_coeffs == NULL)
		return zk_prover_block_from_trace(pv, false, h, buf);
	return seg_block(pv, pv->main_coeffs, pv->air->main_width, h, buf);
}

int zk_prover_aux_block(void *arg, size_t h, zk_gl *buf)
{
	struct zk_prover *pv = arg;

	if (pv->aux_coeffs == NULL)
		return zk_prover_block_from_trace(pv, true, h, buf);
	return seg_block(pv, pv->aux_coeffs,
			 ZK_EXT_DEGREE * (size_t)pv->air->aux_width, h, buf);
}

/* composition column ZK_EXT_DEGREE·k + e: limb e of chunk k's coefficients */
int zk_prover_comp_block(void *arg, size_t h, zk_gl *buf)
{
	struct zk_prover *pv = arg;
	size_t ncols = ZK_EXT_DEGREE * pv->shape.n_chunks;
	const zk_gl **cols = malloc((ncols + 1) * sizeof(zk_gl *));
	int rc;

	if (cols == NULL)
		return ZK_STARK_ENOMEM;
	for (size_t c = 0; c < ncols; c++)
		cols[c] = pv->q + (c % ZK_EXT_DEGREE) * pv->q_len +
			  (c / ZK_EXT_DEGREE) * pv->n;
	rc = zk_prover_block(pv, cols, ncols, h, buf);
	free(cols);
	return rc;
}

/*
 * The constraints on positions [0, q_len). Stored LDEs are read in place;
 * a streaming prover makes the main and aux blocks of one coset of H_n
 * at a time (a position's next row is in its own block) and drops them.
 */
static int evaluate_quotient(struct zk_prover *pv)
{
	size_t n = pv->n, bsize = (size_t)1 << pv->log_block;
	size_t mw = pv->air->main_width;
	size_t aw3 = ZK_EXT_DEGREE * (size_t)pv->air->aux_width;
	struct comp_job job = { .pv = pv };
	zk_gl *mbuf = NULL, *abuf = NULL;
	bool in_place;
	int rc = 0;

	if (!pv->streaming) {
		pv->main_view = pv->main_lde;
		pv->aux_view = pv->aux_lde;
		pv->view_stride = pv->aux_stride = pv->big_n;
		pv->view_base = 0;
		zk_prover_parallel_for(pv->threads,
				       (pv->q_len + bsize - 1) / bsize,
				       composition_blocks, &job);
		return pv->failed ? ZK_STARK_ENOMEM : 0;
	}
	/* aux values dropped: its held coefficients become each block */
	in_place = aw3 > 0 && pv->aux == NULL;
	mbuf = zk_big_alloc(mw * n * sizeof(zk_gl), true);
	abuf = in_place ? pv->aux_coeffs :
	       zk_big_alloc((aw3 * n + 1) * sizeof(zk_gl), true);
	if (mbuf == NULL || abuf == NULL)
		rc = ZK_STARK_ENOMEM;
	pv->aux_view = abuf;
	pv->aux_stride = n;
	for (size_t h = 0; rc == 0 && h < pv->q_len / n; h++) {
		/* the last block's Q over its own main rows: mbuf goes first */
		bool last = h + 1 == pv->q_len / n && zk_prover_natural_fits(pv);

		if (last) {
			zk_big_free(mbuf);
			mbuf = NULL;
			rc = zk_prover_natural_main(pv, h);
		} else {
			pv->main_view = mbuf;
			pv->view_stride = n;
			rc = zk_prover_main_block(pv, h, mbuf);
		}
		if (rc == 0 && aw3 > 0)
			rc = in_place ? zk_prover_aux_in_place(pv, h, true) :
			     zk_prover_aux_block(pv, h, abuf);
		pv->view_base = h * n;
		if (rc == 0 && last)
			rc = zk_prover_natural_enter(pv, abuf, aw3);
		if (rc != 0)
			break;
		job.first_blk = h * n / bsize;
		zk_prover_parallel_for(pv->threads, n / bsize,
				       composition_blocks, &job);
		if (pv->failed)
			rc = ZK_STARK_ENOMEM;
		if (last)
			zk_prover_natural_leave(pv, abuf, aw3);
		if (in_place && zk_prover_aux_in_place(pv, h, false) != 0)
			rc = ZK_STARK_ENOMEM;
	}
	if (in_place)
		abuf = NULL;
	zk_big_free(mbuf);
	zk_big_free(abuf);
	pv->main_view = pv->aux_view = NULL;
	return rc;
}

/* pv->q: the chunks' coefficients, from the constraints on the first
 * n_chunks blocks of D (on all of D with debug). */
static int make_quotient(struct zk_prover *pv, bool debug, char *err,
			 size_t errlen)
{
	int rc;

	pv->q_len = debug ? pv->big_n : pv->shape.n_chunks * pv->n;
	pv->q = zk_big_alloc(zk_prover_q_columns(pv) * pv->q_len *
			     sizeof(zk_gl), pv->streaming);
	if (pv->q == NULL)
		return ZK_STARK_ENOMEM;
	rc = evaluate_quotient(pv);
	if (pv->streaming) {
		/* remade from the trace for the openings; not held meanwhile
		 * (the aux ones are the aux segment itself once its values
		 * are dropped) */
		zk_big_free(pv->main_coeffs);
		pv->main_coeffs = NULL;
		if (pv->aux != NULL) {
			zk_big_free(pv->aux_coeffs);
			pv->aux_coeffs = NULL;
		}
	}
	if (rc == 0)
		rc = debug ? zk_prover_interpolate_domain(pv, err, errlen) :
			     zk_prover_interpolate_blocks(pv);
	return rc;
}

int zk_prover_remake_quotient(struct zk_prover *pv)
{
	zk_big_free(pv->q);
	pv->q = NULL;
	return make_quotient(pv, false, NULL, 0);
}

int zk_prover_commit_composition(struct zk_prover *pv, bool debug, char *err,
				 size_t errlen)
{
	size_t big_n = pv->big_n, n = pv->n, chunks = pv->shape.n_chunks;
	size_t q_len;
	size_t ncols = ZK_EXT_DEGREE * chunks;
	zk_gl **cols, **coeffs, *buf;
	int rc;

	rc = prepare_domain(pv);
	if (rc == 0)
		rc = make_quotient(pv, debug, err, errlen);
	if (rc != 0)
		return rc;
	q_len = pv->q_len;
	if (pv->streaming) {
		unsigned split = zk_prover_comp_split(pv);

		buf = zk_big_alloc(ncols * (n >> split) * sizeof(zk_gl), true);
		if (buf == NULL)
			return ZK_STARK_ENOMEM;
		rc = zk_prover_commit_tree_blocks(&pv->comp_tree, pv->p->hash,
						  ncols, big_n,
						  (big_n / n) << split,
						  zk_prover_comp_split_block,
						  pv, buf, pv->threads);
		zk_big_free(buf);
		return rc;
	}
	pv->comp_lde = malloc(ncols * big_n * sizeof(zk_gl));
	cols = calloc(2 * ncols, sizeof(zk_gl *));
	if (pv->comp_lde == NULL || cols == NULL) {
		free(cols);
		return ZK_STARK_ENOMEM;
	}
	coeffs = cols + ncols;
	for (size_t k = 0; k < chunks; k++)
		for (size_t h = 0; h < ZK_EXT_DEGREE; h++) {
			size_t c = ZK_EXT_DEGREE * k + h;

			cols[c] = pv->comp_lde + c * big_n;
			coeffs[c] = pv->q + h * q_len + k * n;
		}
	rc = zk_prover_extend(pv, coeffs, ncols, cols);
	free(cols);
	if (rc != 0)
		return rc;
	return zk_prover_commit_tree(&pv->comp_tree, pv->p->hash, pv->comp_lde,
				     ncols, big_n, pv->threads);
}
