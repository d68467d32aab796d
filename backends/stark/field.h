/* SPDX-License-Identifier: MIT */
/*
 * Goldilocks prime field F_p, p = 2^64 - 2^32 + 1.
 *
 * Spec
 *  - An element is a uint64_t in canonical form, 0 <= x < p. Every function
 *    here takes canonical inputs and returns canonical outputs, so equality of
 *    elements is equality of integers and the encoding of an element is unique
 *    (the proof format and the transcript rely on that).
 *  - Reduction uses 2^64 ≡ 2^32 - 1 (mod p) and 2^96 ≡ -1 (mod p).
 *  - No data-dependent branches: carry and borrow fix-ups are masks. That
 *    is for speed (random field elements mispredict every such branch),
 *    not secrecy; nothing here is secret.
 *  - 0 has no inverse. zk_gl_inv() therefore reports success separately from
 *    the value and the compiler warns when the report is ignored; the batch
 *    inverse maps zeros to 0 and returns how many it met.
 *  - Constants (checked in tests/stark/test_field.c):
 *      multiplicative generator 7 (generates F_p^*, p-1 = 2^32·3·5·17·257·65537)
 *      two-adic generator g = 7^((p-1)/2^32) = 0x185629dcda58878c, a primitive
 *      2^32-th root of unity (the same value Plonky2 publishes as
 *      POWER_OF_TWO_GENERATOR in field/src/goldilocks_field.rs);
 *      zk_gl_root_of_unity(k) = g^(2^(32-k)) generates the order-2^k subgroup.
 *  - Array operations (zk_gl_vec_*) run on the portable, AVX2 or AVX-512 code
 *    path picked at run time from what the CPU supports and which path
 *    measured fastest (perf/bench_field_ntt.c; see field.c); every path
 *    gives identical results. `out` may be the same array as an input, but must not partially
 *    overlap one.
 */
#ifndef ZKCLOB_STARK_FIELD_H
#define ZKCLOB_STARK_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ZK_GL_P       0xFFFFFFFF00000001ull
#define ZK_GL_EPSILON 0x00000000FFFFFFFFull /* 2^64 mod p */
#define ZK_GL_MULTIPLICATIVE_GENERATOR 7ull
#define ZK_GL_TWO_ADICITY 32
#define ZK_GL_TWO_ADIC_GENERATOR 0x185629DCDA58878Cull

#define ZK_GL_MUST_CHECK __attribute__((warn_unused_result))

typedef uint64_t zk_gl;

/* All ones when cond holds, else 0: fix-ups become and/add, not branches. */
static inline uint64_t zk_gl_mask(int cond)
{
	return -(uint64_t)(cond != 0);
}

static inline zk_gl zk_gl_add(zk_gl a, zk_gl b)
{
	/* a + b = a - (p - b), plus p on borrow; p - b is in [1, p] */
	uint64_t c = ZK_GL_P - b;
	uint64_t d = a - c;

	return d + (ZK_GL_P & zk_gl_mask(a < c));
}

static inline zk_gl zk_gl_sub(zk_gl a, zk_gl b)
{
	uint64_t d = a - b;

	return d + (ZK_GL_P & zk_gl_mask(a < b)); /* a-b+2^64+p wraps to a-b+p */
}

static inline zk_gl zk_gl_neg(zk_gl a)
{
	return zk_gl_sub(0, a);
}

/* Reduce any 128-bit value to canonical form. */
static inline zk_gl zk_gl_reduce128(unsigned __int128 x)
{
	uint64_t lo = (uint64_t)x;
	uint64_t hi = (uint64_t)(x >> 64);
	uint64_t hi_hi = hi >> 32;
	uint64_t hi_lo = hi & ZK_GL_EPSILON;
	uint64_t t0, t1, r;
	int borrow, carry;

	/* borrow: add p, i.e. subtract 2^64 - p */
	borrow = __builtin_sub_overflow(lo, hi_hi, &t0);
	t0 -= ZK_GL_EPSILON & zk_gl_mask(borrow);
	t1 = (hi_lo << 32) - hi_lo; /* hi_lo * (2^32 - 1) < 2^64 */
	carry = __builtin_add_overflow(t0, t1, &r);
	r += ZK_GL_EPSILON & zk_gl_mask(carry);
	/* r >= p: r - p = r + 2^64 - p (mod 2^64) */
	return r + (ZK_GL_EPSILON & zk_gl_mask(r >= ZK_GL_P));
}

static inline zk_gl zk_gl_mul(zk_gl a, zk_gl b)
{
	return zk_gl_reduce128((unsigned __int128)a * b);
}

static inline zk_gl zk_gl_sqr(zk_gl a)
{
	return zk_gl_mul(a, a);
}

/* Map an arbitrary uint64 (e.g. a hash output word) into the field. */
static inline zk_gl zk_gl_from_u64(uint64_t x)
{
	return x + (ZK_GL_EPSILON & zk_gl_mask(x >= ZK_GL_P));
}

static inline bool zk_gl_is_canonical(uint64_t x)
{
	return x < ZK_GL_P;
}

/* Square-and-multiply; the exponent is public, so the branch is fine. */
static inline zk_gl zk_gl_pow(zk_gl base, uint64_t exp)
{
	zk_gl acc = 1;

	while (exp) {
		if (exp & 1)
			acc = zk_gl_mul(acc, base);
		base = zk_gl_sqr(base);
		exp >>= 1;
	}
	return acc;
}

/*
 * *out = a^-1 and true, or false (and *out untouched) when a == 0, which
 * has no inverse: callers must decide what a zero means for them.
 */
ZK_GL_MUST_CHECK bool zk_gl_inv(zk_gl a, zk_gl *out);

/*
 * out[i] = in[i]^-1 for non-zero in[i], out[i] = 0 where in[i] == 0, with
 * one field inversion for the whole array (Montgomery's trick). Returns the
 * number of zeros met, so a caller that expects none can assert on it.
 * `in` and `out` must not overlap (the backward pass rereads `in`).
 */
ZK_GL_MUST_CHECK size_t zk_gl_batch_inv(zk_gl *restrict out,
					const zk_gl *restrict in, size_t n);

/* Generator of the order-2^log_n subgroup; log_n <= ZK_GL_TWO_ADICITY. */
zk_gl zk_gl_root_of_unity(unsigned int log_n);

/* ---- arrays ---- */

enum zk_gl_simd {
	ZK_GL_SIMD_PORTABLE, /* 64x64->128 scalar multiply, any CPU */
	ZK_GL_SIMD_AVX2,     /* 4 lanes, 32x32 partial products */
	ZK_GL_SIMD_AVX512,   /* 8 lanes, mask-register fix-ups */
	ZK_GL_SIMD_COUNT
};

/*
 * One code path's kernels. Inputs must be canonical. The butterflies are
 * the NTT's inner loops over j < m:
 *   dif: (x, y) <- (x + y, (x - y)·w)      dit: (x, y) <- (x + w·y, x - w·y)
 */
struct zk_gl_vec_ops {
	const char *name;
	enum zk_gl_simd kind;
	void (*add)(zk_gl *out, const zk_gl *a, const zk_gl *b, size_t n);
	void (*sub)(zk_gl *out, const zk_gl *a, const zk_gl *b, size_t n);
	void (*mul)(zk_gl *out, const zk_gl *a, const zk_gl *b, size_t n);
	void (*mul_scalar)(zk_gl *out, const zk_gl *a, zk_gl s, size_t n);
	void (*dif_butterfly)(zk_gl *x, zk_gl *y, const zk_gl *w, size_t m);
	void (*dit_butterfly)(zk_gl *x, zk_gl *y, const zk_gl *w, size_t m);
	/*
	 * Optional (NULL: the NTT runs those stages one by one): the last
	 * four DIF stages (spans 8, 4, 2, 1) or the first four DIT stages
	 * (spans 1, 2, 4, 8) on every block of 16 of a[0..len), len a
	 * multiple of 16; w8 = w_8^j (j < 4) and w16 = w_16^j (j < 8) are
	 * the span-4 and span-8 twiddles.
	 */
	void (*dif_last4)(zk_gl *a, size_t len, const zk_gl *w8,
			  const zk_gl *w16);
	void (*dit_first4)(zk_gl *a, size_t len, const zk_gl *w8,
			   const zk_gl *w16);
	/*
	 * Optional (NULL: one stage at a time): two stages on one block
	 * of 4m elements a[0..4m), m a multiple of 4, in one pass. DIF:
	 * span 2m with twiddles w_4m^j, then span m with w_4m^2j; DIT:
	 * span m with w_4m^2j, then span 2m with w_4m^j. t1[j] = w_4m^j,
	 * t2[j] = w_4m^2j, t3[j] = w_4m^3j for j < m, where w_4m^m is
	 * zk_gl_root_of_unity(2) = 2^48.
	 */
	void (*dif_radix4)(zk_gl *a, size_t m, const zk_gl *t1,
			   const zk_gl *t2, const zk_gl *t3);
	void (*dit_radix4)(zk_gl *a, size_t m, const zk_gl *t1,
			   const zk_gl *t2, const zk_gl *t3);
};

/* The kernels of one path, or NULL when this CPU cannot run it. */
const struct zk_gl_vec_ops *zk_gl_vec_ops_for(enum zk_gl_simd kind);

/* The path zk_gl_vec_* and the NTT use: the best this CPU runs. */
const struct zk_gl_vec_ops *zk_gl_vec_ops_default(void);

/*
 * Override that choice (benchmarks, or a CPU whose wide units throttle).
 * False if this CPU cannot run `kind`. Safe at any time: every path
 * computes the same values.
 */
ZK_GL_MUST_CHECK bool zk_gl_vec_ops_set_default(enum zk_gl_simd kind);

void zk_gl_vec_add(zk_gl *out, const zk_gl *a, const zk_gl *b, size_t n);
void zk_gl_vec_sub(zk_gl *out, const zk_gl *a, const zk_gl *b, size_t n);
void zk_gl_vec_mul(zk_gl *out, const zk_gl *a, const zk_gl *b, size_t n);
void zk_gl_vec_mul_scalar(zk_gl *out, const zk_gl *a, zk_gl s, size_t n);

#endif /* ZKCLOB_STARK_FIELD_H */
