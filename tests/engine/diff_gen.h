/* SPDX-License-Identifier: MIT */
/*
 * Op stream generators for test_engine_diff.c (included there, after the
 * reference book, whose live orders they draw targets from).
 *  - realistic: three markets (one per STP mode), ~145 live orders around a
 *    mid price, mostly passive places and replaces, some aggressive orders,
 *    cancels, reduces, and a trickle of wrong ids / owners / prices.
 *  - adversarial: tiny books (book full is common), a 30-id space (dup and
 *    unknown ids are common) and every field sometimes out of range.
 */
#ifndef ZKCLOB_DIFF_GEN_H
#define ZKCLOB_DIFF_GEN_H

static const enum zk_stp_mode gen_stp[N_MARKETS] = {
	ZK_STP_CANCEL_NEWEST, ZK_STP_CANCEL_OLDEST, ZK_STP_CANCEL_BOTH
};

static void
gen_params(struct zk_market_params *p, int adversarial)
{
	for (uint32_t i = 0; i < N_MARKETS; i++) {
		if (adversarial)
			p[i] = (struct zk_market_params){
				.market = i + 1, .tick = 2, .lot = 3,
				.min_price = 60, .max_price = 140,
				.max_qty = 30, .stp = gen_stp[i],
				.max_orders = 8, .max_levels = 4,
			};
		else
			p[i] = (struct zk_market_params){
				.market = i + 1, .tick = 2, .lot = 5,
				.min_price = 2, .max_price = 20000,
				.max_qty = 500, .stp = gen_stp[i],
				.max_orders = 150, .max_levels = 400,
			};
	}
}

#define GEN_MID 10000

static struct zk_op
gen_realistic(uint64_t *s, const struct ref *r, uint64_t *next_id)
{
	const struct ref_market *m = &r->m[pick(s, N_MARKETS)];
	const struct zk_market_params *p = &m->p;
	const struct ref_order *o = m->n ? &m->o[pick(s, m->n)] : NULL;
	unsigned u = (unsigned)pick(s, 100);
	struct zk_op op = { .market = p->market };
	uint64_t account = 1 + pick(s, 5);
	uint8_t side = pick(s, 2) ? ZK_SIDE_BUY : ZK_SIDE_SELL;
	int64_t dir = side == ZK_SIDE_BUY ? -1 : 1;

	/* Near full, mostly drain; the rest hits BOOK_FULL. */
	if (m->n + 1 >= p->max_orders && u < 50 && pick(s, 5))
		u += 50;
	if (o == NULL && u >= 50)
		u = 0;
	if (u < 40) {
		/* Passive place; one in ten lands on the other side. */
		int64_t off = (1 + (int64_t)pick(s, 60)) * p->tick;

		if (pick(s, 10) == 0)
			off = -(int64_t)pick(s, 4) * p->tick;
		op = op_gtc((*next_id)++, account, side, GEN_MID + dir * off,
			    p->lot * (1 + pick(s, 20)));
		op.flags = pick(s, 10) == 0 ? ZK_OP_F_POST_ONLY : 0;
		if (pick(s, 100) == 0 && o)
			op.order_id = o->id;
	} else if (u < 50) {
		/* Aggressive: market, IOC, FOK or marketable GTC. */
		uint8_t tif = (uint8_t)(1 + pick(s, 3));
		int64_t px = GEN_MID - dir * (int64_t)pick(s, 12) * p->tick;

		if (pick(s, 5) == 0)
			op = op_order((*next_id)++, account, side,
				      ZK_ORD_MARKET,
				      pick(s, 2) ? ZK_TIF_IOC : ZK_TIF_FOK, 0,
				      p->lot * (1 + pick(s, 40)));
		else
			op = op_order((*next_id)++, account, side,
				      ZK_ORD_LIMIT, tif, px,
				      p->lot * (1 + pick(s, 40)));
	} else if (u < 75) {
		int64_t px = o->price;
		uint64_t qty = o->rem;

		if (pick(s, 10) < 7)
			px += ((int64_t)pick(s, 9) - 4) * p->tick;
		if (pick(s, 2))
			qty = p->lot * (1 + pick(s, o->rem / p->lot));
		else
			qty += p->lot * pick(s, 10);
		op = op_replace(o->id, (*next_id)++, o->account, px, qty);
		if (pick(s, 40) == 0)
			op.new_order_id = m->o[pick(s, m->n)].id;
		if (pick(s, 40) == 0)
			op.account = account;
	} else if (u < 90) {
		op = op_cancel(o->id, o->account, 0);
	} else if (u < 96) {
		op = op_cancel(o->id, o->account,
			       p->lot * pick(s, o->rem / p->lot + 1));
	} else {
		switch (pick(s, 5)) {
		case 0:
			op = op_cancel(*next_id + 1000000, account, 0);
			break;
		case 1:
			op = op_cancel(o->id, o->account + 1, 0);
			break;
		case 2:
			op = op_gtc((*next_id)++, account, side, GEN_MID + 1,
				    p->lot);
			break;
		case 3:
			op = op_replace(o->id, (*next_id)++, o->account,
					o->price, o->rem + 1);
			break;
		default:
			op = op_gtc((*next_id)++, account, side, GEN_MID,
				    p->lot);
			op.market = 99;
			break;
		}
	}
	if (op.type == ZK_OP_NEW && pick(s, 10) == 0)
		op.stp_group = (uint32_t)(1 + pick(s, 3));
	if (op.market == 0)
		op.market = p->market;
	return op;
}

/* A value that is usually valid and sometimes just outside. */
static uint8_t
gen_enum(uint64_t *s, uint8_t lo, uint8_t hi)
{
	if (pick(s, 50) == 0)
		return pick(s, 2) ? (uint8_t)(lo - 1) : (uint8_t)(hi + 1);
	return (uint8_t)(lo + pick(s, (uint64_t)(hi - lo + 1)));
}

static struct zk_op
gen_adversarial(uint64_t *s, const struct ref *r)
{
	const struct ref_market *m = &r->m[pick(s, N_MARKETS)];
	const struct zk_market_params *p = &m->p;
	struct zk_op op = {
		.type = pick(s, 5) < 3 ? ZK_OP_NEW
				       : gen_enum(s, ZK_OP_CANCEL, ZK_OP_REPLACE),
		.market = pick(s, 30) ? p->market : 4,
		.order_id = 1 + pick(s, 30),
		.account = 1 + pick(s, 3),
	};
	int market = 0;

	if (op.type == ZK_OP_NEW) {
		op.side = gen_enum(s, ZK_SIDE_BUY, ZK_SIDE_SELL);
		op.ord_type = pick(s, 5) ? ZK_ORD_LIMIT : ZK_ORD_MARKET;
		if (pick(s, 50) == 0)
			op.ord_type = 3;
		market = op.ord_type == ZK_ORD_MARKET;
		op.tif = gen_enum(s, ZK_TIF_GTC, ZK_TIF_FOK);
		if (market && op.tif == ZK_TIF_GTC && pick(s, 10))
			op.tif = ZK_TIF_IOC;
		op.flags = pick(s, 7) == 0 ? ZK_OP_F_POST_ONLY : 0;
		if (pick(s, 50) == 0)
			op.flags = 2;
		if (pick(s, 50) == 0)
			op.new_order_id = 1 + pick(s, 30);
		op.stp_group = pick(s, 5) == 0 ? (uint32_t)(1 + pick(s, 2)) : 0;
	} else if (op.type == ZK_OP_REPLACE) {
		op.new_order_id = 1 + pick(s, 30);
	}
	/* Most cancels and replaces aim at a live order, some at its owner. */
	if (op.type != ZK_OP_NEW && m->n > 0 && pick(s, 5) < 3) {
		const struct ref_order *o = &m->o[pick(s, m->n)];

		op.order_id = o->id;
		if (pick(s, 5))
			op.account = o->account;
	}
	if (op.type != ZK_OP_NEW && pick(s, 50) == 0) {
		op.side = (uint8_t)pick(s, 3);
		op.stp_group = (uint32_t)pick(s, 2);
	}

	if (market || op.type == ZK_OP_CANCEL)
		op.price = pick(s, 20) ? 0 : 100;
	else if (pick(s, 20) == 0)
		op.price = 101;
	else if (pick(s, 20) == 0)
		op.price = pick(s, 2) ? p->min_price - p->tick
				      : p->max_price + p->tick;
	else
		op.price = 100 + ((int64_t)pick(s, 13) - 6) * p->tick;

	if (op.type == ZK_OP_CANCEL)
		op.qty = pick(s, 2) ? 0 : p->lot * pick(s, 5);
	else
		op.qty = p->lot * (1 + pick(s, 6));
	if (pick(s, 25) == 0)
		op.qty = pick(s, 3) == 0 ? 0 : op.qty + 1;
	if (pick(s, 30) == 0)
		op.qty = p->max_qty + p->lot;
	if (pick(s, 100) == 0)
		op.reserved[pick(s, 3)] = 1;
	return op;
}

#endif /* ZKCLOB_DIFF_GEN_H */
