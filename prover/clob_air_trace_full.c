/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR trace builder, BOOK_FULL from a full level table and post-only
 * BOOK_FULL (clob_air_full.h): the role of each of the op's accesses
 * after its probes, from the engine's access and the row before it, with
 * the row's witnesses. Every value comes from the engine's recorded reads.
 */
#include <stdint.h>

#include "clob_air.h"
#include "clob_air_witness.h"

unsigned zk_clob_full_role(zk_gl *const *cols, size_t r,
			   const struct zk_witness_access *a, zk_gl side)
{
	int64_t price = (int64_t)(cols[C_OPF + OPF_PRICE][r] |
				  cols[C_OPF + OPF_PRICE + 1][r] << 32);
	int64_t lp, gap;
	/* the row before is a probe: HP's place */
	int after_probe = cols[C_MSG + 0][r - 1] == ZK_SLOT_BUCKET;

	cols[C_APO][r] = cols[C_OPF + OPF_FLAGS][r];
	switch (a->kind) {
	case ZK_SLOT_HEADER:
		/* would_cross's read of a post-only op */
		if (cols[C_APO][r] && after_probe) {
			cols[C_BSLOT][r] = side == ZK_SIDE_BUY ?
						   a->before.header.best_ask :
						   a->before.header.best_bid;
			return C_HP;
		}
		/* a NEW's empty order free list is the order-table
		 * BOOK_FULL's header read (HDR); a REPLACE reuses its slot */
		if (!cols[C_AQF][r] &&
		    a->before.header.order_free == ZK_SLOT_NIL)
			return 0;
		cols[C_BSLOT][r] = side == ZK_SIDE_BUY ?
					   a->before.header.best_bid :
					   a->before.header.best_ask;
		cols[C_J1][r] = inv_or_zero(zk_gl_sub(
			a->before.header.order_free, CLOB_NIL));
		return C_HF;
	case ZK_SLOT_LEVEL:
		lp = a->before.level.price;
		if (cols[C_HP][r - 1]) {
			/* no cross: (3 − 2·side)·(lp − price) > 0 */
			gap = side == ZK_SIDE_BUY ? lp - price : price - lp;
			zk_clob_set_reg(cols, r, 0, cols[C_MSG + 4][r] << 32);
			zk_clob_set_reg(cols, r, 1, (uint64_t)(gap - 1));
			return C_LP;
		}
		if (a->before.level.side != side) {
			cols[C_BSLOT][r] = cols[C_BSLOT][r - 1];
			return C_BLX;
		}
		/* better: (3 − 2·side)·(lp − price) > 0 */
		gap = side == ZK_SIDE_BUY ? lp - price : price - lp;
		zk_clob_set_reg(cols, r, 0, cols[C_MSG + 4][r] << 32);
		if (gap > 0) {
			zk_clob_set_reg(cols, r, 1, (uint64_t)(gap - 1));
			return C_BFB;
		}
		zk_clob_set_reg(cols, r, 1, (uint64_t)(-gap - 1));
		return C_BFW;
	default:
		return 0;
	}
}

unsigned zk_clob_full_replace_role(zk_gl *const *cols, size_t r,
				   const struct zk_witness_access *a,
				   zk_gl side)
{
	if (a->kind == ZK_SLOT_BUCKET)
		return zk_clob_replace_role((const zk_gl *const *)cols, r, a);
	if (a->kind == ZK_SLOT_LEVEL && cols[C_NP][r - 1])
		return C_LO;
	return zk_clob_full_role(cols, r, a, side);
}

void zk_clob_full_witness(zk_gl *const *cols, size_t at, size_t end)
{
	for (size_t r = at + 1; r < end; r++) {
		zk_gl dh = zk_gl_sub(cols[C_MSG + 7][r], cols[C_XSLOT][r]);

		if (!cols[C_LO][r])
			continue;
		zk_clob_keep_false_witness(cols, r);
		/* the order is not alone in its level: head or tail differ */
		cols[C_J1][r] = inv_or_zero(dh);
		cols[C_J2][r] = dh != 0 ? 0 : inv_or_zero(zk_gl_sub(
				cols[C_MSG + 8][r], cols[C_XSLOT][r]));
	}
}
