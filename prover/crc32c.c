/* SPDX-License-Identifier: MIT */
#include <stdint.h>

#include <rte_hash_crc.h>

#include "crc32c.h"

uint32_t
zk_crc32c(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t state = ~crc;

	/*
	 * rte_hash_crc loads whole words through the pointer: feed the
	 * unaligned head byte by byte so that it only ever sees an aligned
	 * start (unaligned loads are undefined behaviour in C).
	 */
	while (len > 0 && ((uintptr_t)p & 7u) != 0) {
		state = rte_hash_crc_1byte(*p++, state);
		len--;
	}
	while (len > 0) {
		uint32_t chunk = len > UINT32_MAX - 7 ? UINT32_MAX - 7 :
							(uint32_t)len;

		chunk &= ~7u;
		if (chunk == 0)
			chunk = (uint32_t)len;
		state = rte_hash_crc(p, chunk, state);
		p += chunk;
		len -= chunk;
	}
	return ~state;
}
