/* src_tcp.c — the tcp source: listens, accepts many producers, splits
 * newline-delimited JSON (ed_lines) and pushes one batch per read. Oversized
 * lines are skipped up to the next newline without being buffered whole.
 *
 * Connections are read with read(2) into one 256 KiB buffer, not through a
 * bufferevent: libevent 2.1's evbuffer_read never reads more than 4 KiB at a
 * time (EVBUFFER_MAX_READ), whatever max_single_read says, which cost an
 * epoll_wait, an ioctl, a readv and a batch of ~16 rows per 4 KiB and held
 * one connection to ~2.6 M events/s. A callback reads at most READS_PER_CB
 * times, then lets the loop serve the others (the event is level-triggered:
 * it comes back at once if more is waiting). */
#include "conn_internal.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <event2/event.h>
#include "ingest.h"
#include "net.h"

const ed_opt_spec ed_tcp_opts[] = {
    {"port", EDO_INT, NULL, true, "TCP port to listen on"},
    {"host", EDO_STRING, "127.0.0.1", false, "address to listen on"},
    {"max_connections", EDO_INT, "1000", false, "producers connected at once; more are closed at once and counted"},
    {NULL, 0, NULL, false, NULL},
};

#define READ_BUF (256 * 1024)
#define READS_PER_CB 4

typedef struct producer producer;
typedef struct tcp_src {
    ed_conn *c;
    ed_stream_def *s;
    ed_listener *lis;
    producer *producers;
    int nproducers, max_producers;
    uint64_t accepted, refused;
    ed_batch batch;
    char *buf;       /* READ_BUF bytes, shared: lines are decoded before the next read */
} tcp_src;

struct producer {
    tcp_src *t;
    evutil_socket_t fd;
    struct event *ev;
    ed_lines lines;  /* an unfinished line; skipping an oversized one */
    producer *prev, *next;
};

static void producer_free(producer *p)
{
    tcp_src *t = p->t;
    if (p->prev) p->prev->next = p->next;
    else t->producers = p->next;
    if (p->next) p->next->prev = p->prev;
    t->nproducers--;
    event_free(p->ev);
    evutil_closesocket(p->fd);
    ed_lines_free(&p->lines);
    free(p);
}

/* Read what the connection has (up to READS_PER_CB reads), one batch per
 * read. At end of input (or a reset) a final line without newline still
 * counts, and the producer goes. */
static void on_readable(evutil_socket_t fd, short what, void *arg)
{
    (void)what;
    producer *p = arg;
    tcp_src *t = p->t;
    for (int i = 0; i < READS_PER_CB; i++) {
        ssize_t n = read(fd, t->buf, READ_BUF);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        int64_t now = ed_conn_wall_ms();
        if (n <= 0) { /* end of input, or an error (reset): the connection is over */
            ed_lines_end(&p->lines, t->s, &t->batch, now);
            ed_conn_push(t->c, t->s, &t->batch);
            producer_free(p);
            return;
        }
        ed_lines_feed(&p->lines, t->s, &t->batch, t->buf, (size_t)n, now);
        ed_conn_push(t->c, t->s, &t->batch);
        if (n < READ_BUF) return; /* drained (most likely): back to the loop */
    }
}

static void on_accept(int fd, void *arg)
{
    tcp_src *t = arg;
    if (t->nproducers >= t->max_producers) { /* bounded: the producer sees its connection closed */
        t->refused++;
        evutil_closesocket(fd);
        return;
    }
    producer *p = ed_xcalloc(1, sizeof *p);
    p->t = t;
    p->fd = fd; /* non-blocking (ed_listener) */
    p->ev = event_new(t->c->base, fd, EV_READ | EV_PERSIST, on_readable, p);
    if (!p->ev || event_add(p->ev, NULL) != 0) {
        if (p->ev) event_free(p->ev);
        evutil_closesocket(fd);
        free(p);
        return;
    }
    p->next = t->producers;
    if (t->producers) t->producers->prev = p;
    t->producers = p;
    t->nproducers++;
    t->accepted++;
}

int ed_tcp_open(ed_conn *c, ed_stream_def *s, char *err, size_t errlen)
{
    const char *host = ed_opt_str(s->opts, s->nopts, ed_tcp_opts, "host");
    long long port = ed_opt_int(s->opts, s->nopts, ed_tcp_opts, "port");
    if (port < 1 || port > 65535) {
        snprintf(err, errlen, "stream '%s': option 'port' must be 1..65535", s->name);
        return -1;
    }
    long long maxc = ed_opt_int(s->opts, s->nopts, ed_tcp_opts, "max_connections");
    if (maxc < 1 || maxc > 1000000) {
        snprintf(err, errlen, "stream '%s': option 'max_connections' must be 1..1000000", s->name);
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
    t->buf = ed_xmalloc(READ_BUF);
    t->max_producers = (int)maxc;
    char what[160];
    snprintf(what, sizeof what, "stream '%s' (tcp port %lld)", s->name, port);
    t->lis = ed_listener_new(c->base, fd, what, on_accept, t);
    if (!t->lis) {
        snprintf(err, errlen, "stream '%s': cannot listen on port %lld", s->name, port);
        evutil_closesocket(fd);
        ed_batch_free(&t->batch);
        free(t->buf);
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
    ed_listener_free(t->lis);
    ed_batch_free(&t->batch);
    free(t->buf);
    free(t);
}

json_t *ed_tcp_source_status(ed_stream_def *s)
{
    tcp_src *t = s->host_data;
    if (!t) return NULL;
    return json_pack("{s:i, s:i, s:I, s:I, s:I}", "connections", t->nproducers, "max_connections", t->max_producers,
                     "accepted", (json_int_t)t->accepted, "refused", (json_int_t)t->refused, "accept_errors",
                     (json_int_t)ed_listener_accept_errors(t->lis));
}
