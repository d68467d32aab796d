/* SPDX-License-Identifier: MIT */
/*
 * Router state: circuit-breaker transitions on a manual clock, cache keys
 * (a changed statement never hits, a corrupt proof is never cached, a
 * reject is never turned into an accept), and reconfigure while worker
 * threads prove (nothing lost, every request finishes under one config).
 */
#include <pthread.h>

#include "router_test_util.h"

static void
test_breaker(void **state)
{
	struct manual_clock clk = { .now = 1000000000ull };
	struct zk_router_opts o = { .now_ns = manual_now, .clock_arg = &clk };
	struct zk_router_cfg cfg;
	struct zk_statement st;
	struct zk_route_request rq = { .st = &st, .n_ops = 8,
				       .workload = ZK_WORKLOAD_BATCH };
	struct zk_router *r;
	struct zk_backend_stats bs;
	uint8_t buf[256];
	struct zk_proof pr = { .data = buf, .cap = sizeof(buf) };
	struct zk_route_result res;
	char why[128];

	(void)state;
	test_cfg(&cfg);
	cfg.breaker_failures = 3;
	cfg.breaker_cooldown_ms = 100;
	cfg.max_retries = 0;
	cfg.proof_cache_entries = 0;
	cfg.strategy = ZK_STRATEGY_LATENCY;
	r = make_router(&cfg, &o);
	/* Calls 1..4 fail, later calls succeed. */
	add(r, make_fault(make_hp("a", 1, 64, 1, 1), "fail calls=1..4"));
	make_statement(&st, 1);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(zk_router_prove(r, &rq, &pr, &res),
				 ZK_ROUTE_EXHAUSTED);
		zk_router_backend_stats(r, 0, &bs);
		assert_int_equal(bs.breaker, ZK_BREAKER_CLOSED);
	}
	assert_int_equal(zk_router_prove(r, &rq, &pr, &res),
			 ZK_ROUTE_EXHAUSTED);
	zk_router_backend_stats(r, 0, &bs);
	assert_int_equal(bs.breaker, ZK_BREAKER_OPEN);
	assert_int_equal(bs.breaker_opens, 1);
	/* Open: not selected, not called. */
	assert_int_equal(zk_router_prove(r, &rq, &pr, &res),
			 ZK_ROUTE_NO_BACKEND);
	assert_non_null(strstr(res.reason, "breaker"));
	clk.now += 99000000ull;
	assert_int_equal(zk_router_select(r, &rq, why, sizeof(why)), -1);
	/* Cooldown over: one probe; it fails (call 4) → open again. */
	clk.now += 1000000ull;
	assert_int_equal(zk_router_select(r, &rq, why, sizeof(why)), 0);
	assert_int_equal(zk_router_prove(r, &rq, &pr, &res),
			 ZK_ROUTE_EXHAUSTED);
	zk_router_backend_stats(r, 0, &bs);
	assert_int_equal(bs.breaker, ZK_BREAKER_OPEN);
	assert_int_equal(bs.breaker_opens, 2);
	assert_int_equal(zk_router_prove(r, &rq, &pr, &res),
			 ZK_ROUTE_NO_BACKEND);
	/* Next cooldown: the probe succeeds (call 5) → closed. */
	clk.now += 100000000ull;
	assert_int_equal(zk_router_prove(r, &rq, &pr, &res), ZK_ROUTE_OK);
	zk_router_backend_stats(r, 0, &bs);
	assert_int_equal(bs.breaker, ZK_BREAKER_CLOSED);
	assert_int_equal(bs.consecutive_failures, 0);
	assert_int_equal(bs.failures, 4);
	assert_int_equal(bs.proofs, 1);
	zk_router_destroy(r);
}

/* The half-open state admits exactly one probe at a time. */
static void
test_breaker_single_probe(void **state)
{
	struct manual_clock clk = { .now = 5000000000ull };
	struct zk_router_opts o = { .now_ns = manual_now, .clock_arg = &clk };
	struct zk_router_cfg cfg;
	struct zk_statement st;
	struct zk_route_request rq = { .st = &st, .n_ops = 8,
				       .workload = ZK_WORKLOAD_BATCH };
	struct zk_router *r;
	struct zk_backend_stats bs;
	char why[128];

	(void)state;
	test_cfg(&cfg);
	cfg.breaker_failures = 1;
	cfg.breaker_cooldown_ms = 10;
	r = make_router(&cfg, &o);
	add(r, make_hp("a", 1, 64, 1, 1));
	add(r, make_hp("b", 2, 64, 1000, 1));
	make_statement(&st, 1);
	zk_router_observe(r, 0, 8, 1000, 64, false);
	zk_router_backend_stats(r, 0, &bs);
	assert_int_equal(bs.breaker, ZK_BREAKER_OPEN);
	assert_int_equal(zk_router_select(r, &rq, why, sizeof(why)), 1);
	clk.now += 10000000ull;
	assert_int_equal(zk_router_select(r, &rq, why, sizeof(why)), 0);
	/* An observed success (e.g. the probe) closes it. */
	zk_router_observe(r, 0, 8, 1000, 64, true);
	zk_router_backend_stats(r, 0, &bs);
	assert_int_equal(bs.breaker, ZK_BREAKER_CLOSED);
	zk_router_destroy(r);
}

static void
test_proof_cache_keys(void **state)
{
	struct zk_router_cfg cfg;
	struct zk_statement st, changed;
	struct zk_route_request rq = { .st = &st, .n_ops = 8,
				       .workload = ZK_WORKLOAD_BATCH };
	struct zk_router *r;
	uint8_t buf[256], first[256];
	struct zk_proof pr = { .data = buf, .cap = sizeof(buf) };
	struct zk_route_result res;
	struct zk_router_stats rs;
	uint8_t enc[ZK_STATEMENT_WIRE_SIZE];
	size_t first_len;
	uint64_t calls, injected;
	char why[128];

	(void)state;
	test_cfg(&cfg);
	r = make_router(&cfg, NULL);
	add(r, make_fault(make_hp("a", 1, 64, 1, 1), "none"));
	make_statement(&st, 9);
	assert_int_equal(zk_router_prove(r, &rq, &pr, &res), ZK_ROUTE_OK);
	assert_false(res.from_cache);
	memcpy(first, buf, pr.len);
	first_len = pr.len;
	/* Same statement: served from the cache, byte-identical. */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(zk_router_prove(r, &rq, &pr, &res), ZK_ROUTE_OK);
	assert_true(res.from_cache);
	assert_true(res.verified);
	assert_memory_equal(buf, first, first_len);
	zk_fault_counts(zk_router_backend(r, 0), &calls, &injected);
	assert_int_equal(calls, 1);
	/* Every single-bit change of the statement misses, and the proof
	 * returned is valid for the changed statement. */
	zk_statement_encode(&st, enc);
	for (size_t i = 8; i < sizeof(enc); i += 3) {
		uint8_t e2[ZK_STATEMENT_WIRE_SIZE];

		memcpy(e2, enc, sizeof(e2));
		e2[i] ^= 0x04;
		zk_statement_decode(e2, &changed);
		if (!zk_statement_is_well_formed(&changed))
			continue;
		rq.st = &changed;
		assert_int_equal(zk_router_prove(r, &rq, &pr, &res),
				 ZK_ROUTE_OK);
		assert_false(res.from_cache);
		assert_int_equal(zk_backend_verify(zk_router_backend(r, 0),
						   &res.statement, pr.data,
						   pr.len, 0, why, sizeof(why)),
				 ZK_VERIFY_ACCEPT);
	}
	zk_router_stats(r, &rs);
	assert_int_equal(rs.proof_cache_hits, 1);
	zk_router_destroy(r);
}

static void
test_verify_cache_sound(void **state)
{
	struct zk_router_cfg cfg;
	struct zk_statement st;
	struct zk_route_request rq = { .st = &st, .n_ops = 8,
				       .workload = ZK_WORKLOAD_BATCH };
	struct zk_router *r;
	uint8_t buf[256];
	struct zk_proof pr = { .data = buf, .cap = sizeof(buf) };
	struct zk_route_result res;
	struct zk_router_stats rs;
	char why[128];
	int be;

	(void)state;
	test_cfg(&cfg);
	cfg.max_retries = 0;
	r = make_router(&cfg, NULL);
	add(r, make_fault(make_hp("a", 1, 64, 1, 1), "corrupt every=2"));
	make_statement(&st, 4);
	/* Call 1 good, accepted and cached. */
	assert_int_equal(zk_router_prove(r, &rq, &pr, &res), ZK_ROUTE_OK);
	assert_int_equal(zk_router_verify(r, &res.statement, pr.data, pr.len,
					  &be, why, sizeof(why)),
			 ZK_VERIFY_ACCEPT);
	zk_router_stats(r, &rs);
	assert_int_equal(rs.verify_cache_hits, 1);
	/* A flipped byte of that proof misses the cache and is rejected,
	 * every time: rejects are never cached as anything. */
	for (int k = 0; k < 2; k++) {
		buf[10] ^= 1;
		assert_int_equal(zk_router_verify(r, &res.statement, pr.data,
						  pr.len, &be, why,
						  sizeof(why)),
				 ZK_VERIFY_REJECT);
		buf[10] ^= 1;
	}
	/* Same proof, another statement: miss, reject. */
	st.batch_seq++;
	rq.st = &st;
	res.statement.batch_seq++;
	assert_int_equal(zk_router_verify(r, &res.statement, pr.data, pr.len,
					  &be, why, sizeof(why)),
			 ZK_VERIFY_REJECT);
	/* Call 2 corrupt: rejected, nothing returned, nothing cached; the
	 * same statement again (call 3, good) proves fine. */
	assert_int_equal(zk_router_prove(r, &rq, &pr, &res),
			 ZK_ROUTE_EXHAUSTED);
	assert_int_equal(pr.len, 0);
	assert_int_equal(zk_router_prove(r, &rq, &pr, &res), ZK_ROUTE_OK);
	assert_false(res.from_cache);
	zk_router_stats(r, &rs);
	assert_int_equal(rs.verify_cache_hits, 1);
	/* Unknown params id: no verifier, an error, not an accept. */
	res.statement.params_id = 77;
	assert_int_equal(zk_router_verify(r, &res.statement, pr.data, pr.len,
					  &be, why, sizeof(why)),
			 ZK_VERIFY_ERROR);
	assert_int_equal(be, -1);
	zk_router_destroy(r);
}

struct worker {
	struct zk_router *r;
	int id;
	unsigned ok, bad;
	atomic_bool *stop;
};

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	uint8_t buf[2048];
	struct zk_proof pr = { .data = buf, .cap = sizeof(buf) };
	char why[128];

	for (uint64_t b = 1; !atomic_load(w->stop) || b < 50; b++) {
		struct zk_statement st;
		struct zk_route_request rq = {
			.st = &st, .n_ops = 16,
			.workload = (enum zk_workload)(b % ZK_WORKLOAD_COUNT),
		};
		struct zk_route_result res;

		make_statement(&st, b * 16 + (uint64_t)w->id);
		if (zk_router_prove(w->r, &rq, &pr, &res) == ZK_ROUTE_OK &&
		    res.verified &&
		    zk_backend_verify(zk_router_backend(w->r, res.backend),
				      &res.statement, pr.data, pr.len, 0, why,
				      sizeof(why)) == ZK_VERIFY_ACCEPT)
			w->ok++;
		else
			w->bad++;
		if (b > 100000)
			break;
	}
	return NULL;
}

static void
test_reconfigure_under_load(void **state)
{
	struct zk_router_cfg cfg;
	struct zk_router *r;
	struct worker w[4];
	pthread_t th[4];
	atomic_bool stop;
	struct zk_router_stats rs;
	char err[128];
	unsigned total_ok = 0, total = 0;
	uint64_t proofs = 0;

	(void)state;
	test_cfg(&cfg);
	cfg.proof_cache_entries = 0;
	r = make_router(&cfg, NULL);
	add(r, make_hp("a", 1, 64, 5, 1));
	add(r, make_hp("b", 2, 512, 10, 1));
	add(r, make_hp("c", 3, 1024, 20, 1));
	atomic_init(&stop, false);
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){ .r = r, .id = i, .stop = &stop };
		assert_int_equal(pthread_create(&th[i], NULL, worker_main,
						&w[i]), 0);
	}
	/* Every reload swaps strategy, weights and per-class allowed sets;
	 * each always leaves at least one backend allowed. */
	for (int k = 0; k < 300; k++) {
		struct zk_route_constraints *c =
			&cfg.classes[k % ZK_WORKLOAD_COUNT];

		cfg.strategy = (enum zk_strategy)(k % 4);
		cfg.w_latency = 1 + k % 3;
		cfg.w_size = k % 2;
		c->n_allowed = 1;
		snprintf(c->allowed[0], sizeof(c->allowed[0]), "%c",
			 'a' + k % 3);
		cfg.verify_rate = 1.0;
		assert_int_equal(zk_router_reconfigure(r, &cfg, err,
						       sizeof(err)), 0);
	}
	atomic_store(&stop, true);
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		total_ok += w[i].ok;
		total += w[i].ok + w[i].bad;
		assert_int_equal(w[i].bad, 0);
	}
	zk_router_stats(r, &rs);
	assert_int_equal(rs.requests, total);
	assert_int_equal(rs.ok, total_ok);
	assert_int_equal(rs.reconfigures, 300);
	for (int i = 0; i < 3; i++) {
		struct zk_backend_stats bs;

		zk_router_backend_stats(r, i, &bs);
		assert_int_equal(bs.inflight, 0);
		proofs += bs.proofs;
	}
	assert_int_equal(proofs, total_ok);
	zk_router_destroy(r);
}

/* Two equal backends under concurrent load: queue depth spreads work. */
static void
test_load_spread(void **state)
{
	struct zk_router_cfg cfg;
	struct zk_router *r;
	struct worker w[4];
	pthread_t th[4];
	atomic_bool stop;
	struct zk_backend_stats a, b;

	(void)state;
	test_cfg(&cfg);
	cfg.strategy = ZK_STRATEGY_LATENCY;
	cfg.proof_cache_entries = 0;
	r = make_router(&cfg, NULL);
	add(r, make_fault(make_hp("a", 1, 64, 100, 1), "slow=200"));
	add(r, make_fault(make_hp("b", 2, 64, 100, 1), "slow=200"));
	atomic_init(&stop, true); /* each worker runs its 49 batches */
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){ .r = r, .id = i, .stop = &stop };
		assert_int_equal(pthread_create(&th[i], NULL, worker_main,
						&w[i]), 0);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	zk_router_backend_stats(r, 0, &a);
	zk_router_backend_stats(r, 1, &b);
	assert_int_equal(a.proofs + b.proofs, 4 * 49);
	/* Not a timing claim: with ties rotated and queue depth counted,
	 * neither backend is left idle. */
	assert_true(a.proofs > 0 && b.proofs > 0);
	zk_router_destroy(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_breaker),
		cmocka_unit_test(test_breaker_single_probe),
		cmocka_unit_test(test_proof_cache_keys),
		cmocka_unit_test(test_verify_cache_sound),
		cmocka_unit_test(test_reconfigure_under_load),
		cmocka_unit_test(test_load_spread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
