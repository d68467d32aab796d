/* SPDX-License-Identifier: MIT */
/*
 * Goldilocks field: the out-of-line parts (inversion, batch inversion, roots
 * of unity) and the array kernels with their run-time dispatch.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define ZK_GL_HAVE_X86 1
#endif

#include "field.h"

/* a^(2^k) */
static inline zk_gl sqr_n(zk_gl a, unsigned int k)
{
	while (k--)
		a = zk_gl_sqr(a);
	return a;
}

/*
 * Fermat: a^(p-2), p-2 = (2^31-1)·2^33 + (2^32-1). The chain builds
 * x_k = a^(2^k-1) by x_{j+k} = x_j^(2^k)·x_k: 64 squarings and 9 products
 * instead of the 63 + 62 of plain square-and-multiply.
 */
static zk_gl inv_nonzero(zk_gl a)
{
	zk_gl x1 = a;
	zk_gl x2 = zk_gl_mul(zk_gl_sqr(x1), x1);
	zk_gl x3 = zk_gl_mul(zk_gl_sqr(x2), x1);
	zk_gl x6 = zk_gl_mul(sqr_n(x3, 3), x3);
	zk_gl x12 = zk_gl_mul(sqr_n(x6, 6), x6);
	zk_gl x24 = zk_gl_mul(sqr_n(x12, 12), x12);
	zk_gl x30 = zk_gl_mul(sqr_n(x24, 6), x6);
	zk_gl x31 = zk_gl_mul(zk_gl_sqr(x30), x1);
	zk_gl x32 = zk_gl_mul(zk_gl_sqr(x31), x1);

	return zk_gl_mul(sqr_n(x31, 33), x32);
}

bool zk_gl_inv(zk_gl a, zk_gl *out)
{
	if (a == 0)
		return false;
	*out = inv_nonzero(a);
	return true;
}

size_t zk_gl_batch_inv(zk_gl *restrict out, const zk_gl *restrict in, size_t n)
{
	size_t zeros = 0;
	zk_gl acc = 1;
	zk_gl inv;
	size_t i;

	/* out[i] = product of the non-zero in[0..i) */
	for (i = 0; i < n; i++) {
		out[i] = acc;
		if (in[i] != 0)
			acc = zk_gl_mul(acc, in[i]);
		else
			zeros++;
	}
	inv = inv_nonzero(acc); /* acc is a product of non-zeros, never 0 */
	for (i = n; i-- > 0;) {
		if (in[i] == 0)
			continue;
		/* inv = (product of non-zero in[0..i])^-1 */
		zk_gl prefix = out[i];
		out[i] = zk_gl_mul(inv, prefix);
		inv = zk_gl_mul(inv, in[i]);
	}
	for (i = 0; i < n && zeros; i++)
		if (in[i] == 0)
			out[i] = 0;
	return zeros;
}

zk_gl zk_gl_root_of_unity(unsigned int log_n)
{
	if (log_n > ZK_GL_TWO_ADICITY)
		return 0; /* no such subgroup; 0 is never a root of unity */
	return sqr_n(ZK_GL_TWO_ADIC_GENERATOR, ZK_GL_TWO_ADICITY - log_n);
}

/* ---- portable kernels ---- */

static void port_add(zk_gl *out, const zk_gl *a, const zk_gl *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = zk_gl_add(a[i], b[i]);
}

static void port_sub(zk_gl *out, const zk_gl *a, const zk_gl *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = zk_gl_sub(a[i], b[i]);
}

static void port_mul(zk_gl *out, const zk_gl *a, const zk_gl *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = zk_gl_mul(a[i], b[i]);
}

static void port_mul_scalar(zk_gl *out, const zk_gl *a, zk_gl s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = zk_gl_mul(a[i], s);
}

static void port_dif(zk_gl *x, zk_gl *y, const zk_gl *w, size_t m)
{
	for (size_t j = 0; j < m; j++) {
		zk_gl u = x[j], v = y[j];

		x[j] = zk_gl_add(u, v);
		y[j] = zk_gl_mul(zk_gl_sub(u, v), w[j]);
	}
}

static void port_dit(zk_gl *x, zk_gl *y, const zk_gl *w, size_t m)
{
	for (size_t j = 0; j < m; j++) {
		zk_gl u = x[j], v = zk_gl_mul(y[j], w[j]);

		x[j] = zk_gl_add(u, v);
		y[j] = zk_gl_sub(u, v);
	}
}

static const struct zk_gl_vec_ops portable_ops = {
	.name = "portable",
	.kind = ZK_GL_SIMD_PORTABLE,
	.add = port_add,
	.sub = port_sub,
	.mul = port_mul,
	.mul_scalar = port_mul_scalar,
	.dif_butterfly = port_dif,
	.dit_butterfly = port_dit,
};

#ifdef ZK_GL_HAVE_X86

/* ---- AVX2: 4 lanes ---- */

#define ZK_AVX2 __attribute__((target("avx2")))

/* AVX2 compares only signed 64-bit lanes: flip the sign bits first. */
ZK_AVX2 static inline __m256i avx2_ltu(__m256i a, __m256i b)
{
	const __m256i sign = _mm256_set1_epi64x(INT64_MIN);

	return _mm256_cmpgt_epi64(_mm256_xor_si256(b, sign),
				  _mm256_xor_si256(a, sign));
}

ZK_AVX2 static inline __m256i avx2_add(__m256i a, __m256i b)
{
	const __m256i p = _mm256_set1_epi64x((int64_t)ZK_GL_P);
	/* a + b = a - (p - b) + p; p - b is in [1, p] for canonical b */
	__m256i c = _mm256_sub_epi64(p, b);
	__m256i d = _mm256_sub_epi64(a, c);

	return _mm256_add_epi64(d, _mm256_and_si256(avx2_ltu(a, c), p));
}

ZK_AVX2 static inline __m256i avx2_sub(__m256i a, __m256i b)
{
	const __m256i p = _mm256_set1_epi64x((int64_t)ZK_GL_P);
	__m256i d = _mm256_sub_epi64(a, b);

	return _mm256_add_epi64(d, _mm256_and_si256(avx2_ltu(a, b), p));
}

/*
 * zk_gl_reduce128 lane-wise. AVX2 compares only signed lanes, so the
 * running value is kept with its sign bit flipped (x ^ 2^63): a signed
 * compare of two flipped values is the unsigned compare of the originals,
 * and adding an unflipped value to a flipped one stays flipped. Borrow and
 * carry are read off the running value itself (t0 > lo, t0 > r), which
 * needs no further flips.
 */
ZK_AVX2 static inline __m256i avx2_reduce(__m256i hi, __m256i lo)
{
	const __m256i sign = _mm256_set1_epi64x(INT64_MIN);
	const __m256i eps = _mm256_set1_epi64x((int64_t)ZK_GL_EPSILON);
	const __m256i pm1_s =
		_mm256_set1_epi64x((int64_t)((ZK_GL_P - 1) ^ (1ull << 63)));
	__m256i lo_s = _mm256_xor_si256(lo, sign);
	__m256i hi_hi = _mm256_srli_epi64(hi, 32);
	__m256i t0_s = _mm256_sub_epi64(lo_s, hi_hi);
	__m256i t1, r_s;

	/* borrow iff t0 > lo, since hi_hi < 2^32 */
	t0_s = _mm256_sub_epi64(t0_s, _mm256_and_si256(
		_mm256_cmpgt_epi64(t0_s, lo_s), eps));
	/* (hi mod 2^32)·(2^32 - 1): mul_epu32 reads only the low halves,
	 * one instruction where a mask, a shift and a subtraction were */
	t1 = _mm256_mul_epu32(hi, eps);
	r_s = _mm256_add_epi64(t0_s, t1);
	/* carry iff r < t0 */
	r_s = _mm256_add_epi64(r_s, _mm256_and_si256(
		_mm256_cmpgt_epi64(t0_s, r_s), eps));
	/* r > p - 1: r - p = r + eps (mod 2^64) */
	r_s = _mm256_add_epi64(r_s, _mm256_and_si256(
		_mm256_cmpgt_epi64(r_s, pm1_s), eps));
	return _mm256_xor_si256(r_s, sign);
}

/* 64x64->128 from four 32x32->64 partial products. */
ZK_AVX2 static inline __m256i avx2_mul(__m256i a, __m256i b)
{
	const __m256i lo32 = _mm256_set1_epi64x((int64_t)ZK_GL_EPSILON);
	/* mul_epu32 reads the low half of each lane: move the high halves
	 * down with a shuffle, leaving the shift unit to the sums below */
	__m256i a_hi = _mm256_shuffle_epi32(a, 0xF5);
	__m256i b_hi = _mm256_shuffle_epi32(b, 0xF5);
	__m256i ll = _mm256_mul_epu32(a, b);
	__m256i lh = _mm256_mul_epu32(a, b_hi);
	__m256i hl = _mm256_mul_epu32(a_hi, b);
	__m256i hh = _mm256_mul_epu32(a_hi, b_hi);
	/* hl + (ll >> 32) and lh + (that & lo32) cannot overflow 64 bits */
	__m256i t = _mm256_add_epi64(hl, _mm256_srli_epi64(ll, 32));
	__m256i u = _mm256_add_epi64(lh, _mm256_and_si256(t, lo32));
	__m256i lo = _mm256_blend_epi32(ll, _mm256_slli_epi64(u, 32), 0xAA);
	__m256i hi = _mm256_add_epi64(hh, _mm256_add_epi64(_mm256_srli_epi64(t, 32),
							    _mm256_srli_epi64(u, 32)));

	return avx2_reduce(hi, lo);
}

#define LD256(p) _mm256_loadu_si256((const __m256i *)(p))
#define ST256(p, v) _mm256_storeu_si256((__m256i *)(p), (v))

ZK_AVX2 static void avx2_vec_add(zk_gl *out, const zk_gl *a, const zk_gl *b,
				 size_t n)
{
	size_t i = 0;

	for (; i + 4 <= n; i += 4)
		ST256(out + i, avx2_add(LD256(a + i), LD256(b + i)));
	port_add(out + i, a + i, b + i, n - i);
}

ZK_AVX2 static void avx2_vec_sub(zk_gl *out, const zk_gl *a, const zk_gl *b,
				 size_t n)
{
	size_t i = 0;

	for (; i + 4 <= n; i += 4)
		ST256(out + i, avx2_sub(LD256(a + i), LD256(b + i)));
	port_sub(out + i, a + i, b + i, n - i);
}

ZK_AVX2 static void avx2_vec_mul(zk_gl *out, const zk_gl *a, const zk_gl *b,
				 size_t n)
{
	size_t i = 0;

	for (; i + 4 <= n; i += 4)
		ST256(out + i, avx2_mul(LD256(a + i), LD256(b + i)));
	port_mul(out + i, a + i, b + i, n - i);
}

ZK_AVX2 static void avx2_vec_mul_scalar(zk_gl *out, const zk_gl *a, zk_gl s,
					size_t n)
{
	__m256i sv = _mm256_set1_epi64x((int64_t)s);
	size_t i = 0;

	for (; i + 4 <= n; i += 4)
		ST256(out + i, avx2_mul(LD256(a + i), sv));
	port_mul_scalar(out + i, a + i, s, n - i);
}

ZK_AVX2 static void avx2_dif(zk_gl *x, zk_gl *y, const zk_gl *w, size_t m)
{
	size_t j = 0;

	for (; j + 4 <= m; j += 4) {
		__m256i u = LD256(x + j), v = LD256(y + j);

		ST256(x + j, avx2_add(u, v));
		ST256(y + j, avx2_mul(avx2_sub(u, v), LD256(w + j)));
	}
	port_dif(x + j, y + j, w + j, m - j);
}

ZK_AVX2 static void avx2_dit(zk_gl *x, zk_gl *y, const zk_gl *w, size_t m)
{
	size_t j = 0;

	for (; j + 4 <= m; j += 4) {
		__m256i u = LD256(x + j);
		__m256i v = avx2_mul(LD256(y + j), LD256(w + j));

		ST256(x + j, avx2_add(u, v));
		ST256(y + j, avx2_sub(u, v));
	}
	port_dit(x + j, y + j, w + j, m - j);
}

/*
 * x·2^48, the 4th root of unity of the radix-4 passes: the 128-bit
 * product is two shifts, no partial products.
 */
ZK_AVX2 static inline __m256i avx2_mul_w4(__m256i x)
{
	return avx2_reduce(_mm256_srli_epi64(x, 16), _mm256_slli_epi64(x, 48));
}

/*
 * Two DIF stages (spans 2m, m) on x0..x3 = a[j], a[j+m], a[j+2m],
 * a[j+3m] of a block of 4m. With T = w_4m, a = x0 + x2, b = x1 + x3,
 * c = x0 - x2 and d = (x1 - x3)·T^m, the span-2m stage gives
 * (a, b, T^j·c, T^j·d) and the span-m stage then
 *   z0 = a + b, z1 = (a - b)·T^2j, z2 = (c + d)·T^j, z3 = (c - d)·T^3j:
 * three general products and a shift-product per four elements where
 * two radix-2 stages take four general ones. T^m = 2^48 always.
 */
ZK_AVX2 static inline void avx2_dif4(__m256i *x0, __m256i *x1, __m256i *x2,
				     __m256i *x3, __m256i t1, __m256i t2,
				     __m256i t3)
{
	__m256i s02 = avx2_add(*x0, *x2), s13 = avx2_add(*x1, *x3);
	__m256i c = avx2_sub(*x0, *x2);
	__m256i d = avx2_mul_w4(avx2_sub(*x1, *x3));

	*x0 = avx2_add(s02, s13);
	*x1 = avx2_mul(avx2_sub(s02, s13), t2);
	*x2 = avx2_mul(avx2_add(c, d), t1);
	*x3 = avx2_mul(avx2_sub(c, d), t3);
}

/* The same for m = 1 (spans 2 and 1): every twiddle but T^m is 1. */
ZK_AVX2 static inline void avx2_dif4_unit(__m256i *x0, __m256i *x1,
					  __m256i *x2, __m256i *x3)
{
	__m256i s02 = avx2_add(*x0, *x2), s13 = avx2_add(*x1, *x3);
	__m256i c = avx2_sub(*x0, *x2);
	__m256i d = avx2_mul_w4(avx2_sub(*x1, *x3));

	*x0 = avx2_add(s02, s13);
	*x1 = avx2_sub(s02, s13);
	*x2 = avx2_add(c, d);
	*x3 = avx2_sub(c, d);
}

/*
 * The DIT's mirror (spans m, 2m): s = T^2j·x1, u = T^j·x2, v = T^3j·x3,
 * c = u + v and d = (u - v)·T^m give
 *   z0 = x0 + s + c, z2 = x0 + s - c, z1 = x0 - s + d, z3 = x0 - s - d.
 */
ZK_AVX2 static inline void avx2_dit4(__m256i *x0, __m256i *x1, __m256i *x2,
				     __m256i *x3, __m256i t1, __m256i t2,
				     __m256i t3)
{
	__m256i s = avx2_mul(*x1, t2);
	__m256i u = avx2_mul(*x2, t1), v = avx2_mul(*x3, t3);
	__m256i e = avx2_add(*x0, s), f = avx2_sub(*x0, s);
	__m256i c = avx2_add(u, v);
	__m256i d = avx2_mul_w4(avx2_sub(u, v));

	*x0 = avx2_add(e, c);
	*x2 = avx2_sub(e, c);
	*x1 = avx2_add(f, d);
	*x3 = avx2_sub(f, d);
}

ZK_AVX2 static inline void avx2_dit4_unit(__m256i *x0, __m256i *x1,
					  __m256i *x2, __m256i *x3)
{
	__m256i e = avx2_add(*x0, *x1), f = avx2_sub(*x0, *x1);
	__m256i c = avx2_add(*x2, *x3);
	__m256i d = avx2_mul_w4(avx2_sub(*x2, *x3));

	*x0 = avx2_add(e, c);
	*x2 = avx2_sub(e, c);
	*x1 = avx2_add(f, d);
	*x3 = avx2_sub(f, d);
}

/* 4 x 4 transpose of 64-bit lanes: row k becomes lane k of every row. */
ZK_AVX2 static inline void avx2_transpose4(__m256i *r0, __m256i *r1,
					   __m256i *r2, __m256i *r3)
{
	__m256i t0 = _mm256_unpacklo_epi64(*r0, *r1);
	__m256i t1 = _mm256_unpackhi_epi64(*r0, *r1);
	__m256i t2 = _mm256_unpacklo_epi64(*r2, *r3);
	__m256i t3 = _mm256_unpackhi_epi64(*r2, *r3);

	*r0 = _mm256_permute2x128_si256(t0, t2, 0x20);
	*r1 = _mm256_permute2x128_si256(t1, t3, 0x20);
	*r2 = _mm256_permute2x128_si256(t0, t2, 0x31);
	*r3 = _mm256_permute2x128_si256(t1, t3, 0x31);
}

/* w_16^3j for j < 4, from w_16^j and w_8^j = w_16^2j */
ZK_AVX2 static inline __m256i cube16(const zk_gl *w8, const zk_gl *w16)
{
	return _mm256_setr_epi64x(1, (int64_t)zk_gl_mul(w16[1], w8[1]),
				  (int64_t)zk_gl_mul(w16[2], w8[2]),
				  (int64_t)zk_gl_mul(w16[3], w8[3]));
}

/*
 * Spans 8, 4, 2 and 1 of a DIF on blocks of sixteen, in registers, as
 * two radix-4 passes: spans 8 and 4 on the block's four vectors as they
 * are (m = 4), then, transposed so that a lane holds one group of four,
 * spans 2 and 1 (m = 1: one shift-product, no general one).
 */
ZK_AVX2 static void avx2_dif_last4(zk_gl *a, size_t len, const zk_gl *w8,
				   const zk_gl *w16)
{
	const __m256i t1 = LD256(w16), t2 = LD256(w8), t3 = cube16(w8, w16);

	for (size_t i = 0; i < len; i += 16) {
		__m256i x0 = LD256(a + i), x1 = LD256(a + i + 4);
		__m256i x2 = LD256(a + i + 8), x3 = LD256(a + i + 12);

		avx2_dif4(&x0, &x1, &x2, &x3, t1, t2, t3);
		avx2_transpose4(&x0, &x1, &x2, &x3);
		avx2_dif4_unit(&x0, &x1, &x2, &x3);
		avx2_transpose4(&x0, &x1, &x2, &x3);
		ST256(a + i, x0);
		ST256(a + i + 4, x1);
		ST256(a + i + 8, x2);
		ST256(a + i + 12, x3);
	}
}

/* Spans 1, 2, 4 and 8 of a DIT the same way, in the other order. */
ZK_AVX2 static void avx2_dit_first4(zk_gl *a, size_t len, const zk_gl *w8,
				    const zk_gl *w16)
{
	const __m256i t1 = LD256(w16), t2 = LD256(w8), t3 = cube16(w8, w16);

	for (size_t i = 0; i < len; i += 16) {
		__m256i x0 = LD256(a + i), x1 = LD256(a + i + 4);
		__m256i x2 = LD256(a + i + 8), x3 = LD256(a + i + 12);

		avx2_transpose4(&x0, &x1, &x2, &x3);
		avx2_dit4_unit(&x0, &x1, &x2, &x3);
		avx2_transpose4(&x0, &x1, &x2, &x3);
		avx2_dit4(&x0, &x1, &x2, &x3, t1, t2, t3);
		ST256(a + i, x0);
		ST256(a + i + 4, x1);
		ST256(a + i + 8, x2);
		ST256(a + i + 12, x3);
	}
}

/* Two stages per pass over a block of 4m (struct zk_gl_vec_ops). */
ZK_AVX2 static void avx2_dif_radix4(zk_gl *a, size_t m, const zk_gl *t1,
				    const zk_gl *t2, const zk_gl *t3)
{
	zk_gl *a1 = a + m, *a2 = a1 + m, *a3 = a2 + m;

	for (size_t j = 0; j < m; j += 4) {
		__m256i x0 = LD256(a + j), x1 = LD256(a1 + j);
		__m256i x2 = LD256(a2 + j), x3 = LD256(a3 + j);

		avx2_dif4(&x0, &x1, &x2, &x3, LD256(t1 + j), LD256(t2 + j),
			  LD256(t3 + j));
		ST256(a + j, x0);
		ST256(a1 + j, x1);
		ST256(a2 + j, x2);
		ST256(a3 + j, x3);
	}
}

ZK_AVX2 static void avx2_dit_radix4(zk_gl *a, size_t m, const zk_gl *t1,
				    const zk_gl *t2, const zk_gl *t3)
{
	zk_gl *a1 = a + m, *a2 = a1 + m, *a3 = a2 + m;

	for (size_t j = 0; j < m; j += 4) {
		__m256i x0 = LD256(a + j), x1 = LD256(a1 + j);
		__m256i x2 = LD256(a2 + j), x3 = LD256(a3 + j);

		avx2_dit4(&x0, &x1, &x2, &x3, LD256(t1 + j), LD256(t2 + j),
			  LD256(t3 + j));
		ST256(a + j, x0);
		ST256(a1 + j, x1);
		ST256(a2 + j, x2);
		ST256(a3 + j, x3);
	}
}

static const struct zk_gl_vec_ops avx2_ops = {
	.name = "avx2",
	.kind = ZK_GL_SIMD_AVX2,
	.add = avx2_vec_add,
	.sub = avx2_vec_sub,
	.mul = avx2_vec_mul,
	.mul_scalar = avx2_vec_mul_scalar,
	.dif_butterfly = avx2_dif,
	.dit_butterfly = avx2_dit,
	.dif_last4 = avx2_dif_last4,
	.dit_first4 = avx2_dit_first4,
	.dif_radix4 = avx2_dif_radix4,
	.dit_radix4 = avx2_dit_radix4,
};

/* ---- AVX-512F: 8 lanes, unsigned compares into mask registers ---- */

#define ZK_AVX512 __attribute__((target("avx512f")))

ZK_AVX512 static inline __m512i avx512_add(__m512i a, __m512i b)
{
	const __m512i p = _mm512_set1_epi64((int64_t)ZK_GL_P);
	__m512i c = _mm512_sub_epi64(p, b);
	__m512i d = _mm512_sub_epi64(a, c);

	return _mm512_mask_add_epi64(d, _mm512_cmplt_epu64_mask(a, c), d, p);
}

ZK_AVX512 static inline __m512i avx512_sub(__m512i a, __m512i b)
{
	const __m512i p = _mm512_set1_epi64((int64_t)ZK_GL_P);
	__m512i d = _mm512_sub_epi64(a, b);

	return _mm512_mask_add_epi64(d, _mm512_cmplt_epu64_mask(a, b), d, p);
}

ZK_AVX512 static inline __m512i avx512_mul(__m512i a, __m512i b)
{
	const __m512i eps = _mm512_set1_epi64((int64_t)ZK_GL_EPSILON);
	const __m512i p = _mm512_set1_epi64((int64_t)ZK_GL_P);
	__m512i a_hi = _mm512_srli_epi64(a, 32);
	__m512i b_hi = _mm512_srli_epi64(b, 32);
	__m512i ll = _mm512_mul_epu32(a, b);
	__m512i lh = _mm512_mul_epu32(a, b_hi);
	__m512i hl = _mm512_mul_epu32(a_hi, b);
	__m512i hh = _mm512_mul_epu32(a_hi, b_hi);
	__m512i mid = _mm512_add_epi64(_mm512_srli_epi64(ll, 32),
				       _mm512_add_epi64(_mm512_and_si512(lh, eps),
							_mm512_and_si512(hl, eps)));
	__m512i lo = _mm512_mask_blend_epi32(0xAAAA, ll,
					     _mm512_slli_epi64(mid, 32));
	__m512i hi = _mm512_add_epi64(
		_mm512_add_epi64(hh, _mm512_srli_epi64(mid, 32)),
		_mm512_add_epi64(_mm512_srli_epi64(lh, 32),
				 _mm512_srli_epi64(hl, 32)));
	__m512i hi_hi = _mm512_srli_epi64(hi, 32);
	__m512i hi_lo = _mm512_and_si512(hi, eps);
	__m512i t0 = _mm512_sub_epi64(lo, hi_hi);
	__m512i t1, r;

	t0 = _mm512_mask_sub_epi64(t0, _mm512_cmplt_epu64_mask(lo, hi_hi), t0,
				   eps);
	t1 = _mm512_sub_epi64(_mm512_slli_epi64(hi_lo, 32), hi_lo);
	r = _mm512_add_epi64(t0, t1);
	r = _mm512_mask_add_epi64(r, _mm512_cmplt_epu64_mask(r, t1), r, eps);
	return _mm512_mask_sub_epi64(r, _mm512_cmpge_epu64_mask(r, p), r, p);
}

#define LD512(p) _mm512_loadu_si512((const void *)(p))
#define ST512(p, v) _mm512_storeu_si512((void *)(p), (v))

ZK_AVX512 static void avx512_vec_add(zk_gl *out, const zk_gl *a,
				     const zk_gl *b, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8)
		ST512(out + i, avx512_add(LD512(a + i), LD512(b + i)));
	port_add(out + i, a + i, b + i, n - i);
}

ZK_AVX512 static void avx512_vec_sub(zk_gl *out, const zk_gl *a,
				     const zk_gl *b, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8)
		ST512(out + i, avx512_sub(LD512(a + i), LD512(b + i)));
	port_sub(out + i, a + i, b + i, n - i);
}

ZK_AVX512 static void avx512_vec_mul(zk_gl *out, const zk_gl *a,
				     const zk_gl *b, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8)
		ST512(out + i, avx512_mul(LD512(a + i), LD512(b + i)));
	port_mul(out + i, a + i, b + i, n - i);
}

ZK_AVX512 static void avx512_vec_mul_scalar(zk_gl *out, const zk_gl *a,
					    zk_gl s, size_t n)
{
	__m512i sv = _mm512_set1_epi64((int64_t)s);
	size_t i = 0;

	for (; i + 8 <= n; i += 8)
		ST512(out + i, avx512_mul(LD512(a + i), sv));
	port_mul_scalar(out + i, a + i, s, n - i);
}

ZK_AVX512 static void avx512_dif(zk_gl *x, zk_gl *y, const zk_gl *w, size_t m)
{
	size_t j = 0;

	for (; j + 8 <= m; j += 8) {
		__m512i u = LD512(x + j), v = LD512(y + j);

		ST512(x + j, avx512_add(u, v));
		ST512(y + j, avx512_mul(avx512_sub(u, v), LD512(w + j)));
	}
	port_dif(x + j, y + j, w + j, m - j);
}

ZK_AVX512 static void avx512_dit(zk_gl *x, zk_gl *y, const zk_gl *w, size_t m)
{
	size_t j = 0;

	for (; j + 8 <= m; j += 8) {
		__m512i u = LD512(x + j);
		__m512i v = avx512_mul(LD512(y + j), LD512(w + j));

		ST512(x + j, avx512_add(u, v));
		ST512(y + j, avx512_sub(u, v));
	}
	port_dit(x + j, y + j, w + j, m - j);
}

static const struct zk_gl_vec_ops avx512_ops = {
	.name = "avx512",
	.kind = ZK_GL_SIMD_AVX512,
	.add = avx512_vec_add,
	.sub = avx512_vec_sub,
	.mul = avx512_vec_mul,
	.mul_scalar = avx512_vec_mul_scalar,
	.dif_butterfly = avx512_dif,
	.dit_butterfly = avx512_dit,
};

#endif /* ZK_GL_HAVE_X86 */

const struct zk_gl_vec_ops *zk_gl_vec_ops_for(enum zk_gl_simd kind)
{
	switch (kind) {
	case ZK_GL_SIMD_PORTABLE:
		return &portable_ops;
#ifdef ZK_GL_HAVE_X86
	case ZK_GL_SIMD_AVX2:
		return __builtin_cpu_supports("avx2") ? &avx2_ops : NULL;
	case ZK_GL_SIMD_AVX512:
		return __builtin_cpu_supports("avx512f") ? &avx512_ops : NULL;
#endif
	default:
		return NULL;
	}
}

/*
 * Preference order, best first, from perf/bench_field_ntt.c on the build
 * box (AMD EPYC with AVX2, no AVX-512): the AVX2 kernels run array mul
 * ~1.6x, the NTT butterfly ~2-2.5x and a 2^16 NTT ~2-2.8x faster than the
 * portable 64x64->128 code. (A plain add loop is as fast portable: the
 * compiler vectorises it by itself.)
 * AVX-512 ranks below AVX2 until it has been run and timed on a CPU that
 * has it: every AVX-512 CPU also has AVX2, so it is only used when asked
 * for with zk_gl_vec_ops_set_default(). test_field checks it wherever the
 * CPU supports it.
 */
static const enum zk_gl_simd preference[] = {
	ZK_GL_SIMD_AVX2,
	ZK_GL_SIMD_AVX512,
	ZK_GL_SIMD_PORTABLE,
};

static _Atomic(const struct zk_gl_vec_ops *) default_ops;

const struct zk_gl_vec_ops *zk_gl_vec_ops_default(void)
{
	const struct zk_gl_vec_ops *ops =
		atomic_load_explicit(&default_ops, memory_order_acquire);

	if (ops)
		return ops;
	/* racing first callers all pick the same path, so no lock */
	for (size_t i = 0; i < sizeof(preference) / sizeof(preference[0]); i++) {
		ops = zk_gl_vec_ops_for(preference[i]);
		if (ops)
			break;
	}
	if (!ops)
		ops = &portable_ops;
	atomic_store_explicit(&default_ops, ops, memory_order_release);
	return ops;
}

bool zk_gl_vec_ops_set_default(enum zk_gl_simd kind)
{
	const struct zk_gl_vec_ops *ops = zk_gl_vec_ops_for(kind);

	if (!ops)
		return false;
	atomic_store_explicit(&default_ops, ops, memory_order_release);
	return true;
}

void zk_gl_vec_add(zk_gl *out, const zk_gl *a, const zk_gl *b, size_t n)
{
	zk_gl_vec_ops_default()->add(out, a, b, n);
}

void zk_gl_vec_sub(zk_gl *out, const zk_gl *a, const zk_gl *b, size_t n)
{
	zk_gl_vec_ops_default()->sub(out, a, b, n);
}

void zk_gl_vec_mul(zk_gl *out, const zk_gl *a, const zk_gl *b, size_t n)
{
	zk_gl_vec_ops_default()->mul(out, a, b, n);
}

void zk_gl_vec_mul_scalar(zk_gl *out, const zk_gl *a, zk_gl s, size_t n)
{
	zk_gl_vec_ops_default()->mul_scalar(out, a, s, n);
}
