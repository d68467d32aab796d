/* SPDX-License-Identifier: MIT */
/* `zkclob prove --serve` (tools/serve.c). */
#ifndef ZKCLOB_TOOLS_SERVE_H
#define ZKCLOB_TOOLS_SERVE_H

#include <stdint.h>

#include "zkclob/config.h"

/* Serve the external prover protocol on stdin/stdout with the native CLOB
 * STARK under `params`, proofs made with `threads` threads. Exit status: 0
 * when the caller closed the channel, 1 on a broken frame or I/O error. */
int zk_cli_serve(const struct zk_config *cfg, uint8_t params,
		 unsigned threads);

#endif /* ZKCLOB_TOOLS_SERVE_H */
