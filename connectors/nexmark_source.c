/* nexmark_source.c — the `connector = 'nexmark'` source: runs the Nexmark
 * generator from the event loop and pushes batches into the engine.
 *
 * rate = 0 generates as fast as possible, but in slices of at most a few
 * milliseconds per callback so the loop keeps serving HTTP and WebSocket
 * clients; rate > 0 paces the sequence against the monotonic clock (a 10 ms
 * timer generates whatever the rate owes since the start, so the average is
 * exact even if callbacks are late).
 */
#include <errno.h>
#include <event2/event.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../engine/engine.h"
#include "nexmark.h"

#define SLICE_NS 4000000        /* work per callback at rate 0 */
#define PACE_MS 10

struct ed_nexmark_source {
    struct event_base *base;
    ed_engine *e;
    ed_stream_def *s;
    ed_nexmark_gen *gen;
    ed_nx_table table;
    int64_t rate;
    int batch_rows;
    int done;
    int64_t start_ns;
    struct event *ev;
    ed_batch batch;
};

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* one batch: generate, stamp arrival, push; 0 at the end of the sequence */
static int push_batch(ed_nexmark_source *src, int max_rows)
{
    ed_batch_clear(&src->batch);
    int n = ed_nexmark_gen_fill(src->gen, src->table, &src->s->schema, &src->batch, max_rows);
    if (n == 0) return 0;
    int64_t now = wall_ms();
    for (int r = 0; r < n; r++) src->batch.arrival[r] = now;
    ed_engine_push(src->e, src->s, &src->batch);
    return n;
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    ed_nexmark_source *src = arg;
    int64_t t0 = mono_ns();
    if (src->rate == 0) {
        while (mono_ns() - t0 < SLICE_NS) {
            if (push_batch(src, src->batch_rows) == 0) {
                src->done = 1;
                return;
            }
        }
        struct timeval tv = {0, 0};
        event_add(src->ev, &tv);
        return;
    }
    /* events owed since the start (whole sequence, all three tables) */
    double secs = (double)(t0 - src->start_ns) / 1e9;
    int64_t target = (int64_t)(secs * (double)src->rate);
    while (ed_nexmark_gen_events(src->gen) < target && mono_ns() - t0 < SLICE_NS * 4) {
        int64_t owed = target - ed_nexmark_gen_events(src->gen);
        /* rows of this table among `owed` events, at least one */
        int64_t rows = src->table == ED_NX_BID ? owed * 46 / 50 : src->table == ED_NX_AUCTION ? owed * 3 / 50
                                                                                             : owed / 50;
        if (rows < 1) rows = 1;
        if (rows > src->batch_rows) rows = src->batch_rows;
        if (push_batch(src, (int)rows) == 0) {
            src->done = 1;
            return;
        }
    }
    struct timeval tv = {0, PACE_MS * 1000};
    event_add(src->ev, &tv);
}

static int parse_i64(const char *v, int64_t *out)
{
    if (!v || !*v) return -1;
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (errno || *end) return -1;
    *out = x;
    return 0;
}

ed_nexmark_source *ed_nexmark_source_new(struct event_base *base, struct ed_engine *e, struct ed_stream_def *s,
                                         char *err, size_t errlen)
{
    const char *tname = ed_kv_get(s->opts, s->nopts, "table");
    int table = tname ? ed_nx_table_parse(tname) : ED_NX_BID;
    if (table < 0) {
        snprintf(err, errlen, "nexmark: option table must be 'bid', 'auction' or 'person', not '%s'", tname);
        return NULL;
    }
    int64_t events = -1, rate = 0, seed = 42, batch = 1024;
    static const char *const names[] = {"events", "rate", "seed", "batch"};
    int64_t *dst[] = {&events, &rate, &seed, &batch};
    for (int i = 0; i < 4; i++) {
        const char *v = ed_kv_get(s->opts, s->nopts, names[i]);
        if (v && parse_i64(v, dst[i]) != 0) {
            snprintf(err, errlen, "nexmark: option %s must be an integer, not '%s'", names[i], v);
            return NULL;
        }
    }
    if (rate < 0 || batch < 1 || batch > 1000000) {
        snprintf(err, errlen, "nexmark: rate must be >= 0 and batch in 1..1000000");
        return NULL;
    }
    /* the schema must name at least one generated column */
    const ed_schema *full = ed_nx_schema((ed_nx_table)table);
    int matched = 0;
    for (int c = 0; c < s->schema.ncols; c++)
        for (int f = 0; f < full->ncols; f++)
            if (!strcmp(s->schema.cols[c].name, full->cols[f].name)) matched++;
    if (s->schema.ncols > 0 && matched == 0 && ed_schema_find(&s->schema, "datetime") < 0 &&
        ed_schema_find(&s->schema, "ts") < 0) {
        snprintf(err, errlen, "nexmark: no column of stream '%s' is a %s field", s->name,
                 ed_nx_table_name((ed_nx_table)table));
        return NULL;
    }

    ed_nexmark_source *src = ed_xcalloc(1, sizeof *src);
    src->base = base;
    src->e = e;
    src->s = s;
    src->table = (ed_nx_table)table;
    src->rate = rate;
    src->batch_rows = (int)batch;
    src->gen = ed_nexmark_gen_new((uint64_t)seed, rate, events);
    ed_batch_init(&src->batch, s->schema.ncols);
    src->start_ns = mono_ns();
    src->ev = evtimer_new(base, on_timer, src);
    struct timeval tv = {0, 0};
    event_add(src->ev, &tv);
    return src;
}

int ed_nexmark_source_done(const ed_nexmark_source *src)
{
    return src->done;
}

void ed_nexmark_source_free(ed_nexmark_source *src)
{
    if (!src) return;
    if (src->ev) event_free(src->ev);
    ed_batch_free(&src->batch);
    ed_nexmark_gen_free(src->gen);   /* after the last push: values point into it */
    free(src);
}
