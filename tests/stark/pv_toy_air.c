/* SPDX-License-Identifier: MIT */
/* The toy AIR of pv_toy_air.h; both constraint bodies written out. */
#include <stdlib.h>
#include <string.h>

#include "pv_toy_air.h"

static const zk_gl pv_selector[4] = { 1, 0, 1, 0 };
static const struct zk_periodic_col pv_periodic[1] = {
	{ .log_period = 2, .values = pv_selector },
};

static void toy_main(const void *ctx, const zk_gl *cur, const zk_gl *nxt,
		     const zk_gl *per, zk_gl *out)
{
	(void)ctx;
	out[0] = zk_gl_sub(nxt[0], cur[1]);
	out[1] = zk_gl_sub(nxt[1], zk_gl_add(cur[0], cur[1]));
	out[2] = zk_gl_mul(per[0], zk_gl_sub(cur[2], zk_gl_mul(cur[0], cur[1])));
}

static void toy_main_ext(const void *ctx, const zk_ext *cur, const zk_ext *nxt,
			 const zk_ext *per, zk_ext *out)
{
	(void)ctx;
	out[0] = zk_ext_sub(nxt[0], cur[1]);
	out[1] = zk_ext_sub(nxt[1], zk_ext_add(cur[0], cur[1]));
	out[2] = zk_ext_mul(per[0], zk_ext_sub(cur[2], zk_ext_mul(cur[0], cur[1])));
}

static void toy_aux(const void *ctx, const zk_ext *mc, const zk_ext *mn,
		    const zk_ext *ac, const zk_ext *an, const zk_ext *per,
		    const zk_ext *rand, zk_ext *out)
{
	(void)ctx;
	(void)mn;
	(void)per;
	out[0] = zk_ext_sub(an[0], zk_ext_add(ac[0], zk_ext_add(mc[0], rand[0])));
}

static int toy_build_aux(const void *ctx, const zk_gl *const *main,
			 unsigned log_n, const zk_ext *rand, zk_ext *const *aux)
{
	zk_ext acc = zk_ext_zero();

	(void)ctx;
	for (size_t i = 0; i < ((size_t)1 << log_n); i++) {
		aux[0][i] = acc;
		acc = zk_ext_add(acc, zk_ext_add(zk_ext_from_base(main[0][i]),
						 rand[0]));
	}
	return 0;
}

static size_t toy_assertions(const void *ctx, unsigned log_n,
			     const zk_ext *rand, struct zk_assertion *out)
{
	const struct pv_toy *t = ctx;
	uint64_t last = 0;
	size_t k = 0;

	for (int i = 0; i < 8; i++)
		last |= (uint64_t)t->pub[i] << (8 * i);
	out[k++] = (struct zk_assertion){ ZK_SEG_MAIN, 0, 0, zk_ext_one() };
	out[k++] = (struct zk_assertion){ ZK_SEG_MAIN, 1, 0, zk_ext_one() };
	out[k++] = (struct zk_assertion){ ZK_SEG_MAIN, 1, (1ull << log_n) - 1,
					  zk_ext_from_base(zk_gl_from_u64(last)) };
	if (rand != NULL && t->air.aux_width > 0)
		out[k++] = (struct zk_assertion){ ZK_SEG_AUX, 0, 0, zk_ext_zero() };
	return k;
}

int pv_toy_init(struct pv_toy *t, unsigned log_n, int with_aux)
{
	size_t n = (size_t)1 << log_n;
	zk_gl last;

	memset(t, 0, sizeof(*t));
	t->log_n = log_n;
	for (int c = 0; c < 3; c++) {
		t->cols[c] = calloc(n, sizeof(zk_gl));
		if (t->cols[c] == NULL) {
			pv_toy_free(t);
			return -1;
		}
	}
	t->cols[0][0] = 1;
	t->cols[1][0] = 1;
	for (size_t i = 0; i < n; i++) {
		if (i > 0) {
			t->cols[0][i] = t->cols[1][i - 1];
			t->cols[1][i] = zk_gl_add(t->cols[0][i - 1], t->cols[1][i - 1]);
		}
		t->cols[2][i] = zk_gl_mul(t->cols[0][i], t->cols[1][i]);
	}
	last = t->cols[1][n - 1];
	for (int i = 0; i < 8; i++)
		t->pub[i] = (uint8_t)(last >> (8 * i));
	t->air = (struct zk_air){
		.name = "pv-toy",
		.version = 1,
		.main_width = 3,
		.aux_width = with_aux ? 1 : 0,
		.n_aux_rand = with_aux ? 1 : 0,
		.n_main_constraints = 3,
		.n_aux_constraints = with_aux ? 1 : 0,
		.max_degree = 3,
		.n_periodic = 1,
		.periodic = pv_periodic,
		.ctx = t,
		.eval_main = toy_main,
		.eval_main_ext = toy_main_ext,
		.eval_aux = with_aux ? toy_aux : NULL,
		.build_aux = with_aux ? toy_build_aux : NULL,
		.assertions = toy_assertions,
		.pub = t->pub,
		.pub_len = sizeof(t->pub),
	};
	return 0;
}

void pv_toy_free(struct pv_toy *t)
{
	for (int c = 0; c < 3; c++) {
		free(t->cols[c]);
		t->cols[c] = NULL;
	}
}
