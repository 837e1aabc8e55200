/* http.c — minimal HTTP/1.1 server: a pure request parser plus libevent
 * plumbing. One request per connection (responses say Connection: close),
 * which keeps the state machine small; the control API needs no more. */
#include "http.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <event2/buffer.h>
#include "../common/arena.h"
#include "../common/strbuf.h"
#include "net.h"

#define MAX_HEAD (64 * 1024)
#define MAX_BODY (1024 * 1024)

typedef struct route {
    char *method, *prefix;
    size_t plen;
    ed_http_handler fn;
    void *ctx;
} route;

typedef struct hconn hconn;
struct ed_http {
    struct event_base *base;
    ed_listener *lis;
    int port;
    route *routes;
    int nroutes;
    hconn *conns;
};

struct hconn {
    ed_http *h;
    struct bufferevent *bev;
    struct event *deadline; /* the request must have arrived by then */
    ed_http_req *req;  /* being handled, awaiting its reply */
    int closing;
    hconn *prev, *next;
};

struct ed_http_req {
    hconn *c;
    ed_http_parsed p;
    char *path, *query, *body;
    size_t body_len;
};

/* ---- parser ---------------------------------------------------------- */

void ed_http_parsed_free(ed_http_parsed *p)
{
    free(p->target);
    for (int i = 0; i < p->nhdr; i++) free(p->hdr_names[i]), free(p->hdr_values[i]);
    free(p->hdr_names);
    free(p->hdr_values);
    memset(p, 0, sizeof *p);
}

static const char *find_head_end(const char *buf, size_t n)
{
    for (size_t i = 0; i + 3 < n; i++)
        if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') return buf + i + 4;
    return NULL;
}

/* buf is not NUL-terminated (it comes from an evbuffer): bounded search. */
static const char *crlf(const char *p, const char *end) { return memmem(p, (size_t)(end - p), "\r\n", 2); }

long ed_http_parse(const char *buf, size_t n, size_t max_body, ed_http_parsed *out)
{
    memset(out, 0, sizeof *out);
    const char *he = find_head_end(buf, n < MAX_HEAD ? n : MAX_HEAD);
    if (!he) return n >= MAX_HEAD ? -431 : 0;
    if (memchr(buf, 0, (size_t)(he - buf))) return -400;
    const char *p = buf, *eol = crlf(p, he);
    /* request line: METHOD SP target SP HTTP/1.x */
    const char *sp1 = memchr(p, ' ', (size_t)(eol - p));
    if (!sp1 || sp1 == p || sp1 - p >= (long)sizeof out->method) return -400;
    const char *sp2 = memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1));
    if (!sp2 || sp2 == sp1 + 1) return -400;
    for (const char *q = p; q < sp1; q++)
        if (!isupper((unsigned char)*q)) return -400;
    if ((size_t)(eol - sp2 - 1) != 8 || memcmp(sp2 + 1, "HTTP/", 5) != 0) return -400;
    if (sp2[6] != '1' || sp2[7] != '.' || (sp2[8] != '0' && sp2[8] != '1')) return -505;
    memcpy(out->method, p, (size_t)(sp1 - p));
    out->method[sp1 - p] = 0;
    out->target = ed_xstrndup(sp1 + 1, (size_t)(sp2 - sp1 - 1));
    long clen = -1;
    for (p = eol + 2; p < he - 2; p = eol + 2) {
        eol = crlf(p, he);
        const char *colon = memchr(p, ':', (size_t)(eol - p));
        if (!colon || colon == p) goto bad;
        for (const char *q = p; q < colon; q++)
            if (*q <= ' ' || *q >= 127) goto bad;
        const char *v = colon + 1, *ve = eol;
        while (v < ve && (*v == ' ' || *v == '\t')) v++;
        while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t')) ve--;
        out->hdr_names = ed_xrealloc(out->hdr_names, sizeof(char *) * (size_t)(out->nhdr + 1));
        out->hdr_values = ed_xrealloc(out->hdr_values, sizeof(char *) * (size_t)(out->nhdr + 1));
        out->hdr_names[out->nhdr] = ed_xstrndup(p, (size_t)(colon - p));
        out->hdr_values[out->nhdr] = ed_xstrndup(v, (size_t)(ve - v));
        const char *name = out->hdr_names[out->nhdr], *val = out->hdr_values[out->nhdr];
        out->nhdr++;
        if (strcasecmp(name, "Content-Length") == 0) {
            if (!*val || clen >= 0) goto bad;
            long long x = 0;
            for (const char *q = val; *q; q++) {
                if (*q < '0' || *q > '9') goto bad;
                x = x * 10 + (*q - '0');
                if (x > (long long)max_body) { ed_http_parsed_free(out); return -413; }
            }
            clen = (long)x;
        } else if (strcasecmp(name, "Transfer-Encoding") == 0) {
            goto bad; /* chunked request bodies are not supported */
        }
    }
    size_t head = (size_t)(he - buf);
    out->body_off = head;
    out->body_len = clen > 0 ? (size_t)clen : 0;
    if (n - head < out->body_len) { ed_http_parsed_free(out); return 0; }
    return (long)(head + out->body_len);
bad:
    ed_http_parsed_free(out);
    return -400;
}

/* ---- request accessors ---------------------------------------------- */

const char *ed_http_req_method(ed_http_req *r) { return r->p.method; }
const char *ed_http_req_path(ed_http_req *r) { return r->path; }
const char *ed_http_req_query(ed_http_req *r) { return r->query; }
const char *ed_http_req_body(ed_http_req *r, size_t *len)
{
    if (len) *len = r->body_len;
    return r->body;
}
const char *ed_http_req_header(ed_http_req *r, const char *name)
{
    for (int i = 0; i < r->p.nhdr; i++)
        if (strcasecmp(r->p.hdr_names[i], name) == 0) return r->p.hdr_values[i];
    return NULL;
}

static void req_free(ed_http_req *r)
{
    ed_http_parsed_free(&r->p);
    free(r->path);
    free(r->body);
    free(r);
}

/* ---- connections ------------------------------------------------------ */

static void conn_free(hconn *c)
{
    if (c->req) c->req->c = NULL; /* the handler still owes a reply; it becomes a no-op */
    if (c->prev) c->prev->next = c->next;
    else c->h->conns = c->next;
    if (c->next) c->next->prev = c->prev;
    if (c->bev) bufferevent_free(c->bev);
    if (c->deadline) event_free(c->deadline);
    free(c);
}

static const char *reason(int status)
{
    switch (status) {
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 426: return "Upgrade Required";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Status";
    }
}

static void send_response(hconn *c, int status, const char *ctype, const char *body, size_t len)
{
    struct evbuffer *out = bufferevent_get_output(c->bev);
    evbuffer_add_printf(out, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
                        status, reason(status), ctype ? ctype : "text/plain", len);
    if (len) evbuffer_add(out, body, len);
    c->closing = 1;
    bufferevent_disable(c->bev, EV_READ);
}

static void send_error(hconn *c, int status, const char *msg)
{
    ed_sb sb = ED_SB_INIT;
    ed_sb_puts(&sb, "{\"ok\":false,\"error\":");
    ed_sb_json_str(&sb, msg, strlen(msg));
    ed_sb_puts(&sb, "}\n");
    send_response(c, status, "application/json", sb.buf, sb.len);
    ed_sb_free(&sb);
}

void ed_http_reply(ed_http_req *req, int status, const char *content_type, const char *body, size_t len)
{
    if (req->c) {
        req->c->req = NULL;
        send_response(req->c, status, content_type, body, len);
    }
    req_free(req);
}

struct bufferevent *ed_http_take_conn(ed_http_req *req)
{
    hconn *c = req->c;
    struct bufferevent *bev = NULL;
    if (c) {
        bev = c->bev;
        c->bev = NULL;
        c->req = NULL;
        bufferevent_setcb(bev, NULL, NULL, NULL, NULL);
        bufferevent_set_timeouts(bev, NULL, NULL); /* the new owner decides */
        conn_free(c);
    }
    req_free(req);
    return bev;
}

static void dispatch(hconn *c, ed_http_req *r)
{
    ed_http *h = c->h;
    route *best = NULL;
    for (int i = 0; i < h->nroutes; i++) {
        route *rt = &h->routes[i];
        if (rt->method && strcmp(rt->method, r->p.method) != 0) continue;
        if (strncmp(r->path, rt->prefix, rt->plen) != 0) continue;
        if (!best || rt->plen > best->plen) best = rt;
    }
    if (!best) {
        ed_sb sb = ED_SB_INIT;
        ed_sb_printf(&sb, "not found: %s %s", r->p.method, r->path);
        c->req = NULL;
        send_error(c, 404, sb.buf);
        ed_sb_free(&sb);
        req_free(r);
        return;
    }
    c->req = r;
    best->fn(r, best->ctx);
}

static void on_write(struct bufferevent *bev, void *arg)
{
    hconn *c = arg;
    if (c->closing && evbuffer_get_length(bufferevent_get_output(bev)) == 0) conn_free(c);
}

static void on_read(struct bufferevent *bev, void *arg)
{
    hconn *c = arg;
    if (c->req || c->closing) return; /* one request per connection */
    struct evbuffer *in = bufferevent_get_input(bev);
    size_t n = evbuffer_get_length(in);
    const char *buf = (const char *)evbuffer_pullup(in, -1);
    ed_http_parsed p;
    long rc = ed_http_parse(buf, n, MAX_BODY, &p);
    if (rc == 0) return;
    if (rc < 0) {
        int st = (int)-rc;
        send_error(c, st, st == 413 ? "request body larger than 1 MiB" : st == 431 ? "request head too large" : "malformed HTTP request");
        return;
    }
    ed_http_req *r = ed_xcalloc(1, sizeof *r);
    r->c = c;
    r->p = p;
    const char *q = strchr(p.target, '?');
    size_t plen = q ? (size_t)(q - p.target) : strlen(p.target);
    r->path = ed_xcalloc(1, strlen(p.target) + 2);
    memcpy(r->path, p.target, plen);
    r->query = r->path + plen + 1; /* stored after the path's NUL */
    if (q) strcpy(r->query, q + 1);
    r->body_len = p.body_len;
    r->body = ed_xstrndup(buf + p.body_off, p.body_len);
    evbuffer_drain(in, (size_t)rc);
    dispatch(c, r);
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
    hconn *c = arg;
    /* A client may half-close right after its request (printf ... | nc):
     * keep the connection until the reply has been flushed. */
    if ((what & BEV_EVENT_EOF) && !(what & BEV_EVENT_ERROR) && (c->req || c->closing)) {
        bufferevent_disable(bev, EV_READ);
        return;
    }
    if (what & BEV_EVENT_TIMEOUT) { /* a reply the peer does not read in time */
        conn_free(c);
        return;
    }
    if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) conn_free(c);
}

/* ed_http_timeout_ms after the accept: a request not complete by then
 * (idle, or trickling a byte at a time) gets 408 and the connection closes.
 * A request being handled, or a reply going out, is left alone. */
static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    hconn *c = arg;
    if (!c->req && !c->closing) send_error(c, 408, "request not received within the time limit");
}

static void on_accept(int fd, void *arg)
{
    ed_http *h = arg;
    struct bufferevent *bev = bufferevent_socket_new(h->base, fd, BEV_OPT_CLOSE_ON_FREE);
    if (!bev) { evutil_closesocket(fd); return; }
    hconn *c = ed_xcalloc(1, sizeof *c);
    c->h = h;
    c->bev = bev;
    c->next = h->conns;
    if (h->conns) h->conns->prev = c;
    h->conns = c;
    bufferevent_setcb(bev, on_read, on_write, on_event, c);
    /* a peer gets ed_http_timeout_ms in all to send its request, and as
     * long again without progress while its reply is written: an idle or
     * trickling connection cannot hold a descriptor for ever (a WebSocket
     * upgrade lifts both) */
    struct timeval tv = {ed_http_timeout_ms / 1000, (ed_http_timeout_ms % 1000) * 1000};
    c->deadline = evtimer_new(h->base, on_deadline, c);
    if (c->deadline) evtimer_add(c->deadline, &tv);
    bufferevent_set_timeouts(bev, NULL, &tv);
    bufferevent_enable(bev, EV_READ | EV_WRITE);
}

int ed_http_timeout_ms = 30000;

ed_http *ed_http_new(struct event_base *base, const char *host, int port, char *err, size_t errlen)
{
    int fd = ed_net_listen(host, port, err, errlen);
    if (fd < 0) return NULL;
    ed_http *h = ed_xcalloc(1, sizeof *h);
    h->base = base;
    h->port = ed_net_local_port(fd);
    h->lis = ed_listener_new(base, fd, "HTTP", on_accept, h);
    if (!h->lis) {
        snprintf(err, errlen, "cannot listen on port %d", port);
        evutil_closesocket(fd);
        free(h);
        return NULL;
    }
    return h;
}

int ed_http_port(ed_http *h) { return h->port; }

uint64_t ed_http_accept_errors(const ed_http *h) { return ed_listener_accept_errors(h->lis); }

void ed_http_route(ed_http *h, const char *method, const char *path_prefix, ed_http_handler fn, void *ctx)
{
    h->routes = ed_xrealloc(h->routes, sizeof(route) * (size_t)(h->nroutes + 1));
    route *r = &h->routes[h->nroutes++];
    r->method = method ? ed_xstrdup(method) : NULL;
    r->prefix = ed_xstrdup(path_prefix);
    r->plen = strlen(path_prefix);
    r->fn = fn;
    r->ctx = ctx;
}

void ed_http_free(ed_http *h)
{
    if (!h) return;
    while (h->conns) conn_free(h->conns);
    ed_listener_free(h->lis);
    for (int i = 0; i < h->nroutes; i++) free(h->routes[i].method), free(h->routes[i].prefix);
    free(h->routes);
    free(h);
}
