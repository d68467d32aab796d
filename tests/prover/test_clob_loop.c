/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR, a limit GTC taker (clob_air_loop.h): slots_available's header
 * read before matching, one fill against the best level's head, and —
 * when that maker empties and nothing else crosses — the remainder resting
 * through the resting NEW's rows with qty := the taker's remaining
 * (events ACCEPTED, TRADE, the maker's DONE, nothing after). Honest
 * batches (both sides, a new level after the freed one, an empty side,
 * mixed with IOC fills, rests, cancels and rejects) prove and verify;
 * cheating engines (a remainder resting with the wrong qty, resting while
 * another level still crosses, an IOC remainder resting, a wrong fill, a
 * post-only taker, a GTC without its slots_available read, an event after
 * the rest) are named by the constraint debugger and do not verify.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clob_test_book.h"

static struct zk_op gtc_op(struct clob_rig *r, uint64_t id, uint8_t side,
			   int64_t price, uint64_t qty, uint64_t account)
{
	return (struct zk_op){ .seq = r->seq++, .order_id = id,
			       .account = account, .price = price,
			       .qty = qty, .market = clob_test_market.market,
			       .type = ZK_OP_NEW, .side = side,
			       .ord_type = ZK_ORD_LIMIT, .tif = ZK_TIF_GTC };
}

/* ops whose events are ACCEPTED, TRADE (a remaining left), the maker's
 * DONE and nothing else: a GTC remainder that rests */
static size_t count_rested(const struct zk_batch *b)
{
	const struct zk_event *ev = b->events.ev;
	size_t n = 0;

	for (size_t i = 0; i + 2 < b->events.len; i++)
		n += ev[i].type == ZK_EV_ACCEPTED &&
		     ev[i + 1].type == ZK_EV_TRADE &&
		     ev[i + 1].remaining != 0 &&
		     ev[i + 1].other_remaining == 0 &&
		     ev[i + 2].type == ZK_EV_DONE &&
		     ev[i + 2].seq == ev[i].seq &&
		     (i + 3 == b->events.len || ev[i + 3].seq != ev[i].seq);
	return n;
}

/* On the test book (bids 500..490, asks 5000..5010): a new best ask is
 * taken by a GTC BUY that rests its remainder at a new best bid (the
 * freed level slot reused), a GTC filled by the 5000 head, a GTC SELL
 * that takes that new bid and rests at a new best ask, a GTC that takes
 * exactly that one; then on an empty book a GTC BUY that empties the
 * only ask (the header then names none) and rests. */
static void test_honest_gtc(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[16];
	size_t n = 0;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	ops[n++] = gtc_op(&r, 500, ZK_SIDE_SELL, 4995, 50, 3);
	ops[n++] = gtc_op(&r, 501, ZK_SIDE_BUY, 4995, 80, 2);
	ops[n++] = gtc_op(&r, 502, ZK_SIDE_BUY, 5000, 10, 2);
	ops[n++] = clob_malformed_op(&r, 3);
	ops[n++] = gtc_op(&r, 503, ZK_SIDE_SELL, 4995, 40, 1);
	ops[n++] = cancel_op(&r, book_id(1, 0), 20);
	ops[n++] = gtc_op(&r, 504, ZK_SIDE_BUY, 4995, 10, 2);
	ops[n++] = clob_invalid_op(&r, 2);
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	assert_int_equal(count_rested(b), 2);
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);

	assert_int_equal(clob_rig_init(&r, 1000), 0);
	n = 0;
	ops[n++] = gtc_op(&r, 600, ZK_SIDE_SELL, 5000, 40, 1);
	ops[n++] = gtc_op(&r, 601, ZK_SIDE_BUY, 5000, 100, 2);
	ops[n++] = gtc_op(&r, 602, ZK_SIDE_SELL, 4000, 30, 1);
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	assert_int_equal(count_rested(b), 1);
	assert_int_equal(b->events.len, 7);
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

enum cheat_gtc {
	CG_REST_QTY,   /* the remainder rests with 10 more than is left */
	CG_CROSSES,    /* it rests while the next level still crosses */
	CG_IOC_RESTS,  /* an IOC whose remainder rests */
	CG_FILL,       /* the trade's fill off */
	CG_POST_ONLY,  /* a post-only GTC that trades */
	CG_NO_SLOTS,   /* a GTC without slots_available's header read */
	CG_MORE_EVENT, /* an event after the rest (the taker's DONE) */
	CG_COUNT,
};

static const char *const cheat_gtc_name[CG_COUNT] = {
	"rest qty", "rests while crossing", "IOC remainder rests",
	"trade fill", "post-only taker", "no slots_available read",
	"event after the rest",
};

/* The accesses of op `op` that write a slot of `kind` (a rest's order or
 * level write) get their remaining / total raised by d. */
static void raise_rest(struct zk_batch *b, uint32_t op, uint64_t id,
		       uint64_t d)
{
	for (size_t i = 0; i < b->witness.len; i++) {
		struct zk_witness_access *a = &b->witness.acc[i];

		if (a->op != op || !a->write)
			continue;
		if (a->kind == ZK_SLOT_ORDER && a->after.order.id == id)
			a->after.order.remaining += d;
		else if (a->kind == ZK_SLOT_LEVEL &&
			 a->after.level.side == ZK_SIDE_BUY &&
			 a->after.level.price == 4995 &&
			 a->after.level.head != ZK_SLOT_NIL)
			a->after.level.total += d;
	}
}

/* The rest's level at 4995 (and the order) moved to price p. */
static void move_rest(struct zk_batch *b, uint32_t op, uint64_t id, int64_t p)
{
	for (size_t i = 0; i < b->witness.len; i++) {
		struct zk_witness_access *a = &b->witness.acc[i];

		if (a->op != op)
			continue;
		if (a->kind == ZK_SLOT_ORDER && a->after.order.id == id)
			a->after.order.price = p;
		if (a->kind != ZK_SLOT_LEVEL ||
		    a->after.level.side != ZK_SIDE_BUY ||
		    a->after.level.price != 4995)
			continue;
		a->after.level.price = p;
		if (a->before.level.side == ZK_SIDE_BUY)
			a->before.level.price = p;
	}
}

static void cheat_gtc_case(enum cheat_gtc ch)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[2];
	struct zk_event *ev;
	size_t n_ev = ch == CG_NO_SLOTS ? 5 : 4;

	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	ops[0] = gtc_op(&r, 500, ZK_SIDE_SELL, 4995, 50, 3);
	ops[1] = gtc_op(&r, 501, ZK_SIDE_BUY, 4995, 80, 2);
	if (ch == CG_NO_SLOTS)
		ops[1].tif = ZK_TIF_IOC;
	b = clob_rig_batch(&r, ops, 2);
	assert_non_null(b);
	ev = b->events.ev;
	assert_int_equal(b->events.len, n_ev);
	assert_int_equal(ev[2].type, ZK_EV_TRADE);
	assert_int_equal(ev[2].remaining, 30);
	switch (ch) {
	case CG_REST_QTY:
		raise_rest(b, 1, 501, 10);
		break;
	case CG_CROSSES:
		/* at 5000 the best ask left still crosses */
		b->ops[1].price = ev[1].price = 5000;
		move_rest(b, 1, 501, 5000);
		break;
	case CG_IOC_RESTS:
		b->ops[1].tif = ZK_TIF_IOC;
		break;
	case CG_FILL:
		ev[2].qty -= 10;
		break;
	case CG_POST_ONLY:
		b->ops[1].flags = ZK_OP_F_POST_ONLY;
		break;
	case CG_NO_SLOTS:
		/* an IOC's run (no header read before matching) claimed for a
		 * GTC, its CANCELLED kept */
		b->ops[1].tif = ZK_TIF_GTC;
		break;
	case CG_MORE_EVENT:
		ev = realloc(b->events.ev, 5 * sizeof(*ev));
		assert_non_null(ev);
		b->events.ev = ev;
		b->events.cap = 5;
		ev[4] = ev[3];
		ev[4].side = ZK_SIDE_BUY;
		ev[4].order_id = 501;
		b->events.len = 5;
		break;
	default:
		break;
	}
	expect_cheat_refused(&r, b, NULL,
			     (unsigned)ch < CG_COUNT ? cheat_gtc_name[ch] : "?");
}

static void test_cheat_gtc(void **state)
{
	(void)state;
	for (int ch = 0; ch < CG_COUNT; ch++)
		cheat_gtc_case((enum cheat_gtc)ch);
}

static struct zk_op fok_op(struct clob_rig *r, uint64_t id, uint8_t side,
			   int64_t price, uint64_t qty, uint64_t account)
{
	struct zk_op op = gtc_op(r, id, side, price, qty, account);

	op.tif = ZK_TIF_FOK;
	if (price == 0)
		op.ord_type = ZK_ORD_MARKET;
	return op;
}

/* FOKs that the best level's head fills whole (fok_fillable reads the
 * header, that level and its head, then match fills): a limit BUY that
 * leaves the head a remaining, a limit SELL that takes exactly the best
 * bid's head (its removal), a market BUY, between IOC and GTC takers, a
 * FOK that finds nothing, a reduce and a reject. */
static void test_honest_fok(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[16];
	size_t n = 0, fills = 0;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	ops[n++] = fok_op(&r, 700, ZK_SIDE_BUY, 5000, 30, 2);
	ops[n++] = fok_op(&r, 701, ZK_SIDE_SELL, 500, 40, 2);
	ops[n++] = clob_malformed_op(&r, 3);
	ops[n++] = fok_op(&r, 702, ZK_SIDE_BUY, 0, 10, 3);
	ops[n++] = fok_op(&r, 703, ZK_SIDE_BUY, 4990, 10, 3); /* nothing */
	ops[n++] = cancel_op(&r, book_id(1, 0), 20);
	ops[n] = gtc_op(&r, 704, ZK_SIDE_SELL, 495, 10, 3);
	ops[n++].tif = ZK_TIF_IOC;
	ops[n++] = fok_op(&r, 705, ZK_SIDE_SELL, 495, 10, 2);
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	for (size_t i = 0; i + 1 < b->events.len; i++)
		fills += b->events.ev[i + 1].type == ZK_EV_TRADE;
	assert_int_equal(fills, 5);
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

enum cheat_fok {
	CF_REMAINDER, /* a FOK left a remainder (an IOC's run) */
	CF_READS,     /* fok_fillable reads another order than the head */
	CF_IOC_READS, /* an IOC with fok_fillable's reads */
	CF_FILL,      /* the trade's fill short of the qty */
	CF_COUNT,
};

static const char *const cheat_fok_name[CF_COUNT] = {
	"FOK remainder", "FOK reads another order", "IOC with FOK reads",
	"FOK fill",
};

/* An IOC's witness made a FOK's: fok_fillable's reads (the header, the
 * best level, its head: copies of match's first three reads, the same
 * values) inserted before match's. */
static void fok_reads(struct zk_batch *b, uint32_t op)
{
	struct zk_witness *w = &b->witness;
	struct zk_witness_access *acc;
	size_t h = 0;

	while (h < w->len && (w->acc[h].op != op ||
			      w->acc[h].kind != ZK_SLOT_HEADER))
		h++;
	assert_true(h + 3 <= w->len);
	acc = realloc(w->acc, (w->len + 3) * sizeof(*acc));
	assert_non_null(acc);
	w->acc = acc;
	w->cap = w->len + 3;
	memmove(acc + h + 3, acc + h, (w->len - h) * sizeof(*acc));
	w->len += 3;
	assert_int_equal(acc[h + 4].kind, ZK_SLOT_LEVEL);
	assert_int_equal(acc[h + 5].kind, ZK_SLOT_ORDER);
}

static void cheat_fok_case(enum cheat_fok ch)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[2];
	size_t n = 0;

	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	if (ch == CF_REMAINDER) {
		ops[n++] = gtc_op(&r, 500, ZK_SIDE_SELL, 4995, 50, 3);
		ops[n] = gtc_op(&r, 501, ZK_SIDE_BUY, 4995, 80, 2);
		ops[n++].tif = ZK_TIF_IOC;
	} else {
		ops[n++] = fok_op(&r, 501, ZK_SIDE_BUY, 5000, 30, 2);
	}
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	switch (ch) {
	case CF_REMAINDER:
		assert_int_equal(b->events.len, 5);
		b->ops[1].tif = ZK_TIF_FOK;
		fok_reads(b, 1);
		break;
	case CF_READS:
		/* the level's second order in place of its head */
		for (size_t i = 0; i < b->witness.len; i++) {
			struct zk_witness_access *a = &b->witness.acc[i];
			uint32_t second;

			if (a->kind != ZK_SLOT_ORDER)
				continue;
			second = a->before.order.next;
			a->slot = second;
			assert_int_equal(zk_engine_slot_get(
						 r.e, clob_test_market.market,
						 ZK_SLOT_ORDER, second, &a->before),
					 0);
			a->after = a->before;
			break;
		}
		break;
	case CF_IOC_READS:
		b->ops[0].tif = ZK_TIF_IOC;
		break;
	case CF_FILL:
		b->events.ev[1].qty -= 10;
		break;
	default:
		break;
	}
	expect_cheat_refused(&r, b, NULL,
			     (unsigned)ch < CF_COUNT ? cheat_fok_name[ch] : "?");
}

static void test_cheat_fok(void **state)
{
	(void)state;
	for (int ch = 0; ch < CF_COUNT; ch++)
		cheat_fok_case((enum cheat_fok)ch);
}

static struct zk_op ioc_op(struct clob_rig *r, uint64_t id, uint8_t side,
			   int64_t price, uint64_t qty, uint64_t account,
			   uint32_t stp)
{
	struct zk_op op = gtc_op(r, id, side, price, qty, account);

	op.tif = ZK_TIF_IOC;
	op.stp_group = stp;
	if (price == 0)
		op.ord_type = ZK_ORD_MARKET;
	return op;
}

/* ops whose events are ACCEPTED, CANCELLED STP */
static size_t count_stopped(const struct zk_batch *b)
{
	const struct zk_event *ev = b->events.ev;
	size_t n = 0;

	for (size_t i = 0; i + 1 < b->events.len; i++)
		n += ev[i].type == ZK_EV_ACCEPTED &&
		     ev[i + 1].type == ZK_EV_CANCELLED &&
		     ev[i + 1].reason == ZK_CXL_STP;
	return n;
}

/* Takers whose first maker is their own order (the test market cancels
 * the taker, CANCEL_NEWEST): by account (stp groups 0) a limit IOC, a
 * market IOC and a GTC against the 5000 head (account 1); by stp group
 * an IOC against a new best ask of group 5; then the same account with
 * another group trades; among fills, rejects and a reduce. */
static void test_honest_stp(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[16];
	size_t n = 0;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	ops[n++] = ioc_op(&r, 800, ZK_SIDE_BUY, 5000, 10, 1, 0);
	ops[n++] = ioc_op(&r, 801, ZK_SIDE_BUY, 0, 10, 1, 0);
	ops[n++] = clob_malformed_op(&r, 3);
	ops[n++] = gtc_op(&r, 802, ZK_SIDE_BUY, 5000, 10, 1);
	ops[n] = gtc_op(&r, 803, ZK_SIDE_SELL, 4995, 10, 3);
	ops[n++].stp_group = 5;
	ops[n++] = ioc_op(&r, 804, ZK_SIDE_BUY, 4995, 10, 2, 5);
	ops[n++] = cancel_op(&r, book_id(1, 0), 20);
	ops[n++] = ioc_op(&r, 805, ZK_SIDE_BUY, 4995, 10, 3, 6);
	ops[n++] = clob_invalid_op(&r, 2);
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	assert_int_equal(count_stopped(b), 4);
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

enum cheat_stp {
	CS_NOT_SELF,  /* a stop claimed against another account's order */
	CS_GROUP,     /* a stop claimed across different stp groups */
	CS_QTY,       /* the CANCELLED STP qty off */
	CS_REASON,    /* the stop reported IOC_REMAINDER */
	CS_FOK,       /* a FOK stopped by match (fok_fillable stops it) */
	CS_COUNT,
};

static const char *const cheat_stp_name[CS_COUNT] = {
	"stop without a self-trade", "stop across stp groups", "stop qty",
	"stop reason", "FOK stop",
};

/* A cheating prover that labels a maker read a self-trade stop (OS) and
 * its events a stop's (ACCEPTED with E2 and reason STP, no TRADE). */
static void force_stop(zk_gl **cols, size_t n, void *arg)
{
	(void)arg;
	for (size_t r = 0; r + 2 < n; r++) {
		zk_gl stp = cols[C_OPF + OPF_STP][r], inv = 0;

		if (!cols[C_OM][r])
			continue;
		cols[C_OM][r] = 0;
		cols[C_OS][r] = 1;
		cols[C_GD][r] = stp != 0;
		if (stp != 0)
			assert_true(zk_gl_inv(stp, &inv));
		cols[C_J3][r] = inv;
		cols[C_ET][r + 1] = 0;
		cols[C_E2][r + 1] = 1;
		cols[C_RSN][r + 1] = ZK_CXL_STP;
		cols[C_ED][r + 2] = 0;
	}
}

static void cheat_stp_case(enum cheat_stp ch)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[2];
	size_t n = 0;

	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	ops[n] = gtc_op(&r, 803, ZK_SIDE_SELL, 4995, 10, 3);
	ops[n++].stp_group = 5;
	ops[n++] = ioc_op(&r, 804, ZK_SIDE_BUY, 4995, 10, 2, 5);
	if (ch == CS_NOT_SELF || ch == CS_GROUP) {
		/* a real fill (the maker's group is 5: neither the same
		 * account with group 0 nor group 6 is its own) whose rows a
		 * cheating prover labels a stop, with a stop's events */
		ops[1].account = 3;
		ops[1].stp_group = ch == CS_NOT_SELF ? 0 : 6;
	}
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	switch (ch) {
	case CS_NOT_SELF:
	case CS_GROUP:
		assert_int_equal(b->events.len, 5);
		b->events.ev[2] = b->events.ev[1];
		b->events.ev[2].type = ZK_EV_CANCELLED;
		b->events.ev[2].reason = ZK_CXL_STP;
		b->events.ev[2].remaining = 0;
		b->events.len = 3;
		/* the fill's writes and the removal dropped: the taker's
		 * reads up to the maker's only */
		for (size_t i = 0; i < b->witness.len; i++) {
			if (b->witness.acc[i].op == 1 &&
			    b->witness.acc[i].kind == ZK_SLOT_ORDER) {
				b->witness.len = i + 1;
				break;
			}
		}
		expect_cheat_refused(&r, b, force_stop, cheat_stp_name[ch]);
		return;
	case CS_QTY:
		b->events.ev[2].qty -= 10;
		break;
	case CS_REASON:
		b->events.ev[2].reason = ZK_CXL_IOC_REMAINDER;
		break;
	case CS_FOK:
		b->ops[1].tif = ZK_TIF_FOK;
		break;
	default:
		break;
	}
	expect_cheat_refused(&r, b, NULL,
			     (unsigned)ch < CS_COUNT ? cheat_stp_name[ch] : "?");
}

static void test_cheat_stp(void **state)
{
	(void)state;
	for (int ch = 0; ch < CS_COUNT; ch++)
		cheat_stp_case((enum cheat_stp)ch);
}

/* ops whose events are ACCEPTED, CANCELLED FOK_UNFILLED */
static size_t count_unfilled(const struct zk_batch *b)
{
	const struct zk_event *ev = b->events.ev;
	size_t n = 0;

	for (size_t i = 0; i + 1 < b->events.len; i++)
		n += ev[i].type == ZK_EV_ACCEPTED &&
		     ev[i + 1].type == ZK_EV_CANCELLED &&
		     ev[i + 1].reason == ZK_CXL_FOK_UNFILLED;
	return n;
}

/* FOKs that read a crossing level's only order and end FOK_UNFILLED: too
 * small with the worse level not crossing (a BUY and a SELL), the
 * taker's own order, and on an empty book too small with no worse level
 * (a limit and a market FOK); among rests, fills and rejects. */
static void test_honest_unfilled(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[16];
	size_t n = 0;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	ops[n++] = gtc_op(&r, 900, ZK_SIDE_SELL, 4995, 10, 3);
	ops[n++] = fok_op(&r, 901, ZK_SIDE_BUY, 4995, 20, 2);
	ops[n++] = fok_op(&r, 902, ZK_SIDE_BUY, 4995, 10, 3);
	ops[n++] = clob_malformed_op(&r, 3);
	ops[n++] = gtc_op(&r, 903, ZK_SIDE_BUY, 505, 10, 1);
	ops[n++] = fok_op(&r, 904, ZK_SIDE_SELL, 505, 30, 2);
	ops[n++] = fok_op(&r, 905, ZK_SIDE_BUY, 4995, 10, 2); /* fills */
	ops[n++] = clob_invalid_op(&r, 2);
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	assert_int_equal(count_unfilled(b), 3);
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);

	assert_int_equal(clob_rig_init(&r, 1000), 0);
	n = 0;
	ops[n++] = gtc_op(&r, 910, ZK_SIDE_SELL, 5000, 10, 1);
	ops[n++] = fok_op(&r, 911, ZK_SIDE_BUY, 5000, 20, 2);
	ops[n++] = fok_op(&r, 912, ZK_SIDE_BUY, 0, 20, 2);
	b = clob_rig_batch(&r, ops, n);
	assert_non_null(b);
	assert_int_equal(count_unfilled(b), 2);
	prove_verify_ok(&r, b);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

enum cheat_unfilled {
	CU_FILLABLE,  /* the head held the whole qty */
	CU_CROSSES,   /* the worse level crosses too */
	CU_UNREAD,    /* the worse level, which crosses, never read */
	CU_SECOND,    /* the level's second order never read */
	CU_COUNT,
};

static const char *const cheat_unfilled_name[CU_COUNT] = {
	"FOK unfilled while the head fills it",
	"FOK unfilled while the worse level crosses",
	"FOK unfilled without reading the worse level",
	"FOK unfilled without the level's second order",
};

static void cheat_unfilled_case(enum cheat_unfilled ch)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_op ops[2];
	struct zk_event *ev;

	assert_int_equal(clob_rig_init(&r, 1000), 0);
	rest_book(&r);
	/* CU_SECOND: no new best ask, the 5000 level's head (40) and its
	 * second order fill 50 */
	ops[0] = gtc_op(&r, 900, ZK_SIDE_SELL,
			ch == CU_SECOND ? 5005 : 4995, 10, 3);
	ops[1] = fok_op(&r, 901, ZK_SIDE_BUY, ch >= CU_UNREAD ? 5000 : 4995,
			ch == CU_UNREAD ? 60 : ch == CU_SECOND ? 50 : 20, 2);
	b = clob_rig_batch(&r, ops, 2);
	assert_non_null(b);
	ev = b->events.ev;
	switch (ch) {
	case CU_FILLABLE:
		assert_int_equal(count_unfilled(b), 1);
		b->ops[1].qty = ev[1].qty = ev[1].remaining = ev[2].qty = 10;
		break;
	case CU_CROSSES:
		assert_int_equal(count_unfilled(b), 1);
		b->ops[1].price = ev[1].price = ev[2].price = 5000;
		break;
	case CU_UNREAD:
	case CU_SECOND:
		/* the engine fills it (CU_UNREAD: from 4995 and 5000;
		 * CU_SECOND: from the 5000 head and the order after it):
		 * claimed unfilled after the first order read */
		assert_int_equal(count_unfilled(b), 0);
		ev[2] = ev[1];
		ev[2].type = ZK_EV_CANCELLED;
		ev[2].reason = ZK_CXL_FOK_UNFILLED;
		ev[2].remaining = 0;
		b->events.len = 3;
		for (size_t i = 0; i < b->witness.len; i++) {
			if (b->witness.acc[i].op == 1 &&
			    b->witness.acc[i].kind == ZK_SLOT_ORDER) {
				b->witness.len = i + 1;
				break;
			}
		}
		break;
	default:
		break;
	}
	expect_cheat_refused(&r, b, NULL,
			     (unsigned)ch < CU_COUNT ? cheat_unfilled_name[ch] :
						       "?");
}

static void test_cheat_unfilled(void **state)
{
	(void)state;
	for (int ch = 0; ch < CU_COUNT; ch++)
		cheat_unfilled_case((enum cheat_unfilled)ch);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_honest_gtc),
		cmocka_unit_test(test_cheat_gtc),
		cmocka_unit_test(test_honest_fok),
		cmocka_unit_test(test_cheat_fok),
		cmocka_unit_test(test_honest_stp),
		cmocka_unit_test(test_cheat_stp),
		cmocka_unit_test(test_honest_unfilled),
		cmocka_unit_test(test_cheat_unfilled),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
