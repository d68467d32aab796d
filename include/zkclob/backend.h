/* SPDX-License-Identifier: MIT */
/*
 * zkclob — the one proof-backend interface (DESIGN.md §7, docs/router.md).
 *
 * Spec
 *  - A backend is a vtable (struct zk_backend_ops) plus an opaque context,
 *    wrapped by zk_backend_create(). Callers only use the zk_backend_*
 *    functions, which check arguments and deadlines before and after the
 *    backend runs, so a backend that overruns its deadline, writes past the
 *    proof buffer's capacity or returns an out-of-range code is reported as
 *    a failure, never trusted.
 *  - prove(statement, witness, deadline) writes proof bytes into a
 *    caller-owned struct zk_proof (no allocation on the hot path). The
 *    witness is the batch the statement was cut from (struct zk_batch),
 *    NULL for backends that do not need it.
 *  - verify(statement, proof) answers ACCEPT, REJECT (the proof is wrong)
 *    or ERROR (the backend could not decide), each with a reason.
 *  - describe() names the backend, its parameter set id, its security bits
 *    (0 for test-only backends) and its expected cost model; health()
 *    answers OK / DEGRADED / DOWN with a reason.
 *  - Deadlines are absolute CLOCK_MONOTONIC nanoseconds (zk_backend_now_ns);
 *    0 means none.
 *  - Test-only backends (describe().test_only) prove nothing: the router
 *    refuses them unless its config says test_backends = true.
 *  - A proof from prove() is unverified. Only the router (router.h) decides
 *    whether a proof is accepted, and it runs verify first when its policy
 *    says so.
 *  - Thread safety: every zk_backend_* call may be made concurrently; a
 *    backend that cannot run calls concurrently serialises them itself.
 */
#ifndef ZKCLOB_BACKEND_H
#define ZKCLOB_BACKEND_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zkclob/statement.h"

struct zk_batch;

#define ZK_BACKEND_NAME_MAX 32
#define ZK_BACKEND_REASON_MAX 128

/* Outcome of prove() and of any other call that can fail. */
enum zk_be_status {
	ZK_BE_OK = 0,
	ZK_BE_FAILED = 1,   /* the backend could not produce a proof */
	ZK_BE_TIMEOUT = 2,  /* the deadline passed first */
	ZK_BE_TOO_BIG = 3,  /* the proof does not fit the caller's buffer */
	ZK_BE_INVALID = 4,  /* bad arguments (malformed statement, ...) */
	ZK_BE_PROTOCOL = 5, /* an external prover broke the protocol */
	/* The batch is outside what this backend proves (e.g. an op kind its
	 * AIR does not constrain yet). Not a failure: the router tries the
	 * next backend and leaves this one's profile and breaker alone. */
	ZK_BE_UNSUPPORTED = 6,
};

enum zk_verdict {
	ZK_VERIFY_ACCEPT = 0,
	ZK_VERIFY_REJECT = 1, /* the proof does not prove the statement */
	ZK_VERIFY_ERROR = 2,  /* no verdict: backend failure, timeout, ... */
};

enum zk_health {
	ZK_HEALTH_OK = 0,
	ZK_HEALTH_DEGRADED = 1,
	ZK_HEALTH_DOWN = 2,
};

struct zk_backend_info {
	char name[ZK_BACKEND_NAME_MAX];
	uint32_t params_id;     /* parameter set the proofs are made under */
	uint32_t security_bits; /* conjectured; 0 for test-only backends */
	bool test_only;         /* proves nothing; refused unless enabled */
	/* Expected cost model, the router's prior before it has measurements:
	 * prove ≈ prove_fixed_us + prove_per_op_us · n_ops, proof size ≈
	 * proof_bytes_fixed + proof_bytes_per_op · n_ops, verify ≈ verify_us. */
	uint32_t prove_fixed_us;
	uint32_t prove_per_op_us;
	uint32_t proof_bytes_fixed;
	uint32_t proof_bytes_per_op;
	uint32_t verify_us;
	uint32_t concurrency; /* proofs it runs at once without queueing, >= 1 */
};

/* Caller-owned proof buffer: prove() writes at most cap bytes. */
struct zk_proof {
	uint8_t *data;
	size_t len;
	size_t cap;
};

/*
 * Reuse of per-shape precomputation (twiddles, domains, compiled
 * constraints, keyed hash states): a backend counts a hit when it found the
 * precomputation for a shape it had seen, a miss when it had to build it.
 * Never a cache of Fiat–Shamir challenges (seed/NOTES.md).
 */
struct zk_reuse_counter {
	atomic_uint_fast64_t hits;
	atomic_uint_fast64_t misses;
};

struct zk_backend_ops {
	enum zk_be_status (*prove)(void *ctx, const struct zk_statement *st,
				   const struct zk_batch *witness,
				   uint64_t deadline_ns, struct zk_proof *out,
				   char *reason, size_t reason_len);
	enum zk_verdict (*verify)(void *ctx, const struct zk_statement *st,
				  const uint8_t *proof, size_t len,
				  uint64_t deadline_ns, char *reason,
				  size_t reason_len);
	void (*describe)(void *ctx, struct zk_backend_info *info);
	enum zk_health (*health)(void *ctx, char *reason, size_t reason_len);
	/* Optional (NULL): the backend's precomputation reuse counter. */
	const struct zk_reuse_counter *(*reuse)(void *ctx);
	/* Optional (NULL): releases ctx. */
	void (*destroy)(void *ctx);
};

struct zk_backend;

/* Wraps ops + ctx; takes ownership of ctx (ops->destroy). NULL with errno
 * EINVAL (missing mandatory op) or ENOMEM (ctx is then destroyed). */
struct zk_backend *zk_backend_create(const struct zk_backend_ops *ops,
				     void *ctx);
void zk_backend_destroy(struct zk_backend *be);

enum zk_be_status zk_backend_prove(struct zk_backend *be,
				   const struct zk_statement *st,
				   const struct zk_batch *witness,
				   uint64_t deadline_ns, struct zk_proof *out,
				   char *reason, size_t reason_len);
enum zk_verdict zk_backend_verify(struct zk_backend *be,
				  const struct zk_statement *st,
				  const uint8_t *proof, size_t len,
				  uint64_t deadline_ns, char *reason,
				  size_t reason_len);
/* Cached at create time: describe() is static per backend. */
const struct zk_backend_info *zk_backend_info(const struct zk_backend *be);
enum zk_health zk_backend_health(struct zk_backend *be, char *reason,
				 size_t reason_len);
/* Hits ÷ (hits + misses), 0 when nothing was counted; counts optional. */
double zk_backend_reuse_rate(const struct zk_backend *be, uint64_t *hits,
			     uint64_t *misses);

const char *zk_be_status_name(enum zk_be_status s);
const char *zk_verdict_name(enum zk_verdict v);
const char *zk_health_name(enum zk_health h);

void zk_reuse_hit(struct zk_reuse_counter *c);
void zk_reuse_miss(struct zk_reuse_counter *c);

uint64_t zk_backend_now_ns(void);

/* For backend implementers: be's ctx when be was created with ops, else
 * NULL (how a backend's own extra calls recognise their handles). */
void *zk_backend_ctx_of(const struct zk_backend *be,
			const struct zk_backend_ops *ops);

/* ------------------------------------------------------------------ */
/* Test-only hash "proof" (backends/hashproof.c): NOT zero-knowledge and
 * NOT a proof of anything. The "proof" is a keyed BLAKE2b MAC of the
 * encoded statement, padded to proof_bytes; verify recomputes it. It lets
 * the router, failover and the external protocol be exercised before a
 * real backend exists; it reports 0 security bits and test_only. */
struct zk_hashproof_cfg {
	const char *name;       /* default "hashproof" */
	uint32_t params_id;     /* must equal the statement's params_id */
	uint8_t key[32];        /* MAC key */
	uint32_t proof_bytes;   /* 40..65536, default 64 */
	uint32_t prove_fixed_us, prove_per_op_us; /* advertised cost model */
	uint32_t verify_us;
	uint32_t concurrency;   /* default 1 */
};
struct zk_backend *zk_hashproof_create(const struct zk_hashproof_cfg *cfg);

/* ------------------------------------------------------------------ */
/* Fault injection (backends/fault.c): wraps another backend (owning it) and
 * on a schedule makes a prove call fail, run slow, return a corrupted
 * proof, or hang until its deadline. Verify, describe and health pass
 * through (describe's name gets a "fault:" prefix). */
enum zk_fault_mode {
	ZK_FAULT_NONE = 0,
	ZK_FAULT_FAIL,    /* prove returns ZK_BE_FAILED */
	ZK_FAULT_SLOW,    /* sleeps slow_us, then proves */
	ZK_FAULT_CORRUPT, /* proves, then flips one byte of the proof */
	ZK_FAULT_HANG,    /* sleeps until the deadline (or hang_max_us) */
};

enum zk_fault_schedule {
	ZK_FAULT_ALWAYS = 0,
	ZK_FAULT_EVERY_NTH, /* calls n, 2n, 3n, ... (1-based) */
	ZK_FAULT_RANDOM,    /* each call with probability p, from seed */
	ZK_FAULT_RANGE,     /* calls first..last (1-based, inclusive) */
};

struct zk_fault_cfg {
	enum zk_fault_mode mode;
	enum zk_fault_schedule schedule;
	uint64_t every_n;
	double probability;
	uint64_t seed;
	uint64_t first, last;
	uint64_t slow_us;
	uint64_t hang_max_us; /* bound for a hang without deadline; default 1 s */
};

/*
 * Parse a fault spec such as "corrupt every=3", "fail p=0.25 seed=7",
 * "slow=2000 calls=5..9" or "hang" (always). -1 with a reason in err.
 */
int zk_fault_parse(const char *spec, struct zk_fault_cfg *cfg, char *err,
		   size_t errlen);
/* Takes ownership of inner (destroyed on failure too). */
struct zk_backend *zk_fault_create(struct zk_backend *inner,
				   const struct zk_fault_cfg *cfg);
/* Calls seen and faults injected so far (be must come from zk_fault_create). */
void zk_fault_counts(const struct zk_backend *be, uint64_t *calls,
		     uint64_t *injected);

/* ------------------------------------------------------------------ */
/* External-process backend (backends/external.c, docs/backend-protocol.md).
 * Runs argv[0] (execvp) with stdin/stdout as the protocol channel; one
 * request at a time per process. A timeout, a malformed or oversize frame,
 * a wrong request id or EOF kills (SIGKILL) and reaps the child and counts
 * as a failure; the next call starts a fresh child. */
#define ZK_BP_MAGIC 0x5a4b4250u /* "ZKBP" */
#define ZK_BP_VERSION 2
#define ZK_BP_HEADER_SIZE 20
#define ZK_BP_MAX_PAYLOAD_DEFAULT (16u << 20)

enum zk_bp_type {
	ZK_BP_PROVE = 1,
	ZK_BP_VERIFY = 2,
	ZK_BP_DESCRIBE = 3,
	ZK_BP_HEALTH = 4,
	ZK_BP_REPLY = 0x80, /* or'ed into the request type */
};

struct zk_bp_header {
	uint32_t magic;
	uint8_t version;
	uint8_t type;
	uint16_t flags; /* 0 in version 1 */
	uint64_t request_id;
	uint32_t payload_len;
};

void zk_bp_header_encode(const struct zk_bp_header *h,
			 uint8_t out[ZK_BP_HEADER_SIZE]);
/* 0, or -1 with a reason (bad magic, version, flags, type, oversize). */
int zk_bp_header_decode(const uint8_t in[ZK_BP_HEADER_SIZE],
			uint32_t max_payload, struct zk_bp_header *h,
			char *err, size_t errlen);

struct zk_external_cfg {
	char *const *argv;     /* NULL-terminated; argv[0] is run via PATH */
	uint32_t max_payload;  /* frame payload limit; default 16 MiB */
	uint64_t io_timeout_us; /* describe/health/verify; default 2 s */
	uint64_t prove_timeout_us; /* prove without deadline; default 60 s */
};
/* Starts the child and asks it to describe itself; NULL with a reason. */
struct zk_backend *zk_external_create(const struct zk_external_cfg *cfg,
				      char *err, size_t errlen);
/* Children started so far, and the pid now running (0 when none). */
void zk_external_stats(const struct zk_backend *be, uint64_t *spawned,
		       int *pid);

/* ------------------------------------------------------------------ */
/* The native CLOB STARK backend (backends/clob.c): proves committed
 * per-market batches with the CLOB AIR (clobproof.h) under one STARK
 * parameter set. prove() needs the witness: a batch committed with
 * zk_clob_commit (tree_update set) of a market in cfg.markets; it declines
 * (ZK_BE_UNSUPPORTED, reason "unsupported: ...") a batch holding an op kind
 * the AIR does not constrain yet. The proof bytes are the batch container
 * (ops, events, STARK proof), so verify() needs nothing but the statement
 * and the proof. Real security: describe() reports the set's conjectured
 * bits. Reuse counter: the prover's per-size precomputation (twiddles). */
struct zk_market_params;

struct zk_clob_backend_cfg {
	const char *name;      /* default "clob-<set name>" */
	uint8_t stark_params;  /* ZK_PARAMS_FAST, _COMPACT, _THROUGHPUT */
	unsigned threads;      /* prover threads per proof, 0 => 1 */
	uint32_t concurrency;  /* proofs at once, default 1 */
	const struct zk_market_params *markets; /* copied */
	size_t n_markets;
};
/* NULL with errno EINVAL (unknown set, no markets, a market the AIR cannot
 * prove: shape limits) or ENOMEM. */
struct zk_backend *zk_clob_backend_create(const struct zk_clob_backend_cfg *cfg);

/* ------------------------------------------------------------------ */
/* The committed-batch witness of a PROVE request (protocol version 2,
 * docs/backend-protocol.md; format at the top of backends/witness.c):
 * what a stateless prover needs besides the ops — the events, the engine's
 * slot accesses and the state-tree update record. The decoder, which checks
 * it, is zk_clob_witness_decode (clobproof.h). */

/* Record sizes of that format: encoder and decoder share them. */
#define ZK_BP_WITNESS_HEAD 96
#define ZK_BP_WITNESS_ACCESS 148
#define ZK_BP_WITNESS_LEAF 152
#define ZK_BP_WITNESS_NODE 96

/* Bytes of the witness of a committed batch; 0 when it is not committed. */
size_t zk_bp_witness_size(const struct zk_batch *b);
/* Encode into out (cap bytes); its length, or 0 when not committed or
 * cap is too small. */
size_t zk_bp_witness_encode(const struct zk_batch *b, uint8_t *out,
			    size_t cap);

#endif /* ZKCLOB_BACKEND_H */
