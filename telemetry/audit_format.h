/* SPDX-License-Identifier: MIT */
/*
 * Audit log internals shared by the writer (audit.c), the scanner/reader
 * (audit_read.c) and the payload codecs (audit_payload.c). The layout these
 * constants describe is documented at the top of audit.c.
 */
#ifndef ZKCLOB_AUDIT_FORMAT_H
#define ZKCLOB_AUDIT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zkclob/audit.h"

#define AUDIT_FILE_MAGIC "ZKCLOBAL"
#define AUDIT_VERSION 1
#define AUDIT_FILE_HEADER_SIZE 64
#define AUDIT_FILE_CHECK_OFF 56
#define AUDIT_REC_MAGIC 0x5a4b4152u /* "ZKAR" */
#define AUDIT_REC_HEADER_SIZE 48
#define AUDIT_REC_CHECK_OFF 40
#define AUDIT_REC_OVERHEAD \
	(AUDIT_REC_HEADER_SIZE + 2 * ZK_AUDIT_HASH_SIZE)
#define AUDIT_MAX_RECORD (AUDIT_REC_OVERHEAD + ZK_AUDIT_MAX_PAYLOAD)

static inline void
audit_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
audit_put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (24 - 8 * i));
}

static inline void
audit_put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (56 - 8 * i));
}

static inline uint16_t
audit_get16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t
audit_get32(const uint8_t *p)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v = (v << 8) | p[i];
	return v;
}

static inline uint64_t
audit_get64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

/* 8-byte check of a file header's first 56 bytes. */
void audit_file_check(const uint8_t hdr[AUDIT_FILE_HEADER_SIZE],
		      uint8_t out[8]);
/* 8-byte check of a record header's first 40 bytes, keyed by the salt. */
void audit_record_check(const uint8_t salt[ZK_AUDIT_SALT_SIZE],
			const uint8_t hdr[AUDIT_REC_HEADER_SIZE],
			uint8_t out[8]);
/* BLAKE2b-256(prev || hdr || payload) */
void audit_record_hash(const uint8_t prev[ZK_AUDIT_HASH_SIZE],
		       const uint8_t hdr[AUDIT_REC_HEADER_SIZE],
		       const uint8_t *payload, size_t payload_len,
		       uint8_t out[ZK_AUDIT_HASH_SIZE]);
void audit_genesis(const uint8_t hdr[AUDIT_FILE_HEADER_SIZE],
		   uint8_t out[ZK_AUDIT_HASH_SIZE]);
/* Checks a file header; 0 or ZK_AUDIT_BAD_FILE_HEADER with detail. */
enum zk_audit_status audit_check_file_header(
	const uint8_t hdr[AUDIT_FILE_HEADER_SIZE], char *detail, size_t len);

/* Growable payload under construction; overflow is sticky (-E2BIG). */
struct audit_buf {
	uint8_t *data;
	size_t len;
	bool overflow;
};

int audit_buf_init(struct audit_buf *b);
void audit_buf_free(struct audit_buf *b);
void audit_buf_bytes(struct audit_buf *b, const void *p, size_t n);
void audit_buf_u8(struct audit_buf *b, uint8_t v);
void audit_buf_u32(struct audit_buf *b, uint32_t v);
void audit_buf_u64(struct audit_buf *b, uint64_t v);
/* u16 length + bytes; strings longer than 65535 bytes overflow. */
void audit_buf_str(struct audit_buf *b, const char *s, size_t n);

/* Chain-break payload (audit_payload.c), used by repair in audit.c. */
void audit_encode_chain_break(struct audit_buf *b, const char *broken_path,
			      const struct zk_audit_report *rep);

/* A reader over an open fd (the writer's, under its lock); owns_fd says
 * whether zk_audit_reader_close() closes it. */
int audit_reader_attach(int fd, bool owns_fd, struct zk_audit_reader **out);

/* Appends an encoded payload (audit.c). */
int audit_append(struct zk_audit *log, enum zk_audit_type type,
		 const struct audit_buf *payload);

#endif /* ZKCLOB_AUDIT_FORMAT_H */
