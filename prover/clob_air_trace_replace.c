/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR trace builder, the witnesses of a REPLACE after its owner
 * check (clob_air_replace.h): the new id's home bits on the order read
 * and, on each probe of the new id's chain, its bucket, wrap flag and the
 * inverses that show a bucket occupied by another id.
 */
#include <stdint.h>

#include "clob_air.h"

static zk_gl inv_or_zero(zk_gl v)
{
	zk_gl r;

	if (v == 0 || !zk_gl_inv(v, &r))
		return 0;
	return r;
}

void zk_clob_replace_witness(const struct zk_clob_air *c, zk_gl *const *cols,
			     size_t at, size_t end)
{
	zk_gl last = c->lay.count[ZK_SLOT_BUCKET] - 1;
	zk_gl off = c->lay.offset[ZK_SLOT_BUCKET];

	for (size_t r = at + 1; r < end; r++) {
		if (cols[C_ORD][r] && cols[C_AQ][r]) {
			uint64_t nid = cols[C_OPF + OPF_NID][r] |
				       cols[C_OPF + OPF_NID + 1][r] << 32;

			cols[C_HQ][r] = 1;
			zk_clob_home_bits(cols, r, nid);
		}
		if (!cols[C_NP][r])
			continue;

		zk_gl slot = zk_gl_sub(cols[C_INDEX][r], off);
		zk_gl dlo = zk_gl_sub(cols[C_MSG + 3][r],
				      cols[C_OPF + OPF_NID][r]);
		zk_gl dhi = zk_gl_sub(cols[C_MSG + 4][r],
				      cols[C_OPF + OPF_NID + 1][r]);

		cols[C_BSLOT][r] = slot;
		cols[C_W1][r] = slot == last;
		cols[C_HINV][r] = inv_or_zero(zk_gl_sub(slot, last));
		cols[C_J3][r] = inv_or_zero(zk_gl_sub(cols[C_MSG + 5][r],
						      CLOB_NIL));
		cols[C_J1][r] = 0;
		cols[C_J2][r] = 0;
		if (dlo != 0)
			cols[C_J1][r] = inv_or_zero(dlo);
		else
			cols[C_J2][r] = inv_or_zero(dhi);
	}
}
