/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "zkclob/be.h"
#include "zkclob/statement.h"

void
zk_statement_encode(const struct zk_statement *st,
		    uint8_t out[ZK_STATEMENT_WIRE_SIZE])
{
	zk_put_be32(out + 0, st->market);
	zk_put_be32(out + 4, st->params_id);
	zk_put_be64(out + 8, st->batch_seq);
	zk_put_be64(out + 16, st->first_seq);
	zk_put_be64(out + 24, st->last_seq);
	memcpy(out + 32, st->old_root, ZK_ROOT_SIZE);
	memcpy(out + 64, st->ops_digest, ZK_ROOT_SIZE);
	memcpy(out + 96, st->events_digest, ZK_ROOT_SIZE);
	memcpy(out + 128, st->new_root, ZK_ROOT_SIZE);
}

void
zk_statement_decode(const uint8_t in[ZK_STATEMENT_WIRE_SIZE],
		    struct zk_statement *st)
{
	st->market = zk_be32(in + 0);
	st->params_id = zk_be32(in + 4);
	st->batch_seq = zk_be64(in + 8);
	st->first_seq = zk_be64(in + 16);
	st->last_seq = zk_be64(in + 24);
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
