/* SPDX-License-Identifier: MIT */
/*
 * The CLOB AIR's main-segment constraints, written once for both fields
 * (air_template.h); clob_air.c includes it twice, after clob_air_p2.h. No
 * include guard. docs/proof.md lists them with their reasons; the comments
 * here only mark the groups. Split by concern: clob_air_event.h (what an
 * event row must hold, shared by every role that emits one),
 * clob_air_tree.h (leaf position, pristine values, memory timestamps),
 * clob_air_rules.h (op-row rules: MALFORMED, market rules),
 * clob_air_probe.h (id-hash probes and the reads of the rejects),
 * clob_air_write.h (the writes of the ops that change the book); this file
 * holds the hash, the selectors and the row order / event of every op.
 */

#include "clob_air_event.h"
#include "clob_air_tree.h"
#include "clob_air_rules.h"
#include "clob_air_probe.h"
#include "clob_air_write.h"
#include "clob_air_cancel.h"
#include "clob_air_rest.h"
#include "clob_air_taker.h"
#include "clob_air_xmove.h"
#include "clob_air_xstp.h"
#include "clob_air_match.h"
#include "clob_air_replace.h"
#include "clob_air_move.h"
#include "clob_air_loop.h"
#include "clob_air_full.h"
#include "clob_air_fill.h"
#include "clob_air_stp.h"
#include "clob_air_fokstp.h"
#include "clob_air_mfull.h"

static unsigned ZKT_FN(clob_eval_k)(const struct zk_clob_air *c, const ZKT *cur,
				    const ZKT *nxt, ZKT *out)
{
	ZKT one = ZKT_CONST(1);
	ZKT x[ZK_P2_WIDTH12], sum, t, acc, hash_row;
	unsigned k = 0, i;
	int sem = !c->machinery_only;

	hash_row = ZKT_ADD(ZKT_ADD(cur[C_SLEAF], cur[C_SLB]),
			   ZKT_ADD(cur[C_SNODE], cur[C_SNB]));
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
	/* the hash holds on leaf and node rows; other rows use the columns */
	for (i = 0; i < k; i++)
		out[i] = ZKT_MUL(hash_row, out[i]);

	/* selectors: boolean, at most one per row */
	sum = ZKT_ZERO;
	for (i = 0; i < CLOB_N_SEL; i++) {
		t = cur[C_SOP + i];
		out[k++] = ZKT_MUL(t, ZKT_SUB(t, one));
		sum = ZKT_ADD(sum, t);
	}
	out[k++] = ZKT_MUL(sum, ZKT_SUB(sum, one));
	out[k++] = ZKT_SUB(cur[C_CAPL], ZKT_ADD(cur[C_SLEAF], cur[C_SLB]));

	/* items: A row then B row, unless the A row is unchanged (UL, UN) */
	t = ZKT_SUB(cur[C_SLEAF], cur[C_UL]);
	out[k++] = ZKT_MUL(t, ZKT_SUB(one, nxt[C_SLB]));
	out[k++] = ZKT_MUL(ZKT_SUB(cur[C_SNODE], cur[C_UN]),
			   ZKT_SUB(one, nxt[C_SNB]));
	out[k++] = ZKT_MUL(nxt[C_SLB], ZKT_SUB(one, t));
	out[k++] = ZKT_MUL(nxt[C_SNB], ZKT_SUB(ZKT_ADD(one, cur[C_UN]),
					       cur[C_SNODE]));
	out[k++] = ZKT_MUL(t, ZKT_SUB(nxt[C_INDEX], cur[C_INDEX]));

	k = ZKT_FN(clob_tree_mem)(c, cur, nxt, out, k);
	k = ZKT_FN(clob_probe)(c, cur, nxt, out, k, sem);
	k = ZKT_FN(clob_write)(c, cur, nxt, out, k, sem);
	k = ZKT_FN(clob_cancel)(c, cur, nxt, out, k, sem);
	k = ZKT_FN(clob_rest)(c, cur, nxt, out, k, sem);
	k = ZKT_FN(clob_taker)(c, cur, nxt, out, k, sem);
	k = ZKT_FN(clob_match)(c, cur, nxt, out, k, sem);
	k = ZKT_FN(clob_replace)(c, cur, nxt, out, k, sem);
	k = ZKT_FN(clob_loop)(c, cur, nxt, out, k, sem);
	k = ZKT_FN(clob_move)(c, cur, nxt, out, k, sem);
	k = ZKT_FN(clob_xmove)(c, cur, nxt, out, k, sem);
	k = ZKT_FN(clob_xstp)(c, cur, nxt, out, k, sem);
	k = ZKT_FN(clob_full)(c, cur, nxt, out, k, sem);
	k = ZKT_FN(clob_fill)(c, cur, nxt, out, k, sem);
	k = ZKT_FN(clob_stp)(c, cur, nxt, out, k, sem);
	k = ZKT_FN(clob_fok_skip)(c, cur, out, k, sem);
	k = ZKT_FN(clob_move_full)(c, cur, nxt, out, k, sem);

	/* op and event counters: the public buses carry the index */
	out[k++] = ZKT_SUB(ZKT_SUB(nxt[C_NOPS], cur[C_NOPS]), nxt[C_SOP]);
	out[k++] = ZKT_SUB(ZKT_SUB(nxt[C_NEVS], cur[C_NEVS]), nxt[C_SEV]);

	/*
	 * Op semantics (docs/proof.md section 3): row order, the op's event
	 * on its emitter row (a taker's second one: clob_taker), the
	 * MALFORMED witness and the reject event; clob_validation,
	 * clob_probe, clob_write, clob_cancel and clob_rest hold the other
	 * kinds' rules.
	 */
	{
		const ZKT *op = cur + C_OPF, *ev = nxt + C_EVF;
		ZKT ty = op[OPF_TYPE], sop = cur[C_SOP];
		ZKT t1 = ZKT_ADD_CONST(ty, ZK_GL_P - 1);
		ZKT t2 = ZKT_ADD_CONST(ty, ZK_GL_P - 2);
		ZKT t3 = ZKT_ADD_CONST(ty, ZK_GL_P - 3);
		ZKT side = op[OPF_SIDE], ord = op[OPF_ORD], tif = op[OPF_TIF];
		ZKT fl = op[OPF_FLAGS];
		ZKT tif2 = ZKT_ADD_CONST(tif, ZK_GL_P - 2);
		ZKT tif3 = ZKT_ADD_CONST(tif, ZK_GL_P - 3);
		ZKT ord1 = ZKT_ADD_CONST(ord, ZK_GL_P - 1);
		ZKT cond[CLOB_MAL_CONDS], exp[CLOB_EV_ELEMS];

		ZKT sacc = cur[C_SACC];
		ZKT ru = ZKT_ADD(ZKT_ADD(ZKT_ADD(cur[C_RU], cur[C_RO]),
					 ZKT_ADD(cur[C_RD], cur[C_RW])),
				 ZKT_ADD(ZKT_ADD(cur[C_RBL], cur[C_RBR]),
					 ZKT_ADD(ZKT_ADD(cur[C_RF], cur[C_KR]),
						 ZKT_ADD(ZKT_ADD(cur[C_KC],
								 cur[C_KN]),
							 ZKT_ADD(cur[C_KI],
								 cur[C_KM])))));
		ru = ZKT_ADD(ru, ZKT_ADD(ZKT_ADD(cur[C_QV], cur[C_QD]),
					 ZKT_ADD(cur[C_QK], cur[C_QM])));
		ru = ZKT_ADD(ru, cur[C_QF]);
		/* the row that emits the op's event: a non-probing op row, or
		 * the last access row of a probing op; a reduce's (its level
		 * write) and a cancel's (its header write) emit CANCELLED,
		 * checked in clob_write / clob_cancel; a match's last access
		 * (EMT: ML, HW or a no-cross read) emits ACCEPTED, checked in
		 * clob_match */
		ZKT emitter = ZKT_ADD(ZKT_SUB(sop, ru),
				      ZKT_MUL(sacc, nxt[C_SEV]));
		ZKT hwc = ZKT_SUB(cur[C_HW],
				  ZKT_MUL(cur[C_HW],
					  ZKT_SUB(ZKT_ADD(cur[C_AM],
							  cur[C_AV]),
						  cur[C_XM])));
		ZKT rejecter = ZKT_SUB(ZKT_SUB(ZKT_SUB(emitter, hwc),
					       cur[C_IW]),
				       ZKT_MUL(ZKT_ADD(ZKT_ADD(cur[C_LW],
							       cur[C_AI]),
						       ZKT_ADD(cur[C_EMT],
							       cur[C_QL])),
					       nxt[C_SEV]));

		out[k++] = sem ? ZKT_MUL(ZKT_SUB(sop, ru),
					 ZKT_SUB(one, nxt[C_SEV])) : ZKT_ZERO;
		out[k++] = sem ? ZKT_MUL(ru, ZKT_SUB(one, nxt[C_SACC])) :
				 ZKT_ZERO;
		out[k++] = sem ? ZKT_MUL(nxt[C_SACC],
					 ZKT_SUB(ZKT_SUB(one, sacc), ru)) :
				 ZKT_ZERO;
		out[k++] = sem ? ZKT_MUL(sacc, ZKT_SUB(ZKT_SUB(one, nxt[C_SACC]),
						       nxt[C_SEV])) :
				 ZKT_ZERO;
		/* an event follows its op row or last access, or the op's
		 * earlier event when that one says another follows (E2, ET,
		 * ED, EM2; a CANCEL_BOTH stop's SM and ACCEPTED with BZ, a
		 * CANCEL_OLDEST maker's SO, clob_air_stp.h) */
		t = ZKT_ADD(ZKT_ADD(cur[C_SM], ZKT_MUL(cur[C_SEV], cur[C_BZ])),
			    ZKT_ADD(ZKT_ADD(cur[C_ED], cur[C_EM2]),
				    cur[C_SO]));
		out[k++] = sem ? ZKT_MUL(nxt[C_SEV],
					 ZKT_SUB(ZKT_SUB(ZKT_SUB(one, sop),
							 sacc),
						 ZKT_ADD(ZKT_ADD(cur[C_E2],
								 cur[C_ET]),
							 t))) :
				 ZKT_ZERO;
		/* helper products: true on every row */
		out[k++] = ZKT_SUB(cur[C_PT], ZKT_MUL(ZKT_MUL(t1, t2), t3));
		out[k++] = ZKT_SUB(cur[C_G1], ZKT_MUL(t2, t3));
		out[k++] = ZKT_SUB(cur[C_G2], ZKT_MUL(t1, t3));
		out[k++] = ZKT_SUB(cur[C_G3], ZKT_MUL(t1, t2));
		out[k++] = ZKT_SUB(cur[C_GSIDE],
				   ZKT_MUL(ZKT_ADD_CONST(side, ZK_GL_P - 1),
					   ZKT_ADD_CONST(side, ZK_GL_P - 2)));
		out[k++] = ZKT_SUB(cur[C_GORD],
				   ZKT_MUL(ord1, ZKT_ADD_CONST(ord, ZK_GL_P - 2)));
		out[k++] = ZKT_SUB(cur[C_GTIF],
				   ZKT_MUL(ZKT_MUL(ZKT_ADD_CONST(tif, ZK_GL_P - 1),
						   tif2), tif3));
		out[k++] = ZKT_SUB(cur[C_GFLAGS],
				   ZKT_MUL(fl, ZKT_ADD_CONST(fl, ZK_GL_P - 1)));
		out[k++] = ZKT_SUB(cur[C_GMT],
				   ZKT_MUL(ZKT_MUL(ord1, tif2), tif3));
		/* some condition fails on an op row: Σ cond·W = SOP */
		(void)ZKT_FN(clob_mal_conds)(cur, cond);
		acc = ZKT_ZERO;
		for (i = 0; i < CLOB_MAL_CONDS; i++)
			acc = ZKT_ADD(acc, ZKT_MUL(cond[i], cur[C_W + i]));
		out[k++] = sem ? ZKT_SUB(acc, cur[C_MAL]) : ZKT_ZERO;
		k = ZKT_FN(clob_validation)(c, cur, out, k, sem);
		t = cur[C_IS3];
		out[k++] = ZKT_MUL(t, ZKT_SUB(t, one));
		out[k++] = ZKT_MUL(t, t3);
		out[k++] = sem ? ZKT_MUL(sop, ZKT_MUL(ZKT_SUB(one, t),
						      ZKT_SUB(ZKT_MUL(t3, cur[C_INV3]),
							      one))) :
				 ZKT_ZERO;
		ZKT_FN(clob_ev_own)(op, ZK_EV_REJECTED, ZKT_ZERO, exp);
		exp[EVF_REASON] = ZKT_ADD(
			ZKT_ADD(ZKT_MUL_CONST(cur[C_MAL], ZK_REJ_MALFORMED),
				ZKT_MUL_CONST(cur[C_RT], ZK_REJ_BAD_TICK)),
			ZKT_ADD(ZKT_ADD(ZKT_MUL_CONST(cur[C_RL], ZK_REJ_BAD_LOT),
					ZKT_MUL_CONST(cur[C_RB],
						      ZK_REJ_PRICE_BAND)),
				ZKT_MUL_CONST(cur[C_RQ], ZK_REJ_MAX_QTY)));
		exp[EVF_REASON] = ZKT_ADD(
			exp[EVF_REASON],
			ZKT_MUL(sacc, cur[C_RSN]));
		ZKT_FN(clob_ev_pair)(exp, EVF_OTHER, ZKT_MUL(t, op[OPF_NID]),
				     ZKT_MUL(t, op[OPF_NID + 1]));
		k = ZKT_FN(clob_ev_check)(out, k, sem, ev, 1, &rejecter, &exp,
					  0);
	}
	return k;
}

static void ZKT_FN(clob_eval)(const void *ctx, const ZKT *cur, const ZKT *nxt,
			      const ZKT *periodic, ZKT *out)
{
	(void)periodic;
	(void)ZKT_FN(clob_eval_k)(ctx, cur, nxt, out);
}