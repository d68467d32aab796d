/* SPDX-License-Identifier: MIT */
/* Shared helpers of the zkVM tests (zkvm_traffic.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "zkclob/batch.h"
#include "zkvm_traffic.h"


void
buf_put(struct buf *b, const void *src, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;

		while (cap < b->len + n)
			cap *= 2;
		b->p = realloc(b->p, cap);
		assert_non_null(b->p);
		b->cap = cap;
	}
	memcpy(b->p + b->len, src, n);
	b->len += n;
}

void
buf_u32(struct buf *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 8), (uint8_t)v };

	buf_put(b, x, 4);
}

void
buf_u64(struct buf *b, uint64_t v)
{
	buf_u32(b, (uint32_t)(v >> 32));
	buf_u32(b, (uint32_t)v);
}

uint64_t
get_be(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* ---- traffic ---------------------------------------------------------- */

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static uint64_t
pick(uint64_t *s, uint64_t n)
{
	return rnd(s) % n;
}

/* Usually in range, sometimes one outside it. */
static uint8_t
adv_enum(uint64_t *s, uint8_t lo, uint8_t hi)
{
	if (pick(s, 40) == 0)
		return pick(s, 2) ? (uint8_t)(lo - 1) : (uint8_t)(hi + 1);
	return (uint8_t)(lo + pick(s, (uint64_t)(hi - lo + 1)));
}

static struct zk_op
adv_op(uint64_t *s, uint64_t seq)
{
	struct zk_op op = {
		.seq = seq,
		.market = pick(s, 40) ? 1 + (uint32_t)pick(s, N_ADV_MARKETS)
				      : 9,
		.order_id = 1 + pick(s, 30),
		.account = 1 + pick(s, 3),
	};
	unsigned u = (unsigned)pick(s, 10);

	op.type = u < 5 ? ZK_OP_NEW : u < 8 ? ZK_OP_REPLACE : ZK_OP_CANCEL;
	if (pick(s, 60) == 0)
		op.type = pick(s, 2) ? 0 : 4;
	if (op.type == ZK_OP_NEW) {
		op.side = adv_enum(s, ZK_SIDE_BUY, ZK_SIDE_SELL);
		op.ord_type = pick(s, 5) ? ZK_ORD_LIMIT : ZK_ORD_MARKET;
		op.tif = adv_enum(s, ZK_TIF_GTC, ZK_TIF_FOK);
		if (op.ord_type == ZK_ORD_MARKET && op.tif == ZK_TIF_GTC &&
		    pick(s, 8))
			op.tif = ZK_TIF_IOC;
		op.flags = pick(s, 6) == 0 ? ZK_OP_F_POST_ONLY : 0;
		if (pick(s, 60) == 0)
			op.flags = 2;
		if (pick(s, 60) == 0)
			op.new_order_id = 1 + pick(s, 30);
		op.stp_group = pick(s, 4) == 0 ? 1 + (uint32_t)pick(s, 2) : 0;
	} else if (op.type == ZK_OP_REPLACE) {
		op.new_order_id = 1 + pick(s, 30);
	}
	if (op.type != ZK_OP_NEW && pick(s, 40) == 0) {
		op.side = (uint8_t)pick(s, 3);
		op.stp_group = (uint32_t)pick(s, 2);
	}
	if (op.ord_type == ZK_ORD_MARKET || op.type == ZK_OP_CANCEL)
		op.price = pick(s, 20) ? 0 : 100;
	else if (pick(s, 20) == 0)
		op.price = 101; /* off tick */
	else if (pick(s, 20) == 0)
		op.price = pick(s, 2) ? 58 : 142; /* outside the band */
	else
		op.price = 100 + ((int64_t)pick(s, 13) - 6) * 2;
	if (op.type == ZK_OP_CANCEL)
		op.qty = pick(s, 2) ? 0 : 3 * pick(s, 6);
	else
		op.qty = 3 * (1 + pick(s, 12)); /* above max_qty sometimes */
	if (pick(s, 50) == 0)
		op.qty += 1; /* off lot */
	if (pick(s, 200) == 0)
		op.reserved[pick(s, 3)] = 1;
	return op;
}

size_t
make_params(const struct scenario *sc, struct zk_market_params *p,
	    struct zk_gen_params *gp)
{
	if (sc->adversarial) {
		static const enum zk_stp_mode modes[N_ADV_MARKETS] = {
			ZK_STP_CANCEL_NEWEST, ZK_STP_CANCEL_OLDEST,
			ZK_STP_CANCEL_BOTH,
		};

		for (uint32_t i = 0; i < N_ADV_MARKETS; i++)
			p[i] = (struct zk_market_params){
				.market = i + 1, .tick = 2, .lot = 3,
				.min_price = 60, .max_price = 140,
				.max_qty = 30, .stp = modes[i],
				.max_orders = 8, .max_levels = 4,
			};
		return N_ADV_MARKETS;
	}
	zk_gen_params_default(gp);
	gp->seed = sc->seed;
	gp->markets = 2;
	gp->accounts = 50; /* own orders meet often enough for STP */
	for (uint32_t i = 0; i < gp->markets; i++)
		p[i] = (struct zk_market_params){
			.market = i + 1,
			.tick = gp->tick,
			.lot = gp->lot,
			.min_price = gp->ref_price - gp->price_band,
			.max_price = gp->ref_price + gp->price_band,
			.max_qty = gp->max_lots * gp->lot,
			.stp = sc->stp,
			.max_orders = sc->max_orders,
			.max_levels = sc->max_levels,
		};
	return gp->markets;
}

struct zk_op *
make_ops(const struct scenario *sc, const struct zk_gen_params *gp)
{
	struct zk_op *ops = calloc(sc->n_ops, sizeof(*ops));
	char err[128];
	uint64_t s = sc->seed * 0x9E3779B97F4A7C15ull | 1;

	assert_non_null(ops);
	if (!sc->adversarial) {
		assert_int_equal(zk_gen_ops(gp, ops, sc->n_ops, err,
					    sizeof(err)), 0);
		return ops;
	}
	for (size_t i = 0; i < sc->n_ops; i++)
		ops[i] = adv_op(&s, i + 1);
	return ops;
}

void
write_file(const char *path, const struct buf *b)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(b->p, 1, b->len, f), b->len);
	assert_int_equal(fclose(f), 0);
}

uint8_t *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return p;
}

int
run_exec(const char *exe, const char *a1, const char *a2, const char *a3)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		execl(exe, exe, a1, a2, a3, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
