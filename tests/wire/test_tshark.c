/* SPDX-License-Identifier: MIT */
/*
 * Interop: Wireshark's own MoldUDP64 dissector must decode every packet the
 * generator writes, with the sequence numbers and counts we meant.
 * Usage: test_tshark TSHARK_PATH (empty ⇒ tshark not installed ⇒ skip).
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "zkclob/gen.h"
#include "zkclob/wire.h"

static const char *tshark;

static void
test_tshark_decodes_generator(void **state)
{
	char dir[] = "/tmp/zkwire-tshark-XXXXXX";
	char path[128], cmd[512], line[256], err[256] = "";
	struct zk_gen_params p;
	struct zk_gen_stats st;
	uint64_t expect_seq = 1, packets = 0, msgs = 0, seq;
	unsigned int count;
	FILE *f;
	int eos = 0;

	(void)state;
	if (tshark == NULL || tshark[0] == '\0') {
		print_message("tshark not found; interop check skipped\n");
		skip();
	}
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/gen.pcap", dir);
	zk_gen_params_default(&p);
	p.count = 1001;
	p.markets = 2;
	p.msgs_per_packet = 8;
	if (zk_gen_write_pcap(&p, path, &st, err, sizeof(err)) != 0)
		fail_msg("%s", err);

	snprintf(cmd, sizeof(cmd),
		 "'%s' -n -r '%s' -d udp.port==%u,moldudp64 -T fields "
		 "-e moldudp64.sequence -e moldudp64.count 2>/dev/null",
		 tshark, path, (unsigned int)p.addr.dst_port);
	f = popen(cmd, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long long s;

		if (sscanf(line, "%llu %u", &s, &count) != 2)
			fail_msg("tshark did not decode a packet: '%s'", line);
		seq = s;
		assert_int_equal(seq, expect_seq);
		if (count == ZK_WIRE_MOLD_END_OF_SESSION) {
			assert_int_equal(eos, 0);
			eos = 1;
			continue;
		}
		assert_false(eos);
		assert_true(count >= 1 && count <= p.msgs_per_packet);
		expect_seq += count;
		msgs += count;
		packets++;
	}
	assert_int_equal(pclose(f), 0);
	assert_int_equal(packets, st.packets);
	assert_int_equal(packets, (p.count + 7) / 8);
	assert_int_equal(msgs, p.count);
	assert_int_equal(eos, 1);
	unlink(path);
	rmdir(dir);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tshark_decodes_generator),
	};
	int failed;

	tshark = argc > 1 ? argv[1] : NULL;
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	/* 77 makes meson report SKIP rather than a pass that checked nothing */
	if (failed == 0 && (tshark == NULL || tshark[0] == '\0'))
		return 77;
	return failed;
}
