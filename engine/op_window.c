/* op_window.c — windowed aggregation (TUMBLING and HOPPING) over panes.
 *
 * Algorithm: time is cut into panes of gcd(size, advance) milliseconds,
 * aligned to the epoch. Each event updates exactly one pane: the group of its
 * GROUP BY key in the pane of its event time (one hash lookup, one step per
 * aggregate), whatever the number of overlapping windows. When the watermark
 * W passes a window's end, the panes inside the window are combined with the
 * aggregates' combine() and the result is finalised and emitted, once.
 * A tumbling window is a single pane and is finalised directly.
 *
 * Lateness: window [s, e) is closed once W >= e. An event whose latest window
 * (the one starting at align(t, advance)) is closed is late: dropped and
 * counted. An event whose earlier windows are closed but later ones open is
 * added to its pane; closed windows were already emitted and are never
 * emitted again, so it contributes exactly to the windows still open.
 *
 * Firing happens event by event: before row i is added, windows with
 * end <= W_i are emitted, so batching never changes results.
 *
 * Emission: a window whose groups all sit in one pane (every tumbling
 * window; a hopping window over sparse or starting data) is emitted straight
 * from that pane; otherwise its panes are combined into a scratch table
 * first. Rows leave in order of each group's first arrival.
 *
 * Memory: each pane owns a group table (fixed-size entries: arrival seq,
 * keys, aggregate states; see gtable) and an arena for its VARCHAR keys;
 * aggregates' own heap (COUNT DISTINCT sets, MIN/MAX strings) is released
 * with destroy() when the pane is dropped — after the last window containing
 * it has been emitted. Panes are kept sorted by start time. Nexmark q5 (one
 * BIGINT key, COUNT) takes ~50 bytes per (key, pane): 32-byte entry, 8-byte
 * slots at load 3/8..3/4.
 */
#include "internal.h"
#include "../udf/ckpt_codec.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A group is one fixed-size entry: its arrival seq, its ngroup keys, then its
 * aggregate state block (state_size bytes); `stride` bytes in all. Entries
 * live in chunks that never move, in insertion order: chunk c holds 16 << c
 * entries up to 4096, then every chunk holds 4096, so entry i's address is
 * arithmetic (no pointer array to read) and the groups of a table iterate in
 * arrival order. VARCHAR keys are copied into the pane's string arena.
 * The hash index is open addressing over 8-byte slots: the key hash's low 32
 * bits and the entry index + 1 (0 = empty), so probing compares hashes
 * without touching entries and growing never reads them. */
typedef struct wentry {
    uint64_t seq;            /* arrival order of the group's first event */
} wentry;

#define EKEYS(e) ((ed_value *)(void *)((e) + 1))
#define ESTATE(e, p) ((unsigned char *)((e) + 1) + (size_t)(p)->ngroup * sizeof(ed_value))

#define GT_SMALL_CHUNKS 9                                  /* 16 .. 4096 entries */
#define GT_SMALL_TOTAL (16u * ((1u << GT_SMALL_CHUNKS) - 1)) /* 8176 entries */
#define GT_BIG_SHIFT 12                                    /* then 4096 per chunk */

typedef struct gtable {
    unsigned char **chunk;
    int nchunk, chunk_cap;
    size_t stride;           /* bytes per entry (0 until the first insert) */
    uint64_t cap_bytes;      /* bytes of all chunks */
    int n;                   /* groups */
    uint64_t *slots;         /* hash32 << 32 | (index + 1); 0 = empty */
    uint32_t mask;
} gtable;

static inline size_t gt_chunk_len(int c) { return c < GT_SMALL_CHUNKS ? (size_t)16 << c : (size_t)1 << GT_BIG_SHIFT; }

/* chunk c and offset in it of entry i */
static inline uint32_t gt_locate(uint32_t i, uint32_t *off)
{
    if (i < GT_SMALL_TOTAL) {
        uint32_t c = 31u - (uint32_t)__builtin_clz((i >> 4) + 1);
        *off = i - 16u * ((1u << c) - 1);
        return c;
    }
    uint32_t k = i - GT_SMALL_TOTAL;
    *off = k & ((1u << GT_BIG_SHIFT) - 1);
    return GT_SMALL_CHUNKS + (k >> GT_BIG_SHIFT);
}

static inline wentry *gt_at(const gtable *g, uint32_t i)
{
    uint32_t off, c = gt_locate(i, &off);
    return (wentry *)(void *)(g->chunk[c] + (size_t)off * g->stride);
}

static void gt_free(gtable *g)
{
    for (int c = 0; c < g->nchunk; c++) free(g->chunk[c]);
    free(g->chunk);
    free(g->slots);
    memset(g, 0, sizeof *g);
}

/* Empty the table, keeping its chunks and slots for reuse. */
static void gt_clear(gtable *g)
{
    g->n = 0;
    if (g->slots) memset(g->slots, 0, sizeof(uint64_t) * ((size_t)g->mask + 1));
}

static void gt_grow(gtable *g)
{
    uint32_t osz = g->slots ? g->mask + 1 : 0, nsz = osz ? osz * 2 : 16;
    uint64_t *old = g->slots;
    /* malloc + memset, not calloc: calloc's fresh pages would be read first
     * (probing) and map the shared zero page, and the first write to each
     * then takes a copy-on-write fault whose TLB flush interrupts every other
     * thread of the process (with ed_par: ~10 % of two-thread q5's time) */
    g->slots = ed_xmalloc(sizeof(uint64_t) * nsz);
    memset(g->slots, 0, sizeof(uint64_t) * nsz);
    g->mask = nsz - 1;
    for (uint32_t i = 0; i < osz; i++) {
        if (!old[i]) continue;
        uint32_t s = (uint32_t)(old[i] >> 32) & g->mask;
        while (g->slots[s]) s = (s + 1) & g->mask;
        g->slots[s] = old[i];
    }
    free(old);
}

static bool keys_equal(const ed_value *a, const ed_value *b, int n)
{
    for (int i = 0; i < n; i++) {
        if (a[i].type != b[i].type) return false;
        if (ed_value_cmp(&a[i], &b[i]) != 0) return false;
    }
    return true;
}

static uint64_t keys_hash(const ed_value *keys, int n)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < n; i++) h = ed_value_hash(&keys[i], h);
    return h;
}

/* Find the group of keys (hash h) in g, or insert it (VARCHAR keys copied
 * into strings, aggregate states initialised). The entry stays where it is
 * until the table is freed. */
static wentry *gt_upsert(gtable *g, const ed_plan *p, uint64_t h, const ed_value *keys, ed_arena *strings,
                         uint64_t seq, bool *inserted)
{
    if (!g->slots || (uint64_t)(g->n + 1) * 4 > (uint64_t)(g->mask + 1) * 3) gt_grow(g); /* load <= 3/4 */
    const uint32_t h32 = (uint32_t)h;
    uint32_t s = h32 & g->mask;
    uint64_t sv;
    if (p->ngroup == 1 && keys[0].type == ED_BIGINT) {
        /* one BIGINT key: equal iff the stored key is a BIGINT of that value */
        const int64_t k = keys[0].u.i;
        while ((sv = g->slots[s]) != 0) {
            if ((uint32_t)(sv >> 32) == h32) {
                wentry *e = gt_at(g, (uint32_t)sv - 1);
                const ed_value *ek = EKEYS(e);
                if (ek->type == ED_BIGINT && ek->u.i == k) {
                    *inserted = false;
                    return e;
                }
            }
            s = (s + 1) & g->mask;
        }
    } else {
        while ((sv = g->slots[s]) != 0) {
            if ((uint32_t)(sv >> 32) == h32) {
                wentry *e = gt_at(g, (uint32_t)sv - 1);
                if (keys_equal(EKEYS(e), keys, p->ngroup)) {
                    *inserted = false;
                    return e;
                }
            }
            s = (s + 1) & g->mask;
        }
    }
    if (!g->stride) g->stride = (sizeof(wentry) + sizeof(ed_value) * (size_t)p->ngroup + p->state_size + 7) & ~(size_t)7;
    uint32_t idx = (uint32_t)g->n, off;
    int c = (int)gt_locate(idx, &off);
    if (c == g->nchunk) { /* the previous chunks are full: add the next one */
        if (g->nchunk == g->chunk_cap) {
            g->chunk_cap = g->chunk_cap ? g->chunk_cap * 2 : 16;
            g->chunk = ed_xrealloc(g->chunk, sizeof(*g->chunk) * (size_t)g->chunk_cap);
        }
        g->chunk[g->nchunk++] = ed_xmalloc(gt_chunk_len(c) * g->stride);
        g->cap_bytes += gt_chunk_len(c) * g->stride;
    }
    wentry *e = (wentry *)(void *)(g->chunk[c] + (size_t)off * g->stride);
    memset(e, 0, g->stride);
    g->slots[s] = (uint64_t)h32 << 32 | (uint64_t)(idx + 1);
    g->n++;
    e->seq = seq;
    ed_value *ek = EKEYS(e);
    for (int i = 0; i < p->ngroup; i++) {
        ek[i] = keys[i];
        if (keys[i].type == ED_VARCHAR) ek[i].u.s = ed_arena_strndup(strings, keys[i].u.s, keys[i].len);
    }
    unsigned char *st = ESTATE(e, p);
    for (int i = 0; i < p->naggs; i++) p->aggs[i].fn->init(st + p->aggs[i].offset, p->aggs[i].arg_type);
    *inserted = true;
    return e;
}

typedef struct pane {
    int64_t start;
    gtable g;
    ed_arena arena;          /* copies of its VARCHAR keys */
} pane;

typedef struct wstate {
    pane **panes;
    int npanes, cap;
    int last_pane;           /* index hint for the pane of the previous event */
    /* the pane of the previous event: [cp_start, cp_end), and the end of the
     * latest window holding it (an event in it is late once W >= cp_wend) */
    pane *cp;
    int64_t cp_start, cp_end, cp_wend;
    bool emitted_any;
    int64_t last_end;        /* end of the last emitted window */
    uint64_t seq;
    gtable tmp;              /* hopping: combined groups of one window; kept
                              * between firings for reuse, not counted as state */
    ed_arena tmp_arena;
    ed_value *keybuf, *post, *out, *args;
    wentry **order;          /* hopping: emission order when not in arrival order */
    int order_cap;
    /* GROUP BY only plain columns (kslot[i] = column): keys are read from
     * the row, and the group of the row PF_DIST ahead is prefetched */
    bool keys_are_cols;
    int *kslot;
} wstate;

#define PF_DIST 8

#define TS_LIMIT ((int64_t)1 << 61)

static void destroy_states(const ed_plan *p, gtable *g)
{
    for (int i = 0; i < p->naggs; i++) {
        if (!p->aggs[i].fn->destroy) continue;
        for (int k = 0; k < g->n; k++) p->aggs[i].fn->destroy(ESTATE(gt_at(g, (uint32_t)k), p) + p->aggs[i].offset);
    }
}

static void pane_free(const ed_plan *p, pane *pn)
{
    destroy_states(p, &pn->g);
    gt_free(&pn->g);
    ed_arena_free(&pn->arena);
    free(pn);
}

/* Find or create the pane starting at start; keeps panes sorted. */
static pane *get_pane(wstate *w, int64_t start)
{
    if (w->last_pane < w->npanes && w->panes[w->last_pane]->start == start) return w->panes[w->last_pane];
    int lo = 0, hi = w->npanes;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (w->panes[mid]->start < start) lo = mid + 1;
        else hi = mid;
    }
    if (lo < w->npanes && w->panes[lo]->start == start) {
        w->last_pane = lo;
        return w->panes[lo];
    }
    if (w->npanes == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 8;
        w->panes = ed_xrealloc(w->panes, sizeof(pane *) * (size_t)w->cap);
    }
    memmove(w->panes + lo + 1, w->panes + lo, sizeof(pane *) * (size_t)(w->npanes - lo));
    pane *pn = ed_xcalloc(1, sizeof *pn);
    pn->start = start;
    ed_arena_init(&pn->arena, 16384);
    w->panes[lo] = pn;
    w->npanes++;
    w->last_pane = lo;
    return pn;
}

static void drop_first_panes(ed_query *q, wstate *w, int k)
{
    if (k <= 0) return; /* also: no pane array yet (a query that never saw an event) */
    for (int i = 0; i < k; i++) pane_free(q->plan, w->panes[i]);
    memmove(w->panes, w->panes + k, sizeof(pane *) * (size_t)(w->npanes - k));
    w->npanes -= k;
    w->last_pane = 0;
    w->cp = NULL; /* may have been freed; the range stays valid */
}

static int cmp_seq(const void *a, const void *b)
{
    const wentry *x = *(wentry *const *)a, *y = *(wentry *const *)b;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Finalise one group into the post row, apply HAVING, project, emit. */
static void emit_group(ed_query *q, wstate *w, const wentry *e, int64_t ws, int64_t we, uint64_t group)
{
    const ed_plan *p = q->plan;
    ed_value *post = w->post;
    post[0] = ed_v_ts(ws);
    post[1] = ed_v_ts(we);
    for (int i = 0; i < p->ngroup; i++) post[2 + i] = EKEYS(e)[i];
    for (int i = 0; i < p->naggs; i++) {
        const ed_agg_fn *fn = p->aggs[i].fn;
        post[2 + p->ngroup + i] = fn->final(ESTATE(e, p) + p->aggs[i].offset, q->fctx.arena);
        if (fn->final_error && fn->final_error(ESTATE(e, p) + p->aggs[i].offset)) q->eval_errors++; /* e.g. SUM overflow */
    }
    if (p->having && !ed_expr_eval_pred(p->having, post, &q->fctx)) return;
    for (int i = 0; i < p->nout; i++) w->out[i] = ed_expr_eval(p->out[i], post, &q->fctx);
    ed_query_emit(q, w->out, group, we);
}

static void emit_window(ed_query *q, wstate *w, int64_t ws, int64_t we)
{
    const ed_plan *p = q->plan;
    uint64_t group = ++q->engine->emit_group;
    /* the panes of [ws, we) that hold groups: with only one (always, for a
     * tumbling window), its groups are the window's, already in arrival order */
    int first = -1, nonempty = 0;
    for (int i = 0; i < w->npanes && w->panes[i]->start < we; i++) {
        if (w->panes[i]->start < ws || w->panes[i]->g.n == 0) continue;
        if (first < 0) first = i;
        nonempty++;
    }
    if (nonempty == 0) return;
    if (nonempty == 1) {
        const gtable *g = &w->panes[first]->g;
        for (int k = 0; k < g->n; k++) emit_group(q, w, gt_at(g, (uint32_t)k), ws, we, group);
        return;
    }
    gt_clear(&w->tmp);
    ed_arena_reset(&w->tmp_arena);
    /* the union has at least as many groups as the largest pane: size the
     * index for that now rather than growing it step by step */
    int most = 0;
    for (int i = first; i < w->npanes && w->panes[i]->start < we; i++)
        if (w->panes[i]->g.n > most) most = w->panes[i]->g.n;
    while ((uint64_t)most * 4 > (uint64_t)(w->tmp.slots ? w->tmp.mask + 1 : 0) * 3) gt_grow(&w->tmp);
    uint64_t hr[16];
    for (int i = first; i < w->npanes && w->panes[i]->start < we; i++) {
        const gtable *g = &w->panes[i]->g;
        for (int k = 0; k < g->n && k < PF_DIST; k++) hr[k & 15] = keys_hash(EKEYS(gt_at(g, (uint32_t)k)), p->ngroup);
        for (int k = 0; k < g->n; k++) {
            const wentry *src = gt_at(g, (uint32_t)k);
            if (k + PF_DIST < g->n) { /* hash a later group now and prefetch its slot (see prefetch_group) */
                uint64_t fh = keys_hash(EKEYS(gt_at(g, (uint32_t)(k + PF_DIST))), p->ngroup);
                hr[(k + PF_DIST) & 15] = fh;
                __builtin_prefetch(&w->tmp.slots[(uint32_t)fh & w->tmp.mask]);
            }
            bool ins;
            wentry *dst = gt_upsert(&w->tmp, p, hr[k & 15], EKEYS(src), &w->tmp_arena, src->seq, &ins);
            if (src->seq < dst->seq) dst->seq = src->seq;
            unsigned char *ds = ESTATE(dst, p);
            const unsigned char *ss = ESTATE(src, p);
            for (int a = 0; a < p->naggs; a++) p->aggs[a].fn->combine(ds + p->aggs[a].offset, ss + p->aggs[a].offset);
        }
    }
    /* emit in order of each group's first arrival; in-order input leaves the
     * table in that order already (seqs are unique) */
    const gtable *t = &w->tmp;
    bool sorted = true;
    for (int k = 1; k < t->n && sorted; k++) sorted = gt_at(t, (uint32_t)k)->seq > gt_at(t, (uint32_t)k - 1)->seq;
    if (sorted) {
        for (int k = 0; k < t->n; k++) emit_group(q, w, gt_at(t, (uint32_t)k), ws, we, group);
    } else {
        if (t->n > w->order_cap) {
            w->order_cap = t->n * 2;
            w->order = ed_xrealloc(w->order, sizeof(wentry *) * (size_t)w->order_cap);
        }
        for (int k = 0; k < t->n; k++) w->order[k] = gt_at(t, (uint32_t)k);
        qsort(w->order, (size_t)t->n, sizeof(wentry *), cmp_seq);
        for (int k = 0; k < t->n; k++) emit_group(q, w, w->order[k], ws, we, group);
    }
    destroy_states(p, &w->tmp);
}

/* Emit, in order of window end, every window with end <= wm that holds data. */
static void fire(ed_query *q, wstate *w, int64_t wm)
{
    const ed_plan *p = q->plan;
    const int64_t size = p->size_ms, adv = p->advance_ms;
    while (w->npanes > 0) {
        int64_t ps = w->panes[0]->start;
        int64_t e0 = ed_align(ps - size, adv) + adv + size;
        if (w->emitted_any && e0 <= w->last_end) e0 = w->last_end + adv;
        if (e0 - size > ps) { /* every window holding this pane was emitted */
            drop_first_panes(q, w, 1);
            continue;
        }
        if (e0 > wm) break;
        emit_window(q, w, e0 - size, e0);
        w->last_end = e0;
        w->emitted_any = true;
        int k = 0;
        while (k < w->npanes && ed_align(w->panes[k]->start, adv) + size <= w->last_end) k++;
        if (k) drop_first_panes(q, w, k);
    }
}

static void window_wm(ed_query *q, int64_t wm)
{
    if (wm <= q->watermark) return;
    q->watermark = wm;
    wstate *w = q->state;
    fire(q, w, wm);
    /* Every window ending at or before wm is closed now, emitted or empty.
     * Without this an empty one (no pane when the watermark passed it: a
     * fresh query, a quiet key range, a shard of ed_par without such rows)
     * was emitted later, once an event whose earlier windows were closed
     * but whose last one was open had made a pane for it. */
    const int64_t size = q->plan->size_ms, adv = q->plan->advance_ms;
    if (wm >= ED_TS_MIN + size && (!w->emitted_any || wm - adv >= w->last_end)) { /* a new end passed */
        w->last_end = ed_align(wm - size, adv) + size; /* the last window end <= wm */
        w->emitted_any = true;
    }
}

/* Hash the GROUP BY columns of row r + PF_DIST (keep it in hr) and prefetch
 * its slot in the current pane's index, then the entry of row r + PF_DIST/2
 * from its (prefetched) slot: the lookups of the next rows overlap instead of
 * waiting for memory one after the other. A hint only: the row may fall in
 * another pane or be filtered out. */
static inline void prefetch_group(const wstate *w, const ed_plan *p, const ed_value *rows, int ncols, int r, int n,
                                  uint64_t *hr)
{
    const pane *cp = w->cp;
    if (r + PF_DIST < n) {
        const ed_value *fr = rows + (size_t)(r + PF_DIST) * (size_t)ncols;
        uint64_t h = 0x9E3779B97F4A7C15ULL;
        for (int i = 0; i < p->ngroup; i++) h = ed_value_hash(&fr[w->kslot[i]], h);
        hr[(r + PF_DIST) & 15] = h;
        if (cp && cp->g.slots) __builtin_prefetch(&cp->g.slots[(uint32_t)h & cp->g.mask]);
    }
    if (cp && cp->g.slots && r >= PF_DIST / 2 && r + PF_DIST / 2 < n) {
        const uint32_t h32 = (uint32_t)hr[(r + PF_DIST / 2) & 15];
        const uint64_t sv = cp->g.slots[h32 & cp->g.mask];
        if (sv && (uint32_t)(sv >> 32) == h32) __builtin_prefetch(gt_at(&cp->g, (uint32_t)sv - 1));
    }
}

static void window_push(ed_query *q, const ed_value *rows, int ncols, const int64_t *t, const int64_t *wm, int n)
{
    const ed_plan *p = q->plan;
    wstate *w = q->state;
    const bool pf = w->keys_are_cols;
    uint64_t hr[16];
    if (pf) /* hashes of the first rows, which no earlier row prefetched */
        for (int r = 0; r < n && r < PF_DIST; r++) {
            uint64_t h = 0x9E3779B97F4A7C15ULL;
            for (int i = 0; i < p->ngroup; i++) h = ed_value_hash(&rows[(size_t)r * (size_t)ncols + (size_t)w->kslot[i]], h);
            hr[r & 15] = h;
        }
    for (int r = 0; r < n; r++) {
        const ed_value *row = rows + (size_t)r * (size_t)ncols;
        q->events_in++;
        if (wm[r] > q->watermark) window_wm(q, wm[r]);
        if (pf) prefetch_group(w, p, rows, ncols, r, n, hr);
        if (p->where && !ed_expr_eval_pred(p->where, row, &q->fctx)) continue;
        int64_t ts = t[r];
        if (ts < -TS_LIMIT || ts > TS_LIMIT) {
            q->eval_errors++;
            continue;
        }
        if (!(ts >= w->cp_start && ts < w->cp_end)) {
            /* not the previous event's pane: align (two divisions) and look it up */
            int64_t ps = ed_align(ts, p->pane_ms);
            w->cp_start = ps;
            w->cp_end = ps + p->pane_ms;
            w->cp_wend = ed_align(ps, p->advance_ms) + p->size_ms; /* pane_ms divides advance_ms */
            w->cp = NULL;
        }
        if (w->cp_wend <= q->watermark) {
            q->late_events++;
            continue;
        }
        uint64_t h;
        if (pf) {
            for (int i = 0; i < p->ngroup; i++) w->keybuf[i] = row[w->kslot[i]];
            h = hr[r & 15];
        } else {
            for (int i = 0; i < p->ngroup; i++) w->keybuf[i] = ed_expr_eval(p->group[i], row, &q->fctx);
            h = keys_hash(w->keybuf, p->ngroup);
        }
        if (!w->cp) w->cp = get_pane(w, w->cp_start);
        pane *pn = w->cp;
        bool ins;
        wentry *e = gt_upsert(&pn->g, p, h, w->keybuf, &pn->arena, w->seq++, &ins);
        unsigned char *st = ESTATE(e, p);
        for (int a = 0; a < p->naggs; a++) {
            const ed_plan_agg *ag = &p->aggs[a];
            for (int k = 0; k < ag->nargs; k++) w->args[k] = ed_expr_eval(ag->args[k], row, &q->fctx);
            ag->fn->step(st + ag->offset, w->args, ag->nargs);
        }
    }
}

static void window_size(ed_query *q, uint64_t *keys, uint64_t *bytes)
{
    const ed_plan *p = q->plan;
    wstate *w = q->state;
    uint64_t k = 0, b = sizeof(*w);
    for (int i = 0; i < w->npanes; i++) {
        gtable *g = &w->panes[i]->g;
        k += (uint64_t)g->n;
        b += w->panes[i]->arena.bytes + g->cap_bytes + sizeof(*g->chunk) * (size_t)g->chunk_cap +
             sizeof(uint64_t) * (g->slots ? (uint64_t)g->mask + 1 : 0);
        for (int a = 0; a < p->naggs; a++) {
            if (!p->aggs[a].fn->heap_bytes) continue;
            for (int e = 0; e < g->n; e++) b += p->aggs[a].fn->heap_bytes(ESTATE(gt_at(g, (uint32_t)e), p) + p->aggs[a].offset);
        }
    }
    *keys = k;
    *bytes = b;
}

static void ws_free(const ed_plan *p, wstate *w)
{
    if (!w) return;
    for (int i = 0; i < w->npanes; i++) pane_free(p, w->panes[i]);
    free(w->panes);
    gt_free(&w->tmp);
    ed_arena_free(&w->tmp_arena);
    free(w->keybuf);
    free(w->post);
    free(w->out);
    free(w->args);
    free(w->order);
    free(w->kslot);
    free(w);
}

static void window_free(ed_query *q)
{
    ws_free(q->plan, q->state);
    q->state = NULL;
}

static wstate *ws_new(const ed_plan *p)
{
    wstate *w = ed_xcalloc(1, sizeof *w);
    ed_arena_init(&w->tmp_arena, 16384);
    w->keybuf = ed_xcalloc((size_t)p->ngroup + 1, sizeof(ed_value));
    w->post = ed_xcalloc((size_t)p->npost + 1, sizeof(ed_value));
    w->out = ed_xcalloc((size_t)p->nout + 1, sizeof(ed_value));
    int maxargs = 1;
    for (int a = 0; a < p->naggs; a++)
        if (p->aggs[a].nargs > maxargs) maxargs = p->aggs[a].nargs;
    w->args = ed_xcalloc((size_t)maxargs, sizeof(ed_value));
    w->kslot = ed_xcalloc((size_t)p->ngroup + 1, sizeof(int));
    w->keys_are_cols = p->ngroup > 0;
    for (int i = 0; i < p->ngroup; i++)
        if ((w->kslot[i] = ed_expr_slot(p->group[i])) < 0) w->keys_are_cols = false;
    return w;
}

/* ---- checkpoints ----
 * Layout (all little-endian, see udf/ckpt_codec.h):
 *   shape:  i64 size_ms, i64 advance_ms, i64 pane_ms, u32 ngroup, u32 naggs,
 *           naggs x (str name, u32 state_size)
 *   u8 emitted_any, i64 last_end, u64 seq, u32 npanes, npanes x pane
 *   pane:   i64 start, u32 ngroups, ngroups x group (in table order)
 *   group:  u64 seq, ngroup x value, naggs x (u32 len, aggregate state)
 * An aggregate state is its serialize() output, or the state_size bytes.
 * Hashes, slots, arenas and the pane hint are rebuilt on restore. */
static void window_snapshot(ed_query *q, ed_sb *out)
{
    const ed_plan *p = q->plan;
    const wstate *w = q->state;
    ed_ck_put_i64(out, p->size_ms);
    ed_ck_put_i64(out, p->advance_ms);
    ed_ck_put_i64(out, p->pane_ms);
    ed_ck_put_u32(out, (uint32_t)p->ngroup);
    ed_ck_put_u32(out, (uint32_t)p->naggs);
    for (int a = 0; a < p->naggs; a++) {
        ed_ck_put_str(out, p->aggs[a].fn->name);
        ed_ck_put_u32(out, (uint32_t)p->aggs[a].fn->state_size);
    }
    ed_ck_put_u8(out, w->emitted_any);
    ed_ck_put_i64(out, w->last_end);
    ed_ck_put_u64(out, w->seq);
    ed_ck_put_u32(out, (uint32_t)w->npanes);
    for (int i = 0; i < w->npanes; i++) {
        const pane *pn = w->panes[i];
        ed_ck_put_i64(out, pn->start);
        ed_ck_put_u32(out, (uint32_t)pn->g.n);
        for (int k = 0; k < pn->g.n; k++) {
            const wentry *e = gt_at(&pn->g, (uint32_t)k);
            ed_ck_put_u64(out, e->seq);
            for (int j = 0; j < p->ngroup; j++) ed_ck_put_value(out, &EKEYS(e)[j]);
            for (int a = 0; a < p->naggs; a++) {
                const ed_agg_fn *fn = p->aggs[a].fn;
                const unsigned char *st = ESTATE(e, p) + p->aggs[a].offset;
                size_t at = ed_ck_begin_len(out);
                if (fn->serialize) fn->serialize(st, out);
                else ed_sb_append(out, (const char *)st, fn->state_size);
                ed_ck_end_len(out, at);
            }
        }
    }
}

/* A key read from a checkpoint must have its expression's type (or be NULL):
 * the post-aggregation expressions read it as that type. */
static bool key_type_ok(const ed_value *v, ed_type want)
{
    if (v->type == ED_NULL || v->type == want) return true;
    return (v->type == ED_BIGINT || v->type == ED_DOUBLE) && (want == ED_BIGINT || want == ED_DOUBLE);
}

#define RFAIL(...)                                                                                                     \
    do {                                                                                                               \
        snprintf(err, errlen, __VA_ARGS__);                                                                            \
        ws_free(p, w);                                                                                                 \
        return -1;                                                                                                     \
    } while (0)

static int window_restore(ed_query *q, const unsigned char **pp, const unsigned char *end, void **new_state, char *err,
                          size_t errlen)
{
    const ed_plan *p = q->plan;
    wstate *w = ws_new(p);
    const unsigned char *c = *pp;
    int64_t size, adv, pms;
    uint32_t ngroup, naggs, npanes;
    if (ed_ck_get_i64(&c, end, &size) || ed_ck_get_i64(&c, end, &adv) || ed_ck_get_i64(&c, end, &pms) ||
        ed_ck_get_u32(&c, end, &ngroup) || ed_ck_get_u32(&c, end, &naggs))
        RFAIL("truncated window state");
    if (size != p->size_ms || adv != p->advance_ms || pms != p->pane_ms || ngroup != (uint32_t)p->ngroup ||
        naggs != (uint32_t)p->naggs)
        RFAIL("window or GROUP BY differs from the checkpoint");
    for (int a = 0; a < p->naggs; a++) {
        const char *name;
        uint32_t n, ssz;
        const ed_agg_fn *fn = p->aggs[a].fn;
        if (ed_ck_get_bytes(&c, end, &name, &n) || ed_ck_get_u32(&c, end, &ssz)) RFAIL("truncated window state");
        if (n != strlen(fn->name) || memcmp(name, fn->name, n) != 0 || ssz != fn->state_size)
            RFAIL("aggregate %d (%s) differs from the checkpoint", a + 1, fn->name);
    }
    uint8_t emitted;
    if (ed_ck_get_u8(&c, end, &emitted) || emitted > 1 || ed_ck_get_i64(&c, end, &w->last_end) ||
        ed_ck_get_u64(&c, end, &w->seq) || ed_ck_get_u32(&c, end, &npanes))
        RFAIL("truncated or corrupt window state");
    w->emitted_any = emitted;
    if (w->last_end < -2 * TS_LIMIT || w->last_end > 2 * TS_LIMIT) RFAIL("corrupt window state (last window end)");
    for (uint32_t i = 0; i < npanes; i++) {
        int64_t start;
        uint32_t ng;
        if (ed_ck_get_i64(&c, end, &start) || ed_ck_get_u32(&c, end, &ng)) RFAIL("truncated pane %u", i + 1);
        /* a pane start is align(t, pane) for some accepted event time t */
        if (start < ed_align(-TS_LIMIT, p->pane_ms) || start > ed_align(TS_LIMIT, p->pane_ms) ||
            start != ed_align(start, p->pane_ms) ||
            (w->npanes > 0 && start <= w->panes[w->npanes - 1]->start))
            RFAIL("pane %u: start %lld is not a pane boundary in order", i + 1, (long long)start);
        pane *pn = get_pane(w, start);
        for (uint32_t k = 0; k < ng; k++) {
            uint64_t seq;
            if (ed_ck_get_u64(&c, end, &seq)) RFAIL("truncated group in pane %u", i + 1);
            uint64_t h = 0x9E3779B97F4A7C15ULL;
            for (int j = 0; j < p->ngroup; j++) {
                if (ed_ck_get_value(&c, end, &w->keybuf[j])) RFAIL("corrupt group key in pane %u", i + 1);
                if (!key_type_ok(&w->keybuf[j], ed_expr_type(p->group[j])))
                    RFAIL("group key %d has type %s, the query's is %s", j + 1, ed_type_name(w->keybuf[j].type),
                          ed_type_name(ed_expr_type(p->group[j])));
                h = ed_value_hash(&w->keybuf[j], h);
            }
            bool ins;
            wentry *e = gt_upsert(&pn->g, p, h, w->keybuf, &pn->arena, seq, &ins);
            if (!ins) RFAIL("duplicate group in pane %u", i + 1);
            for (int a = 0; a < p->naggs; a++) {
                const ed_agg_fn *fn = p->aggs[a].fn;
                unsigned char *st = ESTATE(e, p) + p->aggs[a].offset;
                const char *bytes;
                uint32_t n;
                if (ed_ck_get_bytes(&c, end, &bytes, &n)) RFAIL("truncated aggregate state in pane %u", i + 1);
                const unsigned char *b = (const unsigned char *)bytes, *bend = b + n;
                if (fn->deserialize) {
                    if (fn->deserialize(st, &b, bend) != 0 || b != bend)
                        RFAIL("corrupt %s state in pane %u", fn->name, i + 1);
                } else {
                    if (n != fn->state_size) RFAIL("corrupt %s state in pane %u", fn->name, i + 1);
                    memcpy(st, b, n);
                }
            }
        }
    }
    w->last_pane = 0;
    memset(w->keybuf, 0, sizeof(ed_value) * ((size_t)p->ngroup + 1)); /* keys pointed into the blob */
    *pp = c;
    *new_state = w;
    return 0;
}

static void window_install(ed_query *q, void *new_state)
{
    window_free(q);
    q->state = new_state;
}

static void window_discard(ed_query *q, void *new_state) { ws_free(q->plan, new_state); }

const ed_op_vt ed_op_window_vt = {"WindowAggregate", window_push,    window_wm,      window_size,   window_free,
                                  window_snapshot,   window_restore, window_install, window_discard};

void ed_op_init(ed_query *q)
{
    const ed_plan *p = q->plan;
    q->watermark = ED_TS_MIN;
    if (!p->windowed) {
        q->op = &ed_op_project_vt;
        q->state = NULL;
        return;
    }
    q->op = &ed_op_window_vt;
    q->state = ws_new(p);
}
