/* SPDX-License-Identifier: MIT */
/* Applying a plan: pinning, node-local memory, DPDK EAL argument values. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <numa.h>

#include "zkclob/placement.h"
#include "topo.h"

int
zk_placement_pin_self(const struct zk_placement *plan, enum zk_role role,
		      int index, char *err, size_t errlen)
{
	const struct zk_role_placement *r;
	cpu_set_t set;
	unsigned int i;
	int rc;

	if (plan == NULL || (unsigned int)role >= ZK_ROLE_COUNT) {
		zk_place_err(err, errlen, "pin: no plan or unknown role %d",
			     (int)role);
		return -1;
	}
	if (!plan->this_machine) {
		zk_place_err(err, errlen,
			     "pin: the plan describes another topology, not this machine");
		return -1;
	}
	r = &plan->role[role];
	if (index >= (int)r->count) {
		zk_place_err(err, errlen, "pin: %s has %u threads, no thread %d",
			     zk_role_name(role), r->count, index);
		return -1;
	}
	CPU_ZERO(&set);
	for (i = 0; i < r->count; i++) {
		int cpu = r->cpu[i];

		if (index >= 0 && (unsigned int)index != i)
			continue;
		if (cpu < 0 || cpu >= CPU_SETSIZE) {
			zk_place_err(err, errlen,
				     "pin: cpu %d is outside what cpu_set_t holds (%d)",
				     cpu, CPU_SETSIZE);
			return -1;
		}
		CPU_SET(cpu, &set);
	}
	rc = pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	if (rc != 0) {
		zk_place_err(err, errlen, "pin: %s thread %d: %s",
			     zk_role_name(role), index, strerror(rc));
		return -1;
	}
	return 0;
}

static int numa_state = -1;
static pthread_once_t numa_once = PTHREAD_ONCE_INIT;

static void
probe_numa(void)
{
	numa_state = numa_available();
}

static bool
have_numa(void)
{
	pthread_once(&numa_once, probe_numa);
	return numa_state >= 0;
}

void *
zk_node_alloc(int node, size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *p = NULL;
	int rc;

	if (size == 0 || node < 0) {
		errno = EINVAL;
		return NULL;
	}
	if (have_numa()) {
		if (node > numa_max_node() ||
		    !numa_bitmask_isbitset(numa_all_nodes_ptr,
					   (unsigned int)node)) {
			errno = EINVAL;
			return NULL;
		}
		p = numa_alloc_onnode(size, node);
		if (p == NULL)
			errno = ENOMEM;
		return p;
	}
	/* Without kernel NUMA support there is one node, node 0. */
	if (node != 0) {
		errno = EINVAL;
		return NULL;
	}
	if (size > SIZE_MAX - page) {
		errno = ENOMEM;
		return NULL;
	}
	rc = posix_memalign(&p, page, (size + page - 1) / page * page);
	if (rc != 0) {
		errno = rc;
		return NULL;
	}
	return p;
}

void
zk_node_free(void *p, size_t size)
{
	if (p == NULL)
		return;
	if (have_numa())
		numa_free(p, size);
	else
		free(p);
}

void *
zk_placement_alloc(const struct zk_placement *plan, enum zk_role role,
		   unsigned int index, size_t size)
{
	if (plan == NULL || (unsigned int)role >= ZK_ROLE_COUNT ||
	    index >= plan->role[role].count || !plan->this_machine) {
		errno = EINVAL;
		return NULL;
	}
	return zk_node_alloc(plan->role[role].node[index], size);
}

int
zk_placement_eal_lcores(const struct zk_placement *plan, char *buf,
			size_t len)
{
	const struct zk_role_placement *rx = &plan->role[ZK_ROLE_RX];
	size_t pos = 0;
	unsigned int i;
	bool ok = true;

	if (buf == NULL || len == 0)
		return -1;
	buf[0] = '\0';
	for (i = 0; i < rx->count; i++)
		ok = ok && zk_place_append(buf, len, &pos, "%s%u@%d", i ? "," : "", i,
				  rx->cpu[i]);
	ok = ok && zk_place_append(buf, len, &pos, "%s%u@%d", rx->count ? "," : "",
			  rx->count, plan->role[ZK_ROLE_SEQUENCER].cpu[0]);
	return ok ? 0 : -1;
}

int
zk_placement_eal_socket_mem(const struct zk_placement *plan, unsigned int mb,
			    char *buf, size_t len)
{
	size_t pos = 0;
	bool ok = true;
	int node;

	if (buf == NULL || len == 0)
		return -1;
	buf[0] = '\0';
	for (node = 0; node <= plan->max_node; node++)
		ok = ok && zk_place_append(buf, len, &pos, "%s%u", node ? "," : "",
				  node == plan->rx_node ? mb : 0u);
	return ok ? 0 : -1;
}
