/* SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <string.h>

#include "air_p2chain.h"

#define ZKT_EXT 0
#include "air_template.h"
#include "air_p2chain_body.h"
#undef ZKT_EXT
#define ZKT_EXT 1
#include "air_template.h"
#include "air_p2chain_body.h"

#define MAX_THREADS 64

static size_t p2chain_assertions(const void *ctx, unsigned log_n,
				 const zk_ext *rand, struct zk_assertion *out)
{
	const struct zk_air_p2chain *c = ctx;
	uint64_t last = ((uint64_t)1 << log_n) - 1;
	size_t k = 0;
	unsigned i;

	(void)rand;
	for (i = 0; i < ZK_P2_WIDTH12; i++)
		out[k++] = (struct zk_assertion){
			ZK_SEG_MAIN, ZK_P2CHAIN_COL_IN + i, 0,
			zk_ext_from_base(i < ZK_P2_DIGEST_ELEMS ? c->d_in[i] : 0)
		};
	for (i = 0; i < ZK_P2_DIGEST_ELEMS; i++)
		out[k++] = (struct zk_assertion){
			ZK_SEG_MAIN, ZK_P2CHAIN_COL_IN + i, last,
			zk_ext_from_base(c->d_out[i])
		};
	return k;
}

static void put_u64(uint8_t *p, uint64_t v)
{
	unsigned i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_u64(const uint8_t *p)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* the next row's input state (ZK_P2CHAIN_COL_IN is 0) */
static const uint32_t p2chain_next[ZK_P2_WIDTH12] = { 0, 1, 2, 3, 4, 5, 6,
						      7, 8, 9, 10, 11 };

void zk_air_p2chain_init(struct zk_air_p2chain *c,
			 const zk_gl d_in[ZK_P2_DIGEST_ELEMS],
			 const zk_gl d_out[ZK_P2_DIGEST_ELEMS])
{
	unsigned i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < ZK_P2_DIGEST_ELEMS; i++) {
		c->d_in[i] = d_in[i];
		c->d_out[i] = d_out[i];
		put_u64(c->pub + 8 * i, d_in[i]);
		put_u64(c->pub + 32 + 8 * i, d_out[i]);
	}
	c->air = (struct zk_air){
		.name = "poseidon2-w12-chain",
		.version = 1,
		.main_width = ZK_P2CHAIN_WIDTH,
		.n_main_constraints = ZK_P2CHAIN_CONSTRAINTS,
		.max_degree = 3,
		.ctx = c,
		.eval_main = p2chain_eval_base,
		.eval_main_ext = p2chain_eval_ext,
		.eval_main_x4 = zk_air_p2chain_eval_x4(),
		.assertions = p2chain_assertions,
		/* a row's output is the next row's input: nothing else */
		.main_next = p2chain_next,
		.n_main_next = ZK_P2_WIDTH12,
		.pub = c->pub,
		.pub_len = sizeof(c->pub),
	};
}

int zk_air_p2chain_from_pub(struct zk_air_p2chain *c, const uint8_t *pub,
			    size_t len)
{
	zk_gl d[2 * ZK_P2_DIGEST_ELEMS];
	unsigned i;

	if (len != ZK_P2CHAIN_PUB_LEN)
		return -1;
	for (i = 0; i < 2 * ZK_P2_DIGEST_ELEMS; i++) {
		d[i] = get_u64(pub + 8 * i);
		if (!zk_gl_is_canonical(d[i]))
			return -1;
	}
	zk_air_p2chain_init(c, d, d + ZK_P2_DIGEST_ELEMS);
	return 0;
}

static inline zk_gl cube(zk_gl u)
{
	return zk_gl_mul(zk_gl_sqr(u), u);
}

/* Row `row` from its input columns: the witness the constraints expect. */
static void fill_row(zk_gl *const *cols, size_t row)
{
	zk_gl x[ZK_P2_WIDTH12];
	unsigned r, p, i;

	for (i = 0; i < ZK_P2_WIDTH12; i++)
		x[i] = cols[ZK_P2CHAIN_COL_IN + i][row];
	p2_external_base(x);
	for (r = 0; r < ZK_P2_FULL_ROUNDS; r++) {
		if (r == ZK_P2CHAIN_HALF_FULL) {
			for (p = 0; p < ZK_P2_PARTIAL_ROUNDS; p++) {
				zk_gl u = zk_gl_add(x[0], zk_p2_w12_rc_int[p]);
				zk_gl t = cube(u);

				x[0] = zk_gl_mul(u, zk_gl_sqr(t));
				cols[ZK_P2CHAIN_COL_PT(p)][row] = t;
				cols[ZK_P2CHAIN_COL_PY(p)][row] = x[0];
				p2_internal_base(x);
			}
		}
		for (i = 0; i < ZK_P2_WIDTH12; i++) {
			zk_gl u = zk_gl_add(x[i], zk_p2_w12_rc_ext[r][i]);
			zk_gl t = cube(u);

			x[i] = zk_gl_mul(u, zk_gl_sqr(t));
			cols[ZK_P2CHAIN_COL_FT(r) + i][row] = t;
			if (r + 1 < ZK_P2_FULL_ROUNDS)
				cols[ZK_P2CHAIN_COL_FY(r) + i][row] = x[i];
		}
		p2_external_base(x);
	}
}

struct fill_job {
	zk_gl *const *cols;
	size_t begin, end;
};

static void *fill_rows(void *arg)
{
	const struct fill_job *job = arg;
	size_t row;

	for (row = job->begin; row < job->end; row++)
		fill_row(job->cols, row);
	return NULL;
}

int zk_air_p2chain_trace(const zk_gl d_in[ZK_P2_DIGEST_ELEMS], unsigned log_n,
			 zk_gl *const *cols, unsigned threads,
			 zk_gl d_out[ZK_P2_DIGEST_ELEMS])
{
	size_t n = (size_t)1 << log_n, row;
	struct fill_job jobs[MAX_THREADS];
	pthread_t tid[MAX_THREADS];
	int started[MAX_THREADS] = {0};
	zk_gl s[ZK_P2_WIDTH12] = {0};
	unsigned i, t;
	int rc = 0;

	/* The chain itself is serial; the per-round witness is not. */
	memcpy(s, d_in, ZK_P2_DIGEST_ELEMS * sizeof(zk_gl));
	for (row = 0; row < n; row++) {
		for (i = 0; i < ZK_P2_WIDTH12; i++)
			cols[ZK_P2CHAIN_COL_IN + i][row] = s[i];
		if (row + 1 < n)
			zk_poseidon2_w12(s);
	}
	memcpy(d_out, s, ZK_P2_DIGEST_ELEMS * sizeof(zk_gl));

	if (threads == 0)
		threads = 1;
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	if ((size_t)threads > n)
		threads = (unsigned)n;
	for (t = 0; t < threads; t++) {
		jobs[t].cols = cols;
		jobs[t].begin = n * t / threads;
		jobs[t].end = n * (t + 1) / threads;
	}
	for (t = 1; t < threads; t++)
		started[t] = pthread_create(&tid[t], NULL, fill_rows, &jobs[t]) == 0;
	fill_rows(&jobs[0]);
	for (t = 1; t < threads; t++) {
		if (started[t]) {
			pthread_join(tid[t], NULL);
		} else {
			fill_rows(&jobs[t]);
			rc = -1;
		}
	}
	return rc;
}
