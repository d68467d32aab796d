/* SPDX-License-Identifier: MIT */
/*
 * Differential property test: long seeded random op streams go through the
 * engine and through a deliberately simple reference book written here
 * (unsorted array of orders, linear scans, an explicit arrival clock for
 * time priority). The two must emit identical event streams.
 *
 * The reference restates the rules of docs/engine.md directly; it shares no
 * code or data structure with engine/ beyond the public headers.
 */
#include <stdlib.h>

#include "engine_test_util.h"

#define REF_MAX_ORDERS 512
#define N_MARKETS 3

struct ref_order {
	uint64_t id, account, time, rem;
	uint32_t grp;
	uint8_t side;
	int64_t price;
};

struct ref_market {
	struct zk_market_params p;
	struct ref_order o[REF_MAX_ORDERS];
	size_t n;
	uint64_t clock;
};

struct ref {
	struct ref_market m[N_MARKETS];
	struct zk_event ev[4096];
	size_t n_ev;
	const struct zk_op *op;
};

static void
ref_emit(struct ref *r, uint8_t type, uint8_t reason, uint8_t side,
	 uint64_t id, uint64_t other, int64_t price, uint64_t qty,
	 uint64_t rem, uint64_t other_rem)
{
	struct zk_event e = ev_make(type, reason, side, id, other, price, qty,
				    rem, other_rem);

	assert_true(r->n_ev < sizeof(r->ev) / sizeof(r->ev[0]));
	e.seq = r->op->seq;
	e.market = r->op->market;
	r->ev[r->n_ev++] = e;
}

static long
ref_lookup(const struct ref_market *m, uint64_t id)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->o[i].id == id)
			return (long)i;
	return -1;
}

static void
ref_drop(struct ref_market *m, size_t i)
{
	m->o[i] = m->o[--m->n];
}

static size_t
ref_at_level(const struct ref_market *m, uint8_t side, int64_t price)
{
	size_t k = 0;

	for (size_t i = 0; i < m->n; i++)
		k += m->o[i].side == side && m->o[i].price == price;
	return k;
}

static size_t
ref_levels(const struct ref_market *m)
{
	size_t k = 0;

	for (size_t i = 0; i < m->n; i++) {
		size_t j = 0;

		while (j < i && (m->o[j].side != m->o[i].side ||
				 m->o[j].price != m->o[i].price))
			j++;
		k += j == i;
	}
	return k;
}

struct ref_taker {
	uint64_t id, account, rem;
	uint32_t grp;
	uint8_t side, tif, market;
	int64_t price;
};

static int
ref_crosses(const struct ref_taker *t, int64_t px)
{
	return t->market || (t->side == ZK_SIDE_BUY ? px <= t->price
						    : px >= t->price);
}

/* Is resting order a ahead of b in the queue the taker sweeps? */
static int
ref_ahead(const struct ref_order *a, const struct ref_order *b)
{
	if (a->price != b->price)
		return a->side == ZK_SIDE_SELL ? a->price < b->price
					       : a->price > b->price;
	return a->time < b->time;
}

/* Best crossing maker not yet in `seen` (NULL: none excluded), or -1. */
static long
ref_best(const struct ref_market *m, const struct ref_taker *t,
	 const uint8_t *seen)
{
	long best = -1;

	for (size_t i = 0; i < m->n; i++) {
		const struct ref_order *o = &m->o[i];

		if (o->side == t->side || !ref_crosses(t, o->price) ||
		    (seen && seen[i]))
			continue;
		if (best < 0 || ref_ahead(o, &m->o[best]))
			best = (long)i;
	}
	return best;
}

static int
ref_self(const struct ref_taker *t, const struct ref_order *o)
{
	if (t->grp || o->grp)
		return t->grp == o->grp;
	return t->account == o->account;
}

static int
ref_fok_ok(const struct ref_market *m, const struct ref_taker *t)
{
	uint8_t seen[REF_MAX_ORDERS] = { 0 };
	uint64_t got = 0;
	long i;

	while (got < t->rem && (i = ref_best(m, t, seen)) >= 0) {
		seen[i] = 1;
		if (!ref_self(t, &m->o[i]))
			got += m->o[i].rem;
		else if (m->p.stp != ZK_STP_CANCEL_OLDEST)
			return 0;
	}
	return got >= t->rem;
}

static void
ref_enter(struct ref *r, struct ref_market *m, struct ref_taker *t)
{
	long i;

	if (t->tif == ZK_TIF_FOK && !ref_fok_ok(m, t)) {
		ref_emit(r, ZK_EV_CANCELLED, ZK_CXL_FOK_UNFILLED, t->side,
			 t->id, 0, t->price, t->rem, 0, 0);
		return;
	}
	while (t->rem > 0 && (i = ref_best(m, t, NULL)) >= 0) {
		struct ref_order *o = &m->o[i];

		if (ref_self(t, o)) {
			if (m->p.stp != ZK_STP_CANCEL_NEWEST) {
				ref_emit(r, ZK_EV_CANCELLED, ZK_CXL_STP,
					 o->side, o->id, 0, o->price, o->rem,
					 0, 0);
				ref_drop(m, (size_t)i);
				if (m->p.stp == ZK_STP_CANCEL_OLDEST)
					continue;
			}
			ref_emit(r, ZK_EV_CANCELLED, ZK_CXL_STP, t->side,
				 t->id, 0, t->price, t->rem, 0, 0);
			return;
		}
		uint64_t q = t->rem < o->rem ? t->rem : o->rem;

		t->rem -= q;
		o->rem -= q;
		ref_emit(r, ZK_EV_TRADE, 0, t->side, t->id, o->id, o->price,
			 q, t->rem, o->rem);
		if (o->rem == 0) {
			ref_emit(r, ZK_EV_DONE, 0, o->side, o->id, 0, o->price,
				 0, 0, 0);
			ref_drop(m, (size_t)i);
		}
	}
	if (t->rem == 0) {
		ref_emit(r, ZK_EV_DONE, 0, t->side, t->id, 0, t->price, 0, 0,
			 0);
	} else if (t->tif != ZK_TIF_GTC) {
		ref_emit(r, ZK_EV_CANCELLED, ZK_CXL_IOC_REMAINDER, t->side,
			 t->id, 0, t->price, t->rem, 0, 0);
	} else {
		assert_true(m->n < REF_MAX_ORDERS);
		m->o[m->n++] = (struct ref_order){
			.id = t->id, .account = t->account, .time = m->clock++,
			.rem = t->rem, .grp = t->grp, .side = t->side,
			.price = t->price,
		};
	}
}

/* Tick, lot, band, max size: the documented order. */
static int
ref_check_px_qty(const struct zk_market_params *p, int64_t px, uint64_t qty,
		 int market)
{
	if (!market && px % p->tick != 0)
		return ZK_REJ_BAD_TICK;
	if (qty == 0 || qty % p->lot != 0)
		return ZK_REJ_BAD_LOT;
	if (!market && (px < p->min_price || px > p->max_price))
		return ZK_REJ_PRICE_BAND;
	if (qty > p->max_qty)
		return ZK_REJ_MAX_QTY;
	return 0;
}

static int
ref_shape(const struct zk_op *op)
{
	int side_ok = op->side == ZK_SIDE_BUY || op->side == ZK_SIDE_SELL;
	int po = (op->flags & ZK_OP_F_POST_ONLY) != 0;

	if (op->reserved[0] || op->reserved[1] || op->reserved[2])
		return 0;
	if (op->type == ZK_OP_NEW)
		return side_ok && op->new_order_id == 0 &&
		       (op->flags & ~ZK_OP_F_POST_ONLY) == 0 &&
		       op->tif >= ZK_TIF_GTC && op->tif <= ZK_TIF_FOK &&
		       (op->ord_type == ZK_ORD_LIMIT ||
			(op->ord_type == ZK_ORD_MARKET && op->price == 0 &&
			 op->tif != ZK_TIF_GTC && !po)) &&
		       (!po || op->tif == ZK_TIF_GTC);
	if (op->type == ZK_OP_CANCEL)
		return !op->side && !op->ord_type && !op->tif && !op->flags &&
		       !op->price && !op->new_order_id && !op->stp_group;
	if (op->type == ZK_OP_REPLACE)
		return !op->side && !op->ord_type && !op->tif && !op->flags &&
		       !op->stp_group;
	return 0;
}

/* Can an order rest at (side, price)? `level_freed`: a replace vacates one. */
static int
ref_room(const struct ref_market *m, uint8_t side, int64_t px, int reuse,
	 int level_freed)
{
	if (m->n >= m->p.max_orders && !reuse)
		return 0;
	/* Fewer levels than orders: with max_levels >= max_orders no count. */
	if (m->p.max_levels >= m->p.max_orders)
		return 1;
	return level_freed || ref_at_level(m, side, px) > 0 ||
	       ref_levels(m) < m->p.max_levels;
}

static void
ref_apply(struct ref *r, const struct zk_op *op)
{
	struct ref_market *m = NULL;
	int rej = 0;

	r->n_ev = 0;
	r->op = op;
	if (!ref_shape(op))
		rej = ZK_REJ_MALFORMED;
	for (size_t i = 0; !rej && i < N_MARKETS && !m; i++)
		if (r->m[i].p.market == op->market)
			m = &r->m[i];
	if (!rej && !m)
		rej = ZK_REJ_UNKNOWN_MARKET;
	if (!rej && op->type == ZK_OP_NEW) {
		struct ref_taker t = {
			.id = op->order_id, .account = op->account,
			.rem = op->qty, .grp = op->stp_group, .side = op->side,
			.tif = op->tif,
			.market = op->ord_type == ZK_ORD_MARKET,
			.price = op->price,
		};
		long best;

		rej = ref_check_px_qty(&m->p, op->price, op->qty, t.market);
		if (!rej && ref_lookup(m, op->order_id) >= 0)
			rej = ZK_REJ_DUPLICATE_ID;
		if (!rej && (op->flags & ZK_OP_F_POST_ONLY) &&
		    (best = ref_best(m, &t, NULL)) >= 0)
			rej = ZK_REJ_WOULD_CROSS;
		if (!rej && !t.market && t.tif == ZK_TIF_GTC &&
		    !ref_room(m, t.side, t.price, 0, 0))
			rej = ZK_REJ_BOOK_FULL;
		if (!rej) {
			ref_emit(r, ZK_EV_ACCEPTED, 0, t.side, t.id, 0,
				 t.price, t.rem, t.rem, 0);
			ref_enter(r, m, &t);
			return;
		}
	} else if (!rej) {
		long i = ref_lookup(m, op->order_id);
		struct ref_order *o = i >= 0 ? &m->o[i] : NULL;

		if (!o)
			rej = ZK_REJ_UNKNOWN_ORDER;
		else if (o->account != op->account)
			rej = ZK_REJ_OWNER_MISMATCH;
		if (!rej && op->type == ZK_OP_CANCEL) {
			if (op->qty == 0) {
				ref_emit(r, ZK_EV_CANCELLED, ZK_CXL_USER,
					 o->side, o->id, 0, o->price, o->rem,
					 0, 0);
				ref_drop(m, (size_t)i);
				return;
			}
			if (op->qty % m->p.lot)
				rej = ZK_REJ_BAD_LOT;
			else if (op->qty >= o->rem)
				rej = ZK_REJ_BAD_REDUCE;
			if (!rej) {
				ref_emit(r, ZK_EV_CANCELLED, ZK_CXL_REDUCE,
					 o->side, o->id, 0, o->price,
					 o->rem - op->qty, op->qty, 0);
				o->rem = op->qty;
				return;
			}
		} else if (!rej) {
			int keep = op->price == o->price && op->qty <= o->rem;

			rej = ref_check_px_qty(&m->p, op->price, op->qty, 0);
			if (!rej && ref_lookup(m, op->new_order_id) >= 0)
				rej = ZK_REJ_DUPLICATE_ID;
			if (!rej && !keep &&
			    !ref_room(m, o->side, op->price, 1,
				      ref_at_level(m, o->side, o->price) == 1))
				rej = ZK_REJ_BOOK_FULL;
			if (!rej) {
				ref_emit(r, ZK_EV_REPLACED, (uint8_t)keep,
					 o->side, o->id, op->new_order_id,
					 op->price, op->qty, 0, 0);
				if (keep) {
					o->id = op->new_order_id;
					o->rem = op->qty;
					return;
				}
				struct ref_taker t = {
					.id = op->new_order_id,
					.account = o->account, .rem = op->qty,
					.grp = o->grp, .side = o->side,
					.tif = ZK_TIF_GTC, .price = op->price,
				};

				ref_drop(m, (size_t)i);
				ref_enter(r, m, &t);
				return;
			}
		}
	}
	ref_emit(r, ZK_EV_REJECTED, (uint8_t)rej, 0, op->order_id,
		 op->type == ZK_OP_REPLACE ? op->new_order_id : 0, 0, 0, 0, 0);
}

#include "diff_gen.h"

static void
run_stream(uint64_t seed, size_t n_ops, int adversarial)
{
	struct zk_market_params p[N_MARKETS];
	struct ref *r = calloc(1, sizeof(*r));
	struct zk_event_buf out = { 0 };
	struct zk_engine *e;
	uint64_t s = seed, next_id = 1;
	size_t trades = 0, rejects = 0, stp = 0;

	assert_non_null(r);
	gen_params(p, adversarial);
	e = zk_engine_create(p, N_MARKETS);
	assert_non_null(e);
	for (size_t i = 0; i < N_MARKETS; i++)
		r->m[i].p = p[i];

	for (size_t k = 0; k < n_ops; k++) {
		struct zk_op op = adversarial ? gen_adversarial(&s, r)
					      : gen_realistic(&s, r, &next_id);

		op.seq = k + 1;
		out.len = 0;
		assert_true(zk_engine_apply(e, &op, &out) >= 1);
		ref_apply(r, &op);
		if (out.len != r->n_ev ||
		    memcmp(out.ev, r->ev, out.len * sizeof(*out.ev)) != 0) {
			print_error("seed %llu op %zu: type %u id %llu new %llu "
				    "acct %llu px %lld qty %llu mkt %u side %u "
				    "ord %u tif %u flags %u grp %u\n",
				    (unsigned long long)seed, k, op.type,
				    (unsigned long long)op.order_id,
				    (unsigned long long)op.new_order_id,
				    (unsigned long long)op.account,
				    (long long)op.price,
				    (unsigned long long)op.qty, op.market,
				    op.side, op.ord_type, op.tif, op.flags,
				    op.stp_group);
			for (size_t i = 0; i < out.len; i++)
				ev_print("engine", &out.ev[i]);
			for (size_t i = 0; i < r->n_ev; i++)
				ev_print("ref   ", &r->ev[i]);
			fail_msg("engine and reference disagree");
		}
		for (size_t i = 0; i < out.len; i++) {
			trades += out.ev[i].type == ZK_EV_TRADE;
			rejects += out.ev[i].type == ZK_EV_REJECTED;
			stp += out.ev[i].type == ZK_EV_CANCELLED &&
			       out.ev[i].reason == ZK_CXL_STP;
		}
	}
	/* The stream must have exercised matching, rejects and STP. */
	assert_true(trades > n_ops / 100);
	assert_true(rejects > 0);
	assert_true(stp > 0);
	zk_engine_destroy(e);
	zk_event_buf_free(&out);
	free(r);
}

static void
test_diff_realistic(void **state)
{
	(void)state;
	run_stream(1, 50000, 0);
	run_stream(0xC0FFEE, 50000, 0);
	run_stream(20260101, 50000, 0);
}

static void
test_diff_adversarial(void **state)
{
	(void)state;
	run_stream(7, 25000, 1);
	run_stream(0xDEADBEEF, 25000, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diff_realistic),
		cmocka_unit_test(test_diff_adversarial),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
