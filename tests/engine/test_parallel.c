/* test_parallel.c — ed_par (engine/parallel.h) gives the results of the
 * one-thread engine: the same statements over the same event sequence, once
 * through one ed_engine with ed_engine_push and once through 1, 2 and 3
 * shards with ed_par_run, compared as multisets of (sink, window_end, row)
 * — i.e. per window — plus exact counters summed over shards (events in,
 * late events, rows out, NULL event times).
 *
 * Streams: a hand-made one with out-of-order, late and NULL-time events and
 * VARCHAR values living in the batch arena (rows cross threads while their
 * strings stay in the producer's chunk), and the Nexmark bid stream with
 * examples/nexmark q2, q5 and q7. Routing modes checked: hash, local, single. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "connectors/nexmark.h"
#include "engine/internal.h"
#include "engine/parallel.h"

#ifndef EDDY_SOURCE_DIR
#define EDDY_SOURCE_DIR "."
#endif

#include "../check.h"

/* --- a host that collects "sink|window_end|json" per row ------------------ */
typedef struct coll {
    char **rows;
    size_t n, cap;
} coll;

static int64_t h_now(void *c) { return 0; }
static int h_src_open(void *c, ed_stream_def *s, char *err, size_t n) { return 0; }
static void h_src_close(void *c, ed_stream_def *s) {}
static int h_sink_open(void *c, ed_sink_def *s, char *err, size_t n) { return 0; }
static void h_sink_close(void *c, ed_sink_def *s) {}
static void h_write(void *c, ed_sink_def *s, const ed_row *r)
{
    coll *k = c;
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 256;
        k->rows = realloc(k->rows, sizeof(char *) * k->cap);
    }
    size_t len = strlen(s->name) + r->json_len + 32;
    char *line = malloc(len);
    snprintf(line, len, "%s|%lld|%.*s", s->name, (long long)r->window_end, (int)r->json_len, r->json);
    k->rows[k->n++] = line;
}
static const ed_host_ops OPS = {h_now, h_src_open, h_src_close, h_sink_open, h_sink_close, h_write};

static void coll_free(coll *k)
{
    for (size_t i = 0; i < k->n; i++) free(k->rows[i]);
    free(k->rows);
    memset(k, 0, sizeof *k);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* all shards' rows into one sorted list (moves the strings) */
static void merge(coll *dst, coll *src, int n)
{
    for (int i = 0; i < n; i++) {
        for (size_t r = 0; r < src[i].n; r++) {
            if (dst->n == dst->cap) {
                dst->cap = dst->cap ? dst->cap * 2 : 256;
                dst->rows = realloc(dst->rows, sizeof(char *) * dst->cap);
            }
            dst->rows[dst->n++] = src[i].rows[r];
        }
        src[i].n = 0;
    }
    qsort(dst->rows, dst->n, sizeof(char *), cmp_str);
}

static int same_multiset(const char *what, coll *ref, coll *par)
{
    qsort(ref->rows, ref->n, sizeof(char *), cmp_str);
    if (ref->n != par->n) {
        fprintf(stderr, "%s: %zu rows in one thread, %zu in parallel\n", what, ref->n, par->n);
        for (size_t i = 0, j = 0; i < ref->n && j < par->n; i++, j++) /* both sorted: the first row not in both */
            if (strcmp(ref->rows[i], par->rows[j]) != 0) {
                fprintf(stderr, "  first difference: 1 thread: %s\n              parallel: %s\n", ref->rows[i], par->rows[j]);
                break;
            }
        return 0;
    }
    for (size_t i = 0; i < ref->n; i++)
        if (strcmp(ref->rows[i], par->rows[i]) != 0) {
            fprintf(stderr, "%s: row %zu differs:\n  1 thread: %s\n  parallel: %s\n", what, i, ref->rows[i], par->rows[i]);
            return 0;
        }
    return 1;
}

typedef struct counters {
    uint64_t stream_in, null_time, q_in[8], q_late[8], q_out[8];
} counters;

static void add_counters(ed_engine *e, const char *stream, counters *c)
{
    ed_stream_def *s = ed_engine_stream(e, stream);
    c->stream_in += s->events_in;
    c->null_time += s->null_time_events;
    for (int i = 0; i < e->nqueries && i < 8; i++) {
        c->q_in[i] += e->queries[i]->events_in;
        c->q_late[i] += e->queries[i]->late_events;
        c->q_out[i] += e->queries[i]->events_out;
    }
}

/* --- the hand-made stream ----------------------------------------------------- */
#define EV_N 12000
static const char *const WORDS[] = {"a", "bb", "ccc", "dddd", "eeeee"};

typedef struct rec {
    int64_t k, v, ts;
    int w;
    int null_ts;
} rec;
static rec EV[EV_N];

static void make_events(void)
{
    uint64_t x = 12345;
    for (int i = 0; i < EV_N; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        uint32_t r = (uint32_t)(x >> 33);
        rec *e = &EV[i];
        e->k = r % 10 < 3 ? 1 : (int64_t)(r % 37);
        e->v = (int64_t)((r >> 5) % 1000) - 100;
        e->w = (int)((r >> 15) % 5);
        int64_t t = 1000000 + (int64_t)i * 7;
        uint32_t j = (r >> 20) % 100;
        if (j < 4) t -= (int64_t)((r >> 8) % 5000); /* out of order, often late */
        else t += (int64_t)((r >> 8) % 300) - 150;
        e->ts = t;
        e->null_ts = (r >> 27) % 97 == 0;
    }
}

static void add_rec(ed_batch *b, const rec *e)
{
    ed_value *row = ed_batch_add_row(b, 2000000 + (e - EV) * 3); /* arrival: for streams without WATERMARK */
    row[0] = ed_v_int(e->k);
    row[1] = ed_v_int(e->v);
    const char *w = WORDS[e->w];
    row[2] = ed_v_str(ed_arena_strndup(&b->arena, w, strlen(w)), (uint32_t)strlen(w)); /* in the batch arena */
    row[3] = e->null_ts ? ed_v_null() : ed_v_ts(e->ts);
}

typedef struct ev_fill {
    int chunk;
} ev_fill;

static int fill_ev(void *ctx, int worker, int64_t chunk, ed_batch *b)
{
    int c = ((ev_fill *)ctx)->chunk;
    int64_t lo = chunk * c;
    int n = 0;
    for (int64_t i = lo; i < lo + c && i < EV_N; i++, n++) add_rec(b, &EV[i]);
    return n;
}

#define EV_DDL                                                                                                         \
    "CREATE STREAM ev (k BIGINT, v BIGINT, s VARCHAR, ts TIMESTAMP,"                                                   \
    " WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH (connector = 'test');"

static const char *const EV_SETS[][2] = {
    {"hash(k)",
     EV_DDL "CREATE SINK out_a WITH (connector = 'test'); CREATE SINK out_b WITH (connector = 'test');"
            "CREATE SINK out_c WITH (connector = 'test');"
            "CREATE QUERY a AS INSERT INTO out_a SELECT k, COUNT(*) AS n, SUM(v) AS sv, MAX(s) AS ms, window_end"
            "  FROM ev WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY k;"
            "CREATE QUERY b AS INSERT INTO out_b SELECT k, s, COUNT(*) AS n, MIN(v) AS mv, COUNT(DISTINCT v) AS dv,"
            "  window_start, window_end FROM ev WHERE v > 0"
            "  WINDOW HOPPING (SIZE 3 SECONDS, ADVANCE BY 1 SECOND) GROUP BY k, s HAVING COUNT(*) > 1;"
            "CREATE QUERY c AS INSERT INTO out_c SELECT k, v, s, ts FROM ev WHERE v % 3 = 0;"},
    {"hash(s)",
     EV_DDL "CREATE SINK out WITH (connector = 'test');"
            "CREATE QUERY a AS INSERT INTO out SELECT s, COUNT(*) AS n, SUM(v) AS sv, window_end"
            "  FROM ev WINDOW HOPPING (SIZE 2 SECONDS, ADVANCE BY 500 MILLISECONDS) GROUP BY s;"},
    {"single",
     EV_DDL "CREATE SINK out WITH (connector = 'test'); CREATE SINK out_c WITH (connector = 'test');"
            "CREATE QUERY g AS INSERT INTO out SELECT COUNT(*) AS n, SUM(v) AS sv, MAX(k) AS mk, window_end"
            "  FROM ev WINDOW TUMBLING (SIZE 2 SECONDS);"
            "CREATE QUERY c AS INSERT INTO out_c SELECT k, v, s FROM ev WHERE v % 7 = 1;"},
    {"single",
     EV_DDL "CREATE SINK out WITH (connector = 'test');"
            "CREATE QUERY m AS INSERT INTO out SELECT k % 5 AS g, COUNT(*) AS n, window_end"
            "  FROM ev WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY k % 5;"},
    {"local",
     EV_DDL "CREATE SINK out WITH (connector = 'test');"
            "CREATE QUERY c AS INSERT INTO out SELECT k, v * 2 AS v2, s, ts FROM ev WHERE v % 3 = 0;"},
    /* copies only k and v (no string): chunks are made in the worker's
     * scratch batch (parallel.c route.scratch), here with out-of-order, late
     * and NULL-time rows. With three shards it found an engine bug: a
     * hopping window that closed while a shard held no data for it was
     * emitted later (op_window.c window_wm) */
    {"hash(k)",
     EV_DDL "CREATE SINK out WITH (connector = 'test');"
            "CREATE QUERY a AS INSERT INTO out SELECT k, COUNT(*) AS n, SUM(v) AS sv, MIN(v) AS mv, window_end"
            "  FROM ev WINDOW HOPPING (SIZE 2 SECONDS, ADVANCE BY 500 MILLISECONDS) GROUP BY k;"},
    /* the same for an arrival-time stream (the scratch batch's arrival times) */
    {"hash(k)",
     "CREATE STREAM ev (k BIGINT, v BIGINT, s VARCHAR, ts TIMESTAMP) WITH (connector = 'test');"
     "CREATE SINK out WITH (connector = 'test');"
     "CREATE QUERY a AS INSERT INTO out SELECT k, COUNT(*) AS n, SUM(v) AS sv, window_end"
     "  FROM ev WINDOW TUMBLING (SIZE 200 MILLISECONDS) GROUP BY k;"},
    /* arrival time is event time: ts is a plain column (NULLs kept) */
    {"hash(k)",
     "CREATE STREAM ev (k BIGINT, v BIGINT, s VARCHAR, ts TIMESTAMP) WITH (connector = 'test');"
     "CREATE SINK out WITH (connector = 'test');"
     "CREATE QUERY a AS INSERT INTO out SELECT k, COUNT(*) AS n, MAX(ts) AS mt, window_end"
     "  FROM ev WINDOW HOPPING (SIZE 300 MILLISECONDS, ADVANCE BY 100 MILLISECONDS) GROUP BY k;"},
};

static void ref_ev(const char *sql, coll *out, counters *c)
{
    ed_engine *e = ed_engine_new(&OPS, out);
    json_decref(ed_engine_exec(e, sql, strlen(sql)));
    ed_stream_def *s = ed_engine_stream(e, "ev");
    ed_batch b;
    ed_batch_init(&b, s->schema.ncols);
    for (int i = 0; i < EV_N; i++) {
        add_rec(&b, &EV[i]);
        if (b.nrows == 50 || i == EV_N - 1) {
            ed_engine_push(e, s, &b);
            ed_batch_clear(&b);
        }
    }
    ed_engine_finish(e);
    add_counters(e, "ev", c);
    ed_batch_free(&b);
    ed_engine_free(e);
}

static void check_counters(const char *what, const counters *a, const counters *b)
{
    int ok = a->stream_in == b->stream_in && a->null_time == b->null_time;
    for (int i = 0; i < 8; i++) ok &= a->q_in[i] == b->q_in[i] && a->q_late[i] == b->q_late[i] && a->q_out[i] == b->q_out[i];
    if (!ok) {
        fprintf(stderr, "%s: counters differ: in %llu/%llu null %llu/%llu late[0] %llu/%llu out[0] %llu/%llu\n", what,
                (unsigned long long)a->stream_in, (unsigned long long)b->stream_in, (unsigned long long)a->null_time,
                (unsigned long long)b->null_time, (unsigned long long)a->q_late[0], (unsigned long long)b->q_late[0],
                (unsigned long long)a->q_out[0], (unsigned long long)b->q_out[0]);
        failures++;
    }
}

static void test_handmade(void)
{
    make_events();
    for (size_t set = 0; set < sizeof EV_SETS / sizeof EV_SETS[0]; set++) {
        const char *sql = EV_SETS[set][1];
        coll ref = {0};
        counters rc = {0};
        ref_ev(sql, &ref, &rc);
        CHECK(ref.n > 0);
        CHECK(rc.null_time > 0 || strstr(sql, "WATERMARK") == NULL);
        for (int shards = 1; shards <= 3; shards++)
            for (int chunk = 7; chunk <= 64; chunk += 57) {
                coll out[3] = {{0}};
                void *hc[3] = {&out[0], &out[1], &out[2]};
                ev_fill f = {chunk};
                void *fc[3] = {&f, &f, &f};
                char err[256];
                ed_par *p = ed_par_new(shards, &OPS, hc, sql, strlen(sql), err, sizeof err);
                CHECK(p != NULL);
                if (!p) {
                    fprintf(stderr, "%s\n", err);
                    continue;
                }
                const char *routing = ed_par_routing(p, "ev");
                CHECK(routing && strcmp(routing, EV_SETS[set][0]) == 0);
                CHECK(ed_par_run(p, "nope", fill_ev, fc) == -1); /* unknown stream */
                CHECK(ed_par_run(p, "ev", fill_ev, fc) == 0);
                CHECK(ed_par_run(p, "ev", fill_ev, fc) == -1); /* once */
                counters pc = {0};
                for (int i = 0; i < shards; i++) add_counters(ed_par_engine(p, i), "ev", &pc);
                if (shards == 2 && set == 0) CHECK(out[0].n > 0 && out[1].n > 0); /* both shards emitted */
                coll all = {0};
                merge(&all, out, shards);
                char what[128];
                snprintf(what, sizeof what, "set %zu (%s), %d shards, chunk %d", set, EV_SETS[set][0], shards, chunk);
                if (!same_multiset(what, &ref, &all)) failures++;
                check_counters(what, &rc, &pc);
                ed_par_free(p);
                coll_free(&all);
                for (int i = 0; i < 3; i++) coll_free(&out[i]);
            }
        CHECK(set != 0 || rc.q_late[0] > 0); /* the stream really has late events */
        coll_free(&ref);
    }
}

/* --- Nexmark ------------------------------------------------------------------ */
#define NX_EVENTS 150000
#define NX_CHUNK_BIDS (46 * 11)

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) n = 0;
    buf[n] = 0;
    fclose(f);
    return buf;
}

static char *nexmark_sql(const char *q)
{
    char p1[4096], p2[4096];
    snprintf(p1, sizeof p1, "%s/examples/nexmark/bid.sql", EDDY_SOURCE_DIR);
    snprintf(p2, sizeof p2, "%s/examples/nexmark/%s.sql", EDDY_SOURCE_DIR, q);
    char *a = slurp(p1), *b = slurp(p2);
    if (!a || !b) {
        free(a), free(b);
        return NULL;
    }
    char *s = malloc(strlen(a) + strlen(b) + 2);
    sprintf(s, "%s\n%s", a, b);
    free(a), free(b);
    return s;
}

typedef struct nx_fill {
    ed_nexmark_gen *g;
    const ed_schema *schema;
} nx_fill;

/* chunk k = bids k*NX_CHUNK_BIDS ..: 46 bids in every 50 events */
static int fill_nx(void *ctx, int worker, int64_t chunk, ed_batch *b)
{
    nx_fill *f = ctx;
    ed_nexmark_gen_seek(f->g, chunk * (NX_CHUNK_BIDS / 46) * 50);
    return ed_nexmark_gen_fill(f->g, ED_NX_BID, f->schema, b, NX_CHUNK_BIDS);
}

static void test_nexmark(void)
{
    const char *qs[] = {"q5", "q7", "q2"};
    const char *routes[] = {"hash(auction)", "single", "local"};
    for (int qi = 0; qi < 3; qi++) {
        char *sql = nexmark_sql(qs[qi]);
        CHECK(sql != NULL);
        if (!sql) continue;
        /* one thread */
        coll ref = {0};
        counters rc = {0};
        ed_engine *e = ed_engine_new(&OPS, &ref);
        json_decref(ed_engine_exec(e, sql, strlen(sql)));
        ed_stream_def *s = ed_engine_stream(e, "bid");
        ed_nexmark_gen *g = ed_nexmark_gen_new(42, 0, NX_EVENTS);
        ed_batch b;
        ed_batch_init(&b, s->schema.ncols);
        while (ed_nexmark_gen_fill(g, ED_NX_BID, &s->schema, &b, 1000) > 0) {
            ed_engine_push(e, s, &b);
            ed_batch_clear(&b);
        }
        ed_engine_finish(e);
        add_counters(e, "bid", &rc);
        ed_engine_free(e);
        ed_batch_free(&b);
        ed_nexmark_gen_free(g);
        CHECK(ref.n > 0);
        /* two threads */
        coll out[2] = {{0}};
        void *hc[2] = {&out[0], &out[1]};
        char err[256];
        ed_par *p = ed_par_new(2, &OPS, hc, sql, strlen(sql), err, sizeof err);
        CHECK(p != NULL);
        if (p) {
            const char *routing = ed_par_routing(p, "bid");
            CHECK(routing && strcmp(routing, routes[qi]) == 0);
            nx_fill f[2];
            void *fc[2] = {&f[0], &f[1]};
            for (int w = 0; w < 2; w++) {
                f[w].g = ed_nexmark_gen_new(42, 0, NX_EVENTS);
                f[w].schema = &ed_engine_stream(ed_par_engine(p, w), "bid")->schema;
            }
            CHECK(ed_par_run(p, "bid", fill_nx, fc) == 0);
            counters pc = {0};
            for (int i = 0; i < 2; i++) add_counters(ed_par_engine(p, i), "bid", &pc);
            coll all = {0};
            merge(&all, out, 2);
            if (!same_multiset(qs[qi], &ref, &all)) failures++;
            check_counters(qs[qi], &rc, &pc);
            /* hash routing splits the engine work by key; single keeps it on
             * shard 0 (local routing follows who made which chunk: timing) */
            uint64_t in1 = ed_engine_stream(ed_par_engine(p, 1), "bid")->events_in;
            if (qi == 0) CHECK(in1 > rc.stream_in / 5 && in1 < rc.stream_in - rc.stream_in / 5);
            if (qi == 1) CHECK(in1 == 0);
            ed_par_free(p);
            for (int w = 0; w < 2; w++) ed_nexmark_gen_free(f[w].g); /* after the engines */
            coll_free(&all);
            coll_free(&out[0]);
            coll_free(&out[1]);
        }
        coll_free(&ref);
        free(sql);
    }
}

static void test_api(void)
{
    coll out[2] = {{0}};
    void *hc[2] = {&out[0], &out[1]};
    char err[256] = "";
    const char *bad = EV_DDL "CREATE SINK out WITH (connector = 'test');"
                             "CREATE QUERY a AS INSERT INTO out SELECT nosuch FROM ev;";
    CHECK(ed_par_new(2, &OPS, hc, bad, strlen(bad), err, sizeof err) == NULL);
    CHECK(strstr(err, "nosuch") != NULL);
    CHECK(ed_par_new(0, &OPS, hc, bad, strlen(bad), err, sizeof err) == NULL);
    CHECK(ed_par_new(ED_PAR_MAX_SHARDS + 1, &OPS, hc, bad, strlen(bad), err, sizeof err) == NULL);
    const char *ok = EV_DDL;
    ed_par *p = ed_par_new(2, &OPS, hc, ok, strlen(ok), err, sizeof err);
    CHECK(p != NULL && ed_par_shards(p) == 2 && ed_par_engine(p, 1) != NULL && ed_par_engine(p, 2) == NULL);
    CHECK(ed_par_routing(p, "nope") == NULL);
    CHECK(strcmp(ed_par_routing(p, "ev"), "local") == 0); /* no query: nothing to keep together */
    ed_par_free(p);
}

int main(void)
{
    test_api();
    test_handmade();
    test_nexmark();
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("parallel: all checks passed\n");
    return 0;
}
