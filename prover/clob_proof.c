/* SPDX-License-Identifier: MIT */
/*
 * zk_clob_prove / zk_clob_verify: the statement around the CLOB AIR, the
 * refusal of op kinds the AIR does not constrain yet (their accesses'
 * shapes: clob_gate.c), and the checks a verifier makes outside the AIR
 * (seq range, BLAKE2b digests).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clob_air.h"
#include "stark.h"
#include "zkclob/clobproof.h"
#include "clob_errf.h"

/* The op's market is this AIR instance's, the market's rules and the
 * op's price and qty fit the AIR's limbs (CLOB_VAL_*). */
static int op_in_range(const struct zk_op *op,
		       const struct zk_market_params *mp)
{
	return op->market == mp->market && zk_clob_val_ok(mp) &&
	       op->price >= 0 && (uint64_t)op->price < CLOB_VAL_MAX_PRICE &&
	       op->qty < CLOB_VAL_MAX_QTY;
}

/* A limit GTC that is not post-only: a taker that may rest. */
static int plain_gtc_limit(const struct zk_op *op)
{
	return op->tif == ZK_TIF_GTC && op->ord_type == ZK_ORD_LIMIT &&
	       op->flags == 0;
}

/* A NEW rejected by the market rules within the AIR's numeric limits. */
static int validation_supported(const struct zk_op *op,
				const struct zk_event *ev,
				const struct zk_market_params *mp)
{
	return op->type == ZK_OP_NEW &&
	       (ev->reason == ZK_REJ_BAD_TICK || ev->reason == ZK_REJ_BAD_LOT ||
		ev->reason == ZK_REJ_PRICE_BAND ||
		ev->reason == ZK_REJ_MAX_QTY) && op_in_range(op, mp);
}

const char *zk_clob_unsupported(const struct zk_op *op,
				const struct zk_event *events, size_t n_events,
				size_t n_accesses,
				const struct zk_market_params *mp)
{
	/* The AIR checks that the op really is malformed; here we only pick
	 * the batches it can speak about. */
	if (n_events == 1 && events[0].type == ZK_EV_REJECTED &&
	    events[0].reason == ZK_REJ_MALFORMED)
		return n_accesses == 0 ?
			       NULL :
			       "MALFORMED reject that accessed the book";
	if (n_events == 1 && events[0].type == ZK_EV_REJECTED &&
	    n_accesses == 0 && validation_supported(op, &events[0], mp))
		return NULL;
	/* a NEW whose id is live: the market rules pass, probes to the id */
	if (n_events == 1 && events[0].type == ZK_EV_REJECTED &&
	    events[0].reason == ZK_REJ_DUPLICATE_ID && n_accesses >= 1 &&
	    op->type == ZK_OP_NEW && op_in_range(op, mp))
		return NULL;
	/* a post-only NEW (WOULD_CROSS: probes, header, level) or a limit
	 * GTC (BOOK_FULL: probes, [would_cross's reads,] header) whose id is
	 * free and whose market rules pass; clob_gate.c checks that the
	 * accesses are those (BOOK_FULL: clob_gate_full.c, the order free
	 * list empty, or the level table full and the level reads showing
	 * the gap at the price) */
	if (n_events == 1 && events[0].type == ZK_EV_REJECTED &&
	    ((events[0].reason == ZK_REJ_WOULD_CROSS && n_accesses >= 3) ||
	     (events[0].reason == ZK_REJ_BOOK_FULL && n_accesses >= 2)) &&
	    op->type == ZK_OP_NEW && op_in_range(op, mp))
		return NULL;
	/* a reduce (CANCEL, qty > 0) of the owner's order that the lot or
	 * the remaining size rejects: probes to the id, then the order */
	if (n_events == 1 && events[0].type == ZK_EV_REJECTED &&
	    (events[0].reason == ZK_REJ_BAD_LOT ||
	     events[0].reason == ZK_REJ_BAD_REDUCE) && n_accesses >= 2 &&
	    op->type == ZK_OP_CANCEL && op->market == mp->market &&
	    zk_clob_val_ok(mp) && op->qty < CLOB_VAL_MAX_QTY)
		return NULL;
	/* a reduce that applies: probes to the id, the order read, the order
	 * write and the level write (clob_gate.c checks them) */
	if (n_events == 1 && events[0].type == ZK_EV_CANCELLED &&
	    events[0].reason == ZK_CXL_REDUCE && n_accesses >= 4 &&
	    op->type == ZK_OP_CANCEL && op->market == mp->market &&
	    zk_clob_val_ok(mp) && op->qty < CLOB_VAL_MAX_QTY)
		return NULL;
	/* a full cancel (clob_gate.c checks the accesses:
	 * cancel_shape) */
	if (n_events == 1 && events[0].type == ZK_EV_CANCELLED &&
	    events[0].reason == ZK_CXL_USER && n_accesses >= 8 &&
	    op->type == ZK_OP_CANCEL && op->qty == 0 &&
	    op->market == mp->market && zk_clob_val_ok(mp))
		return NULL;
	/* a limit GTC that rests without trading (ACCEPTED and nothing
	 * else; clob_gate.c checks the accesses: rest_shape) */
	if (n_events == 1 && events[0].type == ZK_EV_ACCEPTED &&
	    n_accesses >= 8 && op->type == ZK_OP_NEW &&
	    op->ord_type == ZK_ORD_LIMIT && op->tif == ZK_TIF_GTC &&
	    op_in_range(op, mp))
		return NULL;
	/* a limit IOC / FOK or market NEW that finds nothing to cross:
	 * ACCEPTED, then CANCELLED IOC_REMAINDER / FOK_UNFILLED (the reason
	 * the AIR derives from the tif); clob_gate.c checks the accesses
	 * (taker_shape) */
	if (n_events == 2 && events[0].type == ZK_EV_ACCEPTED &&
	    events[1].type == ZK_EV_CANCELLED &&
	    (events[1].reason == ZK_CXL_IOC_REMAINDER ||
	     events[1].reason == ZK_CXL_FOK_UNFILLED) &&
	    n_accesses >= 2 && op->type == ZK_OP_NEW &&
	    (op->tif == ZK_TIF_IOC || op->tif == ZK_TIF_FOK) &&
	    op_in_range(op, mp))
		return NULL;
	/* a limit IOC / GTC (not post-only) or market NEW that trades:
	 * ACCEPTED, per fill a TRADE [and the emptied maker's DONE], then
	 * DONE, CANCELLED IOC_REMAINDER or (a GTC's rest) nothing
	 * (zk_clob_fill_events); a FOK filled whole; clob_gate.c checks the
	 * accesses: match_shape; a self-trade after a fill gives other
	 * events */
	if (zk_clob_fill_events(op, events, n_events) != 0 &&
	    (events[n_events - 1].reason != ZK_CXL_STP ||
	     events[n_events - 1].type != ZK_EV_CANCELLED ||
	     mp->stp == ZK_STP_CANCEL_NEWEST) &&
	    n_accesses >= 6 && op->type == ZK_OP_NEW &&
	    (op->tif == ZK_TIF_IOC || op->tif == ZK_TIF_FOK ||
	     plain_gtc_limit(op)) &&
	    op_in_range(op, mp))
		return NULL;
	/* a limit IOC / GTC (not post-only) or market IOC NEW whose first
	 * maker is its own order, in a market whose STP mode cancels the
	 * taker (ACCEPTED, CANCELLED STP); clob_gate.c checks the
	 * accesses: stp_shape */
	if (n_events == 2 && events[0].type == ZK_EV_ACCEPTED &&
	    events[1].type == ZK_EV_CANCELLED &&
	    events[1].reason == ZK_CXL_STP &&
	    mp->stp == ZK_STP_CANCEL_NEWEST && n_accesses >= 4 &&
	    op->type == ZK_OP_NEW &&
	    (op->tif == ZK_TIF_IOC ||
	     plain_gtc_limit(op)) &&
	    op_in_range(op, mp))
		return NULL;
	/* a limit IOC / GTC (not post-only) or market IOC NEW stopped by a
	 * self-trade in a CANCEL_BOTH market: the maker removed, then the
	 * taker cancelled (zk_clob_stp_both_events); clob_gate.c checks the
	 * accesses: stp_both_shape */
	if (mp->stp == ZK_STP_CANCEL_BOTH &&
	    zk_clob_stp_both_events(op, events, n_events) != 0 &&
	    n_accesses >= 6 && op->type == ZK_OP_NEW &&
	    (op->tif == ZK_TIF_IOC ||
	     plain_gtc_limit(op)) &&
	    op_in_range(op, mp))
		return NULL;
	/* ... or, in a CANCEL_OLDEST market, whose loop removes makers of
	 * its own and goes on (zk_clob_stp_oldest_events; a FOK's
	 * fok_fillable skipped them, clob_air_fokstp.h); clob_gate.c
	 * checks the accesses: match_shape */
	if (mp->stp == ZK_STP_CANCEL_OLDEST &&
	    zk_clob_stp_oldest_events(op, events, n_events) &&
	    n_accesses >= 6 && op->type == ZK_OP_NEW &&
	    (op->tif == ZK_TIF_IOC || op->tif == ZK_TIF_FOK ||
	     plain_gtc_limit(op)) &&
	    op_in_range(op, mp))
		return NULL;
	/* id-hash probes to an empty bucket, or to the id and then the order:
	 * reads only (clob_gate.c checks the accesses) */
	if (n_events == 1 && events[0].type == ZK_EV_REJECTED &&
	    (events[0].reason == ZK_REJ_UNKNOWN_ORDER ||
	     events[0].reason == ZK_REJ_OWNER_MISMATCH) && n_accesses >= 1 &&
	    (op->type == ZK_OP_CANCEL || op->type == ZK_OP_REPLACE) &&
	    op->market == mp->market)
		return NULL;
	/* a REPLACE rejected after its owner check (clob_proof_replace.c) */
	if (zk_clob_replace_supported(op, events, n_events, n_accesses, mp))
		return NULL;
	if (n_events >= 1 && events[0].type == ZK_EV_REJECTED) {
		switch (op->type) {
		case ZK_OP_NEW:
			return "NEW rejected by validation";
		case ZK_OP_CANCEL:
			return "CANCEL rejected by validation";
		default:
			return "REPLACE rejected by validation";
		}
	}
	switch (op->type) {
	case ZK_OP_NEW:
		if (op->ord_type == ZK_ORD_MARKET)
			return "NEW market order";
		return op->tif == ZK_TIF_GTC ? "NEW limit GTC" :
		       op->tif == ZK_TIF_IOC ? "NEW limit IOC" : "NEW limit FOK";
	case ZK_OP_CANCEL:
		return op->qty == 0 ? "CANCEL" : "CANCEL (reduce)";
	default:
		return "REPLACE";
	}
}

static int shape_ok(const struct zk_st_layout *lay, char *err, size_t errlen)
{
	if (lay->arity != 4) {
		clob_errf(err, errlen, "CLOB AIR needs a state tree of arity 4");
		return -1;
	}
	for (uint32_t k = 1; k <= ZK_ST_KINDS; k++) {
		uint32_t c = lay->count[k];

		if (c == 0 || (c & (c - 1)) != 0) {
			clob_errf(err, errlen,
			     "CLOB AIR needs power-of-two max_orders and "
			     "max_levels");
			return -1;
		}
	}
	return 0;
}

int zk_clob_prove_committed(const struct zk_batch *batch,
			    const struct zk_clob_prove_opts *opts,
			    struct zk_statement *st, uint8_t **proof,
			    size_t *proof_len, char *err, size_t errlen)
{
	const struct zk_stark_params *sp;
	const struct zk_st_layout *lay;
	struct zk_clob_air *c = NULL;
	struct zk_prove_opts po;
	zk_gl **cols = NULL;
	unsigned log_n;
	int rc;

	if (batch == NULL || opts == NULL || opts->market == NULL ||
	    proof == NULL || proof_len == NULL || st == NULL ||
	    batch->n_ops == 0 || batch->tree_update == NULL ||
	    batch->tree_layout == NULL) {
		clob_errf(err, errlen, "zk_clob_prove_committed: bad arguments "
				  "(or the batch is not committed)");
		return ZK_CLOB_EINVAL;
	}
	lay = batch->tree_layout;
	sp = zk_stark_params_by_id(opts->stark_params);
	if (sp == NULL) {
		clob_errf(err, errlen, "unknown STARK parameter set %u",
		     opts->stark_params);
		return ZK_CLOB_EINVAL;
	}
	if (lay->market != opts->market->market || st->market != lay->market) {
		clob_errf(err, errlen, "tree, statement and market parameters "
				  "disagree");
		return ZK_CLOB_EINVAL;
	}
	if (st->params_id != 0 && st->params_id != ZK_CLOB_PARAMS_ID(sp->id)) {
		clob_errf(err, errlen, "statement names parameter id %#x, this "
				  "prover makes %#x", st->params_id,
		     ZK_CLOB_PARAMS_ID(sp->id));
		return ZK_CLOB_EINVAL;
	}
	if (st->batch_seq != batch->batch_seq ||
	    st->first_seq != batch->first_seq ||
	    st->last_seq != batch->last_seq ||
	    memcmp(st->old_root, batch->tree_update->old_root, 32) != 0 ||
	    memcmp(st->new_root, batch->tree_update->new_root, 32) != 0 ||
	    memcmp(st->ops_digest, batch->ops_digest, 32) != 0 ||
	    memcmp(st->events_digest, batch->events_digest, 32) != 0) {
		clob_errf(err, errlen, "statement is not the committed batch's");
		return ZK_CLOB_EINVAL;
	}
	if (shape_ok(lay, err, errlen) != 0)
		return ZK_CLOB_EINVAL;
	if (zk_clob_check_supported(batch, opts->market, err, errlen) != 0)
		return ZK_CLOB_EUNSUPPORTED;
	st->params_id = ZK_CLOB_PARAMS_ID(sp->id);

	c = malloc(sizeof(*c));
	if (c == NULL)
		return ZK_CLOB_ENOMEM;
	if (zk_clob_air_init(c, lay, opts->market, st, batch->ops,
			     batch->n_ops, batch->events.ev, batch->events.len,
			     0, err, errlen) != 0) {
		rc = ZK_CLOB_EINVAL;
		goto out;
	}
	if (zk_clob_trace_build(c, batch, batch->tree_update, opts->threads,
				&cols, &log_n, err, errlen) != 0) {
		rc = ZK_CLOB_EPROVE;
		goto out;
	}
	po = (struct zk_prove_opts){ .threads = opts->threads,
				     .debug = opts->debug };
	rc = zk_stark_prove(&c->air, sp, (const zk_gl *const *)cols, log_n,
			    &po, proof, proof_len, err, errlen);
	rc = rc == ZK_STARK_ACCEPT ? ZK_CLOB_OK :
	     rc == ZK_STARK_ENOMEM ? ZK_CLOB_ENOMEM : ZK_CLOB_EPROVE;
out:
	zk_clob_trace_free(cols);
	free(c);
	return rc;
}

/* Commit + prove on a private copy of the batch header (the caller's batch
 * is const). Refusals come before the tree is touched. */
int zk_clob_prove(const struct zk_batch *batch, struct zk_st_tree *tree,
		  const struct zk_clob_prove_opts *opts, uint8_t **proof,
		  size_t *proof_len, struct zk_statement *st, char *err,
		  size_t errlen)
{
	struct zk_st_update u = { 0 };
	struct zk_batch b;
	int rc;

	if (batch == NULL || tree == NULL || opts == NULL ||
	    opts->market == NULL || proof == NULL || proof_len == NULL ||
	    st == NULL || batch->n_ops == 0) {
		clob_errf(err, errlen, "zk_clob_prove: bad arguments");
		return ZK_CLOB_EINVAL;
	}
	if (zk_stark_params_by_id(opts->stark_params) == NULL) {
		clob_errf(err, errlen, "unknown STARK parameter set %u",
		     opts->stark_params);
		return ZK_CLOB_EINVAL;
	}
	if (zk_st_layout_get(tree)->market != opts->market->market) {
		clob_errf(err, errlen, "tree and market parameters disagree");
		return ZK_CLOB_EINVAL;
	}
	if (shape_ok(zk_st_layout_get(tree), err, errlen) != 0)
		return ZK_CLOB_EINVAL;
	if (zk_clob_check_supported(batch, opts->market, err, errlen) != 0)
		return ZK_CLOB_EUNSUPPORTED;
	b = *batch;
	rc = zk_clob_commit(&b, tree, &u, st, err, errlen);
	if (rc == ZK_CLOB_OK)
		rc = zk_clob_prove_committed(&b, opts, st, proof, proof_len,
					     err, errlen);
	zk_st_update_free(&u);
	return rc;
}

static int events_digest_ok(const struct zk_event *events, size_t n,
			    const uint8_t want[32])
{
	struct zk_events_digest d;
	uint8_t got[32];

	zk_events_digest_init(&d);
	zk_events_digest_update(&d, events, n);
	zk_events_digest_final(&d, got);
	return memcmp(got, want, 32) == 0;
}

int zk_clob_verify(const struct zk_statement *st, const struct zk_op *ops,
		   size_t n_ops, const struct zk_event *events, size_t n_events,
		   const struct zk_market_params *market, uint8_t stark_params,
		   const uint8_t *proof, size_t proof_len, char *err,
		   size_t errlen)
{
	uint32_t count[ZK_ST_KINDS + 1];
	struct zk_st_layout lay;
	struct zk_clob_air *c;
	uint8_t digest[32];
	int rc;

	if (st == NULL || ops == NULL || market == NULL || proof == NULL ||
	    (events == NULL && n_events != 0) || n_ops == 0) {
		clob_errf(err, errlen, "zk_clob_verify: bad arguments");
		return ZK_CLOB_EINVAL;
	}
	if (!zk_statement_is_well_formed(st) || st->market != market->market ||
	    st->params_id != ZK_CLOB_PARAMS_ID(stark_params)) {
		clob_errf(err, errlen, "statement: malformed, other market or "
				  "other parameter id");
		return ZK_CLOB_EREJECT;
	}
	if (st->first_seq != ops[0].seq || st->last_seq != ops[n_ops - 1].seq) {
		clob_errf(err, errlen, "statement: seq range differs from the ops");
		return ZK_CLOB_EREJECT;
	}
	for (size_t i = 1; i < n_ops; i++) {
		if (ops[i].seq <= ops[i - 1].seq) {
			clob_errf(err, errlen, "ops: seq not increasing at %zu", i);
			return ZK_CLOB_EREJECT;
		}
	}
	zk_ops_digest(ops, n_ops, digest);
	if (memcmp(digest, st->ops_digest, 32) != 0) {
		clob_errf(err, errlen, "ops digest differs from the statement");
		return ZK_CLOB_EREJECT;
	}
	if (!events_digest_ok(events, n_events, st->events_digest)) {
		clob_errf(err, errlen, "events digest differs from the statement");
		return ZK_CLOB_EREJECT;
	}
	/* The slot counts (the tree layout) follow from the market rules:
	 * computed from them, not from a scratch engine's book. */
	if (zk_market_slot_counts(market, count) != 0) {
		clob_errf(err, errlen, "market parameters are invalid");
		return ZK_CLOB_EINVAL;
	}
	if (zk_st_layout_init(&lay, market->market, 4, count) != 0) {
		clob_errf(err, errlen, "no state-tree layout for this market");
		return ZK_CLOB_EINVAL;
	}
	c = malloc(sizeof(*c));
	if (c == NULL)
		return ZK_CLOB_ENOMEM;
	if (zk_clob_air_init(c, &lay, market, st, ops, n_ops, events, n_events,
			     0, err, errlen) != 0) {
		free(c);
		return ZK_CLOB_EREJECT;
	}
	rc = zk_stark_verify(&c->air, stark_params, proof, proof_len, err,
			     errlen);
	free(c);
	return rc == ZK_STARK_ACCEPT ? ZK_CLOB_OK : ZK_CLOB_EREJECT;
}
