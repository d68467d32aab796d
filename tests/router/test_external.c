/* SPDX-License-Identifier: MIT */
/*
 * External-process backend against tests/router/peer.c: a well-behaved
 * peer proves and verifies over the protocol (also through the router);
 * broken peers (hang, garbage, crash mid-reply, oversize reply, wrong
 * request id) each give a clear error, count as a failure, leave no zombie
 * and no fd behind, and the next call starts a fresh child.
 */
#include <dirent.h>
#include <errno.h>
#include <sys/wait.h>

#include "router_test_util.h"
#include "zkclob/batch.h"

static const char *peer_path;

static int
count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

static void
assert_no_children(void)
{
	errno = 0;
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static struct zk_backend *
start_peer(const char *mode, uint64_t io_timeout_us)
{
	char *argv[] = { (char *)peer_path, (char *)mode, NULL };
	struct zk_external_cfg cfg = {
		.argv = argv,
		.io_timeout_us = io_timeout_us,
		.prove_timeout_us = io_timeout_us,
	};
	char err[160];
	struct zk_backend *be = zk_external_create(&cfg, err, sizeof(err));

	if (be == NULL)
		fail_msg("external: %s", err);
	return be;
}

static void
test_good_peer(void **state)
{
	int fds = count_fds();
	struct zk_backend *be = start_peer("ok", 2000000);
	const struct zk_backend_info *info = zk_backend_info(be);
	struct zk_statement st;
	uint8_t buf[256];
	struct zk_proof pr = { .data = buf, .cap = sizeof(buf) };
	char why[128];
	uint64_t spawned;
	int pid;

	(void)state;
	assert_string_equal(info->name, "peer");
	assert_int_equal(info->params_id, 7);
	assert_true(info->test_only);
	assert_int_equal(info->proof_bytes_fixed, 96);
	make_statement(&st, 2);
	st.params_id = 7;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(zk_backend_prove(be, &st, NULL, 0, &pr, why,
						  sizeof(why)), ZK_BE_OK);
		assert_int_equal(pr.len, 96);
		assert_int_equal(zk_backend_verify(be, &st, pr.data, pr.len, 0,
						   why, sizeof(why)),
				 ZK_VERIFY_ACCEPT);
	}
	/* With a witness: the ops travel as canonical 64-byte records. */
	{
		struct zk_op ops[3];
		struct zk_batch batch;

		memset(ops, 0, sizeof(ops));
		memset(&batch, 0, sizeof(batch));
		for (int i = 0; i < 3; i++) {
			ops[i].seq = 200 + (uint64_t)i;
			ops[i].type = ZK_OP_NEW;
		}
		batch.ops = ops;
		batch.n_ops = 3;
		assert_int_equal(zk_backend_prove(be, &st, &batch, 0, &pr, why,
						  sizeof(why)), ZK_BE_OK);
		assert_int_equal(pr.len, 96);
	}
	buf[5] ^= 1;
	assert_int_equal(zk_backend_verify(be, &st, pr.data, pr.len, 0, why,
					   sizeof(why)), ZK_VERIFY_REJECT);
	assert_non_null(strstr(why, "MAC"));
	/* The peer's own errors come back with their reason. */
	st.params_id = 8;
	assert_int_equal(zk_backend_prove(be, &st, NULL, 0, &pr, why,
					  sizeof(why)), ZK_BE_INVALID);
	assert_non_null(strstr(why, "params_id"));
	/* A proof bigger than the caller's buffer is refused. */
	st.params_id = 7;
	pr.cap = 50;
	assert_int_equal(zk_backend_prove(be, &st, NULL, 0, &pr, why,
					  sizeof(why)), ZK_BE_TOO_BIG);
	assert_int_equal(zk_backend_health(be, why, sizeof(why)),
			 ZK_HEALTH_OK);
	zk_external_stats(be, &spawned, &pid);
	assert_int_equal(spawned, 1);
	assert_true(pid > 0);
	zk_backend_destroy(be);
	assert_no_children();
	assert_int_equal(count_fds(), fds);
}

static void
check_broken(const char *mode, enum zk_be_status want, const char *reason)
{
	int fds = count_fds();
	struct zk_backend *be = start_peer(mode, 300000);
	struct zk_statement st;
	uint8_t buf[256];
	struct zk_proof pr = { .data = buf, .cap = sizeof(buf) };
	char why[160];
	uint64_t spawned;
	int pid;

	make_statement(&st, 2);
	st.params_id = 7;
	for (int i = 0; i < 2; i++) {
		assert_int_equal(zk_backend_prove(be, &st, NULL, 0, &pr, why,
						  sizeof(why)), want);
		if (strstr(why, reason) == NULL)
			fail_msg("%s: reason '%s' lacks '%s'", mode, why,
				 reason);
		assert_int_equal(pr.len, 0);
		/* Killed and reaped at once: no zombie, no child left. */
		zk_external_stats(be, &spawned, &pid);
		assert_int_equal(pid, 0);
		assert_int_equal(spawned, (uint64_t)i + 1);
		assert_no_children();
	}
	assert_int_equal(zk_backend_verify(be, &st, buf, 96, 0, why,
					   sizeof(why)), ZK_VERIFY_ERROR);
	/* health respawns a child that answers health correctly. */
	assert_int_equal(zk_backend_health(be, why, sizeof(why)),
			 ZK_HEALTH_DEGRADED);
	zk_backend_destroy(be);
	assert_no_children();
	assert_int_equal(count_fds(), fds);
}

static void
test_hang(void **state)
{
	(void)state;
	check_broken("hang", ZK_BE_TIMEOUT, "timed out");
}

static void
test_garbage(void **state)
{
	(void)state;
	check_broken("garbage", ZK_BE_PROTOCOL, "magic");
}

static void
test_crash(void **state)
{
	(void)state;
	check_broken("crash", ZK_BE_PROTOCOL, "exited");
}

static void
test_oversize(void **state)
{
	(void)state;
	check_broken("oversize", ZK_BE_PROTOCOL, "exceeds limit");
}

static void
test_wrong_id(void **state)
{
	(void)state;
	check_broken("wrong-id", ZK_BE_PROTOCOL, "expected");
}

static void
test_deadline_cuts_hang(void **state)
{
	struct zk_backend *be = start_peer("hang", 10000000);
	struct zk_statement st;
	uint8_t buf[256];
	struct zk_proof pr = { .data = buf, .cap = sizeof(buf) };
	char why[160];

	(void)state;
	make_statement(&st, 2);
	st.params_id = 7;
	/* The caller's deadline, not the 10 s io timeout, ends the wait. */
	assert_int_equal(zk_backend_prove(be, &st, NULL,
					  zk_backend_now_ns() + 50000000ull,
					  &pr, why, sizeof(why)),
			 ZK_BE_TIMEOUT);
	zk_backend_destroy(be);
	assert_no_children();
}

static void
test_missing_binary(void **state)
{
	char *argv[] = { "/nonexistent/zk-prover", NULL };
	struct zk_external_cfg cfg = { .argv = argv };
	char err[160];

	(void)state;
	assert_null(zk_external_create(&cfg, err, sizeof(err)));
	assert_non_null(strstr(err, "nonexistent"));
	assert_no_children();
}

static void
test_router_failover_to_external(void **state)
{
	struct zk_router_cfg cfg;
	struct zk_router *r;
	struct zk_statement st;
	struct zk_route_request rq = { .st = &st, .n_ops = 8,
				       .workload = ZK_WORKLOAD_BATCH };
	uint8_t buf[256];
	struct zk_proof pr = { .data = buf, .cap = sizeof(buf) };
	struct zk_route_result res;

	(void)state;
	test_cfg(&cfg);
	cfg.strategy = ZK_STRATEGY_LATENCY;
	r = make_router(&cfg, NULL);
	/* The garbage peer advertises the same cost as the good one; a
	 * different name is all the router needs. */
	add(r, make_fault(start_peer("garbage", 300000), "none"));
	add(r, start_peer("ok", 2000000));
	make_statement(&st, 5);
	assert_int_equal(zk_router_prove(r, &rq, &pr, &res), ZK_ROUTE_OK);
	assert_int_equal(res.backend, 1);
	assert_true(res.verified);
	assert_int_equal(res.statement.params_id, 7);
	zk_router_destroy(r);
	assert_no_children();
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_peer),
		cmocka_unit_test(test_hang),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_crash),
		cmocka_unit_test(test_oversize),
		cmocka_unit_test(test_wrong_id),
		cmocka_unit_test(test_deadline_cuts_hang),
		cmocka_unit_test(test_missing_binary),
		cmocka_unit_test(test_router_failover_to_external),
	};

	if (argc < 2) {
		fprintf(stderr, "usage: %s PEER\n", argv[0]);
		return 2;
	}
	peer_path = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
