/* SPDX-License-Identifier: MIT */
/*
 * Backend selection: hard constraints first (a backend that cannot meet
 * one is never chosen, whatever its score), then the strategy's score over
 * what is left. Estimates come from the live profile once it has samples
 * and from the backend's advertised cost model before that.
 */
#include <stdio.h>
#include <string.h>

#include "router_priv.h"

struct candidate {
	int idx;
	double latency_ns; /* expected, queue included */
	double proof_bytes;
	double failure_rate;
	double load; /* queued work per unit of concurrency */
	uint32_t inflight;
};

unsigned
zk_size_bucket(uint32_t n_ops)
{
	unsigned b = 0;

	while (n_ops > 1 && b + 1 < ZK_ROUTER_SIZE_BUCKETS) {
		n_ops >>= 1;
		b++;
	}
	return b;
}

double
zk_profile_latency_ns(const struct zk_profile *p,
		      const struct zk_backend_info *info, uint32_t n_ops)
{
	unsigned b = zk_size_bucket(n_ops);

	if (p->batch_seen[b])
		return p->batch_ns[b];
	if (p->op_seen)
		return p->ns_per_op * n_ops;
	return 1000.0 * ((double)info->prove_fixed_us +
			 (double)info->prove_per_op_us * n_ops);
}

static bool
breaker_admits(const struct zk_slot *sl, uint64_t now, uint64_t cooldown_ns)
{
	switch (sl->breaker) {
	case ZK_BREAKER_CLOSED:
		return true;
	case ZK_BREAKER_OPEN:
		return now - sl->opened_at_ns >= cooldown_ns;
	case ZK_BREAKER_HALF_OPEN:
		return !sl->probe_inflight;
	}
	return false;
}

/* Lexicographic (primary, secondary) per strategy; lower is better. */
static void
score(enum zk_strategy strat, const struct zk_router_cfg *cfg,
      const struct candidate *c, const struct candidate *best_of,
      double out[2])
{
	switch (strat) {
	case ZK_STRATEGY_SIZE:
		out[0] = c->proof_bytes;
		out[1] = c->latency_ns;
		return;
	case ZK_STRATEGY_RELIABILITY:
		out[0] = c->failure_rate;
		out[1] = c->latency_ns;
		return;
	case ZK_STRATEGY_BALANCED:
		/* Each metric relative to the best candidate's, so weights
		 * compare like with like; the +1 / +0.01 keep a zero best
		 * from dividing by zero and from dominating. */
		out[0] = cfg->w_latency * (c->latency_ns + 1.0) /
				 (best_of->latency_ns + 1.0) +
			 cfg->w_size * (c->proof_bytes + 1.0) /
				 (best_of->proof_bytes + 1.0) +
			 cfg->w_reliability * (c->failure_rate + 0.01) /
				 (best_of->failure_rate + 0.01) +
			 cfg->w_load * (c->load + 1.0) / (best_of->load + 1.0);
		out[1] = c->latency_ns;
		return;
	case ZK_STRATEGY_LATENCY:
	case ZK_STRATEGY_DEFAULT:
		break;
	}
	out[0] = c->latency_ns;
	out[1] = c->proof_bytes;
}

static bool
better(const double a[2], uint32_t a_inflight, const double b[2],
       uint32_t b_inflight)
{
	if (a[0] != b[0])
		return a[0] < b[0];
	if (a[1] != b[1])
		return a[1] < b[1];
	return a_inflight < b_inflight;
}

int
zk_select(struct zk_router *r, const struct zk_snapshot *s,
	  const struct zk_route_request *req, uint32_t exclude,
	  uint64_t deadline_ns, uint64_t rr, char *reason, size_t reason_len)
{
	const struct zk_router_cfg *cfg = &s->cfg;
	const struct zk_route_constraints *c = &cfg->classes[req->workload];
	enum zk_strategy strat = c->strategy == ZK_STRATEGY_DEFAULT ?
					 cfg->strategy : c->strategy;
	unsigned n = atomic_load_explicit(&r->n_slots, memory_order_acquire);
	struct candidate cand[ZK_ROUTER_MAX_BACKENDS];
	struct candidate best_of = { 0 };
	uint64_t now = zk_router_clock(r);
	uint64_t real_now = deadline_ns != 0 ? zk_backend_now_ns() : 0;
	uint64_t cooldown_ns = cfg->breaker_cooldown_ms * 1000000u;
	const char *why = "no backend registered";
	size_t nc = 0;
	int best = -1;
	double best_score[2] = { 0, 0 };

	for (unsigned k = 0; k < n; k++) {
		/* Rotating the start spreads ties across backends. */
		unsigned i = (unsigned)((k + rr) % n);
		struct zk_slot *sl = &r->slots[i];
		const struct zk_backend_info *info = sl->info;
		struct candidate *cd = &cand[nc];
		double verify_ns;
		bool admits;
		enum zk_health health;

		if (exclude & (1u << i)) {
			why = "every eligible backend already failed this batch";
			continue;
		}
		if (s->allowed_mask[req->workload] != 0 &&
		    !(s->allowed_mask[req->workload] & (1u << i))) {
			why = "no allowed backend";
			continue;
		}
		if (info->test_only && !cfg->test_backends) {
			why = "only test-only backends (test_backends = false)";
			continue;
		}
		if (req->st->params_id != 0 &&
		    req->st->params_id != info->params_id) {
			why = "no backend for the statement's params_id";
			continue;
		}
		if (info->security_bits < c->min_security_bits &&
		    !info->test_only) {
			why = "no backend meets min_security_bits";
			continue;
		}
		cd->idx = (int)i;
		cd->inflight = atomic_load_explicit(&sl->inflight,
						    memory_order_relaxed);
		cd->load = (double)cd->inflight / info->concurrency;
		pthread_mutex_lock(&sl->lock);
		admits = breaker_admits(sl, now, cooldown_ns);
		health = sl->health;
		cd->latency_ns = zk_profile_latency_ns(&sl->prof, info,
						       req->n_ops);
		cd->proof_bytes = sl->prof.size_seen ? sl->prof.proof_bytes :
			(double)info->proof_bytes_fixed +
			(double)info->proof_bytes_per_op * req->n_ops;
		verify_ns = sl->prof.verify_seen ? sl->prof.verify_ns :
						   1000.0 * info->verify_us;
		cd->failure_rate = sl->prof.failure_rate;
		pthread_mutex_unlock(&sl->lock);
		/* Work queued ahead of this batch delays it. */
		cd->latency_ns *= 1.0 + cd->load;
		if (!admits) {
			why = "every eligible backend's circuit breaker is open";
			continue;
		}
		if (health == ZK_HEALTH_DOWN) {
			why = "every eligible backend is down";
			continue;
		}
		if (c->max_proof_bytes != 0 &&
		    cd->proof_bytes > (double)c->max_proof_bytes) {
			why = "no backend's proofs fit max_proof_bytes";
			continue;
		}
		if (c->max_verify_us != 0 &&
		    verify_ns > 1000.0 * (double)c->max_verify_us) {
			why = "no backend verifies within max_verify_us";
			continue;
		}
		if (deadline_ns != 0 &&
		    (real_now >= deadline_ns ||
		     cd->latency_ns > (double)(deadline_ns - real_now))) {
			why = "no backend is expected to meet the deadline";
			continue;
		}
		if (s->preferred[req->workload] == (int)i) {
			nc = 0;
			best = (int)i;
			break;
		}
		nc++;
	}
	if (best >= 0)
		return best;
	if (nc == 0) {
		snprintf(reason, reason_len, "%s", why);
		return -1;
	}
	best_of = cand[0];
	for (size_t k = 1; k < nc; k++) {
		if (cand[k].latency_ns < best_of.latency_ns)
			best_of.latency_ns = cand[k].latency_ns;
		if (cand[k].proof_bytes < best_of.proof_bytes)
			best_of.proof_bytes = cand[k].proof_bytes;
		if (cand[k].failure_rate < best_of.failure_rate)
			best_of.failure_rate = cand[k].failure_rate;
		if (cand[k].load < best_of.load)
			best_of.load = cand[k].load;
	}
	for (size_t k = 0; k < nc; k++) {
		double sc[2];

		score(strat, cfg, &cand[k], &best_of, sc);
		if (best < 0 || better(sc, cand[k].inflight, best_score,
				       atomic_load_explicit(
					       &r->slots[best].inflight,
					       memory_order_relaxed))) {
			best = cand[k].idx;
			best_score[0] = sc[0];
			best_score[1] = sc[1];
		}
	}
	return best;
}
