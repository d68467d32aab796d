/* SPDX-License-Identifier: MIT */
/*
 * Main constraints of the k-value range AIR (table steps, first-row
 * selector), written once for both fields (air_template.h). No include
 * guard.
 */

static void ZKT_FN(range_k_eval)(const void *ctx, const ZKT *cur,
				 const ZKT *nxt, const ZKT *periodic, ZKT *out)
{
	const struct zk_air_range_k *r = ctx;
	unsigned k = r->n_values;
	ZKT step = ZKT_SUB(nxt[ZK_RANGEK_COL_TABLE(k)],
			   cur[ZK_RANGEK_COL_TABLE(k)]);

	(void)periodic;
	out[0] = ZKT_MUL(step, ZKT_ADD_CONST(step, ZK_GL_P - 1));
	out[1] = nxt[ZK_RANGEK_COL_FIRST(k)];
}
