/* SPDX-License-Identifier: MIT */
/*
 * Proof log persistence: records/s and durability latency (record handed
 * to the log → its fdatasync completed, P50/P99) per durability policy,
 * with 4 KiB and 64 KiB proofs. The baseline, measured in the same run on
 * the same file system, is a plain loop of write() + fdatasync() per record
 * (what a naive logger does); every figure is also printed as a ratio to it.
 * The policies run open loop (append as fast as possible: records/s and
 * the ack lag under that load); "each, closed loop" waits for every ack
 * before the next append, the like-for-like latency of the baseline.
 * Usage: bench_prooflog [--quick] [--dir DIR]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "zkclob/prooflog.h"

struct result {
	double recs_per_s;
	double p50_us, p99_us;
};

static uint64_t *append_ns, *durable_ns;
static uint64_t acked;

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void
percentiles(uint64_t *lat, size_t n, struct result *r)
{
	qsort(lat, n, sizeof(*lat), cmp_u64);
	r->p50_us = (double)lat[n / 2] / 1e3;
	r->p99_us = (double)lat[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1] /
		    1e3;
}

static void
on_durable(void *arg, uint64_t seq)
{
	uint64_t t = now_ns();

	(void)arg;
	while (acked < seq)
		durable_ns[++acked] = t;
}

static int
baseline(const char *dir, size_t rec_len, size_t n, struct result *r)
{
	char path[700];
	uint8_t *rec = calloc(1, rec_len);
	uint64_t *lat = calloc(n, sizeof(*lat)), t0, t1;
	int fd;

	snprintf(path, sizeof(path), "%s/baseline", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || rec == NULL || lat == NULL)
		return -1;
	t0 = now_ns();
	for (size_t i = 0; i < n; i++) {
		uint64_t s = now_ns();

		rec[i % rec_len] ^= 1;
		if (write(fd, rec, rec_len) != (ssize_t)rec_len ||
		    fdatasync(fd) != 0)
			return -1;
		lat[i] = now_ns() - s;
	}
	t1 = now_ns();
	r->recs_per_s = (double)n / ((double)(t1 - t0) / 1e9);
	percentiles(lat, n, r);
	close(fd);
	unlink(path);
	free(rec);
	free(lat);
	return 0;
}

/*
 * closed: hand over the next record only once the previous one is durable
 * (the latency of one io_uring write+fdatasync, comparable with the
 * baseline); otherwise append as fast as possible (throughput, and the
 * ack lag a record sees under that load, queueing included).
 */
static int
run_log(const char *dir, const struct zk_prooflog_opts *o, size_t proof_len,
	size_t n, bool closed, struct result *r)
{
	struct zk_prooflog_opts opts = *o;
	struct zk_prooflog *log;
	struct zk_statement st;
	char path[700];
	uint8_t *proof = calloc(1, proof_len);
	uint64_t *lat = calloc(n, sizeof(*lat)), t0, t1;
	int rc;

	snprintf(path, sizeof(path), "%s/prooflog", dir);
	unlink(path);
	opts.on_durable = on_durable;
	acked = 0;
	rc = zk_prooflog_open(path, ZK_PROOFLOG_CREATE, &opts, &log, NULL);
	if (rc != 0 || proof == NULL || lat == NULL)
		return -1;
	memset(&st, 0, sizeof(st));
	t0 = now_ns();
	for (size_t i = 1; i <= n && rc == 0; i++) {
		st.batch_seq = i;
		st.first_seq = st.last_seq = i;
		proof[i % proof_len] ^= 1;
		append_ns[i] = now_ns();
		rc = zk_prooflog_append_proof(log, &st, proof, proof_len, NULL);
		if (rc == 0)
			rc = zk_prooflog_poll(log, 0);
		while (closed && rc == 0 && zk_prooflog_durable_seq(log) < i)
			rc = zk_prooflog_poll(log, 1000);
	}
	if (rc == 0)
		rc = zk_prooflog_close(log);
	t1 = now_ns();
	if (rc != 0) {
		fprintf(stderr, "bench_prooflog: %s\n", strerror(-rc));
		return -1;
	}
	for (size_t i = 1; i <= n; i++)
		lat[i - 1] = durable_ns[i] - append_ns[i];
	r->recs_per_s = (double)n / ((double)(t1 - t0) / 1e9);
	percentiles(lat, n, r);
	unlink(path);
	free(proof);
	free(lat);
	return 0;
}

static void
print_row(const char *name, const struct result *r, const struct result *b)
{
	printf("  %-22s %10.0f rec/s (x%5.2f)   P50 %9.1f us (x%5.2f)   "
	       "P99 %9.1f us (x%5.2f)\n", name, r->recs_per_s,
	       r->recs_per_s / b->recs_per_s, r->p50_us, r->p50_us / b->p50_us,
	       r->p99_us, r->p99_us / b->p99_us);
}

int
main(int argc, char **argv)
{
	static const size_t proof_sizes[] = { 4096, 65536 };
	const struct {
		const char *name;
		struct zk_prooflog_opts o;
	} policies[] = {
		{ "fdatasync each", { .sync = ZK_PROOFLOG_SYNC_EACH } },
		{ "fdatasync every 16", { .sync = ZK_PROOFLOG_SYNC_EVERY_N,
					   .sync_every_n = 16 } },
		{ "fdatasync every 1 ms", { .sync = ZK_PROOFLOG_SYNC_INTERVAL,
					     .sync_interval_us = 1000 } },
	};
	const char *base_dir = "/tmp";
	char dir[600];
	bool quick = false;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0)
			quick = true;
		else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
			base_dir = argv[++i];
		else {
			fprintf(stderr, "usage: %s [--quick] [--dir DIR]\n",
				argv[0]);
			return 2;
		}
	}
	snprintf(dir, sizeof(dir), "%s/zkplog-bench-XXXXXX", base_dir);
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	printf("proof log on %s; baseline: write()+fdatasync() per record\n",
	       dir);
	for (size_t s = 0; s < 2; s++) {
		size_t n = proof_sizes[s] > 8192 ? (quick ? 200 : 1000) :
						   (quick ? 500 : 3000);
		size_t rec_len = proof_sizes[s] + 192;
		struct result b, r;

		append_ns = calloc(n + 1, sizeof(uint64_t));
		durable_ns = calloc(n + 1, sizeof(uint64_t));
		if (append_ns == NULL || durable_ns == NULL ||
		    baseline(dir, rec_len, n, &b) != 0) {
			perror("baseline");
			return 1;
		}
		printf("%zu-byte proofs, %zu records\n", proof_sizes[s], n);
		printf("  %-22s %10.0f rec/s           P50 %9.1f us"
		       "           P99 %9.1f us\n", "baseline write+fdatasync",
		       b.recs_per_s, b.p50_us, b.p99_us);
		for (size_t p = 0; p < sizeof(policies) / sizeof(*policies);
		     p++) {
			if (run_log(dir, &policies[p].o, proof_sizes[s], n,
				    false, &r) != 0)
				return 1;
			print_row(policies[p].name, &r, &b);
		}
		if (run_log(dir, &policies[0].o, proof_sizes[s], n, true,
			    &r) != 0)
			return 1;
		print_row("each, closed loop", &r, &b);
		free(append_ns);
		free(durable_ns);
	}
	rmdir(dir);
	return 0;
}
