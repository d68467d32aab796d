/* SPDX-License-Identifier: MIT */
/*
 * zkclob — the command-line front end.
 *
 *   zkclob run    [--config FILE] [--out DIR]   the main job on the config
 *   zkclob gen    [--config FILE] [--seed N] [--count N] OUT.pcap
 *   zkclob replay [--config FILE] FILE.pcap
 *   zkclob config [--config FILE]               print the effective config
 *   zkclob prove  [--config FILE] [--params fast|compact|throughput] [--market M]
 *                 [--skip N] [--count N] [--threads T] [--batches K]
 *                 [--log PROOFLOG] CAPTURE OUTDIR
 *   zkclob prove --serve [--config FILE] [--params SET] [--threads T]
 *                                                external prover on stdin/stdout
 *   zkclob verify [--config FILE] [--params fast|compact|throughput] DIR
 *   zkclob verify-log [--config FILE] [--params SET] [--allow-unproven] PROOFLOG
 *   zkclob inspect PROOF                         what a native STARK proof (or a
 *                                                batch container) claims
 *   zkclob audit-verify FILE [--anchor N:HEX]    check an audit log's chain
 *   zkclob placement [--config FILE] [--topology SRC]
 *                                                the placement plan, not started
 *
 * Exit status: 0 success, 1 the work failed (bad capture, engine error),
 * 2 usage or configuration error.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "zkclob/audit.h"
#include "zkclob/clobproof.h"
#include "zkclob/config.h"
#include "zkclob/gen.h"
#include "params.h"
#include "proof.h"
#include "prove.h"
#include "serve.h"
#include "replay.h"

#define EXIT_USAGE 2

struct cli {
	bool allow_unproven; /* verify-log: unproven records do not fail it */
	bool serve;          /* prove: external prover protocol on stdio */
	const char *config;
	const char *out_dir;
	const char *seed;
	const char *count;
	const char *topology;
	const char *anchor;
	const char *params;
	const char *market;
	const char *skip;
	const char *threads;
	const char *batches;
	const char *log;
	int argi; /* first positional argument */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: zkclob run    [--config FILE] [--out DIR]\n"
		"       zkclob gen    [--config FILE] [--seed N] [--count N] OUT.pcap\n"
		"       zkclob replay [--config FILE] FILE.pcap\n"
		"       zkclob config [--config FILE]\n"
		"       zkclob prove [--config FILE] [--params fast|compact|throughput] [--market M] [--skip N]\n"
		"                    [--count N] [--threads T] [--batches K] [--log PROOFLOG] CAPTURE OUTDIR\n"
		"       zkclob prove --serve [--config FILE] [--params fast|compact] [--threads T]\n"
		"       zkclob verify [--config FILE] [--params fast|compact|throughput] DIR\n"
		"       zkclob verify-log [--config FILE] [--params SET] [--allow-unproven] PROOFLOG\n"
		"       zkclob inspect PROOF\n"
		"       zkclob audit-verify FILE [--anchor RECORDS:HEX]\n"
		"       zkclob placement [--config FILE] [--topology XML|SYNTHETIC]\n");
}

static int parse_cli(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "out", required_argument, NULL, 'o' },
		{ "seed", required_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'n' },
		{ "topology", required_argument, NULL, 't' },
		{ "anchor", required_argument, NULL, 'a' },
		{ "params", required_argument, NULL, 'p' },
		{ "market", required_argument, NULL, 'm' },
		{ "skip", required_argument, NULL, 'k' },
		{ "threads", required_argument, NULL, 'j' },
		{ "batches", required_argument, NULL, 'b' },
		{ "log", required_argument, NULL, 'l' },
		{ "allow-unproven", no_argument, NULL, 'U' },
		{ "serve", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(cli, 0, sizeof(*cli));
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:o:s:n:t:a:p:m:k:j:b:l:Uh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			cli->config = optarg;
			break;
		case 'o':
			cli->out_dir = optarg;
			break;
		case 's':
			cli->seed = optarg;
			break;
		case 'n':
			cli->count = optarg;
			break;
		case 't':
			cli->topology = optarg;
			break;
		case 'a':
			cli->anchor = optarg;
			break;
		case 'p':
			cli->params = optarg;
			break;
		case 'm':
			cli->market = optarg;
			break;
		case 'k':
			cli->skip = optarg;
			break;
		case 'j':
			cli->threads = optarg;
			break;
		case 'b':
			cli->batches = optarg;
			break;
		case 'l':
			cli->log = optarg;
			break;
		case 'U':
			cli->allow_unproven = true;
			break;
		case 'S':
			cli->serve = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	cli->argi = optind;
	return 0;
}

static int load_config(const struct cli *cli, struct zk_config *cfg)
{
	char err[512];
	int rc;

	if (cli->config != NULL)
		rc = zk_config_load_file(cfg, cli->config, err, sizeof(err));
	else
		rc = zk_config_load_default(cfg, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "zkclob: config: %s\n", err);
		return -1;
	}
	return 0;
}

static int parse_u64_arg(const char *name, const char *s, uint64_t min,
			 uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	if (s[0] < '0' || s[0] > '9' ||
	    (v = strtoull(s, &end, 10), errno != 0 || *end != '\0') ||
	    v < min) {
		fprintf(stderr, "zkclob: --%s: '%s' is not an integer >= %" PRIu64 "\n",
			name, s, min);
		return -1;
	}
	*out = v;
	return 0;
}

/* Generator params from the config and the command line; -1 on error. */
static int gen_params(const struct cli *cli, const struct zk_config *cfg,
		      struct zk_gen_params *p)
{
	char err[512];
	uint32_t m, i;

	if (zk_config_gen_params(cfg, p, err, sizeof(err)) != 0) {
		fprintf(stderr, "zkclob: config: %s\n", err);
		return -1;
	}
	if (cli->seed != NULL && parse_u64_arg("seed", cli->seed, 0, &p->seed) != 0)
		return -1;
	if (cli->count != NULL &&
	    parse_u64_arg("count", cli->count, 1, &p->count) != 0)
		return -1;
	/* Flow for a market the engine does not run would be rejected
	 * wholesale: almost certainly a config mistake. */
	for (m = 1; m <= p->markets; m++) {
		for (i = 0; i < cfg->n_markets; i++)
			if (cfg->markets[i].market == m)
				break;
		if (i == cfg->n_markets) {
			fprintf(stderr,
				"zkclob: config: [gen] markets = %" PRIu32
				" sends flow to market %" PRIu32
				", which has no [market.%" PRIu32 "] section\n",
				p->markets, m, m);
			return -1;
		}
	}
	return 0;
}

static int write_capture(const struct zk_gen_params *p, const char *path)
{
	struct zk_gen_stats st;
	char err[512];

	if (zk_gen_write_pcap(p, path, &st, err, sizeof(err)) != 0) {
		fprintf(stderr, "zkclob: gen: %s\n", err);
		return -1;
	}
	printf("gen:     %" PRIu64 " messages in %" PRIu64 " packets -> %s\n"
	       "         places %" PRIu64 " (post-only %" PRIu64 "), moves %" PRIu64
	       ", reduces %" PRIu64 ", cancels %" PRIu64 ", IOC %" PRIu64
	       ", FOK %" PRIu64 ", market %" PRIu64 "\n"
	       "         book at the end: %" PRIu64 " live orders over %" PRIu64
	       " price levels (all markets)\n",
	       st.msgs, st.packets, path, st.places, st.post_only, st.moves,
	       st.reduces, st.cancels, st.ioc, st.fok, st.market,
	       st.live_orders, st.price_levels);
	return 0;
}

static int replay_file(const struct zk_config *cfg, const char *path)
{
	struct zk_capture cap;
	struct zk_replay_result res;
	char err[512];
	int rc;

	if (zk_capture_load(&cap, path, err, sizeof(err)) != 0) {
		fprintf(stderr, "zkclob: replay: %s\n", err);
		return -1;
	}
	rc = zk_replay(cfg, &cap, &res, err, sizeof(err));
	zk_capture_free(&cap);
	if (rc != 0) {
		fprintf(stderr, "zkclob: replay: %s\n", err);
		return -1;
	}
	printf("replay:  %s\n", path);
	zk_replay_print(&res, stdout);
	return 0;
}

static int cmd_run(const struct cli *cli)
{
	struct zk_config cfg;
	struct zk_gen_params p;
	const char *dir = cli->out_dir ? cli->out_dir : "out";
	char path[PATH_MAX];

	if (load_config(cli, &cfg) != 0 || gen_params(cli, &cfg, &p) != 0)
		return EXIT_USAGE;
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "zkclob: run: cannot create %s: %s\n", dir,
			strerror(errno));
		return EXIT_FAILURE;
	}
	if (snprintf(path, sizeof(path), "%s/traffic.pcap", dir) >= (int)sizeof(path)) {
		fprintf(stderr, "zkclob: run: output path too long\n");
		return EXIT_USAGE;
	}
	printf("zkclob run: config %s, %zu market(s), seed %" PRIu64 "\n",
	       cli->config ? cli->config : "<embedded default>", cfg.n_markets,
	       p.seed);
	if (write_capture(&p, path) != 0 || replay_file(&cfg, path) != 0)
		return EXIT_FAILURE;
	return 0;
}

static int cmd_gen(const struct cli *cli, int argc, char **argv)
{
	struct zk_config cfg;
	struct zk_gen_params p;

	if (argc - cli->argi != 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (load_config(cli, &cfg) != 0 || gen_params(cli, &cfg, &p) != 0)
		return EXIT_USAGE;
	return write_capture(&p, argv[cli->argi]) ? EXIT_FAILURE : 0;
}

static int cmd_replay(const struct cli *cli, int argc, char **argv)
{
	struct zk_config cfg;

	if (argc - cli->argi != 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (load_config(cli, &cfg) != 0)
		return EXIT_USAGE;
	return replay_file(&cfg, argv[cli->argi]) ? EXIT_FAILURE : 0;
}

static int cmd_config(const struct cli *cli, int argc)
{
	struct zk_config cfg;

	if (argc != cli->argi) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (load_config(cli, &cfg) != 0)
		return EXIT_USAGE;
	return zk_config_write(&cfg, stdout) ? EXIT_FAILURE : 0;
}

/* Proofs larger than this are not ours: refuse before reading them. */
#define MAX_PROOF_BYTES (64u << 20)

static int cmd_inspect(const struct cli *cli, int argc, char **argv)
{
	const char *path;
	uint8_t *buf;
	size_t len;
	long size;
	FILE *f;
	int rc;

	if (argc - cli->argi != 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	path = argv[cli->argi];
	f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "zkclob: inspect: %s: %s\n", path, strerror(errno));
		return EXIT_FAILURE;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (unsigned long)size > MAX_PROOF_BYTES) {
		fprintf(stderr, "zkclob: inspect: %s: unreadable or larger than %u bytes\n",
			path, MAX_PROOF_BYTES);
		fclose(f);
		return EXIT_FAILURE;
	}
	len = (size_t)size;
	buf = malloc(len ? len : 1);
	if (buf == NULL || fread(buf, 1, len, f) != len) {
		fprintf(stderr, "zkclob: inspect: %s: read failed\n", path);
		free(buf);
		fclose(f);
		return EXIT_FAILURE;
	}
	fclose(f);
	printf("proof:   %s (%zu bytes)\n", path, len);
	{
		/* A batch container (a backend's proof bytes, a proof-log
		 * payload): the published ops and events, then the STARK. */
		struct zk_clob_container c;

		if (zk_clob_container_decode(buf, len, &c, NULL, 0) == 0) {
			printf("container: %zu ops, %zu events (%zu bytes), STARK "
			       "proof %zu bytes\n", c.n_ops, c.n_events,
			       len - c.proof_len, c.proof_len);
			rc = zk_stark_proof_describe(c.proof, c.proof_len, stdout);
			zk_clob_container_free(&c);
			free(buf);
			return rc == 0 ? 0 : EXIT_FAILURE;
		}
	}
	rc = zk_stark_proof_describe(buf, len, stdout);
	free(buf);
	return rc == 0 ? 0 : EXIT_FAILURE;
}

/* Exit 0 only for an intact chain (and the published head, if given). */
static int cmd_audit_verify(const struct cli *cli, int argc, char **argv)
{
	struct zk_audit_anchor anchor;
	struct zk_audit_report rep;
	char head[ZK_AUDIT_ANCHOR_TEXT];
	int rc;

	if (argc - cli->argi != 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (cli->anchor != NULL && zk_audit_anchor_parse(cli->anchor, &anchor) != 0) {
		fprintf(stderr, "zkclob: audit-verify: --anchor '%s' is not RECORDS:64-HEX\n",
			cli->anchor);
		return EXIT_USAGE;
	}
	rc = cli->anchor ? zk_audit_verify_anchor(argv[cli->argi], &anchor, &rep)
			 : zk_audit_verify(argv[cli->argi], &rep);
	anchor.records = rep.records;
	memcpy(anchor.head, rep.head, sizeof(anchor.head));
	if (zk_audit_anchor_format(&anchor, head, sizeof(head)) != 0)
		snprintf(head, sizeof(head), "?");
	printf("audit:   %s: %s, %" PRIu64 " valid records, head %s\n",
	       argv[cli->argi], zk_audit_status_name(rep.status), rep.records, head);
	if (rc != 0 || rep.status != ZK_AUDIT_OK) {
		printf("finding: record %" PRIu64 " at offset %" PRIu64 ": %s\n",
		       rep.bad_record, rep.bad_offset, rep.detail);
		return EXIT_FAILURE;
	}
	return 0;
}

static int params_arg(const struct cli *cli, uint8_t *id)
{
	const struct zk_stark_params *p =
		zk_stark_params_by_name(cli->params ? cli->params : "fast");

	if (p == NULL) {
		fprintf(stderr, "zkclob: --params: '%s' is not fast, compact or throughput\n",
			cli->params);
		return -1;
	}
	*id = p->id;
	return 0;
}

static int cmd_prove(const struct cli *cli, int argc, char **argv)
{
	struct zk_config cfg;
	struct zk_prove_args a = { .market = 1, .count = 256, .threads = 2,
				   .batches = 1 };
	uint64_t v;

	if (argc - cli->argi != (cli->serve ? 0 : 2)) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (load_config(cli, &cfg) != 0 || params_arg(cli, &a.params) != 0)
		return EXIT_USAGE;
	if (cli->market != NULL) {
		if (parse_u64_arg("market", cli->market, 0, &v) != 0 || v > UINT32_MAX)
			return EXIT_USAGE;
		a.market = (uint32_t)v;
	}
	if (cli->skip != NULL && parse_u64_arg("skip", cli->skip, 0, &a.skip) != 0)
		return EXIT_USAGE;
	if (cli->count != NULL) {
		if (parse_u64_arg("count", cli->count, 1, &v) != 0 || v > 65536)
			return EXIT_USAGE;
		a.count = (uint32_t)v;
	}
	if (cli->threads != NULL) {
		if (parse_u64_arg("threads", cli->threads, 1, &v) != 0 || v > 256)
			return EXIT_USAGE;
		a.threads = (unsigned)v;
	}
	if (cli->batches != NULL) {
		if (parse_u64_arg("batches", cli->batches, 1, &v) != 0 || v > 100000)
			return EXIT_USAGE;
		a.batches = (uint32_t)v;
	}
	if (cli->serve)
		return zk_cli_serve(&cfg, a.params, a.threads);
	a.log = cli->log;
	a.capture = argv[cli->argi];
	a.out_dir = argv[cli->argi + 1];
	return zk_cli_prove(&cfg, &a);
}

static int cmd_verify(const struct cli *cli, int argc, char **argv)
{
	struct zk_config cfg;
	uint8_t params;

	if (argc - cli->argi != 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (load_config(cli, &cfg) != 0 || params_arg(cli, &params) != 0)
		return EXIT_USAGE;
	return zk_cli_verify(&cfg, params, argv[cli->argi]);
}

static int cmd_verify_log(const struct cli *cli, int argc, char **argv)
{
	struct zk_config cfg;
	uint8_t params;

	if (argc - cli->argi != 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (load_config(cli, &cfg) != 0)
		return EXIT_USAGE;
	/* without --params every record names its own set (params_id) */
	params = 0;
	if (cli->params != NULL && params_arg(cli, &params) != 0)
		return EXIT_USAGE;
	return zk_cli_verify_log(&cfg, params, cli->allow_unproven,
				 argv[cli->argi]);
}

static int cmd_placement(const struct cli *cli, int argc)
{
	struct zk_config cfg;
	struct zk_placement plan;
	char err[512];

	if (argc != cli->argi) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (load_config(cli, &cfg) != 0)
		return EXIT_USAGE;
	if (cli->topology != NULL)
		snprintf(cfg.placement.topology, sizeof(cfg.placement.topology),
			 "%s", cli->topology);
	if (zk_config_plan(&cfg, &plan, err, sizeof(err)) != 0) {
		fprintf(stderr, "zkclob: placement: %s\n", err);
		return EXIT_FAILURE;
	}
	zk_placement_print(&plan, stdout);
	return 0;
}

int main(int argc, char **argv)
{
	struct cli cli;
	const char *cmd;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	cmd = argv[1];
	if (parse_cli(argc - 1, argv + 1, &cli) != 0)
		return EXIT_USAGE;
	if (strcmp(cmd, "run") == 0)
		return cmd_run(&cli);
	if (strcmp(cmd, "gen") == 0)
		return cmd_gen(&cli, argc - 1, argv + 1);
	if (strcmp(cmd, "replay") == 0)
		return cmd_replay(&cli, argc - 1, argv + 1);
	if (strcmp(cmd, "config") == 0)
		return cmd_config(&cli, argc - 1);
	if (strcmp(cmd, "prove") == 0)
		return cmd_prove(&cli, argc - 1, argv + 1);
	if (strcmp(cmd, "verify") == 0)
		return cmd_verify(&cli, argc - 1, argv + 1);
	if (strcmp(cmd, "verify-log") == 0)
		return cmd_verify_log(&cli, argc - 1, argv + 1);
	if (strcmp(cmd, "audit-verify") == 0)
		return cmd_audit_verify(&cli, argc - 1, argv + 1);
	if (strcmp(cmd, "inspect") == 0)
		return cmd_inspect(&cli, argc - 1, argv + 1);
	if (strcmp(cmd, "placement") == 0)
		return cmd_placement(&cli, argc - 1);
	fprintf(stderr, "zkclob: unknown command '%s'\n", cmd);
	usage(stderr);
	return EXIT_USAGE;
}
