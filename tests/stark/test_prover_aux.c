/* SPDX-License-Identifier: MIT */
/*
 * The quotient step's aux helpers (backends/stark/prover_aux.c) on their
 * own: the delayed-reduction α-combination against the F_p3 product sum
 * it replaces, on edge limbs (every limb p - 1: the most carries) and up
 * to ZK_AIR_MAX_CONSTRAINTS constraints; the tile copy against the
 * per-point gather, with next rows that wrap; the rows transposed from a
 * column-major tile.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "prover_aux.h"
#include "prover_internal.h"
#include "stark.h"

static const zk_gl edges[] = {
	0, 1, 2, 7, ZK_GL_P - 1, ZK_GL_P - 2, (1ull << 32) - 1, 1ull << 32,
	ZK_GL_EPSILON, 1ull << 63, ZK_GL_P >> 1,
};
#define N_EDGES (sizeof(edges) / sizeof(edges[0]))

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* mode 0: uniform; 1: an edge value one time in two; 2: p - 1 */
static zk_gl test_gl(uint64_t *x, unsigned mode)
{
	uint64_t z = splitmix(x);

	if (mode == 2)
		return ZK_GL_P - 1;
	if (mode == 1 && (z & 1))
		return edges[(z >> 1) % N_EDGES];
	return zk_gl_from_u64(splitmix(x));
}

static zk_ext test_ext(uint64_t *x, unsigned mode)
{
	zk_ext r;

	for (unsigned e = 0; e < ZK_EXT_DEGREE; e++)
		r.c[e] = test_gl(x, mode);
	return r;
}

/* The fields zk_aux_eval_init reads, for an AIR of nmc main and nac aux
 * constraints over aw aux columns. */
struct fake {
	struct zk_air air;
	struct zk_prover pv;
	zk_ext *alphas;
};

static void fake_init(struct fake *f, uint32_t nmc, uint32_t nac, uint32_t aw,
		      uint64_t *rng, unsigned mode)
{
	memset(f, 0, sizeof(*f));
	f->air.n_main_constraints = nmc;
	f->air.n_aux_constraints = nac;
	f->air.aux_width = aw;
	f->alphas = malloc((nmc + nac + 1) * sizeof(zk_ext));
	assert_non_null(f->alphas);
	for (uint32_t k = 0; k < nmc + nac; k++)
		f->alphas[k] = test_ext(rng, mode);
	f->pv.air = &f->air;
	f->pv.alphas = f->alphas;
}

static void test_aux_combine(void **state)
{
	static const uint32_t counts[] = { 1, 2, 7, 18, 300,
					   ZK_AIR_MAX_CONSTRAINTS };
	uint64_t rng = 0xc0b1;

	(void)state;
	for (size_t t = 0; t < sizeof(counts) / sizeof(counts[0]); t++)
		for (unsigned mode = 0; mode < 3; mode++) {
			uint32_t nac = counts[t];
			struct fake f;
			struct zk_aux_eval a;
			zk_ext *out = malloc(nac * sizeof(zk_ext));
			zk_ext want = zk_ext_zero(), got;

			assert_non_null(out);
			fake_init(&f, 5, nac, 1, &rng, mode);
			assert_int_equal(zk_aux_eval_init(&a, &f.pv, 4), 0);
			for (uint32_t k = 0; k < nac; k++) {
				out[k] = test_ext(&rng, mode);
				want = zk_ext_add(want, zk_ext_mul(f.alphas[5 + k],
								   out[k]));
			}
			got = zk_aux_eval_combine(&a, out);
			if (!zk_ext_eq(got, want))
				fail_msg("%u constraints, mode %u: combine "
					 "differs from the product sum", nac,
					 mode);
			assert_true(zk_ext_is_canonical(got));
			zk_aux_eval_free(&a);
			free(f.alphas);
			free(out);
		}
}

static void test_aux_tile(void **state)
{
	enum { AW = 5, STRIDE = 64, ROWS = 32 };
	zk_gl *view = malloc(ZK_EXT_DEGREE * AW * STRIDE * sizeof(zk_gl));
	uint64_t rng = 0x711e;
	struct fake f;
	struct zk_aux_eval a;
	size_t nx[ROWS];

	(void)state;
	assert_non_null(view);
	for (size_t k = 0; k < ZK_EXT_DEGREE * AW * STRIDE; k++)
		view[k] = test_gl(&rng, 1);
	fake_init(&f, 2, 3, AW, &rng, 0);
	assert_int_equal(zk_aux_eval_init(&a, &f.pv, ROWS), 0);
	for (size_t at = 0; at + ROWS <= STRIDE; at += 13)
		for (size_t len = 1; len <= ROWS; len += 7) {
			/* next rows: a run that wraps to the view's start */
			for (size_t k = 0; k < len; k++)
				nx[k] = (at + 9 + k) % STRIDE;
			zk_aux_eval_tile(&a, view, STRIDE, at, nx, len);
			for (size_t k = 0; k < len; k++)
				for (size_t c = 0; c < AW; c++) {
					const zk_gl *col = view +
						ZK_EXT_DEGREE * c * STRIDE;

					assert_true(zk_ext_eq(a.cur[k * AW + c],
						zk_ext_gather(col + at + k, STRIDE)));
					assert_true(zk_ext_eq(a.nxt[k * AW + c],
						zk_ext_gather(col + nx[k], STRIDE)));
				}
		}
	zk_aux_eval_free(&a);
	free(f.alphas);
	free(view);
}

/* Widths around the eight-column passes, every tile length. */
static void test_rows_from_tile(void **state)
{
	enum { TILE = 32, MAXW = 21 };
	zk_gl tcur[MAXW * TILE], tnxt[MAXW * TILE];
	zk_gl cur[TILE * MAXW], nxt[TILE * MAXW];
	uint64_t rng = 0x70f1;

	(void)state;
	for (size_t k = 0; k < MAXW * TILE; k++) {
		tcur[k] = test_gl(&rng, 1);
		tnxt[k] = test_gl(&rng, 1);
	}
	for (size_t w = 1; w <= MAXW; w++)
		for (size_t len = 1; len <= TILE; len++) {
			memset(cur, 0xa5, sizeof(cur));
			memset(nxt, 0xa5, sizeof(nxt));
			zk_rows_from_tile(tcur, tnxt, TILE, w, len, cur, nxt);
			for (size_t k = 0; k < len; k++)
				for (size_t c = 0; c < w; c++) {
					assert_int_equal(cur[k * w + c],
							 tcur[c * TILE + k]);
					assert_int_equal(nxt[k * w + c],
							 tnxt[c * TILE + k]);
				}
			/* nothing past the rows asked for */
			for (size_t k = len * w; k < TILE * MAXW; k++)
				assert_int_equal(cur[k], 0xa5a5a5a5a5a5a5a5ull);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aux_combine),
		cmocka_unit_test(test_aux_tile),
		cmocka_unit_test(test_rows_from_tile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
