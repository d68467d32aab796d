/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR event checks (part of clob_air_body.h, included from it, no
 * include guard): what a role expects of an event row, as one array of the
 * CLOB_EV_ELEMS elements (EVF_*, clob_air.h), and the constraints that ask
 * for it.
 *
 * Spec
 *  - clob_ev_own() fills the prefix every event of the op itself shares:
 *    its seq, market and id, the given type and side, every other element
 *    0; a role then overrides its few fields (clob_ev_pair for a field of
 *    two limbs). clob_ev_accepted() is engine apply_new's ACCEPTED.
 *  - clob_ev_blend() picks, element by element, exp where the flag is 0
 *    and alt where it is 1 (exp + flag·(alt − exp)).
 *  - clob_ev_check() emits sel[r]·(ev[i] − exp[r][i]) for each element i in
 *    order and, within an element, for each role r in order, leaving out
 *    the elements whose bit is set in skip (checked by the caller). One
 *    constraint per element and role, in that order: the AIR's constraint
 *    list is fixed by it.
 */

#define CLOB_EV_BIT(i) (1u << (i))

static inline void ZKT_FN(clob_ev_pair)(ZKT *exp, unsigned at, ZKT lo, ZKT hi)
{
	exp[at] = lo;
	exp[at + 1] = hi;
}

static inline void ZKT_FN(clob_ev_own)(const ZKT *op, unsigned type, ZKT side,
				       ZKT *exp)
{
	unsigned i;

	for (i = 0; i < CLOB_EV_ELEMS; i++)
		exp[i] = ZKT_ZERO;
	ZKT_FN(clob_ev_pair)(exp, EVF_SEQ, op[OPF_SEQ], op[OPF_SEQ + 1]);
	exp[EVF_MARKET] = op[OPF_MARKET];
	exp[EVF_TYPE] = ZKT_CONST(type);
	exp[EVF_SIDE] = side;
	ZKT_FN(clob_ev_pair)(exp, EVF_OID, op[OPF_OID], op[OPF_OID + 1]);
}

static inline void ZKT_FN(clob_ev_accepted)(const ZKT *op, ZKT side, ZKT *exp)
{
	ZKT_FN(clob_ev_own)(op, ZK_EV_ACCEPTED, side, exp);
	ZKT_FN(clob_ev_pair)(exp, EVF_PRICE, op[OPF_PRICE], op[OPF_PRICE + 1]);
	ZKT_FN(clob_ev_pair)(exp, EVF_QTY, op[OPF_QTY], op[OPF_QTY + 1]);
	ZKT_FN(clob_ev_pair)(exp, EVF_REM, op[OPF_QTY], op[OPF_QTY + 1]);
}

static inline void ZKT_FN(clob_ev_blend)(ZKT *exp, ZKT flag, const ZKT *alt)
{
	unsigned i;

	for (i = 0; i < CLOB_EV_ELEMS; i++)
		exp[i] = ZKT_ADD(exp[i],
				 ZKT_MUL(flag, ZKT_SUB(alt[i], exp[i])));
}

static inline unsigned ZKT_FN(clob_ev_check)(ZKT *out, unsigned k, int sem,
					     const ZKT *ev, unsigned roles,
					     const ZKT *sel,
					     ZKT (*exp)[CLOB_EV_ELEMS],
					     uint32_t skip)
{
	unsigned i, r;

	for (i = 0; i < CLOB_EV_ELEMS; i++) {
		if (skip & CLOB_EV_BIT(i))
			continue;
		for (r = 0; r < roles; r++)
			out[k++] = sem ? ZKT_MUL(sel[r], ZKT_SUB(ev[i],
								 exp[r][i])) :
					 ZKT_ZERO;
	}
	return k;
}
