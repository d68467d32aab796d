/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR state-tree and memory rules (part of clob_air_body.h, included
 * from it, no include guard): leaf position and kind, pristine values
 * (canonical roots), the access timestamps of the memory argument, and
 * the node rows' children: a child on a touched path (TCH_j) comes from
 * the tree bus, any other child has no row of its own and keeps its
 * digest from the node A row (the old root authenticates it) to the node
 * B row (the new root reuses it). A leaf or node the batch left unchanged
 * (UL, UN) is one A row that stands for old and new alike.
 */

/* Node rows' touched flags, the unchanged rows' flags, the root-only SIB
 * row (docs/proof.md §3). */
static unsigned ZKT_FN(clob_tree_nodes)(const struct zk_clob_air *c,
					const ZKT *cur, const ZKT *nxt,
					ZKT *out, unsigned k)
{
	ZKT one = ZKT_CONST(1), sn = cur[C_SNODE];
	ZKT ul = cur[C_UL], un = cur[C_UN];
	unsigned i, j;

	/* unchanged rows: flags on A rows only (the bus term's multiplicity) */
	out[k++] = ZKT_MUL(ul, ZKT_SUB(ul, one));
	out[k++] = ZKT_MUL(ul, ZKT_SUB(one, cur[C_SLEAF]));
	out[k++] = ZKT_MUL(un, ZKT_SUB(un, one));
	out[k++] = ZKT_MUL(un, ZKT_SUB(one, sn));
	for (j = 0; j < 4; j++) {
		ZKT t = cur[C_TCH + j];
		ZKT keep = ZKT_MUL(ZKT_SUB(sn, un), ZKT_SUB(one, t));

		out[k++] = ZKT_MUL(t, ZKT_SUB(t, one));
		/* the bus multiplicity is TCH itself: zero off node A rows */
		out[k++] = ZKT_MUL(t, ZKT_SUB(one, sn));
		for (i = 0; i < ZK_ST_DIGEST_ELEMS; i++)
			out[k++] = ZKT_MUL(keep,
					   ZKT_SUB(nxt[C_MSG + 4 * j + i],
						   cur[C_MSG + 4 * j + i]));
	}
	/* a SIB row can only be the root the statement consumes */
	out[k++] = ZKT_MUL(cur[C_SSIB],
			   ZKT_SUB(cur[C_LEVEL], ZKT_CONST(c->lay.depth)));
	return k;
}

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

static unsigned ZKT_FN(clob_tree_mem)(const struct zk_clob_air *c,
				      const ZKT *cur, const ZKT *nxt, ZKT *out,
				      unsigned k)
{
	ZKT one = ZKT_CONST(1);
	ZKT sum, sl, t, acc;
	unsigned i, j;

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
	return ZKT_FN(clob_tree_nodes)(c, cur, nxt, out, k);
}
