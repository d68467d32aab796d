/* SPDX-License-Identifier: MIT */
/*
 * Audit record payloads: the canonical binary encoding of each record type
 * (layouts in the comment at the top of audit.c), their decoder, and the
 * INI key diff that summarises a config change.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <blake2.h>
#include <ini.h>

#include "audit_format.h"

int
audit_buf_init(struct audit_buf *b)
{
	b->data = malloc(ZK_AUDIT_MAX_PAYLOAD);
	b->len = 0;
	b->overflow = false;
	return b->data == NULL ? -ENOMEM : 0;
}

void
audit_buf_free(struct audit_buf *b)
{
	free(b->data);
	b->data = NULL;
}

void
audit_buf_bytes(struct audit_buf *b, const void *p, size_t n)
{
	if (b->overflow || n > ZK_AUDIT_MAX_PAYLOAD - b->len) {
		b->overflow = true;
		return;
	}
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
}

void
audit_buf_u8(struct audit_buf *b, uint8_t v)
{
	audit_buf_bytes(b, &v, 1);
}

void
audit_buf_u32(struct audit_buf *b, uint32_t v)
{
	uint8_t e[4];

	audit_put32(e, v);
	audit_buf_bytes(b, e, sizeof(e));
}

void
audit_buf_u64(struct audit_buf *b, uint64_t v)
{
	uint8_t e[8];

	audit_put64(e, v);
	audit_buf_bytes(b, e, sizeof(e));
}

void
audit_buf_str(struct audit_buf *b, const char *s, size_t n)
{
	uint8_t e[2];

	if (n > UINT16_MAX) {
		b->overflow = true;
		return;
	}
	audit_put16(e, (uint16_t)n);
	audit_buf_bytes(b, e, sizeof(e));
	audit_buf_bytes(b, s, n);
}

static void
buf_statement(struct audit_buf *b, const struct zk_statement *st)
{
	uint8_t enc[ZK_STATEMENT_WIRE_SIZE];

	zk_statement_encode(st, enc);
	audit_buf_bytes(b, enc, sizeof(enc));
}

static int
append_buf(struct zk_audit *log, enum zk_audit_type type, struct audit_buf *b)
{
	int rc = b->overflow ? -E2BIG : audit_append(log, type, b);

	audit_buf_free(b);
	return rc;
}

int
zk_audit_proof(struct zk_audit *log, const struct zk_statement *st,
	       const char *backend,
	       const uint8_t proof_hash[ZK_AUDIT_HASH_SIZE], uint64_t proof_len)
{
	struct audit_buf b;
	int rc;

	if (log == NULL || st == NULL || backend == NULL || proof_hash == NULL)
		return -EINVAL;
	rc = audit_buf_init(&b);
	if (rc != 0)
		return rc;
	buf_statement(&b, st);
	audit_buf_str(&b, backend, strlen(backend));
	audit_buf_bytes(&b, proof_hash, ZK_AUDIT_HASH_SIZE);
	audit_buf_u64(&b, proof_len);
	return append_buf(log, ZK_AUDIT_PROOF, &b);
}

int
zk_audit_verify_failure(struct zk_audit *log, const struct zk_statement *st,
			const char *backend,
			const uint8_t proof_hash[ZK_AUDIT_HASH_SIZE],
			const char *reason)
{
	static const uint8_t no_proof[ZK_AUDIT_HASH_SIZE];
	struct audit_buf b;
	int rc;

	if (log == NULL || st == NULL || backend == NULL || reason == NULL)
		return -EINVAL;
	rc = audit_buf_init(&b);
	if (rc != 0)
		return rc;
	buf_statement(&b, st);
	audit_buf_str(&b, backend, strlen(backend));
	audit_buf_bytes(&b, proof_hash != NULL ? proof_hash : no_proof,
			ZK_AUDIT_HASH_SIZE);
	audit_buf_str(&b, reason, strlen(reason));
	return append_buf(log, ZK_AUDIT_VERIFY_FAIL, &b);
}

/* One "section.key" of a parsed config and its (joined) value. */
struct ini_entry {
	char *name;
	char *value;
};

struct ini_set {
	struct ini_entry *v;
	size_t n, cap;
	bool nomem;
};

static int
ini_collect(void *user, const char *section, const char *name,
	    const char *value)
{
	struct ini_set *set = user;
	size_t nlen = strlen(section) + 1 + strlen(name) + 1;
	char *full = malloc(nlen);

	if (full == NULL)
		goto nomem;
	snprintf(full, nlen, "%s.%s", section, name);
	/* A repeated key (or an inih continuation line) extends its value,
	 * so any change to any occurrence is still seen. */
	for (size_t i = 0; i < set->n; i++) {
		if (strcmp(set->v[i].name, full) != 0)
			continue;
		size_t old = strlen(set->v[i].value);
		char *joined = realloc(set->v[i].value,
				       old + 1 + strlen(value) + 1);

		free(full);
		if (joined == NULL)
			goto nomem;
		joined[old] = '\n';
		strcpy(joined + old + 1, value);
		set->v[i].value = joined;
		return 1;
	}
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 16;
		struct ini_entry *v = realloc(set->v, cap * sizeof(*v));

		if (v == NULL) {
			free(full);
			goto nomem;
		}
		set->v = v;
		set->cap = cap;
	}
	set->v[set->n].name = full;
	set->v[set->n].value = strdup(value);
	if (set->v[set->n].value == NULL) {
		free(full);
		goto nomem;
	}
	set->n++;
	return 1;
nomem:
	set->nomem = true;
	return 0;
}

static void
ini_free(struct ini_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		free(set->v[i].name);
		free(set->v[i].value);
	}
	free(set->v);
}

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ini_entry *)a)->name,
		      ((const struct ini_entry *)b)->name);
}

/* Parses text (not NUL-terminated) into a sorted key set; returns the
 * first bad line (0 if none) or -ENOMEM. */
static int
ini_load(const char *text, size_t len, struct ini_set *set)
{
	char *copy;
	int rc;

	memset(set, 0, sizeof(*set));
	if (text == NULL)
		return 0;
	copy = malloc(len + 1);
	if (copy == NULL)
		return -ENOMEM;
	memcpy(copy, text, len);
	copy[len] = '\0';
	rc = ini_parse_string(copy, ini_collect, set);
	free(copy);
	if (set->nomem || rc < 0)
		return -ENOMEM;
	qsort(set->v, set->n, sizeof(set->v[0]), entry_cmp);
	return rc;
}

struct summary {
	char text[ZK_AUDIT_MAX_SUMMARY];
	size_t len;
	size_t dropped;
};

static void
summary_add(struct summary *s, char mark, const char *name)
{
	/* Keep room for the " +N more" tail so the cut is always visible. */
	size_t need = (s->len ? 1 : 0) + 1 + strlen(name);

	if (s->dropped > 0 || s->len + need > sizeof(s->text) - 24) {
		s->dropped++;
		return;
	}
	s->len += (size_t)snprintf(s->text + s->len, sizeof(s->text) - s->len,
				   "%s%c%s", s->len ? " " : "", mark, name);
}

static int
config_summary(const char *old_text, size_t old_len, const char *new_text,
	       size_t new_len, struct summary *s)
{
	struct ini_set a, b;
	int bad_old, bad_new;
	size_t i = 0, j = 0;
	char note[48];

	memset(s, 0, sizeof(*s));
	bad_old = ini_load(old_text, old_len, &a);
	bad_new = ini_load(new_text, new_len, &b);
	if (bad_old < 0 || bad_new < 0) {
		ini_free(&a);
		ini_free(&b);
		return -ENOMEM;
	}
	if (bad_old > 0) {
		snprintf(note, sizeof(note), "old-parse-error@%d", bad_old);
		summary_add(s, '!', note);
	}
	if (bad_new > 0) {
		snprintf(note, sizeof(note), "new-parse-error@%d", bad_new);
		summary_add(s, '!', note);
	}
	while (i < a.n || j < b.n) {
		int c = i == a.n ? 1 : j == b.n ? -1 :
			strcmp(a.v[i].name, b.v[j].name);

		if (c < 0) {
			summary_add(s, '-', a.v[i++].name);
		} else if (c > 0) {
			summary_add(s, '+', b.v[j++].name);
		} else {
			if (strcmp(a.v[i].value, b.v[j].value) != 0)
				summary_add(s, '~', a.v[i].name);
			i++;
			j++;
		}
	}
	if (s->dropped > 0)
		s->len += (size_t)snprintf(s->text + s->len,
					   sizeof(s->text) - s->len,
					   " +%zu more", s->dropped);
	ini_free(&a);
	ini_free(&b);
	return 0;
}

int
zk_audit_config_change(struct zk_audit *log, const char *path,
		       const char *old_text, size_t old_len,
		       const char *new_text, size_t new_len)
{
	uint8_t old_hash[ZK_AUDIT_HASH_SIZE] = {0};
	uint8_t new_hash[ZK_AUDIT_HASH_SIZE];
	struct summary *s;
	struct audit_buf b;
	int rc;

	if (log == NULL || path == NULL || new_text == NULL ||
	    (old_text == NULL && old_len != 0))
		return -EINVAL;
	if (old_text != NULL)
		blake2b(old_hash, old_text, NULL, sizeof(old_hash), old_len, 0);
	blake2b(new_hash, new_text, NULL, sizeof(new_hash), new_len, 0);
	s = malloc(sizeof(*s));
	if (s == NULL)
		return -ENOMEM;
	rc = config_summary(old_text, old_len, new_text, new_len, s);
	if (rc == 0)
		rc = audit_buf_init(&b);
	if (rc != 0) {
		free(s);
		return rc;
	}
	audit_buf_str(&b, path, strlen(path));
	audit_buf_bytes(&b, old_hash, sizeof(old_hash));
	audit_buf_bytes(&b, new_hash, sizeof(new_hash));
	audit_buf_str(&b, s->text, s->len);
	free(s);
	return append_buf(log, ZK_AUDIT_CONFIG_CHANGE, &b);
}

static int
append_operator(struct zk_audit *log, uint32_t uid, int32_t signo, int argc,
		const char *const argv[])
{
	struct audit_buf b;
	int rc = audit_buf_init(&b);

	if (rc != 0)
		return rc;
	audit_buf_u32(&b, uid);
	audit_buf_u32(&b, (uint32_t)signo);
	audit_buf_u32(&b, (uint32_t)argc);
	for (int i = 0; i < argc; i++)
		audit_buf_str(&b, argv[i], strlen(argv[i]));
	return append_buf(log, ZK_AUDIT_OPERATOR, &b);
}

int
zk_audit_operator_command(struct zk_audit *log, uint32_t uid, int argc,
			  const char *const argv[])
{
	if (log == NULL || argc < 1 || argc > ZK_AUDIT_MAX_ARGS || argv == NULL)
		return -EINVAL;
	for (int i = 0; i < argc; i++)
		if (argv[i] == NULL)
			return -EINVAL;
	return append_operator(log, uid, 0, argc, argv);
}

int
zk_audit_operator_signal(struct zk_audit *log, uint32_t uid, int signo)
{
	const char *abbrev = signo > 0 ? sigabbrev_np(signo) : NULL;
	char name[32];
	const char *argv[1] = {name};

	if (log == NULL || abbrev == NULL)
		return -EINVAL;
	snprintf(name, sizeof(name), "SIG%s", abbrev);
	return append_operator(log, uid, signo, 1, argv);
}

void
audit_encode_chain_break(struct audit_buf *b, const char *broken_path,
			 const struct zk_audit_report *rep)
{
	audit_buf_str(b, broken_path, strlen(broken_path));
	audit_buf_u32(b, (uint32_t)rep->status);
	audit_buf_u64(b, rep->bad_record);
	audit_buf_u64(b, rep->bad_offset);
	audit_buf_u64(b, rep->records);
	audit_buf_bytes(b, rep->head, ZK_AUDIT_HASH_SIZE);
	audit_buf_bytes(b, rep->salt, ZK_AUDIT_SALT_SIZE);
}

/* Bounds-checked cursor over a payload. */
struct cursor {
	const uint8_t *p;
	size_t left;
	bool bad;
};

static const uint8_t *
take(struct cursor *c, size_t n)
{
	const uint8_t *p = c->p;

	if (c->bad || n > c->left) {
		c->bad = true;
		return NULL;
	}
	c->p += n;
	c->left -= n;
	return p;
}

static uint32_t
take32(struct cursor *c)
{
	const uint8_t *p = take(c, 4);

	return p ? audit_get32(p) : 0;
}

static uint64_t
take64(struct cursor *c)
{
	const uint8_t *p = take(c, 8);

	return p ? audit_get64(p) : 0;
}

static void
take_bytes(struct cursor *c, uint8_t *out, size_t n)
{
	const uint8_t *p = take(c, n);

	if (p != NULL)
		memcpy(out, p, n);
}

static void
take_str(struct cursor *c, struct zk_audit_str *s)
{
	const uint8_t *lp = take(c, 2);
	uint16_t n = lp ? audit_get16(lp) : 0;
	const uint8_t *p = take(c, n);

	s->ptr = (const char *)p;
	s->len = p ? n : 0;
}

static void
take_statement(struct cursor *c, struct zk_statement *st)
{
	const uint8_t *p = take(c, ZK_STATEMENT_WIRE_SIZE);

	if (p != NULL)
		zk_statement_decode(p, st);
}

int
zk_audit_decode(const struct zk_audit_record *rec, struct zk_audit_entry *out)
{
	struct cursor c;

	if (rec == NULL || out == NULL ||
	    (rec->payload == NULL && rec->payload_len > 0))
		return -EINVAL;
	c = (struct cursor){ .p = rec->payload, .left = rec->payload_len };
	memset(out, 0, sizeof(*out));
	out->type = rec->type;
	switch (rec->type) {
	case ZK_AUDIT_PROOF:
		take_statement(&c, &out->proof.st);
		take_str(&c, &out->proof.backend);
		take_bytes(&c, out->proof.proof_hash, ZK_AUDIT_HASH_SIZE);
		out->proof.proof_len = take64(&c);
		break;
	case ZK_AUDIT_VERIFY_FAIL:
		take_statement(&c, &out->verify_fail.st);
		take_str(&c, &out->verify_fail.backend);
		take_bytes(&c, out->verify_fail.proof_hash, ZK_AUDIT_HASH_SIZE);
		take_str(&c, &out->verify_fail.reason);
		break;
	case ZK_AUDIT_CONFIG_CHANGE:
		take_str(&c, &out->config.path);
		take_bytes(&c, out->config.old_hash, ZK_AUDIT_HASH_SIZE);
		take_bytes(&c, out->config.new_hash, ZK_AUDIT_HASH_SIZE);
		take_str(&c, &out->config.changes);
		break;
	case ZK_AUDIT_OPERATOR:
		out->operator_cmd.uid = take32(&c);
		out->operator_cmd.signo = (int32_t)take32(&c);
		out->operator_cmd.argc = take32(&c);
		if (out->operator_cmd.argc < 1 ||
		    out->operator_cmd.argc > ZK_AUDIT_MAX_ARGS)
			return -EBADMSG;
		for (uint32_t i = 0; i < out->operator_cmd.argc; i++)
			take_str(&c, &out->operator_cmd.argv[i]);
		break;
	case ZK_AUDIT_CHAIN_BREAK:
		take_str(&c, &out->chain_break.broken_path);
		out->chain_break.status = (enum zk_audit_status)take32(&c);
		out->chain_break.bad_record = take64(&c);
		out->chain_break.bad_offset = take64(&c);
		out->chain_break.valid_records = take64(&c);
		take_bytes(&c, out->chain_break.valid_head, ZK_AUDIT_HASH_SIZE);
		take_bytes(&c, out->chain_break.broken_salt,
			   ZK_AUDIT_SALT_SIZE);
		break;
	default:
		return -EBADMSG;
	}
	/* Trailing bytes would be data no decoder shows: reject them too. */
	return c.bad || c.left != 0 ? -EBADMSG : 0;
}

const char *
zk_audit_status_name(enum zk_audit_status status)
{
	switch (status) {
	case ZK_AUDIT_OK: return "ok";
	case ZK_AUDIT_TORN_TAIL: return "torn tail";
	case ZK_AUDIT_BAD_FILE_HEADER: return "bad file header";
	case ZK_AUDIT_BAD_RECORD_HEADER: return "bad record header";
	case ZK_AUDIT_CHAIN_BROKEN: return "chain broken";
	case ZK_AUDIT_BAD_HASH: return "bad record hash";
	case ZK_AUDIT_BAD_SEQ: return "bad sequence number";
	case ZK_AUDIT_BAD_PAYLOAD: return "bad payload";
	case ZK_AUDIT_ANCHOR_MISMATCH: return "anchor mismatch";
	}
	return "unknown status";
}

const char *
zk_audit_type_name(enum zk_audit_type type)
{
	switch (type) {
	case ZK_AUDIT_PROOF: return "proof";
	case ZK_AUDIT_VERIFY_FAIL: return "verify-failure";
	case ZK_AUDIT_CONFIG_CHANGE: return "config-change";
	case ZK_AUDIT_OPERATOR: return "operator";
	case ZK_AUDIT_CHAIN_BREAK: return "chain-break";
	}
	return "unknown";
}
