/* SPDX-License-Identifier: MIT */
/*
 * zkclobd proving out of process from its config: [prover] backends =
 * external:native, [external native] running the built `zkclob prove
 * --serve` on the daemon's own config. Every batch of a capture the CLOB
 * AIR covers (rejects only) is proven by the child; the metrics label its
 * proofs external:native while the daemon runs; a SIGHUP that changes the
 * section is reported as needing a restart and proving goes on; `zkclob
 * verify-log` accepts the log. A command that cannot start, and a name
 * with no section, stop zkclobd before it takes traffic, with the reason.
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
#include "http_client.h"

#include "zkclob/pcapio.h"
#include "zkclob/wire.h"

static const char *zkclobd, *zkclob;
static pid_t daemon_pid; /* a zkclobd left running by a failed test */
static char dir[] = "/tmp/zkclobd-ext-XXXXXX";

static void conf_path(char *path, size_t cap, const char *name)
{
	snprintf(path, cap, "%s/%s.conf", dir, name);
}

/* `prover_extra` goes into [prover]; `sections` after it. */
static void write_config(const char *name, const char *pcap,
			 const char *prover_extra, const char *sections)
{
	char path[512];
	FILE *f;

	conf_path(path, sizeof(path), name);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f,
		"[eal]\nargs = -l 0-1 --no-huge --no-pci -m 256 --file-prefix=zkx%d%s --log-level=lib.eal:warning\n"
		"[dataplane]\nsource = pcap\npcap_path = %s\nmbufs = 2047\nmbuf_cache = 64\nring_size = 1024\n"
		"stop_on_eos = false\n"
		"[metrics]\nlisten = 127.0.0.1:0\n[audit]\npath = %s/%s.audit\n"
		"[batch]\nmax_ops = 16\n"
		"[prover]\nlog = %s/%s.plog\nqueue_depth = 8\n%s%s",
		(int)getpid(), name, pcap, dir, name, dir, name,
		prover_extra, sections);
	fclose(f);
}

/* The n in "<key> n" of the last run's output. */
static uint64_t figure(const char *key)
{
	const char *p = strstr(out, key);

	if (p == NULL)
		fail_msg("no '%s' in:\n%s", key, out);
	return strtoull(p + strlen(key), NULL, 10);
}

/* The file's text, at most cap - 1 bytes. */
static void slurp(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f != NULL) {
		n = fread(buf, 1, cap - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
}

/* Poll a file until it contains `what` (bounded: 60 s). */
static bool wait_for(const char *path, const char *what)
{
	static char buf[1 << 16];
	int i;

	for (i = 0; i < 600; i++) {
		slurp(path, buf, sizeof(buf));
		if (strstr(buf, what) != NULL)
			return true;
		usleep(100000);
	}
	fprintf(stderr, "waited for '%s' in:\n%s\n", what, buf);
	return false;
}

/* zkclob_proofs_total{backend="external:native",result="ok"}, scraped
 * from the running daemon; -1 when the series is not there. */
static int64_t scraped_ok_proofs(uint16_t port)
{
	static char resp[1 << 17];
	const char *line;

	assert_int_equal(http_request(port, "GET", "/metrics", NULL, resp,
				      sizeof(resp)), 200);
	for (line = resp; line != NULL && *line != '\0';
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		size_t len = strcspn(line, "\n");
		char row[512];

		if (len >= sizeof(row))
			continue;
		memcpy(row, line, len);
		row[len] = '\0';
		if (strncmp(row, "zkclob_proofs_total{", 20) == 0 &&
		    strstr(row, "backend=\"external:native\"") != NULL &&
		    strstr(row, "result=\"ok\"") != NULL)
			return strtoll(strrchr(row, ' ') + 1, NULL, 10);
	}
	return -1;
}

/* Poll the metrics until zkclob_ops_applied_total reaches n (60 s). */
static bool wait_for_ops(uint16_t port, uint64_t n)
{
	static char resp[1 << 17];
	char want[64];
	int i;

	snprintf(want, sizeof(want), "zkclob_ops_applied_total %" PRIu64 "\n", n);
	for (i = 0; i < 600; i++) {
		assert_int_equal(http_request(port, "GET", "/metrics", NULL,
					      resp, sizeof(resp)), 200);
		if (strstr(resp, want) != NULL)
			return true;
		usleep(100000);
	}
	return false;
}

static uint16_t metrics_port(const char *log)
{
	static char buf[1 << 16];
	const char *p;

	slurp(log, buf, sizeof(buf));
	p = strstr(buf, "/metrics (port ");
	assert_non_null(p);
	return (uint16_t)strtoul(p + 15, NULL, 10);
}

static void test_proven_out_of_process(void **state)
{
	char pcap[512], conf[512], log[512], sections[1400], want[96];
	uint64_t n_ops, parts;
	int64_t ok = -1;
	uint16_t port;
	pid_t pid;
	int st, i;
	FILE *f;

	(void)state;
	snprintf(pcap, sizeof(pcap), "%s/rejects.pcap", dir);
	conf_path(conf, sizeof(conf), "native");
	snprintf(log, sizeof(log), "%s/native.log", dir);
	n_ops = zk_test_write_reject_capture(pcap, 6);
	/* the prover reads the daemon's own file: the same market rules */
	snprintf(sections, sizeof(sections),
		 "[external native]\ncommand = \"%s\" prove --serve --config \"%s\"\n"
		 "io_timeout_ms = 20000\nprove_timeout_ms = 300000\n",
		 zkclob, conf);
	write_config("native", pcap, "backends = external:native\n", sections);

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (freopen(log, "w", stdout) == NULL || dup2(1, 2) < 0)
			_exit(126);
		setvbuf(stdout, NULL, _IONBF, 0);
		execl(zkclobd, zkclobd, "--config", conf, (char *)NULL);
		_exit(127);
	}
	daemon_pid = pid;
	assert_true(wait_for(log, "backends external:native"));
	assert_true(wait_for(log, "/metrics (port "));
	port = metrics_port(log);
	/* the child's proofs show under the config's name while it runs */
	for (i = 0; i < 1200 && ok < 1; i++) {
		ok = scraped_ok_proofs(port);
		if (ok < 1)
			usleep(100000);
	}
	if (ok < 1)
		fail_msg("no external:native proofs in the metrics after 120 s");

	/* a changed prover needs a restart: reported, the running one kept */
	f = fopen(conf, "a");
	assert_non_null(f);
	fputs("max_payload = 8192\n", f);
	fclose(f);
	assert_int_equal(kill(pid, SIGHUP), 0);
	assert_true(wait_for(log, "reload:  [external native] max_payload = 8192 needs a restart"));

	/* every op applied before the stop; on_stop = finish: SIGTERM waits
	 * for the proofs in flight */
	assert_true(wait_for_ops(port, n_ops));
	assert_int_equal(kill(pid, SIGTERM), 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	daemon_pid = 0;
	slurp(log, out, sizeof(out));
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("zkclobd failed:\n%s", out);
	print_message("%.400s\n", strstr(out, "proving:") ? strstr(out, "proving:") : out);
	print_message("scraped external:native ok proofs while running: %" PRId64 "\n", ok);
	assert_int_equal(figure("engine:  "), n_ops);
	parts = figure("proving: ");
	assert_true(parts >= 2);
	assert_int_equal(figure(" batches: "), parts); /* proven */
	assert_int_equal(figure(" proven, "), 0);      /* unproven */
	assert_int_equal(figure("external:native "), parts);
	assert_true((uint64_t)ok <= parts);

	assert_int_equal(run("%s verify-log --config %s %s/native.plog", zkclob,
			     conf, dir), 0);
	snprintf(want, sizeof(want), ": %" PRIu64 " proofs verified", parts);
	if (strstr(out, want) == NULL)
		fail_msg("no '%s' in:\n%s", want, out);
}

static void test_refuses_to_start(void **state)
{
	char pcap[512], conf[512];

	(void)state;
	snprintf(pcap, sizeof(pcap), "%s/rejects.pcap", dir);
	if (access(pcap, R_OK) != 0)
		zk_test_write_reject_capture(pcap, 6);

	/* a program that is not there: zkclobd stops with the reason */
	write_config("missing", pcap, "backends = clob-fast external:gone\n",
		     "[external gone]\ncommand = /nonexistent/prover --serve\n");
	conf_path(conf, sizeof(conf), "missing");
	assert_int_not_equal(run("%s --config %s", zkclobd, conf), 0);
	if (strstr(out, "[external gone] cannot start '/nonexistent/prover --serve'") == NULL)
		fail_msg("no start failure named in:\n%s", out);
	assert_null(strstr(out, "ops applied"));

	/* a program that starts but does not speak the protocol */
	write_config("mute", pcap, "backends = external:mute\n",
		     "[external mute]\ncommand = /bin/sh -c \"exit 3\"\n");
	conf_path(conf, sizeof(conf), "mute");
	assert_int_not_equal(run("%s --config %s", zkclobd, conf), 0);
	if (strstr(out, "[external mute] cannot start") == NULL)
		fail_msg("no start failure named in:\n%s", out);

	/* a name without its section: the config error, file:line:key */
	write_config("unnamed", pcap, "backends = external:nope\n", "");
	conf_path(conf, sizeof(conf), "unnamed");
	assert_int_equal(run("%s --config %s", zkclobd, conf), 2);
	if (strstr(out, "unnamed.conf:19: [prover] backends: 'external:nope' names no [external nope] section") == NULL)
		fail_msg("no config error in:\n%s", out);
}

static int setup(void **state)
{
	(void)state;
	return make_scratch_dir(dir);
}

static int teardown(void **state)
{
	(void)state;
	if (daemon_pid > 0) {
		kill(daemon_pid, SIGKILL);
		waitpid(daemon_pid, NULL, 0);
	}
	return remove_scratch_dir(dir);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proven_out_of_process),
		cmocka_unit_test(test_refuses_to_start),
	};

	if (argc != 3) {
		fprintf(stderr, "usage: %s ZKCLOBD ZKCLOB\n", argv[0]);
		return 2;
	}
	zkclobd = argv[1];
	zkclob = argv[2];
	return cmocka_run_group_tests(tests, setup, teardown);
}
