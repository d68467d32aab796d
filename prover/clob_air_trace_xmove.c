/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR trace builder, a REPLACE that moves to a price where it crosses
 * (clob_air_xmove.h): the matching NEW's witnesses from the row after the
 * move's own removal (its match's first header read) to the op's end, the
 * move's own (zk_clob_move_witness) before it, and the columns the AIR
 * carries over all the op's rows set on the move's rows too.
 */
#include <stdint.h>

#include "clob_air.h"

void zk_clob_xmove_witness(const struct zk_clob_air *c, zk_gl *const *cols,
			   size_t at, size_t xs, size_t end)
{
	size_t hw = xs - 1, r;

	zk_clob_match_witness_from(c, cols, at, hw, end);
	/* the rest's insert flag (a GTC remainder's) rides over every
	 * access row of the op */
	for (r = at; r < hw; r++)
		cols[C_EX][r] = cols[C_EX][hw];
}
