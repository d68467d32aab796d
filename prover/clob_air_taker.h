/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR taker that finds nothing to cross (part of clob_air_body.h,
 * included from it, no include guard): a limit IOC / FOK or a market NEW
 * (KI) whose market rules pass and whose id is not live, so engine
 * apply_new accepts it and enter reads the header (fok_fillable or match)
 * and, when the best opposite level is not NIL, that level, which does not
 * cross; the op then ends CANCELLED (IOC_REMAINDER for IOC, FOK_UNFILLED
 * for FOK) without trading. The rows after the absence probe reuse the
 * resting NEW's no-cross roles (clob_air_rest.h):
 *   HN   the header; BONIL (the best opposite level is NIL) or the next row
 *        is LVN; order_free is not checked (an IOC never rests);
 *   LVN  that level does not cross (a 40-bit register); never for a market
 *        order, which crosses every level;
 * and the last of them emits two events: ACCEPTED on the next row, which
 * carries E2 and the second event's reason in RSN (tif + 2: IOC → 4,
 * FOK → 5), then CANCELLED with the accepted event's side, id, price and
 * qty, remaining 0. E2 is set exactly on the event row after a KI op's
 * last access, so no other op gains a second event; every other op keeps
 * exactly one event.
 */

static unsigned ZKT_FN(clob_taker)(const struct zk_clob_air *c, const ZKT *cur,
				   const ZKT *nxt, ZKT *out, unsigned k,
				   int sem)
{
	const ZKT *op = cur + C_OPF, *ev = cur + C_EVF, *nev = nxt + C_EVF;
	ZKT one = ZKT_CONST(1), zero = ZKT_ZERO;
	ZKT ki = cur[C_KI], ai = cur[C_AI], e2 = cur[C_E2];
	ZKT nsev = nxt[C_SEV];
	ZKT tif2 = ZKT_ADD_CONST(op[OPF_TIF], ZK_GL_P - 2);
	ZKT tif3 = ZKT_ADD_CONST(op[OPF_TIF], ZK_GL_P - 3);
	ZKT emit = ZKT_MUL(ai, nsev), ev_exp[CLOB_EV_ELEMS];
	unsigned i;

	(void)c;
#define EMIT(e) (out[k++] = sem ? (e) : zero)
	out[k++] = ZKT_MUL(ki, ZKT_SUB(ki, one));
	out[k++] = ZKT_MUL(ai, ZKT_SUB(ai, one));
	out[k++] = ZKT_MUL(e2, ZKT_SUB(e2, one));
	/* KI: IOC or FOK (a valid shape makes a market order one of them) */
	EMIT(ZKT_MUL(ki, ZKT_MUL(tif2, tif3)));
	EMIT(ZKT_MUL(ai, ZKT_SUB(one, cur[C_SACC])));
	/* a market order crosses any level: only an empty side is "nothing
	 * to cross" */
	EMIT(ZKT_MUL(ZKT_MUL(ai, cur[C_LVN]),
		     ZKT_ADD_CONST(op[OPF_ORD], ZK_GL_P - ZK_ORD_LIMIT)));
	/* a header read showing a best opposite level is followed by its
	 * read (never by the events) */
	EMIT(ZKT_MUL(ZKT_MUL(ai, cur[C_HN]),
		     ZKT_MUL(ZKT_SUB(one, cur[C_BONIL]),
			     ZKT_SUB(one, nxt[C_LVN]))));
	/* E2: only on event rows, exactly after a KI op's last access, and
	 * an event follows it */
	EMIT(ZKT_MUL(e2, ZKT_SUB(one, cur[C_SEV])));
	/* ... or after a self-trade stop's read (clob_air_loop.h) */
	EMIT(ZKT_MUL(nsev, ZKT_SUB(nxt[C_E2],
				   ZKT_SUB(ZKT_ADD(ai, cur[C_OS]),
					   cur[C_OSF]))));
	EMIT(ZKT_MUL(e2, ZKT_SUB(one, nsev)));
	EMIT(ZKT_MUL(emit, ZKT_SUB(nxt[C_RSN], ZKT_ADD_CONST(op[OPF_TIF], 2))));
	/* the first event: ACCEPTED, engine apply_new's fields */
	ZKT_FN(clob_ev_accepted)(op, op[OPF_SIDE], ev_exp);
	k = ZKT_FN(clob_ev_check)(out, k, sem, nev, 1, &emit, &ev_exp, 0);
	/* the second event: CANCELLED, the whole qty, nothing remains */
	for (i = 0; i < CLOB_EV_ELEMS; i++)
		ev_exp[i] = ev[i];
	ev_exp[EVF_TYPE] = ZKT_CONST(ZK_EV_CANCELLED);
	ev_exp[EVF_REASON] = cur[C_RSN];
	ZKT_FN(clob_ev_pair)(ev_exp, EVF_REM, zero, zero);
	/* (its id and other id: a move's differ, clob_air_xstp.h) */
	k = ZKT_FN(clob_ev_check)(out, k, sem, nev, 1, &e2, &ev_exp,
				  CLOB_EV_BIT(EVF_OID) |
					  CLOB_EV_BIT(EVF_OID + 1) |
					  CLOB_EV_BIT(EVF_OTHER) |
					  CLOB_EV_BIT(EVF_OTHER + 1));
#undef EMIT
	return k;
}
