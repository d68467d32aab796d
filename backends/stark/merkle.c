/* SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <blake2.h>

#include "blake2s_x8.h"
#include "merkle.h"

/* Chunks per worker: enough that a slow or descheduled worker does not hold
 * up the others for long, few enough that the nodes above the chunks stay
 * negligible. */
#define CHUNKS_PER_THREAD 16
#define MAX_THREADS 256

const char *zk_merkle_strerror(int status)
{
	switch (status) {
	case ZK_MERKLE_OK:
		return "ok";
	case ZK_MERKLE_EINVAL:
		return "invalid argument";
	case ZK_MERKLE_ENOMEM:
		return "out of memory";
	case ZK_MERKLE_EHASH:
		return "hash library failure";
	case ZK_MERKLE_EFORMAT:
		return "malformed batch opening";
	case ZK_MERKLE_EREJECT:
		return "opening does not match the root";
	}
	return "unknown status";
}

static int is_pow2(uint64_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

static unsigned log2_u64(uint64_t x)
{
	return x <= 1 ? 0 : 63u - (unsigned)__builtin_clzll(x);
}


/*
 * BLAKE2s over eight leaves or eight nodes at once (AVX2, one message per
 * 32-bit lane). Hashing trees of narrow rows is dominated by the per-call
 * cost of the library hash, and the LDE is column-major, so eight
 * consecutive rows of one column are one 64-byte load: the rows never need
 * gathering. Output is bit-for-bit zk_hasher_leaf/zk_hasher_node with
 * ZK_HASH_BLAKE2S (RFC 7693; the personalised parameter block comes from
 * libb2 itself, so the two cannot drift apart).
 */
struct b2s_init {
	uint32_t leaf[8], node[8];
};

#if defined(__AVX2__)
#define B2S8 ZK_B2S8

/* The chaining values libb2 starts from for bytehash.h's leaf and node. */
static bool b2s_init_get(struct b2s_init *out)
{
	static const char *const personal[2] = { "zkclobL", "zkclobN" };

	for (int k = 0; k < 2; k++) {
		blake2s_param p;
		blake2s_state st;

		memset(&p, 0, sizeof(p));
		p.digest_length = ZK_DIGEST_BYTES;
		p.fanout = 1;
		p.depth = 1;
		memcpy(p.personal, personal[k], strlen(personal[k]));
		if (blake2s_init_param(&st, &p) != 0)
			return false;
		memcpy(k == 0 ? out->leaf : out->node, st.h, sizeof(st.h));
	}
	return true;
}

static void b2s8_store(__m256i h[8], struct zk_digest *out)
{
	zk_b2s8_transpose(h);
	for (int j = 0; j < 8; j++)
		_mm256_storeu_si256((__m256i *)out[j].bytes, h[j]);
}

/* Leaves first..first+7: each row is n_cols elements, 8 bytes LE each. */
static void b2s8_leaves(const uint32_t init[8], const zk_gl *const *cols,
			size_t n_cols, uint64_t first, struct zk_digest *out)
{
	uint64_t total = 8 * (uint64_t)n_cols;
	__m256i h[8], m[16];

	for (int i = 0; i < 8; i++)
		h[i] = _mm256_set1_epi32((int)init[i]);
	for (size_t c0 = 0; c0 < n_cols; c0 += 8) {
		/*
		 * The next eight columns' rows, asked for one compression
		 * ahead: LDE columns are a power of two apart, so no hardware
		 * prefetcher follows them and they share cache sets (a
		 * longer distance would evict them before use).
		 */
		for (size_t e = c0 + 8; e < c0 + 16 && e < n_cols; e++) {
			__builtin_prefetch(cols[e] + first);
			__builtin_prefetch(cols[e] + first + 7);
		}
		for (size_t e = 0; e < 8; e++) {
			__m256 a, b;

			if (c0 + e >= n_cols) {
				m[2 * e] = m[2 * e + 1] = _mm256_setzero_si256();
				continue;
			}
			/* rows first..first+3 and first+4..first+7 of one column */
			a = _mm256_castsi256_ps(_mm256_loadu_si256(
				(const __m256i *)(cols[c0 + e] + first)));
			b = _mm256_castsi256_ps(_mm256_loadu_si256(
				(const __m256i *)(cols[c0 + e] + first + 4)));
			m[2 * e] = _mm256_permute4x64_epi64(_mm256_castps_si256(
				_mm256_shuffle_ps(a, b, 0x88)), 0xD8);
			m[2 * e + 1] = _mm256_permute4x64_epi64(_mm256_castps_si256(
				_mm256_shuffle_ps(a, b, 0xDD)), 0xD8);
		}
		zk_b2s8_compress(h, m, (uint32_t)(c0 + 8 >= n_cols ? total : 8 * (c0 + 8)),
			      c0 + 8 >= n_cols);
	}
	b2s8_store(h, out);
}

/* nodes[k..k+7] from their children nodes[2k..2k+15]. */
static void b2s8_nodes(const uint32_t init[8], struct zk_digest *nodes,
		       uint64_t k)
{
	const struct zk_digest *child = &nodes[2 * k];
	__m256i h[8], m[16];

	for (int j = 0; j < 8; j++) {
		m[j] = _mm256_loadu_si256((const __m256i *)child[2 * j].bytes);
		m[8 + j] = _mm256_loadu_si256((const __m256i *)child[2 * j + 1].bytes);
	}
	/* lane j's 16 words are m[j] (0-7) and m[8 + j] (8-15) */
	zk_b2s8_transpose(m);
	zk_b2s8_transpose(m + 8);
	for (int i = 0; i < 8; i++)
		h[i] = _mm256_set1_epi32((int)init[i]);
	zk_b2s8_compress(h, m, 2 * ZK_DIGEST_BYTES, true);
	b2s8_store(h, &nodes[k]);
}

/*
 * Leaves of up to eight row-major rows (the verifier's opened rows): lane j
 * hashes rows + j·n_cols, lanes past n_rows repeat row 0 and are dropped.
 * Same digests as b2s8_leaves and zk_hasher_leaf.
 */
static void b2s8_rows(const uint32_t init[8], const zk_gl *rows,
		      size_t n_cols, size_t n_rows, struct zk_digest *out)
{
	uint64_t total = 8 * (uint64_t)n_cols;
	zk_gl tail[8][8];
	struct zk_digest d[8];
	__m256i h[8], m[16];

	for (int i = 0; i < 8; i++)
		h[i] = _mm256_set1_epi32((int)init[i]);
	for (size_t c0 = 0; c0 < n_cols; c0 += 8) {
		bool last = c0 + 8 >= n_cols;

		for (size_t j = 0; j < 8; j++) {
			const zk_gl *src = rows + (j < n_rows ? j : 0) * n_cols + c0;

			if (c0 + 8 > n_cols) {
				/* the final block is zero-padded (RFC 7693) */
				memset(tail[j], 0, sizeof(tail[j]));
				memcpy(tail[j], src, (n_cols - c0) * sizeof(zk_gl));
				src = tail[j];
			}
			m[j] = _mm256_loadu_si256((const __m256i *)src);
			m[8 + j] = _mm256_loadu_si256((const __m256i *)(src + 4));
		}
		zk_b2s8_transpose(m);
		zk_b2s8_transpose(m + 8);
		zk_b2s8_compress(h, m, (uint32_t)(last ? total : 8 * (c0 + 8)),
				 last);
	}
	b2s8_store(h, d);
	memcpy(out, d, n_rows * sizeof(*out));
}
#endif /* __AVX2__ */

/*
 * Trees of big LDEs are written once, front to back: on transparent huge
 * pages where the system allows, so that first touches do not fault every
 * 4 KiB. Released with free().
 */
static void *nodes_alloc(size_t bytes)
{
	const size_t huge = (size_t)2 << 20;
	void *p;

	if (bytes < huge)
		return malloc(bytes);
	if (posix_memalign(&p, huge, bytes) != 0)
		return NULL;
	/* advice only: where it is refused the pages are just smaller */
	(void)madvise(p, bytes, MADV_HUGEPAGE);
	return p;
}

struct build_ctx {
	struct zk_merkle_tree *tree;
	const zk_gl *const *cols;
	size_t n_cols;
	uint64_t chunk_leaves; /* power of two */
	uint64_t n_chunks;
	atomic_uint_fast64_t next_chunk;
	atomic_int failed;
	bool wide;            /* eight-way BLAKE2s for chunks of >= 8 leaves */
	struct b2s_init b2s;
};

struct build_worker {
	struct build_ctx *ctx;
	struct zk_hasher *hasher;
	zk_gl *row;
	pthread_t tid;
	int started;
};

/* Leaves of one chunk and every node of its subtree, bottom up. */
static int build_chunk(struct build_worker *w, uint64_t chunk)
{
	struct build_ctx *ctx = w->ctx;
	struct zk_digest *nodes = ctx->tree->nodes;
	uint64_t n = ctx->tree->n_leaves;
	uint64_t first = chunk * ctx->chunk_leaves;
	uint64_t width = ctx->chunk_leaves;
	uint64_t i;
	size_t c;

#ifdef B2S8
	if (ctx->wide && width >= 8) {
		for (i = first; i < first + width; i += 8)
			b2s8_leaves(ctx->b2s.leaf, ctx->cols, ctx->n_cols, i,
				    &nodes[n + i]);
		for (n >>= 1, first >>= 1, width >>= 1; width >= 8;
		     n >>= 1, first >>= 1, width >>= 1)
			for (i = n + first; i < n + first + width; i += 8)
				b2s8_nodes(ctx->b2s.node, nodes, i);
		first <<= 1;
		width <<= 1;
		n <<= 1;
		goto upper_levels;
	}
#endif
	for (i = first; i < first + width; i++) {
		for (c = 0; c < ctx->n_cols; c++)
			w->row[c] = ctx->cols[c][i];
		if (zk_hasher_leaf(w->hasher, w->row, ctx->n_cols,
				   &nodes[n + i]) != 0)
			return -1;
	}
#ifdef B2S8
upper_levels:
#endif
	for (n >>= 1, first >>= 1, width >>= 1; width > 0;
	     n >>= 1, first >>= 1, width >>= 1) {
		for (i = n + first; i < n + first + width; i++)
			if (zk_hasher_node(w->hasher, &nodes[2 * i],
					   &nodes[2 * i + 1], &nodes[i]) != 0)
				return -1;
	}
	return 0;
}

static void *build_worker_main(void *arg)
{
	struct build_worker *w = arg;
	struct build_ctx *ctx = w->ctx;

	for (;;) {
		uint64_t chunk = atomic_fetch_add(&ctx->next_chunk, 1);

		if (chunk >= ctx->n_chunks || atomic_load(&ctx->failed))
			break;
		if (build_chunk(w, chunk) != 0)
			atomic_store(&ctx->failed, 1);
	}
	return NULL;
}

static void free_workers(struct build_worker *ws, unsigned n)
{
	unsigned k;

	for (k = 0; k < n; k++) {
		zk_hasher_free(ws[k].hasher);
		free(ws[k].row);
	}
	free(ws);
}

int zk_merkle_build(struct zk_merkle_tree *t, enum zk_hash_id hash,
		    const zk_gl *const *cols, size_t n_cols, uint64_t n_rows,
		    unsigned threads)
{
	struct build_ctx ctx;
	struct build_worker *ws;
	struct zk_hasher *top;
	uint64_t n_chunks, k;
	unsigned w;
	int rc = ZK_MERKLE_OK;

	memset(t, 0, sizeof(*t));
	if (cols == NULL || n_cols == 0 || !is_pow2(n_rows) ||
	    log2_u64(n_rows) > ZK_MERKLE_MAX_DEPTH ||
	    !zk_hash_id_valid((uint32_t)hash) ||
	    n_cols > SIZE_MAX / sizeof(zk_gl))
		return ZK_MERKLE_EINVAL;
	for (k = 0; k < n_cols; k++)
		if (cols[k] == NULL)
			return ZK_MERKLE_EINVAL;
	if (n_rows > SIZE_MAX / (2 * sizeof(struct zk_digest)))
		return ZK_MERKLE_ENOMEM;

	if (threads == 0)
		threads = 1;
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	n_chunks = 1;
	while (n_chunks < (uint64_t)threads * CHUNKS_PER_THREAD &&
	       n_chunks < n_rows)
		n_chunks <<= 1;
	if (threads > n_chunks)
		threads = (unsigned)n_chunks;

	t->hash = hash;
	t->depth = log2_u64(n_rows);
	t->n_leaves = n_rows;
	t->nodes = nodes_alloc((size_t)(2 * n_rows) * sizeof(struct zk_digest));
	ws = calloc(threads, sizeof(*ws));
	if (t->nodes == NULL || ws == NULL) {
		free(ws);
		zk_merkle_free(t);
		return ZK_MERKLE_ENOMEM;
	}
	memset(&t->nodes[0], 0, sizeof(t->nodes[0]));

	ctx.tree = t;
	ctx.cols = cols;
	ctx.n_cols = n_cols;
	ctx.n_chunks = n_chunks;
	ctx.chunk_leaves = n_rows / n_chunks;
	atomic_init(&ctx.next_chunk, 0);
	atomic_init(&ctx.failed, 0);
#ifdef B2S8
	ctx.wide = hash == ZK_HASH_BLAKE2S && b2s_init_get(&ctx.b2s);
#else
	ctx.wide = false;
#endif

	for (w = 0; w < threads; w++) {
		ws[w].ctx = &ctx;
		ws[w].hasher = zk_hasher_new(hash);
		ws[w].row = malloc(n_cols * sizeof(zk_gl));
		if (ws[w].hasher == NULL || ws[w].row == NULL) {
			free_workers(ws, threads);
			zk_merkle_free(t);
			return ZK_MERKLE_ENOMEM;
		}
	}
	/* A worker that cannot be started only means fewer hands: the chunks
	 * are taken from a shared counter, and the caller works too. */
	for (w = 1; w < threads; w++)
		ws[w].started = pthread_create(&ws[w].tid, NULL,
					       build_worker_main, &ws[w]) == 0;
	build_worker_main(&ws[0]);
	for (w = 1; w < threads; w++)
		if (ws[w].started)
			pthread_join(ws[w].tid, NULL);

	if (atomic_load(&ctx.failed)) {
		rc = ZK_MERKLE_EHASH;
	} else {
		top = ws[0].hasher;
		for (k = n_chunks - 1; k >= 1; k--)
			if (zk_hasher_node(top, &t->nodes[2 * k],
					   &t->nodes[2 * k + 1],
					   &t->nodes[k]) != 0) {
				rc = ZK_MERKLE_EHASH;
				break;
			}
	}
	free_workers(ws, threads);
	if (rc != ZK_MERKLE_OK)
		zk_merkle_free(t);
	return rc;
}

int zk_merkle_build_lde(struct zk_merkle_tree *t, enum zk_hash_id hash,
			const zk_gl *lde, size_t n_cols, uint64_t n_rows,
			unsigned threads)
{
	const zk_gl **cols;
	size_t c;
	int rc;

	if (lde == NULL || n_cols == 0 || n_cols > SIZE_MAX / sizeof(*cols)) {
		memset(t, 0, sizeof(*t));
		return ZK_MERKLE_EINVAL;
	}
	cols = malloc(n_cols * sizeof(*cols));
	if (cols == NULL) {
		memset(t, 0, sizeof(*t));
		return ZK_MERKLE_ENOMEM;
	}
	for (c = 0; c < n_cols; c++)
		cols[c] = lde + c * n_rows;
	rc = zk_merkle_build(t, hash, cols, n_cols, n_rows, threads);
	free(cols);
	return rc;
}

void zk_merkle_free(struct zk_merkle_tree *t)
{
	free(t->nodes);
	memset(t, 0, sizeof(*t));
}

const struct zk_digest *zk_merkle_root(const struct zk_merkle_tree *t)
{
	return &t->nodes[1];
}

int zk_merkle_open(const struct zk_merkle_tree *t, uint64_t index,
		   struct zk_digest *path)
{
	uint64_t k;
	unsigned d;

	if (t->nodes == NULL || index >= t->n_leaves)
		return ZK_MERKLE_EINVAL;
	for (k = t->n_leaves + index, d = 0; k > 1; k >>= 1, d++)
		path[d] = t->nodes[k ^ 1];
	return ZK_MERKLE_OK;
}

int zk_merkle_verify_path(enum zk_hash_id hash, const struct zk_digest *root,
			  unsigned depth, uint64_t index, const zk_gl *row,
			  size_t n_cols, const struct zk_digest *path)
{
	struct zk_hasher *h;
	struct zk_digest cur, parent;
	unsigned d;
	int rc = ZK_MERKLE_OK;

	if (depth > ZK_MERKLE_MAX_DEPTH || index >> depth != 0)
		return ZK_MERKLE_EREJECT;
	h = zk_hasher_new(hash);
	if (h == NULL)
		return zk_hash_id_valid((uint32_t)hash) ? ZK_MERKLE_ENOMEM
							: ZK_MERKLE_EINVAL;
	if (zk_hasher_leaf(h, row, n_cols, &cur) != 0)
		rc = ZK_MERKLE_EHASH;
	for (d = 0; rc == ZK_MERKLE_OK && d < depth; d++, index >>= 1) {
		const struct zk_digest *l = index & 1 ? &path[d] : &cur;
		const struct zk_digest *r = index & 1 ? &cur : &path[d];

		if (zk_hasher_node(h, l, r, &parent) != 0)
			rc = ZK_MERKLE_EREJECT;
		cur = parent;
	}
	zk_hasher_free(h);
	if (rc == ZK_MERKLE_OK && memcmp(&cur, root, sizeof(cur)) != 0)
		rc = ZK_MERKLE_EREJECT;
	return rc;
}

/* ------------------------------------------------------------------------
 * Batched openings
 */

struct known_node {
	uint64_t pos; /* position within its level */
	size_t src;   /* input slot it came from (ties broken by order) */
};

static int cmp_known(const void *a, const void *b)
{
	const struct known_node *x = a, *y = b;

	if (x->pos != y->pos)
		return x->pos < y->pos ? -1 : 1;
	return x->src < y->src ? -1 : (x->src > y->src);
}

/* Upper bound on the nodes of a batch over `unique` leaves (also guards the
 * size arithmetic of the callers). */
static int batch_node_bound(size_t unique, unsigned depth, size_t *bound)
{
	if (unique > SIZE_MAX / ZK_MERKLE_MAX_DEPTH / sizeof(struct zk_digest))
		return ZK_MERKLE_ENOMEM;
	*bound = unique * depth;
	return ZK_MERKLE_OK;
}

/* Sorted copy of indices; 0 or ZK_MERKLE_EINVAL for an index out of range. */
static int sorted_indices(const uint64_t *indices, size_t count,
			  unsigned depth, struct known_node **out)
{
	struct known_node *kn;
	size_t i;

	if (count == 0 || count > SIZE_MAX / sizeof(*kn))
		return ZK_MERKLE_EINVAL;
	for (i = 0; i < count; i++)
		if (indices[i] >> depth != 0)
			return ZK_MERKLE_EINVAL;
	kn = malloc(count * sizeof(*kn));
	if (kn == NULL)
		return ZK_MERKLE_ENOMEM;
	for (i = 0; i < count; i++) {
		kn[i].pos = indices[i];
		kn[i].src = i;
	}
	qsort(kn, count, sizeof(*kn), cmp_known);
	*out = kn;
	return ZK_MERKLE_OK;
}

int zk_merkle_open_batch(const struct zk_merkle_tree *t,
			 const uint64_t *indices, size_t count,
			 struct zk_merkle_batch *out)
{
	struct known_node *kn;
	size_t m, i, unique, bound, emitted = 0;
	unsigned d;
	int rc;

	memset(out, 0, sizeof(*out));
	if (t->nodes == NULL || indices == NULL)
		return ZK_MERKLE_EINVAL;
	rc = sorted_indices(indices, count, t->depth, &kn);
	if (rc != ZK_MERKLE_OK)
		return rc;
	for (unique = 0, i = 0; i < count; i++)
		if (unique == 0 || kn[unique - 1].pos != kn[i].pos)
			kn[unique++] = kn[i];
	rc = batch_node_bound(unique, t->depth, &bound);
	if (rc == ZK_MERKLE_OK && bound > UINT32_MAX)
		rc = ZK_MERKLE_EINVAL;
	if (rc == ZK_MERKLE_OK && bound > 0) {
		out->nodes = malloc(bound * sizeof(*out->nodes));
		if (out->nodes == NULL)
			rc = ZK_MERKLE_ENOMEM;
	}
	if (rc != ZK_MERKLE_OK) {
		free(kn);
		return rc;
	}

	m = unique;
	for (d = 0; d < t->depth; d++) {
		uint64_t base = t->n_leaves >> d;
		size_t next = 0;

		for (i = 0; i < m; i++) {
			uint64_t p = kn[i].pos;

			if ((p & 1) == 0 && i + 1 < m && kn[i + 1].pos == p + 1)
				i++; /* sibling is known: nothing to send */
			else
				out->nodes[emitted++] = t->nodes[(base + p) ^ 1];
			kn[next++].pos = p >> 1;
		}
		m = next;
	}
	free(kn);
	out->depth = t->depth;
	out->n_nodes = (uint32_t)emitted;
	return ZK_MERKLE_OK;
}

void zk_merkle_batch_free(struct zk_merkle_batch *b)
{
	free(b->nodes);
	memset(b, 0, sizeof(*b));
}

int zk_merkle_verify_batch_digests(enum zk_hash_id hash,
				   const struct zk_digest *root,
				   unsigned depth, const uint64_t *indices,
				   size_t count,
				   const struct zk_digest *leaf_digests,
				   const struct zk_merkle_batch *b)
{
	struct known_node *kn = NULL;
	struct zk_digest *cur = NULL;
	struct zk_hasher *h = NULL;
	size_t m, i, used = 0;
	unsigned d;
	int rc;

	if (indices == NULL || leaf_digests == NULL || b == NULL ||
	    root == NULL || !zk_hash_id_valid((uint32_t)hash))
		return ZK_MERKLE_EINVAL;
	if (depth > ZK_MERKLE_MAX_DEPTH || b->depth != depth ||
	    (b->n_nodes > 0 && b->nodes == NULL))
		return ZK_MERKLE_EREJECT;
	rc = sorted_indices(indices, count, depth, &kn);
	if (rc == ZK_MERKLE_EINVAL && count > 0)
		return ZK_MERKLE_EREJECT; /* an index outside the tree */
	if (rc != ZK_MERKLE_OK)
		return rc;
	cur = malloc(count * sizeof(*cur));
	h = zk_hasher_new(hash);
	if (cur == NULL || h == NULL) {
		rc = ZK_MERKLE_ENOMEM;
		goto out;
	}

	/* Deduplicate; a repeated index must come with the same leaf. */
	for (m = 0, i = 0; i < count; i++) {
		const struct zk_digest *leaf = &leaf_digests[kn[i].src];

		if (m > 0 && kn[m - 1].pos == kn[i].pos) {
			if (memcmp(&cur[m - 1], leaf, sizeof(*leaf)) != 0) {
				rc = ZK_MERKLE_EREJECT;
				goto out;
			}
			continue;
		}
		kn[m].pos = kn[i].pos;
		cur[m++] = *leaf;
	}

	for (d = 0; d < depth; d++) {
		size_t next = 0;

		for (i = 0; i < m; i++) {
			uint64_t p = kn[i].pos;
			const struct zk_digest *left, *right;
			struct zk_digest parent;

			if ((p & 1) == 0 && i + 1 < m && kn[i + 1].pos == p + 1) {
				left = &cur[i];
				right = &cur[i + 1];
				i++;
			} else if (used == b->n_nodes) {
				rc = ZK_MERKLE_EREJECT; /* too few nodes */
				goto out;
			} else if (p & 1) {
				left = &b->nodes[used++];
				right = &cur[i];
			} else {
				left = &cur[i];
				right = &b->nodes[used++];
			}
			if (zk_hasher_node(h, left, right, &parent) != 0) {
				rc = ZK_MERKLE_EREJECT;
				goto out;
			}
			kn[next].pos = p >> 1;
			cur[next++] = parent;
		}
		m = next;
	}
	if (used != b->n_nodes || m != 1 ||
	    memcmp(&cur[0], root, sizeof(*root)) != 0)
		rc = ZK_MERKLE_EREJECT;
out:
	zk_hasher_free(h);
	free(cur);
	free(kn);
	return rc;
}

int zk_merkle_verify_batch(enum zk_hash_id hash, const struct zk_digest *root,
			   unsigned depth, const uint64_t *indices,
			   size_t count, const zk_gl *rows, size_t n_cols,
			   const struct zk_merkle_batch *b)
{
	struct zk_digest *leaves;
	struct zk_hasher *h;
#ifdef B2S8
	struct b2s_init init;
#endif
	size_t k;
	int rc = ZK_MERKLE_OK;

	if (rows == NULL || count == 0 || count > SIZE_MAX / sizeof(*leaves))
		return ZK_MERKLE_EINVAL;
	if (!zk_hash_id_valid((uint32_t)hash))
		return ZK_MERKLE_EINVAL;
	leaves = malloc(count * sizeof(*leaves));
	if (leaves == NULL)
		return ZK_MERKLE_ENOMEM;
	k = 0;
#ifdef B2S8
	/* eight rows per compression; an empty row stays with the library */
	if (hash == ZK_HASH_BLAKE2S && n_cols > 0 &&
	    n_cols <= UINT32_MAX / 8 && b2s_init_get(&init))
		for (; k < count; k += 8)
			b2s8_rows(init.leaf, rows + k * n_cols, n_cols,
				  count - k < 8 ? count - k : 8, &leaves[k]);
#endif
	if (k < count) {
		h = zk_hasher_new(hash);
		if (h == NULL) {
			free(leaves);
			return ZK_MERKLE_ENOMEM;
		}
		for (; k < count && rc == ZK_MERKLE_OK; k++)
			if (zk_hasher_leaf(h, rows + k * n_cols, n_cols,
					   &leaves[k]) != 0)
				rc = ZK_MERKLE_EHASH;
		zk_hasher_free(h);
	}
	if (rc == ZK_MERKLE_OK)
		rc = zk_merkle_verify_batch_digests(hash, root, depth, indices,
						    count, leaves, b);
	free(leaves);
	return rc;
}

/* ------------------------------------------------------------------------
 * Wire form
 */

size_t zk_merkle_batch_wire_size(const struct zk_merkle_batch *b)
{
	return ZK_MERKLE_BATCH_HEADER +
	       (size_t)b->n_nodes * sizeof(struct zk_digest);
}

int zk_merkle_batch_serialize(const struct zk_merkle_batch *b, uint8_t *buf,
			      size_t cap, size_t *written)
{
	size_t need = zk_merkle_batch_wire_size(b);

	if (buf == NULL || cap < need || b->depth > ZK_MERKLE_MAX_DEPTH)
		return ZK_MERKLE_EINVAL;
	buf[0] = ZK_MERKLE_BATCH_VERSION;
	buf[1] = (uint8_t)b->depth;
	buf[2] = (uint8_t)b->n_nodes;
	buf[3] = (uint8_t)(b->n_nodes >> 8);
	buf[4] = (uint8_t)(b->n_nodes >> 16);
	buf[5] = (uint8_t)(b->n_nodes >> 24);
	if (b->n_nodes > 0)
		memcpy(buf + ZK_MERKLE_BATCH_HEADER, b->nodes,
		       (size_t)b->n_nodes * sizeof(struct zk_digest));
	if (written != NULL)
		*written = need;
	return ZK_MERKLE_OK;
}

int zk_merkle_batch_deserialize(const uint8_t *buf, size_t len,
				size_t max_nodes, struct zk_merkle_batch *out,
				size_t *consumed)
{
	uint32_t n_nodes;
	size_t body;

	memset(out, 0, sizeof(*out));
	if (buf == NULL || len < ZK_MERKLE_BATCH_HEADER)
		return ZK_MERKLE_EFORMAT;
	if (buf[0] != ZK_MERKLE_BATCH_VERSION || buf[1] > ZK_MERKLE_MAX_DEPTH)
		return ZK_MERKLE_EFORMAT;
	n_nodes = (uint32_t)buf[2] | (uint32_t)buf[3] << 8 |
		  (uint32_t)buf[4] << 16 | (uint32_t)buf[5] << 24;
	/* Check the count against the caller's bound and the bytes present
	 * before multiplying or allocating anything. */
	if (n_nodes > max_nodes ||
	    n_nodes > (len - ZK_MERKLE_BATCH_HEADER) / sizeof(struct zk_digest))
		return ZK_MERKLE_EFORMAT;
	body = (size_t)n_nodes * sizeof(struct zk_digest);
	if (consumed == NULL && len != ZK_MERKLE_BATCH_HEADER + body)
		return ZK_MERKLE_EFORMAT;
	if (n_nodes > 0) {
		out->nodes = malloc(body);
		if (out->nodes == NULL)
			return ZK_MERKLE_ENOMEM;
		memcpy(out->nodes, buf + ZK_MERKLE_BATCH_HEADER, body);
	}
	out->depth = buf[1];
	out->n_nodes = n_nodes;
	if (consumed != NULL)
		*consumed = ZK_MERKLE_BATCH_HEADER + body;
	return ZK_MERKLE_OK;
}
