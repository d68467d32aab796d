/* SPDX-License-Identifier: MIT */
/*
 * Prover step 7 (docs/stark.md): the DEEP composition over D, plus the
 * thread helper every hot loop uses (step 6 is in prover_ood.c).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "air_next.h"
#include "ntt.h"
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

/* ---- step 7: DEEP composition ---- */

/*
 * 1/(x - w) for x in F_p and a fixed w = w0 + w1·X + w2·X^2 ∉ F_p. With
 * a0 = x - w0 the adjugate of x - w (ext3.h) is
 *   t0 = a0^2 - k0,  t1 = k1 + a0·w1,  t2 = k2 + a0·w2
 * (k0 = 7·w1·w2, k1 = 7·w2^2, k2 = w1^2) and the norm is
 *   N = a0·(a0^2 - 3·k0) - 7·(7·w2^3 + w1^3),
 * so a block of points needs two base products each for N, one base batch
 * inversion for the block, and three more products for t.
 */
struct deep_den {
	zk_gl w0, w1, w2, k0, k1, k2, k0x3, cst;
};

static struct deep_den deep_den(zk_ext w)
{
	struct deep_den d = { .w0 = w.c[0], .w1 = w.c[1], .w2 = w.c[2] };
	zk_gl w1sq = zk_gl_sqr(d.w1), w2sq = zk_gl_sqr(d.w2);

	d.k0 = zk_ext_mul_nonresidue(zk_gl_mul(d.w1, d.w2));
	d.k1 = zk_ext_mul_nonresidue(w2sq);
	d.k2 = w1sq;
	d.k0x3 = zk_gl_add(zk_gl_add(d.k0, d.k0), d.k0);
	d.cst = zk_ext_mul_nonresidue(zk_gl_add(
		zk_ext_mul_nonresidue(zk_gl_mul(w2sq, d.w2)),
		zk_gl_mul(w1sq, d.w1)));
	return d;
}

static inline zk_gl deep_den_norm(const struct deep_den *d, zk_gl x)
{
	zk_gl a0 = zk_gl_sub(x, d->w0);

	return zk_gl_sub(zk_gl_mul(a0, zk_gl_sub(zk_gl_sqr(a0), d->k0x3)),
			 d->cst);
}

static inline zk_ext deep_den_inv(const struct deep_den *d, zk_gl x,
				  zk_gl norm_inv)
{
	zk_gl a0 = zk_gl_sub(x, d->w0);
	zk_ext t = zk_gl3_make(zk_gl_sub(zk_gl_sqr(a0), d->k0),
			       zk_gl_add(d->k1, zk_gl_mul(a0, d->w1)),
			       zk_gl_add(d->k2, zk_gl_mul(a0, d->w2)));

	return zk_ext_mul_base(t, norm_inv);
}

/*
 * F(x) = (A(x) - A(z))/(x - z) + (B(x) - B(zω))/(x - zω) with
 * A = Σ_c γ_c·T_c + Σ_k γ''_k·Q_k and B = Σ_(c read at the next row)
 * γ'_c·T_c (each γ the coefficient of its OOD value), both of degree
 * < n. A and B are formed on H from the trace, interpolated and the chunks
 * added as coefficients. Both divisions are exact (A(z) and B(zω) are the
 * OOD sums, the same field elements), so F itself is a polynomial of
 * degree < n - 1: its coefficients come from A's and B's by synthetic
 * division, and F on a block of D is ZK_EXT_DEGREE size-n coset transforms
 * of them (not 2·ZK_EXT_DEGREE plus two inversions per point), with half
 * of A and B's memory kept. The values of F are the same field elements.
 */
#define DEEP_ROWS 256
#define AB_COLS (2 * ZK_EXT_DEGREE)
/* rows of A and B that deep_rows forms together */
#define DEEP_ROW_TILE 8

struct zk_deep_job {
	struct zk_prover *pv;
	const zk_gl *const *trace;
	/* A.c0..c2, B.c0..c2: n on H, then coefficients; after
	 * deep_divide ab[0..2] hold F's coefficients and B's are freed */
	zk_gl *ab[AB_COLS];
	unsigned ab_lo, ab_hi; /* deep_rows forms A (0, 1) or B (1, 2) or both */
	zk_gl *blk;         /* one limb of F on one coset block of D (n) */
	zk_ext *out;        /* F at position i: out[i - out_base] */
	size_t out_base;
	zk_ext a_z, b_zw;   /* A(z), B(zω) from the OOD values */
	bool fold, add_folded; /* deep_chunks' modes (deep_fold_chunks) */
	/* where each group's coefficients start in pv->gammas (the OOD
	 * values' order) */
	struct zk_stark_ood_layout l;
	struct deep_den dz, dzw; /* 1/(x - z), 1/(x - zω) (deep_den) */
};

/*
 * An extension coefficient γ ready for products with extension values:
 * its coefficients and 7·γ1, 7·γ2 (X^3 = 7 folds the high terms down).
 */
struct ext_coef {
	zk_gl g0, g1, g2, g1w, g2w;
};

static struct ext_coef ext_coef(zk_ext g)
{
	return (struct ext_coef){ g.c[0], g.c[1], g.c[2],
				  zk_ext_mul_nonresidue(g.c[1]),
				  zk_ext_mul_nonresidue(g.c[2]) };
}

/* acc[0..2] += γ·v, unreduced (the schoolbook product of zk_gl3_mul). */
static inline void mac_ext(struct zk_acc *a0, struct zk_acc *a1,
			   struct zk_acc *a2, const struct ext_coef *g,
			   zk_gl v0, zk_gl v1, zk_gl v2)
{
	zk_acc_mac(a0, g->g0, v0);
	zk_acc_mac(a0, g->g1w, v2);
	zk_acc_mac(a0, g->g2w, v1);
	zk_acc_mac(a1, g->g0, v1);
	zk_acc_mac(a1, g->g1, v0);
	zk_acc_mac(a1, g->g2w, v2);
	zk_acc_mac(a2, g->g0, v2);
	zk_acc_mac(a2, g->g1, v1);
	zk_acc_mac(a2, g->g2, v0);
}

/* acc[0..2] += γ·v for v in F_p. */
static inline void mac_base(struct zk_acc *a, zk_ext g, zk_gl v)
{
	zk_acc_mac(&a[0], g.c[0], v);
	zk_acc_mac(&a[1], g.c[1], v);
	zk_acc_mac(&a[2], g.c[2], v);
}

/* Rows [lo, hi) of A and B on H (natural order). */
static void deep_rows(void *arg, size_t lo, size_t hi)
{
	struct zk_deep_job *job = arg;
	struct zk_prover *pv = job->pv;
	const struct zk_air *air = pv->air;
	size_t mw = air->main_width, aw = air->aux_width;
	size_t nm = pv->shape.main_next, na = pv->shape.aux_next;
	const zk_ext *g = pv->gammas;
	struct zk_acc acc[DEEP_ROW_TILE][AB_COLS];
	/* the tile's rows, column-major: tile[c·DEEP_ROW_TILE + k] */
	zk_gl *tile = malloc((mw + 1) * DEEP_ROW_TILE * sizeof(zk_gl));

	if (tile == NULL) {
		__atomic_store_n(&pv->failed, 1, __ATOMIC_RELAXED);
		return;
	}
	for (size_t r0 = lo; r0 < hi; r0 += DEEP_ROW_TILE) {
		size_t len = hi - r0 < DEEP_ROW_TILE ? hi - r0 : DEEP_ROW_TILE;

		/*
		 * The tile's line of every main column copied out once.
		 * Read in place, the sums below walked all columns 2·len
		 * times and the lines did not survive from one walk to the
		 * next (hundreds of columns, often a power of two apart,
		 * so in few cache sets): most products waited on L2 or L3.
		 * No hardware prefetcher follows hundreds of columns: the
		 * next tile's line of each is asked for now.
		 */
		for (size_t c = 0; c < mw; c++) {
			const zk_gl *col = job->trace[c] + r0;

			zk_gl *dst = tile + c * DEEP_ROW_TILE;

			if (r0 + len < hi)
				__builtin_prefetch(col + len);
			/* a constant size: two vector moves, not rep movs */
			if (len == DEEP_ROW_TILE)
				memcpy(dst, col, DEEP_ROW_TILE * sizeof(zk_gl));
			else
				for (size_t k = 0; k < len; k++)
					dst[k] = col[k];
		}
		/*
		 * Main columns: one row and one of A, B at a time, its three
		 * sums in registers across the columns (sums kept in memory
		 * cost a load and a store per product).
		 */
		for (size_t k = 0; k < len; k++)
			for (size_t h = job->ab_lo; h < job->ab_hi; h++) {
				struct zk_acc a0 = { 0 }, a1 = { 0 }, a2 = { 0 };

				/* A: every column; B: the next-row ones */
				for (size_t c = 0; h == 0 && c < mw; c++) {
					zk_gl v = tile[c * DEEP_ROW_TILE + k];
					const zk_gl *gc = g[job->l.main_cur + c].c;

					zk_acc_mac(&a0, gc[0], v);
					zk_acc_mac(&a1, gc[1], v);
					zk_acc_mac(&a2, gc[2], v);
				}
				for (size_t j = 0; h == 1 && j < nm; j++) {
					size_t c = zk_air_next_col(air, ZK_SEG_MAIN,
								   (uint32_t)j);
					zk_gl v = tile[c * DEEP_ROW_TILE + k];
					const zk_gl *gc = g[job->l.main_nxt + j].c;

					zk_acc_mac(&a0, gc[0], v);
					zk_acc_mac(&a1, gc[1], v);
					zk_acc_mac(&a2, gc[2], v);
				}
				acc[k][ZK_EXT_DEGREE * h] = a0;
				acc[k][ZK_EXT_DEGREE * h + 1] = a1;
				acc[k][ZK_EXT_DEGREE * h + 2] = a2;
			}
		for (size_t h = job->ab_lo; pv->aux != NULL && h < job->ab_hi;
		     h++)
			for (size_t j = 0; j < (h ? na : aw); j++) {
				size_t c = h ? zk_air_next_col(air, ZK_SEG_AUX, j) : j;
				const zk_ext *col = pv->aux[c] + r0;
				struct ext_coef gh = ext_coef(g[(h ? job->l.aux_nxt :
							job->l.aux_cur) + j]);
				size_t b = ZK_EXT_DEGREE * h;

				for (size_t k = 0; k < len; k++) {
					const zk_gl *v = col[k].c;

					mac_ext(&acc[k][b], &acc[k][b + 1],
						&acc[k][b + 2], &gh, v[0], v[1],
						v[2]);
				}
			}
		for (size_t h = ZK_EXT_DEGREE * job->ab_lo;
		     h < ZK_EXT_DEGREE * job->ab_hi; h++)
			for (size_t k = 0; k < len; k++)
				job->ab[h][r0 + k] = zk_acc_reduce(&acc[k][h]);
	}
	free(tile);
}

/*
 * Narrow AIRs: the same sums taken at every point of D from the LDEs,
 * positions [lo, hi), chunks included, into ab[h][i - ab_base]. For a few
 * columns this costs less than extending 2·ZK_EXT_DEGREE columns.
 */
static void deep_lde_rows(struct zk_deep_job *job, size_t lo, size_t hi,
			  zk_gl *const *ab, size_t ab_base)
{
	struct zk_prover *pv = job->pv;
	const struct zk_air *air = pv->air;
	size_t mw = air->main_width, aw = air->aux_width;
	size_t chunks = pv->shape.n_chunks, big_n = pv->big_n;
	const struct zk_stark_ood_layout *l = &job->l;
	const zk_ext *g = pv->gammas;
	struct zk_acc acc[DEEP_ROWS][AB_COLS];

	for (size_t r0 = lo; r0 < hi; r0 += DEEP_ROWS) {
		size_t len = hi - r0 < DEEP_ROWS ? hi - r0 : DEEP_ROWS;

		memset(acc, 0, sizeof(acc));
		for (size_t c = 0; c < mw; c++) {
			const zk_gl *col = pv->main_lde + c * big_n + r0;
			zk_ext ga = g[l->main_cur + c];

			for (size_t k = 0; k < len; k++)
				mac_base(&acc[k][0], ga, col[k]);
		}
		for (size_t j = 0; j < pv->shape.main_next; j++) {
			size_t c = zk_air_next_col(air, ZK_SEG_MAIN, j);
			const zk_gl *col = pv->main_lde + c * big_n + r0;
			zk_ext gb = g[l->main_nxt + j];

			for (size_t k = 0; k < len; k++)
				mac_base(&acc[k][ZK_EXT_DEGREE], gb, col[k]);
		}
		/* aux T(z), chunks, then aux T(zω) of the next-row columns */
		for (size_t c = 0; c < aw + chunks + pv->shape.aux_next; c++) {
			bool is_b = c >= aw + chunks;
			size_t ac = is_b ? zk_air_next_col(air, ZK_SEG_AUX,
						c - aw - chunks) : c;
			const zk_gl *src = c < aw || is_b ?
				pv->aux_lde + ZK_EXT_DEGREE * ac * big_n :
				pv->comp_lde + ZK_EXT_DEGREE * (c - aw) * big_n;
			const zk_gl *v0 = src + r0, *v1 = v0 + big_n, *v2 = v1 + big_n;
			/* the OOD order: aux_cur, aux_nxt, comp */
			struct ext_coef gc = ext_coef(g[c < aw ? l->aux_cur + c :
				is_b ? l->aux_nxt + c - aw - chunks :
				l->comp + c - aw]);
			size_t b = is_b ? ZK_EXT_DEGREE : 0;

			for (size_t k = 0; k < len; k++)
				mac_ext(&acc[k][b], &acc[k][b + 1], &acc[k][b + 2],
					&gc, v0[k], v1[k], v2[k]);
		}
		for (size_t h = 0; h < AB_COLS; h++)
			for (size_t k = 0; k < len; k++)
				ab[h][r0 + k - ab_base] = zk_acc_reduce(&acc[k][h]);
	}
}

/*
 * A += Σ_k γ''_k·Q_k on coefficients, for coefficients [lo, hi). With
 * job->fold the sum goes into chunk 0's place in q instead (C below);
 * with job->add_folded A += C from there.
 */
static void deep_chunks(void *arg, size_t lo, size_t hi)
{
	struct zk_deep_job *job = arg;
	struct zk_prover *pv = job->pv;
	size_t n = pv->n, q_len = pv->q_len, chunks = pv->shape.n_chunks;
	const zk_ext *g = pv->gammas + job->l.comp;

	for (size_t j = lo; j < hi; j++) {
		struct zk_acc a[ZK_EXT_DEGREE] = { 0 };

		if (job->add_folded) {
			for (unsigned h = 0; h < ZK_EXT_DEGREE; h++)
				job->ab[h][j] = zk_gl_add(job->ab[h][j],
							  pv->q[h * q_len + j]);
			continue;
		}
		for (size_t k = 0; k < chunks; k++) {
			const zk_gl *v = pv->q + k * n + j;
			struct ext_coef gk = ext_coef(g[k]);

			mac_ext(&a[0], &a[1], &a[2], &gk, v[0], v[q_len],
				v[2 * q_len]);
		}
		for (unsigned h = 0; h < ZK_EXT_DEGREE; h++) {
			zk_gl c = zk_acc_reduce(&a[h]);

			if (job->fold)
				pv->q[h * q_len + j] = c;
			else
				job->ab[h][j] = zk_gl_add(job->ab[h][j], c);
		}
	}
}

/*
 * Streaming, the chunks dropped after DEEP: C = Σ_k γ''_k·Q_k is formed
 * first, in chunk 0's place (each coefficient reads only its own index),
 * and the other chunks' pages released, before A exists: the step held
 * the chunks, the aux coefficients and A together (6 B per main cell
 * more for the range AIR). A + C is the same field element either way.
 */
static void deep_fold_chunks(struct zk_deep_job *job)
{
	struct zk_prover *pv = job->pv;
	size_t n = pv->n, q_len = pv->q_len;

	job->fold = true;
	zk_prover_parallel_for(pv->threads, n, deep_chunks, job);
	job->fold = false;
	for (unsigned h = 0; h < ZK_EXT_DEGREE; h++)
		zk_prover_release_pages(pv->q, pv->q + h * q_len + n,
					(q_len - n) * sizeof(zk_gl));
}

/*
 * F at the block of D starting at blo from A and B there: ab[h][k] at
 * position blo + k, the three limbs of A (of B) `stride` apart.
 */
static int deep_block(struct zk_deep_job *job, size_t blo, zk_gl *buf,
		      const zk_gl *ab, size_t stride)
{
	struct zk_prover *pv = job->pv;
	size_t bsize = (size_t)1 << pv->log_block;
	zk_gl *xs = buf, *norm = xs + bsize, *ninv = norm + 2 * bsize;

	zk_prover_points(pv, blo, bsize, xs);
	/* both points' norms in one base-field batch inversion */
	for (size_t k = 0; k < bsize; k++) {
		norm[k] = deep_den_norm(&job->dz, xs[k]);
		norm[bsize + k] = deep_den_norm(&job->dzw, xs[k]);
	}
	if (zk_gl_batch_inv(ninv, norm, 2 * bsize) != 0)
		return -1;
	for (size_t k = 0; k < bsize; k++) {
		zk_ext i1 = deep_den_inv(&job->dz, xs[k], ninv[k]);
		zk_ext i2 = deep_den_inv(&job->dzw, xs[k], ninv[bsize + k]);
		zk_ext s1 = zk_ext_sub(zk_ext_gather(ab + k, stride), job->a_z);
		zk_ext s2 = zk_ext_sub(zk_ext_gather(ab + ZK_EXT_DEGREE * stride + k,
						     stride), job->b_zw);

		job->out[blo + k - job->out_base] =
			zk_ext_mul_add2(s1, i1, s2, i2);
	}
	return 0;
}

/*
 * Narrow AIRs, blocks [lo, hi) of D: A and B summed from the LDEs one
 * block at a time into a block-sized scratch, then F there, so that A and
 * B never exist over all of D (2·ZK_EXT_DEGREE base columns, more memory
 * than a narrow trace's own LDE).
 */
static void deep_lde_points(void *arg, size_t lo, size_t hi)
{
	struct zk_deep_job *job = arg;
	struct zk_prover *pv = job->pv;
	size_t bsize = (size_t)1 << pv->log_block;
	zk_gl *buf = malloc((5 + AB_COLS) * bsize * sizeof(zk_gl));
	zk_gl *ab[AB_COLS];

	if (buf == NULL) {
		__atomic_store_n(&pv->failed, 1, __ATOMIC_RELAXED);
		return;
	}
	for (size_t h = 0; h < AB_COLS; h++)
		ab[h] = buf + (5 + h) * bsize;
	for (size_t blk = lo; blk < hi; blk++) {
		size_t blo = blk * bsize;

		deep_lde_rows(job, blo, blo + bsize, ab, blo);
		if (deep_block(job, blo, buf, ab[0], bsize) != 0) {
			__atomic_store_n(&pv->failed, 1, __ATOMIC_RELAXED);
			break;
		}
	}
	free(buf);
}

/*
 * (P(X) - P(w))/(X - w) in place for P given by n coefficients
 * (ZK_EXT_DEGREE limbs n apart): Horner from the top, each running sum is
 * the quotient's coefficient one below. The remainder is P(w); it must be
 * `at`, the value the transcript holds, or F is not the polynomial whose
 * values the proof commits to. Returns 0 or -1.
 */
static int deep_divide(zk_gl *const *p, size_t n, zk_ext w, zk_ext at)
{
	zk_ext carry = zk_ext_zero();

	for (size_t i = n; i-- > 0;) {
		zk_ext a = zk_gl3_make(p[0][i], p[1][i], p[2][i]);

		for (unsigned c = 0; c < ZK_EXT_DEGREE; c++)
			p[c][i] = carry.c[c];
		carry = zk_ext_add(a, zk_ext_mul(w, carry));
	}
	return zk_gl3_eq(carry, at) ? 0 : -1;
}

/* F's coefficients into ab[0..2] from A's and B's; B's memory freed. */
static int deep_f_coeffs(struct zk_deep_job *job, zk_ext zw)
{
	struct zk_prover *pv = job->pv;
	zk_gl **b = job->ab + ZK_EXT_DEGREE;

	if (deep_divide(job->ab, pv->n, pv->z, job->a_z) != 0 ||
	    deep_divide(b, pv->n, zw, job->b_zw) != 0)
		return ZK_STARK_EINVAL;
	for (unsigned c = 0; c < ZK_EXT_DEGREE; c++)
		for (size_t i = 0; i < pv->n; i++)
			job->ab[c][i] = zk_gl_add(job->ab[c][i], b[c][i]);
	zk_big_free(b[0]);
	for (unsigned c = 0; c < ZK_EXT_DEGREE; c++)
		b[c] = NULL;
	return 0;
}

/* F on coset block h of D (positions [h·n, (h+1)·n)) into out: one limb
 * transformed at a time (a column of scratch, not ZK_EXT_DEGREE). */
static int deep_fill(struct zk_deep_job *job, size_t h, zk_ext *out)
{
	struct zk_prover *pv = job->pv;

	for (unsigned c = 0; c < ZK_EXT_DEGREE; c++) {
		if (zk_prover_block(pv, (const zk_gl *const *)job->ab + c, 1, h,
				    job->blk) != 0)
			return ZK_STARK_ENOMEM;
		for (size_t k = 0; k < pv->n; k++)
			out[k].c[c] = job->blk[k];
	}
	return 0;
}

/*
 * The aux values dropped (streaming): Σ_c γ·T_c added to A (ab_lo 0) or
 * B as coefficients, coefficients [lo, hi); the same as summing them on
 * H before the interpolation.
 */
static void deep_aux_coeffs(void *arg, size_t lo, size_t hi)
{
	struct zk_deep_job *job = arg;
	struct zk_prover *pv = job->pv;
	size_t n = pv->n;
	zk_gl **ab = job->ab + ZK_EXT_DEGREE * job->ab_lo;
	/* A: every aux column at z; B: the next-row ones at zω */
	bool is_b = job->ab_lo == 1;
	size_t cols = is_b ? pv->shape.aux_next : pv->air->aux_width;
	const zk_ext *gh = pv->gammas + (is_b ? job->l.aux_nxt : job->l.aux_cur);

	for (size_t j = lo; j < hi; j++) {
		struct zk_acc a[ZK_EXT_DEGREE] = { 0 };

		for (size_t i = 0; i < cols; i++) {
			size_t c = is_b ? zk_air_next_col(pv->air, ZK_SEG_AUX, i) : i;
			const zk_gl *v = pv->aux_coeffs + ZK_EXT_DEGREE * c * n + j;
			struct ext_coef g = ext_coef(gh[i]);

			mac_ext(&a[0], &a[1], &a[2], &g, v[0], v[n], v[2 * n]);
		}
		for (unsigned h = 0; h < ZK_EXT_DEGREE; h++)
			ab[h][j] = zk_gl_add(ab[h][j], zk_acc_reduce(&a[h]));
	}
}

/* The coefficients of A (lo 0), B (hi 2) or both into ab[3·lo .. 3·hi):
 * summed on H from the trace, interpolated. */
static int deep_sums(struct zk_deep_job *job, unsigned lo, unsigned hi)
{
	struct zk_prover *pv = job->pv;
	zk_gl **cols = job->ab + ZK_EXT_DEGREE * lo;
	size_t ncols = ZK_EXT_DEGREE * (size_t)(hi - lo);

	for (size_t h = 0; h < ncols; h++)
		cols[h] = cols[h / ZK_EXT_DEGREE * ZK_EXT_DEGREE] +
			  h % ZK_EXT_DEGREE * pv->n;
	job->ab_lo = lo;
	job->ab_hi = hi;
	zk_prover_parallel_for(pv->threads, pv->n, deep_rows, job);
	if (pv->failed) /* a worker's tile buffer */
		return ZK_STARK_ENOMEM;
	for (size_t h = 0; h < ncols; h++)
		zk_ntt_bitrev_permute(cols[h], pv->log_n);
	if (zk_ntt_inverse(cols, ncols, pv->log_n, pv->threads) != 0)
		return ZK_STARK_ENOMEM;
	for (unsigned half = lo; pv->aux == NULL && pv->air->aux_width > 0 &&
	     half < hi; half++) {
		job->ab_lo = half;
		zk_prover_parallel_for(pv->threads, pv->n, deep_aux_coeffs, job);
	}
	return 0;
}

int zk_prover_deep(struct zk_prover *pv, const zk_gl *const *trace)
{
	struct zk_deep_job *job = calloc(1, sizeof(*job));
	size_t mw = pv->air->main_width, aw = pv->air->aux_width;
	size_t nm = pv->shape.main_next, na = pv->shape.aux_next;
	size_t n = pv->n, big_n = pv->big_n;
	struct zk_stark_ood_layout l;
	zk_ext zw = zk_ext_mul_base(pv->z, zk_gl_root_of_unity(pv->log_n));
	bool drop;
	int rc = 0;

	if (job == NULL)
		return ZK_STARK_ENOMEM;
	job->pv = pv;
	job->trace = trace;
	job->out = pv->deep;
	job->dz = deep_den(pv->z);
	job->dzw = deep_den(zw);
	zk_stark_ood_layout(&pv->shape, &l);
	job->l = l;
	/* A(z): every T(z) and Q_k(z); B(zω): the T(zω) sent */
	job->a_z = job->b_zw = zk_ext_zero();
	for (size_t i = 0; i < l.total; i++) {
		zk_ext term = zk_ext_mul(pv->gammas[i], pv->ood[i]);
		bool at_zw = (i >= l.main_nxt && i < l.aux_cur) ||
			     (i >= l.aux_nxt && i < l.comp);

		if (at_zw)
			job->b_zw = zk_ext_add(job->b_zw, term);
		else
			job->a_z = zk_ext_add(job->a_z, term);
	}

	/*
	 * Word products per point of D if summed there (3 per main column
	 * and coefficient γ, 9 per extension one), against per row plus
	 * the 2·ZK_EXT_DEGREE extensions: measured (perf/bench_stark), a
	 * column's extension costs about log N products per point of D.
	 */
	if (!pv->streaming &&
	    (3 * (mw + nm) + 9 * (aw + na + pv->shape.n_chunks)) * big_n <=
	    (3 * (mw + nm) + 9 * (aw + na)) * n +
	    AB_COLS * pv->log_domain * big_n) {
		zk_prover_parallel_for(pv->threads, big_n >> pv->log_block,
				       deep_lde_points, job);
		free(job);
		return pv->failed ? ZK_STARK_ENOMEM : 0;
	}
	/*
	 * A's and B's coefficients (the chunks added to A), then F's, then
	 * one coset block of D at a time. Streaming, A comes first and the
	 * chunks' coefficients are dropped once in A, before B exists (made
	 * again for the openings, zk_prover_remake_quotient): FRI does not
	 * hold them. Stored, both in one pass over the trace.
	 */
	drop = pv->streaming &&
	       ZK_EXT_DEGREE * (size_t)pv->shape.n_chunks >= mw;
	if (drop)
		deep_fold_chunks(job);
	job->ab[0] = zk_big_alloc(ZK_EXT_DEGREE * n * sizeof(zk_gl),
				  pv->streaming);
	if (!pv->streaming)
		job->ab[ZK_EXT_DEGREE] = zk_big_alloc(ZK_EXT_DEGREE * n *
						      sizeof(zk_gl), false);
	rc = job->ab[0] == NULL ||
	     (!pv->streaming && job->ab[ZK_EXT_DEGREE] == NULL) ?
	     ZK_STARK_ENOMEM : deep_sums(job, 0, pv->streaming ? 1 : 2);
	job->add_folded = drop;
	if (rc == 0)
		zk_prover_parallel_for(pv->threads, n, deep_chunks, job);
	if (rc == 0 && pv->streaming) {
		/* worth the quotient step again only where the chunks are
		 * as wide as the main trace (the range AIR, not the
		 * Poseidon2 chain: 6 base columns against 236) */
		if (drop) {
			zk_big_free(pv->q);
			pv->q = NULL;
		}
		job->ab[ZK_EXT_DEGREE] = zk_big_alloc(ZK_EXT_DEGREE * n *
						      sizeof(zk_gl), true);
		rc = job->ab[ZK_EXT_DEGREE] == NULL ? ZK_STARK_ENOMEM :
		     deep_sums(job, 1, 2);
	}
	if (rc == 0)
		rc = deep_f_coeffs(job, zw);
	if (rc == 0) {
		job->blk = zk_big_alloc(n * sizeof(zk_gl), pv->streaming);
		rc = job->blk == NULL ? ZK_STARK_ENOMEM : 0;
	}
	if (rc == 0 && pv->streaming) {
		/* FRI remakes F one block at a time (zk_prover_deep_fill) */
		pv->deep_job = job;
		return 0;
	}
	for (size_t h = 0; rc == 0 && h < big_n / n; h++)
		rc = deep_fill(job, h, pv->deep + h * n);
	zk_big_free(job->blk);
	zk_big_free(job->ab[ZK_EXT_DEGREE]);
	zk_big_free(job->ab[0]);
	free(job);
	if (rc == ZK_STARK_EINVAL)
		return rc;
	return rc != 0 ? ZK_STARK_ENOMEM : 0;
}

/*
 * FRI's layer-0 blocks are 2^-DEEP_FRI_SPLIT of a coset block of D: each
 * is a coset of H_(n/4), made by zk_prover_block_part from F's
 * coefficients (3n/4 products and a size-n/4 transform a limb: no more
 * than the whole block's transform), and FRI holds a quarter of the
 * values it held with whole blocks.
 */
#define DEEP_FRI_SPLIT 2

unsigned zk_prover_deep_log_block(const struct zk_prover *pv)
{
	return pv->log_n >= 8 ? pv->log_n - DEEP_FRI_SPLIT : pv->log_n;
}

/* F at positions [first, first + 2^log_len) of coset block h into out,
 * scratch holding ZK_EXT_DEGREE·2^log_len base elements. */
static int deep_part_at(struct zk_prover *pv, size_t h, size_t first,
			unsigned log_len, zk_ext *out, zk_gl *scratch)
{
	size_t len = (size_t)1 << log_len;
	int rc = zk_prover_block_part(pv, (const zk_gl *const *)pv->deep_job->ab,
				      ZK_EXT_DEGREE, h, first, log_len, scratch);

	for (size_t k = 0; rc == 0 && k < len; k++)
		out[k] = zk_ext_gather(scratch + k, len);
	return rc;
}

int zk_prover_deep_fill(void *arg, size_t h, zk_ext *out)
{
	struct zk_prover *pv = arg;
	unsigned lb = zk_prover_deep_log_block(pv), split = pv->log_n - lb;

	if (pv->deep_job == NULL)
		return ZK_STARK_EINVAL;
	if (split == 0)
		return deep_fill(pv->deep_job, h, out);
	/* job->blk (n) holds the ZK_EXT_DEGREE limbs of a part */
	return deep_part_at(pv, h >> split,
			    (h & (((size_t)1 << split) - 1)) << lb, lb, out,
			    pv->deep_job->blk);
}

int zk_prover_deep_part(void *arg, size_t h, size_t first, unsigned log_len,
			zk_ext *out)
{
	struct zk_prover *pv = arg;
	unsigned lb = zk_prover_deep_log_block(pv), split = pv->log_n - lb;
	zk_gl *f;
	int rc;

	if (pv->deep_job == NULL || log_len > lb)
		return ZK_STARK_EINVAL;
	f = malloc(ZK_EXT_DEGREE * ((size_t)1 << log_len) * sizeof(zk_gl));
	if (f == NULL)
		return ZK_STARK_ENOMEM;
	rc = deep_part_at(pv, h >> split,
			  ((h & (((size_t)1 << split) - 1)) << lb) + first,
			  log_len, out, f);
	free(f);
	return rc;
}

void zk_prover_deep_free(struct zk_prover *pv)
{
	if (pv->deep_job == NULL)
		return;
	zk_big_free(pv->deep_job->blk);
	zk_big_free(pv->deep_job->ab[ZK_EXT_DEGREE]);
	zk_big_free(pv->deep_job->ab[0]);
	free(pv->deep_job);
	pv->deep_job = NULL;
}
