/* expr_cast.c — CAST semantics between all SQL types. Failures at run time
 * (a string that is not a number, a DOUBLE out of BIGINT range) give NULL and
 * bump eval_errors; impossible casts are rejected at compile time. */
#include "expr_impl.h"
#include "../udf/fn_util.h"
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool ed_cast_allowed(ed_type from, ed_type to)
{
    if (from == ED_NULL || from == to || to == ED_VARCHAR || from == ED_VARCHAR) return true;
    switch (to) {
    case ED_BOOL: return from == ED_BIGINT;
    case ED_BIGINT: return from == ED_BOOL || from == ED_DOUBLE || from == ED_TIMESTAMP || from == ED_INTERVAL;
    case ED_DOUBLE: return from == ED_BOOL || from == ED_BIGINT;
    case ED_TIMESTAMP: return from == ED_BIGINT;
    case ED_INTERVAL: return from == ED_BIGINT;
    default: return false;
    }
}

static ed_value fail(ed_fn_ctx *ctx)
{
    ed_bump(ctx->eval_errors);
    return ed_v_null();
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Whole string (surrounding blanks allowed) must be a decimal integer. */
static bool parse_int(const char *s, size_t n, int64_t *out)
{
    size_t i = 0;
    while (i < n && is_space(s[i])) i++;
    while (n > i && is_space(s[n - 1])) n--;
    bool neg = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    if (i == n) return false;
    int64_t v = 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        int d = s[i] - '0';
        /* accumulate negatively so INT64_MIN parses */
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_sub_overflow(v, d, &v)) return false;
    }
    if (!neg) {
        if (v == INT64_MIN) return false;
        v = -v;
    }
    *out = v;
    return true;
}

static bool parse_double(const char *s, size_t n, double *out)
{
    char buf[128];
    while (n && is_space(*s)) s++, n--;
    while (n && is_space(s[n - 1])) n--;
    if (n == 0 || n >= sizeof buf) return false;
    memcpy(buf, s, n);
    buf[n] = 0;
    char *end;
    errno = 0;
    double d = strtod(buf, &end);
    if (end != buf + n || errno == ERANGE) return false;
    *out = d;
    return true;
}

static ed_value from_string(ed_value v, ed_type t, ed_fn_ctx *ctx)
{
    const char *s = v.u.s;
    size_t n = v.len;
    switch (t) {
    case ED_BOOL:
        while (n && is_space(*s)) s++, n--;
        while (n && is_space(s[n - 1])) n--;
        if (n == 4 && !strncasecmp(s, "true", 4)) return ed_v_bool(true);
        if (n == 5 && !strncasecmp(s, "false", 5)) return ed_v_bool(false);
        return fail(ctx);
    case ED_BIGINT:
    case ED_INTERVAL: {
        int64_t i;
        if (!parse_int(s, n, &i)) return fail(ctx);
        ed_value r = ed_v_int(i);
        r.type = (uint8_t)t;
        return r;
    }
    case ED_DOUBLE: {
        double d;
        if (!parse_double(s, n, &d)) return fail(ctx);
        return ed_v_double(d);
    }
    case ED_TIMESTAMP: {
        int64_t ms;
        if (ed_ts_parse(s, n, &ms) != 0) return fail(ctx);
        return ed_v_ts(ms);
    }
    default: return fail(ctx);
    }
}

ed_value ed_value_cast(ed_value v, ed_type t, ed_fn_ctx *ctx)
{
    if (v.type == ED_NULL || v.type == t) return v;
    if (t == ED_VARCHAR) return ed_value_to_text(v, ctx->arena);
    if (v.type == ED_VARCHAR) return from_string(v, t, ctx);
    ed_value r;
    switch (t) {
    case ED_BOOL:
        if (v.type == ED_BIGINT) return ed_v_bool(v.u.i != 0);
        if (v.type == ED_DOUBLE) return ed_v_bool(v.u.d != 0);
        break;
    case ED_BIGINT:
        if (v.type == ED_BOOL) return ed_v_int(v.u.b);
        if (v.type == ED_DOUBLE) {
            /* truncation toward zero; NaN and out-of-range fail */
            double d = trunc(v.u.d);
            if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) return fail(ctx);
            return ed_v_int((int64_t)d);
        }
        return ed_v_int(v.u.i); /* TIMESTAMP epoch ms, INTERVAL ms */
    case ED_DOUBLE:
        if (v.type == ED_BOOL) return ed_v_double(v.u.b);
        return ed_v_double((double)v.u.i);
    case ED_TIMESTAMP:
    case ED_INTERVAL:
        if (v.type == ED_BIGINT || v.type == ED_TIMESTAMP || v.type == ED_INTERVAL) {
            r = ed_v_int(v.u.i);
            r.type = (uint8_t)t;
            return r;
        }
        break;
    default: break;
    }
    return fail(ctx);
}
