/* options.c — validate connector WITH options against declarative tables,
 * so every connector reports unknown/missing/mistyped options the same way
 * and suggests the nearest valid name. */
#include "conn_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const ed_opt_spec ed_source_common_opts[] = {
    {"connector", EDO_STRING, NULL, true, "source type: tcp, file, generator, kafka"},
    {"format", EDO_STRING, "json", false, "event format; only 'json' (one object per line)"},
    {"max_event_bytes", EDO_INT, "1048576", false, "longest accepted event line, newline excluded"},
    {"dead_letter", EDO_STRING, NULL, false, "file that receives rejected lines with the reason"},
    {"idle_timeout", EDO_STRING, NULL, false, "advance the watermark with the wall clock after this much silence"},
    {NULL, 0, NULL, false, NULL},
};

const ed_opt_spec ed_sink_common_opts[] = {
    {"connector", EDO_STRING, NULL, true, "sink type: stdout, file, websocket"},
    {"format", EDO_STRING, "json", false, "row format; only 'json'"},
    {NULL, 0, NULL, false, NULL},
};

static int lev(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63) return 99;
    int d[64][64];
    for (size_t i = 0; i <= la; i++) d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int m = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < m) m = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < m) m = d[i][j - 1] + 1;
            d[i][j] = m;
        }
    return d[la][lb];
}

static const ed_opt_spec *find(const ed_opt_spec *t, const char *name)
{
    for (; t && t->name; t++)
        if (strcmp(t->name, name) == 0) return t;
    return NULL;
}

static int parse_int(const char *v, long long *out)
{
    char *end;
    if (!v || !*v) return -1;
    long long x = strtoll(v, &end, 10);
    if (*end) return -1;
    *out = x;
    return 0;
}

static int parse_bool(const char *v, bool *out)
{
    if (!v) return -1;
    if (!strcasecmp(v, "true") || !strcmp(v, "1")) { *out = true; return 0; }
    if (!strcasecmp(v, "false") || !strcmp(v, "0")) { *out = false; return 0; }
    return -1;
}

int ed_opts_check(const char *what, const char *connector, const ed_kv *kv, int n, const ed_opt_spec *common,
                  const ed_opt_spec *spec, char *err, size_t errlen)
{
    for (int i = 0; i < n; i++) {
        const ed_opt_spec *o = find(common, kv[i].key);
        if (!o) o = find(spec, kv[i].key);
        if (!o) {
            const char *best = NULL;
            int bd = 99;
            for (int pass = 0; pass < 2; pass++)
                for (const ed_opt_spec *t = pass ? spec : common; t && t->name; t++) {
                    int d = lev(kv[i].key, t->name);
                    /* a truncated or extended name is a near miss too */
                    size_t kl = strlen(kv[i].key), tl = strlen(t->name);
                    if (kl >= 3 && tl >= 3 && !strncmp(kv[i].key, t->name, kl < tl ? kl : tl)) d = d < 2 ? d : 2;
                    if (d < bd) bd = d, best = t->name;
                }
            if (best && bd <= 3)
                snprintf(err, errlen, "unknown option '%s' for %s connector '%s' (did you mean '%s'?)", kv[i].key, what,
                         connector, best);
            else
                snprintf(err, errlen, "unknown option '%s' for %s connector '%s'", kv[i].key, what, connector);
            return -1;
        }
        long long x;
        bool b;
        if (o->type == EDO_INT && parse_int(kv[i].value, &x)) {
            snprintf(err, errlen, "option '%s' must be an integer, got '%s'", o->name, kv[i].value ? kv[i].value : "");
            return -1;
        }
        if (o->type == EDO_INT && x < 0) {
            snprintf(err, errlen, "option '%s' must not be negative", o->name);
            return -1;
        }
        if (o->type == EDO_BOOL && parse_bool(kv[i].value, &b)) {
            snprintf(err, errlen, "option '%s' must be true or false, got '%s'", o->name, kv[i].value ? kv[i].value : "");
            return -1;
        }
    }
    for (const ed_opt_spec *t = spec; t && t->name; t++)
        if (t->required && !ed_kv_get(kv, n, t->name)) {
            snprintf(err, errlen, "%s connector '%s' requires option '%s' (%s)", what, connector, t->name, t->doc);
            return -1;
        }
    const char *fmt = ed_kv_get(kv, n, "format");
    if (fmt && strcasecmp(fmt, "json") != 0) {
        snprintf(err, errlen, "unsupported format '%s' (only 'json' is available)", fmt);
        return -1;
    }
    return 0;
}

const char *ed_opt_str(const ed_kv *kv, int n, const ed_opt_spec *spec, const char *name)
{
    const char *v = ed_kv_get(kv, n, name);
    if (v) return v;
    const ed_opt_spec *o = find(spec, name);
    return o ? o->def : NULL;
}

long long ed_opt_int(const ed_kv *kv, int n, const ed_opt_spec *spec, const char *name)
{
    long long x = 0;
    if (parse_int(ed_opt_str(kv, n, spec, name), &x)) return 0;
    return x;
}

bool ed_opt_bool(const ed_kv *kv, int n, const ed_opt_spec *spec, const char *name)
{
    bool b = false;
    parse_bool(ed_opt_str(kv, n, spec, name), &b);
    return b;
}
