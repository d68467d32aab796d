/* SPDX-License-Identifier: MIT */
/*
 * Proof encoding and hostile-input decoding. The decoder checks each
 * length against the bytes present and the caps of proof.h before it
 * allocates, so a short hostile input cannot make it allocate much.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "air.h"
#include "air_next.h"
#include "ntt.h"
#include "proof.h"
#include "proof_multi.h"
#include "stark.h"

void zk_stark_ood_layout(const struct zk_stark_proof_shape *s,
			 struct zk_stark_ood_layout *l)
{
	l->main_cur = 0;
	l->main_nxt = s->main_width;
	l->aux_cur = l->main_nxt + s->main_next; /* T(z), T(zω) */
	l->aux_nxt = l->aux_cur + s->aux_width;
	l->comp = l->aux_nxt + s->aux_next;
	l->total = l->comp + s->n_chunks;
}

void zk_stark_fri_config(const struct zk_stark_params *p, unsigned log_n,
			 unsigned threads, struct zk_fri_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->log_domain = log_n + p->log_blowup;
	/* F = DEEP quotients of polynomials of degree < n */
	cfg->log_degree = log_n;
	cfg->log_folding = p->log_folding;
	cfg->final_log_max = p->final_log_max;
	cfg->shift = ZK_GL_MULTIPLICATIVE_GENERATOR;
	cfg->hash = p->hash;
	cfg->threads = threads;
}

void zk_stark_proof_init(struct zk_stark_proof *pf)
{
	memset(pf, 0, sizeof(*pf));
}

int zk_stark_proof_alloc(struct zk_stark_proof *pf,
			 const struct zk_stark_proof_shape *shape,
			 uint32_t n_positions)
{
	struct zk_stark_ood_layout l;
	size_t np = n_positions;

	pf->shape = *shape;
	pf->n_positions = n_positions;
	zk_stark_ood_layout(shape, &l);
	pf->ood = calloc(l.total, sizeof(zk_ext));
	pf->main_rows = calloc(np * shape->main_width + 1, sizeof(zk_gl));
	pf->aux_rows = calloc(np * ZK_EXT_DEGREE * shape->aux_width + 1, sizeof(zk_gl));
	pf->comp_rows = calloc(np * ZK_EXT_DEGREE * shape->n_chunks + 1, sizeof(zk_gl));
	if (pf->ood == NULL || pf->main_rows == NULL || pf->aux_rows == NULL ||
	    pf->comp_rows == NULL)
		return ZK_STARK_ENOMEM;
	return 0;
}

void zk_stark_proof_free(struct zk_stark_proof *pf)
{
	free(pf->ood);
	free(pf->main_rows);
	free(pf->aux_rows);
	free(pf->comp_rows);
	zk_fri_proof_free(&pf->fri);
	zk_merkle_batch_free(&pf->main_open);
	zk_merkle_batch_free(&pf->aux_open);
	zk_merkle_batch_free(&pf->comp_open);
	zk_stark_proof_init(pf);
}

/* ---- sizes ---- */

static size_t rows_bytes(const struct zk_stark_proof *pf, size_t cols)
{
	return (size_t)pf->n_positions * cols * sizeof(zk_gl);
}

void zk_stark_proof_sizes(const struct zk_stark_proof *pf,
			  struct zk_stark_proof_sizes *s)
{
	struct zk_stark_ood_layout l;
	size_t fri = zk_fri_proof_encoded_size(&pf->fri);
	/* fri.h encoding: u32 count, then the coefficients */
	size_t final = sizeof(uint32_t) +
		       (size_t)pf->fri.final_len * ZK_EXT_BYTES;

	memset(s, 0, sizeof(*s));
	zk_stark_ood_layout(&pf->shape, &l);
	s->header = ZK_PROOF_HEADER_BYTES + sizeof(uint32_t);
	s->commitments = (pf->shape.aux_width ? 3 : 2) * sizeof(struct zk_digest);
	s->ood = l.total * ZK_EXT_BYTES;
	s->trace_openings = rows_bytes(pf, pf->shape.main_width) +
			    zk_merkle_batch_wire_size(&pf->main_open);
	if (pf->shape.aux_width)
		s->trace_openings += rows_bytes(pf, ZK_EXT_DEGREE * (size_t)pf->shape.aux_width) +
				     zk_merkle_batch_wire_size(&pf->aux_open);
	s->comp_openings = rows_bytes(pf, ZK_EXT_DEGREE * (size_t)pf->shape.n_chunks) +
			   zk_merkle_batch_wire_size(&pf->comp_open);
	s->fri_final = final < fri ? final : fri;
	s->fri_layers = fri - s->fri_final;
	s->nonce = sizeof(uint64_t);
	s->total = s->header + s->commitments + s->ood + s->trace_openings +
		   s->comp_openings + s->fri_layers + s->fri_final + s->nonce;
}

size_t zk_stark_proof_encoded_size(const struct zk_stark_proof *pf)
{
	struct zk_stark_proof_sizes s;

	zk_stark_proof_sizes(pf, &s);
	return s.total;
}

/* ---- encoding ---- */

struct zk_wbuf {
	uint8_t *p;
	size_t pos, cap;
};

static void put_bytes(struct zk_wbuf *w, const void *src, size_t n)
{
	memcpy(w->p + w->pos, src, n);
	w->pos += n;
}

static void put_le(struct zk_wbuf *w, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		w->p[w->pos++] = (uint8_t)(v >> (8 * i));
}

static void put_gl(struct zk_wbuf *w, const zk_gl *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_le(w, v[i], 8);
}

static int put_batch(struct zk_wbuf *w, const struct zk_merkle_batch *b)
{
	size_t written;

	if (zk_merkle_batch_serialize(b, w->p + w->pos, w->cap - w->pos,
				      &written) != 0)
		return ZK_STARK_EINVAL;
	w->pos += written;
	return 0;
}

int zk_stark_proof_encode(const struct zk_stark_proof *pf, uint8_t **out,
			  size_t *out_len)
{
	struct zk_stark_ood_layout l;
	struct zk_wbuf w;
	size_t written;
	int rc;

	*out = NULL;
	*out_len = 0;
	w.cap = zk_stark_proof_encoded_size(pf);
	w.pos = 0;
	w.p = malloc(w.cap);
	if (w.p == NULL)
		return ZK_STARK_ENOMEM;
	zk_stark_ood_layout(&pf->shape, &l);

	put_bytes(&w, ZK_PROOF_MAGIC, 4);
	put_le(&w, ZK_PROOF_VERSION, 2);
	put_le(&w, pf->params_id, 1);
	put_le(&w, pf->log_n, 1);
	put_le(&w, pf->shape.main_width, 4);
	put_le(&w, pf->shape.aux_width, 4);
	put_le(&w, pf->shape.n_chunks, 4);
	put_le(&w, pf->shape.main_next, 4);
	put_le(&w, pf->shape.aux_next, 4);
	put_bytes(&w, pf->main_root.bytes, ZK_DIGEST_BYTES);
	if (pf->shape.aux_width)
		put_bytes(&w, pf->aux_root.bytes, ZK_DIGEST_BYTES);
	put_bytes(&w, pf->comp_root.bytes, ZK_DIGEST_BYTES);
	for (size_t i = 0; i < l.total; i++) {
		for (unsigned k = 0; k < ZK_EXT_DEGREE; k++)
			put_le(&w, pf->ood[i].c[k], 8);
	}
	rc = zk_fri_proof_encode(&pf->fri, w.p + w.pos, w.cap - w.pos, &written);
	if (rc != 0)
		goto fail;
	w.pos += written;
	put_le(&w, pf->pow_nonce, 8);
	put_le(&w, pf->n_positions, 4);
	put_gl(&w, pf->main_rows, (size_t)pf->n_positions * pf->shape.main_width);
	rc = put_batch(&w, &pf->main_open);
	if (rc == 0 && pf->shape.aux_width) {
		put_gl(&w, pf->aux_rows,
		       (size_t)pf->n_positions * ZK_EXT_DEGREE * pf->shape.aux_width);
		rc = put_batch(&w, &pf->aux_open);
	}
	if (rc != 0)
		goto fail;
	put_gl(&w, pf->comp_rows, (size_t)pf->n_positions * ZK_EXT_DEGREE *
		       pf->shape.n_chunks);
	rc = put_batch(&w, &pf->comp_open);
	if (rc != 0)
		goto fail;
	if (w.pos != w.cap) {
		rc = ZK_STARK_EINVAL;
		goto fail;
	}
	*out = w.p;
	*out_len = w.pos;
	return 0;
fail:
	free(w.p);
	return rc < 0 ? rc : ZK_STARK_EINVAL;
}

/* ---- decoding ---- */

struct zk_rbuf {
	const uint8_t *p;
	size_t pos, len;
	char *err;
	size_t errlen;
};

static int fail_fmt(struct zk_rbuf *r, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_fmt(struct zk_rbuf *r, int status, const char *fmt, ...)
{
	va_list ap;

	if (r->err != NULL && r->errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(r->err, r->errlen, fmt, ap);
		va_end(ap);
	}
	return status;
}

static size_t left(const struct zk_rbuf *r)
{
	return r->len - r->pos;
}

static int get_le(struct zk_rbuf *r, size_t n, uint64_t *v, const char *what)
{
	uint64_t x = 0;

	if (left(r) < n)
		return fail_fmt(r, ZK_STARK_EFORMAT, "truncated at %s (offset %zu)",
				what, r->pos);
	for (size_t i = 0; i < n; i++)
		x |= (uint64_t)r->p[r->pos + i] << (8 * i);
	r->pos += n;
	*v = x;
	return 0;
}

static int get_gl(struct zk_rbuf *r, zk_gl *v, size_t n, const char *what)
{
	int rc;

	if (left(r) / sizeof(zk_gl) < n)
		return fail_fmt(r, ZK_STARK_EFORMAT, "truncated at %s (offset %zu)",
				what, r->pos);
	for (size_t i = 0; i < n; i++) {
		rc = get_le(r, 8, &v[i], what);
		if (rc != 0)
			return rc;
		if (!zk_gl_is_canonical(v[i]))
			return fail_fmt(r, ZK_STARK_EFORMAT,
					"non-canonical field element in %s (offset %zu)",
					what, r->pos - 8);
	}
	return 0;
}

static int get_digest(struct zk_rbuf *r, enum zk_hash_id hash,
		      struct zk_digest *d, const char *what)
{
	zk_gl e[4];

	if (left(r) < ZK_DIGEST_BYTES)
		return fail_fmt(r, ZK_STARK_EFORMAT, "truncated at %s", what);
	memcpy(d->bytes, r->p + r->pos, ZK_DIGEST_BYTES);
	r->pos += ZK_DIGEST_BYTES;
	if (zk_hash_is_algebraic(hash) && zk_digest_to_gl(d, e) != 0)
		return fail_fmt(r, ZK_STARK_EFORMAT, "non-canonical digest in %s",
				what);
	return 0;
}

/* Rows are allocated only after the bytes for them are known present. */
static int get_rows(struct zk_rbuf *r, zk_gl **rows, size_t count,
		    const char *what)
{
	if (left(r) / sizeof(zk_gl) < count)
		return fail_fmt(r, ZK_STARK_EFORMAT, "truncated at %s", what);
	*rows = calloc(count + 1, sizeof(zk_gl));
	if (*rows == NULL)
		return ZK_STARK_ENOMEM;
	return get_gl(r, *rows, count, what);
}

static int get_batch(struct zk_rbuf *r, unsigned depth, size_t positions,
		     struct zk_merkle_batch *b, const char *what)
{
	size_t consumed = 0;
	int rc;

	rc = zk_merkle_batch_deserialize(r->p + r->pos, left(r),
					 positions * depth, b, &consumed);
	if (rc == ZK_MERKLE_ENOMEM)
		return ZK_STARK_ENOMEM;
	if (rc != 0)
		return fail_fmt(r, ZK_STARK_EFORMAT, "bad Merkle batch for %s: %s",
				what, zk_merkle_strerror(rc));
	if (b->depth != depth)
		return fail_fmt(r, ZK_STARK_EFORMAT,
				"%s batch has depth %u, expected %u", what,
				b->depth, depth);
	r->pos += consumed;
	return 0;
}

static int decode_shape(struct zk_rbuf *r, const struct zk_stark_params *p,
			const struct zk_stark_proof_shape *shape,
			struct zk_stark_proof *pf)
{
	uint64_t v[5] = { 0, 0, 0, 0, 0 };
	int rc;

	for (int i = 0; i < 5; i++) {
		rc = get_le(r, 4, &v[i], "shape");
		if (rc != 0)
			return rc;
	}
	if (v[0] < 1 || v[0] > ZK_AIR_MAX_WIDTH || v[1] > ZK_AIR_MAX_WIDTH)
		return fail_fmt(r, ZK_STARK_EFORMAT,
				"trace widths %" PRIu64 "/%" PRIu64 " out of range",
				v[0], v[1]);
	if (v[2] < 1 || v[2] > (1u << p->log_blowup))
		return fail_fmt(r, ZK_STARK_EFORMAT,
				"%" PRIu64 " composition chunks (set allows 1..%u)",
				v[2], 1u << p->log_blowup);
	if (v[3] > v[0] || v[4] > v[1])
		return fail_fmt(r, ZK_STARK_EFORMAT,
				"next-row counts %" PRIu64 "/%" PRIu64
				" exceed the widths", v[3], v[4]);
	pf->shape.main_width = (uint32_t)v[0];
	pf->shape.aux_width = (uint32_t)v[1];
	pf->shape.n_chunks = (uint32_t)v[2];
	pf->shape.main_next = (uint32_t)v[3];
	pf->shape.aux_next = (uint32_t)v[4];
	/* a next-row value for a column the AIR does not list is refused
	 * here: the counts are part of the shape */
	if (shape != NULL &&
	    (shape->main_width != pf->shape.main_width ||
	     shape->aux_width != pf->shape.aux_width ||
	     shape->n_chunks != pf->shape.n_chunks ||
	     shape->main_next != pf->shape.main_next ||
	     shape->aux_next != pf->shape.aux_next))
		return fail_fmt(r, ZK_STARK_EPARAMS,
				"proof shape %u/%u/%u (next rows %u/%u) differs "
				"from the AIR's %u/%u/%u (%u/%u)",
				pf->shape.main_width, pf->shape.aux_width,
				pf->shape.n_chunks, pf->shape.main_next,
				pf->shape.aux_next, shape->main_width,
				shape->aux_width, shape->n_chunks,
				shape->main_next, shape->aux_next);
	return 0;
}

static int decode_body(struct zk_rbuf *r, const struct zk_stark_params *p,
		       struct zk_stark_proof *pf)
{
	struct zk_stark_ood_layout l;
	struct zk_fri_config cfg;
	unsigned depth = pf->log_n + p->log_blowup;
	size_t consumed = 0;
	uint64_t v = 0;
	size_t np;
	int rc;

	rc = get_digest(r, p->hash, &pf->main_root, "main root");
	if (rc == 0 && pf->shape.aux_width)
		rc = get_digest(r, p->hash, &pf->aux_root, "aux root");
	if (rc == 0)
		rc = get_digest(r, p->hash, &pf->comp_root, "composition root");
	if (rc != 0)
		return rc;

	zk_stark_ood_layout(&pf->shape, &l);
	if (left(r) / ZK_EXT_BYTES < l.total)
		return fail_fmt(r, ZK_STARK_EFORMAT, "truncated at OOD values");
	pf->ood = calloc(l.total, sizeof(zk_ext));
	if (pf->ood == NULL)
		return ZK_STARK_ENOMEM;
	for (size_t i = 0; i < l.total; i++) {
		zk_gl e[ZK_EXT_DEGREE] = { 0 };

		rc = get_gl(r, e, ZK_EXT_DEGREE, "OOD values");
		if (rc != 0)
			return rc;
		pf->ood[i] = zk_ext_gather(e, 1);
	}

	zk_stark_fri_config(p, pf->log_n, 1, &cfg);
	rc = zk_fri_proof_decode(&cfg, p->n_queries, r->p + r->pos, left(r),
				 &consumed, &pf->fri);
	if (rc == ZK_STARK_ENOMEM)
		return rc;
	if (rc != 0 || consumed > left(r))
		return fail_fmt(r, ZK_STARK_EFORMAT, "bad FRI proof (status %d)",
				rc);
	r->pos += consumed;

	rc = get_le(r, 8, &pf->pow_nonce, "nonce");
	if (rc == 0)
		rc = get_le(r, 4, &v, "position count");
	if (rc != 0)
		return rc;
	if (v < 1 || v > p->n_queries)
		return fail_fmt(r, ZK_STARK_EFORMAT,
				"%" PRIu64 " query positions (set allows 1..%u)", v,
				p->n_queries);
	pf->n_positions = (uint32_t)v;
	np = pf->n_positions;

	rc = get_rows(r, &pf->main_rows, np * pf->shape.main_width, "main rows");
	if (rc == 0)
		rc = get_batch(r, depth, np, &pf->main_open, "main");
	if (rc == 0 && pf->shape.aux_width) {
		rc = get_rows(r, &pf->aux_rows, np * ZK_EXT_DEGREE * pf->shape.aux_width,
			      "aux rows");
		if (rc == 0)
			rc = get_batch(r, depth, np, &pf->aux_open, "aux");
	}
	if (rc == 0)
		rc = get_rows(r, &pf->comp_rows, np * ZK_EXT_DEGREE * pf->shape.n_chunks,
			      "composition rows");
	if (rc == 0)
		rc = get_batch(r, depth, np, &pf->comp_open, "composition");
	if (rc != 0)
		return rc;
	if (pf->aux_rows == NULL) {
		pf->aux_rows = calloc(1, sizeof(zk_gl));
		if (pf->aux_rows == NULL)
			return ZK_STARK_ENOMEM;
	}
	if (left(r) != 0)
		return fail_fmt(r, ZK_STARK_EFORMAT, "%zu trailing bytes", left(r));
	return 0;
}

int zk_stark_proof_decode(const uint8_t *buf, size_t len,
			  const struct zk_stark_params *expect,
			  const struct zk_stark_proof_shape *shape,
			  struct zk_stark_proof *pf, char *err, size_t errlen)
{
	struct zk_rbuf r = { .p = buf, .pos = 0, .len = len, .err = err,
			     .errlen = errlen };
	const struct zk_stark_params *p;
	uint64_t version = 0, id = 0, log_n = 0;
	int rc;

	zk_stark_proof_init(pf);
	if (buf == NULL)
		return fail_fmt(&r, ZK_STARK_EFORMAT, "no proof");
	if (len < ZK_PROOF_HEADER_BYTES || memcmp(buf, ZK_PROOF_MAGIC, 4) != 0)
		return fail_fmt(&r, ZK_STARK_EFORMAT, "not a zkclob STARK proof");
	r.pos = 4;
	rc = get_le(&r, 2, &version, "version");
	if (rc == 0)
		rc = get_le(&r, 1, &id, "params id");
	if (rc == 0)
		rc = get_le(&r, 1, &log_n, "log_n");
	if (rc != 0)
		return rc;
	if (version != ZK_PROOF_VERSION)
		return fail_fmt(&r, ZK_STARK_EFORMAT,
				"proof version %" PRIu64 ", this build reads %d",
				version, ZK_PROOF_VERSION);
	if (expect != NULL && id != expect->id)
		return fail_fmt(&r, ZK_STARK_EPARAMS,
				"proof made under parameter set %" PRIu64
				", expected %u (%s)", id, expect->id, expect->name);
	p = zk_stark_params_by_id((uint8_t)id);
	if (p == NULL)
		return fail_fmt(&r, ZK_STARK_EFORMAT,
				"unknown parameter set %" PRIu64, id);
	if (log_n < 3 || log_n > ZK_AIR_MAX_LOG_N ||
	    log_n + p->log_blowup > ZK_NTT_MAX_LOG_N)
		return fail_fmt(&r, ZK_STARK_EFORMAT, "log_n %" PRIu64
				" out of range", log_n);
	pf->params_id = (uint8_t)id;
	pf->log_n = (uint8_t)log_n;
	rc = decode_shape(&r, p, shape, pf);
	if (rc == 0)
		rc = decode_body(&r, p, pf);
	if (rc != 0) {
		zk_stark_proof_free(pf);
		if (rc == ZK_STARK_ENOMEM)
			fail_fmt(&r, rc, "out of memory decoding the proof");
	}
	return rc;
}

/* ---- inspect ---- */

void zk_stark_params_describe(const struct zk_stark_params *p, FILE *out)
{
	fprintf(out, "parameter set    %u (%s): blowup %u, folding %u, %u queries, "
		"%u grinding bits, final degree < %u, hash %s\n",
		p->id, p->name, 1u << p->log_blowup, 1u << p->log_folding,
		p->n_queries, p->grinding_bits, 1u << p->final_log_max,
		zk_hash_name(p->hash));
}

int zk_stark_proof_describe(const uint8_t *proof, size_t len, FILE *out)
{
	const struct zk_stark_params *p;
	struct zk_stark_proof_sizes s;
	struct zk_stark_proof pf;
	char err[160] = "";
	unsigned degree;
	int rc;

	if (proof != NULL && len >= 4 &&
	    memcmp(proof, ZK_MULTI_PROOF_MAGIC, 4) == 0)
		return zk_multi_proof_describe(proof, len, out);
	rc = zk_stark_proof_decode(proof, len, NULL, NULL, &pf, err, sizeof(err));
	if (rc != 0) {
		fprintf(out, "proof does not decode: %s\n", err);
		return rc;
	}
	p = zk_stark_params_by_id(pf.params_id);
	/* n_chunks = max(d - 1, 1): the largest degree this proof can carry */
	degree = pf.shape.n_chunks + 1;
	zk_stark_proof_sizes(&pf, &s);
	zk_stark_params_describe(p, out);
	fprintf(out, "field            Goldilocks p = 2^64 - 2^32 + 1; challenges, "
		"aux and FRI in F_p^3 = F_p[X]/(X^3 - %llu), %u-byte elements\n",
		(unsigned long long)ZK_EXT_NONRESIDUE, ZK_EXT_BYTES);
	fprintf(out, "trace            2^%u rows, main width %u, aux width %u (F_p^3), "
		"%u composition chunk(s) (constraint degree <= %u)\n",
		pf.log_n, pf.shape.main_width, pf.shape.aux_width,
		pf.shape.n_chunks, degree);
	fprintf(out, "next row         T(zω) opened for %u of %u main and %u of %u "
		"aux columns (those the constraints read there)\n",
		pf.shape.main_next, pf.shape.main_width, pf.shape.aux_next,
		pf.shape.aux_width);
	fprintf(out, "security         conjectured %.1f bits (queries + grinding "
		"%u, the F_p^3 field term and 128: the min), proven %.1f bits "
		"(both with %u grinding bits)\n",
		zk_stark_conjectured_bits(p, pf.log_n, degree),
		p->n_queries * p->log_blowup + p->grinding_bits,
		zk_stark_proven_bits(p, pf.log_n, degree), p->grinding_bits);
	fprintf(out, "queries          %u distinct positions, %u FRI layers\n",
		pf.n_positions, pf.fri.n_layers);
	fprintf(out, "size             %zu bytes\n", s.total);
	fprintf(out, "  header         %8zu\n", s.header);
	fprintf(out, "  commitments    %8zu\n", s.commitments);
	fprintf(out, "  OOD values     %8zu\n", s.ood);
	fprintf(out, "  trace openings %8zu\n", s.trace_openings);
	fprintf(out, "  comp openings  %8zu\n", s.comp_openings);
	fprintf(out, "  FRI layers     %8zu\n", s.fri_layers);
	fprintf(out, "  FRI final poly %8zu\n", s.fri_final);
	fprintf(out, "  nonce          %8zu\n", s.nonce);
	zk_stark_proof_free(&pf);
	return 0;
}

/* ---- shared protocol steps ---- */

void zk_stark_air_shape(const struct zk_air *air,
			struct zk_stark_proof_shape *shape)
{
	shape->main_width = air->main_width;
	shape->aux_width = air->aux_width;
	shape->n_chunks = air->max_degree > 2 ? air->max_degree - 1 : 1;
	shape->main_next = zk_air_next_count(air, ZK_SEG_MAIN);
	shape->aux_next = zk_air_next_count(air, ZK_SEG_AUX);
}

/* proof.c's checks all refuse with ZK_STARK_EINVAL */
#define invalid(err, errlen, ...)                                              \
	zk_stark_errf(err, errlen, ZK_STARK_EINVAL, __VA_ARGS__)

int zk_stark_errf(char *err, size_t errlen, int status, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return status;
}

int zk_stark_air_validate(const struct zk_air *air,
			  const struct zk_stark_params *p, unsigned log_n,
			  char *err, size_t errlen)
{
	if (air == NULL || p == NULL)
		return invalid(err, errlen, "no AIR or parameter set");
	if (air->name == NULL || air->eval_main == NULL ||
	    air->eval_main_ext == NULL || air->assertions == NULL)
		return invalid(err, errlen, "AIR lacks a name or a callback");
	if (air->pub == NULL && air->pub_len != 0)
		return invalid(err, errlen, "AIR public input missing");
	if (log_n < 3 || log_n > ZK_AIR_MAX_LOG_N ||
	    log_n + p->log_blowup > ZK_NTT_MAX_LOG_N)
		return invalid(err, errlen, "log_n %u out of range for set %s",
			       log_n, p->name);
	if (air->main_width < 1 || air->main_width > ZK_AIR_MAX_WIDTH ||
	    air->aux_width > ZK_AIR_MAX_WIDTH)
		return invalid(err, errlen, "AIR widths %u/%u out of range",
			       air->main_width, air->aux_width);
	if (air->aux_width > 0 &&
	    (air->eval_aux == NULL || air->build_aux == NULL))
		return invalid(err, errlen, "AIR has an aux segment but no "
			       "eval_aux/build_aux");
	if (zk_air_next_validate(air, err, errlen) != 0)
		return ZK_STARK_EINVAL;
	if (air->n_aux_rand > ZK_AIR_MAX_AUX_RAND ||
	    (air->aux_width == 0 && air->n_aux_rand != 0))
		return invalid(err, errlen, "AIR asks for %u aux challenges",
			       air->n_aux_rand);
	if (air->n_main_constraints > ZK_AIR_MAX_CONSTRAINTS ||
	    air->n_aux_constraints > ZK_AIR_MAX_CONSTRAINTS ||
	    (air->aux_width == 0 && air->n_aux_constraints != 0))
		return invalid(err, errlen, "AIR constraint counts out of range");
	if (air->max_degree < 1 || air->max_degree > zk_stark_params_max_degree(p))
		return invalid(err, errlen, "AIR degree %u exceeds the %u that "
			       "set %s supports", air->max_degree,
			       zk_stark_params_max_degree(p), p->name);
	if (air->n_periodic > ZK_AIR_MAX_PERIODIC ||
	    (air->n_periodic > 0 && air->periodic == NULL))
		return invalid(err, errlen, "AIR periodic columns out of range");
	for (uint32_t j = 0; j < air->n_periodic; j++) {
		const struct zk_periodic_col *pc = &air->periodic[j];

		if (pc->log_period > log_n || pc->values == NULL)
			return invalid(err, errlen, "periodic column %u: bad period",
				       j);
		for (uint64_t i = 0; i < (1ull << pc->log_period); i++)
			if (!zk_gl_is_canonical(pc->values[i]))
				return invalid(err, errlen, "periodic column %u: "
					       "non-canonical value", j);
	}
	return 0;
}

int zk_stark_transcript_start(struct zk_transcript *t,
			      const struct zk_stark_params *p,
			      const struct zk_air *air, unsigned log_n)
{
	struct zk_stark_proof_shape shape;

	if (zk_transcript_init(t, p->hash, ZK_STARK_DOMAIN_LABEL) != 0)
		return ZK_STARK_EINVAL;
	zk_stark_air_shape(air, &shape);
	zk_transcript_absorb_u64(t, p->id);
	zk_transcript_absorb_bytes(t, air->name, strlen(air->name));
	zk_transcript_absorb_u64(t, air->version);
	zk_transcript_absorb_u64(t, log_n);
	zk_transcript_absorb_u64(t, shape.main_width);
	zk_transcript_absorb_u64(t, shape.aux_width);
	zk_transcript_absorb_u64(t, shape.n_chunks);
	zk_air_next_absorb(t, air);
	zk_transcript_absorb_u64(t, air->n_aux_rand);
	zk_transcript_absorb_u64(t, air->n_main_constraints);
	zk_transcript_absorb_u64(t, air->n_aux_constraints);
	zk_transcript_absorb_bytes(t, air->pub, air->pub_len);
	return 0;
}

long zk_stark_air_assertions(const struct zk_air *air, unsigned log_n,
			     const zk_ext *rand, struct zk_assertion *out,
			     char *err, size_t errlen)
{
	size_t count = air->assertions(air->ctx, log_n, rand, out);

	if (count > ZK_AIR_MAX_ASSERTIONS) {
		invalid(err, errlen, "AIR returned %zu assertions", count);
		return -1;
	}
	for (size_t j = 0; j < count; j++) {
		const struct zk_assertion *a = &out[j];
		uint32_t width = a->segment == ZK_SEG_MAIN ? air->main_width :
				 a->segment == ZK_SEG_AUX ? air->aux_width : 0;

		if (a->column >= width || a->row >= (1ull << log_n) ||
		    !zk_ext_is_canonical(a->value) ||
		    (a->segment == ZK_SEG_AUX && rand == NULL)) {
			invalid(err, errlen, "assertion %zu: bad segment, column, "
				"row or value", j);
			return -1;
		}
	}
	return (long)count;
}

zk_ext zk_stark_draw_ood_point(struct zk_transcript *t)
{
	zk_ext z;

	/* a failed hash latches draws to 0: stop, the caller checks status */
	do
		z = zk_transcript_draw_ext(t);
	while (zk_ext_is_base(z) && zk_transcript_status(t) == 0);
	return z;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

size_t zk_stark_draw_positions(struct zk_transcript *t,
			       const struct zk_stark_params *p,
			       unsigned log_domain, uint64_t *positions)
{
	size_t count = 0;

	for (unsigned q = 0; q < p->n_queries; q++)
		positions[q] = zk_transcript_draw_index(t, log_domain);
	qsort(positions, p->n_queries, sizeof(uint64_t), cmp_u64);
	for (unsigned q = 0; q < p->n_queries; q++)
		if (count == 0 || positions[count - 1] != positions[q])
			positions[count++] = positions[q];
	return count;
}

int zk_stark_periodic_coeffs(const struct zk_periodic_col *pc, zk_gl *coeffs)
{
	size_t period = (size_t)1 << pc->log_period;
	zk_gl *cols[1] = { coeffs };

	memcpy(coeffs, pc->values, period * sizeof(zk_gl));
	if (pc->log_period == 0)
		return 0;
	/* values are natural-order evaluations on H_period; iNTT wants them
	 * bit-reversed */
	zk_ntt_bitrev_permute(coeffs, pc->log_period);
	return zk_ntt_inverse(cols, 1, pc->log_period, 1) == 0 ? 0 :
	       ZK_STARK_ENOMEM;
}

bool zk_stark_ext_batch_inv(zk_ext *out, const zk_ext *in, size_t n)
{
	zk_ext acc = zk_ext_one(), inv;

	if (n == 0)
		return true;
	/* out[i] = in[0]·…·in[i-1] on the way up */
	for (size_t i = 0; i < n; i++) {
		out[i] = acc;
		acc = zk_ext_mul(acc, in[i]);
	}
	if (!zk_ext_inv(acc, &inv))
		return false;
	for (size_t i = n; i-- > 0;) {
		zk_ext prev = out[i];

		out[i] = zk_ext_mul(inv, prev);
		inv = zk_ext_mul(inv, in[i]);
	}
	return true;
}
