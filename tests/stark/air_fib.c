/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "air_fib.h"

#define ZKT_EXT 0
#include "air_template.h"
#include "air_fib_body.h"
#undef ZKT_EXT
#define ZKT_EXT 1
#include "air_template.h"
#include "air_fib_body.h"

static size_t fib_assertions(const void *ctx, unsigned log_n,
			     const zk_ext *rand, struct zk_assertion *out)
{
	const struct zk_air_fib *f = ctx;
	uint64_t last = ((uint64_t)1 << log_n) - 1;

	(void)rand;
	out[0] = (struct zk_assertion){ ZK_SEG_MAIN, 0, 0, zk_ext_from_base(f->a0) };
	out[1] = (struct zk_assertion){ ZK_SEG_MAIN, 1, 0, zk_ext_from_base(f->a1) };
	out[2] = (struct zk_assertion){ ZK_SEG_MAIN, 1, last,
					zk_ext_from_base(f->result) };
	return 3;
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

void zk_air_fib_init(struct zk_air_fib *f, zk_gl a0, zk_gl a1, zk_gl result)
{
	memset(f, 0, sizeof(*f));
	f->a0 = a0;
	f->a1 = a1;
	f->result = result;
	put_u64(f->pub, a0);
	put_u64(f->pub + 8, a1);
	put_u64(f->pub + 16, result);
	f->air = (struct zk_air){
		.name = "fibonacci",
		.version = 1,
		.main_width = ZK_AIR_FIB_WIDTH,
		.n_main_constraints = 2,
		.max_degree = 1,
		.ctx = f,
		.eval_main = fib_eval_base,
		.eval_main_ext = fib_eval_ext,
		.assertions = fib_assertions,
		.pub = f->pub,
		.pub_len = sizeof(f->pub),
	};
}

int zk_air_fib_from_pub(struct zk_air_fib *f, const uint8_t *pub, size_t len)
{
	zk_gl v[3];
	unsigned i;

	if (len != ZK_AIR_FIB_PUB_LEN)
		return -1;
	for (i = 0; i < 3; i++) {
		v[i] = get_u64(pub + 8 * i);
		if (!zk_gl_is_canonical(v[i]))
			return -1;
	}
	zk_air_fib_init(f, v[0], v[1], v[2]);
	return 0;
}

zk_gl zk_air_fib_trace(zk_gl a0, zk_gl a1, unsigned log_n, zk_gl *a, zk_gl *b)
{
	size_t n = (size_t)1 << log_n, i;

	a[0] = a0;
	b[0] = a1;
	for (i = 1; i < n; i++) {
		a[i] = b[i - 1];
		b[i] = zk_gl_add(a[i - 1], b[i - 1]);
	}
	return b[n - 1];
}
