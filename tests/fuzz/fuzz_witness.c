/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the two decoders a prover process runs on bytes from
 * another process: the committed-batch witness of a PROVE request
 * (zk_clob_witness_decode, prover/clob_witness.c) and the batch container
 * (zk_clob_container_decode, prover/clob_container.c) that proofs travel in
 * and the proof log stores.
 *
 * Input: one mode byte, then the bytes. Mode bit 0 clear: a witness,
 * decoded against the statement and ops of a real committed batch built at
 * start-up; set: a container.
 * Checked on every input, else abort():
 *  - nothing crashes, leaks or reads out of bounds (ASan/UBSan);
 *  - an accepted witness re-encodes (zk_bp_witness_encode) to exactly the
 *    input bytes, rebuilds a batch whose digests, seqs and roots are the
 *    statement's, and a refused one leaves nothing allocated;
 *  - an accepted container re-encodes to exactly the input bytes and its
 *    parts add up to its length.
 *
 * Built a second time with -DZK_FUZZ_WITNESS_SEEDS (gcc, linked against
 * the libraries) it is the seed generator: `fuzz_witness_seed DIR LIST`
 * writes the honest witness and a container of the same batch.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkclob/backend.h"
#include "zkclob/clobproof.h"

#include "../prover/clob_test_util.h"
#include "fuzz_seed_util.h"

#define MODE_CONTAINER 1u

static struct clob_rig rig;
static struct zk_batch *batch;
static struct zk_st_update update;
static struct zk_statement stmt;

/* A committed book batch (rests, cancels, crosses): the statement every
 * witness input is decoded against. */
static void setup(void)
{
	struct zk_op ops[40];

	if (clob_rig_init(&rig, 1000) != 0)
		abort();
	for (size_t i = 0; i < 40; i++)
		ops[i] = clob_book_op(&rig, i);
	batch = clob_rig_batch(&rig, ops, 40);
	if (batch == NULL ||
	    zk_st_apply_witness(rig.t, &batch->witness, &update) != 0)
		abort();
	stmt.market = clob_test_market.market;
	stmt.batch_seq = batch->batch_seq;
	stmt.first_seq = batch->first_seq;
	stmt.last_seq = batch->last_seq;
	memcpy(stmt.old_root, update.old_root, 32);
	memcpy(stmt.new_root, update.new_root, 32);
	memcpy(stmt.ops_digest, batch->ops_digest, 32);
	memcpy(stmt.events_digest, batch->events_digest, 32);
	batch->tree_update = &update;
	batch->tree_layout = zk_st_layout_get(rig.t);
}

#ifndef ZK_FUZZ_WITNESS_SEEDS

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setup();
	return 0;
}

static void check_witness(const uint8_t *in, size_t len)
{
	struct zk_clob_rebuilt rb;
	char err[256];
	uint8_t *again;
	size_t n;

	if (zk_clob_witness_decode(&stmt, batch->ops, batch->n_ops, in, len,
				   &clob_test_market, &rb, err,
				   sizeof(err)) != 0) {
		if (rb.batch.ops != NULL || rb.update.leaves != NULL ||
		    err[0] == '\0')
			abort();
		return;
	}
	if (memcmp(rb.batch.ops_digest, stmt.ops_digest, 32) != 0 ||
	    memcmp(rb.batch.events_digest, stmt.events_digest, 32) != 0 ||
	    memcmp(rb.update.old_root, stmt.old_root, 32) != 0 ||
	    memcmp(rb.update.new_root, stmt.new_root, 32) != 0 ||
	    rb.batch.first_seq != stmt.first_seq ||
	    rb.batch.last_seq != stmt.last_seq ||
	    rb.batch.tree_update != &rb.update)
		abort();
	n = zk_bp_witness_size(&rb.batch);
	again = malloc(n + 1);
	if (again == NULL || n != len ||
	    zk_bp_witness_encode(&rb.batch, again, n) != n ||
	    memcmp(again, in, n) != 0)
		abort();
	free(again);
	zk_clob_rebuilt_free(&rb);
}

static void check_container(const uint8_t *in, size_t len)
{
	struct zk_clob_container c;
	char err[256];
	uint8_t *again;
	size_t n;

	if (zk_clob_container_decode(in, len, &c, err, sizeof(err)) != 0) {
		if (c.ops != NULL || c.events != NULL || err[0] == '\0')
			abort();
		return;
	}
	n = zk_clob_container_size(c.n_ops, c.n_events, c.proof_len);
	again = malloc(n);
	if (again == NULL || n != len || c.proof + c.proof_len != in + len ||
	    zk_clob_container_encode(c.ops, c.n_ops, c.events, c.n_events,
				     c.proof, c.proof_len, again, n) != n ||
	    memcmp(again, in, n) != 0)
		abort();
	free(again);
	zk_clob_container_free(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & MODE_CONTAINER)
		check_container(data + 1, size - 1);
	else
		check_witness(data + 1, size - 1);
	return 0;
}

#else /* seed generator */

int main(int argc, char **argv)
{
	struct fuzz_seeds s;
	static uint8_t buf[1u << 22];
	const uint8_t mode_w = 0, mode_c = MODE_CONTAINER;
	uint8_t proof[200];
	size_t n;

	if (argc != 3) {
		fprintf(stderr, "usage: fuzz_witness_seed DIR LIST\n");
		return 2;
	}
	setup();
	if (fuzz_seeds_open(&s, "fuzz_witness_seed", argv[1], argv[2]) != 0)
		return 1;
	n = zk_bp_witness_encode(batch, buf, sizeof(buf));
	if (n == 0 || fuzz_seeds_emit2(&s, &mode_w, 1, buf, n) != 0)
		return 1;
	for (size_t i = 0; i < sizeof(proof); i++)
		proof[i] = (uint8_t)(i * 37);
	n = zk_clob_container_encode(batch->ops, batch->n_ops,
				     batch->events.ev, batch->events.len, proof,
				     sizeof(proof), buf, sizeof(buf));
	if (n == 0 || fuzz_seeds_emit2(&s, &mode_c, 1, buf, n) != 0)
		return 1;
	return fuzz_seeds_close(&s) != 0;
}

#endif
