/* SPDX-License-Identifier: MIT */
/*
 * Small witness helpers every CLOB trace builder uses (clob_air_trace*.c).
 *
 * Spec
 *  - inv_or_zero(v): v's inverse in F_p, 0 for v = 0 — the witness of the
 *    AIR's "x ≠ 0 ⇔ x·inv = 1" selectors, where a 0 inverse is honest.
 *  - zk_clob_not_self_witness(): the GD / J1–J3 cells of an order read the
 *    AIR checks is not the taker's own (engine/core.h self_trade).
 *  - zk_clob_own_witness(): whether an order read is the taker's own,
 *    and then the witness of the AIR's self rule.
 *  - zk_clob_alone_witness(): a move's LO row, whether the order is alone
 *    in its level (clob_air_mfull.h).
 *  - zk_clob_taker_crosses(): the engine's crosses() for the taker whose
 *    op cells row r holds, to tell a crossing level read from the end.
 */
#ifndef ZKCLOB_CLOB_AIR_WITNESS_H
#define ZKCLOB_CLOB_AIR_WITNESS_H

#include <stddef.h>
#include <stdint.h>

#include "clob_air.h"

static inline zk_gl inv_or_zero(zk_gl v)
{
	zk_gl r;

	if (v == 0 || !zk_gl_inv(v, &r))
		return 0;
	return r;
}

/*
 * The witness of self_trade's "not the taker's own" on an order read at
 * row r (the AIR's GD / J1–J3 rule): GD says the stp groups differ, J3
 * inverts their difference, J1 or J2 the account limb that differs.
 * taker_stp is the row's taker group (a moved order's for a crossing
 * REPLACE, so the caller names it).
 */
static inline void zk_clob_not_self_witness(zk_gl *const *cols, size_t r,
					    zk_gl taker_stp)
{
	zk_gl dg = zk_gl_sub(taker_stp, cols[C_MSG + 14][r]);
	zk_gl dlo = zk_gl_sub(cols[C_MSG + 5][r], cols[C_OPF + OPF_ACCT][r]);
	zk_gl dhi = zk_gl_sub(cols[C_MSG + 6][r],
			      cols[C_OPF + OPF_ACCT + 1][r]);

	cols[C_GD][r] = dg != 0;
	cols[C_J3][r] = inv_or_zero(dg);
	if (dlo != 0)
		cols[C_J1][r] = inv_or_zero(dlo);
	else
		cols[C_J2][r] = inv_or_zero(dhi);
}

/*
 * Is the order read at row r the taker's own (engine self_trade, the
 * taker from the op cells)? If so, the witness of the AIR's self rule
 * (FS, FSK: GD says the stp groups are equal and not 0, J3 inverts the
 * taker's group) is set.
 */
static inline int zk_clob_own_witness(zk_gl *const *cols, size_t r)
{
	zk_gl stp = cols[C_OPF + OPF_STP][r], ostp = cols[C_MSG + 14][r];
	int own = stp != 0 || ostp != 0 ?
			  stp == ostp :
			  cols[C_MSG + 5][r] == cols[C_OPF + OPF_ACCT][r] &&
				  cols[C_MSG + 6][r] ==
					  cols[C_OPF + OPF_ACCT + 1][r];

	if (own) {
		cols[C_GD][r] = stp != 0;
		cols[C_J3][r] = inv_or_zero(stp);
	}
	return own;
}

/*
 * The LO row r's MA (clob_air_mfull.h): the order (XSLOT) is alone in the
 * level read there, or the inverses J1 / J2 showing it is not.
 */
static inline void zk_clob_alone_witness(zk_gl *const *cols, size_t r)
{
	zk_gl dh = zk_gl_sub(cols[C_MSG + 7][r], cols[C_XSLOT][r]);
	zk_gl dt = zk_gl_sub(cols[C_MSG + 8][r], cols[C_XSLOT][r]);

	cols[C_MA][r] = dh == 0 && dt == 0;
	cols[C_J1][r] = inv_or_zero(dh);
	cols[C_J2][r] = dh == 0 ? inv_or_zero(dt) : 0;
}

/* Would the taker on row r trade at level price lp (engine/core.h
 * crosses)? A market order crosses any level. */
static inline int zk_clob_taker_crosses(const zk_gl *const *cols, size_t r,
					int64_t lp)
{
	int64_t price = (int64_t)(cols[C_OPF + OPF_PRICE][r] |
				  cols[C_OPF + OPF_PRICE + 1][r] << 32);

	if (cols[C_OPF + OPF_ORD][r] == ZK_ORD_MARKET)
		return 1;
	return cols[C_OPF + OPF_SIDE][r] == ZK_SIDE_BUY ? lp <= price :
							  lp >= price;
}

#endif /* ZKCLOB_CLOB_AIR_WITNESS_H */
