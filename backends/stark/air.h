/* SPDX-License-Identifier: MIT */
/*
 * The AIR interface: what a statement to be proven must describe so that
 * the generic prover (prover.c) and verifier (verifier.c) can handle it.
 *
 * Spec (docs/stark.md has the protocol this plugs into)
 *  - A trace has n = 2^log_n rows (3 <= log_n <= ZK_AIR_MAX_LOG_N) and two
 *    segments:
 *      main  main_width base-field columns, built by the caller before
 *            proving;
 *      aux   aux_width extension-field columns, built by build_aux() from
 *            the main trace and n_aux_rand challenges drawn from the
 *            transcript AFTER the main trace is committed (LogUp lookups,
 *            range checks, memory checking). aux_width == 0: no aux segment.
 *  - Transition constraints relate row i ("cur") to row i+1 ("nxt") and
 *    must vanish on every row except the last (i = n-1 has no successor).
 *      eval_main      n_main_constraints constraints over the main segment
 *                     only, in the base field; the prover's hot loop.
 *      eval_main_ext  the SAME constraints over extension-field inputs,
 *                     used by the verifier at the out-of-domain point. An
 *                     AIR writes the constraint body once (a template
 *                     included twice, see tests/stark/air_fib.c) and the
 *                     debug check compares the two on random rows.
 *      eval_main_x4   optional (NULL: eval_main row by row): eval_main on
 *                     four rows at once, read straight from the prover's
 *                     column-major LDE, so a SIMD body can load one column
 *                     of four rows with one instruction. It must give
 *                     exactly eval_main's values; the debug check compares
 *                     them on real and random rows.
 *      eval_aux       n_aux_constraints constraints that involve the aux
 *                     segment (extension field), given the aux challenges.
 *      eval_aux_base  optional (NULL: eval_aux on lifted main values): the
 *                     SAME aux constraints with the main row and periodic
 *                     values in the base field, for the prover, which
 *                     would otherwise lift every main column of two rows
 *                     into F_p3 at every point. It must give exactly
 *                     eval_aux's values (the verifier's OOD check uses
 *                     eval_aux); the debug check compares them on real and
 *                     random rows.
 *  - Next-row reads: main_next (n_main_next entries) and aux_next
 *    (n_aux_next) list, strictly ascending, the columns of each segment
 *    that some constraint reads at the next row (nxt, main_nxt, aux_nxt).
 *    The proof opens T(zω) only for these (docs/stark.md, "Next-row
 *    openings"); the verifier passes 0 for every other next-row input,
 *    so a constraint that reads an unlisted column is checked with 0 in
 *    its place: the debug check replaces the unlisted next-row inputs
 *    with random values and names the first column that changes a
 *    constraint. A NULL list means every column of its segment (a
 *    non-NULL list with count 0: none).
 *  - Periodic columns: n_periodic columns, each given by its values over
 *    one period (a power of two dividing n); the prover interpolates them,
 *    the verifier evaluates them at the out-of-domain point.
 *  - Boundary constraints (assertions): "column c of segment s at row r
 *    equals v", v computed from the public inputs (and, for aux columns,
 *    the aux challenges). They are how a trace is tied to its statement.
 *  - Degrees: max_degree is the largest total degree of any constraint in
 *    the trace and periodic columns (a periodic column counts as degree 1,
 *    like a trace column: its polynomial has degree < n). The prover refuses
 *    an AIR whose max_degree exceeds the parameter set's limit
 *    (blowup + 1) and, in debug mode, checks the declared degree.
 *  - The public inputs are an opaque byte string (pub, pub_len) that the
 *    AIR parses in its ctx and that the prover and verifier absorb into
 *    the transcript before anything else, together with name and version,
 *    so a proof binds the exact statement and the exact AIR.
 *  - Every callback is pure and thread-safe (it may be called from several
 *    prover threads at once on different rows).
 */
#ifndef ZKCLOB_STARK_AIR_H
#define ZKCLOB_STARK_AIR_H

#include <stddef.h>
#include <stdint.h>

#include "ext3.h"
#include "field.h"

#define ZK_AIR_MAX_LOG_N 24
#define ZK_AIR_MAX_WIDTH 1024       /* per segment */
#define ZK_AIR_MAX_CONSTRAINTS 4096 /* per kind */
#define ZK_AIR_MAX_AUX_RAND 16
#define ZK_AIR_MAX_PERIODIC 64
#define ZK_AIR_MAX_ASSERTIONS 4096

enum zk_air_segment {
	ZK_SEG_MAIN = 0,
	ZK_SEG_AUX = 1,
};

struct zk_assertion {
	uint8_t segment;  /* enum zk_air_segment */
	uint32_t column;
	uint64_t row;     /* < n */
	zk_ext value;     /* main-segment values lie in F_p */
};

struct zk_periodic_col {
	uint32_t log_period; /* period 2^log_period <= n */
	const zk_gl *values; /* 2^log_period values, row i uses values[i % period] */
};

/* air.h eval_main_x4 */
typedef void (*zk_air_eval_x4_fn)(const void *ctx, const zk_gl *cur,
				  const zk_gl *nxt, size_t stride,
				  const zk_gl *periodic, zk_gl *out);

struct zk_air {
	/* identity, absorbed into the transcript */
	const char *name;
	uint32_t version;

	uint32_t main_width;
	uint32_t aux_width;
	uint32_t n_aux_rand;
	uint32_t n_main_constraints;
	uint32_t n_aux_constraints;
	uint32_t max_degree;
	uint32_t n_periodic;
	const struct zk_periodic_col *periodic;

	/* the AIR's parsed public inputs and anything else it needs */
	const void *ctx;

	void (*eval_main)(const void *ctx, const zk_gl *cur, const zk_gl *nxt,
			  const zk_gl *periodic, zk_gl *out);
	void (*eval_main_ext)(const void *ctx, const zk_ext *cur,
			      const zk_ext *nxt, const zk_ext *periodic,
			      zk_ext *out);
	/*
	 * Row r < 4 of column c is cur[c·stride + r] (its next row
	 * nxt[c·stride + r]), periodic column j's value periodic[4·j + r];
	 * constraint k of row r goes to out[4·k + r].
	 */
	zk_air_eval_x4_fn eval_main_x4;
	/* NULL when aux_width == 0 */
	void (*eval_aux)(const void *ctx, const zk_ext *main_cur,
			 const zk_ext *main_nxt, const zk_ext *aux_cur,
			 const zk_ext *aux_nxt, const zk_ext *periodic,
			 const zk_ext *rand, zk_ext *out);
	/* NULL, or eval_aux with base-field main rows and periodic values */
	void (*eval_aux_base)(const void *ctx, const zk_gl *main_cur,
			      const zk_gl *main_nxt, const zk_ext *aux_cur,
			      const zk_ext *aux_nxt, const zk_gl *periodic,
			      const zk_ext *rand, zk_ext *out);
	/*
	 * Fill aux[c][0..n) from the main trace (main[c][0..n)). Returns 0, or
	 * -1 when the main trace admits no aux trace (e.g. a LogUp denominator
	 * vanishes: the prover then aborts; an honest trace hits this only
	 * with negligible probability over the challenges).
	 */
	int (*build_aux)(const void *ctx, const zk_gl *const *main,
			 unsigned log_n, const zk_ext *rand, zk_ext *const *aux);

	/*
	 * Write the assertions (at most ZK_AIR_MAX_ASSERTIONS) into out and
	 * return how many. rand is NULL when only main assertions are asked
	 * for (the prover and verifier call it once with rand == NULL before
	 * the aux challenges exist and once with them; an AIR returns its main
	 * assertions in both calls and its aux assertions only in the second).
	 */
	size_t (*assertions)(const void *ctx, unsigned log_n,
			     const zk_ext *rand, struct zk_assertion *out);

	/* the next-row reads (spec above); NULL: every column */
	const uint32_t *main_next;
	uint32_t n_main_next;
	const uint32_t *aux_next;
	uint32_t n_aux_next;

	/* the statement: absorbed verbatim */
	const uint8_t *pub;
	size_t pub_len;
};

#endif /* ZKCLOB_STARK_AIR_H */
