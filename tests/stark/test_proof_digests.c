/* SPDX-License-Identifier: MIT */
/*
 * Byte identity of the prover across its rewrites: BLAKE2s-256 of proofs
 * of every example AIR (Fibonacci, the Poseidon2 chain, the LogUp range
 * check, the toy AIR with a periodic column and an aux segment) under
 * every parameter set the AIR's degree allows, with 1 and 3 threads and
 * with debug on. The digests were recorded from the prover at commit
 * bedcd20 (LDEs stored, before the coset-streaming work) and re-recorded
 * for proof format 3 (coefficients as powers), format 4 (FRI without
 * known values, new FRI stops, compact's queries) and format 5 (T(zω)
 * only for the columns read at the next row): a prover that
 * changes one byte of any of these proofs fails here, so a memory or speed
 * rewrite cannot change the protocol by accident. Every case is proved
 * twice: by the prover that keeps its LDEs and by the coset-streaming
 * one (zk_prove_opts.streaming). `test_proof_digests
 * --print` prints the table from the prover it is linked with (for a
 * deliberate protocol change, with a format version bump).
 */
#include <blake2.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "air_fib.h"
#include "air_p2chain.h"
#include "air_range.h"
#include "pv_toy_air.h"
#include "stark.h"

enum kind { K_FIB, K_FIB_BIG, K_P2, K_RANGE, K_TOY, K_TOY_AUX };

struct case_ {
	enum kind kind;
	uint8_t set;
	unsigned threads;
	int debug;
	const char *digest; /* hex BLAKE2s-256 of the proof */
};

/* FIB: 2^6 rows (DEEP summed on D); FIB_BIG: 2^12 rows; P2: 2^4 rows
 * (DEEP formed on the trace); RANGE: 2^16 rows; TOY: 2^6 rows. */
static const struct case_ cases[] = {
#include "proof_digests.inc"
};

struct instance {
	struct zk_air_fib fib;
	struct zk_air_p2chain p2;
	struct zk_air_range range;
	struct pv_toy toy;
	const struct zk_air *air;
	zk_gl *cols[ZK_P2CHAIN_WIDTH];
	unsigned width, log_n;
	int toy_used;
};

static void alloc_cols(struct instance *in, unsigned width, unsigned log_n)
{
	in->width = width;
	in->log_n = log_n;
	for (unsigned c = 0; c < width; c++) {
		in->cols[c] = calloc((size_t)1 << log_n, sizeof(zk_gl));
		assert_non_null(in->cols[c]);
	}
}

static void instance_init(struct instance *in, enum kind kind)
{
	memset(in, 0, sizeof(*in));
	switch (kind) {
	case K_FIB:
	case K_FIB_BIG: {
		unsigned log_n = kind == K_FIB ? 6 : 12;
		zk_gl res;

		alloc_cols(in, ZK_AIR_FIB_WIDTH, log_n);
		res = zk_air_fib_trace(3, 5, log_n, in->cols[0], in->cols[1]);
		zk_air_fib_init(&in->fib, 3, 5, res);
		in->air = &in->fib.air;
		break;
	}
	case K_P2: {
		const zk_gl d_in[ZK_P2_DIGEST_ELEMS] = { 11, 22, 33, ZK_GL_P - 1 };
		zk_gl d_out[ZK_P2_DIGEST_ELEMS];

		alloc_cols(in, ZK_P2CHAIN_WIDTH, 4);
		assert_int_equal(zk_air_p2chain_trace(d_in, 4, in->cols, 2, d_out), 0);
		zk_air_p2chain_init(&in->p2, d_in, d_out);
		in->air = &in->p2.air;
		break;
	}
	case K_RANGE: {
		size_t n = (size_t)1 << ZK_AIR_RANGE_MIN_LOG_N;
		zk_gl *v = malloc(n * sizeof(*v));

		assert_non_null(v);
		for (size_t i = 0; i < n; i++)
			v[i] = (zk_gl)((i * 40503u + 17u) & 0xffffu);
		alloc_cols(in, ZK_RANGE_WIDTH, ZK_AIR_RANGE_MIN_LOG_N);
		assert_int_equal(zk_air_range_trace(v, ZK_AIR_RANGE_MIN_LOG_N,
						    in->cols), 0);
		zk_air_range_init(&in->range, v[0], v[n - 1]);
		free(v);
		in->air = &in->range.air;
		break;
	}
	case K_TOY:
	case K_TOY_AUX:
		assert_int_equal(pv_toy_init(&in->toy, 6, kind == K_TOY_AUX), 0);
		in->toy_used = 1;
		in->air = &in->toy.air;
		in->log_n = 6;
		for (unsigned c = 0; c < 3; c++)
			in->cols[c] = in->toy.cols[c];
		break;
	}
}

static void instance_fini(struct instance *in)
{
	if (in->toy_used) {
		pv_toy_free(&in->toy);
		return;
	}
	for (unsigned c = 0; c < in->width; c++)
		free(in->cols[c]);
}

/* Prove and verify one case; its digest in hex into out[65]. */
static void proof_digest(const struct case_ *k, int streaming, char out[65])
{
	const struct zk_stark_params *p = zk_stark_params_by_id(k->set);
	struct zk_prove_opts opts = { .threads = k->threads, .debug = k->debug,
				      .streaming = streaming };
	struct instance in;
	uint8_t *proof = NULL, d[32];
	size_t len = 0;
	char err[256] = "";
	int rc;

	assert_non_null(p);
	instance_init(&in, k->kind);
	rc = zk_stark_prove(in.air, p, (const zk_gl *const *)in.cols, in.log_n,
			    &opts, &proof, &len, err, sizeof(err));
	if (rc != ZK_STARK_ACCEPT)
		fail_msg("%s set %u: prove: %s (%s)", in.air->name, k->set,
			 zk_stark_strerror(rc), err);
	rc = zk_stark_verify(in.air, k->set, proof, len, err, sizeof(err));
	if (rc != ZK_STARK_ACCEPT)
		fail_msg("%s set %u: verify: %s (%s)", in.air->name, k->set,
			 zk_stark_strerror(rc), err);
	assert_int_equal(blake2s(d, proof, NULL, sizeof(d), len, 0), 0);
	for (unsigned i = 0; i < sizeof(d); i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
	free(proof);
	instance_fini(&in);
}

static void check_digests(int streaming)
{
	char hex[65];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		proof_digest(&cases[i], streaming, hex);
		if (strcmp(hex, cases[i].digest) != 0)
			fail_msg("case %zu (kind %d, set %u, %u threads, debug %d, "
				 "streaming %d): proof digest %s, recorded %s", i,
				 cases[i].kind, cases[i].set, cases[i].threads,
				 cases[i].debug, streaming, hex, cases[i].digest);
	}
}

/* The prover that keeps its LDEs. */
static void test_digests_stored(void **state)
{
	(void)state;
	check_digests(0);
}

/* The coset-streaming prover (zk_prove_opts.streaming): the same bytes. */
static void test_digests_streaming(void **state)
{
	(void)state;
	check_digests(1);
}

/* The table from this prover, for proof_digests.inc. */
static int print_table(void)
{
	char hex[65];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		proof_digest(&cases[i], 0, hex);
		printf("\t{ %d, %u, %u, %d, \"%s\" },\n", cases[i].kind,
		       cases[i].set, cases[i].threads, cases[i].debug, hex);
	}
	return 0;
}

/*
 * One mode per meson test ("stored" or "streaming", each under the unit
 * time limit with ASan); no argument runs both, "--print" the table.
 */
int main(int argc, char **argv)
{
	const struct CMUnitTest stored[] = {
		cmocka_unit_test(test_digests_stored),
	};
	const struct CMUnitTest streaming[] = {
		cmocka_unit_test(test_digests_streaming),
	};
	int rc = 0;

	if (argc > 1 && strcmp(argv[1], "--print") == 0)
		return print_table();
	if (argc < 2 || strcmp(argv[1], "stored") == 0)
		rc |= cmocka_run_group_tests(stored, NULL, NULL);
	if (argc < 2 || strcmp(argv[1], "streaming") == 0)
		rc |= cmocka_run_group_tests(streaming, NULL, NULL);
	return rc;
}
