/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR op-row rules (part of clob_air_body.h, included from it, no
 * include guard): the MALFORMED conditions of check_shape and the market
 * rules of the validation rejects, with the range registers they use.
 */

/*
 * The MALFORMED conditions (engine check_shape), each of degree <= 3 and
 * non-zero only when the op is malformed: G1/G2/G3 vanish unless the type
 * is NEW/CANCEL/REPLACE respectively (or unknown, which is malformed
 * anyway), and each factor after them is non-zero exactly when one field
 * rule of that type is broken.
 */
static unsigned ZKT_FN(clob_mal_conds)(const ZKT *cur, ZKT *c)
{
	const ZKT *op = cur + C_OPF;
	ZKT g1 = cur[C_G1], g2 = cur[C_G2], g3 = cur[C_G3];
	ZKT ord1 = ZKT_ADD_CONST(op[OPF_ORD], ZK_GL_P - 1);
	unsigned k = 0;

	c[k++] = op[OPF_RSV];
	c[k++] = cur[C_PT];
	/* NEW */
	c[k++] = ZKT_MUL(g1, cur[C_GSIDE]);
	c[k++] = ZKT_MUL(g1, cur[C_GORD]);
	c[k++] = ZKT_MUL(g1, cur[C_GTIF]);
	c[k++] = ZKT_MUL(g1, cur[C_GFLAGS]);
	c[k++] = ZKT_MUL(g1, op[OPF_NID]);
	c[k++] = ZKT_MUL(g1, op[OPF_NID + 1]);
	c[k++] = ZKT_MUL(ZKT_MUL(g1, ord1), op[OPF_PRICE]);
	c[k++] = ZKT_MUL(ZKT_MUL(g1, ord1), op[OPF_PRICE + 1]);
	c[k++] = ZKT_MUL(g1, cur[C_GMT]);
	c[k++] = ZKT_MUL(ZKT_MUL(g1, ord1), op[OPF_FLAGS]);
	c[k++] = ZKT_MUL(ZKT_MUL(g1, op[OPF_FLAGS]),
			 ZKT_ADD_CONST(op[OPF_TIF], ZK_GL_P - 1));
	/* CANCEL */
	c[k++] = ZKT_MUL(g2, op[OPF_SIDE]);
	c[k++] = ZKT_MUL(g2, op[OPF_ORD]);
	c[k++] = ZKT_MUL(g2, op[OPF_TIF]);
	c[k++] = ZKT_MUL(g2, op[OPF_FLAGS]);
	c[k++] = ZKT_MUL(g2, op[OPF_PRICE]);
	c[k++] = ZKT_MUL(g2, op[OPF_PRICE + 1]);
	c[k++] = ZKT_MUL(g2, op[OPF_NID]);
	c[k++] = ZKT_MUL(g2, op[OPF_NID + 1]);
	c[k++] = ZKT_MUL(g2, op[OPF_STP]);
	/* REPLACE */
	c[k++] = ZKT_MUL(g3, op[OPF_SIDE]);
	c[k++] = ZKT_MUL(g3, op[OPF_ORD]);
	c[k++] = ZKT_MUL(g3, op[OPF_TIF]);
	c[k++] = ZKT_MUL(g3, op[OPF_FLAGS]);
	c[k++] = ZKT_MUL(g3, op[OPF_STP]);
	return k;
}

/*
 * NEW ops rejected by the market rules (docs/engine.md 1.1, in order
 * BAD_TICK, BAD_LOT, PRICE_BAND, MAX_QTY). The op's shape is valid (no
 * MALFORMED condition), it is a NEW of this market, price and qty are below
 * 2^40 (V0, V1), and the registers V2..V5 (each < 2^40) witness the
 * integer facts each reason needs; with the CLOB_VAL_* limits every side
 * of every equation stays below p, so field equalities are integer ones.
 */
static unsigned ZKT_FN(clob_validation)(const struct zk_clob_air *c,
					const ZKT *cur, ZKT *out, unsigned k,
					int sem)
{
	const ZKT *op = cur + C_OPF, *v = cur + C_V;
	ZKT one = ZKT_CONST(1), zero = ZKT_ZERO;
	ZKT mal = cur[C_MAL], rt = cur[C_RT], rl = cur[C_RL], rb = cur[C_RB];
	ZKT rq = cur[C_RQ], zq = cur[C_ZQ], sb = cur[C_SB];
	ZKT val = ZKT_ADD(ZKT_ADD(rt, rl), ZKT_ADD(rb, rq));
	ZKT price = ZKT_ADD(op[OPF_PRICE],
			    ZKT_MUL_CONST(op[OPF_PRICE + 1], (zk_gl)1 << 32));
	ZKT qty = ZKT_ADD(op[OPF_QTY],
			  ZKT_MUL_CONST(op[OPF_QTY + 1], (zk_gl)1 << 32));
	ZKT ismkt = ZKT_ADD_CONST(op[OPF_ORD], ZK_GL_P - 1);
	ZKT lim = ZKT_SUB(one, ismkt);
	/* outside the limits the rules are off (VAL = 0): any constants do */
	zk_gl tick = c->val_ok ? (zk_gl)c->mp.tick : 1;
	zk_gl lot = c->val_ok ? c->mp.lot : 1;
	zk_gl minp = c->val_ok ? (zk_gl)c->mp.min_price : 0;
	zk_gl maxp = c->val_ok ? (zk_gl)c->mp.max_price : 0;
	zk_gl maxq = c->val_ok ? c->mp.max_qty : 0;
	zk_gl band = (maxp - minp) / tick;
	ZKT cond[CLOB_MAL_CONDS], t, acc;
	unsigned i, j;

#define EMIT(x) (out[k++] = sem ? (x) : zero)
	ZKT rd = cur[C_RD], rw = cur[C_RW], rf = cur[C_RF];
	ZKT kn = cur[C_KN];
	ZKT pass = ZKT_ADD(ZKT_ADD(ZKT_ADD(rd, kn), cur[C_KI]),
			   ZKT_ADD(ZKT_ADD(rw, rf), cur[C_KM]));
	/* a REPLACE's price and qty: a limit order's rules (ord_type is 0
	 * by shape, so ismkt + QV = 0 and lim = 2 ≠ 0 on its rows) */
	ZKT qv = cur[C_QV], qd = ZKT_ADD(ZKT_ADD(cur[C_QD], cur[C_QK]),
					 ZKT_ADD(cur[C_QM], cur[C_QF]));

	pass = ZKT_ADD(pass, qd);
	ZKT newop = ZKT_ADD(val, pass);
	ZKT rbl = cur[C_RBL], rbr = cur[C_RBR], kr = cur[C_KR], kc = cur[C_KC];
	ZKT red = ZKT_ADD(ZKT_ADD(rbl, rbr), ZKT_ADD(kr, kc));
	ZKT ru = ZKT_ADD(ZKT_ADD(cur[C_RU], cur[C_RO]), red);
	ZKT valid = ZKT_ADD(newop, ru);

	/* op kinds: boolean, exactly one on an op row, none elsewhere */
	for (i = 0; i < 5; i++) {
		t = cur[C_MAL + i];
		out[k++] = ZKT_MUL(t, ZKT_SUB(t, one));
	}
	out[k++] = ZKT_MUL(cur[C_RU], ZKT_SUB(cur[C_RU], one));
	out[k++] = ZKT_MUL(cur[C_RO], ZKT_SUB(cur[C_RO], one));
	out[k++] = ZKT_MUL(rd, ZKT_SUB(rd, one));
	out[k++] = ZKT_MUL(rbl, ZKT_SUB(rbl, one));
	out[k++] = ZKT_MUL(rbr, ZKT_SUB(rbr, one));
	out[k++] = ZKT_MUL(rw, ZKT_SUB(rw, one));
	out[k++] = ZKT_MUL(rf, ZKT_SUB(rf, one));
	out[k++] = ZKT_MUL(kr, ZKT_SUB(kr, one));
	out[k++] = ZKT_MUL(kc, ZKT_SUB(kc, one));
	out[k++] = ZKT_MUL(kn, ZKT_SUB(kn, one));
	EMIT(ZKT_SUB(cur[C_SOP], ZKT_ADD(mal, valid)));
	EMIT(c->val_ok ? zero : ZKT_ADD(newop, red));
	/* a valid op of this market: NEW for VAL, CANCEL/REPLACE for RU */
	(void)ZKT_FN(clob_mal_conds)(cur, cond);
	for (i = 0; i < CLOB_MAL_CONDS; i++)
		EMIT(ZKT_MUL(valid, cond[i]));
	EMIT(ZKT_MUL(ZKT_SUB(newop, ZKT_ADD(qv, qd)),
		     ZKT_ADD_CONST(op[OPF_TYPE], ZK_GL_P - 1)));
	EMIT(ZKT_MUL(ru, cur[C_G1]));
	EMIT(ZKT_MUL(valid, ZKT_SUB(op[OPF_MARKET], ZKT_CONST(c->lay.market))));
	EMIT(ZKT_MUL(newop, ZKT_SUB(v[0], ZKT_MUL_CONST(op[OPF_PRICE + 1],
							(zk_gl)1 << 32))));
	EMIT(ZKT_MUL(newop, ZKT_SUB(v[1], ZKT_MUL_CONST(op[OPF_QTY + 1],
							(zk_gl)1 << 32))));
	/* BAD_TICK: limit, price = tick·V2 + r, 1 <= r = V3 + 1 <= tick - 1 */
	EMIT(ZKT_MUL(rt, ZKT_ADD(ismkt, qv)));
	EMIT(ZKT_MUL(rt, ZKT_SUB(price, ZKT_ADD_CONST(
					 ZKT_ADD(ZKT_MUL_CONST(v[2], tick), v[3]),
					 1))));
	EMIT(ZKT_MUL(rt, ZKT_SUB(ZKT_ADD(v[4], v[3]),
				 ZKT_CONST(zk_gl_sub(tick, 2)))));
	/* BAD_LOT: tick ok (limit); qty == 0 or qty = lot·V3 + V4 + 1 with
	 * V4 + 1 <= lot - 1 */
	EMIT(ZKT_MUL(ZKT_MUL(rl, lim),
		     ZKT_SUB(price, ZKT_MUL_CONST(v[2], tick))));
	out[k++] = ZKT_MUL(zq, ZKT_SUB(zq, one));
	EMIT(ZKT_MUL(ZKT_MUL(rl, zq), qty));
	t = ZKT_MUL(rl, ZKT_SUB(one, zq));
	EMIT(ZKT_MUL(t, ZKT_SUB(qty, ZKT_ADD_CONST(
					     ZKT_ADD(ZKT_MUL_CONST(v[3], lot), v[4]),
					     1))));
	EMIT(ZKT_MUL(t, ZKT_SUB(ZKT_ADD(v[5], v[4]), ZKT_CONST(zk_gl_sub(lot, 2)))));
	/* PRICE_BAND: limit, tick ok, lot ok (qty = lot·(V4 + 1)), outside */
	EMIT(ZKT_MUL(rb, ZKT_ADD(ismkt, qv)));
	EMIT(ZKT_MUL(rb, ZKT_SUB(price, ZKT_MUL_CONST(v[2], tick))));
	EMIT(ZKT_MUL(rb, ZKT_SUB(qty, ZKT_MUL_CONST(ZKT_ADD_CONST(v[4], 1),
						    lot))));
	out[k++] = ZKT_MUL(sb, ZKT_SUB(sb, one));
	EMIT(ZKT_MUL(ZKT_MUL(rb, sb),
		     ZKT_SUB(ZKT_ADD(v[3], price), ZKT_CONST(zk_gl_sub(minp, 1)))));
	EMIT(ZKT_MUL(ZKT_MUL(rb, ZKT_SUB(one, sb)),
		     ZKT_SUB(ZKT_ADD(ZKT_ADD(v[3], ZKT_CONST(maxp)), one),
			     price)));
	/* MAX_QTY: (limit) price = min + tick·V2, V2 + V3 = band; lot ok;
	 * qty = max_qty + 1 + V5 */
	t = ZKT_MUL(rq, lim);
	EMIT(ZKT_MUL(t, ZKT_SUB(price, ZKT_ADD_CONST(ZKT_MUL_CONST(v[2], tick),
						     minp))));
	EMIT(ZKT_MUL(t, ZKT_SUB(ZKT_ADD(v[2], v[3]), ZKT_CONST(band))));
	EMIT(ZKT_MUL(rq, ZKT_SUB(qty, ZKT_MUL_CONST(ZKT_ADD_CONST(v[4], 1),
						    lot))));
	EMIT(ZKT_MUL(rq, ZKT_SUB(qty, ZKT_ADD_CONST(v[5], maxq + 1))));
	/* DUPLICATE_ID, WOULD_CROSS, BOOK_FULL: every market rule passes:
	 * (limit) in the band on a tick, qty = lot·(V4 + 1) <= max_qty; then
	 * a presence probe (RD) or an absence probe (RW, RF) */
	t = ZKT_MUL(pass, lim);
	EMIT(ZKT_MUL(t, ZKT_SUB(price, ZKT_ADD_CONST(ZKT_MUL_CONST(v[2], tick),
						     minp))));
	EMIT(ZKT_MUL(t, ZKT_SUB(ZKT_ADD(v[2], v[3]), ZKT_CONST(band))));
	EMIT(ZKT_MUL(pass, ZKT_SUB(qty, ZKT_MUL_CONST(ZKT_ADD_CONST(v[4], 1),
						      lot))));
	EMIT(ZKT_MUL(pass, ZKT_SUB(ZKT_ADD(v[5], qty), ZKT_CONST(maxq))));
	/* WOULD_CROSS is post-only (valid shape: a limit GTC); BOOK_FULL is
	 * a limit GTC, post-only or not (clob_air_full.h: a post-only one
	 * first shows it does not cross) */
	EMIT(ZKT_MUL(rw, ZKT_ADD_CONST(op[OPF_FLAGS], ZK_GL_P - 1)));
	EMIT(ZKT_MUL(rf, ismkt));
	EMIT(ZKT_MUL(rf, ZKT_ADD_CONST(op[OPF_TIF], ZK_GL_P - 1)));
	/* a NEW that rests: a limit GTC (post-only or not) */
	EMIT(ZKT_MUL(kn, ismkt));
	EMIT(ZKT_MUL(kn, ZKT_ADD_CONST(op[OPF_TIF], ZK_GL_P - 1)));
	/* reduces, rejected or not, and full cancels: a CANCEL (type 2)
	 * with qty < 2^40 */
	EMIT(ZKT_MUL(red, ZKT_ADD_CONST(op[OPF_TYPE], ZK_GL_P - 2)));
	EMIT(ZKT_MUL(red, ZKT_SUB(v[1], ZKT_MUL_CONST(op[OPF_QTY + 1],
						      (zk_gl)1 << 32))));
	/* BAD_LOT: qty = lot·V3 + V4 + 1, V4 + V5 = lot - 2 */
	EMIT(ZKT_MUL(rbl, ZKT_SUB(qty, ZKT_ADD_CONST(
					       ZKT_ADD(ZKT_MUL_CONST(v[3], lot), v[4]),
					       1))));
	EMIT(ZKT_MUL(rbl, ZKT_SUB(ZKT_ADD(v[5], v[4]),
				  ZKT_CONST(zk_gl_sub(lot, 2)))));
	/* BAD_REDUCE: qty = lot·(V3 + 1) and qty = remaining + V4, with the
	 * remaining below 2^40 (V0 = 2^32·rem_hi) */
	EMIT(ZKT_MUL(rbr, ZKT_SUB(qty, ZKT_MUL_CONST(ZKT_ADD_CONST(v[3], 1),
						     lot))));
	EMIT(ZKT_MUL(rbr, ZKT_SUB(v[0], ZKT_MUL_CONST(cur[C_REMHI],
						      (zk_gl)1 << 32))));
	EMIT(ZKT_MUL(rbr, ZKT_SUB(qty, ZKT_ADD(ZKT_ADD(cur[C_REMLO],
						       ZKT_MUL_CONST(cur[C_REMHI],
								     (zk_gl)1 << 32)),
					       v[4]))));
	/* a reduce that applies: qty = lot·(V3 + 1), a positive lot
	 * multiple; qty < remaining follows from the cut the level write
	 * checks (clob_air_write.h) */
	EMIT(ZKT_MUL(kr, ZKT_SUB(qty, ZKT_MUL_CONST(ZKT_ADD_CONST(v[3], 1),
						    lot))));
	/* a full cancel: qty = 0 */
	EMIT(ZKT_MUL(kc, op[OPF_QTY]));
	EMIT(ZKT_MUL(kc, op[OPF_QTY + 1]));
#undef EMIT
	/* the range registers of op rows, level reads (which keep the
	 * crossing inequality there), level and header writes (the new
	 * limbs) and erase scans (distances mod the bucket count):
	 * V = Σ 2^i·bit_i, bits boolean */
	t = ZKT_ADD(ZKT_ADD(ZKT_ADD(cur[C_SOP], cur[C_LVL]), cur[C_LW]),
		    ZKT_ADD(ZKT_ADD(cur[C_ES], cur[C_HW]), cur[C_HL]));
	t = ZKT_ADD(t, ZKT_ADD(ZKT_ADD(ZKT_ADD(cur[C_LVN], cur[C_HO]),
				       ZKT_ADD(cur[C_HC], cur[C_LBW])),
			       ZKT_ADD(cur[C_LWB], cur[C_LT])));
	t = ZKT_ADD(t, ZKT_ADD(ZKT_ADD(cur[C_MW], cur[C_ML]),
			       ZKT_ADD(cur[C_QL], cur[C_FO])));
	t = ZKT_ADD(t, ZKT_ADD(ZKT_ADD(cur[C_BFB], cur[C_BFW]), cur[C_LP]));
	/* a move's and a REPLACE BOOK_FULL's order-level read (LO): its
	 * keep-is-false registers (clob_air_move.h) */
	t = ZKT_ADD(t, cur[C_LO]);
	for (j = 0; j < CLOB_N_RANGE; j++) {
		ZKT b;

		acc = ZKT_ZERO;
		for (i = 0; i < CLOB_RANGE_BITS; i++) {
			b = cur[C_VB + j * CLOB_RANGE_BITS + i];
			out[k++] = ZKT_MUL(t, ZKT_MUL(b, ZKT_SUB(b, one)));
			acc = ZKT_ADD(acc, ZKT_MUL_CONST(b, (zk_gl)1 << i));
		}
		out[k++] = ZKT_MUL(t, ZKT_SUB(v[j], acc));
	}
	return k;
}
