/* SPDX-License-Identifier: MIT */
/*
 * The router's proof and verification caches: one direct-mapped table type.
 * Soundness comes from the key, compared in full on every lookup (never a
 * hash of it alone): the whole encoded statement plus a 32-byte tag (the
 * params id for proofs, BLAKE2b-256 of the proof bytes for verdicts).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <blake2.h>

#include "router_priv.h"

struct cache_entry {
	bool used;
	uint8_t key[ZK_CACHE_KEY_SIZE];
	uint8_t *value;
	size_t value_len;
};

struct zk_rcache {
	pthread_mutex_t lock;
	size_t mask;
	struct cache_entry *entries;
};

struct zk_rcache *
zk_rcache_create(uint32_t entries)
{
	struct zk_rcache *c;
	size_t n = 1;

	if (entries == 0)
		return NULL;
	while (n < entries)
		n <<= 1;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->entries = calloc(n, sizeof(*c->entries));
	if (c->entries == NULL) {
		free(c);
		return NULL;
	}
	c->mask = n - 1;
	pthread_mutex_init(&c->lock, NULL);
	return c;
}

void
zk_rcache_destroy(struct zk_rcache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i <= c->mask; i++)
		free(c->entries[i].value);
	pthread_mutex_destroy(&c->lock);
	free(c->entries);
	free(c);
}

void
zk_cache_key(const struct zk_statement *st, const uint8_t tag[32],
	     uint8_t key[ZK_CACHE_KEY_SIZE])
{
	zk_statement_encode(st, key);
	memcpy(key + ZK_STATEMENT_WIRE_SIZE, tag, 32);
}

void
zk_proof_digest(const uint8_t *proof, size_t len, uint8_t out[32])
{
	blake2b(out, proof, NULL, 32, len, 0);
}

static size_t
slot_of(const struct zk_rcache *c, const uint8_t key[ZK_CACHE_KEY_SIZE])
{
	uint64_t h = 0xcbf29ce484222325ull;

	/* FNV-1a picks the slot only; equality is checked on the full key. */
	for (size_t i = 0; i < ZK_CACHE_KEY_SIZE; i++)
		h = (h ^ key[i]) * 0x100000001b3ull;
	return (size_t)(h ^ (h >> 32)) & c->mask;
}

int
zk_rcache_get(struct zk_rcache *c, const uint8_t key[ZK_CACHE_KEY_SIZE],
	      uint8_t *value, size_t cap, size_t *len)
{
	struct cache_entry *e;
	int rc = 0;

	if (c == NULL)
		return 0;
	pthread_mutex_lock(&c->lock);
	e = &c->entries[slot_of(c, key)];
	if (e->used && memcmp(e->key, key, ZK_CACHE_KEY_SIZE) == 0 &&
	    (value == NULL || e->value_len <= cap)) {
		if (value != NULL)
			memcpy(value, e->value, e->value_len);
		if (len != NULL)
			*len = e->value_len;
		rc = 1;
	}
	pthread_mutex_unlock(&c->lock);
	return rc;
}

void
zk_rcache_put(struct zk_rcache *c, const uint8_t key[ZK_CACHE_KEY_SIZE],
	      const uint8_t *value, size_t len)
{
	struct cache_entry *e;
	uint8_t *copy = NULL;

	if (c == NULL)
		return;
	if (len > 0) {
		copy = malloc(len);
		if (copy == NULL)
			return; /* a cache may always forget */
		memcpy(copy, value, len);
	}
	pthread_mutex_lock(&c->lock);
	e = &c->entries[slot_of(c, key)];
	free(e->value);
	e->used = true;
	memcpy(e->key, key, ZK_CACHE_KEY_SIZE);
	e->value = copy;
	e->value_len = len;
	pthread_mutex_unlock(&c->lock);
}
