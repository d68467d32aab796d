/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the proof log's reader, recovery and chain check
 * (prover/prooflog*.c): after a crash, a disk error or tampering, the file
 * a restart or `zkclob verify-log` reads is untrusted.
 *
 * Input: one mode byte, then the file's bytes. Mode bit 0 re-seals the
 * file first (header crc, and the crc of every record whose framing is
 * plausible) so that mutations get past the checksums and reach the
 * framing, padding, sequence and chain logic; bit 1 recovers with
 * ZK_PROOFLOG_REPAIR.
 * Checked on every input, else abort():
 *  - nothing crashes; the reader never changes the file;
 *  - the reader yields records at contiguous 8-aligned offsets, each
 *    inside the file, with contiguous seqs from the header's first seq and
 *    lengths that fit their type, and each is in the file's bytes with
 *    its magic, version, crc and zero padding (checked independently of
 *    the reader); it ends with 0 (torn_tail set when bytes
 *    are left) or -EBADMSG (middle corruption, a valid record after it);
 *  - zk_prooflog_check_chain() answers 0, 1 (naming a record the reader
 *    yielded) or the reader's -EBADMSG;
 *  - recovery on a scratch copy agrees with the reader: it keeps the same
 *    records and cuts the file to exactly the valid prefix, or refuses and
 *    leaves the copy byte-for-byte unchanged; a recovered file recovers
 *    again with nothing to do, opens for appending, takes one more record
 *    and reads back with it.
 *
 * Built a second time with -DZK_FUZZ_PROOFLOG_SEEDS (gcc, linked against
 * the library) it is the seed generator: `fuzz_prooflog_seed DIR LIST`
 * writes a real log (proof and skip records; sound, torn and damaged
 * copies) in each mode.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zkclob/prooflog.h"

#include "crc32c.h"
#include "fuzz_seed_util.h"
#include "prooflog_priv.h"

#define MODE_RESEAL 1u
#define MODE_REPAIR 2u

#ifndef ZK_FUZZ_PROOFLOG_SEEDS

static char dir[64];
static char orig_path[128], copy_path[128];

static void
remove_dir(void)
{
	unlink(orig_path);
	unlink(copy_path);
	rmdir(dir);
}

static void
write_file(const char *p, const uint8_t *b, size_t n)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0 || (n > 0 && write(fd, b, n) != (ssize_t)n) || close(fd))
		abort(); /* the harness's own I/O, not a finding */
}

/* True when the file at p holds exactly b[0..n). */
static bool
file_is(const char *p, const uint8_t *b, size_t n)
{
	struct stat sb;
	uint8_t *got;
	bool same;
	int fd = open(p, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &sb) != 0)
		abort();
	if ((size_t)sb.st_size != n) {
		close(fd);
		return false;
	}
	got = malloc(n + 1);
	if (got == NULL || read(fd, got, n) != (ssize_t)n)
		abort();
	close(fd);
	same = memcmp(got, b, n) == 0;
	free(got);
	return same;
}

static void
reseal(uint8_t *b, size_t n)
{
	uint64_t salt, off = PLOG_FILE_HDR_SIZE;

	if (n < PLOG_FILE_HDR_SIZE)
		return;
	plog_put32(b + 60, zk_crc32c(0, b, 60));
	salt = plog_get64(b + 16);
	while (off <= n && n - off >= PLOG_REC_HDR_SIZE) {
		uint8_t *r = b + off;
		uint32_t len = plog_get32(r + 24);

		if (len < PLOG_REC_HDR_SIZE || len > n - off)
			break;
		plog_put32(r + PLOG_REC_CRC_OFF, plog_record_crc(salt, r, len));
		off += plog_pad(len);
	}
}

struct pass {
	int open_rc;     /* reader_open's answer */
	int rc;          /* the last reader_next's answer */
	uint64_t records;
	uint64_t valid_end;
	uint64_t first_seq;
};

/* A yielded record must be one the file really holds: checked on the
 * bytes, independently of the reader's own validation. */
static void
check_bytes(const uint8_t *b, const struct zk_prooflog_record *rec)
{
	const uint8_t *r = b + rec->offset;
	uint64_t padded = plog_pad(rec->length);

	if (plog_get32(r) != PLOG_REC_MAGIC || r[4] != PLOG_REC_VERSION ||
	    r[5] != rec->type || plog_get16(r + 6) != 0 ||
	    plog_get64(r + 8) != rec->seq ||
	    plog_get32(r + 24) != rec->length ||
	    plog_get32(r + PLOG_REC_CRC_OFF) !=
		    plog_record_crc(plog_get64(b + 16), r, rec->length))
		abort();
	for (uint64_t i = rec->length; i < padded; i++)
		if (r[i] != 0)
			abort();
	if (rec->type == ZK_PROOFLOG_REC_PROOF && rec->proof_len > 0 &&
	    memcmp(rec->proof, r + PLOG_PROOF_MIN_LEN, rec->proof_len) != 0)
		abort();
}

/* b: the file's bytes, or NULL to skip check_bytes(). */
static void
reader_pass(const char *p, const uint8_t *b, uint64_t size, struct pass *out)
{
	struct zk_prooflog_reader *rd;
	struct zk_prooflog_record rec;
	const struct zk_prooflog_scan *scan;
	uint64_t off = PLOG_FILE_HDR_SIZE;
	char err[ZK_PROOFLOG_ERRLEN];
	int rc;

	memset(out, 0, sizeof(*out));
	out->open_rc = zk_prooflog_reader_open(p, &rd, err, sizeof(err));
	if (out->open_rc != 0) {
		if ((out->open_rc != -EBADMSG &&
		     out->open_rc != -EPROTONOSUPPORT) || err[0] == '\0')
			abort();
		return;
	}
	zk_prooflog_reader_header(rd, NULL, &out->first_seq);
	while ((rc = zk_prooflog_reader_next(rd, &rec)) == 1) {
		if (rec.offset != off || rec.offset % PLOG_ALIGN != 0 ||
		    rec.length > size || plog_pad(rec.length) > size - off ||
		    rec.seq != out->first_seq + out->records)
			abort(); /* a record that is not where the file says */
		if (rec.type == ZK_PROOFLOG_REC_PROOF) {
			if (rec.length < PLOG_PROOF_MIN_LEN ||
			    rec.proof_len != rec.length - PLOG_PROOF_MIN_LEN ||
			    (rec.proof_len > 0 && rec.proof == NULL))
				abort();
		} else if (rec.type != ZK_PROOFLOG_REC_SKIP ||
			   rec.length != PLOG_SKIP_LEN) {
			abort();
		}
		if (b != NULL)
			check_bytes(b, &rec);
		off += plog_pad(rec.length);
		out->records++;
	}
	scan = zk_prooflog_reader_scan(rd);
	if (scan->records != out->records || scan->valid_end != off ||
	    scan->file_size != size)
		abort();
	if (rc == 0 && off != size && !scan->torn_tail)
		abort(); /* bytes left over, not reported */
	if (rc == -EBADMSG &&
	    (!scan->middle_corruption || scan->next_valid_offset <= off ||
	     scan->next_valid_offset >= size))
		abort();
	if (rc != 0 && rc != -EBADMSG)
		abort();
	out->rc = rc;
	out->valid_end = off;
	zk_prooflog_reader_close(rd);
}

static void
chain_pass(const char *p, const struct pass *seen)
{
	struct zk_prooflog_reader *rd;
	struct zk_prooflog_chain_result res;
	int rc;

	if (zk_prooflog_reader_open(p, &rd, NULL, 0) != 0)
		abort();
	memset(&res, 0, sizeof(res));
	rc = zk_prooflog_check_chain(rd, NULL, &res);
	zk_prooflog_reader_close(rd);
	if (rc == 1) {
		if (res.error == ZK_CHAIN_OK ||
		    res.record_seq < seen->first_seq ||
		    res.record_seq - seen->first_seq >= seen->records ||
		    res.offset >= seen->valid_end || res.message[0] == '\0' ||
		    zk_prooflog_chain_error_str(res.error) == NULL)
			abort();
	} else if (rc != (seen->rc == 0 ? 0 : -EBADMSG)) {
		abort();
	}
}

/* A recovered file: nothing left to do, and it takes appends. */
static void
check_recovered(const struct zk_prooflog_scan *rec_scan)
{
	struct zk_prooflog_opts opts = {
		.sync = ZK_PROOFLOG_SYNC_EACH,
		.buffer_bytes = 1u << 16,
	};
	struct zk_prooflog_scan scan;
	struct zk_prooflog *log;
	struct stat sb;
	struct pass after;
	uint64_t seq;

	if (zk_prooflog_recover(copy_path, 0, &scan) != 0 || scan.torn_tail ||
	    scan.truncated || scan.middle_corruption ||
	    scan.records != rec_scan->records ||
	    scan.last_seq != rec_scan->last_seq)
		abort();
	if (zk_prooflog_open(copy_path, 0, &opts, &log, &scan) != 0)
		abort();
	if (zk_prooflog_append_skip(log, 1, 10, 20, 0, &seq) != 0 ||
	    zk_prooflog_close(log) != 0)
		abort();
	if (stat(copy_path, &sb) != 0)
		abort();
	reader_pass(copy_path, NULL, (uint64_t)sb.st_size, &after);
	if (after.open_rc != 0 || after.rc != 0 ||
	    after.records != rec_scan->records + 1)
		abort();
}

static void
check_recovery(const uint8_t *b, size_t n, unsigned mode,
	       const struct pass *seen)
{
	unsigned flags = (mode & MODE_REPAIR) ? ZK_PROOFLOG_REPAIR : 0;
	struct zk_prooflog_scan scan;
	int rc;

	write_file(copy_path, b, n);
	rc = zk_prooflog_recover(copy_path, flags, &scan);
	if (seen->open_rc != 0) {
		if (rc >= 0 || !file_is(copy_path, b, n))
			abort(); /* recovered a file the reader cannot open */
		return;
	}
	if (seen->rc == -EBADMSG && flags == 0) {
		if (rc != -EBADMSG || !file_is(copy_path, b, n))
			abort(); /* refused, but changed the file */
		return;
	}
	if (rc != 0 || scan.records != seen->records ||
	    scan.valid_end != seen->valid_end ||
	    !file_is(copy_path, b, (size_t)seen->valid_end))
		abort(); /* kept something else than the valid prefix */
	check_recovered(&scan);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pass seen;
	uint8_t *b;
	size_t n;

	if (dir[0] == '\0') {
		const char *base = getenv("TMPDIR");

		snprintf(dir, sizeof(dir), "%s/fuzz_prooflog.XXXXXX",
			 base != NULL && strlen(base) < 32 ? base : "/dev/shm");
		if (mkdtemp(dir) == NULL)
			abort();
		snprintf(orig_path, sizeof(orig_path), "%s/orig.plog", dir);
		snprintf(copy_path, sizeof(copy_path), "%s/copy.plog", dir);
		atexit(remove_dir);
	}
	if (size < 1)
		return 0;
	n = size - 1;
	b = malloc(n + 1);
	if (b == NULL)
		return 0;
	memcpy(b, data + 1, n);
	if (data[0] & MODE_RESEAL)
		reseal(b, n);
	write_file(orig_path, b, n);

	reader_pass(orig_path, b, n, &seen);
	if (seen.open_rc == 0)
		chain_pass(orig_path, &seen);
	if (!file_is(orig_path, b, n))
		abort(); /* a read-only pass changed the file */
	check_recovery(b, n, data[0], &seen);
	free(b);
	return 0;
}

#else /* seed generator */

static int
emit_log(struct fuzz_seeds *s, const char *p, size_t cut, long flip)
{
	static uint8_t buf[1u << 20];
	FILE *f = fopen(p, "rb");
	uint8_t mode;
	size_t n;

	if (f == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (cut > 0 && cut < n)
		n -= cut;
	if (flip >= 0 && (size_t)flip < n)
		buf[flip] ^= 0x08;
	for (mode = 0; mode <= (MODE_RESEAL | MODE_REPAIR); mode++)
		if (fuzz_seeds_emit2(s, &mode, 1, buf, n) != 0)
			return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	struct zk_prooflog_scan scan;
	struct zk_statement st;
	struct zk_prooflog *log;
	struct fuzz_seeds s;
	uint8_t proof[96];
	char p[4096];
	int rc = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: %s CORPUS_DIR SEED_LIST_FILE\n", argv[0]);
		return 2;
	}
	if (fuzz_seeds_open(&s, "fuzz_prooflog_seed", argv[1], argv[2]) != 0)
		return 1;
	snprintf(p, sizeof(p), "%s/honest.plog", argv[1]);
	unlink(p);
	if (zk_prooflog_open(p, ZK_PROOFLOG_CREATE, NULL, &log, &scan) != 0) {
		fprintf(stderr, "fuzz_prooflog_seed: cannot create %s\n", p);
		return 1;
	}
	/* Three chained batches of 16 ops, a skipped gap, one more batch. */
	memset(&st, 0, sizeof(st));
	st.market = 1;
	st.params_id = 1;
	for (int i = 0; i < 4 && rc == 0; i++) {
		memcpy(st.old_root, st.new_root, sizeof(st.old_root));
		memset(st.new_root, 0x10 + i, sizeof(st.new_root));
		memset(st.ops_digest, 0x40 + i, sizeof(st.ops_digest));
		memset(st.events_digest, 0x70 + i, sizeof(st.events_digest));
		st.batch_seq = (uint64_t)i + 1;
		st.first_seq = (uint64_t)i * 16 + 1 + (i == 3 ? 8 : 0);
		st.last_seq = st.first_seq + 15;
		for (size_t k = 0; k < sizeof(proof); k++)
			proof[k] = (uint8_t)(k * 7 + (size_t)i);
		if (i == 3)
			rc = zk_prooflog_append_skip(log, 1, 49, 56, 1, NULL);
		if (rc == 0)
			rc = zk_prooflog_append_proof(log, &st, proof,
						      (size_t)(40 + i * 17),
						      NULL);
	}
	if (rc != 0 || zk_prooflog_close(log) != 0) {
		fprintf(stderr, "fuzz_prooflog_seed: writing %s failed\n", p);
		return 1;
	}
	/* sound, torn tail, a damaged first record (corruption in the
	 * middle), a damaged last record */
	if (emit_log(&s, p, 0, -1) != 0 || emit_log(&s, p, 13, -1) != 0 ||
	    emit_log(&s, p, 0, PLOG_FILE_HDR_SIZE + 40) != 0 ||
	    emit_log(&s, p, 0, 0x2e0) != 0)
		return 1;
	unlink(p);
	return fuzz_seeds_close(&s) == 0 ? 0 : 1;
}

#endif
