/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR rules of a REPLACE after its owner check (part of
 * clob_air_body.h, included from it, no include guard; engine
 * apply_replace).
 *
 * Spec
 *  - The old id's presence probe and the order read showing the op's
 *    account are the reduce rejects' (clob_air_probe.h: PRES, CRO, OWNEQ
 *    from QV / QD on the op row).
 *  - QV (a modifier of RT / RL / RB / RQ): the market rules on the
 *    replace's price and qty fail with that reason (clob_air_rules.h, the
 *    limit-order form); the order read emits the reject.
 *  - QD (a kind): every market rule passes (the rules' "pass" form); AQ is
 *    carried over the access rows; the order read (HQ = ORD·AQ) computes
 *    the new id's home in its C_HB bits (clob_probe's hsel); NP rows probe
 *    the new id's chain from that home: consecutive buckets (wrapping:
 *    W1 with the inverse witness HINV),
 *    each followed by another holds an order with another id, the last
 *    (followed by the event) holds an order with the new id; it emits
 *    REJECTED DUPLICATE_ID (RSN, the body's rejecter).
 */

static unsigned ZKT_FN(clob_replace)(const struct zk_clob_air *c,
				     const ZKT *cur, const ZKT *nxt, ZKT *out,
				     unsigned k, int sem)
{
	const ZKT *op = cur + C_OPF;
	ZKT one = ZKT_CONST(1), zero = ZKT_ZERO;
	ZKT qv = cur[C_QV], qd = cur[C_QD], aq = cur[C_AQ], hq = cur[C_HQ];
	ZKT np = cur[C_NP], nnp = nxt[C_NP], nsev = nxt[C_SEV];
	ZKT val = ZKT_ADD(ZKT_ADD(cur[C_RT], cur[C_RL]),
			  ZKT_ADD(cur[C_RB], cur[C_RQ]));
	/* an NP's wrap flag and its inverse witness live in W1 / HINV (free
	 * on probe rows): WRAP on the row before an erase scan speaks of
	 * the scan (clob_air_cancel.h) */
	ZKT wrap = cur[C_W1], t, bm1, step;
	zk_gl nb = c->lay.count[ZK_SLOT_BUCKET];

#define EMIT(e) (out[k++] = sem ? (e) : zero)
	out[k++] = ZKT_MUL(qv, ZKT_SUB(qv, one));
	out[k++] = ZKT_MUL(qd, ZKT_SUB(qd, one));
	out[k++] = ZKT_MUL(aq, ZKT_SUB(aq, one));
	out[k++] = ZKT_MUL(np, ZKT_SUB(np, one));
	/* QV only modifies a market-rule kind, of a REPLACE; QD is one */
	EMIT(ZKT_MUL(qv, ZKT_SUB(one, val)));
	EMIT(ZKT_MUL(ZKT_ADD(qv, qd), ZKT_ADD_CONST(op[OPF_TYPE],
						    ZK_GL_P - 3)));
	/* AQ: from the op row's QD, carried over its access rows */
	EMIT(ZKT_MUL(cur[C_SOP], ZKT_SUB(nxt[C_AQ], qd)));
	EMIT(ZKT_MUL(ZKT_MUL(cur[C_SACC], nxt[C_SACC]),
		     ZKT_SUB(nxt[C_AQ], aq)));
	/* the new id's chain starts on the order read, at its home */
	EMIT(ZKT_SUB(hq, ZKT_MUL(cur[C_ORD], aq)));
	EMIT(ZKT_MUL(hq, ZKT_SUB(one, nnp)));
	EMIT(ZKT_MUL(hq, ZKT_SUB(nxt[C_BSLOT], ZKT_FN(clob_home)(c, cur))));
	EMIT(ZKT_MUL(nnp, ZKT_SUB(ZKT_SUB(one, hq), np)));
	EMIT(ZKT_MUL(np, ZKT_SUB(one, cur[C_SACC])));
	EMIT(ZKT_MUL(np, ZKT_SUB(one, aq)));
	/* each NP reads bucket BSLOT; the next one BSLOT + 1, wrapping */
	EMIT(ZKT_MUL(np, ZKT_SUB(cur[C_INDEX],
				 ZKT_ADD_CONST(cur[C_BSLOT],
					       c->lay.offset[ZK_SLOT_BUCKET]))));
	bm1 = ZKT_SUB(cur[C_BSLOT], ZKT_CONST(nb - 1));
	EMIT(ZKT_MUL(np, ZKT_MUL(wrap, bm1)));
	EMIT(ZKT_MUL(ZKT_MUL(np, ZKT_SUB(one, wrap)),
		     ZKT_SUB(ZKT_MUL(bm1, cur[C_HINV]), one)));
	step = ZKT_SUB(ZKT_ADD_CONST(cur[C_BSLOT], 1), ZKT_MUL_CONST(wrap, nb));
	EMIT(ZKT_MUL(ZKT_MUL(np, nnp), ZKT_SUB(nxt[C_BSLOT], step)));
	/* a probe followed by a probe: occupied, by another id */
	t = ZKT_MUL(np, nnp);
	EMIT(ZKT_MUL(t, ZKT_SUB(ZKT_MUL(ZKT_SUB(cur[C_MSG + 5],
						ZKT_CONST(CLOB_NIL)),
					cur[C_J3]),
				one)));
	EMIT(ZKT_MUL(t, ZKT_SUB(ZKT_ADD(ZKT_MUL(ZKT_SUB(cur[C_MSG + 3],
							op[OPF_NID]),
						cur[C_J1]),
					ZKT_MUL(ZKT_SUB(cur[C_MSG + 4],
							op[OPF_NID + 1]),
						cur[C_J2])),
				one)));
	/* the chain ends at the event (DUPLICATE_ID): occupied by the new
	 * id; nothing else may follow an NP yet */
	EMIT(ZKT_MUL(np, ZKT_SUB(ZKT_SUB(one, nnp), nsev)));
	t = ZKT_MUL(np, nsev);
	EMIT(ZKT_MUL(t, ZKT_SUB(ZKT_MUL(ZKT_SUB(cur[C_MSG + 5],
						ZKT_CONST(CLOB_NIL)),
					cur[C_J3]),
				one)));
	EMIT(ZKT_MUL(t, ZKT_SUB(cur[C_MSG + 3], op[OPF_NID])));
	EMIT(ZKT_MUL(t, ZKT_SUB(cur[C_MSG + 4], op[OPF_NID + 1])));
#undef EMIT
	return k;
}
