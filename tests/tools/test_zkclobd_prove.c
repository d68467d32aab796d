/* SPDX-License-Identifier: MIT */
/*
 * zkclobd with [prover] enabled, end to end through net_pcap: every batch
 * of a generated default-mix capture is proven and logged, and `zkclob
 * verify-log` accepts it without flags; a reject-only capture is proven by
 * clob-fast alone; a SIGKILL and a torn tail are
 * recovered and the log continues after a restart record; on_unprovable =
 * halt exits 4; hashproof covers every batch (test backends only); the
 * latency profile follows every proven op from its frame to its durable
 * proof.
 *
 * argv[1] = zkclobd, argv[2] = zkclob.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "capture_util.h"
#include "cli_test_util.h"

#include "zkclob/pcapio.h"
#include "zkclob/wire.h"

static const char *zkclobd, *zkclob;
static char dir[] = "/tmp/zkclobd-prove-XXXXXX";

static void write_config(const char *name, const char *pcap, const char *extra)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.conf", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f,
		"[eal]\nargs = -l 0-1 --no-huge --no-pci -m 256 --file-prefix=zkp%d%s --log-level=lib.eal:warning\n"
		"[dataplane]\nsource = pcap\npcap_path = %s\nmbufs = 2047\nmbuf_cache = 64\nring_size = 1024\n"
		"[metrics]\nenabled = false\n[audit]\npath = %s/%s.audit\n"
		"[prover]\nlog = %s/%s.plog\n%s%s",
		(int)getpid(), name, pcap, dir, name, dir, name,
		extra && strstr(extra, "queue_depth") ? "" : "queue_depth = 8\n",
		extra ? extra : "");
	fclose(f);
}

/* The n in "<key> n" of the last output. */
static uint64_t figure(const char *key)
{
	const char *p = strstr(out, key);

	if (p == NULL)
		fail_msg("no '%s' in:\n%s", key, out);
	return strtoull(p + strlen(key), NULL, 10);
}

static void mixed_capture(char *pcap, size_t cap)
{
	snprintf(pcap, cap, "%s/mixed.pcap", dir);
	if (access(pcap, R_OK) != 0)
		assert_int_equal(run("%s gen --seed 5 --count 3000 %s", zkclob, pcap), 0);
}

static void test_every_batch_logged(void **state)
{
	char pcap[512];
	uint64_t parts, proven, unproven;

	(void)state;
	mixed_capture(pcap, sizeof(pcap));
	write_config("mixed", pcap, NULL);
	assert_int_equal(run("%s --config %s/mixed.conf", zkclobd, dir), 0);
	parts = figure("proving: ");
	proven = figure(" batches: ");
	unproven = figure(" proven, ");
	assert_true(parts > 0);
	assert_int_equal(proven + unproven, parts);
	assert_int_equal(figure("records this run, last seq "), parts);
	assert_int_equal(figure("durable seq "), parts);
	/* the generated default mix (places, moves, reduces, cancels, IOC,
	 * FOK, market orders, a few trades) is all inside the CLOB AIR since
	 * v7: every batch part proven, and verify-log accepts the log with no
	 * allowance */
	assert_int_equal(unproven, 0);
	assert_int_equal(proven, parts);
	assert_int_equal(run("%s verify-log --config %s/mixed.conf %s/mixed.plog",
			     zkclob, dir, dir), 0);
	assert_non_null(strstr(out, "ACCEPT"));
	{
		char want[64];

		snprintf(want, sizeof(want), ": %" PRIu64 " proofs verified, 0 unproven",
			 parts);
		if (strstr(out, want) == NULL)
			fail_msg("no '%s' in:\n%s", want, out);
	}
	assert_non_null(strstr(out, "the chain holds"));
}

static void test_provable_traffic_all_proven(void **state)
{
	char pcap[512];
	uint64_t n_ops, parts;

	(void)state;
	snprintf(pcap, sizeof(pcap), "%s/rejects.pcap", dir);
	n_ops = zk_test_write_reject_capture(pcap, 12);
	write_config("rejects", pcap,
		     "backends = clob-fast\n[batch]\nmax_ops = 16\n");
	assert_int_equal(run("%s --config %s/rejects.conf", zkclobd, dir), 0);
	print_message("%.300s\n", strstr(out, "proving:") ? strstr(out, "proving:") : out);
	assert_int_equal(figure("engine:  "), n_ops);
	parts = figure("proving: ");
	assert_true(parts >= 2);
	assert_int_equal(figure(" batches: "), parts); /* proven */
	assert_int_equal(figure(" proven, "), 0);      /* unproven */
	assert_int_equal(figure("clob-fast "), parts);
	assert_int_equal(run("%s verify-log --config %s/rejects.conf %s/rejects.plog",
			     zkclob, dir, dir), 0);
	{
		char want[64];

		snprintf(want, sizeof(want), ": %" PRIu64 " proofs verified", parts);
		if (strstr(out, want) == NULL)
			fail_msg("no '%s' in:\n%s", want, out);
	}
}

/* One row of a profile's summary.txt (docs/latency.md "Files"). */
struct stage_row {
	uint64_t count, unstamped, backwards;
	double min, max;
};

static void stage_row(const char *profile_dir, const char *stage,
		      struct stage_row *r)
{
	char path[600], line[512], name[32];
	double mean, p50, p90, p99, p999;
	unsigned long long count, unstamped, backwards, overflow;
	FILE *f;

	snprintf(path, sizeof(path), "%s/summary.txt", profile_dir);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%31s %llu %lf %lf %lf %lf %lf %lf %lf %llu %llu %llu",
			   name, &count, &r->min, &mean, &p50, &p90, &p99, &p999,
			   &r->max, &unstamped, &backwards, &overflow) == 12 &&
		    strcmp(name, stage) == 0) {
			fclose(f);
			r->count = count;
			r->unstamped = unstamped;
			r->backwards = backwards;
			return;
		}
	}
	fclose(f);
	fail_msg("no row for stage %s in %s", stage, path);
}

/*
 * Latency profiling with proving on: every stage from the frame's arrival
 * to the proof being durable has samples, end_to_end has one per op
 * proven (the arrival stamp travelled with each op through the sequencer,
 * the batch, the split, the commit thread and the workers), and since an
 * op arrives before its batch is cut and is durable after its proof is
 * done, end_to_end's min and max bound proving's from above.
 */
static void test_profile_end_to_end(void **state)
{
	static const char *const stages[] = {
		"rx", "ring", "sequencer", "batch", "proving", "commit_wait",
		"commit", "prove_wait", "prove", "log", "end_to_end",
	};
	char pcap[512], prof[600];
	struct stage_row e2e, proving, r;
	uint64_t n_ops, parts;
	size_t i;

	(void)state;
	snprintf(pcap, sizeof(pcap), "%s/rejects-prof.pcap", dir);
	n_ops = zk_test_write_reject_capture(pcap, 12);
	snprintf(prof, sizeof(prof), "%s/prof", dir);
	{
		char extra[800];

		snprintf(extra, sizeof(extra),
			 "backends = clob-fast\n[batch]\nmax_ops = 16\n"
			 "[profile]\nenabled = true\ndir = %s\n", prof);
		write_config("prof", pcap, extra);
	}
	assert_int_equal(run("%s --config %s/prof.conf", zkclobd, dir), 0);
	parts = figure("proving: ");
	assert_int_equal(figure(" batches: "), parts); /* all proven */
	assert_int_equal(figure("engine:  "), n_ops);
	for (i = 0; i < sizeof(stages) / sizeof(stages[0]); i++) {
		stage_row(prof, stages[i], &r);
		if (r.count == 0)
			fail_msg("stage %s has no samples", stages[i]);
		assert_int_equal(r.backwards, 0);
	}
	stage_row(prof, "proving", &proving);
	stage_row(prof, "end_to_end", &e2e);
	assert_int_equal(proving.count, parts);
	assert_int_equal(e2e.count, n_ops);
	assert_int_equal(e2e.unstamped, 0);
	assert_true(e2e.min >= proving.min);
	assert_true(e2e.max >= proving.max);
	for (i = 0; i < sizeof(stages) / sizeof(stages[0]); i++) {
		char hgrm[700];

		snprintf(hgrm, sizeof(hgrm), "%s/%s.hgrm", prof, stages[i]);
		assert_int_equal(access(hgrm, R_OK), 0);
	}
}

/*
 * [prover] on_backlog = skip with a prover far slower than the capture and
 * a queue of one: the sequencer never waits for the prover, the batches it
 * could not hand over are logged as unproven ranges (resync records), the
 * log verifies only with --allow-unproven and reports them, every op is in
 * a committed part or a range, and the events digest still equals replay.
 */
static void test_backlog_skip(void **state)
{
	char pcap[512], d_daemon[65], d_replay[65];
	uint64_t ops, backlog_ops, part_ops;

	(void)state;
	mixed_capture(pcap, sizeof(pcap));
	write_config("backlog", pcap,
		     "backends = hashproof\nfault = slow=20000\n"
		     "on_backlog = skip\nqueue_depth = 1\n"
		     "[router]\ntest_backends = true\n[batch]\nmax_ops = 16\n");
	if (run("%s --config %s/backlog.conf", zkclobd, dir) != 0)
		fail_msg("zkclobd failed:\n%s", out);
	print_message("%.400s\n", strstr(out, "proving:") ? strstr(out, "proving:") : out);
	ops = figure("engine:  ");
	assert_int_equal(ops, 3000);
	assert_int_equal(figure("backpressure: "), 0); /* submit waits */
	assert_true(figure("backlog: ") > 0);          /* batches */
	backlog_ops = figure(" batches (");
	part_ops = figure(" gap skips; ");
	assert_int_equal(part_ops + backlog_ops, ops);
	assert_int_equal(figure(" resync records covering "), backlog_ops);
	digest_of(d_daemon);
	assert_int_equal(run("%s replay %s", zkclob, pcap), 0);
	digest_of(d_replay);
	assert_string_equal(d_daemon, d_replay);
	/* unproven ranges are refused unless allowed, and reported */
	assert_int_equal(run("%s verify-log --config %s/backlog.conf %s/backlog.plog",
			     zkclob, dir, dir), 1);
	assert_non_null(strstr(out, "REJECT: "));
	assert_non_null(strstr(out, "unproven ranges"));
	assert_int_equal(run("%s verify-log --allow-unproven --config %s/backlog.conf %s/backlog.plog",
			     zkclob, dir, dir), 0);
	assert_non_null(strstr(out, "the chain holds"));
	assert_non_null(strstr(out, "verify-log: unproven range (record "));
	assert_int_equal(figure("(resync records): "), backlog_ops);
}

static void test_restart_recovers_and_continues(void **state)
{
	char pcap[512], plog[512];
	pid_t pid;
	FILE *f;
	int st;

	(void)state;
	mixed_capture(pcap, sizeof(pcap));
	/* long enough that the kill lands while it writes */
	snprintf(pcap, sizeof(pcap), "%s/long.pcap", dir);
	assert_int_equal(run("%s gen --seed 6 --count 30000 %s", zkclob, pcap), 0);
	/* the log's crash safety, not the prover: the test-only MAC backend
	 * keeps the 30,000-op run short */
	write_config("crash", pcap,
		     "backends = hashproof\n[router]\ntest_backends = true\n");
	snprintf(plog, sizeof(plog), "%s/crash.plog", dir);
	/* SIGKILL wherever it is: what was written must recover */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char conf[512];

		snprintf(conf, sizeof(conf), "%s/crash.conf", dir);
		if (freopen("/dev/null", "w", stdout) == NULL)
			_exit(126);
		execl(zkclobd, "zkclobd", "--config", conf, (char *)NULL);
		_exit(127);
	}
	usleep(1500 * 1000);
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	/* and a torn tail on top: half a record of garbage */
	if (access(plog, R_OK) == 0) {
		f = fopen(plog, "ab");
		assert_non_null(f);
		fputs("ZKPR torn tail ZKPR", f);
		fclose(f);
	}
	assert_int_equal(run("%s --config %s/crash.conf", zkclobd, dir), 0);
	assert_non_null(strstr(out, "prooflog: "));
	if (strstr(out, "records kept") == NULL)
		fail_msg("no recovery report:\n%s", out);
	assert_int_equal(run("%s verify-log --allow-unproven --config %s/crash.conf %s",
			     zkclob, dir, plog), 0);
	assert_non_null(strstr(out, "the chain holds"));
	/* a third run continues the same log once more */
	assert_int_equal(run("%s --config %s/crash.conf", zkclobd, dir), 0);
	assert_non_null(strstr(out, "restart record"));
	assert_int_equal(run("%s verify-log --allow-unproven --config %s/crash.conf %s",
			     zkclob, dir, plog), 0);
	assert_true(figure(" skip records, ") >= 1); /* the n before "restarts" */
}

static void test_halt_exit_status(void **state)
{
	char pcap[512];

	(void)state;
	snprintf(pcap, sizeof(pcap), "%s/unprovable.pcap", dir);
	zk_test_write_unprovable_capture(pcap);
	/* the two sells are proven in their own batch; the batch of the buy
	 * and its REPLACE to a negative price (a reject outside the AIR's
	 * limbs) halts */
	write_config("halt", pcap, "on_unprovable = halt\n[batch]\nmax_ops = 2\n");
	assert_int_equal(run("%s --config %s/halt.conf", zkclobd, dir), 4);
	assert_non_null(strstr(out, "PROVING HALTED"));
	assert_non_null(strstr(out, "on_unprovable = halt"));
	/* what was logged before the halt still verifies */
	assert_int_equal(run("%s verify-log --config %s/halt.conf %s/halt.plog",
			     zkclob, dir, dir), 0);
}

static void test_hashproof_full_coverage(void **state)
{
	char pcap[512];
	uint64_t parts;

	(void)state;
	mixed_capture(pcap, sizeof(pcap));
	write_config("hash", pcap,
		     "backends = hashproof\nfault = fail every=4\n"
		     "[router]\ntest_backends = true\nmax_retries = 0\n"
		     "breaker_failures = 1000\n");
	assert_int_equal(run("%s --config %s/hash.conf", zkclobd, dir), 0);
	parts = figure("proving: ");
	/* every 4th call fails: those are unproven "failed", the rest proven */
	assert_int_equal(figure(" batches: ") + figure(" proven, "), parts);
	assert_true(figure("(failed ") >= 1);
	assert_true(figure("fault:hashproof ") >= 1);
	/* MACs are no proofs: verify-log counts them, accepts only if told */
	assert_int_equal(run("%s verify-log --config %s/hash.conf %s/hash.plog",
			     zkclob, dir, dir), 1);
	assert_non_null(strstr(out, "test-only proofs"));
	assert_int_equal(run("%s verify-log --allow-unproven --config %s/hash.conf %s/hash.plog",
			     zkclob, dir, dir), 0);
}

/* A drill: the first backend always fails (fault injector), the router
 * fails over to the second, which proves every part for real. */
static void test_fault_failover(void **state)
{
	char pcap[512];
	uint64_t parts;

	(void)state;
	snprintf(pcap, sizeof(pcap), "%s/rejects2.pcap", dir);
	zk_test_write_reject_capture(pcap, 12);
	write_config("failover", pcap,
		     "backends = clob-fast clob-compact\nfault = fail\n"
		     "[batch]\nmax_ops = 32\n"
		     "[router]\nmax_retries = 1\nbreaker_failures = 1000\n"
		     "[router.batch]\npreferred = fault:clob-fast\n");
	assert_int_equal(run("%s --config %s/failover.conf", zkclobd, dir), 0);
	parts = figure("proving: ");
	assert_true(parts >= 2);
	assert_int_equal(figure(" batches: "), parts); /* all proven ... */
	assert_int_equal(figure("fault:clob-fast "), 0);
	assert_int_equal(figure("clob-compact "), parts); /* ... by the second */
	assert_int_equal(figure(" ok, "), parts);       /* failovers */
	assert_int_equal(run("%s verify-log --config %s/failover.conf %s/failover.plog",
			     zkclob, dir, dir), 0);
}

static int setup(void **state)
{
	(void)state;
	return make_scratch_dir(dir);
}

static int teardown(void **state)
{
	(void)state;
	return remove_scratch_dir(dir);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_batch_logged),
		cmocka_unit_test(test_provable_traffic_all_proven),
		cmocka_unit_test(test_profile_end_to_end),
		cmocka_unit_test(test_backlog_skip),
		cmocka_unit_test(test_restart_recovers_and_continues),
		cmocka_unit_test(test_halt_exit_status),
		cmocka_unit_test(test_hashproof_full_coverage),
		cmocka_unit_test(test_fault_failover),
	};

	if (argc != 3) {
		fprintf(stderr, "usage: %s ZKCLOBD ZKCLOB\n", argv[0]);
		return 2;
	}
	zkclobd = argv[1];
	zkclob = argv[2];
	return cmocka_run_group_tests(tests, setup, teardown);
}
