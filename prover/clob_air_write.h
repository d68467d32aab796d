/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR write roles (part of clob_air_body.h, included from it, no
 * include guard): the accesses that change the book, each with its local
 * check on (before, after), and the event of the op they belong to.
 *
 * Reduce (KR: a CANCEL with qty > 0, a lot multiple, below the order's
 * remaining; engine apply_cancel after the BAD_REDUCE check): the presence
 * probe and the order read of the reduce rejects, then
 *   OW  the same order slot: remaining := qty, every other element kept;
 *   LW  the level slot the order names: total -= cut, every other element
 *       kept; it emits CANCELLED / REDUCE with the order's side and price,
 *       qty = cut, remaining = qty.
 * A full cancel's level write (AC, clob_air_cancel.h) is the same role
 * with cut = the whole remaining and the FIFO ends relinked: head := the
 * order's next when it had no prev, tail := its prev when it had no next;
 * when the level empties (LE) the level_free writes follow.
 * The order read's fields (slot, links, level, side, price) ride down the
 * op's rows in the X columns.
 * Amounts are 64-bit values in two 32-bit limbs. cut = remaining - qty
 * and total - cut are taken limb by limb with a boolean borrow, so each
 * limb equation is an integer one (every term is below 2^33); the event's
 * limbs are public u32s and the new total's limbs are range checked
 * (2^8·limb is a 40-bit register), so both are the exact u64 differences,
 * never a wrap modulo p. A cut of zero (qty = remaining) is excluded by an
 * inverse witness; a negative one by the event's high limb being a u32.
 */

static unsigned ZKT_FN(clob_write)(const struct zk_clob_air *c, const ZKT *cur,
				   const ZKT *nxt, ZKT *out, unsigned k,
				   int sem)
{
	const ZKT *op = cur + C_OPF, *ev = nxt + C_EVF;
	const ZKT *bef = cur + C_MSG, *aft = cur + C_AFT, *v = cur + C_V;
	ZKT one = ZKT_CONST(1), zero = ZKT_ZERO, two32 = ZKT_CONST(1ull << 32);
	ZKT sacc = cur[C_SACC], ord = cur[C_ORD];
	ZKT ow = cur[C_OW], lw = cur[C_LW], now = nxt[C_OW], nlw = nxt[C_LW];
	ZKT b1 = cur[C_B1], b2 = cur[C_B2];
	ZKT ac = cur[C_AC], lwr = ZKT_SUB(lw, ZKT_MUL(lw, ac));
	/* a reduce cuts the event's qty, a cancel the whole remaining */
	ZKT cut_lo = ZKT_ADD(ev[EVF_QTY],
			     ZKT_MUL(ac, ZKT_SUB(cur[C_REMLO], ev[EVF_QTY])));
	ZKT cut_hi = ZKT_ADD(ev[EVF_QTY + 1],
			     ZKT_MUL(ac, ZKT_SUB(cur[C_REMHI],
						 ev[EVF_QTY + 1])));
	ZKT nil = ZKT_CONST(CLOB_NIL), ev_exp[CLOB_EV_ELEMS];
	unsigned i;

	(void)c;
#define EMIT(e) (out[k++] = sem ? (e) : zero)
	out[k++] = ZKT_MUL(ow, ZKT_SUB(ow, one));
	out[k++] = ZKT_MUL(lw, ZKT_SUB(lw, one));
	out[k++] = ZKT_MUL(b1, ZKT_SUB(b1, one));
	out[k++] = ZKT_MUL(b2, ZKT_SUB(b2, one));
	EMIT(ZKT_MUL(ow, ZKT_SUB(one, sacc)));
	EMIT(ZKT_MUL(lw, ZKT_SUB(one, sacc)));
	/* row order of a reduce: ORD read, OW, LW, event; a cancel's LW
	 * follows its unlinks and precedes the bucket erase */
	EMIT(ZKT_MUL(now, ZKT_SUB(one, ord)));
	EMIT(ZKT_MUL(ord, ZKT_SUB(now, cur[C_AR])));
	EMIT(ZKT_MUL(ow, ZKT_SUB(one, nlw)));
	EMIT(ZKT_MUL(nlw, ZKT_SUB(ZKT_SUB(one, ow),
				  ZKT_ADD(ZKT_ADD(cur[C_OR2], cur[C_PW]),
					  cur[C_NW]))));
	EMIT(ZKT_MUL(lwr, ZKT_SUB(one, nxt[C_SEV])));
	EMIT(ZKT_MUL(ZKT_MUL(lw, ac),
		     ZKT_MUL(ZKT_SUB(one, cur[C_LE]),
			     ZKT_SUB(ZKT_SUB(one, nxt[C_ES]), nxt[C_MP]))));

	/* OW: the slot the order read named; remaining := qty; the order is
	 * the op's (its id, which the event repeats) */
	EMIT(ZKT_MUL(now, ZKT_SUB(nxt[C_INDEX], cur[C_INDEX])));
	for (i = 0; i < ZK_ST_LEAF_ELEMS; i++) {
		if (i == 9 || i == 10)
			continue;
		EMIT(ZKT_MUL(ow, ZKT_SUB(aft[i], bef[i])));
	}
	EMIT(ZKT_MUL(ow, ZKT_SUB(aft[9], op[OPF_QTY])));
	EMIT(ZKT_MUL(ow, ZKT_SUB(aft[10], op[OPF_QTY + 1])));
	EMIT(ZKT_MUL(ow, ZKT_SUB(bef[3], op[OPF_OID])));
	EMIT(ZKT_MUL(ow, ZKT_SUB(bef[4], op[OPF_OID + 1])));

	/* LW: the level the order names; a reduce's cut = remaining - qty
	 * (limbs, borrow B1) is the event's qty, not zero */
	EMIT(ZKT_MUL(lw, ZKT_SUB(bef[0], ZKT_CONST(ZK_SLOT_LEVEL))));
	EMIT(ZKT_MUL(lw, ZKT_SUB(bef[2], cur[C_XLVL])));
	EMIT(ZKT_MUL(lwr, ZKT_SUB(ev[EVF_QTY],
				  ZKT_ADD(ZKT_SUB(cur[C_REMLO], op[OPF_QTY]),
					  ZKT_MUL(b1, two32)))));
	EMIT(ZKT_MUL(lwr, ZKT_SUB(ev[EVF_QTY + 1],
				  ZKT_SUB(ZKT_SUB(cur[C_REMHI],
						  op[OPF_QTY + 1]),
					  b1))));
	EMIT(ZKT_MUL(lwr, ZKT_SUB(ZKT_MUL(ZKT_ADD(ev[EVF_QTY],
						  ev[EVF_QTY + 1]),
					  cur[C_CINV]),
				  one)));
	/* total -= cut (borrow B2), the new limbs below 2^32; a cancel
	 * relinks the FIFO ends and leaves a head; the rest is kept */
	for (i = 0; i < ZK_ST_LEAF_ELEMS; i++) {
		if (i >= 5 && i <= 8)
			continue;
		EMIT(ZKT_MUL(lw, ZKT_SUB(aft[i], bef[i])));
	}
	EMIT(ZKT_MUL(lw, ZKT_SUB(ZKT_SUB(aft[7], bef[7]),
				 ZKT_MUL(ZKT_MUL(ac, cur[C_PN]),
					 ZKT_SUB(cur[C_XNEXT], bef[7])))));
	EMIT(ZKT_MUL(lw, ZKT_SUB(ZKT_SUB(aft[8], bef[8]),
				 ZKT_MUL(ZKT_MUL(ac, cur[C_NN]),
					 ZKT_SUB(cur[C_XPREV], bef[8])))));
	/* the level keeps a head, or empties (LE, a cancel only: level_free
	 * follows, clob_air_cancel.h) */
	EMIT(ZKT_MUL(ZKT_MUL(lw, ZKT_SUB(one, cur[C_LE])),
		     ZKT_SUB(ZKT_MUL(ZKT_SUB(aft[7], nil), cur[C_HINV]), one)));
	EMIT(ZKT_MUL(ZKT_MUL(lw, cur[C_LE]), ZKT_SUB(aft[7], nil)));
	EMIT(ZKT_MUL(ZKT_MUL(lw, cur[C_LE]), ZKT_SUB(one, ac)));
	/* the level's links and side, for level_free */
	EMIT(ZKT_MUL(lw, ZKT_SUB(cur[C_XBETTER], bef[9])));
	EMIT(ZKT_MUL(lw, ZKT_SUB(cur[C_XWORSE], bef[10])));
	EMIT(ZKT_MUL(lw, ZKT_SUB(cur[C_XLSIDE], bef[11])));
	EMIT(ZKT_MUL(ZKT_MUL(lw, cur[C_BN]), ZKT_SUB(bef[9], nil)));
	EMIT(ZKT_MUL(ZKT_MUL(lw, ZKT_SUB(one, cur[C_BN])),
		     ZKT_SUB(ZKT_MUL(ZKT_SUB(bef[9], nil), cur[C_BINV]), one)));
	EMIT(ZKT_MUL(ZKT_MUL(lw, cur[C_WN]), ZKT_SUB(bef[10], nil)));
	EMIT(ZKT_MUL(ZKT_MUL(lw, ZKT_SUB(one, cur[C_WN])),
		     ZKT_SUB(ZKT_MUL(ZKT_SUB(bef[10], nil), cur[C_WINV2]),
			     one)));
	EMIT(ZKT_MUL(lw, ZKT_SUB(aft[5], ZKT_ADD(ZKT_SUB(bef[5], cut_lo),
						 ZKT_MUL(b2, two32)))));
	EMIT(ZKT_MUL(lw, ZKT_SUB(aft[6], ZKT_SUB(ZKT_SUB(bef[6], cut_hi),
						 b2))));
	EMIT(ZKT_MUL(lw, ZKT_SUB(v[0], ZKT_MUL_CONST(aft[5], 1u << 8))));
	EMIT(ZKT_MUL(lw, ZKT_SUB(v[1], ZKT_MUL_CONST(aft[6], 1u << 8))));
	/* the event: CANCELLED / REDUCE, engine apply_cancel's fields; its
	 * qty is the cut, above */
	ZKT_FN(clob_ev_own)(op, ZK_EV_CANCELLED, cur[C_XSIDE], ev_exp);
	ev_exp[EVF_REASON] = ZKT_CONST(ZK_CXL_REDUCE);
	ZKT_FN(clob_ev_pair)(ev_exp, EVF_PRICE, cur[C_XPLO], cur[C_XPHI]);
	ZKT_FN(clob_ev_pair)(ev_exp, EVF_REM, op[OPF_QTY], op[OPF_QTY + 1]);
	k = ZKT_FN(clob_ev_check)(out, k, sem, ev, 1, &lwr, &ev_exp,
				  CLOB_EV_BIT(EVF_QTY) |
					  CLOB_EV_BIT(EVF_QTY + 1));
#undef EMIT
	return k;
}
