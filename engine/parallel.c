/* parallel.c — ed_par: N single-threaded engines fed by N workers (see
 * parallel.h for the contract).
 *
 * Threads: thread w is worker w and the home of shard w. As a worker it
 * claims the next chunk number from a shared counter (one atomic add per
 * chunk), fills it (hash routing without strings: in the worker's one
 * scratch batch, which stays in its cache),
 * splits its rows into per-shard slices (copied values, event times and,
 * from the first row out of order on, the chunk's running maximum event time
 * at each row: before it, that is the row's own time) and publishes it in the
 * chunk table at slot k % TABLE. As a shard it consumes chunks 0, 1, 2, ...
 * from the table, in order. Claiming instead of a fixed round robin lets
 * whichever thread has time make chunks: the one that owns the most engine
 * work (a hot key, or every row of a global aggregate) makes fewer, and a
 * thread the OS has descheduled holds back at most one chunk. A thread with
 * nothing of its own to do helps: it takes another shard's flag (per chunk,
 * try only) and consumes a few chunks for it, so a shard whose thread is
 * descheduled or loaded does not stall the others for long.
 *
 * Every chunk goes to every shard, even with an empty slice, so every shard
 * learns every chunk's maximum event time and gives each row the global
 * watermark. The last shard done with a chunk marks its slot free and hands
 * the chunk back to its producer through a single-producer/single-consumer
 * return ring; TABLE bounds the chunks in flight (memory), POOL the chunks a
 * worker owns.
 *
 * No deadlock: let k be the lowest chunk some shard still needs. Every chunk
 * below k is consumed by all, so their slots are free and their chunks are
 * back with (or on the way to) their producers. If k is claimed, its
 * producer can fill it and its slot (last used by k - TABLE) is free; if not,
 * every claimed chunk is below k, nobody holds a pending chunk, and any
 * worker can claim k with a chunk from its pool.
 *
 * Waiting: a thread with nothing to do spins briefly, then sleeps on a
 * futex (its doorbell) with a 1 ms timeout; a thread that publishes or frees
 * a chunk rings the others' doorbells only if they sleep (one atomic load per
 * chunk otherwise). Sleeping instead of spinning matters on a loaded
 * machine: a spinning waiter steals the core its producer needs.
 */
#include "parallel.h"
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "expr_impl.h" /* read-only: is a GROUP BY key a plain column read? */
#include "internal.h"

#define TABLE 32             /* chunks published and not yet consumed by every shard */
#define POOL (TABLE + 2)     /* chunks one worker may own */
#define RING_CAP 64          /* power of two, >= POOL */

enum { R_LOCAL, R_HASH, R_SINGLE };

struct ed_par {
    int n;
    bool ran;
    ed_engine *e[ED_PAR_MAX_SHARDS];
    char routing[256];
};

/* --- single-producer / single-consumer ring of pointers ------------------- */
typedef struct ring {
    atomic_size_t head;      /* next slot to read (consumer) */
    char pad1[64];
    atomic_size_t tail;      /* next slot to write (producer) */
    char pad2[64];
    void *slot[RING_CAP];
    char pad3[64];
} ring;

static void ring_push(ring *r, void *p)
{
    size_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
    size_t h = atomic_load_explicit(&r->head, memory_order_acquire);
    if (t - h == RING_CAP) abort(); /* cannot happen: a worker owns at most POOL chunks */
    r->slot[t & (RING_CAP - 1)] = p;
    atomic_store_explicit(&r->tail, t + 1, memory_order_release);
}

static void *ring_pop(ring *r)
{
    size_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
    size_t t = atomic_load_explicit(&r->tail, memory_order_acquire);
    if (h == t) return NULL;
    void *p = r->slot[h & (RING_CAP - 1)];
    atomic_store_explicit(&r->head, h + 1, memory_order_release);
    return p;
}

/* --- chunks ----------------------------------------------------------------- */
typedef struct slice {
    int n, cap;
    int stride;              /* values per row in rv */
    const ed_value *rv;      /* the rows: vals (copies) or the batch's own array */
    ed_value *vals;
    int64_t *t, *rmax;
    bool sorted;             /* every row's time is the chunk's running maximum at
                              * it (in-order input): rmax is not written, t is it */
} slice;

typedef struct pchunk {
    int64_t maxt;            /* highest event time in the chunk, ED_TS_MIN if none */
    bool end;                /* end of the sequence (no rows) */
    int producer;
    atomic_int refs;         /* shards still to consume it */
    ed_batch b;
    slice *dst;              /* one per shard */
} pchunk;

typedef struct route {
    int mode;
    int nkeys;
    int *keys;               /* column indexes hashed (R_HASH) */
    int nused;
    int *used;               /* columns some query reads; only these are copied */
    int width;               /* copied rows hold columns 0..width-1 (the last used one) */
    bool scratch;            /* hash routing copies no string: chunks are filled in
                              * the worker's one scratch batch, which stays in its
                              * cache, instead of in the chunk's own */
} route;

typedef struct run run;

/* A shard: its engine and where it is in the chunk sequence. Whoever holds
 * busy (its home thread, or an idle thread helping) consumes for it. */
typedef struct shard {
    atomic_int busy;
    atomic_llong next_proc;  /* next chunk to consume (read by others as a hint) */
    atomic_bool proc_done;   /* consumed the end of the sequence */
    int id;
    ed_engine *e;
    ed_stream_def *s;
    int64_t prefix;          /* highest event time of every chunk consumed */
    int64_t *wbuf;
    int wcap;
    char pad[64];
} shard;

typedef struct worker {
    run *R;
    int id;
    atomic_uint doorbell;    /* bumped to wake the thread */
    atomic_int sleeping;
    pthread_t th;
    ed_stream_def *s;        /* its home shard's stream (schema, time column) */
    void *fctx;
    /* producer */
    bool gen_done;
    pchunk *pending;         /* filled, waiting for its slot to be free */
    int64_t pending_idx;
    pchunk *all[POOL];
    int nall;
    pchunk *freel[POOL];
    int nfree;
    uint64_t null_time;
    ed_batch scratch;        /* rows of the chunk being made (route.scratch) */
    char pad[64];
} worker;

/* chunk k lives in slot k % TABLE */
typedef struct tslot {
    atomic_llong idx;        /* chunk published here, -1 none yet */
    atomic_llong done;       /* last chunk here that every shard consumed, -1 none */
    pchunk *c;
    char pad[40];
} tslot;

struct run {
    int n;
    route rt;
    ed_par_fill_fn fill;
    atomic_llong next_claim; /* next chunk number to fill */
    tslot *table;
    ring *ret;               /* ret[x * n + p]: chunks shard x hands back to p */
    worker *w;
    shard *sh;
};

static pchunk *chunk_new(int n, int ncols, int producer)
{
    pchunk *c = ed_xcalloc(1, sizeof *c);
    c->producer = producer;
    ed_batch_init(&c->b, ncols);
    c->dst = ed_xcalloc((size_t)n, sizeof(slice));
    return c;
}

static void chunk_free(pchunk *c, int n)
{
    for (int x = 0; x < n; x++) {
        free(c->dst[x].vals);
        free(c->dst[x].t);
        free(c->dst[x].rmax);
    }
    free(c->dst);
    ed_batch_free(&c->b);
    free(c);
}

static void slice_reserve(slice *sl, int rows, int ncols)
{
    if (rows <= sl->cap) return;
    size_t old = (size_t)sl->cap * (size_t)ncols, need = (size_t)rows * (size_t)ncols;
    sl->cap = rows;
    sl->vals = ed_xrealloc(sl->vals, sizeof(ed_value) * (need ? need : 1));
    memset(sl->vals + old, 0, sizeof(ed_value) * (need - old)); /* columns never copied stay NULL */
    sl->t = ed_xrealloc(sl->t, sizeof(int64_t) * (size_t)rows);
    sl->rmax = ed_xrealloc(sl->rmax, sizeof(int64_t) * (size_t)rows);
}

/* --- routing ------------------------------------------------------------------ */
static void mark_used(const ed_expr *x, bool *used, int ncols)
{
    if (!x) return;
    for (int i = 0; i < x->nsteps; i++)
        if (x->steps[i].op == X_SLOT && x->steps[i].a >= 0 && x->steps[i].a < ncols) used[x->steps[i].a] = true;
}

static void plan_route(ed_engine *e, ed_stream_def *s, route *rt)
{
    int ncols = s->schema.ncols;
    bool *keep = ed_xcalloc((size_t)ncols + 1, sizeof(bool)), *mine = ed_xcalloc((size_t)ncols + 1, sizeof(bool));
    bool any_window = false;
    bool *used = ed_xcalloc((size_t)ncols + 1, sizeof(bool));
    for (int c = 0; c < ncols; c++) keep[c] = true;
    for (int i = 0; i < e->nqueries; i++) {
        const ed_plan *p = e->queries[i]->plan;
        if (p->stream != s) continue;
        /* the input row is read by WHERE, GROUP BY keys, aggregate arguments
         * and (per-event queries) the SELECT list */
        mark_used(p->where, used, ncols);
        for (int g = 0; g < p->ngroup; g++) mark_used(p->group[g], used, ncols);
        for (int a = 0; a < p->naggs; a++)
            for (int k = 0; k < p->aggs[a].nargs; k++) mark_used(p->aggs[a].args[k], used, ncols);
        if (!p->windowed)
            for (int o = 0; o < p->nout; o++) mark_used(p->out[o], used, ncols);
        if (!p->windowed) continue;
        any_window = true;
        memset(mine, 0, sizeof(bool) * (size_t)ncols);
        for (int g = 0; g < p->ngroup; g++) {
            const ed_expr *x = p->group[g];
            if (x->nsteps != 1 || x->steps[0].op != X_SLOT) continue;
            int a = x->steps[0].a;
            /* a plain read of column a, not widened: equal keys => equal column */
            if (a >= 0 && a < ncols && x->steps[0].type == s->schema.cols[a].type) mine[a] = true;
        }
        for (int c = 0; c < ncols; c++) keep[c] = keep[c] && mine[c];
    }
    rt->nkeys = 0;
    rt->keys = ed_xcalloc((size_t)ncols + 1, sizeof(int));
    if (!any_window) rt->mode = R_LOCAL;
    else {
        for (int c = 0; c < ncols; c++)
            if (keep[c]) rt->keys[rt->nkeys++] = c;
        rt->mode = rt->nkeys ? R_HASH : R_SINGLE;
    }
    rt->nused = 0;
    rt->used = ed_xcalloc((size_t)ncols + 1, sizeof(int));
    for (int c = 0; c < ncols; c++)
        if (used[c]) rt->used[rt->nused++] = c;
    /* operators read row[slot] for the slots above only, with the row stride
     * they are given: copies can stop after the last used column (q5: one
     * value per row instead of seven) */
    rt->width = rt->nused ? rt->used[rt->nused - 1] + 1 : 1;
    rt->scratch = rt->mode == R_HASH;
    for (int c = 0; c < rt->width && c < ncols; c++)
        if (s->schema.cols[c].type == ED_VARCHAR) rt->scratch = false; /* copies point into the batch's arena */
    free(keep);
    free(mine);
    free(used);
}

/* Any function of the key values works (equal keys, equal shard); integers
 * take a short path. Multiply-shift instead of a division. */
static inline int shard_of(const int *keys, int nkeys, const ed_value *row, int n)
{
    uint64_t h = 0x5851F42D4C957F2DULL;
    for (int k = 0; k < nkeys; k++) {
        const ed_value *v = &row[keys[k]];
        if (v->type == ED_BIGINT || v->type == ED_TIMESTAMP) h = ed_mix64(h ^ (uint64_t)v->u.i);
        else h = ed_value_hash(v, h);
    }
    return (int)(((h >> 32) * (uint64_t)n) >> 32);
}

/* All rows to one shard (local, single): no copy unless rows are dropped. */
static void route_one(worker *w, pchunk *c, int target, int n)
{
    const ed_stream_def *s = w->s;
    const int ncols = s->schema.ncols, ts = s->ts_col, rows = c->b.nrows;
    const size_t rowsz = sizeof(ed_value) * (size_t)ncols;
    for (int x = 0; x < n; x++) c->dst[x].n = 0;
    slice *sl = &c->dst[target];
    slice_reserve(sl, rows, ncols);
    bool copy = false, sorted = true;
    int64_t m = ED_TS_MIN;
    for (int r = 0; r < rows; r++) {
        const ed_value *row = c->b.vals + (size_t)r * (size_t)ncols;
        int64_t t;
        if (ts >= 0) {
            if (row[ts].type == ED_NULL) {
                w->null_time++;
                if (!copy) memcpy(sl->vals, c->b.vals, rowsz * (size_t)sl->n); /* rows 0..r-1, all kept */
                copy = true;
                continue;
            }
            t = row[ts].u.i;
        } else {
            t = c->b.arrival[r];
        }
        if (t < m && sorted) { /* out of order: from here on rmax is written */
            memcpy(sl->rmax, sl->t, sizeof(int64_t) * (size_t)sl->n);
            sorted = false;
        }
        if (t > m) m = t;
        if (copy) memcpy(sl->vals + (size_t)sl->n * (size_t)ncols, row, rowsz);
        sl->t[sl->n] = t;
        if (!sorted) sl->rmax[sl->n] = m;
        sl->n++;
    }
    for (int x = 0; x < n; x++) {
        c->dst[x].rv = copy ? c->dst[x].vals : c->b.vals;
        c->dst[x].stride = ncols;
        c->dst[x].sorted = sorted;
    }
    c->maxt = m;
}

/* Rows by key hash: each row's used columns copied to its shard's slice. */
static void route_hash(const route *rt, worker *w, pchunk *c, const ed_batch *b, int n)
{
    const ed_stream_def *s = w->s;
    const int ncols = s->schema.ncols, ts = s->ts_col, rows = b->nrows;
    const int nkeys = rt->nkeys, nused = rt->nused, width = rt->width;
    const int *keys = rt->keys, *used = rt->used;
    const bool few = nused * 2 < width;
    const size_t rowsz = sizeof(ed_value) * (size_t)width;
    ed_value *dv[ED_PAR_MAX_SHARDS];
    int64_t *dt[ED_PAR_MAX_SHARDS], *dm[ED_PAR_MAX_SHARDS];
    int dn[ED_PAR_MAX_SHARDS];
    for (int x = 0; x < n; x++) {
        slice_reserve(&c->dst[x], rows, width);
        dv[x] = c->dst[x].vals;
        dt[x] = c->dst[x].t;
        dm[x] = c->dst[x].rmax;
        dn[x] = 0;
    }
    const ed_value *row = b->vals;
    uint64_t nulls = 0;
    int64_t m = ED_TS_MIN;
    int r = 0;
    bool sorted = true;
    if (n == 2 && nkeys == 1 && !few && width <= 4 && ts >= 0) {
        /* two shards, one key, rows in order (q5's shape): the loop below
         * with the write cursors in registers and no branch on the shard a
         * row goes to (route: 102 -> 65 Mcycles per thread on q5); it stops
         * at the first row out of order, where the loop below goes on */
        const int key = keys[0];
        ed_value *v0 = dv[0], *v1 = dv[1];
        int64_t *t0 = dt[0], *t1 = dt[1];
        const size_t wd = (size_t)width;
        for (; r < rows; r++, row += ncols) {
            if (row[ts].type == ED_NULL) {
                nulls++;
                continue;
            }
            const int64_t t = row[ts].u.i;
            if (t < m) break;
            m = t;
            /* shard 1 iff the top bit of the hash (shard_of for n = 2);
             * selected with a mask: a branch would miss on half the rows */
            const uintptr_t one = (uintptr_t)shard_of(&key, 1, row, 2), mask = 0 - one;
            ed_value *to = (ed_value *)(((uintptr_t)v1 & mask) | ((uintptr_t)v0 & ~mask));
            int64_t *tp = (int64_t *)(((uintptr_t)t1 & mask) | ((uintptr_t)t0 & ~mask));
            if (wd == 1) to[0] = row[0];
            else
                for (size_t k = 0; k < wd; k++) to[k] = row[k];
            *tp = t;
            v0 += wd & ~mask;
            v1 += wd & mask;
            t0 += 1 - one;
            t1 += one;
        }
        dn[0] = (int)(t0 - dt[0]);
        dn[1] = (int)(t1 - dt[1]);
    }
    /* the rest (and every row if the loop above does not apply); rmax from
     * the first row out of order on */
    for (; r < rows; r++, row += ncols) {
        int64_t t;
        if (ts >= 0) {
            if (row[ts].type == ED_NULL) {
                nulls++;
                continue;
            }
            t = row[ts].u.i;
        } else {
            t = b->arrival[r];
        }
        if (t < m && sorted) {
            for (int x = 0; x < n; x++) memcpy(dm[x], dt[x], sizeof(int64_t) * (size_t)dn[x]);
            sorted = false;
        }
        if (t > m) m = t;
        int d = shard_of(keys, nkeys, row, n);
        int i = dn[d]++;
        ed_value *to = dv[d] + (size_t)i * (size_t)width;
        if (few)
            for (int k = 0; k < nused; k++) to[used[k]] = row[used[k]];
        else if (width <= 4) /* inline: a libc memcpy call per row cost ~8 % of q5 */
            for (int k = 0; k < width; k++) to[k] = row[k];
        else memcpy(to, row, rowsz);
        dt[d][i] = t;
        if (!sorted) dm[d][i] = m;
    }
    for (int x = 0; x < n; x++) {
        c->dst[x].n = dn[x];
        c->dst[x].rv = dv[x];
        c->dst[x].stride = width;
        c->dst[x].sorted = sorted;
    }
    w->null_time += nulls;
    c->maxt = m;
}

/* Split the chunk's rows into per-shard slices. */
static void route_chunk(run *R, worker *w, pchunk *c, const ed_batch *b)
{
    if (R->rt.mode == R_HASH && R->n > 1) route_hash(&R->rt, w, c, b, R->n);
    else route_one(w, c, R->rt.mode == R_SINGLE ? 0 : w->id, R->n);
}

/* --- waiting ------------------------------------------------------------------------ */
static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/* after publishing or freeing a chunk: wake x if it sleeps */
static void wake(worker *x)
{
    atomic_thread_fence(memory_order_seq_cst); /* the store before the sleeping check */
    if (atomic_load_explicit(&x->sleeping, memory_order_relaxed) && atomic_exchange(&x->sleeping, 0)) {
        /* the first waker of this sleep rings; the sleeper re-checks everything */
        atomic_fetch_add(&x->doorbell, 1);
        syscall(SYS_futex, &x->doorbell, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    }
}

static void wake_others(run *R, worker *w)
{
    for (int x = 0; x < R->n; x++)
        if (x != w->id) wake(&R->w[x]);
}

static bool ring_empty(ring *r)
{
    return atomic_load_explicit(&r->head, memory_order_relaxed) == atomic_load_explicit(&r->tail, memory_order_acquire);
}

static bool slot_free(run *R, int64_t k)
{
    return k < TABLE || atomic_load_explicit(&R->table[k % TABLE].done, memory_order_acquire) >= k - TABLE;
}

/* has shard sh a chunk to consume (a hint: read without holding it)? */
static bool shard_ready(run *R, shard *sh)
{
    if (atomic_load_explicit(&sh->proc_done, memory_order_relaxed)) return false;
    int64_t k = atomic_load_explicit(&sh->next_proc, memory_order_relaxed);
    return atomic_load_explicit(&R->table[k % TABLE].idx, memory_order_acquire) == k;
}

/* can this worker make progress now? */
static bool has_input(run *R, worker *w)
{
    for (int x = 0; x < R->n; x++) /* its own shard, or one to help */
        if (shard_ready(R, &R->sh[x]) && !atomic_load_explicit(&R->sh[x].busy, memory_order_relaxed)) return true;
    if (w->pending) return slot_free(R, w->pending_idx);
    if (!w->gen_done) {
        if (w->nfree || w->nall < POOL) return true;
        for (int x = 0; x < R->n; x++)
            if (!ring_empty(&R->ret[x * R->n + w->id])) return true;
    }
    return false;
}

static void sleep_until_input(run *R, worker *w)
{
    unsigned v = atomic_load(&w->doorbell);
    atomic_store(&w->sleeping, 1);
    atomic_thread_fence(memory_order_seq_cst); /* the flag before re-checking */
    if (!has_input(R, w)) {
        struct timespec ts = {0, 1000000};
        syscall(SYS_futex, &w->doorbell, FUTEX_WAIT_PRIVATE, v, &ts, NULL, 0);
    }
    atomic_store(&w->sleeping, 0);
}

/* --- the worker loop ------------------------------------------------------------- */
static bool publish(run *R, worker *w)
{
    if (!slot_free(R, w->pending_idx)) return false;
    tslot *t = &R->table[w->pending_idx % TABLE];
    t->c = w->pending;
    atomic_store_explicit(&t->idx, w->pending_idx, memory_order_release);
    w->pending = NULL;
    wake_others(R, w);
    return true;
}

static bool produce(run *R, worker *w)
{
    if (w->pending) return publish(R, w);
    if (w->gen_done) return false;
    for (int x = 0; x < R->n; x++) {
        pchunk *c;
        while ((c = ring_pop(&R->ret[x * R->n + w->id]))) w->freel[w->nfree++] = c;
    }
    pchunk *c;
    if (w->nfree) c = w->freel[--w->nfree];
    else if (w->nall < POOL) c = w->all[w->nall++] = chunk_new(R->n, w->s->schema.ncols, w->id);
    else return false;
    int64_t k = atomic_fetch_add_explicit(&R->next_claim, 1, memory_order_relaxed);
    ed_batch *b = R->rt.scratch && R->n > 1 ? &w->scratch : &c->b;
    ed_batch_clear(b);
    if (R->fill(w->fctx, w->id, k, b) <= 0) {
        c->end = true; /* never handed back: freed with the pool */
        w->gen_done = true;
    } else {
        route_chunk(R, w, c, b);
        c->end = false;
        atomic_store_explicit(&c->refs, R->n, memory_order_relaxed);
    }
    w->pending = c;
    w->pending_idx = k;
    publish(R, w);
    return true;
}

static int64_t wm_of(const ed_stream_def *s, int64_t maxt)
{
    if (maxt == ED_TS_MIN) return ED_TS_MIN;
    if (s->wm_delay_ms > 0) return maxt < ED_TS_MIN + s->wm_delay_ms ? ED_TS_MIN : maxt - s->wm_delay_ms;
    return maxt;
}

/* consume the next chunk for shard sh (held by the caller, thread w) */
static bool consume(run *R, worker *w, shard *sh)
{
    if (atomic_load_explicit(&sh->proc_done, memory_order_relaxed)) return false;
    const int64_t k = atomic_load_explicit(&sh->next_proc, memory_order_relaxed);
    tslot *t = &R->table[k % TABLE];
    if (atomic_load_explicit(&t->idx, memory_order_acquire) != k) return false;
    pchunk *c = t->c;
    if (c->end) {
        atomic_store_explicit(&sh->proc_done, true, memory_order_relaxed);
        return true;
    }
    ed_stream_def *s = sh->s;
    const slice *sl = &c->dst[sh->id];
    if (sl->n > 0) {
        if (sl->n > sh->wcap) {
            sh->wcap = sl->n;
            sh->wbuf = ed_xrealloc(sh->wbuf, sizeof(int64_t) * (size_t)sl->n);
        }
        const int64_t *rmax = sl->sorted ? sl->t : sl->rmax;
        for (int i = 0; i < sl->n; i++) sh->wbuf[i] = wm_of(s, rmax[i] > sh->prefix ? rmax[i] : sh->prefix);
        ed_engine_push_timed(sh->e, s, sl->rv, sl->stride, sl->n, sl->t, sh->wbuf);
    }
    if (c->maxt > sh->prefix) sh->prefix = c->maxt;
    /* the watermark after the chunk's last row, wherever that row went */
    int64_t wm = wm_of(s, sh->prefix);
    if (wm > s->watermark) ed_engine_advance(sh->e, s, wm);
    if (atomic_fetch_sub_explicit(&c->refs, 1, memory_order_acq_rel) == 1) {
        atomic_store_explicit(&t->done, k, memory_order_release);
        ring_push(&R->ret[sh->id * R->n + c->producer], c); /* one pusher at a time: the holder of sh */
        wake_others(R, w);
    }
    atomic_store_explicit(&sh->next_proc, k + 1, memory_order_relaxed);
    return true;
}

static bool shard_trylock(shard *sh)
{
    return !atomic_load_explicit(&sh->busy, memory_order_relaxed) &&
           !atomic_exchange_explicit(&sh->busy, 1, memory_order_acquire);
}

static void shard_unlock(shard *sh) { atomic_store_explicit(&sh->busy, 0, memory_order_release); }

/* consume up to max chunks for sh if nobody else is */
static bool run_shard(run *R, worker *w, shard *sh, int max)
{
    if (!shard_ready(R, sh) || !shard_trylock(sh)) return false;
    bool any = false;
    for (int i = 0; i < max && consume(R, w, sh); i++) any = true;
    shard_unlock(sh);
    return any;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    run *R = w->R;
    int idle = 0;
    shard *own = &R->sh[w->id];
    while (!atomic_load_explicit(&own->proc_done, memory_order_relaxed) || !w->gen_done || w->pending) {
        bool progress = run_shard(R, w, own, INT32_MAX);
        if (produce(R, w)) progress = true;
        /* nothing of its own to do: help a shard whose thread is behind
         * (descheduled, or with more rows); a few chunks at a time */
        for (int x = 0; x < R->n && !progress; x++)
            if (x != w->id && run_shard(R, w, &R->sh[x], 4)) progress = true;
        if (progress) idle = 0;
        else if (++idle < 200) cpu_relax();
        else {
            sleep_until_input(R, w);
            idle = 0;
        }
    }
    /* the end reached this shard (maybe through a helper): finish it here */
    while (!shard_trylock(own)) cpu_relax();
    ed_engine_finish(own->e);
    shard_unlock(own);
    return NULL;
}

/* --- public API ------------------------------------------------------------------- */
ed_par *ed_par_new(int nshards, const ed_host_ops *ops, void *const *host_ctx, const char *sql, size_t len,
                   char *err, size_t errlen)
{
    if (nshards < 1 || nshards > ED_PAR_MAX_SHARDS) {
        snprintf(err, errlen, "shards must be 1..%d", ED_PAR_MAX_SHARDS);
        return NULL;
    }
    ed_par *p = ed_xcalloc(1, sizeof *p);
    p->n = nshards;
    for (int i = 0; i < nshards; i++) {
        p->e[i] = ed_engine_new(ops, host_ctx[i]);
        json_t *res = ed_engine_exec(p->e[i], sql, len);
        size_t k;
        json_t *v;
        bool ok = true;
        json_array_foreach(res, k, v)
        {
            if (ok && !json_is_true(json_object_get(v, "ok"))) {
                const char *m = json_string_value(json_object_get(v, "error"));
                snprintf(err, errlen, "%s", m ? m : "statement failed");
                ok = false;
            }
        }
        json_decref(res);
        if (!ok) {
            ed_par_free(p);
            return NULL;
        }
    }
    return p;
}

void ed_par_free(ed_par *p)
{
    if (!p) return;
    for (int i = 0; i < p->n; i++) ed_engine_free(p->e[i]);
    free(p);
}

int ed_par_shards(const ed_par *p) { return p->n; }

ed_engine *ed_par_engine(ed_par *p, int shard) { return shard >= 0 && shard < p->n ? p->e[shard] : NULL; }

const char *ed_par_routing(ed_par *p, const char *stream)
{
    ed_stream_def *s = ed_engine_stream(p->e[0], stream);
    if (!s) return NULL;
    route rt;
    plan_route(p->e[0], s, &rt);
    if (rt.mode == R_HASH) {
        size_t o = (size_t)snprintf(p->routing, sizeof p->routing, "hash(");
        for (int k = 0; k < rt.nkeys && o < sizeof p->routing; k++)
            o += (size_t)snprintf(p->routing + o, sizeof p->routing - o, "%s%s", k ? ", " : "",
                                  s->schema.cols[rt.keys[k]].name);
        if (o < sizeof p->routing) snprintf(p->routing + o, sizeof p->routing - o, ")");
    } else {
        snprintf(p->routing, sizeof p->routing, "%s", rt.mode == R_LOCAL ? "local" : "single");
    }
    free(rt.keys);
    free(rt.used);
    return p->routing;
}

int ed_par_run(ed_par *p, const char *stream, ed_par_fill_fn fill, void *const *fill_ctx)
{
    const int n = p->n;
    ed_stream_def *ss[ED_PAR_MAX_SHARDS] = {0};
    if (p->ran) return -1;
    for (int i = 0; i < n; i++)
        if (!(ss[i] = ed_engine_stream(p->e[i], stream))) return -1;
    p->ran = true;
    run R = {.n = n, .fill = fill};
    plan_route(p->e[0], ss[0], &R.rt);
    R.table = ed_xcalloc(TABLE, sizeof(tslot));
    for (int i = 0; i < TABLE; i++) {
        atomic_init(&R.table[i].idx, -1);
        atomic_init(&R.table[i].done, -1);
    }
    atomic_init(&R.next_claim, 0);
    R.ret = ed_xcalloc((size_t)(n * n), sizeof(ring));
    R.w = ed_xcalloc((size_t)n, sizeof(worker));
    R.sh = ed_xcalloc((size_t)n, sizeof(shard));
    for (int i = 0; i < n; i++) {
        worker *w = &R.w[i];
        w->R = &R;
        w->id = i;
        w->s = ss[i];
        w->fctx = fill_ctx[i];
        ed_batch_init(&w->scratch, ss[i]->schema.ncols);
        shard *sh = &R.sh[i];
        sh->id = i;
        sh->e = p->e[i];
        sh->s = ss[i];
        sh->prefix = ED_TS_MIN;
        atomic_init(&sh->busy, 0);
        atomic_init(&sh->next_proc, 0);
        atomic_init(&sh->proc_done, false);
    }
    for (int i = 1; i < n; i++)
        if (pthread_create(&R.w[i].th, NULL, worker_main, &R.w[i]) != 0) abort();
    worker_main(&R.w[0]);
    for (int i = 1; i < n; i++) pthread_join(R.w[i].th, NULL);
    for (int i = 0; i < n; i++) {
        worker *w = &R.w[i];
        w->s->null_time_events += w->null_time;
        for (int k = 0; k < w->nall; k++) chunk_free(w->all[k], n);
        ed_batch_free(&w->scratch);
        free(R.sh[i].wbuf);
    }
    free(R.w);
    free(R.table);
    free(R.sh);
    free(R.ret);
    free(R.rt.keys);
    free(R.rt.used);
    return 0;
}
