/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR trace builder, a REPLACE that moves and rests without crossing
 * (clob_air_move.h): the roles of its accesses after the order read (the
 * new id's chain, the read of the order's level, slots_available's
 * header read, then order_remove's and the rest's, which the full
 * cancel's and the resting NEW's role finders name), and the witnesses
 * the move adds to theirs: the rest's from the row after the removal's
 * header write, the side and stp group of what rests on every row. A
 * move that trades stops at its match's first header read (XS):
 * clob_air_trace_xmove.c from there.
 */
#include <stdint.h>

#include "clob_air.h"
#include "clob_air_witness.h"

void zk_clob_keep_false_witness(zk_gl *const *cols, size_t r)
{
	zk_gl price = zk_gl_add(cols[C_OPF + OPF_PRICE][r],
				zk_gl_mul(cols[C_OPF + OPF_PRICE + 1][r],
					  (zk_gl)1 << 32));
	zk_gl xp = zk_gl_add(cols[C_XPLO][r],
			     zk_gl_mul(cols[C_XPHI][r], (zk_gl)1 << 32));
	uint64_t qty = cols[C_OPF + OPF_QTY][r] |
		       cols[C_OPF + OPF_QTY + 1][r] << 32;
	uint64_t rem = cols[C_REMLO][r] | cols[C_REMHI][r] << 32;
	uint64_t g = qty - rem - 1;

	cols[C_DP][r] = price != xp;
	cols[C_PINV][r] = inv_or_zero(zk_gl_sub(price, xp));
	if (cols[C_DP][r])
		return;
	cols[C_B1][r] = cols[C_OPF + OPF_QTY][r] < cols[C_REMLO][r] + 1;
	zk_clob_set_reg(cols, r, 0, (g & 0xffffffffu) << 8);
	zk_clob_set_reg(cols, r, 1, (g >> 32) << 8);
}

unsigned zk_clob_move_role(const zk_gl *const *cols, size_t at, size_t r,
			   const struct zk_witness_access *a,
			   const struct zk_witness_access *next)
{
	size_t p = r - 1, q;
	int hs = 0;

	(void)next;
	for (q = at + 1; q < r; q++) {
		if (cols[C_HW][q])
			return CLOB_ROLE_REST;
		hs |= cols[C_HS][q] != 0;
	}
	/* (with no free level slot, level_lookup's read first:
	 * clob_air_mfull.h) */
	if (hs && (cols[C_HS][p] || cols[C_LK][p]) && !a->write)
		return a->kind == ZK_SLOT_ORDER ? C_OR2 :
		       a->kind == ZK_SLOT_LEVEL && cols[C_HS][p] ? C_LK :
								   CLOB_ROLE_CANCEL;
	if (hs)
		return CLOB_ROLE_CANCEL;
	switch (a->kind) {
	case ZK_SLOT_BUCKET:
		return C_NP;
	case ZK_SLOT_LEVEL:
		return C_LO;
	default:
		return C_HS;
	}
}

void zk_clob_move_witness(const struct zk_clob_air *c, zk_gl *const *cols,
			  size_t at, size_t end)
{
	size_t rld = end, r, xs = end;
	uint64_t qty = cols[C_OPF + OPF_QTY][at] |
		       cols[C_OPF + OPF_QTY + 1][at] << 32;

	/* a move that trades: its own rows end at its match's first header
	 * read (zk_clob_xmove_witness from there) */
	for (r = at + 1; r < end; r++)
		if (cols[C_XS][r]) {
			xs = r;
			break;
		}
	/* the taker's remaining before any fill: the new qty (clob_fill) */
	for (r = at; r < xs; r++) {
		cols[C_TRLO][r] = qty & 0xffffffffu;
		cols[C_TRHI][r] = qty >> 32;
	}
	for (r = at + 1; r < xs; r++) {
		if (rld == end && cols[C_HW][r - 1])
			rld = r;
		if (cols[C_LO][r]) {
			zk_clob_keep_false_witness(cols, r);
			zk_clob_alone_witness(cols, r);
		}
		if (cols[C_HS][r]) {
			zk_gl lf = cols[C_MSG + 6][r];

			/* (no free level slot: clob_air_mfull.h) */
			cols[C_MF][r] = lf == CLOB_NIL;
			cols[C_MA][r] = cols[C_MA][r - 1];

			cols[C_J1][r] = inv_or_zero(zk_gl_sub(cols[C_MSG + 5][r],
							      CLOB_NIL));
			cols[C_J2][r] = inv_or_zero(zk_gl_sub(lf, CLOB_NIL));
		}
	}
	/* side and stp group of what rests: the order read's, on the op
	 * row too (so the rest's witnesses see them at any row) */
	for (r = at; r < end; r++) {
		if (r < xs)
			cols[C_RSIDE][r] = cols[C_XSIDE][r];
		cols[C_RSTP][r] = cols[C_RSTP][end - 1];
	}
	if (xs != end) {
		cols[C_RLD][xs] = 1;
		return;
	}
	if (rld == end)
		return;
	cols[C_RLD][rld] = 1;
	zk_clob_rest_witness(c, cols, rld, end);
	for (r = at; r < rld; r++)
		cols[C_EX][r] = cols[C_EX][rld];
}
