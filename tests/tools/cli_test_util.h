/* SPDX-License-Identifier: MIT */
/*
 * Shared by the CLI-level tests: run a command line through the shell and
 * keep what it printed, pull the events digest out of a summary, and a
 * scratch directory per test program.
 */
#ifndef ZKCLOB_TESTS_CLI_TEST_UTIL_H
#define ZKCLOB_TESTS_CLI_TEST_UTIL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* What the last run() printed (stdout and stderr). */
static char out[1 << 16];

/* Runs a shell command line; returns its exit status. Death by a signal
 * (a crash) fails the test with what it printed. */
static inline int run(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	FILE *p;
	size_t n = 0;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (n + 1 < sizeof(out) && fgets(out + n, (int)(sizeof(out) - n), p) != NULL)
		n += strlen(out + n);
	out[n] = '\0';
	st = pclose(p);
	if (!WIFEXITED(st))
		fail_msg("'%s' died by a signal:\n%s", cmd, out);
	return WEXITSTATUS(st);
}

/* The 64 hex digits after "digest:  " in the last output. */
static inline void digest_of(char d[65])
{
	const char *p = strstr(out, "digest:  ");

	if (p == NULL)
		fail_msg("no digest in:\n%s", out);
	memcpy(d, p + 9, 64);
	d[64] = '\0';
}

static inline int make_scratch_dir(char *tmpl)
{
	return mkdtemp(tmpl) == NULL ? -1 : 0;
}

static inline int remove_scratch_dir(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

#endif /* ZKCLOB_TESTS_CLI_TEST_UTIL_H */
