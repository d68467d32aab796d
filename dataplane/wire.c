/* SPDX-License-Identifier: MIT */
/*
 * MoldUDP64 + order-message parser.  One pass over the messages decodes
 * into the caller's array; statistics and the expected sequence number are
 * only committed once the whole packet is known to be well framed, so a
 * bad frame leaves the parser exactly as it was (apart from its counter).
 */

#include <string.h>

#include "zkclob/wire.h"
#include "zkclob/be.h"

static const char *const drop_names[ZK_DROP__COUNT] = {
	[ZK_DROP_TRUNC_ETH] = "truncated_eth",
	[ZK_DROP_NOT_IPV4] = "not_ipv4",
	[ZK_DROP_TRUNC_IP] = "truncated_ip",
	[ZK_DROP_IP_VERSION] = "bad_ip_version",
	[ZK_DROP_IP_IHL] = "bad_ip_ihl",
	[ZK_DROP_IP_TOTAL_LEN] = "bad_ip_total_len",
	[ZK_DROP_IP_FRAGMENT] = "ip_fragment",
	[ZK_DROP_NOT_UDP] = "not_udp",
	[ZK_DROP_TRUNC_UDP] = "truncated_udp",
	[ZK_DROP_UDP_PORT] = "wrong_udp_port",
	[ZK_DROP_UDP_LEN] = "udp_len_mismatch",
	[ZK_DROP_TRUNC_MOLD] = "truncated_mold",
	[ZK_DROP_SESSION] = "session_mismatch",
	[ZK_DROP_SESSION_ENDED] = "session_ended",
	[ZK_DROP_SEQ_RANGE] = "bad_sequence",
	[ZK_DROP_MOLD_COUNT] = "mold_count_mismatch",
	[ZK_DROP_OVER_CAPACITY] = "over_capacity",
	[ZK_DROP_MSG_LEN] = "bad_msg_len",
	[ZK_DROP_MSG_TYPE] = "unknown_msg_type",
	[ZK_DROP_FIELD] = "bad_field",
};

const char *
zk_drop_reason_str(enum zk_drop_reason r)
{
	if ((unsigned int)r >= ZK_DROP__COUNT)
		return "unknown";
	return drop_names[r];
}

bool
zk_drop_reason_is_msg(enum zk_drop_reason r)
{
	return r >= ZK_DROP__FIRST_MSG && r < ZK_DROP__COUNT;
}

void
zk_wire_cfg_default(struct zk_wire_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->udp_port = ZK_WIRE_DEFAULT_PORT;
}

void
zk_wire_parser_init(struct zk_wire_parser *p, const struct zk_wire_cfg *cfg)
{
	static const uint8_t no_session[ZK_WIRE_SESSION_LEN];

	memset(p, 0, sizeof(*p));
	p->cfg = *cfg;
	p->next_seq = cfg->first_seq ? cfg->first_seq : 1;
	if (memcmp(cfg->session, no_session, ZK_WIRE_SESSION_LEN) != 0) {
		memcpy(p->session, cfg->session, ZK_WIRE_SESSION_LEN);
		p->session_locked = true;
	}
}

/*
 * Decoders return the drop reason, or ZK_DROP__COUNT for a good message.
 * Only the fields a type carries are written; *op was zeroed by the caller.
 */
static inline enum zk_drop_reason
decode_enter(const uint8_t *m, struct zk_op *op)
{
	uint8_t side = m[21], ord = m[22], tif = m[23], flags = m[24];

	op->type = ZK_OP_NEW;
	if (side == 'B')
		op->side = ZK_SIDE_BUY;
	else if (side == 'S')
		op->side = ZK_SIDE_SELL;
	else
		return ZK_DROP_FIELD;
	if (ord == 'L')
		op->ord_type = ZK_ORD_LIMIT;
	else if (ord == 'M')
		op->ord_type = ZK_ORD_MARKET;
	else
		return ZK_DROP_FIELD;
	if (tif == 'G')
		op->tif = ZK_TIF_GTC;
	else if (tif == 'I')
		op->tif = ZK_TIF_IOC;
	else if (tif == 'F')
		op->tif = ZK_TIF_FOK;
	else
		return ZK_DROP_FIELD;
	if (flags & ~ZK_OP_F_POST_ONLY)
		return ZK_DROP_FIELD;
	op->flags = flags;
	op->price = (int64_t)zk_be64(m + 25);
	/* op.h: a market order carries no price, so a non-zero one is a lie */
	if (op->ord_type == ZK_ORD_MARKET && op->price != 0)
		return ZK_DROP_FIELD;
	op->qty = zk_be64(m + 33);
	op->stp_group = zk_be32(m + 41);
	if (m[45] | m[46] | m[47])
		return ZK_DROP_FIELD;
	return ZK_DROP__COUNT;
}

static inline enum zk_drop_reason
decode_replace(const uint8_t *m, struct zk_op *op)
{
	op->type = ZK_OP_REPLACE;
	op->new_order_id = zk_be64(m + 21);
	op->price = (int64_t)zk_be64(m + 29);
	op->qty = zk_be64(m + 37);
	if (m[45] | m[46] | m[47])
		return ZK_DROP_FIELD;
	return ZK_DROP__COUNT;
}

static inline enum zk_drop_reason
decode_cancel(const uint8_t *m, struct zk_op *op)
{
	op->type = ZK_OP_CANCEL;
	op->qty = zk_be64(m + 21);
	if (m[29] | m[30] | m[31])
		return ZK_DROP_FIELD;
	return ZK_DROP__COUNT;
}

static inline enum zk_drop_reason
decode_msg(const uint8_t *m, size_t len, struct zk_op *op)
{
	enum zk_drop_reason r;

	memset(op, 0, sizeof(*op));
	switch (m[0]) {
	case ZK_WIRE_MSG_ENTER:
		if (len != ZK_WIRE_ENTER_LEN)
			return ZK_DROP_MSG_LEN;
		r = decode_enter(m, op);
		break;
	case ZK_WIRE_MSG_REPLACE:
		if (len != ZK_WIRE_REPLACE_LEN)
			return ZK_DROP_MSG_LEN;
		r = decode_replace(m, op);
		break;
	case ZK_WIRE_MSG_CANCEL:
		if (len != ZK_WIRE_CANCEL_LEN)
			return ZK_DROP_MSG_LEN;
		r = decode_cancel(m, op);
		break;
	default:
		return ZK_DROP_MSG_TYPE;
	}
	/* the prefix shared by all three types */
	op->order_id = zk_be64(m + 1);
	op->market = zk_be32(m + 9);
	op->account = zk_be64(m + 13);
	return r;
}

static inline size_t
drop_frame(struct zk_wire_parser *p, enum zk_drop_reason r)
{
	p->stats.drops[r]++;
	return 0;
}

/*
 * Returns the MoldUDP64 payload and its length through *mold and *mold_len, or
 * the drop reason.  Checks run outermost first so each bad frame has
 * exactly one reason.
 */
static inline enum zk_drop_reason
strip_headers(const struct zk_wire_parser *p, const uint8_t *f, size_t len,
	      const uint8_t **mold, size_t *mold_len)
{
	const uint8_t *ip, *udp;
	size_t ihl, total, udp_len;
	uint16_t frag;

	if (len < ZK_WIRE_ETH_HLEN)
		return ZK_DROP_TRUNC_ETH;
	if (zk_be16(f + 12) != 0x0800)
		return ZK_DROP_NOT_IPV4;
	ip = f + ZK_WIRE_ETH_HLEN;
	len -= ZK_WIRE_ETH_HLEN;
	if (len < ZK_WIRE_IP_HLEN)
		return ZK_DROP_TRUNC_IP;
	if ((ip[0] >> 4) != 4)
		return ZK_DROP_IP_VERSION;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	if (ihl < ZK_WIRE_IP_HLEN)
		return ZK_DROP_IP_IHL;
	total = zk_be16(ip + 2);
	/* Ethernet pads short frames, so bytes past total are legal */
	if (total < ihl || total > len)
		return ZK_DROP_IP_TOTAL_LEN;
	frag = zk_be16(ip + 6);
	if (frag & 0x3fff)
		return ZK_DROP_IP_FRAGMENT;
	if (ip[9] != 17)
		return ZK_DROP_NOT_UDP;
	if (total - ihl < ZK_WIRE_UDP_HLEN)
		return ZK_DROP_TRUNC_UDP;
	udp = ip + ihl;
	if (zk_be16(udp + 2) != p->cfg.udp_port)
		return ZK_DROP_UDP_PORT;
	udp_len = zk_be16(udp + 4);
	if (udp_len != total - ihl)
		return ZK_DROP_UDP_LEN;
	if (udp_len - ZK_WIRE_UDP_HLEN < ZK_WIRE_MOLD_HLEN)
		return ZK_DROP_TRUNC_MOLD;
	*mold = udp + ZK_WIRE_UDP_HLEN;
	*mold_len = udp_len - ZK_WIRE_UDP_HLEN;
	return ZK_DROP__COUNT;
}

static inline void
note_gap(struct zk_wire_parser *p, uint64_t seq)
{
	if (seq <= p->next_seq)
		return;
	p->stats.gap_events++;
	p->stats.gap_msgs += seq - p->next_seq;
	if (p->cfg.on_gap)
		p->cfg.on_gap(p->cfg.gap_ctx, p->next_seq, seq);
	p->next_seq = seq;
}

/* Heartbeats and end-of-session carry no messages, so no trailing bytes. */
static size_t
control_packet(struct zk_wire_parser *p, const uint8_t *session, uint64_t seq,
	       uint16_t count, size_t body_len)
{
	if (body_len != 0)
		return drop_frame(p, ZK_DROP_MOLD_COUNT);
	if (count == ZK_WIRE_MOLD_END_OF_SESSION) {
		/* repeats of the end marker are normal: publishers resend it */
		if (!p->session_ended)
			note_gap(p, seq);
		p->session_ended = true;
	} else {
		if (p->session_ended)
			return drop_frame(p, ZK_DROP_SESSION_ENDED);
		note_gap(p, seq);
	}
	if (!p->session_locked) {
		memcpy(p->session, session, ZK_WIRE_SESSION_LEN);
		p->session_locked = true;
	}
	if (count == 0)
		p->stats.heartbeats++;
	else
		p->stats.end_of_session++;
	return 0;
}

size_t
zk_wire_parse_frame(struct zk_wire_parser *p, const uint8_t *frame,
		    size_t len, struct zk_op *ops, size_t cap)
{
	uint64_t local_drops[ZK_DROP__COUNT - ZK_DROP__FIRST_MSG] = {0};
	const uint8_t *mold, *body;
	size_t mold_len, body_len, off, n_ops = 0;
	uint64_t seq, first_new, dups;
	enum zk_drop_reason r;
	uint16_t count, i;

	p->stats.frames++;
	r = strip_headers(p, frame, len, &mold, &mold_len);
	if (r != ZK_DROP__COUNT)
		return drop_frame(p, r);
	if (p->session_locked &&
	    memcmp(mold, p->session, ZK_WIRE_SESSION_LEN) != 0)
		return drop_frame(p, ZK_DROP_SESSION);
	seq = zk_be64(mold + 10);
	count = zk_be16(mold + 18);
	body = mold + ZK_WIRE_MOLD_HLEN;
	body_len = mold_len - ZK_WIRE_MOLD_HLEN;
	if (seq == 0)
		return drop_frame(p, ZK_DROP_SEQ_RANGE);
	if (count == 0 || count == ZK_WIRE_MOLD_END_OF_SESSION)
		return control_packet(p, mold, seq, count, body_len);
	if (p->session_ended)
		return drop_frame(p, ZK_DROP_SESSION_ENDED);
	if (seq > UINT64_MAX - count)
		return drop_frame(p, ZK_DROP_SEQ_RANGE);
	if (count > cap)
		return drop_frame(p, ZK_DROP_OVER_CAPACITY);

	/* messages numbered below next_seq were delivered before */
	first_new = seq < p->next_seq ? p->next_seq : seq;
	dups = first_new - seq < count ? first_new - seq : count;
	off = 0;
	for (i = 0; i < count; i++) {
		size_t mlen;

		if (body_len - off < 2)
			return drop_frame(p, ZK_DROP_MOLD_COUNT);
		mlen = zk_be16(body + off);
		off += 2;
		if (body_len - off < mlen)
			return drop_frame(p, ZK_DROP_MOLD_COUNT);
		if (i >= dups) {
			if (mlen == 0) {
				local_drops[ZK_DROP_MSG_LEN - ZK_DROP__FIRST_MSG]++;
			} else {
				r = decode_msg(body + off, mlen, &ops[n_ops]);
				if (r == ZK_DROP__COUNT) {
					ops[n_ops].seq = seq + i;
					n_ops++;
				} else {
					local_drops[r - ZK_DROP__FIRST_MSG]++;
				}
			}
		}
		off += mlen;
	}
	if (off != body_len)
		return drop_frame(p, ZK_DROP_MOLD_COUNT);

	if (!p->session_locked) {
		memcpy(p->session, mold, ZK_WIRE_SESSION_LEN);
		p->session_locked = true;
	}
	note_gap(p, seq);
	if (seq + count > p->next_seq)
		p->next_seq = seq + count;
	p->stats.packets++;
	p->stats.msgs += count;
	p->stats.ops += n_ops;
	p->stats.dup_msgs += dups;
	for (i = 0; i < ZK_DROP__COUNT - ZK_DROP__FIRST_MSG; i++)
		p->stats.drops[ZK_DROP__FIRST_MSG + i] += local_drops[i];
	return n_ops;
}
