/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR rules of a REPLACE that moves and rests without crossing (part
 * of clob_air_body.h, included from it, no include guard; engine
 * apply_replace without keep, order_remove, enter as a GTC limit).
 *
 * Spec
 *  - QM (a kind): every market rule passes (clob_air_rules.h); AQ and AV
 *    are carried over its access rows; the old id's presence probes and
 *    the order read showing the op's account are the reduce rejects'
 *    (clob_air_probe.h), the new id's absence chain the keep's NP rows
 *    (clob_air_replace.h) ending at an empty bucket; then
 *   LO   the read of the order's level (XLVL, engine o->level); it
 *        also shows that the engine's keep is false: DP and the op's
 *        price ≠ the order's (an inverse, PINV; both prices < 2^40 as
 *        limbs, so the combined values differ iff the prices do), or
 *        ¬DP and qty − remaining − 1 ≥ 0 over the integers (limb-wise
 *        with borrow B1, each limb < 2^32 by a register V0 / V1 holding
 *        2^8·limb);
 *        (A REPLACE rejected BOOK_FULL has the same LO, followed by HF:
 *        clob_air_full.h.)
 *   HS   slots_available's header read (clob_air_loop.h): a free level
 *        slot (the order's own slot is reused, so order_free may be NIL;
 *        with no free level the order is alone in its level, or
 *        level_lookup's read LK follows: clob_air_mfull.h);
 *   then order_remove with the full cancel's roles (clob_air_cancel.h:
 *   OR2 of XSLOT, [PW] [NW] LW [level_free], the erase from the old id's
 *   bucket, OF, HW; AC is switched on at OR2), and from the row after HW
 *   (RLD: the X columns of the rest may differ) the resting NEW's rows
 *   (clob_air_rest.h: HN [LVN] [LX] ORS HO ... OWN [TW] LT IP* IW) for
 *   the order's side (RSIDE = XSIDE, the order read's), stp group (RSTP,
 *   the order read's, carried), the op's account (checked equal to the
 *   order's), the new id, price and qty. IW emits the op's only event:
 *   REPLACED, reason 0 (engine enter emits no ACCEPTED for a replace).
 *  - RSIDE / RSTP are the op's side and stp group on the rows of a NEW
 *    that rests or takes, so clob_air_rest.h reads one column for both.
 *  Row order: op (QM) → probes → ORD (HQ) → NP+ → LO → HS → [LK] → OR2
 *  → [PW] → [NW] → LW → [LB] [LWO] LF HL → ES ([EM] ES)* → EF → OF → HW → HN
 *  [LVN] → [LX] → ORS → HO → ... → IW → event.
 */

static unsigned ZKT_FN(clob_move)(const struct zk_clob_air *c, const ZKT *cur,
				  const ZKT *nxt, ZKT *out, unsigned k, int sem)
{
	const ZKT *op = cur + C_OPF, *bef = cur + C_MSG;
	ZKT one = ZKT_CONST(1), zero = ZKT_ZERO, nil = ZKT_CONST(CLOB_NIL);
	ZKT qm = cur[C_QM], av = cur[C_AV], lo = cur[C_LO];
	ZKT sacc = cur[C_SACC], nacc = nxt[C_SACC];
	ZKT takes = ZKT_ADD(ZKT_ADD(cur[C_AN], cur[C_AI]), cur[C_AM]);
	ZKT dp = cur[C_DP], b1 = cur[C_B1], v0 = cur[C_V], v1 = cur[C_V + 1];
	ZKT two32 = ZKT_CONST(1ull << 32);
	ZKT dprice = ZKT_SUB(ZKT_ADD(op[OPF_PRICE],
				     ZKT_MUL(op[OPF_PRICE + 1], two32)),
			     ZKT_ADD(cur[C_XPLO], ZKT_MUL(cur[C_XPHI], two32)));
	ZKT glo = ZKT_ADD(ZKT_SUB(ZKT_SUB(op[OPF_QTY], cur[C_REMLO]), one),
			  ZKT_MUL(b1, two32));
	ZKT ghi = ZKT_SUB(ZKT_SUB(op[OPF_QTY + 1], cur[C_REMHI]), b1);

	(void)c;
#define EMIT(e) (out[k++] = sem ? (e) : zero)
	out[k++] = ZKT_MUL(qm, ZKT_SUB(qm, one));
	out[k++] = ZKT_MUL(av, ZKT_SUB(av, one));
	out[k++] = ZKT_MUL(lo, ZKT_SUB(lo, one));
	out[k++] = ZKT_MUL(dp, ZKT_SUB(dp, one));
	EMIT(ZKT_MUL(qm, ZKT_ADD_CONST(op[OPF_TYPE], ZK_GL_P - 3)));
	/* AV: from the op row's QM, carried over its access rows; a move
	 * probes its new id (AQ) and keeps no fill (FR) */
	EMIT(ZKT_MUL(cur[C_SOP], ZKT_SUB(nxt[C_AV], qm)));
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nacc), ZKT_SUB(nxt[C_AV], av)));
	EMIT(ZKT_MUL(av, ZKT_SUB(one, cur[C_AQ])));
	EMIT(ZKT_MUL(ZKT_SUB(av, cur[C_XM]), cur[C_FR]));
	EMIT(ZKT_MUL(av, cur[C_AN]));
	/* LO: after the new id's chain (its last probe, empty), the read of
	 * the order's level; slots_available's header read follows */
	EMIT(ZKT_MUL(lo, ZKT_SUB(one, sacc)));
	EMIT(ZKT_MUL(lo, ZKT_SUB(ZKT_SUB(one, av), cur[C_AQF])));
	EMIT(ZKT_MUL(nxt[C_LO], ZKT_SUB(one, cur[C_NP])));
	EMIT(ZKT_MUL(ZKT_MUL(cur[C_NP], nxt[C_LO]), ZKT_SUB(bef[5], nil)));
	EMIT(ZKT_MUL(lo, ZKT_SUB(ZKT_SUB(one, nxt[C_HS]), nxt[C_HF])));
	EMIT(ZKT_MUL(lo, ZKT_SUB(bef[0], ZKT_CONST(ZK_SLOT_LEVEL))));
	EMIT(ZKT_MUL(lo, ZKT_SUB(bef[2], cur[C_XLVL])));
	/* engine keep = (price == o->price) & (qty <= o->remaining) is
	 * false: another price, or a larger qty */
	EMIT(ZKT_MUL(ZKT_MUL(lo, dp),
		     ZKT_SUB(ZKT_MUL(dprice, cur[C_PINV]), one)));
	EMIT(ZKT_MUL(lo, ZKT_MUL(b1, ZKT_SUB(b1, one))));
	EMIT(ZKT_MUL(ZKT_MUL(lo, ZKT_SUB(one, dp)),
		     ZKT_SUB(v0, ZKT_MUL_CONST(glo, 1u << 8))));
	EMIT(ZKT_MUL(ZKT_MUL(lo, ZKT_SUB(one, dp)),
		     ZKT_SUB(v1, ZKT_MUL_CONST(ghi, 1u << 8))));
	/* HS of a move: order_remove's re-read of the order follows (or
	 * level_lookup's read first, clob_air_mfull.h) */
	EMIT(ZKT_MUL(ZKT_MUL(cur[C_HS], av),
		     ZKT_SUB(ZKT_SUB(one, nxt[C_OR2]), nxt[C_LK])));
	EMIT(ZKT_MUL(ZKT_MUL(nxt[C_OR2], cur[C_HS]),
		     ZKT_SUB(nxt[C_MSG + 0], ZKT_CONST(ZK_SLOT_ORDER))));
	EMIT(ZKT_MUL(ZKT_MUL(nxt[C_OR2], cur[C_HS]),
		     ZKT_SUB(nxt[C_MSG + 2], cur[C_XSLOT])));
	/* what rests: the taker's side and stp group, or the moved
	 * order's (read by ORD, carried) */
	EMIT(ZKT_MUL(takes, ZKT_SUB(cur[C_RSIDE], op[OPF_SIDE])));
	EMIT(ZKT_MUL(takes, ZKT_SUB(cur[C_RSTP], op[OPF_STP])));
	EMIT(ZKT_MUL(ZKT_SUB(av, cur[C_XM]),
		     ZKT_SUB(cur[C_RSIDE], cur[C_XSIDE])));
	EMIT(ZKT_MUL(ZKT_MUL(cur[C_ORD], av), ZKT_SUB(cur[C_RSTP], bef[14])));
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nacc), ZKT_SUB(nxt[C_RSTP], cur[C_RSTP])));
#undef EMIT
	return k;
}
