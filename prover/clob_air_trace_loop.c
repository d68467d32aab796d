/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR trace builder, the witnesses a taker that trades
 * (clob_air_loop.h) needs on top of the one-maker match's: the id's home
 * for the rest's insert, slots_available's header flags of a GTC, the
 * reload mark after the maker removal, and the resting NEW's witnesses
 * of a GTC remainder, from the engine's accesses in the op's rows.
 */
#include <stdint.h>

#include "clob_air.h"
#include "clob_air_witness.h"

void zk_clob_gtc_witness(const struct zk_clob_air *c, zk_gl *const *cols,
			 size_t at, size_t end)
{
	unsigned kb = c->kind_bits[ZK_SLOT_BUCKET];
	/* a move's taker is its new id, a GTC from its match's rows on */
	unsigned idf = cols[C_AV][at] ? OPF_NID : OPF_OID;
	uint64_t id = cols[C_OPF + idf][at] |
		      cols[C_OPF + idf + 1][at] << 32;
	zk_gl home = kb == 0 ? 0 : (id * CLOB_HASH_MUL) >> (64 - kb);
	int gtc = cols[C_OPF + OPF_TIF][end - 1] == ZK_TIF_GTC;
	/* the last fill decides whether the taker rests */
	int rst = gtc && cols[C_FR][end - 1] && !cols[C_OS][end - 1];
	size_t rld = end, r;

	/* RLD after every maker removal's header write; the rest's rows
	 * start after the last */
	for (r = at + 1; r < end; r++) {
		if (cols[C_HW][r - 1] && r - 1 > at) {
			rld = r;
			cols[C_RLD][r] = 1;
		}
		if (cols[C_OS][r]) {
			zk_gl stp = cols[C_OPF + OPF_STP][r];

			cols[C_GD][r] = stp != 0;
			cols[C_J3][r] = inv_or_zero(stp);
		}
		if (cols[C_HS][r]) {
			zk_gl of = cols[C_MSG + 5][r], lf = cols[C_MSG + 6][r];

			cols[C_J1][r] = inv_or_zero(zk_gl_sub(of, CLOB_NIL));
			cols[C_J2][r] = inv_or_zero(zk_gl_sub(lf, CLOB_NIL));
		}
	}
	for (r = at; r < end; r++) {
		cols[C_XHOME][r] = home;
		cols[C_RST][r] = rst;
		cols[C_GT][r] = gtc;
	}
	if (!rst || rld == end)
		return;
	/* the rest's rows: its own slot, level and links from rld on; IW,
	 * not the last no-cross read, emits ACCEPTED */
	cols[C_EMT][end - 1] = 0;
	zk_clob_rest_witness(c, cols, rld, end);
	for (r = at; r < rld; r++)
		cols[C_EX][r] = cols[C_EX][rld];
}

unsigned zk_clob_fok_role(const zk_gl *const *cols, size_t r,
			  const struct zk_witness_access *a,
			  const struct zk_witness_access *next)
{
	size_t p = r - 1;

	if (cols[C_OPF + OPF_TIF][r] != ZK_TIF_FOK || a->write)
		return CLOB_ROLE_REST;
	switch (a->kind) {
	case ZK_SLOT_HEADER:
		/* fok_fillable's header read before a crossing level */
		return next != NULL && next->kind == ZK_SLOT_LEVEL &&
			       !next->write &&
			       zk_clob_taker_crosses(cols, r,
						     next->before.level.price) ?
			       0 : CLOB_ROLE_REST;
	case ZK_SLOT_LEVEL:
		if (cols[C_HDR][p])
			return 0; /* LVL */
		/* after a read: the worse level, which crosses (the chain
		 * goes on) or not (the end) */
		if (cols[C_FO][p])
			return zk_clob_taker_crosses(cols, r,
						     a->before.level.price) ?
				       0 : C_LVN;
		return CLOB_ROLE_REST;
	case ZK_SLOT_ORDER:
		return C_FO;
	default:
		return CLOB_ROLE_REST;
	}
}

void zk_clob_fok_witness(zk_gl *const *cols, size_t at, size_t end,
			 int skip_self)
{
	uint64_t need = cols[C_OPF + OPF_QTY][at] |
			cols[C_OPF + OPF_QTY + 1][at] << 32;
	zk_gl stp = cols[C_OPF + OPF_STP][at], worse = CLOB_NIL;
	size_t r, last = end;

	for (r = at; r < end; r++) {
		cols[C_NEED][r] = need;
		if (cols[C_FO][r])
			last = r;
	}
	/* fok_fillable's chain: every read but the last goes on (FB) */
	for (r = at + 1; r < end; r++) {
		uint64_t rem = cols[C_MSG + 9][r] | cols[C_MSG + 10][r] << 32;
		int self;

		if (cols[C_LVL][r]) {
			worse = cols[C_MSG + 10][r];
			cols[C_FK][r] = r > at + 1 && cols[C_FX][r - 1];
			cols[C_NEED][r] = need;
			continue;
		}
		if (!cols[C_FO][r])
			continue;
		self = zk_clob_own_witness(cols, r);
		cols[C_NEED][r] = need;
		cols[C_BSLOT][r] = worse;
		if (self && !skip_self) {
			cols[C_FS][r] = 1;
			continue;
		}
		/* (CANCEL_OLDEST: an own order skipped, the need kept) */
		cols[C_FSK][r] = self;
		zk_clob_set_reg(cols, r, 0, cols[C_MSG + 10][r] << 32);
		zk_clob_set_reg(cols, r, 1, self ? 0 : need - rem - 1);
		if (!self)
			zk_clob_not_self_witness(cols, r, stp);
		if (r == last) {
			cols[C_FU][r] = 1;
			cols[C_BONIL][r] = worse == CLOB_NIL;
			cols[C_HINV][r] = inv_or_zero(zk_gl_sub(worse,
								CLOB_NIL));
			continue;
		}
		cols[C_FB][r] = 1;
		cols[C_FX][r] = 1;
		cols[C_FNN][r] = cols[C_MSG + 12][r] == CLOB_NIL;
		cols[C_WINV][r] = inv_or_zero(zk_gl_sub(cols[C_MSG + 12][r],
							CLOB_NIL));
		cols[C_HINV][r] = inv_or_zero(zk_gl_sub(worse, CLOB_NIL));
		need -= self ? 0 : rem;
	}
}
