/* SPDX-License-Identifier: MIT */
/*
 * zkclob — the proof router (DESIGN.md §7, docs/router.md).
 *
 * Spec
 *  - Owns a set of backends (backend.h) and, per batch, picks one by a
 *    strategy (latency, size, reliability, balanced) scored from live
 *    profiles (EWMA batch latency per batch-size bucket, EWMA latency per
 *    op, proof size, verify time, failure rate, queue depth) after hard
 *    constraints have filtered the candidates (deadline, max proof size,
 *    max verify cost, allowed set, parameter set; a preferred backend wins
 *    when it passes them). Constraints come per workload class from config.
 *  - Failover: a failed, late, oversize or non-verifying proof counts as a
 *    backend failure and the next candidate is tried, at most 1 +
 *    max_retries attempts and never past the deadline.
 *  - Circuit breaker per backend: closed → open after breaker_failures
 *    consecutive failures → half-open after breaker_cooldown_ms (one probe
 *    request) → closed on the probe's success, open again on its failure.
 *  - Acceptance: a proof is returned as OK only if verify accepted it, or a
 *    verification-cache entry made by an earlier real ACCEPT of the same
 *    statement and proof bytes, or the verify sampling (verify_rate) chose
 *    not to verify this request; res->verified says which.
 *  - Caches: the proof cache keys on the full encoded statement (params_id
 *    included) and only holds verified proofs; the verification cache keys
 *    on the full encoded statement plus BLAKE2b-256 of the proof bytes and
 *    only holds accepts. A changed statement or proof byte never hits.
 *  - The statement's params_id: 0 lets the router fill it with the chosen
 *    backend's; nonzero restricts the choice to backends with that id.
 *    res->statement is the statement as proven.
 *  - zk_router_reconfigure swaps strategy, weights and constraints
 *    atomically: each request runs under the config it started with.
 *  - Thread safety: all calls may be made concurrently, except that
 *    zk_router_destroy must be the last.
 */
#ifndef ZKCLOB_ROUTER_H
#define ZKCLOB_ROUTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "zkclob/backend.h"
#include "zkclob/statement.h"

#define ZK_ROUTER_MAX_BACKENDS 16
#define ZK_ROUTER_SIZE_BUCKETS 16 /* batch sizes 1, 2-3, 4-7, ... 2^15+ */

enum zk_strategy {
	ZK_STRATEGY_LATENCY = 0,
	ZK_STRATEGY_SIZE,
	ZK_STRATEGY_RELIABILITY,
	ZK_STRATEGY_BALANCED,
	ZK_STRATEGY_DEFAULT, /* in a class: use the router's strategy */
};

/* The seed's workload classes; each maps to constraints in config. */
enum zk_workload {
	ZK_WORKLOAD_ORDER_VALIDATION = 0,
	ZK_WORKLOAD_TRADE_EXECUTION,
	ZK_WORKLOAD_BATCH,
	ZK_WORKLOAD_RISK,
	ZK_WORKLOAD_COMPLIANCE,
	ZK_WORKLOAD_ANALYTICS,
	ZK_WORKLOAD_COUNT,
};

struct zk_route_constraints {
	uint64_t deadline_us;     /* budget per batch; 0: none */
	uint64_t max_proof_bytes; /* 0: none */
	uint64_t max_verify_us;   /* 0: none */
	uint32_t min_security_bits;
	char preferred[ZK_BACKEND_NAME_MAX]; /* "" : none */
	uint32_t n_allowed;                  /* 0: every backend */
	char allowed[ZK_ROUTER_MAX_BACKENDS][ZK_BACKEND_NAME_MAX];
	enum zk_strategy strategy;
};

struct zk_router_cfg {
	enum zk_strategy strategy;
	/* balanced: score = Σ weight · (metric ÷ best candidate's metric) */
	double w_latency, w_size, w_reliability, w_load;
	double verify_rate; /* 0..1: share of proofs verified before accept */
	uint32_t max_retries;
	uint32_t breaker_failures; /* K consecutive failures open it, >= 1 */
	uint64_t breaker_cooldown_ms;
	double ewma_alpha; /* (0, 1]: weight of the newest sample */
	bool test_backends; /* allow test-only backends (hashproof) */
	uint32_t proof_cache_entries;  /* 0: off */
	uint32_t verify_cache_entries; /* 0: off */
	uint64_t seed; /* verify sampling */
	struct zk_route_constraints classes[ZK_WORKLOAD_COUNT];
};

void zk_router_config_default(struct zk_router_cfg *cfg);
/*
 * One key of a config section: [router] or [router.CLASS] with CLASS one
 * of order_validation, trade_execution, batch, risk, compliance,
 * analytics. 0, or -1 with "reason" in err (the caller adds file:line).
 * Returns 1 (not an error) when section is not a router section.
 */
int zk_router_config_set(struct zk_router_cfg *cfg, const char *section,
			 const char *key, const char *value, char *err,
			 size_t errlen);
/* Write cfg as [router] and [router.CLASS] sections that load back to
 * the same values (every field of every class). 0 or -1. */
int zk_router_config_write(const struct zk_router_cfg *cfg, FILE *out);
/* Cross-key checks; 0 or -1 with a reason. */
int zk_router_config_check(const struct zk_router_cfg *cfg, char *err,
			   size_t errlen);
const char *zk_strategy_name(enum zk_strategy s);
const char *zk_workload_name(enum zk_workload w);
int zk_workload_parse(const char *name, enum zk_workload *out);

struct zk_router_opts {
	/* Clock for breaker cooldowns; NULL: CLOCK_MONOTONIC. */
	uint64_t (*now_ns)(void *arg);
	void *clock_arg;
	/* Optional: called (on the proving thread, concurrently from several
	 * workers) each time a backend's fresh proof fails verification —
	 * the audit trail of proofs that were refused, not only counted. */
	void (*on_verify_failure)(void *arg, const struct zk_statement *st,
				  const char *backend, const uint8_t *proof,
				  size_t len, const char *reason);
	void *observer_arg;
};

struct zk_router;

/* NULL with a reason in err. opts may be NULL. */
struct zk_router *zk_router_create(const struct zk_router_cfg *cfg,
				   const struct zk_router_opts *opts,
				   char *err, size_t errlen);
/* Destroys the router and every backend it owns. */
void zk_router_destroy(struct zk_router *r);

/*
 * Hand a backend to the router (it owns it from now on, also on failure).
 * Its index (>= 0), or -1 with a reason: a test-only backend while
 * test_backends is false, a duplicate name, too many backends.
 */
int zk_router_add_backend(struct zk_router *r, struct zk_backend *be,
			  char *err, size_t errlen);
size_t zk_router_backend_count(const struct zk_router *r);
struct zk_backend *zk_router_backend(const struct zk_router *r, int idx);

int zk_router_reconfigure(struct zk_router *r, const struct zk_router_cfg *cfg,
			  char *err, size_t errlen);
/* The config in force (a copy). */
void zk_router_current_cfg(struct zk_router *r, struct zk_router_cfg *out);

struct zk_route_request {
	const struct zk_statement *st;
	const struct zk_batch *witness; /* passed to the backend */
	uint32_t n_ops;                 /* for the latency profile, >= 1 */
	enum zk_workload workload;
	uint64_t deadline_ns; /* absolute; 0: now + class deadline_us */
};

enum zk_route_status {
	ZK_ROUTE_OK = 0,
	ZK_ROUTE_INVALID,    /* bad request */
	ZK_ROUTE_NO_BACKEND, /* no backend met the constraints */
	ZK_ROUTE_DEADLINE,   /* the deadline passed */
	ZK_ROUTE_EXHAUSTED,  /* every attempt failed */
	ZK_ROUTE_UNSUPPORTED, /* every candidate declined the batch
			       * (ZK_BE_UNSUPPORTED): nobody can prove it */
};

struct zk_route_result {
	enum zk_route_status status;
	int backend; /* producer of the returned proof, -1 when none */
	uint32_t attempts;    /* declines (ZK_BE_UNSUPPORTED) not counted */
	uint32_t unsupported; /* candidates that declined the batch */
	bool verified;   /* verify accepted these bytes (now or cached) */
	bool from_cache; /* the proof came from the proof cache */
	struct zk_statement statement; /* as proven (params_id filled) */
	char reason[256];                /* why not OK, or the last failure */
};

/* Prove req into out (caller's buffer). Returns res->status. */
enum zk_route_status zk_router_prove(struct zk_router *r,
				     const struct zk_route_request *req,
				     struct zk_proof *out,
				     struct zk_route_result *res);

/*
 * Verify a proof with the backend whose params_id is st->params_id, through
 * the verification cache. *backend receives its index (-1 when none).
 */
enum zk_verdict zk_router_verify(struct zk_router *r,
				 const struct zk_statement *st,
				 const uint8_t *proof, size_t len, int *backend,
				 char *reason, size_t reason_len);

/* The backend the router would pick now for req, without proving; -1 with
 * a reason when none passes the constraints. Claims nothing. */
int zk_router_select(struct zk_router *r, const struct zk_route_request *req,
		     char *reason, size_t reason_len);

/* Feed one outcome into a backend's profile and breaker, as a real call
 * does (lets operators warm profiles from history, and tests inject
 * synthetic profiles). */
void zk_router_observe(struct zk_router *r, int idx, uint32_t n_ops,
		       uint64_t latency_ns, uint64_t proof_bytes, bool ok);

/* Poll every backend's health; DOWN backends are skipped until polled OK. */
void zk_router_poll_health(struct zk_router *r);

enum zk_breaker_state {
	ZK_BREAKER_CLOSED = 0,
	ZK_BREAKER_OPEN,
	ZK_BREAKER_HALF_OPEN,
};
const char *zk_breaker_name(enum zk_breaker_state s);

struct zk_backend_stats {
	char name[ZK_BACKEND_NAME_MAX];
	enum zk_breaker_state breaker;
	enum zk_health health;
	uint32_t consecutive_failures;
	uint32_t inflight;
	double ewma_ns_per_op;
	double ewma_proof_bytes;
	double ewma_verify_ns;
	double failure_rate; /* EWMA of 0/1 outcomes */
	uint64_t proofs, failures, timeouts, rejects, breaker_opens;
	uint64_t unsupported; /* batches declined: outside its coverage */
	double reuse_rate;
};

struct zk_router_stats {
	uint64_t requests, ok, failed, retries;
	uint64_t verified, sampled_out;
	uint64_t proof_cache_hits, proof_cache_misses;
	uint64_t verify_cache_hits, verify_cache_misses;
	uint64_t reconfigures;
};

int zk_router_backend_stats(struct zk_router *r, int idx,
			    struct zk_backend_stats *out);
void zk_router_stats(struct zk_router *r, struct zk_router_stats *out);

#endif /* ZKCLOB_ROUTER_H */
