/* catalog.c — the engine object: streams, sinks and queries, their lifetimes,
 * JSON views for the control plane, and result emission. */
#include "internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ed_engine *ed_engine_new(const ed_host_ops *ops, void *host_ctx)
{
    ed_registry_builtins();
    ed_engine *e = ed_xcalloc(1, sizeof *e);
    e->ops = *ops;
    e->host = host_ctx;
    ed_arena_init(&e->scratch, 64 * 1024);
    return e;
}

void ed_query_free(ed_query *q)
{
    if (!q) return;
    if (q->op) q->op->free(q);
    ed_plan_free(q->plan);
    free(q->name);
    free(q->sql);
    free(q);
}

static void free_kv(ed_kv *kv, int n)
{
    for (int i = 0; i < n; i++) {
        free(kv[i].key);
        free(kv[i].value);
    }
    free(kv);
}

void ed_stream_free(ed_stream_def *s)
{
    if (!s) return;
    for (int i = 0; i < s->schema.ncols; i++) free(s->schema.cols[i].name);
    free(s->schema.cols);
    free_kv(s->opts, s->nopts);
    free(s->parts);
    free(s->name);
    free(s->sql);
    free(s);
}

void ed_sink_free(ed_sink_def *s)
{
    if (!s) return;
    free_kv(s->opts, s->nopts);
    free(s->name);
    free(s->sql);
    free(s);
}

void ed_engine_free(ed_engine *e)
{
    if (!e) return;
    for (int i = 0; i < e->nqueries; i++) ed_query_free(e->queries[i]);
    for (int i = 0; i < e->nstreams; i++) {
        if (e->ops.source_close) e->ops.source_close(e->host, e->streams[i]);
        ed_stream_free(e->streams[i]);
    }
    for (int i = 0; i < e->nsinks; i++) {
        if (e->ops.sink_close) e->ops.sink_close(e->host, e->sinks[i]);
        ed_sink_free(e->sinks[i]);
    }
    free(e->queries);
    free(e->streams);
    free(e->sinks);
    free(e->tbuf);
    free(e->wbuf);
    free(e->rowbuf);
    ed_sb_free(&e->rowbuf_json);
    ed_arena_free(&e->scratch);
    free(e);
}

const char *ed_kv_get(const ed_kv *kv, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(kv[i].key, key)) return kv[i].value;
    return NULL;
}

ed_stream_def *ed_engine_stream(ed_engine *e, const char *name)
{
    for (int i = 0; i < e->nstreams; i++)
        if (!strcmp(e->streams[i]->name, name)) return e->streams[i];
    return NULL;
}

ed_sink_def *ed_engine_sink(ed_engine *e, const char *name)
{
    for (int i = 0; i < e->nsinks; i++)
        if (!strcmp(e->sinks[i]->name, name)) return e->sinks[i];
    return NULL;
}

ed_query *ed_engine_query(ed_engine *e, const char *name)
{
    for (int i = 0; i < e->nqueries; i++)
        if (!strcmp(e->queries[i]->name, name)) return e->queries[i];
    return NULL;
}

void ed_row_json(ed_sb *sb, int n, const char *const *names, const ed_value *vals)
{
    ed_sb_reserve(sb, 128);
    ed_sb_putc(sb, '{');
    for (int i = 0; i < n; i++) {
        if (i) ed_sb_putc(sb, ',');
        ed_sb_json_str(sb, names[i], strlen(names[i]));
        ed_sb_putc(sb, ':');
        ed_value_json(sb, &vals[i]);
    }
    ed_sb_putc(sb, '}');
}

void ed_query_emit(ed_query *q, const ed_value *vals, uint64_t group, int64_t window_end)
{
    const ed_plan *p = q->plan;
    ed_engine *e = q->engine;
    ed_sb *sb = &e->rowbuf_json; /* reused: no allocation per row */
    ed_sb_clear(sb);
    if (!q->sink->raw_rows) ed_row_json(sb, p->nout, (const char *const *)p->out_names, vals);
    ed_row row = {q->name, p->nout, vals, (const char *const *)p->out_names, q->sink->raw_rows ? NULL : sb->buf, sb->len,
                  group, window_end};
    q->events_out++;
    q->sink->rows_out++;
    if (e->ops.sink_write) e->ops.sink_write(e->host, q->sink, &row);
}

static json_t *wm_json(int64_t wm)
{
    if (wm == ED_TS_MIN) return json_null();
    char buf[40];
    if (wm == ED_TS_MAX) return json_string("+infinity");
    ed_ts_format(wm, buf);
    return json_string(buf);
}

static json_t *opts_json(const ed_kv *kv, int n)
{
    json_t *o = json_object();
    for (int i = 0; i < n; i++) json_object_set_new(o, kv[i].key, json_string(kv[i].value));
    return o;
}

json_t *ed_stream_json(ed_engine *e, ed_stream_def *s)
{
    json_t *cols = json_array();
    for (int i = 0; i < s->schema.ncols; i++)
        json_array_append_new(cols, json_pack("{s:s,s:s}", "name", s->schema.cols[i].name, "type",
                                              ed_type_name(s->schema.cols[i].type)));
    json_t *o = json_pack("{s:s,s:s,s:o,s:o,s:I,s:I,s:I,s:o,s:s}", "name", s->name, "connector",
                          s->connector ? s->connector : "", "columns", cols, "options", opts_json(s->opts, s->nopts),
                          "events_in", (json_int_t)s->events_in, "decode_errors", (json_int_t)s->decode_errors,
                          "null_time_events", (json_int_t)s->null_time_events, "watermark", wm_json(s->watermark),
                          "sql", s->sql ? s->sql : "");
    if (s->ts_col >= 0) {
        json_object_set_new(o, "event_time", json_string(s->schema.cols[s->ts_col].name));
        json_object_set_new(o, "watermark_delay_ms", json_integer(s->wm_delay_ms));
    } else {
        json_object_set_new(o, "event_time", json_string("arrival"));
    }
    json_t *st = e->stream_status ? e->stream_status(e->host, s) : NULL;
    if (st) json_object_set_new(o, "connector_state", st);
    return o;
}

json_t *ed_sink_json(ed_engine *e, ed_sink_def *s)
{
    json_t *o = json_pack("{s:s,s:s,s:o,s:I,s:I,s:I,s:I,s:b,s:s}", "name", s->name, "connector",
                          s->connector ? s->connector : "", "options", opts_json(s->opts, s->nopts), "rows_out",
                          (json_int_t)s->rows_out, "clients", (json_int_t)s->clients, "dropped_clients",
                          (json_int_t)s->dropped_clients, "refused_clients", (json_int_t)s->refused_clients,
                          "internal", s->internal, "sql", s->sql ? s->sql : "");
    json_t *st = e->sink_status ? e->sink_status(e->host, s) : NULL;
    if (st) json_object_set_new(o, "connector_state", st);
    return o;
}

void ed_engine_set_status_hooks(ed_engine *e, ed_stream_status_fn stream, ed_sink_status_fn sink)
{
    e->stream_status = stream;
    e->sink_status = sink;
}

json_t *ed_query_json(ed_query *q, bool with_plan)
{
    uint64_t keys = 0, bytes = 0;
    q->op->state_size(q, &keys, &bytes);
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o,s:s}", "name", q->name, "status", "running",
                          "stream", q->plan->stream->name, "sink", q->sink->name, "events_in", (json_int_t)q->events_in,
                          "events_out", (json_int_t)q->events_out, "late_events", (json_int_t)q->late_events,
                          "div_by_zero", (json_int_t)q->div_by_zero, "eval_errors", (json_int_t)q->eval_errors,
                          "state_keys", (json_int_t)keys, "state_bytes", (json_int_t)bytes, "watermark",
                          wm_json(q->plan->windowed ? q->watermark : q->plan->stream->watermark), "sql",
                          q->sql ? q->sql : "");
    if (with_plan) {
        ed_sb sb = ED_SB_INIT;
        ed_plan_explain(q->plan, q->name, q->sink, &sb);
        json_object_set_new(o, "plan", json_string(sb.buf));
        ed_sb_free(&sb);
    }
    return o;
}

json_t *ed_engine_list(ed_engine *e, ed_object_kind what)
{
    json_t *a = json_array();
    if (what == OBJ_STREAM)
        for (int i = 0; i < e->nstreams; i++) json_array_append_new(a, ed_stream_json(e, e->streams[i]));
    else if (what == OBJ_SINK)
        for (int i = 0; i < e->nsinks; i++) json_array_append_new(a, ed_sink_json(e, e->sinks[i]));
    else if (what == OBJ_QUERY)
        for (int i = 0; i < e->nqueries; i++) json_array_append_new(a, ed_query_json(e->queries[i], false));
    else if (what == OBJ_FUNCTION) {
        const ed_scalar_fn *f;
        const ed_agg_fn *g;
        for (int i = 0; (f = ed_registry_scalar_at(i)); i++)
            json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "name", f->name, "kind", "scalar", "doc", f->doc ? f->doc : ""));
        for (int i = 0; (g = ed_registry_agg_at(i)); i++)
            json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "name", g->name, "kind", "aggregate", "doc", g->doc ? g->doc : ""));
    }
    return a;
}

json_t *ed_engine_query_info(ed_engine *e, const char *name)
{
    ed_query *q = ed_engine_query(e, name);
    return q ? ed_query_json(q, true) : NULL;
}

static void remove_ptr(void **arr, int *n, void *p)
{
    for (int i = 0; i < *n; i++)
        if (arr[i] == p) {
            memmove(arr + i, arr + i + 1, sizeof(void *) * (size_t)(*n - i - 1));
            (*n)--;
            return;
        }
}

int ed_engine_drop_query(ed_engine *e, const char *name, char *err, size_t errlen)
{
    ed_query *q = ed_engine_query(e, name);
    if (!q) {
        snprintf(err, errlen, "query '%s' does not exist", name);
        return -1;
    }
    remove_ptr((void **)e->queries, &e->nqueries, q);
    ed_sink_def *sink = q->sink;
    ed_query_free(q);
    if (sink->internal) {
        remove_ptr((void **)e->sinks, &e->nsinks, sink);
        if (e->ops.sink_close) e->ops.sink_close(e->host, sink);
        ed_sink_free(sink);
    }
    return 0;
}
