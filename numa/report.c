/* SPDX-License-Identifier: MIT */
/* The plan as the start-up log line block and as Prometheus gauges. */
#include <stdio.h>
#include <string.h>

#include "zkclob/placement.h"
#include "topo.h"

static const char *
source_name(enum zk_nic_source s)
{
	switch (s) {
	case ZK_NIC_FROM_PCI:
		return "pci";
	case ZK_NIC_FROM_CONFIG:
		return "config";
	case ZK_NIC_FROM_FIRST_CORE:
		break;
	}
	return "first_core";
}

/* Number of threads of every role placed on `cpu`. */
static unsigned int
threads_on_cpu(const struct zk_placement *plan, int cpu)
{
	unsigned int r, i, n = 0;

	for (r = 0; r < ZK_ROLE_COUNT; r++)
		for (i = 0; i < plan->role[r].count; i++)
			n += plan->role[r].cpu[i] == cpu;
	return n;
}

/* cpus that hold more than one thread, each counted once. */
static unsigned int
shared_cpus(const struct zk_placement *plan)
{
	unsigned int r, i, rr, ii, n = 0;

	for (r = 0; r < ZK_ROLE_COUNT; r++)
		for (i = 0; i < plan->role[r].count; i++) {
			int cpu = plan->role[r].cpu[i];
			bool first = true;

			for (rr = 0; rr <= r && first; rr++)
				for (ii = 0; ii < (rr == r ? i : plan->role[rr].count); ii++)
					if (plan->role[rr].cpu[ii] == cpu) {
						first = false;
						break;
					}
			n += first && threads_on_cpu(plan, cpu) > 1;
		}
	return n;
}

void
zk_placement_print(const struct zk_placement *plan, FILE *f)
{
	unsigned int r, i;

	fprintf(f, "placement: %u cpus, %u cores, %u NUMA nodes (%s)\n",
		plan->n_cpus, plan->n_cores, plan->n_nodes,
		plan->this_machine ? "this machine" : "topology description");
	fprintf(f, "placement: rx node %d (from %s%s%s)\n", plan->rx_node,
		plan->rx_node_source == ZK_NIC_FROM_PCI ? "NIC " :
		plan->rx_node_source == ZK_NIC_FROM_CONFIG ? "configured node" :
							     "first core",
		plan->rx_node_source == ZK_NIC_FROM_PCI ? plan->nic : "",
		plan->rx_node_source != ZK_NIC_FROM_PCI && plan->nic[0] ?
			", NIC locality unknown" : "");
	for (r = 0; r < ZK_ROLE_COUNT; r++) {
		const struct zk_role_placement *rp = &plan->role[r];

		fprintf(f, "placement: %-10s x%-3u", zk_role_name(r),
			rp->count);
		for (i = 0; i < rp->count; i++)
			fprintf(f, " cpu %d/node %d%s", rp->cpu[i],
				rp->node[i],
				threads_on_cpu(plan, rp->cpu[i]) > 1 ?
					" (shared)" : "");
		fputc('\n', f);
	}
	for (i = 0; i < plan->n_notes; i++)
		fprintf(f, "placement: note: %s\n", plan->notes[i]);
}

int
zk_placement_to_metrics(const struct zk_placement *plan, char *buf,
			size_t len)
{
	size_t pos = 0;
	unsigned int r, i;
	bool ok = true;

	if (buf == NULL || len == 0)
		return -1;
	buf[0] = '\0';
	ok = ok && zk_place_append(buf, len, &pos,
		"# HELP zkclob_placement_thread Pinned thread of a role: 1 per thread, labelled with its cpu and NUMA node.\n"
		"# TYPE zkclob_placement_thread gauge\n");
	for (r = 0; r < ZK_ROLE_COUNT; r++)
		for (i = 0; i < plan->role[r].count; i++)
			ok = ok && zk_place_append(buf, len, &pos,
				"zkclob_placement_thread{role=\"%s\",thread=\"%u\",cpu=\"%d\",node=\"%d\"} 1\n",
				zk_role_name(r), i, plan->role[r].cpu[i],
				plan->role[r].node[i]);
	ok = ok && zk_place_append(buf, len, &pos,
		"# HELP zkclob_placement_role_threads Threads the plan grants each role.\n"
		"# TYPE zkclob_placement_role_threads gauge\n");
	for (r = 0; r < ZK_ROLE_COUNT; r++)
		ok = ok && zk_place_append(buf, len, &pos,
			"zkclob_placement_role_threads{role=\"%s\"} %u\n",
			zk_role_name(r), plan->role[r].count);
	ok = ok && zk_place_append(buf, len, &pos,
		"# HELP zkclob_placement_rx_node NUMA node of the rx lcores, labelled with where it came from.\n"
		"# TYPE zkclob_placement_rx_node gauge\n"
		"zkclob_placement_rx_node{source=\"%s\"} %d\n"
		"# HELP zkclob_placement_shared_cpus cpus that hold more than one pinned thread.\n"
		"# TYPE zkclob_placement_shared_cpus gauge\n"
		"zkclob_placement_shared_cpus %u\n"
		"# HELP zkclob_topology_cpus Usable cpus (hardware threads).\n"
		"# TYPE zkclob_topology_cpus gauge\n"
		"zkclob_topology_cpus %u\n"
		"# HELP zkclob_topology_cores Physical cores.\n"
		"# TYPE zkclob_topology_cores gauge\n"
		"zkclob_topology_cores %u\n"
		"# HELP zkclob_topology_numa_nodes NUMA nodes with cpus.\n"
		"# TYPE zkclob_topology_numa_nodes gauge\n"
		"zkclob_topology_numa_nodes %u\n",
		source_name(plan->rx_node_source), plan->rx_node,
		shared_cpus(plan), plan->n_cpus, plan->n_cores,
		plan->n_nodes);
	return ok ? (int)pos : -1;
}
