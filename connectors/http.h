/* http.h — a small HTTP/1.1 server on libevent (evconnlistener +
 * bufferevents). Not evhttp: WebSocket upgrades must share the port, so the
 * server hands the raw connection to a handler that asks for it.
 *
 * Contract: single-threaded (event loop thread). A handler receives a fully
 * read request (request line, headers, Content-Length body up to 1 MiB;
 * larger -> 413) and must call ed_http_reply() exactly once, now or later
 * (the request stays valid until then), or ed_http_take_conn() to take over
 * the connection. Responses carry "Connection: close"; the connection is
 * closed after the reply is flushed. Routes: longest path prefix wins
 * (method NULL = any method); no route -> 404 with a JSON body.
 */
#ifndef EDDY_HTTP_H
#define EDDY_HTTP_H
#include <stddef.h>
#include <stdint.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

typedef struct ed_http ed_http;
typedef struct ed_http_req ed_http_req;

const char *ed_http_req_method(ed_http_req *r);
const char *ed_http_req_path(ed_http_req *r);   /* without the query string */
const char *ed_http_req_query(ed_http_req *r);  /* after '?', "" if none */
const char *ed_http_req_header(ed_http_req *r, const char *name); /* case-insensitive; NULL if absent */
const char *ed_http_req_body(ed_http_req *r, size_t *len);       /* NUL-terminated */

typedef void (*ed_http_handler)(ed_http_req *req, void *ctx);

/* Listen on host:port. NULL with err filled on failure ("port 7070 on
 * 127.0.0.1 is already in use"). port 0 picks a free port (see ed_http_port). */
ed_http *ed_http_new(struct event_base *base, const char *host, int port, char *err, size_t errlen);
int ed_http_port(ed_http *h);
/* Time a connection has in all to send its request from the accept (a
 * request not complete by then gets 408 and the connection is closed), and
 * without progress to take its reply (default 30 000 ms; read when a
 * connection is accepted). */
extern int ed_http_timeout_ms;
/* accept() failures of its listener so far (out of descriptors...) */
uint64_t ed_http_accept_errors(const ed_http *h);
void ed_http_route(ed_http *h, const char *method, const char *path_prefix, ed_http_handler fn, void *ctx);
void ed_http_reply(ed_http_req *req, int status, const char *content_type, const char *body, size_t len);
/* Take over the connection (WebSocket upgrade): returns its bufferevent with
 * callbacks cleared and any bytes received after the request still in its
 * input buffer; the request is freed, and no reply is sent by the server. */
struct bufferevent *ed_http_take_conn(ed_http_req *req);
void ed_http_free(ed_http *h);

/* Pure, resumable request parser (exposed for tests). Feeds on the whole
 * bytes received so far (buf, n): returns the number of bytes of a complete
 * request (head + body) and fills *out, 0 if more bytes are needed, or a
 * negative HTTP status to answer with (-400, -413, -431, -505). */
typedef struct ed_http_parsed {
    char method[16];
    char *target;            /* heap: path + "?" + query as sent */
    char **hdr_names, **hdr_values; /* heap arrays */
    int nhdr;
    size_t body_off, body_len;
} ed_http_parsed;
long ed_http_parse(const char *buf, size_t n, size_t max_body, ed_http_parsed *out);
void ed_http_parsed_free(ed_http_parsed *p);

#endif
