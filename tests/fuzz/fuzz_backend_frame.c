/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the external-process backend's side of
 * docs/backend-protocol.md (backends/external.c): every byte a prover
 * process writes back is untrusted.
 *
 * Input: one script byte, then the reply stream. The script byte picks
 * four calls made after zk_external_create() (two bits each: prove,
 * prove into a 64-byte buffer, verify, health). The prover is
 * fuzz_backend_peer, which answers each request with the next reply-sized
 * piece of the stream and exits when the stream is used up; a restarted
 * prover replays the stream from its start.
 * The harness runs the same stream through a model of the protocol rules
 * of docs/backend-protocol.md and checks, else abort():
 *  - zk_bp_header_decode() on the stream's first 20 bytes: what it accepts
 *    has the right magic, version, flags and type, a payload within the
 *    limit, and re-encodes to the same bytes;
 *  - create, and every call, answers what the model says (status, verdict,
 *    health, proof bytes, describe fields), so no frame over the limit, of
 *    the wrong type or id, cut short or malformed is ever accepted;
 *  - the prover is killed and restarted exactly when the model says (the
 *    spawn count and "no child" agree after every call): no garbage is read
 *    as the start of the next reply;
 *  - nothing crashes, leaks or hangs (every wait is bounded).
 * A call slower than SLOW_NS (an overloaded box hit a timeout) ends the
 * comparison for that input instead of reporting a false finding.
 *
 * Built a second time with -DZK_FUZZ_BACKEND_SEEDS (gcc, linked against
 * the library) it is the seed generator: `fuzz_backend_frame_seed DIR
 * LIST` writes honest reply streams (describe + prove / verify / health)
 * and a few broken ones.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zkclob/backend.h"

#include "fuzz_seed_util.h"

#define MAX_PAYLOAD 4096u
#define DESCRIBE_SIZE 68u
#define SMALL_CAP 64u
#define BIG_CAP 8192u

enum call { CALL_PROVE, CALL_PROVE_SMALL, CALL_VERIFY, CALL_HEALTH };

#ifndef ZK_FUZZ_BACKEND_SEEDS

#define SLOW_NS 1000000000ull

static char peer_path[4096];
static char dir[64], stream_path[128];

/* The client as the protocol document says it must behave. */
struct model {
	const uint8_t *s;
	size_t n;
	size_t pos;       /* the live prover's place in the stream */
	bool alive;
	uint64_t spawned;
	uint64_t next_id;
	bool last_failed;
};

/* One exchange: true with the reply payload, false when it must fail
 * (and the prover be killed). */
static bool
model_exchange(struct model *m, uint8_t type, const uint8_t **payload,
	       uint32_t *len)
{
	struct zk_bp_header h;
	size_t left, piece;
	char err[128];

	if (!m->alive) {
		m->alive = true;
		m->pos = 0;
		m->spawned++;
	}
	m->next_id++;
	left = m->n - m->pos;
	if (left < ZK_BP_HEADER_SIZE)
		goto fail;
	piece = ZK_BP_HEADER_SIZE;
	if (zk_bp_header_decode(m->s + m->pos, MAX_PAYLOAD, &h, err,
				sizeof(err)) != 0 ||
	    h.type != (type | ZK_BP_REPLY) || h.request_id != m->next_id ||
	    h.payload_len > left - ZK_BP_HEADER_SIZE)
		goto fail;
	*payload = m->s + m->pos + piece;
	*len = h.payload_len;
	m->pos += piece + h.payload_len;
	return true;
fail:
	m->alive = false;
	return false;
}

static void
check_header(const uint8_t *s, size_t n)
{
	static const uint32_t limits[] = { 0, MAX_PAYLOAD, UINT32_MAX };
	uint8_t again[ZK_BP_HEADER_SIZE];
	struct zk_bp_header h;
	char err[128];

	if (n < ZK_BP_HEADER_SIZE)
		return;
	for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		err[0] = '\0';
		if (zk_bp_header_decode(s, limits[i], &h, err,
					sizeof(err)) != 0) {
			if (err[0] == '\0')
				abort(); /* refused without a reason */
			continue;
		}
		if (h.magic != ZK_BP_MAGIC || h.version != ZK_BP_VERSION ||
		    h.flags != 0 || h.payload_len > limits[i] ||
		    (h.type & 0x7f) < ZK_BP_PROVE ||
		    (h.type & 0x7f) > ZK_BP_HEALTH)
			abort();
		zk_bp_header_encode(&h, again);
		if (memcmp(again, s, sizeof(again)) != 0)
			abort();
	}
}

static void
check_children(const struct zk_backend *be, const struct model *m)
{
	uint64_t spawned;
	int pid;

	zk_external_stats(be, &spawned, &pid);
	if (spawned != m->spawned || (pid != 0) != m->alive)
		abort(); /* killed or kept a prover against the rules */
}

static void
fill_statement(struct zk_statement *st)
{
	memset(st, 0, sizeof(*st));
	st->market = 1;
	st->params_id = 7;
	st->batch_seq = 1;
	st->first_seq = 1;
	st->last_seq = 16;
}

/* false: the call was slow, stop comparing (see the header comment). */
static bool
run_prove(struct zk_backend *be, struct model *m, size_t cap)
{
	static uint8_t buf[BIG_CAP];
	struct zk_statement st;
	struct zk_proof out = { .data = buf, .cap = cap };
	enum zk_be_status got, want;
	const uint8_t *r = NULL;
	char reason[ZK_BACKEND_REASON_MAX];
	uint64_t t0 = zk_backend_now_ns();
	uint32_t n = 0;

	fill_statement(&st);
	got = zk_backend_prove(be, &st, NULL, 0, &out, reason, sizeof(reason));
	if (zk_backend_now_ns() - t0 > SLOW_NS)
		return false;
	if (!model_exchange(m, ZK_BP_PROVE, &r, &n) || n < 1 ||
	    r[0] > ZK_BE_PROTOCOL) {
		m->alive = false;
		want = ZK_BE_PROTOCOL;
		m->last_failed = true;
	} else if (r[0] != ZK_BE_OK) {
		want = (enum zk_be_status)r[0];
		m->last_failed = want != ZK_BE_TOO_BIG && want != ZK_BE_INVALID;
	} else if (n - 1u > cap) {
		want = ZK_BE_TOO_BIG;
		m->last_failed = false;
	} else {
		want = n == 1 ? ZK_BE_FAILED : ZK_BE_OK; /* empty proof */
		m->last_failed = false;
	}
	if (got != want || (got == ZK_BE_OK && (out.len != n - 1u ||
	    memcmp(out.data, r + 1, out.len) != 0)) ||
	    (got != ZK_BE_OK && (out.len != 0 || reason[0] == '\0')))
		abort();
	return true;
}

static bool
run_verify(struct zk_backend *be, struct model *m)
{
	static const uint8_t proof[32] = { 1, 2, 3 };
	struct zk_statement st;
	enum zk_verdict got, want;
	const uint8_t *r = NULL;
	char reason[ZK_BACKEND_REASON_MAX];
	uint64_t t0 = zk_backend_now_ns();
	uint32_t n = 0;

	fill_statement(&st);
	got = zk_backend_verify(be, &st, proof, sizeof(proof), 0, reason,
				sizeof(reason));
	if (zk_backend_now_ns() - t0 > SLOW_NS)
		return false;
	if (!model_exchange(m, ZK_BP_VERIFY, &r, &n) || n < 1 ||
	    r[0] > ZK_VERIFY_ERROR) {
		m->alive = false;
		want = ZK_VERIFY_ERROR;
		m->last_failed = true;
	} else {
		want = (enum zk_verdict)r[0];
		m->last_failed = false;
	}
	if (got != want)
		abort();
	return true;
}

static bool
run_health(struct zk_backend *be, struct model *m)
{
	enum zk_health got, want;
	const uint8_t *r = NULL;
	char reason[ZK_BACKEND_REASON_MAX];
	uint64_t t0 = zk_backend_now_ns();
	uint32_t n = 0;

	got = zk_backend_health(be, reason, sizeof(reason));
	if (zk_backend_now_ns() - t0 > SLOW_NS)
		return false;
	if (!model_exchange(m, ZK_BP_HEALTH, &r, &n) || n < 1 ||
	    r[0] > ZK_HEALTH_DOWN) {
		m->alive = false;
		want = ZK_HEALTH_DOWN;
	} else {
		want = (enum zk_health)r[0];
		if (want == ZK_HEALTH_OK && m->last_failed)
			want = ZK_HEALTH_DEGRADED;
	}
	for (const char *c = reason; *c != '\0'; c++)
		if (*c < 0x20 || *c > 0x7e)
			abort(); /* prover bytes reached the operator raw */
	if (got != want)
		abort();
	return true;
}

static uint32_t
get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void
check_describe(const struct zk_backend_info *info, const uint8_t *r)
{
	size_t name_len = strnlen((const char *)r, ZK_BACKEND_NAME_MAX);

	if (name_len >= ZK_BACKEND_NAME_MAX)
		name_len = ZK_BACKEND_NAME_MAX - 1;
	if (strlen(info->name) != name_len)
		abort();
	for (size_t i = 0; i < name_len; i++)
		if (info->name[i] != (r[i] >= 0x20 && r[i] < 0x7f ?
				      (char)r[i] : '?'))
			abort();
	if (info->params_id != get_u32(r + 32) ||
	    info->security_bits != get_u32(r + 36) ||
	    info->test_only != (r[40] != 0) ||
	    info->prove_fixed_us != get_u32(r + 44) ||
	    info->verify_us != get_u32(r + 60) || info->concurrency != 1)
		abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
remove_dir(void)
{
	unlink(stream_path);
	rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *env = getenv("ZK_FUZZ_BACKEND_PEER");
	const char *base = getenv("TMPDIR");
	char self[4096];

	(void)argc;
	if (env != NULL) {
		snprintf(peer_path, sizeof(peer_path), "%s", env);
	} else {
		snprintf(self, sizeof(self), "%s", (*argv)[0]);
		snprintf(peer_path, sizeof(peer_path), "%s/fuzz_backend_peer",
			 dirname(self));
	}
	if (access(peer_path, X_OK) != 0) {
		fprintf(stderr, "fuzz_backend_frame: no peer at %s (set "
			"ZK_FUZZ_BACKEND_PEER)\n", peer_path);
		exit(2);
	}
	snprintf(dir, sizeof(dir), "%s/fuzz_backend.XXXXXX",
		 base != NULL && strlen(base) < 32 ? base : "/dev/shm");
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(stream_path, sizeof(stream_path), "%s/stream", dir);
	atexit(remove_dir);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[] = { peer_path, stream_path, NULL };
	struct zk_external_cfg cfg = {
		.argv = argv,
		.max_payload = MAX_PAYLOAD,
		.io_timeout_us = 2000000,
		.prove_timeout_us = 2000000,
	};
	struct model m = { 0 };
	struct zk_backend *be;
	const uint8_t *r = NULL;
	char err[256];
	uint64_t t0;
	uint32_t n = 0;
	bool described;
	int fd;

	if (size < 1)
		return 0;
	m.s = data + 1;
	m.n = size - 1;
	check_header(m.s, m.n);
	fd = open(stream_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || (m.n > 0 && write(fd, m.s, m.n) != (ssize_t)m.n) ||
	    close(fd) != 0)
		abort(); /* the harness's own I/O */

	t0 = zk_backend_now_ns();
	err[0] = '\0';
	be = zk_external_create(&cfg, err, sizeof(err));
	if (zk_backend_now_ns() - t0 > SLOW_NS) {
		zk_backend_destroy(be);
		return 0;
	}
	described = model_exchange(&m, ZK_BP_DESCRIBE, &r, &n) &&
		    n == DESCRIBE_SIZE;
	if ((be != NULL) != described || (be == NULL && err[0] == '\0'))
		abort();
	if (be == NULL)
		return 0;
	check_describe(zk_backend_info(be), r);
	check_children(be, &m);

	for (int i = 0; i < 4; i++) {
		bool in_time;

		switch ((enum call)((data[0] >> (2 * i)) & 3u)) {
		case CALL_PROVE:
			in_time = run_prove(be, &m, BIG_CAP);
			break;
		case CALL_PROVE_SMALL:
			in_time = run_prove(be, &m, SMALL_CAP);
			break;
		case CALL_VERIFY:
			in_time = run_verify(be, &m);
			break;
		default:
			in_time = run_health(be, &m);
			break;
		}
		if (!in_time)
			break;
		check_children(be, &m);
	}
	zk_backend_destroy(be);
	return 0;
}

#else /* seed generator */

static void
put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Appends one reply frame for request `id` to s. */
static size_t
frame(uint8_t *s, size_t at, uint8_t type, uint64_t id, const uint8_t *p,
      uint32_t len)
{
	struct zk_bp_header h = {
		.magic = ZK_BP_MAGIC,
		.version = ZK_BP_VERSION,
		.type = (uint8_t)(type | ZK_BP_REPLY),
		.request_id = id,
		.payload_len = len,
	};

	zk_bp_header_encode(&h, s + at);
	memcpy(s + at + ZK_BP_HEADER_SIZE, p, len);
	return at + ZK_BP_HEADER_SIZE + len;
}

int
main(int argc, char **argv)
{
	static uint8_t s[1u << 16];
	uint8_t describe[DESCRIBE_SIZE] = "external-stark";
	uint8_t proof[1 + 200], status[40];
	struct fuzz_seeds seeds;
	uint8_t script;
	size_t n;

	if (argc != 3) {
		fprintf(stderr, "usage: %s CORPUS_DIR SEED_LIST_FILE\n", argv[0]);
		return 2;
	}
	if (fuzz_seeds_open(&seeds, "fuzz_backend_frame_seed", argv[1],
			    argv[2]) != 0)
		return 1;
	put_u32(describe + 32, 7);    /* params_id */
	put_u32(describe + 36, 100);  /* security bits */
	put_u32(describe + 44, 5000); /* prove_fixed_us */
	put_u32(describe + 48, 20);
	put_u32(describe + 52, 4096);
	put_u32(describe + 56, 8);
	put_u32(describe + 60, 300);  /* verify_us */
	proof[0] = ZK_BE_OK;
	for (size_t i = 1; i < sizeof(proof); i++)
		proof[i] = (uint8_t)(i * 13);

	/* describe, prove, verify (accept), health (ok) */
	script = CALL_PROVE | CALL_VERIFY << 2 | CALL_HEALTH << 4 |
		 CALL_PROVE << 6;
	n = frame(s, 0, ZK_BP_DESCRIBE, 1, describe, sizeof(describe));
	n = frame(s, n, ZK_BP_PROVE, 2, proof, sizeof(proof));
	status[0] = ZK_VERIFY_ACCEPT;
	memcpy(status + 1, "ok", 2);
	n = frame(s, n, ZK_BP_VERIFY, 3, status, 3);
	status[0] = ZK_HEALTH_OK;
	n = frame(s, n, ZK_BP_HEALTH, 4, status, 3);
	n = frame(s, n, ZK_BP_PROVE, 5, proof, 1 + 40);
	if (fuzz_seeds_emit2(&seeds, &script, 1, s, n) != 0)
		return 1;

	/* a refused prove (reason text), a reject, a degraded health */
	script = CALL_PROVE_SMALL | CALL_VERIFY << 2 | CALL_HEALTH << 4 |
		 CALL_HEALTH << 6;
	n = frame(s, 0, ZK_BP_DESCRIBE, 1, describe, sizeof(describe));
	status[0] = ZK_BE_FAILED;
	memcpy(status + 1, "out of memory\n", 14);
	n = frame(s, n, ZK_BP_PROVE, 2, status, 15);
	status[0] = ZK_VERIFY_REJECT;
	n = frame(s, n, ZK_BP_VERIFY, 3, status, 15);
	status[0] = ZK_HEALTH_DEGRADED;
	n = frame(s, n, ZK_BP_HEALTH, 4, status, 15);
	status[0] = ZK_HEALTH_OK;
	n = frame(s, n, ZK_BP_HEALTH, 5, status, 1);
	if (fuzz_seeds_emit2(&seeds, &script, 1, s, n) != 0)
		return 1;

	/* a proof too big for the small buffer, then an oversize frame */
	script = CALL_PROVE_SMALL | CALL_PROVE << 2 | CALL_HEALTH << 4 |
		 CALL_VERIFY << 6;
	n = frame(s, 0, ZK_BP_DESCRIBE, 1, describe, sizeof(describe));
	n = frame(s, n, ZK_BP_PROVE, 2, proof, sizeof(proof));
	n = frame(s, n, ZK_BP_PROVE, 3, proof, sizeof(proof));
	put_u32(s + n - sizeof(proof) - 4, MAX_PAYLOAD + 1);
	if (fuzz_seeds_emit2(&seeds, &script, 1, s, n) != 0)
		return 1;

	/* describe only, and a describe of the wrong size */
	if (fuzz_seeds_emit2(&seeds, &script, 1, s, ZK_BP_HEADER_SIZE +
			     DESCRIBE_SIZE) != 0)
		return 1;
	n = frame(s, 0, ZK_BP_DESCRIBE, 1, describe, DESCRIBE_SIZE - 4);
	if (fuzz_seeds_emit2(&seeds, &script, 1, s, n) != 0)
		return 1;
	return fuzz_seeds_close(&seeds) == 0 ? 0 : 1;
}

#endif
