/* SPDX-License-Identifier: MIT */
/*
 * The metrics registry: registration (start-up, under a lock) and the
 * lock-free, allocation-free updates the hot paths make.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "metrics_priv.h"

static _Atomic unsigned int next_shard;
/* shard + 1, so that 0 means "not yet assigned" without an initialiser. */
static _Thread_local unsigned int thread_shard_plus1;

static inline unsigned int
my_shard(void)
{
	if (thread_shard_plus1 == 0)
		thread_shard_plus1 = atomic_fetch_add_explicit(&next_shard, 1,
				memory_order_relaxed) % ZK_METRICS_SHARDS + 1;
	return thread_shard_plus1 - 1;
}

void
zk_metrics_thread_shard(unsigned int id)
{
	thread_shard_plus1 = id % ZK_METRICS_SHARDS + 1;
}

struct zk_metrics *
zk_metrics_create(void)
{
	struct zk_metrics *reg = calloc(1, sizeof(*reg));

	if (reg == NULL)
		return NULL;
	if (pthread_mutex_init(&reg->lock, NULL) != 0) {
		free(reg);
		errno = ENOMEM;
		return NULL;
	}
	return reg;
}

static void
free_series(const struct zk_family *fam, struct zk_series *s)
{
	for (unsigned int i = 0; i < fam->n_labels; i++)
		free(s->label_values[i]);
	if (fam->type == ZK_METRIC_HISTOGRAM && s->metric != NULL)
		free(((struct zk_histogram *)s->metric)->cells);
	free(s->metric);
}

static void
free_family(struct zk_family *fam)
{
	for (unsigned int i = 0; i < fam->n_series; i++)
		free_series(fam, &fam->series[i]);
	for (unsigned int i = 0; i < fam->n_labels; i++)
		free(fam->label_names[i]);
	free(fam->series);
	free(fam->name);
	free(fam->help);
	free(fam);
}

void
zk_metrics_destroy(struct zk_metrics *reg)
{
	if (reg == NULL)
		return;
	for (unsigned int i = 0; i < reg->n_families; i++)
		free_family(reg->families[i]);
	for (unsigned int i = 0; i < reg->n_extras; i++)
		free(reg->extras[i].text);
	free(reg->families);
	free(reg->extras);
	pthread_mutex_destroy(&reg->lock);
	free(reg);
}

/* Grow *arr (of elem-sized items) so that index n fits. */
static int
reserve(void **arr, unsigned int *cap, unsigned int n, size_t elem)
{
	unsigned int ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	p = realloc(*arr, (size_t)ncap * elem);
	if (p == NULL)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

static bool
valid_name(const char *s, bool colon_ok)
{
	if (s == NULL || *s == '\0')
		return false;
	for (const char *p = s; *p; p++) {
		bool alpha = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			     *p == '_' || (colon_ok && *p == ':');
		bool digit = *p >= '0' && *p <= '9';

		if (!alpha && !(digit && p != s))
			return false;
	}
	return true;
}

static int
check_labels(enum zk_metric_type type, const struct zk_metric_label *labels,
	     unsigned int n)
{
	if (n > ZK_METRICS_MAX_LABELS || (n > 0 && labels == NULL))
		return -1;
	for (unsigned int i = 0; i < n; i++) {
		/* "__" names are reserved for Prometheus itself. */
		if (!valid_name(labels[i].name, false) ||
		    strncmp(labels[i].name, "__", 2) == 0 ||
		    labels[i].value == NULL)
			return -1;
		if (type == ZK_METRIC_HISTOGRAM &&
		    strcmp(labels[i].name, "le") == 0)
			return -1;
		for (unsigned int j = 0; j < i; j++)
			if (strcmp(labels[i].name, labels[j].name) == 0)
				return -1;
	}
	return 0;
}

/* Log-linear bounds: lowest, then sub_buckets equal steps per octave. */
static int
make_bounds(struct zk_family *fam, const struct zk_hist_spec *spec)
{
	uint64_t base = spec->lowest;
	unsigned int n = 0;

	if (spec->lowest == 0 || spec->sub_buckets == 0 ||
	    spec->sub_buckets > 16 || !(spec->scale > 0))
		return -1;
	fam->bounds[n++] = base;
	while (fam->bounds[n - 1] < spec->highest) {
		if (base > UINT64_MAX / 4)
			return -1;
		for (unsigned int j = 1; j <= spec->sub_buckets; j++) {
			uint64_t b = base + base * j / spec->sub_buckets;

			/* Small integer octaves repeat a bound: keep one. */
			if (b <= fam->bounds[n - 1])
				continue;
			if (n == ZK_METRICS_MAX_BUCKETS)
				return -1;
			fam->bounds[n++] = b;
			if (b >= spec->highest)
				break;
		}
		base *= 2;
	}
	fam->n_bounds = n;
	fam->spec = *spec;
	return 0;
}

static bool
same_spec(const struct zk_hist_spec *a, const struct zk_hist_spec *b)
{
	return a->lowest == b->lowest && a->highest == b->highest &&
	       a->sub_buckets == b->sub_buckets && a->scale == b->scale;
}

static struct zk_family *
find_family(struct zk_metrics *reg, const char *name)
{
	for (unsigned int i = 0; i < reg->n_families; i++)
		if (strcmp(reg->families[i]->name, name) == 0)
			return reg->families[i];
	return NULL;
}

static struct zk_family *
new_family(struct zk_metrics *reg, const char *name, const char *help,
	   enum zk_metric_type type, const struct zk_metric_label *labels,
	   unsigned int n_labels, const struct zk_hist_spec *spec)
{
	struct zk_family *fam;

	if (reserve((void **)&reg->families, &reg->cap_families,
		    reg->n_families, sizeof(*reg->families)) != 0)
		return NULL;
	fam = calloc(1, sizeof(*fam));
	if (fam == NULL)
		return NULL;
	fam->type = type;
	if (type == ZK_METRIC_HISTOGRAM && make_bounds(fam, spec) != 0) {
		free(fam);
		errno = EINVAL;
		return NULL;
	}
	fam->name = strdup(name);
	fam->help = strdup(help ? help : "");
	fam->n_labels = n_labels;
	for (unsigned int i = 0; i < n_labels; i++)
		fam->label_names[i] = strdup(labels[i].name);
	if (fam->name == NULL || fam->help == NULL) {
		free_family(fam);
		errno = ENOMEM;
		return NULL;
	}
	for (unsigned int i = 0; i < n_labels; i++)
		if (fam->label_names[i] == NULL) {
			free_family(fam);
			errno = ENOMEM;
			return NULL;
		}
	reg->families[reg->n_families++] = fam;
	return fam;
}

static void *
new_metric(const struct zk_family *fam)
{
	struct zk_histogram *h;
	size_t cells;

	switch (fam->type) {
	case ZK_METRIC_COUNTER:
		return aligned_alloc(ZK_CACHE_LINE, sizeof(struct zk_counter));
	case ZK_METRIC_GAUGE:
		return aligned_alloc(ZK_CACHE_LINE, sizeof(struct zk_gauge));
	case ZK_METRIC_HISTOGRAM:
		h = malloc(sizeof(*h));
		if (h == NULL)
			return NULL;
		h->bounds = fam->bounds;
		h->n_bounds = fam->n_bounds;
		for (unsigned int m = 0, b = 0; m < 64; m++) {
			while (b < fam->n_bounds && fam->bounds[b] < (1ull << m))
				b++;
			h->first_for_msb[m] = (uint8_t)b;
		}
		/* buckets + +Inf + sum, rounded up to whole cache lines */
		cells = fam->n_bounds + 2;
		h->stride = (cells * sizeof(uint64_t) + ZK_CACHE_LINE - 1) /
			    ZK_CACHE_LINE * ZK_CACHE_LINE / sizeof(uint64_t);
		h->cells = aligned_alloc(ZK_CACHE_LINE, h->stride *
					 ZK_METRICS_SHARDS * sizeof(uint64_t));
		if (h->cells == NULL) {
			free(h);
			return NULL;
		}
		return h;
	}
	return NULL;
}

static void
zero_metric(const struct zk_family *fam, void *m)
{
	if (fam->type == ZK_METRIC_COUNTER) {
		struct zk_counter *c = m;

		for (unsigned int i = 0; i < ZK_METRICS_SHARDS; i++)
			atomic_init(&c->shard[i].v, 0);
	} else if (fam->type == ZK_METRIC_GAUGE) {
		atomic_init(&((struct zk_gauge *)m)->v, 0);
	} else {
		struct zk_histogram *h = m;

		for (size_t i = 0; i < h->stride * ZK_METRICS_SHARDS; i++)
			atomic_init(&h->cells[i], 0);
	}
}

static void *
add_series(struct zk_family *fam, const struct zk_metric_label *labels)
{
	struct zk_series *s;

	if (reserve((void **)&fam->series, &fam->cap_series, fam->n_series,
		    sizeof(*fam->series)) != 0)
		return NULL;
	s = &fam->series[fam->n_series];
	memset(s, 0, sizeof(*s));
	for (unsigned int i = 0; i < fam->n_labels; i++) {
		s->label_values[i] = strdup(labels[i].value);
		if (s->label_values[i] == NULL)
			goto fail;
	}
	s->metric = new_metric(fam);
	if (s->metric == NULL)
		goto fail;
	zero_metric(fam, s->metric);
	fam->n_series++;
	return s->metric;
fail:
	free_series(fam, s);
	errno = ENOMEM;
	return NULL;
}

static void *
register_series(struct zk_metrics *reg, const char *name, const char *help,
		enum zk_metric_type type, const struct zk_metric_label *labels,
		unsigned int n_labels, const struct zk_hist_spec *spec)
{
	struct zk_family *fam;
	void *metric = NULL;

	if (reg == NULL || !valid_name(name, true) ||
	    check_labels(type, labels, n_labels) != 0 ||
	    (type == ZK_METRIC_HISTOGRAM && spec == NULL)) {
		errno = EINVAL;
		return NULL;
	}
	pthread_mutex_lock(&reg->lock);
	fam = find_family(reg, name);
	if (fam == NULL) {
		fam = new_family(reg, name, help, type, labels, n_labels, spec);
		if (fam == NULL)
			goto out;
	} else if (fam->type != type || (type == ZK_METRIC_HISTOGRAM &&
					 !same_spec(&fam->spec, spec))) {
		errno = EEXIST;
		goto out;
	} else if (fam->n_labels != n_labels) {
		errno = EINVAL;
		goto out;
	}
	for (unsigned int i = 0; i < n_labels; i++)
		if (strcmp(fam->label_names[i], labels[i].name) != 0) {
			errno = EINVAL;
			goto out;
		}
	for (unsigned int i = 0; i < fam->n_series; i++) {
		unsigned int l = 0;

		while (l < n_labels && strcmp(fam->series[i].label_values[l],
					      labels[l].value) == 0)
			l++;
		if (l == n_labels) {
			metric = fam->series[i].metric;
			goto out;
		}
	}
	metric = add_series(fam, labels);
out:
	pthread_mutex_unlock(&reg->lock);
	return metric;
}

struct zk_counter *
zk_metrics_counter(struct zk_metrics *reg, const char *name, const char *help,
		   const struct zk_metric_label *labels, unsigned int n_labels)
{
	return register_series(reg, name, help, ZK_METRIC_COUNTER, labels,
			       n_labels, NULL);
}

struct zk_gauge *
zk_metrics_gauge(struct zk_metrics *reg, const char *name, const char *help,
		 const struct zk_metric_label *labels, unsigned int n_labels)
{
	return register_series(reg, name, help, ZK_METRIC_GAUGE, labels,
			       n_labels, NULL);
}

struct zk_histogram *
zk_metrics_histogram(struct zk_metrics *reg, const char *name,
		     const char *help, const struct zk_metric_label *labels,
		     unsigned int n_labels, const struct zk_hist_spec *spec)
{
	return register_series(reg, name, help, ZK_METRIC_HISTOGRAM, labels,
			       n_labels, spec);
}

void
zk_counter_add(struct zk_counter *c, uint64_t n)
{
	if (c == NULL)
		return;
	atomic_fetch_add_explicit(&c->shard[my_shard()].v, n,
				  memory_order_relaxed);
}

void
zk_gauge_set(struct zk_gauge *g, int64_t v)
{
	if (g != NULL)
		atomic_store_explicit(&g->v, v, memory_order_relaxed);
}

void
zk_gauge_add(struct zk_gauge *g, int64_t delta)
{
	if (g != NULL)
		atomic_fetch_add_explicit(&g->v, delta, memory_order_relaxed);
}

void
zk_histogram_observe(struct zk_histogram *h, uint64_t v)
{
	_Atomic uint64_t *cells;
	unsigned int lo;

	if (h == NULL)
		return;
	/* First bound >= v; n_bounds (the +Inf bucket) when none is.
	 * Every bound below first_for_msb[msb(v)] is < 2^msb <= v. */
	lo = v ? h->first_for_msb[63 - __builtin_clzll(v)] : 0;
	while (lo < h->n_bounds && h->bounds[lo] < v)
		lo++;
	cells = h->cells + (size_t)my_shard() * h->stride;
	atomic_fetch_add_explicit(&cells[lo], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&cells[h->n_bounds + 1], v,
				  memory_order_relaxed);
}

uint64_t
zk_counter_value(const struct zk_counter *c)
{
	uint64_t sum = 0;

	if (c == NULL)
		return 0;
	for (unsigned int i = 0; i < ZK_METRICS_SHARDS; i++)
		sum += atomic_load_explicit(&c->shard[i].v,
					    memory_order_relaxed);
	return sum;
}

int64_t
zk_gauge_value(const struct zk_gauge *g)
{
	return g ? atomic_load_explicit(&g->v, memory_order_relaxed) : 0;
}

static uint64_t
hist_cell_sum(const struct zk_histogram *h, unsigned int cell)
{
	uint64_t sum = 0;

	for (unsigned int i = 0; i < ZK_METRICS_SHARDS; i++)
		sum += atomic_load_explicit(&h->cells[i * h->stride + cell],
					    memory_order_relaxed);
	return sum;
}

uint64_t
zk_histogram_count(const struct zk_histogram *h)
{
	uint64_t n = 0;

	if (h == NULL)
		return 0;
	for (unsigned int b = 0; b <= h->n_bounds; b++)
		n += hist_cell_sum(h, b);
	return n;
}

uint64_t
zk_histogram_sum(const struct zk_histogram *h)
{
	return h ? hist_cell_sum(h, h->n_bounds + 1) : 0;
}

uint64_t
zk_histogram_bucket(const struct zk_histogram *h, unsigned int b)
{
	return hist_cell_sum(h, b);
}

unsigned int
zk_histogram_bounds(const struct zk_histogram *h, uint64_t *bounds,
		    unsigned int max)
{
	unsigned int n;

	if (h == NULL)
		return 0;
	n = h->n_bounds < max ? h->n_bounds : max;
	if (n > 0)
		memcpy(bounds, h->bounds, n * sizeof(*bounds));
	return h->n_bounds;
}

static int
add_extra(struct zk_metrics *reg, const struct zk_extra *e)
{
	int rc = 0;

	pthread_mutex_lock(&reg->lock);
	if (reserve((void **)&reg->extras, &reg->cap_extras, reg->n_extras,
		    sizeof(*reg->extras)) != 0) {
		errno = ENOMEM;
		rc = -1;
	} else {
		reg->extras[reg->n_extras++] = *e;
	}
	pthread_mutex_unlock(&reg->lock);
	return rc;
}

int
zk_metrics_add_text(struct zk_metrics *reg, const char *text)
{
	struct zk_extra e = { 0 };
	size_t len;

	if (reg == NULL || text == NULL) {
		errno = EINVAL;
		return -1;
	}
	len = strlen(text);
	/* A block that does not end its last line would glue onto the next. */
	if (len > 0 && text[len - 1] != '\n') {
		errno = EINVAL;
		return -1;
	}
	e.text = strdup(text);
	if (e.text == NULL)
		return -1;
	if (add_extra(reg, &e) != 0) {
		free(e.text);
		return -1;
	}
	return 0;
}

int
zk_metrics_add_collector(struct zk_metrics *reg, zk_metrics_collector_fn fn,
			 void *ctx)
{
	struct zk_extra e = { .fn = fn, .ctx = ctx };

	if (reg == NULL || fn == NULL) {
		errno = EINVAL;
		return -1;
	}
	return add_extra(reg, &e);
}
