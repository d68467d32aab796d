/* SPDX-License-Identifier: MIT */
/*
 * Poseidon2-w12 permutation constraints for the CLOB AIR, written once for
 * both fields (air_template.h). No include guard: clob_air.c includes it
 * twice. Round structure as poseidon2.h states it: M_E, 4 full, 22
 * partial, 4 full rounds. Per permutation the row commits, per S-box, its
 * cube t = u^3 and (except in the last round) its output y = u·t^2, so
 * every constraint has degree 3 and the S-box inputs are linear forms of
 * committed cells (CLOB_P2_WIT = 224 cells, as tests/stark/air_p2chain.h
 * explains for the chain AIR).
 */

#define CLOB_P2_HALF (ZK_P2_FULL_ROUNDS / 2)
#define CLOB_P2_FT(base, r)                                                    \
	((r) < CLOB_P2_HALF ? (base) + (r) * 24 :                              \
			      (base) + CLOB_P2_HALF * 24 +                     \
				      2 * ZK_P2_PARTIAL_ROUNDS +               \
				      ((r) - CLOB_P2_HALF) * 24)
#define CLOB_P2_FY(base, r) (CLOB_P2_FT(base, r) + ZK_P2_WIDTH12)
#define CLOB_P2_PT(base, p) ((base) + CLOB_P2_HALF * 24 + 2 * (p))

#include "air_p2_linear.h"

/*
 * x: the permutation input (linear forms); on return the output (degree-3
 * forms). Writes CLOB_P2_WIT constraints at out[*k...].
 */
static inline void ZKT_FN(clob_p2_perm)(const ZKT *cur, unsigned base, ZKT *x,
					ZKT *out, unsigned *k)
{
	unsigned r, p, i;

	ZKT_FN(p2_external)(x);
	for (r = 0; r < ZK_P2_FULL_ROUNDS; r++) {
		if (r == CLOB_P2_HALF) {
			for (p = 0; p < ZK_P2_PARTIAL_ROUNDS; p++) {
				ZKT u = ZKT_ADD_CONST(x[0], zk_p2_w12_rc_int[p]);
				ZKT t = cur[CLOB_P2_PT(base, p)];
				ZKT y = cur[CLOB_P2_PT(base, p) + 1];

				out[(*k)++] = ZKT_SUB(t, ZKT_MUL(ZKT_SQR(u), u));
				out[(*k)++] = ZKT_SUB(y, ZKT_MUL(u, ZKT_SQR(t)));
				x[0] = y;
				ZKT_FN(p2_internal)(x);
			}
		}
		for (i = 0; i < ZK_P2_WIDTH12; i++) {
			ZKT u = ZKT_ADD_CONST(x[i], zk_p2_w12_rc_ext[r][i]);
			ZKT t = cur[CLOB_P2_FT(base, r) + i];
			ZKT ut2 = ZKT_MUL(u, ZKT_SQR(t));

			out[(*k)++] = ZKT_SUB(t, ZKT_MUL(ZKT_SQR(u), u));
			if (r + 1 < ZK_P2_FULL_ROUNDS) {
				x[i] = cur[CLOB_P2_FY(base, r) + i];
				out[(*k)++] = ZKT_SUB(x[i], ut2);
			} else {
				x[i] = ut2;
			}
		}
		ZKT_FN(p2_external)(x);
	}
}
