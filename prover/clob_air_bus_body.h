/* SPDX-License-Identifier: MIT */
/*
 * The CLOB AIR's LogUp bus terms and aux constraints, written once over
 * main values of either field (air_template.h): clob_air.c includes it
 * twice. The _ext instance is eval_aux (the verifier at the out-of-domain
 * point); the _base instance is eval_aux_base and build_aux's row terms,
 * which take the base-field main rows as they are: a tuple's fingerprint
 * is then three dot products with β's powers reduced once per limb
 * (fingerprint_base) and a selector times an F_p3 value three base
 * products, where the lifted rows cost a full F_p3 product for each. The
 * aux cells and challenges are in F_p3 in both. No include guard.
 */

/* clob_fingerprint: Σ β^i·t_i over a tuple given as (tag, then elements) */
#undef CLOB_XMUL
#if ZKT_EXT
/* f·s, f in F_p3, s a main value */
#define CLOB_XMUL(f, s) zk_ext_mul((s), (f))

static zk_ext clob_fingerprint_ext(const zk_ext *pow, const zk_ext *t,
				   unsigned n)
{
	zk_ext acc = zk_ext_zero();

	for (unsigned i = 0; i < n; i++)
		acc = zk_ext_add(acc, zk_ext_mul(pow[i], t[i]));
	return acc;
}
#else
#define CLOB_XMUL(f, s) zk_ext_mul_base((f), (s))

static zk_ext clob_fingerprint_base(const zk_ext *pow, const zk_gl *t,
				    unsigned n)
{
	return fingerprint_base(pow, t, n);
}
#endif

/* What turns fp(MK, l, i, old, new) into fp(MK, l, i, old, old) when
 * added: Σ β^(7+i)·(old_i − new_i). */
static zk_ext ZKT_FN(clob_new_is_old)(const zk_ext *pow, const ZKT *old,
				      const ZKT *new)
{
	ZKT d[ZK_ST_DIGEST_ELEMS];

	for (unsigned i = 0; i < ZK_ST_DIGEST_ELEMS; i++)
		d[i] = ZKT_SUB(old[i], new[i]);
	return ZKT_FN(clob_fingerprint)(pow + 7, d, ZK_ST_DIGEST_ELEMS);
}

/*
 * The bus terms of one row: term j is m[j]/(α - fp[j]). Selectors are
 * one-hot, so fp[j] = Σ sel·fp_sel and m[j] = Σ sel·m_sel (degree 2 and
 * 1 in the main columns).
 */
static void ZKT_FN(clob_row_terms)(const ZKT *cur, const ZKT *nxt,
				   const zk_ext *pow, int fills,
				   zk_ext fp[CLOB_N_TERMS],
				   zk_ext m[CLOB_N_TERMS])
{
	ZKT t[CLOB_TUPLE_MAX], one = ZKT_CONST(1);
	zk_ext f;
	unsigned i, j;

	for (j = 0; j < CLOB_N_TERMS; j++)
		fp[j] = m[j] = zk_ext_zero();

#define ADD_TERM(slot, sel, sign, n)                                           \
	do {                                                                   \
		f = ZKT_FN(clob_fingerprint)(pow, t, (n));                     \
		fp[slot] = zk_ext_add(fp[slot], CLOB_XMUL(f, (sel)));          \
		m[slot] = (sign) > 0 ? zk_ext_add(m[slot], ZKT_LIFT(sel)) :    \
				       zk_ext_sub(m[slot], ZKT_LIFT(sel));     \
	} while (0)

	/* op row: consumes (index, fields) from the public op bus */
	t[0] = ZKT_CONST(CLOB_TAG_OP);
	t[1] = ZKT_SUB(cur[C_NOPS], one);
	for (i = 0; i < CLOB_OP_ELEMS; i++)
		t[2 + i] = cur[C_OPF + i];
	ADD_TERM(0, cur[C_SOP], -1, 2 + CLOB_OP_ELEMS);
	/* event row */
	t[0] = ZKT_CONST(CLOB_TAG_EV);
	t[1] = ZKT_SUB(cur[C_NEVS], one);
	for (i = 0; i < CLOB_EV_ELEMS; i++)
		t[2 + i] = cur[C_EVF + i];
	ADD_TERM(0, cur[C_SEV], -1, 2 + CLOB_EV_ELEMS);
	/* access: read (addr, prev_ts, before), write (addr, ts, after) */
	t[0] = ZKT_CONST(CLOB_TAG_MEM);
	t[1] = cur[C_INDEX];
	t[2] = cur[C_PTS];
	for (i = 0; i < 16; i++)
		t[3 + i] = cur[C_MSG + i];
	ADD_TERM(0, cur[C_SACC], -1, 19);
	t[2] = cur[C_TS];
	for (i = 0; i < 16; i++)
		t[3 + i] = cur[C_AFT + i];
	ADD_TERM(1, cur[C_SACC], +1, 19);
	/* leaf A: memory init (addr, 0, old) */
	t[2] = ZKT_ZERO;
	for (i = 0; i < 16; i++)
		t[3 + i] = cur[C_MSG + i];
	ADD_TERM(1, cur[C_SLEAF], +1, 19);
	/* leaf B: memory final (addr, fts, new); an unchanged leaf's own
	 * row (UL) holds it in slot 3, free off node rows */
	t[2] = cur[C_FTS];
	ADD_TERM(0, cur[C_SLB], -1, 19);
	ADD_TERM(3, cur[C_UL], -1, 19);
	/* leaf A and node A: Merkle production (level, index, old, new),
	 * new from the B row; an unchanged row (UL, UN) stands for both:
	 * fp is linear in the tuple, so its new := old is the term
	 * (UL + UN)·Σ β^(7+i)·(old_i − next row's_i), degree 2 as before */
	t[0] = ZKT_CONST(CLOB_TAG_MK);
	t[1] = ZKT_ZERO;
	t[2] = cur[C_INDEX];
	for (i = 0; i < 4; i++) {
		t[3 + i] = cur[C_DIG + i];
		t[7 + i] = nxt[C_DIG + i];
	}
	ADD_TERM(0, cur[C_SLEAF], +1, 11);
	t[1] = cur[C_LEVEL];
	ADD_TERM(0, cur[C_SNODE], +1, 11);
	fp[0] = zk_ext_add(fp[0],
			   CLOB_XMUL(ZKT_FN(clob_new_is_old)(pow, cur + C_DIG,
							     nxt + C_DIG),
				     ZKT_ADD(cur[C_UL], cur[C_UN])));
	/* node A: consumes its touched children (level-1, 4·index + j,
	 * ...); TCH_j is zero off node A rows */
	for (j = 0; j < 4; j++) {
		t[1] = ZKT_SUB(cur[C_LEVEL], one);
		t[2] = ZKT_ADD(ZKT_MUL_CONST(cur[C_INDEX], 4), ZKT_CONST(j));
		for (i = 0; i < 4; i++) {
			t[3 + i] = cur[C_MSG + 4 * j + i];
			t[7 + i] = nxt[C_MSG + 4 * j + i];
		}
		f = zk_ext_add(CLOB_XMUL(ZKT_FN(clob_fingerprint)(pow, t, 11),
					 cur[C_SNODE]),
			       CLOB_XMUL(ZKT_FN(clob_new_is_old)(pow,
						cur + C_MSG + 4 * j,
						nxt + C_MSG + 4 * j),
					 cur[C_UN]));
		fp[1 + j] = zk_ext_add(fp[1 + j], f);
		m[1 + j] = zk_ext_sub(m[1 + j], ZKT_LIFT(cur[C_TCH + j]));
	}
	/* the root of a batch that touches no slot */
	t[1] = cur[C_LEVEL];
	t[2] = cur[C_INDEX];
	for (i = 0; i < 4; i++)
		t[3 + i] = t[7 + i] = cur[C_AFT + i];
	ADD_TERM(0, cur[C_SSIB], +1, 11);
	/* the fill bus (clob_air_fill.h; not in the machinery variant,
	 * whose rows need not be a match's): a maker's level write
	 * produces its fill, the op's TRADE with the same count consumes
	 * it; slot 2 is free on access rows, slot 1 on event rows */
	if (fills) {
		static const unsigned ml[] = { C_MKLO, C_MKHI, C_XPLO,
					       C_XPHI, C_FLLO, C_FLHI,
					       C_TRLO, C_TRHI, C_MRLO,
					       C_MRHI };

		t[0] = ZKT_CONST(CLOB_TAG_FILL);
		t[1] = cur[C_NOPS];
		t[2] = cur[C_FJ];
		for (i = 0; i < 10; i++)
			t[3 + i] = cur[ml[i]];
		t[13] = cur[C_FM];
		t[14] = cur[C_FR];
		ADD_TERM(2, cur[C_ML], +1, 15);
		for (i = 0; i < 10; i++)
			t[3 + i] = cur[C_EVF + EVF_OTHER + i];
		ADD_TERM(1, cur[C_ED], -1, 15);
	}
	/* CANCEL_OLDEST (clob_air_stp.h): a self-trade read OX produces
	 * the maker it removes, the maker's CANCELLED STP (SO) with the
	 * same count consumes it */
	if (fills & 2) {
		static const unsigned ox[] = { C_MKLO, C_MKHI, C_XPLO, C_XPHI,
					       C_REMLO, C_REMHI };
		static const unsigned so[] = { EVF_OID, EVF_OID + 1,
					       EVF_PRICE, EVF_PRICE + 1,
					       EVF_QTY, EVF_QTY + 1 };

		t[0] = ZKT_CONST(CLOB_TAG_STP);
		t[1] = cur[C_NOPS];
		t[2] = cur[C_FJ];
		for (i = 0; i < 6; i++)
			t[3 + i] = cur[ox[i]];
		t[9] = cur[C_TRLO];
		t[10] = cur[C_TRHI];
		ADD_TERM(2, cur[C_OX], +1, 11);
		for (i = 0; i < 6; i++)
			t[3 + i] = cur[C_EVF + so[i]];
		ADD_TERM(1, cur[C_SO], -1, 11);
	}
#undef ADD_TERM
}


static void ZKT_FN(clob_eval_aux)(const void *ctx, const ZKT *main_cur,
				  const ZKT *main_nxt, const zk_ext *aux_cur,
				  const zk_ext *aux_nxt, const ZKT *periodic,
				  const zk_ext *rand, zk_ext *out)
{
	zk_ext fp[CLOB_N_TERMS], m[CLOB_N_TERMS];
	zk_ext sum = aux_cur[CLOB_N_TERMS];
	const struct zk_clob_air *c = ctx;

	(void)periodic;
	ZKT_FN(clob_row_terms)(main_cur, main_nxt, beta_powers_cached(rand),
			       bus_flags(c), fp, m);
	for (unsigned j = 0; j < CLOB_N_TERMS; j++) {
		out[j] = zk_ext_sub(zk_ext_mul(aux_cur[j],
					       zk_ext_sub(rand[0], fp[j])),
				    m[j]);
		sum = zk_ext_add(sum, aux_cur[j]);
	}
	out[CLOB_N_TERMS] = zk_ext_sub(aux_nxt[CLOB_N_TERMS], sum);
}
