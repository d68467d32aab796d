/* SPDX-License-Identifier: MIT */
/*
 * Router: strategy selection on synthetic profiles, constraint filtering,
 * deadlines, failover (fail, hang, corrupt), bounded retries, the test
 * backend switch, and the workload-class config parser.
 */
#include "router_test_util.h"

static struct zk_route_request
request(const struct zk_statement *st, uint32_t n_ops, enum zk_workload w)
{
	struct zk_route_request rq = {
		.st = st, .n_ops = n_ops, .workload = w,
	};
	return rq;
}

/* Three backends with measured profiles:
 *   fast:   20 µs per batch, 4000-byte proofs, 20 % failures, verify 50 µs
 *   small:  400 µs per batch, 100-byte proofs, no failures, verify 1 µs
 *   steady: 100 µs per batch, 1000-byte proofs, no failures, verify 5 µs */
static struct zk_router *
synthetic(struct zk_router_cfg *cfg)
{
	struct zk_router *r = make_router(cfg, NULL);

	add(r, make_hp("fast", 1, 4000, 1, 50));
	add(r, make_hp("small", 2, 100, 1, 1));
	add(r, make_hp("steady", 3, 1000, 1, 5));
	for (int k = 0; k < 50; k++) {
		zk_router_observe(r, 0, 64, 20000, 4000, k % 5 != 0);
		zk_router_observe(r, 1, 64, 400000, 100, true);
		zk_router_observe(r, 2, 64, 100000, 1000, true);
	}
	return r;
}

static void
test_strategies(void **state)
{
	struct zk_router_cfg cfg;
	struct zk_statement st;
	struct zk_route_request rq;
	char why[128];
	struct zk_router *r;
	static const struct {
		enum zk_strategy s;
		int want;
	} cases[] = {
		{ ZK_STRATEGY_LATENCY, 0 },
		{ ZK_STRATEGY_SIZE, 1 },
		{ ZK_STRATEGY_RELIABILITY, 2 }, /* tie with small: faster */
	};

	(void)state;
	make_statement(&st, 1);
	rq = request(&st, 64, ZK_WORKLOAD_BATCH);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		test_cfg(&cfg);
		cfg.strategy = cases[i].s;
		r = synthetic(&cfg);
		assert_int_equal(zk_router_select(r, &rq, why, sizeof(why)),
				 cases[i].want);
		zk_router_destroy(r);
	}
	/* Balanced: latency alone picks fast; weighting reliability and
	 * size moves the choice, proving the weights are used. */
	test_cfg(&cfg);
	cfg.strategy = ZK_STRATEGY_BALANCED;
	cfg.w_latency = 1;
	cfg.w_size = 0;
	cfg.w_reliability = 0;
	cfg.w_load = 0;
	r = synthetic(&cfg);
	assert_int_equal(zk_router_select(r, &rq, why, sizeof(why)), 0);
	cfg.w_reliability = 1;
	cfg.w_size = 1;
	assert_int_equal(zk_router_reconfigure(r, &cfg, why, sizeof(why)), 0);
	assert_int_equal(zk_router_select(r, &rq, why, sizeof(why)), 2);
	cfg.w_latency = 0;
	cfg.w_reliability = 0;
	assert_int_equal(zk_router_reconfigure(r, &cfg, why, sizeof(why)), 0);
	assert_int_equal(zk_router_select(r, &rq, why, sizeof(why)), 1);
	zk_router_destroy(r);
}

static void
test_size_buckets(void **state)
{
	struct zk_router_cfg cfg;
	struct zk_statement st;
	struct zk_route_request small, big;
	char why[128];
	struct zk_router *r;

	(void)state;
	test_cfg(&cfg);
	cfg.strategy = ZK_STRATEGY_LATENCY;
	r = make_router(&cfg, NULL);
	add(r, make_hp("a", 1, 64, 1, 1));
	add(r, make_hp("b", 2, 64, 1, 1));
	/* a: cheap small batches, expensive big ones; b the opposite. */
	zk_router_observe(r, 0, 4, 10000, 64, true);
	zk_router_observe(r, 0, 1024, 9000000, 64, true);
	zk_router_observe(r, 1, 4, 50000, 64, true);
	zk_router_observe(r, 1, 1024, 1000000, 64, true);
	make_statement(&st, 1);
	small = request(&st, 4, ZK_WORKLOAD_BATCH);
	big = request(&st, 1024, ZK_WORKLOAD_BATCH);
	assert_int_equal(zk_router_select(r, &small, why, sizeof(why)), 0);
	assert_int_equal(zk_router_select(r, &big, why, sizeof(why)), 1);
	zk_router_destroy(r);
}

static void
test_constraints(void **state)
{
	struct zk_router_cfg cfg;
	struct zk_statement st;
	struct zk_route_request rq;
	char why[128];
	struct zk_router *r;
	struct zk_route_constraints *c;

	(void)state;
	make_statement(&st, 1);
	test_cfg(&cfg);
	cfg.strategy = ZK_STRATEGY_LATENCY;
	c = &cfg.classes[ZK_WORKLOAD_TRADE_EXECUTION];
	r = synthetic(&cfg);
	rq = request(&st, 64, ZK_WORKLOAD_TRADE_EXECUTION);

	c->max_proof_bytes = 2000; /* rules out fast */
	assert_int_equal(zk_router_reconfigure(r, &cfg, why, sizeof(why)), 0);
	assert_int_equal(zk_router_select(r, &rq, why, sizeof(why)), 2);

	c->max_proof_bytes = 50; /* rules out everyone */
	assert_int_equal(zk_router_reconfigure(r, &cfg, why, sizeof(why)), 0);
	assert_int_equal(zk_router_select(r, &rq, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "max_proof_bytes"));

	c->max_proof_bytes = 0;
	c->n_allowed = 1;
	strcpy(c->allowed[0], "small");
	assert_int_equal(zk_router_reconfigure(r, &cfg, why, sizeof(why)), 0);
	assert_int_equal(zk_router_select(r, &rq, why, sizeof(why)), 1);
	/* A name that matches nothing allows nothing. */
	strcpy(c->allowed[0], "nosuch");
	assert_int_equal(zk_router_reconfigure(r, &cfg, why, sizeof(why)), 0);
	assert_int_equal(zk_router_select(r, &rq, why, sizeof(why)), -1);
	c->n_allowed = 0;

	/* Preferred wins when it passes the hard constraints ... */
	strcpy(c->preferred, "small");
	assert_int_equal(zk_router_reconfigure(r, &cfg, why, sizeof(why)), 0);
	assert_int_equal(zk_router_select(r, &rq, why, sizeof(why)), 1);
	/* ... and not when it does not: small needs 400 µs. */
	c->deadline_us = 200;
	assert_int_equal(zk_router_reconfigure(r, &cfg, why, sizeof(why)), 0);
	assert_int_equal(zk_router_select(r, &rq, why, sizeof(why)), 0);
	c->deadline_us = 10;
	assert_int_equal(zk_router_reconfigure(r, &cfg, why, sizeof(why)), 0);
	assert_int_equal(zk_router_select(r, &rq, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "deadline"));
	c->deadline_us = 0;
	c->preferred[0] = '\0';

	/* Verify cost (advertised 50, 1, 5 µs): fast is too slow to check. */
	c->max_verify_us = 10;
	assert_int_equal(zk_router_reconfigure(r, &cfg, why, sizeof(why)), 0);
	assert_int_equal(zk_router_select(r, &rq, why, sizeof(why)), 2);
	c->max_verify_us = 0;

	/* params_id in the statement restricts the choice. */
	st.params_id = 3;
	assert_int_equal(zk_router_select(r, &rq, why, sizeof(why)), 2);
	st.params_id = 99;
	assert_int_equal(zk_router_select(r, &rq, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "params_id"));
	zk_router_destroy(r);
}

static void
test_test_backends_switch(void **state)
{
	struct zk_router_cfg cfg;
	struct zk_statement st;
	struct zk_route_request rq;
	char why[256];
	struct zk_router *r;
	uint8_t buf[256];
	struct zk_proof pr = { .data = buf, .cap = sizeof(buf) };
	struct zk_route_result res;

	(void)state;
	zk_router_config_default(&cfg); /* production: test_backends false */
	r = make_router(&cfg, NULL);
	assert_int_equal(zk_router_add_backend(r, make_hp("hp", 1, 64, 1, 1),
					       why, sizeof(why)), -1);
	assert_non_null(strstr(why, "test_backends"));
	zk_router_destroy(r);

	/* Registered while allowed, then a reload turns the switch off. */
	test_cfg(&cfg);
	r = make_router(&cfg, NULL);
	add(r, make_hp("hp", 1, 64, 1, 1));
	make_statement(&st, 1);
	rq = request(&st, 10, ZK_WORKLOAD_BATCH);
	assert_int_equal(zk_router_prove(r, &rq, &pr, &res), ZK_ROUTE_OK);
	cfg.test_backends = false;
	assert_int_equal(zk_router_reconfigure(r, &cfg, why, sizeof(why)), 0);
	assert_int_equal(zk_router_prove(r, &rq, &pr, &res),
			 ZK_ROUTE_NO_BACKEND);
	assert_non_null(strstr(res.reason, "test-only"));
	assert_int_equal(pr.len, 0);
	zk_router_destroy(r);
}

/* What the router's verify-failure observer saw. */
static struct {
	int calls;
	char backend[ZK_BACKEND_NAME_MAX];
	char reason[ZK_BACKEND_REASON_MAX];
	size_t len;
} observed;

static void
observe_verify_failure(void *arg, const struct zk_statement *st,
		       const char *backend, const uint8_t *proof, size_t len,
		       const char *reason)
{
	assert_ptr_equal(arg, &observed);
	assert_non_null(st);
	assert_non_null(proof);
	observed.calls++;
	snprintf(observed.backend, sizeof(observed.backend), "%s", backend);
	snprintf(observed.reason, sizeof(observed.reason), "%s", reason);
	observed.len = len;
}

static void
prove_with_first_faulty(const char *spec, uint64_t deadline_us,
			enum zk_be_status *first_status)
{
	struct zk_router_opts ro = { .on_verify_failure = observe_verify_failure,
				     .observer_arg = &observed };
	struct zk_router_cfg cfg;
	struct zk_statement st;
	struct zk_route_request rq;
	char why[256];
	struct zk_router *r;
	uint8_t buf[256];
	struct zk_proof pr = { .data = buf, .cap = sizeof(buf) };
	struct zk_route_result res;
	struct zk_backend_stats bs;

	test_cfg(&cfg);
	cfg.strategy = ZK_STRATEGY_LATENCY;
	cfg.proof_cache_entries = 0;
	r = make_router(&cfg, &ro);
	memset(&observed, 0, sizeof(observed));
	add(r, make_fault(make_hp("a", 1, 64, 1, 1), spec));
	add(r, make_hp("b", 2, 64, 100, 1));
	make_statement(&st, 1);
	rq = request(&st, 10, ZK_WORKLOAD_BATCH);
	if (deadline_us != 0)
		rq.deadline_ns = zk_backend_now_ns() + deadline_us * 1000;
	assert_int_equal(zk_router_select(r, &rq, why, sizeof(why)), 0);
	assert_int_equal(zk_router_prove(r, &rq, &pr, &res), ZK_ROUTE_OK);
	assert_int_equal(res.backend, 1);
	assert_int_equal(res.attempts, 2);
	assert_true(res.verified);
	assert_int_equal(res.statement.params_id, 2);
	assert_int_equal(zk_backend_verify(zk_router_backend(r, 1),
					   &res.statement, pr.data, pr.len, 0,
					   why, sizeof(why)),
			 ZK_VERIFY_ACCEPT);
	assert_int_equal(zk_router_backend_stats(r, 0, &bs), 0);
	assert_int_equal(bs.failures, 1);
	assert_true(bs.failure_rate > 0);
	*first_status = bs.timeouts ? ZK_BE_TIMEOUT :
		bs.rejects ? ZK_BE_PROTOCOL : ZK_BE_FAILED;
	zk_router_destroy(r);
}

static void
test_failover(void **state)
{
	enum zk_be_status s;

	(void)state;
	prove_with_first_faulty("fail", 0, &s);
	assert_int_equal(s, ZK_BE_FAILED);
	assert_int_equal(observed.calls, 0); /* no proof, nothing refused */
	/* A corrupted proof is caught by verify (counted as a reject), and
	 * the observer (zkclobd's audit log) hears of it. */
	prove_with_first_faulty("corrupt", 0, &s);
	assert_int_equal(s, ZK_BE_PROTOCOL);
	assert_int_equal(observed.calls, 1);
	assert_string_equal(observed.backend, "fault:a");
	assert_true(observed.reason[0] != '\0');
	assert_int_equal(observed.len, 64);
	/* A hang is cut by the backend's own bound, and failover follows
	 * within the batch deadline. */
	prove_with_first_faulty("hang hang_max=20000", 2000000, &s);
	assert_int_equal(s, ZK_BE_TIMEOUT);
}

static void
test_retries_bounded(void **state)
{
	struct zk_router_cfg cfg;
	struct zk_statement st;
	struct zk_route_request rq;
	struct zk_router *r;
	uint8_t buf[256];
	struct zk_proof pr = { .data = buf, .cap = sizeof(buf) };
	struct zk_route_result res;
	uint64_t calls, injected;

	(void)state;
	test_cfg(&cfg);
	cfg.max_retries = 1;
	r = make_router(&cfg, NULL);
	add(r, make_fault(make_hp("a", 1, 64, 1, 1), "fail"));
	add(r, make_fault(make_hp("b", 2, 64, 1, 1), "fail"));
	add(r, make_fault(make_hp("c", 3, 64, 1, 1), "fail"));
	make_statement(&st, 1);
	rq = request(&st, 10, ZK_WORKLOAD_RISK);
	assert_int_equal(zk_router_prove(r, &rq, &pr, &res),
			 ZK_ROUTE_EXHAUSTED);
	assert_int_equal(res.attempts, 2);
	assert_int_equal(res.backend, -1);
	assert_int_equal(pr.len, 0);
	assert_non_null(strstr(res.reason, "injected failure"));
	calls = 0;
	for (int i = 0; i < 3; i++) {
		uint64_t c;

		zk_fault_counts(zk_router_backend(r, i), &c, &injected);
		calls += c;
	}
	assert_int_equal(calls, 2);

	/* A deadline already past: no backend is even called. */
	rq.deadline_ns = 1;
	assert_int_equal(zk_router_prove(r, &rq, &pr, &res), ZK_ROUTE_DEADLINE);
	assert_int_equal(res.attempts, 0);
	zk_router_destroy(r);
}

static void
test_sampling(void **state)
{
	struct zk_router_cfg cfg;
	struct zk_statement st;
	struct zk_route_request rq;
	struct zk_router *r;
	uint8_t buf[256];
	struct zk_proof pr = { .data = buf, .cap = sizeof(buf) };
	struct zk_route_result res;
	struct zk_router_stats rs;
	unsigned verified = 0;

	(void)state;
	test_cfg(&cfg);
	cfg.verify_rate = 0.5;
	cfg.proof_cache_entries = 0;
	r = make_router(&cfg, NULL);
	add(r, make_hp("a", 1, 64, 1, 1));
	for (uint64_t b = 1; b <= 200; b++) {
		make_statement(&st, b);
		rq = request(&st, 10, ZK_WORKLOAD_ANALYTICS);
		assert_int_equal(zk_router_prove(r, &rq, &pr, &res),
				 ZK_ROUTE_OK);
		verified += res.verified;
	}
	zk_router_stats(r, &rs);
	assert_int_equal(rs.verified, verified);
	assert_int_equal(rs.sampled_out, 200 - verified);
	assert_in_range(verified, 60, 140);

	/* A corrupting backend is never accepted when every proof is
	 * verified. */
	cfg.verify_rate = 1.0;
	zk_router_destroy(r);
	r = make_router(&cfg, NULL);
	add(r, make_fault(make_hp("bad", 1, 64, 1, 1), "corrupt"));
	make_statement(&st, 1);
	rq = request(&st, 10, ZK_WORKLOAD_ANALYTICS);
	assert_int_equal(zk_router_prove(r, &rq, &pr, &res),
			 ZK_ROUTE_EXHAUSTED);
	assert_non_null(strstr(res.reason, "verify reject"));
	zk_router_destroy(r);
}

static void
test_config_parse(void **state)
{
	struct zk_router_cfg cfg;
	char err[256];

	(void)state;
	zk_router_config_default(&cfg);
	assert_int_equal(zk_router_config_set(&cfg, "router", "strategy",
					      "size", err, sizeof(err)), 0);
	assert_int_equal(cfg.strategy, ZK_STRATEGY_SIZE);
	assert_int_equal(zk_router_config_set(&cfg, "router", "verify_rate",
					      "0.25", err, sizeof(err)), 0);
	assert_true(cfg.verify_rate == 0.25);
	assert_int_equal(zk_router_config_set(&cfg, "router", "test_backends",
					      "true", err, sizeof(err)), 0);
	assert_true(cfg.test_backends);
	assert_int_equal(zk_router_config_set(&cfg, "router.compliance",
					      "allowed", "stark-compact, ext",
					      err, sizeof(err)), 0);
	assert_int_equal(cfg.classes[ZK_WORKLOAD_COMPLIANCE].n_allowed, 2);
	assert_string_equal(cfg.classes[ZK_WORKLOAD_COMPLIANCE].allowed[1],
			    "ext");
	assert_int_equal(zk_router_config_set(&cfg, "router.order_validation",
					      "deadline_us", "5000", err,
					      sizeof(err)), 0);
	assert_int_equal(
		cfg.classes[ZK_WORKLOAD_ORDER_VALIDATION].deadline_us, 5000);
	assert_int_equal(zk_router_config_set(&cfg, "router.risk", "strategy",
					      "reliability", err, sizeof(err)),
			 0);
	/* Errors name the problem; other sections are not ours. */
	assert_int_equal(zk_router_config_set(&cfg, "router", "strategy",
					      "fastest", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "latency"));
	assert_int_equal(zk_router_config_set(&cfg, "router", "verify_rate",
					      "1.5", err, sizeof(err)), -1);
	assert_int_equal(zk_router_config_set(&cfg, "router", "nosuch", "1",
					      err, sizeof(err)), -1);
	assert_int_equal(zk_router_config_set(&cfg, "router.gambling",
					      "deadline_us", "1", err,
					      sizeof(err)), -1);
	assert_non_null(strstr(err, "workload class"));
	assert_int_equal(zk_router_config_set(&cfg, "router.batch",
					      "deadline_us", "-1", err,
					      sizeof(err)), -1);
	assert_int_equal(zk_router_config_set(&cfg, "router", "breaker_failures",
					      "0", err, sizeof(err)), -1);
	assert_int_equal(zk_router_config_set(&cfg, "batch", "max_ops", "1",
					      err, sizeof(err)), 1);
	assert_int_equal(zk_router_config_check(&cfg, err, sizeof(err)), 0);
}

static void
test_fault_parse(void **state)
{
	struct zk_fault_cfg fc;
	char err[160];

	(void)state;
	assert_int_equal(zk_fault_parse("corrupt every=3", &fc, err,
					sizeof(err)), 0);
	assert_int_equal(fc.mode, ZK_FAULT_CORRUPT);
	assert_int_equal(fc.schedule, ZK_FAULT_EVERY_NTH);
	assert_int_equal(fc.every_n, 3);
	assert_int_equal(zk_fault_parse("slow=2000 calls=5..9", &fc, err,
					sizeof(err)), 0);
	assert_int_equal(fc.slow_us, 2000);
	assert_int_equal(fc.first, 5);
	assert_int_equal(fc.last, 9);
	assert_int_equal(zk_fault_parse("fail p=0.25 seed=7", &fc, err,
					sizeof(err)), 0);
	assert_true(fc.probability == 0.25);
	assert_int_equal(fc.seed, 7);
	assert_int_equal(zk_fault_parse("explode", &fc, err, sizeof(err)), -1);
	assert_int_equal(zk_fault_parse("fail every=0", &fc, err, sizeof(err)),
			 -1);
	assert_int_equal(zk_fault_parse("fail calls=9..5", &fc, err,
					sizeof(err)), -1);
	assert_int_equal(zk_fault_parse("fail p=2", &fc, err, sizeof(err)), -1);
	assert_int_equal(zk_fault_parse("", &fc, err, sizeof(err)), -1);
}

static void
test_fault_schedule(void **state)
{
	struct zk_statement st;
	uint8_t buf[128];
	struct zk_proof pr = { .data = buf, .cap = sizeof(buf) };
	struct zk_backend *be = make_fault(make_hp("a", 0, 64, 1, 1),
					   "fail calls=3..4");
	uint64_t calls, injected;

	(void)state;
	make_statement(&st, 1);
	for (int i = 1; i <= 6; i++)
		assert_int_equal(zk_backend_prove(be, &st, NULL, 0, &pr, NULL,
						  0),
				 i == 3 || i == 4 ? ZK_BE_FAILED : ZK_BE_OK);
	zk_fault_counts(be, &calls, &injected);
	assert_int_equal(calls, 6);
	assert_int_equal(injected, 2);
	zk_backend_destroy(be);

	/* every=2 corrupt: odd calls verify, even calls do not. */
	be = make_fault(make_hp("b", 0, 64, 1, 1), "corrupt every=2");
	for (int i = 1; i <= 4; i++) {
		assert_int_equal(zk_backend_prove(be, &st, NULL, 0, &pr, NULL,
						  0), ZK_BE_OK);
		assert_int_equal(zk_backend_verify(be, &st, pr.data, pr.len, 0,
						   NULL, 0),
				 i % 2 == 0 ? ZK_VERIFY_REJECT :
					      ZK_VERIFY_ACCEPT);
	}
	zk_backend_destroy(be);
}

static void
test_hashproof_binds_statement(void **state)
{
	struct zk_statement st, other;
	uint8_t buf[200];
	struct zk_proof pr = { .data = buf, .cap = sizeof(buf) };
	struct zk_backend *be = make_hp("hp", 5, 100, 1, 1);
	uint8_t enc[ZK_STATEMENT_WIRE_SIZE];
	char why[128];

	(void)state;
	make_statement(&st, 3);
	st.params_id = 5;
	assert_int_equal(zk_backend_prove(be, &st, NULL, 0, &pr, why,
					  sizeof(why)), ZK_BE_OK);
	assert_int_equal(pr.len, 100);
	assert_false(zk_backend_info(be)->security_bits);
	assert_true(zk_backend_info(be)->test_only);
	/* Any statement byte changed (except a params_id that no longer
	 * matches, also refused) makes the proof reject. */
	zk_statement_encode(&st, enc);
	for (size_t i = 0; i < sizeof(enc); i++) {
		uint8_t e2[ZK_STATEMENT_WIRE_SIZE];

		memcpy(e2, enc, sizeof(e2));
		e2[i] ^= 0x01;
		zk_statement_decode(e2, &other);
		if (!zk_statement_is_well_formed(&other))
			continue;
		assert_int_not_equal(zk_backend_verify(be, &other, pr.data,
						       pr.len, 0, why,
						       sizeof(why)),
				     ZK_VERIFY_ACCEPT);
	}
	for (size_t i = 0; i < pr.len; i++) {
		buf[i] ^= 0x80;
		assert_int_equal(zk_backend_verify(be, &st, pr.data, pr.len, 0,
						   why, sizeof(why)),
				 ZK_VERIFY_REJECT);
		buf[i] ^= 0x80;
	}
	assert_int_equal(zk_backend_verify(be, &st, pr.data, pr.len - 1, 0,
					   why, sizeof(why)), ZK_VERIFY_REJECT);
	/* Buffer too small is a clear error, not an overflow. */
	pr.cap = 50;
	assert_int_equal(zk_backend_prove(be, &st, NULL, 0, &pr, why,
					  sizeof(why)), ZK_BE_TOO_BIG);
	assert_int_equal(pr.len, 0);
	/* Malformed statement. */
	pr.cap = sizeof(buf);
	st.first_seq = st.last_seq + 1;
	assert_int_equal(zk_backend_prove(be, &st, NULL, 0, &pr, why,
					  sizeof(why)), ZK_BE_INVALID);
	assert_true(zk_backend_reuse_rate(be, NULL, NULL) > 0.5);
	zk_backend_destroy(be);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strategies),
		cmocka_unit_test(test_size_buckets),
		cmocka_unit_test(test_constraints),
		cmocka_unit_test(test_test_backends_switch),
		cmocka_unit_test(test_failover),
		cmocka_unit_test(test_retries_bounded),
		cmocka_unit_test(test_sampling),
		cmocka_unit_test(test_config_parse),
		cmocka_unit_test(test_fault_parse),
		cmocka_unit_test(test_fault_schedule),
		cmocka_unit_test(test_hashproof_binds_statement),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
