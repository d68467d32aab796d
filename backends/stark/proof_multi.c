/* SPDX-License-Identifier: MIT */
/*
 * Multi-table proof format and the protocol steps shared by
 * prover_multi.c and verifier_multi.c (proof_multi.h). A table's part is
 * the single-table proof's body without FRI and nonce (proof.h), under
 * the same hostile-input rules; the one FRI proof is fri.h's encoding on
 * the mixed-height schedule (fri_multi.c).
 */
#include <stdlib.h>
#include <string.h>

#include "air_next.h"
#include "fri_internal.h"
#include "ntt.h"
#include "proof_multi.h"

#define HEADER_BYTES 12 /* magic, version, id, n_tables, n_sums */

int zk_stark_multi_check_statement(const struct zk_multi_statement *s,
				   char *err, size_t errlen)
{
	if (s == NULL || s->tables == NULL || s->n_tables < 1 ||
	    s->n_tables > ZK_MULTI_MAX_TABLES)
		return zk_stark_errf(err, errlen, ZK_STARK_EINVAL,
				     "a multi-table statement needs 1..%d tables",
				     ZK_MULTI_MAX_TABLES);
	if (s->n_buses > ZK_MULTI_MAX_BUSES ||
	    (s->n_buses > 0 && s->bus_sums == NULL))
		return zk_stark_errf(err, errlen, ZK_STARK_EINVAL,
				     "%u buses (at most %d, each with a sum)", s->n_buses,
				     ZK_MULTI_MAX_BUSES);
	for (uint32_t b = 0; b < s->n_buses; b++)
		if (!zk_ext_is_canonical(s->bus_sums[b]))
			return zk_stark_errf(err, errlen, ZK_STARK_EINVAL,
					     "bus %u: sum not canonical", b);
	for (uint32_t i = 0; i < s->n_tables; i++) {
		const struct zk_table *tb = &s->tables[i];

		if (tb->air == NULL)
			return zk_stark_errf(err, errlen, ZK_STARK_EINVAL,
					     "table %u has no AIR", i);
		if (tb->n_ports > ZK_MULTI_MAX_PORTS ||
		    (tb->n_ports > 0 && tb->ports == NULL))
			return zk_stark_errf(err, errlen, ZK_STARK_EINVAL,
					     "table %u: %u ports (at most %d)", i,
					     tb->n_ports, ZK_MULTI_MAX_PORTS);
		for (uint32_t k = 0; k < tb->n_ports; k++) {
			const struct zk_bus_port *pt = &tb->ports[k];

			if (pt->bus >= s->n_buses ||
			    pt->aux_column >= tb->air->aux_width)
				return zk_stark_errf(err, errlen, ZK_STARK_EINVAL,
						     "table %u port %u: bus %u / aux "
						     "column %u out of range", i, k,
						     pt->bus, pt->aux_column);
			/* one column is one sum: two ports on it would
			 * force two buses to share a partial sum */
			for (uint32_t j = 0; j < k; j++)
				if (tb->ports[j].aux_column == pt->aux_column)
					return zk_stark_errf(err, errlen, ZK_STARK_EINVAL,
							     "table %u: aux column %u "
							     "on two ports", i,
							     pt->aux_column);
		}
	}
	return 0;
}

size_t zk_multi_port_count(const struct zk_multi_statement *s)
{
	size_t count = 0;

	for (uint32_t i = 0; i < s->n_tables; i++)
		count += s->tables[i].n_ports;
	return count;
}

uint32_t zk_multi_aux_rand(const struct zk_multi_statement *s)
{
	uint32_t most = 0;

	for (uint32_t i = 0; i < s->n_tables; i++)
		if (s->tables[i].air->aux_width > 0 &&
		    s->tables[i].air->n_aux_rand > most)
			most = s->tables[i].air->n_aux_rand;
	return most;
}

int zk_multi_transcript_start(struct zk_transcript *t,
			      const struct zk_stark_params *p,
			      const struct zk_multi_statement *s,
			      const unsigned *log_n)
{
	if (zk_transcript_init(t, p->hash, ZK_MULTI_DOMAIN_LABEL) != 0)
		return ZK_STARK_EINVAL;
	zk_transcript_absorb_u64(t, p->id);
	zk_transcript_absorb_u64(t, s->n_tables);
	zk_transcript_absorb_u64(t, s->n_buses);
	zk_transcript_absorb_ext(t, s->bus_sums, s->n_buses);
	for (uint32_t i = 0; i < s->n_tables; i++) {
		const struct zk_table *tb = &s->tables[i];
		const struct zk_air *air = tb->air;
		struct zk_stark_proof_shape shape;

		zk_stark_air_shape(air, &shape);
		zk_transcript_absorb_bytes(t, air->name, strlen(air->name));
		zk_transcript_absorb_u64(t, air->version);
		zk_transcript_absorb_u64(t, log_n[i]);
		zk_transcript_absorb_u64(t, shape.main_width);
		zk_transcript_absorb_u64(t, shape.aux_width);
		zk_transcript_absorb_u64(t, shape.n_chunks);
		zk_air_next_absorb(t, air);
		zk_transcript_absorb_u64(t, air->n_aux_rand);
		zk_transcript_absorb_u64(t, air->n_main_constraints);
		zk_transcript_absorb_u64(t, air->n_aux_constraints);
		zk_transcript_absorb_bytes(t, air->pub, air->pub_len);
		zk_transcript_absorb_u64(t, tb->n_ports);
		for (uint32_t k = 0; k < tb->n_ports; k++) {
			zk_transcript_absorb_u64(t, tb->ports[k].bus);
			zk_transcript_absorb_u64(t, tb->ports[k].aux_column);
		}
	}
	return 0;
}

long zk_multi_assertions(const struct zk_table *tb, unsigned log_n,
			 const zk_ext *rand, const zk_ext *sums,
			 struct zk_assertion *out, char *err, size_t errlen)
{
	long count = zk_stark_air_assertions(tb->air, log_n, rand, out, err,
					     errlen);

	if (count < 0)
		return count;
	for (uint32_t k = 0; k < tb->n_ports; k++)
		out[count++] = (struct zk_assertion){
			ZK_SEG_AUX, tb->ports[k].aux_column,
			((uint64_t)1 << log_n) - 1, sums[k] };
	return count;
}

size_t zk_multi_table_positions(const uint64_t *top, size_t count,
				unsigned top_log_domain, unsigned log_domain,
				uint64_t *out)
{
	return zk_fri_distinct_sorted(top, count, top_log_domain - log_domain,
				      out);
}

/* ---- the proof ---- */

void zk_multi_proof_init(struct zk_multi_proof *mp)
{
	memset(mp, 0, sizeof(*mp));
	for (size_t i = 0; i < ZK_MULTI_MAX_TABLES; i++)
		zk_stark_proof_init(&mp->tables[i]);
}

void zk_multi_proof_free(struct zk_multi_proof *mp)
{
	for (size_t i = 0; i < ZK_MULTI_MAX_TABLES; i++)
		zk_stark_proof_free(&mp->tables[i]);
	zk_fri_proof_free(&mp->fri);
	zk_multi_proof_init(mp);
}

/* ---- encoding: writes are sized first, so none can overflow ---- */

struct writer {
	uint8_t *p;
	size_t pos, cap;
};

static void put_le(struct writer *w, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		w->p[w->pos++] = (uint8_t)(v >> (8 * i));
}

static void put_gl(struct writer *w, const zk_gl *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_le(w, v[i], 8);
}

static void put_ext(struct writer *w, const zk_ext *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_gl(w, v[i].c, ZK_EXT_DEGREE);
}

static void put_digest(struct writer *w, const struct zk_digest *d)
{
	memcpy(w->p + w->pos, d->bytes, ZK_DIGEST_BYTES);
	w->pos += ZK_DIGEST_BYTES;
}

static int put_batch(struct writer *w, const struct zk_merkle_batch *b)
{
	size_t used;

	if (zk_merkle_batch_serialize(b, w->p + w->pos, w->cap - w->pos,
				      &used) != 0)
		return ZK_STARK_EINVAL;
	w->pos += used;
	return 0;
}

/* Columns of the three opened segments: main, aux (base), composition. */
static void part_widths(const struct zk_stark_proof_shape *s, size_t *w)
{
	w[0] = s->main_width;
	w[1] = ZK_EXT_DEGREE * (size_t)s->aux_width;
	w[2] = ZK_EXT_DEGREE * (size_t)s->n_chunks;
}

static size_t part_size(const struct zk_stark_proof *pf)
{
	struct zk_stark_ood_layout l;
	size_t w[3], np = pf->n_positions;

	zk_stark_ood_layout(&pf->shape, &l);
	part_widths(&pf->shape, w);
	return 1 + 12 + ZK_DIGEST_BYTES * (pf->shape.aux_width ? 3 : 2) +
	       l.total * ZK_EXT_DEGREE * 8 + 4 +
	       np * (w[0] + w[1] + w[2]) * 8 +
	       zk_merkle_batch_wire_size(&pf->main_open) +
	       (pf->shape.aux_width ? zk_merkle_batch_wire_size(&pf->aux_open) : 0) +
	       zk_merkle_batch_wire_size(&pf->comp_open);
}

static int put_part(struct writer *w, const struct zk_stark_proof *pf)
{
	struct zk_stark_ood_layout l;
	size_t cols[3], np = pf->n_positions;
	int rc;

	zk_stark_ood_layout(&pf->shape, &l);
	part_widths(&pf->shape, cols);
	put_le(w, pf->log_n, 1);
	put_le(w, pf->shape.main_width, 4);
	put_le(w, pf->shape.aux_width, 4);
	put_le(w, pf->shape.n_chunks, 4);
	put_digest(w, &pf->main_root);
	if (pf->shape.aux_width)
		put_digest(w, &pf->aux_root);
	put_digest(w, &pf->comp_root);
	put_ext(w, pf->ood, l.total);
	put_le(w, np, 4);
	put_gl(w, pf->main_rows, np * cols[0]);
	rc = put_batch(w, &pf->main_open);
	if (rc == 0 && pf->shape.aux_width) {
		put_gl(w, pf->aux_rows, np * cols[1]);
		rc = put_batch(w, &pf->aux_open);
	}
	if (rc == 0) {
		put_gl(w, pf->comp_rows, np * cols[2]);
		rc = put_batch(w, &pf->comp_open);
	}
	return rc;
}

int zk_multi_proof_encode(const struct zk_multi_proof *mp, uint8_t **out,
			  size_t *out_len)
{
	struct writer w = { 0 };
	size_t fri_used;
	int rc = 0;

	*out = NULL;
	*out_len = 0;
	if (mp->n_tables < 1 || mp->n_tables > ZK_MULTI_MAX_TABLES ||
	    mp->n_sums > ZK_MULTI_MAX_SUMS)
		return ZK_STARK_EINVAL;
	w.cap = HEADER_BYTES + (size_t)mp->n_sums * ZK_EXT_DEGREE * 8 + 8 +
		zk_fri_proof_encoded_size(&mp->fri);
	for (uint32_t i = 0; i < mp->n_tables; i++)
		w.cap += part_size(&mp->tables[i]);
	w.p = malloc(w.cap);
	if (w.p == NULL)
		return ZK_STARK_ENOMEM;
	memcpy(w.p, ZK_MULTI_PROOF_MAGIC, 4);
	w.pos = 4;
	put_le(&w, ZK_MULTI_PROOF_VERSION, 2);
	put_le(&w, mp->params_id, 1);
	put_le(&w, mp->n_tables, 1);
	put_le(&w, mp->n_sums, 4);
	put_ext(&w, mp->sums, mp->n_sums);
	for (uint32_t i = 0; i < mp->n_tables && rc == 0; i++)
		rc = put_part(&w, &mp->tables[i]);
	if (rc == 0) {
		put_le(&w, mp->pow_nonce, 8);
		rc = zk_fri_proof_encode(&mp->fri, w.p + w.pos, w.cap - w.pos,
					 &fri_used);
	}
	if (rc == 0 && w.pos + fri_used != w.cap)
		rc = ZK_STARK_EINVAL;
	if (rc != 0) {
		free(w.p);
		return rc;
	}
	*out = w.p;
	*out_len = w.cap;
	return 0;
}

/* ---- decoding: every length checked against the bytes left first ---- */

struct reader {
	const uint8_t *p;
	size_t pos, len;
	char *err;
	size_t errlen;
};

static size_t left(const struct reader *r)
{
	return r->len - r->pos;
}

static int truncated(struct reader *r, const char *what)
{
	return zk_stark_errf(r->err, r->errlen, ZK_STARK_EFORMAT, "truncated at %s",
			     what);
}

static int get_le(struct reader *r, size_t n, uint64_t *v, const char *what)
{
	if (left(r) < n)
		return truncated(r, what);
	*v = 0;
	for (size_t i = 0; i < n; i++)
		*v |= (uint64_t)r->p[r->pos++] << (8 * i);
	return 0;
}

static int get_gl(struct reader *r, zk_gl *out, size_t n, const char *what)
{
	if (left(r) / 8 < n)
		return truncated(r, what);
	for (size_t i = 0; i < n; i++) {
		uint64_t v = 0;

		get_le(r, 8, &v, what);
		if (!zk_gl_is_canonical(v))
			return zk_stark_errf(r->err, r->errlen, ZK_STARK_EFORMAT,
					     "non-canonical element in %s", what);
		out[i] = v;
	}
	return 0;
}

static int get_ext(struct reader *r, zk_ext *out, size_t n, const char *what)
{
	int rc = 0;

	if (left(r) / (ZK_EXT_DEGREE * 8) < n)
		return truncated(r, what);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = get_gl(r, out[i].c, ZK_EXT_DEGREE, what);
	return rc;
}

static int get_digest(struct reader *r, enum zk_hash_id hash,
		      struct zk_digest *d, const char *what)
{
	zk_gl e[4];

	if (left(r) < ZK_DIGEST_BYTES)
		return truncated(r, what);
	memcpy(d->bytes, r->p + r->pos, ZK_DIGEST_BYTES);
	r->pos += ZK_DIGEST_BYTES;
	if (zk_hash_is_algebraic(hash) && zk_digest_to_gl(d, e) != 0)
		return zk_stark_errf(r->err, r->errlen, ZK_STARK_EFORMAT,
				     "non-canonical digest in %s", what);
	return 0;
}

/* Rows are allocated only once the bytes for them are known present. */
static int get_rows(struct reader *r, zk_gl **rows, size_t count,
		    const char *what)
{
	if (left(r) / 8 < count)
		return truncated(r, what);
	*rows = calloc(count + 1, sizeof(zk_gl));
	if (*rows == NULL)
		return ZK_STARK_ENOMEM;
	return get_gl(r, *rows, count, what);
}

static int get_batch(struct reader *r, unsigned depth, size_t positions,
		     struct zk_merkle_batch *b, const char *what)
{
	size_t used = 0;
	int rc = zk_merkle_batch_deserialize(r->p + r->pos, left(r),
					     positions * depth, b, &used);

	if (rc == ZK_MERKLE_ENOMEM)
		return ZK_STARK_ENOMEM;
	if (rc != 0 || b->depth != depth)
		return zk_stark_errf(r->err, r->errlen, ZK_STARK_EFORMAT,
				     "bad Merkle batch for %s", what);
	r->pos += used;
	return 0;
}

/* A table's part: its height is the proof's (bounded), its shape the
 * AIR's, its counts the set's. */
static int get_part(struct reader *r, const struct zk_stark_params *p,
		    const struct zk_air *air, struct zk_stark_proof *pf)
{
	struct zk_stark_proof_shape shape;
	struct zk_stark_ood_layout l;
	uint64_t v[5] = { 0 };
	size_t cols[3], np;
	unsigned depth;
	int rc = 0;

	for (int i = 0; i < 4 && rc == 0; i++)
		rc = get_le(r, i == 0 ? 1 : 4, &v[i], "table header");
	if (rc != 0)
		return rc;
	zk_stark_air_shape(air, &shape);
	if (v[0] < 3 || v[0] > ZK_AIR_MAX_LOG_N ||
	    v[0] + p->log_blowup > ZK_NTT_MAX_LOG_N)
		return zk_stark_errf(r->err, r->errlen, ZK_STARK_EFORMAT,
				     "log_n %llu out of range", (unsigned long long)v[0]);
	if (v[1] != shape.main_width || v[2] != shape.aux_width ||
	    v[3] != shape.n_chunks)
		return zk_stark_errf(r->err, r->errlen, ZK_STARK_EPARAMS,
				     "a table's shape differs from its AIR's");
	pf->params_id = p->id;
	pf->log_n = (uint8_t)v[0];
	pf->shape = shape;
	depth = pf->log_n + p->log_blowup;
	rc = get_digest(r, p->hash, &pf->main_root, "main root");
	if (rc == 0 && shape.aux_width)
		rc = get_digest(r, p->hash, &pf->aux_root, "aux root");
	if (rc == 0)
		rc = get_digest(r, p->hash, &pf->comp_root, "composition root");
	zk_stark_ood_layout(&shape, &l);
	if (rc == 0 && left(r) / (ZK_EXT_DEGREE * 8) < l.total)
		rc = truncated(r, "OOD values");
	if (rc == 0 && (pf->ood = calloc(l.total, sizeof(zk_ext))) == NULL)
		rc = ZK_STARK_ENOMEM;
	if (rc == 0)
		rc = get_ext(r, pf->ood, l.total, "OOD values");
	if (rc == 0)
		rc = get_le(r, 4, &v[4], "position count");
	if (rc != 0)
		return rc;
	if (v[4] < 1 || v[4] > p->n_queries)
		return zk_stark_errf(r->err, r->errlen, ZK_STARK_EFORMAT,
				     "%llu query positions", (unsigned long long)v[4]);
	pf->n_positions = (uint32_t)v[4];
	np = pf->n_positions;
	part_widths(&shape, cols);
	rc = get_rows(r, &pf->main_rows, np * cols[0], "main rows");
	if (rc == 0)
		rc = get_batch(r, depth, np, &pf->main_open, "main");
	if (rc == 0 && shape.aux_width)
		rc = get_rows(r, &pf->aux_rows, np * cols[1], "aux rows");
	if (rc == 0 && shape.aux_width)
		rc = get_batch(r, depth, np, &pf->aux_open, "aux");
	if (rc == 0)
		rc = get_rows(r, &pf->comp_rows, np * cols[2], "composition rows");
	if (rc == 0)
		rc = get_batch(r, depth, np, &pf->comp_open, "composition");
	if (rc == 0 && pf->aux_rows == NULL &&
	    (pf->aux_rows = calloc(1, sizeof(zk_gl))) == NULL)
		rc = ZK_STARK_ENOMEM;
	return rc;
}

static int get_fri(struct reader *r, const struct zk_stark_params *p,
		   struct zk_multi_proof *mp)
{
	unsigned log_n[ZK_MULTI_MAX_TABLES] = { 0 };
	struct zk_fri_schedule s;
	struct zk_fri_config cfg;
	size_t used = 0;
	int rc;

	for (uint32_t i = 0; i < mp->n_tables; i++)
		log_n[i] = mp->tables[i].log_n;
	if (zk_multi_fri_schedule(p, log_n, mp->n_tables, &cfg, &s) != 0)
		return zk_stark_errf(r->err, r->errlen, ZK_STARK_EFORMAT,
				     "no FRI schedule for these heights");
	rc = zk_fri_proof_decode_sched(&cfg, &s, p->n_queries, r->p + r->pos,
				       left(r), &used, &mp->fri);
	if (rc == ZK_STARK_ENOMEM)
		return rc;
	if (rc != 0)
		return zk_stark_errf(r->err, r->errlen, ZK_STARK_EFORMAT,
				     "bad FRI proof (status %d)", rc);
	r->pos += used;
	return 0;
}

static int decode(struct reader *r, const struct zk_stark_params *expect,
		  const struct zk_multi_statement *s, struct zk_multi_proof *mp)
{
	size_t n_sums = zk_multi_port_count(s);
	uint64_t v[4] = { 0 };
	int rc = 0;

	if (r->p == NULL || r->len < HEADER_BYTES ||
	    memcmp(r->p, ZK_MULTI_PROOF_MAGIC, 4) != 0)
		return zk_stark_errf(r->err, r->errlen, ZK_STARK_EFORMAT,
				     "not a zkclob multi-table STARK proof");
	r->pos = 4;
	get_le(r, 2, &v[0], "version");
	get_le(r, 1, &v[1], "params id");
	get_le(r, 1, &v[2], "table count");
	get_le(r, 4, &v[3], "sum count");
	if (v[0] != ZK_MULTI_PROOF_VERSION)
		return zk_stark_errf(r->err, r->errlen, ZK_STARK_EFORMAT,
				     "multi-table proof version %llu, this build reads "
				     "%d", (unsigned long long)v[0],
				     ZK_MULTI_PROOF_VERSION);
	if (v[1] != expect->id)
		return zk_stark_errf(r->err, r->errlen, ZK_STARK_EPARAMS,
				     "proof made under parameter set %llu, expected %u "
				     "(%s)", (unsigned long long)v[1], expect->id,
				     expect->name);
	if (v[2] != s->n_tables || v[3] != n_sums)
		return zk_stark_errf(r->err, r->errlen, ZK_STARK_EPARAMS,
				     "proof has %llu tables and %llu partial sums, the "
				     "statement %u and %zu", (unsigned long long)v[2],
				     (unsigned long long)v[3], s->n_tables, n_sums);
	mp->params_id = expect->id;
	mp->n_tables = s->n_tables;
	mp->n_sums = (uint32_t)n_sums;
	rc = get_ext(r, mp->sums, n_sums, "partial sums");
	for (uint32_t i = 0; i < s->n_tables && rc == 0; i++)
		rc = get_part(r, expect, s->tables[i].air, &mp->tables[i]);
	if (rc == 0)
		rc = get_le(r, 8, &mp->pow_nonce, "nonce");
	if (rc == 0)
		rc = get_fri(r, expect, mp);
	if (rc == 0 && left(r) != 0)
		rc = zk_stark_errf(r->err, r->errlen, ZK_STARK_EFORMAT,
				   "%zu trailing bytes", left(r));
	return rc;
}

int zk_multi_proof_decode(const uint8_t *buf, size_t len,
			  const struct zk_stark_params *expect,
			  const struct zk_multi_statement *s,
			  struct zk_multi_proof *mp, char *err, size_t errlen)
{
	struct reader r = { buf, 0, len, err, errlen };
	int rc;

	zk_multi_proof_init(mp);
	if (expect == NULL)
		return ZK_STARK_EINVAL;
	rc = decode(&r, expect, s, mp);
	if (rc != 0) {
		zk_multi_proof_free(mp);
		if (rc == ZK_STARK_ENOMEM)
			zk_stark_errf(err, errlen, rc, "out of memory decoding the proof");
	}
	return rc;
}

/* ---- inspect ---- */

/*
 * What a multi-table proof says about itself without its statement: the
 * header, the set, the sums and the first table's height and shape. The
 * tables' next-row counts come from their AIRs (the proof does not carry
 * them), so the first table's OOD section is where parsing must stop.
 */
int zk_multi_proof_describe(const uint8_t *buf, size_t len, FILE *out)
{
	char err[160] = "";
	struct reader r = { buf, 0, len, err, sizeof(err) };
	const struct zk_stark_params *p;
	uint64_t v[4] = { 0 }, t[4] = { 0 };
	int rc = 0;

	if (buf == NULL || len < HEADER_BYTES ||
	    memcmp(buf, ZK_MULTI_PROOF_MAGIC, 4) != 0) {
		fprintf(out, "proof does not decode: not a zkclob multi-table "
			"STARK proof\n");
		return ZK_STARK_EFORMAT;
	}
	r.pos = 4;
	get_le(&r, 2, &v[0], "version");
	get_le(&r, 1, &v[1], "params id");
	get_le(&r, 1, &v[2], "table count");
	get_le(&r, 4, &v[3], "sum count");
	p = zk_stark_params_by_id(v[1]);
	if (v[0] != ZK_MULTI_PROOF_VERSION)
		rc = zk_stark_errf(err, sizeof(err), ZK_STARK_EFORMAT,
				   "multi-table proof version %llu, this build "
				   "reads %d", (unsigned long long)v[0],
				   ZK_MULTI_PROOF_VERSION);
	else if (p == NULL)
		rc = zk_stark_errf(err, sizeof(err), ZK_STARK_EFORMAT,
				   "unknown parameter set %llu",
				   (unsigned long long)v[1]);
	else if (v[2] < 1 || v[2] > ZK_MULTI_MAX_TABLES ||
		 v[3] > ZK_MULTI_MAX_SUMS)
		rc = zk_stark_errf(err, sizeof(err), ZK_STARK_EFORMAT,
				   "%llu tables and %llu partial sums (at most "
				   "%d and %d)", (unsigned long long)v[2],
				   (unsigned long long)v[3], ZK_MULTI_MAX_TABLES,
				   ZK_MULTI_MAX_SUMS);
	else if (left(&r) / (ZK_EXT_DEGREE * 8) < v[3])
		rc = truncated(&r, "partial sums");
	if (rc == 0) {
		r.pos += (size_t)v[3] * ZK_EXT_DEGREE * 8;
		for (int i = 0; i < 4 && rc == 0; i++)
			rc = get_le(&r, i == 0 ? 1 : 4, &t[i], "table header");
	}
	if (rc == 0 && (t[0] < 3 || t[0] > ZK_AIR_MAX_LOG_N))
		rc = zk_stark_errf(err, sizeof(err), ZK_STARK_EFORMAT,
				   "log_n %llu out of range",
				   (unsigned long long)t[0]);
	if (rc != 0) {
		fprintf(out, "proof does not decode: %s\n", err);
		return rc;
	}
	fprintf(out, "format           multi-table STARK proof (ZKSM v%d), "
		"%llu tables sharing one FRI, %llu bus partial sums\n",
		ZK_MULTI_PROOF_VERSION, (unsigned long long)v[2],
		(unsigned long long)v[3]);
	zk_stark_params_describe(p, out);
	fprintf(out, "security         queries + grinding %u bits; the "
		"conjectured and proven figures need the tables' heights and "
		"degrees: verify against the statement\n",
		p->n_queries * p->log_blowup + p->grinding_bits);
	fprintf(out, "table 0          2^%llu rows, main width %llu, aux width "
		"%llu (F_p^3), %llu composition chunk(s)\n",
		(unsigned long long)t[0], (unsigned long long)t[1],
		(unsigned long long)t[2], (unsigned long long)t[3]);
	fprintf(out, "size             %zu bytes (by part: needs the tables' "
		"AIRs, which give their next-row counts)\n", len);
	return 0;
}
