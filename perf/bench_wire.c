/* SPDX-License-Identifier: MIT */
/*
 * Parser throughput on generator traffic, one core.  The baseline, measured
 * in the same run on the same frames, is a pass that only loads every byte
 * (64-bit words summed): parse time ÷ baseline time is how far the parser
 * is from touching the data once.
 * Usage: bench_wire [messages] [msgs_per_packet...]
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zkclob/gen.h"
#include "zkclob/wire.h"

struct frames {
	uint8_t *buf;
	size_t *off;
	size_t *len;
	size_t n;
	size_t bytes;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int
build_frames(const struct zk_op *ops, size_t n_ops, size_t per_packet,
	     struct frames *f)
{
	struct zk_wire_addr a;
	uint8_t session[ZK_WIRE_SESSION_LEN];
	size_t packets = (n_ops + per_packet - 1) / per_packet;
	size_t i, pos = 0;

	zk_wire_addr_default(&a);
	zk_wire_session_from_str(session, "BENCH");
	f->buf = malloc(n_ops * (2 + ZK_WIRE_MAX_MSG_LEN) +
			packets * ZK_WIRE_FRAME_OVERHEAD);
	f->off = calloc(packets, sizeof(*f->off));
	f->len = calloc(packets, sizeof(*f->len));
	if (f->buf == NULL || f->off == NULL || f->len == NULL)
		return -1;
	for (i = 0; i < packets; i++) {
		size_t first = i * per_packet;
		size_t k = n_ops - first < per_packet ? n_ops - first : per_packet;
		size_t len = zk_wire_encode_frame(&a, session, first + 1,
						  &ops[first], k, f->buf + pos,
						  65536);

		if (len == 0)
			return -1;
		f->off[i] = pos;
		f->len[i] = len;
		pos += len;
	}
	f->n = packets;
	f->bytes = pos;
	return 0;
}

static uint64_t
touch_pass(const struct frames *f)
{
	uint64_t sum = 0, w;
	size_t i, j;

	for (i = 0; i < f->n; i++) {
		const uint8_t *p = f->buf + f->off[i];

		for (j = 0; j + 8 <= f->len[i]; j += 8) {
			memcpy(&w, p + j, 8);
			sum += w;
		}
	}
	return sum;
}

static uint64_t
parse_pass(const struct frames *f, struct zk_op *ops)
{
	struct zk_wire_parser p;
	struct zk_wire_cfg cfg;
	uint64_t check = 0;
	size_t i, n, j;

	zk_wire_cfg_default(&cfg);
	zk_wire_parser_init(&p, &cfg);
	for (i = 0; i < f->n; i++) {
		n = zk_wire_parse_frame(&p, f->buf + f->off[i], f->len[i], ops,
					1024);
		for (j = 0; j < n; j++)
			check += ops[j].order_id;
	}
	if (p.stats.ops != p.stats.msgs)
		fprintf(stderr, "bench_wire: parser dropped messages\n");
	return check + p.stats.ops;
}

int
main(int argc, char **argv)
{
	static const size_t default_sizes[] = {1, 8, 32};
	size_t n_ops = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
	struct zk_gen_params gp;
	struct zk_op *ops, out[1024];
	char err[256];
	int s, n_sizes = argc > 2 ? argc - 2 : 3;
	const int reps = 5;

	if (n_ops == 0) {
		fprintf(stderr, "usage: %s [messages] [msgs_per_packet...]\n",
			argv[0]);
		return 2;
	}
	zk_gen_params_default(&gp);
	gp.markets = 4;
	ops = calloc(n_ops, sizeof(*ops));
	if (ops == NULL || zk_gen_ops(&gp, ops, n_ops, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench_wire: %s\n", ops ? err : "no memory");
		return 1;
	}
	printf("bench_wire: %zu generator messages, best of %d passes\n",
	       n_ops, reps);
	printf("%8s %12s %14s %14s %10s\n", "msg/pkt", "Mmsg/s", "parse GB/s",
	       "touch GB/s", "parse/touch");
	for (s = 0; s < n_sizes; s++) {
		size_t per = argc > 2 ? strtoull(argv[2 + s], NULL, 10) :
					default_sizes[s];
		double best_parse = 1e30, best_touch = 1e30, t;
		volatile uint64_t sink = 0;
		struct frames f = {0};
		int r;

		if (per == 0 || per > 1000 ||
		    build_frames(ops, n_ops, per, &f) != 0) {
			fprintf(stderr, "bench_wire: bad packet size %zu\n", per);
			return 1;
		}
		for (r = 0; r < reps; r++) {
			t = now_s();
			sink += touch_pass(&f);
			t = now_s() - t;
			if (t < best_touch)
				best_touch = t;
			t = now_s();
			sink += parse_pass(&f, out);
			t = now_s() - t;
			if (t < best_parse)
				best_parse = t;
		}
		(void)sink;
		printf("%8zu %12.1f %14.2f %14.2f %10.2f\n", per,
		       (double)n_ops / best_parse / 1e6,
		       (double)f.bytes / best_parse / 1e9,
		       (double)f.bytes / best_touch / 1e9,
		       best_parse / best_touch);
		free(f.buf);
		free(f.off);
		free(f.len);
	}
	free(ops);
	return 0;
}
