/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include <blake2.h>
#include <openssl/evp.h>

#include "zkclob/be.h"
#include "bytehash.h"
#include "poseidon2.h"

/* Row elements are serialised through a bounded stack buffer. */
#define ENCODE_CHUNK_ELEMS 64

struct zk_hasher {
	enum zk_hash_id id;
	union {
		blake2s_state b2s;
		blake2b_state b2b;
	} leaf_init, node_init; /* states with the parameter block absorbed */
	EVP_MD_CTX *sha_ctx;
	const EVP_MD *sha_md;
};

static const uint8_t sha_leaf_prefix = 0x00;
static const uint8_t sha_node_prefix = 0x01;

void zk_digest_from_gl(struct zk_digest *d, const zk_gl e[4])
{
	unsigned i;

	for (i = 0; i < 4; i++)
		zk_put_le64(d->bytes + 8 * i, e[i]);
}

int zk_digest_to_gl(const struct zk_digest *d, zk_gl e[4])
{
	unsigned i;

	for (i = 0; i < 4; i++) {
		e[i] = zk_le64(d->bytes + 8 * i);
		if (e[i] >= ZK_GL_P)
			return -1;
	}
	return 0;
}

int zk_hash_id_valid(uint32_t id)
{
	return id >= ZK_HASH_BLAKE2S && id <= ZK_HASH_POSEIDON2_W12;
}

const char *zk_hash_name(enum zk_hash_id id)
{
	switch (id) {
	case ZK_HASH_BLAKE2S:
		return "blake2s-256";
	case ZK_HASH_BLAKE2B:
		return "blake2b-256";
	case ZK_HASH_SHA256:
		return "sha-256";
	case ZK_HASH_POSEIDON2:
		return "poseidon2-gl-w8";
	case ZK_HASH_POSEIDON2_W12:
		return "poseidon2-gl-w12";
	}
	return "unknown";
}

enum zk_hash_id zk_hash_for_row_width(size_t n_cols)
{
	return n_cols <= ZK_HASH_NARROW_ROW ? ZK_HASH_BLAKE2S : ZK_HASH_BLAKE2B;
}

int zk_hash_is_algebraic(enum zk_hash_id id)
{
	return id == ZK_HASH_POSEIDON2 || id == ZK_HASH_POSEIDON2_W12;
}

static int init_blake2s(blake2s_state *st, const char *personal)
{
	blake2s_param p;

	memset(&p, 0, sizeof(p));
	p.digest_length = ZK_DIGEST_BYTES;
	p.fanout = 1;
	p.depth = 1;
	memcpy(p.personal, personal, strnlen(personal, sizeof(p.personal)));
	return blake2s_init_param(st, &p);
}

static int init_blake2b(blake2b_state *st, const char *personal)
{
	blake2b_param p;

	memset(&p, 0, sizeof(p));
	p.digest_length = ZK_DIGEST_BYTES;
	p.fanout = 1;
	p.depth = 1;
	memcpy(p.personal, personal, strnlen(personal, sizeof(p.personal)));
	return blake2b_init_param(st, &p);
}

struct zk_hasher *zk_hasher_new(enum zk_hash_id id)
{
	struct zk_hasher *h;
	int rc = 0;

	if (!zk_hash_id_valid((uint32_t)id))
		return NULL;
	h = calloc(1, sizeof(*h));
	if (h == NULL)
		return NULL;
	h->id = id;
	switch (id) {
	case ZK_HASH_BLAKE2S:
		rc |= init_blake2s(&h->leaf_init.b2s, "zkclobL");
		rc |= init_blake2s(&h->node_init.b2s, "zkclobN");
		break;
	case ZK_HASH_BLAKE2B:
		rc |= init_blake2b(&h->leaf_init.b2b, "zkclob-leaf");
		rc |= init_blake2b(&h->node_init.b2b, "zkclob-node");
		break;
	case ZK_HASH_SHA256:
		h->sha_md = EVP_sha256();
		h->sha_ctx = EVP_MD_CTX_new();
		if (h->sha_md == NULL || h->sha_ctx == NULL)
			rc = -1;
		break;
	case ZK_HASH_POSEIDON2:
	case ZK_HASH_POSEIDON2_W12:
		break;
	}
	if (rc != 0) {
		zk_hasher_free(h);
		return NULL;
	}
	return h;
}

void zk_hasher_free(struct zk_hasher *h)
{
	if (h == NULL)
		return;
	EVP_MD_CTX_free(h->sha_ctx);
	free(h);
}

enum zk_hash_id zk_hasher_id(const struct zk_hasher *h)
{
	return h->id;
}

typedef int (*update_fn)(void *state, const uint8_t *p, size_t len);

static int sha_update(void *ctx, const uint8_t *p, size_t len)
{
	return EVP_DigestUpdate(ctx, p, len) == 1 ? 0 : -1;
}

static int b2s_update(void *st, const uint8_t *p, size_t len)
{
	return blake2s_update(st, p, len);
}

static int b2b_update(void *st, const uint8_t *p, size_t len)
{
	return blake2b_update(st, p, len);
}

/* Feeds the little-endian encoding of row[0..n) to `update`. */
static int feed_row(update_fn update, void *state, const zk_gl *row, size_t n)
{
	uint8_t buf[ENCODE_CHUNK_ELEMS * 8];
	size_t done = 0;

	while (done < n) {
		size_t take = n - done;
		size_t k;

		if (take > ENCODE_CHUNK_ELEMS)
			take = ENCODE_CHUNK_ELEMS;
		for (k = 0; k < take; k++)
			zk_put_le64(buf + 8 * k, row[done + k]);
		if (update(state, buf, take * 8) != 0)
			return -1;
		done += take;
	}
	return 0;
}

int zk_hasher_leaf(struct zk_hasher *h, const zk_gl *row, size_t n,
		   struct zk_digest *out)
{
	switch (h->id) {
	case ZK_HASH_BLAKE2S: {
		blake2s_state st = h->leaf_init.b2s;

		if (feed_row(b2s_update, &st, row, n) != 0)
			return -1;
		return blake2s_final(&st, out->bytes, ZK_DIGEST_BYTES);
	}
	case ZK_HASH_BLAKE2B: {
		blake2b_state st = h->leaf_init.b2b;

		if (feed_row(b2b_update, &st, row, n) != 0)
			return -1;
		return blake2b_final(&st, out->bytes, ZK_DIGEST_BYTES);
	}
	case ZK_HASH_SHA256:
		if (EVP_DigestInit_ex(h->sha_ctx, h->sha_md, NULL) != 1 ||
		    sha_update(h->sha_ctx, &sha_leaf_prefix, 1) != 0 ||
		    feed_row(sha_update, h->sha_ctx, row, n) != 0 ||
		    EVP_DigestFinal_ex(h->sha_ctx, out->bytes, NULL) != 1)
			return -1;
		return 0;
	case ZK_HASH_POSEIDON2:
	case ZK_HASH_POSEIDON2_W12: {
		zk_gl e[ZK_P2_DIGEST_ELEMS];

		zk_p2_hash(row, n, e);
		zk_digest_from_gl(out, e);
		return 0;
	}
	}
	return -1;
}

int zk_hasher_node(struct zk_hasher *h, const struct zk_digest *left,
		   const struct zk_digest *right, struct zk_digest *out)
{
	switch (h->id) {
	case ZK_HASH_BLAKE2S: {
		blake2s_state st = h->node_init.b2s;

		if (blake2s_update(&st, left->bytes, ZK_DIGEST_BYTES) != 0 ||
		    blake2s_update(&st, right->bytes, ZK_DIGEST_BYTES) != 0)
			return -1;
		return blake2s_final(&st, out->bytes, ZK_DIGEST_BYTES);
	}
	case ZK_HASH_BLAKE2B: {
		blake2b_state st = h->node_init.b2b;

		if (blake2b_update(&st, left->bytes, ZK_DIGEST_BYTES) != 0 ||
		    blake2b_update(&st, right->bytes, ZK_DIGEST_BYTES) != 0)
			return -1;
		return blake2b_final(&st, out->bytes, ZK_DIGEST_BYTES);
	}
	case ZK_HASH_SHA256:
		if (EVP_DigestInit_ex(h->sha_ctx, h->sha_md, NULL) != 1 ||
		    sha_update(h->sha_ctx, &sha_node_prefix, 1) != 0 ||
		    sha_update(h->sha_ctx, left->bytes, ZK_DIGEST_BYTES) != 0 ||
		    sha_update(h->sha_ctx, right->bytes, ZK_DIGEST_BYTES) != 0 ||
		    EVP_DigestFinal_ex(h->sha_ctx, out->bytes, NULL) != 1)
			return -1;
		return 0;
	case ZK_HASH_POSEIDON2:
	case ZK_HASH_POSEIDON2_W12: {
		zk_gl l[ZK_P2_DIGEST_ELEMS], r[ZK_P2_DIGEST_ELEMS];
		zk_gl e[ZK_P2_DIGEST_ELEMS];

		if (zk_digest_to_gl(left, l) != 0 || zk_digest_to_gl(right, r) != 0)
			return -1;
		if (h->id == ZK_HASH_POSEIDON2)
			zk_p2_compress_w8(l, r, e);
		else
			zk_p2_compress_w12(l, r, e);
		zk_digest_from_gl(out, e);
		return 0;
	}
	}
	return -1;
}
