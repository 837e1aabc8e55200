/* test_expr.c — expression compiler and evaluator: NULL semantics, three-
 * valued logic, arithmetic edge cases, strings in UTF-8, CAST, CASE, scalar
 * functions, compile-time type errors with positions, EXPLAIN text. */
#include "harness.h"
#include "udf/fn_util.h"
#include "engine/expr_impl.h"
#include <math.h>
#include <stdlib.h>

#define I(v, x) CHECK(v_int((v), (x)), "got %s", show(v))
#define D(v, x) CHECK(v_dbl((v), (x)), "got %s", show(v))
#define B(v, x) CHECK(v_bool((v), (x)), "got %s", show(v))
#define S(v, x) CHECK(v_str((v), (x)), "got %s", show(v))
#define N(v) CHECK(v_null(v), "got %s", show(v))

/* 0 FALSE, 1 TRUE, 2 NULL as literals */
static ed_ast *tvl(int t) { return t == 2 ? lnull() : lb(t); }
static void tv_expect(ed_value v, int t)
{
    if (t == 2) N(v);
    else B(v, t);
}

static void test_three_valued(void)
{
    /* SQL truth tables */
    static const int AND[3][3] = {{0, 0, 0}, {0, 1, 2}, {0, 2, 2}};
    static const int OR[3][3] = {{0, 1, 2}, {1, 1, 1}, {2, 1, 2}};
    for (int a = 0; a < 3; a++) {
        for (int b = 0; b < 3; b++) {
            tv_expect(ev(bin(AST_OP_AND, tvl(a), tvl(b))), AND[a][b]);
            tv_expect(ev(bin(AST_OP_OR, tvl(a), tvl(b))), OR[a][b]);
        }
        tv_expect(ev(not_(tvl(a))), a == 2 ? 2 : !a);
    }
    /* short-circuit still evaluates correctly with columns */
    B(ev(bin(AST_OP_AND, col("b"), bin(AST_OP_GT, col("a"), li(5)))), true);
    N(ev(bin(AST_OP_AND, col("b"), bin(AST_OP_GT, col("n"), li(5)))));
    B(ev(bin(AST_OP_AND, bin(AST_OP_GT, col("n"), li(5)), lb(false))), false);
    B(ev(bin(AST_OP_OR, bin(AST_OP_GT, col("n"), li(5)), lb(true))), true);
    /* short-circuit skips the right side: no division counted */
    B(ev(bin(AST_OP_OR, lb(true), bin(AST_OP_EQ, bin(AST_OP_DIV, li(1), li(0)), li(1)))), true);
    CHECK(t_div0 == 0, "div0 %llu", (unsigned long long)t_div0);
    B(ev(bin(AST_OP_AND, lb(true), isnull(bin(AST_OP_DIV, li(1), li(0)), false))), true);
    CHECK(t_div0 == 1, "div0 %llu", (unsigned long long)t_div0);
    /* nested AND/OR */
    B(ev(bin(AST_OP_OR, bin(AST_OP_AND, lb(false), lnull()), bin(AST_OP_AND, lb(true), lb(true)))), true);
    N(ev(bin(AST_OP_OR, bin(AST_OP_AND, lb(true), lnull()), lb(false))));

    /* predicate: only TRUE passes */
    ed_error err;
    ed_expr *e = ed_expr_compile(bin(AST_OP_GT, col("n"), li(1)), &t_resolver, &err);
    CHECK(e && !ed_expr_eval_pred(e, t_row, &t_ctx), "NULL predicate must reject");
    ed_expr_free(e);
    e = ed_expr_compile(bin(AST_OP_GT, col("a"), li(1)), &t_resolver, &err);
    CHECK(e && ed_expr_eval_pred(e, t_row, &t_ctx), "TRUE predicate must pass");
    CHECK(e && !ed_expr_is_const(e) && ed_expr_type(e) == ED_BOOL, "type/const");
    ed_expr_free(e);
    e = ed_expr_compile(bin(AST_OP_ADD, li(1), li(2)), &t_resolver, &err);
    CHECK(e && ed_expr_is_const(e), "constant");
    ed_expr_free(e);
}

static void test_null_and_compare(void)
{
    N(ev(bin(AST_OP_ADD, col("n"), li(1))));
    N(ev(bin(AST_OP_EQ, col("n"), col("n"))));
    N(ev(bin(AST_OP_EQ, lnull(), lnull())));
    B(ev(isnull(col("n"), false)), true);
    B(ev(isnull(col("a"), false)), false);
    B(ev(isnull(col("n"), true)), false);
    B(ev(isnull(col("ns"), true)), false);
    B(ev(isnull(lnull(), false)), true);
    /* BIGINT vs DOUBLE compare numerically */
    B(ev(bin(AST_OP_EQ, li(2), ld(2.0))), true);
    B(ev(bin(AST_OP_LT, col("a"), ld(10.5))), true);
    B(ev(bin(AST_OP_GE, col("d"), li(3))), false);
    B(ev(bin(AST_OP_NE, col("a"), li(10))), false);
    /* strings by bytes: 'B' < 'a', 'é' (0xC3..) > 'z' */
    B(ev(bin(AST_OP_LT, ls("B"), ls("a"))), true);
    B(ev(bin(AST_OP_GT, ls("é"), ls("z"))), true);
    B(ev(bin(AST_OP_LT, ls("ab"), ls("abc"))), true);
    B(ev(bin(AST_OP_EQ, col("s"), ls("héllo"))), true);
    /* timestamps and intervals */
    B(ev(bin(AST_OP_EQ, col("t"), lts("2026-01-01T00:00:00Z"))), true);
    B(ev(bin(AST_OP_LT, col("t"), lts("2026-01-01T00:00:00.001Z"))), true);
    B(ev(bin(AST_OP_GT, col("iv"), liv(4999))), true);
    B(ev(bin(AST_OP_EQ, lb(true), col("b"))), true);
}

static void test_between_in_like(void)
{
    B(ev(between(col("a"), li(1), li(10), false)), true);
    B(ev(between(col("a"), li(11), li(20), false)), false);
    B(ev(between(col("a"), li(11), li(20), true)), true);
    B(ev(between(col("d"), li(2), li(3), false)), true);
    N(ev(between(col("n"), li(1), li(10), false)));
    N(ev(between(col("a"), lnull(), li(20), false)));      /* 10 >= NULL is NULL, 10 <= 20 TRUE */
    B(ev(between(col("a"), lnull(), li(5), false)), false); /* ... AND FALSE is FALSE */
    B(ev(between(col("a"), lnull(), li(5), true)), true);
    B(ev(between(ls("m"), ls("a"), ls("z"), false)), true);

    B(ev(in_(false, 4, col("a"), li(1), li(10), li(20))), true);
    B(ev(in_(false, 3, col("a"), li(1), li(2))), false);
    B(ev(in_(true, 3, col("a"), li(1), li(2))), true);
    N(ev(in_(false, 3, col("a"), li(1), lnull())));           /* not found, NULL in list */
    B(ev(in_(false, 3, col("a"), li(10), lnull())), true);    /* found wins */
    N(ev(in_(true, 3, col("a"), li(1), lnull())));
    N(ev(in_(false, 3, col("n"), li(1), li(2))));
    B(ev(in_(false, 3, col("a"), ld(10.0), li(3))), true);   /* numeric mix */
    B(ev(in_(false, 3, col("s"), ls("x"), ls("héllo"))), true);
    /* non-constant list items */
    B(ev(in_(false, 3, li(20), col("a"), bin(AST_OP_MUL, col("a"), li(2)))), true);
    N(ev(in_(false, 3, li(7), col("a"), col("n"))));

    B(ev(like(col("s"), ls("h%"), false)), true);
    B(ev(like(col("s"), ls("h_llo"), false)), true);    /* _ matches é (2 bytes) */
    B(ev(like(col("s"), ls("h__llo"), false)), false);
    B(ev(like(col("s"), ls("%llo"), false)), true);
    B(ev(like(col("s"), ls("%é%"), false)), true);
    B(ev(like(col("s"), ls("_____"), false)), true);     /* 5 code points */
    B(ev(like(col("s"), ls("______"), false)), false);
    B(ev(like(col("s"), ls("%"), false)), true);
    B(ev(like(ls(""), ls("%"), false)), true);
    B(ev(like(ls(""), ls("_"), false)), false);
    B(ev(like(ls("abcabc"), ls("%a%c"), false)), true);
    B(ev(like(ls("abcabd"), ls("%a%c"), false)), false);
    B(ev(like(ls("日本語"), ls("_本_"), false)), true);
    B(ev(like(ls("日本語"), ls("%語"), false)), true);
    B(ev(like(ls("ABC"), ls("abc"), false)), false);      /* case-sensitive */
    B(ev(like(col("s"), ls("x%"), true)), true);
    N(ev(like(col("ns"), ls("%"), false)));
    N(ev(like(col("s"), lnull(), false)));
}

/* LIKE ... ESCAPE: the escaped code point is literal, the rest as LIKE. */
static void test_like_escape(void)
{
#define LE(s, p, e, want) B(ev(like_esc(ls(s), ls(p), ls(e), false)), want)
    LE("100%", "100!%", "!", true);
    LE("1000", "100!%", "!", false);   /* without the escape % would match "0" */
    LE("100", "100!%", "!", false);
    LE("a_b", "a!_b", "!", true);
    LE("axb", "a!_b", "!", false);
    LE("a!b", "a!!b", "!", true);      /* the escape escapes itself */
    LE("ab", "a!!b", "!", false);
    LE("ab", "!a!b", "!", true);       /* an escaped ordinary character is itself */
    LE("50% off", "%!%%", "!", true);  /* wildcards still work around it */
    LE("50 off", "%!%%", "!", false);
    LE("x%y%z", "x%%z", "%", false);   /* ESCAPE '%': "%%" is a literal '%' */
    LE("x%z", "x%%z", "%", true);
    LE("x_z", "x__z", "_", true);      /* ESCAPE '_': "__" is a literal '_' */
    LE("xaz", "x__z", "_", false);
    LE("a%b", "a\\%b", "\\", true);    /* backslash, as in other SQL dialects */
    LE("日%本", "日é%本", "é", true);  /* a multi-byte escape; _ and % stay per code point */
    LE("日x本", "日é%本", "é", false);
    LE("日本語", "_本é語", "é", true);
    LE("abcabc%", "%a%c!%", "!", true); /* backtracking past an escaped literal */
    LE("abcabc", "%a%c!%", "!", false);
    LE("", "", "!", true);
    LE("", "!%", "!", false);
    B(ev(like_esc(col("s"), ls("h%"), ls("!"), true)), false);
    B(ev(like_esc(ls("100%"), ls("100!%"), ls("!"), true)), false);
    B(ev(like_esc(ls("1000"), ls("100!%"), ls("!"), true)), true);
    N(ev(like_esc(col("ns"), ls("%"), ls("!"), false)));
    N(ev(like_esc(col("s"), lnull(), ls("!"), false)));
    /* a pattern computed per row that ends with the escape: NULL, counted */
    N(ev(like_esc(col("s"), bin(AST_OP_CONCAT, col("s"), ls("!")), ls("!"), false)));
    CHECK(t_everr == 1, "eval_errors %llu", (unsigned long long)t_everr);
    B(ev(like_esc(col("s"), bin(AST_OP_CONCAT, col("s"), ls("!!")), ls("!"), false)), false);
    CHECK(t_everr == 0, "eval_errors %llu", (unsigned long long)t_everr);
    B(ev(like_esc(ls("héllo!"), bin(AST_OP_CONCAT, col("s"), ls("!!")), ls("!"), false)), true);
    CHECK(t_everr == 0, "eval_errors %llu", (unsigned long long)t_everr);
    /* bind-time errors, at the escape's (or the pattern's) position */
    ed_error e = cerr(like_esc(col("s"), ls("a%"), at(ls("ab"), 2, 30), false));
    CHECK(!strcmp(e.msg, "ESCAPE must be a single character, got 'ab'") && e.line == 2 && e.col == 30, "%s %d:%d", e.msg,
          e.line, e.col);
    e = cerr(like_esc(col("s"), ls("a%"), at(ls(""), 1, 12), false));
    CHECK(!strcmp(e.msg, "ESCAPE must be a single character, got ''") && e.col == 12, "%s", e.msg);
    e = cerr(like_esc(col("s"), ls("a%"), at(col("s"), 3, 4), false));
    CHECK(!strcmp(e.msg, "ESCAPE must be a one-character string literal, e.g. ESCAPE '!'") && e.line == 3 && e.col == 4,
          "%s", e.msg);
    e = cerr(like_esc(col("s"), ls("a%"), at(lnull(), 1, 9), false));
    CHECK(strstr(e.msg, "string literal") && e.col == 9, "%s", e.msg);
    e = cerr(like_esc(col("s"), at(ls("ab!"), 4, 8), ls("!"), false));
    CHECK(!strcmp(e.msg, "LIKE pattern ends with the escape character") && e.line == 4 && e.col == 8, "%s", e.msg);
    e = cerr(like_esc(col("s"), bin(AST_OP_CONCAT, ls("a"), ls("!")), ls("!"), false));
    CHECK(!strcmp(e.msg, "LIKE pattern ends with the escape character"), "%s", e.msg); /* folded constant */
    e = cerr(like_esc(col("a"), ls("1%"), ls("!"), false));
    CHECK(!strcmp(e.msg, "LIKE cannot be applied to BIGINT and VARCHAR"), "%s", e.msg);
    /* EXPLAIN spells the escape */
    char buf[256];
    explain(like_esc(col("s"), ls("it's!%"), ls("!"), true), buf, sizeof buf);
    CHECK(!strcmp(buf, "(s NOT LIKE 'it''s!%' ESCAPE '!')"), "%s", buf);
    explain(like_esc(col("s"), ls("a'%"), ls("'"), false), buf, sizeof buf);
    CHECK(!strcmp(buf, "(s LIKE 'a''%' ESCAPE '''')"), "%s", buf);
#undef LE
}

static void test_arithmetic(void)
{
    I(ev(bin(AST_OP_DIV, li(-7), li(2))), -3);
    I(ev(bin(AST_OP_DIV, li(7), li(-2))), -3);
    I(ev(bin(AST_OP_DIV, li(7), li(2))), 3);
    I(ev(bin(AST_OP_MOD, li(-7), li(2))), -1);
    I(ev(bin(AST_OP_MOD, li(7), li(-2))), 1);
    D(ev(bin(AST_OP_DIV, li(7), ld(2))), 3.5);
    D(ev(bin(AST_OP_ADD, col("a"), col("d"))), 12.5);
    I(ev(bin(AST_OP_SUB, li(3), bin(AST_OP_MUL, li(2), li(5)))), -7);
    D(ev(bin(AST_OP_MOD, ld(7.5), li(2))), 1.5);
    I(ev(neg(col("a"))), -10);
    D(ev(neg(col("d"))), -2.5);

    N(ev(bin(AST_OP_DIV, col("a"), li(0))));
    CHECK(t_div0 == 1 && t_everr == 0, "div0 counted %llu", (unsigned long long)t_div0);
    N(ev(bin(AST_OP_MOD, col("a"), li(0))));
    CHECK(t_div0 == 1, "mod0 counted");
    N(ev(bin(AST_OP_DIV, col("d"), ld(0.0))));
    CHECK(t_div0 == 1, "double div0 counted");
    N(ev(bin(AST_OP_DIV, col("d"), li(0))));
    CHECK(t_div0 == 1, "double/int div0 counted");
    N(ev(bin(AST_OP_DIV, col("n"), li(0))));
    CHECK(t_div0 == 0, "NULL / 0 is NULL without counting");

    N(ev(bin(AST_OP_ADD, li(INT64_MAX), li(1))));
    CHECK(t_everr == 1, "overflow counted");
    N(ev(bin(AST_OP_SUB, li(INT64_MIN), li(1))));
    CHECK(t_everr == 1, "overflow counted");
    N(ev(bin(AST_OP_MUL, li(INT64_MAX / 2 + 1), li(2))));
    CHECK(t_everr == 1, "overflow counted");
    N(ev(bin(AST_OP_DIV, li(INT64_MIN), li(-1))));
    CHECK(t_everr == 1 && t_div0 == 0, "INT64_MIN / -1 counted");
    I(ev(bin(AST_OP_MOD, li(INT64_MIN), li(-1))), 0);
    N(ev(neg(li(INT64_MIN))));
    CHECK(t_everr == 1, "negation overflow counted");
    I(ev(bin(AST_OP_ADD, li(INT64_MAX - 1), li(1))), INT64_MAX);

    /* TIMESTAMP / INTERVAL */
    ed_value v = ev(bin(AST_OP_ADD, col("t"), col("iv")));
    CHECK(v.type == ED_TIMESTAMP && v.u.i == t_row[3].u.i + 5000, "ts + iv: %s", show(v));
    v = ev(bin(AST_OP_ADD, liv(1000), col("t")));
    CHECK(v.type == ED_TIMESTAMP && v.u.i == t_row[3].u.i + 1000, "iv + ts: %s", show(v));
    v = ev(bin(AST_OP_SUB, col("t"), liv(60000)));
    CHECK(v.type == ED_TIMESTAMP && v.u.i == t_row[3].u.i - 60000, "ts - iv: %s", show(v));
    v = ev(bin(AST_OP_SUB, lts("2026-01-01T00:01:00Z"), col("t")));
    CHECK(v.type == ED_INTERVAL && v.u.i == 60000, "ts - ts: %s", show(v));
    v = ev(bin(AST_OP_MUL, col("iv"), li(3)));
    CHECK(v.type == ED_INTERVAL && v.u.i == 15000, "iv * 3: %s", show(v));
    v = ev(bin(AST_OP_MUL, li(2), col("iv")));
    CHECK(v.type == ED_INTERVAL && v.u.i == 10000, "2 * iv: %s", show(v));
    v = ev(bin(AST_OP_DIV, col("iv"), li(2)));
    CHECK(v.type == ED_INTERVAL && v.u.i == 2500, "iv / 2: %s", show(v));
    v = ev(neg(col("iv")));
    CHECK(v.type == ED_INTERVAL && v.u.i == -5000, "-iv: %s", show(v));

    /* || */
    S(ev(bin(AST_OP_CONCAT, col("s"), ls("!"))), "héllo!");
    S(ev(bin(AST_OP_CONCAT, ls("a="), col("a"))), "a=10");
    N(ev(bin(AST_OP_CONCAT, col("s"), col("ns"))));
    N(ev(bin(AST_OP_CONCAT, lnull(), ls("x"))));
}

static void test_cast(void)
{
    I(ev(cast(ls("42"), ED_BIGINT)), 42);
    I(ev(cast(ls(" -17 "), ED_BIGINT)), -17);
    I(ev(cast(ls("-9223372036854775808"), ED_BIGINT)), INT64_MIN);
    N(ev(cast(ls("9223372036854775808"), ED_BIGINT)));
    CHECK(t_everr == 1, "bad cast counted");
    N(ev(cast(ls("12abc"), ED_BIGINT)));
    CHECK(t_everr == 1, "bad cast counted");
    N(ev(cast(ls("1.5"), ED_BIGINT)));
    N(ev(cast(ls(""), ED_BIGINT)));
    N(ev(cast(ls("-"), ED_BIGINT)));
    CHECK(t_everr == 1, "bad cast counted");
    N(ev(cast(col("ns"), ED_BIGINT)));
    CHECK(t_everr == 0, "NULL cast is not an error");
    D(ev(cast(ls("2.5e3"), ED_DOUBLE)), 2500);
    N(ev(cast(ls("2.5x"), ED_DOUBLE)));
    I(ev(cast(ld(2.9), ED_BIGINT)), 2);                   /* truncation */
    I(ev(cast(ld(-2.9), ED_BIGINT)), -2);
    N(ev(cast(ld(1e300), ED_BIGINT)));
    CHECK(t_everr == 1, "out of range counted");
    N(ev(cast(bin(AST_OP_DIV, ld(0), ld(0)), ED_BIGINT)));  /* NULL from div0, stays NULL */
    D(ev(cast(col("a"), ED_DOUBLE)), 10.0);
    B(ev(cast(ls("true"), ED_BOOL)), true);
    B(ev(cast(ls("FALSE"), ED_BOOL)), false);
    N(ev(cast(ls("yes"), ED_BOOL)));
    CHECK(t_everr == 1, "bad bool counted");
    B(ev(cast(li(0), ED_BOOL)), false);
    I(ev(cast(lb(true), ED_BIGINT)), 1);
    S(ev(cast(lb(false), ED_VARCHAR)), "false");
    S(ev(cast(li(-12), ED_VARCHAR)), "-12");
    S(ev(cast(ld(2.5), ED_VARCHAR)), "2.5");
    S(ev(cast(ld(0.1), ED_VARCHAR)), "0.1");
    /* round trips */
    D(ev(cast(cast(ld(0.1), ED_VARCHAR), ED_DOUBLE)), 0.1);
    I(ev(cast(cast(li(INT64_MAX), ED_VARCHAR), ED_BIGINT)), INT64_MAX);
    S(ev(cast(col("t"), ED_VARCHAR)), "2026-01-01T00:00:00.000Z");
    ed_value v = ev(cast(ls("2026-01-01T01:00:00+01:00"), ED_TIMESTAMP));
    CHECK(v.type == ED_TIMESTAMP && v.u.i == t_row[3].u.i, "ts parse: %s", show(v));
    v = ev(cast(cast(col("t"), ED_VARCHAR), ED_TIMESTAMP));
    CHECK(v.type == ED_TIMESTAMP && v.u.i == t_row[3].u.i, "ts round trip: %s", show(v));
    N(ev(cast(ls("yesterday"), ED_TIMESTAMP)));
    CHECK(t_everr == 1, "bad ts counted");
    I(ev(cast(col("t"), ED_BIGINT)), t_row[3].u.i);       /* epoch ms */
    v = ev(cast(li(1000), ED_TIMESTAMP));
    CHECK(v.type == ED_TIMESTAMP && v.u.i == 1000, "ts from ms: %s", show(v));
    I(ev(cast(col("iv"), ED_BIGINT)), 5000);
    S(ev(cast(col("s"), ED_VARCHAR)), "héllo");
    CHECK(ev(cast(lnull(), ED_BIGINT)).type == ED_NULL, "NULL cast");
}

static void test_case(void)
{
    /* searched */
    S(ev(case_(false, true, 5, bin(AST_OP_GT, col("a"), li(100)), ls("big"), bin(AST_OP_GT, col("a"), li(5)), ls("mid"),
               ls("small"))),
      "mid");
    S(ev(case_(false, true, 3, bin(AST_OP_GT, col("n"), li(0)), ls("pos"), ls("unknown"))), "unknown");
    N(ev(case_(false, false, 2, lb(false), ls("x"))));
    /* simple */
    S(ev(case_(true, true, 6, col("a"), li(1), ls("one"), li(10), ls("ten"), ls("other"))), "ten");
    S(ev(case_(true, true, 4, col("n"), lnull(), ls("null matches?"), ls("no"))), "no"); /* NULL = NULL is not TRUE */
    N(ev(case_(true, false, 3, col("a"), li(3), ls("three"))));
    /* mixed BIGINT / DOUBLE branches promote to DOUBLE */
    D(ev(case_(false, true, 3, lb(true), li(1), ld(2.5))), 1.0);
    D(ev(case_(true, true, 4, col("a"), li(10), col("d"), li(7))), 2.5);
    D(ev(case_(true, true, 4, col("a"), li(11), col("d"), li(7))), 7.0);
    /* nested */
    I(ev(case_(false, true, 3, col("b"), case_(true, true, 4, col("s"), ls("héllo"), li(1), li(2)), li(3))), 1);
}

static void test_functions(void)
{
    I(ev(call("coalesce", 3, col("n"), lnull(), li(7))), 7);
    N(ev(call("coalesce", 2, col("n"), lnull())));
    D(ev(call("coalesce", 2, col("n"), ld(1.5))), 1.5);
    D(ev(call("coalesce", 2, col("a"), ld(1.5))), 10.0); /* promoted to DOUBLE */
    N(ev(call("nullif", 2, col("a"), li(10))));
    I(ev(call("nullif", 2, col("a"), li(3))), 10);
    I(ev(call("nullif", 2, col("a"), lnull())), 10);
    N(ev(call("nullif", 2, lnull(), li(3))));

    I(ev(call("abs", 1, li(-5))), 5);
    D(ev(call("abs", 1, ld(-2.5))), 2.5);
    N(ev(call("abs", 1, li(INT64_MIN))));
    CHECK(t_everr == 1, "abs overflow counted");
    N(ev(call("abs", 1, col("n"))));
    D(ev(call("round", 1, ld(2.5))), 3.0);
    D(ev(call("round", 1, ld(-2.5))), -3.0);
    D(ev(call("round", 1, ld(2.4))), 2.0);
    D(ev(call("round", 1, ld(0.5))), 1.0);
    D(ev(call("round", 2, ld(1.25), li(1))), 1.3);
    D(ev(call("round", 2, ld(-1.25), li(1))), -1.3);
    D(ev(call("round", 2, ld(1234.5), li(-2))), 1200.0);
    I(ev(call("round", 1, li(7))), 7);
    I(ev(call("round", 2, li(1250), li(-2))), 1300);
    I(ev(call("round", 2, li(-1250), li(-2))), -1300);
    I(ev(call("round", 2, li(1249), li(-2))), 1200);
    I(ev(call("round", 2, li(15), li(3))), 15);
    N(ev(call("round", 2, ld(1.5), lnull())));
    D(ev(call("floor", 1, ld(-2.5))), -3.0);
    D(ev(call("ceil", 1, ld(-2.5))), -2.0);
    D(ev(call("ceiling", 1, ld(2.1))), 3.0);
    I(ev(call("floor", 1, li(4))), 4);
    D(ev(call("sqrt", 1, li(16))), 4.0);
    N(ev(call("sqrt", 1, ld(-1))));
    CHECK(t_everr == 1, "sqrt negative counted");
    D(ev(call("power", 2, li(2), li(10))), 1024.0);
    D(ev(call("power", 2, ld(9), ld(0.5))), 3.0);
    N(ev(call("power", 2, li(0), li(-1))));

    S(ev(call("upper", 1, col("s"))), "HéLLO");          /* ASCII only */
    S(ev(call("lower", 1, ls("ÀBC"))), "Àbc");
    I(ev(call("length", 1, col("s"))), 5);
    I(ev(call("length", 1, ls("日本語"))), 3);
    I(ev(call("length", 1, ls(""))), 0);
    N(ev(call("length", 1, col("ns"))));
    S(ev(call("substring", 3, col("s"), li(2), li(3))), "éll");
    S(ev(call("substring", 2, col("s"), li(2))), "éllo");
    S(ev(call("substring", 3, ls("日本語"), li(3), li(5))), "語");
    S(ev(call("substring", 3, col("s"), li(0), li(3))), "hé");   /* positions 0,1,2 */
    S(ev(call("substring", 3, col("s"), li(-5), li(3))), "");
    S(ev(call("substring", 2, col("s"), li(-5))), "héllo");
    S(ev(call("substring", 2, col("s"), li(9))), "");
    S(ev(call("substring", 3, col("s"), li(1), li(0))), "");
    S(ev(call("substring", 3, col("s"), li(2), li(INT64_MAX))), "éllo");
    N(ev(call("substring", 3, col("s"), li(1), li(-1))));
    CHECK(t_everr == 1, "negative length counted");
    S(ev(call("concat", 4, col("s"), col("ns"), li(1), ld(0.5))), "héllo10.5");
    S(ev(call("concat", 1, lnull())), "");
    /* functions inside expressions */
    I(ev(bin(AST_OP_ADD, call("length", 1, col("s")), li(1))), 6);
}

static void test_errors(void)
{
    ed_error e = cerr(bin(AST_OP_ADD, at(col("s"), 2, 7), li(1)));
    CHECK(!strcmp(e.msg, "operator + cannot be applied to VARCHAR and BIGINT"), "%s", e.msg);
    CHECK(e.line == 2 && e.col == 7, "pos %d:%d", e.line, e.col);
    e = cerr(at(call("sqr", 1, li(4)), 3, 9));
    CHECK(!strcmp(e.msg, "unknown function 'sqr' (did you mean 'sqrt'?)"), "%s", e.msg);
    CHECK(e.line == 3 && e.col == 9, "pos %d:%d", e.line, e.col);
    e = cerr(call("frobnicate", 0));
    CHECK(!strcmp(e.msg, "unknown function 'frobnicate'"), "%s", e.msg);
    e = cerr(at(call("count", 1, star()), 1, 20));
    CHECK(!strcmp(e.msg, "aggregate function count is not allowed here"), "%s", e.msg);
    CHECK(e.col == 20, "col %d", e.col);
    e = cerr(bin(AST_OP_ADD, li(1), call("sum", 1, col("a"))));
    CHECK(!strcmp(e.msg, "aggregate function sum is not allowed here"), "%s", e.msg);
    e = cerr(bin(AST_OP_LT, col("t"), at(ls("2026-01-01"), 1, 30)));
    CHECK(strstr(e.msg, "operator < cannot be applied to TIMESTAMP and VARCHAR") != NULL, "%s", e.msg);
    e = cerr(bin(AST_OP_AND, col("a"), lb(true)));
    CHECK(strstr(e.msg, "BOOLEAN") != NULL, "%s", e.msg);
    e = cerr(not_(col("s")));
    CHECK(!strcmp(e.msg, "operator NOT cannot be applied to VARCHAR"), "%s", e.msg);
    e = cerr(neg(col("s")));
    CHECK(!strcmp(e.msg, "operator - cannot be applied to VARCHAR"), "%s", e.msg);
    e = cerr(bin(AST_OP_ADD, col("t"), col("t")));
    CHECK(!strcmp(e.msg, "operator + cannot be applied to TIMESTAMP and TIMESTAMP"), "%s", e.msg);
    e = cerr(call("round", 3, li(1), li(2), li(3)));
    CHECK(!strcmp(e.msg, "function round expects 1 to 2 arguments, got 3"), "%s", e.msg);
    e = cerr(call("upper", 1, li(1)));
    CHECK(!strcmp(e.msg, "expected a VARCHAR argument, got BIGINT"), "%s", e.msg);
    e = cerr(call("coalesce", 2, col("s"), li(1)));
    CHECK(strstr(e.msg, "incompatible types VARCHAR and BIGINT") != NULL, "%s", e.msg);
    e = cerr(at(col("prce"), 4, 2));
    CHECK(!strcmp(e.msg, "unknown column 'prce'") && e.line == 4 && e.col == 2, "%s", e.msg);
    e = cerr(like(col("a"), ls("1%"), false));
    CHECK(!strcmp(e.msg, "LIKE cannot be applied to BIGINT and VARCHAR"), "%s", e.msg);
    e = cerr(cast(col("b"), ED_TIMESTAMP));
    CHECK(!strcmp(e.msg, "cannot cast BOOLEAN to TIMESTAMP"), "%s", e.msg);
    e = cerr(case_(false, true, 3, lb(true), ls("x"), at(li(1), 5, 5)));
    CHECK(strstr(e.msg, "incompatible types VARCHAR and BIGINT") && e.line == 5, "%s", e.msg);
    e = cerr(case_(false, false, 2, li(1), ls("x")));
    CHECK(!strcmp(e.msg, "WHEN condition must be BOOLEAN, not BIGINT"), "%s", e.msg);
    e = cerr(in_(false, 3, col("a"), li(1), at(ls("x"), 6, 3)));
    CHECK(strstr(e.msg, "IN list") && e.line == 6 && e.col == 3, "%s", e.msg);
    e = cerr(between(col("a"), li(1), ls("z"), false));
    CHECK(strstr(e.msg, "BETWEEN") != NULL, "%s", e.msg);
    e = cerr(star());
    CHECK(strstr(e.msg, "'*'") != NULL, "%s", e.msg);
    e = cerr(call("abs", 1, star()));
    CHECK(!strcmp(e.msg, "'*' is only allowed in COUNT(*)"), "%s", e.msg);
}

/* pre() hook: map "count(*)" and the expression (a + 1) to post-row slots */
static int pre_hook(void *ctx, const ed_ast *n, ed_type *type, ed_error *err)
{
    (void)ctx, (void)err;
    if (n->kind == AST_CALL && !strcmp(n->str, "count")) {
        *type = ED_BIGINT;
        return 1;
    }
    if (n->kind == AST_BINARY && n->op == AST_OP_ADD && n->args[0]->kind == AST_COLUMN && !strcmp(n->args[0]->str, "a")) {
        *type = ED_BIGINT;
        return 0;
    }
    if (n->kind == AST_CALL && !strcmp(n->str, "bad")) {
        err->line = n->pos.line, err->col = n->pos.col;
        snprintf(err->msg, sizeof err->msg, "bad call");
        return -2;
    }
    return -1;
}

static void test_pre_and_explain(void)
{
    ed_expr_resolver r = {NULL, pre_hook, NULL};
    ed_error err = {0};
    ed_ast *ast = bin(AST_OP_MUL, call("count", 1, star()), bin(AST_OP_ADD, col("a"), li(1)));
    ed_expr *e = ed_expr_compile(ast, &r, &err);
    CHECK(e != NULL, "compile with pre: %s", err.msg);
    if (e) {
        ed_value post[2] = {ed_v_int(11), ed_v_int(3)};
        ed_value v = ed_expr_eval(e, post, &t_ctx);
        I(v, 33);
        const char *names[] = {"(a + 1)", "count(*)"};
        ed_sb sb = ED_SB_INIT;
        ed_expr_explain(e, names, &sb);
        CHECK(!strcmp(sb.buf, "(count(*) * (a + 1))"), "explain: %s", sb.buf);
        ed_sb_clear(&sb);
        ed_expr_explain(e, NULL, &sb);
        CHECK(!strcmp(sb.buf, "($1 * $0)"), "explain: %s", sb.buf);
        ed_sb_free(&sb);
        ed_expr_free(e);
    }
    /* column outside pre() without a column resolver is an error */
    e = ed_expr_compile(col("d"), &r, &err);
    CHECK(!e && strstr(err.msg, "'d'"), "no column resolver: %s", err.msg);
    ed_expr_free(e);
    e = ed_expr_compile(bin(AST_OP_ADD, li(1), at(call("bad", 0), 2, 3)), &r, &err);
    CHECK(!e && !strcmp(err.msg, "bad call") && err.col == 3, "pre error: %s", err.msg);

    char buf[512];
    explain(bin(AST_OP_GT, col("d"), li(10)), buf, sizeof buf);
    CHECK(!strcmp(buf, "(d > 10)"), "%s", buf);
    explain(bin(AST_OP_AND, like(col("s"), ls("it's%"), false), in_(true, 3, col("a"), li(1), lnull())), buf, sizeof buf);
    CHECK(!strcmp(buf, "((s LIKE 'it''s%') AND (a NOT IN (1, NULL)))"), "%s", buf);
    explain(case_(true, true, 4, col("a"), li(1), call("upper", 1, col("s")), cast(col("d"), ED_VARCHAR)), buf, sizeof buf);
    CHECK(!strcmp(buf, "CASE a WHEN 1 THEN upper(s) ELSE CAST(d AS VARCHAR) END"), "%s", buf);
    explain(bin(AST_OP_ADD, col("t"), liv(5000)), buf, sizeof buf);
    CHECK(!strcmp(buf, "(t + INTERVAL '5' SECOND)"), "%s", buf);
    explain(between(neg(col("a")), ld(1.5), lnull(), true), buf, sizeof buf);
    CHECK(!strcmp(buf, "((-a) NOT BETWEEN 1.5 AND NULL)"), "%s", buf);
    explain(isnull(not_(col("b")), true), buf, sizeof buf);
    CHECK(!strcmp(buf, "((NOT b) IS NOT NULL)"), "%s", buf);
}

/* A long constant IN list and deep nesting run with the compile-time stack. */
static void test_big(void)
{
    ed_ast *items[201];
    items[0] = col("a");
    for (int i = 1; i <= 200; i++) items[i] = li(i * 3);
    ed_ast *in = in_(false, 1, items[0]);
    in->args = items;
    in->nargs = 201;
    B(ev(in), false);
    items[0] = li(300);
    B(ev(in), true);
    ed_ast *x = col("a");
    for (int i = 0; i < 100; i++) x = bin(AST_OP_ADD, li(1), x);
    I(ev(x), 110);
}

/* Constant sub-expressions fold into one constant; ones that count errors
 * do not (the error is counted per row). */
static void test_fold(void)
{
    ed_error err;
    ed_expr *e = ed_expr_compile(bin(AST_OP_ADD, col("a"), bin(AST_OP_MUL, li(2), li(3))), &t_resolver, &err);
    CHECK(e && e->nsteps == 3, "folded to slot, const, add: %d steps", e ? e->nsteps : -1);
    I(ed_expr_eval(e, t_row, &t_ctx), 16);
    ed_expr_free(e);
    e = ed_expr_compile(bin(AST_OP_CONCAT, col("s"), call("upper", 1, ls("x"))), &t_resolver, &err);
    CHECK(e && e->nsteps == 4, "calls are not folded: %d steps", e ? e->nsteps : -1);
    ed_expr_free(e);
    ed_ast *c = case_(false, true, 3, bin(AST_OP_GT, li(2), li(1)), bin(AST_OP_CONCAT, ls("a"), ls("b")), ls("z"));
    e = ed_expr_compile(c, &t_resolver, &err);
    CHECK(e && e->nsteps == 1 && ed_expr_is_const(e), "constant CASE folded: %d steps", e ? e->nsteps : -1);
    S(ed_expr_eval(e, t_row, &t_ctx), "ab");
    ed_expr_free(e);
    e = ed_expr_compile(in_(false, 3, col("a"), bin(AST_OP_ADD, li(5), li(5)), li(1)), &t_resolver, &err);
    CHECK(e && e->nsteps == 2 && e->steps[1].op == X_IN_CONST, "IN list folded to constants");
    B(ed_expr_eval(e, t_row, &t_ctx), true);
    ed_expr_free(e);
    e = ed_expr_compile(bin(AST_OP_ADD, col("a"), bin(AST_OP_DIV, li(1), li(0))), &t_resolver, &err);
    t_div0 = 0;
    N(ed_expr_eval(e, t_row, &t_ctx));
    N(ed_expr_eval(e, t_row, &t_ctx));
    CHECK(t_div0 == 2, "division by zero counted per row: %llu", (unsigned long long)t_div0);
    ed_expr_free(e);
    /* mixed-type CASE with a folded branch still widens */
    D(ev(case_(false, true, 3, col("b"), bin(AST_OP_ADD, li(1), li(1)), ld(0.5))), 2.0);
}

int main(void)
{
    ed_arena_init(t_ctx.arena, 4096);
    ed_registry_builtins();
    int64_t ts;
    ed_ts_parse("2026-01-01T00:00:00Z", 20, &ts);
    t_row[0] = ed_v_int(10);
    t_row[1] = ed_v_double(2.5);
    t_row[2] = ed_v_str("héllo", (uint32_t)strlen("héllo"));
    t_row[3] = ed_v_ts(ts);
    t_row[4] = ed_v_bool(true);
    t_row[5] = ed_v_null();
    t_row[6] = ed_v_int(5000);
    t_row[6].type = ED_INTERVAL;
    t_row[7] = ed_v_null();

    test_three_valued();
    test_null_and_compare();
    test_between_in_like();
    test_like_escape();
    test_arithmetic();
    test_cast();
    test_case();
    test_functions();
    test_errors();
    test_pre_and_explain();
    test_big();
    test_fold();
    test_aggregates();
    test_registry();

    ed_arena_free(t_ctx.arena);
    printf("%d checks, %d failures\n", t_checks, t_failures);
    return t_failures ? 1 : 0;
}
