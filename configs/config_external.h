/* SPDX-License-Identifier: MIT */
/*
 * [external NAME] sections (config.c's private half for them).
 *
 * Spec
 *  - zk_cfgx_set() takes one key of an [external NAME] section; a NAME seen
 *    for the first time starts from the defaults (16 MiB frames, 2 s I/O,
 *    60 s prove), so a section may hold only its command.
 *  - zk_cfgx_check() runs once a source is parsed: every external:NAME in
 *    [prover] backends has its section and every section has a command. The
 *    source text is searched for the line to blame, so these errors name
 *    FILE:LINE like the per-key ones.
 */
#ifndef ZKCLOB_CONFIG_EXTERNAL_H
#define ZKCLOB_CONFIG_EXTERNAL_H

#include <stddef.h>
#include <stdio.h>

#include "zkclob/config.h"

#define ZK_CFGX_SECTION "external "

/* 1 taken; 0 refused, with "reason" (no section or key prefix) in err. */
int zk_cfgx_set(struct zk_config *cfg, const char *section, const char *key,
		const char *value, char *err, size_t errlen);

/* Whether a [prover] backends word may name an external ("external:NAME"
 * with a well-formed NAME); the section itself is checked later. */
int zk_cfgx_backend_name_ok(const char *backend);

/* 0, or -1 with "SOURCE:LINE: [section] key: reason" in err. */
int zk_cfgx_check(const struct zk_config *cfg, const char *source,
		  const char *text, char *err, size_t errlen);

/* The [external NAME] sections, each as a complete section. */
int zk_cfgx_write(const struct zk_config *cfg, FILE *out);

#endif /* ZKCLOB_CONFIG_EXTERNAL_H */
