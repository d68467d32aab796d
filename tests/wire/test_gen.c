/* SPDX-License-Identifier: MIT */
/*
 * Generator tests: determinism of the pcap, pcap → parser gives back the
 * in-memory stream, the flow looks like the documented mix, and the pcap
 * reader/writer report errors instead of failing silently.
 */

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "zkclob/gen.h"
#include "zkclob/pcapio.h"
#include "zkclob/wire.h"
#include "wire_test_util.h"

static char tmpdir[64];

static int
make_tmpdir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/zkwire-test-XXXXXX");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
remove_tmpdir(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
tmp_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
}

static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void
write_pcap(const struct zk_gen_params *p, const char *name, char *path,
	   size_t pathlen, struct zk_gen_stats *st)
{
	char err[256] = "";
	int rc;

	tmp_path(path, pathlen, name);
	rc = zk_gen_write_pcap(p, path, st, err, sizeof(err));
	if (rc != 0)
		fail_msg("zk_gen_write_pcap: %d %s", rc, err);
}

static void
test_determinism(void **state)
{
	char a[128], b[128], c[128];
	struct zk_gen_params p;
	struct zk_gen_stats st;
	unsigned char *fa, *fb, *fc;
	size_t la, lb, lc;

	(void)state;
	zk_gen_params_default(&p);
	p.count = 5000;
	p.markets = 3;
	write_pcap(&p, "a.pcap", a, sizeof(a), &st);
	write_pcap(&p, "b.pcap", b, sizeof(b), &st);
	p.seed = 2;
	write_pcap(&p, "c.pcap", c, sizeof(c), &st);
	fa = slurp(a, &la);
	fb = slurp(b, &lb);
	fc = slurp(c, &lc);
	assert_int_equal(la, lb);
	assert_memory_equal(fa, fb, la);
	assert_true(la != lc || memcmp(fa, fc, la) != 0);
	free(fa);
	free(fb);
	free(fc);
}

/* The pcap, parsed, is exactly the in-memory stream zk_gen_ops produces. */
static void
test_pcap_matches_ops(void **state)
{
	struct zk_pcap_reader *r;
	struct zk_wire_parser parser;
	struct zk_wire_cfg cfg;
	struct zk_gen_params p;
	struct zk_gen_stats st;
	struct zk_op *want, got[64];
	char path[128], err[256];
	const uint8_t *frame;
	size_t len, total = 0, n, i;
	uint64_t frames = 0, ts, last_ts = 0;
	int rc;

	(void)state;
	zk_gen_params_default(&p);
	p.count = 4003;
	p.markets = 2;
	p.msgs_per_packet = 16;
	write_pcap(&p, "rt.pcap", path, sizeof(path), &st);
	assert_int_equal(st.msgs, p.count);
	assert_int_equal(st.packets, (p.count + 15) / 16);

	want = calloc(p.count, sizeof(*want));
	assert_non_null(want);
	assert_int_equal(zk_gen_ops(&p, want, p.count, err, sizeof(err)), 0);

	zk_wire_cfg_default(&cfg);
	zk_wire_parser_init(&parser, &cfg);
	assert_int_equal(zk_pcap_reader_open(&r, path, err, sizeof(err)), 0);
	while ((rc = zk_pcap_reader_next(r, &frame, &len, &ts)) == 1) {
		assert_true(ts >= last_ts);
		last_ts = ts;
		frames++;
		n = zk_wire_parse_frame(&parser, frame, len, got, 64);
		for (i = 0; i < n; i++)
			assert_memory_equal(&got[i], &want[total + i],
					    sizeof(got[i]));
		total += n;
	}
	assert_int_equal(rc, 0);
	zk_pcap_reader_close(r);
	assert_int_equal(total, p.count);
	assert_int_equal(frames, st.packets + 1);
	assert_int_equal(parser.stats.end_of_session, 1);
	assert_int_equal(parser.stats.gap_events, 0);
	assert_int_equal(t_drops_total(&parser.stats, 0) +
				 t_drops_total(&parser.stats, 1), 0);
	free(want);
}

/* The first k ops do not depend on how many are asked for. */
static void
test_prefix_stable(void **state)
{
	struct zk_gen_params p;
	static struct zk_op a[3000], b[1000];
	char err[256];

	(void)state;
	zk_gen_params_default(&p);
	assert_int_equal(zk_gen_ops(&p, a, 3000, err, sizeof(err)), 0);
	assert_int_equal(zk_gen_ops(&p, b, 1000, err, sizeof(err)), 0);
	assert_memory_equal(a, b, sizeof(b));
}

static void
test_mix(void **state)
{
	const uint64_t n = 200000;
	struct zk_gen_params p;
	struct zk_gen_stats st;
	struct zk_gen *g;
	struct zk_op op;
	uint64_t i, last_id = 0, aggressors, seen_hi_levels = 0;
	char err[256];

	(void)state;
	zk_gen_params_default(&p);
	p.tick = 5;
	p.ref_price = 50000;
	p.price_band = 5000;
	p.lot = 10;
	p.markets = 2;
	assert_int_equal(zk_gen_create(&g, &p, err, sizeof(err)), 0);
	for (i = 0; i < n; i++) {
		zk_gen_next(g, &op);
		assert_int_equal(op.seq, i + 1);
		assert_true(op.market >= 1 && op.market <= 2);
		assert_true(op.account >= 1 && op.account <= p.accounts);
		assert_true(zk_wire_msg_len(&op) > 0);
		if (op.type == ZK_OP_NEW) {
			/* ids are handed out in order, so never reused */
			assert_true(op.order_id > last_id);
			last_id = op.order_id;
			assert_true(op.qty > 0 && op.qty % p.lot == 0);
			assert_true(op.qty <= p.max_lots * p.lot);
		} else if (op.type == ZK_OP_REPLACE) {
			assert_true(op.order_id < op.new_order_id);
			assert_true(op.new_order_id > last_id);
			last_id = op.new_order_id;
		}
		if (op.price != 0) {
			assert_int_equal(op.price % p.tick, 0);
			assert_true(op.price >= p.ref_price - p.price_band);
			assert_true(op.price <= p.ref_price + p.price_band);
		}
		if (i >= n / 2 && i % 1000 == 0) {
			zk_gen_get_stats(g, &st);
			/* steady state: ~1,000 orders over ~750 levels per market */
			assert_in_range(st.live_orders, 2 * 900, 2 * 1100);
			assert_in_range(st.price_levels, 2 * 600, 2 * 900);
			seen_hi_levels += st.price_levels >= 2 * 700;
		}
	}
	assert_true(seen_hi_levels > 0);
	zk_gen_get_stats(g, &st);
	zk_gen_destroy(g);

	assert_int_equal(st.msgs, n);
	assert_int_equal(st.places + st.moves + st.reduces + st.cancels +
				 st.ioc + st.fok + st.market, n);
	aggressors = st.ioc + st.fok + st.market;
	/* only a few percent of the flow trades */
	assert_in_range(aggressors * 1000 / n, 20, 60);
	/* places and moves dominate */
	assert_true((st.places + st.moves) * 100 / n >= 60);
	assert_true(st.moves > st.places);
	assert_true(st.cancels > 0 && st.reduces > 0 && st.fok > 0 &&
		    st.market > 0 && st.post_only > 0);
	assert_true(st.full_fills > 0 && st.full_fills < aggressors);
	/* stale references are rare: cancels mostly name live orders */
	assert_true(st.stale_refs > 0);
	assert_true(st.stale_refs * 100 < st.cancels + st.moves);
}

static void
test_params_rejected(void **state)
{
	struct zk_gen_params p;
	char err[256] = "";
	struct zk_op op;

	(void)state;
	zk_gen_params_default(&p);
	assert_int_equal(zk_gen_params_check(&p, err, sizeof(err)), 0);
	p.accounts = 1;
	assert_int_equal(zk_gen_ops(&p, &op, 1, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "accounts"));
	zk_gen_params_default(&p);
	p.ref_price = 100001;
	p.tick = 2;
	assert_int_equal(zk_gen_params_check(&p, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "tick"));
	zk_gen_params_default(&p);
	p.msgs_per_packet = 0;
	assert_int_equal(zk_gen_params_check(&p, err, sizeof(err)), -EINVAL);
	zk_gen_params_default(&p);
	p.price_band = 10;
	assert_int_equal(zk_gen_params_check(&p, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "price_band"));
}

static void
test_pcap_errors(void **state)
{
	struct zk_pcap_reader *r = NULL;
	struct zk_pcap_writer *w = NULL;
	struct zk_gen_params p;
	char path[128], err[256] = "";
	FILE *f;

	(void)state;
	assert_true(zk_pcap_reader_open(&r, "/nonexistent/x.pcap", err,
					sizeof(err)) < 0);
	assert_null(r);
	assert_non_null(strstr(err, "/nonexistent/x.pcap"));

	tmp_path(path, sizeof(path), "garbage.pcap");
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs("this is not a capture file at all", f);
	fclose(f);
	err[0] = '\0';
	assert_true(zk_pcap_reader_open(&r, path, err, sizeof(err)) < 0);
	assert_true(strlen(err) > 0);

	err[0] = '\0';
	assert_true(zk_pcap_writer_open(&w, "/nonexistent/dir/y.pcap", err,
					sizeof(err)) < 0);
	assert_null(w);
	assert_true(strlen(err) > 0);

	zk_gen_params_default(&p);
	p.count = 10;
	err[0] = '\0';
	assert_true(zk_gen_write_pcap(&p, "/nonexistent/dir/z.pcap", NULL, err,
				      sizeof(err)) < 0);
	assert_true(strlen(err) > 0);

	tmp_path(path, sizeof(path), "w.pcap");
	assert_int_equal(zk_pcap_writer_open(&w, path, err, sizeof(err)), 0);
	assert_int_equal(zk_pcap_writer_write(w, (const uint8_t *)"", 0, 0),
			 -EINVAL);
	assert_true(strlen(zk_pcap_writer_error(w)) > 0);
	assert_int_equal(zk_pcap_writer_close(w), 0);
}

/* A record cut short on disk is returned as captured and dropped cleanly. */
static void
test_truncated_record(void **state)
{
	struct zk_pcap_writer *w;
	struct zk_pcap_reader *r;
	struct zk_wire_parser parser;
	struct zk_wire_cfg cfg;
	struct zk_op ops[8];
	uint8_t fr[512];
	const uint8_t *frame;
	char path[128], err[256];
	size_t len, flen;

	(void)state;
	flen = t_frame(fr, sizeof(fr), "TRUNC", 1, 2);
	tmp_path(path, sizeof(path), "trunc.pcap");
	assert_int_equal(zk_pcap_writer_open(&w, path, err, sizeof(err)), 0);
	assert_int_equal(zk_pcap_writer_write(w, fr, flen - 5, 1000), 0);
	assert_int_equal(zk_pcap_writer_close(w), 0);
	assert_int_equal(zk_pcap_reader_open(&r, path, err, sizeof(err)), 0);
	assert_int_equal(zk_pcap_reader_next(r, &frame, &len, NULL), 1);
	assert_int_equal(len, flen - 5);
	zk_wire_cfg_default(&cfg);
	zk_wire_parser_init(&parser, &cfg);
	assert_int_equal(zk_wire_parse_frame(&parser, frame, len, ops, 8), 0);
	assert_int_equal(parser.stats.drops[ZK_DROP_IP_TOTAL_LEN], 1);
	assert_int_equal(zk_pcap_reader_next(r, &frame, &len, NULL), 0);
	zk_pcap_reader_close(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_pcap_matches_ops),
		cmocka_unit_test(test_prefix_stable),
		cmocka_unit_test(test_mix),
		cmocka_unit_test(test_params_rejected),
		cmocka_unit_test(test_pcap_errors),
		cmocka_unit_test(test_truncated_record),
	};

	return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
