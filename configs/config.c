/* SPDX-License-Identifier: MIT */
/*
 * Config loading on libinih (Debian libinih-dev). inih reports the line of
 * the first error when a handler refuses a key, so every key is checked in
 * the handler and the message is completed with the line afterwards.
 * docs/dependencies.md says why inih and not DPDK's rte_cfgfile.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "zkclob/config.h"
#include "config_external.h"
#include "config_int.h"

/* Per-market values a [market.ID] section starts from. */
static const struct zk_market_params market_defaults = {
	.tick = 1,
	.lot = 1,
	.min_price = 1,
	.max_price = 1000000,
	.max_qty = 1000000,
	.stp = ZK_STP_CANCEL_NEWEST,
	.max_orders = 65536,
	.max_levels = 16384,
};

#define MAX_SEEN_KEYS 512

struct load_ctx {
	struct zk_config *cfg;
	bool markets_replaced; /* this source named a market: drop inherited ones */
	char reason[256];      /* first handler error, without the line */
	/* (section, key) pairs already set by this source: a key given twice
	 * is almost always an operator's mistake, so it is refused. */
	size_t n_seen;
	char seen[MAX_SEEN_KEYS][64];
};

static int fail(struct load_ctx *ctx, const char *section, const char *key,
		const char *fmt, ...)
{
	int n;
	va_list ap;

	if (ctx->reason[0] != '\0')
		return 0; /* keep the first error */
	n = snprintf(ctx->reason, sizeof(ctx->reason), "[%s] %s: ", section, key);
	if (n < 0 || (size_t)n >= sizeof(ctx->reason))
		return 0;
	va_start(ap, fmt);
	vsnprintf(ctx->reason + n, sizeof(ctx->reason) - (size_t)n, fmt, ap);
	va_end(ap);
	return 0;
}

static bool parse_u64(const char *v, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long x;

	if (*v < '0' || *v > '9')
		return false; /* no sign, no blanks, no empty value */
	errno = 0;
	x = strtoull(v, &end, 10);
	if (errno != 0 || *end != '\0' || x < min || x > max)
		return false;
	*out = x;
	return true;
}

static bool parse_i64(const char *v, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long x;

	if (!((*v >= '0' && *v <= '9') || (*v == '-' && v[1] >= '0' && v[1] <= '9')))
		return false;
	errno = 0;
	x = strtoll(v, &end, 10);
	if (errno != 0 || *end != '\0' || x < min || x > max)
		return false;
	*out = x;
	return true;
}

/* Parse an unsigned key into a field of any width up to 64 bits. */
#define SET_U(field, min, max)                                                 \
	do {                                                                   \
		uint64_t v_;                                                   \
		if (!parse_u64(value, (min), (max), &v_))                      \
			return fail(ctx, section, name,                        \
				    "'%s' is not an integer in [%" PRIu64      \
				    ", %" PRIu64 "]",                          \
				    value, (uint64_t)(min), (uint64_t)(max));  \
		(field) = v_;                                                  \
	} while (0)

#define SET_I(field, min, max)                                                 \
	do {                                                                   \
		int64_t v_;                                                    \
		if (!parse_i64(value, (min), (max), &v_))                      \
			return fail(ctx, section, name,                        \
				    "'%s' is not an integer in [%" PRId64      \
				    ", %" PRId64 "]",                          \
				    value, (int64_t)(min), (int64_t)(max));    \
		(field) = v_;                                                  \
	} while (0)

static int set_str(struct load_ctx *ctx, const char *section, const char *name,
		   const char *value, char *dst, size_t cap)
{
	size_t n = strlen(value);

	if (n >= cap)
		return fail(ctx, section, name, "longer than %zu characters",
			    cap - 1);
	memcpy(dst, value, n + 1);
	return 1;
}

static int set_bool(struct load_ctx *ctx, const char *section,
		    const char *name, const char *value, int *dst)
{
	if (strcmp(value, "true") == 0 || strcmp(value, "yes") == 0 ||
	    strcmp(value, "1") == 0)
		*dst = 1;
	else if (strcmp(value, "false") == 0 || strcmp(value, "no") == 0 ||
		 strcmp(value, "0") == 0)
		*dst = 0;
	else
		return fail(ctx, section, name,
			    "'%s' is not a boolean (true/false, yes/no, 1/0)",
			    value);
	return 1;
}

static int set_eal(struct load_ctx *ctx, const char *section,
		   const char *name, const char *value)
{
	struct zk_config_eal *e = &ctx->cfg->eal;

	if (strcmp(name, "args") == 0)
		return set_str(ctx, section, name, value, e->args,
			       sizeof(e->args));
	return fail(ctx, section, name, "unknown key");
}

static int set_dataplane(struct load_ctx *ctx, const char *section,
			 const char *name, const char *value)
{
	struct zk_config_dataplane *d = &ctx->cfg->dataplane;

	if (strcmp(name, "source") == 0) {
		if (strcmp(value, "gen") == 0)
			d->source = ZK_SOURCE_GEN;
		else if (strcmp(value, "pcap") == 0)
			d->source = ZK_SOURCE_PCAP;
		else if (strcmp(value, "port") == 0)
			d->source = ZK_SOURCE_PORT;
		else
			return fail(ctx, section, name,
				    "'%s' is not one of gen, pcap, port", value);
	} else if (strcmp(name, "pcap_path") == 0)
		return set_str(ctx, section, name, value, d->pcap_path,
			       sizeof(d->pcap_path));
	else if (strcmp(name, "port") == 0)
		return set_str(ctx, section, name, value, d->port,
			       sizeof(d->port));
	else if (strcmp(name, "out_dir") == 0)
		return set_str(ctx, section, name, value, d->out_dir,
			       sizeof(d->out_dir));
	else if (strcmp(name, "mbufs") == 0)
		SET_U(d->mbufs, 64, 1u << 24);
	else if (strcmp(name, "mbuf_cache") == 0)
		SET_U(d->mbuf_cache, 0, 512);
	else if (strcmp(name, "rx_desc") == 0)
		SET_U(d->rx_desc, 32, 16384);
	else if (strcmp(name, "burst") == 0)
		SET_U(d->burst, 1, 256);
	else if (strcmp(name, "ring_size") == 0) {
		SET_U(d->ring_size, 64, 1u << 24);
		if (d->ring_size & (d->ring_size - 1))
			return fail(ctx, section, name,
				    "'%s' is not a power of two", value);
	} else if (strcmp(name, "stop_on_eos") == 0)
		return set_bool(ctx, section, name, value, &d->stop_on_eos);
	else if (strcmp(name, "rate") == 0)
		SET_U(d->rate, 0, UINT64_C(1000000000));
	else
		return fail(ctx, section, name, "unknown key");
	return 1;
}

static int set_batch(struct load_ctx *ctx, const char *section,
		     const char *name, const char *value)
{
	struct zk_config_batch *b = &ctx->cfg->batch;

	if (strcmp(name, "max_ops") == 0)
		SET_U(b->max_ops, 1, 1u << 20);
	else if (strcmp(name, "timeout_us") == 0)
		SET_U(b->timeout_us, 0, UINT64_C(60000000));
	else if (strcmp(name, "gap_policy") == 0) {
		if (strcmp(value, "skip") == 0)
			b->gap_halt = 0;
		else if (strcmp(value, "halt") == 0)
			b->gap_halt = 1;
		else
			return fail(ctx, section, name,
				    "'%s' is not one of skip, halt", value);
	} else if (strcmp(name, "witness") == 0)
		return set_bool(ctx, section, name, value, &b->witness);
	else
		return fail(ctx, section, name, "unknown key");
	return 1;
}

static int set_placement(struct load_ctx *ctx, const char *section,
			 const char *name, const char *value)
{
	struct zk_config_placement *pl = &ctx->cfg->placement;

	if (strcmp(name, "rx") == 0)
		SET_U(pl->rx, 1, 64);
	else if (strcmp(name, "provers") == 0) {
		if (strcmp(value, "auto") == 0)
			pl->provers = 0;
		else
			SET_U(pl->provers, 1, 256);
	} else if (strcmp(name, "nic") == 0)
		return set_str(ctx, section, name, value, pl->nic, sizeof(pl->nic));
	else if (strcmp(name, "nic_node") == 0) {
		if (strcmp(value, "auto") == 0)
			pl->nic_node = -1;
		else
			SET_I(pl->nic_node, 0, 1023);
	} else if (strcmp(name, "topology") == 0)
		return set_str(ctx, section, name, value, pl->topology,
			       sizeof(pl->topology));
	else
		return fail(ctx, section, name, "unknown key");
	return 1;
}

static int set_audit(struct load_ctx *ctx, const char *section,
		     const char *name, const char *value)
{
	struct zk_config_audit *a = &ctx->cfg->audit;

	if (strcmp(name, "path") == 0)
		return set_str(ctx, section, name, value, a->path, sizeof(a->path));
	if (strcmp(name, "sync_every") == 0)
		SET_U(a->sync_every, 0, 1u << 20);
	else
		return fail(ctx, section, name, "unknown key");
	return 1;
}

static const char *const log_sync_names[] = {
	[ZK_PROOFLOG_SYNC_EACH] = "each",
	[ZK_PROOFLOG_SYNC_EVERY_N] = "every_n",
	[ZK_PROOFLOG_SYNC_INTERVAL] = "interval",
};

const char *zk_config_log_sync_name(enum zk_prooflog_sync s)
{
	return s >= ZK_PROOFLOG_SYNC_EACH && s <= ZK_PROOFLOG_SYNC_INTERVAL
		       ? log_sync_names[s] : "?";
}

/* Backends zkclobd knows how to build; the router checks the rest. */
static bool known_backend(const char *name)
{
	return strcmp(name, "clob-fast") == 0 ||
	       strcmp(name, "clob-compact") == 0 ||
	       strcmp(name, "hashproof") == 0 || zk_cfgx_backend_name_ok(name);
}

static int set_backends(struct load_ctx *ctx, const char *section,
			const char *name, const char *value)
{
	struct zk_config_prover *p = &ctx->cfg->prover;
	const char *s = value;
	uint32_t n = 0, i;

	while (*s != '\0') {
		size_t len = strcspn(s, " \t,");

		if (len == 0) {
			s++;
			continue;
		}
		if (n == ZK_PROVER_MAX_BACKENDS || len >= sizeof(p->backends[0]))
			return fail(ctx, section, name,
				    "at most %d names of at most %zu characters",
				    ZK_PROVER_MAX_BACKENDS,
				    sizeof(p->backends[0]) - 1);
		memcpy(p->backends[n], s, len);
		p->backends[n][len] = '\0';
		if (!known_backend(p->backends[n]))
			return fail(ctx, section, name,
				    "'%s' is not one of clob-fast, clob-compact, hashproof, external:NAME (clob-throughput's blowup 2 cannot carry the CLOB AIR's degree 4)",
				    p->backends[n]);
		for (i = 0; i < n; i++)
			if (strcmp(p->backends[i], p->backends[n]) == 0)
				return fail(ctx, section, name,
					    "'%s' is listed twice", p->backends[n]);
		n++;
		s += len;
	}
	p->n_backends = n;
	return 1;
}

static int set_prover(struct load_ctx *ctx, const char *section,
		      const char *name, const char *value)
{
	struct zk_config_prover *p = &ctx->cfg->prover;
	size_t i;

	if (strcmp(name, "enabled") == 0)
		return set_bool(ctx, section, name, value, &p->enabled);
	if (strcmp(name, "workers") == 0) {
		if (strcmp(value, "auto") == 0)
			p->workers = 0;
		else
			SET_U(p->workers, 1, 256);
	} else if (strcmp(name, "threads_per_proof") == 0)
		SET_U(p->threads, 1, 64);
	else if (strcmp(name, "backends") == 0)
		return set_backends(ctx, section, name, value);
	else if (strcmp(name, "fault") == 0)
		/* parsed by zkclobd (backends/fault.c), which names the key */
		return set_str(ctx, section, name, value, p->fault,
			       sizeof(p->fault));
	else if (strcmp(name, "log") == 0)
		return set_str(ctx, section, name, value, p->log, sizeof(p->log));
	else if (strcmp(name, "log_sync") == 0) {
		for (i = ZK_PROOFLOG_SYNC_EACH; i <= ZK_PROOFLOG_SYNC_INTERVAL; i++)
			if (strcmp(value, log_sync_names[i]) == 0) {
				p->log_sync = (enum zk_prooflog_sync)i;
				return 1;
			}
		return fail(ctx, section, name,
			    "'%s' is not one of each, every_n, interval", value);
	} else if (strcmp(name, "log_sync_every") == 0)
		SET_U(p->log_sync_every, 1, 1u << 20);
	else if (strcmp(name, "fault_log_delay_us") == 0)
		SET_U(p->fault_log_delay_us, 0, 10000000u);
	else if (strcmp(name, "log_sync_interval_us") == 0)
		SET_U(p->log_sync_interval_us, 1, UINT64_C(10000000));
	else if (strcmp(name, "on_unprovable") == 0) {
		if (strcmp(value, "log") == 0)
			p->on_unprovable = ZK_UNPROVABLE_LOG;
		else if (strcmp(value, "halt") == 0)
			p->on_unprovable = ZK_UNPROVABLE_HALT;
		else
			return fail(ctx, section, name,
				    "'%s' is not one of log, halt", value);
	} else if (strcmp(name, "on_stop") == 0) {
		if (strcmp(value, "finish") == 0)
			p->abandon_on_stop = 0;
		else if (strcmp(value, "abandon") == 0)
			p->abandon_on_stop = 1;
		else
			return fail(ctx, section, name,
				    "'%s' is not one of finish, abandon", value);
	} else if (strcmp(name, "on_backlog") == 0) {
		if (strcmp(value, "stall") == 0)
			p->skip_on_backlog = 0;
		else if (strcmp(value, "skip") == 0)
			p->skip_on_backlog = 1;
		else
			return fail(ctx, section, name,
				    "'%s' is not one of stall, skip", value);
	} else if (strcmp(name, "queue_depth") == 0)
		SET_U(p->queue_depth, 1, 1u << 16);
	else if (strcmp(name, "workload") == 0) {
		if (zk_workload_parse(value, &p->workload) != 0)
			return fail(ctx, section, name,
				    "'%s' is not a workload class", value);
	} else
		return fail(ctx, section, name, "unknown key");
	return 1;
}

static int set_wire(struct load_ctx *ctx, const char *section,
		    const char *name, const char *value)
{
	struct zk_config_wire *w = &ctx->cfg->wire;

	if (strcmp(name, "udp_port") == 0)
		SET_U(w->udp_port, 1, 65535);
	else
		return fail(ctx, section, name, "unknown key");
	return 1;
}

static int set_gen(struct load_ctx *ctx, const char *section, const char *name,
		   const char *value)
{
	struct zk_gen_params *g = &ctx->cfg->gen;

	if (strcmp(name, "seed") == 0)
		SET_U(g->seed, 0, UINT64_MAX);
	else if (strcmp(name, "count") == 0)
		SET_U(g->count, 1, UINT64_C(1) << 40);
	else if (strcmp(name, "markets") == 0)
		SET_U(g->markets, 1, ZK_CONFIG_MAX_MARKETS);
	else if (strcmp(name, "accounts") == 0)
		SET_U(g->accounts, 2, 1u << 24);
	else if (strcmp(name, "live_orders") == 0)
		SET_U(g->live_orders, 1, 1u << 20);
	else if (strcmp(name, "price_range") == 0)
		SET_U(g->price_range, 1, 1u << 20);
	else if (strcmp(name, "msgs_per_packet") == 0)
		SET_U(g->msgs_per_packet, 1, ZK_GEN_MAX_MSGS_PER_PACKET);
	else if (strcmp(name, "ref_price") == 0)
		SET_I(g->ref_price, 1, INT64_C(1) << 53);
	else if (strcmp(name, "max_lots") == 0)
		SET_U(g->max_lots, 1, UINT64_C(1) << 32);
	else if (strcmp(name, "post_only_pm") == 0)
		SET_U(g->post_only_pm, 0, 1000);
	else if (strcmp(name, "stale_ref_pm") == 0)
		SET_U(g->stale_ref_pm, 0, 1000);
	else if (strcmp(name, "mix_place") == 0)
		SET_U(g->mix.place, 0, 1000000);
	else if (strcmp(name, "mix_move") == 0)
		SET_U(g->mix.move, 0, 1000000);
	else if (strcmp(name, "mix_reduce") == 0)
		SET_U(g->mix.reduce, 0, 1000000);
	else if (strcmp(name, "mix_cancel") == 0)
		SET_U(g->mix.cancel, 0, 1000000);
	else if (strcmp(name, "mix_ioc") == 0)
		SET_U(g->mix.ioc, 0, 1000000);
	else if (strcmp(name, "mix_fok") == 0)
		SET_U(g->mix.fok, 0, 1000000);
	else if (strcmp(name, "mix_market") == 0)
		SET_U(g->mix.market, 0, 1000000);
	else if (strcmp(name, "session") == 0) {
		size_t i, n = strlen(value);

		if (n == 0 || n > ZK_WIRE_SESSION_LEN)
			return fail(ctx, section, name,
				    "'%s' must be 1 to %d characters", value,
				    ZK_WIRE_SESSION_LEN);
		for (i = 0; i < n; i++)
			if (value[i] < 0x21 || value[i] > 0x7e)
				return fail(ctx, section, name,
					    "'%s' must be printable ASCII without blanks",
					    value);
		memset(g->session, 0, sizeof(g->session));
		memcpy(g->session, value, n);
	} else
		return fail(ctx, section, name, "unknown key");
	return 1;
}

static struct zk_market_params *market_for(struct load_ctx *ctx,
					   const char *section,
					   const char *name)
{
	struct zk_config *cfg = ctx->cfg;
	uint64_t id;
	size_t i;

	if (!parse_u64(section + strlen("market."), 0, UINT32_MAX, &id)) {
		fail(ctx, section, name,
		     "market sections are [market.ID] with ID in [0, %u]",
		     UINT32_MAX);
		return NULL;
	}
	if (!ctx->markets_replaced) {
		cfg->n_markets = 0;
		ctx->markets_replaced = true;
	}
	for (i = 0; i < cfg->n_markets; i++)
		if (cfg->markets[i].market == id)
			return &cfg->markets[i];
	if (cfg->n_markets == ZK_CONFIG_MAX_MARKETS) {
		fail(ctx, section, name, "more than %d markets",
		     ZK_CONFIG_MAX_MARKETS);
		return NULL;
	}
	cfg->markets[cfg->n_markets] = market_defaults;
	cfg->markets[cfg->n_markets].market = (uint32_t)id;
	return &cfg->markets[cfg->n_markets++];
}

static int set_market(struct load_ctx *ctx, const char *section,
		      const char *name, const char *value)
{
	struct zk_market_params *m = market_for(ctx, section, name);

	if (m == NULL)
		return 0;
	if (strcmp(name, "tick") == 0)
		SET_I(m->tick, 1, INT64_C(1) << 40);
	else if (strcmp(name, "lot") == 0)
		SET_U(m->lot, 1, UINT64_C(1) << 40);
	else if (strcmp(name, "min_price") == 0)
		SET_I(m->min_price, 1, INT64_C(1) << 53);
	else if (strcmp(name, "max_price") == 0)
		SET_I(m->max_price, 1, INT64_C(1) << 53);
	else if (strcmp(name, "max_qty") == 0)
		SET_U(m->max_qty, 1, UINT64_C(1) << 53);
	else if (strcmp(name, "max_orders") == 0)
		SET_U(m->max_orders, 1, 1u << 24);
	else if (strcmp(name, "max_levels") == 0)
		SET_U(m->max_levels, 1, 1u << 24);
	else if (strcmp(name, "stp") == 0) {
		if (zk_cfg_stp_parse(value, &m->stp) == 0)
			return 1;
		return fail(ctx, section, name,
			    "'%s' is not one of cancel-newest, cancel-oldest, cancel-both",
			    value);
	} else
		return fail(ctx, section, name, "unknown key");
	return 1;
}

static int handler(void *user, const char *section, const char *name,
		   const char *value)
{
	struct load_ctx *ctx = user;
	char key[64];
	size_t i;

	if (ctx->reason[0] != '\0')
		return 0;
	/* inih only takes ';' as a comment after a blank, so "key =;x" loads
	 * "x"-with-a-semicolon, but its dump "key = ;x" would read back as a
	 * comment: refuse such values so that a dump is the effective config */
	if (value[0] == ';' || value[0] == '#')
		return fail(ctx, section, name,
			    "'%s' starts with a comment character", value);
	if (snprintf(key, sizeof(key), "%s\n%s", section, name) >= (int)sizeof(key))
		return fail(ctx, section, name, "section or key name too long");
	for (i = 0; i < ctx->n_seen; i++)
		if (strcmp(ctx->seen[i], key) == 0)
			return fail(ctx, section, name, "given twice");
	if (ctx->n_seen == MAX_SEEN_KEYS)
		return fail(ctx, section, name, "more than %d keys",
			    MAX_SEEN_KEYS);
	memcpy(ctx->seen[ctx->n_seen++], key, sizeof(key));

	if (strcmp(section, "metrics") == 0) {
		char merr[160];

		if (zk_metrics_config_set(&ctx->cfg->metrics, section, name,
					  value, merr, sizeof(merr)) != 0)
			return fail(ctx, section, name, "%s", merr);
		return 1;
	}
	if (strcmp(section, "audit") == 0)
		return set_audit(ctx, section, name, value);
	if (strcmp(section, "profile") == 0) {
		struct zk_config_profile *pr = &ctx->cfg->profile;

		if (strcmp(name, "enabled") == 0)
			return set_bool(ctx, section, name, value, &pr->enabled);
		if (strcmp(name, "dir") == 0)
			return set_str(ctx, section, name, value, pr->dir,
				       sizeof(pr->dir));
		return fail(ctx, section, name, "unknown key");
	}
	if (strncmp(section, "router", 6) == 0) {
		char rerr[160];
		int rc = zk_router_config_set(&ctx->cfg->router, section, name,
					      value, rerr, sizeof(rerr));

		if (rc < 0)
			return fail(ctx, section, name, "%s", rerr);
		if (rc == 0)
			return 1;
		/* rc == 1: not a router section after all ("routerx") */
	}
	if (strcmp(section, "wire") == 0)
		return set_wire(ctx, section, name, value);
	if (strcmp(section, "prover") == 0)
		return set_prover(ctx, section, name, value);
	if (strcmp(section, "eal") == 0)
		return set_eal(ctx, section, name, value);
	if (strcmp(section, "placement") == 0)
		return set_placement(ctx, section, name, value);
	if (strcmp(section, "dataplane") == 0)
		return set_dataplane(ctx, section, name, value);
	if (strcmp(section, "batch") == 0)
		return set_batch(ctx, section, name, value);
	if (strcmp(section, "gen") == 0)
		return set_gen(ctx, section, name, value);
	if (strncmp(section, "market.", strlen("market.")) == 0)
		return set_market(ctx, section, name, value);
	if (strncmp(section, ZK_CFGX_SECTION, strlen(ZK_CFGX_SECTION)) == 0) {
		char xerr[200];

		if (zk_cfgx_set(ctx->cfg, section, name, value, xerr,
				sizeof(xerr)) == 0)
			return fail(ctx, section, name, "%s", xerr);
		return 1;
	}
	if (section[0] == '\0')
		return fail(ctx, "", name, "key outside any section");
	return fail(ctx, section, name, "unknown section [%s]", section);
}

/* Checks that involve more than one key, run once a source is loaded. */
static int check_whole(const struct zk_config *cfg, const char *name,
		       char *err, size_t errlen)
{
	size_t i;
	const struct zk_gen_params *g = &cfg->gen;

	char rerr[160];

	if (cfg->n_markets == 0) {
		snprintf(err, errlen, "%s: no [market.ID] section", name);
		return -1;
	}
	if (zk_router_config_check(&cfg->router, rerr, sizeof(rerr)) != 0) {
		snprintf(err, errlen, "%s: [router]: %s", name, rerr);
		return -1;
	}
	if (cfg->dataplane.source == ZK_SOURCE_PCAP &&
	    cfg->dataplane.pcap_path[0] == '\0') {
		snprintf(err, errlen,
			 "%s: [dataplane] source = pcap needs pcap_path", name);
		return -1;
	}
	if (cfg->dataplane.source == ZK_SOURCE_PORT &&
	    cfg->dataplane.port[0] == '\0') {
		snprintf(err, errlen,
			 "%s: [dataplane] source = port needs port (an ethdev name)",
			 name);
		return -1;
	}
	if (cfg->profile.enabled && cfg->profile.dir[0] == '\0') {
		snprintf(err, errlen, "%s: [profile] enabled needs dir", name);
		return -1;
	}
	if (cfg->prover.enabled && cfg->prover.n_backends == 0) {
		snprintf(err, errlen, "%s: [prover] enabled needs backends", name);
		return -1;
	}
	if (cfg->dataplane.mbuf_cache > cfg->dataplane.mbufs / 2) {
		snprintf(err, errlen,
			 "%s: [dataplane] mbuf_cache %" PRIu32 " exceeds half of mbufs %" PRIu32,
			 name, cfg->dataplane.mbuf_cache, cfg->dataplane.mbufs);
		return -1;
	}
	for (i = 0; i < cfg->n_markets; i++) {
		const struct zk_market_params *m = &cfg->markets[i];

		if (m->min_price > m->max_price) {
			snprintf(err, errlen,
				 "%s: [market.%" PRIu32 "] min_price %" PRId64
				 " > max_price %" PRId64,
				 name, m->market, m->min_price, m->max_price);
			return -1;
		}
		if (m->max_qty < m->lot) {
			snprintf(err, errlen,
				 "%s: [market.%" PRIu32 "] max_qty %" PRIu64
				 " < lot %" PRIu64 ": no size is valid",
				 name, m->market, m->max_qty, m->lot);
			return -1;
		}
	}
	if (g->mix.place + g->mix.move + g->mix.reduce + g->mix.cancel +
	    g->mix.ioc + g->mix.fok + g->mix.market == 0) {
		snprintf(err, errlen, "%s: [gen] every mix_* weight is 0", name);
		return -1;
	}
	return 0;
}

/* inih splits a longer line in two and reports its tail as a syntax error
 * on the next line: name the real cause instead. */
static int check_line_lengths(const char *name, const char *text, char *err,
			      size_t errlen)
{
	int line = 1;

	while (*text != '\0') {
		size_t len = strcspn(text, "\n");

		if (len > ZK_CONFIG_MAX_LINE) {
			snprintf(err, errlen,
				 "%s:%d: line of %zu characters; the INI reader takes at most %d",
				 name, line, len, ZK_CONFIG_MAX_LINE);
			return -1;
		}
		text += len + (text[len] == '\n');
		line++;
	}
	return 0;
}

static int load_text(struct zk_config *cfg, const char *name, const char *text,
		     bool is_base, char *err, size_t errlen)
{
	struct load_ctx *ctx;
	struct zk_config work = *cfg;
	int line;

	if (check_line_lengths(name, text, err, errlen) != 0)
		return -1;

	ctx = calloc(1, sizeof(*ctx));
	if (ctx == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	ctx->cfg = &work;
	ctx->markets_replaced = is_base;
	if (is_base)
		work.n_markets = 0;
	line = ini_parse_string(text, handler, ctx);
	if (line != 0) {
		if (line < 0)
			snprintf(err, errlen, "%s: out of memory while parsing", name);
		else if (ctx->reason[0] != '\0')
			snprintf(err, errlen, "%s:%d: %s", name, line, ctx->reason);
		else
			snprintf(err, errlen,
				 "%s:%d: syntax error (expected '[section]' or 'key = value')",
				 name, line);
		free(ctx);
		return -1;
	}
	free(ctx);
	if (check_whole(&work, name, err, errlen) != 0 ||
	    zk_cfgx_check(&work, name, text, err, errlen) != 0)
		return -1;
	*cfg = work;
	return 0;
}

int zk_config_load_default(struct zk_config *cfg, char *err, size_t errlen)
{
	struct zk_config base;

	memset(&base, 0, sizeof(base));
	zk_gen_params_default(&base.gen);
	zk_router_config_default(&base.router);
	zk_metrics_config_default(&base.metrics);
	if (load_text(&base, "<embedded zkclob.conf>", zk_config_default_text,
		      true, err, errlen) != 0)
		return -1;
	*cfg = base;
	return 0;
}

int zk_config_load_string(struct zk_config *cfg, const char *name,
			  const char *text, char *err, size_t errlen)
{
	struct zk_config work;

	if (zk_config_load_default(&work, err, errlen) != 0)
		return -1;
	if (load_text(&work, name, text, false, err, errlen) != 0)
		return -1;
	*cfg = work;
	return 0;
}

int zk_config_load_file(struct zk_config *cfg, const char *path, char *err,
			size_t errlen)
{
	FILE *f;
	char *text;
	long size;
	size_t got;
	int rc;

	f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		snprintf(err, errlen, "%s: cannot determine size: %s", path,
			 strerror(errno));
		fclose(f);
		return -1;
	}
	if (size > (1L << 20)) {
		snprintf(err, errlen, "%s: larger than 1 MiB; not a config file",
			 path);
		fclose(f);
		return -1;
	}
	text = malloc((size_t)size + 1);
	if (text == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		fclose(f);
		return -1;
	}
	got = fread(text, 1, (size_t)size, f);
	fclose(f);
	if (got != (size_t)size) {
		snprintf(err, errlen, "%s: short read", path);
		free(text);
		return -1;
	}
	text[got] = '\0';
	if (memchr(text, '\0', got) != NULL) {
		snprintf(err, errlen, "%s: contains a NUL byte; not a config file",
			 path);
		free(text);
		return -1;
	}
	rc = zk_config_load_string(cfg, path, text, err, errlen);
	free(text);
	return rc;
}
