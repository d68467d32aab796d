/* SPDX-License-Identifier: MIT */
/*
 * The proof log writer's state, shared by prooflog.c (appending, the
 * io_uring chains) and prooflog_open.c (create, recover, set up, close).
 */
#ifndef ZKCLOB_PROVER_PROOFLOG_WRITER_H
#define ZKCLOB_PROVER_PROOFLOG_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <liburing.h>

#include "prooflog_priv.h"

#define PLOG_RING_ENTRIES 64
#define PLOG_DEFAULT_BUFFER (4u << 20)
#define PLOG_MIN_BUFFER (64u << 10)
#define PLOG_MAX_BUFFER (1u << 30)
#define PLOG_DEFAULT_SUBMIT_BATCH 32
#define PLOG_MAX_FRUITLESS_RETRIES 32

enum plog_op_kind { PLOG_OP_WRITE, PLOG_OP_SYNC };

struct plog_chain_op {
	enum plog_op_kind kind;
	bool complete;
	bool resubmit;
	uint32_t len;      /* write: bytes */
	uint32_t done;     /* write: bytes already written */
	size_t buf_off;    /* write: offset in the staging buffer */
	uint64_t file_off; /* write: file offset */
	uint64_t upto;     /* last record seq this op writes / syncs */
};

struct plog_staged {
	size_t buf_off;
	uint32_t padded;
	uint32_t span; /* padded + bytes skipped at the buffer's end */
	uint64_t append_ns;
};

struct zk_prooflog {
	int fd;
	struct io_uring ring;
	struct zk_prooflog_opts opts;
	uint64_t salt;

	uint8_t *buf;
	size_t buf_size, buf_head, buf_tail, buf_used;
	struct plog_staged *q; /* records written_upto+1 .. last_seq, by seq % qcap */
	uint32_t qcap;

	uint64_t last_seq;      /* last appended */
	uint64_t submitted_upto; /* last record put in a chain */
	uint64_t written_upto;  /* last record completely written */
	uint64_t sync_sched_upto; /* last record an fdatasync was queued for */
	uint64_t durable_seq;
	uint64_t file_end;      /* end of the last appended record */
	uint64_t written_end;   /* end of the last written record */
	uint64_t oldest_unsynced_ns;

	struct plog_chain_op ops[PLOG_RING_ENTRIES];
	unsigned n_ops, inflight, fruitless;

	struct zk_prooflog_stats stats;
	int err;
	char errmsg[ZK_PROOFLOG_ERRLEN];
};

#endif /* ZKCLOB_PROVER_PROOFLOG_WRITER_H */
