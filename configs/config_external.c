/* SPDX-License-Identifier: MIT */
/*
 * [external NAME] sections: out-of-process provers zkclobd starts itself
 * (backends/external.c). Kept apart from config.c so the rest of the
 * loader does not grow with them; config.c routes the section here.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_external.h"

#define BACKEND_PREFIX "external:"

/* Same values as backends/external.c's own defaults, so a section with
 * only a command behaves as the library does without a config. */
#define DEFAULT_MAX_PAYLOAD (16u << 20)
#define DEFAULT_IO_TIMEOUT_MS 2000u
#define DEFAULT_PROVE_TIMEOUT_MS 60000u
#define COMMAND_MAX (ZK_CONFIG_MAX_LINE - (int)strlen("command = "))

int zk_config_command_split(const char *command, char *buf, size_t cap,
			    char **argv, size_t max_argv, char *err,
			    size_t errlen)
{
	const char *s = command;
	size_t argc = 0, w = 0;

	if (cap < strlen(command) + 1 || max_argv < 2) {
		snprintf(err, errlen, "no room to split the command");
		return -1;
	}
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		if (argc + 1 >= max_argv) {
			snprintf(err, errlen, "more than %zu words", max_argv - 1);
			return -1;
		}
		argv[argc++] = buf + w;
		while (*s != '\0' && *s != ' ' && *s != '\t') {
			if (*s == '\'') {
				snprintf(err, errlen,
					 "a single quote: the command is not run by a shell (group words with double quotes)");
				return -1;
			}
			if (*s != '"') {
				buf[w++] = *s++;
				continue;
			}
			for (s++; *s != '"'; s++) {
				if (*s == '\0') {
					snprintf(err, errlen, "unterminated double quote");
					return -1;
				}
				if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
					s++;
				buf[w++] = *s;
			}
			s++;
		}
		buf[w++] = '\0';
	}
	if (argc == 0) {
		snprintf(err, errlen, "empty command");
		return -1;
	}
	argv[argc] = NULL;
	return (int)argc;
}

static bool name_ok(const char *name)
{
	size_t i, n = strlen(name);

	if (n == 0 || n >= ZK_CONFIG_EXTERNAL_NAME_MAX)
		return false;
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

int zk_cfgx_backend_name_ok(const char *backend)
{
	return strncmp(backend, BACKEND_PREFIX, strlen(BACKEND_PREFIX)) == 0 &&
	       name_ok(backend + strlen(BACKEND_PREFIX));
}

const struct zk_config_external *
zk_config_external_find(const struct zk_config *cfg, const char *backend)
{
	uint32_t i;

	if (strncmp(backend, BACKEND_PREFIX, strlen(BACKEND_PREFIX)) != 0)
		return NULL;
	backend += strlen(BACKEND_PREFIX);
	for (i = 0; i < cfg->prover.n_externals; i++)
		if (strcmp(cfg->prover.externals[i].name, backend) == 0)
			return &cfg->prover.externals[i];
	return NULL;
}

static bool parse_u32(const char *v, uint32_t min, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long long x;

	if (*v < '0' || *v > '9')
		return false;
	errno = 0;
	x = strtoull(v, &end, 10);
	if (errno != 0 || *end != '\0' || x < min || x > max)
		return false;
	*out = (uint32_t)x;
	return true;
}

static struct zk_config_external *find_or_add(struct zk_config *cfg,
					      const char *name, char *err,
					      size_t errlen)
{
	struct zk_config_prover *p = &cfg->prover;
	struct zk_config_external *x;
	uint32_t i;

	for (i = 0; i < p->n_externals; i++)
		if (strcmp(p->externals[i].name, name) == 0)
			return &p->externals[i];
	if (p->n_externals == ZK_CONFIG_MAX_EXTERNALS) {
		snprintf(err, errlen, "more than %d [external NAME] sections",
			 ZK_CONFIG_MAX_EXTERNALS);
		return NULL;
	}
	x = &p->externals[p->n_externals++];
	memset(x, 0, sizeof(*x));
	memcpy(x->name, name, strlen(name) + 1);
	x->max_payload = DEFAULT_MAX_PAYLOAD;
	x->io_timeout_ms = DEFAULT_IO_TIMEOUT_MS;
	x->prove_timeout_ms = DEFAULT_PROVE_TIMEOUT_MS;
	return x;
}

#define SET_MS(field, min, max)                                                \
	do {                                                                   \
		if (!parse_u32(value, (min), (max), &(field))) {               \
			snprintf(err, errlen,                                  \
				 "'%s' is not an integer in [%u, %u]", value,  \
				 (unsigned)(min), (unsigned)(max));            \
			return 0;                                              \
		}                                                              \
	} while (0)

int zk_cfgx_set(struct zk_config *cfg, const char *section, const char *key,
		const char *value, char *err, size_t errlen)
{
	const char *name = section + strlen(ZK_CFGX_SECTION);
	struct zk_config_external *x;

	if (!name_ok(name)) {
		snprintf(err, errlen,
			 "'%s' is not an external prover name (1 to %d of A-Z a-z 0-9 _ -)",
			 name, ZK_CONFIG_EXTERNAL_NAME_MAX - 1);
		return 0;
	}
	x = find_or_add(cfg, name, err, errlen);
	if (x == NULL)
		return 0;
	if (strcmp(key, "command") == 0) {
		char buf[sizeof(x->command)], *argv[ZK_CONFIG_MAX_ARGV];
		char why[160];

		/* what a dump's "command = " line can hold */
		if (strlen(value) > COMMAND_MAX) {
			snprintf(err, errlen,
				 "longer than %d characters (an INI line's limit): put a long command in a wrapper script",
				 COMMAND_MAX);
			return 0;
		}
		if (zk_config_command_split(value, buf, sizeof(buf), argv,
					    ZK_CONFIG_MAX_ARGV, why,
					    sizeof(why)) < 0) {
			snprintf(err, errlen, "%s", why);
			return 0;
		}
		memcpy(x->command, value, strlen(value) + 1);
	} else if (strcmp(key, "max_payload") == 0)
		/* below 4096 a describe reply and a statement do not fit */
		SET_MS(x->max_payload, 4096u, 1u << 30);
	else if (strcmp(key, "io_timeout_ms") == 0)
		SET_MS(x->io_timeout_ms, 1u, 600000u);
	else if (strcmp(key, "prove_timeout_ms") == 0)
		SET_MS(x->prove_timeout_ms, 1u, 86400000u);
	else {
		snprintf(err, errlen, "unknown key");
		return 0;
	}
	return 1;
}

/* The line of `key` in [section] of an INI text (the section's header
 * line when key is NULL); 0 when absent. Only for blaming a line in an
 * error: it follows inih's layout rules closely enough for that. */
static int line_of(const char *text, const char *section, const char *key)
{
	const char *s = text;
	bool inside = false;
	int line = 0;

	while (*s != '\0') {
		size_t len = strcspn(s, "\n");
		const char *p = s, *end = s + len;

		line++;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p < end && *p == '[') {
			const char *close = memchr(p, ']', (size_t)(end - p));

			inside = close != NULL &&
				 (size_t)(close - p - 1) == strlen(section) &&
				 memcmp(p + 1, section, strlen(section)) == 0;
			if (inside && key == NULL)
				return line;
		} else if (inside && key != NULL &&
			   (size_t)(end - p) > strlen(key) &&
			   memcmp(p, key, strlen(key)) == 0) {
			const char *q = p + strlen(key);

			while (q < end && (*q == ' ' || *q == '\t'))
				q++;
			if (q < end && (*q == '=' || *q == ':'))
				return line;
		}
		s = *end == '\n' ? end + 1 : end;
	}
	return 0;
}

static void blame(char *err, size_t errlen, const char *source, int line,
		  const char *what)
{
	if (line > 0)
		snprintf(err, errlen, "%s:%d: %s", source, line, what);
	else
		snprintf(err, errlen, "%s: %s", source, what);
}

int zk_cfgx_check(const struct zk_config *cfg, const char *source,
		  const char *text, char *err, size_t errlen)
{
	const struct zk_config_prover *p = &cfg->prover;
	char section[64], what[256];
	uint32_t i;

	for (i = 0; i < p->n_externals; i++) {
		const struct zk_config_external *x = &p->externals[i];

		if (x->command[0] != '\0')
			continue;
		snprintf(section, sizeof(section), ZK_CFGX_SECTION "%s", x->name);
		snprintf(what, sizeof(what),
			 "[%s] command: missing (the prover program and its arguments)",
			 section);
		blame(err, errlen, source, line_of(text, section, NULL), what);
		return -1;
	}
	for (i = 0; i < p->n_backends; i++) {
		const char *b = p->backends[i];
		const char *name = b + strlen(BACKEND_PREFIX);

		if (strncmp(b, BACKEND_PREFIX, strlen(BACKEND_PREFIX)) != 0 ||
		    zk_config_external_find(cfg, b) != NULL)
			continue;
		snprintf(section, sizeof(section), ZK_CFGX_SECTION "%s", name);
		if (line_of(text, section, NULL) > 0) {
			/* a header alone sets no key, so it made no entry */
			snprintf(what, sizeof(what),
				 "[%s] command: missing (the prover program and its arguments)",
				 section);
			blame(err, errlen, source, line_of(text, section, NULL),
			      what);
		} else {
			snprintf(what, sizeof(what),
				 "[prover] backends: '%s' names no [%s] section",
				 b, section);
			blame(err, errlen, source,
			      line_of(text, "prover", "backends"), what);
		}
		return -1;
	}
	return 0;
}

int zk_cfgx_write(const struct zk_config *cfg, FILE *out)
{
	uint32_t i;

	for (i = 0; i < cfg->prover.n_externals; i++) {
		const struct zk_config_external *x = &cfg->prover.externals[i];

		fprintf(out,
			"\n[" ZK_CFGX_SECTION "%s]\ncommand = %s\nmax_payload = %" PRIu32
			"\nio_timeout_ms = %" PRIu32 "\nprove_timeout_ms = %" PRIu32 "\n",
			x->name, x->command, x->max_payload, x->io_timeout_ms,
			x->prove_timeout_ms);
	}
	return ferror(out) ? -1 : 0;
}
