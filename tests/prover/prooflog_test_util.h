/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the proof log tests: a deterministic chain of statements and
 * proofs (record i is a function of i only, so a crashed writer's output
 * can be checked by the parent), temp directories, file surgery.
 */
#ifndef ZKCLOB_TEST_PROOFLOG_UTIL_H
#define ZKCLOB_TEST_PROOFLOG_UTIL_H

#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "zkclob/prooflog.h"

#define OPS_PER_BATCH 10

static inline uint64_t
splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline void
root_of(uint64_t k, uint8_t out[ZK_ROOT_SIZE])
{
	uint64_t s = k * 7919 + 1;

	for (int i = 0; i < ZK_ROOT_SIZE; i += 8) {
		uint64_t v = splitmix(&s);

		memcpy(out + i, &v, 8);
	}
}

/* Batch i (1-based) proves ops 10(i-1)+1 .. 10i, root(i-1) -> root(i). */
static inline void
make_statement(uint64_t i, struct zk_statement *st)
{
	memset(st, 0, sizeof(*st));
	st->market = 7;
	st->params_id = 1;
	st->batch_seq = i;
	st->first_seq = OPS_PER_BATCH * (i - 1) + 1;
	st->last_seq = OPS_PER_BATCH * i;
	root_of(i - 1, st->old_root);
	root_of(i, st->new_root);
	memset(st->ops_digest, (int)(i & 0xff), ZK_ROOT_SIZE);
	memset(st->events_digest, (int)((i >> 8) & 0xff), ZK_ROOT_SIZE);
}

static inline size_t
make_proof(uint64_t i, size_t max_len, uint8_t *out)
{
	uint64_t s = i * 31 + 5;
	size_t len = max_len ? (size_t)(splitmix(&s) % (max_len + 1)) : 0;

	for (size_t k = 0; k < len; k++)
		out[k] = (uint8_t)splitmix(&s);
	return len;
}

/* A proof record matches what make_statement/make_proof give for i. */
static inline void
assert_record_is(const struct zk_prooflog_record *rec, uint64_t i,
		 size_t max_len)
{
	struct zk_statement st;
	uint8_t *proof = malloc(max_len + 1);
	size_t len;

	assert_non_null(proof);
	make_statement(i, &st);
	len = make_proof(i, max_len, proof);
	assert_int_equal(rec->type, ZK_PROOFLOG_REC_PROOF);
	assert_int_equal(rec->seq, i);
	assert_memory_equal(&rec->statement, &st, sizeof(st));
	assert_int_equal(rec->proof_len, len);
	if (len > 0)
		assert_memory_equal(rec->proof, proof, len);
	free(proof);
}

static inline void
make_tmpdir(char dir[64])
{
	strcpy(dir, "/tmp/zkplog-XXXXXX");
	assert_non_null(mkdtemp(dir));
}

static inline void
rm_tmpdir(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static inline uint8_t *
slurp(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *b;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	*len = (size_t)st.st_size;
	b = malloc(*len + 1);
	assert_non_null(b);
	assert_int_equal(pread(fd, b, *len, 0), (ssize_t)*len);
	close(fd);
	return b;
}

static inline void
spit(const char *path, const uint8_t *b, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, b, len), (ssize_t)len);
	close(fd);
}

static inline off_t
file_size(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

#endif /* ZKCLOB_TEST_PROOFLOG_UTIL_H */
