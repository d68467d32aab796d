/* SPDX-License-Identifier: MIT */
/* Batch cutting: sizes, timeouts, gaps, flush, digests, witness capture. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "zkclob/batch.h"

static const struct zk_market_params market = {
	.market = 1, .tick = 1, .lot = 1, .min_price = 1, .max_price = 1000,
	.max_qty = 1000, .stp = ZK_STP_CANCEL_NEWEST, .max_orders = 64,
	.max_levels = 64,
};

static struct zk_op place(uint64_t seq, uint8_t side, int64_t price)
{
	struct zk_op op;

	memset(&op, 0, sizeof(op));
	op.seq = seq;
	op.type = ZK_OP_NEW;
	op.order_id = seq;
	op.account = seq % 3 + 1;
	op.market = 1;
	op.side = side;
	op.ord_type = ZK_ORD_LIMIT;
	op.tif = ZK_TIF_GTC;
	op.price = price;
	op.qty = 10;
	return op;
}

struct fixture {
	struct zk_engine *e;
	struct zk_batcher *b;
};

static struct fixture make(uint32_t max_ops, uint64_t timeout_ns, bool witness)
{
	struct zk_batch_cfg cfg = { .max_ops = max_ops, .timeout_ns = timeout_ns,
				    .witness = witness };
	struct fixture f;

	f.e = zk_engine_create(&market, 1);
	assert_non_null(f.e);
	f.b = zk_batcher_create(f.e, &cfg);
	assert_non_null(f.b);
	return f;
}

static void destroy(struct fixture *f)
{
	zk_batcher_destroy(f->b);
	zk_engine_destroy(f->e);
}

static void test_bad_config(void **state)
{
	struct zk_batch_cfg cfg = { .max_ops = 0 };
	struct zk_engine *e = zk_engine_create(&market, 1);

	(void)state;
	errno = 0;
	assert_null(zk_batcher_create(e, &cfg));
	assert_int_equal(errno, EINVAL);
	zk_engine_destroy(e);
}

static void test_cut_by_size(void **state)
{
	struct fixture f = make(4, 0, false);
	struct zk_batch *cut;
	struct zk_op op;
	uint64_t seq;
	int batches = 0;

	(void)state;
	for (seq = 1; seq <= 10; seq++) {
		op = place(seq, ZK_SIDE_BUY, 100 + (int64_t)seq);
		assert_int_equal(zk_batcher_push(f.b, &op, 0, &cut), 0);
		if (seq % 4 == 0) {
			assert_non_null(cut);
			batches++;
			assert_int_equal(cut->batch_seq, batches);
			assert_int_equal(cut->cut, ZK_CUT_SIZE);
			assert_int_equal(cut->n_ops, 4);
			assert_int_equal(cut->first_seq, seq - 3);
			assert_int_equal(cut->last_seq, seq);
			assert_int_equal(cut->events.len, 4); /* 4 accepts */
			zk_batch_free(cut);
		} else {
			assert_null(cut);
		}
	}
	assert_int_equal(zk_batcher_batches(f.b), 2);
	assert_int_equal(zk_batcher_flush(f.b, 0, &cut), 0);
	assert_non_null(cut);
	assert_int_equal(cut->cut, ZK_CUT_FLUSH);
	assert_int_equal(cut->n_ops, 2);
	assert_int_equal(cut->batch_seq, 3);
	zk_batch_free(cut);
	/* nothing open: flush cuts nothing */
	assert_int_equal(zk_batcher_flush(f.b, 0, &cut), 0);
	assert_null(cut);
	assert_int_equal(zk_batcher_ops(f.b), 10);
	destroy(&f);
}

static void test_cut_by_timeout(void **state)
{
	struct fixture f = make(100, 1000, false);
	struct zk_batch *cut;
	struct zk_op op;

	(void)state;
	op = place(1, ZK_SIDE_BUY, 100);
	assert_int_equal(zk_batcher_push(f.b, &op, 5000, &cut), 0);
	assert_null(cut);
	assert_int_equal(zk_batcher_tick(f.b, 5999, &cut), 0);
	assert_null(cut);
	assert_int_equal(zk_batcher_tick(f.b, 6000, &cut), 0);
	assert_non_null(cut);
	assert_int_equal(cut->cut, ZK_CUT_TIMEOUT);
	assert_int_equal(cut->t_first_ns, 5000);
	assert_int_equal(cut->t_cut_ns, 6000);
	zk_batch_free(cut);

	/* a push that finds the open batch timed out cuts it first and
	 * starts the next batch with itself */
	op = place(2, ZK_SIDE_BUY, 101);
	assert_int_equal(zk_batcher_push(f.b, &op, 10000, &cut), 0);
	assert_null(cut);
	op = place(3, ZK_SIDE_BUY, 102);
	assert_int_equal(zk_batcher_push(f.b, &op, 11000, &cut), 0);
	assert_non_null(cut);
	assert_int_equal(cut->cut, ZK_CUT_TIMEOUT);
	assert_int_equal(cut->n_ops, 1);
	assert_int_equal(cut->first_seq, 2);
	zk_batch_free(cut);
	assert_int_equal(zk_batcher_flush(f.b, 11000, &cut), 0);
	assert_int_equal(cut->first_seq, 3);
	zk_batch_free(cut);
	destroy(&f);
}

static void test_timeout_then_full_single_op_batches(void **state)
{
	struct fixture f = make(1, 10, false);
	struct zk_batch *cut;
	struct zk_op op;
	uint64_t seq;

	(void)state;
	for (seq = 1; seq <= 5; seq++) {
		op = place(seq, ZK_SIDE_SELL, 500 + (int64_t)seq);
		assert_int_equal(zk_batcher_push(f.b, &op, seq * 100, &cut), 0);
		assert_non_null(cut);
		assert_int_equal(cut->n_ops, 1);
		assert_int_equal(cut->first_seq, seq);
		zk_batch_free(cut);
	}
	destroy(&f);
}

static void test_gap_cuts_and_marks(void **state)
{
	struct fixture f = make(100, 0, false);
	struct zk_batch *cut;
	struct zk_op op;

	(void)state;
	op = place(1, ZK_SIDE_BUY, 100);
	assert_int_equal(zk_batcher_push(f.b, &op, 0, &cut), 0);
	assert_int_equal(zk_batcher_gap(f.b, 2, 5, 0, &cut), 0);
	assert_non_null(cut);
	assert_int_equal(cut->cut, ZK_CUT_GAP);
	assert_int_equal(cut->gap_expected, 0);
	zk_batch_free(cut);
	op = place(5, ZK_SIDE_BUY, 101);
	assert_int_equal(zk_batcher_push(f.b, &op, 0, &cut), 0);
	assert_int_equal(zk_batcher_flush(f.b, 0, &cut), 0);
	assert_int_equal(cut->gap_expected, 2);
	assert_int_equal(cut->gap_received, 5);
	assert_int_equal(cut->first_seq, 5);
	zk_batch_free(cut);
	destroy(&f);
}

static void test_seq_must_increase(void **state)
{
	struct fixture f = make(100, 0, false);
	struct zk_batch *cut;
	struct zk_op op = place(7, ZK_SIDE_BUY, 100);

	(void)state;
	assert_int_equal(zk_batcher_push(f.b, &op, 0, &cut), 0);
	errno = 0;
	assert_int_equal(zk_batcher_push(f.b, &op, 0, &cut), -1);
	assert_int_equal(errno, EINVAL);
	op.seq = 3;
	assert_int_equal(zk_batcher_push(f.b, &op, 0, &cut), -1);
	assert_int_equal(zk_batcher_ops(f.b), 1);
	destroy(&f);
}

static void test_digests_match_recomputation(void **state)
{
	struct fixture f = make(3, 0, false);
	struct zk_batch *cut = NULL;
	struct zk_events_digest dg;
	uint8_t want[32];
	struct zk_op ops[3];
	int i;

	(void)state;
	ops[0] = place(1, ZK_SIDE_SELL, 100);
	ops[1] = place(2, ZK_SIDE_SELL, 101);
	ops[2] = place(3, ZK_SIDE_BUY, 101); /* trades with both */
	for (i = 0; i < 3; i++)
		assert_int_equal(zk_batcher_push(f.b, &ops[i], 0, &cut), 0);
	assert_non_null(cut);
	assert_true(cut->events.len > 3);
	zk_ops_digest(ops, 3, want);
	assert_memory_equal(cut->ops_digest, want, 32);
	zk_events_digest_init(&dg);
	zk_events_digest_update(&dg, cut->events.ev, cut->events.len);
	zk_events_digest_final(&dg, want);
	assert_memory_equal(cut->events_digest, want, 32);
	/* the ops digest depends on every op */
	ops[1].qty++;
	zk_ops_digest(ops, 3, want);
	assert_memory_not_equal(cut->ops_digest, want, 32);
	zk_batch_free(cut);
	destroy(&f);
}

static void test_op_encoding_is_big_endian_and_complete(void **state)
{
	struct zk_op op = place(0x0102030405060708ull, ZK_SIDE_BUY, -2);
	uint8_t enc[ZK_OP_WIRE_SIZE], enc2[ZK_OP_WIRE_SIZE];

	(void)state;
	zk_op_encode(&op, enc);
	assert_int_equal(enc[0], 0x01);
	assert_int_equal(enc[7], 0x08);
	assert_int_equal(enc[32], 0xff); /* price -2, two's complement */
	assert_int_equal(enc[39], 0xfe);
	op.stp_group = 9;
	zk_op_encode(&op, enc2);
	assert_memory_not_equal(enc, enc2, sizeof(enc));
	/* every byte of the record is covered, reserved ones included */
	zk_op_encode(&op, enc);
	op.reserved[2] = 1;
	zk_op_encode(&op, enc2);
	assert_memory_not_equal(enc, enc2, sizeof(enc));
	/* and decodes back to the same record */
	{
		struct zk_op back;

		memset(&back, 0xa5, sizeof(back));
		zk_op_decode(enc2, &back);
		assert_memory_equal(&back, &op, sizeof(op));
	}
}

static void test_witness_per_batch(void **state)
{
	struct fixture f = make(2, 0, true);
	struct zk_batch *cut;
	struct zk_op op;

	(void)state;
	op = place(1, ZK_SIDE_BUY, 100);
	assert_int_equal(zk_batcher_push(f.b, &op, 0, &cut), 0);
	op = place(2, ZK_SIDE_BUY, 100);
	assert_int_equal(zk_batcher_push(f.b, &op, 0, &cut), 0);
	assert_non_null(cut);
	assert_true(cut->witness.len > 0);
	assert_int_equal(cut->witness.ops, 2);
	zk_batch_free(cut);
	op = place(3, ZK_SIDE_BUY, 100);
	assert_int_equal(zk_batcher_push(f.b, &op, 0, &cut), 0);
	assert_int_equal(zk_batcher_flush(f.b, 0, &cut), 0);
	assert_int_equal(cut->witness.ops, 1); /* a fresh log per batch */
	zk_batch_free(cut);
	destroy(&f);
}

/* The burst path cuts the same batches with the same contents as pushing
 * one op at a time, whatever the burst sizes. */
static void test_burst_equals_single(void **state)
{
	struct fixture one = make(7, 0, true), many = make(7, 0, true);
	struct zk_op ops[200];
	struct zk_batch *a[64], *b[64], *cut;
	size_t na = 0, nb = 0, i, done, k;
	uint64_t x = 12345;

	(void)state;
	for (i = 0; i < 200; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		ops[i] = place(i + 1, (x >> 33) & 1 ? ZK_SIDE_BUY : ZK_SIDE_SELL,
			       90 + (int64_t)((x >> 40) % 20));
	}
	for (i = 0; i < 200; i++) {
		assert_int_equal(zk_batcher_push(one.b, &ops[i], 0, &cut), 0);
		if (cut)
			a[na++] = cut;
	}
	for (i = 0; i < 200; i += k) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		k = 1 + (x >> 40) % 13;
		if (k > 200 - i)
			k = 200 - i;
		for (size_t j = 0; j < k; j += done) {
			assert_int_equal(zk_batcher_push_burst(many.b, &ops[i + j], k - j,
							       0, &done, &cut), 0);
			assert_true(done >= 1);
			if (cut)
				b[nb++] = cut;
		}
	}
	assert_int_equal(na, nb);
	for (i = 0; i < na; i++) {
		assert_int_equal(a[i]->n_ops, b[i]->n_ops);
		assert_int_equal(a[i]->first_seq, b[i]->first_seq);
		assert_memory_equal(a[i]->ops_digest, b[i]->ops_digest, 32);
		assert_memory_equal(a[i]->events_digest, b[i]->events_digest, 32);
		assert_int_equal(a[i]->witness.len, b[i]->witness.len);
		zk_batch_free(a[i]);
		zk_batch_free(b[i]);
	}
	/* an op whose seq does not increase is refused, nothing applied */
	assert_int_equal(zk_batcher_push_burst(many.b, &ops[0], 1, 0, &done, &cut), -1);
	assert_int_equal(done, 0);
	destroy(&one);
	destroy(&many);
}

static void test_limits_change_at_run_time(void **state)
{
	struct fixture f = make(8, 0, false);
	struct zk_batch *cut;
	struct zk_op op;
	uint64_t seq;

	(void)state;
	for (seq = 1; seq <= 5; seq++) {
		op = place(seq, ZK_SIDE_BUY, 100 + (int64_t)seq);
		assert_int_equal(zk_batcher_push(f.b, &op, 0, &cut), 0);
		assert_null(cut);
	}
	/* shrink below the open batch's size: the next push cuts it first */
	assert_int_equal(zk_batcher_set_limits(f.b, 3, 0), 0);
	op = place(6, ZK_SIDE_BUY, 106);
	assert_int_equal(zk_batcher_push(f.b, &op, 0, &cut), 0);
	assert_non_null(cut);
	assert_int_equal(cut->n_ops, 5);
	assert_int_equal(cut->cut, ZK_CUT_SIZE);
	zk_batch_free(cut);
	/* grow with a batch open: it now fills up to the new limit */
	assert_int_equal(zk_batcher_set_limits(f.b, 20, 500), 0);
	for (seq = 7; seq <= 25; seq++) {
		op = place(seq, ZK_SIDE_BUY, 100 + (int64_t)(seq % 50));
		assert_int_equal(zk_batcher_push(f.b, &op, 0, &cut), 0);
		if (seq < 25)
			assert_null(cut);
	}
	assert_non_null(cut);
	assert_int_equal(cut->n_ops, 20);
	assert_int_equal(cut->first_seq, 6);
	zk_batch_free(cut);
	/* the new timeout applies too */
	op = place(26, ZK_SIDE_BUY, 100);
	assert_int_equal(zk_batcher_push(f.b, &op, 1000, &cut), 0);
	assert_int_equal(zk_batcher_tick(f.b, 1500, &cut), 0);
	assert_non_null(cut);
	assert_int_equal(cut->cut, ZK_CUT_TIMEOUT);
	zk_batch_free(cut);
	assert_int_equal(zk_batcher_set_limits(f.b, 0, 0), -1);
	destroy(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_config),
		cmocka_unit_test(test_cut_by_size),
		cmocka_unit_test(test_cut_by_timeout),
		cmocka_unit_test(test_timeout_then_full_single_op_batches),
		cmocka_unit_test(test_gap_cuts_and_marks),
		cmocka_unit_test(test_seq_must_increase),
		cmocka_unit_test(test_digests_match_recomputation),
		cmocka_unit_test(test_op_encoding_is_big_endian_and_complete),
		cmocka_unit_test(test_witness_per_batch),
		cmocka_unit_test(test_burst_equals_single),
		cmocka_unit_test(test_limits_change_at_run_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
