/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR and self-trade prevention modes: the AIR proves the stop of a
 * taker whose first maker is its own order in CANCEL_NEWEST markets
 * (clob_air_loop.h, OS) and the removal of that maker in CANCEL_BOTH and
 * CANCEL_OLDEST markets (clob_air_stp.h, OX: test_clob_stp_remove.c),
 * and since AIR v10 a FOK in a CANCEL_OLDEST market whose fok_fillable
 * skips an order of its own and which match then removes
 * (clob_air_fokstp.h: test_clob_fokstp.c), proven here end to end.
 * A cheating prover that presents the CANCEL_NEWEST stop (nothing
 * removed, the taker cancelled) under the other markets' rules is
 * rejected by the constraints, while the same trace verifies under
 * CANCEL_NEWEST.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clob_test_prove.h"

static struct zk_market_params market_of(enum zk_stp_mode mode)
{
	struct zk_market_params mp = clob_test_market;

	mp.stp = mode;
	return mp;
}

static struct zk_op new_op(struct clob_rig *r, uint64_t id, uint64_t acct,
			   uint8_t side, uint8_t tif)
{
	return (struct zk_op){ .seq = r->seq++, .order_id = id,
			       .account = acct, .price = 5000, .qty = 10,
			       .market = clob_test_market.market,
			       .type = ZK_OP_NEW, .side = side,
			       .ord_type = ZK_ORD_LIMIT, .tif = tif };
}

/* Two asks at 5000 (accounts 1 and 2, the first one the head), committed
 * in the tree; then the batch of a BUY of account 1 at 5000. */
static struct zk_batch *self_trade_batch(struct clob_rig *r, uint8_t tif)
{
	struct zk_op ops[2];
	struct zk_batch *b;
	struct zk_st_update u = { 0 };

	ops[0] = new_op(r, 100, 1, ZK_SIDE_SELL, ZK_TIF_GTC);
	ops[1] = new_op(r, 101, 2, ZK_SIDE_SELL, ZK_TIF_GTC);
	b = clob_rig_batch(r, ops, 2);
	assert_non_null(b);
	assert_int_equal(zk_st_apply_witness(r->t, &b->witness, &u), 0);
	zk_st_update_free(&u);
	zk_batch_free(b);
	ops[0] = new_op(r, 800, 1, ZK_SIDE_BUY, tif);
	b = clob_rig_batch(r, ops, 1);
	assert_non_null(b);
	return b;
}

static void test_fok_skip_oldest(void **state)
{
	static const enum zk_stp_mode modes[] = { ZK_STP_CANCEL_OLDEST };
	static const uint8_t tifs[] = { ZK_TIF_FOK };

	(void)state;
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		for (size_t t = 0; t < sizeof(tifs) / sizeof(tifs[0]); t++) {
			struct zk_market_params mp = market_of(modes[m]);
			struct zk_clob_prove_opts o = { .market = &mp,
							.stark_params = FAST };
			struct clob_rig r;
			struct zk_batch *b;
			struct zk_statement st;
			uint8_t *proof = NULL;
			size_t len = 0;
			char err[ERRLEN] = "";

			assert_int_equal(clob_rig_init_market(&r, &mp, 1000), 0);
			b = self_trade_batch(&r, tifs[t]);
			/* the maker's CANCELLED STP comes right after
			 * ACCEPTED */
			assert_true(b->events.len >= 2);
			assert_int_equal(b->events.ev[1].type,
					 ZK_EV_CANCELLED);
			assert_int_equal(b->events.ev[1].reason, ZK_CXL_STP);
			assert_int_equal(b->events.ev[1].order_id, 100);
			if (zk_clob_prove(b, r.t, &o, &proof, &len, &st, err,
					  sizeof(err)) != 0)
				fail_msg("%s", err);
			assert_int_equal(zk_clob_verify(&st, b->ops, b->n_ops,
							b->events.ev,
							b->events.len, &mp,
							FAST, proof, len, err,
							sizeof(err)),
					 0);
			free(proof);
			zk_batch_free(b);
			clob_rig_fini(&r);
		}
	}
}

/*
 * The CANCEL_NEWEST stop's trace (the taker cancelled, the maker left in
 * the book) proven under the rules of market mp: the constraint
 * debugger's verdict, and whether the proof made without it verifies.
 */
static void prove_under(const struct zk_market_params *mp, int *debug_rc,
			int *verify_rc)
{
	struct clob_rig r;
	struct zk_market_params newest = market_of(ZK_STP_CANCEL_NEWEST);
	struct zk_st_update u = { 0 };
	struct zk_prove_opts po = { .threads = 1 };
	struct zk_clob_air *air = calloc(1, sizeof(*air));
	struct zk_statement st;
	struct zk_batch *b;
	uint8_t *proof = NULL;
	size_t len = 0;
	char err[ERRLEN];
	zk_gl **cols;
	unsigned log_n;

	assert_non_null(air);
	assert_int_equal(clob_rig_init_market(&r, &newest, 1000), 0);
	b = self_trade_batch(&r, ZK_TIF_IOC);
	assert_int_equal(b->events.len, 2);
	assert_int_equal(b->events.ev[1].reason, ZK_CXL_STP);
	assert_int_equal(b->events.ev[1].order_id, 800);
	assert_int_equal(zk_st_apply_witness(r.t, &b->witness, &u), 0);
	st = (struct zk_statement){ .market = mp->market,
				    .params_id = ZK_CLOB_PARAMS_ID(FAST),
				    .batch_seq = b->batch_seq };
	memcpy(st.old_root, u.old_root, 32);
	memcpy(st.new_root, u.new_root, 32);
	restate(&st, b->ops, b->n_ops, b->events.ev, b->events.len);
	assert_int_equal(zk_clob_air_init(air, zk_st_layout_get(r.t), mp, &st,
					  b->ops, b->n_ops, b->events.ev,
					  b->events.len, 0, err, sizeof(err)),
			 0);
	assert_int_equal(zk_clob_trace_build(air, b, &u, 1, &cols, &log_n,
					     err, sizeof(err)),
			 0);
	*debug_rc = zk_stark_debug_check(&air->air, (const zk_gl *const *)cols,
					 log_n, 42, err, sizeof(err));
	print_message("debugger: %s\n", *debug_rc ? err : "ok");
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
	zk_batch_free(b);
	clob_rig_fini(&r);
	free(air);
}

static void test_cheat_stp_mode(void **state)
{
	struct zk_market_params newest = market_of(ZK_STP_CANCEL_NEWEST);
	struct zk_market_params oldest = market_of(ZK_STP_CANCEL_OLDEST);
	struct zk_market_params both = market_of(ZK_STP_CANCEL_BOTH);
	int debug_rc, verify_rc;

	(void)state;
	/* the control: the stop verifies where CANCEL_NEWEST is the rule */
	prove_under(&newest, &debug_rc, &verify_rc);
	assert_int_equal(debug_rc, 0);
	assert_int_equal(verify_rc, 0);
	/* the wrong mode applied: the maker had to be removed first */
	prove_under(&oldest, &debug_rc, &verify_rc);
	assert_int_equal(debug_rc, ZK_STARK_ETRACE);
	assert_int_not_equal(verify_rc, 0);
	prove_under(&both, &debug_rc, &verify_rc);
	assert_int_equal(debug_rc, ZK_STARK_ETRACE);
	assert_int_not_equal(verify_rc, 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fok_skip_oldest),
		cmocka_unit_test(test_cheat_stp_mode),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
