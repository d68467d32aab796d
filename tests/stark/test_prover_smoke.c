/* SPDX-License-Identifier: MIT */
/*
 * Prover/verifier smoke tests on the toy AIR (pv_toy_air.h): honest proofs
 * verify under both parameter sets, with and without the aux segment, for
 * any thread count (same bytes); a bad trace is caught by the debugger or
 * rejected by the verifier; the expected parameter set and the public
 * input are binding; flipping proof bytes is rejected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pv_toy_air.h"
#include "stark.h"

#define LOG_N 5

static int prove_toy(struct pv_toy *t, uint8_t id, unsigned threads, int debug,
		     uint8_t **proof, size_t *len, char *err)
{
	struct zk_prove_opts opts = { .threads = threads, .debug = debug };

	return zk_stark_prove(&t->air, zk_stark_params_by_id(id),
			      (const zk_gl *const *)t->cols, t->log_n, &opts,
			      proof, len, err, 256);
}

static void honest_roundtrip(uint8_t id, int with_aux)
{
	struct pv_toy t;
	uint8_t *proof = NULL;
	size_t len = 0;
	char err[256];
	int rc;

	assert_int_equal(pv_toy_init(&t, LOG_N, with_aux), 0);
	rc = prove_toy(&t, id, 1, 1, &proof, &len, err);
	if (rc != 0)
		fail_msg("prove: %s", err);
	rc = zk_stark_verify(&t.air, id, proof, len, err, sizeof(err));
	if (rc != ZK_STARK_ACCEPT)
		fail_msg("verify: %d %s", rc, err);
	free(proof);
	pv_toy_free(&t);
}

static void test_fast_aux(void **state)
{
	(void)state;
	honest_roundtrip(ZK_PARAMS_FAST, 1);
}

static void test_fast_no_aux(void **state)
{
	(void)state;
	honest_roundtrip(ZK_PARAMS_FAST, 0);
}

static void test_compact_aux(void **state)
{
	(void)state;
	honest_roundtrip(ZK_PARAMS_COMPACT, 1);
}

static void test_threads_same_proof(void **state)
{
	struct pv_toy t;
	uint8_t *p1 = NULL, *p3 = NULL;
	size_t l1 = 0, l3 = 0;
	char err[256];

	(void)state;
	assert_int_equal(pv_toy_init(&t, LOG_N + 2, 1), 0);
	assert_int_equal(prove_toy(&t, ZK_PARAMS_FAST, 1, 0, &p1, &l1, err), 0);
	assert_int_equal(prove_toy(&t, ZK_PARAMS_FAST, 3, 0, &p3, &l3, err), 0);
	assert_int_equal(l1, l3);
	assert_memory_equal(p1, p3, l1);
	free(p1);
	free(p3);
	pv_toy_free(&t);
}

/* Debug mode interpolates the quotient over the whole LDE domain, the fast
 * path over n_chunks blocks: both must give the same polynomial, so the
 * same proof, under both parameter sets. */
static void test_debug_same_proof(void **state)
{
	static const uint8_t sets[] = { ZK_PARAMS_FAST, ZK_PARAMS_COMPACT };
	struct pv_toy t;
	uint8_t *p0 = NULL, *p1 = NULL;
	size_t l0 = 0, l1 = 0;
	char err[256];
	size_t i;

	(void)state;
	assert_int_equal(pv_toy_init(&t, LOG_N + 1, 1), 0);
	for (i = 0; i < sizeof(sets); i++) {
		assert_int_equal(prove_toy(&t, sets[i], 1, 0, &p0, &l0, err), 0);
		assert_int_equal(prove_toy(&t, sets[i], 1, 1, &p1, &l1, err), 0);
		assert_int_equal(l0, l1);
		assert_memory_equal(p0, p1, l0);
		free(p0);
		free(p1);
	}
	pv_toy_free(&t);
}

static void test_wrong_expected_params(void **state)
{
	struct pv_toy t;
	uint8_t *proof = NULL;
	size_t len = 0;
	char err[256];

	(void)state;
	assert_int_equal(pv_toy_init(&t, LOG_N, 1), 0);
	assert_int_equal(prove_toy(&t, ZK_PARAMS_FAST, 1, 0, &proof, &len, err), 0);
	assert_int_equal(zk_stark_verify(&t.air, ZK_PARAMS_COMPACT, proof, len,
					 err, sizeof(err)), ZK_STARK_EPARAMS);
	assert_int_equal(zk_stark_verify(&t.air, 77, proof, len, err,
					 sizeof(err)), ZK_STARK_EINVAL);
	free(proof);
	pv_toy_free(&t);
}

static void test_public_input_binds(void **state)
{
	struct pv_toy t;
	uint8_t *proof = NULL;
	size_t len = 0;
	char err[256];

	(void)state;
	assert_int_equal(pv_toy_init(&t, LOG_N, 1), 0);
	assert_int_equal(prove_toy(&t, ZK_PARAMS_FAST, 1, 0, &proof, &len, err), 0);
	t.pub[0] ^= 1;
	assert_int_not_equal(zk_stark_verify(&t.air, ZK_PARAMS_FAST, proof, len,
					     err, sizeof(err)), ZK_STARK_ACCEPT);
	t.pub[0] ^= 1;
	t.air.version = 2;
	assert_int_not_equal(zk_stark_verify(&t.air, ZK_PARAMS_FAST, proof, len,
					     err, sizeof(err)), ZK_STARK_ACCEPT);
	free(proof);
	pv_toy_free(&t);
}

static void test_bad_trace(void **state)
{
	struct pv_toy t;
	uint8_t *proof = NULL;
	size_t len = 0;
	char err[256];

	(void)state;
	assert_int_equal(pv_toy_init(&t, LOG_N, 1), 0);
	t.cols[2][4] = zk_gl_add(t.cols[2][4], 1); /* row 4: selector is 1 */
	assert_int_equal(prove_toy(&t, ZK_PARAMS_FAST, 1, 1, &proof, &len, err),
			 ZK_STARK_ETRACE);
	assert_non_null(strstr(err, "row 4: main constraint 2"));
	assert_null(proof);
	/* without the debugger the proof is made, and rejected */
	assert_int_equal(prove_toy(&t, ZK_PARAMS_FAST, 1, 0, &proof, &len, err), 0);
	assert_int_not_equal(zk_stark_verify(&t.air, ZK_PARAMS_FAST, proof, len,
					     err, sizeof(err)), ZK_STARK_ACCEPT);
	free(proof);
	/* row 5 has selector 0: c is unconstrained there */
	t.cols[2][4] = zk_gl_mul(t.cols[0][4], t.cols[1][4]);
	t.cols[2][5] = zk_gl_add(t.cols[2][5], 1);
	assert_int_equal(prove_toy(&t, ZK_PARAMS_FAST, 1, 1, &proof, &len, err), 0);
	assert_int_equal(zk_stark_verify(&t.air, ZK_PARAMS_FAST, proof, len, err,
					 sizeof(err)), ZK_STARK_ACCEPT);
	free(proof);
	pv_toy_free(&t);
}

static void test_byte_flips_rejected(void **state)
{
	struct pv_toy t;
	uint8_t *proof = NULL;
	size_t len = 0;
	char err[256];

	(void)state;
	assert_int_equal(pv_toy_init(&t, LOG_N, 1), 0);
	assert_int_equal(prove_toy(&t, ZK_PARAMS_FAST, 1, 0, &proof, &len, err), 0);
	/* every byte of the first 600 (header, roots, OOD, FRI start), then a
	 * stride through the rest */
	for (size_t i = 0; i < len; i += i < 600 ? 1 : 37) {
		for (unsigned bit = 0; bit < 8; bit += 7) {
			int rc;

			proof[i] ^= (uint8_t)(1u << bit);
			rc = zk_stark_verify(&t.air, ZK_PARAMS_FAST, proof, len,
					     err, sizeof(err));
			proof[i] ^= (uint8_t)(1u << bit);
			if (rc == ZK_STARK_ACCEPT)
				fail_msg("flip of byte %zu bit %u accepted", i, bit);
		}
	}
	assert_int_equal(zk_stark_verify(&t.air, ZK_PARAMS_FAST, proof, len, err,
					 sizeof(err)), ZK_STARK_ACCEPT);
	free(proof);
	pv_toy_free(&t);
}

static void toy_main_ext_wrong(const void *ctx, const zk_ext *cur,
			       const zk_ext *nxt, const zk_ext *per, zk_ext *out)
{
	(void)ctx;
	(void)per;
	out[0] = zk_ext_sub(nxt[0], cur[1]);
	out[1] = zk_ext_sub(nxt[1], zk_ext_add(cur[0], cur[1]));
	out[2] = zk_ext_sub(cur[2], zk_ext_mul(cur[0], cur[1])); /* no selector */
}

static void test_debugger_checks_air(void **state)
{
	struct pv_toy t;
	char err[256];
	int rc;

	(void)state;
	assert_int_equal(pv_toy_init(&t, LOG_N, 1), 0);
	assert_int_equal(zk_stark_debug_check(&t.air, (const zk_gl *const *)t.cols,
					      LOG_N, 1, err, sizeof(err)), 0);
	t.air.max_degree = 2;
	rc = zk_stark_debug_check(&t.air, (const zk_gl *const *)t.cols, LOG_N, 1,
				  err, sizeof(err));
	assert_int_equal(rc, ZK_STARK_ETRACE);
	assert_non_null(strstr(err, "declared degree 2 but main constraint 2 has degree 3"));
	t.air.max_degree = 3;
	t.air.eval_main_ext = toy_main_ext_wrong;
	rc = zk_stark_debug_check(&t.air, (const zk_gl *const *)t.cols, LOG_N, 1,
				  err, sizeof(err));
	assert_int_equal(rc, ZK_STARK_ETRACE);
	assert_non_null(strstr(err, "eval_main and eval_main_ext disagree"));
	pv_toy_free(&t);
}

static void test_prover_refuses_bad_air(void **state)
{
	struct pv_toy t;
	uint8_t *proof = NULL;
	size_t len = 0;
	char err[256];

	(void)state;
	assert_int_equal(pv_toy_init(&t, LOG_N, 1), 0);
	t.air.max_degree = 6; /* fast supports blowup + 1 = 5 */
	assert_int_equal(prove_toy(&t, ZK_PARAMS_FAST, 1, 0, &proof, &len, err),
			 ZK_STARK_EINVAL);
	assert_null(proof);
	t.air.max_degree = 3;
	t.cols[0][3] = ZK_GL_P; /* not canonical */
	assert_int_equal(prove_toy(&t, ZK_PARAMS_FAST, 1, 0, &proof, &len, err),
			 ZK_STARK_EINVAL);
	pv_toy_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fast_aux),
		cmocka_unit_test(test_fast_no_aux),
		cmocka_unit_test(test_compact_aux),
		cmocka_unit_test(test_threads_same_proof),
		cmocka_unit_test(test_debug_same_proof),
		cmocka_unit_test(test_wrong_expected_params),
		cmocka_unit_test(test_public_input_binds),
		cmocka_unit_test(test_bad_trace),
		cmocka_unit_test(test_byte_flips_rejected),
		cmocka_unit_test(test_debugger_checks_air),
		cmocka_unit_test(test_prover_refuses_bad_air),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
