/* SPDX-License-Identifier: MIT */
/*
 * Multi-table proofs (backends/stark/multi.h) against one wide table,
 * measured in the same run. The wide table is what the CLOB AIR is today:
 * every row carries the access columns (W_a, degree-2 recurrences) and the
 * hash witness (W_b, degree-3 recurrences gated by a selector: degree 4),
 * N rows, proven by the single-table prover (zk_stark_prove). The split is
 * a producer table W_a × N and a consumer table W_b × N/r (ungated degree
 * 3) joined by a LogUp bus (one aux column each), proven by
 * zk_stark_multi_prove. The constraint kinds are the same; tests/stark/
 * air_bus.h has them. Figures: committed cells (main + 3 per aux column,
 * times the blowup), prove time (CPU of all threads and wall, best of R),
 * verify time (best of R), proof size, each split figure ÷ the wide one.
 * Usage: bench_multi [--log-n L] [--wa W] [--wb W] [--ratio R]
 *        [--runs R] [--threads T] [--set fast|compact|throughput]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench_util.h"
#include "air_bus.h"
#include "multi.h"
#include "params.h"
#include "stark.h"

struct table {
	struct zk_air_bus air;
	unsigned log_n;
	zk_gl **cols;
};

struct figures {
	double prove_cpu, prove_wall, verify;
	size_t bytes;
	double cells;
};

static int table_init(struct table *t, const struct zk_air_bus_cfg *cfg,
		      unsigned log_n)
{
	if (zk_air_bus_init(&t->air, cfg) != 0)
		return -1;
	t->log_n = log_n;
	t->cols = calloc(t->air.air.main_width, sizeof(zk_gl *));
	if (t->cols == NULL)
		return -1;
	for (uint32_t c = 0; c < t->air.air.main_width; c++) {
		t->cols[c] = calloc((size_t)1 << log_n, sizeof(zk_gl));
		if (t->cols[c] == NULL)
			return -1;
	}
	return 0;
}

static void table_free(struct table *t)
{
	if (t->cols != NULL)
		for (uint32_t c = 0; c < t->air.air.main_width; c++)
			free(t->cols[c]);
	free(t->cols);
}

static double cells(const struct table *t, unsigned log_blowup)
{
	const struct zk_air *a = &t->air.air;

	return (double)(a->main_width + 3 * a->aux_width) *
	       (double)((size_t)1 << (t->log_n + log_blowup));
}

static void keep_best(struct figures *f, double cpu, double wall)
{
	if (f->prove_cpu == 0 || cpu < f->prove_cpu)
		f->prove_cpu = cpu;
	if (f->prove_wall == 0 || wall < f->prove_wall)
		f->prove_wall = wall;
}

static int bench_wide(struct table *w, const struct zk_stark_params *p,
		      const struct zk_prove_opts *o, unsigned runs,
		      struct figures *f)
{
	char err[256];

	for (unsigned r = 0; r < runs; r++) {
		uint8_t *proof;
		size_t len;
		double c0 = cpu_now(), t0 = now(), t1;
		int rc = zk_stark_prove(&w->air.air, p,
					(const zk_gl *const *)w->cols, w->log_n,
					o, &proof, &len, err, sizeof(err));

		if (rc != 0) {
			fprintf(stderr, "wide prove: %s\n", err);
			return rc;
		}
		keep_best(f, cpu_now() - c0, now() - t0);
		t0 = now();
		rc = zk_stark_verify(&w->air.air, p->id, proof, len, err,
				     sizeof(err));
		t1 = now() - t0;
		free(proof);
		if (rc != 0) {
			fprintf(stderr, "wide verify: %s\n", err);
			return rc;
		}
		if (f->verify == 0 || t1 < f->verify)
			f->verify = t1;
		f->bytes = len;
	}
	f->cells = cells(w, p->log_blowup);
	return 0;
}

static int bench_split(struct table *t, const struct zk_stark_params *p,
		       const struct zk_prove_opts *o, unsigned runs,
		       struct figures *f)
{
	struct zk_bus_port port = { 0, 0 };
	struct zk_table tables[2] = { { &t[0].air.air, 1, &port },
				      { &t[1].air.air, 1, &port } };
	struct zk_table_trace tr[2] = {
		{ (const zk_gl *const *)t[0].cols, t[0].log_n },
		{ (const zk_gl *const *)t[1].cols, t[1].log_n } };
	zk_ext zero = zk_ext_zero();
	struct zk_multi_statement s = { tables, 2, 1, &zero };
	char err[256];

	for (unsigned r = 0; r < runs; r++) {
		uint8_t *proof;
		size_t len;
		double c0 = cpu_now(), t0 = now(), t1;
		int rc = zk_stark_multi_prove(&s, p, tr, o, &proof, &len, err,
					      sizeof(err));

		if (rc != 0) {
			fprintf(stderr, "split prove: %s\n", err);
			return rc;
		}
		keep_best(f, cpu_now() - c0, now() - t0);
		t0 = now();
		rc = zk_stark_multi_verify(&s, p->id, proof, len, err,
					   sizeof(err));
		t1 = now() - t0;
		free(proof);
		if (rc != 0) {
			fprintf(stderr, "split verify: %s\n", err);
			return rc;
		}
		if (f->verify == 0 || t1 < f->verify)
			f->verify = t1;
		f->bytes = len;
	}
	f->cells = cells(&t[0], p->log_blowup) + cells(&t[1], p->log_blowup);
	return 0;
}

static void report(const char *set, const struct figures *w,
		   const struct figures *s)
{
	printf("%-10s %-6s %12s %12s %12s %12s %10s\n", set, "", "cells",
	       "prove cpu s", "prove wall s", "verify ms", "proof B");
	printf("%-10s %-6s %12.0f %12.3f %12.3f %12.3f %10zu\n", "", "wide",
	       w->cells, w->prove_cpu, w->prove_wall, 1e3 * w->verify,
	       w->bytes);
	printf("%-10s %-6s %12.0f %12.3f %12.3f %12.3f %10zu\n", "", "split",
	       s->cells, s->prove_cpu, s->prove_wall, 1e3 * s->verify,
	       s->bytes);
	printf("%-10s %-6s %12.3f %12.3f %12.3f %12.3f %10.3f\n", "",
	       "ratio", s->cells / w->cells, s->prove_cpu / w->prove_cpu,
	       s->prove_wall / w->prove_wall, s->verify / w->verify,
	       (double)s->bytes / (double)w->bytes);
}

static unsigned arg_u(int argc, char **argv, const char *name, unsigned dflt)
{
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return (unsigned)strtoul(argv[i + 1], NULL, 10);
	return dflt;
}

static const char *arg_s(int argc, char **argv, const char *name,
			 const char *dflt)
{
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return dflt;
}

int main(int argc, char **argv)
{
	unsigned log_n = arg_u(argc, argv, "--log-n", 12);
	unsigned wa = arg_u(argc, argv, "--wa", 380);
	unsigned wb = arg_u(argc, argv, "--wb", 470);
	unsigned ratio = arg_u(argc, argv, "--ratio", 4);
	unsigned runs = arg_u(argc, argv, "--runs", 3);
	unsigned log_r = 0;
	struct zk_prove_opts o = { .threads = arg_u(argc, argv, "--threads", 1) };
	const struct zk_stark_params *p =
		zk_stark_params_by_name(arg_s(argc, argv, "--set", "fast"));
	struct table wide, split[2];
	struct figures fw = { 0 }, fs = { 0 };
	int rc = 1;

	memset(&wide, 0, sizeof(wide));
	memset(split, 0, sizeof(split));
	while ((1u << log_r) < ratio)
		log_r++;
	if (p == NULL || wa < 3 || wb < 3 || (1u << log_r) != ratio ||
	    log_r + 3 > log_n || runs < 1) {
		fprintf(stderr, "usage: bench_multi [--log-n L] [--wa W>=3] "
			"[--wb W>=3] [--ratio 2^k] [--runs R] [--threads T] "
			"[--set NAME]\n");
		return 2;
	}
	/* wide: v, m, sel, W_a - 2 access and W_b hash columns, gated */
	if (table_init(&wide, &(struct zk_air_bus_cfg){
			.role = ZK_AIR_BUS_NONE, .n_quad = wa - 2,
			.n_cube = wb, .gated = true, .seed = 3 }, log_n) != 0 ||
	    table_init(&split[0], &(struct zk_air_bus_cfg){
			.role = ZK_AIR_BUS_PRODUCER, .n_quad = wa - 2,
			.seed = 3 }, log_n) != 0 ||
	    table_init(&split[1], &(struct zk_air_bus_cfg){
			.role = ZK_AIR_BUS_CONSUMER, .n_cube = wb - 2,
			.seed = 5 }, log_n - log_r) != 0) {
		fprintf(stderr, "out of memory or bad widths\n");
		goto done;
	}
	zk_air_bus_producer_values(log_n, wide.cols[ZK_AIR_BUS_COL_V],
				   wide.cols[ZK_AIR_BUS_COL_M]);
	zk_air_bus_fill(&wide.air, log_n, wide.cols);
	zk_air_bus_producer_values(log_n, split[0].cols[ZK_AIR_BUS_COL_V],
				   split[0].cols[ZK_AIR_BUS_COL_M]);
	zk_air_bus_consumer_values(log_n - log_r, log_n, 1,
				   split[1].cols[ZK_AIR_BUS_COL_V],
				   split[1].cols[ZK_AIR_BUS_COL_M],
				   split[0].cols[ZK_AIR_BUS_COL_M]);
	zk_air_bus_fill(&split[0].air, log_n, split[0].cols);
	zk_air_bus_fill(&split[1].air, log_n - log_r, split[1].cols);
	printf("bench_multi: N = 2^%u rows, W_a = %u, W_b = %u, hash table "
	       "N/%u, set %s, %u thread(s), best of %u\n", log_n, wa, wb,
	       ratio, p->name, o.threads, runs);
	printf("wide: one table %u columns x N (degree %u); split: %u x N "
	       "(+1 aux) and %u x N/%u (+1 aux, degree %u)\n",
	       wide.air.air.main_width, wide.air.air.max_degree,
	       split[0].air.air.main_width, split[1].air.air.main_width, ratio,
	       split[1].air.air.max_degree);
	if (bench_wide(&wide, p, &o, runs, &fw) != 0 ||
	    bench_split(split, p, &o, runs, &fs) != 0)
		goto done;
	report(p->name, &fw, &fs);
	rc = 0;
done:
	table_free(&wide);
	table_free(&split[0]);
	table_free(&split[1]);
	return rc;
}
