/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR access-row rules (part of clob_air_body.h, included from it, no
 * include guard): the home-bucket computation, the id-hash probe chain,
 * the order read and the header / level reads of the rejects that read
 * the book.
 */

/* Σ of an access row's roles: 1 on every row that is not a probe. */
static inline ZKT ZKT_FN(clob_roles)(const ZKT *row)
{
	static const unsigned roles[] = { C_ORD, C_HDR, C_LVL, C_OW, C_LW,
					  C_OR2, C_PW, C_NW, C_ES, C_EM,
					  C_EF, C_OF, C_HW, C_LB, C_LWO,
					  C_LF, C_HL, C_HN, C_LVN, C_LX,
					  C_ORS, C_HO, C_LC, C_HC, C_LN,
					  C_LBW, C_LWB, C_OWN, C_TW, C_LT,
					  C_IP, C_IW, C_OM, C_MW, C_ML, C_MP,
					  C_NP, C_QP, C_QI, C_QW, C_QL,
					  C_HS, C_FO, C_OS, C_LO, C_HF,
					  C_BLX, C_BFB, C_BFW, C_HP, C_LP,
					  C_OX, C_LK };
	ZKT sum = ZKT_ZERO;

	for (unsigned i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		sum = ZKT_ADD(sum, row[roles[i]]);
	return sum;
}

/* The home bucket the row's bits name: bits 64-kb .. 63 of id·C. */
static inline ZKT ZKT_FN(clob_home)(const struct zk_clob_air *c, const ZKT *cur)
{
	unsigned kb = c->kind_bits[ZK_SLOT_BUCKET];
	ZKT home = ZKT_ZERO;

	for (unsigned j = 64 - kb; j < 64; j++)
		home = ZKT_ADD(home,
			       ZKT_MUL_CONST(cur[C_HB + CLOB_HB_X(0) + j],
					     (zk_gl)1 << (j - (64 - kb))));
	return home;
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
					    OPF_PRICE + 1, OPF_QTY,
					    OPF_QTY + 1, OPF_STP, OPF_ORD,
					    OPF_TIF };
	const ZKT *op = cur + C_OPF, *bits = cur + C_HB;
	ZKT one = ZKT_CONST(1), zero = ZKT_ZERO;
	ZKT ro = cur[C_RO], rd = cur[C_RD];
	ZKT red = ZKT_ADD(ZKT_ADD(cur[C_RBL], cur[C_RBR]),
			  ZKT_ADD(cur[C_KR], cur[C_KC]));
	ZKT rw = cur[C_RW], rf = cur[C_RF];
	/* a REPLACE's market-rule reject (QV) and DUPLICATE_ID of its new
	 * id (QD) come after the owner check: presence, order read */
	ZKT qpres = ZKT_ADD(ZKT_ADD(ZKT_ADD(cur[C_QV], cur[C_QD]),
				    ZKT_ADD(cur[C_QK], cur[C_QM])),
			    cur[C_QF]);
	ZKT probing = ZKT_ADD(ZKT_ADD(ZKT_ADD(cur[C_RU], ro), rd),
			      ZKT_ADD(ZKT_ADD(red, ZKT_ADD(ZKT_ADD(cur[C_KN],
								   cur[C_KI]),
							   cur[C_KM])),
				      ZKT_ADD(ZKT_ADD(rw, rf), qpres)));
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
	ZKT probe = ZKT_SUB(sacc, ZKT_FN(clob_roles)(cur));
	ZKT nprobe = ZKT_SUB(nacc, ZKT_FN(clob_roles)(nxt));
	/* the home computation: of the op's id on a probing op row, of the
	 * scanned bucket's id on an erase scan (clob_air_cancel.h) */
	ZKT es = cur[C_ES];
	ZKT hm = cur[C_HM];
	ZKT hq = cur[C_HQ];
	ZKT hsel = ZKT_ADD(ZKT_ADD(ZKT_ADD(probing, hm), hq),
			   ZKT_SUB(es, ZKT_MUL(es, cur[C_EE])));
	/* ... and of the maker's id on the row before its probes (HM) */
	ZKT id_lo = ZKT_ADD(ZKT_ADD(op[OPF_OID],
				    ZKT_MUL(es, ZKT_SUB(cur[C_MSG + 3],
							op[OPF_OID]))),
			    ZKT_ADD(ZKT_MUL(hm, ZKT_SUB(cur[C_MKLO],
							op[OPF_OID])),
				    ZKT_MUL(hq, ZKT_SUB(op[OPF_NID],
							op[OPF_OID]))));
	ZKT id_hi = ZKT_ADD(ZKT_ADD(op[OPF_OID + 1],
				    ZKT_MUL(es, ZKT_SUB(cur[C_MSG + 4],
							op[OPF_OID + 1]))),
			    ZKT_ADD(ZKT_MUL(hm, ZKT_SUB(cur[C_MKHI],
							op[OPF_OID + 1])),
				    ZKT_MUL(hq, ZKT_SUB(op[OPF_NID + 1],
							op[OPF_OID + 1]))));
	ZKT aw = cur[C_AW], af = cur[C_AF], nsev = nxt[C_SEV];
	ZKT a[4], x[4], r[4], z, t, step, bm1, bo, lp, price;
	zk_gl nb = c->lay.count[ZK_SLOT_BUCKET];
	unsigned i, j;

#define EMIT(e) (out[k++] = sem ? (e) : zero)
#define LIMB(dst, at, nbits)                                                   \
	do {                                                                   \
		dst = ZKT_ZERO;                                                \
		for (j = 0; j < (nbits); j++)                                  \
			dst = ZKT_ADD(dst, ZKT_MUL_CONST(bits[(at) + j],       \
							 (zk_gl)1 << j));      \
	} while (0)
	for (j = 0; j < CLOB_HB_BITS; j++)
		out[k++] = ZKT_MUL(ZKT_ADD(ZKT_ADD(cur[C_SOP], es),
					   ZKT_ADD(hm, hq)),
				   ZKT_MUL(bits[j], ZKT_SUB(bits[j], one)));
	for (i = 0; i < 4; i++) {
		LIMB(a[i], CLOB_HB_A(i), 16);
		LIMB(x[i], CLOB_HB_X(i), 16);
		LIMB(r[i], CLOB_HB_R(i), 20);
	}
	/* id limbs; id·C mod 2^64 limb by limb with carries */
	EMIT(ZKT_MUL(hsel, ZKT_SUB(id_lo, ZKT_ADD(a[0], ZKT_MUL_CONST(
							    a[1], 1u << 16)))));
	EMIT(ZKT_MUL(hsel, ZKT_SUB(id_hi, ZKT_ADD(a[2], ZKT_MUL_CONST(
							    a[3], 1u << 16)))));
	for (i = 0; i < 4; i++) {
		z = i > 0 ? r[i - 1] : ZKT_ZERO;
		for (j = 0; j <= i; j++)
			z = ZKT_ADD(z, ZKT_MUL_CONST(a[j], cl[i - j]));
		EMIT(ZKT_MUL(hsel,
			     ZKT_SUB(z, ZKT_ADD(x[i], ZKT_MUL_CONST(r[i],
								    1u << 16)))));
	}
	/* the first probe is at the home bucket */
	EMIT(ZKT_MUL(probing, ZKT_SUB(nxt[C_BSLOT], ZKT_FN(clob_home)(c, cur))));
	EMIT(ZKT_MUL(probing, nord));
	EMIT(ZKT_MUL(probing, nhdr));
	EMIT(ZKT_MUL(probing, nlvl));
	EMIT(ZKT_MUL(probing, ZKT_SUB(nxt[C_AW], rw)));
	EMIT(ZKT_MUL(probing, ZKT_SUB(nxt[C_AF], rf)));
	EMIT(ZKT_MUL(probing, ZKT_SUB(nxt[C_AR], cur[C_KR])));
	EMIT(ZKT_MUL(probing, ZKT_SUB(nxt[C_AC], cur[C_KC])));
	EMIT(ZKT_MUL(probing, ZKT_SUB(nxt[C_AN], cur[C_KN])));
	EMIT(ZKT_MUL(probing, ZKT_SUB(nxt[C_AI], cur[C_KI])));
	EMIT(ZKT_MUL(probing, ZKT_SUB(nxt[C_AM], cur[C_KM])));
	EMIT(ZKT_MUL(cur[C_KN], ZKT_SUB(nxt[C_XHOME],
					ZKT_FN(clob_home)(c, cur))));
	EMIT(ZKT_MUL(probing, ZKT_SUB(nxt[C_PRES],
				      ZKT_ADD(ZKT_ADD(ro, rd),
					      ZKT_ADD(red, qpres)))));
	EMIT(ZKT_MUL(probing, ZKT_SUB(nxt[C_CRO],
				      ZKT_ADD(ZKT_ADD(ro, red), qpres))));
	EMIT(ZKT_MUL(probing, ZKT_SUB(nxt[C_OWNEQ], ZKT_ADD(red, qpres))));
	rsn = ZKT_ADD(rsn, ZKT_ADD(ZKT_MUL_CONST(rw, ZK_REJ_WOULD_CROSS),
				   ZKT_MUL_CONST(rf, ZK_REJ_BOOK_FULL)));
	/* on a probing op row RT .. RQ are set only with QV */
	rsn = ZKT_ADD(rsn, ZKT_ADD(ZKT_ADD(ZKT_MUL_CONST(cur[C_RT],
							 ZK_REJ_BAD_TICK),
					   ZKT_MUL_CONST(cur[C_RL],
							 ZK_REJ_BAD_LOT)),
				   ZKT_ADD(ZKT_MUL_CONST(cur[C_RB],
							 ZK_REJ_PRICE_BAND),
					   ZKT_MUL_CONST(cur[C_RQ],
							 ZK_REJ_MAX_QTY))));
	rsn = ZKT_ADD(rsn, ZKT_MUL_CONST(cur[C_QD], ZK_REJ_DUPLICATE_ID));
	rsn = ZKT_ADD(rsn, ZKT_MUL_CONST(cur[C_QF], ZK_REJ_BOOK_FULL));
	EMIT(ZKT_MUL(probing, ZKT_SUB(nxt[C_RSN], rsn)));
	/* the op's fields (and PRES) ride along the access rows */
	t = ZKT_MUL(ZKT_ADD(probing, sacc), nacc);
	/* (a crossing move's matching rows take the taker's side, stp
	 * group, ord type and tif from XS on: clob_air_xmove.h) */
	for (i = 0; i < sizeof(carried) / sizeof(carried[0]); i++) {
		unsigned f = carried[i];
		int tk = f == OPF_SIDE || f == OPF_STP || f == OPF_ORD ||
			 f == OPF_TIF;

		EMIT(ZKT_MUL(tk ? ZKT_MUL(t, ZKT_SUB(one, nxt[C_XS])) : t,
			     ZKT_SUB(nxt[C_OPF + f], op[f])));
	}
	EMIT(ZKT_MUL(t, ZKT_SUB(nxt[C_IS3], cur[C_IS3])));
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nacc), ZKT_SUB(nxt[C_PRES], cur[C_PRES])));
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nacc), ZKT_SUB(nxt[C_CRO], cur[C_CRO])));
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nacc), ZKT_SUB(nxt[C_OWNEQ], cur[C_OWNEQ])));
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nacc), ZKT_SUB(nxt[C_RSN], cur[C_RSN])));
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nacc), ZKT_SUB(nxt[C_AW], cur[C_AW])));
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nacc), ZKT_SUB(nxt[C_AF], cur[C_AF])));
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nacc), ZKT_SUB(nxt[C_AR], cur[C_AR])));
	/* a match's maker removal (FM) and a move's order_remove (after
	 * its slots_available read) run the full cancel's roles */
	/* (and stop at its header write: the loop's next pass or the
	 * taker's end follows, clob_air_fill.h) */
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nacc),
		     ZKT_SUB(ZKT_SUB(nxt[C_AC], cur[C_AC]),
			     ZKT_SUB(ZKT_ADD(ZKT_ADD(ZKT_MUL(cur[C_ML],
							     cur[C_FM]),
						     cur[C_OX]),
					     ZKT_ADD(ZKT_MUL(cur[C_HS],
							     cur[C_AV]),
						     ZKT_SUB(cur[C_LK],
							     nxt[C_LK]))),
				     ZKT_ADD(ZKT_MUL(cur[C_HW], cur[C_AM]),
					     nxt[C_XS])))));
	/* a fill's columns reload at each maker read (clob_air_fill.h) */
	EMIT(ZKT_MUL(ZKT_MUL(ZKT_MUL(sacc, nacc),
			     ZKT_SUB(ZKT_SUB(one, nxt[C_OM]), nxt[C_OX])),
		     ZKT_SUB(nxt[C_FM], cur[C_FM])));
	EMIT(ZKT_MUL(probing, ZKT_SUB(nxt[C_FM], cur[C_FM])));
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nacc), ZKT_SUB(nxt[C_AN], cur[C_AN])));
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nacc), ZKT_SUB(nxt[C_AI], cur[C_AI])));
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nacc),
		     ZKT_SUB(ZKT_SUB(nxt[C_AM], cur[C_AM]), nxt[C_XS])));
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nacc), ZKT_SUB(nxt[C_EX], cur[C_EX])));
	EMIT(ZKT_MUL(ZKT_MUL(sacc, nacc),
		     ZKT_SUB(nxt[C_XHOME], cur[C_XHOME])));
	/* ... but a match's fill columns, which reload at each maker read
	 * OM (the taker's remaining TR at each maker write MW:
	 * clob_air_fill.h) */
	{
		/* (and at a self-trade read that removes the maker, OX:
		 * clob_air_stp.h) */
		ZKT tf = ZKT_MUL(t, ZKT_SUB(ZKT_SUB(one, nxt[C_OM]),
					    nxt[C_OX]));
		ZKT tr = ZKT_MUL(t, ZKT_SUB(one, nxt[C_MW]));

		EMIT(ZKT_MUL(tf, ZKT_SUB(nxt[C_REMLO], cur[C_REMLO])));
		EMIT(ZKT_MUL(tf, ZKT_SUB(nxt[C_REMHI], cur[C_REMHI])));
		/* ... the rest after a match's maker removal (RLD,
		 * clob_air_loop.h) takes its own slot, level and links */
		for (i = C_XSLOT; i <= C_WN; i++)
			EMIT(ZKT_MUL(i == C_XSIDE || i == C_XPLO ||
						     i == C_XPHI ?
					     tf :
					     ZKT_MUL(t, ZKT_SUB(ZKT_SUB(ZKT_SUB(
								one,
								nxt[C_RLD]),
								nxt[C_OM]),
							nxt[C_OX])),
				     ZKT_SUB(nxt[i], cur[i])));
		for (i = C_MKLO; i <= C_FR; i++)
			EMIT(ZKT_MUL(i == C_TRLO || i == C_TRHI ? tr : tf,
				     ZKT_SUB(nxt[i], cur[i])));
	}
	/* roles: ORD only on access rows of an op that reads the order; the
	 * last of its op, unless a reduce's order write follows */
	out[k++] = ZKT_MUL(ord, ZKT_SUB(ord, one));
	EMIT(ZKT_MUL(ord, ZKT_SUB(one, sacc)));
	EMIT(ZKT_MUL(ord, ZKT_SUB(one, cur[C_CRO])));
	EMIT(ZKT_MUL(ord, ZKT_SUB(nacc, ZKT_ADD(ZKT_ADD(nxt[C_OW],
							nxt[C_OR2]),
						nxt[C_NP]))));
	/* HDR and LVL: access roles of WOULD_CROSS / BOOK_FULL only; with
	 * ORD at most one role per access row */
	out[k++] = ZKT_MUL(hdr, ZKT_SUB(hdr, one));
	out[k++] = ZKT_MUL(lvl, ZKT_SUB(lvl, one));
	EMIT(ZKT_MUL(probe, ZKT_SUB(probe, one)));
	EMIT(ZKT_MUL(hdr, ZKT_SUB(one, sacc)));
	EMIT(ZKT_MUL(lvl, ZKT_SUB(one, sacc)));
	EMIT(ZKT_MUL(hdr, ZKT_SUB(ZKT_SUB(ZKT_SUB(one, aw), af),
				  ZKT_ADD(cur[C_AM], cur[C_AI]))));
	EMIT(ZKT_MUL(lvl, ZKT_SUB(ZKT_SUB(one, aw),
				  ZKT_ADD(cur[C_AM], cur[C_AI]))));
	/* every access but the write roles is a read */
	t = ZKT_SUB(sacc, ZKT_ADD(ZKT_ADD(ZKT_ADD(cur[C_OW], cur[C_LW]),
					  ZKT_ADD(cur[C_PW], cur[C_NW])),
				  ZKT_ADD(ZKT_ADD(cur[C_EM], cur[C_EF]),
					  ZKT_ADD(cur[C_OF], cur[C_HW]))));
	t = ZKT_SUB(t, ZKT_ADD(ZKT_ADD(cur[C_LB], cur[C_LWO]),
			       ZKT_ADD(cur[C_LF], cur[C_HL])));
	t = ZKT_SUB(t, ZKT_ADD(ZKT_ADD(ZKT_ADD(cur[C_HO], cur[C_HC]),
				       ZKT_ADD(cur[C_LN], cur[C_LBW])),
			       ZKT_ADD(ZKT_ADD(cur[C_LWB], cur[C_OWN]),
				       ZKT_ADD(ZKT_ADD(cur[C_TW], cur[C_LT]),
					       cur[C_IW]))));
	t = ZKT_SUB(t, ZKT_ADD(cur[C_MW], cur[C_ML]));
	t = ZKT_SUB(t, ZKT_ADD(cur[C_QI], ZKT_ADD(cur[C_QW], cur[C_QL])));
	for (i = 0; i < ZK_ST_LEAF_ELEMS; i++)
		EMIT(ZKT_MUL(t, ZKT_SUB(cur[C_AFT + i], cur[C_MSG + i])));
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
	EMIT(ZKT_MUL(ZKT_MUL(probe, nsev), ZKT_ADD(ZKT_ADD(aw, af), cur[C_AM])));
	EMIT(ZKT_MUL(nhdr, ZKT_SUB(ZKT_SUB(one, probe),
				   ZKT_ADD(ZKT_ADD(cur[C_HS], cur[C_FO]),
					   ZKT_ADD(ZKT_ADD(cur[C_HP], cur[C_LP]),
						   cur[C_HW])))));
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
	/* a match (AM) and a FOK that reads a crossing level before it ends
	 * unfilled (AI, clob_air_loop.h) read the best opposite level the
	 * same way */
	t = ZKT_ADD(ZKT_ADD(aw, cur[C_AM]), cur[C_AI]);
	EMIT(ZKT_MUL(ZKT_MUL(hdr, t), ZKT_SUB(cur[C_BSLOT], bo)));
	EMIT(ZKT_MUL(ZKT_MUL(hdr, t),
		     ZKT_SUB(ZKT_MUL(ZKT_SUB(cur[C_BSLOT], ZKT_CONST(CLOB_NIL)),
				     cur[C_J3]),
			     one)));
	EMIT(ZKT_MUL(ZKT_MUL(hdr, t), ZKT_SUB(one, nlvl)));
	/* (or, a FOK's fok_fillable, a head read whose level ran out:
	 * the worse level, clob_air_fill.h) */
	EMIT(ZKT_MUL(nlvl, ZKT_SUB(ZKT_SUB(one, hdr), cur[C_FX])));
	EMIT(ZKT_MUL(ZKT_MUL(hdr, nlvl), ZKT_SUB(nxt[C_MSG + 2], cur[C_BSLOT])));
	EMIT(ZKT_MUL(lvl, ZKT_SUB(cur[C_MSG + 0], ZKT_CONST(ZK_SLOT_LEVEL))));
	EMIT(ZKT_MUL(ZKT_MUL(lvl, aw), ZKT_SUB(one, nsev)));
	lp = ZKT_ADD(cur[C_MSG + 3], ZKT_MUL_CONST(cur[C_MSG + 4], (zk_gl)1 << 32));
	price = ZKT_ADD(op[OPF_PRICE],
			ZKT_MUL_CONST(op[OPF_PRICE + 1], (zk_gl)1 << 32));
	EMIT(ZKT_MUL(lvl, ZKT_SUB(cur[C_V + 0],
				  ZKT_MUL_CONST(cur[C_MSG + 4], (zk_gl)1 << 32))));
	/* a market order crosses any level: no inequality */
	EMIT(ZKT_MUL(ZKT_MUL(lvl, ZKT_SUB(ZKT_CONST(2), op[OPF_ORD])),
		     ZKT_SUB(cur[C_V + 1],
			     ZKT_MUL(ZKT_SUB(ZKT_CONST(3),
					     ZKT_MUL_CONST(op[OPF_SIDE], 2)),
				     ZKT_SUB(price, lp)))));
#undef LIMB
#undef EMIT
	return k;
}
