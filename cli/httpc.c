/* httpc.c — a tiny blocking HTTP/1.1 client over plain sockets, enough for
 * the control API of `eddy serve` (one request per connection). */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>
#include "cli.h"

int ed_url_parse(const char *url, ed_url *u, char *err, size_t errlen)
{
    const char *p = url;
    if (strncmp(p, "http://", 7) == 0) p += 7;
    else if (strncmp(p, "ws://", 5) == 0) p += 5;
    else if (strstr(p, "://")) {
        snprintf(err, errlen, "unsupported URL '%s' (only http:// is supported)", url);
        return -1;
    }
    const char *end = p + strcspn(p, "/");
    const char *colon = NULL;
    if (*p == '[') { /* [v6]:port */
        const char *rb = memchr(p, ']', (size_t)(end - p));
        if (!rb) goto bad;
        if ((size_t)(rb - p - 1) >= sizeof u->host) goto bad;
        memcpy(u->host, p + 1, (size_t)(rb - p - 1));
        u->host[rb - p - 1] = 0;
        colon = rb + 1 < end && rb[1] == ':' ? rb + 1 : NULL;
    } else {
        colon = memchr(p, ':', (size_t)(end - p));
        const char *hend = colon ? colon : end;
        if (hend == p || (size_t)(hend - p) >= sizeof u->host) goto bad;
        memcpy(u->host, p, (size_t)(hend - p));
        u->host[hend - p] = 0;
    }
    if (colon) {
        size_t n = (size_t)(end - colon - 1);
        if (n == 0 || n >= sizeof u->port) goto bad;
        memcpy(u->port, colon + 1, n);
        u->port[n] = 0;
    } else {
        strcpy(u->port, "80");
    }
    return 0;
bad:
    snprintf(err, errlen, "invalid URL '%s'", url);
    return -1;
}

int ed_cli_connect(const char *url, ed_url *u, char *err, size_t errlen)
{
    if (ed_url_parse(url, u, err, errlen) < 0) return -1;
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo(u->host, u->port, &hints, &res);
    if (rc != 0) {
        snprintf(err, errlen, "cannot connect to %s: %s", url, gai_strerror(rc));
        return -1;
    }
    int fd = -1, last = 0;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) { last = errno; continue; }
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
        last = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) snprintf(err, errlen, "cannot connect to %s: %s", url, strerror(last));
    return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int ed_cli_http(const char *url, const char *method, const char *path, const char *body, size_t blen, int *status,
                ed_sb *resp, char *err, size_t errlen)
{
    ed_url u;
    int fd = ed_cli_connect(url, &u, err, errlen);
    if (fd < 0) return -1;
    ed_sb req = ED_SB_INIT;
    ed_sb_printf(&req, "%s %s HTTP/1.1\r\nHost: %s:%s\r\nConnection: close\r\nUser-Agent: eddy-cli\r\n", method, path,
                 u.host, u.port);
    if (body) ed_sb_printf(&req, "Content-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n", blen);
    ed_sb_puts(&req, "\r\n");
    if (body) ed_sb_append(&req, body, blen);
    int rc = send_all(fd, req.buf, req.len);
    ed_sb_free(&req);
    if (rc < 0) {
        snprintf(err, errlen, "sending to %s failed: %s", url, strerror(errno));
        close(fd);
        return -1;
    }
    ed_sb raw = ED_SB_INIT;
    char buf[16384];
    for (;;) {
        ssize_t r = recv(fd, buf, sizeof buf, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            snprintf(err, errlen, "reading from %s failed: %s", url, strerror(errno));
            close(fd);
            ed_sb_free(&raw);
            return -1;
        }
        if (r == 0) break;
        ed_sb_append(&raw, buf, (size_t)r);
    }
    close(fd);
    const char *hend = raw.buf ? strstr(raw.buf, "\r\n\r\n") : NULL;
    int code = 0;
    if (!hend || sscanf(raw.buf, "HTTP/1.%*d %d", &code) != 1) {
        snprintf(err, errlen, "malformed HTTP response from %s", url);
        ed_sb_free(&raw);
        return -1;
    }
    size_t off = (size_t)(hend - raw.buf) + 4, n = raw.len - off;
    /* Honour Content-Length if present (the server always sends it). */
    for (const char *h = strstr(raw.buf, "\r\n"); h && h < hend; h = strstr(h + 2, "\r\n")) {
        if (strncasecmp(h + 2, "Content-Length:", 15) == 0) {
            size_t cl = strtoull(h + 17, NULL, 10);
            if (cl < n) n = cl;
        }
    }
    *status = code;
    ed_sb_clear(resp);
    ed_sb_append(resp, raw.buf + off, n);
    ed_sb_free(&raw);
    return 0;
}

int ed_cli_post_statements(const char *url, const char *text, size_t len, json_t **out, char *err, size_t errlen)
{
    ed_sb resp = ED_SB_INIT;
    int status = 0;
    if (ed_cli_http(url, "POST", "/api/v1/statements", text, len, &status, &resp, err, errlen) < 0) {
        ed_sb_free(&resp);
        return -1;
    }
    json_error_t je;
    json_t *j = json_loadb(resp.buf ? resp.buf : "", resp.len, 0, &je);
    if (!j || !json_is_array(j)) {
        json_t *msg = j ? json_object_get(j, "error") : NULL;
        if (json_is_string(msg)) snprintf(err, errlen, "server error (HTTP %d): %s", status, json_string_value(msg));
        else snprintf(err, errlen, "unexpected response from %s (HTTP %d)", url, status);
        json_decref(j);
        ed_sb_free(&resp);
        return -1;
    }
    ed_sb_free(&resp);
    *out = j;
    return 0;
}
