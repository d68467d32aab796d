/* SPDX-License-Identifier: MIT */
/*
 * LogUp range-check AIR: every value of a column lies in [0, 2^16).
 *
 * Spec
 *  - Main columns over n = 2^log_n rows, n >= 2^16:
 *      v      the values claimed in range;
 *      t      the table: t[0] = 0, t[n-1] = 2^16 - 1 and each step
 *             t[i+1] - t[i] is 0 or 1, so t runs over exactly [0, 2^16)
 *             (repeats allowed when n > 2^16);
 *      m      multiplicities: m[i] = how many values equal t[i] (a value
 *             met at a repeated table entry is counted once, at its first
 *             row; any split would do);
 *      first  1 at row 0, 0 elsewhere (the AIR has only transition
 *             constraints, so a first-row selector must be committed).
 *  - Aux column s (F_p3), one challenge α:
 *      s[i] = Σ_{j<=i} ( 1/(α - v[j]) - m[j]/(α - t[j]) ),  s[n-1] = 0.
 *    Constraints (denominators cleared):
 *      (s[i+1] - s[i])·(α - v[i+1])(α - t[i+1])
 *          = (α - t[i+1]) - m[i+1]·(α - v[i+1])                (degree 3)
 *      first[i]·( s[i]·(α - v[i])(α - t[i])
 *          - (α - t[i]) + m[i]·(α - v[i]) ) = 0                (degree 4)
 *    s[n-1] = 0 says Σ 1/(α - v) = Σ m/(α - t) as rational functions up to
 *    a (n + 2^16)/|F_p3| chance, i.e. the multiset of values is contained
 *    in the table.
 *  - Statement (16 bytes): v[0] and v[n-1] as canonical little-endian u64,
 *    so a proof is tied to one list.
 *  - build_aux fails (-1) if α hits a value or table entry (only when α is
 *    in the base field: probability 1/p).
 *  - struct zk_air_range points ctx and pub at itself: do not move it.
 */
#ifndef ZKCLOB_TESTS_AIR_RANGE_H
#define ZKCLOB_TESTS_AIR_RANGE_H

#include <stddef.h>
#include <stdint.h>

#include "air.h"
#include "field.h"

#define ZK_AIR_RANGE_BITS 16
#define ZK_AIR_RANGE_MIN_LOG_N ZK_AIR_RANGE_BITS
#define ZK_AIR_RANGE_PUB_LEN 16

enum zk_air_range_col {
	ZK_RANGE_COL_VALUE,
	ZK_RANGE_COL_TABLE,
	ZK_RANGE_COL_MULT,
	ZK_RANGE_COL_FIRST,
	ZK_RANGE_WIDTH
};

struct zk_air_range {
	zk_gl first_value;
	zk_gl last_value;
	uint8_t pub[ZK_AIR_RANGE_PUB_LEN];
	struct zk_air air;
};

void zk_air_range_init(struct zk_air_range *r, zk_gl first_value,
		       zk_gl last_value);

/* 0, or -1 for a wrong length or a non-canonical element. */
int zk_air_range_from_pub(struct zk_air_range *r, const uint8_t *pub,
			  size_t len);

/*
 * Write the main trace for values[0..n) into cols[ZK_RANGE_WIDTH] (n each).
 * Out-of-range values are written as given and get no table entry, so a
 * cheating trace is one call away. Returns how many values are out of
 * range, or -1 when log_n < ZK_AIR_RANGE_MIN_LOG_N.
 */
long zk_air_range_trace(const zk_gl *values, unsigned log_n,
			zk_gl *const *cols);

#endif /* ZKCLOB_TESTS_AIR_RANGE_H */
