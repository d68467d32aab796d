/* SPDX-License-Identifier: MIT */
/*
 * Audit log tests: every record type round-trips; every single-byte change
 * anywhere in a log is found at the right record; every cut inside the last
 * record recovers to the one before; deleted, swapped and rewritten records
 * and a log that no longer matches a published anchor are rejected; threads
 * appending together keep one valid chain; repair starts a new segment and
 * leaves the damaged file untouched.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "zkclob/audit.h"

#define FILE_HEADER 64

static char dir[64];
static char path[128];

static int
setup(void **state)
{
	(void)state;
	/* tmpfs when there is one: the tests check what is written, not how
	 * long the disk takes to fdatasync it. */
	snprintf(dir, sizeof(dir), "/dev/shm/zk_audit_XXXXXX");
	if (mkdtemp(dir) == NULL) {
		snprintf(dir, sizeof(dir), "/tmp/zk_audit_XXXXXX");
		if (mkdtemp(dir) == NULL)
			return -1;
	}
	snprintf(path, sizeof(path), "%s/audit.log", dir);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct zk_statement
statement(uint64_t batch)
{
	struct zk_statement st;

	memset(&st, 0, sizeof(st));
	st.market = 7;
	st.params_id = 0x0102;
	st.batch_seq = batch;
	st.first_seq = batch * 100 + 1;
	st.last_seq = batch * 100 + 100;
	for (int i = 0; i < ZK_ROOT_SIZE; i++) {
		st.old_root[i] = (uint8_t)(batch + i);
		st.ops_digest[i] = (uint8_t)(batch * 3 + i);
		st.events_digest[i] = (uint8_t)(batch * 5 + i);
		st.new_root[i] = (uint8_t)(batch * 7 + i);
	}
	return st;
}

static uint8_t *
slurp(const char *p, size_t *len)
{
	FILE *f = fopen(p, "rb");
	uint8_t *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void
spit(const char *p, const uint8_t *buf, size_t len)
{
	FILE *f = fopen(p, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
}

/* One record of each writer-side type, in a fixed order. */
static void
append_sample(struct zk_audit *log, unsigned int i)
{
	static const char *const argv[] = {"zkclob", "skip-gap", "--market=7"};
	uint8_t ph[ZK_AUDIT_HASH_SIZE];
	struct zk_statement st = statement(i);

	memset(ph, (int)(0xa0 + i), sizeof(ph));
	switch (i % 4) {
	case 0:
		assert_int_equal(zk_audit_proof(log, &st, "stark-fast", ph, 4096),
				 0);
		break;
	case 1:
		assert_int_equal(zk_audit_verify_failure(log, &st, "sp1", ph,
							 "fri query 3 failed"),
				 0);
		break;
	case 2:
		assert_int_equal(zk_audit_config_change(log, "/etc/zk.ini",
							"[a]\nx=1\n", 8,
							"[a]\nx=2\n", 8),
				 0);
		break;
	default:
		assert_int_equal(zk_audit_operator_command(log, 1000, 3, argv),
				 0);
		break;
	}
}

static void
write_sample(unsigned int n)
{
	struct zk_audit *log;

	assert_int_equal(zk_audit_open(path, NULL, &log, NULL), 0);
	for (unsigned int i = 0; i < n; i++)
		append_sample(log, i);
	assert_int_equal(zk_audit_close(log), 0);
}

/* Byte offsets where each record starts; offs[n] = file end. */
static unsigned int
record_offsets(const char *p, uint64_t *offs, unsigned int max)
{
	struct zk_audit_reader *r;
	struct zk_audit_record rec;
	unsigned int n = 0;
	int rc;

	assert_int_equal(zk_audit_reader_open(p, &r), 0);
	while ((rc = zk_audit_reader_next(r, &rec)) == 1) {
		assert_true(n < max);
		offs[n++] = rec.offset;
		offs[n] = rec.offset + 112 + rec.payload_len;
	}
	assert_int_equal(rc, 0);
	zk_audit_reader_close(r);
	return n;
}

static bool
str_is(struct zk_audit_str s, const char *want)
{
	return s.len == strlen(want) && memcmp(s.ptr, want, s.len) == 0;
}

static void
test_round_trip(void **state)
{
	static const char *const argv[] = {"zkclob", "reload", "--all"};
	const char *old_cfg = "[a]\nx = 1\ngone = 2\n[c]\nk = v\n";
	const char *new_cfg = "[a]\nx = 3\n[b]\nnew = 4\n[c]\nk = v\n";
	struct zk_statement st = statement(42), got_st;
	struct zk_audit_reader *r;
	struct zk_audit_record rec;
	struct zk_audit_entry e;
	struct zk_audit_report rep;
	struct zk_audit *log;
	uint8_t ph[ZK_AUDIT_HASH_SIZE], zero[ZK_AUDIT_HASH_SIZE] = {0};
	uint64_t last_mono = 0;

	(void)state;
	memset(ph, 0x5c, sizeof(ph));
	assert_int_equal(zk_audit_open(path, NULL, &log, &rep), 0);
	assert_int_equal(rep.status, ZK_AUDIT_OK);
	assert_int_equal(rep.records, 0);
	assert_int_equal(zk_audit_proof(log, &st, "stark-compact", ph, 1234), 0);
	assert_int_equal(zk_audit_verify_failure(log, &st, "zisk", NULL,
						 "ood mismatch"), 0);
	assert_int_equal(zk_audit_config_change(log, "/etc/zk.ini", old_cfg,
						strlen(old_cfg), new_cfg,
						strlen(new_cfg)), 0);
	assert_int_equal(zk_audit_config_change(log, "/etc/zk.ini", NULL, 0,
						new_cfg, strlen(new_cfg)), 0);
	assert_int_equal(zk_audit_operator_command(log, 1001, 3, argv), 0);
	assert_int_equal(zk_audit_operator_signal(log, 0, SIGHUP), 0);
	assert_int_equal(zk_audit_close(log), 0);

	assert_int_equal(zk_audit_verify(path, &rep), 0);
	assert_int_equal(rep.records, 6);
	assert_int_equal(zk_audit_reader_open(path, &r), 0);
	for (uint64_t i = 0; i < 6; i++) {
		assert_int_equal(zk_audit_reader_next(r, &rec), 1);
		assert_int_equal(rec.seq, i);
		assert_true(rec.realtime_ns > 1500000000ull * 1000000000ull);
		assert_true(rec.monotonic_ns >= last_mono);
		last_mono = rec.monotonic_ns;
		assert_int_equal(zk_audit_decode(&rec, &e), 0);
		assert_int_equal(e.type, rec.type);
		switch (i) {
		case 0:
			assert_int_equal(e.type, ZK_AUDIT_PROOF);
			got_st = e.proof.st;
			assert_memory_equal(&got_st, &st, sizeof(st));
			assert_true(str_is(e.proof.backend, "stark-compact"));
			assert_memory_equal(e.proof.proof_hash, ph, sizeof(ph));
			assert_int_equal(e.proof.proof_len, 1234);
			break;
		case 1:
			assert_int_equal(e.type, ZK_AUDIT_VERIFY_FAIL);
			got_st = e.verify_fail.st;
			assert_memory_equal(&got_st, &st, sizeof(st));
			assert_true(str_is(e.verify_fail.backend, "zisk"));
			assert_true(str_is(e.verify_fail.reason, "ood mismatch"));
			assert_memory_equal(e.verify_fail.proof_hash, zero,
					    sizeof(zero));
			break;
		case 2:
			assert_int_equal(e.type, ZK_AUDIT_CONFIG_CHANGE);
			assert_true(str_is(e.config.path, "/etc/zk.ini"));
			assert_true(str_is(e.config.changes,
					   "-a.gone ~a.x +b.new"));
			assert_memory_not_equal(e.config.old_hash,
						e.config.new_hash, 32);
			break;
		case 3:
			assert_true(str_is(e.config.changes,
					   "+a.x +b.new +c.k"));
			assert_memory_equal(e.config.old_hash, zero, 32);
			break;
		case 4:
			assert_int_equal(e.type, ZK_AUDIT_OPERATOR);
			assert_int_equal(e.operator_cmd.uid, 1001);
			assert_int_equal(e.operator_cmd.signo, 0);
			assert_int_equal(e.operator_cmd.argc, 3);
			for (int a = 0; a < 3; a++)
				assert_true(str_is(e.operator_cmd.argv[a],
						   argv[a]));
			break;
		default:
			assert_int_equal(e.operator_cmd.signo, SIGHUP);
			assert_int_equal(e.operator_cmd.argc, 1);
			assert_true(str_is(e.operator_cmd.argv[0], "SIGHUP"));
			break;
		}
	}
	assert_int_equal(zk_audit_reader_next(r, &rec), 0);
	zk_audit_reader_close(r);
}

static void
test_config_summary_is_bounded(void **state)
{
	size_t cap = 200 * 32, len = 0;
	char *cfg = malloc(cap);
	struct zk_audit_reader *r;
	struct zk_audit_record rec;
	struct zk_audit_entry e;
	struct zk_audit *log;

	(void)state;
	assert_non_null(cfg);
	len += (size_t)snprintf(cfg, cap, "[s]\n");
	for (int i = 0; i < 200; i++)
		len += (size_t)snprintf(cfg + len, cap - len,
					"key_number_%03d = %d\n", i, i);
	assert_int_equal(zk_audit_open(path, NULL, &log, NULL), 0);
	assert_int_equal(zk_audit_config_change(log, "big.ini", NULL, 0, cfg,
						len), 0);
	assert_int_equal(zk_audit_close(log), 0);
	free(cfg);
	assert_int_equal(zk_audit_reader_open(path, &r), 0);
	assert_int_equal(zk_audit_reader_next(r, &rec), 1);
	assert_int_equal(zk_audit_decode(&rec, &e), 0);
	assert_true(e.config.changes.len <= ZK_AUDIT_MAX_SUMMARY);
	assert_true(e.config.changes.len > 20);
	assert_memory_equal(e.config.changes.ptr, "+s.key_number_000", 17);
	assert_non_null(memmem(e.config.changes.ptr, e.config.changes.len,
			       " more", 5));
	zk_audit_reader_close(r);
}

static void
test_tamper_every_byte(void **state)
{
	static const uint8_t flips[] = {0x01, 0x80};
	char copy[160];
	uint64_t offs[8];
	size_t len, after_len;
	uint8_t *orig, *bad, *after;
	unsigned int n;

	(void)state;
	write_sample(4);
	n = record_offsets(path, offs, 6);
	assert_int_equal(n, 4);
	orig = slurp(path, &len);
	assert_int_equal(offs[n], len);
	snprintf(copy, sizeof(copy), "%s/tampered.log", dir);
	bad = malloc(len);
	assert_non_null(bad);
	for (size_t i = 0; i < len; i++) {
		for (size_t f = 0; f < sizeof(flips); f++) {
			struct zk_audit_report rep;
			struct zk_audit *log = NULL;
			unsigned int rec = 0;

			memcpy(bad, orig, len);
			bad[i] ^= flips[f];
			spit(copy, bad, len);
			assert_int_equal(zk_audit_verify(copy, &rep), -EBADMSG);
			if (i < FILE_HEADER) {
				assert_int_equal(rep.status,
						 ZK_AUDIT_BAD_FILE_HEADER);
				continue;
			}
			while (offs[rec + 1] <= i)
				rec++;
			if (rep.bad_record != rec || rep.status == ZK_AUDIT_OK ||
			    rep.status == ZK_AUDIT_TORN_TAIL)
				fail_msg("byte %zu (record %u): %s", i, rec,
					 rep.detail);
			assert_int_equal(rep.bad_offset, offs[rec]);
			assert_int_equal(rep.records, rec);
			/* The writer refuses too, and changes nothing. */
			assert_int_equal(zk_audit_open(copy, NULL, &log, &rep),
					 -EBADMSG);
			assert_null(log);
			after = slurp(copy, &after_len);
			assert_int_equal(after_len, len);
			assert_memory_equal(after, bad, len);
			free(after);
		}
	}
	free(bad);
	free(orig);
}

static void
test_truncate_last_record(void **state)
{
	uint64_t offs[8];
	size_t len;
	uint8_t *orig;
	unsigned int n;

	(void)state;
	write_sample(3);
	n = record_offsets(path, offs, 6);
	orig = slurp(path, &len);
	for (uint64_t cut = offs[n - 1]; cut < len; cut++) {
		struct zk_audit_report rep;
		struct zk_audit *log;

		spit(path, orig, cut);
		if (cut == offs[n - 1]) {
			assert_int_equal(zk_audit_verify(path, &rep), 0);
		} else {
			assert_int_equal(zk_audit_verify(path, &rep), -EBADMSG);
			assert_int_equal(rep.status, ZK_AUDIT_TORN_TAIL);
			assert_int_equal(rep.bad_record, n - 1);
		}
		assert_int_equal(rep.records, n - 1);
		assert_int_equal(zk_audit_open(path, NULL, &log, &rep), 0);
		assert_int_equal(rep.records, n - 1);
		assert_int_equal(rep.torn_bytes, cut - offs[n - 1]);
		/* The recovered log takes the next record at the cut point. */
		append_sample(log, n - 1);
		assert_int_equal(zk_audit_close(log), 0);
		assert_int_equal(zk_audit_verify(path, &rep), 0);
		assert_int_equal(rep.records, n);
		assert_int_equal(rep.valid_bytes, len);
	}
	free(orig);
}

static void
expect_chain_broken(const uint8_t *buf, size_t len, uint64_t rec,
		    uint64_t off)
{
	struct zk_audit_report rep;
	struct zk_audit *log = NULL;

	spit(path, buf, len);
	assert_int_equal(zk_audit_verify(path, &rep), -EBADMSG);
	assert_int_equal(rep.status, ZK_AUDIT_CHAIN_BROKEN);
	assert_int_equal(rep.bad_record, rec);
	assert_int_equal(rep.bad_offset, off);
	assert_int_equal(zk_audit_open(path, NULL, &log, &rep), -EBADMSG);
	assert_null(log);
}

static void
test_deleted_and_swapped_records(void **state)
{
	uint64_t o[8];
	size_t len;
	uint8_t *orig, *buf;
	size_t r1, r2;

	(void)state;
	write_sample(4);
	assert_int_equal(record_offsets(path, o, 6), 4);
	orig = slurp(path, &len);
	buf = malloc(2 * len); /* room for a duplicated record */
	assert_non_null(buf);
	r1 = o[2] - o[1];
	r2 = o[3] - o[2];

	/* record 1 deleted: record 2 now sits at record 1's place */
	memcpy(buf, orig, o[1]);
	memcpy(buf + o[1], orig + o[2], len - o[2]);
	expect_chain_broken(buf, len - r1, 1, o[1]);

	/* records 1 and 2 swapped */
	memcpy(buf, orig, len);
	memcpy(buf + o[1], orig + o[2], r2);
	memcpy(buf + o[1] + r2, orig + o[1], r1);
	expect_chain_broken(buf, len, 1, o[1]);

	/* record 2 duplicated (replayed) */
	memcpy(buf, orig, o[3]);
	memcpy(buf + o[3], orig + o[2], r2);
	expect_chain_broken(buf, o[3] + r2, 3, o[3]);
	free(buf);
	free(orig);
}

static void
test_reopen_continues_chain(void **state)
{
	struct zk_audit_anchor first, second;
	struct zk_audit_report rep;
	struct zk_audit_reader *r;
	struct zk_audit_record rec;
	struct zk_audit *log;
	uint64_t seq = 0;

	(void)state;
	write_sample(3);
	assert_int_equal(zk_audit_open(path, NULL, &log, &rep), 0);
	assert_int_equal(rep.status, ZK_AUDIT_OK);
	assert_int_equal(zk_audit_head(log, &first), 0);
	assert_int_equal(first.records, 3);
	assert_memory_equal(first.head, rep.head, ZK_AUDIT_HASH_SIZE);
	append_sample(log, 3);
	append_sample(log, 4);
	assert_int_equal(zk_audit_head(log, &second), 0);
	assert_int_equal(zk_audit_close(log), 0);
	assert_int_equal(second.records, 5);

	assert_int_equal(zk_audit_verify(path, &rep), 0);
	assert_int_equal(rep.records, 5);
	assert_memory_equal(rep.head, second.head, ZK_AUDIT_HASH_SIZE);
	assert_int_equal(zk_audit_reader_open(path, &r), 0);
	while (zk_audit_reader_next(r, &rec) == 1)
		assert_int_equal(rec.seq, seq++);
	zk_audit_reader_close(r);
	assert_int_equal(seq, 5);
	assert_int_equal(zk_audit_verify_anchor(path, &first, &rep), 0);
	assert_int_equal(zk_audit_verify_anchor(path, &second, &rep), 0);
}

static void
test_anchor(void **state)
{
	struct zk_audit_anchor anchor, parsed, genesis = {0};
	struct zk_audit_report rep;
	struct zk_audit *log;
	char text[ZK_AUDIT_ANCHOR_TEXT];
	uint64_t offs[8];
	size_t len;
	uint8_t *orig;

	(void)state;
	write_sample(3);
	assert_int_equal(zk_audit_open(path, NULL, &log, NULL), 0);
	assert_int_equal(zk_audit_head(log, &anchor), 0);
	append_sample(log, 3);
	assert_int_equal(zk_audit_close(log), 0);

	assert_int_equal(zk_audit_anchor_format(&anchor, text, sizeof(text)), 0);
	assert_int_equal(strlen(text), 2 + 64);
	assert_int_equal(zk_audit_anchor_parse(text, &parsed), 0);
	assert_memory_equal(&parsed, &anchor, sizeof(anchor));
	assert_int_equal(zk_audit_verify_anchor(path, &parsed, &rep), 0);

	/* Cut back to a clean record boundary: self-consistent, but the
	 * anchor shows records were removed. */
	assert_int_equal(record_offsets(path, offs, 6), 4);
	orig = slurp(path, &len);
	spit(path, orig, offs[2]);
	assert_int_equal(zk_audit_verify(path, &rep), 0);
	assert_int_equal(zk_audit_verify_anchor(path, &anchor, &rep), -EBADMSG);
	assert_int_equal(rep.status, ZK_AUDIT_ANCHOR_MISMATCH);

	/* Rewritten from scratch with as many records: still not the head
	 * that was published. */
	unlink(path);
	write_sample(4);
	assert_int_equal(zk_audit_verify(path, &rep), 0);
	assert_int_equal(zk_audit_verify_anchor(path, &anchor, &rep), -EBADMSG);
	assert_int_equal(rep.status, ZK_AUDIT_ANCHOR_MISMATCH);
	assert_int_equal(rep.bad_record, 3);
	/* A zero anchor (records 0, zero head) is not this file's genesis. */
	assert_int_equal(zk_audit_verify_anchor(path, &genesis, &rep),
			 -EBADMSG);
	assert_int_equal(rep.status, ZK_AUDIT_ANCHOR_MISMATCH);
	free(orig);

	assert_int_equal(zk_audit_anchor_parse("3:zz", &parsed), -EINVAL);
	assert_int_equal(zk_audit_anchor_parse(":00", &parsed), -EINVAL);
	text[strlen(text) - 1] = '\0';
	assert_int_equal(zk_audit_anchor_parse(text, &parsed), -EINVAL);
	assert_int_equal(zk_audit_anchor_format(&anchor, text, 10), -EINVAL);
}

#define THREADS 4
#define PER_THREAD 256

static pthread_barrier_t start_line;

struct worker {
	struct zk_audit *log;
	int id;
	int rc;
};

static void *
appender(void *arg)
{
	struct worker *w = arg;
	char id[16], n[16];
	const char *argv[3] = {"worker", id, n};

	snprintf(id, sizeof(id), "%d", w->id);
	pthread_barrier_wait(&start_line);
	for (int i = 0; i < PER_THREAD && w->rc == 0; i++) {
		snprintf(n, sizeof(n), "%d", i);
		w->rc = zk_audit_operator_command(w->log, (uint32_t)w->id, 3,
						  argv);
	}
	return NULL;
}

static void
test_concurrent_appenders(void **state)
{
	struct zk_audit_options opts = { .sync_every = 16 };
	struct worker w[THREADS];
	pthread_t t[THREADS];
	int next[THREADS] = {0};
	struct zk_audit_report rep;
	struct zk_audit_reader *r;
	struct zk_audit_record rec;
	struct zk_audit_entry e;
	struct zk_audit *log;

	(void)state;
	assert_int_equal(zk_audit_open(path, &opts, &log, NULL), 0);
	assert_int_equal(pthread_barrier_init(&start_line, NULL, THREADS), 0);
	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ .log = log, .id = i };
		assert_int_equal(pthread_create(&t[i], NULL, appender, &w[i]),
				 0);
	}
	for (int i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(w[i].rc, 0);
	}
	pthread_barrier_destroy(&start_line);
	assert_int_equal(zk_audit_close(log), 0);
	assert_int_equal(zk_audit_verify(path, &rep), 0);
	assert_int_equal(rep.records, THREADS * PER_THREAD);
	/* Each thread's records appear once each, in its own order. */
	assert_int_equal(zk_audit_reader_open(path, &r), 0);
	while (zk_audit_reader_next(r, &rec) == 1) {
		char num[16];
		int id;

		assert_int_equal(zk_audit_decode(&rec, &e), 0);
		id = (int)e.operator_cmd.uid;
		assert_in_range(id, 0, THREADS - 1);
		snprintf(num, sizeof(num), "%d", next[id]++);
		assert_true(str_is(e.operator_cmd.argv[2], num));
	}
	zk_audit_reader_close(r);
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(next[i], PER_THREAD);
}

static void
test_repair_starts_new_segment(void **state)
{
	struct zk_audit_options opts = { .flags = ZK_AUDIT_REPAIR };
	struct zk_audit_report rep, check;
	struct zk_audit_reader *r;
	struct zk_audit_record rec;
	struct zk_audit_entry e;
	struct zk_audit *log;
	uint64_t offs[8];
	uint8_t *orig, *moved;
	size_t len, moved_len;

	(void)state;
	write_sample(4);
	assert_int_equal(record_offsets(path, offs, 6), 4);
	orig = slurp(path, &len);
	orig[offs[2] + 90] ^= 0x10; /* record 2's payload */
	spit(path, orig, len);

	assert_int_equal(zk_audit_open(path, NULL, &log, &rep), -EBADMSG);
	assert_int_equal(rep.status, ZK_AUDIT_BAD_HASH);
	assert_int_equal(rep.bad_record, 2);
	assert_int_equal(zk_audit_open(path, &opts, &log, &rep), 0);
	assert_true(rep.repaired);
	assert_int_equal(rep.status, ZK_AUDIT_BAD_HASH);
	append_sample(log, 0);
	assert_int_equal(zk_audit_close(log), 0);

	/* The damaged file is kept byte for byte as evidence. */
	moved = slurp(rep.broken_path, &moved_len);
	assert_int_equal(moved_len, len);
	assert_memory_equal(moved, orig, len);
	assert_int_equal(zk_audit_verify(rep.broken_path, &check), -EBADMSG);
	assert_int_equal(check.bad_record, 2);

	assert_int_equal(zk_audit_verify(path, &check), 0);
	assert_int_equal(check.records, 2);
	assert_int_equal(zk_audit_reader_open(path, &r), 0);
	assert_int_equal(zk_audit_reader_next(r, &rec), 1);
	assert_int_equal(zk_audit_decode(&rec, &e), 0);
	assert_int_equal(e.type, ZK_AUDIT_CHAIN_BREAK);
	assert_true(str_is(e.chain_break.broken_path, rep.broken_path));
	assert_int_equal(e.chain_break.status, ZK_AUDIT_BAD_HASH);
	assert_int_equal(e.chain_break.bad_record, 2);
	assert_int_equal(e.chain_break.bad_offset, offs[2]);
	assert_int_equal(e.chain_break.valid_records, 2);
	assert_memory_equal(e.chain_break.valid_head, rep.head, 32);
	assert_memory_equal(e.chain_break.broken_salt, orig + 16, 16);
	zk_audit_reader_close(r);
	free(moved);
	free(orig);
}

static void
test_bad_arguments(void **state)
{
	struct zk_audit_options bad_flags = { .flags = 0x80 };
	struct zk_statement st = statement(1);
	uint8_t ph[ZK_AUDIT_HASH_SIZE] = {0};
	const char *argv[ZK_AUDIT_MAX_ARGS + 1];
	const char *null_arg[2] = {"x", NULL};
	struct zk_audit_report rep;
	struct zk_audit_anchor anchor;
	struct zk_audit_record rec;
	struct zk_audit_entry e;
	struct zk_audit *log, *other;
	char *huge, junk[128];
	uint8_t payload[4] = {0, 0, 0, 0};

	(void)state;
	for (int i = 0; i <= ZK_AUDIT_MAX_ARGS; i++)
		argv[i] = "a";
	assert_int_equal(zk_audit_open(NULL, NULL, &log, NULL), -EINVAL);
	assert_int_equal(zk_audit_open("", NULL, &log, NULL), -EINVAL);
	assert_int_equal(zk_audit_open(path, NULL, NULL, NULL), -EINVAL);
	assert_int_equal(zk_audit_open(path, &bad_flags, &log, NULL), -EINVAL);
	assert_int_equal(zk_audit_open("/nonexistent-dir/x.log", NULL, &log,
				       NULL), -ENOENT);

	assert_int_equal(zk_audit_open(path, NULL, &log, NULL), 0);
	/* A second writer, even in the same process, is refused. */
	assert_int_equal(zk_audit_open(path, NULL, &other, NULL), -EBUSY);
	assert_int_equal(zk_audit_proof(NULL, &st, "b", ph, 1), -EINVAL);
	assert_int_equal(zk_audit_proof(log, NULL, "b", ph, 1), -EINVAL);
	assert_int_equal(zk_audit_proof(log, &st, NULL, ph, 1), -EINVAL);
	assert_int_equal(zk_audit_proof(log, &st, "b", NULL, 1), -EINVAL);
	assert_int_equal(zk_audit_verify_failure(log, &st, "b", ph, NULL),
			 -EINVAL);
	assert_int_equal(zk_audit_config_change(log, NULL, NULL, 0, "", 0),
			 -EINVAL);
	assert_int_equal(zk_audit_config_change(log, "p", NULL, 3, "", 0),
			 -EINVAL);
	assert_int_equal(zk_audit_operator_command(log, 0, 0, argv), -EINVAL);
	assert_int_equal(zk_audit_operator_command(log, 0,
						   ZK_AUDIT_MAX_ARGS + 1, argv),
			 -EINVAL);
	assert_int_equal(zk_audit_operator_command(log, 0, 2, null_arg),
			 -EINVAL);
	assert_int_equal(zk_audit_operator_signal(log, 0, 0), -EINVAL);
	assert_int_equal(zk_audit_operator_signal(log, 0, 100000), -EINVAL);
	assert_int_equal(zk_audit_head(log, NULL), -EINVAL);
	/* Too big for one record: refused, and the log stays usable. */
	huge = malloc(70000);
	assert_non_null(huge);
	memset(huge, 'r', 69999);
	huge[69999] = '\0';
	assert_int_equal(zk_audit_verify_failure(log, &st, "b", ph, huge),
			 -E2BIG);
	free(huge);
	assert_int_equal(zk_audit_operator_signal(log, 0, SIGTERM), 0);
	assert_int_equal(zk_audit_head(log, &anchor), 0);
	assert_int_equal(anchor.records, 1);
	assert_int_equal(zk_audit_close(log), 0);
	assert_int_equal(zk_audit_close(NULL), 0);

	assert_int_equal(zk_audit_verify(NULL, &rep), -EINVAL);
	assert_int_equal(zk_audit_verify(path, NULL), -EINVAL);
	snprintf(junk, sizeof(junk), "%s/missing.log", dir);
	assert_int_equal(zk_audit_verify(junk, &rep), -ENOENT);
	/* Not an audit log: a clear finding, and the writer leaves it be. */
	snprintf(junk, sizeof(junk), "%s/text.log", dir);
	spit(junk, (const uint8_t *)"hello, world\n", 13);
	assert_int_equal(zk_audit_verify(junk, &rep), -EBADMSG);
	assert_int_equal(rep.status, ZK_AUDIT_BAD_FILE_HEADER);
	assert_int_equal(zk_audit_open(junk, NULL, &log, &rep), -EBADMSG);
	assert_int_equal(rep.status, ZK_AUDIT_BAD_FILE_HEADER);

	memset(&rec, 0, sizeof(rec));
	rec.type = ZK_AUDIT_OPERATOR;
	rec.payload = payload;
	rec.payload_len = sizeof(payload);
	assert_int_equal(zk_audit_decode(&rec, &e), -EBADMSG);
	rec.type = (enum zk_audit_type)99;
	assert_int_equal(zk_audit_decode(&rec, &e), -EBADMSG);
	assert_int_equal(zk_audit_decode(NULL, &e), -EINVAL);
	assert_int_equal(zk_audit_reader_next(NULL, &rec), -EINVAL);
	assert_string_equal(zk_audit_status_name(ZK_AUDIT_TORN_TAIL),
			    "torn tail");
	assert_string_equal(zk_audit_type_name(ZK_AUDIT_PROOF), "proof");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_config_summary_is_bounded,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_tamper_every_byte, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_truncate_last_record,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_deleted_and_swapped_records,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_continues_chain,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_anchor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_appenders,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_repair_starts_new_segment,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_arguments, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
