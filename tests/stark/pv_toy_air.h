/* SPDX-License-Identifier: MIT */
/*
 * A small AIR that touches every prover path, for the prover/verifier
 * smoke and proof-format tests: 3 main columns (a, b, c), a Fibonacci
 * step a' = b, b' = a + b, a periodic selector s (period 4) gating the
 * degree-3 constraint s·(c - a·b) = 0 (so two composition chunks), and
 * one aux column acc' = acc + a + r (r the aux challenge), acc[0] = 0.
 * Public input: b at the last row, 8 bytes little-endian.
 */
#ifndef ZKCLOB_TESTS_PV_TOY_AIR_H
#define ZKCLOB_TESTS_PV_TOY_AIR_H

#include <stdint.h>

#include "air.h"

struct pv_toy {
	struct zk_air air;
	uint8_t pub[8];
	zk_gl *cols[3];
	unsigned log_n;
};

/* Build the AIR and an honest trace of 2^log_n rows. 0 or -1 (ENOMEM). */
int pv_toy_init(struct pv_toy *t, unsigned log_n, int with_aux);
void pv_toy_free(struct pv_toy *t);

#endif /* ZKCLOB_TESTS_PV_TOY_AIR_H */
