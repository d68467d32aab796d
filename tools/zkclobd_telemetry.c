/* SPDX-License-Identifier: MIT */
/*
 * zkclobd's DPDK telemetry commands (tools/zkclobd_telemetry.h).
 */
#include <stdio.h>

#include <rte_telemetry.h>

#include "zkclob/event.h"
#include "zkclob/wire.h"
#include "zkclobd_telemetry.h"

/*
 * DPDK telemetry commands for live inspection (`dpdk-telemetry.py`, then
 * /zkclob/stats or /zkclob/drops). They read the metrics registry, whose
 * counters are atomics, so the telemetry thread never races the lcores.
 */
static const struct zk_metrics_std *telemetry_metrics;

static int tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct zk_metrics_std *m = telemetry_metrics;
	static const char *const cuts[] = { "batches_size", "batches_timeout",
					    "batches_gap", "batches_flush" };
	int i;

	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "rx_frames", zk_counter_value(m->rx_frames));
	rte_tel_data_add_dict_u64(d, "ring_full_stalls",
				  zk_counter_value(m->ring_full_stalls));
	rte_tel_data_add_dict_u64(d, "ops_applied", zk_counter_value(m->ops_applied));
	for (i = 0; i < 4; i++)
		rte_tel_data_add_dict_u64(d, cuts[i], zk_counter_value(m->batches[i]));
	for (i = ZK_EV_ACCEPTED; i <= ZK_EV_DONE; i++)
		rte_tel_data_add_dict_u64(d, zk_event_type_str(i),
					  zk_counter_value(m->events[i - ZK_EV_ACCEPTED]));
	return 0;
}

static int tel_drops(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct zk_metrics_std *m = telemetry_metrics;
	int i;

	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	for (i = 0; i < ZK_DROP__COUNT; i++)
		rte_tel_data_add_dict_u64(d, zk_drop_reason_str((enum zk_drop_reason)i),
					  zk_counter_value(m->rx_drops[i]));
	return 0;
}

int zkd_register_telemetry(const struct zk_metrics_std *m)
{
	telemetry_metrics = m;
	if (rte_telemetry_register_cmd("/zkclob/stats", tel_stats,
				       "Frames, ops applied, ring stalls, batches by cut, events by type.") != 0 ||
	    rte_telemetry_register_cmd("/zkclob/drops", tel_drops,
				       "Dropped frames and messages by reason.") != 0) {
		fprintf(stderr, "zkclobd: cannot register telemetry commands\n");
		return -1;
	}
	return 0;
}
