/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the CLOB AIR tests: batches of supported traffic, the
 * verifier call, statements re-derived for edited lists, and
 * prove_custom(), which does what zk_clob_prove does with a hook between
 * trace and proof (the cheating-engine tests tamper there).
 */
#ifndef ZKCLOB_TESTS_CLOB_TEST_PROVE_H
#define ZKCLOB_TESTS_CLOB_TEST_PROVE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clob_air.h"
#include "clob_test_util.h"
#include "params.h"
#include "stark.h"
#include "zkclob/clobproof.h"

#define ERRLEN 256
#define FAST ZK_PARAMS_FAST


/* Every supported kind: malformed ops and market-rule rejects, mixed. */
static inline struct zk_batch *malformed_batch(struct clob_rig *r, size_t n)
{
	struct zk_op ops[64];

	for (size_t i = 0; i < n; i++)
		ops[i] = i % 3 == 2 ? clob_invalid_op(r, i / 3) :
				      clob_malformed_op(r, i - i / 3);
	return clob_rig_batch(r, ops, n);
}

static inline struct zk_batch *book_batch(struct clob_rig *r, uint64_t k0, size_t n)
{
	struct zk_op ops[64];

	for (size_t i = 0; i < n; i++)
		ops[i] = clob_book_op(r, k0 + i);
	return clob_rig_batch(r, ops, n);
}

static inline int verify(const struct zk_statement *st, const struct zk_op *ops,
		  size_t n_ops, const struct zk_event *ev, size_t n_ev,
		  const uint8_t *proof, size_t len)
{
	char err[ERRLEN];

	return zk_clob_verify(st, ops, n_ops, ev, n_ev, &clob_test_market,
			      FAST, proof, len, err, sizeof(err));
}

/* Re-derive the digests and seq range of a statement for edited lists. */
static inline void restate(struct zk_statement *st, const struct zk_op *ops,
		    size_t n_ops, const struct zk_event *ev, size_t n_ev)
{
	struct zk_events_digest d;

	zk_ops_digest(ops, n_ops, st->ops_digest);
	zk_events_digest_init(&d);
	zk_events_digest_update(&d, ev, n_ev);
	zk_events_digest_final(&d, st->events_digest);
	st->first_seq = ops[0].seq;
	st->last_seq = ops[n_ops - 1].seq;
}

typedef void (*tamper_fn)(zk_gl **cols, size_t n, void *arg);

struct custom {
	struct zk_statement st;
	struct zk_clob_air air;
	uint8_t *proof;
	size_t len;
	int debug_rc;
	char debug_err[ERRLEN];
};

/*
 * What zk_clob_prove does, with a hook between trace and proof: the
 * debugger's verdict is recorded, then a proof is made with it off.
 */
static inline void prove_custom(struct clob_rig *r, const struct zk_batch *b,
			 int machinery, const struct zk_op *ops, size_t n_ops,
			 const struct zk_event *ev, size_t n_ev, tamper_fn fn,
			 void *arg, struct custom *out)
{
	struct zk_st_update u = { 0 };
	struct zk_prove_opts po = { .threads = 1, .debug = 0 };
	char err[ERRLEN];
	zk_gl **cols;
	unsigned log_n;

	memset(out, 0, sizeof(*out));
	assert_int_equal(zk_st_apply_witness(r->t, &b->witness, &u), 0);
	out->st = (struct zk_statement){
		.market = clob_test_market.market,
		.params_id = ZK_CLOB_PARAMS_ID(FAST),
		.batch_seq = b->batch_seq,
	};
	memcpy(out->st.old_root, u.old_root, 32);
	memcpy(out->st.new_root, u.new_root, 32);
	restate(&out->st, ops, n_ops, ev, n_ev);
	assert_int_equal(zk_clob_air_init(&out->air, zk_st_layout_get(r->t),
					  &clob_test_market, &out->st, ops,
					  n_ops, ev, n_ev, machinery, err,
					  sizeof(err)),
			 0);
	assert_int_equal(zk_clob_trace_build(&out->air, b, &u, 1, &cols,
					     &log_n, err, sizeof(err)),
			 0);
	if (fn != NULL)
		fn(cols, (size_t)1 << log_n, arg);
	out->debug_rc = zk_stark_debug_check(&out->air.air,
					     (const zk_gl *const *)cols, log_n,
					     42, out->debug_err,
					     sizeof(out->debug_err));
	if (zk_stark_prove(&out->air.air, zk_stark_params_by_id(FAST),
			   (const zk_gl *const *)cols, log_n, &po, &out->proof,
			   &out->len, err, sizeof(err)) != 0)
		out->proof = NULL;
	zk_clob_trace_free(cols);
	zk_st_update_free(&u);
}

/*
 * A cheating engine's batch (its witness or events edited by the caller)
 * must be refused twice over: the constraint debugger names a failing
 * constraint, and the proof made without it does not verify. Releases the
 * batch and the rig.
 */
static inline void expect_cheat_refused(struct clob_rig *r, struct zk_batch *b,
					tamper_fn fn, const char *name)
{
	struct custom cu;

	prove_custom(r, b, 0, b->ops, b->n_ops, b->events.ev, b->events.len,
		     fn, NULL, &cu);
	print_message("%s: debugger: %s\n", name, cu.debug_err);
	assert_int_equal(cu.debug_rc, ZK_STARK_ETRACE);
	assert_int_not_equal(verify(&cu.st, b->ops, b->n_ops, b->events.ev,
				    b->events.len, cu.proof, cu.len),
			     0);
	free(cu.proof);
	zk_batch_free(b);
	clob_rig_fini(r);
}

/*
 * A batch outside the AIR's coverage: zk_clob_prove refuses it as
 * unsupported before proving (no proof returned), with err naming `why`
 * when given. Releases the batch.
 */
static inline void expect_gate_refused(struct clob_rig *r, struct zk_batch *b,
				       const char *why)
{
	struct zk_clob_prove_opts o = { .market = &clob_test_market,
					.stark_params = FAST };
	struct zk_statement st;
	uint8_t *proof = NULL;
	size_t len = 0;
	char err[256] = "";

	assert_non_null(b);
	assert_int_equal(zk_clob_prove(b, r->t, &o, &proof, &len, &st, err,
				       sizeof(err)),
			 ZK_CLOB_EUNSUPPORTED);
	print_message("refused: %s\n", err);
	if (why != NULL && strstr(err, why) == NULL)
		fail_msg("'%s' not in the refusal: %s", why, err);
	assert_null(proof);
	zk_batch_free(b);
}

/* Reads of the given slots as the engine holds them now, for a forged
 * witness: every access a read, before == after. */
static inline size_t fake_reads(const struct clob_rig *r, const uint8_t *kinds,
				const uint32_t *slots, size_t n,
				struct zk_witness_access *acc)
{
	for (size_t i = 0; i < n; i++) {
		union zk_slot_value v;

		assert_int_equal(zk_engine_slot_get(r->e, clob_test_market.market,
						    kinds[i], slots[i], &v), 0);
		acc[i] = (struct zk_witness_access){
			.op = 0, .market = clob_test_market.market,
			.slot = slots[i], .kind = kinds[i], .before = v,
			.after = v };
	}
	return n;
}

/*
 * A cheating engine's one-op batch: `op` rejected for `reason`, the witness
 * the given slot reads (at most 64). The constraint debugger must name a
 * failing row, and the proof made with it off must not verify.
 */
static inline void expect_forged_reject_fails(struct clob_rig *r,
					      struct zk_op op, uint8_t reason,
					      const uint8_t *kinds,
					      const uint32_t *slots, size_t m)
{
	struct zk_witness_access acc[64];
	struct zk_batch fake;
	struct custom cu;
	struct zk_event ev = { .seq = op.seq, .market = op.market,
			       .type = ZK_EV_REJECTED, .reason = reason,
			       .order_id = op.order_id };

	assert_true(m <= 64);
	memset(&fake, 0, sizeof(fake));
	fake.batch_seq = 5;
	fake.n_ops = 1;
	fake.ops = &op;
	fake.events = (struct zk_event_buf){ .ev = &ev, .len = 1, .cap = 1 };
	fake.witness = (struct zk_witness){
		.acc = acc, .len = fake_reads(r, kinds, slots, m, acc),
		.cap = 64, .ops = 1 };
	prove_custom(r, &fake, 0, &op, 1, &ev, 1, NULL, NULL, &cu);
	assert_int_equal(cu.debug_rc, ZK_STARK_ETRACE);
	print_message("debugger: %s\n", cu.debug_err);
	assert_int_not_equal(verify(&cu.st, &op, 1, &ev, 1, cu.proof, cu.len),
			     0);
	free(cu.proof);
}

#endif /* ZKCLOB_TESTS_CLOB_TEST_PROVE_H */
