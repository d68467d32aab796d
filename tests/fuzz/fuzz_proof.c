/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the STARK proof decoder and verifier: arbitrary
 * bytes must be rejected with a status, never crash, leak or hit UB, and
 * nothing but an honest proof may be accepted.
 *
 * Input: one selector byte, then the proof bytes. Selector bit 0 picks the
 * parameter set the verifier expects (fast / compact), bit 1 the AIR
 * (Fibonacci, no aux segment / LogUp range check, with one).
 * Checked on every input:
 *  - zk_stark_verify() returns a zk_stark_status and never crashes;
 *  - the inspect path (zk_stark_proof_decode without an AIR, describe)
 *    agrees with itself: whatever decodes re-encodes to exactly the input
 *    bytes (the encoding is canonical), else abort();
 *  - an accepted proof decodes too (the verifier cannot accept what the
 *    decoder refuses).
 *
 * Built a second time with -DZK_FUZZ_PROOF_SEEDS (gcc, linked against the
 * library) it is the seed generator: `fuzz_proof_seed DIR LIST` writes one
 * honest proof per selector value into DIR and their comma-separated paths
 * into LIST (libFuzzer's -seed_inputs=@LIST).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "air_fib.h"
#include "air_range.h"
#include "proof.h"
#include "stark.h"

#define FIB_LOG_N 5
#define SEL_COMPACT 1u
#define SEL_RANGE 2u
#define N_SELECTORS 4u

struct statements {
	struct zk_air_fib fib;
	struct zk_air_range range;
	zk_gl *fib_cols[ZK_AIR_FIB_WIDTH];
	zk_gl *range_cols[ZK_RANGE_WIDTH];
};

/* The statements the seeds prove; both sides build them the same way. */
static int statements_build(struct statements *s)
{
	size_t n = (size_t)1 << ZK_AIR_RANGE_MIN_LOG_N, i;
	zk_gl *v = malloc(n * sizeof(*v));
	zk_gl res;
	unsigned c;

	memset(s, 0, sizeof(*s));
	for (c = 0; c < ZK_AIR_FIB_WIDTH; c++)
		s->fib_cols[c] = malloc(sizeof(zk_gl) << FIB_LOG_N);
	for (c = 0; c < ZK_RANGE_WIDTH; c++)
		s->range_cols[c] = malloc(n * sizeof(zk_gl));
	for (c = 0; c < ZK_AIR_FIB_WIDTH; c++)
		if (s->fib_cols[c] == NULL)
			return -1;
	for (c = 0; c < ZK_RANGE_WIDTH; c++)
		if (s->range_cols[c] == NULL)
			return -1;
	if (v == NULL)
		return -1;
	res = zk_air_fib_trace(2, 7, FIB_LOG_N, s->fib_cols[0], s->fib_cols[1]);
	zk_air_fib_init(&s->fib, 2, 7, res);
	for (i = 0; i < n; i++)
		v[i] = (i * 2654435761u) & 0xffff;
	if (zk_air_range_trace(v, ZK_AIR_RANGE_MIN_LOG_N, s->range_cols) != 0) {
		free(v);
		return -1;
	}
	zk_air_range_init(&s->range, v[0], v[n - 1]);
	free(v);
	return 0;
}

static const struct zk_air *select_air(const struct statements *s,
				       unsigned sel)
{
	return (sel & SEL_RANGE) ? &s->range.air : &s->fib.air;
}

static uint8_t select_params(unsigned sel)
{
	return (sel & SEL_COMPACT) ? ZK_PARAMS_COMPACT : ZK_PARAMS_FAST;
}

#ifndef ZK_FUZZ_PROOF_SEEDS

static struct statements st;
static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct zk_stark_proof pf;
	const uint8_t *proof;
	uint8_t *again = NULL;
	size_t len, again_len = 0;
	char err[256];
	unsigned sel;
	int rc, dec;

	if (!ready) {
		if (statements_build(&st) != 0)
			abort();
		devnull = fopen("/dev/null", "w");
		if (devnull == NULL)
			abort();
		ready = 1;
	}
	if (size < 1)
		return 0;
	sel = data[0] % N_SELECTORS;
	proof = data + 1;
	len = size - 1;

	rc = zk_stark_verify(select_air(&st, sel), select_params(sel), proof,
			     len, err, sizeof(err));
	if (rc > 0 || rc < ZK_STARK_EAUX)
		abort(); /* not a zk_stark_status */

	zk_stark_proof_init(&pf);
	dec = zk_stark_proof_decode(proof, len, NULL, NULL, &pf, err,
				    sizeof(err));
	if (rc == ZK_STARK_ACCEPT && dec != 0)
		abort();
	if (dec == 0) {
		if (zk_stark_proof_encode(&pf, &again, &again_len) != 0 ||
		    again_len != len || memcmp(again, proof, len) != 0)
			abort(); /* two encodings of one proof */
		free(again);
		zk_stark_proof_free(&pf);
	}
	(void)zk_stark_proof_describe(proof, len, devnull);
	return 0;
}

#else /* seed generator */

static void statements_free(struct statements *s)
{
	unsigned c;

	for (c = 0; c < ZK_AIR_FIB_WIDTH; c++)
		free(s->fib_cols[c]);
	for (c = 0; c < ZK_RANGE_WIDTH; c++)
		free(s->range_cols[c]);
}

int main(int argc, char **argv)
{
	struct statements s;
	struct zk_prove_opts opts = { .threads = 2 };
	char path[4096], err[256];
	unsigned sel;
	FILE *list;

	if (argc != 3) {
		fprintf(stderr, "usage: %s CORPUS_DIR SEED_LIST_FILE\n", argv[0]);
		return 2;
	}
	if (mkdir(argv[1], 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "fuzz_proof_seed: %s: %s\n", argv[1],
			strerror(errno));
		return 1;
	}
	if (statements_build(&s) != 0) {
		fprintf(stderr, "fuzz_proof_seed: out of memory\n");
		statements_free(&s);
		return 1;
	}
	list = fopen(argv[2], "w");
	if (list == NULL) {
		fprintf(stderr, "fuzz_proof_seed: %s: %s\n", argv[2],
			strerror(errno));
		return 1;
	}
	for (sel = 0; sel < N_SELECTORS; sel++) {
		const struct zk_stark_params *p =
			zk_stark_params_by_id(select_params(sel));
		const zk_gl *const *cols = (sel & SEL_RANGE) ?
			(const zk_gl *const *)s.range_cols :
			(const zk_gl *const *)s.fib_cols;
		unsigned log_n = (sel & SEL_RANGE) ? ZK_AIR_RANGE_MIN_LOG_N :
						     FIB_LOG_N;
		uint8_t selector = (uint8_t)sel, *proof;
		size_t len;
		FILE *f;
		int rc;

		rc = zk_stark_prove(select_air(&s, sel), p, cols, log_n, &opts,
				    &proof, &len, err, sizeof(err));
		if (rc != ZK_STARK_ACCEPT) {
			fprintf(stderr, "fuzz_proof_seed: prove: %s (%s)\n",
				zk_stark_strerror(rc), err);
			return 1;
		}
		snprintf(path, sizeof(path), "%s/proof-%u", argv[1], sel);
		f = fopen(path, "wb");
		if (f == NULL || fwrite(&selector, 1, 1, f) != 1 ||
		    fwrite(proof, 1, len, f) != len || fclose(f) != 0) {
			fprintf(stderr, "fuzz_proof_seed: %s: %s\n", path,
				strerror(errno));
			return 1;
		}
		free(proof);
		fprintf(list, "%s%s", sel ? "," : "", path);
	}
	statements_free(&s);
	return fclose(list) == 0 ? 0 : 1;
}

#endif
