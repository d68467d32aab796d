/* SPDX-License-Identifier: MIT */
/*
 * State tree, batched hashing: the batched leaf and node hashes (every
 * count, both arities, every SIMD path) equal the one-at-a-time ones.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "poseidon2.h"
#include "zkclob/statetree.h"
#include "statetree_test_util.h"

#define D ZK_ST_DIGEST_ELEMS

static void
test_hash_many(void **state)
{
	enum zk_gl_simd before = zk_p2_x4_path();
	zk_gl ch[11][ZK_ST_MAX_ARITY][D], enc[11][ZK_ST_LEAF_ELEMS];
	zk_gl out[11][D], want[D];
	uint64_t s = 99;

	(void)state;
	for (size_t i = 0; i < 11; i++) {
		for (size_t j = 0; j < ZK_ST_MAX_ARITY * D; j++)
			ch[i][j / D][j % D] = zk_gl_from_u64(rnd(&s));
		for (size_t j = 0; j < ZK_ST_LEAF_ELEMS; j++)
			enc[i][j] = zk_gl_from_u64(rnd(&s));
	}
	for (int kind = 0; kind < ZK_GL_SIMD_COUNT; kind++) {
		if (!zk_p2_x4_set_path((enum zk_gl_simd)kind))
			continue;
		for (size_t n = 0; n <= 11; n++) {
			for (uint32_t arity = 2; arity <= 4; arity += 2) {
				zk_st_node_hash_many(arity,
					(const zk_gl(*)[ZK_ST_MAX_ARITY][D])ch, out, n);
				for (size_t i = 0; i < n; i++) {
					zk_st_node_hash(arity, (const zk_gl(*)[D])ch[i],
							want);
					assert_memory_equal(out[i], want, sizeof(want));
				}
			}
			zk_st_leaf_hash_many((const zk_gl(*)[ZK_ST_LEAF_ELEMS])enc,
					     out, n);
			for (size_t i = 0; i < n; i++) {
				zk_p2_hash(enc[i], ZK_ST_LEAF_ELEMS, want);
				assert_memory_equal(out[i], want, sizeof(want));
			}
		}
	}
	assert_true(zk_p2_x4_set_path(before));
}

/* The old-value check compares with the stored leaf values: a pristine
 * claim for a filled leaf and a filled claim for an empty leaf fail, the
 * true values pass (reads: the root stays). */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
