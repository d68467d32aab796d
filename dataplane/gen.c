/* SPDX-License-Identifier: MIT */
/*
 * Order-flow generator.  Each market keeps an exact price-time model of the
 * orders the generator believes rest on the book, plus a per-level order
 * count so "how many levels" and "best level" are cheap and exact.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkclob/gen.h"
#include "zkclob/pcapio.h"
#include "zkclob/wire.h"

enum gen_kind {
	KIND_PLACE,
	KIND_MOVE,
	KIND_REDUCE,
	KIND_CANCEL,
	KIND_IOC,
	KIND_FOK,
	KIND_MARKET,
	KIND__COUNT
};

struct gen_order {
	uint64_t id;
	uint64_t account;
	uint64_t lots;
	uint64_t time;  /* priority: lower is older */
	uint32_t level; /* 1..price_range steps away from ref_price */
	uint8_t side;
};

struct gen_market {
	struct gen_order *orders;
	uint32_t n;
	uint32_t cap;
	uint32_t *level_orders[3]; /* [side][level]: resting orders there */
	uint64_t levels_used;
	uint64_t removed_id; /* a removed order, for stale references */
	uint64_t removed_account;
};

struct zk_gen {
	struct zk_gen_params p;
	uint64_t rng[4];
	uint64_t next_seq;
	uint64_t next_id;
	uint64_t clock;
	uint32_t lo_water, hi_water;
	struct gen_market *mk;
	struct zk_gen_stats st;
};

static void __attribute__((format(printf, 3, 4)))
set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

void
zk_gen_params_default(struct zk_gen_params *p)
{
	memset(p, 0, sizeof(*p));
	p->seed = 1;
	p->count = 100000;
	p->markets = 1;
	p->accounts = 2000;
	p->live_orders = 1000;
	/*
	 * ~500 orders per side spread uniformly over 825 steps occupy
	 * 825 * (1 - e^(-500/825)) ≈ 375 distinct levels: ~750 per market.
	 */
	p->price_range = 825;
	p->msgs_per_packet = 8;
	p->ref_price = 100000;
	p->tick = 1;
	p->price_band = 10000;
	p->lot = 1;
	p->max_lots = 100;
	p->post_only_pm = 100;
	p->stale_ref_pm = 5;
	/* places + moves dominate; cancels and full fills balance places */
	p->mix = (struct zk_gen_mix){
		.place = 230, .move = 480, .reduce = 50, .cancel = 200,
		.ioc = 30, .fok = 5, .market = 5,
	};
	snprintf(p->session, sizeof(p->session), "ZKCLOB0001");
	zk_wire_addr_default(&p->addr);
	p->end_of_session = true;
	p->start_ns = 1700000000ull * 1000000000ull;
	p->packet_gap_ns = 1000;
}

static uint64_t
mix_total(const struct zk_gen_mix *m)
{
	return (uint64_t)m->place + m->move + m->reduce + m->cancel + m->ioc +
	       m->fok + m->market;
}

int
zk_gen_params_check(const struct zk_gen_params *p, char *err, size_t errlen)
{
#define BAD(...) do { \
		set_err(err, errlen, __VA_ARGS__); \
		return -EINVAL; \
	} while (0)
	if (p->markets == 0 || p->markets > 65536)
		BAD("markets %u outside 1..65536", p->markets);
	if (p->accounts < 2)
		BAD("accounts %u < 2 (aggressors need a second account)",
		    p->accounts);
	if (p->live_orders == 0 || p->live_orders > (1u << 24))
		BAD("live_orders %u outside 1..2^24", p->live_orders);
	if (p->price_range == 0 || p->price_range > (1u << 24))
		BAD("price_range %u outside 1..2^24", p->price_range);
	if (p->msgs_per_packet == 0 ||
	    p->msgs_per_packet > ZK_GEN_MAX_MSGS_PER_PACKET)
		BAD("msgs_per_packet %u outside 1..%d", p->msgs_per_packet,
		    ZK_GEN_MAX_MSGS_PER_PACKET);
	if (p->tick <= 0 || p->tick > (INT64_C(1) << 32))
		BAD("tick %lld outside 1..2^32", (long long)p->tick);
	if (p->ref_price % p->tick != 0)
		BAD("ref_price %lld is not a multiple of tick %lld",
		    (long long)p->ref_price, (long long)p->tick);
	if (p->ref_price <= (int64_t)p->price_range * p->tick ||
	    p->ref_price > INT64_MAX / 2)
		BAD("ref_price %lld must exceed price_range * tick = %lld "
		    "(bids stay positive)", (long long)p->ref_price,
		    (long long)((int64_t)p->price_range * p->tick));
	if (p->price_band < (int64_t)p->price_range * p->tick)
		BAD("price_band %lld < price_range * tick = %lld",
		    (long long)p->price_band,
		    (long long)((int64_t)p->price_range * p->tick));
	if (p->lot == 0 || p->max_lots == 0 || p->max_lots > UINT64_MAX / p->lot)
		BAD("lot %llu and max_lots %llu must be >= 1 and not overflow",
		    (unsigned long long)p->lot,
		    (unsigned long long)p->max_lots);
	if (p->post_only_pm > 1000 || p->stale_ref_pm > 1000)
		BAD("post_only_pm / stale_ref_pm are per mille (<= 1000)");
	if (mix_total(&p->mix) == 0)
		BAD("mix weights are all zero");
	if (memchr(p->session, '\0', sizeof(p->session)) == NULL)
		BAD("session is not NUL-terminated");
	return 0;
#undef BAD
}

/* xoshiro256** (Blackman & Vigna), seeded through splitmix64. */
static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
rng_next(struct zk_gen *g)
{
	uint64_t *s = g->rng;
	uint64_t out = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

static uint64_t
rng_below(struct zk_gen *g, uint64_t n)
{
	return rng_next(g) % n;
}

static void
rng_seed(struct zk_gen *g, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++) {
		uint64_t z = (seed += 0x9e3779b97f4a7c15ull);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		g->rng[i] = z ^ (z >> 31);
	}
}

void
zk_gen_destroy(struct zk_gen *g)
{
	uint32_t i;

	if (g == NULL)
		return;
	if (g->mk != NULL) {
		for (i = 0; i < g->p.markets; i++) {
			free(g->mk[i].orders);
			free(g->mk[i].level_orders[ZK_SIDE_BUY]);
			free(g->mk[i].level_orders[ZK_SIDE_SELL]);
		}
	}
	free(g->mk);
	free(g);
}

int
zk_gen_create(struct zk_gen **out, const struct zk_gen_params *p, char *err,
	      size_t errlen)
{
	struct zk_gen *g;
	uint32_t i;
	int rc;

	*out = NULL;
	rc = zk_gen_params_check(p, err, errlen);
	if (rc != 0)
		return rc;
	g = calloc(1, sizeof(*g));
	if (g == NULL)
		goto nomem;
	g->p = *p;
	rng_seed(g, p->seed);
	g->next_seq = 1;
	g->next_id = 1;
	g->lo_water = p->live_orders - p->live_orders / 10;
	g->hi_water = p->live_orders + p->live_orders / 10;
	if (g->lo_water == 0)
		g->lo_water = 1;
	g->mk = calloc(p->markets, sizeof(*g->mk));
	if (g->mk == NULL)
		goto nomem;
	for (i = 0; i < p->markets; i++) {
		struct gen_market *m = &g->mk[i];

		m->cap = g->hi_water + 1;
		m->orders = calloc(m->cap, sizeof(*m->orders));
		m->level_orders[ZK_SIDE_BUY] =
			calloc((size_t)p->price_range + 1, sizeof(uint32_t));
		m->level_orders[ZK_SIDE_SELL] =
			calloc((size_t)p->price_range + 1, sizeof(uint32_t));
		if (m->orders == NULL || m->level_orders[ZK_SIDE_BUY] == NULL ||
		    m->level_orders[ZK_SIDE_SELL] == NULL)
			goto nomem;
	}
	*out = g;
	return 0;
nomem:
	zk_gen_destroy(g);
	set_err(err, errlen, "generator: out of memory");
	return -ENOMEM;
}

static int64_t
level_price(const struct zk_gen *g, uint8_t side, uint32_t level)
{
	int64_t off = (int64_t)level * g->p.tick;

	return side == ZK_SIDE_BUY ? g->p.ref_price - off :
				     g->p.ref_price + off;
}

static void
level_add(struct gen_market *m, uint8_t side, uint32_t level)
{
	if (m->level_orders[side][level]++ == 0)
		m->levels_used++;
}

static void
level_del(struct gen_market *m, uint8_t side, uint32_t level)
{
	if (--m->level_orders[side][level] == 0)
		m->levels_used--;
}

static void
order_remove(struct gen_market *m, uint32_t idx)
{
	struct gen_order *o = &m->orders[idx];

	level_del(m, o->side, o->level);
	m->removed_id = o->id;
	m->removed_account = o->account;
	m->orders[idx] = m->orders[--m->n];
}

static uint64_t
random_lots(struct zk_gen *g)
{
	return 1 + rng_below(g, g->p.max_lots);
}

static void
gen_place(struct zk_gen *g, struct gen_market *m, struct zk_op *op)
{
	struct gen_order *o = &m->orders[m->n++];

	o->id = g->next_id++;
	o->side = rng_below(g, 2) ? ZK_SIDE_SELL : ZK_SIDE_BUY;
	o->level = 1 + (uint32_t)rng_below(g, g->p.price_range);
	o->lots = random_lots(g);
	o->account = 1 + rng_below(g, g->p.accounts);
	o->time = g->clock++;
	level_add(m, o->side, o->level);

	op->type = ZK_OP_NEW;
	op->order_id = o->id;
	op->account = o->account;
	op->side = o->side;
	op->ord_type = ZK_ORD_LIMIT;
	op->tif = ZK_TIF_GTC;
	op->price = level_price(g, o->side, o->level);
	op->qty = o->lots * g->p.lot;
	if (rng_below(g, 1000) < g->p.post_only_pm) {
		op->flags = ZK_OP_F_POST_ONLY;
		g->st.post_only++;
	}
	g->st.places++;
}

/* A cancel or move that names an order the engine has already removed. */
static bool
gen_stale(struct zk_gen *g, struct gen_market *m, enum gen_kind kind,
	  struct zk_op *op)
{
	if (m->removed_id == 0 || rng_below(g, 1000) >= g->p.stale_ref_pm)
		return false;
	op->order_id = m->removed_id;
	op->account = m->removed_account;
	if (kind == KIND_MOVE) {
		op->type = ZK_OP_REPLACE;
		op->new_order_id = g->next_id++;
		op->price = level_price(g, ZK_SIDE_BUY, 1);
		op->qty = g->p.lot;
		g->st.moves++;
	} else {
		op->type = ZK_OP_CANCEL;
		g->st.cancels++;
	}
	g->st.stale_refs++;
	return true;
}

static void
gen_move(struct zk_gen *g, struct gen_market *m, struct zk_op *op)
{
	struct gen_order *o = &m->orders[rng_below(g, m->n)];
	uint32_t level = 1 + (uint32_t)rng_below(g, g->p.price_range);
	uint64_t lots = rng_below(g, 5) == 0 ? random_lots(g) : o->lots;

	if (level == o->level && g->p.price_range > 1)
		level = level % g->p.price_range + 1;
	op->type = ZK_OP_REPLACE;
	op->order_id = o->id;
	op->account = o->account;
	op->new_order_id = g->next_id++;
	op->price = level_price(g, o->side, level);
	op->qty = lots * g->p.lot;
	/* same price and no size increase keeps priority (op.h) */
	if (level != o->level || lots > o->lots)
		o->time = g->clock++;
	level_del(m, o->side, o->level);
	level_add(m, o->side, level);
	o->id = op->new_order_id;
	o->level = level;
	o->lots = lots;
	g->st.moves++;
}

static void
gen_cancel(struct zk_gen *g, struct gen_market *m, bool reduce,
	   struct zk_op *op)
{
	uint32_t idx = (uint32_t)rng_below(g, m->n);
	struct gen_order *o = &m->orders[idx];

	op->type = ZK_OP_CANCEL;
	op->order_id = o->id;
	op->account = o->account;
	if (reduce && o->lots > 1) {
		o->lots = 1 + rng_below(g, o->lots - 1);
		op->qty = o->lots * g->p.lot;
		g->st.reduces++;
		return;
	}
	order_remove(m, idx);
	g->st.cancels++;
}

/* Oldest order at the best level of `side`, or -1 when that side is empty. */
static int64_t
best_order(const struct zk_gen *g, const struct gen_market *m, uint8_t side)
{
	uint32_t level, i;
	int64_t best = -1;

	for (level = 1; level <= g->p.price_range; level++)
		if (m->level_orders[side][level] != 0)
			break;
	if (level > g->p.price_range)
		return -1;
	for (i = 0; i < m->n; i++) {
		const struct gen_order *o = &m->orders[i];

		if (o->side == side && o->level == level &&
		    (best < 0 || o->time < m->orders[best].time))
			best = i;
	}
	return best;
}

static bool
gen_aggressor(struct zk_gen *g, struct gen_market *m, enum gen_kind kind,
	      struct zk_op *op)
{
	uint8_t side = rng_below(g, 2) ? ZK_SIDE_SELL : ZK_SIDE_BUY;
	uint8_t maker_side = side == ZK_SIDE_BUY ? ZK_SIDE_SELL : ZK_SIDE_BUY;
	int64_t idx = best_order(g, m, maker_side);
	struct gen_order *o;
	uint64_t lots;

	if (idx < 0)
		return false;
	o = &m->orders[idx];
	lots = o->lots > 1 && rng_below(g, 2) ? 1 + rng_below(g, o->lots - 1) :
						 o->lots;
	op->type = ZK_OP_NEW;
	op->order_id = g->next_id++;
	/* a different account, so self-trade prevention never fires */
	op->account = o->account % g->p.accounts + 1;
	op->side = side;
	op->qty = lots * g->p.lot;
	if (kind == KIND_MARKET) {
		op->ord_type = ZK_ORD_MARKET;
		op->tif = ZK_TIF_IOC;
		g->st.market++;
	} else {
		op->ord_type = ZK_ORD_LIMIT;
		op->price = level_price(g, maker_side, o->level);
		op->tif = kind == KIND_IOC ? ZK_TIF_IOC : ZK_TIF_FOK;
		if (kind == KIND_IOC)
			g->st.ioc++;
		else
			g->st.fok++;
	}
	o->lots -= lots;
	if (o->lots == 0) {
		order_remove(m, (uint32_t)idx);
		g->st.full_fills++;
	}
	return true;
}

static enum gen_kind
pick_kind(struct zk_gen *g, const struct gen_market *m)
{
	const struct zk_gen_mix *x = &g->p.mix;
	const uint32_t w[KIND__COUNT] = {
		x->place, x->move, x->reduce, x->cancel, x->ioc, x->fok,
		x->market,
	};
	uint64_t r;
	int k;

	/* warm-up and refill: exchange-core also pre-fills its books */
	if (m->n < g->lo_water)
		return KIND_PLACE;
	r = rng_below(g, mix_total(x));
	for (k = 0; k < KIND__COUNT - 1; k++) {
		if (r < w[k])
			break;
		r -= w[k];
	}
	if (k == KIND_PLACE && m->n >= g->hi_water)
		return KIND_CANCEL;
	return (enum gen_kind)k;
}

void
zk_gen_next(struct zk_gen *g, struct zk_op *op)
{
	uint32_t market = (uint32_t)rng_below(g, g->p.markets);
	struct gen_market *m = &g->mk[market];
	enum gen_kind kind = pick_kind(g, m);
	bool done = false;

	memset(op, 0, sizeof(*op));
	switch (kind) {
	case KIND_MOVE:
	case KIND_REDUCE:
	case KIND_CANCEL:
		if (m->n == 0)
			break;
		done = gen_stale(g, m, kind, op);
		if (done)
			break;
		if (kind == KIND_MOVE)
			gen_move(g, m, op);
		else
			gen_cancel(g, m, kind == KIND_REDUCE, op);
		done = true;
		break;
	case KIND_IOC:
	case KIND_FOK:
	case KIND_MARKET:
		done = gen_aggressor(g, m, kind, op);
		break;
	default:
		break;
	}
	/* nothing to amend or take: add depth instead, within the model's cap */
	if (!done && m->n >= g->hi_water)
		gen_cancel(g, m, false, op);
	else if (!done)
		gen_place(g, m, op);
	op->market = market + 1;
	op->seq = g->next_seq++;
	g->st.msgs++;
}

void
zk_gen_get_stats(const struct zk_gen *g, struct zk_gen_stats *st)
{
	uint32_t i;

	*st = g->st;
	st->live_orders = 0;
	st->price_levels = 0;
	for (i = 0; i < g->p.markets; i++) {
		st->live_orders += g->mk[i].n;
		st->price_levels += g->mk[i].levels_used;
	}
}

int
zk_gen_ops(const struct zk_gen_params *p, struct zk_op *ops, size_t n,
	   char *err, size_t errlen)
{
	struct zk_gen *g;
	size_t i;
	int rc = zk_gen_create(&g, p, err, errlen);

	if (rc != 0)
		return rc;
	for (i = 0; i < n; i++)
		zk_gen_next(g, &ops[i]);
	zk_gen_destroy(g);
	return 0;
}

static int
write_frame(struct zk_pcap_writer *w, const struct zk_gen_params *p,
	    struct zk_gen_stats *st, uint64_t pkt, const uint8_t *frame,
	    size_t len)
{
	st->bytes += len;
	return zk_pcap_writer_write(w, frame, len,
				    p->start_ns + pkt * p->packet_gap_ns);
}

int
zk_gen_write_pcap(const struct zk_gen_params *p, const char *path,
		  struct zk_gen_stats *out, char *err, size_t errlen)
{
	static const size_t frame_cap = 65536;
	uint8_t session[ZK_WIRE_SESSION_LEN];
	struct zk_pcap_writer *w = NULL;
	struct zk_op *batch = NULL;
	uint8_t *frame = NULL;
	struct zk_gen_stats st;
	struct zk_gen *g = NULL;
	uint64_t done = 0, pkt = 0;
	size_t len;
	int rc;

	rc = zk_gen_create(&g, p, err, errlen);
	if (rc != 0)
		return rc;
	batch = calloc(p->msgs_per_packet, sizeof(*batch));
	frame = malloc(frame_cap);
	if (batch == NULL || frame == NULL) {
		set_err(err, errlen, "generator: out of memory");
		rc = -ENOMEM;
		goto out;
	}
	rc = zk_pcap_writer_open(&w, path, err, errlen);
	if (rc != 0)
		goto out;
	zk_wire_session_from_str(session, p->session);
	while (done < p->count) {
		uint64_t n = p->count - done;
		uint64_t i;

		if (n > p->msgs_per_packet)
			n = p->msgs_per_packet;
		for (i = 0; i < n; i++)
			zk_gen_next(g, &batch[i]);
		len = zk_wire_encode_frame(&p->addr, session, batch[0].seq,
					   batch, n, frame, frame_cap);
		if (len == 0) {
			set_err(err, errlen, "packet %llu does not encode",
				(unsigned long long)pkt);
			rc = -EINVAL;
			goto out;
		}
		g->st.packets++;
		rc = write_frame(w, p, &g->st, pkt++, frame, len);
		if (rc != 0)
			goto write_failed;
		done += n;
	}
	if (p->end_of_session) {
		len = zk_wire_encode_end_of_session(&p->addr, session,
						    p->count + 1, frame,
						    frame_cap);
		rc = write_frame(w, p, &g->st, pkt++, frame, len);
		if (rc != 0)
			goto write_failed;
	}
	rc = zk_pcap_writer_close(w);
	w = NULL;
	if (rc != 0) {
		set_err(err, errlen, "%s: write failed", path);
		goto out;
	}
	zk_gen_get_stats(g, &st);
	if (out != NULL)
		*out = st;
	goto out;
write_failed:
	set_err(err, errlen, "%s: %s", path, zk_pcap_writer_error(w));
out:
	if (w != NULL)
		zk_pcap_writer_close(w);
	free(frame);
	free(batch);
	zk_gen_destroy(g);
	return rc;
}
