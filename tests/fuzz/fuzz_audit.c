/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the audit log's verifier, reader, payload decoder
 * and open-time recovery (telemetry/audit*.c): a log on disk is untrusted
 * (an operator or a third party verifies a file it was handed).
 *
 * Input: one mode byte, then the file's bytes. Mode bit 0 asks the harness
 * to re-seal the file first: recompute the header check, every record's
 * keyed header check, prev_hash and hash, so that mutated payloads get past
 * the chain and reach the payload decoder (raw mode tests the checks).
 * Checked on every input, else abort():
 *  - nothing crashes; zk_audit_verify() answers 0 or -EBADMSG;
 *  - a reader pass agrees with it (same answer, status, record count,
 *    valid bytes and head), never yields a record past the file end, and
 *    yields records at contiguous offsets with seq 0, 1, 2 ..., each
 *    really in the file and chained (header check, prev_hash and hash
 *    recomputed from the bytes, independently of the reader); every
 *    yielded record decodes, and its strings lie inside its payload;
 *  - a sound file or a torn tail: zk_audit_open() recovers it, and then
 *    the file verifies with the same records, ending at valid_bytes; one
 *    more append verifies too;
 *  - other damage: open refuses with -EBADMSG and changes nothing; with
 *    ZK_AUDIT_REPAIR it starts a new file that verifies (one chain-break
 *    record) and keeps the damaged bytes, unchanged, at broken_path;
 *  - zk_audit_anchor_parse() of the input as text: whatever parses formats
 *    and parses back to the same anchor.
 *
 * Built a second time with -DZK_FUZZ_AUDIT_SEEDS (gcc, linked against the
 * library) it is the seed generator: `fuzz_audit_seed DIR LIST` writes
 * real logs (every record type; sound, torn and tampered) in both modes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zkclob/audit.h"

#include "audit_format.h"
#include "fuzz_seed_util.h"

#define MODE_RESEAL 1u

#ifndef ZK_FUZZ_AUDIT_SEEDS

static char dir[64];
static char path[128];

static void
remove_dir(void)
{
	unlink(path);
	rmdir(dir);
}

static void
write_file(const char *p, const uint8_t *b, size_t n)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0 || (n > 0 && write(fd, b, n) != (ssize_t)n) || close(fd))
		abort(); /* the harness's own I/O, not a finding */
}

static uint8_t *
read_file(const char *p, size_t *n)
{
	struct stat sb;
	uint8_t *b;
	int fd = open(p, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &sb) != 0)
		abort();
	b = malloc((size_t)sb.st_size + 1);
	if (b == NULL || read(fd, b, (size_t)sb.st_size) != sb.st_size)
		abort();
	close(fd);
	*n = (size_t)sb.st_size;
	return b;
}

/* Make every check and hash match, as an honest writer would have. */
static void
reseal(uint8_t *b, size_t n)
{
	uint8_t head[ZK_AUDIT_HASH_SIZE];
	size_t off = AUDIT_FILE_HEADER_SIZE;

	if (n < AUDIT_FILE_HEADER_SIZE)
		return;
	audit_file_check(b, b + AUDIT_FILE_CHECK_OFF);
	audit_genesis(b, head);
	while (n - off >= AUDIT_REC_HEADER_SIZE) {
		uint8_t *r = b + off;
		uint32_t len = audit_get32(r + 4);

		audit_record_check(b + 16, r, r + AUDIT_REC_CHECK_OFF);
		if (len < AUDIT_REC_OVERHEAD || len > n - off)
			break;
		memcpy(r + AUDIT_REC_HEADER_SIZE, head, ZK_AUDIT_HASH_SIZE);
		audit_record_hash(head, r, r + AUDIT_REC_OVERHEAD -
					   ZK_AUDIT_HASH_SIZE,
				  len - AUDIT_REC_OVERHEAD,
				  r + len - ZK_AUDIT_HASH_SIZE);
		memcpy(head, r + len - ZK_AUDIT_HASH_SIZE, ZK_AUDIT_HASH_SIZE);
		off += len;
	}
}

static void
check_str(const struct zk_audit_record *rec, const struct zk_audit_str *s)
{
	const char *lo = (const char *)rec->payload;

	if (s->len > 0 && (s->ptr < lo || s->ptr + s->len > lo +
				       rec->payload_len))
		abort();
}

static void
check_entry(const struct zk_audit_record *rec)
{
	struct zk_audit_entry e;

	if (zk_audit_decode(rec, &e) != 0 || e.type != rec->type)
		abort(); /* the reader yielded what does not decode */
	switch (e.type) {
	case ZK_AUDIT_PROOF:
		check_str(rec, &e.proof.backend);
		break;
	case ZK_AUDIT_VERIFY_FAIL:
		check_str(rec, &e.verify_fail.backend);
		check_str(rec, &e.verify_fail.reason);
		break;
	case ZK_AUDIT_CONFIG_CHANGE:
		check_str(rec, &e.config.path);
		check_str(rec, &e.config.changes);
		break;
	case ZK_AUDIT_OPERATOR:
		if (e.operator_cmd.argc > ZK_AUDIT_MAX_ARGS)
			abort();
		for (uint32_t i = 0; i < e.operator_cmd.argc; i++)
			check_str(rec, &e.operator_cmd.argv[i]);
		break;
	case ZK_AUDIT_CHAIN_BREAK:
		check_str(rec, &e.chain_break.broken_path);
		break;
	default:
		abort(); /* decoded an unknown type */
	}
}

/* A yielded record must be what the file holds, chained to the one
 * before: checked on the bytes, independently of the reader. */
static void
check_bytes(const uint8_t *b, const struct zk_audit_record *rec,
	    uint8_t head[ZK_AUDIT_HASH_SIZE])
{
	const uint8_t *r = b + rec->offset;
	uint32_t len = AUDIT_REC_OVERHEAD + rec->payload_len;
	uint8_t check[8], hash[ZK_AUDIT_HASH_SIZE];

	audit_record_check(b + 16, r, check);
	if (audit_get32(r) != AUDIT_REC_MAGIC || audit_get32(r + 4) != len ||
	    audit_get64(r + 8) != rec->seq ||
	    audit_get16(r + 32) != (uint16_t)rec->type ||
	    memcmp(check, r + AUDIT_REC_CHECK_OFF, 8) != 0 ||
	    memcmp(r + AUDIT_REC_HEADER_SIZE, head, ZK_AUDIT_HASH_SIZE) != 0 ||
	    (rec->payload_len > 0 &&
	     memcmp(rec->payload, r + AUDIT_REC_HEADER_SIZE +
		    ZK_AUDIT_HASH_SIZE, rec->payload_len) != 0))
		abort();
	audit_record_hash(head, r, r + AUDIT_REC_HEADER_SIZE +
			  ZK_AUDIT_HASH_SIZE, rec->payload_len, hash);
	if (memcmp(hash, r + len - ZK_AUDIT_HASH_SIZE, ZK_AUDIT_HASH_SIZE) != 0 ||
	    memcmp(hash, rec->hash, ZK_AUDIT_HASH_SIZE) != 0)
		abort();
	memcpy(head, hash, ZK_AUDIT_HASH_SIZE);
}

/* A reader pass over p (whose bytes are b, or NULL to skip the byte
 * checks); returns its final answer and fills rep. */
static int
reader_pass(const char *p, const uint8_t *b, uint64_t size,
	    struct zk_audit_report *rep)
{
	uint8_t head[ZK_AUDIT_HASH_SIZE];
	struct zk_audit_reader *r;
	struct zk_audit_record rec;
	uint64_t expect_off = AUDIT_FILE_HEADER_SIZE, n = 0;
	int rc;

	if (zk_audit_reader_open(p, &r) != 0)
		abort();
	if (b != NULL && size >= AUDIT_FILE_HEADER_SIZE)
		audit_genesis(b, head);
	while ((rc = zk_audit_reader_next(r, &rec)) == 1) {
		uint64_t len = AUDIT_REC_OVERHEAD + (uint64_t)rec.payload_len;

		if (rec.offset != expect_off || rec.seq != n ||
		    rec.offset + len > size ||
		    rec.payload_len > ZK_AUDIT_MAX_PAYLOAD)
			abort();
		check_entry(&rec);
		if (b != NULL)
			check_bytes(b, &rec, head);
		expect_off += len;
		n++;
	}
	zk_audit_reader_report(r, rep);
	zk_audit_reader_close(r);
	if (rep->records != n || (rc == 0 && rep->valid_bytes != expect_off))
		abort();
	return rc;
}

static void
verify_ok(const char *p, uint64_t records)
{
	struct zk_audit_report rep;

	if (zk_audit_verify(p, &rep) != 0 || rep.records != records)
		abort();
}

static void
check_recovery(const struct zk_audit_report *seen, uint64_t size)
{
	struct zk_audit_report rep;
	struct zk_audit *log;
	const char *argv[] = { "fuzz", "append" };
	struct stat sb;

	if (zk_audit_open(path, NULL, &log, &rep) != 0)
		abort();
	if (rep.records != seen->records ||
	    memcmp(rep.head, seen->head, ZK_AUDIT_HASH_SIZE) != 0)
		abort();
	if (stat(path, &sb) != 0 || (uint64_t)sb.st_size !=
	    (seen->status == ZK_AUDIT_OK ? size : seen->valid_bytes))
		abort();
	if (zk_audit_operator_command(log, 0, 2, argv) != 0 ||
	    zk_audit_close(log) != 0)
		abort();
	verify_ok(path, seen->records + 1);
}

static void
check_refusal(const uint8_t *b, size_t n)
{
	struct zk_audit_options opts = { .flags = ZK_AUDIT_REPAIR };
	struct zk_audit_report rep;
	struct zk_audit *log;
	uint8_t *kept;
	size_t kept_n;

	if (zk_audit_open(path, NULL, &log, &rep) != -EBADMSG)
		abort();
	kept = read_file(path, &kept_n);
	if (kept_n != n || memcmp(kept, b, n) != 0)
		abort(); /* a refused open changed the file */
	free(kept);

	if (zk_audit_open(path, &opts, &log, &rep) != 0 || !rep.repaired)
		abort();
	if (zk_audit_close(log) != 0)
		abort();
	verify_ok(path, 1);
	kept = read_file(rep.broken_path, &kept_n);
	if (kept_n != n || memcmp(kept, b, n) != 0)
		abort(); /* the damaged bytes were not kept as they were */
	free(kept);
	unlink(rep.broken_path);
}

static void
check_anchor_text(const uint8_t *data, size_t size)
{
	struct zk_audit_anchor a, b;
	char text[ZK_AUDIT_ANCHOR_TEXT + 8];
	size_t n = size < sizeof(text) - 1 ? size : sizeof(text) - 1;

	memcpy(text, data, n);
	text[n] = '\0';
	if (zk_audit_anchor_parse(text, &a) != 0)
		return;
	if (zk_audit_anchor_format(&a, text, sizeof(text)) != 0 ||
	    zk_audit_anchor_parse(text, &b) != 0 || a.records != b.records ||
	    memcmp(a.head, b.head, ZK_AUDIT_HASH_SIZE) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zk_audit_report vrep, rrep;
	uint8_t *b;
	size_t n;
	int vrc, rrc;

	if (dir[0] == '\0') {
		const char *base = getenv("TMPDIR");

		snprintf(dir, sizeof(dir), "%s/fuzz_audit.XXXXXX",
			 base != NULL && strlen(base) < 32 ? base : "/dev/shm");
		if (mkdtemp(dir) == NULL)
			abort();
		snprintf(path, sizeof(path), "%s/audit.log", dir);
		atexit(remove_dir);
	}
	if (size < 1)
		return 0;
	check_anchor_text(data + 1, size - 1);
	n = size - 1;
	b = malloc(n + 1);
	if (b == NULL)
		return 0;
	memcpy(b, data + 1, n);
	if (data[0] & MODE_RESEAL)
		reseal(b, n);
	write_file(path, b, n);

	vrc = zk_audit_verify(path, &vrep);
	rrc = reader_pass(path, b, n, &rrep);
	if ((vrc != 0 && vrc != -EBADMSG) || vrc != rrc ||
	    vrep.status != rrep.status || vrep.records != rrep.records ||
	    vrep.valid_bytes != rrep.valid_bytes ||
	    memcmp(vrep.head, rrep.head, ZK_AUDIT_HASH_SIZE) != 0)
		abort();
	if ((vrc == 0) != (vrep.status == ZK_AUDIT_OK))
		abort();

	if (vrep.status == ZK_AUDIT_OK || vrep.status == ZK_AUDIT_TORN_TAIL)
		check_recovery(&vrep, n);
	else
		check_refusal(b, n);
	free(b);
	unlink(path);
	return 0;
}

#else /* seed generator */

#include "zkclob/statement.h"

static int
emit_log(struct fuzz_seeds *s, const char *p, size_t cut, int flip)
{
	static uint8_t buf[1u << 20];
	uint8_t mode;
	FILE *f = fopen(p, "rb");
	size_t n;

	if (f == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (cut > 0 && cut < n)
		n -= cut;
	if (flip >= 0 && (size_t)flip < n)
		buf[flip] ^= 0x40;
	for (mode = 0; mode <= MODE_RESEAL; mode++)
		if (fuzz_seeds_emit2(s, &mode, 1, buf, n) != 0)
			return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	static const char old_conf[] = "[batch]\nmax_ops = 64\n";
	static const char new_conf[] = "[batch]\nmax_ops = 128\n[gen]\nseed = 3\n";
	const char *cmd[] = { "zkclob", "verify-log", "--anchor", "3:00" };
	struct zk_statement st;
	struct zk_audit *log;
	struct fuzz_seeds s;
	uint8_t proof_hash[ZK_AUDIT_HASH_SIZE];
	char p[4096];

	if (argc != 3) {
		fprintf(stderr, "usage: %s CORPUS_DIR SEED_LIST_FILE\n", argv[0]);
		return 2;
	}
	if (fuzz_seeds_open(&s, "fuzz_audit_seed", argv[1], argv[2]) != 0)
		return 1;
	snprintf(p, sizeof(p), "%s/honest.log", argv[1]);
	unlink(p);
	if (zk_audit_open(p, NULL, &log, NULL) != 0) {
		fprintf(stderr, "fuzz_audit_seed: cannot create %s\n", p);
		return 1;
	}
	memset(&st, 0, sizeof(st));
	st.market = 1;
	st.batch_seq = 7;
	st.first_seq = 100;
	st.last_seq = 163;
	memset(st.old_root, 0x11, sizeof(st.old_root));
	memset(st.new_root, 0x22, sizeof(st.new_root));
	memset(proof_hash, 0x33, sizeof(proof_hash));
	if (zk_audit_proof(log, &st, "stark-fast", proof_hash, 4096) != 0 ||
	    zk_audit_verify_failure(log, &st, "external", NULL,
				    "verifier rejected: bad FRI query") != 0 ||
	    zk_audit_config_change(log, "/etc/zkclob.conf", old_conf,
				   strlen(old_conf), new_conf,
				   strlen(new_conf)) != 0 ||
	    zk_audit_operator_command(log, 1000, 4, cmd) != 0 ||
	    zk_audit_operator_signal(log, 0, 1) != 0 ||
	    zk_audit_close(log) != 0) {
		fprintf(stderr, "fuzz_audit_seed: writing %s failed\n", p);
		return 1;
	}
	/* sound, torn tail, a flipped payload byte, a flipped header byte */
	if (emit_log(&s, p, 0, -1) != 0 || emit_log(&s, p, 17, -1) != 0 ||
	    emit_log(&s, p, 0, 200) != 0 || emit_log(&s, p, 0, 70) != 0)
		return 1;
	unlink(p);
	return fuzz_seeds_close(&s) == 0 ? 0 : 1;
}

#endif
