/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR rules of BOOK_FULL from a full level table and of post-only
 * BOOK_FULL (part of clob_air_body.h, included from it, no include guard;
 * engine apply_new: would_cross for a post-only op, then slots_available).
 *
 * Spec
 *  - RF (a kind, clob_air_rules.h: a limit GTC, every market rule passes)
 *    and its absence probe (clob_air_probe.h); AF carried, and APO = the
 *    op's flags (post-only) carried from the op row. A post-only op first
 *    shows that it does not cross (engine would_cross), else it would be
 *    WOULD_CROSS:
 *   HP   right after the last (empty) probe, exactly when APO: the header
 *        read, BSLOT = the best opposite level (best_ask for BUY,
 *        best_bid for SELL); unless the next row is LP, BSLOT = NIL;
 *   LP   that level's read (slot BSLOT): (3 − 2·side)·(its price −
 *        price) − 1 a 40-bit register (no cross over the integers);
 *    then slots_available's header read: HDR (clob_air_probe.h, order
 *    free list empty, the event next) or HF. Where the header read has a
 *    free order slot, the engine goes on to the level table and the rows
 *    follow its accesses:
 *   HF   the header read (kind HEADER): order_free ≠ NIL (inverse J1),
 *        level_free = NIL, BSLOT = the op side's best level (best_bid
 *        for BUY, best_ask for SELL);
 *   BLX  level_lookup's read of the level the index names at the price
 *        when it is of the other side: kind LEVEL, the op's price, side
 *        3 − side (it decides nothing; checked so every row is pinned);
 *   BFB  the better bracket: kind LEVEL, the op's side, strictly better
 *        price ((3 − 2·side)·(its price − price) − 1 a 40-bit register,
 *        its price < 2^40);
 *   BFW  the worse bracket: the op's side, strictly worse price
 *        ((3 − 2·side)·(price − its price) − 1 a 40-bit register);
 *    with the gap closed on both ends: BFB's worse link is BFW's slot
 *    (adjacent), or NIL when no BFW follows; with no BFB the side's best
 *    level (BSLOT, carried over BLX) is BFW's slot, or NIL when no
 *    bracket is read at all (the side is empty). Since a side's levels
 *    form one list sorted strictly from its best level by the worse links
 *    (docs/proof.md section 4), no level of the op's side sits at its
 *    price, and with level_free = NIL no level can be created: BOOK_FULL.
 *    The last of these rows emits REJECTED BOOK_FULL (RSN, the body's
 *    reject check).
 *  - QF (a kind, engine apply_replace: BOOK_FULL after the owner check):
 *    a REPLACE (type 3) whose market rules pass (clob_air_rules.h), the
 *    old id's presence probes and the order read showing the op's
 *    account (clob_air_probe.h), the new id's absence chain (NP rows,
 *    clob_air_replace.h: AQ; never ending at the event here, so it is an
 *    absence), then LO, the read of the order's level (clob_air_move.h:
 *    the engine's keep is false), which here also shows that the order
 *    is not alone in it (its head or its tail is not the order: inverses
 *    J1 / J2; else the freed level would be reused); then HF (no order
 *    free list check: the order's own slot is reused) and the brackets
 *    as above for the order's side (XSIDE, carried from its read) and
 *    the op's (new) price. AQF is carried from QF over the access rows.
 *  Row order: op (RF) → probes → [HP [LP]] → (HDR | HF → [BLX] →
 *  [BFB] → [BFW]) → event; op (QF) → probes → ORD (HQ) → NP+ → LO → HF
 *  → [BLX] → [BFB] → [BFW] → event.
 */

static unsigned ZKT_FN(clob_full)(const struct zk_clob_air *c, const ZKT *cur,
				  const ZKT *nxt, ZKT *out, unsigned k, int sem)
{
	static const unsigned roles[] = { C_HF, C_BLX, C_BFB, C_BFW, C_HP,
					  C_LP };
	const ZKT *op = cur + C_OPF, *bef = cur + C_MSG, *v = cur + C_V;
	ZKT one = ZKT_CONST(1), zero = ZKT_ZERO, nil = ZKT_CONST(CLOB_NIL);
	ZKT two32 = ZKT_CONST(1ull << 32);
	ZKT hf = cur[C_HF], blx = cur[C_BLX], bfb = cur[C_BFB];
	ZKT bfw = cur[C_BFW], af = cur[C_AF], sacc = cur[C_SACC];
	ZKT nsev = nxt[C_SEV], apo = cur[C_APO];
	ZKT hp = cur[C_HP], lpr = cur[C_LP];
	ZKT aqf = cur[C_AQF], qf = cur[C_QF];
	/* the side that would rest: the NEW's, or the replaced order's */
	ZKT side = ZKT_ADD(op[OPF_SIDE],
			   ZKT_MUL(aqf, ZKT_SUB(cur[C_XSIDE], op[OPF_SIDE])));
	ZKT afq = ZKT_ADD(af, aqf), lo = cur[C_LO];
	ZKT buy = ZKT_SUB(ZKT_CONST(2), side);
	ZKT sell = ZKT_ADD_CONST(side, ZK_GL_P - 1);
	ZKT sgn = ZKT_SUB(ZKT_CONST(3), ZKT_MUL_CONST(side, 2));
	ZKT price = ZKT_ADD(op[OPF_PRICE], ZKT_MUL(op[OPF_PRICE + 1], two32));
	ZKT lp = ZKT_ADD(bef[3], ZKT_MUL(bef[4], two32));
	ZKT probe = ZKT_SUB(sacc, ZKT_FN(clob_roles)(cur));
	ZKT pre = ZKT_ADD(hf, blx);
	ZKT own, br;
	unsigned i;

#define EMIT(e) (out[k++] = sem ? (e) : zero)
	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		ZKT r = cur[roles[i]];

		out[k++] = ZKT_MUL(r, ZKT_SUB(r, one));
		EMIT(ZKT_MUL(r, ZKT_SUB(one, sacc)));
		EMIT(ZKT_MUL(r, ZKT_SUB(one, afq)));
	}
	/* QF: a REPLACE; AQF carried from it, only with AQ (the new id's
	 * chain), which here never ends at the event (that would be a
	 * presence: DUPLICATE_ID); LO is followed by HF and shows the
	 * order's level keeps another order */
	out[k++] = ZKT_MUL(qf, ZKT_SUB(qf, one));
	out[k++] = ZKT_MUL(aqf, ZKT_SUB(aqf, one));
	EMIT(ZKT_MUL(qf, ZKT_ADD_CONST(op[OPF_TYPE], ZK_GL_P - 3)));
	EMIT(ZKT_MUL(cur[C_SOP], ZKT_SUB(nxt[C_AQF], qf)));
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nxt[C_SACC]), ZKT_SUB(nxt[C_AQF], aqf)));
	EMIT(ZKT_MUL(aqf, ZKT_SUB(one, cur[C_AQ])));
	EMIT(ZKT_MUL(ZKT_MUL(cur[C_NP], nsev), aqf));
	EMIT(ZKT_MUL(ZKT_MUL(lo, aqf), ZKT_SUB(one, nxt[C_HF])));
	EMIT(ZKT_MUL(ZKT_MUL(lo, aqf),
		     ZKT_SUB(ZKT_ADD(ZKT_MUL(ZKT_SUB(bef[7], cur[C_XSLOT]),
					     cur[C_J1]),
				     ZKT_MUL(ZKT_SUB(bef[8], cur[C_XSLOT]),
					     cur[C_J2])),
			     one)));
	/* post-only: APO from the op row's flags, carried; HP / LP only
	 * there */
	out[k++] = ZKT_MUL(apo, ZKT_SUB(apo, one));
	EMIT(ZKT_MUL(apo, ZKT_SUB(one, af)));
	EMIT(ZKT_MUL(cur[C_RF], ZKT_SUB(nxt[C_APO], op[OPF_FLAGS])));
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nxt[C_SACC]),
		     ZKT_SUB(nxt[C_APO], apo)));
	EMIT(ZKT_MUL(ZKT_ADD(hp, lpr), ZKT_SUB(one, apo)));
	/* row order: the last (empty) probe → [HP [LP]] → HF → [BLX] →
	 * [BFB] → [BFW] → the event; a post-only op's last probe is
	 * followed by HP, another's by HDR or HF */
	EMIT(ZKT_MUL(ZKT_MUL(probe, apo), ZKT_ADD(nxt[C_HDR], nxt[C_HF])));
	EMIT(ZKT_MUL(nxt[C_HP], ZKT_SUB(one, probe)));
	EMIT(ZKT_MUL(ZKT_MUL(probe, ZKT_ADD(nxt[C_HP], nxt[C_HF])),
		     ZKT_SUB(bef[5], nil)));
	EMIT(ZKT_MUL(hp, ZKT_SUB(ZKT_SUB(one, nxt[C_LP]),
				 ZKT_ADD(nxt[C_HDR], nxt[C_HF]))));
	EMIT(ZKT_MUL(nxt[C_LP], ZKT_SUB(one, hp)));
	EMIT(ZKT_MUL(lpr, ZKT_SUB(one, ZKT_ADD(nxt[C_HDR], nxt[C_HF]))));
	EMIT(ZKT_MUL(nxt[C_HF], ZKT_SUB(ZKT_SUB(one, probe),
					ZKT_ADD(ZKT_ADD(hp, lpr), lo))));
	EMIT(ZKT_MUL(ZKT_MUL(nxt[C_HF], nxt[C_AQF]), ZKT_SUB(one, lo)));
	EMIT(ZKT_MUL(hf, ZKT_SUB(ZKT_SUB(one, nsev),
				 ZKT_ADD(ZKT_ADD(nxt[C_BLX], nxt[C_BFB]),
					 nxt[C_BFW]))));
	EMIT(ZKT_MUL(nxt[C_BLX], ZKT_SUB(one, hf)));
	EMIT(ZKT_MUL(blx, ZKT_SUB(ZKT_SUB(one, nsev),
				  ZKT_ADD(nxt[C_BFB], nxt[C_BFW]))));
	EMIT(ZKT_MUL(nxt[C_BFB], ZKT_SUB(one, pre)));
	EMIT(ZKT_MUL(bfb, ZKT_SUB(ZKT_SUB(one, nsev), nxt[C_BFW])));
	EMIT(ZKT_MUL(nxt[C_BFW], ZKT_SUB(ZKT_SUB(one, pre), bfb)));
	EMIT(ZKT_MUL(bfw, ZKT_SUB(one, nsev)));

	/* HP: the header, the best opposite level in BSLOT, read next
	 * unless NIL; LP: it does not cross */
	EMIT(ZKT_MUL(hp, ZKT_SUB(cur[C_INDEX],
				 ZKT_CONST(c->lay.offset[ZK_SLOT_HEADER]))));
	EMIT(ZKT_MUL(hp, ZKT_SUB(cur[C_BSLOT],
				 ZKT_ADD(ZKT_MUL(buy, bef[4]),
					 ZKT_MUL(sell, bef[3])))));
	EMIT(ZKT_MUL(ZKT_MUL(hp, ZKT_SUB(one, nxt[C_LP])),
		     ZKT_SUB(cur[C_BSLOT], nil)));
	EMIT(ZKT_MUL(ZKT_MUL(hp, nxt[C_LP]),
		     ZKT_SUB(nxt[C_MSG + 2], cur[C_BSLOT])));
	EMIT(ZKT_MUL(lpr, ZKT_SUB(bef[0], ZKT_CONST(ZK_SLOT_LEVEL))));
	EMIT(ZKT_MUL(lpr, ZKT_SUB(v[0], ZKT_MUL(bef[4], two32))));
	EMIT(ZKT_MUL(lpr, ZKT_SUB(ZKT_ADD(v[1], one),
				  ZKT_MUL(sgn, ZKT_SUB(lp, price)))));
	/* HF: the header; a free order slot (a NEW's), no free level slot;
	 * the side's best level in BSLOT, carried over BLX */
	own = ZKT_ADD(ZKT_MUL(buy, bef[3]), ZKT_MUL(sell, bef[4]));
	EMIT(ZKT_MUL(hf, ZKT_SUB(cur[C_INDEX],
				 ZKT_CONST(c->lay.offset[ZK_SLOT_HEADER]))));
	EMIT(ZKT_MUL(ZKT_MUL(hf, af),
		     ZKT_SUB(ZKT_MUL(ZKT_SUB(bef[5], nil), cur[C_J1]), one)));
	EMIT(ZKT_MUL(hf, ZKT_SUB(bef[6], nil)));
	EMIT(ZKT_MUL(hf, ZKT_SUB(cur[C_BSLOT], own)));
	EMIT(ZKT_MUL(nxt[C_BLX], ZKT_SUB(nxt[C_BSLOT], cur[C_BSLOT])));
	/* the gap's ends: no better bracket, the best level is the worse
	 * one (or NIL: none read); no worse bracket, the better's worse
	 * link is NIL; both, adjacent */
	EMIT(ZKT_MUL(ZKT_MUL(pre, nxt[C_BFW]),
		     ZKT_SUB(nxt[C_MSG + 2], cur[C_BSLOT])));
	EMIT(ZKT_MUL(ZKT_MUL(pre, nsev), ZKT_SUB(cur[C_BSLOT], nil)));
	EMIT(ZKT_MUL(ZKT_MUL(bfb, nsev), ZKT_SUB(bef[10], nil)));
	EMIT(ZKT_MUL(ZKT_MUL(bfb, nxt[C_BFW]),
		     ZKT_SUB(bef[10], nxt[C_MSG + 2])));
	/* BLX: the other side's level at the price */
	EMIT(ZKT_MUL(blx, ZKT_SUB(bef[0], ZKT_CONST(ZK_SLOT_LEVEL))));
	EMIT(ZKT_MUL(blx, ZKT_SUB(bef[3], op[OPF_PRICE])));
	EMIT(ZKT_MUL(blx, ZKT_SUB(bef[4], op[OPF_PRICE + 1])));
	EMIT(ZKT_MUL(blx, ZKT_SUB(bef[11], ZKT_SUB(ZKT_CONST(3), side))));
	/* BFB / BFW: levels of the op's side, prices below 2^40, strictly
	 * better / worse than the op's */
	br = ZKT_ADD(bfb, bfw);
	EMIT(ZKT_MUL(br, ZKT_SUB(bef[0], ZKT_CONST(ZK_SLOT_LEVEL))));
	EMIT(ZKT_MUL(br, ZKT_SUB(bef[11], side)));
	EMIT(ZKT_MUL(br, ZKT_SUB(v[0], ZKT_MUL(bef[4], two32))));
	EMIT(ZKT_MUL(bfb, ZKT_SUB(ZKT_ADD(v[1], one),
				  ZKT_MUL(sgn, ZKT_SUB(lp, price)))));
	EMIT(ZKT_MUL(bfw, ZKT_SUB(ZKT_ADD(v[1], one),
				  ZKT_MUL(sgn, ZKT_SUB(price, lp)))));
#undef EMIT
	return k;
}
