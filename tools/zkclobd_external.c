/* SPDX-License-Identifier: MIT */
/*
 * zkclobd's external:NAME backends: the [external NAME] prover process
 * (backends/external.c), registered under the config's name. The child's
 * own DESCRIBE name is replaced because two processes may well describe
 * themselves alike (two `zkclob prove --serve --params fast`, or one beside
 * the in-process clob-fast) and the router refuses duplicate names; the
 * config's name is also what metrics and [router] allowed/preferred use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkclob/backend.h"
#include "zkclob/config.h"
#include "zkclobd_prove.h"

struct renamed {
	struct zk_backend *inner;
	struct zk_backend_info info;
};

static enum zk_be_status renamed_prove(void *ctx, const struct zk_statement *st,
				       const struct zk_batch *witness,
				       uint64_t deadline_ns, struct zk_proof *out,
				       char *reason, size_t reason_len)
{
	struct renamed *r = ctx;

	return zk_backend_prove(r->inner, st, witness, deadline_ns, out, reason,
				reason_len);
}

static enum zk_verdict renamed_verify(void *ctx, const struct zk_statement *st,
				      const uint8_t *proof, size_t len,
				      uint64_t deadline_ns, char *reason,
				      size_t reason_len)
{
	struct renamed *r = ctx;

	return zk_backend_verify(r->inner, st, proof, len, deadline_ns, reason,
				 reason_len);
}

static void renamed_describe(void *ctx, struct zk_backend_info *info)
{
	struct renamed *r = ctx;

	*info = r->info;
}

static enum zk_health renamed_health(void *ctx, char *reason, size_t reason_len)
{
	struct renamed *r = ctx;

	return zk_backend_health(r->inner, reason, reason_len);
}

static void renamed_destroy(void *ctx)
{
	struct renamed *r = ctx;

	zk_backend_destroy(r->inner);
	free(r);
}

static const struct zk_backend_ops renamed_ops = {
	.prove = renamed_prove,
	.verify = renamed_verify,
	.describe = renamed_describe,
	.health = renamed_health,
	.destroy = renamed_destroy,
};

struct zk_backend *zkd_external_backend(const struct zk_config *cfg,
					const char *name, char *err,
					size_t errlen)
{
	const struct zk_config_external *x = zk_config_external_find(cfg, name);
	char buf[sizeof(x->command)], *argv[ZK_CONFIG_MAX_ARGV];
	char why[512];
	struct zk_external_cfg ec;
	struct zk_backend *inner, *be;
	struct renamed *r;

	if (x == NULL) {
		/* the config loader refuses this; kept for callers that build
		 * a zk_config by hand */
		snprintf(err, errlen, "[prover] backends: %s: no such [external] section",
			 name);
		return NULL;
	}
	if (zk_config_command_split(x->command, buf, sizeof(buf), argv,
				    ZK_CONFIG_MAX_ARGV, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "[external %s] command: %s", x->name, why);
		return NULL;
	}
	memset(&ec, 0, sizeof(ec));
	ec.argv = argv;
	ec.max_payload = x->max_payload;
	ec.io_timeout_us = (uint64_t)x->io_timeout_ms * 1000u;
	ec.prove_timeout_us = (uint64_t)x->prove_timeout_ms * 1000u;
	inner = zk_external_create(&ec, why, sizeof(why));
	if (inner == NULL) {
		snprintf(err, errlen, "[external %s] cannot start '%s': %s",
			 x->name, x->command, why);
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL) {
		zk_backend_destroy(inner);
		snprintf(err, errlen, "[external %s]: out of memory", x->name);
		return NULL;
	}
	r->inner = inner;
	r->info = *zk_backend_info(inner);
	snprintf(r->info.name, sizeof(r->info.name), "%s", name);
	be = zk_backend_create(&renamed_ops, r); /* destroys r on failure */
	if (be == NULL)
		snprintf(err, errlen, "[external %s]: out of memory", x->name);
	return be;
}
