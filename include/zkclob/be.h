/* SPDX-License-Identifier: MIT */
/*
 * Big-endian loads and stores for the wire codec and every canonical
 * encoding (ops, events, statements); little-endian ones for the proof
 * format. memcpy keeps them legal on unaligned
 * data; compilers turn each into one load or store and a bswap.
 */
#ifndef ZKCLOB_BE_H
#define ZKCLOB_BE_H

#include <stdint.h>
#include <string.h>

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ZK_BE32(v) __builtin_bswap32(v)
#define ZK_BE64(v) __builtin_bswap64(v)
#else
#define ZK_BE32(v) (v)
#define ZK_BE64(v) (v)
#endif

static inline uint16_t
zk_be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t
zk_be32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return ZK_BE32(v);
}

static inline uint64_t
zk_be64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return ZK_BE64(v);
}

static inline void
zk_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
zk_put_be32(uint8_t *p, uint32_t v)
{
	v = ZK_BE32(v);
	memcpy(p, &v, sizeof(v));
}

static inline void
zk_put_be64(uint8_t *p, uint64_t v)
{
	v = ZK_BE64(v);
	memcpy(p, &v, sizeof(v));
}

/* Little-endian, for the proof format and hash inputs (field elements are
 * written little-endian there, as bytehash.h fixes). */
static inline void
zk_put_le32(uint8_t *p, uint32_t v)
{
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap32(v);
#endif
	memcpy(p, &v, sizeof(v));
}

static inline void
zk_put_le64(uint8_t *p, uint64_t v)
{
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	memcpy(p, &v, sizeof(v));
}

static inline uint32_t
zk_le32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap32(v);
#endif
	return v;
}

static inline uint64_t
zk_le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

#endif /* ZKCLOB_BE_H */
