/* SPDX-License-Identifier: MIT */
/*
 * zkclob-zkvm-host (backends/zkvm/host/src/serve.rs) behind the external
 * backend (backends/external.c), end to end through the protocol: batches
 * committed with zk_clob_commit, sent as PROVE requests with their
 * witness, turned into guest input v2 by the host and judged by the guest.
 *
 * - exec mode without the test-only flag: every PROVE is declined
 *   (unsupported): the guest ran natively, nothing was proven;
 * - exec mode with --test-only-exec-proofs (DESCRIBE says test_only): the
 *   "proof" carries the statement the guest committed, which must equal
 *   the request's; VERIFY accepts it for that statement only;
 * - a damaged witness (a before-value), a statement field that the batch
 *   does not give, an unconfigured market: refused (invalid / unsupported);
 * - command mode with stand-in shell commands (no zkVM here): {input},
 *   {proof} and {public} reach the command, the proof file is returned
 *   (here the guest input itself, which must equal zk_zkvm_input_encode's),
 *   public values other than the statement fail the request, a command
 *   that exits non-zero fails it, one that outlives the deadline times out,
 *   and VERIFY maps the command's exit status 0 / 1 to accept / reject.
 *
 * Exits 77 (skipped) when ZKCLOB_ZKVM_HOST is unset (no cargo).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "zkclob/backend.h"
#include "zkclob/batch.h"
#include "zkclob/be.h"
#include "zkclob/clobproof.h"
#include "zkclob/engine.h"
#include "zkclob/event.h"
#include "zkclob/statetree.h"
#include "zkvm_input.h"
#include "zkvm_traffic.h"

#define PARAMS_ID 0x5a4b5601u
#define MAX_PARTS 8

static const char *host_path;
static char market_spec[2][256];

struct committed {
	struct zk_batch *part;
	struct zk_statement st;
	int book_full;
};

/* A default-book run committed per market; parts kept for the caller. */
struct rig {
	struct zk_market_params p[MAX_MARKETS];
	size_t n_mk;
	struct zk_engine *e;
	struct zk_st_tree *tree[MAX_MARKETS];
	struct zk_st_update upd[MAX_MARKETS];
	uint64_t seq[MAX_MARKETS];
	struct zk_batcher *bat;
	struct zk_op *ops;
	size_t next_op;
};

static const struct scenario host_sc = {
	"host", 5, 0, 3000, 128, ZK_STP_CANCEL_OLDEST, 2048, 1024
};

static void
rig_init(struct rig *r)
{
	struct zk_gen_params gp;
	struct zk_batch_cfg cfg = { .max_ops = host_sc.batch_ops,
				    .witness = true };

	memset(r, 0, sizeof(*r));
	r->n_mk = make_params(&host_sc, r->p, &gp);
	r->ops = make_ops(&host_sc, &gp);
	r->e = zk_engine_create(r->p, r->n_mk);
	assert_non_null(r->e);
	for (size_t i = 0; i < r->n_mk; i++) {
		r->tree[i] = zk_st_create(r->e, r->p[i].market, 4);
		assert_non_null(r->tree[i]);
	}
	r->bat = zk_batcher_create(r->e, &cfg);
	assert_non_null(r->bat);
	for (size_t i = 0; i < r->n_mk && i < 2; i++)
		snprintf(market_spec[i], sizeof(market_spec[i]),
			 "market=%u,tick=%lld,lot=%llu,min_price=%lld,"
			 "max_price=%lld,max_qty=%llu,stp=%u,max_orders=%u,"
			 "max_levels=%u",
			 r->p[i].market, (long long)r->p[i].tick,
			 (unsigned long long)r->p[i].lot,
			 (long long)r->p[i].min_price,
			 (long long)r->p[i].max_price,
			 (unsigned long long)r->p[i].max_qty,
			 (unsigned)r->p[i].stp, r->p[i].max_orders,
			 r->p[i].max_levels);
}

static void
rig_free(struct rig *r)
{
	for (size_t i = 0; i < r->n_mk; i++) {
		zk_st_update_free(&r->upd[i]);
		zk_st_destroy(r->tree[i]);
	}
	zk_batcher_destroy(r->bat);
	zk_engine_destroy(r->e);
	free(r->ops);
}

/*
 * The next cut batch's first market part, committed (the others are
 * committed too, to keep the trees following the engine, and dropped).
 * 0 when the traffic is used up.
 */
static int
next_committed(struct rig *r, struct committed *c)
{
	struct zk_batch *cut = NULL, *parts[MAX_PARTS];
	long np;
	int got = 0;

	while (cut == NULL && r->next_op < host_sc.n_ops) {
		size_t used;

		assert_int_equal(zk_batcher_push_burst(r->bat,
						       &r->ops[r->next_op],
						       host_sc.n_ops - r->next_op,
						       0, &used, &cut), 0);
		r->next_op += used;
	}
	if (cut == NULL)
		return 0;
	np = zk_batch_split_by_market(cut, parts, MAX_PARTS);
	assert_true(np >= 1);
	for (long k = 0; k < np; k++) {
		size_t mi;
		struct zk_statement st;
		char err[160];

		for (mi = 0; mi < r->n_mk &&
			     r->p[mi].market != parts[k]->ops[0].market; mi++)
			;
		assert_true(mi < r->n_mk);
		parts[k]->batch_seq = ++r->seq[mi];
		if (zk_clob_commit(parts[k], r->tree[mi], &r->upd[mi], &st,
				   err, sizeof(err)) != ZK_CLOB_OK)
			fail_msg("commit: %s", err);
		if (!got) {
			c->part = parts[k];
			c->st = st;
			c->st.params_id = PARAMS_ID;
			c->book_full = 0;
			for (size_t j = 0; j < parts[k]->events.len; j++)
				c->book_full |= parts[k]->events.ev[j].reason ==
						ZK_REJ_BOOK_FULL &&
					parts[k]->events.ev[j].type ==
						ZK_EV_REJECTED;
			got = 1;
		} else {
			zk_batch_free(parts[k]);
		}
	}
	zk_batch_free(cut);
	return 1;
}

static struct zk_backend *
host(const char *const *mode)
{
	char *argv[32];
	size_t n = 0;
	char why[256];
	struct zk_external_cfg xc = { .argv = argv,
				      .prove_timeout_us = 20000000 };
	struct zk_backend *be;

	argv[n++] = (char *)host_path;
	argv[n++] = "--params-id";
	argv[n++] = "1514886657"; /* PARAMS_ID */
	argv[n++] = "--name";
	argv[n++] = "zkvm-test";
	argv[n++] = "--market";
	argv[n++] = market_spec[0];
	argv[n++] = "--market";
	argv[n++] = market_spec[1];
	for (; *mode != NULL; mode++)
		argv[n++] = (char *)*mode;
	argv[n] = NULL;
	be = zk_external_create(&xc, why, sizeof(why));
	if (be == NULL)
		fail_msg("zkclob-zkvm-host: %s", why);
	assert_int_equal(zk_backend_info(be)->params_id, PARAMS_ID);
	return be;
}

/* The 56-byte market record the guest commits after the statement
 * (docs/zkvm.md, guest input v2 offset 168). */
static void
market_record(const struct zk_market_params *p, uint8_t out[56])
{
	zk_put_be32(out, p->market);
	zk_put_be32(out + 4, (uint32_t)p->stp);
	zk_put_be32(out + 8, p->max_orders);
	zk_put_be32(out + 12, p->max_levels);
	zk_put_be64(out + 16, (uint64_t)p->tick);
	zk_put_be64(out + 24, p->lot);
	zk_put_be64(out + 32, (uint64_t)p->min_price);
	zk_put_be64(out + 40, (uint64_t)p->max_price);
	zk_put_be64(out + 48, p->max_qty);
}

static const struct zk_market_params *
market_of(const struct rig *r, uint32_t market)
{
	for (size_t i = 0; i < r->n_mk; i++)
		if (r->p[i].market == market)
			return &r->p[i];
	fail_msg("market %u not in the rig", market);
	return NULL;
}

static enum zk_be_status
prove(struct zk_backend *be, const struct committed *c, uint64_t deadline,
      struct zk_proof *out, char *why, size_t n)
{
	out->len = 0;
	return zk_backend_prove(be, &c->st, c->part, deadline, out, why, n);
}

static void
test_exec_mode(void **state)
{
	static const char *const plain[] = { "--exec", NULL };
	static const char *const test_only[] = { "--exec",
						 "--test-only-exec-proofs",
						 NULL };
	struct rig r;
	struct committed c;
	struct zk_backend *be_plain, *be_test;
	uint8_t buf[4096], enc[ZK_STATEMENT_WIRE_SIZE], rec[56];
	struct zk_proof out = { .data = buf, .cap = sizeof(buf) };
	char why[256];
	unsigned proved = 0, declined_gap = 0, batches = 0;

	(void)state;
	rig_init(&r);
	be_plain = host(plain);
	be_test = host(test_only);
	assert_true(zk_backend_info(be_plain)->test_only);
	assert_int_equal(zk_backend_info(be_plain)->security_bits, 0);
	assert_string_equal(zk_backend_info(be_test)->name, "zkvm-test");
	while (next_committed(&r, &c)) {
		enum zk_be_status s;

		batches++;
		s = prove(be_plain, &c, 0, &out, why, sizeof(why));
		assert_int_equal(s, ZK_BE_UNSUPPORTED);
		s = prove(be_test, &c, 0, &out, why, sizeof(why));
		if (s == ZK_BE_UNSUPPORTED && c.book_full &&
		    strstr(why, "level") != NULL) {
			declined_gap++;
			zk_batch_free(c.part);
			continue;
		}
		if (s != ZK_BE_OK)
			fail_msg("batch %llu: %s: %s",
				 (unsigned long long)c.part->batch_seq,
				 zk_be_status_name(s), why);
		/* The guest's committed statement is the request's, then the
		 * market's rules. */
		zk_statement_encode(&c.st, enc);
		market_record(market_of(&r, c.st.market), rec);
		assert_int_equal(out.len, 8 + ZK_STATEMENT_WIRE_SIZE + 56);
		assert_memory_equal(out.data, "ZKVMEXEC", 8);
		assert_memory_equal(out.data + 8, enc, ZK_STATEMENT_WIRE_SIZE);
		assert_memory_equal(out.data + 8 + ZK_STATEMENT_WIRE_SIZE, rec,
				    56);
		assert_int_equal(zk_backend_verify(be_test, &c.st, out.data,
						   out.len, 0, why, sizeof(why)),
				 ZK_VERIFY_ACCEPT);
		out.data[8 + 100] ^= 1;
		assert_int_equal(zk_backend_verify(be_test, &c.st, out.data,
						   out.len, 0, why, sizeof(why)),
				 ZK_VERIFY_REJECT);
		proved++;

		if (proved % 5 == 1) {
			struct zk_statement good = c.st;
			/* the record is the rig's own (r.upd), only
			 * lent to the batch as const */
			struct zk_st_leaf_rec *l =
				(struct zk_st_leaf_rec *)&c.part->tree_update->leaves[0];

			/* a statement the batch does not give */
			c.st.events_digest[3] ^= 1;
			assert_int_equal(prove(be_test, &c, 0, &out, why,
					       sizeof(why)), ZK_BE_INVALID);
			assert_non_null(strstr(why, "EventsDigestMismatch"));
			c.st = good;
			/* a damaged witness: one before-value */
			l->before.raw[0] ^= 1;
			assert_int_equal(prove(be_test, &c, 0, &out, why,
					       sizeof(why)), ZK_BE_INVALID);
			l->before.raw[0] ^= 1;
			/* a market this prover is not configured for */
			c.st.market = 77;
			assert_int_equal(prove(be_test, &c, 0, &out, why,
					       sizeof(why)), ZK_BE_UNSUPPORTED);
			c.st = good;
		}
		zk_batch_free(c.part);
	}
	print_message("exec mode: %u market batches, %u statements checked, "
		      "%u declined (level gap)\n", batches, proved,
		      declined_gap);
	assert_true(proved >= 20 && proved + declined_gap == batches);
	zk_backend_destroy(be_plain);
	zk_backend_destroy(be_test);
	rig_free(&r);
}

static void
test_command_mode(void **state)
{
	/* Stand-ins for `SP1/ZisK prove` and `verify`: the "proof" is the
	 * guest input itself, the public values its statement and market
	 * record (input bytes 8..224). */
	static const char *const ok_cmd[] = {
		"--prove", "/bin/sh", "-c",
		"cp {input} {proof} && dd if={input} of={public} bs=1 skip=8 "
		"count=216 2>/dev/null", "--",
		"--verify", "/bin/sh", "-c",
		"dd if={proof} bs=1 skip=8 count=216 2>/dev/null | "
		"cmp -s {public} -", "--", NULL
	};
	static const char *const wrong_public[] = {
		"--prove", "/bin/sh", "-c",
		"cp {input} {proof} && head -c 216 /dev/zero > {public}", "--",
		"--verify", "/bin/false", "--", NULL
	};
	static const char *const failing[] = {
		"--prove", "/bin/sh", "-c", "exit 3", "--",
		"--verify", "/bin/sh", "-c", "exit 9", "--", NULL
	};
	static const char *const slow[] = {
		/* stderr closed: were the host killed before it kills the
		 * command, the orphan must not hold the test's output open */
		"--prove", "/bin/sh", "-c", "exec sleep 5 2>/dev/null", "--",
		"--verify", "/bin/true", "--", NULL
	};
	struct rig r;
	struct committed c;
	struct zk_backend *be;
	uint8_t *buf = malloc(1u << 22);
	struct zk_proof out = { .data = buf, .cap = 1u << 22 };
	uint8_t enc[ZK_STATEMENT_WIRE_SIZE];
	char why[256];
	enum zk_be_status s;

	(void)state;
	assert_non_null(buf);
	rig_init(&r);
	assert_true(next_committed(&r, &c));
	zk_statement_encode(&c.st, enc);

	be = host(ok_cmd);
	assert_false(zk_backend_info(be)->test_only);
	s = prove(be, &c, 0, &out, why, sizeof(why));
	if (s != ZK_BE_OK)
		fail_msg("command prove: %s: %s", zk_be_status_name(s), why);
	/* The stand-in's "proof" is the guest input the host built from the
	 * PROVE payload (Rust, witness::from_prove): byte for byte the one
	 * zk_zkvm_input_encode builds from the batch (C). */
	{
		size_t n = zk_zkvm_input_size(c.part);
		uint8_t *g = malloc(n);

		assert_non_null(g);
		assert_int_equal(zk_zkvm_input_encode(&c.st,
						      market_of(&r, c.st.market),
						      c.part, g, n),
				 n);
		assert_int_equal(out.len, n);
		assert_memory_equal(out.data, g, n);
		free(g);
	}
	assert_memory_equal(out.data + 8, enc, ZK_STATEMENT_WIRE_SIZE);
	assert_int_equal(zk_backend_verify(be, &c.st, out.data, out.len, 0,
					   why, sizeof(why)),
			 ZK_VERIFY_ACCEPT);
	out.data[8 + 40] ^= 1;
	assert_int_equal(zk_backend_verify(be, &c.st, out.data, out.len, 0,
					   why, sizeof(why)),
			 ZK_VERIFY_REJECT);
	/* a proof over the caller's limit is refused, not truncated */
	out.cap = 100;
	assert_int_equal(prove(be, &c, 0, &out, why, sizeof(why)),
			 ZK_BE_TOO_BIG);
	out.cap = 1u << 22;
	zk_backend_destroy(be);

	be = host(wrong_public);
	assert_int_equal(prove(be, &c, 0, &out, why, sizeof(why)),
			 ZK_BE_FAILED);
	assert_non_null(strstr(why, "public values"));
	zk_backend_destroy(be);

	be = host(failing);
	assert_int_equal(prove(be, &c, 0, &out, why, sizeof(why)),
			 ZK_BE_FAILED);
	assert_int_equal(zk_backend_verify(be, &c.st, out.data, 8, 0, why,
					   sizeof(why)),
			 ZK_VERIFY_ERROR);
	zk_backend_destroy(be);

	be = host(slow);
	s = prove(be, &c, zk_backend_now_ns() + 300000000ull, &out, why,
		  sizeof(why));
	/* the host's own budget check answers first, or the caller's poll */
	assert_int_equal(s, ZK_BE_TIMEOUT);
	zk_backend_destroy(be);

	zk_batch_free(c.part);
	rig_free(&r);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exec_mode),
		cmocka_unit_test(test_command_mode),
	};

	host_path = getenv("ZKCLOB_ZKVM_HOST");
	if (host_path == NULL || access(host_path, X_OK) != 0) {
		fprintf(stderr, "zkvm_host: ZKCLOB_ZKVM_HOST not set or not "
				"executable (cargo not installed?): skipped\n");
		return 77;
	}
	return cmocka_run_group_tests_name("zkvm_host", tests, NULL, NULL);
}
