/* SPDX-License-Identifier: MIT */
/*
 * Helpers of the CLOB AIR tests of self-trade prevention that removes the
 * maker or stops a move (test_clob_stp_remove.c, test_clob_xstp.c): a
 * market of a given STP mode, NEW ops, a small book with orders of the
 * same accounts on both sides, and zk_clob_prove's steps under a chosen
 * market's AIR for edited batches.
 */
#ifndef ZKCLOB_TESTS_CLOB_TEST_STP_H
#define ZKCLOB_TESTS_CLOB_TEST_STP_H

#include "clob_test_prove.h"

static inline struct zk_market_params market_of(enum zk_stp_mode mode)
{
	struct zk_market_params mp = clob_test_market;

	mp.stp = mode;
	return mp;
}

static inline struct zk_op new_op(struct clob_rig *r, uint64_t id,
				  uint64_t acct, uint8_t side, int64_t price,
				  uint64_t qty, uint8_t tif)
{
	return (struct zk_op){ .seq = r->seq++, .order_id = id,
			       .account = acct, .price = price, .qty = qty,
			       .market = clob_test_market.market,
			       .type = ZK_OP_NEW, .side = side,
			       .ord_type = price == 0 ? ZK_ORD_MARKET :
							ZK_ORD_LIMIT,
			       .tif = tif };
}

/* Commit a batch of resting orders to the rig's tree. */
static inline void rest(struct clob_rig *r, const struct zk_op *ops, size_t n)
{
	struct zk_st_update u = { 0 };
	struct zk_batch *b = clob_rig_batch(r, ops, n);

	assert_non_null(b);
	assert_int_equal(zk_st_apply_witness(r->t, &b->witness, &u), 0);
	zk_st_update_free(&u);
	zk_batch_free(b);
}

/*
 * The book: asks 100 (account 2, 20) and 101 (account 1, 10) at 5000,
 * 102 (account 1, 30) alone at 5005, 103 (account 3, 10) at 5010; bids
 * 200 (account 1, 10) at 4000, in a market of the given STP mode.
 */
static inline void book(struct clob_rig *r, const struct zk_market_params *mp)
{
	struct zk_op ops[5];

	assert_int_equal(clob_rig_init_market(r, mp, 1000), 0);
	ops[0] = new_op(r, 100, 2, ZK_SIDE_SELL, 5000, 20, ZK_TIF_GTC);
	ops[1] = new_op(r, 101, 1, ZK_SIDE_SELL, 5000, 10, ZK_TIF_GTC);
	ops[2] = new_op(r, 102, 1, ZK_SIDE_SELL, 5005, 30, ZK_TIF_GTC);
	ops[3] = new_op(r, 103, 3, ZK_SIDE_SELL, 5010, 10, ZK_TIF_GTC);
	ops[4] = new_op(r, 200, 1, ZK_SIDE_BUY, 4000, 10, ZK_TIF_GTC);
	rest(r, ops, 5);
}

typedef void (*clob_trace_edit)(zk_gl **cols, size_t n);

/*
 * zk_clob_prove's steps for the batch b (its witness and events as
 * edited) under the AIR of market mp, the trace edited by fn when given:
 * the debugger's verdict, and whether the proof made without it verifies
 * under mp's params.
 */
static inline void prove_cheat_edit(struct clob_rig *r,
				    const struct zk_batch *b,
				    const struct zk_market_params *mp,
				    clob_trace_edit fn, int *debug_rc,
				    int *verify_rc)
{
	struct zk_st_update u = { 0 };
	struct zk_prove_opts po = { .threads = 1 };
	struct zk_clob_air *air = calloc(1, sizeof(*air));
	struct zk_statement st;
	uint8_t *proof = NULL;
	size_t len = 0;
	char err[ERRLEN];
	zk_gl **cols;
	unsigned log_n;

	assert_non_null(air);
	assert_int_equal(zk_st_apply_witness(r->t, &b->witness, &u), 0);
	st = (struct zk_statement){ .market = mp->market,
				    .params_id = ZK_CLOB_PARAMS_ID(FAST),
				    .batch_seq = b->batch_seq };
	memcpy(st.old_root, u.old_root, 32);
	memcpy(st.new_root, u.new_root, 32);
	restate(&st, b->ops, b->n_ops, b->events.ev, b->events.len);
	assert_int_equal(zk_clob_air_init(air, zk_st_layout_get(r->t), mp, &st,
					  b->ops, b->n_ops, b->events.ev,
					  b->events.len, 0, err, sizeof(err)),
			 0);
	assert_int_equal(zk_clob_trace_build(air, b, &u, 1, &cols, &log_n,
					     err, sizeof(err)),
			 0);
	if (fn != NULL)
		fn(cols, (size_t)1 << log_n);
	*debug_rc = zk_stark_debug_check(&air->air, (const zk_gl *const *)cols,
					 log_n, 42, err, sizeof(err));
	print_message("%u main constraints, debugger: %s\n",
		      air->air.n_main_constraints, *debug_rc ? err : "ok");
	assert_int_equal(zk_stark_prove(&air->air, zk_stark_params_by_id(FAST),
					(const zk_gl *const *)cols, log_n, &po,
					&proof, &len, err, sizeof(err)),
			 0);
	*verify_rc = zk_clob_verify(&st, b->ops, b->n_ops, b->events.ev,
				    b->events.len, mp, FAST, proof, len, err,
				    sizeof(err));
	free(proof);
	zk_clob_trace_free(cols);
	zk_st_update_free(&u);
	free(air);
}

static inline void prove_cheat(struct clob_rig *r, const struct zk_batch *b,
			       const struct zk_market_params *mp,
			       int *debug_rc, int *verify_rc)
{
	prove_cheat_edit(r, b, mp, NULL, debug_rc, verify_rc);
}

/*
 * zk_clob_prove's proof of batch b (applied to the rig's tree) under
 * market mp, the constraint debugger first when debug is set: it must
 * verify under mp's params and under no other STP mode's (the mode is
 * the verifier's, never the prover's). what names the case in failures.
 */
static inline void prove_mode_only(struct clob_rig *r, const struct zk_batch *b,
				   const struct zk_market_params *mp, int debug,
				   const char *what)
{
	static const enum zk_stp_mode modes[] = { ZK_STP_CANCEL_NEWEST,
						  ZK_STP_CANCEL_BOTH,
						  ZK_STP_CANCEL_OLDEST };
	struct zk_clob_prove_opts o = { .market = mp, .stark_params = FAST,
					.debug = debug };
	struct zk_statement st;
	uint8_t *proof = NULL;
	size_t len = 0;
	char err[ERRLEN] = "";

	if (zk_clob_prove(b, r->t, &o, &proof, &len, &st, err,
			  sizeof(err)) != 0)
		fail_msg("%s: %s", what, err);
	for (size_t m = 0; m < 3; m++) {
		struct zk_market_params vm = *mp;
		int rc;

		vm.stp = modes[m];
		rc = zk_clob_verify(&st, b->ops, b->n_ops, b->events.ev,
				    b->events.len, &vm, FAST, proof, len, err,
				    sizeof(err));
		if ((rc == 0) != (modes[m] == mp->stp))
			fail_msg("%s under mode %d: %d (%s)", what,
				 (int)modes[m], rc, err);
	}
	free(proof);
}

/* The access of the maker's slot that order_remove frees. */
static inline struct zk_witness_access *
freeing_write(struct zk_batch *b, uint64_t maker, uint8_t kind)
{
	struct zk_witness_access *found = NULL;

	for (size_t i = 0; i < b->witness.len; i++) {
		struct zk_witness_access *a = &b->witness.acc[i];

		if (!a->write || a->kind != kind)
			continue;
		if (kind == ZK_SLOT_ORDER && a->before.order.id == maker &&
		    a->after.order.id == 0)
			found = a;
		if (kind == ZK_SLOT_LEVEL)
			found = a; /* the last level write: the maker's */
	}
	assert_non_null(found);
	return found;
}

#endif /* ZKCLOB_TESTS_CLOB_TEST_STP_H */
