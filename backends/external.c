/* SPDX-License-Identifier: MIT */
/*
 * External-process backend: any prover binary that speaks the framed
 * protocol of docs/backend-protocol.md on its stdin/stdout.
 *
 * The child's stdin and stdout are one end of a socketpair, so writes use
 * send(MSG_NOSIGNAL): a dead child gives EPIPE, never a SIGPIPE that would
 * kill the appliance. Every wait is a poll() against a deadline. Whatever
 * goes wrong mid-exchange (timeout, EOF, garbage, oversize, wrong id) leaves
 * the stream in an unknown state, so the child is SIGKILLed and reaped at
 * once and the next request starts a fresh one: no zombie, no fd leak.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zkclob/backend.h"
#include "zkclob/batch.h"

#define DESCRIBE_REPLY_SIZE 68

extern char **environ;

struct external {
	pthread_mutex_t lock; /* one exchange at a time on the one channel */
	char **argv;
	uint32_t max_payload;
	uint64_t io_timeout_ns;
	uint64_t prove_timeout_ns;
	pid_t pid;
	int fd;
	uint64_t next_id;
	uint64_t spawned;
	bool last_failed;
	char last_error[ZK_BACKEND_REASON_MAX];
	struct zk_backend_info info;
};

static const struct zk_backend_ops external_ops;

static void
put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
put_u64(uint8_t *p, uint64_t v)
{
	put_u32(p, (uint32_t)(v >> 32));
	put_u32(p + 4, (uint32_t)v);
}

static uint32_t
get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t
get_u64(const uint8_t *p)
{
	return (uint64_t)get_u32(p) << 32 | get_u32(p + 4);
}

void
zk_bp_header_encode(const struct zk_bp_header *h,
		    uint8_t out[ZK_BP_HEADER_SIZE])
{
	put_u32(out, h->magic);
	out[4] = h->version;
	out[5] = h->type;
	out[6] = (uint8_t)(h->flags >> 8);
	out[7] = (uint8_t)h->flags;
	put_u64(out + 8, h->request_id);
	put_u32(out + 16, h->payload_len);
}

int
zk_bp_header_decode(const uint8_t in[ZK_BP_HEADER_SIZE], uint32_t max_payload,
		    struct zk_bp_header *h, char *err, size_t errlen)
{
	uint8_t base;

	h->magic = get_u32(in);
	h->version = in[4];
	h->type = in[5];
	h->flags = (uint16_t)(in[6] << 8 | in[7]);
	h->request_id = get_u64(in + 8);
	h->payload_len = get_u32(in + 16);
	base = h->type & (uint8_t)~ZK_BP_REPLY;
	if (h->magic != ZK_BP_MAGIC) {
		snprintf(err, errlen, "bad frame magic 0x%08x", h->magic);
		return -1;
	}
	if (h->version != ZK_BP_VERSION) {
		snprintf(err, errlen, "unsupported protocol version %u",
			 h->version);
		return -1;
	}
	if (h->flags != 0) {
		snprintf(err, errlen, "nonzero flags 0x%04x", h->flags);
		return -1;
	}
	if (base < ZK_BP_PROVE || base > ZK_BP_HEALTH) {
		snprintf(err, errlen, "unknown frame type 0x%02x", h->type);
		return -1;
	}
	if (h->payload_len > max_payload) {
		snprintf(err, errlen, "payload of %u bytes exceeds limit %u",
			 h->payload_len, max_payload);
		return -1;
	}
	return 0;
}

static void
kill_child(struct external *x)
{
	if (x->pid > 0) {
		kill(x->pid, SIGKILL);
		while (waitpid(x->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (x->fd >= 0)
		close(x->fd);
	x->pid = 0;
	x->fd = -1;
}

static int
spawn_child(struct external *x, char *err, size_t errlen)
{
	posix_spawn_file_actions_t fa;
	int sv[2];
	int rc;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	/* dup2 clears close-on-exec on 0 and 1 only; every other fd of ours
	 * (sv[0] included) is CLOEXEC or the caller's business. */
	posix_spawn_file_actions_adddup2(&fa, sv[1], STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, sv[1], STDOUT_FILENO);
	rc = posix_spawnp(&pid, x->argv[0], &fa, NULL, x->argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(sv[1]);
	if (rc != 0) {
		close(sv[0]);
		snprintf(err, errlen, "cannot start %s: %s", x->argv[0],
			 strerror(rc));
		return -1;
	}
	if (fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK) != 0) {
		snprintf(err, errlen, "fcntl: %s", strerror(errno));
		close(sv[0]);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	x->pid = pid;
	x->fd = sv[0];
	x->spawned++;
	return 0;
}

/* Wait for fd to be ready for events, until deadline_ns. 0, or -1 with a
 * reason (timeout, hang-up without data). */
static int
wait_fd(int fd, short events, uint64_t deadline_ns, char *err, size_t errlen)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = events };
		uint64_t now = zk_backend_now_ns();
		int ms, rc;

		if (now >= deadline_ns) {
			snprintf(err, errlen, "timed out waiting for the prover");
			return -1;
		}
		ms = (int)((deadline_ns - now + 999999) / 1000000);
		rc = poll(&p, 1, ms);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0) {
			snprintf(err, errlen, "poll: %s", strerror(errno));
			return -1;
		}
		if (rc > 0)
			return 0; /* POLLHUP/POLLERR surface in send/recv */
	}
}

static int
send_all(int fd, const uint8_t *buf, size_t len, uint64_t deadline_ns,
	 char *err, size_t errlen)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (wait_fd(fd, POLLOUT, deadline_ns, err, errlen) != 0)
				return -1;
			continue;
		}
		snprintf(err, errlen, "prover closed its input: %s",
			 strerror(errno));
		return -1;
	}
	return 0;
}

static int
recv_all(int fd, uint8_t *buf, size_t len, uint64_t deadline_ns, char *err,
	 size_t errlen)
{
	while (len > 0) {
		ssize_t n = recv(fd, buf, len, 0);

		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (n == 0) {
			snprintf(err, errlen, "prover exited mid-reply");
			return -1;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			if (wait_fd(fd, POLLIN, deadline_ns, err, errlen) != 0)
				return -1;
			continue;
		}
		snprintf(err, errlen, "recv: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* The absolute time an exchange must end by: the caller's deadline, capped
 * by the per-call timeout so that no call can wait forever. */
static uint64_t
limit_for(uint64_t deadline_ns, uint64_t timeout_ns)
{
	uint64_t cap = zk_backend_now_ns() + timeout_ns;

	return deadline_ns != 0 && deadline_ns < cap ? deadline_ns : cap;
}

/*
 * One request/reply exchange, x->lock held, to finish by deadline_ns. On
 * success *reply is a malloc'd payload (NULL when empty) the caller frees.
 * On any failure the child is killed and reaped, and the status says
 * whether it was a timeout.
 */
static enum zk_be_status
exchange(struct external *x, uint8_t type, const uint8_t *p1, size_t n1,
	 const uint8_t *p2, size_t n2, uint64_t deadline_ns, uint8_t **reply,
	 uint32_t *reply_len, char *err, size_t errlen)
{
	uint8_t hdr[ZK_BP_HEADER_SIZE];
	struct zk_bp_header h = {
		.magic = ZK_BP_MAGIC,
		.version = ZK_BP_VERSION,
		.type = type,
	};
	enum zk_be_status fail = ZK_BE_PROTOCOL;
	uint8_t *payload = NULL;

	*reply = NULL;
	*reply_len = 0;
	if (n1 + n2 > x->max_payload) {
		snprintf(err, errlen, "request of %zu bytes exceeds limit %u",
			 n1 + n2, x->max_payload);
		return ZK_BE_TOO_BIG;
	}
	if (x->pid == 0 && spawn_child(x, err, errlen) != 0)
		return ZK_BE_FAILED;
	h.request_id = ++x->next_id;
	h.payload_len = (uint32_t)(n1 + n2);
	zk_bp_header_encode(&h, hdr);
	if (send_all(x->fd, hdr, sizeof(hdr), deadline_ns, err, errlen) != 0 ||
	    send_all(x->fd, p1, n1, deadline_ns, err, errlen) != 0 ||
	    send_all(x->fd, p2, n2, deadline_ns, err, errlen) != 0 ||
	    recv_all(x->fd, hdr, sizeof(hdr), deadline_ns, err, errlen) != 0)
		goto io_failed;
	if (zk_bp_header_decode(hdr, x->max_payload, &h, err, errlen) != 0)
		goto failed;
	if (h.type != (type | ZK_BP_REPLY)) {
		snprintf(err, errlen, "reply type 0x%02x to request 0x%02x",
			 h.type, type);
		goto failed;
	}
	if (h.request_id != x->next_id) {
		snprintf(err, errlen, "reply for request %llu, expected %llu",
			 (unsigned long long)h.request_id,
			 (unsigned long long)x->next_id);
		goto failed;
	}
	if (h.payload_len > 0) {
		payload = malloc(h.payload_len);
		if (payload == NULL) {
			snprintf(err, errlen, "out of memory for reply");
			fail = ZK_BE_FAILED;
			goto failed;
		}
		if (recv_all(x->fd, payload, h.payload_len, deadline_ns, err,
			     errlen) != 0)
			goto io_failed;
	}
	*reply = payload;
	*reply_len = h.payload_len;
	return ZK_BE_OK;
io_failed:
	fail = zk_backend_now_ns() >= deadline_ns ? ZK_BE_TIMEOUT :
						    ZK_BE_PROTOCOL;
failed:
	free(payload);
	kill_child(x);
	return fail;
}

static void
copy_text(char *dst, size_t dstlen, const uint8_t *src, size_t n)
{
	size_t j = 0;

	if (dstlen == 0)
		return;
	for (size_t i = 0; i < n && j + 1 < dstlen; i++)
		dst[j++] = src[i] >= 0x20 && src[i] < 0x7f ? (char)src[i] : '?';
	dst[j] = '\0';
}

static void
note(struct external *x, bool failed, const char *err)
{
	x->last_failed = failed;
	if (failed)
		snprintf(x->last_error, sizeof(x->last_error), "%s", err);
}

static enum zk_be_status
ext_prove(void *ctx, const struct zk_statement *st,
	  const struct zk_batch *witness, uint64_t deadline_ns,
	  struct zk_proof *out, char *reason, size_t reason_len)
{
	struct external *x = ctx;
	size_t n_ops = witness != NULL ? witness->n_ops : 0;
	size_t head_len = ZK_STATEMENT_WIRE_SIZE + 16;
	size_t wit_len = zk_bp_witness_size(witness), req_len;
	uint8_t *req, *reply;
	uint32_t reply_len;
	uint64_t now = zk_backend_now_ns();
	enum zk_be_status s;

	if (n_ops > (x->max_payload - head_len) / ZK_OP_WIRE_SIZE ||
	    wit_len + 4 > x->max_payload - head_len - n_ops * ZK_OP_WIRE_SIZE) {
		snprintf(reason, reason_len, "%s: batch of %zu ops (witness "
					     "%zu bytes) too big for a frame",
			 x->info.name, n_ops, wit_len);
		return ZK_BE_TOO_BIG;
	}
	req_len = head_len + n_ops * ZK_OP_WIRE_SIZE + 4 + wit_len;
	req = malloc(req_len);
	if (req == NULL) {
		snprintf(reason, reason_len, "%s: out of memory", x->info.name);
		return ZK_BE_FAILED;
	}
	zk_statement_encode(st, req);
	put_u64(req + ZK_STATEMENT_WIRE_SIZE,
		deadline_ns > now ? (deadline_ns - now) / 1000 : 0);
	put_u32(req + ZK_STATEMENT_WIRE_SIZE + 8,
		out->cap > UINT32_MAX ? UINT32_MAX : (uint32_t)out->cap);
	put_u32(req + ZK_STATEMENT_WIRE_SIZE + 12, (uint32_t)n_ops);
	for (size_t i = 0; i < n_ops; i++)
		zk_op_encode(&witness->ops[i],
			     req + head_len + i * ZK_OP_WIRE_SIZE);
	put_u32(req + head_len + n_ops * ZK_OP_WIRE_SIZE, (uint32_t)wit_len);
	if (wit_len != 0)
		zk_bp_witness_encode(witness, req + req_len - wit_len, wit_len);
	pthread_mutex_lock(&x->lock);
	s = exchange(x, ZK_BP_PROVE, req, req_len,
		     NULL, 0, limit_for(deadline_ns, x->prove_timeout_ns),
		     &reply, &reply_len, reason,
		     reason_len);
	if (s == ZK_BE_OK) {
		if (reply_len < 1 || reply[0] > ZK_BE_UNSUPPORTED) {
			snprintf(reason, reason_len,
				 "%s: malformed prove reply", x->info.name);
			kill_child(x);
			s = ZK_BE_PROTOCOL;
		} else if (reply[0] != ZK_BE_OK) {
			s = (enum zk_be_status)reply[0];
			copy_text(reason, reason_len, reply + 1,
				  reply_len - 1u);
		} else if (reply_len - 1u > out->cap) {
			snprintf(reason, reason_len,
				 "%s: %u-byte proof for a %zu-byte buffer",
				 x->info.name, reply_len - 1u, out->cap);
			s = ZK_BE_TOO_BIG;
		} else {
			memcpy(out->data, reply + 1, reply_len - 1u);
			out->len = reply_len - 1u;
		}
	}
	/* A refusal of the caller's request is not the prover failing. */
	note(x, s != ZK_BE_OK && s != ZK_BE_TOO_BIG && s != ZK_BE_INVALID &&
		     s != ZK_BE_UNSUPPORTED,
	     reason);
	pthread_mutex_unlock(&x->lock);
	free(reply);
	free(req);
	return s;
}

static enum zk_verdict
ext_verify(void *ctx, const struct zk_statement *st, const uint8_t *proof,
	   size_t len, uint64_t deadline_ns, char *reason, size_t reason_len)
{
	struct external *x = ctx;
	uint8_t head[ZK_STATEMENT_WIRE_SIZE + 8];
	uint64_t now = zk_backend_now_ns();
	uint8_t *reply;
	uint32_t reply_len;
	enum zk_be_status s;
	enum zk_verdict v = ZK_VERIFY_ERROR;

	zk_statement_encode(st, head);
	put_u64(head + ZK_STATEMENT_WIRE_SIZE,
		deadline_ns > now ? (deadline_ns - now) / 1000 : 0);
	pthread_mutex_lock(&x->lock);
	s = exchange(x, ZK_BP_VERIFY, head, sizeof(head), proof, len,
		     limit_for(deadline_ns, x->io_timeout_ns), &reply,
		     &reply_len, reason, reason_len);
	if (s == ZK_BE_OK) {
		if (reply_len < 1 || reply[0] > ZK_VERIFY_ERROR) {
			snprintf(reason, reason_len,
				 "%s: malformed verify reply", x->info.name);
			kill_child(x);
			s = ZK_BE_PROTOCOL;
		} else {
			v = (enum zk_verdict)reply[0];
			copy_text(reason, reason_len, reply + 1,
				  reply_len - 1u);
		}
	}
	note(x, s != ZK_BE_OK, reason);
	pthread_mutex_unlock(&x->lock);
	free(reply);
	return v;
}

static enum zk_be_status
ask_describe(struct external *x, struct zk_backend_info *info, char *err,
	     size_t errlen)
{
	uint8_t *r;
	uint32_t n;
	enum zk_be_status s;

	s = exchange(x, ZK_BP_DESCRIBE, NULL, 0, NULL, 0,
		     limit_for(0, x->io_timeout_ns), &r, &n, err,
		     errlen);
	if (s != ZK_BE_OK)
		return s;
	if (n != DESCRIBE_REPLY_SIZE) {
		snprintf(err, errlen, "describe reply of %u bytes, not %u", n,
			 DESCRIBE_REPLY_SIZE);
		free(r);
		kill_child(x);
		return ZK_BE_PROTOCOL;
	}
	memset(info, 0, sizeof(*info));
	copy_text(info->name, sizeof(info->name), r,
		  strnlen((const char *)r, ZK_BACKEND_NAME_MAX));
	info->params_id = get_u32(r + 32);
	info->security_bits = get_u32(r + 36);
	info->test_only = r[40] != 0;
	info->prove_fixed_us = get_u32(r + 44);
	info->prove_per_op_us = get_u32(r + 48);
	info->proof_bytes_fixed = get_u32(r + 52);
	info->proof_bytes_per_op = get_u32(r + 56);
	info->verify_us = get_u32(r + 60);
	info->concurrency = 1; /* one child, one request at a time */
	free(r);
	return ZK_BE_OK;
}

static void
ext_describe(void *ctx, struct zk_backend_info *info)
{
	struct external *x = ctx;

	*info = x->info;
}

static enum zk_health
ext_health(void *ctx, char *reason, size_t reason_len)
{
	struct external *x = ctx;
	enum zk_health h = ZK_HEALTH_DOWN;
	uint8_t *r;
	uint32_t n;
	enum zk_be_status s;

	pthread_mutex_lock(&x->lock);
	s = exchange(x, ZK_BP_HEALTH, NULL, 0, NULL, 0,
		     limit_for(0, x->io_timeout_ns), &r, &n, reason,
		     reason_len);
	if (s == ZK_BE_OK) {
		if (n < 1 || r[0] > ZK_HEALTH_DOWN) {
			snprintf(reason, reason_len, "malformed health reply");
			kill_child(x);
		} else {
			h = (enum zk_health)r[0];
			copy_text(reason, reason_len, r + 1, n - 1u);
			/* A prover that just failed us is not OK whatever it
			 * says about itself. */
			if (h == ZK_HEALTH_OK && x->last_failed) {
				h = ZK_HEALTH_DEGRADED;
				snprintf(reason, reason_len, "last call: %s",
					 x->last_error);
			}
		}
		free(r);
	}
	pthread_mutex_unlock(&x->lock);
	return h;
}

static void
ext_destroy(void *ctx)
{
	struct external *x = ctx;

	kill_child(x);
	if (x->argv != NULL)
		for (size_t i = 0; x->argv[i] != NULL; i++)
			free(x->argv[i]);
	free(x->argv);
	pthread_mutex_destroy(&x->lock);
	free(x);
}

static const struct zk_backend_ops external_ops = {
	.prove = ext_prove,
	.verify = ext_verify,
	.describe = ext_describe,
	.health = ext_health,
	.destroy = ext_destroy,
};

struct zk_backend *
zk_external_create(const struct zk_external_cfg *cfg, char *err,
		   size_t errlen)
{
	struct external *x;
	size_t argc = 0;
	struct zk_backend *be;

	if (cfg == NULL || cfg->argv == NULL || cfg->argv[0] == NULL) {
		snprintf(err, errlen, "external backend needs a command");
		return NULL;
	}
	/* Room for at least a statement, a describe reply and a proof. */
	if (cfg->max_payload != 0 && cfg->max_payload < 4096) {
		snprintf(err, errlen, "max_payload %u is below 4096 bytes",
			 cfg->max_payload);
		return NULL;
	}
	x = calloc(1, sizeof(*x));
	if (x == NULL)
		goto nomem;
	pthread_mutex_init(&x->lock, NULL);
	x->fd = -1;
	x->max_payload = cfg->max_payload != 0 ? cfg->max_payload :
						 ZK_BP_MAX_PAYLOAD_DEFAULT;
	x->io_timeout_ns = (cfg->io_timeout_us != 0 ? cfg->io_timeout_us :
						      2000000u) * 1000u;
	x->prove_timeout_ns = (cfg->prove_timeout_us != 0 ?
				       cfg->prove_timeout_us : 60000000u) * 1000u;
	while (cfg->argv[argc] != NULL)
		argc++;
	x->argv = calloc(argc + 1, sizeof(*x->argv));
	if (x->argv == NULL)
		goto nomem;
	for (size_t i = 0; i < argc; i++) {
		x->argv[i] = strdup(cfg->argv[i]);
		if (x->argv[i] == NULL)
			goto nomem;
	}
	if (ask_describe(x, &x->info, err, errlen) != ZK_BE_OK) {
		ext_destroy(x);
		return NULL;
	}
	be = zk_backend_create(&external_ops, x);
	if (be == NULL)
		snprintf(err, errlen, "out of memory");
	return be;
nomem:
	if (x != NULL)
		ext_destroy(x);
	snprintf(err, errlen, "out of memory");
	return NULL;
}

void
zk_external_stats(const struct zk_backend *be, uint64_t *spawned, int *pid)
{
	struct external *x = zk_backend_ctx_of(be, &external_ops);

	if (x == NULL) {
		*spawned = 0;
		*pid = 0;
		return;
	}
	pthread_mutex_lock(&x->lock);
	*spawned = x->spawned;
	*pid = (int)x->pid;
	pthread_mutex_unlock(&x->lock);
}
