/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR resting NEW (part of clob_air_body.h, included from it, no
 * include guard): a limit GTC (post-only or not) whose market rules pass,
 * whose id is not live and which finds nothing to cross, so engine enter
 * ends in order_rest. After the absence probe of the id the rows follow
 * the engine's accesses:
 *   HN   a header read (would_cross, slots_available, match): a free order
 *        slot exists; the best opposite level is NIL (BONIL), or the next
 *        row reads it (LVN) and it does not cross;
 *   LVN  that level: kind LEVEL, its slot; (3 - 2·side)·(its price - the
 *        op's) - 1 is a 40-bit register, so over the integers BUY: level
 *        > price, SELL: level < price;
 *   LX   a read of a level at the op's price on the op's side (the one
 *        the engine's index names; its fields are checked here);
 *   ORS  the order slot order_free names (XSLOT), a free one (side 0);
 *   HO   header: order_free := that slot's next, n_orders + 1;
 * when the row before ORS is an LX (EX) the order joins that level (XLVL,
 * its tail XPREV); else level_create (¬EX, tail NIL):
 *   LC   reads of neighbour candidates (of any side; they decide nothing);
 *   HC   header: level_free := the popped slot's next, n_levels + 1; with
 *        no better level (BN) the side's best pointer was the worse level
 *        and becomes the new one;
 *   LN   the popped level slot (XLVL = the old level_free, a free slot)
 *        := price, side, links XBETTER / XWORSE, FIFO empty, total 0;
 *   LBW  (¬BN) the better level: this side, strictly better price, its
 *        worse link was XWORSE (adjacent), := the new level;
 *   LWB  (¬WN) the worse level: this side, strictly worse price, its
 *        better link was XBETTER, := the new level;
 * so the new level sits between adjacent levels of the side's sorted list
 * and no level at its price existed there; then
 *   OWN  the order slot := every field (id, account, price, remaining =
 *        qty, prev = the tail, next NIL, level, stp group, side);
 *   TW   (the tail is not NIL) the old tail's next := the order;
 *   LT   the level: total += qty, tail := the order (head too when the
 *        tail was NIL);
 *   IP   insert probes from the id's home over occupied buckets;
 *   IW   the first empty bucket := (id, order); it emits ACCEPTED.
 */

static unsigned ZKT_FN(clob_rest)(const struct zk_clob_air *c, const ZKT *cur,
				  const ZKT *nxt, ZKT *out, unsigned k, int sem)
{
	static const unsigned flags[] = { C_AN, C_EX, C_BONIL, C_NCOK, C_HN,
					  C_LVN, C_LX, C_ORS, C_HO, C_LC,
					  C_HC, C_LN, C_LBW, C_LWB, C_OWN,
					  C_TW, C_LT, C_IP, C_IW };
	const ZKT *op = cur + C_OPF, *ev = nxt + C_EVF;
	const ZKT *bef = cur + C_MSG, *aft = cur + C_AFT, *v = cur + C_V;
	ZKT one = ZKT_CONST(1), zero = ZKT_ZERO, nil = ZKT_CONST(CLOB_NIL);
	ZKT two32 = ZKT_CONST(1ull << 32);
	ZKT sacc = cur[C_SACC], an = cur[C_AN], ex = cur[C_EX];
	ZKT hn = cur[C_HN], lvn = cur[C_LVN], lx = cur[C_LX], ors = cur[C_ORS];
	ZKT ho = cur[C_HO], lc = cur[C_LC], hc = cur[C_HC], ln = cur[C_LN];
	ZKT lbw = cur[C_LBW], lwb = cur[C_LWB], own = cur[C_OWN];
	ZKT tw = cur[C_TW], lt = cur[C_LT], ip = cur[C_IP], iw = cur[C_IW];
	ZKT bonil = cur[C_BONIL], bn = cur[C_BN], wn = cur[C_WN];
	/* the resting order's side and stp group (a moved order's own,
	 * clob_air_move.h), its id (a move's new id) */
	ZKT pn = cur[C_PN], side = cur[C_RSIDE], av = cur[C_AV];
	ZKT rid[2] = { ZKT_ADD(op[OPF_OID], ZKT_MUL(av, ZKT_SUB(op[OPF_NID],
							       op[OPF_OID]))),
		       ZKT_ADD(op[OPF_OID + 1],
			       ZKT_MUL(av, ZKT_SUB(op[OPF_NID + 1],
						   op[OPF_OID + 1]))) };
	ZKT probe = ZKT_SUB(sacc, ZKT_FN(clob_roles)(cur));
	ZKT nprobe = ZKT_SUB(nxt[C_SACC], ZKT_FN(clob_roles)(nxt));
	ZKT price = ZKT_ADD(op[OPF_PRICE], ZKT_MUL(op[OPF_PRICE + 1], two32));
	ZKT lp = ZKT_ADD(bef[3], ZKT_MUL(bef[4], two32));
	ZKT sgn = ZKT_SUB(ZKT_CONST(3), ZKT_MUL_CONST(side, 2));
	ZKT buy = ZKT_SUB(ZKT_CONST(2), side), sell = ZKT_ADD_CONST(side,
								   ZK_GL_P - 1);
	ZKT bo, t, exp, nocross, rq[2];
	ZKT ev_exp[CLOB_EV_ELEMS], ev_rep[CLOB_EV_ELEMS];
	zk_gl nb = c->lay.count[ZK_SLOT_BUCKET];
	zk_gl boff = c->lay.offset[ZK_SLOT_BUCKET];
	zk_gl hoff = c->lay.offset[ZK_SLOT_HEADER];
	unsigned i;

#define EMIT(e) (out[k++] = sem ? (e) : zero)
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		out[k++] = ZKT_MUL(cur[flags[i]], ZKT_SUB(cur[flags[i]], one));
	/* the roles live only on access rows of a resting NEW; its no-cross
	 * reads (HN, LVN) also on those of a taker that does not trade
	 * (clob_air_taker.h) or ends after a fill (clob_air_match.h, FR) */
	for (i = 4; i < sizeof(flags) / sizeof(flags[0]); i++) {
		EMIT(ZKT_MUL(cur[flags[i]], ZKT_SUB(one, sacc)));
		t = ZKT_SUB(ZKT_ADD(ZKT_ADD(an, cur[C_AM]), av), cur[C_XM]);
		if (i < 6)
			t = ZKT_ADD(t, cur[C_AI]);
		EMIT(ZKT_MUL(cur[flags[i]], ZKT_SUB(one, t)));
	}

	/* row order: probes → (HN [LVN] | LX)+ → ORS → HO → (EX: OWN |
	 * [LC]* HC LN [LBW] [LWB] OWN) → [TW] → LT → [IP]* → IW → event */
	EMIT(ZKT_MUL(ZKT_MUL(probe, ZKT_ADD(an, cur[C_AI])),
		     ZKT_SUB(ZKT_SUB(ZKT_SUB(one, nprobe), nxt[C_HN]),
			     ZKT_MUL(cur[C_AI], nxt[C_HDR]))));
	EMIT(ZKT_MUL(nxt[C_HN], ZKT_SUB(ZKT_SUB(one, probe),
					ZKT_ADD(ZKT_ADD(hn, lvn),
						ZKT_ADD(lx, cur[C_HW])))));
	EMIT(ZKT_MUL(ZKT_MUL(probe, nxt[C_HN]), ZKT_SUB(bef[5], nil)));
	EMIT(ZKT_MUL(ZKT_MUL(hn, ZKT_SUB(one, bonil)),
		     ZKT_SUB(ZKT_SUB(one, nxt[C_LVN]),
			     ZKT_ADD(nxt[C_LX], nxt[C_HN]))));
	EMIT(ZKT_MUL(ZKT_MUL(hn, bonil),
		     ZKT_SUB(ZKT_SUB(one, nxt[C_HN]),
			     ZKT_ADD(ZKT_ADD(nxt[C_LX], nxt[C_ORS]),
				     ZKT_MUL(ZKT_ADD(cur[C_AI], cur[C_AM]),
					     nxt[C_SEV])))));
	EMIT(ZKT_MUL(nxt[C_LVN], ZKT_SUB(ZKT_SUB(one, ZKT_SUB(hn, ZKT_MUL(hn,
								      bonil))),
					 cur[C_FO])));
	EMIT(ZKT_MUL(lvn, ZKT_SUB(ZKT_SUB(one, nxt[C_HN]),
				  ZKT_ADD(ZKT_ADD(nxt[C_LX], nxt[C_ORS]),
					  ZKT_MUL(ZKT_ADD(cur[C_AI],
							  cur[C_AM]),
						  nxt[C_SEV])))));
	EMIT(ZKT_MUL(nxt[C_LX], ZKT_SUB(ZKT_SUB(one, hn), lvn)));
	EMIT(ZKT_MUL(lx, ZKT_SUB(ZKT_SUB(one, nxt[C_HN]), nxt[C_ORS])));
	/* no cross shown right before an order_rest: a NIL best opposite
	 * level or its read (an LX before ORS carries that in NCOK) */
	nocross = ZKT_ADD(ZKT_MUL(hn, bonil), lvn);
	EMIT(ZKT_MUL(nxt[C_LX], ZKT_SUB(nxt[C_NCOK], nocross)));
	EMIT(ZKT_MUL(ZKT_MUL(lx, nxt[C_ORS]), ZKT_SUB(one, cur[C_NCOK])));
	EMIT(ZKT_MUL(nxt[C_ORS], ZKT_SUB(ZKT_SUB(one, nocross), lx)));
	EMIT(ZKT_MUL(ors, ZKT_SUB(one, nxt[C_HO])));
	EMIT(ZKT_MUL(nxt[C_HO], ZKT_SUB(one, ors)));
	EMIT(ZKT_MUL(ZKT_MUL(ho, ex), ZKT_SUB(one, nxt[C_OWN])));
	EMIT(ZKT_MUL(ZKT_MUL(ho, ZKT_SUB(one, ex)),
		     ZKT_SUB(ZKT_SUB(one, nxt[C_LC]), nxt[C_HC])));
	EMIT(ZKT_MUL(lc, ZKT_SUB(ZKT_SUB(one, nxt[C_LC]), nxt[C_HC])));
	EMIT(ZKT_MUL(nxt[C_LC], ZKT_SUB(ZKT_SUB(one, ho), lc)));
	EMIT(ZKT_MUL(nxt[C_HC], ZKT_SUB(ZKT_SUB(one, ho), lc)));
	EMIT(ZKT_MUL(hc, ex));
	EMIT(ZKT_MUL(hc, ZKT_SUB(one, nxt[C_LN])));
	EMIT(ZKT_MUL(nxt[C_LN], ZKT_SUB(one, hc)));
	EMIT(ZKT_MUL(ln, ZKT_SUB(nxt[C_LBW], ZKT_SUB(one, bn))));
	EMIT(ZKT_MUL(ZKT_MUL(ln, bn), ZKT_SUB(nxt[C_LWB], ZKT_SUB(one, wn))));
	EMIT(ZKT_MUL(ZKT_MUL(ln, cur[C_BW]), ZKT_SUB(one, nxt[C_OWN])));
	EMIT(ZKT_MUL(lbw, ZKT_SUB(nxt[C_LWB], ZKT_SUB(one, wn))));
	EMIT(ZKT_MUL(ZKT_MUL(lbw, wn), ZKT_SUB(one, nxt[C_OWN])));
	EMIT(ZKT_MUL(lwb, ZKT_SUB(one, nxt[C_OWN])));
	EMIT(ZKT_MUL(nxt[C_LBW], ZKT_SUB(one, ln)));
	EMIT(ZKT_MUL(nxt[C_LWB], ZKT_SUB(ZKT_SUB(one, ln), lbw)));
	EMIT(ZKT_MUL(nxt[C_OWN], ZKT_SUB(ZKT_SUB(one, ZKT_MUL(ho, ex)),
					 ZKT_ADD(ln, ZKT_ADD(lbw, lwb)))));
	EMIT(ZKT_MUL(own, ZKT_SUB(nxt[C_TW], ZKT_SUB(one, pn))));
	EMIT(ZKT_MUL(ZKT_MUL(own, pn), ZKT_SUB(one, nxt[C_LT])));
	EMIT(ZKT_MUL(tw, ZKT_SUB(one, nxt[C_LT])));
	EMIT(ZKT_MUL(nxt[C_TW], ZKT_SUB(one, own)));
	EMIT(ZKT_MUL(nxt[C_LT], ZKT_SUB(ZKT_SUB(one, own), tw)));
	EMIT(ZKT_MUL(ZKT_ADD(lt, ip), ZKT_SUB(ZKT_SUB(one, nxt[C_IP]),
					      nxt[C_IW])));
	EMIT(ZKT_MUL(ZKT_ADD(nxt[C_IP], nxt[C_IW]),
		     ZKT_SUB(ZKT_SUB(one, lt), ip)));
	EMIT(ZKT_MUL(iw, ZKT_SUB(one, nxt[C_SEV])));

	/* HN: the header; best opposite (best_ask for BUY, best_bid for
	 * SELL) in BSLOT, NIL or read next; order_free is not NIL */
	bo = ZKT_ADD(ZKT_MUL(buy, bef[4]), ZKT_MUL(sell, bef[3]));
	EMIT(ZKT_MUL(hn, ZKT_SUB(cur[C_INDEX], ZKT_CONST(hoff))));
	EMIT(ZKT_MUL(hn, ZKT_SUB(cur[C_BSLOT], bo)));
	EMIT(ZKT_MUL(ZKT_MUL(hn, bonil), ZKT_SUB(cur[C_BSLOT], nil)));
	EMIT(ZKT_MUL(ZKT_MUL(hn, ZKT_SUB(one, bonil)),
		     ZKT_SUB(ZKT_MUL(ZKT_SUB(cur[C_BSLOT], nil), cur[C_J3]),
			     one)));
	EMIT(ZKT_MUL(ZKT_MUL(hn, an),
		     ZKT_SUB(ZKT_MUL(ZKT_SUB(bef[5], nil), cur[C_J1]), one)));
	EMIT(ZKT_MUL(ZKT_MUL(hn, nxt[C_LVN]),
		     ZKT_SUB(nxt[C_MSG + 2], cur[C_BSLOT])));
	/* LVN: that level does not cross */
	EMIT(ZKT_MUL(lvn, ZKT_SUB(bef[0], ZKT_CONST(ZK_SLOT_LEVEL))));
	EMIT(ZKT_MUL(lvn, ZKT_SUB(v[0], ZKT_MUL(bef[4], two32))));
	EMIT(ZKT_MUL(lvn, ZKT_SUB(ZKT_ADD(v[1], one),
				  ZKT_MUL(sgn, ZKT_SUB(lp, price)))));
	/* LX: a level at the op's price and side; the one before ORS is
	 * the level the order joins (XLVL), its tail XPREV */
	EMIT(ZKT_MUL(lx, ZKT_SUB(bef[0], ZKT_CONST(ZK_SLOT_LEVEL))));
	EMIT(ZKT_MUL(lx, ZKT_SUB(bef[3], op[OPF_PRICE])));
	EMIT(ZKT_MUL(lx, ZKT_SUB(bef[4], op[OPF_PRICE + 1])));
	EMIT(ZKT_MUL(lx, ZKT_SUB(bef[11], side)));
	EMIT(ZKT_MUL(nxt[C_ORS], ZKT_SUB(ex, lx)));
	EMIT(ZKT_MUL(ZKT_MUL(lx, nxt[C_ORS]), ZKT_SUB(cur[C_XLVL], bef[2])));
	EMIT(ZKT_MUL(ZKT_MUL(lx, nxt[C_ORS]), ZKT_SUB(cur[C_XPREV], bef[8])));
	/* ORS: the free slot XSLOT; the tail's NIL flag; a new level has
	 * no tail */
	EMIT(ZKT_MUL(ors, ZKT_SUB(bef[0], ZKT_CONST(ZK_SLOT_ORDER))));
	EMIT(ZKT_MUL(ors, ZKT_SUB(bef[2], cur[C_XSLOT])));
	EMIT(ZKT_MUL(ors, bef[15]));
	EMIT(ZKT_MUL(ZKT_MUL(ors, pn), ZKT_SUB(cur[C_XPREV], nil)));
	EMIT(ZKT_MUL(ZKT_MUL(ors, ZKT_SUB(one, pn)),
		     ZKT_SUB(ZKT_MUL(ZKT_SUB(cur[C_XPREV], nil), cur[C_PINV]),
			     one)));
	EMIT(ZKT_MUL(ZKT_MUL(ors, ZKT_SUB(one, ex)), ZKT_SUB(one, pn)));
	EMIT(ZKT_MUL(ors, ZKT_SUB(nxt[C_AFT + 5], bef[12])));
	/* HO: order_free (was XSLOT) := the slot's next; n_orders + 1 */
	EMIT(ZKT_MUL(ho, ZKT_SUB(cur[C_INDEX], ZKT_CONST(hoff))));
	EMIT(ZKT_MUL(ho, ZKT_SUB(bef[5], cur[C_XSLOT])));
	for (i = 0; i < ZK_ST_LEAF_ELEMS; i++) {
		if (i == 5)
			continue;
		exp = i == 7 ? ZKT_ADD(bef[7], one) : bef[i];
		EMIT(ZKT_MUL(ho, ZKT_SUB(aft[i], exp)));
	}
	EMIT(ZKT_MUL(ho, ZKT_SUB(v[0], ZKT_MUL_CONST(aft[7], 1u << 8))));
	/* LC: level reads */
	EMIT(ZKT_MUL(lc, ZKT_SUB(bef[0], ZKT_CONST(ZK_SLOT_LEVEL))));
	/* HC: level_free (was XLVL) := the slot's next (read by LN);
	 * n_levels + 1; with no better level the side's best pointer was
	 * the worse level and becomes XLVL */
	EMIT(ZKT_MUL(hc, ZKT_SUB(cur[C_INDEX], ZKT_CONST(hoff))));
	EMIT(ZKT_MUL(hc, ZKT_SUB(bef[6], cur[C_XLVL])));
	EMIT(ZKT_MUL(hc, ZKT_SUB(aft[6], nxt[C_MSG + 10])));
	EMIT(ZKT_MUL(ZKT_MUL(hc, bn), ZKT_MUL(buy, ZKT_SUB(bef[3],
							  cur[C_XWORSE]))));
	EMIT(ZKT_MUL(ZKT_MUL(hc, bn), ZKT_MUL(sell, ZKT_SUB(bef[4],
							   cur[C_XWORSE]))));
	for (i = 0; i < ZK_ST_LEAF_ELEMS; i++) {
		if (i == 6)
			continue;
		if (i == 3)
			exp = ZKT_ADD(bef[3], ZKT_MUL(ZKT_MUL(bn, buy),
						      ZKT_SUB(cur[C_XLVL],
							      bef[3])));
		else if (i == 4)
			exp = ZKT_ADD(bef[4], ZKT_MUL(ZKT_MUL(bn, sell),
						      ZKT_SUB(cur[C_XLVL],
							      bef[4])));
		else if (i == 8)
			exp = ZKT_ADD(bef[8], one);
		else
			exp = bef[i];
		EMIT(ZKT_MUL(hc, ZKT_SUB(aft[i], exp)));
	}
	EMIT(ZKT_MUL(hc, ZKT_SUB(v[0], ZKT_MUL_CONST(aft[8], 1u << 8))));
	/* LN: the popped slot (free: side 0) := the new level */
	EMIT(ZKT_MUL(ln, ZKT_SUB(bef[0], ZKT_CONST(ZK_SLOT_LEVEL))));
	EMIT(ZKT_MUL(ln, ZKT_SUB(bef[2], cur[C_XLVL])));
	EMIT(ZKT_MUL(ln, bef[11]));
	EMIT(ZKT_MUL(ZKT_MUL(ln, bn), ZKT_SUB(cur[C_XBETTER], nil)));
	EMIT(ZKT_MUL(ZKT_MUL(ln, ZKT_SUB(one, bn)),
		     ZKT_SUB(ZKT_MUL(ZKT_SUB(cur[C_XBETTER], nil),
				     cur[C_BINV]),
			     one)));
	EMIT(ZKT_MUL(ZKT_MUL(ln, wn), ZKT_SUB(cur[C_XWORSE], nil)));
	EMIT(ZKT_MUL(ZKT_MUL(ln, ZKT_SUB(one, wn)),
		     ZKT_SUB(ZKT_MUL(ZKT_SUB(cur[C_XWORSE], nil),
				     cur[C_WINV2]),
			     one)));
	for (i = 0; i < ZK_ST_LEAF_ELEMS; i++) {
		if (i < 3)
			exp = bef[i];
		else if (i == 3 || i == 4)
			exp = op[OPF_PRICE + i - 3];
		else if (i == 7 || i == 8)
			exp = nil;
		else if (i == 9)
			exp = cur[C_XBETTER];
		else if (i == 10)
			exp = cur[C_XWORSE];
		else if (i == 11)
			exp = side;
		else
			exp = zero;
		EMIT(ZKT_MUL(ln, ZKT_SUB(aft[i], exp)));
	}
	/* LBW / LWB: the neighbours, of this side, adjacent (each one's
	 * link to the other), strictly better / worse than the price */
	EMIT(ZKT_MUL(ZKT_ADD(lbw, lwb),
		     ZKT_SUB(bef[0], ZKT_CONST(ZK_SLOT_LEVEL))));
	EMIT(ZKT_MUL(ZKT_ADD(lbw, lwb), ZKT_SUB(bef[11], side)));
	EMIT(ZKT_MUL(ZKT_ADD(lbw, lwb), ZKT_SUB(v[0], ZKT_MUL(bef[4], two32))));
	EMIT(ZKT_MUL(lbw, ZKT_SUB(bef[2], cur[C_XBETTER])));
	EMIT(ZKT_MUL(lbw, ZKT_SUB(bef[10], cur[C_XWORSE])));
	EMIT(ZKT_MUL(lbw, ZKT_SUB(ZKT_ADD(v[1], one),
				  ZKT_MUL(sgn, ZKT_SUB(lp, price)))));
	EMIT(ZKT_MUL(lwb, ZKT_SUB(bef[2], cur[C_XWORSE])));
	EMIT(ZKT_MUL(lwb, ZKT_SUB(bef[9], cur[C_XBETTER])));
	EMIT(ZKT_MUL(lwb, ZKT_SUB(ZKT_ADD(v[1], one),
				  ZKT_MUL(sgn, ZKT_SUB(price, lp)))));
	for (i = 0; i < ZK_ST_LEAF_ELEMS; i++) {
		if (i != 10)
			EMIT(ZKT_MUL(lbw, ZKT_SUB(aft[i], bef[i])));
		if (i != 9)
			EMIT(ZKT_MUL(lwb, ZKT_SUB(aft[i], bef[i])));
	}
	EMIT(ZKT_MUL(lbw, ZKT_SUB(aft[10], cur[C_XLVL])));
	EMIT(ZKT_MUL(lwb, ZKT_SUB(aft[9], cur[C_XLVL])));
	/* what rests: the op's qty, or a GTC taker's remaining after its
	 * fills (clob_air_loop.h) */
	for (i = 0; i < 2; i++)
		rq[i] = ZKT_ADD(op[OPF_QTY + i],
				ZKT_MUL(cur[C_AM], ZKT_SUB(cur[C_TRLO + i],
							   op[OPF_QTY + i])));
	/* OWN: the order slot := the op's order at the level's tail */
	EMIT(ZKT_MUL(own, ZKT_SUB(bef[0], ZKT_CONST(ZK_SLOT_ORDER))));
	EMIT(ZKT_MUL(own, ZKT_SUB(bef[2], cur[C_XSLOT])));
	for (i = 0; i < ZK_ST_LEAF_ELEMS; i++) {
		/* id, account, price, remaining: the op's limbs */
		static const unsigned from[4] = { OPF_OID, OPF_ACCT, OPF_PRICE,
						  OPF_QTY };

		if (i < 3)
			exp = bef[i];
		else if (i == 3 || i == 4)
			exp = rid[i - 3];
		else if (i == 9 || i == 10)
			exp = rq[i - 9];
		else if (i <= 10)
			exp = op[from[(i - 3) / 2] + (i - 3) % 2];
		else if (i == 11)
			exp = cur[C_XPREV];
		else if (i == 12)
			exp = nil;
		else if (i == 13)
			exp = cur[C_XLVL];
		else if (i == 14)
			exp = cur[C_RSTP];
		else
			exp = side;
		EMIT(ZKT_MUL(own, ZKT_SUB(aft[i], exp)));
	}
	/* TW: the old tail (its next was NIL) := next is the order */
	EMIT(ZKT_MUL(tw, ZKT_SUB(bef[0], ZKT_CONST(ZK_SLOT_ORDER))));
	EMIT(ZKT_MUL(tw, ZKT_SUB(bef[2], cur[C_XPREV])));
	EMIT(ZKT_MUL(tw, ZKT_SUB(bef[12], nil)));
	for (i = 0; i < ZK_ST_LEAF_ELEMS; i++)
		EMIT(ZKT_MUL(tw, ZKT_SUB(aft[i],
					 i == 12 ? cur[C_XSLOT] : bef[i])));
	/* LT: the level, its tail was XPREV; total += qty (carry B2, new
	 * limbs below 2^32), tail := the order, head too when it had none */
	EMIT(ZKT_MUL(lt, ZKT_SUB(bef[0], ZKT_CONST(ZK_SLOT_LEVEL))));
	EMIT(ZKT_MUL(lt, ZKT_SUB(bef[2], cur[C_XLVL])));
	EMIT(ZKT_MUL(lt, ZKT_SUB(bef[8], cur[C_XPREV])));
	EMIT(ZKT_MUL(lt, ZKT_SUB(aft[5], ZKT_SUB(ZKT_ADD(bef[5], rq[0]),
						 ZKT_MUL(cur[C_B2], two32)))));
	EMIT(ZKT_MUL(lt, ZKT_SUB(aft[6], ZKT_ADD(ZKT_ADD(bef[6],
							 rq[1]),
						 cur[C_B2]))));
	EMIT(ZKT_MUL(lt, ZKT_SUB(v[0], ZKT_MUL_CONST(aft[5], 1u << 8))));
	EMIT(ZKT_MUL(lt, ZKT_SUB(v[1], ZKT_MUL_CONST(aft[6], 1u << 8))));
	for (i = 0; i < ZK_ST_LEAF_ELEMS; i++) {
		if (i == 5 || i == 6)
			continue;
		if (i == 7)
			exp = ZKT_ADD(bef[7], ZKT_MUL(pn, ZKT_SUB(cur[C_XSLOT],
								  bef[7])));
		else if (i == 8)
			exp = cur[C_XSLOT];
		else
			exp = bef[i];
		EMIT(ZKT_MUL(lt, ZKT_SUB(aft[i], exp)));
	}
	/* IP / IW: buckets from the id's home on (wrapping), each probe
	 * occupied, the write at the first empty one */
	t = ZKT_ADD(ip, iw);
	EMIT(ZKT_MUL(t, ZKT_SUB(cur[C_INDEX], ZKT_ADD_CONST(cur[C_BSLOT],
							    boff))));
	EMIT(ZKT_MUL(lt, ZKT_SUB(nxt[C_BSLOT], cur[C_XHOME])));
	t = ZKT_SUB(cur[C_BSLOT], ZKT_CONST(nb - 1));
	EMIT(ZKT_MUL(ZKT_MUL(ip, cur[C_WRAP]), t));
	EMIT(ZKT_MUL(ZKT_MUL(ip, ZKT_SUB(one, cur[C_WRAP])),
		     ZKT_SUB(ZKT_MUL(t, cur[C_WINV]), one)));
	EMIT(ZKT_MUL(ip, ZKT_SUB(nxt[C_BSLOT],
				 ZKT_SUB(ZKT_ADD_CONST(cur[C_BSLOT], 1),
					 ZKT_MUL_CONST(cur[C_WRAP], nb)))));
	EMIT(ZKT_MUL(ip, ZKT_SUB(ZKT_MUL(ZKT_SUB(bef[5], nil), cur[C_J3]),
				 one)));
	EMIT(ZKT_MUL(iw, ZKT_SUB(bef[5], nil)));
	for (i = 0; i < ZK_ST_LEAF_ELEMS; i++) {
		if (i == 3 || i == 4)
			exp = rid[i - 3];
		else if (i == 5)
			exp = cur[C_XSLOT];
		else
			exp = bef[i];
		EMIT(ZKT_MUL(iw, ZKT_SUB(aft[i], exp)));
	}
	/* the event: ACCEPTED, engine apply_new's fields; a move's
	 * REPLACED, reason 0, names the new id and has no remaining */
	ZKT_FN(clob_ev_accepted)(op, side, ev_exp);
	for (i = 0; i < CLOB_EV_ELEMS; i++)
		ev_rep[i] = ev_exp[i];
	ev_rep[EVF_TYPE] = ZKT_CONST(ZK_EV_REPLACED);
	ZKT_FN(clob_ev_pair)(ev_rep, EVF_OTHER, op[OPF_NID], op[OPF_NID + 1]);
	ZKT_FN(clob_ev_pair)(ev_rep, EVF_REM, zero, zero);
	ZKT_FN(clob_ev_blend)(ev_exp, av, ev_rep);
	k = ZKT_FN(clob_ev_check)(out, k, sem, ev, 1, &iw, &ev_exp, 0);
#undef EMIT
	return k;
}
