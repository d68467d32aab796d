/* SPDX-License-Identifier: MIT */
/*
 * The CLOB AIR's eval_main_x4 (air.h): clob_air_body.h instantiated a
 * third time, over four AVX2 lanes (air_template_x4.h), one trace row per
 * lane. The constraints stay defined once; this file only moves the
 * tile's columns into lanes and the lanes out to the prover's layout.
 * Built with -mavx2 (prover/meson.build) because the body's functions pass
 * __m256i by value; zk_clob_air_eval_x4() in clob_air.c, built without
 * it, decides at run time whether this code may run.
 */
#include <stddef.h>
#include <stdint.h>

#include "clob_air.h"
#include "zkclob/event.h"

#include "air_template_x4.h"
#include "clob_air_p2.h"
#include "clob_air_body.h"

/*
 * Column c of row r is cur[c·stride + r]; constraint k of row r goes to
 * out[4·k + r]. The lanes are staged in aligned arrays: the prover's
 * tile and output buffers have no 32-byte alignment, and the body indexes
 * its inputs as arrays of elements.
 */
void zk_clob_eval_x4_avx2(const void *ctx, const zk_gl *cur, const zk_gl *nxt,
			  size_t stride, const zk_gl *periodic, zk_gl *out)
{
	const struct zk_clob_air *c = ctx;
	zk_gl4 vcur[CLOB_WIDTH], vnxt[CLOB_WIDTH];
	zk_gl4 vout[ZK_AIR_MAX_CONSTRAINTS];
	unsigned n = c->air.n_main_constraints, i;

	(void)periodic;
	for (i = 0; i < CLOB_WIDTH; i++) {
		vcur[i] = _mm256_loadu_si256((const __m256i *)(cur + i * stride));
		vnxt[i] = _mm256_loadu_si256((const __m256i *)(nxt + i * stride));
	}
	clob_eval_x4(ctx, vcur, vnxt, NULL, vout);
	for (i = 0; i < n; i++)
		_mm256_storeu_si256((__m256i *)(out + 4 * (size_t)i), vout[i]);
}
