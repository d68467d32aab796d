/* SPDX-License-Identifier: MIT */
/*
 * The next-row reads of an AIR (air.h main_next / aux_next): which columns
 * the proof opens at zω, their place in the OOD values, and the checks
 * that an AIR's list is well formed and complete.
 *
 * Spec
 *  - zk_air_next_count(air, seg): how many columns of seg are opened at
 *    zω: the list's count, or the segment's width for a NULL list.
 *    zk_air_next_col(air, seg, j): the j-th of them (ascending).
 *  - zk_air_next_validate(): each list strictly ascending, inside its
 *    segment, and a non-empty aux list only with an aux segment; 0 or
 *    ZK_STARK_EINVAL with the reason.
 *  - zk_air_next_absorb(): both counts and lists into the transcript
 *    (protocol step 1), so a proof binds the set it was made with.
 *  - zk_air_next_expand(): the sent T(zω) values of one segment spread
 *    to its full width, 0 for every unlisted column (what the
 *    verifier's constraint evaluation reads there).
 *  - zk_air_next_probe(): marks every column whose next-row value
 *    changes some constraint (eval_main_ext and eval_aux on random F_p3
 *    inputs: a constraint polynomial that depends on a variable changes
 *    when only that variable is redrawn except with probability
 *    <= degree/|F_p3|). Costs main + aux width + 1 evaluations.
 *  - zk_air_next_check(): ZK_STARK_ETRACE naming the first column the
 *    constraints read at the next row but the AIR does not list (all
 *    unlisted next-row inputs redrawn at once; the probe names the
 *    column only when that changes a constraint), else 0.
 */
#ifndef ZKCLOB_STARK_AIR_NEXT_H
#define ZKCLOB_STARK_AIR_NEXT_H

#include <stddef.h>
#include <stdint.h>

#include "air.h"
#include "transcript.h"

static inline uint32_t zk_air_next_count(const struct zk_air *air,
					 unsigned seg)
{
	if (seg == ZK_SEG_MAIN)
		return air->main_next != NULL ? air->n_main_next : air->main_width;
	return air->aux_next != NULL ? air->n_aux_next : air->aux_width;
}

static inline uint32_t zk_air_next_col(const struct zk_air *air, unsigned seg,
				       uint32_t j)
{
	const uint32_t *list = seg == ZK_SEG_MAIN ? air->main_next :
						    air->aux_next;

	return list != NULL ? list[j] : j;
}

int zk_air_next_validate(const struct zk_air *air, char *err, size_t errlen);

void zk_air_next_absorb(struct zk_transcript *t, const struct zk_air *air);

void zk_air_next_expand(const struct zk_air *air, unsigned seg,
			const zk_ext *sent, zk_ext *full);

/* main_read[main_width], aux_read[aux_width] (may be NULL without aux):
 * 1 where a constraint reads the column at the next row. 0 or ENOMEM. */
int zk_air_next_probe(const struct zk_air *air, uint64_t seed,
		      uint8_t *main_read, uint8_t *aux_read);

int zk_air_next_check(const struct zk_air *air, uint64_t seed, char *err,
		      size_t errlen);

#endif /* ZKCLOB_STARK_AIR_NEXT_H */
