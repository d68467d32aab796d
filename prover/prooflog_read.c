/* SPDX-License-Identifier: MIT */
/*
 * Proof log reading: record validation, the torn-tail / middle-corruption
 * classification, recovery, and the chain checks. The format is described
 * at the top of prooflog.c.
 *
 * Telling a torn tail from corruption in the middle: when the record at
 * offset X does not validate, every later 8-byte-aligned offset is tried
 * as a record start. A valid record there (magic, sane length, matching
 * crc, zero padding, a sequence number past the last good one) means that
 * good data follows the damage, which a crash of an append-only writer
 * cannot produce, so it is reported and never silently cut off.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crc32c.h"
#include "prooflog_priv.h"

#define SCAN_CHUNK (1u << 20)

struct zk_prooflog_reader {
	int fd;
	bool own_fd;
	struct plog_file_hdr hdr;
	uint64_t pos;
	uint64_t expect_seq;
	bool done;
	int done_rc;
	uint8_t *buf;
	size_t cap;
	struct zk_prooflog_scan scan;
};

static void
set_reason(struct zk_prooflog_scan *scan, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
set_reason(struct zk_prooflog_scan *scan, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(scan->reason, sizeof(scan->reason), fmt, ap);
	va_end(ap);
}

uint32_t
plog_record_crc(uint64_t salt, const uint8_t *rec, uint32_t len)
{
	uint8_t s[8];
	uint32_t crc;

	plog_put64(s, salt);
	crc = zk_crc32c(0, s, sizeof(s));
	crc = zk_crc32c(crc, rec, PLOG_REC_CRC_OFF);
	return zk_crc32c(crc, rec + PLOG_REC_HDR_SIZE, len - PLOG_REC_HDR_SIZE);
}

void
plog_encode_file_hdr(const struct plog_file_hdr *h,
		     uint8_t out[PLOG_FILE_HDR_SIZE])
{
	static const char creator[PLOG_CREATOR_LEN] = "zkclob proof log";

	memset(out, 0, PLOG_FILE_HDR_SIZE);
	memcpy(out, PLOG_FILE_MAGIC, 8);
	plog_put16(out + 8, PLOG_FORMAT_VERSION);
	plog_put16(out + 10, PLOG_FILE_HDR_SIZE);
	plog_put32(out + 12, PLOG_ALIGN);
	plog_put64(out + 16, h->salt);
	plog_put64(out + 24, h->created_ns);
	plog_put64(out + 32, h->first_seq);
	memcpy(out + 40, creator, PLOG_CREATOR_LEN);
	plog_put32(out + 60, zk_crc32c(0, out, 60));
}

static int
pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	uint8_t *p = buf;

	while (len > 0) {
		ssize_t n = pread(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ENODATA;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

static int
decode_file_hdr(int fd, uint64_t size, struct plog_file_hdr *h, char *err,
		size_t errlen)
{
	uint8_t b[PLOG_FILE_HDR_SIZE];
	int rc;

	if (size < PLOG_FILE_HDR_SIZE) {
		snprintf(err, errlen,
			 "not a proof log: %" PRIu64 " bytes, shorter than "
			 "the %d-byte file header", size, PLOG_FILE_HDR_SIZE);
		return -EBADMSG;
	}
	rc = pread_full(fd, b, sizeof(b), 0);
	if (rc < 0) {
		snprintf(err, errlen, "reading the file header: %s",
			 strerror(-rc));
		return rc;
	}
	if (memcmp(b, PLOG_FILE_MAGIC, 8) != 0) {
		snprintf(err, errlen, "not a proof log: bad file magic");
		return -EBADMSG;
	}
	if (plog_get32(b + 60) != zk_crc32c(0, b, 60)) {
		snprintf(err, errlen, "file header checksum mismatch");
		return -EBADMSG;
	}
	if (plog_get16(b + 8) != PLOG_FORMAT_VERSION ||
	    plog_get16(b + 10) != PLOG_FILE_HDR_SIZE ||
	    plog_get32(b + 12) != PLOG_ALIGN) {
		snprintf(err, errlen,
			 "unsupported proof log format version %u",
			 plog_get16(b + 8));
		return -EPROTONOSUPPORT;
	}
	h->salt = plog_get64(b + 16);
	h->created_ns = plog_get64(b + 24);
	h->first_seq = plog_get64(b + 32);
	if (h->first_seq == 0) {
		snprintf(err, errlen, "file header: first record seq is 0");
		return -EBADMSG;
	}
	return 0;
}

static int
reserve(struct zk_prooflog_reader *rd, size_t len)
{
	uint8_t *nb;

	if (len <= rd->cap)
		return 0;
	nb = realloc(rd->buf, len);
	if (nb == NULL)
		return -ENOMEM;
	rd->buf = nb;
	rd->cap = len;
	return 0;
}

/*
 * Validate the record at off. min_seq/exact: the seq it must have (exact)
 * or at least have. Returns 1 valid (record in rd->buf), 0 invalid (why
 * says why), negative errno on I/O error.
 */
static int
check_record(struct zk_prooflog_reader *rd, uint64_t off, uint64_t min_seq,
	     bool exact, char *why, size_t whylen)
{
	uint64_t size = rd->scan.file_size, padded, seq;
	uint8_t h[PLOG_REC_HDR_SIZE];
	uint32_t len;
	uint8_t type;
	int rc;

	if (size - off < PLOG_REC_HDR_SIZE) {
		snprintf(why, whylen, "partial record header (%" PRIu64
			 " bytes)", size - off);
		return 0;
	}
	rc = pread_full(rd->fd, h, sizeof(h), off);
	if (rc < 0)
		return rc;
	type = h[5];
	len = plog_get32(h + 24);
	seq = plog_get64(h + 8);
	if (plog_get32(h) != PLOG_REC_MAGIC) {
		snprintf(why, whylen, "bad record magic");
		return 0;
	}
	if (h[4] != PLOG_REC_VERSION || plog_get16(h + 6) != 0) {
		snprintf(why, whylen, "unknown record version %u / flags %#x",
			 h[4], plog_get16(h + 6));
		return 0;
	}
	if (!(type == ZK_PROOFLOG_REC_PROOF && len >= PLOG_PROOF_MIN_LEN &&
	      len <= ZK_PROOFLOG_MAX_RECORD) &&
	    !(type == ZK_PROOFLOG_REC_SKIP && len == PLOG_SKIP_LEN) &&
	    !(type == ZK_PROOFLOG_REC_RESTART && len == PLOG_RESTART_LEN) &&
	    !(type == ZK_PROOFLOG_REC_RESYNC && len == PLOG_RESYNC_LEN) &&
	    !(type == ZK_PROOFLOG_REC_UNPROVEN && len >= PLOG_UNPROVEN_MIN_LEN &&
	      len <= PLOG_UNPROVEN_MIN_LEN + ZK_PROOFLOG_TEXT_MAX)) {
		snprintf(why, whylen, "bad record type %u or length %" PRIu32,
			 type, len);
		return 0;
	}
	padded = plog_pad(len);
	if (padded > size - off) {
		snprintf(why, whylen, "record of %" PRIu32 " bytes runs past "
			 "the end of the file (partial write)", len);
		return 0;
	}
	rc = reserve(rd, padded);
	if (rc < 0)
		return rc;
	rc = pread_full(rd->fd, rd->buf, padded, off);
	if (rc < 0)
		return rc;
	if (plog_record_crc(rd->hdr.salt, rd->buf, len) !=
	    plog_get32(rd->buf + PLOG_REC_CRC_OFF)) {
		snprintf(why, whylen, "record checksum mismatch");
		return 0;
	}
	for (uint64_t i = len; i < padded; i++) {
		if (rd->buf[i] != 0) {
			snprintf(why, whylen, "non-zero padding byte");
			return 0;
		}
	}
	if (type == ZK_PROOFLOG_REC_UNPROVEN &&
	    plog_get32(rd->buf + PLOG_PROOF_MIN_LEN + 4) !=
		    len - PLOG_UNPROVEN_MIN_LEN) {
		snprintf(why, whylen, "unproven record's text length disagrees "
			 "with its record length");
		return 0;
	}
	if (exact ? seq != min_seq : seq < min_seq) {
		snprintf(why, whylen, "record seq %" PRIu64 " where %" PRIu64
			 " was expected", seq, min_seq);
		return 0;
	}
	return 1;
}

/* First valid record at an aligned offset >= from, or 0 when none. */
static int
find_next_valid(struct zk_prooflog_reader *rd, uint64_t from,
		uint64_t min_seq, uint64_t *found)
{
	uint64_t size = rd->scan.file_size;
	uint8_t *chunk = malloc(SCAN_CHUNK);
	char why[128];
	int rc = 0;

	if (chunk == NULL)
		return -ENOMEM;
	for (uint64_t base = from; base + 4 <= size && rc == 0;
	     base += SCAN_CHUNK) {
		size_t n = size - base < SCAN_CHUNK ? size - base : SCAN_CHUNK;

		rc = pread_full(rd->fd, chunk, n, base);
		for (size_t i = 0; rc == 0 && i + 4 <= n; i += PLOG_ALIGN) {
			if (plog_get32(chunk + i) != PLOG_REC_MAGIC)
				continue;
			rc = check_record(rd, base + i, min_seq, false, why,
					  sizeof(why));
			if (rc == 1)
				*found = base + i;
		}
	}
	free(chunk);
	return rc;
}

static void
fill_record(struct zk_prooflog_reader *rd, uint64_t off,
	    struct zk_prooflog_record *rec)
{
	const uint8_t *b = rd->buf;

	memset(rec, 0, sizeof(*rec));
	rec->type = b[5];
	rec->seq = plog_get64(b + 8);
	rec->durable_seq_at_write = plog_get64(b + 16);
	rec->length = plog_get32(b + 24);
	rec->offset = off;
	if (rec->type == ZK_PROOFLOG_REC_PROOF) {
		zk_statement_decode(b + PLOG_REC_HDR_SIZE, &rec->statement);
		rec->proof = b + PLOG_PROOF_MIN_LEN;
		rec->proof_len = rec->length - PLOG_PROOF_MIN_LEN;
	} else if (rec->type == ZK_PROOFLOG_REC_UNPROVEN) {
		size_t n = rec->length - PLOG_UNPROVEN_MIN_LEN;

		zk_statement_decode(b + PLOG_REC_HDR_SIZE, &rec->statement);
		rec->unproven_reason = plog_get32(b + PLOG_PROOF_MIN_LEN);
		memcpy(rec->unproven_text, b + PLOG_UNPROVEN_MIN_LEN, n);
		rec->unproven_text[n] = '\0';
	} else if (rec->type == ZK_PROOFLOG_REC_RESTART) {
		rec->restart_ns = plog_get64(b + PLOG_REC_HDR_SIZE);
	} else if (rec->type == ZK_PROOFLOG_REC_RESYNC) {
		struct zk_prooflog_resync *rs = &rec->resync;

		b += PLOG_REC_HDR_SIZE;
		rs->market = plog_get32(b);
		rs->reason = plog_get32(b + 4);
		rs->first_seq = plog_get64(b + 8);
		rs->last_seq = plog_get64(b + 16);
		rs->ops = plog_get64(b + 24);
		rs->batches = plog_get64(b + 32);
		rs->last_batch_seq = plog_get64(b + 40);
		memcpy(rs->new_root, b + 48, ZK_ROOT_SIZE);
	} else {
		b += PLOG_REC_HDR_SIZE;
		rec->skip.market = plog_get32(b);
		rec->skip.reason = plog_get32(b + 4);
		rec->skip.first_seq = plog_get64(b + 8);
		rec->skip.last_seq = plog_get64(b + 16);
	}
}

/* The record at pos is bad: torn tail (0) or middle corruption (-EBADMSG). */
static int
classify_damage(struct zk_prooflog_reader *rd, const char *why)
{
	struct zk_prooflog_scan *scan = &rd->scan;
	uint64_t found = 0, off;
	char w[128];
	int rc;

	scan->bad_offset = rd->pos;
	rc = find_next_valid(rd, rd->pos + PLOG_ALIGN, rd->expect_seq, &found);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		scan->torn_tail = true;
		set_reason(scan, "torn tail at offset %" PRIu64 " (%" PRIu64
			   " bytes): %s", rd->pos, scan->file_size - rd->pos,
			   why);
		return 0;
	}
	scan->middle_corruption = true;
	scan->next_valid_offset = found;
	/* Count what a repair would cut off, for the operator's decision. */
	for (off = found; off < scan->file_size;) {
		if (check_record(rd, off, rd->expect_seq, false, w,
				 sizeof(w)) != 1)
			break;
		scan->dropped_records++;
		off += plog_pad(plog_get32(rd->buf + 24));
	}
	set_reason(scan, "corruption in the middle of the log at offset %"
		   PRIu64 " (record seq %" PRIu64 "): %s; a valid record "
		   "follows at offset %" PRIu64, rd->pos, rd->expect_seq, why,
		   found);
	return -EBADMSG;
}

int
zk_prooflog_reader_next(struct zk_prooflog_reader *rd,
			struct zk_prooflog_record *rec)
{
	char why[128];
	int rc;

	if (rd == NULL || rec == NULL)
		return -EINVAL;
	if (rd->done)
		return rd->done_rc;
	if (rd->pos == rd->scan.file_size) {
		rd->done = true;
		rd->done_rc = 0;
		return 0;
	}
	rc = check_record(rd, rd->pos, rd->expect_seq, true, why, sizeof(why));
	if (rc == 1) {
		fill_record(rd, rd->pos, rec);
		rd->scan.records++;
		rd->scan.last_seq = rec->seq;
		if (rec->type == ZK_PROOFLOG_REC_PROOF ||
		    rec->type == ZK_PROOFLOG_REC_UNPROVEN) {
			rd->scan.have_statement = true;
			rd->scan.last_statement = rec->statement;
			rd->scan.last_statement_seq = rec->seq;
		}
		rd->pos += plog_pad(rec->length);
		rd->scan.valid_end = rd->pos;
		rd->expect_seq++;
		return 1;
	}
	if (rc == 0)
		rc = classify_damage(rd, why);
	rd->done = true;
	rd->done_rc = rc;
	return rc;
}

static int
reader_from_fd(int fd, bool own_fd, struct zk_prooflog_reader **out,
	       char *err, size_t errlen)
{
	struct zk_prooflog_reader *rd;
	struct stat st;
	int rc;

	if (fstat(fd, &st) != 0) {
		rc = -errno;
		snprintf(err, errlen, "fstat: %s", strerror(-rc));
		return rc;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "not a regular file");
		return -EINVAL;
	}
	rd = calloc(1, sizeof(*rd));
	if (rd == NULL)
		return -ENOMEM;
	rd->fd = fd;
	rd->own_fd = own_fd;
	rd->scan.file_size = (uint64_t)st.st_size;
	rc = decode_file_hdr(fd, rd->scan.file_size, &rd->hdr, err, errlen);
	if (rc < 0) {
		free(rd);
		return rc;
	}
	rd->pos = PLOG_FILE_HDR_SIZE;
	rd->scan.valid_end = PLOG_FILE_HDR_SIZE;
	rd->expect_seq = rd->hdr.first_seq;
	*out = rd;
	return 0;
}

int
zk_prooflog_reader_open(const char *path, struct zk_prooflog_reader **out,
			char *err, size_t errlen)
{
	char dummy[1];
	int fd, rc;

	if (err == NULL || errlen == 0) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	err[0] = '\0';
	if (path == NULL || path[0] == '\0' || out == NULL) {
		snprintf(err, errlen, "bad arguments");
		return -EINVAL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	rc = reader_from_fd(fd, true, out, err, errlen);
	if (rc < 0)
		close(fd);
	return rc;
}

const struct zk_prooflog_scan *
zk_prooflog_reader_scan(const struct zk_prooflog_reader *rd)
{
	return rd == NULL ? NULL : &rd->scan;
}

void
zk_prooflog_reader_header(const struct zk_prooflog_reader *rd,
			  uint64_t *created_ns, uint64_t *first_seq)
{
	if (rd == NULL)
		return;
	if (created_ns != NULL)
		*created_ns = rd->hdr.created_ns;
	if (first_seq != NULL)
		*first_seq = rd->hdr.first_seq;
}

void
zk_prooflog_reader_close(struct zk_prooflog_reader *rd)
{
	if (rd == NULL)
		return;
	if (rd->own_fd)
		close(rd->fd);
	free(rd->buf);
	free(rd);
}

int
plog_recover_fd(int fd, unsigned flags, struct zk_prooflog_scan *scan,
		struct plog_file_hdr *hdr)
{
	struct zk_prooflog_reader *rd;
	struct zk_prooflog_record rec;
	uint64_t cut;
	int rc;

	memset(scan, 0, sizeof(*scan));
	rc = reader_from_fd(fd, false, &rd, scan->reason,
			    sizeof(scan->reason));
	if (rc < 0)
		return rc;
	while ((rc = zk_prooflog_reader_next(rd, &rec)) == 1)
		;
	*scan = rd->scan;
	*hdr = rd->hdr;
	zk_prooflog_reader_close(rd);
	if (rc == -EBADMSG && !(flags & ZK_PROOFLOG_REPAIR))
		return rc;
	if (rc < 0 && rc != -EBADMSG)
		return rc;
	cut = scan->valid_end;
	if (cut == scan->file_size)
		return 0;
	if (ftruncate(fd, (off_t)cut) != 0 || fdatasync(fd) != 0) {
		rc = -errno;
		set_reason(scan, "truncating to %" PRIu64 ": %s", cut,
			   strerror(-rc));
		return rc;
	}
	scan->truncated = true;
	return 0;
}

/*
 * A writer that just died may hold its lock a little longer: the kernel
 * tears its io_uring (and the file reference in it) down asynchronously.
 */
int
plog_lock(int fd)
{
	for (int waited_ms = 0;; waited_ms++) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -errno;
		if (waited_ms >= PLOG_LOCK_WAIT_MS)
			return -EBUSY;
		usleep(1000);
	}
}

int
zk_prooflog_recover(const char *path, unsigned flags,
		    struct zk_prooflog_scan *scan)
{
	struct zk_prooflog_scan local;
	struct plog_file_hdr hdr;
	int fd, rc;

	if (scan == NULL)
		scan = &local;
	memset(scan, 0, sizeof(*scan));
	if (path == NULL || path[0] == '\0' ||
	    (flags & ~(unsigned)ZK_PROOFLOG_REPAIR) != 0) {
		set_reason(scan, "bad arguments");
		return -EINVAL;
	}
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		set_reason(scan, "%s: %s", path, strerror(-rc));
		return rc;
	}
	rc = plog_lock(fd);
	if (rc < 0) {
		set_reason(scan, "%s: locked by a writer", path);
		close(fd);
		return rc;
	}
	rc = plog_recover_fd(fd, flags, scan, &hdr);
	close(fd);
	return rc;
}

/* ---- chain checks ---- */

static const char *const chain_error_names[] = {
	[ZK_CHAIN_OK] = "ok",
	[ZK_CHAIN_BAD_RANGE] = "first_seq > last_seq",
	[ZK_CHAIN_ROOT_MISMATCH] = "old_root differs from the previous new_root",
	[ZK_CHAIN_SEQ_GAP] = "operation sequence gap without a skip record",
	[ZK_CHAIN_SEQ_OVERLAP] = "operations proven twice (sequence overlap)",
	[ZK_CHAIN_BATCH_SEQ] = "batch sequence number does not advance by 1",
	[ZK_CHAIN_SKIP_START] = "skip record does not start at the next op",
	[ZK_CHAIN_TOO_MANY_MARKETS] = "more markets than the per-market check tracks",
	[ZK_CHAIN_RESYNC_BATCH_SEQ] = "resync record's last batch seq is not the chain's",
};

const char *
zk_prooflog_chain_error_str(enum zk_prooflog_chain_error e)
{
	if ((unsigned)e >= sizeof(chain_error_names) / sizeof(*chain_error_names))
		return "unknown chain error";
	return chain_error_names[e];
}

void
zk_prooflog_chain_init(struct zk_prooflog_chain *chain,
		       const struct zk_statement *anchor)
{
	memset(chain, 0, sizeof(*chain));
	if (anchor == NULL)
		return;
	chain->have_prev = true;
	chain->have_next_op = true;
	memcpy(chain->root, anchor->new_root, ZK_ROOT_SIZE);
	chain->next_op_seq = anchor->last_seq + 1;
	chain->last_batch_seq = anchor->batch_seq;
}

enum zk_prooflog_chain_error
plog_chain_fail(enum zk_prooflog_chain_error e,
		const struct zk_prooflog_record *rec,
		struct zk_prooflog_chain_result *res, uint64_t got,
		uint64_t want)
{
	if (res == NULL)
		return e;
	res->error = e;
	res->record_seq = rec->seq;
	res->offset = rec->offset;
	snprintf(res->message, sizeof(res->message),
		 "record %" PRIu64 " at offset %" PRIu64 ": %s (got %" PRIu64
		 ", expected %" PRIu64 ")", rec->seq, rec->offset,
		 zk_prooflog_chain_error_str(e), got, want);
	return e;
}

/* An unproven range (docs/prooflog.md "resync"): ordered like a statement,
 * takes no batch seq, and the chain continues from its root. */
static enum zk_prooflog_chain_error
resync_step(struct zk_prooflog_chain *chain,
	    const struct zk_prooflog_record *rec,
	    struct zk_prooflog_chain_result *res)
{
	const struct zk_prooflog_resync *rs = &rec->resync;

	if (rs->first_seq > rs->last_seq)
		return plog_chain_fail(ZK_CHAIN_BAD_RANGE, rec, res, rs->first_seq,
				  rs->last_seq);
	if (chain->have_next_op && rs->first_seq > chain->next_op_seq)
		return plog_chain_fail(ZK_CHAIN_SEQ_GAP, rec, res, rs->first_seq,
				  chain->next_op_seq);
	if (chain->have_next_op && rs->first_seq < chain->next_op_seq)
		return plog_chain_fail(ZK_CHAIN_SEQ_OVERLAP, rec, res, rs->first_seq,
				  chain->next_op_seq);
	if (chain->have_prev && rs->last_batch_seq != chain->last_batch_seq)
		return plog_chain_fail(ZK_CHAIN_RESYNC_BATCH_SEQ, rec, res,
				  rs->last_batch_seq, chain->last_batch_seq);
	chain->have_prev = true;
	chain->have_next_op = true;
	memcpy(chain->root, rs->new_root, ZK_ROOT_SIZE);
	chain->next_op_seq = rs->last_seq + 1;
	chain->last_batch_seq = rs->last_batch_seq;
	chain->resyncs++;
	chain->resync_ops += rs->ops;
	return ZK_CHAIN_OK;
}

enum zk_prooflog_chain_error
zk_prooflog_chain_step(struct zk_prooflog_chain *chain,
		       const struct zk_prooflog_record *rec,
		       struct zk_prooflog_chain_result *res)
{
	const struct zk_statement *st = &rec->statement;
	const struct zk_prooflog_skip *sk = &rec->skip;

	if (rec->type == ZK_PROOFLOG_REC_RESTART) {
		uint64_t proofs = chain->proofs, skips = chain->skips;
		uint64_t unproven = chain->unproven, restarts = chain->restarts;

		zk_prooflog_chain_init(chain, NULL);
		chain->proofs = proofs;
		chain->skips = skips;
		chain->unproven = unproven;
		chain->restarts = restarts + 1;
		return ZK_CHAIN_OK;
	}
	if (rec->type == ZK_PROOFLOG_REC_RESYNC)
		return resync_step(chain, rec, res);
	if (rec->type == ZK_PROOFLOG_REC_SKIP) {
		if (sk->first_seq > sk->last_seq)
			return plog_chain_fail(ZK_CHAIN_BAD_RANGE, rec, res,
					  sk->first_seq, sk->last_seq);
		if (chain->have_next_op && sk->first_seq != chain->next_op_seq)
			return plog_chain_fail(ZK_CHAIN_SKIP_START, rec, res,
					  sk->first_seq, chain->next_op_seq);
		chain->have_next_op = true;
		chain->next_op_seq = sk->last_seq + 1;
		chain->skips++;
		return ZK_CHAIN_OK;
	}
	if (st->first_seq > st->last_seq)
		return plog_chain_fail(ZK_CHAIN_BAD_RANGE, rec, res, st->first_seq,
				  st->last_seq);
	if (chain->have_next_op && st->first_seq > chain->next_op_seq)
		return plog_chain_fail(ZK_CHAIN_SEQ_GAP, rec, res, st->first_seq,
				  chain->next_op_seq);
	if (chain->have_next_op && st->first_seq < chain->next_op_seq)
		return plog_chain_fail(ZK_CHAIN_SEQ_OVERLAP, rec, res,
				  st->first_seq, chain->next_op_seq);
	if (chain->have_prev) {
		if (memcmp(st->old_root, chain->root, ZK_ROOT_SIZE) != 0)
			return plog_chain_fail(ZK_CHAIN_ROOT_MISMATCH, rec, res, 0,
					  0);
		if (st->batch_seq != chain->last_batch_seq + 1)
			return plog_chain_fail(ZK_CHAIN_BATCH_SEQ, rec, res,
					  st->batch_seq,
					  chain->last_batch_seq + 1);
	}
	chain->have_prev = true;
	chain->have_next_op = true;
	memcpy(chain->root, st->new_root, ZK_ROOT_SIZE);
	chain->next_op_seq = st->last_seq + 1;
	chain->last_batch_seq = st->batch_seq;
	if (rec->type == ZK_PROOFLOG_REC_UNPROVEN)
		chain->unproven++;
	else
		chain->proofs++;
	return ZK_CHAIN_OK;
}

int
zk_prooflog_check_chain(struct zk_prooflog_reader *rd,
			const struct zk_statement *anchor,
			struct zk_prooflog_chain_result *res)
{
	struct zk_prooflog_chain_result local;
	struct zk_prooflog_chain chain;
	struct zk_prooflog_record rec;
	int rc;

	if (rd == NULL)
		return -EINVAL;
	if (res == NULL)
		res = &local;
	memset(res, 0, sizeof(*res));
	zk_prooflog_chain_init(&chain, anchor);
	while ((rc = zk_prooflog_reader_next(rd, &rec)) == 1) {
		if (zk_prooflog_chain_step(&chain, &rec, res) != ZK_CHAIN_OK)
			return 1;
	}
	if (rc < 0)
		snprintf(res->message, sizeof(res->message), "%s",
			 rd->scan.reason);
	return rc;
}
