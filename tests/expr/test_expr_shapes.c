/* test_expr_shapes.c — the evaluator's shortcuts for common program forms
 * (expr_impl.h SH_*: a bare column, column op constant, column op constant
 * compared with a constant) give exactly what the general step loop gives:
 * same type, same bits, same error counters, over NULLs, overflow, the int64
 * extremes and values whose runtime type differs from the declared one. */
#include <math.h>
#include <stdlib.h>
#include "engine/expr_impl.h"
#include "harness.h"

static int same(ed_value a, ed_value b)
{
    if (a.type != b.type) return 0;
    if (a.type == ED_NULL) return 1;
    if (a.type == ED_DOUBLE) return memcmp(&a.u.d, &b.u.d, sizeof a.u.d) == 0 || (isnan(a.u.d) && isnan(b.u.d));
    if (a.type == ED_BOOL) return a.u.b == b.u.b;
    return a.u.i == b.u.i;
}

static int compared;

/* compile; check the shape; evaluate both ways over many rows */
static void check(ed_ast *ast, int want_shape)
{
    ed_error err = {0};
    ed_expr *e = ed_expr_compile(ast, &t_resolver, &err);
    CHECK(e != NULL, "compile: %s", err.msg);
    if (!e) return;
    CHECK(e->shape == want_shape, "shape %d, expected %d", e->shape, want_shape);
    static const int64_t ints[] = {0, 1, -1, 2, 10, 122, 123, 246, -123, 1000, INT64_MAX, INT64_MIN,
                                   INT64_MAX / 2 + 1, INT64_MIN / 2 - 1, 3037000500, -3037000500};
    int ni = (int)(sizeof ints / sizeof *ints);
    for (int k = 0; k < ni + 4; k++) {
        ed_value v;
        if (k < ni) v = ed_v_int(ints[k]);
        else if (k == ni) v = ed_v_null();
        else if (k == ni + 1) v = ed_v_double(2.5);          /* a DOUBLE where BIGINT is declared */
        else if (k == ni + 2) v = ed_v_ts(1767225600000);    /* a TIMESTAMP where BIGINT is declared */
        else v = ed_v_double(-0.0);
        for (int c = 0; c < 8; c++) t_row[c] = v;
        t_row[1] = v.type == ED_BIGINT ? ed_v_double((double)v.u.i * 0.5) : v; /* d */
        t_row[3] = v.type == ED_BIGINT ? ed_v_ts(v.u.i) : v;                   /* t */
        t_div0 = t_everr = 0;
        ed_value fast = ed_expr_eval(e, t_row, &t_ctx);
        uint64_t d0 = t_div0, e0 = t_everr;
        t_div0 = t_everr = 0;
        ed_value gen = ed_expr_eval_general(e, t_row, &t_ctx);
        CHECK(same(fast, gen) && d0 == t_div0 && e0 == t_everr, "value %d: fast %s (div0 %llu, err %llu)", k,
              show(fast), (unsigned long long)d0, (unsigned long long)e0);
        compared++;
    }
    ed_expr_free(e);
}

int main(void)
{
    /* bare columns; a DOUBLE column may need widening: general path */
    check(col("a"), SH_SLOT);
    check(col("t"), SH_SLOT);
    check(col("s"), SH_SLOT);
    check(col("d"), SH_NONE);
    /* column op constant, DOUBLE arithmetic */
    static const int dops[] = {AST_OP_ADD, AST_OP_SUB, AST_OP_MUL};
    for (int i = 0; i < 3; i++) {
        check(bin(dops[i], col("a"), ld(0.908)), SH_SLOT_K_D);
        check(bin(dops[i], col("d"), ld(-3.25)), SH_SLOT_K_D);
        check(bin(dops[i], col("d"), li(7)), SH_SLOT_K_D);
        check(bin(dops[i], col("a"), ld(1e308)), SH_SLOT_K_D);
        check(bin(dops[i], ld(0.5), col("a")), SH_NONE);
    }
    check(bin(AST_OP_DIV, col("a"), ld(0.5)), SH_NONE);
    check(bin(AST_OP_MUL, col("a"), lnull()), SH_NONE);
    /* column compared with a constant */
    static const int cops[] = {AST_OP_EQ, AST_OP_NE, AST_OP_LT, AST_OP_LE, AST_OP_GT, AST_OP_GE};
    for (int i = 0; i < 6; i++) {
        check(bin(cops[i], col("a"), li(123)), SH_SLOT_K_CMP);
        check(bin(cops[i], col("a"), li(INT64_MIN)), SH_SLOT_K_CMP);
        check(bin(cops[i], col("t"), lts("2026-01-01T00:00:00Z")), SH_SLOT_K_CMP);
        check(bin(cops[i], col("a"), ld(2.5)), SH_NONE);
    }
    /* (column op constant) compared with a constant, BIGINT */
    static const int iops[] = {AST_OP_ADD, AST_OP_SUB, AST_OP_MUL, AST_OP_DIV, AST_OP_MOD};
    static const int64_t ks[] = {123, 2, -7, 1, INT64_MAX, INT64_MIN, 3037000500};
    for (int i = 0; i < 5; i++)
        for (size_t k = 0; k < sizeof ks / sizeof *ks; k++)
            for (int c = 0; c < 6; c++)
                check(bin(cops[c], bin(iops[i], col("a"), li(ks[k])), li(c == 0 ? 0 : 1)), SH_SLOT_K_I_K_CMP);
    /* division by 0 or -1 is left to the general path (counters, overflow) */
    check(bin(AST_OP_EQ, bin(AST_OP_MOD, col("a"), li(0)), li(0)), SH_NONE);
    check(bin(AST_OP_EQ, bin(AST_OP_DIV, col("a"), li(-1)), li(0)), SH_NONE);
    check(bin(AST_OP_EQ, bin(AST_OP_MOD, col("a"), li(-1)), li(0)), SH_NONE);
    CHECK(compared > 5000, "%d comparisons", compared);
    if (t_failures) {
        fprintf(stderr, "%d of %d checks failed\n", t_failures, t_checks);
        return 1;
    }
    printf("expr shapes: %d checks ok\n", t_checks);
    return 0;
}
