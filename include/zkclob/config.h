/* SPDX-License-Identifier: MIT */
/*
 * zkclob configuration: one INI file holding every tunable.
 *
 * Spec
 *  - The embedded default (configs/zkclob.conf, compiled into the binary) is
 *    loaded first; an operator's file is laid over it, so a file may hold
 *    only what it changes. The effective config can be printed back with
 *    zk_config_write(), which emits a complete file that loads to the same
 *    values.
 *  - Every key is known: an unknown section or key, a value that does not
 *    parse, or a number out of its range fails the load with
 *    "FILE:LINE: [section] key: reason" in the caller's buffer. The first
 *    error wins; nothing is half-applied (the caller's struct is untouched
 *    on failure).
 *  - Markets are sections named [market.ID] (ID a decimal uint32). A market
 *    section in an operator's file that names a new ID starts from the
 *    defaults of the embedded [market.defaults] values, not from zero.
 *  - External provers are sections named [external NAME]; [prover]
 *    backends names them as external:NAME. A name [prover] backends uses
 *    without its section, or a section without a command, fails the load
 *    (docs/runbook.md, "Proving out of process").
 */
#ifndef ZKCLOB_CONFIG_H
#define ZKCLOB_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "zkclob/engine.h"
#include "zkclob/gen.h"
#include "zkclob/placement.h"
#include "zkclob/metrics.h"
#include "zkclob/prooflog.h"
#include "zkclob/router.h"

#define ZK_CONFIG_MAX_MARKETS 64
/* Longest line the INI reader (libinih, INI_MAX_LINE 200) takes whole. */
#define ZK_CONFIG_MAX_LINE 199

struct zk_config_wire {
	uint16_t udp_port;     /* MoldUDP64 destination port accepted */
};

/* How zkclobd gets its traffic. */
enum zk_source {
	ZK_SOURCE_GEN = 0,  /* [gen] flow written to a capture, replayed by net_pcap */
	ZK_SOURCE_PCAP = 1, /* replay [dataplane] pcap_path through net_pcap */
	ZK_SOURCE_PORT = 2, /* an ethdev declared in [eal] args (NIC, af_packet, ...) */
};

struct zk_config_eal {
	char args[1024];     /* EAL arguments, split on blanks */
};

struct zk_config_dataplane {
	enum zk_source source;
	char pcap_path[512];
	char port[64];       /* ethdev name for source = port */
	char out_dir[512];   /* where source = gen writes its capture */
	uint32_t mbufs;
	uint32_t mbuf_cache;
	uint32_t rx_desc;
	uint32_t burst;
	uint32_t ring_size;  /* op ring entries, a power of two */
	int stop_on_eos;     /* stop after the MoldUDP64 end of session */
	uint64_t rate;       /* offered load: messages/s rx takes from a
			      * replayed capture (gen, pcap); 0 = unpaced */
};

struct zk_config_batch {
	uint32_t max_ops;
	uint64_t timeout_us;
	int gap_halt;        /* 0: skip (record and go on), 1: halt */
	int witness;         /* record slot accesses (needed to prove) */
};

/* Latency profiling mode (telemetry/latency.c, docs/latency.md). */
struct zk_config_profile {
	int enabled;
	char dir[512];       /* per-stage .hgrm files + summary.txt at exit */
};

/* The audit log (telemetry/audit.c, docs/audit.md). */
struct zk_config_audit {
	char path[512];      /* empty: no audit log */
	uint32_t sync_every; /* fdatasync every N records (0: every record) */
};

/* What the placement plan (numa/) is asked for. */
struct zk_config_placement {
	uint32_t rx;         /* rx lcores */
	uint32_t provers;    /* 0 = auto: one per whole core left */
	char nic[64];        /* PCI address or interface name; empty for vdevs */
	int32_t nic_node;    /* -1 = node of the first core */
	char topology[512];  /* empty: this machine; else hwloc XML or synthetic */
};

/* What happens to a batch that every backend refused (docs/appliance.md). */
enum zk_unprovable_policy {
	ZK_UNPROVABLE_LOG = 0,  /* an "unproven" record keeps the root chain */
	ZK_UNPROVABLE_HALT = 1, /* stop proving; zkclobd exits 4 */
};

#define ZK_PROVER_MAX_BACKENDS 8

/* An external prover process ([external NAME], backends/external.c). The
 * name is short enough that "external:NAME" fits a backend name. */
#define ZK_CONFIG_MAX_EXTERNALS 8
#define ZK_CONFIG_EXTERNAL_NAME_MAX 23 /* with its NUL */
#define ZK_CONFIG_MAX_ARGV 64          /* words of a command, with the NULL */

struct zk_config_external {
	char name[ZK_CONFIG_EXTERNAL_NAME_MAX];
	char command[192];      /* argv, split by zk_config_command_split();
				 * at most 189 characters (an INI line) */
	uint32_t max_payload;   /* frame payload limit, bytes */
	uint32_t io_timeout_ms; /* describe/health/verify */
	uint32_t prove_timeout_ms; /* a prove without a batch deadline */
};

/* The proving pipeline in zkclobd ([prover], prover/pipeline.c). */
struct zk_config_prover {
	int enabled;
	uint32_t workers;       /* prover threads; 0 = the placement plan's */
	uint32_t threads;       /* threads per proof */
	uint32_t n_backends;    /* registered with the router, in this order */
	char backends[ZK_PROVER_MAX_BACKENDS][32];
	char fault[128];        /* fault spec wrapping the first backend; "" none */
	uint32_t fault_log_delay_us; /* drills: a slow proof-log disk (each
				      * fdatasync chain held this long) */
	char log[512];          /* proof log path; "" = no log */
	enum zk_prooflog_sync log_sync;
	uint32_t log_sync_every;    /* log_sync = every_n */
	uint64_t log_sync_interval_us; /* log_sync = interval */
	enum zk_unprovable_policy on_unprovable;
	int abandon_on_stop;    /* on_stop = abandon: in-flight proofs logged as
				 * unproven (reason abandoned) instead of waited for */
	uint32_t queue_depth;   /* committed batches waiting for a worker */
	int skip_on_backlog;    /* on_backlog = skip: a full commit queue never
				 * stalls matching; those batches are logged
				 * as an unproven range (docs/appliance.md) */
	enum zk_workload workload; /* the [router.CLASS] whose constraints apply */
	uint32_t n_externals;   /* [external NAME] sections, in file order */
	struct zk_config_external externals[ZK_CONFIG_MAX_EXTERNALS];
};

struct zk_config {
	struct zk_config_eal eal;
	struct zk_config_placement placement;
	struct zk_config_dataplane dataplane;
	struct zk_config_batch batch;
	struct zk_router_cfg router; /* [router], [router.CLASS] (router/) */
	struct zk_metrics_cfg metrics; /* [metrics] (telemetry/) */
	struct zk_config_audit audit;
	struct zk_config_profile profile;
	struct zk_config_prover prover;
	struct zk_config_wire wire;
	/* The built-in traffic source ([gen]). Its tick, lot and price band
	 * are not keys: zk_config_gen_params() takes them from the first market
	 * so the flow respects that market's rules. */
	struct zk_gen_params gen;
	size_t n_markets;
	struct zk_market_params markets[ZK_CONFIG_MAX_MARKETS];
};

/* Load the embedded default. Returns 0, or -1 with a reason in err. */
int zk_config_load_default(struct zk_config *cfg, char *err, size_t errlen);

/* Embedded default, then `path` laid over it. Returns 0, or -1 with
 * "path:line: [section] key: reason" in err. */
int zk_config_load_file(struct zk_config *cfg, const char *path, char *err,
			size_t errlen);

/* Same as zk_config_load_file() on an in-memory text; `name` is used in
 * error messages in place of the file name. */
int zk_config_load_string(struct zk_config *cfg, const char *name,
			  const char *text, char *err, size_t errlen);

/* Write the effective configuration as a complete INI file. */
int zk_config_write(const struct zk_config *cfg, FILE *out);

/* Generator params for the config's markets: [gen] with tick, lot and a
 * price band that fits inside the first market's band around ref_price.
 * Returns 0, or -1 with a reason (e.g. ref_price outside the band). */
int zk_config_gen_params(const struct zk_config *cfg, struct zk_gen_params *out,
			 char *err, size_t errlen);

/* The placement plan for [placement]. 0, or -1 with a reason. */
int zk_config_plan(const struct zk_config *cfg, struct zk_placement *plan,
		   char *err, size_t errlen);

/* "each" | "every_n" | "interval" (the [prover] log_sync names). */
const char *zk_config_log_sync_name(enum zk_prooflog_sync s);

/*
 * Split an [external NAME] command into argv without a shell: words are
 * separated by blanks; a double-quoted part keeps its blanks, and inside
 * it \" is a quote and \\ a backslash (any other backslash is kept); a
 * single quote is refused (not a shell). Nothing is expanded ($, ~, *).
 * The words are copied into buf (cap bytes, at least strlen(command) + 1);
 * argv gets them and a NULL (max_argv slots, the NULL included). Returns
 * the word count (>= 1), or -1 with a reason in err.
 */
int zk_config_command_split(const char *command, char *buf, size_t cap,
			    char **argv, size_t max_argv, char *err,
			    size_t errlen);

/* The [external NAME] section a "external:NAME" backend names; NULL when
 * `backend` is not of that form or names none. */
const struct zk_config_external *
zk_config_external_find(const struct zk_config *cfg, const char *backend);

/* The embedded default text (configs/zkclob.conf). */
extern const char zk_config_default_text[];

#endif /* ZKCLOB_CONFIG_H */
