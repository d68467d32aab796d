/* SPDX-License-Identifier: MIT */
/*
 * zkclobd's proving stage ([prover], docs/appliance.md "Proving"): the
 * router and its backends, the proof log (recovered at start, a restart
 * record when it continues), the pipeline (prover/pipeline.c), the
 * proving metrics and the audit record of each proof.
 *
 * Spec
 *  - zkd_prover_start returns 0 with *out NULL when [prover] is disabled.
 *  - zkd_prover_submit takes every cut batch (the sequencer's sink calls it).
 *  - zkd_prover_finish drains and flushes; the summary is printed after.
 */
#ifndef ZKCLOB_TOOLS_ZKCLOBD_PROVE_H
#define ZKCLOB_TOOLS_ZKCLOBD_PROVE_H

#include <stdbool.h>
#include <stdio.h>

#include "zkclob/audit.h"
#include "zkclob/batch.h"
#include "zkclob/config.h"
#include "zkclob/latency.h"
#include "zkclob/metrics.h"
#include "zkclob/placement.h"

struct zkd_prover;

/* Label values for the per-backend metric series: the names the router
 * will give [prover] backends, in order. Their count (0: disabled). */
int zkd_prover_backend_names(const struct zk_config *cfg,
			     char names[][32], size_t max);

/* The [external NAME] process an "external:NAME" backend names, started
 * and registered as that name (tools/zkclobd_external.c); NULL with a
 * reason (no section, a child that does not start or answer DESCRIBE). */
struct zk_backend;
struct zk_backend *zkd_external_backend(const struct zk_config *cfg,
					const char *name, char *err,
					size_t errlen);

int zkd_prover_start(const struct zk_config *cfg,
		     const struct zk_placement *plan,
		     const struct zk_engine *engine, struct zk_metrics_std *std,
		     struct zk_audit *audit, struct zk_latency *lat,
		     struct zkd_prover **out);
/* The batch sink: hands the batch and its ops' arrival stamps (NULL when
 * not profiling; owned from here) to the pipeline (at_boundary: see
 * zk_batch_sink_fn). 0 queued, 1 backlogged (on_backlog = skip), -1 once
 * halted. */
int zkd_prover_submit(struct zkd_prover *p, struct zk_batch *batch,
		      uint64_t *stamps, bool at_boundary);
bool zkd_prover_halted(const struct zkd_prover *p);
/* SIGHUP: [prover] on_unprovable/on_stop and [router] apply now. */
void zkd_prover_reload(struct zkd_prover *p, const struct zk_config *next);
/* 0, or -1 when the pipeline halted or the log failed. */
int zkd_prover_finish(struct zkd_prover *p);
/* secs: the run's length, for the proven ops/s. */
void zkd_prover_summary(struct zkd_prover *p, FILE *out, double secs);
void zkd_prover_destroy(struct zkd_prover *p);

#endif /* ZKCLOB_TOOLS_ZKCLOBD_PROVE_H */
