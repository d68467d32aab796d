/* SPDX-License-Identifier: MIT */
/*
 * Wire encoder: the exact inverse of wire.c.  It refuses ops that the parser
 * could not give back byte-for-byte, so encode → parse is the identity
 * (apart from op.seq, which the packet assigns).
 */

#include <string.h>

#include "zkclob/wire.h"
#include "zkclob/be.h"

void
zk_wire_addr_default(struct zk_wire_addr *a)
{
	static const uint8_t dst_mac[6] = {0x01, 0x00, 0x5e, 0x01, 0x01, 0x01};
	static const uint8_t src_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};

	memset(a, 0, sizeof(*a));
	memcpy(a->dst_mac, dst_mac, sizeof(dst_mac));
	memcpy(a->src_mac, src_mac, sizeof(src_mac));
	a->src_ip = 0x0a000001;  /* 10.0.0.1 */
	a->dst_ip = 0xef010101;  /* 239.1.1.1 */
	a->src_port = 30000;
	a->dst_port = ZK_WIRE_DEFAULT_PORT;
}

void
zk_wire_session_from_str(uint8_t session[ZK_WIRE_SESSION_LEN], const char *name)
{
	size_t i;

	for (i = 0; i < ZK_WIRE_SESSION_LEN; i++)
		session[i] = ' ';
	for (i = 0; i < ZK_WIRE_SESSION_LEN && name[i] != '\0'; i++)
		session[i] = (uint8_t)name[i];
}

static bool
reserved_zero(const struct zk_op *op)
{
	return (op->reserved[0] | op->reserved[1] | op->reserved[2]) == 0;
}

static bool
enter_representable(const struct zk_op *op)
{
	if (op->side != ZK_SIDE_BUY && op->side != ZK_SIDE_SELL)
		return false;
	if (op->ord_type != ZK_ORD_LIMIT && op->ord_type != ZK_ORD_MARKET)
		return false;
	if (op->tif < ZK_TIF_GTC || op->tif > ZK_TIF_FOK)
		return false;
	if (op->flags & ~ZK_OP_F_POST_ONLY)
		return false;
	if (op->ord_type == ZK_ORD_MARKET && op->price != 0)
		return false;
	return op->new_order_id == 0;
}

/* Replace and cancel carry no side, type, TIF, flags or STP group. */
static bool
amend_representable(const struct zk_op *op)
{
	return op->side == 0 && op->ord_type == 0 && op->tif == 0 &&
	       op->flags == 0 && op->stp_group == 0;
}

size_t
zk_wire_msg_len(const struct zk_op *op)
{
	if (!reserved_zero(op))
		return 0;
	switch (op->type) {
	case ZK_OP_NEW:
		return enter_representable(op) ? ZK_WIRE_ENTER_LEN : 0;
	case ZK_OP_REPLACE:
		return amend_representable(op) ? ZK_WIRE_REPLACE_LEN : 0;
	case ZK_OP_CANCEL:
		if (!amend_representable(op) || op->new_order_id != 0 ||
		    op->price != 0)
			return 0;
		return ZK_WIRE_CANCEL_LEN;
	default:
		return 0;
	}
}

size_t
zk_wire_encode_msg(const struct zk_op *op, uint8_t *m, size_t cap)
{
	static const uint8_t side_code[] = {[ZK_SIDE_BUY] = 'B',
					    [ZK_SIDE_SELL] = 'S'};
	static const uint8_t ord_code[] = {[ZK_ORD_LIMIT] = 'L',
					   [ZK_ORD_MARKET] = 'M'};
	static const uint8_t tif_code[] = {[ZK_TIF_GTC] = 'G',
					   [ZK_TIF_IOC] = 'I',
					   [ZK_TIF_FOK] = 'F'};
	size_t len = zk_wire_msg_len(op);

	if (len == 0 || cap < len)
		return 0;
	memset(m, 0, len);
	zk_put_be64(m + 1, op->order_id);
	zk_put_be32(m + 9, op->market);
	zk_put_be64(m + 13, op->account);
	switch (op->type) {
	case ZK_OP_NEW:
		m[0] = ZK_WIRE_MSG_ENTER;
		m[21] = side_code[op->side];
		m[22] = ord_code[op->ord_type];
		m[23] = tif_code[op->tif];
		m[24] = op->flags;
		zk_put_be64(m + 25, (uint64_t)op->price);
		zk_put_be64(m + 33, op->qty);
		zk_put_be32(m + 41, op->stp_group);
		break;
	case ZK_OP_REPLACE:
		m[0] = ZK_WIRE_MSG_REPLACE;
		zk_put_be64(m + 21, op->new_order_id);
		zk_put_be64(m + 29, (uint64_t)op->price);
		zk_put_be64(m + 37, op->qty);
		break;
	default:
		m[0] = ZK_WIRE_MSG_CANCEL;
		zk_put_be64(m + 21, op->qty);
		break;
	}
	return len;
}

static uint16_t
ip_checksum(const uint8_t *h, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += zk_be16(h + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Writes Ethernet/IPv4/UDP/MoldUDP64 headers around a body already in place. */
static size_t
finish_frame(const struct zk_wire_addr *a,
	     const uint8_t session[ZK_WIRE_SESSION_LEN], uint64_t seq,
	     uint16_t count, size_t body_len, uint8_t *f)
{
	uint8_t *ip = f + ZK_WIRE_ETH_HLEN;
	uint8_t *udp = ip + ZK_WIRE_IP_HLEN;
	uint8_t *mold = udp + ZK_WIRE_UDP_HLEN;
	size_t udp_len = ZK_WIRE_UDP_HLEN + ZK_WIRE_MOLD_HLEN + body_len;

	memcpy(f, a->dst_mac, 6);
	memcpy(f + 6, a->src_mac, 6);
	zk_put_be16(f + 12, 0x0800);

	ip[0] = 0x45;
	ip[1] = 0;
	zk_put_be16(ip + 2, (uint16_t)(ZK_WIRE_IP_HLEN + udp_len));
	/* deterministic id so identical input gives identical captures */
	zk_put_be16(ip + 4, (uint16_t)seq);
	zk_put_be16(ip + 6, 0x4000); /* DF */
	ip[8] = 64;
	ip[9] = 17;
	zk_put_be16(ip + 10, 0);
	zk_put_be32(ip + 12, a->src_ip);
	zk_put_be32(ip + 16, a->dst_ip);
	zk_put_be16(ip + 10, ip_checksum(ip, ZK_WIRE_IP_HLEN));

	zk_put_be16(udp, a->src_port);
	zk_put_be16(udp + 2, a->dst_port);
	zk_put_be16(udp + 4, (uint16_t)udp_len);
	zk_put_be16(udp + 6, 0); /* IPv4 allows "no checksum" */

	memcpy(mold, session, ZK_WIRE_SESSION_LEN);
	zk_put_be64(mold + 10, seq);
	zk_put_be16(mold + 18, count);
	return ZK_WIRE_FRAME_OVERHEAD + body_len;
}

size_t
zk_wire_encode_frame(const struct zk_wire_addr *a,
		     const uint8_t session[ZK_WIRE_SESSION_LEN], uint64_t seq,
		     const struct zk_op *ops, size_t n, uint8_t *buf, size_t cap)
{
	const size_t max_body = 65535 - ZK_WIRE_IP_HLEN - ZK_WIRE_UDP_HLEN -
				ZK_WIRE_MOLD_HLEN;
	size_t i, off = 0, room;

	if (n >= ZK_WIRE_MOLD_END_OF_SESSION || cap < ZK_WIRE_FRAME_OVERHEAD)
		return 0;
	room = cap - ZK_WIRE_FRAME_OVERHEAD;
	if (room > max_body)
		room = max_body;
	for (i = 0; i < n; i++) {
		uint8_t *m = buf + ZK_WIRE_FRAME_OVERHEAD + off;
		size_t len;

		if (room - off < 2)
			return 0;
		len = zk_wire_encode_msg(&ops[i], m + 2, room - off - 2);
		if (len == 0)
			return 0;
		zk_put_be16(m, (uint16_t)len);
		off += 2 + len;
	}
	return finish_frame(a, session, seq, (uint16_t)n, off, buf);
}

size_t
zk_wire_encode_end_of_session(const struct zk_wire_addr *a,
			      const uint8_t session[ZK_WIRE_SESSION_LEN],
			      uint64_t next_seq, uint8_t *buf, size_t cap)
{
	if (cap < ZK_WIRE_FRAME_OVERHEAD)
		return 0;
	return finish_frame(a, session, next_seq, ZK_WIRE_MOLD_END_OF_SESSION,
			    0, buf);
}
