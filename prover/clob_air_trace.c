/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR trace builder: lays out the batch's ops, events and engine
 * accesses, then the tree update record (touched leaves, touched nodes;
 * their untouched children ride in the node rows), and fills the Poseidon2 witness of every row. It re-runs no
 * matching: every value comes from the engine's witness log and the state
 * tree's update record. The op and event rows: clob_air_trace_op.c; each
 * kind's access witnesses: clob_air_trace_{write,rest,match,...}.c.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clob_air_trace_int.h"

#define MAX_THREADS 64

static void set_err(char *err, size_t errlen, const char *msg)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s", msg);
}

/*
 * The role of an access of a full cancel after its probes and order read
 * (clob_air_cancel.h), from the engine's access order; 0 for the probes
 * and the order read, which take the reject paths.
 */
static unsigned cancel_role(struct builder *b, size_t r,
			    const struct zk_witness_access *a,
			    const struct zk_witness_access *next)
{
	switch (a->kind) {
	case ZK_SLOT_ORDER:
		if (!a->write)
			return b->ord_row != 0 && b->ord_row + 1 == r ? C_OR2 :
									0;
		if (b->lw_row != 0)
			return C_OF;
		return b->ord_row != 0 &&
			       a->slot == b->cols[C_MSG + 11][b->ord_row] ?
			       C_PW : C_NW;
	case ZK_SLOT_LEVEL:
		if (!a->write)
			return 0;
		if (b->lw_row == 0) {
			b->lw_row = r;
			return C_LW;
		}
		/* level_free: the neighbours by the links LW saw, then the
		 * level itself */
		if (a->slot == b->cols[C_MSG + 9][b->lw_row])
			return C_LB;
		return a->slot == b->cols[C_MSG + 10][b->lw_row] ? C_LWO :
								   C_LF;
	case ZK_SLOT_BUCKET:
		if (b->lw_row == 0)
			return 0;
		b->seen_erase = 1;
		if (!a->write)
			return C_ES;
		return next != NULL && next->kind == ZK_SLOT_BUCKET &&
				       !next->write ?
			       C_EM : C_EF;
	default:
		if (!a->write)
			return 0;
		return b->seen_erase ? C_HW : C_HL;
	}
}

/*
 * The role of an access of a resting NEW (clob_air_rest.h) from the
 * engine's access order and the row before it; 0 for the id's probes.
 */
static unsigned rest_role(struct builder *b, size_t r,
			  const struct zk_witness_access *a)
{
	zk_gl *const *cl = b->cols;
	size_t p = r - 1;

	switch (a->kind) {
	case ZK_SLOT_BUCKET:
		if (a->write)
			return C_IW;
		return cl[C_LT][p] || cl[C_IP][p] ? C_IP : 0;
	case ZK_SLOT_HEADER:
		if (!a->write)
			return C_HN;
		return cl[C_ORS][p] ? C_HO : C_HC;
	case ZK_SLOT_LEVEL:
		if (a->write) {
			if (cl[C_HC][p]) {
				b->ln_row = r;
				return C_LN;
			}
			if (cl[C_OWN][p] || cl[C_TW][p])
				return C_LT;
			return b->ln_row != 0 &&
				       a->slot == cl[C_AFT + 9][b->ln_row] ?
				       C_LBW : C_LWB;
		}
		if (cl[C_HN][p]) {
			zk_gl bo = cl[C_RSIDE][r] == ZK_SIDE_BUY ?
					   cl[C_MSG + 4][p] : cl[C_MSG + 3][p];

			if (bo != CLOB_NIL && a->slot == bo)
				return C_LVN;
		}
		return cl[C_HO][p] || cl[C_LC][p] ? C_LC : C_LX;
	default:
		if (!a->write)
			return C_ORS;
		return cl[C_OWN][p] ? C_TW : C_OWN;
	}
}

static int acc_row(struct builder *b, const struct zk_witness_access *a,
		   const struct zk_witness_access *next, size_t op_row_at)
{
	unsigned role = 0;
	const struct zk_st_layout *lay = &b->c->lay;
	zk_gl before[ZK_ST_LEAF_ELEMS], after[ZK_ST_LEAF_ELEMS];
	uint64_t index, d;
	long li;
	size_t r;

	if (zk_st_leaf_index(lay, a->kind, a->slot, &index) != 0 ||
	    zk_st_encode(lay, a->kind, a->slot, &a->before, before) != 0 ||
	    zk_st_encode(lay, a->kind, a->slot, &a->after, after) != 0)
		return -1;
	li = zk_st_update_find_leaf(b->u, index);
	if (li < 0)
		return -1;
	b->ts++;
	r = new_row(b);
	b->cols[C_SACC][r] = 1;
	b->cols[C_INDEX][r] = index;
	b->cols[C_PTS][r] = b->last_ts[li];
	d = b->ts - b->last_ts[li] - 1;
	for (unsigned j = 0; j < CLOB_TS_BITS; j++)
		b->cols[C_DBITS + j][r] = (d >> j) & 1;
	for (unsigned i = 0; i < ZK_ST_LEAF_ELEMS; i++) {
		b->cols[C_MSG + i][r] = before[i];
		b->cols[C_AFT + i][r] = after[i];
	}
	b->last_ts[li] = b->ts;
	/* the op's fields ride along; probe witnesses for bucket reads */
	for (unsigned i = 0; i < CLOB_OP_ELEMS; i++)
		b->cols[C_OPF + i][r] = b->cols[C_OPF + i][op_row_at];
	b->cols[C_IS3][r] = b->cols[C_IS3][op_row_at];
	{
		zk_gl red = zk_gl_add(zk_gl_add(b->cols[C_RBL][op_row_at],
						b->cols[C_RBR][op_row_at]),
				      zk_gl_add(b->cols[C_KR][op_row_at],
						b->cols[C_KC][op_row_at]));
		zk_gl ro = b->cols[C_RO][op_row_at];
		zk_gl qk = zk_gl_add(zk_gl_add(b->cols[C_QK][op_row_at],
					       b->cols[C_QM][op_row_at]),
				     b->cols[C_QF][op_row_at]);
		zk_gl qp = zk_gl_add(zk_gl_add(b->cols[C_QV][op_row_at],
					       b->cols[C_QD][op_row_at]), qk);

		red = zk_gl_add(red, qp);

		b->cols[C_PRES][r] = zk_gl_add(zk_gl_add(ro, red),
					       b->cols[C_RD][op_row_at]);
		b->cols[C_CRO][r] = zk_gl_add(ro, red);
		b->cols[C_OWNEQ][r] = red;
		b->cols[C_RSN][r] = zk_clob_trace_probe_reason(b, op_row_at);
		b->cols[C_AQ][r] = zk_gl_add(b->cols[C_QD][op_row_at], qk);
		b->cols[C_AK][r] = b->cols[C_QK][op_row_at];
		b->cols[C_AV][r] = b->cols[C_QM][op_row_at];
		b->cols[C_AQF][r] = b->cols[C_QF][op_row_at];
		b->cols[C_AW][r] = b->cols[C_RW][op_row_at];
		b->cols[C_AF][r] = b->cols[C_RF][op_row_at];
		b->cols[C_AR][r] = b->cols[C_KR][op_row_at];
		b->cols[C_AC][r] = b->cols[C_KC][op_row_at];
		b->cols[C_AN][r] = b->cols[C_KN][op_row_at];
		b->cols[C_AI][r] = b->cols[C_KI][op_row_at];
		b->cols[C_AM][r] = b->cols[C_KM][op_row_at];
		/* a move that trades: the matching NEW's rows after its
		 * removal, with the order's side and stp group as a GTC
		 * limit (clob_air_xmove.h) */
		if (b->xmove && b->cols[C_AV][r] && b->ord_row != 0 &&
		    b->xs_row == 0 && b->cols[C_HW][r - 1] &&
		    a->kind == ZK_SLOT_HEADER && !a->write) {
			b->xs_row = r;
			b->cols[C_XS][r] = 1;
		}
		if (b->xs_row != 0) {
			b->cols[C_AM][r] = 1;
			b->cols[C_XM][r] = 1;
			b->cols[C_OPF + OPF_SIDE][r] =
				b->cols[C_MSG + 15][b->ord_row];
			b->cols[C_OPF + OPF_STP][r] =
				b->cols[C_MSG + 14][b->ord_row];
			b->cols[C_OPF + OPF_ORD][r] = ZK_ORD_LIMIT;
			b->cols[C_OPF + OPF_TIF][r] = ZK_TIF_GTC;
		}
		/* what rests: a taker's side and stp group, or (a move)
		 * the order read's */
		if (b->cols[C_AN][r] || b->cols[C_AI][r] || b->cols[C_AM][r]) {
			b->cols[C_RSIDE][r] = b->cols[C_OPF + OPF_SIDE][r];
			b->cols[C_RSTP][r] = b->cols[C_OPF + OPF_STP][r];
		} else if (b->cols[C_AV][r] && b->ord_row != 0) {
			b->cols[C_RSIDE][r] = b->cols[C_MSG + 15][b->ord_row];
			b->cols[C_RSTP][r] = b->cols[C_MSG + 14][b->ord_row];
		}
	}
	/* write roles: their witnesses come once the op's rows are laid out
	 * (zk_clob_write_witness) */
	if (b->cols[C_AR][r] && a->write)
		role = a->kind == ZK_SLOT_ORDER ? C_OW : C_LW;
	else if (b->cols[C_AC][r])
		role = cancel_role(b, r, a, next);
	else if (b->cols[C_AI][r]) {
		role = zk_clob_fok_role((const zk_gl *const *)b->cols, r, a,
					next);
		if (role == CLOB_ROLE_REST)
			role = rest_role(b, r, a);
	} else if (b->cols[C_AN][r])
		role = rest_role(b, r, a);
	else if (b->cols[C_AM][r]) {
		role = zk_clob_match_role((const zk_gl *const *)b->cols,
					  op_row_at, r, a, next);
		if (role == CLOB_ROLE_REST)
			role = rest_role(b, r, a);
	} else if (b->cols[C_AV][r] && b->ord_row != 0) {
		role = zk_clob_move_role((const zk_gl *const *)b->cols,
					 op_row_at, r, a, next);
		if (role != C_NP && role != C_LO && role != C_HS &&
		    role != C_LK)
			b->cols[C_AC][r] = 1;
		if (role == CLOB_ROLE_REST)
			role = rest_role(b, r, a);
		else if (role == CLOB_ROLE_CANCEL)
			role = cancel_role(b, r, a, next);
	} else if (b->cols[C_AQF][r] && b->ord_row != 0)
		role = zk_clob_full_replace_role(
			b->cols, r, a, b->cols[C_MSG + 15][b->ord_row]);
	else if (b->cols[C_AQ][r] && b->ord_row != 0)
		role = zk_clob_replace_role((const zk_gl *const *)b->cols, r,
					    a);
	else if (b->cols[C_AF][r])
		role = zk_clob_full_role(b->cols, r, a,
					 b->cols[C_OPF + OPF_SIDE][r]);
	if (role != 0) {
		b->cols[role][r] = 1;
		if (role == C_ES)
			b->cols[C_BSLOT][r] = a->slot;
	} else if (a->kind == ZK_SLOT_HEADER) {
		/* the best opposite level: best_ask for BUY, best_bid else */
		zk_gl bo = b->cols[C_OPF + OPF_SIDE][r] == ZK_SIDE_BUY ?
				   before[4] : before[3];

		b->cols[C_HDR][r] = 1;
		b->cols[C_BSLOT][r] = bo;
		b->cols[C_J3][r] = inv_or_zero(zk_gl_sub(bo, CLOB_NIL));
	} else if (a->kind == ZK_SLOT_LEVEL) {
		/* the crossing gap, as an integer when the level crosses */
		int64_t price = b->cols[C_OPF + OPF_PRICE][r] |
				b->cols[C_OPF + OPF_PRICE + 1][r] << 32;
		int64_t lp = (int64_t)(before[3] | before[4] << 32);
		int64_t d = b->cols[C_OPF + OPF_SIDE][r] == ZK_SIDE_BUY ?
				    price - lp : lp - price;

		b->cols[C_LVL][r] = 1;
		set_reg(b, r, 0, before[4] << 32);
		set_reg(b, r, 1, (uint64_t)d);
	}
	else if (a->kind == ZK_SLOT_ORDER) {
		zk_gl dlo = zk_gl_sub(before[5], b->cols[C_OPF + OPF_ACCT][r]);
		zk_gl dhi = zk_gl_sub(before[6],
				      b->cols[C_OPF + OPF_ACCT + 1][r]);

		b->cols[C_ORD][r] = 1;
		b->ord_row = r;
		if (dlo != 0)
			b->cols[C_J1][r] = inv_or_zero(dlo);
		else
			b->cols[C_J2][r] = inv_or_zero(dhi);
	} else if (a->kind == ZK_SLOT_BUCKET) {
		zk_gl last = lay->count[ZK_SLOT_BUCKET] - 1;
		zk_gl dlo = zk_gl_sub(before[3], b->cols[C_OPF + OPF_OID][r]);
		zk_gl dhi = zk_gl_sub(before[4], b->cols[C_OPF + OPF_OID + 1][r]);

		b->cols[C_BSLOT][r] = a->slot;
		b->cols[C_WRAP][r] = a->slot == last;
		b->cols[C_WINV][r] = inv_or_zero(zk_gl_sub(a->slot, last));
		b->cols[C_J3][r] = inv_or_zero(zk_gl_sub(before[5], CLOB_NIL));
		if (dlo != 0)
			b->cols[C_J1][r] = inv_or_zero(dlo);
		else
			b->cols[C_J2][r] = inv_or_zero(dhi);
	}
	return 0;
}

/* The batch left the slot's value as it was: one leaf row (UL). */
static int leaf_unchanged(const struct zk_st_leaf_rec *lf)
{
	return memcmp(&lf->before, &lf->after, sizeof(lf->before)) == 0;
}

/* Every touched child kept its digest, so the node did: one row (UN). */
static int node_unchanged(const struct zk_st_update *u,
			  const struct zk_st_node_rec *nd)
{
	for (unsigned j = 0; j < 4; j++) {
		const struct zk_st_node_rec *ch;

		if (nd->child[j] >= u->n_nodes)
			return 0;
		ch = &u->nodes[nd->child[j]];
		if (memcmp(ch->old_hash, ch->new_hash, sizeof(ch->old_hash)))
			return 0;
	}
	return 1;
}

static int leaf_rows(struct builder *b, size_t li)
{
	const struct zk_st_layout *lay = &b->c->lay;
	const struct zk_st_leaf_rec *lf = &b->u->leaves[li];
	const union zk_slot_value *v[2] = { &lf->before, &lf->after };
	zk_gl enc[ZK_ST_LEAF_ELEMS], penc[ZK_ST_LEAF_ELEMS];
	zk_gl last = lay->count[lf->kind] - 1;
	union zk_slot_value pristine;

	unsigned rows = leaf_unchanged(lf) ? 1 : 2;

	zk_clob_pristine_value(lay, lf->kind, lf->slot, &pristine);
	for (unsigned h = 0; h < rows; h++) {
		size_t r = new_row(b);

		if (zk_st_encode(lay, lf->kind, lf->slot, v[h], enc) != 0)
			return -1;
		b->cols[h == 0 ? C_SLEAF : C_SLB][r] = 1;
		b->cols[C_UL][r] = rows == 1;
		b->cols[C_CAPL][r] = 1;
		b->cols[C_INDEX][r] = lf->index;
		b->cols[C_KO + lf->kind - 1][r] = 1;
		b->cols[C_SLOT][r] = lf->slot;
		for (unsigned j = 0; j < CLOB_SLOT_BITS; j++)
			b->cols[C_SBITS + j][r] = (lf->slot >> j) & 1;
		b->cols[C_ISLAST][r] = lf->slot == last;
		b->cols[C_INVL][r] = inv_or_zero(zk_gl_sub(lf->slot, last));
		b->cols[C_NXT][r] = lf->slot == last ? CLOB_NIL : lf->slot + 1;
		b->cols[C_PRIST][r] =
			zk_st_is_pristine(lay, lf->kind, lf->slot, v[h]);
		b->cols[C_FTS][r] = b->last_ts[li];
		for (unsigned i = 0; i < ZK_ST_LEAF_ELEMS; i++)
			b->cols[C_MSG + i][r] = enc[i];
		if (!b->cols[C_PRIST][r] &&
		    zk_st_encode(lay, lf->kind, lf->slot, &pristine, penc) == 0)
			for (unsigned i = 3; i < ZK_ST_LEAF_ELEMS; i++) {
				zk_gl d = zk_gl_sub(enc[i], penc[i]);

				if (d != 0) {
					b->cols[C_DSEL + i - 3][r] = 1;
					b->cols[C_DIFF][r] = d;
					b->cols[C_DINV][r] = inv_or_zero(d);
					break;
				}
			}
	}
	return 0;
}

static int node_rows(struct builder *b, const struct zk_st_node_rec *nd)
{
	unsigned rows = node_unchanged(b->u, nd) ? 1 : 2;

	for (unsigned h = 0; h < rows; h++) {
		size_t r = new_row(b);

		b->cols[h == 0 ? C_SNODE : C_SNB][r] = 1;
		b->cols[C_UN][r] = rows == 1;
		b->cols[C_LEVEL][r] = nd->level;
		b->cols[C_INDEX][r] = nd->index;
		for (unsigned j = 0; j < 4; j++) {
			const struct zk_st_node_rec *ch;

			if (nd->child[j] >= b->u->n_nodes)
				return -1;
			ch = &b->u->nodes[nd->child[j]];
			if (h == 0)
				b->cols[C_TCH + j][r] = ch->touched != 0;
			for (unsigned i = 0; i < ZK_ST_DIGEST_ELEMS; i++)
				b->cols[C_MSG + 4 * j + i][r] =
					h == 0 ? ch->old_hash[i] : ch->new_hash[i];
		}
	}
	return 0;
}

/* The root of a batch that touches no slot: old == new. */
static void root_row(struct builder *b, uint32_t level, const zk_gl *hash)
{
	size_t r = new_row(b);

	b->cols[C_SSIB][r] = 1;
	b->cols[C_LEVEL][r] = level;
	for (unsigned i = 0; i < ZK_ST_DIGEST_ELEMS; i++)
		b->cols[C_AFT + i][r] = hash[i];
}

struct fill_job {
	zk_gl **cols;
	size_t begin, end;
};

static void *fill_rows(void *arg)
{
	const struct fill_job *job = arg;

	for (size_t r = job->begin; r < job->end; r++)
		if (job->cols[C_SLEAF][r] || job->cols[C_SLB][r] ||
		    job->cols[C_SNODE][r] || job->cols[C_SNB][r])
			zk_clob_fill_hash(job->cols, r);
	return NULL;
}

static void fill_all(zk_gl **cols, size_t n, unsigned threads)
{
	struct fill_job jobs[MAX_THREADS];
	pthread_t tid[MAX_THREADS];
	int started[MAX_THREADS] = { 0 };
	unsigned t;

	if (threads == 0)
		threads = 1;
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	for (t = 0; t < threads; t++) {
		jobs[t].cols = cols;
		jobs[t].begin = n * t / threads;
		jobs[t].end = n * (t + 1) / threads;
	}
	for (t = 1; t < threads; t++)
		started[t] = pthread_create(&tid[t], NULL, fill_rows,
					    &jobs[t]) == 0;
	fill_rows(&jobs[0]);
	for (t = 1; t < threads; t++) {
		if (started[t])
			pthread_join(tid[t], NULL);
		else
			fill_rows(&jobs[t]);
	}
}

void zk_clob_trace_free(zk_gl **cols)
{
	if (cols != NULL)
		free(cols[0]);
	free(cols);
}

/* Rows the layout needs, before padding. */
static size_t rows_needed(const struct zk_clob_air *c, const struct zk_batch *bt,
			  const struct zk_st_update *u)
{
	size_t rows = 2 + bt->n_ops + bt->events.len + bt->witness.len +
		      (u->n_leaves == 0);

	(void)c;
	for (size_t i = 0; i < u->n_leaves; i++)
		rows += leaf_unchanged(&u->leaves[i]) ? 1 : 2;
	for (size_t i = 0; i < u->n_nodes; i++)
		if (u->nodes[i].touched && u->nodes[i].level > 0)
			rows += node_unchanged(u, &u->nodes[i]) ? 1 : 2;
	return rows;
}

int zk_clob_trace_build(const struct zk_clob_air *c, const struct zk_batch *bt,
			const struct zk_st_update *u, unsigned threads,
			zk_gl ***cols_out, unsigned *log_n, char *err,
			size_t errlen)
{
	struct builder b = { .c = c, .u = u };
	size_t rows = rows_needed(c, bt, u), n = 8, i, ev = 0, acc = 0;
	unsigned lg = 3;
	zk_gl *block;

	while (n < rows) {
		n <<= 1;
		lg++;
	}
	if (lg > ZK_AIR_MAX_LOG_N || rows >= ((size_t)1 << CLOB_TS_BITS)) {
		set_err(err, errlen, "clob trace: batch too large for one proof");
		return -1;
	}
	b.cols = calloc(CLOB_WIDTH, sizeof(*b.cols));
	block = calloc(n * CLOB_WIDTH, sizeof(zk_gl));
	b.last_ts = calloc(u->n_leaves + 1, sizeof(uint64_t));
	if (b.cols == NULL || block == NULL || b.last_ts == NULL) {
		free(b.cols);
		free(block);
		free(b.last_ts);
		set_err(err, errlen, "clob trace: out of memory");
		return -1;
	}
	for (unsigned cidx = 0; cidx < CLOB_WIDTH; cidx++)
		b.cols[cidx] = block + (size_t)cidx * n;

	new_row(&b); /* row 0: padding */
	for (i = 0; i < bt->n_ops; i++) {
		size_t ev_end = ev, at = b.row;

		while (ev_end < bt->events.len &&
		       bt->events.ev[ev_end].seq == bt->ops[i].seq)
			ev_end++;
		zk_clob_trace_op_row(&b, &bt->ops[i], bt->events.ev + ev,
				     ev_end - ev);
		b.ord_row = 0;
		b.lw_row = 0;
		b.seen_erase = 0;
		b.ln_row = 0;
		b.xs_row = 0;
		b.xmove = 0;
		/* a move with events after its REPLACED trades or meets its
		 * own order (clob_air_xmove.h, clob_air_xstp.h) */
		if (bt->ops[i].type == ZK_OP_REPLACE && ev_end > ev + 1)
			b.xmove = bt->events.ev[ev].type == ZK_EV_REPLACED &&
				  bt->events.ev[ev].reason == 0;
		for (; acc < bt->witness.len && bt->witness.acc[acc].op == i;
		     acc++) {
			const struct zk_witness_access *nx =
				acc + 1 < bt->witness.len &&
						bt->witness.acc[acc + 1].op == i ?
					&bt->witness.acc[acc + 1] :
					NULL;

			if (bt->witness.acc[acc].market != c->lay.market)
				continue;
			if (acc_row(&b, &bt->witness.acc[acc], nx, at) != 0) {
				set_err(err, errlen,
					"clob trace: an access is not in the "
					"tree update record");
				goto fail;
			}
		}
		/* the order read's remaining, back to the op's rows */
		size_t ord_at = b.row;

		for (size_t rr = at + 1; rr < b.row; rr++)
			if (b.cols[C_ORD][rr])
				ord_at = rr;
		if (ord_at < b.row) {
			zk_gl lo = b.cols[C_MSG + 9][ord_at];
			zk_gl hi = b.cols[C_MSG + 10][ord_at];

			for (size_t rr = at; rr < b.row; rr++) {
				b.cols[C_REMLO][rr] = lo;
				b.cols[C_REMHI][rr] = hi;
			}
			if (b.cols[C_RBR][at])
				zk_clob_trace_reduce_witness(
					&b, at, &bt->ops[i], C_RBR,
					lo | hi << 32);
			zk_clob_write_witness(c, b.cols, at, b.row);
		}
		if (b.cols[C_KN][at] || b.cols[C_KI][at])
			zk_clob_rest_witness(c, b.cols, at, b.row);
		if (b.cols[C_QD][at] || b.cols[C_QK][at] || b.cols[C_QM][at] ||
		    b.cols[C_QF][at])
			zk_clob_replace_witness(c, b.cols, at, b.row);
		if (b.cols[C_QF][at])
			zk_clob_full_witness(b.cols, at, b.row);
		if (b.cols[C_KI][at])
			zk_clob_fok_witness(b.cols, at, b.row,
					    c->mp.stp == ZK_STP_CANCEL_OLDEST);
		if (b.cols[C_QM][at])
			zk_clob_move_witness(c, b.cols, at, b.row);
		size_t ev_at = b.row;
		int taker = b.cols[C_KM][at] || b.xs_row != 0;

		if (b.cols[C_KM][at])
			zk_clob_match_witness(c, b.cols, at, b.row);
		if (b.xs_row != 0)
			zk_clob_xmove_witness(c, b.cols, at, b.xs_row, b.row);
		for (; ev < bt->events.len && bt->events.ev[ev].seq ==
						       bt->ops[i].seq;
		     ev++) {
			zk_clob_trace_ev_row(&b, &bt->events.ev[ev]);
			/* a taker's ACCEPTED names the CANCELLED after it */
			if (b.cols[C_KI][at] && ev + 1 == ev_end - 1) {
				b.cols[C_E2][b.row - 1] = 1;
				b.cols[C_RSN][b.row - 1] =
					b.cols[C_OPF + OPF_TIF][at] + 2;
			}
		}
		if (taker)
			zk_clob_match_events(b.cols, ev_at - 1, ev_at, b.row);
	}
	if (ev != bt->events.len) {
		set_err(err, errlen, "clob trace: events out of op order");
		goto fail;
	}
	for (i = 0; i < u->n_leaves; i++) {
		if (leaf_rows(&b, i) != 0) {
			set_err(err, errlen, "clob trace: bad leaf record");
			goto fail;
		}
	}
	for (i = 0; i < u->n_nodes; i++) {
		const struct zk_st_node_rec *nd = &u->nodes[i];

		/* untouched children live in their parents' node rows */
		if (nd->touched && nd->level > 0 && node_rows(&b, nd) != 0) {
			set_err(err, errlen, "clob trace: bad node record");
			goto fail;
		}
	}
	if (u->n_leaves == 0)
		root_row(&b, c->lay.depth, c->old_root);
	while (b.row < n)
		new_row(&b);
	/* the helper products hold on every row, op or not; LASTP marks the
	 * last probe of a presence chain that ends its op */
	for (i = 0; i < n; i++) {
		if (b.cols[C_SOP][i] == 0)
			zk_clob_op_helpers(b.cols, i);
		if (i + 1 < n && b.cols[C_SACC][i] &&
		    !zk_clob_has_role((const zk_gl *const *)b.cols, i) &&
		    b.cols[C_SEV][i + 1] && b.cols[C_PRES][i])
			b.cols[C_LASTP][i] = 1;
	}
	fill_all(b.cols, n, threads);
	free(b.last_ts);
	*cols_out = b.cols;
	*log_n = lg;
	return 0;
fail:
	free(b.last_ts);
	zk_clob_trace_free(b.cols);
	return -1;
}
