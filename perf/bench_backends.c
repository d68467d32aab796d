/* SPDX-License-Identifier: MIT */
/*
 * Native CLOB STARK backends through the router (issue: "throughput with two
 * native backends vs one, in the same run"). The same committed batches
 * (256 ops each, of the kinds the CLOB AIR proves today) are proven, and
 * verified before acceptance, three ways on this machine:
 *   one   1 worker thread, router with clob-fast proving with 2 threads
 *         (the baseline);
 *   two   2 worker threads, router with clob-fast and clob-compact, 1
 *         thread each (the router spreads by its balanced score and
 *         in-flight counts);
 *   same  2 worker threads, router with two clob-fast instances, 1 thread
 *         each (the parameter set's share of the difference).
 * Figures: batches/s and proven ops/s, each as a ratio to `one`.
 *
 * usage: bench_backends [BATCHES]   (default 12)
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clob_test_util.h"
#include "params.h"
#include "zkclob/backend.h"
#include "zkclob/clobproof.h"
#include "zkclob/router.h"

#define OPS_PER_BATCH 256
#define PROOF_CAP (8u << 20)

struct job {
	struct zk_batch *b;
	struct zk_st_update u;
	struct zk_statement st;
};

struct run {
	struct zk_router *r;
	struct job *jobs;
	size_t n_jobs;
	atomic_size_t next;
	atomic_uint_fast64_t per_backend[4];
};

static void die(const char *what, const char *why)
{
	fprintf(stderr, "bench_backends: %s: %s\n", what, why);
	exit(1);
}

/* Committed reject batches in chain order (malformed, market-rule and
 * unknown-id rejects: what the AIR proves today). */
static struct clob_rig rig; /* its tree holds the batches' layout */

static struct job *make_jobs(size_t n)
{
	struct job *jobs = calloc(n, sizeof(*jobs));
	struct zk_op *ops = calloc(OPS_PER_BATCH, sizeof(*ops));
	char err[256];

	if (jobs == NULL || ops == NULL || clob_rig_init(&rig, 100000) != 0)
		die("setup", "out of memory");
	for (size_t j = 0; j < n; j++) {
		for (size_t i = 0; i < OPS_PER_BATCH; i++) {
			uint64_t k = j * OPS_PER_BATCH + i;

			ops[i] = i % 2 ? clob_malformed_op(&rig, k)
				       : clob_invalid_op(&rig, k);
		}
		jobs[j].b = clob_rig_batch(&rig, ops, OPS_PER_BATCH);
		if (jobs[j].b == NULL)
			die("batch", "engine");
		jobs[j].b->batch_seq = j + 1;
		if (zk_clob_commit(jobs[j].b, rig.t, &jobs[j].u, &jobs[j].st, err,
				   sizeof(err)) != 0)
			die("commit", err);
	}
	free(ops);
	return jobs;
}

static struct zk_backend *clob(const char *name, uint8_t set,
			       unsigned threads)
{
	struct zk_clob_backend_cfg c = { .name = name, .stark_params = set,
					 .threads = threads,
					 .markets = &clob_test_market,
					 .n_markets = 1 };
	struct zk_backend *be = zk_clob_backend_create(&c);

	if (be == NULL)
		die("backend", name);
	return be;
}

static struct zk_router *router(void)
{
	struct zk_router_cfg cfg;
	struct zk_router *r;
	char err[256];

	zk_router_config_default(&cfg);
	cfg.strategy = ZK_STRATEGY_BALANCED;
	cfg.verify_rate = 1.0;
	cfg.proof_cache_entries = 0;
	cfg.verify_cache_entries = 0;
	r = zk_router_create(&cfg, NULL, err, sizeof(err));
	if (r == NULL)
		die("router", err);
	return r;
}

static void *worker(void *arg)
{
	struct run *run = arg;
	struct zk_proof out = { .data = malloc(PROOF_CAP), .cap = PROOF_CAP };
	struct zk_route_result res;
	size_t j;

	if (out.data == NULL)
		die("worker", "out of memory");
	while ((j = atomic_fetch_add(&run->next, 1)) < run->n_jobs) {
		struct zk_route_request rq = {
			.st = &run->jobs[j].st, .witness = run->jobs[j].b,
			.n_ops = OPS_PER_BATCH, .workload = ZK_WORKLOAD_BATCH,
		};

		if (zk_router_prove(run->r, &rq, &out, &res) != ZK_ROUTE_OK ||
		    !res.verified)
			die("prove", res.reason);
		atomic_fetch_add(&run->per_backend[res.backend & 3], 1);
	}
	free(out.data);
	return NULL;
}

/* Batches per second with `workers` threads over router r. */
static double measure(struct zk_router *r, struct job *jobs, size_t n,
		      int workers, uint64_t per_backend[2])
{
	struct run run = { .r = r, .jobs = jobs, .n_jobs = n };
	pthread_t th[2];
	uint64_t t0 = zk_backend_now_ns(), dt;

	for (int i = 0; i < workers; i++)
		if (pthread_create(&th[i], NULL, worker, &run) != 0)
			die("thread", "create");
	for (int i = 0; i < workers; i++)
		pthread_join(th[i], NULL);
	dt = zk_backend_now_ns() - t0;
	per_backend[0] = atomic_load(&run.per_backend[0]);
	per_backend[1] = atomic_load(&run.per_backend[1]);
	return (double)n * 1e9 / (double)dt;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 12;
	struct job *jobs;
	struct zk_router *r;
	uint64_t split[2];
	double one, two, same;
	char err[256];

	if (n < 2)
		die("usage", "bench_backends [BATCHES >= 2]");
	jobs = make_jobs(n);

	/* warm-up: twiddles and the verifier's tables for both sets */
	r = router();
	zk_router_add_backend(r, clob("warm-fast", ZK_PARAMS_FAST, 2), err,
			      sizeof(err));
	measure(r, jobs, 1, 1, split);
	zk_router_destroy(r);
	r = router();
	zk_router_add_backend(r, clob("warm-compact", ZK_PARAMS_COMPACT, 2),
			      err, sizeof(err));
	measure(r, jobs, 1, 1, split);
	zk_router_destroy(r);

	r = router();
	zk_router_add_backend(r, clob("clob-fast", ZK_PARAMS_FAST, 2), err,
			      sizeof(err));
	one = measure(r, jobs, n, 1, split);
	zk_router_destroy(r);

	r = router();
	if (zk_router_add_backend(r, clob("clob-fast", ZK_PARAMS_FAST, 1), err,
				  sizeof(err)) < 0 ||
	    zk_router_add_backend(r, clob("clob-compact", ZK_PARAMS_COMPACT, 1),
				  err, sizeof(err)) < 0)
		die("router", err);
	two = measure(r, jobs, n, 2, split);
	zk_router_destroy(r);
	printf("bench_backends: %zu committed batches of %d ops, verified "
	       "before acceptance\n", n, OPS_PER_BATCH);
	printf("  %-58s %6.2f batches/s %8.0f ops/s  1.00 (baseline)\n",
	       "one: clob-fast (2 threads), 1 worker", one,
	       one * OPS_PER_BATCH);
	printf("  %-58s %6.2f batches/s %8.0f ops/s  %.2f x  (fast %llu, "
	       "compact %llu)\n",
	       "two: clob-fast + clob-compact (1 thread each), 2 workers",
	       two, two * OPS_PER_BATCH, two / one,
	       (unsigned long long)split[0], (unsigned long long)split[1]);

	r = router();
	if (zk_router_add_backend(r, clob("clob-fast-a", ZK_PARAMS_FAST, 1),
				  err, sizeof(err)) < 0 ||
	    zk_router_add_backend(r, clob("clob-fast-b", ZK_PARAMS_FAST, 1),
				  err, sizeof(err)) < 0)
		die("router", err);
	same = measure(r, jobs, n, 2, split);
	zk_router_destroy(r);
	printf("  %-58s %6.2f batches/s %8.0f ops/s  %.2f x  (a %llu, b %llu)\n",
	       "same: two clob-fast (1 thread each), 2 workers", same,
	       same * OPS_PER_BATCH, same / one, (unsigned long long)split[0],
	       (unsigned long long)split[1]);

	for (size_t j = 0; j < n; j++) {
		zk_batch_free(jobs[j].b);
		zk_st_update_free(&jobs[j].u);
	}
	free(jobs);
	clob_rig_fini(&rig);
	return 0;
}
