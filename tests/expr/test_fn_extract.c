/* test_fn_extract.c — HOUR, COUNT_CHAR, SPLIT_INDEX and REGEXP_EXTRACT:
 * normal values, NULLs, edge cases (midnight, days before 1970, no match, a
 * group that did not take part, indexes out of range), compile-time errors
 * at the offending argument, run-time errors as NULL + eval_errors; and the
 * registry's prepare()/release() hook that REGEXP_EXTRACT uses (per call
 * site state, released with the program: ASan's leak check watches). */
#include "harness.h"
#include "udf/fn_util.h"
#include <stdlib.h>

#define I(v, x) CHECK(v_int((v), (x)), "got %s", show(v))
#define S(v, x) CHECK(v_str((v), (x)), "got %s", show(v))
#define N(v) CHECK(v_null(v), "got %s", show(v))
#define ERRS(n) CHECK(t_everr == (n), "eval_errors %llu, want %d", (unsigned long long)t_everr, (n))

static ed_ast *hour(ed_ast *ts) { return call("hour", 1, ts); }
static ed_ast *ts_ms(int64_t ms) { return cast(li(ms), ED_TIMESTAMP); }
/* a string the compiler cannot fold (CONCAT is a call): a per-row argument */
static ed_ast *dyn(const char *s) { return call("concat", 1, ls(s)); }

static void expect_err(ed_ast *ast, const char *msg, int line, int col_)
{
    ed_error e = cerr(ast);
    CHECK(!strcmp(e.msg, msg) && e.line == line && e.col == col_, "got %d:%d %s", e.line, e.col, e.msg);
}

static void test_hour(void)
{
    I(ev(hour(col("t"))), 0); /* 2026-01-01T00:00:00Z */
    I(ev(hour(lts("2026-01-01T00:59:59.999Z"))), 0);
    I(ev(hour(lts("2026-01-01T01:00:00Z"))), 1);
    I(ev(hour(lts("2026-01-01T23:59:59.999Z"))), 23);
    I(ev(hour(lts("2026-01-02T00:00:00Z"))), 0);
    I(ev(hour(lts("2026-03-15T18:00:00Z"))), 18);
    I(ev(hour(lts("2026-01-01T08:30:00+02:00"))), 6); /* UTC */
    I(ev(hour(lts("2025-12-31T23:30:00-01:00"))), 0);
    /* before 1970: negative epoch milliseconds */
    I(ev(hour(ts_ms(-1))), 23);
    I(ev(hour(lts("1969-12-31T23:00:00Z"))), 23);
    I(ev(hour(lts("1969-12-31T22:59:59.999Z"))), 22);
    I(ev(hour(lts("1969-12-31T00:00:00Z"))), 0);
    I(ev(hour(lts("1969-12-30T23:59:59.999Z"))), 23);
    I(ev(hour(lts("1900-01-01T13:45:00Z"))), 13);
    I(ev(hour(ts_ms(INT64_MIN))), 16);
    I(ev(hour(ts_ms(INT64_MAX))), 7);
    I(ev(bin(AST_OP_ADD, hour(bin(AST_OP_ADD, col("t"), liv(3600000 * 30))), li(0))), 6);
    N(ev(hour(lnull())));
    N(ev(hour(cast(col("n"), ED_TIMESTAMP))));
    ERRS(0);
    expect_err(hour(at(col("s"), 1, 6)), "hour expects a TIMESTAMP argument, got VARCHAR", 1, 1);
    expect_err(hour(ls("2026-01-01T00:00:00Z")), "hour expects a TIMESTAMP argument, got VARCHAR", 1, 1);
    expect_err(call("hour", 0), "function hour expects 1 argument, got 0", 1, 1);
}

static void test_count_char(void)
{
    I(ev(call("count_char", 2, ls("abcabcc"), ls("c"))), 3);
    I(ev(call("count_char", 2, ls(""), ls("c"))), 0);
    I(ev(call("count_char", 2, ls("xyz"), ls("c"))), 0);
    I(ev(call("count_char", 2, ls("ccC"), ls("C"))), 1); /* case-sensitive */
    I(ev(call("count_char", 2, col("s"), ls("l"))), 2);  /* 'héllo' */
    I(ev(call("count_char", 2, col("s"), ls("é"))), 1);
    I(ev(call("count_char", 2, ls("日本日本日"), ls("日"))), 3);
    I(ev(call("count_char", 2, ls("é\xc3"), ls("\xc3"))), 1); /* a stray byte is one code point */
    I(ev(call("count_char", 2, col("s"), dyn("h"))), 1);
    N(ev(call("count_char", 2, col("ns"), ls("c"))));
    N(ev(call("count_char", 2, col("s"), lnull())));
    ERRS(0);
    /* a character computed per row that is not one character */
    N(ev(call("count_char", 2, col("s"), dyn("ll"))));
    ERRS(1);
    N(ev(call("count_char", 2, col("s"), dyn(""))));
    ERRS(1);
    expect_err(call("count_char", 2, col("s"), at(ls("cc"), 3, 14)), "count_char expects a single character, got 'cc'", 3, 14);
    expect_err(call("count_char", 2, col("s"), at(ls(""), 2, 9)), "count_char expects a single character, got ''", 2, 9);
    expect_err(call("count_char", 2, col("a"), ls("c")), "count_char expects VARCHAR arguments, got BIGINT", 1, 1);
}

static ed_ast *split(ed_ast *s, const char *d, int64_t i) { return call("split_index", 3, s, ls(d), li(i)); }

static void test_split_index(void)
{
    const char *url = "https://www.nexmark.com/abc/de_f/ghi/item.htm?query=1";
    S(ev(split(ls(url), "/", 0)), "https:");
    S(ev(split(ls(url), "/", 1)), "");
    S(ev(split(ls(url), "/", 2)), "www.nexmark.com");
    S(ev(split(ls(url), "/", 3)), "abc");
    S(ev(split(ls(url), "/", 4)), "de_f");
    S(ev(split(ls(url), "/", 5)), "ghi");
    S(ev(split(ls(url), "/", 6)), "item.htm?query=1");
    N(ev(split(ls(url), "/", 7)));
    N(ev(split(ls(url), "/", -1)));
    N(ev(split(ls(url), "/", INT64_MAX)));
    N(ev(split(ls(url), "/", INT64_MIN)));
    S(ev(split(ls("a,b,c"), ",", 2)), "c");
    S(ev(split(ls("abc"), ",", 0)), "abc"); /* no delimiter: one field */
    N(ev(split(ls("abc"), ",", 1)));
    S(ev(split(ls(""), ",", 0)), "");
    N(ev(split(ls(""), ",", 1)));
    S(ev(split(ls("a,"), ",", 1)), "");
    S(ev(split(ls(",a"), ",", 0)), "");
    S(ev(split(ls("a::b::c"), "::", 1)), "b");     /* whole-string delimiter */
    S(ev(split(ls("a:b::c"), "::", 0)), "a:b");
    S(ev(split(ls("aaa"), "aa", 1)), "a");         /* non-overlapping, left to right */
    S(ev(split(col("s"), "é", 1)), "llo");         /* héllo */
    S(ev(split(ls("日本|語"), "|", 1)), "語");
    N(ev(call("split_index", 3, col("ns"), ls("/"), li(0))));
    N(ev(call("split_index", 3, col("s"), lnull(), li(0))));
    N(ev(call("split_index", 3, col("s"), ls("/"), col("n"))));
    ERRS(0);
    N(ev(split(col("s"), "", 0)));                 /* empty delimiter */
    ERRS(1);
    expect_err(call("split_index", 3, col("s"), ls("/"), ls("1")), "split_index index must be BIGINT, got VARCHAR", 1, 1);
    expect_err(call("split_index", 2, col("s"), ls("/")), "function split_index expects 3 arguments, got 2", 1, 1);
}

static ed_ast *rx(ed_ast *s, ed_ast *p, int64_t g) { return call("regexp_extract", 3, s, p, li(g)); }

static void test_regexp_extract(void)
{
    const char *q21 = "(&|^)channel_id=([^&]*)";
    S(ev(rx(ls("https://www.nexmark.com/a/b/c/item.htm?query=1&channel_id=1234"), ls(q21), 2)), "1234");
    S(ev(rx(ls("channel_id=7&x=1"), ls(q21), 2)), "7");    /* ^ inside the group */
    S(ev(rx(ls("a=1&channel_id=&b=2"), ls(q21), 2)), "");  /* matched an empty group: '' */
    S(ev(rx(ls("a=1&channel_id=9"), ls(q21), 1)), "&");
    S(ev(rx(ls("channel_id=9"), ls(q21), 1)), "");
    N(ev(rx(ls("xchannel_id=9"), ls(q21), 2)));           /* no match */
    N(ev(rx(ls("https://www.nexmark.com/a/b/c/item.htm?query=1"), ls(q21), 2)));
    S(ev(call("regexp_extract", 2, ls("foo123bar"), ls("[0-9]+"))), "123"); /* default group 0 */
    S(ev(rx(ls("foo123bar"), ls("[0-9]+"), 0)), "123");
    S(ev(rx(ls("foothebar"), ls("foo(.*)(bar)"), 2)), "bar");
    S(ev(rx(ls("xyz"), ls("a*"), 0)), "");               /* empty match at 0 */
    N(ev(rx(ls("b"), ls("(a)|(b)"), 1)));                /* group did not take part */
    S(ev(rx(ls("b"), ls("(a)|(b)"), 2)), "b");
    S(ev(rx(ls("abcd"), ls("(a|ab)(c|bcd)"), 0)), "abcd"); /* POSIX: leftmost, then longest (Perl: abc) */
    S(ev(rx(col("s"), ls("h(.*)o"), 1)), "éll");         /* bytes; whole code points here */
    S(ev(rx(ls("Key=Value"), ls("([[:upper:]][[:lower:]]+)=([[:alpha:]]+)"), 2)), "Value");
    S(ev(rx(ls("a\nb"), ls("a.b"), 0)), "a\nb");
    S(ev(rx(ls("k1=v1;k2=v2;k3=v3;k4=v4;k5=v5;k6=v6"),
            ls("k1=(v1);k2=(v2);k3=(v3);k4=(v4);k5=(v5);k6=(v6)(;)?(x)?(y)?(z)?(w)?(.*)"), 6)), "v6");
    N(ev(rx(ls("k1=v1;k2=v2;k3=v3;k4=v4;k5=v5;k6=v6"),
            ls("k1=(v1);k2=(v2);k3=(v3);k4=(v4);k5=(v5);k6=(v6)(;)?(x)?(y)?(z)?(w)?(.*)"), 11)));
    N(ev(rx(col("ns"), ls("a"), 0)));
    N(ev(rx(col("s"), lnull(), 0)));
    N(ev(call("regexp_extract", 3, col("s"), ls("(h)"), col("n"))));
    ERRS(0);
    /* patterns and groups computed per row */
    S(ev(rx(col("s"), dyn("l+"), 0)), "ll");
    S(ev(call("regexp_extract", 3, col("s"), ls("(h)(é)"), bin(AST_OP_SUB, col("a"), li(8)))), "é");
    ERRS(0);
    N(ev(rx(col("s"), dyn("(h"), 1)));                   /* bad pattern at run time */
    ERRS(1);
    N(ev(call("regexp_extract", 3, col("s"), ls("(h)"), col("a")))); /* group 10 of 1 */
    ERRS(1);
    N(ev(call("regexp_extract", 3, col("s"), dyn("(h)"), neg(col("a")))));
    ERRS(1);
    /* compile-time errors at the pattern or the group */
    expect_err(rx(col("s"), at(ls("(ab"), 2, 21), 1), "invalid regular expression '(ab': Unmatched ( or \\(", 2, 21);
    expect_err(rx(col("s"), at(ls("a{2,1}"), 1, 30), 0), "invalid regular expression 'a{2,1}': Invalid content of \\{\\}", 1,
               30);
    expect_err(rx(col("s"), ls("(a)(b)"), 3), "regexp_extract group 3 is out of range: the pattern has 2 groups", 1, 1);
    expect_err(call("regexp_extract", 3, col("s"), ls("(a)"), at(li(2), 4, 40)),
               "regexp_extract group 2 is out of range: the pattern has 1 group", 4, 40);
    expect_err(call("regexp_extract", 3, col("s"), dyn("a"), at(li(-1), 1, 9)), "regexp_extract group must be >= 0, got -1",
               1, 9);
    expect_err(call("regexp_extract", 2, col("a"), ls("a")), "regexp_extract expects a VARCHAR string, got BIGINT", 1, 1);
    expect_err(call("regexp_extract", 2, col("s"), li(1)), "regexp_extract expects a VARCHAR pattern, got BIGINT", 1, 1);
    expect_err(call("regexp_extract", 3, col("s"), ls("a"), ls("1")), "regexp_extract group must be BIGINT, got VARCHAR", 1, 1);
    /* a prepared call site inside an expression that then fails to compile is released */
    expect_err(bin(AST_OP_ADD, rx(col("s"), ls("(h)"), 1), li(1)), "operator + cannot be applied to VARCHAR and BIGINT", 1, 1);

    char buf[256];
    explain(rx(col("s"), ls(q21), 2), buf, sizeof buf);
    CHECK(!strcmp(buf, "regexp_extract(s, '(&|^)channel_id=([^&]*)', 2)"), "%s", buf);

    /* one program, many rows: the compiled pattern is reused */
    ed_error err = {0};
    ed_expr *e = ed_expr_compile(rx(col("s"), ls("^(.)(.*)$"), 1), &t_resolver, &err);
    CHECK(e != NULL, "%s", err.msg);
    for (int i = 0; e && i < 1000; i++) {
        ed_value v = ed_expr_eval(e, t_row, &t_ctx);
        if (!v_str(v, "h")) {
            CHECK(false, "row %d: %s", i, show(v));
            break;
        }
    }
    CHECK(t_ctx.state == NULL, "the caller's ctx is not changed");
    ed_expr_free(e);
}

/* A UDF with prepare(): the state reaches call() through ctx->state. */
static int released;
static ed_type tag_check(const ed_type *a, int n, char *err, size_t len) { (void)a, (void)n, (void)err, (void)len; return ED_BIGINT; }
static int tag_prepare(ed_fn_site *site, void **state, char *err, size_t len)
{
    if (!site->is_const[0]) return 0;
    if (site->consts[0].u.i < 0) {
        site->err_arg = 0;
        snprintf(err, len, "tag must be >= 0");
        return -1;
    }
    int64_t *k = malloc(sizeof *k);
    *k = site->consts[0].u.i * 100;
    *state = k;
    return 0;
}
static void tag_release(void *state)
{
    released++;
    free(state);
}
static ed_value tag_call(const ed_value *a, int n, ed_fn_ctx *ctx)
{
    (void)n;
    return ed_v_int(ctx->state ? *(const int64_t *)ctx->state : -a[0].u.i);
}

static void test_prepare_hook(void)
{
    ed_scalar_fn tag = {.name = "tag", .min_args = 1, .max_args = 1, .check = tag_check, .call = tag_call,
                        .prepare = tag_prepare, .release = tag_release};
    ed_scalar_fn bad = tag;
    bad.name = "tag2";
    bad.prepare = NULL;
    CHECK(ed_registry_add_scalar(&bad) == -1, "release without prepare rejected");
    CHECK(ed_registry_add_scalar(&tag) == 0, "add tag");
    I(ev(call("tag", 1, li(3))), 300);                    /* constant: prepared */
    CHECK(released == 1, "released %d", released);
    I(ev(call("tag", 1, bin(AST_OP_ADD, li(1), li(2)))), 300); /* folded to a constant first */
    I(ev(call("tag", 1, col("a"))), -10);                 /* per row: no state */
    I(ev(bin(AST_OP_ADD, call("tag", 1, li(1)), call("tag", 1, li(2)))), 300); /* two sites */
    CHECK(released == 4, "released %d", released);
    expect_err(call("tag", 1, at(li(-4), 2, 5)), "tag must be >= 0", 2, 5);
    expect_err(bin(AST_OP_ADD, call("tag", 1, li(1)), ls("x")), "operator + cannot be applied to BIGINT and VARCHAR", 1, 1);
    CHECK(released == 5, "released after a failed compile: %d", released);
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

    test_hour();
    test_count_char();
    test_split_index();
    test_regexp_extract();
    test_prepare_hook();

    ed_arena_free(t_ctx.arena);
    printf("%d checks, %d failures\n", t_checks, t_failures);
    return t_failures ? 1 : 0;
}
