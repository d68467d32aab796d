/* SPDX-License-Identifier: MIT */
/*
 * rx benchmark: messages parsed and enqueued per second by the rx lcore
 * (zk_rx_lcore: rx burst → parse → op ring), beside DPDK's own
 * io-forwarding rate (rx burst → tx burst to net_null, what testpmd's io
 * mode does) on the same vdev type reading the same capture, measured in
 * the same process one after the other.
 *
 * usage: bench_rx [MESSAGES]   (default 1,000,000; 8 per packet)
 * Runs EAL with --no-huge --no-pci and two net_pcap vdevs on a capture it
 * generates under /tmp, then the same pair of measurements on ring ports
 * (rte_eth_from_rings, the net_ring PMD) preloaded with the same frames:
 * net_pcap reads about 1.2 M packets/s on these machines, which caps both
 * sides of the pcap comparison; a ring port hands over mbufs at memory
 * speed, so the second pair shows what the rx lcore itself sustains.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring_elem.h>
#include <rte_eth_ring.h>

#include "zkclob/config.h"
#include "zkclob/dataplane.h"
#include "zkclob/gen.h"
#include "zkclob/pcapio.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what, const char *why)
{
	fprintf(stderr, "bench_rx: %s: %s\n", what, why);
	exit(1);
}

/* ---- baseline: io forwarding, pcap → null ---- */

struct fwd_ctx {
	uint16_t rx_port, tx_port;
	uint64_t packets;
	double secs;
};

static int fwd_lcore(void *arg)
{
	struct fwd_ctx *f = arg;
	struct rte_mbuf *pkts[32];
	uint64_t idle = 0;
	double t0 = 0, t_last = 0;
	uint16_t n, sent;

	for (;;) {
		n = rte_eth_rx_burst(f->rx_port, 0, pkts, 32);
		if (n == 0) {
			/* net_pcap returns nothing once the file is read */
			if (f->packets > 0 && ++idle > 100000)
				break;
			continue;
		}
		if (f->packets == 0)
			t0 = now_s();
		idle = 0;
		f->packets += n;
		t_last = now_s();
		sent = rte_eth_tx_burst(f->tx_port, 0, pkts, n);
		if (sent < n)
			rte_pktmbuf_free_bulk(pkts + sent, n - sent);
	}
	f->secs = t_last - t0; /* the idle polls after the file ended don't count */
	return 0;
}

/* ---- ours: zk_rx_lcore on a worker, the op ring drained here ---- */

static double drain(struct rte_ring *ring, struct zk_rx_ctx *rx, uint64_t *ops)
{
	struct zk_op buf[512];
	double t0 = 0;
	unsigned int n;

	*ops = 0;
	for (;;) {
		n = rte_ring_sc_dequeue_burst_elem(ring, buf, sizeof(buf[0]), 512, NULL);
		if (n > 0 && *ops == 0)
			t0 = now_s();
		*ops += n;
		if (n == 0 && atomic_load(&rx->done) && rte_ring_empty(ring))
			break;
	}
	return now_s() - t0;
}

static void setup_port(const char *name, uint16_t *id, struct rte_mempool **pool)
{
	struct zk_port_cfg pc = {
		.name = name, .mbufs = 8191, .mbuf_cache = 256, .rx_desc = 1024,
		.tx_desc = 1024, .socket = (int)rte_socket_id(),
	};
	char err[256];

	if (zk_port_init(&pc, id, pool, err, sizeof(err)) != 0)
		die(name, err);
}

/* ---- ring ports preloaded with the capture's frames ---- */

struct frames {
	uint8_t *data;
	size_t *off, *len;
	size_t n;
};

static void load_frames(const char *pcap, struct frames *f)
{
	struct zk_pcap_reader *r;
	const uint8_t *frame;
	size_t len, cap = 0, bytes = 0, bcap = 0;
	uint64_t ts;
	char err[256];
	int rc;

	memset(f, 0, sizeof(*f));
	if (zk_pcap_reader_open(&r, pcap, err, sizeof(err)) != 0)
		die("pcap", err);
	while ((rc = zk_pcap_reader_next(r, &frame, &len, &ts)) == 1) {
		if (f->n == cap) {
			cap = cap ? cap * 2 : 4096;
			f->off = realloc(f->off, cap * sizeof(*f->off));
			f->len = realloc(f->len, cap * sizeof(*f->len));
			if (f->off == NULL || f->len == NULL)
				die("frames", "out of memory");
		}
		if (bytes + len > bcap) {
			bcap = (bytes + len) * 2;
			f->data = realloc(f->data, bcap);
			if (f->data == NULL)
				die("frames", "out of memory");
		}
		memcpy(f->data + bytes, frame, len);
		f->off[f->n] = bytes;
		f->len[f->n++] = len;
		bytes += len;
	}
	if (rc < 0)
		die("pcap", zk_pcap_reader_error(r));
	zk_pcap_reader_close(r);
}

/* A ring port whose rx ring holds every frame once, in order. */
static uint16_t ring_port(const char *name, const struct frames *f,
			  struct rte_mempool *frames_pool)
{
	char rname[RTE_ETH_NAME_MAX_LEN];
	struct rte_ring *rx, *tx;
	struct rte_mempool *pool;
	uint16_t id;
	int port;

	snprintf(rname, sizeof(rname), "%s_rx", name);
	rx = rte_ring_create(rname, rte_align32pow2((uint32_t)f->n + 1),
			     (int)rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
	snprintf(rname, sizeof(rname), "%s_tx", name);
	tx = rte_ring_create(rname, 1024, (int)rte_socket_id(),
			     RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (rx == NULL || tx == NULL)
		die("ring", rte_strerror(rte_errno));
	for (size_t i = 0; i < f->n; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(frames_pool);
		char *d = m ? rte_pktmbuf_append(m, (uint16_t)f->len[i]) : NULL;

		if (d == NULL)
			die("frames", "mbuf pool too small");
		memcpy(d, f->data + f->off[i], f->len[i]);
		if (rte_ring_enqueue(rx, m) != 0)
			die("ring", "rx ring full");
	}
	port = rte_eth_from_rings(name, &rx, 1, &tx, 1, rte_socket_id());
	if (port < 0 || rte_eth_dev_get_name_by_port((uint16_t)port, rname) != 0)
		die(name, rte_strerror(rte_errno));
	setup_port(rname, &id, &pool);
	return id;
}

/* io forwarding on base_port, then our rx lcore on ours_port; one line
 * each, the second as a ratio to the first. */
static void measure(const char *vdev, uint16_t base_port, uint16_t ours_port,
		    uint16_t null_port, struct rte_ring *ring,
		    const struct zk_config *cfg, unsigned msgs_per_packet,
		    uint64_t count)
{
	static struct zk_rx_ctx rx;
	static volatile int stop;
	struct fwd_ctx fwd = { 0 };
	unsigned int worker = rte_get_next_lcore(rte_get_main_lcore(), 1, 0);
	char label[64];
	double secs, base_msgs_s, ours_msgs_s;
	uint64_t ops;

	fwd.rx_port = base_port;
	fwd.tx_port = null_port;
	rte_eal_remote_launch(fwd_lcore, &fwd, worker);
	rte_eal_wait_lcore(worker);
	base_msgs_s = (double)fwd.packets * msgs_per_packet / fwd.secs;

	memset(&rx, 0, sizeof(rx));
	rx.port_id = ours_port;
	rx.burst = 32;
	rx.ring = ring;
	zk_wire_cfg_default(&rx.wire);
	rx.wire.udp_port = cfg->wire.udp_port;
	rx.stop_on_eos = true;
	rx.stop = (volatile int *)&stop;
	rte_eal_remote_launch(zk_rx_lcore, &rx, worker);
	secs = drain(ring, &rx, &ops);
	rte_eal_wait_lcore(worker);
	ours_msgs_s = (double)rx.stats.ops_enqueued / secs;

	snprintf(label, sizeof(label), "DPDK io forwarding (%s -> null)", vdev);
	printf("  %-40s %8.2f M msgs/s  (%.2f M pkts/s)  1.00 (baseline)\n",
	       label, base_msgs_s / 1e6, (double)fwd.packets / fwd.secs / 1e6);
	snprintf(label, sizeof(label), "rx lcore (%s): parse + enqueue", vdev);
	printf("  %-40s %8.2f M msgs/s  %.2f x baseline; %" PRIu64
	       " ring-full stalls, %" PRIu64 " ops\n",
	       label, ours_msgs_s / 1e6, ours_msgs_s / base_msgs_s,
	       rx.stats.ring_full_stalls, ops);
	if (ops != count + rx.stats.ctl_enqueued || rx.stats.ops_enqueued != count)
		die("rx", "not every message arrived");
}

int main(int argc, char **argv)
{
	uint64_t count = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
	char pcap[128], vdev_a[256], vdev_b[256], prefix[64];
	char *eal_argv[16];
	int eal_argc = 0;
	struct zk_config cfg;
	struct zk_gen_params p;
	struct zk_gen_stats st;
	char err[512];
	struct rte_mempool *pool_a, *pool_b, *pool_n;
	uint16_t port_a, port_b, port_null;
	struct rte_ring *ring;
	struct rte_mempool *frames_pool;
	struct frames frames;
	uint16_t ring_a, ring_b;
	size_t max_frame = 0;
	unsigned int worker;

	if (count < 1000)
		die("usage", "bench_rx [MESSAGES >= 1000]");
	if (zk_config_load_default(&cfg, err, sizeof(err)) != 0 ||
	    zk_config_gen_params(&cfg, &p, err, sizeof(err)) != 0)
		die("config", err);
	p.count = count;
	snprintf(pcap, sizeof(pcap), "/tmp/zkclob-bench-rx-%d.pcap", (int)getpid());
	if (zk_gen_write_pcap(&p, pcap, &st, err, sizeof(err)) != 0)
		die("gen", err);

	snprintf(vdev_a, sizeof(vdev_a), "--vdev=net_pcap0,rx_pcap=%s", pcap);
	snprintf(vdev_b, sizeof(vdev_b), "--vdev=net_pcap1,rx_pcap=%s", pcap);
	snprintf(prefix, sizeof(prefix), "--file-prefix=zkbenchrx%d", (int)getpid());
	eal_argv[eal_argc++] = argv[0];
	eal_argv[eal_argc++] = "-l";
	eal_argv[eal_argc++] = "0-1";
	eal_argv[eal_argc++] = "--no-huge";
	eal_argv[eal_argc++] = "--no-pci";
	eal_argv[eal_argc++] = "-m";
	eal_argv[eal_argc++] = "3072";
	eal_argv[eal_argc++] = "--log-level=lib.eal:warning";
	eal_argv[eal_argc++] = prefix;
	eal_argv[eal_argc++] = vdev_a;
	eal_argv[eal_argc++] = vdev_b;
	eal_argv[eal_argc++] = "--vdev=net_null0";
	if (rte_eal_init(eal_argc, eal_argv) < 0)
		die("EAL", rte_strerror(rte_errno));
	worker = rte_get_next_lcore(rte_get_main_lcore(), 1, 0);
	if (worker >= RTE_MAX_LCORE)
		die("EAL", "needs 2 lcores");
	setup_port("net_pcap1", &port_b, &pool_b);
	setup_port("net_null0", &port_null, &pool_n);
	setup_port("net_pcap0", &port_a, &pool_a);

	ring = rte_ring_create_elem("bench_ops", sizeof(struct zk_op), 65536,
				    (int)rte_socket_id(),
				    RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (ring == NULL)
		die("ring", rte_strerror(rte_errno));

	printf("bench_rx: %" PRIu64 " messages, %u per packet, --no-huge, 1 rx core\n",
	       count, p.msgs_per_packet);
	measure("net_pcap", port_b, port_a, port_null, ring, &cfg, p.msgs_per_packet,
		count);

	/* the same frames from ring ports (memory speed) */
	load_frames(pcap, &frames);
	/* data rooms sized to the largest frame: two copies of a large
	 * capture must fit the --no-huge memory */
	for (size_t i = 0; i < frames.n; i++)
		if (frames.len[i] > max_frame)
			max_frame = frames.len[i];
	frames_pool = rte_pktmbuf_pool_create("bench_frames",
					      (unsigned)(2 * frames.n + 64), 0, 0,
					      (uint16_t)(RTE_PKTMBUF_HEADROOM +
							 RTE_ALIGN_CEIL(max_frame, 64)),
					      (int)rte_socket_id());
	if (frames_pool == NULL)
		die("mbuf pool", rte_strerror(rte_errno));
	ring_b = ring_port("ring_b", &frames, frames_pool);
	ring_a = ring_port("ring_a", &frames, frames_pool);
	measure("net_ring", ring_b, ring_a, port_null, ring, &cfg,
		p.msgs_per_packet, count);
	zk_port_close(ring_a);
	zk_port_close(ring_b);
	free(frames.data);
	free(frames.off);
	free(frames.len);
	unlink(pcap);
	rte_ring_free(ring);
	zk_port_close(port_a);
	zk_port_close(port_b);
	zk_port_close(port_null);
	rte_eal_cleanup();
	return 0;
}
