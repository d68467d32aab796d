/* SPDX-License-Identifier: MIT */
/*
 * air_template.h's names bound to four base-field lanes (zk_gl4,
 * field_x4.h), so that an AIR's constraint body, written once, also gives
 * its eval_main_x4: include this header, then the body, in a translation
 * unit compiled for AVX2 (the body's functions take and return __m256i),
 * and call that code only after __builtin_cpu_supports("avx2").
 *
 * Spec
 *  - Same names and meaning as air_template.h; ZKT_FN(name) gives
 *    name_x4. Every operation equals the base field's bit for bit per
 *    lane (field_x4.h), so ZKT_FN(body) on lanes r = 0..3 gives exactly
 *    what the base instantiation gives on row r.
 *  - A body stays valid only while it treats elements as values: no
 *    comparison or branch on an element. The extension-field
 *    instantiation (zk_ext is a struct) already refuses to compile any.
 *  - No include guard, like air_template.h: it rebinds the names.
 */
#include "field_x4.h"

#undef ZKT
#undef ZKT_FN
#undef ZKT_ADD
#undef ZKT_SUB
#undef ZKT_MUL
#undef ZKT_SQR
#undef ZKT_NEG
#undef ZKT_DOUBLE
#undef ZKT_CONST
#undef ZKT_ADD_CONST
#undef ZKT_MUL_CONST
#undef ZKT_ZERO

#define ZKT zk_gl4
#define ZKT_FN(name) name##_x4
#define ZKT_ADD(a, b) zk_gl4_add((a), (b))
#define ZKT_SUB(a, b) zk_gl4_sub((a), (b))
#define ZKT_MUL(a, b) zk_gl4_mul((a), (b))
#define ZKT_SQR(a) zk_gl4_sqr(a)
#define ZKT_NEG(a) zk_gl4_neg(a)
#define ZKT_DOUBLE(a) zk_gl4_double(a)
#define ZKT_CONST(c) zk_gl4_set1((zk_gl)(c))
#define ZKT_ADD_CONST(a, c) zk_gl4_add((a), zk_gl4_set1((zk_gl)(c)))
#define ZKT_MUL_CONST(a, c) zk_gl4_mul_const((a), (zk_gl)(c))
#define ZKT_ZERO zk_gl4_zero()
