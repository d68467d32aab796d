/* SPDX-License-Identifier: MIT */
/*
 * Bus AIRs for multi-table proofs (backends/stark/multi.h): a table that
 * produces values onto a LogUp bus, one that consumes them, or one with
 * no bus, each with a configurable load of filler columns, so that tests
 * and perf/bench_multi.c can build a tall narrow "access" table feeding a
 * short wide "hash" table, or one wide table carrying both.
 *
 * Spec
 *  - Main columns: v (value), m (multiplicity), sel (only when gated),
 *    then n_quad columns a_j and n_cube columns b_j. Transitions:
 *      a_j[i+1] = a_j[i]^2 + v[i] + j + 1                      (degree 2)
 *      g·(b_j[i+1] - b_j[i]^3 - v[i] - j - 1) = 0,             (degree 3)
 *        g = sel[i] when gated (degree 4), else 1
 *      sel[i]·(sel[i] - 1) = 0 when gated
 *    so a_j and b_j stand for the access and hash witness of a real AIR.
 *  - Bus (role producer or consumer), one aux column s, challenge α =
 *    rand[0]: s[0] = 0 and
 *      (s[i+1] - s[i])·(α - v[i+1]) = ±m[i+1]       (+ producer, - consumer)
 *    so s[n-1] = ±Σ_{i>=1} m[i]/(α - v[i]): the table's partial sum, to be
 *    named by a port (bus, aux column 0). Row 0 carries no term: m[0] = 0
 *    is asserted.
 *  - Assertions: m[0] = 0, the first filler column at row 0 = seed (the
 *    public input, 8 bytes little-endian), s[0] = 0.
 *  - forge (tests): a consumer whose build_aux overwrites s[n-1] with
 *    minus the producer's sum (forge_main: the producer's main trace), so
 *    its partial sum balances the bus whatever it consumed.
 *  - struct zk_air_bus points ctx and pub at itself: do not move it.
 */
#ifndef ZKCLOB_TESTS_AIR_BUS_H
#define ZKCLOB_TESTS_AIR_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "air.h"
#include "field.h"

enum zk_air_bus_role {
	ZK_AIR_BUS_NONE,
	ZK_AIR_BUS_PRODUCER,
	ZK_AIR_BUS_CONSUMER,
};

enum { ZK_AIR_BUS_COL_V, ZK_AIR_BUS_COL_M, ZK_AIR_BUS_COL_SEL };

struct zk_air_bus_cfg {
	enum zk_air_bus_role role;
	uint32_t n_quad;
	uint32_t n_cube;
	bool gated;
	zk_gl seed;
};

struct zk_air_bus {
	struct zk_air_bus_cfg cfg;
	uint32_t first_fill; /* column of a_0 (or b_0) */
	const zk_gl *const *forge_main;
	unsigned forge_log_n;
	uint8_t pub[8];
	/* the columns read at the next row (air.h main_next): v and m
	 * (aux constraint, bus roles only) and the fillers, not sel */
	uint32_t next[ZK_AIR_MAX_WIDTH];
	struct zk_air air;
};

/* cfg.n_quad + cfg.n_cube >= 1 and the width <= ZK_AIR_MAX_WIDTH; 0 or -1. */
int zk_air_bus_init(struct zk_air_bus *b, const struct zk_air_bus_cfg *cfg);

/* Producer values: v[i] = i, m[i] = 0 (consumers add their lookups). */
void zk_air_bus_producer_values(unsigned log_n, zk_gl *v, zk_gl *m);
/*
 * Consumer values: row 0 v = m = 0, row j >= 1 looks up one producer
 * value (1 + (5j + salt) mod (n_p - 1)) with m = 1, counted in
 * producer_m (2^producer_log_n entries).
 */
void zk_air_bus_consumer_values(unsigned log_n, unsigned producer_log_n,
				uint64_t salt, zk_gl *v, zk_gl *m,
				zk_gl *producer_m);

/* The filler columns (and sel) from cols' v and m; cols has the AIR's
 * main width, 2^log_n rows each. */
void zk_air_bus_fill(const struct zk_air_bus *b, unsigned log_n,
		     zk_gl *const *cols);

#endif /* ZKCLOB_TESTS_AIR_BUS_H */
