/* SPDX-License-Identifier: MIT */
/*
 * Proof log: checksum and statement encodings, round trips under every
 * durability policy, recovery (torn tail at every byte, garbage, a flipped
 * byte in the middle), chain checks, write errors and bad arguments.
 */
#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "crc32c.h"
#include "prooflog_test_util.h"

#define MAX_PROOF 5000

static uint64_t durable_seen[4096];
static size_t n_durable_seen;

static void
on_durable(void *arg, uint64_t seq)
{
	(void)arg;
	if (n_durable_seen < sizeof(durable_seen) / sizeof(durable_seen[0]))
		durable_seen[n_durable_seen++] = seq;
}

/* Append records first..last (make_statement numbering) to an open log. */
static void
append_range(struct zk_prooflog *log, uint64_t first, uint64_t last,
	     size_t max_len)
{
	uint8_t *proof = malloc(max_len + 1);

	assert_non_null(proof);
	for (uint64_t i = first; i <= last; i++) {
		struct zk_statement st;
		size_t len = make_proof(i, max_len, proof);
		uint64_t seq = 0;

		make_statement(i, &st);
		assert_int_equal(zk_prooflog_append_proof(log, &st, proof, len,
							  &seq), 0);
		assert_int_equal(seq, i);
		assert_true(zk_prooflog_durable_seq(log) <=
			    zk_prooflog_last_seq(log));
		assert_int_equal(zk_prooflog_poll(log, 0), 0);
	}
	free(proof);
}

static void
write_log(const char *path, uint64_t n, size_t max_len)
{
	struct zk_prooflog *log;

	assert_int_equal(zk_prooflog_open(path, ZK_PROOFLOG_CREATE, NULL, &log,
					  NULL), 0);
	append_range(log, 1, n, max_len);
	assert_int_equal(zk_prooflog_close(log), 0);
}

/* Reads the whole log; returns the record count, offsets into offs. */
static uint64_t
read_all(const char *path, size_t max_len, uint64_t *offs)
{
	struct zk_prooflog_reader *rd;
	struct zk_prooflog_record rec;
	uint64_t n = 0;
	char err[ZK_PROOFLOG_ERRLEN];
	int rc;

	assert_int_equal(zk_prooflog_reader_open(path, &rd, err, sizeof(err)),
			 0);
	while ((rc = zk_prooflog_reader_next(rd, &rec)) == 1) {
		n++;
		assert_record_is(&rec, n, max_len);
		if (offs != NULL)
			offs[n] = rec.offset;
	}
	assert_int_equal(rc, 0);
	assert_false(zk_prooflog_reader_scan(rd)->torn_tail);
	zk_prooflog_reader_close(rd);
	return n;
}

static void
test_crc32c_vectors(void **state)
{
	/* RFC 3720 appendix B.4 and the usual "123456789" check value. */
	uint8_t buf[33];

	(void)state;
	assert_int_equal(zk_crc32c(0, "123456789", 9), 0xe3069283u);
	memset(buf, 0, 32);
	assert_int_equal(zk_crc32c(0, buf, 32), 0x8a9136aau);
	memset(buf, 0xff, 32);
	assert_int_equal(zk_crc32c(0, buf, 32), 0x62a8ab43u);
	for (int i = 0; i < 32; i++)
		buf[i + 1] = (uint8_t)i;
	/* unaligned start, and chaining */
	assert_int_equal(zk_crc32c(0, buf + 1, 32), 0x46dd794eu);
	assert_int_equal(zk_crc32c(zk_crc32c(0, buf + 1, 13), buf + 14, 19),
			 0x46dd794eu);
}

static void
test_statement_encoding(void **state)
{
	struct zk_statement st, back;
	uint8_t enc[ZK_STATEMENT_WIRE_SIZE];

	(void)state;
	make_statement(3, &st);
	st.market = 0x01020304;
	st.params_id = 0x0a0b0c0d;
	zk_statement_encode(&st, enc);
	assert_memory_equal(enc, "\x01\x02\x03\x04\x0a\x0b\x0c\x0d", 8);
	assert_memory_equal(enc + 8, "\0\0\0\0\0\0\0\x03", 8);
	assert_memory_equal(enc + 16, "\0\0\0\0\0\0\0\x15", 8);
	assert_memory_equal(enc + 24, "\0\0\0\0\0\0\0\x1e", 8);
	assert_memory_equal(enc + 32, st.old_root, 32);
	assert_memory_equal(enc + 64, st.ops_digest, 32);
	assert_memory_equal(enc + 96, st.events_digest, 32);
	assert_memory_equal(enc + 128, st.new_root, 32);
	zk_statement_decode(enc, &back);
	assert_memory_equal(&back, &st, sizeof(st));
	assert_true(zk_statement_is_well_formed(&st));
	st.first_seq = st.last_seq + 1;
	assert_false(zk_statement_is_well_formed(&st));
}

static void
round_trip(const struct zk_prooflog_opts *o, uint64_t n, size_t max_len)
{
	struct zk_prooflog_opts opts = *o;
	struct zk_prooflog_stats stats;
	struct zk_prooflog *log;
	struct zk_prooflog_scan scan;
	char dir[64], path[96];

	make_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/log", dir);
	n_durable_seen = 0;
	opts.on_durable = on_durable;
	assert_int_equal(zk_prooflog_open(path, ZK_PROOFLOG_CREATE, &opts,
					  &log, &scan), 0);
	assert_int_equal(scan.records, 0);
	append_range(log, 1, n, max_len);
	/* Acknowledged only at sync points the policy allows. */
	for (size_t i = 0; i < n_durable_seen; i++) {
		if (i > 0)
			assert_true(durable_seen[i] > durable_seen[i - 1]);
		if (opts.sync == ZK_PROOFLOG_SYNC_EVERY_N)
			assert_int_equal(durable_seen[i] % opts.sync_every_n,
					 0);
	}
	assert_int_equal(zk_prooflog_flush(log), 0);
	assert_int_equal(zk_prooflog_durable_seq(log), n);
	assert_int_equal(durable_seen[n_durable_seen - 1], n);
	zk_prooflog_get_stats(log, &stats);
	assert_int_equal(stats.records_appended, n);
	assert_true(stats.syncs >= 1);
	if (opts.sync == ZK_PROOFLOG_SYNC_EACH)
		assert_int_equal(stats.syncs, n);
	assert_int_equal(zk_prooflog_close(log), 0);
	assert_int_equal(read_all(path, max_len, NULL), n);

	/* Reopen: nothing to recover, appends continue the sequence. */
	assert_int_equal(zk_prooflog_open(path, 0, &opts, &log, &scan), 0);
	assert_int_equal(scan.records, n);
	assert_int_equal(scan.last_seq, n);
	assert_false(scan.torn_tail);
	assert_true(scan.have_statement);
	assert_int_equal(scan.last_statement.batch_seq, n);
	append_range(log, n + 1, n + 5, max_len);
	assert_int_equal(zk_prooflog_close(log), 0);
	assert_int_equal(read_all(path, max_len, NULL), n + 5);
	rm_tmpdir(dir);
}

static void
test_round_trip_each(void **state)
{
	struct zk_prooflog_opts o = { .sync = ZK_PROOFLOG_SYNC_EACH };

	(void)state;
	round_trip(&o, 150, MAX_PROOF);
}

static void
test_round_trip_every_n(void **state)
{
	struct zk_prooflog_opts o = { .sync = ZK_PROOFLOG_SYNC_EVERY_N,
				      .sync_every_n = 7 };

	(void)state;
	round_trip(&o, 400, MAX_PROOF);
}

static void
test_round_trip_interval(void **state)
{
	struct zk_prooflog_opts o = { .sync = ZK_PROOFLOG_SYNC_INTERVAL,
				      .sync_interval_us = 300 };

	(void)state;
	round_trip(&o, 400, MAX_PROOF);
}

static void
test_round_trip_small_buffer(void **state)
{
	/* 64 KiB staging buffer, 20 KiB proofs: wraps and stalls. */
	struct zk_prooflog_opts o = { .sync = ZK_PROOFLOG_SYNC_EVERY_N,
				      .sync_every_n = 3,
				      .buffer_bytes = 64 << 10,
				      .submit_batch = 2 };

	(void)state;
	round_trip(&o, 120, 20000);
}

static void
test_torn_tail_every_offset(void **state)
{
	uint64_t offs[8];
	char dir[64], path[96];
	size_t len;
	uint8_t *orig;

	(void)state;
	make_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/log", dir);
	write_log(path, 3, 300);
	assert_int_equal(read_all(path, 300, offs), 3);
	orig = slurp(path, &len);
	for (size_t cut = offs[3] + 1; cut < len; cut++) {
		struct zk_prooflog_scan scan;

		spit(path, orig, cut);
		assert_int_equal(zk_prooflog_recover(path, 0, &scan), 0);
		assert_true(scan.torn_tail);
		assert_true(scan.truncated);
		assert_false(scan.middle_corruption);
		assert_int_equal(scan.bad_offset, offs[3]);
		assert_int_equal(scan.records, 2);
		assert_int_equal(scan.last_statement.batch_seq, 2);
		assert_int_equal(file_size(path), (off_t)offs[3]);
	}
	/* And the writer's open does the same, then appends cleanly. */
	spit(path, orig, len - 5);
	{
		struct zk_prooflog *log;
		struct zk_prooflog_scan scan;

		assert_int_equal(zk_prooflog_open(path, 0, NULL, &log, &scan),
				 0);
		assert_int_equal(scan.last_seq, 2);
		append_range(log, 3, 4, 300);
		assert_int_equal(zk_prooflog_close(log), 0);
		assert_int_equal(read_all(path, 300, NULL), 4);
	}
	free(orig);
	rm_tmpdir(dir);
}

static void
test_garbage_tail(void **state)
{
	uint64_t offs[8];
	char dir[64], path[96];
	uint8_t *orig, *bad;
	size_t len;

	(void)state;
	make_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/log", dir);
	write_log(path, 4, 700);
	assert_int_equal(read_all(path, 700, offs), 4);
	orig = slurp(path, &len);
	bad = malloc(len + 4096);
	assert_non_null(bad);
	for (int kind = 0; kind < 3; kind++) {
		struct zk_prooflog_scan scan;
		uint64_t s = (uint64_t)kind + 99;
		size_t extra = 1000 + (size_t)kind * 8;

		memcpy(bad, orig, len);
		for (size_t i = 0; i < extra; i++)
			bad[len + i] = kind == 0 ? (uint8_t)splitmix(&s) : 0;
		/* kind 2: a valid-looking header of the next record, torn */
		if (kind == 2)
			memcpy(bad + len, orig + offs[4], 40);
		spit(path, bad, len + extra);
		assert_int_equal(zk_prooflog_recover(path, 0, &scan), 0);
		assert_true(scan.torn_tail);
		assert_int_equal(scan.records, 4);
		assert_int_equal(file_size(path), (off_t)len);
	}
	free(bad);
	free(orig);
	rm_tmpdir(dir);
}

static void
test_middle_corruption(void **state)
{
	uint64_t offs[8];
	char dir[64], path[96];
	uint8_t *orig, *bad;
	size_t len;
	size_t spots[6];
	int n_spots = 0;

	(void)state;
	make_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/log", dir);
	write_log(path, 6, 900);
	assert_int_equal(read_all(path, 900, offs), 6);
	orig = slurp(path, &len);
	bad = malloc(len);
	assert_non_null(bad);
	spots[n_spots++] = offs[3];          /* magic */
	spots[n_spots++] = offs[3] + 9;      /* record seq */
	spots[n_spots++] = offs[3] + 25;     /* length */
	spots[n_spots++] = offs[3] + 32 + 20; /* statement */
	spots[n_spots++] = offs[4] - 1;      /* last byte before record 4 */
	for (int k = 0; k < n_spots; k++) {
		struct zk_prooflog_scan scan;
		struct zk_prooflog *log;
		size_t blen;
		uint8_t *now;

		memcpy(bad, orig, len);
		bad[spots[k]] ^= 0x40;
		spit(path, bad, len);
		assert_int_equal(zk_prooflog_recover(path, 0, &scan), -EBADMSG);
		assert_true(scan.middle_corruption);
		assert_int_equal(scan.bad_offset, offs[3]);
		assert_int_equal(scan.next_valid_offset, offs[4]);
		assert_int_equal(scan.dropped_records, 3);
		assert_non_null(strstr(scan.reason, "middle"));
		/* nothing was changed */
		now = slurp(path, &blen);
		assert_int_equal(blen, len);
		assert_memory_equal(now, bad, len);
		free(now);
		assert_int_equal(zk_prooflog_open(path, 0, NULL, &log, &scan),
				 -EBADMSG);
		assert_int_equal(scan.bad_offset, offs[3]);
		assert_int_equal(file_size(path), (off_t)len);
		/* The explicit repair truncates at the damage. */
		assert_int_equal(zk_prooflog_recover(path, ZK_PROOFLOG_REPAIR,
						     &scan), 0);
		assert_true(scan.truncated);
		assert_int_equal(scan.records, 2);
		assert_int_equal(file_size(path), (off_t)offs[3]);
		assert_int_equal(read_all(path, 900, NULL), 2);
	}
	/* A flipped byte in the file header is refused, never "repaired". */
	memcpy(bad, orig, len);
	bad[20] ^= 1;
	spit(path, bad, len);
	assert_int_equal(zk_prooflog_recover(path, ZK_PROOFLOG_REPAIR, NULL),
			 -EBADMSG);
	assert_int_equal(file_size(path), (off_t)len);
	free(bad);
	free(orig);
	rm_tmpdir(dir);
}

static void
write_chain(const char *path, int variant)
{
	struct zk_prooflog *log;
	struct zk_statement st;
	uint8_t proof[16] = { 1 };

	assert_int_equal(zk_prooflog_open(path, ZK_PROOFLOG_CREATE, NULL, &log,
					  NULL), 0);
	for (uint64_t i = 1; i <= 5; i++) {
		make_statement(i, &st);
		if (i >= 4) {
			/* ops 31..35 skipped; later batches shift by 5 */
			st.first_seq += 5;
			st.last_seq += 5;
		}
		if (i == 4 && variant == 1)
			st.old_root[0] ^= 1;
		if (i == 4 && variant == 3)
			st.batch_seq = 5;
		if (i == 4 && variant == 5)
			st.first_seq -= 6;
		if (i == 4 && variant != 2 && variant != 4)
			assert_int_equal(zk_prooflog_append_skip(
				log, 7, 31, 35, 1, NULL), 0);
		if (i == 4 && variant == 4)
			assert_int_equal(zk_prooflog_append_skip(
				log, 7, 32, 35, 1, NULL), 0);
		assert_int_equal(zk_prooflog_append_proof(log, &st, proof,
							  sizeof(proof), NULL),
				 0);
	}
	assert_int_equal(zk_prooflog_close(log), 0);
}

static void
test_chain_checks(void **state)
{
	static const enum zk_prooflog_chain_error want[] = {
		ZK_CHAIN_OK, ZK_CHAIN_ROOT_MISMATCH, ZK_CHAIN_SEQ_GAP,
		ZK_CHAIN_BATCH_SEQ, ZK_CHAIN_SKIP_START, ZK_CHAIN_SEQ_OVERLAP,
	};
	char dir[64], path[96];

	(void)state;
	make_tmpdir(dir);
	for (int v = 0; v < 6; v++) {
		struct zk_prooflog_chain_result res;
		struct zk_prooflog_reader *rd;
		int rc;

		snprintf(path, sizeof(path), "%s/log%d", dir, v);
		write_chain(path, v);
		assert_int_equal(zk_prooflog_reader_open(path, &rd, NULL, 0),
				 0);
		rc = zk_prooflog_check_chain(rd, NULL, &res);
		assert_int_equal(rc, want[v] == ZK_CHAIN_OK ? 0 : 1);
		assert_int_equal(res.error, want[v]);
		if (v != 0) {
			/* the skip (variants 0,1,3,5: seq 4) precedes batch 4 */
			assert_int_equal(res.record_seq,
					 v == 2 ? 4 : v == 4 ? 4 : 5);
			assert_non_null(strstr(res.message, "record"));
		}
		zk_prooflog_reader_close(rd);
	}
	/* An anchor that does not match the first record's old_root. */
	{
		struct zk_prooflog_chain_result res;
		struct zk_prooflog_reader *rd;
		struct zk_statement anchor;

		snprintf(path, sizeof(path), "%s/log0", dir);
		make_statement(1, &anchor);
		anchor.batch_seq = 0;
		assert_int_equal(zk_prooflog_reader_open(path, &rd, NULL, 0),
				 0);
		assert_int_equal(zk_prooflog_check_chain(rd, &anchor, &res), 1);
		assert_int_equal(res.error, ZK_CHAIN_SEQ_OVERLAP);
		zk_prooflog_reader_close(rd);
	}
	rm_tmpdir(dir);
}

/* In a child: a file-size limit turns a write short, then into EFBIG. */
static void
test_write_error_is_sticky(void **state)
{
	char dir[64], path[96];
	uint64_t offs[64];
	pid_t pid;
	int status;

	(void)state;
	make_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/log", dir);
	write_log(path, 2, 1000);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = { .rlim_cur = 20000, .rlim_max = 20000 };
		struct zk_prooflog_opts o = { .sync = ZK_PROOFLOG_SYNC_EVERY_N,
					      .sync_every_n = 4 };
		struct zk_prooflog *log;
		struct zk_statement st;
		uint8_t proof[3000] = { 0 };
		int rc = 0;
		uint64_t i;

		signal(SIGXFSZ, SIG_IGN);
		if (zk_prooflog_open(path, 0, &o, &log, NULL) != 0 ||
		    setrlimit(RLIMIT_FSIZE, &rl) != 0)
			_exit(10);
		for (i = 3; i < 40 && rc == 0; i++) {
			make_statement(i, &st);
			rc = zk_prooflog_append_proof(log, &st, proof,
						      make_proof(i, 1000, proof),
						      NULL);
			if (rc == 0)
				rc = zk_prooflog_poll(log, 1000);
		}
		if (rc == 0)
			rc = zk_prooflog_flush(log);
		if (rc != -EFBIG || zk_prooflog_error(log) != -EFBIG ||
		    strstr(zk_prooflog_errmsg(log), "offset") == NULL)
			_exit(11);
		if (zk_prooflog_append_skip(log, 1, 1, 2, 0, NULL) != -EFBIG)
			_exit(12);
		if (zk_prooflog_durable_seq(log) > zk_prooflog_last_seq(log))
			_exit(13);
		zk_prooflog_close(log);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* Cut back to a record boundary: a clean log, no torn tail. */
	{
		uint64_t n = read_all(path, 1000, offs);

		assert_true(n >= 2 && n < 40);
	}
	rm_tmpdir(dir);
}

static void
test_bad_arguments(void **state)
{
	struct zk_prooflog_opts o = { .sync = ZK_PROOFLOG_SYNC_EVERY_N };
	struct zk_prooflog *log, *log2;
	struct zk_prooflog_reader *rd;
	struct zk_prooflog_scan scan;
	struct zk_statement st;
	char dir[64], path[96], other[96];
	uint8_t junk[200];

	(void)state;
	make_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/log", dir);
	snprintf(other, sizeof(other), "%s/notalog", dir);
	assert_int_equal(zk_prooflog_open(NULL, 0, NULL, &log, NULL), -EINVAL);
	assert_int_equal(zk_prooflog_open("", 0, NULL, &log, NULL), -EINVAL);
	assert_int_equal(zk_prooflog_open(path, 0, NULL, NULL, NULL), -EINVAL);
	assert_int_equal(zk_prooflog_open(path, 0x80, NULL, &log, NULL),
			 -EINVAL);
	assert_int_equal(zk_prooflog_open(path, 0, &o, &log, NULL), -EINVAL);
	o.sync = ZK_PROOFLOG_SYNC_INTERVAL;
	assert_int_equal(zk_prooflog_open(path, 0, &o, &log, NULL), -EINVAL);
	o.sync = 99;
	assert_int_equal(zk_prooflog_open(path, 0, &o, &log, NULL), -EINVAL);
	o.sync = ZK_PROOFLOG_SYNC_EACH;
	o.buffer_bytes = 100;
	assert_int_equal(zk_prooflog_open(path, 0, &o, &log, NULL), -EINVAL);
	assert_int_equal(zk_prooflog_open(path, 0, NULL, &log, &scan),
			 -ENOENT);
	assert_non_null(strstr(scan.reason, path));
	assert_int_equal(zk_prooflog_open("/dev/null", 0, NULL, &log, &scan),
			 -EINVAL);
	assert_int_equal(zk_prooflog_open(dir, 0, NULL, &log, NULL) < 0, 1);
	/* not a proof log: refused, untouched */
	memset(junk, 'x', sizeof(junk));
	spit(other, junk, sizeof(junk));
	assert_int_equal(zk_prooflog_open(other, 0, NULL, &log, &scan),
			 -EBADMSG);
	assert_non_null(strstr(scan.reason, "not a proof log"));
	assert_int_equal(file_size(other), (off_t)sizeof(junk));
	spit(other, junk, 10);
	assert_int_equal(zk_prooflog_reader_open(other, &rd, NULL, 0),
			 -EBADMSG);

	assert_int_equal(zk_prooflog_open(path, ZK_PROOFLOG_CREATE, NULL, &log,
					  NULL), 0);
	/* one writer per file */
	assert_int_equal(zk_prooflog_open(path, 0, NULL, &log2, &scan),
			 -EBUSY);
	assert_int_equal(zk_prooflog_recover(path, 0, NULL), -EBUSY);
	make_statement(1, &st);
	assert_int_equal(zk_prooflog_append_proof(NULL, &st, NULL, 0, NULL),
			 -EINVAL);
	assert_int_equal(zk_prooflog_append_proof(log, NULL, NULL, 0, NULL),
			 -EINVAL);
	assert_int_equal(zk_prooflog_append_proof(log, &st, NULL, 5, NULL),
			 -EINVAL);
	assert_int_equal(zk_prooflog_append_proof(log, &st, junk,
						  ZK_PROOFLOG_MAX_RECORD, NULL),
			 -EMSGSIZE);
	/* bigger than the 4 MiB staging buffer */
	assert_int_equal(zk_prooflog_append_proof(log, &st, junk, 5u << 20,
						  NULL), -EMSGSIZE);
	st.first_seq = st.last_seq + 1;
	assert_int_equal(zk_prooflog_append_proof(log, &st, NULL, 0, NULL),
			 -EINVAL);
	assert_int_equal(zk_prooflog_append_skip(log, 1, 9, 8, 0, NULL),
			 -EINVAL);
	assert_int_equal(zk_prooflog_poll(NULL, 0), -EINVAL);
	assert_int_equal(zk_prooflog_flush(NULL), -EINVAL);
	assert_int_equal(zk_prooflog_close(NULL), -EINVAL);
	/* the failed calls appended nothing */
	assert_int_equal(zk_prooflog_last_seq(log), 0);
	assert_int_equal(zk_prooflog_error(log), 0);
	assert_int_equal(zk_prooflog_close(log), 0);
	assert_int_equal(read_all(path, 0, NULL), 0);
	assert_int_equal(zk_prooflog_reader_next(NULL, NULL), -EINVAL);
	rm_tmpdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32c_vectors),
		cmocka_unit_test(test_statement_encoding),
		cmocka_unit_test(test_round_trip_each),
		cmocka_unit_test(test_round_trip_every_n),
		cmocka_unit_test(test_round_trip_interval),
		cmocka_unit_test(test_round_trip_small_buffer),
		cmocka_unit_test(test_torn_tail_every_offset),
		cmocka_unit_test(test_garbage_tail),
		cmocka_unit_test(test_middle_corruption),
		cmocka_unit_test(test_chain_checks),
		cmocka_unit_test(test_write_error_is_sticky),
		cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
