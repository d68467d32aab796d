/* SPDX-License-Identifier: MIT */
/*
 * numa/ internal: the flat view of an hwloc topology that the planner
 * works on, so that planning is plain C over arrays and hwloc stays in
 * topology.c.
 *
 * Spec
 *  - cores[] is in hwloc logical order, which is stable for a given
 *    topology; that order is what makes plans deterministic.
 *  - A core lists its PUs (OS cpu ids), its NUMA node (OS id) and the
 *    logical index of the L3 it sits under (-1 when hwloc reports none).
 *  - Topologies without a Core level (some synthetic ones) get one core
 *    per PU.
 */
#ifndef ZKCLOB_NUMA_TOPO_H
#define ZKCLOB_NUMA_TOPO_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define ZK_TOPO_MAX_SMT 8

struct zk_topo_core {
	int pu[ZK_TOPO_MAX_SMT];
	unsigned int n_pu;
	int node;
	int l3;
};

enum zk_topo_nic {
	ZK_TOPO_NIC_NONE,        /* no NIC was asked for */
	ZK_TOPO_NIC_LOCAL,       /* nic_node holds its locality */
	ZK_TOPO_NIC_SPANS_NODES, /* attached above several nodes */
};

struct zk_topo {
	struct zk_topo_core *core;
	unsigned int n_cores;
	unsigned int n_cpus;
	unsigned int n_nodes; /* nodes that hold at least one core */
	int max_node;
	bool this_machine;
	enum zk_topo_nic nic;
	int nic_node;
};

int zk_topo_load(const char *source, const char *nic, struct zk_topo *t,
		 char *err, size_t errlen);
void zk_topo_free(struct zk_topo *t);
bool zk_topo_node_has_cores(const struct zk_topo *t, int node);

void zk_place_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* snprintf at buf + *pos; false (and *pos = len) once it no longer fits. */
bool zk_place_append(char *buf, size_t len, size_t *pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif /* ZKCLOB_NUMA_TOPO_H */
