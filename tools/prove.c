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
 * With --batches K, batch i's files go to OUTDIR/batch-<i>/ (K > 1), and
 * with --log FILE every batch is appended to a proof log (prover/prooflog.c)
 * whose proof-record payload is a batch container (ops, events and the
 * STARK proof; format in include/zkclob/clobproof.h), so `zkclob
 * verify-log` needs nothing else.
 *
 * The batches: the capture's ops are applied in order; after `skip` ops of
 * `market` each next `count` ops of that market form a batch (witness
 * on). Other markets' ops inside that window are left out: books of
 * different markets share no slot, so the batch's events and roots do not
 * depend on them, and the batch stays one market's.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "zkclob/batch.h"
#include "zkclob/be.h"
#include "zkclob/clobproof.h"
#include "zkclob/prooflog.h"
#include "zkclob/statetree.h"
#include "zkclob/wire.h"
#include "params.h"
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

/* The batch container (clobproof.h); malloc'ed. */
static uint8_t *container_encode(const struct zk_batch *b, const uint8_t *proof,
				 size_t proof_len, size_t *len)
{
	size_t n = zk_clob_container_size(b->n_ops, b->events.len, proof_len);
	uint8_t *c = malloc(n);

	if (c == NULL)
		return NULL;
	*len = zk_clob_container_encode(b->ops, b->n_ops, b->events.ev,
					b->events.len, proof, proof_len, c, n);
	if (*len == 0) {
		free(c);
		return NULL;
	}
	return c;
}

static int write_batch_files(const char *dir, const struct zk_statement *st,
			     const struct zk_batch *b, const uint8_t *proof,
			     size_t proof_len)
{
	uint8_t stbytes[ZK_STATEMENT_WIRE_SIZE];
	size_t n = b->n_ops > b->events.len ? b->n_ops : b->events.len, i;
	uint8_t *buf = malloc(n * 64 + 1);
	int rc;

	if (buf == NULL)
		return -1;
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "zkclob: prove: %s: %s\n", dir, strerror(errno));
		free(buf);
		return -1;
	}
	zk_statement_encode(st, stbytes);
	rc = write_file(dir, "statement.bin", stbytes, sizeof(stbytes)) ||
	     write_file(dir, "proof.bin", proof, proof_len);
	for (i = 0; rc == 0 && i < b->n_ops; i++)
		zk_op_encode(&b->ops[i], buf + i * 64);
	rc = rc || write_file(dir, "ops.bin", buf, b->n_ops * 64);
	for (i = 0; rc == 0 && i < b->events.len; i++)
		zk_event_encode(&b->events.ev[i], buf + i * 64);
	rc = rc || write_file(dir, "events.bin", buf, b->events.len * 64);
	free(buf);
	return rc ? -1 : 0;
}

/* Prove one cut batch and write it out (files, and the log when open). */
static int prove_one(const struct zk_prove_args *a,
		     const struct zk_market_params *mp, struct zk_batch *batch,
		     struct zk_st_tree *tree, struct zk_prooflog *log,
		     uint32_t index)
{
	struct zk_clob_prove_opts opts = {
		.market = mp, .stark_params = a->params, .threads = a->threads,
	};
	struct zk_statement st;
	uint8_t *proof = NULL, *cont;
	size_t proof_len = 0, cont_len;
	char err[512], dir[PATH_MAX];
	double t0 = now_s();
	int rc;

	rc = zk_clob_prove(batch, tree, &opts, &proof, &proof_len, &st, err,
			   sizeof(err));
	if (rc != ZK_CLOB_OK) {
		fprintf(stderr, "zkclob: prove: batch %" PRIu32 " refused: %s\n",
			index, err);
		return -1;
	}
	printf("prove:   market %" PRIu32 " batch %" PRIu64 ", %zu ops (seq %" PRIu64
	       "..%" PRIu64 "), %zu events, %zu-byte proof in %.3f s\n",
	       a->market, st.batch_seq, batch->n_ops, st.first_seq, st.last_seq,
	       batch->events.len, proof_len, now_s() - t0);
	if (a->batches == 1)
		snprintf(dir, sizeof(dir), "%s", a->out_dir);
	else if (mkdir(a->out_dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "zkclob: prove: %s: %s\n", a->out_dir, strerror(errno));
		free(proof);
		return -1;
	} else
		snprintf(dir, sizeof(dir), "%s/batch-%" PRIu32, a->out_dir, index);
	rc = write_batch_files(dir, &st, batch, proof, proof_len);
	if (rc == 0 && log != NULL) {
		cont = container_encode(batch, proof, proof_len, &cont_len);
		rc = cont ? zk_prooflog_append_proof(log, &st, cont, cont_len, NULL)
			  : -ENOMEM;
		free(cont);
		if (rc != 0)
			fprintf(stderr, "zkclob: prove: log: %s\n",
				log ? zk_prooflog_errmsg(log) : strerror(-rc));
	}
	free(proof);
	return rc ? -1 : 0;
}

int zk_cli_prove(const struct zk_config *cfg, const struct zk_prove_args *a)
{
	const struct zk_market_params *mp = find_market(cfg, a->market);
	struct zk_batch_cfg bcfg = { .max_ops = a->count, .witness = true };
	struct zk_prooflog_opts lopts = { .sync = ZK_PROOFLOG_SYNC_EACH };
	struct zk_event_buf scratch = { 0 };
	struct zk_engine *engine = NULL;
	struct zk_batcher *batcher = NULL;
	struct zk_st_tree *tree = NULL;
	struct zk_prooflog *log = NULL;
	struct zk_batch *cut = NULL;
	struct zk_op *ops;
	size_t n_ops, i, seen = 0;
	uint32_t proven = 0;
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
	if (a->log != NULL) {
		struct zk_prooflog_scan scan;
		int lrc = zk_prooflog_open(a->log, ZK_PROOFLOG_CREATE, &lopts, &log,
					   &scan);

		if (lrc != 0) {
			fprintf(stderr, "zkclob: prove: proof log %s: %s\n", a->log,
				strerror(-lrc));
			goto out;
		}
	}
	/* the book before the first batch */
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
	for (; i < n_ops && proven < a->batches; i++) {
		if (ops[i].market != a->market)
			continue;
		if (zk_batcher_push(batcher, &ops[i], 0, &cut) != 0)
			goto oom;
		if (cut != NULL) {
			if (prove_one(a, mp, cut, tree, log, ++proven) != 0)
				goto out;
			zk_batch_free(cut);
			cut = NULL;
		}
	}
	if (proven < a->batches) {
		if (zk_batcher_flush(batcher, 0, &cut) != 0)
			goto oom;
		if (cut == NULL) {
			fprintf(stderr, "zkclob: prove: market %" PRIu32 " has no more ops after %" PRIu32 " batch(es)\n",
				a->market, proven);
			rc = proven ? 1 : 2;
			goto out;
		}
		if (prove_one(a, mp, cut, tree, log, ++proven) != 0)
			goto out;
	}
	printf("wrote:   %" PRIu32 " batch(es) under %s%s%s\n", proven, a->out_dir,
	       log ? ", appended to " : "", log ? a->log : "");
	rc = 0;
	goto out;
oom:
	fprintf(stderr, "zkclob: prove: out of memory\n");
	rc = 1;
out:
	if (log != NULL && zk_prooflog_close(log) != 0 && rc == 0) {
		fprintf(stderr, "zkclob: prove: proof log: the final sync failed\n");
		rc = 1;
	}
	zk_batch_free(cut);
	zk_batcher_destroy(batcher);
	zk_st_destroy(tree);
	zk_engine_destroy(engine);
	zk_event_buf_free(&scratch);
	free(ops);
	return rc;
}

/* Statement + encoded ops/events + proof: 0 accept, -1 reject (why). */
static int verify_parts(const struct zk_config *cfg, uint8_t params,
			const struct zk_statement *st, const uint8_t *opsb,
			size_t olen, const uint8_t *evb, size_t elen,
			const uint8_t *proof, size_t plen, char *why, size_t whylen)
{
	const struct zk_market_params *mp = find_market(cfg, st->market);
	struct zk_op *ops = NULL;
	struct zk_event *events = NULL;
	size_t i;
	int rc = -1;

	if (olen % 64 != 0 || elen % 64 != 0) {
		snprintf(why, whylen, "ops/events are not whole 64-byte records");
		return -1;
	}
	if (mp == NULL) {
		snprintf(why, whylen, "the statement names market %" PRIu32
			 ", which the config does not define", st->market);
		return -1;
	}
	ops = malloc((olen / 64 + 1) * sizeof(*ops));
	events = malloc((elen / 64 + 1) * sizeof(*events));
	if (ops == NULL || events == NULL) {
		snprintf(why, whylen, "out of memory");
		goto out;
	}
	for (i = 0; i < olen / 64; i++)
		zk_op_decode(opsb + i * 64, &ops[i]);
	for (i = 0; i < elen / 64; i++) {
		if (zk_event_decode(evb + i * 64, &events[i]) != 0) {
			snprintf(why, whylen, "event %zu is not a canonical encoding", i);
			goto out;
		}
	}
	if (zk_clob_verify(st, ops, olen / 64, events, elen / 64, mp, params,
			   proof, plen, why, whylen) == 0)
		rc = 0;
out:
	free(ops);
	free(events);
	return rc;
}

int zk_cli_verify(const struct zk_config *cfg, uint8_t params, const char *dir)
{
	uint8_t *stb = NULL, *proof = NULL, *opsb = NULL, *evb = NULL;
	size_t stlen = 0, plen = 0, olen = 0, elen = 0;
	struct zk_statement st;
	char why[512];
	int rc = 1;

	stb = read_file(dir, "statement.bin", &stlen);
	proof = stb ? read_file(dir, "proof.bin", &plen) : NULL;
	opsb = proof ? read_file(dir, "ops.bin", &olen) : NULL;
	evb = opsb ? read_file(dir, "events.bin", &elen) : NULL;
	if (evb == NULL)
		goto out;
	if (stlen != ZK_STATEMENT_WIRE_SIZE) {
		fprintf(stderr, "zkclob: verify: REJECT: statement is not %d bytes\n",
			ZK_STATEMENT_WIRE_SIZE);
		goto out;
	}
	zk_statement_decode(stb, &st);
	if (verify_parts(cfg, params, &st, opsb, olen, evb, elen, proof, plen,
			 why, sizeof(why)) != 0) {
		fprintf(stderr, "zkclob: verify: REJECT: %s\n", why);
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
	return rc;
}

/* The STARK parameter set a native CLOB params_id names; -1 when it is
 * not one (a test-only backend's, another AIR version). */
static int clob_set_of(uint32_t params_id)
{
	uint8_t set = (uint8_t)(params_id & 0xff);

	if (params_id != ZK_CLOB_PARAMS_ID(set) ||
	    zk_stark_params_by_id(set) == NULL)
		return -1;
	return set;
}

int zk_cli_verify_log(const struct zk_config *cfg, uint8_t params,
		      bool allow_unproven, const char *path)
{
	struct zk_prooflog_reader *rd;
	struct zk_prooflog_record rec;
	struct zk_prooflog_mchain chain;
	struct zk_prooflog_chain_result cres;
	const struct zk_market_params *mp;
	uint64_t proofs = 0, unverifiable = 0;
	uint64_t by_reason[ZK_UNPROVEN__MAX + 1] = { 0 };
	char err[512];
	int rc, set;

	if (zk_prooflog_reader_open(path, &rd, err, sizeof(err)) != 0) {
		fprintf(stderr, "zkclob: verify-log: %s\n", err);
		return 1;
	}
	/* per market: zkclobd logs interleave markets, each its own chain */
	zk_prooflog_mchain_init(&chain);
	while ((rc = zk_prooflog_reader_next(rd, &rec)) == 1) {
		if (zk_prooflog_mchain_step(&chain, &rec, &cres) != ZK_CHAIN_OK) {
			fprintf(stderr, "zkclob: verify-log: REJECT: chain broken: %s\n",
				cres.message);
			goto fail;
		}
		if (rec.type == ZK_PROOFLOG_REC_UNPROVEN) {
			by_reason[rec.unproven_reason <= ZK_UNPROVEN__MAX
					  ? rec.unproven_reason : 0]++;
			continue;
		}
		if (rec.type == ZK_PROOFLOG_REC_RESYNC) {
			const struct zk_prooflog_resync *r = &rec.resync;
			char root[17];

			for (int k = 0; k < 8; k++)
				snprintf(root + 2 * k, 3, "%02x", r->new_root[k]);
			printf("verify-log: unproven range (record %" PRIu64 "): market %"
			       PRIu32 " ops %" PRIu64 "..%" PRIu64 ", %" PRIu64
			       " ops in %" PRIu64 " batch parts (%s); chain resumes at root %s...\n",
			       rec.seq, r->market, r->first_seq, r->last_seq, r->ops,
			       r->batches, zk_unproven_reason_name(r->reason), root);
			continue;
		}
		if (rec.type != ZK_PROOFLOG_REC_PROOF)
			continue;
		set = clob_set_of(rec.statement.params_id);
		if (set < 0 || (params != 0 && set != params)) {
			if (set < 0) {
				/* e.g. hashproof: a MAC, not a proof */
				unverifiable++;
				continue;
			}
			fprintf(stderr, "zkclob: verify-log: REJECT: record %" PRIu64
				" is proven under STARK set %d, not the --params one\n",
				rec.seq, set);
			goto fail;
		}
		mp = find_market(cfg, rec.statement.market);
		if (mp == NULL) {
			fprintf(stderr, "zkclob: verify-log: REJECT: record %" PRIu64
				" names market %" PRIu32 ", which the config does "
				"not define\n", rec.seq, rec.statement.market);
			goto fail;
		}
		if (zk_clob_verify_container(&rec.statement, rec.proof,
					     rec.proof_len, mp, (uint8_t)set, err,
					     sizeof(err)) != 0) {
			fprintf(stderr, "zkclob: verify-log: REJECT: record %" PRIu64
				" (market %" PRIu32 " batch %" PRIu64 "): %s\n",
				rec.seq, rec.statement.market, rec.statement.batch_seq,
				err);
			goto fail;
		}
		proofs++;
	}
	if (rc < 0) {
		const struct zk_prooflog_scan *scan = zk_prooflog_reader_scan(rd);

		fprintf(stderr, "zkclob: verify-log: REJECT: the log is damaged after %" PRIu64
			" valid records (%s)\n", scan->records, strerror(-rc));
		goto fail;
	}
	{
		const struct zk_prooflog_scan *scan = zk_prooflog_reader_scan(rd);

		/* A torn tail is normal for a log still being written, but a
		 * verifier must not pass over bytes it could not check. */
		if (scan->torn_tail) {
			fprintf(stderr, "zkclob: verify-log: REJECT: %" PRIu64
				" bytes after the last valid record (offset %" PRIu64
				") are no record: %s\n",
				scan->file_size - scan->valid_end, scan->valid_end,
				scan->reason);
			goto fail;
		}
	}
	zk_prooflog_reader_close(rd);
	if (chain.unproven + unverifiable + chain.resyncs > 0) {
		FILE *o = allow_unproven ? stdout : stderr;

		if (chain.resyncs > 0)
			fprintf(o, "verify-log: %s %" PRIu64 " unproven ranges "
				"(resync records): %" PRIu64 " ops in %" PRIu64
				" batch parts applied without proof\n",
				allow_unproven ? "allowed:" : "REJECT:",
				chain.resyncs, chain.resync_ops,
				chain.resync_batches);
		fprintf(o, "verify-log: %s %" PRIu64 " unproven batches (",
			allow_unproven ? "allowed:" : "REJECT:", chain.unproven);
		for (int i = 0; i <= ZK_UNPROVEN__MAX; i++)
			if (by_reason[i])
				fprintf(o, " %s %" PRIu64, zk_unproven_reason_name((uint32_t)i),
					by_reason[i]);
		fprintf(o, " ) and %" PRIu64 " test-only proofs (not verifiable)%s\n",
			unverifiable,
			allow_unproven ? "" : "; --allow-unproven accepts them");
		if (!allow_unproven)
			return 1;
	}
	printf("verify-log: ACCEPT %s: %" PRIu64 " proofs verified, %" PRIu64
	       " unproven, %" PRIu64 " skip records, %" PRIu64
	       " restarts, %" PRIu64 " unproven ranges, the chain holds\n",
	       path, proofs, chain.unproven + unverifiable, chain.skips,
	       chain.restarts, chain.resyncs);
	return 0;
fail:
	zk_prooflog_reader_close(rd);
	return 1;
}
