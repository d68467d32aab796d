/* SPDX-License-Identifier: MIT */
/*
 * Canonical event encoding and the streaming events digest (BLAKE2b-256,
 * libb2). The layout is fixed in include/zkclob/event.h and docs/engine.md;
 * changing it changes every published events_digest.
 */
#include <string.h>

#include "zkclob/be.h"
#include "zkclob/event.h"

static const uint8_t events_personal[BLAKE2B_PERSONALBYTES] = {
	'z', 'k', 'c', 'l', 'o', 'b', '-', 'e',
	'v', 'e', 'n', 't', 's', '-', 'v', '1',
};

void
zk_event_encode(const struct zk_event *ev, uint8_t out[ZK_EVENT_WIRE_SIZE])
{
	zk_put_be64(out + 0, ev->seq);
	zk_put_be32(out + 8, ev->market);
	out[12] = ev->type;
	out[13] = ev->reason;
	out[14] = ev->side;
	out[15] = 0;
	zk_put_be64(out + 16, ev->order_id);
	zk_put_be64(out + 24, ev->other_id);
	zk_put_be64(out + 32, (uint64_t)ev->price);
	zk_put_be64(out + 40, ev->qty);
	zk_put_be64(out + 48, ev->remaining);
	zk_put_be64(out + 56, ev->other_remaining);
}

int
zk_event_decode(const uint8_t in[ZK_EVENT_WIRE_SIZE], struct zk_event *ev)
{
	if (in[15] != 0)
		return -1;
	ev->seq = zk_be64(in + 0);
	ev->market = zk_be32(in + 8);
	ev->type = in[12];
	ev->reason = in[13];
	ev->side = in[14];
	ev->zero = 0;
	ev->order_id = zk_be64(in + 16);
	ev->other_id = zk_be64(in + 24);
	ev->price = (int64_t)zk_be64(in + 32);
	ev->qty = zk_be64(in + 40);
	ev->remaining = zk_be64(in + 48);
	ev->other_remaining = zk_be64(in + 56);
	return 0;
}

void
zk_events_digest_init(struct zk_events_digest *ctx)
{
	blake2b_param param;

	memset(&param, 0, sizeof(param));
	param.digest_length = 32;
	param.fanout = 1;
	param.depth = 1;
	memcpy(param.personal, events_personal, sizeof(param.personal));
	blake2b_init_param(&ctx->st, &param);
}

void
zk_events_digest_update(struct zk_events_digest *ctx,
			const struct zk_event *ev, size_t n)
{
	uint8_t buf[16 * ZK_EVENT_WIRE_SIZE];

	while (n > 0) {
		size_t k = n < 16 ? n : 16;

		for (size_t i = 0; i < k; i++)
			zk_event_encode(&ev[i], buf + i * ZK_EVENT_WIRE_SIZE);
		blake2b_update(&ctx->st, buf, k * ZK_EVENT_WIRE_SIZE);
		ev += k;
		n -= k;
	}
}

void
zk_events_digest_final(struct zk_events_digest *ctx, uint8_t out[32])
{
	blake2b_final(&ctx->st, out, 32);
}
