/* SPDX-License-Identifier: MIT */
/*
 * zkclob — deterministic order-flow generator.
 *
 * Spec
 *  - The op stream is a pure function of the params: same params ⇒ same
 *    ops and a byte-identical pcap; the first k ops do not depend on count.
 *  - Modelled on exchange-core's benchmark flow: per market ~live_orders
 *    resting GTC orders spread over ~750 price levels, most messages are
 *    GTC places and moves (replace at a new price), some reduces, cancels
 *    and aggressive IOC/FOK/market orders; only the aggressors trade.
 *  - The generator keeps its own price-time model of every market.  Resting
 *    orders never cross (bids below ref_price, asks above); an aggressor
 *    takes at most the remaining size of the oldest order at the best
 *    opposite level, from a different account, so an engine with the
 *    semantics of op.h reaches the same book.  Cancels and moves target
 *    live orders, except stale_ref_pm per mille that name a removed one.
 *  - Ids: markets 1..markets, accounts 1..accounts, order ids unique across
 *    the stream from 1, sequence numbers contiguous from 1.
 *  - The pcap holds msgs_per_packet messages per MoldUDP64 packet (the last
 *    one may be shorter), then an end-of-session packet if asked.
 */
#ifndef ZKCLOB_GEN_H
#define ZKCLOB_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zkclob/op.h"
#include "zkclob/wire.h"

/* Per-mille weights of each kind once a market holds its target depth. */
struct zk_gen_mix {
	uint32_t place;  /* GTC limit, post_only_pm of them post-only */
	uint32_t move;   /* replace to a new price on the same side */
	uint32_t reduce; /* cancel down to a smaller remaining size */
	uint32_t cancel; /* full cancel */
	uint32_t ioc;    /* IOC limit at the best opposite price */
	uint32_t fok;    /* FOK limit at the best opposite price */
	uint32_t market; /* market order */
};

struct zk_gen_params {
	uint64_t seed;
	uint64_t count;           /* messages zk_gen_write_pcap writes */
	uint32_t markets;
	uint32_t accounts;        /* >= 2 so an aggressor can avoid its maker */
	uint32_t live_orders;     /* target resting orders per market */
	uint32_t price_range;     /* tick steps used on each side of ref_price */
	uint16_t msgs_per_packet; /* 1..ZK_GEN_MAX_MSGS_PER_PACKET */
	/* market rules the flow must respect (the engine's config) */
	int64_t ref_price;        /* ticks; a multiple of tick */
	int64_t tick;             /* prices are multiples of this */
	int64_t price_band;       /* |price - ref_price| <= price_band */
	uint64_t lot;             /* sizes are multiples of this */
	uint64_t max_lots;        /* largest order: max_lots * lot */
	uint32_t post_only_pm;
	uint32_t stale_ref_pm;
	struct zk_gen_mix mix;
	/* framing */
	char session[ZK_WIRE_SESSION_LEN + 1];
	struct zk_wire_addr addr;
	bool end_of_session;
	uint64_t start_ns;        /* timestamp of the first packet */
	uint64_t packet_gap_ns;   /* between packets */
};

#define ZK_GEN_MAX_MSGS_PER_PACKET 1000

struct zk_gen_stats {
	uint64_t msgs;
	uint64_t places, post_only, moves, reduces, cancels;
	uint64_t ioc, fok, market;
	uint64_t full_fills;  /* aggressors that empty their maker */
	uint64_t stale_refs;  /* cancels/moves naming a removed order */
	uint64_t packets;     /* data packets in the pcap */
	uint64_t bytes;       /* frame bytes in the pcap (all packets) */
	/* the model's books now, summed over markets */
	uint64_t live_orders;
	uint64_t price_levels; /* distinct (side, price) with resting orders */
};

struct zk_gen;

void zk_gen_params_default(struct zk_gen_params *p);
/* 0, or -EINVAL with the offending field named in err. */
int zk_gen_params_check(const struct zk_gen_params *p, char *err,
			size_t errlen);

int zk_gen_create(struct zk_gen **out, const struct zk_gen_params *p,
		  char *err, size_t errlen);
/* The next op of the stream (op->seq is its sequence number). */
void zk_gen_next(struct zk_gen *g, struct zk_op *op);
void zk_gen_get_stats(const struct zk_gen *g, struct zk_gen_stats *st);
void zk_gen_destroy(struct zk_gen *g);

/* The first n ops of the stream (p->count is ignored).  0 or -errno. */
int zk_gen_ops(const struct zk_gen_params *p, struct zk_op *ops, size_t n,
	       char *err, size_t errlen);

/* Writes p->count messages to a pcap at path.  0 or -errno. */
int zk_gen_write_pcap(const struct zk_gen_params *p, const char *path,
		      struct zk_gen_stats *out, char *err, size_t errlen);

#endif /* ZKCLOB_GEN_H */
