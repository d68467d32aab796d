/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR taker that trades against one maker (part
 * of clob_air_body.h, included from it, no include guard): a limit IOC or
 * market NEW (KM) whose market rules pass and whose id is not live; engine
 * match reads the header, the best opposite level (which crosses; a
 * market order crosses any level) and that level's head order, which is
 * not the taker's own (no self-trade) and holds more than the taker's
 * whole qty, so fill = min = qty, the maker stays on the book and the
 * taker ends DONE. Rows after the absence probe:
 *   HDR  the header: BSLOT = the best opposite pointer, not NIL;
 *   LVL  that level: (limit) the WOULD_CROSS inequality in a 40-bit
 *        register; the next row reads its head;
 *   OM   the head order: the opposite side, not a self-trade (stp groups
 *        differ — GD, an inverse — or both 0 and the accounts differ);
 *        its id and price ride down the rows (MK, XPLO / XPHI);
 *   MW   the same slot: remaining -= qty, the new limbs u32s (40-bit
 *        registers) and not both zero (CINV), kept in MR;
 *   ML   the level the order names: total -= qty (borrow B2, registers);
 *        it emits ACCEPTED, which carries ET and the maker's columns;
 *   then TRADE (from the ET row: maker id, maker price, fill = qty, taker
 *   remaining 0, maker remaining MR), which carries ED, then DONE (the
 *   taker's side, id and price). ET / ED are set exactly after an ML row /
 *   an ET row, so no other op gains events.
 * FM: the maker held exactly the qty (MW leaves 0). ML is then followed
 * by engine order_remove with AC set, so the full cancel's roles and
 * constraints (clob_air_cancel.h) remove it: OR2, [NW], LW, [level_free],
 * the maker id's probes MP (home on the HM row before them), the erase,
 * OF, HW; HW emits ACCEPTED, and after TRADE comes the maker's DONE (EM2)
 * before the taker's.
 * FR: the maker held less than the qty: the fill FL is its whole
 * remaining (FM), the taker keeps TR = qty - FL (B3, registers V2 / V3
 * on MW, not zero); after HW the taker reads the header again (HN) and,
 * when it names a best opposite level, that level (LVN: it does not
 * cross; a market order never gets here), the last of them emits
 * ACCEPTED (EMT), and the taker's end after the maker's DONE is
 * CANCELLED IOC_REMAINDER with qty TR. Without FR, FL = qty and TR = 0.
 * Amount limbs work as in clob_air_write.h: every limb equation is an
 * integer one, so the new remaining and total are the exact u64
 * differences, never a wrap modulo p.
 */

static unsigned ZKT_FN(clob_match)(const struct zk_clob_air *c, const ZKT *cur,
				   const ZKT *nxt, ZKT *out, unsigned k,
				   int sem)
{
	static const unsigned flags[] = { C_KM, C_AM, C_OM, C_MW, C_ML,
					  C_ET, C_ED, C_GD, C_FM, C_MP,
					  C_HM, C_EM2, C_FR, C_B3, C_EMT };
	const ZKT *op = cur + C_OPF, *ev = cur + C_EVF, *nev = nxt + C_EVF;
	const ZKT *bef = cur + C_MSG, *aft = cur + C_AFT, *v = cur + C_V;
	ZKT one = ZKT_CONST(1), zero = ZKT_ZERO, two32 = ZKT_CONST(1ull << 32);
	ZKT am = cur[C_AM], om = cur[C_OM], mw = cur[C_MW], ml = cur[C_ML];
	ZKT et = cur[C_ET], ed = cur[C_ED], gd = cur[C_GD];
	ZKT nsev = nxt[C_SEV], b1 = cur[C_B1], b2 = cur[C_B2];
	ZKT probe = ZKT_SUB(cur[C_SACC], ZKT_FN(clob_roles)(cur));
	ZKT nprobe = ZKT_SUB(nxt[C_SACC], ZKT_FN(clob_roles)(nxt));
	ZKT fm = cur[C_FM], fr = cur[C_FR], emt = cur[C_EMT];
	ZKT em2 = cur[C_EM2];
	ZKT ev_sel[4], ev_exp[4][CLOB_EV_ELEMS];
	ZKT ev_done[CLOB_EV_ELEMS], ev_maker[CLOB_EV_ELEMS];
	/* a GTC taker's rest (clob_air_loop.h): its no-cross reads emit
	 * nothing (tif1 = 1 - GT = 0), its IW emits ACCEPTED (emi) and after
	 * the maker's DONE no event follows (RST) */
	ZKT tif1 = ZKT_SUB(one, cur[C_GT]);
	ZKT emi = ZKT_ADD(emt, ZKT_MUL(am, cur[C_IW]));
	ZKT rst = cur[C_RST];
	unsigned i;

	(void)c;
#define EMIT(e) (out[k++] = sem ? (e) : zero)
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		out[k++] = ZKT_MUL(cur[flags[i]], ZKT_SUB(cur[flags[i]], one));
	/* KM: any tif (GTC and FOK: clob_air_loop.h; a valid shape makes
	 * a market order IOC or FOK) */
	EMIT(ZKT_MUL(cur[C_KM], cur[C_GTIF]));
	EMIT(ZKT_MUL(am, ZKT_SUB(one, cur[C_SACC])));
	EMIT(ZKT_MUL(om, ZKT_SUB(one, am)));
	EMIT(ZKT_MUL(mw, ZKT_SUB(one, am)));
	EMIT(ZKT_MUL(ml, ZKT_SUB(one, am)));
	/* the row that emits ACCEPTED, the op's last access: ML, or the
	 * maker removal's HW, or (FR) the read that shows nothing else
	 * crosses (a header naming no best opposite level, or a level read
	 * that does not cross) */
	EMIT(ZKT_SUB(emt, ZKT_ADD(ZKT_ADD(ZKT_SUB(ml, ZKT_MUL(ml, fm)),
					  ZKT_MUL(ZKT_MUL(cur[C_HW], am),
						  ZKT_SUB(one, fr))),
				  ZKT_ADD(ZKT_MUL(ZKT_MUL(am, tif1),
						  ZKT_ADD(ZKT_MUL(cur[C_HN],
								  cur[C_BONIL]),
							  cur[C_LVN])),
					  cur[C_OS]))));
	/* FR: a maker emptied (so order_remove runs) with the taker left a
	 * remaining; a market order crosses any level, so only an empty
	 * side ends it */
	EMIT(ZKT_MUL(ZKT_MUL(mw, fr), ZKT_SUB(one, fm)));
	EMIT(ZKT_MUL(ZKT_MUL(cur[C_SACC], fr), ZKT_SUB(one, am)));
	EMIT(ZKT_MUL(ZKT_MUL(am, cur[C_LVN]),
		     ZKT_ADD_CONST(op[OPF_ORD], ZK_GL_P - ZK_ORD_LIMIT)));
	/* row order: probes → HDR → LVL → OM → MW → ML → events */
	EMIT(ZKT_MUL(ZKT_MUL(am, probe),
		     ZKT_SUB(ZKT_SUB(ZKT_SUB(one, nprobe), nxt[C_HDR]),
			     nxt[C_HS])));
	EMIT(ZKT_MUL(ZKT_MUL(am, cur[C_LVL]),
		     ZKT_SUB(ZKT_SUB(ZKT_SUB(one, nxt[C_OM]), nxt[C_OX]),
			     ZKT_ADD(nxt[C_FO], nxt[C_OS]))));
	EMIT(ZKT_MUL(nxt[C_OM], ZKT_SUB(one, cur[C_LVL])));
	EMIT(ZKT_MUL(om, ZKT_SUB(one, nxt[C_MW])));
	EMIT(ZKT_MUL(nxt[C_MW], ZKT_SUB(one, om)));
	EMIT(ZKT_MUL(mw, ZKT_SUB(one, nxt[C_ML])));
	EMIT(ZKT_MUL(nxt[C_ML], ZKT_SUB(one, mw)));
	EMIT(ZKT_MUL(ZKT_MUL(ml, ZKT_SUB(one, fm)), ZKT_SUB(one, nsev)));
	EMIT(ZKT_MUL(ZKT_MUL(am, nsev), ZKT_SUB(one, emi)));

	/* OM: the level's head, an order of the opposite side */
	EMIT(ZKT_MUL(ZKT_MUL(am, cur[C_LVL]),
		     ZKT_SUB(nxt[C_MSG + 0], ZKT_CONST(ZK_SLOT_ORDER))));
	EMIT(ZKT_MUL(ZKT_MUL(am, cur[C_LVL]),
		     ZKT_SUB(nxt[C_MSG + 2], bef[7])));
	EMIT(ZKT_MUL(om, ZKT_SUB(ZKT_ADD(bef[15], op[OPF_SIDE]),
				 ZKT_CONST(3))));
	/* not a self-trade (engine self_trade) */
	EMIT(ZKT_MUL(ZKT_MUL(om, gd),
		     ZKT_SUB(ZKT_MUL(ZKT_SUB(op[OPF_STP], bef[14]), cur[C_J3]),
			     one)));
	EMIT(ZKT_MUL(ZKT_MUL(om, ZKT_SUB(one, gd)), op[OPF_STP]));
	EMIT(ZKT_MUL(ZKT_MUL(om, ZKT_SUB(one, gd)), bef[14]));
	EMIT(ZKT_MUL(ZKT_MUL(om, ZKT_SUB(one, gd)),
		     ZKT_SUB(ZKT_ADD(ZKT_MUL(ZKT_SUB(bef[5], op[OPF_ACCT]),
					     cur[C_J1]),
				     ZKT_MUL(ZKT_SUB(bef[6], op[OPF_ACCT + 1]),
					     cur[C_J2])),
			     one)));
	EMIT(ZKT_MUL(om, ZKT_SUB(cur[C_MKLO], bef[3])));
	EMIT(ZKT_MUL(om, ZKT_SUB(cur[C_MKHI], bef[4])));
	EMIT(ZKT_MUL(om, ZKT_SUB(cur[C_XPLO], bef[7])));
	EMIT(ZKT_MUL(om, ZKT_SUB(cur[C_XPHI], bef[8])));

	/* MW: the same slot, remaining -= the fill, the rest kept */
	EMIT(ZKT_MUL(om, ZKT_SUB(nxt[C_INDEX], cur[C_INDEX])));
	for (i = 0; i < ZK_ST_LEAF_ELEMS; i++) {
		if (i == 9 || i == 10)
			continue;
		EMIT(ZKT_MUL(mw, ZKT_SUB(aft[i], bef[i])));
	}
	EMIT(ZKT_MUL(mw, ZKT_SUB(aft[9], ZKT_ADD(ZKT_SUB(bef[9], cur[C_FLLO]),
						 ZKT_MUL(b1, two32)))));
	EMIT(ZKT_MUL(mw, ZKT_SUB(aft[10], ZKT_SUB(ZKT_SUB(bef[10],
							 cur[C_FLHI]),
						 b1))));
	EMIT(ZKT_MUL(mw, ZKT_SUB(v[0], ZKT_MUL_CONST(aft[9], 1u << 8))));
	EMIT(ZKT_MUL(mw, ZKT_SUB(v[1], ZKT_MUL_CONST(aft[10], 1u << 8))));
	/* fill = the taker's remaining before it, or (FR) what the maker
	 * held (FM leaves it none): clob_air_fill.h, on the OM row; the
	 * taker's remaining after it has u32 limbs, so the fill never
	 * exceeds it */
	EMIT(ZKT_MUL(cur[C_B3], ZKT_SUB(cur[C_B3], one)));
	EMIT(ZKT_MUL(mw, ZKT_SUB(v[2], ZKT_MUL_CONST(cur[C_TRLO], 1u << 8))));
	EMIT(ZKT_MUL(mw, ZKT_SUB(v[3], ZKT_MUL_CONST(cur[C_TRHI], 1u << 8))));
	/* the maker keeps a remaining (the taker took less than it held),
	 * or FM: none (it held exactly the taker's qty), or FR: none and
	 * the taker keeps one (so a maker that held the whole qty is not
	 * FR) */
	EMIT(ZKT_MUL(ZKT_MUL(mw, ZKT_ADD(ZKT_SUB(one, fm), fr)),
		     ZKT_SUB(ZKT_MUL(ZKT_ADD(ZKT_ADD(aft[9], aft[10]),
					     ZKT_ADD(cur[C_TRLO],
						     cur[C_TRHI])),
				     cur[C_CINV]),
			     one)));
	EMIT(ZKT_MUL(ZKT_MUL(mw, fm), aft[9]));
	EMIT(ZKT_MUL(ZKT_MUL(mw, fm), aft[10]));
	/* order_remove's level write cuts the remaining left: none */
	EMIT(ZKT_MUL(mw, ZKT_SUB(cur[C_REMLO], aft[9])));
	EMIT(ZKT_MUL(mw, ZKT_SUB(cur[C_REMHI], aft[10])));
	EMIT(ZKT_MUL(mw, ZKT_SUB(cur[C_MRLO], aft[9])));
	EMIT(ZKT_MUL(mw, ZKT_SUB(cur[C_MRHI], aft[10])));
	EMIT(ZKT_MUL(mw, ZKT_SUB(nxt[C_MSG + 0], ZKT_CONST(ZK_SLOT_LEVEL))));
	EMIT(ZKT_MUL(mw, ZKT_SUB(nxt[C_MSG + 2], bef[13])));

	/* ML: total -= the fill, the rest kept */
	for (i = 0; i < ZK_ST_LEAF_ELEMS; i++) {
		if (i == 5 || i == 6)
			continue;
		EMIT(ZKT_MUL(ml, ZKT_SUB(aft[i], bef[i])));
	}
	EMIT(ZKT_MUL(ml, ZKT_SUB(aft[5], ZKT_ADD(ZKT_SUB(bef[5], cur[C_FLLO]),
						 ZKT_MUL(b2, two32)))));
	EMIT(ZKT_MUL(ml, ZKT_SUB(aft[6], ZKT_SUB(ZKT_SUB(bef[6],
							cur[C_FLHI]),
						b2))));
	EMIT(ZKT_MUL(ml, ZKT_SUB(v[0], ZKT_MUL_CONST(aft[5], 1u << 8))));
	EMIT(ZKT_MUL(ml, ZKT_SUB(v[1], ZKT_MUL_CONST(aft[6], 1u << 8))));

	/* ET / EM2: exactly on the event after the emitter / after a
	 * TRADE that emptied its maker; ED (a TRADE) after ET or, with
	 * MORE, after a TRADE or maker DONE (clob_air_fill.h) */
	/* (a CANCEL_BOTH stop with no fill: no TRADE, clob_air_stp.h) */
	EMIT(ZKT_MUL(nsev, ZKT_SUB(ZKT_ADD(ZKT_ADD(nxt[C_ET], cur[C_OS]),
					   ZKT_MUL(cur[C_SACC], cur[C_BZ])),
				   ZKT_ADD(emi, cur[C_OSF]))));
	EMIT(ZKT_MUL(nsev, ZKT_SUB(nxt[C_EM2], ZKT_MUL(ed, fm))));
	EMIT(ZKT_MUL(et, ZKT_SUB(one, cur[C_SEV])));
	EMIT(ZKT_MUL(ed, ZKT_SUB(one, cur[C_SEV])));
	EMIT(ZKT_MUL(em2, ZKT_SUB(one, cur[C_SEV])));
	EMIT(ZKT_MUL(et, ZKT_SUB(one, nsev)));
	EMIT(ZKT_MUL(ed, ZKT_SUB(one, nsev)));
	/* the taker's side, id, price, seq and market onto TRADE and down
	 * the op's events */
	{
		static const unsigned tk[] = { OPF_SEQ, OPF_SEQ + 1,
					       OPF_MARKET, OPF_OID,
					       OPF_OID + 1, OPF_SIDE,
					       OPF_PRICE, OPF_PRICE + 1 };
		static const unsigned te[] = { EVF_SEQ, EVF_SEQ + 1,
					       EVF_MARKET, EVF_OID,
					       EVF_OID + 1, EVF_SIDE,
					       EVF_PRICE, EVF_PRICE + 1 };
		ZKT down = ZKT_MUL(ZKT_ADD(ed, em2), nsev);

		/* a crossing move's first event is its REPLACED, whose
		 * other id is the taker's: 4·REP = type − ACCEPTED */
		ZKT rep4 = ZKT_ADD_CONST(ev[EVF_TYPE], ZK_GL_P - ZK_EV_ACCEPTED);

		for (i = 0; i < sizeof(tk) / sizeof(tk[0]); i++) {
			ZKT d = ZKT_SUB(nxt[C_OPF + tk[i]], ev[te[i]]);

			if (tk[i] == OPF_OID || tk[i] == OPF_OID + 1)
				d = ZKT_SUB(ZKT_MUL_CONST(d, ZK_EV_REPLACED -
								     ZK_EV_ACCEPTED),
					    ZKT_MUL(rep4,
						    ZKT_SUB(ev[te[i] + EVF_OTHER -
							       EVF_OID],
							    ev[te[i]])));
			EMIT(ZKT_MUL(et, d));
			EMIT(ZKT_MUL(down, ZKT_SUB(nxt[C_OPF + tk[i]],
						   op[tk[i]])));
		}
	}
	/* the maker's DONE needs the TRADE's FR, RST and taker remaining
	 * for the taker's end after it */
	{
		ZKT edfm = ZKT_MUL(ed, fm);

		EMIT(ZKT_MUL(edfm, ZKT_SUB(nxt[C_FR], fr)));
		EMIT(ZKT_MUL(edfm, ZKT_SUB(nxt[C_RST], rst)));
		EMIT(ZKT_MUL(edfm, ZKT_SUB(nxt[C_TRLO], cur[C_TRLO])));
		EMIT(ZKT_MUL(edfm, ZKT_SUB(nxt[C_TRHI], cur[C_TRHI])));
	}
	/* the op's events, element by element: ACCEPTED (EMT), the TRADE
	 * row's own fields but the fill's (ED; the fill's come through the
	 * fill bus), the taker's end (TE) and the maker's DONE after a TRADE
	 * that emptied it (ED·FM) */
	ZKT_FN(clob_ev_accepted)(op, op[OPF_SIDE], ev_exp[0]);
	ZKT_FN(clob_xmove_replaced)(cur, ev_exp[0]);
	ev_sel[0] = emt;
	k = ZKT_FN(clob_ev_check)(out, k, sem, nev, 1, ev_sel, ev_exp, 0);
	ZKT_FN(clob_ev_own)(op, ZK_EV_TRADE, op[OPF_SIDE], ev_exp[1]);
	ev_sel[1] = ed;
	k = ZKT_FN(clob_ev_check)(
		out, k, sem, ev, 1, &ev_sel[1], &ev_exp[1],
		CLOB_EV_BIT(EVF_OTHER) | CLOB_EV_BIT(EVF_OTHER + 1) |
			CLOB_EV_BIT(EVF_PRICE) | CLOB_EV_BIT(EVF_PRICE + 1) |
			CLOB_EV_BIT(EVF_QTY) | CLOB_EV_BIT(EVF_QTY + 1) |
			CLOB_EV_BIT(EVF_REM) | CLOB_EV_BIT(EVF_REM + 1) |
			CLOB_EV_BIT(EVF_OREM) | CLOB_EV_BIT(EVF_OREM + 1));
	/* DONE: the taker, at its own price, nothing left, in the seq and
	 * market of the event before it (FR: CANCELLED IOC_REMAINDER with
	 * the remaining as qty) ... */
	ZKT_FN(clob_ev_own)(op, ZK_EV_DONE, op[OPF_SIDE], ev_done);
	ZKT_FN(clob_ev_pair)(ev_done, EVF_SEQ, ev[EVF_SEQ], ev[EVF_SEQ + 1]);
	ev_done[EVF_MARKET] = ev[EVF_MARKET];
	ZKT_FN(clob_ev_pair)(ev_done, EVF_PRICE, op[OPF_PRICE],
			     op[OPF_PRICE + 1]);
	for (i = 0; i < CLOB_EV_ELEMS; i++)
		ev_exp[2][i] = ev_done[i];
	ev_exp[2][EVF_TYPE] = ZKT_ADD(ev_done[EVF_TYPE],
				      ZKT_MUL_CONST(fr, ZK_EV_CANCELLED +
							    ZK_GL_P - ZK_EV_DONE));
	/* (a self-trade stop after fills: CANCELLED STP, clob_air_fill.h) */
	ev_exp[2][EVF_REASON] = ZKT_ADD(
		ZKT_MUL_CONST(fr, ZK_CXL_IOC_REMAINDER),
		ZKT_MUL_CONST(cur[C_SS], ZK_CXL_STP + ZK_GL_P -
						 ZK_CXL_IOC_REMAINDER));
	ZKT_FN(clob_ev_pair)(ev_exp[2], EVF_QTY, cur[C_TRLO], cur[C_TRHI]);
	/* (after a CANCEL_BOTH stop the maker's CANCELLED comes first:
	 * clob_air_stp.h checks both) */
	ev_sel[2] = ZKT_MUL(ZKT_MUL(cur[C_TE], ZKT_SUB(one, rst)),
			    ZKT_SUB(one, cur[C_BT]));
	/* ... the maker's: the other side, the TRADE's maker id and price */
	for (i = 0; i < CLOB_EV_ELEMS; i++)
		ev_exp[3][i] = ev_maker[i] = ev_done[i];
	ev_maker[EVF_SIDE] = ZKT_SUB(ZKT_CONST(3), op[OPF_SIDE]);
	ZKT_FN(clob_ev_pair)(ev_maker, EVF_OID, ev[EVF_OTHER],
			     ev[EVF_OTHER + 1]);
	ZKT_FN(clob_ev_pair)(ev_maker, EVF_PRICE, ev[EVF_PRICE],
			     ev[EVF_PRICE + 1]);
	for (i = 0; i < CLOB_EV_ELEMS; i++)
		ev_exp[3][i] = ev_maker[i];
	ev_sel[3] = ZKT_MUL(ed, fm);
	k = ZKT_FN(clob_ev_check)(out, k, sem, nev, 2, &ev_sel[2],
				  &ev_exp[2], 0);
#undef EMIT
	return k;
}
