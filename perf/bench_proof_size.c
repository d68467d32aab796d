/* SPDX-License-Identifier: MIT */
/*
 * Where a proof's bytes go: proves the Fibonacci and the LogUp range AIR
 * (tests/stark/air_*.h) at 2^log_n rows under each parameter set and
 * prints the encoded size by part, each as a share of the whole proof
 * (sizes are deterministic, so the baseline is the proof itself):
 * the trees' opened rows and Merkle nodes, every FRI layer's coset values
 * and nodes, the final polynomial, and the rest (header, roots, OOD
 * values, nonce, counts).
 * Usage: bench_proof_size [--log-n K] [--set NAME] [--air fib|range]
 *                         [--out FILE] (writes the last proof made)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "air_fib.h"
#include "air_range.h"
#include "proof.h"
#include "stark.h"

struct trace {
	unsigned log_n;
	size_t width;
	zk_gl *cols[8];
};

static void trace_free(struct trace *t)
{
	for (size_t c = 0; c < t->width; c++)
		free(t->cols[c]);
	memset(t, 0, sizeof(*t));
}

static int trace_alloc(struct trace *t, size_t width, unsigned log_n)
{
	memset(t, 0, sizeof(*t));
	t->log_n = log_n;
	t->width = width;
	for (size_t c = 0; c < width; c++) {
		t->cols[c] = calloc((size_t)1 << log_n, sizeof(zk_gl));
		if (t->cols[c] == NULL) {
			trace_free(t);
			return -1;
		}
	}
	return 0;
}

static int fib_trace(struct trace *t, struct zk_air_fib *air, unsigned log_n)
{
	zk_gl res;

	if (trace_alloc(t, ZK_AIR_FIB_WIDTH, log_n) != 0)
		return -1;
	res = zk_air_fib_trace(1, 1, log_n, t->cols[0], t->cols[1]);
	zk_air_fib_init(air, 1, 1, res);
	return 0;
}

/* The range AIR over the same xorshift values bench_stark uses. */
static int range_trace(struct trace *t, struct zk_air_range *air,
		       unsigned log_n)
{
	size_t n = (size_t)1 << log_n, i;
	zk_gl *v = malloc(n * sizeof(*v));
	uint64_t x = 0x9e3779b97f4a7c15ull;
	int rc = -1;

	if (v == NULL || trace_alloc(t, ZK_RANGE_WIDTH, log_n) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		v[i] = x & 0xffff;
	}
	if (zk_air_range_trace(v, log_n, t->cols) != 0) {
		trace_free(t);
		goto out;
	}
	zk_air_range_init(air, v[0], v[n - 1]);
	rc = 0;
out:
	free(v);
	return rc;
}

static double share(size_t part, size_t total)
{
	return total ? 100.0 * (double)part / (double)total : 0.0;
}

static void report(const char *air, const struct zk_stark_params *p,
		   unsigned log_n, const uint8_t *bytes, size_t len)
{
	struct zk_stark_proof pf;
	struct zk_stark_proof_sizes s;
	struct zk_stark_proof_shape *sh = &pf.shape;
	char err[256] = "";
	size_t main_rows, aux_rows, comp_rows, fri_vals = 0, fri_nodes = 0;
	size_t positions;
	unsigned l;

	zk_stark_proof_init(&pf);
	if (zk_stark_proof_decode(bytes, len, p, NULL, &pf, err,
				  sizeof(err)) != 0) {
		fprintf(stderr, "bench_proof_size: decode: %s\n", err);
		return;
	}
	zk_stark_proof_sizes(&pf, &s);
	positions = pf.n_positions;
	main_rows = positions * sh->main_width * 8;
	aux_rows = positions * sh->aux_width * ZK_EXT_BYTES;
	comp_rows = positions * sh->n_chunks * ZK_EXT_BYTES;
	printf("%-6s %-10s 2^%-2u %8zu B (%.2f KiB)  %zu positions, %u FRI layers, final %u coefficients\n",
	       air, p->name, log_n, len, (double)len / 1024.0, positions,
	       pf.fri.n_layers, pf.fri.final_len);
	printf("  trees   main rows %6zu (%4.1f %%) nodes %6zu (%4.1f %%)\n",
	       main_rows, share(main_rows, len),
	       zk_merkle_batch_wire_size(&pf.main_open),
	       share(zk_merkle_batch_wire_size(&pf.main_open), len));
	if (sh->aux_width > 0)
		printf("          aux  rows %6zu (%4.1f %%) nodes %6zu (%4.1f %%)\n",
		       aux_rows, share(aux_rows, len),
		       zk_merkle_batch_wire_size(&pf.aux_open),
		       share(zk_merkle_batch_wire_size(&pf.aux_open), len));
	printf("          comp rows %6zu (%4.1f %%) nodes %6zu (%4.1f %%)\n",
	       comp_rows, share(comp_rows, len),
	       zk_merkle_batch_wire_size(&pf.comp_open),
	       share(zk_merkle_batch_wire_size(&pf.comp_open), len));
	for (l = 0; l < pf.fri.n_layers; l++) {
		const struct zk_fri_layer_proof *lp = &pf.fri.layers[l];
		size_t vals = zk_fri_layer_sent_values(lp) * ZK_EXT_BYTES;
		size_t nodes = zk_merkle_batch_wire_size(&lp->opening);

		fri_vals += vals;
		fri_nodes += nodes;
		printf("  FRI %2u  fold 2^%u  %3u cosets  values %6zu (%4.1f %%) nodes %6zu (%4.1f %%)\n",
		       l, lp->log_folding, lp->n_cosets, vals,
		       share(vals, len), nodes, share(nodes, len));
	}
	printf("  FRI all values %zu (%.1f %%) nodes %zu (%.1f %%) final %zu (%.1f %%)\n",
	       fri_vals, share(fri_vals, len), fri_nodes,
	       share(fri_nodes, len), s.fri_final, share(s.fri_final, len));
	printf("  rest (header, roots, OOD, nonce, counts) %zu (%.1f %%)\n",
	       len - main_rows - aux_rows - comp_rows - fri_vals -
		       fri_nodes - s.fri_final -
		       zk_merkle_batch_wire_size(&pf.main_open) -
		       zk_merkle_batch_wire_size(&pf.aux_open) -
		       zk_merkle_batch_wire_size(&pf.comp_open),
	       share(len - main_rows - aux_rows - comp_rows - fri_vals -
			     fri_nodes - s.fri_final -
			     zk_merkle_batch_wire_size(&pf.main_open) -
			     zk_merkle_batch_wire_size(&pf.aux_open) -
			     zk_merkle_batch_wire_size(&pf.comp_open),
		     len));
	zk_stark_proof_free(&pf);
}

int main(int argc, char **argv)
{
	static const char *const sets[] = { "fast", "compact", "throughput" };
	const char *only_set = NULL, *only_air = NULL, *out = NULL;
	unsigned log_n = 20;
	uint8_t *last = NULL;
	size_t last_len = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--log-n") == 0 && i + 1 < argc) {
			log_n = (unsigned)atoi(argv[++i]);
		} else if (strcmp(argv[i], "--set") == 0 && i + 1 < argc) {
			only_set = argv[++i];
		} else if (strcmp(argv[i], "--air") == 0 && i + 1 < argc) {
			only_air = argv[++i];
		} else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
			out = argv[++i];
		} else {
			fprintf(stderr,
				"usage: %s [--log-n K] [--set NAME] [--air fib|range] [--out FILE]\n",
				argv[0]);
			return 2;
		}
	}
	if (log_n < 4 || log_n > 22) {
		fprintf(stderr, "bench_proof_size: --log-n 4..22\n");
		return 2;
	}
	for (size_t si = 0; si < sizeof(sets) / sizeof(sets[0]); si++) {
		const struct zk_stark_params *p =
			zk_stark_params_by_name(sets[si]);

		if (p == NULL || (only_set && strcmp(only_set, sets[si]) != 0))
			continue;
		for (int a = 0; a < 2; a++) {
			const char *name = a == 0 ? "fib" : "range";
			struct zk_prove_opts opts = { .threads = 2 };
			struct zk_air_fib fib;
			struct zk_air_range range;
			const struct zk_air *air;
			struct trace t;
			char err[256] = "";
			uint8_t *proof = NULL;
			size_t len = 0;
			int rc;

			if (only_air && strcmp(only_air, name) != 0)
				continue;
			if (a == 1 && log_n < ZK_AIR_RANGE_MIN_LOG_N) {
				printf("range  %-10s 2^%-2u skipped: the range AIR needs 2^%u rows\n",
				       p->name, log_n, ZK_AIR_RANGE_MIN_LOG_N);
				continue;
			}
			if (a == 0 ? fib_trace(&t, &fib, log_n) != 0
				   : range_trace(&t, &range, log_n) != 0) {
				fprintf(stderr, "bench_proof_size: no memory for the trace\n");
				return 1;
			}
			air = a == 0 ? &fib.air : &range.air;
			if (air->max_degree > zk_stark_params_max_degree(p)) {
				/* the range AIR (degree 4) under throughput */
				printf("%-6s %-10s 2^%-2u skipped: degree %u > the set's %u\n",
				       name, p->name, log_n, air->max_degree,
				       zk_stark_params_max_degree(p));
				trace_free(&t);
				continue;
			}
			rc = zk_stark_prove(air, p,
					    (const zk_gl *const *)t.cols,
					    log_n, &opts, &proof, &len, err,
					    sizeof(err));
			trace_free(&t);
			if (rc != ZK_STARK_ACCEPT) {
				fprintf(stderr, "bench_proof_size: %s %s: %s (%s)\n",
					name, p->name, zk_stark_strerror(rc),
					err);
				return 1;
			}
			rc = zk_stark_verify(air, p->id, proof, len, err,
					     sizeof(err));
			if (rc != ZK_STARK_ACCEPT) {
				fprintf(stderr, "bench_proof_size: %s %s: verify: %s (%s)\n",
					name, p->name, zk_stark_strerror(rc),
					err);
				free(proof);
				return 1;
			}
			report(name, p, log_n, proof, len);
			free(last);
			last = proof;
			last_len = len;
		}
	}
	if (out != NULL && last != NULL) {
		FILE *f = fopen(out, "wb");

		if (f == NULL || fwrite(last, 1, last_len, f) != last_len) {
			fprintf(stderr, "bench_proof_size: cannot write %s\n", out);
			if (f)
				fclose(f);
			free(last);
			return 1;
		}
		fclose(f);
	}
	free(last);
	return 0;
}
