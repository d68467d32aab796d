/* SPDX-License-Identifier: MIT */
/*
 * The CLOB AIR's next-row lists (prover/clob_air_next.c) against what its
 * constraints read at the next row, found by the probe (air_next.h) for
 * every AIR variant: the full AIR and the machinery one, each STP mode.
 * Each variant's reads must be listed, and the list must be no more than
 * their union. With ZK_CLOB_NEXT_PRINT set the test prints the union as
 * clob_air_next.c's arrays (how that file is made).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "air_next.h"
#include "clob_air.h"
#include "clob_test_util.h"
#include "stark.h"

#define SEED 0x636c6f626e657874ull

static void air_for(struct zk_clob_air *air, struct zk_market_params *mp,
		    enum zk_stp_mode stp, int machinery)
{
	struct zk_statement st = { .market = clob_test_market.market };
	struct zk_st_layout lay;
	uint32_t count[ZK_ST_KINDS + 1];
	char err[256];

	*mp = clob_test_market;
	mp->stp = stp;
	for (uint32_t k = 0; k <= ZK_ST_KINDS; k++)
		count[k] = k == 0 ? 0 : 64;
	assert_int_equal(zk_st_layout_init(&lay, mp->market, 4, count), 0);
	if (zk_clob_air_init(air, &lay, mp, &st, NULL, 0, NULL, 0, machinery,
			     err, sizeof(err)) != 0)
		fail_msg("clob air init: %s", err);
}

static void print_list(const char *name, const uint8_t *read, uint32_t width)
{
	uint32_t n = 0;

	printf("const uint32_t %s[] = {", name);
	for (uint32_t c = 0; c < width; c++) {
		if (!read[c])
			continue;
		printf("%s%u,", n % 10 == 0 ? "\n\t" : " ", c);
		n++;
	}
	printf("\n};\n");
}

static void test_lists(void **state)
{
	static const enum zk_stp_mode modes[] = {
		ZK_STP_CANCEL_NEWEST, ZK_STP_CANCEL_OLDEST, ZK_STP_CANCEL_BOTH,
	};
	struct zk_clob_air *air = malloc(sizeof(*air));
	struct zk_market_params mp;
	uint8_t m[CLOB_WIDTH], a[CLOB_AUX_WIDTH];
	uint8_t um[CLOB_WIDTH] = { 0 }, ua[CLOB_AUX_WIDTH] = { 0 };
	uint8_t lm[CLOB_WIDTH] = { 0 }, la[CLOB_AUX_WIDTH] = { 0 };
	uint32_t n_main = 0;
	char err[256];

	(void)state;
	assert_non_null(air);
	for (int machinery = 0; machinery < 2; machinery++)
		for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
			air_for(air, &mp, modes[i], machinery);
			assert_int_equal(zk_air_next_probe(&air->air, SEED, m, a),
					 0);
			for (uint32_t c = 0; c < CLOB_WIDTH; c++)
				um[c] |= m[c];
			for (uint32_t c = 0; c < CLOB_AUX_WIDTH; c++)
				ua[c] |= a[c];
			/* the check the debug mode runs agrees */
			assert_int_equal(zk_air_next_check(&air->air, SEED + 1,
							   err, sizeof(err)), 0);
		}
	for (uint32_t c = 0; c < CLOB_WIDTH; c++)
		n_main += um[c];
	if (getenv("ZK_CLOB_NEXT_PRINT") != NULL) {
		print_list("zk_clob_air_main_next", um, CLOB_WIDTH);
		print_list("zk_clob_air_aux_next", ua, CLOB_AUX_WIDTH);
	}
	/* the list is exactly the union: complete and no wider */
	for (uint32_t j = 0; j < air->air.n_main_next; j++)
		lm[air->air.main_next[j]] = 1;
	for (uint32_t j = 0; j < air->air.n_aux_next; j++)
		la[air->air.aux_next[j]] = 1;
	assert_non_null(air->air.main_next);
	assert_non_null(air->air.aux_next);
	assert_int_equal(zk_air_next_validate(&air->air, err, sizeof(err)), 0);
	assert_memory_equal(lm, um, sizeof(um));
	assert_memory_equal(la, ua, sizeof(ua));
	print_message("CLOB AIR: %u of %u main and %u of %u aux columns read "
		      "at the next row\n", n_main, CLOB_WIDTH,
		      air->air.n_aux_next, CLOB_AUX_WIDTH);
	free(air);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
