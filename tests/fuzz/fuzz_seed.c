/* SPDX-License-Identifier: MIT */
/*
 * Writes the seed corpus for fuzz_wire: real generator packets of several
 * sizes, a heartbeat, an end-of-session and one packet per message type,
 * each prefixed by the capacity byte fuzz_wire expects.
 * Usage: fuzz_seed CORPUS_DIR SEED_LIST_FILE
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "zkclob/gen.h"
#include "zkclob/wire.h"

static FILE *list;
static int written;

static int
emit(const char *dir, const uint8_t *frame, size_t len)
{
	char path[4096];
	uint8_t cap = 0xff;
	FILE *f;

	snprintf(path, sizeof(path), "%s/seed-%03d", dir, written);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(&cap, 1, 1, f) != 1 ||
	    fwrite(frame, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "fuzz_seed: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(list, "%s%s", written ? "," : "", path);
	written++;
	return 0;
}

int
main(int argc, char **argv)
{
	static uint8_t frame[65536];
	static struct zk_op ops[64];
	uint8_t session[ZK_WIRE_SESSION_LEN];
	struct zk_gen_params p;
	char err[256];
	size_t len, n, off = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: %s CORPUS_DIR SEED_LIST_FILE\n", argv[0]);
		return 2;
	}
	if (mkdir(argv[1], 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "fuzz_seed: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	list = fopen(argv[2], "w");
	if (list == NULL) {
		fprintf(stderr, "fuzz_seed: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	zk_gen_params_default(&p);
	if (zk_gen_ops(&p, ops, 64, err, sizeof(err)) != 0) {
		fprintf(stderr, "fuzz_seed: %s\n", err);
		return 1;
	}
	zk_wire_session_from_str(session, p.session);
	for (n = 1; off + n <= 64; off += n, n *= 2) {
		len = zk_wire_encode_frame(&p.addr, session, ops[off].seq,
					   &ops[off], n, frame, sizeof(frame));
		if (len == 0 || emit(argv[1], frame, len) != 0)
			return 1;
	}
	len = zk_wire_encode_frame(&p.addr, session, 1, NULL, 0, frame,
				   sizeof(frame));
	if (emit(argv[1], frame, len) != 0)
		return 1;
	len = zk_wire_encode_end_of_session(&p.addr, session, 65, frame,
					    sizeof(frame));
	if (emit(argv[1], frame, len) != 0)
		return 1;
	/* the warm-up flow is all Enter: add the other types by hand */
	ops[0] = (struct zk_op){.type = ZK_OP_REPLACE, .order_id = 1,
				.new_order_id = 65, .account = 2, .market = 1,
				.price = 99990, .qty = 3};
	ops[1] = (struct zk_op){.type = ZK_OP_CANCEL, .order_id = 2,
				.account = 3, .market = 1, .qty = 1};
	ops[2] = (struct zk_op){.type = ZK_OP_NEW, .order_id = 66,
				.account = 4, .market = 1, .side = ZK_SIDE_SELL,
				.ord_type = ZK_ORD_MARKET, .tif = ZK_TIF_IOC,
				.qty = 5};
	len = zk_wire_encode_frame(&p.addr, session, 65, ops, 3, frame,
				   sizeof(frame));
	if (len == 0 || emit(argv[1], frame, len) != 0)
		return 1;
	fputc('\n', list);
	return fclose(list) == 0 ? 0 : 1;
}
