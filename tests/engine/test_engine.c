/* test_engine.c — the engine core driven deterministically: a manual clock,
 * hand-built event batches, and a host that records every emitted row.
 * Covers window assignment, watermarks, lateness, hopping panes, batching
 * invariance, many groups, idle timeouts, NULL event time, statement errors, EXPLAIN,
 * state accounting and metrics. No sockets, no sleeps. */
#include "engine/engine.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check.h"
#define CHECK_STR(a, b)                                                                                                \
    do {                                                                                                               \
        const char *a_ = (a), *b_ = (b);                                                                               \
        if (strcmp(a_, b_) != 0) {                                                                                     \
            fprintf(stderr, "%s:%d: expected\n%s\ngot\n%s\n", __FILE__, __LINE__, b_, a_);                             \
            failures++;                                                                                                \
        }                                                                                                              \
    } while (0)

typedef struct host {
    int64_t now;
    ed_sb out;        /* "sink: json\n" per row */
    int opened_sources, opened_sinks;
    int fail_source;
} host;

static int64_t h_now(void *c) { return ((host *)c)->now; }
static int h_src_open(void *c, ed_stream_def *s, char *err, size_t n)
{
    host *h = c;
    if (h->fail_source) {
        snprintf(err, n, "port %s is already in use", ed_kv_get(s->opts, s->nopts, "port"));
        return -1;
    }
    h->opened_sources++;
    return 0;
}
static void h_src_close(void *c, ed_stream_def *s) { (void)s; ((host *)c)->opened_sources--; }
static int h_sink_open(void *c, ed_sink_def *s, char *err, size_t n)
{
    (void)s, (void)err, (void)n;
    ((host *)c)->opened_sinks++;
    return 0;
}
static void h_sink_close(void *c, ed_sink_def *s) { (void)s; ((host *)c)->opened_sinks--; }
static void h_write(void *c, ed_sink_def *s, const ed_row *r)
{
    host *h = c;
    ed_sb_printf(&h->out, "%s: %.*s\n", s->name, (int)r->json_len, r->json);
}
static const ed_host_ops OPS = {h_now, h_src_open, h_src_close, h_sink_open, h_sink_close, h_write};

/* Run statements; return 1 if all succeeded. On failure keep the error. */
static char last_error[2048];
static int exec_ok(ed_engine *e, const char *sql)
{
    json_t *r = ed_engine_exec(e, sql, strlen(sql));
    size_t i;
    json_t *v;
    int ok = 1;
    last_error[0] = 0;
    json_array_foreach(r, i, v)
    {
        if (!json_is_true(json_object_get(v, "ok"))) {
            ok = 0;
            snprintf(last_error, sizeof last_error, "%s", json_string_value(json_object_get(v, "detail")));
        }
    }
    json_decref(r);
    return ok;
}

/* bids(auction BIGINT, price DOUBLE, ts TIMESTAMP): push one batch. */
typedef struct bid {
    int64_t auction;
    double price;
    int64_t ts; /* -1 = NULL */
} bid;

static void push_bids(ed_engine *e, host *h, const bid *b, int n, int batch)
{
    ed_stream_def *s = ed_engine_stream(e, "bids");
    ed_batch bt;
    ed_batch_init(&bt, s->schema.ncols);
    for (int i = 0; i < n; i++) {
        h->now++;
        ed_value *row = ed_batch_add_row(&bt, h->now);
        row[0] = ed_v_int(b[i].auction);
        row[1] = ed_v_double(b[i].price);
        row[2] = b[i].ts < 0 ? ed_v_null() : ed_v_ts(b[i].ts);
        if (bt.nrows == batch || i == n - 1) {
            ed_engine_push(e, s, &bt);
            ed_batch_clear(&bt);
        }
    }
    ed_batch_free(&bt);
}

static const char *BIDS =
    "CREATE STREAM bids (auction BIGINT, price DOUBLE, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)"
    " WITH (connector = 'test');"
    "CREATE SINK out WITH (connector = 'test');";

static ed_engine *setup(host *h, const char *query)
{
    memset(h, 0, sizeof *h);
    ed_engine *e = ed_engine_new(&OPS, h);
    if (!exec_ok(e, BIDS)) fprintf(stderr, "setup: %s\n", last_error), failures++;
    if (query && !exec_ok(e, query)) fprintf(stderr, "setup query: %s\n", last_error), failures++;
    return e;
}

/* An engine with one partitioned stream `bids` (stream_sql) and partitions
 * 0..nparts-1 assigned. */
static ed_engine *setup_partitioned(host *h, const char *stream_sql, int nparts, ed_stream_def **s)
{
    memset(h, 0, sizeof *h);
    ed_engine *e = ed_engine_new(&OPS, h);
    CHECK(exec_ok(e, stream_sql));
    *s = ed_engine_stream(e, "bids");
    int32_t parts[16];
    for (int i = 0; i < nparts && i < 16; i++) parts[i] = i;
    ed_engine_set_partitions(e, *s, parts, nparts < 16 ? nparts : 16);
    return e;
}

/* Per-partition watermarks against a plain model: random partitions (new
 * ones appear), event times, arrival times that repeat or jump past the
 * idle timeout; after every batch the stream's watermark must equal the
 * model's (the minimum over non-idle partitions, recomputed per row). */
static void test_partitions_random(void)
{
    host h;
    ed_stream_def *s;
    ed_engine *e = setup_partitioned(
        &h,
        "CREATE STREAM bids (auction BIGINT, price DOUBLE, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)"
        " WITH (connector = 'test', idle_timeout = INTERVAL '50' MILLISECOND);",
        8, &s);
    enum { P = 24 };
    struct { bool known; int64_t max, last; } m[P];
    for (int i = 0; i < P; i++) m[i].known = i < 8, m[i].max = INT64_MIN, m[i].last = 0;
    int64_t ref = INT64_MIN;
    uint64_t x = 7;
    ed_batch b;
    ed_batch_init(&b, 3);
    int mismatches = 0;
    for (int round = 0; round < 20000; round++) {
        ed_batch_clear(&b);
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        if ((x >> 60) < 1) h.now += 80;                        /* past the idle timeout */
        else if ((x >> 60) < 5) h.now += 1 + (int64_t)((x >> 50) % 5); /* partitions cross it one by one */
        int n = 1 + (int)((x >> 40) % 8);
        for (int k = 0; k < n; k++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            int pt = (int)((x >> 33) % ((x >> 61) ? 3 : P)); /* mostly a few hot partitions */
            int64_t ts = (int64_t)round * 2 + (int64_t)((x >> 20) % 400);
            ed_value *row = ed_batch_add_row(&b, h.now);
            row[0] = ed_v_int(1);
            row[1] = ed_v_double(1);
            row[2] = ed_v_ts(ts);
            b.part[b.nrows - 1] = pt;
            /* the model */
            if (!m[pt].known) m[pt].known = true, m[pt].max = INT64_MIN, m[pt].last = h.now;
            bool any = false, empty = false;
            if (ts > m[pt].max) m[pt].max = ts;
            m[pt].last = h.now;
            int64_t mn = INT64_MAX;
            for (int i = 0; i < P; i++) {
                if (!m[i].known || h.now - m[i].last >= 50) continue;
                if (m[i].max == INT64_MIN) empty = true;
                else if (m[i].max < mn) mn = m[i].max;
                any = true;
            }
            if (any && !empty && mn - 1000 > ref) ref = mn - 1000;
        }
        ed_engine_push(e, s, &b);
        if (s->watermark != (ref == INT64_MIN ? ED_TS_MIN : ref) && mismatches++ < 3)
            fprintf(stderr, "round %d: watermark %lld, model %lld\n", round, (long long)s->watermark, (long long)ref);
    }
    CHECK(mismatches == 0);
    CHECK(ref > 20000); /* the model's watermark did advance */
    ed_batch_free(&b);
    ed_engine_free(e);
}

static void test_tumbling(void)
{
    host h;
    ed_engine *e = setup(&h, "CREATE QUERY q AS INSERT INTO out SELECT auction, COUNT(*) AS n, SUM(price) AS total,"
                             " window_start, window_end FROM bids WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY auction;");
    bid b[] = {
        {1, 1.5, 1000}, {2, 2, 2000}, {1, 3, 9999},
        {1, 4, 11000},              /* W = 9000: window [0,10s) still open */
        {2, 5, 8000},               /* out of order, window open: counted */
        {1, 6, 12000},              /* W = 10000: [0,10s) closes */
        {1, 7, 5000},               /* late: dropped */
        {3, 8, 25000},              /* W = 23000: [10s,20s) closes */
    };
    push_bids(e, &h, b, 8, 1000);
    CHECK_STR(h.out.buf ? h.out.buf : "",
              "out: {\"auction\":1,\"n\":2,\"total\":4.5,\"window_start\":\"1970-01-01T00:00:00.000Z\",\"window_end\":\"1970-01-01T00:00:10.000Z\"}\n"
              "out: {\"auction\":2,\"n\":2,\"total\":7.0,\"window_start\":\"1970-01-01T00:00:00.000Z\",\"window_end\":\"1970-01-01T00:00:10.000Z\"}\n"
              "out: {\"auction\":1,\"n\":2,\"total\":10.0,\"window_start\":\"1970-01-01T00:00:10.000Z\",\"window_end\":\"1970-01-01T00:00:20.000Z\"}\n");
    json_t *qi = ed_engine_query_info(e, "q");
    CHECK(json_integer_value(json_object_get(qi, "late_events")) == 1);
    CHECK(json_integer_value(json_object_get(qi, "events_in")) == 8);
    CHECK(json_integer_value(json_object_get(qi, "events_out")) == 3);
    CHECK(json_integer_value(json_object_get(qi, "state_keys")) == 1); /* auction 3 in [20s,30s) */
    CHECK(json_integer_value(json_object_get(qi, "state_bytes")) > 0);
    json_decref(qi);
    ed_sb_clear(&h.out);
    ed_engine_finish(e);
    CHECK_STR(h.out.buf ? h.out.buf : "",
              "out: {\"auction\":3,\"n\":1,\"total\":8.0,\"window_start\":\"1970-01-01T00:00:20.000Z\",\"window_end\":\"1970-01-01T00:00:30.000Z\"}\n");
    qi = ed_engine_query_info(e, "q");
    CHECK(json_integer_value(json_object_get(qi, "state_keys")) == 0);
    json_decref(qi);
    ed_sb_free(&h.out);
    ed_engine_free(e);
    CHECK(h.opened_sources == 0 && h.opened_sinks == 0);
}

/* Hopping windows through panes: every window holding data emits once, in
 * order of window end, and equals a brute-force count. */
static void test_hopping(void)
{
    host h;
    ed_engine *e = setup(&h, "CREATE QUERY q AS INSERT INTO out SELECT COUNT(*) AS n, MAX(price) AS top, window_end"
                             " FROM bids WINDOW HOPPING (SIZE 6 SECONDS, ADVANCE BY 4 SECONDS);");
    /* pane = gcd(6,4) = 2 s. Events at 1s, 3s, 5s, 9s */
    bid b[] = {{1, 1, 1000}, {1, 3, 3000}, {1, 5, 5000}, {1, 9, 9000}};
    push_bids(e, &h, b, 4, 1);
    ed_engine_finish(e);
    /* windows: [-4,2)->{1s} end 2s; [0,6)->{1,3,5} end 6s; [4,10)->{5,9} end 10s; [8,14)->{9} end 14s */
    CHECK_STR(h.out.buf ? h.out.buf : "",
              "out: {\"n\":1,\"top\":1.0,\"window_end\":\"1970-01-01T00:00:02.000Z\"}\n"
              "out: {\"n\":3,\"top\":5.0,\"window_end\":\"1970-01-01T00:00:06.000Z\"}\n"
              "out: {\"n\":2,\"top\":9.0,\"window_end\":\"1970-01-01T00:00:10.000Z\"}\n"
              "out: {\"n\":1,\"top\":9.0,\"window_end\":\"1970-01-01T00:00:14.000Z\"}\n");
    ed_sb_free(&h.out);
    ed_engine_free(e);
}

/* An event whose earliest windows closed but whose latest is open counts in
 * the open ones only; an event whose windows all closed is late. */
static void test_partial_lateness(void)
{
    host h;
    ed_engine *e = setup(&h, "CREATE QUERY q AS INSERT INTO out SELECT COUNT(*) AS n, window_start"
                             " FROM bids WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 5 SECONDS);");
    bid b[] = {
        {1, 1, 1000},   /* windows [-5,5) [0,10) */
        {1, 1, 9000},   /* W = 7000 -> [-5,5) closed (1 event) */
        {1, 1, 4000},   /* [-5,5) closed, [0,10) open: counts in [0,10) only */
        {1, 1, 14000},  /* W = 12000: [0,10) closes with 3 */
        {1, 1, 4500},   /* all windows of 4.5s closed: late */
    };
    push_bids(e, &h, b, 5, 1);
    ed_engine_finish(e);
    CHECK_STR(h.out.buf ? h.out.buf : "",
              "out: {\"n\":1,\"window_start\":\"1969-12-31T23:59:55.000Z\"}\n"
              "out: {\"n\":3,\"window_start\":\"1970-01-01T00:00:00.000Z\"}\n"
              "out: {\"n\":2,\"window_start\":\"1970-01-01T00:00:05.000Z\"}\n"
              "out: {\"n\":1,\"window_start\":\"1970-01-01T00:00:10.000Z\"}\n");
    json_t *qi = ed_engine_query_info(e, "q");
    CHECK(json_integer_value(json_object_get(qi, "late_events")) == 1);
    json_decref(qi);
    ed_sb_free(&h.out);
    ed_engine_free(e);
}

/* The same events give the same rows whether pushed one by one or in one
 * batch (the watermark moves event by event inside the batch). */
static void test_batching_invariance(void)
{
    const char *q = "CREATE QUERY q AS INSERT INTO out SELECT auction, COUNT(*) AS n, window_start FROM bids"
                    " WHERE price > 1 WINDOW HOPPING (SIZE 4 SECONDS, ADVANCE BY 2 SECONDS) GROUP BY auction;";
    bid b[64];
    uint64_t x = 42;
    for (int i = 0; i < 64; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        b[i].auction = (int64_t)(x >> 60) % 3;
        b[i].price = (double)((x >> 40) % 5);
        b[i].ts = i * 300 + (int64_t)((x >> 20) % 5000) - 2500; /* out of order, some late */
        if (b[i].ts < 0) b[i].ts = -1; /* NULL event time */
    }
    char *ref = NULL;
    int sizes[] = {1, 7, 64};
    for (int k = 0; k < 3; k++) {
        host h;
        ed_engine *e = setup(&h, q);
        push_bids(e, &h, b, 64, sizes[k]);
        ed_engine_finish(e);
        CHECK(h.out.len > 0);
        if (!ref) ref = strdup(h.out.buf);
        else CHECK_STR(h.out.buf, ref);
        ed_stream_def *s = ed_engine_stream(e, "bids");
        CHECK(s->null_time_events > 0);
        CHECK(s->events_in + s->null_time_events == 64);
        ed_sb_free(&h.out);
        ed_engine_free(e);
    }
    free(ref);
}

/* idle_timeout: a silent stream's watermark moves with the clock. */
static void test_idle_timeout(void)
{
    host h;
    memset(&h, 0, sizeof h);
    ed_engine *e = ed_engine_new(&OPS, &h);
    CHECK(exec_ok(e, "CREATE STREAM bids (auction BIGINT, price DOUBLE, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)"
                     " WITH (connector = 'test', idle_timeout = '3s');"
                     "CREATE SINK out WITH (connector = 'test');"
                     "CREATE QUERY q AS INSERT INTO out SELECT COUNT(*) AS n FROM bids WINDOW TUMBLING (SIZE 5 SECONDS);"));
    h.now = 100000;
    bid b[] = {{1, 1, 1000}, {1, 1, 2000}};
    push_bids(e, &h, b, 2, 2); /* W = 1000; arrival 100002 */
    h.now = 102000;
    ed_engine_tick(e);
    CHECK(h.out.len == 0); /* silent 1.998 s < 3 s: watermark stays 1000 */
    CHECK(ed_engine_stream(e, "bids")->watermark == 1000);
    h.now = 103500;
    ed_engine_tick(e); /* silent 3.498 s: W = 1000 + 3498 = 4498 < 5000 */
    CHECK(h.out.len == 0);
    CHECK(ed_engine_stream(e, "bids")->watermark == 4498);
    h.now = 104002;
    ed_engine_tick(e); /* W = 1000 + 4000 = 5000: [0,5s) closes */
    CHECK_STR(h.out.buf ? h.out.buf : "", "out: {\"n\":2}\n");
    ed_sb_free(&h.out);
    ed_engine_free(e);
}

/* An idle stream whose event time is near the end of time: the clock-driven
 * watermark saturates instead of overflowing (UBSan checks the arithmetic). */
static void test_idle_timeout_saturates(void)
{
    host h;
    memset(&h, 0, sizeof h);
    ed_engine *e = ed_engine_new(&OPS, &h);
    CHECK(exec_ok(e, "CREATE STREAM bids (auction BIGINT, price DOUBLE, ts TIMESTAMP, WATERMARK FOR ts AS ts)"
                     " WITH (connector = 'test', idle_timeout = '1s');"
                     "CREATE SINK out WITH (connector = 'test');"
                     "CREATE QUERY q AS INSERT INTO out SELECT auction FROM bids;"));
    h.now = 100000;
    bid b[] = {{1, 1, INT64_MAX - 5}};
    push_bids(e, &h, b, 1, 1);
    h.now = 200000;
    ed_engine_tick(e);
    CHECK(ed_engine_stream(e, "bids")->watermark == INT64_MAX);
    ed_sb_free(&h.out);
    ed_engine_free(e);
}

/* Without WATERMARK the arrival time is the event time. */
static void test_arrival_time(void)
{
    host h;
    memset(&h, 0, sizeof h);
    ed_engine *e = ed_engine_new(&OPS, &h);
    CHECK(exec_ok(e, "CREATE STREAM bids (auction BIGINT, price DOUBLE, ts TIMESTAMP) WITH (connector = 'test');"
                     "CREATE SINK out WITH (connector = 'test');"
                     "CREATE QUERY q AS INSERT INTO out SELECT COUNT(*) AS n, window_start FROM bids"
                     " WINDOW TUMBLING (SIZE 3 MILLISECONDS);"));
    bid b[] = {{1, 1, -1}, {1, 1, -1}, {1, 1, -1}, {1, 1, -1}, {1, 1, -1}}; /* arrivals 1..5 ms */
    push_bids(e, &h, b, 5, 1);
    ed_engine_finish(e);
    CHECK_STR(h.out.buf ? h.out.buf : "",
              "out: {\"n\":2,\"window_start\":\"1970-01-01T00:00:00.000Z\"}\n"
              "out: {\"n\":3,\"window_start\":\"1970-01-01T00:00:00.003Z\"}\n");
    ed_sb_free(&h.out);
    ed_engine_free(e);
}

static void test_per_event_and_errors(void)
{
    host h;
    ed_engine *e = setup(&h, "CREATE QUERY q AS INSERT INTO out SELECT auction, price * 2 AS p2 FROM bids WHERE price > 2;");
    bid b[] = {{1, 1, 5000}, {2, 3, 6000}, {3, 4, 1}, {4, 1e300, 7000}}; /* 3 is "late" but per-event passes it */
    push_bids(e, &h, b, 4, 2);
    /* 2e300 is beyond int64: rendered without an integer cast (UBSan checks it) */
    CHECK_STR(h.out.buf ? h.out.buf : "",
              "out: {\"auction\":2,\"p2\":6.0}\nout: {\"auction\":3,\"p2\":8.0}\nout: {\"auction\":4,\"p2\":2e+300}\n");

    CHECK(!exec_ok(e, "CREATE QUERY h AS INSERT INTO out SELECT COUNT(*) FROM bids WINDOW HOPPING (SIZE 2 SECONDS, ADVANCE BY 5 SECONDS);"));
    CHECK(strstr(last_error, "ADVANCE BY") != NULL && strstr(last_error, "line 1") != NULL);
    CHECK(!exec_ok(e, "CREATE QUERY x AS INSERT INTO out SELECT prce FROM bids;"));
    CHECK(strstr(last_error, "did you mean 'price'") != NULL);
    CHECK(!exec_ok(e, "CREATE QUERY x AS INSERT INTO outt SELECT price FROM bids;"));
    CHECK(strstr(last_error, "did you mean 'out'") != NULL);
    CHECK(!exec_ok(e, "CREATE QUERY x AS INSERT INTO out SELECT auction, COUNT(*) FROM bids WINDOW TUMBLING (SIZE 1 SECOND);"));
    CHECK(strstr(last_error, "GROUP BY") != NULL);
    CHECK(!exec_ok(e, "CREATE QUERY x AS INSERT INTO out SELECT COUNT(*) FROM bids;"));
    CHECK(strstr(last_error, "WINDOW") != NULL);
    CHECK(!exec_ok(e, "CREATE QUERY q AS INSERT INTO out SELECT price FROM bids;"));
    CHECK(strstr(last_error, "already exists") != NULL);
    /* a failed statement in a batch stops the batch and changes nothing */
    CHECK(!exec_ok(e, "CREATE SINK s2 WITH (connector = 'test'); CREATE QUERY bad AS INSERT INTO s2 SELECT nope FROM bids; CREATE SINK s3 WITH (connector='test');"));
    CHECK(ed_engine_sink(e, "s2") != NULL && ed_engine_sink(e, "s3") == NULL);
    CHECK(ed_engine_query_info(e, "bad") == NULL);
    CHECK(!exec_ok(e, "DROP STREAM bids;"));
    CHECK(strstr(last_error, "drop the query first") != NULL);
    h.fail_source = 1;
    CHECK(!exec_ok(e, "CREATE STREAM t (a BIGINT) WITH (connector = 'tcp', port = 9000);"));
    CHECK(strstr(last_error, "already in use") != NULL && ed_engine_stream(e, "t") == NULL);
    h.fail_source = 0;
    CHECK(exec_ok(e, "DROP QUERY q; DROP STREAM bids; SHOW STREAMS;"));
    CHECK(ed_engine_stream(e, "bids") == NULL);
    ed_sb_free(&h.out);
    ed_engine_free(e);
}

static void test_explain_and_metrics(void)
{
    host h;
    ed_engine *e = setup(&h, "CREATE QUERY hot AS INSERT INTO out SELECT auction, COUNT(*) AS bids, MAX(price) AS top,"
                             " window_start, window_end FROM bids WHERE price > 10"
                             " WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 2 SECONDS) GROUP BY auction HAVING COUNT(*) >= 3;");
    json_t *qi = ed_engine_query_info(e, "hot");
    const char *plan = json_string_value(json_object_get(qi, "plan"));
    CHECK(plan != NULL);
    if (plan) {
        CHECK(strstr(plan, "Filter: (price > 10)") != NULL);
        CHECK(strstr(plan, "WindowAggregate: HOPPING (SIZE 10 SECONDS, ADVANCE BY 2 SECONDS), panes of 2 SECONDS") != NULL);
        CHECK(strstr(plan, "aggregates: count(*), max(price)") != NULL);
        CHECK(strstr(plan, "Having: (count(*) >= 3)") != NULL);
        CHECK(strstr(plan, "Sink: out") != NULL);
    }
    json_decref(qi);
    bid b[] = {{7, 20, 1000}, {7, 30, 1500}, {7, 11, 1700}, {8, 50, 1800}};
    push_bids(e, &h, b, 4, 4);
    ed_engine_finish(e);
    /* auction 7 qualifies (3 bids) in windows ending 2,4,...,10 s; auction 8 never does */
    int rows = 0;
    for (const char *p = h.out.buf; p && (p = strstr(p, "\"auction\":7")); p++) rows++;
    CHECK(rows == 5);
    CHECK(strstr(h.out.buf, "\"auction\":8") == NULL);
    ed_sb m = ED_SB_INIT;
    ed_engine_metrics(e, &m);
    CHECK(strstr(m.buf, "eddy_stream_events_in_total{stream=\"bids\"} 4\n") != NULL);
    CHECK(strstr(m.buf, "eddy_query_events_out_total{query=\"hot\"} 5\n") != NULL);
    CHECK(strstr(m.buf, "# TYPE eddy_query_late_events_total counter\n") != NULL);
    CHECK(strstr(m.buf, "eddy_sink_rows_out_total{sink=\"out\"} 5\n") != NULL);
    ed_sb_free(&m);
    ed_sb_free(&h.out);
    ed_engine_free(e);
}

/* Partitioned streams: the watermark is the minimum over partitions; an
 * idle partition stops holding it back. */
static void test_partitions(void)
{
    host h;
    ed_stream_def *s;
    ed_engine *e = setup_partitioned(&h,
                                     "CREATE STREAM bids (auction BIGINT, price DOUBLE, ts TIMESTAMP, WATERMARK FOR ts AS ts)"
                                     " WITH (connector = 'test', idle_timeout = INTERVAL '10' SECOND);",
                                     2, &s);
    ed_batch b;
    ed_batch_init(&b, 3);
    int64_t ts[] = {5000, 1000, 9000, 3000};
    int32_t pt[] = {0, 1, 0, 1};
    for (int i = 0; i < 4; i++) {
        ed_value *row = ed_batch_add_row(&b, ++h.now);
        row[0] = ed_v_int(1);
        row[1] = ed_v_double(1);
        row[2] = ed_v_ts(ts[i]);
        b.part[b.nrows - 1] = pt[i];
    }
    ed_engine_push(e, s, &b);
    CHECK(s->watermark == 3000); /* min(9000, 3000) */
    h.now += 20000; /* partition 1 silent for 20 s > idle_timeout */
    ed_batch_clear(&b);
    ed_value *row = ed_batch_add_row(&b, ++h.now);
    row[0] = ed_v_int(1);
    row[1] = ed_v_double(1);
    row[2] = ed_v_ts(20000);
    b.part[0] = 0; /* partition 1 is idle: only partition 0 counts */
    ed_engine_push(e, s, &b);
    CHECK(s->watermark == 20000);
    /* partition 1 comes back (it holds again, at 22000), partition 0 moves on;
     * then, with no event from partition 1 for 10 s, partition 0's next event
     * (same partition, later arrival) lifts the watermark past it */
    int64_t ts2[] = {22000, 30000, 30500, 31000};
    int32_t pt2[] = {1, 0, 0, 0};
    int64_t at2[] = {h.now + 1, h.now + 2, h.now + 5002, h.now + 10002};
    int64_t want[] = {20000, 22000, 22000, 31000};
    for (int i = 0; i < 4; i++) {
        ed_batch_clear(&b);
        row = ed_batch_add_row(&b, at2[i]);
        row[0] = ed_v_int(1);
        row[1] = ed_v_double(1);
        row[2] = ed_v_ts(ts2[i]);
        b.part[0] = pt2[i];
        ed_engine_push(e, s, &b);
        CHECK(s->watermark == want[i]);
        if (s->watermark != want[i]) fprintf(stderr, "step %d: watermark %lld\n", i, (long long)s->watermark);
    }
    ed_batch_free(&b);
    ed_engine_free(e);
}

/* SUM of BIGINT that overflows is NULL and counted in eval_errors once per
 * emitted result (a hopping window counts every window it made NULL). */
static void test_sum_overflow_counted(void)
{
    host h;
    ed_engine *e = setup(&h, "CREATE QUERY q AS INSERT INTO out SELECT auction % 2 AS k, SUM(auction) AS s, window_end"
                             " FROM bids WINDOW HOPPING (SIZE 4 SECONDS, ADVANCE BY 2 SECONDS) GROUP BY auction % 2;");
    const int64_t M = INT64_MAX; /* odd: key 1 */
    bid b[] = {{M, 1, 1000}, {M, 1, 2500}, {2, 1, 2600}, {1, 1, 9000}, {M, 1, 20000}};
    push_bids(e, &h, b, 5, 2);
    ed_engine_finish(e);
    /* key 1: [-2,2) holds M, [0,4) M + M (overflow: NULL), [2,6) M, [6,10) and
     * [8,12) 1, [18,22) and [20,24) M. Only [0,4) overflows. */
    CHECK(strstr(h.out.buf, "{\"k\":1,\"s\":null,\"window_end\":\"1970-01-01T00:00:04.000Z\"}") != NULL);
    CHECK(strstr(h.out.buf, "{\"k\":1,\"s\":9223372036854775807,\"window_end\":\"1970-01-01T00:00:02.000Z\"}") != NULL);
    CHECK(strstr(h.out.buf, "{\"k\":0,\"s\":2,\"window_end\":\"1970-01-01T00:00:04.000Z\"}") != NULL);
    json_t *qi = ed_engine_query_info(e, "q");
    CHECK(json_integer_value(json_object_get(qi, "eval_errors")) == 1);
    json_decref(qi);
    ed_sb m = ED_SB_INIT;
    ed_engine_metrics(e, &m);
    CHECK(strstr(m.buf, "eddy_query_eval_errors_total{query=\"q\"} 1\n") != NULL);
    ed_sb_free(&m);
    ed_sb_free(&h.out);
    ed_engine_free(e);

    /* overflow inside panes [0,2) and [2,4): each of the 4 windows holding one
     * or both is NULL and counted once */
    e = setup(&h, "CREATE QUERY q AS INSERT INTO out SELECT SUM(auction) AS s FROM bids"
                  " WINDOW HOPPING (SIZE 6 SECONDS, ADVANCE BY 2 SECONDS);");
    bid c[] = {{M, 1, 100}, {M, 1, 200}, {M, 1, 2100}, {M, 1, 2200}};
    push_bids(e, &h, c, 4, 4);
    ed_engine_finish(e);
    /* windows ending 2, 4, 6 and 8 s each hold an overflowed pane */
    int nulls = 0;
    for (const char *p = h.out.buf; p && (p = strstr(p, "{\"s\":null}")); p++) nulls++;
    CHECK(nulls == 4);
    qi = ed_engine_query_info(e, "q");
    CHECK(json_integer_value(json_object_get(qi, "eval_errors")) == 4);
    json_decref(qi);
    ed_sb_free(&h.out);
    ed_engine_free(e);
}

/* Many groups (the group table's chunks of 16 .. 4096 entries and beyond) in
 * a hopping window: windows of one pane are emitted from the pane, the
 * window of two panes combines them and emits in order of first arrival
 * (here not the order of its first pane). */
static void test_many_groups(void)
{
    enum { N = 20000 };
    host h;
    ed_engine *e = setup(&h, "CREATE QUERY q AS INSERT INTO out SELECT auction, COUNT(*) AS n, window_end FROM bids"
                             " WINDOW HOPPING (SIZE 4 SECONDS, ADVANCE BY 2 SECONDS) GROUP BY auction;");
    static bid b[N + N / 3 + 1];
    int n = 0;
    for (int a = N - 1; a >= 0; a--)
        if (a % 3 == 0) b[n++] = (bid){a, 1, 2500}; /* pane [2, 4) first, descending */
    for (int a = 0; a < N; a++) b[n++] = (bid){a, 1, 500}; /* then pane [0, 2), ascending */
    push_bids(e, &h, b, n, 1000);
    ed_engine_finish(e);
    ed_sb want = ED_SB_INIT;
    const char *end2 = "1970-01-01T00:00:02.000Z", *end4 = "1970-01-01T00:00:04.000Z", *end6 = "1970-01-01T00:00:06.000Z";
    for (int a = 0; a < N; a++) ed_sb_printf(&want, "out: {\"auction\":%d,\"n\":1,\"window_end\":\"%s\"}\n", a, end2);
    for (int a = N - 1; a >= 0; a--)
        if (a % 3 == 0) ed_sb_printf(&want, "out: {\"auction\":%d,\"n\":2,\"window_end\":\"%s\"}\n", a, end4);
    for (int a = 0; a < N; a++)
        if (a % 3 != 0) ed_sb_printf(&want, "out: {\"auction\":%d,\"n\":1,\"window_end\":\"%s\"}\n", a, end4);
    for (int a = N - 1; a >= 0; a--)
        if (a % 3 == 0) ed_sb_printf(&want, "out: {\"auction\":%d,\"n\":1,\"window_end\":\"%s\"}\n", a, end6);
    CHECK(h.out.len == want.len && memcmp(h.out.buf, want.buf, want.len) == 0);
    if (h.out.len != want.len || memcmp(h.out.buf, want.buf, want.len) != 0)
        fprintf(stderr, "many_groups: %zu bytes of output, %zu expected\n", h.out.len, want.len);
    ed_sb_free(&want);
    ed_sb_free(&h.out);
    ed_engine_free(e);
}

int main(void)
{
    test_partitions();
    test_partitions_random();
    test_tumbling();
    test_hopping();
    test_many_groups();
    test_partial_lateness();
    test_batching_invariance();
    test_idle_timeout();
    test_idle_timeout_saturates();
    test_arrival_time();
    test_per_event_and_errors();
    test_explain_and_metrics();
    test_sum_overflow_counted();
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    puts("engine: all checks passed");
    return 0;
}
