/* SPDX-License-Identifier: MIT */
/*
 * zkclob — wire format: Ethernet II / IPv4 / UDP / MoldUDP64 carrying
 * OUCH 4.2-style fixed-width big-endian order messages (docs/wire.md has
 * every byte).
 *
 * Spec
 *  - Pure C, no DPDK: the rx lcore calls zk_wire_parse_frame() on mbuf data,
 *    tests and tools call it on pcap records.
 *  - One parser per MoldUDP64 stream.  It locks onto one session (configured,
 *    or the first one seen), tracks the next expected sequence number and
 *    counts everything it sees in struct zk_wire_stats.
 *  - A malformed frame is dropped whole and counted once under its reason;
 *    a well-framed packet holding a malformed message drops only that
 *    message (its sequence number is consumed, so op.seq can skip numbers
 *    the parser has already accounted for: consumers must take gaps from the
 *    parser, never from op.seq discontinuities).
 *  - Sequence gaps: the messages after a gap ARE delivered; the gap is
 *    counted (gap_events, gap_msgs) and reported through cfg.on_gap so the
 *    sequencer can halt proving or record a skip.  Messages whose sequence
 *    number was already seen are dropped and counted as dup_msgs.
 *  - Stats invariants (checked by the fuzz target):
 *      frames == packets + heartbeats + end_of_session + sum(frame drops)
 *      msgs   == ops + dup_msgs + sum(message drops)
 *  - Every op produced has all fields that its type does not use set to zero
 *    (include/zkclob/op.h), so equal messages give byte-identical ops.
 */
#ifndef ZKCLOB_WIRE_H
#define ZKCLOB_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zkclob/op.h"

#define ZK_WIRE_SESSION_LEN 10
#define ZK_WIRE_DEFAULT_PORT 30001
#define ZK_WIRE_ETH_HLEN 14
#define ZK_WIRE_IP_HLEN 20 /* without options */
#define ZK_WIRE_UDP_HLEN 8
#define ZK_WIRE_MOLD_HLEN 20
/* Ethernet + IPv4 (no options) + UDP + MoldUDP64 header */
#define ZK_WIRE_FRAME_OVERHEAD \
	(ZK_WIRE_ETH_HLEN + ZK_WIRE_IP_HLEN + ZK_WIRE_UDP_HLEN + ZK_WIRE_MOLD_HLEN)
#define ZK_WIRE_MOLD_END_OF_SESSION 0xFFFFu

/* Message types and their fixed lengths (without the 2-byte length prefix). */
#define ZK_WIRE_MSG_ENTER 'O'
#define ZK_WIRE_MSG_REPLACE 'U'
#define ZK_WIRE_MSG_CANCEL 'X'
#define ZK_WIRE_ENTER_LEN 48
#define ZK_WIRE_REPLACE_LEN 48
#define ZK_WIRE_CANCEL_LEN 32
#define ZK_WIRE_MAX_MSG_LEN 48

/*
 * Drop reasons.  Frame reasons drop the whole frame and count 1; message
 * reasons (from ZK_DROP_MSG_LEN on) drop one message and count 1 each.
 */
enum zk_drop_reason {
	ZK_DROP_TRUNC_ETH,     /* shorter than an Ethernet header */
	ZK_DROP_NOT_IPV4,      /* ethertype is not 0x0800 (VLAN tags included) */
	ZK_DROP_TRUNC_IP,      /* shorter than a 20-byte IPv4 header */
	ZK_DROP_IP_VERSION,    /* version nibble != 4 */
	ZK_DROP_IP_IHL,        /* IHL < 5 */
	ZK_DROP_IP_TOTAL_LEN,  /* total length < header or > bytes present */
	ZK_DROP_IP_FRAGMENT,   /* MF set or fragment offset != 0 */
	ZK_DROP_NOT_UDP,       /* protocol != 17 */
	ZK_DROP_TRUNC_UDP,     /* IP payload shorter than a UDP header */
	ZK_DROP_UDP_PORT,      /* destination port is not cfg.udp_port */
	ZK_DROP_UDP_LEN,       /* UDP length != IP payload length */
	ZK_DROP_TRUNC_MOLD,    /* UDP payload shorter than a MoldUDP64 header */
	ZK_DROP_SESSION,       /* session differs from the locked session */
	ZK_DROP_SESSION_ENDED, /* data or heartbeat after end of session */
	ZK_DROP_SEQ_RANGE,     /* sequence 0, or seq + count overflows */
	ZK_DROP_MOLD_COUNT,    /* messages do not exactly fill the payload */
	ZK_DROP_OVER_CAPACITY, /* more messages than the caller's ops array */
	ZK_DROP_MSG_LEN,       /* length is not the fixed length of its type */
	ZK_DROP_MSG_TYPE,      /* unknown message type */
	ZK_DROP_FIELD,         /* bad enum, flag, reserved byte or market price */
	ZK_DROP__COUNT
};
#define ZK_DROP__FIRST_MSG ZK_DROP_MSG_LEN

struct zk_wire_stats {
	uint64_t frames;         /* every frame handed to the parser */
	uint64_t packets;        /* well-formed data packets (count 1..0xFFFE) */
	uint64_t msgs;           /* messages in those packets */
	uint64_t ops;            /* ops produced */
	uint64_t heartbeats;     /* count == 0 */
	uint64_t end_of_session; /* count == 0xFFFF */
	uint64_t gap_events;     /* times the stream jumped forward */
	uint64_t gap_msgs;       /* sequence numbers skipped by those jumps */
	uint64_t dup_msgs;       /* messages already seen, dropped */
	uint64_t drops[ZK_DROP__COUNT];
};

/* Called once per gap, before the ops after it are returned. */
typedef void (*zk_wire_gap_fn)(void *ctx, uint64_t expected_seq,
			       uint64_t received_seq);

struct zk_wire_cfg {
	uint16_t udp_port; /* destination port carrying the stream */
	/* all zero ⇒ lock onto the first session seen */
	uint8_t session[ZK_WIRE_SESSION_LEN];
	uint64_t first_seq; /* first expected sequence number; 0 ⇒ 1 */
	zk_wire_gap_fn on_gap; /* may be NULL */
	void *gap_ctx;
};

struct zk_wire_parser {
	struct zk_wire_cfg cfg;
	uint8_t session[ZK_WIRE_SESSION_LEN];
	bool session_locked;
	bool session_ended;
	uint64_t next_seq; /* sequence number expected next */
	struct zk_wire_stats stats;
};

/* Where encoded frames come from and go to (host byte order). */
struct zk_wire_addr {
	uint8_t dst_mac[6];
	uint8_t src_mac[6];
	uint32_t src_ip;
	uint32_t dst_ip;
	uint16_t src_port;
	uint16_t dst_port;
};

void zk_wire_cfg_default(struct zk_wire_cfg *cfg);
void zk_wire_parser_init(struct zk_wire_parser *p,
			 const struct zk_wire_cfg *cfg);

/*
 * Parse one Ethernet frame.  Writes at most cap ops and returns how many;
 * ops[ret..cap) may have been overwritten.  A packet with more messages
 * than cap is dropped as ZK_DROP_OVER_CAPACITY (size cap for the largest
 * frame the port accepts: ZK_WIRE_MAX_MSGS(frame_len)).
 */
size_t zk_wire_parse_frame(struct zk_wire_parser *p, const uint8_t *frame,
			   size_t len, struct zk_op *ops, size_t cap);

#define ZK_WIRE_MAX_MSGS(frame_len) \
	(((frame_len) - ZK_WIRE_FRAME_OVERHEAD) / (2 + ZK_WIRE_CANCEL_LEN))

const char *zk_drop_reason_str(enum zk_drop_reason r);
bool zk_drop_reason_is_msg(enum zk_drop_reason r);

/* 239.1.1.1:30001, multicast MAC, 10.0.0.1:30000 */
void zk_wire_addr_default(struct zk_wire_addr *a);

/* Length of the message an op encodes to (without prefix); 0 if none. */
size_t zk_wire_msg_len(const struct zk_op *op);

/*
 * Encode one op as a message (no length prefix).  Returns the bytes written,
 * or 0 if the op cannot be represented exactly (bad enum, a field its type
 * does not carry is non-zero) or cap is too small.  op->seq is not encoded.
 */
size_t zk_wire_encode_msg(const struct zk_op *op, uint8_t *buf, size_t cap);

/*
 * Encode a full frame: MoldUDP64 packet with sequence `seq` holding n ops
 * (n == 0 ⇒ heartbeat).  Returns the frame length, or 0 if an op cannot be
 * encoded, n >= 0xFFFF or the frame does not fit in cap / 65535-byte IP.
 */
size_t zk_wire_encode_frame(const struct zk_wire_addr *a,
			    const uint8_t session[ZK_WIRE_SESSION_LEN],
			    uint64_t seq, const struct zk_op *ops, size_t n,
			    uint8_t *buf, size_t cap);

/* End-of-session packet; next_seq is the sequence number after the last. */
size_t zk_wire_encode_end_of_session(const struct zk_wire_addr *a,
				     const uint8_t session[ZK_WIRE_SESSION_LEN],
				     uint64_t next_seq, uint8_t *buf,
				     size_t cap);

/* Space-pads an ASCII name into a MoldUDP64 session field. */
void zk_wire_session_from_str(uint8_t session[ZK_WIRE_SESSION_LEN],
			      const char *name);

#endif /* ZKCLOB_WIRE_H */
