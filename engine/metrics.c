/* metrics.c — Prometheus text exposition (format 0.0.4) of every stream,
 * query and sink. Label values are escaped as the format requires. */
#include "internal.h"
#include <string.h>

static void label(ed_sb *out, const char *k, const char *v)
{
    ed_sb_printf(out, "{%s=\"", k);
    for (const char *p = v; *p; p++) {
        if (*p == '\\' || *p == '"') ed_sb_putc(out, '\\');
        if (*p == '\n') {
            ed_sb_puts(out, "\\n");
            continue;
        }
        ed_sb_putc(out, *p);
    }
    ed_sb_puts(out, "\"}");
}

static void header(ed_sb *out, const char *name, const char *type, const char *help)
{
    ed_sb_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

typedef enum { M_STREAM, M_QUERY, M_SINK } mkind;

typedef struct metric {
    mkind kind;
    const char *name, *type, *help;
    int field;
} metric;

enum {
    F_S_EVENTS, F_S_DECODE, F_S_NULLTS, F_S_WM,
    F_Q_IN, F_Q_OUT, F_Q_LATE, F_Q_WM, F_Q_KEYS, F_Q_BYTES, F_Q_DIV0, F_Q_EVALERR,
    F_K_ROWS, F_K_CLIENTS, F_K_DROPPED, F_K_REFUSED, F_K_WERR
};

static const metric METRICS[] = {
    {M_STREAM, "eddy_stream_events_in_total", "counter", "Valid events accepted by the stream.", F_S_EVENTS},
    {M_STREAM, "eddy_stream_decode_errors_total", "counter", "Events rejected: malformed JSON, wrong type, or too large.", F_S_DECODE},
    {M_STREAM, "eddy_stream_null_event_time_total", "counter", "Events dropped because their event-time column was NULL.", F_S_NULLTS},
    {M_STREAM, "eddy_stream_watermark_ms", "gauge", "Current watermark of the stream (epoch ms).", F_S_WM},
    {M_QUERY, "eddy_query_events_in_total", "counter", "Events read by the query.", F_Q_IN},
    {M_QUERY, "eddy_query_events_out_total", "counter", "Rows emitted by the query.", F_Q_OUT},
    {M_QUERY, "eddy_query_late_events_total", "counter", "Events dropped because all their windows had closed.", F_Q_LATE},
    {M_QUERY, "eddy_query_watermark_ms", "gauge", "Watermark the query has processed up to (epoch ms).", F_Q_WM},
    {M_QUERY, "eddy_query_state_keys", "gauge", "Group keys held in open windows (summed over panes).", F_Q_KEYS},
    {M_QUERY, "eddy_query_state_bytes", "gauge", "Bytes of state held by the query.", F_Q_BYTES},
    {M_QUERY, "eddy_query_division_by_zero_total", "counter", "Divisions by zero (the result was NULL).", F_Q_DIV0},
    {M_QUERY, "eddy_query_eval_errors_total", "counter", "Other evaluation errors (overflow, bad cast); the result was NULL.", F_Q_EVALERR},
    {M_SINK, "eddy_sink_rows_out_total", "counter", "Rows handed to the sink.", F_K_ROWS},
    {M_SINK, "eddy_sink_clients", "gauge", "Connected clients (WebSocket sinks).", F_K_CLIENTS},
    {M_SINK, "eddy_sink_dropped_clients_total", "counter", "Clients disconnected because they could not keep up.", F_K_DROPPED},
    {M_SINK, "eddy_sink_refused_clients_total", "counter", "Clients turned away because the sink served max_clients already.", F_K_REFUSED},
    {M_SINK, "eddy_sink_write_errors_total", "counter", "Rows the sink failed to write.", F_K_WERR},
};

static double wm_val(int64_t wm) { return wm == ED_TS_MIN ? 0 : wm == ED_TS_MAX ? 9.2233720368547758e18 : (double)wm; }

void ed_engine_metrics(ed_engine *e, ed_sb *out)
{
    for (size_t m = 0; m < sizeof METRICS / sizeof METRICS[0]; m++) {
        const metric *mt = &METRICS[m];
        header(out, mt->name, mt->type, mt->help);
        if (mt->kind == M_STREAM) {
            for (int i = 0; i < e->nstreams; i++) {
                ed_stream_def *s = e->streams[i];
                ed_sb_puts(out, mt->name);
                label(out, "stream", s->name);
                switch (mt->field) {
                case F_S_EVENTS: ed_sb_printf(out, " %llu\n", (unsigned long long)s->events_in); break;
                case F_S_DECODE: ed_sb_printf(out, " %llu\n", (unsigned long long)s->decode_errors); break;
                case F_S_NULLTS: ed_sb_printf(out, " %llu\n", (unsigned long long)s->null_time_events); break;
                default: ed_sb_printf(out, " %.0f\n", wm_val(s->watermark));
                }
            }
        } else if (mt->kind == M_QUERY) {
            for (int i = 0; i < e->nqueries; i++) {
                ed_query *q = e->queries[i];
                uint64_t keys = 0, bytes = 0;
                if (mt->field == F_Q_KEYS || mt->field == F_Q_BYTES) q->op->state_size(q, &keys, &bytes);
                ed_sb_puts(out, mt->name);
                label(out, "query", q->name);
                unsigned long long v = 0;
                switch (mt->field) {
                case F_Q_IN: v = q->events_in; break;
                case F_Q_OUT: v = q->events_out; break;
                case F_Q_LATE: v = q->late_events; break;
                case F_Q_KEYS: v = keys; break;
                case F_Q_BYTES: v = bytes; break;
                case F_Q_DIV0: v = q->div_by_zero; break;
                case F_Q_EVALERR: v = q->eval_errors; break;
                case F_Q_WM:
                    ed_sb_printf(out, " %.0f\n", wm_val(q->plan->windowed ? q->watermark : q->plan->stream->watermark));
                    continue;
                }
                ed_sb_printf(out, " %llu\n", v);
            }
        } else {
            for (int i = 0; i < e->nsinks; i++) {
                ed_sink_def *s = e->sinks[i];
                ed_sb_puts(out, mt->name);
                label(out, "sink", s->name);
                unsigned long long v = mt->field == F_K_ROWS      ? s->rows_out
                                       : mt->field == F_K_CLIENTS ? s->clients
                                       : mt->field == F_K_DROPPED ? s->dropped_clients
                                       : mt->field == F_K_REFUSED ? s->refused_clients
                                                                  : s->write_errors;
                ed_sb_printf(out, " %llu\n", v);
            }
        }
    }
}
