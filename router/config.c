/* SPDX-License-Identifier: MIT */
/*
 * The router's config sections, parsed key by key so that configs/config.c
 * can route [router] and [router.CLASS] keys here from its inih handler and
 * add file and line to the reason.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkclob/router.h"

static const char *const workload_names[ZK_WORKLOAD_COUNT] = {
	[ZK_WORKLOAD_ORDER_VALIDATION] = "order_validation",
	[ZK_WORKLOAD_TRADE_EXECUTION] = "trade_execution",
	[ZK_WORKLOAD_BATCH] = "batch",
	[ZK_WORKLOAD_RISK] = "risk",
	[ZK_WORKLOAD_COMPLIANCE] = "compliance",
	[ZK_WORKLOAD_ANALYTICS] = "analytics",
};

static const char *const strategy_names[] = {
	[ZK_STRATEGY_LATENCY] = "latency",
	[ZK_STRATEGY_SIZE] = "size",
	[ZK_STRATEGY_RELIABILITY] = "reliability",
	[ZK_STRATEGY_BALANCED] = "balanced",
	[ZK_STRATEGY_DEFAULT] = "default",
};

const char *
zk_workload_name(enum zk_workload w)
{
	return (unsigned)w < ZK_WORKLOAD_COUNT ? workload_names[w] : "unknown";
}

const char *
zk_strategy_name(enum zk_strategy s)
{
	return (unsigned)s <= ZK_STRATEGY_DEFAULT ? strategy_names[s] :
						    "unknown";
}

int
zk_workload_parse(const char *name, enum zk_workload *out)
{
	for (int w = 0; w < ZK_WORKLOAD_COUNT; w++)
		if (strcmp(name, workload_names[w]) == 0) {
			*out = (enum zk_workload)w;
			return 0;
		}
	return -1;
}

void
zk_router_config_default(struct zk_router_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->strategy = ZK_STRATEGY_BALANCED;
	cfg->w_latency = 1.0;
	cfg->w_size = 0.25;
	cfg->w_reliability = 1.0;
	cfg->w_load = 0.5;
	cfg->verify_rate = 1.0;
	cfg->max_retries = 2;
	cfg->breaker_failures = 5;
	cfg->breaker_cooldown_ms = 1000;
	cfg->ewma_alpha = 0.2;
	cfg->test_backends = false;
	cfg->proof_cache_entries = 1024;
	cfg->verify_cache_entries = 4096;
	cfg->seed = 1;
	for (int w = 0; w < ZK_WORKLOAD_COUNT; w++)
		cfg->classes[w].strategy = ZK_STRATEGY_DEFAULT;
}

static int
parse_u64(const char *v, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long x;

	if (*v < '0' || *v > '9')
		return -1;
	errno = 0;
	x = strtoull(v, &end, 10);
	if (errno != 0 || *end != '\0' || x > max)
		return -1;
	*out = x;
	return 0;
}

static int
parse_double(const char *v, double min, double max, double *out)
{
	char *end;
	double x;

	if (*v == '\0')
		return -1;
	errno = 0;
	x = strtod(v, &end);
	if (errno != 0 || *end != '\0' || !(x >= min && x <= max))
		return -1;
	*out = x;
	return 0;
}

static int
parse_bool(const char *v, bool *out)
{
	if (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 ||
	    strcmp(v, "1") == 0)
		*out = true;
	else if (strcmp(v, "false") == 0 || strcmp(v, "no") == 0 ||
		 strcmp(v, "0") == 0)
		*out = false;
	else
		return -1;
	return 0;
}

static int
parse_strategy(const char *v, bool allow_default, enum zk_strategy *out)
{
	for (int s = 0; s <= ZK_STRATEGY_DEFAULT; s++)
		if (strcmp(v, strategy_names[s]) == 0) {
			if (s == ZK_STRATEGY_DEFAULT && !allow_default)
				return -1;
			*out = (enum zk_strategy)s;
			return 0;
		}
	return -1;
}

/* "a, b c" → names; every name must fit ZK_BACKEND_NAME_MAX. */
static int
parse_names(const char *v, struct zk_route_constraints *c, char *err,
	    size_t errlen)
{
	uint32_t n = 0;

	while (*v != '\0') {
		size_t len;

		while (*v == ' ' || *v == ',' || *v == '\t')
			v++;
		if (*v == '\0')
			break;
		len = strcspn(v, " ,\t");
		if (len >= ZK_BACKEND_NAME_MAX) {
			snprintf(err, errlen, "backend name too long");
			return -1;
		}
		if (n == ZK_ROUTER_MAX_BACKENDS) {
			snprintf(err, errlen, "more than %d names",
				 ZK_ROUTER_MAX_BACKENDS);
			return -1;
		}
		memcpy(c->allowed[n], v, len);
		c->allowed[n][len] = '\0';
		n++;
		v += len;
	}
	c->n_allowed = n;
	return 0;
}

static int
set_router_key(struct zk_router_cfg *cfg, const char *key, const char *v,
	       char *err, size_t errlen)
{
	uint64_t u;

	if (strcmp(key, "strategy") == 0) {
		if (parse_strategy(v, false, &cfg->strategy) != 0)
			goto bad_strategy;
	} else if (strcmp(key, "weight_latency") == 0) {
		if (parse_double(v, 0, 1000, &cfg->w_latency) != 0)
			goto bad_weight;
	} else if (strcmp(key, "weight_size") == 0) {
		if (parse_double(v, 0, 1000, &cfg->w_size) != 0)
			goto bad_weight;
	} else if (strcmp(key, "weight_reliability") == 0) {
		if (parse_double(v, 0, 1000, &cfg->w_reliability) != 0)
			goto bad_weight;
	} else if (strcmp(key, "weight_load") == 0) {
		if (parse_double(v, 0, 1000, &cfg->w_load) != 0)
			goto bad_weight;
	} else if (strcmp(key, "verify_rate") == 0) {
		if (parse_double(v, 0, 1, &cfg->verify_rate) != 0) {
			snprintf(err, errlen, "must be a number in 0..1");
			return -1;
		}
	} else if (strcmp(key, "ewma_alpha") == 0) {
		if (parse_double(v, 0, 1, &cfg->ewma_alpha) != 0 ||
		    cfg->ewma_alpha == 0) {
			snprintf(err, errlen, "must be a number in (0, 1]");
			return -1;
		}
	} else if (strcmp(key, "max_retries") == 0) {
		if (parse_u64(v, ZK_ROUTER_MAX_BACKENDS, &u) != 0)
			goto bad_range;
		cfg->max_retries = (uint32_t)u;
	} else if (strcmp(key, "breaker_failures") == 0) {
		if (parse_u64(v, 1000000, &u) != 0 || u == 0)
			goto bad_range;
		cfg->breaker_failures = (uint32_t)u;
	} else if (strcmp(key, "breaker_cooldown_ms") == 0) {
		if (parse_u64(v, 86400000, &cfg->breaker_cooldown_ms) != 0)
			goto bad_range;
	} else if (strcmp(key, "test_backends") == 0) {
		if (parse_bool(v, &cfg->test_backends) != 0) {
			snprintf(err, errlen, "must be true or false");
			return -1;
		}
	} else if (strcmp(key, "proof_cache") == 0) {
		if (parse_u64(v, 1u << 20, &u) != 0)
			goto bad_range;
		cfg->proof_cache_entries = (uint32_t)u;
	} else if (strcmp(key, "verify_cache") == 0) {
		if (parse_u64(v, 1u << 22, &u) != 0)
			goto bad_range;
		cfg->verify_cache_entries = (uint32_t)u;
	} else if (strcmp(key, "seed") == 0) {
		if (parse_u64(v, UINT64_MAX, &cfg->seed) != 0)
			goto bad_range;
	} else {
		snprintf(err, errlen, "unknown key");
		return -1;
	}
	return 0;
bad_strategy:
	snprintf(err, errlen,
		 "must be latency, size, reliability or balanced");
	return -1;
bad_weight:
	snprintf(err, errlen, "must be a number in 0..1000");
	return -1;
bad_range:
	snprintf(err, errlen, "not a number in range");
	return -1;
}

static int
set_class_key(struct zk_route_constraints *c, const char *key, const char *v,
	      char *err, size_t errlen)
{
	uint64_t u;

	if (strcmp(key, "deadline_us") == 0) {
		if (parse_u64(v, 3600000000ull, &c->deadline_us) != 0)
			goto bad_range;
	} else if (strcmp(key, "max_proof_bytes") == 0) {
		if (parse_u64(v, 1ull << 32, &c->max_proof_bytes) != 0)
			goto bad_range;
	} else if (strcmp(key, "max_verify_us") == 0) {
		if (parse_u64(v, 3600000000ull, &c->max_verify_us) != 0)
			goto bad_range;
	} else if (strcmp(key, "min_security_bits") == 0) {
		if (parse_u64(v, 512, &u) != 0)
			goto bad_range;
		c->min_security_bits = (uint32_t)u;
	} else if (strcmp(key, "preferred") == 0) {
		if (strlen(v) >= sizeof(c->preferred)) {
			snprintf(err, errlen, "backend name too long");
			return -1;
		}
		snprintf(c->preferred, sizeof(c->preferred), "%s", v);
	} else if (strcmp(key, "allowed") == 0) {
		return parse_names(v, c, err, errlen);
	} else if (strcmp(key, "strategy") == 0) {
		if (parse_strategy(v, true, &c->strategy) != 0) {
			snprintf(err, errlen,
				 "must be default, latency, size, reliability or balanced");
			return -1;
		}
	} else {
		snprintf(err, errlen, "unknown key");
		return -1;
	}
	return 0;
bad_range:
	snprintf(err, errlen, "not a number in range");
	return -1;
}

int
zk_router_config_set(struct zk_router_cfg *cfg, const char *section,
		     const char *key, const char *value, char *err,
		     size_t errlen)
{
	enum zk_workload w;

	if (strcmp(section, "router") == 0)
		return set_router_key(cfg, key, value, err, errlen);
	if (strncmp(section, "router.", 7) != 0)
		return 1;
	if (zk_workload_parse(section + 7, &w) != 0) {
		snprintf(err, errlen,
			 "unknown workload class (order_validation, trade_execution, batch, risk, compliance, analytics)");
		return -1;
	}
	return set_class_key(&cfg->classes[w], key, value, err, errlen);
}

int
zk_router_config_check(const struct zk_router_cfg *cfg, char *err,
		       size_t errlen)
{
	if (cfg->strategy >= ZK_STRATEGY_DEFAULT) {
		snprintf(err, errlen, "[router] strategy: not a strategy");
		return -1;
	}
	if (cfg->strategy == ZK_STRATEGY_BALANCED &&
	    cfg->w_latency + cfg->w_size + cfg->w_reliability + cfg->w_load <=
		    0) {
		snprintf(err, errlen,
			 "[router] balanced strategy needs a positive weight");
		return -1;
	}
	if (!(cfg->verify_rate >= 0 && cfg->verify_rate <= 1) ||
	    !(cfg->ewma_alpha > 0 && cfg->ewma_alpha <= 1) ||
	    cfg->breaker_failures == 0) {
		snprintf(err, errlen,
			 "[router] verify_rate, ewma_alpha or breaker_failures out of range");
		return -1;
	}
	for (int w = 0; w < ZK_WORKLOAD_COUNT; w++)
		if (cfg->classes[w].strategy > ZK_STRATEGY_DEFAULT ||
		    cfg->classes[w].n_allowed > ZK_ROUTER_MAX_BACKENDS) {
			snprintf(err, errlen, "[router.%s] bad class",
				 workload_names[w]);
			return -1;
		}
	return 0;
}

/* Shortest of %.15g / %.17g that reads back as the same double. */
static const char *
fmt_double(char buf[32], double v)
{
	snprintf(buf, 32, "%.15g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, 32, "%.17g", v);
	return buf;
}

int
zk_router_config_write(const struct zk_router_cfg *cfg, FILE *out)
{
	char b[6][32];
	int w;
	uint32_t i;

	fprintf(out,
		"[router]\nstrategy = %s\nweight_latency = %s\nweight_size = %s\n"
		"weight_reliability = %s\nweight_load = %s\nverify_rate = %s\n"
		"max_retries = %" PRIu32 "\nbreaker_failures = %" PRIu32
		"\nbreaker_cooldown_ms = %" PRIu64 "\newma_alpha = %s\n"
		"test_backends = %s\nproof_cache = %" PRIu32 "\nverify_cache = %" PRIu32
		"\nseed = %" PRIu64 "\n",
		zk_strategy_name(cfg->strategy), fmt_double(b[0], cfg->w_latency),
		fmt_double(b[1], cfg->w_size), fmt_double(b[2], cfg->w_reliability),
		fmt_double(b[3], cfg->w_load), fmt_double(b[4], cfg->verify_rate),
		cfg->max_retries, cfg->breaker_failures,
		cfg->breaker_cooldown_ms, fmt_double(b[5], cfg->ewma_alpha),
		cfg->test_backends ? "true" : "false",
		cfg->proof_cache_entries, cfg->verify_cache_entries, cfg->seed);
	/* Every field of every class, zeros included: a class an operator
	 * set back to 0 must not reload as the embedded default's value. */
	for (w = 0; w < ZK_WORKLOAD_COUNT; w++) {
		const struct zk_route_constraints *c = &cfg->classes[w];

		fprintf(out,
			"\n[router.%s]\ndeadline_us = %" PRIu64 "\nmax_proof_bytes = %" PRIu64
			"\nmax_verify_us = %" PRIu64 "\nmin_security_bits = %" PRIu32
			"\npreferred = %s\nallowed =",
			zk_workload_name((enum zk_workload)w), c->deadline_us,
			c->max_proof_bytes, c->max_verify_us, c->min_security_bits,
			c->preferred);
		for (i = 0; i < c->n_allowed; i++)
			fprintf(out, " %s", c->allowed[i]);
		fprintf(out, "\nstrategy = %s\n", zk_strategy_name(c->strategy));
	}
	return ferror(out) ? -1 : 0;
}
