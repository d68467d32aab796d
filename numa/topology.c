/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hwloc.h>

#include "topo.h"

void
zk_place_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

bool
zk_place_append(char *buf, size_t len, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*pos >= len)
		return false;
	va_start(ap, fmt);
	n = vsnprintf(buf + *pos, len - *pos, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len - *pos) {
		*pos = len;
		return false;
	}
	*pos += (size_t)n;
	return true;
}

static bool
has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/*
 * An existing file is XML; a string that looks like a path but names no
 * readable file is reported as such rather than handed to the synthetic
 * parser, whose error would only confuse.
 */
static int
set_source(hwloc_topology_t topo, const char *source, char *err,
	   size_t errlen)
{
	const char *xml = NULL;
	const char *synthetic = NULL;

	if (source == NULL || source[0] == '\0')
		return 0;
	if (has_prefix(source, "xml:"))
		xml = source + 4;
	else if (has_prefix(source, "synthetic:"))
		synthetic = source + 10;
	else if (access(source, R_OK) == 0)
		xml = source;
	else if (strchr(source, '/') != NULL ||
		 (strlen(source) > 4 &&
		  strcmp(source + strlen(source) - 4, ".xml") == 0))
		xml = source;
	else
		synthetic = source;

	if (xml != NULL) {
		if (access(xml, R_OK) != 0) {
			zk_place_err(err, errlen,
				     "topology file %s: %s", xml,
				     strerror(errno));
			return -1;
		}
		if (hwloc_topology_set_xml(topo, xml) != 0) {
			zk_place_err(err, errlen,
				     "topology file %s: not usable as hwloc XML",
				     xml);
			return -1;
		}
		return 0;
	}
	if (hwloc_topology_set_synthetic(topo, synthetic) != 0) {
		zk_place_err(err, errlen,
			     "synthetic topology \"%s\": hwloc cannot parse it",
			     synthetic);
		return -1;
	}
	return 0;
}

static int
fill_core(hwloc_topology_t topo, hwloc_obj_t obj, hwloc_const_bitmap_t usable,
	  struct zk_topo_core *c)
{
	hwloc_obj_t pu = NULL;
	hwloc_obj_t l3;
	int node;

	c->n_pu = 0;
	while ((pu = hwloc_get_next_obj_inside_cpuset_by_type(topo,
			obj->cpuset, HWLOC_OBJ_PU, pu)) != NULL) {
		if (usable != NULL && !hwloc_bitmap_isset(usable, pu->os_index))
			continue;
		/* More siblings than we track are never planned on. */
		if (c->n_pu < ZK_TOPO_MAX_SMT)
			c->pu[c->n_pu++] = (int)pu->os_index;
	}
	node = obj->nodeset != NULL ? hwloc_bitmap_first(obj->nodeset) : -1;
	c->node = node < 0 ? 0 : node;
	l3 = hwloc_get_ancestor_obj_by_type(topo, HWLOC_OBJ_L3CACHE, obj);
	c->l3 = l3 != NULL ? (int)l3->logical_index : -1;
	return c->n_pu > 0 ? 0 : -1;
}

static hwloc_obj_t
find_nic(hwloc_topology_t topo, const char *nic)
{
	hwloc_obj_t obj;

	obj = hwloc_get_pcidev_by_busidstring(topo, nic);
	if (obj != NULL)
		return obj;
	obj = NULL;
	while ((obj = hwloc_get_next_osdev(topo, obj)) != NULL) {
		if (obj->name != NULL && strcmp(obj->name, nic) == 0)
			return obj;
	}
	return NULL;
}

static int
locate_nic(hwloc_topology_t topo, const char *nic, struct zk_topo *t,
	   char *err, size_t errlen)
{
	hwloc_obj_t dev, anchor;

	t->nic = ZK_TOPO_NIC_NONE;
	t->nic_node = -1;
	if (nic == NULL || nic[0] == '\0')
		return 0;
	dev = find_nic(topo, nic);
	if (dev == NULL) {
		zk_place_err(err, errlen,
			     "NIC %s: no such PCI device or network interface in the topology",
			     nic);
		return -1;
	}
	anchor = hwloc_get_non_io_ancestor_obj(topo, dev);
	if (anchor != NULL && anchor->nodeset != NULL &&
	    hwloc_bitmap_weight(anchor->nodeset) == 1) {
		t->nic = ZK_TOPO_NIC_LOCAL;
		t->nic_node = hwloc_bitmap_first(anchor->nodeset);
	} else {
		t->nic = ZK_TOPO_NIC_SPANS_NODES;
	}
	return 0;
}

static void
count_nodes(hwloc_topology_t topo, struct zk_topo *t)
{
	hwloc_obj_t node = NULL;

	t->n_nodes = 0;
	t->max_node = 0;
	while ((node = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_NUMANODE,
						  node)) != NULL) {
		if ((int)node->os_index > t->max_node)
			t->max_node = (int)node->os_index;
		if (zk_topo_node_has_cores(t, (int)node->os_index))
			t->n_nodes++;
	}
	if (t->n_nodes == 0)
		t->n_nodes = 1;
}

static const char *const unused_components[] = {
	"pci", "opencl", "gl", "cuda", "nvml", "rsmi", "levelzero",
};

int
zk_topo_load(const char *source, const char *nic, struct zk_topo *t,
	     char *err, size_t errlen)
{
	hwloc_topology_t topo;
	hwloc_bitmap_t usable = NULL;
	hwloc_obj_type_t unit = HWLOC_OBJ_CORE;
	int n, i, rc = -1;

	memset(t, 0, sizeof(*t));
	if (hwloc_topology_init(&topo) != 0) {
		zk_place_err(err, errlen, "hwloc: cannot initialise: %s",
			     strerror(errno));
		return -1;
	}
	/* NIC locality comes from hwloc's I/O objects, off by default. */
	hwloc_topology_set_io_types_filter(topo,
					   HWLOC_TYPE_FILTER_KEEP_IMPORTANT);
	/*
	 * On Linux the sysfs backend already finds PCI devices and their
	 * locality; the libpciaccess plugin adds nothing we use and leaks on
	 * every load. GPU/co-processor plugins cost start-up time (driver
	 * init) for devices the plan never places anything on.
	 */
	for (size_t i = 0; i < sizeof(unused_components) /
			       sizeof(unused_components[0]); i++)
		hwloc_topology_set_components(topo,
			HWLOC_TOPOLOGY_COMPONENTS_FLAG_BLACKLIST,
			unused_components[i]);
	if (set_source(topo, source, err, errlen) != 0)
		goto out;
	if (hwloc_topology_load(topo) != 0) {
		zk_place_err(err, errlen, "hwloc: cannot load topology %s: %s",
			     source != NULL && source[0] != '\0' ?
				     source : "of this machine",
			     strerror(errno));
		goto out;
	}

	/*
	 * hwloc already drops cpus outside our cgroup; an operator's taskset
	 * narrows the process further, and the plan must stay inside it.
	 */
	t->this_machine = hwloc_topology_is_thissystem(topo) != 0;
	if (t->this_machine) {
		usable = hwloc_bitmap_alloc();
		if (usable != NULL &&
		    hwloc_get_cpubind(topo, usable, HWLOC_CPUBIND_PROCESS) != 0) {
			hwloc_bitmap_free(usable);
			usable = NULL;
		}
	}

	n = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
	if (n <= 0) {
		unit = HWLOC_OBJ_PU;
		n = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
	}
	if (n <= 0) {
		zk_place_err(err, errlen, "topology has no cpus");
		goto out;
	}
	t->core = calloc((size_t)n, sizeof(*t->core));
	if (t->core == NULL) {
		zk_place_err(err, errlen, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		hwloc_obj_t obj = hwloc_get_obj_by_type(topo, unit,
							(unsigned int)i);

		/* A core with no usable PU has nothing to run on. */
		if (obj == NULL ||
		    fill_core(topo, obj, usable, &t->core[t->n_cores]))
			continue;
		t->n_cpus += t->core[t->n_cores].n_pu;
		t->n_cores++;
	}
	if (t->n_cores == 0) {
		zk_place_err(err, errlen, "topology has no usable cpus");
		goto out;
	}
	count_nodes(topo, t);
	rc = locate_nic(topo, nic, t, err, errlen);
out:
	if (usable != NULL)
		hwloc_bitmap_free(usable);
	hwloc_topology_destroy(topo);
	if (rc != 0)
		zk_topo_free(t);
	return rc;
}

void
zk_topo_free(struct zk_topo *t)
{
	free(t->core);
	t->core = NULL;
	t->n_cores = 0;
}

bool
zk_topo_node_has_cores(const struct zk_topo *t, int node)
{
	unsigned int i;

	for (i = 0; i < t->n_cores; i++)
		if (t->core[i].node == node)
			return true;
	return false;
}
