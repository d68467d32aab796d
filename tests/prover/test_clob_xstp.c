/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR, self-trade prevention of a REPLACE that moves to a crossing
 * price (clob_air_xstp.h on clob_air_xmove.h): the moved order meets an
 * order of its own account, at its first maker or after fills, in each
 * STP mode. CANCEL_NEWEST: REPLACED, then CANCELLED STP of the new id
 * (the order already removed by the move); CANCEL_BOTH: the maker removed
 * with CANCELLED STP, then the moved order's CANCELLED STP of its
 * remaining; CANCEL_OLDEST: each own maker removed with CANCELLED STP,
 * the loop going on to a fill, a rest or the end; by account or by stp
 * group. Honest batches pass the constraint debugger, prove, verify
 * under their market's params and not under the other modes'; cheating
 * engines (the CANCELLED naming the old
 * id or keeping an other id, a wrong qty, the moved order's level left
 * as it was, the maker kept, REPLACED or the last event dropped, trading
 * past the stop, the trace under another mode's AIR) are named by the
 * debugger and their proofs do not verify.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clob_test_stp.h"

/*
 * The moves on clob_test_stp.h's book (account 1 holds asks 101 at 5000,
 * 102 alone at 5005 and the only bid 200 at 4000):
 */
enum move_case {
	MC_FIRST,     /* ask 102 to 4000 for 10 as 901: its own 200 first */
	MC_KEPT_LVL,  /* ask 101 to 4000 for 20 as 901 (5000 keeps 100) */
	MC_AFTER,     /* bid 200 to 5005 for 50 as 900: 100 fills 20, then
		       * its own 101 */
	MC_OWN_OTHER, /* account 3's bid 201 rests at 4000 behind 200, then
		       * MC_FIRST's move */
	MC_GROUP,     /* stp group 9: account 4's bid 300 rests at 4005,
		       * account 5's ask 301 at 5010, which moves to 4005
		       * as 901 and meets 300 (another account, its group) */
	MC_COUNT
};

static struct zk_batch *move_batch(struct clob_rig *r,
				   const struct zk_market_params *mp,
				   enum move_case mc)
{
	static const struct {
		uint64_t id, nid;
		int64_t price;
		uint64_t qty;
	} mv[MC_COUNT] = {
		{ 102, 901, 4000, 10 },
		{ 101, 901, 4000, 20 },
		{ 200, 900, 5005, 50 },
		{ 102, 901, 4000, 10 },
		{ 301, 901, 4005, 10 },
	};
	static const uint64_t acct[MC_COUNT] = { 1, 1, 1, 1, 5 };
	struct zk_op ops[3];
	struct zk_batch *b;
	size_t n = 0;

	book(r, mp);
	if (mc == MC_OWN_OTHER)
		ops[n++] = new_op(r, 201, 3, ZK_SIDE_BUY, 4000, 10,
				  ZK_TIF_GTC);
	if (mc == MC_GROUP) {
		ops[n] = new_op(r, 300, 4, ZK_SIDE_BUY, 4005, 10, ZK_TIF_GTC);
		ops[n++].stp_group = 9;
		ops[n] = new_op(r, 301, 5, ZK_SIDE_SELL, 5010, 10, ZK_TIF_GTC);
		ops[n++].stp_group = 9;
	}
	ops[n++] = (struct zk_op){ .seq = r->seq++, .order_id = mv[mc].id,
				   .new_order_id = mv[mc].nid,
				   .account = acct[mc],
				   .price = mv[mc].price, .qty = mv[mc].qty,
				   .market = clob_test_market.market,
				   .type = ZK_OP_REPLACE };
	b = clob_rig_batch(r, ops, n);
	assert_non_null(b);
	return b;
}

enum {
	REP = ZK_EV_REPLACED, TRD = ZK_EV_TRADE, DN = ZK_EV_DONE,
	ACC = ZK_EV_ACCEPTED, CXL = ZK_EV_CANCELLED
};

/* What the engine emits, per mode and case: the event types (0 ends),
 * the id and qty of the CANCELLED STP events in order. */
struct expect {
	uint8_t types[10];
	uint64_t cxl_id[3], cxl_qty[3];
};

static const struct expect want_newest[MC_COUNT] = {
	{ { REP, CXL }, { 901 }, { 10 } },
	{ { REP, CXL }, { 901 }, { 20 } },
	{ { REP, TRD, DN, CXL }, { 900 }, { 30 } },
	{ { ACC, REP, CXL }, { 901 }, { 10 } },
	{ { ACC, ACC, REP, CXL }, { 901 }, { 10 } },
};

static const struct expect want_both[MC_COUNT] = {
	{ { REP, CXL, CXL }, { 200, 901 }, { 10, 10 } },
	{ { REP, CXL, CXL }, { 200, 901 }, { 10, 20 } },
	{ { REP, TRD, DN, CXL, CXL }, { 101, 900 }, { 10, 30 } },
	{ { ACC, REP, CXL, CXL }, { 200, 901 }, { 10, 10 } },
	{ { ACC, ACC, REP, CXL, CXL }, { 300, 901 }, { 10, 10 } },
};

/* OLDEST: 10 / 20 / 30 rest; the fourth is filled by 201; the last
 * rests at 4005 (200's 4000 does not cross) */
static const struct expect want_oldest[MC_COUNT] = {
	{ { REP, CXL }, { 200 }, { 10 } },
	{ { REP, CXL }, { 200 }, { 10 } },
	{ { REP, TRD, DN, CXL, CXL }, { 101, 102 }, { 10, 30 } },
	{ { ACC, REP, CXL, TRD, DN, DN }, { 200 }, { 10 } },
	{ { ACC, ACC, REP, CXL }, { 300 }, { 10 } },
};

static void check_events(const struct zk_batch *b, const struct expect *w)
{
	size_t n = 0, c = 0;

	while (n < sizeof(w->types) && w->types[n] != 0)
		n++;
	assert_int_equal(b->events.len, n);
	for (size_t i = 0; i < n; i++) {
		const struct zk_event *e = &b->events.ev[i];

		if (e->type != w->types[i])
			fail_msg("event %zu: type %u, expected %u", i,
				 e->type, w->types[i]);
		if (e->type != ZK_EV_CANCELLED)
			continue;
		assert_int_equal(e->reason, ZK_CXL_STP);
		assert_int_equal(e->order_id, w->cxl_id[c]);
		assert_int_equal(e->qty, w->cxl_qty[c]);
		assert_int_equal(e->other_id, 0);
		c++;
	}
}

/* Each case proves (the gate admits it, the constraint debugger finds
 * nothing), verifies under mode's params and under no other mode's. */
static void honest_mode(enum zk_stp_mode mode, const struct expect *want)
{
	struct zk_market_params mp = market_of(mode);

	for (int mc = 0; mc < MC_COUNT; mc++) {
		struct clob_rig r;
		struct zk_batch *b = move_batch(&r, &mp, mc);
		char what[48];

		print_message("mode %d case %d\n", (int)mode, mc);
		check_events(b, &want[mc]);
		snprintf(what, sizeof(what), "mode %d case %d", (int)mode, mc);
		prove_mode_only(&r, b, &mp, 1, what);
		zk_batch_free(b);
		clob_rig_fini(&r);
	}
}

static void test_honest_xstp_newest(void **state)
{
	(void)state;
	honest_mode(ZK_STP_CANCEL_NEWEST, want_newest);
}

static void test_honest_xstp_both(void **state)
{
	(void)state;
	honest_mode(ZK_STP_CANCEL_BOTH, want_both);
}

static void test_honest_xstp_oldest(void **state)
{
	(void)state;
	honest_mode(ZK_STP_CANCEL_OLDEST, want_oldest);
}

enum cheat {
	CH_OLD_ID,     /* the taker's CANCELLED (OLDEST: TRADE) names the
			* old id */
	CH_OTHER_ID,   /* ... keeps REPLACED's other id */
	CH_QTY,        /* a CANCELLED STP for 10 less (OLDEST: the maker's) */
	CH_RESTING,    /* the moved order's level left as it was (its last
			* write kept) */
	CH_MAKER_KEPT, /* the removed maker's slot not freed (BOTH, OLDEST) */
	CH_DROP_REP,   /* REPLACED dropped */
	CH_DROP_END,   /* the last event dropped (NEWEST: the stop claimed
			* as a rest) */
	CH_TRADES_ON,  /* a TRADE claimed in place of the last CANCELLED */
	CH_MODE_A,     /* the trace under another mode's AIR ... */
	CH_MODE_B,     /* ... and the third mode's */
	CH_COUNT
};

/* The event of the moved order's own end (its CANCELLED STP), or the
 * maker's CANCELLED under CANCEL_OLDEST. */
static struct zk_event *stop_event(struct zk_batch *b, uint64_t nid)
{
	struct zk_event *found = NULL;

	for (size_t i = 0; i < b->events.len; i++)
		if (b->events.ev[i].type == ZK_EV_CANCELLED &&
		    (b->events.ev[i].order_id == nid || found == NULL))
			found = &b->events.ev[i];
	assert_non_null(found);
	return found;
}

static void cheat_case(enum zk_stp_mode mode, enum cheat ch,
		       enum move_case mc)
{
	struct zk_market_params mp = market_of(mode);
	struct zk_market_params other[2];
	const struct zk_market_params *air = &mp;
	struct clob_rig r;
	struct zk_batch *b = move_batch(&r, &mp, mc);
	const struct zk_op *op = &b->ops[b->n_ops - 1];
	struct zk_event *ev = b->events.ev, *stop;
	size_t rep = 0, n = b->events.len;
	int debug_rc, verify_rc;

	while (ev[rep].type != ZK_EV_REPLACED)
		rep++;
	stop = stop_event(b, mode == ZK_STP_CANCEL_OLDEST ? 0 :
							    op->new_order_id);
	other[0] = market_of(mode == ZK_STP_CANCEL_NEWEST ?
				     ZK_STP_CANCEL_BOTH :
				     ZK_STP_CANCEL_NEWEST);
	other[1] = market_of(mode == ZK_STP_CANCEL_OLDEST ?
				     ZK_STP_CANCEL_BOTH :
				     ZK_STP_CANCEL_OLDEST);
	print_message("mode %d cheat %d case %d\n", (int)mode, (int)ch,
		      (int)mc);
	switch (ch) {
	case CH_OLD_ID:
		/* (OLDEST: the taker id of its first TRADE) */
		for (size_t i = rep; mode == ZK_STP_CANCEL_OLDEST; i++)
			if (ev[i].type == ZK_EV_TRADE) {
				stop = &ev[i];
				break;
			}
		stop->order_id = op->order_id;
		break;
	case CH_OTHER_ID:
		stop->other_id = op->order_id;
		break;
	case CH_QTY:
		stop->qty -= 10;
		break;
	case CH_RESTING: {
		/* the last write of the order's level slot (its FIFO cut,
		 * or level_free), so the chain of accesses stays whole */
		struct zk_witness_access *a = NULL;
		uint32_t slot = UINT32_MAX;

		for (size_t i = 0; i < b->witness.len; i++) {
			struct zk_witness_access *w = &b->witness.acc[i];

			if (w->op != b->n_ops - 1 ||
			    w->kind != ZK_SLOT_LEVEL || !w->write)
				continue;
			if (slot == UINT32_MAX)
				slot = w->slot;
			if (w->slot == slot)
				a = w;
		}
		assert_non_null(a);
		a->after = a->before;
		break;
	}
	case CH_MAKER_KEPT: {
		struct zk_witness_access *a = freeing_write(
			b, mode == ZK_STP_CANCEL_NEWEST ? op->order_id :
							  stop_event(b, 0)->order_id,
			ZK_SLOT_ORDER);

		a->after = a->before;
		break;
	}
	case CH_DROP_REP:
		memmove(&ev[rep], &ev[rep + 1], (n - rep - 1) * sizeof(*ev));
		b->events.len--;
		break;
	case CH_DROP_END:
		b->events.len--;
		break;
	case CH_TRADES_ON:
		ev[n - 1].type = ZK_EV_TRADE;
		ev[n - 1].reason = 0;
		ev[n - 1].order_id = op->new_order_id;
		ev[n - 1].other_id = 103;
		ev[n - 1].other_remaining = 0;
		break;
	case CH_MODE_A:
		air = &other[0];
		break;
	default:
		air = &other[1];
		break;
	}
	prove_cheat(&r, b, air, &debug_rc, &verify_rc);
	assert_int_equal(debug_rc, ZK_STARK_ETRACE);
	assert_int_not_equal(verify_rc, 0);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

static void cheat_mode(enum zk_stp_mode mode, enum move_case a,
		       enum move_case b)
{
	for (int ch = 0; ch < CH_COUNT; ch++) {
		cheat_case(mode, (enum cheat)ch, a);
		cheat_case(mode, (enum cheat)ch, b);
	}
}

static void test_cheat_xstp_newest(void **state)
{
	(void)state;
	cheat_mode(ZK_STP_CANCEL_NEWEST, MC_FIRST, MC_KEPT_LVL);
}

static void test_cheat_xstp_both(void **state)
{
	(void)state;
	cheat_mode(ZK_STP_CANCEL_BOTH, MC_FIRST, MC_AFTER);
}

static void test_cheat_xstp_oldest(void **state)
{
	(void)state;
	cheat_mode(ZK_STP_CANCEL_OLDEST, MC_AFTER, MC_OWN_OTHER);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_honest_xstp_newest),
		cmocka_unit_test(test_cheat_xstp_newest),
		cmocka_unit_test(test_honest_xstp_both),
		cmocka_unit_test(test_cheat_xstp_both),
		cmocka_unit_test(test_honest_xstp_oldest),
		cmocka_unit_test(test_cheat_xstp_oldest),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
