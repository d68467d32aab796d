/* SPDX-License-Identifier: MIT */
/*
 * zkclobd crash safety, at the daemon (the proof-log library's own SIGKILL
 * test covers the writer alone): for several seeds, the daemon runs with
 * proving and a proof log; the test reads the durable sequence the daemon
 * acknowledges on its metrics endpoint (zkclob_prooflog_durable_seq), at a
 * seed-dependent point, and SIGKILLs it right after. On restart, recovery
 * must keep at least every acknowledged record (nothing acknowledged as
 * durable is lost), truncate a torn tail, write a restart record, and the
 * log must verify (every market's chain). Then one byte flipped in the
 * middle of the log: the daemon refuses to start on it and verify-log
 * rejects it — reported, never silently accepted or truncated.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli_test_util.h"
#include "http_client.h"

static const char *zkclobd, *zkclob;
static char dir[] = "/tmp/zkclob-crash-XXXXXX";
static pid_t daemon_pid;

static void write_conf(const char *pcap, const char *plog, const char *conf)
{
	FILE *f = fopen(conf, "w");

	assert_non_null(f);
	fprintf(f,
		"[eal]\nargs = -l 0-1 --no-huge --no-pci -m 256 "
		"--file-prefix=zkcrash%d --log-level=lib.eal:warning\n"
		"[dataplane]\nsource = pcap\npcap_path = %s\nmbufs = 2047\n"
		"mbuf_cache = 64\nring_size = 1024\n"
		"[metrics]\nlisten = 127.0.0.1:0\n"
		"[audit]\npath = %s/audit.log\n"
		"[batch]\nmax_ops = 64\n"
		/* the log's crash safety, not the prover: the test-only MAC
		 * backend keeps the runs short (and logs every part) */
		"[prover]\nlog = %s\nlog_sync = each\nbackends = hashproof\n"
		"[router]\ntest_backends = true\n",
		(int)getpid(), pcap, dir, plog);
	fclose(f);
}

/* The metrics port the daemon printed in its output file, 0 until then. */
static unsigned metrics_port(const char *out_path)
{
	char line[512];
	unsigned port = 0;
	FILE *f = fopen(out_path, "r");
	const char *p;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if ((p = strstr(line, "/metrics (port ")) != NULL)
			port = (unsigned)strtoul(p + 15, NULL, 10);
	fclose(f);
	return port;
}

/* zkclob_prooflog_durable_seq from the running daemon, -1 if unreadable. */
static long durable_seq(unsigned port)
{
	static char resp[1 << 17];
	const char *p;

	if (http_request((uint16_t)port, "GET", "/metrics", NULL, resp,
			 sizeof(resp)) != 200)
		return -1;
	p = strstr(resp, "\nzkclob_prooflog_durable_seq ");
	return p ? strtol(p + 29, NULL, 10) : -1;
}

static uint64_t records_kept(void)
{
	const char *p = strstr(out, "records kept");

	assert_non_null(p);
	while (p > out && p[-1] == ' ')
		p--;
	while (p > out && p[-1] >= '0' && p[-1] <= '9')
		p--;
	return strtoull(p, NULL, 10);
}

static void test_sigkill_keeps_acknowledged(void **state)
{
	char pcap[512], plog[512], conf[512], dout[512];
	uint64_t total_kept = 0;

	(void)state;
	snprintf(pcap, sizeof(pcap), "%s/traffic.pcap", dir);
	snprintf(plog, sizeof(plog), "%s/proofs.log", dir);
	snprintf(conf, sizeof(conf), "%s/crash.conf", dir);
	snprintf(dout, sizeof(dout), "%s/daemon.out", dir);
	assert_int_equal(run("%s gen --seed 9 --count 40000 %s", zkclob, pcap), 0);
	write_conf(pcap, plog, conf);

	for (long seed = 1; seed <= 3; seed++) {
		long want = 4 * seed, acked = -1;
		unsigned port = 0;
		int st;
		pid_t pid;

		unlink(dout); /* no port of the previous run's output */
		pid = fork();

		assert_true(pid >= 0);
		if (pid == 0) {
			if (freopen(dout, "w", stdout) == NULL || dup2(1, 2) < 0)
				_exit(126);
			setvbuf(stdout, NULL, _IONBF, 0);
			execl(zkclobd, zkclobd, "--config", conf, (char *)NULL);
			_exit(127);
		}
		daemon_pid = pid;
		/* the seed picks how far it gets: 4, 8, 12 records durable
		 * (later ones may be in flight when the kill lands) */
		for (int i = 0; i < 600 && acked < want; i++) {
			if (port == 0)
				port = metrics_port(dout);
			if (port != 0) {
				long d = durable_seq(port);

				if (d > acked)
					acked = d;
			}
			if (waitpid(pid, &st, WNOHANG) == pid)
				fail_msg("zkclobd ended before the kill");
			usleep(20000);
		}
		if (acked < want)
			fail_msg("seed %ld: durable seq %ld never reached %ld", seed,
				 acked, want);
		assert_int_equal(kill(pid, SIGKILL), 0);
		assert_int_equal(waitpid(pid, &st, 0), pid);
		daemon_pid = 0;
		assert_true(WIFSIGNALED(st));

		/* the restart recovers: at least the acknowledged records */
		assert_int_equal(run("timeout 300 %s --config %s", zkclobd, conf), 0);
		total_kept = records_kept();
		if (total_kept < (uint64_t)acked)
			fail_msg("seed %ld: %ld records acknowledged durable, %llu "
				 "kept after the crash", seed, acked,
				 (unsigned long long)total_kept);
		assert_non_null(strstr(out, "restart record"));
		assert_int_equal(run("%s verify-log --allow-unproven --config %s %s",
				     zkclob, conf, plog), 0);
		assert_non_null(strstr(out, "the chain holds"));
	}

	/* a flipped byte in the middle: reported, not accepted or cut */
	{
		struct stat sb;
		FILE *f;
		long at;
		int c;

		assert_int_equal(stat(plog, &sb), 0);
		at = (long)(sb.st_size / 3);
		f = fopen(plog, "r+b");
		assert_non_null(f);
		assert_int_equal(fseek(f, at, SEEK_SET), 0);
		c = fgetc(f);
		assert_int_equal(fseek(f, at, SEEK_SET), 0);
		fputc(c ^ 0x20, f);
		fclose(f);
		assert_int_not_equal(run("%s verify-log --allow-unproven --config "
					 "%s %s", zkclob, conf, plog), 0);
		assert_non_null(strstr(out, "REJECT"));
		assert_int_not_equal(run("timeout 120 %s --config %s", zkclobd,
					 conf), 0);
		assert_non_null(strstr(out, "proof log"));
		assert_int_equal(stat(plog, &sb), 0);
		assert_true(sb.st_size > at); /* nothing cut off */
	}
}

static int setup(void **state)
{
	(void)state;
	return make_scratch_dir(dir);
}

static int teardown(void **state)
{
	(void)state;
	if (daemon_pid > 0)
		kill(daemon_pid, SIGKILL);
	return remove_scratch_dir(dir);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sigkill_keeps_acknowledged),
	};

	if (argc != 3) {
		fprintf(stderr, "usage: %s ZKCLOBD ZKCLOB\n", argv[0]);
		return 2;
	}
	zkclobd = argv[1];
	zkclob = argv[2];
	return cmocka_run_group_tests(tests, setup, teardown);
}
