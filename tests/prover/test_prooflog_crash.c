/* SPDX-License-Identifier: MIT */
/*
 * Crash safety: a child appends records with per-record fdatasync and
 * writes every durable acknowledgement to a pipe; the parent SIGKILLs it at
 * a random point (several seeds) and reopens the log. Every acknowledged
 * record must be there and intact, and the log must be valid and chained.
 * Then the survivor log is extended by a new writer and killed again.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "prooflog_test_util.h"

#define MAX_PROOF 6000
#define SEEDS 6

static int ack_fd = -1;

static void
on_durable(void *arg, uint64_t seq)
{
	(void)arg;
	/* Written only after the fdatasync completed: that is the ack. */
	if (write(ack_fd, &seq, sizeof(seq)) != (ssize_t)sizeof(seq))
		_exit(3);
}

static void __attribute__((noreturn))
writer_child(const char *path, uint64_t seed)
{
	struct zk_prooflog_opts o = { .sync = ZK_PROOFLOG_SYNC_EACH,
				      .submit_batch = 1 + seed % 8,
				      .on_durable = on_durable };
	struct zk_prooflog *log;
	struct zk_prooflog_scan scan;
	uint8_t *proof = malloc(MAX_PROOF + 1);

	if (proof == NULL ||
	    zk_prooflog_open(path, ZK_PROOFLOG_CREATE, &o, &log, &scan) != 0)
		_exit(2);
	for (uint64_t i = scan.last_seq + 1;; i++) {
		struct zk_statement st;

		make_statement(i, &st);
		if (zk_prooflog_append_proof(log, &st, proof,
					     make_proof(i, MAX_PROOF, proof),
					     NULL) != 0 ||
		    zk_prooflog_poll(log, i % 3 == 0 ? 200 : 0) != 0)
			_exit(4);
	}
}

/* Runs one writer until killed; returns the highest acknowledged seq. */
static uint64_t
run_and_kill(const char *path, uint64_t seed)
{
	uint64_t s = seed, max_ack = 0, want_acks, acks = 0, seq;
	struct timespec nap;
	int p[2], status;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		ack_fd = p[1];
		writer_child(path, seed);
	}
	close(p[1]);
	/* Kill after a random number of acks plus a random sub-ms delay. */
	want_acks = 5 + splitmix(&s) % 60;
	while (acks < want_acks &&
	       read(p[0], &seq, sizeof(seq)) == (ssize_t)sizeof(seq)) {
		assert_true(seq > max_ack);
		max_ack = seq;
		acks++;
	}
	nap.tv_sec = 0;
	nap.tv_nsec = (long)(splitmix(&s) % 800000);
	nanosleep(&nap, NULL);
	kill(pid, SIGKILL);
	/* Acks already in the pipe were made before the kill: they count. */
	while (read(p[0], &seq, sizeof(seq)) == (ssize_t)sizeof(seq)) {
		assert_true(seq > max_ack);
		max_ack = seq;
	}
	close(p[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	return max_ack;
}

static void
check_log(const char *path, uint64_t max_ack)
{
	struct zk_prooflog_chain_result res;
	struct zk_prooflog_scan scan;
	struct zk_prooflog_reader *rd;
	struct zk_prooflog_record rec;
	struct zk_prooflog_chain chain;
	uint64_t n = 0;
	int rc;

	/* Recovery may cut a torn tail but must find everything acked. */
	assert_int_equal(zk_prooflog_recover(path, 0, &scan), 0);
	assert_false(scan.middle_corruption);
	assert_true(scan.last_seq >= max_ack);
	assert_int_equal(zk_prooflog_reader_open(path, &rd, NULL, 0), 0);
	zk_prooflog_chain_init(&chain, NULL);
	while ((rc = zk_prooflog_reader_next(rd, &rec)) == 1) {
		n++;
		assert_record_is(&rec, n, MAX_PROOF);
		assert_int_equal(zk_prooflog_chain_step(&chain, &rec, &res),
				 ZK_CHAIN_OK);
	}
	assert_int_equal(rc, 0);
	assert_false(zk_prooflog_reader_scan(rd)->torn_tail);
	assert_int_equal(n, scan.last_seq);
	zk_prooflog_reader_close(rd);
}

static void
test_kill_writer(void **state)
{
	char dir[64], path[96];

	(void)state;
	for (uint64_t seed = 1; seed <= SEEDS; seed++) {
		uint64_t ack;

		make_tmpdir(dir);
		snprintf(path, sizeof(path), "%s/log", dir);
		ack = run_and_kill(path, seed);
		assert_true(ack >= 5);
		check_log(path, ack);
		/* a second life on the survivor, killed again */
		uint64_t ack2 = run_and_kill(path, seed * 1000 + 7);

		if (ack2 > ack)
			ack = ack2;
		check_log(path, ack);
		rm_tmpdir(dir);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill_writer),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
