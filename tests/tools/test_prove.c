/* SPDX-License-Identifier: MIT */
/*
 * `zkclob prove` / `zkclob verify` end to end: an honest batch verifies
 * from the four files alone; any change to the proof, the statement, an
 * op or an event, a dropped op, or the wrong parameter set is rejected; a
 * batch the AIR does not constrain yet is refused, never proven.
 * argv[1] is the zkclob binary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "capture_util.h"
#include "cli_test_util.h"

static const char *zkclob;
static char dir[] = "/tmp/zkclob-prove-XXXXXX";

/* Every op of this flow is rejected (no size is a multiple of the lot),
 * which the CLOB AIR proves. */
static const char rejects_conf[] =
	"[market.1]\nlot = 1000\n[market.2]\nlot = 1000\n"
	"[metrics]\nenabled = false\n";

static void fresh_batch(void)
{
	assert_int_equal(run("rm -rf %s/b && cp -r %s/good %s/b", dir, dir, dir), 0);
}

static void expect_reject(const char *why)
{
	assert_int_equal(run("%s verify --config %s/rej.conf %s/b", zkclob, dir, dir), 1);
	if (strstr(out, "REJECT") == NULL)
		fail_msg("%s: no REJECT in:\n%s", why, out);
}

/* Flip one byte of a file at an offset. */
static void flip(const char *file, long off)
{
	assert_int_equal(run("printf '\\377' | dd of=%s/b/%s bs=1 seek=%ld conv=notrunc status=none",
			     dir, file, off), 0);
}

static void test_honest_batch_verifies(void **state)
{
	(void)state;
	assert_int_equal(run("%s verify --config %s/rej.conf %s/good", zkclob, dir, dir), 0);
	assert_non_null(strstr(out, "verify:  ACCEPT market 1 batch 1"));
	assert_int_equal(run("%s inspect %s/good/proof.bin", zkclob, dir), 0);
	assert_non_null(strstr(out, "fast"));
}

static void test_tampering_rejected(void **state)
{
	(void)state;
	fresh_batch();
	flip("proof.bin", 5000);
	expect_reject("proof byte");
	fresh_batch();
	flip("statement.bin", 60);   /* old_root */
	expect_reject("old_root");
	fresh_batch();
	flip("statement.bin", 150);  /* new_root */
	expect_reject("new_root");
	fresh_batch();
	flip("events.bin", 64 * 3 + 13); /* one event's reason */
	expect_reject("event");
	fresh_batch();
	flip("ops.bin", 64 * 5 + 40);    /* one op's size */
	expect_reject("op");
	fresh_batch();
	assert_int_equal(run("truncate -s -64 %s/b/ops.bin", dir), 0);
	expect_reject("dropped op");
	fresh_batch();
	assert_int_equal(run("truncate -s -64 %s/b/events.bin", dir), 0);
	expect_reject("dropped event");
	fresh_batch();
	assert_int_equal(run("%s verify --config %s/rej.conf --params compact %s/b",
			     zkclob, dir, dir), 1);
	/* the market rules are part of what is checked */
	assert_int_equal(run("%s verify %s/b", zkclob, dir), 1);
}

static void test_unconstrained_batch_refused(void **state)
{
	(void)state;
	char pcap[512];

	/* a REPLACE to a negative price (rejected outside the AIR's
	 * limbs), which the AIR does not constrain yet: the gate refuses
	 * before any proving work */
	snprintf(pcap, sizeof(pcap), "%s/unprovable.pcap", dir);
	zk_test_write_unprovable_capture(pcap);
	assert_int_equal(run("%s prove %s %s/refused", zkclob, pcap, dir), 1);
	assert_non_null(strstr(out, "is not provable by CLOB AIR"));
	assert_int_equal(run("test -e %s/refused/proof.bin", dir), 1);
	assert_int_equal(run("%s verify %s/missing", zkclob, dir), 1);
	assert_int_equal(run("%s prove --params slow %s/t.pcap %s/x", zkclob, dir, dir), 2);
}

/* Three consecutive batches appended to a proof log verify as a chain;
 * damage anywhere, a cut tail, or a record from another chain is refused. */
static void test_proof_log(void **state)
{
	(void)state;
	assert_int_equal(run("rm -f %s/p.log && %s prove --config %s/rej.conf --count 32 "
			     "--batches 3 --log %s/p.log %s/t1.pcap %s/chain",
			     dir, zkclob, dir, dir, dir, dir), 0);
	assert_int_equal(run("%s verify-log --config %s/rej.conf %s/p.log", zkclob, dir, dir), 0);
	assert_non_null(strstr(out, "3 proofs verified"));
	assert_int_equal(run("%s verify --config %s/rej.conf %s/chain/batch-2", zkclob, dir, dir), 0);

	/* a flipped byte in the middle record */
	assert_int_equal(run("cp %s/p.log %s/bad.log && size=$(stat -c %%s %s/bad.log) && "
			     "printf '\377' | dd of=%s/bad.log bs=1 seek=$((size / 2)) conv=notrunc status=none",
			     dir, dir, dir, dir), 0);
	assert_int_equal(run("%s verify-log --config %s/rej.conf %s/bad.log", zkclob, dir, dir), 1);
	assert_non_null(strstr(out, "REJECT"));
	/* a cut tail is reported, not silently skipped */
	assert_int_equal(run("cp %s/p.log %s/cut.log && truncate -s -100 %s/cut.log", dir, dir, dir), 0);
	assert_int_equal(run("%s verify-log --config %s/rej.conf %s/cut.log", zkclob, dir, dir), 1);
	assert_non_null(strstr(out, "are no record"));
	/* a batch from another run (batch 1 again, other roots) breaks the chain */
	assert_int_equal(run("cp %s/p.log %s/two.log && %s prove --config %s/rej.conf --count 32 "
			     "--skip 200 --log %s/two.log %s/t1.pcap %s/other",
			     dir, dir, zkclob, dir, dir, dir, dir), 0);
	assert_int_equal(run("%s verify-log --config %s/rej.conf %s/two.log", zkclob, dir, dir), 1);
	assert_non_null(strstr(out, "chain"));
}

static int setup(void **state)
{
	FILE *f;

	(void)state;
	if (make_scratch_dir(dir) != 0)
		return -1;
	if (run("%s gen --count 3000 %s/t.pcap", zkclob, dir) != 0)
		return -1;
	/* one market, so its ops are contiguous and batches chain by seq */
	if (run("printf '[gen]\\nmarkets = 1\\n' > %s/g1.conf && "
		"%s gen --config %s/g1.conf --count 3000 %s/t1.pcap", dir, zkclob, dir, dir) != 0)
		return -1;
	f = fopen(strcat(strcpy(out, dir), "/rej.conf"), "w");
	if (f == NULL)
		return -1;
	fputs(rejects_conf, f);
	fclose(f);
	if (run("%s prove --config %s/rej.conf --count 64 %s/t.pcap %s/good",
		zkclob, dir, dir, dir) != 0) {
		fprintf(stderr, "prove failed:\n%s\n", out);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return remove_scratch_dir(dir);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_honest_batch_verifies),
		cmocka_unit_test(test_tampering_rejected),
		cmocka_unit_test(test_unconstrained_batch_refused),
		cmocka_unit_test(test_proof_log),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s ZKCLOB\n", argv[0]);
		return 2;
	}
	zkclob = argv[1];
	return cmocka_run_group_tests(tests, setup, teardown);
}
