/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR rules of a REPLACE that moves to a price where it crosses (part
 * of clob_air_body.h, included from it, no include guard; engine
 * apply_replace without keep: order_remove, then enter() as a GTC limit
 * whose match trades).
 *
 * Spec
 *  - The move's rows up to its removal's HW are the resting move's
 *    (clob_air_move.h). The next row is the match's first header read
 *    HDR instead of HN: XS marks it (exactly there: after an HW of an AV
 *    op whose AM is still 0), and from it on AM is set (clob_probe's AM
 *    carry adds XS), so the taker's rows are the matching NEW's
 *    (clob_air_match.h, clob_air_loop.h, clob_air_fill.h, the GTC rest
 *    of clob_air_rest.h) unchanged: XM = AM·AV marks them.
 *  - Those rules read the taker from the op cells, so at XS the carried
 *    side, stp group, ord type and tif switch to the taker's (engine
 *    struct taker of apply_replace): side RSIDE and stp RSTP (the order
 *    read's, carried; RSIDE carried into XS), LIMIT, GTC; account, price
 *    and qty are the op's (the account checked equal to the order's by
 *    the owner check), TR starts as the op's qty (clob_air_fill.h, QM).
 *  - The first event is REPLACED (reason 0, the order's side, the old
 *    id, the new id as other, the new price and qty, remaining 0: engine
 *    apply_replace emits it before the removal), emitted by the match's
 *    emitter (EMT, or the rest's IW: clob_air_rest.h blends IW's already)
 *    in place of ACCEPTED, with ET, so the TRADEs follow; ET copies its
 *    other id onto the TRADE's op cells as the taker's id (clob_match).
 *  - Sums of AM and AV count those rows once (AM + AV − XM): the
 *    CANCELLED / USER and reject checks of HW, RLD, the rest roles' kind,
 *    the taker's loop test after a removal; AC switches off at XS.
 *  - Self-trade prevention of the moved order is the NEW taker's (OS,
 *    OSF, OX, SO), its events naming the new id (clob_air_xstp.h).
 */

/* The emitter's expected event: a move's REPLACED in place of ACCEPTED
 * (exp) on its matching rows. */
static inline void ZKT_FN(clob_xmove_replaced)(const ZKT *cur, ZKT *exp)
{
	const ZKT *op = cur + C_OPF;
	ZKT rep[CLOB_EV_ELEMS];
	unsigned i;

	for (i = 0; i < CLOB_EV_ELEMS; i++)
		rep[i] = exp[i];
	rep[EVF_TYPE] = ZKT_CONST(ZK_EV_REPLACED);
	ZKT_FN(clob_ev_pair)(rep, EVF_OTHER, op[OPF_NID], op[OPF_NID + 1]);
	ZKT_FN(clob_ev_pair)(rep, EVF_REM, ZKT_ZERO, ZKT_ZERO);
	ZKT_FN(clob_ev_blend)(exp, cur[C_XM], rep);
}

static unsigned ZKT_FN(clob_xmove)(const struct zk_clob_air *c, const ZKT *cur,
				   const ZKT *nxt, ZKT *out, unsigned k,
				   int sem)
{
	const ZKT *nop = nxt + C_OPF;
	ZKT one = ZKT_CONST(1), zero = ZKT_ZERO;
	ZKT xs = cur[C_XS], nxs = nxt[C_XS], av = cur[C_AV];
	ZKT xm = cur[C_XM];

	(void)c;
#define EMIT(e) (out[k++] = sem ? (e) : zero)
	out[k++] = ZKT_MUL(xs, ZKT_SUB(xs, one));
	EMIT(ZKT_SUB(xm, ZKT_MUL(cur[C_AM], av)));
	/* XS: the header read right after a move's own removal, exactly
	 * when that read is HDR (a move that rests reads HN there) */
	EMIT(ZKT_MUL(xs, ZKT_SUB(one, cur[C_HDR])));
	EMIT(ZKT_MUL(nxs, ZKT_SUB(one, cur[C_HW])));
	EMIT(ZKT_MUL(nxs, ZKT_SUB(one, av)));
	EMIT(ZKT_MUL(nxs, cur[C_AM]));
	EMIT(ZKT_MUL(ZKT_MUL(cur[C_HW], ZKT_SUB(av, xm)),
		     ZKT_MUL(nxt[C_HDR], ZKT_SUB(one, nxs))));
	/* the taker: the moved order's side and stp group, a GTC limit */
	EMIT(ZKT_MUL(nxs, ZKT_SUB(nxt[C_RSIDE], cur[C_RSIDE])));
	EMIT(ZKT_MUL(nxs, ZKT_SUB(nop[OPF_SIDE], nxt[C_RSIDE])));
	EMIT(ZKT_MUL(nxs, ZKT_SUB(nop[OPF_STP], nxt[C_RSTP])));
	EMIT(ZKT_MUL(nxs, ZKT_ADD_CONST(nop[OPF_ORD], ZK_GL_P - ZK_ORD_LIMIT)));
	EMIT(ZKT_MUL(nxs, ZKT_ADD_CONST(nop[OPF_TIF], ZK_GL_P - ZK_TIF_GTC)));
#undef EMIT
	return k;
}
