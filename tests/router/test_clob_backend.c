/* SPDX-License-Identifier: MIT */
/*
 * The native CLOB STARK backend behind the backend interface and the
 * router: committed batches prove and verify from (statement, proof bytes)
 * alone, a tampered proof or another statement is rejected, a batch the
 * AIR does not cover is declined without counting as a failure (the
 * breaker stays closed, the router moves to the next backend), and the
 * precomputation reuse is counted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../prover/clob_test_util.h"
#include "params.h"
#include "zkclob/backend.h"
#include "zkclob/clobproof.h"
#include "zkclob/router.h"

#define PROOF_CAP (4u << 20)

struct committed {
	struct zk_batch *b;
	struct zk_st_update u;
	struct zk_statement st;
};

static void commit(struct clob_rig *r, struct committed *c, size_t n,
		   struct zk_op (*maker)(struct clob_rig *, uint64_t))
{
	struct zk_op *ops = calloc(n, sizeof(*ops));
	char err[256] = "";

	assert_non_null(ops);
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < n; i++)
		ops[i] = maker(r, i);
	c->b = clob_rig_batch(r, ops, n);
	free(ops);
	assert_non_null(c->b);
	if (zk_clob_commit(c->b, r->t, &c->u, &c->st, err, sizeof(err)) != 0)
		fail_msg("commit: %s", err);
}

static void release(struct committed *c)
{
	zk_batch_free(c->b);
	zk_st_update_free(&c->u);
}

static struct zk_backend *clob_backend(uint8_t set)
{
	struct zk_clob_backend_cfg cfg = { .stark_params = set, .threads = 2,
					   .markets = &clob_test_market,
					   .n_markets = 1 };

	return zk_clob_backend_create(&cfg);
}

static void test_create(void **state)
{
	struct zk_clob_backend_cfg cfg = { .stark_params = ZK_PARAMS_FAST,
					   .markets = &clob_test_market,
					   .n_markets = 1 };
	struct zk_backend *be;
	const struct zk_backend_info *info;

	(void)state;
	be = zk_clob_backend_create(&cfg);
	assert_non_null(be);
	info = zk_backend_info(be);
	assert_string_equal(info->name, "clob-fast");
	assert_int_equal(info->params_id, ZK_CLOB_PARAMS_ID(ZK_PARAMS_FAST));
	assert_false(info->test_only);
	assert_true(info->security_bits >= 90);
	zk_backend_destroy(be);

	/* blowup 2 cannot carry a degree-4 AIR */
	cfg.stark_params = ZK_PARAMS_THROUGHPUT;
	assert_null(zk_clob_backend_create(&cfg));
	cfg.stark_params = 99;
	assert_null(zk_clob_backend_create(&cfg));
	cfg.stark_params = ZK_PARAMS_FAST;
	cfg.n_markets = 0;
	assert_null(zk_clob_backend_create(&cfg));
}

static void test_prove_verify(void **state)
{
	struct clob_rig r;
	struct committed c, next;
	struct zk_backend *be;
	struct zk_proof out = { .data = malloc(PROOF_CAP), .cap = PROOF_CAP };
	struct zk_statement st;
	uint64_t hits = 0, misses = 0;
	char why[ZK_BACKEND_REASON_MAX];

	(void)state;
	assert_non_null(out.data);
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	be = clob_backend(ZK_PARAMS_FAST);
	assert_non_null(be);
	commit(&r, &c, 24, clob_invalid_op);

	/* the router's way: params_id 0 filled with the backend's */
	st = c.st;
	st.params_id = zk_backend_info(be)->params_id;
	if (zk_backend_prove(be, &st, c.b, 0, &out, why, sizeof(why)) !=
	    ZK_BE_OK)
		fail_msg("prove: %s", why);
	assert_int_equal(zk_backend_verify(be, &st, out.data, out.len, 0, why,
					   sizeof(why)),
			 ZK_VERIFY_ACCEPT);
	out.data[out.len / 2] ^= 4;
	assert_int_equal(zk_backend_verify(be, &st, out.data, out.len, 0, why,
					   sizeof(why)),
			 ZK_VERIFY_REJECT);
	out.data[out.len / 2] ^= 4;
	st.batch_seq++;
	assert_int_equal(zk_backend_verify(be, &st, out.data, out.len, 0, why,
					   sizeof(why)),
			 ZK_VERIFY_REJECT);
	st.batch_seq--;

	/* the next batch's statement does not verify with this proof */
	commit(&r, &next, 24, clob_invalid_op);
	next.st.params_id = st.params_id;
	assert_int_equal(zk_backend_verify(be, &next.st, out.data, out.len, 0,
					   why, sizeof(why)),
			 ZK_VERIFY_REJECT);
	/* same trace shape: the precomputation is reused */
	if (zk_backend_prove(be, &next.st, next.b, 0, &out, why,
			     sizeof(why)) != ZK_BE_OK)
		fail_msg("prove: %s", why);
	zk_backend_reuse_rate(be, &hits, &misses);
	assert_true(misses >= 1);
	assert_true(hits >= 1);

	/* a market this backend does not serve: no verdict */
	next.st.market++;
	assert_int_equal(zk_backend_verify(be, &next.st, out.data, out.len, 0,
					   why, sizeof(why)),
			 ZK_VERIFY_ERROR);
	next.st.market--;
	/* a buffer too small, an uncommitted batch */
	out.cap = 100;
	assert_int_equal(zk_backend_prove(be, &next.st, next.b, 0, &out, why,
					  sizeof(why)),
			 ZK_BE_TOO_BIG);
	out.cap = PROOF_CAP;
	next.b->tree_update = NULL;
	assert_int_equal(zk_backend_prove(be, &next.st, next.b, 0, &out, why,
					  sizeof(why)),
			 ZK_BE_INVALID);
	release(&next);
	release(&c);
	zk_backend_destroy(be);
	clob_rig_fini(&r);
	free(out.data);
}

/*
 * Router with clob-fast and the test-only hashproof: a batch outside the
 * AIR is declined by clob-fast (no failure counted) and proven by
 * hashproof; a covered batch is proven and verified by clob-fast; with
 * clob-fast alone an uncovered batch ends ZK_ROUTE_UNSUPPORTED, however
 * many times, and the breaker never opens.
 */
static void test_router_declines(void **state)
{
	struct zk_router_cfg cfg;
	struct zk_hashproof_cfg hcfg = { .params_id = 0x77 };
	struct zk_router *rt, *alone;
	struct zk_route_request req = { .workload = ZK_WORKLOAD_BATCH };
	struct zk_route_result res;
	struct zk_backend_stats bs;
	struct zk_proof out = { .data = malloc(PROOF_CAP), .cap = PROOF_CAP };
	struct clob_rig r;
	struct committed book, rejects;
	char err[256];
	int clob_idx;

	(void)state;
	assert_non_null(out.data);
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	zk_router_config_default(&cfg);
	cfg.test_backends = true;
	cfg.verify_rate = 1.0;
	cfg.breaker_failures = 2;
	cfg.strategy = ZK_STRATEGY_LATENCY;
	rt = zk_router_create(&cfg, NULL, err, sizeof(err));
	assert_non_null(rt);
	clob_idx = zk_router_add_backend(rt, clob_backend(ZK_PARAMS_FAST), err,
					 sizeof(err));
	assert_true(clob_idx >= 0);
	assert_true(zk_router_add_backend(rt, zk_hashproof_create(&hcfg), err,
					  sizeof(err)) >= 0);
	/* make clob-fast the first choice for the latency strategy */
	zk_router_observe(rt, clob_idx, 100, 1000, 1000, true);
	zk_router_observe(rt, 1 - clob_idx, 100, 1000000000, 1000, true);

	commit(&r, &book, 30, clob_book_op);
	req.st = &book.st;
	req.witness = book.b;
	req.n_ops = (uint32_t)book.b->n_ops;
	assert_int_equal(zk_router_prove(rt, &req, &out, &res), ZK_ROUTE_OK);
	assert_int_equal(res.backend, 1 - clob_idx);
	assert_int_equal(res.unsupported, 1);
	assert_int_equal(res.attempts, 1);

	commit(&r, &rejects, 16, clob_invalid_op);
	req.st = &rejects.st;
	req.witness = rejects.b;
	req.n_ops = (uint32_t)rejects.b->n_ops;
	assert_int_equal(zk_router_prove(rt, &req, &out, &res), ZK_ROUTE_OK);
	assert_int_equal(res.backend, clob_idx);
	assert_true(res.verified);
	assert_int_equal(res.statement.params_id,
			 ZK_CLOB_PARAMS_ID(ZK_PARAMS_FAST));
	assert_int_equal(zk_backend_verify(zk_router_backend(rt, clob_idx),
					   &res.statement, out.data, out.len,
					   0, err, sizeof(err)),
			 ZK_VERIFY_ACCEPT);
	zk_router_destroy(rt);

	cfg.test_backends = false;
	alone = zk_router_create(&cfg, NULL, err, sizeof(err));
	assert_non_null(alone);
	assert_int_equal(zk_router_add_backend(alone,
					       clob_backend(ZK_PARAMS_FAST),
					       err, sizeof(err)),
			 0);
	req.st = &book.st;
	req.witness = book.b;
	req.n_ops = (uint32_t)book.b->n_ops;
	for (int i = 0; i < 4; i++) {
		assert_int_equal(zk_router_prove(alone, &req, &out, &res),
				 ZK_ROUTE_UNSUPPORTED);
		assert_int_equal(res.attempts, 0);
		assert_non_null(strstr(res.reason, "unsupported"));
	}
	assert_int_equal(zk_router_backend_stats(alone, 0, &bs), 0);
	assert_int_equal(bs.breaker, ZK_BREAKER_CLOSED);
	assert_int_equal(bs.failures, 0);
	assert_int_equal(bs.unsupported, 4);
	zk_router_destroy(alone);

	release(&book);
	release(&rejects);
	clob_rig_fini(&r);
	free(out.data);
}

/*
 * The external-process backend against our own `zkclob prove --serve`: the
 * committed batch travels as the PROVE request's witness, the stateless
 * prover rebuilds and checks it, and the proof it returns verifies with the
 * in-process backend (same bytes, same verifier). A damaged witness is
 * refused with INVALID, not proven and not a crash.
 */
static const char *zkclob_path;

static void test_external_serve(void **state)
{
	char conf[] = "/tmp/zkclob-serve-XXXXXX";
	char *argv[] = { (char *)zkclob_path, "prove", "--serve", "--config",
			 conf, "--params", "fast", "--threads", "2", NULL };
	struct zk_external_cfg xc = { .argv = argv };
	struct zk_proof out = { .data = malloc(PROOF_CAP), .cap = PROOF_CAP };
	struct zk_backend *ext, *local;
	struct clob_rig r;
	struct committed c;
	struct zk_statement st;
	char why[256];
	int fd;
	FILE *f;

	(void)state;
	assert_non_null(out.data);
	fd = mkstemp(conf);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fprintf(f, "[market.%u]\ntick = %lld\nlot = %llu\nmin_price = %lld\n"
		   "max_price = %lld\nmax_qty = %llu\nstp = cancel-newest\n"
		   "max_orders = %u\nmax_levels = %u\n",
		clob_test_market.market, (long long)clob_test_market.tick,
		(unsigned long long)clob_test_market.lot,
		(long long)clob_test_market.min_price,
		(long long)clob_test_market.max_price,
		(unsigned long long)clob_test_market.max_qty,
		clob_test_market.max_orders, clob_test_market.max_levels);
	fclose(f);

	ext = zk_external_create(&xc, why, sizeof(why));
	if (ext == NULL)
		fail_msg("external: %s", why);
	assert_string_equal(zk_backend_info(ext)->name, "clob-fast");
	assert_int_equal(zk_backend_info(ext)->params_id,
			 ZK_CLOB_PARAMS_ID(ZK_PARAMS_FAST));
	local = clob_backend(ZK_PARAMS_FAST);
	assert_non_null(local);

	assert_int_equal(clob_rig_init(&r, 1000), 0);
	commit(&r, &c, 20, clob_invalid_op);
	st = c.st;
	st.params_id = ZK_CLOB_PARAMS_ID(ZK_PARAMS_FAST);
	if (zk_backend_prove(ext, &st, c.b, 0, &out, why, sizeof(why)) !=
	    ZK_BE_OK)
		fail_msg("external prove: %s", why);
	assert_int_equal(zk_backend_verify(local, &st, out.data, out.len, 0,
					   why, sizeof(why)),
			 ZK_VERIFY_ACCEPT);
	assert_int_equal(zk_backend_verify(ext, &st, out.data, out.len, 0, why,
					   sizeof(why)),
			 ZK_VERIFY_ACCEPT);
	out.data[out.len - 9] ^= 1;
	assert_int_equal(zk_backend_verify(ext, &st, out.data, out.len, 0, why,
					   sizeof(why)),
			 ZK_VERIFY_REJECT);

	/* a book batch: declined by the remote prover as by the local one */
	release(&c);
	commit(&r, &c, 30, clob_book_op);
	st = c.st;
	st.params_id = ZK_CLOB_PARAMS_ID(ZK_PARAMS_FAST);
	assert_int_equal(zk_backend_prove(ext, &st, c.b, 0, &out, why,
					  sizeof(why)),
			 ZK_BE_UNSUPPORTED);

	/* a witness that does not match the statement: refused */
	st.new_root[0] ^= 1;
	assert_int_equal(zk_backend_prove(ext, &st, c.b, 0, &out, why,
					  sizeof(why)),
			 ZK_BE_INVALID);
	assert_non_null(strstr(why, "witness"));
	/* one slot value changed in the witness: the chain check refuses it */
	st.new_root[0] ^= 1;
	c.b->witness.acc[0].before.raw[8] ^= 1;
	assert_int_equal(zk_backend_prove(ext, &st, c.b, 0, &out, why,
					  sizeof(why)),
			 ZK_BE_INVALID);
	c.b->witness.acc[0].before.raw[8] ^= 1;
	/* no committed witness at all */
	c.b->tree_update = NULL;
	assert_int_equal(zk_backend_prove(ext, &st, c.b, 0, &out, why,
					  sizeof(why)),
			 ZK_BE_INVALID);

	release(&c);
	clob_rig_fini(&r);
	zk_backend_destroy(ext);
	zk_backend_destroy(local);
	unlink(conf);
	free(out.data);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create),
		cmocka_unit_test(test_prove_verify),
		cmocka_unit_test(test_router_declines),
		cmocka_unit_test(test_external_serve),
	};

	if (argc < 2) {
		fprintf(stderr, "usage: test_clob_backend ZKCLOB\n");
		return 2;
	}
	zkclob_path = argv[1];

	return cmocka_run_group_tests(tests, NULL, NULL);
}
