/* SPDX-License-Identifier: MIT */
/*
 * zkclob — a copy of one market's proven book state (the dense header,
 * order, level and id-bucket slots the state tree commits to), taken on
 * the engine's own thread at a batch boundary and turned back into an
 * engine elsewhere. zkclobd uses it to re-synchronise a market's state
 * tree after batches the prover never saw ([prover] on_backlog = skip,
 * docs/appliance.md).
 *
 * Spec
 *  - take() copies the slots only (a memcpy of the four arrays, no
 *    hashing, no acceleration index): cheap enough for the sequencer.
 *    Call it from the thread that applies ops to e, between ops.
 *  - engine() builds a one-market engine whose slots equal the copy
 *    byte for byte (zk_engine_slot_get answers the same) and whose
 *    acceleration index is rebuilt from the live levels, so it can also
 *    apply ops exactly as the original would.
 *  - NULL with errno EINVAL (unknown market) or ENOMEM.
 */
#ifndef ZKCLOB_BOOK_SNAPSHOT_H
#define ZKCLOB_BOOK_SNAPSHOT_H

#include <stdint.h>

#include "zkclob/engine.h"

struct zk_book_snapshot;

struct zk_book_snapshot *zk_book_snapshot_take(const struct zk_engine *e,
					       uint32_t market);
struct zk_engine *zk_book_snapshot_engine(const struct zk_book_snapshot *s);
uint32_t zk_book_snapshot_market(const struct zk_book_snapshot *s);
void zk_book_snapshot_free(struct zk_book_snapshot *s);

#endif /* ZKCLOB_BOOK_SNAPSHOT_H */
