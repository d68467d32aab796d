/* SPDX-License-Identifier: MIT */
/*
 * LogUp fraction groups: several fractions 1/(α - x_c) summed into one aux
 * cell, with the denominators cleared, for an AIR's eval_aux.
 *
 * Spec
 *  - A group of g (1 <= g <= ZK_LOGUP_MAX_GROUP) fractions with unit
 *    numerators has Σ_c 1/(α - x_c) = P'(α)/P(α), P(X) = Π_c (X - x_c).
 *    An aux cell h holding the sum is constrained by h·P(α) - P'(α) = 0,
 *    of degree g + 1 in the trace (h and the g values). It forces
 *    h = Σ_c 1/(α - x_c) wherever P(α) != 0, i.e. unless α equals one of
 *    the x_c (the AIR counts that event in its soundness bound).
 *  - zk_logup_group() evaluates h·P(α) - P'(α) (zk_logup_group_gl() for
 *    x_c given as base elements, an eval_aux_base). When every x_c lies in F_p
 *    (the prover, whose main-trace values reach eval_aux lifted into
 *    zk_ext) P's coefficients are formed in F_p and combined with the
 *    powers of α kept in struct zk_logup_alpha: 0/1/3/6 base products for
 *    g = 1..4, two short dot products per limb and one extension product. Otherwise
 *    (the verifier at the out-of-domain point) it multiplies in F_p3. Both
 *    paths compute the same polynomial, so they agree on every input.
 *  - zk_logup_alpha_init() costs g - 1 extension products;
 *    zk_logup_alpha_cached() keeps the last ones per thread, so a prover
 *    pays them once per thread rather than at every point.
 */
#ifndef ZKCLOB_STARK_AIR_LOGUP_H
#define ZKCLOB_STARK_AIR_LOGUP_H

#include <stdbool.h>
#include <stddef.h>

#include "ext3.h"
#include "field.h"

#define ZK_LOGUP_MAX_GROUP 4

struct zk_logup_alpha {
	unsigned g;
	zk_ext alpha;
	zk_ext pow[ZK_LOGUP_MAX_GROUP + 1];   /* α^j */
	zk_ext dpow[ZK_LOGUP_MAX_GROUP + 1];  /* j·α^(j-1), j >= 1 */
	zk_ext ndpow[ZK_LOGUP_MAX_GROUP + 1]; /* -dpow[j] */
};

static inline void zk_logup_alpha_init(struct zk_logup_alpha *a, zk_ext alpha,
				       unsigned g)
{
	a->g = g;
	a->alpha = alpha;
	a->pow[0] = zk_ext_one();
	a->dpow[0] = a->ndpow[0] = zk_ext_zero();
	for (unsigned j = 1; j <= g; j++) {
		a->pow[j] = j == 1 ? alpha : zk_ext_mul(a->pow[j - 1], alpha);
		a->dpow[j] = zk_ext_mul_base(a->pow[j - 1], (zk_gl)j);
		a->ndpow[j] = zk_ext_neg(a->dpow[j]);
	}
}

/*
 * The powers for (alpha, g) from this thread's cache: eval_aux is called
 * once per point with the same challenge, and the powers would otherwise
 * cost g - 1 extension products at every point. Pure in effect: the
 * result depends on the arguments only.
 */
static inline const struct zk_logup_alpha *zk_logup_alpha_cached(zk_ext alpha,
								 unsigned g)
{
	static _Thread_local struct zk_logup_alpha cache;
	static _Thread_local bool valid;

	if (!valid || cache.g != g || !zk_ext_eq(cache.alpha, alpha)) {
		zk_logup_alpha_init(&cache, alpha, g);
		valid = true;
	}
	return &cache;
}

/* Σ_j c[j]·w[j].c[e] for j < len (len <= ZK_LOGUP_MAX_GROUP), reduced once */
static inline zk_gl zk_logup_dot(const zk_gl *c, const zk_ext *w, unsigned e,
				 unsigned len)
{
	unsigned __int128 acc = 0;
	uint64_t carries = 0;

	for (unsigned j = 0; j < len; j++)
		carries += __builtin_add_overflow(
			acc, (unsigned __int128)c[j] * w[j].c[e], &acc);
	return zk_gl_sub(zk_gl_reduce128(acc), carries << 32);
}

/*
 * a·b + c·d reduced once: the carry out of 2^128 is worth -2^32 (as in
 * zk_logup_dot)
 */
static inline zk_gl zk_logup_mul_add2(zk_gl a, zk_gl b, zk_gl c, zk_gl d)
{
	unsigned __int128 acc = (unsigned __int128)a * b;
	uint64_t carry = __builtin_add_overflow(
		acc, (unsigned __int128)c * d, &acc);

	return zk_gl_sub(zk_gl_reduce128(acc), carry << 32);
}

/*
 * a·b + c + d reduced once: a·b <= (p - 1)^2 leaves room below 2^128 for
 * two more canonical terms
 */
static inline zk_gl zk_logup_mul_add(zk_gl a, zk_gl b, zk_gl c, zk_gl d)
{
	return zk_gl_reduce128((unsigned __int128)a * b + c + d);
}

/*
 * P's coefficients p[0..g] (p[g] = 1) from its roots by their elementary
 * symmetric functions, pairs first: 0, 1, 3 and 6 products for g = 1..4,
 * with 0, 1, 3 and 5 reductions (sums of products reduced once).
 */
static inline void zk_logup_poly(const zk_gl *x, unsigned g, zk_gl *p)
{
	zk_gl s1, p1, s2, p2;

	p[g] = 1;
	switch (g) {
	case 1:
		p[0] = zk_gl_neg(x[0]);
		return;
	case 2:
		p[1] = zk_gl_neg(zk_gl_add(x[0], x[1]));
		p[0] = zk_gl_mul(x[0], x[1]);
		return;
	case 3:
		s1 = zk_gl_add(x[0], x[1]);
		p1 = zk_gl_mul(x[0], x[1]);
		p[2] = zk_gl_neg(zk_gl_add(s1, x[2]));
		p[1] = zk_logup_mul_add(x[2], s1, p1, 0);
		p[0] = zk_gl_neg(zk_gl_mul(p1, x[2]));
		return;
	default:
		s1 = zk_gl_add(x[0], x[1]);
		p1 = zk_gl_mul(x[0], x[1]);
		s2 = zk_gl_add(x[2], x[3]);
		p2 = zk_gl_mul(x[2], x[3]);
		p[3] = zk_gl_neg(zk_gl_add(s1, s2));
		p[2] = zk_logup_mul_add(s1, s2, p1, p2);
		p[1] = zk_gl_neg(zk_logup_mul_add2(s1, p2, s2, p1));
		p[0] = zk_gl_mul(p1, p2);
		return;
	}
}

/* P(α) and P'(α) for x in F_p: P's coefficients in F_p, then α's powers */
static inline void zk_logup_group_base(const struct zk_logup_alpha *a,
				       const zk_gl *x, unsigned g, zk_ext *p_at,
				       zk_ext *dp_at)
{
	zk_gl p[ZK_LOGUP_MAX_GROUP + 1];

	zk_logup_poly(x, g, p);
	/* P(α) = p_0 + Σ_{1<=j<g} p_j·α^j + α^g */
	for (unsigned e = 0; e < ZK_EXT_DEGREE; e++)
		p_at->c[e] = zk_gl_add(zk_logup_dot(p + 1, a->pow + 1, e, g - 1),
				       a->pow[g].c[e]);
	p_at->c[0] = zk_gl_add(p_at->c[0], p[0]);
	/* P'(α) = p_1 + Σ_{2<=j<g} p_j·j·α^(j-1) + g·α^(g-1) */
	for (unsigned e = 0; e < ZK_EXT_DEGREE; e++)
		dp_at->c[e] = zk_gl_add(g > 2 ? zk_logup_dot(p + 2, a->dpow + 2, e,
							     g - 2) : 0,
					a->dpow[g].c[e]);
	if (g > 1)
		dp_at->c[0] = zk_gl_add(dp_at->c[0], p[1]);
}

/* The same for x in F_p3: (P, P') ← (P·f, P'·f + P) for each factor f */
static inline void zk_logup_group_ext(zk_ext alpha, const zk_ext *x, unsigned g,
				      zk_ext *p_at, zk_ext *dp_at)
{
	zk_ext p = zk_ext_one(), dp = zk_ext_zero();

	for (unsigned c = 0; c < g; c++) {
		zk_ext f = zk_ext_sub(alpha, x[c]);

		dp = zk_ext_add(zk_ext_mul(dp, f), p);
		p = zk_ext_mul(p, f);
	}
	*p_at = p;
	*dp_at = dp;
}

/*
 * h·P(α) - P'(α) for the g base values x[0..g) (g <= a->g), the prover's
 * hot path: P(α) is reduced (h multiplies it), but P'(α)'s products join
 * h·P(α)'s in one sum per limb, -P'(α) = Σ_{2<=j<g} p_j·(-j·α^(j-1)) +
 * (-g·α^(g-1)) - p_1 (the last only for g > 1; field.h's carry folding as
 * zk_logup_dot), so P'(α) costs no reduction of its own.
 */
static inline __attribute__((always_inline)) zk_ext
zk_logup_group_gl_g(const struct zk_logup_alpha *a, zk_ext h, const zk_gl *x,
		    unsigned g)
{
	zk_gl p[ZK_LOGUP_MAX_GROUP + 1];
	zk_gl hw[ZK_EXT_DEGREE];
	zk_ext p_at, r;

	_Static_assert(ZK_EXT_DEGREE == 3, "the limb products assume F_p3");
	zk_logup_poly(x, g, p);
	for (unsigned e = 0; e < ZK_EXT_DEGREE; e++)
		p_at.c[e] = zk_gl_add(zk_logup_dot(p + 1, a->pow + 1, e, g - 1),
				      a->pow[g].c[e]);
	p_at.c[0] = zk_gl_add(p_at.c[0], p[0]);
	/* (h·P)_e = Σ_i h_i·P_(e-i), a wrapped index times the non-residue */
	hw[0] = h.c[0];
	hw[1] = zk_ext_mul_nonresidue(h.c[1]);
	hw[2] = zk_ext_mul_nonresidue(h.c[2]);
	for (unsigned e = 0; e < ZK_EXT_DEGREE; e++) {
		unsigned __int128 acc = 0;
		uint64_t carries = 0;

		for (unsigned i = 0; i < ZK_EXT_DEGREE; i++) {
			zk_gl hi = i <= e ? h.c[i] : hw[i];

			carries += __builtin_add_overflow(
				acc, (unsigned __int128)hi *
					     p_at.c[(e + ZK_EXT_DEGREE - i) %
						    ZK_EXT_DEGREE], &acc);
		}
		for (unsigned j = 2; j < g; j++)
			carries += __builtin_add_overflow(
				acc, (unsigned __int128)p[j] * a->ndpow[j].c[e],
				&acc);
		r.c[e] = zk_gl_add(zk_gl_sub(zk_gl_reduce128(acc), carries << 32),
				   a->ndpow[g].c[e]);
	}
	if (g > 1)
		r.c[0] = zk_gl_sub(r.c[0], p[1]);
	return r;
}

/*
 * One instance per group width: with g a constant the short dot products
 * and zk_logup_poly's switch unroll and fold away, where loops over a
 * run-time g of two or three products did not. Inlined into the caller:
 * returned from a call, the result went through the stack as two 8-byte
 * stores read back by one 16-byte load, a store-forwarding stall that
 * took a tenth of the function's samples.
 */
static inline __attribute__((always_inline)) zk_ext
zk_logup_group_gl(const struct zk_logup_alpha *a, zk_ext h, const zk_gl *x,
		  unsigned g)
{
	_Static_assert(ZK_LOGUP_MAX_GROUP == 4, "one case per group width");
	switch (g) {
	case 1:
		return zk_logup_group_gl_g(a, h, x, 1);
	case 2:
		return zk_logup_group_gl_g(a, h, x, 2);
	case 3:
		return zk_logup_group_gl_g(a, h, x, 3);
	default:
		return zk_logup_group_gl_g(a, h, x, 4);
	}
}

/* h·P(α) - P'(α) for the g values x[0..g) (g <= a->g) */
static inline zk_ext zk_logup_group(const struct zk_logup_alpha *a, zk_ext h,
				    const zk_ext *x, unsigned g)
{
	zk_gl xb[ZK_LOGUP_MAX_GROUP];
	zk_ext p_at, dp_at;
	bool base = true;

	for (unsigned c = 0; c < g; c++) {
		base = base && zk_ext_is_base(x[c]);
		xb[c] = x[c].c[0];
	}
	if (base)
		return zk_logup_group_gl(a, h, xb, g);
	zk_logup_group_ext(a->alpha, x, g, &p_at, &dp_at);
	return zk_ext_sub(zk_ext_mul(h, p_at), dp_at);
}

#endif /* ZKCLOB_STARK_AIR_LOGUP_H */
