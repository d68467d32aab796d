/* SPDX-License-Identifier: MIT */
/*
 * LogUp range-check AIR, k values per row: every value of k columns lies
 * in [0, 2^16). The production shape of a range check (an AIR checks many
 * values per row against one shared table), beside air_range.h's one value
 * per row.
 *
 * Spec
 *  - Shape (k, g): k value columns (1 <= k <= ZK_AIR_RANGEK_MAX_VALUES),
 *    grouped g at a time (2 <= g <= ZK_LOGUP_MAX_GROUP) into
 *    J = ceil(k / g) helper columns; group j holds values j·g .. j·g+g-1
 *    (the last group may be shorter). Degree d = g' + 1 for the widest
 *    group g' = min(g, k) (every other constraint has degree <= 2), so
 *    d - 1 composition chunks.
 *  - Main columns over n = 2^log_n rows, n >= 2^16 (the table's size):
 *      v_0 .. v_{k-1}  the values claimed in range, rows 1..n-1; row 0 is
 *             padding (its value cells are free and not checked: checking
 *             them would need either k assertions or a first-row selector
 *             on every helper, one degree more);
 *      t      the table: t[0] = 0, t[n-1] = 2^16 - 1, each step 0 or 1, so
 *             t runs over exactly [0, 2^16);
 *      m      multiplicities: m[i] = how many checked values equal t[i],
 *             counted at the first row holding t[i];
 *      first  1 at row 0, 0 elsewhere.
 *  - Aux columns (F_p3), one challenge α drawn after the main commitment:
 *      h_j[i] = Σ_{c in group j} 1/(α - v_c[i])   (J helpers; h_j[0] = 0)
 *      s[i]   = Σ_{1<=r<=i} Σ_j h_j[r] - Σ_{r<=i} m[r]/(α - t[r]),
 *      s[n-1] = 0.
 *    Constraints, denominators cleared (air_logup.h):
 *      (t' - t)(t' - t - 1) = 0, first' = 0                     (main, <= 2)
 *      h_j'·P_j(α) - P_j'(α) = 0, P_j = Π_{c in j}(X - v_c')      (g + 1)
 *      (s' - s - Σ_j h_j')·(α - t') + m' = 0                       (2)
 *      first·(s·α + m) = 0        (row 0: s[0] = -m[0]/α, as t[0] = 0) (2)
 *    The helpers are constrained on rows 1..n-1 (the transition's next
 *    row), exactly the rows whose values the sum counts.
 *  - What an accepted proof implies: Σ_{i>=1,c} 1/(α - v_c[i]) =
 *    Σ_i m[i]/(α - t[i]) at the random α. If some checked value is outside
 *    the table, the difference is a non-zero rational function (its pole
 *    at that value has residue = its count, non-zero in F_p since n·k < p)
 *    with at most n·k + n poles, so it vanishes at α with probability at
 *    most (n·k + n)/|F_p3|; α hitting a value or a table entry (a helper
 *    or the table fraction left free) is within the same count. LogUp
 *    term: ε <= n(k + 1)/p^3, i.e. at least 192 - log2(n(k + 1)) bits
 *    (168 bits at n = 2^20, k = 15; 166 at k = 63), per main commitment
 *    a cheating prover tries; the proof's security is the smaller of that
 *    and the FRI parameter set's bits (zk_stark_conjectured_bits).
 *  - Statement (ZK_AIR_RANGEK_PUB_LEN bytes): u8 k, u8 g, then v_0[n-1]
 *    and v_{k-1}[n-1] as canonical little-endian u64: a proof is tied to
 *    its shape and to one list (like air_range.h's first and last value),
 *    for two assertions rather than one per column.
 *  - build_aux fails (-1) if α hits a checked value or a table entry (only
 *    when α is in the base field: probability below 2^-127) or memory runs
 *    out.
 *  - struct zk_air_range_k points ctx and pub at itself: do not move it.
 */
#ifndef ZKCLOB_TESTS_AIR_RANGE_K_H
#define ZKCLOB_TESTS_AIR_RANGE_K_H

#include <stddef.h>
#include <stdint.h>

#include "air.h"
#include "air_logup.h"
#include "field.h"

#define ZK_AIR_RANGEK_BITS 16
#define ZK_AIR_RANGEK_MIN_LOG_N ZK_AIR_RANGEK_BITS
#define ZK_AIR_RANGEK_MAX_VALUES 64
#define ZK_AIR_RANGEK_MIN_GROUP 2
#define ZK_AIR_RANGEK_PUB_LEN 18

/* main column positions for k values */
#define ZK_RANGEK_COL_VALUE(c) (c)
#define ZK_RANGEK_COL_TABLE(k) (k)
#define ZK_RANGEK_COL_MULT(k) ((k) + 1)
#define ZK_RANGEK_COL_FIRST(k) ((k) + 2)
#define ZK_RANGEK_WIDTH(k) ((k) + 3)

struct zk_air_range_k {
	unsigned n_values;  /* k */
	unsigned group;     /* g */
	unsigned n_groups;  /* J */
	zk_gl last_first;   /* v_0[n-1] */
	zk_gl last_last;    /* v_{k-1}[n-1] */
	uint8_t pub[ZK_AIR_RANGEK_PUB_LEN];
	struct zk_air air;
};

/* 0, or -1 when k or g is out of bounds. */
int zk_air_range_k_init(struct zk_air_range_k *r, unsigned k, unsigned g,
			zk_gl last_first, zk_gl last_last);

/* 0, or -1 for a wrong length, a shape out of bounds or a non-canonical
 * element. */
int zk_air_range_k_from_pub(struct zk_air_range_k *r, const uint8_t *pub,
			    size_t len);

/*
 * With the k value columns cols[0..k) already written (n rows each), fill
 * t, m and first; row 0's values are padding and not counted. Out-of-range
 * values get no table entry, so a cheating trace is one call away. Returns
 * how many checked values are out of range, or -1 when log_n or k is out
 * of bounds.
 */
long zk_air_range_k_fill(unsigned k, unsigned log_n, zk_gl *const *cols);

/*
 * The commitment floor of shape (k, g): base columns committed (main +
 * 3·aux + 3·composition chunks) ÷ main columns, what prove ÷ (LDE +
 * commit of the main trace) cannot go below at the same blowup and hash.
 */
double zk_air_range_k_floor(unsigned k, unsigned g);

#endif /* ZKCLOB_TESTS_AIR_RANGE_K_H */
