/* SPDX-License-Identifier: MIT */
/*
 * zkclob — placement plan: which cpu and NUMA node each pinned thread of the
 * appliance runs on (DESIGN.md §2), built from an hwloc topology, plus the
 * helpers that apply it (pinning, node-local memory, DPDK EAL arguments).
 *
 * Spec
 *  - Roles: rx lcores (count requested, >= 1), one sequencer, one proof-log
 *    writer, prover workers (count requested or ZK_PLACEMENT_AUTO = one per
 *    whole core left over).
 *  - rx runs on the NIC's NUMA node: the node of the NIC's PCI device when
 *    the request names one and hwloc knows its locality, else the requested
 *    node, else the node of the first core.
 *  - The sequencer gets its own core on the rx node, sharing L3 with rx[0]
 *    when it can; the log writer's light load makes it the best neighbour for
 *    the hot path, so it takes a left-over rx-node core; provers take whole
 *    cores, other nodes first, before any hyperthread sibling.
 *  - It never fails for lack of cores: roles then share cpus, and every
 *    sharing decision is written to notes[] with its reason. Errors are kept
 *    for bad requests (zero or too many rx, unknown node or NIC, more provers
 *    than cpus) and unreadable topologies.
 *  - Deterministic: the same topology and request give the same plan.
 *  - cpu ids are OS cpu numbers, nodes OS NUMA node numbers, as used by
 *    sched_setaffinity(2), libnuma and DPDK.
 */
#ifndef ZKCLOB_PLACEMENT_H
#define ZKCLOB_PLACEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum zk_role {
	ZK_ROLE_RX = 0,
	ZK_ROLE_SEQUENCER,
	ZK_ROLE_LOG_WRITER,
	ZK_ROLE_PROVER,
	ZK_ROLE_COUNT
};

#define ZK_PLACEMENT_AUTO 0u          /* provers: one per whole core left */
#define ZK_PLACEMENT_NODE_DEFAULT (-1) /* nic_node: node of the first core */
#define ZK_PLACEMENT_MAX_THREADS 256  /* per role */
#define ZK_PLACEMENT_MAX_NOTES 12
#define ZK_PLACEMENT_NOTE_LEN 160

struct zk_placement_request {
	unsigned int rx;      /* rx lcores, >= 1 */
	unsigned int provers; /* ZK_PLACEMENT_AUTO or an explicit count */
	/* NIC as a PCI address ("0000:81:00.0") or an interface name known
	 * to hwloc ("ens1f0"); NULL or "" when there is none (vdevs). */
	const char *nic;
	int nic_node;         /* used when nic is unset or has no locality */
};

enum zk_nic_source {
	ZK_NIC_FROM_PCI,        /* locality of the NIC's PCI device */
	ZK_NIC_FROM_CONFIG,     /* request.nic_node */
	ZK_NIC_FROM_FIRST_CORE, /* default: node of the first core */
};

struct zk_role_placement {
	unsigned int count;                     /* threads of this role */
	int cpu[ZK_PLACEMENT_MAX_THREADS];      /* OS cpu id of thread i */
	int node[ZK_PLACEMENT_MAX_THREADS];     /* NUMA node of that cpu */
};

struct zk_placement {
	struct zk_role_placement role[ZK_ROLE_COUNT];
	int rx_node;                   /* node rx lcores and their rings use */
	enum zk_nic_source rx_node_source;
	char nic[32];                  /* request.nic, "" when none */
	bool this_machine;             /* built from the running machine */
	unsigned int n_cpus;           /* usable cpus (hwloc PUs) */
	unsigned int n_cores;          /* physical cores */
	unsigned int n_nodes;          /* NUMA nodes with cpus */
	int max_node;                  /* highest NUMA node id */
	unsigned int n_notes;
	char notes[ZK_PLACEMENT_MAX_NOTES][ZK_PLACEMENT_NOTE_LEN];
};

/*
 * Build a plan. source: NULL or "" = this machine; otherwise an hwloc XML
 * file (an existing path, or "xml:PATH") or a synthetic description
 * ("synthetic:pack:2 core:4 pu:2", or the bare description when no such
 * file exists). Returns 0, or -1 with a message in err.
 */
int zk_placement_plan(const struct zk_placement_request *req,
		      const char *source, struct zk_placement *out,
		      char *err, size_t errlen);

const char *zk_role_name(enum zk_role role);

/* Human-readable plan for the start-up log. */
void zk_placement_print(const struct zk_placement *plan, FILE *f);

/*
 * Prometheus text exposition of the plan (gauges per role/thread/cpu/node
 * and the machine's shape). Returns the length written (excluding the NUL),
 * or -1 when buf is too small.
 */
int zk_placement_to_metrics(const struct zk_placement *plan, char *buf,
			    size_t len);

/*
 * Pin the calling thread to thread `index` of `role`, or to every cpu of the
 * role when index < 0. Only plans built from this machine can be applied.
 * Returns 0, or -1 with a message in err.
 */
int zk_placement_pin_self(const struct zk_placement *plan, enum zk_role role,
			  int index, char *err, size_t errlen);

/*
 * Page-aligned memory bound to NUMA node `node` when libnuma works here
 * (numa_available() >= 0), plain page-aligned memory otherwise. Returns NULL
 * with errno set on failure (EINVAL: size 0 or a node this machine lacks).
 * Free with zk_node_free() and the same size.
 */
void *zk_node_alloc(int node, size_t size);
void zk_node_free(void *p, size_t size);

/* Node-local scratch for thread `index` of `role`. */
void *zk_placement_alloc(const struct zk_placement *plan, enum zk_role role,
			 unsigned int index, size_t size);

/*
 * DPDK EAL argument values for the rx + sequencer lcores (no DPDK needed):
 *  - lcores: the value of --lcores, "0@4,1@5,2@6": lcore i < rx is rx
 *    queue i's thread, lcore rx is the sequencer; lcores that share a cpu
 *    keep distinct ids. lcore 0 is the EAL main lcore.
 *  - socket_mem: the value of --socket-mem, `mb` megabytes on the rx node
 *    and 0 elsewhere ("0,1024"). Not valid together with --no-huge.
 * Return 0, or -1 when buf is too small.
 */
int zk_placement_eal_lcores(const struct zk_placement *plan, char *buf,
			    size_t len);
int zk_placement_eal_socket_mem(const struct zk_placement *plan,
				unsigned int mb, char *buf, size_t len);

#endif /* ZKCLOB_PLACEMENT_H */
