/* SPDX-License-Identifier: MIT */
/*
 * zkclobd's DPDK telemetry commands for live inspection
 * (`dpdk-telemetry.py`, then /zkclob/stats or /zkclob/drops).
 *
 * Spec
 *  - Answered from the metrics registry's atomic counters: the telemetry
 *    thread never races the lcores.
 *  - zkd_register_telemetry: once, after rte_eal_init; 0 or -1 (said on
 *    stderr).
 */
#ifndef ZKCLOB_TOOLS_ZKCLOBD_TELEMETRY_H
#define ZKCLOB_TOOLS_ZKCLOBD_TELEMETRY_H

#include "zkclob/metrics.h"

int zkd_register_telemetry(const struct zk_metrics_std *m);

#endif /* ZKCLOB_TOOLS_ZKCLOBD_TELEMETRY_H */
