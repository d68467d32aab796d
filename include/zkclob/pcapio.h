/* SPDX-License-Identifier: MIT */
/*
 * zkclob — pcap file I/O for Ethernet captures (libpcap).
 *
 * Spec
 *  - Writes standard little-endian microsecond pcap files, link type
 *    Ethernet (DLT_EN10MB), that tshark and DPDK's net_pcap read.
 *  - The caller supplies each record's timestamp, so identical input gives
 *    byte-identical files (the generator's determinism depends on it).
 *  - Reader accepts any pcap/pcapng libpcap opens, but only Ethernet links;
 *    records shorter on disk than on the wire come back as captured (the
 *    parser then drops them as truncated).
 *  - Every function that can fail returns a negative errno-style code and
 *    leaves a readable message in the err buffer / zk_pcap_*_error().
 */
#ifndef ZKCLOB_PCAPIO_H
#define ZKCLOB_PCAPIO_H

#include <stddef.h>
#include <stdint.h>

#define ZK_PCAP_SNAPLEN 65535
#define ZK_PCAP_ERRLEN 256

struct zk_pcap_writer;
struct zk_pcap_reader;

int zk_pcap_writer_open(struct zk_pcap_writer **out, const char *path,
			char *err, size_t errlen);
/* ts_ns: nanoseconds since the epoch, stored at microsecond resolution. */
int zk_pcap_writer_write(struct zk_pcap_writer *w, const uint8_t *frame,
			 size_t len, uint64_t ts_ns);
/* Flushes and closes; reports write errors the buffered writes hid. */
int zk_pcap_writer_close(struct zk_pcap_writer *w);
const char *zk_pcap_writer_error(const struct zk_pcap_writer *w);

int zk_pcap_reader_open(struct zk_pcap_reader **out, const char *path,
			char *err, size_t errlen);
/*
 * Next record: 1 with *frame and *len set (valid until the next call),
 * 0 at end of file, negative on error.
 */
int zk_pcap_reader_next(struct zk_pcap_reader *r, const uint8_t **frame,
			size_t *len, uint64_t *ts_ns);
const char *zk_pcap_reader_error(const struct zk_pcap_reader *r);
void zk_pcap_reader_close(struct zk_pcap_reader *r);

#endif /* ZKCLOB_PCAPIO_H */
