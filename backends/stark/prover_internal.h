/* SPDX-License-Identifier: MIT */
/*
 * Prover internals shared by prover.c (commitments, the protocol),
 * prover_quotient.c (step 5, the composition polynomial), prover_ood.c
 * (step 6, OOD values), prover_deep.c (threads, DEEP composition),
 * prover_commit.c (Merkle trees kept without their bottom levels) and
 * prover_open.c (parts of coset blocks).
 * Not installed; nothing outside the prover includes it.
 */
#ifndef ZKCLOB_STARK_PROVER_INTERNAL_H
#define ZKCLOB_STARK_PROVER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "air.h"
#include "fri_internal.h"
#include "merkle.h"
#include "params.h"
#include "proof.h"

/* positions per batch inversion: big enough to amortise the inversion,
 * small enough to stay in cache */
#define ZK_PROVER_LOG_BLOCK 10
#define ZK_PROVER_BLOCK ((size_t)1 << ZK_PROVER_LOG_BLOCK)

/*
 * Delayed reduction: a sum of up to 2^64 products of field elements kept
 * as 192 bits (lo + hi·2^128), reduced once per output instead of once per
 * term. Wide sums (hundreds of constraints or columns) spend most of their
 * time in reductions otherwise.
 */
struct zk_acc {
	unsigned __int128 lo;
	uint64_t hi;
};

static inline void zk_acc_mac(struct zk_acc *a, zk_gl x, zk_gl y)
{
	unsigned __int128 p = (unsigned __int128)x * y;

	a->hi += __builtin_add_overflow(a->lo, p, &a->lo);
}

/* 2^128 ≡ -2^32 (mod p), since 2^64 ≡ 2^32 - 1 */
static inline zk_gl zk_acc_reduce(const struct zk_acc *a)
{
	return zk_gl_sub(zk_gl_reduce128(a->lo),
			 zk_gl_reduce128((unsigned __int128)a->hi << 32));
}

typedef void (*zk_range_fn)(void *arg, size_t lo, size_t hi);

/*
 * fn over [0, n) split into `threads` ranges; a thread the system refuses
 * is run by the caller, so the result never depends on what was granted.
 */
void zk_prover_parallel_for(unsigned threads, size_t n, zk_range_fn fn,
			    void *arg);

/*
 * A Merkle tree over an LDE the prover keeps (prover_commit.c): the levels
 * from `dropped` up, as heap-indexed digests (merkle.h layout); the rest
 * is recomputed from lde when opened.
 */
struct zk_prover_tree {
	enum zk_hash_id hash;
	unsigned depth, dropped;
	uint64_t n_leaves;
	struct zk_digest *top; /* heap indices < 2·(n_leaves >> dropped) */
	const zk_gl *lde;      /* column-major, n_cols × n_leaves, not owned */
	size_t n_cols;
	/* without an LDE: the rows of the groups of 2^dropped leaves that the
	 * openings touch (zk_prover_tree_cache), row-major, groups sorted */
	uint64_t *groups;
	size_t n_groups;
	zk_gl *group_rows;
};

int zk_prover_commit_tree(struct zk_prover_tree *lt, enum zk_hash_id hash,
			  const zk_gl *lde, size_t n_cols, uint64_t n_rows,
			  unsigned threads);
void zk_prover_tree_free(struct zk_prover_tree *lt);

/*
 * fill(ctx, h, buf): the block of n positions of D starting at h·n, all
 * columns, column-major with stride n, into buf. 0 or ZK_STARK_E*.
 */
typedef int (*zk_block_fn)(void *ctx, size_t h, zk_gl *buf);

/*
 * The same tree as zk_prover_commit_tree over the LDE that `fill` gives
 * one block (n_rows / n_blocks rows) at a time into buf: the LDE itself is
 * never held, and the tree keeps no pointer to it (lde is NULL).
 */
int zk_prover_commit_tree_blocks(struct zk_prover_tree *lt,
				 enum zk_hash_id hash, size_t n_cols,
				 uint64_t n_rows, size_t n_blocks,
				 zk_block_fn fill, void *ctx, zk_gl *buf,
				 unsigned threads);
/*
 * For a tree without its LDE: recompute the blocks holding `indices` and
 * keep the rows that opening them needs (their groups of 2^dropped rows).
 * A block holding at most part_max groups has only those made, by part
 * (rows [first, first + 2^log_len) of block h, column-major in buf).
 */
typedef int (*zk_part_fn)(void *ctx, size_t h, size_t first,
			  unsigned log_len, zk_gl *buf);
int zk_prover_tree_cache(struct zk_prover_tree *lt, const uint64_t *indices,
			 size_t count, size_t n_blocks, zk_block_fn fill,
			 zk_part_fn part, size_t part_max, void *ctx,
			 zk_gl *buf);
/* Row i (all columns) from the LDE or the cache; 0, or -1 if not held. */
int zk_prover_tree_row(const struct zk_prover_tree *lt, uint64_t i, zk_gl *row);
static inline const struct zk_digest *
zk_prover_tree_root(const struct zk_prover_tree *lt)
{
	return &lt->top[1];
}
/* What zk_merkle_open_batch gives for the full tree; 0 or ZK_STARK_E*. */
int zk_prover_open_tree(const struct zk_prover_tree *lt,
			const uint64_t *indices, size_t count,
			struct zk_merkle_batch *out);

struct zk_prover {
	const struct zk_air *air;
	const struct zk_stark_params *p;
	struct zk_stark_proof_shape shape;
	unsigned log_n, log_domain, threads;
	size_t n, big_n;

	/*
	 * LDEs over D (column-major, N each), or NULL when streaming: then
	 * the segment's coefficients are kept instead (n each), and every
	 * block of n positions that a step needs is one size-n coset
	 * transform of them (zk_prover_block), made when it is needed.
	 */
	bool streaming;
	zk_gl *main_lde;   /* main_width × N */
	zk_ext **aux;      /* aux_width columns of n values (trace); NULL
			    * streaming one table, after its commitment: the
			    * aux_coeffs are held instead */
	zk_gl *aux_lde;    /* ZK_EXT_DEGREE·aux_width × N */
	zk_gl *q;          /* ZK_EXT_DEGREE × q_len: evals, then coefficients */
	size_t q_len;      /* points the quotient is evaluated on */
	zk_gl *comp_lde;   /* ZK_EXT_DEGREE·n_chunks × N */
	const zk_gl *const *trace; /* the caller's main trace */
	/* streaming, while needed (zk_prover_make_coeffs) */
	zk_gl *main_coeffs; /* main_width × n */
	zk_gl *aux_coeffs;  /* ZK_EXT_DEGREE·aux_width × n */
	/*
	 * Where the composition step reads the main and aux values of
	 * position i: view[c·view_stride + i - view_base] (the whole LDE, or
	 * the block being evaluated; aux_stride for the aux view). With
	 * view_natural the block's positions are in natural order (i -
	 * view_base is the exponent t of x = c_h·ω_n^t, not its bit
	 * reversal): the last quotient block, whose values replace its main
	 * rows as they are read (prover_quotient_last.c).
	 */
	const zk_gl *main_view, *aux_view;
	size_t view_stride, aux_stride, view_base;
	bool view_natural;
	zk_gl *q_heads; /* view_natural: Q at each evaluation block's first row */
	zk_gl *block_roots; /* ω_B^bitrev(k), k < block size B (see zk_prover_points) */
	unsigned log_block;
	zk_gl **periodic_lde;
	unsigned *periodic_shift;

	struct zk_prover_tree main_tree, aux_tree, comp_tree;

	zk_ext rand[ZK_AIR_MAX_AUX_RAND];
	zk_ext *alphas;
	struct zk_assertion *asrt; /* sorted by row (stable) */
	zk_ext *asrt_alpha;        /* each one's coefficient */
	size_t n_asrt;
	zk_gl *zinv_by_high; /* 1/Z_H(x) by the top log_blowup position bits */
	zk_gl last_row;      /* ω^(n-1) */

	zk_ext z;
	zk_ext *ood;
	zk_ext *gammas;
	zk_ext *deep;        /* N values of F, bit-reversed (stored mode) */
	/* streaming: F's coefficients, F remade per block for FRI */
	struct zk_deep_job *deep_job;
	int failed;
};

/* Block size for D and the table zk_prover_points uses; 0 or ENOMEM. */
int zk_prover_prepare_points(struct zk_prover *pv);

/*
 * out[k] = the point of D at bit-reversed position blo + k, k < len, for
 * blo a multiple of the block size and len <= it: one multiplication per
 * point instead of an N-element table.
 */
void zk_prover_points(const struct zk_prover *pv, size_t blo, size_t len,
		      zk_gl *out);

/*
 * Evaluations on D (bit-reversed) of polynomials given by n coefficients
 * each: one size-n coset transform per block of n positions. out[c] may
 * start with coeffs[c].
 */
int zk_prover_extend(const struct zk_prover *pv, zk_gl *const *coeffs,
		     size_t ncols, zk_gl *const *out);

/* s·ω_N^bitrev_b(h): positions [h·n, (h+1)·n) of D are this shift times
 * H_n, bit-reversed (prover_quotient.c). */
zk_gl zk_prover_block_shift(const struct zk_prover *pv, size_t h);

/*
 * Block h of the LDE of ncols polynomials (coeffs[c]: n coefficients
 * each) into buf (stride n): one size-n coset transform each.
 */
int zk_prover_block(const struct zk_prover *pv, const zk_gl *const *coeffs,
		    size_t ncols, size_t h, zk_gl *buf);

/* Streaming: pv->main_coeffs (aux false) or pv->aux_coeffs from the
 * trace; 0 or ZK_STARK_ENOMEM. */
int zk_prover_make_coeffs(struct zk_prover *pv, bool aux, zk_gl **coeffs);
/*
 * Streaming with the aux values dropped (one table): pv->aux_coeffs made
 * block h of the aux segment in place (forward) or back into the
 * coefficients (not forward, the exact inverse). 0 or ZK_STARK_ENOMEM.
 */
int zk_prover_aux_in_place(struct zk_prover *pv, size_t h, bool forward);
/*
 * Streaming, while those coefficients are not held (the quotient step):
 * block h of the main (aux false) or aux segment from the trace values
 * themselves, an inverse and a coset transform per column in buf.
 */
int zk_prover_block_from_trace(struct zk_prover *pv, bool aux, size_t h,
			       zk_gl *buf);

/*
 * pv->q's values (the quotient step's, on the first n_chunks coset
 * blocks of D) into the chunks' coefficients, or in debug mode (Q on all
 * of D) into Q's, ZK_STARK_ETRACE where its degree overflows
 * (prover_chunks.c). 0 or a ZK_STARK_ status.
 */
int zk_prover_interpolate_blocks(struct zk_prover *pv);
int zk_prover_interpolate_domain(struct zk_prover *pv, char *err,
				 size_t errlen);

/*
 * The last quotient block in natural order (prover_quotient_last.c):
 * its Q values are written over the main rows they were read from, in q
 * itself, so the quotient step holds no main block buffer beside the
 * chunks' values. zk_prover_q_columns: q_len columns pv->q is allocated
 * with (the main block lives in them, stride q_len). natural_main makes
 * main block h there; natural_enter puts the aux block (acols columns
 * of n in abuf) in natural order and sets the view; natural_store is
 * composition_blocks' write of one evaluation block's Q (held, stride
 * 2^log_block, once all its rows are read); natural_leave puts the held first
 * rows in, q and the aux block back in bit-reversed order.
 */
bool zk_prover_natural_fits(const struct zk_prover *pv);
size_t zk_prover_q_columns(const struct zk_prover *pv);
int zk_prover_natural_main(struct zk_prover *pv, size_t h);
int zk_prover_natural_enter(struct zk_prover *pv, zk_gl *abuf, size_t acols);
void zk_prover_natural_store(struct zk_prover *pv, size_t blo, size_t len,
			     const zk_gl *held);
void zk_prover_natural_leave(struct zk_prover *pv, zk_gl *abuf, size_t acols);
/*
 * The whole pages of [from, from + bytes) handed back (their contents
 * lost) where big, a zk_big_alloc buffer holding them, is a mapping of
 * its own; nothing otherwise.
 */
void zk_prover_release_pages(void *big, void *from, size_t bytes);
/* Points x of positions [blo, blo + len) of a natural-order view. */
void zk_prover_points_natural(const struct zk_prover *pv, size_t blo,
			      size_t len, zk_gl *out);

/*
 * Rows [first, first + 2^log_len) of block h of the polynomials coeffs[c]
 * (n coefficients each) into buf (stride 2^log_len), first a multiple of
 * 2^log_len: n products per column and a size-2^log_len transform
 * instead of the block's size-n one (prover_open.c).
 */
int zk_prover_block_part(const struct zk_prover *pv,
			 const zk_gl *const *coeffs, size_t ncols, size_t h,
			 size_t first, unsigned log_len, zk_gl *buf);
/* The same with the fold over columns and the transform on `threads`
 * workers from parts of 2^12 up (the commitment's parts). */
int zk_prover_block_part_threads(const struct zk_prover *pv,
				 const zk_gl *const *coeffs, size_t ncols,
				 size_t h, size_t first, unsigned log_len,
				 zk_gl *buf, unsigned threads);
/*
 * Streaming: the composition segment committed and opened in blocks of
 * n >> zk_prover_comp_split(pv) positions (block h: part h % 2^s of coset
 * block h >> s), by zk_prover_block_part from the chunks' coefficients.
 */
unsigned zk_prover_comp_split(const struct zk_prover *pv);
int zk_prover_comp_split_block(void *pv, size_t h, zk_gl *buf);
int zk_prover_comp_split_part(void *pv, size_t h, size_t first,
			      unsigned log_len, zk_gl *buf);
/* zk_part_fn for the three segments; the most groups a block may hold for
 * them to cost less than the block's transform. */
int zk_prover_main_part(void *pv, size_t h, size_t first, unsigned log_len,
			zk_gl *buf);
int zk_prover_aux_part(void *pv, size_t h, size_t first, unsigned log_len,
		       zk_gl *buf);
int zk_prover_comp_part(void *pv, size_t h, size_t first, unsigned log_len,
			zk_gl *buf);
size_t zk_prover_part_max_groups(const struct zk_prover *pv);

/* Block fillers for the three committed segments (zk_block_fn). */
int zk_prover_main_block(void *pv, size_t h, zk_gl *buf);
int zk_prover_aux_block(void *pv, size_t h, zk_gl *buf);
int zk_prover_comp_block(void *pv, size_t h, zk_gl *buf);

/* Step 5: pv->q (coefficients), pv->comp_lde and the composition tree. */
int zk_prover_commit_composition(struct zk_prover *pv, bool debug, char *err,
				 size_t errlen);
/*
 * Streaming: pv->q made again (the constraints on n_chunks blocks, the
 * quotient step once more) for the composition's openings, after DEEP
 * dropped it so that FRI does not hold it.
 */
int zk_prover_remake_quotient(struct zk_prover *pv);
/* Step 6: pv->ood from the trace (barycentric) and the chunk coefficients. */
int zk_prover_compute_ood(struct zk_prover *pv, const zk_gl *const *trace);
/*
 * Step 7: pv->deep over D from pv->ood and pv->gammas. The column sums are
 * linear, so they are formed on the trace domain (n rows) and extended
 * once, not summed over every point of D.
 */
int zk_prover_deep(struct zk_prover *pv, const zk_gl *const *trace);
/*
 * Streaming: zk_prover_deep leaves pv->deep unset and keeps F's
 * coefficients instead; this is FRI's zk_fri_block_fn for layer 0 (F on
 * positions [h·L, (h+1)·L) of D, L = 2^zk_prover_deep_log_block), valid
 * until zk_prover_deep_free.
 */
unsigned zk_prover_deep_log_block(const struct zk_prover *pv);
int zk_prover_deep_fill(void *pv, size_t h, zk_ext *out);
/* The same F at positions [h·L + first, + 2^log_len) only (FRI's queried
 * cosets, zk_fri_coset_fn), by zk_prover_block_part. */
int zk_prover_deep_part(void *pv, size_t h, size_t first, unsigned log_len,
			zk_ext *out);
void zk_prover_deep_free(struct zk_prover *pv);

/*
 * prover.c's own steps, for the multi-table prover (prover_multi.c):
 * the trace check, the main and aux commitments (pv->rand set first),
 * the assertions sorted with their coefficients, the openings at the
 * query positions, and freeing everything a zk_prover holds.
 */
int zk_prover_check_trace(const struct zk_air *air, const zk_gl *const *trace,
			  unsigned log_n, char *err, size_t errlen);
int zk_prover_commit_main(struct zk_prover *pv, const zk_gl *const *trace);
int zk_prover_commit_aux(struct zk_prover *pv, const zk_gl *const *trace);
int zk_prover_sort_assertions(struct zk_prover *pv,
			      const struct zk_assertion *raw,
			      const zk_ext *alphas);
int zk_prover_open_rows(struct zk_prover *pv, struct zk_stark_proof *pf,
			const uint64_t *pos, size_t count);
void zk_prover_free(struct zk_prover *pv);

/* Periodic column j at view position i (bit-reversed position of D). */
static inline zk_gl zk_prover_periodic_at(const struct zk_prover *pv,
					  size_t j, size_t i)
{
	if (pv->view_natural)
		i = pv->view_base + zk_stark_rev_bits(i - pv->view_base,
						      pv->log_n);
	return pv->periodic_lde[j][i >> pv->periodic_shift[j]];
}

#endif /* ZKCLOB_STARK_PROVER_INTERNAL_H */
