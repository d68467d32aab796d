/* SPDX-License-Identifier: MIT */
/*
 * FRI benchmark: commit + query time of the FRI prover over 2^16..2^20
 * points with folding factors 2, 8 and 16, as a ratio to the time to build
 * ONE Merkle tree over the same N extension values (ZK_EXT_DEGREE base
 * columns), the
 * baseline, measured in the same run and alternating with it (best of
 * `repeats` each). A ratio near 1 + 1/2^f + ... means FRI costs about the
 * hashing of its layers; more means folding or copying dominates.
 * The verifier's time is shown against the same baseline, and each proof
 * is checked to verify, so a broken build cannot report a figure.
 *
 *   bench_fri [--quick] [--threads N]
 *     --quick    2^16 and 2^17 only, fewer repeats
 *     --threads  worker threads for both sides (default 2)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fri.h"
#include "merkle.h"
#include "ntt.h"

#define LOG_BLOWUP 2
#define FINAL_LOG_MAX 3
#define N_QUERIES 44
#define LABEL "bench-fri"
#define BENCH_HASH ZK_HASH_BLAKE2S

static uint64_t rng_state = 0x3c6ef372fe94f82bull;

static uint64_t splitmix64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Honest input: a random zk_ext polynomial of degree < N / blowup on the
 * coset 7·<ω_N>, bit-reversed; cols receive the coefficients separately
 * too. */
static zk_ext *make_evals(unsigned log_n, zk_gl *cols[ZK_EXT_DEGREE])
{
	size_t n = (size_t)1 << log_n, deg = n >> LOG_BLOWUP, i;
	unsigned k;
	zk_ext *evals = malloc(n * sizeof(*evals));

	if (evals == NULL)
		return NULL;
	for (k = 0; k < ZK_EXT_DEGREE; k++) {
		cols[k] = calloc(n, sizeof(zk_gl));
		if (cols[k] == NULL)
			return NULL;
	}
	for (i = 0; i < deg; i++) {
		for (k = 0; k < ZK_EXT_DEGREE; k++)
			cols[k][i] = zk_gl_from_u64(splitmix64());
	}
	if (zk_ntt_coset_forward(cols, ZK_EXT_DEGREE, log_n,
				 ZK_GL_MULTIPLICATIVE_GENERATOR, 2) != 0)
		return NULL;
	for (i = 0; i < n; i++)
		for (k = 0; k < ZK_EXT_DEGREE; k++)
			evals[i].c[k] = cols[k][i];
	return evals;
}

static double time_tree(unsigned log_n, zk_gl *const cols[ZK_EXT_DEGREE],
			unsigned threads)
{
	struct zk_merkle_tree tree;
	const zk_gl *c[ZK_EXT_DEGREE];
	double t0 = now_s(), dt;

	for (unsigned k = 0; k < ZK_EXT_DEGREE; k++)
		c[k] = cols[k];
	if (zk_merkle_build(&tree, BENCH_HASH, c, ZK_EXT_DEGREE, (uint64_t)1 << log_n,
			    threads) != 0) {
		fprintf(stderr, "merkle build failed\n");
		exit(1);
	}
	dt = now_s() - t0;
	zk_merkle_free(&tree);
	return dt;
}

static void draw_positions(struct zk_transcript *t, unsigned log_n,
			   uint64_t *pos)
{
	unsigned k;

	for (k = 0; k < N_QUERIES; k++)
		pos[k] = zk_transcript_draw_index(t, log_n);
}

/* Commit + query; returns the seconds, leaves the proof in *proof. */
static double time_fri(const struct zk_fri_config *cfg, const zk_ext *evals,
		       struct zk_fri_proof *proof)
{
	struct zk_transcript t;
	struct zk_fri_prover *fp;
	uint64_t pos[N_QUERIES];
	double t0 = now_s(), dt;

	if (zk_transcript_init(&t, cfg->hash, LABEL) != 0 ||
	    zk_fri_commit(&fp, cfg, &t, evals) != 0) {
		fprintf(stderr, "fri commit failed\n");
		exit(1);
	}
	draw_positions(&t, cfg->log_domain, pos);
	if (zk_fri_prove_queries(fp, pos, N_QUERIES, proof) != 0) {
		fprintf(stderr, "fri queries failed\n");
		exit(1);
	}
	dt = now_s() - t0;
	zk_fri_prover_free(fp);
	return dt;
}

static double time_verify(const struct zk_fri_config *cfg,
			  const zk_ext *evals, const struct zk_fri_proof *proof)
{
	struct zk_transcript t;
	struct zk_fri_verifier v;
	uint64_t pos[N_QUERIES];
	zk_ext values0[N_QUERIES];
	double t0 = now_s(), dt;
	unsigned k;
	int rc;

	if (zk_transcript_init(&t, cfg->hash, LABEL) != 0)
		exit(1);
	rc = zk_fri_verify_commit(&v, cfg, &t, proof);
	draw_positions(&t, cfg->log_domain, pos);
	for (k = 0; k < N_QUERIES; k++)
		values0[k] = evals[pos[k]];
	if (rc == 0)
		rc = zk_fri_verify_queries(&v, proof, pos, values0, N_QUERIES);
	dt = now_s() - t0;
	if (rc != 0) {
		fprintf(stderr, "honest FRI proof rejected (%d)\n", rc);
		exit(1);
	}
	return dt;
}

int main(int argc, char **argv)
{
	static const unsigned foldings[] = { 1, 3, 4 };
	unsigned log_lo = 16, log_hi = 20, threads = 2, log_n;
	int repeats = 3, quick = 0, i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0) {
			quick = 1;
		} else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
			threads = (unsigned)strtoul(argv[++i], NULL, 10);
		} else {
			fprintf(stderr, "usage: %s [--quick] [--threads N]\n",
				argv[0]);
			return 2;
		}
	}
	if (quick) {
		log_hi = 17;
		repeats = 2;
	}
	printf("FRI commit+query (%u queries, blowup %u, final <= 2^%u, %s, "
	       "%u threads) vs one Merkle tree over the same N F_p3 values\n",
	       N_QUERIES, 1u << LOG_BLOWUP, FINAL_LOG_MAX,
	       zk_hash_name(BENCH_HASH), threads);
	printf("%-6s %-5s %11s %11s %8s %11s %8s %10s\n", "log N", "fold",
	       "tree ms", "fri ms", "fri/tree", "verify ms", "vfy/tree",
	       "proof B");
	for (log_n = log_lo; log_n <= log_hi; log_n++) {
		zk_gl *cols[ZK_EXT_DEGREE];
		zk_ext *evals = make_evals(log_n, cols);
		size_t fi;

		if (evals == NULL) {
			fprintf(stderr, "out of memory at 2^%u\n", log_n);
			return 1;
		}
		for (fi = 0; fi < sizeof(foldings) / sizeof(foldings[0]); fi++) {
			struct zk_fri_config cfg = {
				.log_domain = log_n,
				.log_degree = log_n - LOG_BLOWUP,
				.log_folding = foldings[fi],
				.final_log_max = FINAL_LOG_MAX,
				.shift = ZK_GL_MULTIPLICATIVE_GENERATOR,
				.hash = BENCH_HASH,
				.threads = threads,
			};
			double best_tree = 1e30, best_fri = 1e30, best_vfy;
			struct zk_fri_proof proof;
			int r;

			for (r = 0; r < repeats; r++) {
				double tt = time_tree(log_n, cols, threads);
				double tf = time_fri(&cfg, evals, &proof);

				if (tt < best_tree)
					best_tree = tt;
				if (tf < best_fri)
					best_fri = tf;
				if (r + 1 < repeats)
					zk_fri_proof_free(&proof);
			}
			best_vfy = time_verify(&cfg, evals, &proof);
			for (r = 1; r < repeats; r++) {
				double tv = time_verify(&cfg, evals, &proof);

				if (tv < best_vfy)
					best_vfy = tv;
			}
			printf("%-6u %-5u %11.2f %11.2f %8.2f %11.3f %8.4f "
			       "%10zu\n", log_n, 1u << foldings[fi],
			       best_tree * 1e3, best_fri * 1e3,
			       best_fri / best_tree, best_vfy * 1e3,
			       best_vfy / best_tree,
			       zk_fri_proof_encoded_size(&proof));
			fflush(stdout);
			zk_fri_proof_free(&proof);
		}
		for (unsigned k = 0; k < ZK_EXT_DEGREE; k++)
			free(cols[k]);
		free(evals);
	}
	zk_ntt_teardown();
	return 0;
}
