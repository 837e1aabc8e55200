/* ingest.c — events and time enter the engine here.
 *
 * Watermarks (per stream): with a WATERMARK clause the stream's watermark is
 * the highest event time seen minus the delay; without one, event time is
 * the arrival time and the watermark is the latest arrival (and, in serve,
 * the clock). Both move event by event, in arrival order, before any query's
 * WHERE: every row handed to an operator carries the watermark as it stood
 * right after that row, so operators can close windows at exactly the right
 * row whatever the batch boundaries were.
 *
 * Idle streams: with idle_timeout set, once a stream has been silent that
 * long, ed_engine_tick() moves its watermark on with the wall clock as if
 * events had kept arriving: W = W_at_last_event + (now - last_arrival).
 */
#include "internal.h"
#include <stdlib.h>
#include <string.h>

static void ensure_bufs(ed_engine *e, int n, int ncols)
{
    size_t need = (size_t)n * (size_t)(ncols ? ncols : 1);
    if (n > e->bufcap) {
        e->bufcap = n;
        e->tbuf = ed_xrealloc(e->tbuf, sizeof(int64_t) * (size_t)n);
        e->wbuf = ed_xrealloc(e->wbuf, sizeof(int64_t) * (size_t)n);
    }
    /* rowbuf: compacted rows when some rows are dropped */
    if (need > e->rowcap) {
        e->rowcap = need;
        e->rowbuf = ed_xrealloc(e->rowbuf, sizeof(ed_value) * need);
    }
}

void ed_engine_push(ed_engine *e, ed_stream_def *s, const ed_batch *b)
{
    int n = b->nrows, ncols = s->schema.ncols;
    if (n <= 0) return;
    ensure_bufs(e, n, ncols);
    int valid = 0;
    bool compact = false;
    for (int r = 0; r < n; r++) {
        const ed_value *row = b->vals + (size_t)r * (size_t)ncols;
        int64_t t;
        if (s->ts_col >= 0) {
            const ed_value *v = &row[s->ts_col];
            if (v->type == ED_NULL) {
                s->null_time_events++;
                if (!compact) /* rows 0..r-1 were all valid: move them to rowbuf now */
                    memcpy(e->rowbuf, b->vals, sizeof(ed_value) * (size_t)r * (size_t)ncols);
                compact = true;
                continue;
            }
            t = v->u.i;
        } else {
            t = b->arrival[r];
        }
        s->events_in++;
        if (t > s->max_event_time || s->events_in == 1) s->max_event_time = t;
        int64_t w = s->max_event_time;
        if (s->wm_delay_ms > 0) w = w < ED_TS_MIN + s->wm_delay_ms ? ED_TS_MIN : w - s->wm_delay_ms;
        if (w > s->watermark) s->watermark = w;
        s->last_arrival = b->arrival[r];
        s->wm_at_last_event = s->watermark;
        if (compact) memcpy(e->rowbuf + (size_t)valid * (size_t)ncols, row, sizeof(ed_value) * (size_t)ncols);
        e->tbuf[valid] = t;
        e->wbuf[valid] = s->watermark;
        valid++;
    }
    const ed_value *rows = compact ? e->rowbuf : b->vals;
    if (valid > 0)
        for (int i = 0; i < e->nqueries; i++) {
            ed_query *q = e->queries[i];
            if (q->plan->stream == s) q->op->push(q, rows, ncols, e->tbuf, e->wbuf, valid);
        }
    ed_arena_reset(&e->scratch);
}

void ed_engine_advance(ed_engine *e, ed_stream_def *s, int64_t wm)
{
    if (wm > s->watermark) s->watermark = wm;
    for (int i = 0; i < e->nqueries; i++) {
        ed_query *q = e->queries[i];
        if (q->plan->stream == s) q->op->on_watermark(q, s->watermark);
    }
    ed_arena_reset(&e->scratch);
}

void ed_engine_tick(ed_engine *e)
{
    int64_t now = e->ops.now_ms(e->host);
    for (int i = 0; i < e->nstreams; i++) {
        ed_stream_def *s = e->streams[i];
        int64_t w = s->watermark;
        if (s->ts_col < 0 && now > w) w = now;
        if (s->idle_timeout_ms > 0 && s->events_in > 0 && now - s->last_arrival >= s->idle_timeout_ms) {
            int64_t iw = s->wm_at_last_event + (now - s->last_arrival);
            if (iw > w) w = iw;
        }
        if (w > s->watermark) ed_engine_advance(e, s, w);
    }
}

void ed_engine_finish(ed_engine *e)
{
    for (int i = 0; i < e->nstreams; i++) ed_engine_advance(e, e->streams[i], ED_TS_MAX);
}
