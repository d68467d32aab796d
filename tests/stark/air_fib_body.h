/* SPDX-License-Identifier: MIT */
/*
 * Fibonacci transition constraints, written once for both fields
 * (air_template.h). No include guard: air_fib.c includes it twice.
 */

static void ZKT_FN(fib_eval)(const void *ctx, const ZKT *cur, const ZKT *nxt,
			     const ZKT *periodic, ZKT *out)
{
	(void)ctx;
	(void)periodic;
	out[0] = ZKT_SUB(nxt[0], cur[1]);
	out[1] = ZKT_SUB(nxt[1], ZKT_ADD(cur[0], cur[1]));
}
