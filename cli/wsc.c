/* wsc.c — a small blocking RFC 6455 WebSocket client for `eddy tail` and
 * the shell: handshake with a random key, masked client frames, text
 * messages (fragmented ones reassembled) printed one per line, pings
 * answered, close echoed (a close other than 1000 is an error, with its
 * code: 1008 = dropped for falling behind). Output is flushed before each
 * wait for the socket, not per row. Ctrl-C interrupts recv() (no SA_RESTART) and the
 * client then closes cleanly with code 1000. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>
#include "cli.h"

volatile sig_atomic_t ed_cli_interrupted = 0;

static void on_sigint(int sig)
{
    (void)sig;
    ed_cli_interrupted = 1;
}

void ed_cli_catch_sigint(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: blocking recv() returns EINTR */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

static void base64(const unsigned char *in, size_t n, char *out)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n) v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n) v |= in[i + 2];
        out[o++] = tab[(v >> 18) & 63];
        out[o++] = tab[(v >> 12) & 63];
        out[o++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? tab[v & 63] : '=';
    }
    out[o] = 0;
}

static void fill_random(unsigned char *p, size_t n)
{
    if (getrandom(p, n, 0) == (ssize_t)n) return;
    for (size_t i = 0; i < n; i++) p[i] = (unsigned char)rand();
}

static int send_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
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

/* Send one masked frame (FIN set). */
static int send_frame(int fd, int opcode, const void *payload, size_t n)
{
    unsigned char hdr[14];
    size_t h = 0;
    hdr[h++] = (unsigned char)(0x80 | opcode);
    if (n < 126) {
        hdr[h++] = (unsigned char)(0x80 | n);
    } else if (n < 65536) {
        hdr[h++] = 0x80 | 126;
        hdr[h++] = (unsigned char)(n >> 8);
        hdr[h++] = (unsigned char)n;
    } else {
        hdr[h++] = 0x80 | 127;
        for (int i = 7; i >= 0; i--) hdr[h++] = (unsigned char)((uint64_t)n >> (8 * i));
    }
    unsigned char mask[4];
    fill_random(mask, 4);
    memcpy(hdr + h, mask, 4);
    h += 4;
    unsigned char *buf = malloc(h + n + 1);
    if (!buf) return -1;
    memcpy(buf, hdr, h);
    const unsigned char *pl = payload;
    for (size_t i = 0; i < n; i++) buf[h + i] = pl[i] ^ mask[i & 3];
    int rc = send_all(fd, buf, h + n);
    free(buf);
    return rc;
}

/* Buffered reader over the socket. */
typedef struct rd {
    int fd;
    ed_sb buf;
    size_t pos;
} rd;

/* Make at least need bytes available; 1 ok, 0 EOF, -1 error, -2 interrupted. */
static int rd_fill(rd *r, size_t need)
{
    while (r->buf.len - r->pos < need) {
        if (r->pos > 0 && r->pos == r->buf.len) {
            ed_sb_clear(&r->buf);
            r->pos = 0;
        }
        /* poll with a timeout: a Ctrl-C that lands just before a blocking
         * recv() would otherwise go unnoticed until the next frame. */
        if (ed_cli_interrupted) return -2;
        /* rows already printed go out before waiting for more (one write
         * per socket read, not one per row: a pipe took a syscall a row) */
        fflush(stdout);
        struct pollfd pfd = {r->fd, POLLIN, 0};
        int pr = poll(&pfd, 1, 200);
        if (pr == 0 || (pr < 0 && errno == EINTR)) continue;
        char tmp[65536];
        ssize_t n = recv(r->fd, tmp, sizeof tmp, 0);
        if (n < 0 && errno == EINTR) {
            if (ed_cli_interrupted) return -2;
            continue;
        }
        if (n < 0) return -1;
        if (n == 0) return 0;
        ed_sb_append(&r->buf, tmp, (size_t)n);
    }
    return 1;
}

int ed_ws_tail(const char *url, const char *sink, char *err, size_t errlen)
{
    ed_url u;
    int fd = ed_cli_connect(url, &u, err, errlen);
    if (fd < 0) return -1;
    unsigned char raw[16];
    char key[32];
    fill_random(raw, sizeof raw);
    base64(raw, sizeof raw, key);
    ed_sb req = ED_SB_INIT;
    ed_sb_printf(&req,
                 "GET /ws/%s HTTP/1.1\r\nHost: %s:%s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
                 sink, u.host, u.port, key);
    int rc = send_all(fd, req.buf, req.len);
    ed_sb_free(&req);
    rd r = {fd, ED_SB_INIT, 0};
    int ret = -1;
    if (rc < 0) {
        snprintf(err, errlen, "sending to %s failed: %s", url, strerror(errno));
        goto out;
    }
    /* Handshake response: read up to the blank line. */
    char *hend;
    for (;;) {
        hend = r.buf.buf ? strstr(r.buf.buf, "\r\n\r\n") : NULL;
        if (hend) break;
        int f = rd_fill(&r, r.buf.len + 1);
        if (f == -2) { ret = 0; goto out; }
        if (f <= 0 || r.buf.len > 65536) {
            snprintf(err, errlen, "WebSocket handshake with %s failed: connection closed", url);
            goto out;
        }
    }
    int code = 0;
    if (sscanf(r.buf.buf, "HTTP/1.%*d %d", &code) != 1 || code != 101) {
        /* Show the server's reason (JSON error body) if there is one. */
        const char *body = hend + 4;
        const char *e = strstr(body, "\"error\":\"");
        if (e) {
            e += 9;
            snprintf(err, errlen, "cannot subscribe to sink '%s': %.*s", sink, (int)strcspn(e, "\""), e);
        } else {
            snprintf(err, errlen, "cannot subscribe to sink '%s': HTTP %d", sink, code);
        }
        goto out;
    }
    r.pos = (size_t)(hend - r.buf.buf) + 4;
    ed_sb msg = ED_SB_INIT;
    int msg_op = 0;
    for (;;) {
        int f = rd_fill(&r, 2);
        if (f == -2) {
            send_frame(fd, 8, "\x03\xe8", 2);
            ret = 0;
            break;
        }
        if (f <= 0) {
            if (f == 0) snprintf(err, errlen, "connection to %s closed without a close frame", url);
            else snprintf(err, errlen, "reading from %s failed: %s", url, strerror(errno));
            break;
        }
        const unsigned char *h = (const unsigned char *)r.buf.buf + r.pos;
        int fin = h[0] & 0x80, op = h[0] & 0x0f, masked = h[1] & 0x80;
        uint64_t len = h[1] & 0x7f;
        size_t hl = 2;
        if (len == 126) hl = 4;
        else if (len == 127) hl = 10;
        if (masked) hl += 4;
        f = rd_fill(&r, hl);
        if (f <= 0) {
            ret = f == -2 ? 0 : -1;
            if (f != -2) snprintf(err, errlen, "connection to %s closed mid-frame", url);
            break;
        }
        h = (const unsigned char *)r.buf.buf + r.pos;
        if (len == 126) len = (uint64_t)h[2] << 8 | h[3];
        else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) len = len << 8 | h[2 + i];
        }
        if (len > (64u << 20)) {
            snprintf(err, errlen, "frame too large from %s", url);
            break;
        }
        f = rd_fill(&r, hl + (size_t)len);
        if (f <= 0) {
            ret = f == -2 ? 0 : -1;
            if (f != -2) snprintf(err, errlen, "connection to %s closed mid-frame", url);
            break;
        }
        unsigned char *p = (unsigned char *)r.buf.buf + r.pos + hl;
        if (masked) {
            const unsigned char *m = p - 4;
            for (uint64_t i = 0; i < len; i++) p[i] ^= m[i & 3];
        }
        r.pos += hl + (size_t)len;
        if (op == 9) { /* ping -> pong with the same payload */
            send_frame(fd, 10, p, (size_t)len);
            continue;
        }
        if (op == 10) continue;
        if (op == 8) { /* the server closes: echo the code; unless a normal close, say why */
            unsigned code = len >= 2 ? (unsigned)p[0] << 8 | p[1] : 1005;
            send_frame(fd, 8, p, len >= 2 ? 2 : 0);
            if (code == 1000) {
                ret = 0;
            } else {
                snprintf(err, errlen, "%s closed the connection (WebSocket close code %u%s)", url, code,
                         code == 1008   ? ": this client fell behind the sink's rows by more than its "
                                          "max_queue_bytes and was dropped"
                         : code == 1001 ? ": the server is going away"
                                        : "");
            }
            break;
        }
        if (op == 1 || op == 2) {
            ed_sb_clear(&msg);
            msg_op = op;
        } else if (op != 0) {
            snprintf(err, errlen, "unexpected WebSocket opcode %d from %s", op, url);
            send_frame(fd, 8, "\x03\xea", 2);
            break;
        }
        ed_sb_append(&msg, (const char *)p, (size_t)len);
        if (fin && msg_op == 1) {
            fwrite(msg.buf ? msg.buf : "", 1, msg.len, stdout);
            fputc('\n', stdout);
        }
    }
    ed_sb_free(&msg);
    fflush(stdout);
out:
    ed_sb_free(&r.buf);
    close(fd);
    return ret;
}
