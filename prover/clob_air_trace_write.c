/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR trace builder, the witnesses of the ops that change the book
 * (clob_air_write.h, clob_air_cancel.h): filled once all rows of an op
 * are laid out, since the level write needs the order read's remaining
 * and the erase scans need the hole the earlier rows left. Every value is
 * read back from the rows (the engine's accesses); nothing is recomputed
 * from the book. Also the slots' pristine values the leaf rows compare
 * against.
 */
#include <stdint.h>
#include <string.h>

#include "clob_air.h"
#include "clob_air_witness.h"

void zk_clob_set_reg(zk_gl *const *cols, size_t r, unsigned j, uint64_t v)
{
	uint64_t low = v & (((uint64_t)1 << CLOB_RANGE_BITS) - 1);

	cols[C_V + j][r] = low;
	for (unsigned i = 0; i < CLOB_RANGE_BITS; i++)
		cols[C_VB + j * CLOB_RANGE_BITS + i][r] = (low >> i) & 1;
}

void zk_clob_home_bits(zk_gl *const *cols, size_t r, uint64_t id)
{
	uint64_t a[4], cl[4], carry = 0;
	unsigned i, j;

	for (i = 0; i < 4; i++) {
		a[i] = (id >> (16 * i)) & 0xffff;
		cl[i] = (CLOB_HASH_MUL >> (16 * i)) & 0xffff;
	}
	for (i = 0; i < 4; i++) {
		uint64_t z = carry, x;

		for (j = 0; j <= i; j++)
			z += a[j] * cl[i - j];
		x = z & 0xffff;
		carry = z >> 16;
		for (j = 0; j < 16; j++) {
			cols[C_HB + CLOB_HB_A(i) + j][r] = (a[i] >> j) & 1;
			cols[C_HB + CLOB_HB_X(i) + j][r] = (x >> j) & 1;
		}
		for (j = 0; j < 20; j++)
			cols[C_HB + CLOB_HB_R(i) + j][r] = (carry >> j) & 1;
	}
}

int zk_clob_has_role(const zk_gl *const *cols, size_t r)
{
	static const unsigned roles[] = { C_ORD, C_HDR, C_LVL, C_OW, C_LW,
					  C_OR2, C_PW, C_NW, C_ES, C_EM,
					  C_EF, C_OF, C_HW, C_LB, C_LWO,
					  C_LF, C_HL, C_HN, C_LVN, C_LX,
					  C_ORS, C_HO, C_LC, C_HC, C_LN,
					  C_LBW, C_LWB, C_OWN, C_TW, C_LT,
					  C_IP, C_IW, C_NP, C_QP, C_QI,
					  C_QW, C_QL, C_HS, C_FO, C_OS,
					  C_HF, C_BLX, C_BFB, C_BFW, C_HP,
					  C_LP, C_OM, C_MW, C_ML, C_MP,
					  C_LO, C_OX, C_LK };

	for (unsigned i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (cols[roles[i]][r])
			return 1;
	return 0;
}

static uint64_t limbs(const zk_gl *const *cols, unsigned col, size_t r)
{
	return cols[col][r] | cols[col + 1][r] << 32;
}

/* A level write: the cut (reduce: remaining - qty; cancel: remaining),
 * its borrows and inverse, the new total's limbs as registers. */
static void level_write_witness(zk_gl *const *cols, size_t r)
{
	uint64_t rem = cols[C_REMLO][r] | cols[C_REMHI][r] << 32;
	uint64_t qty = limbs((const zk_gl *const *)cols, C_OPF + OPF_QTY, r);
	int cancel = cols[C_AC][r] != 0;
	uint64_t cut = cancel ? rem : rem - qty;
	uint64_t cut_lo = cut & 0xffffffffu;

	if (!cancel) {
		cols[C_B1][r] = cols[C_REMLO][r] < (qty & 0xffffffffu);
		cols[C_CINV][r] = inv_or_zero(zk_gl_add(cut_lo, cut >> 32));
	}
	cols[C_LE][r] = cols[C_AFT + 7][r] == CLOB_NIL;
	cols[C_HINV][r] = inv_or_zero(zk_gl_sub(cols[C_AFT + 7][r], CLOB_NIL));
	cols[C_BINV][r] = inv_or_zero(zk_gl_sub(cols[C_MSG + 9][r], CLOB_NIL));
	cols[C_WINV2][r] = inv_or_zero(zk_gl_sub(cols[C_MSG + 10][r],
						 CLOB_NIL));
	cols[C_B2][r] = cols[C_MSG + 5][r] < cut_lo;
	zk_clob_set_reg(cols, r, 0, cols[C_AFT + 5][r] << 8);
	zk_clob_set_reg(cols, r, 1, cols[C_AFT + 6][r] << 8);
}

/* An erase scan of bucket j with the hole at `hole`: empty, or the home
 * of its id and the backward-shift decision (engine hash_erase). */
static void erase_scan_witness(const struct zk_clob_air *c,
			       zk_gl *const *cols, size_t r, uint64_t hole)
{
	uint64_t nb = c->lay.count[ZK_SLOT_BUCKET];
	unsigned kb = c->kind_bits[ZK_SLOT_BUCKET];
	uint64_t j = cols[C_BSLOT][r], id, home, d1, d2;
	int shift;

	if (cols[C_MSG + 5][r] == CLOB_NIL) {
		cols[C_EE][r] = 1;
		return;
	}
	cols[C_J3][r] = inv_or_zero(zk_gl_sub(cols[C_MSG + 5][r], CLOB_NIL));
	id = limbs((const zk_gl *const *)cols, C_MSG + 3, r);
	zk_clob_home_bits(cols, r, id);
	home = kb == 0 ? 0 : (id * CLOB_HASH_MUL) >> (64 - kb);
	d1 = (j - home) & (nb - 1);
	d2 = (j - hole) & (nb - 1);
	shift = d1 >= d2;
	cols[C_W1][r] = j < home;
	cols[C_W2][r] = j < hole;
	cols[C_SH][r] = shift;
	zk_clob_set_reg(cols, r, 0, d1);
	zk_clob_set_reg(cols, r, 1, nb - 1 - d1);
	zk_clob_set_reg(cols, r, 2, d2);
	zk_clob_set_reg(cols, r, 3, nb - 1 - d2);
	zk_clob_set_reg(cols, r, 4, shift ? d1 - d2 : d2 - d1 - 1);
}

void zk_clob_write_witness(const struct zk_clob_air *c, zk_gl *const *cols,
			   size_t at, size_t end)
{
	zk_gl nb = c->lay.count[ZK_SLOT_BUCKET];
	size_t ord = end, lw = end, r;
	zk_gl x[C_WN - C_XSLOT + 1];
	uint64_t hole, scan;

	/* the order read: a cancel's ORD, or a match's maker read OM */
	for (r = at + 1; r < end && ord == end; r++)
		if (cols[C_ORD][r] || cols[C_OM][r] || cols[C_OX][r])
			ord = r;
	if (ord == end)
		return;
	x[C_XSLOT - C_XSLOT] = cols[C_MSG + 2][ord];
	x[C_XPREV - C_XSLOT] = cols[C_MSG + 11][ord];
	x[C_XNEXT - C_XSLOT] = cols[C_MSG + 12][ord];
	x[C_XLVL - C_XSLOT] = cols[C_MSG + 13][ord];
	x[C_XSIDE - C_XSLOT] = cols[C_MSG + 15][ord];
	x[C_XPLO - C_XSLOT] = cols[C_MSG + 7][ord];
	x[C_XPHI - C_XSLOT] = cols[C_MSG + 8][ord];
	x[C_PN - C_XSLOT] = cols[C_MSG + 11][ord] == CLOB_NIL;
	x[C_NN - C_XSLOT] = cols[C_MSG + 12][ord] == CLOB_NIL;
	/* the level write's level (level_free), zero without one */
	for (r = ord + 1; r < end && lw == end; r++)
		if (cols[C_LW][r])
			lw = r;
	for (r = C_XBETTER; r <= C_WN; r++)
		x[r - C_XSLOT] = 0;
	if (lw < end) {
		x[C_XBETTER - C_XSLOT] = cols[C_MSG + 9][lw];
		x[C_XWORSE - C_XSLOT] = cols[C_MSG + 10][lw];
		x[C_XLSIDE - C_XSLOT] = cols[C_MSG + 11][lw];
		x[C_BN - C_XSLOT] = cols[C_MSG + 9][lw] == CLOB_NIL;
		x[C_WN - C_XSLOT] = cols[C_MSG + 10][lw] == CLOB_NIL;
	}
	cols[C_PINV][ord] = inv_or_zero(zk_gl_sub(cols[C_MSG + 11][ord],
						  CLOB_NIL));
	cols[C_NINV][ord] = inv_or_zero(zk_gl_sub(cols[C_MSG + 12][ord],
						  CLOB_NIL));
	/* the hole starts at the id's bucket, the last probe's: before
	 * the order read, or (a match) before the first erase scan */
	hole = scan = cols[C_BSLOT][ord - 1];
	for (r = ord; (cols[C_OM][ord] || cols[C_OX][ord]) && r + 1 < end;
	     r++) {
		if (cols[C_ES][r + 1]) {
			hole = scan = cols[C_BSLOT][r];
			break;
		}
	}
	for (r = at; r < end; r++) {
		for (unsigned i = 0; i <= C_WN - C_XSLOT; i++)
			cols[C_XSLOT + i][r] = x[i];
		cols[C_BW][r] = x[C_BN - C_XSLOT] & x[C_WN - C_XSLOT];
		if (cols[C_ES][r]) {
			scan = cols[C_BSLOT][r];
			erase_scan_witness(c, cols, r, hole);
		}
		cols[C_HOLE][r] = hole;
		cols[C_SCAN][r] = scan;
		if (cols[C_EM][r])
			hole = scan;
		if (cols[C_LW][r])
			level_write_witness(cols, r);
		if (cols[C_HW][r])
			zk_clob_set_reg(cols, r, 0, cols[C_AFT + 7][r] << 8);
		if (cols[C_HL][r])
			zk_clob_set_reg(cols, r, 0, cols[C_AFT + 8][r] << 8);
	}
	/* the row before a scan says whether the scan wraps */
	for (r = at; r + 1 < end; r++) {
		if (!cols[C_ES][r + 1])
			continue;
		cols[C_WRAP][r] = cols[C_SCAN][r] == nb - 1;
		cols[C_WINV][r] = inv_or_zero(zk_gl_sub(cols[C_SCAN][r],
							nb - 1));
	}
}

/* The value zk_engine_create gives a slot (statetree.h "pristine"). */
void zk_clob_pristine_value(const struct zk_st_layout *lay, uint32_t kind,
			    uint32_t slot, union zk_slot_value *v)
{
	uint32_t next = slot + 1 < lay->count[kind] ? slot + 1 : ZK_SLOT_NIL;

	memset(v, 0, sizeof(*v));
	switch (kind) {
	case ZK_SLOT_HEADER:
		v->header.best_bid = v->header.best_ask = ZK_SLOT_NIL;
		break;
	case ZK_SLOT_ORDER:
		v->order.prev = v->order.level = ZK_SLOT_NIL;
		v->order.next = next;
		break;
	case ZK_SLOT_LEVEL:
		v->level.head = v->level.tail = v->level.better = ZK_SLOT_NIL;
		v->level.worse = next;
		break;
	default:
		v->bucket.order = ZK_SLOT_NIL;
		break;
	}
}
