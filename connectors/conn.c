/* conn.c — the serve host: ed_host_ops dispatching to sources and sinks by
 * connector name, and the wall clock. */
#include "conn_internal.h"
#include "kafka.h"
#include "nexmark.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t ed_conn_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

ed_conn *ed_conn_new(struct event_base *base, ed_http *http)
{
    ed_conn *c = ed_xcalloc(1, sizeof *c);
    c->base = base;
    c->http = http;
    if (http) ed_http_route(http, "GET", "/ws/", ed_ws_route, c);
    return c;
}

void ed_conn_set_engine(ed_conn *c, ed_engine *e)
{
    c->engine = e;
    ed_engine_set_status_hooks(e, ed_conn_stream_status, ed_conn_sink_status);
}

void ed_conn_free(ed_conn *c)
{
    if (!c) return;
    ed_ws_free_all(c);
    free(c);
}

void ed_conn_push(ed_conn *c, ed_stream_def *s, ed_batch *b)
{
    if (b->nrows > 0 && c->engine) ed_engine_push(c->engine, s, b);
    ed_batch_clear(b);
}

static int64_t host_now(void *ctx) { (void)ctx; return ed_conn_wall_ms(); }

static const char *conn_name(const char *c) { return c ? c : "(none)"; }

static int source_open(void *ctx, ed_stream_def *s, char *err, size_t errlen)
{
    ed_conn *c = ctx;
    const char *k = s->connector;
    const ed_opt_spec *spec;
    int (*open)(ed_conn *, ed_stream_def *, char *, size_t);
    if (!k) {
        snprintf(err, errlen, "stream '%s' needs a connector option (tcp, file, generator)", s->name);
        return -1;
    }
    if (!strcmp(k, "tcp")) spec = ed_tcp_opts, open = ed_tcp_open;
    else if (!strcmp(k, "file")) spec = ed_file_src_opts, open = ed_file_src_open;
    else if (!strcmp(k, "generator")) spec = ed_gen_opts, open = ed_gen_open;
    else if (!strcmp(k, "kafka")) {
        /* the Kafka and Nexmark sources validate their own options */
        s->host_data = ed_kafka_source_new(c->base, c->engine, s, err, errlen);
        if (s->host_data && c->checkpointing) ed_kafka_source_set_checkpointing(s->host_data, true);
        return s->host_data ? 0 : -1;
    } else if (!strcmp(k, "nexmark")) {
        s->host_data = ed_nexmark_source_new(c->base, c->engine, s, err, errlen);
        return s->host_data ? 0 : -1;
    } else {
        snprintf(err, errlen, "unknown source connector '%s' (available: tcp, file, generator, kafka, nexmark)", k);
        return -1;
    }
    if (ed_opts_check("source", k, s->opts, s->nopts, ed_source_common_opts, spec, err, errlen)) return -1;
    return open(c, s, err, errlen);
}

static void source_close(void *ctx, ed_stream_def *s)
{
    (void)ctx;
    const char *k = conn_name(s->connector);
    if (!s->host_data) return;
    if (!strcmp(k, "tcp")) ed_tcp_close(s);
    else if (!strcmp(k, "file")) ed_file_src_close(s);
    else if (!strcmp(k, "generator")) ed_gen_close(s);
    else if (!strcmp(k, "kafka")) ed_kafka_source_free(s->host_data);
    else if (!strcmp(k, "nexmark")) ed_nexmark_source_free(s->host_data);
    s->host_data = NULL;
}

static FILE *stdout_marker(void) { return stdout; }

static int sink_open(void *ctx, ed_sink_def *s, char *err, size_t errlen)
{
    ed_conn *c = ctx;
    const char *k = s->connector;
    if (!k) {
        snprintf(err, errlen, "sink '%s' needs a connector option (stdout, file, websocket)", s->name);
        return -1;
    }
    if (!strcmp(k, "stdout")) {
        if (ed_opts_check("sink", k, s->opts, s->nopts, ed_sink_common_opts, ed_stdout_opts, err, errlen)) return -1;
        s->host_data = stdout_marker();
        return 0;
    }
    if (!strcmp(k, "file")) {
        if (ed_opts_check("sink", k, s->opts, s->nopts, ed_sink_common_opts, ed_file_sink_opts, err, errlen)) return -1;
        return ed_file_sink_open(c, s, err, errlen);
    }
    if (!strcmp(k, "websocket")) {
        if (ed_opts_check("sink", k, s->opts, s->nopts, ed_sink_common_opts, ed_ws_opts, err, errlen)) return -1;
        return ed_ws_open(c, s, err, errlen);
    }
    if (!strcmp(k, "kafka")) {
        s->host_data = ed_kafka_sink_new(c->base, s, err, errlen);
        return s->host_data ? 0 : -1;
    }
    snprintf(err, errlen, "unknown sink connector '%s' (available: stdout, file, websocket, kafka)", k);
    return -1;
}

static void sink_close(void *ctx, ed_sink_def *s)
{
    const char *k = conn_name(s->connector);
    if (!s->host_data) return;
    if (!strcmp(k, "file")) ed_file_sink_close(s);
    else if (!strcmp(k, "websocket")) ed_ws_close(ctx, s);
    else if (!strcmp(k, "kafka")) ed_kafka_sink_free(s->host_data);
    s->host_data = NULL;
}

static void sink_write(void *ctx, ed_sink_def *s, const ed_row *row)
{
    const char *k = conn_name(s->connector);
    if (!s->host_data) return;
    if (!strcmp(k, "websocket")) {
        ed_ws_write(ctx, s, row);
    } else if (!strcmp(k, "file")) {
        ed_file_sink_write(s, row);
    } else if (!strcmp(k, "kafka")) {
        ed_kafka_sink_write(s->host_data, row);
    } else if (!strcmp(k, "stdout")) {
        /* flushed per row: stdout is for watching results live */
        if (fwrite(row->json, 1, row->json_len, stdout) != row->json_len || fputc('\n', stdout) == EOF ||
            fflush(stdout) != 0)
            s->write_errors++;
    }
}

const ed_host_ops ed_conn_host_ops = {host_now, source_open, source_close, sink_open, sink_close, sink_write};
