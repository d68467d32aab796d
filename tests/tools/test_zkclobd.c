/* SPDX-License-Identifier: MIT */
/*
 * zkclobd end to end through DPDK's net_pcap vdev (no hugepages, no PCI):
 *  - the daemon's events digest equals `zkclob replay` on the same capture;
 *  - malformed frames of every class mixed into the capture are counted
 *    and change nothing (same digest as the clean capture);
 *  - a sequence gap is recorded (skip) or halts (exit 3);
 *  - SIGHUP reloads, SIGTERM stops cleanly;
 *  - the real kernel path: net_af_packet on a veth in our own namespace.
 * argv[1] = zkclobd, argv[2] = zkclob, argv[3] = pcap_send.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli_test_util.h"
#include "http_client.h"

#include "zkclob/pcapio.h"

static const char *zkclobd, *zkclob, *pcap_send;
static pid_t daemon_pid; /* a zkclobd left running by a failed test */
static char dir[] = "/tmp/zkclobd-test-XXXXXX";

/* A config replaying `pcap` through net_pcap; EAL files under our own
 * prefix so parallel tests never share a runtime directory. */
static void write_config_dp(const char *name, const char *pcap,
			    const char *extra, const char *dataplane_extra)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.conf", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f,
		"[eal]\nargs = -l 0-1 --no-huge --no-pci -m 256 --file-prefix=zkt%d%s --log-level=lib.eal:warning\n"
		"[dataplane]\nsource = pcap\npcap_path = %s\nmbufs = 2047\nmbuf_cache = 64\nring_size = 1024\n%s"
		"[metrics]\nlisten = 127.0.0.1:0\n[audit]\npath = %s/%s.audit\n"
		/* these tests are about ingest: proving (issue 5's pipeline,
		 * tests/tools/test_zkclobd_prove.c) is switched on only where
		 * a test needs it, so the AIR's progress changes nothing here */
		"[prover]\nenabled = false\nlog = %s/%s.plog\n"
		"[batch]\nmax_ops = 64\n%s",
		(int)getpid(), name, pcap, dataplane_extra ? dataplane_extra : "",
		dir, name, dir, name, extra ? extra : "");
	fclose(f);
}

static void write_config(const char *name, const char *pcap, const char *extra)
{
	write_config_dp(name, pcap, extra, NULL);
}

/* Copy `in` to `outp`, letting `edit` drop (return 0), keep (1) or add
 * frames around each record. */
typedef int (*edit_fn)(struct zk_pcap_writer *w, const uint8_t *frame,
		       size_t len, uint64_t idx);

static void rewrite(const char *in, const char *outp, edit_fn edit)
{
	struct zk_pcap_reader *r;
	struct zk_pcap_writer *w;
	const uint8_t *frame;
	size_t len;
	uint64_t ts, idx = 0;
	char err[256];
	int rc;

	assert_int_equal(zk_pcap_reader_open(&r, in, err, sizeof(err)), 0);
	assert_int_equal(zk_pcap_writer_open(&w, outp, err, sizeof(err)), 0);
	while ((rc = zk_pcap_reader_next(r, &frame, &len, &ts)) == 1) {
		if (edit(w, frame, len, idx++))
			assert_int_equal(zk_pcap_writer_write(w, frame, len, ts), 0);
	}
	assert_int_equal(rc, 0);
	zk_pcap_reader_close(r);
	assert_int_equal(zk_pcap_writer_close(w), 0);
}

static void put(struct zk_pcap_writer *w, const uint8_t *f, size_t len)
{
	assert_int_equal(zk_pcap_writer_write(w, f, len, 0), 0);
}

/* After every 50th frame, add one malformed frame of each class (after,
 * so that a damaged copy never arrives before the good original). */
static int add_junk(struct zk_pcap_writer *w, const uint8_t *frame, size_t len,
		    uint64_t idx)
{
	uint8_t bad[2048];
	size_t i;

	if (idx % 50 != 7 || len < 80 || len > sizeof(bad))
		return 1;
	put(w, frame, len);
	put(w, frame, 10);                        /* truncated Ethernet */
	memcpy(bad, frame, len);
	bad[12] = 0x86; bad[13] = 0xdd;           /* IPv6 ethertype */
	put(w, bad, len);
	memcpy(bad, frame, len);
	bad[14] = 0x65;                           /* IP version 6 */
	put(w, bad, len);
	memcpy(bad, frame, len);
	bad[23] = 6;                              /* TCP, not UDP */
	put(w, bad, len);
	memcpy(bad, frame, len);
	bad[36] ^= 0x55;                          /* wrong UDP port */
	put(w, bad, len);
	put(w, frame, len - 5);                   /* truncated message */
	memcpy(bad, frame, len);
	bad[62 + 2] = 'Z';                        /* unknown message type */
	put(w, bad, len);
	for (i = 0; i < len; i++)                 /* noise */
		bad[i] = (uint8_t)(i * 131 + idx);
	put(w, bad, len);
	put(w, frame, len);                       /* duplicate: dropped */
	return 0;
}

static int drop_frame_100(struct zk_pcap_writer *w, const uint8_t *frame,
			  size_t len, uint64_t idx)
{
	(void)w;
	(void)frame;
	(void)len;
	return idx != 100;
}

static void test_digest_matches_replay(void **state)
{
	char d_daemon[65], d_replay[65];
	char pcap[512];

	(void)state;
	snprintf(pcap, sizeof(pcap), "%s/clean.pcap", dir);
	assert_int_equal(run("%s gen --seed 3 --count 30000 %s", zkclob, pcap), 0);
	write_config("clean", pcap, NULL);
	if (run("%s --config %s/clean.conf", zkclobd, dir) != 0)
		fail_msg("zkclobd failed:\n%s", out);
	assert_non_null(strstr(out, "engine:  30000 ops applied"));
	assert_non_null(strstr(out, "0 lost on abort"));
	digest_of(d_daemon);
	assert_int_equal(run("%s replay %s", zkclob, pcap), 0);
	digest_of(d_replay);
	assert_string_equal(d_daemon, d_replay);

	/* the run left an intact audit log: who started it, on what config */
	assert_int_equal(run("%s audit-verify %s/clean.audit", zkclob, dir), 0);
	assert_non_null(strstr(out, ": ok, 2 valid records"));
	/* one flipped byte in the middle is found, not repaired */
	assert_int_equal(run("printf 'X' | dd of=%s/clean.audit bs=1 seek=100 conv=notrunc status=none",
			     dir), 0);
	assert_int_equal(run("%s audit-verify %s/clean.audit", zkclob, dir), 1);
	assert_non_null(strstr(out, "finding: record"));
}

static void test_bad_traffic_counted_and_harmless(void **state)
{
	char d_clean[65], d_bad[65], d_replay[65];
	char clean[512], bad[512];

	(void)state;
	snprintf(clean, sizeof(clean), "%s/clean.pcap", dir);
	snprintf(bad, sizeof(bad), "%s/bad.pcap", dir);
	assert_int_equal(run("%s gen --seed 3 --count 30000 %s", zkclob, clean), 0);
	assert_int_equal(run("%s replay %s", zkclob, clean), 0);
	digest_of(d_clean);
	rewrite(clean, bad, add_junk);
	write_config("bad", bad, NULL);
	if (run("%s --config %s/bad.conf", zkclobd, dir) != 0)
		fail_msg("zkclobd failed:\n%s", out);
	assert_non_null(strstr(out, "engine:  30000 ops applied"));
	assert_non_null(strstr(out, "drop:    "));
	assert_null(strstr(out, " 0 duplicates"));
	digest_of(d_bad);
	assert_string_equal(d_bad, d_clean);
	assert_int_equal(run("%s replay %s", zkclob, bad), 0);
	digest_of(d_replay);
	assert_string_equal(d_replay, d_clean);
}

static void test_gap_skip_and_halt(void **state)
{
	char clean[512], gap[512];

	(void)state;
	snprintf(clean, sizeof(clean), "%s/clean.pcap", dir);
	snprintf(gap, sizeof(gap), "%s/gap.pcap", dir);
	assert_int_equal(run("%s gen --seed 3 --count 30000 %s", zkclob, clean), 0);
	rewrite(clean, gap, drop_frame_100);

	write_config("gapskip", gap, "gap_policy = skip\n");
	if (run("%s --config %s/gapskip.conf", zkclobd, dir) != 0)
		fail_msg("zkclobd failed:\n%s", out);
	assert_non_null(strstr(out, "1 gaps (8 missing)"));
	assert_non_null(strstr(out, "1 gaps recorded"));
	assert_non_null(strstr(out, "engine:  29992 ops applied"));

	write_config("gaphalt", gap, "gap_policy = halt\n");
	assert_int_equal(run("%s --config %s/gaphalt.conf", zkclobd, dir), 3);
	assert_non_null(strstr(out, "HALTED:  sequence gap (expected 801, received 809)"));
	assert_non_null(strstr(out, "engine:  800 ops applied"));
}

/* Profiling mode: per-stage histograms at exit, in HdrHistogram's format. */
static void test_profile_mode(void **state)
{
	char pcap[512], conf[512];
	FILE *f;

	(void)state;
	snprintf(pcap, sizeof(pcap), "%s/prof.pcap", dir);
	snprintf(conf, sizeof(conf), "%s/prof.conf", dir);
	assert_int_equal(run("%s gen --seed 4 --count 20000 %s", zkclob, pcap), 0);
	write_config("prof", pcap, NULL);
	f = fopen(conf, "a");
	assert_non_null(f);
	fprintf(f, "[profile]\nenabled = true\ndir = %s/lat\n", dir);
	fclose(f);
	if (run("%s --config %s", zkclobd, conf) != 0)
		fail_msg("zkclobd failed:\n%s", out);
	assert_non_null(strstr(out, "# zkclob latency profile"));
	assert_non_null(strstr(out, "\nrx "));
	/* every stage the pipeline has so far recorded samples */
	assert_int_equal(run("for s in rx ring sequencer batch; do "
			     "grep -q 'Value.*Percentile.*TotalCount' %s/lat/$s.hgrm || exit 1; "
			     "done; grep -c . %s/lat/summary.txt", dir, dir), 0);
	assert_null(strstr(out, "\nrx                   0"));
}

/*
 * [dataplane] rate paces a replayed capture: every message is still
 * applied (digest = replay), rx was held back (paced waits), and the
 * first-to-last burst window cannot be shorter than the rate allows
 * (messages / rate, less one burst's worth: a lower bound, so a slow or
 * loaded machine can only lengthen it). A rate on a real port is refused.
 */
static void test_paced_rate(void **state)
{
	char pcap[512], d_daemon[65], d_replay[65];
	const char *p;
	double window;

	(void)state;
	snprintf(pcap, sizeof(pcap), "%s/paced.pcap", dir);
	assert_int_equal(run("%s gen --seed 8 --count 4000 %s", zkclob, pcap), 0);
	write_config_dp("paced", pcap, NULL, "rate = 20000\n");
	if (run("%s --config %s/paced.conf", zkclobd, dir) != 0)
		fail_msg("zkclobd failed:\n%s", out);
	assert_non_null(strstr(out, "engine:  4000 ops applied"));
	assert_non_null(strstr(out, "paced at 20000 messages/s"));
	p = strstr(out, "ops/s over the ");
	assert_non_null(p);
	window = strtod(p + strlen("ops/s over the "), NULL);
	/* 4000 messages at 20000/s: 0.2 s, less a burst (32 frames of 8) */
	assert_true(window >= (4000.0 - 32 * 8) / 20000.0);
	p = strstr(out, " paced waits)");
	assert_non_null(p);
	digest_of(d_daemon);
	assert_int_equal(run("%s replay %s", zkclob, pcap), 0);
	digest_of(d_replay);
	assert_string_equal(d_daemon, d_replay);
	/* a NIC's load belongs to its sender */
	{
		char conf[512];
		FILE *f;

		snprintf(conf, sizeof(conf), "%s/paced_port.conf", dir);
		f = fopen(conf, "w");
		assert_non_null(f);
		fprintf(f, "[dataplane]\nsource = port\nport = net_null0\nrate = 1000\n"
			"[metrics]\nenabled = false\n[audit]\npath =\n"
			"[prover]\nenabled = false\n");
		fclose(f);
		assert_int_equal(run("%s --config %s 2>&1", zkclobd, conf), 2);
		if (strstr(out, "[dataplane] rate") == NULL)
			fail_msg("no refusal in:\n%s", out);
	}
}

static void test_config_errors(void **state)
{
	char path[512];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/badkey.conf", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("[dataplane]\nring_size = 1000\n", f);
	fclose(f);
	assert_int_equal(run("%s --config %s", zkclobd, path), 2);
	assert_non_null(strstr(out, "badkey.conf:2: [dataplane] ring_size: '1000' is not a power of two"));

	/* a port name the EAL does not know: a clear error, no crash */
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "[eal]\nargs = -l 0-1 --no-huge --no-pci -m 256 --file-prefix=zkt%dport\n"
		   "[dataplane]\nsource = port\nport = net_nothing0\n", (int)getpid());
	fclose(f);
	assert_int_equal(run("%s --config %s", zkclobd, path), 1);
	assert_non_null(strstr(out, "no ethdev named 'net_nothing0'"));

	/* a capture that is not there: named, before DPDK starts */
	write_config("nocap", "/nonexistent/zk.pcap", NULL);
	assert_int_equal(run("%s --config %s/nocap.conf", zkclobd, dir), 2);
	assert_non_null(strstr(out, "pcap_path /nonexistent/zk.pcap: No such file"));
}

/* Poll a file until it contains `what` (bounded: 20 s). */
static bool wait_for(const char *path, const char *what)
{
	char buf[1 << 15];
	int i;

	for (i = 0; i < 200; i++) {
		FILE *f = fopen(path, "r");
		size_t n = 0;

		if (f != NULL) {
			n = fread(buf, 1, sizeof(buf) - 1, f);
			fclose(f);
		}
		buf[n] = '\0';
		if (strstr(buf, what) != NULL)
			return true;
		usleep(100000);
	}
	fprintf(stderr, "waited for '%s' in:\n%s\n", what, buf);
	return false;
}

/* The running daemon serves Prometheus text with the ops it applied. */
static void check_metrics(const char *log)
{
	static char resp[1 << 17];
	unsigned int port;
	const char *p;
	FILE *f;
	char line[256];
	bool found = false;

	f = fopen(log, "r");
	assert_non_null(f);
	port = 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if ((p = strstr(line, "/metrics (port ")) != NULL)
			port = (unsigned int)strtoul(p + 15, NULL, 10);
	fclose(f);
	assert_true(port > 0 && port < 65536);
	/* the capture is applied quickly; poll until every op is counted */
	for (int i = 0; i < 100 && !found; i++) {
		assert_int_equal(http_request((uint16_t)port, "GET", "/metrics",
					      NULL, resp, sizeof(resp)),
				 200);
		found = strstr(resp, "zkclob_ops_applied_total 3000") != NULL;
		if (!found)
			usleep(100000);
	}
	if (!found)
		fail_msg("no zkclob_ops_applied_total 3000 in:\n%.2000s", resp);
	assert_non_null(strstr(resp, "zkclob_rx_frames_total"));
	assert_non_null(strstr(resp, "zkclob_placement_"));
}

/* DPDK telemetry: /zkclob/stats answers from the running daemon's socket
 * (/var/run/dpdk/<file-prefix>/dpdk_telemetry.v2, as root). */
static void check_telemetry(const char *prefix)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[16384];
	ssize_t n;
	int fd;

	snprintf(sa.sun_path, sizeof(sa.sun_path),
		 "/var/run/dpdk/%s/dpdk_telemetry.v2", prefix);
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	assert_true(fd >= 0);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		fail_msg("telemetry socket %s: %s", sa.sun_path, strerror(errno));
	}
	n = read(fd, buf, sizeof(buf) - 1); /* the greeting */
	assert_true(n > 0);
	assert_int_equal(write(fd, "/zkclob/stats", 13), 13);
	n = read(fd, buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	close(fd);
	if (strstr(buf, "\"ops_applied\":3000") == NULL)
		fail_msg("unexpected telemetry reply: %s", buf);
}

/* SIGHUP applies [batch] changes, reports a [dataplane] change as needing a
 * restart, refuses a broken config whole; SIGTERM stops cleanly. */
static void test_sighup_reload_and_sigterm(void **state)
{
	char clean[512], conf[512], log[512];
	pid_t pid;
	int st;
	FILE *f;

	(void)state;
	snprintf(clean, sizeof(clean), "%s/clean.pcap", dir);
	snprintf(conf, sizeof(conf), "%s/hup.conf", dir);
	snprintf(log, sizeof(log), "%s/hup.log", dir);
	assert_int_equal(run("%s gen --seed 3 --count 3000 %s", zkclob, clean), 0);
	/* without stop_on_eos it runs until told to stop */
	write_config_dp("hup", clean, "timeout_us = 1000\n", "stop_on_eos = false\nburst = 32\n");
	/* this one reloads [prover]: proving on */
	assert_int_equal(run("sed -i 's/^enabled = false$/enabled = true/' %s", conf), 0);

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
	assert_true(wait_for(log, "lcores:"));
	check_metrics(log);
	{
		char prefix[64];

		snprintf(prefix, sizeof(prefix), "zkt%dhup", (int)getpid());
		check_telemetry(prefix);
	}

	assert_int_equal(run("sed -i 's/^max_ops = 64$/max_ops = 100/; s/^burst = 32$/burst = 16/' %s", conf), 0);
	assert_int_equal(kill(pid, SIGHUP), 0);
	assert_true(wait_for(log, "reload:  applied [batch] max_ops 100"));
	assert_true(wait_for(log, "reload:  [dataplane] burst = 16 needs a restart"));

	/* [prover]: the policies apply, the threads need a restart */
	f = fopen(conf, "a");
	assert_non_null(f);
	fputs("[prover]\non_stop = abandon\nworkers = 2\n", f);
	fclose(f);
	assert_int_equal(kill(pid, SIGHUP), 0);
	assert_true(wait_for(log, "[prover] on_unprovable log, on_stop abandon"));
	assert_true(wait_for(log, "reload:  [prover] workers = 2 needs a restart"));

	f = fopen(conf, "a");
	assert_non_null(f);
	fputs("[batch]\nmax_ops = zero\n", f);
	fclose(f);
	assert_int_equal(kill(pid, SIGHUP), 0);
	assert_true(wait_for(log, "reload refused, config unchanged"));

	assert_int_equal(kill(pid, SIGTERM), 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	daemon_pid = 0;
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_true(wait_for(log, "engine:  3000 ops applied"));
}

/*
 * The real kernel path: zkclobd reads a veth through net_af_packet inside
 * a network namespace this test creates; frames are sent into the other
 * end of the pair. Skipped when namespaces cannot be created here.
 */
static void test_af_packet_veth(void **state)
{
	char pcap[512], conf[512], log[512], ns[64], d_daemon[65], d_replay[65];
	pid_t pid;
	int st;
	FILE *f;

	(void)state;
	snprintf(ns, sizeof(ns), "zkt%d", (int)getpid());
	if (run("ip netns add %s", ns) != 0)
		skip();
	if (run("ip -n %s link add zkv0 type veth peer name zkv1 && "
		"ip -n %s link set zkv0 up && ip -n %s link set zkv1 up && "
		"ip netns exec %s sysctl -qw net.ipv6.conf.all.disable_ipv6=1",
		ns, ns, ns, ns) != 0) {
		run("ip netns del %s", ns);
		fail_msg("veth setup failed:\n%s", out);
	}
	snprintf(pcap, sizeof(pcap), "%s/veth.pcap", dir);
	snprintf(conf, sizeof(conf), "%s/veth.conf", dir);
	snprintf(log, sizeof(log), "%s/veth.log", dir);
	assert_int_equal(run("%s gen --seed 5 --count 4000 %s", zkclob, pcap), 0);
	f = fopen(conf, "w");
	assert_non_null(f);
	fprintf(f,
		"[eal]\nargs = -l 0-1 --no-huge --no-pci -m 256 --file-prefix=zkt%dveth "
		"--log-level=lib.eal:warning --vdev=net_af_packet0,iface=zkv0,qpairs=1,framecnt=2048\n"
		"[dataplane]\nsource = port\nport = net_af_packet0\nmbufs = 4095\nmbuf_cache = 64\n"
		"ring_size = 4096\n[metrics]\nenabled = false\n[audit]\npath =\n"
		"[prover]\nenabled = false\n"
		"[batch]\nmax_ops = 64\n", (int)getpid());
	fclose(f);

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (freopen(log, "w", stdout) == NULL || dup2(1, 2) < 0)
			_exit(126);
		execlp("ip", "ip", "netns", "exec", ns, zkclobd, "--config", conf,
		       (char *)NULL);
		_exit(127);
	}
	daemon_pid = pid;
	if (!wait_for(log, "lcores:")) {
		run("ip netns del %s", ns);
		fail();
	}
	if (run("ip netns exec %s %s zkv1 %s 50", ns, pcap_send, pcap) != 0) {
		run("ip netns del %s", ns);
		fail_msg("pcap_send failed:\n%s", out);
	}
	/* the end-of-session frame stops it */
	if (!wait_for(log, "digest:")) {
		kill(pid, SIGTERM);
		run("ip netns del %s", ns);
		fail();
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	daemon_pid = 0;
	run("ip netns del %s", ns);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(run("cat %s", log), 0);
	assert_non_null(strstr(out, "engine:  4000 ops applied"));
	assert_non_null(strstr(out, " 0 gaps (0 missing)"));
	digest_of(d_daemon);
	assert_int_equal(run("%s replay %s", zkclob, pcap), 0);
	digest_of(d_replay);
	assert_string_equal(d_daemon, d_replay);
}

/* SIGHUPs during start-up (from the first line it prints, before and
 * while the EAL comes up) must not kill the daemon: it replays the whole
 * capture (found by perf/soak.sh). Before main() no program can catch a
 * signal; the daemon installs its handlers first thing. */
static void test_sighup_during_startup(void **state)
{
	char pcap[512], log[512];
	pid_t pid;
	int st, i, reaped;

	(void)state;
	snprintf(pcap, sizeof(pcap), "%s/early.pcap", dir);
	snprintf(log, sizeof(log), "%s/early.log", dir);
	assert_int_equal(run("%s gen --seed 6 --count 20000 %s", zkclob, pcap), 0);
	write_config("early", pcap, NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char conf[512];

		snprintf(conf, sizeof(conf), "%s/early.conf", dir);
		if (freopen(log, "w", stdout) == NULL || dup2(1, 2) < 0)
			_exit(126);
		execl(zkclobd, zkclobd, "--config", conf, (char *)NULL);
		_exit(127);
	}
	daemon_pid = pid;
	assert_true(wait_for(log, "zkclobd: config"));
	reaped = 0;
	for (i = 0; i < 100 && !reaped; i++) {
		kill(pid, SIGHUP);
		usleep(5000);
		reaped = waitpid(pid, &st, WNOHANG) == pid;
	}
	if (!reaped)
		assert_int_equal(waitpid(pid, &st, 0), pid);
	daemon_pid = 0;
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_true(wait_for(log, "engine:  20000 ops applied"));
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
		cmocka_unit_test(test_digest_matches_replay),
		cmocka_unit_test(test_bad_traffic_counted_and_harmless),
		cmocka_unit_test(test_gap_skip_and_halt),
		cmocka_unit_test(test_sighup_during_startup),
		cmocka_unit_test(test_profile_mode),
		cmocka_unit_test(test_paced_rate),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_sighup_reload_and_sigterm),
		cmocka_unit_test(test_af_packet_veth),
	};

	if (argc != 4) {
		fprintf(stderr, "usage: %s ZKCLOBD ZKCLOB PCAP_SEND\n", argv[0]);
		return 2;
	}
	zkclobd = argv[1];
	zkclob = argv[2];
	pcap_send = argv[3];
	return cmocka_run_group_tests(tests, setup, teardown);
}
