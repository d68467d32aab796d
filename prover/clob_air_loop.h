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
 */

static unsigned ZKT_FN(clob_loop)(const struct zk_clob_air *c, const ZKT *cur,
				  const ZKT *nxt, ZKT *out, unsigned k, int sem)
{
	static const unsigned flags[] = { C_HS, C_RLD, C_RST };
	const ZKT *op = cur + C_OPF, *bef = cur + C_MSG;
	ZKT one = ZKT_CONST(1), zero = ZKT_ZERO, nil = ZKT_CONST(CLOB_NIL);
	ZKT sacc = cur[C_SACC], am = cur[C_AM], hs = cur[C_HS];
	ZKT probe = ZKT_SUB(sacc, ZKT_FN(clob_roles)(cur));
	/* on a match's rows tif is IOC or GTC: gtc = 1 for GTC, 0 for IOC */
	ZKT tif1 = ZKT_ADD_CONST(op[OPF_TIF], ZK_GL_P - ZK_TIF_GTC);
	ZKT gtc = ZKT_SUB(one, tif1);
	zk_gl hoff = c->lay.offset[ZK_SLOT_HEADER];
	unsigned i;

#define EMIT(e) (out[k++] = sem ? (e) : zero)
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		out[k++] = ZKT_MUL(cur[flags[i]], ZKT_SUB(cur[flags[i]], one));
	/* HS: access rows of a GTC taker */
	EMIT(ZKT_MUL(hs, ZKT_SUB(one, sacc)));
	EMIT(ZKT_MUL(hs, ZKT_SUB(one, am)));
	EMIT(ZKT_MUL(hs, tif1));
	/* a post-only GTC that crosses is rejected WOULD_CROSS: no taker */
	EMIT(ZKT_MUL(cur[C_KM], op[OPF_FLAGS]));
	/* the id's home, where the rest's insert starts */
	EMIT(ZKT_MUL(cur[C_KM], ZKT_SUB(nxt[C_XHOME],
					ZKT_FN(clob_home)(c, cur))));
	/* row order: probes (ending empty) → HS → HDR; a GTC never goes
	 * from its probes straight to HDR */
	EMIT(ZKT_MUL(nxt[C_HS], ZKT_SUB(one, probe)));
	EMIT(ZKT_MUL(ZKT_MUL(probe, nxt[C_HS]), ZKT_SUB(bef[5], nil)));
	EMIT(ZKT_MUL(ZKT_MUL(am, gtc), ZKT_MUL(probe, nxt[C_HDR])));
	EMIT(ZKT_MUL(hs, ZKT_SUB(one, nxt[C_HDR])));
	/* HS: free order and level slots (engine slots_available; with no
	 * free level it answers BOOK_FULL unless a level of the op's side
	 * sits at its price, which a crossing taker cannot have in an
	 * uncrossed book) */
	EMIT(ZKT_MUL(hs, ZKT_SUB(cur[C_INDEX], ZKT_CONST(hoff))));
	EMIT(ZKT_MUL(hs, ZKT_SUB(ZKT_MUL(ZKT_SUB(bef[5], nil), cur[C_J1]),
				 one)));
	EMIT(ZKT_MUL(hs, ZKT_SUB(ZKT_MUL(ZKT_SUB(bef[6], nil), cur[C_J2]),
				 one)));
	/* RLD exactly on the access after a match's HW (the X columns may
	 * reload there, clob_probe) and never on an op's first access */
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nxt[C_SACC]),
		     ZKT_SUB(nxt[C_RLD], ZKT_MUL(cur[C_HW], am))));
	EMIT(ZKT_MUL(cur[C_SOP], nxt[C_RLD]));
	/* RST: a GTC taker that keeps a remaining rests it; only such a
	 * taker reaches order_rest's slot read */
	EMIT(ZKT_MUL(am, ZKT_SUB(cur[C_RST], ZKT_MUL(cur[C_FR], gtc))));
	EMIT(ZKT_MUL(ZKT_MUL(am, cur[C_ORS]), tif1));
#undef EMIT
	return k;
}
