/* SPDX-License-Identifier: MIT */
/*
 * Fiat–Shamir transcript: the hash chain follows its spec byte for byte
 * (checked against libb2 directly), same operations give same challenges,
 * any difference in absorbed data, length, order, label or hash changes
 * every later challenge, challenges are canonical and in range, grinding
 * finds the first valid nonce and the verifier accepts exactly it, and the
 * batched nonce scan (eight per compression for BLAKE2s) answers exactly
 * what trying the nonces one at a time answers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <blake2.h>
#include <cmocka.h>

#include "transcript.h"

static const enum zk_hash_id all_hashes[] = {
	ZK_HASH_BLAKE2S, ZK_HASH_BLAKE2B, ZK_HASH_SHA256, ZK_HASH_POSEIDON2,
	ZK_HASH_POSEIDON2_W12,
};
#define N_HASHES (sizeof(all_hashes) / sizeof(all_hashes[0]))

static void put_le64(uint8_t *p, uint64_t v)
{
	unsigned i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void start(struct zk_transcript *t, enum zk_hash_id h)
{
	assert_int_equal(zk_transcript_init(t, h, "test-transcript"), 0);
}

/* A fixed sequence of absorbs, the thing the variants below perturb. */
static void absorb_script(struct zk_transcript *t)
{
	const zk_gl elems[3] = { 1, 2, ZK_GL_P - 1 };
	const zk_ext ext = zk_gl3_make(5, 6, 7);
	struct zk_digest d;

	memset(d.bytes, 0xab, sizeof(d.bytes));
	zk_transcript_absorb_bytes(t, "public input", 12);
	zk_transcript_absorb_gl(t, elems, 3);
	zk_transcript_absorb_ext(t, &ext, 1);
	zk_transcript_absorb_digest(t, &d);
	zk_transcript_absorb_u64(t, 42);
}

static void test_spec_blake2s(void **state)
{
	struct zk_transcript t;
	uint8_t msg[1 + 32 + 8 + 3];
	uint8_t expect[32];
	const char *label = "test-transcript";
	uint8_t init_msg[2 + 8 + 15];

	(void)state;
	start(&t, ZK_HASH_BLAKE2S);
	init_msg[0] = 0x01;
	init_msg[1] = ZK_HASH_BLAKE2S;
	put_le64(init_msg + 2, strlen(label));
	memcpy(init_msg + 10, label, 15);
	assert_int_equal(blake2s(expect, init_msg, NULL, 32, sizeof(init_msg),
				 0), 0);
	assert_memory_equal(t.state.bytes, expect, 32);

	/* absorb: H(0x02 ‖ state ‖ u64 len ‖ data) */
	msg[0] = 0x02;
	memcpy(msg + 1, expect, 32);
	put_le64(msg + 33, 3);
	memcpy(msg + 41, "abc", 3);
	zk_transcript_absorb_bytes(&t, "abc", 3);
	assert_int_equal(blake2s(expect, msg, NULL, 32, sizeof(msg), 0), 0);
	assert_memory_equal(t.state.bytes, expect, 32);
	assert_int_equal(zk_transcript_status(&t), 0);
}

static void test_determinism(void **state)
{
	size_t h;

	(void)state;
	for (h = 0; h < N_HASHES; h++) {
		struct zk_transcript a, b;
		unsigned i;

		start(&a, all_hashes[h]);
		start(&b, all_hashes[h]);
		absorb_script(&a);
		absorb_script(&b);
		for (i = 0; i < 8; i++) {
			zk_ext x = zk_transcript_draw_ext(&a);
			zk_ext y = zk_transcript_draw_ext(&b);

			assert_true(zk_ext_eq(x, y));
			assert_int_equal(zk_transcript_draw_gl(&a),
					 zk_transcript_draw_gl(&b));
			assert_int_equal(zk_transcript_draw_index(&a, 20),
					 zk_transcript_draw_index(&b, 20));
		}
		assert_memory_equal(a.state.bytes, b.state.bytes, 32);
		assert_int_equal(zk_transcript_status(&a), 0);
	}
}

enum variant {
	V_BASE, V_DATA, V_LENGTH, V_SPLIT, V_ORDER, V_LABEL, V_EXTRA_DRAW,
	V_COUNT
};

/* Each variant differs from V_BASE in one respect only. */
static zk_ext challenge_after(enum zk_hash_id h, enum variant v)
{
	struct zk_transcript t;
	const uint8_t data[8] = { 1, 2, 3, 4, 5, 6, 7, 0 };

	assert_int_equal(zk_transcript_init(&t, h, v == V_LABEL ? "other"
								 : "label"), 0);
	switch (v) {
	case V_DATA: {
		uint8_t d2[8];

		memcpy(d2, data, 8);
		d2[3] ^= 1;
		zk_transcript_absorb_bytes(&t, d2, 7);
		zk_transcript_absorb_u64(&t, 9);
		break;
	}
	case V_LENGTH:
		/* a trailing zero byte must not vanish, even when packed */
		zk_transcript_absorb_bytes(&t, data, 8);
		zk_transcript_absorb_u64(&t, 9);
		break;
	case V_SPLIT:
		zk_transcript_absorb_bytes(&t, data, 3);
		zk_transcript_absorb_bytes(&t, data + 3, 4);
		zk_transcript_absorb_u64(&t, 9);
		break;
	case V_ORDER:
		zk_transcript_absorb_u64(&t, 9);
		zk_transcript_absorb_bytes(&t, data, 7);
		break;
	case V_EXTRA_DRAW:
		zk_transcript_absorb_bytes(&t, data, 7);
		(void)zk_transcript_draw_gl(&t);
		zk_transcript_absorb_u64(&t, 9);
		break;
	default:
		zk_transcript_absorb_bytes(&t, data, 7);
		zk_transcript_absorb_u64(&t, 9);
		break;
	}
	return zk_transcript_draw_ext(&t);
}

static void test_any_change_changes_challenges(void **state)
{
	size_t h;
	int v, w;

	(void)state;
	for (h = 0; h < N_HASHES; h++) {
		zk_ext c[V_COUNT];

		for (v = 0; v < V_COUNT; v++)
			c[v] = challenge_after(all_hashes[h], (enum variant)v);
		for (v = 0; v < V_COUNT; v++)
			for (w = v + 1; w < V_COUNT; w++)
				assert_false(zk_ext_eq(c[v], c[w]));
	}
}

static void test_hash_id_separates(void **state)
{
	struct zk_transcript t[N_HASHES];
	size_t i, j;

	(void)state;
	for (i = 0; i < N_HASHES; i++) {
		start(&t[i], all_hashes[i]);
		absorb_script(&t[i]);
	}
	/* the two Poseidon2 ids share a sponge but bind the id at init */
	for (i = 0; i < N_HASHES; i++)
		for (j = i + 1; j < N_HASHES; j++)
			assert_memory_not_equal(t[i].state.bytes,
						t[j].state.bytes, 32);
	assert_int_equal(zk_transcript_init(&t[0], (enum zk_hash_id)99, "x"),
			 -1);
	assert_int_equal(zk_transcript_status(&t[0]), -1);
}

static void test_challenges_canonical_and_in_range(void **state)
{
	size_t h;

	(void)state;
	for (h = 0; h < N_HASHES; h++) {
		struct zk_transcript t;
		unsigned i, log_n;
		unsigned seen_small = 0;

		start(&t, all_hashes[h]);
		for (i = 0; i < 200; i++) {
			zk_ext e = zk_transcript_draw_ext(&t);

			assert_true(zk_ext_is_canonical(e));
			assert_true(zk_gl_is_canonical(zk_transcript_draw_gl(&t)));
		}
		for (log_n = 0; log_n <= 63; log_n++)
			for (i = 0; i < 4; i++) {
				uint64_t idx = zk_transcript_draw_index(&t,
									log_n);

				if (log_n < 63)
					assert_true(idx < (1ull << log_n));
			}
		/* every index of a small range shows up */
		for (i = 0; i < 200; i++)
			seen_small |= 1u << zk_transcript_draw_index(&t, 3);
		assert_int_equal(seen_small, 0xff);
		assert_int_equal(zk_transcript_status(&t), 0);
	}
}

/* The coefficients are c, c^2, ... of the one challenge c a single draw
 * gives, and the transcript moves on exactly as after that one draw. */
static void test_draw_powers(void **state)
{
	(void)state;
	for (size_t h = 0; h < N_HASHES; h++) {
		struct zk_transcript a, b;
		zk_ext pw[9], c, acc;

		start(&a, all_hashes[h]);
		start(&b, all_hashes[h]);
		absorb_script(&a);
		absorb_script(&b);
		zk_transcript_draw_powers(&a, pw, 9);
		c = zk_transcript_draw_ext(&b);
		acc = c;
		for (size_t k = 0; k < 9; k++) {
			assert_true(zk_ext_eq(pw[k], acc));
			acc = zk_ext_mul(acc, c);
		}
		assert_false(zk_ext_eq(pw[1], pw[0]));
		assert_memory_equal(a.state.bytes, b.state.bytes, 32);
		/* none asked for: nothing drawn, nothing written */
		zk_transcript_draw_powers(&a, NULL, 0);
		assert_memory_equal(a.state.bytes, b.state.bytes, 32);
		assert_true(zk_ext_eq(zk_transcript_draw_ext(&a),
				      zk_transcript_draw_ext(&b)));
	}
}

static void test_grinding(void **state)
{
	size_t h;

	(void)state;
	for (h = 0; h < N_HASHES; h++) {
		struct zk_transcript prover, verifier, probe;
		unsigned bits = 8;
		uint64_t nonce, n;

		start(&prover, all_hashes[h]);
		absorb_script(&prover);
		verifier = prover;
		nonce = zk_transcript_grind(&prover, bits);
		/* the search starts at 0: every earlier nonce must fail */
		for (n = 0; n < nonce; n++) {
			probe = verifier;
			assert_false(zk_transcript_check_pow(&probe, bits, n));
		}
		probe = verifier;
		assert_true(zk_transcript_check_pow(&probe, bits, nonce));
		assert_memory_equal(probe.state.bytes, prover.state.bytes, 32);
		assert_int_equal(zk_transcript_draw_index(&probe, 30),
				 zk_transcript_draw_index(&prover, 30));
	}
}

static void test_grinding_bounds(void **state)
{
	struct zk_transcript t, u;

	(void)state;
	start(&t, ZK_HASH_BLAKE2S);
	u = t;
	/* zero bits: nonce 0, always accepted and still absorbed */
	assert_int_equal(zk_transcript_grind(&t, 0), 0);
	assert_true(zk_transcript_check_pow(&u, 0, 0));
	assert_memory_equal(t.state.bytes, u.state.bytes, 32);
	assert_false(zk_transcript_check_pow(&u, 33, 0));
	assert_false(zk_transcript_check_pow(&u, 64, 0));
	assert_int_equal(zk_transcript_status(&u), 0);
	/* the prover refuses a bound past 32 bits and says so */
	(void)zk_transcript_grind(&u, 40);
	assert_int_equal(zk_transcript_status(&u), -1);
}

/* The smallest nonce of [first, first + count) that check_pow accepts. */
static uint64_t scan_one_at_a_time(const struct zk_transcript *t,
				   unsigned bits, uint64_t first,
				   uint64_t count)
{
	for (uint64_t k = 0; k < count; k++) {
		struct zk_transcript probe = *t;

		if (zk_transcript_check_pow(&probe, bits, first + k))
			return first + k;
	}
	return UINT64_MAX;
}

static void test_pow_scan_matches_one_at_a_time(void **state)
{
	/* unaligned starts, lengths not a multiple of eight, nonces whose
	 * bytes 3 and 7 (message words 9 and 10) are not zero */
	static const struct {
		uint64_t first, count;
	} windows[] = {
		{ 0, 300 }, { 5, 203 }, { 0xfffffff0ull, 77 },
		{ ((uint64_t)1 << 56) - 13, 90 }, { UINT64_MAX - 200, 150 },
		{ 1000, 1 }, { 1001, 7 },
	};
	static const enum zk_hash_id hashes[] = { ZK_HASH_BLAKE2S,
						  ZK_HASH_SHA256 };
	static const unsigned bit_counts[] = { 1, 3, 6, 9 };
	unsigned hits = 0, misses = 0;

	(void)state;
	for (size_t h = 0; h < 2; h++)
		for (uint64_t seed = 0; seed < 4; seed++) {
			struct zk_transcript t;

			start(&t, hashes[h]);
			zk_transcript_absorb_u64(&t, seed);
			for (size_t b = 0; b < 4; b++)
				for (size_t w = 0; w < 7; w++) {
					int failed = 0;
					uint64_t want = scan_one_at_a_time(
						&t, bit_counts[b],
						windows[w].first, windows[w].count);
					uint64_t got = zk_transcript_pow_scan(
						&t, bit_counts[b],
						windows[w].first, windows[w].count,
						&failed);

					assert_int_equal(failed, 0);
					assert_true(got == want);
					hits += got != UINT64_MAX;
					misses += got == UINT64_MAX;
				}
		}
	/* both outcomes were exercised */
	assert_true(hits > 0 && misses > 0);
}

static void test_wrong_nonce_rejected(void **state)
{
	struct zk_transcript p, v;
	unsigned bits = 12;
	uint64_t nonce;
	unsigned rejected = 0, i;

	(void)state;
	start(&p, ZK_HASH_SHA256);
	v = p;
	nonce = zk_transcript_grind(&p, bits);
	for (i = 1; i <= 64; i++) {
		struct zk_transcript probe = v;

		rejected += !zk_transcript_check_pow(&probe, bits, nonce + i);
	}
	/* each other nonce passes with probability 2^-12 */
	assert_true(rejected >= 63);
	assert_true(zk_transcript_check_pow(&v, bits, nonce));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_blake2s),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_any_change_changes_challenges),
		cmocka_unit_test(test_hash_id_separates),
		cmocka_unit_test(test_challenges_canonical_and_in_range),
		cmocka_unit_test(test_draw_powers),
		cmocka_unit_test(test_grinding),
		cmocka_unit_test(test_grinding_bounds),
		cmocka_unit_test(test_wrong_nonce_rejected),
		cmocka_unit_test(test_pow_scan_matches_one_at_a_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
