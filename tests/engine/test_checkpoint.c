/* test_checkpoint.c — engine checkpoints (ed_engine_snapshot/restore).
 *
 * Equivalence: for every split point k, an engine fed events [0,k),
 * snapshotted, freed, and a fresh engine built from the same SQL, restored
 * and fed [k,n) emits exactly the rows (with emit groups) and counters of one
 * engine fed [0,n). Queries cover tumbling and hopping windows, GROUP BY
 * strings, ints and both, no GROUP BY, COUNT/SUM/AVG/MIN/MAX of numbers and
 * strings, COUNT(DISTINCT), HAVING, a UDF aggregate without serializers
 * (verbatim state), a per-event query, a partitioned stream and an
 * arrival-time stream, with late and NULL-time events.
 * Also: snapshot -> restore -> snapshot is byte-identical; every truncation
 * and many byte flips of a real blob either restore or fail with a message
 * and leave the engine exactly as it was; a changed query is refused;
 * unknown objects are skipped; the registry enforces serializer pairs. */
#include "engine/engine.h"
#include "udf/registry.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check.h"

typedef struct host {
    int64_t now;
    ed_sb out; /* "query g=<emit group> json\n" per row */
} host;

static int64_t h_now(void *c) { return ((host *)c)->now; }
static int h_src_open(void *c, ed_stream_def *s, char *err, size_t n) { (void)c, (void)s, (void)err, (void)n; return 0; }
static void h_src_close(void *c, ed_stream_def *s) { (void)c, (void)s; }
static int h_sink_open(void *c, ed_sink_def *s, char *err, size_t n) { (void)c, (void)s, (void)err, (void)n; return 0; }
static void h_sink_close(void *c, ed_sink_def *s) { (void)c, (void)s; }
static void h_write(void *c, ed_sink_def *s, const ed_row *r)
{
    host *h = c;
    (void)s;
    ed_sb_printf(&h->out, "%s g=%llu %.*s\n", r->query, (unsigned long long)r->emit_group, (int)r->json_len, r->json);
}
static const ed_host_ops OPS = {h_now, h_src_open, h_src_close, h_sink_open, h_sink_close, h_write};

static int exec_ok(ed_engine *e, const char *sql)
{
    json_t *r = ed_engine_exec(e, sql, strlen(sql));
    size_t i;
    json_t *v;
    int ok = 1;
    json_array_foreach(r, i, v)
    {
        if (!json_is_true(json_object_get(v, "ok"))) {
            fprintf(stderr, "exec: %s\n", json_string_value(json_object_get(v, "detail")));
            ok = 0;
        }
    }
    json_decref(r);
    return ok;
}

/* ---- a UDF aggregate whose state has no pointers: copied verbatim ---- */
typedef struct sq_state {
    double s;
    int64_t n;
} sq_state;
static ed_type sq_check(const ed_type *a, int n, char *err, size_t errlen)
{
    (void)a, (void)n, (void)err, (void)errlen;
    return ED_DOUBLE;
}
static void sq_init(void *st, ed_type t) { (void)t; memset(st, 0, sizeof(sq_state)); }
static void sq_step(void *st, const ed_value *a, int n)
{
    (void)n;
    sq_state *s = st;
    if (a[0].type == ED_NULL) return;
    double x = a[0].type == ED_DOUBLE ? a[0].u.d : (double)a[0].u.i;
    s->s += x * x;
    s->n++;
}
static void sq_combine(void *d, const void *s)
{
    ((sq_state *)d)->s += ((const sq_state *)s)->s;
    ((sq_state *)d)->n += ((const sq_state *)s)->n;
}
static ed_value sq_final(const void *st, ed_arena *ar)
{
    (void)ar;
    const sq_state *s = st;
    return s->n ? ed_v_double(s->s) : ed_v_null();
}
static void dummy_ser(const void *st, ed_sb *out) { (void)st, (void)out; }
static int dummy_deser(void *st, const unsigned char **p, const unsigned char *end) { (void)st, (void)p, (void)end; return 0; }
static void dummy_destroy(void *st) { (void)st; }

static void register_udf(void)
{
    ed_registry_builtins();
    ed_agg_fn g = {"sumsq", sizeof(sq_state), 1, 1, sq_check, sq_init, sq_step, sq_combine, sq_final, NULL, NULL,
                   "sum of squares", NULL, NULL, NULL};
    ed_agg_fn bad = g;
    bad.name = "half1";
    bad.serialize = dummy_ser; /* one of the pair only */
    CHECK(ed_registry_add_agg(&bad) == -1);
    bad.serialize = NULL;
    bad.deserialize = dummy_deser;
    CHECK(ed_registry_add_agg(&bad) == -1);
    bad.deserialize = NULL;
    bad.destroy = dummy_destroy; /* heap state without serializers */
    CHECK(ed_registry_add_agg(&bad) == -1);
    bad.serialize = dummy_ser;
    bad.deserialize = dummy_deser;
    CHECK(ed_registry_add_agg(&bad) == 0);
    CHECK(ed_registry_add_agg(&g) == 0);
}

/* ---- catalog and events ---- */
static const char *CATALOG =
    "CREATE STREAM bids (auction BIGINT, bidder VARCHAR, price DOUBLE, ts TIMESTAMP,"
    " WATERMARK FOR ts AS ts - INTERVAL '2' SECOND) WITH (connector = 'test');"
    "CREATE STREAM kb (auction BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts) WITH (connector = 'test');"
    "CREATE STREAM clicks (page VARCHAR) WITH (connector = 'test');"
    "CREATE SINK out WITH (connector = 'test');"
    "CREATE SINK out2 WITH (connector = 'test');";

static const char *QUERIES[] = {
    "CREATE QUERY q_tumble AS INSERT INTO out SELECT auction, COUNT(*) AS n, SUM(price) AS total, AVG(price) AS mean,"
    " MIN(price) AS lo, MAX(price) AS hi, window_end FROM bids WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY auction;",
    "CREATE QUERY q_hop AS INSERT INTO out SELECT bidder, COUNT(DISTINCT auction) AS na, SUM(auction) AS sa,"
    " COUNT(price) AS np, window_start FROM bids WINDOW HOPPING (SIZE 6 SECONDS, ADVANCE BY 4 SECONDS) GROUP BY bidder;",
    "CREATE QUERY q_having AS INSERT INTO out2 SELECT auction, COUNT(*) AS n, MIN(bidder) AS first, MAX(bidder) AS last,"
    " COUNT(DISTINCT bidder) AS nb, COUNT(DISTINCT price) AS np, window_end FROM bids"
    " WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 2 SECONDS) GROUP BY auction HAVING COUNT(*) >= 3;",
    "CREATE QUERY q_multi AS INSERT INTO out SELECT bidder, auction, SUM(price) AS s, sumsq(price) AS sq, window_end"
    " FROM bids WINDOW TUMBLING (SIZE 5 SECONDS) GROUP BY bidder, auction;",
    "CREATE QUERY q_all AS INSERT INTO out SELECT COUNT(*) AS n, MAX(bidder) AS mb, MIN(auction) AS ma, window_end"
    " FROM bids WINDOW TUMBLING (SIZE 7 SECONDS);",
    "CREATE QUERY q_pe AS INSERT INTO out2 SELECT auction, bidder, price FROM bids WHERE price > 90;",
    "CREATE QUERY q_part AS INSERT INTO out SELECT auction, COUNT(*) AS n, window_end FROM kb"
    " WINDOW TUMBLING (SIZE 3 SECONDS) GROUP BY auction;",
    "CREATE QUERY q_clicks AS INSERT INTO out SELECT page, COUNT(*) AS n, window_start FROM clicks"
    " WINDOW HOPPING (SIZE 20 MILLISECONDS, ADVANCE BY 10 MILLISECONDS) GROUP BY page;",
};
#define NQUERIES ((int)(sizeof QUERIES / sizeof QUERIES[0]))

typedef struct event {
    int64_t auction;
    const char *bidder; /* NULL = NULL */
    double price;       /* < 0: NULL */
    int64_t ts;         /* INT64_MIN: NULL */
    int64_t kts;        /* kb event time */
    int32_t kpart;
    const char *page;
} event;

#define MAXN 400
static event EV[MAXN];

static void gen_events(int n, uint64_t seed)
{
    static const char *names[] = {"alice", "bob", "carol", "dave", "", "\xc3\xa9ve"};
    static const char *pages[] = {"/", "/a", "/b"};
    uint64_t x = seed;
    for (int i = 0; i < n; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        event *v = &EV[i];
        v->auction = (int64_t)((x >> 33) % 5);
        v->bidder = (x >> 20) % 17 == 0 ? NULL : names[(x >> 40) % 6];
        v->price = (x >> 12) % 23 == 0 ? -1 : (double)((x >> 44) % 1000) / 10.0;
        v->ts = i % 37 == 36 ? INT64_MIN : i * 250 + (int64_t)((x >> 24) % 4000) - 3000;
        v->kpart = (int32_t)(i % 3);
        v->kts = i * 300 + v->kpart * 700 - (int64_t)((x >> 50) % 900);
        v->page = pages[(x >> 56) % 3];
    }
}

static void feed(ed_engine *e, host *h, int from, int to)
{
    ed_stream_def *bids = ed_engine_stream(e, "bids"), *kb = ed_engine_stream(e, "kb"),
                  *clicks = ed_engine_stream(e, "clicks");
    ed_batch b;
    for (int i = from; i < to; i++) {
        const event *v = &EV[i];
        h->now += 3;
        ed_batch_init(&b, bids->schema.ncols);
        ed_value *row = ed_batch_add_row(&b, h->now);
        row[0] = ed_v_int(v->auction);
        row[1] = v->bidder ? ed_v_str(v->bidder, (uint32_t)strlen(v->bidder)) : ed_v_null();
        row[2] = v->price < 0 ? ed_v_null() : ed_v_double(v->price);
        row[3] = v->ts == INT64_MIN ? ed_v_null() : ed_v_ts(v->ts);
        ed_engine_push(e, bids, &b);
        ed_batch_free(&b);

        ed_batch_init(&b, kb->schema.ncols);
        row = ed_batch_add_row(&b, h->now);
        row[0] = ed_v_int(v->auction);
        row[1] = ed_v_ts(v->kts);
        b.part[0] = v->kpart;
        ed_engine_push(e, kb, &b);
        ed_batch_free(&b);

        ed_batch_init(&b, clicks->schema.ncols);
        row = ed_batch_add_row(&b, h->now);
        row[0] = ed_v_str(v->page, (uint32_t)strlen(v->page));
        ed_engine_push(e, clicks, &b);
        ed_batch_free(&b);
    }
}

/* Engine with the catalog and the queries whose bit is set in mask. */
static ed_engine *setup_mask(host *h, unsigned mask)
{
    ed_engine *e = ed_engine_new(&OPS, h);
    if (!exec_ok(e, CATALOG)) failures++;
    for (int i = 0; i < NQUERIES; i++)
        if (mask & (1u << i) && !exec_ok(e, QUERIES[i])) failures++;
    int32_t parts[] = {0, 1, 2};
    ed_engine_set_partitions(e, ed_engine_stream(e, "kb"), parts, 3);
    return e;
}
static ed_engine *setup(host *h) { return setup_mask(h, ~0u); }

/* Metrics without the state_bytes gauge (arena sizes depend on history). */
static char *counters(ed_engine *e)
{
    ed_sb m = ED_SB_INIT, r = ED_SB_INIT;
    ed_engine_metrics(e, &m);
    for (char *line = m.buf; line && *line;) {
        char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line + 1) : strlen(line);
        if (strncmp(line, "eddy_query_state_bytes", 22) != 0) ed_sb_append(&r, line, n);
        line += n;
    }
    ed_sb_free(&m);
    char *s = ed_sb_steal(&r);
    return s ? s : strdup("");
}

static bool same_bytes(const ed_sb *a, const ed_sb *b) { return a->len == b->len && !memcmp(a->buf, b->buf, a->len); }

/* Uninterrupted reference run. */
static void reference(int n, char **out, char **ctr)
{
    host h = {0};
    ed_engine *e = setup(&h);
    feed(e, &h, 0, n);
    ed_engine_finish(e);
    *out = ed_sb_steal(&h.out);
    *ctr = counters(e);
    ed_engine_free(e);
}

/* Feed [0,k), checkpoint, restart, restore, feed [k,n), finish. */
static void split_run(int n, int k, const char *ref_out, const char *ref_ctr)
{
    host h = {0};
    ed_engine *a = setup(&h);
    feed(a, &h, 0, k);
    ed_sb blob = ED_SB_INIT, again = ED_SB_INIT;
    ed_engine_snapshot(a, &blob);
    ed_engine_free(a);

    ed_engine *b = setup(&h); /* same host: the clock and the rows so far carry on */
    char err[512];
    int skipped = -1;
    int rc = ed_engine_restore(b, blob.buf, blob.len, &skipped, err, sizeof err);
    if (rc != 0) fprintf(stderr, "split %d: %s\n", k, err);
    CHECK(rc == 0);
    CHECK(skipped == 0);
    ed_engine_snapshot(b, &again);
    CHECK(same_bytes(&blob, &again));
    feed(b, &h, k, n);
    ed_engine_finish(b);
    const char *got = h.out.buf ? h.out.buf : "";
    if (strcmp(got, ref_out) != 0) {
        fprintf(stderr, "split at %d: rows differ\n--- expected\n%s--- got\n%s", k, ref_out, got);
        failures++;
    }
    char *ctr = counters(b);
    if (strcmp(ctr, ref_ctr) != 0) {
        fprintf(stderr, "split at %d: counters differ\n--- expected\n%s--- got\n%s", k, ref_ctr, ctr);
        failures++;
    }
    free(ctr);
    ed_sb_free(&blob);
    ed_sb_free(&again);
    ed_sb_free(&h.out);
    ed_engine_free(b);
}

static void test_equivalence(void)
{
    const int n = 200;
    gen_events(n, 7);
    char *ref_out, *ref_ctr;
    reference(n, &ref_out, &ref_ctr);
    /* the reference exercises what it should */
    CHECK(strstr(ref_out, "q_hop ") && strstr(ref_out, "q_having ") && strstr(ref_out, "q_pe ") &&
          strstr(ref_out, "q_part ") && strstr(ref_out, "q_clicks ") && strstr(ref_out, "\"sq\":"));
    CHECK(strstr(ref_ctr, "eddy_query_late_events_total{query=\"q_tumble\"} 0\n") == NULL);
    CHECK(strstr(ref_ctr, "eddy_stream_null_event_time_total{stream=\"bids\"} 0\n") == NULL);
    for (int k = 0; k <= n; k++) split_run(n, k, ref_out, ref_ctr);
    /* a second event sequence */
    gen_events(n, 99);
    free(ref_out), free(ref_ctr);
    reference(n, &ref_out, &ref_ctr);
    for (int k = 0; k <= n; k += 13) split_run(n, k, ref_out, ref_ctr);
    free(ref_out), free(ref_ctr);
}

/* Restore of a blob cut at every length, and of blobs with flipped bytes:
 * either 0, or -1 with a "checkpoint: " message and the engine unchanged
 * (its own snapshot still equals a fresh engine's). After all that the
 * engine still behaves exactly like a fresh one. */
static void test_corruption(void)
{
    const int n = 40, k = 30;
    gen_events(n, 3);
    char *ref_out, *ref_ctr;
    reference(n, &ref_out, &ref_ctr);

    host h = {0};
    ed_engine *a = setup(&h);
    feed(a, &h, 0, k);
    ed_sb blob = ED_SB_INIT, fresh = ED_SB_INIT, now = ED_SB_INIT;
    ed_engine_snapshot(a, &blob);
    ed_engine_free(a);
    ed_sb_free(&h.out);

    host fh = {0};
    ed_engine *f = setup(&fh);
    ed_engine_snapshot(f, &fresh);
    char err[512];
    int truncations = 0, flips = 0, flip_ok = 0;
    for (size_t len = 0; len < blob.len; len++) {
        err[0] = 0;
        int rc = ed_engine_restore(f, blob.buf, len, NULL, err, sizeof err);
        CHECK(rc == -1);
        CHECK(strncmp(err, "checkpoint: ", 12) == 0);
        ed_sb_clear(&now);
        ed_engine_snapshot(f, &now);
        CHECK(same_bytes(&now, &fresh));
        truncations += rc == -1;
    }
    unsigned char *copy = malloc(blob.len);
    static const unsigned char masks[] = {0x01, 0x80, 0xff};
    for (size_t pos = 0; pos < blob.len; pos++) {
        for (size_t m = 0; m < sizeof masks; m++) {
            memcpy(copy, blob.buf, blob.len);
            copy[pos] ^= masks[m];
            err[0] = 0;
            int rc = ed_engine_restore(f, copy, blob.len, NULL, err, sizeof err);
            CHECK(rc == 0 || rc == -1);
            flips++;
            if (rc == -1) {
                CHECK(strncmp(err, "checkpoint: ", 12) == 0);
                ed_sb_clear(&now);
                ed_engine_snapshot(f, &now);
                CHECK(same_bytes(&now, &fresh));
                continue;
            }
            /* accepted (a flipped count or timestamp is still a valid state):
             * the engine must run on safely; then start over with a fresh one */
            flip_ok++;
            feed(f, &fh, k, n);
            ed_engine_finish(f);
            ed_engine_free(f);
            ed_sb_free(&fh.out);
            memset(&fh, 0, sizeof fh);
            f = setup(&fh);
        }
    }
    /* a few random bytes replaced at random places, cut at a random length */
    uint64_t x = 12345;
    for (int it = 0; it < 3000; it++) {
        memcpy(copy, blob.buf, blob.len);
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        int nb = 1 + (int)((x >> 60) % 4);
        for (int j = 0; j < nb; j++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            copy[(x >> 20) % blob.len] = (unsigned char)(x >> 56);
        }
        size_t len = (x >> 8) % 4 == 0 ? (size_t)((x >> 30) % blob.len) : blob.len;
        int rc = ed_engine_restore(f, copy, len, NULL, err, sizeof err);
        CHECK(rc == 0 || rc == -1);
        if (rc == -1) {
            ed_sb_clear(&now);
            ed_engine_snapshot(f, &now);
            CHECK(same_bytes(&now, &fresh));
            continue;
        }
        feed(f, &fh, k, n);
        ed_engine_finish(f);
        ed_engine_free(f);
        ed_sb_free(&fh.out);
        memset(&fh, 0, sizeof fh);
        f = setup(&fh);
    }
    fprintf(stderr, "corruption: %d truncations refused, %d flips (%d accepted)\n", truncations, flips, flip_ok);
    CHECK(flip_ok < flips); /* most flips break structure and must be refused */
    free(copy);
    /* the survivor of all those failed restores behaves like a fresh engine */
    ed_engine_free(f);
    memset(&fh, 0, sizeof fh);
    f = setup(&fh);
    for (size_t len = 0; len < blob.len; len += 3) CHECK(ed_engine_restore(f, blob.buf, len, NULL, err, sizeof err) == -1);
    feed(f, &fh, 0, n);
    ed_engine_finish(f);
    CHECK(fh.out.buf && strcmp(fh.out.buf, ref_out) == 0);
    char *ctr = counters(f);
    CHECK(strcmp(ctr, ref_ctr) == 0);
    free(ctr);
    ed_engine_free(f);
    ed_sb_free(&fh.out);
    ed_sb_free(&blob);
    ed_sb_free(&fresh);
    ed_sb_free(&now);
    free(ref_out), free(ref_ctr);
}

/* Messages for a changed query, an unknown version, trailing bytes; skipped
 * objects; a query missing from the blob starts at its stream's watermark. */
static void test_mismatch(void)
{
    const int n = 60;
    gen_events(n, 11);
    host h = {0};
    ed_engine *a = setup(&h);
    /* an ad-hoc SELECT (internal sink, a client of this process) is not saved */
    CHECK(exec_ok(a, "SELECT auction, COUNT(*) AS n FROM bids WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY auction;"));
    feed(a, &h, 0, n);
    ed_sb blob = ED_SB_INIT;
    ed_engine_snapshot(a, &blob);
    CHECK(memmem(blob.buf, blob.len, "_select_", 8) == NULL);
    json_t *qa = ed_engine_query_info(a, "q_tumble");
    int64_t out_a = json_integer_value(json_object_get(qa, "events_out"));
    json_decref(qa);
    ed_engine_free(a);
    char err[512];

    /* q_tumble with another SQL text */
    ed_engine *b = ed_engine_new(&OPS, &h);
    CHECK(exec_ok(b, CATALOG));
    CHECK(exec_ok(b, "CREATE QUERY q_tumble AS INSERT INTO out SELECT auction, COUNT(*) AS n FROM bids"
                     " WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY auction;"));
    CHECK(ed_engine_restore(b, blob.buf, blob.len, NULL, err, sizeof err) == -1);
    CHECK(strcmp(err, "checkpoint: query q_tumble: SQL text differs from the checkpoint") == 0);
    CHECK(ed_engine_stream(b, "bids")->watermark == ED_TS_MIN); /* nothing loaded, not even streams */
    ed_engine_free(b);

    /* a stream with another definition */
    b = ed_engine_new(&OPS, &h);
    CHECK(exec_ok(b, "CREATE STREAM kb (auction BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)"
                     " WITH (connector = 'test');"));
    CHECK(ed_engine_restore(b, blob.buf, blob.len, NULL, err, sizeof err) == -1);
    CHECK(strcmp(err, "checkpoint: stream kb: SQL text differs from the checkpoint") == 0);
    ed_engine_free(b);

    /* unknown version, bad magic, trailing garbage, empty */
    b = setup(&h);
    ed_sb bad = ED_SB_INIT;
    ed_sb_append(&bad, blob.buf, blob.len);
    bad.buf[0] = 2;
    CHECK(ed_engine_restore(b, bad.buf, bad.len, NULL, err, sizeof err) == -1);
    CHECK(strstr(err, "unknown format version 2") != NULL);
    bad.buf[0] = 1;
    bad.buf[5] = 'X';
    CHECK(ed_engine_restore(b, bad.buf, bad.len, NULL, err, sizeof err) == -1);
    CHECK(strstr(err, "magic") != NULL);
    bad.buf[5] = blob.buf[5];
    ed_sb_putc(&bad, 0);
    CHECK(ed_engine_restore(b, bad.buf, bad.len, NULL, err, sizeof err) == -1);
    CHECK(strstr(err, "after the end mark") != NULL);
    CHECK(ed_engine_restore(b, NULL, 0, NULL, err, sizeof err) == -1);
    CHECK(strstr(err, "truncated") != NULL);
    ed_sb_free(&bad);
    ed_engine_free(b);

    /* an engine without q_pe and q_all, with an extra query: the two are
     * skipped, the extra one starts empty at the stream's watermark */
    unsigned mask = ~0u & ~(1u << 4) & ~(1u << 5);
    b = setup_mask(&h, mask);
    CHECK(exec_ok(b, "CREATE QUERY q_new AS INSERT INTO out SELECT COUNT(*) AS n FROM bids WINDOW TUMBLING (SIZE 1 SECOND);"));
    int skipped = -1;
    CHECK(ed_engine_restore(b, blob.buf, blob.len, &skipped, err, sizeof err) == 0);
    CHECK(skipped == 2);
    json_t *qb = ed_engine_query_info(b, "q_tumble");
    CHECK(json_integer_value(json_object_get(qb, "events_out")) == out_a);
    json_decref(qb);
    json_t *qn = ed_engine_query_info(b, "q_new");
    CHECK(json_integer_value(json_object_get(qn, "events_in")) == 0);
    json_decref(qn);
    ed_stream_def *s = ed_engine_stream(b, "bids");
    CHECK(s->watermark != ED_TS_MIN && s->events_in > 0);
    CHECK(ed_engine_stream(b, "kb")->nparts == 3);
    CHECK(ed_engine_stream(b, "kb")->parts[0].last_arrival == h.now); /* processing time restarts now */
    ed_engine_free(b);
    ed_sb_free(&blob);
    ed_sb_free(&h.out);
}

int main(void)
{
    register_udf();
    test_equivalence();
    test_mismatch();
    test_corruption();
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    puts("checkpoint: all checks passed");
    return 0;
}
