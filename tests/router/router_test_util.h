/* SPDX-License-Identifier: MIT */
/*
 * Shared helpers for the router tests: hashproof backends with chosen cost
 * models, statements, and a manual clock for breaker cooldowns.
 */
#ifndef ROUTER_TEST_UTIL_H
#define ROUTER_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "zkclob/backend.h"
#include "zkclob/router.h"

static inline struct zk_backend *
make_hp(const char *name, uint32_t params_id, uint32_t proof_bytes,
	uint32_t fixed_us, uint32_t verify_us)
{
	struct zk_hashproof_cfg cfg = {
		.name = name,
		.params_id = params_id,
		.proof_bytes = proof_bytes,
		.prove_fixed_us = fixed_us,
		.verify_us = verify_us,
		.concurrency = 1,
	};
	struct zk_backend *be;

	memset(cfg.key, 0x11, sizeof(cfg.key));
	be = zk_hashproof_create(&cfg);
	assert_non_null(be);
	return be;
}

static inline struct zk_backend *
make_fault(struct zk_backend *inner, const char *spec)
{
	struct zk_fault_cfg fc;
	char err[160];
	struct zk_backend *be;

	assert_int_equal(zk_fault_parse(spec, &fc, err, sizeof(err)), 0);
	be = zk_fault_create(inner, &fc);
	assert_non_null(be);
	return be;
}

static inline void
make_statement(struct zk_statement *st, uint64_t batch)
{
	memset(st, 0, sizeof(*st));
	st->market = 1;
	st->batch_seq = batch;
	st->first_seq = batch * 100;
	st->last_seq = batch * 100 + 99;
	for (int i = 0; i < ZK_ROOT_SIZE; i++) {
		st->old_root[i] = (uint8_t)(batch + (uint64_t)i);
		st->new_root[i] = (uint8_t)(batch * 3 + (uint64_t)i);
		st->ops_digest[i] = (uint8_t)(batch * 5 + (uint64_t)i);
		st->events_digest[i] = (uint8_t)(batch * 7 + (uint64_t)i);
	}
}

static inline void
test_cfg(struct zk_router_cfg *cfg)
{
	zk_router_config_default(cfg);
	cfg->test_backends = true;
}

static inline struct zk_router *
make_router(const struct zk_router_cfg *cfg, const struct zk_router_opts *o)
{
	char err[256];
	struct zk_router *r = zk_router_create(cfg, o, err, sizeof(err));

	if (r == NULL)
		fail_msg("router: %s", err);
	return r;
}

static inline int
add(struct zk_router *r, struct zk_backend *be)
{
	char err[256];
	int idx = zk_router_add_backend(r, be, err, sizeof(err));

	if (idx < 0)
		fail_msg("add: %s", err);
	return idx;
}

struct manual_clock {
	uint64_t now;
};

static inline uint64_t
manual_now(void *arg)
{
	return ((struct manual_clock *)arg)->now;
}

#endif /* ROUTER_TEST_UTIL_H */
