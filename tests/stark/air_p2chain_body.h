/* SPDX-License-Identifier: MIT */
/*
 * Poseidon2-w12 round constraints, written once for both fields
 * (air_template.h). No include guard: air_p2chain.c includes it twice.
 * Round structure as poseidon2.h states it: M_E, 4 full, 22 partial,
 * 4 full rounds.
 */

#include "air_p2_linear.h"

static void ZKT_FN(p2chain_eval)(const void *ctx, const ZKT *cur, const ZKT *nxt,
				 const ZKT *periodic, ZKT *out)
{
	ZKT x[ZK_P2_WIDTH12];
	unsigned r, p, i, k = 0;

	(void)ctx;
	(void)periodic;
	for (i = 0; i < ZK_P2_WIDTH12; i++)
		x[i] = cur[ZK_P2CHAIN_COL_IN + i];
	ZKT_FN(p2_external)(x);
	for (r = 0; r < ZK_P2_FULL_ROUNDS; r++) {
		if (r == ZK_P2CHAIN_HALF_FULL) {
			for (p = 0; p < ZK_P2_PARTIAL_ROUNDS; p++) {
				ZKT u = ZKT_ADD_CONST(x[0], zk_p2_w12_rc_int[p]);
				ZKT t = cur[ZK_P2CHAIN_COL_PT(p)];
				ZKT y = cur[ZK_P2CHAIN_COL_PY(p)];

				out[k++] = ZKT_SUB(t, ZKT_MUL(ZKT_SQR(u), u));
				out[k++] = ZKT_SUB(y, ZKT_MUL(u, ZKT_SQR(t)));
				x[0] = y;
				ZKT_FN(p2_internal)(x);
			}
		}
		for (i = 0; i < ZK_P2_WIDTH12; i++) {
			ZKT u = ZKT_ADD_CONST(x[i], zk_p2_w12_rc_ext[r][i]);
			ZKT t = cur[ZK_P2CHAIN_COL_FT(r) + i];
			ZKT ut2 = ZKT_MUL(u, ZKT_SQR(t));

			out[k++] = ZKT_SUB(t, ZKT_MUL(ZKT_SQR(u), u));
			if (r + 1 < ZK_P2_FULL_ROUNDS) {
				x[i] = cur[ZK_P2CHAIN_COL_FY(r) + i];
				out[k++] = ZKT_SUB(x[i], ut2);
			} else {
				x[i] = ut2;
			}
		}
		ZKT_FN(p2_external)(x);
	}
	for (i = 0; i < ZK_P2_WIDTH12; i++)
		out[k++] = ZKT_SUB(nxt[ZK_P2CHAIN_COL_IN + i], x[i]);
}
