/* SPDX-License-Identifier: MIT */
/*
 * The CLOB prover files' error-text helper: the caller's (err, errlen) may
 * be NULL/0 when it does not want a reason. Not a public header.
 */
#ifndef ZKCLOB_PROVER_CLOB_ERRF_H
#define ZKCLOB_PROVER_CLOB_ERRF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

__attribute__((format(printf, 3, 4))) static inline void
clob_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

#endif /* ZKCLOB_PROVER_CLOB_ERRF_H */
