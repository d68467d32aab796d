/* SPDX-License-Identifier: MIT */
/*
 * Canonical event encoding and the streaming events digest (BLAKE2b-256,
 * libb2). The layout is fixed in include/zkclob/event.h and docs/engine.md;
 * changing it changes every published events_digest.
 */
#include <string.h>

#include "zkclob/event.h"

static const uint8_t events_personal[BLAKE2B_PERSONALBYTES] = {
	'z', 'k', 'c', 'l', 'o', 'b', '-', 'e',
	'v', 'e', 'n', 't', 's', '-', 'v', '1',
};

static inline uint8_t *
put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
	return p + 8;
}

static inline uint8_t *
put_be32(uint8_t *p, uint32_t v)
{
	for (int i = 3; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
	return p + 4;
}

void
zk_event_encode(const struct zk_event *ev, uint8_t out[ZK_EVENT_WIRE_SIZE])
{
	uint8_t *p = out;

	p = put_be64(p, ev->seq);
	p = put_be32(p, ev->market);
	*p++ = ev->type;
	*p++ = ev->reason;
	*p++ = ev->side;
	*p++ = 0;
	p = put_be64(p, ev->order_id);
	p = put_be64(p, ev->other_id);
	p = put_be64(p, (uint64_t)ev->price);
	p = put_be64(p, ev->qty);
	p = put_be64(p, ev->remaining);
	put_be64(p, ev->other_remaining);
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
