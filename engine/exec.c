/* exec.c — statement execution: each parsed statement is checked completely
 * before it changes the catalog, so a failing statement changes nothing.
 * Execution of a submission stops at the first failing statement. */
#include "internal.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct exec_ctx {
    ed_engine *e;
    const char *text;
    size_t len;
    json_t *results;
} exec_ctx;

static const char *stmt_name(const ed_stmt *st)
{
    switch (st->kind) {
    case ST_CREATE_STREAM: return "CREATE STREAM";
    case ST_CREATE_SINK: return "CREATE SINK";
    case ST_CREATE_QUERY: return "CREATE QUERY";
    case ST_DROP: return st->object == OBJ_STREAM ? "DROP STREAM" : st->object == OBJ_SINK ? "DROP SINK" : "DROP QUERY";
    case ST_SHOW: return "SHOW";
    case ST_DESCRIBE: return "DESCRIBE";
    case ST_EXPLAIN: return "EXPLAIN";
    case ST_SELECT: return "SELECT";
    }
    return "?";
}

static json_t *error_json(exec_ctx *x, const char *stmt, const ed_error *err)
{
    ed_sb sb = ED_SB_INIT;
    ed_error_render(x->text, x->len, err, &sb);
    json_t *o = json_pack("{s:b,s:s,s:s,s:i,s:i,s:s}", "ok", 0, "statement", stmt ? stmt : "", "error", err->msg, "line",
                          err->line, "column", err->col, "detail", sb.buf ? sb.buf : err->msg);
    ed_sb_free(&sb);
    return o;
}

static json_t *ok_json(const char *stmt, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static json_t *ok_json(const char *stmt, const char *name, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *o = json_pack("{s:b,s:s,s:s}", "ok", 1, "statement", stmt, "message", msg);
    if (name) json_object_set_new(o, "name", json_string(name));
    return o;
}

static char *stmt_sql(exec_ctx *x, const ed_stmt *st)
{
    if (st->text_offset < 0 || (size_t)st->text_offset + (size_t)st->text_len > x->len) return ed_xstrdup("");
    return ed_xstrndup(x->text + st->text_offset, (size_t)st->text_len);
}

/* Durations in options: INTERVAL literal (ms), a number (ms), or '5s',
 * '500ms', '2m', '1h', '1d', '5 seconds'. Returns -1 if malformed. */
static int64_t parse_duration(const ed_option *o)
{
    if (o->value_kind == OPT_INTERVAL || o->value_kind == OPT_NUMBER) {
        char *end;
        long long v = strtoll(o->value, &end, 10);
        return *end || v < 0 ? -1 : v;
    }
    const char *s = o->value;
    char *end;
    double v = strtod(s, &end);
    if (end == s || v < 0) return -1;
    while (*end == ' ') end++;
    char unit[16] = {0};
    for (int i = 0; end[i] && i < 15; i++) unit[i] = (char)tolower((unsigned char)end[i]);
    static const struct { const char *u; double ms; } U[] = {
        {"", 1}, {"ms", 1}, {"millisecond", 1}, {"milliseconds", 1}, {"s", 1000}, {"sec", 1000}, {"second", 1000},
        {"seconds", 1000}, {"m", 60000}, {"min", 60000}, {"minute", 60000}, {"minutes", 60000}, {"h", 3600000},
        {"hour", 3600000}, {"hours", 3600000}, {"d", 86400000}, {"day", 86400000}, {"days", 86400000}};
    for (size_t i = 0; i < sizeof U / sizeof U[0]; i++)
        if (!strcmp(unit, U[i].u)) return (int64_t)(v * U[i].ms);
    return -1;
}

static ed_kv *copy_opts(const ed_stmt *st)
{
    ed_kv *kv = ed_xcalloc((size_t)st->nopts + 1, sizeof(ed_kv));
    for (int i = 0; i < st->nopts; i++) {
        kv[i].key = ed_xstrdup(st->opts[i].key);
        kv[i].value = ed_xstrdup(st->opts[i].value);
    }
    return kv;
}

static int check_opts_common(const ed_stmt *st, const char *what, ed_error *err)
{
    for (int i = 0; i < st->nopts; i++)
        for (int k = 0; k < i; k++)
            if (!strcmp(st->opts[i].key, st->opts[k].key)) {
                ed_error_set(err, st->opts[i].pos, "option '%s' is given twice", st->opts[i].key);
                return -1;
            }
    for (int i = 0; i < st->nopts; i++)
        if (!strcmp(st->opts[i].key, "connector")) return 0;
    ed_error_set(err, st->name_pos, "%s '%s' needs a connector: WITH (connector = '...')", what, st->name);
    return -1;
}

static const ed_option *find_opt(const ed_stmt *st, const char *key)
{
    for (int i = 0; i < st->nopts; i++)
        if (!strcmp(st->opts[i].key, key)) return &st->opts[i];
    return NULL;
}

static void append_ptr(void ***arr, int *n, void *p)
{
    *arr = ed_xrealloc(*arr, sizeof(void *) * (size_t)(*n + 1));
    (*arr)[(*n)++] = p;
}

static int create_stream(exec_ctx *x, const ed_stmt *st, ed_error *err, json_t **res)
{
    ed_engine *e = x->e;
    if (ed_engine_stream(e, st->name)) {
        if (st->if_not_exists) {
            *res = ok_json("CREATE STREAM", st->name, "stream %s already exists", st->name);
            return 0;
        }
        ed_error_set(err, st->name_pos, "stream '%s' already exists", st->name);
        return -1;
    }
    if (st->ncols == 0) {
        ed_error_set(err, st->name_pos, "stream '%s' needs at least one column", st->name);
        return -1;
    }
    for (int i = 0; i < st->ncols; i++) {
        for (int k = 0; k < i; k++)
            if (!strcmp(st->cols[i].name, st->cols[k].name)) {
                ed_error_set(err, st->cols[i].pos, "column '%s' is declared twice", st->cols[i].name);
                return -1;
            }
        if (!strcmp(st->cols[i].name, "window_start") || !strcmp(st->cols[i].name, "window_end")) {
            ed_error_set(err, st->cols[i].pos, "'%s' is reserved for window bounds; rename the column", st->cols[i].name);
            return -1;
        }
    }
    int ts_col = -1;
    int64_t delay = 0;
    if (st->wm_col) {
        for (int i = 0; i < st->ncols; i++)
            if (!strcmp(st->cols[i].name, st->wm_col)) ts_col = i;
        if (ts_col < 0) {
            ed_error_set(err, st->wm_pos, "WATERMARK FOR names unknown column '%s'", st->wm_col);
            return -1;
        }
        if (st->cols[ts_col].type != ED_TIMESTAMP) {
            ed_error_set(err, st->wm_pos, "WATERMARK column '%s' must be TIMESTAMP, not %s", st->wm_col,
                   ed_type_name(st->cols[ts_col].type));
            return -1;
        }
        const ed_ast *w = st->wm_expr;
        if (w && w->kind == AST_COLUMN && !strcmp(w->str, st->wm_col)) {
            delay = 0;
        } else if (w && w->kind == AST_BINARY && w->op == AST_OP_SUB && w->args[0]->kind == AST_COLUMN &&
                   !strcmp(w->args[0]->str, st->wm_col) && w->args[1]->kind == AST_INTERVAL && w->args[1]->ival >= 0) {
            delay = w->args[1]->ival;
        } else {
            ed_error_set(err, w ? w->pos : st->wm_pos, "WATERMARK must be '%s' or '%s - INTERVAL ...' with a non-negative interval",
                   st->wm_col, st->wm_col);
            return -1;
        }
    }
    if (check_opts_common(st, "stream", err)) return -1;
    const ed_option *o;
    size_t max_bytes = 1024 * 1024;
    int64_t idle = 0;
    if ((o = find_opt(st, "format")) && strcmp(o->value, "json") != 0) {
        ed_error_set(err, o->value_pos, "unsupported format '%s' (supported: json)", o->value);
        return -1;
    }
    if ((o = find_opt(st, "max_event_bytes"))) {
        char *end;
        long long v = strtoll(o->value, &end, 10);
        if (*end || v <= 0 || v > (1LL << 30)) {
            ed_error_set(err, o->value_pos, "max_event_bytes must be a positive number of bytes (at most 1 GiB)");
            return -1;
        }
        max_bytes = (size_t)v;
    }
    if ((o = find_opt(st, "idle_timeout"))) {
        idle = parse_duration(o);
        if (idle <= 0) {
            ed_error_set(err, o->value_pos, "idle_timeout must be a positive duration, e.g. INTERVAL '5' SECOND or '5s'");
            return -1;
        }
    }
    ed_stream_def *s = ed_xcalloc(1, sizeof *s);
    s->name = ed_xstrdup(st->name);
    s->schema.ncols = st->ncols;
    s->schema.cols = ed_xcalloc((size_t)st->ncols, sizeof(ed_column));
    for (int i = 0; i < st->ncols; i++) {
        s->schema.cols[i].name = ed_xstrdup(st->cols[i].name);
        s->schema.cols[i].type = st->cols[i].type;
    }
    s->ts_col = ts_col;
    s->wm_delay_ms = delay;
    s->idle_timeout_ms = idle;
    s->max_event_bytes = max_bytes;
    s->opts = copy_opts(st);
    s->nopts = st->nopts;
    s->connector = ed_kv_get(s->opts, s->nopts, "connector");
    s->format = ed_kv_get(s->opts, s->nopts, "format");
    if (!s->format) s->format = "json";
    s->dead_letter = ed_kv_get(s->opts, s->nopts, "dead_letter");
    s->sql = stmt_sql(x, st);
    s->watermark = ED_TS_MIN;
    s->max_event_time = ED_TS_MIN;
    s->wm_at_last_event = ED_TS_MIN;
    char msg[400] = "";
    if (e->ops.source_open && e->ops.source_open(e->host, s, msg, sizeof msg) != 0) {
        ed_error_set(err, st->pos, "cannot start stream '%s': %s", st->name, msg[0] ? msg : "connector failed");
        ed_stream_free(s);
        return -1;
    }
    append_ptr((void ***)&e->streams, &e->nstreams, s);
    *res = ok_json("CREATE STREAM", s->name, "created stream %s", s->name);
    return 0;
}

static ed_sink_def *new_sink(const char *name, ed_kv *opts, int nopts, char *sql)
{
    ed_sink_def *s = ed_xcalloc(1, sizeof *s);
    s->name = ed_xstrdup(name);
    s->opts = opts;
    s->nopts = nopts;
    s->connector = ed_kv_get(opts, nopts, "connector");
    s->sql = sql;
    return s;
}

static int create_sink(exec_ctx *x, const ed_stmt *st, ed_error *err, json_t **res)
{
    ed_engine *e = x->e;
    if (ed_engine_sink(e, st->name)) {
        if (st->if_not_exists) {
            *res = ok_json("CREATE SINK", st->name, "sink %s already exists", st->name);
            return 0;
        }
        ed_error_set(err, st->name_pos, "sink '%s' already exists", st->name);
        return -1;
    }
    if (check_opts_common(st, "sink", err)) return -1;
    const ed_option *o;
    if ((o = find_opt(st, "format")) && strcmp(o->value, "json") != 0) {
        ed_error_set(err, o->value_pos, "unsupported format '%s' (supported: json)", o->value);
        return -1;
    }
    ed_sink_def *s = new_sink(st->name, copy_opts(st), st->nopts, stmt_sql(x, st));
    char msg[400] = "";
    if (e->ops.sink_open && e->ops.sink_open(e->host, s, msg, sizeof msg) != 0) {
        ed_error_set(err, st->pos, "cannot open sink '%s': %s", st->name, msg[0] ? msg : "connector failed");
        ed_sink_free(s);
        return -1;
    }
    append_ptr((void ***)&e->sinks, &e->nsinks, s);
    *res = ok_json("CREATE SINK", s->name, "created sink %s", s->name);
    return 0;
}

static const char *suggest_name(ed_engine *e, const char *name, ed_object_kind kind)
{
    int n = kind == OBJ_STREAM ? e->nstreams : kind == OBJ_SINK ? e->nsinks : e->nqueries;
    const char **c = ed_xcalloc((size_t)n + 1, sizeof(char *));
    for (int i = 0; i < n; i++)
        c[i] = kind == OBJ_STREAM ? e->streams[i]->name : kind == OBJ_SINK ? e->sinks[i]->name : e->queries[i]->name;
    const char *r = ed_suggest(name, c, n);
    free(c);
    return r;
}

static void unknown(ed_engine *e, ed_error *err, ed_pos pos, const char *what, const char *name, ed_object_kind kind)
{
    const char *hint = suggest_name(e, name, kind);
    if (hint) ed_error_set(err, pos, "unknown %s '%s' (did you mean '%s'?)", what, name, hint);
    else ed_error_set(err, pos, "unknown %s '%s'", what, name);
}

static ed_plan *plan_select(exec_ctx *x, const ed_select *sel, ed_error *err)
{
    ed_stream_def *s = ed_engine_stream(x->e, sel->from);
    if (!s) {
        unknown(x->e, err, sel->from_pos, "stream", sel->from, OBJ_STREAM);
        return NULL;
    }
    return ed_plan_build(x->e, sel, s, err);
}

static ed_query *add_query(ed_engine *e, const char *name, char *sql, ed_plan *p, ed_sink_def *sink)
{
    ed_query *q = ed_xcalloc(1, sizeof *q);
    q->name = ed_xstrdup(name);
    q->sql = sql;
    q->plan = p;
    q->sink = sink;
    q->engine = e;
    q->fctx.arena = &e->scratch;
    q->fctx.div_by_zero = &q->div_by_zero;
    q->fctx.eval_errors = &q->eval_errors;
    ed_op_init(q);
    /* a query joining a stream mid-way starts at the stream's watermark */
    if (p->stream->watermark != ED_TS_MIN) q->watermark = p->stream->watermark;
    append_ptr((void ***)&e->queries, &e->nqueries, q);
    return q;
}

static int create_query(exec_ctx *x, const ed_stmt *st, ed_error *err, json_t **res)
{
    ed_engine *e = x->e;
    if (ed_engine_query(e, st->name)) {
        if (st->if_not_exists) {
            *res = ok_json("CREATE QUERY", st->name, "query %s already exists", st->name);
            return 0;
        }
        ed_error_set(err, st->name_pos, "query '%s' already exists", st->name);
        return -1;
    }
    ed_sink_def *sink = ed_engine_sink(e, st->sink);
    if (!sink) {
        unknown(e, err, st->sink_pos, "sink", st->sink, OBJ_SINK);
        return -1;
    }
    if (sink->internal) {
        ed_error_set(err, st->sink_pos, "sink '%s' belongs to an ad-hoc SELECT", st->sink);
        return -1;
    }
    ed_plan *p = plan_select(x, st->select, err);
    if (!p) return -1;
    add_query(e, st->name, stmt_sql(x, st), p, sink);
    *res = ok_json("CREATE QUERY", st->name, "created query %s", st->name);
    return 0;
}

static int adhoc_select(exec_ctx *x, const ed_stmt *st, ed_error *err, json_t **res)
{
    ed_engine *e = x->e;
    ed_plan *p = plan_select(x, st->select, err);
    if (!p) return -1;
    char name[32];
    do snprintf(name, sizeof name, "_select_%d", ++e->adhoc_seq);
    while (ed_engine_query(e, name) || ed_engine_sink(e, name));
    ed_kv *kv = ed_xcalloc(2, sizeof(ed_kv));
    kv[0].key = ed_xstrdup("connector");
    kv[0].value = ed_xstrdup("websocket");
    ed_sink_def *sink = new_sink(name, kv, 1, ed_xstrdup(""));
    sink->internal = true;
    char msg[400] = "";
    if (e->ops.sink_open && e->ops.sink_open(e->host, sink, msg, sizeof msg) != 0) {
        ed_error_set(err, st->pos, "cannot open a result sink for the SELECT: %s", msg);
        ed_sink_free(sink);
        ed_plan_free(p);
        return -1;
    }
    append_ptr((void ***)&e->sinks, &e->nsinks, sink);
    add_query(e, name, stmt_sql(x, st), p, sink);
    *res = ok_json("SELECT", name, "started query %s; results on sink %s (ws path /ws/%s)", name, name, name);
    json_object_set_new(*res, "query", json_string(name));
    json_object_set_new(*res, "sink", json_string(name));
    return 0;
}

static int drop(exec_ctx *x, const ed_stmt *st, ed_error *err, json_t **res)
{
    ed_engine *e = x->e;
    const char *sn = stmt_name(st);
    if (st->object == OBJ_QUERY) {
        if (!ed_engine_query(e, st->name)) goto missing;
        char msg[256];
        ed_engine_drop_query(e, st->name, msg, sizeof msg);
        *res = ok_json(sn, st->name, "dropped query %s", st->name);
        return 0;
    }
    if (st->object == OBJ_STREAM) {
        ed_stream_def *s = ed_engine_stream(e, st->name);
        if (!s) goto missing;
        for (int i = 0; i < e->nqueries; i++)
            if (e->queries[i]->plan->stream == s) {
                ed_error_set(err, st->name_pos, "stream '%s' is read by query '%s'; drop the query first", st->name,
                       e->queries[i]->name);
                return -1;
            }
        for (int i = 0; i < e->nstreams; i++)
            if (e->streams[i] == s) {
                memmove(e->streams + i, e->streams + i + 1, sizeof(void *) * (size_t)(e->nstreams - i - 1));
                e->nstreams--;
                break;
            }
        if (e->ops.source_close) e->ops.source_close(e->host, s);
        ed_stream_free(s);
        *res = ok_json(sn, st->name, "dropped stream %s", st->name);
        return 0;
    }
    ed_sink_def *k = ed_engine_sink(e, st->name);
    if (!k) goto missing;
    for (int i = 0; i < e->nqueries; i++)
        if (e->queries[i]->sink == k) {
            ed_error_set(err, st->name_pos, "sink '%s' is written by query '%s'; drop the query first", st->name,
                   e->queries[i]->name);
            return -1;
        }
    for (int i = 0; i < e->nsinks; i++)
        if (e->sinks[i] == k) {
            memmove(e->sinks + i, e->sinks + i + 1, sizeof(void *) * (size_t)(e->nsinks - i - 1));
            e->nsinks--;
            break;
        }
    if (e->ops.sink_close) e->ops.sink_close(e->host, k);
    ed_sink_free(k);
    *res = ok_json(sn, st->name, "dropped sink %s", st->name);
    return 0;
missing:
    if (st->if_exists) {
        *res = ok_json(sn, st->name, "%s does not exist, nothing dropped", st->name);
        return 0;
    }
    unknown(e, err, st->name_pos, st->object == OBJ_STREAM ? "stream" : st->object == OBJ_SINK ? "sink" : "query",
            st->name, st->object);
    return -1;
}

static int describe(exec_ctx *x, const ed_stmt *st, ed_error *err, json_t **res)
{
    ed_engine *e = x->e;
    json_t *obj = NULL;
    const char *kind = NULL;
    ed_stream_def *s;
    ed_sink_def *k;
    ed_query *q;
    if ((s = ed_engine_stream(e, st->name))) obj = ed_stream_json(e, s), kind = "stream";
    else if ((k = ed_engine_sink(e, st->name))) obj = ed_sink_json(e, k), kind = "sink";
    else if ((q = ed_engine_query(e, st->name))) obj = ed_query_json(q, true), kind = "query";
    if (!obj) {
        const char *h = suggest_name(e, st->name, OBJ_STREAM);
        if (!h) h = suggest_name(e, st->name, OBJ_QUERY);
        if (!h) h = suggest_name(e, st->name, OBJ_SINK);
        if (h) ed_error_set(err, st->name_pos, "no stream, sink or query named '%s' (did you mean '%s'?)", st->name, h);
        else ed_error_set(err, st->name_pos, "no stream, sink or query named '%s'", st->name);
        return -1;
    }
    *res = ok_json("DESCRIBE", st->name, "%s %s", kind, st->name);
    json_object_set_new(*res, "kind", json_string(kind));
    json_object_set_new(*res, "object", obj);
    return 0;
}

static int explain(exec_ctx *x, const ed_stmt *st, ed_error *err, json_t **res)
{
    ed_sb sb = ED_SB_INIT;
    if (st->select) {
        ed_plan *p = plan_select(x, st->select, err);
        if (!p) return -1;
        ed_plan_explain(p, NULL, NULL, &sb);
        ed_plan_free(p);
    } else {
        ed_query *q = ed_engine_query(x->e, st->name);
        if (!q) {
            unknown(x->e, err, st->name_pos, "query", st->name, OBJ_QUERY);
            return -1;
        }
        ed_plan_explain(q->plan, q->name, q->sink, &sb);
    }
    *res = ok_json("EXPLAIN", st->name, "plan");
    json_object_set_new(*res, "plan", json_string(sb.buf ? sb.buf : ""));
    ed_sb_free(&sb);
    return 0;
}

static int run_stmt(exec_ctx *x, const ed_stmt *st, ed_error *err, json_t **res)
{
    switch (st->kind) {
    case ST_CREATE_STREAM: return create_stream(x, st, err, res);
    case ST_CREATE_SINK: return create_sink(x, st, err, res);
    case ST_CREATE_QUERY: return create_query(x, st, err, res);
    case ST_DROP: return drop(x, st, err, res);
    case ST_SHOW: {
        static const char *what[] = {"", "streams", "sinks", "queries", "functions"};
        *res = ok_json("SHOW", NULL, "%s", what[st->object]);
        json_object_set_new(*res, "rows", ed_engine_list(x->e, st->object));
        return 0;
    }
    case ST_DESCRIBE: return describe(x, st, err, res);
    case ST_EXPLAIN: return explain(x, st, err, res);
    case ST_SELECT: return adhoc_select(x, st, err, res);
    }
    ed_error_set(err, st->pos, "unsupported statement");
    return -1;
}

json_t *ed_engine_exec(ed_engine *e, const char *text, size_t len)
{
    exec_ctx x = {e, text, len, json_array()};
    ed_arena arena;
    ed_arena_init(&arena, 16384);
    ed_stmt_list list = {0};
    ed_error err = {0};
    err.offset = -1;
    if (ed_parse(text, len, &arena, &list, &err) != 0) {
        json_array_append_new(x.results, error_json(&x, "", &err));
        ed_arena_free(&arena);
        return x.results;
    }
    for (int i = 0; i < list.n; i++) {
        json_t *res = NULL;
        memset(&err, 0, sizeof err);
        err.offset = -1;
        if (run_stmt(&x, list.stmts[i], &err, &res) != 0) {
            json_array_append_new(x.results, error_json(&x, stmt_name(list.stmts[i]), &err));
            break;
        }
        json_array_append_new(x.results, res);
    }
    ed_arena_free(&arena);
    return x.results;
}
