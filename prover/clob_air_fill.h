/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR matching loop (part of clob_air_body.h, included from it, no
 * include guard): a KM taker (clob_air_match.h) that trades with several
 * makers, engine match's while loop. Access rows, per fill:
 *   [HDR → LVL →] OM → MW → ML → [order_remove … HW]
 * where HDR / LVL are the first fill's or, after a removal's HW whose
 * taker keeps a remaining (FR), the loop's next pass (its LVL must cross;
 * HN instead ends the loop on a no-cross read). The fill's columns (the
 * X columns, MK, MR, FL, FR, FM, REMLO / REMHI) reload at each OM and
 * the hole at the maker's probes (clob_probe, clob_cancel); the taker's
 * remaining TR is the op's qty until the first MW and reloads at each
 * MW: on the OM row TR is the remaining before the fill, so
 *   fill = TR (¬FR) or the maker's remaining (FR, FM),
 *   TR(MW) = TR(OM) − fill, limb-wise with a boolean borrow B3.
 * FJ counts OM rows over the op's accesses and TRADE rows (ED) over its
 * events. The fill bus (clob_air.c, tag FILL) pairs them: each ML
 * produces (op index, FJ, maker id, maker price, fill, taker remaining,
 * maker remaining, FM, FR), each TRADE consumes the same tuple from its
 * own event fields, so the op has exactly as many TRADEs as fills, in
 * order, each with its fill's values. Event rows: ACCEPTED (ET) → TRADE
 * (ED) [→ the maker's DONE (EM2) when FM] and, with MORE on the TRADE
 * (¬FM) or maker DONE row, another TRADE; TE marks the row after which
 * the taker's end comes: DONE (TR = 0), CANCELLED IOC_REMAINDER (FR), or
 * nothing (RST = FR·GT: a GTC rests). A wrong MORE leaves a tuple of the
 * bus unmatched.
 */

/*
 * A FOK that fills (KM, tif FOK): engine fok_fillable reads the header,
 * the best opposite level (HDR, LVL) and its orders from the head down
 * the FIFO (FO), then the worse level (LVL, crossing) and its orders,
 * summing the makers' remaining until one covers what is still needed:
 * FA = FO·AM; NEED = the qty on the first read (the HDR → LVL rule) and
 * the need left after each read (NEED' = NEED − rem); FOL: rem ≥ NEED
 * (40-bit register V1 = rem − NEED), the last read, followed by match's
 * own HDR; else V1 = NEED − rem − 1 and FX = FA·(1 − FOL): the next read
 * is the order's next (FNN = 0, an inverse shows it is not NIL) or, when
 * it is NIL (FNN), the level's worse (BSLOT, which the LVL row put on the
 * head read and FO rows carry; not NIL), read by an LVL that FK marks
 * and that only an FO may follow (so match's maker reads start at its own
 * HDR: the best level). Every read order is of the other side and no
 * self-trade (the OM rule). The loop after it never ends on a no-cross
 * read for a FOK (clob_loop), so the FOK is filled whole.
 */
static unsigned ZKT_FN(clob_fok_fill)(const struct zk_clob_air *c,
				      const ZKT *cur, const ZKT *nxt, ZKT *out,
				      unsigned k, int sem)
{
	const ZKT *op = cur + C_OPF, *bef = cur + C_MSG, *v = cur + C_V;
	ZKT one = ZKT_CONST(1), zero = ZKT_ZERO, two32 = ZKT_CONST(1ull << 32);
	ZKT nil = ZKT_CONST(CLOB_NIL);
	ZKT fa = cur[C_FA], fol = cur[C_FOL], fx = cur[C_FX], fb = cur[C_FB];
	ZKT fc = ZKT_ADD(fa, fb), amai = ZKT_ADD(cur[C_AM], cur[C_AI]);
	ZKT fnn = cur[C_FNN], fk = cur[C_FK], gd = cur[C_GD];
	ZKT ngd = ZKT_SUB(one, gd), am = cur[C_AM], lvl = cur[C_LVL];
	ZKT rem = ZKT_ADD(bef[9], ZKT_MUL(bef[10], two32));
	ZKT qty = ZKT_ADD(op[OPF_QTY], ZKT_MUL(op[OPF_QTY + 1], two32));
	ZKT need = cur[C_NEED];
	/* a read of an own order skipped (CANCEL_OLDEST, clob_air_fokstp.h)
	 * counts nothing; the reads that count, the last one of a FOK that
	 * ends unfilled (FU) included, are not its own */
	ZKT fsk = cur[C_FSK], cnt = ZKT_SUB(one, fsk);
	ZKT fcn = ZKT_SUB(ZKT_ADD(fc, cur[C_FU]), fsk);

	(void)c;
#define EMIT(e) (out[k++] = sem ? (e) : zero)
	out[k++] = ZKT_MUL(fol, ZKT_SUB(fol, one));
	out[k++] = ZKT_MUL(fnn, ZKT_SUB(fnn, one));
	out[k++] = ZKT_MUL(fk, ZKT_SUB(fk, one));
	EMIT(ZKT_SUB(fa, ZKT_MUL(cur[C_FO], am)));
	EMIT(ZKT_SUB(fb, ZKT_SUB(ZKT_MUL(cur[C_FO], cur[C_AI]),
				 ZKT_ADD(cur[C_FS], cur[C_FU]))));
	EMIT(ZKT_SUB(fx, ZKT_ADD(ZKT_SUB(fa, ZKT_MUL(fa, fol)), fb)));
	EMIT(ZKT_MUL(fol, ZKT_SUB(one, fa)));
	/* the other side, no self-trade (engine self_trade; a FOK whose
	 * read meets its own order ends unfilled, FS, or in CANCEL_OLDEST
	 * markets skips it, FSK) */
	EMIT(ZKT_MUL(fc, ZKT_SUB(ZKT_ADD(bef[15], op[OPF_SIDE]),
				 ZKT_CONST(3))));
	EMIT(ZKT_MUL(ZKT_MUL(fcn, gd),
		     ZKT_SUB(ZKT_MUL(ZKT_SUB(op[OPF_STP], bef[14]), cur[C_J3]),
			     one)));
	EMIT(ZKT_MUL(ZKT_MUL(fcn, ngd), op[OPF_STP]));
	EMIT(ZKT_MUL(ZKT_MUL(fcn, ngd), bef[14]));
	EMIT(ZKT_MUL(ZKT_MUL(fcn, ngd),
		     ZKT_SUB(ZKT_ADD(ZKT_MUL(ZKT_SUB(bef[5], op[OPF_ACCT]),
					     cur[C_J1]),
				     ZKT_MUL(ZKT_SUB(bef[6], op[OPF_ACCT + 1]),
					     cur[C_J2])),
			     one)));
	/* rem < 2^40; rem ≥ NEED (the last) or rem < NEED */
	EMIT(ZKT_MUL(fc, ZKT_SUB(v[0], ZKT_MUL(bef[10], two32))));
	EMIT(ZKT_MUL(ZKT_MUL(fa, fol), ZKT_SUB(v[1], ZKT_SUB(rem, need))));
	EMIT(ZKT_MUL(ZKT_MUL(fx, cnt),
		     ZKT_SUB(ZKT_ADD(v[1], one), ZKT_SUB(need, rem))));
	EMIT(ZKT_MUL(ZKT_MUL(fa, fol), ZKT_SUB(one, nxt[C_HDR])));
	/* the need: the qty from the header read on, less each read's */
	EMIT(ZKT_MUL(ZKT_MUL(amai, cur[C_HDR]), ZKT_SUB(nxt[C_NEED], qty)));
	EMIT(ZKT_MUL(ZKT_MUL(amai, lvl),
		     ZKT_MUL(nxt[C_FO], ZKT_SUB(nxt[C_NEED], need))));
	EMIT(ZKT_MUL(fx, ZKT_SUB(nxt[C_NEED],
				 ZKT_SUB(need, ZKT_MUL(rem, cnt)))));
	/* the level's worse link rides on its reads */
	EMIT(ZKT_MUL(ZKT_MUL(am, lvl),
		     ZKT_MUL(nxt[C_FO], ZKT_SUB(nxt[C_BSLOT], bef[10]))));
	/* the next read: the order's next, or the worse level */
	EMIT(ZKT_MUL(ZKT_MUL(fx, fnn), ZKT_SUB(bef[12], nil)));
	EMIT(ZKT_MUL(ZKT_MUL(fx, ZKT_SUB(one, fnn)),
		     ZKT_SUB(ZKT_MUL(ZKT_SUB(bef[12], nil), cur[C_WINV]), one)));
	{
		ZKT fo_next = ZKT_MUL(fx, ZKT_SUB(one, fnn));
		ZKT lv_next = ZKT_MUL(fx, fnn);

		EMIT(ZKT_MUL(fo_next, ZKT_SUB(one, nxt[C_FO])));
		EMIT(ZKT_MUL(fo_next, ZKT_SUB(nxt[C_MSG + 0],
					      ZKT_CONST(ZK_SLOT_ORDER))));
		EMIT(ZKT_MUL(fo_next, ZKT_SUB(nxt[C_MSG + 2], bef[12])));
		EMIT(ZKT_MUL(fo_next, ZKT_SUB(nxt[C_BSLOT], cur[C_BSLOT])));
		EMIT(ZKT_MUL(lv_next, ZKT_SUB(one, nxt[C_LVL])));
		EMIT(ZKT_MUL(lv_next, ZKT_SUB(nxt[C_MSG + 2], cur[C_BSLOT])));
		EMIT(ZKT_MUL(lv_next,
			     ZKT_SUB(ZKT_MUL(ZKT_SUB(cur[C_BSLOT], nil),
					     cur[C_HINV]),
				     one)));
	}
	/* FK: the level read after such a read, followed by a read of its
	 * head (FO), never by a maker read */
	EMIT(ZKT_MUL(nxt[C_LVL], ZKT_SUB(nxt[C_FK], fx)));
	EMIT(ZKT_MUL(fk, ZKT_SUB(one, lvl)));
	EMIT(ZKT_MUL(fk, ZKT_SUB(one, nxt[C_FO])));
#undef EMIT
	return k;
}

static unsigned ZKT_FN(clob_fill)(const struct zk_clob_air *c, const ZKT *cur,
				  const ZKT *nxt, ZKT *out, unsigned k,
				  int sem)
{
	const ZKT *op = cur + C_OPF;
	ZKT one = ZKT_CONST(1), zero = ZKT_ZERO, two32 = ZKT_CONST(1ull << 32);
	ZKT om = cur[C_OM], ed = cur[C_ED], em2 = cur[C_EM2];
	ZKT fm = cur[C_FM], more = cur[C_MORE], te = cur[C_TE];
	ZKT nsev = nxt[C_SEV], nacc = nxt[C_SACC];
	ZKT nfr = nxt[C_FR], nb3 = nxt[C_B3];
	ZKT emi = ZKT_ADD(cur[C_EMT], ZKT_MUL(cur[C_AM], cur[C_IW]));
	ZKT oxf = c->mp.stp == ZK_STP_CANCEL_OLDEST ? nxt[C_OX] : zero;
	ZKT so = cur[C_SO];
	ZKT last;

#define EMIT(e) (out[k++] = sem ? (e) : zero)
	out[k++] = ZKT_MUL(more, ZKT_SUB(more, one));
	/* the fill bus's selectors live on their row kinds (slot 2 of an
	 * access row, slot 1 of an event row), in every variant */
	out[k++] = ZKT_MUL(cur[C_ML], ZKT_SUB(one, cur[C_SACC]));
	out[k++] = ZKT_MUL(ed, ZKT_SUB(one, cur[C_SEV]));
	/* FJ: OM rows so far on the op's accesses, TRADE rows on its
	 * events (0 on its first access and on ACCEPTED) */
	/* (CANCEL_OLDEST: an OX removal and its maker's CANCELLED SO count
	 * as fills, clob_air_stp.h) */
	EMIT(ZKT_MUL(nacc, ZKT_SUB(ZKT_SUB(nxt[C_FJ],
					   ZKT_MUL(cur[C_SACC], cur[C_FJ])),
				   ZKT_ADD(nxt[C_OM], oxf))));
	EMIT(ZKT_MUL(nsev, ZKT_SUB(ZKT_SUB(nxt[C_FJ],
					   ZKT_MUL(cur[C_SEV], cur[C_FJ])),
				   ZKT_ADD(nxt[C_ED], nxt[C_SO]))));
	/* the taker's remaining: the op's qty before its first fill */
	/* (a move's: its new qty, clob_air_xmove.h) */
	EMIT(ZKT_MUL(ZKT_ADD(cur[C_KM], cur[C_QM]),
		     ZKT_SUB(nxt[C_TRLO], op[OPF_QTY])));
	EMIT(ZKT_MUL(ZKT_ADD(cur[C_KM], cur[C_QM]),
		     ZKT_SUB(nxt[C_TRHI], op[OPF_QTY + 1])));
	/* OM → MW: fill = the remaining before (¬FR); the remaining after
	 * = before − fill, exact u64 limbs (MW range-checks them) */
	EMIT(ZKT_MUL(ZKT_MUL(om, ZKT_SUB(one, nfr)),
		     ZKT_SUB(nxt[C_FLLO], cur[C_TRLO])));
	EMIT(ZKT_MUL(ZKT_MUL(om, ZKT_SUB(one, nfr)),
		     ZKT_SUB(nxt[C_FLHI], cur[C_TRHI])));
	EMIT(ZKT_MUL(om, ZKT_SUB(nxt[C_TRLO],
				 ZKT_ADD(ZKT_SUB(cur[C_TRLO], nxt[C_FLLO]),
					 ZKT_MUL(nb3, two32)))));
	EMIT(ZKT_MUL(om, ZKT_SUB(nxt[C_TRHI],
				 ZKT_SUB(ZKT_SUB(cur[C_TRHI], nxt[C_FLHI]),
					 nb3))));
	/* events: a TRADE follows ACCEPTED, or a TRADE (¬FM) or maker DONE
	 * whose MORE is set; TE where neither MORE nor a maker DONE comes */
	last = ZKT_ADD(ZKT_ADD(ZKT_SUB(ed, ZKT_MUL(ed, fm)), em2), so);
	EMIT(ZKT_MUL(nsev, ZKT_SUB(ZKT_ADD(nxt[C_ED], nxt[C_SO]),
				   ZKT_ADD(cur[C_ET], ZKT_MUL(more, last)))));
	EMIT(ZKT_SUB(te, ZKT_MUL(ZKT_SUB(one, more), last)));
	EMIT(ZKT_MUL(ZKT_MUL(em2, more), ZKT_SUB(one, nsev)));
	/* RST: the taker's remaining rests (a GTC whose last fill left it
	 * some): nothing after TE; else TE's end event follows */
	EMIT(ZKT_MUL(ZKT_ADD(ed, so), ZKT_SUB(cur[C_RST],
				 ZKT_MUL(ZKT_MUL(cur[C_FR], cur[C_GT]),
					 ZKT_SUB(ZKT_SUB(one, cur[C_SS]),
						 cur[C_BT])))));
	EMIT(ZKT_MUL(ZKT_MUL(te, ZKT_SUB(one, cur[C_RST])), ZKT_SUB(one, nsev)));
	EMIT(ZKT_MUL(ZKT_MUL(te, cur[C_RST]), nsev));
	/* GT rides from the emitter down the op's events */
	EMIT(ZKT_MUL(emi, ZKT_SUB(nxt[C_GT], cur[C_GT])));
	EMIT(ZKT_MUL(ZKT_MUL(cur[C_SEV], nsev), ZKT_SUB(nxt[C_GT], cur[C_GT])));
	/* a self-trade stop after fills (CANCEL_NEWEST: OS once FJ ≠ 0,
	 * an inverse; FJ = 0 is the stop at the first maker, E2): the
	 * ACCEPTED it emits carries ET, the TRADEs follow, and SS, riding
	 * down the events, makes the taker's end CANCELLED STP of the
	 * remaining, never a rest (RST) */
	out[k++] = ZKT_MUL(cur[C_OSF], ZKT_SUB(cur[C_OSF], one));
	EMIT(ZKT_MUL(cur[C_OSF], ZKT_SUB(one, cur[C_OS])));
	EMIT(ZKT_MUL(ZKT_MUL(cur[C_OS], ZKT_SUB(one, cur[C_OSF])), cur[C_FJ]));
	EMIT(ZKT_MUL(cur[C_OSF], ZKT_SUB(ZKT_MUL(cur[C_FJ], cur[C_HINV]), one)));
	EMIT(ZKT_MUL(emi, ZKT_SUB(nxt[C_SS], cur[C_OSF])));
	EMIT(ZKT_MUL(ZKT_MUL(cur[C_SEV], nsev), ZKT_SUB(nxt[C_SS], cur[C_SS])));
	/* a TRADE's taker remaining is the one its end reports */
	EMIT(ZKT_MUL(ed, ZKT_SUB(cur[C_TRLO], cur[C_EVF + EVF_REM])));
	EMIT(ZKT_MUL(ed, ZKT_SUB(cur[C_TRHI], cur[C_EVF + EVF_REM + 1])));
	k = ZKT_FN(clob_fok_fill)(c, cur, nxt, out, k, sem);
#undef EMIT
	return k;
}
