/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR self-trade prevention of a REPLACE that moves to a crossing
 * price (part of clob_air_body.h, included from it, no include guard;
 * engine apply_replace → order_remove → enter → match, whose taker is
 * struct taker { .id = the new id, the order's side, account and stp
 * group, GTC }). The move's matching rows are a NEW taker's
 * (clob_air_xmove.h), so the stop's access rules (OS, OX, the maker's
 * removal) hold unchanged; what differs is the taker's id in the events
 * after the first: the first event is REPLACED, whose order id is the old
 * id and whose other id is the taker's.
 *
 * Spec
 *  - CANCEL_NEWEST at the first maker (OS without fills): REPLACED with
 *    E2 (its emitter is OS), then the taker rules' CANCELLED STP
 *    (clob_air_taker.h), whose id is REPLACED's other id and whose other
 *    id is 0: with 4·r = type − ACCEPTED on the E2 row (ACCEPTED or
 *    REPLACED: the emitters' checks pin it), id' = id + r·(other − id)
 *    and other' = (1 − r)·other.
 *  - CANCEL_BOTH at the first maker (BZ): REPLACED carries no ET, so no
 *    TRADE copies the new id; the maker's CANCELLED (SM) takes the op
 *    cells from REPLACED's row with the id switched the same way, and the
 *    taker's (SE) from SM (clob_air_stp.h). After fills the TRADEs hold
 *    the new id already (clob_match's ET copy).
 *  - CANCEL_OLDEST: a maker's CANCELLED (SO) right after REPLACED takes
 *    its op id from clob_match's ET copy (the new id) and the taker's
 *    remaining from REPLACED's qty (its remaining field is 0; ACCEPTED's
 *    qty and remaining are equal), both in clob_air_stp.h.
 */

/* 4·(id' − id) − sel·(type − ACCEPTED)·(other − id): limb l of the id
 * the row after event row ev holds is ev's own, or with sel on a
 * REPLACED its other id (the taker's). */
static inline ZKT ZKT_FN(clob_xstp_id)(ZKT nid, ZKT id, const ZKT *ev,
				       unsigned l, ZKT sel)
{
	ZKT rep4 = ZKT_ADD_CONST(ev[EVF_TYPE], ZK_GL_P - ZK_EV_ACCEPTED);

	return ZKT_SUB(ZKT_MUL_CONST(ZKT_SUB(nid, id),
				     ZK_EV_REPLACED - ZK_EV_ACCEPTED),
		       ZKT_MUL(ZKT_MUL(sel, rep4),
			       ZKT_SUB(ev[EVF_OTHER + l], id)));
}

static unsigned ZKT_FN(clob_xstp)(const struct zk_clob_air *c, const ZKT *cur,
				  const ZKT *nxt, ZKT *out, unsigned k,
				  int sem)
{
	const ZKT *ev = cur + C_EVF, *nev = nxt + C_EVF;
	ZKT zero = ZKT_ZERO, e2 = cur[C_E2];
	ZKT rep4 = ZKT_ADD_CONST(ev[EVF_TYPE], ZK_GL_P - ZK_EV_ACCEPTED);
	ZKT acc4 = ZKT_SUB(ZKT_CONST(ZK_EV_REPLACED - ZK_EV_ACCEPTED), rep4);
	unsigned l;

	(void)c;
#define EMIT(e) (out[k++] = sem ? (e) : zero)
	/* the taker rules' second event: the taker's id and no other id
	 * (clob_air_taker.h checks its other elements) */
	for (l = 0; l < 2; l++) {
		EMIT(ZKT_MUL(e2, ZKT_FN(clob_xstp_id)(nev[EVF_OID + l],
						      ev[EVF_OID + l], ev, l,
						      ZKT_CONST(1))));
		EMIT(ZKT_MUL(e2, ZKT_SUB(ZKT_MUL_CONST(nev[EVF_OTHER + l],
						       ZK_EV_REPLACED -
							       ZK_EV_ACCEPTED),
					 ZKT_MUL(acc4, ev[EVF_OTHER + l]))));
	}
#undef EMIT
	return k;
}
