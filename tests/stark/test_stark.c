/* SPDX-License-Identifier: MIT */
/*
 * End-to-end tests of the native STARK on the example AIRs: completeness
 * under both parameter sets, and soundness against tampered proofs,
 * changed statements, cheating traces and the wrong parameter set.
 *
 * The executable takes one group name (see main) so that meson runs each
 * group as its own test and each stays under the unit-suite time limit
 * under ASan; no argument runs all.
 */
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
#include "stark.h"

#define FIB_LOG_N 6
#define P2_LOG_N 4
#define RANGE_LOG_N ZK_AIR_RANGE_MIN_LOG_N
#define THREADS 2

/* A column-major main trace. */
struct trace {
	unsigned width;
	unsigned log_n;
	zk_gl **cols;
};

static struct trace *trace_new(unsigned width, unsigned log_n)
{
	struct trace *t = calloc(1, sizeof(*t));
	unsigned c;

	assert_non_null(t);
	t->width = width;
	t->log_n = log_n;
	t->cols = calloc(width, sizeof(*t->cols));
	assert_non_null(t->cols);
	for (c = 0; c < width; c++) {
		t->cols[c] = calloc((size_t)1 << log_n, sizeof(zk_gl));
		assert_non_null(t->cols[c]);
	}
	return t;
}

static void trace_free(struct trace *t)
{
	unsigned c;

	for (c = 0; c < t->width; c++)
		free(t->cols[c]);
	free(t->cols);
	free(t);
}

/* One AIR with an honest trace for it. */
struct instance {
	struct zk_air_fib fib;
	struct zk_air_range range;
	struct zk_air_p2chain p2;
	const struct zk_air *air;
	struct trace *tr;
	const char *label;
};

enum air_kind { AIR_FIB, AIR_RANGE, AIR_P2CHAIN, AIR_KINDS };

static zk_gl range_value(size_t i)
{
	/* a spread of values, both ends of the range included */
	return (zk_gl)((i * 40503u + 17u) & 0xffffu);
}

static struct instance *instance_new(enum air_kind kind)
{
	struct instance *in = calloc(1, sizeof(*in));
	size_t n, i;

	assert_non_null(in);
	switch (kind) {
	case AIR_FIB: {
		zk_gl res;

		in->tr = trace_new(ZK_AIR_FIB_WIDTH, FIB_LOG_N);
		res = zk_air_fib_trace(3, 5, FIB_LOG_N, in->tr->cols[0],
				       in->tr->cols[1]);
		zk_air_fib_init(&in->fib, 3, 5, res);
		in->air = &in->fib.air;
		in->label = "fibonacci";
		break;
	}
	case AIR_RANGE: {
		zk_gl *v;

		in->tr = trace_new(ZK_RANGE_WIDTH, RANGE_LOG_N);
		n = (size_t)1 << RANGE_LOG_N;
		v = malloc(n * sizeof(*v));
		assert_non_null(v);
		for (i = 0; i < n; i++)
			v[i] = range_value(i);
		v[1] = 0;
		v[2] = 0xffff;
		assert_int_equal(zk_air_range_trace(v, RANGE_LOG_N, in->tr->cols), 0);
		zk_air_range_init(&in->range, v[0], v[n - 1]);
		free(v);
		in->air = &in->range.air;
		in->label = "range";
		break;
	}
	case AIR_P2CHAIN: {
		const zk_gl d_in[ZK_P2_DIGEST_ELEMS] = { 11, 22, 33, ZK_GL_P - 1 };
		zk_gl d_out[ZK_P2_DIGEST_ELEMS];

		in->tr = trace_new(ZK_P2CHAIN_WIDTH, P2_LOG_N);
		assert_int_equal(zk_air_p2chain_trace(d_in, P2_LOG_N, in->tr->cols,
						      THREADS, d_out), 0);
		zk_air_p2chain_init(&in->p2, d_in, d_out);
		in->air = &in->p2.air;
		in->label = "p2chain";
		break;
	}
	default:
		fail();
	}
	return in;
}

static void instance_free(struct instance *in)
{
	trace_free(in->tr);
	free(in);
}

static int prove(const struct zk_air *air, uint8_t params_id,
		 const struct trace *tr, int debug, uint8_t **proof,
		 size_t *len, char *err, size_t errlen)
{
	const struct zk_stark_params *p = zk_stark_params_by_id(params_id);
	struct zk_prove_opts opts = { .threads = THREADS, .debug = debug };

	assert_non_null(p);
	*proof = NULL;
	*len = 0;
	return zk_stark_prove(air, p, (const zk_gl *const *)tr->cols, tr->log_n,
			      &opts, proof, len, err, errlen);
}

static void prove_ok(const struct instance *in, uint8_t params_id,
		     uint8_t **proof, size_t *len)
{
	char err[256] = "";
	int rc = prove(in->air, params_id, in->tr, 0, proof, len, err,
		       sizeof(err));

	if (rc != ZK_STARK_ACCEPT)
		fail_msg("%s: prove under set %u: %s (%s)", in->label, params_id,
			 zk_stark_strerror(rc), err);
	assert_non_null(*proof);
	assert_true(*len > 0);
}

static int verify(const struct zk_air *air, uint8_t params_id,
		  const uint8_t *proof, size_t len)
{
	char err[256];

	return zk_stark_verify(air, params_id, proof, len, err, sizeof(err));
}

/* ---- completeness ---- */

static void check_complete(enum air_kind kind, uint8_t params_id)
{
	struct instance *in = instance_new(kind);
	char err[256] = "";
	uint8_t *proof;
	size_t len;
	int rc;

	prove_ok(in, params_id, &proof, &len);
	rc = zk_stark_verify(in->air, params_id, proof, len, err, sizeof(err));
	if (rc != ZK_STARK_ACCEPT)
		fail_msg("%s set %u: honest proof rejected: %s (%s)", in->label,
			 params_id, zk_stark_strerror(rc), err);
	free(proof);
	instance_free(in);
}

static void test_complete_fib(void **state)
{
	(void)state;
	check_complete(AIR_FIB, ZK_PARAMS_FAST);
	check_complete(AIR_FIB, ZK_PARAMS_COMPACT);
	check_complete(AIR_FIB, ZK_PARAMS_THROUGHPUT);
}

static void test_complete_p2chain(void **state)
{
	(void)state;
	check_complete(AIR_P2CHAIN, ZK_PARAMS_FAST);
	check_complete(AIR_P2CHAIN, ZK_PARAMS_COMPACT);
	check_complete(AIR_P2CHAIN, ZK_PARAMS_THROUGHPUT);
}

static void test_complete_range(void **state)
{
	(void)state;
	check_complete(AIR_RANGE, ZK_PARAMS_FAST);
	check_complete(AIR_RANGE, ZK_PARAMS_COMPACT);
}

/* The proof must not depend on how many threads made it (stark.h). */
static void test_proof_independent_of_threads(void **state)
{
	struct instance *in = instance_new(AIR_P2CHAIN);
	const struct zk_stark_params *p = zk_stark_params_by_id(ZK_PARAMS_FAST);
	struct zk_prove_opts one = { .threads = 1 };
	uint8_t *a, *b;
	size_t alen, blen;
	char err[256];

	(void)state;
	assert_int_equal(zk_stark_prove(in->air, p,
					(const zk_gl *const *)in->tr->cols,
					in->tr->log_n, &one, &a, &alen, err,
					sizeof(err)), ZK_STARK_ACCEPT);
	prove_ok(in, ZK_PARAMS_FAST, &b, &blen);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	free(a);
	free(b);
	instance_free(in);
}

/* ---- tampered proofs ---- */

/*
 * Flip one bit of byte `pos`, rotating which bit with the position so
 * that both "still canonical, wrong value" and "not canonical" edits are
 * made across the proof.
 */
static void expect_flip_rejected(const struct zk_air *air, uint8_t params_id,
				 uint8_t *proof, size_t len, size_t pos)
{
	uint8_t saved = proof[pos];
	int rc;

	proof[pos] ^= (uint8_t)(1u << (pos % 8));
	rc = verify(air, params_id, proof, len);
	proof[pos] = saved;
	if (rc == ZK_STARK_ACCEPT)
		fail_msg("flipping byte %zu of %zu was accepted", pos, len);
}

/*
 * Every byte position of a small Fibonacci proof when it is at most
 * FLIP_ALL_MAX bytes; otherwise the first and last FLIP_EDGE bytes (header,
 * roots; final openings) exhaustively and every `stride`-th byte in
 * between with an offset that walks through all residues mod stride, so
 * every part of the proof (OOD values, FRI layers, nonce, rows, Merkle
 * nodes) is hit many times.
 */
#define FLIP_ALL_MAX 16384
#define FLIP_EDGE 256

static void check_byte_flips(enum air_kind kind, uint8_t params_id)
{
	struct instance *in = instance_new(kind);
	uint8_t *proof;
	size_t len, pos, stride, k, tried = 0;

	prove_ok(in, params_id, &proof, &len);
	assert_int_equal(verify(in->air, params_id, proof, len), ZK_STARK_ACCEPT);
	if (len <= FLIP_ALL_MAX) {
		for (pos = 0; pos < len; pos++, tried++)
			expect_flip_rejected(in->air, params_id, proof, len, pos);
	} else {
		stride = (len + FLIP_ALL_MAX - 1) / FLIP_ALL_MAX + 1;
		for (pos = 0; pos < FLIP_EDGE; pos++, tried++) {
			expect_flip_rejected(in->air, params_id, proof, len, pos);
			expect_flip_rejected(in->air, params_id, proof, len,
					     len - 1 - pos);
		}
		for (k = 0; (pos = FLIP_EDGE + k * stride + k % stride) <
			    len - FLIP_EDGE; k++, tried++)
			expect_flip_rejected(in->air, params_id, proof, len, pos);
	}
	print_message("%s set %u: %zu of %zu byte positions flipped, all "
		      "rejected\n", in->label, params_id, tried, len);
	/* the untouched proof still verifies: the loop restored every byte */
	assert_int_equal(verify(in->air, params_id, proof, len), ZK_STARK_ACCEPT);
	free(proof);
	instance_free(in);
}

static void test_flip_every_byte_fast(void **state)
{
	(void)state;
	check_byte_flips(AIR_FIB, ZK_PARAMS_FAST);
}

static void test_flip_every_byte_compact(void **state)
{
	(void)state;
	check_byte_flips(AIR_FIB, ZK_PARAMS_COMPACT);
}

static void test_truncated_and_extended(void **state)
{
	struct instance *in = instance_new(AIR_FIB);
	uint8_t *proof, *longer;
	size_t len, cut;

	(void)state;
	prove_ok(in, ZK_PARAMS_FAST, &proof, &len);
	for (cut = 0; cut < len; cut += 1 + cut / 4)
		assert_int_not_equal(verify(in->air, ZK_PARAMS_FAST, proof, cut),
				     ZK_STARK_ACCEPT);
	assert_int_not_equal(verify(in->air, ZK_PARAMS_FAST, proof, len - 1),
			     ZK_STARK_ACCEPT);
	longer = malloc(len + 1);
	assert_non_null(longer);
	memcpy(longer, proof, len);
	longer[len] = 0;
	assert_int_not_equal(verify(in->air, ZK_PARAMS_FAST, longer, len + 1),
			     ZK_STARK_ACCEPT);
	assert_int_not_equal(verify(in->air, ZK_PARAMS_FAST, NULL, 0),
			     ZK_STARK_ACCEPT);
	free(longer);
	free(proof);
	instance_free(in);
}

/* A proof is bound to its AIR: another AIR's verifier rejects it. */
static void test_proof_bound_to_air(void **state)
{
	struct instance *fib = instance_new(AIR_FIB);
	struct zk_air_fib other;
	uint8_t *proof;
	size_t len;

	(void)state;
	prove_ok(fib, ZK_PARAMS_FAST, &proof, &len);
	other = fib->fib;
	zk_air_fib_init(&other, fib->fib.a0, fib->fib.a1, fib->fib.result);
	assert_int_equal(verify(&other.air, ZK_PARAMS_FAST, proof, len),
			 ZK_STARK_ACCEPT);
	other.air.name = "fibonacci-renamed";
	assert_int_not_equal(verify(&other.air, ZK_PARAMS_FAST, proof, len),
			     ZK_STARK_ACCEPT);
	other.air.name = fib->fib.air.name;
	other.air.version++;
	assert_int_not_equal(verify(&other.air, ZK_PARAMS_FAST, proof, len),
			     ZK_STARK_ACCEPT);
	free(proof);
	instance_free(fib);
}

/* ---- statements ---- */

static void test_statement_fib(void **state)
{
	struct instance *in = instance_new(AIR_FIB);
	struct zk_air_fib alt;
	uint8_t *proof;
	size_t len;
	unsigned field;

	(void)state;
	prove_ok(in, ZK_PARAMS_FAST, &proof, &len);
	for (field = 0; field < 3; field++) {
		zk_gl v[3] = { in->fib.a0, in->fib.a1, in->fib.result };

		v[field] = zk_gl_add(v[field], 1);
		zk_air_fib_init(&alt, v[0], v[1], v[2]);
		assert_int_not_equal(verify(&alt.air, ZK_PARAMS_FAST, proof, len),
				     ZK_STARK_ACCEPT);
	}
	free(proof);
	instance_free(in);
}

static void test_statement_p2chain(void **state)
{
	struct instance *in = instance_new(AIR_P2CHAIN);
	struct zk_air_p2chain alt;
	uint8_t *proof;
	size_t len;
	unsigned k;

	(void)state;
	prove_ok(in, ZK_PARAMS_FAST, &proof, &len);
	for (k = 0; k < 2 * ZK_P2_DIGEST_ELEMS; k++) {
		zk_gl d_in[ZK_P2_DIGEST_ELEMS], d_out[ZK_P2_DIGEST_ELEMS];

		memcpy(d_in, in->p2.d_in, sizeof(d_in));
		memcpy(d_out, in->p2.d_out, sizeof(d_out));
		if (k < ZK_P2_DIGEST_ELEMS)
			d_in[k] = zk_gl_add(d_in[k], 1);
		else
			d_out[k - ZK_P2_DIGEST_ELEMS] =
				zk_gl_sub(d_out[k - ZK_P2_DIGEST_ELEMS], 1);
		zk_air_p2chain_init(&alt, d_in, d_out);
		assert_int_not_equal(verify(&alt.air, ZK_PARAMS_FAST, proof, len),
				     ZK_STARK_ACCEPT);
	}
	free(proof);
	instance_free(in);
}

static void test_statement_range(void **state)
{
	struct instance *in = instance_new(AIR_RANGE);
	struct zk_air_range alt;
	uint8_t *proof;
	size_t len;

	(void)state;
	prove_ok(in, ZK_PARAMS_FAST, &proof, &len);
	zk_air_range_init(&alt, zk_gl_add(in->range.first_value, 1),
			  in->range.last_value);
	assert_int_not_equal(verify(&alt.air, ZK_PARAMS_FAST, proof, len),
			     ZK_STARK_ACCEPT);
	zk_air_range_init(&alt, in->range.first_value,
			  zk_gl_add(in->range.last_value, 1));
	assert_int_not_equal(verify(&alt.air, ZK_PARAMS_FAST, proof, len),
			     ZK_STARK_ACCEPT);
	free(proof);
	instance_free(in);
}

/* The public-input parsers refuse what they cannot represent. */
static void test_statement_parsers(void **state)
{
	uint8_t buf[ZK_P2CHAIN_PUB_LEN];
	struct zk_air_fib f;
	struct zk_air_range r;
	struct zk_air_p2chain c;

	(void)state;
	memset(buf, 0, sizeof(buf));
	assert_int_equal(zk_air_fib_from_pub(&f, buf, ZK_AIR_FIB_PUB_LEN), 0);
	assert_int_equal(zk_air_fib_from_pub(&f, buf, ZK_AIR_FIB_PUB_LEN - 1), -1);
	assert_int_equal(zk_air_range_from_pub(&r, buf, ZK_AIR_RANGE_PUB_LEN), 0);
	assert_int_equal(zk_air_p2chain_from_pub(&c, buf, ZK_P2CHAIN_PUB_LEN), 0);
	assert_int_equal(zk_air_p2chain_from_pub(&c, buf, ZK_P2CHAIN_PUB_LEN + 1),
			 -1);
	memset(buf + 8, 0xff, 8); /* 2^64 - 1 >= p */
	assert_int_equal(zk_air_fib_from_pub(&f, buf, ZK_AIR_FIB_PUB_LEN), -1);
	assert_int_equal(zk_air_range_from_pub(&r, buf, ZK_AIR_RANGE_PUB_LEN), -1);
	assert_int_equal(zk_air_p2chain_from_pub(&c, buf, ZK_P2CHAIN_PUB_LEN), -1);
}

/* ---- cheating traces ---- */

/*
 * A trace that breaks one constraint at one row: with the debugger off
 * the prover may still emit a proof, but the verifier must reject it;
 * with it on the prover must refuse and name the row and constraint.
 */
static void check_cheat(const struct instance *in, const char *expect)
{
	char err[256] = "";
	uint8_t *proof;
	size_t len;
	int rc;

	rc = prove(in->air, ZK_PARAMS_FAST, in->tr, 0, &proof, &len, err,
		   sizeof(err));
	if (rc == ZK_STARK_ACCEPT) {
		assert_int_not_equal(verify(in->air, ZK_PARAMS_FAST, proof, len),
				     ZK_STARK_ACCEPT);
		free(proof);
	}
	err[0] = '\0';
	rc = prove(in->air, ZK_PARAMS_FAST, in->tr, 1, &proof, &len, err,
		   sizeof(err));
	assert_int_equal(rc, ZK_STARK_ETRACE);
	if (strstr(err, expect) == NULL)
		fail_msg("%s: debugger said \"%s\", expected \"%s\"", in->label,
			 err, expect);
}

static void test_cheat_fib(void **state)
{
	struct instance *in = instance_new(AIR_FIB);

	(void)state;
	/* b[7] + 1 breaks b[7] = a[6] + b[6] (row 6) and a[8] = b[7] (row 7) */
	in->tr->cols[1][7] = zk_gl_add(in->tr->cols[1][7], 1);
	check_cheat(in, "row 6: main constraint 1");
	instance_free(in);
}

static void test_cheat_p2chain(void **state)
{
	struct instance *in = instance_new(AIR_P2CHAIN);
	char expect[64];
	unsigned k = 4 * 24 + 2 * 3 + 1; /* partial round 3: y - x·t^2 */

	(void)state;
	in->tr->cols[ZK_P2CHAIN_COL_PY(3)][9] =
		zk_gl_add(in->tr->cols[ZK_P2CHAIN_COL_PY(3)][9], 1);
	snprintf(expect, sizeof(expect), "row 9: main constraint %u", k);
	check_cheat(in, expect);
	instance_free(in);
}

static void test_cheat_p2chain_wrong_output(void **state)
{
	struct instance *in = instance_new(AIR_P2CHAIN);
	size_t last = ((size_t)1 << P2_LOG_N) - 1;
	zk_gl d_out[ZK_P2_DIGEST_ELEMS];
	unsigned i;

	(void)state;
	/* claim another output and make the last row agree with the claim */
	for (i = 0; i < ZK_P2_DIGEST_ELEMS; i++)
		d_out[i] = in->p2.d_out[i];
	d_out[2] = zk_gl_add(d_out[2], 5);
	zk_air_p2chain_init(&in->p2, in->p2.d_in, d_out);
	in->tr->cols[ZK_P2CHAIN_COL_IN + 2][last] = d_out[2];
	/* row n-2's final constraints for lane 2 now fail */
	check_cheat(in, "row 14: main constraint 226");
	instance_free(in);
}

static void test_cheat_range_selector(void **state)
{
	struct instance *in = instance_new(AIR_RANGE);

	(void)state;
	in->tr->cols[ZK_RANGE_COL_FIRST][5] = 1;
	check_cheat(in, "row 4: main constraint 1");
	instance_free(in);
}

/* One value at or above 2^16 (and one "negative"): no proof verifies. */
static void check_out_of_range(zk_gl bad, size_t at)
{
	struct instance *in = instance_new(AIR_RANGE);
	size_t n = (size_t)1 << RANGE_LOG_N, i;
	zk_gl *v = malloc(n * sizeof(*v));
	char err[256];
	uint8_t *proof;
	size_t len;
	int rc;

	assert_non_null(v);
	for (i = 0; i < n; i++)
		v[i] = in->tr->cols[ZK_RANGE_COL_VALUE][i];
	v[at] = bad;
	assert_int_equal(zk_air_range_trace(v, RANGE_LOG_N, in->tr->cols), 1);
	free(v);
	rc = prove(in->air, ZK_PARAMS_FAST, in->tr, 0, &proof, &len, err,
		   sizeof(err));
	if (rc == ZK_STARK_ACCEPT) {
		assert_int_not_equal(verify(in->air, ZK_PARAMS_FAST, proof, len),
				     ZK_STARK_ACCEPT);
		free(proof);
	}
	rc = prove(in->air, ZK_PARAMS_FAST, in->tr, 1, &proof, &len, err,
		   sizeof(err));
	assert_int_equal(rc, ZK_STARK_ETRACE);
	/* every row is locally consistent: only the LogUp sum s[n-1] = 0 fails */
	if (strstr(err, "assertion 5: column 0 row 65535") == NULL)
		fail_msg("debugger said \"%s\"", err);
	instance_free(in);
}

static void test_range_rejects_2_16(void **state)
{
	(void)state;
	check_out_of_range(0x10000, 777);
}

static void test_range_rejects_negative(void **state)
{
	(void)state;
	check_out_of_range(ZK_GL_P - 1, 12345);
}

/*
 * The prover may also try to count an out-of-range value against a table
 * entry it forged: overwrite table row n-2 with 2^16 and count a value
 * 2^16 there (multiplicities consistent with the forged table). Only the
 * table's step constraint stands in the way, and it must.
 */
static void test_range_rejects_forged_table(void **state)
{
	struct instance *in = instance_new(AIR_RANGE);
	zk_gl **c = in->tr->cols;
	size_t i, n = (size_t)1 << RANGE_LOG_N;

	(void)state;
	for (i = 1; i < n - 1; i++) {
		/* 2^16 - 2 loses its table row: no value may use it */
		if (c[ZK_RANGE_COL_VALUE][i] == 0xfffe)
			c[ZK_RANGE_COL_VALUE][i] = 0;
	}
	c[ZK_RANGE_COL_VALUE][777] = 0x10000;
	c[ZK_RANGE_COL_TABLE][n - 2] = 0x10000;
	memset(c[ZK_RANGE_COL_MULT], 0, n * sizeof(zk_gl));
	for (i = 0; i < n; i++) {
		zk_gl v = c[ZK_RANGE_COL_VALUE][i];
		size_t row = v == 0x10000 ? n - 2 : v;

		c[ZK_RANGE_COL_MULT][row] = zk_gl_add(c[ZK_RANGE_COL_MULT][row], 1);
	}
	check_cheat(in, "row 65533: main constraint 0");
	instance_free(in);
}

/* ---- parameter sets ---- */

static void test_params_cross(void **state)
{
	struct instance *in = instance_new(AIR_FIB);
	uint8_t *fast, *compact;
	size_t flen, clen;

	(void)state;
	prove_ok(in, ZK_PARAMS_FAST, &fast, &flen);
	prove_ok(in, ZK_PARAMS_COMPACT, &compact, &clen);
	assert_int_equal(verify(in->air, ZK_PARAMS_FAST, fast, flen), ZK_STARK_ACCEPT);
	assert_int_equal(verify(in->air, ZK_PARAMS_COMPACT, compact, clen),
			 ZK_STARK_ACCEPT);
	assert_int_not_equal(verify(in->air, ZK_PARAMS_COMPACT, fast, flen),
			     ZK_STARK_ACCEPT);
	assert_int_not_equal(verify(in->air, ZK_PARAMS_FAST, compact, clen),
			     ZK_STARK_ACCEPT);
	assert_int_not_equal(verify(in->air, ZK_PARAMS_THROUGHPUT, fast, flen),
			     ZK_STARK_ACCEPT);
	assert_int_not_equal(verify(in->air, 0, fast, flen), ZK_STARK_ACCEPT);
	assert_int_not_equal(verify(in->air, 0xff, fast, flen), ZK_STARK_ACCEPT);
	free(fast);
	free(compact);
	instance_free(in);
}

/* A degree-4 AIR (the LogUp range check) exceeds what blowup 2 supports:
 * the prover refuses it instead of producing a proof that cannot hold. */
static void test_throughput_refuses_high_degree(void **state)
{
	struct instance *in = instance_new(AIR_RANGE);
	uint8_t *proof = NULL;
	size_t len = 0;
	char err[256];

	(void)state;
	assert_int_equal(prove(in->air, ZK_PARAMS_THROUGHPUT, in->tr, 0, &proof,
			       &len, err, sizeof(err)),
			 ZK_STARK_EINVAL);
	assert_null(proof);
	instance_free(in);
}

/* The security each set promises, at the sizes the benchmarks use. */
static void test_params_bits(void **state)
{
	const struct zk_stark_params *fast = zk_stark_params_by_id(ZK_PARAMS_FAST);
	const struct zk_stark_params *compact =
		zk_stark_params_by_id(ZK_PARAMS_COMPACT);
	unsigned log_n;

	(void)state;
	assert_non_null(fast);
	assert_non_null(compact);
	for (log_n = 3; log_n <= 20; log_n++) {
		assert_true(zk_stark_conjectured_bits(fast, log_n, 3) >= 100.0);
		assert_true(zk_stark_proven_bits(fast, log_n, 3) <
			    zk_stark_conjectured_bits(fast, log_n, 3));
	}
}

static int run_group(const char *name, const struct CMUnitTest *tests,
		     size_t count, const char *want)
{
	if (want != NULL && strcmp(want, name) != 0)
		return 0;
	return _cmocka_run_group_tests(name, tests, count, NULL, NULL);
}

#define RUN(name, arr, want) run_group(name, arr, sizeof(arr) / sizeof(arr[0]), want)

int main(int argc, char **argv)
{
	const struct CMUnitTest complete[] = {
		cmocka_unit_test(test_complete_fib),
		cmocka_unit_test(test_complete_p2chain),
		cmocka_unit_test(test_proof_independent_of_threads),
	};
	const struct CMUnitTest complete_range[] = {
		cmocka_unit_test(test_complete_range),
	};
	const struct CMUnitTest tamper_fast[] = {
		cmocka_unit_test(test_flip_every_byte_fast),
		cmocka_unit_test(test_truncated_and_extended),
	};
	const struct CMUnitTest tamper_compact[] = {
		cmocka_unit_test(test_flip_every_byte_compact),
		cmocka_unit_test(test_proof_bound_to_air),
	};
	const struct CMUnitTest statement[] = {
		cmocka_unit_test(test_statement_fib),
		cmocka_unit_test(test_statement_p2chain),
		cmocka_unit_test(test_statement_range),
		cmocka_unit_test(test_statement_parsers),
	};
	const struct CMUnitTest cheat[] = {
		cmocka_unit_test(test_cheat_fib),
		cmocka_unit_test(test_cheat_p2chain),
		cmocka_unit_test(test_cheat_p2chain_wrong_output),
	};
	const struct CMUnitTest cheat_range[] = {
		cmocka_unit_test(test_cheat_range_selector),
		cmocka_unit_test(test_range_rejects_forged_table),
	};
	const struct CMUnitTest range_values[] = {
		cmocka_unit_test(test_range_rejects_2_16),
		cmocka_unit_test(test_range_rejects_negative),
	};
	const struct CMUnitTest params[] = {
		cmocka_unit_test(test_params_cross),
		cmocka_unit_test(test_throughput_refuses_high_degree),
		cmocka_unit_test(test_params_bits),
	};
	const char *want = argc > 1 ? argv[1] : NULL;
	int failed = 0;

	failed += RUN("complete", complete, want);
	failed += RUN("complete_range", complete_range, want);
	failed += RUN("tamper_fast", tamper_fast, want);
	failed += RUN("tamper_compact", tamper_compact, want);
	failed += RUN("statement", statement, want);
	failed += RUN("cheat", cheat, want);
	failed += RUN("cheat_range", cheat_range, want);
	failed += RUN("range_values", range_values, want);
	failed += RUN("params", params, want);
	return failed;
}
