/* SPDX-License-Identifier: MIT */
/*
 * Canonical event encoding, the events digest, determinism across engine
 * instances, and the witness: events are identical with it on and off, and
 * replaying its writes over an initial snapshot reproduces the final slots.
 */
#include <stdlib.h>

#include "engine_test_util.h"

#define N_MKT 2

static const struct zk_event kat_event = {
	.seq = 0x0102030405060708ull, .market = 0x0A0B0C0D, .type = 3,
	.side = 1, .order_id = 42, .other_id = 7, .price = -5, .qty = 100,
	.remaining = 0x10, .other_remaining = UINT64_MAX,
};

/* Written out by hand from the layout in include/zkclob/event.h. */
static const uint8_t kat_encoding[ZK_EVENT_WIRE_SIZE] = {
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, /* seq */
	0x0a, 0x0b, 0x0c, 0x0d,                         /* market */
	0x03, 0x00, 0x01, 0x00,             /* type reason side 0 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2a, /* order_id */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, /* other_id */
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfb, /* price -5 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x64, /* qty */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, /* remaining */
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* other_remaining */
};

/*
 * Expected digests computed independently with CPython's hashlib:
 * blake2b(data, digest_size=32, person=b"zkclob-events-v1").hexdigest()
 */
static const char kat_digest_one[] =
	"359fdb5b02d800d6e9dad5b46e3aa3462bedd9865498bb49f0d910fa0155885c";
static const char kat_digest_empty[] =
	"06cc3b02dfb06596d5f1f139068dd0d945f34d1f9b0841399f719384936b3293";
static const char kat_digest_three[] =
	"16d1157787d1a53b412682e02c6e3df650e39838c9130a0d468671b0e42c644b";

static void
hex32(const uint8_t d[32], char out[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void
digest_of(const struct zk_event *ev, size_t n, size_t chunk, uint8_t d[32])
{
	struct zk_events_digest ctx;

	zk_events_digest_init(&ctx);
	for (size_t i = 0; i < n; i += chunk)
		zk_events_digest_update(&ctx, ev + i,
					n - i < chunk ? n - i : chunk);
	zk_events_digest_final(&ctx, d);
}

static void
test_encoding_and_kat(void **state)
{
	uint8_t enc[ZK_EVENT_WIRE_SIZE], d[32];
	struct zk_event three[3] = { kat_event, kat_event, kat_event };
	char hex[65];

	(void)state;
	zk_event_encode(&kat_event, enc);
	assert_memory_equal(enc, kat_encoding, sizeof(enc));
	{
		struct zk_event back;

		memset(&back, 0x5a, sizeof(back));
		assert_int_equal(zk_event_decode(enc, &back), 0);
		assert_memory_equal(&back, &kat_event, sizeof(back));
		enc[15] = 1; /* the always-zero byte */
		assert_int_equal(zk_event_decode(enc, &back), -1);
		enc[15] = 0;
	}
	digest_of(&kat_event, 1, 1, d);
	hex32(d, hex);
	assert_string_equal(hex, kat_digest_one);
	digest_of(NULL, 0, 1, d);
	hex32(d, hex);
	assert_string_equal(hex, kat_digest_empty);
	digest_of(three, 3, 2, d);
	hex32(d, hex);
	assert_string_equal(hex, kat_digest_three);
}

/* A busy mix over a small id space: places, crosses, replaces, cancels. */
static struct zk_op
gen(uint64_t *s, uint64_t seq)
{
	uint64_t id = 1 + rnd(s) % 60, account = 1 + rnd(s) % 4;
	uint8_t side = rnd(s) & 1 ? ZK_SIDE_BUY : ZK_SIDE_SELL;
	int64_t price = 1000 + (int64_t)(rnd(s) % 21) - 10;
	uint64_t qty = 1 + rnd(s) % 20;
	struct zk_op op;

	switch (rnd(s) % 8) {
	case 0:
		op = op_order(id, account, side, ZK_ORD_LIMIT, ZK_TIF_IOC,
			      price, qty);
		break;
	case 1:
		op = op_order(id, account, side, ZK_ORD_MARKET, ZK_TIF_FOK, 0,
			      qty);
		break;
	case 2:
	case 3:
		op = op_replace(id, 1 + rnd(s) % 60, account, price, qty);
		break;
	case 4:
		op = op_cancel(id, account, rnd(s) % 3);
		break;
	default:
		op = op_gtc(id, account, side, price, qty);
		break;
	}
	op.seq = seq;
	op.market = 1 + (uint32_t)(rnd(s) % (N_MKT + 1)); /* one unknown */
	return op;
}

static struct zk_engine *
make_engine(void)
{
	struct zk_market_params p[N_MKT];

	for (uint32_t i = 0; i < N_MKT; i++)
		p[i] = (struct zk_market_params){
			.market = i + 1, .tick = 1, .lot = 1, .min_price = 900,
			.max_price = 1100, .max_qty = 100,
			.stp = (enum zk_stp_mode)i, .max_orders = 40,
			.max_levels = 12,
		};
	struct zk_engine *e = zk_engine_create(p, N_MKT);

	assert_non_null(e);
	return e;
}

static void
test_determinism(void **state)
{
	struct zk_engine *a = make_engine(), *b = make_engine();
	struct zk_engine *c = make_engine();
	struct zk_event_buf ea = { 0 }, eb = { 0 }, ec = { 0 };
	struct zk_op ops[17];
	uint64_t s = 99;
	uint8_t da[32], db[32], dt[32];

	(void)state;
	for (uint64_t k = 1; k <= 20000; k++) {
		struct zk_op op = gen(&s, k);

		assert_true(zk_engine_apply(a, &op, &ea) >= 1);
		assert_true(zk_engine_apply(b, &op, &eb) >= 1);
		/* The burst path must be the same engine, only prefetched. */
		ops[(k - 1) % 17] = op;
		if (k % 17 == 0 || k == 20000)
			assert_true(zk_engine_apply_burst(c, ops, (k - 1) % 17 + 1,
							  &ec) >= 1);
	}
	assert_int_equal(ea.len, eb.len);
	assert_int_equal(ea.len, ec.len);
	assert_memory_equal(ea.ev, ec.ev, ea.len * sizeof(*ea.ev));
	for (uint32_t m = 1; m <= N_MKT; m++) {
		union zk_slot_value va, vc;

		for (uint32_t i = 0; i < zk_engine_slot_count(a, m, ZK_SLOT_BUCKET);
		     i++) {
			zk_engine_slot_get(a, m, ZK_SLOT_BUCKET, i, &va);
			zk_engine_slot_get(c, m, ZK_SLOT_BUCKET, i, &vc);
			assert_memory_equal(&va, &vc, sizeof(va));
		}
	}
	digest_of(ea.ev, ea.len, ea.len, da);
	digest_of(eb.ev, eb.len, 13, db);
	assert_memory_equal(da, db, 32);

	/* Any single field of any event moves the digest. */
	for (size_t i = 0; i < ea.len; i += ea.len / 7) {
		struct zk_event keep = ea.ev[i];

		ea.ev[i].qty ^= 1;
		digest_of(ea.ev, ea.len, 64, dt);
		assert_memory_not_equal(da, dt, 32);
		ea.ev[i] = keep;
		ea.ev[i].reason ^= 0x80;
		digest_of(ea.ev, ea.len, 64, dt);
		assert_memory_not_equal(da, dt, 32);
		ea.ev[i] = keep;
	}
	/* So does the order of events. */
	struct zk_event t = ea.ev[0];

	ea.ev[0] = ea.ev[1];
	ea.ev[1] = t;
	digest_of(ea.ev, ea.len, 64, dt);
	assert_memory_not_equal(da, dt, 32);
	zk_engine_destroy(a);
	zk_engine_destroy(b);
	zk_engine_destroy(c);
	zk_event_buf_free(&ea);
	zk_event_buf_free(&eb);
	zk_event_buf_free(&ec);
}

static const enum zk_slot_kind kinds[] = { ZK_SLOT_HEADER, ZK_SLOT_ORDER,
					   ZK_SLOT_LEVEL, ZK_SLOT_BUCKET };

static const size_t kind_size[] = {
	[ZK_SLOT_HEADER] = sizeof(struct zk_book_header),
	[ZK_SLOT_ORDER] = sizeof(struct zk_order_slot),
	[ZK_SLOT_LEVEL] = sizeof(struct zk_level_slot),
	[ZK_SLOT_BUCKET] = sizeof(struct zk_bucket_slot),
};

/* The whole slot state of every market: state[market-1][kind][slot]. */
struct slot_state {
	union zk_slot_value *v[N_MKT][5];
	uint32_t n[N_MKT][5];
};

static void
state_take(const struct zk_engine *e, struct slot_state *st)
{
	for (uint32_t m = 0; m < N_MKT; m++)
		for (size_t k = 0; k < 4; k++) {
			enum zk_slot_kind kind = kinds[k];
			uint32_t n = zk_engine_slot_count(e, m + 1, kind);

			st->n[m][kind] = n;
			st->v[m][kind] = calloc(n, sizeof(union zk_slot_value));
			assert_non_null(st->v[m][kind]);
			for (uint32_t i = 0; i < n; i++)
				assert_int_equal(zk_engine_slot_get(e, m + 1,
					kind, i, &st->v[m][kind][i]), 0);
		}
}

static void
state_free(struct slot_state *st)
{
	for (uint32_t m = 0; m < N_MKT; m++)
		for (size_t k = 0; k < 4; k++)
			free(st->v[m][kinds[k]]);
}

/*
 * Replays the log over `st`: every access must see the value the replay
 * holds, reads must not change it, writes move it to `after`. Returns the
 * index of the first inconsistent access, or SIZE_MAX.
 */
static size_t
replay(struct slot_state *st, const struct zk_witness *w)
{
	for (size_t i = 0; i < w->len; i++) {
		const struct zk_witness_access *a = &w->acc[i];
		union zk_slot_value *cur;
		uint8_t zero[64] = { 0 };

		if (a->market < 1 || a->market > N_MKT || a->kind < 1 ||
		    a->kind > 4 || a->slot >= st->n[a->market - 1][a->kind])
			return i;
		cur = &st->v[a->market - 1][a->kind][a->slot];
		if (memcmp(cur, &a->before, sizeof(*cur)) != 0)
			return i;
		if (!a->write && memcmp(&a->before, &a->after, sizeof(*cur)))
			return i;
		if (memcmp(a->after.raw + kind_size[a->kind], zero,
			   64 - kind_size[a->kind]) != 0)
			return i;
		*cur = a->after;
	}
	return SIZE_MAX;
}

static void
test_witness(void **state)
{
	struct zk_engine *plain = make_engine(), *wit = make_engine();
	struct zk_event_buf ep = { 0 }, ew = { 0 };
	struct zk_witness w = { 0 };
	struct slot_state st = { 0 }, fin = { 0 };
	uint64_t s = 4242, last_op = 0, writes = 0;
	const uint64_t n_ops = 8000;

	(void)state;
	state_take(wit, &st);
	zk_engine_set_witness(wit, &w);
	for (uint64_t k = 1; k <= n_ops; k++) {
		struct zk_op op = gen(&s, k);
		size_t before = w.len;

		ep.len = ew.len = 0;
		assert_true(zk_engine_apply(plain, &op, &ep) >= 1);
		assert_true(zk_engine_apply(wit, &op, &ew) >= 1);
		assert_int_equal(ep.len, ew.len);
		assert_memory_equal(ep.ev, ew.ev, ep.len * sizeof(*ep.ev));
		/* Every op on a known market proves something from slots. */
		if (op.market <= N_MKT && ew.ev[0].reason != ZK_REJ_MALFORMED)
			assert_true(w.len > before);
		for (size_t i = before; i < w.len; i++) {
			assert_int_equal(w.acc[i].op, k - 1);
			assert_true(w.acc[i].op >= last_op);
			last_op = w.acc[i].op;
			writes += w.acc[i].write;
		}
	}
	assert_int_equal(w.ops, n_ops);
	assert_true(writes > n_ops);

	/* Writes replayed over the snapshot give exactly the final state. */
	assert_int_equal(replay(&st, &w), SIZE_MAX);
	state_take(wit, &fin);
	for (uint32_t m = 0; m < N_MKT; m++)
		for (size_t k = 0; k < 4; k++)
			assert_memory_equal(st.v[m][kinds[k]],
					    fin.v[m][kinds[k]],
					    st.n[m][kinds[k]] *
						    sizeof(union zk_slot_value));

	/* The replay check is not vacuous: a forged write is caught. */
	state_free(&st);
	state_free(&fin);
	memset(&st, 0, sizeof(st));
	{
		struct zk_engine *fresh = make_engine();
		size_t victim = w.len / 2;

		state_take(fresh, &st);
		zk_engine_destroy(fresh);
		while (!w.acc[victim].write)
			victim++;
		w.acc[victim].after.raw[0] ^= 1;
		assert_int_not_equal(replay(&st, &w), SIZE_MAX);
	}

	/* Detached: nothing more is logged. */
	size_t len = w.len;
	struct zk_op op = op_gtc(500, 1, ZK_SIDE_BUY, 1000, 1);

	op.market = 1;
	zk_engine_set_witness(wit, NULL);
	assert_true(zk_engine_apply(wit, &op, &ew) >= 1);
	assert_int_equal(w.len, len);

	state_free(&st);
	zk_witness_free(&w);
	zk_event_buf_free(&ep);
	zk_event_buf_free(&ew);
	zk_engine_destroy(plain);
	zk_engine_destroy(wit);
}

/* Bucket reads one op makes, taken from the witness. */
static size_t
bucket_reads(struct zk_engine *e, struct zk_witness *w, struct zk_op op,
	     struct zk_event_buf *out)
{
	size_t n = 0;

	op.market = 1;
	w->len = 0;
	out->len = 0;
	assert_true(zk_engine_apply(e, &op, out) >= 1);
	for (size_t a = 0; a < w->len; a++)
		n += w->acc[a].kind == ZK_SLOT_BUCKET;
	return n;
}

/*
 * Linear probing stays short for the id patterns clients actually use, on
 * a full book (50 % bucket load) after long churn. Probes are counted from
 * the witness: a property of the layout, not of timing.
 */
static void
test_probe_lengths(void **state)
{
	static const struct {
		const char *name;
		uint64_t base, stride;
	} pat[] = {
		{ "sequential", 1, 1 },
		{ "stride 2^16", 0, 1u << 16 },
		{ "stride = bucket count", 0, 2048 },
		{ "firm prefix", 7ull << 40, 1 },
		{ "odd ids", 1, 2 },
	};
	struct zk_market_params p = {
		.market = 1, .tick = 1, .lot = 1, .min_price = 1,
		.max_price = 1000, .max_qty = 100, .max_orders = 1024,
		.max_levels = 4,
	};
	uint64_t live[1024];

	(void)state;
	for (size_t k = 0; k < sizeof(pat) / sizeof(pat[0]); k++) {
		struct zk_engine *e = zk_engine_create(&p, 1);
		struct zk_event_buf out = { 0 };
		struct zk_witness w = { 0 };
		size_t n_live = 0, probes = 0, worst = 0, n;
		uint64_t issued = 0, s = k + 1;

		assert_non_null(e);
		zk_engine_set_witness(e, &w);
		/* Keep the book full while ids move on: 16 table sizes. */
		for (size_t step = 0; step < 32 * p.max_orders; step++) {
			if (n_live < p.max_orders) {
				uint64_t id = pat[k].base + issued++ * pat[k].stride;

				n = bucket_reads(e, &w,
						 op_gtc(id, 1, ZK_SIDE_BUY, 10, 1),
						 &out);
				assert_int_equal(out.ev[0].type, ZK_EV_ACCEPTED);
				live[n_live++] = id;
			} else {
				size_t victim = rnd(&s) % n_live;

				n = bucket_reads(e, &w, op_cancel(live[victim], 1, 0),
						 &out);
				assert_int_equal(out.ev[0].reason, ZK_CXL_USER);
				live[victim] = live[--n_live];
			}
			probes += n;
			worst = n > worst ? n : worst;
		}
		/* Lookups that miss run to an empty bucket. */
		for (uint64_t i = 0; i < p.max_orders; i++) {
			uint64_t id = pat[k].base + (issued + i) * pat[k].stride;

			n = bucket_reads(e, &w, op_cancel(id, 1, 0), &out);
			assert_int_equal(out.ev[0].reason, ZK_REJ_UNKNOWN_ORDER);
			probes += n;
			worst = n > worst ? n : worst;
		}
		/* A place is a miss then an insert, a cancel a hit then an erase
		 * that reads on to the end of the run: a few reads each. */
		if (probes > 8 * 33 * p.max_orders || worst > 96)
			fail_msg("%s ids: %zu bucket reads per op, worst %zu",
				 pat[k].name, probes / (33 * p.max_orders), worst);
		zk_witness_free(&w);
		zk_event_buf_free(&out);
		zk_engine_destroy(e);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encoding_and_kat),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_witness),
		cmocka_unit_test(test_probe_lengths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
