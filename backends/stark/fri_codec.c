/* SPDX-License-Identifier: MIT */
/*
 * Canonical encoding of a FRI proof (fri.h), little-endian:
 *   u8 n_layers
 *   per layer: 32-byte root | u32 n_cosets |
 *              n_cosets × (2^f - 1) × (u64 c0, u64 c1, u64 c2)
 *              | Merkle batch (merkle.h)
 * A coset's values skip the slot its first query lands on (format 4): the
 * verifier knows that value and puts it back before the Merkle check.
 *   u32 final_len | final_len × (u64 c0, u64 c1, u64 c2)
 * The folding factors are not sent: they follow from the config. The
 * decoder derives the schedule from the config, checks every count against
 * it (n_layers and final_len exactly; 1 <= n_cosets <= min(n_queries,
 * leaves of the layer, previous layer's n_cosets)) and against the bytes
 * left before allocating, and accepts only canonical field elements and, for
 * algebraic hashes, canonical roots.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "zkclob/be.h"
#include "fri.h"
#include "fri_internal.h"
#include "stark.h"

size_t zk_fri_layer_sent_values(const struct zk_fri_layer_proof *lp)
{
	return (size_t)lp->n_cosets * (((size_t)1 << lp->log_folding) - 1);
}

size_t zk_fri_proof_encoded_size(const struct zk_fri_proof *proof)
{
	size_t size = 1 + 4 + (size_t)proof->final_len * ZK_EXT_BYTES;
	unsigned l;

	for (l = 0; l < proof->n_layers && l < ZK_FRI_MAX_LAYERS; l++) {
		const struct zk_fri_layer_proof *lp = &proof->layers[l];

		size += ZK_DIGEST_BYTES + 4 +
			zk_fri_layer_sent_values(lp) * ZK_EXT_BYTES +
			zk_merkle_batch_wire_size(&lp->opening);
	}
	return size;
}

static uint8_t *put_exts(uint8_t *p, const zk_ext *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		for (unsigned k = 0; k < ZK_EXT_DEGREE; k++)
			zk_put_le64(p + 8 * k, v[i].c[k]);
		p += ZK_EXT_BYTES;
	}
	return p;
}

int zk_fri_proof_encode(const struct zk_fri_proof *proof, uint8_t *buf,
			size_t cap, size_t *written)
{
	size_t need, used;
	uint8_t *p = buf;
	unsigned l;

	if (proof->n_layers > ZK_FRI_MAX_LAYERS)
		return ZK_STARK_EINVAL;
	need = zk_fri_proof_encoded_size(proof);
	if (buf == NULL || cap < need)
		return ZK_STARK_EINVAL;
	*p++ = (uint8_t)proof->n_layers;
	for (l = 0; l < proof->n_layers; l++) {
		const struct zk_fri_layer_proof *lp = &proof->layers[l];

		memcpy(p, lp->root.bytes, ZK_DIGEST_BYTES);
		p += ZK_DIGEST_BYTES;
		zk_put_le32(p, lp->n_cosets);
		p += 4;
		p = put_exts(p, lp->coset_values, zk_fri_layer_sent_values(lp));
		if (zk_merkle_batch_serialize(&lp->opening, p,
					      cap - (size_t)(p - buf),
					      &used) != ZK_MERKLE_OK)
			return ZK_STARK_EINVAL;
		p += used;
	}
	zk_put_le32(p, proof->final_len);
	p += 4;
	p = put_exts(p, proof->final_coeffs, proof->final_len);
	*written = (size_t)(p - buf);
	return ZK_STARK_ACCEPT;
}

/* Bounded reader: every take checks the bytes left first. */
struct reader {
	const uint8_t *p;
	size_t left;
};

static const uint8_t *take(struct reader *r, size_t n)
{
	const uint8_t *at = r->p;

	if (n > r->left)
		return NULL;
	r->p += n;
	r->left -= n;
	return at;
}

/* n canonical extension elements into a fresh array; NULL on short input, a
 * non-canonical element or no memory (*rc says which). */
static zk_ext *read_exts(struct reader *r, size_t n, int *rc)
{
	const uint8_t *src;
	zk_ext *out;
	size_t i;

	if (n > r->left / ZK_EXT_BYTES) {
		*rc = ZK_STARK_EFORMAT;
		return NULL;
	}
	src = take(r, n * ZK_EXT_BYTES);
	out = malloc(n * sizeof(*out));
	if (out == NULL) {
		*rc = ZK_STARK_ENOMEM;
		return NULL;
	}
	for (i = 0; i < n; i++) {
		for (unsigned k = 0; k < ZK_EXT_DEGREE; k++)
			out[i].c[k] = zk_le64(src + ZK_EXT_BYTES * i + 8 * k);
		if (!zk_ext_is_canonical(out[i])) {
			free(out);
			*rc = ZK_STARK_EFORMAT;
			return NULL;
		}
	}
	return out;
}

static int decode_layer(const struct zk_fri_config *cfg,
			const struct zk_fri_schedule *s, unsigned l,
			size_t max_cosets, struct reader *r,
			struct zk_fri_layer_proof *lp)
{
	unsigned f = s->log_folding[l];
	unsigned depth = s->log_size[l] - f;
	const uint8_t *at;
	size_t consumed;
	zk_gl root_elems[4];
	int rc;

	lp->log_folding = f;
	at = take(r, ZK_DIGEST_BYTES + 4);
	if (at == NULL)
		return ZK_STARK_EFORMAT;
	memcpy(lp->root.bytes, at, ZK_DIGEST_BYTES);
	if (zk_hash_is_algebraic(cfg->hash) &&
	    zk_digest_to_gl(&lp->root, root_elems) != 0)
		return ZK_STARK_EFORMAT;
	lp->n_cosets = zk_le32(at + ZK_DIGEST_BYTES);
	if (lp->n_cosets == 0 || lp->n_cosets > max_cosets ||
	    (uint64_t)lp->n_cosets > ((uint64_t)1 << depth))
		return ZK_STARK_EFORMAT;
	rc = ZK_STARK_ACCEPT;
	lp->coset_values = read_exts(r, zk_fri_layer_sent_values(lp), &rc);
	if (lp->coset_values == NULL)
		return rc;
	/* every opened leaf brings at most `depth` siblings */
	rc = zk_merkle_batch_deserialize(r->p, r->left,
					 (size_t)lp->n_cosets * depth,
					 &lp->opening, &consumed);
	if (rc != ZK_MERKLE_OK)
		return rc == ZK_MERKLE_ENOMEM ? ZK_STARK_ENOMEM
					      : ZK_STARK_EFORMAT;
	if (lp->opening.depth != depth)
		return ZK_STARK_EFORMAT;
	take(r, consumed);
	return ZK_STARK_ACCEPT;
}

int zk_fri_proof_decode(const struct zk_fri_config *cfg, size_t n_queries,
			const uint8_t *buf, size_t len, size_t *consumed,
			struct zk_fri_proof *proof)
{
	struct zk_fri_schedule s;
	int rc;

	memset(proof, 0, sizeof(*proof));
	rc = zk_fri_schedule_make(cfg, &s);
	if (rc != ZK_STARK_ACCEPT)
		return rc;
	return zk_fri_proof_decode_sched(cfg, &s, n_queries, buf, len,
					 consumed, proof);
}

int zk_fri_proof_decode_sched(const struct zk_fri_config *cfg,
			      const struct zk_fri_schedule *sched,
			      size_t n_queries, const uint8_t *buf, size_t len,
			      size_t *consumed, struct zk_fri_proof *proof)
{
	const struct zk_fri_schedule s = *sched;
	struct reader r = { buf, len };
	const uint8_t *at;
	size_t max_cosets = n_queries;
	unsigned l;
	int rc;

	memset(proof, 0, sizeof(*proof));
	if (n_queries == 0 || n_queries > ZK_FRI_MAX_QUERIES ||
	    (buf == NULL && len > 0))
		return ZK_STARK_EINVAL;
	at = take(&r, 1);
	if (at == NULL || at[0] != s.n_layers)
		return ZK_STARK_EFORMAT;
	proof->n_layers = s.n_layers;
	for (l = 0; l < s.n_layers; l++) {
		rc = decode_layer(cfg, &s, l, max_cosets, &r,
				  &proof->layers[l]);
		if (rc != ZK_STARK_ACCEPT)
			goto fail;
		/* a layer's cosets are the images of the previous layer's */
		max_cosets = proof->layers[l].n_cosets;
	}
	at = take(&r, 4);
	if (at == NULL || zk_le32(at) != (1u << s.final_log_degree)) {
		rc = ZK_STARK_EFORMAT;
		goto fail;
	}
	proof->final_len = zk_le32(at);
	proof->final_coeffs = read_exts(&r, proof->final_len, &rc);
	if (proof->final_coeffs == NULL)
		goto fail;
	if (consumed != NULL)
		*consumed = len - r.left;
	else if (r.left != 0) {
		rc = ZK_STARK_EFORMAT;
		goto fail;
	}
	return ZK_STARK_ACCEPT;
fail:
	zk_fri_proof_free(proof);
	return rc;
}
