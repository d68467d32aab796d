/* SPDX-License-Identifier: MIT */
/*
 * The CLOB AIR's eval_aux_base (clob_air_bus_body.h over base-field main
 * rows, the prover's) against its eval_aux (the same body over F_p3, the
 * verifier's), constraint by constraint: random rows on every bus the
 * AIR can have (fills, CANCEL_OLDEST's STP bus, the machinery variant),
 * every row of honest traces, the debugger naming a wrong eval_aux_base,
 * and proofs made with and without it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clob_air.h"
#include "clob_eval_trace.h"

/* an edge value one time in four, a bit one in four, else uniform */
static zk_gl test_gl(uint64_t *x)
{
	uint64_t z = splitmix(x);

	switch (z & 3) {
	case 0:
		return edges[(z >> 2) % N_EDGES];
	case 1:
		return (z >> 2) & 1;
	default:
		return zk_gl_from_u64(splitmix(x));
	}
}

static zk_ext test_ext(uint64_t *x)
{
	zk_ext r;

	for (unsigned e = 0; e < ZK_EXT_DEGREE; e++)
		r.c[e] = test_gl(x);
	return r;
}

/* One row pair (base main values) through both instances; every aux
 * constraint must agree. */
static void compare_row(const struct zk_clob_air *c, const zk_gl *cur,
			const zk_gl *nxt, const zk_ext *aux, const zk_ext *rand,
			const char *what, size_t row)
{
	const struct zk_air *air = &c->air;
	size_t nac = air->n_aux_constraints;
	zk_ext mc[CLOB_WIDTH], mn[CLOB_WIDTH], ox[CLOB_AUX_WIDTH + 1],
		ob[CLOB_AUX_WIDTH + 1];

	assert_true(nac <= CLOB_AUX_WIDTH + 1);
	assert_non_null(air->eval_aux_base);
	for (size_t k = 0; k < CLOB_WIDTH; k++) {
		mc[k] = zk_ext_from_base(cur[k]);
		mn[k] = zk_ext_from_base(nxt[k]);
	}
	air->eval_aux(c, mc, mn, aux, aux + CLOB_AUX_WIDTH, NULL, rand, ox);
	air->eval_aux_base(c, cur, nxt, aux, aux + CLOB_AUX_WIDTH, NULL, rand,
			   ob);
	for (size_t k = 0; k < nac; k++)
		if (!zk_ext_eq(ox[k], ob[k]))
			fail_msg("%s row %zu: aux constraint %zu differs", what,
				 row, k);
}

/* Random rows, aux cells and challenges, on the AIR as made and with the
 * STP bus of a CANCEL_OLDEST market switched on (it only reads mp.stp). */
static void test_aux_base_rows(void **state)
{
	struct clob_rig r;
	struct clob_eval_trace t[2];
	zk_gl row[2 * CLOB_WIDTH];
	zk_ext aux[2 * CLOB_AUX_WIDTH], rand[2];
	uint64_t rng = 0xa0b5;
	static const char *names[] = { "random", "random (machinery)",
				       "random (CANCEL_OLDEST)" };

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	clob_eval_trace_make(&r, malformed_batch(&r, 6), 0, &t[0]);
	clob_eval_trace_make(&r, malformed_batch(&r, 6), 1, &t[1]);
	for (unsigned v = 0; v < 3; v++) {
		struct zk_clob_air *c = &t[v == 1].air;
		enum zk_stp_mode stp = c->mp.stp;

		if (v == 2)
			c->mp.stp = ZK_STP_CANCEL_OLDEST;
		for (unsigned trial = 0; trial < 64; trial++) {
			for (size_t k = 0; k < 2 * CLOB_WIDTH; k++)
				row[k] = test_gl(&rng);
			for (size_t k = 0; k < 2 * CLOB_AUX_WIDTH; k++)
				aux[k] = test_ext(&rng);
			rand[0] = test_ext(&rng);
			rand[1] = test_ext(&rng);
			compare_row(c, row, row + CLOB_WIDTH, aux, rand,
				    names[v], trial);
		}
		c->mp.stp = stp;
	}
	for (unsigned m = 0; m < 2; m++)
		clob_eval_trace_free(&t[m]);
	clob_rig_fini(&r);
}

/* Every row of the trace with its successor, and aux cells and
 * challenges drawn at random (the constraints are checked, not met). */
static void compare_trace(const struct clob_eval_trace *t, const char *what)
{
	size_t n = (size_t)1 << t->log_n;
	zk_gl row[2 * CLOB_WIDTH];
	zk_ext aux[2 * CLOB_AUX_WIDTH], rand[2];
	uint64_t rng = 0x7e57;

	for (size_t i = 0; i < n; i++) {
		for (size_t c = 0; c < CLOB_WIDTH; c++) {
			row[c] = t->cols[c][i];
			row[CLOB_WIDTH + c] = t->cols[c][(i + 1) % n];
		}
		for (size_t k = 0; k < 2 * CLOB_AUX_WIDTH; k++)
			aux[k] = test_ext(&rng);
		rand[0] = test_ext(&rng);
		rand[1] = test_ext(&rng);
		compare_row(&t->air, row, row + CLOB_WIDTH, aux, rand, what, i);
	}
	print_message("%s: %zu rows, all equal\n", what, n);
}

static void test_aux_base_traces(void **state)
{
	struct clob_rig r;
	struct clob_eval_trace t;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	clob_eval_trace_make(&r, malformed_batch(&r, 12), 0, &t);
	compare_trace(&t, "malformed");
	clob_eval_trace_free(&t);
	clob_eval_warm_book(&r);
	clob_eval_trace_make(&r, book_batch(&r, 20, 24), 0, &t);
	compare_trace(&t, "book");
	clob_eval_trace_free(&t);
	clob_eval_trace_make(&r, book_batch(&r, 47, 12), 1, &t);
	compare_trace(&t, "book (machinery)");
	clob_eval_trace_free(&t);
	clob_rig_fini(&r);
}

/* The real eval_aux_base, and one wrong in a single limb of the running
 * sum's constraint. */
static void (*real_aux_base)(const void *ctx, const zk_gl *main_cur,
			     const zk_gl *main_nxt, const zk_ext *aux_cur,
			     const zk_ext *aux_nxt, const zk_gl *periodic,
			     const zk_ext *rand, zk_ext *out);

static void wrong_aux_base(const void *ctx, const zk_gl *main_cur,
			   const zk_gl *main_nxt, const zk_ext *aux_cur,
			   const zk_ext *aux_nxt, const zk_gl *periodic,
			   const zk_ext *rand, zk_ext *out)
{
	real_aux_base(ctx, main_cur, main_nxt, aux_cur, aux_nxt, periodic,
		      rand, out);
	out[CLOB_N_TERMS].c[1] = zk_gl_add(out[CLOB_N_TERMS].c[1], 1);
}

static void use_aux_base(struct zk_air *air, enum clob_eval_use which)
{
	air->eval_aux_base = which == CLOB_EVAL_REAL ? real_aux_base :
			     which == CLOB_EVAL_WRONG ? wrong_aux_base : NULL;
}

/* zk_clob_air_init's eval_aux_base is the only one there is: any is real */
static enum clob_eval_use aux_base_slot(const struct zk_air *air)
{
	return air->eval_aux_base == NULL ? CLOB_EVAL_NONE : CLOB_EVAL_REAL;
}

static void test_aux_base_debug(void **state)
{
	struct clob_rig r;
	struct clob_eval_trace t;
	char err[ERRLEN] = "";
	char want[64];

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	clob_eval_warm_book(&r);
	clob_eval_trace_make(&r, book_batch(&r, 20, 24), 0, &t);
	real_aux_base = t.air.air.eval_aux_base;
	assert_int_equal(zk_stark_debug_check(&t.air.air,
					      (const zk_gl *const *)t.cols,
					      t.log_n, 42, err, sizeof(err)),
			 0);
	t.air.air.eval_aux_base = wrong_aux_base;
	assert_int_equal(zk_stark_debug_check(&t.air.air,
					      (const zk_gl *const *)t.cols,
					      t.log_n, 42, err, sizeof(err)),
			 ZK_STARK_ETRACE);
	print_message("debugger: %s\n", err);
	assert_non_null(strstr(err, "eval_aux and eval_aux_base disagree"));
	snprintf(want, sizeof(want), "constraint %d", CLOB_N_TERMS);
	assert_non_null(strstr(err, want));
	clob_eval_trace_free(&t);
	clob_rig_fini(&r);
}

/*
 * A proof made with eval_aux_base is byte for byte the one made with the
 * lifted rows (the library path, both ways of the switch, and the STARK
 * call on the same trace); one made with a wrong eval_aux_base does not
 * verify.
 */
static void test_aux_base_proof(void **state)
{
	struct clob_rig r;
	struct clob_eval_trace t;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	clob_eval_warm_book(&r);
	clob_eval_library_same_bytes(&r, zk_clob_air_aux_base_enable,
				     aux_base_slot);
	/* the same trace through zk_stark_prove: the same bytes, and with
	 * a wrong evaluator a proof that does not verify */
	clob_eval_trace_make(&r, book_batch(&r, 47, 12), 0, &t);
	real_aux_base = t.air.air.eval_aux_base;
	assert_non_null(real_aux_base);
	clob_eval_same_bytes(&t, use_aux_base);
	clob_eval_trace_free(&t);
	clob_rig_fini(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aux_base_rows),
		cmocka_unit_test(test_aux_base_traces),
		cmocka_unit_test(test_aux_base_debug),
		cmocka_unit_test(test_aux_base_proof),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
