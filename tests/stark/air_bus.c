/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "air_bus.h"

#define ZKT_EXT 0
#include "air_template.h"
#include "air_bus_body.h"
#undef ZKT_EXT
#define ZKT_EXT 1
#include "air_template.h"
#include "air_bus_body.h"

static zk_ext signed_mult(const struct zk_air_bus *b, zk_ext m)
{
	return b->cfg.role == ZK_AIR_BUS_CONSUMER ? zk_ext_neg(m) : m;
}

static void bus_eval_aux(const void *ctx, const zk_ext *main_cur,
			 const zk_ext *main_nxt, const zk_ext *aux_cur,
			 const zk_ext *aux_nxt, const zk_ext *periodic,
			 const zk_ext *rand, zk_ext *out)
{
	const struct zk_air_bus *b = ctx;
	zk_ext den = zk_ext_sub(rand[0], main_nxt[ZK_AIR_BUS_COL_V]);

	(void)main_cur;
	(void)periodic;
	out[0] = zk_ext_sub(zk_ext_mul(zk_ext_sub(aux_nxt[0], aux_cur[0]), den),
			    signed_mult(b, main_nxt[ZK_AIR_BUS_COL_M]));
}

/*
 * s[i] = Σ_{1<=j<=i} ±m[j]/(α - v[j]) over a trace of 2^log_n rows, one
 * inversion for all denominators (prefix products in out first).
 * false when α meets a value (α in F_p: probability ~2^-128).
 */
static bool running_sum(const struct zk_air_bus *b, const zk_gl *const *main,
			unsigned log_n, zk_ext alpha, zk_ext *out)
{
	size_t n = (size_t)1 << log_n;
	zk_ext acc = zk_ext_one(), inv, sum = zk_ext_zero();

	for (size_t i = 0; i < n; i++) {
		out[i] = acc;
		acc = zk_ext_mul(acc, zk_ext_sub(alpha, zk_ext_from_base(
				 main[ZK_AIR_BUS_COL_V][i])));
	}
	if (!zk_ext_inv(acc, &inv))
		return false;
	for (size_t i = n; i-- > 0;) {
		zk_ext den = zk_ext_sub(alpha, zk_ext_from_base(
					main[ZK_AIR_BUS_COL_V][i]));

		out[i] = zk_ext_mul(inv, out[i]); /* 1/(α - v[i]) */
		inv = zk_ext_mul(inv, den);
	}
	for (size_t i = 0; i < n; i++) {
		zk_ext term = zk_ext_mul(out[i], signed_mult(b, zk_ext_from_base(
					 main[ZK_AIR_BUS_COL_M][i])));

		if (i > 0)
			sum = zk_ext_add(sum, term);
		out[i] = sum;
	}
	return true;
}

static int bus_build_aux(const void *ctx, const zk_gl *const *main,
			 unsigned log_n, const zk_ext *rand, zk_ext *const *aux)
{
	const struct zk_air_bus *b = ctx;
	struct zk_air_bus producer;
	zk_ext *theirs;
	size_t n = (size_t)1 << log_n;

	if (!running_sum(b, main, log_n, rand[0], aux[0]))
		return -1;
	if (b->forge_main == NULL)
		return 0;
	/* the forger: claim minus whatever the producer put on the bus */
	producer = *b;
	producer.cfg.role = ZK_AIR_BUS_PRODUCER;
	theirs = malloc(((size_t)1 << b->forge_log_n) * sizeof(zk_ext));
	if (theirs == NULL)
		return -1;
	if (!running_sum(&producer, b->forge_main, b->forge_log_n, rand[0],
			 theirs)) {
		free(theirs);
		return -1;
	}
	aux[0][n - 1] = zk_ext_neg(theirs[((size_t)1 << b->forge_log_n) - 1]);
	free(theirs);
	return 0;
}

static size_t bus_assertions(const void *ctx, unsigned log_n,
			     const zk_ext *rand, struct zk_assertion *out)
{
	const struct zk_air_bus *b = ctx;
	size_t k = 0;

	(void)log_n;
	out[k++] = (struct zk_assertion){ ZK_SEG_MAIN, ZK_AIR_BUS_COL_M, 0,
					  zk_ext_zero() };
	out[k++] = (struct zk_assertion){ ZK_SEG_MAIN, b->first_fill, 0,
					  zk_ext_from_base(b->cfg.seed) };
	if (rand != NULL && b->cfg.role != ZK_AIR_BUS_NONE)
		out[k++] = (struct zk_assertion){ ZK_SEG_AUX, 0, 0,
						  zk_ext_zero() };
	return k;
}

static const char *role_name(enum zk_air_bus_role role)
{
	switch (role) {
	case ZK_AIR_BUS_PRODUCER: return "bus-producer";
	case ZK_AIR_BUS_CONSUMER: return "bus-consumer";
	default: return "bus-none";
	}
}

int zk_air_bus_init(struct zk_air_bus *b, const struct zk_air_bus_cfg *cfg)
{
	uint32_t width = 2 + (cfg->gated ? 1 : 0) + cfg->n_quad + cfg->n_cube;
	bool bus = cfg->role != ZK_AIR_BUS_NONE;
	uint32_t degree = 2, n_next = 0;

	if (cfg->n_quad + cfg->n_cube < 1 || width > ZK_AIR_MAX_WIDTH ||
	    !zk_gl_is_canonical(cfg->seed))
		return -1;
	if (cfg->n_cube > 0)
		degree = cfg->gated ? 4 : 3;
	memset(b, 0, sizeof(*b));
	b->cfg = *cfg;
	b->first_fill = cfg->gated ? 3 : 2;
	for (unsigned i = 0; i < 8; i++)
		b->pub[i] = (uint8_t)(cfg->seed >> (8 * i));
	if (bus) {
		b->next[n_next++] = ZK_AIR_BUS_COL_V;
		b->next[n_next++] = ZK_AIR_BUS_COL_M;
	}
	for (uint32_t c = b->first_fill; c < width; c++)
		b->next[n_next++] = c;
	b->air = (struct zk_air){
		.name = role_name(cfg->role),
		.version = 1,
		.main_width = width,
		.aux_width = bus ? 1 : 0,
		.n_aux_rand = bus ? 1 : 0,
		.n_main_constraints = cfg->n_quad + cfg->n_cube +
				      (cfg->gated ? 1 : 0),
		.n_aux_constraints = bus ? 1 : 0,
		.max_degree = degree,
		.ctx = b,
		.eval_main = bus_eval_base,
		.eval_main_ext = bus_eval_ext,
		.eval_aux = bus ? bus_eval_aux : NULL,
		.build_aux = bus ? bus_build_aux : NULL,
		.assertions = bus_assertions,
		.main_next = b->next,
		.n_main_next = n_next,
		.pub = b->pub,
		.pub_len = sizeof(b->pub),
	};
	return 0;
}

void zk_air_bus_producer_values(unsigned log_n, zk_gl *v, zk_gl *m)
{
	for (size_t i = 0; i < ((size_t)1 << log_n); i++) {
		v[i] = i;
		m[i] = 0;
	}
}

void zk_air_bus_consumer_values(unsigned log_n, unsigned producer_log_n,
				uint64_t salt, zk_gl *v, zk_gl *m,
				zk_gl *producer_m)
{
	uint64_t span = ((uint64_t)1 << producer_log_n) - 1;

	v[0] = 0;
	m[0] = 0;
	for (size_t j = 1; j < ((size_t)1 << log_n); j++) {
		v[j] = 1 + (5 * j + salt) % span;
		m[j] = 1;
		producer_m[v[j]] = zk_gl_add(producer_m[v[j]], 1);
	}
}

void zk_air_bus_fill(const struct zk_air_bus *b, unsigned log_n,
		     zk_gl *const *cols)
{
	size_t n = (size_t)1 << log_n;
	uint32_t na = b->cfg.n_quad, nb = b->cfg.n_cube, base = b->first_fill;
	const zk_gl *v = cols[ZK_AIR_BUS_COL_V];

	if (b->cfg.gated)
		for (size_t i = 0; i < n; i++)
			cols[ZK_AIR_BUS_COL_SEL][i] = (i % 4) == 0;
	for (uint32_t j = 0; j < na + nb; j++) {
		zk_gl *c = cols[base + j];

		c[0] = j == 0 ? b->cfg.seed : zk_gl_add(b->cfg.seed, j);
		for (size_t i = 0; i + 1 < n; i++) {
			zk_gl x = j < na ? zk_gl_sqr(c[i]) :
				  zk_gl_mul(zk_gl_sqr(c[i]), c[i]);
			uint32_t k = j < na ? j : j - na;

			c[i + 1] = zk_gl_add(zk_gl_add(x, v[i]), (zk_gl)k + 1);
		}
	}
}
