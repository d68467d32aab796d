/* SPDX-License-Identifier: MIT */
/*
 * BLAKE2s compression of eight independent states at once (AVX2, one
 * message per 32-bit lane), shared by the Merkle tree builder and the
 * transcript's proof-of-work search.
 *
 * Spec
 *  - zk_b2s8_compress(h, m, t0, last): RFC 7693's compression F applied
 *    lane-wise; h[i] lane j is word i of state j, m[w] lane j is message
 *    word w of state j, t0 the byte counter after this block (counters
 *    above 2^32 bytes are not supported), last sets the final-block flag.
 *  - zk_b2s8_transpose(r): 8×8 transpose of 32-bit words, so eight
 *    digests (eight words each) can be stored or loaded contiguously.
 *  - Available only where the compiler targets AVX2 (ZK_B2S8 defined).
 */
#ifndef ZKCLOB_STARK_BLAKE2S_X8_H
#define ZKCLOB_STARK_BLAKE2S_X8_H

#include <stdbool.h>
#include <stdint.h>
#if defined(__AVX2__)
#include <immintrin.h>
#endif

/* RFC 7693 §2.6: BLAKE2s's IV is SHA-256's. */
static const uint32_t zk_b2s_iv[8] = {
	0x6A09E667u, 0xBB67AE85u, 0x3C6EF372u, 0xA54FF53Au,
	0x510E527Fu, 0x9B05688Cu, 0x1F83D9ABu, 0x5BE0CD19u,
};

#if defined(__AVX2__)
#define ZK_B2S8 1

/* RFC 7693 §2.7 */
static const uint8_t zk_b2s_sigma[10][16] = {
	{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
	{ 14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3 },
	{ 11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4 },
	{ 7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8 },
	{ 9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13 },
	{ 2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9 },
	{ 12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11 },
	{ 13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10 },
	{ 6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5 },
	{ 10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0 },
};

/* Rotations by whole bytes are one shuffle instead of two shifts and an or. */
static inline __m256i zk_b2s8_rotr16(__m256i x)
{
	const __m256i m = _mm256_setr_epi8(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9,
		14, 15, 12, 13, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);

	return _mm256_shuffle_epi8(x, m);
}

static inline __m256i zk_b2s8_rotr8(__m256i x)
{
	const __m256i m = _mm256_setr_epi8(1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8,
		13, 14, 15, 12, 1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12);

	return _mm256_shuffle_epi8(x, m);
}

#define ZK_B2S8_ROTR(x, r)                                                     \
	_mm256_or_si256(_mm256_srli_epi32(x, r), _mm256_slli_epi32(x, 32 - (r)))

#define ZK_B2S8_G(a, b, c, d, x, y)                                            \
	do {                                                                   \
		a = _mm256_add_epi32(_mm256_add_epi32(a, b), x);               \
		d = zk_b2s8_rotr16(_mm256_xor_si256(d, a));                    \
		c = _mm256_add_epi32(c, d);                                    \
		b = ZK_B2S8_ROTR(_mm256_xor_si256(b, c), 12);                  \
		a = _mm256_add_epi32(_mm256_add_epi32(a, b), y);               \
		d = zk_b2s8_rotr8(_mm256_xor_si256(d, a));                     \
		c = _mm256_add_epi32(c, d);                                    \
		b = ZK_B2S8_ROTR(_mm256_xor_si256(b, c), 7);                   \
	} while (0)

static inline void zk_b2s8_compress(__m256i h[8], const __m256i m[16],
				    uint32_t t0, bool last)
{
	__m256i v[16];

	for (int i = 0; i < 8; i++) {
		v[i] = h[i];
		v[8 + i] = _mm256_set1_epi32((int)zk_b2s_iv[i]);
	}
	v[12] = _mm256_set1_epi32((int)(zk_b2s_iv[4] ^ t0));
	if (last)
		v[14] = _mm256_set1_epi32((int)~zk_b2s_iv[6]);
	for (int r = 0; r < 10; r++) {
		const uint8_t *s = zk_b2s_sigma[r];

		ZK_B2S8_G(v[0], v[4], v[8], v[12], m[s[0]], m[s[1]]);
		ZK_B2S8_G(v[1], v[5], v[9], v[13], m[s[2]], m[s[3]]);
		ZK_B2S8_G(v[2], v[6], v[10], v[14], m[s[4]], m[s[5]]);
		ZK_B2S8_G(v[3], v[7], v[11], v[15], m[s[6]], m[s[7]]);
		ZK_B2S8_G(v[0], v[5], v[10], v[15], m[s[8]], m[s[9]]);
		ZK_B2S8_G(v[1], v[6], v[11], v[12], m[s[10]], m[s[11]]);
		ZK_B2S8_G(v[2], v[7], v[8], v[13], m[s[12]], m[s[13]]);
		ZK_B2S8_G(v[3], v[4], v[9], v[14], m[s[14]], m[s[15]]);
	}
	for (int i = 0; i < 8; i++)
		h[i] = _mm256_xor_si256(h[i], _mm256_xor_si256(v[i], v[8 + i]));
}

static inline void zk_b2s8_transpose(__m256i r[8])
{
	__m256i t[8], u[8];

	for (int i = 0; i < 8; i += 2) {
		t[i] = _mm256_unpacklo_epi32(r[i], r[i + 1]);
		t[i + 1] = _mm256_unpackhi_epi32(r[i], r[i + 1]);
	}
	for (int i = 0; i < 8; i += 4) {
		u[i] = _mm256_unpacklo_epi64(t[i], t[i + 2]);
		u[i + 1] = _mm256_unpackhi_epi64(t[i], t[i + 2]);
		u[i + 2] = _mm256_unpacklo_epi64(t[i + 1], t[i + 3]);
		u[i + 3] = _mm256_unpackhi_epi64(t[i + 1], t[i + 3]);
	}
	for (int i = 0; i < 4; i++) {
		r[i] = _mm256_permute2x128_si256(u[i], u[i + 4], 0x20);
		r[i + 4] = _mm256_permute2x128_si256(u[i], u[i + 4], 0x31);
	}
}
#endif /* __AVX2__ */

#endif /* ZKCLOB_STARK_BLAKE2S_X8_H */
