/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR trace builder, the witnesses of a taker filled by one maker
 * (clob_air_match.h): the roles of its accesses and, once its rows are
 * laid out, the maker's columns, the self-trade and borrow witnesses, the
 * maker removal's probes (its other roles are the full cancel's:
 * zk_clob_write_witness) and the flags of its events, all from the
 * engine's accesses in those rows.
 */
#include <stdint.h>

#include "clob_air.h"

static zk_gl inv_or_zero(zk_gl v)
{
	zk_gl r;

	if (v == 0 || !zk_gl_inv(v, &r))
		return 0;
	return r;
}

/* The row of role col among the op's rows [at, r), or 0. */
static size_t find_role(const zk_gl *const *cols, unsigned col, size_t at,
			size_t r)
{
	while (r-- > at)
		if (cols[col][r])
			return r;
	return 0;
}

static int self_trade(const zk_gl *const *cols, size_t r,
		      const struct zk_order_slot *o)
{
	uint64_t acct = cols[C_OPF + OPF_ACCT][r] |
			cols[C_OPF + OPF_ACCT + 1][r] << 32;
	zk_gl stp = cols[C_OPF + OPF_STP][r];

	if (stp != 0 || o->stp_group != 0)
		return stp == o->stp_group;
	return acct == o->account;
}

unsigned zk_clob_match_role(const zk_gl *const *cols, size_t at, size_t r,
			    const struct zk_witness_access *a,
			    const struct zk_witness_access *next)
{
	size_t om = find_role(cols, C_OM, at, r);
	size_t lw = find_role(cols, C_LW, at, r);
	/* after the maker's removal (FR) the taker looks for more */
	size_t hw = find_role(cols, C_HW, at, r);
	size_t p = r - 1;
	int gtc = cols[C_OPF + OPF_TIF][r] == ZK_TIF_GTC;
	int fok = cols[C_OPF + OPF_TIF][r] == ZK_TIF_FOK;

	/* after the maker's removal the taker reads the header again and
	 * (GTC) rests: the resting NEW's roles */
	if (hw != 0)
		return CLOB_ROLE_REST;
	switch (a->kind) {
	case ZK_SLOT_ORDER:
		if (!a->write && cols[C_ML][p])
			return C_OR2;
		/* a FOK's fok_fillable reads the head before match does; a
		 * head of the taker's own stops it (engine self_trade) */
		if (!a->write && fok && om == 0 &&
		    find_role(cols, C_FO, at, r) == 0)
			return C_FO;
		if (!a->write)
			return self_trade(cols, r, &a->before.order) ? C_OS :
								       C_OM;
		if (cols[C_OM][p])
			return C_MW;
		return lw != 0 ? C_OF : C_NW; /* a head has no prev */
	case ZK_SLOT_LEVEL:
		if (!a->write)
			return 0; /* LVL */
		if (cols[C_MW][p])
			return C_ML;
		if (lw == 0)
			return C_LW;
		if (a->slot == cols[C_MSG + 9][lw])
			return C_LB;
		return a->slot == cols[C_MSG + 10][lw] ? C_LWO : C_LF;
	case ZK_SLOT_BUCKET:
		if (lw == 0)
			return 0; /* the taker's probes */
		if (a->write)
			return next != NULL && next->kind == ZK_SLOT_BUCKET &&
					       !next->write ?
				       C_EM : C_EF;
		if (cols[C_ES][p] || cols[C_EM][p])
			return C_ES;
		/* the maker's probes end at its id */
		return cols[C_MP][p] && om != 0 &&
			       cols[C_MSG + 3][p] == cols[C_MSG + 3][om] &&
			       cols[C_MSG + 4][p] == cols[C_MSG + 4][om] ?
			       C_ES : C_MP;
	default:
		if (!a->write) /* slots_available's first, else HDR */
			return gtc && find_role(cols, C_HS, at, r) == 0 ?
				       C_HS : 0;
		return find_role(cols, C_ES, at, r) != 0 ? C_HW : C_HL;
	}
}

void zk_clob_match_witness(const struct zk_clob_air *c, zk_gl *const *cols,
			   size_t at, size_t end)
{
	static const unsigned carried[] = { C_MKLO, C_MKHI, C_MRLO, C_MRHI,
					    C_XPLO, C_XPHI, C_FLLO, C_FLHI,
					    C_TRLO, C_TRHI, C_FR };
	zk_gl val[11] = { 0 }, last = c->lay.count[ZK_SLOT_BUCKET] - 1;
	zk_gl qlo = cols[C_OPF + OPF_QTY][at];
	zk_gl qhi = cols[C_OPF + OPF_QTY + 1][at];
	size_t r, ml = end;
	unsigned i;

	for (r = at + 1; r < end; r++) {
		zk_gl *bef[ZK_ST_LEAF_ELEMS], *aft[ZK_ST_LEAF_ELEMS];

		for (i = 0; i < ZK_ST_LEAF_ELEMS; i++) {
			bef[i] = &cols[C_MSG + i][r];
			aft[i] = &cols[C_AFT + i][r];
		}
		if (cols[C_OM][r]) {
			zk_gl dg = zk_gl_sub(cols[C_OPF + OPF_STP][r], *bef[14]);
			zk_gl dlo = zk_gl_sub(*bef[5], cols[C_OPF + OPF_ACCT][r]);
			zk_gl dhi = zk_gl_sub(*bef[6],
					      cols[C_OPF + OPF_ACCT + 1][r]);

			cols[C_GD][r] = dg != 0;
			cols[C_J3][r] = inv_or_zero(dg);
			if (dlo != 0)
				cols[C_J1][r] = inv_or_zero(dlo);
			else
				cols[C_J2][r] = inv_or_zero(dhi);
			val[0] = *bef[3];
			val[1] = *bef[4];
			val[4] = *bef[7];
			val[5] = *bef[8];
		} else if (cols[C_MW][r]) {
			uint64_t mrem = *bef[9] | *bef[10] << 32;
			/* FR: the maker held less than the taker's qty */
			int fr = mrem < (qlo | qhi << 32);
			zk_gl flo = fr ? *bef[9] : qlo;
			zk_gl fhi = fr ? *bef[10] : qhi;

			cols[C_B1][r] = *bef[9] < flo;
			cols[C_B3][r] = qlo < flo;
			val[6] = flo;
			val[7] = fhi;
			val[8] = zk_gl_sub(qlo, flo);
			val[9] = zk_gl_sub(qhi, fhi);
			if (cols[C_B3][r]) {
				val[8] = zk_gl_add(val[8], 1ull << 32);
				val[9] = zk_gl_sub(val[9], 1);
			}
			val[10] = (zk_gl)fr;
			zk_clob_set_reg(cols, r, 0, *aft[9] << 8);
			zk_clob_set_reg(cols, r, 1, *aft[10] << 8);
			zk_clob_set_reg(cols, r, 2, val[8] << 8);
			zk_clob_set_reg(cols, r, 3, val[9] << 8);
			cols[C_CINV][r] = inv_or_zero(
				zk_gl_add(zk_gl_add(*aft[9], *aft[10]),
					  zk_gl_add(val[8], val[9])));
			val[2] = *aft[9];
			val[3] = *aft[10];
		} else if (cols[C_ML][r]) {
			cols[C_B2][r] = *bef[5] < val[6];
			zk_clob_set_reg(cols, r, 0, *aft[5] << 8);
			zk_clob_set_reg(cols, r, 1, *aft[6] << 8);
			ml = r;
		} else if (cols[C_MP][r]) {
			zk_gl dlo = zk_gl_sub(*bef[3], val[0]);
			zk_gl dhi = zk_gl_sub(*bef[4], val[1]);

			cols[C_BSLOT][r] = *bef[2];
			cols[C_WRAP][r] = *bef[2] == last;
			cols[C_WINV][r] = inv_or_zero(zk_gl_sub(*bef[2], last));
			cols[C_J3][r] = inv_or_zero(zk_gl_sub(*bef[5],
							      CLOB_NIL));
			if (dlo != 0)
				cols[C_J1][r] = inv_or_zero(dlo);
			else
				cols[C_J2][r] = inv_or_zero(dhi);
			if (!cols[C_MP][r - 1]) {
				cols[C_HM][r - 1] = 1;
				zk_clob_home_bits(cols, r - 1,
						  val[0] | val[1] << 32);
			}
		} else if (cols[C_HN][r] || cols[C_LVN][r]) {
			zk_clob_nocross_witness(cols, r);
		}
	}
	/* the op row too: the carried columns hold from it on; the maker
	 * removal's rows are a full cancel's (AC) */
	for (r = at; r < end; r++) {
		for (i = 0; i < sizeof(carried) / sizeof(carried[0]); i++)
			cols[carried[i]][r] = val[i];
		cols[C_FM][r] = val[2] == 0 && val[3] == 0;
		cols[C_AC][r] = r > ml;
		cols[C_REMLO][r] = val[2];
		cols[C_REMHI][r] = val[3];
	}
	/* the last access emits ACCEPTED (ML, HW, or FR's no-cross read) */
	cols[C_EMT][end - 1] = 1;
	zk_clob_write_witness(c, cols, at, end);
	zk_clob_gtc_witness(c, cols, at, end);
}

void zk_clob_match_events(zk_gl *const *cols, size_t emit_row, size_t ev_row)
{
	static const unsigned carried[] = { C_MKLO, C_MKHI, C_MRLO, C_MRHI,
					    C_XPLO, C_XPHI, C_XSIDE, C_FM,
					    C_FLLO, C_FLHI, C_TRLO, C_TRHI,
					    C_FR };
	size_t tr = ev_row + 1;
	unsigned i;

	/* a self-trade stop: ACCEPTED, then CANCELLED STP (clob_air_taker.h
	 * checks it as a taker's second event) */
	if (cols[C_OS][emit_row]) {
		for (i = 0; i < sizeof(carried) / sizeof(carried[0]); i++)
			cols[carried[i]][ev_row] = cols[carried[i]][emit_row];
		cols[C_RST][ev_row] = cols[C_RST][emit_row];
		cols[C_E2][ev_row] = 1;
		cols[C_RSN][ev_row] = ZK_CXL_STP;
		return;
	}
	cols[C_ET][ev_row] = 1;
	cols[C_ED][tr] = 1;
	for (i = 0; i < sizeof(carried) / sizeof(carried[0]); i++) {
		cols[carried[i]][ev_row] = cols[carried[i]][emit_row];
		cols[carried[i]][tr] = cols[carried[i]][emit_row];
	}
	for (i = 0; i < 2; i++) {
		cols[C_OPF + OPF_PRICE + i][tr] =
			cols[C_EVF + EVF_PRICE + i][ev_row];
		cols[C_OPF + OPF_OID + i][tr] = cols[C_EVF + EVF_OID + i][ev_row];
	}
	cols[C_OPF + OPF_SIDE][tr] = cols[C_EVF + EVF_SIDE][ev_row];
	cols[C_EM2][tr + 1] = cols[C_FM][emit_row];
	cols[C_RST][ev_row] = cols[C_RST][emit_row];
	cols[C_RST][tr] = cols[C_RST][emit_row];
	cols[C_RST][tr + 1] = cols[C_RST][emit_row];
	cols[C_FR][tr + 1] = cols[C_FR][emit_row];
	cols[C_TRLO][tr + 1] = cols[C_TRLO][emit_row];
	cols[C_TRHI][tr + 1] = cols[C_TRHI][emit_row];
	for (i = 0; i < 2; i++) {
		cols[C_OPF + OPF_PRICE + i][tr + 1] =
			cols[C_OPF + OPF_PRICE + i][tr];
		cols[C_OPF + OPF_OID + i][tr + 1] =
			cols[C_OPF + OPF_OID + i][tr];
	}
	cols[C_OPF + OPF_SIDE][tr + 1] = cols[C_OPF + OPF_SIDE][tr];
}
