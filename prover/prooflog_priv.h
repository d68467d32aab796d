/* SPDX-License-Identifier: MIT */
/*
 * Proof log internals shared by the writer (prooflog.c) and the reader /
 * recovery (prooflog_read.c): the on-disk layout (see prooflog.c's header
 * comment) and the little-endian field helpers.
 */
#ifndef ZKCLOB_PROVER_PROOFLOG_PRIV_H
#define ZKCLOB_PROVER_PROOFLOG_PRIV_H

#include <stdint.h>
#include <string.h>

#include "zkclob/prooflog.h"

#define PLOG_FILE_MAGIC "ZKCLOBPL"
#define PLOG_FORMAT_VERSION 1
#define PLOG_FILE_HDR_SIZE 64
#define PLOG_ALIGN 8
#define PLOG_CREATOR_LEN 20

#define PLOG_REC_MAGIC 0x52504b5au /* "ZKPR" little-endian */
#define PLOG_REC_VERSION 1
#define PLOG_REC_HDR_SIZE 32
#define PLOG_REC_CRC_OFF 28
#define PLOG_SKIP_PAYLOAD 24

#define PLOG_RESTART_PAYLOAD 16
/* market u32, reason u32, first, last, ops, batches, last batch seq u64,
 * new root */
#define PLOG_RESYNC_PAYLOAD (8 + 5 * 8 + ZK_ROOT_SIZE)
#define PLOG_UNPROVEN_FIXED 8 /* reason u32, text length u32 */

#define PLOG_PROOF_MIN_LEN (PLOG_REC_HDR_SIZE + ZK_STATEMENT_WIRE_SIZE)
#define PLOG_SKIP_LEN (PLOG_REC_HDR_SIZE + PLOG_SKIP_PAYLOAD)
#define PLOG_RESTART_LEN (PLOG_REC_HDR_SIZE + PLOG_RESTART_PAYLOAD)
#define PLOG_RESYNC_LEN (PLOG_REC_HDR_SIZE + PLOG_RESYNC_PAYLOAD)
#define PLOG_UNPROVEN_MIN_LEN (PLOG_PROOF_MIN_LEN + PLOG_UNPROVEN_FIXED)
/* The smallest record: bounds how many fit in the staging buffer. */
#define PLOG_MIN_REC_LEN PLOG_RESTART_LEN

struct plog_file_hdr {
	uint64_t salt;
	uint64_t created_ns;
	uint64_t first_seq;
};

static inline uint64_t
plog_pad(uint64_t len)
{
	return (len + PLOG_ALIGN - 1) & ~(uint64_t)(PLOG_ALIGN - 1);
}

static inline void
plog_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void
plog_put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

static inline void
plog_put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

static inline uint16_t
plog_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t
plog_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t
plog_get64(const uint8_t *p)
{
	return (uint64_t)plog_get32(p) | (uint64_t)plog_get32(p + 4) << 32;
}

/* How long open/recover wait for the lock of a writer that just died. */
#define PLOG_LOCK_WAIT_MS 1000

/* Exclusive lock: 0, -EBUSY after PLOG_LOCK_WAIT_MS, or -errno. */
int plog_lock(int fd);

/* crc32c(salt || header without its crc || payload): rec holds len bytes. */
uint32_t plog_record_crc(uint64_t salt, const uint8_t *rec, uint32_t len);

void plog_encode_file_hdr(const struct plog_file_hdr *h,
			  uint8_t out[PLOG_FILE_HDR_SIZE]);

/*
 * Scan an open, locked log and apply recovery (truncate a torn tail; with
 * ZK_PROOFLOG_REPAIR also corruption in the middle). Fills scan and hdr.
 */
int plog_recover_fd(int fd, unsigned flags, struct zk_prooflog_scan *scan,
		    struct plog_file_hdr *hdr);

/* Fills res (may be NULL) for a chain error at rec; returns e. */
enum zk_prooflog_chain_error
plog_chain_fail(enum zk_prooflog_chain_error e,
		const struct zk_prooflog_record *rec,
		struct zk_prooflog_chain_result *res, uint64_t got,
		uint64_t want);

#endif /* ZKCLOB_PROVER_PROOFLOG_PRIV_H */
