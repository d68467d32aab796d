/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR: honest batches of the supported op kinds verify; unsupported
 * kinds are refused; every tampered statement, op list, event list, proof
 * byte or cheating trace is rejected. The "machinery" group runs the
 * memory-checking and Merkle parts (in the test-only AIR variant without
 * op rules) on real book batches and tampers with them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clob_test_prove.h"

/* The machinery AIR has no public verifier: set one up from scratch. */
static int verify_machinery(const struct custom *cu, const struct zk_op *ops,
			    size_t n_ops, const struct zk_event *ev,
			    size_t n_ev, const struct zk_statement *st)
{
	struct zk_clob_air air;
	struct zk_st_layout lay;
	char err[ERRLEN];

	assert_int_equal(zk_st_layout_init(&lay, clob_test_market.market, 4,
					   cu->air.lay.count),
			 0);
	if (zk_clob_air_init(&air, &lay, &clob_test_market, st, ops, n_ops,
			     ev, n_ev, 1, err, sizeof(err)) != 0)
		return -1;
	if (cu->proof == NULL)
		return -1;
	return zk_stark_verify(&air.air, FAST, cu->proof, cu->len, err,
			       sizeof(err));
}

static long find_row(zk_gl **cols, size_t n, unsigned sel, size_t nth)
{
	for (size_t r = 0; r < n; r++)
		if (cols[sel][r] == 1 && nth-- == 0)
			return (long)r;
	return -1;
}

/* ---- honest batches and refusals ---- */

static void test_honest_malformed(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_statement st;
	struct zk_clob_prove_opts o = { .market = &clob_test_market,
					.stark_params = FAST, .threads = 2,
					.debug = 1 };
	uint8_t *proof = NULL, before[32], after[32];
	size_t len = 0;
	char err[ERRLEN] = "";

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	zk_st_root(r.t, before);
	b = malformed_batch(&r, 27);
	assert_non_null(b);
	if (zk_clob_prove(b, r.t, &o, &proof, &len, &st, err, sizeof(err)) != 0)
		fail_msg("prove: %s", err);
	zk_st_root(r.t, after);
	assert_memory_equal(before, after, 32);
	assert_memory_equal(st.old_root, st.new_root, 32);
	assert_int_equal(verify(&st, b->ops, b->n_ops, b->events.ev,
				b->events.len, proof, len),
			 ZK_CLOB_OK);
	/* another parameter set is not accepted for this proof */
	assert_int_not_equal(zk_clob_verify(&st, b->ops, b->n_ops,
					    b->events.ev, b->events.len,
					    &clob_test_market, ZK_PARAMS_COMPACT,
					    proof, len, err, sizeof(err)),
			     ZK_CLOB_OK);
	free(proof);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

static void test_refuse_unsupported(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_statement st;
	struct zk_clob_prove_opts o = { .market = &clob_test_market,
					.stark_params = FAST };
	struct zk_op ops[4];
	uint8_t *proof = NULL, before[32], after[32];
	size_t len = 0;
	char err[ERRLEN] = "";

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	zk_st_root(r.t, before);
	/* a SELL at 1010 and a BUY at 1000 of the same account rest; a
	 * REPLACE of the BUY to -1010 is rejected (PRICE_BAND) with a price
	 * outside the AIR's limbs (not proven yet; a move stopped by
	 * self-trade prevention, which served here, is since AIR v10) */
	ops[0] = clob_book_op(&r, 1);
	ops[1] = clob_book_op(&r, 0);
	ops[1].price = 1000;
	ops[1].account = ops[0].account;
	ops[2] = (struct zk_op){ .seq = r.seq++,
				 .order_id = ops[1].order_id,
				 .new_order_id = 900,
				 .account = ops[1].account,
				 .price = -ops[0].price, .qty = ops[1].qty,
				 .market = clob_test_market.market,
				 .type = ZK_OP_REPLACE };
	ops[3] = clob_malformed_op(&r, 1);
	b = clob_rig_batch(&r, ops, 4);
	assert_non_null(b);
	assert_int_equal(zk_clob_prove(b, r.t, &o, &proof, &len, &st, err,
				       sizeof(err)),
			 ZK_CLOB_EUNSUPPORTED);
	assert_non_null(strstr(err, "op 2"));
	assert_non_null(strstr(err, "REPLACE"));
	assert_null(proof);
	zk_st_root(r.t, after);
	assert_memory_equal(before, after, 32);
	zk_batch_free(b);

	/* market-rule rejects outside the AIR's numeric limits, other market */
	{
		struct zk_op neg = clob_invalid_op(&r, 5), other;

		neg.price = -5; /* PRICE_BAND, but a negative price */
		other = clob_invalid_op(&r, 0);
		other.market = 99; /* UNKNOWN_MARKET */
		for (unsigned i = 0; i < 2; i++) {
			b = clob_rig_batch(&r, i == 0 ? &neg : &other, 1);
			assert_non_null(b);
			assert_int_equal(zk_clob_prove(b, r.t, &o, &proof, &len,
						       &st, err, sizeof(err)),
					 ZK_CLOB_EUNSUPPORTED);
			assert_non_null(strstr(err, "NEW rejected by validation"));
			zk_batch_free(b);
		}
	}
	clob_rig_fini(&r);
}

/* ---- the verifier's own checks: statement, ops, events, proof ---- */

static void test_tampered_public_data(void **state)
{
	struct clob_rig r;
	struct zk_batch *b1, *b2;
	struct zk_statement st1, st2, bad;
	struct zk_clob_prove_opts o = { .market = &clob_test_market,
					.stark_params = FAST };
	struct zk_op ops[32];
	struct zk_event ev[32];
	uint8_t *p1 = NULL, *p2 = NULL;
	size_t l1, l2, n, ne, i;
	char err[ERRLEN];

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	b1 = malformed_batch(&r, 12);
	b2 = malformed_batch(&r, 12);
	assert_int_equal(zk_clob_prove(b1, r.t, &o, &p1, &l1, &st1, err,
				       sizeof(err)), 0);
	assert_int_equal(zk_clob_prove(b2, r.t, &o, &p2, &l2, &st2, err,
				       sizeof(err)), 0);
	n = b1->n_ops;
	ne = b1->events.len;
	assert_int_equal(verify(&st1, b1->ops, n, b1->events.ev, ne, p1, l1), 0);
	assert_int_equal(verify(&st2, b2->ops, n, b2->events.ev, ne, p2, l2), 0);

	/* batch n's proof with batch n+1's statement and data */
	assert_int_not_equal(verify(&st2, b2->ops, n, b2->events.ev, ne, p1,
				    l1), 0);
	/* every statement field */
	for (unsigned f = 0; f < 8; f++) {
		bad = st1;
		switch (f) {
		case 0: bad.batch_seq++; break;
		case 1: bad.old_root[3] ^= 1; break;
		case 2: bad.new_root[9] ^= 1; break;
		case 3: bad.ops_digest[0] ^= 1; break;
		case 4: bad.events_digest[31] ^= 1; break;
		case 5: bad.params_id++; break;
		case 6: bad.first_seq--; break;
		default: bad.market++; break;
		}
		assert_int_not_equal(verify(&bad, b1->ops, n, b1->events.ev,
					    ne, p1, l1), 0);
	}
	/* swapped old_root: a real root of another book state */
	{
		struct clob_rig other;
		struct zk_batch *ob;
		struct zk_st_update u = { 0 };

		assert_int_equal(clob_rig_init(&other, 1000), 0);
		ob = book_batch(&other, 0, 4);
		assert_int_equal(zk_st_apply_witness(other.t, &ob->witness, &u), 0);
		bad = st1;
		memcpy(bad.old_root, u.new_root, 32);
		memcpy(bad.new_root, u.new_root, 32);
		assert_int_not_equal(verify(&bad, b1->ops, n, b1->events.ev,
					    ne, p1, l1), 0);
		zk_st_update_free(&u);
		zk_batch_free(ob);
		clob_rig_fini(&other);
	}
	/* dropped op (and its event), digests and seq range re-derived */
	memcpy(ops, b1->ops, n * sizeof(ops[0]));
	memcpy(ev, b1->events.ev, ne * sizeof(ev[0]));
	memmove(ops + 4, ops + 5, (n - 5) * sizeof(ops[0]));
	memmove(ev + 4, ev + 5, (ne - 5) * sizeof(ev[0]));
	bad = st1;
	restate(&bad, ops, n - 1, ev, ne - 1);
	assert_int_not_equal(verify(&bad, ops, n - 1, ev, ne - 1, p1, l1), 0);
	/* reordered ops: contents swapped, seqs kept increasing */
	memcpy(ops, b1->ops, n * sizeof(ops[0]));
	memcpy(ev, b1->events.ev, ne * sizeof(ev[0]));
	{
		struct zk_op t = ops[2];
		struct zk_event te = ev[2];
		uint64_t s2 = ops[2].seq, s3 = ops[3].seq;

		ops[2] = ops[3];
		ops[3] = t;
		ops[2].seq = s2;
		ops[3].seq = s3;
		ev[2] = ev[3];
		ev[3] = te;
		ev[2].seq = s2;
		ev[3].seq = s3;
	}
	bad = st1;
	restate(&bad, ops, n, ev, ne);
	assert_int_not_equal(verify(&bad, ops, n, ev, ne, p1, l1), 0);
	/* one changed event field at a time */
	for (i = 0; i < 5; i++) {
		memcpy(ev, b1->events.ev, ne * sizeof(ev[0]));
		switch (i) {
		case 0: ev[1].reason = ZK_REJ_BAD_TICK; break;
		case 1: ev[2].other_id ^= 1; break;
		case 2: ev[3].order_id++; break;
		case 3: ev[4].type = ZK_EV_ACCEPTED; break;
		default: ev[5].qty = 10; break;
		}
		bad = st1;
		restate(&bad, b1->ops, n, ev, ne);
		assert_int_not_equal(verify(&bad, b1->ops, n, ev, ne, p1, l1), 0);
	}
	/* one changed op field at a time, the high 32-bit limbs too (each
	 * reaches the bus fingerprint as its own element) */
	for (i = 0; i < 12; i++) {
		memcpy(ops, b1->ops, n * sizeof(ops[0]));
		switch (i) {
		case 0: ops[1].order_id ^= 1; break;
		case 1: ops[2].order_id ^= (uint64_t)1 << 40; break;
		case 2: ops[3].qty += (uint64_t)1 << 33; break;
		case 3: ops[4].account ^= (uint64_t)1 << 35; break;
		case 4: ops[5].price += (int64_t)1 << 32; break;
		case 5: ops[6].new_order_id ^= 1; break;
		case 6: ops[7].stp_group ^= 1; break;
		case 7: ops[8].side ^= 1; break;
		case 8: ops[9].flags ^= 1; break;
		case 9: ops[10].reserved[2] ^= 1; break;
		case 10: ops[n - 1].seq += (uint64_t)1 << 32; break;
		default: ops[0].type = ZK_OP_CANCEL; break;
		}
		bad = st1;
		restate(&bad, ops, n, b1->events.ev, ne);
		assert_int_not_equal(verify(&bad, ops, n, b1->events.ev, ne, p1,
					    l1), 0);
	}
	/* two events swapped, seqs kept */
	memcpy(ev, b1->events.ev, ne * sizeof(ev[0]));
	{
		struct zk_event te = ev[6];

		ev[6] = ev[7];
		ev[7] = te;
		ev[6].seq = b1->events.ev[6].seq;
		ev[7].seq = b1->events.ev[7].seq;
	}
	bad = st1;
	restate(&bad, b1->ops, n, ev, ne);
	assert_int_not_equal(verify(&bad, b1->ops, n, ev, ne, p1, l1), 0);
	/* an op repeated (its copy and event appended with the next seq) */
	memcpy(ops, b1->ops, n * sizeof(ops[0]));
	memcpy(ev, b1->events.ev, ne * sizeof(ev[0]));
	ops[n] = ops[n - 1];
	ops[n].seq++;
	ev[ne] = ev[ne - 1];
	ev[ne].seq++;
	bad = st1;
	restate(&bad, ops, n + 1, ev, ne + 1);
	assert_int_not_equal(verify(&bad, ops, n + 1, ev, ne + 1, p1, l1), 0);
	/* an extra event */
	memcpy(ev, b1->events.ev, ne * sizeof(ev[0]));
	ev[ne] = ev[ne - 1];
	bad = st1;
	restate(&bad, b1->ops, n, ev, ne + 1);
	assert_int_not_equal(verify(&bad, b1->ops, n, ev, ne + 1, p1, l1), 0);
	/* the unchanged lists with the original statement still verify */
	assert_int_equal(verify(&st1, b1->ops, n, b1->events.ev, ne, p1, l1),
			 0);
	/* proof bytes */
	for (i = 0; i < 64; i++) {
		size_t at = (i * 7919u) % l1;

		p1[at] ^= (uint8_t)(1u << (i % 8));
		assert_int_not_equal(verify(&st1, b1->ops, n, b1->events.ev,
					    ne, p1, l1), 0);
		p1[at] ^= (uint8_t)(1u << (i % 8));
	}
	assert_int_not_equal(verify(&st1, b1->ops, n, b1->events.ev, ne, p1,
				    l1 - 1), 0);
	free(p1);
	free(p2);
	zk_batch_free(b1);
	zk_batch_free(b2);
	clob_rig_fini(&r);
}

/* The verifier's tree layout (zk_market_slot_counts, no book built) is
 * the one a market's engine gives; rules the engine refuses are refused. */
static void test_verify_layout(void **state)
{
	struct zk_market_params mp[4] = { clob_test_market, clob_test_market,
					  clob_test_market, clob_test_market };
	struct zk_market_params bad = clob_test_market;
	struct zk_st_layout from_rules, from_engine;
	struct zk_statement st = { 0 };
	struct zk_op op = { 0 };
	uint32_t count[ZK_ST_KINDS + 1];
	uint8_t proof[8] = { 0 };
	char err[ERRLEN] = "";

	(void)state;
	mp[1].max_orders = 1000; /* buckets: 2048 */
	mp[1].max_levels = 1;
	mp[2].max_orders = 1;    /* buckets: the minimum, 16 */
	mp[3].max_orders = 8192;
	mp[3].max_levels = 4096;
	for (unsigned i = 0; i < 4; i++) {
		struct zk_engine *e = zk_engine_create(&mp[i], 1);

		assert_non_null(e);
		assert_int_equal(zk_market_slot_counts(&mp[i], count), 0);
		for (uint32_t k = 1; k <= ZK_ST_KINDS; k++) {
			enum zk_slot_kind kind = (enum zk_slot_kind)k;

			assert_int_equal(count[k], zk_engine_slot_count(
						e, mp[i].market, kind));
		}
		assert_int_equal(zk_st_layout_init(&from_rules, mp[i].market,
						   4, count), 0);
		assert_int_equal(zk_st_layout_for_engine(&from_engine, e,
							 mp[i].market, 4), 0);
		assert_memory_equal(&from_rules, &from_engine,
				    sizeof(from_rules));
		zk_engine_destroy(e);
	}
	/* a tick that does not divide the band: no engine, no layout, and
	 * zk_clob_verify refuses before it looks at the proof */
	bad.tick = 7;
	assert_null(zk_engine_create(&bad, 1));
	assert_int_equal(zk_market_slot_counts(&bad, count), -1);
	st.market = bad.market;
	st.params_id = ZK_CLOB_PARAMS_ID(FAST);
	st.first_seq = st.last_seq = op.seq = 1;
	op.market = bad.market;
	restate(&st, &op, 1, NULL, 0);
	assert_int_equal(zk_clob_verify(&st, &op, 1, NULL, 0, &bad, FAST,
					proof, sizeof(proof), err,
					sizeof(err)),
			 ZK_CLOB_EINVAL);
	assert_non_null(strstr(err, "market parameters are invalid"));
}

/*
 * The verifier's own bus sum over ops and events whose 64-bit fields all
 * use their high 32-bit limb (seq, ids, account, qty): an honest proof
 * verifies only if that sum is exactly the trace's, limb by limb.
 */
static void test_verify_wide_values(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct zk_statement st;
	struct zk_clob_prove_opts o = { .market = &clob_test_market,
					.stark_params = FAST };
	struct zk_op ops[16];
	uint8_t *proof = NULL;
	size_t len = 0, wide = 0;
	char err[ERRLEN] = "";

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	r.seq = ((uint64_t)1 << 33) + 1;
	for (uint64_t k = 0; k < 16; k++) {
		ops[k] = clob_malformed_op(&r, k);
		ops[k].order_id += (k + 1) << 36;
		ops[k].account += (uint64_t)1 << 44;
		ops[k].qty += (uint64_t)1 << 34;
	}
	b = clob_rig_batch(&r, ops, 16);
	assert_non_null(b);
	for (size_t i = 0; i < b->events.len; i++)
		wide += b->events.ev[i].order_id >> 32 != 0 &&
			b->events.ev[i].seq >> 32 != 0;
	assert_int_equal(wide, b->events.len);
	if (zk_clob_prove(b, r.t, &o, &proof, &len, &st, err, sizeof(err)) != 0)
		fail_msg("prove: %s", err);
	assert_int_equal(verify(&st, b->ops, b->n_ops, b->events.ev,
				b->events.len, proof, len),
			 ZK_CLOB_OK);
	free(proof);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

/* ---- cheating engines: the production AIR ---- */

struct cell_edit {
	unsigned sel;  /* find the nth row with this selector */
	size_t nth;
	unsigned col;
	zk_gl value;
	int refill;    /* recompute the row's hash witness */
};

static void edit_cell(zk_gl **cols, size_t n, void *arg)
{
	const struct cell_edit *e = arg;
	long r = e->sel == 0 ? (long)n - 2 : find_row(cols, n, e->sel, e->nth);

	assert_true(r >= 0);
	cols[e->col][r] = e->value;
	if (e->refill)
		zk_clob_fill_hash(cols, (size_t)r);
}

/* Op row 2 and its event row say what the forged op list says. */
static void forge_op_rows(zk_gl **cols, size_t n, void *arg)
{
	const struct zk_op *ops = arg;
	zk_gl e[CLOB_OP_ELEMS];
	long r = find_row(cols, n, C_SOP, 2);

	assert_true(r >= 0);
	zk_clob_op_elems(&ops[2], e);
	for (unsigned i = 0; i < CLOB_OP_ELEMS; i++)
		cols[C_OPF + i][r] = e[i];
	zk_clob_op_helpers(cols, (size_t)r);
	for (unsigned i = 0; i < CLOB_MAL_CONDS; i++)
		cols[C_W + i][r] = 0;
	cols[C_IS3][r] = e[OPF_TYPE] == ZK_OP_REPLACE;
	cols[C_EVF + EVF_OID][r + 1] = e[OPF_OID];
	cols[C_EVF + EVF_OID + 1][r + 1] = e[OPF_OID + 1];
	cols[C_EVF + EVF_OTHER][r + 1] = cols[C_IS3][r] ? e[OPF_NID] : 0;
	cols[C_EVF + EVF_OTHER + 1][r + 1] = cols[C_IS3][r] ? e[OPF_NID + 1] : 0;
}

static void cheat_prod(const struct cell_edit *edit, int edit_event,
		       struct zk_op *forge_op)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct custom cu;
	struct zk_op ops[16];
	struct zk_event ev[16];
	size_t n, ne;

	assert_int_equal(clob_rig_init(&r, 1000), 0);
	b = malformed_batch(&r, 8);
	n = b->n_ops;
	ne = b->events.len;
	memcpy(ops, b->ops, n * sizeof(ops[0]));
	memcpy(ev, b->events.ev, ne * sizeof(ev[0]));
	/* the published data say what the cheating trace says */
	if (edit_event)
		ev[edit->nth].reason = (uint8_t)edit->value;
	if (forge_op != NULL) {
		ops[2] = *forge_op;
		ev[2].order_id = forge_op->order_id;
		ev[2].other_id = forge_op->type == ZK_OP_REPLACE ?
					 forge_op->new_order_id : 0;
		prove_custom(&r, b, 0, ops, n, ev, ne, forge_op_rows, ops, &cu);
	} else {
		prove_custom(&r, b, 0, ops, n, ev, ne, edit_cell, (void *)edit,
			     &cu);
	}
	assert_int_equal(cu.debug_rc, ZK_STARK_ETRACE);
	print_message("debugger: %s\n", cu.debug_err);
	if (forge_op != NULL) /* the MALFORMED witness is what fails */
		assert_non_null(strstr(cu.debug_err, "row 5: main"));
	assert_int_not_equal(verify(&cu.st, ops, n, ev, ne, cu.proof, cu.len),
			     0);
	free(cu.proof);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

static void test_cheat_prod(void **state)
{
	(void)state;
	/* event reason in the trace (and the published list) is not MALFORMED */
	cheat_prod(&(struct cell_edit){ C_SEV, 3, C_EVF + EVF_REASON,
					ZK_REJ_BAD_TICK, 0 }, 1, NULL);
	/* a rejected op that writes the book: an access row appears */
	cheat_prod(&(struct cell_edit){ 0, 0, C_SACC, 1, 0 }, 0, NULL);
	/* well-formed ops of every type claimed MALFORMED */
	{
		const struct zk_op good[] = {
			{ .seq = 3, .order_id = 11, .account = 2, .price = 1000,
			  .qty = 20, .market = 3, .type = ZK_OP_NEW,
			  .side = ZK_SIDE_SELL, .ord_type = ZK_ORD_LIMIT,
			  .tif = ZK_TIF_GTC, .flags = ZK_OP_F_POST_ONLY },
			{ .seq = 3, .order_id = 12, .account = 2, .qty = 20,
			  .market = 3, .type = ZK_OP_NEW, .side = ZK_SIDE_BUY,
			  .ord_type = ZK_ORD_MARKET, .tif = ZK_TIF_FOK },
			{ .seq = 3, .order_id = 13, .account = 2, .qty = 10,
			  .market = 3, .type = ZK_OP_CANCEL },
			{ .seq = 3, .order_id = 14, .new_order_id = 15,
			  .account = 2, .price = 1005, .qty = 10, .market = 3,
			  .type = ZK_OP_REPLACE },
		};

		for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
			struct zk_op g = good[i];

			cheat_prod(NULL, 0, &g);
		}
	}
}

/*
 * A cheating engine that gives a market-rule reject (or a MALFORMED one)
 * another reason: the prover builds the best witness it can for the
 * claimed reason, the rules fail, the verifier rejects.
 */
static void test_cheat_validation(void **state)
{
	static const uint8_t reasons[] = { ZK_REJ_MALFORMED, ZK_REJ_BAD_TICK,
					   ZK_REJ_BAD_LOT, ZK_REJ_PRICE_BAND,
					   ZK_REJ_MAX_QTY };
	/* malformed ops at 0, 1, 3, 4; market-rule rejects at 2, 5, ..., 26 */
	static const size_t targets[] = { 0, 1, 3, 4, 2, 5, 8, 11, 14, 17, 20,
					  23, 26 };
	unsigned cases = 0;

	(void)state;
	for (size_t ti = 0; ti < sizeof(targets) / sizeof(targets[0]); ti++) {
		size_t target = targets[ti];

		for (size_t ri = 0; ri < sizeof(reasons); ri++) {
			struct clob_rig r;
			struct zk_batch *b;
			struct custom cu;

			assert_int_equal(clob_rig_init(&r, 1000), 0);
			b = malformed_batch(&r, 27);
			if (b->events.ev[target].reason == reasons[ri]) {
				zk_batch_free(b);
				clob_rig_fini(&r);
				continue;
			}
			b->events.ev[target].reason = reasons[ri];
			prove_custom(&r, b, 0, b->ops, b->n_ops, b->events.ev,
				     b->events.len, NULL, NULL, &cu);
			assert_int_equal(cu.debug_rc, ZK_STARK_ETRACE);
			assert_int_not_equal(verify(&cu.st, b->ops, b->n_ops,
						    b->events.ev, b->events.len,
						    cu.proof, cu.len),
					     0);
			cases++;
			free(cu.proof);
			zk_batch_free(b);
			clob_rig_fini(&r);
		}
	}
	assert_int_equal(cases, 13 * 4);
}

/* ---- the memory and Merkle machinery on real book batches ---- */

static void machinery_case(tamper_fn fn, void *arg, int expect_ok,
			   int swap_old_root)
{
	struct clob_rig r;
	struct zk_batch *warm, *b;
	struct zk_st_update u = { 0 };
	struct custom cu;
	struct zk_statement st;
	int rc;

	assert_int_equal(clob_rig_init(&r, 1000), 0);
	/* a first batch builds a book so the second one has history */
	warm = book_batch(&r, 0, 20);
	assert_int_equal(zk_st_apply_witness(r.t, &warm->witness, &u), 0);
	zk_st_update_free(&u);
	b = book_batch(&r, 20, 24);
	assert_true(b->witness.len > 0);
	prove_custom(&r, b, 1, b->ops, b->n_ops, b->events.ev, b->events.len,
		     fn, arg, &cu);
	st = cu.st;
	if (swap_old_root)
		memcpy(st.old_root, cu.st.new_root, 32);
	rc = verify_machinery(&cu, b->ops, b->n_ops, b->events.ev,
			      b->events.len, &st);
	if (expect_ok) {
		if (cu.debug_rc != 0)
			fail_msg("debug check: %s", cu.debug_err);
		assert_int_equal(rc, 0);
	} else {
		if (!swap_old_root) {
			assert_int_equal(cu.debug_rc, ZK_STARK_ETRACE);
			print_message("debugger: %s\n", cu.debug_err);
		}
		assert_int_not_equal(rc, 0);
	}
	free(cu.proof);
	zk_batch_free(warm);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

static void test_machinery_honest(void **state)
{
	(void)state;
	machinery_case(NULL, NULL, 1, 0);
}

static void turn_to_padding(zk_gl **cols, size_t n, void *arg)
{
	long r = find_row(cols, n, C_SACC, *(size_t *)arg);

	assert_true(r >= 0);
	cols[C_SACC][r] = 0;
	/* later rows keep their counters: the skipped access leaves a gap */
}

/* A new value that is pristine, hashed as if it were not (digest != 0). */
static void unpristine_new(zk_gl **cols, size_t n, void *arg)
{
	(void)arg;
	/* a B row, or (AIR v10) an unchanged slot's one row, which stands
	 * for the new value too */
	for (size_t r = 0; r < n; r++) {
		if ((cols[C_SLB][r] == 1 || cols[C_UL][r] == 1) &&
		    cols[C_PRIST][r] == 1) {
			cols[C_PRIST][r] = 0;
			zk_clob_fill_hash(cols, r);
			return;
		}
	}
	fail_msg("no pristine new value in the batch");
}

static void test_machinery_cheats(void **state)
{
	size_t nth = 5;

	(void)state;
	/* changed slot of the new book: a leaf's new value */
	machinery_case(edit_cell,
		       &(struct cell_edit){ C_SLB, 1, C_MSG + 6, 12345, 1 }, 0,
		       0);
	/* a changed old value of a touched slot (not what old_root holds) */
	machinery_case(edit_cell,
		       &(struct cell_edit){ C_SLEAF, 2, C_MSG + 5, 777, 1 }, 0,
		       0);
	/* a read that sees another value than the last write */
	machinery_case(edit_cell,
		       &(struct cell_edit){ C_SACC, 3, C_MSG + 7, 99, 1 }, 0, 0);
	/* a write that stores another value than the engine's */
	machinery_case(edit_cell,
		       &(struct cell_edit){ C_SACC, 4, C_AFT + 7, 99, 0 }, 0, 0);
	/* a pristine claim for a touched slot that is not pristine */
	machinery_case(edit_cell,
		       &(struct cell_edit){ C_SLB, 0, C_PRIST, 1, 1 }, 0, 0);
	/* a non-canonical new root: a pristine slot hashed as a value */
	machinery_case(unpristine_new, NULL, 0, 0);
	/* a skipped access */
	machinery_case(turn_to_padding, &nth, 0, 0);
	/* an untouched child's digest on a node row (test_clob_tree.c
	 * has the other cheats on the node rows) */
	machinery_case(edit_cell,
		       &(struct cell_edit){ C_SNODE, 0, C_MSG + 1, 5, 1 }, 0, 0);
	/* statement with another old_root */
	machinery_case(NULL, NULL, 0, 1);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest all[] = {
		cmocka_unit_test(test_honest_malformed),
		cmocka_unit_test(test_refuse_unsupported),
		cmocka_unit_test(test_tampered_public_data),
		cmocka_unit_test(test_verify_layout),
		cmocka_unit_test(test_verify_wide_values),
		cmocka_unit_test(test_cheat_prod),
		cmocka_unit_test(test_cheat_validation),
		cmocka_unit_test(test_machinery_honest),
		cmocka_unit_test(test_machinery_cheats),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(all, NULL, NULL);
}
