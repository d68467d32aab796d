/* SPDX-License-Identifier: MIT */
/*
 * zkclob — the audit log: an append-only, hash-chained file recording every
 * proof produced, every verification failure, every config change and every
 * operator command (DESIGN.md §9). Format: top of telemetry/audit.c and
 * docs/audit.md.
 *
 * Spec
 *  - Each record carries the hash of the previous one; its own hash is
 *    BLAKE2b-256(prev_hash || record header || payload). The first record
 *    chains to the genesis hash, BLAKE2b-256 of the file header (which holds
 *    a random salt, so two logs never share a chain).
 *  - One writer process per file (flock); inside it any number of threads
 *    may append, a mutex serialises them so sequence numbers and the chain
 *    follow the order of the appends. Writes use O_APPEND; by default every
 *    record is fdatasync'ed before the append returns (records are rare).
 *  - Open verifies the whole chain. A torn tail (the last record cut short)
 *    is truncated and reported. Any other finding (bad header, bad hash,
 *    broken chain, wrong sequence number, undecodable payload) is reported
 *    with its record number and offset and open refuses (-EBADMSG),
 *    changing nothing, unless ZK_AUDIT_REPAIR is given: then the damaged
 *    file is renamed to "<path>.broken.<n>" and a NEW file is started at
 *    path whose first record describes the break. Nothing is ever rewritten.
 *  - zk_audit_verify() checks a file independently (read-only). An anchor
 *    (record count + head hash, zk_audit_head()) published by an operator
 *    lets zk_audit_verify_anchor() prove that nothing up to that record was
 *    truncated or rewritten since.
 *  - Functions return 0 (or 1 for "a record was read") on success and a
 *    negative errno on failure; -EBADMSG means "the log is damaged, see the
 *    report". Appending to a log after a write error returns that error
 *    until it is reopened (recovery then decides what survived).
 *  - Not async-signal-safe: record a signal from the thread that handles it
 *    (signalfd or a flag), not from inside a signal handler.
 */
#ifndef ZKCLOB_AUDIT_H
#define ZKCLOB_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zkclob/statement.h"

#define ZK_AUDIT_HASH_SIZE 32
#define ZK_AUDIT_SALT_SIZE 16
/* Largest payload a record may carry; bounds what a reader trusts. */
#define ZK_AUDIT_MAX_PAYLOAD 65536u
/* Most argv entries one operator-command record keeps. */
#define ZK_AUDIT_MAX_ARGS 64
/* Longest changed-keys summary of a config change (longer ones end "+N more"). */
#define ZK_AUDIT_MAX_SUMMARY 1024
/* Buffer size zk_audit_anchor_format() needs, NUL included. */
#define ZK_AUDIT_ANCHOR_TEXT 96

enum zk_audit_type {
	ZK_AUDIT_PROOF = 1,         /* a proof was produced */
	ZK_AUDIT_VERIFY_FAIL = 2,   /* a proof failed verification */
	ZK_AUDIT_CONFIG_CHANGE = 3, /* a config file was (re)loaded changed */
	ZK_AUDIT_OPERATOR = 4,      /* an operator command or signal */
	ZK_AUDIT_CHAIN_BREAK = 5,   /* first record of a repair segment */
};

enum zk_audit_status {
	ZK_AUDIT_OK = 0,
	ZK_AUDIT_TORN_TAIL,         /* last record incomplete */
	ZK_AUDIT_BAD_FILE_HEADER,   /* magic, version or header check wrong */
	ZK_AUDIT_BAD_RECORD_HEADER, /* magic, length or header check wrong */
	ZK_AUDIT_CHAIN_BROKEN,      /* prev_hash is not the previous record's hash */
	ZK_AUDIT_BAD_HASH,          /* record hash does not match its content */
	ZK_AUDIT_BAD_SEQ,           /* sequence number out of order */
	ZK_AUDIT_BAD_PAYLOAD,       /* hash fine, payload does not decode */
	ZK_AUDIT_ANCHOR_MISMATCH,   /* chain fine, but not the published head */
};

/* zk_audit_options.flags */
#define ZK_AUDIT_REPAIR 0x1u /* damaged log: start a new segment (see Spec) */

struct zk_audit_options {
	uint32_t flags;
	/* fdatasync after every N records; 0 means the default, 1 (each
	 * record). zk_audit_sync() and close always sync. */
	uint32_t sync_every;
};

/* What a check found. Record numbers count from 0 within one file. After a
 * repair it describes the damaged file (now at broken_path). */
struct zk_audit_report {
	enum zk_audit_status status;
	uint64_t records;      /* valid records before the finding (or in all) */
	uint64_t bad_record;   /* number of the record with the finding */
	uint64_t bad_offset;   /* its byte offset in the file */
	uint64_t valid_bytes;  /* end of the last valid record */
	uint64_t torn_bytes;   /* bytes after valid_bytes (cut by open) */
	uint8_t head[ZK_AUDIT_HASH_SIZE]; /* hash of the last valid record */
	uint8_t salt[ZK_AUDIT_SALT_SIZE];
	bool repaired;         /* open started a new segment */
	char broken_path[4096]; /* where the damaged file went, when repaired */
	char detail[160];      /* one human-readable line */
};

/* A published head: "the first `records` records end in hash `head`". */
struct zk_audit_anchor {
	uint64_t records;
	uint8_t head[ZK_AUDIT_HASH_SIZE];
};

/* One record as read from a file; payload points into the reader and is
 * valid until the next zk_audit_reader_next(). */
struct zk_audit_record {
	uint64_t seq;
	uint64_t offset;
	uint64_t realtime_ns;  /* CLOCK_REALTIME at append */
	uint64_t monotonic_ns; /* CLOCK_MONOTONIC at append */
	enum zk_audit_type type;
	uint8_t prev_hash[ZK_AUDIT_HASH_SIZE];
	uint8_t hash[ZK_AUDIT_HASH_SIZE];
	const uint8_t *payload;
	uint32_t payload_len;
};

/* A string inside a record payload: not NUL-terminated. */
struct zk_audit_str {
	const char *ptr;
	uint32_t len;
};

/* A decoded payload; strings point into the record's payload. */
struct zk_audit_entry {
	enum zk_audit_type type;
	union {
		struct {
			struct zk_statement st;
			struct zk_audit_str backend;
			uint8_t proof_hash[ZK_AUDIT_HASH_SIZE];
			uint64_t proof_len;
		} proof;
		struct {
			struct zk_statement st;
			struct zk_audit_str backend;
			uint8_t proof_hash[ZK_AUDIT_HASH_SIZE];
			struct zk_audit_str reason;
		} verify_fail;
		struct {
			struct zk_audit_str path;
			uint8_t old_hash[ZK_AUDIT_HASH_SIZE]; /* BLAKE2b-256 of the text */
			uint8_t new_hash[ZK_AUDIT_HASH_SIZE];
			struct zk_audit_str changes; /* "+s.k -s.k ~s.k", see docs */
		} config;
		struct {
			uint32_t uid;
			int32_t signo; /* 0 for a command */
			uint32_t argc; /* signal: 1, argv[0] = "SIGHUP" etc. */
			struct zk_audit_str argv[ZK_AUDIT_MAX_ARGS];
		} operator_cmd;
		struct {
			struct zk_audit_str broken_path;
			enum zk_audit_status status;
			uint64_t bad_record;
			uint64_t bad_offset;
			uint64_t valid_records;
			uint8_t valid_head[ZK_AUDIT_HASH_SIZE];
			uint8_t broken_salt[ZK_AUDIT_SALT_SIZE];
		} chain_break;
	};
};

struct zk_audit;
struct zk_audit_reader;

/* Open (creating if absent) and recover the log at path. opts may be NULL
 * (defaults), rep may be NULL. -EBADMSG: damaged, rep says where. -EBUSY:
 * another process has it open for writing. */
int zk_audit_open(const char *path, const struct zk_audit_options *opts,
		  struct zk_audit **out, struct zk_audit_report *rep);
/* Syncs and closes; NULL is ignored. Returns the first deferred error. */
int zk_audit_close(struct zk_audit *log);
int zk_audit_sync(struct zk_audit *log);
/* The current head, to publish as an anchor. */
int zk_audit_head(struct zk_audit *log, struct zk_audit_anchor *anchor);

int zk_audit_proof(struct zk_audit *log, const struct zk_statement *st,
		   const char *backend,
		   const uint8_t proof_hash[ZK_AUDIT_HASH_SIZE],
		   uint64_t proof_len);
/* proof_hash may be NULL when no proof bytes were received (all zero). */
int zk_audit_verify_failure(struct zk_audit *log,
			    const struct zk_statement *st, const char *backend,
			    const uint8_t proof_hash[ZK_AUDIT_HASH_SIZE],
			    const char *reason);
/* Hashes both texts and records which INI keys were added, removed or
 * changed (never their values: a config may hold secrets). old_text may be
 * NULL (first load). */
int zk_audit_config_change(struct zk_audit *log, const char *path,
			   const char *old_text, size_t old_len,
			   const char *new_text, size_t new_len);
int zk_audit_operator_command(struct zk_audit *log, uint32_t uid, int argc,
			      const char *const argv[]);
int zk_audit_operator_signal(struct zk_audit *log, uint32_t uid, int signo);

/* Read-only, independent check of a whole file. 0 when sound; -EBADMSG with
 * rep filled when not; other negative errno when it cannot be read. */
int zk_audit_verify(const char *path, struct zk_audit_report *rep);
/* As zk_audit_verify(), and the file's first anchor->records records must
 * end in anchor->head (else ZK_AUDIT_ANCHOR_MISMATCH). */
int zk_audit_verify_anchor(const char *path,
			   const struct zk_audit_anchor *anchor,
			   struct zk_audit_report *rep);

/* "<records>:<64 hex digits>" */
int zk_audit_anchor_format(const struct zk_audit_anchor *anchor, char *buf,
			   size_t len);
int zk_audit_anchor_parse(const char *text, struct zk_audit_anchor *anchor);

int zk_audit_reader_open(const char *path, struct zk_audit_reader **out);
/* 1: rec filled; 0: clean end of log; -EBADMSG: finding (see report). */
int zk_audit_reader_next(struct zk_audit_reader *r,
			 struct zk_audit_record *rec);
void zk_audit_reader_report(const struct zk_audit_reader *r,
			    struct zk_audit_report *rep);
void zk_audit_reader_close(struct zk_audit_reader *r);

/* Decode a record's payload; -EBADMSG if it is malformed. */
int zk_audit_decode(const struct zk_audit_record *rec,
		    struct zk_audit_entry *out);

const char *zk_audit_status_name(enum zk_audit_status status);
const char *zk_audit_type_name(enum zk_audit_type type);

#endif /* ZKCLOB_AUDIT_H */
