/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR trace builder, op side: the op row of every op with the
 * witnesses its rules need (market-rule registers, home bucket, the
 * kind's selectors) and the event rows (clob_air_trace.c lays them out).
 */
#include <stddef.h>
#include <stdint.h>

#include "clob_air_trace_int.h"

/* The witness of a NEW rejected by the market rules (clob_validation). */
static void validation_witness(struct builder *b, size_t r,
			       const struct zk_op *op, uint8_t reason)
{
	const struct zk_market_params *mp = &b->c->mp;
	uint64_t p = (uint64_t)op->price, q = op->qty;
	uint64_t tick = (uint64_t)mp->tick, lot = mp->lot;
	uint64_t minp = (uint64_t)mp->min_price, maxp = (uint64_t)mp->max_price;
	int limit = op->ord_type == ZK_ORD_LIMIT || op->type == ZK_OP_REPLACE;

	set_reg(b, r, 0, (p >> 32) << 32);
	set_reg(b, r, 1, (q >> 32) << 32);
	switch (reason) {
	case ZK_REJ_BAD_TICK:
		b->cols[C_RT][r] = 1;
		set_reg(b, r, 2, p / tick);
		set_reg(b, r, 3, p % tick - 1);
		set_reg(b, r, 4, tick - 1 - p % tick);
		break;
	case ZK_REJ_BAD_LOT:
		b->cols[C_RL][r] = 1;
		if (limit)
			set_reg(b, r, 2, p / tick);
		if (q == 0) {
			b->cols[C_ZQ][r] = 1;
		} else {
			set_reg(b, r, 3, q / lot);
			set_reg(b, r, 4, q % lot - 1);
			set_reg(b, r, 5, lot - 1 - q % lot);
		}
		break;
	case ZK_REJ_PRICE_BAND:
		b->cols[C_RB][r] = 1;
		set_reg(b, r, 2, p / tick);
		set_reg(b, r, 4, q / lot - 1);
		b->cols[C_SB][r] = (int64_t)p < mp->min_price;
		set_reg(b, r, 3, (int64_t)p < mp->min_price ? minp - 1 - p :
							       p - maxp - 1);
		break;
	default:
		b->cols[C_RQ][r] = 1;
		if (limit) {
			set_reg(b, r, 2, (p - minp) / tick);
			set_reg(b, r, 3, (maxp - minp) / tick - (p - minp) / tick);
		}
		set_reg(b, r, 4, q / lot - 1);
		set_reg(b, r, 5, q - mp->max_qty - 1);
		break;
	}
}

/* Home-bucket witness of an id-probing op (clob_probe), in the bits at
 * C_HB. */
static void home_witness(struct builder *b, size_t r, uint64_t id)
{
	zk_clob_home_bits(b->cols, r, id);
}

/* DUPLICATE_ID: the registers show that every market rule passes. */
static void rules_pass_witness(struct builder *b, size_t r,
			       const struct zk_op *op)
{
	const struct zk_market_params *mp = &b->c->mp;
	uint64_t p = (uint64_t)op->price, q = op->qty;
	uint64_t tick = (uint64_t)mp->tick, minp = (uint64_t)mp->min_price;
	uint64_t band = ((uint64_t)mp->max_price - minp) / tick;

	set_reg(b, r, 0, (p >> 32) << 32);
	set_reg(b, r, 1, (q >> 32) << 32);
	if (op->ord_type == ZK_ORD_LIMIT || op->type == ZK_OP_REPLACE) {
		set_reg(b, r, 2, (p - minp) / tick);
		set_reg(b, r, 3, band - (p - minp) / tick);
	}
	set_reg(b, r, 4, q / mp->lot - 1);
	set_reg(b, r, 5, mp->max_qty - q);
}

/*
 * Reduce rejects (BAD_LOT / BAD_REDUCE of a CANCEL with qty > 0): the
 * registers; BAD_REDUCE needs the order's remaining, known once its read
 * is laid out (rem).
 */
void zk_clob_trace_reduce_witness(struct builder *b, size_t r,
				  const struct zk_op *op, unsigned kind,
				  uint64_t rem)
{
	uint64_t q = op->qty, lot = b->c->mp.lot;

	set_reg(b, r, 1, (q >> 32) << 32);
	if (kind == C_RBL) {
		set_reg(b, r, 3, q / lot);
		set_reg(b, r, 4, q % lot - 1);
		set_reg(b, r, 5, lot - 1 - q % lot);
	} else {
		set_reg(b, r, 0, (rem >> 32) << 32);
		set_reg(b, r, 3, q / lot - 1);
		set_reg(b, r, 4, q - rem);
	}
}

/* The code the op's last access row emits (clob_probe's RSN). */
zk_gl zk_clob_trace_probe_reason(const struct builder *b, size_t at)
{
	static const struct { unsigned col; uint8_t reason; } map[] = {
		{ C_RU, ZK_REJ_UNKNOWN_ORDER }, { C_RO, ZK_REJ_OWNER_MISMATCH },
		{ C_RD, ZK_REJ_DUPLICATE_ID }, { C_RBL, ZK_REJ_BAD_LOT },
		{ C_RBR, ZK_REJ_BAD_REDUCE }, { C_RW, ZK_REJ_WOULD_CROSS },
		{ C_RF, ZK_REJ_BOOK_FULL }, { C_QD, ZK_REJ_DUPLICATE_ID },
		{ C_RT, ZK_REJ_BAD_TICK }, { C_RL, ZK_REJ_BAD_LOT },
		{ C_RB, ZK_REJ_PRICE_BAND }, { C_RQ, ZK_REJ_MAX_QTY },
		{ C_QF, ZK_REJ_BOOK_FULL },
	};

	for (unsigned i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (b->cols[map[i].col][at])
			return map[i].reason;
	return 0;
}

void zk_clob_trace_op_row(struct builder *b, const struct zk_op *op,
			  const struct zk_event *ev, size_t n_ev)
{
	zk_gl e[CLOB_OP_ELEMS], cond[CLOB_MAL_CONDS], t3;
	zk_gl *row = b->scratch;
	size_t r;
	unsigned i;

	b->nops++;
	r = new_row(b);
	b->cols[C_SOP][r] = 1;
	zk_clob_op_elems(op, e);
	for (i = 0; i < CLOB_OP_ELEMS; i++)
		b->cols[C_OPF + i][r] = e[i];
	zk_clob_op_helpers(b->cols, r);
	b->cols[C_RSIDE][r] = e[OPF_SIDE];
	b->cols[C_RSTP][r] = e[OPF_STP];
	if (n_ev == 1 && op->type == ZK_OP_CANCEL &&
	    ev[0].type == ZK_EV_CANCELLED && ev[0].reason == ZK_CXL_REDUCE) {
		/* a reduce that applies: qty a positive lot multiple */
		b->cols[C_KR][r] = 1;
		home_witness(b, r, op->order_id);
		set_reg(b, r, 1, (op->qty >> 32) << 32);
		set_reg(b, r, 3, op->qty / b->c->mp.lot - 1);
	} else if (n_ev == 1 && op->type == ZK_OP_CANCEL &&
		   ev[0].type == ZK_EV_CANCELLED &&
		   ev[0].reason == ZK_CXL_USER) {
		/* a full cancel: qty = 0 */
		b->cols[C_KC][r] = 1;
		home_witness(b, r, op->order_id);
		set_reg(b, r, 1, (op->qty >> 32) << 32);
	} else if (n_ev == 1 && op->type == ZK_OP_NEW &&
		   ev[0].type == ZK_EV_ACCEPTED) {
		/* a NEW that rests: every market rule passes */
		b->cols[C_KN][r] = 1;
		home_witness(b, r, op->order_id);
		rules_pass_witness(b, r, op);
	} else if (op->type == ZK_OP_NEW && ev[0].type == ZK_EV_ACCEPTED &&
		   ((n_ev == 2 && ev[1].type == ZK_EV_CANCELLED &&
		     (ev[1].reason == ZK_CXL_IOC_REMAINDER ||
		      ev[1].reason == ZK_CXL_FOK_UNFILLED ||
		      ev[1].reason == ZK_CXL_STP)) ||
		    (n_ev >= 3 && ev[1].type == ZK_EV_TRADE) ||
		    (n_ev >= 3 && ev[1].type == ZK_EV_CANCELLED &&
		     ev[1].reason == ZK_CXL_STP))) {
		/* an IOC / FOK / market NEW that found nothing to cross
		 * (KI), or one the best level's head order filled or
		 * stopped (KM; the AIR checks that its third event is the
		 * taker's DONE) */
		b->cols[n_ev == 2 && ev[1].reason != ZK_CXL_STP ? C_KI : C_KM][r] =
			1;
		home_witness(b, r, op->order_id);
		rules_pass_witness(b, r, op);
	} else if (n_ev == 1 && op->type == ZK_OP_REPLACE &&
		   ev[0].type == ZK_EV_REPLACED && ev[0].reason == 1) {
		/* a REPLACE that keeps its priority: every rule passes */
		b->cols[C_QK][r] = 1;
		home_witness(b, r, op->order_id);
		rules_pass_witness(b, r, op);
	} else if (n_ev >= 1 && op->type == ZK_OP_REPLACE &&
		   ev[0].type == ZK_EV_REPLACED && ev[0].reason == 0) {
		/* a REPLACE that moves: it rests without crossing, or it
		 * trades (clob_air_xmove.h) */
		b->cols[C_QM][r] = 1;
		home_witness(b, r, op->order_id);
		rules_pass_witness(b, r, op);
	} else if (n_ev >= 1 && ev[0].type == ZK_EV_REJECTED) {
		uint8_t why = ev[0].reason;
		unsigned kind = 0;

		if (op->type == ZK_OP_CANCEL && why == ZK_REJ_BAD_LOT)
			kind = C_RBL;
		else if (op->type == ZK_OP_REPLACE &&
			 why == ZK_REJ_DUPLICATE_ID)
			kind = C_QD;
		else if (op->type == ZK_OP_CANCEL && why == ZK_REJ_BAD_REDUCE)
			kind = C_RBR;
		else if (why == ZK_REJ_UNKNOWN_ORDER)
			kind = C_RU;
		else if (why == ZK_REJ_OWNER_MISMATCH)
			kind = C_RO;
		else if (why == ZK_REJ_DUPLICATE_ID)
			kind = C_RD;
		else if (op->type == ZK_OP_NEW && why == ZK_REJ_WOULD_CROSS)
			kind = C_RW;
		else if (op->type == ZK_OP_NEW && why == ZK_REJ_BOOK_FULL)
			kind = C_RF;
		else if (op->type == ZK_OP_REPLACE && why == ZK_REJ_BOOK_FULL)
			kind = C_QF;
		if (kind != 0) {
			b->cols[kind][r] = 1;
			home_witness(b, r, op->order_id);
		}
		if (kind == C_RD || kind == C_RW || kind == C_RF ||
		    kind == C_QD || kind == C_QF)
			rules_pass_witness(b, r, op);
		else if (kind == C_RBL || kind == C_RBR)
			zk_clob_trace_reduce_witness(b, r, op, kind, 0);
		else if (kind == 0 && why != ZK_REJ_MALFORMED)
			validation_witness(b, r, op, why);
		else if (kind == 0)
			b->cols[C_MAL][r] = 1;
		/* a REPLACE's market rules fail after its owner check */
		if (kind == 0 && why != ZK_REJ_MALFORMED &&
		    op->type == ZK_OP_REPLACE) {
			b->cols[C_QV][r] = 1;
			home_witness(b, r, op->order_id);
		}
	}
	/* the first broken shape rule is the witness of MALFORMED */
	for (i = 0; i < CLOB_WIDTH; i++)
		row[i] = b->cols[i][r];
	zk_clob_malformed_conds(row, cond);
	for (i = 0; i < CLOB_MAL_CONDS; i++) {
		if (cond[i] != 0) {
			b->cols[C_W + i][r] = inv_or_zero(cond[i]);
			break;
		}
	}
	t3 = zk_gl_sub(e[OPF_TYPE], 3);
	b->cols[C_IS3][r] = t3 == 0;
	b->cols[C_INV3][r] = inv_or_zero(t3);
}

void zk_clob_trace_ev_row(struct builder *b, const struct zk_event *ev)
{
	zk_gl e[CLOB_EV_ELEMS];
	size_t r;

	b->nevs++;
	r = new_row(b);
	b->cols[C_SEV][r] = 1;
	zk_clob_ev_elems(ev, e);
	for (unsigned i = 0; i < CLOB_EV_ELEMS; i++)
		b->cols[C_EVF + i][r] = e[i];
}
