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

/*
 *  - QK (a kind, engine apply_replace with keep: the same price, qty <=
 *    remaining): every market rule passes; the new id's chain ends at an
 *    empty bucket (absence) and is followed by the old id's erase (the
 *    full cancel's ES / EM / EF from the old bucket, clob_air_cancel.h),
 *    then the new id's insert from its home XHOME (fixed on the order
 *    read): QP reads occupied buckets, QI writes the first empty one :=
 *    (new id, the order's slot); then QW, the order slot: id := new id,
 *    remaining := qty; then QL, the order's level: total -= cut with
 *    cut = remaining - qty >= 0 (both limbs range checked, borrow B1),
 *    the new total's limbs range checked (borrow B2), the op's price =
 *    the order's; QL emits REPLACED, reason 1 (priority kept).
 *  Row order: op (QV) → probes → ORD → event; op (QD) → probes → ORD (HQ)
 *  → NP+ → event; op (QK) → probes → ORD (HQ) → NP+ → ES ([EM] ES)* →
 *  EF → QP* → QI → QW → QL → event.
 */
static unsigned ZKT_FN(clob_replace)(const struct zk_clob_air *c,
				     const ZKT *cur, const ZKT *nxt, ZKT *out,
				     unsigned k, int sem)
{
	const ZKT *op = cur + C_OPF;
	ZKT one = ZKT_CONST(1), zero = ZKT_ZERO;
	const ZKT *bef = cur + C_MSG, *aft = cur + C_AFT, *v = cur + C_V;
	const ZKT *ev = nxt + C_EVF;
	ZKT qv = cur[C_QV], qd = cur[C_QD], aq = cur[C_AQ], hq = cur[C_HQ];
	ZKT qk = cur[C_QK], ak = cur[C_AK], qp = cur[C_QP], qi = cur[C_QI];
	ZKT qw = cur[C_QW], ql = cur[C_QL], ef = cur[C_EF];
	ZKT np = cur[C_NP], nnp = nxt[C_NP], nsev = nxt[C_SEV];
	ZKT nes = nxt[C_ES], nil = ZKT_CONST(CLOB_NIL);
	ZKT two32 = ZKT_CONST(1ull << 32);
	static const unsigned flags[] = { C_QK, C_AK, C_QP, C_QI, C_QW, C_QL };
	ZKT exp, cutlo, cuthi, ev_exp[CLOB_EV_ELEMS];
	unsigned i;
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
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		out[k++] = ZKT_MUL(cur[flags[i]], ZKT_SUB(cur[flags[i]], one));
	/* QV only modifies a market-rule kind, of a REPLACE; QD is one */
	EMIT(ZKT_MUL(qv, ZKT_SUB(one, val)));
	EMIT(ZKT_MUL(ZKT_ADD(ZKT_ADD(qv, qd), qk),
		     ZKT_ADD_CONST(op[OPF_TYPE], ZK_GL_P - 3)));
	/* (a move's QM / AV: clob_air_move.h) */
	/* AQ: from the op row's QD or QK, AK from QK, carried over its
	 * access rows */
	EMIT(ZKT_MUL(cur[C_SOP],
		     ZKT_SUB(nxt[C_AQ], ZKT_ADD(ZKT_ADD(qd, qk),
						ZKT_ADD(cur[C_QM],
							cur[C_QF])))));
	EMIT(ZKT_MUL(ZKT_MUL(cur[C_SACC], nxt[C_SACC]),
		     ZKT_SUB(nxt[C_AQ], aq)));
	EMIT(ZKT_MUL(cur[C_SOP], ZKT_SUB(nxt[C_AK], qk)));
	EMIT(ZKT_MUL(ZKT_MUL(cur[C_SACC], nxt[C_SACC]),
		     ZKT_SUB(nxt[C_AK], ak)));
	EMIT(ZKT_MUL(ak, ZKT_SUB(one, aq)));
	/* the new id's chain starts on the order read, at its home */
	EMIT(ZKT_SUB(hq, ZKT_MUL(cur[C_ORD], aq)));
	EMIT(ZKT_MUL(hq, ZKT_SUB(one, nnp)));
	EMIT(ZKT_MUL(hq, ZKT_SUB(nxt[C_BSLOT], ZKT_FN(clob_home)(c, cur))));
	EMIT(ZKT_MUL(hq, ZKT_SUB(cur[C_XHOME], ZKT_FN(clob_home)(c, cur))));
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
	/* the chain ends at the event (QD: DUPLICATE_ID), occupied by the
	 * new id, or (QK) at an empty bucket before the old id's erase */
	EMIT(ZKT_MUL(np, ZKT_SUB(ZKT_SUB(ZKT_SUB(one, nnp), nsev),
				 ZKT_ADD(nes, nxt[C_LO]))));
	EMIT(ZKT_MUL(ZKT_MUL(np, nsev), ZKT_ADD(ak, cur[C_AV])));
	EMIT(ZKT_MUL(ZKT_MUL(np, nes), ZKT_SUB(one, ak)));
	EMIT(ZKT_MUL(ZKT_MUL(np, nes), ZKT_SUB(cur[C_MSG + 5], nil)));
	t = ZKT_MUL(np, nsev);
	EMIT(ZKT_MUL(t, ZKT_SUB(ZKT_MUL(ZKT_SUB(cur[C_MSG + 5],
						ZKT_CONST(CLOB_NIL)),
					cur[C_J3]),
				one)));
	EMIT(ZKT_MUL(t, ZKT_SUB(cur[C_MSG + 3], op[OPF_NID])));
	EMIT(ZKT_MUL(t, ZKT_SUB(cur[C_MSG + 4], op[OPF_NID + 1])));

	/* QK's roles: on its access rows only; EF → QP* → QI → QW → QL */
	for (i = 2; i < sizeof(flags) / sizeof(flags[0]); i++) {
		EMIT(ZKT_MUL(cur[flags[i]], ZKT_SUB(one, cur[C_SACC])));
		EMIT(ZKT_MUL(cur[flags[i]], ZKT_SUB(one, ak)));
	}
	EMIT(ZKT_MUL(ZKT_MUL(ef, ak), ZKT_SUB(ZKT_SUB(one, nxt[C_QP]),
					      nxt[C_QI])));
	EMIT(ZKT_MUL(ZKT_ADD(nxt[C_QP], nxt[C_QI]),
		     ZKT_SUB(ZKT_SUB(one, ef), qp)));
	EMIT(ZKT_MUL(qp, ZKT_SUB(ZKT_SUB(one, nxt[C_QP]), nxt[C_QI])));
	EMIT(ZKT_MUL(qi, ZKT_SUB(one, nxt[C_QW])));
	EMIT(ZKT_MUL(nxt[C_QW], ZKT_SUB(one, qi)));
	EMIT(ZKT_MUL(qw, ZKT_SUB(one, nxt[C_QL])));
	EMIT(ZKT_MUL(nxt[C_QL], ZKT_SUB(one, qw)));
	EMIT(ZKT_MUL(ql, ZKT_SUB(one, nsev)));
	/* the insert (engine hash_insert): from XHOME, consecutive
	 * (wrapping), each probe occupied, the write at an empty bucket */
	t = ZKT_ADD(qp, qi);
	EMIT(ZKT_MUL(t, ZKT_SUB(cur[C_INDEX],
				ZKT_ADD_CONST(cur[C_BSLOT],
					      c->lay.offset[ZK_SLOT_BUCKET]))));
	EMIT(ZKT_MUL(ZKT_MUL(ef, ak), ZKT_SUB(nxt[C_BSLOT], cur[C_XHOME])));
	t = ZKT_SUB(cur[C_BSLOT], ZKT_CONST(nb - 1));
	EMIT(ZKT_MUL(ZKT_MUL(qp, cur[C_WRAP]), t));
	EMIT(ZKT_MUL(ZKT_MUL(qp, ZKT_SUB(one, cur[C_WRAP])),
		     ZKT_SUB(ZKT_MUL(t, cur[C_WINV]), one)));
	EMIT(ZKT_MUL(qp, ZKT_SUB(nxt[C_BSLOT],
				 ZKT_SUB(ZKT_ADD_CONST(cur[C_BSLOT], 1),
					 ZKT_MUL_CONST(cur[C_WRAP], nb)))));
	EMIT(ZKT_MUL(qp, ZKT_SUB(ZKT_MUL(ZKT_SUB(bef[5], nil), cur[C_J3]),
				 one)));
	EMIT(ZKT_MUL(qi, ZKT_SUB(bef[5], nil)));
	for (i = 0; i < ZK_ST_LEAF_ELEMS; i++) {
		if (i == 3 || i == 4)
			exp = op[OPF_NID + i - 3];
		else if (i == 5)
			exp = cur[C_XSLOT];
		else
			exp = bef[i];
		EMIT(ZKT_MUL(qi, ZKT_SUB(aft[i], exp)));
	}
	/* QW: the order slot the old id named: id := new id, remaining :=
	 * qty, every other element kept */
	EMIT(ZKT_MUL(qw, ZKT_SUB(bef[0], ZKT_CONST(ZK_SLOT_ORDER))));
	EMIT(ZKT_MUL(qw, ZKT_SUB(bef[2], cur[C_XSLOT])));
	for (i = 0; i < ZK_ST_LEAF_ELEMS; i++) {
		if (i == 3 || i == 4)
			exp = op[OPF_NID + i - 3];
		else if (i == 9 || i == 10)
			exp = op[OPF_QTY + i - 9];
		else
			exp = bef[i];
		EMIT(ZKT_MUL(qw, ZKT_SUB(aft[i], exp)));
	}
	/* QL: the order's level; cut = remaining - qty limb-wise (borrow
	 * B1), both limbs < 2^32 (V2, V3 = 2^8·limb), so qty <= remaining
	 * over the integers; total -= cut (borrow B2), the new limbs < 2^32
	 * (V0, V1); every other element kept; priority is kept only at the
	 * order's own price */
	EMIT(ZKT_MUL(ql, ZKT_SUB(bef[0], ZKT_CONST(ZK_SLOT_LEVEL))));
	EMIT(ZKT_MUL(ql, ZKT_SUB(bef[2], cur[C_XLVL])));
	EMIT(ZKT_MUL(ql, ZKT_MUL(cur[C_B1], ZKT_SUB(cur[C_B1], one))));
	EMIT(ZKT_MUL(ql, ZKT_MUL(cur[C_B2], ZKT_SUB(cur[C_B2], one))));
	cutlo = ZKT_ADD(ZKT_SUB(cur[C_REMLO], op[OPF_QTY]),
			ZKT_MUL(cur[C_B1], two32));
	cuthi = ZKT_SUB(ZKT_SUB(cur[C_REMHI], op[OPF_QTY + 1]), cur[C_B1]);
	EMIT(ZKT_MUL(ql, ZKT_SUB(v[2], ZKT_MUL_CONST(cutlo, 1u << 8))));
	EMIT(ZKT_MUL(ql, ZKT_SUB(v[3], ZKT_MUL_CONST(cuthi, 1u << 8))));
	EMIT(ZKT_MUL(ql, ZKT_SUB(aft[5], ZKT_ADD(ZKT_SUB(bef[5], cutlo),
						 ZKT_MUL(cur[C_B2], two32)))));
	EMIT(ZKT_MUL(ql, ZKT_SUB(aft[6], ZKT_SUB(ZKT_SUB(bef[6], cuthi),
						 cur[C_B2]))));
	EMIT(ZKT_MUL(ql, ZKT_SUB(v[0], ZKT_MUL_CONST(aft[5], 1u << 8))));
	EMIT(ZKT_MUL(ql, ZKT_SUB(v[1], ZKT_MUL_CONST(aft[6], 1u << 8))));
	for (i = 0; i < ZK_ST_LEAF_ELEMS; i++)
		if (i != 5 && i != 6)
			EMIT(ZKT_MUL(ql, ZKT_SUB(aft[i], bef[i])));
	EMIT(ZKT_MUL(ql, ZKT_SUB(op[OPF_PRICE], cur[C_XPLO])));
	EMIT(ZKT_MUL(ql, ZKT_SUB(op[OPF_PRICE + 1], cur[C_XPHI])));
	/* the event: REPLACED, reason 1 (kept), engine apply_replace */
	ZKT_FN(clob_ev_own)(op, ZK_EV_REPLACED, cur[C_XSIDE], ev_exp);
	ev_exp[EVF_REASON] = one;
	ZKT_FN(clob_ev_pair)(ev_exp, EVF_OTHER, op[OPF_NID], op[OPF_NID + 1]);
	ZKT_FN(clob_ev_pair)(ev_exp, EVF_PRICE, op[OPF_PRICE],
			     op[OPF_PRICE + 1]);
	ZKT_FN(clob_ev_pair)(ev_exp, EVF_QTY, op[OPF_QTY], op[OPF_QTY + 1]);
	k = ZKT_FN(clob_ev_check)(out, k, sem, ev, 1, &ql, &ev_exp, 0);
#undef EMIT
	return k;

}
