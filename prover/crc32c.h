/* SPDX-License-Identifier: MIT */
/*
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of
 * the proof log. The arithmetic is DPDK's rte_hash_crc (SSE4.2 crc32
 * instruction where the CPU has it, table-driven otherwise); this wrapper
 * adds the standard pre/post inversion and accepts any buffer alignment.
 *
 * Spec
 *  - zk_crc32c(0, p, n) is the standard CRC-32C of p[0..n) (RFC 3720 B.4).
 *  - Chaining: zk_crc32c(zk_crc32c(0, a, n), b, m) == CRC-32C of a||b.
 */
#ifndef ZKCLOB_PROVER_CRC32C_H
#define ZKCLOB_PROVER_CRC32C_H

#include <stddef.h>
#include <stdint.h>

uint32_t zk_crc32c(uint32_t crc, const void *buf, size_t len);

#endif /* ZKCLOB_PROVER_CRC32C_H */
