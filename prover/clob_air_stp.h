/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR self-trade prevention that removes the maker (part of
 * clob_air_body.h, included from it, no include guard): engine match in a
 * CANCEL_BOTH market whose head order is the taker's own (at the first
 * maker or after fills). The mode is the market params' (c->mp, which the
 * verifier sets from its own params), a constant of the AIR instance: in
 * a CANCEL_NEWEST market OX never holds, in a CANCEL_BOTH market OS never
 * does (clob_air_loop.h). Access rows after the LVL that names the head:
 *   OX   the head order: the other side, engine self_trade (GD, J1..J3 as
 *        for OS); the fill's columns reload here (clob_probe) with the
 *        maker's id (MK), price (XP), remaining (REM: order_remove's level
 *        write cuts all of it), FR = FM = 0 and no fill;
 *   then order_remove with AC (clob_air_cancel.h: OR2 of the same slot,
 *   [NW], LW, [level_free], the maker id's probes MP, the erase, OF, HW);
 *   HW is the op's last access and emits ACCEPTED (FR = 0). BT rides on
 *   the access rows from OX on and down the op's events.
 * Events: ACCEPTED, [the TRADEs and the emptied makers' DONEs], SM (the
 * maker's CANCELLED STP: its side, id, price and remaining, carried from
 * the emitter), SE (the taker's CANCELLED STP of its remaining TR). With
 * no fill (FJ = 0, BZ; an inverse BZI shows FJ ≠ 0 otherwise) ACCEPTED
 * carries no ET and SM follows it; else SM follows the row where TE
 * marks the end of the TRADEs (the taker rules' end check is off there,
 * clob_air_match.h). A GTC never rests after the stop (RST, clob_fill).
 */

/*
 * CANCEL_OLDEST: OX has FR = 1, so after the removal's HW the loop reads
 * the header again (HDR, or HN when nothing crosses) and goes on; OX
 * counts in FJ and produces (op, FJ, maker id, price, remaining, the
 * taker's remaining) on the STP bus (clob_air.c), which SO, the maker's
 * CANCELLED STP among the op's TRADEs, consumes with its own fields: SO
 * is in the event chain as a TRADE is (FJ, MORE, TE, RST: clob_fill),
 * with FR = 1 and the taker's remaining of the row before it.
 */
static unsigned ZKT_FN(clob_stp_oldest)(const ZKT *cur, const ZKT *nxt,
					ZKT *out, unsigned k, int sem)
{
	static const unsigned tk[] = { OPF_SEQ, OPF_SEQ + 1, OPF_MARKET,
				       OPF_OID, OPF_OID + 1, OPF_SIDE,
				       OPF_PRICE, OPF_PRICE + 1 };
	static const unsigned te[] = { EVF_SEQ, EVF_SEQ + 1, EVF_MARKET,
				       EVF_OID, EVF_OID + 1, EVF_SIDE,
				       EVF_PRICE, EVF_PRICE + 1 };
	const ZKT *op = cur + C_OPF, *ev = cur + C_EVF;
	ZKT one = ZKT_CONST(1), zero = ZKT_ZERO;
	ZKT so = cur[C_SO], nso = nxt[C_SO], et = cur[C_ET];
	ZKT nsev = nxt[C_SEV], ev_sel, ev_exp[1][CLOB_EV_ELEMS];
	unsigned i;

#define EMIT(e) (out[k++] = sem ? (e) : zero)
	EMIT(ZKT_MUL(so, ZKT_SUB(one, cur[C_SEV])));
	EMIT(ZKT_MUL(so, ZKT_SUB(one, cur[C_FR])));
	EMIT(ZKT_MUL(ZKT_MUL(so, cur[C_MORE]), ZKT_SUB(one, nsev)));
	/* the taker's remaining: ACCEPTED's (or a move's REPLACED's) qty,
	 * or the row before's */
	EMIT(ZKT_MUL(ZKT_MUL(nso, et), ZKT_SUB(nxt[C_TRLO], ev[EVF_QTY])));
	EMIT(ZKT_MUL(ZKT_MUL(nso, et),
		     ZKT_SUB(nxt[C_TRHI], ev[EVF_QTY + 1])));
	EMIT(ZKT_MUL(ZKT_MUL(nso, ZKT_SUB(one, et)),
		     ZKT_SUB(nxt[C_TRLO], cur[C_TRLO])));
	EMIT(ZKT_MUL(ZKT_MUL(nso, ZKT_SUB(one, et)),
		     ZKT_SUB(nxt[C_TRHI], cur[C_TRHI])));
	/* the op's fields onto SO (from ACCEPTED's, or carried) and on;
	 * the id after ACCEPTED / REPLACED is clob_match's ET copy's */
	for (i = 0; i < sizeof(tk) / sizeof(tk[0]); i++) {
		if (tk[i] != OPF_OID && tk[i] != OPF_OID + 1)
			EMIT(ZKT_MUL(ZKT_MUL(nso, et),
				     ZKT_SUB(nxt[C_OPF + tk[i]], ev[te[i]])));
		EMIT(ZKT_MUL(ZKT_MUL(so, nsev),
			     ZKT_SUB(nxt[C_OPF + tk[i]], op[tk[i]])));
	}
	/* SO: CANCELLED STP of the other side, its id, price and qty
	 * through the STP bus */
	ZKT_FN(clob_ev_own)(op, ZK_EV_CANCELLED,
			    ZKT_SUB(ZKT_CONST(3), op[OPF_SIDE]), ev_exp[0]);
	ev_exp[0][EVF_REASON] = ZKT_CONST(ZK_CXL_STP);
	ev_sel = so;
	k = ZKT_FN(clob_ev_check)(out, k, sem, ev, 1, &ev_sel, ev_exp,
				  CLOB_EV_BIT(EVF_OID) |
					  CLOB_EV_BIT(EVF_OID + 1) |
					  CLOB_EV_BIT(EVF_PRICE) |
					  CLOB_EV_BIT(EVF_PRICE + 1) |
					  CLOB_EV_BIT(EVF_QTY) |
					  CLOB_EV_BIT(EVF_QTY + 1));
#undef EMIT
	return k;
}

static unsigned ZKT_FN(clob_stp)(const struct zk_clob_air *c, const ZKT *cur,
				 const ZKT *nxt, ZKT *out, unsigned k, int sem)
{
	static const unsigned flags[] = { C_OX, C_BT, C_BZ, C_SM, C_SE, C_SO };
	/* the op fields the events repeat (seq, market, id, side, price) */
	static const unsigned tk[] = { OPF_SEQ, OPF_SEQ + 1, OPF_MARKET,
				       OPF_OID, OPF_OID + 1, OPF_SIDE,
				       OPF_PRICE, OPF_PRICE + 1 };
	/* what the maker's event needs, carried from the emitter */
	static const unsigned mk[] = { C_XSIDE, C_MKLO, C_MKHI, C_XPLO,
				       C_XPHI, C_REMLO, C_REMHI };
	const ZKT *op = cur + C_OPF, *bef = cur + C_MSG, *ev = cur + C_EVF;
	ZKT one = ZKT_CONST(1), zero = ZKT_ZERO;
	ZKT ox = cur[C_OX], bt = cur[C_BT], bz = cur[C_BZ];
	ZKT sm = cur[C_SM], se = cur[C_SE], nsm = nxt[C_SM];
	ZKT sacc = cur[C_SACC], sev = cur[C_SEV], nsev = nxt[C_SEV];
	ZKT emi = ZKT_ADD(cur[C_EMT], ZKT_MUL(cur[C_AM], cur[C_IW]));
	ZKT t1 = ZKT_ADD_CONST(op[OPF_TIF], ZK_GL_P - 1);
	ZKT fok2 = ZKT_MUL(t1, ZKT_ADD_CONST(op[OPF_TIF], ZK_GL_P - 2));
	ZKT gd = cur[C_GD], ngd = ZKT_SUB(one, gd);
	ZKT ev_sel[2], ev_exp[2][CLOB_EV_ELEMS];
	unsigned i;

#define EMIT(e) (out[k++] = sem ? (e) : zero)
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		out[k++] = ZKT_MUL(cur[flags[i]], ZKT_SUB(cur[flags[i]], one));
	int both = c->mp.stp == ZK_STP_CANCEL_BOTH;
	int oldest = c->mp.stp == ZK_STP_CANCEL_OLDEST;

	if (!both && !oldest)
		EMIT(ox);
	if (!oldest)
		EMIT(cur[C_SO]);
	/* OX: a match's access right after the LVL that names the head
	 * (clob_match pins the slot), never a FOK's (fok_fillable answers
	 * FOK_UNFILLED first); order_remove re-reads the same slot next */
	EMIT(ZKT_MUL(ox, ZKT_SUB(one, sacc)));
	EMIT(ZKT_MUL(ox, ZKT_SUB(one, cur[C_AM])));
	EMIT(ZKT_MUL(nxt[C_OX], ZKT_SUB(one, cur[C_LVL])));
	/* (CANCEL_OLDEST: a FOK's too, clob_air_fokstp.h) */
	EMIT(ZKT_MUL(ox, oldest ? zero : fok2));
	EMIT(ZKT_MUL(ox, ZKT_SUB(one, nxt[C_OR2])));
	EMIT(ZKT_MUL(ox, ZKT_SUB(nxt[C_INDEX], cur[C_INDEX])));
	/* engine self_trade, the head of the other side */
	EMIT(ZKT_MUL(ox, ZKT_SUB(ZKT_ADD(bef[15], op[OPF_SIDE]),
				 ZKT_CONST(3))));
	EMIT(ZKT_MUL(ZKT_MUL(ox, gd), ZKT_SUB(op[OPF_STP], bef[14])));
	EMIT(ZKT_MUL(ZKT_MUL(ox, gd),
		     ZKT_SUB(ZKT_MUL(op[OPF_STP], cur[C_J3]), one)));
	EMIT(ZKT_MUL(ZKT_MUL(ox, ngd), op[OPF_STP]));
	EMIT(ZKT_MUL(ZKT_MUL(ox, ngd), bef[14]));
	EMIT(ZKT_MUL(ZKT_MUL(ox, ngd), ZKT_SUB(bef[5], op[OPF_ACCT])));
	EMIT(ZKT_MUL(ZKT_MUL(ox, ngd), ZKT_SUB(bef[6], op[OPF_ACCT + 1])));
	/* the fill's columns: the maker's id and whole remaining, no fill,
	 * and the taker is not left to look for more (FR = 0) */
	EMIT(ZKT_MUL(ox, ZKT_SUB(cur[C_MKLO], bef[3])));
	EMIT(ZKT_MUL(ox, ZKT_SUB(cur[C_MKHI], bef[4])));
	EMIT(ZKT_MUL(ox, ZKT_SUB(cur[C_REMLO], bef[9])));
	EMIT(ZKT_MUL(ox, ZKT_SUB(cur[C_REMHI], bef[10])));
	/* (CANCEL_OLDEST: FR = 1, the loop goes on after the removal's
	 * header write as after an emptied maker's) */
	EMIT(ZKT_MUL(ox, ZKT_SUB(cur[C_FR], oldest ? one : zero)));
	EMIT(ZKT_MUL(ox, cur[C_FM]));
	EMIT(ZKT_MUL(ox, cur[C_MRLO]));
	EMIT(ZKT_MUL(ox, cur[C_MRHI]));
	EMIT(ZKT_MUL(ox, cur[C_FLLO]));
	EMIT(ZKT_MUL(ox, cur[C_FLHI]));
	/* BT: 0 on the op's first access, set from OX on */
	EMIT(ZKT_MUL(cur[C_SOP], nxt[C_BT]));
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nxt[C_SACC]),
		     ZKT_SUB(nxt[C_BT], ZKT_ADD(bt, both ? nxt[C_OX] : zero))));
	EMIT(ZKT_MUL(ZKT_MUL(sacc, bt), ZKT_SUB(one, cur[C_AM])));
	/* BZ: on the emitter of a BT op, exactly when no fill came first;
	 * a BT op never rests (no IW), so its emitter is EMT (degree 4
	 * where emi's AM·IW would make 5) */
	EMIT(ZKT_MUL(bt, cur[C_IW]));
	EMIT(ZKT_MUL(ZKT_MUL(sacc, bz), ZKT_SUB(one, ZKT_MUL(bt, cur[C_EMT]))));
	EMIT(ZKT_MUL(bz, cur[C_FJ]));
	EMIT(ZKT_MUL(ZKT_MUL(bt, cur[C_EMT]),
		     ZKT_ADD(ZKT_SUB(ZKT_MUL(cur[C_FJ], cur[C_BZI]), one),
			     bz)));
	/* onto the events: BT, BZ (ACCEPTED only), the maker's columns, the
	 * taker's remaining and fields (ACCEPTED's own are free) */
	EMIT(ZKT_MUL(emi, ZKT_SUB(nxt[C_BT], bt)));
	EMIT(ZKT_MUL(ZKT_MUL(sev, nsev), ZKT_SUB(nxt[C_BT], bt)));
	EMIT(ZKT_MUL(emi, ZKT_SUB(nxt[C_BZ], bz)));
	EMIT(ZKT_MUL(ZKT_MUL(sev, nsev), nxt[C_BZ]));
	/* ... and 0 on the first event of every other op (an event
	 * follows an op row, an access row or an event row, and emi lives
	 * on access rows: sop + sacc − emi is (1 − sev)·(1 − emi) there,
	 * of degree 2) */
	{
		ZKT first = ZKT_MUL(nsev, ZKT_SUB(ZKT_ADD(cur[C_SOP], sacc),
						  emi));

		EMIT(ZKT_MUL(first, nxt[C_BT]));
		EMIT(ZKT_MUL(first, nxt[C_BZ]));
	}
	{
		ZKT be = ZKT_MUL(bt, emi), bd = ZKT_MUL(ZKT_MUL(bt, sev), nsev);

		for (i = 0; i < sizeof(mk) / sizeof(mk[0]); i++) {
			EMIT(ZKT_MUL(be, ZKT_SUB(nxt[mk[i]], cur[mk[i]])));
			EMIT(ZKT_MUL(bd, ZKT_SUB(nxt[mk[i]], cur[mk[i]])));
		}
		for (i = 0; i < sizeof(tk) / sizeof(tk[0]); i++)
			EMIT(ZKT_MUL(be, ZKT_SUB(nxt[C_OPF + tk[i]],
						 op[tk[i]])));
		EMIT(ZKT_MUL(be, ZKT_SUB(nxt[C_TRLO], cur[C_TRLO])));
		EMIT(ZKT_MUL(be, ZKT_SUB(nxt[C_TRHI], cur[C_TRHI])));
	}
	/* SM exactly after ACCEPTED of a stop with no fill, or after the
	 * row that ends the TRADEs (TE); SE exactly after SM, the op's
	 * last event */
	EMIT(ZKT_MUL(nsev, ZKT_SUB(nsm, ZKT_MUL(ZKT_MUL(bt, sev),
						ZKT_ADD(cur[C_TE], bz)))));
	EMIT(ZKT_MUL(sm, ZKT_SUB(one, sev)));
	EMIT(ZKT_MUL(sm, ZKT_SUB(one, nsev)));
	EMIT(ZKT_MUL(sm, ZKT_SUB(one, nxt[C_SE])));
	EMIT(ZKT_MUL(nxt[C_SE], ZKT_SUB(one, sm)));
	EMIT(ZKT_MUL(se, ZKT_SUB(one, sev)));
	EMIT(ZKT_MUL(se, nsev));
	/* the op's fields and the taker's remaining ride onto SM and SE
	 * (after a move's REPLACED with BZ the id becomes its other id,
	 * the taker's: clob_air_xstp.h; SM follows event rows only) */
	for (i = 0; i < sizeof(tk) / sizeof(tk[0]); i++) {
		if (tk[i] == OPF_OID || tk[i] == OPF_OID + 1)
			EMIT(ZKT_MUL(nsm, ZKT_FN(clob_xstp_id)(
						  nxt[C_OPF + tk[i]],
						  op[tk[i]], ev,
						  tk[i] - OPF_OID, bz)));
		else
			EMIT(ZKT_MUL(nsm, ZKT_SUB(nxt[C_OPF + tk[i]],
						  op[tk[i]])));
		EMIT(ZKT_MUL(sm, ZKT_SUB(nxt[C_OPF + tk[i]], op[tk[i]])));
	}
	EMIT(ZKT_MUL(nsm, ZKT_SUB(nxt[C_TRLO], cur[C_TRLO])));
	EMIT(ZKT_MUL(nsm, ZKT_SUB(nxt[C_TRHI], cur[C_TRHI])));
	EMIT(ZKT_MUL(sm, ZKT_SUB(nxt[C_TRLO], cur[C_TRLO])));
	EMIT(ZKT_MUL(sm, ZKT_SUB(nxt[C_TRHI], cur[C_TRHI])));
	/* SM: engine match's maker CANCELLED STP; SE: the taker's */
	ZKT_FN(clob_ev_own)(op, ZK_EV_CANCELLED, cur[C_XSIDE], ev_exp[0]);
	ev_exp[0][EVF_REASON] = ZKT_CONST(ZK_CXL_STP);
	ZKT_FN(clob_ev_pair)(ev_exp[0], EVF_OID, cur[C_MKLO], cur[C_MKHI]);
	ZKT_FN(clob_ev_pair)(ev_exp[0], EVF_PRICE, cur[C_XPLO], cur[C_XPHI]);
	ZKT_FN(clob_ev_pair)(ev_exp[0], EVF_QTY, cur[C_REMLO], cur[C_REMHI]);
	ev_sel[0] = sm;
	ZKT_FN(clob_ev_own)(op, ZK_EV_CANCELLED, op[OPF_SIDE], ev_exp[1]);
	ev_exp[1][EVF_REASON] = ZKT_CONST(ZK_CXL_STP);
	ZKT_FN(clob_ev_pair)(ev_exp[1], EVF_PRICE, op[OPF_PRICE],
			     op[OPF_PRICE + 1]);
	ZKT_FN(clob_ev_pair)(ev_exp[1], EVF_QTY, cur[C_TRLO], cur[C_TRHI]);
	ev_sel[1] = se;
	k = ZKT_FN(clob_ev_check)(out, k, sem, ev, 2, ev_sel, ev_exp, 0);
	k = ZKT_FN(clob_stp_oldest)(cur, nxt, out, k, sem);
#undef EMIT
	return k;
}
