/* SPDX-License-Identifier: MIT */
/*
 * The [metrics] config section, parsed key by key so that configs/config.c
 * can route it here from its inih handler and add file and line to the
 * reason, as it does for [router].
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "metrics_priv.h"

void
zk_metrics_config_default(struct zk_metrics_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->enabled = true;
	snprintf(cfg->listen, sizeof(cfg->listen), "%s",
		 ZK_METRICS_LISTEN_DEFAULT);
}

static int
parse_port(const char *p, uint16_t *port)
{
	char *end;
	unsigned long v;

	if (*p < '0' || *p > '9')
		return -1;
	errno = 0;
	v = strtoul(p, &end, 10);
	if (errno != 0 || *end != '\0' || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

int
zk_metrics_parse_listen(const char *listen, struct sockaddr_storage *addr,
			socklen_t *addr_len, char *err, size_t errlen)
{
	char host[ZK_METRICS_LISTEN_MAX];
	const char *colon;
	uint16_t port;
	size_t hlen;

	memset(addr, 0, sizeof(*addr));
	if (listen == NULL || strlen(listen) >= sizeof(host))
		goto bad;
	if (listen[0] == '[') {
		const char *close = strchr(listen, ']');

		if (close == NULL || close[1] != ':')
			goto bad;
		hlen = (size_t)(close - listen - 1);
		memcpy(host, listen + 1, hlen);
		host[hlen] = '\0';
		colon = close + 1;
	} else {
		colon = strrchr(listen, ':');
		if (colon == NULL)
			goto bad;
		hlen = (size_t)(colon - listen);
		memcpy(host, listen, hlen);
		host[hlen] = '\0';
		/* An unbracketed IPv6 literal would be ambiguous. */
		if (strchr(host, ':') != NULL)
			goto bad;
	}
	if (parse_port(colon + 1, &port) != 0) {
		snprintf(err, errlen, "port must be 0..65535 (0: ephemeral)");
		return -1;
	}
	if (listen[0] == '[') {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)addr;

		if (inet_pton(AF_INET6, host, &a6->sin6_addr) != 1)
			goto bad;
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(port);
		*addr_len = sizeof(*a6);
	} else {
		struct sockaddr_in *a4 = (struct sockaddr_in *)addr;

		/* No resolver: a name other than localhost could bind a
		 * non-loopback address nobody wrote down. */
		if (strcmp(host, "localhost") == 0)
			snprintf(host, sizeof(host), "127.0.0.1");
		if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
			goto bad;
		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		*addr_len = sizeof(*a4);
	}
	return 0;
bad:
	snprintf(err, errlen,
		 "must be host:port with an IPv4 literal, [IPv6 literal] or localhost");
	return -1;
}

static int
parse_bool(const char *v, bool *out)
{
	if (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 ||
	    strcmp(v, "1") == 0)
		*out = true;
	else if (strcmp(v, "false") == 0 || strcmp(v, "no") == 0 ||
		 strcmp(v, "0") == 0)
		*out = false;
	else
		return -1;
	return 0;
}

int
zk_metrics_config_set(struct zk_metrics_cfg *cfg, const char *section,
		      const char *key, const char *value, char *err,
		      size_t errlen)
{
	struct sockaddr_storage addr;
	socklen_t addr_len;

	if (strcmp(section, "metrics") != 0)
		return 1;
	if (strcmp(key, "enabled") == 0) {
		if (parse_bool(value, &cfg->enabled) != 0) {
			snprintf(err, errlen, "must be true or false");
			return -1;
		}
		return 0;
	}
	if (strcmp(key, "listen") == 0) {
		if (zk_metrics_parse_listen(value, &addr, &addr_len, err,
					    errlen) != 0)
			return -1;
		snprintf(cfg->listen, sizeof(cfg->listen), "%s", value);
		return 0;
	}
	snprintf(err, errlen, "unknown key (enabled, listen)");
	return -1;
}

int
zk_metrics_config_write(const struct zk_metrics_cfg *cfg, FILE *out)
{
	fprintf(out, "[metrics]\nenabled = %s\nlisten = %s\n",
		cfg->enabled ? "true" : "false", cfg->listen);
	return ferror(out) ? -1 : 0;
}
