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
 * Partitioned streams (Kafka): rows carry their partition; each partition
 * keeps its own highest event time and the stream's candidate watermark is
 * the minimum over partitions, minus the delay. A partition silent for
 * idle_timeout no longer holds the watermark back (the top complaint about
 * other engines: windows that never fire because one partition is quiet).
 * The stream watermark never moves backwards.
 *
 * Idle streams: with idle_timeout set, once a stream has been silent that
 * long, ed_engine_tick() moves its watermark on with the wall clock as if
 * events had kept arriving: W = W_at_last_event + (now - last_arrival).
 */
#include "internal.h"
#include <stdlib.h>
#include <string.h>

/* now: when the partition was first seen or assigned (idleness counts from it) */
static ed_part_wm *part_get(ed_stream_def *s, int32_t part, int64_t now)
{
    if (s->part_hint < s->nparts && s->parts[s->part_hint].part == part) return &s->parts[s->part_hint];
    for (int i = 0; i < s->nparts; i++)
        if (s->parts[i].part == part) {
            s->part_hint = i;
            return &s->parts[i];
        }
    s->parts = ed_xrealloc(s->parts, sizeof(ed_part_wm) * (size_t)(s->nparts + 1));
    s->pmin_valid = false;
    s->part_hint = s->nparts;
    ed_part_wm *p = &s->parts[s->nparts++];
    p->part = part;
    p->max_event_time = ED_TS_MIN;
    p->last_arrival = now;
    return p;
}

/* does partition p hold the watermark back at now (not idle)? */
static bool part_holds(const ed_stream_def *s, const ed_part_wm *p, int64_t now)
{
    return !(s->idle_timeout_ms > 0 && now - p->last_arrival >= s->idle_timeout_ms);
}

/* Minimum highest-event-time over partitions that hold the watermark
 * (ED_TS_MIN while one of them has no event yet, or none holds); *arg gets
 * the index of the partition that sets it (-1 if none). */
static int64_t part_min_arg(const ed_stream_def *s, int64_t now, int *arg)
{
    int64_t m = ED_TS_MAX;
    bool any = false;
    *arg = -1;
    for (int i = 0; i < s->nparts; i++) {
        const ed_part_wm *p = &s->parts[i];
        if (!part_holds(s, p, now)) continue;
        if (p->max_event_time == ED_TS_MIN) { /* assigned, no data yet: holds */
            *arg = i;
            return ED_TS_MIN;
        }
        if (p->max_event_time < m) {
            m = p->max_event_time;
            *arg = i;
        }
        any = true;
    }
    return any ? m : ED_TS_MIN;
}

static int64_t part_min(const ed_stream_def *s, int64_t now)
{
    int arg;
    return part_min_arg(s, now, &arg);
}

/* The minimum after partition pw received an event of time t at now. O(1)
 * when nothing else can have changed it: the same arrival time as the
 * cached minimum (so no partition became idle since), pw held the watermark
 * with data already (so counting it cannot lower the minimum), and pw is not
 * the partition that set the minimum (raising it cannot move it). */
static int64_t part_min_after(ed_stream_def *s, ed_part_wm *pw, int64_t t, int64_t now)
{
    const int i = (int)(pw - s->parts);
    const bool was_holding_with_data = pw->max_event_time != ED_TS_MIN && part_holds(s, pw, now);
    if (t > pw->max_event_time) pw->max_event_time = t;
    pw->last_arrival = now;
    if (s->pmin_valid && s->pmin_now == now && was_holding_with_data && i != s->pmin_arg) return s->pmin;
    s->pmin = part_min_arg(s, now, &s->pmin_arg);
    s->pmin_now = now;
    s->pmin_valid = true;
    return s->pmin;
}

void ed_engine_set_partitions(ed_engine *e, ed_stream_def *s, const int32_t *parts, int n)
{
    int64_t now = e->ops.now_ms(e->host);
    int k = 0;
    for (int i = 0; i < s->nparts; i++) {
        bool keep = false;
        for (int j = 0; j < n; j++) keep |= parts[j] == s->parts[i].part;
        if (keep) s->parts[k++] = s->parts[i];
    }
    s->nparts = k;
    s->pmin_valid = false;
    for (int j = 0; j < n; j++) part_get(s, parts[j], now);
}

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
        if (t > s->max_event_time) s->max_event_time = t;
        int64_t w = s->max_event_time;
        if (b->part[r] >= 0) {
            w = part_min_after(s, part_get(s, b->part[r], b->arrival[r]), t, b->arrival[r]);
        }
        if (s->wm_delay_ms > 0 && w != ED_TS_MIN) w = w < ED_TS_MIN + s->wm_delay_ms ? ED_TS_MIN : w - s->wm_delay_ms;
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

void ed_engine_push_timed(ed_engine *e, ed_stream_def *s, const ed_value *rows, int stride, int n,
                          const int64_t *t, const int64_t *wm)
{
    if (n <= 0) return;
    for (int r = 0; r < n; r++) {
        if (t[r] > s->max_event_time) s->max_event_time = t[r];
        if (wm[r] > s->watermark) s->watermark = wm[r];
    }
    s->events_in += (uint64_t)n;
    s->wm_at_last_event = s->watermark;
    for (int i = 0; i < e->nqueries; i++) {
        ed_query *q = e->queries[i];
        if (q->plan->stream == s) q->op->push(q, rows, stride, t, wm, n);
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
        if (s->nparts > 0) {
            /* an idle partition may have been holding the watermark back */
            int64_t m = part_min(s, now);
            if (m != ED_TS_MIN && m != ED_TS_MAX) {
                m -= s->wm_delay_ms;
                if (m > w) w = m;
            }
        }
        if (s->idle_timeout_ms > 0 && s->events_in > 0 && now - s->last_arrival >= s->idle_timeout_ms) {
            int64_t idle = now - s->last_arrival;  /* > 0 here */
            int64_t iw = s->wm_at_last_event > ED_TS_MAX - idle ? ED_TS_MAX : s->wm_at_last_event + idle;
            if (iw > w) w = iw;
        }
        if (w > s->watermark) ed_engine_advance(e, s, w);
    }
}

void ed_engine_finish(ed_engine *e)
{
    for (int i = 0; i < e->nstreams; i++) ed_engine_advance(e, e->streams[i], ED_TS_MAX);
}
