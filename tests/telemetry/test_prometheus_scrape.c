/* SPDX-License-Identifier: MIT */
/*
 * A real Prometheus server (Debian's /usr/bin/prometheus) scrapes our
 * endpoint on 127.0.0.1 every second, with our alerting rules loaded, until
 * its query API returns the counter value this test set. Storage lives in a
 * temporary directory; everything listens on 127.0.0.1 only. Exits 77
 * (skipped) when Prometheus is not installed. argv[1]: configs/alerts.yml.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include <cmocka.h>

#include "zkclob/metrics.h"

#include "http_client.h"

#define PROMETHEUS "/usr/bin/prometheus"
#define KNOWN_FRAMES 271828u
#define WAIT_LIMIT_MS 30000

/* Absolute: Prometheus resolves rule files against its config's folder. */
static char alerts_path[PATH_MAX];

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* A port nothing listens on right now (the kernel's ephemeral choice). */
static uint16_t
free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	uint16_t port;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static void
write_config(const char *dir, uint16_t target_port, const char *rules)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/prometheus.yml", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f,
		"global:\n"
		"  scrape_interval: 1s\n"
		"  scrape_timeout: 1s\n"
		"  evaluation_interval: 1s\n"
		"rule_files:\n"
		"  - '%s'\n"
		"scrape_configs:\n"
		"  - job_name: zkclob\n"
		"    static_configs:\n"
		"      - targets: ['127.0.0.1:%u']\n",
		rules, target_port);
	assert_int_equal(fclose(f), 0);
}

static pid_t
start_prometheus(const char *dir, uint16_t web_port)
{
	char config[PATH_MAX + 16], storage[PATH_MAX + 24], web[48];
	char log[PATH_MAX];
	pid_t pid;

	snprintf(config, sizeof(config), "--config.file=%s/prometheus.yml", dir);
	snprintf(storage, sizeof(storage), "--storage.tsdb.path=%s/data", dir);
	snprintf(web, sizeof(web), "--web.listen-address=127.0.0.1:%u",
		 web_port);
	snprintf(log, sizeof(log), "%s/prometheus.log", dir);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		execl(PROMETHEUS, "prometheus", config, storage, web,
		      (char *)NULL);
		_exit(127);
	}
	return pid;
}

static void
stop_prometheus(pid_t pid)
{
	uint64_t deadline = now_ms() + 10000;
	int status;

	kill(pid, SIGTERM);
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (now_ms() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		usleep(50000);
	}
}

static void
show_log(const char *dir)
{
	char cmd[PATH_MAX + 32];

	snprintf(cmd, sizeof(cmd), "tail -n 30 '%s/prometheus.log' >&2", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "no prometheus log\n");
}

static void
prometheus_scrapes_our_counter(void **state)
{
	static char resp[1 << 16];
	char dir[] = "/tmp/zk_prom_XXXXXX";
	char want[64], cmd[64], err[128];
	struct zk_metrics *reg = zk_metrics_create();
	struct zk_metrics_server *srv;
	struct zk_counter *frames;
	uint64_t deadline;
	bool seen = false, rules = false, exited = false;
	pid_t pid;

	(void)state;
	frames = zk_metrics_counter(reg, ZK_METRIC_RX_FRAMES,
				    "Frames received by the rx lcores.", NULL, 0);
	zk_counter_add(frames, KNOWN_FRAMES);
	srv = zk_metrics_server_start(reg, "127.0.0.1:0", err, sizeof(err));
	assert_non_null(srv);
	assert_non_null(mkdtemp(dir));
	write_config(dir, zk_metrics_server_port(srv), alerts_path);
	uint16_t web_port = free_port();
	pid = start_prometheus(dir, web_port);

	snprintf(want, sizeof(want), "\"%u\"]", KNOWN_FRAMES);
	deadline = now_ms() + WAIT_LIMIT_MS;
	while (!(seen && rules) && now_ms() < deadline) {
		int status;

		if (waitpid(pid, &status, WNOHANG) == pid) {
			exited = true;
			break;
		}
		if (!seen && http_request(web_port, "GET",
				"/api/v1/query?query=" ZK_METRIC_RX_FRAMES
				"%7Bjob%3D%22zkclob%22%7D", NULL, resp,
				sizeof(resp)) == 200)
			seen = strstr(resp, want) != NULL;
		/* Our rule file loaded into a real server, not just linted. */
		if (!rules && http_request(web_port, "GET", "/api/v1/rules",
					   NULL, resp, sizeof(resp)) == 200)
			rules = strstr(resp, "ZkclobProofFailures") != NULL;
		usleep(250000);
	}
	if (!exited)
		stop_prometheus(pid);
	if (!(seen && rules))
		show_log(dir);
	zk_metrics_server_stop(srv);
	zk_metrics_destroy(reg);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	assert_false(exited);
	assert_true(rules);
	assert_true(seen);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(prometheus_scrapes_our_counter),
	};

	if (argc < 2) {
		fprintf(stderr, "usage: %s ALERTS.yml\n", argv[0]);
		return 2;
	}
	if (access(PROMETHEUS, X_OK) != 0) {
		printf("%s not installed (tools/install-deps.sh installs it): skipped\n",
		       PROMETHEUS);
		return 77;
	}
	if (realpath(argv[1], alerts_path) == NULL) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
