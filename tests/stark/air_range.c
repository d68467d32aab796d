/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "air_range.h"

#define ZKT_EXT 0
#include "air_template.h"
#include "air_range_body.h"
#undef ZKT_EXT
#define ZKT_EXT 1
#include "air_template.h"
#include "air_range_body.h"

#define TABLE_SIZE ((uint64_t)1 << ZK_AIR_RANGE_BITS)

/* (α - v)(α - t) and (α - t) - m·(α - v): the LogUp term is num/den. */
static void logup_term(zk_ext alpha, zk_ext v, zk_ext t, zk_ext m,
		       zk_ext *num, zk_ext *den)
{
	zk_ext av = zk_ext_sub(alpha, v);
	zk_ext at = zk_ext_sub(alpha, t);

	*den = zk_ext_mul(av, at);
	*num = zk_ext_sub(at, zk_ext_mul(m, av));
}

static void range_eval_aux(const void *ctx, const zk_ext *main_cur,
			   const zk_ext *main_nxt, const zk_ext *aux_cur,
			   const zk_ext *aux_nxt, const zk_ext *periodic,
			   const zk_ext *rand, zk_ext *out)
{
	zk_ext num, den;

	(void)ctx;
	(void)periodic;
	logup_term(rand[0], main_nxt[ZK_RANGE_COL_VALUE],
		   main_nxt[ZK_RANGE_COL_TABLE], main_nxt[ZK_RANGE_COL_MULT],
		   &num, &den);
	out[0] = zk_ext_sub(zk_ext_mul(zk_ext_sub(aux_nxt[0], aux_cur[0]), den),
			    num);
	logup_term(rand[0], main_cur[ZK_RANGE_COL_VALUE],
		   main_cur[ZK_RANGE_COL_TABLE], main_cur[ZK_RANGE_COL_MULT],
		   &num, &den);
	out[1] = zk_ext_mul(main_cur[ZK_RANGE_COL_FIRST],
			    zk_ext_sub(zk_ext_mul(aux_cur[0], den), num));
}

/*
 * One inversion for all n denominators (Montgomery's trick): the prefix
 * products go into aux[0] first, then are overwritten by the running sum.
 */
static int range_build_aux(const void *ctx, const zk_gl *const *main,
			   unsigned log_n, const zk_ext *rand,
			   zk_ext *const *aux)
{
	size_t n = (size_t)1 << log_n, i;
	zk_ext *prefix = aux[0];
	zk_ext *den = malloc(n * sizeof(*den));
	zk_ext *num = malloc(n * sizeof(*num));
	zk_ext acc = zk_ext_one(), inv, sum;

	(void)ctx;
	if (den == NULL || num == NULL) {
		free(den);
		free(num);
		return -1;
	}
	for (i = 0; i < n; i++) {
		logup_term(rand[0],
			   zk_ext_from_base(main[ZK_RANGE_COL_VALUE][i]),
			   zk_ext_from_base(main[ZK_RANGE_COL_TABLE][i]),
			   zk_ext_from_base(main[ZK_RANGE_COL_MULT][i]),
			   &num[i], &den[i]);
		prefix[i] = acc;
		acc = zk_ext_mul(acc, den[i]);
	}
	if (!zk_ext_inv(acc, &inv)) {
		free(den);
		free(num);
		return -1;
	}
	/* inv = 1/(den[0]···den[i]) going down; den[i]^-1 = inv·prefix[i] */
	for (i = n; i-- > 0;) {
		zk_ext d_inv = zk_ext_mul(inv, prefix[i]);

		inv = zk_ext_mul(inv, den[i]);
		num[i] = zk_ext_mul(num[i], d_inv);
	}
	sum = zk_ext_zero();
	for (i = 0; i < n; i++) {
		sum = zk_ext_add(sum, num[i]);
		aux[0][i] = sum;
	}
	free(den);
	free(num);
	return 0;
}

static size_t range_assertions(const void *ctx, unsigned log_n,
			       const zk_ext *rand, struct zk_assertion *out)
{
	const struct zk_air_range *r = ctx;
	uint64_t last = ((uint64_t)1 << log_n) - 1;
	size_t k = 0;

	out[k++] = (struct zk_assertion){ ZK_SEG_MAIN, ZK_RANGE_COL_TABLE, 0,
					  zk_ext_zero() };
	out[k++] = (struct zk_assertion){ ZK_SEG_MAIN, ZK_RANGE_COL_TABLE, last,
					  zk_ext_from_base(TABLE_SIZE - 1) };
	out[k++] = (struct zk_assertion){ ZK_SEG_MAIN, ZK_RANGE_COL_FIRST, 0,
					  zk_ext_one() };
	out[k++] = (struct zk_assertion){ ZK_SEG_MAIN, ZK_RANGE_COL_VALUE, 0,
					  zk_ext_from_base(r->first_value) };
	out[k++] = (struct zk_assertion){ ZK_SEG_MAIN, ZK_RANGE_COL_VALUE, last,
					  zk_ext_from_base(r->last_value) };
	if (rand != NULL)
		out[k++] = (struct zk_assertion){ ZK_SEG_AUX, 0, last,
						  zk_ext_zero() };
	return k;
}

static void put_u64(uint8_t *p, uint64_t v)
{
	unsigned i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_u64(const uint8_t *p)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

void zk_air_range_init(struct zk_air_range *r, zk_gl first_value,
		       zk_gl last_value)
{
	memset(r, 0, sizeof(*r));
	r->first_value = first_value;
	r->last_value = last_value;
	put_u64(r->pub, first_value);
	put_u64(r->pub + 8, last_value);
	r->air = (struct zk_air){
		.name = "range16-logup",
		.version = 1,
		.main_width = ZK_RANGE_WIDTH,
		.aux_width = 1,
		.n_aux_rand = 1,
		.n_main_constraints = 2,
		.n_aux_constraints = 2,
		.max_degree = 4,
		.ctx = r,
		.eval_main = range_eval_base,
		.eval_main_ext = range_eval_ext,
		.eval_aux = range_eval_aux,
		.build_aux = range_build_aux,
		.assertions = range_assertions,
		.pub = r->pub,
		.pub_len = sizeof(r->pub),
	};
}

int zk_air_range_from_pub(struct zk_air_range *r, const uint8_t *pub,
			  size_t len)
{
	zk_gl first, last;

	if (len != ZK_AIR_RANGE_PUB_LEN)
		return -1;
	first = get_u64(pub);
	last = get_u64(pub + 8);
	if (!zk_gl_is_canonical(first) || !zk_gl_is_canonical(last))
		return -1;
	zk_air_range_init(r, first, last);
	return 0;
}

long zk_air_range_trace(const zk_gl *values, unsigned log_n,
			zk_gl *const *cols)
{
	size_t n = (size_t)1 << log_n, i;
	long out_of_range = 0;

	if (log_n < ZK_AIR_RANGE_MIN_LOG_N || log_n > ZK_AIR_MAX_LOG_N)
		return -1;
	memset(cols[ZK_RANGE_COL_MULT], 0, n * sizeof(zk_gl));
	memset(cols[ZK_RANGE_COL_FIRST], 0, n * sizeof(zk_gl));
	cols[ZK_RANGE_COL_FIRST][0] = 1;
	for (i = 0; i < n; i++) {
		/* t[i] = min(i, 2^16 - 1): the first row holding t is row t */
		cols[ZK_RANGE_COL_TABLE][i] = i < TABLE_SIZE ? i : TABLE_SIZE - 1;
		cols[ZK_RANGE_COL_VALUE][i] = values[i];
	}
	for (i = 0; i < n; i++) {
		if (values[i] < TABLE_SIZE)
			cols[ZK_RANGE_COL_MULT][values[i]] =
				zk_gl_add(cols[ZK_RANGE_COL_MULT][values[i]], 1);
		else
			out_of_range++;
	}
	return out_of_range;
}
