/* SPDX-License-Identifier: MIT */
/*
 * Router internals shared by router.c (requests, breaker, reconfigure),
 * select.c (constraints and scores) and cache.c.
 */
#ifndef ZKCLOB_ROUTER_PRIV_H
#define ZKCLOB_ROUTER_PRIV_H

#include <pthread.h>
#include <stdatomic.h>

#include "zkclob/router.h"

#define ZK_CACHE_KEY_SIZE (ZK_STATEMENT_WIRE_SIZE + 32)

struct zk_rcache;
struct zk_rcache *zk_rcache_create(uint32_t entries); /* NULL when 0 */
void zk_rcache_destroy(struct zk_rcache *c);
/* 1 on a hit (value copied when it fits cap; value NULL: presence only). */
int zk_rcache_get(struct zk_rcache *c, const uint8_t key[ZK_CACHE_KEY_SIZE],
		  uint8_t *value, size_t cap, size_t *len);
void zk_rcache_put(struct zk_rcache *c, const uint8_t key[ZK_CACHE_KEY_SIZE],
		   const uint8_t *value, size_t len);
void zk_cache_key(const struct zk_statement *st, const uint8_t tag[32],
		  uint8_t key[ZK_CACHE_KEY_SIZE]);
void zk_proof_digest(const uint8_t *proof, size_t len, uint8_t out[32]);

/* Live profile of one backend; slot->lock guards it. */
struct zk_profile {
	double batch_ns[ZK_ROUTER_SIZE_BUCKETS]; /* EWMA per size bucket */
	bool batch_seen[ZK_ROUTER_SIZE_BUCKETS];
	double ns_per_op;
	bool op_seen;
	double proof_bytes;
	bool size_seen;
	double verify_ns;
	bool verify_seen;
	double failure_rate;
};

struct zk_slot {
	struct zk_backend *be;
	const struct zk_backend_info *info;
	pthread_mutex_t lock;
	struct zk_profile prof;
	enum zk_breaker_state breaker;
	uint32_t consecutive;
	uint64_t opened_at_ns;
	bool probe_inflight;
	enum zk_health health;
	atomic_uint inflight;
	uint64_t proofs, failures, timeouts, rejects, opens;
	uint64_t unsupported;
};

/* An immutable config with names resolved to backend indices; requests
 * hold a reference for their whole life. */
struct zk_snapshot {
	atomic_uint refs;
	struct zk_router_cfg cfg;
	uint32_t allowed_mask[ZK_WORKLOAD_COUNT];
	int preferred[ZK_WORKLOAD_COUNT];
};

struct zk_router {
	pthread_mutex_t snap_lock; /* guards the snap pointer swap */
	struct zk_snapshot *snap;
	pthread_mutex_t add_lock;
	atomic_uint n_slots;
	struct zk_slot slots[ZK_ROUTER_MAX_BACKENDS];
	struct zk_rcache *proof_cache;
	struct zk_rcache *verify_cache;
	uint64_t (*now_ns)(void *arg);
	void *clock_arg;
	void (*on_verify_failure)(void *arg, const struct zk_statement *st,
				  const char *backend, const uint8_t *proof,
				  size_t len, const char *reason);
	void *observer_arg;
	atomic_uint_fast64_t requests, ok, failed, retries, verified,
		sampled_out, pc_hits, pc_misses, vc_hits, vc_misses,
		reconfigures;
};

static inline uint64_t
zk_router_clock(const struct zk_router *r)
{
	return r->now_ns(r->clock_arg);
}

/*
 * Best eligible backend for (req, class constraints c, strategy), skipping
 * indices in exclude. -1 with a reason when none. For the breaker, a slot
 * whose cooldown is over counts as eligible (the caller then claims it).
 */
int zk_select(struct zk_router *r, const struct zk_snapshot *s,
	      const struct zk_route_request *req, uint32_t exclude,
	      uint64_t deadline_ns, uint64_t rr, char *reason,
	      size_t reason_len);
double zk_profile_latency_ns(const struct zk_profile *p,
			     const struct zk_backend_info *info,
			     uint32_t n_ops);
unsigned zk_size_bucket(uint32_t n_ops);

#endif /* ZKCLOB_ROUTER_PRIV_H */
