/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR trace builder, the witnesses of a REPLACE after its owner
 * check (clob_air_replace.h): the roles of its accesses after the order
 * read; the new id's home bits on the order read and, on each probe of
 * the new id's chain, its bucket, wrap flag and the inverses that show a
 * bucket occupied by another id; the insert's buckets; the keep's level
 * write borrows and registers.
 */
#include <stdint.h>

#include "clob_air.h"
#include "clob_air_witness.h"

/* The keep's level write: the cut's and the new total's borrows and
 * limbs (registers V0..V3). */
static void keep_level_witness(zk_gl *const *cols, size_t r)
{
	uint64_t rem = cols[C_REMLO][r] | cols[C_REMHI][r] << 32;
	uint64_t qty = cols[C_OPF + OPF_QTY][r] |
		       cols[C_OPF + OPF_QTY + 1][r] << 32;
	uint64_t cut = rem - qty;

	cols[C_B1][r] = cols[C_REMLO][r] < (qty & 0xffffffffu);
	cols[C_B2][r] = cols[C_MSG + 5][r] < (cut & 0xffffffffu);
	zk_clob_set_reg(cols, r, 0, cols[C_AFT + 5][r] << 8);
	zk_clob_set_reg(cols, r, 1, cols[C_AFT + 6][r] << 8);
	zk_clob_set_reg(cols, r, 2, (cut & 0xffffffffu) << 8);
	zk_clob_set_reg(cols, r, 3, (cut >> 32) << 8);
}

void zk_clob_replace_witness(const struct zk_clob_air *c, zk_gl *const *cols,
			     size_t at, size_t end)
{
	zk_gl last = c->lay.count[ZK_SLOT_BUCKET] - 1;
	zk_gl off = c->lay.offset[ZK_SLOT_BUCKET];
	unsigned kb = c->kind_bits[ZK_SLOT_BUCKET];
	uint64_t nid = cols[C_OPF + OPF_NID][at] |
		       cols[C_OPF + OPF_NID + 1][at] << 32;
	uint64_t home = kb == 0 ? 0 : (nid * CLOB_HASH_MUL) >> (64 - kb);

	for (size_t r = at + 1; r < end; r++) {
		/* the insert starts at the new id's home (fixed on ORD) */
		cols[C_XHOME][r] = home;
		if (cols[C_ORD][r] && cols[C_AQ][r]) {
			cols[C_HQ][r] = 1;
			zk_clob_home_bits(cols, r, nid);
		}
		if (cols[C_QP][r] || cols[C_QI][r]) {
			zk_gl slot = zk_gl_sub(cols[C_INDEX][r], off);

			cols[C_BSLOT][r] = slot;
			cols[C_WRAP][r] = slot == last;
			cols[C_WINV][r] = inv_or_zero(zk_gl_sub(slot, last));
			cols[C_J3][r] = inv_or_zero(
				zk_gl_sub(cols[C_MSG + 5][r], CLOB_NIL));
		}
		if (cols[C_QL][r])
			keep_level_witness(cols, r);
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

unsigned zk_clob_replace_role(const zk_gl *const *cols, size_t r,
			      const struct zk_witness_access *a)
{
	size_t p = r - 1;

	switch (a->kind) {
	case ZK_SLOT_BUCKET:
		if (a->write) {
			/* the erase's move or final write after a scan (the
			 * final one scanned an empty bucket), else the
			 * insert's write */
			if (cols[C_ES][p])
				return cols[C_MSG + 5][p] == CLOB_NIL ? C_EF :
									C_EM;
			return C_QI;
		}
		/* the new id's chain runs until an empty bucket; the insert
		 * probes follow the erase's final write */
		if (cols[C_ORD][p] ||
		    (cols[C_NP][p] && cols[C_MSG + 5][p] != CLOB_NIL))
			return C_NP;
		if (cols[C_EF][p] || cols[C_QP][p])
			return C_QP;
		return C_ES;
	case ZK_SLOT_ORDER:
		return a->write ? C_QW : 0;
	case ZK_SLOT_LEVEL:
		return a->write ? C_QL : 0;
	default:
		return 0;
	}
}
