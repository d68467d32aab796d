/* SPDX-License-Identifier: MIT */
/*
 * The next-row reads of an AIR: validation, transcript binding, the
 * verifier's expansion and the probe that finds what the constraints
 * really read (air_next.h).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "air_next.h"
#include "proof.h"
#include "stark.h"

int zk_air_next_validate(const struct zk_air *air, char *err, size_t errlen)
{
	for (unsigned seg = ZK_SEG_MAIN; seg <= ZK_SEG_AUX; seg++) {
		uint32_t width = seg == ZK_SEG_MAIN ? air->main_width :
						      air->aux_width;
		const uint32_t *list = seg == ZK_SEG_MAIN ? air->main_next :
							    air->aux_next;
		uint32_t count = seg == ZK_SEG_MAIN ? air->n_main_next :
						      air->n_aux_next;
		const char *name = seg == ZK_SEG_MAIN ? "main" : "aux";

		if (list == NULL)
			continue;
		if (count > width)
			return zk_stark_errf(err, errlen, ZK_STARK_EINVAL,
					     "AIR lists %u %s next-row columns "
					     "of %u", count, name, width);
		for (uint32_t j = 0; j < count; j++)
			if (list[j] >= width || (j > 0 && list[j] <= list[j - 1]))
				return zk_stark_errf(err, errlen,
						     ZK_STARK_EINVAL,
						     "AIR %s next-row list not "
						     "ascending inside the width "
						     "at entry %u", name, j);
	}
	return 0;
}

void zk_air_next_absorb(struct zk_transcript *t, const struct zk_air *air)
{
	for (unsigned seg = ZK_SEG_MAIN; seg <= ZK_SEG_AUX; seg++) {
		uint32_t count = zk_air_next_count(air, seg);

		zk_transcript_absorb_u64(t, count);
		for (uint32_t j = 0; j < count; j++)
			zk_transcript_absorb_u64(t, zk_air_next_col(air, seg, j));
	}
}

void zk_air_next_expand(const struct zk_air *air, unsigned seg,
			const zk_ext *sent, zk_ext *full)
{
	uint32_t width = seg == ZK_SEG_MAIN ? air->main_width : air->aux_width;
	uint32_t count = zk_air_next_count(air, seg);

	for (uint32_t c = 0; c < width; c++)
		full[c] = zk_ext_zero();
	for (uint32_t j = 0; j < count; j++)
		full[zk_air_next_col(air, seg, j)] = sent[j];
}

/* One row's inputs and two constraint outputs, all in F_p3. */
struct next_eval {
	const struct zk_air *air;
	zk_ext *mc, *mn, *ac, *an, *per, *rand, *ref, *out;
	size_t n_out;
	uint64_t rng;
};

/* splitmix64, words >= p rejected */
static zk_gl next_rand_gl(struct next_eval *e)
{
	for (;;) {
		uint64_t z = (e->rng += 0x9E3779B97F4A7C15ull);

		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
		z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
		z ^= z >> 31;
		if (zk_gl_is_canonical(z))
			return z;
	}
}

static zk_ext next_rand_ext(struct next_eval *e)
{
	zk_gl a = next_rand_gl(e), b = next_rand_gl(e), c = next_rand_gl(e);

	return zk_gl3_make(a, b, c);
}

static int next_eval_init(struct next_eval *e, const struct zk_air *air,
			  uint64_t seed)
{
	size_t mw = air->main_width, aw = air->aux_width;
	size_t nrand = air->n_aux_rand, np = air->n_periodic;
	zk_ext *b;

	memset(e, 0, sizeof(*e));
	e->air = air;
	e->rng = seed;
	e->n_out = (size_t)air->n_main_constraints + air->n_aux_constraints;
	b = calloc(2 * mw + 2 * aw + np + nrand + 2 * e->n_out + 1,
		   sizeof(zk_ext));
	if (b == NULL)
		return ZK_STARK_ENOMEM;
	e->mc = b;
	e->mn = e->mc + mw;
	e->ac = e->mn + mw;
	e->an = e->ac + aw;
	e->per = e->an + aw;
	e->rand = e->per + np;
	e->ref = e->rand + nrand;
	e->out = e->ref + e->n_out;
	return 0;
}

static void next_eval_fill(struct next_eval *e)
{
	const struct zk_air *air = e->air;
	size_t cnt = 2 * (size_t)air->main_width + 2 * (size_t)air->aux_width +
		     air->n_periodic + air->n_aux_rand;

	for (size_t k = 0; k < cnt; k++)
		e->mc[k] = next_rand_ext(e);
}

static void next_eval_run(struct next_eval *e, zk_ext *out)
{
	const struct zk_air *air = e->air;

	air->eval_main_ext(air->ctx, e->mc, e->mn, e->per, out);
	if (air->aux_width > 0)
		air->eval_aux(air->ctx, e->mc, e->mn, e->ac, e->an, e->per,
			      e->rand, out + air->n_main_constraints);
}

static bool next_eval_changed(struct next_eval *e)
{
	next_eval_run(e, e->out);
	for (size_t k = 0; k < e->n_out; k++)
		if (!zk_ext_eq(e->out[k], e->ref[k]))
			return true;
	return false;
}

/* Column c of segment seg's next-row input redrawn: does a constraint
 * change? The input is put back. */
static bool next_reads(struct next_eval *e, unsigned seg, size_t c)
{
	zk_ext *slot = seg == ZK_SEG_MAIN ? &e->mn[c] : &e->an[c];
	zk_ext save = *slot;
	bool changed;

	*slot = next_rand_ext(e);
	changed = next_eval_changed(e);
	*slot = save;
	return changed;
}

int zk_air_next_probe(const struct zk_air *air, uint64_t seed,
		      uint8_t *main_read, uint8_t *aux_read)
{
	struct next_eval e;

	if (next_eval_init(&e, air, seed) != 0)
		return ZK_STARK_ENOMEM;
	next_eval_fill(&e);
	next_eval_run(&e, e.ref);
	for (size_t c = 0; c < air->main_width; c++)
		main_read[c] = next_reads(&e, ZK_SEG_MAIN, c);
	for (size_t c = 0; c < air->aux_width; c++)
		aux_read[c] = next_reads(&e, ZK_SEG_AUX, c);
	free(e.mc);
	return 0;
}

/* listed[c] for the main columns, then the aux ones */
static uint8_t *next_listed(const struct zk_air *air)
{
	uint8_t *listed = calloc((size_t)air->main_width + air->aux_width + 1, 1);

	if (listed == NULL)
		return NULL;
	for (unsigned seg = ZK_SEG_MAIN; seg <= ZK_SEG_AUX; seg++) {
		size_t base = seg == ZK_SEG_MAIN ? 0 : air->main_width;

		for (uint32_t j = 0; j < zk_air_next_count(air, seg); j++)
			listed[base + zk_air_next_col(air, seg, j)] = 1;
	}
	return listed;
}

/* The first unlisted column a constraint reads, named by the probe. */
static int next_name_column(struct next_eval *e, const uint8_t *listed,
			    char *err, size_t errlen)
{
	const struct zk_air *air = e->air;
	size_t mw = air->main_width;

	next_eval_fill(e);
	next_eval_run(e, e->ref);
	for (size_t c = 0; c < mw + air->aux_width; c++) {
		unsigned seg = c < mw ? ZK_SEG_MAIN : ZK_SEG_AUX;
		size_t col = c < mw ? c : c - mw;

		if (!listed[c] && next_reads(e, seg, col))
			return zk_stark_errf(err, errlen, ZK_STARK_ETRACE,
					     "a constraint reads %s column %zu "
					     "at the next row, which the AIR "
					     "does not list", c < mw ? "main" :
					     "aux", col);
	}
	return zk_stark_errf(err, errlen, ZK_STARK_ETRACE,
			     "the constraints read an unlisted next-row "
			     "column");
}

int zk_air_next_check(const struct zk_air *air, uint64_t seed, char *err,
		      size_t errlen)
{
	size_t mw = air->main_width, aw = air->aux_width;
	uint8_t *listed = next_listed(air);
	struct next_eval e;
	int rc = 0;

	if (listed == NULL || next_eval_init(&e, air, seed) != 0) {
		free(listed);
		return ZK_STARK_ENOMEM;
	}
	/* two trials: a miss needs the random difference to vanish twice */
	for (unsigned trial = 0; trial < 2 && rc == 0; trial++) {
		next_eval_fill(&e);
		next_eval_run(&e, e.ref);
		for (size_t c = 0; c < mw + aw; c++)
			if (!listed[c])
				*(c < mw ? &e.mn[c] : &e.an[c - mw]) =
					next_rand_ext(&e);
		if (next_eval_changed(&e))
			rc = next_name_column(&e, listed, err, errlen);
	}
	free(e.mc);
	free(listed);
	return rc;
}
