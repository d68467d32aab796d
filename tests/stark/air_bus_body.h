/* SPDX-License-Identifier: MIT */
/*
 * Bus AIR main constraints (air_bus.h), written once for both fields
 * (air_template.h). No include guard.
 */

static void ZKT_FN(bus_eval)(const void *ctx, const ZKT *cur, const ZKT *nxt,
			     const ZKT *periodic, ZKT *out)
{
	const struct zk_air_bus *b = ctx;
	uint32_t na = b->cfg.n_quad, nb = b->cfg.n_cube, base = b->first_fill;
	ZKT v = cur[ZK_AIR_BUS_COL_V];

	(void)periodic;
	for (uint32_t j = 0; j < na; j++) {
		ZKT next = ZKT_ADD_CONST(ZKT_ADD(ZKT_SQR(cur[base + j]), v),
					 (zk_gl)j + 1);

		out[j] = ZKT_SUB(nxt[base + j], next);
	}
	base += na;
	for (uint32_t j = 0; j < nb; j++) {
		ZKT x = cur[base + j];
		ZKT next = ZKT_ADD_CONST(ZKT_ADD(ZKT_MUL(ZKT_SQR(x), x), v),
					 (zk_gl)j + 1);

		out[na + j] = ZKT_SUB(nxt[base + j], next);
		if (b->cfg.gated)
			out[na + j] = ZKT_MUL(cur[ZK_AIR_BUS_COL_SEL],
					      out[na + j]);
	}
	if (b->cfg.gated) {
		ZKT sel = cur[ZK_AIR_BUS_COL_SEL];

		out[na + nb] = ZKT_MUL(sel, ZKT_ADD_CONST(sel, ZK_GL_P - 1));
	}
}
