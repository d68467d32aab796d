/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR state-tree rows (docs/proof.md §3 "Tree rows", §4): an
 * untouched child has no row of its own, its parent's node rows carry its
 * digest from old to new; only touched children come from the tree bus; a
 * slot or node the batch left unchanged is one row (UL, UN). Each cheat on
 * that folding is refused by the constraint debugger and gives no proof
 * that verifies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clob_test_prove.h"

/* A book of 20 ops, then the 24-op batch the cases prove and tamper. */
static void tree_case(tamper_fn fn, void *arg, int expect_ok)
{
	struct clob_rig r;
	struct zk_batch *warm, *b;
	struct zk_st_update u = { 0 };
	struct custom cu;

	assert_int_equal(clob_rig_init(&r, 1000), 0);
	warm = book_batch(&r, 0, 20);
	assert_int_equal(zk_st_apply_witness(r.t, &warm->witness, &u), 0);
	zk_st_update_free(&u);
	b = book_batch(&r, 20, 24);
	assert_true(b->witness.len > 0);
	prove_custom(&r, b, 0, b->ops, b->n_ops, b->events.ev, b->events.len,
		     fn, arg, &cu);
	if (expect_ok) {
		if (cu.debug_rc != 0)
			fail_msg("debug check: %s", cu.debug_err);
		assert_int_equal(verify(&cu.st, b->ops, b->n_ops, b->events.ev,
					b->events.len, cu.proof, cu.len),
				 0);
	} else {
		print_message("debugger: %s\n", cu.debug_err);
		assert_int_equal(cu.debug_rc, ZK_STARK_ETRACE);
		assert_int_not_equal(verify(&cu.st, b->ops, b->n_ops,
					    b->events.ev, b->events.len,
					    cu.proof, cu.len),
				     0);
	}
	free(cu.proof);
	zk_batch_free(warm);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

static int child_changed(zk_gl **cols, size_t r, unsigned j)
{
	for (unsigned i = 0; i < ZK_ST_DIGEST_ELEMS; i++)
		if (cols[C_MSG + 4 * j + i][r] != cols[C_MSG + 4 * j + i][r + 1])
			return 1;
	return 0;
}

/*
 * The first node A row with a child whose touched flag is `touched` and
 * (touched children only) whose digest changes iff `changed`; its child
 * index in *j.
 */
static size_t find_child(zk_gl **cols, size_t n, int touched, int changed,
			 unsigned *j)
{
	for (size_t r = 0; r + 1 < n; r++) {
		if (cols[C_SNODE][r] != 1 || cols[C_SNB][r + 1] != 1)
			continue;
		for (*j = 0; *j < 4; (*j)++) {
			if (cols[C_TCH + *j][r] != (zk_gl)touched)
				continue;
			if (touched && child_changed(cols, r, *j) != changed)
				continue;
			return r;
		}
	}
	fail_msg("no node row with a child touched=%d changed=%d", touched,
		 changed);
	return 0;
}

/* The B row's copy of child j := the A row's, its hash recomputed. */
static void keep_child(zk_gl **cols, size_t r, unsigned j)
{
	for (unsigned i = 0; i < ZK_ST_DIGEST_ELEMS; i++)
		cols[C_MSG + 4 * j + i][r + 1] = cols[C_MSG + 4 * j + i][r];
	zk_clob_fill_hash(cols, r + 1);
}

static void count_rows(zk_gl **cols, size_t n, void *arg)
{
	size_t *seen = arg;

	for (size_t r = 0; r < n; r++) {
		seen[0] += cols[C_SSIB][r] == 1;
		seen[1] += cols[C_SNODE][r] == 1;
		for (unsigned j = 0; j < 4; j++)
			seen[2] += cols[C_TCH + j][r] == 1;
		seen[3] += cols[C_UL][r] == 1;
		seen[4] += cols[C_SLB][r] == 1;
		seen[5] += cols[C_UN][r] == 1;
		seen[6] += cols[C_SNB][r] == 1;
	}
}

static void test_tree_honest(void **state)
{
	size_t seen[7] = { 0 };

	(void)state;
	tree_case(count_rows, seen, 1);
	/* no sibling rows; some node has an untouched child */
	assert_int_equal(seen[0], 0);
	assert_true(seen[1] > 0);
	assert_true(seen[2] < 4 * seen[1]);
	/* read-only slots and nodes are one row, changed ones two */
	assert_true(seen[3] > 0 && seen[4] > 0);
	assert_true(seen[5] > 0 && seen[6] > 0);
	assert_int_equal(seen[5] + seen[6], seen[1]);
}

/* An untouched child whose digest differs between old and new. */
static void untouched_changed(zk_gl **cols, size_t n, void *arg)
{
	unsigned j;
	size_t r = find_child(cols, n, 0, 0, &j);

	(void)arg;
	cols[C_MSG + 4 * j][r + 1] = zk_gl_add(cols[C_MSG + 4 * j][r + 1], 1);
	zk_clob_fill_hash(cols, r + 1);
}

static void test_tree_untouched(void **state)
{
	(void)state;
	tree_case(untouched_changed, NULL, 0);
}

/* A changed child claimed untouched: its new digest is not its row's. */
static void touched_as_untouched(zk_gl **cols, size_t n, void *arg)
{
	unsigned j;
	size_t r = find_child(cols, n, 1, *(int *)arg, &j);

	cols[C_TCH + j][r] = 0;
	keep_child(cols, r, j);
}

static void test_tree_touched(void **state)
{
	int changed = 1;

	(void)state;
	tree_case(touched_as_untouched, &changed, 0);
	/* a read-only child: old == new holds, only the bus refuses */
	changed = 0;
	tree_case(touched_as_untouched, &changed, 0);
}

/* Flags: an untouched child consumed, a flag that is not a bit. */
static void flag_set(zk_gl **cols, size_t n, void *arg)
{
	unsigned j;
	size_t r = find_child(cols, n, 0, 0, &j);

	cols[C_TCH + j][r] = *(zk_gl *)arg;
}

/* A touched flag on a row that is no node A row. */
static void flag_off_node(zk_gl **cols, size_t n, void *arg)
{
	unsigned j;
	size_t r = find_child(cols, n, 1, 1, &j);

	(void)arg;
	cols[C_TCH + j][r + 1] = 1;
}

static void test_tree_flag(void **state)
{
	zk_gl v = 1;

	(void)state;
	tree_case(flag_set, &v, 0);
	v = 2;
	tree_case(flag_set, &v, 0);
	tree_case(flag_off_node, NULL, 0);
}

/*
 * A touched leaf dropped: its rows become padding and its parent keeps
 * the old digest, so new_root hides the batch's writes to it.
 */
static void drop_leaf(zk_gl **cols, size_t n, size_t r, unsigned j)
{
	uint64_t leaf = 4 * cols[C_INDEX][r] + j;
	size_t lr;

	for (lr = 0; lr < n; lr++)
		if (cols[C_SLEAF][lr] == 1 && cols[C_INDEX][lr] == leaf)
			break;
	assert_true(lr + 1 < n);
	for (size_t x = lr; x < lr + 2; x++) {
		cols[C_SLEAF][x] = cols[C_SLB][x] = cols[C_CAPL][x] = 0;
		cols[C_PRIST][x] = 0;
	}
	cols[C_TCH + j][r] = 0;
	keep_child(cols, r, j);
}

/* The first level-1 node row with a changed touched child: its leaf. */
static void find_level1(zk_gl **cols, size_t n, void *arg)
{
	(void)arg;
	for (size_t r = 0; r + 1 < n; r++)
		if (cols[C_SNODE][r] == 1 && cols[C_LEVEL][r] == 1)
			for (unsigned j = 0; j < 4; j++)
				if (cols[C_TCH + j][r] == 1 &&
				    child_changed(cols, r, j)) {
					drop_leaf(cols, n, r, j);
					return;
				}
	fail_msg("no level-1 node with a changed leaf");
}

static void test_tree_dropped(void **state)
{
	(void)state;
	tree_case(find_level1, NULL, 0);
}

/* The root row of a batch without accesses stands at another level. */
static void root_level(zk_gl **cols, size_t n, void *arg)
{
	(void)arg;
	for (size_t r = 0; r < n; r++)
		if (cols[C_SSIB][r] == 1) {
			cols[C_LEVEL][r] = zk_gl_sub(cols[C_LEVEL][r], 1);
			return;
		}
	fail_msg("no root row");
}

static void test_tree_root(void **state)
{
	struct clob_rig r;
	struct zk_batch *b;
	struct custom cu;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	b = malformed_batch(&r, 6);
	prove_custom(&r, b, 0, b->ops, b->n_ops, b->events.ev, b->events.len,
		     root_level, NULL, &cu);
	print_message("debugger: %s\n", cu.debug_err);
	assert_int_equal(cu.debug_rc, ZK_STARK_ETRACE);
	assert_int_not_equal(verify(&cu.st, b->ops, b->n_ops, b->events.ev,
				    b->events.len, cu.proof, cu.len),
			     0);
	free(cu.proof);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

/*
 * A cheating record: the first changed slot claimed unchanged (its new
 * value := its old), every node above recomputed, so old_root and the
 * cheat's new_root are consistent Merkle roots and the trace has one
 * unchanged leaf row for it; only the memory argument (the last write's
 * value against the leaf's final tuple) can refuse it.
 */
static void hide_write(struct zk_st_update *u)
{
	size_t li;

	for (li = 0; li < u->n_leaves; li++)
		if (memcmp(&u->leaves[li].before, &u->leaves[li].after,
			   sizeof(u->leaves[li].before)) != 0)
			break;
	assert_true(li < u->n_leaves);
	u->leaves[li].after = u->leaves[li].before;
	memcpy(u->nodes[u->leaves[li].node].new_hash,
	       u->nodes[u->leaves[li].node].old_hash, sizeof(zk_gl) * 4);
	for (size_t i = 0; i < u->n_nodes; i++) {
		struct zk_st_node_rec *nd = &u->nodes[i];
		zk_gl ch[4][ZK_ST_DIGEST_ELEMS];

		if (!nd->touched || nd->level == 0)
			continue;
		for (unsigned j = 0; j < 4; j++)
			memcpy(ch[j], u->nodes[nd->child[j]].new_hash,
			       sizeof(ch[j]));
		zk_st_node_hash(4, (const zk_gl(*)[ZK_ST_DIGEST_ELEMS])ch,
				nd->new_hash);
	}
	zk_st_root_to_bytes(u->nodes[u->n_nodes - 1].new_hash, u->new_root);
}

static void test_tree_hidden_write(void **state)
{
	struct clob_rig r;
	struct zk_batch *warm, *b;
	struct zk_st_update u = { 0 };
	struct zk_statement st;
	struct zk_clob_air air;
	struct zk_prove_opts po = { .threads = 1 };
	char err[ERRLEN], dbg[ERRLEN];
	uint8_t *proof = NULL;
	size_t len = 0;
	zk_gl **cols;
	unsigned log_n;

	(void)state;
	assert_int_equal(clob_rig_init(&r, 1000), 0);
	warm = book_batch(&r, 0, 20);
	assert_int_equal(zk_st_apply_witness(r.t, &warm->witness, &u), 0);
	b = book_batch(&r, 20, 24);
	assert_int_equal(zk_st_apply_witness(r.t, &b->witness, &u), 0);
	hide_write(&u);
	st = (struct zk_statement){ .market = clob_test_market.market,
				    .params_id = ZK_CLOB_PARAMS_ID(FAST),
				    .batch_seq = b->batch_seq };
	memcpy(st.old_root, u.old_root, 32);
	memcpy(st.new_root, u.new_root, 32);
	restate(&st, b->ops, b->n_ops, b->events.ev, b->events.len);
	assert_int_equal(zk_clob_air_init(&air, zk_st_layout_get(r.t),
					  &clob_test_market, &st, b->ops,
					  b->n_ops, b->events.ev, b->events.len,
					  0, err, sizeof(err)),
			 0);
	assert_int_equal(zk_clob_trace_build(&air, b, &u, 1, &cols, &log_n,
					     err, sizeof(err)),
			 0);
	assert_int_equal(zk_stark_debug_check(&air.air,
					      (const zk_gl *const *)cols,
					      log_n, 42, dbg, sizeof(dbg)),
			 ZK_STARK_ETRACE);
	print_message("debugger: %s\n", dbg);
	if (zk_stark_prove(&air.air, zk_stark_params_by_id(FAST),
			   (const zk_gl *const *)cols, log_n, &po, &proof,
			   &len, err, sizeof(err)) != 0)
		proof = NULL;
	assert_int_not_equal(verify(&st, b->ops, b->n_ops, b->events.ev,
				    b->events.len, proof, len),
			     0);
	free(proof);
	zk_clob_trace_free(cols);
	zk_st_update_free(&u);
	zk_batch_free(warm);
	zk_batch_free(b);
	clob_rig_fini(&r);
}

/* The first row with selector sel and flag col == want whose next row
 * is (next_b = 1) or is not a B row. */
static size_t find_item(zk_gl **cols, size_t n, unsigned sel, unsigned flag,
			unsigned b_sel, int next_b)
{
	for (size_t r = 0; r + 1 < n; r++)
		if (cols[sel][r] == 1 && cols[flag][r] == (zk_gl)!next_b &&
		    cols[b_sel][r + 1] == (zk_gl)next_b)
			return r;
	fail_msg("no such row");
	return 0;
}

struct flip {
	unsigned sel, flag, b_sel;
	int next_b; /* the row has its B row: claim it unchanged */
	int drop_b; /* ... and turn that B row into padding */
};

static void flip_unchanged(zk_gl **cols, size_t n, void *arg)
{
	const struct flip *f = arg;
	size_t r = find_item(cols, n, f->sel, f->flag, f->b_sel, f->next_b);

	cols[f->flag][r] = f->next_b ? 1 : 0;
	if (f->drop_b) {
		cols[f->b_sel][r + 1] = cols[C_CAPL][r + 1] = 0;
		cols[C_PRIST][r + 1] = 0;
	}
}

/* An unchanged flag on a row that is no leaf or node A row. */
static void flag_on_access(zk_gl **cols, size_t n, void *arg)
{
	for (size_t r = 0; r < n; r++)
		if (cols[C_SACC][r] == 1) {
			cols[*(unsigned *)arg][r] = 1;
			return;
		}
	fail_msg("no access row");
}

static void test_tree_unchanged(void **state)
{
	static const struct flip flips[] = {
		/* a changed leaf / node claimed unchanged, B row kept */
		{ C_SLEAF, C_UL, C_SLB, 1, 0 },
		{ C_SNODE, C_UN, C_SNB, 1, 0 },
		/* ... and its B row dropped: new := old on the bus */
		{ C_SLEAF, C_UL, C_SLB, 1, 1 },
		{ C_SNODE, C_UN, C_SNB, 1, 1 },
		/* an unchanged leaf / node claimed changed, no B row */
		{ C_SLEAF, C_UL, C_SLB, 0, 0 },
		{ C_SNODE, C_UN, C_SNB, 0, 0 },
	};
	unsigned col;

	(void)state;
	for (size_t i = 0; i < sizeof(flips) / sizeof(flips[0]); i++)
		tree_case(flip_unchanged, (void *)&flips[i], 0);
	col = C_UL;
	tree_case(flag_on_access, &col, 0);
	col = C_UN;
	tree_case(flag_on_access, &col, 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest all[] = {
		cmocka_unit_test(test_tree_honest),
		cmocka_unit_test(test_tree_untouched),
		cmocka_unit_test(test_tree_touched),
		cmocka_unit_test(test_tree_flag),
		cmocka_unit_test(test_tree_dropped),
		cmocka_unit_test(test_tree_root),
		cmocka_unit_test(test_tree_hidden_write),
		cmocka_unit_test(test_tree_unchanged),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(all, NULL, NULL);
}
