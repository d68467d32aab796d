/* SPDX-License-Identifier: MIT */
/*
 * The commit step of the appliance's commit-then-prove split, and the
 * verification of a batch container (prover/clob_container.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkclob/clobproof.h"
#include "clob_errf.h"

int zk_clob_commit(struct zk_batch *batch, struct zk_st_tree *tree,
		   struct zk_st_update *u, struct zk_statement *st, char *err,
		   size_t errlen)
{
	const struct zk_st_layout *lay;

	if (batch == NULL || tree == NULL || u == NULL || st == NULL ||
	    batch->n_ops == 0) {
		clob_errf(err, errlen, "zk_clob_commit: bad arguments");
		return ZK_CLOB_EINVAL;
	}
	lay = zk_st_layout_get(tree);
	/* A statement names one market: a batch spanning markets would commit
	 * part of what it did (zk_st_apply_witness skips other markets). */
	for (size_t i = 0; i < batch->n_ops; i++) {
		if (batch->ops[i].market != lay->market) {
			clob_errf(err, errlen,
			     "op %zu (seq %llu) is of market %u, the tree of "
			     "market %u: split the batch by market first",
			     i, (unsigned long long)batch->ops[i].seq,
			     batch->ops[i].market, lay->market);
			return ZK_CLOB_EINVAL;
		}
	}
	if (zk_st_apply_witness(tree, &batch->witness, u) != 0) {
		clob_errf(err, errlen, "witness does not apply to the tree: %s",
		     u->error != NULL ? u->error : "?");
		return errno == ENOMEM ? ZK_CLOB_ENOMEM : ZK_CLOB_ETREE;
	}
	memset(st, 0, sizeof(*st));
	st->market = lay->market;
	st->batch_seq = batch->batch_seq;
	st->first_seq = batch->first_seq;
	st->last_seq = batch->last_seq;
	memcpy(st->old_root, u->old_root, ZK_ROOT_SIZE);
	memcpy(st->new_root, u->new_root, ZK_ROOT_SIZE);
	memcpy(st->ops_digest, batch->ops_digest, ZK_ROOT_SIZE);
	memcpy(st->events_digest, batch->events_digest, ZK_ROOT_SIZE);
	batch->tree_update = u;
	batch->tree_layout = lay;
	return ZK_CLOB_OK;
}

int zk_clob_verify_container(const struct zk_statement *st,
			     const uint8_t *container, size_t len,
			     const struct zk_market_params *market,
			     uint8_t stark_params, char *err, size_t errlen)
{
	struct zk_clob_container c;
	int rc;

	if (st == NULL || market == NULL) {
		clob_errf(err, errlen, "zk_clob_verify_container: bad arguments");
		return ZK_CLOB_EINVAL;
	}
	if (zk_clob_container_decode(container, len, &c, err, errlen) != 0)
		return ZK_CLOB_EREJECT;
	rc = zk_clob_verify(st, c.ops, c.n_ops, c.events, c.n_events, market,
			    stark_params, c.proof, c.proof_len, err, errlen);
	zk_clob_container_free(&c);
	return rc;
}
