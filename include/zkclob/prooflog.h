/* SPDX-License-Identifier: MIT */
/*
 * zkclob — the proof log: an append-only, crash-safe file of checksummed
 * records (a proven batch: statement + proof bytes; a batch no backend
 * proved: statement + reason, so the root chain stays continuous; an
 * operator's skip of an operation-sequence gap; a writer restart with empty
 * books, where every market's chain starts again; a resync, where ops a
 * backlogged prover never saw were applied unproven and one market's
 * chain continues from the root of its book as rebuilt after them). The on-disk format is described at the top of
 * prover/prooflog.c and in docs/prooflog.md.
 *
 * Spec
 *  - One writer per file (flock), on one thread. Appends are staged in a
 *    registered buffer and written with io_uring (registered file, linked
 *    write → fdatasync chains, one chain in flight, so every fdatasync
 *    covers every earlier write).
 *  - Durability policy: fdatasync after every record, after every N
 *    records, or when the oldest unsynced record is T µs old. A record is
 *    reported durable (zk_prooflog_durable_seq(), on_durable) only after an
 *    fdatasync that covers it has completed successfully; flush and close
 *    make everything durable whatever the policy.
 *  - Errors are sticky: after a write/fdatasync error other than
 *    EINTR/EAGAIN (retried) the file is cut back to the last whole record,
 *    every later call returns the error, and zk_prooflog_errmsg() says
 *    what failed. An fdatasync error is never retried (the page cache may
 *    have dropped the data): reopen, and recovery decides what survived.
 *  - Open recovers: it checks every record, truncates a torn tail (a
 *    partial or bad last record, garbage after the last record) and
 *    reports the last record. A bad record followed by good ones is
 *    corruption in the middle: open refuses (-EBADMSG) and changes
 *    nothing, unless ZK_PROOFLOG_REPAIR is given, which truncates there.
 *  - Record sequence numbers start at 1 and are contiguous.
 *  - Functions return 0 (or a count) on success and a negative errno.
 */
#ifndef ZKCLOB_PROOFLOG_H
#define ZKCLOB_PROOFLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zkclob/statement.h"

#define ZK_PROOFLOG_ERRLEN 256
/* Largest record (header + statement + proof); bounds what a reader trusts. */
#define ZK_PROOFLOG_MAX_RECORD (64u << 20)

enum zk_prooflog_record_type {
	ZK_PROOFLOG_REC_PROOF = 1, /* statement + proof bytes */
	ZK_PROOFLOG_REC_SKIP = 2,  /* operator skipped an op-sequence gap */
	ZK_PROOFLOG_REC_UNPROVEN = 3, /* statement + reason: not proven */
	ZK_PROOFLOG_REC_RESTART = 4,  /* books restarted empty: chains restart */
	ZK_PROOFLOG_REC_RESYNC = 5,   /* unproven op range; chain resumes at root */
};

/* Why a batch has an unproven record (zk_prooflog_append_unproven). */
enum zk_unproven_reason {
	ZK_UNPROVEN_UNSUPPORTED = 1, /* an op kind no backend's AIR constrains */
	ZK_UNPROVEN_FAILED = 2,      /* every attempt failed (backend errors) */
	ZK_UNPROVEN_DEADLINE = 3,    /* the routing deadline passed */
	ZK_UNPROVEN_NO_BACKEND = 4,  /* no backend met the constraints */
	ZK_UNPROVEN_ABANDONED = 5,   /* shutdown with on_stop = abandon */
	ZK_UNPROVEN_BACKLOG = 6,     /* on_backlog = skip: the prover was full */
	ZK_UNPROVEN__MAX = 6,
};
/* "unsupported", "failed", ...; "unknown" for other values. */
const char *zk_unproven_reason_name(uint32_t reason);
#define ZK_PROOFLOG_TEXT_MAX 255 /* unproven record's reason text, bytes */

enum zk_prooflog_sync {
	ZK_PROOFLOG_SYNC_EACH = 1,     /* fdatasync after every record */
	ZK_PROOFLOG_SYNC_EVERY_N = 2,  /* after every sync_every_n records */
	ZK_PROOFLOG_SYNC_INTERVAL = 3, /* when the oldest unsynced is T µs old */
};

/* zk_prooflog_open() flags */
#define ZK_PROOFLOG_CREATE 0x1u /* create the file if it does not exist */
#define ZK_PROOFLOG_REPAIR 0x2u /* truncate at corruption in the middle */

struct zk_prooflog_opts {
	enum zk_prooflog_sync sync;
	uint32_t sync_every_n;     /* ZK_PROOFLOG_SYNC_EVERY_N */
	uint64_t sync_interval_us; /* ZK_PROOFLOG_SYNC_INTERVAL */
	size_t buffer_bytes;       /* staging buffer; 0 = 4 MiB */
	uint32_t submit_batch;     /* submit once this many are staged; 0 = 32 */
	/* Drills only: hold every chain that carries an fdatasync this long
	 * before submitting it — a slow disk, as the pipeline sees one
	 * (durability lags, the writer's queue backs up). 0 in production. */
	uint32_t fault_sync_delay_us;
	/* called (writer thread) each time the durable sequence advances */
	void (*on_durable)(void *arg, uint64_t durable_seq);
	void *on_durable_arg;
};

/* What a scan of the file found (open, zk_prooflog_recover, the reader). */
struct zk_prooflog_scan {
	uint64_t records;        /* valid records kept */
	uint64_t last_seq;       /* seq of the last valid record, 0 if none */
	uint64_t valid_end;      /* file offset just past the last valid record */
	uint64_t file_size;      /* size found before any truncation */
	bool have_statement;     /* a proof or unproven record was found */
	struct zk_statement last_statement; /* from the last of those */
	uint64_t last_statement_seq;
	bool torn_tail;          /* bytes after valid_end that are no record */
	bool middle_corruption;  /* a bad record followed by valid ones */
	uint64_t bad_offset;     /* first bad byte range starts here */
	uint64_t next_valid_offset; /* middle corruption: next valid record */
	uint64_t dropped_records;   /* repair: valid records cut off */
	bool truncated;          /* the file was cut to valid_end */
	char reason[ZK_PROOFLOG_ERRLEN];
};

struct zk_prooflog_stats {
	uint64_t records_appended;
	uint64_t bytes_written;
	uint64_t writes;         /* write SQEs completed */
	uint64_t syncs;          /* fdatasync SQEs completed */
	uint64_t submits;        /* io_uring_submit calls */
	uint64_t short_writes;
	uint64_t retries;        /* EINTR/EAGAIN/short-write resubmissions */
	uint64_t stalls;         /* appends that waited for buffer space */
	bool registered_buffer;  /* false if the kernel refused to pin it */
};

struct zk_prooflog;

/*
 * Open (recovering) or create a log for appending. scan may be NULL; when
 * given it is filled even when open fails (e.g. with the corruption's
 * offset). opts may be NULL (per-record fdatasync).
 */
int zk_prooflog_open(const char *path, unsigned flags,
		     const struct zk_prooflog_opts *opts,
		     struct zk_prooflog **out, struct zk_prooflog_scan *scan);

/*
 * Append one record; returns its seq through seq_out (may be NULL). The
 * record is staged; it is written by a later submission (automatic once
 * submit_batch records are staged, or by poll/flush). Blocks only while
 * the staging buffer is full.
 */
int zk_prooflog_append_proof(struct zk_prooflog *log,
			     const struct zk_statement *st, const void *proof,
			     size_t proof_len, uint64_t *seq_out);
/* No backend proved st (its roots still chain): reason code and text
 * (truncated to ZK_PROOFLOG_TEXT_MAX bytes). */
int zk_prooflog_append_unproven(struct zk_prooflog *log,
				const struct zk_statement *st, uint32_t reason,
				const char *text, uint64_t *seq_out);
/* The writer starts again from empty books (wall_ns: CLOCK_REALTIME ns). */
int zk_prooflog_append_restart(struct zk_prooflog *log, uint64_t wall_ns,
			       uint64_t *seq_out);
/*
 * One market's ops first_seq..last_seq (inclusive; stream seq numbers,
 * other markets' ops lie between) were applied without a proof: `ops`
 * ops in `batches` batches, for `reason` (enum zk_unproven_reason). The
 * market's book after them commits to new_root; its next statement has
 * old_root = new_root and batch_seq = last_batch_seq + 1 (the batch seq
 * of its last statement before the range: unproven batches take none).
 */
struct zk_prooflog_resync {
	uint32_t market;
	uint32_t reason;
	uint64_t first_seq, last_seq;
	uint64_t ops, batches;
	uint64_t last_batch_seq;
	uint8_t new_root[ZK_ROOT_SIZE];
};
int zk_prooflog_append_resync(struct zk_prooflog *log,
			      const struct zk_prooflog_resync *rs,
			      uint64_t *seq_out);
/* The operator skipped ops first_seq..last_seq (inclusive) of `market`. */
int zk_prooflog_append_skip(struct zk_prooflog *log, uint32_t market,
			    uint64_t first_seq, uint64_t last_seq,
			    uint32_t reason, uint64_t *seq_out);

/*
 * Drive the log: submit staged records when nothing is in flight, reap
 * completions, start an interval fdatasync that is due. Waits up to
 * wait_us for a completion when something is in flight.
 */
int zk_prooflog_poll(struct zk_prooflog *log, uint64_t wait_us);
/* Make every appended record durable; waits. */
int zk_prooflog_flush(struct zk_prooflog *log);
/* Flush, then release everything; returns the flush's result. */
int zk_prooflog_close(struct zk_prooflog *log);

uint64_t zk_prooflog_durable_seq(const struct zk_prooflog *log);
uint64_t zk_prooflog_last_seq(const struct zk_prooflog *log);
void zk_prooflog_get_stats(const struct zk_prooflog *log,
			   struct zk_prooflog_stats *stats);
/* The sticky error's errno (negative) and text; 0 / "" when none. */
int zk_prooflog_error(const struct zk_prooflog *log);
const char *zk_prooflog_errmsg(const struct zk_prooflog *log);

/*
 * Recovery without opening for append: scan the file, truncate a torn
 * tail (and with ZK_PROOFLOG_REPAIR, corruption in the middle). Returns 0,
 * -EBADMSG for refused corruption, or another negative errno.
 */
int zk_prooflog_recover(const char *path, unsigned flags,
			struct zk_prooflog_scan *scan);

/* ---- reading ---- */

struct zk_prooflog_skip {
	uint32_t market;
	uint32_t reason;
	uint64_t first_seq;
	uint64_t last_seq;
};

struct zk_prooflog_record {
	enum zk_prooflog_record_type type;
	uint64_t seq;
	uint64_t durable_seq_at_write; /* writer's durable seq when staged */
	uint64_t offset;               /* file offset of the record */
	uint32_t length;               /* header + payload, before padding */
	struct zk_statement statement; /* REC_PROOF and REC_UNPROVEN */
	uint32_t unproven_reason;      /* REC_UNPROVEN: enum zk_unproven_reason */
	char unproven_text[ZK_PROOFLOG_TEXT_MAX + 1];
	uint64_t restart_ns;           /* REC_RESTART */
	const uint8_t *proof;          /* valid until the next call */
	size_t proof_len;
	struct zk_prooflog_skip skip;  /* ZK_PROOFLOG_REC_SKIP */
	struct zk_prooflog_resync resync; /* ZK_PROOFLOG_REC_RESYNC */
};

struct zk_prooflog_reader;

/* Read-only; never modifies the file. */
int zk_prooflog_reader_open(const char *path,
			    struct zk_prooflog_reader **out, char *err,
			    size_t errlen);
/*
 * 1: a record; 0: end of the valid log (a torn tail is not an error, see
 * the scan); -EBADMSG: corruption in the middle (scan says where); another
 * negative errno for I/O errors.
 */
int zk_prooflog_reader_next(struct zk_prooflog_reader *rd,
			    struct zk_prooflog_record *rec);
/* What the reader has seen so far (complete after next() returned <= 0). */
const struct zk_prooflog_scan *
zk_prooflog_reader_scan(const struct zk_prooflog_reader *rd);
/* File header: creation time (ns since the epoch) and first record seq. */
void zk_prooflog_reader_header(const struct zk_prooflog_reader *rd,
			       uint64_t *created_ns, uint64_t *first_seq);
void zk_prooflog_reader_close(struct zk_prooflog_reader *rd);

/* ---- chain checks (for `zkclob verify-log`) ---- */

enum zk_prooflog_chain_error {
	ZK_CHAIN_OK = 0,
	ZK_CHAIN_BAD_RANGE,     /* first_seq > last_seq (statement or skip) */
	ZK_CHAIN_ROOT_MISMATCH, /* old_root(n+1) != new_root(n) */
	ZK_CHAIN_SEQ_GAP,       /* first_seq > expected, no skip record */
	ZK_CHAIN_SEQ_OVERLAP,   /* first_seq < expected */
	ZK_CHAIN_BATCH_SEQ,     /* batch_seq(n+1) != batch_seq(n) + 1 */
	ZK_CHAIN_SKIP_START,    /* skip does not start at the expected op */
	ZK_CHAIN_TOO_MANY_MARKETS, /* per-market check: more than it tracks */
	ZK_CHAIN_RESYNC_BATCH_SEQ, /* resync's last_batch_seq != the chain's */
};

/* Streaming state: feed records in order. */
struct zk_prooflog_chain {
	bool have_prev;          /* a previous proof fixes the roots */
	bool have_next_op;       /* next_op_seq is known */
	uint8_t root[ZK_ROOT_SIZE]; /* the current book commitment */
	uint64_t next_op_seq;    /* the op the next record must start at */
	uint64_t last_batch_seq;
	uint64_t proofs, skips, unproven, restarts;
	uint64_t resyncs, resync_ops; /* unproven ranges and their ops */
};

struct zk_prooflog_chain_result {
	enum zk_prooflog_chain_error error;
	uint64_t record_seq;     /* the record that broke the chain */
	uint64_t offset;
	char message[ZK_PROOFLOG_ERRLEN];
};

/* anchor (may be NULL): the statement the log continues from. */
void zk_prooflog_chain_init(struct zk_prooflog_chain *chain,
			    const struct zk_statement *anchor);
/* ZK_CHAIN_OK, or the error (res filled, may be NULL). */
enum zk_prooflog_chain_error
zk_prooflog_chain_step(struct zk_prooflog_chain *chain,
		       const struct zk_prooflog_record *rec,
		       struct zk_prooflog_chain_result *res);
/*
 * Read the rest of the log through rd and check the chain. 0: the whole
 * log chains; 1: a chain error (res says which); negative errno: the
 * reader failed (corruption in the middle: -EBADMSG).
 */
int zk_prooflog_check_chain(struct zk_prooflog_reader *rd,
			    const struct zk_statement *anchor,
			    struct zk_prooflog_chain_result *res);

const char *zk_prooflog_chain_error_str(enum zk_prooflog_chain_error e);

/*
 * Per-market chains (zkclobd's logs): each market's statements chain on
 * their own (old_root = that market's previous new_root, batch_seq + 1,
 * first_seq after its previous last_seq; other markets' ops may lie in
 * between). A skip record covers the whole stream: it must start after
 * every op seen so far. A restart record starts every chain again. A
 * resync record belongs to its market's chain: its range starts after
 * that market's last op, its last_batch_seq is the chain's, and the chain
 * continues from its root after its last op (chain_step applies the same
 * rule to a single chain).
 */
#define ZK_PROOFLOG_CHAIN_MARKETS 64
struct zk_prooflog_mchain {
	size_t n;
	uint32_t market[ZK_PROOFLOG_CHAIN_MARKETS];
	struct zk_prooflog_chain chain[ZK_PROOFLOG_CHAIN_MARKETS];
	uint64_t next_op_seq;    /* after the highest op seen */
	uint64_t proofs, skips, unproven, restarts;
	uint64_t resyncs, resync_ops, resync_batches;
};
void zk_prooflog_mchain_init(struct zk_prooflog_mchain *mc);
enum zk_prooflog_chain_error
zk_prooflog_mchain_step(struct zk_prooflog_mchain *mc,
			const struct zk_prooflog_record *rec,
			struct zk_prooflog_chain_result *res);

#endif /* ZKCLOB_PROOFLOG_H */
