/* SPDX-License-Identifier: MIT */
/*
 * FRI commit and query (fri.h); the verifier is fri_verify.c and the
 * canonical encoding fri_codec.c; the schedule and the coset fold are shared through
 * fri_internal.h so that the prover and the verifier fold with one code.
 *
 * Layer schedule (zk_fri_next_fold): with degree bound 2^d (d =
 * log_degree at layer 0), while d > final_log_max the layer folds by 2^f:
 * the r = d - final_log_max halvings left are spread over the fewest
 * layers that can take them, L = ceil(r / log_folding), as evenly as
 * possible, the larger folds first: f = ceil(r / L); but with L >= 3 the
 * first layer folds by 2^log_folding (format 5: 4, 3, 2 rather than 3,
 * 3, 3 for compact at 2^17 rows, halving layer 1, the streaming
 * prover's largest held array; no other r changes for log_folding <= 4,
 * as ceil(r / L) < log_folding with L >= 3 needs r = 9, log_folding 4).
 * The last layer lands
 * exactly on 2^final_log_max (or the input already is below it and there
 * are no layers). Up to format 3 f was min(log_folding, r), which could
 * leave a last fold by 2 whose coset and Merkle path cost more than the
 * balanced split (3, 2 instead of 4, 1). The final polynomial has exactly
 * 2^d_final coefficients, which keeps its encoding unique.
 *
 * Folding by 2^f with β equals f successive 2-to-1 folds with β, β^2, β^4...
 * (write F(x) = Σ_r x^r G_r(x^(2^f)); each 2-fold keeps the even/odd split
 * and the composed result is Σ_r β^r G_r). In bit-reversed order the two
 * points of each 2-fold are adjacent (x, -x), so a coset's 2^f values fold
 * in place, pairwise, f times:
 *   fold2(a = F(x), b = F(-x)) = (a + b)/2 + β·(a - b)/(2x).
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fri.h"
#include "fri_internal.h"
#include "ntt.h"
#include "stark.h"

#define INV_TWO 0x7FFFFFFF80000001ull /* (p + 1) / 2 */
#define MAX_WORKERS 64
#define MIN_ITEMS_PER_WORKER 1024

/* ---- schedule and the shared fold ---- */

unsigned zk_fri_next_fold(unsigned log_degree, unsigned final_log_max,
			  unsigned log_folding, bool first)
{
	unsigned left, layers;

	if (log_degree <= final_log_max || log_folding == 0)
		return 0;
	left = log_degree - final_log_max;
	layers = (left + log_folding - 1) / log_folding;
	/* layer 1 is the largest array the streaming prover holds: with
	 * three layers or more it is made by the largest fold, the rest
	 * staying balanced (their count does not change) */
	if (first && layers >= 3)
		return log_folding;
	return (left + layers - 1) / layers;
}

int zk_fri_schedule_make(const struct zk_fri_config *cfg,
			 struct zk_fri_schedule *s)
{
	return zk_fri_schedule_landing(cfg, NULL, 0, s);
}

int zk_fri_schedule_landing(const struct zk_fri_config *cfg,
			    const unsigned *land, uint32_t n_land,
			    struct zk_fri_schedule *s)
{
	unsigned d, m;
	zk_gl shift;

	memset(s, 0, sizeof(*s));
	if (cfg == NULL || cfg->log_folding < 1 ||
	    cfg->log_folding > ZK_FRI_MAX_LOG_FOLDING ||
	    cfg->log_domain > ZK_FRI_MAX_LOG_DOMAIN ||
	    cfg->log_degree >= cfg->log_domain ||
	    cfg->final_log_max > ZK_FRI_MAX_FINAL_LOG ||
	    !zk_gl_is_canonical(cfg->shift) || cfg->shift == 0 ||
	    !zk_hash_id_valid((uint32_t)cfg->hash))
		return ZK_STARK_EINVAL;
	d = cfg->log_degree;
	m = cfg->log_domain;
	shift = cfg->shift;
	while (d > cfg->final_log_max) {
		unsigned f = zk_fri_next_fold(d, cfg->final_log_max,
					      cfg->log_folding,
					      s->n_layers == 0);

		/* land on every given degree (a multi-table proof's heights) */
		for (uint32_t i = 0; i < n_land; i++)
			if (land[i] < d && land[i] > d - f)
				f = d - land[i];
		if (s->n_layers == ZK_FRI_MAX_LAYERS)
			return ZK_STARK_EINVAL;
		s->log_folding[s->n_layers] = f;
		s->log_size[s->n_layers] = m;
		s->shift[s->n_layers] = shift;
		s->n_layers++;
		d -= f;
		m -= f;
		shift = zk_gl_pow(shift, (uint64_t)1 << f);
	}
	s->log_size[s->n_layers] = m;
	s->shift[s->n_layers] = shift;
	s->final_log_degree = d;
	/* the prover interpolates the last layer with one coset iNTT */
	if (m > ZK_NTT_MAX_LOG_N)
		return ZK_STARK_EINVAL;
	return ZK_STARK_ACCEPT;
}

static unsigned bitrev_small(unsigned x, unsigned bits)
{
	unsigned r = 0;
	unsigned i;

	for (i = 0; i < bits; i++)
		r |= ((x >> i) & 1u) << (bits - 1 - i);
	return r;
}

zk_gl zk_fri_inverse_root(unsigned log_n)
{
	zk_gl w = zk_gl_root_of_unity(log_n);

	/* w^(n-1) = w^-1 since w has order n */
	return zk_gl_pow(w, ((uint64_t)1 << log_n) - 1);
}

void zk_fri_coset_inv_roots(unsigned log_folding, zk_gl *out)
{
	zk_gl w_inv = zk_fri_inverse_root(log_folding);
	zk_gl acc = 1;
	unsigned t;

	for (t = 0; t < (1u << log_folding) / 2; t++) {
		out[t] = acc;
		acc = zk_gl_mul(acc, w_inv);
	}
}

/*
 * Coset values v[k] = F(x·ω_K^bitrev(k)), K = 2^f; x_inv = x^-1;
 * wk_inv[t] = ω_K^-t for t < K/2. Returns the folded value at x^K.
 */
zk_ext zk_fri_fold_coset(const zk_ext *v, unsigned f, zk_gl x_inv,
			 const zk_gl *wk_inv, zk_ext beta)
{
	zk_ext tmp[1u << ZK_FRI_MAX_LOG_FOLDING];
	unsigned len = 1u << f, level_bits = f, stride = 1, a;

	memcpy(tmp, v, len * sizeof(*v));
	while (len > 1) {
		unsigned half = len / 2;

		for (a = 0; a < half; a++) {
			/* element 2a sits at x·ω_len^bitrev(a, level_bits-1) */
			unsigned e = bitrev_small(a, level_bits - 1) * stride;
			zk_gl half_pinv = zk_gl_mul(zk_gl_mul(x_inv, wk_inv[e]),
						    INV_TWO);
			zk_ext sum = zk_ext_add(tmp[2 * a], tmp[2 * a + 1]);
			zk_ext diff = zk_ext_sub(tmp[2 * a], tmp[2 * a + 1]);

			tmp[a] = zk_ext_add(zk_ext_mul_base(sum, INV_TWO),
					    zk_ext_mul(beta,
						       zk_ext_mul_base(diff,
								       half_pinv)));
		}
		x_inv = zk_gl_sqr(x_inv);
		beta = zk_ext_sqr(beta);
		len = half;
		level_bits--;
		stride *= 2;
	}
	return tmp[0];
}

zk_gl zk_fri_point(zk_gl shift, unsigned log_size, uint64_t pos)
{
	return zk_gl_mul(shift, zk_gl_pow(zk_gl_root_of_unity(log_size),
					  zk_ntt_bitrev(pos, log_size)));
}

zk_ext zk_fri_eval_poly(const zk_ext *coeffs, size_t n, zk_gl x)
{
	zk_ext acc = zk_ext_zero();

	while (n-- > 0)
		acc = zk_ext_add(zk_ext_mul_base(acc, x), coeffs[n]);
	return acc;
}

void zk_fri_absorb_config(struct zk_transcript *t,
			  const struct zk_fri_config *cfg)
{
	const zk_gl header[5] = { cfg->log_domain, cfg->log_degree,
				  cfg->log_folding, cfg->final_log_max,
				  cfg->shift };

	zk_transcript_absorb_gl(t, header, 5);
}

/* ---- threads ---- */


struct range_job {
	zk_fri_range_fn fn;
	void *ctx;
	size_t begin, end;
};

static void *range_job_main(void *arg)
{
	struct range_job *j = arg;

	j->fn(j->ctx, j->begin, j->end);
	return NULL;
}

/* Splits [0, n) over up to `threads` workers, the caller being one. A
 * worker the system refuses runs on the caller: the result is the same. */
void zk_fri_parallel_for(unsigned threads, size_t n, zk_fri_range_fn fn,
			 void *ctx)
{
	struct range_job jobs[MAX_WORKERS];
	pthread_t tids[MAX_WORKERS];
	bool started[MAX_WORKERS];
	unsigned w, n_workers = threads == 0 ? 1 : threads;

	if (n_workers > MAX_WORKERS)
		n_workers = MAX_WORKERS;
	if (n_workers > n / MIN_ITEMS_PER_WORKER)
		n_workers = (unsigned)(n / MIN_ITEMS_PER_WORKER);
	if (n_workers <= 1) {
		fn(ctx, 0, n);
		return;
	}
	for (w = 0; w < n_workers; w++) {
		jobs[w] = (struct range_job){ fn, ctx, n * w / n_workers,
					      n * (w + 1) / n_workers };
		started[w] = w > 0 && pthread_create(&tids[w], NULL,
						     range_job_main,
						     &jobs[w]) == 0;
	}
	range_job_main(&jobs[0]);
	for (w = 1; w < n_workers; w++) {
		if (started[w])
			pthread_join(tids[w], NULL);
		else
			range_job_main(&jobs[w]);
	}
}

/* ---- prover ---- */

struct inv_powers_ctx {
	zk_gl *out;
	zk_gl w_inv;
};

static void inv_powers_range(void *arg, size_t begin, size_t end)
{
	const struct inv_powers_ctx *c = arg;
	zk_gl acc = zk_gl_pow(c->w_inv, begin);
	size_t i;

	for (i = begin; i < end; i++) {
		c->out[i] = acc;
		acc = zk_gl_mul(acc, c->w_inv);
	}
}

/*
 * Coset j of a layer of size M = 2^m folding by 2^f has its base point at
 * shift·ω_M^e, e = bitrev(j, m - f)·N/M. With the table holding
 * ω_N^-bitrev(i, log N - 1) (bit-reversed, i < N/2), that inverse power is
 * at i = j·2^(f-1): every layer reads it in order (a stride of at most 8),
 * where a natural-order table would be read at bit-reversed, cache-missing
 * places.
 */
struct fold_ctx {
	const zk_ext *cur;     /* the cosets from `base` on */
	zk_ext *next;
	size_t base;           /* the first coset's index in the layer */
	const zk_gl *w_inv_br; /* ω_N^-bitrev(i, log N - 1), i < N/2 */
	unsigned f, w_shift;   /* coset j reads w_inv_br[j << w_shift] */
	zk_gl shift_inv;
	zk_gl wk_inv[(1u << ZK_FRI_MAX_LOG_FOLDING) / 2];
	zk_ext beta;
};

static void fold_range(void *arg, size_t begin, size_t end)
{
	const struct fold_ctx *c = arg;
	size_t j;

	for (j = begin; j < end; j++) {
		size_t coset = c->base + j;
		zk_gl x_inv = zk_gl_mul(c->shift_inv,
					c->w_inv_br[coset << c->w_shift]);

		c->next[coset] = zk_fri_fold_coset(c->cur + (j << c->f), c->f,
						   x_inv, c->wk_inv, c->beta);
	}
}

int zk_fri_fold_part(const struct zk_fri_prover *fp, unsigned l,
		     const zk_ext *cur, size_t base, size_t count,
		     const zk_gl *w_inv_br, bool compact, zk_ext beta,
		     zk_ext *next)
{
	struct fold_ctx fc = { .cur = cur, .next = next, .base = base,
			       .w_inv_br = w_inv_br, .beta = beta };
	zk_gl shift_inv;

	fc.f = fp->sched.log_folding[l];
	fc.w_shift = compact ? 0 : fc.f - 1;
	if (!zk_gl_inv(fp->sched.shift[l], &shift_inv))
		return ZK_STARK_EINVAL;
	fc.shift_inv = shift_inv;
	zk_fri_coset_inv_roots(fc.f, fc.wk_inv);
	zk_fri_parallel_for(fp->cfg.threads, count, fold_range, &fc);
	return ZK_STARK_ACCEPT;
}

static int commit_layer(struct zk_fri_prover *fp, unsigned l,
			struct zk_transcript *t)
{
	unsigned f = fp->sched.log_folding[l];
	int rc = zk_fri_layer_tree(&fp->trees[l], fp->layer_values[l], f,
				   (size_t)1 << (fp->sched.log_size[l] - f),
				   fp->cfg.hash, fp->cfg.threads);

	if (rc != ZK_STARK_ACCEPT)
		return rc;
	zk_transcript_absorb_digest(t, zk_merkle_root(&fp->trees[l]));
	return ZK_STARK_ACCEPT;
}

/* Coefficients of the last layer's interpolant, first 2^d_final kept. The
 * rest are zero for an honest input; for any other input the verifier's
 * final check fails, so they are dropped rather than reported here. */
static int interpolate_final(struct zk_fri_prover *fp, const zk_ext *values)
{
	unsigned log_m = fp->sched.log_size[fp->sched.n_layers];
	size_t m = (size_t)1 << log_m, i;
	zk_gl *buf = malloc(ZK_EXT_DEGREE * m * sizeof(zk_gl));
	zk_gl *cols[ZK_EXT_DEGREE];
	unsigned k;
	int rc;

	if (buf == NULL)
		return ZK_STARK_ENOMEM;
	for (k = 0; k < ZK_EXT_DEGREE; k++)
		cols[k] = buf + k * m;
	for (i = 0; i < m; i++)
		zk_ext_scatter(values[i], buf + i, m);
	rc = zk_ntt_coset_inverse(cols, ZK_EXT_DEGREE, log_m,
				  fp->sched.shift[fp->sched.n_layers],
				  fp->cfg.threads);
	if (rc != 0) {
		free(buf);
		return rc == -ENOMEM ? ZK_STARK_ENOMEM : ZK_STARK_EINVAL;
	}
	fp->final_len = 1u << fp->sched.final_log_degree;
	fp->final_coeffs = malloc(fp->final_len * sizeof(zk_ext));
	if (fp->final_coeffs == NULL) {
		free(buf);
		return ZK_STARK_ENOMEM;
	}
	for (i = 0; i < fp->final_len; i++)
		fp->final_coeffs[i] = zk_ext_gather(buf + i, m);
	free(buf);
	return ZK_STARK_ACCEPT;
}

/*
 * w_inv_br NULL: the layer's own table of the n_next inverse roots its
 * cosets read (ω_M^-bitrev(j, m - f), as fri_blocks.c's first fold), made
 * and dropped here: the streaming prover then holds 2^-f of the N_1/2
 * entries a shared table takes beside layer 1 and its tree.
 */
static int fold_layer(struct zk_fri_prover *fp, unsigned l,
		      const zk_gl *w_inv_br, zk_ext beta, zk_ext **next_out)
{
	unsigned m = fp->sched.log_size[l], f = fp->sched.log_folding[l];
	size_t n_next = (size_t)1 << (m - f);
	zk_gl *own = NULL;
	zk_ext *next;
	int rc;

	if (w_inv_br == NULL) {
		own = zk_fri_inv_roots_table(m, m - f, fp->cfg.threads, true);
		if (own == NULL)
			return ZK_STARK_ENOMEM;
	}
	next = malloc(n_next * sizeof(zk_ext));
	if (next == NULL) {
		zk_big_free(own);
		return ZK_STARK_ENOMEM;
	}
	rc = zk_fri_fold_part(fp, l, fp->layer_values[l], 0, n_next,
			      own != NULL ? own : w_inv_br, own != NULL, beta,
			      next);
	zk_big_free(own);
	if (rc != ZK_STARK_ACCEPT) {
		free(next);
		return rc;
	}
	*next_out = next;
	return ZK_STARK_ACCEPT;
}

int zk_fri_commit(struct zk_fri_prover **out, const struct zk_fri_config *cfg,
		  struct zk_transcript *t, const zk_ext *evals)
{
	struct zk_fri_schedule s;
	zk_ext *copy;
	size_t n;

	if (out == NULL)
		return ZK_STARK_EINVAL;
	*out = NULL;
	if (cfg == NULL || evals == NULL || t == NULL)
		return ZK_STARK_EINVAL;
	if (zk_fri_schedule_make(cfg, &s) != ZK_STARK_ACCEPT)
		return ZK_STARK_EINVAL;
	n = (size_t)1 << cfg->log_domain;
	copy = malloc(n * sizeof(zk_ext));
	if (copy == NULL)
		return ZK_STARK_ENOMEM;
	memcpy(copy, evals, n * sizeof(zk_ext));
	return zk_fri_commit_take(out, cfg, t, &copy);
}

zk_gl *zk_fri_inv_roots_table(unsigned log_size, unsigned log_count,
			      unsigned threads, bool own_map)
{
	struct inv_powers_ctx ic;
	size_t count = (size_t)1 << log_count;

	ic.out = zk_big_alloc(count * sizeof(zk_gl), own_map);
	if (ic.out == NULL)
		return NULL;
	ic.w_inv = zk_fri_inverse_root(log_size);
	zk_fri_parallel_for(threads, count, inv_powers_range, &ic);
	zk_ntt_bitrev_permute(ic.out, log_count);
	return ic.out;
}

int zk_fri_prover_start(const struct zk_fri_config *cfg,
			struct zk_fri_prover **out, zk_gl **w_inv_br,
			bool own_map)
{
	struct zk_fri_prover *fp = calloc(1, sizeof(*fp));
	int rc;

	*out = NULL;
	if (w_inv_br != NULL)
		*w_inv_br = NULL;
	if (fp == NULL)
		return ZK_STARK_ENOMEM;
	fp->cfg = *cfg;
	rc = zk_fri_schedule_make(cfg, &fp->sched);
	if (rc != ZK_STARK_ACCEPT) {
		free(fp);
		return rc;
	}
	if (w_inv_br != NULL) {
		*w_inv_br = zk_fri_inv_roots_table(cfg->log_domain,
						   cfg->log_domain - 1,
						   cfg->threads, own_map);
		if (*w_inv_br == NULL) {
			free(fp);
			return ZK_STARK_ENOMEM;
		}
	}
	*out = fp;
	return ZK_STARK_ACCEPT;
}

int zk_fri_commit_from(struct zk_fri_prover *fp, struct zk_transcript *t,
		       unsigned first, zk_ext *cur, const zk_gl *w_inv_br)
{
	unsigned l;
	int rc = ZK_STARK_ACCEPT;

	for (l = first; l < fp->sched.n_layers; l++) {
		zk_ext beta;

		/* the layer's values now belong to fp (openings need them) */
		fp->layer_values[l] = cur;
		cur = NULL;
		rc = commit_layer(fp, l, t);
		if (rc != ZK_STARK_ACCEPT)
			break;
		beta = zk_transcript_draw_ext(t);
		rc = fold_layer(fp, l, w_inv_br, beta, &cur);
		if (rc != ZK_STARK_ACCEPT)
			break;
	}
	if (rc == ZK_STARK_ACCEPT)
		rc = interpolate_final(fp, cur);
	free(cur); /* the last layer only feeds the final polynomial */
	if (rc == ZK_STARK_ACCEPT) {
		zk_transcript_absorb_ext(t, fp->final_coeffs, fp->final_len);
		if (zk_transcript_status(t) != 0)
			rc = ZK_STARK_EINVAL;
	}
	return rc;
}

int zk_fri_commit_take(struct zk_fri_prover **out,
		       const struct zk_fri_config *cfg,
		       struct zk_transcript *t, zk_ext **evals)
{
	struct zk_fri_prover *fp;
	zk_ext *cur = evals != NULL ? *evals : NULL;
	zk_gl *w_inv_br;
	int rc;

	if (evals != NULL)
		*evals = NULL;
	if (out == NULL) {
		free(cur);
		return ZK_STARK_EINVAL;
	}
	*out = NULL;
	if (cfg == NULL || cur == NULL || t == NULL) {
		free(cur);
		return ZK_STARK_EINVAL;
	}
	rc = zk_fri_prover_start(cfg, &fp, &w_inv_br, false);
	if (rc != ZK_STARK_ACCEPT) {
		free(cur);
		return rc;
	}
	zk_fri_absorb_config(t, cfg);
	rc = zk_fri_commit_from(fp, t, 0, cur, w_inv_br);
	zk_big_free(w_inv_br);
	if (rc != ZK_STARK_ACCEPT) {
		zk_fri_prover_free(fp);
		return rc;
	}
	*out = fp;
	return ZK_STARK_ACCEPT;
}

void zk_fri_prover_free(struct zk_fri_prover *fp)
{
	unsigned l;

	if (fp == NULL)
		return;
	for (l = 0; l < ZK_FRI_MAX_LAYERS; l++) {
		free(fp->layer_values[l]);
		if (fp->trees[l].nodes != NULL)
			zk_merkle_free(&fp->trees[l]);
	}
	free(fp->final_coeffs);
	free(fp);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

size_t zk_fri_distinct_sorted(const uint64_t *in, size_t n, unsigned shift,
			      uint64_t *out)
{
	size_t i, m = 0;

	for (i = 0; i < n; i++)
		out[i] = in[i] >> shift;
	qsort(out, n, sizeof(*out), cmp_u64);
	for (i = 0; i < n; i++)
		if (m == 0 || out[m - 1] != out[i])
			out[m++] = out[i];
	return m;
}

/* Index of key in the sorted distinct array (key is known to be there). */
size_t zk_fri_find_sorted(const uint64_t *a, size_t n, uint64_t key)
{
	size_t lo = 0, hi = n;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (a[mid] <= key)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

int zk_fri_check_positions(unsigned log_domain, const uint64_t *positions,
			   size_t n)
{
	size_t i;

	if (positions == NULL || n == 0 || n > ZK_FRI_MAX_QUERIES)
		return ZK_STARK_EINVAL;
	for (i = 0; i < n; i++)
		if (positions[i] >> log_domain != 0)
			return ZK_STARK_EINVAL;
	return ZK_STARK_ACCEPT;
}

/*
 * The slot of each coset the verifier already knows: that of the first
 * query (in the caller's order) that lands in it. The verifier knows its
 * value (layer 0: from the trace openings; later: its own fold), so
 * format 4 does not send it.
 */
void zk_fri_known_slots(const uint64_t *pos, size_t n,
			const uint64_t *cosets, size_t n_c, unsigned f,
			uint8_t *slot)
{
	size_t k;

	memset(slot, 0xff, n_c);
	for (k = 0; k < n; k++) {
		size_t c = zk_fri_find_sorted(cosets, n_c, pos[k] >> f);

		if (slot[c] == 0xff)
			slot[c] = (uint8_t)(pos[k] & (((uint64_t)1 << f) - 1));
	}
}

void zk_fri_drop_known(zk_ext *values, const uint64_t *pos, size_t n,
		       const uint64_t *cosets, size_t n_c, unsigned f)
{
	uint8_t slot[ZK_FRI_MAX_QUERIES];
	size_t fold = (size_t)1 << f, k, i, w = 0;

	zk_fri_known_slots(pos, n, cosets, n_c, f, slot);
	for (k = 0; k < n_c; k++)
		for (i = 0; i < fold; i++)
			if (i != slot[k])
				values[w++] = values[k * fold + i];
}

int zk_fri_prove_queries(struct zk_fri_prover *fp, const uint64_t *positions,
			 size_t n_positions, struct zk_fri_proof *proof)
{
	uint64_t pos[ZK_FRI_MAX_QUERIES], cosets[ZK_FRI_MAX_QUERIES];
	unsigned l;
	int rc;

	memset(proof, 0, sizeof(*proof));
	rc = zk_fri_check_positions(fp->cfg.log_domain, positions, n_positions);
	if (rc != ZK_STARK_ACCEPT)
		return rc;
	memcpy(pos, positions, n_positions * sizeof(*pos));
	proof->n_layers = fp->sched.n_layers;
	for (l = 0; l < fp->sched.n_layers; l++) {
		struct zk_fri_layer_proof *lp = &proof->layers[l];
		unsigned f = fp->sched.log_folding[l];
		size_t k, n_c = zk_fri_distinct_sorted(pos, n_positions, f,
						       cosets);

		lp->log_folding = f;
		lp->root = *zk_merkle_root(&fp->trees[l]);
		lp->n_cosets = (uint32_t)n_c;
		lp->coset_values = malloc((n_c << f) * sizeof(zk_ext));
		if (lp->coset_values == NULL) {
			rc = ZK_STARK_ENOMEM;
			break;
		}
		/* block mode: layer 0's tree is short of its bottom levels */
		if (l == 0 && fp->dropped0 > 0) {
			rc = zk_fri_block_open0(fp, cosets, n_c,
						lp->coset_values, &lp->opening);
			if (rc != ZK_STARK_ACCEPT)
				break;
			zk_fri_drop_known(lp->coset_values, pos, n_positions,
					  cosets, n_c, f);
			for (k = 0; k < n_positions; k++)
				pos[k] >>= f;
			continue;
		}
		if (fp->layer_values[l] == NULL)
			rc = zk_fri_block_cosets(fp, cosets, n_c,
						 lp->coset_values);
		else
			for (k = 0; k < n_c; k++)
				memcpy(lp->coset_values + (k << f),
				       fp->layer_values[l] + (cosets[k] << f),
				       sizeof(zk_ext) << f);
		if (rc != ZK_STARK_ACCEPT)
			break;
		zk_fri_drop_known(lp->coset_values, pos, n_positions, cosets,
				  n_c, f);
		if (zk_merkle_open_batch(&fp->trees[l], cosets, n_c,
					 &lp->opening) != ZK_MERKLE_OK) {
			rc = ZK_STARK_ENOMEM;
			break;
		}
		for (k = 0; k < n_positions; k++)
			pos[k] >>= f;
	}
	if (rc == ZK_STARK_ACCEPT) {
		proof->final_len = fp->final_len;
		proof->final_coeffs = malloc(fp->final_len * sizeof(zk_ext));
		if (proof->final_coeffs == NULL)
			rc = ZK_STARK_ENOMEM;
		else
			memcpy(proof->final_coeffs, fp->final_coeffs,
			       fp->final_len * sizeof(zk_ext));
	}
	if (rc != ZK_STARK_ACCEPT)
		zk_fri_proof_free(proof);
	return rc;
}

void zk_fri_proof_free(struct zk_fri_proof *proof)
{
	unsigned l;

	if (proof == NULL)
		return;
	for (l = 0; l < ZK_FRI_MAX_LAYERS; l++) {
		free(proof->layers[l].coset_values);
		zk_merkle_batch_free(&proof->layers[l].opening);
	}
	free(proof->final_coeffs);
	memset(proof, 0, sizeof(*proof));
}
