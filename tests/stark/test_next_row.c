/* SPDX-License-Identifier: MIT */
/*
 * Next-row openings (air.h main_next / aux_next, proof format 5): each
 * example AIR lists exactly the columns its constraints read at the next
 * row (the probe), the debug check names a column read but not listed,
 * malformed lists are refused, and a proof sends T(zω) only for the
 * listed columns: it verifies, is smaller by 24 bytes a column left out,
 * and is refused when one of those values, their count or the set
 * changes. Single- and multi-table proofs, partial aux lists, stored and
 * streaming provers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "air_bus.h"
#include "air_fib.h"
#include "air_next.h"
#include "air_p2chain.h"
#include "air_range.h"
#include "air_range_k.h"
#include "multi.h"
#include "params.h"
#include "proof.h"
#include "stark.h"

#define LOG_N 5
#define SEED 0x6e657874726f77ull

/* Probe == list (a NULL list is every column). */
static void expect_exact(const struct zk_air *air, const char *what)
{
	uint8_t *m = calloc(air->main_width + 1, 1);
	uint8_t *a = calloc(air->aux_width + 1, 1);
	uint8_t *listed_m = calloc(air->main_width + 1, 1);
	uint8_t *listed_a = calloc(air->aux_width + 1, 1);

	assert_non_null(m);
	assert_non_null(a);
	assert_non_null(listed_m);
	assert_non_null(listed_a);
	assert_int_equal(zk_air_next_validate(air, NULL, 0), 0);
	assert_int_equal(zk_air_next_probe(air, SEED, m, a), 0);
	for (uint32_t j = 0; j < zk_air_next_count(air, ZK_SEG_MAIN); j++)
		listed_m[zk_air_next_col(air, ZK_SEG_MAIN, j)] = 1;
	for (uint32_t j = 0; j < zk_air_next_count(air, ZK_SEG_AUX); j++)
		listed_a[zk_air_next_col(air, ZK_SEG_AUX, j)] = 1;
	for (uint32_t c = 0; c < air->main_width; c++)
		if (m[c] != listed_m[c])
			fail_msg("%s: main column %u %s at the next row", what,
				 c, m[c] ? "read but not listed" :
				 "listed but not read");
	for (uint32_t c = 0; c < air->aux_width; c++)
		if (a[c] != listed_a[c])
			fail_msg("%s: aux column %u %s at the next row", what, c,
				 a[c] ? "read but not listed" :
				 "listed but not read");
	free(m);
	free(a);
	free(listed_m);
	free(listed_a);
}

static void test_probe_airs(void **state)
{
	struct zk_air_fib fib;
	struct zk_air_range range;
	struct zk_air_range_k rk;
	struct zk_air_p2chain p2;
	const zk_gl d[ZK_P2_DIGEST_ELEMS] = { 1, 2, 3, 4 };
	struct zk_air_bus *bus = malloc(sizeof(*bus));
	static const unsigned rk_shapes[][2] = { { 1, 2 }, { 4, 2 }, { 7, 3 } };

	(void)state;
	assert_non_null(bus);
	zk_air_fib_init(&fib, 1, 1, 2);
	expect_exact(&fib.air, "fibonacci");
	zk_air_range_init(&range, 0, 1);
	expect_exact(&range.air, "range");
	for (size_t i = 0; i < sizeof(rk_shapes) / sizeof(rk_shapes[0]); i++) {
		assert_int_equal(zk_air_range_k_init(&rk, rk_shapes[i][0],
						     rk_shapes[i][1], 0, 0), 0);
		expect_exact(&rk.air, "range_k");
	}
	zk_air_p2chain_init(&p2, d, d);
	expect_exact(&p2.air, "p2chain");
	assert_int_equal(zk_air_next_count(&p2.air, ZK_SEG_MAIN), ZK_P2_WIDTH12);
	for (int role = ZK_AIR_BUS_NONE; role <= ZK_AIR_BUS_CONSUMER; role++)
		for (int gated = 0; gated < 2; gated++) {
			struct zk_air_bus_cfg cfg = { .role = role, .n_quad = 2,
						      .n_cube = 3,
						      .gated = gated,
						      .seed = 5 };

			assert_int_equal(zk_air_bus_init(bus, &cfg), 0);
			expect_exact(&bus->air, "bus");
		}
	free(bus);
}

struct chain {
	struct zk_air_p2chain air;
	zk_gl *cols[ZK_P2CHAIN_WIDTH];
	uint32_t list[ZK_P2CHAIN_WIDTH];
};

static void chain_make(struct chain *c, unsigned log_n)
{
	const zk_gl d_in[ZK_P2_DIGEST_ELEMS] = { 7, 8, 9, 10 };
	zk_gl d_out[ZK_P2_DIGEST_ELEMS];

	for (unsigned i = 0; i < ZK_P2CHAIN_WIDTH; i++) {
		c->cols[i] = calloc((size_t)1 << log_n, sizeof(zk_gl));
		assert_non_null(c->cols[i]);
	}
	assert_int_equal(zk_air_p2chain_trace(d_in, log_n, c->cols, 1, d_out), 0);
	zk_air_p2chain_init(&c->air, d_in, d_out);
}

static void chain_free(struct chain *c)
{
	for (unsigned i = 0; i < ZK_P2CHAIN_WIDTH; i++)
		free(c->cols[i]);
}

/* c's AIR with the next-row list list[0..count) */
static struct zk_air with_list(const struct chain *c, const uint32_t *list,
			       uint32_t count)
{
	struct zk_air air = c->air.air;

	air.main_next = list;
	air.n_main_next = count;
	return air;
}

static int prove(const struct zk_air *air, const struct chain *c, int debug,
		 uint8_t **proof, size_t *len, char *err)
{
	struct zk_prove_opts o = { .threads = 1, .debug = debug };

	return zk_stark_prove(air, zk_stark_params_by_id(ZK_PARAMS_FAST),
			      (const zk_gl *const *)c->cols, LOG_N, &o, proof,
			      len, err, 256);
}

static int verify(const struct zk_air *air, const uint8_t *proof, size_t len)
{
	char err[256];

	return zk_stark_verify(air, ZK_PARAMS_FAST, proof, len, err,
			       sizeof(err));
}

static void test_debug_names_unlisted(void **state)
{
	struct chain *c = malloc(sizeof(*c));
	uint32_t list[ZK_P2_WIDTH12];
	struct zk_air air;
	char err[256] = "";
	uint8_t *proof = NULL;
	size_t len = 0;

	(void)state;
	assert_non_null(c);
	chain_make(c, LOG_N);
	/* column 5 of the next row's input left out */
	for (uint32_t j = 0, k = 0; j < ZK_P2_WIDTH12; j++)
		if (j != 5)
			list[k++] = j;
	air = with_list(c, list, ZK_P2_WIDTH12 - 1);
	assert_int_equal(zk_air_next_check(&air, 1, err, sizeof(err)),
			 ZK_STARK_ETRACE);
	assert_non_null(strstr(err, "main column 5 at the next row"));
	err[0] = '\0';
	assert_int_equal(zk_stark_debug_check(&air, (const zk_gl *const *)c->cols,
					      LOG_N, 3, err, sizeof(err)),
			 ZK_STARK_ETRACE);
	assert_non_null(strstr(err, "main column 5 at the next row"));
	assert_int_equal(prove(&air, c, 1, &proof, &len, err), ZK_STARK_ETRACE);
	assert_null(proof);
	/* without the debug check the proof is made, but the verifier
	 * evaluates the constraint with 0 for column 5: it fails */
	assert_int_equal(prove(&air, c, 0, &proof, &len, err), 0);
	assert_int_equal(verify(&air, proof, len), ZK_STARK_EOOD);
	free(proof);
	/* the declared list passes; so does a superset (more bytes) */
	assert_int_equal(zk_air_next_check(&c->air.air, 1, err, sizeof(err)), 0);
	for (uint32_t j = 0; j < ZK_P2_WIDTH12; j++)
		c->list[j] = j;
	c->list[ZK_P2_WIDTH12] = 40;
	air = with_list(c, c->list, ZK_P2_WIDTH12 + 1);
	assert_int_equal(zk_air_next_check(&air, 1, err, sizeof(err)), 0);
	assert_int_equal(prove(&air, c, 1, &proof, &len, err), 0);
	assert_int_equal(verify(&air, proof, len), ZK_STARK_ACCEPT);
	free(proof);
	chain_free(c);
	free(c);
}

static void test_bad_lists(void **state)
{
	struct chain *c = malloc(sizeof(*c));
	static const uint32_t unsorted[] = { 0, 2, 1 }, twice[] = { 0, 1, 1 },
			      outside[] = { 0, 1, ZK_P2CHAIN_WIDTH };
	struct zk_air air;
	char err[256];
	uint8_t *proof = NULL;
	size_t len = 0;

	(void)state;
	assert_non_null(c);
	chain_make(c, LOG_N);
	air = with_list(c, unsorted, 3);
	assert_int_equal(prove(&air, c, 0, &proof, &len, err), ZK_STARK_EINVAL);
	assert_non_null(strstr(err, "next-row list"));
	air = with_list(c, twice, 3);
	assert_int_equal(zk_air_next_validate(&air, err, sizeof(err)),
			 ZK_STARK_EINVAL);
	air = with_list(c, outside, 3);
	assert_int_equal(zk_air_next_validate(&air, err, sizeof(err)),
			 ZK_STARK_EINVAL);
	air = with_list(c, unsorted, ZK_P2CHAIN_WIDTH + 1);
	assert_int_equal(prove(&air, c, 0, &proof, &len, err), ZK_STARK_EINVAL);
	assert_null(proof);
	chain_free(c);
	free(c);
}

/* Where the main T(zω) values start in a single-table proof. */
static size_t main_next_offset(const struct zk_air *air)
{
	/* header, main root, composition root (no aux), main T(z) */
	return ZK_PROOF_HEADER_BYTES + 2 * ZK_DIGEST_BYTES +
	       (size_t)air->main_width * ZK_EXT_BYTES;
}

static void test_proof(void **state)
{
	struct chain *c = malloc(sizeof(*c));
	struct zk_air all, other;
	struct zk_stark_proof pf;
	struct zk_stark_proof_sizes s_sparse, s_all;
	char err[256];
	uint8_t *sparse, *full, *longer;
	size_t len, len_all, off;

	(void)state;
	assert_non_null(c);
	chain_make(c, LOG_N);
	assert_int_equal(prove(&c->air.air, c, 1, &sparse, &len, err), 0);
	assert_int_equal(verify(&c->air.air, sparse, len), ZK_STARK_ACCEPT);
	all = with_list(c, NULL, 0);
	assert_int_equal(prove(&all, c, 1, &full, &len_all, err), 0);
	assert_int_equal(verify(&all, full, len_all), ZK_STARK_ACCEPT);

	/* 24 bytes per column left out of the OOD values */
	assert_int_equal(zk_stark_proof_decode(sparse, len, NULL, NULL, &pf, err,
					       sizeof(err)), 0);
	assert_int_equal(pf.shape.main_next, ZK_P2_WIDTH12);
	zk_stark_proof_sizes(&pf, &s_sparse);
	zk_stark_proof_free(&pf);
	assert_int_equal(zk_stark_proof_decode(full, len_all, NULL, NULL, &pf,
					       err, sizeof(err)), 0);
	assert_int_equal(pf.shape.main_next, ZK_P2CHAIN_WIDTH);
	zk_stark_proof_sizes(&pf, &s_all);
	zk_stark_proof_free(&pf);
	assert_int_equal(s_all.ood - s_sparse.ood,
			 (ZK_P2CHAIN_WIDTH - ZK_P2_WIDTH12) * ZK_EXT_BYTES);

	/* each proof under the other set: the shape differs */
	assert_int_equal(verify(&all, sparse, len), ZK_STARK_EPARAMS);
	assert_int_equal(verify(&c->air.air, full, len_all), ZK_STARK_EPARAMS);

	/* every bit-4 or bit-0 flip of the T(zω) section, and of its count */
	off = main_next_offset(&c->air.air);
	for (size_t pos = off; pos < off + ZK_P2_WIDTH12 * ZK_EXT_BYTES; pos++) {
		uint8_t flip = (pos & 1) ? 0x10 : 0x01;

		sparse[pos] ^= flip;
		if (verify(&c->air.air, sparse, len) == ZK_STARK_ACCEPT)
			fail_msg("flipping byte %zu of T(zω) accepted", pos - off);
		sparse[pos] ^= flip;
	}
	for (size_t pos = 20; pos < 28; pos++) {
		sparse[pos] ^= 1;
		assert_int_not_equal(verify(&c->air.air, sparse, len),
				     ZK_STARK_ACCEPT);
		sparse[pos] ^= 1;
	}

	/* a T(zω) value for a column the AIR does not list (count + 1, a
	 * canonical value inserted): refused by the decoder */
	longer = malloc(len + ZK_EXT_BYTES);
	assert_non_null(longer);
	off += ZK_P2_WIDTH12 * ZK_EXT_BYTES;
	memcpy(longer, sparse, off);
	memcpy(longer + off, sparse + off - ZK_EXT_BYTES, ZK_EXT_BYTES);
	memcpy(longer + off + ZK_EXT_BYTES, sparse + off, len - off);
	longer[20] = ZK_P2_WIDTH12 + 1;
	assert_int_equal(zk_stark_proof_decode(longer, len + ZK_EXT_BYTES, NULL,
					       NULL, &pf, err, sizeof(err)), 0);
	zk_stark_proof_free(&pf);
	assert_int_equal(verify(&c->air.air, longer, len + ZK_EXT_BYTES),
			 ZK_STARK_EPARAMS);
	free(longer);

	/* the set changed, same count: the transcript binds the set */
	for (uint32_t j = 0; j < ZK_P2_WIDTH12; j++)
		c->list[j] = j < 11 ? j : 12;
	other = with_list(c, c->list, ZK_P2_WIDTH12);
	assert_int_not_equal(verify(&other, sparse, len), ZK_STARK_ACCEPT);
	for (uint32_t j = 0; j < ZK_P2_WIDTH12; j++)
		c->list[j] = j;
	other = with_list(c, c->list, ZK_P2_WIDTH12);
	assert_int_equal(verify(&other, sparse, len), ZK_STARK_ACCEPT);

	assert_int_equal(verify(&c->air.air, sparse, len), ZK_STARK_ACCEPT);
	free(sparse);
	free(full);
	chain_free(c);
	free(c);
}

/* Two tables on no bus: the chain (12 of 236 next-row columns) and
 * Fibonacci (all). */
static void test_multi(void **state)
{
	struct chain *c = malloc(sizeof(*c));
	struct zk_air_fib fib;
	zk_gl *fcols[2];
	struct zk_table tables[2];
	struct zk_table_trace traces[2];
	struct zk_multi_statement s;
	struct zk_prove_opts o = { .threads = 1, .debug = 1 };
	struct zk_air all;
	char err[256];
	uint8_t *proof;
	size_t len, flipped = 0;
	zk_gl res;

	(void)state;
	assert_non_null(c);
	chain_make(c, LOG_N);
	for (int i = 0; i < 2; i++) {
		fcols[i] = calloc(1u << 4, sizeof(zk_gl));
		assert_non_null(fcols[i]);
	}
	res = zk_air_fib_trace(1, 1, 4, fcols[0], fcols[1]);
	zk_air_fib_init(&fib, 1, 1, res);
	tables[0] = (struct zk_table){ &c->air.air, 0, NULL };
	tables[1] = (struct zk_table){ &fib.air, 0, NULL };
	traces[0] = (struct zk_table_trace){ (const zk_gl *const *)c->cols,
					     LOG_N };
	traces[1] = (struct zk_table_trace){ (const zk_gl *const *)fcols, 4 };
	s = (struct zk_multi_statement){ tables, 2, 0, NULL };
	assert_int_equal(zk_stark_multi_prove(&s,
			 zk_stark_params_by_id(ZK_PARAMS_FAST), traces, &o,
			 &proof, &len, err, sizeof(err)), 0);
	assert_int_equal(zk_stark_multi_verify(&s, ZK_PARAMS_FAST, proof, len,
					       err, sizeof(err)),
			 ZK_STARK_ACCEPT);
	/* the chain's T(zω) values: after its header (u8 log_n, 3 × u32),
	 * main and composition roots and main T(z), behind the 12-byte
	 * proof header (no sums) */
	for (size_t i = 0; i < ZK_P2_WIDTH12 * ZK_EXT_BYTES; i += 7) {
		size_t pos = 12 + 13 + 2 * ZK_DIGEST_BYTES +
			     ZK_P2CHAIN_WIDTH * ZK_EXT_BYTES + i;

		proof[pos] ^= 0x04;
		if (zk_stark_multi_verify(&s, ZK_PARAMS_FAST, proof, len, err,
					  sizeof(err)) == ZK_STARK_ACCEPT)
			fail_msg("flipping byte %zu of T(zω) accepted", i);
		proof[pos] ^= 0x04;
		flipped++;
	}
	assert_true(flipped > 40);
	/* the set changed: the chain's AIR listing every column */
	all = with_list(c, NULL, 0);
	tables[0].air = &all;
	assert_int_not_equal(zk_stark_multi_verify(&s, ZK_PARAMS_FAST, proof,
						   len, err, sizeof(err)),
			     ZK_STARK_ACCEPT);
	tables[0].air = &c->air.air;
	assert_int_equal(zk_stark_multi_verify(&s, ZK_PARAMS_FAST, proof, len,
					       err, sizeof(err)),
			 ZK_STARK_ACCEPT);
	free(proof);
	free(fcols[0]);
	free(fcols[1]);
	chain_free(c);
	free(c);
}

/*
 * A narrow AIR with an aux segment and partial lists in both segments:
 * main a, b (Fibonacci, read at the next row) and c = a·b (not); aux
 * s' = s + r·a' (read at the next row) and u = r·s + b (not). Proved by
 * the stored prover (DEEP summed on D, deep_lde_rows) and the streaming
 * one (aux as coefficients, deep_aux_coeffs): the same bytes.
 */
#define MIX_LOG_N 6

static const uint32_t mix_main_next[] = { 0, 1 }, mix_aux_next[] = { 0 };

static void mix_eval_base(const void *ctx, const zk_gl *cur, const zk_gl *nxt,
			  const zk_gl *periodic, zk_gl *out)
{
	(void)ctx;
	(void)periodic;
	out[0] = zk_gl_sub(nxt[0], cur[1]);
	out[1] = zk_gl_sub(nxt[1], zk_gl_add(cur[0], cur[1]));
	out[2] = zk_gl_sub(cur[2], zk_gl_mul(cur[0], cur[1]));
}

static void mix_eval_ext(const void *ctx, const zk_ext *cur, const zk_ext *nxt,
			 const zk_ext *periodic, zk_ext *out)
{
	(void)ctx;
	(void)periodic;
	out[0] = zk_ext_sub(nxt[0], cur[1]);
	out[1] = zk_ext_sub(nxt[1], zk_ext_add(cur[0], cur[1]));
	out[2] = zk_ext_sub(cur[2], zk_ext_mul(cur[0], cur[1]));
}

static void mix_eval_aux(const void *ctx, const zk_ext *mc, const zk_ext *mn,
			 const zk_ext *ac, const zk_ext *an,
			 const zk_ext *periodic, const zk_ext *rand, zk_ext *out)
{
	(void)ctx;
	(void)periodic;
	out[0] = zk_ext_sub(an[0], zk_ext_add(ac[0], zk_ext_mul(rand[0], mn[0])));
	out[1] = zk_ext_sub(ac[1], zk_ext_add(zk_ext_mul(rand[0], ac[0]), mc[1]));
}

static int mix_build_aux(const void *ctx, const zk_gl *const *main,
			 unsigned log_n, const zk_ext *rand, zk_ext *const *aux)
{
	size_t n = (size_t)1 << log_n;

	(void)ctx;
	for (size_t i = 0; i < n; i++) {
		zk_ext ra = zk_ext_mul_base(rand[0], main[0][i]);

		aux[0][i] = i == 0 ? ra : zk_ext_add(aux[0][i - 1], ra);
		aux[1][i] = zk_ext_add(zk_ext_mul(rand[0], aux[0][i]),
				       zk_ext_from_base(main[1][i]));
	}
	return 0;
}

static size_t mix_assertions(const void *ctx, unsigned log_n,
			     const zk_ext *rand, struct zk_assertion *out)
{
	size_t k = 0;

	(void)ctx;
	(void)log_n;
	out[k++] = (struct zk_assertion){ ZK_SEG_MAIN, 0, 0, zk_ext_one() };
	out[k++] = (struct zk_assertion){ ZK_SEG_MAIN, 1, 0, zk_ext_one() };
	if (rand != NULL)
		out[k++] = (struct zk_assertion){ ZK_SEG_AUX, 0, 0, rand[0] };
	return k;
}

static void test_aux_lists(void **state)
{
	static const uint8_t pub[1] = { 1 };
	struct zk_air air = {
		.name = "next-row-mix", .version = 1, .main_width = 3,
		.aux_width = 2, .n_aux_rand = 1, .n_main_constraints = 3,
		.n_aux_constraints = 2, .max_degree = 2,
		.eval_main = mix_eval_base, .eval_main_ext = mix_eval_ext,
		.eval_aux = mix_eval_aux, .build_aux = mix_build_aux,
		.assertions = mix_assertions,
		.main_next = mix_main_next, .n_main_next = 2,
		.aux_next = mix_aux_next, .n_aux_next = 1,
		.pub = pub, .pub_len = sizeof(pub),
	};
	size_t n = (size_t)1 << MIX_LOG_N;
	zk_gl *cols[3];
	char err[256];

	(void)state;
	for (int c = 0; c < 3; c++) {
		cols[c] = calloc(n, sizeof(zk_gl));
		assert_non_null(cols[c]);
	}
	zk_air_fib_trace(1, 1, MIX_LOG_N, cols[0], cols[1]);
	for (size_t i = 0; i < n; i++)
		cols[2][i] = zk_gl_mul(cols[0][i], cols[1][i]);
	expect_exact(&air, "mix");
	for (uint8_t id = ZK_PARAMS_FAST; id <= ZK_PARAMS_COMPACT; id++) {
		uint8_t *proof[2];
		size_t len[2];

		for (int streaming = 0; streaming < 2; streaming++) {
			struct zk_prove_opts o = { .threads = 2, .debug = 1,
						   .streaming = streaming };

			assert_int_equal(zk_stark_prove(&air,
					 zk_stark_params_by_id(id),
					 (const zk_gl *const *)cols, MIX_LOG_N,
					 &o, &proof[streaming], &len[streaming],
					 err, sizeof(err)), 0);
			assert_int_equal(zk_stark_verify(&air, id,
							 proof[streaming],
							 len[streaming], err,
							 sizeof(err)),
					 ZK_STARK_ACCEPT);
		}
		assert_int_equal(len[0], len[1]);
		assert_memory_equal(proof[0], proof[1], len[0]);
		/* every aux T(zω) byte matters: the one value after the
		 * header, 3 roots, main T(z) [3], main T(zω) [2], aux T(z) [2] */
		for (size_t i = 0; i < ZK_EXT_BYTES; i++) {
			size_t pos = ZK_PROOF_HEADER_BYTES + 3 * ZK_DIGEST_BYTES +
				     7 * ZK_EXT_BYTES + i;

			proof[0][pos] ^= 0x20;
			assert_int_not_equal(zk_stark_verify(&air, id, proof[0],
							     len[0], err,
							     sizeof(err)),
					     ZK_STARK_ACCEPT);
			proof[0][pos] ^= 0x20;
		}
		free(proof[0]);
		free(proof[1]);
	}
	for (int c = 0; c < 3; c++)
		free(cols[c]);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest all[] = {
		cmocka_unit_test(test_probe_airs),
		cmocka_unit_test(test_debug_names_unlisted),
		cmocka_unit_test(test_bad_lists),
		cmocka_unit_test(test_proof),
		cmocka_unit_test(test_multi),
		cmocka_unit_test(test_aux_lists),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(all, NULL, NULL);
}
