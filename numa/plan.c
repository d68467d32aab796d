/* SPDX-License-Identifier: MIT */
/*
 * The placement planner. Order of claims, and why:
 *  1. rx lcores: whole cores on the rx node; the machine's first core is
 *     left to kernel housekeeping and interrupts when the node has room.
 *  2. sequencer: its own core on the rx node (same L3 as rx 0 first) when
 *     that still leaves a core for provers, else rx 0's hyperthread
 *     sibling, else rx 0's cpu: both busy-poll, but a plan with no prover
 *     core would never prove anything.
 *  3. log writer: mostly waits on io_uring, so it takes a left-over rx-node
 *     core only when provers still get at least one other core.
 *  4. provers: whole cores, other nodes first (round-robin, so their memory
 *     traffic spreads and stays off the rx node's L3), then siblings, then
 *     shared cpus — the last two only when the caller asked for more
 *     provers than whole cores.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkclob/placement.h"
#include "topo.h"

struct planner {
	const struct zk_topo *t;
	struct zk_placement *out;
	bool *taken;         /* whole core granted to a role */
	unsigned char *load; /* threads per PU: [core * ZK_TOPO_MAX_SMT + k] */
	int housekeeping;    /* core kept off the hot path, -1 for none */
	unsigned int rx0;    /* core of rx lcore 0 */
};

static void __attribute__((format(printf, 2, 3)))
add_note(struct zk_placement *out, const char *fmt, ...)
{
	va_list ap;

	if (out->n_notes >= ZK_PLACEMENT_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(out->notes[out->n_notes], ZK_PLACEMENT_NOTE_LEN, fmt, ap);
	va_end(ap);
	out->n_notes++;
}

static void
add_thread(struct planner *p, enum zk_role role, unsigned int core,
	   unsigned int k)
{
	struct zk_role_placement *r = &p->out->role[role];

	r->cpu[r->count] = p->t->core[core].pu[k];
	r->node[r->count] = p->t->core[core].node;
	r->count++;
	p->load[core * ZK_TOPO_MAX_SMT + k]++;
}

static void
take_core(struct planner *p, enum zk_role role, unsigned int core)
{
	p->taken[core] = true;
	add_thread(p, role, core, 0);
}

static unsigned int
free_cores(const struct planner *p)
{
	unsigned int i, n = 0;

	for (i = 0; i < p->t->n_cores; i++)
		n += !p->taken[i];
	return n;
}

/* A PU that no thread uses, on a core that already holds one. */
static int
free_sibling(const struct planner *p, unsigned int core)
{
	unsigned int k;

	for (k = 1; k < p->t->core[core].n_pu; k++)
		if (p->load[core * ZK_TOPO_MAX_SMT + k] == 0)
			return (int)k;
	return -1;
}

static bool
find_cpu(const struct zk_topo *t, int cpu, unsigned int *core,
	 unsigned int *k)
{
	unsigned int i, j;

	for (i = 0; i < t->n_cores; i++)
		for (j = 0; j < t->core[i].n_pu; j++)
			if (t->core[i].pu[j] == cpu) {
				*core = i;
				*k = j;
				return true;
			}
	return false;
}

static void
share_cpu(struct planner *p, enum zk_role role, int cpu)
{
	unsigned int core = 0, k = 0;

	if (find_cpu(p->t, cpu, &core, &k))
		add_thread(p, role, core, k);
}

static int
choose_rx_node(const struct zk_placement_request *req,
	       const struct zk_topo *t, struct zk_placement *out, char *err,
	       size_t errlen)
{
	int node = req->nic_node;

	if (node != ZK_PLACEMENT_NODE_DEFAULT &&
	    (node < 0 || node > t->max_node ||
	     !zk_topo_node_has_cores(t, node))) {
		zk_place_err(err, errlen,
			     "NUMA node %d: %s (nodes with cpus: %u, highest id %d)",
			     node,
			     node < 0 || node > t->max_node ?
				     "no such node" : "node has no cpus",
			     t->n_nodes, t->max_node);
		return -1;
	}
	if (t->nic == ZK_TOPO_NIC_LOCAL &&
	    zk_topo_node_has_cores(t, t->nic_node)) {
		out->rx_node = t->nic_node;
		out->rx_node_source = ZK_NIC_FROM_PCI;
		return 0;
	}
	if (t->nic != ZK_TOPO_NIC_NONE)
		add_note(out,
			 "NIC %s is attached above several NUMA nodes (or a node without cpus); rx node taken from %s",
			 req->nic, node >= 0 ? "the configured node" :
					       "the first core");
	if (node >= 0) {
		out->rx_node = node;
		out->rx_node_source = ZK_NIC_FROM_CONFIG;
	} else {
		out->rx_node = t->core[0].node;
		out->rx_node_source = ZK_NIC_FROM_FIRST_CORE;
	}
	return 0;
}

static unsigned int
node_cores(const struct zk_topo *t, int node)
{
	unsigned int i, n = 0;

	for (i = 0; i < t->n_cores; i++)
		n += t->core[i].node == node;
	return n;
}

static void
place_rx(struct planner *p, unsigned int rx)
{
	const struct zk_topo *t = p->t;
	int node = p->out->rx_node;
	unsigned int i, pass, spilled = 0;

	if (t->core[0].node == node && node_cores(t, node) >= rx + 2)
		p->housekeeping = 0;
	/* pass 0: rx node without the housekeeping core, 1: any rx-node
	 * core, 2: other nodes. */
	for (pass = 0; pass < 3; pass++) {
		for (i = 0; i < t->n_cores; i++) {
			if (p->out->role[ZK_ROLE_RX].count == rx)
				break;
			if (p->taken[i] || (pass < 2) != (t->core[i].node == node))
				continue;
			if (pass == 0 && (int)i == p->housekeeping)
				continue;
			take_core(p, ZK_ROLE_RX, i);
			spilled += pass == 2;
		}
	}
	p->rx0 = 0;
	find_cpu(t, p->out->role[ZK_ROLE_RX].cpu[0], &p->rx0, &i);
	if (spilled > 0)
		add_note(p->out,
			 "%u of %u rx lcores are off node %d, which has only %u cores: their NIC traffic crosses nodes",
			 spilled, rx, node, node_cores(t, node));
}

static int
best_sequencer_core(const struct planner *p)
{
	const struct zk_topo *t = p->t;
	const struct zk_topo_core *rx0 = &t->core[p->rx0];
	int best = -1, best_score = 0;
	unsigned int i;

	for (i = 0; i < t->n_cores; i++) {
		int score;

		if (p->taken[i] || (int)i == p->housekeeping ||
		    t->core[i].node != p->out->rx_node)
			continue;
		score = (rx0->l3 >= 0 && t->core[i].l3 == rx0->l3) ? 2 : 1;
		if (score > best_score) {
			best = (int)i;
			best_score = score;
		}
	}
	return best;
}

static void
place_sequencer(struct planner *p)
{
	const struct zk_topo *t = p->t;
	int rx_cpu = p->out->role[ZK_ROLE_RX].cpu[0];
	int core = -1, sib;
	unsigned int i;

	/* One free core stays with the provers. */
	if (free_cores(p) >= 2) {
		core = best_sequencer_core(p);
		if (core >= 0) {
			take_core(p, ZK_ROLE_SEQUENCER, (unsigned int)core);
			return;
		}
	}
	sib = free_sibling(p, p->rx0);
	if (sib >= 0) {
		add_thread(p, ZK_ROLE_SEQUENCER, p->rx0, (unsigned int)sib);
		add_note(p->out,
			 "sequencer on cpu %d, the hyperthread sibling of rx cpu %d: no free core on node %d beside the one kept for provers",
			 t->core[p->rx0].pu[sib], rx_cpu, p->out->rx_node);
		return;
	}
	if (free_cores(p) >= 2) {
		for (i = 0; i < t->n_cores; i++)
			if (!p->taken[i])
				break;
		take_core(p, ZK_ROLE_SEQUENCER, i);
		add_note(p->out,
			 "sequencer on node %d: node %d has no free core, so every op crosses nodes",
			 t->core[i].node, p->out->rx_node);
		return;
	}
	share_cpu(p, ZK_ROLE_SEQUENCER, rx_cpu);
	if (free_cores(p) == 1)
		add_note(p->out,
			 "rx+sequencer share cpu %d: %u cores, and the one left after rx goes to provers",
			 rx_cpu, t->n_cores);
	else
		add_note(p->out,
			 "rx+sequencer share cpu %d: all %u cores hold rx lcores",
			 rx_cpu, t->n_cores);
}

/*
 * Free whole cores in prover preference order: other nodes round-robin by
 * node id, then rx-node cores that do not share rx 0's L3, then the rest.
 */
static unsigned int
prover_preference(const struct planner *p, unsigned int *pref)
{
	const struct zk_topo *t = p->t;
	const struct zk_topo_core *rx0 = &t->core[p->rx0];
	int node = p->out->rx_node;
	unsigned int i, n = 0, added;
	int rank, tier;

	/* Round r takes the r-th free core of every other node. */
	for (rank = 0;; rank++) {
		added = 0;
		for (int nd = 0; nd <= t->max_node; nd++) {
			int seen = 0;

			if (nd == node)
				continue;
			for (i = 0; i < t->n_cores; i++) {
				if (p->taken[i] || t->core[i].node != nd)
					continue;
				if (seen++ == rank) {
					pref[n++] = i;
					added++;
					break;
				}
			}
		}
		if (added == 0)
			break;
	}
	for (tier = 0; tier < 2; tier++) {
		for (i = 0; i < t->n_cores; i++) {
			bool near;

			if (p->taken[i] || t->core[i].node != node)
				continue;
			near = rx0->l3 >= 0 && t->core[i].l3 == rx0->l3;
			if (near == (tier == 1))
				pref[n++] = i;
		}
	}
	return n;
}

static bool
core_is_hot(const struct planner *p, unsigned int core)
{
	const struct zk_placement *out = p->out;
	unsigned int r, i, k;

	for (r = ZK_ROLE_RX; r <= ZK_ROLE_SEQUENCER; r++)
		for (i = 0; i < out->role[r].count; i++)
			for (k = 0; k < p->t->core[core].n_pu; k++)
				if (out->role[r].cpu[i] == p->t->core[core].pu[k])
					return true;
	return false;
}

static unsigned int
hot_cpus(const struct planner *p)
{
	const struct zk_placement *out = p->out;
	unsigned int i, n = out->role[ZK_ROLE_RX].count;
	int seq = out->role[ZK_ROLE_SEQUENCER].cpu[0];

	for (i = 0; i < out->role[ZK_ROLE_RX].count; i++)
		if (out->role[ZK_ROLE_RX].cpu[i] == seq)
			return n;
	return n + 1;
}

/* A free hyperthread sibling, cores off the hot path first. */
static bool
take_sibling(struct planner *p, enum zk_role role, bool *on_hot)
{
	unsigned int pass, i;
	int k;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < p->t->n_cores; i++) {
			if (!p->taken[i] || core_is_hot(p, i) != (pass == 1))
				continue;
			k = free_sibling(p, i);
			if (k < 0)
				continue;
			add_thread(p, role, i, (unsigned int)k);
			*on_hot = pass == 1;
			return true;
		}
	}
	return false;
}

/* The least loaded used cpu; ties go to the highest index, away from rx 0. */
static int
least_loaded_cpu(const struct planner *p)
{
	unsigned int i, k, best_load = ~0u;
	int best = p->t->core[0].pu[0];

	for (i = 0; i < p->t->n_cores; i++)
		for (k = 0; k < p->t->core[i].n_pu; k++) {
			unsigned int l = p->load[i * ZK_TOPO_MAX_SMT + k];

			if (l > 0 && l <= best_load) {
				best_load = l;
				best = p->t->core[i].pu[k];
			}
		}
	return best;
}

static void
place_provers(struct planner *p, unsigned int requested)
{
	struct zk_role_placement *pr = &p->out->role[ZK_ROLE_PROVER];
	unsigned int *pref, w, want, i, on_siblings = 0, hot_siblings = 0;
	unsigned int shared = 0, own;
	bool log_own, hot = false;

	pref = calloc(p->t->n_cores, sizeof(*pref));
	if (pref == NULL)
		return;
	w = prover_preference(p, pref);
	if (requested == ZK_PLACEMENT_AUTO) {
		want = w >= 2 ? w - 1 : 1;
		log_own = w >= 2;
		if (want > ZK_PLACEMENT_MAX_THREADS) {
			add_note(p->out, "provers capped at %u of %u free cores",
				 ZK_PLACEMENT_MAX_THREADS, w - 1);
			want = ZK_PLACEMENT_MAX_THREADS;
		}
	} else {
		want = requested;
		log_own = w > requested;
	}
	if (log_own)
		take_core(p, ZK_ROLE_LOG_WRITER, pref[--w]);
	for (i = 0; i < w && pr->count < want; i++)
		take_core(p, ZK_ROLE_PROVER, pref[i]);
	free(pref);

	while (pr->count < want && take_sibling(p, ZK_ROLE_PROVER, &hot)) {
		on_siblings++;
		hot_siblings += hot;
	}
	own = pr->count;
	while (pr->count < want) {
		int cpu = own > 0 ? pr->cpu[shared % own] : least_loaded_cpu(p);

		share_cpu(p, ZK_ROLE_PROVER, cpu);
		shared++;
	}
	if (on_siblings > 0)
		add_note(p->out,
			 "%u of %u provers on hyperthread siblings (%u beside rx/sequencer): not enough free whole cores",
			 on_siblings, want, hot_siblings);
	if (shared > 0 && requested == ZK_PLACEMENT_AUTO)
		add_note(p->out,
			 "prover shares cpu %d with the hot path: no core is left after rx and the sequencer",
			 pr->cpu[0]);
	else if (shared > 0)
		add_note(p->out,
			 "%u provers share cpus with other threads: %u asked for, more than the %u cpus rx and the sequencer leave",
			 shared, want, p->t->n_cpus - hot_cpus(p));

	if (!log_own) {
		unsigned int last = pr->count - 1;

		if (take_sibling(p, ZK_ROLE_LOG_WRITER, &hot)) {
			add_note(p->out,
				 "log writer on cpu %d, a hyperthread sibling: no whole core left after the provers",
				 p->out->role[ZK_ROLE_LOG_WRITER].cpu[0]);
			return;
		}
		share_cpu(p, ZK_ROLE_LOG_WRITER, pr->cpu[last]);
		add_note(p->out,
			 "log writer shares cpu %d with prover %u: it mostly waits on io_uring, and no core is left",
			 pr->cpu[last], last);
	}
}

static int
check_request(const struct zk_placement_request *req,
	      const struct zk_topo *t, char *err, size_t errlen)
{
	if (req->rx == 0) {
		zk_place_err(err, errlen, "rx lcores: at least 1 is needed");
		return -1;
	}
	if (req->rx > t->n_cores || req->rx > ZK_PLACEMENT_MAX_THREADS) {
		zk_place_err(err, errlen,
			     "rx lcores: %u asked for, but the topology has only %u cores",
			     req->rx, t->n_cores);
		return -1;
	}
	if (req->provers > t->n_cpus ||
	    req->provers > ZK_PLACEMENT_MAX_THREADS) {
		zk_place_err(err, errlen,
			     "provers: %u asked for, but the topology has only %u cpus",
			     req->provers, t->n_cpus);
		return -1;
	}
	if (req->nic != NULL && strlen(req->nic) >= sizeof(((struct zk_placement *)0)->nic)) {
		zk_place_err(err, errlen, "NIC name too long: %s", req->nic);
		return -1;
	}
	return 0;
}

int
zk_placement_plan(const struct zk_placement_request *req, const char *source,
		  struct zk_placement *out, char *err, size_t errlen)
{
	struct zk_topo t;
	struct planner p;
	int rc = -1;

	if (req == NULL || out == NULL) {
		zk_place_err(err, errlen, "placement: no request or no output");
		return -1;
	}
	memset(out, 0, sizeof(*out));
	if (zk_topo_load(source, req->nic, &t, err, errlen) != 0)
		return -1;
	if (check_request(req, &t, err, errlen) != 0)
		goto out;

	out->this_machine = t.this_machine;
	out->n_cpus = t.n_cpus;
	out->n_cores = t.n_cores;
	out->n_nodes = t.n_nodes;
	out->max_node = t.max_node;
	if (req->nic != NULL)
		snprintf(out->nic, sizeof(out->nic), "%s", req->nic);
	if (choose_rx_node(req, &t, out, err, errlen) != 0)
		goto out;

	memset(&p, 0, sizeof(p));
	p.t = &t;
	p.out = out;
	p.housekeeping = -1;
	p.taken = calloc(t.n_cores, sizeof(*p.taken));
	p.load = calloc((size_t)t.n_cores * ZK_TOPO_MAX_SMT, 1);
	if (p.taken == NULL || p.load == NULL) {
		zk_place_err(err, errlen, "out of memory");
		goto out_planner;
	}
	place_rx(&p, req->rx);
	place_sequencer(&p);
	place_provers(&p, req->provers);
	if (out->role[ZK_ROLE_PROVER].count == 0 ||
	    out->role[ZK_ROLE_LOG_WRITER].count != 1) {
		zk_place_err(err, errlen, "out of memory");
		goto out_planner;
	}
	rc = 0;
out_planner:
	free(p.taken);
	free(p.load);
out:
	zk_topo_free(&t);
	if (rc != 0)
		memset(out, 0, sizeof(*out));
	return rc;
}

const char *
zk_role_name(enum zk_role role)
{
	switch (role) {
	case ZK_ROLE_RX:
		return "rx";
	case ZK_ROLE_SEQUENCER:
		return "sequencer";
	case ZK_ROLE_LOG_WRITER:
		return "log_writer";
	case ZK_ROLE_PROVER:
		return "prover";
	case ZK_ROLE_COUNT:
		break;
	}
	return "unknown";
}
