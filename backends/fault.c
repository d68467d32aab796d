/* SPDX-License-Identifier: MIT */
/*
 * Fault injection: wraps a backend and, on a deterministic schedule, makes
 * prove calls fail, run slow, return a corrupted proof or hang until their
 * deadline, so failover, breakers and timeouts can be drilled on demand.
 * The schedule depends only on the call number (and seed), never on time or
 * thread interleaving, so a drill is repeatable.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zkclob/backend.h"

struct fault {
	struct zk_backend *inner;
	struct zk_fault_cfg cfg;
	atomic_uint_fast64_t calls;
	atomic_uint_fast64_t injected;
};

static const struct zk_backend_ops fault_ops;

static uint64_t
splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static bool
scheduled(const struct zk_fault_cfg *cfg, uint64_t call)
{
	switch (cfg->schedule) {
	case ZK_FAULT_ALWAYS:
		return true;
	case ZK_FAULT_EVERY_NTH:
		return cfg->every_n != 0 && call % cfg->every_n == 0;
	case ZK_FAULT_RANDOM:
		/* 53 uniform bits, as a double in [0, 1). */
		return (double)(splitmix64(cfg->seed ^ splitmix64(call)) >> 11) *
			       0x1.0p-53 < cfg->probability;
	case ZK_FAULT_RANGE:
		return call >= cfg->first && call <= cfg->last;
	}
	return false;
}

static void
sleep_ns(uint64_t ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(ns / 1000000000u),
		.tv_nsec = (long)(ns % 1000000000u),
	};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static enum zk_be_status
fault_prove(void *ctx, const struct zk_statement *st,
	    const struct zk_batch *witness, uint64_t deadline_ns,
	    struct zk_proof *out, char *reason, size_t reason_len)
{
	struct fault *f = ctx;
	uint64_t call = atomic_fetch_add(&f->calls, 1) + 1;
	enum zk_be_status s;
	uint64_t now, until;

	if (f->cfg.mode == ZK_FAULT_NONE || !scheduled(&f->cfg, call))
		return zk_backend_prove(f->inner, st, witness, deadline_ns, out,
					reason, reason_len);
	atomic_fetch_add(&f->injected, 1);
	switch (f->cfg.mode) {
	case ZK_FAULT_FAIL:
		snprintf(reason, reason_len, "injected failure (call %llu)",
			 (unsigned long long)call);
		return ZK_BE_FAILED;
	case ZK_FAULT_SLOW:
		sleep_ns(f->cfg.slow_us * 1000u);
		return zk_backend_prove(f->inner, st, witness, deadline_ns, out,
					reason, reason_len);
	case ZK_FAULT_CORRUPT:
		s = zk_backend_prove(f->inner, st, witness, deadline_ns, out,
				     reason, reason_len);
		if (s == ZK_BE_OK && out->len > 0)
			out->data[splitmix64(call) % out->len] ^= 0x5a;
		return s;
	case ZK_FAULT_HANG:
		now = zk_backend_now_ns();
		until = now + f->cfg.hang_max_us * 1000u;
		if (deadline_ns != 0 && deadline_ns < until)
			until = deadline_ns;
		if (until > now)
			sleep_ns(until - now);
		snprintf(reason, reason_len, "injected hang (call %llu)",
			 (unsigned long long)call);
		return ZK_BE_TIMEOUT;
	case ZK_FAULT_NONE:
		break;
	}
	return ZK_BE_FAILED;
}

static enum zk_verdict
fault_verify(void *ctx, const struct zk_statement *st, const uint8_t *proof,
	     size_t len, uint64_t deadline_ns, char *reason, size_t reason_len)
{
	struct fault *f = ctx;

	return zk_backend_verify(f->inner, st, proof, len, deadline_ns, reason,
				 reason_len);
}

static void
fault_describe(void *ctx, struct zk_backend_info *info)
{
	struct fault *f = ctx;

	const char *inner = zk_backend_info(f->inner)->name;

	*info = *zk_backend_info(f->inner);
	/* Names longer than the prefix allows are cut, not overflowed. */
	snprintf(info->name, sizeof(info->name), "fault:%.*s",
		 (int)(sizeof(info->name) - sizeof("fault:")), inner);
}

static enum zk_health
fault_health(void *ctx, char *reason, size_t reason_len)
{
	struct fault *f = ctx;

	return zk_backend_health(f->inner, reason, reason_len);
}

static const struct zk_reuse_counter *
fault_reuse(void *ctx)
{
	(void)ctx;
	return NULL;
}

static void
fault_destroy(void *ctx)
{
	struct fault *f = ctx;

	zk_backend_destroy(f->inner);
	free(f);
}

static const struct zk_backend_ops fault_ops = {
	.prove = fault_prove,
	.verify = fault_verify,
	.describe = fault_describe,
	.health = fault_health,
	.reuse = fault_reuse,
	.destroy = fault_destroy,
};

struct zk_backend *
zk_fault_create(struct zk_backend *inner, const struct zk_fault_cfg *cfg)
{
	struct fault *f;

	if (inner == NULL || cfg == NULL ||
	    (cfg->schedule == ZK_FAULT_EVERY_NTH && cfg->every_n == 0) ||
	    (cfg->schedule == ZK_FAULT_RANGE && cfg->first > cfg->last) ||
	    (cfg->schedule == ZK_FAULT_RANDOM &&
	     !(cfg->probability >= 0.0 && cfg->probability <= 1.0))) {
		zk_backend_destroy(inner);
		errno = EINVAL;
		return NULL;
	}
	f = calloc(1, sizeof(*f));
	if (f == NULL) {
		zk_backend_destroy(inner);
		errno = ENOMEM;
		return NULL;
	}
	f->inner = inner;
	f->cfg = *cfg;
	if (f->cfg.hang_max_us == 0)
		f->cfg.hang_max_us = 1000000;
	atomic_init(&f->calls, 0);
	atomic_init(&f->injected, 0);
	return zk_backend_create(&fault_ops, f);
}

void
zk_fault_counts(const struct zk_backend *be, uint64_t *calls,
		uint64_t *injected)
{
	struct fault *f = zk_backend_ctx_of(be, &fault_ops);

	*calls = f != NULL ? atomic_load(&f->calls) : 0;
	*injected = f != NULL ? atomic_load(&f->injected) : 0;
}

static bool
parse_u64(const char *s, const char *end, uint64_t *out)
{
	uint64_t v = 0;

	if (s == end)
		return false;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return true;
}

int
zk_fault_parse(const char *spec, struct zk_fault_cfg *cfg, char *err,
	       size_t errlen)
{
	const char *p = spec;
	bool have_mode = false;

	memset(cfg, 0, sizeof(*cfg));
	if (spec == NULL) {
		snprintf(err, errlen, "empty fault spec");
		return -1;
	}
	while (*p != '\0') {
		const char *tok, *eq, *end;
		size_t klen;
		char *fend;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		tok = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != ',')
			p++;
		end = p;
		eq = memchr(tok, '=', (size_t)(end - tok));
		klen = (size_t)((eq != NULL ? eq : end) - tok);
#define KEY(k) (klen == strlen(k) && strncmp(tok, k, klen) == 0)
		if (!have_mode) {
			have_mode = true;
			if (KEY("none") && eq == NULL) {
				cfg->mode = ZK_FAULT_NONE;
			} else if (KEY("fail") && eq == NULL) {
				cfg->mode = ZK_FAULT_FAIL;
			} else if (KEY("corrupt") && eq == NULL) {
				cfg->mode = ZK_FAULT_CORRUPT;
			} else if (KEY("hang") && eq == NULL) {
				cfg->mode = ZK_FAULT_HANG;
			} else if (KEY("slow") && eq != NULL &&
				   parse_u64(eq + 1, end, &cfg->slow_us)) {
				cfg->mode = ZK_FAULT_SLOW;
			} else {
				snprintf(err, errlen,
					 "fault mode must be none, fail, corrupt, hang or slow=US: '%.*s'",
					 (int)(end - tok), tok);
				return -1;
			}
			continue;
		}
		if (eq == NULL)
			goto bad;
		if (KEY("every")) {
			cfg->schedule = ZK_FAULT_EVERY_NTH;
			if (!parse_u64(eq + 1, end, &cfg->every_n) ||
			    cfg->every_n == 0)
				goto bad;
		} else if (KEY("p")) {
			char num[32];
			size_t n = (size_t)(end - eq - 1);

			if (n == 0 || n >= sizeof(num))
				goto bad;
			memcpy(num, eq + 1, n);
			num[n] = '\0';
			cfg->schedule = ZK_FAULT_RANDOM;
			errno = 0;
			cfg->probability = strtod(num, &fend);
			if (errno != 0 || *fend != '\0' ||
			    !(cfg->probability >= 0.0 &&
			      cfg->probability <= 1.0))
				goto bad;
		} else if (KEY("seed")) {
			if (!parse_u64(eq + 1, end, &cfg->seed))
				goto bad;
		} else if (KEY("calls")) {
			const char *dots = NULL;

			for (const char *q = eq + 1; q + 1 < end; q++)
				if (q[0] == '.' && q[1] == '.') {
					dots = q;
					break;
				}
			cfg->schedule = ZK_FAULT_RANGE;
			if (dots == NULL ||
			    !parse_u64(eq + 1, dots, &cfg->first) ||
			    !parse_u64(dots + 2, end, &cfg->last) ||
			    cfg->first == 0 || cfg->first > cfg->last)
				goto bad;
		} else if (KEY("hang_max")) {
			if (!parse_u64(eq + 1, end, &cfg->hang_max_us))
				goto bad;
		} else {
			goto bad;
		}
#undef KEY
		continue;
bad:
		snprintf(err, errlen,
			 "bad fault schedule term '%.*s' (every=N, p=0..1, seed=S, calls=A..B, hang_max=US)",
			 (int)(end - tok), tok);
		return -1;
	}
	if (!have_mode) {
		snprintf(err, errlen, "empty fault spec");
		return -1;
	}
	return 0;
}
