/* SPDX-License-Identifier: MIT */
/*
 * Range-check main constraints (table steps, first-row selector), written
 * once for both fields (air_template.h). No include guard.
 */

static void ZKT_FN(range_eval)(const void *ctx, const ZKT *cur, const ZKT *nxt,
			       const ZKT *periodic, ZKT *out)
{
	ZKT step = ZKT_SUB(nxt[ZK_RANGE_COL_TABLE], cur[ZK_RANGE_COL_TABLE]);

	(void)ctx;
	(void)periodic;
	out[0] = ZKT_MUL(step, ZKT_ADD_CONST(step, ZK_GL_P - 1));
	out[1] = nxt[ZK_RANGE_COL_FIRST];
}
