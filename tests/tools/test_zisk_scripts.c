/* SPDX-License-Identifier: MIT */
/*
 * backends/zkvm/zisk-prove.sh and zisk-verify.sh without the ZisK
 * toolchain (it does not install here): bad arguments and a missing
 * toolchain are named and exit non-zero (zkclob-zkvm-host turns any
 * non-zero prove exit into a failed PROVE, tests/zkvm/test_zkvm_host.c);
 * with shell stand-ins for `ziskemu` and `cargo-zisk`, what the scripts do
 * themselves: the public values written as big-endian words, the proof
 * archive, and verify accepting only a proof whose public values are
 * PUBLIC's (a flipped word, another archive, a verifier that says no are
 * rejects). What the real ZisK tools print and write is not tested here
 * (docs/zkvm.md).
 *
 * argv[1] = zisk-prove.sh, argv[2] = zisk-verify.sh.
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

#include "cli_test_util.h"

static const char *prove_sh, *verify_sh;
static char dir[] = "/tmp/zisk-scripts-XXXXXX";

/* Public values of the stand-in guest: 2 words of "statement", 1 of
 * market record. */
static const uint32_t words[3] = { 0x01020304u, 0xa0b0c0d0u, 0x0000002au };

static void write_file(const char *name, const void *data, size_t len,
		       int executable)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	if (executable)
		assert_int_equal(run("chmod +x %s", path), 0);
}

static void write_text(const char *name, const char *text, int executable)
{
	write_file(name, text, strlen(text), executable);
}

/* The .bin layout zisk-verify.sh expects: u64 LE count, u64 LE publics,
 * then proof bytes (here a marker). */
static void write_proof_bin(const char *name, const uint32_t *w, size_t n)
{
	uint8_t buf[256];
	size_t len = 0, i, b;

	for (b = 0; b < 8; b++)
		buf[len++] = (uint8_t)((uint64_t)n >> (8 * b));
	for (i = 0; i < n; i++)
		for (b = 0; b < 8; b++)
			buf[len++] = (uint8_t)((uint64_t)w[i] >> (8 * b));
	memcpy(buf + len, "STANDIN", 7);
	len += 7;
	write_file(name, buf, len, 0);
}

/* PUBLIC as the host writes it: big-endian words. */
static void write_public(const char *name, const uint32_t *w, size_t n)
{
	uint8_t buf[64];
	size_t i;

	for (i = 0; i < n; i++) {
		buf[4 * i] = (uint8_t)(w[i] >> 24);
		buf[4 * i + 1] = (uint8_t)(w[i] >> 16);
		buf[4 * i + 2] = (uint8_t)(w[i] >> 8);
		buf[4 * i + 3] = (uint8_t)w[i];
	}
	write_file(name, buf, 4 * n, 0);
}

static void expect(int rc, int want, const char *text)
{
	if (rc != want || strstr(out, text) == NULL)
		fail_msg("exit %d (want %d), output lacks '%s':\n%s", rc, want,
			 text, out);
}

static void test_arguments_and_missing_toolchain(void **state)
{
	(void)state;
	write_text("guest.elf", "ELF", 0);
	write_text("input.bin", "IN", 0);
	expect(run("%s", prove_sh), 2, "usage: zisk-prove.sh ELF INPUT PROOF PUBLIC");
	expect(run("%s %s/guest.elf %s/input.bin %s/p", prove_sh, dir, dir, dir),
	       2, "got 3 arguments");
	expect(run("%s /nonexistent.elf %s/input.bin %s/p %s/pub", prove_sh, dir,
		   dir, dir), 2, "ELF '/nonexistent.elf' is not a readable file");
	expect(run("%s %s/guest.elf /nonexistent.in %s/p %s/pub", prove_sh, dir,
		   dir, dir), 2, "guest input '/nonexistent.in' is not a readable file");
	/* the toolchain is not installed here: named, exit 3, nothing written */
	expect(run("CARGO_ZISK=/nonexistent/cargo-zisk %s %s/guest.elf %s/input.bin %s/p %s/pub",
		   prove_sh, dir, dir, dir, dir),
	       3, "'/nonexistent/cargo-zisk' not found: install the ZisK toolchain");
	expect(run("PATH=/usr/bin:/bin %s %s/guest.elf %s/input.bin %s/p %s/pub",
		   prove_sh, dir, dir, dir, dir), 3, "not found");
	assert_int_not_equal(access("/nonexistent/p", F_OK), 0);
	assert_int_equal(run("test -e %s/p || test -e %s/pub", dir, dir), 1);

	expect(run("%s a b", verify_sh), 2, "usage: zisk-verify.sh STATEMENT PUBLIC PROOF");
	write_public("pub.bin", words, 3);
	write_public("st.bin", words, 2);
	write_text("proof.tar", "x", 0);
	expect(run("%s %s/st.bin /nonexistent %s/proof.tar", verify_sh, dir, dir),
	       2, "'/nonexistent' is not a readable file");
	expect(run("CARGO_ZISK=/nonexistent/cargo-zisk %s %s/st.bin %s/pub.bin %s/proof.tar",
		   verify_sh, dir, dir, dir),
	       3, "'/nonexistent/cargo-zisk' not found");
}

/* Stand-ins: ziskemu prints the words; cargo-zisk prove copies
 * $STANDIN_BIN to DIR/vadcop_final_proof.bin, cargo-zisk verify exits
 * $STANDIN_VERIFY (0 when unset). */
static void write_standins(void)
{
	char emu[256];

	snprintf(emu, sizeof(emu), "#!/bin/sh\nprintf '%%08x\\n' %u %u %u\n",
		 words[0], words[1], words[2]);
	write_text("ziskemu", emu, 1);
	write_text("cargo-zisk",
		   "#!/bin/sh\n"
		   "cmd=$1; shift\n"
		   "if [ \"$cmd\" = prove ]; then\n"
		   "  [ -n \"${STANDIN_PROVE_FAIL:-}\" ] && exit 1\n"
		   "  while [ $# -gt 0 ]; do [ \"$1\" = -o ] && out=$2; shift; done\n"
		   "  mkdir -p \"$out\" && cp \"$STANDIN_BIN\" \"$out/vadcop_final_proof.bin\"\n"
		   "  echo proved\n"
		   "  exit 0\n"
		   "fi\n"
		   "exit ${STANDIN_VERIFY:-0}\n", 1);
}

#define STANDINS "PATH=%s:$PATH CARGO_ZISK=%s/cargo-zisk ZISKEMU=%s/ziskemu "

static void test_prove_and_verify_with_standins(void **state)
{
	uint32_t other[3] = { words[0], words[1], words[2] ^ 1u };

	(void)state;
	write_standins();
	write_text("guest.elf", "ELF", 0);
	write_text("input.bin", "IN", 0);
	write_proof_bin("good.bin", words, 3);

	expect(run(STANDINS "STANDIN_BIN=%s/good.bin %s %s/guest.elf %s/input.bin %s/proof.tar %s/public.bin",
		   dir, dir, dir, dir, prove_sh, dir, dir, dir, dir), 0, "");
	/* PUBLIC: the emulator's words, big-endian */
	write_public("want.bin", words, 3);
	assert_int_equal(run("cmp %s/public.bin %s/want.bin", dir, dir), 0);
	assert_int_equal(run("tar -tf %s/proof.tar", dir), 0);
	assert_string_equal(out, "vadcop_final_proof.bin\n");

	/* verify: the statement prefix, the verifier, the public values */
	write_public("st.bin", words, 2);
	expect(run(STANDINS "%s %s/st.bin %s/want.bin %s/proof.tar", dir, dir,
		   dir, verify_sh, dir, dir, dir), 0, "");
	write_public("other.bin", other, 3);
	expect(run(STANDINS "%s %s/st.bin %s/other.bin %s/proof.tar", dir, dir,
		   dir, verify_sh, dir, dir, dir),
	       1, "the proof's public values are not PUBLIC");
	write_public("st_other.bin", (uint32_t[]){ 0xdeadbeefu }, 1);
	expect(run(STANDINS "%s %s/st_other.bin %s/want.bin %s/proof.tar", dir,
		   dir, dir, verify_sh, dir, dir, dir),
	       1, "PUBLIC does not begin with STATEMENT");
	expect(run(STANDINS "STANDIN_VERIFY=1 %s %s/st.bin %s/want.bin %s/proof.tar",
		   dir, dir, dir, verify_sh, dir, dir, dir),
	       1, "cargo-zisk verify rejected the proof");
	/* fewer publics in the proof than PUBLIC words */
	write_proof_bin("short.bin", words, 2);
	assert_int_equal(run("cd %s && cp short.bin vadcop_final_proof.bin && "
			     "tar -cf short.tar vadcop_final_proof.bin", dir), 0);
	expect(run(STANDINS "%s %s/st.bin %s/want.bin %s/short.tar", dir, dir,
		   dir, verify_sh, dir, dir, dir),
	       1, "the proof's public values are not PUBLIC");
	/* not an archive, or one with other members */
	write_text("junk.tar", "not a tar", 0);
	expect(run(STANDINS "%s %s/st.bin %s/want.bin %s/junk.tar", dir, dir,
		   dir, verify_sh, dir, dir, dir),
	       1, "not a ZisK proof from zisk-prove.sh");
	assert_int_equal(run("cd %s && tar -cf extra.tar vadcop_final_proof.bin ziskemu", dir), 0);
	expect(run(STANDINS "%s %s/st.bin %s/want.bin %s/extra.tar", dir, dir,
		   dir, verify_sh, dir, dir, dir),
	       1, "not a ZisK proof from zisk-prove.sh");

	/* a prover that fails, or leaves nothing: exit 1 */
	expect(run(STANDINS "STANDIN_BIN=%s/good.bin STANDIN_PROVE_FAIL=1 %s %s/guest.elf %s/input.bin %s/p2 %s/pub2",
		   dir, dir, dir, dir, prove_sh, dir, dir, dir, dir),
	       1, "cargo-zisk prove failed");
	expect(run(STANDINS "STANDIN_BIN=/nonexistent %s %s/guest.elf %s/input.bin %s/p3 %s/pub3",
		   dir, dir, dir, prove_sh, dir, dir, dir, dir),
	       1, "left no vadcop_final_proof.bin");
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
		cmocka_unit_test(test_arguments_and_missing_toolchain),
		cmocka_unit_test(test_prove_and_verify_with_standins),
	};

	if (argc != 3) {
		fprintf(stderr, "usage: %s ZISK-PROVE.SH ZISK-VERIFY.SH\n", argv[0]);
		return 2;
	}
	prove_sh = argv[1];
	verify_sh = argv[2];
	return cmocka_run_group_tests(tests, setup, teardown);
}
