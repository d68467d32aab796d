/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR rules of a REPLACE that moves while the level table is full
 * (part of clob_air_body.h, included from it, no include guard; engine
 * apply_replace without keep: slots_available(order_slot_reused = 1,
 * level_slot_freed = the order is alone in its level) with no free level
 * slot, which answers yes without a read when the move frees the order's
 * own level, and otherwise after level_lookup's read of a level of the
 * order's side at the new price).
 *
 * Spec
 *  - MA (on the LO row of a move or of a REPLACE rejected BOOK_FULL,
 *    clob_air_move.h / clob_air_full.h, carried onto the HS row after
 *    it): the order is alone in its level (head = tail = the order's
 *    slot), the engine's level_slot_freed; ¬MA shows it is not (inverses
 *    J1 / J2 of head − slot, tail − slot), so MA is exactly the engine's
 *    flag. A REPLACE rejected BOOK_FULL never has MA.
 *  - MF (on a move's HS row): the header's level free list is NIL; the
 *    HS rule that asks for a free level slot (clob_air_loop.h) holds only
 *    without MF. With MF and MA the removal's re-read of the order (OR2)
 *    follows HS as it does with a free level slot (order_remove then
 *    frees the order's level, which the rest or the match reuses); with
 *    MF and ¬MA the next row is
 *   LK   level_lookup's read: kind LEVEL, price = the op's new price,
 *        side = the order's (XSIDE): a level of the side sits at the
 *        price (a free level slot has side 0), so the order rests there
 *        (clob_air_rest.h finds it again); OR2 of the order's slot
 *        follows.
 *    LK follows only such an HS; AC switches on at the OR2 after it
 *    (clob_air_probe.h).
 *  Row order: op (QM) → probes → ORD (HQ) → NP+ → LO → HS → [LK] → OR2 …
 */

static unsigned ZKT_FN(clob_move_full)(const struct zk_clob_air *c,
				       const ZKT *cur, const ZKT *nxt,
				       ZKT *out, unsigned k, int sem)
{
	const ZKT *op = cur + C_OPF, *bef = cur + C_MSG;
	ZKT one = ZKT_CONST(1), zero = ZKT_ZERO, nil = ZKT_CONST(CLOB_NIL);
	ZKT mf = cur[C_MF], ma = cur[C_MA], lk = cur[C_LK];
	ZKT lo = cur[C_LO], hs = cur[C_HS], nlk = nxt[C_LK];
	ZKT xs = cur[C_XSLOT];

	(void)c;
#define EMIT(e) (out[k++] = sem ? (e) : zero)
	out[k++] = ZKT_MUL(mf, ZKT_SUB(mf, one));
	out[k++] = ZKT_MUL(ma, ZKT_SUB(ma, one));
	out[k++] = ZKT_MUL(lk, ZKT_SUB(lk, one));
	/* MA: on LO, carried onto HS; exactly "alone" on LO */
	EMIT(ZKT_MUL(ma, ZKT_SUB(ZKT_SUB(one, lo), hs)));
	EMIT(ZKT_MUL(lo, ZKT_SUB(nxt[C_MA], ma)));
	EMIT(ZKT_MUL(ZKT_MUL(lo, ma), ZKT_SUB(bef[7], xs)));
	EMIT(ZKT_MUL(ZKT_MUL(lo, ma), ZKT_SUB(bef[8], xs)));
	EMIT(ZKT_MUL(ZKT_MUL(lo, ZKT_SUB(one, ma)),
		     ZKT_SUB(ZKT_ADD(ZKT_MUL(ZKT_SUB(bef[7], xs), cur[C_J1]),
				     ZKT_MUL(ZKT_SUB(bef[8], xs), cur[C_J2])),
			     one)));
	EMIT(ZKT_MUL(ma, cur[C_AQF]));
	/* MF: a move's HS whose level free list is NIL */
	EMIT(ZKT_MUL(mf, ZKT_SUB(one, hs)));
	EMIT(ZKT_MUL(mf, ZKT_SUB(one, cur[C_AV])));
	EMIT(ZKT_MUL(mf, ZKT_SUB(bef[6], nil)));
	/* not alone: level_lookup's read next; alone: none (OR2 next,
	 * clob_air_move.h) */
	EMIT(ZKT_MUL(ZKT_MUL(mf, ZKT_SUB(one, ma)), ZKT_SUB(one, nlk)));
	EMIT(ZKT_MUL(nlk, ZKT_SUB(one, mf)));
	EMIT(ZKT_MUL(nlk, ma));
	/* LK: a level of the order's side at the new price, then OR2 of
	 * the order's slot */
	EMIT(ZKT_MUL(lk, ZKT_SUB(one, cur[C_SACC])));
	EMIT(ZKT_MUL(lk, ZKT_SUB(bef[0], ZKT_CONST(ZK_SLOT_LEVEL))));
	EMIT(ZKT_MUL(lk, ZKT_SUB(bef[3], op[OPF_PRICE])));
	EMIT(ZKT_MUL(lk, ZKT_SUB(bef[4], op[OPF_PRICE + 1])));
	EMIT(ZKT_MUL(lk, ZKT_SUB(bef[11], cur[C_XSIDE])));
	EMIT(ZKT_MUL(lk, ZKT_SUB(one, nxt[C_OR2])));
	EMIT(ZKT_MUL(lk, ZKT_SUB(nxt[C_MSG + 0], ZKT_CONST(ZK_SLOT_ORDER))));
	EMIT(ZKT_MUL(lk, ZKT_SUB(nxt[C_MSG + 2], xs)));
#undef EMIT
	return k;
}
