/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR rules of a FOK's fok_fillable in a CANCEL_OLDEST market (part
 * of clob_air_body.h, included from it, no include guard): engine
 * fok_fillable with skip_self, whose read of an order of the taker's own
 * neither stops the chain (FS, the other modes) nor counts toward the
 * fill.
 *
 * Spec
 *  - FSK (boolean, 0 outside CANCEL_OLDEST markets, only on FO rows): the
 *    read order is the taker's own (engine self_trade: GD with J3, the
 *    stp groups equal and not 0, or both 0 and the accounts equal) and of
 *    the other side (the FO rule of clob_air_fill.h). It is never the
 *    read that covers the need (¬FOL); the need rides on unchanged
 *    (clob_air_fill.h: NEED' = NEED − rem·(1 − FSK), and the 40-bit
 *    "short" register is not asked of it), and the chain's next read
 *    follows as after a short order (FX: the order's next, or the
 *    level's worse when the next is NIL). As the last read of a FOK that
 *    ends unfilled (FU, clob_air_loop.h) it is its level's last with the
 *    worse level NIL or not crossing, the need not compared.
 *  - The not-self-trade rules of the chain's reads (FA + FB) hold on the
 *    reads that are not skipped (FA + FB − FSK).
 *  - A FOK's match loop may then remove its own makers (OX with FR = 1,
 *    clob_air_stp.h): in CANCEL_OLDEST markets OX is open to a FOK.
 *    Since the loop never ends on a no-cross read for a FOK
 *    (clob_air_loop.h), the FOK is still filled whole.
 */

static unsigned ZKT_FN(clob_fok_skip)(const struct zk_clob_air *c,
				      const ZKT *cur, ZKT *out, unsigned k,
				      int sem)
{
	const ZKT *op = cur + C_OPF, *bef = cur + C_MSG;
	ZKT one = ZKT_CONST(1), zero = ZKT_ZERO;
	ZKT fsk = cur[C_FSK], gd = cur[C_GD], ngd = ZKT_SUB(one, gd);
	int oldest = c->mp.stp == ZK_STP_CANCEL_OLDEST;

#define EMIT(e) (out[k++] = sem ? (e) : zero)
	out[k++] = ZKT_MUL(fsk, ZKT_SUB(fsk, one));
	EMIT(oldest ? zero : fsk);
	EMIT(ZKT_MUL(fsk, ZKT_SUB(one, cur[C_FO])));
	EMIT(ZKT_MUL(fsk, cur[C_FOL]));
	/* engine self_trade, an order of the other side */
	EMIT(ZKT_MUL(fsk, ZKT_SUB(ZKT_ADD(bef[15], op[OPF_SIDE]),
				  ZKT_CONST(3))));
	EMIT(ZKT_MUL(ZKT_MUL(fsk, gd), ZKT_SUB(op[OPF_STP], bef[14])));
	EMIT(ZKT_MUL(ZKT_MUL(fsk, gd),
		     ZKT_SUB(ZKT_MUL(op[OPF_STP], cur[C_J3]), one)));
	EMIT(ZKT_MUL(ZKT_MUL(fsk, ngd), op[OPF_STP]));
	EMIT(ZKT_MUL(ZKT_MUL(fsk, ngd), bef[14]));
	EMIT(ZKT_MUL(ZKT_MUL(fsk, ngd), ZKT_SUB(bef[5], op[OPF_ACCT])));
	EMIT(ZKT_MUL(ZKT_MUL(fsk, ngd), ZKT_SUB(bef[6], op[OPF_ACCT + 1])));
#undef EMIT
	return k;
}
