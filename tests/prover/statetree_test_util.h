/* SPDX-License-Identifier: MIT */
/*
 * Shared by the state-tree tests: small books (slots fill up, free and get
 * reused) and a seeded generator.
 */
#ifndef ZKCLOB_TESTS_STATETREE_TEST_UTIL_H
#define ZKCLOB_TESTS_STATETREE_TEST_UTIL_H

#include <stdint.h>

#include "zkclob/engine.h"

#define N_MARKETS 2

/* Small books so that slots fill up, free and get reused. */
static const struct zk_market_params small[N_MARKETS] = {
	{ .market = 1, .tick = 1, .lot = 1, .min_price = 1, .max_price = 200,
	  .max_qty = 50, .stp = ZK_STP_CANCEL_NEWEST, .max_orders = 40,
	  .max_levels = 20 },
	{ .market = 7, .tick = 1, .lot = 1, .min_price = 1, .max_price = 200,
	  .max_qty = 50, .stp = ZK_STP_CANCEL_OLDEST, .max_orders = 17,
	  .max_levels = 9 },
};

static inline uint64_t
rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static inline uint64_t
pick(uint64_t *s, uint64_t n)
{
	return rnd(s) % n;
}

#endif /* ZKCLOB_TESTS_STATETREE_TEST_UTIL_H */
