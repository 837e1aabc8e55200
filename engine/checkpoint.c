/* checkpoint.c — the engine's state as a byte blob and back.
 *
 * Blob format version 1 (little-endian; values, strings and length-prefixed
 * sections as in udf/ckpt_codec.h):
 *   u32 version (1), 8 bytes "EDDYSTAT", u64 emit_group
 *   u32 nstreams, nstreams x (str name, u64 sql fingerprint, u64 len, body):
 *       i64 watermark, i64 max_event_time, i64 wm_at_last_event,
 *       u64 events_in, u64 decode_errors, u64 null_time_events,
 *       u32 nparts, nparts x (i32 partition, i64 max_event_time)
 *   u32 nsinks, nsinks x (str name, u64 len, body): u64 rows_out
 *   u32 nqueries, nqueries x (str name, u64 sql fingerprint, u64 len, body):
 *       str operator name, i64 watermark, u64 events_in, u64 events_out,
 *       u64 late_events, u64 div_by_zero, u64 eval_errors,
 *       u64 len + operator state (empty for stateless operators; the
 *       window operator's layout is in op_window.c)
 *   u32 end mark "END!"
 * The fingerprint is 64-bit FNV-1a of the CREATE statement's text. Ad-hoc
 * queries and their internal sinks are not written (their clients are gone
 * after a restart). Arrival times are not written: they restart at now_ms().
 *
 * Restore decodes everything into pending records first (operator states
 * through the operators' restore(), which build new states beside the live
 * ones); only when the whole blob is valid are they installed. On any error
 * every decoded state is discarded and the engine is untouched.
 */
#include "internal.h"
#include "../udf/ckpt_codec.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CKPT_VERSION 1u
#define CKPT_END 0x21444E45u /* "END!" */
static const char MAGIC[8] = {'E', 'D', 'D', 'Y', 'S', 'T', 'A', 'T'};

/* FNV-1a of the statement text without surrounding blanks and ';' (the
 * parser already gives first token to last token; the trim only guards
 * against hosts that store the text differently). */
static bool trim_char(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';'; }
static uint64_t fingerprint(const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : ""), *end = p + strlen((const char *)p);
    while (p < end && trim_char(*p)) p++;
    while (end > p && trim_char(end[-1])) end--;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; p < end; p++) h = (h ^ *p) * 0x100000001b3ULL;
    return h;
}

static bool query_saved(const ed_query *q) { return !q->sink || !q->sink->internal; }

void ed_engine_snapshot(ed_engine *e, ed_sb *out)
{
    ed_ck_put_u32(out, CKPT_VERSION);
    ed_sb_append(out, MAGIC, sizeof MAGIC);
    ed_ck_put_u64(out, e->emit_group);

    ed_ck_put_u32(out, (uint32_t)e->nstreams);
    for (int i = 0; i < e->nstreams; i++) {
        const ed_stream_def *s = e->streams[i];
        ed_ck_put_str(out, s->name);
        ed_ck_put_u64(out, fingerprint(s->sql));
        size_t at = ed_ck_begin_len64(out);
        ed_ck_put_i64(out, s->watermark);
        ed_ck_put_i64(out, s->max_event_time);
        ed_ck_put_i64(out, s->wm_at_last_event);
        ed_ck_put_u64(out, s->events_in);
        ed_ck_put_u64(out, s->decode_errors);
        ed_ck_put_u64(out, s->null_time_events);
        ed_ck_put_u32(out, (uint32_t)s->nparts);
        for (int k = 0; k < s->nparts; k++) {
            ed_ck_put_u32(out, (uint32_t)s->parts[k].part);
            ed_ck_put_i64(out, s->parts[k].max_event_time);
        }
        ed_ck_end_len64(out, at);
    }

    uint32_t nsinks = 0;
    for (int i = 0; i < e->nsinks; i++) nsinks += !e->sinks[i]->internal;
    ed_ck_put_u32(out, nsinks);
    for (int i = 0; i < e->nsinks; i++) {
        const ed_sink_def *k = e->sinks[i];
        if (k->internal) continue;
        ed_ck_put_str(out, k->name);
        size_t at = ed_ck_begin_len64(out);
        ed_ck_put_u64(out, k->rows_out);
        ed_ck_end_len64(out, at);
    }

    uint32_t nq = 0;
    for (int i = 0; i < e->nqueries; i++) nq += query_saved(e->queries[i]);
    ed_ck_put_u32(out, nq);
    for (int i = 0; i < e->nqueries; i++) {
        ed_query *q = e->queries[i];
        if (!query_saved(q)) continue;
        ed_ck_put_str(out, q->name);
        ed_ck_put_u64(out, fingerprint(q->sql));
        size_t at = ed_ck_begin_len64(out);
        ed_ck_put_str(out, q->op->name);
        ed_ck_put_i64(out, q->watermark);
        ed_ck_put_u64(out, q->events_in);
        ed_ck_put_u64(out, q->events_out);
        ed_ck_put_u64(out, q->late_events);
        ed_ck_put_u64(out, q->div_by_zero);
        ed_ck_put_u64(out, q->eval_errors);
        size_t op = ed_ck_begin_len64(out);
        if (q->op->snapshot) q->op->snapshot(q, out);
        ed_ck_end_len64(out, op);
        ed_ck_end_len64(out, at);
    }
    ed_ck_put_u32(out, CKPT_END);
}

/* ---- restore ---- */

typedef struct pend_stream {
    bool seen;
    int64_t wm, max_et, wm_last;
    uint64_t events_in, decode_errors, null_time;
    ed_part_wm *parts;
    int nparts;
} pend_stream;

typedef struct pend_sink {
    bool seen;
    uint64_t rows_out;
} pend_sink;

typedef struct pend_query {
    bool seen;
    int64_t wm;
    uint64_t events_in, events_out, late, div0, evalerr;
    void *state; /* from op->restore; NULL for stateless operators */
} pend_query;

typedef struct rctx {
    ed_engine *e;
    pend_stream *ps;
    pend_sink *pk;
    pend_query *pq;
    char *err;
    size_t errlen;
} rctx;

static int fail(rctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(rctx *x, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (x->errlen) snprintf(x->err, x->errlen, "checkpoint: %s", msg);
    return -1;
}

static bool name_is(const char *name, const char *s, uint32_t n) { return strlen(name) == n && !memcmp(name, s, n); }

/* One object header: name, optional fingerprint, body section. */
static int get_header(rctx *x, const unsigned char **p, const unsigned char *end, const char *what, bool with_fp,
                      const char **name, uint32_t *nlen, uint64_t *fp, const unsigned char **body,
                      const unsigned char **body_end)
{
    if (ed_ck_get_bytes(p, end, name, nlen)) return fail(x, "truncated %s entry", what);
    int shown = (int)(*nlen > 64 ? 64 : *nlen);
    if (with_fp && ed_ck_get_u64(p, end, fp)) return fail(x, "%s %.*s: truncated entry", what, shown, *name);
    if (ed_ck_get_section(p, end, body, body_end)) return fail(x, "%s %.*s: truncated entry", what, shown, *name);
    return 0;
}

static int read_stream(rctx *x, ed_stream_def *s, pend_stream *ps, const unsigned char *p, const unsigned char *end)
{
    uint32_t nparts;
    if (ed_ck_get_i64(&p, end, &ps->wm) || ed_ck_get_i64(&p, end, &ps->max_et) ||
        ed_ck_get_i64(&p, end, &ps->wm_last) || ed_ck_get_u64(&p, end, &ps->events_in) ||
        ed_ck_get_u64(&p, end, &ps->decode_errors) || ed_ck_get_u64(&p, end, &ps->null_time) ||
        ed_ck_get_u32(&p, end, &nparts))
        return fail(x, "stream %s: truncated state", s->name);
    if (ps->wm_last > ps->wm) return fail(x, "stream %s: corrupt state (watermarks)", s->name);
    if ((uint64_t)nparts * 12 != (uint64_t)(end - p)) return fail(x, "stream %s: corrupt partition list", s->name);
    if (nparts) ps->parts = ed_xcalloc(nparts, sizeof(ed_part_wm));
    for (uint32_t i = 0; i < nparts; i++) {
        uint32_t part = 0;
        ed_part_wm *pw = &ps->parts[ps->nparts];
        if (ed_ck_get_u32(&p, end, &part) || ed_ck_get_i64(&p, end, &pw->max_event_time))
            return fail(x, "stream %s: truncated partition list", s->name);
        pw->part = (int32_t)part;
        for (int k = 0; k < ps->nparts; k++)
            if (ps->parts[k].part == pw->part)
                return fail(x, "stream %s: partition %d appears twice", s->name, (int)pw->part);
        ps->nparts++;
    }
    return 0;
}

static int read_query(rctx *x, ed_query *q, pend_query *pq, const unsigned char *p, const unsigned char *end)
{
    const char *op;
    const unsigned char *s, *send;
    uint32_t oplen;
    if (ed_ck_get_bytes(&p, end, &op, &oplen)) return fail(x, "query %s: truncated state", q->name);
    if (!name_is(q->op->name, op, oplen))
        return fail(x, "query %s: operator %.*s in the checkpoint, %s now", q->name, (int)(oplen > 64 ? 64 : oplen),
                    op, q->op->name);
    if (ed_ck_get_i64(&p, end, &pq->wm) || ed_ck_get_u64(&p, end, &pq->events_in) ||
        ed_ck_get_u64(&p, end, &pq->events_out) || ed_ck_get_u64(&p, end, &pq->late) ||
        ed_ck_get_u64(&p, end, &pq->div0) || ed_ck_get_u64(&p, end, &pq->evalerr) ||
        ed_ck_get_section(&p, end, &s, &send))
        return fail(x, "query %s: truncated state", q->name);
    if (p != end) return fail(x, "query %s: corrupt state (trailing bytes)", q->name);
    if (!q->op->restore) {
        if (send != s) return fail(x, "query %s: corrupt state (stateless operator with state)", q->name);
        return 0;
    }
    char msg[300] = "";
    void *ns = NULL;
    if (q->op->restore(q, &s, send, &ns, msg, sizeof msg) != 0) return fail(x, "query %s: %s", q->name, msg);
    if (s != send) {
        q->op->discard(q, ns);
        return fail(x, "query %s: corrupt operator state (trailing bytes)", q->name);
    }
    pq->state = ns;
    return 0;
}

static void discard_all(rctx *x)
{
    ed_engine *e = x->e;
    for (int i = 0; i < e->nstreams; i++) free(x->ps[i].parts);
    for (int i = 0; i < e->nqueries; i++)
        if (x->pq[i].state) e->queries[i]->op->discard(e->queries[i], x->pq[i].state);
}

static int decode(rctx *x, const unsigned char *p, const unsigned char *end, uint64_t *emit_group, int *skipped)
{
    ed_engine *e = x->e;
    uint32_t version, n;
    if (ed_ck_get_u32(&p, end, &version)) return fail(x, "truncated header");
    if (version != CKPT_VERSION)
        return fail(x, "unknown format version %u (this eddy reads version %u)", version, CKPT_VERSION);
    if (end - p < (ptrdiff_t)sizeof MAGIC || memcmp(p, MAGIC, sizeof MAGIC) != 0)
        return fail(x, "not an engine state blob (bad magic)");
    p += sizeof MAGIC;
    if (ed_ck_get_u64(&p, end, emit_group)) return fail(x, "truncated header");

    const char *name;
    uint32_t nlen;
    uint64_t fp = 0;
    const unsigned char *b, *bend;

    if (ed_ck_get_u32(&p, end, &n)) return fail(x, "truncated stream list");
    for (uint32_t i = 0; i < n; i++) {
        if (get_header(x, &p, end, "stream", true, &name, &nlen, &fp, &b, &bend)) return -1;
        int k = 0;
        while (k < e->nstreams && !name_is(e->streams[k]->name, name, nlen)) k++;
        if (k == e->nstreams) {
            ++*skipped;
            continue;
        }
        ed_stream_def *s = e->streams[k];
        if (x->ps[k].seen) return fail(x, "stream %s appears twice", s->name);
        x->ps[k].seen = true;
        if (fp != fingerprint(s->sql)) return fail(x, "stream %s: SQL text differs from the checkpoint", s->name);
        if (read_stream(x, s, &x->ps[k], b, bend)) return -1;
    }

    if (ed_ck_get_u32(&p, end, &n)) return fail(x, "truncated sink list");
    for (uint32_t i = 0; i < n; i++) {
        if (get_header(x, &p, end, "sink", false, &name, &nlen, &fp, &b, &bend)) return -1;
        int k = 0;
        while (k < e->nsinks && !name_is(e->sinks[k]->name, name, nlen)) k++;
        if (k == e->nsinks || e->sinks[k]->internal) {
            ++*skipped;
            continue;
        }
        ed_sink_def *s = e->sinks[k];
        if (x->pk[k].seen) return fail(x, "sink %s appears twice", s->name);
        x->pk[k].seen = true;
        if (ed_ck_get_u64(&b, bend, &x->pk[k].rows_out) || b != bend)
            return fail(x, "sink %s: corrupt state", s->name);
    }

    if (ed_ck_get_u32(&p, end, &n)) return fail(x, "truncated query list");
    for (uint32_t i = 0; i < n; i++) {
        if (get_header(x, &p, end, "query", true, &name, &nlen, &fp, &b, &bend)) return -1;
        int k = 0;
        while (k < e->nqueries && !name_is(e->queries[k]->name, name, nlen)) k++;
        if (k == e->nqueries || !query_saved(e->queries[k])) {
            ++*skipped;
            continue;
        }
        ed_query *q = e->queries[k];
        if (x->pq[k].seen) return fail(x, "query %s appears twice", q->name);
        x->pq[k].seen = true;
        if (fp != fingerprint(q->sql)) return fail(x, "query %s: SQL text differs from the checkpoint", q->name);
        if (read_query(x, q, &x->pq[k], b, bend)) return -1;
    }

    uint32_t mark;
    if (ed_ck_get_u32(&p, end, &mark) || mark != CKPT_END) return fail(x, "truncated (no end mark)");
    if (p != end) return fail(x, "%zu unexpected bytes after the end mark", (size_t)(end - p));
    return 0;
}

int ed_engine_restore(ed_engine *e, const void *blob, size_t len, int *skipped, char *err, size_t errlen)
{
    if (errlen) err[0] = 0;
    rctx x = {e, ed_xcalloc((size_t)e->nstreams + 1, sizeof(pend_stream)),
              ed_xcalloc((size_t)e->nsinks + 1, sizeof(pend_sink)), ed_xcalloc((size_t)e->nqueries + 1, sizeof(pend_query)),
              err, errlen};
    const unsigned char *p = blob ? blob : (const void *)"";
    uint64_t emit_group = 0;
    int nskip = 0;
    int rc = decode(&x, p, p + (blob ? len : 0), &emit_group, &nskip);
    if (rc != 0) {
        discard_all(&x);
    } else {
        int64_t now = e->ops.now_ms(e->host);
        for (int i = 0; i < e->nstreams; i++) {
            ed_stream_def *s = e->streams[i];
            pend_stream *ps = &x.ps[i];
            if (!ps->seen) continue;
            s->watermark = ps->wm;
            s->max_event_time = ps->max_et;
            s->wm_at_last_event = ps->wm_last;
            s->events_in = ps->events_in;
            s->decode_errors = ps->decode_errors;
            s->null_time_events = ps->null_time;
            s->last_arrival = now;
            free(s->parts);
            s->parts = ps->parts;
            s->nparts = ps->nparts;
            s->pmin_valid = false;
            for (int k = 0; k < s->nparts; k++) s->parts[k].last_arrival = now;
        }
        for (int i = 0; i < e->nsinks; i++)
            if (x.pk[i].seen) e->sinks[i]->rows_out = x.pk[i].rows_out;
        for (int i = 0; i < e->nqueries; i++) {
            ed_query *q = e->queries[i];
            pend_query *pq = &x.pq[i];
            if (!pq->seen) {
                /* not in the checkpoint: empty state, starting at its stream's
                 * watermark like a query created now */
                int64_t sw = q->plan->stream->watermark;
                if (q->watermark == ED_TS_MIN && sw != ED_TS_MIN) q->watermark = sw;
                continue;
            }
            q->watermark = pq->wm;
            q->events_in = pq->events_in;
            q->events_out = pq->events_out;
            q->late_events = pq->late;
            q->div_by_zero = pq->div0;
            q->eval_errors = pq->evalerr;
            if (q->op->install) q->op->install(q, pq->state);
        }
        if (emit_group > e->emit_group) e->emit_group = emit_group;
        if (skipped) *skipped = nskip;
    }
    free(x.ps);
    free(x.pk);
    free(x.pq);
    return rc;
}
