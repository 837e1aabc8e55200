/* fn_regex.c — REGEXP_EXTRACT(s, pattern [, group]) with POSIX extended
 * regular expressions (<regex.h>, glibc). The first match anywhere in s
 * (leftmost, then longest, as POSIX says) gives group `group` (0, the
 * default, is the whole match); no match, or a group that did not take part
 * in it, is NULL. Matching is by bytes (the C locale). A constant pattern is
 * compiled once per call site by prepare(), where a bad pattern or a constant
 * group outside 0..groups is a compile-time error at that argument; a pattern
 * computed per row is compiled per call, and a bad one gives NULL and counts
 * in eval_errors, as does a group out of range. The result points into s. */
#include "fn_util.h"
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ed_type rx_check(const ed_type *args, int nargs, char *err, size_t errlen)
{
    for (int i = 0; i < 2; i++)
        if (args[i] != ED_NULL && args[i] != ED_VARCHAR) {
            snprintf(err, errlen, "regexp_extract expects a VARCHAR %s, got %s", i ? "pattern" : "string",
                     ed_type_name(args[i]));
            return ED_TYPE_COUNT;
        }
    if (nargs == 3 && args[2] != ED_NULL && args[2] != ED_BIGINT) {
        snprintf(err, errlen, "regexp_extract group must be BIGINT, got %s", ed_type_name(args[2]));
        return ED_TYPE_COUNT;
    }
    return ED_VARCHAR;
}

/* Compile p[0..n) into re; 0, or -1 with a message in err. */
static int rx_compile(regex_t *re, const char *p, size_t n, char *err, size_t errlen)
{
    if (memchr(p, '\0', n)) {
        snprintf(err, errlen, "invalid regular expression: it contains a NUL character");
        return -1;
    }
    char *z = ed_xstrndup(p, n);
    int rc = regcomp(re, z, REG_EXTENDED);
    free(z);
    if (rc != 0) {
        char why[128];
        regerror(rc, re, why, sizeof why);
        snprintf(err, errlen, "invalid regular expression '%.*s': %s", n > 60 ? 60 : (int)n, p, why);
        return -1;
    }
    return 0;
}

static int rx_prepare(ed_fn_site *site, void **state, char *err, size_t errlen)
{
    bool kgroup = site->nargs == 3 && site->is_const[2] && site->consts[2].type == ED_BIGINT;
    int64_t group = kgroup ? site->consts[2].u.i : 0;
    if (group < 0) {
        site->err_arg = 2;
        snprintf(err, errlen, "regexp_extract group must be >= 0, got %lld", (long long)group);
        return -1;
    }
    if (!site->is_const[1] || site->consts[1].type != ED_VARCHAR) return 0; /* per row, or always NULL */
    regex_t *re = ed_xmalloc(sizeof *re);
    if (rx_compile(re, site->consts[1].u.s, site->consts[1].len, err, errlen) < 0) {
        free(re);
        site->err_arg = 1;
        return -1;
    }
    if (kgroup && (uint64_t)group > re->re_nsub) {
        snprintf(err, errlen, "regexp_extract group %lld is out of range: the pattern has %zu group%s", (long long)group,
                 re->re_nsub, re->re_nsub == 1 ? "" : "s");
        regfree(re);
        free(re);
        site->err_arg = 2;
        return -1;
    }
    *state = re;
    return 0;
}

static void rx_release(void *state)
{
    regfree(state);
    free(state);
}

static ed_value rx_call(const ed_value *a, int n, ed_fn_ctx *ctx)
{
    const regex_t *re = ctx->state;
    regex_t own;
    if (!re) {
        char why[200];
        if (rx_compile(&own, a[1].u.s, a[1].len, why, sizeof why) < 0) {
            ed_bump(ctx->eval_errors);
            return ed_v_null();
        }
        re = &own;
    }
    int64_t group = n == 3 ? a[2].u.i : 0;
    ed_value r = ed_v_null();
    if (group < 0 || (uint64_t)group > re->re_nsub || a[0].len > INT32_MAX) { /* regoff_t is an int */
        ed_bump(ctx->eval_errors);
    } else {
        regmatch_t small[10];
        size_t nm = (size_t)group + 1;
        regmatch_t *m = nm <= 10 ? small : ed_arena_alloc(ctx->arena, sizeof(regmatch_t) * nm);
        const char *s = a[0].len ? a[0].u.s : "";
        m[0].rm_so = 0; /* REG_STARTEND: the subject is s[0..len), no NUL needed */
        m[0].rm_eo = (regoff_t)a[0].len;
        int rc = regexec(re, s, nm, m, REG_STARTEND);
        if (rc == 0) {
            if (m[group].rm_so >= 0 && m[group].rm_eo >= m[group].rm_so)
                r = ed_v_str(s + m[group].rm_so, (uint32_t)(m[group].rm_eo - m[group].rm_so));
        } else if (rc != REG_NOMATCH) {
            ed_bump(ctx->eval_errors);
        }
    }
    if (re == &own) regfree(&own);
    return r;
}

const ed_scalar_fn ed_builtin_regex[] = {
    {.name = "regexp_extract", .min_args = 2, .max_args = 3, .check = rx_check, .call = rx_call,
     .doc = "regexp_extract(s, pattern [, group]): group (0: whole match) of the first POSIX ERE match, else NULL",
     .prepare = rx_prepare, .release = rx_release},
};
const int ed_builtin_regex_n = (int)(sizeof ed_builtin_regex / sizeof ed_builtin_regex[0]);
