/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "air_range_k.h"

#define ZKT_EXT 0
#include "air_template.h"
#include "air_range_k_body.h"
#undef ZKT_EXT
#define ZKT_EXT 1
#include "air_template.h"
#include "air_range_k_body.h"
#undef ZKT_EXT

#define TABLE_SIZE ((uint64_t)1 << ZK_AIR_RANGEK_BITS)

/* values in group j: j·g .. j·g + len - 1 */
static unsigned group_len(const struct zk_air_range_k *r, unsigned j)
{
	unsigned lo = j * r->group;

	return r->n_values - lo < r->group ? r->n_values - lo : r->group;
}

static unsigned shape_degree(unsigned k, unsigned g)
{
	unsigned widest = g < k ? g : k;

	/* the table, sum and first-row constraints are degree 2 */
	return widest + 1 > 2 ? widest + 1 : 2;
}

/* `first` lifted from F_p (the prover): three base products */
static zk_ext mul_maybe_base(zk_ext a, zk_ext b)
{
	return zk_ext_is_base(a) ? zk_ext_mul_base(b, a.c[0]) : zk_ext_mul(a, b);
}

#define ZKT_EXT 0
#include "air_template.h"
#include "air_range_k_aux_body.h"
#undef ZKT_EXT
#define ZKT_EXT 1
#include "air_template.h"
#include "air_range_k_aux_body.h"
#undef ZKT_EXT

/*
 * 1/(α - u) for every table entry u by one inversion (Montgomery's trick):
 * the prefix products go into inv first, then are overwritten.
 */
static int table_inverses(zk_ext alpha, zk_ext *inv)
{
	zk_ext acc = zk_ext_one(), acc_inv;

	for (uint64_t u = 0; u < TABLE_SIZE; u++) {
		inv[u] = acc;
		acc = zk_ext_mul(acc, zk_ext_sub(alpha, zk_ext_from_base(u)));
	}
	if (!zk_ext_inv(acc, &acc_inv))
		return -1;
	for (uint64_t u = TABLE_SIZE; u-- > 0;) {
		inv[u] = zk_ext_mul(acc_inv, inv[u]);
		acc_inv = zk_ext_mul(acc_inv,
				     zk_ext_sub(alpha, zk_ext_from_base(u)));
	}
	return 0;
}

/* 1/(α - x): the table's entry, or (a cheating trace) inverted alone */
static int fraction(const zk_ext *inv, zk_ext alpha, zk_gl x, zk_ext *out)
{
	if (x < TABLE_SIZE) {
		*out = inv[x];
		return 0;
	}
	return zk_ext_inv(zk_ext_sub(alpha, zk_ext_from_base(x)), out) ? 0 : -1;
}

/*
 * One group's helper over rows [lo, hi) of a block starting at row base:
 * column by column, so each value column is read as one sequential run.
 * Row by row, the k value columns and J helpers (a power of two in bytes
 * apart, so the same cache sets) were 64 + 16 streams evicting each other
 * at every row, and the loads were two thirds of build_aux's samples.
 */
#define LOOKUP_AHEAD 16
static int group_block(const struct zk_air_range_k *r, unsigned j,
		       const zk_gl *const *main, const zk_ext *inv,
		       zk_ext alpha, size_t base, size_t lo, size_t hi,
		       zk_ext *h)
{
	zk_ext f;

	for (size_t i = lo; i < hi; i++)
		h[i - base] = zk_ext_zero();
	for (unsigned c = j * r->group; c < j * r->group + group_len(r, j);
	     c++) {
		const zk_gl *col = main[c];

		for (size_t i = lo; i < hi; i++) {
			/* the lookups are random over a 1.5 MB table: start
			 * the miss a few rows ahead (masked: in bounds) */
			if (i + LOOKUP_AHEAD < hi)
				__builtin_prefetch(&inv[col[i + LOOKUP_AHEAD] &
							(TABLE_SIZE - 1)]);
			if (fraction(inv, alpha, col[i], &f) != 0)
				return -1;
			h[i - base] = zk_ext_add(h[i - base], f);
		}
	}
	return 0;
}

/*
 * Every fraction's denominator is α minus a table entry on an honest trace,
 * so the n·k + n inversions are 2^16 done once and looked up. Rows go in
 * blocks of BUILD_AUX_BLOCK (n is a multiple): the helpers of a block
 * column by column (group_block), then the running sum row by row over
 * the block's row totals. The values are those of the row-by-row order:
 * field additions are exact.
 */
#define BUILD_AUX_BLOCK 256
static int range_k_build_aux(const void *ctx, const zk_gl *const *main,
			     unsigned log_n, const zk_ext *rand,
			     zk_ext *const *aux)
{
	const struct zk_air_range_k *r = ctx;
	unsigned k = r->n_values;
	size_t n = (size_t)1 << log_n;
	zk_ext *inv = malloc(TABLE_SIZE * sizeof(*inv));
	zk_ext alpha = rand[0], s = zk_ext_zero(), f;
	zk_ext h[BUILD_AUX_BLOCK], row_sum[BUILD_AUX_BLOCK];
	int rc = -1;

	_Static_assert(TABLE_SIZE % BUILD_AUX_BLOCK == 0,
		       "n >= the table size, so blocks tile the rows");
	if (inv == NULL || table_inverses(alpha, inv) != 0)
		goto done;
	for (size_t base = 0; base < n; base += BUILD_AUX_BLOCK) {
		/* row 0: padding values, unused helpers; the table entry counts */
		size_t lo = base == 0 ? 1 : base, hi = base + BUILD_AUX_BLOCK;

		for (size_t i = 0; i < BUILD_AUX_BLOCK; i++)
			row_sum[i] = zk_ext_zero();
		for (unsigned j = 0; j < r->n_groups; j++) {
			if (group_block(r, j, main, inv, alpha, base, lo, hi,
					h) != 0)
				goto done;
			if (base == 0)
				h[0] = zk_ext_zero();
			memcpy(aux[1 + j] + base, h, sizeof(h));
			for (size_t i = 0; i < BUILD_AUX_BLOCK; i++)
				row_sum[i] = zk_ext_add(row_sum[i], h[i]);
		}
		for (size_t i = base; i < hi; i++) {
			if (fraction(inv, alpha, main[ZK_RANGEK_COL_TABLE(k)][i],
				     &f) != 0)
				goto done;
			s = zk_ext_add(s, row_sum[i - base]);
			s = zk_ext_sub(s, zk_ext_mul_base(
					  f, main[ZK_RANGEK_COL_MULT(k)][i]));
			aux[0][i] = s;
		}
	}
	rc = 0;
done:
	free(inv);
	return rc;
}

static size_t range_k_assertions(const void *ctx, unsigned log_n,
				 const zk_ext *rand, struct zk_assertion *out)
{
	const struct zk_air_range_k *r = ctx;
	unsigned k = r->n_values;
	uint64_t last = ((uint64_t)1 << log_n) - 1;
	size_t at = 0;

	out[at++] = (struct zk_assertion){ ZK_SEG_MAIN, ZK_RANGEK_COL_TABLE(k), 0,
					   zk_ext_zero() };
	out[at++] = (struct zk_assertion){ ZK_SEG_MAIN, ZK_RANGEK_COL_TABLE(k),
					   last, zk_ext_from_base(TABLE_SIZE - 1) };
	out[at++] = (struct zk_assertion){ ZK_SEG_MAIN, ZK_RANGEK_COL_FIRST(k), 0,
					   zk_ext_one() };
	out[at++] = (struct zk_assertion){ ZK_SEG_MAIN, ZK_RANGEK_COL_VALUE(0),
					   last, zk_ext_from_base(r->last_first) };
	out[at++] = (struct zk_assertion){ ZK_SEG_MAIN,
					   ZK_RANGEK_COL_VALUE(k - 1), last,
					   zk_ext_from_base(r->last_last) };
	if (rand != NULL)
		out[at++] = (struct zk_assertion){ ZK_SEG_AUX, 0, last,
						   zk_ext_zero() };
	return at;
}

static void put_u64(uint8_t *p, uint64_t v)
{
	for (unsigned i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_u64(const uint8_t *p)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

int zk_air_range_k_init(struct zk_air_range_k *r, unsigned k, unsigned g,
			zk_gl last_first, zk_gl last_last)
{
	unsigned n_groups;

	if (k < 1 || k > ZK_AIR_RANGEK_MAX_VALUES ||
	    g < ZK_AIR_RANGEK_MIN_GROUP || g > ZK_LOGUP_MAX_GROUP)
		return -1;
	n_groups = (k + g - 1) / g;
	memset(r, 0, sizeof(*r));
	r->n_values = k;
	r->group = g;
	r->n_groups = n_groups;
	r->last_first = last_first;
	r->last_last = last_last;
	r->pub[0] = (uint8_t)k;
	r->pub[1] = (uint8_t)g;
	put_u64(r->pub + 2, last_first);
	put_u64(r->pub + 10, last_last);
	r->air = (struct zk_air){
		.name = "range16-logup-k",
		.version = 1,
		.main_width = ZK_RANGEK_WIDTH(k),
		.aux_width = 1 + n_groups,
		.n_aux_rand = 1,
		.n_main_constraints = 2,
		.n_aux_constraints = n_groups + 2,
		.max_degree = shape_degree(k, g),
		.ctx = r,
		.eval_main = range_k_eval_base,
		.eval_main_ext = range_k_eval_ext,
		.eval_aux = range_k_eval_aux_ext,
		.eval_aux_base = range_k_eval_aux_base,
		.build_aux = range_k_build_aux,
		.assertions = range_k_assertions,
		.pub = r->pub,
		.pub_len = ZK_AIR_RANGEK_PUB_LEN,
	};
	return 0;
}

int zk_air_range_k_from_pub(struct zk_air_range_k *r, const uint8_t *pub,
			    size_t len)
{
	zk_gl last_first, last_last;

	if (len != ZK_AIR_RANGEK_PUB_LEN)
		return -1;
	last_first = get_u64(pub + 2);
	last_last = get_u64(pub + 10);
	if (!zk_gl_is_canonical(last_first) || !zk_gl_is_canonical(last_last))
		return -1;
	return zk_air_range_k_init(r, pub[0], pub[1], last_first, last_last);
}

long zk_air_range_k_fill(unsigned k, unsigned log_n, zk_gl *const *cols)
{
	size_t n = (size_t)1 << log_n;
	long out_of_range = 0;
	zk_gl *mult;

	if (k < 1 || k > ZK_AIR_RANGEK_MAX_VALUES ||
	    log_n < ZK_AIR_RANGEK_MIN_LOG_N || log_n > ZK_AIR_MAX_LOG_N)
		return -1;
	mult = cols[ZK_RANGEK_COL_MULT(k)];
	memset(mult, 0, n * sizeof(zk_gl));
	memset(cols[ZK_RANGEK_COL_FIRST(k)], 0, n * sizeof(zk_gl));
	cols[ZK_RANGEK_COL_FIRST(k)][0] = 1;
	/* t[i] = min(i, 2^16 - 1): the first row holding t is row t */
	for (size_t i = 0; i < n; i++)
		cols[ZK_RANGEK_COL_TABLE(k)][i] = i < TABLE_SIZE ? i : TABLE_SIZE - 1;
	for (unsigned c = 0; c < k; c++)
		for (size_t i = 1; i < n; i++) {
			zk_gl v = cols[ZK_RANGEK_COL_VALUE(c)][i];

			if (v < TABLE_SIZE)
				mult[v] = zk_gl_add(mult[v], 1);
			else
				out_of_range++;
		}
	return out_of_range;
}

double zk_air_range_k_floor(unsigned k, unsigned g)
{
	unsigned main = ZK_RANGEK_WIDTH(k), aux = 1 + (k + g - 1) / g;
	unsigned chunks = shape_degree(k, g) - 1;

	return (double)(main + ZK_EXT_DEGREE * (aux + chunks)) / main;
}
