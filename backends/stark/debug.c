/* SPDX-License-Identifier: MIT */
/*
 * The constraint debugger: names the first row, constraint or assertion a
 * trace violates, checks that an AIR's base-field and extension-field
 * constraint bodies agree, and measures each constraint's degree (by
 * evaluating it over a larger coset and interpolating) against the
 * declared max_degree. Slow by design; it runs only when asked.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "air_next.h"
#include "ntt.h"
#include "proof.h"
#include "stark.h"

#define ZK_DEBUG_EXT_TRIALS 8

struct zk_debug {
	const struct zk_air *air;
	const zk_gl *const *main;
	unsigned log_n;
	size_t n;
	uint64_t rng;
	zk_ext rand[ZK_AIR_MAX_AUX_RAND];
	zk_ext **aux;
	char *err;
	size_t errlen;
};

static int report(struct zk_debug *d, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int report(struct zk_debug *d, int status, const char *fmt, ...)
{
	va_list ap;

	if (d->err != NULL && d->errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(d->err, d->errlen, fmt, ap);
		va_end(ap);
	}
	return status;
}

/* splitmix64, rejecting words >= p so the elements stay uniform */
static zk_gl next_gl(struct zk_debug *d)
{
	for (;;) {
		uint64_t z = (d->rng += 0x9E3779B97F4A7C15ull);

		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
		z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
		z ^= z >> 31;
		if (zk_gl_is_canonical(z))
			return z;
	}
}

static int check_shape(struct zk_debug *d)
{
	const struct zk_air *air = d->air;

	if (air == NULL || d->main == NULL || air->eval_main == NULL ||
	    air->eval_main_ext == NULL || air->assertions == NULL)
		return report(d, ZK_STARK_EINVAL, "no AIR, trace or callback");
	if (d->log_n < 3 || d->log_n > ZK_AIR_MAX_LOG_N ||
	    air->main_width < 1 || air->main_width > ZK_AIR_MAX_WIDTH ||
	    air->aux_width > ZK_AIR_MAX_WIDTH ||
	    air->n_aux_rand > ZK_AIR_MAX_AUX_RAND ||
	    air->n_main_constraints > ZK_AIR_MAX_CONSTRAINTS ||
	    air->n_aux_constraints > ZK_AIR_MAX_CONSTRAINTS ||
	    air->n_periodic > ZK_AIR_MAX_PERIODIC ||
	    (air->n_periodic > 0 && air->periodic == NULL) ||
	    (air->aux_width > 0 &&
	     (air->eval_aux == NULL || air->build_aux == NULL)))
		return report(d, ZK_STARK_EINVAL, "AIR shape out of range");
	if (zk_air_next_validate(air, d->err, d->errlen) != 0)
		return ZK_STARK_EINVAL;
	for (uint32_t j = 0; j < air->n_periodic; j++)
		if (air->periodic[j].log_period > d->log_n ||
		    air->periodic[j].values == NULL)
			return report(d, ZK_STARK_EINVAL,
				      "periodic column %u: bad period", j);
	for (uint32_t c = 0; c < air->main_width; c++)
		if (d->main[c] == NULL)
			return report(d, ZK_STARK_EINVAL, "trace column %u missing",
				      c);
	return 0;
}

static int build_aux(struct zk_debug *d)
{
	const struct zk_air *air = d->air;

	if (air->aux_width == 0)
		return 0;
	for (uint32_t r = 0; r < air->n_aux_rand; r++)
		for (unsigned k = 0; k < ZK_EXT_DEGREE; k++)
			d->rand[r].c[k] = next_gl(d);
	d->aux = calloc(air->aux_width, sizeof(zk_ext *));
	if (d->aux == NULL)
		return ZK_STARK_ENOMEM;
	for (uint32_t c = 0; c < air->aux_width; c++) {
		d->aux[c] = calloc(d->n, sizeof(zk_ext));
		if (d->aux[c] == NULL)
			return ZK_STARK_ENOMEM;
	}
	if (air->build_aux(air->ctx, d->main, d->log_n, d->rand, d->aux) != 0)
		return report(d, ZK_STARK_EAUX, "build_aux found no aux trace");
	return 0;
}

/* Every transition constraint on rows 0..n-2, main then aux. */
static int check_rows(struct zk_debug *d)
{
	const struct zk_air *air = d->air;
	size_t mw = air->main_width, aw = air->aux_width, np = air->n_periodic;
	size_t nmc = air->n_main_constraints, nac = air->n_aux_constraints;
	size_t cnt = 2 * mw + np + nmc;
	size_t cntx = 2 * mw + 2 * aw + np + nac;
	zk_gl *b = calloc(cnt + 1, sizeof(zk_gl));
	zk_ext *x = calloc(cntx + 1, sizeof(zk_ext));
	int rc = 0;

	if (b == NULL || x == NULL) {
		rc = ZK_STARK_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i + 1 < d->n && rc == 0; i++) {
		zk_gl *cur = b, *nxt = b + mw, *per = b + 2 * mw, *out = per + np;

		for (size_t c = 0; c < mw; c++) {
			cur[c] = d->main[c][i];
			nxt[c] = d->main[c][i + 1];
		}
		for (size_t j = 0; j < np; j++)
			per[j] = air->periodic[j].values[i & ((1ull <<
					air->periodic[j].log_period) - 1)];
		air->eval_main(air->ctx, cur, nxt, per, out);
		for (size_t k = 0; k < nmc; k++)
			if (out[k] != 0) {
				rc = report(d, ZK_STARK_ETRACE,
					    "row %zu: main constraint %zu", i, k);
				break;
			}
		if (rc != 0 || aw == 0)
			continue;
		zk_ext *mc = x, *mn = x + mw, *ac = mn + mw, *an = ac + aw;
		zk_ext *px = an + aw, *ox = px + np;

		for (size_t c = 0; c < mw; c++) {
			mc[c] = zk_ext_from_base(cur[c]);
			mn[c] = zk_ext_from_base(nxt[c]);
		}
		for (size_t c = 0; c < aw; c++) {
			ac[c] = d->aux[c][i];
			an[c] = d->aux[c][i + 1];
		}
		for (size_t j = 0; j < np; j++)
			px[j] = zk_ext_from_base(per[j]);
		air->eval_aux(air->ctx, mc, mn, ac, an, px, d->rand, ox);
		for (size_t k = 0; k < nac; k++)
			if (!zk_ext_is_zero(ox[k])) {
				rc = report(d, ZK_STARK_ETRACE,
					    "row %zu: aux constraint %zu", i, k);
				break;
			}
	}
done:
	free(b);
	free(x);
	return rc;
}

static int check_assertions(struct zk_debug *d)
{
	const struct zk_air *air = d->air;
	struct zk_assertion *a = calloc(ZK_AIR_MAX_ASSERTIONS, sizeof(*a));
	long count;
	int rc = 0;

	if (a == NULL)
		return ZK_STARK_ENOMEM;
	count = zk_stark_air_assertions(air, d->log_n,
					air->aux_width ? d->rand : NULL, a,
					d->err, d->errlen);
	if (count < 0)
		rc = ZK_STARK_EINVAL;
	for (long j = 0; j < count && rc == 0; j++) {
		zk_ext got = a[j].segment == ZK_SEG_MAIN ?
			     zk_ext_from_base(d->main[a[j].column][a[j].row]) :
			     d->aux[a[j].column][a[j].row];

		if (!zk_ext_eq(got, a[j].value))
			rc = report(d, ZK_STARK_ETRACE,
				    "assertion %ld: column %u row %" PRIu64, j,
				    a[j].column, a[j].row);
	}
	free(a);
	return rc;
}

/* eval_main_ext on lifted inputs must equal eval_main lifted. */
static int check_ext_agrees(struct zk_debug *d)
{
	const struct zk_air *air = d->air;
	size_t mw = air->main_width, np = air->n_periodic;
	size_t nmc = air->n_main_constraints;
	zk_gl *b = calloc(2 * mw + np + nmc + 1, sizeof(zk_gl));
	zk_ext *x = calloc(2 * mw + np + nmc + 1, sizeof(zk_ext));
	int rc = 0;

	if (b == NULL || x == NULL) {
		rc = ZK_STARK_ENOMEM;
		goto done;
	}
	for (unsigned trial = 0; trial < 2 * ZK_DEBUG_EXT_TRIALS && rc == 0;
	     trial++) {
		/* half real rows (where constraints are 0), half random */
		size_t row = (size_t)(next_gl(d) % (d->n - 1));
		bool real = trial < ZK_DEBUG_EXT_TRIALS;

		for (size_t c = 0; c < mw; c++) {
			b[c] = real ? d->main[c][row] : next_gl(d);
			b[mw + c] = real ? d->main[c][row + 1] : next_gl(d);
		}
		for (size_t j = 0; j < np; j++)
			b[2 * mw + j] = real ? air->periodic[j].values[row &
				((1ull << air->periodic[j].log_period) - 1)] :
				next_gl(d);
		for (size_t k = 0; k < 2 * mw + np; k++)
			x[k] = zk_ext_from_base(b[k]);
		air->eval_main(air->ctx, b, b + mw, b + 2 * mw, b + 2 * mw + np);
		air->eval_main_ext(air->ctx, x, x + mw, x + 2 * mw, x + 2 * mw + np);
		for (size_t k = 0; k < nmc; k++)
			if (!zk_ext_eq(x[2 * mw + np + k],
				       zk_ext_from_base(b[2 * mw + np + k]))) {
				rc = report(d, ZK_STARK_ETRACE,
					    "eval_main and eval_main_ext disagree "
					    "at row %zu constraint %zu%s", row, k,
					    real ? "" : " (random inputs)");
				break;
			}
	}
done:
	free(b);
	free(x);
	return rc;
}

/*
 * eval_main_x4, where the AIR has one, must equal eval_main on each of its
 * four rows: real rows (row..row+3 and their successors) and random ones,
 * laid out as the prover passes them (column-major, stride 4).
 */
static int check_x4_agrees(struct zk_debug *d)
{
	const struct zk_air *air = d->air;
	size_t mw = air->main_width, np = air->n_periodic;
	size_t nmc = air->n_main_constraints;
	zk_gl *b, *row, *out4;
	int rc = 0;

	if (air->eval_main_x4 == NULL)
		return 0;
	if (d->n < 8)
		return 0; /* no four rows with four successors to compare */
	b = calloc(8 * mw + 4 * np + 4 * nmc + 2 * mw + np + nmc + 1,
		   sizeof(zk_gl));
	if (b == NULL)
		return ZK_STARK_ENOMEM;
	row = b + 8 * mw + 4 * np;   /* cur, nxt, periodic, out of one row */
	out4 = row + 2 * mw + np + nmc;
	for (unsigned trial = 0; trial < 2 * ZK_DEBUG_EXT_TRIALS && rc == 0;
	     trial++) {
		size_t first = (size_t)(next_gl(d) % (d->n - 4));
		bool real = trial < ZK_DEBUG_EXT_TRIALS;

		for (size_t c = 0; c < mw; c++)
			for (size_t r = 0; r < 4; r++) {
				b[4 * c + r] = real ? d->main[c][first + r] :
						      next_gl(d);
				b[4 * (mw + c) + r] = real ?
					d->main[c][first + r + 1] : next_gl(d);
			}
		for (size_t j = 0; j < np; j++)
			for (size_t r = 0; r < 4; r++)
				b[8 * mw + 4 * j + r] = real ?
					air->periodic[j].values[(first + r) &
					((1ull << air->periodic[j].log_period) - 1)] :
					next_gl(d);
		air->eval_main_x4(air->ctx, b, b + 4 * mw, 4, b + 8 * mw, out4);
		for (size_t r = 0; r < 4 && rc == 0; r++) {
			for (size_t c = 0; c < mw; c++) {
				row[c] = b[4 * c + r];
				row[mw + c] = b[4 * (mw + c) + r];
			}
			for (size_t j = 0; j < np; j++)
				row[2 * mw + j] = b[8 * mw + 4 * j + r];
			air->eval_main(air->ctx, row, row + mw, row + 2 * mw,
				       row + 2 * mw + np);
			for (size_t k = 0; k < nmc; k++)
				if (out4[4 * k + r] != row[2 * mw + np + k]) {
					rc = report(d, ZK_STARK_ETRACE,
						    "eval_main and eval_main_x4 "
						    "disagree at row %zu "
						    "constraint %zu%s",
						    first + r, k,
						    real ? "" : " (random inputs)");
					break;
				}
		}
	}
	free(b);
	return rc;
}

/*
 * eval_aux_base, where the AIR has one, must equal eval_aux on the lifted
 * main and periodic values: real rows (with their aux cells) and random
 * ones.
 */
static int check_aux_base_agrees(struct zk_debug *d)
{
	const struct zk_air *air = d->air;
	size_t mw = air->main_width, aw = air->aux_width, np = air->n_periodic;
	size_t nac = air->n_aux_constraints;
	zk_gl *b;
	zk_ext *x;
	int rc = 0;

	if (air->eval_aux_base == NULL || aw == 0)
		return 0;
	b = calloc(2 * mw + np + 1, sizeof(zk_gl));
	x = calloc(2 * mw + 2 * aw + np + 2 * nac + 1, sizeof(zk_ext));
	if (b == NULL || x == NULL) {
		rc = ZK_STARK_ENOMEM;
		goto done;
	}
	for (unsigned trial = 0; trial < 2 * ZK_DEBUG_EXT_TRIALS && rc == 0;
	     trial++) {
		size_t i = (size_t)(next_gl(d) % (d->n - 1));
		bool real = trial < ZK_DEBUG_EXT_TRIALS;
		zk_gl *cur = b, *nxt = b + mw, *per = b + 2 * mw;
		zk_ext *mc = x, *mn = x + mw, *ac = mn + mw, *an = ac + aw;
		zk_ext *px = an + aw, *ox = px + np, *ob = ox + nac;

		for (size_t c = 0; c < mw; c++) {
			cur[c] = real ? d->main[c][i] : next_gl(d);
			nxt[c] = real ? d->main[c][i + 1] : next_gl(d);
			mc[c] = zk_ext_from_base(cur[c]);
			mn[c] = zk_ext_from_base(nxt[c]);
		}
		for (size_t c = 0; c < aw; c++)
			for (unsigned e = 0; e < ZK_EXT_DEGREE; e++) {
				ac[c].c[e] = real ? d->aux[c][i].c[e] : next_gl(d);
				an[c].c[e] = real ? d->aux[c][i + 1].c[e] :
						    next_gl(d);
			}
		for (size_t j = 0; j < np; j++) {
			per[j] = real ? air->periodic[j].values[i & ((1ull <<
					air->periodic[j].log_period) - 1)] :
					next_gl(d);
			px[j] = zk_ext_from_base(per[j]);
		}
		air->eval_aux(air->ctx, mc, mn, ac, an, px, d->rand, ox);
		air->eval_aux_base(air->ctx, cur, nxt, ac, an, per, d->rand, ob);
		for (size_t k = 0; k < nac; k++)
			if (!zk_ext_eq(ox[k], ob[k])) {
				rc = report(d, ZK_STARK_ETRACE,
					    "eval_aux and eval_aux_base disagree "
					    "at row %zu constraint %zu%s", i, k,
					    real ? "" : " (random inputs)");
				break;
			}
	}
done:
	free(b);
	free(x);
	return rc;
}

struct zk_degree_scan {
	unsigned log_m, e;
	size_t m;
	zk_gl *main_lde, *aux_lde, *evals;
	zk_gl **per_lde;
};

static void degree_scan_free(struct zk_degree_scan *s, uint32_t n_periodic)
{
	free(s->main_lde);
	free(s->aux_lde);
	free(s->evals);
	if (s->per_lde != NULL)
		for (uint32_t j = 0; j < n_periodic; j++)
			free(s->per_lde[j]);
	free(s->per_lde);
}

/* LDEs of main, aux (as c0/c1/c2 base columns) and periodic columns on
 * s·H_m. */
static int degree_scan_lde(struct zk_debug *d, struct zk_degree_scan *s)
{
	const struct zk_air *air = d->air;
	size_t mw = air->main_width, aw2 = ZK_EXT_DEGREE * (size_t)air->aux_width;
	size_t cols = mw > aw2 ? mw : aw2;
	zk_gl **out = calloc(cols + 1, sizeof(zk_gl *));
	zk_gl **in = calloc(aw2 + 1, sizeof(zk_gl *));
	int rc = ZK_STARK_ENOMEM;

	s->main_lde = malloc(mw * s->m * sizeof(zk_gl));
	s->aux_lde = malloc((aw2 * s->m + 1) * sizeof(zk_gl));
	s->per_lde = calloc(air->n_periodic + 1, sizeof(zk_gl *));
	if (out == NULL || in == NULL || s->main_lde == NULL ||
	    s->aux_lde == NULL || s->per_lde == NULL)
		goto done;
	for (size_t c = 0; c < mw; c++)
		out[c] = s->main_lde + c * s->m;
	if (zk_ntt_lde(out, d->main, mw, d->log_n, s->e,
		       ZK_GL_MULTIPLICATIVE_GENERATOR, 1) != 0)
		goto done;
	for (size_t c = 0; c < aw2; c++) {
		in[c] = malloc(d->n * sizeof(zk_gl));
		if (in[c] == NULL)
			goto done;
		for (size_t i = 0; i < d->n; i++)
			in[c][i] = d->aux[c / ZK_EXT_DEGREE][i].c[c % ZK_EXT_DEGREE];
		out[c] = s->aux_lde + c * s->m;
	}
	if (aw2 > 0 && zk_ntt_lde(out, (const zk_gl *const *)in, aw2, d->log_n,
				  s->e, ZK_GL_MULTIPLICATIVE_GENERATOR, 1) != 0)
		goto done;
	for (uint32_t j = 0; j < air->n_periodic; j++) {
		const struct zk_periodic_col *pc = &air->periodic[j];
		unsigned lpe = pc->log_period + s->e;
		zk_gl *col = calloc((size_t)1 << lpe, sizeof(zk_gl));
		zk_gl *one[1] = { col };

		s->per_lde[j] = col;
		if (col == NULL || zk_stark_periodic_coeffs(pc, col) != 0 ||
		    zk_ntt_coset_forward(one, 1, lpe,
					 zk_gl_pow(ZK_GL_MULTIPLICATIVE_GENERATOR,
						   d->n >> pc->log_period), 1) != 0)
			goto done;
	}
	rc = 0;
done:
	if (in != NULL)
		for (size_t c = 0; c < aw2; c++)
			free(in[c]);
	free(in);
	free(out);
	return rc;
}

/* Every constraint evaluated at every point of s·H_m, bit-reversed. */
static int degree_scan_eval(struct zk_debug *d, struct zk_degree_scan *s)
{
	const struct zk_air *air = d->air;
	size_t mw = air->main_width, aw = air->aux_width, np = air->n_periodic;
	size_t nmc = air->n_main_constraints, nac = air->n_aux_constraints;
	zk_gl *b = calloc(2 * mw + np + nmc + 1, sizeof(zk_gl));
	zk_ext *x = calloc(2 * mw + 2 * aw + np + nac + 1, sizeof(zk_ext));
	int rc = ZK_STARK_ENOMEM;

	s->evals = malloc(((nmc + ZK_EXT_DEGREE * nac) * s->m + 1) *
			  sizeof(zk_gl));
	if (b == NULL || x == NULL || s->evals == NULL)
		goto done;
	for (size_t i = 0; i < s->m; i++) {
		size_t nx = zk_stark_rev_bits((zk_stark_rev_bits(i, s->log_m) +
					       ((size_t)1 << s->e)) & (s->m - 1),
					      s->log_m);
		zk_gl *per = b + 2 * mw, *out = per + np;

		for (size_t c = 0; c < mw; c++) {
			b[c] = s->main_lde[c * s->m + i];
			b[mw + c] = s->main_lde[c * s->m + nx];
		}
		for (size_t j = 0; j < np; j++)
			per[j] = s->per_lde[j][i >> (d->log_n -
					air->periodic[j].log_period)];
		air->eval_main(air->ctx, b, b + mw, per, out);
		for (size_t k = 0; k < nmc; k++)
			s->evals[k * s->m + i] = out[k];
		if (aw == 0)
			continue;
		zk_ext *ac = x + 2 * mw, *an = ac + aw, *px = an + aw, *ox = px + np;

		for (size_t c = 0; c < 2 * mw; c++)
			x[c] = zk_ext_from_base(b[c]);
		for (size_t c = 0; c < aw; c++) {
			const zk_gl *col = s->aux_lde + ZK_EXT_DEGREE * c * s->m;

			ac[c] = zk_ext_gather(col + i, s->m);
			an[c] = zk_ext_gather(col + nx, s->m);
		}
		for (size_t j = 0; j < np; j++)
			px[j] = zk_ext_from_base(per[j]);
		air->eval_aux(air->ctx, x, x + mw, ac, an, px, d->rand, ox);
		for (size_t k = 0; k < nac; k++)
			zk_ext_scatter(ox[k], s->evals +
				       (nmc + ZK_EXT_DEGREE * k) * s->m + i, s->m);
	}
	rc = 0;
done:
	free(b);
	free(x);
	return rc;
}

/*
 * A constraint of degree E in the trace polynomials (degree n - 1) has
 * degree E·(n - 1) as a polynomial; interpolate it over a coset of
 * m = n·2^e > (declared + 1)·n points and read off the top coefficient.
 */
static int check_degrees(struct zk_debug *d)
{
	const struct zk_air *air = d->air;
	size_t nmc = air->n_main_constraints, nac = air->n_aux_constraints;
	size_t ncols = nmc + ZK_EXT_DEGREE * nac;
	struct zk_degree_scan s = { 0 };
	zk_gl **cols = NULL;
	int rc;

	while ((1u << s.e) <= air->max_degree + 1)
		s.e++;
	if (ncols == 0 || s.e > ZK_NTT_MAX_LOG_BLOWUP ||
	    d->log_n + s.e > ZK_NTT_MAX_LOG_N)
		return 0; /* too big to scan: the other checks still ran */
	s.log_m = d->log_n + s.e;
	s.m = (size_t)1 << s.log_m;
	rc = degree_scan_lde(d, &s);
	if (rc == 0)
		rc = degree_scan_eval(d, &s);
	cols = calloc(ncols, sizeof(zk_gl *));
	if (rc == 0 && cols == NULL)
		rc = ZK_STARK_ENOMEM;
	if (rc != 0)
		goto done;
	for (size_t k = 0; k < ncols; k++)
		cols[k] = s.evals + k * s.m;
	if (zk_ntt_coset_inverse(cols, ncols, s.log_m,
				 ZK_GL_MULTIPLICATIVE_GENERATOR, 1) != 0) {
		rc = ZK_STARK_ENOMEM;
		goto done;
	}
	for (size_t k = 0; k < nmc + nac && rc == 0; k++) {
		size_t first = k < nmc ? k : nmc + ZK_EXT_DEGREE * (k - nmc);
		size_t width = k < nmc ? 1 : ZK_EXT_DEGREE, top = 0;

		for (size_t h = 0; h < width; h++)
			for (size_t j = s.m; j-- > top;)
				if (cols[first + h][j] != 0) {
					top = j;
					break;
				}
		if (top > (size_t)air->max_degree * (d->n - 1))
			rc = report(d, ZK_STARK_ETRACE,
				    "declared degree %u but %s constraint %zu has "
				    "degree %zu", air->max_degree,
				    k < nmc ? "main" : "aux", k < nmc ? k : k - nmc,
				    (top + d->n - 2) / (d->n - 1));
	}
done:
	free(cols);
	degree_scan_free(&s, air->n_periodic);
	return rc;
}

int zk_stark_debug_check(const struct zk_air *air, const zk_gl *const *main_trace,
			 unsigned log_n, uint64_t seed, char *err, size_t errlen)
{
	struct zk_debug d = { .air = air, .main = main_trace, .log_n = log_n,
			      .rng = seed, .err = err, .errlen = errlen };
	int rc;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	rc = check_shape(&d);
	if (rc != 0)
		return rc;
	d.n = (size_t)1 << log_n;
	rc = build_aux(&d);
	if (rc == 0)
		rc = check_rows(&d);
	if (rc == 0)
		rc = check_assertions(&d);
	if (rc == 0)
		rc = check_ext_agrees(&d);
	if (rc == 0)
		rc = zk_air_next_check(air, next_gl(&d), err, errlen);
	if (rc == 0)
		rc = check_x4_agrees(&d);
	if (rc == 0)
		rc = check_aux_base_agrees(&d);
	if (rc == 0)
		rc = check_degrees(&d);
	if (d.aux != NULL)
		for (uint32_t c = 0; c < air->aux_width; c++)
			free(d.aux[c]);
	free(d.aux);
	return rc;
}
