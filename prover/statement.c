/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "zkclob/statement.h"

static void
put_be32(uint8_t *p, uint32_t v)
{
	for (int i = 3; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static void
put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint32_t
get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t
get_be64(const uint8_t *p)
{
	return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

void
zk_statement_encode(const struct zk_statement *st,
		    uint8_t out[ZK_STATEMENT_WIRE_SIZE])
{
	put_be32(out + 0, st->market);
	put_be32(out + 4, st->params_id);
	put_be64(out + 8, st->batch_seq);
	put_be64(out + 16, st->first_seq);
	put_be64(out + 24, st->last_seq);
	memcpy(out + 32, st->old_root, ZK_ROOT_SIZE);
	memcpy(out + 64, st->ops_digest, ZK_ROOT_SIZE);
	memcpy(out + 96, st->events_digest, ZK_ROOT_SIZE);
	memcpy(out + 128, st->new_root, ZK_ROOT_SIZE);
}

void
zk_statement_decode(const uint8_t in[ZK_STATEMENT_WIRE_SIZE],
		    struct zk_statement *st)
{
	st->market = get_be32(in + 0);
	st->params_id = get_be32(in + 4);
	st->batch_seq = get_be64(in + 8);
	st->first_seq = get_be64(in + 16);
	st->last_seq = get_be64(in + 24);
	memcpy(st->old_root, in + 32, ZK_ROOT_SIZE);
	memcpy(st->ops_digest, in + 64, ZK_ROOT_SIZE);
	memcpy(st->events_digest, in + 96, ZK_ROOT_SIZE);
	memcpy(st->new_root, in + 128, ZK_ROOT_SIZE);
}

bool
zk_statement_is_well_formed(const struct zk_statement *st)
{
	return st->first_seq <= st->last_seq;
}
