/* SPDX-License-Identifier: MIT */
/*
 * Poseidon2-w12 round constraints, written once for both fields
 * (air_template.h). No include guard: air_p2chain.c includes it twice.
 * Round structure as poseidon2.h states it: M_E, 4 full, 22 partial,
 * 4 full rounds.
 */

/* M_E = circ(2·M4, M4, M4): each block by M4, then add the column sums. */
static inline void ZKT_FN(p2_external)(ZKT *x)
{
	ZKT sum[4];
	unsigned blk, i;

	for (blk = 0; blk < ZK_P2_WIDTH12; blk += 4) {
		ZKT ab = ZKT_ADD(x[blk], x[blk + 1]);
		ZKT cd = ZKT_ADD(x[blk + 2], x[blk + 3]);
		ZKT t2 = ZKT_ADD(ZKT_DOUBLE(x[blk + 1]), cd);
		ZKT t3 = ZKT_ADD(ZKT_DOUBLE(x[blk + 3]), ab);
		ZKT t4 = ZKT_ADD(ZKT_DOUBLE(ZKT_DOUBLE(cd)), t3);
		ZKT t5 = ZKT_ADD(ZKT_DOUBLE(ZKT_DOUBLE(ab)), t2);

		x[blk] = ZKT_ADD(t3, t5);
		x[blk + 1] = t5;
		x[blk + 2] = ZKT_ADD(t2, t4);
		x[blk + 3] = t4;
	}
	for (i = 0; i < 4; i++)
		sum[i] = ZKT_ADD(ZKT_ADD(x[i], x[i + 4]), x[i + 8]);
	for (i = 0; i < ZK_P2_WIDTH12; i++)
		x[i] = ZKT_ADD(x[i], sum[i & 3]);
}

static inline void ZKT_FN(p2_internal)(ZKT *x)
{
	ZKT sum = x[0];
	unsigned i;

	for (i = 1; i < ZK_P2_WIDTH12; i++)
		sum = ZKT_ADD(sum, x[i]);
	for (i = 0; i < ZK_P2_WIDTH12; i++)
		x[i] = ZKT_ADD(ZKT_MUL_CONST(x[i], zk_p2_w12_diag[i]), sum);
}

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
