/* SPDX-License-Identifier: MIT */
/*
 * The backend wrapper: every call goes through here so that argument,
 * deadline and buffer checks are made once, for every backend, and a
 * misbehaving backend is reported as a failure instead of being trusted.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zkclob/backend.h"

struct zk_backend {
	const struct zk_backend_ops *ops;
	void *ctx;
	struct zk_backend_info info;
};

uint64_t
zk_backend_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
set_reason(char *reason, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (reason == NULL || len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(reason, len, fmt, ap);
	va_end(ap);
}

struct zk_backend *
zk_backend_create(const struct zk_backend_ops *ops, void *ctx)
{
	struct zk_backend *be;

	if (ops == NULL || ops->prove == NULL || ops->verify == NULL ||
	    ops->describe == NULL || ops->health == NULL) {
		if (ops != NULL && ops->destroy != NULL)
			ops->destroy(ctx);
		errno = EINVAL;
		return NULL;
	}
	be = calloc(1, sizeof(*be));
	if (be == NULL) {
		if (ops->destroy != NULL)
			ops->destroy(ctx);
		errno = ENOMEM;
		return NULL;
	}
	be->ops = ops;
	be->ctx = ctx;
	ops->describe(ctx, &be->info);
	be->info.name[sizeof(be->info.name) - 1] = '\0';
	if (be->info.concurrency == 0)
		be->info.concurrency = 1;
	return be;
}

void
zk_backend_destroy(struct zk_backend *be)
{
	if (be == NULL)
		return;
	if (be->ops->destroy != NULL)
		be->ops->destroy(be->ctx);
	free(be);
}

void *
zk_backend_ctx_of(const struct zk_backend *be, const struct zk_backend_ops *ops)
{
	if (be == NULL || be->ops != ops)
		return NULL;
	return be->ctx;
}

enum zk_be_status
zk_backend_prove(struct zk_backend *be, const struct zk_statement *st,
		 const struct zk_batch *witness, uint64_t deadline_ns,
		 struct zk_proof *out, char *reason, size_t reason_len)
{
	enum zk_be_status s;
	char dummy[1];

	if (reason == NULL || reason_len == 0) {
		reason = dummy;
		reason_len = sizeof(dummy);
	}
	reason[0] = '\0';
	if (be == NULL || st == NULL || out == NULL ||
	    (out->data == NULL && out->cap != 0)) {
		set_reason(reason, reason_len, "missing argument");
		return ZK_BE_INVALID;
	}
	out->len = 0;
	if (!zk_statement_is_well_formed(st)) {
		set_reason(reason, reason_len,
			   "malformed statement (first_seq > last_seq)");
		return ZK_BE_INVALID;
	}
	if (deadline_ns != 0 && zk_backend_now_ns() >= deadline_ns) {
		set_reason(reason, reason_len, "deadline passed before prove");
		return ZK_BE_TIMEOUT;
	}
	s = be->ops->prove(be->ctx, st, witness, deadline_ns, out, reason,
			   reason_len);
	if (s > ZK_BE_UNSUPPORTED) {
		set_reason(reason, reason_len, "%s: unknown status %d",
			   be->info.name, (int)s);
		s = ZK_BE_FAILED;
	}
	if (s == ZK_BE_OK && out->len > out->cap) {
		set_reason(reason, reason_len,
			   "%s: reported %zu bytes in a %zu-byte buffer",
			   be->info.name, out->len, out->cap);
		s = ZK_BE_FAILED;
	}
	if (s == ZK_BE_OK && out->len == 0) {
		set_reason(reason, reason_len, "%s: empty proof",
			   be->info.name);
		s = ZK_BE_FAILED;
	}
	/* A late proof is as useless to the caller as no proof. */
	if (s == ZK_BE_OK && deadline_ns != 0 &&
	    zk_backend_now_ns() > deadline_ns) {
		set_reason(reason, reason_len, "%s: proof came after deadline",
			   be->info.name);
		s = ZK_BE_TIMEOUT;
	}
	if (s != ZK_BE_OK) {
		out->len = 0;
		if (reason[0] == '\0')
			set_reason(reason, reason_len, "%s: %s", be->info.name,
				   zk_be_status_name(s));
	}
	return s;
}

enum zk_verdict
zk_backend_verify(struct zk_backend *be, const struct zk_statement *st,
		  const uint8_t *proof, size_t len, uint64_t deadline_ns,
		  char *reason, size_t reason_len)
{
	enum zk_verdict v;
	char dummy[1];

	if (reason == NULL || reason_len == 0) {
		reason = dummy;
		reason_len = sizeof(dummy);
	}
	reason[0] = '\0';
	if (be == NULL || st == NULL || (proof == NULL && len != 0)) {
		set_reason(reason, reason_len, "missing argument");
		return ZK_VERIFY_ERROR;
	}
	/* A malformed statement or an empty proof can never be proven. */
	if (!zk_statement_is_well_formed(st)) {
		set_reason(reason, reason_len, "malformed statement");
		return ZK_VERIFY_REJECT;
	}
	if (len == 0) {
		set_reason(reason, reason_len, "empty proof");
		return ZK_VERIFY_REJECT;
	}
	v = be->ops->verify(be->ctx, st, proof, len, deadline_ns, reason,
			    reason_len);
	if (v != ZK_VERIFY_ACCEPT && v != ZK_VERIFY_REJECT) {
		if (v != ZK_VERIFY_ERROR)
			set_reason(reason, reason_len,
				   "%s: unknown verdict %d", be->info.name,
				   (int)v);
		v = ZK_VERIFY_ERROR;
	}
	if (v != ZK_VERIFY_ACCEPT && reason[0] == '\0')
		set_reason(reason, reason_len, "%s: %s", be->info.name,
			   zk_verdict_name(v));
	return v;
}

const struct zk_backend_info *
zk_backend_info(const struct zk_backend *be)
{
	return &be->info;
}

enum zk_health
zk_backend_health(struct zk_backend *be, char *reason, size_t reason_len)
{
	enum zk_health h;
	char dummy[1];

	if (reason == NULL || reason_len == 0) {
		reason = dummy;
		reason_len = sizeof(dummy);
	}
	reason[0] = '\0';
	h = be->ops->health(be->ctx, reason, reason_len);
	if (h != ZK_HEALTH_OK && h != ZK_HEALTH_DEGRADED &&
	    h != ZK_HEALTH_DOWN) {
		set_reason(reason, reason_len, "%s: unknown health %d",
			   be->info.name, (int)h);
		h = ZK_HEALTH_DOWN;
	}
	return h;
}

double
zk_backend_reuse_rate(const struct zk_backend *be, uint64_t *hits,
		      uint64_t *misses)
{
	const struct zk_reuse_counter *c = NULL;
	uint64_t h = 0, m = 0;

	if (be->ops->reuse != NULL)
		c = be->ops->reuse(be->ctx);
	if (c != NULL) {
		h = atomic_load_explicit(&c->hits, memory_order_relaxed);
		m = atomic_load_explicit(&c->misses, memory_order_relaxed);
	}
	if (hits != NULL)
		*hits = h;
	if (misses != NULL)
		*misses = m;
	return h + m == 0 ? 0.0 : (double)h / (double)(h + m);
}

void
zk_reuse_hit(struct zk_reuse_counter *c)
{
	atomic_fetch_add_explicit(&c->hits, 1, memory_order_relaxed);
}

void
zk_reuse_miss(struct zk_reuse_counter *c)
{
	atomic_fetch_add_explicit(&c->misses, 1, memory_order_relaxed);
}

const char *
zk_be_status_name(enum zk_be_status s)
{
	switch (s) {
	case ZK_BE_OK: return "ok";
	case ZK_BE_FAILED: return "failed";
	case ZK_BE_TIMEOUT: return "timeout";
	case ZK_BE_TOO_BIG: return "proof too big";
	case ZK_BE_INVALID: return "invalid argument";
	case ZK_BE_PROTOCOL: return "protocol error";
	case ZK_BE_UNSUPPORTED: return "unsupported batch";
	}
	return "unknown";
}

const char *
zk_verdict_name(enum zk_verdict v)
{
	switch (v) {
	case ZK_VERIFY_ACCEPT: return "accept";
	case ZK_VERIFY_REJECT: return "reject";
	case ZK_VERIFY_ERROR: return "error";
	}
	return "unknown";
}

const char *
zk_health_name(enum zk_health h)
{
	switch (h) {
	case ZK_HEALTH_OK: return "ok";
	case ZK_HEALTH_DEGRADED: return "degraded";
	case ZK_HEALTH_DOWN: return "down";
	}
	return "unknown";
}
