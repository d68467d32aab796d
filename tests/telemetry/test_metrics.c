/* SPDX-License-Identifier: MIT */
/*
 * Metrics registry and text exposition: golden output for a small
 * registry, label and HELP escaping, cumulative histogram buckets, sums
 * under concurrent writers, registration errors, extra text and
 * collectors, the [metrics] config section, and the appliance's series.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "zkclob/metrics.h"

static void
golden_small_registry(void **state)
{
	const struct zk_hist_spec spec = { 1, 4, 1, 1.0 };
	const struct zk_metric_label get = { "method", "get" };
	const struct zk_metric_label put = { "method", "put" };
	struct zk_metrics *reg = zk_metrics_create();
	struct zk_counter *c_get, *c_put, *c_plain;
	struct zk_gauge *g;
	struct zk_histogram *h;
	char buf[4096];
	const char *want =
		"# HELP t_requests_total Requests served.\n"
		"# TYPE t_requests_total counter\n"
		"t_requests_total{method=\"get\"} 3\n"
		"t_requests_total{method=\"put\"} 0\n"
		"# HELP t_depth Queue depth.\n"
		"# TYPE t_depth gauge\n"
		"t_depth -7\n"
		"# HELP t_size Sizes.\n"
		"# TYPE t_size histogram\n"
		"t_size_bucket{le=\"1\"} 1\n"
		"t_size_bucket{le=\"2\"} 3\n"
		"t_size_bucket{le=\"4\"} 4\n"
		"t_size_bucket{le=\"+Inf\"} 5\n"
		"t_size_sum 18\n"
		"t_size_count 5\n"
		"# HELP t_plain_total No labels.\n"
		"# TYPE t_plain_total counter\n"
		"t_plain_total 42\n"
		"# extra block\n";

	(void)state;
	assert_non_null(reg);
	c_get = zk_metrics_counter(reg, "t_requests_total", "Requests served.",
				   &get, 1);
	c_put = zk_metrics_counter(reg, "t_requests_total", "Requests served.",
				   &put, 1);
	g = zk_metrics_gauge(reg, "t_depth", "Queue depth.", NULL, 0);
	h = zk_metrics_histogram(reg, "t_size", "Sizes.", NULL, 0, &spec);
	c_plain = zk_metrics_counter(reg, "t_plain_total", "No labels.", NULL,
				     0);
	assert_non_null(c_get);
	assert_non_null(c_put);
	assert_ptr_not_equal(c_get, c_put);
	assert_non_null(g);
	assert_non_null(h);
	assert_non_null(c_plain);
	/* The same name and labels give the same series back. */
	assert_ptr_equal(zk_metrics_counter(reg, "t_requests_total", "x",
					    &get, 1), c_get);
	assert_int_equal(zk_metrics_add_text(reg, "# extra block\n"), 0);

	zk_counter_inc(c_get);
	zk_counter_add(c_get, 2);
	zk_gauge_set(g, 5);
	zk_gauge_add(g, -12);
	zk_counter_add(c_plain, 42);
	/* 1 → le 1; 2, 2 → le 2; 3 → le 4; 10 → +Inf only. */
	zk_histogram_observe(h, 1);
	zk_histogram_observe(h, 2);
	zk_histogram_observe(h, 2);
	zk_histogram_observe(h, 3);
	zk_histogram_observe(h, 10);

	assert_int_equal(zk_metrics_render(reg, buf, sizeof(buf)),
			 (int)strlen(want));
	assert_string_equal(buf, want);
	assert_int_equal(zk_histogram_count(h), 5);
	assert_int_equal(zk_histogram_sum(h), 18);
	zk_metrics_destroy(reg);
}

static void
escaping(void **state)
{
	const struct zk_metric_label l[2] = {
		{ "path", "a\"b\\c\nd" },
		{ "plain", "ünïcode ok" },
	};
	struct zk_metrics *reg = zk_metrics_create();
	char buf[1024];

	(void)state;
	zk_counter_inc(zk_metrics_counter(reg, "t_esc_total",
					  "Back\\slash and\nnewline \"kept\".",
					  l, 2));
	assert_true(zk_metrics_render(reg, buf, sizeof(buf)) > 0);
	assert_string_equal(buf,
		"# HELP t_esc_total Back\\\\slash and\\nnewline \"kept\".\n"
		"# TYPE t_esc_total counter\n"
		"t_esc_total{path=\"a\\\"b\\\\c\\nd\",plain=\"ünïcode ok\"} 1\n");
	zk_metrics_destroy(reg);
}

/* Value of the line that starts with `prefix` followed by a space. */
static double
value_of(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (strncmp(p, prefix, n) == 0 && p[n] == ' ')
			return strtod(p + n + 1, NULL);
	fail_msg("no line %s", prefix);
	return -1;
}

static void
latency_buckets_cumulative(void **state)
{
	const struct zk_hist_spec spec = ZK_HIST_LATENCY_NS;
	const uint64_t samples[] = { 1, 999, 1000, 1001, 1500, 250000,
				     3000000, 59000000000u, 60000000000u,
				     61000000000u, 7200000000000u };
	const size_t n = sizeof(samples) / sizeof(samples[0]);
	uint64_t bounds[ZK_METRICS_MAX_BUCKETS];
	unsigned int nb;
	struct zk_metrics *reg = zk_metrics_create();
	struct zk_histogram *h;
	static char buf[32768];
	uint64_t sum = 0;

	(void)state;
	h = zk_metrics_histogram(reg, "t_lat_seconds", "Latency.", NULL, 0,
				 &spec);
	assert_non_null(h);
	nb = zk_histogram_bounds(h, bounds, ZK_METRICS_MAX_BUCKETS);
	/* Log-linear: starts at lowest, reaches highest, steps <= 1.5x. */
	assert_int_equal(bounds[0], 1000);
	assert_true(bounds[nb - 1] >= 60000000000u);
	assert_true(bounds[nb - 2] < 60000000000u);
	for (unsigned int i = 1; i < nb; i++) {
		assert_true(bounds[i] > bounds[i - 1]);
		assert_true(bounds[i] * 2 <= bounds[i - 1] * 3);
	}
	for (size_t i = 0; i < n; i++) {
		zk_histogram_observe(h, samples[i]);
		sum += samples[i];
	}
	assert_true(zk_metrics_render(reg, buf, sizeof(buf)) > 0);

	/* Every bucket counts exactly the samples <= its bound. */
	for (unsigned int b = 0; b < nb; b++) {
		char line[96];
		char le[40];
		unsigned int want = 0;

		for (size_t i = 0; i < n; i++)
			want += samples[i] <= bounds[b];
		snprintf(le, sizeof(le), "%.17g", (double)bounds[b] / 1e9);
		/* the exposition prints the shortest exact form */
		for (int prec = 1; prec <= 17; prec++) {
			snprintf(le, sizeof(le), "%.*g", prec,
				 (double)bounds[b] / 1e9);
			if (strtod(le, NULL) == (double)bounds[b] / 1e9)
				break;
		}
		snprintf(line, sizeof(line), "t_lat_seconds_bucket{le=\"%s\"}",
			 le);
		assert_int_equal((unsigned int)value_of(buf, line), want);
	}
	assert_non_null(strstr(buf, "t_lat_seconds_bucket{le=\"1e-06\"} 3\n"));
	assert_non_null(strstr(buf, "t_lat_seconds_bucket{le=\"1.5e-06\"} 5\n"));
	assert_int_equal(value_of(buf, "t_lat_seconds_bucket{le=\"+Inf\"}"), n);
	assert_int_equal(value_of(buf, "t_lat_seconds_count"), n);
	assert_true(value_of(buf, "t_lat_seconds_sum") == (double)sum / 1e9);
	zk_metrics_destroy(reg);
}

/* The O(1) bucket lookup agrees with a plain count at every bound. */
static void
bucket_lookup_matches_reference(void **state)
{
	const struct zk_hist_spec specs[] = {
		{ 1, 65536, 1, 1.0 }, { 1, 1000, 16, 1.0 }, { 7, 100000, 5, 1.0 },
		{ 1000, 60000000000u, 3, 1.0 }, { 3, 1u << 30, 2, 1.0 },
	};
	static uint64_t values[4 * ZK_METRICS_MAX_BUCKETS + 2000];
	static char buf[65536];
	uint64_t bounds[ZK_METRICS_MAX_BUCKETS];
	uint64_t x = 0x9e3779b97f4a7c15u;

	(void)state;
	for (size_t k = 0; k < sizeof(specs) / sizeof(specs[0]); k++) {
		struct zk_metrics *reg = zk_metrics_create();
		struct zk_histogram *h = zk_metrics_histogram(reg, "t_h", "H.",
							       NULL, 0,
							       &specs[k]);
		unsigned int nb, nv = 0;

		assert_non_null(h);
		nb = zk_histogram_bounds(h, bounds, ZK_METRICS_MAX_BUCKETS);
		assert_true(nb > 1 && nb <= ZK_METRICS_MAX_BUCKETS);
		values[nv++] = 0;
		values[nv++] = UINT64_MAX;
		for (unsigned int b = 0; b < nb; b++) {
			values[nv++] = bounds[b] - 1;
			values[nv++] = bounds[b];
			values[nv++] = bounds[b] + 1;
		}
		for (unsigned int i = 0; i < 1000; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* spread over every magnitude, not just huge values */
			values[nv++] = x >> (x % 64);
		}
		for (unsigned int i = 0; i < nv; i++)
			zk_histogram_observe(h, values[i]);
		assert_true(zk_metrics_render(reg, buf, sizeof(buf)) > 0);
		for (unsigned int b = 0; b < nb; b++) {
			char line[64];
			unsigned int want = 0;

			for (unsigned int i = 0; i < nv; i++)
				want += values[i] <= bounds[b];
			snprintf(line, sizeof(line),
				 "t_h_bucket{le=\"%llu\"}",
				 (unsigned long long)bounds[b]);
			assert_int_equal((unsigned int)value_of(buf, line), want);
		}
		assert_int_equal(zk_histogram_count(h), nv);
		zk_metrics_destroy(reg);
	}
}

#define WRITERS 4
#define PER_WRITER 200000

struct shared {
	struct zk_counter *c;
	struct zk_gauge *g;
	struct zk_histogram *h;
};

static void *
writer(void *arg)
{
	struct shared *s = arg;

	for (unsigned int i = 0; i < PER_WRITER; i++) {
		zk_counter_inc(s->c);
		zk_gauge_add(s->g, (i & 1) ? 3 : -1);
		zk_histogram_observe(s->h, i % 8);
	}
	return NULL;
}

static void
concurrent_writers_sum(void **state)
{
	const struct zk_hist_spec spec = { 1, 8, 1, 1.0 };
	struct zk_metrics *reg = zk_metrics_create();
	struct shared s;
	pthread_t t[WRITERS];
	char buf[4096];

	(void)state;
	s.c = zk_metrics_counter(reg, "t_ops_total", "Ops.", NULL, 0);
	s.g = zk_metrics_gauge(reg, "t_level", "Level.", NULL, 0);
	s.h = zk_metrics_histogram(reg, "t_mod", "i mod 8.", NULL, 0, &spec);
	for (int i = 0; i < WRITERS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, writer, &s), 0);
	/* A scrape in the middle of the writes must stay self-consistent. */
	assert_true(zk_metrics_render(reg, buf, sizeof(buf)) > 0);
	assert_true(value_of(buf, "t_mod_count") ==
		    value_of(buf, "t_mod_bucket{le=\"+Inf\"}"));
	for (int i = 0; i < WRITERS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);

	assert_int_equal(zk_counter_value(s.c), (uint64_t)WRITERS * PER_WRITER);
	assert_int_equal(zk_gauge_value(s.g), (int64_t)WRITERS * PER_WRITER);
	assert_int_equal(zk_histogram_count(s.h),
			 (uint64_t)WRITERS * PER_WRITER);
	/* i mod 8 sums to 28 per 8 iterations. */
	assert_int_equal(zk_histogram_sum(s.h),
			 (uint64_t)WRITERS * PER_WRITER / 8 * 28);
	assert_true(zk_metrics_render(reg, buf, sizeof(buf)) > 0);
	assert_true(value_of(buf, "t_ops_total") == WRITERS * PER_WRITER);
	/* le 1 holds 0 and 1: a quarter of the samples. */
	assert_true(value_of(buf, "t_mod_bucket{le=\"1\"}") ==
		    WRITERS * PER_WRITER / 4);
	zk_metrics_destroy(reg);
}

static void
registration_errors(void **state)
{
	const struct zk_hist_spec spec = ZK_HIST_COUNT;
	const struct zk_hist_spec other = { 2, 64, 1, 1.0 };
	const struct zk_hist_spec bad = { 0, 64, 1, 1.0 };
	const struct zk_metric_label le = { "le", "1" };
	const struct zk_metric_label a = { "a", "1" };
	const struct zk_metric_label b = { "b", "1" };
	const struct zk_metric_label reserved = { "__name", "1" };
	const struct zk_metric_label dup[2] = { { "a", "1" }, { "a", "2" } };
	const struct zk_metric_label null_value = { "a", NULL };
	struct zk_metrics *reg = zk_metrics_create();

	(void)state;
	errno = 0;
	assert_null(zk_metrics_counter(reg, "9starts_with_digit", "", NULL, 0));
	assert_int_equal(errno, EINVAL);
	assert_null(zk_metrics_counter(reg, "has space", "", NULL, 0));
	assert_null(zk_metrics_counter(reg, "", "", NULL, 0));
	assert_null(zk_metrics_counter(reg, "ok_total", "", &reserved, 1));
	assert_null(zk_metrics_counter(reg, "ok_total", "", dup, 2));
	assert_null(zk_metrics_counter(reg, "ok_total", "", &null_value, 1));
	assert_null(zk_metrics_histogram(reg, "h", "", &le, 1, &spec));
	assert_int_equal(errno, EINVAL);
	assert_null(zk_metrics_histogram(reg, "h", "", NULL, 0, &bad));
	assert_int_equal(errno, EINVAL);

	assert_non_null(zk_metrics_counter(reg, "ns:ok_total", "", &a, 1));
	errno = 0;
	assert_null(zk_metrics_gauge(reg, "ns:ok_total", "", &a, 1));
	assert_int_equal(errno, EEXIST);
	assert_null(zk_metrics_counter(reg, "ns:ok_total", "", &b, 1));
	assert_int_equal(errno, EINVAL);
	assert_null(zk_metrics_counter(reg, "ns:ok_total", "", NULL, 0));
	assert_int_equal(errno, EINVAL);
	assert_non_null(zk_metrics_histogram(reg, "h", "", NULL, 0, &spec));
	assert_null(zk_metrics_histogram(reg, "h", "", NULL, 0, &other));
	assert_int_equal(errno, EEXIST);

	/* Updates through a series that was never registered do nothing. */
	zk_counter_inc(NULL);
	zk_gauge_set(NULL, 1);
	zk_histogram_observe(NULL, 1);
	assert_int_equal(zk_counter_value(NULL), 0);
	assert_int_equal(zk_metrics_add_text(reg, "no newline"), -1);
	zk_metrics_destroy(reg);
}

static int
sized_collector(void *ctx, char *buf, size_t len)
{
	size_t *size = ctx;

	if (len <= *size)
		return -1;
	memset(buf, '#', *size);
	buf[*size - 1] = '\n';
	buf[*size] = '\0';
	return (int)*size;
}

static void
render_targets_agree(void **state)
{
	struct zk_metrics *reg = zk_metrics_create();
	size_t big = 20000; /* more than a collector's first try when to FILE */
	static char buf[32768];
	char *mem = NULL;
	size_t mem_len = 0;
	FILE *f;
	int len;

	(void)state;
	zk_counter_add(zk_metrics_counter(reg, "t_a_total", "A.", NULL, 0), 9);
	assert_int_equal(zk_metrics_add_collector(reg, sized_collector, &big),
			 0);
	len = zk_metrics_render(reg, buf, sizeof(buf));
	assert_int_equal(len, (int)(strlen("# HELP t_a_total A.\n"
					   "# TYPE t_a_total counter\n"
					   "t_a_total 9\n") + big));
	f = open_memstream(&mem, &mem_len);
	assert_non_null(f);
	assert_int_equal(zk_metrics_write(reg, f), 0);
	fclose(f);
	assert_int_equal(mem_len, (size_t)len);
	assert_memory_equal(mem, buf, mem_len);
	free(mem);

	/* Too small: -1, never an overrun. */
	assert_int_equal(zk_metrics_render(reg, buf, 30), -1);
	assert_int_equal(zk_metrics_render(reg, buf, (size_t)len), -1);
	assert_int_equal(zk_metrics_render(reg, buf, (size_t)len + 1), len);
	zk_metrics_destroy(reg);
}

static void
load(struct zk_metrics_cfg *cfg, char *text)
{
	char err[128];

	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char *eq = strstr(line, " = ");

		if (line[0] == '[') {
			assert_string_equal(line, "[metrics]");
			continue;
		}
		assert_non_null(eq);
		*eq = '\0';
		assert_int_equal(zk_metrics_config_set(cfg, "metrics", line,
						       eq + 3, err,
						       sizeof(err)), 0);
	}
}

static void
config_section(void **state)
{
	struct zk_metrics_cfg cfg, back;
	char err[128];
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	zk_metrics_config_default(&cfg);
	assert_true(cfg.enabled);
	assert_string_equal(cfg.listen, "127.0.0.1:9464");

	assert_int_equal(zk_metrics_config_set(&cfg, "router", "enabled",
					       "nonsense", err, sizeof(err)), 1);
	assert_int_equal(zk_metrics_config_set(&cfg, "metrics", "enabled",
					       "maybe", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "true or false"));
	assert_int_equal(zk_metrics_config_set(&cfg, "metrics", "colour",
					       "red", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown key"));
	const char *bad[] = { "9464", "127.0.0.1", "127.0.0.1:65536",
			      "127.0.0.1:-1", "127.0.0.1:", "::1:9464",
			      "[::1]9464", "example.com:9464", "1.2.3:80",
			      "127.0.0.1:80x" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(zk_metrics_config_set(&cfg, "metrics",
						       "listen", bad[i], err,
						       sizeof(err)), -1);
	assert_string_equal(cfg.listen, "127.0.0.1:9464");
	const char *good[] = { "0.0.0.0:9100", "[::1]:0", "localhost:1" };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(zk_metrics_config_set(&cfg, "metrics",
						       "listen", good[i], err,
						       sizeof(err)), 0);
		assert_string_equal(cfg.listen, good[i]);
	}

	assert_int_equal(zk_metrics_config_set(&cfg, "metrics", "enabled",
					       "no", err, sizeof(err)), 0);
	f = open_memstream(&text, &len);
	assert_int_equal(zk_metrics_config_write(&cfg, f), 0);
	fclose(f);
	zk_metrics_config_default(&back);
	load(&back, text);
	free(text);
	assert_false(back.enabled);
	assert_string_equal(back.listen, "localhost:1");
}

static void
appliance_series(void **state)
{
	const char *const reasons[] = { "short_frame", "bad_length", NULL };
	const char *const types[] = { "accepted", "trade", NULL };
	const char *const cuts[] = { "size", "timeout", NULL };
	const char *const backends[] = { "stark-fast", "external", NULL };
	const char *const too_many[ZK_METRICS_STD_MAX_BACKENDS + 2] = {
		"a", "b", "c", "d", "e", "f", "g", "h", "i", NULL };
	const char *const unproven[] = { "unsupported", "failed", NULL };
	struct zk_metrics_std_labels labels = { reasons, types, cuts, backends,
						unproven };
	struct zk_metrics_std std;
	struct zk_metrics *reg = zk_metrics_create();
	static char buf[65536];
	char err[128];
	const char *names[] = {
		ZK_METRIC_RX_FRAMES, ZK_METRIC_RX_DROPS,
		ZK_METRIC_RING_FULL_STALLS, ZK_METRIC_OPS_APPLIED,
		ZK_METRIC_EVENTS, ZK_METRIC_BATCHES, ZK_METRIC_BATCH_OPS,
		ZK_METRIC_BATCH_LATENCY, ZK_METRIC_PROOF_SECONDS,
		ZK_METRIC_PROOFS, ZK_METRIC_VERIFY_SECONDS,
		ZK_METRIC_ROUTER_FAILOVERS, ZK_METRIC_BREAKER_STATE,
		ZK_METRIC_LOG_DURABLE_LAG,
	};

	(void)state;
	assert_int_equal(zk_metrics_std_register(reg, &labels, &std, err,
						 sizeof(err)), 0);
	zk_counter_add(std.rx_drops[1], 4);
	zk_counter_inc(std.proofs[1][ZK_PROOF_RESULT_TIMEOUT]);
	zk_gauge_set(std.breaker_state[0], 1);
	zk_histogram_observe(std.proof_seconds[1], 2500000);
	assert_true(zk_metrics_render(reg, buf, sizeof(buf)) > 0);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char type_line[128];

		snprintf(type_line, sizeof(type_line), "# TYPE %s ", names[i]);
		assert_non_null(strstr(buf, type_line));
	}
	assert_int_equal(value_of(buf,
		"zkclob_rx_drops_total{reason=\"bad_length\"}"), 4);
	assert_int_equal(value_of(buf,
		"zkclob_proofs_total{backend=\"external\",result=\"timeout\"}"), 1);
	assert_int_equal(value_of(buf,
		"zkclob_breaker_state{backend=\"stark-fast\"}"), 1);
	assert_int_equal(value_of(buf,
		"zkclob_proof_seconds_bucket{backend=\"external\",le=\"0.003072\"}"), 1);
	assert_true(value_of(buf,
		"zkclob_proof_seconds_sum{backend=\"external\"}") == 0.0025);
	assert_string_equal(zk_metrics_proof_result_name(ZK_PROOF_RESULT_REJECTED),
			    "rejected");
	zk_metrics_destroy(reg);

	reg = zk_metrics_create();
	labels.backends = too_many;
	assert_int_equal(zk_metrics_std_register(reg, &labels, &std, err,
						 sizeof(err)), -1);
	assert_non_null(strstr(err, "backends"));
	zk_metrics_destroy(reg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(golden_small_registry),
		cmocka_unit_test(escaping),
		cmocka_unit_test(latency_buckets_cumulative),
		cmocka_unit_test(bucket_lookup_matches_reference),
		cmocka_unit_test(concurrent_writers_sum),
		cmocka_unit_test(registration_errors),
		cmocka_unit_test(render_targets_agree),
		cmocka_unit_test(config_section),
		cmocka_unit_test(appliance_series),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
