/* sink_ws.c — the websocket sink: RFC 6455 server at GET /ws/NAME on the
 * engine's HTTP port. Each row is encoded once into a refcounted frame that
 * every client's output buffer references (no per-client copy). A client
 * whose pending output exceeds max_queue_bytes is dropped with 1008 so it
 * never slows the query or the other clients; past max_clients a new client
 * is refused (503) before the upgrade. New clients first receive the
 * rows of the most recent emit group (the latest window firing). While the
 * sink has no client it asks the engine for raw rows (no JSON) and keeps the
 * latest group's values instead; they are rendered when a client arrives,
 * so an unwatched dashboard sink costs a copy per row, not a rendering. */
#include "conn_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include "sha1.h"
#include "ws_frame.h"

const ed_opt_spec ed_ws_opts[] = {
    {"max_queue_bytes", EDO_INT, "1048576", false, "pending output per client before it is dropped (1008)"},
    {"max_clients", EDO_INT, "1000", false, "clients served at once (1..1000000); one more is refused with 503"},
    {NULL, 0, NULL, false, NULL},
};

#define MAX_MESSAGE (64 * 1024)
#define CLOSE_GRACE_MS 10000

typedef struct blob {
    int refs;
    size_t len;
    uint8_t data[];
} blob;

/* A row of the latest emit group kept unrendered (no client was connected
 * when it was written): its values, copied into the sink's arena. */
typedef struct lazy_row {
    int n;
    const char *const *names; /* in names_arena */
    ed_value *vals;           /* in lazy_arena */
} lazy_row;

struct ws_sink {
    ed_conn *c;
    ed_sink_def *def;
    size_t max_queue;
    uint64_t max_clients;
    blob **snap;          /* frames of the latest emit group, then ... */
    int nsnap, capsnap;
    lazy_row *lazy;       /* ... its rows written while no client was connected */
    int nlazy, caplazy;
    ed_arena lazy_arena;  /* values and strings of lazy rows; reset per group */
    ed_arena names_arena; /* copies of output-name arrays, reused across groups */
    const char *const *names_src, *const *names_copy; /* last array copied */
    int names_n, names_copies;
    uint64_t snap_group;
    bool have_group;
    ws_sink *next;
};

struct ws_client {
    ed_conn *c;
    ws_sink *sink;        /* NULL once closing */
    struct bufferevent *bev;
    struct event *timer;  /* deferred free / close grace */
    bool closing, shut;
    int msg_op;           /* opcode of the fragmented message in progress, 0 if none */
    size_t msg_len;
    ed_sb msg;
    ws_client *prev, *next;
};

static void blob_unref(blob *b)
{
    if (--b->refs == 0) free(b);
}

static void blob_cleanup(const void *data, size_t len, void *extra)
{
    (void)data, (void)len;
    blob_unref(extra);
}

static blob *frame_blob(uint8_t op, const void *payload, size_t n)
{
    blob *b = ed_xmalloc(sizeof *b + 10 + n);
    size_t h = ed_ws_frame_header(b->data, op, n);
    if (n) memcpy(b->data + h, payload, n);
    b->len = h + n;
    b->refs = 1;
    return b;
}

static void snap_clear(ws_sink *w)
{
    for (int i = 0; i < w->nsnap; i++) blob_unref(w->snap[i]);
    w->nsnap = 0;
    w->nlazy = 0;
    ed_arena_reset(&w->lazy_arena);
    if (w->names_copies > 16) { /* no lazy row refers to them any more */
        ed_arena_reset(&w->names_arena);
        w->names_src = w->names_copy = NULL;
        w->names_copies = 0;
    }
}

static void snap_add(ws_sink *w, blob *b)
{
    if (w->nsnap == w->capsnap) {
        w->capsnap = w->capsnap ? w->capsnap * 2 : 16;
        w->snap = ed_xrealloc(w->snap, sizeof(blob *) * (size_t)w->capsnap);
    }
    b->refs++;
    w->snap[w->nsnap++] = b;
}

/* The output names of a lazy row: the copy made for an earlier row when the
 * array is the same (same address and the same names: a dropped query's
 * array may be freed and its address reused), else a new copy. */
static const char *const *lazy_names(ws_sink *w, const ed_row *row)
{
    bool same = w->names_copy && row->names == w->names_src && row->n == w->names_n;
    for (int i = 0; same && i < row->n; i++) same = !strcmp(row->names[i], w->names_copy[i]);
    if (same) return w->names_copy;
    char **nm = ed_arena_alloc(&w->names_arena, sizeof(char *) * (size_t)(row->n ? row->n : 1));
    for (int i = 0; i < row->n; i++) nm[i] = ed_arena_strdup(&w->names_arena, row->names[i]);
    w->names_src = row->names;
    w->names_copy = (const char *const *)nm;
    w->names_n = row->n;
    w->names_copies++;
    return w->names_copy;
}

static void lazy_keep(ws_sink *w, const ed_row *row)
{
    if (w->nlazy == w->caplazy) {
        w->caplazy = w->caplazy ? w->caplazy * 2 : 16;
        w->lazy = ed_xrealloc(w->lazy, sizeof(lazy_row) * (size_t)w->caplazy);
    }
    lazy_row *l = &w->lazy[w->nlazy++];
    l->n = row->n;
    l->names = lazy_names(w, row);
    l->vals = ed_arena_alloc(&w->lazy_arena, sizeof(ed_value) * (size_t)(row->n ? row->n : 1));
    memcpy(l->vals, row->vals, sizeof(ed_value) * (size_t)row->n);
    for (int i = 0; i < row->n; i++)
        if (l->vals[i].type == ED_VARCHAR && l->vals[i].len)
            l->vals[i].u.s = ed_arena_strndup(&w->lazy_arena, row->vals[i].u.s, l->vals[i].len);
}

/* A client arrives: render the rows kept unrendered, in order, after the
 * frames already in the snapshot, and ask the engine for JSON again. */
static void lazy_render(ws_sink *w)
{
    w->def->raw_rows = false;
    if (!w->nlazy) return;
    ed_sb sb = {0};
    for (int i = 0; i < w->nlazy; i++) {
        ed_sb_clear(&sb);
        ed_row_json(&sb, w->lazy[i].n, w->lazy[i].names, w->lazy[i].vals);
        blob *b = frame_blob(ED_WS_TEXT, sb.buf, sb.len);
        snap_add(w, b);
        blob_unref(b);
    }
    ed_sb_free(&sb);
    w->nlazy = 0;
    ed_arena_reset(&w->lazy_arena);
}

static void sink_free(ws_sink *w)
{
    snap_clear(w);
    free(w->snap);
    free(w->lazy);
    ed_arena_free(&w->lazy_arena);
    ed_arena_free(&w->names_arena);
    free(w);
}

/* ---- client lifecycle ---------------------------------------------- */

static void client_free(ws_client *cl)
{
    ed_conn *c = cl->c;
    if (cl->prev) cl->prev->next = cl->next;
    else c->clients = cl->next;
    if (cl->next) cl->next->prev = cl->prev;
    event_free(cl->timer);
    bufferevent_free(cl->bev);
    ed_sb_free(&cl->msg);
    free(cl);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    client_free(arg);
}

static void schedule_free(ws_client *cl, int ms)
{
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    evtimer_add(cl->timer, &tv);
}

static void detach(ws_client *cl)
{
    ws_sink *w = cl->sink;
    if (w && w->def->clients && --w->def->clients == 0) w->def->raw_rows = true;
    cl->sink = NULL;
}

/* Start the closing handshake: queue a close frame, stop sending rows, and
 * free the connection once the frame is flushed and the peer closed, or
 * after a grace period. Never frees synchronously (we may be inside one of
 * the client's own callbacks, or iterating over clients). */
static void start_close(ws_client *cl, int code, bool include_code)
{
    if (cl->closing) return;
    detach(cl);
    cl->closing = true;
    uint8_t pl[2] = {(uint8_t)(code >> 8), (uint8_t)code};
    blob *b = frame_blob(ED_WS_CLOSE, pl, include_code ? 2 : 0);
    bufferevent_write(cl->bev, b->data, b->len);
    blob_unref(b);
    schedule_free(cl, CLOSE_GRACE_MS);
}

/* Write what the kernel accepts now, without waiting for the loop. A socket
 * bufferevent keeps the start of its output buffer frozen outside its own
 * write callback, so unfreeze around the non-blocking write. */
static void flush_now(ws_client *cl)
{
    struct evbuffer *out = bufferevent_get_output(cl->bev);
    evbuffer_unfreeze(out, 1);
    while (evbuffer_get_length(out) && evbuffer_write(out, bufferevent_getfd(cl->bev)) > 0) {}
    evbuffer_freeze(out, 1);
}

static bool send_blob(ws_client *cl, blob *b)
{
    struct evbuffer *out = bufferevent_get_output(cl->bev);
    ws_sink *w = cl->sink;
    if (w && evbuffer_get_length(out) + b->len > w->max_queue) {
        /* A whole batch is written before the loop runs again, so first
         * hand what we can to the kernel (non-blocking): only a client whose
         * socket is really full stays over the limit and is dropped. */
        flush_now(cl);
    }
    if (w && evbuffer_get_length(out) + b->len > w->max_queue) {
        w->def->dropped_clients++;
        start_close(cl, 1008, true);
        return false;
    }
    b->refs++;
    if (evbuffer_add_reference(out, b->data, b->len, blob_cleanup, b) != 0) {
        b->refs--;
        return false;
    }
    return true;
}

static bool valid_close_code(unsigned code)
{
    if (code >= 3000 && code <= 4999) return true;
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011);
}

static void handle_frame(ws_client *cl, const ed_ws_frame *f, uint8_t *pl)
{
    size_t n = (size_t)f->len;
    switch (f->opcode) {
    case ED_WS_PING: {
        blob *b = frame_blob(ED_WS_PONG, pl, n);
        bufferevent_write(cl->bev, b->data, b->len); /* control replies bypass the row queue limit */
        blob_unref(b);
        return;
    }
    case ED_WS_PONG: return;
    case ED_WS_CLOSE: {
        if (n == 1) { start_close(cl, 1002, true); return; }
        if (n >= 2) {
            unsigned code = (unsigned)pl[0] << 8 | pl[1];
            if (!valid_close_code(code)) { start_close(cl, 1002, true); return; }
            if (!ed_ws_utf8_valid(pl + 2, n - 2)) { start_close(cl, 1007, true); return; }
            start_close(cl, (int)code, true); /* echo the peer's code */
        } else {
            start_close(cl, 1000, false);
        }
        return;
    }
    case ED_WS_TEXT:
    case ED_WS_BINARY:
        if (cl->msg_op) { start_close(cl, 1002, true); return; }
        if (f->fin) {
            if (f->opcode == ED_WS_TEXT && !ed_ws_utf8_valid(pl, n)) start_close(cl, 1007, true);
            return; /* clients have nothing to tell us; messages are validated and ignored */
        }
        cl->msg_op = f->opcode;
        ed_sb_clear(&cl->msg);
        ed_sb_append(&cl->msg, (const char *)pl, n);
        return;
    case ED_WS_CONT:
        if (!cl->msg_op) { start_close(cl, 1002, true); return; }
        if (cl->msg.len + n > MAX_MESSAGE) { start_close(cl, 1009, true); return; }
        ed_sb_append(&cl->msg, (const char *)pl, n);
        if (f->fin) {
            if (cl->msg_op == ED_WS_TEXT && !ed_ws_utf8_valid((const uint8_t *)cl->msg.buf, cl->msg.len))
                start_close(cl, 1007, true);
            cl->msg_op = 0;
            ed_sb_clear(&cl->msg);
        }
        return;
    }
}

static void on_read(struct bufferevent *bev, void *arg)
{
    ws_client *cl = arg;
    struct evbuffer *in = bufferevent_get_input(bev);
    while (!cl->closing) {
        size_t avail = evbuffer_get_length(in);
        if (!avail) return;
        uint8_t *buf = evbuffer_pullup(in, -1);
        ed_ws_frame f;
        long rc = ed_ws_frame_parse(buf, avail, true, MAX_MESSAGE, &f);
        if (rc == 0) return;
        if (rc < 0) { start_close(cl, (int)-rc, true); break; }
        uint8_t *pl = buf + f.header_len;
        ed_ws_unmask(pl, (size_t)f.len, f.mask, 0);
        handle_frame(cl, &f, pl);
        evbuffer_drain(in, (size_t)rc);
    }
    /* closing: discard whatever else the peer sends */
    evbuffer_drain(in, evbuffer_get_length(in));
}

static void on_write(struct bufferevent *bev, void *arg)
{
    ws_client *cl = arg;
    if (cl->closing && !cl->shut && evbuffer_get_length(bufferevent_get_output(bev)) == 0) {
        /* close frame flushed: half-close, then wait for the peer's EOF */
        cl->shut = true;
        shutdown(bufferevent_getfd(bev), SHUT_WR);
    }
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
    (void)bev;
    ws_client *cl = arg;
    if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
        detach(cl);
        cl->closing = true;
        bufferevent_disable(cl->bev, EV_READ | EV_WRITE);
        schedule_free(cl, 0);
    }
}

/* ---- handshake ------------------------------------------------------- */

static bool header_has_token(const char *v, const char *tok)
{
    size_t tl = strlen(tok);
    while (v && *v) {
        while (*v == ' ' || *v == ',' || *v == '\t') v++;
        const char *e = v;
        while (*e && *e != ',') e++;
        const char *te = e;
        while (te > v && (te[-1] == ' ' || te[-1] == '\t')) te--;
        if ((size_t)(te - v) == tl && strncasecmp(v, tok, tl) == 0) return true;
        v = e;
    }
    return false;
}

static ws_sink *find_sink(ed_conn *c, const char *name)
{
    for (ws_sink *w = c->ws_sinks; w; w = w->next)
        if (strcasecmp(w->def->name, name) == 0) return w;
    return NULL;
}

static void reply_json(ed_http_req *req, int status, const char *msg)
{
    ed_sb sb = ED_SB_INIT;
    ed_sb_puts(&sb, "{\"ok\":false,\"error\":");
    ed_sb_json_str(&sb, msg, strlen(msg));
    ed_sb_puts(&sb, "}\n");
    ed_http_reply(req, status, "application/json", sb.buf, sb.len);
    ed_sb_free(&sb);
}

void ed_ws_route(ed_http_req *req, void *ctx)
{
    ed_conn *c = ctx;
    const char *name = ed_http_req_path(req) + 4; /* after "/ws/" */
    ws_sink *w = find_sink(c, name);
    if (!w) {
        char msg[300];
        snprintf(msg, sizeof msg, "no websocket sink named '%s'", name);
        reply_json(req, 404, msg);
        return;
    }
    const char *key = ed_http_req_header(req, "Sec-WebSocket-Key");
    const char *ver = ed_http_req_header(req, "Sec-WebSocket-Version");
    if (!header_has_token(ed_http_req_header(req, "Upgrade"), "websocket") ||
        !header_has_token(ed_http_req_header(req, "Connection"), "upgrade") || !key || strlen(key) > 64) {
        reply_json(req, 426, "this is a WebSocket endpoint: connect with a WebSocket client");
        return;
    }
    if (!ver || strcmp(ver, "13") != 0) {
        reply_json(req, 426, "unsupported Sec-WebSocket-Version (13 required)");
        return;
    }
    if (w->def->clients >= w->max_clients) {
        char msg[300];
        snprintf(msg, sizeof msg, "websocket sink '%s' already serves max_clients (%llu) clients", w->def->name,
                 (unsigned long long)w->max_clients);
        w->def->refused_clients++;
        reply_json(req, 503, msg);
        return;
    }
    char cat[128], acc[32];
    uint8_t dig[20];
    int cl_len = snprintf(cat, sizeof cat, "%s258EAFA5-E914-47DA-95CA-C5AB0DC85B11", key);
    ed_sha1(cat, (size_t)cl_len, dig);
    ed_base64(dig, 20, acc);
    struct bufferevent *bev = ed_http_take_conn(req);
    if (!bev) return;
    /* rows go out as soon as the loop writes them: no Nagle delay behind an
     * unacknowledged frame (the peer may delay its ACK by up to 40 ms) */
    int one = 1;
    setsockopt(bufferevent_getfd(bev), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ws_client *cl = ed_xcalloc(1, sizeof *cl);
    cl->c = c;
    cl->sink = w;
    cl->bev = bev;
    cl->timer = evtimer_new(c->base, on_timer, cl);
    cl->next = c->clients;
    if (c->clients) c->clients->prev = cl;
    c->clients = cl;
    w->def->clients++;
    lazy_render(w);
    evbuffer_add_printf(bufferevent_get_output(bev),
                        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Accept: %s\r\n\r\n",
                        acc);
    for (int i = 0; i < w->nsnap && !cl->closing; i++) send_blob(cl, w->snap[i]);
    bufferevent_setcb(bev, on_read, on_write, on_event, cl);
    bufferevent_enable(bev, EV_READ | EV_WRITE);
    if (evbuffer_get_length(bufferevent_get_input(bev))) on_read(bev, cl);
}

/* ---- sink ops ------------------------------------------------------- */

int ed_ws_open(ed_conn *c, ed_sink_def *s, char *err, size_t errlen)
{
    if (find_sink(c, s->name)) {
        snprintf(err, errlen, "a websocket sink named '%s' is already open", s->name);
        return -1;
    }
    long long mc = ed_opt_int(s->opts, s->nopts, ed_ws_opts, "max_clients");
    if (mc < 1 || mc > 1000000) {
        snprintf(err, errlen, "sink '%s': option 'max_clients' must be 1..1000000", s->name);
        return -1;
    }
    ws_sink *w = ed_xcalloc(1, sizeof *w);
    w->c = c;
    w->def = s;
    w->max_queue = (size_t)ed_opt_int(s->opts, s->nopts, ed_ws_opts, "max_queue_bytes");
    if (w->max_queue == 0) w->max_queue = 1 << 20;
    w->max_clients = (uint64_t)mc;
    ed_arena_init(&w->lazy_arena, 64 * 1024);
    ed_arena_init(&w->names_arena, 4096);
    w->next = c->ws_sinks;
    c->ws_sinks = w;
    s->host_data = w;
    s->raw_rows = true; /* no client yet */
    return 0;
}

void ed_ws_close(ed_conn *c, ed_sink_def *s)
{
    ws_sink *w = s->host_data;
    if (!w) return;
    for (ws_client *cl = c->clients; cl; cl = cl->next)
        if (cl->sink == w) start_close(cl, 1001, true);
    for (ws_sink **pp = &c->ws_sinks; *pp; pp = &(*pp)->next)
        if (*pp == w) { *pp = w->next; break; }
    sink_free(w);
}

void ed_ws_write(ed_conn *c, ed_sink_def *s, const ed_row *row)
{
    ws_sink *w = s->host_data;
    if (!w->have_group || row->emit_group != w->snap_group) {
        snap_clear(w);
        w->snap_group = row->emit_group;
        w->have_group = true;
    }
    if (!row->json) { /* raw rows: no client is connected */
        lazy_keep(w, row);
        return;
    }
    lazy_render(w); /* (nothing to do unless rows were kept unrendered) */
    blob *b = frame_blob(ED_WS_TEXT, row->json, row->json_len);
    snap_add(w, b);
    for (ws_client *cl = c->clients; cl; cl = cl->next)
        if (cl->sink == w && !cl->closing) send_blob(cl, b);
    blob_unref(b);
}

void ed_ws_free_all(ed_conn *c)
{
    /* shutting down: give queued close frames (1001) one non-blocking
     * chance to reach the peers before the sockets go away */
    for (ws_client *cl = c->clients; cl; cl = cl->next) flush_now(cl);
    while (c->clients) client_free(c->clients);
    while (c->ws_sinks) {
        ws_sink *w = c->ws_sinks;
        c->ws_sinks = w->next;
        w->def->host_data = NULL;
        sink_free(w);
    }
}
