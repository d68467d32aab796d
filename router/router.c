/* SPDX-License-Identifier: MIT */
/*
 * The router's request path: select, claim (breaker), prove, check size,
 * verify (sampled, through the verification cache), record the outcome,
 * fail over. Config lives in refcounted immutable snapshots so that
 * reconfigure never blocks or changes a request half-way.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "router_priv.h"

static uint64_t
default_clock(void *arg)
{
	(void)arg;
	return zk_backend_now_ns();
}

static uint64_t
mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static struct zk_snapshot *
snapshot_build(struct zk_router *r, const struct zk_router_cfg *cfg)
{
	struct zk_snapshot *s = calloc(1, sizeof(*s));
	unsigned n = atomic_load(&r->n_slots);

	if (s == NULL)
		return NULL;
	atomic_init(&s->refs, 1);
	s->cfg = *cfg;
	for (int w = 0; w < ZK_WORKLOAD_COUNT; w++) {
		const struct zk_route_constraints *c = &cfg->classes[w];

		s->preferred[w] = -1;
		/* A name that matches no backend yet allows nothing: the mask
		 * gets a bit no backend has, so the class stays restricted. */
		if (c->n_allowed > 0)
			s->allowed_mask[w] = 1u << 31;
		for (unsigned i = 0; i < n; i++) {
			const char *name = r->slots[i].info->name;

			for (uint32_t a = 0; a < c->n_allowed; a++)
				if (strcmp(c->allowed[a], name) == 0)
					s->allowed_mask[w] |= 1u << i;
			if (c->preferred[0] != '\0' &&
			    strcmp(c->preferred, name) == 0)
				s->preferred[w] = (int)i;
		}
	}
	return s;
}

static void
snapshot_put(struct zk_snapshot *s)
{
	if (atomic_fetch_sub(&s->refs, 1) == 1)
		free(s);
}

static struct zk_snapshot *
snapshot_get(struct zk_router *r)
{
	struct zk_snapshot *s;

	pthread_mutex_lock(&r->snap_lock);
	s = r->snap;
	atomic_fetch_add(&s->refs, 1);
	pthread_mutex_unlock(&r->snap_lock);
	return s;
}

static void
snapshot_swap(struct zk_router *r, struct zk_snapshot *s)
{
	struct zk_snapshot *old;

	pthread_mutex_lock(&r->snap_lock);
	old = r->snap;
	r->snap = s;
	pthread_mutex_unlock(&r->snap_lock);
	snapshot_put(old);
}

struct zk_router *
zk_router_create(const struct zk_router_cfg *cfg,
		 const struct zk_router_opts *opts, char *err, size_t errlen)
{
	struct zk_router *r;

	if (cfg == NULL || zk_router_config_check(cfg, err, errlen) != 0) {
		if (cfg == NULL)
			snprintf(err, errlen, "missing router config");
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		goto nomem;
	pthread_mutex_init(&r->snap_lock, NULL);
	pthread_mutex_init(&r->add_lock, NULL);
	r->now_ns = opts != NULL && opts->now_ns != NULL ? opts->now_ns :
							   default_clock;
	r->clock_arg = opts != NULL ? opts->clock_arg : NULL;
	if (opts != NULL) {
		r->on_verify_failure = opts->on_verify_failure;
		r->observer_arg = opts->observer_arg;
	}
	r->snap = snapshot_build(r, cfg);
	if (r->snap == NULL)
		goto nomem;
	/* Cache sizes are fixed at create: resizing under load would drop
	 * nothing useful and cost a lock on the hot path. */
	r->proof_cache = zk_rcache_create(cfg->proof_cache_entries);
	r->verify_cache = zk_rcache_create(cfg->verify_cache_entries);
	if ((cfg->proof_cache_entries != 0 && r->proof_cache == NULL) ||
	    (cfg->verify_cache_entries != 0 && r->verify_cache == NULL))
		goto nomem;
	return r;
nomem:
	zk_router_destroy(r);
	snprintf(err, errlen, "out of memory");
	return NULL;
}

void
zk_router_destroy(struct zk_router *r)
{
	unsigned n;

	if (r == NULL)
		return;
	n = atomic_load(&r->n_slots);
	for (unsigned i = 0; i < n; i++) {
		zk_backend_destroy(r->slots[i].be);
		pthread_mutex_destroy(&r->slots[i].lock);
	}
	if (r->snap != NULL)
		snapshot_put(r->snap);
	zk_rcache_destroy(r->proof_cache);
	zk_rcache_destroy(r->verify_cache);
	pthread_mutex_destroy(&r->snap_lock);
	pthread_mutex_destroy(&r->add_lock);
	free(r);
}

int
zk_router_add_backend(struct zk_router *r, struct zk_backend *be, char *err,
		      size_t errlen)
{
	const struct zk_backend_info *info;
	struct zk_snapshot *s, *ns;
	unsigned n;
	int rc = -1;

	if (be == NULL) {
		snprintf(err, errlen, "no backend");
		return -1;
	}
	info = zk_backend_info(be);
	pthread_mutex_lock(&r->add_lock);
	s = snapshot_get(r);
	n = atomic_load(&r->n_slots);
	if (info->test_only && !s->cfg.test_backends) {
		snprintf(err, errlen,
			 "backend '%s' is test-only (proves nothing); refused unless [router] test_backends = true",
			 info->name);
		goto out;
	}
	if (n == ZK_ROUTER_MAX_BACKENDS) {
		snprintf(err, errlen, "more than %d backends",
			 ZK_ROUTER_MAX_BACKENDS);
		goto out;
	}
	for (unsigned i = 0; i < n; i++)
		if (strcmp(r->slots[i].info->name, info->name) == 0) {
			snprintf(err, errlen, "duplicate backend name '%s'",
				 info->name);
			goto out;
		}
	memset(&r->slots[n], 0, sizeof(r->slots[n]));
	r->slots[n].be = be;
	r->slots[n].info = info;
	pthread_mutex_init(&r->slots[n].lock, NULL);
	atomic_init(&r->slots[n].inflight, 0);
	atomic_store_explicit(&r->n_slots, n + 1, memory_order_release);
	/* Names in the config may now resolve to this backend. */
	ns = snapshot_build(r, &s->cfg);
	if (ns != NULL)
		snapshot_swap(r, ns);
	rc = (int)n;
	be = NULL;
out:
	snapshot_put(s);
	pthread_mutex_unlock(&r->add_lock);
	zk_backend_destroy(be);
	return rc;
}

size_t
zk_router_backend_count(const struct zk_router *r)
{
	return atomic_load(&r->n_slots);
}

struct zk_backend *
zk_router_backend(const struct zk_router *r, int idx)
{
	if (idx < 0 || (unsigned)idx >= atomic_load(&r->n_slots))
		return NULL;
	return r->slots[idx].be;
}

int
zk_router_reconfigure(struct zk_router *r, const struct zk_router_cfg *cfg,
		      char *err, size_t errlen)
{
	struct zk_snapshot *s;

	if (zk_router_config_check(cfg, err, errlen) != 0)
		return -1;
	pthread_mutex_lock(&r->add_lock);
	s = snapshot_build(r, cfg);
	if (s == NULL) {
		pthread_mutex_unlock(&r->add_lock);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snapshot_swap(r, s);
	pthread_mutex_unlock(&r->add_lock);
	atomic_fetch_add(&r->reconfigures, 1);
	return 0;
}

void
zk_router_current_cfg(struct zk_router *r, struct zk_router_cfg *out)
{
	struct zk_snapshot *s = snapshot_get(r);

	*out = s->cfg;
	snapshot_put(s);
}

static void
ewma(double *v, bool *seen, double sample, double alpha)
{
	*v = *seen ? *v + alpha * (sample - *v) : sample;
	*seen = true;
}

/* Outcome of one attempt into profile and breaker, slot lock held. */
static void
record(struct zk_router *r, struct zk_slot *sl, const struct zk_router_cfg *cfg,
       uint32_t n_ops, uint64_t latency_ns, uint64_t proof_bytes, bool ok,
       bool probe)
{
	const double a = cfg->ewma_alpha;
	bool seen = true;

	if (probe)
		sl->probe_inflight = false;
	ewma(&sl->prof.failure_rate, &seen, ok ? 0.0 : 1.0, a);
	if (!ok) {
		sl->failures++;
		sl->consecutive++;
		if (sl->breaker == ZK_BREAKER_HALF_OPEN ||
		    (sl->breaker == ZK_BREAKER_CLOSED &&
		     sl->consecutive >= cfg->breaker_failures)) {
			sl->breaker = ZK_BREAKER_OPEN;
			sl->opened_at_ns = zk_router_clock(r);
			sl->opens++;
		}
		return;
	}
	sl->proofs++;
	sl->consecutive = 0;
	sl->breaker = ZK_BREAKER_CLOSED;
	if (n_ops == 0)
		n_ops = 1;
	ewma(&sl->prof.batch_ns[zk_size_bucket(n_ops)],
	     &sl->prof.batch_seen[zk_size_bucket(n_ops)], (double)latency_ns,
	     a);
	ewma(&sl->prof.ns_per_op, &sl->prof.op_seen,
	     (double)latency_ns / n_ops, a);
	ewma(&sl->prof.proof_bytes, &sl->prof.size_seen, (double)proof_bytes,
	     a);
}

void
zk_router_observe(struct zk_router *r, int idx, uint32_t n_ops,
		  uint64_t latency_ns, uint64_t proof_bytes, bool ok)
{
	struct zk_snapshot *s;
	struct zk_slot *sl;

	if (idx < 0 || (unsigned)idx >= atomic_load(&r->n_slots))
		return;
	sl = &r->slots[idx];
	s = snapshot_get(r);
	pthread_mutex_lock(&sl->lock);
	record(r, sl, &s->cfg, n_ops, latency_ns, proof_bytes, ok, false);
	pthread_mutex_unlock(&sl->lock);
	snapshot_put(s);
}

/* Claim the right to call slot now: a half-open breaker lets one probe. */
static bool
claim(struct zk_router *r, struct zk_slot *sl, const struct zk_router_cfg *cfg,
      bool *probe)
{
	uint64_t now = zk_router_clock(r);
	bool ok = false;

	*probe = false;
	pthread_mutex_lock(&sl->lock);
	switch (sl->breaker) {
	case ZK_BREAKER_CLOSED:
		ok = true;
		break;
	case ZK_BREAKER_OPEN:
		if (now - sl->opened_at_ns >=
		    cfg->breaker_cooldown_ms * 1000000u) {
			sl->breaker = ZK_BREAKER_HALF_OPEN;
			sl->probe_inflight = true;
			*probe = ok = true;
		}
		break;
	case ZK_BREAKER_HALF_OPEN:
		if (!sl->probe_inflight) {
			sl->probe_inflight = true;
			*probe = ok = true;
		}
		break;
	}
	pthread_mutex_unlock(&sl->lock);
	return ok;
}

static bool
sampled(const struct zk_router_cfg *cfg, uint64_t reqno)
{
	if (cfg->verify_rate >= 1.0)
		return true;
	if (cfg->verify_rate <= 0.0)
		return false;
	return (double)(mix64(cfg->seed ^ mix64(reqno)) >> 11) * 0x1.0p-53 <
	       cfg->verify_rate;
}

/* Verify through the verification cache; only a real ACCEPT is cached. */
static enum zk_verdict
verify_cached(struct zk_router *r, struct zk_slot *sl,
	      const struct zk_statement *st, const uint8_t *proof, size_t len,
	      uint64_t deadline_ns, char *reason, size_t reason_len)
{
	uint8_t digest[32], key[ZK_CACHE_KEY_SIZE] = { 0 };
	enum zk_verdict v;
	uint64_t t0;

	if (r->verify_cache != NULL) {
		zk_proof_digest(proof, len, digest);
		zk_cache_key(st, digest, key);
		if (zk_rcache_get(r->verify_cache, key, NULL, 0, NULL)) {
			atomic_fetch_add(&r->vc_hits, 1);
			return ZK_VERIFY_ACCEPT;
		}
		atomic_fetch_add(&r->vc_misses, 1);
	}
	t0 = zk_backend_now_ns();
	v = zk_backend_verify(sl->be, st, proof, len, deadline_ns, reason,
			      reason_len);
	if (v == ZK_VERIFY_ACCEPT) {
		uint64_t dt = zk_backend_now_ns() - t0;
		struct zk_snapshot *s = snapshot_get(r);

		pthread_mutex_lock(&sl->lock);
		ewma(&sl->prof.verify_ns, &sl->prof.verify_seen, (double)dt,
		     s->cfg.ewma_alpha);
		pthread_mutex_unlock(&sl->lock);
		snapshot_put(s);
		if (r->verify_cache != NULL)
			zk_rcache_put(r->verify_cache, key, NULL, 0);
	}
	return v;
}

static void
params_tag(uint32_t params_id, uint8_t tag[32])
{
	memset(tag, 0, 32);
	tag[0] = (uint8_t)(params_id >> 24);
	tag[1] = (uint8_t)(params_id >> 16);
	tag[2] = (uint8_t)(params_id >> 8);
	tag[3] = (uint8_t)params_id;
}

/* One attempt on slot idx. true when res now holds an accepted proof. */
static bool
attempt(struct zk_router *r, const struct zk_snapshot *s, int idx,
	const struct zk_route_request *req, uint64_t deadline_ns,
	bool verify, bool probe, struct zk_proof *out,
	struct zk_route_result *res)
{
	const struct zk_route_constraints *c = &s->cfg.classes[req->workload];
	struct zk_slot *sl = &r->slots[idx];
	struct zk_statement st = *req->st;
	uint8_t key[ZK_CACHE_KEY_SIZE] = { 0 }, tag[32];
	char why[ZK_BACKEND_REASON_MAX];
	enum zk_be_status bs;
	enum zk_verdict v = ZK_VERIFY_ACCEPT;
	uint64_t t0, dt;
	bool ok;

	st.params_id = sl->info->params_id;
	res->statement = st;
	why[0] = '\0';
	if (r->proof_cache != NULL) {
		size_t len;

		params_tag(st.params_id, tag);
		zk_cache_key(&st, tag, key);
		if (zk_rcache_get(r->proof_cache, key, out->data, out->cap,
				  &len)) {
			atomic_fetch_add(&r->pc_hits, 1);
			out->len = len;
			res->from_cache = true;
			res->verified = true; /* only verified proofs go in */
			if (probe) {
				pthread_mutex_lock(&sl->lock);
				sl->probe_inflight = false;
				pthread_mutex_unlock(&sl->lock);
			}
			return true;
		}
		atomic_fetch_add(&r->pc_misses, 1);
	}
	atomic_fetch_add(&sl->inflight, 1);
	t0 = zk_backend_now_ns();
	bs = zk_backend_prove(sl->be, &st, req->witness, deadline_ns, out, why,
			      sizeof(why));
	dt = zk_backend_now_ns() - t0;
	if (bs == ZK_BE_UNSUPPORTED) {
		/* Outside the backend's coverage: no failure, no sample. */
		atomic_fetch_sub(&sl->inflight, 1);
		pthread_mutex_lock(&sl->lock);
		sl->unsupported++;
		if (probe)
			sl->probe_inflight = false;
		pthread_mutex_unlock(&sl->lock);
		out->len = 0;
		res->unsupported++;
		snprintf(res->reason, sizeof(res->reason), "%s: %s",
			 sl->info->name, why);
		return false;
	}
	if (bs == ZK_BE_OK && c->max_proof_bytes != 0 &&
	    out->len > c->max_proof_bytes) {
		snprintf(why, sizeof(why), "%zu-byte proof over max_proof_bytes",
			 out->len);
		bs = ZK_BE_TOO_BIG;
	}
	if (bs == ZK_BE_OK && verify) {
		v = verify_cached(r, sl, &st, out->data, out->len, 0, why,
				  sizeof(why));
		if (v != ZK_VERIFY_ACCEPT) {
			bs = ZK_BE_FAILED;
			if (r->on_verify_failure != NULL)
				r->on_verify_failure(r->observer_arg, &st,
						     sl->info->name, out->data,
						     out->len, why);
		}
	}
	atomic_fetch_sub(&sl->inflight, 1);
	ok = bs == ZK_BE_OK;
	pthread_mutex_lock(&sl->lock);
	record(r, sl, &s->cfg, req->n_ops, dt, out->len, ok, probe);
	if (bs == ZK_BE_TIMEOUT)
		sl->timeouts++;
	if (v == ZK_VERIFY_REJECT)
		sl->rejects++;
	pthread_mutex_unlock(&sl->lock);
	if (!ok) {
		out->len = 0;
		snprintf(res->reason, sizeof(res->reason), "%s: %s%s (%s)",
			 sl->info->name,
			 v != ZK_VERIFY_ACCEPT ? "verify " : "",
			 v != ZK_VERIFY_ACCEPT ? zk_verdict_name(v) :
						 zk_be_status_name(bs),
			 why);
		return false;
	}
	res->verified = verify;
	if (verify) {
		atomic_fetch_add(&r->verified, 1);
		if (r->proof_cache != NULL)
			zk_rcache_put(r->proof_cache, key, out->data, out->len);
	} else {
		atomic_fetch_add(&r->sampled_out, 1);
	}
	return true;
}

static enum zk_route_status
finish(struct zk_router *r, struct zk_route_result *res,
       enum zk_route_status st)
{
	res->status = st;
	atomic_fetch_add(st == ZK_ROUTE_OK ? &r->ok : &r->failed, 1);
	return st;
}

enum zk_route_status
zk_router_prove(struct zk_router *r, const struct zk_route_request *req,
		struct zk_proof *out, struct zk_route_result *res)
{
	uint64_t reqno = atomic_fetch_add(&r->requests, 1);
	struct zk_snapshot *s;
	const struct zk_route_constraints *c;
	uint64_t deadline_ns;
	uint32_t tried = 0;
	bool verify;
	enum zk_route_status st = ZK_ROUTE_EXHAUSTED;

	memset(res, 0, sizeof(*res));
	res->backend = -1;
	if (out != NULL)
		out->len = 0;
	if (req == NULL || req->st == NULL || out == NULL ||
	    (unsigned)req->workload >= ZK_WORKLOAD_COUNT || req->n_ops == 0 ||
	    !zk_statement_is_well_formed(req->st)) {
		snprintf(res->reason, sizeof(res->reason),
			 "invalid request (statement, workload or n_ops)");
		return finish(r, res, ZK_ROUTE_INVALID);
	}
	s = snapshot_get(r);
	c = &s->cfg.classes[req->workload];
	deadline_ns = req->deadline_ns;
	if (deadline_ns == 0 && c->deadline_us != 0)
		deadline_ns = zk_backend_now_ns() + c->deadline_us * 1000u;
	verify = sampled(&s->cfg, reqno);
	while (res->attempts <= s->cfg.max_retries) {
		char why[ZK_BACKEND_REASON_MAX];
		uint32_t declined;
		bool probe, ok;
		int idx;

		if (deadline_ns != 0 && zk_backend_now_ns() >= deadline_ns) {
			st = ZK_ROUTE_DEADLINE;
			if (res->reason[0] == '\0')
				snprintf(res->reason, sizeof(res->reason),
					 "deadline passed");
			break;
		}
		idx = zk_select(r, s, req, tried, deadline_ns, reqno, why,
				sizeof(why));
		if (idx < 0) {
			/* Keep the last failure: it says more than "none
			 * left" once something was tried. */
			if (res->attempts == 0 && res->unsupported == 0) {
				st = ZK_ROUTE_NO_BACKEND;
				snprintf(res->reason, sizeof(res->reason),
					 "%s", why);
			}
			break;
		}
		tried |= 1u << idx;
		/* Lost a half-open probe race: not an attempt, try others. */
		if (!claim(r, &r->slots[idx], &s->cfg, &probe))
			continue;
		declined = res->unsupported;
		res->attempts++;
		ok = attempt(r, s, idx, req, deadline_ns, verify, probe, out,
			     res);
		if (!ok && res->unsupported != declined) {
			/* a decline is neither an attempt nor a retry */
			res->attempts--;
			if (res->attempts == 0)
				st = ZK_ROUTE_UNSUPPORTED;
			continue;
		}
		if (res->attempts > 1)
			atomic_fetch_add(&r->retries, 1);
		st = ZK_ROUTE_EXHAUSTED;
		if (ok) {
			res->backend = idx;
			res->reason[0] = '\0';
			st = ZK_ROUTE_OK;
			break;
		}
	}
	snapshot_put(s);
	return finish(r, res, st);
}

enum zk_verdict
zk_router_verify(struct zk_router *r, const struct zk_statement *st,
		 const uint8_t *proof, size_t len, int *backend, char *reason,
		 size_t reason_len)
{
	unsigned n = atomic_load_explicit(&r->n_slots, memory_order_acquire);
	struct zk_snapshot *s = snapshot_get(r);
	enum zk_verdict v = ZK_VERIFY_ERROR;

	*backend = -1;
	snprintf(reason, reason_len, "no backend for params_id %u",
		 st != NULL ? st->params_id : 0);
	for (unsigned i = 0; st != NULL && i < n; i++) {
		if (r->slots[i].info->params_id != st->params_id)
			continue;
		/* A test-only verifier must not vouch for anything in
		 * production either. */
		if (r->slots[i].info->test_only && !s->cfg.test_backends)
			continue;
		*backend = (int)i;
		reason[0] = '\0';
		v = proof == NULL || len == 0 ?
			    ZK_VERIFY_REJECT :
			    verify_cached(r, &r->slots[i], st, proof, len, 0,
					  reason, reason_len);
		if (v == ZK_VERIFY_REJECT && reason[0] == '\0')
			snprintf(reason, reason_len, "empty proof");
		break;
	}
	snapshot_put(s);
	return v;
}

int
zk_router_select(struct zk_router *r, const struct zk_route_request *req,
		 char *reason, size_t reason_len)
{
	struct zk_snapshot *s;
	uint64_t deadline_ns;
	int idx;

	if (req == NULL || req->st == NULL ||
	    (unsigned)req->workload >= ZK_WORKLOAD_COUNT || req->n_ops == 0) {
		snprintf(reason, reason_len, "invalid request");
		return -1;
	}
	s = snapshot_get(r);
	deadline_ns = req->deadline_ns;
	if (deadline_ns == 0 && s->cfg.classes[req->workload].deadline_us != 0)
		deadline_ns = zk_backend_now_ns() +
			      s->cfg.classes[req->workload].deadline_us * 1000u;
	idx = zk_select(r, s, req, 0, deadline_ns, 0, reason, reason_len);
	snapshot_put(s);
	return idx;
}

void
zk_router_poll_health(struct zk_router *r)
{
	unsigned n = atomic_load(&r->n_slots);

	for (unsigned i = 0; i < n; i++) {
		enum zk_health h = zk_backend_health(r->slots[i].be, NULL, 0);

		pthread_mutex_lock(&r->slots[i].lock);
		r->slots[i].health = h;
		pthread_mutex_unlock(&r->slots[i].lock);
	}
}

const char *
zk_breaker_name(enum zk_breaker_state s)
{
	switch (s) {
	case ZK_BREAKER_CLOSED: return "closed";
	case ZK_BREAKER_OPEN: return "open";
	case ZK_BREAKER_HALF_OPEN: return "half-open";
	}
	return "unknown";
}

int
zk_router_backend_stats(struct zk_router *r, int idx,
			struct zk_backend_stats *out)
{
	struct zk_slot *sl;

	if (idx < 0 || (unsigned)idx >= atomic_load(&r->n_slots))
		return -1;
	sl = &r->slots[idx];
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", sl->info->name);
	pthread_mutex_lock(&sl->lock);
	out->breaker = sl->breaker;
	out->health = sl->health;
	out->consecutive_failures = sl->consecutive;
	out->ewma_ns_per_op = sl->prof.ns_per_op;
	out->ewma_proof_bytes = sl->prof.proof_bytes;
	out->ewma_verify_ns = sl->prof.verify_ns;
	out->failure_rate = sl->prof.failure_rate;
	out->proofs = sl->proofs;
	out->failures = sl->failures;
	out->timeouts = sl->timeouts;
	out->rejects = sl->rejects;
	out->breaker_opens = sl->opens;
	out->unsupported = sl->unsupported;
	pthread_mutex_unlock(&sl->lock);
	out->inflight = atomic_load(&sl->inflight);
	out->reuse_rate = zk_backend_reuse_rate(sl->be, NULL, NULL);
	return 0;
}

void
zk_router_stats(struct zk_router *r, struct zk_router_stats *out)
{
	out->requests = atomic_load(&r->requests);
	out->ok = atomic_load(&r->ok);
	out->failed = atomic_load(&r->failed);
	out->retries = atomic_load(&r->retries);
	out->verified = atomic_load(&r->verified);
	out->sampled_out = atomic_load(&r->sampled_out);
	out->proof_cache_hits = atomic_load(&r->pc_hits);
	out->proof_cache_misses = atomic_load(&r->pc_misses);
	out->verify_cache_hits = atomic_load(&r->vc_hits);
	out->verify_cache_misses = atomic_load(&r->vc_misses);
	out->reconfigures = atomic_load(&r->reconfigures);
}
