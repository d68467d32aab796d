/* SPDX-License-Identifier: MIT */
/*
 * State-tree batch updates on the default configuration and traffic mix:
 * for 64/256/1024/4096-op batches and for the binary and the 4-ary tree,
 * the time of one batch update of every market's tree as a ratio of a full
 * rebuild of the same trees measured in the same run, and the cost model:
 * touched slots, tree nodes per touched slot, node hashes and Poseidon2
 * permutations per op. Permutation cost (width 8 vs 12) is measured here
 * too so the two arities compare in one unit.
 *
 * Each update is also run with the Poseidon2 batches on the portable path
 * (x4gain: the AVX2 batches' share of the speed).
 *
 * usage: bench_statetree [--quick]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "poseidon2.h"
#include "zkclob/batch.h"
#include "zkclob/config.h"
#include "zkclob/gen.h"
#include "zkclob/statetree.h"

#define WARMUP_OPS 20000
#define MAX_MARKETS ZK_CONFIG_MAX_MARKETS

/* This thread's CPU time: everything measured runs on one thread, and on
 * a shared box time spent descheduled must not count for either side. */
static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Nanoseconds per permutation, median of 5 runs of n; width 32 / 48:
 * widths 8 / 12 in batches of four (time per permutation). */
static double
perm_ns(int width, unsigned n)
{
	zk_gl s[ZK_P2_WIDTH12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	double t[5];

	zk_gl b8[ZK_P2_LANES][ZK_P2_WIDTH8] = { { 1 } };
	zk_gl b12[ZK_P2_LANES][ZK_P2_WIDTH12] = { { 1 } };

	for (int r = 0; r < 5; r++) {
		double t0 = now_s();

		for (unsigned i = 0; i < n; i++) {
			if (width == 8)
				zk_poseidon2_w8(s);
			else if (width == 12)
				zk_poseidon2_w12(s);
			else if (i % ZK_P2_LANES == 0 && width == 8 * ZK_P2_LANES)
				zk_poseidon2_w8_x4(b8);
			else if (i % ZK_P2_LANES == 0)
				zk_poseidon2_w12_x4(b12);
		}
		t[r] = (now_s() - t0) * 1e9 / n;
	}
	if (s[0] == 0 || b8[0][0] == 0 || b12[0][0] == 0) /* keeps the loops */
		printf(" ");
	qsort(t, 5, sizeof(t[0]), cmp_double);
	return t[2];
}

struct result {
	double update_s, rebuild_s;
	uint64_t batches, ops, leaves, touched_nodes, entries;
	uint64_t node_hashes, leaf_hashes;
	uint64_t stored_nodes, table_bytes;
};

static int
run(const struct zk_config *cfg, const struct zk_op *ops, size_t n_ops,
    uint32_t max_ops, uint32_t arity, struct result *r)
{
	struct zk_batch_cfg bc = { .max_ops = max_ops, .witness = true };
	struct zk_st_tree *t[MAX_MARKETS] = { 0 };
	struct zk_event_buf ev = { 0 };
	struct zk_st_update u = { 0 };
	struct zk_engine *e = zk_engine_create(cfg->markets, cfg->n_markets);
	struct zk_batcher *b = NULL;
	double rb[5];
	int rc = -1;

	memset(r, 0, sizeof(*r));
	if (e == NULL)
		return -1;
	for (size_t i = 0; i < WARMUP_OPS; i++) {
		if (zk_engine_apply(e, &ops[i], &ev) < 0)
			goto out;
		ev.len = 0;
	}
	for (size_t m = 0; m < cfg->n_markets; m++)
		if ((t[m] = zk_st_create(e, cfg->markets[m].market, arity)) == NULL)
			goto out;
	b = zk_batcher_create(e, &bc);
	if (b == NULL)
		goto out;
	for (size_t i = WARMUP_OPS; i <= n_ops; i++) {
		struct zk_batch *cut = NULL;
		double t0;

		if (i < n_ops ? zk_batcher_push(b, &ops[i], 0, &cut)
			      : zk_batcher_flush(b, 0, &cut))
			goto out;
		if (cut == NULL)
			continue;
		t0 = now_s();
		for (size_t m = 0; m < cfg->n_markets; m++) {
			if (zk_st_apply_witness(t[m], &cut->witness, &u) != 0) {
				fprintf(stderr, "update: %s\n", u.error);
				zk_batch_free(cut);
				goto out;
			}
			r->leaves += u.n_leaves;
			r->entries += u.n_nodes;
			for (size_t k = 0; k < u.n_nodes; k++)
				r->touched_nodes += u.nodes[k].touched &&
						    u.nodes[k].level > 0;
			r->node_hashes += u.node_hashes;
			r->leaf_hashes += u.leaf_hashes;
		}
		r->update_s += now_s() - t0;
		r->batches++;
		r->ops += cut->n_ops;
		zk_batch_free(cut);
	}
	/* Baseline: rebuild every market's tree from the engine as it is now. */
	for (int k = 0; k < 5; k++) {
		double t0 = now_s();

		for (size_t m = 0; m < cfg->n_markets; m++) {
			struct zk_st_tree *f = zk_st_create(
				e, cfg->markets[m].market, arity);
			uint8_t a[32], c[32];

			if (f == NULL)
				goto out;
			zk_st_root(f, a);
			zk_st_root(t[m], c);
			if (memcmp(a, c, 32) != 0) {
				fprintf(stderr, "rebuild root differs\n");
				zk_st_destroy(f);
				goto out;
			}
			zk_st_destroy(f);
		}
		rb[k] = now_s() - t0;
	}
	qsort(rb, 5, sizeof(rb[0]), cmp_double);
	r->rebuild_s = rb[2];
	for (size_t m = 0; m < cfg->n_markets; m++) {
		struct zk_st_stats st;

		zk_st_get_stats(t[m], &st);
		r->stored_nodes += st.stored_nodes;
		r->table_bytes += st.table_bytes;
	}
	rc = 0;
out:
	zk_st_update_free(&u);
	zk_event_buf_free(&ev);
	zk_batcher_destroy(b);
	for (size_t m = 0; m < cfg->n_markets; m++)
		zk_st_destroy(t[m]);
	zk_engine_destroy(e);
	return rc;
}

int
main(int argc, char **argv)
{
	static const uint32_t sizes[] = { 64, 256, 1024, 4096 };
	int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
	size_t measured = quick ? 8192 : 32768, n_ops = WARMUP_OPS + measured;
	struct zk_config cfg;
	struct zk_gen_params gp;
	struct zk_op *ops;
	char err[256];
	double w8, w12, b8, b12;
	enum zk_gl_simd best = zk_p2_x4_path();

	if (zk_config_load_default(&cfg, err, sizeof(err)) != 0 ||
	    zk_config_gen_params(&cfg, &gp, err, sizeof(err)) != 0) {
		fprintf(stderr, "config: %s\n", err);
		return 1;
	}
	ops = calloc(n_ops, sizeof(*ops));
	if (ops == NULL || zk_gen_ops(&gp, ops, n_ops, err, sizeof(err)) != 0) {
		fprintf(stderr, "gen: %s\n", ops ? err : "out of memory");
		return 1;
	}
	w8 = perm_ns(8, 200000);
	w12 = perm_ns(12, 200000);
	b8 = perm_ns(8 * ZK_P2_LANES, 200000);
	b12 = perm_ns(12 * ZK_P2_LANES, 200000);
	printf("state tree: default config, %zu markets, %d warm-up ops, %zu measured ops\n",
	       cfg.n_markets, WARMUP_OPS, measured);
	printf("permutation cost: width 8 %.0f ns, width 12 %.0f ns (w12/w8 = %.2f)\n",
	       w8, w12, w12 / w8);
	printf("batched (x%d, default path): width 8 %.0f ns, width 12 %.0f ns per permutation "
	       "(%.2fx, %.2fx the one-state rate)\n", ZK_P2_LANES, b8, b12, w8 / b8, w12 / b12);
	printf("%5s %5s %8s %9s %7s %7s %8s %8s %8s %9s %9s %9s %9s %9s\n", "arity", "ops",
	       "upd/reb", "upd us", "us/op", "x4gain", "reb ms", "leaf/op", "slots", "nodes/sl", "hash/op",
	       "perm/op", "w8eq/op", "AIRc/op");
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
		for (uint32_t arity = 2; arity <= 4; arity += 2) {
			struct result r, rp;
			double per_batch, perms, w8eq, air, gain;

			/* the same updates with the batches on the portable
			 * path: the x4gain baseline */
			if (!zk_p2_x4_set_path(ZK_GL_SIMD_PORTABLE) ||
			    run(&cfg, ops, n_ops, sizes[s], arity, &rp) != 0 ||
			    !zk_p2_x4_set_path(best) ||
			    run(&cfg, ops, n_ops, sizes[s], arity, &r) != 0) {
				fprintf(stderr, "run failed\n");
				return 1;
			}
			gain = rp.update_s / r.update_s;
			per_batch = r.update_s / (double)r.batches;
			/* arity 2: one w8 permutation per node; arity 4: two
			 * w12 permutations per node */
			perms = (double)r.node_hashes * (arity == 2 ? 1 : 2);
			w8eq = perms * (arity == 2 ? 1 : w12 / w8);
			/* the AIR hashes each touched node twice (old, new) */
			air = 2.0 * (double)r.touched_nodes;
			printf("%5u %5u %8.4f %9.1f %7.2f %7.2f %8.2f %8.2f %8.1f %9.2f %9.2f %9.2f %9.2f %9.2f\n",
			       arity, sizes[s], per_batch / r.rebuild_s,
			       per_batch * 1e6, r.update_s * 1e6 / (double)r.ops,
			       gain, r.rebuild_s * 1e3,
			       (double)r.leaf_hashes / (double)r.ops,
			       (double)r.leaves / (double)r.batches,
			       (double)r.touched_nodes / (double)r.leaves,
			       (double)r.node_hashes / (double)r.ops,
			       perms / (double)r.ops, w8eq / (double)r.ops,
			       air * (arity == 2 ? 1 : 2) / (double)r.ops);
			if (s + 1 == sizeof(sizes) / sizeof(sizes[0]))
				printf("      arity %u: %" PRIu64 " stored nodes, node table %.2f MiB (all markets)\n",
				       arity, r.stored_nodes,
				       (double)r.table_bytes / (1 << 20));
		}
	printf("columns: upd/reb = one batch update of all markets' trees / full rebuild of them (same run);\n"
	       "  us/op = update time per op; x4gain = update time with the portable batch path / with the default path (%s);\n"
	       "  leaf/op = leaf sponges per op (2 width-12 permutations each; new values only, old values are compared\n"
	       "  with the tree's stored values);\n"
	       "  slots = touched slots per batch; nodes/sl = touched internal nodes per touched slot;\n"
	       "  hash/op = node hashes per op (native, new hashes only); perm/op = Poseidon2 permutations per op;\n"
	       "  w8eq/op = permutations in width-8 time units; AIRc/op = permutations the AIR recomputes per op (old+new)\n",
	       best == ZK_GL_SIMD_AVX2 ? "avx2" : "portable");
	free(ops);
	return 0;
}
