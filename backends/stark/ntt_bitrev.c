/* SPDX-License-Identifier: MIT */
/*
 * Bit-reversal permutations of NTT columns (ntt.h's order convention), by
 * 16 x 16 tiles so that both sides touch whole cache lines.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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
};

static void tile_geom_init(struct tile_geom *g, unsigned int log_n)
{
	g->log_n = log_n;
	g->mid_log = log_n - 2 * TILE_LOG;
	g->row_stride = (size_t)1 << (log_n - TILE_LOG);
	for (size_t i = 0; i < TILE; i++)
		g->rev_q[i] = zk_ntt_bitrev(i, TILE_LOG);
}

static void tile_load(const struct tile_geom *g, zk_gl buf[TILE][TILE],
		      const zk_gl *src, size_t mid)
{
	for (size_t hi = 0; hi < TILE; hi++)
		memcpy(buf[hi], src + hi * g->row_stride + (mid << TILE_LOG),
		       sizeof(buf[hi]));
}

/* Element (hi, mid, lo) of buf goes to position bitrev((hi, mid, lo)). */
static void tile_store_reversed(const struct tile_geom *g, zk_gl *dst,
				zk_gl buf[TILE][TILE], size_t mid)
{
	size_t rmid = zk_ntt_bitrev(mid, g->mid_log);

	for (size_t lo = 0; lo < TILE; lo++) {
		zk_gl *row = dst + g->rev_q[lo] * g->row_stride + (rmid << TILE_LOG);

		for (size_t hi = 0; hi < TILE; hi++)
			row[g->rev_q[hi]] = buf[hi][lo];
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
