/* SPDX-License-Identifier: MIT */
/*
 * Replay: a capture's frames through the wire parser and the matching
 * engine, without DPDK. Shared by `zkclob replay` and `zkclob run`.
 *
 * The capture is read into memory first so that the timed part is parse +
 * apply + digest only, never disk I/O.
 */
#ifndef ZKCLOB_TOOLS_REPLAY_H
#define ZKCLOB_TOOLS_REPLAY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "zkclob/config.h"
#include "zkclob/event.h"
#include "zkclob/wire.h"

struct zk_capture {
	uint8_t *data;     /* frames back to back */
	size_t *off;       /* frame i is data[off[i] .. off[i+1]) */
	size_t n_frames;
};

struct zk_replay_result {
	struct zk_wire_stats wire;
	uint64_t events[ZK_EV_DONE + 1];   /* by event type */
	uint64_t rejects[ZK_REJ_COUNT];    /* by reject reason */
	uint64_t traded_lots;
	uint8_t digest[32];
	double parse_only_s;   /* the same frames through the parser alone */
	double replay_s;       /* parse + apply + digest */
};

/* 0, or -1 with a reason in err. */
int zk_capture_load(struct zk_capture *cap, const char *path, char *err,
		    size_t errlen);
void zk_capture_free(struct zk_capture *cap);

/* 0, or -1 with a reason in err (engine creation, out of memory). */
int zk_replay(const struct zk_config *cfg, const struct zk_capture *cap,
	      struct zk_replay_result *res, char *err, size_t errlen);

void zk_replay_print(const struct zk_replay_result *res, FILE *out);

#endif /* ZKCLOB_TOOLS_REPLAY_H */
