/* SPDX-License-Identifier: MIT */
/*
 * Audit log reader and verifier. One scanner serves everyone: the writer's
 * recovery at open, zk_audit_verify() and record iteration all walk the
 * chain with zk_audit_reader_next(), so they cannot disagree about what a
 * valid log is. It stops at the first finding; nothing after a finding is
 * trusted, because without the chain it could be anything.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <blake2.h>

#include "audit_format.h"

struct zk_audit_reader {
	int fd;
	bool owns_fd;
	bool done;
	uint64_t size;
	uint64_t off;
	uint8_t *buf;
	struct zk_audit_report rep; /* records, head, valid_bytes kept current */
};

void
audit_file_check(const uint8_t hdr[AUDIT_FILE_HEADER_SIZE], uint8_t out[8])
{
	blake2b(out, hdr, NULL, 8, AUDIT_FILE_CHECK_OFF, 0);
}

void
audit_record_check(const uint8_t salt[ZK_AUDIT_SALT_SIZE],
		   const uint8_t hdr[AUDIT_REC_HEADER_SIZE], uint8_t out[8])
{
	blake2b(out, hdr, salt, 8, AUDIT_REC_CHECK_OFF, ZK_AUDIT_SALT_SIZE);
}

void
audit_record_hash(const uint8_t prev[ZK_AUDIT_HASH_SIZE],
		  const uint8_t hdr[AUDIT_REC_HEADER_SIZE],
		  const uint8_t *payload, size_t payload_len,
		  uint8_t out[ZK_AUDIT_HASH_SIZE])
{
	blake2b_state s;

	blake2b_init(&s, ZK_AUDIT_HASH_SIZE);
	blake2b_update(&s, prev, ZK_AUDIT_HASH_SIZE);
	blake2b_update(&s, hdr, AUDIT_REC_HEADER_SIZE);
	blake2b_update(&s, payload, payload_len);
	blake2b_final(&s, out, ZK_AUDIT_HASH_SIZE);
}

void
audit_genesis(const uint8_t hdr[AUDIT_FILE_HEADER_SIZE],
	      uint8_t out[ZK_AUDIT_HASH_SIZE])
{
	blake2b(out, hdr, NULL, ZK_AUDIT_HASH_SIZE, AUDIT_FILE_HEADER_SIZE, 0);
}

static bool
all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

enum zk_audit_status
audit_check_file_header(const uint8_t hdr[AUDIT_FILE_HEADER_SIZE],
			char *detail, size_t len)
{
	uint8_t check[8];

	if (memcmp(hdr, AUDIT_FILE_MAGIC, 8) != 0) {
		snprintf(detail, len, "not an audit log (bad magic)");
		return ZK_AUDIT_BAD_FILE_HEADER;
	}
	if (audit_get16(hdr + 8) != AUDIT_VERSION ||
	    audit_get16(hdr + 10) != AUDIT_FILE_HEADER_SIZE) {
		snprintf(detail, len, "unsupported version %u / header size %u",
			 audit_get16(hdr + 8), audit_get16(hdr + 10));
		return ZK_AUDIT_BAD_FILE_HEADER;
	}
	audit_file_check(hdr, check);
	if (memcmp(check, hdr + AUDIT_FILE_CHECK_OFF, 8) != 0 ||
	    !all_zero(hdr + 12, 4) || !all_zero(hdr + 40, 16)) {
		snprintf(detail, len, "file header check failed");
		return ZK_AUDIT_BAD_FILE_HEADER;
	}
	return ZK_AUDIT_OK;
}

static int
read_full(int fd, void *buf, size_t n, uint64_t off)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = pread(fd, (uint8_t *)buf + got, n - got,
				  (off_t)(off + got));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -EIO; /* shrank under us */
		got += (size_t)r;
	}
	return 0;
}

static int
finding(struct zk_audit_reader *r, enum zk_audit_status status,
	const char *why)
{
	struct zk_audit_report *rep = &r->rep;

	r->done = true;
	rep->status = status;
	rep->bad_record = rep->records;
	rep->bad_offset = r->off;
	rep->torn_bytes = r->size - r->off;
	if (status == ZK_AUDIT_BAD_FILE_HEADER)
		snprintf(rep->detail, sizeof(rep->detail), "%s", why);
	else
		snprintf(rep->detail, sizeof(rep->detail),
			 "record %" PRIu64 " at offset %" PRIu64 ": %s",
			 rep->records, r->off, why);
	return -EBADMSG;
}

int
audit_reader_attach(int fd, bool owns_fd, struct zk_audit_reader **out)
{
	struct zk_audit_reader *r;
	uint8_t hdr[AUDIT_FILE_HEADER_SIZE];
	char why[sizeof(r->rep.detail)];
	struct stat sb;
	int rc;

	if (fstat(fd, &sb) != 0)
		return -errno;
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return -ENOMEM;
	r->buf = malloc(AUDIT_MAX_RECORD);
	if (r->buf == NULL) {
		free(r);
		return -ENOMEM;
	}
	r->fd = fd;
	r->owns_fd = owns_fd;
	r->size = (uint64_t)sb.st_size;
	if (r->size < AUDIT_FILE_HEADER_SIZE) {
		finding(r, ZK_AUDIT_BAD_FILE_HEADER,
			"file shorter than its header");
		goto out;
	}
	rc = read_full(fd, hdr, sizeof(hdr), 0);
	if (rc != 0) {
		free(r->buf);
		free(r);
		return rc;
	}
	if (audit_check_file_header(hdr, why, sizeof(why)) != ZK_AUDIT_OK) {
		finding(r, ZK_AUDIT_BAD_FILE_HEADER, why);
		goto out;
	}
	memcpy(r->rep.salt, hdr + 16, ZK_AUDIT_SALT_SIZE);
	audit_genesis(hdr, r->rep.head);
	r->off = AUDIT_FILE_HEADER_SIZE;
	r->rep.valid_bytes = r->off;
out:
	*out = r;
	return 0;
}

int
zk_audit_reader_open(const char *path, struct zk_audit_reader **out)
{
	int fd, rc;

	if (path == NULL || out == NULL)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = audit_reader_attach(fd, true, out);
	if (rc != 0)
		close(fd);
	return rc;
}

void
zk_audit_reader_close(struct zk_audit_reader *r)
{
	if (r == NULL)
		return;
	if (r->owns_fd)
		close(r->fd);
	free(r->buf);
	free(r);
}

void
zk_audit_reader_report(const struct zk_audit_reader *r,
		       struct zk_audit_report *rep)
{
	if (r != NULL && rep != NULL)
		*rep = r->rep;
}

int
zk_audit_reader_next(struct zk_audit_reader *r, struct zk_audit_record *rec)
{
	struct zk_audit_report *rep;
	uint8_t *b, check[8], hash[ZK_AUDIT_HASH_SIZE];
	struct zk_audit_entry entry;
	uint64_t left;
	uint32_t len;
	int rc;

	if (r == NULL || rec == NULL)
		return -EINVAL;
	rep = &r->rep;
	if (r->done)
		return rep->status == ZK_AUDIT_OK ? 0 : -EBADMSG;
	left = r->size - r->off;
	if (left == 0) {
		r->done = true;
		return 0;
	}
	b = r->buf;
	if (left < AUDIT_REC_HEADER_SIZE)
		return finding(r, ZK_AUDIT_TORN_TAIL, "header cut short");
	rc = read_full(r->fd, b, AUDIT_REC_HEADER_SIZE, r->off);
	if (rc != 0)
		return rc;
	audit_record_check(rep->salt, b, check);
	if (audit_get32(b) != AUDIT_REC_MAGIC ||
	    memcmp(check, b + AUDIT_REC_CHECK_OFF, 8) != 0 ||
	    !all_zero(b + 34, 6))
		return finding(r, ZK_AUDIT_BAD_RECORD_HEADER,
			       "record header check failed");
	len = audit_get32(b + 4);
	if (len < AUDIT_REC_OVERHEAD || len > AUDIT_MAX_RECORD)
		return finding(r, ZK_AUDIT_BAD_RECORD_HEADER,
			       "record length out of range");
	/* The header checked out, so its length is what the writer meant:
	 * a record running past the end of the file was cut short. */
	if (len > left)
		return finding(r, ZK_AUDIT_TORN_TAIL, "record cut short");
	rc = read_full(r->fd, b + AUDIT_REC_HEADER_SIZE,
		       len - AUDIT_REC_HEADER_SIZE,
		       r->off + AUDIT_REC_HEADER_SIZE);
	if (rc != 0)
		return rc;

	memset(rec, 0, sizeof(*rec));
	rec->seq = audit_get64(b + 8);
	rec->offset = r->off;
	rec->realtime_ns = audit_get64(b + 16);
	rec->monotonic_ns = audit_get64(b + 24);
	rec->type = (enum zk_audit_type)audit_get16(b + 32);
	memcpy(rec->prev_hash, b + AUDIT_REC_HEADER_SIZE, ZK_AUDIT_HASH_SIZE);
	rec->payload = b + AUDIT_REC_HEADER_SIZE + ZK_AUDIT_HASH_SIZE;
	rec->payload_len = len - AUDIT_REC_OVERHEAD;
	memcpy(rec->hash, b + len - ZK_AUDIT_HASH_SIZE, ZK_AUDIT_HASH_SIZE);

	if (memcmp(rec->prev_hash, rep->head, ZK_AUDIT_HASH_SIZE) != 0)
		return finding(r, ZK_AUDIT_CHAIN_BROKEN,
			       "prev_hash is not the previous record's hash");
	audit_record_hash(rep->head, b, rec->payload, rec->payload_len, hash);
	if (memcmp(hash, rec->hash, ZK_AUDIT_HASH_SIZE) != 0)
		return finding(r, ZK_AUDIT_BAD_HASH,
			       "hash does not match the content");
	if (rec->seq != rep->records)
		return finding(r, ZK_AUDIT_BAD_SEQ, "sequence number out of order");
	if (zk_audit_decode(rec, &entry) != 0)
		return finding(r, ZK_AUDIT_BAD_PAYLOAD, "payload does not decode");

	memcpy(rep->head, hash, ZK_AUDIT_HASH_SIZE);
	rep->records++;
	r->off += len;
	rep->valid_bytes = r->off;
	return 1;
}

int
zk_audit_verify_anchor(const char *path, const struct zk_audit_anchor *anchor,
		       struct zk_audit_report *rep)
{
	struct zk_audit_reader *r;
	struct zk_audit_record rec;
	bool anchor_seen = false;
	int rc;

	if (path == NULL || rep == NULL)
		return -EINVAL;
	memset(rep, 0, sizeof(*rep));
	rc = zk_audit_reader_open(path, &r);
	if (rc != 0)
		return rc;
	for (;;) {
		/* Check the anchor where the chain reaches it, before reading
		 * on: a finding later must not hide a rewritten prefix. */
		if (anchor != NULL && !anchor_seen &&
		    r->rep.records == anchor->records && r->off != 0) {
			anchor_seen = true;
			if (memcmp(r->rep.head, anchor->head,
				   ZK_AUDIT_HASH_SIZE) != 0) {
				finding(r, ZK_AUDIT_ANCHOR_MISMATCH,
					"head differs from the published anchor");
				rc = -EBADMSG;
				break;
			}
		}
		rc = zk_audit_reader_next(r, &rec);
		if (rc <= 0)
			break;
	}
	if (rc == 0 && anchor != NULL && !anchor_seen) {
		char why[96];

		snprintf(why, sizeof(why),
			 "log ends before the anchor's record %" PRIu64,
			 anchor->records);
		rc = finding(r, ZK_AUDIT_ANCHOR_MISMATCH, why);
	}
	*rep = r->rep;
	zk_audit_reader_close(r);
	return rc;
}

int
zk_audit_verify(const char *path, struct zk_audit_report *rep)
{
	return zk_audit_verify_anchor(path, NULL, rep);
}

int
zk_audit_anchor_format(const struct zk_audit_anchor *anchor, char *buf,
		       size_t len)
{
	int n;

	if (anchor == NULL || buf == NULL || len < ZK_AUDIT_ANCHOR_TEXT)
		return -EINVAL;
	n = snprintf(buf, len, "%" PRIu64 ":", anchor->records);
	for (int i = 0; i < ZK_AUDIT_HASH_SIZE; i++)
		n += snprintf(buf + n, len - (size_t)n, "%02x", anchor->head[i]);
	return 0;
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
zk_audit_anchor_parse(const char *text, struct zk_audit_anchor *anchor)
{
	uint64_t records = 0;
	const char *p = text;

	if (text == NULL || anchor == NULL)
		return -EINVAL;
	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (records > (UINT64_MAX - 9) / 10)
			return -ERANGE;
		records = records * 10 + (uint64_t)(*p - '0');
	}
	if (*p++ != ':')
		return -EINVAL;
	for (int i = 0; i < ZK_AUDIT_HASH_SIZE; i++) {
		int hi = hex_digit(p[2 * i]);
		int lo = hi < 0 ? -1 : hex_digit(p[2 * i + 1]);

		if (lo < 0)
			return -EINVAL;
		anchor->head[i] = (uint8_t)(hi << 4 | lo);
	}
	if (p[2 * ZK_AUDIT_HASH_SIZE] != '\0')
		return -EINVAL;
	anchor->records = records;
	return 0;
}
