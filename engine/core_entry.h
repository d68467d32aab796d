/* SPDX-License-Identifier: MIT */
/*
 * Part of core.h (included at its end, once per instantiation): op shape
 * checks, the one dispatch on the op type, and the per-op and burst entry
 * points of this instantiation.
 */

/*
 * Field checks that need no market: enum ranges and must-be-zero fields.
 * Each type's checks are or-ed into one test (valid ops are the common
 * case, so one well-predicted branch beats a chain of them).
 */
static inline int
shape_bad_new(const struct zk_op *op)
{
	int market = op->ord_type == ZK_ORD_MARKET;

	return ((unsigned)op->side - ZK_SIDE_BUY > 1u) |
	       ((unsigned)op->ord_type - ZK_ORD_LIMIT > 1u) |
	       ((unsigned)op->tif - ZK_TIF_GTC > 2u) |
	       ((op->flags & ~ZK_OP_F_POST_ONLY) != 0) |
	       (op->new_order_id != 0) |
	       (market & ((op->price != 0) | (op->tif == ZK_TIF_GTC) |
			  (op->flags != 0))) |
	       ((op->flags & ZK_OP_F_POST_ONLY) && op->tif != ZK_TIF_GTC);
}

/*
 * The op's eight one-byte fields (type, side, ord_type, tif, flags,
 * reserved[3]) as one word, and masks selecting some of them, so a run of
 * must-be-zero bytes is tested with one load and one AND (the masks are
 * built from bytes, so this holds for either byte order).
 */
_Static_assert(offsetof(struct zk_op, reserved) + 3 -
		       offsetof(struct zk_op, type) == 8,
	       "one-byte fields of zk_op not contiguous");

static inline uint64_t
op_byte_fields(const struct zk_op *op)
{
	uint64_t w;

	memcpy(&w, &op->type, sizeof(w));
	return w;
}

static inline uint64_t
byte_mask(unsigned first, unsigned last)
{
	uint8_t b[8] = { 0 };
	uint64_t w;

	for (unsigned i = first; i <= last; i++)
		b[i] = 0xff;
	memcpy(&w, b, sizeof(w));
	return w;
}

/* side, ord_type, tif, flags and reserved[] */
#define OP_BYTES_AFTER_TYPE byte_mask(1, 7)
#define OP_BYTES_RESERVED byte_mask(5, 7)

static inline int
shape_bad_cancel(const struct zk_op *op)
{
	return ((op_byte_fields(op) & OP_BYTES_AFTER_TYPE) |
		(uint64_t)op->price | op->new_order_id | op->stp_group) != 0;
}

static inline int
shape_bad_replace(const struct zk_op *op)
{
	return ((op_byte_fields(op) & OP_BYTES_AFTER_TYPE) |
		op->stp_group) != 0;
}

/*
 * One dispatch on the op type (it is as random as the flow, so each
 * dispatch costs a likely mispredict): shape, market, then the type's rules.
 */
static inline __attribute__((always_inline)) long
core_apply(struct zk_engine *e, const struct zk_op *op,
	   struct zk_event_buf *out, int prefetch_probe)
{
	size_t start = out->len;
	struct zk_market *m = zk__market_find(e, op->market);
	int bad;

	/* Every op kind probes order_id first: start that miss before the
	 * validation and the type dispatch rather than after them (bursts
	 * prefetched it ops ago). Plain build only: the witness build spends
	 * its time logging. */
	if (!ZK_CORE_WITNESS && prefetch_probe && ZK_LIKELY(m != NULL))
		__builtin_prefetch(&m->buckets[zk__bucket_home(m, op->order_id)]);
	e->oom = 0;
	switch (op->type) {
	case ZK_OP_NEW:
		bad = (op_byte_fields(op) & OP_BYTES_RESERVED) != 0;
		bad |= shape_bad_new(op);
		if (ZK_LIKELY(!bad && m != NULL)) {
			apply_new(e, m, op, out);
			break;
		}
		goto rejected;
	case ZK_OP_CANCEL:
		bad = shape_bad_cancel(op);
		if (ZK_LIKELY(!bad && m != NULL)) {
			apply_cancel(e, m, op, out);
			break;
		}
		goto rejected;
	case ZK_OP_REPLACE:
		bad = shape_bad_replace(op);
		if (ZK_LIKELY(!bad && m != NULL)) {
			apply_replace(e, m, op, out);
			break;
		}
		goto rejected;
	default:
		bad = 1;
rejected:
		reject(e, out, op,
		       bad ? ZK_REJ_MALFORMED : ZK_REJ_UNKNOWN_MARKET);
		break;
	}
#if ZK_CORE_WITNESS
	e->w->ops++;
#endif
	if (ZK_UNLIKELY(e->oom))
		return -1;
	return (long)(out->len - start);
}

long
CORE_APPLY(struct zk_engine *e, const struct zk_op *op,
	   struct zk_event_buf *out)
{
	long n = core_apply(e, op, out, 1);

	if (ZK_UNLIKELY(n < 0))
		errno = ENOMEM;
	return n;
}

/*
 * Touches, ahead of time, the id bucket each upcoming op will probe first:
 * a random line in a table that outgrows L2, paid one op at a time
 * otherwise. A hint only: the book may change before the op runs.
 *
 * Going one stage further (reading that bucket to prefetch the order slot,
 * or the order to prefetch its level and neighbours) was measured slower,
 * 3 % and 15 % on the default mix and 3 % with 65,536 order slots: those
 * reads are demand loads that stall on the very misses being hidden
 * (docs/engine.md section 4.1).
 */
static inline void
prefetch_buckets(const struct zk_engine *e, const struct zk_op *op)
{
	const struct zk_market *m = zk__market_find(e, op->market);

	if (m == NULL)
		return;
	__builtin_prefetch(&m->buckets[zk__bucket_home(m, op->order_id)]);
	if (op->type == ZK_OP_REPLACE)
		__builtin_prefetch(
			&m->buckets[zk__bucket_home(m, op->new_order_id)]);
}

#define PREFETCH_BUCKET_AHEAD 8

/*
 * The burst loop lives here, with the core inlined into it, so an op costs
 * no call and no register save/restore of its own (section 4.2).
 */
long
CORE_APPLY_BURST(struct zk_engine *e, const struct zk_op *ops, size_t n,
		 struct zk_event_buf *out)
{
	size_t start = out->len;

	/* The head of the burst has no lead time: start all of it at once. */
	for (size_t i = 0; i < n && i < PREFETCH_BUCKET_AHEAD; i++)
		prefetch_buckets(e, &ops[i]);
	for (size_t i = 0; i < n; i++) {
		if (i + PREFETCH_BUCKET_AHEAD < n)
			prefetch_buckets(e, &ops[i + PREFETCH_BUCKET_AHEAD]);
		if (ZK_UNLIKELY(core_apply(e, &ops[i], out, 0) < 0)) {
			errno = ENOMEM;
			return -1;
		}
	}
	return (long)(out->len - start);
}
