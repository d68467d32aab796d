/* SPDX-License-Identifier: MIT */
/*
 * `zkclob prove --serve`: the native CLOB STARK as an external prover. It
 * speaks docs/backend-protocol.md on stdin/stdout, so zkclobd (or any
 * router) can run proving in another process — another NUMA node, another
 * privilege domain, a crash that cannot take the daemon down — through the
 * external-process backend (backends/external.c).
 *
 * The prover is stateless: each PROVE request carries the committed batch
 * (ops + the witness of backends/witness.c), rebuilt and checked by
 * zk_clob_witness_decode before the prover sees it. Markets come from the
 * config; the STARK parameter set from --params. A malformed frame ends the
 * process (the caller restarts it, as the protocol says); a malformed
 * request gets an INVALID reply with the reason.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zkclob/backend.h"
#include "zkclob/be.h"
#include "zkclob/clobproof.h"
#include "serve.h"

/* Proofs fit well under this (docs/proof.md §7: ~300 KiB + the
 * container's 64 bytes per op and event). */
#define SERVE_PROOF_CAP (15u << 20)

static int read_all(uint8_t *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = read(STDIN_FILENO, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_all(const uint8_t *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(STDOUT_FILENO, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int reply(uint8_t type, uint64_t id, const uint8_t *payload,
		 size_t len)
{
	struct zk_bp_header h = {
		.magic = ZK_BP_MAGIC,
		.version = ZK_BP_VERSION,
		.type = type | ZK_BP_REPLY,
		.request_id = id,
		.payload_len = (uint32_t)len,
	};
	uint8_t hdr[ZK_BP_HEADER_SIZE];

	zk_bp_header_encode(&h, hdr);
	return write_all(hdr, sizeof(hdr)) || write_all(payload, len) ? -1 : 0;
}

/* status byte + reason text */
static int reply_status(uint8_t type, uint64_t id, uint8_t status,
			const char *reason)
{
	uint8_t buf[1 + ZK_BACKEND_REASON_MAX + 128];
	size_t n = strlen(reason);

	if (n > sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	buf[0] = status;
	memcpy(buf + 1, reason, n);
	return reply(type, id, buf, 1 + n);
}

static int describe(struct zk_backend *be, uint64_t id)
{
	const struct zk_backend_info *info = zk_backend_info(be);
	uint8_t out[68] = { 0 };

	memcpy(out, info->name, strnlen(info->name, 32));
	zk_put_be32(out + 32, info->params_id);
	zk_put_be32(out + 36, info->security_bits);
	out[40] = info->test_only;
	zk_put_be32(out + 44, info->prove_fixed_us);
	zk_put_be32(out + 48, info->prove_per_op_us);
	zk_put_be32(out + 52, info->proof_bytes_fixed);
	zk_put_be32(out + 56, info->proof_bytes_per_op);
	zk_put_be32(out + 60, info->verify_us);
	zk_put_be32(out + 64, info->concurrency);
	return reply(ZK_BP_DESCRIBE, id, out, sizeof(out));
}

static const struct zk_market_params *find_market(const struct zk_config *cfg,
						  uint32_t market)
{
	for (size_t i = 0; i < cfg->n_markets; i++)
		if (cfg->markets[i].market == market)
			return &cfg->markets[i];
	return NULL;
}

/* PROVE: statement | budget_us u64 | max_proof u32 | n_ops u32 | ops |
 * wit_len u32 | witness */
static int prove(const struct zk_config *cfg, struct zk_backend *be,
		 uint64_t id, const uint8_t *p, uint32_t len, uint8_t *proof)
{
	const size_t head = ZK_STATEMENT_WIRE_SIZE + 16;
	struct zk_proof out = { .data = proof + 1, .cap = SERVE_PROOF_CAP };
	struct zk_clob_rebuilt rb;
	struct zk_statement st;
	struct zk_op *ops;
	uint64_t budget_us, ops_end;
	uint32_t n_ops, max_proof;
	const struct zk_market_params *mp;
	char why[ZK_BACKEND_REASON_MAX + 64];
	enum zk_be_status s;
	int rc;

	if (len < head)
		return reply_status(ZK_BP_PROVE, id, ZK_BE_INVALID,
				    "short PROVE request");
	zk_statement_decode(p, &st);
	budget_us = zk_be64(p + ZK_STATEMENT_WIRE_SIZE);
	max_proof = zk_be32(p + ZK_STATEMENT_WIRE_SIZE + 8);
	n_ops = zk_be32(p + ZK_STATEMENT_WIRE_SIZE + 12);
	ops_end = head + (uint64_t)n_ops * ZK_OP_WIRE_SIZE;
	if (n_ops == 0 || ops_end + 4 > len ||
	    len != ops_end + 4 + zk_be32(p + ops_end))
		return reply_status(ZK_BP_PROVE, id, ZK_BE_INVALID,
				    "PROVE lengths do not add up (or no ops)");
	mp = find_market(cfg, st.market);
	if (mp == NULL)
		return reply_status(ZK_BP_PROVE, id, ZK_BE_INVALID,
				    "market not in this prover's config");
	ops = malloc((size_t)n_ops * sizeof(*ops));
	if (ops == NULL)
		return reply_status(ZK_BP_PROVE, id, ZK_BE_FAILED,
				    "out of memory");
	for (uint32_t i = 0; i < n_ops; i++)
		zk_op_decode(p + head + (size_t)i * ZK_OP_WIRE_SIZE, &ops[i]);
	rc = zk_clob_witness_decode(&st, ops, n_ops, p + ops_end + 4,
				    len - ops_end - 4, mp, &rb, why,
				    sizeof(why));
	free(ops);
	if (rc != 0) {
		zk_clob_rebuilt_free(&rb);
		return reply_status(ZK_BP_PROVE, id, ZK_BE_INVALID, why);
	}
	if (max_proof < out.cap)
		out.cap = max_proof;
	s = zk_backend_prove(be, &st, &rb.batch,
			     budget_us ? zk_backend_now_ns() + budget_us * 1000
				       : 0,
			     &out, why, sizeof(why));
	zk_clob_rebuilt_free(&rb);
	if (s != ZK_BE_OK)
		return reply_status(ZK_BP_PROVE, id, (uint8_t)s, why);
	proof[0] = ZK_BE_OK;
	return reply(ZK_BP_PROVE, id, proof, 1 + out.len);
}

/* VERIFY: statement | budget_us u64 | proof */
static int verify(struct zk_backend *be, uint64_t id, const uint8_t *p,
		  uint32_t len)
{
	struct zk_statement st;
	char why[ZK_BACKEND_REASON_MAX];
	enum zk_verdict v;

	if (len < ZK_STATEMENT_WIRE_SIZE + 8)
		return reply_status(ZK_BP_VERIFY, id, ZK_VERIFY_ERROR,
				    "short VERIFY request");
	zk_statement_decode(p, &st);
	v = zk_backend_verify(be, &st, p + ZK_STATEMENT_WIRE_SIZE + 8,
			      len - ZK_STATEMENT_WIRE_SIZE - 8, 0, why,
			      sizeof(why));
	return reply_status(ZK_BP_VERIFY, id, (uint8_t)v, why);
}

int zk_cli_serve(const struct zk_config *cfg, uint8_t params,
		 unsigned threads)
{
	struct zk_clob_backend_cfg bc = { .stark_params = params,
					  .threads = threads,
					  .markets = cfg->markets,
					  .n_markets = cfg->n_markets };
	struct zk_backend *be = zk_clob_backend_create(&bc);
	uint8_t *payload = NULL, *proof = NULL;
	int rc = 1;

	if (be == NULL) {
		fprintf(stderr, "zkclob: serve: cannot create the CLOB backend "
				"(%s)\n", strerror(errno));
		return 1;
	}
	payload = malloc(ZK_BP_MAX_PAYLOAD_DEFAULT);
	proof = malloc(1 + SERVE_PROOF_CAP);
	if (payload == NULL || proof == NULL)
		goto out;
	fprintf(stderr, "zkclob: serve: %s on stdin/stdout, protocol v%u\n",
		zk_backend_info(be)->name, ZK_BP_VERSION);
	for (;;) {
		uint8_t hdr[ZK_BP_HEADER_SIZE];
		struct zk_bp_header h;
		char err[128];
		int r;

		if (read_all(hdr, sizeof(hdr)) != 0) {
			rc = 0; /* the caller closed the channel */
			break;
		}
		if (zk_bp_header_decode(hdr, ZK_BP_MAX_PAYLOAD_DEFAULT, &h, err,
					sizeof(err)) != 0 ||
		    (h.type & ZK_BP_REPLY) != 0) {
			fprintf(stderr, "zkclob: serve: bad frame: %s\n", err);
			break;
		}
		if (read_all(payload, h.payload_len) != 0) {
			fprintf(stderr, "zkclob: serve: truncated request\n");
			break;
		}
		switch (h.type) {
		case ZK_BP_PROVE:
			r = prove(cfg, be, h.request_id, payload,
				  h.payload_len, proof);
			break;
		case ZK_BP_VERIFY:
			r = verify(be, h.request_id, payload, h.payload_len);
			break;
		case ZK_BP_DESCRIBE:
			r = describe(be, h.request_id);
			break;
		case ZK_BP_HEALTH: {
			char why[ZK_BACKEND_REASON_MAX];
			enum zk_health hs = zk_backend_health(be, why,
							      sizeof(why));

			r = reply_status(ZK_BP_HEALTH, h.request_id,
					 (uint8_t)hs, why);
			break;
		}
		default:
			fprintf(stderr, "zkclob: serve: unknown request type "
					"%u\n", h.type);
			r = -1;
		}
		if (r != 0)
			break;
	}
out:
	free(payload);
	free(proof);
	zk_backend_destroy(be);
	return rc;
}
