/* SPDX-License-Identifier: MIT */
/*
 * Part of core.h (included there, once per instantiation): the order-id
 * index, open addressing over the bucket slots with linear probing and
 * backward-shift deletion (docs/engine.md section 2). Every probe is a
 * recorded read, so a proof sees why an id is or is not live.
 */

/*
 * Bucket holding `id`, or ZK_SLOT_NIL once an empty bucket is reached; that
 * empty bucket goes to *empty (where hash_insert() would put `id` while the
 * table is unchanged).
 */
static inline uint32_t
hash_find_at(struct zk_engine *e, struct zk_market *m, uint64_t id,
	     uint32_t *empty)
{
	uint32_t b = zk__bucket_home(m, id);

	for (;;) {
		const struct zk_bucket_slot *bk = &m->buckets[b];

		W_RD(m, ZK_SLOT_BUCKET, b, bk);
		if (bk->order == ZK_SLOT_NIL) {
			*empty = b;
			return ZK_SLOT_NIL;
		}
		if (bk->id == id)
			return b;
		b = (b + 1) & m->bucket_mask;
	}
}

static inline uint32_t
hash_find(struct zk_engine *e, struct zk_market *m, uint64_t id)
{
	uint32_t empty;

	return hash_find_at(e, m, id, &empty);
}

/* The table holds at most max_orders of >= 2*max_orders buckets: no loop. */
static inline void
hash_insert(struct zk_engine *e, struct zk_market *m, uint64_t id,
	    uint32_t order)
{
	uint32_t b = zk__bucket_home(m, id);
	struct zk_bucket_slot *bk;

	for (;;) {
		bk = &m->buckets[b];
		if (bk->order == ZK_SLOT_NIL)
			break;
		W_RD(m, ZK_SLOT_BUCKET, b, bk);
		b = (b + 1) & m->bucket_mask;
	}
	W_MOD(m, ZK_SLOT_BUCKET, b, bk, bk->id = id; bk->order = order);
}

/* Backward-shift deletion keeps every probe chain gap-free (no tombstones). */
static inline void
hash_erase(struct zk_engine *e, struct zk_market *m, uint32_t hole)
{
	uint32_t j = hole;

	for (;;) {
		struct zk_bucket_slot *bj;
		uint32_t home;

		j = (j + 1) & m->bucket_mask;
		bj = &m->buckets[j];
		W_RD(m, ZK_SLOT_BUCKET, j, bj);
		if (bj->order == ZK_SLOT_NIL)
			break;
		home = zk__bucket_home(m, bj->id);
		if (((j - home) & m->bucket_mask) >=
		    ((j - hole) & m->bucket_mask)) {
			struct zk_bucket_slot *bh = &m->buckets[hole];

			W_MOD(m, ZK_SLOT_BUCKET, hole, bh, *bh = *bj);
			hole = j;
		}
	}
	struct zk_bucket_slot *bh = &m->buckets[hole];

	W_MOD(m, ZK_SLOT_BUCKET, hole, bh, bh->id = 0;
	      bh->order = ZK_SLOT_NIL);
}
