/* test_nexmark_source.c — the libevent nexmark source: option errors, and a
 * bounded run (events = 5000, rate = 0) that pushes exactly the 4600 bids of
 * the sequence through a query, then stops by itself. */
#include <event2/event.h>
#include <stdio.h>
#include <string.h>
#include "connectors/nexmark.h"
#include "engine/engine.h"

#include "../check.h"

static uint64_t rows;
static int64_t h_now(void *c) { return 0; }
static int h_src_open(void *c, ed_stream_def *s, char *err, size_t n) { return 0; }
static void h_src_close(void *c, ed_stream_def *s) {}
static int h_sink_open(void *c, ed_sink_def *s, char *err, size_t n) { return 0; }
static void h_sink_close(void *c, ed_sink_def *s) {}
static void h_write(void *c, ed_sink_def *s, const ed_row *r) { rows++; }
static const ed_host_ops OPS = {h_now, h_src_open, h_src_close, h_sink_open, h_sink_close, h_write};

static int exec_ok(ed_engine *e, const char *sql)
{
    json_t *r = ed_engine_exec(e, sql, strlen(sql));
    size_t i;
    json_t *v;
    int ok = 1;
    json_array_foreach(r, i, v) if (!json_is_true(json_object_get(v, "ok"))) ok = 0;
    json_decref(r);
    return ok;
}

static void stop_when_done(evutil_socket_t fd, short what, void *arg)
{
    void **a = arg;
    if (ed_nexmark_source_done(a[0])) event_base_loopbreak(a[1]);
}

int main(void)
{
    struct event_base *base = event_base_new();
    ed_engine *e = ed_engine_new(&OPS, NULL);
    CHECK(exec_ok(e, "CREATE STREAM bid (auction BIGINT, price BIGINT, date_time TIMESTAMP)"
                     " WITH (connector = 'nexmark', table = 'bid', events = 5000, rate = 0, seed = 3);"
                     "CREATE STREAM bad (auction BIGINT) WITH (connector = 'nexmark', table = 'bids2');"
                     "CREATE STREAM bad2 (auction BIGINT) WITH (connector = 'nexmark', rate = 'fast');"
                     "CREATE SINK out WITH (connector = 'test');"
                     "CREATE QUERY q AS INSERT INTO out SELECT auction, price FROM bid;"));
    char err[256] = "";
    CHECK(ed_nexmark_source_new(base, e, ed_engine_stream(e, "bad"), err, sizeof err) == NULL);
    CHECK(strstr(err, "table") != NULL);
    err[0] = 0;
    CHECK(ed_nexmark_source_new(base, e, ed_engine_stream(e, "bad2"), err, sizeof err) == NULL);
    CHECK(strstr(err, "rate") != NULL);
    ed_stream_def *s = ed_engine_stream(e, "bid");
    ed_nexmark_source *src = ed_nexmark_source_new(base, e, s, err, sizeof err);
    CHECK(src != NULL);
    if (src) {
        void *arg[2] = {src, base};
        struct event *poll = event_new(base, -1, EV_PERSIST, stop_when_done, arg);
        struct timeval tv = {0, 1000};
        event_add(poll, &tv);
        event_base_dispatch(base);
        event_free(poll);
        CHECK(ed_nexmark_source_done(src));
        CHECK(rows == 4600);
        CHECK(s->events_in == 4600);
    }
    ed_engine_free(e);
    ed_nexmark_source_free(src);
    event_base_free(base);
    if (failures) return 1;
    printf("nexmark source: ok\n");
    return 0;
}
