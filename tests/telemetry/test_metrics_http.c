/* SPDX-License-Identifier: MIT */
/*
 * The /metrics endpoint on 127.0.0.1 with an ephemeral port: GET serves
 * the registry, other paths 404, other methods 405, stop closes the port;
 * promtool accepts the appliance's exposition (placement gauges included)
 * and the alerting rules; every metric the rules and the dashboard use is
 * one the appliance exports; the rules fire as alerts_test.yml expects.
 * argv: configs/alerts.yml configs/dashboard.json alerts_test.yml.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "zkclob/metrics.h"
#include "zkclob/placement.h"

#include "http_client.h"

static const char *alerts_path;
static const char *dashboard_path;
static const char *alerts_test_path;

static const char *const reasons[] = { "short_frame", "bad_length",
				       "unknown_type", NULL };
static const char *const types[] = { "accepted", "rejected", "trade",
				     "cancelled", "replaced", "done", NULL };
static const char *const cuts[] = { "size", "timeout", "gap", "flush", NULL };
static const char *const backends[] = { "stark-fast", "stark-compact",
					"external", NULL };
static const char *const unproven[] = { "unsupported", "failed", "deadline",
					"no_backend", "abandoned", NULL };

static int
placement_collector(void *ctx, char *buf, size_t len)
{
	return zk_placement_to_metrics(ctx, buf, len);
}

/* The appliance's registry as zkclobd builds it, with some traffic. */
static struct zk_metrics *
appliance_registry(struct zk_metrics_std *std, struct zk_placement *plan)
{
	struct zk_metrics_std_labels labels = { reasons, types, cuts, backends,
						unproven };
	struct zk_metrics *reg = zk_metrics_create();
	char err[128];

	assert_non_null(reg);
	assert_int_equal(zk_metrics_std_register(reg, &labels, std, err,
						 sizeof(err)), 0);
	memset(plan, 0, sizeof(*plan));
	plan->role[ZK_ROLE_RX].count = 1;
	plan->role[ZK_ROLE_SEQUENCER].count = 1;
	plan->role[ZK_ROLE_SEQUENCER].cpu[0] = 1;
	plan->n_cpus = 2;
	plan->n_cores = 2;
	plan->n_nodes = 1;
	assert_int_equal(zk_metrics_add_collector(reg, placement_collector,
						  plan), 0);
	zk_counter_add(std->rx_frames, 1000);
	zk_counter_add(std->rx_drops[1], 3);
	zk_histogram_observe(std->batch_ops, 256);
	zk_histogram_observe(std->batch_latency, 12000000);
	zk_histogram_observe(std->proof_seconds[0], 450000000);
	zk_counter_inc(std->proofs[0][ZK_PROOF_RESULT_OK]);
	zk_gauge_set(std->log_durable_lag, 2);
	return reg;
}

static void
serves_metrics_and_stops(void **state)
{
	struct zk_metrics_std std;
	struct zk_placement plan;
	struct zk_metrics *reg = appliance_registry(&std, &plan);
	struct zk_metrics_server *srv;
	static char resp[1 << 17], want[1 << 17];
	const char *body;
	char err[128];
	uint16_t port;

	(void)state;
	srv = zk_metrics_server_start(reg, "127.0.0.1:0", err, sizeof(err));
	assert_non_null(srv);
	port = zk_metrics_server_port(srv);
	assert_true(port != 0);

	assert_int_equal(http_request(port, "GET", "/metrics", NULL, resp,
				      sizeof(resp)), 200);
	assert_non_null(strstr(resp,
		"Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"));
	body = http_body(resp);
	assert_non_null(body);
	assert_true(zk_metrics_render(reg, want, sizeof(want)) > 0);
	assert_string_equal(body, want);
	assert_non_null(strstr(body, "zkclob_rx_frames_total 1000\n"));
	assert_non_null(strstr(body, "zkclob_placement_role_threads"));

	/* A scrape reads the live atomics. */
	zk_counter_add(std.rx_frames, 234);
	assert_int_equal(http_request(port, "GET", "/metrics", NULL, resp,
				      sizeof(resp)), 200);
	assert_non_null(strstr(resp, "zkclob_rx_frames_total 1234\n"));

	assert_int_equal(http_request(port, "HEAD", "/metrics", NULL, resp,
				      sizeof(resp)), 200);
	assert_int_equal(http_request(port, "GET", "/", NULL, resp,
				      sizeof(resp)), 404);
	assert_int_equal(http_request(port, "GET", "/metrics/x", NULL, resp,
				      sizeof(resp)), 404);
	assert_int_equal(http_request(port, "POST", "/metrics", "a=1", resp,
				      sizeof(resp)), 405);
	assert_non_null(strstr(resp, "Allow: GET, HEAD\r\n"));
	assert_int_equal(http_request(port, "DELETE", "/metrics", NULL, resp,
				      sizeof(resp)), 405);

	/* The port is taken while serving, free after stop. */
	{
		char listen[32];

		snprintf(listen, sizeof(listen), "127.0.0.1:%u", port);
		assert_null(zk_metrics_server_start(reg, listen, err,
						    sizeof(err)));
		assert_non_null(strstr(err, "cannot serve metrics"));
		zk_metrics_server_stop(srv);
		assert_int_equal(http_request(port, "GET", "/metrics", NULL,
					      resp, sizeof(resp)), -1);
		srv = zk_metrics_server_start(reg, listen, err, sizeof(err));
		assert_non_null(srv);
		assert_int_equal(zk_metrics_server_port(srv), port);
		zk_metrics_server_stop(srv);
	}
	zk_metrics_server_stop(NULL);
	zk_metrics_destroy(reg);
}

static void
rejects_bad_listen(void **state)
{
	struct zk_metrics *reg = zk_metrics_create();
	char err[128] = "";

	(void)state;
	assert_null(zk_metrics_server_start(reg, "nowhere", err, sizeof(err)));
	assert_non_null(strstr(err, "host:port"));
	assert_null(zk_metrics_server_start(NULL, "127.0.0.1:0", err,
					    sizeof(err)));
	zk_metrics_destroy(reg);
}

static bool
have_promtool(void)
{
	return system("command -v promtool >/dev/null 2>&1") == 0;
}

static void
promtool_accepts_exposition(void **state)
{
	struct zk_metrics_std std;
	struct zk_placement plan;
	struct zk_metrics *reg;
	char path[] = "/tmp/zk_metrics_XXXXXX";
	char cmd[128];
	FILE *f;
	int fd, rc;

	(void)state;
	if (!have_promtool()) {
		print_message("promtool not installed (tools/install-deps.sh installs it): skipped\n");
		skip();
	}
	reg = appliance_registry(&std, &plan);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_int_equal(zk_metrics_write(reg, f), 0);
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof(cmd), "promtool check metrics < %s", path);
	rc = system(cmd);
	unlink(path);
	zk_metrics_destroy(reg);
	assert_true(WIFEXITED(rc));
	assert_int_equal(WEXITSTATUS(rc), 0);
}

static void
promtool_accepts_alert_rules(void **state)
{
	char cmd[1024];
	int rc;

	(void)state;
	if (!have_promtool()) {
		print_message("promtool not installed (tools/install-deps.sh installs it): skipped\n");
		skip();
	}
	snprintf(cmd, sizeof(cmd), "promtool check rules '%s'", alerts_path);
	rc = system(cmd);
	assert_true(WIFEXITED(rc));
	assert_int_equal(WEXITSTATUS(rc), 0);
}

static void
promtool_alert_rules_fire(void **state)
{
	char cmd[1024];
	int rc;

	(void)state;
	if (!have_promtool()) {
		print_message("promtool not installed (tools/install-deps.sh installs it): skipped\n");
		skip();
	}
	snprintf(cmd, sizeof(cmd), "promtool test rules '%s'",
		 alerts_test_path);
	rc = system(cmd);
	assert_true(WIFEXITED(rc));
	assert_int_equal(WEXITSTATUS(rc), 0);
}

/* Fails the test on the first zkclob_* name in path that is not exported. */
static void
names_are_exported(const char *path, const char *exposition)
{
	static const char *const suffixes[] = { "_bucket", "_sum", "_count" };
	static char text[1 << 17];
	unsigned int checked = 0;
	size_t len;
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	len = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[len] = '\0';
	for (const char *p = strstr(text, "zkclob_"); p;
	     p = strstr(p, "zkclob_")) {
		char name[128], type_line[160];
		size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789_");
		bool found;

		assert_true(n < sizeof(name));
		memcpy(name, p, n);
		name[n] = '\0';
		p += n;
		snprintf(type_line, sizeof(type_line), "# TYPE %s ", name);
		found = strstr(exposition, type_line) != NULL;
		for (size_t i = 0; !found && i < 3; i++) {
			size_t sl = strlen(suffixes[i]);

			if (n > sl && strcmp(name + n - sl, suffixes[i]) == 0) {
				snprintf(type_line, sizeof(type_line),
					 "# TYPE %.*s histogram", (int)(n - sl),
					 name);
				found = strstr(exposition, type_line) != NULL;
			}
		}
		if (!found)
			fail_msg("%s uses %s, which zkclobd does not export",
				 path, name);
		checked++;
	}
	assert_true(checked >= 5);
}

static void
rules_and_dashboard_use_exported_names(void **state)
{
	struct zk_metrics_std std;
	struct zk_placement plan;
	struct zk_metrics *reg = appliance_registry(&std, &plan);
	static char text[1 << 17];

	(void)state;
	assert_true(zk_metrics_render(reg, text, sizeof(text)) > 0);
	names_are_exported(alerts_path, text);
	names_are_exported(dashboard_path, text);
	zk_metrics_destroy(reg);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(serves_metrics_and_stops),
		cmocka_unit_test(rejects_bad_listen),
		cmocka_unit_test(promtool_accepts_exposition),
		cmocka_unit_test(promtool_accepts_alert_rules),
		cmocka_unit_test(promtool_alert_rules_fire),
		cmocka_unit_test(rules_and_dashboard_use_exported_names),
	};

	if (argc < 4) {
		fprintf(stderr,
			"usage: %s ALERTS.yml DASHBOARD.json ALERTS_TEST.yml\n",
			argv[0]);
		return 2;
	}
	alerts_test_path = argv[3];
	alerts_path = argv[1];
	dashboard_path = argv[2];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
