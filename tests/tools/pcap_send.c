/* SPDX-License-Identifier: MIT */
/*
 * pcap_send IFACE FILE.pcap GAP_US — send every frame of a capture out of
 * IFACE through an AF_PACKET socket, GAP_US microseconds apart. A test
 * helper for the net_af_packet path: it only ever runs inside a network
 * namespace the test created, on a veth the test created.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zkclob/pcapio.h"

int main(int argc, char **argv)
{
	struct zk_pcap_reader *r;
	struct sockaddr_ll addr;
	const uint8_t *frame;
	char err[256];
	size_t len;
	uint64_t ts, sent = 0;
	long gap_us;
	int fd, rc;

	if (argc != 4) {
		fprintf(stderr, "usage: pcap_send IFACE FILE.pcap GAP_US\n");
		return 2;
	}
	gap_us = strtol(argv[3], NULL, 10);
	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (fd < 0) {
		fprintf(stderr, "pcap_send: socket: %s\n", strerror(errno));
		return 1;
	}
	memset(&addr, 0, sizeof(addr));
	addr.sll_family = AF_PACKET;
	addr.sll_protocol = htons(ETH_P_ALL);
	addr.sll_ifindex = (int)if_nametoindex(argv[1]);
	if (addr.sll_ifindex == 0 ||
	    bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
		fprintf(stderr, "pcap_send: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (zk_pcap_reader_open(&r, argv[2], err, sizeof(err)) != 0) {
		fprintf(stderr, "pcap_send: %s\n", err);
		return 1;
	}
	while ((rc = zk_pcap_reader_next(r, &frame, &len, &ts)) == 1) {
		if (send(fd, frame, len, 0) != (ssize_t)len) {
			fprintf(stderr, "pcap_send: send: %s\n", strerror(errno));
			return 1;
		}
		sent++;
		if (gap_us > 0)
			usleep((useconds_t)gap_us);
	}
	zk_pcap_reader_close(r);
	close(fd);
	printf("pcap_send: %llu frames\n", (unsigned long long)sent);
	return rc == 0 ? 0 : 1;
}
