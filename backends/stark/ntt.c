/* SPDX-License-Identifier: MIT */
/*
 * Radix-2 NTTs: decimation in frequency (natural -> bit-reversed) for the
 * forward direction and decimation in time (bit-reversed -> natural) for
 * the inverse, so neither needs a permutation pass. Both use the forward
 * twiddles: the inverse DFT is the forward DFT read at -i, which costs an
 * index reversal folded into the 1/n scaling and halves the twiddle memory.
 *
 * Stages whose butterfly span exceeds CACHE_LOG elements sweep the whole
 * array; the rest run block by block so a block stays in L2 for all of its
 * remaining stages.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "ntt.h"
#include "ntt_internal.h"

#define CACHE_LOG ZK_NTT_CACHE_LOG
#define TW_CHUNK ((size_t)1 << ZK_NTT_TW_CHUNK_LOG)
#define MIN_SPLIT_LOG 6    /* never split a transform below 64 elements */
#define SMALL_WORK (1u << 13) /* below this many elements: caller only */
#define MAX_THREADS 64
/*
 * A coset transform's powers start·r^i are made POW_CHUNK at a time from
 * a table of the first POW_CHUNK and one r^(chunk start) each: a table
 * of n elements held through the transform was 2 B per main cell at the
 * streaming prover's peak.
 */
#define POW_CHUNK_LOG 10
#define POW_CHUNK ((size_t)1 << POW_CHUNK_LOG)

/* ---- one transform on one thread ---- */

struct kernels {
	const struct zk_gl_vec_ops *ops;
	const zk_gl *tw[ZK_NTT_MAX_LOG_N];
	const zk_gl *tw3[ZK_NTT_MAX_LOG_N];
};

/*
 * DIF stages of spans 2^(s-1) down to 16 on one block of len: two at a
 * time where the path has a radix-4 pass (a quarter fewer general
 * products, half the loads and stores), else one by one.
 */
static void dif_upper(const struct kernels *kn, zk_gl *a, size_t len,
		      unsigned int s)
{
	while (s > 4) {
		if (s >= 6 && kn->ops->dif_radix4 != NULL) {
			size_t m = (size_t)1 << (s - 2);

			for (size_t blk = 0; blk < len; blk += 4 * m)
				kn->ops->dif_radix4(a + blk, m, kn->tw[s - 1],
						    kn->tw[s - 2],
						    kn->tw3[s - 1]);
			s -= 2;
			continue;
		}
		size_t m = (size_t)1 << --s;

		for (size_t blk = 0; blk < len; blk += 2 * m)
			kn->ops->dif_butterfly(a + blk, a + blk + m, kn->tw[s],
					       m);
	}
}

/* DIT stages of spans 16 up to 2^(log_len-1), the same way. */
static void dit_upper(const struct kernels *kn, zk_gl *a, size_t len,
		      unsigned int log_len)
{
	unsigned int k = 4;

	while (k < log_len) {
		size_t m = (size_t)1 << k;

		if (k + 2 <= log_len && kn->ops->dit_radix4 != NULL) {
			for (size_t blk = 0; blk < len; blk += 4 * m)
				kn->ops->dit_radix4(a + blk, m, kn->tw[k + 1],
						    kn->tw[k], kn->tw3[k + 1]);
			k += 2;
			continue;
		}
		for (size_t blk = 0; blk < len; blk += 2 * m)
			kn->ops->dit_butterfly(a + blk, a + blk + m, kn->tw[k],
					       m);
		k++;
	}
}

/* All stages of span < 2^log_len on one block; spans 1 and 2 by hand. */
static void dif_small(const struct kernels *kn, zk_gl *a, unsigned int log_len)
{
	size_t len = (size_t)1 << log_len;

	if (log_len >= 4 && kn->ops->dif_last4 != NULL) {
		dif_upper(kn, a, len, log_len);
		kn->ops->dif_last4(a, len, kn->tw[2], kn->tw[3]);
		return;
	}
	for (unsigned int k = log_len; k-- > 2;) {
		size_t m = (size_t)1 << k;

		for (size_t blk = 0; blk < len; blk += 2 * m)
			kn->ops->dif_butterfly(a + blk, a + blk + m, kn->tw[k], m);
	}
	if (log_len >= 2) {
		zk_gl w = kn->tw[1][1];

		for (size_t blk = 0; blk < len; blk += 4) {
			zk_gl u0 = a[blk], u1 = a[blk + 1];
			zk_gl v0 = a[blk + 2], v1 = a[blk + 3];

			a[blk] = zk_gl_add(u0, v0);
			a[blk + 1] = zk_gl_add(u1, v1);
			a[blk + 2] = zk_gl_sub(u0, v0);
			a[blk + 3] = zk_gl_mul(zk_gl_sub(u1, v1), w);
		}
	}
	if (log_len >= 1) {
		for (size_t blk = 0; blk < len; blk += 2) {
			zk_gl u = a[blk], v = a[blk + 1];

			a[blk] = zk_gl_add(u, v);
			a[blk + 1] = zk_gl_sub(u, v);
		}
	}
}

static void dit_small(const struct kernels *kn, zk_gl *a, unsigned int log_len)
{
	size_t len = (size_t)1 << log_len;

	if (log_len >= 4 && kn->ops->dit_first4 != NULL) {
		kn->ops->dit_first4(a, len, kn->tw[2], kn->tw[3]);
		dit_upper(kn, a, len, log_len);
		return;
	}
	if (log_len >= 1) {
		for (size_t blk = 0; blk < len; blk += 2) {
			zk_gl u = a[blk], v = a[blk + 1];

			a[blk] = zk_gl_add(u, v);
			a[blk + 1] = zk_gl_sub(u, v);
		}
	}
	if (log_len >= 2) {
		zk_gl w = kn->tw[1][1];

		for (size_t blk = 0; blk < len; blk += 4) {
			zk_gl u0 = a[blk], u1 = a[blk + 1];
			zk_gl v0 = a[blk + 2], v1 = zk_gl_mul(a[blk + 3], w);

			a[blk] = zk_gl_add(u0, v0);
			a[blk + 1] = zk_gl_add(u1, v1);
			a[blk + 2] = zk_gl_sub(u0, v0);
			a[blk + 3] = zk_gl_sub(u1, v1);
		}
	}
	for (unsigned int k = 2; k < log_len; k++) {
		size_t m = (size_t)1 << k;

		for (size_t blk = 0; blk < len; blk += 2 * m)
			kn->ops->dit_butterfly(a + blk, a + blk + m, kn->tw[k], m);
	}
}

/*
 * Butterflies j..j+cnt-1 of the stage of span 2^k, pairs (x[i], y[i]):
 * a span of 2^CACHE_LOG or more has only its first TW_CHUNK twiddles
 * cached, and w^(j0 + i) = w^j0·w^i is made for each chunk of them.
 */
static void span_butterflies(const struct kernels *kn, zk_gl *x, zk_gl *y,
			     unsigned int k, size_t j, size_t cnt, bool dif)
{
	zk_gl tw[TW_CHUNK];
	zk_gl w = k >= CACHE_LOG ? zk_gl_root_of_unity(k + 1) : 0;

	while (cnt > 0) {
		size_t off = j & (TW_CHUNK - 1);
		size_t m = cnt;
		const zk_gl *t = tw;

		if (k >= CACHE_LOG) {
			m = TW_CHUNK - off < cnt ? TW_CHUNK - off : cnt;
			kn->ops->mul_scalar(tw, kn->tw[k] + off,
					    zk_gl_pow(w, j - off), m);
		} else {
			t = kn->tw[k] + j;
		}
		if (dif)
			kn->ops->dif_butterfly(x, y, t, m);
		else
			kn->ops->dit_butterfly(x, y, t, m);
		x += m;
		y += m;
		j += m;
		cnt -= m;
	}
}

static void dif_block(const struct kernels *kn, zk_gl *a, unsigned int log_len)
{
	size_t len = (size_t)1 << log_len;
	unsigned int k = log_len;

	while (k > CACHE_LOG) {
		size_t m = (size_t)1 << --k;

		for (size_t blk = 0; blk < len; blk += 2 * m)
			span_butterflies(kn, a + blk, a + blk + m, k, 0, m, true);
	}
	for (size_t blk = 0; blk < len; blk += (size_t)1 << k)
		dif_small(kn, a + blk, k);
}

static void dit_block(const struct kernels *kn, zk_gl *a, unsigned int log_len)
{
	size_t len = (size_t)1 << log_len;
	unsigned int k = log_len < CACHE_LOG ? log_len : CACHE_LOG;

	for (size_t blk = 0; blk < len; blk += (size_t)1 << k)
		dit_small(kn, a + blk, k);
	for (; k < log_len; k++) {
		size_t m = (size_t)1 << k;

		for (size_t blk = 0; blk < len; blk += 2 * m)
			span_butterflies(kn, a + blk, a + blk + m, k, 0, m, false);
	}
}

/* Butterflies [lo, hi) of the stage with span 2^k, numbered block-major. */
static void stage_range(const struct kernels *kn, zk_gl *a, unsigned int k,
			size_t lo, size_t hi, bool dif)
{
	size_t m = (size_t)1 << k;

	while (lo < hi) {
		size_t j = lo & (m - 1);
		size_t cnt = m - j < hi - lo ? m - j : hi - lo;
		zk_gl *x = a + (lo >> k) * 2 * m + j;

		span_butterflies(kn, x, x + m, k, j, cnt, dif);
		lo += cnt;
	}
}

/* ---- thread team ---- */

enum ntt_kind { NTT_FORWARD, NTT_INVERSE, NTT_LDE };

struct ntt_job {
	enum ntt_kind kind;
	zk_gl *const *cols;
	const zk_gl *const *src; /* LDE inputs */
	size_t ncols;
	unsigned int log_n;
	unsigned int log_blowup;
	zk_gl scale;             /* used where table is NULL and !coset */
	zk_gl *table;            /* LDE: 2^log_blowup segments of n: start·ratio[b]^i */
	zk_gl table_start;
	bool coset;              /* forward/inverse: scale by start·ratio[0]^i */
	size_t pow_len;          /* min(n, POW_CHUNK) */
	zk_gl pow_base[POW_CHUNK]; /* start·ratio[0]^k for k < pow_len */
	zk_gl ratio[(size_t)1 << ZK_NTT_MAX_LOG_BLOWUP];
	struct kernels kn;

	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool started;
	unsigned int team;
	unsigned int arrived;
	unsigned long generation;
};

struct worker {
	struct ntt_job *job;
	unsigned int rank;
	pthread_t tid;
};

static void team_sync(struct ntt_job *job, unsigned int t)
{
	unsigned long gen;

	if (t <= 1)
		return;
	pthread_mutex_lock(&job->mu);
	gen = job->generation;
	if (++job->arrived == job->team) {
		job->arrived = 0;
		job->generation++;
		pthread_cond_broadcast(&job->cv);
	} else {
		while (gen == job->generation)
			pthread_cond_wait(&job->cv, &job->mu);
	}
	pthread_mutex_unlock(&job->mu);
}

/* This rank's share [*lo, *hi) of `total` items. */
static void share(size_t total, unsigned int rank, unsigned int t, size_t *lo,
		  size_t *hi)
{
	*lo = total * rank / t;
	*hi = total * (rank + 1) / t;
}

/* Power of two <= t that still leaves every part >= 2^MIN_SPLIT_LOG. */
static unsigned int split_log(unsigned int t, unsigned int log_len)
{
	unsigned int s = 0;

	while ((2u << s) <= t && s + 1 + MIN_SPLIT_LOG <= log_len)
		s++;
	return s;
}

static void dif_team(struct ntt_job *job, zk_gl *a, unsigned int log_len,
		     unsigned int rank, unsigned int t)
{
	const struct kernels *kn = &job->kn;
	unsigned int s = split_log(t, log_len);
	unsigned int parts = 1u << s;
	size_t lo, hi;

	if (t <= 1) {
		dif_block(kn, a, log_len);
		return;
	}
	/* the first s stages couple the whole array; after them the 2^s
	 * blocks are independent transforms */
	for (unsigned int i = 0; i < s; i++) {
		if (rank < parts) {
			share((size_t)1 << (log_len - 1), rank, parts, &lo, &hi);
			stage_range(kn, a, log_len - 1 - i, lo, hi, true);
		}
		team_sync(job, t);
	}
	if (rank < parts)
		dif_block(kn, a + ((size_t)rank << (log_len - s)), log_len - s);
	team_sync(job, t);
}

static void dit_team(struct ntt_job *job, zk_gl *a, unsigned int log_len,
		     unsigned int rank, unsigned int t)
{
	const struct kernels *kn = &job->kn;
	unsigned int s = split_log(t, log_len);
	unsigned int parts = 1u << s;
	size_t lo, hi;

	if (t <= 1) {
		dit_block(kn, a, log_len);
		return;
	}
	if (rank < parts)
		dit_block(kn, a + ((size_t)rank << (log_len - s)), log_len - s);
	team_sync(job, t);
	for (unsigned int k = log_len - s; k < log_len; k++) {
		if (rank < parts) {
			share((size_t)1 << (log_len - 1), rank, parts, &lo, &hi);
			stage_range(kn, a, k, lo, hi, false);
		}
		team_sync(job, t);
	}
}

/* dst[m] = start·r^(from + m) for m < cnt, from + cnt <= n (coset jobs) */
static void coset_powers(const struct ntt_job *job, zk_gl *dst, size_t from,
			 size_t cnt)
{
	size_t len = job->pow_len;

	while (cnt) {
		size_t k = from & (len - 1);
		size_t m = len - k < cnt ? len - k : cnt;

		job->kn.ops->mul_scalar(dst, job->pow_base + k,
					zk_gl_pow(job->ratio[0], from - k), m);
		dst += m;
		from += m;
		cnt -= m;
	}
}

/* Coset inverse: reverse_scale with f(i) = start·r^i, a chunk at a time. */
static void reverse_scale_coset(const struct ntt_job *job, zk_gl *a,
				size_t lo, size_t hi)
{
	size_t n = (size_t)1 << job->log_n;
	zk_gl fi[POW_CHUNK], fj[POW_CHUNK];

	if (lo == 0 && lo < hi) {
		a[0] = zk_gl_mul(a[0], job->pow_base[0]); /* pairs with itself */
		lo = 1;
	}
	while (lo < hi) {
		size_t cnt = hi - lo < POW_CHUNK ? hi - lo : POW_CHUNK;

		/* i in [lo, lo + cnt) pairs with j = n - i in (n - lo - cnt, n - lo] */
		coset_powers(job, fi, lo, cnt);
		coset_powers(job, fj, n - lo - cnt + 1, cnt);
		for (size_t m = 0; m < cnt; m++) {
			size_t i = lo + m, j = n - i;
			zk_gl f_i = fi[m], f_j = fj[cnt - 1 - m];

			if (i == j) {
				a[i] = zk_gl_mul(a[i], f_i);
			} else {
				zk_gl t = a[i];

				a[i] = zk_gl_mul(a[j], f_i);
				a[j] = zk_gl_mul(t, f_j);
			}
		}
		lo += cnt;
	}
}

/*
 * a[i] <- a[-i mod n]·f(i) for the pairs (i, n-i) with i in [lo, hi),
 * i <= n/2, where f is the coset's powers or the constant scale.
 */
static void reverse_scale(const struct ntt_job *job, zk_gl *a, size_t lo,
			  size_t hi)
{
	size_t n = (size_t)1 << job->log_n;
	zk_gl s = job->kind == NTT_LDE ? 1 : job->scale;

	if (job->kind != NTT_LDE && job->coset) {
		reverse_scale_coset(job, a, lo, hi);
		return;
	}
	if (s == 1) {
		/* the LDE scales later, with its coset table: a plain swap */
		for (size_t i = lo; i < hi; i++) {
			size_t j = (n - i) & (n - 1);
			zk_gl t = a[i];

			a[i] = a[j];
			a[j] = t;
		}
		return;
	}
	for (size_t i = lo; i < hi; i++) {
		size_t j = (n - i) & (n - 1);

		if (i == j) {
			a[i] = zk_gl_mul(a[i], s);
		} else {
			zk_gl t = a[i];

			a[i] = zk_gl_mul(a[j], s);
			a[j] = zk_gl_mul(t, s);
		}
	}
}

static void fill_table(struct ntt_job *job, size_t lo, size_t hi)
{
	unsigned int log_n = job->log_n;
	size_t n = (size_t)1 << log_n;

	while (lo < hi) {
		size_t b = lo >> log_n, i = lo & (n - 1);
		size_t end = (b + 1) << log_n < hi ? (b + 1) << log_n : hi;
		zk_gl r = job->ratio[b];
		zk_gl v = zk_gl_mul(job->table_start, zk_gl_pow(r, i));

		for (; lo < end; lo++) {
			job->table[lo] = v;
			v = zk_gl_mul(v, r);
		}
	}
}

/* Every step of one column; with t > 1 all ranks run it together. */
static void run_column(struct ntt_job *job, size_t c, unsigned int rank,
		       unsigned int t)
{
	const struct zk_gl_vec_ops *ops = job->kn.ops;
	unsigned int log_n = job->log_n;
	size_t n = (size_t)1 << log_n;
	size_t nb = (size_t)1 << job->log_blowup;
	zk_gl *a = job->cols[c];
	size_t lo, hi;

	switch (job->kind) {
	case NTT_FORWARD:
		if (job->coset) {
			zk_gl f[POW_CHUNK];

			share(n, rank, t, &lo, &hi);
			for (size_t x = lo; x < hi;) {
				size_t cnt = hi - x < POW_CHUNK ? hi - x : POW_CHUNK;

				coset_powers(job, f, x, cnt);
				ops->mul(a + x, a + x, f, cnt);
				x += cnt;
			}
			team_sync(job, t);
		}
		dif_team(job, a, log_n, rank, t);
		break;
	case NTT_INVERSE:
		dit_team(job, a, log_n, rank, t);
		share(n / 2 + 1, rank, t, &lo, &hi);
		reverse_scale(job, a, lo, hi > n ? n : hi);
		team_sync(job, t);
		break;
	case NTT_LDE:
		/* coefficients of the trace column, times 1/n, in a[0..n) */
		share(zk_ntt_bitrev_items(log_n), rank, t, &lo, &hi);
		zk_ntt_bitrev_copy(a, job->src[c], log_n, lo, hi);
		team_sync(job, t);
		dit_team(job, a, log_n, rank, t);
		share(n / 2 + 1, rank, t, &lo, &hi);
		reverse_scale(job, a, lo, hi > n ? n : hi);
		team_sync(job, t);
		/*
		 * Block b of the bit-reversed output is the size-n DIF of
		 * coef_i·(shift·w_N^bitrev(b))^i: the first log_blowup DIF
		 * stages of the zero-padded size-N transform, done as one
		 * product per element. Block 0 overwrites the coefficients, so
		 * it goes last.
		 */
		share(n * (nb - 1), rank, t, &lo, &hi);
		for (size_t x = n + lo; x < n + hi;) {
			size_t i = x & (n - 1);
			size_t cnt = n - i < n + hi - x ? n - i : n + hi - x;

			ops->mul(a + x, a + i, job->table + x, cnt);
			x += cnt;
		}
		team_sync(job, t);
		share(n, rank, t, &lo, &hi);
		ops->mul(a + lo, a + lo, job->table + lo, hi - lo);
		team_sync(job, t);
		if (nb >= t) {
			for (size_t b = rank; b < nb; b += t)
				dif_block(&job->kn, a + b * n, log_n);
			team_sync(job, t);
		} else {
			for (size_t b = 0; b < nb; b++)
				dif_team(job, a + b * n, log_n, rank, t);
		}
		break;
	}
}

static void run_rank(struct ntt_job *job, unsigned int rank)
{
	unsigned int t = job->team;
	size_t full = job->ncols - job->ncols % t;
	size_t lo, hi;

	if (job->table) {
		share((size_t)1 << (job->log_n + job->log_blowup), rank, t,
		      &lo, &hi);
		fill_table(job, lo, hi);
		team_sync(job, t);
	}
	for (size_t c = rank; c < full; c += t)
		run_column(job, c, 0, 1);
	for (size_t c = full; c < job->ncols; c++)
		run_column(job, c, rank, t);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct ntt_job *job = w->job;

	pthread_mutex_lock(&job->mu);
	while (!job->started)
		pthread_cond_wait(&job->cv, &job->mu);
	pthread_mutex_unlock(&job->mu);
	run_rank(job, w->rank);
	return NULL;
}

static int run_job(struct ntt_job *job, unsigned int threads)
{
	size_t work = job->ncols << (job->log_n + job->log_blowup);
	struct worker workers[MAX_THREADS];
	unsigned int created = 0;
	int rc;

	job->kn.ops = zk_gl_vec_ops_default();
	rc = zk_ntt_twiddles(job->log_n, job->kn.ops, job->kn.tw, job->kn.tw3);
	if (rc)
		return rc;
	if (threads == 0 || work < SMALL_WORK)
		threads = 1;
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	if (pthread_mutex_init(&job->mu, NULL))
		return -ENOMEM;
	if (pthread_cond_init(&job->cv, NULL)) {
		pthread_mutex_destroy(&job->mu);
		return -ENOMEM;
	}
	job->started = false;
	job->arrived = 0;
	job->generation = 0;
	for (unsigned int r = 1; r < threads; r++) {
		workers[created].job = job;
		workers[created].rank = r;
		if (pthread_create(&workers[created].tid, NULL, worker_main,
				   &workers[created]))
			break; /* run on the threads we got */
		created++;
	}
	pthread_mutex_lock(&job->mu);
	job->team = created + 1;
	job->started = true;
	pthread_cond_broadcast(&job->cv);
	pthread_mutex_unlock(&job->mu);

	run_rank(job, 0);
	for (unsigned int i = 0; i < created; i++)
		pthread_join(workers[i].tid, NULL);
	pthread_cond_destroy(&job->cv);
	pthread_mutex_destroy(&job->mu);
	return 0;
}

/* Branch-free so it vectorises: a few percent of one transform. */
static bool all_canonical(const zk_gl *col, size_t n)
{
	uint64_t bad = 0;

	for (size_t i = 0; i < n; i++)
		bad |= col[i] >= ZK_GL_P;
	return !bad;
}

/* Columns present and holding only canonical elements. */
static bool inputs_ok(const zk_gl *const *cols, size_t ncols,
		      unsigned int log_n)
{
	if (ncols && !cols)
		return false;
	for (size_t c = 0; c < ncols; c++)
		if (!cols[c] || !all_canonical(cols[c], (size_t)1 << log_n))
			return false;
	return true;
}

static bool outputs_ok(zk_gl *const *cols, size_t ncols)
{
	if (ncols && !cols)
		return false;
	for (size_t c = 0; c < ncols; c++)
		if (!cols[c])
			return false;
	return true;
}

/* Allocate the job's power table: 2^log_blowup segments of n. */
static int alloc_table(struct ntt_job *job)
{
	size_t len = (size_t)1 << (job->log_n + job->log_blowup);

	job->table = aligned_alloc(64, len * sizeof(zk_gl) < 64 ?
					       64 : len * sizeof(zk_gl));
	return job->table ? 0 : -ENOMEM;
}

static int transform(zk_gl *const *cols, size_t ncols, unsigned int log_n,
		     zk_gl shift, unsigned int threads, enum ntt_kind kind,
		     bool check)
{
	struct ntt_job job = { .kind = kind, .cols = cols, .ncols = ncols,
			       .log_n = log_n, .scale = 1 };
	zk_gl inv_n = ZK_GL_P - ((ZK_GL_P - 1) >> log_n); /* n | p - 1 */

	if (log_n > ZK_NTT_MAX_LOG_N || !zk_gl_is_canonical(shift) ||
	    shift == 0 || (check && !inputs_ok((const zk_gl *const *)cols,
						ncols, log_n)) ||
	    (!check && ncols && !cols))
		return -EINVAL;
	if (ncols == 0)
		return 0;
	if (kind == NTT_INVERSE)
		job.scale = inv_n;
	if (shift != 1) {
		zk_gl v = kind == NTT_INVERSE ? inv_n : 1;

		if (kind == NTT_INVERSE) {
			if (!zk_gl_inv(shift, &job.ratio[0]))
				return -EINVAL;
		} else {
			job.ratio[0] = shift;
		}
		job.coset = true;
		job.pow_len = log_n < POW_CHUNK_LOG ? (size_t)1 << log_n :
						      POW_CHUNK;
		for (size_t k = 0; k < job.pow_len; k++) {
			job.pow_base[k] = v;
			v = zk_gl_mul(v, job.ratio[0]);
		}
	}
	return run_job(&job, threads);
}

int zk_ntt_forward(zk_gl *const *cols, size_t ncols, unsigned int log_n,
		   unsigned int threads)
{
	return transform(cols, ncols, log_n, 1, threads, NTT_FORWARD, true);
}

int zk_ntt_inverse(zk_gl *const *cols, size_t ncols, unsigned int log_n,
		   unsigned int threads)
{
	return transform(cols, ncols, log_n, 1, threads, NTT_INVERSE, true);
}

int zk_ntt_coset_forward(zk_gl *const *cols, size_t ncols, unsigned int log_n,
			 zk_gl shift, unsigned int threads)
{
	return transform(cols, ncols, log_n, shift, threads, NTT_FORWARD, true);
}

int zk_ntt_coset_forward_trusted(zk_gl *const *cols, size_t ncols,
				 unsigned int log_n, zk_gl shift,
				 unsigned int threads)
{
	return transform(cols, ncols, log_n, shift, threads, NTT_FORWARD, false);
}

int zk_ntt_coset_inverse(zk_gl *const *cols, size_t ncols, unsigned int log_n,
			 zk_gl shift, unsigned int threads)
{
	return transform(cols, ncols, log_n, shift, threads, NTT_INVERSE, true);
}

int zk_ntt_lde(zk_gl *const *out, const zk_gl *const *in, size_t ncols,
	       unsigned int log_n, unsigned int log_blowup, zk_gl shift,
	       unsigned int threads)
{
	struct ntt_job job = { .kind = NTT_LDE, .cols = out, .src = in,
			       .ncols = ncols, .log_n = log_n,
			       .log_blowup = log_blowup, .scale = 1 };
	unsigned int log_big = log_n + log_blowup;
	zk_gl w_big;
	int rc;

	if (log_n > ZK_NTT_MAX_LOG_N || log_blowup > ZK_NTT_MAX_LOG_BLOWUP ||
	    log_big > ZK_GL_TWO_ADICITY || !zk_gl_is_canonical(shift) ||
	    shift == 0 || !outputs_ok(out, ncols) ||
	    !inputs_ok(in, ncols, log_n))
		return -EINVAL;
	if (ncols == 0)
		return 0;
	w_big = zk_gl_root_of_unity(log_big);
	job.table_start = ZK_GL_P - ((ZK_GL_P - 1) >> log_n); /* 1/n */
	for (size_t b = 0; b < ((size_t)1 << log_blowup); b++)
		job.ratio[b] = zk_gl_mul(shift,
					 zk_gl_pow(w_big, zk_ntt_bitrev(b, log_blowup)));
	rc = alloc_table(&job);
	if (rc)
		return rc;
	rc = run_job(&job, threads);
	free(job.table);
	return rc;
}
