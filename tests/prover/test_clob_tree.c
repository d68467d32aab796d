/* SPDX-License-Identifier: MIT */
/*
 * CLOB AIR state-tree rows (docs/proof.md §3 "Tree", §4): an untouched
 * child has no row of its own, its parent's node rows carry its digest
 * from old to new; only touched children come from the tree bus. Each
 * cheat on that folding is refused by the constraint debugger and gives
 * no proof that verifies.
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
	}
}

static void test_tree_honest(void **state)
{
	size_t seen[3] = { 0 };

	(void)state;
	tree_case(count_rows, seen, 1);
	/* no sibling rows; some node has an untouched child */
	assert_int_equal(seen[0], 0);
	assert_true(seen[1] > 0);
	assert_true(seen[2] < 4 * seen[1]);
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

int main(int argc, char **argv)
{
	const struct CMUnitTest all[] = {
		cmocka_unit_test(test_tree_honest),
		cmocka_unit_test(test_tree_untouched),
		cmocka_unit_test(test_tree_touched),
		cmocka_unit_test(test_tree_flag),
		cmocka_unit_test(test_tree_dropped),
		cmocka_unit_test(test_tree_root),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(all, NULL, NULL);
}
