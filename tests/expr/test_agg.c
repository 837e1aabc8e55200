/* test_agg.c — aggregates through the registry (one state vs two states
 * combined must agree), COUNT DISTINCT with owned strings, heap_bytes, and
 * registry validation of user-defined functions. */
#include "harness.h"
#include <stdlib.h>

#define MAXSTATE 256

typedef struct run {
    const ed_agg_fn *fn;
    _Alignas(16) unsigned char one[MAXSTATE], left[MAXSTATE], right[MAXSTATE];
} run;

/* Feed vals (nargs 1, or 0 for COUNT(*)) to one state, and split at `split`
 * into two states combined afterwards; return both finals. */
static void agg(const char *name, ed_type t, const ed_value *vals, int n, int nargs, int split, ed_value *whole, ed_value *combined,
                size_t *heap)
{
    static run r;
    memset(&r, 0, sizeof r);
    r.fn = ed_registry_agg(name);
    CHECK(r.fn != NULL, "aggregate %s registered", name);
    if (!r.fn) return;
    CHECK(r.fn->state_size <= MAXSTATE, "state size");
    r.fn->init(r.one, t);
    r.fn->init(r.left, t);
    r.fn->init(r.right, t);
    /* string inputs come from a scratch buffer overwritten afterwards, so a
     * state that kept pointers into it would be caught */
    char scratch[64];
    for (int i = 0; i < n; i++) {
        ed_value v = vals[i];
        if (v.type == ED_VARCHAR) {
            memcpy(scratch, v.u.s, v.len);
            v.u.s = scratch;
        }
        r.fn->step(r.one, &v, nargs);
        r.fn->step(i < split ? r.left : r.right, &v, nargs);
        memset(scratch, 'Z', sizeof scratch);
    }
    r.fn->combine(r.left, r.right);
    *whole = r.fn->final(r.one, t_ctx.arena);
    *combined = r.fn->final(r.left, t_ctx.arena);
    if (heap) *heap = r.fn->heap_bytes ? r.fn->heap_bytes(r.one) : 0;
    if (r.fn->destroy) {
        r.fn->destroy(r.one);
        r.fn->destroy(r.left);
        r.fn->destroy(r.right);
    }
}

static bool same(ed_value a, ed_value b)
{
    return a.type == b.type && ed_value_cmp(&a, &b) == 0;
}

#define AGG(name, t, vals, nargs, expect_check)                                                   \
    do {                                                                                          \
        int n_ = (int)(sizeof(vals) / sizeof(vals[0]));                                           \
        for (int split_ = 0; split_ <= n_; split_++) {                                            \
            ed_value w_, c_;                                                                      \
            agg(name, t, vals, n_, nargs, split_, &w_, &c_, NULL);                                \
            CHECK(expect_check(w_), "%s whole: %s", name, show(w_));                              \
            CHECK(same(w_, c_), "%s split %d: combined %s", name, split_, show(c_));              \
        }                                                                                         \
    } while (0)

static ed_value ints[] = {{.type = ED_BIGINT, .u.i = 5}, {.type = ED_NULL}, {.type = ED_BIGINT, .u.i = -2},
                          {.type = ED_BIGINT, .u.i = 9}, {.type = ED_BIGINT, .u.i = 5}};
static ed_value dbls[] = {{.type = ED_DOUBLE, .u.d = 1.5}, {.type = ED_DOUBLE, .u.d = -0.5}, {.type = ED_NULL},
                          {.type = ED_BIGINT, .u.i = 2}};
static ed_value nulls[] = {{.type = ED_NULL}, {.type = ED_NULL}};

static bool is5(ed_value v) { return v_int(v, 5); }
static bool is4(ed_value v) { return v_int(v, 4); }
static bool is3(ed_value v) { return v_int(v, 3); }
static bool is17(ed_value v) { return v_int(v, 17); }
static bool isd3(ed_value v) { return v_dbl(v, 3.0); }
static bool avg_i(ed_value v) { return v_dbl(v, 17.0 / 4); }
static bool avg_d(ed_value v) { return v_dbl(v, 1.0); }
static bool ismin2(ed_value v) { return v_int(v, -2); }
static bool ismax9(ed_value v) { return v_int(v, 9); }
static bool dmin(ed_value v) { return v_dbl(v, -0.5); }
static bool dmax(ed_value v) { return v_dbl(v, 2.0); }
static bool isnul(ed_value v) { return v_null(v); }
static bool is0(ed_value v) { return v_int(v, 0); }
static bool is2(ed_value v) { return v_int(v, 2); }
static bool smin(ed_value v) { return v_str(v, ""); }
static bool smax(ed_value v) { return v_str(v, "été"); }

/* SUM reports its overflow NULL through final_error() (the engine counts
 * it); a NULL for lack of input, or a sum in range, is no error. */
static void sum_final_error(void)
{
    const ed_agg_fn *f = ed_registry_agg("sum");
    _Alignas(16) unsigned char a[MAXSTATE], b[MAXSTATE];
    CHECK(f->final_error != NULL, "sum has final_error");
    if (!f->final_error) return;
    ed_value big = ed_v_int(INT64_MAX), one = ed_v_int(1), nul = ed_v_null(), mone = ed_v_int(-1);
    f->init(a, ED_BIGINT);
    CHECK(!f->final_error(a), "no input: not an error");
    f->step(a, &nul, 1);
    CHECK(!f->final_error(a) && v_null(f->final(a, t_ctx.arena)), "only NULL input");
    f->step(a, &big, 1);
    CHECK(!f->final_error(a), "in range");
    f->step(a, &one, 1);
    CHECK(f->final_error(a) && v_null(f->final(a, t_ctx.arena)), "overflow in step");
    f->step(a, &mone, 1); /* back in range: the NULL sticks (SQL has no wrap-around) */
    CHECK(f->final_error(a) && v_null(f->final(a, t_ctx.arena)), "overflow sticks");
    /* overflow only when two in-range states are combined */
    f->init(a, ED_BIGINT);
    f->init(b, ED_BIGINT);
    f->step(a, &big, 1);
    f->step(b, &one, 1);
    CHECK(!f->final_error(a) && !f->final_error(b), "halves in range");
    f->combine(a, b);
    CHECK(f->final_error(a), "overflow in combine");
    /* and a combined-in state that had overflowed */
    f->init(b, ED_BIGINT);
    f->combine(b, a);
    CHECK(f->final_error(b), "overflow carried by combine");
    /* INTERVAL sums overflow the same way; DOUBLE sums never do */
    ed_value iv = ed_v_int(INT64_MAX);
    iv.type = ED_INTERVAL;
    f->init(a, ED_INTERVAL);
    f->step(a, &iv, 1);
    f->step(a, &iv, 1);
    CHECK(f->final_error(a), "interval overflow");
    ed_value d = ed_v_double(1e308);
    f->init(a, ED_DOUBLE);
    f->step(a, &d, 1);
    f->step(a, &d, 1);
    CHECK(!f->final_error(a), "double sum: inf, not an error");
    /* aggregates without the callback leave it NULL */
    CHECK(ed_registry_agg("count")->final_error == NULL && ed_registry_agg("avg")->final_error == NULL, "optional");
}

void test_aggregates(void)
{
    AGG("count", ED_NULL, ints, 0, is5);       /* COUNT(*) counts NULL rows too */
    AGG("count", ED_BIGINT, ints, 1, is4);
    AGG("count", ED_BIGINT, nulls, 1, is0);
    AGG("sum", ED_BIGINT, ints, 1, is17);
    AGG("sum", ED_DOUBLE, dbls, 1, isd3);
    AGG("sum", ED_BIGINT, nulls, 1, isnul);
    AGG("avg", ED_BIGINT, ints, 1, avg_i);
    AGG("avg", ED_DOUBLE, dbls, 1, avg_d);
    AGG("avg", ED_BIGINT, nulls, 1, isnul);
    AGG("min", ED_BIGINT, ints, 1, ismin2);
    AGG("max", ED_BIGINT, ints, 1, ismax9);
    AGG("min", ED_DOUBLE, dbls, 1, dmin);
    AGG("max", ED_DOUBLE, dbls, 1, dmax);      /* BIGINT input of a DOUBLE column normalised */
    AGG("max", ED_BIGINT, nulls, 1, isnul);
    AGG("count_distinct", ED_BIGINT, ints, 1, is3);
    AGG("count_distinct", ED_BIGINT, nulls, 1, is0);

    ed_value strs[] = {ed_v_str("apple", 5), ed_v_str("été", 5), ed_v_null(), ed_v_str("Zebra", 5),
                       ed_v_str("apple", 5), ed_v_str("", 0), ed_v_str("été", 5)};
    AGG("min", ED_VARCHAR, strs, 1, smin);    /* bytes: "" < "Zebra" < "apple" < "été" */
    AGG("max", ED_VARCHAR, strs, 1, smax);
    AGG("count_distinct", ED_VARCHAR, strs, 1, is4); /* apple, été, Zebra, '' */

    ed_value ts[] = {ed_v_ts(3000), ed_v_ts(1000), ed_v_null(), ed_v_ts(2000)};
    ed_value w, c;
    agg("min", ED_TIMESTAMP, ts, 4, 1, 2, &w, &c, NULL);
    CHECK(w.type == ED_TIMESTAMP && w.u.i == 1000 && same(w, c), "min ts %s", show(w));
    agg("max", ED_TIMESTAMP, ts, 4, 1, 1, &w, &c, NULL);
    CHECK(w.type == ED_TIMESTAMP && w.u.i == 3000 && same(w, c), "max ts %s", show(w));

    /* DOUBLE distinct: 2 (BIGINT) and 2.0 are one value; -0.0 and 0.0 too */
    ed_value dd[] = {ed_v_double(2.0), ed_v_int(2), ed_v_double(0.0), ed_v_double(-0.0)};
    AGG("count_distinct", ED_DOUBLE, dd, 1, is2);

    /* BIGINT sum overflow gives NULL */
    ed_value big[] = {ed_v_int(INT64_MAX), ed_v_int(1)};
    AGG("sum", ED_BIGINT, big, 1, isnul);
    sum_final_error();

    /* heap accounting: a distinct set with strings owns memory */
    size_t heap = 0;
    agg("count_distinct", ED_VARCHAR, strs, 7, 1, 3, &w, &c, &heap);
    CHECK(heap > 0, "count_distinct heap_bytes %zu", heap);
    agg("max", ED_VARCHAR, strs, 7, 1, 3, &w, &c, &heap);
    CHECK(heap >= 5, "max heap_bytes %zu", heap);
    agg("count_distinct", ED_BIGINT, nulls, 2, 1, 1, &w, &c, &heap);
    CHECK(heap == 0, "empty set heap_bytes %zu", heap);

    /* many distinct values: growth keeps every value */
    const ed_agg_fn *cd = ed_registry_agg("count_distinct");
    _Alignas(16) unsigned char st[MAXSTATE], st2[MAXSTATE];
    cd->init(st, ED_BIGINT);
    cd->init(st2, ED_BIGINT);
    for (int i = 0; i < 5000; i++) {
        ed_value v = ed_v_int(i % 1000);
        cd->step(i % 2 ? st : st2, &v, 1);
    }
    cd->combine(st, st2);
    CHECK(v_int(cd->final(st, t_ctx.arena), 1000), "1000 distinct");
    CHECK(cd->heap_bytes(st) >= 1000 * sizeof(uint64_t), "heap grows");
    cd->destroy(st);
    cd->destroy(st2);

    /* fixed-width sets keep 8-byte slots with 0 as the empty mark: the value
     * 0 is kept aside, in either half of a split and through combine;
     * negatives and extremes are ordinary values */
    ed_value z[] = {ed_v_int(0), ed_v_int(-1), ed_v_int(INT64_MIN), ed_v_int(0), ed_v_int(INT64_MAX), ed_v_int(-1)};
    AGG("count_distinct", ED_BIGINT, z, 1, is4);
    ed_value zd[] = {ed_v_double(-0.0), ed_v_double(1.5), ed_v_int(0), ed_v_double(0.0)};
    AGG("count_distinct", ED_DOUBLE, zd, 1, is2);
    /* checkpoint round trip of such a set (with 0): same count, same bytes */
    cd->init(st, ED_BIGINT);
    for (int i = -300; i <= 300; i++) {
        ed_value v = ed_v_int((int64_t)i * 7);
        cd->step(st, &v, 1);
    }
    ed_sb b1 = ED_SB_INIT, b2 = ED_SB_INIT;
    cd->serialize(st, &b1);
    cd->init(st2, ED_BIGINT);
    const unsigned char *rp = (const unsigned char *)b1.buf;
    CHECK(cd->deserialize(st2, &rp, rp + b1.len) == 0 && rp == (const unsigned char *)b1.buf + b1.len, "restore");
    cd->serialize(st2, &b2);
    CHECK(v_int(cd->final(st2, t_ctx.arena), 601) && b1.len == b2.len && memcmp(b1.buf, b2.buf, b1.len) == 0,
          "count_distinct round trip");
    ed_sb_free(&b1);
    ed_sb_free(&b2);
    cd->destroy(st);
    cd->destroy(st2);

    /* aggregate result types from check() */
    char msg[128];
    ed_type t = ED_VARCHAR;
    CHECK(ed_registry_agg("sum")->check(&t, 1, msg, sizeof msg) == ED_TYPE_COUNT, "sum(VARCHAR) rejected");
    CHECK(strstr(msg, "VARCHAR") != NULL, "%s", msg);
    t = ED_BIGINT;
    CHECK(ed_registry_agg("avg")->check(&t, 1, msg, sizeof msg) == ED_DOUBLE, "avg type");
    CHECK(ed_registry_agg("sum")->check(&t, 1, msg, sizeof msg) == ED_BIGINT, "sum type");
    CHECK(ed_registry_agg("count")->check(NULL, 0, msg, sizeof msg) == ED_BIGINT, "count(*) type");
    t = ED_TIMESTAMP;
    CHECK(ed_registry_agg("max")->check(&t, 1, msg, sizeof msg) == ED_TIMESTAMP, "max type");
}

/* A user-defined scalar and aggregate register through the same structs. */
static ed_type twice_check(const ed_type *a, int n, char *err, size_t len)
{
    (void)n, (void)err, (void)len;
    return a[0] == ED_NULL ? ED_BIGINT : a[0];
}
static ed_value twice_call(const ed_value *a, int n, ed_fn_ctx *ctx)
{
    (void)n, (void)ctx;
    return ed_v_int(a[0].u.i * 2);
}
static void noop_init(void *s, ed_type t) { (void)s, (void)t; }
static void noop_step(void *s, const ed_value *a, int n) { (void)s, (void)a, (void)n; }
static void noop_combine(void *d, const void *s) { (void)d, (void)s; }
static ed_value noop_final(const void *s, ed_arena *a) { (void)s, (void)a; return ed_v_int(0); }

void test_registry(void)
{
    ed_registry_builtins(); /* idempotent */
    const char *scalars[] = {"coalesce", "nullif", "abs", "round", "floor", "ceil", "ceiling", "sqrt", "power",
                             "lower", "upper", "length", "substring", "concat", "count_char", "split_index",
                             "hour", "minute", "second", "year", "month", "day", "dayofmonth", "dayofweek",
                             "dayofyear", "date_format", "regexp_extract"};
    for (size_t i = 0; i < sizeof scalars / sizeof *scalars; i++)
        CHECK(ed_registry_scalar(scalars[i]) != NULL, "scalar %s", scalars[i]);
    const char *aggs[] = {"count", "count_distinct", "sum", "avg", "min", "max"};
    for (size_t i = 0; i < sizeof aggs / sizeof *aggs; i++) {
        const ed_agg_fn *g = ed_registry_agg(aggs[i]);
        CHECK(g && g->init && g->step && g->combine && g->final && g->doc, "agg %s", aggs[i]);
    }
    int n = 0;
    while (ed_registry_scalar_at(n)) n++;
    CHECK(n == (int)(sizeof scalars / sizeof *scalars), "scalar count %d", n);
    CHECK(ed_registry_scalar("SQRT") != NULL, "case-insensitive lookup");
    CHECK(ed_registry_scalar("nope") == NULL && ed_registry_agg("nope") == NULL, "unknown");

    ed_scalar_fn twice = {"twice", 1, 1, false, twice_check, twice_call, "twice(x)", NULL, NULL};
    CHECK(ed_registry_add_scalar(&twice) == 0, "add twice");
    CHECK(ed_registry_add_scalar(&twice) == -1, "duplicate rejected");
    ed_scalar_fn dup = {"sum", 1, 1, false, twice_check, twice_call, NULL, NULL, NULL};
    CHECK(ed_registry_add_scalar(&dup) == -1, "name clash with aggregate rejected");
    ed_scalar_fn incomplete = {"broken", 1, 1, false, NULL, twice_call, NULL, NULL, NULL};
    CHECK(ed_registry_add_scalar(&incomplete) == -1, "scalar without check rejected");
    ed_value v = ev(call("twice", 1, col("a")));
    CHECK(v_int(v, 20), "udf call: %s", show(v));
    CHECK(v_null(ev(call("twice", 1, col("n")))), "udf NULL skipped");

    ed_agg_fn g = {"noop", 8, 1, 1, twice_check, noop_init, noop_step, noop_combine, noop_final, NULL, NULL, "noop", NULL, NULL, NULL};
    ed_agg_fn bad = g;
    bad.name = "noop2";
    bad.combine = NULL;
    CHECK(ed_registry_add_agg(&bad) == -1, "aggregate without combine rejected");
    bad.combine = noop_combine;
    bad.final = NULL;
    CHECK(ed_registry_add_agg(&bad) == -1, "aggregate without final rejected");
    bad.final = noop_final;
    bad.init = NULL;
    CHECK(ed_registry_add_agg(&bad) == -1, "aggregate without init rejected");
    CHECK(ed_registry_add_agg(&g) == 0, "add noop");
    CHECK(ed_registry_agg("noop") != NULL, "noop found");
    ed_error e = cerr(call("noop", 1, col("a")));
    CHECK(!strcmp(e.msg, "aggregate function noop is not allowed here"), "%s", e.msg);
}
