/* SPDX-License-Identifier: MIT */
/*
 * A prover peer for the external-process backend tests: speaks
 * docs/backend-protocol.md on stdin/stdout over the test-only hashproof
 * backend. The first argument picks its behaviour on PROVE and VERIFY
 * requests (describe and health are always answered correctly, so the
 * backend can be created):
 *   ok        well-behaved
 *   hang      never answers
 *   garbage   answers with random bytes
 *   crash     writes half a reply header, then exits
 *   oversize  announces a payload over the 16 MiB limit
 *   wrong-id  answers with another request id
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zkclob/backend.h"

static struct zk_backend *hp;

static int
read_all(uint8_t *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = read(STDIN_FILENO, buf, len);

		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static void
write_all(const uint8_t *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(STDOUT_FILENO, buf, len);

		if (n <= 0)
			exit(1);
		buf += n;
		len -= (size_t)n;
	}
}

static void
reply(uint8_t type, uint64_t id, const uint8_t *payload, size_t len)
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
	write_all(hdr, sizeof(hdr));
	write_all(payload, len);
}

static void
put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t
get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void
answer(const struct zk_bp_header *h, const uint8_t *p)
{
	uint8_t out[1 + 65536];
	struct zk_statement st;
	char reason[ZK_BACKEND_REASON_MAX] = "";
	const struct zk_backend_info *info = zk_backend_info(hp);

	switch (h->type) {
	case ZK_BP_DESCRIBE:
		memset(out, 0, 68);
		memcpy(out, info->name, strlen(info->name));
		put_u32(out + 32, info->params_id);
		put_u32(out + 36, info->security_bits);
		out[40] = info->test_only;
		put_u32(out + 44, info->prove_fixed_us);
		put_u32(out + 48, info->prove_per_op_us);
		put_u32(out + 52, info->proof_bytes_fixed);
		put_u32(out + 56, info->proof_bytes_per_op);
		put_u32(out + 60, info->verify_us);
		put_u32(out + 64, info->concurrency);
		reply(h->type, h->request_id, out, 68);
		return;
	case ZK_BP_HEALTH:
		out[0] = ZK_HEALTH_OK;
		memcpy(out + 1, "peer ok", 7);
		reply(h->type, h->request_id, out, 8);
		return;
	case ZK_BP_PROVE: {
		struct zk_proof pr = { .data = out + 1, .cap = 65536 };
		uint32_t cap;

		if (h->payload_len < ZK_STATEMENT_WIRE_SIZE + 16)
			exit(2);
		zk_statement_decode(p, &st);
		cap = get_u32(p + ZK_STATEMENT_WIRE_SIZE + 8);
		/* n_ops canonical op records, then the committed witness
		 * (wit_len u32 + its bytes; hashproof ignores it). */
		uint64_t ops_end = ZK_STATEMENT_WIRE_SIZE + 16 +
				   64ull * get_u32(p + ZK_STATEMENT_WIRE_SIZE + 12);

		if (ops_end + 4 > h->payload_len ||
		    h->payload_len != ops_end + 4 + get_u32(p + ops_end)) {
			static const char bad[] = "witness length mismatch";

			out[0] = ZK_BE_INVALID;
			memcpy(out + 1, bad, sizeof(bad) - 1);
			reply(h->type, h->request_id, out, sizeof(bad));
			return;
		}
		if (cap < pr.cap)
			pr.cap = cap;
		out[0] = (uint8_t)zk_backend_prove(hp, &st, NULL, 0, &pr,
						   reason, sizeof(reason));
		if (out[0] == ZK_BE_OK) {
			reply(h->type, h->request_id, out, 1 + pr.len);
		} else {
			size_t n = strlen(reason);

			memcpy(out + 1, reason, n);
			reply(h->type, h->request_id, out, 1 + n);
		}
		return;
	}
	case ZK_BP_VERIFY: {
		size_t off = ZK_STATEMENT_WIRE_SIZE + 8;
		size_t n;

		if (h->payload_len < off)
			exit(2);
		zk_statement_decode(p, &st);
		out[0] = (uint8_t)zk_backend_verify(hp, &st, p + off,
						    h->payload_len - off, 0,
						    reason, sizeof(reason));
		n = strlen(reason);
		memcpy(out + 1, reason, n);
		reply(h->type, h->request_id, out, 1 + n);
		return;
	}
	default:
		exit(2);
	}
}

int
main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "ok";
	struct zk_hashproof_cfg cfg = {
		.name = "peer",
		.params_id = 7,
		.proof_bytes = 96,
		.prove_fixed_us = 50,
		.verify_us = 10,
	};
	uint8_t hdr[ZK_BP_HEADER_SIZE];
	struct zk_bp_header h;
	char err[128];

	memset(cfg.key, 0x42, sizeof(cfg.key));
	hp = zk_hashproof_create(&cfg);
	if (hp == NULL)
		return 1;
	while (read_all(hdr, sizeof(hdr)) == 0) {
		uint8_t *payload;

		if (zk_bp_header_decode(hdr, ZK_BP_MAX_PAYLOAD_DEFAULT, &h, err,
					sizeof(err)) != 0) {
			fprintf(stderr, "peer: %s\n", err);
			return 2;
		}
		payload = malloc(h.payload_len + 1u);
		if (payload == NULL || read_all(payload, h.payload_len) != 0)
			return 2;
		if ((h.type == ZK_BP_PROVE || h.type == ZK_BP_VERIFY) &&
		    strcmp(mode, "ok") != 0) {
			if (strcmp(mode, "hang") == 0) {
				for (;;)
					pause();
			} else if (strcmp(mode, "garbage") == 0) {
				uint8_t junk[64];

				for (size_t i = 0; i < sizeof(junk); i++)
					junk[i] = (uint8_t)(i * 37 + 11);
				write_all(junk, sizeof(junk));
			} else if (strcmp(mode, "crash") == 0) {
				h.type |= ZK_BP_REPLY;
				h.payload_len = 100;
				zk_bp_header_encode(&h, hdr);
				write_all(hdr, ZK_BP_HEADER_SIZE / 2);
				_exit(3);
			} else if (strcmp(mode, "oversize") == 0) {
				h.type |= ZK_BP_REPLY;
				h.payload_len = ZK_BP_MAX_PAYLOAD_DEFAULT + 1u;
				zk_bp_header_encode(&h, hdr);
				write_all(hdr, sizeof(hdr));
			} else if (strcmp(mode, "wrong-id") == 0) {
				h.request_id += 1000;
				answer(&h, payload);
			}
			free(payload);
			continue;
		}
		answer(&h, payload);
		free(payload);
	}
	zk_backend_destroy(hp);
	return 0;
}
