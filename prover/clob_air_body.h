/* SPDX-License-Identifier: MIT */
/*
 * The CLOB AIR's main-segment constraints, written once for both fields
 * (air_template.h); clob_air.c includes it twice, after clob_air_p2.h. No
 * include guard. docs/proof.md lists them with their reasons; the comments
 * here only mark the groups.
 */

/* Value of element i of the pristine encoding of the row's kind/slot. */
static inline ZKT ZKT_FN(clob_pristine)(const ZKT *cur, unsigned i)
{
	const ZKT *ko = cur + C_KO;
	ZKT nil = ZKT_CONST(CLOB_NIL);
	ZKT nxt = cur[C_NXT];

	switch (i) {
	case 3: /* header best_bid */
	case 4: /* header best_ask */
		return ZKT_MUL(ko[0], nil);
	case 5: /* bucket order */
		return ZKT_MUL(ko[3], nil);
	case 7: /* level head */
	case 8: /* level tail */
	case 9: /* level better */
		return ZKT_MUL(ko[2], nil);
	case 10: /* level worse: next free */
		return ZKT_MUL(ko[2], nxt);
	case 11: /* order prev */
	case 13: /* order level */
		return ZKT_MUL(ko[1], nil);
	case 12: /* order next: next free */
		return ZKT_MUL(ko[1], nxt);
	default:
		return ZKT_ZERO;
	}
}

static unsigned ZKT_FN(clob_eval_k)(const struct zk_clob_air *c, const ZKT *cur,
				    const ZKT *nxt, ZKT *out)
{
	ZKT one = ZKT_CONST(1);
	ZKT x[ZK_P2_WIDTH12], sum, sl, t, acc;
	unsigned k = 0, i, j;
	int sem = !c->machinery_only;

	/* sponge: permutation 1 over MSG[0..8) and the capacity tag */
	for (i = 0; i < 8; i++)
		x[i] = cur[C_MSG + i];
	x[8] = ZKT_MUL_CONST(cur[C_CAPL], ZK_P2_RATE * 2);
	x[9] = cur[C_CAPL];
	x[10] = ZKT_SUB(ZKT_CONST(4), ZKT_MUL_CONST(cur[C_CAPL], 4));
	x[11] = ZKT_ZERO;
	ZKT_FN(clob_p2_perm)(cur, C_P1, x, out, &k);
	for (i = 0; i < ZK_P2_WIDTH12; i++)
		out[k++] = ZKT_SUB(cur[C_MID + i], x[i]);
	/* permutation 2 after absorbing MSG[8..16) */
	for (i = 0; i < ZK_P2_WIDTH12; i++)
		x[i] = i < 8 ? ZKT_ADD(cur[C_MID + i], cur[C_MSG + 8 + i]) :
			       cur[C_MID + i];
	ZKT_FN(clob_p2_perm)(cur, C_P2, x, out, &k);
	for (i = 0; i < ZK_P2_DIGEST_ELEMS; i++)
		out[k++] = ZKT_SUB(cur[C_OUT + i], x[i]);
	for (i = 0; i < ZK_P2_DIGEST_ELEMS; i++)
		out[k++] = ZKT_SUB(cur[C_DIG + i],
				   ZKT_MUL(ZKT_SUB(one, cur[C_PRIST]),
					   cur[C_OUT + i]));

	/* selectors: boolean, at most one per row */
	sum = ZKT_ZERO;
	for (i = 0; i < CLOB_N_SEL; i++) {
		t = cur[C_SOP + i];
		out[k++] = ZKT_MUL(t, ZKT_SUB(t, one));
		sum = ZKT_ADD(sum, t);
	}
	out[k++] = ZKT_MUL(sum, ZKT_SUB(sum, one));
	out[k++] = ZKT_SUB(cur[C_CAPL], ZKT_ADD(cur[C_SLEAF], cur[C_SLB]));

	/* items: A row then B row */
	out[k++] = ZKT_MUL(cur[C_SLEAF], ZKT_SUB(one, nxt[C_SLB]));
	out[k++] = ZKT_MUL(cur[C_SNODE], ZKT_SUB(one, nxt[C_SNB]));
	out[k++] = ZKT_MUL(nxt[C_SLB], ZKT_SUB(one, cur[C_SLEAF]));
	out[k++] = ZKT_MUL(nxt[C_SNB], ZKT_SUB(one, cur[C_SNODE]));
	out[k++] = ZKT_MUL(cur[C_SLEAF], ZKT_SUB(nxt[C_INDEX], cur[C_INDEX]));

	/* leaf rows: position <-> (kind, slot), slot in range, encoding head */
	sl = ZKT_ADD(cur[C_SLEAF], cur[C_SLB]);
	sum = ZKT_ZERO;
	acc = cur[C_SLOT];
	t = ZKT_ZERO; /* kind */
	for (i = 0; i < ZK_ST_KINDS; i++) {
		ZKT ko = cur[C_KO + i];

		out[k++] = ZKT_MUL(sl, ZKT_MUL(ko, ZKT_SUB(ko, one)));
		sum = ZKT_ADD(sum, ko);
		acc = ZKT_ADD(acc, ZKT_MUL_CONST(ko, c->lay.offset[i + 1]));
		t = ZKT_ADD(t, ZKT_MUL_CONST(ko, i + 1));
	}
	out[k++] = ZKT_MUL(sl, ZKT_SUB(sum, one));
	out[k++] = ZKT_MUL(sl, ZKT_SUB(cur[C_INDEX], acc));
	out[k++] = ZKT_MUL(sl, ZKT_SUB(cur[C_MSG + 0], t));
	out[k++] = ZKT_MUL(sl, ZKT_SUB(cur[C_MSG + 1], ZKT_CONST(c->lay.market)));
	out[k++] = ZKT_MUL(sl, ZKT_SUB(cur[C_MSG + 2], cur[C_SLOT]));
	acc = ZKT_ZERO;
	for (j = 0; j < CLOB_SLOT_BITS; j++) {
		t = cur[C_SBITS + j];
		out[k++] = ZKT_MUL(sl, ZKT_MUL(t, ZKT_SUB(t, one)));
		acc = ZKT_ADD(acc, ZKT_MUL_CONST(t, (zk_gl)1 << j));
	}
	out[k++] = ZKT_MUL(sl, ZKT_SUB(cur[C_SLOT], acc));
	for (i = 0; i < ZK_ST_KINDS; i++) {
		acc = ZKT_ZERO;
		for (j = c->kind_bits[i + 1]; j < CLOB_SLOT_BITS; j++)
			acc = ZKT_ADD(acc, cur[C_SBITS + j]);
		out[k++] = ZKT_MUL(sl, ZKT_MUL(cur[C_KO + i], acc));
	}
	/* last slot of its kind <=> ISLAST; NXT = slot + 1 or NIL */
	acc = ZKT_ADD_CONST(cur[C_SLOT], 1);
	for (i = 0; i < ZK_ST_KINDS; i++)
		acc = ZKT_SUB(acc, ZKT_MUL_CONST(cur[C_KO + i],
						 c->lay.count[i + 1]));
	t = cur[C_ISLAST];
	out[k++] = ZKT_MUL(sl, ZKT_MUL(t, ZKT_SUB(t, one)));
	out[k++] = ZKT_MUL(sl, ZKT_MUL(t, acc));
	out[k++] = ZKT_MUL(sl, ZKT_MUL(ZKT_SUB(one, t),
				       ZKT_SUB(ZKT_MUL(acc, cur[C_INVL]), one)));
	out[k++] = ZKT_MUL(sl, ZKT_SUB(cur[C_NXT],
				       ZKT_ADD(ZKT_MUL(ZKT_SUB(one, t),
						       ZKT_ADD_CONST(cur[C_SLOT], 1)),
					       ZKT_MUL_CONST(t, CLOB_NIL))));
	/* pristine: digest 0 and the value is the slot's pristine value */
	t = cur[C_PRIST];
	out[k++] = ZKT_MUL(t, ZKT_SUB(t, one));
	out[k++] = ZKT_MUL(ZKT_SUB(one, sl), t);
	acc = ZKT_ZERO;
	for (i = 3; i < ZK_ST_LEAF_ELEMS; i++) {
		ZKT d = ZKT_SUB(cur[C_MSG + i], ZKT_FN(clob_pristine)(cur, i));

		out[k++] = ZKT_MUL(ZKT_MUL(sl, t), d);
		acc = ZKT_ADD(acc, ZKT_MUL(cur[C_DSEL + i - 3], d));
	}
	/* not pristine => some element differs: roots stay canonical */
	out[k++] = ZKT_SUB(cur[C_DIFF], acc);
	out[k++] = ZKT_MUL(ZKT_MUL(sl, ZKT_SUB(one, t)),
			   ZKT_SUB(ZKT_MUL(cur[C_DIFF], cur[C_DINV]), one));

	/* memory: global access counter, prev_ts < ts */
	out[k++] = ZKT_SUB(ZKT_SUB(nxt[C_TS], cur[C_TS]), nxt[C_SACC]);
	acc = ZKT_ZERO;
	for (j = 0; j < CLOB_TS_BITS; j++) {
		t = cur[C_DBITS + j];
		out[k++] = ZKT_MUL(cur[C_SACC], ZKT_MUL(t, ZKT_SUB(t, one)));
		acc = ZKT_ADD(acc, ZKT_MUL_CONST(t, (zk_gl)1 << j));
	}
	out[k++] = ZKT_MUL(cur[C_SACC],
			   ZKT_SUB(ZKT_SUB(ZKT_SUB(cur[C_TS], cur[C_PTS]), one),
				   acc));
	/* no access happens without an op rule that asks for it (none yet) */
	out[k++] = sem ? cur[C_SACC] : ZKT_ZERO;

	/* op and event counters: the public buses carry the index */
	out[k++] = ZKT_SUB(ZKT_SUB(nxt[C_NOPS], cur[C_NOPS]), nxt[C_SOP]);
	out[k++] = ZKT_SUB(ZKT_SUB(nxt[C_NEVS], cur[C_NEVS]), nxt[C_SEV]);

	/*
	 * Op semantics. Supported: an op whose shape is malformed because its
	 * reserved bytes are non-zero or its type is unknown; it emits exactly
	 * one REJECTED(MALFORMED) event, on the next row, and touches nothing.
	 */
	{
		const ZKT *op = cur + C_OPF, *ev = nxt + C_EVF;
		ZKT ty = op[OPF_TYPE], sop = cur[C_SOP];
		ZKT t3 = ZKT_ADD_CONST(ty, ZK_GL_P - 3);
		ZKT exp[CLOB_EV_ELEMS];

		out[k++] = sem ? ZKT_MUL(sop, ZKT_SUB(one, nxt[C_SEV])) : ZKT_ZERO;
		out[k++] = sem ? ZKT_MUL(nxt[C_SEV], ZKT_SUB(one, sop)) : ZKT_ZERO;
		out[k++] = ZKT_SUB(cur[C_PT],
				   ZKT_MUL(ZKT_MUL(ZKT_ADD_CONST(ty, ZK_GL_P - 1),
						   ZKT_ADD_CONST(ty, ZK_GL_P - 2)),
					   t3));
		out[k++] = sem ? ZKT_MUL(sop,
					 ZKT_SUB(ZKT_ADD(ZKT_MUL(op[OPF_RSV],
								 cur[C_IA]),
							 ZKT_MUL(cur[C_PT],
								 cur[C_IB])),
						 one)) :
				 ZKT_ZERO;
		t = cur[C_IS3];
		out[k++] = ZKT_MUL(t, ZKT_SUB(t, one));
		out[k++] = ZKT_MUL(t, t3);
		out[k++] = sem ? ZKT_MUL(sop, ZKT_MUL(ZKT_SUB(one, t),
						      ZKT_SUB(ZKT_MUL(t3, cur[C_INV3]),
							      one))) :
				 ZKT_ZERO;
		for (i = 0; i < CLOB_EV_ELEMS; i++)
			exp[i] = ZKT_ZERO;
		exp[EVF_SEQ] = op[OPF_SEQ];
		exp[EVF_SEQ + 1] = op[OPF_SEQ + 1];
		exp[EVF_MARKET] = op[OPF_MARKET];
		exp[EVF_TYPE] = ZKT_CONST(ZK_EV_REJECTED);
		exp[EVF_REASON] = ZKT_CONST(ZK_REJ_MALFORMED);
		exp[EVF_OID] = op[OPF_OID];
		exp[EVF_OID + 1] = op[OPF_OID + 1];
		exp[EVF_OTHER] = ZKT_MUL(t, op[OPF_NID]);
		exp[EVF_OTHER + 1] = ZKT_MUL(t, op[OPF_NID + 1]);
		for (i = 0; i < CLOB_EV_ELEMS; i++)
			out[k++] = sem ? ZKT_MUL(sop, ZKT_SUB(ev[i], exp[i])) :
					 ZKT_ZERO;
	}
	return k;
}

static void ZKT_FN(clob_eval)(const void *ctx, const ZKT *cur, const ZKT *nxt,
			      const ZKT *periodic, ZKT *out)
{
	(void)periodic;
	(void)ZKT_FN(clob_eval_k)(ctx, cur, nxt, out);
}
