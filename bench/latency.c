/* latency.c — eddy-latency: end-to-end latency of `eddy serve` from a TCP
 * source to WebSocket sinks, measured from outside the server process.
 *
 *   eddy-latency --eddy PATH [--rate N] [--seconds S] [--runs R]
 *                [--warmup S] [--window-ms W] [--hist FILE]
 *
 * It starts `eddy serve` (free ports) with one stream fed over TCP and two
 * queries, each into its own WebSocket sink:
 *   filter: SELECT id, sent FROM ev WHERE k = 0      (1 event in 10 passes)
 *   window: SELECT COUNT(*) AS n, window_end FROM ev
 *           WINDOW TUMBLING (SIZE W MILLISECONDS)    (W = 10 by default)
 * A sender thread writes JSON lines {"id","k","sent","et"} at `rate`
 * events/s: every ~50 µs it sends all events due so far in one write, each
 * carrying the CLOCK_MONOTONIC time (ns) taken just before that write
 * ("sent") and the wall-clock ms as event time ("et"; watermark = et, no
 * delay). Two receiver threads hold real RFC 6455 client connections
 * (handshake checked against Sec-WebSocket-Accept, unmasked server frames)
 * and take CLOCK_MONOTONIC right after each recv():
 *   filter latency = receive time - "sent" of the row's event;
 *   window latency = receive time of the row of the window ending at E -
 *                    send time of the first event with et >= E (the event
 *                    whose watermark passes the window's end).
 * After `warmup` seconds, `runs` consecutive runs of `seconds` each are
 * measured; per run p50/p90/p99/p99.9/max, then the median over runs.
 * Output: human-readable lines and one "RESULT mode=latency ..." line per
 * kind (bench/run.sh parses them). --hist FILE writes the complementary
 * distribution of all measured runs (latency µs, fraction of rows >= it)
 * for gnuplot. Exit 1 if no row arrived or the server failed; never on
 * latency values (no timing assertions).
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "common/value.h"
#include "connectors/sha1.h"

static double rate = 100000, seconds = 5, warmup = 1;
static int runs = 3, window_ms = 10;
static int tcp_port, http_port;
static int64_t t_start; /* monotonic ns when sending began */
static atomic_bool sending_done;
static atomic_long events_sent, filter_expected;

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void die(const char *msg)
{
    fprintf(stderr, "eddy-latency: %s\n", msg);
    exit(1);
}

/* ---- samples: (send time, latency) pairs, appended by one thread ------- */
typedef struct samples {
    int64_t *sent, *lat;
    size_t n, cap;
} samples;

static void samples_add(samples *s, int64_t sent, int64_t lat)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 65536;
        s->sent = realloc(s->sent, s->cap * sizeof *s->sent);
        s->lat = realloc(s->lat, s->cap * sizeof *s->lat);
        if (!s->sent || !s->lat) die("out of memory");
    }
    s->sent[s->n] = sent;
    s->lat[s->n++] = lat;
}

/* window end (ms) -> send time of the first event with et >= end */
#define WRING 65536
static struct {
    _Atomic int64_t end, sent_ns;
} wclose[WRING];

/* ---- sockets ------------------------------------------------------------ */
static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || getsockname(fd, (struct sockaddr *)&a, &al) < 0)
        die("cannot find a free port");
    int p = ntohs(a.sin_port);
    close(fd);
    return p;
}

static int connect_port(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        if (fd >= 0) close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* ---- WebSocket client ------------------------------------------------- */
typedef struct wsc {
    int fd;
    char *buf;
    size_t len, pos, cap;
    int64_t recv_ns; /* monotonic time of the last recv() */
    char *held;      /* byte overwritten by the last message's NUL, and its value */
    char held_byte;
} wsc;

/* Read more bytes; 1 ok, 0 closed/error. */
static int ws_read(wsc *c)
{
    if (c->held) {
        *c->held = c->held_byte;
        c->held = NULL;
    }
    if (c->pos > 0) {
        memmove(c->buf, c->buf + c->pos, c->len - c->pos);
        c->len -= c->pos;
        c->pos = 0;
    }
    if (c->cap - c->len < 65536) {
        c->cap = c->cap * 2 + 65536;
        c->buf = realloc(c->buf, c->cap);
        if (!c->buf) die("out of memory");
    }
    ssize_t n;
    do n = recv(c->fd, c->buf + c->len, c->cap - c->len - 1, 0);
    while (n < 0 && errno == EINTR);
    c->recv_ns = mono_ns();
    if (n <= 0) return 0;
    c->len += (size_t)n;
    c->buf[c->len] = 0;
    return 1;
}

static int ws_connect(wsc *c, const char *sink)
{
    memset(c, 0, sizeof *c);
    c->fd = connect_port(http_port);
    if (c->fd < 0) return -1;
    unsigned char raw[16];
    if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) return -1;
    char key[32], req[512];
    ed_base64(raw, sizeof raw, key);
    int n = snprintf(req, sizeof req,
                     "GET /ws/%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
                     sink, http_port, key);
    if (send_all(c->fd, req, (size_t)n) < 0) return -1;
    char *end;
    while (!(c->buf && (end = strstr(c->buf, "\r\n\r\n"))))
        if (!ws_read(c)) return -1;
    char cat[128], want[32];
    uint8_t dig[20];
    int cl = snprintf(cat, sizeof cat, "%s258EAFA5-E914-47DA-95CA-C5AB0DC85B11", key);
    ed_sha1(cat, (size_t)cl, dig);
    ed_base64(dig, 20, want);
    *end = 0;
    if (strncmp(c->buf, "HTTP/1.1 101", 12) != 0 || !strcasestr(c->buf, want)) {
        fprintf(stderr, "eddy-latency: bad handshake from /ws/%s:\n%s\n", sink, c->buf);
        return -1;
    }
    c->pos = (size_t)(end - c->buf) + 4;
    return 0;
}

/* Next complete text message (NUL-terminated in place); NULL on close. */
static char *ws_next(wsc *c)
{
    if (c->held) {
        *c->held = c->held_byte;
        c->held = NULL;
    }
    for (;;) {
        size_t avail = c->len - c->pos;
        unsigned char *h = (unsigned char *)c->buf + c->pos;
        if (avail >= 2) {
            int op = h[0] & 0x0f;
            uint64_t len = h[1] & 0x7f;
            size_t hl = 2;
            if (len == 126) hl = 4;
            else if (len == 127) hl = 10;
            if (h[1] & 0x80) die("server frame is masked (RFC 6455 5.1)");
            if (!(h[0] & 0x80)) die("fragmented frame (eddy sends one frame per row)");
            if (avail >= hl) {
                if (len == 126) len = (uint64_t)h[2] << 8 | h[3];
                else if (len == 127) {
                    len = 0;
                    for (int i = 0; i < 8; i++) len = len << 8 | h[2 + i];
                }
                if (avail >= hl + len) {
                    char *p = (char *)h + hl;
                    c->pos += hl + (size_t)len;
                    if (op == 8) return NULL;
                    if (op != 1) continue; /* pings etc.: eddy sends none */
                    c->held = p + len; /* the next frame's first byte: restored on the next call */
                    c->held_byte = p[len];
                    p[len] = 0;
                    return p;
                }
            }
        }
        if (!ws_read(c)) return NULL;
    }
}

/* ---- threads ------------------------------------------------------------ */
static void *sender(void *arg)
{
    (void)arg;
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    int fd = connect_port(tcp_port);
    if (fd < 0) die("cannot connect to the tcp source");
    char *buf = malloc(1 << 20);
    int64_t total_ns = (int64_t)((warmup + runs * seconds) * 1e9);
    int64_t id = 0, last_win = 0;
    t_start = mono_ns();
    for (;;) {
        int64_t now = mono_ns() - t_start;
        if (now >= total_ns) break;
        int64_t due = (int64_t)((double)now * rate / 1e9) + 1;
        size_t off = 0;
        int64_t ts = mono_ns(), et = wall_ms();
        int64_t win = et / window_ms;
        if (win != last_win) { /* this write's events close window ending at win*window_ms */
            int64_t e = win * window_ms;
            atomic_store(&wclose[win % WRING].sent_ns, ts);
            atomic_store(&wclose[win % WRING].end, e);
            last_win = win;
        }
        long pass = 0;
        while (id < due && off < (1 << 20) - 200) {
            off += (size_t)sprintf(buf + off, "{\"id\":%lld,\"k\":%d,\"sent\":%lld,\"et\":%lld}\n", (long long)id,
                                   (int)(id % 10), (long long)ts, (long long)et);
            if (id % 10 == 0 && ts - t_start >= (int64_t)(warmup * 1e9)) pass++;
            id++;
        }
        if (off && send_all(fd, buf, off) < 0) die("the tcp source closed the connection");
        atomic_fetch_add(&filter_expected, pass);
        atomic_store(&events_sent, (long)id);
        /* sleep until the next event is due (at least ~50 µs: batches of
         * a few events at 100 K/s, like a real producer's small writes) */
        int64_t next = (int64_t)((double)id * 1e9 / rate);
        int64_t wait = next - (mono_ns() - t_start);
        if (wait < 50000) wait = 50000;
        struct timespec sl = {0, (long)wait};
        if (wait >= 1000000000) sl = (struct timespec){1, 0};
        nanosleep(&sl, NULL);
    }
    atomic_store(&sending_done, true);
    /* let the last rows through, then close */
    usleep(300000);
    close(fd);
    free(buf);
    return NULL;
}

typedef struct recv_arg {
    const char *sink;
    bool window;
    wsc c;
    samples s;
    long rows, unmatched;
} recv_arg;

static void *receiver(void *arg)
{
    recv_arg *r = arg;
    char *msg;
    while ((msg = ws_next(&r->c))) {
        int64_t now = r->c.recv_ns;
        if (!r->window) {
            const char *p = strstr(msg, "\"sent\":");
            if (!p) continue;
            int64_t sent = strtoll(p + 7, NULL, 10);
            r->rows++;
            samples_add(&r->s, sent, now - sent);
        } else {
            const char *p = strstr(msg, "\"window_end\":\"");
            int64_t end;
            if (!p || ed_ts_parse(p + 14, strcspn(p + 14, "\""), &end) < 0) continue;
            r->rows++;
            int64_t w = end / window_ms;
            if (atomic_load(&wclose[w % WRING].end) != end) {
                r->unmatched++;
                continue;
            }
            int64_t sent = atomic_load(&wclose[w % WRING].sent_ns);
            samples_add(&r->s, sent, now - sent);
        }
    }
    return NULL;
}

/* ---- statistics --------------------------------------------------------- */
static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static double pct(const int64_t *v, size_t n, double p)
{
    if (!n) return 0;
    size_t i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
    return (double)v[i] / 1000.0;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

#define NP 5
static const double PS[NP] = {50, 90, 99, 99.9, 100};
static const char *PN[NP] = {"p50", "p90", "p99", "p999", "max"};

/* Per-run percentiles, median over runs; all measured latencies into all. */
static void report(const char *kind, const samples *s, samples *all)
{
    double per[64][NP];
    size_t counts[64];
    int64_t t0 = t_start + (int64_t)(warmup * 1e9);
    int64_t *tmp = malloc((s->n + 1) * sizeof *tmp);
    for (int r = 0; r < runs && r < 64; r++) {
        int64_t a = t0 + (int64_t)(r * seconds * 1e9), b = t0 + (int64_t)((r + 1) * seconds * 1e9);
        size_t n = 0;
        for (size_t i = 0; i < s->n; i++)
            if (s->sent[i] >= a && s->sent[i] < b) {
                tmp[n++] = s->lat[i];
                samples_add(all, s->sent[i], s->lat[i]);
            }
        qsort(tmp, n, sizeof *tmp, cmp_i64);
        counts[r] = n;
        printf("%-6s run %d: %7zu rows  ", kind, r + 1, n);
        for (int k = 0; k < NP; k++) {
            per[r][k] = pct(tmp, n, PS[k]);
            printf(" %s %.0f µs", PN[k], per[r][k]);
        }
        printf("\n");
    }
    free(tmp);
    double med[NP];
    for (int k = 0; k < NP; k++) {
        double col[64];
        for (int r = 0; r < runs; r++) col[r] = per[r][k];
        qsort(col, (size_t)runs, sizeof *col, cmp_d);
        med[k] = runs % 2 ? col[runs / 2] : (col[runs / 2 - 1] + col[runs / 2]) / 2;
    }
    size_t rows = 0;
    for (int r = 0; r < runs; r++) rows += counts[r];
    printf("RESULT mode=latency kind=%s rate=%.0f runs=%d seconds=%g rows=%zu", kind, rate, runs, seconds, rows);
    for (int k = 0; k < NP; k++) printf(" %s_us=%.1f", PN[k], med[k]);
    printf("\n");
}

/* complementary distribution: latency µs, fraction of rows with latency >= it */
static void write_hist(FILE *f, const char *kind, samples *all)
{
    qsort(all->lat, all->n, sizeof *all->lat, cmp_i64);
    fprintf(f, "# %s: latency_us fraction_ge (%zu rows)\n", kind, all->n);
    double last = -1;
    for (size_t i = 0; i < all->n; i++) {
        double us = (double)all->lat[i] / 1000.0;
        /* one point per 1 % step in log space, plus the whole tail */
        if (last >= 0 && us < last * 1.01 && all->n - i > 20) continue;
        fprintf(f, "%.2f %.8f\n", us, (double)(all->n - i) / (double)all->n);
        last = us;
    }
    fprintf(f, "\n\n");
}

/* ---- main -------------------------------------------------------------- */
static pid_t server_pid;

static void stop_server(void)
{
    if (server_pid > 0) {
        kill(server_pid, SIGTERM);
        waitpid(server_pid, NULL, 0);
        server_pid = 0;
    }
}

int main(int argc, char **argv)
{
    const char *eddy = NULL, *hist = NULL;
    for (int i = 1; i < argc; i += 2) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) {
            fprintf(stderr, "usage: eddy-latency --eddy PATH [--rate N] [--seconds S] [--runs R] [--warmup S] "
                            "[--window-ms W] [--hist FILE]\n");
            return 2;
        }
        if (!strcmp(a, "--eddy")) eddy = v;
        else if (!strcmp(a, "--rate")) rate = atof(v);
        else if (!strcmp(a, "--seconds")) seconds = atof(v);
        else if (!strcmp(a, "--runs")) runs = atoi(v);
        else if (!strcmp(a, "--warmup")) warmup = atof(v);
        else if (!strcmp(a, "--window-ms")) window_ms = atoi(v);
        else if (!strcmp(a, "--hist")) hist = v;
        else {
            fprintf(stderr, "eddy-latency: unknown option %s\n", a);
            return 2;
        }
    }
    if (!eddy || rate <= 0 || seconds <= 0 || runs < 1 || runs > 64 || warmup < 0 || window_ms < 1) {
        fprintf(stderr, "eddy-latency: --eddy PATH is required; rate, seconds > 0; runs 1..64; window-ms >= 1\n");
        return 2;
    }
    tcp_port = free_port();
    char dir[] = "/tmp/eddy-latency-XXXXXX";
    if (!mkdtemp(dir)) die("mkdtemp failed");
    char sql_path[64], log_path[64];
    snprintf(sql_path, sizeof sql_path, "%s/latency.sql", dir);
    snprintf(log_path, sizeof log_path, "%s/serve.log", dir);
    FILE *f = fopen(sql_path, "w");
    if (!f) die("cannot write the SQL file");
    fprintf(f,
            "CREATE STREAM ev (id BIGINT, k BIGINT, sent BIGINT, et TIMESTAMP,\n"
            "  WATERMARK FOR et AS et - INTERVAL '0' MILLISECOND)\n"
            "  WITH (connector = 'tcp', port = %d);\n"
            "CREATE SINK filter_out WITH (connector = 'websocket', max_queue_bytes = 67108864);\n"
            "CREATE SINK window_out WITH (connector = 'websocket');\n"
            "CREATE QUERY filter AS INSERT INTO filter_out SELECT id, sent FROM ev WHERE k = 0;\n"
            "CREATE QUERY win AS INSERT INTO window_out SELECT COUNT(*) AS n, window_end FROM ev\n"
            "  WINDOW TUMBLING (SIZE %d MILLISECONDS);\n",
            tcp_port, window_ms);
    fclose(f);
    server_pid = fork();
    if (server_pid < 0) die("fork failed");
    if (server_pid == 0) {
        int lf = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (lf >= 0) dup2(lf, 2);
        execl(eddy, eddy, "serve", "-f", sql_path, "--listen", "127.0.0.1:0", (char *)NULL);
        _exit(127);
    }
    atexit(stop_server);
    /* wait for "listening on http://127.0.0.1:PORT" */
    for (int tries = 0; tries < 200 && !http_port; tries++) {
        usleep(25000);
        FILE *lf = fopen(log_path, "r");
        char line[512];
        while (lf && fgets(line, sizeof line, lf)) {
            const char *p = strstr(line, "listening on http://127.0.0.1:");
            if (p) http_port = atoi(p + 30);
        }
        if (lf) fclose(lf);
        if (waitpid(server_pid, NULL, WNOHANG) == server_pid) {
            server_pid = 0;
            break;
        }
    }
    if (!http_port) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "cat %s >&2", log_path);
        if (system(cmd)) {}
        die("eddy serve did not start");
    }
    recv_arg rf = {.sink = "filter_out"}, rw = {.sink = "window_out", .window = true};
    if (ws_connect(&rf.c, rf.sink) < 0 || ws_connect(&rw.c, rw.sink) < 0) die("WebSocket connect failed");
    pthread_t ts, tf, tw;
    pthread_create(&tf, NULL, receiver, &rf);
    pthread_create(&tw, NULL, receiver, &rw);
    pthread_create(&ts, NULL, sender, NULL);
    pthread_join(ts, NULL);
    /* stop the server: its close frames end the receivers */
    stop_server();
    pthread_join(tf, NULL);
    pthread_join(tw, NULL);
    printf("eddy-latency: %ld events sent at %.0f/s over %.1f s; filter rows %ld of %ld expected after warmup "
           "(+ warmup rows); window rows %ld (%ld without a matching send)\n",
           atomic_load(&events_sent), rate, warmup + runs * seconds, rf.rows, atomic_load(&filter_expected),
           rw.rows, rw.unmatched);
    samples allf = {0}, allw = {0};
    report("filter", &rf.s, &allf);
    report("window", &rw.s, &allw);
    if (hist) {
        FILE *h = fopen(hist, "w");
        if (!h) die("cannot write the histogram file");
        write_hist(h, "filter", &allf);
        write_hist(h, "window", &allw);
        fclose(h);
    }
    unlink(sql_path);
    unlink(log_path);
    rmdir(dir);
    samples *all[] = {&rf.s, &rw.s, &allf, &allw};
    for (int i = 0; i < 4; i++) {
        free(all[i]->sent);
        free(all[i]->lat);
    }
    for (wsc *c = &rf.c; c; c = c == &rf.c ? &rw.c : NULL) {
        close(c->fd);
        free(c->buf);
    }
    if (rf.rows == 0 || rw.rows == 0) {
        fprintf(stderr, "eddy-latency: no rows received\n");
        return 1;
    }
    return 0;
}
