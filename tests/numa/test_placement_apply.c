/* SPDX-License-Identifier: MIT */
/*
 * Applying a plan on this machine (pinning, node-local memory) and its
 * outputs (EAL arguments, start-up print, Prometheus text).
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <numa.h>
#include <numaif.h>

#include "numa_test_util.h"

static void
test_plan_for_this_machine_fits_its_affinity(void **state)
{
	struct zk_placement_request req = request(1, ZK_PLACEMENT_AUTO);
	const struct zk_placement *p;
	cpu_set_t allowed;
	unsigned int r, i;

	(void)state;
	p = plan_ok(&req, NULL);
	assert_true(p->this_machine);
	check_against_hwloc(p, NULL);
	assert_int_equal(sched_getaffinity(0, sizeof(allowed), &allowed), 0);
	for (r = 0; r < ZK_ROLE_COUNT; r++)
		for (i = 0; i < p->role[r].count; i++)
			assert_true(CPU_ISSET(p->role[r].cpu[i], &allowed));
}

/* The NIC path on real I/O objects: any PCI network device hwloc sees. */
static void
test_nic_of_this_machine_is_found(void **state)
{
	struct zk_placement_request req = request(1, ZK_PLACEMENT_AUTO);
	const struct zk_placement *p;
	hwloc_topology_t topo;
	hwloc_obj_t dev = NULL;
	char busid[32] = "";

	(void)state;
	assert_int_equal(hwloc_topology_init(&topo), 0);
	hwloc_topology_set_io_types_filter(topo,
					   HWLOC_TYPE_FILTER_KEEP_IMPORTANT);
	hwloc_topology_set_components(topo,
		HWLOC_TOPOLOGY_COMPONENTS_FLAG_BLACKLIST, "pci");
	assert_int_equal(hwloc_topology_load(topo), 0);
	while ((dev = hwloc_get_next_pcidev(topo, dev)) != NULL) {
		if (dev->attr->pcidev.class_id >> 8 == 0x02) {
			snprintf(busid, sizeof(busid), "%04x:%02x:%02x.%01x",
				 dev->attr->pcidev.domain, dev->attr->pcidev.bus,
				 dev->attr->pcidev.dev, dev->attr->pcidev.func);
			break;
		}
	}
	hwloc_topology_destroy(topo);
	if (busid[0] == '\0')
		skip();
	req.nic = busid;
	p = plan_ok(&req, NULL);
	assert_string_equal(p->nic, busid);
	/* Either hwloc knows the node, or the plan says it fell back. */
	if (p->rx_node_source == ZK_NIC_FROM_PCI)
		assert_int_equal(p->role[ZK_ROLE_RX].node[0], p->rx_node);
	else
		assert_true(notes_mention(p, "several NUMA nodes"));
}

static void
test_pin_self_sets_affinity(void **state)
{
	struct zk_placement_request req = request(1, ZK_PLACEMENT_AUTO);
	const struct zk_placement *p;
	cpu_set_t saved, now;
	char err[256] = "";
	unsigned int r, i;

	(void)state;
	p = plan_ok(&req, NULL);
	assert_int_equal(sched_getaffinity(0, sizeof(saved), &saved), 0);
	for (r = 0; r < ZK_ROLE_COUNT; r++) {
		const struct zk_role_placement *rp = &p->role[r];

		for (i = 0; i < rp->count; i++) {
			assert_int_equal(zk_placement_pin_self(p, r, (int)i,
					 err, sizeof(err)), 0);
			assert_int_equal(sched_getaffinity(0, sizeof(now), &now),
					 0);
			assert_int_equal(CPU_COUNT(&now), 1);
			assert_true(CPU_ISSET(rp->cpu[i], &now));
			assert_int_equal(sched_getcpu(), rp->cpu[i]);
		}
	}
	/* index -1: the whole role's set. */
	assert_int_equal(zk_placement_pin_self(p, ZK_ROLE_PROVER, -1, err,
					       sizeof(err)), 0);
	assert_int_equal(sched_getaffinity(0, sizeof(now), &now), 0);
	for (i = 0; i < p->role[ZK_ROLE_PROVER].count; i++)
		assert_true(CPU_ISSET(p->role[ZK_ROLE_PROVER].cpu[i], &now));
	assert_int_equal(sched_setaffinity(0, sizeof(saved), &saved), 0);
}

static void
test_pin_refuses_what_it_cannot_apply(void **state)
{
	struct zk_placement_request req = request(1, ZK_PLACEMENT_AUTO);
	const struct zk_placement *p;
	char err[256] = "";

	(void)state;
	p = plan_ok(&req, NULL);
	assert_int_equal(zk_placement_pin_self(p, ZK_ROLE_SEQUENCER, 1, err,
					       sizeof(err)), -1);
	assert_non_null(strstr(err, "no thread 1"));
	assert_int_equal(zk_placement_pin_self(p, ZK_ROLE_COUNT, 0, err,
					       sizeof(err)), -1);

	p = plan_ok(&req, TOPO("4node.xml"));
	assert_int_equal(zk_placement_pin_self(p, ZK_ROLE_RX, 0, err,
					       sizeof(err)), -1);
	assert_non_null(strstr(err, "not this machine"));
}

static void
test_node_local_alloc_and_free(void **state)
{
	struct zk_placement_request req = request(1, ZK_PLACEMENT_AUTO);
	const struct zk_placement *p;
	size_t size = (1u << 20) + 123;
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *mem;
	size_t i;

	(void)state;
	p = plan_ok(&req, NULL);
	mem = zk_placement_alloc(p, ZK_ROLE_PROVER, 0, size);
	assert_non_null(mem);
	assert_int_equal((uintptr_t)mem % (uintptr_t)page, 0);
	for (i = 0; i < size; i++)
		mem[i] = (unsigned char)i;
	for (i = 0; i < size; i += 4093)
		assert_int_equal(mem[i], (unsigned char)i);
	if (numa_available() >= 0) {
		int node = -1;

		assert_int_equal(get_mempolicy(&node, NULL, 0, mem,
					       MPOL_F_NODE | MPOL_F_ADDR), 0);
		assert_int_equal(node, p->role[ZK_ROLE_PROVER].node[0]);
	}
	zk_node_free(mem, size);
	zk_node_free(NULL, size);

	errno = 0;
	assert_null(zk_node_alloc(0, 0));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(zk_node_alloc(4096, 64));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(zk_placement_alloc(p, ZK_ROLE_SEQUENCER, 1, 64));
	assert_int_equal(errno, EINVAL);
}

static void
test_eal_arguments(void **state)
{
	struct zk_placement_request req = request(2, ZK_PLACEMENT_AUTO);
	const struct zk_placement *p;
	char buf[64];

	(void)state;
	req.nic = "0000:81:00.0";
	p = plan_ok(&req, TOPO("2node_nic.xml"));
	assert_int_equal(zk_placement_eal_lcores(p, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0@4,1@5,2@6");
	assert_int_equal(zk_placement_eal_socket_mem(p, 1024, buf,
						     sizeof(buf)), 0);
	assert_string_equal(buf, "0,1024");
	assert_int_equal(zk_placement_eal_lcores(p, buf, 6), -1);
	assert_int_equal(zk_placement_eal_socket_mem(p, 1024, buf, 4), -1);

	/* rx and sequencer sharing a cpu keep distinct lcore ids. */
	req = request(1, ZK_PLACEMENT_AUTO);
	p = plan_ok(&req, TOPO("2core_1node.xml"));
	assert_int_equal(zk_placement_eal_lcores(p, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0@0,1@0");
	assert_int_equal(zk_placement_eal_socket_mem(p, 512, buf,
						     sizeof(buf)), 0);
	assert_string_equal(buf, "512");
}

static void
test_print_names_roles_and_sharing(void **state)
{
	struct zk_placement_request req = request(1, ZK_PLACEMENT_AUTO);
	const struct zk_placement *p;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	p = plan_ok(&req, TOPO("2core_1node.xml"));
	f = open_memstream(&text, &len);
	assert_non_null(f);
	zk_placement_print(p, f);
	assert_int_equal(fclose(f), 0);
	assert_non_null(strstr(text, "2 cpus, 2 cores, 1 NUMA nodes"));
	assert_non_null(strstr(text, "sequencer  x1   cpu 0/node 0 (shared)"));
	assert_non_null(strstr(text, "note: rx+sequencer share cpu 0"));
	free(text);
}

/* Prometheus text format 0.0.4, the parts we emit. */
static bool
metric_name(const char **s)
{
	const char *c = *s;

	if (!isalpha((unsigned char)*c) && *c != '_' && *c != ':')
		return false;
	while (isalnum((unsigned char)*c) || *c == '_' || *c == ':')
		c++;
	*s = c;
	return true;
}

static void
check_sample(const char *line, const char *typed)
{
	const char *c = line, *name_end;
	char *end;

	assert_true(metric_name(&c));
	name_end = c;
	if (strlen(typed) != (size_t)(name_end - line) ||
	    strncmp(line, typed, strlen(typed)) != 0)
		fail_msg("sample without its # TYPE: %s", line);
	if (*c == '{') {
		c++;
		while (*c != '}') {
			assert_true(isalpha((unsigned char)*c) || *c == '_');
			while (isalnum((unsigned char)*c) || *c == '_')
				c++;
			assert_int_equal(*c++, '=');
			assert_int_equal(*c++, '"');
			while (*c != '"') {
				assert_true(*c != '\0' && *c != '\\' &&
					    *c != '\n');
				c++;
			}
			c++;
			if (*c == ',')
				c++;
			else
				assert_int_equal(*c, '}');
		}
		c++;
	}
	assert_int_equal(*c++, ' ');
	strtod(c, &end);
	if (end == c || *end != '\0')
		fail_msg("bad sample value: %s", line);
}

static unsigned int
check_exposition(char *text, const char *count_family)
{
	char typed[128] = "", helped[128] = "";
	unsigned int counted = 0;
	char *line, *save = NULL;

	assert_true(strlen(text) > 0);
	assert_int_equal(text[strlen(text) - 1], '\n');
	for (line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "# HELP ", 7) == 0) {
			const char *c = line + 7;

			assert_true(metric_name(&c));
			assert_int_equal(*c, ' ');
			snprintf(helped, sizeof(helped), "%.*s",
				 (int)(c - line - 7), line + 7);
		} else if (strncmp(line, "# TYPE ", 7) == 0) {
			const char *c = line + 7;

			assert_true(metric_name(&c));
			snprintf(typed, sizeof(typed), "%.*s",
				 (int)(c - line - 7), line + 7);
			assert_string_equal(typed, helped);
			assert_string_equal(c, " gauge");
		} else {
			check_sample(line, typed);
			counted += strncmp(line, count_family,
					   strlen(count_family)) == 0;
		}
	}
	return counted;
}

static void
test_metrics_text_is_well_formed(void **state)
{
	struct zk_placement_request req = request(2, 3);
	const struct zk_placement *p;
	char buf[8192], small[256];
	int len;

	(void)state;
	p = plan_ok(&req, TOPO("2node_smt.xml"));
	len = zk_placement_to_metrics(p, buf, sizeof(buf));
	assert_true(len > 0);
	assert_int_equal((size_t)len, strlen(buf));
	assert_non_null(strstr(buf,
		"zkclob_placement_thread{role=\"sequencer\",thread=\"0\",cpu=\""));
	assert_non_null(strstr(buf, "zkclob_placement_role_threads{role=\"prover\"} 3\n"));
	assert_non_null(strstr(buf, "zkclob_topology_numa_nodes 2\n"));
	/* 2 rx + sequencer + log writer + 3 provers. */
	assert_int_equal(check_exposition(buf, "zkclob_placement_thread{"), 7);
	assert_int_equal(zk_placement_to_metrics(p, small, sizeof(small)), -1);

	req = request(1, ZK_PLACEMENT_AUTO);
	p = plan_ok(&req, TOPO("2core_1node.xml"));
	assert_true(zk_placement_to_metrics(p, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "zkclob_placement_shared_cpus 2\n"));
}

static void
test_metrics_pass_promtool(void **state)
{
	struct zk_placement_request req = request(1, ZK_PLACEMENT_AUTO);
	const struct zk_placement *p;
	char buf[8192], path[] = "/tmp/zk_placement_metrics_XXXXXX";
	char cmd[128];
	int fd, len, rc;

	(void)state;
	if (system("command -v promtool >/dev/null 2>&1") != 0)
		skip();
	p = plan_ok(&req, TOPO("4node.xml"));
	len = zk_placement_to_metrics(p, buf, sizeof(buf));
	assert_true(len > 0);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, (size_t)len), len);
	close(fd);
	snprintf(cmd, sizeof(cmd), "promtool check metrics < %s", path);
	rc = system(cmd);
	unlink(path);
	assert_int_equal(rc, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_for_this_machine_fits_its_affinity),
		cmocka_unit_test(test_nic_of_this_machine_is_found),
		cmocka_unit_test(test_pin_self_sets_affinity),
		cmocka_unit_test(test_pin_refuses_what_it_cannot_apply),
		cmocka_unit_test(test_node_local_alloc_and_free),
		cmocka_unit_test(test_eal_arguments),
		cmocka_unit_test(test_print_names_roles_and_sharing),
		cmocka_unit_test(test_metrics_text_is_well_formed),
		cmocka_unit_test(test_metrics_pass_promtool),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
