/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the zkVM tests (tests/zkvm): the traffic of a scenario
 * (the project's generator for realistic mixes, a local adversarial
 * generator with tiny books and fields sometimes out of range), a growable
 * byte buffer, files, and running zkclob-zkvm-exec.
 */
#ifndef ZKCLOB_TESTS_ZKVM_TRAFFIC_H
#define ZKCLOB_TESTS_ZKVM_TRAFFIC_H

#include <stddef.h>
#include <stdint.h>

#include "zkclob/engine.h"
#include "zkclob/gen.h"

#define N_ADV_MARKETS 3
#define MAX_MARKETS 3

struct scenario {
	const char *name;
	uint64_t seed;
	int adversarial;
	size_t n_ops;
	uint32_t batch_ops;
	enum zk_stp_mode stp;
	uint32_t max_orders, max_levels; /* realistic only */
};

struct buf {
	uint8_t *p;
	size_t len, cap;
};

void buf_put(struct buf *b, const void *src, size_t n);
void buf_u32(struct buf *b, uint32_t v);
void buf_u64(struct buf *b, uint64_t v);
uint64_t get_be(const uint8_t *p, int n);

/* Market parameters of the scenario (gp filled for realistic ones);
 * returns the number of markets. */
size_t make_params(const struct scenario *sc, struct zk_market_params *p,
		   struct zk_gen_params *gp);
/* sc->n_ops ops, seq 1.., malloc'ed. */
struct zk_op *make_ops(const struct scenario *sc,
		       const struct zk_gen_params *gp);

void write_file(const char *path, const struct buf *b);
uint8_t *read_file(const char *path, size_t *len);
/* Runs `exe` with up to three arguments (NULL-terminated); exit status, or
 * -1 when it could not run or died of a signal. */
int run_exec(const char *exe, const char *a1, const char *a2,
	     const char *a3);

#endif /* ZKCLOB_TESTS_ZKVM_TRAFFIC_H */
