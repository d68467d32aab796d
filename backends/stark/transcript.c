/* SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <blake2.h>
#include <openssl/evp.h>

#include "zkclob/be.h"
#include "blake2s_x8.h"
#include "poseidon2.h"
#include "transcript.h"

/*
 * One-byte tags put in front of every hashed message so that an absorb can
 * never be replayed as a draw or a proof-of-work attempt, nor the other way.
 */
enum {
	TAG_INIT = 0x01,
	TAG_ABSORB = 0x02,
	TAG_DRAW = 0x03,
	TAG_POW = 0x04,
};

#define P2_BYTES_PER_ELEM 7
#define MAX_GRIND_BITS 32
#define ENCODE_BUF_ELEMS 32

/* Streaming raw-byte hash whose total length is declared at begin(). */
struct byte_hash {
	enum zk_hash_id id;
	union {
		blake2s_state b2s;
		blake2b_state b2b;
		struct {
			struct zk_p2_sponge sponge;
			uint8_t pending[P2_BYTES_PER_ELEM];
			unsigned n_pending;
		} p2;
	} u;
	EVP_MD_CTX *sha; /* reused across begin() calls while open */
	bool failed;
};

static void bh_open(struct byte_hash *h, enum zk_hash_id id)
{
	h->id = id;
	h->sha = NULL;
	h->failed = false;
	if (id == ZK_HASH_SHA256) {
		h->sha = EVP_MD_CTX_new();
		if (h->sha == NULL)
			h->failed = true;
	}
}

static void bh_close(struct byte_hash *h)
{
	EVP_MD_CTX_free(h->sha);
	h->sha = NULL;
}

static void bh_begin(struct byte_hash *h, uint64_t total_bytes)
{
	switch (h->id) {
	case ZK_HASH_BLAKE2S:
		if (blake2s_init(&h->u.b2s, ZK_DIGEST_BYTES) != 0)
			h->failed = true;
		break;
	case ZK_HASH_BLAKE2B:
		if (blake2b_init(&h->u.b2b, ZK_DIGEST_BYTES) != 0)
			h->failed = true;
		break;
	case ZK_HASH_SHA256:
		if (h->sha == NULL ||
		    EVP_DigestInit_ex(h->sha, EVP_sha256(), NULL) != 1)
			h->failed = true;
		break;
	case ZK_HASH_POSEIDON2:
	case ZK_HASH_POSEIDON2_W12: {
		/* The length element makes the zero padding of the last
		 * chunk unambiguous; it is < p for any real message. */
		uint64_t chunks = (total_bytes + P2_BYTES_PER_ELEM - 1) /
				  P2_BYTES_PER_ELEM;
		zk_gl len_elem = zk_gl_from_u64(total_bytes);

		zk_p2_sponge_init(&h->u.p2.sponge, 1 + chunks);
		zk_p2_sponge_absorb(&h->u.p2.sponge, &len_elem, 1);
		h->u.p2.n_pending = 0;
		break;
	}
	default:
		h->failed = true;
		break;
	}
}

static zk_gl p2_pack(const uint8_t *p, unsigned n)
{
	zk_gl e = 0;
	unsigned i;

	for (i = 0; i < n; i++)
		e |= (uint64_t)p[i] << (8 * i);
	return e; /* < 2^56 < p */
}

static void p2_update(struct byte_hash *h, const uint8_t *p, size_t len)
{
	zk_gl elems[ENCODE_BUF_ELEMS];
	unsigned n_elems = 0;

	while (len > 0) {
		unsigned room = P2_BYTES_PER_ELEM - h->u.p2.n_pending;
		unsigned take = len < room ? (unsigned)len : room;

		memcpy(h->u.p2.pending + h->u.p2.n_pending, p, take);
		h->u.p2.n_pending += take;
		p += take;
		len -= take;
		if (h->u.p2.n_pending == P2_BYTES_PER_ELEM) {
			elems[n_elems++] = p2_pack(h->u.p2.pending,
						   P2_BYTES_PER_ELEM);
			h->u.p2.n_pending = 0;
			if (n_elems == ENCODE_BUF_ELEMS) {
				zk_p2_sponge_absorb(&h->u.p2.sponge, elems,
						    n_elems);
				n_elems = 0;
			}
		}
	}
	if (n_elems > 0)
		zk_p2_sponge_absorb(&h->u.p2.sponge, elems, n_elems);
}

static void bh_update(struct byte_hash *h, const void *data, size_t len)
{
	if (h->failed || len == 0)
		return;
	switch (h->id) {
	case ZK_HASH_BLAKE2S:
		if (blake2s_update(&h->u.b2s, data, len) != 0)
			h->failed = true;
		break;
	case ZK_HASH_BLAKE2B:
		if (blake2b_update(&h->u.b2b, data, len) != 0)
			h->failed = true;
		break;
	case ZK_HASH_SHA256:
		if (EVP_DigestUpdate(h->sha, data, len) != 1)
			h->failed = true;
		break;
	case ZK_HASH_POSEIDON2:
	case ZK_HASH_POSEIDON2_W12:
		p2_update(h, data, len);
		break;
	default:
		h->failed = true;
		break;
	}
}

static void bh_final(struct byte_hash *h, struct zk_digest *out)
{
	memset(out, 0, sizeof(*out));
	if (h->failed)
		return;
	switch (h->id) {
	case ZK_HASH_BLAKE2S:
		if (blake2s_final(&h->u.b2s, out->bytes, ZK_DIGEST_BYTES) != 0)
			h->failed = true;
		break;
	case ZK_HASH_BLAKE2B:
		if (blake2b_final(&h->u.b2b, out->bytes, ZK_DIGEST_BYTES) != 0)
			h->failed = true;
		break;
	case ZK_HASH_SHA256: {
		unsigned got = 0;

		if (EVP_DigestFinal_ex(h->sha, out->bytes, &got) != 1 ||
		    got != ZK_DIGEST_BYTES)
			h->failed = true;
		break;
	}
	case ZK_HASH_POSEIDON2:
	case ZK_HASH_POSEIDON2_W12: {
		zk_gl d[ZK_P2_DIGEST_ELEMS];

		if (h->u.p2.n_pending > 0) {
			zk_gl last = p2_pack(h->u.p2.pending,
					     h->u.p2.n_pending);

			zk_p2_sponge_absorb(&h->u.p2.sponge, &last, 1);
			h->u.p2.n_pending = 0;
		}
		if (zk_p2_sponge_finish(&h->u.p2.sponge, d) != 0)
			h->failed = true;
		else
			zk_digest_from_gl(out, d);
		break;
	}
	default:
		h->failed = true;
		break;
	}
	if (h->failed)
		memset(out, 0, sizeof(*out));
}

/* Starts H(tag ‖ state ‖ u64 len ‖ ...) for a payload of payload_len. */
static void begin_chained(struct byte_hash *h, const struct zk_transcript *t,
			  uint8_t tag, uint64_t payload_len)
{
	uint8_t len_le[8];

	bh_begin(h, 1 + ZK_DIGEST_BYTES + 8 + payload_len);
	zk_put_le64(len_le, payload_len);
	bh_update(h, &tag, 1);
	bh_update(h, t->state.bytes, ZK_DIGEST_BYTES);
	bh_update(h, len_le, 8);
}

static void finish_into_state(struct byte_hash *h, struct zk_transcript *t)
{
	struct zk_digest next;

	bh_final(h, &next);
	if (h->failed)
		t->error = 1;
	t->state = next;
	bh_close(h);
}

int zk_transcript_init(struct zk_transcript *t, enum zk_hash_id hash,
		       const char *domain_label)
{
	struct byte_hash h;
	uint8_t header[2 + 8];
	size_t label_len = domain_label ? strlen(domain_label) : 0;

	memset(t, 0, sizeof(*t));
	if (!zk_hash_id_valid((uint32_t)hash)) {
		t->error = 1;
		return -1;
	}
	t->hash = hash;
	header[0] = TAG_INIT;
	header[1] = (uint8_t)hash;
	zk_put_le64(header + 2, label_len);
	bh_open(&h, hash);
	bh_begin(&h, sizeof(header) + label_len);
	bh_update(&h, header, sizeof(header));
	bh_update(&h, domain_label, label_len);
	finish_into_state(&h, t);
	return t->error ? -1 : 0;
}

int zk_transcript_status(const struct zk_transcript *t)
{
	return t->error ? -1 : 0;
}

void zk_transcript_absorb_bytes(struct zk_transcript *t, const void *data,
				size_t len)
{
	struct byte_hash h;

	bh_open(&h, t->hash);
	begin_chained(&h, t, TAG_ABSORB, len);
	bh_update(&h, data, len);
	finish_into_state(&h, t);
}

void zk_transcript_absorb_u64(struct zk_transcript *t, uint64_t v)
{
	uint8_t le[8];

	zk_put_le64(le, v);
	zk_transcript_absorb_bytes(t, le, sizeof(le));
}

/* Absorbs n_words u64 values given by word(ctx, i), as 8-byte LE each. */
static void absorb_words(struct zk_transcript *t, size_t n_words,
			 uint64_t (*word)(const void *ctx, size_t i),
			 const void *ctx)
{
	uint8_t buf[ENCODE_BUF_ELEMS * 8];
	struct byte_hash h;
	size_t done = 0;

	bh_open(&h, t->hash);
	begin_chained(&h, t, TAG_ABSORB, (uint64_t)n_words * 8);
	while (done < n_words) {
		size_t take = n_words - done;
		size_t k;

		if (take > ENCODE_BUF_ELEMS)
			take = ENCODE_BUF_ELEMS;
		for (k = 0; k < take; k++)
			zk_put_le64(buf + 8 * k, word(ctx, done + k));
		bh_update(&h, buf, take * 8);
		done += take;
	}
	finish_into_state(&h, t);
}

static uint64_t gl_word(const void *ctx, size_t i)
{
	return ((const zk_gl *)ctx)[i];
}

static uint64_t ext_word(const void *ctx, size_t i)
{
	const zk_ext *v = (const zk_ext *)ctx + i / ZK_EXT_DEGREE;

	return v->c[i % ZK_EXT_DEGREE];
}

void zk_transcript_absorb_gl(struct zk_transcript *t, const zk_gl *v, size_t n)
{
	absorb_words(t, n, gl_word, v);
}

void zk_transcript_absorb_ext(struct zk_transcript *t, const zk_ext *v,
			      size_t n)
{
	absorb_words(t, ZK_EXT_DEGREE * n, ext_word, v);
}

void zk_transcript_absorb_digest(struct zk_transcript *t,
				 const struct zk_digest *d)
{
	zk_transcript_absorb_bytes(t, d->bytes, ZK_DIGEST_BYTES);
}

/*
 * A stream of 64-bit candidate words for one challenge: each digest
 * H(TAG_DRAW ‖ state ‖ counter) yields four. The state only moves when the
 * finished challenge is absorbed, so the counter keeps successive digests
 * of one draw (and of different draws) distinct.
 */
struct word_stream {
	uint64_t words[4];
	unsigned next;
};

static uint64_t next_word(struct zk_transcript *t, struct word_stream *ws)
{
	if (ws->next == 4) {
		struct byte_hash h;
		struct zk_digest d;
		uint8_t ctr[8];
		uint8_t tag = TAG_DRAW;
		unsigned i;

		zk_put_le64(ctr, t->counter++);
		bh_open(&h, t->hash);
		bh_begin(&h, 1 + ZK_DIGEST_BYTES + 8);
		bh_update(&h, &tag, 1);
		bh_update(&h, t->state.bytes, ZK_DIGEST_BYTES);
		bh_update(&h, ctr, 8);
		bh_final(&h, &d);
		if (h.failed)
			t->error = 1;
		bh_close(&h);
		for (i = 0; i < 4; i++)
			ws->words[i] = zk_le64(d.bytes + 8 * i);
		ws->next = 0;
	}
	return ws->words[ws->next++];
}

/*
 * Words of the byte hashes are uniform in [0, 2^64); those of the
 * Poseidon2 hashes are canonical elements, uniform in [0, p).
 */
static uint64_t word_range_is_field(const struct zk_transcript *t)
{
	return zk_hash_is_algebraic(t->hash);
}

static zk_gl draw_element(struct zk_transcript *t, struct word_stream *ws)
{
	for (;;) {
		uint64_t w = next_word(t, ws);

		if (t->error)
			return 0;
		/* reject, never reduce: reduction would favour [0, 2^32) */
		if (w < ZK_GL_P)
			return w;
	}
}

zk_gl zk_transcript_draw_gl(struct zk_transcript *t)
{
	struct word_stream ws = { .next = 4 };
	zk_gl e = draw_element(t, &ws);

	zk_transcript_absorb_gl(t, &e, 1);
	return t->error ? 0 : e;
}

zk_ext zk_transcript_draw_ext(struct zk_transcript *t)
{
	struct word_stream ws = { .next = 4 };
	zk_ext e;
	unsigned k;

	for (k = 0; k < ZK_EXT_DEGREE; k++)
		e.c[k] = draw_element(t, &ws);
	zk_transcript_absorb_ext(t, &e, 1);
	return t->error ? zk_ext_zero() : e;
}

void zk_transcript_draw_powers(struct zk_transcript *t, zk_ext *out, size_t n)
{
	if (n == 0)
		return;
	out[0] = zk_transcript_draw_ext(t);
	for (size_t k = 1; k < n; k++)
		out[k] = zk_ext_mul(out[k - 1], out[0]);
}

uint64_t zk_transcript_draw_index(struct zk_transcript *t, unsigned log_n)
{
	struct word_stream ws = { .next = 4 };
	unsigned k = log_n > 63 ? 63 : log_n;
	uint64_t mask = ((uint64_t)1 << k) - 1;
	/* Largest multiple of 2^k not above the word range: words below it
	 * are equally spread over the residues. */
	uint64_t limit = word_range_is_field(t) ? ZK_GL_P - (ZK_GL_P & mask)
						: UINT64_MAX;
	uint64_t idx;

	for (;;) {
		uint64_t w = next_word(t, &ws);

		if (t->error) {
			idx = 0;
			break;
		}
		if (!word_range_is_field(t) || w < limit) {
			idx = w & mask;
			break;
		}
	}
	zk_transcript_absorb_u64(t, idx);
	return t->error ? 0 : idx;
}

static bool pow_ok(const struct zk_transcript *t, struct byte_hash *h,
		   unsigned bits, uint64_t nonce)
{
	struct zk_digest d;
	uint8_t le[8];
	uint8_t tag = TAG_POW;
	uint64_t lead;

	zk_put_le64(le, nonce);
	bh_begin(h, 1 + ZK_DIGEST_BYTES + 8);
	bh_update(h, &tag, 1);
	bh_update(h, t->state.bytes, ZK_DIGEST_BYTES);
	bh_update(h, le, 8);
	bh_final(h, &d);
	if (h->failed)
		return false;
	if (bits == 0)
		return true;
	lead = zk_le64(d.bytes);
	return (lead >> (64 - bits)) == 0;
}

#ifdef ZK_B2S8
/*
 * Eight consecutive nonces per BLAKE2s compression: the attempt
 * tag | state | nonce is 41 bytes, one block, and only its words 8-10 hold
 * the nonce. Same digests as pow_ok (plain BLAKE2s-256, no key), so the
 * same smallest nonce is found.
 */
static uint64_t pow_scan_b2s8(const struct zk_transcript *t, unsigned bits,
			      uint64_t first, uint64_t count)
{
	uint8_t block[64] = { TAG_POW };
	uint32_t words[16];
	__m256i m[16], h[8];
	const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
	const __m128i shift = _mm_cvtsi32_si128((int)(32 - bits));

	memcpy(block + 1, t->state.bytes, ZK_DIGEST_BYTES);
	memcpy(words, block, sizeof(words));
	for (int w = 0; w < 16; w++)
		m[w] = _mm256_set1_epi32((int)words[w]);
	for (uint64_t base = first; base - first < count; base += 8) {
		uint32_t w8[8], w9[8], w10[8];
		unsigned hits;

		for (int j = 0; j < 8; j++) {
			uint64_t nonce = base + (uint64_t)j;

			w8[j] = words[8] | (uint32_t)(nonce << 8);
			w9[j] = (uint32_t)(nonce >> 24);
			w10[j] = (uint32_t)(nonce >> 56);
		}
		m[8] = _mm256_loadu_si256((const __m256i *)w8);
		m[9] = _mm256_loadu_si256((const __m256i *)w9);
		m[10] = _mm256_loadu_si256((const __m256i *)w10);
		for (int i = 0; i < 8; i++)
			h[i] = _mm256_set1_epi32((int)zk_b2s_iv[i]);
		/* parameter block: digest length 32, fanout 1, depth 1 */
		h[0] = _mm256_set1_epi32((int)(zk_b2s_iv[0] ^ 0x01010020u));
		zk_b2s8_compress(h, m, 1 + ZK_DIGEST_BYTES + 8, true);
		/* the leading 64 bits are words 0 (low) and 1 (high), bits <= 32 */
		hits = (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(
			_mm256_and_si256(
				_mm256_cmpeq_epi32(_mm256_srl_epi32(h[1], shift),
						   _mm256_setzero_si256()),
				_mm256_cmpgt_epi32(_mm256_set1_epi32(
					(int)(count - (base - first) < 8 ?
					      count - (base - first) : 8)),
					lane))));
		if (hits != 0)
			return base + (unsigned)__builtin_ctz(hits);
	}
	return UINT64_MAX;
}
#endif

uint64_t zk_transcript_pow_scan(const struct zk_transcript *t, unsigned bits,
				uint64_t first, uint64_t count, int *failed)
{
	struct byte_hash h;
	uint64_t found = UINT64_MAX;

	if (bits > MAX_GRIND_BITS || t->error) {
		*failed = 1;
		return UINT64_MAX;
	}
#ifdef ZK_B2S8
	if (t->hash == ZK_HASH_BLAKE2S && bits > 0)
		return pow_scan_b2s8(t, bits, first, count);
#endif
	bh_open(&h, t->hash);
	for (uint64_t k = 0; k < count && !h.failed; k++)
		if (pow_ok(t, &h, bits, first + k)) {
			found = first + k;
			break;
		}
	if (h.failed) {
		*failed = 1;
		found = UINT64_MAX;
	}
	bh_close(&h);
	return found;
}

/* Nonces per scan: a hit is expected after 2^bits of them. */
#define GRIND_SCAN 4096

uint64_t zk_transcript_grind(struct zk_transcript *t, unsigned bits)
{
	uint64_t nonce = UINT64_MAX;
	int failed = 0;

	if (bits > MAX_GRIND_BITS || t->error) {
		t->error = 1;
		return 0;
	}
	/* 2^32 scans of GRIND_SCAN nonces: some nonce below passes unless the
	 * hash is broken, and the loop still ends */
	for (uint64_t first = 0; nonce == UINT64_MAX && !failed &&
	     first < ((uint64_t)1 << 44); first += GRIND_SCAN)
		nonce = zk_transcript_pow_scan(t, bits, first, GRIND_SCAN,
					       &failed);
	if (failed || nonce == UINT64_MAX) {
		t->error = 1;
		return 0;
	}
	zk_transcript_absorb_u64(t, nonce);
	return nonce;
}

bool zk_transcript_check_pow(struct zk_transcript *t, unsigned bits,
			     uint64_t nonce)
{
	struct byte_hash h;
	bool ok;

	if (bits > MAX_GRIND_BITS || t->error)
		return false;
	bh_open(&h, t->hash);
	ok = pow_ok(t, &h, bits, nonce);
	if (h.failed)
		t->error = 1;
	bh_close(&h);
	if (!ok)
		return false;
	zk_transcript_absorb_u64(t, nonce);
	return !t->error;
}
