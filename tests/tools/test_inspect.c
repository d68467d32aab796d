/* SPDX-License-Identifier: MIT */
/*
 * `zkclob inspect` on real proofs: it names the parameter set, both
 * security figures and the size by part; a damaged file is refused with a
 * reason. argv[1] is the zkclob binary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "air_fib.h"
#include "cli_test_util.h"
#include "stark.h"

static const char *zkclob;
static char dir[] = "/tmp/zkclob-inspect-XXXXXX";

/* Prove Fibonacci over 2^6 rows under `params` into dir/name. */
static size_t write_proof(uint8_t params_id, const char *name, size_t cut)
{
	static struct zk_air_fib fib;
	zk_gl a[64], b[64];
	const zk_gl *cols[2] = { a, b };
	const struct zk_stark_params *p = zk_stark_params_by_id(params_id);
	struct zk_prove_opts opts = { .threads = 1, .debug = 1 };
	uint8_t *proof;
	size_t len;
	char err[256], path[256];
	zk_gl result;
	FILE *f;

	assert_non_null(p);
	result = zk_air_fib_trace(1, 1, 6, a, b);
	zk_air_fib_init(&fib, 1, 1, result);
	assert_int_equal(zk_stark_prove(&fib.air, p, cols, 6, &opts, &proof, &len,
					err, sizeof(err)),
			 0);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(proof, 1, len - cut, f), len - cut);
	fclose(f);
	free(proof);
	return len;
}

static void test_describes_both_sets(void **state)
{
	size_t len;
	char want[64];

	(void)state;
	len = write_proof(ZK_PARAMS_FAST, "fast.proof", 0);
	assert_int_equal(run("%s inspect %s/fast.proof", zkclob, dir), 0);
	snprintf(want, sizeof(want), "(%zu bytes)", len);
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "fast"));
	assert_non_null(strstr(out, "conjectured"));
	assert_non_null(strstr(out, "proven"));
	assert_non_null(strstr(out, "FRI"));

	write_proof(ZK_PARAMS_COMPACT, "compact.proof", 0);
	assert_int_equal(run("%s inspect %s/compact.proof", zkclob, dir), 0);
	assert_non_null(strstr(out, "compact"));
}

static void test_damaged_files(void **state)
{
	(void)state;
	write_proof(ZK_PARAMS_FAST, "cut.proof", 7);
	assert_int_equal(run("%s inspect %s/cut.proof", zkclob, dir), 1);
	assert_int_equal(run("head -c 300 /dev/urandom > %s/junk.proof", dir), 0);
	assert_int_equal(run("%s inspect %s/junk.proof", zkclob, dir), 1);
	assert_int_equal(run("%s inspect %s/none.proof", zkclob, dir), 1);
	assert_non_null(strstr(out, "No such file"));
	assert_int_equal(run("%s inspect", zkclob), 2);
}

static int setup(void **state)
{
	(void)state;
	return make_scratch_dir(dir);
}

static int teardown(void **state)
{
	(void)state;
	return remove_scratch_dir(dir);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_describes_both_sets),
		cmocka_unit_test(test_damaged_files),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s ZKCLOB\n", argv[0]);
		return 2;
	}
	zkclob = argv[1];
	return cmocka_run_group_tests(tests, setup, teardown);
}
