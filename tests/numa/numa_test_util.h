/* SPDX-License-Identifier: MIT */
/*
 * Shared by the placement tests: topology paths and the invariants every
 * plan must hold, checked against hwloc's own view of the same topology so
 * that a planner bug cannot hide behind the planner's own numbers.
 */
#ifndef ZKCLOB_TESTS_NUMA_UTIL_H
#define ZKCLOB_TESTS_NUMA_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <hwloc.h>

#include "zkclob/placement.h"

#define TOPO(name) ZK_TOPO_DIR "/" name

static inline struct zk_placement_request
request(unsigned int rx, unsigned int provers)
{
	struct zk_placement_request r = {
		.rx = rx,
		.provers = provers,
		.nic = NULL,
		.nic_node = ZK_PLACEMENT_NODE_DEFAULT,
	};

	return r;
}

/* Plans into a static buffer: a plan is several kilobytes. */
static inline const struct zk_placement *
plan_ok(const struct zk_placement_request *req, const char *source)
{
	static struct zk_placement plan;
	char err[256] = "";

	if (zk_placement_plan(req, source, &plan, err, sizeof(err)) != 0)
		fail_msg("plan for %s failed: %s", source ? source : "this machine",
			 err);
	return &plan;
}

static inline unsigned int
threads_on(const struct zk_placement *p, int cpu)
{
	unsigned int r, i, n = 0;

	for (r = 0; r < ZK_ROLE_COUNT; r++)
		for (i = 0; i < p->role[r].count; i++)
			n += p->role[r].cpu[i] == cpu;
	return n;
}

/* Every thread sits on a cpu hwloc knows, with the node hwloc gives it. */
static inline void
check_against_hwloc(const struct zk_placement *p, const char *xml)
{
	hwloc_topology_t topo;
	unsigned int r, i;

	assert_int_equal(hwloc_topology_init(&topo), 0);
	if (xml != NULL)
		assert_int_equal(hwloc_topology_set_xml(topo, xml), 0);
	assert_int_equal(hwloc_topology_load(topo), 0);
	/* This machine's plan may be narrower: taskset, cgroups. */
	if (xml != NULL)
		assert_int_equal(p->n_cpus,
				 hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU));
	else
		assert_true(p->n_cpus <= (unsigned int)
			    hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU));
	for (r = 0; r < ZK_ROLE_COUNT; r++) {
		assert_true(p->role[r].count >= 1);
		for (i = 0; i < p->role[r].count; i++) {
			hwloc_obj_t pu = hwloc_get_pu_obj_by_os_index(topo,
				(unsigned int)p->role[r].cpu[i]);

			assert_non_null(pu);
			assert_true(hwloc_bitmap_isset(pu->nodeset,
				(unsigned int)p->role[r].node[i]));
		}
	}
	assert_int_equal(p->role[ZK_ROLE_SEQUENCER].count, 1);
	assert_int_equal(p->role[ZK_ROLE_LOG_WRITER].count, 1);
	hwloc_topology_destroy(topo);
}

static inline bool
notes_mention(const struct zk_placement *p, const char *word)
{
	unsigned int i;

	for (i = 0; i < p->n_notes; i++)
		if (strstr(p->notes[i], word) != NULL)
			return true;
	return false;
}

#endif /* ZKCLOB_TESTS_NUMA_UTIL_H */
