/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR trace builder, private to its files (clob_air_trace.c lays out
 * the rows and the tree record, clob_air_trace_op.c the op and event
 * rows): the builder's state and the row helpers both use.
 */
#ifndef ZKCLOB_PROVER_CLOB_AIR_TRACE_INT_H
#define ZKCLOB_PROVER_CLOB_AIR_TRACE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "clob_air.h"
#include "clob_air_witness.h"

struct builder {
	const struct zk_clob_air *c;
	const struct zk_st_update *u;
	zk_gl **cols;
	size_t row;
	zk_gl ts, nops, nevs;
	uint64_t *last_ts; /* per touched leaf (u->leaves order) */
	size_t ord_row;    /* the current op's order read (0: none yet) */
	size_t lw_row;     /* its level write (0: none yet) */
	int seen_erase;    /* its erase has begun */
	size_t ln_row;     /* a resting NEW's new level write (0: none) */
	int xmove;         /* the op is a REPLACE that moves and trades */
	size_t xs_row;     /* ... its match's first header read (0: none) */
	zk_gl scratch[CLOB_WIDTH];
};

/* Start a row: carry the running counters. */
static inline size_t new_row(struct builder *b)
{
	size_t r = b->row++;

	b->cols[C_TS][r] = b->ts;
	b->cols[C_NOPS][r] = b->nops;
	b->cols[C_NEVS][r] = b->nevs;
	return r;
}

/* Range register j: the low CLOB_RANGE_BITS bits of v (an honest value
 * fits; a cheating one then fails the rule that needs it). */
static inline void set_reg(struct builder *b, size_t r, unsigned j, uint64_t v)
{
	zk_clob_set_reg(b->cols, r, j, v);
}

/* The op row (its rules' witnesses) and the event row (clob_air_trace_op.c). */
void zk_clob_trace_op_row(struct builder *b, const struct zk_op *op,
			  const struct zk_event *ev, size_t n_ev);
void zk_clob_trace_ev_row(struct builder *b, const struct zk_event *ev);
/*
 * Reduce rejects' registers, set on the op row once the order's remaining
 * (rem) is known from its read.
 */
void zk_clob_trace_reduce_witness(struct builder *b, size_t r,
				  const struct zk_op *op, unsigned kind,
				  uint64_t rem);
/* The code the op's last access row emits (clob_probe's RSN). */
zk_gl zk_clob_trace_probe_reason(const struct builder *b, size_t at);

#endif /* ZKCLOB_PROVER_CLOB_AIR_TRACE_INT_H */
