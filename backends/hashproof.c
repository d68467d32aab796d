/* SPDX-License-Identifier: MIT */
/*
 * TEST-ONLY backend: a keyed BLAKE2b MAC of the encoded statement stands in
 * for a proof. It is not zero-knowledge and proves nothing about the
 * operations; it exists so the router, failover and the external protocol
 * can be exercised before a real backend exists. It says so in describe()
 * (test_only, 0 security bits) and the router refuses it unless enabled.
 *
 * Proof layout: "ZKHP" | params_id u32 BE | MAC[32] | padding, where the
 * padding bytes are a MAC-derived stream so that every byte is checked.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <blake2.h>

#include "zkclob/backend.h"

#define HP_MAGIC "ZKHP"
#define HP_HEAD 8
#define HP_MAC 32
#define HP_MIN (HP_HEAD + HP_MAC)
#define HP_MAX 65536

struct hashproof {
	struct zk_hashproof_cfg cfg;
	char name[ZK_BACKEND_NAME_MAX];
	/* The keyed state is the one precomputation this backend has: built
	 * once at create (a miss), copied per call instead of re-keying (a
	 * hit each time). */
	blake2b_state keyed;
	struct zk_reuse_counter reuse;
};

static void
mac_statement(struct hashproof *hp, const struct zk_statement *st,
	      uint8_t mac[HP_MAC])
{
	uint8_t enc[ZK_STATEMENT_WIRE_SIZE];
	blake2b_state s;

	zk_statement_encode(st, enc);
	zk_reuse_hit(&hp->reuse);
	s = hp->keyed;
	blake2b_update(&s, (const uint8_t *)"zkclob-hashproof-v1", 19);
	blake2b_update(&s, enc, sizeof(enc));
	blake2b_final(&s, mac, HP_MAC);
}

static void
fill_proof(const struct hashproof *hp, const uint8_t mac[HP_MAC],
	   uint8_t *out)
{
	uint32_t p = hp->cfg.params_id;
	size_t off = HP_MIN;
	uint64_t ctr = 0;

	memcpy(out, HP_MAGIC, 4);
	out[4] = (uint8_t)(p >> 24);
	out[5] = (uint8_t)(p >> 16);
	out[6] = (uint8_t)(p >> 8);
	out[7] = (uint8_t)p;
	memcpy(out + HP_HEAD, mac, HP_MAC);
	while (off < hp->cfg.proof_bytes) {
		uint8_t block[64];
		size_t n = hp->cfg.proof_bytes - off;

		blake2b(block, &ctr, mac, sizeof(block), sizeof(ctr), HP_MAC);
		if (n > sizeof(block))
			n = sizeof(block);
		memcpy(out + off, block, n);
		off += n;
		ctr++;
	}
}

static enum zk_be_status
hp_prove(void *ctx, const struct zk_statement *st,
	 const struct zk_batch *witness, uint64_t deadline_ns,
	 struct zk_proof *out, char *reason, size_t reason_len)
{
	struct hashproof *hp = ctx;
	uint8_t mac[HP_MAC];

	(void)witness;
	(void)deadline_ns;
	if (st->params_id != hp->cfg.params_id) {
		snprintf(reason, reason_len,
			 "%s: statement params_id %u, backend proves %u",
			 hp->name, st->params_id, hp->cfg.params_id);
		return ZK_BE_INVALID;
	}
	if (out->cap < hp->cfg.proof_bytes) {
		snprintf(reason, reason_len, "%s: proof is %u bytes, buffer %zu",
			 hp->name, hp->cfg.proof_bytes, out->cap);
		return ZK_BE_TOO_BIG;
	}
	mac_statement(hp, st, mac);
	fill_proof(hp, mac, out->data);
	out->len = hp->cfg.proof_bytes;
	return ZK_BE_OK;
}

static enum zk_verdict
hp_verify(void *ctx, const struct zk_statement *st, const uint8_t *proof,
	  size_t len, uint64_t deadline_ns, char *reason, size_t reason_len)
{
	struct hashproof *hp = ctx;
	uint8_t mac[HP_MAC];
	uint8_t *expect;
	uint8_t diff = 0;

	(void)deadline_ns;
	if (st->params_id != hp->cfg.params_id) {
		snprintf(reason, reason_len, "%s: wrong params_id %u",
			 hp->name, st->params_id);
		return ZK_VERIFY_REJECT;
	}
	if (len != hp->cfg.proof_bytes) {
		snprintf(reason, reason_len, "%s: proof is %zu bytes, not %u",
			 hp->name, len, hp->cfg.proof_bytes);
		return ZK_VERIFY_REJECT;
	}
	expect = malloc(len);
	if (expect == NULL) {
		snprintf(reason, reason_len, "%s: out of memory", hp->name);
		return ZK_VERIFY_ERROR;
	}
	mac_statement(hp, st, mac);
	fill_proof(hp, mac, expect);
	for (size_t i = 0; i < len; i++)
		diff |= (uint8_t)(expect[i] ^ proof[i]);
	free(expect);
	if (diff != 0) {
		snprintf(reason, reason_len, "%s: MAC mismatch", hp->name);
		return ZK_VERIFY_REJECT;
	}
	return ZK_VERIFY_ACCEPT;
}

static void
hp_describe(void *ctx, struct zk_backend_info *info)
{
	struct hashproof *hp = ctx;

	memset(info, 0, sizeof(*info));
	snprintf(info->name, sizeof(info->name), "%s", hp->name);
	info->params_id = hp->cfg.params_id;
	info->security_bits = 0;
	info->test_only = true;
	info->prove_fixed_us = hp->cfg.prove_fixed_us;
	info->prove_per_op_us = hp->cfg.prove_per_op_us;
	info->proof_bytes_fixed = hp->cfg.proof_bytes;
	info->proof_bytes_per_op = 0;
	info->verify_us = hp->cfg.verify_us;
	info->concurrency = hp->cfg.concurrency;
}

static enum zk_health
hp_health(void *ctx, char *reason, size_t reason_len)
{
	(void)ctx;
	snprintf(reason, reason_len, "test-only backend");
	return ZK_HEALTH_OK;
}

static const struct zk_reuse_counter *
hp_reuse(void *ctx)
{
	struct hashproof *hp = ctx;

	return &hp->reuse;
}

static void
hp_destroy(void *ctx)
{
	free(ctx);
}

static const struct zk_backend_ops hashproof_ops = {
	.prove = hp_prove,
	.verify = hp_verify,
	.describe = hp_describe,
	.health = hp_health,
	.reuse = hp_reuse,
	.destroy = hp_destroy,
};

struct zk_backend *
zk_hashproof_create(const struct zk_hashproof_cfg *cfg)
{
	struct hashproof *hp;

	if (cfg == NULL || (cfg->proof_bytes != 0 &&
			    (cfg->proof_bytes < HP_MIN ||
			     cfg->proof_bytes > HP_MAX))) {
		errno = EINVAL;
		return NULL;
	}
	hp = calloc(1, sizeof(*hp));
	if (hp == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	hp->cfg = *cfg;
	snprintf(hp->name, sizeof(hp->name), "%s",
		 cfg->name != NULL ? cfg->name : "hashproof");
	hp->cfg.name = hp->name;
	if (hp->cfg.proof_bytes == 0)
		hp->cfg.proof_bytes = 64;
	if (hp->cfg.concurrency == 0)
		hp->cfg.concurrency = 1;
	blake2b_init_key(&hp->keyed, HP_MAC, hp->cfg.key, sizeof(hp->cfg.key));
	zk_reuse_miss(&hp->reuse);
	return zk_backend_create(&hashproof_ops, hp);
}
