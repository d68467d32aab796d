/* SPDX-License-Identifier: MIT */
/*
 * Proof log writer: creating a log (header synced under a temporary name,
 * then renamed into place), opening with recovery, io_uring set-up, close.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <liburing.h>

#include "prooflog_writer.h"

static int
check_opts(struct zk_prooflog_opts *o)
{
	switch (o->sync) {
	case ZK_PROOFLOG_SYNC_EACH:
		break;
	case ZK_PROOFLOG_SYNC_EVERY_N:
		if (o->sync_every_n == 0)
			return -EINVAL;
		break;
	case ZK_PROOFLOG_SYNC_INTERVAL:
		if (o->sync_interval_us == 0)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	if (o->sync_interval_us > UINT64_MAX / 1000u)
		return -EINVAL;
	if (o->buffer_bytes == 0)
		o->buffer_bytes = PLOG_DEFAULT_BUFFER;
	if (o->buffer_bytes < PLOG_MIN_BUFFER || o->buffer_bytes > PLOG_MAX_BUFFER)
		return -EINVAL;
	if (o->submit_batch == 0)
		o->submit_batch = PLOG_DEFAULT_SUBMIT_BATCH;
	return 0;
}

static int
sync_dir_of(const char *path)
{
	char *dir = strdup(path), *slash;
	int fd, rc = 0;

	if (dir == NULL)
		return -ENOMEM;
	slash = strrchr(dir, '/');
	if (slash == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0)
		rc = -errno;
	if (fd >= 0)
		close(fd);
	free(dir);
	return rc;
}

/* Header written and synced under a temporary name, then renamed. */
static int
create_log(const char *path, char *err, size_t errlen)
{
	struct plog_file_hdr h = { .first_seq = 1 };
	uint8_t b[PLOG_FILE_HDR_SIZE];
	struct timespec ts;
	size_t tlen = strlen(path) + 32;
	char *tmp = malloc(tlen);
	int fd, rc = 0;

	if (tmp == NULL)
		return -ENOMEM;
	snprintf(tmp, tlen, "%s.tmp.%ld", path, (long)getpid());
	if (getrandom(&h.salt, sizeof(h.salt), 0) != sizeof(h.salt)) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		h.salt = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull ^
			 (uint64_t)getpid();
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	h.created_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	plog_encode_file_hdr(&h, b);
	errno = 0;
	fd = open(tmp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0 || pwrite(fd, b, sizeof(b), 0) != (ssize_t)sizeof(b) ||
	    fdatasync(fd) != 0)
		rc = errno ? -errno : -EIO;
	if (fd >= 0)
		close(fd);
	if (rc == 0 && renameat2(AT_FDCWD, tmp, AT_FDCWD, path,
				 RENAME_NOREPLACE) != 0)
		rc = -errno;
	if (rc == 0)
		rc = sync_dir_of(path);
	else
		unlink(tmp);
	if (rc < 0 && rc != -EEXIST)
		snprintf(err, errlen, "creating %s: %s", path, strerror(-rc));
	free(tmp);
	return rc == -EEXIST ? 0 : rc;
}

static int
setup_ring(struct zk_prooflog *log)
{
	struct iovec iov = { .iov_base = log->buf, .iov_len = log->buf_size };
	int rc = io_uring_queue_init(PLOG_RING_ENTRIES, &log->ring, 0);

	if (rc < 0)
		return rc;
	rc = io_uring_register_files(&log->ring, &log->fd, 1);
	if (rc < 0) {
		io_uring_queue_exit(&log->ring);
		return rc;
	}
	/* Pinning counts against RLIMIT_MEMLOCK; plain writes still work. */
	log->stats.registered_buffer =
		io_uring_register_buffers(&log->ring, &iov, 1) == 0;
	return 0;
}

static void
release(struct zk_prooflog *log)
{
	if (log->ring.ring_fd > 0)
		io_uring_queue_exit(&log->ring);
	/*
	 * The ring's reference to the registered file outlives queue_exit
	 * (torn down asynchronously), and with it the open file description
	 * that holds the lock: release the lock explicitly.
	 */
	if (log->fd >= 0) {
		flock(log->fd, LOCK_UN);
		close(log->fd);
	}
	free(log->buf);
	free(log->q);
	free(log);
}

int
zk_prooflog_open(const char *path, unsigned flags,
		 const struct zk_prooflog_opts *opts, struct zk_prooflog **out,
		 struct zk_prooflog_scan *scan)
{
	struct zk_prooflog_opts o = { .sync = ZK_PROOFLOG_SYNC_EACH };
	struct zk_prooflog_scan local;
	struct plog_file_hdr hdr;
	struct zk_prooflog *log;
	struct stat st;
	int rc;

	if (scan == NULL)
		scan = &local;
	memset(scan, 0, sizeof(*scan));
	if (opts != NULL)
		o = *opts;
	if (path == NULL || path[0] == '\0' || out == NULL ||
	    (flags & ~(unsigned)(ZK_PROOFLOG_CREATE | ZK_PROOFLOG_REPAIR)) ||
	    check_opts(&o) != 0) {
		snprintf(scan->reason, sizeof(scan->reason), "bad arguments");
		return -EINVAL;
	}
	*out = NULL;
	log = calloc(1, sizeof(*log));
	if (log == NULL)
		return -ENOMEM;
	log->opts = o;
	log->ring.ring_fd = -1;
	log->fd = open(path, O_RDWR | O_CLOEXEC);
	if (log->fd < 0 && errno == ENOENT && (flags & ZK_PROOFLOG_CREATE)) {
		rc = create_log(path, scan->reason, sizeof(scan->reason));
		if (rc < 0)
			goto out_free;
		log->fd = open(path, O_RDWR | O_CLOEXEC);
	}
	if (log->fd < 0) {
		rc = -errno;
		snprintf(scan->reason, sizeof(scan->reason), "%s: %s", path,
			 strerror(-rc));
		goto out_free;
	}
	if (fstat(log->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		rc = -EINVAL;
		snprintf(scan->reason, sizeof(scan->reason),
			 "%s: not a regular file", path);
		goto out_free;
	}
	rc = plog_lock(log->fd);
	if (rc < 0) {
		snprintf(scan->reason, sizeof(scan->reason),
			 "%s: locked by another writer", path);
		goto out_free;
	}
	rc = plog_recover_fd(log->fd, flags, scan, &hdr);
	if (rc < 0)
		goto out_free;
	/* What survived a crashed process may sit only in the page cache. */
	if (fdatasync(log->fd) != 0) {
		rc = -errno;
		snprintf(scan->reason, sizeof(scan->reason), "fdatasync: %s",
			 strerror(-rc));
		goto out_free;
	}
	log->salt = hdr.salt;
	log->last_seq = scan->records ? scan->last_seq : hdr.first_seq - 1;
	log->submitted_upto = log->written_upto = log->last_seq;
	log->sync_sched_upto = log->durable_seq = log->last_seq;
	log->file_end = log->written_end = scan->valid_end;
	log->buf_size = o.buffer_bytes;
	log->qcap = (uint32_t)(o.buffer_bytes / PLOG_MIN_REC_LEN);
	log->buf = aligned_alloc(4096, log->buf_size);
	log->q = calloc(log->qcap, sizeof(*log->q));
	if (log->buf == NULL || log->q == NULL) {
		rc = -ENOMEM;
		goto out_free;
	}
	rc = setup_ring(log);
	if (rc < 0) {
		snprintf(scan->reason, sizeof(scan->reason),
			 "io_uring setup: %s", strerror(-rc));
		log->ring.ring_fd = -1;
		goto out_free;
	}
	*out = log;
	return 0;
out_free:
	release(log);
	return rc;
}

int
zk_prooflog_close(struct zk_prooflog *log)
{
	int rc;

	if (log == NULL)
		return -EINVAL;
	rc = zk_prooflog_flush(log);
	/* Never leave the ring with SQEs pointing into freed memory. */
	while (log->inflight > 0) {
		struct io_uring_cqe *cqe;

		if (io_uring_wait_cqe(&log->ring, &cqe) != 0)
			break;
		io_uring_cqe_seen(&log->ring, cqe);
		log->inflight--;
	}
	release(log);
	return rc;
}

