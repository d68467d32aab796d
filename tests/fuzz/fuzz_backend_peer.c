/* SPDX-License-Identifier: MIT */
/*
 * The scripted prover behind fuzz_backend_frame: `fuzz_backend_peer FILE`
 * speaks docs/backend-protocol.md on stdin/stdout, except that its replies
 * are FILE's bytes. For each request it reads the whole request frame, then
 * writes the next reply-sized piece of FILE: 20 header bytes and as many
 * payload bytes as that header claims (or what is left). When FILE is used
 * up it exits, so the client sees EOF instead of waiting for a timeout.
 * Deterministic on purpose: the fuzz harness replays the same stream in a
 * model and compares.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define HEADER_SIZE 20
#define MAX_FILE (1u << 20)

static int
read_full(int fd, uint8_t *b, size_t n)
{
	while (n > 0) {
		ssize_t r = read(fd, b, n);

		if (r <= 0)
			return -1;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

static int
write_full(int fd, const uint8_t *b, size_t n)
{
	while (n > 0) {
		ssize_t r = write(fd, b, n);

		if (r <= 0)
			return -1;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

static uint32_t
get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

int
main(int argc, char **argv)
{
	static uint8_t script[MAX_FILE], sink[1u << 16];
	uint8_t hdr[HEADER_SIZE];
	size_t len, pos = 0;
	FILE *f;

	if (argc != 2)
		return 2;
	f = fopen(argv[1], "rb");
	if (f == NULL)
		return 1;
	len = fread(script, 1, sizeof(script), f);
	fclose(f);
	while (pos < len) {
		uint32_t req_len;
		size_t piece;

		if (read_full(STDIN_FILENO, hdr, sizeof(hdr)) != 0)
			return 0;
		for (req_len = get_u32(hdr + 16); req_len > 0;) {
			size_t n = req_len < sizeof(sink) ? req_len : sizeof(sink);

			if (read_full(STDIN_FILENO, sink, n) != 0)
				return 0;
			req_len -= (uint32_t)n;
		}
		piece = len - pos;
		if (piece >= HEADER_SIZE) {
			uint64_t claimed = get_u32(script + pos + 16);

			if (piece > HEADER_SIZE + claimed)
				piece = HEADER_SIZE + (size_t)claimed;
		}
		if (write_full(STDOUT_FILENO, script + pos, piece) != 0)
			return 0;
		pos += piece;
	}
	return 0;
}
