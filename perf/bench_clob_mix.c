/* SPDX-License-Identifier: MIT */
/*
 * CLOB proofs on the default traffic mix: issue 4's side-by-side figures.
 *
 * The embedded default config's order flow (`zkclob gen`: GTC places and
 * moves, reduces, cancels, IOC / FOK / market aggressors, two markets) is
 * applied to the engine until the books hold their target depth, then
 * market 1's ops are cut into batches of 64, 256, 1024 and 4096 ops (one
 * size after another, the stream going on) and each batch goes the
 * appliance's way: zk_clob_commit (the state tree), zk_clob_prove_committed
 * (fast set, all threads), zk_clob_verify. Per size it prints
 *   batches proven / refused (the gate's reason for the first refusal),
 *   trace rows, prove time P50 / P99 (nearest rank over the batches; with
 *   few batches P99 is the slowest one), verify P50 / max (wall, and the
 *   verifying thread's CPU time, which a loaded box does not inflate;
 *   each the mean of --verify-loop runs of the batch's verify), mean proof
 *   size, proven ops/s on the whole machine (ops ÷ prove time, one batch
 *   at a time on all threads),
 * and, as the baseline measured in the same run, the time to LDE and
 * Merkle-commit each batch's main trace once (zk_ntt_lde + the Merkle
 * build, what any proof of that trace pays first): prove ÷ baseline, P50.
 *
 * Usage: bench_clob_mix [--quick] [--threads N] [--size OPS --batches K]
 *                       [--x4 on|off|both] [--verify-loop V]
 *   --quick: 64, 256 and 1024 ops, fewer batches (the meson benchmark);
 *   --size / --batches: one batch size only, K batches of it;
 *   --x4: the CLOB AIR's four-row evaluator (zk_clob_air_x4_enable) on
 *     (the default, as the appliance proves) or off; both: each batch is
 *     proven with it and without it, the one without first on odd
 *     batches, after on even ones; the two proofs must be the same
 *     bytes, and a second line gives the figures without it and the
 *     per-batch time ratio with ÷ without.
 *   --verify-loop: verify each proof V times (default 1).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "clob_air.h"
#include "merkle.h"
#include "ntt.h"
#include "params.h"
#include "zkclob/batch.h"
#include "zkclob/clobproof.h"
#include "zkclob/config.h"
#include "zkclob/engine.h"
#include "zkclob/gen.h"

#define MIX_MARKET 1
#define MIX_WARM_OPS 20000 /* both markets: the books reach their depth */
#define MIX_MAX_BATCHES 16

struct mix_size {
	size_t ops;      /* per batch */
	unsigned batches;
};

static unsigned n_threads = 2;
static int x4_both, x4_on = 1;
static unsigned verify_loop = 1;

/* CPU time of the calling thread: zk_clob_verify runs on it alone. */
static double thread_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentile of v[0..n) (sorted in place). */
static double pct(double *v, size_t n, double p)
{
	size_t k;

	if (n == 0)
		return 0.0;
	qsort(v, n, sizeof(*v), cmp_double);
	k = (size_t)(p / 100.0 * (double)n + 0.999999);
	return v[k == 0 ? 0 : k - 1];
}

/*
 * A proof of a committed batch with eval_main_x4 on or off: its wall
 * time, and the process CPU time it took (all prover threads), which a
 * shared machine's load distorts less.
 */
static int prove_x4(const struct zk_batch *b,
		    const struct zk_clob_prove_opts *o,
		    struct zk_statement *st, int x4, uint8_t **proof,
		    size_t *len, double *t, double *cpu, char *err,
		    size_t errlen)
{
	double t0, c0;
	int rc;

	zk_clob_air_x4_enable(x4);
	c0 = cpu_now();
	t0 = now();
	rc = zk_clob_prove_committed(b, o, st, proof, len, err, errlen);
	*t = now() - t0;
	*cpu = cpu_now() - c0;
	zk_clob_air_x4_enable(1);
	return rc;
}

/* LDE + Merkle commit of the batch's main trace, built once more. */
static double baseline(const struct zk_batch *b, const struct zk_st_update *u,
		       const struct zk_st_layout *lay,
		       const struct zk_market_params *mp,
		       const struct zk_statement *st,
		       const struct zk_stark_params *p, unsigned *log_n)
{
	struct zk_clob_air *c = malloc(sizeof(*c));
	zk_gl **cols = NULL;
	char err[256];
	double t = -1.0;

	if (c == NULL)
		return -1.0;
	if (zk_clob_air_init(c, lay, mp, st, b->ops, b->n_ops, b->events.ev,
			     b->events.len, 0, err, sizeof(err)) != 0 ||
	    zk_clob_trace_build(c, b, u, n_threads, &cols, log_n, err,
				sizeof(err)) != 0) {
		fprintf(stderr, "bench_clob_mix: baseline trace: %s\n", err);
		goto done;
	}
	t = bench_lde_commit(cols, CLOB_WIDTH, *log_n, p, n_threads, NULL);
done:
	if (cols != NULL)
		zk_clob_trace_free(cols);
	free(c);
	return t;
}

struct mix_run {
	struct zk_engine *engine;
	struct zk_st_tree *tree;
	const struct zk_market_params *mp;
	const struct zk_stark_params *p;
	const struct zk_op *ops;
	size_t n_ops, next; /* the stream and where the next batch starts */
};

/* The next batch of `size` ops of MIX_MARKET, or NULL when the stream
 * runs out. */
static struct zk_batch *next_batch(struct mix_run *r, size_t size)
{
	struct zk_batch_cfg bcfg = { .max_ops = (uint32_t)size,
				     .witness = true };
	struct zk_batcher *bt = zk_batcher_create(r->engine, &bcfg);
	struct zk_batch *cut = NULL;

	if (bt == NULL)
		return NULL;
	while (cut == NULL && r->next < r->n_ops) {
		const struct zk_op *op = &r->ops[r->next++];

		if (op->market != MIX_MARKET)
			continue;
		if (zk_batcher_push(bt, op, 0, &cut) != 0) {
			cut = NULL;
			break;
		}
	}
	zk_batcher_destroy(bt);
	return cut;
}

static int bench_size(struct mix_run *r, const struct mix_size *s)
{
	double prove[MIX_MAX_BATCHES], verify[MIX_MAX_BATCHES];
	double verify_cpu[MIX_MAX_BATCHES];
	double ratio[MIX_MAX_BATCHES];
	double prove_off[MIX_MAX_BATCHES], ratio_off[MIX_MAX_BATCHES];
	double on_off[MIX_MAX_BATCHES], cpu_on[MIX_MAX_BATCHES];
	double cpu_off[MIX_MAX_BATCHES], cpu_ratio[MIX_MAX_BATCHES];
	double prove_sum = 0.0;
	size_t proof_sum = 0, ops_proven = 0, n_events = 0, n_acc = 0;
	size_t n_leaves = 0, n_nodes = 0, n_sibs = 0, same_leaves = 0;
	size_t same_nodes = 0;
	unsigned proven = 0, refused = 0, log_lo = 99, log_hi = 0;
	char why[256] = "";

	for (unsigned k = 0; k < s->batches; k++) {
		struct zk_batch *b = next_batch(r, s->ops);
		struct zk_st_update u = { 0 };
		struct zk_statement st;
		struct zk_clob_prove_opts o = { .market = r->mp,
						.stark_params = r->p->id,
						.threads = n_threads };
		uint8_t *proof = NULL, *plain = NULL;
		size_t len = 0, plain_len = 0;
		char err[256] = "";
		unsigned log_n = 0;
		double t0, c0, tp, tv, tc, tb, tp_off = 0.0, cp = 0.0, cp_off = 0.0;
		int rc, rc_off = 0;

		if (b == NULL) {
			fprintf(stderr, "bench_clob_mix: the stream ran out\n");
			return -1;
		}
		if (zk_clob_commit(b, r->tree, &u, &st, err, sizeof(err)) != 0) {
			fprintf(stderr, "bench_clob_mix: commit: %s\n", err);
			zk_batch_free(b);
			return -1;
		}
		if (x4_both && k % 2 == 1)
			rc_off = prove_x4(b, &o, &st, 0, &plain, &plain_len,
					  &tp_off, &cp_off, err, sizeof(err));
		rc = prove_x4(b, &o, &st, x4_on, &proof, &len, &tp, &cp, err,
			      sizeof(err));
		if (rc == 0 && x4_both && k % 2 == 0)
			rc_off = prove_x4(b, &o, &st, 0, &plain, &plain_len,
					  &tp_off, &cp_off, err, sizeof(err));
		if (rc == ZK_CLOB_EUNSUPPORTED) {
			if (refused++ == 0)
				snprintf(why, sizeof(why), "%s", err);
			goto next;
		}
		if (rc != 0) {
			fprintf(stderr, "bench_clob_mix: prove: %s\n", err);
			goto fail;
		}
		if (x4_both && (rc_off != 0 || plain_len != len ||
				memcmp(plain, proof, len) != 0)) {
			fprintf(stderr, "bench_clob_mix: the proofs with and "
					"without eval_main_x4 differ\n");
			goto fail;
		}
		t0 = now();
		c0 = thread_cpu();
		rc = 0;
		for (unsigned v = 0; v < verify_loop && rc == 0; v++)
			rc = zk_clob_verify(&st, b->ops, b->n_ops, b->events.ev,
					    b->events.len, r->mp, r->p->id,
					    proof, len, err, sizeof(err));
		tc = (thread_cpu() - c0) / verify_loop;
		tv = (now() - t0) / verify_loop;
		if (rc != 0) {
			fprintf(stderr, "bench_clob_mix: verify: %s\n", err);
			goto fail;
		}
		tb = baseline(b, &u, zk_st_layout_get(r->tree), r->mp, &st,
			      r->p, &log_n);
		if (tb <= 0.0)
			goto fail;
		prove[proven] = tp;
		verify[proven] = tv;
		verify_cpu[proven] = tc;
		ratio[proven] = tp / tb;
		prove_off[proven] = tp_off;
		ratio_off[proven] = tp_off / tb;
		on_off[proven] = tp_off > 0.0 ? tp / tp_off : 0.0;
		cpu_on[proven] = cp;
		cpu_off[proven] = cp_off;
		cpu_ratio[proven] = cp_off > 0.0 ? cp / cp_off : 0.0;
		proven++;
		prove_sum += tp;
		proof_sum += len;
		ops_proven += b->n_ops;
		n_events += b->events.len;
		n_acc += b->witness.len;
		n_leaves += u.n_leaves;
		for (size_t i = 0; i < u.n_leaves; i++)
			same_leaves += memcmp(&u.leaves[i].before,
					      &u.leaves[i].after,
					      sizeof(u.leaves[i].before)) == 0;
		for (size_t i = 0; i < u.n_nodes; i++) {
			if (!u.nodes[i].touched)
				n_sibs++;
			else if (u.nodes[i].level > 0)
				n_nodes++;
			if (u.nodes[i].touched && u.nodes[i].level > 0)
				same_nodes += memcmp(u.nodes[i].old_hash,
						     u.nodes[i].new_hash,
						     sizeof(u.nodes[i].old_hash)) == 0;
		}
		log_lo = log_n < log_lo ? log_n : log_lo;
		log_hi = log_n > log_hi ? log_n : log_hi;
next:
		free(proof);
		free(plain);
		zk_st_update_free(&u);
		zk_batch_free(b);
		continue;
fail:
		free(proof);
		free(plain);
		zk_st_update_free(&u);
		zk_batch_free(b);
		return -1;
	}
	if (proven == 0) {
		printf("mix %5zu ops  %u batches refused: %s\n", s->ops, refused,
		       why);
		return 0;
	}
	printf("mix %5zu ops  %2u proven %2u refused  2^%u..2^%u rows  "
	       "prove P50 %8.1f P99 %8.1f ms  verify P50 %5.2f max %5.2f ms "
	       "(CPU P50 %5.2f max %5.2f ms)  "
	       "proof %6zu B  %6.0f ops/s  prove/(LDE+commit) P50 %.1f\n",
	       s->ops, proven, refused, log_lo, log_hi,
	       pct(prove, proven, 50) * 1e3, pct(prove, proven, 99) * 1e3,
	       pct(verify, proven, 50) * 1e3, pct(verify, proven, 100) * 1e3,
	       pct(verify_cpu, proven, 50) * 1e3,
	       pct(verify_cpu, proven, 100) * 1e3,
	       proof_sum / proven, (double)ops_proven / prove_sum,
	       pct(ratio, proven, 50));
	if (x4_both)
		printf("      x4 off: prove P50 %8.1f P99 %8.1f ms  "
		       "prove/(LDE+commit) P50 %.1f; with x4 / without "
		       "P50 %.2f (same proof bytes)\n",
		       pct(prove_off, proven, 50) * 1e3,
		       pct(prove_off, proven, 99) * 1e3,
		       pct(ratio_off, proven, 50), pct(on_off, proven, 50));
	if (x4_both)
		printf("      CPU per proof (both threads) P50: x4 on %8.1f "
		       "ms, off %8.1f ms; with x4 / without P50 %.2f\n",
		       pct(cpu_on, proven, 50) * 1e3,
		       pct(cpu_off, proven, 50) * 1e3,
		       pct(cpu_ratio, proven, 50));
	/* AIR v10: a leaf or node the batch left unchanged is one row, an
	 * untouched sibling none (docs/proof.md section 7) */
	printf("      rows per op: 1 op + %.2f events + %.2f accesses + "
	       "2 x %.2f + 1 x %.2f leaves (changed + unchanged) + "
	       "2 x %.2f + 1 x %.2f nodes = %.2f; "
	       "%.2f untouched siblings without rows\n",
	       (double)n_events / (double)ops_proven,
	       (double)n_acc / (double)ops_proven,
	       (double)(n_leaves - same_leaves) / (double)ops_proven,
	       (double)same_leaves / (double)ops_proven,
	       (double)(n_nodes - same_nodes) / (double)ops_proven,
	       (double)same_nodes / (double)ops_proven,
	       (double)(ops_proven + n_events + n_acc +
			2 * n_leaves - same_leaves + 2 * n_nodes -
			same_nodes) / (double)ops_proven,
	       (double)n_sibs / (double)ops_proven);
	if (refused)
		printf("      first refusal: %s\n", why);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct mix_size full[] = {
		{ 64, 16 }, { 256, 8 }, { 1024, 4 }, { 4096, 2 } };
	static const struct mix_size quick[] = {
		{ 64, 8 }, { 256, 4 }, { 1024, 2 } };
	struct mix_size one = { 0, 1 };
	const struct mix_size *sizes = full;
	size_t n_sizes = 4, need = MIX_WARM_OPS;
	struct zk_config cfg;
	struct zk_gen_params gp;
	struct zk_event_buf scratch = { 0 };
	struct mix_run r = { 0 };
	struct zk_op *ops = NULL;
	char err[256];
	int rc = 1;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0) {
			sizes = quick;
			n_sizes = 3;
		} else if (strcmp(argv[i], "--verify-loop") == 0 &&
			   i + 1 < argc) {
			verify_loop = (unsigned)strtoul(argv[++i], NULL, 10);
		} else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
			n_threads = (unsigned)atoi(argv[++i]);
		} else if (strcmp(argv[i], "--size") == 0 && i + 1 < argc) {
			one.ops = strtoul(argv[++i], NULL, 10);
		} else if (strcmp(argv[i], "--batches") == 0 && i + 1 < argc) {
			one.batches = (unsigned)strtoul(argv[++i], NULL, 10);
		} else if (strcmp(argv[i], "--x4") == 0 && i + 1 < argc &&
			   (strcmp(argv[i + 1], "on") == 0 ||
			    strcmp(argv[i + 1], "off") == 0 ||
			    strcmp(argv[i + 1], "both") == 0)) {
			i++;
			x4_both = strcmp(argv[i], "both") == 0;
			x4_on = strcmp(argv[i], "off") != 0;
		} else {
			fprintf(stderr, "usage: bench_clob_mix [--quick] "
					"[--threads N] [--size OPS "
					"--batches K] [--x4 on|off|both] "
					"[--verify-loop V]\n");
			return 2;
		}
	}
	if (one.ops != 0) {
		if (one.ops > 65536 || one.batches == 0 ||
		    one.batches > MIX_MAX_BATCHES) {
			fprintf(stderr, "bench_clob_mix: --size 1..65536, "
					"--batches 1..%d\n", MIX_MAX_BATCHES);
			return 2;
		}
		sizes = &one;
		n_sizes = 1;
	}
	if (n_threads == 0)
		n_threads = 1;
	if (verify_loop == 0 || verify_loop > 10000) {
		fprintf(stderr, "bench_clob_mix: --verify-loop 1..10000\n");
		return 2;
	}
	if (zk_config_load_default(&cfg, err, sizeof(err)) != 0 ||
	    zk_config_gen_params(&cfg, &gp, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench_clob_mix: default config: %s\n", err);
		return 1;
	}
	for (size_t i = 0; i < cfg.n_markets; i++)
		if (cfg.markets[i].market == MIX_MARKET)
			r.mp = &cfg.markets[i];
	r.p = zk_stark_params_by_id(ZK_PARAMS_FAST);
	if (r.mp == NULL || r.p == NULL) {
		fprintf(stderr, "bench_clob_mix: no market %d or fast set\n",
			MIX_MARKET);
		return 1;
	}
	/* every market gets about 1/markets of the flow: room for all
	 * batches of MIX_MARKET, twice over */
	for (size_t i = 0; i < n_sizes; i++)
		need += 2 * (size_t)gp.markets * sizes[i].ops *
			sizes[i].batches;
	ops = malloc(need * sizeof(*ops));
	if (ops == NULL || zk_gen_ops(&gp, ops, need, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench_clob_mix: gen: %s\n",
			ops ? err : "out of memory");
		goto out;
	}
	r.ops = ops;
	r.n_ops = need;
	r.engine = zk_engine_create(cfg.markets, cfg.n_markets);
	if (r.engine == NULL) {
		fprintf(stderr, "bench_clob_mix: engine: %s\n",
			strerror(errno));
		goto out;
	}
	for (; r.next < MIX_WARM_OPS; r.next++) {
		scratch.len = 0;
		if (zk_engine_apply(r.engine, &ops[r.next], &scratch) < 0) {
			fprintf(stderr, "bench_clob_mix: warm-up apply\n");
			goto out;
		}
	}
	r.tree = zk_st_create(r.engine, MIX_MARKET, 4);
	if (r.tree == NULL) {
		fprintf(stderr, "bench_clob_mix: state tree: %s\n",
			strerror(errno));
		goto out;
	}
	printf("bench_clob_mix: CLOB AIR v%u, width %d, %s set, %u threads, "
	       "default config flow, market %d after %d warm-up ops, "
	       "four-row evaluator %s\n",
	       ZK_CLOB_AIR_VERSION, CLOB_WIDTH, r.p->name, n_threads,
	       MIX_MARKET, MIX_WARM_OPS,
	       zk_clob_air_eval_x4() == NULL ? "none (row by row)" :
	       x4_both ? "AVX2 and off" : x4_on ? "AVX2" : "off");
	for (size_t i = 0; i < n_sizes; i++)
		if (bench_size(&r, &sizes[i]) != 0)
			goto out;
	rc = 0;
out:
	zk_event_buf_free(&scratch);
	zk_st_destroy(r.tree);
	zk_engine_destroy(r.engine);
	free(ops);
	return rc;
}
