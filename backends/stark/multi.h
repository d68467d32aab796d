/* SPDX-License-Identifier: MIT */
/*
 * Multi-table proofs: k >= 1 AIRs (air.h), each with its own height
 * 2^log_n_i and widths, proven under one parameter set and ONE Fiat–Shamir
 * transcript, joined by LogUp buses. docs/stark.md, "Multi-table proofs",
 * has the protocol order and the soundness argument.
 *
 * Spec
 *  - A bus is a multiset argument between tables: every table on it keeps
 *    a LogUp running sum in one of its aux columns (the AIR's own
 *    constraints build it from the shared aux challenges), and that
 *    column's LAST row is the table's partial sum for the bus. A table
 *    names its buses with ports (bus, aux column). The prover sends every
 *    port's partial sum (bound in the transcript before the composition
 *    coefficients are drawn) and each table gets, besides its own
 *    assertions, "aux column c at row n-1 = partial sum" per port. The
 *    verifier requires, per bus b, Σ over ports on b of the partial sums
 *    = bus_sums[b], the value the caller states (0 for a bus that must
 *    balance, or a public sum).
 *  - The aux challenges are shared: max over tables of n_aux_rand of them
 *    are drawn once, and table i's callbacks get the first n_aux_rand_i.
 *    Tables on one bus must therefore use the same challenge indices for
 *    it (e.g. rand[0] as the LogUp α).
 *  - A table's AIR is unchanged: the single-table prover proves it exactly
 *    as before (tables with no ports prove the same statements), and
 *    single-table proofs are not affected by anything here.
 *  - zk_stark_multi_verify() takes the parameter-set id the caller
 *    expects and the whole statement (tables, in order, their ports and
 *    the bus sums); a proof of other tables, another order, other heights
 *    than the proof states or another set is rejected.
 *  - Proof format: its own magic and version (proof_multi.h): each
 *    table's roots, OOD values and openings as in a single-table proof,
 *    and ONE FRI proof over all tables' DEEP codewords (fri_multi.c),
 *    shorter tables joining it at the layer of their size.
 *  - With opts.debug the prover runs every table's constraint debugger
 *    and checks every bus balances under the drawn challenges (ETRACE
 *    naming the bus); with it off a cheating trace yields a proof the
 *    verifier rejects.
 */
#ifndef ZKCLOB_STARK_MULTI_H
#define ZKCLOB_STARK_MULTI_H

#include <stddef.h>
#include <stdint.h>

#include "air.h"
#include "ext3.h"
#include "field.h"
#include "params.h"
#include "stark.h"

#define ZK_MULTI_MAX_TABLES 16
#define ZK_MULTI_MAX_BUSES 64
#define ZK_MULTI_MAX_PORTS 16 /* per table */

/* One table's end of a bus: aux column `aux_column`'s last row is its
 * partial sum for bus `bus`. */
struct zk_bus_port {
	uint32_t bus;
	uint32_t aux_column;
};

struct zk_table {
	const struct zk_air *air;
	uint32_t n_ports;
	const struct zk_bus_port *ports;
};

/* What a multi-table proof proves: the tables, in order, and the sums. */
struct zk_multi_statement {
	const struct zk_table *tables;
	uint32_t n_tables;
	uint32_t n_buses;
	const zk_ext *bus_sums; /* n_buses stated sums, canonical */
};

/* Table i's main trace for the prover. */
struct zk_table_trace {
	const zk_gl *const *main;
	unsigned log_n;
};

/*
 * 0, or ZK_STARK_EINVAL with the reason: 1..ZK_MULTI_MAX_TABLES tables,
 * at most ZK_MULTI_MAX_BUSES buses with canonical sums, each table an AIR
 * with at most ZK_MULTI_MAX_PORTS ports, each port's bus < n_buses and
 * aux column < aux_width, no table on one bus twice through one column.
 */
int zk_stark_multi_check_statement(const struct zk_multi_statement *s,
				   char *err, size_t errlen);

int zk_stark_multi_prove(const struct zk_multi_statement *s,
			 const struct zk_stark_params *p,
			 const struct zk_table_trace *traces,
			 const struct zk_prove_opts *opts, uint8_t **proof,
			 size_t *proof_len, char *err, size_t errlen);

int zk_stark_multi_verify(const struct zk_multi_statement *s,
			  uint8_t expected_params_id, const uint8_t *proof,
			  size_t proof_len, char *err, size_t errlen);

#endif /* ZKCLOB_STARK_MULTI_H */
