/* SPDX-License-Identifier: MIT */
/*
 * A minimal HTTP/1.0 client for the telemetry tests: one request to
 * 127.0.0.1, whole response read until the server closes.
 */
#ifndef ZKCLOB_TEST_HTTP_CLIENT_H
#define ZKCLOB_TEST_HTTP_CLIENT_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/*
 * Send `method path` (with `body` when not NULL) to 127.0.0.1:port. Returns
 * the status code with the response (headers and body, NUL-terminated,
 * truncated to len) in resp, or -1 when the connection fails.
 */
static inline int
http_request(uint16_t port, const char *method, const char *path,
	     const char *body, char *resp, size_t len)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct timeval tv = { .tv_sec = 5 };
	char req[512];
	size_t got = 0;
	int fd, n, status = -1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	n = snprintf(req, sizeof(req),
		     "%s %s HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: %zu\r\n\r\n%s",
		     method, path, body ? strlen(body) : 0, body ? body : "");
	if (n < 0 || (size_t)n >= sizeof(req) ||
	    send(fd, req, (size_t)n, MSG_NOSIGNAL) != n) {
		close(fd);
		return -1;
	}
	for (;;) {
		char tmp[4096];
		ssize_t r = recv(fd, tmp, sizeof(tmp), 0);
		size_t keep;

		if (r <= 0)
			break;
		keep = (size_t)r < len - 1 - got ? (size_t)r : len - 1 - got;
		memcpy(resp + got, tmp, keep);
		got += keep;
	}
	resp[got] = '\0';
	close(fd);
	if (sscanf(resp, "HTTP/1.%*d %d", &status) != 1)
		return -1;
	return status;
}

/* The body after the blank line, or NULL. */
static inline const char *
http_body(const char *resp)
{
	const char *p = strstr(resp, "\r\n\r\n");

	return p ? p + 4 : NULL;
}

#endif /* ZKCLOB_TEST_HTTP_CLIENT_H */
