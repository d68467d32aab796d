/* SPDX-License-Identifier: MIT */
/*
 * `zkclob prove` and `zkclob verify`: one batch of one market, proven from
 * a capture and checked from files, so that anyone holding the statement,
 * the proof, the ops and the events can verify without us.
 *
 * Files in the output directory (all canonical encodings):
 *   statement.bin  160 bytes (include/zkclob/statement.h)
 *   proof.bin      the native STARK proof (zkclob inspect reads it)
 *   ops.bin        the batch's ops, 64 bytes each (zk_op_encode)
 *   events.bin     their events, 64 bytes each (zk_event_encode)
 *
 * The batch: the capture's ops are applied in order; after `skip` ops of
 * `market` the next `count` ops of that market form the batch (witness
 * on). Other markets' ops inside that window are left out: books of
 * different markets share no slot, so the batch's events and roots do not
 * depend on them, and the batch stays one market's.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "zkclob/batch.h"
#include "zkclob/clobproof.h"
#include "zkclob/statetree.h"
#include "zkclob/wire.h"
#include "prove.h"
#include "replay.h"

#define MAX_FILE (256u << 20)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const struct zk_market_params *find_market(const struct zk_config *cfg,
						  uint32_t market)
{
	size_t i;

	for (i = 0; i < cfg->n_markets; i++)
		if (cfg->markets[i].market == market)
			return &cfg->markets[i];
	return NULL;
}

static int write_file(const char *dir, const char *name, const void *data,
		      size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (f == NULL || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0) {
		fprintf(stderr, "zkclob: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Whole file into memory, refusing anything larger than MAX_FILE. */
static uint8_t *read_file(const char *dir, const char *name, size_t *len)
{
	char path[PATH_MAX];
	uint8_t *buf = NULL;
	long size;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "zkclob: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (unsigned long)size > MAX_FILE) {
		fprintf(stderr, "zkclob: %s: unreadable or larger than %u bytes\n",
			path, MAX_FILE);
		fclose(f);
		return NULL;
	}
	*len = (size_t)size;
	buf = malloc(*len ? *len : 1);
	if (buf == NULL || fread(buf, 1, *len, f) != *len) {
		fprintf(stderr, "zkclob: %s: read failed\n", path);
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* Every op of the capture, in order (parser drops are counted there). */
static struct zk_op *capture_ops(const struct zk_config *cfg, const char *path,
				 size_t *n_ops)
{
	struct zk_capture cap;
	struct zk_wire_cfg wcfg;
	struct zk_wire_parser parser;
	struct zk_op *ops = NULL, *grown;
	size_t cap_ops = 0, f, got;
	char err[512];

	if (zk_capture_load(&cap, path, err, sizeof(err)) != 0) {
		fprintf(stderr, "zkclob: prove: %s\n", err);
		return NULL;
	}
	zk_wire_cfg_default(&wcfg);
	wcfg.udp_port = cfg->wire.udp_port;
	zk_wire_parser_init(&parser, &wcfg);
	*n_ops = 0;
	for (f = 0; f < cap.n_frames; f++) {
		size_t len = cap.off[f + 1] - cap.off[f];
		size_t room = ZK_WIRE_MAX_MSGS(len > ZK_WIRE_FRAME_OVERHEAD ? len : ZK_WIRE_FRAME_OVERHEAD) + 1;

		if (*n_ops + room > cap_ops) {
			cap_ops = (*n_ops + room) * 2;
			grown = realloc(ops, cap_ops * sizeof(*ops));
			if (grown == NULL) {
				fprintf(stderr, "zkclob: prove: out of memory\n");
				free(ops);
				zk_capture_free(&cap);
				return NULL;
			}
			ops = grown;
		}
		got = zk_wire_parse_frame(&parser, cap.data + cap.off[f], len,
					  ops + *n_ops, cap_ops - *n_ops);
		*n_ops += got;
	}
	zk_capture_free(&cap);
	return ops;
}

int zk_cli_prove(const struct zk_config *cfg, const struct zk_prove_args *a)
{
	const struct zk_market_params *mp = find_market(cfg, a->market);
	struct zk_clob_prove_opts opts;
	struct zk_batch_cfg bcfg = { .max_ops = a->count, .witness = true };
	struct zk_event_buf scratch = { 0 };
	struct zk_engine *engine = NULL;
	struct zk_batcher *batcher = NULL;
	struct zk_st_tree *tree = NULL;
	struct zk_batch *batch = NULL, *cut;
	struct zk_statement st;
	struct zk_op *ops;
	size_t n_ops, i, seen = 0;
	uint8_t *proof = NULL, *buf = NULL, stbytes[ZK_STATEMENT_WIRE_SIZE];
	size_t proof_len = 0;
	char err[512];
	double t0;
	int rc = 1;

	if (mp == NULL) {
		fprintf(stderr, "zkclob: prove: no [market.%" PRIu32 "] in the config\n",
			a->market);
		return 2;
	}
	ops = capture_ops(cfg, a->capture, &n_ops);
	if (ops == NULL)
		return 1;
	engine = zk_engine_create(cfg->markets, cfg->n_markets);
	if (engine == NULL) {
		fprintf(stderr, "zkclob: prove: cannot create the engine: %s\n",
			strerror(errno));
		goto out;
	}
	/* the book before the batch */
	for (i = 0; i < n_ops && seen < a->skip; i++) {
		scratch.len = 0;
		if (zk_engine_apply(engine, &ops[i], &scratch) < 0)
			goto oom;
		seen += ops[i].market == a->market;
	}
	tree = zk_st_create(engine, a->market, 4);
	batcher = tree ? zk_batcher_create(engine, &bcfg) : NULL;
	if (batcher == NULL) {
		fprintf(stderr, "zkclob: prove: state tree / batcher: %s\n",
			strerror(errno));
		goto out;
	}
	for (; i < n_ops && batch == NULL; i++) {
		if (ops[i].market != a->market)
			continue;
		if (zk_batcher_push(batcher, &ops[i], 0, &cut) != 0)
			goto oom;
		batch = cut;
	}
	if (batch == NULL && zk_batcher_flush(batcher, 0, &batch) != 0)
		goto oom;
	if (batch == NULL) {
		fprintf(stderr, "zkclob: prove: market %" PRIu32 " has no op after the first %" PRIu64 "\n",
			a->market, a->skip);
		rc = 2;
		goto out;
	}
	opts.market = mp;
	opts.stark_params = a->params;
	opts.threads = a->threads;
	opts.debug = 0;
	t0 = now_s();
	rc = zk_clob_prove(batch, tree, &opts, &proof, &proof_len, &st, err,
			   sizeof(err));
	if (rc != ZK_CLOB_OK) {
		fprintf(stderr, "zkclob: prove: refused: %s\n", err);
		rc = 1;
		goto out;
	}
	printf("prove:   market %" PRIu32 ", %zu ops (seq %" PRIu64 "..%" PRIu64
	       "), %zu events, %zu-byte proof in %.3f s\n",
	       a->market, batch->n_ops, st.first_seq, st.last_seq,
	       batch->events.len, proof_len, now_s() - t0);
	buf = malloc((batch->n_ops > batch->events.len ? batch->n_ops : batch->events.len) * 64 + 1);
	if (mkdir(a->out_dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "zkclob: prove: %s: %s\n", a->out_dir, strerror(errno));
		rc = 1;
		goto out;
	}
	if (buf == NULL)
		goto oom;
	zk_statement_encode(&st, stbytes);
	rc = write_file(a->out_dir, "statement.bin", stbytes, sizeof(stbytes)) ||
	     write_file(a->out_dir, "proof.bin", proof, proof_len);
	for (i = 0; rc == 0 && i < batch->n_ops; i++)
		zk_op_encode(&batch->ops[i], buf + i * 64);
	rc = rc || write_file(a->out_dir, "ops.bin", buf, batch->n_ops * 64);
	for (i = 0; rc == 0 && i < batch->events.len; i++)
		zk_event_encode(&batch->events.ev[i], buf + i * 64);
	rc = rc || write_file(a->out_dir, "events.bin", buf, batch->events.len * 64);
	if (rc == 0)
		printf("wrote:   %s/{statement,proof,ops,events}.bin\n", a->out_dir);
	rc = rc ? 1 : 0;
	goto out;
oom:
	fprintf(stderr, "zkclob: prove: out of memory\n");
	rc = 1;
out:
	free(buf);
	free(proof);
	zk_batch_free(batch);
	zk_batcher_destroy(batcher);
	zk_st_destroy(tree);
	zk_engine_destroy(engine);
	zk_event_buf_free(&scratch);
	free(ops);
	return rc;
}

int zk_cli_verify(const struct zk_config *cfg, uint8_t params, const char *dir)
{
	uint8_t *stb = NULL, *proof = NULL, *opsb = NULL, *evb = NULL;
	size_t stlen = 0, plen = 0, olen = 0, elen = 0, i;
	struct zk_op *ops = NULL;
	struct zk_event *events = NULL;
	const struct zk_market_params *mp;
	struct zk_statement st;
	char err[512];
	int rc = 1;

	stb = read_file(dir, "statement.bin", &stlen);
	proof = stb ? read_file(dir, "proof.bin", &plen) : NULL;
	opsb = proof ? read_file(dir, "ops.bin", &olen) : NULL;
	evb = opsb ? read_file(dir, "events.bin", &elen) : NULL;
	if (evb == NULL)
		goto out;
	if (stlen != ZK_STATEMENT_WIRE_SIZE || olen % 64 != 0 || elen % 64 != 0) {
		fprintf(stderr, "zkclob: verify: REJECT: statement is not %d bytes, or ops/events are not whole 64-byte records\n",
			ZK_STATEMENT_WIRE_SIZE);
		goto out;
	}
	zk_statement_decode(stb, &st);
	mp = find_market(cfg, st.market);
	if (mp == NULL) {
		fprintf(stderr, "zkclob: verify: REJECT: the statement names market %" PRIu32
			", which the config does not define\n", st.market);
		goto out;
	}
	ops = malloc((olen / 64 + 1) * sizeof(*ops));
	events = malloc((elen / 64 + 1) * sizeof(*events));
	if (ops == NULL || events == NULL) {
		fprintf(stderr, "zkclob: verify: out of memory\n");
		goto out;
	}
	for (i = 0; i < olen / 64; i++)
		zk_op_decode(opsb + i * 64, &ops[i]);
	for (i = 0; i < elen / 64; i++) {
		if (zk_event_decode(evb + i * 64, &events[i]) != 0) {
			fprintf(stderr, "zkclob: verify: REJECT: event %zu is not a canonical encoding\n", i);
			goto out;
		}
	}
	if (zk_clob_verify(&st, ops, olen / 64, events, elen / 64, mp, params,
			   proof, plen, err, sizeof(err)) != 0) {
		fprintf(stderr, "zkclob: verify: REJECT: %s\n", err);
		goto out;
	}
	printf("verify:  ACCEPT market %" PRIu32 " batch %" PRIu64 ", ops %" PRIu64
	       "..%" PRIu64 " (%zu ops, %zu events)\n",
	       st.market, st.batch_seq, st.first_seq, st.last_seq, olen / 64,
	       elen / 64);
	rc = 0;
out:
	free(stb);
	free(proof);
	free(opsb);
	free(evb);
	free(ops);
	free(events);
	return rc;
}
