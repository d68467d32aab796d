/* SPDX-License-Identifier: MIT */
/*
 * One market's proven slots copied out of an engine and back into a new
 * one (include/zkclob/book_snapshot.h). Lives with the engine because it
 * reads and rebuilds the engine's private layout.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "zkclob/book_snapshot.h"
#include "engine_priv.h"

struct zk_book_snapshot {
	struct zk_market_params p;
	struct zk_book_header hdr;
	uint32_t n_buckets;
	struct zk_order_slot *orders;
	struct zk_level_slot *levels;
	struct zk_bucket_slot *buckets;
};

void zk_book_snapshot_free(struct zk_book_snapshot *s)
{
	if (s == NULL)
		return;
	free(s->orders);
	free(s->levels);
	free(s->buckets);
	free(s);
}

struct zk_book_snapshot *zk_book_snapshot_take(const struct zk_engine *e,
					       uint32_t market)
{
	const struct zk_market *m = e ? zk__market_find(e, market) : NULL;
	struct zk_book_snapshot *s;

	if (m == NULL) {
		errno = EINVAL;
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return NULL;
	s->p = m->p;
	s->hdr = m->hdr;
	s->n_buckets = m->bucket_mask + 1;
	s->orders = malloc((size_t)m->p.max_orders * sizeof(*s->orders));
	s->levels = malloc((size_t)m->p.max_levels * sizeof(*s->levels));
	s->buckets = malloc((size_t)s->n_buckets * sizeof(*s->buckets));
	if (s->orders == NULL || s->levels == NULL || s->buckets == NULL) {
		zk_book_snapshot_free(s);
		errno = ENOMEM;
		return NULL;
	}
	memcpy(s->orders, m->orders, (size_t)m->p.max_orders * sizeof(*s->orders));
	memcpy(s->levels, m->levels, (size_t)m->p.max_levels * sizeof(*s->levels));
	memcpy(s->buckets, m->buckets, (size_t)s->n_buckets * sizeof(*s->buckets));
	return s;
}

uint32_t zk_book_snapshot_market(const struct zk_book_snapshot *s)
{
	return s->p.market;
}

struct zk_engine *zk_book_snapshot_engine(const struct zk_book_snapshot *s)
{
	struct zk_engine *e = zk_engine_create(&s->p, 1);
	struct zk_market *m;
	uint32_t i;

	if (e == NULL)
		return NULL;
	m = &e->mk[0];
	if (m->bucket_mask + 1 != s->n_buckets) { /* same params, same sizes */
		zk_engine_destroy(e);
		errno = EINVAL;
		return NULL;
	}
	m->hdr = s->hdr;
	memcpy(m->orders, s->orders, (size_t)s->p.max_orders * sizeof(*s->orders));
	memcpy(m->levels, s->levels, (size_t)s->p.max_levels * sizeof(*s->levels));
	memcpy(m->buckets, s->buckets, (size_t)s->n_buckets * sizeof(*s->buckets));
	/* the acceleration index of a fresh engine is empty: index every
	 * live level (total != 0) at its price, as the engine does when it
	 * opens one */
	for (i = 0; i < s->p.max_levels; i++) {
		const struct zk_level_slot *l = &m->levels[i];
		uint32_t idx;

		if (l->total == 0)
			continue;
		idx = (uint32_t)(((uint64_t)l->price - (uint64_t)s->p.min_price) /
				 (uint64_t)s->p.tick);
		if (idx >= m->band) {
			zk_engine_destroy(e);
			errno = EINVAL;
			return NULL;
		}
		m->level_at[idx] = i + 1;
		m->level_band_idx[i] = idx;
		zk__bm_set(m, idx);
	}
	return e;
}
