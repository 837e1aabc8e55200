/* bench_nexmark.c — eddy-bench: Nexmark queries run in-process.
 *
 * generator -> ed_engine_push (batches of --batch rows) -> a host whose sinks
 * only count rows. Each query is run --runs times on a fresh engine; the
 * median is reported as ns/event and events/s, where "events" are the bid
 * rows pushed into the query. The generator alone is timed in the same way,
 * so the report can split the total into generator and engine time.
 *
 * --threads N (N >= 2): each query also runs on N threads through ed_par
 * (engine/parallel.h): N shard engines, each worker generating every N-th
 * chunk of --batch bids (rounded down to a multiple of 46, the bids in 50
 * events) and handing rows of keys it does not own to their shard. The
 * report gives the one-thread and N-thread medians and their ratio (same
 * process, same runs count), plus the routing the plan allowed.
 *
 * floor-q5 (a QUERY name): q5 written by hand in plain C on the same
 * generated bids, the floor the engine's q5 is compared with.
 *
 * --json N: the JSON ingest path instead. N events of the sequence are
 * written as JSON lines into memory (~250 bytes per bid) once; then each run
 * times (a) eddy's schema-driven decoder (ed_json_decode_row) alone, (b) the
 * decoder feeding the query, and (c) jansson's json_loadb on the same lines
 * plus a lookup of every column, the baseline, so the ratio comes from one
 * process on one machine.
 *
 * Output: a human line per measurement and a machine line starting with
 * "RESULT" (key=value pairs) that bench/run.sh turns into a table.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "connectors/json_decode.h"
#include "connectors/nexmark.h"
#include "engine/engine.h"
#include "engine/parallel.h"

#ifndef EDDY_SOURCE_DIR
#define EDDY_SOURCE_DIR "."
#endif

typedef struct bhost {
    int64_t now;
    uint64_t rows;
} bhost;

static int64_t h_now(void *c) { return ((bhost *)c)->now; }
static int h_src_open(void *c, ed_stream_def *s, char *err, size_t n) { return 0; }
static void h_src_close(void *c, ed_stream_def *s) {}
static int h_sink_open(void *c, ed_sink_def *s, char *err, size_t n)
{
    s->raw_rows = true; /* a discarding sink, like Nexmark's blackhole: no JSON */
    return 0;
}
static void h_sink_close(void *c, ed_sink_def *s) {}
static void h_write(void *c, ed_sink_def *s, const ed_row *r) { ((bhost *)c)->rows++; }
static const ed_host_ops OPS = {h_now, h_src_open, h_src_close, h_sink_open, h_sink_close, h_write};

typedef struct opts {
    int64_t events, rate, json_events;
    uint64_t seed;
    int runs, batch, threads;
    const char *dir;
} opts;

/* CPU seconds of every thread of the process (parallel runs: the work the
 * threads did, waiting spins included; robust to other load on the box) */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return NULL;
    }
    buf[n] = 0;
    fclose(f);
    return buf;
}

static int exec_text(ed_engine *e, const char *text, const char *what)
{
    json_t *r = ed_engine_exec(e, text, strlen(text));
    size_t i;
    json_t *v;
    int ok = 1;
    json_array_foreach(r, i, v)
    {
        if (!json_is_true(json_object_get(v, "ok"))) {
            const char *d = json_string_value(json_object_get(v, "detail"));
            if (!d) d = json_string_value(json_object_get(v, "error"));
            fprintf(stderr, "eddy-bench: %s: %s\n", what, d ? d : "statement failed");
            ok = 0;
        }
    }
    json_decref(r);
    return ok;
}

/* query name -> file: q5 -> DIR/q5.sql, anything with a '/' or ".sql" as is */
static char *query_path(const opts *o, const char *q)
{
    char *p = malloc(strlen(o->dir) + strlen(q) + 8);
    if (strchr(q, '/') || strstr(q, ".sql")) strcpy(p, q);
    else sprintf(p, "%s/%s.sql", o->dir, q);
    return p;
}

/* a fresh engine with the bid stream and the query; NULL on error */
static ed_engine *setup(const opts *o, const char *q, bhost *h, ed_stream_def **s)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/bid.sql", o->dir);
    char *ddl = read_file(path);
    char *qp = query_path(o, q);
    char *qsql = read_file(qp);
    if (!ddl || !qsql) {
        fprintf(stderr, "eddy-bench: cannot read %s\n", !ddl ? path : qp);
        free(ddl), free(qsql), free(qp);
        return NULL;
    }
    memset(h, 0, sizeof *h);
    h->now = ED_NX_BASE_MS;
    ed_engine *e = ed_engine_new(&OPS, h);
    int ok = exec_text(e, ddl, path) && exec_text(e, qsql, qp);
    free(ddl), free(qsql), free(qp);
    *s = ok ? ed_engine_stream(e, "bid") : NULL;
    if (!*s) {
        if (ok) fprintf(stderr, "eddy-bench: %s/bid.sql does not create stream bid\n", o->dir);
        ed_engine_free(e);
        return NULL;
    }
    return e;
}

/* generator only: seconds for the whole sequence; *rows = bids */
static double run_gen(const opts *o, const ed_schema *schema, int64_t *rows)
{
    ed_nexmark_gen *g = ed_nexmark_gen_new(o->seed, o->rate, o->events);
    ed_batch b;
    ed_batch_init(&b, schema->ncols);
    int64_t total = 0;
    int n;
    double t0 = now_s();
    while ((n = ed_nexmark_gen_fill(g, ED_NX_BID, schema, &b, o->batch)) > 0) {
        total += n;
        ed_batch_clear(&b);
    }
    double t = now_s() - t0;
    ed_batch_free(&b);
    ed_nexmark_gen_free(g);
    *rows = total;
    return t;
}

/* --- N threads (ed_par) ------------------------------------------------------ */
typedef struct phost {  /* one per shard, on its own cache lines */
    bhost h;
    char pad[64];
} phost;

typedef struct nxworker {
    ed_nexmark_gen *g;
    const ed_schema *schema;
    int chunk_bids;      /* a multiple of 46: chunk k starts at event k * chunk_bids / 46 * 50 */
} nxworker;

static int fill_nexmark(void *ctx, int worker, int64_t chunk, ed_batch *b)
{
    nxworker *w = ctx;
    ed_nexmark_gen_seek(w->g, chunk * (w->chunk_bids / 46) * 50);
    return ed_nexmark_gen_fill(w->g, ED_NX_BID, w->schema, b, w->chunk_bids);
}

/* bid.sql + the query as one text; NULL on error */
static char *load_sql(const opts *o, const char *q)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/bid.sql", o->dir);
    char *ddl = read_file(path), *qp = query_path(o, q), *qsql = read_file(qp), *all = NULL;
    if (ddl && qsql) {
        all = malloc(strlen(ddl) + strlen(qsql) + 2);
        sprintf(all, "%s\n%s", ddl, qsql);
    } else {
        fprintf(stderr, "eddy-bench: cannot read %s\n", !ddl ? path : qp);
    }
    free(ddl), free(qsql), free(qp);
    return all;
}

/* one N-thread run: seconds; *rows = bids in, *out = rows out; -1 on error */
static double run_par(const opts *o, const char *sql, int n, int64_t *rows, uint64_t *out, char *routing, size_t rlen,
                      double *share0, double *cpu)
{
    phost *hs = calloc((size_t)n, sizeof(phost));
    void *hc[ED_PAR_MAX_SHARDS], *fc[ED_PAR_MAX_SHARDS];
    nxworker ws[ED_PAR_MAX_SHARDS];
    for (int i = 0; i < n; i++) {
        hs[i].h.now = ED_NX_BASE_MS;
        hc[i] = &hs[i].h;
    }
    char err[512];
    ed_par *p = ed_par_new(n, &OPS, hc, sql, strlen(sql), err, sizeof err);
    if (!p) {
        fprintf(stderr, "eddy-bench: %s\n", err);
        free(hs);
        return -1;
    }
    const char *r = ed_par_routing(p, "bid");
    if (!r) {
        fprintf(stderr, "eddy-bench: %s/bid.sql does not create stream bid\n", o->dir);
        ed_par_free(p);
        free(hs);
        return -1;
    }
    snprintf(routing, rlen, "%s", r);
    int cb = o->batch / 46 * 46;
    for (int i = 0; i < n; i++) {
        ws[i].g = ed_nexmark_gen_new(o->seed, o->rate, o->events);
        ws[i].schema = &ed_engine_stream(ed_par_engine(p, i), "bid")->schema;
        ws[i].chunk_bids = cb < 46 ? 46 : cb;
        fc[i] = &ws[i];
    }
    double t0 = now_s(), c0 = cpu_s();
    ed_par_run(p, "bid", fill_nexmark, fc);
    double t = now_s() - t0;
    *cpu = cpu_s() - c0;
    *rows = 0;
    *out = 0;
    for (int i = 0; i < n; i++) {
        *rows += (int64_t)ed_engine_stream(ed_par_engine(p, i), "bid")->events_in;
        *out += hs[i].h.rows;
    }
    *share0 = *rows ? (double)ed_engine_stream(ed_par_engine(p, 0), "bid")->events_in / (double)*rows : 0;
    ed_par_free(p);
    for (int i = 0; i < n; i++) ed_nexmark_gen_free(ws[i].g); /* after the engines */
    free(hs);
    return t;
}

/* the N-thread medians for q, against the one-thread median m1 (seconds) */
static int bench_par(const opts *o, const char *q, double m1, double c1, uint64_t out1)
{
    char *sql = load_sql(o, q);
    if (!sql) return -1;
    double *tp = calloc((size_t)o->runs, sizeof(double)), *cp = calloc((size_t)o->runs, sizeof(double));
    int64_t rows = 0;
    uint64_t out = 0;
    char routing[256] = "";
    double share0 = 0;
    int rc = 0;
    for (int run = 0; run < o->runs && rc == 0; run++)
        if ((tp[run] = run_par(o, sql, o->threads, &rows, &out, routing, sizeof routing, &share0, &cp[run])) < 0) rc = -1;
    if (rc == 0) {
        double mp = median(tp, o->runs);
        double ns = rows ? mp * 1e9 / (double)rows : 0, eps = mp > 0 ? (double)rows / mp : 0;
        double ratio = mp > 0 ? m1 / mp : 0, mc = median(cp, o->runs), cpu_ratio = c1 > 0 ? mc / c1 : 0;
        printf("%-4s %10lld bids  %7.1f ns/event  %7.2f M events/s   %d threads, %.2fx one thread  (routing %s, "
               "shard 0 got %.0f%%, CPU time %.2fx one thread's)  rows out %llu%s\n",
               q, (long long)rows, ns, eps / 1e6, o->threads, ratio, routing, share0 * 100, cpu_ratio,
               (unsigned long long)out,
               out == out1 ? "" : "  MISMATCH with one thread");
        printf("RESULT mode=parallel query=%s rate=%lld threads=%d events=%lld runs=%d ns=%.2f eps=%.0f speedup=%.3f "
               "cpu_ratio=%.3f routing=%s rows_out=%llu\n",
               q, (long long)o->rate, o->threads, (long long)rows, o->runs, ns, eps, ratio, cpu_ratio, routing, (unsigned long long)out);
        fflush(stdout);
        if (out != out1) rc = -1;
    }
    free(tp), free(cp);
    free(sql);
    return rc;
}

/* --- the floor: Nexmark q5 written by hand in plain C ------------------------
 * The same generated bids, counted per auction in hopping windows of 10 s
 * sliding by 2 s with the query's 4 s watermark delay: one open-addressing
 * table of (auction, count) per 2 s pane, the five panes of a window summed
 * into a scratch table when the watermark passes its end, one "row" per
 * (window, auction) counted. No NULLs, no late events, no expressions, no
 * types: what a C programmer would write for exactly this query, measured in
 * the same process so the engine's cost has a baseline. */
typedef struct fslot {
    int64_t key; /* 0 = empty (auction ids start at 1000) */
    int64_t n;
} fslot;

typedef struct ftab {
    fslot *s;
    uint64_t mask, used;
} ftab;

static inline uint64_t fmix(uint64_t z)
{
    z ^= z >> 33;
    z *= 0xff51afd7ed558ccdULL;
    return z ^ (z >> 33);
}

static void ftab_add(ftab *t, int64_t key, int64_t n);

static void ftab_grow(ftab *t)
{
    ftab o = *t;
    t->mask = o.s ? o.mask * 2 + 1 : 1023;
    t->s = malloc((t->mask + 1) * sizeof(fslot)); /* written before read: no zero-page faults (see op_window.c) */
    if (!t->s) abort();
    memset(t->s, 0, (t->mask + 1) * sizeof(fslot));
    t->used = 0;
    for (uint64_t i = 0; o.s && i <= o.mask; i++)
        if (o.s[i].key) ftab_add(t, o.s[i].key, o.s[i].n);
    free(o.s);
}

static void ftab_add(ftab *t, int64_t key, int64_t n)
{
    if (!t->s || (t->used + 1) * 2 > t->mask + 1) ftab_grow(t); /* load <= 1/2 */
    uint64_t i = fmix((uint64_t)key) & t->mask;
    while (t->s[i].key && t->s[i].key != key) i = (i + 1) & t->mask;
    if (!t->s[i].key) {
        t->s[i].key = key;
        t->used++;
    }
    t->s[i].n += n;
}

#define FL_PANE 2000
#define FL_NPANES 5 /* 10 s / 2 s */
#define FL_DELAY 4000

typedef struct floor_q5 {
    ftab pane[16];   /* ring by pane number (at most 8 live: 5 per window + the 4 s delay) */
    int64_t lo, hi;  /* live pane numbers [lo, hi) */
    int64_t next_end; /* end of the next window to emit */
    bool started;
    ftab tmp;
    uint64_t rows, sum;
} floor_q5;

static void floor_emit(floor_q5 *f, int64_t end)
{
    int64_t last = end / FL_PANE; /* panes [last - 5, last) */
    if (f->tmp.s) memset(f->tmp.s, 0, (f->tmp.mask + 1) * sizeof(fslot));
    f->tmp.used = 0;
    for (int64_t p = last - FL_NPANES; p < last; p++) {
        if (p < f->lo || p >= f->hi) continue;
        ftab *t = &f->pane[p & 15];
        for (uint64_t i = 0; t->s && i <= t->mask; i++)
            if (t->s[i].key) ftab_add(&f->tmp, t->s[i].key, t->s[i].n);
    }
    for (uint64_t i = 0; f->tmp.s && i <= f->tmp.mask; i++)
        if (f->tmp.s[i].key) {
            f->rows++;
            f->sum += (uint64_t)f->tmp.s[i].n; /* the row's value is "used" */
        }
    /* the oldest pane is in no later window */
    int64_t old = last - FL_NPANES;
    if (old >= f->lo && old < f->hi) {
        ftab *t = &f->pane[old & 15];
        if (t->s) memset(t->s, 0, (t->mask + 1) * sizeof(fslot));
        t->used = 0;
        f->lo = old + 1;
    }
}

static void floor_push(floor_q5 *f, const ed_batch *b, int acol, int tcol)
{
    const ed_value *row = b->vals;
    for (int r = 0; r < b->nrows; r++, row += b->ncols) {
        int64_t ts = row[tcol].u.i - ED_NX_BASE_MS, wm = ts - FL_DELAY; /* event times are in order here */
        int64_t p = ts / FL_PANE;
        if (!f->started) {
            f->started = true;
            f->lo = f->hi = p;
            f->next_end = (p + 1) * FL_PANE;
        }
        while (f->next_end <= wm) {
            floor_emit(f, f->next_end);
            f->next_end += FL_PANE;
        }
        while (f->hi <= p) f->hi++; /* a new pane */
        ftab_add(&f->pane[p & 15], row[acol].u.i, 1);
    }
}

static void floor_finish(floor_q5 *f)
{
    while (f->started && f->next_end <= f->hi * FL_PANE + (FL_NPANES - 1) * FL_PANE) {
        floor_emit(f, f->next_end);
        f->next_end += FL_PANE;
    }
    for (int i = 0; i < 16; i++) free(f->pane[i].s);
    free(f->tmp.s);
}

static int bench_floor(const opts *o)
{
    double *tq = calloc((size_t)o->runs, sizeof(double)), *tg = calloc((size_t)o->runs, sizeof(double));
    int64_t rows = 0;
    uint64_t out = 0;
    ed_schema schema;
    bhost h;
    ed_stream_def *s;
    ed_engine *e = setup(o, "q5", &h, &s); /* for the stream's schema only */
    if (!e) {
        free(tq), free(tg);
        return -1;
    }
    schema = s->schema;
    int acol = ed_schema_find(&schema, "auction"), tcol = ed_schema_find(&schema, "date_time");
    for (int run = 0; run < o->runs; run++) {
        tg[run] = run_gen(o, &schema, &rows);
        ed_nexmark_gen *g = ed_nexmark_gen_new(o->seed, o->rate, o->events);
        ed_batch b;
        ed_batch_init(&b, schema.ncols);
        floor_q5 f;
        memset(&f, 0, sizeof f);
        double t0 = now_s();
        while (ed_nexmark_gen_fill(g, ED_NX_BID, &schema, &b, o->batch) > 0) {
            floor_push(&f, &b, acol, tcol);
            ed_batch_clear(&b);
        }
        floor_finish(&f);
        tq[run] = now_s() - t0;
        out = f.rows;
        ed_batch_free(&b);
        ed_nexmark_gen_free(g);
    }
    ed_engine_free(e);
    double mq = median(tq, o->runs), mg = median(tg, o->runs);
    double ns = rows ? mq * 1e9 / (double)rows : 0, gns = rows ? mg * 1e9 / (double)rows : 0;
    printf("floor-q5 %10lld bids  %7.1f ns/event  %7.2f M events/s   (generator %.1f ns, hand-written C %.1f ns)  rows out %llu\n",
           (long long)rows, ns, (double)rows / mq / 1e6, gns, ns - gns, (unsigned long long)out);
    printf("RESULT mode=query query=floor-q5 rate=%lld events=%lld runs=%d ns=%.2f eps=%.0f gen_ns=%.2f engine_ns=%.2f "
           "rows_out=%llu\n",
           (long long)o->rate, (long long)rows, o->runs, ns, (double)rows / mq, gns, ns - gns, (unsigned long long)out);
    fflush(stdout);
    free(tq), free(tg);
    return 0;
}

static int bench_query(const opts *o, const char *q)
{
    if (!strcmp(q, "floor-q5")) return bench_floor(o);
    double *tq = calloc((size_t)o->runs, sizeof(double)), *tg = calloc((size_t)o->runs, sizeof(double));
    double *tc = calloc((size_t)o->runs, sizeof(double));
    int64_t rows = 0;
    uint64_t out = 0;
    for (int run = 0; run < o->runs; run++) {
        bhost h;
        ed_stream_def *s;
        ed_engine *e = setup(o, q, &h, &s);
        if (!e) {
            free(tq), free(tg), free(tc);
            return -1;
        }
        tg[run] = run_gen(o, &s->schema, &rows);
        ed_nexmark_gen *g = ed_nexmark_gen_new(o->seed, o->rate, o->events);
        ed_batch b;
        ed_batch_init(&b, s->schema.ncols);
        int n;
        double t0 = now_s(), c0 = cpu_s();
        while ((n = ed_nexmark_gen_fill(g, ED_NX_BID, &s->schema, &b, o->batch)) > 0) {
            ed_engine_push(e, s, &b);
            ed_batch_clear(&b);
        }
        ed_engine_finish(e);
        tq[run] = now_s() - t0;
        tc[run] = cpu_s() - c0;
        out = h.rows;
        ed_engine_free(e);
        ed_batch_free(&b);
        ed_nexmark_gen_free(g);   /* after the engine: pushed values pointed into it */
    }
    double mq = median(tq, o->runs), mg = median(tg, o->runs), mc = median(tc, o->runs);
    double ns = rows ? mq * 1e9 / (double)rows : 0, gns = rows ? mg * 1e9 / (double)rows : 0;
    double eps = mq > 0 ? (double)rows / mq : 0;
    printf("%-4s %10lld bids  %7.1f ns/event  %7.2f M events/s   (generator %.1f ns, engine %.1f ns)  rows out %llu\n",
           q, (long long)rows, ns, eps / 1e6, gns, ns - gns, (unsigned long long)out);
    printf("RESULT mode=query query=%s rate=%lld events=%lld runs=%d ns=%.2f eps=%.0f gen_ns=%.2f engine_ns=%.2f "
           "rows_out=%llu\n",
           q, (long long)o->rate, (long long)rows, o->runs, ns, eps, gns, ns - gns, (unsigned long long)out);
    fflush(stdout);
    free(tq), free(tg), free(tc);
    return o->threads > 1 ? bench_par(o, q, mq, mc, out) : 0;
}

/* --- JSON path -------------------------------------------------------------- */
typedef struct lines {
    char *buf;
    size_t size;
    const char **p;
    uint32_t *len;
    int64_t n;
} lines;

static int make_lines(const opts *o, lines *L)
{
    memset(L, 0, sizeof *L);
    FILE *f = open_memstream(&L->buf, &L->size);
    if (!f || ed_nexmark_write_json(f, ED_NX_BID, o->seed, o->json_events, o->rate) < 0) return -1;
    fclose(f);
    int64_t cap = 1024;
    L->p = malloc(sizeof(char *) * (size_t)cap);
    L->len = malloc(sizeof(uint32_t) * (size_t)cap);
    for (char *s = L->buf, *end = L->buf + L->size; s < end;) {
        char *nl = memchr(s, '\n', (size_t)(end - s));
        if (!nl) nl = end;
        if (L->n == cap) {
            cap *= 2;
            L->p = realloc(L->p, sizeof(char *) * (size_t)cap);
            L->len = realloc(L->len, sizeof(uint32_t) * (size_t)cap);
        }
        L->p[L->n] = s;
        L->len[L->n++] = (uint32_t)(nl - s);
        s = nl + 1;
    }
    return 0;
}

/* decode every line into batches; push them into e/s if given */
static double run_decode(const lines *L, const ed_schema *schema, ed_engine *e, ed_stream_def *s, int batch,
                         int64_t *errors)
{
    ed_batch b;
    ed_batch_init(&b, schema->ncols);
    char why[256];
    int64_t err = 0;
    double t0 = now_s();
    for (int64_t i = 0; i < L->n; i++) {
        ed_value *row = ed_batch_add_row(&b, 0);
        if (ed_json_decode_row(schema, L->p[i], L->len[i], row, &b.arena, why, sizeof why) != 0) {
            ed_batch_pop_row(&b);
            err++;
        }
        if (b.nrows == batch) {
            if (e) ed_engine_push(e, s, &b);
            ed_batch_clear(&b);
        }
    }
    if (e && b.nrows) ed_engine_push(e, s, &b);
    if (e) ed_engine_finish(e);
    double t = now_s() - t0;
    ed_batch_free(&b);
    *errors = err;
    return t;
}

static volatile int64_t jansson_sink;   /* keeps the lookups from being optimised away */

static double run_jansson(const lines *L, const ed_schema *schema, int64_t *errors)
{
    int64_t err = 0, sink = 0;
    double t0 = now_s();
    for (int64_t i = 0; i < L->n; i++) {
        json_error_t je;
        json_t *o = json_loadb(L->p[i], L->len[i], 0, &je);
        if (!o) {
            err++;
            continue;
        }
        for (int c = 0; c < schema->ncols; c++) {
            json_t *v = json_object_get(o, schema->cols[c].name);
            if (json_is_integer(v)) sink += json_integer_value(v);
            else if (json_is_string(v)) sink += (int64_t)json_string_length(v);
        }
        json_decref(o);
    }
    jansson_sink = sink;
    *errors = err;
    return now_s() - t0;
}

static int bench_json(const opts *o, char **queries, int nq)
{
    lines L;
    if (make_lines(o, &L) != 0) {
        fprintf(stderr, "eddy-bench: cannot build JSON lines\n");
        return -1;
    }
    double avg = L.n ? (double)L.size / (double)L.n : 0;
    printf("json: %lld bid lines, %.1f bytes/line on average\n", (long long)L.n, avg);
    int rc = 0;
    double *td = calloc((size_t)o->runs, sizeof(double)), *tj = calloc((size_t)o->runs, sizeof(double));
    double *tq = calloc((size_t)o->runs, sizeof(double));
    int64_t derr = 0, jerr = 0;
    /* decoder alone vs jansson, on the schema of the bid stream */
    bhost h;
    ed_stream_def *s;
    ed_engine *e0 = setup(o, nq ? queries[0] : "q0", &h, &s);
    if (!e0) {
        rc = -1;
        goto out;
    }
    for (int run = 0; run < o->runs; run++) {
        td[run] = run_decode(&L, &s->schema, NULL, NULL, o->batch, &derr);
        tj[run] = run_jansson(&L, &s->schema, &jerr);
    }
    ed_engine_free(e0);
    double md = median(td, o->runs), mj = median(tj, o->runs);
    double dns = md * 1e9 / (double)L.n, jns = mj * 1e9 / (double)L.n;
    printf("json decode (eddy)   %7.1f ns/event  %7.2f M events/s  %6.0f MB/s  errors %lld\n", dns,
           (double)L.n / md / 1e6, (double)L.size / md / 1e6, (long long)derr);
    printf("json_loadb (jansson) %7.1f ns/event  %7.2f M events/s  %6.0f MB/s  errors %lld   eddy/jansson speed-up %.1fx\n",
           jns, (double)L.n / mj / 1e6, (double)L.size / mj / 1e6, (long long)jerr, jns / dns);
    printf("RESULT mode=json query=decode events=%lld runs=%d ns=%.2f eps=%.0f bytes=%.1f errors=%lld\n",
           (long long)L.n, o->runs, dns, (double)L.n / md, avg, (long long)derr);
    printf("RESULT mode=json query=jansson events=%lld runs=%d ns=%.2f eps=%.0f bytes=%.1f errors=%lld ratio=%.2f\n",
           (long long)L.n, o->runs, jns, (double)L.n / mj, avg, (long long)jerr, jns / dns);
    if (derr || jerr) rc = -1;
    for (int qi = 0; qi < nq; qi++) {
        uint64_t out_rows = 0;
        for (int run = 0; run < o->runs; run++) {
            ed_engine *e = setup(o, queries[qi], &h, &s);
            if (!e) {
                rc = -1;
                goto out;
            }
            tq[run] = run_decode(&L, &s->schema, e, s, o->batch, &derr);
            out_rows = h.rows;
            ed_engine_free(e);
        }
        double mq = median(tq, o->runs), ns = mq * 1e9 / (double)L.n;
        printf("json -> %-4s         %7.1f ns/event  %7.2f M events/s  rows out %llu\n", queries[qi], ns,
               (double)L.n / mq / 1e6, (unsigned long long)out_rows);
        printf("RESULT mode=json query=%s events=%lld runs=%d ns=%.2f eps=%.0f rows_out=%llu\n", queries[qi],
               (long long)L.n, o->runs, ns, (double)L.n / mq, (unsigned long long)out_rows);
    }
out:
    fflush(stdout);
    free(td), free(tj), free(tq);
    free(L.buf), free(L.p), free(L.len);
    return rc;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: eddy-bench [options] QUERY...\n"
            "  QUERY        q0, q1, q2, q5, q7 (DIR/QUERY.sql) or a path to a .sql file\n"
            "               that inserts from stream `bid` (created by DIR/bid.sql);\n"
            "               floor-q5: q5 written by hand in plain C, the baseline\n"
            "  --events N   events of the Nexmark sequence per run (default 10000000; bids are 92 %%)\n"
            "  --runs K     runs per measurement; the median is reported (default 5)\n"
            "  --batch B    rows per ed_engine_push, and per chunk with --threads\n"
            "               (rounded down to a multiple of 46 there; default 1024)\n"
            "  --threads N  also run each query on N threads (ed_par; 2..%d) and report\n"
            "               the ratio to one thread (default 1: one thread only)\n"
            "  --rate R     event-time rate in events/s (default 0 = 10 M/s, Flink's default)\n"
            "  --seed S     generator seed (default 42)\n"
            "  --json N     JSON path: N events as JSON lines, decoded into each QUERY,\n"
            "               with jansson as the baseline\n"
            "  --dir D      query directory (default %s/examples/nexmark)\n",
            ED_PAR_MAX_SHARDS, EDDY_SOURCE_DIR);
}

int main(int argc, char **argv)
{
    opts o = {10000000, 0, 0, 42, 5, 1024, 1, EDDY_SOURCE_DIR "/examples/nexmark"};
    char **queries = calloc((size_t)argc, sizeof(char *));
    int nq = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage();
            return 0;
        } else if (!strcmp(a, "--events") && v) o.events = atoll(argv[++i]);
        else if (!strcmp(a, "--runs") && v) o.runs = atoi(argv[++i]);
        else if (!strcmp(a, "--batch") && v) o.batch = atoi(argv[++i]);
        else if (!strcmp(a, "--threads") && v) o.threads = atoi(argv[++i]);
        else if (!strcmp(a, "--rate") && v) o.rate = atoll(argv[++i]);
        else if (!strcmp(a, "--seed") && v) o.seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(a, "--json") && v) o.json_events = atoll(argv[++i]);
        else if (!strcmp(a, "--dir") && v) o.dir = argv[++i];
        else if (a[0] == '-') {
            usage();
            return 2;
        } else queries[nq++] = argv[i];
    }
    if (o.runs < 1 || o.batch < 1 || o.events < 1 || o.threads < 1 || o.threads > ED_PAR_MAX_SHARDS ||
        (nq == 0 && !o.json_events)) {
        usage();
        return 2;
    }
    int rc = 0;
    if (o.json_events > 0) {
        rc = bench_json(&o, queries, nq) != 0;
    } else {
        for (int i = 0; i < nq; i++)
            if (bench_query(&o, queries[i]) != 0) rc = 1;
    }
    free(queries);
    return rc;
}
