/* SPDX-License-Identifier: MIT */
/*
 * pcap reading and writing on top of libpcap, with errors turned into
 * errno-style codes and messages instead of libpcap's mix of NULLs and -1s.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "zkclob/pcapio.h"

struct zk_pcap_writer {
	pcap_t *dead;
	pcap_dumper_t *dumper;
	char err[ZK_PCAP_ERRLEN];
};

struct zk_pcap_reader {
	pcap_t *pcap;
	char err[ZK_PCAP_ERRLEN];
};

static void __attribute__((format(printf, 3, 4)))
set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int
zk_pcap_writer_open(struct zk_pcap_writer **out, const char *path, char *err,
		    size_t errlen)
{
	struct zk_pcap_writer *w;

	*out = NULL;
	w = calloc(1, sizeof(*w));
	if (w == NULL) {
		set_err(err, errlen, "pcap writer: out of memory");
		return -ENOMEM;
	}
	w->dead = pcap_open_dead(DLT_EN10MB, ZK_PCAP_SNAPLEN);
	if (w->dead == NULL) {
		set_err(err, errlen, "pcap_open_dead failed");
		free(w);
		return -ENOMEM;
	}
	w->dumper = pcap_dump_open(w->dead, path);
	if (w->dumper == NULL) {
		int rc = errno ? -errno : -EIO;

		set_err(err, errlen, "%s: %s", path, pcap_geterr(w->dead));
		pcap_close(w->dead);
		free(w);
		return rc;
	}
	*out = w;
	return 0;
}

int
zk_pcap_writer_write(struct zk_pcap_writer *w, const uint8_t *frame,
		     size_t len, uint64_t ts_ns)
{
	struct pcap_pkthdr h;

	if (len == 0 || len > ZK_PCAP_SNAPLEN) {
		set_err(w->err, sizeof(w->err),
			"frame length %zu outside 1..%d", len, ZK_PCAP_SNAPLEN);
		return -EINVAL;
	}
	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)(ts_ns / 1000000000u);
	h.ts.tv_usec = (suseconds_t)(ts_ns % 1000000000u / 1000u);
	h.caplen = (bpf_u_int32)len;
	h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)w->dumper, &h, frame);
	return 0;
}

int
zk_pcap_writer_close(struct zk_pcap_writer *w)
{
	int rc = 0;

	if (w == NULL)
		return 0;
	if (pcap_dump_flush(w->dumper) != 0 ||
	    ferror(pcap_dump_file(w->dumper)))
		rc = -EIO;
	pcap_dump_close(w->dumper);
	pcap_close(w->dead);
	free(w);
	return rc;
}

const char *
zk_pcap_writer_error(const struct zk_pcap_writer *w)
{
	return w->err;
}

int
zk_pcap_reader_open(struct zk_pcap_reader **out, const char *path, char *err,
		    size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	struct zk_pcap_reader *r;
	int link;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (r == NULL) {
		set_err(err, errlen, "pcap reader: out of memory");
		return -ENOMEM;
	}
	errno = 0;
	r->pcap = pcap_open_offline(path, perr);
	if (r->pcap == NULL) {
		int rc = errno ? -errno : -EINVAL;

		set_err(err, errlen, "%s: %s", path, perr);
		free(r);
		return rc;
	}
	link = pcap_datalink(r->pcap);
	if (link != DLT_EN10MB) {
		set_err(err, errlen, "%s: link type %d (%s), want Ethernet",
			path, link, pcap_datalink_val_to_name(link) ?
			pcap_datalink_val_to_name(link) : "?");
		pcap_close(r->pcap);
		free(r);
		return -EPROTONOSUPPORT;
	}
	*out = r;
	return 0;
}

int
zk_pcap_reader_next(struct zk_pcap_reader *r, const uint8_t **frame,
		    size_t *len, uint64_t *ts_ns)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc = pcap_next_ex(r->pcap, &h, &data);

	if (rc == 1) {
		*frame = data;
		*len = h->caplen;
		if (ts_ns != NULL)
			*ts_ns = (uint64_t)h->ts.tv_sec * 1000000000u +
				 (uint64_t)h->ts.tv_usec * 1000u;
		return 1;
	}
	if (rc == PCAP_ERROR_BREAK)
		return 0;
	set_err(r->err, sizeof(r->err), "%s", pcap_geterr(r->pcap));
	return -EIO;
}

const char *
zk_pcap_reader_error(const struct zk_pcap_reader *r)
{
	return r->err;
}

void
zk_pcap_reader_close(struct zk_pcap_reader *r)
{
	if (r == NULL)
		return;
	pcap_close(r->pcap);
	free(r);
}
