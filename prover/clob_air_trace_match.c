/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR trace builder, the witnesses of a taker that trades
 * (clob_air_match.h, clob_air_fill.h): the roles of its accesses and,
 * once its rows are laid out, each fill's columns (from its maker read
 * on), the self-trade and borrow witnesses, the maker removals' probes
 * (their other roles are the full cancel's: zk_clob_write_witness, per
 * fill) and the flags of its events, all from the engine's accesses and
 * events in those rows.
 */
#include <stdint.h>

#include "clob_air.h"
#include "clob_air_witness.h"

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
	/* the current fill's rows start at its maker read (or at a
	 * self-trade read whose maker order_remove removes next) */
	size_t om = find_role(cols, C_OM, at, r);
	size_t os = find_role(cols, C_OS, at, r);
	size_t from;

	om = os > om ? os : om;
	from = om != 0 ? om : at;
	size_t lw = find_role(cols, C_LW, from, r);
	size_t hw = find_role(cols, C_HW, from, r);
	size_t p = r - 1;

	int gtc = cols[C_OPF + OPF_TIF][r] == ZK_TIF_GTC;
	int fok = cols[C_OPF + OPF_TIF][r] == ZK_TIF_FOK;

	/* the taker's end: the no-cross reads and (GTC) the rest, the
	 * resting NEW's roles */
	if (find_role(cols, C_HN, at, r) != 0)
		return CLOB_ROLE_REST;
	/* after a maker removal the loop goes on (a header read before a
	 * level that crosses, that level, its head) or ends */
	if (hw != 0) {
		if (a->kind == ZK_SLOT_HEADER && !a->write && next != NULL &&
		    next->kind == ZK_SLOT_LEVEL && !next->write &&
		    zk_clob_taker_crosses(cols, r, next->before.level.price))
			return 0; /* HDR */
		if (a->kind == ZK_SLOT_LEVEL && !a->write && cols[C_HDR][p])
			return 0; /* LVL */
		if (a->kind == ZK_SLOT_ORDER && !a->write && cols[C_LVL][p])
			return self_trade(cols, r, &a->before.order) ? C_OS :
								       C_OM;
		return CLOB_ROLE_REST;
	}
	switch (a->kind) {
	case ZK_SLOT_ORDER:
		if (!a->write && (cols[C_ML][p] || cols[C_OS][p]))
			return C_OR2;
		/* a FOK's fok_fillable reads the orders before match does
		 * (until match's own header read); a head of the taker's
		 * own stops it (engine self_trade) */
		if (!a->write && fok && om == 0 &&
		    (find_role(cols, C_FO, at, r) == 0 ||
		     find_role(cols, C_HDR, at, r) <
			     find_role(cols, C_FO, at, r)))
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
		return find_role(cols, C_ES, from, r) != 0 ? C_HW : C_HL;
	}
}

/* The per-fill witnesses of rows [from, to) whose maker read is om: the
 * fill's columns on every row, its rows' own witnesses; *trem is the
 * taker's remaining before the fill, after it on return. */
static void fill_witness(const struct zk_clob_air *c, zk_gl *const *cols,
			 size_t from, size_t to, size_t om, uint64_t *trem)
{
	static const unsigned carried[] = { C_MKLO, C_MKHI, C_MRLO, C_MRHI,
					    C_FLLO, C_FLHI, C_FR };
	zk_gl val[7] = { 0 }, last = c->lay.count[ZK_SLOT_BUCKET] - 1;
	zk_gl mklo = cols[C_MSG + 3][om], mkhi = cols[C_MSG + 4][om];
	size_t r, ml = to, hw = to;
	uint64_t tb = *trem;
	unsigned i;
	int fm = 0;

	val[0] = mklo;
	val[1] = mkhi;
	for (r = om; r < to; r++) {
		zk_gl *bef[ZK_ST_LEAF_ELEMS], *aft[ZK_ST_LEAF_ELEMS];

		for (i = 0; i < ZK_ST_LEAF_ELEMS; i++) {
			bef[i] = &cols[C_MSG + i][r];
			aft[i] = &cols[C_AFT + i][r];
		}
		if (r == om) {
			zk_clob_not_self_witness(cols, r,
						 cols[C_OPF + OPF_STP][r]);
		} else if (cols[C_MW][r]) {
			uint64_t mrem = *bef[9] | *bef[10] << 32;
			/* FR: the maker held less than the taker's remaining */
			int fr = mrem < tb;
			uint64_t fill = fr ? mrem : tb;

			cols[C_B1][r] = *bef[9] < (fill & 0xffffffffu);
			cols[C_B3][r] = (tb & 0xffffffffu) <
					(fill & 0xffffffffu);
			val[4] = fill & 0xffffffffu;
			val[5] = fill >> 32;
			val[6] = (zk_gl)fr;
			*trem = tb - fill;
			zk_clob_set_reg(cols, r, 0, *aft[9] << 8);
			zk_clob_set_reg(cols, r, 1, *aft[10] << 8);
			zk_clob_set_reg(cols, r, 2, (*trem & 0xffffffffu) << 8);
			zk_clob_set_reg(cols, r, 3, (*trem >> 32) << 8);
			cols[C_CINV][r] = inv_or_zero(
				zk_gl_add(zk_gl_add(*aft[9], *aft[10]),
					  zk_gl_add(*trem & 0xffffffffu,
						    *trem >> 32)));
			val[2] = *aft[9];
			val[3] = *aft[10];
			fm = val[2] == 0 && val[3] == 0;
		} else if (cols[C_ML][r]) {
			cols[C_B2][r] = *bef[5] < val[4];
			zk_clob_set_reg(cols, r, 0, *aft[5] << 8);
			zk_clob_set_reg(cols, r, 1, *aft[6] << 8);
			ml = r;
		} else if (cols[C_MP][r]) {
			zk_gl dlo = zk_gl_sub(*bef[3], mklo);
			zk_gl dhi = zk_gl_sub(*bef[4], mkhi);

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
						  mklo | mkhi << 32);
			}
		} else if (cols[C_HW][r] && hw == to) {
			hw = r;
		} else if (cols[C_HN][r] || cols[C_LVN][r]) {
			zk_clob_nocross_witness(cols, r);
		}
	}
	/* the fill's columns hold from its maker read on (for the first,
	 * from the op row); its removal's rows are a full cancel's (AC) */
	for (r = from; r < to; r++) {
		for (i = 0; i < sizeof(carried) / sizeof(carried[0]); i++)
			cols[carried[i]][r] = val[i];
		cols[C_FM][r] = fm;
		cols[C_AC][r] = r > ml && r <= hw;
		cols[C_REMLO][r] = val[2];
		cols[C_REMHI][r] = val[3];
	}
}

/* fok_fillable's reads of a FOK that fills (clob_air_fill.h): the need
 * before each order read, whether that order covers it, the next read
 * (the order's next, or the level's worse), the not-self-trade
 * inverses, the registers; NEED is the qty on every other row. */
static void fok_fill_witness(zk_gl *const *cols, size_t at, size_t end,
			     int skip_self)
{
	uint64_t need = cols[C_OPF + OPF_QTY][at] |
			cols[C_OPF + OPF_QTY + 1][at] << 32;
	zk_gl worse = CLOB_NIL;
	size_t r;

	for (r = at; r < end; r++)
		cols[C_NEED][r] = need;
	for (r = at + 1; r < end && !cols[C_OM][r]; r++) {
		const zk_gl *bef[ZK_ST_LEAF_ELEMS];
		uint64_t rem;
		int fol, self;

		if (cols[C_LVL][r]) {
			worse = cols[C_MSG + 10][r];
			cols[C_FK][r] = cols[C_FX][r - 1];
			cols[C_NEED][r] = need;
			continue;
		}
		if (!cols[C_FO][r])
			continue;
		for (unsigned i = 0; i < ZK_ST_LEAF_ELEMS; i++)
			bef[i] = &cols[C_MSG + i][r];
		rem = *bef[9] | *bef[10] << 32;
		/* (CANCEL_OLDEST: an own order skipped, the need kept;
		 * clob_air_fokstp.h) */
		self = skip_self && zk_clob_own_witness(cols, r);
		fol = !self && rem >= need;
		cols[C_FSK][r] = self;
		cols[C_FA][r] = 1;
		cols[C_FOL][r] = fol;
		cols[C_FX][r] = !fol;
		cols[C_NEED][r] = need;
		cols[C_FNN][r] = *bef[12] == CLOB_NIL;
		cols[C_WINV][r] = inv_or_zero(zk_gl_sub(*bef[12], CLOB_NIL));
		cols[C_BSLOT][r] = worse;
		cols[C_HINV][r] = inv_or_zero(zk_gl_sub(worse, CLOB_NIL));
		zk_clob_set_reg(cols, r, 0, *bef[10] << 32);
		if (self)
			continue;
		zk_clob_not_self_witness(cols, r, cols[C_OPF + OPF_STP][r]);
		zk_clob_set_reg(cols, r, 1, fol ? rem - need : need - rem - 1);
		if (fol)
			break;
		need -= rem;
	}
}

/* The first maker read (or CANCEL_BOTH self-trade read) in rows [r, end),
 * or end. */
static size_t next_om(const zk_gl *const *cols, size_t r, size_t end)
{
	while (r < end && !cols[C_OM][r] && !cols[C_OX][r])
		r++;
	return r;
}

void zk_clob_match_witness(const struct zk_clob_air *c, zk_gl *const *cols,
			   size_t at, size_t end)
{
	zk_clob_match_witness_from(c, cols, at, 0, end);
}

void zk_clob_match_witness_from(const struct zk_clob_air *c,
				zk_gl *const *cols, size_t at, size_t from0,
				size_t end)
{
	const zk_gl *const *cc = (const zk_gl *const *)cols;
	uint64_t qty = cols[C_OPF + OPF_QTY][at] |
		       cols[C_OPF + OPF_QTY + 1][at] << 32;
	uint64_t trem = qty;
	size_t r, om, prev_hw = from0, fj = 0, ox = end;

	/* a move's match starts after its own removal (from0: its header
	 * write), whose rows keep the move's columns */
	if (from0 != 0)
		at = from0;

	/* a self-trade read that order_remove follows: the maker goes */
	for (r = at + 1; c->mp.stp != ZK_STP_CANCEL_NEWEST && r < end; r++)
		if (cols[C_OS][r]) {
			cols[C_OS][r] = 0;
			cols[C_OX][r] = 1;
		}
	om = next_om(cc, at + 1, end);
	if (om == end) /* no fill: a self-trade stop */
		zk_clob_write_witness(c, cols, at, end);
	/* each fill from its maker read to the next one's (the first from
	 * the op row, the last to the op's end) */
	while (om < end) {
		size_t nom = next_om(cc, om + 1, end), q, mp;
		size_t from = prev_hw == 0 ? at : om;

		/* a self-trade read whose maker order_remove removes: the
		 * last of the op (CANCEL_BOTH) or the loop goes on (OLDEST) */
		if (cols[C_OX][om]) {
			zk_clob_stp_witness(c, cols, at, nom, om, prev_hw);
			prev_hw = find_role(cc, C_HW, om, nom);
			ox = om;
			om = nom;
			continue;
		}

		fill_witness(c, cols, from, nom, om, &trem);
		zk_clob_write_witness(c, cols, prev_hw == 0 ? at : om - 1,
				      nom);
		/* the pass that leads to this maker read (header, level)
		 * still carries the previous fill's X columns, and its hole
		 * until this maker's probes (clob_probe, clob_cancel) */
		if (prev_hw != 0) {
			for (mp = om; mp < nom && !cols[C_MP][mp]; mp++)
				;
			for (q = prev_hw + 1; q < om; q++) {
				for (unsigned i = C_XSLOT; i <= C_WN; i++)
					cols[i][q] = cols[i][prev_hw];
				cols[C_BW][q] = cols[C_BW][prev_hw];
			}
			for (q = prev_hw + 1; q < mp; q++) {
				cols[C_HOLE][q] = cols[C_HOLE][prev_hw];
				cols[C_SCAN][q] = cols[C_SCAN][prev_hw];
			}
		}
		prev_hw = find_role(cc, C_HW, om, nom);
		if (prev_hw == 0)
			prev_hw = om; /* the maker keeps a remaining */
		om = nom;
	}
	/* the taker's remaining: the qty until the first maker write, then
	 * each fill's; FJ counts the maker reads */
	trem = qty;
	for (r = at; r < end; r++) {
		if (cols[C_MW][r])
			trem -= cols[C_FLLO][r] | cols[C_FLHI][r] << 32;
		if (cols[C_OM][r] ||
		    (cols[C_OX][r] && c->mp.stp == ZK_STP_CANCEL_OLDEST))
			fj++;
		cols[C_TRLO][r] = trem & 0xffffffffu;
		cols[C_TRHI][r] = trem >> 32;
		cols[C_FJ][r] = fj;
		/* a self-trade stop after fills */
		if (cols[C_OS][r] && fj != 0) {
			cols[C_OSF][r] = 1;
			cols[C_HINV][r] = inv_or_zero(fj);
		}
	}
	fok_fill_witness(cols, at, end, c->mp.stp == ZK_STP_CANCEL_OLDEST);
	if (ox < end && c->mp.stp == ZK_STP_CANCEL_BOTH)
		zk_clob_stp_flags(cols, ox, end);
	/* the last access emits ACCEPTED (ML, HW, or FR's no-cross read) */
	cols[C_EMT][end - 1] = 1;
	zk_clob_gtc_witness(c, cols, at, end);
}

/* Event r of a match whose ACCEPTED is ev_row is a maker's CANCELLED
 * STP in a loop that goes on (CANCEL_OLDEST; a CANCEL_BOTH stop's comes
 * last but one, clob_air_trace_stp.c): one whose id is not the taker's.
 * A move's REPLACED names the old id and the taker's as its other, so a
 * CANCEL_NEWEST stop of the move (CANCELLED STP of the new id) is the
 * taker's own, not a maker's. */
static int maker_stp(zk_gl *const *cols, size_t ev_row, size_t r)
{
	unsigned tid = cols[C_EVF + EVF_TYPE][ev_row] == ZK_EV_REPLACED ?
			       EVF_OTHER :
			       EVF_OID;

	return cols[C_EVF + EVF_TYPE][r] == ZK_EV_CANCELLED &&
	       cols[C_EVF + EVF_REASON][r] == ZK_CXL_STP &&
	       !cols[C_BT][ev_row - 1] &&
	       (cols[C_EVF + EVF_OID][r] != cols[C_EVF + tid][ev_row] ||
		cols[C_EVF + EVF_OID + 1][r] !=
			cols[C_EVF + tid + 1][ev_row]);
}

void zk_clob_match_events(zk_gl *const *cols, size_t emit_row, size_t ev_row,
			  size_t ev_end)
{
	static const unsigned tk[] = { OPF_SEQ, OPF_SEQ + 1, OPF_MARKET,
				       OPF_OID, OPF_OID + 1, OPF_SIDE,
				       OPF_PRICE, OPF_PRICE + 1 };
	static const unsigned te[] = { EVF_SEQ, EVF_SEQ + 1, EVF_MARKET,
				       EVF_OID, EVF_OID + 1, EVF_SIDE,
				       EVF_PRICE, EVF_PRICE + 1 };
	zk_gl gt = cols[C_GT][emit_row], fj = 0;
	zk_gl ss = cols[C_OSF][emit_row];
	size_t r, last_trade = ev_row;
	unsigned i;

	for (r = ev_row; r < ev_end; r++) {
		cols[C_GT][r] = gt;
		cols[C_SS][r] = ss;
	}
	if (cols[C_OS][emit_row])
		cols[C_RSN][ev_row] = ZK_CXL_STP;
	/* a self-trade stop at the first maker: ACCEPTED, then CANCELLED
	 * STP (clob_air_taker.h checks it as a taker's second event); after
	 * fills the TRADEs come first and SS makes the end that CANCELLED */
	if (cols[C_OS][emit_row] && !ss) {
		cols[C_E2][ev_row] = 1;
		return;
	}
	cols[C_ET][ev_row] = 1;
	for (r = ev_row + 1; r < ev_end; r++)
		if (cols[C_EVF + EVF_TYPE][r] == ZK_EV_TRADE ||
		    maker_stp(cols, ev_row, r))
			last_trade = r;
	for (r = ev_row + 1; r < ev_end; r++) {
		for (i = 0; i < sizeof(tk) / sizeof(tk[0]); i++)
			cols[C_OPF + tk[i]][r] = cols[C_EVF + te[i]][ev_row];
		/* a move's REPLACED names the taker's id as its other */
		if (cols[C_EVF + EVF_TYPE][ev_row] == ZK_EV_REPLACED) {
			cols[C_OPF + OPF_OID][r] =
				cols[C_EVF + EVF_OTHER][ev_row];
			cols[C_OPF + OPF_OID + 1][r] =
				cols[C_EVF + EVF_OTHER + 1][ev_row];
		}
		if (cols[C_EVF + EVF_TYPE][r] == ZK_EV_TRADE) {
			zk_gl rlo = cols[C_EVF + EVF_REM][r];
			zk_gl rhi = cols[C_EVF + EVF_REM + 1][r];
			int fm = cols[C_EVF + EVF_OREM][r] == 0 &&
				 cols[C_EVF + EVF_OREM + 1][r] == 0;
			int fr = fm && (rlo != 0 || rhi != 0);

			cols[C_ED][r] = 1;
			cols[C_FM][r] = fm;
			cols[C_FR][r] = fr;
			cols[C_TRLO][r] = rlo;
			cols[C_TRHI][r] = rhi;
			cols[C_RST][r] = fr && gt && !ss;
			cols[C_MORE][r] = r < last_trade;
			fj++;
			if (!fm)
				cols[C_TE][r] = r >= last_trade;
		} else if (maker_stp(cols, ev_row, r)) {
			/* a CANCEL_OLDEST maker's CANCELLED STP */
			size_t p = r - 1;

			cols[C_SO][r] = 1;
			cols[C_FR][r] = 1;
			cols[C_TRLO][r] = p == ev_row ?
						  cols[C_EVF + EVF_QTY][p] :
						  cols[C_TRLO][p];
			cols[C_TRHI][r] = p == ev_row ?
						  cols[C_EVF + EVF_QTY + 1][p] :
						  cols[C_TRHI][p];
			cols[C_RST][r] = gt && !ss;
			cols[C_MORE][r] = r < last_trade;
			cols[C_TE][r] = r >= last_trade;
			fj++;
		} else if (cols[C_ED][r - 1] && cols[C_FM][r - 1]) {
			cols[C_EM2][r] = 1;
			cols[C_FR][r] = cols[C_FR][r - 1];
			cols[C_RST][r] = cols[C_RST][r - 1];
			cols[C_TRLO][r] = cols[C_TRLO][r - 1];
			cols[C_TRHI][r] = cols[C_TRHI][r - 1];
			cols[C_MORE][r] = r < last_trade;
			cols[C_TE][r] = r > last_trade;
		}
		cols[C_FJ][r] = fj;
	}
	zk_clob_stp_events(cols, emit_row, ev_row, ev_end);
}
