/* SPDX-License-Identifier: MIT */
/*
 * Placement plans on committed topologies (tests/numa/topologies/, made with
 * lstopo-no-graphics --input "<synthetic>"; 2node_nic.xml is hand-edited to
 * hold two NICs): node choice, core sharing, prover spread, errors.
 */
#include "numa_test_util.h"

static void
test_one_node_gets_distinct_cores(void **state)
{
	struct zk_placement_request req = request(1, ZK_PLACEMENT_AUTO);
	const struct zk_placement *p;
	unsigned int i;

	(void)state;
	p = plan_ok(&req, TOPO("8core_1node.xml"));
	check_against_hwloc(p, TOPO("8core_1node.xml"));
	assert_int_equal(p->n_cores, 8);
	assert_int_equal(p->n_nodes, 1);
	assert_false(p->this_machine);
	assert_int_equal(p->rx_node_source, ZK_NIC_FROM_FIRST_CORE);
	/* cpu 0 is left to housekeeping, rx and sequencer get their own. */
	assert_int_equal(p->role[ZK_ROLE_RX].cpu[0], 1);
	assert_int_equal(p->role[ZK_ROLE_SEQUENCER].cpu[0], 2);
	/* 8 cores - rx - sequencer - log writer = 5 provers, none shared. */
	assert_int_equal(p->role[ZK_ROLE_PROVER].count, 5);
	for (i = 0; i < 8; i++)
		assert_int_equal(threads_on(p, (int)i), 1);
	assert_int_equal(p->n_notes, 0);
}

static void
test_two_nodes_smt_provers_take_whole_cores_off_rx_node(void **state)
{
	struct zk_placement_request req = request(2, ZK_PLACEMENT_AUTO);
	const struct zk_placement *p;
	const struct zk_role_placement *pr;
	unsigned int i;

	(void)state;
	p = plan_ok(&req, TOPO("2node_smt.xml"));
	check_against_hwloc(p, TOPO("2node_smt.xml"));
	assert_int_equal(p->n_cpus, 16);
	assert_int_equal(p->n_cores, 8);
	assert_int_equal(p->n_nodes, 2);
	assert_int_equal(p->rx_node, 0);
	for (i = 0; i < 2; i++)
		assert_int_equal(p->role[ZK_ROLE_RX].node[i], 0);
	assert_int_equal(p->role[ZK_ROLE_SEQUENCER].node[0], 0);
	pr = &p->role[ZK_ROLE_PROVER];
	/* Cores 0-3 on node 0 hold rx, rx, sequencer, log writer. */
	assert_int_equal(pr->count, 4);
	for (i = 0; i < pr->count; i++) {
		int cpu = pr->cpu[i];

		assert_int_equal(pr->node[i], 1);
		/* pu:2 numbers siblings 2k, 2k+1: a whole core is 2k, and
		 * its sibling stays idle. */
		assert_int_equal(cpu % 2, 0);
		assert_int_equal(threads_on(p, cpu + 1), 0);
		assert_int_equal(threads_on(p, cpu), 1);
	}
}

static void
test_smt_extra_provers_use_siblings_before_sharing(void **state)
{
	struct zk_placement_request req = request(1, 10);
	const struct zk_placement *p;
	const struct zk_role_placement *pr;
	unsigned int i;

	(void)state;
	/* 8 cores: rx, sequencer, then 6 whole cores, then 4 siblings. */
	p = plan_ok(&req, TOPO("2node_smt.xml"));
	check_against_hwloc(p, TOPO("2node_smt.xml"));
	pr = &p->role[ZK_ROLE_PROVER];
	assert_int_equal(pr->count, 10);
	for (i = 0; i < 6; i++)
		assert_int_equal(pr->cpu[i] % 2, 0);
	for (i = 6; i < 10; i++)
		assert_int_equal(pr->cpu[i] % 2, 1);
	for (i = 0; i < pr->count; i++)
		assert_int_equal(threads_on(p, pr->cpu[i]), 1);
	assert_true(notes_mention(p, "hyperthread siblings"));
	/* All whole cores went to provers; the log writer takes one of the
	 * two siblings left on prover cores, not a cpu of its own core. */
	assert_int_equal(p->role[ZK_ROLE_LOG_WRITER].cpu[0] % 2, 1);
	assert_int_equal(threads_on(p, p->role[ZK_ROLE_LOG_WRITER].cpu[0]), 1);
	assert_true(notes_mention(p, "log writer on cpu"));

	/* 16 provers: 14 free cpus, so two share, and so does the log writer. */
	req.provers = 16;
	p = plan_ok(&req, TOPO("2node_smt.xml"));
	check_against_hwloc(p, TOPO("2node_smt.xml"));
	assert_int_equal(p->role[ZK_ROLE_PROVER].count, 16);
	assert_int_equal(threads_on(p, p->role[ZK_ROLE_LOG_WRITER].cpu[0]), 3);
	assert_true(notes_mention(p, "2 provers share cpus with other threads: 16 asked for, more than the 14 cpus"));
}

static void
test_four_nodes_provers_spread_over_other_nodes(void **state)
{
	struct zk_placement_request req = request(1, 3);
	const struct zk_placement *p;
	const struct zk_role_placement *pr;
	bool seen[4] = { false, false, false, false };
	unsigned int i;

	(void)state;
	p = plan_ok(&req, TOPO("4node.xml"));
	check_against_hwloc(p, TOPO("4node.xml"));
	assert_int_equal(p->n_nodes, 4);
	assert_int_equal(p->max_node, 3);
	pr = &p->role[ZK_ROLE_PROVER];
	assert_int_equal(pr->count, 3);
	for (i = 0; i < pr->count; i++) {
		assert_in_range(pr->node[i], 1, 3);
		assert_false(seen[pr->node[i]]);
		seen[pr->node[i]] = true;
	}

	req.provers = ZK_PLACEMENT_AUTO;
	p = plan_ok(&req, TOPO("4node.xml"));
	pr = &p->role[ZK_ROLE_PROVER];
	/* 16 cores: rx, sequencer and log writer take 3, all on node 0. */
	assert_int_equal(pr->count, 13);
	assert_int_equal(p->role[ZK_ROLE_LOG_WRITER].node[0], 0);
	/* Node 0 gets a prover only after nodes 1-3 are full. */
	for (i = 0; i < 12; i++)
		assert_int_not_equal(pr->node[i], 0);
	assert_int_equal(pr->node[12], 0);
}

static void
test_nic_pci_locality_decides_rx_node(void **state)
{
	struct zk_placement_request req = request(1, ZK_PLACEMENT_AUTO);
	const struct zk_placement *p;
	const struct zk_role_placement *pr;
	unsigned int i;

	(void)state;
	req.nic = "0000:81:00.0";
	p = plan_ok(&req, TOPO("2node_nic.xml"));
	check_against_hwloc(p, TOPO("2node_nic.xml"));
	assert_int_equal(p->rx_node, 1);
	assert_int_equal(p->rx_node_source, ZK_NIC_FROM_PCI);
	assert_int_equal(p->role[ZK_ROLE_RX].node[0], 1);
	assert_int_equal(p->role[ZK_ROLE_SEQUENCER].node[0], 1);
	assert_int_not_equal(p->role[ZK_ROLE_RX].cpu[0],
			     p->role[ZK_ROLE_SEQUENCER].cpu[0]);
	pr = &p->role[ZK_ROLE_PROVER];
	for (i = 0; i < 4; i++)
		assert_int_equal(pr->node[i], 0);

	/* The same NIC named by its interface. */
	req.nic = "ens1f0";
	p = plan_ok(&req, TOPO("2node_nic.xml"));
	assert_int_equal(p->rx_node, 1);
	assert_int_equal(p->rx_node_source, ZK_NIC_FROM_PCI);
}

static void
test_nic_without_locality_falls_back(void **state)
{
	struct zk_placement_request req = request(1, ZK_PLACEMENT_AUTO);
	const struct zk_placement *p;

	(void)state;
	/* eth0 hangs off the machine, above both nodes. */
	req.nic = "0000:00:03.0";
	p = plan_ok(&req, TOPO("2node_nic.xml"));
	assert_int_equal(p->rx_node, 0);
	assert_int_equal(p->rx_node_source, ZK_NIC_FROM_FIRST_CORE);
	assert_true(notes_mention(p, "several NUMA nodes"));

	req.nic_node = 1;
	p = plan_ok(&req, TOPO("2node_nic.xml"));
	assert_int_equal(p->rx_node, 1);
	assert_int_equal(p->rx_node_source, ZK_NIC_FROM_CONFIG);
	assert_int_equal(p->role[ZK_ROLE_RX].node[0], 1);
}

static void
test_configured_node_without_nic(void **state)
{
	struct zk_placement_request req = request(2, ZK_PLACEMENT_AUTO);
	const struct zk_placement *p;
	unsigned int i;

	(void)state;
	req.nic_node = 2;
	p = plan_ok(&req, TOPO("4node.xml"));
	check_against_hwloc(p, TOPO("4node.xml"));
	assert_int_equal(p->rx_node, 2);
	assert_int_equal(p->rx_node_source, ZK_NIC_FROM_CONFIG);
	for (i = 0; i < 2; i++)
		assert_int_equal(p->role[ZK_ROLE_RX].node[i], 2);
	assert_int_equal(p->role[ZK_ROLE_SEQUENCER].node[0], 2);
	for (i = 0; i < 12; i++)
		assert_int_not_equal(p->role[ZK_ROLE_PROVER].node[i], 2);
}

static void
test_two_core_box_shares_and_says_why(void **state)
{
	struct zk_placement_request req = request(1, ZK_PLACEMENT_AUTO);
	const struct zk_placement *p;

	(void)state;
	p = plan_ok(&req, TOPO("2core_1node.xml"));
	check_against_hwloc(p, TOPO("2core_1node.xml"));
	assert_int_equal(p->role[ZK_ROLE_RX].cpu[0], 0);
	assert_int_equal(p->role[ZK_ROLE_SEQUENCER].cpu[0], 0);
	assert_int_equal(p->role[ZK_ROLE_PROVER].count, 1);
	assert_int_equal(p->role[ZK_ROLE_PROVER].cpu[0], 1);
	assert_int_equal(p->role[ZK_ROLE_LOG_WRITER].cpu[0], 1);
	assert_true(notes_mention(p, "rx+sequencer share cpu 0"));
	assert_true(notes_mention(p, "log writer shares cpu 1"));

	/* Two rx lcores fill both cores; everything else still lands. */
	req.rx = 2;
	p = plan_ok(&req, TOPO("2core_1node.xml"));
	check_against_hwloc(p, TOPO("2core_1node.xml"));
	assert_int_not_equal(p->role[ZK_ROLE_RX].cpu[0],
			     p->role[ZK_ROLE_RX].cpu[1]);
	assert_int_equal(p->role[ZK_ROLE_PROVER].count, 1);
	assert_true(p->n_notes >= 2);
}

static void
test_single_cpu_still_plans(void **state)
{
	struct zk_placement_request req = request(1, ZK_PLACEMENT_AUTO);
	const struct zk_placement *p;
	unsigned int r;

	(void)state;
	p = plan_ok(&req, "synthetic:pack:1 core:1 pu:1");
	for (r = 0; r < ZK_ROLE_COUNT; r++)
		assert_int_equal(p->role[r].cpu[0], 0);
	assert_int_equal(threads_on(p, 0), 4);

	/* With a sibling the sequencer leaves rx's cpu. */
	p = plan_ok(&req, "pack:1 core:1 pu:2");
	assert_int_equal(p->role[ZK_ROLE_RX].cpu[0], 0);
	assert_int_equal(p->role[ZK_ROLE_SEQUENCER].cpu[0], 1);
	assert_true(notes_mention(p, "hyperthread sibling"));
}

static void
expect_error(const struct zk_placement_request *req, const char *source,
	     const char *needle)
{
	struct zk_placement plan;
	char err[256] = "";

	memset(&plan, 0xa5, sizeof(plan));
	assert_int_equal(zk_placement_plan(req, source, &plan, err,
					   sizeof(err)), -1);
	if (strstr(err, needle) == NULL)
		fail_msg("error \"%s\" does not mention \"%s\"", err, needle);
	/* A failed plan holds nothing a caller could mistake for cpus. */
	assert_int_equal(plan.role[ZK_ROLE_RX].count, 0);
	assert_int_equal(plan.role[ZK_ROLE_PROVER].count, 0);
}

static void
test_invalid_requests_are_refused_clearly(void **state)
{
	struct zk_placement_request req = request(3, ZK_PLACEMENT_AUTO);

	(void)state;
	expect_error(&req, TOPO("2core_1node.xml"),
		     "3 asked for, but the topology has only 2 cores");
	req.rx = 0;
	expect_error(&req, TOPO("2core_1node.xml"), "at least 1");
	req = request(1, 17);
	expect_error(&req, TOPO("2node_smt.xml"), "only 16 cpus");
	req = request(1, ZK_PLACEMENT_AUTO);
	req.nic_node = 7;
	expect_error(&req, TOPO("4node.xml"), "NUMA node 7: no such node");
	req.nic_node = -5;
	expect_error(&req, TOPO("4node.xml"), "NUMA node -5");
	req = request(1, ZK_PLACEMENT_AUTO);
	req.nic = "0000:99:00.0";
	expect_error(&req, TOPO("2node_nic.xml"), "NIC 0000:99:00.0");
	req.nic = NULL;
	expect_error(&req, TOPO("missing.xml"), "missing.xml");
	expect_error(&req, "no such description", "synthetic topology");
}

static void
test_same_input_same_plan(void **state)
{
	static const char *const topologies[] = {
		"2core_1node.xml", "8core_1node.xml", "2node_smt.xml",
		"4node.xml", "2node_nic.xml",
	};
	static struct zk_placement a, b;
	struct zk_placement_request req = request(1, ZK_PLACEMENT_AUTO);
	char path[512], err[256];
	unsigned int i, rx;

	(void)state;
	for (i = 0; i < sizeof(topologies) / sizeof(topologies[0]); i++) {
		snprintf(path, sizeof(path), "%s", ZK_TOPO_DIR "/");
		strncat(path, topologies[i], sizeof(path) - strlen(path) - 1);
		for (rx = 1; rx <= 2; rx++) {
			req.rx = rx;
			memset(&a, 0x11, sizeof(a));
			memset(&b, 0x22, sizeof(b));
			assert_int_equal(zk_placement_plan(&req, path, &a, err,
							   sizeof(err)), 0);
			assert_int_equal(zk_placement_plan(&req, path, &b, err,
							   sizeof(err)), 0);
			assert_memory_equal(&a, &b, sizeof(a));
			check_against_hwloc(&a, path);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_node_gets_distinct_cores),
		cmocka_unit_test(test_two_nodes_smt_provers_take_whole_cores_off_rx_node),
		cmocka_unit_test(test_smt_extra_provers_use_siblings_before_sharing),
		cmocka_unit_test(test_four_nodes_provers_spread_over_other_nodes),
		cmocka_unit_test(test_nic_pci_locality_decides_rx_node),
		cmocka_unit_test(test_nic_without_locality_falls_back),
		cmocka_unit_test(test_configured_node_without_nic),
		cmocka_unit_test(test_two_core_box_shares_and_says_why),
		cmocka_unit_test(test_single_cpu_still_plans),
		cmocka_unit_test(test_invalid_requests_are_refused_clearly),
		cmocka_unit_test(test_same_input_same_plan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
