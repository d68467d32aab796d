/* SPDX-License-Identifier: MIT */
/*
 * Prometheus text exposition format 0.0.4 from the registry's atomics, into
 * a caller buffer or a FILE*. Runs on the scraping thread only.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "metrics_priv.h"

/* Collectors get at most this much room when rendering to a FILE*. */
#define ZK_COLLECTOR_MAX (16u << 20)

/* Where the text goes: buf (bounded) or f; fail latches the first error. */
struct sink {
	char *buf;
	size_t len;
	size_t pos;
	FILE *f;
	bool fail;
};

static void
put_mem(struct sink *s, const char *p, size_t n)
{
	if (s->fail || n == 0)
		return;
	if (s->f != NULL) {
		if (fwrite(p, 1, n, s->f) != n)
			s->fail = true;
		return;
	}
	/* Keep room for the terminating NUL. */
	if (n >= s->len - s->pos) {
		s->fail = true;
		return;
	}
	memcpy(s->buf + s->pos, p, n);
	s->pos += n;
	s->buf[s->pos] = '\0';
}

static void
put_str(struct sink *s, const char *p)
{
	put_mem(s, p, strlen(p));
}

static void __attribute__((format(printf, 2, 3)))
put_fmt(struct sink *s, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	/* Only numbers go through here; they always fit. */
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		s->fail = true;
		return;
	}
	put_mem(s, tmp, (size_t)n);
}

/* HELP escapes \ and newline; label values also escape ". */
static void
put_escaped(struct sink *s, const char *p, bool quote)
{
	const char *run = p;

	for (; *p; p++) {
		const char *esc = NULL;

		if (*p == '\\')
			esc = "\\\\";
		else if (*p == '\n')
			esc = "\\n";
		else if (quote && *p == '"')
			esc = "\\\"";
		if (esc == NULL)
			continue;
		put_mem(s, run, (size_t)(p - run));
		put_str(s, esc);
		run = p + 1;
	}
	put_mem(s, run, (size_t)(p - run));
}

/* Shortest decimal that reads back as exactly v (Go's ParseFloat agrees). */
static void
put_double(struct sink *s, double v)
{
	char tmp[40];

	for (int prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	put_str(s, tmp);
}

static void
put_scaled(struct sink *s, uint64_t raw, double scale)
{
	if (scale == 1.0)
		put_fmt(s, "%" PRIu64, raw);
	else
		put_double(s, (double)raw / scale);
}

/* name{a="x",b="y"[,le="..."]}; `le` is NULL except for buckets. */
static void
put_series_name(struct sink *s, const struct zk_family *fam,
		const struct zk_series *ser, const char *suffix,
		const uint64_t *le)
{
	bool any = fam->n_labels > 0 || le != NULL;

	put_str(s, fam->name);
	put_str(s, suffix);
	if (!any)
		return;
	put_str(s, "{");
	for (unsigned int i = 0; i < fam->n_labels; i++) {
		if (i > 0)
			put_str(s, ",");
		put_str(s, fam->label_names[i]);
		put_str(s, "=\"");
		put_escaped(s, ser->label_values[i], true);
		put_str(s, "\"");
	}
	if (le != NULL) {
		if (fam->n_labels > 0)
			put_str(s, ",");
		put_str(s, "le=\"");
		if (*le == UINT64_MAX)
			put_str(s, "+Inf");
		else
			put_scaled(s, *le, fam->spec.scale);
		put_str(s, "\"");
	}
	put_str(s, "}");
}

static void
render_histogram(struct sink *s, const struct zk_family *fam,
		 const struct zk_series *ser)
{
	const struct zk_histogram *h = ser->metric;
	const uint64_t inf = UINT64_MAX;
	uint64_t cumulative = 0;

	/* Each bucket is read once, so _count is exactly the +Inf bucket. */
	for (unsigned int b = 0; b <= h->n_bounds; b++) {
		cumulative += zk_histogram_bucket(h, b);
		put_series_name(s, fam, ser, "_bucket",
				b < h->n_bounds ? &h->bounds[b] : &inf);
		put_fmt(s, " %" PRIu64 "\n", cumulative);
	}
	put_series_name(s, fam, ser, "_sum", NULL);
	put_str(s, " ");
	put_scaled(s, zk_histogram_sum(h), fam->spec.scale);
	put_str(s, "\n");
	put_series_name(s, fam, ser, "_count", NULL);
	put_fmt(s, " %" PRIu64 "\n", cumulative);
}

static void
render_family(struct sink *s, const struct zk_family *fam)
{
	static const char *const type_names[] = {
		[ZK_METRIC_COUNTER] = "counter",
		[ZK_METRIC_GAUGE] = "gauge",
		[ZK_METRIC_HISTOGRAM] = "histogram",
	};

	put_str(s, "# HELP ");
	put_str(s, fam->name);
	put_str(s, " ");
	put_escaped(s, fam->help, false);
	put_str(s, "\n# TYPE ");
	put_str(s, fam->name);
	put_str(s, " ");
	put_str(s, type_names[fam->type]);
	put_str(s, "\n");
	for (unsigned int i = 0; i < fam->n_series; i++) {
		const struct zk_series *ser = &fam->series[i];

		switch (fam->type) {
		case ZK_METRIC_COUNTER:
			put_series_name(s, fam, ser, "", NULL);
			put_fmt(s, " %" PRIu64 "\n",
				zk_counter_value(ser->metric));
			break;
		case ZK_METRIC_GAUGE:
			put_series_name(s, fam, ser, "", NULL);
			put_fmt(s, " %" PRId64 "\n", zk_gauge_value(ser->metric));
			break;
		case ZK_METRIC_HISTOGRAM:
			render_histogram(s, fam, ser);
			break;
		}
	}
}

static void
render_collector(struct sink *s, const struct zk_extra *e)
{
	char *tmp = NULL;
	size_t cap = 4096;
	int n;

	if (s->fail)
		return;
	if (s->f == NULL) {
		n = e->fn(e->ctx, s->buf + s->pos, s->len - s->pos);
		if (n < 0 || (size_t)n >= s->len - s->pos)
			s->fail = true;
		else
			s->pos += (size_t)n;
		return;
	}
	for (;;) {
		char *p = realloc(tmp, cap);

		if (p == NULL) {
			s->fail = true;
			break;
		}
		tmp = p;
		n = e->fn(e->ctx, tmp, cap);
		if (n >= 0 && (size_t)n < cap) {
			put_mem(s, tmp, (size_t)n);
			break;
		}
		if (cap >= ZK_COLLECTOR_MAX) {
			s->fail = true;
			break;
		}
		cap *= 2;
	}
	free(tmp);
}

static int
render(struct zk_metrics *reg, struct sink *s)
{
	if (reg == NULL) {
		errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&reg->lock);
	for (unsigned int i = 0; i < reg->n_families; i++)
		render_family(s, reg->families[i]);
	for (unsigned int i = 0; i < reg->n_extras; i++) {
		if (reg->extras[i].text != NULL)
			put_str(s, reg->extras[i].text);
		else
			render_collector(s, &reg->extras[i]);
	}
	pthread_mutex_unlock(&reg->lock);
	return s->fail ? -1 : 0;
}

int
zk_metrics_render(struct zk_metrics *reg, char *buf, size_t len)
{
	struct sink s = { .buf = buf, .len = len };

	if (buf == NULL || len == 0) {
		errno = EINVAL;
		return -1;
	}
	buf[0] = '\0';
	if (render(reg, &s) != 0 || s.pos > INT32_MAX) {
		errno = ENOSPC;
		return -1;
	}
	return (int)s.pos;
}

int
zk_metrics_write(struct zk_metrics *reg, FILE *out)
{
	struct sink s = { .f = out };

	if (out == NULL) {
		errno = EINVAL;
		return -1;
	}
	return render(reg, &s);
}
