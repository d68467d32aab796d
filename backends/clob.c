/* SPDX-License-Identifier: MIT */
/*
 * The native CLOB STARK backend (backend.h, zk_clob_backend_create): the
 * CLOB transition AIR (clobproof.h) behind the one backend interface, so the
 * router can pick it, fail over from it and verify its proofs like any
 * other.
 *
 * The witness is a batch already committed to its market's state tree
 * (zk_clob_commit): the tree update happens once per batch, in batch order,
 * outside any backend, so a retry on another backend proves the same
 * statement. The proof bytes are the batch container (ops, events, STARK
 * proof): verify() needs nothing but the statement and these bytes.
 *
 * Refusals: a batch holding an op kind the AIR does not constrain is
 * answered ZK_BE_UNSUPPORTED with a reason starting "unsupported:", before
 * any proving work, so the router moves on at once without counting a
 * failure against this backend.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>

#include "ntt.h"
#include "params.h"
#include "zkclob/backend.h"
#include "zkclob/clobproof.h"

/* Largest trace the AIR takes (docs/proof.md §6): 2^20 rows. The security
 * reported is the set's conjectured bits at that size, the smallest. */
#define CLOB_BE_MAX_LOG_ROWS 20

struct clob_backend {
	char name[ZK_BACKEND_NAME_MAX];
	const struct zk_stark_params *sp;
	unsigned threads;
	uint32_t concurrency;
	size_t n_markets;
	struct zk_market_params *markets;
	/* Trace sizes already proven: their twiddles are cached by the NTT
	 * (ntt.h), the precomputation a later proof of that size reuses. */
	pthread_mutex_t seen_lock;
	uint64_t seen_sizes; /* bit k: a 2^k-row LDE domain was prepared */
	struct zk_reuse_counter reuse;
};

static const struct zk_market_params *
market_of(const struct clob_backend *cb, uint32_t market)
{
	for (size_t i = 0; i < cb->n_markets; i++)
		if (cb->markets[i].market == market)
			return &cb->markets[i];
	return NULL;
}

/* Count a reuse hit when the domain of this batch's size was prepared
 * before; else prepare it now (a miss). The trace has at least one row per
 * op, event and access, rounded up: a lower bound of its size is enough to
 * name the shape, as the prover rounds to the same power of two. */
static void
note_shape(struct clob_backend *cb, const struct zk_batch *b)
{
	size_t rows = 2 + b->n_ops + b->events.len + b->witness.len;
	unsigned log_n = 0;
	int miss;

	while (((size_t)1 << log_n) < rows && log_n < 63)
		log_n++;
	log_n += cb->sp->log_blowup;
	if (log_n >= 64)
		return;
	pthread_mutex_lock(&cb->seen_lock);
	miss = !(cb->seen_sizes >> log_n & 1);
	cb->seen_sizes |= 1ull << log_n;
	pthread_mutex_unlock(&cb->seen_lock);
	if (miss) {
		zk_reuse_miss(&cb->reuse);
		(void)zk_ntt_prepare(log_n);
	} else {
		zk_reuse_hit(&cb->reuse);
	}
}

static enum zk_be_status
cb_prove(void *ctx, const struct zk_statement *st,
	 const struct zk_batch *witness, uint64_t deadline_ns,
	 struct zk_proof *out, char *reason, size_t reason_len)
{
	struct clob_backend *cb = ctx;
	const struct zk_market_params *mp;
	struct zk_clob_prove_opts opts;
	struct zk_statement proven;
	uint8_t *proof = NULL;
	size_t proof_len = 0, need;
	char err[256];
	int rc;

	(void)deadline_ns; /* the wrapper checks it; a STARK cannot pause */
	if (witness == NULL || witness->tree_update == NULL) {
		snprintf(reason, reason_len,
			 "%s: needs a batch committed to its state tree",
			 cb->name);
		return ZK_BE_INVALID;
	}
	mp = market_of(cb, st->market);
	if (mp == NULL) {
		snprintf(reason, reason_len, "%s: market %u is not served",
			 cb->name, st->market);
		return ZK_BE_INVALID;
	}
	proven = *st;
	opts = (struct zk_clob_prove_opts){ .market = mp,
					    .stark_params = cb->sp->id,
					    .threads = cb->threads };
	note_shape(cb, witness);
	rc = zk_clob_prove_committed(witness, &opts, &proven, &proof,
				     &proof_len, err, sizeof(err));
	if (rc == ZK_CLOB_EUNSUPPORTED) {
		snprintf(reason, reason_len, "unsupported: %s", err);
		return ZK_BE_UNSUPPORTED;
	}
	if (rc != ZK_CLOB_OK) {
		snprintf(reason, reason_len, "%s: %s", cb->name, err);
		free(proof);
		return rc == ZK_CLOB_EINVAL ? ZK_BE_INVALID : ZK_BE_FAILED;
	}
	need = zk_clob_container_size(witness->n_ops, witness->events.len,
				      proof_len);
	if (need > out->cap) {
		snprintf(reason, reason_len, "%s: proof of %zu bytes, buffer "
					     "holds %zu", cb->name, need,
			 out->cap);
		free(proof);
		return ZK_BE_TOO_BIG;
	}
	out->len = zk_clob_container_encode(witness->ops, witness->n_ops,
					    witness->events.ev,
					    witness->events.len, proof,
					    proof_len, out->data, out->cap);
	free(proof);
	if (out->len == 0) {
		snprintf(reason, reason_len, "%s: batch too large for a "
					     "container", cb->name);
		return ZK_BE_FAILED;
	}
	return ZK_BE_OK;
}

static enum zk_verdict
cb_verify(void *ctx, const struct zk_statement *st, const uint8_t *proof,
	  size_t len, uint64_t deadline_ns, char *reason, size_t reason_len)
{
	struct clob_backend *cb = ctx;
	const struct zk_market_params *mp = market_of(cb, st->market);
	char err[256];
	int rc;

	(void)deadline_ns;
	if (mp == NULL) {
		snprintf(reason, reason_len, "%s: market %u is not served",
			 cb->name, st->market);
		return ZK_VERIFY_ERROR;
	}
	rc = zk_clob_verify_container(st, proof, len, mp, cb->sp->id, err,
				      sizeof(err));
	if (rc == ZK_CLOB_OK)
		return ZK_VERIFY_ACCEPT;
	snprintf(reason, reason_len, "%s: %s", cb->name, err);
	return rc == ZK_CLOB_EREJECT ? ZK_VERIFY_REJECT : ZK_VERIFY_ERROR;
}

static void
cb_describe(void *ctx, struct zk_backend_info *info)
{
	struct clob_backend *cb = ctx;
	double bits = zk_stark_conjectured_bits(cb->sp, CLOB_BE_MAX_LOG_ROWS,
						ZK_CLOB_AIR_MAX_DEGREE);

	memset(info, 0, sizeof(*info));
	snprintf(info->name, sizeof(info->name), "%s", cb->name);
	info->params_id = ZK_CLOB_PARAMS_ID(cb->sp->id);
	info->security_bits = (uint32_t)floor(bits);
	info->test_only = false;
	/* Priors from perf/bench_clob (docs/proof.md §7, fast set, 2
	 * threads); the router replaces them with what it measures. A larger
	 * blowup costs proportionally more LDE and fewer queries. */
	info->prove_fixed_us = 60000u << (cb->sp->log_blowup - 1);
	info->prove_per_op_us = 450u << (cb->sp->log_blowup - 1);
	info->proof_bytes_fixed =
		(uint32_t)(6800u * cb->sp->n_queries);
	info->proof_bytes_per_op = ZK_OP_WIRE_SIZE + 2 * ZK_EVENT_WIRE_SIZE;
	info->verify_us = 5000;
	info->concurrency = cb->concurrency;
}

static enum zk_health
cb_health(void *ctx, char *reason, size_t reason_len)
{
	struct clob_backend *cb = ctx;

	snprintf(reason, reason_len, "%s: %zu market(s), %u thread(s)",
		 cb->name, cb->n_markets, cb->threads);
	return ZK_HEALTH_OK;
}

static const struct zk_reuse_counter *
cb_reuse(void *ctx)
{
	struct clob_backend *cb = ctx;

	return &cb->reuse;
}

static void
cb_destroy(void *ctx)
{
	struct clob_backend *cb = ctx;

	if (cb == NULL)
		return;
	pthread_mutex_destroy(&cb->seen_lock);
	free(cb->markets);
	free(cb);
}

static const struct zk_backend_ops clob_ops = {
	.prove = cb_prove,
	.verify = cb_verify,
	.describe = cb_describe,
	.health = cb_health,
	.reuse = cb_reuse,
	.destroy = cb_destroy,
};

struct zk_backend *
zk_clob_backend_create(const struct zk_clob_backend_cfg *cfg)
{
	const struct zk_stark_params *sp;
	struct clob_backend *cb;

	if (cfg == NULL || cfg->markets == NULL || cfg->n_markets == 0) {
		errno = EINVAL;
		return NULL;
	}
	sp = zk_stark_params_by_id(cfg->stark_params);
	/* The AIR has degree ZK_CLOB_AIR_MAX_DEGREE: a set whose blowup
	 * cannot carry it (throughput: blowup 2) cannot prove it. */
	if (sp == NULL ||
	    zk_stark_params_max_degree(sp) < ZK_CLOB_AIR_MAX_DEGREE) {
		errno = EINVAL;
		return NULL;
	}
	cb = calloc(1, sizeof(*cb));
	if (cb == NULL)
		return NULL;
	cb->markets = calloc(cfg->n_markets, sizeof(*cb->markets));
	if (cb->markets == NULL) {
		free(cb);
		errno = ENOMEM;
		return NULL;
	}
	memcpy(cb->markets, cfg->markets,
	       cfg->n_markets * sizeof(*cb->markets));
	cb->n_markets = cfg->n_markets;
	cb->sp = sp;
	cb->threads = cfg->threads ? cfg->threads : 1;
	cb->concurrency = cfg->concurrency ? cfg->concurrency : 1;
	if (cfg->name != NULL && cfg->name[0] != '\0')
		snprintf(cb->name, sizeof(cb->name), "%s", cfg->name);
	else
		snprintf(cb->name, sizeof(cb->name), "clob-%s", sp->name);
	pthread_mutex_init(&cb->seen_lock, NULL);
	return zk_backend_create(&clob_ops, cb);
}
