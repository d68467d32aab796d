/* SPDX-License-Identifier: MIT */
/*
 * Commit-then-prove (zk_clob_commit, zk_clob_prove_committed) and the batch
 * container: the commit makes the tree follow the engine whatever the
 * batch holds, a committed batch proves to the same statement as
 * zk_clob_prove, the statement must be the committed batch's, and the
 * container decoder refuses every malformed input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clob_test_util.h"
#include "params.h"
#include "zkclob/backend.h"
#include "zkclob/be.h"
#include "zkclob/clobproof.h"

#define ERRLEN 256

static struct zk_batch *make_batch(struct clob_rig *r, size_t n,
				   struct zk_op (*maker)(struct clob_rig *,
							 uint64_t))
{
	struct zk_op *ops = calloc(n, sizeof(*ops));
	struct zk_batch *b;

	assert_non_null(ops);
	for (size_t i = 0; i < n; i++)
		ops[i] = maker(r, i);
	b = clob_rig_batch(r, ops, n);
	free(ops);
	assert_non_null(b);
	return b;
}

/* The tree after commit commits exactly the engine's book: a tree built
 * from scratch over the engine's slots has the same root. */
static void assert_tree_follows_engine(struct clob_rig *r)
{
	struct zk_st_tree *fresh = zk_st_create(r->e, clob_test_market.market,
						4);
	uint8_t a[32], b[32];

	assert_non_null(fresh);
	zk_st_root(r->t, a);
	zk_st_root(fresh, b);
	assert_memory_equal(a, b, 32);
	zk_st_destroy(fresh);
}

static void test_commit_follows_book(void **state)
{
	struct clob_rig r;
	struct zk_st_update u = { 0 };
	struct zk_statement st;
	char err[ERRLEN] = "";

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	for (int round = 0; round < 3; round++) {
		struct zk_batch *b = make_batch(&r, 200, clob_book_op);
		uint8_t before[32];

		zk_st_root(r.t, before);
		if (zk_clob_commit(b, r.t, &u, &st, err, sizeof(err)) != 0)
			fail_msg("commit: %s", err);
		assert_ptr_equal(b->tree_update, &u);
		assert_non_null(b->tree_layout);
		assert_int_equal(st.params_id, 0);
		assert_int_equal(st.market, clob_test_market.market);
		assert_memory_equal(st.old_root, before, 32);
		if (round == 0) /* the first batch rests orders */
			assert_memory_not_equal(st.old_root, st.new_root, 32);
		assert_memory_equal(st.ops_digest, b->ops_digest, 32);
		assert_memory_equal(st.events_digest, b->events_digest, 32);
		assert_tree_follows_engine(&r);
		zk_batch_free(b);
	}
	zk_st_update_free(&u);
	clob_rig_fini(&r);
}

static void test_commit_refuses_other_market(void **state)
{
	struct clob_rig r;
	struct zk_st_update u = { 0 };
	struct zk_statement st;
	struct zk_batch *b;
	uint8_t before[32], after[32];
	char err[ERRLEN] = "";

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	b = make_batch(&r, 8, clob_malformed_op);
	b->ops[3].market = clob_test_market.market + 1;
	zk_st_root(r.t, before);
	assert_int_equal(zk_clob_commit(b, r.t, &u, &st, err, sizeof(err)),
			 ZK_CLOB_EINVAL);
	assert_non_null(strstr(err, "split the batch by market"));
	zk_st_root(r.t, after);
	assert_memory_equal(before, after, 32);
	assert_null(b->tree_update);
	zk_batch_free(b);
	zk_st_update_free(&u);
	clob_rig_fini(&r);
}

/* Prove a committed reject batch; the proof verifies through a container,
 * and the statement has to be the committed one. */
static void test_prove_committed(void **state)
{
	struct clob_rig r;
	struct zk_st_update u = { 0 };
	struct zk_statement st, bad;
	struct zk_clob_prove_opts o = { .market = &clob_test_market,
					.stark_params = ZK_PARAMS_FAST,
					.threads = 2 };
	struct zk_batch *b;
	uint8_t *proof = NULL, *c;
	size_t len = 0, clen, cap;
	char err[ERRLEN] = "";

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	b = make_batch(&r, 20, clob_invalid_op);
	/* not committed yet */
	memset(&st, 0, sizeof(st));
	assert_int_equal(zk_clob_prove_committed(b, &o, &st, &proof, &len, err,
						 sizeof(err)),
			 ZK_CLOB_EINVAL);
	assert_int_equal(zk_clob_commit(b, r.t, &u, &st, err, sizeof(err)), 0);

	/* a statement that is not the committed batch's */
	bad = st;
	bad.new_root[5] ^= 1;
	assert_int_equal(zk_clob_prove_committed(b, &o, &bad, &proof, &len,
						 err, sizeof(err)),
			 ZK_CLOB_EINVAL);
	bad = st;
	bad.params_id = ZK_CLOB_PARAMS_ID(ZK_PARAMS_COMPACT);
	assert_int_equal(zk_clob_prove_committed(b, &o, &bad, &proof, &len,
						 err, sizeof(err)),
			 ZK_CLOB_EINVAL);

	if (zk_clob_prove_committed(b, &o, &st, &proof, &len, err,
				    sizeof(err)) != 0)
		fail_msg("prove: %s", err);
	assert_int_equal(st.params_id, ZK_CLOB_PARAMS_ID(ZK_PARAMS_FAST));

	cap = zk_clob_container_size(b->n_ops, b->events.len, len);
	c = malloc(cap);
	assert_non_null(c);
	assert_int_equal(zk_clob_container_encode(b->ops, b->n_ops,
						  b->events.ev, b->events.len,
						  proof, len, c, cap - 1),
			 0);
	clen = zk_clob_container_encode(b->ops, b->n_ops, b->events.ev,
					b->events.len, proof, len, c, cap);
	assert_int_equal(clen, cap);
	if (zk_clob_verify_container(&st, c, clen, &clob_test_market,
				     ZK_PARAMS_FAST, err, sizeof(err)) != 0)
		fail_msg("verify: %s", err);
	/* one flipped bit anywhere: in an op, in an event, in the proof */
	for (size_t at = ZK_CLOB_CONTAINER_HEADER; at < clen;
	     at += (clen - ZK_CLOB_CONTAINER_HEADER) / 7) {
		c[at] ^= 0x10;
		assert_int_not_equal(zk_clob_verify_container(
					     &st, c, clen, &clob_test_market,
					     ZK_PARAMS_FAST, err, sizeof(err)),
				     0);
		c[at] ^= 0x10;
	}
	/* another statement, another set */
	bad = st;
	bad.batch_seq++;
	assert_int_not_equal(zk_clob_verify_container(&bad, c, clen,
						      &clob_test_market,
						      ZK_PARAMS_FAST, err,
						      sizeof(err)),
			     0);
	assert_int_not_equal(zk_clob_verify_container(&st, c, clen,
						      &clob_test_market,
						      ZK_PARAMS_COMPACT, err,
						      sizeof(err)),
			     0);
	free(c);
	free(proof);
	zk_batch_free(b);
	zk_st_update_free(&u);
	clob_rig_fini(&r);
}

/* A batch the AIR cannot prove is committed all the same (the tree follows
 * the book) and only the prove step refuses it. */
static void test_unsupported_after_commit(void **state)
{
	struct clob_rig r;
	struct zk_st_update u = { 0 };
	struct zk_statement st;
	struct zk_clob_prove_opts o = { .market = &clob_test_market,
					.stark_params = ZK_PARAMS_FAST };
	struct zk_batch *b;
	uint8_t *proof = NULL;
	size_t len = 0;
	char err[ERRLEN] = "";

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	b = make_batch(&r, 30, clob_book_op); /* resting GTC orders */
	assert_int_equal(zk_clob_commit(b, r.t, &u, &st, err, sizeof(err)), 0);
	assert_tree_follows_engine(&r);
	assert_int_equal(zk_clob_prove_committed(b, &o, &st, &proof, &len, err,
						 sizeof(err)),
			 ZK_CLOB_EUNSUPPORTED);
	assert_non_null(strstr(err, "not provable"));
	assert_null(proof);
	zk_batch_free(b);
	zk_st_update_free(&u);
	clob_rig_fini(&r);
}

static void expect_decode_error(const uint8_t *in, size_t len,
				const char *why)
{
	struct zk_clob_container c;
	char err[ERRLEN] = "";

	assert_int_equal(zk_clob_container_decode(in, len, &c, err,
						  sizeof(err)),
			 -1);
	assert_non_null(strstr(err, why));
	assert_null(c.ops);
	assert_null(c.events);
}

static void test_container_hostile(void **state)
{
	struct zk_op op = { .seq = 9, .type = ZK_OP_NEW, .market = 3 };
	struct zk_event ev = { .seq = 9, .type = ZK_EV_REJECTED, .reason = 1 };
	const uint8_t proof[5] = { 1, 2, 3, 4, 5 };
	uint8_t buf[256], tmp[256];
	struct zk_clob_container c;
	char err[ERRLEN];
	size_t n;

	(void)state;
	n = zk_clob_container_encode(&op, 1, &ev, 1, proof, sizeof(proof), buf,
				     sizeof(buf));
	assert_int_equal(n, ZK_CLOB_CONTAINER_HEADER + 128 + 5);
	assert_int_equal(zk_clob_container_decode(buf, n, &c, err, sizeof(err)),
			 0);
	assert_int_equal(c.n_ops, 1);
	assert_int_equal(c.n_events, 1);
	assert_int_equal(c.ops[0].seq, 9);
	assert_int_equal(c.events[0].reason, 1);
	assert_int_equal(c.proof_len, 5);
	assert_memory_equal(c.proof, proof, 5);
	zk_clob_container_free(&c);

	expect_decode_error(NULL, 0, "not a batch container");
	expect_decode_error(buf, 15, "not a batch container");
	memcpy(tmp, buf, n);
	tmp[0] = 'X';
	expect_decode_error(tmp, n, "not a batch container");
	memcpy(tmp, buf, n);
	tmp[4] = 2;
	expect_decode_error(tmp, n, "version");
	memcpy(tmp, buf, n);
	tmp[6] = 1;
	expect_decode_error(tmp, n, "version");
	memcpy(tmp, buf, n);
	zk_put_be32(tmp + 8, 0);
	expect_decode_error(tmp, n, "out of range");
	zk_put_be32(tmp + 8, ZK_CLOB_CONTAINER_MAX_OPS + 1);
	expect_decode_error(tmp, n, "out of range");
	zk_put_be32(tmp + 8, 1);
	zk_put_be32(tmp + 12, 0xffffffffu);
	expect_decode_error(tmp, n, "out of range");
	zk_put_be32(tmp + 12, 3); /* more events than bytes */
	expect_decode_error(tmp, n, "cannot hold");
	/* no proof bytes at all */
	expect_decode_error(buf, ZK_CLOB_CONTAINER_HEADER + 128, "cannot hold");
	/* a non-canonical event: its always-zero byte (offset 15) set */
	memcpy(tmp, buf, n);
	tmp[ZK_CLOB_CONTAINER_HEADER + 64 + 15] = 1;
	expect_decode_error(tmp, n, "canonical");
	/* over-limit counts are refused at encode too */
	assert_int_equal(zk_clob_container_encode(&op,
						  ZK_CLOB_CONTAINER_MAX_OPS + 1,
						  &ev, 1, proof, 5, buf,
						  sizeof(buf)),
			 0);
}

/*
 * The witness decoder on hostile input: a real committed batch's witness,
 * then thousands of seeded mutations (bit flips, changed counts, cut or
 * extended lengths). Every mutation is refused or decodes to a batch that
 * passed every check; none crashes (the ASan build runs this too). A
 * decoded batch must still prove only its own statement: the prover check
 * in test_prove_committed covers that.
 */
static void test_witness_hostile(void **state)
{
	struct clob_rig r;
	struct zk_st_update u = { 0 };
	struct zk_statement st;
	struct zk_clob_rebuilt rb;
	struct zk_batch *b;
	uint8_t *w, *m;
	size_t n;
	uint64_t x = 0x9E3779B97F4A7C15ull;
	unsigned accepted = 0;
	char err[ERRLEN];

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	b = make_batch(&r, 40, clob_book_op);
	assert_int_equal(zk_clob_commit(b, r.t, &u, &st, err, sizeof(err)), 0);
	n = zk_bp_witness_size(b);
	assert_true(n > 96);
	w = malloc(n);
	m = malloc(n + 64);
	assert_non_null(w);
	assert_non_null(m);
	assert_int_equal(zk_bp_witness_encode(b, w, n - 1), 0);
	assert_int_equal(zk_bp_witness_encode(b, w, n), n);

	/* the honest witness rebuilds the same batch */
	if (zk_clob_witness_decode(&st, b->ops, b->n_ops, w, n,
				   &clob_test_market, &rb, err,
				   sizeof(err)) != 0)
		fail_msg("decode: %s", err);
	assert_int_equal(rb.batch.events.len, b->events.len);
	assert_int_equal(rb.batch.witness.len, b->witness.len);
	assert_memory_equal(rb.batch.events_digest, b->events_digest, 32);
	assert_memory_equal(rb.update.new_root, u.new_root, 32);
	assert_ptr_equal(rb.batch.tree_update, &rb.update);
	zk_clob_rebuilt_free(&rb);

	for (int i = 0; i < 3000; i++) {
		size_t len = n, at;
		int rc;

		memcpy(m, w, n);
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		at = (size_t)(x % n);
		switch (i % 4) {
		case 0: /* one bit anywhere */
			m[at] ^= (uint8_t)(1u << (x >> 40 & 7));
			break;
		case 1: /* a count or header word */
			zk_put_be32(m + 8 + 4 * (x >> 32 & 5),
				    (uint32_t)(x >> 20));
			break;
		case 2: /* cut short */
			len = at;
			break;
		default: /* bytes in the body only (slots, hashes) */
			at = 96 + (size_t)(x % (n - 96));
			m[at] ^= (uint8_t)(x >> 48 | 1);
			break;
		}
		rc = zk_clob_witness_decode(&st, b->ops, b->n_ops, m, len,
					    &clob_test_market, &rb, err,
					    sizeof(err));
		if (rc == 0)
			accepted++;
		else
			assert_true(err[0] != '\0');
		zk_clob_rebuilt_free(&rb);
	}
	/* Every byte is read by some check (counts, lengths, the record's
	 * hashes, the access chains, the statement's digests and roots). */
	print_message("witness mutations accepted: %u of 3000\n", accepted);
	assert_true(accepted <= 30);
	free(w);
	free(m);
	zk_batch_free(b);
	zk_st_update_free(&u);
	clob_rig_fini(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commit_follows_book),
		cmocka_unit_test(test_commit_refuses_other_market),
		cmocka_unit_test(test_prove_committed),
		cmocka_unit_test(test_unsupported_after_commit),
		cmocka_unit_test(test_container_hostile),
		cmocka_unit_test(test_witness_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
