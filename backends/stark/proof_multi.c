/* SPDX-License-Identifier: MIT */
/*
 * Multi-table proof format and the protocol steps shared by
 * prover_multi.c and verifier_multi.c (proof_multi.h). Each table's part
 * reuses the single-table encoder and hostile-input decoder (proof.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fri_internal.h"
#include "proof_multi.h"

#define HEADER_BYTES 12 /* magic, version, id, n_tables, n_sums */

static int say(char *err, size_t errlen, int status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int say(char *err, size_t errlen, int status, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return status;
}

int zk_stark_multi_check_statement(const struct zk_multi_statement *s,
				   char *err, size_t errlen)
{
	if (s == NULL || s->tables == NULL || s->n_tables < 1 ||
	    s->n_tables > ZK_MULTI_MAX_TABLES)
		return say(err, errlen, ZK_STARK_EINVAL,
			   "a multi-table statement needs 1..%d tables",
			   ZK_MULTI_MAX_TABLES);
	if (s->n_buses > ZK_MULTI_MAX_BUSES ||
	    (s->n_buses > 0 && s->bus_sums == NULL))
		return say(err, errlen, ZK_STARK_EINVAL,
			   "%u buses (at most %d, each with a sum)", s->n_buses,
			   ZK_MULTI_MAX_BUSES);
	for (uint32_t b = 0; b < s->n_buses; b++)
		if (!zk_ext_is_canonical(s->bus_sums[b]))
			return say(err, errlen, ZK_STARK_EINVAL,
				   "bus %u: sum not canonical", b);
	for (uint32_t i = 0; i < s->n_tables; i++) {
		const struct zk_table *tb = &s->tables[i];

		if (tb->air == NULL)
			return say(err, errlen, ZK_STARK_EINVAL,
				   "table %u has no AIR", i);
		if (tb->n_ports > ZK_MULTI_MAX_PORTS ||
		    (tb->n_ports > 0 && tb->ports == NULL))
			return say(err, errlen, ZK_STARK_EINVAL,
				   "table %u: %u ports (at most %d)", i,
				   tb->n_ports, ZK_MULTI_MAX_PORTS);
		for (uint32_t k = 0; k < tb->n_ports; k++) {
			const struct zk_bus_port *pt = &tb->ports[k];

			if (pt->bus >= s->n_buses ||
			    pt->aux_column >= tb->air->aux_width)
				return say(err, errlen, ZK_STARK_EINVAL,
					   "table %u port %u: bus %u / aux "
					   "column %u out of range", i, k,
					   pt->bus, pt->aux_column);
			/* one column is one sum: two ports on it would
			 * force two buses to share a partial sum */
			for (uint32_t j = 0; j < k; j++)
				if (tb->ports[j].aux_column == pt->aux_column)
					return say(err, errlen, ZK_STARK_EINVAL,
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
	zk_multi_proof_init(mp);
}

static void put_le(uint8_t *p, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

int zk_multi_proof_encode(const struct zk_multi_proof *mp, uint8_t **out,
			  size_t *out_len)
{
	uint8_t *parts[ZK_MULTI_MAX_TABLES] = { 0 };
	size_t lens[ZK_MULTI_MAX_TABLES] = { 0 };
	size_t total, pos;
	int rc = 0;

	*out = NULL;
	*out_len = 0;
	if (mp->n_tables < 1 || mp->n_tables > ZK_MULTI_MAX_TABLES ||
	    mp->n_sums > ZK_MULTI_MAX_SUMS)
		return ZK_STARK_EINVAL;
	total = HEADER_BYTES + (size_t)mp->n_sums * ZK_EXT_DEGREE * 8;
	for (uint32_t i = 0; i < mp->n_tables && rc == 0; i++) {
		rc = zk_stark_proof_encode(&mp->tables[i], &parts[i], &lens[i]);
		total += 4 + lens[i];
		if (rc == 0 && lens[i] > UINT32_MAX)
			rc = ZK_STARK_EINVAL;
	}
	if (rc == 0) {
		*out = malloc(total);
		if (*out == NULL)
			rc = ZK_STARK_ENOMEM;
	}
	if (rc == 0) {
		memcpy(*out, ZK_MULTI_PROOF_MAGIC, 4);
		put_le(*out + 4, ZK_MULTI_PROOF_VERSION, 2);
		(*out)[6] = mp->params_id;
		(*out)[7] = (uint8_t)mp->n_tables;
		put_le(*out + 8, mp->n_sums, 4);
		pos = HEADER_BYTES;
		for (uint32_t k = 0; k < mp->n_sums; k++)
			for (unsigned c = 0; c < ZK_EXT_DEGREE; c++, pos += 8)
				put_le(*out + pos, mp->sums[k].c[c], 8);
		for (uint32_t i = 0; i < mp->n_tables; i++) {
			put_le(*out + pos, lens[i], 4);
			memcpy(*out + pos + 4, parts[i], lens[i]);
			pos += 4 + lens[i];
		}
		*out_len = total;
	}
	for (uint32_t i = 0; i < ZK_MULTI_MAX_TABLES; i++)
		free(parts[i]);
	return rc;
}

static int decode_parts(const uint8_t *buf, size_t len, size_t pos,
			const struct zk_stark_params *expect,
			const struct zk_multi_statement *s,
			struct zk_multi_proof *mp, char *err, size_t errlen)
{
	for (uint32_t i = 0; i < s->n_tables; i++) {
		struct zk_stark_proof_shape shape;
		uint64_t part;
		int rc;

		if (len - pos < 4)
			return say(err, errlen, ZK_STARK_EFORMAT,
				   "table %u: truncated length", i);
		part = get_le(buf + pos, 4);
		pos += 4;
		if (part > len - pos)
			return say(err, errlen, ZK_STARK_EFORMAT,
				   "table %u: %llu bytes claimed, %zu left", i,
				   (unsigned long long)part, len - pos);
		zk_stark_air_shape(s->tables[i].air, &shape);
		rc = zk_stark_proof_decode(buf + pos, (size_t)part, expect,
					   &shape, &mp->tables[i], err, errlen);
		if (rc != 0)
			return rc;
		if (mp->tables[i].pow_nonce != mp->tables[0].pow_nonce)
			return say(err, errlen, ZK_STARK_EFORMAT,
				   "table %u: nonce differs from table 0's", i);
		pos += (size_t)part;
	}
	if (pos != len)
		return say(err, errlen, ZK_STARK_EFORMAT, "%zu trailing bytes",
			   len - pos);
	return 0;
}

int zk_multi_proof_decode(const uint8_t *buf, size_t len,
			  const struct zk_stark_params *expect,
			  const struct zk_multi_statement *s,
			  struct zk_multi_proof *mp, char *err, size_t errlen)
{
	size_t n_sums = zk_multi_port_count(s), pos = HEADER_BYTES;
	int rc;

	zk_multi_proof_init(mp);
	if (buf == NULL || len < HEADER_BYTES ||
	    memcmp(buf, ZK_MULTI_PROOF_MAGIC, 4) != 0)
		return say(err, errlen, ZK_STARK_EFORMAT,
			   "not a zkclob multi-table STARK proof");
	if (get_le(buf + 4, 2) != ZK_MULTI_PROOF_VERSION)
		return say(err, errlen, ZK_STARK_EFORMAT,
			   "multi-table proof version %u, this build reads %d",
			   (unsigned)get_le(buf + 4, 2), ZK_MULTI_PROOF_VERSION);
	if (expect != NULL && buf[6] != expect->id)
		return say(err, errlen, ZK_STARK_EPARAMS,
			   "proof made under parameter set %u, expected %u "
			   "(%s)", buf[6], expect->id, expect->name);
	if (buf[7] != s->n_tables || get_le(buf + 8, 4) != n_sums)
		return say(err, errlen, ZK_STARK_EPARAMS,
			   "proof has %u tables and %u partial sums, the "
			   "statement %u and %zu", buf[7],
			   (unsigned)get_le(buf + 8, 4), s->n_tables, n_sums);
	if ((len - HEADER_BYTES) / (ZK_EXT_DEGREE * 8) < n_sums)
		return say(err, errlen, ZK_STARK_EFORMAT,
			   "truncated partial sums");
	mp->params_id = buf[6];
	mp->n_tables = s->n_tables;
	mp->n_sums = (uint32_t)n_sums;
	for (size_t k = 0; k < n_sums; k++)
		for (unsigned c = 0; c < ZK_EXT_DEGREE; c++, pos += 8) {
			mp->sums[k].c[c] = get_le(buf + pos, 8);
			if (!zk_gl_is_canonical(mp->sums[k].c[c]))
				return say(err, errlen, ZK_STARK_EFORMAT,
					   "partial sum %zu not canonical", k);
		}
	rc = decode_parts(buf, len, pos, expect, s, mp, err, errlen);
	if (rc != 0)
		zk_multi_proof_free(mp);
	return rc;
}
