/* SPDX-License-Identifier: MIT */
/*
 * The proof format (proof.h): canonical round trip, and the hostile
 * decoder's rejections — truncation, trailing bytes, bad magic/version/id,
 * out-of-range counts, non-canonical field elements, a shape or parameter
 * set other than the caller's — plus `inspect`'s description.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proof.h"
#include "pv_toy_air.h"
#include "stark.h"

struct fixture {
	struct pv_toy toy;
	uint8_t *proof;
	size_t len;
	struct zk_stark_proof_shape shape;
	struct zk_stark_proof_sizes sizes;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct zk_prove_opts opts = { .threads = 2 };
	struct zk_stark_proof pf;
	char err[256];

	if (f == NULL || pv_toy_init(&f->toy, 5, 1) != 0)
		return -1;
	if (zk_stark_prove(&f->toy.air, zk_stark_params_by_id(ZK_PARAMS_FAST),
			   (const zk_gl *const *)f->toy.cols, 5, &opts, &f->proof,
			   &f->len, err, sizeof(err)) != 0)
		return -1;
	zk_stark_air_shape(&f->toy.air, &f->shape);
	if (zk_stark_proof_decode(f->proof, f->len, NULL, NULL, &pf, err,
				  sizeof(err)) != 0)
		return -1;
	zk_stark_proof_sizes(&pf, &f->sizes);
	zk_stark_proof_free(&pf);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	free(f->proof);
	pv_toy_free(&f->toy);
	free(f);
	return 0;
}

static int decode_copy(const uint8_t *buf, size_t len,
		       const struct zk_stark_params *expect,
		       const struct zk_stark_proof_shape *shape)
{
	/* a fresh heap copy, so ASan sees any read past its end */
	uint8_t *copy = malloc(len ? len : 1);
	struct zk_stark_proof pf;
	char err[256];
	int rc;

	assert_non_null(copy);
	memcpy(copy, buf, len);
	rc = zk_stark_proof_decode(copy, len, expect, shape, &pf, err, sizeof(err));
	if (rc == 0)
		zk_stark_proof_free(&pf);
	else
		assert_true(strlen(err) > 0);
	free(copy);
	return rc;
}

static void test_roundtrip(void **state)
{
	struct fixture *f = *state;
	struct zk_stark_proof pf;
	uint8_t *again = NULL;
	size_t again_len = 0;
	char err[256];

	assert_int_equal(zk_stark_proof_decode(f->proof, f->len,
					       zk_stark_params_by_id(ZK_PARAMS_FAST),
					       &f->shape, &pf, err, sizeof(err)), 0);
	assert_int_equal(pf.log_n, 5);
	assert_int_equal(pf.shape.n_chunks, 2);
	assert_int_equal(zk_stark_proof_encode(&pf, &again, &again_len), 0);
	assert_int_equal(again_len, f->len);
	assert_memory_equal(again, f->proof, f->len);
	assert_int_equal(f->sizes.total, f->len);
	free(again);
	zk_stark_proof_free(&pf);
}

static void test_truncated_and_extended(void **state)
{
	struct fixture *f = *state;
	uint8_t *longer = malloc(f->len + 1);

	for (size_t l = 0; l < f->len; l += l < 256 ? 1 : 13)
		assert_int_equal(decode_copy(f->proof, l, NULL, NULL),
				 ZK_STARK_EFORMAT);
	assert_int_equal(decode_copy(f->proof, f->len - 1, NULL, NULL),
			 ZK_STARK_EFORMAT);
	assert_non_null(longer);
	memcpy(longer, f->proof, f->len);
	longer[f->len] = 0;
	assert_int_equal(decode_copy(longer, f->len + 1, NULL, NULL),
			 ZK_STARK_EFORMAT);
	free(longer);
}

/* Patch `n` little-endian bytes at `off` with v and decode. */
static int decode_patched(struct fixture *f, size_t off, uint64_t v, size_t n,
			  const struct zk_stark_params *expect)
{
	uint8_t *copy = malloc(f->len);
	int rc;

	assert_non_null(copy);
	memcpy(copy, f->proof, f->len);
	for (size_t i = 0; i < n; i++)
		copy[off + i] = (uint8_t)(v >> (8 * i));
	rc = decode_copy(copy, f->len, expect, NULL);
	free(copy);
	return rc;
}

static void test_header_fields(void **state)
{
	struct fixture *f = *state;
	const struct zk_stark_params *fast = zk_stark_params_by_id(ZK_PARAMS_FAST);
	const struct zk_stark_params *compact =
		zk_stark_params_by_id(ZK_PARAMS_COMPACT);

	assert_int_equal(decode_patched(f, 0, 'X', 1, NULL), ZK_STARK_EFORMAT);
	/* version 1 was the F_p2 layout (16-byte extension elements), version
	 * 2 drew α and γ one by one (its proofs do not check under powers of
	 * one draw), version 3 sent every FRI coset whole, version 4 sent
	 * T(zω) for every column: a proof that claims any of them is refused,
	 * as is any other */
	assert_int_equal(ZK_PROOF_VERSION, 5);
	assert_int_equal(decode_patched(f, 4, 1, 2, NULL), ZK_STARK_EFORMAT);
	assert_int_equal(decode_patched(f, 4, 2, 2, NULL), ZK_STARK_EFORMAT);
	assert_int_equal(decode_patched(f, 4, 3, 2, NULL), ZK_STARK_EFORMAT);
	assert_int_equal(decode_patched(f, 4, 4, 2, NULL), ZK_STARK_EFORMAT);
	assert_int_equal(decode_patched(f, 4, 6, 2, NULL), ZK_STARK_EFORMAT);
	assert_int_equal(decode_patched(f, 4, 0, 2, NULL), ZK_STARK_EFORMAT);
	assert_int_equal(decode_patched(f, 4, 5, 2, NULL), 0);
	assert_int_equal(decode_patched(f, 6, 99, 1, NULL), ZK_STARK_EFORMAT);
	assert_int_equal(decode_patched(f, 6, 0, 1, NULL), ZK_STARK_EFORMAT);
	/* the caller's set decides before anything else */
	assert_int_equal(decode_patched(f, 6, ZK_PARAMS_FAST, 1, compact),
			 ZK_STARK_EPARAMS);
	assert_int_equal(decode_patched(f, 6, ZK_PARAMS_FAST, 1, fast), 0);
	assert_int_equal(decode_patched(f, 7, 2, 1, NULL), ZK_STARK_EFORMAT);
	assert_int_equal(decode_patched(f, 7, 25, 1, NULL), ZK_STARK_EFORMAT);
	/* shape: widths and chunks bounded */
	assert_int_equal(decode_patched(f, 8, 0, 4, NULL), ZK_STARK_EFORMAT);
	assert_int_equal(decode_patched(f, 8, 1025, 4, NULL), ZK_STARK_EFORMAT);
	assert_int_equal(decode_patched(f, 8, 0xFFFFFFFF, 4, NULL), ZK_STARK_EFORMAT);
	assert_int_equal(decode_patched(f, 12, 1024, 4, NULL), ZK_STARK_EFORMAT);
	assert_int_equal(decode_patched(f, 16, 0, 4, NULL), ZK_STARK_EFORMAT);
	assert_int_equal(decode_patched(f, 16, 5, 4, NULL), ZK_STARK_EFORMAT);
	/* next-row counts: at most the widths */
	assert_int_equal(decode_patched(f, 20, 0xFFFFFFFF, 4, NULL),
			 ZK_STARK_EFORMAT);
	assert_int_equal(decode_patched(f, 24, 1025, 4, NULL), ZK_STARK_EFORMAT);
}

/*
 * The largest trace each set may claim: log_n + log_blowup <= 25, the
 * largest LDE domain. Compact (blowup 32) reaches 2^20 rows, the size
 * docs/perf.md sizes its proofs at, and not 2^21; fast reaches 2^23. The
 * fixture's body does not fit the claimed shape, so every patched header
 * is refused: what tells the cases apart is whether the size was.
 */
static bool log_n_refused(struct fixture *f, uint8_t set, uint8_t log_n)
{
	uint8_t *copy = malloc(f->len);
	struct zk_stark_proof pf;
	char err[256] = "";

	assert_non_null(copy);
	memcpy(copy, f->proof, f->len);
	copy[6] = set;
	copy[7] = log_n;
	assert_int_equal(zk_stark_proof_decode(copy, f->len, NULL, NULL, &pf,
					       err, sizeof(err)),
			 ZK_STARK_EFORMAT);
	free(copy);
	return strstr(err, "out of range") != NULL;
}

static void test_largest_trace_per_set(void **state)
{
	struct fixture *f = *state;

	assert_false(log_n_refused(f, ZK_PARAMS_COMPACT, 20));
	assert_true(log_n_refused(f, ZK_PARAMS_COMPACT, 21));
	assert_false(log_n_refused(f, ZK_PARAMS_FAST, 23));
	assert_true(log_n_refused(f, ZK_PARAMS_FAST, 24));
	assert_false(log_n_refused(f, ZK_PARAMS_THROUGHPUT, 24));
	assert_true(log_n_refused(f, ZK_PARAMS_THROUGHPUT, 25));
}

static void test_counts_and_elements(void **state)
{
	struct fixture *f = *state;
	size_t ood = ZK_PROOF_HEADER_BYTES + f->sizes.commitments;
	size_t npos = ood + f->sizes.ood + f->sizes.fri_layers +
		      f->sizes.fri_final + 8;
	size_t rows = npos + 4;

	size_t final_last = ood + f->sizes.ood + f->sizes.fri_layers +
			    f->sizes.fri_final - ZK_EXT_BYTES;

	/* extension elements are 24 bytes: every limb of the first and the
	 * last OOD value and of the last final-polynomial coefficient must be
	 * canonical (p and 2^64 - 1 are not) */
	assert_int_equal(f->sizes.ood % ZK_EXT_BYTES, 0);
	for (size_t limb = 0; limb < ZK_EXT_DEGREE; limb++) {
		size_t first = ood + 8 * limb;
		size_t last = ood + f->sizes.ood - ZK_EXT_BYTES + 8 * limb;

		assert_int_equal(decode_patched(f, first, ZK_GL_P, 8, NULL),
				 ZK_STARK_EFORMAT);
		assert_int_equal(decode_patched(f, last, UINT64_MAX, 8, NULL),
				 ZK_STARK_EFORMAT);
		assert_int_equal(decode_patched(f, final_last + 8 * limb, ZK_GL_P,
						8, NULL), ZK_STARK_EFORMAT);
		/* p - 1 is canonical: the decoder takes it */
		assert_int_equal(decode_patched(f, final_last + 8 * limb,
						ZK_GL_P - 1, 8, NULL), 0);
	}
	/* p - 1 is canonical: the decoder accepts it (the verifier will not) */
	assert_int_equal(decode_patched(f, ood, ZK_GL_P - 1, 8, NULL), 0);
	/* opened rows */
	assert_int_equal(decode_patched(f, rows, ZK_GL_P, 8, NULL), ZK_STARK_EFORMAT);
	/* position count: 0, above the query count, huge */
	assert_int_equal(decode_patched(f, npos, 0, 4, NULL), ZK_STARK_EFORMAT);
	assert_int_equal(decode_patched(f, npos, 45, 4, NULL), ZK_STARK_EFORMAT);
	assert_int_equal(decode_patched(f, npos, 0xFFFFFFFF, 4, NULL),
			 ZK_STARK_EFORMAT);
}

/* Every limb of an opened aux and composition element is checked: the
 * rows sit after the main rows and the main batch (proof.h layout). */
static void test_opened_extension_limbs(void **state)
{
	struct fixture *f = *state;
	struct zk_stark_proof pf;
	char err[256];
	size_t npos = ZK_PROOF_HEADER_BYTES + f->sizes.commitments +
		      f->sizes.ood + f->sizes.fri_layers + f->sizes.fri_final + 8;
	size_t aux_rows, comp_rows;

	assert_int_equal(zk_stark_proof_decode(f->proof, f->len, NULL, NULL, &pf,
					       err, sizeof(err)), 0);
	assert_true(pf.shape.aux_width > 0);
	aux_rows = npos + 4 +
		   (size_t)pf.n_positions * pf.shape.main_width * 8 +
		   zk_merkle_batch_wire_size(&pf.main_open);
	comp_rows = aux_rows +
		    (size_t)pf.n_positions * ZK_EXT_DEGREE * pf.shape.aux_width * 8 +
		    zk_merkle_batch_wire_size(&pf.aux_open);
	/* the offsets are right: the bytes there are the decoded limbs */
	for (size_t limb = 0; limb < ZK_EXT_DEGREE; limb++) {
		uint64_t a = 0, c = 0;

		for (size_t i = 0; i < 8; i++) {
			a |= (uint64_t)f->proof[aux_rows + 8 * limb + i] << (8 * i);
			c |= (uint64_t)f->proof[comp_rows + 8 * limb + i] << (8 * i);
		}
		assert_int_equal(a, pf.aux_rows[limb]);
		assert_int_equal(c, pf.comp_rows[limb]);
		assert_int_equal(decode_patched(f, aux_rows + 8 * limb, ZK_GL_P, 8,
						NULL), ZK_STARK_EFORMAT);
		assert_int_equal(decode_patched(f, comp_rows + 8 * limb,
						UINT64_MAX, 8, NULL),
				 ZK_STARK_EFORMAT);
	}
	zk_stark_proof_free(&pf);
}

static void test_shape_and_verifier(void **state)
{
	struct fixture *f = *state;
	struct zk_stark_proof_shape other = f->shape;
	struct pv_toy plain;
	char err[256];

	other.aux_width = 0;
	assert_int_equal(decode_copy(f->proof, f->len, NULL, &other),
			 ZK_STARK_EPARAMS);
	other = f->shape;
	other.n_chunks = 1;
	assert_int_equal(decode_copy(f->proof, f->len, NULL, &other),
			 ZK_STARK_EPARAMS);
	/* the same statement under an AIR without the aux segment */
	assert_int_equal(pv_toy_init(&plain, 5, 0), 0);
	assert_int_equal(zk_stark_verify(&plain.air, ZK_PARAMS_FAST, f->proof,
					 f->len, err, sizeof(err)), ZK_STARK_EPARAMS);
	pv_toy_free(&plain);
	assert_int_equal(zk_stark_verify(&f->toy.air, ZK_PARAMS_FAST, f->proof,
					 f->len, err, sizeof(err)), ZK_STARK_ACCEPT);
	assert_int_equal(zk_stark_verify(&f->toy.air, ZK_PARAMS_FAST, NULL, 0,
					 err, sizeof(err)), ZK_STARK_EFORMAT);
}

static void test_describe(void **state)
{
	struct fixture *f = *state;
	char *text = NULL;
	size_t text_len = 0;
	FILE *out = open_memstream(&text, &text_len);

	assert_non_null(out);
	assert_int_equal(zk_stark_proof_describe(f->proof, f->len, out), 0);
	assert_int_equal(zk_stark_proof_describe(f->proof, 10, out),
			 ZK_STARK_EFORMAT);
	fclose(out);
	assert_non_null(strstr(text, "parameter set    1 (fast)"));
	assert_non_null(strstr(text, "F_p[X]/(X^3 - 7), 24-byte elements"));
	/* fast: the query part (44·2 + 16) decides over F_p^3 */
	assert_non_null(strstr(text, "conjectured 104.0 bits"));
	assert_non_null(strstr(text, "conjectured"));
	assert_non_null(strstr(text, "proven"));
	assert_non_null(strstr(text, "FRI final poly"));
	assert_non_null(strstr(text, "trace openings"));
	assert_non_null(strstr(text, "proof does not decode"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_truncated_and_extended),
		cmocka_unit_test(test_header_fields),
		cmocka_unit_test(test_largest_trace_per_set),
		cmocka_unit_test(test_counts_and_elements),
		cmocka_unit_test(test_opened_extension_limbs),
		cmocka_unit_test(test_shape_and_verifier),
		cmocka_unit_test(test_describe),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
