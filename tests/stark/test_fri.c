/* SPDX-License-Identifier: MIT */
/*
 * FRI: the coset fold equals the algebraic definition, honest low-degree
 * inputs verify for every folding factor, several domains and final sizes,
 * inputs of too high a degree or random values are rejected, and so is any
 * tampering with the proof (values, Merkle nodes, roots, final
 * coefficients, any byte of the encoding), wrong layer-0 values, or a
 * different config. Encodings round-trip; hostile encodings fail cleanly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fri.h"
#include "fri_internal.h"
#include "ntt.h"
#include "stark.h"

#define TEST_LABEL "test-fri"
#define GRIND_BITS 4

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static zk_gl rng_gl(void)
{
	return zk_gl_from_u64(rng_next());
}

static zk_ext rng_ext(void)
{
	zk_ext e;

	for (unsigned k = 0; k < ZK_EXT_DEGREE; k++)
		e.c[k] = rng_gl();
	return e;
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

/* Evaluations (bit-reversed, on shift·H_N) of a random zk_ext polynomial with
 * n_coeffs coefficients, the last one forced non-zero. */
static zk_ext *poly_evals(const struct zk_fri_config *cfg, size_t n_coeffs)
{
	size_t n = (size_t)1 << cfg->log_domain, i;
	zk_gl *buf = calloc(ZK_EXT_DEGREE * n, sizeof(zk_gl));
	zk_gl *cols[ZK_EXT_DEGREE];
	zk_ext *out = malloc(n * sizeof(zk_ext));
	unsigned k;

	assert_non_null(buf);
	assert_non_null(out);
	for (k = 0; k < ZK_EXT_DEGREE; k++) {
		cols[k] = buf + k * n;
		for (i = 0; i < n_coeffs; i++)
			cols[k][i] = rng_gl();
	}
	cols[0][n_coeffs - 1] |= 1;
	assert_int_equal(zk_ntt_coset_forward(cols, ZK_EXT_DEGREE,
					      cfg->log_domain, cfg->shift, 1), 0);
	for (i = 0; i < n; i++)
		out[i] = zk_ext_gather(buf + i, n);
	free(buf);
	return out;
}

struct fri_run {
	uint8_t *enc;
	size_t enc_len;
	uint64_t nonce;
	uint64_t positions[ZK_FRI_MAX_QUERIES];
	size_t n_positions;
	struct zk_fri_proof proof; /* decoded copy, kept for tampering */
};

static size_t draw_positions(struct zk_transcript *t, unsigned log_domain,
			     size_t n_queries, uint64_t *out)
{
	uint64_t raw[ZK_FRI_MAX_QUERIES];
	size_t i;

	for (i = 0; i < n_queries; i++)
		raw[i] = zk_transcript_draw_index(t, log_domain);
	return zk_fri_distinct_sorted(raw, n_queries, 0, out);
}

static void prove(const struct zk_fri_config *cfg, const zk_ext *evals,
		  size_t n_queries, struct fri_run *run)
{
	struct zk_transcript t;
	struct zk_fri_prover *fp;
	struct zk_fri_proof proof;
	size_t used;

	memset(run, 0, sizeof(*run));
	assert_int_equal(zk_transcript_init(&t, cfg->hash, TEST_LABEL), 0);
	assert_int_equal(zk_fri_commit(&fp, cfg, &t, evals), 0);
	run->nonce = zk_transcript_grind(&t, GRIND_BITS);
	run->n_positions = draw_positions(&t, cfg->log_domain, n_queries,
					  run->positions);
	assert_int_equal(zk_fri_prove_queries(fp, run->positions,
					      run->n_positions, &proof), 0);
	zk_fri_prover_free(fp);
	run->enc_len = zk_fri_proof_encoded_size(&proof);
	run->enc = malloc(run->enc_len);
	assert_non_null(run->enc);
	assert_int_equal(zk_fri_proof_encode(&proof, run->enc, run->enc_len,
					     &used), 0);
	assert_int_equal(used, run->enc_len);
	zk_fri_proof_free(&proof);
	assert_int_equal(zk_fri_proof_decode(cfg, n_queries, run->enc,
					     run->enc_len, NULL, &run->proof),
			 0);
}

static void run_free(struct fri_run *run)
{
	free(run->enc);
	zk_fri_proof_free(&run->proof);
}

/* The verifier's side: replay, check the nonce, draw its own positions,
 * take layer-0 values from `evals` there. */
static int verify_proof(const struct zk_fri_config *cfg, const zk_ext *evals,
			size_t n_queries, uint64_t nonce,
			const struct zk_fri_proof *proof)
{
	struct zk_transcript t;
	struct zk_fri_verifier v;
	uint64_t pos[ZK_FRI_MAX_QUERIES];
	zk_ext values0[ZK_FRI_MAX_QUERIES];
	size_t n_pos, k;
	int rc;

	assert_int_equal(zk_transcript_init(&t, cfg->hash, TEST_LABEL), 0);
	rc = zk_fri_verify_commit(&v, cfg, &t, proof);
	if (rc != 0)
		return rc;
	if (!zk_transcript_check_pow(&t, GRIND_BITS, nonce))
		return ZK_STARK_EPOW;
	n_pos = draw_positions(&t, cfg->log_domain, n_queries, pos);
	for (k = 0; k < n_pos; k++)
		values0[k] = evals[pos[k]];
	return zk_fri_verify_queries(&v, proof, pos, values0, n_pos);
}

static int verify_bytes(const struct zk_fri_config *cfg, const zk_ext *evals,
			size_t n_queries, uint64_t nonce, const uint8_t *buf,
			size_t len)
{
	struct zk_fri_proof proof;
	int rc = zk_fri_proof_decode(cfg, n_queries, buf, len, NULL, &proof);

	if (rc != 0)
		return rc;
	rc = verify_proof(cfg, evals, n_queries, nonce, &proof);
	zk_fri_proof_free(&proof);
	return rc;
}

/* ---- the fold against its definition ---- */

static void test_fold_coset_matches_definition(void **state)
{
	unsigned f;

	(void)state;
	rng_state = 1;
	for (f = 1; f <= ZK_FRI_MAX_LOG_FOLDING; f++) {
		unsigned k_fold = 1u << f, n_coeffs = 64, k, r, i;
		zk_ext coeffs[64], v[16], beta = rng_ext(), expect, beta_r;
		zk_gl x = rng_gl(), x_inv, wk_inv[8], xk, w_k;

		for (i = 0; i < n_coeffs; i++)
			coeffs[i] = rng_ext();
		w_k = zk_gl_root_of_unity(f);
		for (k = 0; k < k_fold; k++) {
			zk_gl pt = zk_gl_mul(x, zk_gl_pow(w_k,
						      zk_ntt_bitrev(k, f)));

			v[k] = zk_fri_eval_poly(coeffs, n_coeffs, pt);
		}
		/* Σ_r β^r·G_r(x^K), G_r from F's coefficients r, r+K, ... */
		xk = zk_gl_pow(x, k_fold);
		expect = zk_ext_zero();
		beta_r = zk_ext_one();
		for (r = 0; r < k_fold; r++) {
			zk_ext g[64];
			unsigned m = 0;

			for (i = r; i < n_coeffs; i += k_fold)
				g[m++] = coeffs[i];
			expect = zk_ext_add(expect,
					    zk_ext_mul(beta_r,
						       zk_fri_eval_poly(g, m, xk)));
			beta_r = zk_ext_mul(beta_r, beta);
		}
		assert_true(zk_gl_inv(x, &x_inv));
		zk_fri_coset_inv_roots(f, wk_inv);
		assert_true(zk_ext_eq(zk_fri_fold_coset(v, f, x_inv, wk_inv,
							beta),
				      expect));
	}
}

static void test_schedule(void **state)
{
	struct zk_fri_config cfg = make_cfg(13, 10, 3, 2);
	struct zk_fri_schedule s;

	(void)state;
	assert_int_equal(zk_fri_schedule_make(&cfg, &s), 0);
	/* 10 → 7 → 4 → 2: the last fold shrinks to land on the bound */
	assert_int_equal(s.n_layers, 3);
	assert_int_equal(s.log_folding[0], 3);
	assert_int_equal(s.log_folding[1], 3);
	assert_int_equal(s.log_folding[2], 2);
	assert_int_equal(s.log_size[3], 13 - 8);
	assert_int_equal(s.final_log_degree, 2);
	assert_int_equal(s.shift[1], zk_gl_pow(7, 8));
	/* 10 → 3 with folds of at most 8: three layers, balanced
	 * (3, 2, 2), not 3, 3, 1 (proof format 4) */
	cfg = make_cfg(13, 10, 3, 3);
	assert_int_equal(zk_fri_schedule_make(&cfg, &s), 0);
	assert_int_equal(s.n_layers, 3);
	assert_int_equal(s.log_folding[0], 3);
	assert_int_equal(s.log_folding[1], 2);
	assert_int_equal(s.log_folding[2], 2);
	assert_int_equal(s.final_log_degree, 3);
	assert_int_equal(zk_fri_next_fold(13, 8, 4, false), 3);
	assert_int_equal(zk_fri_next_fold(10, 8, 4, false), 2);
	assert_int_equal(zk_fri_next_fold(20, 8, 4, false), 4);
	assert_int_equal(zk_fri_next_fold(17, 8, 4, false), 3);
	assert_int_equal(zk_fri_next_fold(8, 8, 4, false), 0);
	/* the first of three layers folds by the most: 9 halvings are
	 * 4, 3, 2 (layer 1 half of 3, 3, 3's), two layers stay balanced */
	assert_int_equal(zk_fri_next_fold(17, 8, 4, true), 4);
	assert_int_equal(zk_fri_next_fold(13, 8, 4, true), 3);
	assert_int_equal(zk_fri_next_fold(14, 8, 4, true), 3);
	assert_int_equal(zk_fri_next_fold(18, 8, 4, true), 4);
	assert_int_equal(zk_fri_next_fold(16, 8, 3, true), 3);
	cfg = make_cfg(22, 17, 4, 8);
	assert_int_equal(zk_fri_schedule_make(&cfg, &s), 0);
	assert_int_equal(s.n_layers, 3);
	assert_int_equal(s.log_folding[0], 4);
	assert_int_equal(s.log_folding[1], 3);
	assert_int_equal(s.log_folding[2], 2);
	assert_int_equal(s.log_size[1], 18);
	assert_int_equal(s.final_log_degree, 8);
	cfg = make_cfg(13, 2, 3, 3); /* already below the bound */
	assert_int_equal(zk_fri_schedule_make(&cfg, &s), 0);
	assert_int_equal(s.n_layers, 0);
	assert_int_equal(s.final_log_degree, 2);
	cfg = make_cfg(13, 10, 0, 2);
	assert_int_equal(zk_fri_schedule_make(&cfg, &s), ZK_STARK_EINVAL);
	cfg = make_cfg(13, 10, 5, 2);
	assert_int_equal(zk_fri_schedule_make(&cfg, &s), ZK_STARK_EINVAL);
	cfg = make_cfg(10, 10, 2, 2); /* no blowup */
	assert_int_equal(zk_fri_schedule_make(&cfg, &s), ZK_STARK_EINVAL);
	cfg = make_cfg(13, 10, 2, 2);
	cfg.shift = 0;
	assert_int_equal(zk_fri_schedule_make(&cfg, &s), ZK_STARK_EINVAL);
	cfg = make_cfg(13, 10, 2, 2);
	cfg.hash = (enum zk_hash_id)77;
	assert_int_equal(zk_fri_schedule_make(&cfg, &s), ZK_STARK_EINVAL);
}

/* ---- honest proofs ---- */

static void check_honest(unsigned log_domain, unsigned log_degree,
			 unsigned f, unsigned final_log, enum zk_hash_id hash,
			 size_t n_queries)
{
	struct zk_fri_config cfg = make_cfg(log_domain, log_degree, f,
					    final_log);
	struct fri_run run;
	zk_ext *evals;

	cfg.hash = hash;
	evals = poly_evals(&cfg, (size_t)1 << log_degree);
	prove(&cfg, evals, n_queries, &run);
	assert_int_equal(verify_bytes(&cfg, evals, n_queries, run.nonce,
				      run.enc, run.enc_len), 0);
	run_free(&run);
	free(evals);
}

static void test_honest_all_foldings(void **state)
{
	static const unsigned domains[][2] = { /* log N, log degree */
		{ 5, 3 }, { 9, 6 }, { 11, 9 }, { 14, 12 },
	};
	unsigned f, d, final_log;

	(void)state;
	rng_state = 2;
	for (f = 1; f <= 4; f++)
		for (d = 0; d < 4; d++)
			for (final_log = 0; final_log <= 3; final_log++) {
				/* the big domain once per folding factor */
				if (d == 3 && final_log != f - 1)
					continue;
				check_honest(domains[d][0], domains[d][1], f,
					     final_log, ZK_HASH_BLAKE2S, 20);
			}
}

static void test_honest_other_hashes(void **state)
{
	(void)state;
	rng_state = 3;
	check_honest(8, 5, 2, 1, ZK_HASH_SHA256, 10);
	check_honest(8, 5, 3, 0, ZK_HASH_BLAKE2B, 10);
	check_honest(8, 5, 4, 2, ZK_HASH_POSEIDON2, 10);
	check_honest(8, 5, 1, 3, ZK_HASH_POSEIDON2_W12, 10);
	/* no fold at all: the final polynomial is the whole input */
	check_honest(6, 2, 2, 3, ZK_HASH_BLAKE2S, 10);
}

static void test_thread_count_does_not_matter(void **state)
{
	struct zk_fri_config cfg = make_cfg(13, 11, 2, 1);
	struct fri_run one, many;
	zk_ext *evals;

	(void)state;
	rng_state = 4;
	evals = poly_evals(&cfg, (size_t)1 << 11);
	cfg.threads = 1;
	prove(&cfg, evals, 16, &one);
	cfg.threads = 3;
	prove(&cfg, evals, 16, &many);
	assert_int_equal(one.enc_len, many.enc_len);
	assert_memory_equal(one.enc, many.enc, one.enc_len);
	run_free(&one);
	run_free(&many);
	free(evals);
}

/* zk_fri_commit_take (the values handed over, not copied): same proof */
static void test_commit_take_matches_commit(void **state)
{
	struct zk_fri_config cfg = make_cfg(12, 10, 3, 2);
	struct zk_transcript ta, tb;
	struct zk_fri_prover *fa, *fb;
	struct zk_fri_proof pa, pb;
	uint64_t positions[ZK_FRI_MAX_QUERIES];
	size_t n = (size_t)1 << cfg.log_domain, count;
	uint8_t *ea, *eb;
	size_t la, lb, used;
	zk_ext *evals, *owned;

	(void)state;
	rng_state = 9;
	evals = poly_evals(&cfg, (size_t)1 << 10);
	owned = malloc(n * sizeof(zk_ext));
	assert_non_null(owned);
	memcpy(owned, evals, n * sizeof(zk_ext));
	assert_int_equal(zk_transcript_init(&ta, cfg.hash, TEST_LABEL), 0);
	assert_int_equal(zk_transcript_init(&tb, cfg.hash, TEST_LABEL), 0);
	assert_int_equal(zk_fri_commit(&fa, &cfg, &ta, evals), 0);
	assert_int_equal(zk_fri_commit_take(&fb, &cfg, &tb, &owned), 0);
	assert_null(owned);
	count = draw_positions(&ta, cfg.log_domain, 20, positions);
	assert_int_equal(zk_fri_prove_queries(fa, positions, count, &pa), 0);
	assert_int_equal(zk_fri_prove_queries(fb, positions, count, &pb), 0);
	la = zk_fri_proof_encoded_size(&pa);
	lb = zk_fri_proof_encoded_size(&pb);
	assert_int_equal(la, lb);
	ea = malloc(la);
	eb = malloc(lb);
	assert_non_null(ea);
	assert_non_null(eb);
	assert_int_equal(zk_fri_proof_encode(&pa, ea, la, &used), 0);
	assert_int_equal(zk_fri_proof_encode(&pb, eb, lb, &used), 0);
	assert_memory_equal(ea, eb, la);
	zk_fri_prover_free(fa);
	zk_fri_prover_free(fb);
	/* a refused config still takes (frees) the values */
	owned = malloc(n * sizeof(zk_ext));
	assert_non_null(owned);
	cfg.log_folding = 9;
	assert_int_not_equal(zk_fri_commit_take(&fb, &cfg, &tb, &owned), 0);
	assert_null(owned);
	assert_null(fb);
	free(ea);
	free(eb);
	zk_fri_proof_free(&pa);
	zk_fri_proof_free(&pb);
	free(evals);
}

/* ---- dishonest inputs ---- */

static void test_degree_too_high_rejected(void **state)
{
	unsigned f;

	(void)state;
	rng_state = 5;
	for (f = 1; f <= 4; f++) {
		struct zk_fri_config cfg = make_cfg(10, 7, f, 1);
		struct fri_run run;
		/* 2^7 + 1 coefficients: degree exactly 2^log_degree. Its top
		 * term survives every fold untouched (it sits in G_0), so the
		 * final layer is x^(2^final) plus lower terms and every query
		 * misses the truncated final polynomial. */
		zk_ext *evals = poly_evals(&cfg, ((size_t)1 << 7) + 1);

		prove(&cfg, evals, 8, &run);
		assert_int_equal(verify_proof(&cfg, evals, 8, run.nonce,
					      &run.proof), ZK_STARK_EFRI);
		run_free(&run);
		free(evals);
	}
}

static void test_random_values_rejected(void **state)
{
	struct zk_fri_config cfg = make_cfg(11, 8, 3, 2);
	size_t n = (size_t)1 << cfg.log_domain, i;
	zk_ext *evals = malloc(n * sizeof(zk_ext));
	struct fri_run run;

	(void)state;
	rng_state = 6;
	assert_non_null(evals);
	for (i = 0; i < n; i++)
		evals[i] = rng_ext();
	prove(&cfg, evals, 30, &run);
	assert_int_equal(verify_proof(&cfg, evals, 30, run.nonce, &run.proof),
			 ZK_STARK_EFRI);
	run_free(&run);
	free(evals);
}

/* ---- tampering ---- */

struct honest_fixture {
	struct zk_fri_config cfg;
	zk_ext *evals;
	struct fri_run run;
	size_t n_queries;
};

static void honest_setup(struct honest_fixture *fx, unsigned f)
{
	fx->cfg = make_cfg(10, 7, f, 1);
	fx->n_queries = 12;
	rng_state = 7 + f;
	fx->evals = poly_evals(&fx->cfg, (size_t)1 << 7);
	prove(&fx->cfg, fx->evals, fx->n_queries, &fx->run);
	assert_int_equal(verify_proof(&fx->cfg, fx->evals, fx->n_queries,
				      fx->run.nonce, &fx->run.proof), 0);
}

static void honest_teardown(struct honest_fixture *fx)
{
	run_free(&fx->run);
	free(fx->evals);
}

static int verify_fx(struct honest_fixture *fx)
{
	return verify_proof(&fx->cfg, fx->evals, fx->n_queries, fx->run.nonce,
			    &fx->run.proof);
}

static void test_tamper_structures(void **state)
{
	unsigned f;

	(void)state;
	for (f = 1; f <= 4; f++) {
		struct honest_fixture fx;
		struct zk_fri_proof *p;
		unsigned l, i;

		honest_setup(&fx, f);
		p = &fx.run.proof;
		assert_true(p->n_layers >= 2);
		for (l = 0; l < p->n_layers; l++) {
			struct zk_fri_layer_proof *lp = &p->layers[l];
			size_t n_vals = zk_fri_layer_sent_values(lp);
			size_t picks[3] = { 0, n_vals / 2, n_vals - 1 };
			zk_gl saved;
			struct zk_digest dsave;

			for (i = 0; i < 3; i++) {
				zk_ext *val = &lp->coset_values[picks[i]];

				saved = val->c[i];
				val->c[i] = zk_gl_add(saved, 1);
				assert_int_not_equal(verify_fx(&fx), 0);
				val->c[i] = saved;
			}
			for (i = 0; i < lp->opening.n_nodes; i++) {
				lp->opening.nodes[i].bytes[i % 32] ^= 0x10;
				assert_int_equal(verify_fx(&fx),
						 ZK_STARK_EMERKLE);
				lp->opening.nodes[i].bytes[i % 32] ^= 0x10;
			}
			dsave = lp->root;
			lp->root.bytes[5] ^= 1;
			assert_int_not_equal(verify_fx(&fx), 0);
			lp->root = dsave;
			/* a coset count other than the positions imply */
			lp->n_cosets--;
			assert_int_equal(verify_fx(&fx), ZK_STARK_EFRI);
			lp->n_cosets++;
			/* a shape the config does not imply */
			lp->log_folding ^= 1;
			assert_int_equal(verify_fx(&fx), ZK_STARK_EPARAMS);
			lp->log_folding ^= 1;
		}
		for (i = 0; i < p->final_len; i++) {
			p->final_coeffs[i].c[2] = zk_gl_add(p->final_coeffs[i].c[2],
							    1);
			/* absorbed before grinding: the nonce fails first */
			assert_int_not_equal(verify_fx(&fx), 0);
			p->final_coeffs[i].c[2] = zk_gl_sub(p->final_coeffs[i].c[2],
							    1);
		}
		p->final_len--;
		assert_int_equal(verify_fx(&fx), ZK_STARK_EPARAMS);
		p->final_len++;
		p->n_layers--;
		assert_int_equal(verify_fx(&fx), ZK_STARK_EPARAMS);
		p->n_layers++;
		assert_int_equal(verify_fx(&fx), 0); /* all restored */
		honest_teardown(&fx);
	}
}

static void test_wrong_values0_rejected(void **state)
{
	struct honest_fixture fx;
	size_t n = (size_t)1 << 10, k;
	zk_ext *bad = malloc(n * sizeof(zk_ext));

	(void)state;
	honest_setup(&fx, 2);
	assert_non_null(bad);
	for (k = 0; k < fx.run.n_positions; k++) {
		uint64_t p = fx.run.positions[k];

		int rc;

		memcpy(bad, fx.evals, n * sizeof(zk_ext));
		bad[p] = zk_ext_add(bad[p], zk_ext_one());
		rc = verify_proof(&fx.cfg, bad, fx.n_queries, fx.run.nonce,
				  &fx.run.proof);
		/* a coset's first query supplies the value the proof leaves
		 * out (format 4): the coset then misses its Merkle leaf;
		 * any other query's value misses the value sent */
		assert_true(rc == ZK_STARK_EFRI || rc == ZK_STARK_EMERKLE);
	}
	free(bad);
	honest_teardown(&fx);
}

static void test_every_byte_flip_rejected(void **state)
{
	struct honest_fixture fx;
	uint8_t *buf;
	size_t i;

	(void)state;
	honest_setup(&fx, 3);
	buf = malloc(fx.run.enc_len);
	assert_non_null(buf);
	for (i = 0; i < fx.run.enc_len; i++) {
		memcpy(buf, fx.run.enc, fx.run.enc_len);
		buf[i] ^= (uint8_t)(1u << (i % 8));
		assert_int_not_equal(verify_bytes(&fx.cfg, fx.evals,
						  fx.n_queries, fx.run.nonce,
						  buf, fx.run.enc_len), 0);
	}
	free(buf);
	honest_teardown(&fx);
}

/*
 * Format 4 leaves out of every opened coset the value at its first
 * query's slot. A proof that leaves out another slot, or sends the coset
 * whole (format 3's layout), or whose left-out value the verifier is
 * given wrong, is rejected: the value put back is bound to the root.
 */
static void test_known_slot_is_bound(void **state)
{
	struct honest_fixture fx;
	struct zk_fri_layer_proof *lp;
	zk_ext full[16], *saved, *moved;
	size_t fold, slot, i, w, len;
	uint8_t *buf;

	(void)state;
	honest_setup(&fx, 2);
	lp = &fx.run.proof.layers[0];
	fold = (size_t)1 << lp->log_folding;
	assert_int_equal(zk_fri_layer_sent_values(lp),
			 (size_t)lp->n_cosets * (fold - 1));
	/* layer 0's first coset holds the smallest position, its first query */
	slot = fx.run.positions[0] & (fold - 1);
	for (i = 0, w = 0; i < fold; i++)
		full[i] = i == slot ? fx.evals[fx.run.positions[0]]
				    : lp->coset_values[w++];
	saved = lp->coset_values;
	moved = malloc(zk_fri_layer_sent_values(lp) * sizeof(zk_ext));
	assert_non_null(moved);
	for (size_t other = 0; other < fold; other++) {
		if (other == slot)
			continue;
		memcpy(moved, saved,
		       zk_fri_layer_sent_values(lp) * sizeof(zk_ext));
		for (i = 0, w = 0; i < fold; i++)
			if (i != other)
				moved[w++] = full[i];
		lp->coset_values = moved;
		assert_int_not_equal(verify_fx(&fx), 0);
		lp->coset_values = saved;
	}
	free(moved);
	assert_int_equal(verify_fx(&fx), 0);
	/* the left-out value sent anyway, in its slot: 24 bytes too many */
	len = fx.run.enc_len + ZK_EXT_BYTES;
	buf = malloc(len);
	assert_non_null(buf);
	w = 1 + ZK_DIGEST_BYTES + 4 + slot * ZK_EXT_BYTES;
	memcpy(buf, fx.run.enc, w);
	for (unsigned k = 0; k < ZK_EXT_DEGREE; k++)
		for (i = 0; i < 8; i++)
			buf[w + 8 * k + i] = (uint8_t)(full[slot].c[k] >> (8 * i));
	memcpy(buf + w + ZK_EXT_BYTES, fx.run.enc + w, fx.run.enc_len - w);
	assert_int_not_equal(verify_bytes(&fx.cfg, fx.evals, fx.n_queries,
					  fx.run.nonce, buf, len), 0);
	free(buf);
	honest_teardown(&fx);
}

/* ---- encoding ---- */

static void test_encoding_round_trip_and_hostile(void **state)
{
	struct honest_fixture fx;
	struct zk_fri_proof dec;
	struct zk_fri_schedule sched;
	uint8_t *buf, *re;
	size_t used, consumed, i, len;

	(void)state;
	honest_setup(&fx, 2);
	len = fx.run.enc_len;
	buf = malloc(len + 16);
	re = malloc(len);
	assert_non_null(buf);
	assert_non_null(re);
	/* re-encoding the decoded proof gives the same bytes */
	assert_int_equal(zk_fri_proof_encoded_size(&fx.run.proof), len);
	assert_int_equal(zk_fri_proof_encode(&fx.run.proof, re, len, &used), 0);
	assert_memory_equal(re, fx.run.enc, len);
	assert_int_equal(zk_fri_proof_encode(&fx.run.proof, re, len - 1,
					     &used), ZK_STARK_EINVAL);
	/* trailing data: an error unless the caller asks for the length */
	memcpy(buf, fx.run.enc, len);
	memset(buf + len, 0x5a, 16);
	assert_int_equal(zk_fri_proof_decode(&fx.cfg, fx.n_queries, buf,
					     len + 1, NULL, &dec),
			 ZK_STARK_EFORMAT);
	assert_int_equal(zk_fri_proof_decode(&fx.cfg, fx.n_queries, buf,
					     len + 16, &consumed, &dec), 0);
	assert_int_equal(consumed, len);
	zk_fri_proof_free(&dec);
	/* every truncation fails, without a crash or a leak */
	for (i = 0; i < len; i++)
		assert_int_not_equal(zk_fri_proof_decode(&fx.cfg, fx.n_queries,
							 fx.run.enc, i, NULL,
							 &dec), 0);
	/* too few queries allowed for the cosets present */
	assert_int_equal(zk_fri_proof_decode(&fx.cfg, 1, fx.run.enc, len,
					     NULL, &dec), ZK_STARK_EFORMAT);
	assert_int_equal(zk_fri_proof_decode(&fx.cfg, 0, fx.run.enc, len,
					     NULL, &dec), ZK_STARK_EINVAL);
	/* garbage of many lengths, half with a plausible layer count */
	assert_int_equal(zk_fri_schedule_make(&fx.cfg, &sched), 0);
	rng_state = 99;
	for (i = 0; i < 300; i++) {
		size_t n = (size_t)(rng_next() % (len + 8)), j;

		for (j = 0; j < n; j++)
			buf[j] = (uint8_t)rng_next();
		if (n > 0)
			buf[0] = (uint8_t)(i % 2 ? sched.n_layers : rng_next());
		assert_int_not_equal(zk_fri_proof_decode(&fx.cfg, fx.n_queries,
							 buf, n, NULL, &dec),
				     0);
	}
	/* a non-canonical limb (p itself) in each coefficient of the last
	 * final-polynomial element */
	for (size_t limb = 0; limb < ZK_EXT_DEGREE; limb++) {
		memcpy(buf, fx.run.enc, len);
		for (i = 0; i < 8; i++)
			buf[len - ZK_EXT_BYTES + 8 * limb + i] =
				(uint8_t)(ZK_GL_P >> (8 * i));
		assert_int_equal(zk_fri_proof_decode(&fx.cfg, fx.n_queries, buf,
						     len, NULL, &dec),
				 ZK_STARK_EFORMAT);
	}
	free(buf);
	free(re);
	honest_teardown(&fx);
}

static void test_other_config_rejected(void **state)
{
	struct honest_fixture fx;
	struct zk_fri_config other;
	int rc;

	(void)state;
	honest_setup(&fx, 2);
	/* different folding, domain, degree, final size, shift, hash */
	other = fx.cfg;
	other.log_folding = 3;
	assert_int_not_equal(verify_bytes(&other, fx.evals, fx.n_queries,
					  fx.run.nonce, fx.run.enc,
					  fx.run.enc_len), 0);
	other = fx.cfg;
	other.log_folding = 1;
	assert_int_not_equal(verify_bytes(&other, fx.evals, fx.n_queries,
					  fx.run.nonce, fx.run.enc,
					  fx.run.enc_len), 0);
	other = fx.cfg;
	other.log_domain = 11;
	assert_int_not_equal(verify_bytes(&other, fx.evals, fx.n_queries,
					  fx.run.nonce, fx.run.enc,
					  fx.run.enc_len), 0);
	other = fx.cfg;
	other.log_degree = 6;
	other.final_log_max = 0;
	assert_int_not_equal(verify_bytes(&other, fx.evals, fx.n_queries,
					  fx.run.nonce, fx.run.enc,
					  fx.run.enc_len), 0);
	/* the same shape: only the transcript binding can tell */
	other = fx.cfg;
	other.shift = 3;
	rc = verify_bytes(&other, fx.evals, fx.n_queries, fx.run.nonce,
			  fx.run.enc, fx.run.enc_len);
	assert_int_not_equal(rc, 0);
	other = fx.cfg;
	other.hash = ZK_HASH_SHA256;
	assert_int_not_equal(verify_bytes(&other, fx.evals, fx.n_queries,
					  fx.run.nonce, fx.run.enc,
					  fx.run.enc_len), 0);
	honest_teardown(&fx);
}

static void test_bad_positions(void **state)
{
	struct honest_fixture fx;
	struct zk_transcript t;
	struct zk_fri_verifier v;
	uint64_t pos[2] = { 0, (uint64_t)1 << 10 };
	zk_ext vals[2] = { zk_ext_zero(), zk_ext_zero() };

	(void)state;
	honest_setup(&fx, 1);
	assert_int_equal(zk_transcript_init(&t, fx.cfg.hash, TEST_LABEL), 0);
	assert_int_equal(zk_fri_verify_commit(&v, &fx.cfg, &t, &fx.run.proof),
			 0);
	assert_int_equal(zk_fri_verify_queries(&v, &fx.run.proof, pos, vals, 2),
			 ZK_STARK_EINVAL);
	assert_int_equal(zk_fri_verify_queries(&v, &fx.run.proof, pos, vals, 0),
			 ZK_STARK_EINVAL);
	honest_teardown(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_coset_matches_definition),
		cmocka_unit_test(test_schedule),
		cmocka_unit_test(test_honest_all_foldings),
		cmocka_unit_test(test_honest_other_hashes),
		cmocka_unit_test(test_thread_count_does_not_matter),
		cmocka_unit_test(test_commit_take_matches_commit),
		cmocka_unit_test(test_degree_too_high_rejected),
		cmocka_unit_test(test_random_values_rejected),
		cmocka_unit_test(test_tamper_structures),
		cmocka_unit_test(test_wrong_values0_rejected),
		cmocka_unit_test(test_every_byte_flip_rejected),
		cmocka_unit_test(test_known_slot_is_bound),
		cmocka_unit_test(test_encoding_round_trip_and_hostile),
		cmocka_unit_test(test_other_config_rejected),
		cmocka_unit_test(test_bad_positions),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	zk_ntt_teardown();
	return rc;
}
