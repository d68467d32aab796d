/* SPDX-License-Identifier: MIT */
/*
 * The config's other direction and its consumers: zk_config_write() emits a
 * complete file that loads back to the same config (SIGHUP diffs two such
 * texts line by line, so the section order here is part of that contract),
 * zk_config_gen_params() and zk_config_plan() turn a loaded config into the
 * generator's and the placement's inputs. Loading is config.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "zkclob/config.h"
#include "config_external.h"
#include "config_int.h"

static const struct {
	const char *name;
	enum zk_stp_mode mode;
} stp_names[] = {
	{ "cancel-newest", ZK_STP_CANCEL_NEWEST },
	{ "cancel-oldest", ZK_STP_CANCEL_OLDEST },
	{ "cancel-both", ZK_STP_CANCEL_BOTH },
};

int zk_cfg_stp_parse(const char *name, enum zk_stp_mode *mode)
{
	size_t i;

	for (i = 0; i < sizeof(stp_names) / sizeof(stp_names[0]); i++) {
		if (strcmp(name, stp_names[i].name) == 0) {
			*mode = stp_names[i].mode;
			return 0;
		}
	}
	return -1;
}

const char *zk_cfg_stp_name(enum zk_stp_mode mode)
{
	size_t i;

	for (i = 0; i < sizeof(stp_names) / sizeof(stp_names[0]); i++)
		if (stp_names[i].mode == mode)
			return stp_names[i].name;
	return "?";
}

static int write_prover(const struct zk_config_prover *p, FILE *out)
{
	uint32_t i;

	fprintf(out, "\n[prover]\nenabled = %s\n", p->enabled ? "true" : "false");
	if (p->workers == 0)
		fprintf(out, "workers = auto\n");
	else
		fprintf(out, "workers = %" PRIu32 "\n", p->workers);
	fprintf(out, "threads_per_proof = %" PRIu32 "\nbackends =", p->threads);
	for (i = 0; i < p->n_backends; i++)
		fprintf(out, " %s", p->backends[i]);
	fprintf(out,
		"\nfault = %s\nfault_log_delay_us = %" PRIu32 "\nlog = %s\n"
		"log_sync = %s\nlog_sync_every = %" PRIu32
		"\nlog_sync_interval_us = %" PRIu64 "\non_unprovable = %s\n"
		"on_stop = %s\nqueue_depth = %" PRIu32 "\non_backlog = %s\n"
		"workload = %s\n",
		p->fault, p->fault_log_delay_us, p->log,
		zk_config_log_sync_name(p->log_sync),
		p->log_sync_every, p->log_sync_interval_us,
		p->on_unprovable == ZK_UNPROVABLE_HALT ? "halt" : "log",
		p->abandon_on_stop ? "abandon" : "finish", p->queue_depth,
		p->skip_on_backlog ? "skip" : "stall",
		zk_workload_name(p->workload));
	return 0;
}

int zk_config_write(const struct zk_config *cfg, FILE *out)
{
	const struct zk_gen_params *g = &cfg->gen;
	size_t i;

	static const char *const sources[] = { "gen", "pcap", "port" };
	const struct zk_config_dataplane *d = &cfg->dataplane;
	const struct zk_config_batch *b = &cfg->batch;

	const struct zk_config_placement *pl = &cfg->placement;
	char provers[16], nic_node[16];

	fprintf(out, "[eal]\nargs = %s\n", cfg->eal.args);
	if (pl->provers == 0)
		snprintf(provers, sizeof(provers), "auto");
	else
		snprintf(provers, sizeof(provers), "%" PRIu32, pl->provers);
	if (pl->nic_node < 0)
		snprintf(nic_node, sizeof(nic_node), "auto");
	else
		snprintf(nic_node, sizeof(nic_node), "%" PRId32, pl->nic_node);
	fprintf(out,
		"\n[placement]\nrx = %" PRIu32 "\nprovers = %s\nnic = %s\nnic_node = %s\ntopology = %s\n",
		pl->rx, provers, pl->nic, nic_node, pl->topology);
	fprintf(out,
		"\n[dataplane]\nsource = %s\npcap_path = %s\nport = %s\nout_dir = %s\n"
		"mbufs = %" PRIu32 "\nmbuf_cache = %" PRIu32 "\nrx_desc = %" PRIu32
		"\nburst = %" PRIu32 "\nring_size = %" PRIu32 "\nstop_on_eos = %s\n"
		"rate = %" PRIu64 "\n",
		sources[d->source], d->pcap_path, d->port, d->out_dir, d->mbufs,
		d->mbuf_cache, d->rx_desc, d->burst, d->ring_size,
		d->stop_on_eos ? "true" : "false", d->rate);
	fprintf(out,
		"\n[batch]\nmax_ops = %" PRIu32 "\ntimeout_us = %" PRIu64
		"\ngap_policy = %s\nwitness = %s\n",
		b->max_ops, b->timeout_us, b->gap_halt ? "halt" : "skip",
		b->witness ? "true" : "false");
	fprintf(out, "\n[wire]\nudp_port = %" PRIu16 "\n", cfg->wire.udp_port);
	for (i = 0; i < cfg->n_markets; i++) {
		const struct zk_market_params *m = &cfg->markets[i];
		const char *stp = zk_cfg_stp_name(m->stp);

		fprintf(out,
			"\n[market.%" PRIu32 "]\ntick = %" PRId64 "\nlot = %" PRIu64
			"\nmin_price = %" PRId64 "\nmax_price = %" PRId64
			"\nmax_qty = %" PRIu64 "\nstp = %s\nmax_orders = %" PRIu32
			"\nmax_levels = %" PRIu32 "\n",
			m->market, m->tick, m->lot, m->min_price, m->max_price,
			m->max_qty, stp, m->max_orders, m->max_levels);
	}
	fprintf(out,
		"\n[gen]\nseed = %" PRIu64 "\ncount = %" PRIu64
		"\nmarkets = %" PRIu32 "\naccounts = %" PRIu32
		"\nlive_orders = %" PRIu32 "\nprice_range = %" PRIu32
		"\nmsgs_per_packet = %" PRIu16 "\nref_price = %" PRId64
		"\nmax_lots = %" PRIu64 "\npost_only_pm = %" PRIu32
		"\nstale_ref_pm = %" PRIu32 "\nmix_place = %" PRIu32
		"\nmix_move = %" PRIu32 "\nmix_reduce = %" PRIu32
		"\nmix_cancel = %" PRIu32 "\nmix_ioc = %" PRIu32
		"\nmix_fok = %" PRIu32 "\nmix_market = %" PRIu32
		"\nsession = %s\n",
		g->seed, g->count, g->markets, g->accounts, g->live_orders,
		g->price_range, g->msgs_per_packet, g->ref_price, g->max_lots,
		g->post_only_pm, g->stale_ref_pm, g->mix.place, g->mix.move,
		g->mix.reduce, g->mix.cancel, g->mix.ioc, g->mix.fok,
		g->mix.market, g->session);
	fprintf(out, "\n[audit]\npath = %s\nsync_every = %" PRIu32 "\n",
		cfg->audit.path, cfg->audit.sync_every);
	fprintf(out, "\n[profile]\nenabled = %s\ndir = %s\n",
		cfg->profile.enabled ? "true" : "false", cfg->profile.dir);
	if (write_prover(&cfg->prover, out) != 0)
		return -1;
	fprintf(out, "\n");
	if (zk_metrics_config_write(&cfg->metrics, out) != 0)
		return -1;
	fprintf(out, "\n");
	if (zk_router_config_write(&cfg->router, out) != 0)
		return -1;
	/* last: adding a prover only appends lines, so SIGHUP's line diff
	 * (tools/zkclobd.c) still lines up the sections above */
	if (zk_cfgx_write(cfg, out) != 0)
		return -1;
	return ferror(out) ? -1 : 0;
}

int zk_config_gen_params(const struct zk_config *cfg, struct zk_gen_params *out,
			 char *err, size_t errlen)
{
	const struct zk_market_params *m = &cfg->markets[0];
	struct zk_gen_params p = cfg->gen;
	int64_t below, above;

	if (cfg->n_markets == 0) {
		snprintf(err, errlen, "no market configured");
		return -1;
	}
	if (p.ref_price < m->min_price || p.ref_price > m->max_price ||
	    p.ref_price % m->tick != 0) {
		snprintf(err, errlen,
			 "[gen] ref_price %" PRId64 " is not a tick-aligned price inside [market.%" PRIu32 "]'s band [%" PRId64 ", %" PRId64 "]",
			 p.ref_price, m->market, m->min_price, m->max_price);
		return -1;
	}
	below = p.ref_price - m->min_price;
	above = m->max_price - p.ref_price;
	p.tick = m->tick;
	p.lot = m->lot;
	p.price_band = below < above ? below : above;
	p.addr.dst_port = cfg->wire.udp_port;
	if (p.max_lots > m->max_qty / m->lot)
		p.max_lots = m->max_qty / m->lot;
	if (zk_gen_params_check(&p, err, errlen) != 0)
		return -1;
	*out = p;
	return 0;
}

int zk_config_plan(const struct zk_config *cfg, struct zk_placement *plan,
		   char *err, size_t errlen)
{
	const struct zk_config_placement *pl = &cfg->placement;
	struct zk_placement_request req;

	memset(&req, 0, sizeof(req));
	req.rx = pl->rx;
	req.provers = pl->provers;
	req.nic = pl->nic[0] ? pl->nic : NULL;
	req.nic_node = pl->nic_node < 0 ? ZK_PLACEMENT_NODE_DEFAULT : pl->nic_node;
	return zk_placement_plan(&req, pl->topology[0] ? pl->topology : NULL,
				 plan, err, errlen) == 0 ? 0 : -1;
}
