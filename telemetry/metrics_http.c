/* SPDX-License-Identifier: MIT */
/*
 * GET /metrics over HTTP with libmicrohttpd (docs/metrics.md says why not
 * DPDK telemetry). The daemon polls on its own thread and renders from the
 * registry's atomics, so a scrape never waits on, or stalls, a hot path.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <microhttpd.h>

#include "metrics_priv.h"

/* Prometheus scrapes one connection at a time; a few spare for curl. */
#define ZK_METRICS_HTTP_CONNECTIONS 8
#define ZK_METRICS_HTTP_TIMEOUT_S 10

struct zk_metrics_server {
	struct MHD_Daemon *daemon;
	struct zk_metrics *reg;
	uint16_t port;
};

static enum MHD_Result
reply_text(struct MHD_Connection *conn, unsigned int status, const char *text)
{
	struct MHD_Response *resp;
	enum MHD_Result rc;

	resp = MHD_create_response_from_buffer(strlen(text), (void *)text,
					       MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				"text/plain; charset=utf-8");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
					"GET, HEAD");
	rc = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return rc;
}

static enum MHD_Result
reply_metrics(struct MHD_Connection *conn, struct zk_metrics *reg)
{
	struct MHD_Response *resp;
	enum MHD_Result rc;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int wrc;

	f = open_memstream(&text, &len);
	if (f == NULL)
		return reply_text(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
				  "out of memory\n");
	wrc = zk_metrics_write(reg, f);
	if (fclose(f) != 0 || wrc != 0) {
		free(text);
		return reply_text(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
				  "rendering metrics failed\n");
	}
	resp = MHD_create_response_from_buffer(len, text,
					       MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				"text/plain; version=0.0.4; charset=utf-8");
	rc = MHD_queue_response(conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return rc;
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *conn, const char *url,
       const char *method, const char *version, const char *upload_data,
       size_t *upload_data_size, void **con_cls)
{
	struct zk_metrics_server *srv = cls;

	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	(void)con_cls;
	/* Answered on the first call: a request body is never read. */
	if (strcmp(url, "/metrics") != 0)
		return reply_text(conn, MHD_HTTP_NOT_FOUND,
				  "not found: try /metrics\n");
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return reply_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
				  "method not allowed: use GET\n");
	return reply_metrics(conn, srv->reg);
}

static uint16_t
bound_port(struct MHD_Daemon *d)
{
	const union MHD_DaemonInfo *info;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_LISTEN_FD);
	if (info == NULL ||
	    getsockname(info->listen_fd, (struct sockaddr *)&ss, &len) != 0)
		return 0;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

struct zk_metrics_server *
zk_metrics_server_start(struct zk_metrics *reg, const char *listen,
			char *err, size_t errlen)
{
	struct zk_metrics_server *srv;
	struct sockaddr_storage addr;
	socklen_t addr_len;
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD;

	if (reg == NULL) {
		snprintf(err, errlen, "no registry");
		return NULL;
	}
	if (zk_metrics_parse_listen(listen, &addr, &addr_len, err, errlen) != 0)
		return NULL;
	srv = calloc(1, sizeof(*srv));
	if (srv == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	srv->reg = reg;
	if (addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	errno = 0;
	srv->daemon = MHD_start_daemon(flags, 0, NULL, NULL, handle, srv,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_CONNECTION_LIMIT,
		(unsigned int)ZK_METRICS_HTTP_CONNECTIONS,
		MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned int)ZK_METRICS_HTTP_TIMEOUT_S,
		MHD_OPTION_END);
	if (srv->daemon == NULL) {
		snprintf(err, errlen, "cannot serve metrics on %s: %s", listen,
			 errno ? strerror(errno) : "libmicrohttpd failed");
		free(srv);
		return NULL;
	}
	srv->port = bound_port(srv->daemon);
	return srv;
}

uint16_t
zk_metrics_server_port(const struct zk_metrics_server *srv)
{
	return srv ? srv->port : 0;
}

void
zk_metrics_server_stop(struct zk_metrics_server *srv)
{
	if (srv == NULL)
		return;
	MHD_stop_daemon(srv->daemon);
	free(srv);
}
