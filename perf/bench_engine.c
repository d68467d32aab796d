/* SPDX-License-Identifier: MIT */
/*
 * Engine benchmark on the default traffic mix (configs/zkclob.conf [gen]).
 *
 * Prints, from one run on one core:
 *   - baseline: parse-only throughput of the same flow encoded as MoldUDP64
 *     frames (what an rx core must at least sustain);
 *   - the engine alone: ops/s applying the same ops (events into a reused
 *     buffer, no digest), one call per op and in bursts of 32 (the
 *     sequencer's way, with prefetching), and the ratio to the baseline;
 *   - the engine with the events digest, and with witness recording on;
 *   - per-op latency percentiles of the engine alone (rdtsc per op,
 *     calibrated against CLOCK_MONOTONIC in the same run).
 *
 * usage: bench_engine [OPS [CONFIG]]   (default 4,000,000 ops, the
 *        embedded default config; CONFIG is laid over it like --config)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <x86intrin.h>

#include "zkclob/config.h"
#include "zkclob/engine.h"
#include "zkclob/gen.h"
#include "zkclob/wire.h"

#define REPEATS 3

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what, const char *why)
{
	fprintf(stderr, "bench_engine: %s: %s\n", what, why);
	exit(1);
}

struct frames {
	uint8_t *data;
	size_t *off;
	size_t n;
};

static void encode_frames(const struct zk_gen_params *p, const struct zk_op *ops,
			  size_t n, struct frames *fr)
{
	struct zk_wire_addr addr = p->addr;
	uint8_t session[ZK_WIRE_SESSION_LEN];
	size_t per = p->msgs_per_packet, i, used = 0, cap;

	zk_wire_session_from_str(session, p->session);
	cap = (n / per + 1) * (ZK_WIRE_FRAME_OVERHEAD + per * (2 + ZK_WIRE_MAX_MSG_LEN));
	fr->data = malloc(cap);
	fr->off = malloc((n / per + 2) * sizeof(size_t));
	fr->n = 0;
	if (fr->data == NULL || fr->off == NULL)
		die("frames", "out of memory");
	for (i = 0; i < n; i += per) {
		size_t k = n - i < per ? n - i : per;
		size_t len = zk_wire_encode_frame(&addr, session, ops[i].seq,
						  ops + i, k, fr->data + used,
						  cap - used);

		if (len == 0)
			die("encode", "an op of the flow cannot be encoded");
		fr->off[fr->n++] = used;
		used += len;
	}
	fr->off[fr->n] = used;
}

static double parse_only(const struct frames *fr, uint16_t port, uint64_t *ops_out)
{
	struct zk_wire_cfg cfg;
	struct zk_wire_parser p;
	struct zk_op ops[ZK_GEN_MAX_MSGS_PER_PACKET];
	uint64_t sink = 0;
	size_t f, i, n;
	double t0;

	zk_wire_cfg_default(&cfg);
	cfg.udp_port = port;
	zk_wire_parser_init(&p, &cfg);
	t0 = now_s();
	for (f = 0; f < fr->n; f++) {
		n = zk_wire_parse_frame(&p, fr->data + fr->off[f],
					fr->off[f + 1] - fr->off[f], ops,
					ZK_GEN_MAX_MSGS_PER_PACKET);
		for (i = 0; i < n; i++)
			sink += ops[i].qty;
	}
	t0 = now_s() - t0;
	__asm__ volatile("" : : "r"(sink));
	*ops_out = p.stats.ops;
	return t0;
}

enum mode { ENGINE_ALONE, ENGINE_BURST, WITH_DIGEST, WITH_WITNESS };

#define BURST 32

static double run_engine(const struct zk_config *cfg, const struct zk_op *ops,
			 size_t n, enum mode mode, uint8_t digest_out[32])
{
	struct zk_engine *e = zk_engine_create(cfg->markets, cfg->n_markets);
	struct zk_event_buf ev = { 0 };
	struct zk_events_digest dg;
	struct zk_witness w = { 0 };
	size_t i;
	double t0;

	if (e == NULL)
		die("engine", "create failed");
	if (mode == WITH_WITNESS)
		zk_engine_set_witness(e, &w);
	zk_events_digest_init(&dg);
	t0 = now_s();
	for (i = 0; mode == ENGINE_BURST && i < n; i += BURST) {
		ev.len = 0;
		if (zk_engine_apply_burst(e, &ops[i], n - i < BURST ? n - i : BURST, &ev) < 0)
			die("engine", "apply failed");
	}
	for (i = 0; mode != ENGINE_BURST && i < n; i++) {
		ev.len = 0;
		if (zk_engine_apply(e, &ops[i], &ev) < 0)
			die("engine", "apply failed");
		if (mode == WITH_DIGEST)
			zk_events_digest_update(&dg, ev.ev, ev.len);
		if (mode == WITH_WITNESS)
			w.len = 0; /* a prover would consume it per batch */
	}
	t0 = now_s() - t0;
	if (digest_out)
		zk_events_digest_final(&dg, digest_out);
	zk_witness_free(&w);
	zk_event_buf_free(&ev);
	zk_engine_destroy(e);
	return t0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static void latency(const struct zk_config *cfg, const struct zk_op *ops, size_t n)
{
	struct zk_engine *e = zk_engine_create(cfg->markets, cfg->n_markets);
	struct zk_event_buf ev = { 0 };
	uint64_t *cyc = malloc(n * sizeof(uint64_t));
	uint64_t c0, c1;
	double t0, t1, ns_per_cycle;
	size_t i;
	unsigned aux;

	if (e == NULL || cyc == NULL)
		die("latency", "out of memory");
	t0 = now_s();
	c0 = __rdtsc();
	for (i = 0; i < n; i++) {
		uint64_t a = __rdtscp(&aux), b;

		ev.len = 0;
		if (zk_engine_apply(e, &ops[i], &ev) < 0)
			die("engine", "apply failed");
		b = __rdtscp(&aux);
		cyc[i] = b - a;
	}
	c1 = __rdtsc();
	t1 = now_s();
	ns_per_cycle = (t1 - t0) * 1e9 / (double)(c1 - c0);
	qsort(cyc, n, sizeof(uint64_t), cmp_u64);
	printf("latency per op (rdtscp around each apply, includes ~%.0f ns timer cost):\n"
	       "  P50 %.0f ns  P90 %.0f ns  P99 %.0f ns  P99.9 %.0f ns  max %.0f ns\n",
	       (double)cyc[0] * ns_per_cycle,
	       (double)cyc[n / 2] * ns_per_cycle,
	       (double)cyc[n * 9 / 10] * ns_per_cycle,
	       (double)cyc[n * 99 / 100] * ns_per_cycle,
	       (double)cyc[n * 999 / 1000] * ns_per_cycle,
	       (double)cyc[n - 1] * ns_per_cycle);
	free(cyc);
	zk_event_buf_free(&ev);
	zk_engine_destroy(e);
}

static double best_of(double a, double b)
{
	return a < b ? a : b;
}

int main(int argc, char **argv)
{
	struct zk_config cfg;
	struct zk_gen_params p;
	struct frames fr;
	struct zk_op *ops;
	char err[512];
	size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 4000000;
	double t_parse = 1e9, t_alone = 1e9, t_burst = 1e9, t_digest = 1e9, t_witness = 1e9;
	uint64_t parsed = 0;
	uint8_t d1[32], d2[32];
	int r;

	if (n < 1000)
		die("usage", "bench_engine [OPS >= 1000 [CONFIG]]");
	if ((argc > 2 ? zk_config_load_file(&cfg, argv[2], err, sizeof(err))
		      : zk_config_load_default(&cfg, err, sizeof(err))) != 0 ||
	    zk_config_gen_params(&cfg, &p, err, sizeof(err)) != 0)
		die("config", err);
	ops = malloc(n * sizeof(*ops));
	if (ops == NULL)
		die("ops", "out of memory");
	if (zk_gen_ops(&p, ops, n, err, sizeof(err)) != 0)
		die("gen", err);
	encode_frames(&p, ops, n, &fr);

	for (r = 0; r < REPEATS; r++) {
		t_parse = best_of(t_parse, parse_only(&fr, p.addr.dst_port, &parsed));
		t_alone = best_of(t_alone, run_engine(&cfg, ops, n, ENGINE_ALONE, NULL));
		t_burst = best_of(t_burst, run_engine(&cfg, ops, n, ENGINE_BURST, NULL));
		t_digest = best_of(t_digest, run_engine(&cfg, ops, n, WITH_DIGEST, r ? d2 : d1));
		t_witness = best_of(t_witness, run_engine(&cfg, ops, n, WITH_WITNESS, NULL));
	}
	if (parsed != n)
		die("parse", "the parser did not return every op of the flow");
	if (memcmp(d1, d2, 32) != 0)
		die("determinism", "two runs gave different digests");

	printf("bench_engine: %zu ops, default mix, 1 core, best of %d\n", n, REPEATS);
	printf("  %-38s %8.2f M ops/s   1.00 (baseline)\n", "parse only (same flow, frames)",
	       (double)n / t_parse / 1e6);
	printf("  %-38s %8.2f M ops/s   %.2f x baseline\n", "engine alone",
	       (double)n / t_alone / 1e6, t_parse / t_alone);
	printf("  %-38s %8.2f M ops/s   %.2f x baseline\n", "engine alone, bursts of 32 (prefetch)",
	       (double)n / t_burst / 1e6, t_parse / t_burst);
	printf("  %-38s %8.2f M ops/s   %.2f x baseline\n", "engine + events digest",
	       (double)n / t_digest / 1e6, t_parse / t_digest);
	printf("  %-38s %8.2f M ops/s   %.2f x baseline (witness on / off = %.2f)\n",
	       "engine + witness recording", (double)n / t_witness / 1e6,
	       t_parse / t_witness, t_alone / t_witness);
	latency(&cfg, ops, n);
	free(fr.data);
	free(fr.off);
	free(ops);
	return 0;
}
