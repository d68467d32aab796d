/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR limit GTC taker (part of clob_air_body.h, included from it, no
 * include guard): a KM op (clob_air_match.h) whose tif is GTC. Engine
 * apply_new runs slots_available before matching (a BOOK_FULL reject must
 * change nothing, and matching only ever frees slots), so after the
 * absence probe come:
 *   HS   the header: order_free and level_free are not NIL (J1, J2; with
 *        no free level the engine reads the level at the op's price and
 *        answers BOOK_FULL unless it is of the op's side, which would
 *        cross the book for a taker that trades);
 * then the match's rows (HDR, LVL, OM, MW, ML, the maker removal). When
 * the taker keeps a remaining (FR) the no-cross reads after the removal's
 * HW emit nothing: the resting NEW's rows follow (clob_air_rest.h, opened
 * to AM: [LX] ORS HO ... OWN [TW] LT IP* IW) with qty := the taker's
 * remaining TR, and IW emits the op's ACCEPTED (ET); RST = FR on a GTC
 * marks the events: ACCEPTED, TRADE, the maker's DONE and nothing after.
 * The rest's order slot, level and links are not the maker's: on the row
 * after the removal's HW (RLD) those X columns may take new values
 * (clob_probe's carry), pinned again by the rest's own rules; the maker's
 * side and price, which the events need, stay carried. An IOC never
 * reaches ORS.
 *
 * A FOK taker (KM with tif FOK) is filled whole by the head: engine enter
 * runs fok_fillable first, whose reads (the header and the best level as
 * HDR and LVL, then FO, the level's head, which the LVL row names) come
 * before match's own HDR; a FOK never keeps a remainder (FR = 0). GT marks
 * a GTC on a match's rows ((tif - 2)(tif - 3)/2 from the carried tif).
 *
 * A self-trade stop (KM, CANCEL_NEWEST markets): OS reads the head that
 * LVL names, proves engine self_trade, and emits ACCEPTED with E2, so the
 * taker rules' CANCELLED (reason STP, the whole qty) follows.
 *
 * A FOK that ends unfilled after crossing levels (KI): HDR → LVL → FO
 * (→ FO | → LVL → FO)*, the last read's order its own (FS) or short of
 * what is still needed and its level's last (FU), then the worse level
 * is NIL or read by LVN (no cross), then the taker rules' ACCEPTED and
 * CANCELLED FOK_UNFILLED.
 */

static unsigned ZKT_FN(clob_loop)(const struct zk_clob_air *c, const ZKT *cur,
				  const ZKT *nxt, ZKT *out, unsigned k, int sem)
{
	static const unsigned flags[] = { C_HS, C_RLD, C_RST, C_FO, C_OS,
					  C_FS, C_FU };
	const ZKT *op = cur + C_OPF, *bef = cur + C_MSG;
	ZKT one = ZKT_CONST(1), zero = ZKT_ZERO, nil = ZKT_CONST(CLOB_NIL);
	ZKT sacc = cur[C_SACC], am = cur[C_AM], hs = cur[C_HS];
	ZKT probe = ZKT_SUB(sacc, ZKT_FN(clob_roles)(cur));
	ZKT t2 = ZKT_ADD_CONST(op[OPF_TIF], ZK_GL_P - 2);
	ZKT t1 = ZKT_ADD_CONST(op[OPF_TIF], ZK_GL_P - 1);
	/* tif ∈ {1, 2, 3} (a valid shape): (t-1)(t-2) is 2 for FOK, else 0 */
	ZKT fok2 = ZKT_MUL(t1, t2);
	ZKT gtc = cur[C_GT], tif1 = ZKT_SUB(one, gtc), fo = cur[C_FO];
	zk_gl hoff = c->lay.offset[ZK_SLOT_HEADER];
	unsigned i;

#define EMIT(e) (out[k++] = sem ? (e) : zero)
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		out[k++] = ZKT_MUL(cur[flags[i]], ZKT_SUB(cur[flags[i]], one));
	/* GT on a match's rows: the tif is GTC, (t-2)(t-3)/2 */
	EMIT(ZKT_MUL(am, ZKT_SUB(ZKT_MUL_CONST(gtc, 2),
				 ZKT_MUL(t2, ZKT_ADD_CONST(op[OPF_TIF],
							   ZK_GL_P - 3)))));
	/* a FOK is filled whole or not at all: its loop never ends on a
	 * no-cross read (fok_fillable found enough, clob_air_fill.h) */
	EMIT(ZKT_MUL(ZKT_MUL(am, cur[C_HN]), fok2));
	/* FO: fok_fillable's read of the best level's head (the LVL row
	 * before it names the slot, clob_air_match.h), on a FOK's rows
	 * only, between that LVL and match's own HDR */
	EMIT(ZKT_MUL(fo, ZKT_SUB(one, sacc)));
	EMIT(ZKT_MUL(fo, ZKT_SUB(ZKT_SUB(one, am), cur[C_AI])));
	EMIT(ZKT_MUL(fo, ZKT_SUB(ZKT_CONST(2), fok2)));
	EMIT(ZKT_MUL(nxt[C_FO], ZKT_SUB(ZKT_SUB(one, cur[C_LVL]),
					cur[C_FX])));
	/* a FOK that ends FOK_UNFILLED after crossing levels (AI: the
	 * taker rules' events): HDR → LVL → FO, then the chain of reads
	 * (FB, clob_air_fill.h: the FIFO and the worse levels, the need
	 * falling) to the last one, whose order is its own (FS:
	 * fok_fillable stops unless the mode skips its own orders), or
	 * holds less than the need (40-bit registers: 2^32·hi, NEED - rem
	 * - 1) and is its level's last (next NIL), and the level's worse
	 * link (carried in FO's BSLOT) is NIL (BONIL: the events follow)
	 * or the next row reads that level, which does not cross (LVN's
	 * strict register) */
	{
		ZKT ai = cur[C_AI], fs = cur[C_FS], gd = cur[C_GD];
		ZKT u = cur[C_FU];
		ZKT two32 = ZKT_CONST(1ull << 32), bonil = cur[C_BONIL];
		ZKT rem = ZKT_ADD(bef[9], ZKT_MUL(bef[10], two32));
		ZKT lvl = ZKT_MUL(ai, cur[C_LVL]);

		/* FU: the last read (FB: one the chain goes past,
		 * clob_air_fill.h) */
		EMIT(ZKT_MUL(u, ZKT_SUB(one, fo)));
		EMIT(ZKT_MUL(u, ZKT_SUB(one, ai)));
		EMIT(ZKT_MUL(u, fs));
		EMIT(ZKT_MUL(lvl, ZKT_SUB(one, nxt[C_FO])));
		EMIT(ZKT_MUL(lvl, ZKT_SUB(nxt[C_MSG + 0],
					  ZKT_CONST(ZK_SLOT_ORDER))));
		EMIT(ZKT_MUL(lvl, ZKT_SUB(nxt[C_MSG + 2], bef[7])));
		EMIT(ZKT_MUL(lvl, ZKT_SUB(nxt[C_BSLOT], bef[10])));
		EMIT(ZKT_MUL(fs, ZKT_SUB(one, fo)));
		EMIT(ZKT_MUL(fs, ZKT_SUB(one, ai)));
		if (c->mp.stp == ZK_STP_CANCEL_OLDEST)
			EMIT(fs);
		EMIT(ZKT_MUL(fs, ZKT_SUB(one, nxt[C_SEV])));
		EMIT(ZKT_MUL(ZKT_MUL(fs, gd), ZKT_SUB(op[OPF_STP], bef[14])));
		EMIT(ZKT_MUL(ZKT_MUL(fs, gd),
			     ZKT_SUB(ZKT_MUL(op[OPF_STP], cur[C_J3]), one)));
		EMIT(ZKT_MUL(ZKT_MUL(fs, ZKT_SUB(one, gd)), op[OPF_STP]));
		EMIT(ZKT_MUL(ZKT_MUL(fs, ZKT_SUB(one, gd)), bef[14]));
		EMIT(ZKT_MUL(ZKT_MUL(fs, ZKT_SUB(one, gd)),
			     ZKT_SUB(bef[5], op[OPF_ACCT])));
		EMIT(ZKT_MUL(ZKT_MUL(fs, ZKT_SUB(one, gd)),
			     ZKT_SUB(bef[6], op[OPF_ACCT + 1])));
		EMIT(ZKT_MUL(u, ZKT_SUB(cur[C_V + 0], ZKT_MUL(bef[10], two32))));
		/* (a skipped own order is not compared: clob_air_fokstp.h) */
		EMIT(ZKT_MUL(ZKT_MUL(u, ZKT_SUB(one, cur[C_FSK])),
			     ZKT_SUB(ZKT_ADD(cur[C_V + 1], one),
				     ZKT_SUB(cur[C_NEED], rem))));
		EMIT(ZKT_MUL(u, ZKT_SUB(bef[12], nil)));
		EMIT(ZKT_MUL(ZKT_MUL(u, bonil), ZKT_SUB(cur[C_BSLOT], nil)));
		EMIT(ZKT_MUL(ZKT_MUL(u, bonil), ZKT_SUB(one, nxt[C_SEV])));
		/* (HINV, as on a read the chain goes past: J1 / J2 hold
		 * the not-self-trade witness, clob_air_fill.h) */
		EMIT(ZKT_MUL(ZKT_MUL(u, ZKT_SUB(one, bonil)),
			     ZKT_SUB(ZKT_MUL(ZKT_SUB(cur[C_BSLOT], nil),
					     cur[C_HINV]),
				     one)));
		EMIT(ZKT_MUL(ZKT_MUL(u, ZKT_SUB(one, bonil)),
			     ZKT_SUB(one, nxt[C_LVN])));
		EMIT(ZKT_MUL(ZKT_MUL(fo, nxt[C_LVN]),
			     ZKT_SUB(nxt[C_MSG + 2], cur[C_BSLOT])));
	}
	/* OS: match's read of the best level's head (right after the LVL
	 * that names it), the taker's own order, so the market's CANCEL_NEWEST
	 * mode cancels the taker: the op's last access, it emits ACCEPTED
	 * with E2 and the CANCELLED STP after it (clob_air_taker.h); never a
	 * FOK (fok_fillable answers FOK_UNFILLED first) */
	EMIT(ZKT_MUL(cur[C_OS], ZKT_SUB(one, sacc)));
	EMIT(ZKT_MUL(cur[C_OS], ZKT_SUB(one, am)));
	EMIT(ZKT_MUL(nxt[C_OS], ZKT_SUB(one, cur[C_LVL])));
	EMIT(ZKT_MUL(cur[C_OS], ZKT_SUB(one, nxt[C_SEV])));
	EMIT(ZKT_MUL(cur[C_OS], fok2));
	if (c->mp.stp != ZK_STP_CANCEL_NEWEST)
		EMIT(cur[C_OS]);
	EMIT(ZKT_MUL(ZKT_MUL(cur[C_OS], nxt[C_SEV]),
		     ZKT_SUB(nxt[C_RSN], ZKT_CONST(ZK_CXL_STP))));
	/* engine self_trade: stp groups equal and not 0 (GD), or both 0 and
	 * the accounts equal; the head is of the other side */
	{
		ZKT os = cur[C_OS], gd = cur[C_GD], ngd = ZKT_SUB(one, gd);

		EMIT(ZKT_MUL(os, ZKT_SUB(ZKT_ADD(bef[15], op[OPF_SIDE]),
					 ZKT_CONST(3))));
		EMIT(ZKT_MUL(ZKT_MUL(os, gd), ZKT_SUB(op[OPF_STP], bef[14])));
		EMIT(ZKT_MUL(ZKT_MUL(os, gd),
			     ZKT_SUB(ZKT_MUL(op[OPF_STP], cur[C_J3]), one)));
		EMIT(ZKT_MUL(ZKT_MUL(os, ngd), op[OPF_STP]));
		EMIT(ZKT_MUL(ZKT_MUL(os, ngd), bef[14]));
		EMIT(ZKT_MUL(ZKT_MUL(os, ngd), ZKT_SUB(bef[5], op[OPF_ACCT])));
		EMIT(ZKT_MUL(ZKT_MUL(os, ngd),
			     ZKT_SUB(bef[6], op[OPF_ACCT + 1])));
	}
	/* HS: access rows of a GTC taker */
	EMIT(ZKT_MUL(hs, ZKT_SUB(one, sacc)));
	EMIT(ZKT_MUL(hs, ZKT_SUB(ZKT_SUB(one, am), cur[C_AV])));
	EMIT(ZKT_MUL(ZKT_MUL(hs, am), tif1));
	/* a post-only GTC that crosses is rejected WOULD_CROSS: no taker */
	EMIT(ZKT_MUL(cur[C_KM], op[OPF_FLAGS]));
	/* the id's home, where the rest's insert starts */
	EMIT(ZKT_MUL(cur[C_KM], ZKT_SUB(nxt[C_XHOME],
					ZKT_FN(clob_home)(c, cur))));
	/* row order: probes (ending empty) → HS → HDR; a GTC never goes
	 * from its probes straight to HDR */
	EMIT(ZKT_MUL(nxt[C_HS], ZKT_SUB(ZKT_SUB(one, probe), cur[C_LO])));
	EMIT(ZKT_MUL(ZKT_MUL(probe, nxt[C_HS]), ZKT_SUB(bef[5], nil)));
	EMIT(ZKT_MUL(ZKT_MUL(am, gtc), ZKT_MUL(probe, nxt[C_HDR])));
	EMIT(ZKT_MUL(ZKT_MUL(hs, am), ZKT_SUB(one, nxt[C_HDR])));
	/* HS: free order and level slots (engine slots_available; with no
	 * free level it answers BOOK_FULL unless a level of the op's side
	 * sits at its price, which a crossing taker cannot have in an
	 * uncrossed book) */
	EMIT(ZKT_MUL(hs, ZKT_SUB(cur[C_INDEX], ZKT_CONST(hoff))));
	EMIT(ZKT_MUL(ZKT_MUL(hs, am),
		     ZKT_SUB(ZKT_MUL(ZKT_SUB(bef[5], nil), cur[C_J1]), one)));
	/* (a move's MF: none free, clob_air_mfull.h) */
	EMIT(ZKT_MUL(ZKT_MUL(hs, ZKT_SUB(one, cur[C_MF])),
		     ZKT_SUB(ZKT_MUL(ZKT_SUB(bef[6], nil), cur[C_J2]), one)));
	/* RLD exactly on the access after a match's HW (the X columns may
	 * reload there, clob_probe) and never on an op's first access */
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nxt[C_SACC]),
		     ZKT_SUB(nxt[C_RLD],
			     ZKT_MUL(cur[C_HW],
				     ZKT_SUB(ZKT_ADD(am, cur[C_AV]),
					     cur[C_XM])))));
	EMIT(ZKT_MUL(cur[C_SOP], nxt[C_RLD]));
	/* only a GTC taker reaches order_rest's slot read (RST, its events'
	 * mark that it rests: clob_air_fill.h) */
	EMIT(ZKT_MUL(ZKT_MUL(am, cur[C_ORS]), tif1));
#undef EMIT
	return k;
}
