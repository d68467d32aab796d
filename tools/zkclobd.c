/* SPDX-License-Identifier: MIT */
/*
 * zkclobd — the appliance daemon (DESIGN.md §2).
 *
 *   zkclobd [--config FILE]
 *
 * One init path, then per-lcore loops: the config decides the traffic
 * source and the EAL arguments; a worker lcore runs the rx loop, the main
 * lcore runs the sequencer; batches go to the batch sink. SIGINT/SIGTERM
 * stop it cleanly (rx stops, the ring drains, the last batch is cut); the
 * summary goes to stdout. SIGHUP re-reads the config file and applies what
 * can change at run time ([batch] limits and gap policy, [router]); any
 * other change is reported as needing a restart and the running value is
 * kept. A config that does not load is refused whole.
 *
 * With [prover] enabled, every cut batch goes on to the proving pipeline
 * (tools/zkclobd_prove.c, prover/pipeline.c) and the proof log; SIGTERM
 * then also commits everything, finishes (or abandons) in-flight proofs
 * and flushes the log before the summary.
 *
 * Exit status: 0 clean run, 1 runtime failure, 2 usage/config error,
 * 3 stopped by a sequence gap under gap_policy = halt, 4 proving halted
 * (a batch no backend proved under on_unprovable = halt, or the proof log
 * failed).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "zkclob/audit.h"
#include "zkclob/batch.h"
#include "zkclob/config.h"
#include "zkclob/dataplane.h"
#include "zkclob/gen.h"
#include "zkclob/metrics.h"
#include "zkclobd_prove.h"
#include "zkclobd_telemetry.h"

#define EXIT_USAGE 2
#define EXIT_HALTED 3
#define EXIT_PROVING_HALTED 4
#define MAX_EAL_ARGS 64
#define PCAP_PORT_NAME "net_pcap0"

static volatile int stop_flag;
static volatile int reload_flag;
static volatile sig_atomic_t stop_signal; /* which signal asked to stop */

static void on_signal(int sig)
{
	stop_signal = sig;
	if (stop_flag == 0)
		stop_flag = 1;
}

static void on_hup(int sig)
{
	(void)sig;
	reload_flag = 1;
}

/* What a SIGHUP may change without a restart: whole sections, and in
 * [prover] only the policies (threads, backends and the log are fixed). */
static bool reloadable_line(const char *section, const char *line, size_t len)
{
	if (strcmp(section, "[batch]") == 0 || strncmp(section, "[router", 7) == 0)
		return true;
	return strcmp(section, "[prover]") == 0 &&
	       ((len >= 14 && strncmp(line, "on_unprovable ", 14) == 0) ||
		(len >= 8 && strncmp(line, "on_stop ", 8) == 0));
}

struct reload_state {
	const char *path;          /* NULL: the embedded default */
	struct zk_config running;
	struct zk_audit *audit;    /* NULL: no audit log */
	struct zkd_prover *prover; /* NULL: [prover] disabled */
};

/* Render a config; NULL on failure. */
static char *render(const struct zk_config *cfg)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL)
		return NULL;
	if (zk_config_write(cfg, f) != 0) {
		fclose(f);
		free(text);
		return NULL;
	}
	fclose(f);
	return text;
}

/* Lines of the new config that differ from the running one, by section:
 * returns how many differ outside the reloadable sections (and prints
 * them), and sets *changed when any line differs at all. */
static int diff_configs(const char *old_text, const char *new_text, bool *changed)
{
	char section[128] = "";
	const char *o = old_text, *n = new_text;
	int fixed = 0;

	*changed = false;
	while (*o != '\0' || *n != '\0') {
		size_t ol = strcspn(o, "\n"), nl = strcspn(n, "\n");

		if (nl > 0 && n[0] == '[' && nl < sizeof(section)) {
			memcpy(section, n, nl);
			section[nl] = '\0';
		}
		if (ol != nl || memcmp(o, n, ol) != 0) {
			*changed = true;
			if (!reloadable_line(section, n, nl)) {
				printf("reload:  %s %.*s needs a restart; keeping the running value\n",
				       section, (int)nl, n);
				fixed++;
			}
		}
		o += ol + (o[ol] == '\n');
		n += nl + (n[nl] == '\n');
	}
	return fixed;
}

static void reload_config(void *arg, struct zk_seq_ctx *seq)
{
	struct reload_state *rs = arg;
	struct zk_config *next = malloc(sizeof(*next));
	char err[512], *old_text = NULL, *new_text = NULL;
	bool changed;
	int rc;

	if (next == NULL) {
		fprintf(stderr, "zkclobd: reload: out of memory; config unchanged\n");
		return;
	}
	rc = rs->path ? zk_config_load_file(next, rs->path, err, sizeof(err))
		      : zk_config_load_default(next, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "zkclobd: reload refused, config unchanged: %s\n", err);
		goto out;
	}
	old_text = render(&rs->running);
	new_text = render(next);
	if (old_text == NULL || new_text == NULL) {
		fprintf(stderr, "zkclobd: reload: out of memory; config unchanged\n");
		goto out;
	}
	if (rs->audit != NULL &&
	    zk_audit_operator_signal(rs->audit, (uint32_t)getuid(), SIGHUP) != 0)
		fprintf(stderr, "zkclobd: audit: cannot record SIGHUP\n");
	diff_configs(old_text, new_text, &changed);
	if (changed && rs->audit != NULL &&
	    zk_audit_config_change(rs->audit, rs->path ? rs->path : "<embedded default>",
				   old_text, strlen(old_text), new_text,
				   strlen(new_text)) != 0)
		fprintf(stderr, "zkclobd: audit: cannot record the config change\n");
	if (!changed) {
		printf("reload:  %s unchanged\n", rs->path ? rs->path : "<embedded default>");
		goto out;
	}
	if (zk_batcher_set_limits(seq->batcher, next->batch.max_ops,
				  next->batch.timeout_us * 1000) != 0) {
		fprintf(stderr, "zkclobd: reload: batch limits: %s; config unchanged\n",
			strerror(errno));
		goto out;
	}
	seq->gap_policy = next->batch.gap_halt ? ZK_GAP_HALT : ZK_GAP_SKIP;
	rs->running.batch = next->batch;
	rs->running.router = next->router;
	rs->running.prover.on_unprovable = next->prover.on_unprovable;
	rs->running.prover.abandon_on_stop = next->prover.abandon_on_stop;
	zkd_prover_reload(rs->prover, &rs->running);
	printf("reload:  applied [batch] max_ops %" PRIu32 ", timeout_us %" PRIu64
	       ", gap_policy %s; [router] strategy %s; [prover] on_unprovable %s, on_stop %s\n",
	       next->batch.max_ops, next->batch.timeout_us,
	       next->batch.gap_halt ? "halt" : "skip",
	       zk_strategy_name(next->router.strategy),
	       next->prover.on_unprovable == ZK_UNPROVABLE_HALT ? "halt" : "log",
	       next->prover.abandon_on_stop ? "abandon" : "finish");
out:
	free(old_text);
	free(new_text);
	free(next);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* What the batch sink has seen; the prover stage replaces this sink. */
struct sink_stats {
	uint64_t batches;
	uint64_t ops;
	uint64_t cut[ZK_CUT_FLUSH + 1];
	uint64_t gaps_recorded;
	uint64_t max_ops;
	uint64_t witness_accesses;
	struct zk_metrics_std *metrics;
	struct zk_latency *latency;
	struct zkd_prover *prover; /* NULL: batches end here */
};

static void publish_batch(struct zk_metrics_std *m, const struct zk_batch *batch)
{
	uint64_t by_type[ZK_EV_DONE + 1] = { 0 };
	size_t i;

	zk_counter_add(m->ops_applied, batch->n_ops);
	for (i = 0; i < batch->events.len; i++)
		if (batch->events.ev[i].type <= ZK_EV_DONE)
			by_type[batch->events.ev[i].type]++;
	for (i = ZK_EV_ACCEPTED; i <= ZK_EV_DONE; i++)
		zk_counter_add(m->events[i - ZK_EV_ACCEPTED], by_type[i]);
	if (batch->cut >= ZK_CUT_SIZE && batch->cut <= ZK_CUT_FLUSH)
		zk_counter_inc(m->batches[batch->cut - ZK_CUT_SIZE]);
	zk_histogram_observe(m->batch_ops, batch->n_ops);
}

static int count_batch(void *arg, struct zk_batch *batch, uint64_t *stamps,
		       bool at_boundary)
{
	struct sink_stats *s = arg;

	if (s->metrics != NULL) {
		publish_batch(s->metrics, batch);
		/* with the prover, the log thread observes first op → durable */
		if (s->prover == NULL)
			zk_histogram_observe(s->metrics->batch_latency,
					     batch->t_cut_ns - batch->t_first_ns);
	}
	/* the profiler runs on CLOCK_MONOTONIC ns, the batch's own clock */
	zk_latency_record(s->latency, ZK_LAT_BATCH, 0, batch->t_first_ns,
			  batch->t_cut_ns);
	s->batches++;
	s->ops += batch->n_ops;
	if (batch->cut <= ZK_CUT_FLUSH)
		s->cut[batch->cut]++;
	if (batch->gap_expected != 0)
		s->gaps_recorded++;
	if (batch->n_ops > s->max_ops)
		s->max_ops = batch->n_ops;
	s->witness_accesses += batch->witness.len;
	if (s->prover == NULL) {
		zk_batch_free(batch);
		free(stamps);
		return 0;
	}
	/* a halted pipeline takes no more: stop rx, the sequencer drains */
	if (zkd_prover_submit(s->prover, batch, stamps, at_boundary) < 0 &&
	    stop_flag == 0)
		stop_flag = 1;
	return 0;
}

/* Split the config's EAL args, then add the pcap vdev the source needs. */
static int build_eal_argv(const struct zk_config *cfg, const char *pcap,
			  char *buf, size_t bufcap, char **argv, int *argc)
{
	char *tok, *save;
	int n = 0;

	if (snprintf(buf, bufcap, "%s", cfg->eal.args) >= (int)bufcap)
		return -1;
	argv[n++] = "zkclobd";
	for (tok = strtok_r(buf, " \t", &save); tok != NULL;
	     tok = strtok_r(NULL, " \t", &save)) {
		if (n >= MAX_EAL_ARGS - 2)
			return -1;
		argv[n++] = tok;
	}
	if (pcap != NULL) {
		static char vdev[PATH_MAX + 64];

		if (strchr(pcap, ',') != NULL)
			return -1; /* would split the vdev's own arguments */
		snprintf(vdev, sizeof(vdev), "--vdev=%s,rx_pcap=%s", PCAP_PORT_NAME,
			 pcap);
		argv[n++] = vdev;
	}
	argv[n] = NULL;
	*argc = n;
	return 0;
}

static int prepare_source(const struct zk_config *cfg, char *pcap, size_t cap)
{
	const struct zk_config_dataplane *d = &cfg->dataplane;
	struct zk_gen_params p;
	struct zk_gen_stats st;
	char err[512];

	switch (d->source) {
	case ZK_SOURCE_PCAP:
		/* net_pcap's own message comes from deep inside the EAL probe;
		 * say plainly what is wrong before starting it */
		if (access(d->pcap_path, R_OK) != 0) {
			fprintf(stderr, "zkclobd: [dataplane] pcap_path %s: %s\n",
				d->pcap_path, strerror(errno));
			return -1;
		}
		snprintf(pcap, cap, "%s", d->pcap_path);
		return 0;
	case ZK_SOURCE_PORT:
		pcap[0] = '\0';
		return 0;
	case ZK_SOURCE_GEN:
		break;
	}
	if (zk_config_gen_params(cfg, &p, err, sizeof(err)) != 0) {
		fprintf(stderr, "zkclobd: config: %s\n", err);
		return -1;
	}
	p.end_of_session = true; /* how a replayed capture says "done" */
	if (mkdir(d->out_dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "zkclobd: cannot create %s: %s\n", d->out_dir,
			strerror(errno));
		return -1;
	}
	if (snprintf(pcap, cap, "%s/traffic.pcap", d->out_dir) >= (int)cap) {
		fprintf(stderr, "zkclobd: out_dir too long\n");
		return -1;
	}
	if (zk_gen_write_pcap(&p, pcap, &st, err, sizeof(err)) != 0) {
		fprintf(stderr, "zkclobd: gen: %s\n", err);
		return -1;
	}
	printf("source:  generated %" PRIu64 " messages (seed %" PRIu64 ") -> %s\n",
	       st.msgs, p.seed, pcap);
	return 0;
}

static int placement_collector(void *arg, char *buf, size_t len)
{
	return zk_placement_to_metrics(arg, buf, len);
}

/* Every appliance series, registered once; the server only if enabled. */
static int start_metrics(const struct zk_config *cfg, struct zk_placement *plan,
			 struct zk_metrics **reg, struct zk_metrics_std *std,
			 struct zk_metrics_server **srv)
{
	static const char *drops[ZK_DROP__COUNT + 1];
	static const char *events[ZK_EV_DONE + 1];
	static const char *const cuts[] = { "size", "timeout", "gap", "flush", NULL };
	static char names[ZK_METRICS_STD_MAX_BACKENDS][32];
	static const char *backends[ZK_METRICS_STD_MAX_BACKENDS + 1];
	static const char *unproven[ZK_UNPROVEN__MAX + 1];
	struct zk_metrics_std_labels labels = {
		.drop_reasons = drops, .event_types = events, .cuts = cuts,
		.backends = backends, .unproven_reasons = unproven,
	};
	char err[256];
	int i;

	for (i = 0; i < ZK_DROP__COUNT; i++)
		drops[i] = zk_drop_reason_str((enum zk_drop_reason)i);
	/* index = enum zk_unproven_reason - 1 */
	for (i = 0; i < ZK_UNPROVEN__MAX; i++)
		unproven[i] = zk_unproven_reason_name((uint32_t)i + 1);
	/* the prover's backends, in router order (zkclobd_prove.c) */
	for (i = 0; i < zkd_prover_backend_names(cfg, names, ZK_METRICS_STD_MAX_BACKENDS); i++)
		backends[i] = names[i];
	backends[i] = NULL;
	for (i = ZK_EV_ACCEPTED; i <= ZK_EV_DONE; i++)
		events[i - ZK_EV_ACCEPTED] = zk_event_type_str(i);
	*reg = zk_metrics_create();
	if (*reg == NULL ||
	    zk_metrics_std_register(*reg, &labels, std, err, sizeof(err)) != 0 ||
	    zk_metrics_add_collector(*reg, placement_collector, plan) != 0) {
		fprintf(stderr, "zkclobd: metrics: %s\n", *reg ? err : "out of memory");
		return -1;
	}
	*srv = NULL;
	if (!cfg->metrics.enabled)
		return 0;
	*srv = zk_metrics_server_start(*reg, cfg->metrics.listen, err, sizeof(err));
	if (*srv == NULL) {
		fprintf(stderr, "zkclobd: metrics: %s\n", err);
		return -1;
	}
	printf("metrics: http://%s/metrics (port %u)\n", cfg->metrics.listen,
	       zk_metrics_server_port(*srv));
	return 0;
}

/* The audit log and its first records: who started us, on what config. */
static int start_audit(const struct zk_config *cfg, const char *config_path,
		       int argc, char **argv, struct zk_audit **audit)
{
	struct zk_audit_options opts = { .sync_every = cfg->audit.sync_every };
	struct zk_audit_report rep;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	*audit = NULL;
	if (cfg->audit.path[0] == '\0')
		return 0;
	/* its folder, when it is one level that does not exist yet (out/) */
	{
		char dir[sizeof(cfg->audit.path)];
		char *slash;

		memcpy(dir, cfg->audit.path, sizeof(dir));
		slash = strrchr(dir, '/');
		if (slash != NULL && slash != dir) {
			*slash = '\0';
			if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
				fprintf(stderr, "zkclobd: audit log: cannot create %s: %s\n",
					dir, strerror(errno));
				return -1;
			}
		}
	}
	rc = zk_audit_open(cfg->audit.path, &opts, audit, &rep);
	if (rc != 0) {
		fprintf(stderr, "zkclobd: audit log %s: %s: %s\n", cfg->audit.path,
			zk_audit_status_name(rep.status), rep.detail);
		return -1;
	}
	f = open_memstream(&text, &len);
	if (f == NULL || zk_config_write(cfg, f) != 0) {
		if (f != NULL)
			fclose(f);
		free(text);
		fprintf(stderr, "zkclobd: audit: out of memory\n");
		return -1;
	}
	fclose(f);
	rc = zk_audit_operator_command(*audit, (uint32_t)getuid(), argc,
				       (const char *const *)argv);
	if (rc == 0)
		rc = zk_audit_config_change(*audit, config_path ? config_path
							       : "<embedded default>",
					    NULL, 0, text, len);
	free(text);
	if (rc != 0) {
		fprintf(stderr, "zkclobd: audit log %s: %s\n", cfg->audit.path,
			strerror(-rc));
		return -1;
	}
	printf("audit:   %s (%" PRIu64 " records before this run)\n",
	       cfg->audit.path, rep.records);
	return 0;
}

static void print_summary(const struct zk_rx_ctx *rx, struct zk_seq_ctx *seq,
			  const struct sink_stats *sink, double secs)
{
	const struct zk_wire_stats *w = &rx->stats.wire;
	uint8_t digest[32];
	int i;

	zk_events_digest_final(&seq->digest, digest);
	printf("rx:      %" PRIu64 " frames, %" PRIu64 " ops enqueued, %" PRIu64
	       " ring-full stalls, %" PRIu64 " multi-segment, %" PRIu64
	       " lost on abort\n",
	       rx->stats.frames, rx->stats.ops_enqueued,
	       rx->stats.ring_full_stalls, rx->stats.multiseg_frames,
	       rx->stats.lost_on_abort);
	printf("wire:    %" PRIu64 " packets, %" PRIu64 " messages, %" PRIu64
	       " heartbeats, %" PRIu64 " end-of-session, %" PRIu64 " gaps (%" PRIu64
	       " missing), %" PRIu64 " duplicates\n",
	       w->packets, w->msgs, w->heartbeats, w->end_of_session,
	       w->gap_events, w->gap_msgs, w->dup_msgs);
	for (i = 0; i < ZK_DROP__COUNT; i++)
		if (w->drops[i])
			printf("drop:    %-20s %" PRIu64 "\n",
			       zk_drop_reason_str((enum zk_drop_reason)i), w->drops[i]);
	printf("engine:  %" PRIu64 " ops applied;", seq->stats.ops);
	for (i = ZK_EV_ACCEPTED; i <= ZK_EV_DONE; i++)
		printf(" %s %" PRIu64, zk_event_type_str(i), seq->stats.events[i]);
	printf("\nbatches: %" PRIu64 " (size %" PRIu64 ", timeout %" PRIu64
	       ", gap %" PRIu64 ", flush %" PRIu64 "), largest %" PRIu64
	       " ops, %" PRIu64 " gaps recorded\n",
	       sink->batches, sink->cut[ZK_CUT_SIZE], sink->cut[ZK_CUT_TIMEOUT],
	       sink->cut[ZK_CUT_GAP], sink->cut[ZK_CUT_FLUSH], sink->max_ops,
	       sink->gaps_recorded);
	if (seq->stats.halted)
		printf("HALTED:  sequence gap (expected %" PRIu64 ", received %" PRIu64
		       "); %" PRIu64 " later ops not applied\n",
		       seq->stats.halt_expected, seq->stats.halt_received,
		       seq->stats.halted_ops);
	printf("digest:  ");
	for (i = 0; i < 32; i++)
		printf("%02x", digest[i]);
	printf("  (BLAKE2b-256 over the canonical events)\n");
	printf("speed:   %.2f M ops/s end to end over %.3f s\n",
	       secs > 0 ? (double)seq->stats.ops / secs / 1e6 : 0, secs);
	if (rx->stats.bursts > 1) {
		double window = (double)(rx->stats.tsc_last - rx->stats.tsc_first) /
				(double)rte_get_timer_hz();

		printf("ingest:  %" PRIu64 " ops applied, %.0f ops/s over the %.3f s "
		       "from the first to the last rx burst (offered: ", seq->stats.ops,
		       window > 0 ? (double)seq->stats.ops / window : 0, window);
		if (rx->rate != 0)
			printf("paced at %" PRIu64 " messages/s, %" PRIu64 " paced waits)\n",
			       rx->rate, rx->stats.paced_waits);
		else
			printf("unpaced, as fast as rx reads)\n");
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct zk_config cfg;
	char err[512], pcap[PATH_MAX], eal_buf[1024];
	char *eal_argv[MAX_EAL_ARGS];
	const char *config_path = NULL;
	int eal_argc, c, rc = EXIT_FAILURE;
	unsigned int rx_lcore;
	struct zk_port_cfg port_cfg;
	struct rte_mempool *pool = NULL;
	struct rte_ring *ring = NULL;
	struct zk_engine *engine = NULL;
	struct zk_batcher *batcher = NULL;
	struct zk_batch_cfg bcfg;
	struct sink_stats sink = { 0 };
	struct zk_placement plan;
	static struct reload_state reload;
	static struct zk_metrics_std mstd;
	struct zk_metrics *metrics = NULL;
	struct zk_metrics_server *metrics_srv = NULL;
	struct zk_audit *audit = NULL;
	struct zk_latency *latency = NULL;
	struct zkd_prover *prover = NULL;
	int prover_rc = 0;
	static struct zk_rx_ctx rx;
	static struct zk_seq_ctx seq;
	uint16_t port_id;
	double t0;

	/* Handlers first: a SIGHUP during start-up must not kill the daemon
	 * (the default action), and a SIGTERM then makes a clean, short run. */
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_hup);
	/* Line-buffered even into a file or pipe: operators tail this. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		if (c == 'c') {
			config_path = optarg;
		} else {
			fprintf(c == 'h' ? stdout : stderr,
				"usage: zkclobd [--config FILE]\n");
			return c == 'h' ? 0 : EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: zkclobd [--config FILE]\n");
		return EXIT_USAGE;
	}
	if ((config_path ? zk_config_load_file(&cfg, config_path, err, sizeof(err))
			 : zk_config_load_default(&cfg, err, sizeof(err))) != 0) {
		fprintf(stderr, "zkclobd: config: %s\n", err);
		return EXIT_USAGE;
	}
	printf("zkclobd: config %s\n", config_path ? config_path : "<embedded default>");
	if (zk_config_plan(&cfg, &plan, err, sizeof(err)) != 0) {
		fprintf(stderr, "zkclobd: placement: %s\n", err);
		return EXIT_USAGE;
	}
	zk_placement_print(&plan, stdout);
	if (cfg.dataplane.rate != 0 && cfg.dataplane.source == ZK_SOURCE_PORT) {
		/* a NIC's load is its sender's: holding rx back would only
		 * overflow the NIC's ring */
		fprintf(stderr, "zkclobd: config: [dataplane] rate: pacing is for a "
			"replayed capture (source = gen or pcap), not source = port\n");
		return EXIT_USAGE;
	}
	if (prepare_source(&cfg, pcap, sizeof(pcap)) != 0)
		return EXIT_USAGE;
	if (cfg.dataplane.rate != 0)
		printf("source:  paced at %" PRIu64 " messages/s (offered load)\n",
		       cfg.dataplane.rate);
	if (build_eal_argv(&cfg, pcap[0] ? pcap : NULL, eal_buf, sizeof(eal_buf),
			   eal_argv, &eal_argc) != 0) {
		fprintf(stderr, "zkclobd: config: [eal] args: too many arguments, or a capture path with a comma\n");
		return EXIT_USAGE;
	}
	if (start_audit(&cfg, config_path, argc, argv, &audit) != 0)
		return EXIT_FAILURE;
	if (rte_eal_init(eal_argc, eal_argv) < 0) {
		fprintf(stderr, "zkclobd: EAL init: %s\n", rte_strerror(rte_errno));
		zk_audit_close(audit);
		return EXIT_FAILURE;
	}
	if (start_metrics(&cfg, &plan, &metrics, &mstd, &metrics_srv) != 0 ||
	    zkd_register_telemetry(&mstd) != 0)
		goto out;
	if (cfg.profile.enabled) {
		/* CLOCK_MONOTONIC ticks (ns): stamps are taken once per burst,
		 * and batches already carry monotonic ns */
		struct zk_latency_config lc = {
			.enabled = true, .lanes = 1, .clock = ZK_LAT_CLOCK_MONOTONIC,
		};

		latency = zk_latency_create_cfg(&lc);
		if (latency == NULL) {
			fprintf(stderr, "zkclobd: profile: out of memory\n");
			goto out;
		}
		printf("profile: latency per stage -> %s at exit\n", cfg.profile.dir);
	}
	rx_lcore = rte_get_next_lcore(rte_get_main_lcore(), 1, 0);
	if (rx_lcore >= RTE_MAX_LCORE) {
		fprintf(stderr, "zkclobd: [eal] args must give at least 2 lcores (rx + sequencer), e.g. -l 0-1\n");
		goto out;
	}

	memset(&port_cfg, 0, sizeof(port_cfg));
	port_cfg.name = cfg.dataplane.source == ZK_SOURCE_PORT ? cfg.dataplane.port
							     : PCAP_PORT_NAME;
	port_cfg.mbufs = cfg.dataplane.mbufs;
	port_cfg.mbuf_cache = cfg.dataplane.mbuf_cache;
	port_cfg.rx_desc = (uint16_t)cfg.dataplane.rx_desc;
	port_cfg.tx_desc = 64;
	port_cfg.socket = (int)rte_lcore_to_socket_id(rx_lcore);
	if (zk_port_init(&port_cfg, &port_id, &pool, err, sizeof(err)) != 0) {
		fprintf(stderr, "zkclobd: port: %s\n", err);
		goto out;
	}
	ring = rte_ring_create_elem("zk_ops", sizeof(struct zk_op),
				    cfg.dataplane.ring_size, port_cfg.socket,
				    RING_F_SP_ENQ | RING_F_SC_DEQ | RING_F_EXACT_SZ);
	if (ring == NULL) {
		fprintf(stderr, "zkclobd: op ring of %" PRIu32 ": %s\n",
			cfg.dataplane.ring_size, rte_strerror(rte_errno));
		goto out_port;
	}
	engine = zk_engine_create(cfg.markets, cfg.n_markets);
	bcfg.max_ops = cfg.batch.max_ops;
	bcfg.timeout_ns = cfg.batch.timeout_us * 1000;
	/* the prover's witness: the slot accesses of every batch */
	bcfg.witness = cfg.batch.witness != 0 || cfg.prover.enabled;
	batcher = engine ? zk_batcher_create(engine, &bcfg) : NULL;
	if (batcher == NULL) {
		fprintf(stderr, "zkclobd: engine: %s\n", strerror(errno));
		goto out_engine;
	}

	rx.port_id = port_id;
	rx.burst = (uint16_t)cfg.dataplane.burst;
	rx.ring = ring;
	zk_wire_cfg_default(&rx.wire);
	rx.wire.udp_port = cfg.wire.udp_port;
	rx.stop_on_eos = cfg.dataplane.stop_on_eos != 0;
	rx.rate = cfg.dataplane.rate;
	rx.stop = &stop_flag;
	rx.metrics = &mstd;
	rx.latency = latency;
	sink.metrics = &mstd;
	sink.latency = latency;
	seq.latency = latency;
	seq.ring = ring;
	seq.batcher = batcher;
	seq.gap_policy = cfg.batch.gap_halt ? ZK_GAP_HALT : ZK_GAP_SKIP;
	seq.sink = count_batch;
	seq.sink_ctx = &sink;
	seq.stop = &stop_flag;
	seq.rx = &rx;
	/* before the sequencer applies anything: the state trees start
	 * from the engine's (empty) books */
	if (zkd_prover_start(&cfg, &plan, engine, &mstd, audit, latency,
			     &prover) != 0)
		goto out_engine;
	sink.prover = prover;
	reload.prover = prover;
	reload.path = config_path;
	reload.running = cfg;
	reload.audit = audit;
	seq.reload = &reload_flag;
	seq.reload_fn = reload_config;
	seq.reload_arg = &reload;

	printf("lcores:  rx on %u (socket %d), sequencer on %u\n", rx_lcore,
	       port_cfg.socket, rte_get_main_lcore());

	t0 = now_s();
	if (rte_eal_remote_launch(zk_rx_lcore, &rx, rx_lcore) != 0) {
		fprintf(stderr, "zkclobd: cannot launch the rx lcore\n");
		goto out_engine;
	}
	zk_seq_lcore(&seq);
	if (seq.error)
		stop_flag = 2; /* rx must not stall on a ring nobody drains */
	rte_eal_wait_lcore(rx_lcore);
	/* every batch is cut: commit, prove (or abandon), log, fdatasync */
	prover_rc = zkd_prover_finish(prover);
	print_summary(&rx, &seq, &sink, now_s() - t0);
	zkd_prover_summary(prover, stdout, now_s() - t0);
	if (latency != NULL) {
		if (mkdir(cfg.profile.dir, 0755) != 0 && errno != EEXIST)
			fprintf(stderr, "zkclobd: profile: cannot create %s: %s\n",
				cfg.profile.dir, strerror(errno));
		else if (zk_latency_write(latency, cfg.profile.dir) != 0)
			fprintf(stderr, "zkclobd: profile: cannot write %s\n",
				cfg.profile.dir);
		zk_latency_summary(latency, stdout);
	}
	if (audit != NULL && stop_signal != 0 &&
	    zk_audit_operator_signal(audit, (uint32_t)getuid(), stop_signal) != 0)
		fprintf(stderr, "zkclobd: audit: cannot record the stop signal\n");

	if (seq.error) {
		fprintf(stderr, "zkclobd: sequencer stopped: %s\n", strerror(seq.error));
		rc = EXIT_FAILURE;
	} else if (seq.stats.halted) {
		rc = EXIT_HALTED;
	} else if (prover_rc != 0) {
		rc = EXIT_PROVING_HALTED;
	} else {
		rc = 0;
	}
out_engine:
	zkd_prover_destroy(prover);
	zk_batcher_destroy(batcher);
	zk_engine_destroy(engine);
	rte_ring_free(ring);
out_port:
	zk_port_close(port_id);
	rte_mempool_free(pool);
out:
	zk_latency_destroy(latency);
	zk_metrics_server_stop(metrics_srv);
	zk_metrics_destroy(metrics);
	if (zk_audit_close(audit) != 0) {
		fprintf(stderr, "zkclobd: audit log: a write or sync failed\n");
		rc = EXIT_FAILURE;
	}
	rte_eal_cleanup();
	return rc;
}
