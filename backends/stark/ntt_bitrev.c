/* SPDX-License-Identifier: MIT */
/*
 * Bit-reversal permutations of NTT columns (ntt.h's order convention), by
 * 16 x 16 tiles so that both sides touch whole cache lines.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define ZK_BITREV_X86 1
#endif

#include "field.h"
#include "ntt.h"
#include "ntt_internal.h"

size_t zk_ntt_bitrev(size_t i, unsigned int log_n)
{
	uint64_t x = i;

	if (log_n == 0)
		return 0;
	x = ((x >> 1) & 0x5555555555555555ull) | ((x & 0x5555555555555555ull) << 1);
	x = ((x >> 2) & 0x3333333333333333ull) | ((x & 0x3333333333333333ull) << 2);
	x = ((x >> 4) & 0x0F0F0F0F0F0F0F0Full) | ((x & 0x0F0F0F0F0F0F0F0Full) << 4);
	return (size_t)(__builtin_bswap64(x) >> (64 - log_n));
}

/*
 * Bit reversal by tiles. With i = [hi:TILE_LOG][mid][lo:TILE_LOG] bits,
 * bitrev(i) = [rev lo][rev mid][rev hi]: for one mid, the 2^TILE_LOG rows of
 * 2^TILE_LOG contiguous elements land on 2^TILE_LOG other rows, so both
 * sides touch 16 rows of 128 bytes instead of one cache line and one TLB
 * entry per element (a plain gather over 2^20 elements costs twice the NTT).
 */
#define TILE_LOG 4
#define TILE ((size_t)1 << TILE_LOG)

struct tile_geom {
	unsigned int log_n;
	unsigned int mid_log;
	size_t row_stride; /* distance between consecutive hi rows */
	size_t rev_q[TILE];
	bool avx2;
};

static void tile_geom_init(struct tile_geom *g, unsigned int log_n)
{
	g->log_n = log_n;
	g->mid_log = log_n - 2 * TILE_LOG;
	g->row_stride = (size_t)1 << (log_n - TILE_LOG);
	for (size_t i = 0; i < TILE; i++)
		g->rev_q[i] = zk_ntt_bitrev(i, TILE_LOG);
#ifdef ZK_BITREV_X86
	/* the field's path decides, so the portable one is testable here */
	g->avx2 = zk_gl_vec_ops_default()->kind != ZK_GL_SIMD_PORTABLE &&
		  __builtin_cpu_supports("avx2");
#else
	g->avx2 = false;
#endif
}

/*
 * Row hi of the tile into buf[rev(hi)]: then row lo of the destination
 * is column lo of buf, and the store below is a plain transpose.
 */
static void tile_load(const struct tile_geom *g, zk_gl buf[TILE][TILE],
		      const zk_gl *src, size_t mid)
{
	for (size_t hi = 0; hi < TILE; hi++)
		memcpy(buf[g->rev_q[hi]], src + hi * g->row_stride +
		       (mid << TILE_LOG), sizeof(buf[0]));
}

#ifdef ZK_BITREV_X86
/*
 * The transpose by 4 x 4 blocks in registers: four row loads, eight
 * shuffles and four row stores per block, where the scalar loop did an
 * index load, a load and a store per element.
 */
__attribute__((target("avx2")))
static void tile_store_avx2(const struct tile_geom *g, zk_gl *dst,
			    zk_gl buf[TILE][TILE], size_t rmid)
{
	for (size_t cj = 0; cj < TILE; cj += 4) {
		zk_gl *rows[4];

		for (size_t k = 0; k < 4; k++)
			rows[k] = dst + g->rev_q[cj + k] * g->row_stride +
				  (rmid << TILE_LOG);
		for (size_t ri = 0; ri < TILE; ri += 4) {
			__m256i r0 = _mm256_loadu_si256((const __m256i *)&buf[ri][cj]);
			__m256i r1 = _mm256_loadu_si256((const __m256i *)&buf[ri + 1][cj]);
			__m256i r2 = _mm256_loadu_si256((const __m256i *)&buf[ri + 2][cj]);
			__m256i r3 = _mm256_loadu_si256((const __m256i *)&buf[ri + 3][cj]);
			__m256i t0 = _mm256_unpacklo_epi64(r0, r1);
			__m256i t1 = _mm256_unpackhi_epi64(r0, r1);
			__m256i t2 = _mm256_unpacklo_epi64(r2, r3);
			__m256i t3 = _mm256_unpackhi_epi64(r2, r3);

			_mm256_storeu_si256((__m256i *)(rows[0] + ri),
				_mm256_permute2x128_si256(t0, t2, 0x20));
			_mm256_storeu_si256((__m256i *)(rows[1] + ri),
				_mm256_permute2x128_si256(t1, t3, 0x20));
			_mm256_storeu_si256((__m256i *)(rows[2] + ri),
				_mm256_permute2x128_si256(t0, t2, 0x31));
			_mm256_storeu_si256((__m256i *)(rows[3] + ri),
				_mm256_permute2x128_si256(t1, t3, 0x31));
		}
	}
}
#endif

/*
 * Element (hi, mid, lo) of the source goes to position
 * bitrev((hi, mid, lo)) = (rev lo, rev mid, rev hi): row rev(lo) of the
 * destination, column rev(hi), which tile_load put at buf[rev hi][lo].
 */
static void tile_store_reversed(const struct tile_geom *g, zk_gl *dst,
				zk_gl buf[TILE][TILE], size_t mid)
{
	size_t rmid = zk_ntt_bitrev(mid, g->mid_log);

#ifdef ZK_BITREV_X86
	if (g->avx2) {
		tile_store_avx2(g, dst, buf, rmid);
		return;
	}
#endif
	for (size_t lo = 0; lo < TILE; lo++) {
		zk_gl *row = dst + g->rev_q[lo] * g->row_stride + (rmid << TILE_LOG);

		for (size_t q = 0; q < TILE; q++)
			row[q] = buf[q][lo];
	}
}

/* dst[bitrev(i)] = src[i] for the tiles mid in [mid_lo, mid_hi). */
static void bitrev_copy_tiles(zk_gl *dst, const zk_gl *src,
			      const struct tile_geom *g, size_t mid_lo,
			      size_t mid_hi)
{
	zk_gl buf[TILE][TILE];

	for (size_t mid = mid_lo; mid < mid_hi; mid++) {
		tile_load(g, buf, src, mid);
		tile_store_reversed(g, dst, buf, mid);
	}
}

/* How many work items a bit-reversed copy of 2^log_n splits into. */
size_t zk_ntt_bitrev_items(unsigned int log_n)
{
	return log_n >= 2 * TILE_LOG ? (size_t)1 << (log_n - 2 * TILE_LOG)
				     : (size_t)1 << log_n;
}

/* Out of place: dst[i] = src[bitrev(i)] for items [lo, hi). */
void zk_ntt_bitrev_copy(zk_gl *dst, const zk_gl *src, unsigned int log_n,
			size_t lo, size_t hi)
{
	struct tile_geom g;

	if (log_n < 2 * TILE_LOG) {
		for (size_t i = lo; i < hi; i++)
			dst[i] = src[zk_ntt_bitrev(i, log_n)];
		return;
	}
	tile_geom_init(&g, log_n);
	bitrev_copy_tiles(dst, src, &g, lo, hi);
}

void zk_ntt_bitrev_permute(zk_gl *col, unsigned int log_n)
{
	zk_gl a[TILE][TILE], b[TILE][TILE];
	struct tile_geom g;
	size_t n = (size_t)1 << log_n;

	if (log_n < 2 * TILE_LOG) {
		for (size_t i = 0; i < n; i++) {
			size_t r = zk_ntt_bitrev(i, log_n);

			if (i < r) {
				zk_gl t = col[i];

				col[i] = col[r];
				col[r] = t;
			}
		}
		return;
	}
	/* tiles mid and bitrev(mid) trade places; both are read first */
	tile_geom_init(&g, log_n);
	for (size_t mid = 0; mid < ((size_t)1 << g.mid_log); mid++) {
		size_t rmid = zk_ntt_bitrev(mid, g.mid_log);

		if (rmid < mid)
			continue;
		tile_load(&g, a, col, mid);
		if (rmid != mid) {
			tile_load(&g, b, col, rmid);
			tile_store_reversed(&g, col, b, rmid);
		}
		tile_store_reversed(&g, col, a, mid);
	}
}
