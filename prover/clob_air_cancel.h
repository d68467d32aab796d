/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR full cancel (part of clob_air_body.h, included from it, no
 * include guard): engine apply_cancel with qty = 0, order_remove of an
 * order whose level keeps other orders. After the presence probe, the
 * owner check and the order read (ORD, which also fixes the X columns),
 * the rows follow the engine's accesses:
 *   OR2  order_remove's re-read of the same slot;
 *   PW   (the order has a prev) prev.next := the order's next;
 *   NW   (the order has a next) next.prev := the order's prev;
 *   LW   level: total -= remaining, FIFO ends (clob_air_write.h); when
 *        it empties (LE), engine level_free:
 *   LB   (the level has a better one) better.worse := the level's worse;
 *   LWO  (it has a worse one) worse.better := the level's better;
 *   LF   the level slot := free (price, total, side 0; head, tail,
 *        better NIL; worse := the header's level_free);
 *   HL   header: (no better level) the side's best := the worse one;
 *        level_free := the slot, n_levels - 1 (range checked);
 *   ES   erase scan: read bucket j = last scanned + 1 (wrapping), from the
 *        id's bucket on; an empty bucket ends the scan (EF next); else the
 *        row computes the home of the bucket's id and decides the shift:
 *        d1 = (j - home) mod nb, d2 = (j - hole) mod nb, both in
 *        [0, nb) by two registers each, and SH = [d1 >= d2] by a third
 *        register (d1 - d2, or d2 - d1 - 1, is >= 0);
 *   EM   (SH) the hole := the scanned bucket's id and order; the hole
 *        moves to j;
 *   EF   the hole := empty (id 0, order NIL);
 *   OF   the order slot := free (links NIL, next := the header's
 *        order_free, every other field 0);
 *   HW   header: order_free := the slot, n_orders - 1 (range checked),
 *        the rest kept; it emits CANCELLED / USER with the order's side,
 *        price and remaining.
 * HOLE and SCAN are carried down the rows; they start at the id's bucket.
 */

static unsigned ZKT_FN(clob_cancel)(const struct zk_clob_air *c, const ZKT *cur,
				    const ZKT *nxt, ZKT *out, unsigned k,
				    int sem)
{
	static const unsigned roles[] = { C_OR2, C_PW, C_NW, C_ES, C_EM,
					  C_EF, C_OF, C_HW, C_LB, C_LWO,
					  C_LF, C_HL, C_EE, C_W1, C_W2,
					  C_SH, C_PN, C_NN, C_LE, C_BN,
					  C_WN };
	const ZKT *op = cur + C_OPF, *ev = nxt + C_EVF;
	const ZKT *bef = cur + C_MSG, *aft = cur + C_AFT, *v = cur + C_V;
	ZKT one = ZKT_CONST(1), zero = ZKT_ZERO, nil = ZKT_CONST(CLOB_NIL);
	ZKT sacc = cur[C_SACC], nacc = nxt[C_SACC], ord = cur[C_ORD];
	ZKT or2 = cur[C_OR2], pw = cur[C_PW], nw = cur[C_NW];
	ZKT es = cur[C_ES], em = cur[C_EM], ef = cur[C_EF];
	ZKT of = cur[C_OF], hw = cur[C_HW];
	ZKT pn = cur[C_PN], nn = cur[C_NN], sh = cur[C_SH];
	ZKT probe = ZKT_SUB(sacc, ZKT_FN(clob_roles)(cur));
	ZKT nord = nxt[C_ORD], nes = nxt[C_ES];
	zk_gl nb = c->lay.count[ZK_SLOT_BUCKET];
	zk_gl boff = c->lay.offset[ZK_SLOT_BUCKET];
	ZKT esn, t, d1, d2, exp, ev_sel, ev_exp[CLOB_EV_ELEMS];
	unsigned i;

#define EMIT(e) (out[k++] = sem ? (e) : zero)
	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		out[k++] = ZKT_MUL(cur[roles[i]], ZKT_SUB(cur[roles[i]], one));
	for (i = 0; i < 12; i++)
		EMIT(ZKT_MUL(cur[roles[i]], ZKT_SUB(one, sacc)));
	out[k++] = ZKT_SUB(cur[C_BW], ZKT_MUL(cur[C_BN], cur[C_WN]));

	/* the order read fixes the X columns (carried in clob_probe) */
	/* (a match's maker read OM does the same) */
	t = ZKT_ADD(ZKT_ADD(ord, cur[C_OM]), cur[C_OX]);
	EMIT(ZKT_MUL(t, ZKT_SUB(cur[C_XSLOT], bef[2])));
	EMIT(ZKT_MUL(t, ZKT_SUB(cur[C_XPREV], bef[11])));
	EMIT(ZKT_MUL(t, ZKT_SUB(cur[C_XNEXT], bef[12])));
	EMIT(ZKT_MUL(t, ZKT_SUB(cur[C_XLVL], bef[13])));
	EMIT(ZKT_MUL(t, ZKT_SUB(cur[C_XSIDE], bef[15])));
	EMIT(ZKT_MUL(t, ZKT_SUB(cur[C_XPLO], bef[7])));
	EMIT(ZKT_MUL(t, ZKT_SUB(cur[C_XPHI], bef[8])));
	EMIT(ZKT_MUL(ZKT_MUL(t, pn), ZKT_SUB(bef[11], nil)));
	EMIT(ZKT_MUL(ZKT_MUL(t, ZKT_SUB(one, pn)),
		     ZKT_SUB(ZKT_MUL(ZKT_SUB(bef[11], nil), cur[C_PINV]), one)));
	EMIT(ZKT_MUL(ZKT_MUL(t, nn), ZKT_SUB(bef[12], nil)));
	EMIT(ZKT_MUL(ZKT_MUL(t, ZKT_SUB(one, nn)),
		     ZKT_SUB(ZKT_MUL(ZKT_SUB(bef[12], nil), cur[C_NINV]), one)));

	/* row order: ORD, OR2, [PW], [NW], LW, (ES [EM])*, EF, OF, HW, event */
	EMIT(ZKT_MUL(ord, ZKT_SUB(nxt[C_OR2], cur[C_AC])));
	EMIT(ZKT_MUL(cur[C_ML], ZKT_SUB(nxt[C_OR2], cur[C_FM])));
	EMIT(ZKT_MUL(nxt[C_OR2], ZKT_SUB(ZKT_SUB(ZKT_SUB(one, ord), cur[C_OX]),
					 ZKT_ADD(ZKT_ADD(cur[C_ML], cur[C_HS]),
						 cur[C_LK]))));
	EMIT(ZKT_MUL(ZKT_MUL(nxt[C_OR2], ord),
		     ZKT_SUB(nxt[C_INDEX], cur[C_INDEX])));
	EMIT(ZKT_MUL(ZKT_MUL(nxt[C_OR2], cur[C_ML]),
		     ZKT_SUB(nxt[C_MSG + 0], ZKT_CONST(ZK_SLOT_ORDER))));
	EMIT(ZKT_MUL(ZKT_MUL(nxt[C_OR2], cur[C_ML]),
		     ZKT_SUB(nxt[C_MSG + 2], cur[C_XSLOT])));
	EMIT(ZKT_MUL(or2, ZKT_SUB(nxt[C_PW], ZKT_SUB(one, pn))));
	EMIT(ZKT_MUL(ZKT_MUL(or2, pn), ZKT_SUB(nxt[C_NW], ZKT_SUB(one, nn))));
	EMIT(ZKT_MUL(ZKT_MUL(or2, pn), ZKT_MUL(nn, ZKT_SUB(one, nxt[C_LW]))));
	EMIT(ZKT_MUL(pw, ZKT_SUB(nxt[C_NW], ZKT_SUB(one, nn))));
	EMIT(ZKT_MUL(ZKT_MUL(pw, nn), ZKT_SUB(one, nxt[C_LW])));
	EMIT(ZKT_MUL(nw, ZKT_SUB(one, nxt[C_LW])));
	EMIT(ZKT_MUL(nxt[C_PW], ZKT_SUB(one, or2)));
	EMIT(ZKT_MUL(nxt[C_NW], ZKT_SUB(ZKT_SUB(one, or2), pw)));
	EMIT(ZKT_MUL(es, ZKT_SUB(ZKT_SUB(one, nes),
				 ZKT_ADD(nxt[C_EM], nxt[C_EF]))));
	EMIT(ZKT_MUL(es, ZKT_SUB(nxt[C_EF], cur[C_EE])));
	EMIT(ZKT_MUL(es, ZKT_SUB(nxt[C_EM], sh)));
	EMIT(ZKT_MUL(ZKT_MUL(es, cur[C_EE]), sh));
	EMIT(ZKT_MUL(nes, ZKT_SUB(ZKT_SUB(one, es),
				  ZKT_ADD(ZKT_ADD(em, cur[C_LW]),
					  ZKT_ADD(ZKT_ADD(cur[C_HL],
							  cur[C_MP]),
						  cur[C_NP])))));
	EMIT(ZKT_MUL(nxt[C_EM], ZKT_SUB(one, es)));
	EMIT(ZKT_MUL(nxt[C_EF], ZKT_SUB(one, es)));
	EMIT(ZKT_MUL(em, ZKT_SUB(one, nes)));
	/* (a REPLACE that keeps its priority inserts its new id next) */
	EMIT(ZKT_MUL(ef, ZKT_SUB(ZKT_SUB(one, nxt[C_OF]),
				 ZKT_ADD(nxt[C_QP], nxt[C_QI]))));
	EMIT(ZKT_MUL(nxt[C_OF], ZKT_SUB(one, ef)));
	EMIT(ZKT_MUL(of, ZKT_SUB(one, nxt[C_HW])));
	EMIT(ZKT_MUL(nxt[C_HW], ZKT_SUB(one, of)));
	/* the op's event follows, or (a match's FR) the taker's header
	 * read that looks for more to cross */
	/* (a move's own removal: its taker's header read, HN or, when it
	 * crosses, HDR; FR implies AM, and a move's removal has AM = 0) */
	t = ZKT_SUB(ZKT_ADD(cur[C_FR], cur[C_AV]), cur[C_XM]);
	EMIT(ZKT_MUL(ZKT_MUL(hw, ZKT_SUB(one, t)), ZKT_SUB(one, nxt[C_SEV])));
	EMIT(ZKT_MUL(ZKT_MUL(hw, t),
		     ZKT_SUB(ZKT_SUB(one, nxt[C_HN]), nxt[C_HDR])));
	/* a match's maker removal: after the level write (and level_free)
	 * the maker id's probes (MP), whose home HM computes, then the
	 * erase from the bucket they end at */
	t = ZKT_SUB(cur[C_LW], ZKT_MUL(cur[C_LW], cur[C_LE]));
	EMIT(ZKT_MUL(ZKT_MUL(cur[C_AM], ZKT_ADD(t, cur[C_HL])),
		     ZKT_SUB(one, nxt[C_MP])));
	EMIT(ZKT_MUL(cur[C_HM], ZKT_SUB(one, nxt[C_MP])));
	EMIT(ZKT_MUL(cur[C_HM], ZKT_SUB(one, cur[C_AM])));
	EMIT(ZKT_MUL(cur[C_HM], ZKT_SUB(ZKT_SUB(one, cur[C_LW]), cur[C_HL])));
	EMIT(ZKT_MUL(nxt[C_MP], ZKT_SUB(ZKT_SUB(one, cur[C_MP]), cur[C_HM])));
	EMIT(ZKT_MUL(cur[C_MP], ZKT_SUB(one, cur[C_AM])));
	EMIT(ZKT_MUL(cur[C_MP], ZKT_SUB(ZKT_SUB(one, nxt[C_MP]), nes)));
	EMIT(ZKT_MUL(cur[C_HM], ZKT_SUB(nxt[C_BSLOT],
					ZKT_FN(clob_home)(c, cur))));
	EMIT(ZKT_MUL(cur[C_MP], ZKT_SUB(cur[C_INDEX],
				       ZKT_ADD_CONST(cur[C_BSLOT], boff))));
	t = ZKT_SUB(cur[C_BSLOT], ZKT_CONST(nb - 1));
	EMIT(ZKT_MUL(ZKT_MUL(cur[C_MP], cur[C_WRAP]), t));
	EMIT(ZKT_MUL(ZKT_MUL(cur[C_MP], ZKT_SUB(one, cur[C_WRAP])),
		     ZKT_SUB(ZKT_MUL(t, cur[C_WINV]), one)));
	EMIT(ZKT_MUL(ZKT_MUL(cur[C_MP], nxt[C_MP]),
		     ZKT_SUB(nxt[C_BSLOT],
			     ZKT_SUB(ZKT_ADD_CONST(cur[C_BSLOT], 1),
				     ZKT_MUL_CONST(cur[C_WRAP], nb)))));
	/* every probe holds an order; one followed by a probe another id,
	 * the last the maker's, where the hole and the scan start */
	EMIT(ZKT_MUL(cur[C_MP], ZKT_SUB(ZKT_MUL(ZKT_SUB(bef[5], nil),
						cur[C_J3]),
				       one)));
	EMIT(ZKT_MUL(ZKT_MUL(cur[C_MP], nxt[C_MP]),
		     ZKT_SUB(ZKT_ADD(ZKT_MUL(ZKT_SUB(bef[3], cur[C_MKLO]),
					     cur[C_J1]),
				     ZKT_MUL(ZKT_SUB(bef[4], cur[C_MKHI]),
					     cur[C_J2])),
			     one)));
	t = ZKT_MUL(cur[C_MP], nes);
	EMIT(ZKT_MUL(t, ZKT_SUB(bef[3], cur[C_MKLO])));
	EMIT(ZKT_MUL(t, ZKT_SUB(bef[4], cur[C_MKHI])));
	EMIT(ZKT_MUL(t, ZKT_SUB(cur[C_HOLE], cur[C_BSLOT])));
	EMIT(ZKT_MUL(t, ZKT_SUB(cur[C_SCAN], cur[C_BSLOT])));

	/* level_free: LW(LE) → [LB] → [LWO] → LF → HL → the erase */
	t = ZKT_MUL(cur[C_LW], cur[C_LE]);
	EMIT(ZKT_MUL(t, ZKT_SUB(nxt[C_LB], ZKT_SUB(one, cur[C_BN]))));
	EMIT(ZKT_MUL(ZKT_MUL(t, cur[C_BN]),
		     ZKT_SUB(nxt[C_LWO], ZKT_SUB(one, cur[C_WN]))));
	EMIT(ZKT_MUL(ZKT_MUL(t, cur[C_BW]), ZKT_SUB(one, nxt[C_LF])));
	EMIT(ZKT_MUL(cur[C_LB], ZKT_SUB(nxt[C_LWO], ZKT_SUB(one, cur[C_WN]))));
	EMIT(ZKT_MUL(ZKT_MUL(cur[C_LB], cur[C_WN]), ZKT_SUB(one, nxt[C_LF])));
	EMIT(ZKT_MUL(cur[C_LWO], ZKT_SUB(one, nxt[C_LF])));
	EMIT(ZKT_MUL(cur[C_LF], ZKT_SUB(one, nxt[C_HL])));
	EMIT(ZKT_MUL(cur[C_HL], ZKT_SUB(ZKT_SUB(one, nes), nxt[C_MP])));
	EMIT(ZKT_MUL(nxt[C_LB], ZKT_SUB(one, cur[C_LW])));
	EMIT(ZKT_MUL(nxt[C_LWO], ZKT_SUB(ZKT_SUB(one, cur[C_LW]), cur[C_LB])));
	EMIT(ZKT_MUL(nxt[C_LF], ZKT_SUB(ZKT_SUB(one, cur[C_LW]),
					ZKT_ADD(cur[C_LB], cur[C_LWO]))));
	EMIT(ZKT_MUL(nxt[C_HL], ZKT_SUB(one, cur[C_LF])));
	/* LB / LWO: the neighbour levels the level names, one link each */
	EMIT(ZKT_MUL(cur[C_LB], ZKT_SUB(bef[0], ZKT_CONST(ZK_SLOT_LEVEL))));
	EMIT(ZKT_MUL(cur[C_LB], ZKT_SUB(bef[2], cur[C_XBETTER])));
	EMIT(ZKT_MUL(cur[C_LWO], ZKT_SUB(bef[0], ZKT_CONST(ZK_SLOT_LEVEL))));
	EMIT(ZKT_MUL(cur[C_LWO], ZKT_SUB(bef[2], cur[C_XWORSE])));
	for (i = 0; i < ZK_ST_LEAF_ELEMS; i++) {
		if (i != 10)
			EMIT(ZKT_MUL(cur[C_LB], ZKT_SUB(aft[i], bef[i])));
		if (i != 9)
			EMIT(ZKT_MUL(cur[C_LWO], ZKT_SUB(aft[i], bef[i])));
	}
	EMIT(ZKT_MUL(cur[C_LB], ZKT_SUB(aft[10], cur[C_XWORSE])));
	EMIT(ZKT_MUL(cur[C_LWO], ZKT_SUB(aft[9], cur[C_XBETTER])));
	/* LF: the level's slot back to its free value, worse := the
	 * header's level_free (read on the next row) */
	EMIT(ZKT_MUL(cur[C_LF], ZKT_SUB(bef[0], ZKT_CONST(ZK_SLOT_LEVEL))));
	EMIT(ZKT_MUL(cur[C_LF], ZKT_SUB(bef[2], cur[C_XLVL])));
	for (i = 0; i < ZK_ST_LEAF_ELEMS; i++) {
		if (i < 3)
			exp = bef[i];
		else if (i >= 7 && i <= 9)
			exp = nil;
		else if (i == 10)
			exp = nxt[C_MSG + 6];
		else
			exp = zero;
		EMIT(ZKT_MUL(cur[C_LF], ZKT_SUB(aft[i], exp)));
	}
	/* HL: with no better level the side's best pointer (best_bid for a
	 * BUY level, best_ask for a SELL one) := the worse level;
	 * level_free := the slot; n_levels - 1 (below 2^32) */
	t = cur[C_HL];
	EMIT(ZKT_MUL(t, ZKT_SUB(cur[C_INDEX],
				ZKT_CONST(c->lay.offset[ZK_SLOT_HEADER]))));
	EMIT(ZKT_MUL(t, ZKT_MUL(ZKT_ADD_CONST(cur[C_XLSIDE], ZK_GL_P - 1),
				ZKT_ADD_CONST(cur[C_XLSIDE], ZK_GL_P - 2))));
	for (i = 0; i < ZK_ST_LEAF_ELEMS; i++) {
		if (i == 3)
			exp = ZKT_ADD(bef[3],
				      ZKT_MUL(ZKT_MUL(cur[C_BN],
						      ZKT_SUB(ZKT_CONST(2),
							      cur[C_XLSIDE])),
					      ZKT_SUB(cur[C_XWORSE], bef[3])));
		else if (i == 4)
			exp = ZKT_ADD(bef[4],
				      ZKT_MUL(ZKT_MUL(cur[C_BN],
						      ZKT_ADD_CONST(cur[C_XLSIDE],
								    ZK_GL_P - 1)),
					      ZKT_SUB(cur[C_XWORSE], bef[4])));
		else if (i == 6)
			exp = cur[C_XLVL];
		else if (i == 8)
			exp = ZKT_SUB(bef[8], one);
		else
			exp = bef[i];
		EMIT(ZKT_MUL(t, ZKT_SUB(aft[i], exp)));
	}
	EMIT(ZKT_MUL(t, ZKT_SUB(v[0], ZKT_MUL_CONST(aft[8], 1u << 8))));

	/* PW / NW: the neighbours the order names, one link each */
	EMIT(ZKT_MUL(pw, ZKT_SUB(bef[0], ZKT_CONST(ZK_SLOT_ORDER))));
	EMIT(ZKT_MUL(pw, ZKT_SUB(bef[2], cur[C_XPREV])));
	EMIT(ZKT_MUL(nw, ZKT_SUB(bef[0], ZKT_CONST(ZK_SLOT_ORDER))));
	EMIT(ZKT_MUL(nw, ZKT_SUB(bef[2], cur[C_XNEXT])));
	for (i = 0; i < ZK_ST_LEAF_ELEMS; i++) {
		if (i != 12)
			EMIT(ZKT_MUL(pw, ZKT_SUB(aft[i], bef[i])));
		if (i != 11)
			EMIT(ZKT_MUL(nw, ZKT_SUB(aft[i], bef[i])));
	}
	EMIT(ZKT_MUL(pw, ZKT_SUB(aft[12], cur[C_XNEXT])));
	EMIT(ZKT_MUL(nw, ZKT_SUB(aft[11], cur[C_XPREV])));

	/* HOLE and SCAN start at the id's bucket (the probe before ORD) and
	 * ride down; an EM moves the hole to the scanned bucket */
	t = ZKT_MUL(probe, nord);
	EMIT(ZKT_MUL(t, ZKT_SUB(nxt[C_HOLE], cur[C_BSLOT])));
	EMIT(ZKT_MUL(t, ZKT_SUB(nxt[C_SCAN], cur[C_BSLOT])));
	/* (a match's next maker removal starts its hole at its own
	 * probes) */
	EMIT(ZKT_MUL(ZKT_MUL(nacc, ZKT_SUB(one, nxt[C_MP])),
		     ZKT_SUB(ZKT_MUL(sacc, ZKT_SUB(nxt[C_HOLE], cur[C_HOLE])),
			     ZKT_MUL(em, ZKT_SUB(cur[C_SCAN], cur[C_HOLE])))));
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nacc),
		     ZKT_MUL(ZKT_SUB(ZKT_SUB(one, nes), nxt[C_MP]),
			     ZKT_SUB(nxt[C_SCAN], cur[C_SCAN]))));
	EMIT(ZKT_MUL(es, ZKT_SUB(cur[C_SCAN], cur[C_BSLOT])));
	/* the next scan is SCAN + 1, wrapping after the last bucket */
	t = ZKT_SUB(cur[C_SCAN], ZKT_CONST(nb - 1));
	EMIT(ZKT_MUL(ZKT_MUL(nes, cur[C_WRAP]), t));
	EMIT(ZKT_MUL(ZKT_MUL(nes, ZKT_SUB(one, cur[C_WRAP])),
		     ZKT_SUB(ZKT_MUL(t, cur[C_WINV]), one)));
	EMIT(ZKT_MUL(nes, ZKT_SUB(nxt[C_BSLOT],
				  ZKT_SUB(ZKT_ADD_CONST(cur[C_SCAN], 1),
					  ZKT_MUL_CONST(cur[C_WRAP], nb)))));

	/* ES: a read of bucket j; empty ends the scan, else the shift rule
	 * (the home's bits: clob_probe) */
	EMIT(ZKT_MUL(es, ZKT_SUB(cur[C_INDEX],
				 ZKT_ADD_CONST(cur[C_BSLOT], boff))));
	EMIT(ZKT_MUL(ZKT_MUL(es, cur[C_EE]), ZKT_SUB(bef[5], nil)));
	EMIT(ZKT_MUL(ZKT_MUL(es, ZKT_SUB(one, cur[C_EE])),
		     ZKT_SUB(ZKT_MUL(ZKT_SUB(bef[5], nil), cur[C_J3]), one)));
	esn = ZKT_SUB(es, ZKT_MUL(es, cur[C_EE]));
	d1 = ZKT_ADD(ZKT_SUB(cur[C_BSLOT], ZKT_FN(clob_home)(c, cur)),
		     ZKT_MUL_CONST(cur[C_W1], nb));
	d2 = ZKT_ADD(ZKT_SUB(cur[C_BSLOT], cur[C_HOLE]),
		     ZKT_MUL_CONST(cur[C_W2], nb));
	EMIT(ZKT_MUL(esn, ZKT_SUB(v[0], d1)));
	EMIT(ZKT_MUL(esn, ZKT_SUB(ZKT_ADD(v[0], v[1]), ZKT_CONST(nb - 1))));
	EMIT(ZKT_MUL(esn, ZKT_SUB(v[2], d2)));
	EMIT(ZKT_MUL(esn, ZKT_SUB(ZKT_ADD(v[2], v[3]), ZKT_CONST(nb - 1))));
	EMIT(ZKT_MUL(esn, ZKT_SUB(v[4], ZKT_ADD(ZKT_MUL(sh, ZKT_SUB(v[0], v[2])),
					       ZKT_MUL(ZKT_SUB(one, sh),
						       ZKT_SUB(ZKT_SUB(v[2], v[0]),
							       one))))));
	/* EM: the hole takes the scanned bucket's id and order */
	t = ZKT_MUL(es, nxt[C_EM]);
	for (i = 3; i <= 5; i++)
		EMIT(ZKT_MUL(t, ZKT_SUB(nxt[C_AFT + i], bef[i])));
	EMIT(ZKT_MUL(em, ZKT_SUB(cur[C_INDEX],
				 ZKT_ADD_CONST(cur[C_HOLE], boff))));
	EMIT(ZKT_MUL(ef, ZKT_SUB(cur[C_INDEX],
				 ZKT_ADD_CONST(cur[C_HOLE], boff))));
	for (i = 0; i < ZK_ST_LEAF_ELEMS; i++) {
		if (i >= 3 && i <= 5)
			continue;
		EMIT(ZKT_MUL(em, ZKT_SUB(aft[i], bef[i])));
		EMIT(ZKT_MUL(ef, ZKT_SUB(aft[i], bef[i])));
	}
	/* EF: the hole ends empty */
	EMIT(ZKT_MUL(ef, aft[3]));
	EMIT(ZKT_MUL(ef, aft[4]));
	EMIT(ZKT_MUL(ef, ZKT_SUB(aft[5], nil)));

	/* OF: the order's slot, free, linked to the header's free list */
	EMIT(ZKT_MUL(of, ZKT_SUB(bef[0], ZKT_CONST(ZK_SLOT_ORDER))));
	EMIT(ZKT_MUL(of, ZKT_SUB(bef[2], cur[C_XSLOT])));
	for (i = 0; i < ZK_ST_LEAF_ELEMS; i++) {
		if (i < 3)
			exp = bef[i];
		else if (i == 11 || i == 13)
			exp = nil;
		else if (i == 12)
			exp = nxt[C_MSG + 5];
		else
			exp = zero;
		EMIT(ZKT_MUL(of, ZKT_SUB(aft[i], exp)));
	}
	/* HW: order_free := the slot, n_orders - 1 (below 2^32) */
	EMIT(ZKT_MUL(hw, ZKT_SUB(cur[C_INDEX],
				 ZKT_CONST(c->lay.offset[ZK_SLOT_HEADER]))));
	for (i = 0; i < ZK_ST_LEAF_ELEMS; i++) {
		if (i == 5)
			exp = cur[C_XSLOT];
		else if (i == 7)
			exp = ZKT_SUB(bef[7], one);
		else
			exp = bef[i];
		EMIT(ZKT_MUL(hw, ZKT_SUB(aft[i], exp)));
	}
	EMIT(ZKT_MUL(hw, ZKT_SUB(v[0], ZKT_MUL_CONST(aft[7], 1u << 8))));
	/* the event: CANCELLED / USER, engine apply_cancel's fields */
	ZKT_FN(clob_ev_own)(op, ZK_EV_CANCELLED, cur[C_XSIDE], ev_exp);
	ev_exp[EVF_REASON] = ZKT_CONST(ZK_CXL_USER);
	ZKT_FN(clob_ev_pair)(ev_exp, EVF_PRICE, cur[C_XPLO], cur[C_XPHI]);
	ZKT_FN(clob_ev_pair)(ev_exp, EVF_QTY, cur[C_REMLO], cur[C_REMHI]);
	ev_sel = ZKT_MUL(hw, ZKT_ADD(ZKT_SUB(ZKT_SUB(one, cur[C_AM]),
					     cur[C_AV]),
				     cur[C_XM]));
	k = ZKT_FN(clob_ev_check)(out, k, sem, ev, 1, &ev_sel, &ev_exp, 0);
#undef EMIT
	return k;
}
