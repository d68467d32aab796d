/* SPDX-License-Identifier: MIT */
/*
 * Aux constraints of the k-value range AIR (LogUp helpers, running sum,
 * first row), written once over main values of either field
 * (air_template.h): the _ext instance is eval_aux (the verifier at the
 * out-of-domain point), the _base instance eval_aux_base (the prover,
 * reading its base-field main rows in place). The aux cells and α are in
 * F_p3 in both. No include guard.
 */

static void ZKT_FN(range_k_eval_aux)(const void *ctx, const ZKT *main_cur,
				     const ZKT *main_nxt, const zk_ext *aux_cur,
				     const zk_ext *aux_nxt, const ZKT *periodic,
				     const zk_ext *rand, zk_ext *out)
{
	const struct zk_air_range_k *r = ctx;
	const struct zk_logup_alpha *a = zk_logup_alpha_cached(rand[0], r->group);
	unsigned k = r->n_values, n_groups = r->n_groups;
	zk_ext alpha = rand[0], sum_nxt = zk_ext_zero(), step;

	(void)periodic;
	for (unsigned j = 0; j < n_groups; j++) {
#if ZKT_EXT
		out[j] = zk_logup_group(a, aux_nxt[1 + j], main_nxt + j * r->group,
					group_len(r, j));
#else
		out[j] = zk_logup_group_gl(a, aux_nxt[1 + j],
					   main_nxt + j * r->group,
					   group_len(r, j));
#endif
		sum_nxt = zk_ext_add(sum_nxt, aux_nxt[1 + j]);
	}
	step = zk_ext_sub(zk_ext_sub(aux_nxt[0], aux_cur[0]), sum_nxt);
	out[n_groups] = zk_ext_add(
		zk_ext_mul(step, zk_ext_sub(alpha,
				ZKT_LIFT(main_nxt[ZK_RANGEK_COL_TABLE(k)]))),
		ZKT_LIFT(main_nxt[ZK_RANGEK_COL_MULT(k)]));
	out[n_groups + 1] = mul_maybe_base(
		ZKT_LIFT(main_cur[ZK_RANGEK_COL_FIRST(k)]),
		zk_ext_add(zk_ext_mul(aux_cur[0], alpha),
			   ZKT_LIFT(main_cur[ZK_RANGEK_COL_MULT(k)])));
}
