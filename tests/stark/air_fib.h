/* SPDX-License-Identifier: MIT */
/*
 * Fibonacci AIR: the smallest complete example of an AIR (air.h).
 *
 * Spec
 *  - Two main columns a, b over n = 2^log_n rows:
 *      a[i+1] = b[i],  b[i+1] = a[i] + b[i]      (rows 0 .. n-2)
 *  - Statement (public inputs, 24 bytes: a0, a1, result as canonical
 *    little-endian u64): a[0] = a0, b[0] = a1, b[n-1] = result.
 *  - Degree 1, no aux segment, no periodic columns.
 *  - The constraint body is written once (air_fib_body.h) and instantiated
 *    for both fields through air_template.h; read it as the model for new
 *    AIRs.
 *  - struct zk_air_fib holds the AIR and points the AIR's ctx and pub at
 *    itself: do not copy or move it after zk_air_fib_init().
 */
#ifndef ZKCLOB_TESTS_AIR_FIB_H
#define ZKCLOB_TESTS_AIR_FIB_H

#include <stddef.h>
#include <stdint.h>

#include "air.h"
#include "field.h"

#define ZK_AIR_FIB_WIDTH 2
#define ZK_AIR_FIB_PUB_LEN 24

struct zk_air_fib {
	zk_gl a0;
	zk_gl a1;
	zk_gl result;
	uint8_t pub[ZK_AIR_FIB_PUB_LEN];
	struct zk_air air;
};

/* Statement from values (must be canonical). */
void zk_air_fib_init(struct zk_air_fib *f, zk_gl a0, zk_gl a1, zk_gl result);

/* Statement from its byte encoding: 0, or -1 for a wrong length or a
 * non-canonical element. */
int zk_air_fib_from_pub(struct zk_air_fib *f, const uint8_t *pub, size_t len);

/* Fill a and b (2^log_n each) from a0, a1; returns b[n-1]. */
zk_gl zk_air_fib_trace(zk_gl a0, zk_gl a1, unsigned log_n, zk_gl *a, zk_gl *b);

#endif /* ZKCLOB_TESTS_AIR_FIB_H */
