/* SPDX-License-Identifier: MIT */
/* `zkclob prove` / `zkclob verify` (tools/prove.c). */
#ifndef ZKCLOB_TOOLS_PROVE_H
#define ZKCLOB_TOOLS_PROVE_H

#include <stdbool.h>
#include <stdint.h>

#include "zkclob/config.h"

struct zk_prove_args {
	const char *capture;
	const char *out_dir;
	uint32_t market;
	uint64_t skip;   /* ops of the market before the batch */
	uint32_t count;  /* ops of the market in the batch */
	uint8_t params;  /* ZK_PARAMS_FAST / ZK_PARAMS_COMPACT */
	unsigned threads;
	uint32_t batches; /* consecutive batches to prove, >= 1 */
	const char *log;  /* NULL, or a proof log to append every batch to */
};

/* Exit status: 0 proven and written, 1 refused or failed, 2 usage. */
int zk_cli_prove(const struct zk_config *cfg, const struct zk_prove_args *a);

/* Exit status: 0 only when the proof verifies against the files in dir. */
int zk_cli_verify(const struct zk_config *cfg, uint8_t params, const char *dir);

/* Exit status: 0 only when every proof record verifies (under the STARK
 * set its params_id names; params != 0 requires that set), every market's
 * records chain (roots, batch numbers, op order, skips, restarts) and,
 * unless allow_unproven, no record is unproven or test-only. */
int zk_cli_verify_log(const struct zk_config *cfg, uint8_t params,
		      bool allow_unproven, const char *path);

#endif /* ZKCLOB_TOOLS_PROVE_H */
