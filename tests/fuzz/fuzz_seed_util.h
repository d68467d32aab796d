/* SPDX-License-Identifier: MIT */
/*
 * Seed-corpus writing shared by the fuzz seed generators: each seed is one
 * file in a corpus directory, and the list file holds their paths comma
 * separated, the form libFuzzer's -seed_inputs=@LIST reads.
 */
#ifndef ZKCLOB_FUZZ_SEED_UTIL_H
#define ZKCLOB_FUZZ_SEED_UTIL_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

struct fuzz_seeds {
	const char *tool;
	const char *dir;
	FILE *list;
	int written;
};

/* 0, or -1 after printing why. */
static inline int
fuzz_seeds_open(struct fuzz_seeds *s, const char *tool, const char *dir,
		const char *list_path)
{
	s->tool = tool;
	s->dir = dir;
	s->written = 0;
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "%s: %s: %s\n", tool, dir, strerror(errno));
		return -1;
	}
	s->list = fopen(list_path, "w");
	if (s->list == NULL) {
		fprintf(stderr, "%s: %s: %s\n", tool, list_path,
			strerror(errno));
		return -1;
	}
	return 0;
}

/* Writes head (may be empty) then body as the next seed file. */
static inline int
fuzz_seeds_emit2(struct fuzz_seeds *s, const void *head, size_t head_len,
		 const void *body, size_t body_len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/seed-%03d", s->dir, s->written);
	f = fopen(path, "wb");
	if (f == NULL || (head_len > 0 && fwrite(head, 1, head_len, f) !=
					  head_len) ||
	    (body_len > 0 && fwrite(body, 1, body_len, f) != body_len) ||
	    fclose(f) != 0) {
		fprintf(stderr, "%s: %s: %s\n", s->tool, path, strerror(errno));
		return -1;
	}
	fprintf(s->list, "%s%s", s->written ? "," : "", path);
	s->written++;
	return 0;
}

static inline int
fuzz_seeds_emit(struct fuzz_seeds *s, const void *body, size_t len)
{
	return fuzz_seeds_emit2(s, NULL, 0, body, len);
}

/* Seeds a whole file's content; -1 after printing why. */
static inline int
fuzz_seeds_emit_file(struct fuzz_seeds *s, const char *path)
{
	static uint8_t buf[1u << 20];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL) {
		fprintf(stderr, "%s: %s: %s\n", s->tool, path, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return fuzz_seeds_emit(s, buf, n);
}

static inline int
fuzz_seeds_close(struct fuzz_seeds *s)
{
	if (fclose(s->list) != 0 || s->written == 0) {
		fprintf(stderr, "%s: no seeds written\n", s->tool);
		return -1;
	}
	return 0;
}

#endif /* ZKCLOB_FUZZ_SEED_UTIL_H */
