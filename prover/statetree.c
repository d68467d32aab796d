/* SPDX-License-Identifier: MIT */
/*
 * State tree: the sparse node store, creation from an engine, batch
 * updates from a witness, membership proofs.
 *
 * Nodes live in one open-addressing table keyed by (level, index); a node
 * whose hash equals the empty-subtree hash of its level is not stored, so
 * the table holds only the non-empty paths. A second table keeps the value
 * of every non-empty leaf, so a witness's old values are checked by
 * comparing encodings instead of hashing them again (docs/statetree.md).
 * Updates compute everything into scratch first and write the tables last,
 * after growing them, so a rejected witness or a failed allocation leaves
 * the tree as it was. Hashes are computed level by level, four at a time
 * on the batched permutations.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkclob/statetree.h"

#define D ZK_ST_DIGEST_ELEMS
#define KEY_EMPTY UINT64_MAX

struct st_entry {
	uint64_t key;
	zk_gl h[D];
};

/* A node on a touched path while its level is processed. */
struct st_work {
	uint64_t index;
	uint32_t rec;                     /* its entry in the record */
	uint32_t child[ZK_ST_MAX_ARITY];  /* its children's entries */
	zk_gl old_h[D], new_h[D];
};

/* The value of a non-empty leaf; index KEY_EMPTY marks a free entry. */
struct st_value {
	uint64_t index;
	union zk_slot_value v;
};

/* One witness access of this tree's market, sortable by leaf. */
struct st_access {
	uint64_t index;
	size_t pos;
};

struct zk_st_tree {
	struct zk_st_layout lay;
	struct st_entry *tab;
	size_t cap, len; /* cap a power of two, len <= cap / 2 */
	zk_gl empty[ZK_ST_MAX_DEPTH + 1][D];
	zk_gl root[D];
	uint64_t node_hashes, leaf_hashes;
	/* scratch kept between batches */
	struct st_work *cur, *next;
	size_t cap_work;
	struct st_access *acc;
	size_t cap_acc;
	struct st_work *commit; /* every touched node, new hash */
	size_t n_commit, cap_commit;
	struct st_value *vals; /* same probing as tab */
	size_t vcap, vlen;
	/* one level's parents: children in, digests out */
	zk_gl (*ch)[ZK_ST_MAX_ARITY][D];
	zk_gl (*hashes)[D];
	size_t cap_ch, cap_hashes;
	/* new leaf values to hash: encoding and leaf number */
	zk_gl (*enc)[ZK_ST_LEAF_ELEMS];
	uint32_t *enc_leaf;
	size_t cap_enc, cap_enc_leaf;
};

static uint64_t
node_key(uint32_t level, uint64_t index)
{
	return ((uint64_t)level << 56) | index;
}

static size_t
home_of(uint64_t key, size_t cap)
{
	return (size_t)((key * 0x9E3779B97F4A7C15ull) >> 32) & (cap - 1);
}

static size_t
slot_of(const struct zk_st_tree *t, uint64_t key)
{
	return home_of(key, t->cap);
}

static const zk_gl *
node_get(const struct zk_st_tree *t, uint32_t level, uint64_t index)
{
	uint64_t key = node_key(level, index);

	for (size_t i = slot_of(t, key);; i = (i + 1) & (t->cap - 1)) {
		if (t->tab[i].key == key)
			return t->tab[i].h;
		if (t->tab[i].key == KEY_EMPTY)
			return t->empty[level];
	}
}

static int
table_alloc(struct st_entry **tab, size_t cap)
{
	*tab = malloc(cap * sizeof(**tab));
	if (*tab == NULL)
		return -1;
	for (size_t i = 0; i < cap; i++)
		(*tab)[i].key = KEY_EMPTY;
	return 0;
}

static void
table_put_new(struct zk_st_tree *t, uint64_t key, const zk_gl h[D])
{
	size_t i = slot_of(t, key);

	while (t->tab[i].key != KEY_EMPTY)
		i = (i + 1) & (t->cap - 1);
	t->tab[i].key = key;
	memcpy(t->tab[i].h, h, sizeof(t->tab[i].h));
}

/* Room for `more` inserts at load <= 1/2; the only step that can fail. */
static int
table_reserve(struct zk_st_tree *t, size_t more)
{
	struct st_entry *old = t->tab, *tab;
	size_t old_cap = t->cap, cap = t->cap;

	while ((t->len + more) * 2 > cap)
		cap *= 2;
	if (cap == t->cap)
		return 0;
	if (table_alloc(&tab, cap) != 0)
		return -1;
	t->tab = tab;
	t->cap = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].key != KEY_EMPTY)
			table_put_new(t, old[i].key, old[i].h);
	free(old);
	return 0;
}

/* Linear probing deletion by backward shift: no tombstones to pile up. */
static void
table_delete_at(struct zk_st_tree *t, size_t i)
{
	size_t mask = t->cap - 1, j = i;

	for (;;) {
		size_t home;

		j = (j + 1) & mask;
		if (t->tab[j].key == KEY_EMPTY)
			break;
		home = slot_of(t, t->tab[j].key);
		/* Move j into the hole unless its home lies in (i, j]. */
		if ((i <= j) ? (home <= i || home > j) : (home <= i && home > j)) {
			t->tab[i] = t->tab[j];
			i = j;
		}
	}
	t->tab[i].key = KEY_EMPTY;
	t->len--;
}

static void
node_set(struct zk_st_tree *t, uint32_t level, uint64_t index,
	 const zk_gl h[D])
{
	uint64_t key = node_key(level, index);
	int empty = memcmp(h, t->empty[level], sizeof(zk_gl) * D) == 0;
	size_t i;

	for (i = slot_of(t, key); t->tab[i].key != KEY_EMPTY;
	     i = (i + 1) & (t->cap - 1)) {
		if (t->tab[i].key == key) {
			if (empty)
				table_delete_at(t, i);
			else
				memcpy(t->tab[i].h, h, sizeof(t->tab[i].h));
			return;
		}
	}
	if (!empty) {
		t->tab[i].key = key;
		memcpy(t->tab[i].h, h, sizeof(t->tab[i].h));
		t->len++;
	}
}

static const union zk_slot_value *
value_get(const struct zk_st_tree *t, uint64_t index)
{
	for (size_t i = home_of(index, t->vcap);; i = (i + 1) & (t->vcap - 1)) {
		if (t->vals[i].index == index)
			return &t->vals[i].v;
		if (t->vals[i].index == KEY_EMPTY)
			return NULL;
	}
}

static size_t
value_probe(const struct zk_st_tree *t, uint64_t index)
{
	size_t i = home_of(index, t->vcap);

	while (t->vals[i].index != KEY_EMPTY && t->vals[i].index != index)
		i = (i + 1) & (t->vcap - 1);
	return i;
}

/* Room for `more` inserts at load <= 1/2; the only step that can fail. */
static int
value_reserve(struct zk_st_tree *t, size_t more)
{
	struct st_value *old = t->vals, *vals;
	size_t old_cap = t->vcap, cap = t->vcap;

	while ((t->vlen + more) * 2 > cap)
		cap *= 2;
	if (cap == t->vcap)
		return 0;
	vals = malloc(cap * sizeof(*vals));
	if (vals == NULL)
		return -1;
	for (size_t i = 0; i < cap; i++)
		vals[i].index = KEY_EMPTY;
	t->vals = vals;
	t->vcap = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].index != KEY_EMPTY)
			t->vals[value_probe(t, old[i].index)] = old[i];
	free(old);
	return 0;
}

/* Store a leaf's value, or forget it when the leaf becomes empty (backward
 * shift deletion, as table_delete_at). */
static void
value_set(struct zk_st_tree *t, uint64_t index, const union zk_slot_value *v,
	  bool empty)
{
	size_t mask = t->vcap - 1, i = value_probe(t, index), j = i;

	if (!empty) {
		t->vlen += t->vals[i].index == KEY_EMPTY;
		t->vals[i].index = index;
		t->vals[i].v = *v;
		return;
	}
	if (t->vals[i].index == KEY_EMPTY)
		return;
	for (;;) {
		size_t home;

		j = (j + 1) & mask;
		if (t->vals[j].index == KEY_EMPTY)
			break;
		home = home_of(t->vals[j].index, t->vcap);
		if ((i <= j) ? (home <= i || home > j) : (home <= i && home > j)) {
			t->vals[i] = t->vals[j];
			i = j;
		}
	}
	t->vals[i].index = KEY_EMPTY;
	t->vlen--;
}

static int
grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t c = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	q = realloc(*p, c * elem);
	if (q == NULL)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

static int
work_reserve(struct zk_st_tree *t, size_t n)
{
	size_t cap = t->cap_work;

	if (grow((void **)&t->cur, &cap, n, sizeof(*t->cur)) != 0)
		return -1;
	cap = t->cap_work;
	if (grow((void **)&t->next, &cap, n, sizeof(*t->next)) != 0)
		return -1;
	t->cap_work = cap;
	return 0;
}

static int
commit_push(struct zk_st_tree *t, uint32_t level, const struct st_work *w)
{
	struct st_work *c;

	if (grow((void **)&t->commit, &t->cap_commit, t->n_commit + 1,
		 sizeof(*t->commit)) != 0)
		return -1;
	c = &t->commit[t->n_commit++];
	*c = *w;
	c->rec = level; /* the commit list reuses .rec for the level */
	return 0;
}

static int
rec_push(struct zk_st_update *u, uint32_t level, uint64_t index,
	 uint32_t touched, const uint32_t child[ZK_ST_MAX_ARITY],
	 const zk_gl old_h[D], const zk_gl new_h[D], uint32_t *at)
{
	struct zk_st_node_rec *n;

	if (u->n_nodes >= UINT32_MAX - 1 ||
	    grow((void **)&u->nodes, &u->cap_nodes, u->n_nodes + 1,
		 sizeof(*u->nodes)) != 0)
		return -1;
	*at = (uint32_t)u->n_nodes;
	n = &u->nodes[u->n_nodes++];
	n->index = index;
	n->level = level;
	n->touched = touched;
	for (unsigned j = 0; j < ZK_ST_MAX_ARITY; j++)
		n->child[j] = child ? child[j] : ZK_ST_NONE;
	memcpy(n->old_hash, old_h, sizeof(n->old_hash));
	memcpy(n->new_hash, new_h, sizeof(n->new_hash));
	return 0;
}

/*
 * From the sorted touched leaves in t->cur[0..n) up to the root: every
 * parent of a touched node is computed once, its untouched children come
 * from the table. Appends the touched nodes to t->commit and, with u, the
 * record entries level by level. Old hashes are the table's (the witness
 * check already tied the old leaves to them).
 */
static int
walk(struct zk_st_tree *t, size_t n, struct zk_st_update *u)
{
	const uint32_t arity = t->lay.arity;

	for (uint32_t level = 0;; level++) {
		size_t np = 0;

		if (grow((void **)&t->ch, &t->cap_ch, n, sizeof(*t->ch)) != 0 ||
		    grow((void **)&t->hashes, &t->cap_hashes, n,
			 sizeof(*t->hashes)) != 0)
			return -1;
		for (size_t i = 0; i < n; i++)
			if (commit_push(t, level, &t->cur[i]) != 0)
				return -1;
		if (level == t->lay.depth) {
			if (u != NULL &&
			    rec_push(u, level, 0, 1, t->cur[0].child,
				     t->cur[0].old_h, t->cur[0].new_h,
				     &t->cur[0].rec) != 0)
				return -1;
			memcpy(t->root, t->cur[0].new_h, sizeof(t->root));
			return 0;
		}
		for (size_t i = 0; i < n;) {
			uint64_t parent = t->cur[i].index / arity;
			zk_gl (*ch)[D] = t->ch[np];
			struct st_work *p = &t->next[np++];

			for (uint32_t j = 0; j < ZK_ST_MAX_ARITY; j++)
				p->child[j] = ZK_ST_NONE;
			for (uint32_t j = 0; j < arity; j++) {
				uint64_t idx = parent * arity + j;

				if (i < n && t->cur[i].index == idx) {
					struct st_work *c = &t->cur[i++];

					if (u != NULL &&
					    rec_push(u, level, idx, 1, c->child,
						     c->old_h, c->new_h,
						     &p->child[j]) != 0)
						return -1;
					memcpy(ch[j], c->new_h, sizeof(ch[j]));
				} else {
					const zk_gl *h = node_get(t, level, idx);

					if (u != NULL &&
					    rec_push(u, level, idx, 0, NULL, h,
						     h, &p->child[j]) != 0)
						return -1;
					memcpy(ch[j], h, sizeof(ch[j]));
				}
			}
			p->index = parent;
			memcpy(p->old_h, node_get(t, level + 1, parent),
			       sizeof(p->old_h));
		}
		/* the level's parents are independent: hash them together */
		zk_st_node_hash_many(arity,
				     (const zk_gl(*)[ZK_ST_MAX_ARITY][D])t->ch,
				     t->hashes, np);
		for (size_t k = 0; k < np; k++)
			memcpy(t->next[k].new_h, t->hashes[k], sizeof(t->hashes[k]));
		t->node_hashes += np;
		if (u != NULL)
			u->node_hashes += np;
		{
			struct st_work *tmp = t->cur;

			t->cur = t->next;
			t->next = tmp;
		}
		n = np;
	}
}

/* Writes the walk's results and, with u, the changed leaves' values;
 * cannot fail once both tables are reserved. */
static int
commit(struct zk_st_tree *t, const struct zk_st_update *u)
{
	if (table_reserve(t, t->n_commit) != 0 ||
	    (u != NULL && value_reserve(t, u->n_leaves) != 0))
		return -1;
	for (size_t i = 0; i < t->n_commit; i++)
		node_set(t, t->commit[i].rec, t->commit[i].index,
			 t->commit[i].new_h);
	for (size_t i = 0; u != NULL && i < u->n_leaves; i++) {
		const struct zk_st_leaf_rec *lf = &u->leaves[i];

		if (memcmp(&lf->before, &lf->after, sizeof(lf->after)) != 0)
			value_set(t, lf->index, &lf->after,
				  zk_st_is_pristine(&t->lay, lf->kind,
						    lf->slot, &lf->after));
	}
	t->n_commit = 0;
	return 0;
}

struct zk_st_tree *
zk_st_create(const struct zk_engine *e, uint32_t market, uint32_t arity)
{
	struct zk_st_tree *t = calloc(1, sizeof(*t));
	uint32_t kinds[ZK_ST_KINDS];
	size_t n = 0;

	if (t == NULL)
		goto nomem;
	if (zk_st_layout_for_engine(&t->lay, e, market, arity) != 0) {
		free(t);
		errno = EINVAL;
		return NULL;
	}
	for (uint32_t l = 0; l <= t->lay.depth; l++)
		zk_st_empty_hash(arity, l, t->empty[l]);
	memcpy(t->root, t->empty[t->lay.depth], sizeof(t->root));
	t->cap = 1024;
	if (table_alloc(&t->tab, t->cap) != 0)
		goto nomem;
	t->vcap = 1; /* the first reserve allocates */
	t->vals = malloc(sizeof(*t->vals));
	if (t->vals == NULL)
		goto nomem;
	t->vals[0].index = KEY_EMPTY;
	/* Leaves in position order, so the walk gets them sorted. */
	for (uint32_t k = 1; k <= ZK_ST_KINDS; k++)
		kinds[k - 1] = k;
	for (uint32_t i = 1; i < ZK_ST_KINDS; i++)
		for (uint32_t j = i; j > 0 && t->lay.offset[kinds[j]] <
					       t->lay.offset[kinds[j - 1]]; j--) {
			uint32_t tmp = kinds[j];

			kinds[j] = kinds[j - 1];
			kinds[j - 1] = tmp;
		}
	for (uint32_t r = 0; r < ZK_ST_KINDS; r++) {
		uint32_t kind = kinds[r];

		for (uint32_t s = 0; s < t->lay.count[kind]; s++) {
			union zk_slot_value v;
			struct st_work *w;

			if (zk_engine_slot_get(e, market, (enum zk_slot_kind)kind,
					       s, &v) != 0 ||
			    zk_st_is_pristine(&t->lay, kind, s, &v))
				continue;
			if (work_reserve(t, n + 1) != 0 ||
			    value_reserve(t, 1) != 0)
				goto nomem;
			w = &t->cur[n++];
			memset(w, 0, sizeof(*w));
			w->index = t->lay.offset[kind] + s;
			if (zk_st_leaf_hash(&t->lay, kind, s, &v, w->new_h) != 0) {
				zk_st_destroy(t);
				errno = EINVAL;
				return NULL;
			}
			t->leaf_hashes++;
			value_set(t, w->index, &v, false);
			for (uint32_t j = 0; j < ZK_ST_MAX_ARITY; j++)
				w->child[j] = ZK_ST_NONE;
		}
	}
	if (n > 0 && (walk(t, n, NULL) != 0 || commit(t, NULL) != 0))
		goto nomem;
	t->n_commit = 0;
	return t;
nomem:
	zk_st_destroy(t);
	errno = ENOMEM;
	return NULL;
}

void
zk_st_destroy(struct zk_st_tree *t)
{
	if (t == NULL)
		return;
	free(t->tab);
	free(t->cur);
	free(t->next);
	free(t->acc);
	free(t->commit);
	free(t->vals);
	free(t->ch);
	free(t->hashes);
	free(t->enc);
	free(t->enc_leaf);
	free(t);
}

const struct zk_st_layout *
zk_st_layout_get(const struct zk_st_tree *t)
{
	return &t->lay;
}

void
zk_st_root(const struct zk_st_tree *t, uint8_t out[ZK_ST_ROOT_SIZE])
{
	zk_st_root_to_bytes(t->root, out);
}

void
zk_st_root_gl(const struct zk_st_tree *t, zk_gl out[D])
{
	memcpy(out, t->root, sizeof(t->root));
}

void
zk_st_get_stats(const struct zk_st_tree *t, struct zk_st_stats *st)
{
	st->stored_nodes = t->len;
	st->table_bytes = t->cap * sizeof(*t->tab);
	st->node_hashes = t->node_hashes;
	st->leaf_hashes = t->leaf_hashes;
}

static int
cmp_access(const void *a, const void *b)
{
	const struct st_access *x = a, *y = b;

	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	return (x->pos > y->pos) - (x->pos < y->pos);
}

static int
reject(struct zk_st_update *u, const struct zk_witness_access *a,
       const char *reason)
{
	snprintf(u->error_buf, sizeof(u->error_buf),
		 "witness access (op %llu, kind %u, slot %u): %s",
		 (unsigned long long)a->op, (unsigned)a->kind,
		 (unsigned)a->slot, reason);
	u->error = u->error_buf;
	errno = EINVAL;
	return -1;
}

static int
out_of_memory(struct zk_st_update *u)
{
	u->error = "out of memory";
	errno = ENOMEM;
	return -1;
}

/*
 * Does the tree hold `v` (with encoding enc) at this leaf? An empty leaf
 * holds exactly the pristine value; any other leaf the stored value. The
 * encodings are compared because they are what the leaf digest hashes: the
 * test accepts exactly the values that hashing and comparing digests would
 * (up to Poseidon2 collisions), without a sponge.
 */
static bool
leaf_holds(const struct zk_st_tree *t, uint64_t index, uint32_t kind,
	   uint32_t slot, const union zk_slot_value *v,
	   const zk_gl enc[ZK_ST_LEAF_ELEMS])
{
	const union zk_slot_value *cur = value_get(t, index);
	bool pristine = zk_st_is_pristine(&t->lay, kind, slot, v);
	zk_gl cur_enc[ZK_ST_LEAF_ELEMS];

	if (cur == NULL || pristine)
		return cur == NULL && pristine;
	return zk_st_encode(&t->lay, kind, slot, cur, cur_enc) == 0 &&
	       memcmp(cur_enc, enc, sizeof(cur_enc)) == 0;
}

/* Group the market's accesses by leaf and turn each group into a touched
 * leaf (record entry + level-0 work item). Every check runs in this first
 * pass, so the new values' digests can then be hashed together. */
static int
collect_leaves(struct zk_st_tree *t, const struct zk_witness *w,
	       struct zk_st_update *u, size_t n_acc)
{
	size_t n = 0, n_enc = 0;

	for (size_t i = 0; i < n_acc;) {
		const struct zk_witness_access *first = &w->acc[t->acc[i].pos];
		const struct zk_witness_access *prev = first;
		struct zk_st_leaf_rec *lf;
		struct st_work *wk;
		uint32_t written = 0;
		zk_gl enc[ZK_ST_LEAF_ELEMS];

		for (size_t k = i; k < n_acc && t->acc[k].index == t->acc[i].index;
		     k++) {
			const struct zk_witness_access *a = &w->acc[t->acc[k].pos];

			if (k > i && memcmp(&a->before, &prev->after,
					    sizeof(a->before)) != 0)
				return reject(u, a, "before differs from the previous after");
			if (!a->write && memcmp(&a->before, &a->after,
						sizeof(a->before)) != 0)
				return reject(u, a, "a read changed the slot");
			written |= a->write != 0;
			prev = a;
		}
		if (grow((void **)&u->leaves, &u->cap_leaves, n + 1,
			 sizeof(*u->leaves)) != 0 || work_reserve(t, n + 1) != 0 ||
		    grow((void **)&t->enc, &t->cap_enc, n_enc + 1,
			 sizeof(*t->enc)) != 0 ||
		    grow((void **)&t->enc_leaf, &t->cap_enc_leaf, n_enc + 1,
			 sizeof(*t->enc_leaf)) != 0 ||
		    grow((void **)&t->hashes, &t->cap_hashes, n_enc + 1,
			 sizeof(*t->hashes)) != 0)
			return out_of_memory(u);
		if (zk_st_encode(&t->lay, first->kind, first->slot,
				 &first->before, enc) != 0)
			return reject(u, first, "before value has no encoding");
		if (!leaf_holds(t, t->acc[i].index, first->kind, first->slot,
				&first->before, enc))
			return reject(u, first, "before value differs from the tree");
		lf = &u->leaves[n];
		wk = &t->cur[n];
		memset(wk, 0, sizeof(*wk));
		lf->index = wk->index = t->acc[i].index;
		lf->slot = first->slot;
		lf->kind = first->kind;
		lf->written = written;
		lf->before = first->before;
		lf->after = prev->after;
		/* the tree's digest is the before value's, as just checked */
		memcpy(wk->old_h, node_get(t, 0, lf->index), sizeof(wk->old_h));
		if (memcmp(&lf->before, &lf->after, sizeof(lf->before)) == 0) {
			memcpy(wk->new_h, wk->old_h, sizeof(wk->new_h));
		} else {
			if (zk_st_encode(&t->lay, lf->kind, lf->slot, &lf->after,
					 t->enc[n_enc]) != 0)
				return reject(u, prev,
					      "after value has no encoding");
			if (zk_st_is_pristine(&t->lay, lf->kind, lf->slot,
					      &lf->after))
				memset(wk->new_h, 0, sizeof(wk->new_h));
			else
				t->enc_leaf[n_enc++] = (uint32_t)n;
		}
		for (uint32_t j = 0; j < ZK_ST_MAX_ARITY; j++)
			wk->child[j] = ZK_ST_NONE;
		n++;
		while (i < n_acc && t->acc[i].index == lf->index)
			i++;
	}
	zk_st_leaf_hash_many((const zk_gl(*)[ZK_ST_LEAF_ELEMS])t->enc,
			     t->hashes, n_enc);
	for (size_t k = 0; k < n_enc; k++)
		memcpy(t->cur[t->enc_leaf[k]].new_h, t->hashes[k],
		       sizeof(t->hashes[k]));
	u->leaf_hashes = n_enc;
	u->n_leaves = n;
	return 0;
}

int
zk_st_apply_witness(struct zk_st_tree *t, const struct zk_witness *w,
		    struct zk_st_update *u)
{
	zk_gl old_root[D];
	size_t n_acc = 0;

	u->n_leaves = u->n_nodes = 0;
	u->accesses = u->other_market = u->node_hashes = u->leaf_hashes = 0;
	u->error = NULL;
	t->n_commit = 0;
	memcpy(old_root, t->root, sizeof(old_root));
	zk_st_root_to_bytes(t->root, u->old_root);
	zk_st_root_to_bytes(t->root, u->new_root);
	for (size_t i = 0; i < w->len; i++) {
		const struct zk_witness_access *a = &w->acc[i];
		uint64_t index;

		if (a->market != t->lay.market) {
			u->other_market++;
			continue;
		}
		if (zk_st_leaf_index(&t->lay, a->kind, a->slot, &index) != 0)
			return reject(u, a, "no such slot in this market");
		if (grow((void **)&t->acc, &t->cap_acc, n_acc + 1,
			 sizeof(*t->acc)) != 0)
			return out_of_memory(u);
		t->acc[n_acc++] = (struct st_access){ .index = index, .pos = i };
	}
	u->accesses = n_acc;
	if (n_acc == 0)
		return 0;
	qsort(t->acc, n_acc, sizeof(*t->acc), cmp_access);
	if (collect_leaves(t, w, u, n_acc) != 0)
		return -1;
	t->leaf_hashes += u->leaf_hashes;
	if (walk(t, u->n_leaves, u) != 0)
		goto nomem;
	for (size_t i = 0, k = 0; i < u->n_nodes && k < u->n_leaves; i++)
		if (u->nodes[i].level == 0 && u->nodes[i].touched)
			u->leaves[k++].node = (uint32_t)i;
	if (commit(t, u) != 0)
		goto nomem;
	zk_st_root_to_bytes(t->root, u->new_root);
	return 0;
nomem:
	/* walk() wrote only the root; the table is untouched */
	memcpy(t->root, old_root, sizeof(t->root));
	t->n_commit = 0;
	return out_of_memory(u);
}

int
zk_st_prove(const struct zk_st_tree *t, uint32_t kind, uint32_t slot,
	    struct zk_st_proof *p)
{
	uint64_t index;

	if (zk_st_leaf_index(&t->lay, kind, slot, &index) != 0)
		return -1;
	memset(p, 0, sizeof(*p));
	p->market = t->lay.market;
	p->arity = t->lay.arity;
	p->depth = t->lay.depth;
	p->kind = kind;
	p->slot = slot;
	p->index = index;
	for (uint32_t l = 0; l < t->lay.depth; l++) {
		uint64_t first = index - index % t->lay.arity;
		uint32_t s = 0;

		for (uint32_t j = 0; j < t->lay.arity; j++)
			if (first + j != index)
				memcpy(p->sib[l][s++], node_get(t, l, first + j),
				       sizeof(p->sib[l][0]));
		index /= t->lay.arity;
	}
	return 0;
}

long zk_st_update_find_leaf(const struct zk_st_update *u, uint64_t index)
{
	size_t lo = 0, hi = u->n_leaves;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (u->leaves[mid].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < u->n_leaves && u->leaves[lo].index == index ? (long)lo : -1;
}
