/* SPDX-License-Identifier: MIT */
/*
 * The CLOB AIR: constraint callbacks, the LogUp buses (aux segment),
 * assertions and the public-input encoding. clob_air.h has the layout,
 * docs/proof.md the argument.
 */
#include <stdlib.h>
#include <string.h>

#include "clob_air.h"
#include "zkclob/event.h"

#define ZKT_EXT 0
#include "air_template.h"
#include "clob_air_p2.h"
#include "clob_air_body.h"
#undef ZKT_EXT
#define ZKT_EXT 1
#include "air_template.h"
#include "clob_air_p2.h"
#include "clob_air_body.h"
#undef ZKT_EXT

zk_air_eval_x4_fn zk_clob_air_eval_x4(void)
{
#if defined(ZK_CLOB_HAVE_X4)
	if (__builtin_cpu_supports("avx2"))
		return zk_clob_eval_x4_avx2;
#endif
	return NULL;
}

static int clob_x4_off;

void zk_clob_air_x4_enable(int on)
{
	__atomic_store_n(&clob_x4_off, !on, __ATOMIC_RELAXED);
}

static int clob_aux_base_off;

void zk_clob_air_aux_base_enable(int on)
{
	__atomic_store_n(&clob_aux_base_off, !on, __ATOMIC_RELAXED);
}

static void put_u32(uint8_t **p, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		*(*p)++ = (uint8_t)(v >> (8 * i));
}

static void put_u64(uint8_t **p, uint64_t v)
{
	for (unsigned i = 0; i < 8; i++)
		*(*p)++ = (uint8_t)(v >> (8 * i));
}

void zk_clob_op_elems(const struct zk_op *op, zk_gl out[CLOB_OP_ELEMS])
{
	const uint64_t u64s[6] = { op->seq, op->order_id, op->new_order_id,
				   op->account, (uint64_t)op->price, op->qty };

	for (unsigned i = 0; i < 6; i++) {
		out[2 * i] = (uint32_t)u64s[i];
		out[2 * i + 1] = u64s[i] >> 32;
	}
	out[OPF_MARKET] = op->market;
	out[OPF_STP] = op->stp_group;
	out[OPF_TYPE] = op->type;
	out[OPF_SIDE] = op->side;
	out[OPF_ORD] = op->ord_type;
	out[OPF_TIF] = op->tif;
	out[OPF_FLAGS] = op->flags;
	out[OPF_RSV] = (zk_gl)op->reserved[0] | (zk_gl)op->reserved[1] << 8 |
		       (zk_gl)op->reserved[2] << 16;
}

void zk_clob_ev_elems(const struct zk_event *ev, zk_gl out[CLOB_EV_ELEMS])
{
	const uint64_t u64s[6] = { ev->order_id, ev->other_id,
				   (uint64_t)ev->price, ev->qty, ev->remaining,
				   ev->other_remaining };

	out[EVF_SEQ] = (uint32_t)ev->seq;
	out[EVF_SEQ + 1] = ev->seq >> 32;
	out[EVF_MARKET] = ev->market;
	out[EVF_TYPE] = ev->type;
	out[EVF_REASON] = ev->reason;
	out[EVF_SIDE] = ev->side;
	out[EVF_ZERO] = ev->zero;
	for (unsigned i = 0; i < 6; i++) {
		out[EVF_OID + 2 * i] = (uint32_t)u64s[i];
		out[EVF_OID + 2 * i + 1] = u64s[i] >> 32;
	}
}

static void beta_powers(const zk_ext *rand, zk_ext pow[CLOB_TUPLE_MAX])
{
	pow[0] = zk_ext_one();
	for (unsigned i = 1; i < CLOB_TUPLE_MAX; i++)
		pow[i] = zk_ext_mul(pow[i - 1], rand[1]);
}

static zk_ext lift(zk_gl v)
{
	return zk_ext_from_base(v);
}

/* row_terms' internal buses: 1 the fill bus, 2 the CANCEL_OLDEST STP bus
 * (not in the machinery variant, whose rows need not be a match's) */
static int bus_flags(const struct zk_clob_air *c)
{
	if (c->machinery_only)
		return 0;
	return 1 | (c->mp.stp == ZK_STP_CANCEL_OLDEST) << 1;
}

/*
 * β's powers for these challenges from this thread's cache: the prover
 * evaluates the aux constraints at every point with the same challenges,
 * and the powers cost CLOB_TUPLE_MAX - 1 F_p3 products. Pure in effect:
 * the result depends on rand alone.
 */
static const zk_ext *beta_powers_cached(const zk_ext *rand)
{
	static _Thread_local zk_ext pow[CLOB_TUPLE_MAX], beta;
	static _Thread_local bool valid;

	if (!valid || !zk_ext_eq(beta, rand[1])) {
		beta_powers(rand, pow);
		beta = rand[1];
		valid = true;
	}
	return pow;
}

/*
 * Σ β^j·t_j over base-field elements, each coefficient's products summed
 * in 128 bits and reduced once (a tuple's public fingerprint needs no
 * extension-field product). The op and event tuples are 32-bit limbs:
 * then no sum of fewer than 2^32 products (< 2^96 each) wraps, and the
 * carry counting that wider elements need is skipped.
 */
static zk_ext fingerprint_base(const zk_ext *pow, const zk_gl *t, unsigned n)
{
	unsigned __int128 lo[ZK_EXT_DEGREE] = { 0 };
	uint64_t hi[ZK_EXT_DEGREE] = { 0 };
	zk_gl two128 = zk_gl_mul(ZK_GL_EPSILON, ZK_GL_EPSILON), wide = 0;
	zk_ext fp;

	for (unsigned j = 0; j < n; j++)
		wide |= t[j];
	if (wide >> 32 == 0) {
		for (unsigned j = 0; j < n; j++)
			for (unsigned i = 0; i < ZK_EXT_DEGREE; i++)
				lo[i] += (unsigned __int128)pow[j].c[i] * t[j];
	} else {
		for (unsigned j = 0; j < n; j++) {
			for (unsigned i = 0; i < ZK_EXT_DEGREE; i++) {
				unsigned __int128 prod =
					(unsigned __int128)pow[j].c[i] * t[j];

				lo[i] += prod;
				hi[i] += lo[i] < prod;
			}
		}
	}
	for (unsigned i = 0; i < ZK_EXT_DEGREE; i++)
		fp.c[i] = zk_gl_add(zk_gl_reduce128(lo[i]),
				    zk_gl_mul(zk_gl_reduce128(hi[i]), two128));
	return fp;
}

#define ZKT_EXT 0
#include "air_template.h"
#include "clob_air_bus_body.h"
#undef ZKT_EXT
#define ZKT_EXT 1
#include "air_template.h"
#include "clob_air_bus_body.h"
#undef ZKT_EXT


/* Batch inversion (Montgomery's trick); -1 when some element is zero. */
static int batch_inv(zk_ext *v, size_t n)
{
	zk_ext *prefix = malloc((n + 1) * sizeof(*prefix)), inv;

	if (prefix == NULL)
		return -1;
	prefix[0] = zk_ext_one();
	for (size_t i = 0; i < n; i++)
		prefix[i + 1] = zk_ext_mul(prefix[i], v[i]);
	if (!zk_ext_inv(prefix[n], &inv)) {
		free(prefix);
		return -1;
	}
	for (size_t i = n; i-- > 0;) {
		zk_ext vi = v[i];

		v[i] = zk_ext_mul(inv, prefix[i]);
		inv = zk_ext_mul(inv, vi);
	}
	free(prefix);
	return 0;
}

static int clob_build_aux(const void *ctx, const zk_gl *const *main,
			  unsigned log_n, const zk_ext *rand,
			  zk_ext *const *aux)
{
	size_t n = (size_t)1 << log_n, i;
	zk_ext pow[CLOB_TUPLE_MAX];
	zk_gl *cur = malloc(2 * CLOB_WIDTH * sizeof(zk_gl));
	zk_ext *den = malloc(n * CLOB_N_TERMS * sizeof(zk_ext));
	zk_ext *num = malloc(n * CLOB_N_TERMS * sizeof(zk_ext));
	zk_ext sum = zk_ext_zero();
	const struct zk_clob_air *c = ctx;
	int rc = -1;

	if (cur == NULL || den == NULL || num == NULL)
		goto out;
	beta_powers(rand, pow);
	for (i = 0; i < n; i++) {
		zk_gl *nxt = cur + CLOB_WIDTH;
		size_t ni = (i + 1) & (n - 1);

		for (unsigned col = 0; col < CLOB_WIDTH; col++) {
			cur[col] = main[col][i];
			nxt[col] = main[col][ni];
		}
		clob_row_terms_base(cur, nxt, pow, bus_flags(c),
			  den + i * CLOB_N_TERMS, num + i * CLOB_N_TERMS);
		for (unsigned j = 0; j < CLOB_N_TERMS; j++)
			den[i * CLOB_N_TERMS + j] =
				zk_ext_sub(rand[0], den[i * CLOB_N_TERMS + j]);
	}
	if (batch_inv(den, n * CLOB_N_TERMS) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		aux[CLOB_N_TERMS][i] = sum;
		for (unsigned j = 0; j < CLOB_N_TERMS; j++) {
			zk_ext h = zk_ext_mul(num[i * CLOB_N_TERMS + j],
					      den[i * CLOB_N_TERMS + j]);

			aux[j][i] = h;
			sum = zk_ext_add(sum, h);
		}
	}
	rc = 0;
out:
	free(cur);
	free(den);
	free(num);
	return rc;
}

/* a^-1, or 0 for a = 0 (see inv_sum). */
static zk_ext inv_or_zero(zk_ext a)
{
	zk_ext r;

	if (!zk_ext_inv(a, &r))
		return zk_ext_zero();
	return r;
}

/*
 * Σ 1/(α − fp) kept as one fraction num/den: adding a term costs two
 * products where its own inversion would cost ~70, and the one inversion
 * comes at the end. A term whose α − fp is zero counts 0
 * (probability ~ 2^-192 per term: the proof then fails).
 */
struct inv_sum {
	zk_ext num, den;
};

static void inv_sum_add(struct inv_sum *s, zk_ext d)
{
	if (zk_ext_is_zero(d))
		return;
	s->num = zk_ext_add(zk_ext_mul(s->num, d), s->den);
	s->den = zk_ext_mul(s->den, d);
}

/* s + o, over the common denominator. */
static struct inv_sum inv_sum_merge(struct inv_sum s, struct inv_sum o)
{
	return (struct inv_sum){
		zk_ext_add(zk_ext_mul(s.num, o.den), zk_ext_mul(o.num, s.den)),
		zk_ext_mul(s.den, o.den) };
}

/*
 * Σ 1/(α − fp) over the bus tuples (tag, index, elements) of the ops and
 * of the events: four fractions (even / odd ops, even / odd events) so
 * that four independent product chains run side by side.
 */
static struct inv_sum public_lists_sum(const struct zk_clob_air *c,
				       const zk_ext *rand, const zk_ext *pow)
{
	struct inv_sum s[4];
	zk_gl t[CLOB_TUPLE_MAX];
	zk_ext fp;

	for (unsigned k = 0; k < 4; k++)
		s[k] = (struct inv_sum){ zk_ext_zero(), zk_ext_one() };
	t[0] = CLOB_TAG_OP;
	for (size_t i = 0; i < c->n_ops; i++) {
		t[1] = i;
		zk_clob_op_elems(&c->ops[i], t + 2);
		fp = fingerprint_base(pow, t, 2 + CLOB_OP_ELEMS);
		inv_sum_add(&s[i & 1], zk_ext_sub(rand[0], fp));
	}
	t[0] = CLOB_TAG_EV;
	for (size_t i = 0; i < c->n_events; i++) {
		t[1] = i;
		zk_clob_ev_elems(&c->events[i], t + 2);
		fp = fingerprint_base(pow, t, 2 + CLOB_EV_ELEMS);
		inv_sum_add(&s[2 + (i & 1)], zk_ext_sub(rand[0], fp));
	}
	return inv_sum_merge(inv_sum_merge(s[0], s[1]),
			     inv_sum_merge(s[2], s[3]));
}

/* What the trace's running sum must end at: root produced, public ops and
 * events consumed (see docs/proof.md, "buses"). */
static zk_ext public_sum(const struct zk_clob_air *c, const zk_ext *rand)
{
	zk_ext pow[CLOB_TUPLE_MAX], d_mk;
	zk_gl mk[11];
	struct inv_sum bus;

	beta_powers(rand, pow);
	mk[0] = CLOB_TAG_MK;
	mk[1] = c->lay.depth;
	mk[2] = 0;
	for (unsigned i = 0; i < 4; i++) {
		mk[3 + i] = c->old_root[i];
		mk[7 + i] = c->new_root[i];
	}
	bus = public_lists_sum(c, rand, pow);
	/* 1/d_mk − num/den = (den − num·d_mk)/(den·d_mk) */
	d_mk = zk_ext_sub(rand[0], fingerprint_base(pow, mk, 11));
	if (zk_ext_is_zero(d_mk))
		return zk_ext_neg(zk_ext_mul(bus.num, inv_or_zero(bus.den)));
	return zk_ext_mul(zk_ext_sub(bus.den, zk_ext_mul(bus.num, d_mk)),
			  inv_or_zero(zk_ext_mul(bus.den, d_mk)));
}

static size_t clob_assertions(const void *ctx, unsigned log_n,
			      const zk_ext *rand, struct zk_assertion *out)
{
	const struct zk_clob_air *c = ctx;
	uint64_t last = ((uint64_t)1 << log_n) - 1;
	size_t k = 0;

	for (unsigned s = 0; s < CLOB_N_SEL; s++) {
		out[k++] = (struct zk_assertion){ ZK_SEG_MAIN, C_SOP + s, 0,
						  zk_ext_zero() };
		out[k++] = (struct zk_assertion){ ZK_SEG_MAIN, C_SOP + s, last,
						  zk_ext_zero() };
	}
	out[k++] = (struct zk_assertion){ ZK_SEG_MAIN, C_TS, 0, zk_ext_zero() };
	out[k++] = (struct zk_assertion){ ZK_SEG_MAIN, C_NOPS, 0, zk_ext_zero() };
	out[k++] = (struct zk_assertion){ ZK_SEG_MAIN, C_NEVS, 0, zk_ext_zero() };
	out[k++] = (struct zk_assertion){ ZK_SEG_MAIN, C_NOPS, last,
					  lift(c->n_ops) };
	out[k++] = (struct zk_assertion){ ZK_SEG_MAIN, C_NEVS, last,
					  lift(c->n_events) };
	if (rand != NULL) {
		out[k++] = (struct zk_assertion){ ZK_SEG_AUX, CLOB_N_TERMS, 0,
						  zk_ext_zero() };
		out[k++] = (struct zk_assertion){ ZK_SEG_AUX, CLOB_N_TERMS,
						  last, public_sum(c, rand) };
	}
	return k;
}

static void set_err(char *err, size_t errlen, const char *msg)
{
	if (err != NULL && errlen > 0) {
		strncpy(err, msg, errlen - 1);
		err[errlen - 1] = '\0';
	}
}

int zk_clob_val_ok(const struct zk_market_params *mp)
{
	return mp->tick > 0 && (uint64_t)mp->tick < CLOB_VAL_MAX_TICK &&
	       mp->lot > 0 && mp->lot < CLOB_VAL_MAX_LOT &&
	       mp->min_price >= 0 && mp->min_price <= mp->max_price &&
	       (uint64_t)mp->max_price < CLOB_VAL_MAX_PRICE &&
	       mp->max_qty < CLOB_VAL_MAX_QTY &&
	       mp->min_price % mp->tick == 0 && mp->max_price % mp->tick == 0;
}

static int log2_exact(uint32_t v, uint32_t *out)
{
	uint32_t b = 0;

	if (v == 0 || (v & (v - 1)) != 0)
		return -1;
	while ((1u << b) != v)
		b++;
	*out = b;
	return 0;
}

int zk_clob_air_init(struct zk_clob_air *c, const struct zk_st_layout *lay,
		     const struct zk_market_params *mp,
		     const struct zk_statement *st, const struct zk_op *ops,
		     size_t n_ops, const struct zk_event *events,
		     size_t n_events, int machinery_only, char *err,
		     size_t errlen)
{
	uint8_t stbuf[ZK_STATEMENT_WIRE_SIZE], *p;
	zk_gl row[2 * CLOB_WIDTH], *scratch;
	unsigned n_main;

	memset(c, 0, sizeof(*c));
	if (lay->arity != 4) {
		set_err(err, errlen, "clob air: the state tree must have arity 4");
		return -1;
	}
	if (lay->market != mp->market || st->market != mp->market) {
		set_err(err, errlen, "clob air: market ids disagree");
		return -1;
	}
	for (uint32_t k = 1; k <= ZK_ST_KINDS; k++) {
		if (log2_exact(lay->count[k], &c->kind_bits[k]) != 0 ||
		    c->kind_bits[k] > CLOB_SLOT_BITS) {
			set_err(err, errlen,
				"clob air: slot counts must be powers of two "
				"(max_orders, max_levels)");
			return -1;
		}
	}
	if (zk_st_root_from_bytes(st->old_root, c->old_root) != 0 ||
	    zk_st_root_from_bytes(st->new_root, c->new_root) != 0) {
		set_err(err, errlen, "clob air: non-canonical root");
		return -1;
	}
	c->lay = *lay;
	c->mp = *mp;
	c->val_ok = zk_clob_val_ok(mp);
	c->st = *st;
	c->ops = ops;
	c->n_ops = n_ops;
	c->events = events;
	c->n_events = n_events;
	c->machinery_only = machinery_only;

	p = c->pub;
	zk_statement_encode(st, stbuf);
	memcpy(p, stbuf, sizeof(stbuf));
	p += sizeof(stbuf);
	put_u32(&p, lay->market);
	put_u32(&p, lay->arity);
	put_u32(&p, lay->depth);
	for (uint32_t k = 1; k <= ZK_ST_KINDS; k++)
		put_u32(&p, lay->count[k]);
	for (uint32_t k = 1; k <= ZK_ST_KINDS; k++)
		put_u64(&p, lay->offset[k]);
	put_u64(&p, (uint64_t)mp->tick);
	put_u64(&p, mp->lot);
	put_u64(&p, (uint64_t)mp->min_price);
	put_u64(&p, (uint64_t)mp->max_price);
	put_u64(&p, mp->max_qty);
	put_u32(&p, (uint32_t)mp->stp);
	put_u64(&p, n_ops);
	put_u64(&p, n_events);
	put_u32(&p, (uint32_t)machinery_only);
	_Static_assert(CLOB_PUB_LEN == ZK_STATEMENT_WIRE_SIZE + 12 + 16 + 32 +
					       40 + 4 + 16 + 4,
		       "public input layout");

	/* The constraint count is whatever the body emits. */
	scratch = malloc(ZK_AIR_MAX_CONSTRAINTS * sizeof(zk_gl));
	if (scratch == NULL) {
		set_err(err, errlen, "clob air: out of memory");
		return -1;
	}
	memset(row, 0, sizeof(row));
	n_main = clob_eval_k_base(c, row, row + CLOB_WIDTH, scratch);
	free(scratch);

	c->air = (struct zk_air){
		.name = machinery_only ? "zkclob-clob-machinery-test" :
					 "zkclob-clob",
		.version = ZK_CLOB_AIR_VERSION,
		.main_width = CLOB_WIDTH,
		.aux_width = CLOB_AUX_WIDTH,
		.n_aux_rand = 2,
		.n_main_constraints = n_main,
		.n_aux_constraints = CLOB_N_TERMS + 1,
		.max_degree = 4,
		.ctx = c,
		.eval_main = clob_eval_base,
		.eval_main_ext = clob_eval_ext,
		.eval_main_x4 = __atomic_load_n(&clob_x4_off, __ATOMIC_RELAXED) ?
					NULL : zk_clob_air_eval_x4(),
		.eval_aux = clob_eval_aux_ext,
		.eval_aux_base = __atomic_load_n(&clob_aux_base_off,
						 __ATOMIC_RELAXED) ?
					 NULL : clob_eval_aux_base,
		.build_aux = clob_build_aux,
		.assertions = clob_assertions,
		.main_next = zk_clob_air_main_next,
		.n_main_next = CLOB_N_MAIN_NEXT,
		.aux_next = zk_clob_air_aux_next,
		.n_aux_next = CLOB_N_AUX_NEXT,
		.pub = c->pub,
		.pub_len = sizeof(c->pub),
	};
	return 0;
}

static inline zk_gl cube(zk_gl u)
{
	return zk_gl_mul(zk_gl_sqr(u), u);
}

/* The witness one permutation's constraints expect; x in, x out. */
static void fill_perm(zk_gl *const *cols, size_t row, unsigned base, zk_gl *x)
{
	unsigned r, p, i;

	p2_external_base(x);
	for (r = 0; r < ZK_P2_FULL_ROUNDS; r++) {
		if (r == CLOB_P2_HALF) {
			for (p = 0; p < ZK_P2_PARTIAL_ROUNDS; p++) {
				zk_gl u = zk_gl_add(x[0], zk_p2_w12_rc_int[p]);
				zk_gl t = cube(u);

				x[0] = zk_gl_mul(u, zk_gl_sqr(t));
				cols[CLOB_P2_PT(base, p)][row] = t;
				cols[CLOB_P2_PT(base, p) + 1][row] = x[0];
				p2_internal_base(x);
			}
		}
		for (i = 0; i < ZK_P2_WIDTH12; i++) {
			zk_gl u = zk_gl_add(x[i], zk_p2_w12_rc_ext[r][i]);
			zk_gl t = cube(u);

			x[i] = zk_gl_mul(u, zk_gl_sqr(t));
			cols[CLOB_P2_FT(base, r) + i][row] = t;
			if (r + 1 < ZK_P2_FULL_ROUNDS)
				cols[CLOB_P2_FY(base, r) + i][row] = x[i];
		}
		p2_external_base(x);
	}
}

void zk_clob_fill_hash(zk_gl *const *cols, size_t row)
{
	zk_gl x[ZK_P2_WIDTH12], capl = cols[C_CAPL][row];
	unsigned i;

	for (i = 0; i < 8; i++)
		x[i] = cols[C_MSG + i][row];
	x[8] = zk_gl_mul(capl, ZK_P2_RATE * 2);
	x[9] = capl;
	x[10] = zk_gl_sub(4, zk_gl_mul(capl, 4));
	x[11] = 0;
	fill_perm(cols, row, C_P1, x);
	for (i = 0; i < ZK_P2_WIDTH12; i++) {
		cols[C_MID + i][row] = x[i];
		if (i < 8)
			x[i] = zk_gl_add(x[i], cols[C_MSG + 8 + i][row]);
	}
	fill_perm(cols, row, C_P2, x);
	for (i = 0; i < ZK_P2_DIGEST_ELEMS; i++) {
		cols[C_OUT + i][row] = x[i];
		cols[C_DIG + i][row] = cols[C_PRIST][row] ? 0 : x[i];
	}
}

unsigned zk_clob_malformed_conds(const zk_gl *row, zk_gl out[CLOB_MAL_CONDS])
{
	return clob_mal_conds_base(row, out);
}

void zk_clob_op_helpers(zk_gl *const *cols, size_t row)
{
	zk_gl ty = cols[C_OPF + OPF_TYPE][row];
	zk_gl side = cols[C_OPF + OPF_SIDE][row];
	zk_gl ord = cols[C_OPF + OPF_ORD][row];
	zk_gl tif = cols[C_OPF + OPF_TIF][row];
	zk_gl fl = cols[C_OPF + OPF_FLAGS][row];
	zk_gl t1 = zk_gl_sub(ty, 1), t2 = zk_gl_sub(ty, 2), t3 = zk_gl_sub(ty, 3);
	zk_gl tif2 = zk_gl_sub(tif, 2), tif3 = zk_gl_sub(tif, 3);

	cols[C_PT][row] = zk_gl_mul(zk_gl_mul(t1, t2), t3);
	cols[C_G1][row] = zk_gl_mul(t2, t3);
	cols[C_G2][row] = zk_gl_mul(t1, t3);
	cols[C_G3][row] = zk_gl_mul(t1, t2);
	cols[C_GSIDE][row] = zk_gl_mul(zk_gl_sub(side, 1), zk_gl_sub(side, 2));
	cols[C_GORD][row] = zk_gl_mul(zk_gl_sub(ord, 1), zk_gl_sub(ord, 2));
	cols[C_GTIF][row] = zk_gl_mul(zk_gl_mul(zk_gl_sub(tif, 1), tif2), tif3);
	cols[C_GFLAGS][row] = zk_gl_mul(fl, zk_gl_sub(fl, 1));
	cols[C_GMT][row] = zk_gl_mul(zk_gl_mul(zk_gl_sub(ord, 1), tif2), tif3);
}
