/* SPDX-License-Identifier: MIT */
/*
 * The quotient step's aux (LogUp) part: what prover_quotient.c's tile loop
 * needs to evaluate the aux constraints at a tile of points and add their
 * α-combination to each point's sum.
 *
 * Spec
 *  - zk_aux_eval_init() sizes one thread's scratch for tiles of up to
 *    `rows` points and precomputes the aux constraints' combination
 *    coefficients α_(nmc + k) with their limbs times the non-residue.
 *  - zk_aux_eval_tile() copies the aux cells of the tile's rows and of
 *    their next rows out of the column-major aux view (limb e of column c
 *    at aux_view[(3c + e)·stride + position]) into row-major F_p3 rows,
 *    one column limb at a time: each limb is one short sequential run
 *    where a per-point gather touched 2·3·aux_width lines whose addresses
 *    are a power of two apart (the same cache sets).
 *  - zk_aux_eval_combine() returns Σ_k α_(nmc + k)·out[k] with one
 *    delayed reduction per limb (prover_internal.h's struct zk_acc)
 *    instead of a reduced F_p3 product and sum per constraint. Field
 *    arithmetic is exact, so the value, and the proof, are the ones the
 *    product-by-product sum gives.
 *  - zk_aux_eval_free() releases what init took; init failing leaves
 *    nothing to free.
 *  - zk_rows_from_tile() gives the row-major rows the aux constraints
 *    read (eval_aux_base takes a row) from the column-major tile the
 *    four-row main evaluator has just been given, a few columns at a
 *    time so each line of a row is written whole at once.
 */
#ifndef ZKCLOB_STARK_PROVER_AUX_H
#define ZKCLOB_STARK_PROVER_AUX_H

#include <stddef.h>

#include "ext3.h"
#include "field.h"

struct zk_prover;

struct zk_aux_eval {
	size_t width;        /* aux_width */
	size_t n_constraints; /* n_aux_constraints */
	zk_ext *cur, *nxt;   /* rows × width, row-major */
	zk_gl *coef;         /* 5 per constraint: α limbs 0, 1, 2, 7·α1, 7·α2 */
};

int zk_aux_eval_init(struct zk_aux_eval *a, const struct zk_prover *pv,
		     size_t rows);

void zk_aux_eval_free(struct zk_aux_eval *a);

/* Rows of positions view_base + at + k and their next rows view_base +
 * nx[k], k < len, into a->cur / a->nxt. */
void zk_aux_eval_tile(struct zk_aux_eval *a, const zk_gl *aux_view,
		      size_t stride, size_t at, const size_t *nx, size_t len);

zk_ext zk_aux_eval_combine(const struct zk_aux_eval *a, const zk_ext *out);

/* Row k < len of width columns: cur[k·width + c] = tcur[c·tile_stride + k],
 * nxt likewise. */
void zk_rows_from_tile(const zk_gl *tcur, const zk_gl *tnxt,
		       size_t tile_stride, size_t width, size_t len,
		       zk_gl *cur, zk_gl *nxt);

#endif /* ZKCLOB_STARK_PROVER_AUX_H */
