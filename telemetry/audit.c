/* SPDX-License-Identifier: MIT */
/*
 * The audit log writer: open + recovery, appends, repair segments.
 *
 * FILE FORMAT (version 1; every integer big-endian, like every other
 * hashed encoding in zkclob)
 *
 * A log is a 64-byte file header followed by records, nothing else.
 *
 *   file header
 *     0  magic "ZKCLOBAL"              8 bytes
 *     8  format version (1)            u16
 *    10  header size (64)              u16
 *    12  reserved, zero                4 bytes
 *    16  salt                          16 bytes, random per file
 *    32  created, ns since epoch       u64  (CLOCK_REALTIME)
 *    40  reserved, zero                16 bytes
 *    56  check: BLAKE2b-64(bytes 0..55)  8 bytes
 *
 *   genesis = BLAKE2b-256(the 64 header bytes)
 *
 *   record (48-byte header, prev_hash, payload, hash)
 *     0  magic "ZKAR" (0x5a4b4152)     u32
 *     4  length of the whole record    u32  (112 + payload length)
 *     8  seq                           u64  0, 1, 2 ... within the file
 *    16  realtime, ns since epoch      u64  CLOCK_REALTIME at append
 *    24  monotonic ns                  u64  CLOCK_MONOTONIC at append
 *    32  type (enum zk_audit_type)     u16
 *    34  reserved, zero                6 bytes
 *    40  check: BLAKE2b-64 keyed with the salt, of bytes 0..39   8 bytes
 *    48  prev_hash                     32 bytes: previous record's hash,
 *                                      genesis for record 0
 *    80  payload                       length - 112 bytes (<= 64 KiB)
 *   end-32  hash = BLAKE2b-256(prev_hash || header bytes 0..47 || payload)
 *
 *   payloads (strings: u16 length + bytes, no NUL; statement: the 160-byte
 *   canonical zk_statement_encode() bytes)
 *     1 proof          statement | backend str | proof hash[32] | proof len u64
 *     2 verify fail    statement | backend str | proof hash[32] (zero when
 *                      there was none) | reason str
 *     3 config change  path str | BLAKE2b-256(old text)[32] (zero on first
 *                      load) | BLAKE2b-256(new text)[32] | changed keys str
 *                      ("+sec.key" added, "-sec.key" removed, "~sec.key"
 *                      changed, space separated, values never recorded)
 *     4 operator       uid u32 | signo i32 (0: command) | argc u32 |
 *                      argc strs (a signal: one str, "SIGHUP")
 *     5 chain break    damaged file's new name str | finding (enum
 *                      zk_audit_status) u32 | bad record u64 | bad offset
 *                      u64 | valid records u64 | their head hash[32] |
 *                      damaged file's salt[16]
 *
 * WHY THIS SHAPE
 *
 * The hash chain makes any edit, deletion, insertion or reordering of a
 * record visible at the first record it touches, and a published anchor
 * (record count + head) freezes everything before it. The header check is
 * separate from the chain so a crash can be told from tampering: a record
 * whose header checks out but which runs past the end of the file is a
 * torn append (truncated on open), whereas a header that does not check
 * out, or a hash that does not match, is damage (reported, never fixed
 * silently). Keying the header check with the salt means a record copied
 * from another log fails where it starts. prev_hash is stored although it
 * is implied, so a deleted or swapped record is reported as a broken chain
 * rather than as a bad hash.
 *
 * WRITING
 *
 * One write(2) per record on an O_APPEND descriptor, under a mutex, then
 * fdatasync by policy (every record by default: audit records are rare and
 * an operator command that returned must be on disk). A failed or short
 * write cuts the file back to the last whole record and is sticky; an
 * fdatasync error is sticky and never retried (after EIO the page cache may
 * have dropped the data). A new file is written under a temporary name,
 * synced and renamed into place, so a log never lacks its header.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "audit_format.h"

struct zk_audit {
	pthread_mutex_t lock;
	int fd;
	int error;          /* sticky negative errno */
	uint32_t sync_every;
	uint32_t unsynced;
	uint64_t next_seq;
	uint64_t size;      /* end of the last whole record */
	uint8_t head[ZK_AUDIT_HASH_SIZE];
	uint8_t salt[ZK_AUDIT_SALT_SIZE];
	uint8_t *rec;       /* staging for one record */
};

static uint64_t
clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int
write_full(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		if (w == 0)
			return -EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
sync_dir_of(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd, rc = 0;

	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else if ((size_t)(slash - path) < sizeof(dir))
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	else
		return -ENAMETOOLONG;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd) != 0)
		rc = -errno;
	close(fd);
	return rc;
}

/* Creates path with a fresh header; -EEXIST if something is already there. */
static int
create_log(const char *path)
{
	uint8_t hdr[AUDIT_FILE_HEADER_SIZE] = {0};
	char tmp[PATH_MAX];
	int fd, rc = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >=
	    (int)sizeof(tmp))
		return -ENAMETOOLONG;
	memcpy(hdr, AUDIT_FILE_MAGIC, 8);
	audit_put16(hdr + 8, AUDIT_VERSION);
	audit_put16(hdr + 10, AUDIT_FILE_HEADER_SIZE);
	if (getrandom(hdr + 16, ZK_AUDIT_SALT_SIZE, 0) != ZK_AUDIT_SALT_SIZE)
		return errno ? -errno : -EIO;
	audit_put64(hdr + 32, clock_ns(CLOCK_REALTIME));
	audit_file_check(hdr, hdr + AUDIT_FILE_CHECK_OFF);

	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd < 0)
		return -errno;
	rc = write_full(fd, hdr, sizeof(hdr));
	if (rc == 0 && fdatasync(fd) != 0)
		rc = -errno;
	close(fd);
	if (rc == 0 && renameat2(AT_FDCWD, tmp, AT_FDCWD, path,
				 RENAME_NOREPLACE) != 0)
		rc = -errno;
	if (rc != 0) {
		unlink(tmp);
		return rc;
	}
	return sync_dir_of(path);
}

/* Opens an existing log for appending, exclusively among processes. */
static int
open_locked(const char *path, int *fd_out)
{
	int fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int rc = errno == EWOULDBLOCK ? -EBUSY : -errno;

		close(fd);
		return rc;
	}
	*fd_out = fd;
	return 0;
}

/* Walks the chain; rc 0 clean, -EBADMSG finding (rep says), else I/O. */
static int
scan(int fd, struct zk_audit_report *rep)
{
	struct zk_audit_reader *r;
	struct zk_audit_record rec;
	int rc = audit_reader_attach(fd, false, &r);

	if (rc != 0)
		return rc;
	while ((rc = zk_audit_reader_next(r, &rec)) > 0)
		;
	zk_audit_reader_report(r, rep);
	zk_audit_reader_close(r);
	return rc;
}

static int
cut_torn_tail(int fd, const struct zk_audit_report *rep)
{
	if (ftruncate(fd, (off_t)rep->valid_bytes) != 0 || fdatasync(fd) != 0)
		return -errno;
	return 0;
}

/* Moves the damaged file aside, untouched, under the first free
 * "<path>.broken.<n>" name. */
static int
move_aside(const char *path, char *dest, size_t len)
{
	for (unsigned int n = 1; n < 10000; n++) {
		if (snprintf(dest, len, "%s.broken.%u", path, n) >= (int)len)
			return -ENAMETOOLONG;
		if (renameat2(AT_FDCWD, path, AT_FDCWD, dest,
			      RENAME_NOREPLACE) == 0)
			return sync_dir_of(path);
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

static struct zk_audit *
log_new(int fd, const struct zk_audit_options *opts)
{
	struct zk_audit *log = calloc(1, sizeof(*log));

	if (log == NULL)
		return NULL;
	log->rec = malloc(AUDIT_MAX_RECORD);
	if (log->rec == NULL || pthread_mutex_init(&log->lock, NULL) != 0) {
		free(log->rec);
		free(log);
		return NULL;
	}
	log->fd = fd;
	log->sync_every = opts != NULL && opts->sync_every > 0 ?
		opts->sync_every : 1;
	return log;
}

static void
log_free(struct zk_audit *log)
{
	close(log->fd);
	pthread_mutex_destroy(&log->lock);
	free(log->rec);
	free(log);
}

/* Starts a new segment at path whose first record describes the break
 * found in the file now at rep->broken_path. */
static int
start_repair_segment(const char *path, const struct zk_audit_options *opts,
		     struct zk_audit_report *rep, struct zk_audit **out)
{
	struct zk_audit_report fresh;
	struct zk_audit *log;
	struct audit_buf b;
	int fd = -1, rc;

	rc = move_aside(path, rep->broken_path, sizeof(rep->broken_path));
	if (rc == 0)
		rc = create_log(path);
	if (rc == 0)
		rc = open_locked(path, &fd);
	if (rc != 0)
		return rc;
	rc = scan(fd, &fresh);
	log = rc == 0 ? log_new(fd, opts) : NULL;
	if (log == NULL) {
		close(fd);
		return rc != 0 ? rc : -ENOMEM;
	}
	log->size = fresh.valid_bytes;
	memcpy(log->head, fresh.head, ZK_AUDIT_HASH_SIZE);
	memcpy(log->salt, fresh.salt, ZK_AUDIT_SALT_SIZE);
	rc = audit_buf_init(&b);
	if (rc == 0) {
		audit_encode_chain_break(&b, rep->broken_path, rep);
		rc = b.overflow ? -E2BIG : audit_append(log, ZK_AUDIT_CHAIN_BREAK,
							&b);
		audit_buf_free(&b);
	}
	if (rc != 0) {
		log_free(log);
		return rc;
	}
	rep->repaired = true;
	*out = log;
	return 0;
}

int
zk_audit_open(const char *path, const struct zk_audit_options *opts,
	      struct zk_audit **out, struct zk_audit_report *rep)
{
	struct zk_audit_report local;
	struct zk_audit *log;
	int fd = -1, rc;

	if (path == NULL || *path == '\0' || out == NULL ||
	    (opts != NULL && (opts->flags & ~ZK_AUDIT_REPAIR) != 0))
		return -EINVAL;
	*out = NULL;
	if (rep == NULL)
		rep = &local;
	memset(rep, 0, sizeof(*rep));

	rc = open_locked(path, &fd);
	if (rc == -ENOENT) {
		rc = create_log(path);
		/* Lost a creation race: the other file is as good as ours. */
		if (rc == 0 || rc == -EEXIST)
			rc = open_locked(path, &fd);
	}
	if (rc != 0)
		return rc;

	rc = scan(fd, rep);
	if (rc == -EBADMSG && rep->status == ZK_AUDIT_TORN_TAIL)
		rc = cut_torn_tail(fd, rep);
	if (rc == -EBADMSG && opts != NULL && (opts->flags & ZK_AUDIT_REPAIR)) {
		close(fd);
		return start_repair_segment(path, opts, rep, out);
	}
	if (rc != 0) {
		close(fd);
		return rc;
	}
	log = log_new(fd, opts);
	if (log == NULL) {
		close(fd);
		return -ENOMEM;
	}
	log->next_seq = rep->records;
	log->size = rep->valid_bytes;
	memcpy(log->head, rep->head, ZK_AUDIT_HASH_SIZE);
	memcpy(log->salt, rep->salt, ZK_AUDIT_SALT_SIZE);
	*out = log;
	return 0;
}

int
audit_append(struct zk_audit *log, enum zk_audit_type type,
	     const struct audit_buf *payload)
{
	uint8_t *r = log->rec;
	uint32_t len = (uint32_t)(AUDIT_REC_OVERHEAD + payload->len);
	uint8_t *pl = r + AUDIT_REC_HEADER_SIZE + ZK_AUDIT_HASH_SIZE;
	int rc;

	pthread_mutex_lock(&log->lock);
	rc = log->error;
	if (rc != 0)
		goto out;
	memset(r, 0, AUDIT_REC_HEADER_SIZE);
	audit_put32(r, AUDIT_REC_MAGIC);
	audit_put32(r + 4, len);
	audit_put64(r + 8, log->next_seq);
	audit_put64(r + 16, clock_ns(CLOCK_REALTIME));
	audit_put64(r + 24, clock_ns(CLOCK_MONOTONIC));
	audit_put16(r + 32, (uint16_t)type);
	audit_record_check(log->salt, r, r + AUDIT_REC_CHECK_OFF);
	memcpy(r + AUDIT_REC_HEADER_SIZE, log->head, ZK_AUDIT_HASH_SIZE);
	memcpy(pl, payload->data, payload->len);
	audit_record_hash(log->head, r, pl, payload->len,
			  r + len - ZK_AUDIT_HASH_SIZE);

	rc = write_full(log->fd, r, len);
	if (rc != 0) {
		/* Leave no partial record behind for the next append to
		 * follow; if even that fails, recovery cuts it at reopen. */
		if (ftruncate(log->fd, (off_t)log->size) != 0)
			rc = -errno;
		log->error = rc;
		goto out;
	}
	log->size += len;
	log->next_seq++;
	memcpy(log->head, r + len - ZK_AUDIT_HASH_SIZE, ZK_AUDIT_HASH_SIZE);
	if (++log->unsynced >= log->sync_every) {
		log->unsynced = 0;
		if (fdatasync(log->fd) != 0)
			rc = log->error = -errno;
	}
out:
	pthread_mutex_unlock(&log->lock);
	return rc;
}

int
zk_audit_sync(struct zk_audit *log)
{
	int rc;

	if (log == NULL)
		return -EINVAL;
	pthread_mutex_lock(&log->lock);
	rc = log->error;
	if (rc == 0 && log->unsynced > 0) {
		log->unsynced = 0;
		if (fdatasync(log->fd) != 0)
			rc = log->error = -errno;
	}
	pthread_mutex_unlock(&log->lock);
	return rc;
}

int
zk_audit_close(struct zk_audit *log)
{
	int rc;

	if (log == NULL)
		return 0;
	rc = zk_audit_sync(log);
	log_free(log);
	return rc;
}

int
zk_audit_head(struct zk_audit *log, struct zk_audit_anchor *anchor)
{
	if (log == NULL || anchor == NULL)
		return -EINVAL;
	pthread_mutex_lock(&log->lock);
	anchor->records = log->next_seq;
	memcpy(anchor->head, log->head, ZK_AUDIT_HASH_SIZE);
	pthread_mutex_unlock(&log->lock);
	return 0;
}
