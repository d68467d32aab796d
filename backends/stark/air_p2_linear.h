/* SPDX-License-Identifier: MIT */
/*
 * The linear layers of Poseidon2 width 12 (poseidon2.h), written once for
 * both fields (air_template.h) so that every AIR that proves a Poseidon2
 * permutation uses the same M_E and M_I: ZKT_FN(p2_external) and
 * ZKT_FN(p2_internal). No include guard: an AIR includes it once per field,
 * after air_template.h.
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
