/* SPDX-License-Identifier: MIT */
/*
 * The proof log writer (io_uring).
 *
 * FILE FORMAT (version 1; all framing integers little-endian)
 *
 * A log is a 64-byte file header followed by records:
 *
 *   file header
 *     0  magic "ZKCLOBPL"            8 bytes
 *     8  format version (1)          u16
 *    10  header size (64)            u16
 *    12  record alignment (8)        u32
 *    16  salt                        u64  random per file
 *    24  created, ns since epoch     u64
 *    32  seq of the first record     u64  (1; lets a rotated log continue)
 *    40  creator text, NUL padded    20 bytes
 *    60  crc32c of bytes 0..59       u32
 *
 *   record header (32 bytes), then payload, then zero padding to 8 bytes
 *     0  magic "ZKPR" (0x52504b5a)   u32
 *     4  record version (1)          u8
 *     5  type: 1 proof, 2 skip,      u8
 *              3 unproven, 4 restart,
 *              5 resync
 *     6  flags (0)                   u16
 *     8  record seq                  u64  first_seq, +1 per record
 *    16  durable seq when written    u64  diagnostics for repair decisions
 *    24  length: header + payload    u32  (without padding)
 *    28  crc32c(salt || bytes 0..27 || payload)   u32
 *
 *   proof payload: the 160-byte canonical statement encoding
 *     (zkclob/statement.h, big-endian like every hashed encoding) followed
 *     by the proof bytes (opaque; their count is length - 192)
 *   skip payload (24 bytes): market u32, reason u32, first op seq u64,
 *     last op seq u64 (the inclusive range of operations the operator
 *     chose not to prove)
 *   unproven payload: the 160-byte statement (roots and digests as
 *     committed; params_id 0), reason u32 (enum zk_unproven_reason),
 *     text length u32 (<= 255), the reason text (no NUL). No backend
 *     proved this batch, but the book moved: the record keeps each
 *     market's root chain continuous and says why, so a verifier can
 *     count what is unproven instead of finding a hole.
 *   restart payload (16 bytes): CLOCK_REALTIME ns u64, 0 u64. The writer
 *     started again with empty books (zkclobd keeps no book across runs):
 *     every market's root chain, batch numbering and op sequence start
 *     again after it, from the empty book's root.
 *   resync payload (80 bytes): market u32, reason u32 (enum
 *     zk_unproven_reason: 6 backlog), first op seq u64, last op seq u64
 *     (inclusive stream seqs of the market's first and last op in the
 *     range), ops u64, batches u64, the market's last batch seq before
 *     the range u64, new root (32 bytes). Under [prover] on_backlog = skip
 *     batches that found the prover's queue full were applied by the
 *     engine but never committed or proven; the prover then rebuilt the
 *     market's state tree from a snapshot of its book taken at a batch
 *     boundary after them, whose root this is. The market's chain resumes
 *     there: its next statement's old_root is new_root and its batch seq
 *     is last batch seq + 1 (unproven batches take no batch seq). The
 *     range is reported, not proven: a verifier trusts the new root only
 *     as the operator's statement (verify-log needs --allow-unproven).
 *
 * The salt in every crc ties a record to its file, so a record copied or
 * left over from another log never validates. Padding is 8 bytes, not
 * 4096 with O_DIRECT: O_DIRECT would waste up to a block per record (a
 * 4 KiB proof would take 8 KiB) and buys no durability that buffered
 * writes + fdatasync do not already give; 8 keeps headers aligned for the
 * crc instruction and the scanner.
 *
 * A new file is written under a temporary name, synced, then renamed into
 * place, so a log never exists without a complete header.
 *
 * WRITING
 *
 * Records are serialised into one circular staging buffer registered with
 * the ring (io_uring_register_buffers); the file is registered too. At most
 * one chain of linked SQEs is in flight: consecutive records contiguous in
 * the buffer become one write, and the policy inserts fdatasync SQEs after
 * the records it syncs. Because the chain is linked and nothing else is in
 * flight, an fdatasync covers every record before it, so its completion
 * makes those records durable. Records appended while a chain is in flight
 * go out in the next chain: under load the batches grow (group commit).
 *
 * A short write or a link cancelled behind it is resubmitted from where it
 * stopped; EINTR/EAGAIN are resubmitted; anything else is fatal: the file
 * is cut back to the end of the last completely written record and the
 * error is sticky. fdatasync errors are never retried (after EIO Linux may
 * have dropped the dirty pages and a second fdatasync would "succeed").
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <liburing.h>

#include "prooflog_writer.h"

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int
fail(struct zk_prooflog *log, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
fail(struct zk_prooflog *log, int err, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (log->err != 0)
		return log->err;
	log->err = err;
	va_start(ap, fmt);
	n = vsnprintf(log->errmsg, sizeof(log->errmsg), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(log->errmsg))
		snprintf(log->errmsg + n, sizeof(log->errmsg) - (size_t)n,
			 ": %s", strerror(-err));
	return err;
}

static struct plog_staged *
staged_rec(struct zk_prooflog *log, uint64_t seq)
{
	return &log->q[seq % log->qcap];
}

/* After a fatal error and once nothing is in flight: drop partial records. */
static void
cut_back(struct zk_prooflog *log)
{
	if (ftruncate(log->fd, (off_t)log->written_end) != 0) {
		snprintf(log->errmsg + strlen(log->errmsg),
			 sizeof(log->errmsg) - strlen(log->errmsg),
			 "; truncating the partial tail failed too (%s), "
			 "recovery will cut it at the next open",
			 strerror(errno));
	}
	log->n_ops = 0;
}

/* Only with nothing in flight: ops[] indices are the CQEs' user_data. */
static void
complete_in_order(struct zk_prooflog *log)
{
	unsigned i;

	for (i = 0; i < log->n_ops && log->ops[i].complete; i++) {
		struct plog_chain_op *op = &log->ops[i];

		if (op->kind == PLOG_OP_WRITE) {
			while (log->written_upto < op->upto) {
				struct plog_staged *s =
					staged_rec(log, ++log->written_upto);

				log->buf_used -= s->span;
				log->buf_head = s->buf_off + s->padded;
				log->written_end += s->padded;
			}
			if (log->buf_used == 0)
				log->buf_head = log->buf_tail = 0;
		} else if (op->upto > log->durable_seq) {
			log->durable_seq = op->upto;
			if (log->opts.on_durable != NULL)
				log->opts.on_durable(log->opts.on_durable_arg,
						     log->durable_seq);
		}
	}
	memmove(log->ops, log->ops + i, (log->n_ops - i) * sizeof(log->ops[0]));
	log->n_ops -= i;
}

static int
submit_ops(struct zk_prooflog *log)
{
	unsigned n = log->n_ops;
	int rc;

	if (log->opts.fault_sync_delay_us != 0) {
		for (unsigned i = 0; i < n; i++) {
			if (log->ops[i].kind != PLOG_OP_WRITE) {
				usleep(log->opts.fault_sync_delay_us);
				break;
			}
		}
	}

	for (unsigned i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&log->ring);
		struct plog_chain_op *op = &log->ops[i];

		if (sqe == NULL)
			return fail(log, -EOVERFLOW, "submission queue full");
		if (op->kind == PLOG_OP_WRITE) {
			uint8_t *p = log->buf + op->buf_off + op->done;
			unsigned left = op->len - op->done;
			uint64_t off = op->file_off + op->done;

			if (log->stats.registered_buffer)
				io_uring_prep_write_fixed(sqe, 0, p, left, off,
							  0);
			else
				io_uring_prep_write(sqe, 0, p, left, off);
		} else {
			io_uring_prep_fsync(sqe, 0, IORING_FSYNC_DATASYNC);
		}
		sqe->flags |= IOSQE_FIXED_FILE;
		if (i + 1 < n)
			sqe->flags |= IOSQE_IO_LINK;
		io_uring_sqe_set_data64(sqe, i);
		op->resubmit = false;
	}
	for (unsigned left = n, tries = 0; left > 0;) {
		rc = io_uring_submit(&log->ring);
		if (rc == -EINTR || rc == -EAGAIN || rc == -EBUSY) {
			if (++tries > 1000)
				return fail(log, rc, "io_uring_submit");
			continue;
		}
		if (rc < 0)
			return fail(log, rc, "io_uring_submit");
		left -= (unsigned)rc < left ? (unsigned)rc : left;
		log->inflight += (unsigned)rc;
		log->stats.submits++;
	}
	return 0;
}

static bool
interval_due(const struct zk_prooflog *log, uint64_t now)
{
	return log->opts.sync_interval_us > 0 &&
	       log->sync_sched_upto < log->last_seq &&
	       now - log->oldest_unsynced_ns >=
		       log->opts.sync_interval_us * 1000u;
}

static void
add_sync(struct zk_prooflog *log, uint64_t upto)
{
	struct plog_chain_op *op = &log->ops[log->n_ops++];

	memset(op, 0, sizeof(*op));
	op->kind = PLOG_OP_SYNC;
	op->upto = upto;
	log->sync_sched_upto = upto;
	if (upto < log->last_seq)
		log->oldest_unsynced_ns = staged_rec(log, upto + 1)->append_ns;
}

/* Build and submit the next chain; only when nothing is in flight. */
static int
start_chain(struct zk_prooflog *log, bool force_sync)
{
	enum zk_prooflog_sync pol = log->opts.sync;
	uint64_t seq, file_off;

	if (log->err != 0 || log->n_ops != 0)
		return log->err;
	file_off = log->written_end;
	for (seq = log->written_upto + 1; seq <= log->submitted_upto; seq++)
		file_off += staged_rec(log, seq)->padded;
	for (seq = log->submitted_upto + 1;
	     seq <= log->last_seq && log->n_ops + 2 <= PLOG_RING_ENTRIES; seq++) {
		struct plog_staged *s = staged_rec(log, seq);
		struct plog_chain_op *prev =
			log->n_ops ? &log->ops[log->n_ops - 1] : NULL;

		if (prev != NULL && prev->kind == PLOG_OP_WRITE &&
		    prev->buf_off + prev->len == s->buf_off) {
			prev->len += s->padded;
			prev->upto = seq;
		} else {
			struct plog_chain_op *op = &log->ops[log->n_ops++];

			memset(op, 0, sizeof(*op));
			op->kind = PLOG_OP_WRITE;
			op->buf_off = s->buf_off;
			op->len = s->padded;
			op->file_off = file_off;
			op->upto = seq;
		}
		file_off += s->padded;
		log->submitted_upto = seq;
		if (pol == ZK_PROOFLOG_SYNC_EACH ||
		    (pol == ZK_PROOFLOG_SYNC_EVERY_N &&
		     seq - log->sync_sched_upto >= log->opts.sync_every_n))
			add_sync(log, seq);
	}
	if (log->sync_sched_upto < log->submitted_upto &&
	    (force_sync || interval_due(log, now_ns())))
		add_sync(log, log->submitted_upto);
	if (log->n_ops == 0)
		return 0;
	return submit_ops(log);
}

static void
handle_cqe(struct zk_prooflog *log, uint64_t idx, int res)
{
	struct plog_chain_op *op = &log->ops[idx];

	log->inflight--;
	if (op->kind == PLOG_OP_WRITE) {
		uint32_t left = op->len - op->done;

		if (res >= 0 && (uint32_t)res == left) {
			op->done = op->len;
			op->complete = true;
			log->stats.writes++;
			log->stats.bytes_written += (uint64_t)left;
			log->fruitless = 0;
		} else if (res >= 0) {
			op->done += (uint32_t)res;
			log->stats.bytes_written += (uint64_t)res;
			log->stats.short_writes++;
			op->resubmit = true;
			if (res > 0)
				log->fruitless = 0;
		} else if (res == -EINTR || res == -EAGAIN ||
			   res == -ECANCELED) {
			op->resubmit = true;
		} else {
			fail(log, res, "writing %u bytes at offset %" PRIu64,
			     left, op->file_off + op->done);
		}
		return;
	}
	if (res == 0) {
		op->complete = true;
		log->stats.syncs++;
	} else if (res == -EINTR || res == -EAGAIN || res == -ECANCELED) {
		op->resubmit = true;
	} else {
		fail(log, res, "fdatasync after record %" PRIu64, op->upto);
	}
}

/* After the whole chain has completed: retire, resubmit, or cut back. */
static int
chain_settled(struct zk_prooflog *log)
{
	bool again = false;

	complete_in_order(log);
	if (log->err != 0) {
		if (log->n_ops > 0)
			cut_back(log);
		return log->err;
	}
	for (unsigned i = 0; i < log->n_ops; i++)
		again |= log->ops[i].resubmit;
	if (!again)
		return 0;
	if (++log->fruitless > PLOG_MAX_FRUITLESS_RETRIES) {
		fail(log, -EIO, "no progress after %d resubmissions",
		     PLOG_MAX_FRUITLESS_RETRIES);
		cut_back(log);
		return log->err;
	}
	log->stats.retries++;
	return submit_ops(log);
}

static int
reap(struct zk_prooflog *log, uint64_t wait_us)
{
	struct io_uring_cqe *cqe;
	unsigned head, seen = 0;
	int rc;

	if (log->inflight > 0 && wait_us > 0) {
		struct __kernel_timespec ts = {
			.tv_sec = (long long)(wait_us / 1000000u),
			.tv_nsec = (long long)(wait_us % 1000000u) * 1000,
		};

		rc = io_uring_wait_cqe_timeout(&log->ring, &cqe, &ts);
		if (rc < 0 && rc != -ETIME && rc != -EINTR)
			return fail(log, rc, "waiting for completions");
	}
	io_uring_for_each_cqe(&log->ring, head, cqe) {
		handle_cqe(log, cqe->user_data, cqe->res);
		seen++;
	}
	io_uring_cq_advance(&log->ring, seen);
	if (seen > 0 && log->inflight == 0)
		return chain_settled(log);
	return log->err;
}

int
zk_prooflog_poll(struct zk_prooflog *log, uint64_t wait_us)
{
	int rc;

	if (log == NULL)
		return -EINVAL;
	rc = reap(log, 0);
	if (rc == 0 && log->inflight == 0)
		rc = start_chain(log, false);
	if (rc == 0 && wait_us > 0) {
		if (log->inflight > 0) {
			rc = reap(log, wait_us);
		} else if (log->sync_sched_upto < log->last_seq &&
			   log->opts.sync_interval_us > 0) {
			uint64_t due = log->oldest_unsynced_ns +
				       log->opts.sync_interval_us * 1000u;
			uint64_t now = now_ns();
			uint64_t nap = due > now ? (due - now) / 1000u : 0;

			if (nap > wait_us)
				nap = wait_us;
			if (nap > 0)
				usleep((useconds_t)nap);
		}
		if (rc == 0 && log->inflight == 0)
			rc = start_chain(log, false);
	}
	return rc;
}

int
zk_prooflog_flush(struct zk_prooflog *log)
{
	int rc = 0;

	if (log == NULL)
		return -EINVAL;
	while (rc == 0 && log->durable_seq < log->last_seq) {
		if (log->inflight == 0)
			rc = start_chain(log, true);
		if (rc == 0 && log->inflight == 0)
			rc = fail(log, -EIO, "flush: nothing left to submit "
				  "but record %" PRIu64 " is not durable",
				  log->durable_seq + 1);
		if (rc == 0)
			rc = reap(log, 1000000);
	}
	return rc != 0 ? rc : log->err;
}

/* Room for a record of padded bytes: offset into the buffer, or -1. */
static long long
buffer_place(struct zk_prooflog *log, uint32_t padded, uint32_t *span)
{
	if (log->last_seq - log->written_upto >= log->qcap ||
	    log->buf_used + padded > log->buf_size)
		return -1;
	if (log->buf_used == 0 || log->buf_tail > log->buf_head) {
		if (log->buf_size - log->buf_tail >= padded) {
			*span = padded;
			return (long long)log->buf_tail;
		}
		if (log->buf_head >= padded) {
			*span = padded + (uint32_t)(log->buf_size -
						    log->buf_tail);
			return 0;
		}
		return -1;
	}
	if (log->buf_head - log->buf_tail >= padded) {
		*span = padded;
		return (long long)log->buf_tail;
	}
	return -1;
}

static int
append(struct zk_prooflog *log, uint8_t type, const uint8_t *payload,
       uint32_t payload_len, const void *extra, size_t extra_len,
       uint64_t *seq_out)
{
	uint32_t len = PLOG_REC_HDR_SIZE + payload_len + (uint32_t)extra_len;
	uint32_t padded = (uint32_t)plog_pad(len), span = 0;
	struct plog_staged *s;
	long long at = -1;
	uint8_t *r;
	int rc;

	if (log->err != 0)
		return log->err;
	if (padded > log->buf_size)
		return -EMSGSIZE;
	rc = reap(log, 0);
	while (rc == 0 && (at = buffer_place(log, padded, &span)) < 0) {
		log->stats.stalls++;
		if (log->inflight == 0)
			rc = start_chain(log, false);
		if (rc == 0)
			rc = reap(log, 1000000);
	}
	if (rc != 0)
		return rc;
	r = log->buf + at;
	plog_put32(r, PLOG_REC_MAGIC);
	r[4] = PLOG_REC_VERSION;
	r[5] = type;
	plog_put16(r + 6, 0);
	plog_put64(r + 8, log->last_seq + 1);
	plog_put64(r + 16, log->durable_seq);
	plog_put32(r + 24, len);
	memcpy(r + PLOG_REC_HDR_SIZE, payload, payload_len);
	if (extra_len > 0)
		memcpy(r + PLOG_REC_HDR_SIZE + payload_len, extra, extra_len);
	memset(r + len, 0, padded - len);
	plog_put32(r + PLOG_REC_CRC_OFF, plog_record_crc(log->salt, r, len));

	s = staged_rec(log, ++log->last_seq);
	s->buf_off = (size_t)at;
	s->padded = padded;
	s->span = span;
	s->append_ns = now_ns();
	if (log->sync_sched_upto + 1 == log->last_seq)
		log->oldest_unsynced_ns = s->append_ns;
	log->buf_used += span;
	log->buf_tail = (size_t)at + padded;
	log->file_end += padded;
	log->stats.records_appended++;
	if (seq_out != NULL)
		*seq_out = log->last_seq;
	if (log->inflight == 0 &&
	    log->last_seq - log->submitted_upto >= log->opts.submit_batch)
		return start_chain(log, false);
	return 0;
}

int
zk_prooflog_append_proof(struct zk_prooflog *log,
			 const struct zk_statement *st, const void *proof,
			 size_t proof_len, uint64_t *seq_out)
{
	uint8_t enc[ZK_STATEMENT_WIRE_SIZE];

	if (log == NULL || st == NULL || (proof == NULL && proof_len > 0) ||
	    !zk_statement_is_well_formed(st))
		return -EINVAL;
	if (proof_len > ZK_PROOFLOG_MAX_RECORD - PLOG_PROOF_MIN_LEN)
		return -EMSGSIZE;
	zk_statement_encode(st, enc);
	return append(log, ZK_PROOFLOG_REC_PROOF, enc, sizeof(enc), proof,
		      proof_len, seq_out);
}

int
zk_prooflog_append_skip(struct zk_prooflog *log, uint32_t market,
			uint64_t first_seq, uint64_t last_seq, uint32_t reason,
			uint64_t *seq_out)
{
	uint8_t p[PLOG_SKIP_PAYLOAD];

	if (log == NULL || first_seq > last_seq)
		return -EINVAL;
	plog_put32(p, market);
	plog_put32(p + 4, reason);
	plog_put64(p + 8, first_seq);
	plog_put64(p + 16, last_seq);
	return append(log, ZK_PROOFLOG_REC_SKIP, p, sizeof(p), NULL, 0,
		      seq_out);
}

int
zk_prooflog_append_resync(struct zk_prooflog *log,
			  const struct zk_prooflog_resync *rs, uint64_t *seq_out)
{
	uint8_t p[PLOG_RESYNC_PAYLOAD];

	if (log == NULL || rs == NULL || rs->first_seq > rs->last_seq ||
	    rs->ops == 0 || rs->batches == 0)
		return -EINVAL;
	plog_put32(p, rs->market);
	plog_put32(p + 4, rs->reason);
	plog_put64(p + 8, rs->first_seq);
	plog_put64(p + 16, rs->last_seq);
	plog_put64(p + 24, rs->ops);
	plog_put64(p + 32, rs->batches);
	plog_put64(p + 40, rs->last_batch_seq);
	memcpy(p + 48, rs->new_root, ZK_ROOT_SIZE);
	return append(log, ZK_PROOFLOG_REC_RESYNC, p, sizeof(p), NULL, 0,
		      seq_out);
}

int
zk_prooflog_append_unproven(struct zk_prooflog *log,
			    const struct zk_statement *st, uint32_t reason,
			    const char *text, uint64_t *seq_out)
{
	uint8_t p[ZK_STATEMENT_WIRE_SIZE + PLOG_UNPROVEN_FIXED];
	size_t n = text == NULL ? 0 : strnlen(text, ZK_PROOFLOG_TEXT_MAX);

	if (log == NULL || st == NULL || !zk_statement_is_well_formed(st))
		return -EINVAL;
	zk_statement_encode(st, p);
	plog_put32(p + ZK_STATEMENT_WIRE_SIZE, reason);
	plog_put32(p + ZK_STATEMENT_WIRE_SIZE + 4, (uint32_t)n);
	return append(log, ZK_PROOFLOG_REC_UNPROVEN, p, sizeof(p), text, n,
		      seq_out);
}

int
zk_prooflog_append_restart(struct zk_prooflog *log, uint64_t wall_ns,
			   uint64_t *seq_out)
{
	uint8_t p[PLOG_RESTART_PAYLOAD] = { 0 };

	if (log == NULL)
		return -EINVAL;
	plog_put64(p, wall_ns);
	return append(log, ZK_PROOFLOG_REC_RESTART, p, sizeof(p), NULL, 0,
		      seq_out);
}

static const char *const unproven_names[] = {
	[ZK_UNPROVEN_UNSUPPORTED] = "unsupported",
	[ZK_UNPROVEN_FAILED] = "failed",
	[ZK_UNPROVEN_DEADLINE] = "deadline",
	[ZK_UNPROVEN_NO_BACKEND] = "no_backend",
	[ZK_UNPROVEN_ABANDONED] = "abandoned",
	[ZK_UNPROVEN_BACKLOG] = "backlog",
};

const char *
zk_unproven_reason_name(uint32_t reason)
{
	if (reason == 0 || reason > ZK_UNPROVEN__MAX)
		return "unknown";
	return unproven_names[reason];
}

uint64_t
zk_prooflog_durable_seq(const struct zk_prooflog *log)
{
	return log == NULL ? 0 : log->durable_seq;
}

uint64_t
zk_prooflog_last_seq(const struct zk_prooflog *log)
{
	return log == NULL ? 0 : log->last_seq;
}

void
zk_prooflog_get_stats(const struct zk_prooflog *log,
		      struct zk_prooflog_stats *stats)
{
	if (log != NULL && stats != NULL)
		*stats = log->stats;
}

int
zk_prooflog_error(const struct zk_prooflog *log)
{
	return log == NULL ? -EINVAL : log->err;
}

const char *
zk_prooflog_errmsg(const struct zk_prooflog *log)
{
	return log == NULL ? "no log" : log->errmsg;
}
