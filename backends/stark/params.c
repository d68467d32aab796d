/* SPDX-License-Identifier: MIT */
/*
 * The parameter table and the security estimates that `zkclob inspect`
 * prints. Both estimates are functions of (set, log_n, constraint degree)
 * only, so a verifier can state the security of a proof it has just checked.
 *
 * Notation: n = 2^log_n trace rows, B = 2^log_blowup, N = n·B, rate
 * rho = 1/B, d the AIR's max constraint degree, q queries, g grinding bits,
 * |F| = p^3 (challenges live in F_p3, ext3.h; ZK_EXT_DEGREE = 3).
 *
 * Conjectured (ethSTARK documentation v1.2, §5.10.1 "conjectured
 * soundness", the convention Winterfell also follows): every query
 * catches a far word with probability 1 - rho (up to the capacity bound)
 * and grinding adds g bits, so the query part is q·log2(B) + g bits. The
 * field part bounds the out-of-domain (DEEP) check, which a cheating
 * composition passes with probability <= d·n/|F|, and the FRI commit
 * phase, conjectured to err with probability <= N/|F|:
 *     field = log2|F| - log2(N + d·n).
 * Digests are 256 bits, so nothing is claimed above 128 (collisions).
 *     conjectured = min(q·log_blowup + g, field, 128).
 * Over F_p3 the field term is 192 - log2(N + d·n) >= 160 for every trace
 * this STARK accepts (N <= 2^25, B <= 32, d <= 33), so the query part
 * decides: fast 104, compact 128, throughput 100 bits at every size.
 * (Over the former F_p2 it was 128 - log2(N + d·n): compact fell to
 * 113.7 bits at 2^10 rows and 103.7 at 2^20.)
 *
 * Proven (list decoding up to the Johnson bound; ethSTARK §5.9 / Thm 8
 * with the proximity-gap bound of Ben-Sasson, Carmon, Haböck, Kopparty,
 * Saraf 2025, Thm 4.2 — the same choices as the public "soundcalc"
 * calculator): take the proximity gap eta = rho/20, so a word is
 * theta = 1 - sqrt(rho) - eta far, the list size is L = 1/(2·eta·sqrt(rho))
 * and m = max(ceil(sqrt(rho)/eta), 3). The error terms are
 *     query   (sqrt(rho) + eta)^q · 2^-g
 *     DEEP    L·(d + 1)·n / |F|
 *     ALI     L·C / |F|   (the composition's C terms combined with powers
 *                          of one α; C <= 2·4096 + 4096, air.h's limits)
 *     prox(M) [(2(m+1/2)^5 + 3(m+1/2)·theta·rho)·M / (3·rho·sqrt(rho))
 *              + (m+1/2)/sqrt(rho)] / |F|       (one linear batching on a
 *                                                domain of size M)
 *     batch   (T - 1)·prox(N)          (DEEP combination of T terms with
 *                                        powers of one γ; T <= 4·1024 + d)
 *     fold    (2^f_i - 1)·prox(N_i)    per FRI layer i of factor 2^f_i on
 *                                        a domain of size N_i (powers of β)
 *     proven  = -log2(sum of the terms), capped at 128 like above.
 * With |F| = p^3 every field term is below 2^-110 and the query term
 * decides: 58.4 (fast), 74.7 (compact), 53.8 (throughput) bits for any
 * n <= 2^24 (F_p2 gave compact 71.0 bits at 2^10 rows, 62.8 at 2^20;
 * compact with 28 queries and 16 grinding bits, up to format 3: 71.5;
 * blowup 16, 27 queries and 20 bits, format 4: 73.5).
 * The FRI schedule is fri.c's (zk_fri_next_fold: the halvings down to
 * final_log_max over the fewest layers, the first of three or more by
 * 2^log_folding, the rest spread evenly), log_degree = log_n.
 */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "air.h"
#include "ext3.h"
#include "fri.h"
#include "params.h"

/* The most terms one power series combines (proof format 3): α over every
 * constraint and assertion, γ over two openings per column plus chunks. */
#define MAX_ALPHA_TERMS (2.0 * ZK_AIR_MAX_CONSTRAINTS + ZK_AIR_MAX_ASSERTIONS)
#define MAX_GAMMA_TERMS(d) (4.0 * ZK_AIR_MAX_WIDTH + (double)(d))

/*
 * final_log_max 8 (format 4; 3 and 4 before): a FRI layer costs every
 * query a coset of 2^f values and a Merkle path, about 13 KB at 2^20
 * rows for compact's last layer, while the final polynomial in the clear
 * is 2^8 × 24 bytes = 6 KB (docs/perf.md "Proof size").
 */
static const struct zk_stark_params zk_params_table[] = {
	{
		.id = ZK_PARAMS_FAST,
		.name = "fast",
		.log_blowup = 2,
		.log_folding = 3,
		.n_queries = 44,
		.grinding_bits = 16,
		.final_log_max = 8,
		.hash = ZK_HASH_BLAKE2S,
	},
	{
		/* Blowup 32 (16 up to session 7): a query is worth 5 bits
		 * instead of 4, so 22·5 + 20 = 130 (capped at 128) takes five
		 * queries' openings fewer than 27·4 + 20 = 128 did, for
		 * twice the LDE and commitment work. At 2^20 rows the range
		 * AIR's proof drops from 112,309 to under 100 KiB (docs/perf.md
		 * "Compact blowup 32"). Proven 74.7 bits (73.5 before: a query
		 * is worth -log2(√(1/32) + 1/640) = 2.49 proven bits here). */
		.id = ZK_PARAMS_COMPACT,
		.name = "compact",
		.log_blowup = 5,
		.log_folding = 4,
		.n_queries = 22,
		.grinding_bits = 20,
		.final_log_max = 8,
		.hash = ZK_HASH_BLAKE2S,
	},
	{
		/* The smallest blowup FRI allows: half the LDE and commitment
		 * work of `fast` for AIRs of degree <= 3 (blowup + 1), paid for
		 * with twice the queries: 84·1 + 16 = 100 conjectured bits. */
		.id = ZK_PARAMS_THROUGHPUT,
		.name = "throughput",
		.log_blowup = 1,
		.log_folding = 3,
		.n_queries = 84,
		.grinding_bits = 16,
		.final_log_max = 8,
		.hash = ZK_HASH_BLAKE2S,
	},
};

#define ZK_PARAMS_COUNT (sizeof(zk_params_table) / sizeof(zk_params_table[0]))

/* 256-bit digests: generic collision search costs 2^128. */
#define ZK_HASH_COLLISION_BITS 128.0

const struct zk_stark_params *zk_stark_params_by_id(uint8_t id)
{
	for (size_t i = 0; i < ZK_PARAMS_COUNT; i++)
		if (zk_params_table[i].id == id)
			return &zk_params_table[i];
	return NULL;
}

const struct zk_stark_params *zk_stark_params_by_name(const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < ZK_PARAMS_COUNT; i++)
		if (strcmp(zk_params_table[i].name, name) == 0)
			return &zk_params_table[i];
	return NULL;
}

unsigned zk_stark_params_max_degree(const struct zk_stark_params *p)
{
	return (1u << p->log_blowup) + 1;
}

/* log2 |F| of the extension every challenge is drawn from */
static double log2_field_size(void)
{
	return ZK_EXT_DEGREE * log2((double)ZK_GL_P);
}

double zk_stark_conjectured_bits(const struct zk_stark_params *p,
				 unsigned log_n, unsigned max_degree)
{
	double n = ldexp(1.0, (int)log_n);
	double big_n = ldexp(n, (int)p->log_blowup);
	double query = (double)p->n_queries * p->log_blowup + p->grinding_bits;
	double field = log2_field_size() - log2(big_n + (double)max_degree * n);

	return fmin(fmin(query, field), ZK_HASH_COLLISION_BITS);
}

double zk_stark_proven_bits(const struct zk_stark_params *p, unsigned log_n,
			    unsigned max_degree)
{
	double field = exp2(log2_field_size());
	double n = ldexp(1.0, (int)log_n);
	double big_n = ldexp(n, (int)p->log_blowup);
	double rho = ldexp(1.0, -(int)p->log_blowup);
	double sqrt_rho = sqrt(rho);
	double eta = rho / 20.0;
	double theta = 1.0 - sqrt_rho - eta;
	double list_size = 1.0 / (2.0 * eta * sqrt_rho);
	double m = fmax(ceil(sqrt_rho / eta), 3.0);
	double mh = m + 0.5;
	double prox_slope = (2.0 * pow(mh, 5.0) + 3.0 * mh * theta * rho) /
			    (3.0 * rho * sqrt_rho) / field;
	double prox_const = mh / sqrt_rho / field;
	double err = 0.0;
	unsigned log_degree = log_n;
	unsigned log_domain = log_n + p->log_blowup;

	err += pow(sqrt_rho + eta, (double)p->n_queries) *
	       ldexp(1.0, -(int)p->grinding_bits);
	err += list_size * ((double)max_degree + 1.0) * n / field;
	err += list_size * MAX_ALPHA_TERMS / field;
	err += (MAX_GAMMA_TERMS(max_degree) - 1.0) *
	       (prox_slope * big_n + prox_const);
	while (log_degree > p->final_log_max) {
		unsigned f = zk_fri_next_fold(log_degree, p->final_log_max,
					      p->log_folding,
					      log_degree == log_n);

		err += (ldexp(1.0, (int)f) - 1.0) *
		       (prox_slope * ldexp(1.0, (int)log_domain) + prox_const);
		log_degree -= f;
		log_domain -= f;
	}
	return fmin(-log2(err), ZK_HASH_COLLISION_BITS);
}
