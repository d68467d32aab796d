/* SPDX-License-Identifier: MIT */
/*
 * Field-generic arithmetic for writing an AIR's constraint body once.
 *
 * Spec
 *  - air.h asks every AIR for the same constraints twice: eval_main over
 *    the base field (the prover's hot loop) and eval_main_ext over zk_ext
 *    (the verifier at the out-of-domain point). Writing them twice invites
 *    a prover and a verifier that disagree, so an AIR writes its body in
 *    its own header using only the ZKT_* names below and includes it twice:
 *
 *        #define ZKT_EXT 0
 *        #include "air_template.h"
 *        #include "air_fib_body.h"       // defines ZKT_FN(fib_eval)
 *        #undef ZKT_EXT
 *        #define ZKT_EXT 1
 *        #include "air_template.h"
 *        #include "air_fib_body.h"
 *
 *    giving fib_eval_base() over zk_gl and fib_eval_ext() over zk_ext.
 *  - This header has no include guard on purpose: every inclusion rebinds
 *    the names to the field ZKT_EXT selects. A body header must not have
 *    one either.
 *  - Names: ZKT (the element type), ZKT_FN(name) (name_base / name_ext),
 *    ZKT_ADD/SUB/MUL/SQR/NEG, ZKT_CONST(u64) (a base constant lifted),
 *    ZKT_ADD_CONST(a, c) and ZKT_MUL_CONST(a, c) (c a base constant: in
 *    the extension these cost one base operation per coefficient, not a full
 *    extension product), ZKT_DOUBLE(a), ZKT_ZERO, ZKT_LIFT(a) (a as a
 *    zk_ext: for an aux body, whose aux cells and challenges are zk_ext
 *    in both instances while the main values are ZKT).
 */
#ifndef ZKT_EXT
#error "define ZKT_EXT to 0 (base field) or 1 (extension field) first"
#endif

#include "ext3.h"
#include "field.h"

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
#undef ZKT_LIFT

#if ZKT_EXT

#define ZKT zk_ext
#define ZKT_FN(name) name##_ext
#define ZKT_ADD(a, b) zk_ext_add((a), (b))
#define ZKT_SUB(a, b) zk_ext_sub((a), (b))
#define ZKT_MUL(a, b) zk_ext_mul((a), (b))
#define ZKT_SQR(a) zk_ext_sqr(a)
#define ZKT_NEG(a) zk_ext_neg(a)
#define ZKT_DOUBLE(a) zk_ext_add((a), (a))
#define ZKT_CONST(c) zk_ext_from_base(c)
#define ZKT_ADD_CONST(a, c) zk_ext_add_base((a), (c))
#define ZKT_MUL_CONST(a, c) zk_ext_mul_base((a), (c))
#define ZKT_ZERO zk_ext_zero()
#define ZKT_LIFT(a) (a)

#else

#define ZKT zk_gl
#define ZKT_FN(name) name##_base
#define ZKT_ADD(a, b) zk_gl_add((a), (b))
#define ZKT_SUB(a, b) zk_gl_sub((a), (b))
#define ZKT_MUL(a, b) zk_gl_mul((a), (b))
#define ZKT_SQR(a) zk_gl_sqr(a)
#define ZKT_NEG(a) zk_gl_neg(a)
#define ZKT_DOUBLE(a) zk_gl_add((a), (a))
#define ZKT_CONST(c) ((zk_gl)(c))
#define ZKT_ADD_CONST(a, c) zk_gl_add((a), (c))
#define ZKT_MUL_CONST(a, c) zk_gl_mul((a), (c))
#define ZKT_ZERO ((zk_gl)0)
#define ZKT_LIFT(a) zk_ext_from_base(a)

#endif
