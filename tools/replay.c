/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zkclob/engine.h"
#include "zkclob/pcapio.h"
#include "replay.h"

/* Frames larger than this are not Ethernet frames we could have sent. */
#define MAX_FRAME 65535

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 1024;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * elem);
	if (q == NULL)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

int zk_capture_load(struct zk_capture *cap, const char *path, char *err,
		    size_t errlen)
{
	struct zk_pcap_reader *r;
	const uint8_t *frame;
	size_t len, data_cap = 0, off_cap = 0, used = 0;
	uint64_t ts;
	int rc;

	memset(cap, 0, sizeof(*cap));
	if (zk_pcap_reader_open(&r, path, err, errlen) != 0)
		return -1;
	while ((rc = zk_pcap_reader_next(r, &frame, &len, &ts)) == 1) {
		if (len > MAX_FRAME)
			len = MAX_FRAME; /* the parser then sees a bad length */
		if (grow((void **)&cap->data, &data_cap, used + len, 1) != 0 ||
		    grow((void **)&cap->off, &off_cap, cap->n_frames + 2,
			 sizeof(size_t)) != 0) {
			snprintf(err, errlen, "%s: out of memory after %zu frames",
				 path, cap->n_frames);
			zk_pcap_reader_close(r);
			zk_capture_free(cap);
			return -1;
		}
		memcpy(cap->data + used, frame, len);
		cap->off[cap->n_frames++] = used;
		used += len;
	}
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", path, zk_pcap_reader_error(r));
		zk_pcap_reader_close(r);
		zk_capture_free(cap);
		return -1;
	}
	zk_pcap_reader_close(r);
	if (grow((void **)&cap->off, &off_cap, cap->n_frames + 1,
		 sizeof(size_t)) != 0) {
		snprintf(err, errlen, "%s: out of memory", path);
		zk_capture_free(cap);
		return -1;
	}
	cap->off[cap->n_frames] = used;
	return 0;
}

void zk_capture_free(struct zk_capture *cap)
{
	free(cap->data);
	free(cap->off);
	memset(cap, 0, sizeof(*cap));
}

static void wire_cfg_from(const struct zk_config *cfg, struct zk_wire_cfg *w)
{
	zk_wire_cfg_default(w);
	w->udp_port = cfg->wire.udp_port;
}

int zk_replay(const struct zk_config *cfg, const struct zk_capture *cap,
	      struct zk_replay_result *res, char *err, size_t errlen)
{
	struct zk_wire_cfg wcfg;
	struct zk_wire_parser parser;
	struct zk_engine *engine;
	struct zk_event_buf events = { 0 };
	struct zk_events_digest digest;
	struct zk_op ops[ZK_WIRE_MAX_MSGS(MAX_FRAME)];
	uint64_t sink = 0;
	size_t f, i, n;
	double t0;

	memset(res, 0, sizeof(*res));
	wire_cfg_from(cfg, &wcfg);

	/* Baseline: the parser alone over the same frames. */
	zk_wire_parser_init(&parser, &wcfg);
	t0 = now_s();
	for (f = 0; f < cap->n_frames; f++) {
		n = zk_wire_parse_frame(&parser, cap->data + cap->off[f],
					cap->off[f + 1] - cap->off[f], ops,
					sizeof(ops) / sizeof(ops[0]));
		for (i = 0; i < n; i++)
			sink += ops[i].qty;
	}
	res->parse_only_s = now_s() - t0;
	__asm__ volatile("" : : "r"(sink));

	engine = zk_engine_create(cfg->markets, cfg->n_markets);
	if (engine == NULL) {
		snprintf(err, errlen, "cannot create the engine: %s",
			 strerror(errno));
		return -1;
	}
	zk_wire_parser_init(&parser, &wcfg);
	zk_events_digest_init(&digest);
	t0 = now_s();
	for (f = 0; f < cap->n_frames; f++) {
		n = zk_wire_parse_frame(&parser, cap->data + cap->off[f],
					cap->off[f + 1] - cap->off[f], ops,
					sizeof(ops) / sizeof(ops[0]));
		events.len = 0;
		if (n > 0 && zk_engine_apply_burst(engine, ops, n, &events) < 0) {
			snprintf(err, errlen, "engine out of memory at seq %" PRIu64,
				 ops[0].seq);
			zk_event_buf_free(&events);
			zk_engine_destroy(engine);
			return -1;
		}
		zk_events_digest_update(&digest, events.ev, events.len);
		for (i = 0; i < events.len; i++) {
			const struct zk_event *ev = &events.ev[i];

			if (ev->type <= ZK_EV_DONE)
				res->events[ev->type]++;
			if (ev->type == ZK_EV_REJECTED && ev->reason < ZK_REJ_COUNT)
				res->rejects[ev->reason]++;
			if (ev->type == ZK_EV_TRADE)
				res->traded_lots += ev->qty;
		}
	}
	zk_events_digest_final(&digest, res->digest);
	res->replay_s = now_s() - t0;
	res->wire = parser.stats;
	zk_event_buf_free(&events);
	zk_engine_destroy(engine);
	return 0;
}

static double per_s(uint64_t n, double s)
{
	return s > 0 ? (double)n / s : 0;
}

void zk_replay_print(const struct zk_replay_result *res, FILE *out)
{
	const struct zk_wire_stats *w = &res->wire;
	int i;

	fprintf(out,
		"wire:    %" PRIu64 " frames, %" PRIu64 " packets, %" PRIu64
		" messages, %" PRIu64 " ops, %" PRIu64 " heartbeats, %" PRIu64
		" end-of-session\n",
		w->frames, w->packets, w->msgs, w->ops, w->heartbeats,
		w->end_of_session);
	fprintf(out,
		"seq:     %" PRIu64 " gaps (%" PRIu64 " messages missing), %" PRIu64
		" duplicates dropped\n",
		w->gap_events, w->gap_msgs, w->dup_msgs);
	for (i = 0; i < ZK_DROP__COUNT; i++)
		if (w->drops[i])
			fprintf(out, "drop:    %-20s %" PRIu64 "\n",
				zk_drop_reason_str((enum zk_drop_reason)i),
				w->drops[i]);
	fprintf(out, "events: ");
	for (i = ZK_EV_ACCEPTED; i <= ZK_EV_DONE; i++)
		fprintf(out, " %s %" PRIu64, zk_event_type_str(i), res->events[i]);
	fprintf(out, "; %" PRIu64 " lots traded\n", res->traded_lots);
	for (i = 1; i < ZK_REJ_COUNT; i++)
		if (res->rejects[i])
			fprintf(out, "reject:  %-20s %" PRIu64 "\n",
				zk_reject_reason_str(i), res->rejects[i]);
	fprintf(out, "digest:  ");
	for (i = 0; i < 32; i++)
		fprintf(out, "%02x", res->digest[i]);
	fprintf(out, "  (BLAKE2b-256 over the canonical events)\n");
	fprintf(out,
		"speed:   parse+apply+digest %.2f M ops/s (%.3f s); parse alone %.2f M ops/s; ratio %.2f\n",
		per_s(w->ops, res->replay_s) / 1e6, res->replay_s,
		per_s(w->ops, res->parse_only_s) / 1e6,
		res->replay_s > 0 ? res->parse_only_s / res->replay_s : 0);
}
