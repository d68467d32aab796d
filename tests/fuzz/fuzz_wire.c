/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for zk_wire_parse_frame.  Beyond "no crash, no UB" it
 * checks what the rest of the pipeline relies on: the op count fits the
 * caller's array, the stats identities of wire.h hold, every op is valid,
 * re-encodes to the same op, and sequence numbers only go forward.
 *
 * Input layout: byte 0 picks the ops capacity (so over-capacity drops are
 * reachable), the rest is one Ethernet frame, parsed twice by one parser
 * (the second pass exercises duplicate detection).
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkclob/wire.h"

#define CHECK(c) do { \
	if (!(c)) { \
		fprintf(stderr, "invariant failed: %s (%s:%d)\n", #c, \
			__FILE__, __LINE__); \
		abort(); \
	} \
} while (0)

static uint64_t
drops(const struct zk_wire_stats *s, int msg_level)
{
	uint64_t sum = 0;
	int r;

	for (r = 0; r < ZK_DROP__COUNT; r++)
		if (zk_drop_reason_is_msg((enum zk_drop_reason)r) == !!msg_level)
			sum += s->drops[r];
	return sum;
}

static void
check_op(const struct zk_op *op)
{
	struct zk_wire_parser again;
	struct zk_wire_cfg cfg;
	struct zk_wire_addr a;
	uint8_t frame[ZK_WIRE_FRAME_OVERHEAD + 2 + ZK_WIRE_MAX_MSG_LEN];
	uint8_t session[ZK_WIRE_SESSION_LEN] = "FUZZ";
	struct zk_op back;
	size_t len;

	CHECK(op->type >= ZK_OP_NEW && op->type <= ZK_OP_REPLACE);
	CHECK(op->reserved[0] == 0 && op->reserved[1] == 0 &&
	      op->reserved[2] == 0);
	if (op->type == ZK_OP_NEW) {
		CHECK(op->side == ZK_SIDE_BUY || op->side == ZK_SIDE_SELL);
		CHECK(op->ord_type == ZK_ORD_LIMIT ||
		      op->ord_type == ZK_ORD_MARKET);
		CHECK(op->tif >= ZK_TIF_GTC && op->tif <= ZK_TIF_FOK);
		CHECK((op->flags & ~ZK_OP_F_POST_ONLY) == 0);
		CHECK(op->new_order_id == 0);
		CHECK(op->ord_type != ZK_ORD_MARKET || op->price == 0);
	} else {
		CHECK(op->side == 0 && op->ord_type == 0 && op->tif == 0 &&
		      op->flags == 0 && op->stp_group == 0);
		if (op->type == ZK_OP_CANCEL)
			CHECK(op->price == 0 && op->new_order_id == 0);
	}

	/* whatever the parser accepts, the encoder reproduces exactly */
	zk_wire_addr_default(&a);
	len = zk_wire_encode_frame(&a, session, op->seq, op, 1, frame,
				   sizeof(frame));
	CHECK(len > 0);
	zk_wire_cfg_default(&cfg);
	cfg.first_seq = op->seq;
	zk_wire_parser_init(&again, &cfg);
	CHECK(zk_wire_parse_frame(&again, frame, len, &back, 1) == 1);
	CHECK(memcmp(&back, op, sizeof(back)) == 0);
}

static void
check_pass(const struct zk_wire_parser *p, const struct zk_op *ops,
	   size_t n, size_t cap, uint64_t next_before)
{
	const struct zk_wire_stats *s = &p->stats;
	size_t i;

	CHECK(n <= cap);
	CHECK(s->frames == s->packets + s->heartbeats + s->end_of_session +
				   drops(s, 0));
	CHECK(s->msgs == s->ops + s->dup_msgs + drops(s, 1));
	CHECK(p->next_seq >= next_before);
	for (i = 0; i < n; i++) {
		check_op(&ops[i]);
		CHECK(ops[i].seq >= next_before);
		CHECK(ops[i].seq < p->next_seq);
		if (i > 0)
			CHECK(ops[i].seq > ops[i - 1].seq);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct zk_op ops[2048];
	struct zk_wire_parser p;
	struct zk_wire_cfg cfg;
	uint64_t before;
	size_t cap, n1, n2;

	if (size < 1)
		return 0;
	cap = data[0] < 128 ? data[0] : 2048;
	zk_wire_cfg_default(&cfg);
	zk_wire_parser_init(&p, &cfg);

	before = p.next_seq;
	n1 = zk_wire_parse_frame(&p, data + 1, size - 1, ops, cap);
	check_pass(&p, ops, n1, cap, before);

	before = p.next_seq;
	n2 = zk_wire_parse_frame(&p, data + 1, size - 1, ops, cap);
	check_pass(&p, ops, n2, cap, before);
	/* the same packet again is never new */
	CHECK(n2 == 0);
	CHECK(p.stats.frames == 2);
	return 0;
}
