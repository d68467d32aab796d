/* SPDX-License-Identifier: MIT */
/*
 * The CLOB transition AIR, internal interface (docs/proof.md explains it).
 *
 * Spec
 *  - One wide row type; selector columns say what a row is:
 *      OP    one published op (public op bus, consumed)
 *      EV    one published event (public event bus, consumed)
 *      ACC   one slot access: reads (addr, prev_ts, before), writes
 *            (addr, ts, after) in the LogUp memory argument
 *      LEAF  old value of a touched slot (row A) ... followed by
 *      LB    its new value (row B): leaf digests, memory init/final tuples;
 *            a slot the batch left unchanged has row A only (UL)
 *      NODE  old children digests (row A) ... followed by
 *      NB    new children digests (row B) of a touched tree node; a node
 *            whose digest the batch left unchanged has row A only (UN)
 *      SIB   the root of a batch that touches no slot (old == new);
 *            an untouched child is read from its parent's node rows
 *  - Leaf and node rows compute one width-12 Poseidon2 sponge over their
 *    16 MSG elements (two permutations; degree 3, times the row selector
 *    4). Op rows reuse those witness columns for their range registers.
 *  - Row 0 and row n-1 are padding (assertions), so every transition that a
 *    real row needs has both its rows checked.
 *  - machinery_only (tests only, a different AIR name): the op semantics
 *    are switched off and free access rows are allowed, so the memory and
 *    Merkle parts can be exercised on batches whose ops are not provable
 *    yet. zk_clob_verify never uses it.
 */
#ifndef ZKCLOB_PROVER_CLOB_AIR_H
#define ZKCLOB_PROVER_CLOB_AIR_H

#include <stddef.h>
#include <stdint.h>

#include "air.h"
#include "field.h"
#include "poseidon2.h"
#include "zkclob/batch.h"
#include "zkclob/clobproof.h"
#include "zkclob/engine.h"
#include "zkclob/statement.h"
#include "zkclob/statetree.h"

#define CLOB_OP_ELEMS 20
#define CLOB_EV_ELEMS 19
#define CLOB_TS_BITS 20
#define CLOB_SLOT_BITS 24
#define CLOB_P2_WIT 224 /* per permutation: cubes and S-box outputs */
#define CLOB_NIL ((zk_gl)ZK_SLOT_NIL)
#define CLOB_MAL_CONDS 27
#define CLOB_N_RANGE 6
#define CLOB_RANGE_BITS 40
/* Market rules under which the validation-reject rules are sound: every
 * product stays far below p (docs/proof.md, "validation"). */
#define CLOB_VAL_MAX_TICK (1ull << 20)
#define CLOB_VAL_MAX_LOT (1ull << 20)
#define CLOB_VAL_MAX_PRICE (1ull << 40)
#define CLOB_VAL_MAX_QTY (1ull << 40)

/* bus tags: the first element of every tuple keeps the buses apart */
enum {
	CLOB_TAG_MEM = 1,
	CLOB_TAG_MK = 2,
	CLOB_TAG_OP = 3,
	CLOB_TAG_EV = 4,
	CLOB_TAG_FILL = 5, /* a match's fills: ML rows to TRADE rows */
	CLOB_TAG_STP = 6,  /* CANCEL_OLDEST: OX rows to the maker's CANCELLED */
};
#define CLOB_TUPLE_MAX (2 + CLOB_OP_ELEMS)

enum clob_col {
	C_MSG = 0,                        /* 16: sponge input / memory before */
	C_P1 = C_MSG + 16,                /* permutation 1 witness */
	C_MID = C_P1 + CLOB_P2_WIT,       /* 12: state after permutation 1 */
	C_P2 = C_MID + 12,                /* permutation 2 witness */
	C_OUT = C_P2 + CLOB_P2_WIT,       /* 4: sponge digest */
	C_CAPL = C_OUT + 4,               /* 1: leaf sponge capacity, 0: node */
	C_DIG = C_CAPL + 1,               /* 4: (1 - PRIST) * OUT */
	/* selectors */
	C_SOP = C_DIG + 4,
	C_SEV,
	C_SACC,
	C_SLEAF,
	C_SLB,
	C_SNODE,
	C_SNB,
	C_SSIB,  /* only the root of a batch that touches no slot */
	/* tree position */
	C_LEVEL,
	C_INDEX, /* leaf position; for ACC rows the memory address */
	C_KO,    /* 4: slot kind one-hot */
	C_SLOT = C_KO + 4,
	C_SBITS,                          /* CLOB_SLOT_BITS */
	C_ISLAST = C_SBITS + CLOB_SLOT_BITS,
	C_INVL,
	C_NXT,   /* pristine next-free link: slot + 1, or NIL for the last */
	C_PRIST, /* the value is the slot's pristine value: digest 0 */
	C_DSEL,  /* 13: coefficients naming where a value differs from ... */
	C_DIFF = C_DSEL + 13, /* ... its pristine value, so PRIST = 0 is true */
	C_DINV,
	C_FTS,   /* leaf: timestamp of the last access */
	/* memory */
	C_TS,    /* accesses so far (global counter) */
	C_PTS,   /* ACC: timestamp of the previous access of the slot */
	C_DBITS, /* CLOB_TS_BITS: ts - pts - 1 */
	C_AFT = C_DBITS + CLOB_TS_BITS,   /* 16: value after (ACC), sibling */
	/* ops and events */
	C_NOPS = C_AFT + 16,
	C_NEVS,
	C_OPF,                            /* CLOB_OP_ELEMS */
	C_EVF = C_OPF + CLOB_OP_ELEMS,    /* CLOB_EV_ELEMS */
	/* op semantics: MALFORMED (engine check_shape), products committed
	 * so that every condition has degree <= 3 */
	C_PT = C_EVF + CLOB_EV_ELEMS,     /* (type-1)(type-2)(type-3) */
	C_G1,    /* (type-2)(type-3): non-zero unless CANCEL/REPLACE */
	C_G2,    /* (type-1)(type-3) */
	C_G3,    /* (type-1)(type-2) */
	C_GSIDE, /* (side-1)(side-2) */
	C_GORD,  /* (ord-1)(ord-2) */
	C_GTIF,  /* (tif-1)(tif-2)(tif-3) */
	C_GFLAGS, /* flags(flags-1) */
	C_GMT,   /* (ord-1)(tif-2)(tif-3): market order with tif GTC */
	C_W,     /* CLOB_MAL_CONDS: inverse of the failing condition */
	C_IS3 = C_W + CLOB_MAL_CONDS,     /* type == REPLACE */
	C_INV3,
	/* op kind on an op row: MALFORMED, or a NEW rejected by the market
	 * rules (BAD_TICK, BAD_LOT, PRICE_BAND, MAX_QTY) */
	C_MAL,
	C_RT,
	C_RL,
	C_RB,
	C_RQ,
	C_ZQ,    /* BAD_LOT: qty == 0 */
	C_SB,    /* PRICE_BAND: below the band (else above) */
	C_RU,    /* CANCEL/REPLACE rejected UNKNOWN_ORDER (probes the id hash) */
	C_RO,    /* CANCEL/REPLACE rejected OWNER_MISMATCH (probes, reads) */
	C_RD,    /* NEW rejected DUPLICATE_ID (market rules pass, probes) */
	C_RBL,   /* CANCEL reduce rejected BAD_LOT (owner matches) */
	C_RBR,   /* CANCEL reduce rejected BAD_REDUCE (owner matches) */
	C_REMLO, /* the order's remaining (limbs), checked by the order read */
	C_REMHI,
	/* access rows: ORD = the read of the order the id's bucket names
	 * (else a probe); PRES = the probe chain ends at the id; CRO = an
	 * order read follows it (OWNER_MISMATCH); LASTP = last probe of a
	 * presence chain that ends the op (DUPLICATE_ID) */
	C_ORD,
	C_PRES,
	C_CRO,
	C_LASTP,
	C_OWNEQ, /* the order read must show the op's account */
	C_RSN,   /* the reject reason the op's last access row emits */
	/* probe rows: bucket slot, wrap, witnesses of "not here" */
	C_BSLOT,
	C_WRAP,
	C_WINV,
	C_J1,
	C_J2,
	C_J3,
	/* NEW rejected WOULD_CROSS (post-only, the best opposite level
	 * crosses) or BOOK_FULL (limit GTC, no free order slot): market
	 * rules pass, an absence probe, then the header (and level) reads */
	C_RW,
	C_RF,
	C_AW,    /* access rows of a WOULD_CROSS op (carried from C_RW) */
	C_AF,    /* access rows of a BOOK_FULL op (carried from C_RF) */
	C_HDR,   /* access role: the read of the market header */
	C_LVL,   /* access role: the read of the best opposite level */
	/* CANCEL that reduces an order (qty > 0, a lot multiple, below the
	 * remaining): presence probe and order read as the reduce rejects,
	 * then the order write and the level write (clob_air_write.h) */
	C_KR,
	C_AR,    /* access rows of a reduce (carried from C_KR) */
	C_OW,    /* access role: order write, remaining := qty */
	C_LW,    /* access role: level write, total -= cut */
	/* the order read's fields, carried down the op's rows: its slot,
	 * FIFO links, level, side, price (limbs); PN / NN: prev / next NIL */
	C_XSLOT,
	C_XPREV,
	C_XNEXT,
	C_XLVL,
	C_XSIDE,
	C_XPLO,
	C_XPHI,
	C_PN,
	C_NN,
	/* the level write's level: its better / worse links and side, and
	 * whether they are NIL (level_free needs them after the write) */
	C_XBETTER,
	C_XWORSE,
	C_XLSIDE,
	C_BN,
	C_WN,
	C_PINV,
	C_NINV,
	C_B1,    /* borrow of cut = remaining - qty (limb-wise) */
	C_B2,    /* borrow of total - cut */
	C_CINV,  /* inverse of cut_lo + cut_hi: the cut is not zero */
	/* full CANCEL (qty = 0, engine order_remove) of an order that is not
	 * the last of its level (clob_air_cancel.h) */
	C_KC,
	C_AC,    /* access rows of a full cancel (carried from C_KC) */
	C_OR2,   /* role: order_remove's re-read of the order */
	C_PW,    /* role: previous order's write, next := the order's next */
	C_NW,    /* role: next order's write, prev := the order's prev */
	C_ES,    /* role: erase scan, the read of the bucket after the hole */
	C_EM,    /* role: erase move, hole := the scanned bucket */
	C_EF,    /* role: erase final, hole := empty */
	C_OF,    /* role: the order slot back to the free list */
	C_HW,    /* role: header write, order_free := slot, n_orders - 1 */
	C_HOLE,  /* the bucket backward-shift deletion will empty */
	C_SCAN,  /* the last bucket scanned so far */
	C_EE,    /* erase scan: the bucket is empty (the scan ends) */
	C_W1,    /* erase scan: wraps of (j - home) and (j - hole) mod nb */
	C_W2,
	C_SH,    /* erase scan: the scanned entry moves into the hole */
	C_HINV,  /* level write: the level keeps a head (else LE) */
	/* level_free (a cancel of the last order of its level) */
	C_LE,    /* level write of a cancel: the level empties */
	C_BW,    /* BN·WN */
	C_BINV,
	C_WINV2,
	C_LB,    /* role: better level's write, worse := the level's worse */
	C_LWO,   /* role: worse level's write, better := the level's better */
	C_LF,    /* role: the level slot := free, linked to level_free */
	C_HL,    /* role: header write: best pointer, level_free, n_levels */
	/* a limit GTC NEW that rests without trading (clob_air_rest.h) */
	C_KN,
	C_AN,    /* access rows of a resting NEW (carried from C_KN) */
	C_EX,    /* it joins an existing level (else it creates one) */
	C_BONIL, /* header read: the best opposite level is NIL */
	C_NCOK,  /* existing-level read: the row before it showed no cross */
	C_XHOME, /* the id's home bucket, where the insert starts */
	C_HN,    /* role: header read (no cross, a free order slot) */
	C_LVN,   /* role: best opposite level read, which does not cross */
	C_LX,    /* role: read of the level at the op's price and side */
	C_ORS,   /* role: read of the order slot order_free names */
	C_HO,    /* role: header write, order_free := its next, n_orders + 1 */
	C_LC,    /* role: level_create's read of a neighbour candidate */
	C_HC,    /* role: header write, level_free pop, n_levels + 1, best */
	C_LN,    /* role: the new level's write */
	C_LBW,   /* role: better level's write, worse := the new level */
	C_LWB,   /* role: worse level's write, better := the new level */
	C_OWN,   /* role: the order slot's write, every field */
	C_TW,    /* role: the old tail's write, next := the order */
	C_LT,    /* role: level write, total += qty, tail (and head) */
	C_IP,    /* role: id insert probe, an occupied bucket */
	C_IW,    /* role: id insert write at the first empty bucket */
	/* a limit IOC / FOK or market NEW that finds nothing to cross
	 * (clob_air_taker.h): ACCEPTED, then CANCELLED on the next event */
	C_KI,
	C_AI,    /* access rows of such a NEW (carried from C_KI) */
	C_E2,    /* event row: the op's second event follows (CANCELLED with
		  * reason C_RSN of this row) */
	/* a limit IOC or market NEW that trades with the best level's head
	 * order once (clob_air_match.h) */
	C_KM,
	C_AM,    /* access rows of such a NEW (carried from C_KM) */
	C_OM,    /* role: read of the maker, the best level's head */
	C_MW,    /* role: the maker's write, remaining -= the fill */
	C_ML,    /* role: the maker's level write, total -= the fill */
	C_ET,    /* event row: ACCEPTED of a match, its TRADE follows */
	C_ED,    /* event row: TRADE, the taker's DONE follows */
	C_GD,    /* maker read: the stp groups differ (else both 0) */
	C_MKLO,  /* the maker's id (limbs), carried to the TRADE event */
	C_MKHI,
	C_MRLO,  /* the maker's remaining after the fill (limbs) */
	C_MRHI,
	C_FLLO,  /* the fill (limbs): the taker's qty, or (FR) the maker's */
	C_FLHI,
	C_TRLO,  /* the taker's remaining after the fill (limbs), 0 unless FR */
	C_TRHI,
	C_FR,    /* the maker held less than the taker's qty: the taker ends
		  * CANCELLED IOC_REMAINDER after the removal and the reads
		  * that show nothing else crosses */
	C_FM,    /* the fill empties the maker: order_remove follows ML */
	C_MP,    /* role: order_remove's probe of the maker's id */
	C_HM,    /* the row before the first MP: the maker id's home */
	C_EM2,   /* event row: the maker's DONE, the taker's end follows */
	C_B3,    /* borrow of the taker's remaining = qty - fill */
	C_EMT,   /* access row of a match that emits ACCEPTED (its last) */
	/* REPLACE after its owner check (clob_air_replace.h) */
	C_QV,    /* op row: RT / RL / RB / RQ is a REPLACE's (it probes) */
	C_QD,    /* op row: a REPLACE whose new id is live (DUPLICATE_ID) */
	C_AQ,    /* access rows of a REPLACE that probes its new id */
	C_HQ,    /* the order read that computes the new id's home */
	C_NP,    /* role: a probe of the new id's chain */
	C_QK,    /* op row: a REPLACE that keeps its priority */
	C_AK,    /* access rows of such a REPLACE (carried from C_QK) */
	C_QP,    /* role: its new id's insert probe, an occupied bucket */
	C_QI,    /* role: its new id's insert write at the first empty one */
	C_QW,    /* role: its order write, id := new id, remaining := qty */
	C_QL,    /* role: its level write, total -= remaining - qty */
	/* a limit GTC taker (clob_air_loop.h): slots_available's reads
	 * before matching, and its remainder resting after it */
	C_HS,    /* role: slots_available's header read (free order and
		  * level slots) */
	C_RLD,   /* the row after the maker removal's HW: the X columns of
		  * the rest after it may differ from the maker's */
	C_RST,   /* the taker's remainder rests (GTC after FR): no fourth
		  * event */
	C_GT,    /* a match's rows: the op is a GTC (1), IOC or FOK (0) */
	C_FO,    /* role: fok_fillable's read of the best level's head */
	C_OS,    /* role: match's read of a head that is the taker's own
		  * (self-trade prevention cancels the taker: CANCEL_NEWEST) */
	C_FS,    /* FO of a FOK that ends unfilled: the head is its own */
	C_FU,    /* ... or holds less than the qty (FO·AI - FS) */
	/* a REPLACE that moves and rests without crossing
	 * (clob_air_move.h) */
	C_QM,    /* op row: such a REPLACE */
	C_AV,    /* access rows of such a REPLACE (carried from C_QM) */
	C_LO,    /* role: its read of the order's level (engine o->level) */
	C_RSIDE, /* the resting order's side: the op's (NEW), the moved
		  * order's (REPLACE) */
	C_RSTP,  /* the resting order's stp group, likewise */
	C_DP,    /* LO: the move's price differs from the order's (else its
		  * qty exceeds the remaining): the engine's keep is false */
	/* BOOK_FULL from a full level table (clob_air_full.h) */
	C_HF,    /* role: the header read, a free order slot, no free level */
	C_BLX,   /* role: the other side's level at the price */
	C_BFB,   /* role: the better level of the op's side next to it */
	C_BFW,   /* role: the worse one */
	C_APO,   /* access rows of a post-only BOOK_FULL (from flags) */
	C_HP,    /* role: its would_cross header read */
	C_LP,    /* role: the best opposite level's read, no cross */
	C_QF,    /* op row: a REPLACE rejected BOOK_FULL (a full level
		  * table, clob_air_full.h) */
	C_AQF,   /* access rows of such a REPLACE (carried from C_QF) */
	/* the matching loop over several makers (clob_air_fill.h) */
	C_FJ,    /* fills so far: OM rows on the access rows, TRADE rows on
		  * the event rows (the fill bus pairs them by it) */
	C_MORE,  /* TRADE / maker DONE row: another TRADE follows */
	C_TE,    /* event row: the taker's end (DONE, CANCELLED or, for a
		  * GTC rest, nothing) comes next */
	/* a FOK's fok_fillable over several orders (clob_air_fill.h) */
	C_FA,    /* FO·AM: a head read of a FOK that fills */
	C_FOL,   /* ... the order that covers the need (the last read) */
	C_FX,    /* FA·(1 - FOL): another read follows */
	C_FNN,   /* ... the order's next is NIL: the worse level's read */
	C_FK,    /* a level read after such a read (FO follows it) */
	C_NEED,  /* the qty still needed before this order (< 2^40) */
	C_FB,    /* a FOK that ends unfilled: a read its chain goes past
		  * (FO·AI - FS - FU) */
	/* self-trade prevention after fills (CANCEL_NEWEST) */
	C_OSF,   /* OS after fills: ACCEPTED carries ET, not E2 */
	C_SS,    /* event rows of such a taker: its end is CANCELLED STP */
	/* a REPLACE that moves to a crossing price (clob_air_xmove.h) */
	C_XS,    /* the match's first header read after the move's removal:
		  * AM switches on, the op cells become the taker's */
	C_XM,    /* AM·AV: the move's matching rows */
	/* self-trade prevention that removes the maker (CANCEL_BOTH,
	 * clob_air_stp.h) */
	C_OX,    /* role: match's read of a head that is the taker's own,
		  * which order_remove then removes */
	C_BT,    /* access rows from OX on, and the op's events */
	C_BZ,    /* the emitter (and ACCEPTED) of a BT op with no fill */
	C_BZI,   /* the emitter of a BT op: inverse of FJ (else 0) */
	C_SM,    /* event row: the maker's CANCELLED STP */
	C_SE,    /* event row: the taker's CANCELLED STP after SM */
	C_SO,    /* event row: a maker's CANCELLED STP in a CANCEL_OLDEST
		  * loop (the STP bus pairs it with its OX) */
	/* the state tree's node rows (clob_air_tree.h) */
	C_TCH,   /* 4, node A row: child j is on a touched path, consumed
		  * from the tree bus; else its digest is the same in the
		  * node B row (no row of its own) */
	C_UL = C_TCH + 4, /* leaf A row whose value the batch left as it
			   * was: no B row, old == new */
	C_UN,    /* node A row whose touched children all kept their
		  * digests: no B row, old == new */
	/* a FOK's fok_fillable in a CANCEL_OLDEST market
	 * (clob_air_fokstp.h) */
	C_FSK,   /* FO: the order is the taker's own, skipped (need kept) */
	/* a REPLACE that moves while the level table is full
	 * (clob_air_mfull.h) */
	C_MF,    /* a move's HS: the level free list is NIL */
	C_MA,    /* LO (carried onto HS): the order is alone in its level */
	C_LK,    /* role: level_lookup's read of the side's level at the
		  * new price */
	CLOB_WIDTH,
	/*
	 * Shared columns: the Poseidon2 witness (C_P1 .. C_OUT) is constrained
	 * only on leaf and node rows, so op rows keep their CLOB_N_RANGE
	 * range-checked registers and the registers' CLOB_RANGE_BITS bits
	 * there.
	 */
	C_V = C_P1,
	C_VB = C_V + CLOB_N_RANGE,
	C_HB = C_VB + CLOB_N_RANGE * CLOB_RANGE_BITS, /* CLOB_HB_BITS */
};

/*
 * Op rows that probe the id hash hold the home-bucket computation in the
 * bits at C_HB (16-bit limbs of the id, of id·C mod 2^64, and the
 * carries): bit offsets ...
 */
#define CLOB_HB_A(i) (16 * (i))       /* id limbs a0..a3 */
#define CLOB_HB_X(i) (64 + 16 * (i))  /* product limbs x0..x3 */
#define CLOB_HB_R(i) (128 + 20 * (i)) /* carries r0..r3, 20 bits */
#define CLOB_HB_BITS 208
#define CLOB_HASH_MUL 0x9E3779B97F4A7C15ull /* engine zk__bucket_home */

_Static_assert(C_HB + CLOB_HB_BITS <= C_OUT,
	       "op registers fit in the hash witness columns");

/* op field element positions (C_OPF + i) */
enum {
	OPF_SEQ = 0, OPF_OID = 2, OPF_NID = 4, OPF_ACCT = 6, OPF_PRICE = 8,
	OPF_QTY = 10, OPF_MARKET = 12, OPF_STP = 13, OPF_TYPE = 14,
	OPF_SIDE = 15, OPF_ORD = 16, OPF_TIF = 17, OPF_FLAGS = 18,
	OPF_RSV = 19,
};
/* event field element positions (C_EVF + i) */
enum {
	EVF_SEQ = 0, EVF_MARKET = 2, EVF_TYPE = 3, EVF_REASON = 4,
	EVF_SIDE = 5, EVF_ZERO = 6, EVF_OID = 7, EVF_OTHER = 9,
	EVF_PRICE = 11, EVF_QTY = 13, EVF_REM = 15, EVF_OREM = 17,
};

#define CLOB_N_SEL 8
#define CLOB_N_TERMS 5
#define CLOB_AUX_WIDTH (CLOB_N_TERMS + 1)

/* The columns the constraints read at the next row (clob_air_next.c):
 * the proof opens T(zω) only for these. */
#define CLOB_N_MAIN_NEXT 192
#define CLOB_N_AUX_NEXT 1
extern const uint32_t zk_clob_air_main_next[CLOB_N_MAIN_NEXT];
extern const uint32_t zk_clob_air_aux_next[CLOB_N_AUX_NEXT];
/* statement, layout (market, arity, depth, counts, offsets), market rules,
 * n_ops, n_events, variant */
#define CLOB_PUB_LEN (ZK_STATEMENT_WIRE_SIZE + 12 + 16 + 32 + 40 + 4 + 16 + 4)

struct zk_clob_air {
	struct zk_st_layout lay;
	struct zk_market_params mp;
	struct zk_statement st;
	zk_gl old_root[ZK_ST_DIGEST_ELEMS];
	zk_gl new_root[ZK_ST_DIGEST_ELEMS];
	const struct zk_op *ops;
	size_t n_ops;
	const struct zk_event *events;
	size_t n_events;
	int machinery_only;
	int val_ok; /* market rules within the CLOB_VAL_* limits */
	uint32_t kind_bits[ZK_ST_KINDS + 1]; /* log2 count per kind */
	uint8_t pub[CLOB_PUB_LEN];
	struct zk_air air;
};

/* Element encodings the buses use (verifier and trace builder alike). */
void zk_clob_op_elems(const struct zk_op *op, zk_gl out[CLOB_OP_ELEMS]);
void zk_clob_ev_elems(const struct zk_event *ev, zk_gl out[CLOB_EV_ELEMS]);

/*
 * Set up the AIR for one statement. The layout must have arity 4 and
 * power-of-two counts; -1 with err otherwise. ops/events are kept by
 * pointer. c must not move afterwards (ctx points at it).
 */
int zk_clob_air_init(struct zk_clob_air *c, const struct zk_st_layout *lay,
		     const struct zk_market_params *mp,
		     const struct zk_statement *st, const struct zk_op *ops,
		     size_t n_ops, const struct zk_event *events,
		     size_t n_events, int machinery_only, char *err,
		     size_t errlen);

/*
 * The AIR's eval_main_x4 (clob_air_x4.c: the constraint body over four
 * AVX2 lanes) where this build has it and the CPU runs AVX2, else NULL
 * (the prover evaluates row by row). zk_clob_eval_x4_avx2 itself is for
 * that check's callers only.
 */
zk_air_eval_x4_fn zk_clob_air_eval_x4(void);
/*
 * Whether zk_clob_air_init gives the AIR that evaluator (default on):
 * process-wide, for benchmarks that measure with and without it in one
 * run. The proof is the same either way.
 */
void zk_clob_air_x4_enable(int on);
/*
 * Whether zk_clob_air_init gives the AIR its eval_aux_base (the aux
 * constraints on base-field main rows, clob_air_bus_body.h; default on):
 * process-wide, like zk_clob_air_x4_enable. The proof is the same either
 * way.
 */
void zk_clob_air_aux_base_enable(int on);
void zk_clob_eval_x4_avx2(const void *ctx, const zk_gl *cur, const zk_gl *nxt,
			  size_t stride, const zk_gl *periodic, zk_gl *out);

/*
 * Main trace of a batch: cols[CLOB_WIDTH] columns of 2^*log_n rows
 * (free with zk_clob_trace_free). u is the tree update the batch's witness
 * gave. 0, or -1 with err.
 */
int zk_clob_trace_build(const struct zk_clob_air *c, const struct zk_batch *b,
			const struct zk_st_update *u, unsigned threads,
			zk_gl ***cols, unsigned *log_n, char *err,
			size_t errlen);
void zk_clob_trace_free(zk_gl **cols);

/*
 * The MALFORMED conditions of one row (given as a full row of cells, its
 * helper products already set): each is non-zero only if the op is
 * malformed. Returns CLOB_MAL_CONDS.
 */
unsigned zk_clob_malformed_conds(const zk_gl *row, zk_gl out[CLOB_MAL_CONDS]);
/* Market rules within the CLOB_VAL_* limits (validation rejects). */
int zk_clob_val_ok(const struct zk_market_params *mp);

/* The helper products (PT, G1.., GMT) of a row from its op fields. */
void zk_clob_op_helpers(zk_gl *const *cols, size_t row);

/* Fill the Poseidon2 witness of row `row` from its MSG and CAPL cells. */
void zk_clob_fill_hash(zk_gl *const *cols, size_t row);

/* Trace helpers (clob_air_trace_write.c): range register j of row r :=
 * the low CLOB_RANGE_BITS bits of v; the home-bucket bits of id at C_HB;
 * whether an access row has a role (is not a probe). */
void zk_clob_set_reg(zk_gl *const *cols, size_t r, unsigned j, uint64_t v);
void zk_clob_home_bits(zk_gl *const *cols, size_t r, uint64_t id);
int zk_clob_has_role(const zk_gl *const *cols, size_t r);
/* The value zk_engine_create gives a slot (statetree.h "pristine"). */
void zk_clob_pristine_value(const struct zk_st_layout *lay, uint32_t kind,
			    uint32_t slot, union zk_slot_value *v);

/*
 * The witnesses of the op laid out in rows [at, end) (its op row first)
 * that the write roles need once all its rows exist: the order read's X
 * columns and link flags, HOLE / SCAN, the erase scans' shift decisions,
 * the level and header writes' borrows and registers.
 */
void zk_clob_write_witness(const struct zk_clob_air *c, zk_gl *const *cols,
			   size_t at, size_t end);

/* The same for a resting NEW (clob_air_rest.h): the order slot, level,
 * tail and neighbours in the X columns, the home bucket, the header and
 * level reads' flags, the writes' carries and registers, the insert's
 * bucket chain. */
void zk_clob_rest_witness(const struct zk_clob_air *c, zk_gl *const *cols,
			  size_t at, size_t end);

/* The header read's (HN) and the not-crossing level read's (LVN)
 * witnesses on row r, for a resting NEW and a taker alike. */
void zk_clob_nocross_witness(zk_gl *const *cols, size_t r);

/* The same for a taker that trades (clob_air_match.h, clob_air_fill.h):
 * the role of the op's access for row r (0: probe, HDR or LVL) from the
 * rows [at, r) before it; the witnesses of the op's rows [at, end), fill
 * by fill; the flags and carried columns of its events [ev_row, ev_end),
 * ACCEPTED at ev_row after the row that emits it (ML, the last maker
 * removal's HW, FR's last no-cross read, or the rest's IW), then per fill
 * TRADE [and the maker's DONE], then DONE, CANCELLED IOC_REMAINDER or
 * (a GTC rest) nothing. */
unsigned zk_clob_match_role(const zk_gl *const *cols, size_t at, size_t r,
			    const struct zk_witness_access *a,
			    const struct zk_witness_access *next);
void zk_clob_match_witness(const struct zk_clob_air *c, zk_gl *const *cols,
			   size_t at, size_t end);
void zk_clob_match_events(zk_gl *const *cols, size_t emit_row, size_t ev_row,
			  size_t ev_end);
/* zk_clob_match_role's answer for an access of the taker's rest after the
 * removal (the resting NEW's roles: the caller's rest_role decides). */
#define CLOB_ROLE_REST (~0u)
/* zk_clob_move_role's answer for an access of a move's order_remove (the
 * full cancel's roles: the caller's cancel_role decides). */
#define CLOB_ROLE_CANCEL (~1u)

/* A limit GTC taker (clob_air_loop.h): the witnesses of its
 * slots_available reads and, when its remainder rests, of the rest's rows
 * from rld on (the row after the maker removal's header write). */
void zk_clob_gtc_witness(const struct zk_clob_air *c, zk_gl *const *cols,
			 size_t at, size_t end);

/* The witnesses of a REPLACE's rows [at, end) (clob_air_replace.h): the
 * new id's home on the order read, its probes' buckets, wraps and
 * inequality inverses. */
void zk_clob_replace_witness(const struct zk_clob_air *c, zk_gl *const *cols,
			     size_t at, size_t end);
/* The role of a REPLACE's access at row r after its order read (rows
 * [at, r) laid out): the new id's probe, the erase's scan / move / final
 * write, the insert's probe / write, the order and level writes. */
unsigned zk_clob_replace_role(const zk_gl *const *cols, size_t r,
			      const struct zk_witness_access *a);

/* A REPLACE that moves and rests (clob_air_move.h): the role of its
 * access at row r once its order read is laid out (rows [at, r) before
 * it; CLOB_ROLE_REST from the removal's header write on), and the
 * witnesses of its rows [at, end): the rest's from the row after the
 * removal's header write, AC from order_remove's re-read on. */
unsigned zk_clob_move_role(const zk_gl *const *cols, size_t at, size_t r,
			   const struct zk_witness_access *a,
			   const struct zk_witness_access *next);
void zk_clob_move_witness(const struct zk_clob_air *c, zk_gl *const *cols,
			  size_t at, size_t end);
/* A move that crosses (clob_air_xmove.h): a matching NEW's witnesses
 * from its match's first header read xs on (the fills' from their maker
 * reads), the move's own up to xs; a matching NEW's are
 * zk_clob_match_witness (from = 0) and this (from = the row before the
 * first header read). */
void zk_clob_match_witness_from(const struct zk_clob_air *c,
				zk_gl *const *cols, size_t at, size_t from,
				size_t end);
void zk_clob_xmove_witness(const struct zk_clob_air *c, zk_gl *const *cols,
			   size_t at, size_t xs, size_t end);

/* The prover's gate (clob_gate.c): every op of the batch is of a kind
 * zk_clob_unsupported accepts and its witness accesses have that kind's
 * shape; events and accesses follow op order. 0, or -1 with err. */
int zk_clob_check_supported(const struct zk_batch *b,
			    const struct zk_market_params *mp, char *err,
			    size_t errlen);
/* A taker's events that the matching loop proves (clob_gate.c): the
 * number of fills, or 0. */
size_t zk_clob_fill_events(const struct zk_op *op, const struct zk_event *ev,
			   size_t n);
/* ... of one whose CANCEL_OLDEST loop removed a maker of its own: 1 or 0 */
int zk_clob_stp_oldest_events(const struct zk_op *op,
			      const struct zk_event *ev, size_t n);
/* ... or of one stopped by a CANCEL_BOTH self-trade: 1 + the fills, or 0 */
size_t zk_clob_stp_both_events(const struct zk_op *op,
			       const struct zk_event *ev, size_t n);
/* The gate for a REPLACE past its owner check (clob_proof_replace.c):
 * whether its events name a kind the AIR proves, and (NULL, or why not)
 * whether the engine's accesses have that kind's shape. */
int zk_clob_replace_supported(const struct zk_op *op,
			      const struct zk_event *events, size_t n_events,
			      size_t n_accesses,
			      const struct zk_market_params *mp);
const char *zk_clob_replace_shape(const struct zk_op *op,
				  const struct zk_event *ev,
				  const struct zk_witness_access *w, size_t n,
				  uint32_t market);
/* A FOK that reads a crossing level and ends unfilled (clob_air_loop.h,
 * FO on AI rows): the role of access a on row r (CLOB_ROLE_REST: the
 * taker's no-cross roles decide), and the head read's witnesses
 * (skip_self: a CANCEL_OLDEST market's, clob_air_fokstp.h). */
unsigned zk_clob_fok_role(const zk_gl *const *cols, size_t r,
			  const struct zk_witness_access *a,
			  const struct zk_witness_access *next);
void zk_clob_fok_witness(zk_gl *const *cols, size_t at, size_t end,
			 int skip_self);

/* The gate for a NEW rejected BOOK_FULL (clob_gate_full.c): NULL, or why
 * the engine's accesses are not the shape the AIR proves. */
const char *zk_clob_full_shape(const struct zk_op *op,
			       const struct zk_witness_access *w, size_t n,
			       uint32_t market);
/* ... for a REPLACE rejected BOOK_FULL, its accesses from a on (its order
 * read is w[a - 1]). */
const char *zk_clob_full_replace_shape(const struct zk_op *op,
				       const struct zk_witness_access *w,
				       size_t a, size_t n, uint32_t market);
/* BOOK_FULL from a full level table (clob_air_full.h): the role of the
 * op's access a on row r (0: a probe, or the order-table case's HDR) for
 * an order of `side`, its witnesses set; for a REPLACE, the roles after
 * its order read (the new id's probes, its level's read LO, then as for
 * a NEW); the LO rows' witnesses once the op's rows [at, end) exist. */
unsigned zk_clob_full_role(zk_gl *const *cols, size_t r,
			   const struct zk_witness_access *a, zk_gl side);
unsigned zk_clob_full_replace_role(zk_gl *const *cols, size_t r,
				   const struct zk_witness_access *a,
				   zk_gl side);
void zk_clob_full_witness(zk_gl *const *cols, size_t at, size_t end);
/* LO (clob_air_move.h): why the engine's keep is false, on row r. */
void zk_clob_keep_false_witness(zk_gl *const *cols, size_t r);

/* A CANCEL_BOTH self-trade stop (clob_air_stp.h, clob_air_trace_stp.c):
 * the witnesses of its rows [from, end) whose self-trade read is ox (from:
 * the op row at, or after the last fill's header write prev_hw), its
 * flags once FJ is set, and its events' columns (after
 * zk_clob_match_events' own). */
void zk_clob_stp_witness(const struct zk_clob_air *c, zk_gl *const *cols,
			 size_t at, size_t end, size_t ox, size_t prev_hw);
void zk_clob_stp_flags(zk_gl *const *cols, size_t ox, size_t end);
void zk_clob_stp_events(zk_gl *const *cols, size_t emit_row, size_t ev_row,
			size_t ev_end);

#endif /* ZKCLOB_PROVER_CLOB_AIR_H */
