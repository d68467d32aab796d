/* SPDX-License-Identifier: MIT */
/*
 * Small MoldUDP64 captures for the zkclobd tests that prove what they
 * replay (include after <cmocka.h>).
 *
 *  - zk_test_write_reject_capture: `packets` frames of 8 ops over markets
 *    1 and 2, every one a reject the CLOB AIR proves (a NEW above the
 *    price band, a NEW over max_qty, a CANCEL of an unknown id), then the
 *    end of session; returns the number of ops.
 *  - zk_test_write_ops_capture: the given ops one per frame, sequenced
 *    from 1, then the end of session.
 *  - zk_test_write_unprovable_capture: a batch the CLOB AIR does not prove
 *    yet (a REPLACE to a negative price, a market-rule reject outside the
 *    AIR's numeric limits).
 */
#ifndef ZKCLOB_TESTS_CAPTURE_UTIL_H
#define ZKCLOB_TESTS_CAPTURE_UTIL_H

#include <stdint.h>
#include <string.h>

#include "zkclob/pcapio.h"
#include "zkclob/wire.h"

static inline void
zk_test_capture_frame(struct zk_pcap_writer *w, const struct zk_wire_addr *a,
		      const uint8_t *session, uint64_t seq,
		      const struct zk_op *ops, unsigned n)
{
	uint8_t frame[2048];
	size_t len = n > 0 ? zk_wire_encode_frame(a, session, seq, ops, n,
						  frame, sizeof(frame))
			   : zk_wire_encode_end_of_session(a, session, seq,
							   frame,
							   sizeof(frame));

	assert_true(len > 0);
	assert_int_equal(zk_pcap_writer_write(w, frame, len, 0), 0);
}

static inline uint64_t
zk_test_write_reject_capture(const char *path, int packets)
{
	struct zk_wire_addr a;
	struct zk_pcap_writer *w;
	uint8_t session[ZK_WIRE_SESSION_LEN];
	char err[256];
	uint64_t seq = 1;
	int pkt, i;

	zk_wire_addr_default(&a);
	zk_wire_session_from_str(session, "ZKCLOB0001");
	assert_int_equal(zk_pcap_writer_open(&w, path, err, sizeof(err)), 0);
	for (pkt = 0; pkt < packets; pkt++) {
		struct zk_op ops[8];

		memset(ops, 0, sizeof(ops));
		for (i = 0; i < 8; i++) {
			struct zk_op *op = &ops[i];

			op->market = 1 + (uint32_t)((pkt + i) % 2);
			op->account = 1 + (uint64_t)i;
			if (i % 3 == 0) {
				op->type = ZK_OP_CANCEL;
				op->order_id = 900000 + seq + (uint64_t)i;
			} else {
				op->type = ZK_OP_NEW;
				op->order_id = 1000 + seq + (uint64_t)i;
				op->side = i % 2 ? ZK_SIDE_BUY : ZK_SIDE_SELL;
				op->ord_type = ZK_ORD_LIMIT;
				op->tif = ZK_TIF_GTC;
				/* above the band, or over max_qty */
				op->price = i % 3 == 1 ? 5000000 : 100000;
				op->qty = i % 3 == 1 ? 10 : 5000000;
			}
		}
		zk_test_capture_frame(w, &a, session, seq, ops, 8);
		seq += 8;
	}
	zk_test_capture_frame(w, &a, session, seq, NULL, 0);
	assert_int_equal(zk_pcap_writer_close(w), 0);
	return seq - 1;
}

static inline void
zk_test_write_ops_capture(const char *path, const struct zk_op *ops,
			  unsigned n)
{
	struct zk_wire_addr a;
	struct zk_pcap_writer *w;
	uint8_t session[ZK_WIRE_SESSION_LEN];
	char err[256];
	unsigned i;

	zk_wire_addr_default(&a);
	zk_wire_session_from_str(session, "ZKCLOB0002");
	assert_int_equal(zk_pcap_writer_open(&w, path, err, sizeof(err)), 0);
	for (i = 0; i < n; i++)
		zk_test_capture_frame(w, &a, session, (uint64_t)i + 1, &ops[i], 1);
	zk_test_capture_frame(w, &a, session, (uint64_t)n + 1, NULL, 0);
	assert_int_equal(zk_pcap_writer_close(w), 0);
}

/*
 * Two resting sells at 100000 (accounts 1 and 2), a buy of account 1
 * resting below them, then a REPLACE of the buy to price -100000: the
 * engine rejects it (PRICE_BAND), a reject whose price lies outside the
 * AIR's limbs (docs/proof.md section 8, item 5), so its batch part is
 * unprovable. (A taker of several makers served here until AIR v8, a move
 * that trades until v9, a move stopped by self-trade prevention until
 * v10.)
 */
static inline void
zk_test_write_unprovable_capture(const char *path)
{
	struct zk_op ops[4];
	int i;

	memset(ops, 0, sizeof(ops));
	for (i = 0; i < 3; i++) {
		ops[i].type = ZK_OP_NEW;
		ops[i].market = 1;
		ops[i].account = i < 2 ? 1 + (uint64_t)i : 1;
		ops[i].order_id = 1 + (uint64_t)i;
		ops[i].side = i < 2 ? ZK_SIDE_SELL : ZK_SIDE_BUY;
		ops[i].ord_type = ZK_ORD_LIMIT;
		ops[i].tif = ZK_TIF_GTC;
		ops[i].price = i < 2 ? 100000 : 99995;
		ops[i].qty = 10;
	}
	ops[3].type = ZK_OP_REPLACE;
	ops[3].market = 1;
	ops[3].account = 1;
	ops[3].order_id = 3;
	ops[3].new_order_id = 4;
	ops[3].price = -100000;
	ops[3].qty = 20;
	zk_test_write_ops_capture(path, ops, 4);
}

#endif /* ZKCLOB_TESTS_CAPTURE_UTIL_H */
