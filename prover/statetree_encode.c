/* SPDX-License-Identifier: MIT */
/*
 * State tree: the parts a verifier needs without a tree — leaf layout,
 * slot encoding, node hashes, and the checks of membership proofs and of
 * batch update records.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bytehash.h"
#include "poseidon2.h"
#include "zkclob/statetree.h"

#define D ZK_ST_DIGEST_ELEMS

static unsigned
log2_arity(uint32_t arity)
{
	return arity == 4 ? 2 : 1;
}

static uint64_t
pow2_ceil(uint64_t x)
{
	uint64_t p = 1;

	while (p < x)
		p <<= 1;
	return p;
}

int
zk_st_layout_init(struct zk_st_layout *lay, uint32_t market, uint32_t arity,
		  const uint32_t count[ZK_ST_KINDS + 1])
{
	uint64_t size[ZK_ST_KINDS + 1], total = 0, leaves = 1;
	uint32_t order[ZK_ST_KINDS], n = 0, depth = 0;

	if ((arity != 2 && arity != 4) || count[ZK_SLOT_HEADER] == 0 ||
	    count[ZK_SLOT_ORDER] == 0 || count[ZK_SLOT_LEVEL] == 0) {
		errno = EINVAL;
		return -1;
	}
	memset(lay, 0, sizeof(*lay));
	lay->market = market;
	lay->arity = arity;
	for (uint32_t k = 1; k <= ZK_ST_KINDS; k++) {
		lay->count[k] = count[k];
		size[k] = count[k] ? pow2_ceil(count[k]) : 0;
		order[n++] = k;
	}
	/* Largest region first keeps every region aligned to its own size. */
	for (uint32_t i = 1; i < n; i++)
		for (uint32_t j = i; j > 0 && size[order[j]] > size[order[j - 1]];
		     j--) {
			uint32_t tmp = order[j];

			order[j] = order[j - 1];
			order[j - 1] = tmp;
		}
	for (uint32_t i = 0; i < n; i++) {
		lay->offset[order[i]] = total;
		total += size[order[i]];
	}
	while (leaves < total) {
		leaves <<= log2_arity(arity);
		depth++;
	}
	if (depth > ZK_ST_MAX_DEPTH) {
		errno = EINVAL;
		return -1;
	}
	lay->depth = depth;
	return 0;
}

int
zk_st_layout_for_engine(struct zk_st_layout *lay, const struct zk_engine *e,
			uint32_t market, uint32_t arity)
{
	uint32_t count[ZK_ST_KINDS + 1] = { 0 };

	for (uint32_t k = 1; k <= ZK_ST_KINDS; k++)
		count[k] = zk_engine_slot_count(e, market,
						(enum zk_slot_kind)k);
	return zk_st_layout_init(lay, market, arity, count);
}

int
zk_st_leaf_index(const struct zk_st_layout *lay, uint32_t kind, uint32_t slot,
		 uint64_t *index)
{
	if (kind < 1 || kind > ZK_ST_KINDS || slot >= lay->count[kind])
		return -1;
	*index = lay->offset[kind] + slot;
	return 0;
}

static size_t
slot_size(uint32_t kind)
{
	switch (kind) {
	case ZK_SLOT_HEADER:
		return sizeof(struct zk_book_header);
	case ZK_SLOT_ORDER:
		return sizeof(struct zk_order_slot);
	case ZK_SLOT_LEVEL:
		return sizeof(struct zk_level_slot);
	default:
		return sizeof(struct zk_bucket_slot);
	}
}

static void
pristine(const struct zk_st_layout *lay, uint32_t kind, uint32_t slot,
	 union zk_slot_value *v)
{
	uint32_t next = slot + 1 < lay->count[kind] ? slot + 1 : ZK_SLOT_NIL;

	memset(v, 0, sizeof(*v));
	switch (kind) {
	case ZK_SLOT_HEADER:
		v->header.best_bid = ZK_SLOT_NIL;
		v->header.best_ask = ZK_SLOT_NIL;
		break;
	case ZK_SLOT_ORDER:
		v->order.prev = ZK_SLOT_NIL;
		v->order.next = next;
		v->order.level = ZK_SLOT_NIL;
		break;
	case ZK_SLOT_LEVEL:
		v->level.head = ZK_SLOT_NIL;
		v->level.tail = ZK_SLOT_NIL;
		v->level.better = ZK_SLOT_NIL;
		v->level.worse = next;
		break;
	default:
		v->bucket.order = ZK_SLOT_NIL;
		break;
	}
}

bool
zk_st_is_pristine(const struct zk_st_layout *lay, uint32_t kind,
		  uint32_t slot, const union zk_slot_value *v)
{
	union zk_slot_value p;

	if (kind < 1 || kind > ZK_ST_KINDS || slot >= lay->count[kind])
		return false;
	pristine(lay, kind, slot, &p);
	return memcmp(&p, v, sizeof(p)) == 0;
}

static int
all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

/* u64 fields as two limbs, low first: each limb < 2^32 < p. */
static size_t
put64(zk_gl *out, size_t at, uint64_t x)
{
	out[at] = (uint32_t)x;
	out[at + 1] = x >> 32;
	return at + 2;
}

int
zk_st_encode(const struct zk_st_layout *lay, uint32_t kind, uint32_t slot,
	     const union zk_slot_value *v, zk_gl out[ZK_ST_LEAF_ELEMS])
{
	size_t at = 3, size;

	if (kind < 1 || kind > ZK_ST_KINDS || slot >= lay->count[kind])
		return -1;
	size = slot_size(kind);
	if (!all_zero(v->raw + size, sizeof(v->raw) - size))
		return -1;
	memset(out, 0, ZK_ST_LEAF_ELEMS * sizeof(zk_gl));
	out[0] = kind;
	out[1] = lay->market;
	out[2] = slot;
	switch (kind) {
	case ZK_SLOT_HEADER: {
		const struct zk_book_header *h = &v->header;

		if (!all_zero((const uint8_t *)h->zero, sizeof(h->zero)))
			return -1;
		out[at++] = h->best_bid;
		out[at++] = h->best_ask;
		out[at++] = h->order_free;
		out[at++] = h->level_free;
		out[at++] = h->n_orders;
		out[at++] = h->n_levels;
		break;
	}
	case ZK_SLOT_ORDER: {
		const struct zk_order_slot *o = &v->order;

		if (!all_zero(o->zero, sizeof(o->zero)))
			return -1;
		at = put64(out, at, o->id);
		at = put64(out, at, o->account);
		at = put64(out, at, (uint64_t)o->price);
		at = put64(out, at, o->remaining);
		out[at++] = o->prev;
		out[at++] = o->next;
		out[at++] = o->level;
		out[at++] = o->stp_group;
		out[at++] = o->side;
		break;
	}
	case ZK_SLOT_LEVEL: {
		const struct zk_level_slot *l = &v->level;

		if (!all_zero(l->zero, sizeof(l->zero)))
			return -1;
		at = put64(out, at, (uint64_t)l->price);
		at = put64(out, at, l->total);
		out[at++] = l->head;
		out[at++] = l->tail;
		out[at++] = l->better;
		out[at++] = l->worse;
		out[at++] = l->side;
		break;
	}
	default: {
		const struct zk_bucket_slot *b = &v->bucket;

		if (b->zero != 0)
			return -1;
		at = put64(out, at, b->id);
		out[at++] = b->order;
		break;
	}
	}
	return 0;
}

int
zk_st_leaf_hash(const struct zk_st_layout *lay, uint32_t kind, uint32_t slot,
		const union zk_slot_value *v, zk_gl out[D])
{
	zk_gl enc[ZK_ST_LEAF_ELEMS];

	if (zk_st_encode(lay, kind, slot, v, enc) != 0)
		return -1;
	if (zk_st_is_pristine(lay, kind, slot, v)) {
		memset(out, 0, D * sizeof(zk_gl));
		return 0;
	}
	zk_p2_hash(enc, ZK_ST_LEAF_ELEMS, out);
	return 0;
}

void
zk_st_node_hash(uint32_t arity, const zk_gl children[][D], zk_gl out[D])
{
	zk_gl s[ZK_P2_WIDTH12] = { 0 };

	if (arity == 2) {
		zk_p2_compress_w8(children[0], children[1], out);
		return;
	}
	/* Four digests do not fit one width-12 state: absorb two per
	 * permutation, with lane 10 = 4 as the domain tag. */
	memcpy(s, children[0], sizeof(zk_gl) * D);
	memcpy(s + D, children[1], sizeof(zk_gl) * D);
	s[10] = 4;
	zk_poseidon2_w12(s);
	for (unsigned i = 0; i < D; i++) {
		s[i] = zk_gl_add(s[i], children[2][i]);
		s[D + i] = zk_gl_add(s[D + i], children[3][i]);
	}
	zk_poseidon2_w12(s);
	memcpy(out, s, sizeof(zk_gl) * D);
}

/* Batches of four while at least three are due: a padded batch of three
 * still beats three one-state permutations on the AVX2 path. */
static size_t
batch_lanes(size_t left)
{
	return left >= ZK_P2_LANES ? ZK_P2_LANES : left >= 3 ? left : 0;
}

void
zk_st_node_hash_many(uint32_t arity,
		     const zk_gl (*children)[ZK_ST_MAX_ARITY][D],
		     zk_gl (*out)[D], size_t n)
{
	size_t i = 0, m;

	while ((m = batch_lanes(n - i)) > 0) {
		zk_gl s[ZK_P2_LANES][ZK_P2_WIDTH12];
		zk_gl l[ZK_P2_LANES][D], r[ZK_P2_LANES][D], o[ZK_P2_LANES][D];

		for (size_t k = 0; k < ZK_P2_LANES; k++) {
			/* a missing lane repeats the first node */
			const zk_gl *ch = &children[k < m ? i + k : i][0][0];

			for (unsigned e = 0; e < ZK_P2_WIDTH12; e++)
				s[k][e] = e < 2 * D ? ch[e] : 0;
			s[k][10] = 4;
			for (unsigned e = 0; e < D; e++) {
				l[k][e] = s[k][e];
				r[k][e] = s[k][D + e];
			}
		}
		if (arity == 2) {
			zk_p2_compress_w8_x4((const zk_gl(*)[D])l,
					     (const zk_gl(*)[D])r, o);
			for (size_t k = 0; k < m; k++)
				memcpy(out[i + k], o[k], sizeof(o[k]));
		} else {
			/* as zk_st_node_hash: children 2 and 3 go in second */
			zk_poseidon2_w12_x4(s);
			for (size_t k = 0; k < ZK_P2_LANES; k++) {
				const zk_gl (*ch)[D] = children[k < m ? i + k : i];

				for (unsigned e = 0; e < D; e++) {
					s[k][e] = zk_gl_add(s[k][e], ch[2][e]);
					s[k][D + e] = zk_gl_add(s[k][D + e],
								ch[3][e]);
				}
			}
			zk_poseidon2_w12_x4(s);
			for (size_t k = 0; k < m; k++)
				memcpy(out[i + k], s[k], sizeof(zk_gl) * D);
		}
		i += m;
	}
	for (; i < n; i++)
		zk_st_node_hash(arity, children[i], out[i]);
}

void
zk_st_leaf_hash_many(const zk_gl (*enc)[ZK_ST_LEAF_ELEMS], zk_gl (*out)[D],
		     size_t n)
{
	size_t i = 0, m;

	while ((m = batch_lanes(n - i)) > 0) {
		const zk_gl *in[ZK_P2_LANES];
		zk_gl o[ZK_P2_LANES][D];

		for (size_t k = 0; k < ZK_P2_LANES; k++)
			in[k] = enc[k < m ? i + k : i];
		zk_p2_hash_x4(in, ZK_ST_LEAF_ELEMS, o);
		for (size_t k = 0; k < m; k++)
			memcpy(out[i + k], o[k], sizeof(o[k]));
		i += m;
	}
	for (; i < n; i++)
		zk_p2_hash(enc[i], ZK_ST_LEAF_ELEMS, out[i]);
}

void
zk_st_empty_hash(uint32_t arity, uint32_t level, zk_gl out[D])
{
	zk_gl ch[ZK_ST_MAX_ARITY][D];

	memset(out, 0, sizeof(zk_gl) * D);
	for (uint32_t l = 0; l < level; l++) {
		for (uint32_t j = 0; j < arity; j++)
			memcpy(ch[j], out, sizeof(ch[j]));
		zk_st_node_hash(arity, (const zk_gl(*)[D])ch, out);
	}
}

void
zk_st_root_to_bytes(const zk_gl root[D], uint8_t out[ZK_ST_ROOT_SIZE])
{
	struct zk_digest d;

	zk_digest_from_gl(&d, root);
	memcpy(out, d.bytes, ZK_ST_ROOT_SIZE);
}

int
zk_st_root_from_bytes(const uint8_t in[ZK_ST_ROOT_SIZE], zk_gl root[D])
{
	struct zk_digest d;

	memcpy(d.bytes, in, ZK_ST_ROOT_SIZE);
	return zk_digest_to_gl(&d, root);
}

static bool
digest_eq(const zk_gl a[D], const zk_gl b[D])
{
	return memcmp(a, b, sizeof(zk_gl) * D) == 0;
}

int
zk_st_proof_verify(const struct zk_st_layout *lay, const struct zk_st_proof *p,
		   const union zk_slot_value *v,
		   const uint8_t root[ZK_ST_ROOT_SIZE])
{
	zk_gl cur[D], want[D], ch[ZK_ST_MAX_ARITY][D];
	uint64_t index;

	if (p->market != lay->market || p->arity != lay->arity ||
	    p->depth != lay->depth ||
	    zk_st_leaf_index(lay, p->kind, p->slot, &index) != 0 ||
	    index != p->index ||
	    zk_st_leaf_hash(lay, p->kind, p->slot, v, cur) != 0 ||
	    zk_st_root_from_bytes(root, want) != 0)
		return -1;
	for (uint32_t l = 0; l < lay->depth; l++) {
		uint32_t pos = (uint32_t)(index % lay->arity), s = 0;

		for (uint32_t j = 0; j < lay->arity; j++) {
			const zk_gl *src = j == pos ? cur : p->sib[l][s++];

			for (unsigned i = 0; i < D; i++) {
				if (!zk_gl_is_canonical(src[i]))
					return -1;
				ch[j][i] = src[i];
			}
		}
		zk_st_node_hash(lay->arity, (const zk_gl(*)[D])ch, cur);
		index /= lay->arity;
	}
	return digest_eq(cur, want) ? 0 : -1;
}

static int
fail(const char **why, const char *reason)
{
	if (why != NULL)
		*why = reason;
	return -1;
}

/* Structure of one node entry: order, range, children. */
static const char *
check_node(const struct zk_st_layout *lay, const struct zk_st_update *u,
	   size_t i, uint8_t *refs)
{
	const struct zk_st_node_rec *n = &u->nodes[i];
	unsigned bits = log2_arity(lay->arity);
	zk_gl old_ch[ZK_ST_MAX_ARITY][D], new_ch[ZK_ST_MAX_ARITY][D];
	zk_gl h[D];
	int any_touched = 0;

	if (n->level > lay->depth ||
	    n->index >= (1ull << (bits * (lay->depth - n->level))))
		return "node position outside the tree";
	if (i > 0 && (n->level < u->nodes[i - 1].level ||
		      (n->level == u->nodes[i - 1].level &&
		       n->index <= u->nodes[i - 1].index)))
		return "nodes not bottom-up, left to right";
	for (unsigned k = 0; k < D; k++)
		if (!zk_gl_is_canonical(n->old_hash[k]) ||
		    !zk_gl_is_canonical(n->new_hash[k]))
			return "non-canonical hash";
	if (n->touched > 1)
		return "bad touched flag";
	if (!n->touched || n->level == 0) {
		for (unsigned j = 0; j < ZK_ST_MAX_ARITY; j++)
			if (n->child[j] != ZK_ST_NONE)
				return "leaf or sibling with children";
		if (!n->touched && !digest_eq(n->old_hash, n->new_hash))
			return "sibling whose hash changes";
		return NULL;
	}
	for (unsigned j = 0; j < ZK_ST_MAX_ARITY; j++) {
		uint32_t c = n->child[j];
		const struct zk_st_node_rec *cn;

		if (j >= lay->arity) {
			if (c != ZK_ST_NONE)
				return "child beyond the arity";
			continue;
		}
		if (c >= i)
			return "child entry not below its parent";
		cn = &u->nodes[c];
		if (cn->level + 1 != n->level ||
		    cn->index != n->index * lay->arity + j)
			return "child at the wrong position";
		if (refs[c]++ != 0)
			return "child entry shared";
		any_touched |= (int)cn->touched;
		memcpy(old_ch[j], cn->old_hash, sizeof(old_ch[j]));
		memcpy(new_ch[j], cn->new_hash, sizeof(new_ch[j]));
	}
	if (!any_touched)
		return "touched node without a touched child";
	zk_st_node_hash(lay->arity, (const zk_gl(*)[D])old_ch, h);
	if (!digest_eq(h, n->old_hash))
		return "old node hash does not match its children";
	zk_st_node_hash(lay->arity, (const zk_gl(*)[D])new_ch, h);
	if (!digest_eq(h, n->new_hash))
		return "new node hash does not match its children";
	return NULL;
}

static const char *
check_leaf(const struct zk_st_layout *lay, const struct zk_st_update *u,
	   size_t i, uint8_t *leaf_refs)
{
	const struct zk_st_leaf_rec *lf = &u->leaves[i];
	const struct zk_st_node_rec *n;
	uint64_t index;
	zk_gl h[D];

	if (zk_st_leaf_index(lay, lf->kind, lf->slot, &index) != 0 ||
	    index != lf->index)
		return "leaf position does not match its slot";
	if (i > 0 && lf->index <= u->leaves[i - 1].index)
		return "leaves not in position order";
	if (lf->node >= u->n_nodes)
		return "leaf names no node entry";
	n = &u->nodes[lf->node];
	if (n->level != 0 || n->index != lf->index || !n->touched)
		return "leaf names the wrong node entry";
	leaf_refs[lf->node]++;
	if (lf->written > 1 ||
	    (!lf->written && memcmp(&lf->before, &lf->after,
				    sizeof(lf->before)) != 0))
		return "read-only leaf changed";
	if (zk_st_leaf_hash(lay, lf->kind, lf->slot, &lf->before, h) != 0 ||
	    !digest_eq(h, n->old_hash))
		return "old leaf value does not match its hash";
	if (zk_st_leaf_hash(lay, lf->kind, lf->slot, &lf->after, h) != 0 ||
	    !digest_eq(h, n->new_hash))
		return "new leaf value does not match its hash";
	return NULL;
}

int
zk_st_update_verify(const struct zk_st_layout *lay,
		    const struct zk_st_update *u, const char **why)
{
	const struct zk_st_node_rec *root;
	zk_gl old_root[D], new_root[D];
	uint8_t *refs;
	const char *err = NULL;

	if ((lay->arity != 2 && lay->arity != 4) ||
	    lay->depth > ZK_ST_MAX_DEPTH)
		return fail(why, "bad layout");
	if (zk_st_root_from_bytes(u->old_root, old_root) != 0 ||
	    zk_st_root_from_bytes(u->new_root, new_root) != 0)
		return fail(why, "non-canonical root");
	if (u->n_nodes == 0) {
		if (u->n_leaves != 0 || !digest_eq(old_root, new_root))
			return fail(why, "empty record that changes the root");
		return 0;
	}
	/* refs[i]: parents naming entry i; refs[n + i]: leaves naming it. */
	refs = calloc(2 * u->n_nodes, 1);
	if (refs == NULL)
		return fail(why, "out of memory");
	for (size_t i = 0; i < u->n_nodes && err == NULL; i++)
		err = check_node(lay, u, i, refs);
	for (size_t i = 0; i < u->n_leaves && err == NULL; i++)
		err = check_leaf(lay, u, i, refs + u->n_nodes);
	for (size_t i = 0; i + 1 < u->n_nodes && err == NULL; i++) {
		if (refs[i] != 1)
			err = "entry outside the touched paths";
		else if (u->nodes[i].level == 0 &&
			 refs[u->n_nodes + i] != u->nodes[i].touched)
			err = "touched leaf entry without its slot";
	}
	free(refs);
	if (err != NULL)
		return fail(why, err);
	root = &u->nodes[u->n_nodes - 1];
	if (root->level != lay->depth || root->index != 0 || !root->touched ||
	    (lay->depth == 0 && u->n_leaves != 1))
		return fail(why, "last entry is not the root");
	if (!digest_eq(root->old_hash, old_root))
		return fail(why, "old_root differs from the recomputed root");
	if (!digest_eq(root->new_hash, new_root))
		return fail(why, "new_root differs from the recomputed root");
	return 0;
}

void
zk_st_update_free(struct zk_st_update *u)
{
	free(u->leaves);
	free(u->nodes);
	memset(u, 0, sizeof(*u));
}
