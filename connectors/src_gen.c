/* src_gen.c — the generator source: synthetic events at a fixed rate so a
 * demo needs nothing external. Events are built as JSON lines and go through
 * the normal decoder, so the stream's schema picks the columns it declares.
 * The values follow a seeded random walk per device (deterministic given
 * the seed; timestamps are the wall clock). */
#include "conn_internal.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ingest.h"

const ed_opt_spec ed_gen_opts[] = {
    {"kind", EDO_STRING, "sensors", false, "what to generate: 'sensors'"},
    {"rate", EDO_INT, "10", false, "events per second"},
    {"seed", EDO_INT, "42", false, "random seed"},
    {NULL, 0, NULL, false, NULL},
};

#define NDEV 10
#define TICK_MS 20
#define MAX_PER_TICK 100000

typedef struct gen_src {
    ed_conn *c;
    ed_stream_def *s;
    struct event *timer;
    uint64_t rng;
    long long rate;
    int64_t start;
    uint64_t emitted;
    double temp[NDEV], hum[NDEV];
    ed_batch batch;
    ed_sb line;
} gen_src;

static uint64_t next(gen_src *g)
{
    /* splitmix64: small, fast, good enough for demo data */
    uint64_t z = (g->rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double unit(gen_src *g) { return (double)(next(g) >> 11) / 9007199254740992.0; }

static void emit_one(gen_src *g, int64_t now)
{
    int d = (int)(next(g) % NDEV);
    g->temp[d] += (unit(g) - 0.5) * 0.6;
    g->hum[d] += (unit(g) - 0.5) * 1.0;
    if (g->hum[d] < 0) g->hum[d] = 0;
    if (g->hum[d] > 100) g->hum[d] = 100;
    ed_sb_clear(&g->line);
    ed_sb_printf(&g->line, "{\"device\":\"sensor-%d\",\"temp\":%.2f,\"humidity\":%.1f,\"ts\":%lld}", d,
                 round(g->temp[d] * 100) / 100, round(g->hum[d] * 10) / 10, (long long)now);
    ed_ingest_line_dl(g->s, &g->batch, g->line.buf, g->line.len, now);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    gen_src *g = arg;
    int64_t now = ed_conn_wall_ms();
    uint64_t due = (uint64_t)((now - g->start) * g->rate / 1000);
    uint64_t n = due > g->emitted ? due - g->emitted : 0;
    if (n > MAX_PER_TICK) {
        g->emitted += n - MAX_PER_TICK; /* fell behind (stalled loop): skip rather than burst forever */
        n = MAX_PER_TICK;
    }
    for (uint64_t i = 0; i < n; i++) emit_one(g, now);
    g->emitted += n;
    ed_conn_push(g->c, g->s, &g->batch);
}

int ed_gen_open(ed_conn *c, ed_stream_def *s, char *err, size_t errlen)
{
    const char *kind = ed_opt_str(s->opts, s->nopts, ed_gen_opts, "kind");
    if (strcmp(kind, "sensors") != 0) {
        snprintf(err, errlen, "stream '%s': unknown generator kind '%s' (available: sensors)", s->name, kind);
        return -1;
    }
    long long rate = ed_opt_int(s->opts, s->nopts, ed_gen_opts, "rate");
    if (rate < 1 || rate > 10000000) {
        snprintf(err, errlen, "stream '%s': option 'rate' must be 1..10000000 events per second", s->name);
        return -1;
    }
    gen_src *g = ed_xcalloc(1, sizeof *g);
    g->c = c;
    g->s = s;
    g->rate = rate;
    g->rng = (uint64_t)ed_opt_int(s->opts, s->nopts, ed_gen_opts, "seed");
    for (int i = 0; i < NDEV; i++) {
        g->temp[i] = 18 + unit(g) * 8;
        g->hum[i] = 35 + unit(g) * 30;
    }
    g->start = ed_conn_wall_ms();
    ed_batch_init(&g->batch, s->schema.ncols);
    g->timer = event_new(c->base, -1, EV_PERSIST, on_timer, g);
    struct timeval tv = {0, TICK_MS * 1000};
    event_add(g->timer, &tv);
    s->host_data = g;
    return 0;
}

void ed_gen_close(ed_stream_def *s)
{
    gen_src *g = s->host_data;
    if (!g) return;
    event_free(g->timer);
    ed_batch_free(&g->batch);
    ed_sb_free(&g->line);
    free(g);
}
