/* SPDX-License-Identifier: MIT */
/*
 * Router benchmark, every figure against a baseline from the same run:
 *  1. overhead per batch: zk_router_prove over one hashproof backend vs a
 *     direct zk_backend_prove (verify off, caches off), and with verify on
 *     vs a direct prove + verify;
 *  2. throughput with two external hashproof peers vs one (each peer is one
 *     process answering one request at a time, so capacity is real), with
 *     two prover worker threads.
 * Usage: bench_router [ITERATIONS] [PEER]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkclob/backend.h"
#include "zkclob/router.h"

static void
statement(struct zk_statement *st, uint64_t b)
{
	memset(st, 0, sizeof(*st));
	st->market = 1;
	st->params_id = 1;
	st->batch_seq = b;
	st->first_seq = b * 256;
	st->last_seq = b * 256 + 255;
	memcpy(st->old_root, &b, sizeof(b));
}

static struct zk_backend *
hashproof(const char *name)
{
	struct zk_hashproof_cfg c = { .name = name, .params_id = 1,
				      .proof_bytes = 64 };

	memset(c.key, 7, sizeof(c.key));
	return zk_hashproof_create(&c);
}

static struct zk_router *
router(double verify_rate)
{
	struct zk_router_cfg cfg;
	char err[256];
	struct zk_router *r;

	zk_router_config_default(&cfg);
	cfg.test_backends = true;
	cfg.verify_rate = verify_rate;
	cfg.proof_cache_entries = 0;
	cfg.verify_cache_entries = 0;
	r = zk_router_create(&cfg, NULL, err, sizeof(err));
	if (r == NULL) {
		fprintf(stderr, "router: %s\n", err);
		exit(1);
	}
	return r;
}

static double
direct_ns(struct zk_backend *be, uint64_t n, bool verify)
{
	uint8_t buf[256];
	struct zk_proof pr = { .data = buf, .cap = sizeof(buf) };
	struct zk_statement st;
	uint64_t t0 = zk_backend_now_ns();

	for (uint64_t i = 0; i < n; i++) {
		statement(&st, i);
		if (zk_backend_prove(be, &st, NULL, 0, &pr, NULL, 0) !=
			    ZK_BE_OK ||
		    (verify && zk_backend_verify(be, &st, pr.data, pr.len, 0,
						 NULL, 0) != ZK_VERIFY_ACCEPT))
			exit(1);
	}
	return (double)(zk_backend_now_ns() - t0) / (double)n;
}

static double
routed_ns(struct zk_router *r, uint64_t n)
{
	uint8_t buf[256];
	struct zk_proof pr = { .data = buf, .cap = sizeof(buf) };
	struct zk_statement st;
	struct zk_route_request rq = { .st = &st, .n_ops = 256,
				       .workload = ZK_WORKLOAD_BATCH };
	struct zk_route_result res;
	uint64_t t0 = zk_backend_now_ns();

	for (uint64_t i = 0; i < n; i++) {
		statement(&st, i);
		if (zk_router_prove(r, &rq, &pr, &res) != ZK_ROUTE_OK) {
			fprintf(stderr, "route: %s\n", res.reason);
			exit(1);
		}
	}
	return (double)(zk_backend_now_ns() - t0) / (double)n;
}

struct worker {
	struct zk_router *r;
	uint64_t first, n;
};

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	uint8_t buf[256];
	struct zk_proof pr = { .data = buf, .cap = sizeof(buf) };
	struct zk_statement st;
	struct zk_route_request rq = { .st = &st, .n_ops = 256,
				       .workload = ZK_WORKLOAD_BATCH };
	struct zk_route_result res;

	for (uint64_t i = 0; i < w->n; i++) {
		statement(&st, w->first + i);
		st.params_id = 0; /* the router fills in the peer's */
		if (zk_router_prove(w->r, &rq, &pr, &res) != ZK_ROUTE_OK) {
			fprintf(stderr, "route: %s\n", res.reason);
			exit(1);
		}
	}
	return NULL;
}

static double
throughput(const char *peer, int n_peers, uint64_t n)
{
	struct zk_router *r = router(1.0);
	pthread_t th[2];
	struct worker w[2];
	uint64_t t0;
	char err[256];

	for (int p = 0; p < n_peers; p++) {
		char *argv[] = { (char *)peer, "ok", NULL };
		struct zk_external_cfg ec = { .argv = argv };
		struct zk_backend *be = zk_external_create(&ec, err,
							   sizeof(err));
		struct zk_fault_cfg none = { .mode = ZK_FAULT_NONE };

		/* Peers all call themselves "peer"; the wrapper renames. */
		if (be != NULL && p == 1)
			be = zk_fault_create(be, &none);
		if (be == NULL ||
		    zk_router_add_backend(r, be, err, sizeof(err)) < 0) {
			fprintf(stderr, "peer: %s\n", err);
			exit(1);
		}
	}
	t0 = zk_backend_now_ns();
	for (int i = 0; i < 2; i++) {
		w[i] = (struct worker){ .r = r, .first = (uint64_t)i * n,
					.n = n };
		pthread_create(&th[i], NULL, worker_main, &w[i]);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	t0 = zk_backend_now_ns() - t0;
	zk_router_destroy(r);
	return 2.0 * (double)n * 1e9 / (double)t0;
}

int
main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 200000;
	struct zk_backend *be = hashproof("direct");
	struct zk_router *r0 = router(0.0), *r1 = router(1.0);
	double d, d_v, rt, rt_v;

	if (be == NULL || n == 0)
		return 1;
	zk_router_add_backend(r0, hashproof("hp"), NULL, 0);
	zk_router_add_backend(r1, hashproof("hp"), NULL, 0);
	/* Warm up caches and branch predictors once, then measure. */
	direct_ns(be, n / 10 + 1, true);
	routed_ns(r0, n / 10 + 1);
	d = direct_ns(be, n, false);
	rt = routed_ns(r0, n);
	d_v = direct_ns(be, n, true);
	rt_v = routed_ns(r1, n);
	printf("router overhead per batch (hashproof, %llu batches)\n",
	       (unsigned long long)n);
	printf("  prove only:     direct %8.1f ns  routed %8.1f ns  overhead %7.1f ns  ratio %.3f\n",
	       d, rt, rt - d, rt / d);
	printf("  prove + verify: direct %8.1f ns  routed %8.1f ns  overhead %7.1f ns  ratio %.3f\n",
	       d_v, rt_v, rt_v - d_v, rt_v / d_v);
	zk_backend_destroy(be);
	zk_router_destroy(r0);
	zk_router_destroy(r1);
	if (argc > 2) {
		uint64_t m = n / 20 + 1;
		double one = throughput(argv[2], 1, m);
		double two = throughput(argv[2], 2, m);

		printf("throughput, 2 workers, external hashproof peers (%llu batches each)\n",
		       (unsigned long long)(2 * m));
		printf("  one peer %10.0f batches/s  two peers %10.0f batches/s  ratio %.2f\n",
		       one, two, two / one);
	}
	return 0;
}
