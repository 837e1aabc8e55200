/* fn_string.c — string scalars: LOWER, UPPER (ASCII letters only), LENGTH and
 * SUBSTRING (counting Unicode code points of UTF-8 text), CONCAT,
 * COUNT_CHAR (occurrences of one code point) and SPLIT_INDEX (the n-th field,
 * 0-based, between whole-string delimiters); and the matcher of LIKE ...
 * ESCAPE. */
#include "fn_util.h"
#include <stdio.h>
#include <string.h>

/* LIKE with an escape: `esc` (escn bytes, one code point) makes the code
 * point after it literal. Same greedy backtracking as ed_like_match (engine/
 * expr_eval.c): the last % absorbs one more code point and the rest retries. */
static inline bool at_esc(const char *p, size_t pn, size_t pi, const char *esc, size_t escn)
{
    return pn - pi >= escn && memcmp(p + pi, esc, escn) == 0;
}

int ed_like_pattern_check(const char *p, size_t pn, const char *esc, size_t escn)
{
    for (size_t pi = 0; pi < pn;) {
        if (at_esc(p, pn, pi, esc, escn)) {
            pi += escn;
            if (pi >= pn) return -1;
        }
        pi += ed_utf8_step(p + pi, p + pn);
    }
    return 0;
}

int ed_like_match_esc(const char *s, size_t sn, const char *p, size_t pn, const char *esc, size_t escn)
{
    if (escn == 0 || ed_like_pattern_check(p, pn, esc, escn) < 0) return -1;
    size_t si = 0, pi = 0, star_p = 0, star_s = 0;
    bool star = false;
    const char *se = s + sn, *pe = p + pn;
    while (si < sn) {
        bool matched = false;
        if (pi < pn && at_esc(p, pn, pi, esc, escn)) {
            size_t lit = pi + escn, l = ed_utf8_step(p + lit, pe);
            if (sn - si >= l && memcmp(s + si, p + lit, l) == 0) {
                si += l;
                pi = lit + l;
                matched = true;
            }
        } else if (pi < pn && p[pi] == '%') {
            while (pi < pn && p[pi] == '%' && !at_esc(p, pn, pi, esc, escn)) pi++;
            star = true;
            star_p = pi;
            star_s = si;
            matched = true;
        } else if (pi < pn && p[pi] == '_') {
            si += ed_utf8_step(s + si, se);
            pi++;
            matched = true;
        } else if (pi < pn && p[pi] == s[si]) {
            si++;
            pi++;
            matched = true;
        }
        if (matched) continue;
        if (!star) return 0;
        star_s += ed_utf8_step(s + star_s, se);
        si = star_s;
        pi = star_p;
    }
    while (pi < pn && p[pi] == '%' && !at_esc(p, pn, pi, esc, escn)) pi++;
    return pi == pn;
}

static ed_type str_check(const ed_type *args, int nargs, char *err, size_t errlen)
{
    if (args[0] != ED_NULL && args[0] != ED_VARCHAR) {
        snprintf(err, errlen, "expected a VARCHAR argument, got %s", ed_type_name(args[0]));
        return ED_TYPE_COUNT;
    }
    return ED_VARCHAR;
}

static ed_value map_ascii(const ed_value *a, ed_fn_ctx *ctx, bool up)
{
    char *out = ed_arena_alloc(ctx->arena, a->len + 1);
    for (uint32_t i = 0; i < a->len; i++) {
        char c = a->u.s[i];
        if (up && c >= 'a' && c <= 'z') c = (char)(c - 32);
        else if (!up && c >= 'A' && c <= 'Z') c = (char)(c + 32);
        out[i] = c;
    }
    return ed_v_str(out, a->len);
}

static ed_value lower_call(const ed_value *a, int n, ed_fn_ctx *ctx) { (void)n; return map_ascii(&a[0], ctx, false); }
static ed_value upper_call(const ed_value *a, int n, ed_fn_ctx *ctx) { (void)n; return map_ascii(&a[0], ctx, true); }

static ed_type length_check(const ed_type *args, int nargs, char *err, size_t errlen)
{
    return str_check(args, nargs, err, errlen) == ED_TYPE_COUNT ? ED_TYPE_COUNT : ED_BIGINT;
}

static ed_value length_call(const ed_value *a, int n, ed_fn_ctx *ctx)
{
    (void)n, (void)ctx;
    return ed_v_int(ed_utf8_len(a[0].u.s, a[0].len));
}

static ed_type substring_check(const ed_type *args, int nargs, char *err, size_t errlen)
{
    if (str_check(args, nargs, err, errlen) == ED_TYPE_COUNT) return ED_TYPE_COUNT;
    for (int i = 1; i < nargs; i++)
        if (args[i] != ED_NULL && args[i] != ED_BIGINT) {
            snprintf(err, errlen, "substring positions must be BIGINT, got %s", ed_type_name(args[i]));
            return ED_TYPE_COUNT;
        }
    return ED_VARCHAR;
}

/* SQL: characters at positions [start, start + len) intersected with
 * [1, length]; so start <= 0 eats into len. Negative len is an error. */
static ed_value substring_call(const ed_value *a, int n, ed_fn_ctx *ctx)
{
    int64_t start = a[1].u.i;
    int64_t end = INT64_MAX; /* exclusive, 1-based */
    if (n == 3) {
        if (a[2].u.i < 0) {
            ed_bump(ctx->eval_errors);
            return ed_v_null();
        }
        if (__builtin_add_overflow(start, a[2].u.i, &end)) end = INT64_MAX;
    }
    if (start < 1) start = 1;
    if (end <= start) return ed_v_str("", 0);
    const char *s = a[0].u.s, *e = s + a[0].len, *from = e, *to = e;
    int64_t pos = 1;
    for (const char *p = s; p < e; p += ed_utf8_step(p, e), pos++) {
        if (pos == start) from = p;
        if (pos == end) {
            to = p;
            break;
        }
    }
    if (from >= to) return ed_v_str("", 0);
    return ed_v_str(from, (uint32_t)(to - from));
}

static ed_type concat_check(const ed_type *args, int nargs, char *err, size_t errlen)
{
    (void)args, (void)nargs, (void)err, (void)errlen;
    return ED_VARCHAR;
}

/* PostgreSQL CONCAT: NULL arguments are skipped; other types as text. */
static ed_value concat_call(const ed_value *a, int n, ed_fn_ctx *ctx)
{
    ed_value t[n > 0 ? n : 1];
    size_t total = 0;
    for (int i = 0; i < n; i++) {
        t[i] = ed_value_to_text(a[i], ctx->arena);
        if (t[i].type == ED_VARCHAR) total += t[i].len;
    }
    if (total > UINT32_MAX) {
        ed_bump(ctx->eval_errors);
        return ed_v_null();
    }
    char *out = ed_arena_alloc(ctx->arena, total + 1), *p = out;
    for (int i = 0; i < n; i++)
        if (t[i].type == ED_VARCHAR && t[i].len) {
            memcpy(p, t[i].u.s, t[i].len);
            p += t[i].len;
        }
    return ed_v_str(out, (uint32_t)total);
}

static ed_type count_char_check(const ed_type *args, int nargs, char *err, size_t errlen)
{
    (void)nargs;
    for (int i = 0; i < 2; i++)
        if (args[i] != ED_NULL && args[i] != ED_VARCHAR) {
            snprintf(err, errlen, "count_char expects VARCHAR arguments, got %s", ed_type_name(args[i]));
            return ED_TYPE_COUNT;
        }
    return ED_BIGINT;
}

static bool one_code_point(const ed_value *c)
{
    return c->len > 0 && ed_utf8_step(c->u.s, c->u.s + c->len) == c->len;
}

/* A constant character must be exactly one code point. */
static int count_char_prepare(ed_fn_site *site, void **state, char *err, size_t errlen)
{
    (void)state;
    const ed_value *c = &site->consts[1];
    if (site->is_const[1] && c->type == ED_VARCHAR && !one_code_point(c)) {
        site->err_arg = 1;
        snprintf(err, errlen, "count_char expects a single character, got '%.*s'", c->len > 40 ? 40 : (int)c->len,
                 c->u.s);
        return -1;
    }
    return 0;
}

/* Occurrences of the code point c in s: the code points of s (as
 * ed_utf8_step cuts them) equal to c. An ASCII c is a byte count: ASCII
 * bytes never occur inside a multi-byte sequence. */
static ed_value count_char_call(const ed_value *a, int n, ed_fn_ctx *ctx)
{
    (void)n;
    if (!one_code_point(&a[1])) {
        ed_bump(ctx->eval_errors);
        return ed_v_null();
    }
    const char *s = a[0].u.s, *e = s + a[0].len, *c = a[1].u.s;
    size_t cn = a[1].len;
    int64_t k = 0;
    if (cn == 1 && (unsigned char)c[0] < 0x80) {
        for (const char *p = s; p < e; p++) k += *p == c[0];
        return ed_v_int(k);
    }
    for (const char *p = s; p < e;) {
        size_t l = ed_utf8_step(p, e);
        if (l == cn && memcmp(p, c, cn) == 0) k++;
        p += l;
    }
    return ed_v_int(k);
}

static ed_type split_index_check(const ed_type *args, int nargs, char *err, size_t errlen)
{
    (void)nargs;
    for (int i = 0; i < 2; i++)
        if (args[i] != ED_NULL && args[i] != ED_VARCHAR) {
            snprintf(err, errlen, "split_index expects a VARCHAR %s, got %s", i ? "delimiter" : "string",
                     ed_type_name(args[i]));
            return ED_TYPE_COUNT;
        }
    if (args[2] != ED_NULL && args[2] != ED_BIGINT) {
        snprintf(err, errlen, "split_index index must be BIGINT, got %s", ed_type_name(args[2]));
        return ED_TYPE_COUNT;
    }
    return ED_VARCHAR;
}

/* Fields of s between non-overlapping occurrences of delim (left to right);
 * n delimiters make n + 1 fields, empty ones included. Field `index`
 * (0-based) points into s; past the last field or negative is NULL, and an
 * empty delimiter is NULL counted in eval_errors. */
static ed_value split_index_call(const ed_value *a, int n, ed_fn_ctx *ctx)
{
    (void)n;
    const char *s = a[0].u.s, *d = a[1].u.s;
    size_t sn = a[0].len, dn = a[1].len;
    int64_t index = a[2].u.i;
    if (dn == 0) {
        ed_bump(ctx->eval_errors);
        return ed_v_null();
    }
    if (index < 0) return ed_v_null();
    size_t from = 0;
    for (;;) {
        const char *hit = sn - from >= dn ? memmem(s + from, sn - from, d, dn) : NULL;
        size_t to = hit ? (size_t)(hit - s) : sn;
        if (index-- == 0) return ed_v_str(s + from, (uint32_t)(to - from));
        if (!hit) return ed_v_null();
        from = to + dn;
    }
}

const ed_scalar_fn ed_builtin_string[] = {
    {"lower", 1, 1, false, str_check, lower_call, "lower(s): ASCII letters to lower case", NULL, NULL},
    {"upper", 1, 1, false, str_check, upper_call, "upper(s): ASCII letters to upper case", NULL, NULL},
    {"length", 1, 1, false, length_check, length_call, "length(s): number of Unicode code points", NULL, NULL},
    {"substring", 2, 3, false, substring_check, substring_call,
     "substring(s, start [, len]): code points from 1-based start", NULL, NULL},
    {"concat", 1, -1, true, concat_check, concat_call, "concat(a, b, ...): text of the arguments, NULLs skipped", NULL, NULL},
    {.name = "count_char", .min_args = 2, .max_args = 2, .check = count_char_check, .call = count_char_call,
     .doc = "count_char(s, c): occurrences of the character c in s", .prepare = count_char_prepare},
    {.name = "split_index", .min_args = 3, .max_args = 3, .check = split_index_check, .call = split_index_call,
     .doc = "split_index(s, delim, i): field i (0-based) of s split at delim, NULL past the end"},
};
const int ed_builtin_string_n = (int)(sizeof ed_builtin_string / sizeof ed_builtin_string[0]);
