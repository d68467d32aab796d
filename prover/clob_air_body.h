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
	ZKT pass = ZKT_ADD(rd, ZKT_ADD(rw, rf)), newop = ZKT_ADD(val, pass);
	ZKT rbl = cur[C_RBL], rbr = cur[C_RBR], red = ZKT_ADD(rbl, rbr);
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
	EMIT(ZKT_SUB(cur[C_SOP], ZKT_ADD(mal, valid)));
	EMIT(c->val_ok ? zero : ZKT_ADD(newop, red));
	/* a valid op of this market: NEW for VAL, CANCEL/REPLACE for RU */
	(void)ZKT_FN(clob_mal_conds)(cur, cond);
	for (i = 0; i < CLOB_MAL_CONDS; i++)
		EMIT(ZKT_MUL(valid, cond[i]));
	EMIT(ZKT_MUL(newop, ZKT_ADD_CONST(op[OPF_TYPE], ZK_GL_P - 1)));
	EMIT(ZKT_MUL(ru, cur[C_G1]));
	EMIT(ZKT_MUL(valid, ZKT_SUB(op[OPF_MARKET], ZKT_CONST(c->lay.market))));
	EMIT(ZKT_MUL(newop, ZKT_SUB(v[0], ZKT_MUL_CONST(op[OPF_PRICE + 1],
							(zk_gl)1 << 32))));
	EMIT(ZKT_MUL(newop, ZKT_SUB(v[1], ZKT_MUL_CONST(op[OPF_QTY + 1],
							(zk_gl)1 << 32))));
	/* BAD_TICK: limit, price = tick·V2 + r, 1 <= r = V3 + 1 <= tick - 1 */
	EMIT(ZKT_MUL(rt, ismkt));
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
	EMIT(ZKT_MUL(rb, ismkt));
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
	 * a limit GTC that is not post-only (the post-only case reads the
	 * book twice and is refused) */
	EMIT(ZKT_MUL(rw, ZKT_ADD_CONST(op[OPF_FLAGS], ZK_GL_P - 1)));
	EMIT(ZKT_MUL(rf, ismkt));
	EMIT(ZKT_MUL(rf, ZKT_ADD_CONST(op[OPF_TIF], ZK_GL_P - 1)));
	EMIT(ZKT_MUL(rf, op[OPF_FLAGS]));
	/* reduce rejects: a CANCEL (type 2) with qty < 2^40 */
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
#undef EMIT
	/* the range registers of op rows and level reads (which keep the
	 * crossing inequality there): V = Σ 2^i·bit_i, bits boolean */
	t = ZKT_ADD(cur[C_SOP], cur[C_LVL]);
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

/*
 * CANCEL / REPLACE rejected UNKNOWN_ORDER (RU) or OWNER_MISMATCH (RO). The op
 * row computes the id's home bucket (engine zk__bucket_home: top k bits of
 * id·C mod 2^64) in 16-bit limbs held in the register bits; then one read
 * per probed bucket, from home on (wrapping): each probe that is followed
 * by another holds an order with another id. RU: the last probe is empty
 * (absence). RO: the last probe holds the id, and the next row reads the
 * order slot it names, whose account differs from the op's. The op's
 * fields ride down the access rows to the event.
 */
static unsigned ZKT_FN(clob_probe)(const struct zk_clob_air *c, const ZKT *cur,
				   const ZKT *nxt, ZKT *out, unsigned k, int sem)
{
	static const zk_gl cl[4] = { CLOB_HASH_MUL & 0xffff,
				     (CLOB_HASH_MUL >> 16) & 0xffff,
				     (CLOB_HASH_MUL >> 32) & 0xffff,
				     CLOB_HASH_MUL >> 48 };
	static const unsigned carried[] = { OPF_SEQ, OPF_SEQ + 1, OPF_MARKET,
					    OPF_OID, OPF_OID + 1, OPF_NID,
					    OPF_NID + 1, OPF_TYPE, OPF_ACCT,
					    OPF_ACCT + 1, OPF_SIDE, OPF_PRICE,
					    OPF_PRICE + 1 };
	const ZKT *op = cur + C_OPF, *bits = cur + C_HB;
	ZKT one = ZKT_CONST(1), zero = ZKT_ZERO;
	ZKT ro = cur[C_RO], rd = cur[C_RD];
	ZKT red = ZKT_ADD(cur[C_RBL], cur[C_RBR]);
	ZKT rw = cur[C_RW], rf = cur[C_RF];
	ZKT probing = ZKT_ADD(ZKT_ADD(ZKT_ADD(cur[C_RU], ro), rd),
			      ZKT_ADD(red, ZKT_ADD(rw, rf)));
	ZKT rsn = ZKT_ADD(
		ZKT_ADD(ZKT_MUL_CONST(cur[C_RU], ZK_REJ_UNKNOWN_ORDER),
			ZKT_MUL_CONST(ro, ZK_REJ_OWNER_MISMATCH)),
		ZKT_ADD(ZKT_MUL_CONST(rd, ZK_REJ_DUPLICATE_ID),
			ZKT_ADD(ZKT_MUL_CONST(cur[C_RBL], ZK_REJ_BAD_LOT),
				ZKT_MUL_CONST(cur[C_RBR], ZK_REJ_BAD_REDUCE))));
	ZKT sacc = cur[C_SACC], nacc = nxt[C_SACC];
	ZKT ord = cur[C_ORD], nord = nxt[C_ORD];
	ZKT hdr = cur[C_HDR], nhdr = nxt[C_HDR];
	ZKT lvl = cur[C_LVL], nlvl = nxt[C_LVL];
	ZKT probe = ZKT_SUB(ZKT_SUB(sacc, ord), ZKT_ADD(hdr, lvl));
	ZKT nprobe = ZKT_SUB(ZKT_SUB(nacc, nord), ZKT_ADD(nhdr, nlvl));
	ZKT aw = cur[C_AW], af = cur[C_AF], nsev = nxt[C_SEV];
	ZKT a[4], x[4], r[4], z, home, t, step, bm1, bo, lp, price;
	zk_gl nb = c->lay.count[ZK_SLOT_BUCKET];
	unsigned kb = c->kind_bits[ZK_SLOT_BUCKET], i, j;

#define EMIT(e) (out[k++] = sem ? (e) : zero)
#define LIMB(dst, at, nbits)                                                   \
	do {                                                                   \
		dst = ZKT_ZERO;                                                \
		for (j = 0; j < (nbits); j++)                                  \
			dst = ZKT_ADD(dst, ZKT_MUL_CONST(bits[(at) + j],       \
							 (zk_gl)1 << j));      \
	} while (0)
	for (j = 0; j < CLOB_HB_BITS; j++)
		out[k++] = ZKT_MUL(cur[C_SOP], ZKT_MUL(bits[j],
						       ZKT_SUB(bits[j], one)));
	for (i = 0; i < 4; i++) {
		LIMB(a[i], CLOB_HB_A(i), 16);
		LIMB(x[i], CLOB_HB_X(i), 16);
		LIMB(r[i], CLOB_HB_R(i), 20);
	}
	/* id limbs; id·C mod 2^64 limb by limb with carries */
	EMIT(ZKT_MUL(probing, ZKT_SUB(op[OPF_OID],
				      ZKT_ADD(a[0], ZKT_MUL_CONST(a[1],
								  1u << 16)))));
	EMIT(ZKT_MUL(probing, ZKT_SUB(op[OPF_OID + 1],
				      ZKT_ADD(a[2], ZKT_MUL_CONST(a[3],
								  1u << 16)))));
	for (i = 0; i < 4; i++) {
		z = i > 0 ? r[i - 1] : ZKT_ZERO;
		for (j = 0; j <= i; j++)
			z = ZKT_ADD(z, ZKT_MUL_CONST(a[j], cl[i - j]));
		EMIT(ZKT_MUL(probing,
			     ZKT_SUB(z, ZKT_ADD(x[i], ZKT_MUL_CONST(r[i],
								    1u << 16)))));
	}
	/* home = bits 64-kb .. 63 of the product; the first probe is there */
	home = ZKT_ZERO;
	for (j = 64 - kb; j < 64; j++)
		home = ZKT_ADD(home, ZKT_MUL_CONST(bits[CLOB_HB_X(0) + j],
						   (zk_gl)1 << (j - (64 - kb))));
	EMIT(ZKT_MUL(probing, ZKT_SUB(nxt[C_BSLOT], home)));
	EMIT(ZKT_MUL(probing, nord));
	EMIT(ZKT_MUL(probing, nhdr));
	EMIT(ZKT_MUL(probing, nlvl));
	EMIT(ZKT_MUL(probing, ZKT_SUB(nxt[C_AW], rw)));
	EMIT(ZKT_MUL(probing, ZKT_SUB(nxt[C_AF], rf)));
	EMIT(ZKT_MUL(probing, ZKT_SUB(nxt[C_PRES],
				      ZKT_ADD(ZKT_ADD(ro, rd), red))));
	EMIT(ZKT_MUL(probing, ZKT_SUB(nxt[C_CRO], ZKT_ADD(ro, red))));
	EMIT(ZKT_MUL(probing, ZKT_SUB(nxt[C_OWNEQ], red)));
	rsn = ZKT_ADD(rsn, ZKT_ADD(ZKT_MUL_CONST(rw, ZK_REJ_WOULD_CROSS),
				   ZKT_MUL_CONST(rf, ZK_REJ_BOOK_FULL)));
	EMIT(ZKT_MUL(probing, ZKT_SUB(nxt[C_RSN], rsn)));
	/* the op's fields (and PRES) ride along the access rows */
	t = ZKT_MUL(ZKT_ADD(probing, sacc), nacc);
	for (i = 0; i < sizeof(carried) / sizeof(carried[0]); i++)
		EMIT(ZKT_MUL(t, ZKT_SUB(nxt[C_OPF + carried[i]],
					op[carried[i]])));
	EMIT(ZKT_MUL(t, ZKT_SUB(nxt[C_IS3], cur[C_IS3])));
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nacc), ZKT_SUB(nxt[C_PRES], cur[C_PRES])));
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nacc), ZKT_SUB(nxt[C_CRO], cur[C_CRO])));
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nacc), ZKT_SUB(nxt[C_OWNEQ], cur[C_OWNEQ])));
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nacc), ZKT_SUB(nxt[C_RSN], cur[C_RSN])));
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nacc), ZKT_SUB(nxt[C_AW], cur[C_AW])));
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nacc), ZKT_SUB(nxt[C_AF], cur[C_AF])));
	EMIT(ZKT_MUL(t, ZKT_SUB(nxt[C_REMLO], cur[C_REMLO])));
	EMIT(ZKT_MUL(t, ZKT_SUB(nxt[C_REMHI], cur[C_REMHI])));
	/* roles: ORD only on access rows of OWNER_MISMATCH, last of its op */
	out[k++] = ZKT_MUL(ord, ZKT_SUB(ord, one));
	EMIT(ZKT_MUL(ord, ZKT_SUB(one, sacc)));
	EMIT(ZKT_MUL(ord, ZKT_SUB(one, cur[C_CRO])));
	EMIT(ZKT_MUL(ord, nacc));
	/* HDR and LVL: access roles of WOULD_CROSS / BOOK_FULL only; with
	 * ORD at most one role per access row */
	out[k++] = ZKT_MUL(hdr, ZKT_SUB(hdr, one));
	out[k++] = ZKT_MUL(lvl, ZKT_SUB(lvl, one));
	EMIT(ZKT_MUL(probe, ZKT_SUB(probe, one)));
	EMIT(ZKT_MUL(hdr, ZKT_SUB(one, sacc)));
	EMIT(ZKT_MUL(lvl, ZKT_SUB(one, sacc)));
	EMIT(ZKT_MUL(hdr, ZKT_SUB(ZKT_SUB(one, aw), af)));
	EMIT(ZKT_MUL(lvl, ZKT_SUB(one, aw)));
	/* every access is a read */
	for (i = 0; i < ZK_ST_LEAF_ELEMS; i++)
		EMIT(ZKT_MUL(sacc, ZKT_SUB(cur[C_AFT + i], cur[C_MSG + i])));
	/* a probe reads bucket BSLOT; the next probe BSLOT + 1 (wrapping) */
	EMIT(ZKT_MUL(probe, ZKT_SUB(cur[C_INDEX],
				    ZKT_ADD_CONST(cur[C_BSLOT],
						  c->lay.offset[ZK_SLOT_BUCKET]))));
	t = cur[C_WRAP];
	bm1 = ZKT_SUB(cur[C_BSLOT], ZKT_CONST(nb - 1));
	out[k++] = ZKT_MUL(t, ZKT_SUB(t, one));
	EMIT(ZKT_MUL(probe, ZKT_MUL(t, bm1)));
	EMIT(ZKT_MUL(ZKT_MUL(probe, ZKT_SUB(one, t)),
		     ZKT_SUB(ZKT_MUL(bm1, cur[C_WINV]), one)));
	step = ZKT_SUB(ZKT_ADD_CONST(cur[C_BSLOT], 1), ZKT_MUL_CONST(t, nb));
	EMIT(ZKT_MUL(ZKT_MUL(probe, nprobe), ZKT_SUB(nxt[C_BSLOT], step)));
	/* a probe followed by a probe: occupied, by another id */
	t = ZKT_MUL(probe, nprobe);
	EMIT(ZKT_MUL(t, ZKT_SUB(ZKT_MUL(ZKT_SUB(cur[C_MSG + 5],
						ZKT_CONST(CLOB_NIL)),
					cur[C_J3]),
				one)));
	EMIT(ZKT_MUL(t, ZKT_SUB(ZKT_ADD(ZKT_MUL(ZKT_SUB(cur[C_MSG + 3],
							op[OPF_OID]),
						cur[C_J1]),
					ZKT_MUL(ZKT_SUB(cur[C_MSG + 4],
							op[OPF_OID + 1]),
						cur[C_J2])),
				one)));
	/* a probe that ends the op: absence (RU) ends empty; presence without
	 * an order read (RD) ends at the id, occupied; RO never ends here */
	t = ZKT_MUL(probe, nxt[C_SEV]);
	EMIT(ZKT_MUL(ZKT_MUL(t, ZKT_SUB(one, cur[C_PRES])),
		     ZKT_SUB(cur[C_MSG + 5], ZKT_CONST(CLOB_NIL))));
	EMIT(ZKT_MUL(t, cur[C_CRO]));
	EMIT(ZKT_SUB(cur[C_LASTP], ZKT_MUL(t, cur[C_PRES])));
	t = cur[C_LASTP];
	EMIT(ZKT_MUL(t, ZKT_SUB(ZKT_MUL(ZKT_SUB(cur[C_MSG + 5],
						ZKT_CONST(CLOB_NIL)),
					cur[C_J3]),
				one)));
	EMIT(ZKT_MUL(t, ZKT_SUB(cur[C_MSG + 3], op[OPF_OID])));
	EMIT(ZKT_MUL(t, ZKT_SUB(cur[C_MSG + 4], op[OPF_OID + 1])));
	/* the last probe of a presence: the id, occupied; the next row reads
	 * the order slot the bucket names */
	t = ZKT_MUL(probe, nord);
	EMIT(ZKT_MUL(t, ZKT_SUB(ZKT_MUL(ZKT_SUB(cur[C_MSG + 5],
						ZKT_CONST(CLOB_NIL)),
					cur[C_J3]),
				one)));
	EMIT(ZKT_MUL(t, ZKT_SUB(cur[C_MSG + 3], op[OPF_OID])));
	EMIT(ZKT_MUL(t, ZKT_SUB(cur[C_MSG + 4], op[OPF_OID + 1])));
	EMIT(ZKT_MUL(t, ZKT_SUB(nxt[C_MSG + 0], ZKT_CONST(ZK_SLOT_ORDER))));
	EMIT(ZKT_MUL(t, ZKT_SUB(nxt[C_MSG + 2], cur[C_MSG + 5])));
	/* the order read: its account is not the op's (OWNER_MISMATCH), or
	 * is (reduce rejects); its remaining is the one the op row used */
	t = cur[C_OWNEQ];
	EMIT(ZKT_MUL(ZKT_MUL(ord, ZKT_SUB(one, t)),
		     ZKT_SUB(ZKT_ADD(ZKT_MUL(ZKT_SUB(cur[C_MSG + 5],
						     op[OPF_ACCT]),
					     cur[C_J1]),
				     ZKT_MUL(ZKT_SUB(cur[C_MSG + 6],
						     op[OPF_ACCT + 1]),
					     cur[C_J2])),
			     one)));
	EMIT(ZKT_MUL(ZKT_MUL(ord, t), ZKT_SUB(cur[C_MSG + 5], op[OPF_ACCT])));
	EMIT(ZKT_MUL(ZKT_MUL(ord, t), ZKT_SUB(cur[C_MSG + 6],
					      op[OPF_ACCT + 1])));
	EMIT(ZKT_MUL(ord, ZKT_SUB(cur[C_MSG + 9], cur[C_REMLO])));
	EMIT(ZKT_MUL(ord, ZKT_SUB(cur[C_MSG + 10], cur[C_REMHI])));
	/*
	 * WOULD_CROSS / BOOK_FULL: the probe chain ends empty (the id is not
	 * live, so DUPLICATE_ID did not fire), then the header is read.
	 * BOOK_FULL: its order free list is NIL, event next. WOULD_CROSS:
	 * the best opposite level (best_ask for BUY, best_bid for SELL) is
	 * not NIL and the next row reads that level, whose price crosses:
	 * d = (3 - 2·side)·(price - level price) is a 40-bit register, with
	 * the level price < 2^40 too, so d >= 0 holds over the integers.
	 */
	EMIT(ZKT_MUL(ZKT_MUL(probe, nsev), ZKT_ADD(aw, af)));
	EMIT(ZKT_MUL(nhdr, ZKT_SUB(one, probe)));
	EMIT(ZKT_MUL(ZKT_MUL(probe, nhdr),
		     ZKT_SUB(cur[C_MSG + 5], ZKT_CONST(CLOB_NIL))));
	EMIT(ZKT_MUL(hdr, ZKT_SUB(cur[C_INDEX],
				  ZKT_CONST(c->lay.offset[ZK_SLOT_HEADER]))));
	EMIT(ZKT_MUL(hdr, ZKT_SUB(ZKT_SUB(one, nsev), nlvl)));
	EMIT(ZKT_MUL(ZKT_MUL(hdr, af),
		     ZKT_SUB(cur[C_MSG + 5], ZKT_CONST(CLOB_NIL))));
	bo = ZKT_ADD(ZKT_MUL(ZKT_SUB(ZKT_CONST(2), op[OPF_SIDE]), cur[C_MSG + 4]),
		     ZKT_MUL(ZKT_ADD_CONST(op[OPF_SIDE], ZK_GL_P - 1),
			     cur[C_MSG + 3]));
	EMIT(ZKT_MUL(ZKT_MUL(hdr, aw), ZKT_SUB(cur[C_BSLOT], bo)));
	EMIT(ZKT_MUL(ZKT_MUL(hdr, aw),
		     ZKT_SUB(ZKT_MUL(ZKT_SUB(cur[C_BSLOT], ZKT_CONST(CLOB_NIL)),
				     cur[C_J3]),
			     one)));
	EMIT(ZKT_MUL(ZKT_MUL(hdr, aw), ZKT_SUB(one, nlvl)));
	EMIT(ZKT_MUL(nlvl, ZKT_SUB(one, hdr)));
	EMIT(ZKT_MUL(ZKT_MUL(hdr, nlvl), ZKT_SUB(nxt[C_MSG + 2], cur[C_BSLOT])));
	EMIT(ZKT_MUL(lvl, ZKT_SUB(cur[C_MSG + 0], ZKT_CONST(ZK_SLOT_LEVEL))));
	EMIT(ZKT_MUL(lvl, ZKT_SUB(one, nsev)));
	lp = ZKT_ADD(cur[C_MSG + 3], ZKT_MUL_CONST(cur[C_MSG + 4], (zk_gl)1 << 32));
	price = ZKT_ADD(op[OPF_PRICE],
			ZKT_MUL_CONST(op[OPF_PRICE + 1], (zk_gl)1 << 32));
	EMIT(ZKT_MUL(lvl, ZKT_SUB(cur[C_V + 0],
				  ZKT_MUL_CONST(cur[C_MSG + 4], (zk_gl)1 << 32))));
	EMIT(ZKT_MUL(lvl, ZKT_SUB(cur[C_V + 1],
				  ZKT_MUL(ZKT_SUB(ZKT_CONST(3),
						  ZKT_MUL_CONST(op[OPF_SIDE], 2)),
					  ZKT_SUB(price, lp)))));
#undef LIMB
#undef EMIT
	return k;
}

static unsigned ZKT_FN(clob_eval_k)(const struct zk_clob_air *c, const ZKT *cur,
				    const ZKT *nxt, ZKT *out)
{
	ZKT one = ZKT_CONST(1);
	ZKT x[ZK_P2_WIDTH12], sum, sl, t, acc, hash_row;
	unsigned k = 0, i, j;
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
	k = ZKT_FN(clob_probe)(c, cur, nxt, out, k, sem);

	/* op and event counters: the public buses carry the index */
	out[k++] = ZKT_SUB(ZKT_SUB(nxt[C_NOPS], cur[C_NOPS]), nxt[C_SOP]);
	out[k++] = ZKT_SUB(ZKT_SUB(nxt[C_NEVS], cur[C_NEVS]), nxt[C_SEV]);

	/*
	 * Op semantics (docs/proof.md section 3): row order, one event per
	 * op on its emitter row, the MALFORMED witness; clob_validation and
	 * clob_probe hold the other kinds' rules. Every supported op is a
	 * reject and changes nothing.
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
					 cur[C_RF]));
		/* the row that emits the op's event: a non-probing op row, or
		 * the last probe of an UNKNOWN_ORDER op */
		ZKT emitter = ZKT_ADD(ZKT_SUB(sop, ru),
				      ZKT_MUL(sacc, nxt[C_SEV]));

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
		out[k++] = sem ? ZKT_MUL(nxt[C_SEV],
					 ZKT_SUB(ZKT_SUB(one, sop), sacc)) :
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
		for (i = 0; i < CLOB_EV_ELEMS; i++)
			exp[i] = ZKT_ZERO;
		exp[EVF_SEQ] = op[OPF_SEQ];
		exp[EVF_SEQ + 1] = op[OPF_SEQ + 1];
		exp[EVF_MARKET] = op[OPF_MARKET];
		exp[EVF_TYPE] = ZKT_CONST(ZK_EV_REJECTED);
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
		exp[EVF_OID] = op[OPF_OID];
		exp[EVF_OID + 1] = op[OPF_OID + 1];
		exp[EVF_OTHER] = ZKT_MUL(t, op[OPF_NID]);
		exp[EVF_OTHER + 1] = ZKT_MUL(t, op[OPF_NID + 1]);
		for (i = 0; i < CLOB_EV_ELEMS; i++)
			out[k++] = sem ? ZKT_MUL(emitter, ZKT_SUB(ev[i], exp[i])) :
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
