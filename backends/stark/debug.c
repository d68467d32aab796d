/* SPDX-License-Identifier: MIT */
/*
 * The constraint debugger: names the first row, constraint or assertion a
 * trace violates, checks that an AIR's base-field and extension-field
 * constraint bodies agree, and measures each constraint's degree (by
 * evaluating it over a larger coset and interpolating) against the
 * declared max_degree. Slow by design; it runs only when asked.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	zk_gl2 rand[ZK_AIR_MAX_AUX_RAND];
	zk_gl2 **aux;
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
		d->rand[r] = zk_gl2_make(next_gl(d), next_gl(d));
	d->aux = calloc(air->aux_width, sizeof(zk_gl2 *));
	if (d->aux == NULL)
		return ZK_STARK_ENOMEM;
	for (uint32_t c = 0; c < air->aux_width; c++) {
		d->aux[c] = calloc(d->n, sizeof(zk_gl2));
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
	zk_gl2 *x = calloc(cntx + 1, sizeof(zk_gl2));
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
		zk_gl2 *mc = x, *mn = x + mw, *ac = mn + mw, *an = ac + aw;
		zk_gl2 *px = an + aw, *ox = px + np;

		for (size_t c = 0; c < mw; c++) {
			mc[c] = zk_gl2_from_base(cur[c]);
			mn[c] = zk_gl2_from_base(nxt[c]);
		}
		for (size_t c = 0; c < aw; c++) {
			ac[c] = d->aux[c][i];
			an[c] = d->aux[c][i + 1];
		}
		for (size_t j = 0; j < np; j++)
			px[j] = zk_gl2_from_base(per[j]);
		air->eval_aux(air->ctx, mc, mn, ac, an, px, d->rand, ox);
		for (size_t k = 0; k < nac; k++)
			if (!zk_gl2_is_zero(ox[k])) {
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
		zk_gl2 got = a[j].segment == ZK_SEG_MAIN ?
			     zk_gl2_from_base(d->main[a[j].column][a[j].row]) :
			     d->aux[a[j].column][a[j].row];

		if (!zk_gl2_eq(got, a[j].value))
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
	zk_gl2 *x = calloc(2 * mw + np + nmc + 1, sizeof(zk_gl2));
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
			x[k] = zk_gl2_from_base(b[k]);
		air->eval_main(air->ctx, b, b + mw, b + 2 * mw, b + 2 * mw + np);
		air->eval_main_ext(air->ctx, x, x + mw, x + 2 * mw, x + 2 * mw + np);
		for (size_t k = 0; k < nmc; k++)
			if (!zk_gl2_eq(x[2 * mw + np + k],
				       zk_gl2_from_base(b[2 * mw + np + k]))) {
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
