/* SPDX-License-Identifier: MIT */
/*
 * STARK prover benchmarks on the example AIRs (tests/stark/air_*.h).
 * Every figure is printed beside a baseline measured in the same run:
 *  (a) prove time ÷ the time to LDE and Merkle-commit the same main trace
 *      once (the floor any prover pays), Fibonacci and Poseidon2 chain;
 *  (b) Poseidon2 permutations proven per second (fast set), against
 *      the plain permutation rate of zk_poseidon2_w12 on one core;
 *  (c) range-check AIR at 2^16 .. 2^17 rows (2^16 .. 2^20 with --full):
 *      prove and verify time, proof size, peak memory per trace cell,
 *      per parameter set. Memory: each size runs in a forked child that
 *      resets its peak-RSS mark (/proc/self/clear_refs "5") and reports
 *      VmHWM minus the VmRSS it started with (so the trace itself is
 *      included), divided by rows × main columns. Where clear_refs is not
 *      available the child's ru_maxrss growth is used (printed as such).
 *      Each row twice: the prover keeping its LDEs ("stored") and the
 *      coset-streaming one (zk_prove_opts.streaming, "stream");
 *  (d) Fibonacci at 2^20 rows;
 *  (e) the k-value LogUp range AIR (air_range_k.h), fast set: seven shapes
 *      (k values per row, g per helper column) at 2^16, then k = 64, g = 4
 *      at 2^17 .. 2^18 (.. 2^20 with --full), stored and streaming: floor,
 *      prove ÷ LDE + commit (wall and CPU), verify, proof size, peak
 *      memory per main-trace cell (as (c)).
 * (a) also gives both figures as CPU time of all threads (getrusage): on
 * a shared machine other load stretches wall time, far less CPU time.
 * (b) also gives the rate from CPU time of all threads ÷ the thread count,
 * the rate the machine would give with the threads' cores to itself.
 * Usage: bench_stark [--full] [--threads N] [--log-p2 K] [--part abcde]
 * [--sizes LO HI] [--mode stored|stream|both] [--reps N]
 * [--set fast|compact|throughput|both] [--range-k K G]
 * (--part: only the named parts, e.g. "--part b"; --sizes, --mode: (c)
 * at log sizes LO..HI, one prover mode; --range-k: (e) for that shape
 * alone, at the --sizes (default 2^16 .. 2^18) and --mode given; --set: (b) for fast or throughput
 * only, (c) for fast or compact only; --reps: proofs per set in (b), best
 * of them).
 */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "air_fib.h"
#include "air_p2chain.h"
#include "air_range.h"
#include "air_range_k.h"
#include "merkle.h"
#include "ntt.h"
#include "stark.h"

static unsigned n_threads = 2;
/* (b): proofs per parameter set (the best counts) */
static unsigned b_reps = 2;
/* zk_prove_opts.streaming for the proofs of (c) (set per row) */
static int streaming;

struct trace {
	unsigned width, log_n;
	zk_gl **cols;
};

static int trace_alloc(struct trace *t, unsigned width, unsigned log_n)
{
	unsigned c;

	t->width = width;
	t->log_n = log_n;
	t->cols = calloc(width, sizeof(*t->cols));
	if (t->cols == NULL)
		return -1;
	for (c = 0; c < width; c++) {
		t->cols[c] = malloc(sizeof(zk_gl) << log_n);
		if (t->cols[c] == NULL)
			return -1;
	}
	return 0;
}

static void trace_release(struct trace *t)
{
	unsigned c;

	for (c = 0; c < t->width && t->cols != NULL; c++)
		free(t->cols[c]);
	free(t->cols);
	t->cols = NULL;
}

/* One LDE of the main trace plus its Merkle tree: seconds, or < 0; the CPU
 * seconds in *cpu_s where it is not NULL. */
static double lde_commit_cpu(const struct trace *t,
			     const struct zk_stark_params *p, double *cpu_s)
{
	return bench_lde_commit(t->cols, t->width, t->log_n, p, n_threads,
				cpu_s);
}

static double lde_commit_time(const struct trace *t,
			      const struct zk_stark_params *p)
{
	return lde_commit_cpu(t, p, NULL);
}

struct run {
	double prove_s, verify_s, prove_cpu_s;
	size_t proof_len;
	int ok;
};

static struct run prove_verify(const struct zk_air *air,
			       const struct zk_stark_params *p,
			       const struct trace *t)
{
	struct zk_prove_opts opts = { .threads = n_threads,
				      .streaming = streaming };
	struct run r = { 0 };
	uint8_t *proof = NULL;
	char err[256] = "";
	double t0, c0;
	int rc;

	c0 = cpu_now();
	t0 = now();
	rc = zk_stark_prove(air, p, (const zk_gl *const *)t->cols, t->log_n,
			    &opts, &proof, &r.proof_len, err, sizeof(err));
	r.prove_s = now() - t0;
	r.prove_cpu_s = cpu_now() - c0;
	if (rc != ZK_STARK_ACCEPT) {
		fprintf(stderr, "bench_stark: %s: prove: %s (%s)\n", air->name,
			zk_stark_strerror(rc), err);
		return r;
	}
	t0 = now();
	rc = zk_stark_verify(air, p->id, proof, r.proof_len, err, sizeof(err));
	r.verify_s = now() - t0;
	free(proof);
	if (rc != ZK_STARK_ACCEPT) {
		fprintf(stderr, "bench_stark: %s: verify: %s (%s)\n", air->name,
			zk_stark_strerror(rc), err);
		return r;
	}
	r.ok = 1;
	return r;
}

/* Best of `reps` proofs (the machine is shared: the minimum is the signal). */
static struct run best_of(const struct zk_air *air,
			  const struct zk_stark_params *p,
			  const struct trace *t, unsigned reps)
{
	struct run best = { 0 }, r;
	unsigned i;

	for (i = 0; i < reps; i++) {
		r = prove_verify(air, p, t);
		if (!r.ok)
			return r;
		if (!best.ok || r.prove_s < best.prove_s)
			best.prove_s = r.prove_s;
		if (!best.ok || r.prove_cpu_s < best.prove_cpu_s)
			best.prove_cpu_s = r.prove_cpu_s;
		if (!best.ok || r.verify_s < best.verify_s)
			best.verify_s = r.verify_s;
		best.proof_len = r.proof_len;
		best.ok = 1;
	}
	return best;
}

/* Best wall and (separately) best CPU seconds of `reps` LDE + commits. */
static double best_lde(const struct trace *t, const struct zk_stark_params *p,
		       unsigned reps, double *best_cpu)
{
	double best = -1.0, s, cpu;
	unsigned i;

	*best_cpu = -1.0;
	for (i = 0; i < reps; i++) {
		s = lde_commit_cpu(t, p, &cpu);
		if (s >= 0 && (best < 0 || s < best))
			best = s;
		if (s >= 0 && (*best_cpu < 0 || cpu < *best_cpu))
			*best_cpu = cpu;
	}
	return best;
}

static void report_ratio(const char *what, const struct zk_air *air,
			 const struct zk_stark_params *p, const struct trace *t,
			 unsigned reps)
{
	double base_cpu;
	double base = best_lde(t, p, reps, &base_cpu);
	struct run r = best_of(air, p, t, reps);

	if (!r.ok || base <= 0) {
		printf("%-28s %-8s 2^%-2u  FAILED\n", what, p->name, t->log_n);
		return;
	}
	printf("%-28s %-8s 2^%-2u  prove %8.3f ms  LDE+commit %8.3f ms  "
	       "ratio %5.2f  verify %6.2f ms  proof %7zu B\n",
	       what, p->name, t->log_n, 1e3 * r.prove_s, 1e3 * base,
	       r.prove_s / base, 1e3 * r.verify_s, r.proof_len);
	printf("%-28s %-8s 2^%-2u  CPU: prove %8.3f ms  LDE+commit %8.3f ms  "
	       "ratio %5.2f\n",
	       "", p->name, t->log_n, 1e3 * r.prove_cpu_s, 1e3 * base_cpu,
	       base_cpu > 0 ? r.prove_cpu_s / base_cpu : 0.0);
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

static int p2_trace(struct trace *t, struct zk_air_p2chain *air,
		    unsigned log_n, double *gen_s)
{
	const zk_gl d_in[ZK_P2_DIGEST_ELEMS] = { 1, 2, 3, 4 };
	zk_gl d_out[ZK_P2_DIGEST_ELEMS];
	double t0;

	if (trace_alloc(t, ZK_P2CHAIN_WIDTH, log_n) != 0)
		return -1;
	t0 = now();
	if (zk_air_p2chain_trace(d_in, log_n, t->cols, n_threads, d_out) != 0)
		return -1;
	*gen_s = now() - t0;
	zk_air_p2chain_init(air, d_in, d_out);
	return 0;
}

static int range_trace(struct trace *t, struct zk_air_range *air,
		       unsigned log_n)
{
	size_t n = (size_t)1 << log_n, i;
	zk_gl *v = malloc(n * sizeof(*v));
	uint64_t x = 0x9e3779b97f4a7c15ull;

	if (v == NULL || trace_alloc(t, ZK_RANGE_WIDTH, log_n) != 0) {
		free(v);
		return -1;
	}
	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		v[i] = x & 0xffff;
	}
	if (zk_air_range_trace(v, log_n, t->cols) != 0) {
		free(v);
		return -1;
	}
	zk_air_range_init(air, v[0], v[n - 1]);
	free(v);
	return 0;
}

/* (b): native permutations per second on one core, the baseline */
static double native_perm_rate(void)
{
	zk_gl s[ZK_P2_WIDTH12] = { 1, 2, 3, 4 };
	unsigned long k, reps = 200000;
	double t0 = now(), dt;

	for (k = 0; k < reps; k++)
		zk_poseidon2_w12(s);
	dt = now() - t0;
	if (s[0] == 0x12345) /* keep the loop observable */
		printf(" ");
	return (double)reps / dt;
}

static void bench_p2_rate(unsigned log_n, uint8_t set)
{
	const struct zk_stark_params *p = zk_stark_params_by_id(set);
	struct zk_air_p2chain air;
	struct trace t = { 0 };
	double gen_s = 0, native = native_perm_rate(), perms, proven, with_gen;
	double cpu_rate;
	struct run r;

	if (p2_trace(&t, &air, log_n, &gen_s) != 0) {
		printf("(b) p2chain 2^%u: out of memory\n", log_n);
		trace_release(&t);
		return;
	}
	r = best_of(&air.air, p, &t, b_reps);
	perms = (double)zk_air_p2chain_perms(log_n);
	if (r.ok) {
		proven = perms / r.prove_s;
		with_gen = perms / (r.prove_s + gen_s);
		cpu_rate = perms / (r.prove_cpu_s / n_threads);
		printf("(b) Poseidon2-w12 chain, %s (%.1f conjectured bits), 2^%u "
		       "rows, %u threads, %u cells/perm:\n"
		       "    proven %.0f perm/s (prove only), %.0f perm/s "
		       "(trace + prove); native 1 core %.0f perm/s; "
		       "proven/native %.4f\n"
		       "    CPU: prove %.1f ms of CPU, %.0f perm/s per %u "
		       "threads' CPU time (%.1f proven bits)\n",
		       p->name, zk_stark_conjectured_bits(p, log_n, air.air.max_degree),
		       log_n, n_threads, ZK_P2CHAIN_WIDTH, proven, with_gen,
		       native, proven / native, 1e3 * r.prove_cpu_s, cpu_rate,
		       n_threads, zk_stark_proven_bits(p, log_n, air.air.max_degree));
	} else {
		printf("(b) p2chain 2^%u: FAILED\n", log_n);
	}
	trace_release(&t);
}

/* (c): one size in a child, so that the peak is this size's alone */
struct mem_report {
	struct run r;
	double lde_s;
	long rss_start_kb, rss_peak_kb;
	int from_hwm; /* 1: VmHWM after clear_refs, 0: ru_maxrss */
};

static void child_range(unsigned log_n, const struct zk_stark_params *p,
			int fd)
{
	struct mem_report m = { 0 };
	struct zk_air_range air;
	struct trace t = { 0 };
	struct rusage ru;

	/* hand back what the parent freed, or reusing it looks free */
	malloc_trim(0);
	m.from_hwm = reset_peak_rss() == 0 && status_kb("VmRSS") >= 0;
	getrusage(RUSAGE_SELF, &ru);
	m.rss_start_kb = m.from_hwm ? status_kb("VmRSS") : ru.ru_maxrss;
	if (range_trace(&t, &air, log_n) == 0) {
		m.r = prove_verify(&air.air, p, &t);
		getrusage(RUSAGE_SELF, &ru);
		m.rss_peak_kb = m.from_hwm ? status_kb("VmHWM") : ru.ru_maxrss;
		m.lde_s = lde_commit_time(&t, p);
	}
	trace_release(&t);
	if (write(fd, &m, sizeof(m)) != (ssize_t)sizeof(m))
		_exit(1);
	_exit(0);
}

static void bench_range_size(unsigned log_n, const struct zk_stark_params *p)
{
	struct mem_report m;
	int fds[2], status;
	double cells;
	pid_t pid;

	if (pipe(fds) != 0)
		return;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		child_range(log_n, p, fds[1]);
	}
	close(fds[1]);
	if (pid < 0 || read(fds[0], &m, sizeof(m)) != (ssize_t)sizeof(m) ||
	    !m.r.ok) {
		printf("(c) range    %-8s 2^%-2u  FAILED\n", p->name, log_n);
		close(fds[0]);
		if (pid > 0)
			waitpid(pid, &status, 0);
		return;
	}
	close(fds[0]);
	waitpid(pid, &status, 0);
	cells = (double)((size_t)1 << log_n) * ZK_RANGE_WIDTH;
	printf("(c) range %s %-8s 2^%-2u  prove %9.1f ms (%5.2f × LDE+commit)  "
	       "CPU %9.1f ms  verify %6.2f ms  proof %7zu B  peak %7.1f B/cell "
	       "(%5.1f × the trace, %s)\n",
	       streaming ? "stream" : "stored", p->name, log_n,
	       1e3 * m.r.prove_s,
	       m.lde_s > 0 ? m.r.prove_s / m.lde_s : 0.0, 1e3 * m.r.prove_cpu_s,
	       1e3 * m.r.verify_s,
	       m.r.proof_len,
	       1024.0 * (double)(m.rss_peak_kb - m.rss_start_kb) / cells,
	       1024.0 * (double)(m.rss_peak_kb - m.rss_start_kb) /
		       (cells * sizeof(zk_gl)),
	       m.from_hwm ? "VmHWM" : "ru_maxrss");
}

/*
 * (e): the k-value range AIR (air_range_k.h), the production shape of a
 * LogUp range check. Each size in a child like (c); best of two proofs and
 * two baselines (wall and CPU separately), peak memory from the first.
 */
struct range_k_shape {
	unsigned k, g;
};

static int range_k_trace(struct trace *t, struct zk_air_range_k *air,
			 unsigned k, unsigned g, unsigned log_n)
{
	size_t n = (size_t)1 << log_n;
	uint64_t x = 0x9e3779b97f4a7c15ull;

	if (trace_alloc(t, ZK_RANGEK_WIDTH(k), log_n) != 0)
		return -1;
	for (unsigned c = 0; c < k; c++)
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			t->cols[c][i] = x & 0xffff;
		}
	if (zk_air_range_k_fill(k, log_n, t->cols) != 0)
		return -1;
	return zk_air_range_k_init(air, k, g, t->cols[0][n - 1],
				   t->cols[k - 1][n - 1]);
}

struct range_k_report {
	struct mem_report m;
	double lde_cpu_s;
};

static void child_range_k(const struct range_k_shape *sh, unsigned log_n,
			  const struct zk_stark_params *p, int fd)
{
	struct range_k_report rep = { 0 };
	struct mem_report *m = &rep.m;
	struct zk_air_range_k air;
	struct trace t = { 0 };
	struct rusage ru;

	malloc_trim(0);
	m->from_hwm = reset_peak_rss() == 0 && status_kb("VmRSS") >= 0;
	getrusage(RUSAGE_SELF, &ru);
	m->rss_start_kb = m->from_hwm ? status_kb("VmRSS") : ru.ru_maxrss;
	if (range_k_trace(&t, &air, sh->k, sh->g, log_n) == 0) {
		m->r = prove_verify(&air.air, p, &t);
		getrusage(RUSAGE_SELF, &ru);
		m->rss_peak_kb = m->from_hwm ? status_kb("VmHWM") : ru.ru_maxrss;
		if (m->r.ok) {
			struct run again = prove_verify(&air.air, p, &t);

			if (again.ok && again.prove_s < m->r.prove_s)
				m->r.prove_s = again.prove_s;
			if (again.ok && again.prove_cpu_s < m->r.prove_cpu_s)
				m->r.prove_cpu_s = again.prove_cpu_s;
			if (again.ok && again.verify_s < m->r.verify_s)
				m->r.verify_s = again.verify_s;
		}
		m->lde_s = best_lde(&t, p, 2, &rep.lde_cpu_s);
	}
	trace_release(&t);
	if (write(fd, &rep, sizeof(rep)) != (ssize_t)sizeof(rep))
		_exit(1);
	_exit(0);
}

static void bench_range_k_size(const struct range_k_shape *sh,
			       unsigned log_n, const struct zk_stark_params *p)
{
	struct range_k_report rep;
	const struct mem_report *m = &rep.m;
	int fds[2], status;
	double cells;
	pid_t pid;

	if (pipe(fds) != 0)
		return;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		child_range_k(sh, log_n, p, fds[1]);
	}
	close(fds[1]);
	if (pid < 0 || read(fds[0], &rep, sizeof(rep)) != (ssize_t)sizeof(rep) ||
	    !m->r.ok || m->lde_s <= 0 || rep.lde_cpu_s <= 0) {
		printf("(e) range k=%-2u g=%u %s %-8s 2^%-2u  FAILED\n", sh->k,
		       sh->g, streaming ? "stream" : "stored", p->name, log_n);
		close(fds[0]);
		if (pid > 0)
			waitpid(pid, &status, 0);
		return;
	}
	close(fds[0]);
	waitpid(pid, &status, 0);
	cells = (double)((size_t)1 << log_n) * ZK_RANGEK_WIDTH(sh->k);
	printf("(e) range k=%-2u g=%u %s %-8s 2^%-2u  floor %4.2f  prove %8.1f ms "
	       "ratio %5.2f  CPU %8.1f ms ratio %5.2f  verify %5.2f ms  "
	       "proof %7zu B  peak %6.1f B/cell\n",
	       sh->k, sh->g, streaming ? "stream" : "stored", p->name, log_n,
	       zk_air_range_k_floor(sh->k, sh->g), 1e3 * m->r.prove_s,
	       m->r.prove_s / m->lde_s, 1e3 * m->r.prove_cpu_s,
	       m->r.prove_cpu_s / rep.lde_cpu_s, 1e3 * m->r.verify_s,
	       m->r.proof_len,
	       1024.0 * (double)(m->rss_peak_kb - m->rss_start_kb) / cells);
}

/* --range-k: one shape at sizes one_lo..one_hi in the one_modes */
static struct range_k_shape one_shape;
static unsigned one_lo = ZK_AIR_RANGEK_MIN_LOG_N, one_hi = 18;
static int one_modes = 3;

static void bench_range_k_shapes(int full, const struct zk_stark_params *fast);

/*
 * The shapes side by side at 2^16, then the chosen one over the sizes,
 * stored and streaming (or --range-k's shape alone).
 */
static void bench_range_k(int full, const struct zk_stark_params *fast)
{
	if (one_shape.k != 0) {
		for (int mode = 0; mode < 2; mode++) {
			streaming = mode;
			for (unsigned log_n = one_lo; log_n <= one_hi &&
			     (one_modes >> mode & 1); log_n++)
				bench_range_k_size(&one_shape, log_n, fast);
		}
		streaming = 0;
		return;
	}
	bench_range_k_shapes(full, fast);
}

static void bench_range_k_shapes(int full, const struct zk_stark_params *fast)
{
	static const struct range_k_shape shapes[] = {
		{ 16, 2 }, { 16, 3 }, { 16, 4 }, { 32, 2 }, { 32, 3 }, { 32, 4 },
		{ 64, 4 },
	};
	static const struct range_k_shape chosen = { 64, 4 };
	unsigned log_n, log_hi = full ? 20 : 18;

	printf("(e) k-value LogUp range AIR, %s: floor = (main + 3·aux + "
	       "3·chunks) ÷ main; ratios are prove ÷ (LDE + commit of the "
	       "main trace), wall and CPU\n", fast->name);
	for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++)
		bench_range_k_size(&shapes[s], ZK_AIR_RANGEK_MIN_LOG_N, fast);
	for (log_n = ZK_AIR_RANGEK_MIN_LOG_N + 1; log_n <= log_hi; log_n++)
		bench_range_k_size(&chosen, log_n, fast);
	streaming = 1;
	for (log_n = ZK_AIR_RANGEK_MIN_LOG_N; log_n <= log_hi; log_n++)
		bench_range_k_size(&chosen, log_n, fast);
	streaming = 0;
}

int main(int argc, char **argv)
{
	const struct zk_stark_params *sets[2] = {
		zk_stark_params_by_id(ZK_PARAMS_FAST),
		zk_stark_params_by_id(ZK_PARAMS_COMPACT),
	};
	unsigned log_p2 = 12, log_lo = ZK_AIR_RANGE_MIN_LOG_N, log_hi = 0;
	unsigned log_n, s;
	int modes = 3, set_mask = 3;
	struct zk_air_fib fib;
	struct zk_air_p2chain p2;
	struct trace t = { 0 };
	double gen_s;
	const char *part = "abcde", *b_set = NULL;
	int full = 0, i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--full") == 0) {
			full = 1;
		} else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
			n_threads = (unsigned)atoi(argv[++i]);
		} else if (strcmp(argv[i], "--log-p2") == 0 && i + 1 < argc) {
			log_p2 = (unsigned)atoi(argv[++i]);
		} else if (strcmp(argv[i], "--part") == 0 && i + 1 < argc) {
			part = argv[++i];
		} else if (strcmp(argv[i], "--sizes") == 0 && i + 2 < argc) {
			log_lo = (unsigned)atoi(argv[++i]);
			log_hi = (unsigned)atoi(argv[++i]);
		} else if (strcmp(argv[i], "--mode") == 0 && i + 1 < argc) {
			i++;
			modes = strcmp(argv[i], "stored") == 0 ? 1 :
				strcmp(argv[i], "stream") == 0 ? 2 : 3;
		} else if (strcmp(argv[i], "--range-k") == 0 && i + 2 < argc) {
			one_shape.k = (unsigned)atoi(argv[++i]);
			one_shape.g = (unsigned)atoi(argv[++i]);
		} else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) {
			b_reps = (unsigned)atoi(argv[++i]);
		} else if (strcmp(argv[i], "--set") == 0 && i + 1 < argc) {
			i++;
			set_mask = strcmp(argv[i], "fast") == 0 ? 1 :
				   strcmp(argv[i], "compact") == 0 ? 2 : 3;
			if (strcmp(argv[i], "fast") == 0 ||
			    strcmp(argv[i], "throughput") == 0)
				b_set = argv[i];
		} else {
			fprintf(stderr, "usage: %s [--full] [--threads N] "
				"[--log-p2 K] [--part abcde] [--sizes LO HI] "
				"[--mode stored|stream|both] [--reps N] "
				"[--set fast|compact|throughput|both] "
				"[--range-k K G]\n", argv[0]);
			return 2;
		}
	}
	if (one_shape.k != 0) {
		if (log_hi != 0) {
			one_lo = log_lo < ZK_AIR_RANGEK_MIN_LOG_N ?
					 ZK_AIR_RANGEK_MIN_LOG_N : log_lo;
			one_hi = log_hi;
		}
		one_modes = modes;
		if (one_shape.k < 1 || one_shape.k > ZK_AIR_RANGEK_MAX_VALUES ||
		    one_shape.g < ZK_AIR_RANGEK_MIN_GROUP ||
		    one_shape.g > ZK_LOGUP_MAX_GROUP) {
			fprintf(stderr, "bench_stark: bad --range-k shape\n");
			return 2;
		}
	}
	if (log_hi == 0)
		log_hi = full ? 20 : 17;
	if (sets[0] == NULL || sets[1] == NULL || log_p2 < 3 || log_p2 > 20 ||
	    log_lo < ZK_AIR_RANGE_MIN_LOG_N || log_hi > 24 || b_reps < 1) {
		fprintf(stderr, "bench_stark: bad parameters\n");
		return 2;
	}
	printf("bench_stark: %u threads, %s run\n", n_threads,
	       full ? "full" : "short");

	if (strchr(part, 'a') != NULL)
		printf("(a) prove ÷ (LDE + Merkle commit of the main trace once)\n");
	for (s = 0; s < 2 && strchr(part, 'a') != NULL; s++) {
		if (fib_trace(&t, &fib, 16) == 0)
			report_ratio("(a) fibonacci", &fib.air, sets[s], &t, 3);
		trace_release(&t);
		if (p2_trace(&t, &p2, 10, &gen_s) == 0)
			report_ratio("(a) p2chain", &p2.air, sets[s], &t, 3);
		trace_release(&t);
	}

	if (strchr(part, 'b') != NULL) {
		if (b_set == NULL || strcmp(b_set, "fast") == 0)
			bench_p2_rate(log_p2, ZK_PARAMS_FAST);
		if (b_set == NULL || strcmp(b_set, "throughput") == 0)
			bench_p2_rate(log_p2, ZK_PARAMS_THROUGHPUT);
	}

	for (log_n = log_lo; log_n <= log_hi && strchr(part, 'c') != NULL;
	     log_n++)
		for (s = 0; s < 2; s++)
			for (streaming = 0; streaming < 2; streaming++)
				if ((set_mask >> s & 1) && (modes >> streaming & 1))
					bench_range_size(log_n, sets[s]);
	streaming = 0;

	if (strchr(part, 'e') != NULL)
		bench_range_k(full, sets[0]);

	for (s = 0; s < 2 && strchr(part, 'd') != NULL; s++) {
		if (fib_trace(&t, &fib, full ? 20 : 18) == 0)
			report_ratio("(d) fibonacci", &fib.air, sets[s], &t, 1);
		trace_release(&t);
	}
	return 0;
}
