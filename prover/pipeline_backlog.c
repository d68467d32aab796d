/* SPDX-License-Identifier: MIT */
/*
 * [prover] on_backlog = skip (include/zkclob/pipeline.h): batches that
 * find the commit input full are not committed. The engine applied them,
 * so each market they touched now has a book its state tree does not
 * commit to. The submitting thread (the sequencer, which owns the engine)
 * accounts them per market; at the next batch boundary where the input
 * has room it copies those markets' slots (zk_book_snapshot_take: a
 * memcpy, no hashing) and queues a resync item in stream order. The
 * commit thread rebuilds each market's tree from its copy — the expensive
 * part stays off the sequencer — and logs one resync record per market:
 * the unproven op range and the root its chain resumes from.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkclob/book_snapshot.h"
#include "zkclob/pipeline.h"
#include "pipeline_int.h"

static struct zk_pl_range *range_of(struct zk_pl_backlog *bl, uint32_t market)
{
	size_t i;

	for (i = 0; i < bl->n; i++)
		if (bl->m[i].market == market)
			return &bl->m[i];
	if (bl->n == ZK_PIPELINE_MAX_MARKETS)
		return NULL;
	memset(&bl->m[bl->n], 0, sizeof(bl->m[0]));
	bl->m[bl->n].market = market;
	return &bl->m[bl->n++];
}

int zk_pl_backlog_add(struct zk_pipeline *p, const struct zk_batch *b)
{
	struct zk_pl_backlog *bl = &p->backlog;
	struct zk_pl_range *last = NULL;
	size_t i;

	if (b->gap_expected != 0 && b->gap_received > b->gap_expected &&
	    p->cfg.skip_gaps) {
		if (bl->n_gaps == bl->cap_gaps) {
			size_t cap = bl->cap_gaps ? bl->cap_gaps * 2 : 4;
			struct zk_pl_gap *v = realloc(bl->gaps, cap * sizeof(*v));

			if (v == NULL)
				return -ENOMEM;
			bl->gaps = v;
			bl->cap_gaps = cap;
		}
		bl->gaps[bl->n_gaps++] = (struct zk_pl_gap){
			b->gap_expected, b->gap_received - 1 };
	}
	for (i = 0; i < b->n_ops; i++) {
		const struct zk_op *op = &b->ops[i];
		struct zk_pl_range *r = last;

		if (r == NULL || r->market != op->market)
			r = range_of(bl, op->market);
		if (r == NULL)
			return -ENOSPC;
		if (r->ops == 0)
			r->first_seq = op->seq;
		r->last_seq = op->seq;
		r->ops++;
		if (r->last_batch != b->batch_seq || r->batches == 0) {
			r->last_batch = b->batch_seq;
			r->batches++;
		}
		last = r;
	}
	bl->open = true;
	return 0;
}

void zk_pl_resync_free(struct zk_pl_resync *rs)
{
	size_t i;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->bl.n; i++)
		zk_book_snapshot_free(rs->snap[i]);
	free(rs->bl.gaps);
	free(rs);
}

struct zk_pl_resync *zk_pl_backlog_take(struct zk_pipeline *p)
{
	struct zk_pl_resync *rs = calloc(1, sizeof(*rs));
	size_t i;

	if (rs == NULL)
		return NULL;
	for (i = 0; i < p->backlog.n; i++) {
		rs->snap[i] = zk_book_snapshot_take(p->cfg.engine,
						    p->backlog.m[i].market);
		if (rs->snap[i] == NULL) {
			for (; i > 0; i--)
				zk_book_snapshot_free(rs->snap[i - 1]);
			free(rs);
			return NULL; /* the range stays open: tried again later */
		}
	}
	rs->bl = p->backlog; /* takes the gap list too */
	memset(&p->backlog, 0, sizeof(p->backlog));
	return rs;
}

/* Caller holds nothing. A job that only carries a record. */
static int queue_record_job(struct zk_pipeline *p, struct job *j)
{
	j->state = JOB_DONE;
	j->t_committed = zk_pl_now_ns();
	pthread_mutex_lock(&p->mu);
	if (!zk_pl_enqueue_job(p, j, false)) {
		/* halted: a worker may still be proving a part of the replaced
		 * tree; keep the tree until destroy (a leak on failure of
		 * the allocation is the lesser harm than a use after free) */
		if (j->retired_tree != NULL) {
			struct zk_st_tree **v = realloc(p->retired,
				(p->n_retired + 1) * sizeof(*v));

			if (v != NULL) {
				p->retired = v;
				p->retired[p->n_retired++] = j->retired_tree;
			}
			j->retired_tree = NULL;
		}
		pthread_mutex_unlock(&p->mu);
		zk_pl_job_free(j);
		return -ECANCELED;
	}
	pthread_mutex_unlock(&p->mu);
	return 0;
}

int zk_pl_commit_resync(struct zk_pipeline *p, struct zk_pl_resync *rs)
{
	size_t i;
	int rc = 0;

	/* gaps inside the range: their skip records first, so each starts
	 * after every op logged so far (zk_prooflog_mchain_step) */
	for (i = 0; i < rs->bl.n_gaps && rc == 0; i++) {
		struct job *j = calloc(1, sizeof(*j));

		if (j == NULL)
			return -ENOMEM;
		j->skip = true;
		j->skip_first = rs->bl.gaps[i].first;
		j->skip_last = rs->bl.gaps[i].last;
		rc = queue_record_job(p, j);
	}
	for (i = 0; i < rs->bl.n && rc == 0; i++) {
		const struct zk_pl_range *r = &rs->bl.m[i];
		struct market_state *m = zk_pl_market_of(p, r->market);
		struct zk_engine *snap_engine;
		struct zk_st_tree *tree;
		struct job *j;

		if (m == NULL) {
			pthread_mutex_lock(&p->mu);
			zk_pl_halt_locked(p, "backlog of market %" PRIu32
					  ", which has no state tree", r->market);
			pthread_mutex_unlock(&p->mu);
			return -EINVAL;
		}
		snap_engine = zk_book_snapshot_engine(rs->snap[i]);
		tree = snap_engine ? zk_st_create(snap_engine, r->market, 4) : NULL;
		zk_engine_destroy(snap_engine);
		j = tree ? calloc(1, sizeof(*j)) : NULL;
		if (j == NULL) {
			zk_st_destroy(tree);
			pthread_mutex_lock(&p->mu);
			zk_pl_halt_locked(p, "cannot rebuild the state tree of "
					  "market %" PRIu32 " after a backlog: %s",
					  r->market, strerror(errno));
			pthread_mutex_unlock(&p->mu);
			return -ENOMEM;
		}
		/* parts committed before still point into the old tree:
		 * the resync job frees it once they are all logged */
		j->retired_tree = m->tree;
		m->tree = tree;
		j->resync = true;
		j->backend = -1;
		j->rs.market = r->market;
		j->rs.reason = ZK_UNPROVEN_BACKLOG;
		j->rs.first_seq = r->first_seq;
		j->rs.last_seq = r->last_seq;
		j->rs.ops = r->ops;
		j->rs.batches = r->batches;
		j->rs.last_batch_seq = m->batch_seq;
		zk_st_root(tree, j->rs.new_root);
		rc = queue_record_job(p, j);
	}
	return rc;
}
