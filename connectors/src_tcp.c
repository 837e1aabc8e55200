/* src_tcp.c — the tcp source: listens, accepts many producers, splits
 * newline-delimited JSON (ed_lines) and pushes one batch per read. Oversized
 * lines are skipped up to the next newline without being buffered whole. */
#include "conn_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>
#include "ingest.h"
#include "net.h"

const ed_opt_spec ed_tcp_opts[] = {
    {"port", EDO_INT, NULL, true, "TCP port to listen on"},
    {"host", EDO_STRING, "127.0.0.1", false, "address to listen on"},
    {NULL, 0, NULL, false, NULL},
};

typedef struct producer producer;
typedef struct tcp_src {
    ed_conn *c;
    ed_stream_def *s;
    struct evconnlistener *lis;
    producer *producers;
    ed_batch batch;
} tcp_src;

struct producer {
    tcp_src *t;
    struct bufferevent *bev;
    ed_lines lines;  /* an unfinished line; skipping an oversized one */
    producer *prev, *next;
};

/* Decode every complete line in the input; at_eof: the rest is a line too.
 * The input's chunks are scanned where they lie (no pullup) and drained at
 * once; a line cut between chunks or reads waits in p->lines. */
static void drain_lines(producer *p, bool at_eof)
{
    tcp_src *t = p->t;
    struct evbuffer *in = bufferevent_get_input(p->bev);
    int64_t now = ed_conn_wall_ms();
    struct evbuffer_iovec v[16];
    for (;;) {
        int nv = evbuffer_peek(in, -1, NULL, v, 16);
        if (nv <= 0) break;
        if (nv > 16) nv = 16;
        size_t total = 0;
        for (int i = 0; i < nv; i++) {
            ed_lines_feed(&p->lines, t->s, &t->batch, v[i].iov_base, v[i].iov_len, now);
            total += v[i].iov_len;
        }
        if (!total) break; /* an empty chain */
        evbuffer_drain(in, total);
    }
    if (at_eof) ed_lines_end(&p->lines, t->s, &t->batch, now);
    ed_conn_push(t->c, t->s, &t->batch);
}

static void producer_free(producer *p)
{
    tcp_src *t = p->t;
    if (p->prev) p->prev->next = p->next;
    else t->producers = p->next;
    if (p->next) p->next->prev = p->prev;
    bufferevent_free(p->bev);
    ed_lines_free(&p->lines);
    free(p);
}

static void on_read(struct bufferevent *bev, void *arg)
{
    (void)bev;
    drain_lines(arg, false);
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
    (void)bev;
    if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
        producer *p = arg;
        drain_lines(p, true); /* a final line without newline still counts */
        producer_free(p);
    }
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int salen, void *arg)
{
    tcp_src *t = arg;
    struct bufferevent *bev = bufferevent_socket_new(t->c->base, fd, BEV_OPT_CLOSE_ON_FREE);
    if (!bev) { evutil_closesocket(fd); return; }
    producer *p = ed_xcalloc(1, sizeof *p);
    p->t = t;
    p->bev = bev;
    p->next = t->producers;
    if (t->producers) t->producers->prev = p;
    t->producers = p;
    /* up to 256 KiB per read when the producer is ahead (libevent's default
     * is 16 KiB: a read, an ioctl and an epoll_wait per ~60 events) */
    bufferevent_set_max_single_read(bev, 256 * 1024);
    bufferevent_setcb(bev, on_read, NULL, on_event, p);
    bufferevent_enable(bev, EV_READ);
}

int ed_tcp_open(ed_conn *c, ed_stream_def *s, char *err, size_t errlen)
{
    const char *host = ed_opt_str(s->opts, s->nopts, ed_tcp_opts, "host");
    long long port = ed_opt_int(s->opts, s->nopts, ed_tcp_opts, "port");
    if (port < 1 || port > 65535) {
        snprintf(err, errlen, "stream '%s': option 'port' must be 1..65535", s->name);
        return -1;
    }
    char e2[200];
    int fd = ed_net_listen(host, (int)port, e2, sizeof e2);
    if (fd < 0) {
        snprintf(err, errlen, "stream '%s': %s", s->name, e2);
        return -1;
    }
    tcp_src *t = ed_xcalloc(1, sizeof *t);
    t->c = c;
    t->s = s;
    ed_batch_init(&t->batch, s->schema.ncols);
    t->lis = evconnlistener_new(c->base, on_accept, t, LEV_OPT_CLOSE_ON_FREE, -1, fd);
    if (!t->lis) {
        snprintf(err, errlen, "stream '%s': cannot listen on port %lld", s->name, port);
        evutil_closesocket(fd);
        ed_batch_free(&t->batch);
        free(t);
        return -1;
    }
    s->host_data = t;
    return 0;
}

void ed_tcp_close(ed_stream_def *s)
{
    tcp_src *t = s->host_data;
    if (!t) return;
    while (t->producers) producer_free(t->producers);
    evconnlistener_free(t->lis);
    ed_batch_free(&t->batch);
    free(t);
}
