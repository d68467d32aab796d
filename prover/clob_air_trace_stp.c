/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR trace builder, the witnesses of a CANCEL_BOTH self-trade stop
 * (clob_air_stp.h): the self-trade read OX and the maker's order_remove
 * after it (the full cancel's roles, zk_clob_write_witness), the columns
 * the maker's CANCELLED STP needs, and the flags of the op's events, all
 * from the engine's accesses and events in those rows.
 */
#include <stdint.h>

#include "clob_air.h"
#include "clob_air_witness.h"

void zk_clob_stp_witness(const struct zk_clob_air *c, zk_gl *const *cols,
			 size_t at, size_t end, size_t ox, size_t prev_hw)
{
	zk_gl last = c->lay.count[ZK_SLOT_BUCKET] - 1;
	zk_gl mklo = cols[C_MSG + 3][ox], mkhi = cols[C_MSG + 4][ox];
	zk_gl stp = cols[C_OPF + OPF_STP][ox];
	size_t from = prev_hw == 0 ? at : ox, hw = ox, r, q;
	/* CANCEL_OLDEST: the loop goes on after the removal (FR) */
	zk_gl fr = c->mp.stp == ZK_STP_CANCEL_OLDEST;

	/* engine self_trade: equal groups (GD, J3 = 1/stp) or both 0 and
	 * equal accounts */
	cols[C_GD][ox] = stp != 0;
	cols[C_J3][ox] = inv_or_zero(stp);
	while (hw < end && !cols[C_HW][hw])
		hw++;
	for (r = from; r < end; r++) {
		cols[C_MKLO][r] = mklo;
		cols[C_MKHI][r] = mkhi;
		cols[C_REMLO][r] = cols[C_MSG + 9][ox];
		cols[C_REMHI][r] = cols[C_MSG + 10][ox];
		cols[C_MRLO][r] = cols[C_MRHI][r] = 0;
		cols[C_FLLO][r] = cols[C_FLHI][r] = 0;
		cols[C_FR][r] = fr;
		cols[C_FM][r] = 0;
		cols[C_AC][r] = r > ox && r <= hw;
		if (cols[C_HN][r] || cols[C_LVN][r])
			zk_clob_nocross_witness(cols, r);
	}
	/* the maker id's probes (the home on the row before them) */
	for (r = ox + 1; r < end; r++) {
		zk_gl dlo, dhi;

		if (!cols[C_MP][r])
			continue;
		dlo = zk_gl_sub(cols[C_MSG + 3][r], mklo);
		dhi = zk_gl_sub(cols[C_MSG + 4][r], mkhi);
		cols[C_BSLOT][r] = cols[C_MSG + 2][r];
		cols[C_WRAP][r] = cols[C_MSG + 2][r] == last;
		cols[C_WINV][r] = inv_or_zero(zk_gl_sub(cols[C_MSG + 2][r],
							last));
		cols[C_J3][r] = inv_or_zero(zk_gl_sub(cols[C_MSG + 5][r],
						      CLOB_NIL));
		if (dlo != 0)
			cols[C_J1][r] = inv_or_zero(dlo);
		else
			cols[C_J2][r] = inv_or_zero(dhi);
		if (!cols[C_MP][r - 1]) {
			cols[C_HM][r - 1] = 1;
			zk_clob_home_bits(cols, r - 1, mklo | mkhi << 32);
		}
	}
	zk_clob_write_witness(c, cols, prev_hw == 0 ? at : ox - 1, end);
	/* the pass that leads here still carries the last fill's X columns,
	 * and its hole until the maker's probes */
	if (prev_hw == 0)
		return;
	for (r = ox; r < end && !cols[C_MP][r]; r++)
		;
	for (q = prev_hw + 1; q < ox; q++) {
		for (unsigned i = C_XSLOT; i <= C_WN; i++)
			cols[i][q] = cols[i][prev_hw];
		cols[C_BW][q] = cols[C_BW][prev_hw];
	}
	for (q = prev_hw + 1; q < r; q++) {
		cols[C_HOLE][q] = cols[C_HOLE][prev_hw];
		cols[C_SCAN][q] = cols[C_SCAN][prev_hw];
	}
}

void zk_clob_stp_flags(zk_gl *const *cols, size_t ox, size_t end)
{
	zk_gl fj = cols[C_FJ][end - 1];

	for (size_t r = ox; r < end; r++)
		cols[C_BT][r] = 1;
	cols[C_BZ][end - 1] = fj == 0;
	cols[C_BZI][end - 1] = inv_or_zero(fj);
}

void zk_clob_stp_events(zk_gl *const *cols, size_t emit_row, size_t ev_row,
			size_t ev_end)
{
	static const unsigned mk[] = { C_XSIDE, C_MKLO, C_MKHI, C_XPLO,
				       C_XPHI, C_REMLO, C_REMHI };
	static const unsigned tk[] = { OPF_SEQ, OPF_SEQ + 1, OPF_MARKET,
				       OPF_OID, OPF_OID + 1, OPF_SIDE,
				       OPF_PRICE, OPF_PRICE + 1 };
	size_t r;
	unsigned i;

	if (!cols[C_BT][emit_row] || ev_end < ev_row + 3)
		return;
	for (r = ev_row; r < ev_end; r++) {
		cols[C_BT][r] = 1;
		cols[C_RST][r] = 0;
		for (i = 0; i < sizeof(mk) / sizeof(mk[0]); i++)
			cols[mk[i]][r] = cols[mk[i]][emit_row];
	}
	for (i = 0; i < sizeof(tk) / sizeof(tk[0]); i++)
		cols[C_OPF + tk[i]][ev_row] = cols[C_OPF + tk[i]][emit_row];
	cols[C_TRLO][ev_row] = cols[C_TRLO][emit_row];
	cols[C_TRHI][ev_row] = cols[C_TRHI][emit_row];
	if (cols[C_BZ][emit_row]) {
		cols[C_BZ][ev_row] = 1;
		cols[C_ET][ev_row] = 0;
	}
	/* the maker's CANCELLED STP, then the taker's, with the remaining
	 * of the row before */
	cols[C_SM][ev_end - 2] = 1;
	cols[C_SE][ev_end - 1] = 1;
	for (r = ev_end - 2; r < ev_end; r++) {
		cols[C_TRLO][r] = cols[C_TRLO][ev_end - 3];
		cols[C_TRHI][r] = cols[C_TRHI][ev_end - 3];
	}
}
