/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR trace builder, the witnesses of a resting NEW
 * (clob_air_rest.h), filled once its rows are laid out: the slot, level
 * and neighbours it uses come from the engine's accesses in those rows
 * (the order slot read, the level read before it, the new level's write),
 * nothing from the engine's index.
 */
#include <stdint.h>

#include "clob_air.h"
#include "clob_air_witness.h"

static int64_t level_price(zk_gl *const *cols, size_t r)
{
	return (int64_t)(cols[C_MSG + 3][r] | cols[C_MSG + 4][r] << 32);
}

/* The 40-bit register of "level price strictly beyond the op's price in
 * the direction dir (+1: above, -1: below)": the gap minus one. */
static void gap_regs(zk_gl *const *cols, size_t r, int64_t price, int dir)
{
	int64_t lp = level_price(cols, r);

	zk_clob_set_reg(cols, r, 0, cols[C_MSG + 4][r] << 32);
	zk_clob_set_reg(cols, r, 1,
			(uint64_t)(dir > 0 ? lp - price - 1 : price - lp - 1));
}

void zk_clob_nocross_witness(zk_gl *const *cols, size_t r)
{
	int64_t price = (int64_t)(cols[C_OPF + OPF_PRICE][r] |
				  cols[C_OPF + OPF_PRICE + 1][r] << 32);
	int buy = cols[C_RSIDE][r] == ZK_SIDE_BUY;

	if (cols[C_HN][r]) {
		zk_gl bo = buy ? cols[C_MSG + 4][r] : cols[C_MSG + 3][r];

		cols[C_BSLOT][r] = bo;
		cols[C_BONIL][r] = bo == CLOB_NIL;
		cols[C_J3][r] = inv_or_zero(zk_gl_sub(bo, CLOB_NIL));
		cols[C_J1][r] = inv_or_zero(zk_gl_sub(cols[C_MSG + 5][r],
						      CLOB_NIL));
	}
	if (cols[C_LVN][r])
		gap_regs(cols, r, price, buy ? 1 : -1);
}

void zk_clob_rest_witness(const struct zk_clob_air *c, zk_gl *const *cols,
			  size_t at, size_t end)
{
	uint64_t nb = c->lay.count[ZK_SLOT_BUCKET];
	unsigned kb = c->kind_bits[ZK_SLOT_BUCKET];
	uint64_t boff = c->lay.offset[ZK_SLOT_BUCKET];
	/* a move rests its new id */
	unsigned idf = cols[C_AV][at] ? OPF_NID : OPF_OID;
	uint64_t id = cols[C_OPF + idf][at] | cols[C_OPF + idf + 1][at] << 32;
	/* a GTC taker rests its remaining after the fills */
	uint64_t qlo = cols[C_AM][at] ? cols[C_TRLO][at] :
					cols[C_OPF + OPF_QTY][at];
	int64_t price = (int64_t)(cols[C_OPF + OPF_PRICE][at] |
				  cols[C_OPF + OPF_PRICE + 1][at] << 32);
	int buy = cols[C_RSIDE][at] == ZK_SIDE_BUY;
	zk_gl xslot = 0, xlvl = 0, xprev = CLOB_NIL;
	zk_gl xbetter = CLOB_NIL, xworse = CLOB_NIL, ex = 0;
	size_t ors = end, r;

	for (r = at + 1; r < end; r++) {
		if (cols[C_ORS][r] && ors == end)
			ors = r;
		if (cols[C_HC][r])
			xlvl = cols[C_MSG + 6][r];
		if (cols[C_LN][r]) {
			xbetter = cols[C_AFT + 9][r];
			xworse = cols[C_AFT + 10][r];
		}
	}
	if (ors < end) {
		xslot = cols[C_MSG + 2][ors];
		if (cols[C_LX][ors - 1]) {
			ex = 1;
			xlvl = cols[C_MSG + 2][ors - 1];
			xprev = cols[C_MSG + 8][ors - 1];
		}
	}
	for (r = at; r < end; r++) {
		cols[C_XSLOT][r] = xslot;
		cols[C_XLVL][r] = xlvl;
		cols[C_XPREV][r] = xprev;
		cols[C_PN][r] = xprev == CLOB_NIL;
		cols[C_XBETTER][r] = xbetter;
		cols[C_XWORSE][r] = xworse;
		cols[C_BN][r] = xbetter == CLOB_NIL;
		cols[C_WN][r] = xworse == CLOB_NIL;
		cols[C_BW][r] = cols[C_BN][r] & cols[C_WN][r];
		cols[C_EX][r] = ex;
		cols[C_XHOME][r] = kb == 0 ? 0 : (id * CLOB_HASH_MUL) >> (64 - kb);
		zk_clob_nocross_witness(cols, r);
		if (cols[C_LBW][r])
			gap_regs(cols, r, price, buy ? 1 : -1);
		if (cols[C_LWB][r])
			gap_regs(cols, r, price, buy ? -1 : 1);
		if (cols[C_LX][r])
			cols[C_NCOK][r] = (cols[C_HN][r - 1] &&
					   cols[C_BONIL][r - 1]) ||
					  cols[C_LVN][r - 1];
		if (cols[C_ORS][r])
			cols[C_PINV][r] = inv_or_zero(zk_gl_sub(xprev, CLOB_NIL));
		if (cols[C_HO][r])
			zk_clob_set_reg(cols, r, 0, cols[C_AFT + 7][r] << 8);
		if (cols[C_HC][r])
			zk_clob_set_reg(cols, r, 0, cols[C_AFT + 8][r] << 8);
		if (cols[C_LN][r]) {
			cols[C_BINV][r] = inv_or_zero(zk_gl_sub(xbetter,
								CLOB_NIL));
			cols[C_WINV2][r] = inv_or_zero(zk_gl_sub(xworse,
								 CLOB_NIL));
		}
		if (cols[C_LT][r]) {
			cols[C_B2][r] = cols[C_MSG + 5][r] + qlo >=
					((uint64_t)1 << 32);
			zk_clob_set_reg(cols, r, 0, cols[C_AFT + 5][r] << 8);
			zk_clob_set_reg(cols, r, 1, cols[C_AFT + 6][r] << 8);
		}
		if (cols[C_IP][r] || cols[C_IW][r]) {
			uint64_t j = cols[C_INDEX][r] - boff;

			cols[C_BSLOT][r] = j;
			cols[C_WRAP][r] = j == nb - 1;
			cols[C_WINV][r] = inv_or_zero(zk_gl_sub(j, nb - 1));
			cols[C_J3][r] = inv_or_zero(zk_gl_sub(cols[C_MSG + 5][r],
							      CLOB_NIL));
		}
	}
}
