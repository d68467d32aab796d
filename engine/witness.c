/* SPDX-License-Identifier: MIT */
/*
 * Witness log appends, called only from the witness build of the core. An
 * append that cannot grow the log marks the op as failed (apply returns -1)
 * and is dropped, never written out of bounds.
 */
#include <stdlib.h>
#include <string.h>

#include "engine_priv.h"

/* Constant sizes let the compiler inline each copy. */
static inline void
copy_slot(union zk_slot_value *dst, const void *val, size_t size)
{
	switch (size) {
	case sizeof(struct zk_bucket_slot):
		memcpy(dst->raw, val, sizeof(struct zk_bucket_slot));
		break;
	case sizeof(struct zk_book_header):
		memcpy(dst->raw, val, sizeof(struct zk_book_header));
		break;
	case sizeof(struct zk_level_slot):
		memcpy(dst->raw, val, sizeof(struct zk_level_slot));
		break;
	default:
		memcpy(dst->raw, val, sizeof(struct zk_order_slot));
		break;
	}
}

size_t
zk__witness_begin(struct zk_engine *e, uint32_t market, uint8_t kind,
		  uint32_t slot, const void *val, size_t size, int write)
{
	struct zk_witness *w = e->w;
	struct zk_witness_access *a;

	if (ZK_UNLIKELY(w->len == w->cap)) {
		size_t cap = w->cap ? w->cap * 2 : 1024;
		struct zk_witness_access *acc =
			realloc(w->acc, cap * sizeof(*acc));

		if (acc == NULL) {
			e->oom = 1;
			return SIZE_MAX;
		}
		w->acc = acc;
		w->cap = cap;
	}
	a = &w->acc[w->len];
	*a = (struct zk_witness_access){
		.op = w->ops,
		.market = market,
		.slot = slot,
		.kind = kind,
		.write = (uint8_t)write,
	};
	copy_slot(&a->before, val, size);
	a->after = a->before;
	return w->len++;
}

void
zk__witness_end(struct zk_engine *e, size_t at, const void *val, size_t size)
{
	if (ZK_UNLIKELY(at == SIZE_MAX))
		return;
	copy_slot(&e->w->acc[at].after, val, size);
}

void
zk_witness_free(struct zk_witness *w)
{
	free(w->acc);
	*w = (struct zk_witness){ 0 };
}
