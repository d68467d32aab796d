/* SPDX-License-Identifier: MIT */
/*
 * FRI with layer 0 given by blocks (zk_fri_commit_blocks): for every
 * folding factor and several block sizes (one coset per block up to the
 * whole layer, and blocks smaller than a coset) the proof bytes and the
 * transcript equal zk_fri_commit's on the same values, and every block
 * is made at most three times; the proof verifies, and a tampered
 * coset value or a layer 0 that the blocks do not agree on (a fill that
 * answers differently the second time) is rejected; so is a proof whose
 * queried cosets came from a coset fn (zk_fri_prover_set_coset_fn) that
 * disagrees with the blocks, while a right one gives the same bytes; a
 * failing fill
 * fails the commit or the queries with its status.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fri.h"
#include "fri_internal.h"
#include "ntt.h"
#include "stark.h"

#define TEST_LABEL "test-fri-blocks"
#define N_QUERIES 24

static uint64_t rng_state;

static zk_gl rng_gl(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return zk_gl_from_u64(z ^ (z >> 31));
}

static struct zk_fri_config make_cfg(unsigned log_domain, unsigned log_degree,
				     unsigned log_folding, unsigned final_log)
{
	struct zk_fri_config cfg = {
		.log_domain = log_domain,
		.log_degree = log_degree,
		.log_folding = log_folding,
		.final_log_max = final_log,
		.shift = ZK_GL_MULTIPLICATIVE_GENERATOR,
		.hash = ZK_HASH_BLAKE2S,
		.threads = 2,
	};
	return cfg;
}

/* Bit-reversed evaluations on the coset of a random polynomial of degree
 * < 2^log_degree. */
static zk_ext *poly_evals(const struct zk_fri_config *cfg)
{
	size_t n = (size_t)1 << cfg->log_domain;
	size_t n_coeffs = (size_t)1 << cfg->log_degree;
	zk_gl *buf = calloc(ZK_EXT_DEGREE * n, sizeof(zk_gl));
	zk_gl *cols[ZK_EXT_DEGREE];
	zk_ext *out = malloc(n * sizeof(zk_ext));

	assert_non_null(buf);
	assert_non_null(out);
	for (unsigned k = 0; k < ZK_EXT_DEGREE; k++) {
		cols[k] = buf + k * n;
		for (size_t i = 0; i < n_coeffs; i++)
			cols[k][i] = rng_gl();
	}
	assert_int_equal(zk_ntt_coset_forward(cols, ZK_EXT_DEGREE,
					      cfg->log_domain, cfg->shift, 1), 0);
	for (size_t i = 0; i < n; i++)
		out[i] = zk_ext_gather(buf + i, n);
	free(buf);
	return out;
}

struct source {
	const zk_ext *values;
	unsigned log_block;
	size_t calls[64];       /* per block */
	long fail_at;           /* the call that fails (-1: none) */
	long tamper_from;       /* calls [from, to) answer other values */
	long tamper_to;
	long n_calls;
	long coset_calls;
	int coset_bad;          /* the coset fn answers other values */
};

static int fill(void *ctx, size_t h, zk_ext *out)
{
	struct source *s = ctx;
	size_t bsize = (size_t)1 << s->log_block;

	if (h < 64)
		s->calls[h]++;
	if (s->n_calls++ == s->fail_at)
		return ZK_STARK_ENOMEM;
	memcpy(out, s->values + h * bsize, bsize * sizeof(zk_ext));
	if (s->n_calls > s->tamper_from && s->n_calls <= s->tamper_to)
		for (size_t k = 0; k < bsize; k++)
			out[k].c[0] = zk_gl_add(out[k].c[0], 1 + (k & 7));
	return ZK_STARK_ACCEPT;
}

static int coset(void *ctx, size_t h, size_t first, unsigned log_len,
		 zk_ext *out)
{
	struct source *s = ctx;
	size_t len = (size_t)1 << log_len;

	s->coset_calls++;
	memcpy(out, s->values + (h << s->log_block) + first,
	       len * sizeof(zk_ext));
	if (s->coset_bad)
		out[len - 1].c[1] = zk_gl_add(out[len - 1].c[1], 1);
	return ZK_STARK_ACCEPT;
}

static void positions_from(struct zk_transcript *t, unsigned log_domain,
			   uint64_t *pos, size_t *count)
{
	uint64_t raw[N_QUERIES];

	for (size_t i = 0; i < N_QUERIES; i++)
		raw[i] = zk_transcript_draw_index(t, log_domain);
	*count = zk_fri_distinct_sorted(raw, N_QUERIES, 0, pos);
}

static uint8_t *encode(const struct zk_fri_proof *p, size_t *len)
{
	size_t used;
	uint8_t *buf;

	*len = zk_fri_proof_encoded_size(p);
	buf = malloc(*len);
	assert_non_null(buf);
	assert_int_equal(zk_fri_proof_encode(p, buf, *len, &used), 0);
	assert_int_equal(used, *len);
	return buf;
}

static int verify(const struct zk_fri_config *cfg, const zk_ext *evals,
		  const struct zk_fri_proof *proof)
{
	struct zk_transcript t;
	struct zk_fri_verifier v;
	uint64_t pos[N_QUERIES];
	zk_ext values0[N_QUERIES];
	size_t count;
	int rc;

	assert_int_equal(zk_transcript_init(&t, cfg->hash, TEST_LABEL), 0);
	rc = zk_fri_verify_commit(&v, cfg, &t, proof);
	if (rc != 0)
		return rc;
	positions_from(&t, cfg->log_domain, pos, &count);
	for (size_t k = 0; k < count; k++)
		values0[k] = evals[pos[k]];
	return zk_fri_verify_queries(&v, proof, pos, values0, count);
}

/* Proves by blocks (the queried cosets alone where a block holds at most
 * two, with use_cosets); returns the commit's or the queries' status. */
static int use_cosets;

static int prove_blocks(const struct zk_fri_config *cfg, struct source *src,
			struct zk_transcript *t, struct zk_fri_proof *proof)
{
	struct zk_fri_prover *fp;
	uint64_t pos[N_QUERIES];
	size_t count;
	int rc;

	assert_int_equal(zk_transcript_init(t, cfg->hash, TEST_LABEL), 0);
	rc = zk_fri_commit_blocks(&fp, cfg, t, src->log_block, fill, src);
	if (rc != 0) {
		assert_null(fp);
		return rc;
	}
	if (use_cosets)
		zk_fri_prover_set_coset_fn(fp, coset, 2);
	positions_from(t, cfg->log_domain, pos, &count);
	rc = zk_fri_prove_queries(fp, pos, count, proof);
	zk_fri_prover_free(fp);
	return rc;
}

static void check_same_as_commit(unsigned log_domain, unsigned log_degree,
				 unsigned f, unsigned final_log,
				 unsigned log_block)
{
	struct zk_fri_config cfg = make_cfg(log_domain, log_degree, f,
					    final_log);
	struct source src = { .log_block = log_block, .fail_at = -1,
			      .tamper_from = -1 };
	struct zk_transcript ta, tb;
	struct zk_fri_prover *fa;
	struct zk_fri_proof pa, pb;
	uint64_t pos[N_QUERIES];
	size_t count, la, lb;
	uint8_t *ea, *eb;
	zk_ext *evals = poly_evals(&cfg);

	src.values = evals;
	assert_int_equal(zk_transcript_init(&ta, cfg.hash, TEST_LABEL), 0);
	assert_int_equal(zk_fri_commit(&fa, &cfg, &ta, evals), 0);
	positions_from(&ta, cfg.log_domain, pos, &count);
	assert_int_equal(zk_fri_prove_queries(fa, pos, count, &pa), 0);
	zk_fri_prover_free(fa);
	assert_int_equal(prove_blocks(&cfg, &src, &tb, &pb), 0);
	/* the same transcript state: the next draws agree */
	assert_true(zk_transcript_draw_index(&ta, 30) ==
		    zk_transcript_draw_index(&tb, 30));
	ea = encode(&pa, &la);
	eb = encode(&pb, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(ea, eb, la);
	assert_int_equal(verify(&cfg, evals, &pb), 0);
	/* the same bytes with the queried cosets made alone */
	zk_fri_proof_free(&pb);
	memset(src.calls, 0, sizeof(src.calls));
	use_cosets = 1;
	assert_int_equal(prove_blocks(&cfg, &src, &tb, &pb), 0);
	use_cosets = 0;
	free(eb);
	eb = encode(&pb, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(ea, eb, la);
	/* each block: tree, fold, queries at most */
	for (size_t h = 0; h < ((size_t)1 << (log_domain - log_block)) &&
	     h < 64; h++)
		assert_true(src.calls[h] >= 1 && src.calls[h] <= 3);
	free(ea);
	free(eb);
	zk_fri_proof_free(&pa);
	zk_fri_proof_free(&pb);
	free(evals);
}

static void test_blocks_match_commit(void **state)
{
	(void)state;
	rng_state = 5;
	for (unsigned f = 1; f <= ZK_FRI_MAX_LOG_FOLDING; f++) {
		check_same_as_commit(12, 10, f, 2, 10); /* 4 blocks */
		check_same_as_commit(12, 10, f, 2, f);  /* one coset each */
		check_same_as_commit(12, 10, f, 2, 12); /* one block */
	}
	/* blocks smaller than a coset, and no layer at all */
	check_same_as_commit(12, 10, 4, 2, 2);
	check_same_as_commit(10, 3, 3, 3, 8);
}

static void test_tampered_coset_rejected(void **state)
{
	struct zk_fri_config cfg = make_cfg(12, 9, 3, 2);
	struct source src = { .log_block = 9, .fail_at = -1,
			      .tamper_from = -1 };
	struct zk_transcript t;
	struct zk_fri_proof p;
	zk_ext *evals;

	(void)state;
	rng_state = 11;
	evals = poly_evals(&cfg);
	src.values = evals;
	assert_int_equal(prove_blocks(&cfg, &src, &t, &p), 0);
	assert_int_equal(verify(&cfg, evals, &p), 0);
	p.layers[0].coset_values[1].c[2] =
		zk_gl_add(p.layers[0].coset_values[1].c[2], 1);
	assert_int_not_equal(verify(&cfg, evals, &p), 0);
	zk_fri_proof_free(&p);
	free(evals);
}

/* A fill that answers other values for the fold, or for the queries,
 * than for the tree (a prover bug the block mode could have) makes a
 * proof that fails. */
static void test_inconsistent_blocks_rejected(void **state)
{
	struct zk_fri_config cfg = make_cfg(12, 9, 3, 2);
	size_t blocks = (size_t)1 << (12 - 9);
	struct zk_transcript t;
	struct zk_fri_proof p;
	zk_ext *evals;

	(void)state;
	rng_state = 12;
	evals = poly_evals(&cfg);
	/* the fold's calls, then the queries' */
	for (long from = (long)blocks; from <= 2 * (long)blocks;
	     from += (long)blocks) {
		struct source src = { .values = evals, .log_block = 9,
				      .fail_at = -1, .tamper_from = from,
				      .tamper_to = from + (long)blocks };

		assert_int_equal(prove_blocks(&cfg, &src, &t, &p), 0);
		assert_int_not_equal(verify(&cfg, evals, &p), 0);
		zk_fri_proof_free(&p);
	}
	free(evals);
}

/* The coset fn is used where a block holds few queried cosets, and a
 * wrong one makes a proof that fails. */
static void test_coset_fn(void **state)
{
	struct zk_fri_config cfg = make_cfg(14, 9, 4, 2);
	struct source src = { .log_block = 8, .fail_at = -1,
			      .tamper_from = -1 };
	struct zk_transcript t;
	struct zk_fri_proof p;
	zk_ext *evals;

	(void)state;
	rng_state = 14;
	evals = poly_evals(&cfg);
	src.values = evals;
	use_cosets = 1;
	assert_int_equal(prove_blocks(&cfg, &src, &t, &p), 0);
	assert_true(src.coset_calls > 0);
	assert_int_equal(verify(&cfg, evals, &p), 0);
	zk_fri_proof_free(&p);
	src.coset_bad = 1;
	assert_int_equal(prove_blocks(&cfg, &src, &t, &p), 0);
	assert_int_not_equal(verify(&cfg, evals, &p), 0);
	use_cosets = 0;
	zk_fri_proof_free(&p);
	free(evals);
}

static void test_fill_failure_reported(void **state)
{
	struct zk_fri_config cfg = make_cfg(12, 9, 3, 2);
	size_t blocks = (size_t)1 << (12 - 9);
	struct zk_transcript t;
	struct zk_fri_proof p;
	zk_ext *evals;

	(void)state;
	rng_state = 13;
	evals = poly_evals(&cfg);
	/* in the tree, in the fold, in the queries */
	for (long at = 0; at <= 2 * (long)blocks; at += (long)blocks) {
		struct source src = { .values = evals, .log_block = 9,
				      .fail_at = at + 1, .tamper_from = -1 };

		assert_int_equal(prove_blocks(&cfg, &src, &t, &p),
				 ZK_STARK_ENOMEM);
	}
	/* bad arguments */
	{
		struct source src = { .values = evals, .log_block = 13,
				      .fail_at = -1, .tamper_from = -1 };
		struct zk_fri_prover *fp = (struct zk_fri_prover *)&src;

		assert_int_equal(zk_transcript_init(&t, cfg.hash, TEST_LABEL),
				 0);
		assert_int_equal(zk_fri_commit_blocks(&fp, &cfg, &t, 13, fill,
						      &src), ZK_STARK_EINVAL);
		assert_null(fp);
		assert_int_equal(zk_fri_commit_blocks(&fp, &cfg, &t, 9, NULL,
						      &src), ZK_STARK_EINVAL);
		assert_null(fp);
	}
	free(evals);
}

/* Resident bytes of this process (/proc/self/statm), or -1. */
static long resident_bytes(void)
{
	long pages_total, pages_resident = -1;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f == NULL)
		return -1;
	if (fscanf(f, "%ld %ld", &pages_total, &pages_resident) != 2)
		pages_resident = -1;
	fclose(f);
	return pages_resident < 0 ? -1 : pages_resident * 4096;
}

/*
 * The streaming prover's large buffers: aligned, usable whole, and with
 * own_map their pages leave the process at zk_big_free (what keeps the
 * prover's peak the largest step's, not the sum of the steps'). Under
 * AddressSanitizer they are heap buffers, so only the first part holds.
 */
static void test_big_buffers(void **state)
{
	static const size_t sizes[] = { 0, 1, 4096, ZK_BIG_MIN_MAP - 1,
					ZK_BIG_MIN_MAP, (size_t)3 << 20 };
	const size_t big = (size_t)16 << 20;
	unsigned char *p;
	long before, touched, after;

	(void)state;
	zk_big_free(NULL);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (int own = 0; own < 2; own++) {
			p = zk_big_alloc(sizes[i], own != 0);
			assert_non_null(p);
			assert_int_equal((uintptr_t)p % 64, 0);
			memset(p, 0xa5, sizes[i]);
			if (sizes[i] > 0)
				assert_int_equal(p[sizes[i] - 1], 0xa5);
			zk_big_free(p);
		}
	assert_null(zk_big_alloc(SIZE_MAX - 8, true));
	if (ZK_BIG_ASAN)
		return;
	before = resident_bytes();
	p = zk_big_alloc(big, true);
	assert_non_null(p);
	memset(p, 1, big);
	touched = resident_bytes();
	zk_big_free(p);
	after = resident_bytes();
	assert_true(before > 0 && touched > 0 && after > 0);
	assert_true(touched - before >= (long)(big - ((size_t)1 << 20)));
	assert_true(touched - after >= (long)(big - ((size_t)1 << 20)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blocks_match_commit),
		cmocka_unit_test(test_tampered_coset_rejected),
		cmocka_unit_test(test_inconsistent_blocks_rejected),
		cmocka_unit_test(test_coset_fn),
		cmocka_unit_test(test_fill_failure_reported),
		cmocka_unit_test(test_big_buffers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
