/* SPDX-License-Identifier: MIT */
/*
 * Per-market chains of a zkclobd proof log (include/zkclob/prooflog.h
 * "Per-market chains"): one single-market chain (zk_prooflog_chain_step,
 * prooflog_read.c) per market, plus the stream-wide skip rule and the
 * restart record.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "zkclob/prooflog.h"
#include "prooflog_priv.h"

void
zk_prooflog_mchain_init(struct zk_prooflog_mchain *mc)
{
	memset(mc, 0, sizeof(*mc));
}

enum zk_prooflog_chain_error
zk_prooflog_mchain_step(struct zk_prooflog_mchain *mc,
			const struct zk_prooflog_record *rec,
			struct zk_prooflog_chain_result *res)
{
	const struct zk_statement *st = &rec->statement;
	bool resync = rec->type == ZK_PROOFLOG_REC_RESYNC;
	uint64_t first = resync ? rec->resync.first_seq : st->first_seq;
	uint64_t last = resync ? rec->resync.last_seq : st->last_seq;
	uint32_t market = resync ? rec->resync.market : st->market;
	struct zk_prooflog_chain *c;
	enum zk_prooflog_chain_error e;
	size_t i;

	if (rec->type == ZK_PROOFLOG_REC_RESTART) {
		struct zk_prooflog_mchain keep = *mc;

		zk_prooflog_mchain_init(mc);
		mc->proofs = keep.proofs;
		mc->skips = keep.skips;
		mc->unproven = keep.unproven;
		mc->restarts = keep.restarts + 1;
		mc->resyncs = keep.resyncs;
		mc->resync_ops = keep.resync_ops;
		mc->resync_batches = keep.resync_batches;
		return ZK_CHAIN_OK;
	}
	if (rec->type == ZK_PROOFLOG_REC_SKIP) {
		if (rec->skip.first_seq > rec->skip.last_seq)
			return plog_chain_fail(ZK_CHAIN_BAD_RANGE, rec, res,
					  rec->skip.first_seq,
					  rec->skip.last_seq);
		if (rec->skip.first_seq < mc->next_op_seq)
			return plog_chain_fail(ZK_CHAIN_SKIP_START, rec, res,
					  rec->skip.first_seq, mc->next_op_seq);
		mc->next_op_seq = rec->skip.last_seq + 1;
		mc->skips++;
		return ZK_CHAIN_OK;
	}
	for (i = 0; i < mc->n && mc->market[i] != market; i++)
		;
	if (i == mc->n) {
		if (mc->n == ZK_PROOFLOG_CHAIN_MARKETS)
			return plog_chain_fail(ZK_CHAIN_TOO_MANY_MARKETS, rec, res,
					  mc->n + 1, mc->n);
		mc->market[i] = market;
		zk_prooflog_chain_init(&mc->chain[i], NULL);
		mc->n++;
	}
	c = &mc->chain[i];
	/* other markets' ops lie between this market's batches: only order
	 * is checked here, the gap check is the stream-wide skip rule */
	if (c->have_next_op && first > c->next_op_seq)
		c->next_op_seq = first;
	e = zk_prooflog_chain_step(c, rec, res);
	if (e != ZK_CHAIN_OK)
		return e;
	if (last + 1 > mc->next_op_seq)
		mc->next_op_seq = last + 1;
	if (resync) {
		mc->resyncs++;
		mc->resync_ops += rec->resync.ops;
		mc->resync_batches += rec->resync.batches;
	} else if (rec->type == ZK_PROOFLOG_REC_UNPROVEN)
		mc->unproven++;
	else
		mc->proofs++;
	return ZK_CHAIN_OK;
}
