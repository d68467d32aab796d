/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "poseidon2.h"
#include "poseidon2_internal.h"

/*
 * M_E = circ(2·M4, M4, ...), M4 applied with additions and shifts only
 * (the paper's 8-addition chain). Each output is at most 64 times the
 * largest input (4 blocks' worth of row sums of 16), so it stays below
 * 2^70 in 128-bit lanes and one reduction per output lane is enough.
 */
static inline void external_layer(uint64_t *x, unsigned width)
{
	zk_p2_u128 y[ZK_P2_WIDTH12];
	zk_p2_u128 col_sum[4] = {0, 0, 0, 0};
	unsigned blk, i;

	for (blk = 0; blk < width; blk += 4) {
		zk_p2_u128 a = x[blk], b = x[blk + 1], c = x[blk + 2], d = x[blk + 3];
		zk_p2_u128 ab = a + b, cd = c + d;
		zk_p2_u128 t2 = 2 * b + cd;
		zk_p2_u128 t3 = 2 * d + ab;
		zk_p2_u128 t4 = 4 * cd + t3;
		zk_p2_u128 t5 = 4 * ab + t2;

		y[blk] = t3 + t5;
		y[blk + 1] = t5;
		y[blk + 2] = t2 + t4;
		y[blk + 3] = t4;
		for (i = 0; i < 4; i++)
			col_sum[i] += y[blk + i];
	}
	for (i = 0; i < width; i++)
		x[i] = zk_p2_reduce_partial(y[i] + col_sum[i & 3]);
}

/*
 * M_I = J + diag(D): x_i ← D_i·x_i + Σ x_j. The sum of 12 words is below
 * 2^68 and (2^64 - 1)·(p - 1) + 2^68 < 2^128, so the sum is added to each
 * 128-bit product unreduced and each lane is reduced once.
 */
static inline void internal_layer(uint64_t *x, const zk_gl *diag,
				  unsigned width)
{
	zk_p2_u128 sum = 0;
	unsigned i;

	for (i = 0; i < width; i++)
		sum += x[i];
	for (i = 0; i < width; i++)
		x[i] = zk_p2_reduce_partial((zk_p2_u128)x[i] * diag[i] + sum);
}

static inline void full_round(uint64_t *x, const zk_gl *rc, unsigned width)
{
	unsigned i;

	for (i = 0; i < width; i++)
		x[i] = zk_p2_sbox7(zk_p2_add_const(x[i], rc[i]));
	external_layer(x, width);
}

static inline void permute(zk_gl *x, unsigned width, const zk_gl *rc_ext,
			   const zk_gl *rc_int, const zk_gl *diag)
{
	unsigned r, i;

	external_layer(x, width);
	for (r = 0; r < ZK_P2_FULL_ROUNDS / 2; r++)
		full_round(x, rc_ext + r * width, width);
	for (r = 0; r < ZK_P2_PARTIAL_ROUNDS; r++) {
		x[0] = zk_p2_sbox7(zk_p2_add_const(x[0], rc_int[r]));
		internal_layer(x, diag, width);
	}
	for (r = ZK_P2_FULL_ROUNDS / 2; r < ZK_P2_FULL_ROUNDS; r++)
		full_round(x, rc_ext + r * width, width);
	for (i = 0; i < width; i++)
		x[i] = zk_p2_canonical(x[i]);
}

void zk_poseidon2_w8(zk_gl state[ZK_P2_WIDTH8])
{
	permute(state, ZK_P2_WIDTH8, &zk_p2_w8_rc_ext[0][0], zk_p2_w8_rc_int,
		zk_p2_w8_diag);
}

void zk_poseidon2_w12(zk_gl state[ZK_P2_WIDTH12])
{
	permute(state, ZK_P2_WIDTH12, &zk_p2_w12_rc_ext[0][0], zk_p2_w12_rc_int,
		zk_p2_w12_diag);
}

void zk_p2_sponge_init(struct zk_p2_sponge *sp, uint64_t total_len)
{
	memset(sp, 0, sizeof(*sp));
	sp->state[ZK_P2_RATE] = zk_gl_from_u64(total_len);
	sp->state[ZK_P2_RATE + 1] = 1; /* never equal to a compression's start */
	sp->total_len = total_len;
}

void zk_p2_sponge_absorb(struct zk_p2_sponge *sp, const zk_gl *in, size_t n)
{
	size_t i;

	/* Permute lazily: a chunk that ends the input is permuted by finish. */
	for (i = 0; i < n; i++) {
		if (sp->pos == ZK_P2_RATE) {
			zk_poseidon2_w12(sp->state);
			sp->pos = 0;
		}
		sp->state[sp->pos] = zk_gl_add(sp->state[sp->pos], in[i]);
		sp->pos++;
	}
	sp->absorbed += n;
}

int zk_p2_sponge_finish(struct zk_p2_sponge *sp, zk_gl out[ZK_P2_DIGEST_ELEMS])
{
	if (sp->absorbed != sp->total_len)
		return -1;
	zk_poseidon2_w12(sp->state);
	memcpy(out, sp->state, ZK_P2_DIGEST_ELEMS * sizeof(zk_gl));
	return 0;
}

void zk_p2_hash(const zk_gl *in, size_t n, zk_gl out[ZK_P2_DIGEST_ELEMS])
{
	struct zk_p2_sponge sp;

	zk_p2_sponge_init(&sp, n);
	zk_p2_sponge_absorb(&sp, in, n);
	(void)zk_p2_sponge_finish(&sp, out); /* lengths agree by construction */
}

void zk_p2_compress_w8(const zk_gl left[ZK_P2_DIGEST_ELEMS],
		       const zk_gl right[ZK_P2_DIGEST_ELEMS],
		       zk_gl out[ZK_P2_DIGEST_ELEMS])
{
	zk_gl x[ZK_P2_WIDTH8];
	unsigned i;

	memcpy(x, left, ZK_P2_DIGEST_ELEMS * sizeof(zk_gl));
	memcpy(x + ZK_P2_DIGEST_ELEMS, right, ZK_P2_DIGEST_ELEMS * sizeof(zk_gl));
	zk_poseidon2_w8(x);
	for (i = 0; i < ZK_P2_DIGEST_ELEMS; i++)
		out[i] = zk_gl_add(x[i], left[i]);
}

void zk_p2_compress_w12(const zk_gl left[ZK_P2_DIGEST_ELEMS],
			const zk_gl right[ZK_P2_DIGEST_ELEMS],
			zk_gl out[ZK_P2_DIGEST_ELEMS])
{
	zk_gl x[ZK_P2_WIDTH12] = {0};
	unsigned i;

	memcpy(x, left, ZK_P2_DIGEST_ELEMS * sizeof(zk_gl));
	memcpy(x + ZK_P2_DIGEST_ELEMS, right, ZK_P2_DIGEST_ELEMS * sizeof(zk_gl));
	zk_poseidon2_w12(x);
	for (i = 0; i < ZK_P2_DIGEST_ELEMS; i++)
		out[i] = zk_gl_add(x[i], left[i]);
}
