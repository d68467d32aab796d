/* SPDX-License-Identifier: MIT */
/*
 * Port setup: one rx queue feeding the rx lcore, one tx queue because some
 * PMDs refuse to start without one. Pools are sized from the config: the
 * testpmd defaults do not fit an EAL started with --no-huge -m 512.
 */
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "zkclob/dataplane.h"

int zk_port_init(const struct zk_port_cfg *cfg, uint16_t *port_id,
		 struct rte_mempool **pool, char *err, size_t errlen)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	char pool_name[RTE_MEMPOOL_NAMESIZE];
	uint16_t nb_rxd = cfg->rx_desc, nb_txd = cfg->tx_desc;
	uint16_t port;
	int rc;

	if (rte_eth_dev_get_port_by_name(cfg->name, &port) != 0) {
		snprintf(err, errlen,
			 "no ethdev named '%s' (declare it in [eal] args, e.g. --vdev=%s,...)",
			 cfg->name, cfg->name);
		return -1;
	}
	snprintf(pool_name, sizeof(pool_name), "zk_mbuf_%u", port);
	*pool = rte_pktmbuf_pool_create(pool_name, cfg->mbufs, cfg->mbuf_cache,
					0, RTE_MBUF_DEFAULT_BUF_SIZE,
					cfg->socket);
	if (*pool == NULL) {
		snprintf(err, errlen,
			 "mbuf pool of %u mbufs: %s (lower [dataplane] mbufs or raise -m in [eal] args)",
			 cfg->mbufs, rte_strerror(rte_errno));
		return -1;
	}
	rc = rte_eth_dev_info_get(port, &info);
	if (rc != 0) {
		snprintf(err, errlen, "%s: dev_info: %s", cfg->name, rte_strerror(-rc));
		goto fail;
	}
	memset(&conf, 0, sizeof(conf));
	rc = rte_eth_dev_configure(port, 1, 1, &conf);
	if (rc != 0) {
		snprintf(err, errlen, "%s: configure: %s", cfg->name, rte_strerror(-rc));
		goto fail;
	}
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(port, &nb_rxd, &nb_txd);
	if (rc != 0) {
		snprintf(err, errlen, "%s: descriptors: %s", cfg->name, rte_strerror(-rc));
		goto fail;
	}
	rc = rte_eth_rx_queue_setup(port, 0, nb_rxd, rte_eth_dev_socket_id(port),
				    NULL, *pool);
	if (rc != 0) {
		snprintf(err, errlen, "%s: rx queue: %s", cfg->name, rte_strerror(-rc));
		goto fail;
	}
	rc = rte_eth_tx_queue_setup(port, 0, nb_txd, rte_eth_dev_socket_id(port),
				    NULL);
	if (rc != 0) {
		snprintf(err, errlen, "%s: tx queue: %s", cfg->name, rte_strerror(-rc));
		goto fail;
	}
	rc = rte_eth_dev_start(port);
	if (rc != 0) {
		snprintf(err, errlen, "%s: start: %s", cfg->name, rte_strerror(-rc));
		goto fail;
	}
	/* Multicast MoldUDP64 feeds are not addressed to our MAC. Not every
	 * PMD supports it (net_pcap does not need it): ignore -ENOTSUP. */
	rc = rte_eth_promiscuous_enable(port);
	if (rc != 0 && rc != -ENOTSUP) {
		snprintf(err, errlen, "%s: promiscuous: %s", cfg->name, rte_strerror(-rc));
		rte_eth_dev_stop(port);
		goto fail;
	}
	*port_id = port;
	return 0;
fail:
	rte_mempool_free(*pool);
	*pool = NULL;
	return -1;
}

void zk_port_close(uint16_t port_id)
{
	rte_eth_dev_stop(port_id);
	rte_eth_dev_close(port_id);
}
