/* SPDX-License-Identifier: MIT */
/*
 * Differential test: the C engine (through the batcher, as the sequencer
 * runs it) against the Rust guest core (backends/zkvm/guest-core, run
 * natively by zkclob-zkvm-exec). Both must give byte-identical events, the
 * same first/last seq, ops digest and events digest per batch, and the same
 * slot state (a BLAKE2b digest over every slot) and the same Poseidon2
 * state-tree root per market (prover/statetree.c, arity 4: the roots of
 * the native CLOB statements).
 *
 * Each scenario is split at a batch boundary: the first half starts from
 * pristine books, the second from a snapshot of the C engine's non-pristine
 * slots, so the guest's snapshot loading is checked against real C state.
 * Traffic: the project's generator (dataplane/gen.c) for the realistic
 * mixes, and a local adversarial generator with tiny books, a 30-id space
 * and every field sometimes out of range (including the reserved bytes).
 *
 * Exits 77 (skipped) when ZKCLOB_ZKVM_EXEC is unset: meson sets it only
 * where cargo was found and built the runner.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <blake2.h>
#include <cmocka.h>

#include "zkclob/batch.h"
#include "zkclob/engine.h"
#include "zkclob/gen.h"
#include "zkclob/statetree.h"
#include "zkvm_traffic.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the slot bytes compared here are the little-endian struct layout"
#endif

static const char *exec_path;
static char workdir[] = "/tmp/zkvm-diff-XXXXXX";

/* ---- guest input and output ------------------------------------------ */

static void
put_markets(struct buf *b, const struct zk_market_params *p, size_t n)
{
	buf_put(b, "ZKCLOBB1", 8);
	buf_u32(b, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		buf_u32(b, p[i].market);
		buf_u32(b, (uint32_t)p[i].stp);
		buf_u32(b, p[i].max_orders);
		buf_u32(b, p[i].max_levels);
		buf_u64(b, (uint64_t)p[i].tick);
		buf_u64(b, p[i].lot);
		buf_u64(b, (uint64_t)p[i].min_price);
		buf_u64(b, (uint64_t)p[i].max_price);
		buf_u64(b, p[i].max_qty);
	}
}

/* Every slot of `e` that differs from a fresh engine's: the snapshot. */
static void
put_snapshot(struct buf *b, const struct zk_engine *e,
	     const struct zk_market_params *p, size_t n)
{
	struct zk_engine *fresh = zk_engine_create(p, n);
	struct buf body = { 0 };
	uint32_t count = 0;

	assert_non_null(fresh);
	for (size_t i = 0; i < n; i++) {
		for (uint8_t k = ZK_SLOT_HEADER; k <= ZK_SLOT_BUCKET; k++) {
			uint32_t c = zk_engine_slot_count(e, p[i].market, k);

			for (uint32_t s = 0; s < c; s++) {
				union zk_slot_value now, was;

				zk_engine_slot_get(e, p[i].market, k, s, &now);
				zk_engine_slot_get(fresh, p[i].market, k, s,
						   &was);
				if (memcmp(&now, &was, sizeof(now)) == 0)
					continue;
				buf_u32(&body, p[i].market);
				buf_put(&body, (uint8_t[4]){ k, 0, 0, 0 }, 4);
				buf_u32(&body, s);
				buf_put(&body, now.raw, 64);
				count++;
			}
		}
	}
	zk_engine_destroy(fresh);
	buf_u32(b, count);
	if (body.len)
		buf_put(b, body.p, body.len);
	free(body.p);
}

static void
put_batches(struct buf *b, struct zk_batch **bt, size_t from, size_t to)
{
	buf_u32(b, (uint32_t)(to - from));
	for (size_t i = from; i < to; i++) {
		buf_u32(b, (uint32_t)bt[i]->n_ops);
		for (size_t j = 0; j < bt[i]->n_ops; j++) {
			uint8_t enc[ZK_OP_WIRE_SIZE];

			zk_op_encode(&bt[i]->ops[j], enc);
			/* Carried so the guest sees what the engine saw. */
			memcpy(enc + 61, bt[i]->ops[j].reserved, 3);
			buf_put(b, enc, sizeof(enc));
		}
	}
}

/* Same definition as Engine::slots_digest in guest-core/src/lib.rs. */
static void
slots_digest(const struct zk_engine *e, const struct zk_market_params *p,
	     size_t n, uint8_t out[32])
{
	static const uint8_t personal[BLAKE2B_PERSONALBYTES] = "zkclob-slots-v1";
	uint32_t ids[MAX_MARKETS];
	blake2b_param prm;
	blake2b_state st;

	memset(&prm, 0, sizeof(prm));
	prm.digest_length = 32;
	prm.fanout = 1;
	prm.depth = 1;
	memcpy(prm.personal, personal, sizeof(prm.personal));
	blake2b_init_param(&st, &prm);
	for (size_t i = 0; i < n; i++)
		ids[i] = p[i].market;
	for (size_t i = 1; i < n; i++) /* few markets: insertion sort */
		for (size_t j = i; j > 0 && ids[j - 1] > ids[j]; j--) {
			uint32_t t = ids[j];

			ids[j] = ids[j - 1];
			ids[j - 1] = t;
		}
	for (size_t i = 0; i < n; i++) {
		uint8_t id[4] = { (uint8_t)(ids[i] >> 24), (uint8_t)(ids[i] >> 16),
				  (uint8_t)(ids[i] >> 8), (uint8_t)ids[i] };

		blake2b_update(&st, id, 4);
		for (uint8_t k = ZK_SLOT_HEADER; k <= ZK_SLOT_BUCKET; k++) {
			uint32_t c = zk_engine_slot_count(e, ids[i], k);

			for (uint32_t s = 0; s < c; s++) {
				union zk_slot_value v;

				zk_engine_slot_get(e, ids[i], k, s, &v);
				blake2b_update(&st, v.raw, 64);
			}
		}
	}
	blake2b_final(&st, out, 32);
}

/*
 * Runs the guest core over batches [from, to) (from the snapshot of `e`
 * when from > 0) and checks its output against the C batches and the C
 * slot digest `want_slots`.
 */
static void
check_guest(const struct scenario *sc, const struct zk_market_params *p,
	    size_t n_mk, const struct zk_engine *snap_of, struct zk_batch **bt,
	    size_t from, size_t to, const uint8_t want_slots[32],
	    const struct zk_engine *root_of)
{
	char in[64], out[64];
	struct buf b = { 0 };
	size_t len, at = 0;
	uint8_t *o;

	snprintf(in, sizeof(in), "%s/in.bin", workdir);
	snprintf(out, sizeof(out), "%s/out.bin", workdir);
	put_markets(&b, p, n_mk);
	if (snap_of != NULL)
		put_snapshot(&b, snap_of, p, n_mk);
	else
		buf_u32(&b, 0);
	put_batches(&b, bt, from, to);
	write_file(in, &b);
	free(b.p);
	assert_int_equal(run_exec(exec_path, in, out, NULL), 0);
	o = read_file(out, &len);
	for (size_t i = from; i < to; i++) {
		const struct zk_batch *x = bt[i];

		assert_true(at + 4 <= len);
		if (get_be(o + at, 4) != x->events.len)
			fail_msg("%s batch %zu: %llu events from the guest, %zu from C",
				 sc->name, i, (unsigned long long)get_be(o + at, 4),
				 x->events.len);
		at += 4;
		assert_true(at + x->events.len * 64 + 80 <= len);
		for (size_t j = 0; j < x->events.len; j++, at += 64) {
			uint8_t enc[ZK_EVENT_WIRE_SIZE];

			zk_event_encode(&x->events.ev[j], enc);
			if (memcmp(enc, o + at, 64) != 0)
				fail_msg("%s batch %zu event %zu (seq %llu) differs",
					 sc->name, i, j,
					 (unsigned long long)x->events.ev[j].seq);
		}
		assert_int_equal(get_be(o + at, 8), x->first_seq);
		assert_int_equal(get_be(o + at + 8, 8), x->last_seq);
		assert_memory_equal(o + at + 16, x->ops_digest, 32);
		assert_memory_equal(o + at + 48, x->events_digest, 32);
		at += 80;
	}
	assert_int_equal(len, at + 32 + 32 * n_mk);
	assert_memory_equal(o + at, want_slots, 32);
	at += 32;
	for (size_t i = 0; i < n_mk; i++, at += 32) {
		struct zk_st_tree *t = zk_st_create(root_of, p[i].market, 4);
		uint8_t root[ZK_ST_ROOT_SIZE];

		assert_non_null(t);
		zk_st_root(t, root);
		zk_st_destroy(t);
		if (memcmp(root, o + at, 32) != 0)
			fail_msg("%s market %u: state root differs after batch %zu",
				 sc->name, p[i].market, to);
	}
	free(o);
}

static void
test_scenario(void **state)
{
	const struct scenario *sc = *state;
	struct zk_market_params p[MAX_MARKETS];
	struct zk_gen_params gp;
	size_t n_mk = make_params(sc, p, &gp);
	struct zk_op *ops = make_ops(sc, &gp);
	struct zk_engine *e = zk_engine_create(p, n_mk);
	struct zk_batch_cfg cfg = { .max_ops = sc->batch_ops };
	struct zk_batcher *bat;
	size_t max_batches = sc->n_ops / sc->batch_ops + 2, nb = 0, half;
	struct zk_batch **bt = calloc(max_batches, sizeof(*bt));
	uint8_t mid_slots[32], end_slots[32];
	struct zk_engine *mid = NULL;
	uint64_t rejects = 0, trades = 0;

	assert_non_null(e);
	assert_non_null(bt);
	bat = zk_batcher_create(e, &cfg);
	assert_non_null(bat);
	half = sc->n_ops / sc->batch_ops / 2;
	for (size_t i = 0; i < sc->n_ops;) {
		size_t used;
		struct zk_batch *cut;

		assert_int_equal(zk_batcher_push_burst(bat, &ops[i],
						       sc->n_ops - i, 0, &used,
						       &cut), 0);
		i += used;
		if (cut == NULL)
			continue;
		bt[nb++] = cut;
		if (nb == half) {
			/* The mid-run state, replayed into a second engine so
			 * the snapshot can be taken after the run goes on. */
			mid = zk_engine_create(p, n_mk);
			assert_non_null(mid);
			for (size_t j = 0; j < nb; j++) {
				struct zk_event_buf scratch = { 0 };

				assert_true(zk_engine_apply_burst(
					mid, bt[j]->ops, bt[j]->n_ops,
					&scratch) >= 0);
				zk_event_buf_free(&scratch);
			}
			slots_digest(mid, p, n_mk, mid_slots);
		}
	}
	{
		struct zk_batch *cut;

		assert_int_equal(zk_batcher_flush(bat, 0, &cut), 0);
		if (cut != NULL)
			bt[nb++] = cut;
	}
	slots_digest(e, p, n_mk, end_slots);
	for (size_t i = 0; i < nb; i++)
		for (size_t j = 0; j < bt[i]->events.len; j++) {
			rejects += bt[i]->events.ev[j].type == ZK_EV_REJECTED;
			trades += bt[i]->events.ev[j].type == ZK_EV_TRADE;
		}
	/* A mix that never trades or never rejects proves little. */
	assert_true(trades > 100);
	assert_true(rejects > 100);
	assert_non_null(mid);

	check_guest(sc, p, n_mk, NULL, bt, 0, half, mid_slots, mid);
	check_guest(sc, p, n_mk, mid, bt, half, nb, end_slots, e);
	print_message("%s: %zu ops, %zu batches, %llu trades, %llu rejects: identical\n",
		      sc->name, sc->n_ops, nb, (unsigned long long)trades,
		      (unsigned long long)rejects);

	for (size_t i = 0; i < nb; i++)
		zk_batch_free(bt[i]);
	free(bt);
	zk_batcher_destroy(bat);
	zk_engine_destroy(mid);
	zk_engine_destroy(e);
	free(ops);
}

/* The guest must fail loudly, not guess, on an input it cannot read. */
static void
test_bad_input_refused(void **state)
{
	char in[64], out[64];
	struct buf b = { 0 };

	(void)state;
	snprintf(in, sizeof(in), "%s/bad.bin", workdir);
	snprintf(out, sizeof(out), "%s/bad.out", workdir);
	buf_put(&b, "ZKCLOBB1", 8);
	buf_u32(&b, 1000); /* markets promised, none present */
	write_file(in, &b);
	free(b.p);
	assert_int_equal(run_exec(exec_path, in, out, NULL), 1);
}

static const struct scenario scenarios[] = {
	{ "realistic-1", 1, 0, 60000, 256, ZK_STP_CANCEL_NEWEST, 4096, 2048 },
	{ "realistic-2", 2, 0, 60000, 1000, ZK_STP_CANCEL_OLDEST, 4096, 2048 },
	/* Book slightly too small for the flow: BOOK_FULL on a real mix. */
	{ "realistic-full", 3, 0, 60000, 64, ZK_STP_CANCEL_BOTH, 1100, 760 },
	{ "adversarial-1", 11, 1, 40000, 256, 0, 0, 0 },
	{ "adversarial-2", 12, 1, 40000, 37, 0, 0, 0 },
	{ "adversarial-3", 13, 1, 40000, 1, 0, 0, 0 },
};

int
main(void)
{
	struct CMUnitTest tests[sizeof(scenarios) / sizeof(scenarios[0]) + 1];
	size_t n = 0;
	int rc;

	exec_path = getenv("ZKCLOB_ZKVM_EXEC");
	if (exec_path == NULL || access(exec_path, X_OK) != 0) {
		fprintf(stderr, "zkvm_diff: ZKCLOB_ZKVM_EXEC not set or not "
				"executable (cargo not installed?): skipped\n");
		return 77;
	}
	if (mkdtemp(workdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		tests[n] = (struct CMUnitTest)cmocka_unit_test_prestate(
			test_scenario, (void *)&scenarios[i]);
		tests[n++].name = scenarios[i].name;
	}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_bad_input_refused);
	rc = _cmocka_run_group_tests("zkvm_diff", tests, n, NULL, NULL);
	{
		char path[96];

		snprintf(path, sizeof(path), "%s/in.bin", workdir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/out.bin", workdir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/bad.bin", workdir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/bad.out", workdir);
		unlink(path);
		rmdir(workdir);
	}
	return rc;
}
