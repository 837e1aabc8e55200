/* test_serve_host.c — the serve host with the real engine and event loop:
 * file source (good, malformed, oversized lines, dead letters, final line
 * without newline) into a file sink; tcp source with oversized lines skipped
 * without losing the next line, and two producers writing megabytes at once
 * in pieces that cut lines anywhere, max_connections, and running out of
 * descriptors without spinning; generator; option errors. Loops are bounded
 * by a progress condition, never by timing assertions. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include "connectors/connectors.h"
#include "connectors/net.h"

static int failures;
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c); failures++; } } while (0)

static struct event_base *base;
static ed_engine *eng;
static char dir[] = "/tmp/eddy-host-XXXXXX";

/* Run statements; return 1 if all ok, else 0 with the first error in err. */
static int run(const char *sql, char *err, size_t errlen)
{
    json_t *r = ed_engine_exec(eng, sql, strlen(sql));
    int ok = 1;
    size_t i;
    json_t *o;
    json_array_foreach(r, i, o) {
        if (!json_is_true(json_object_get(o, "ok"))) {
            ok = 0;
            if (err) snprintf(err, errlen, "%s", json_string_value(json_object_get(o, "error")));
            break;
        }
    }
    json_decref(r);
    return ok;
}

static int count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    int n = 0, c;
    while ((c = fgetc(f)) != EOF) n += c == '\n';
    fclose(f);
    return n;
}

/* Spin the loop until cond or a generous iteration bound (~20 s). */
#define SPIN_UNTIL(cond) do { for (int _i = 0; _i < 2000 && !(cond); _i++) { \
    struct timeval _tv = {0, 10000}; event_base_loopexit(base, &_tv); event_base_dispatch(base); } } while (0)
/* run the loop for 10 ms */
static void spin_once(void)
{
    struct timeval tv = {0, 10000};
    event_base_loopexit(base, &tv);
    event_base_dispatch(base);
}

static void test_file_source(void)
{
    char in[256], out[256], dl[256], sql[2048];
    snprintf(in, sizeof in, "%s/in.jsonl", dir);
    snprintf(out, sizeof out, "%s/out.jsonl", dir);
    snprintf(dl, sizeof dl, "%s/dead.jsonl", dir);
    FILE *f = fopen(in, "w");
    fputs("{\"id\":1,\"msg\":\"a\"}\n", f);
    fputs("not json\n", f);
    fputs("{\"id\":\"2\",\"msg\":\"b\"}\r\n", f);
    fputs("\n", f);
    fprintf(f, "{\"id\":3,\"msg\":\"%0200d\"}\n", 0); /* longer than max_event_bytes */
    for (int i = 4; i < 3000; i++) fprintf(f, "{\"id\":%d,\"msg\":\"m%d\"}\n", i, i); /* > one 64 KiB chunk */
    fputs("{\"id\":3000,\"msg\":\"last\"}", f); /* no newline at EOF */
    fclose(f);
    char err[512] = "";
    snprintf(sql, sizeof sql,
             "CREATE STREAM fs (id BIGINT, msg VARCHAR) WITH (connector='file', path='%s', max_event_bytes=100, dead_letter='%s');"
             "CREATE SINK fo WITH (connector='file', path='%s');"
             "CREATE QUERY fq AS INSERT INTO fo SELECT id, msg FROM fs;",
             in, dl, out);
    CHECK(run(sql, err, sizeof err));
    if (err[0]) fprintf(stderr, "error: %s\n", err);
    SPIN_UNTIL(count_lines(out) >= 2998);
    CHECK(count_lines(out) == 2998);
    ed_stream_def *s = ed_engine_stream(eng, "fs");
    CHECK(s && s->decode_errors == 3);
    CHECK(count_lines(dl) == 3);
    f = fopen(out, "r");
    char line[256];
    CHECK(f && fgets(line, sizeof line, f) && strcmp(line, "{\"id\":1,\"msg\":\"a\"}\n") == 0);
    char last[256] = "";
    while (f && fgets(line, sizeof line, f)) strcpy(last, line);
    CHECK(strcmp(last, "{\"id\":3000,\"msg\":\"last\"}\n") == 0);
    if (f) fclose(f);
    f = fopen(dl, "r");
    CHECK(f && fgets(line, sizeof line, f));
    json_t *j = json_loads(line, 0, NULL);
    CHECK(j && strcmp(json_string_value(json_object_get(j, "stream")), "fs") == 0 &&
          strcmp(json_string_value(json_object_get(j, "line")), "not json") == 0);
    json_decref(j);
    CHECK(f && fgets(line, sizeof line, f) && strstr(line, "field 'id': expected BIGINT, got string"));
    CHECK(f && fgets(line, sizeof line, f) && strstr(line, "max_event_bytes"));
    if (f) fclose(f);
    CHECK(run("DROP QUERY fq;", err, sizeof err));
}

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, (struct sockaddr *)&a, sizeof a);
    socklen_t l = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &l);
    close(fd);
    return ntohs(a.sin_port);
}

/* follow = 'true': lines appended after the start are read, a line written
 * in two parts is read once complete. */
static void test_file_follow(void)
{
    char in[256], out[256], sql[1024], err[512] = "";
    snprintf(in, sizeof in, "%s/follow.jsonl", dir);
    snprintf(out, sizeof out, "%s/follow_out.jsonl", dir);
    FILE *f = fopen(in, "w");
    CHECK(f != NULL);
    if (!f) return;
    fputs("{\"id\":1}\n", f);
    fflush(f);
    snprintf(sql, sizeof sql,
             "CREATE STREAM ff (id BIGINT) WITH (connector='file', path='%s', follow='true');"
             "CREATE SINK ffo WITH (connector='file', path='%s');"
             "CREATE QUERY ffq AS INSERT INTO ffo SELECT id FROM ff;",
             in, out);
    CHECK(run(sql, err, sizeof err));
    if (err[0]) fprintf(stderr, "error: %s\n", err);
    SPIN_UNTIL(count_lines(out) >= 1);
    CHECK(count_lines(out) == 1);
    fputs("{\"id\":2}\n{\"id\":", f); /* the second line is unfinished */
    fflush(f);
    SPIN_UNTIL(count_lines(out) >= 2);
    CHECK(count_lines(out) == 2);
    fputs("3}\n", f);
    fflush(f);
    SPIN_UNTIL(count_lines(out) >= 3);
    CHECK(count_lines(out) == 3);
    fclose(f);
    f = fopen(out, "r");
    char line[64];
    CHECK(f && fgets(line, sizeof line, f) && fgets(line, sizeof line, f) && fgets(line, sizeof line, f) &&
          strcmp(line, "{\"id\":3}\n") == 0);
    if (f) fclose(f);
    CHECK(run("DROP QUERY ffq; DROP SINK ffo; DROP STREAM ff;", err, sizeof err));
    if (err[0]) fprintf(stderr, "error: %s\n", err);
}

static void test_tcp_source(void)
{
    char out[256], sql[1024], err[512] = "";
    snprintf(out, sizeof out, "%s/tcp.jsonl", dir);
    int port = free_port();
    snprintf(sql, sizeof sql,
             "CREATE STREAM ts (id BIGINT) WITH (connector='tcp', port=%d, max_event_bytes=64);"
             "CREATE SINK tout WITH (connector='file', path='%s');"
             "CREATE QUERY tq AS INSERT INTO tout SELECT id FROM ts;",
             port, out);
    CHECK(run(sql, err, sizeof err));
    /* port already in use -> the CREATE fails with a clear error */
    snprintf(sql, sizeof sql, "CREATE STREAM ts2 (id BIGINT) WITH (connector='tcp', port=%d);", port);
    CHECK(!run(sql, err, sizeof err) && strstr(err, "already in use"));
    CHECK(ed_engine_stream(eng, "ts2") == NULL);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(connect(fd, (struct sockaddr *)&a, sizeof a) == 0);
    /* a 1 MB line (oversized) between two good lines: skipped, nothing lost */
    CHECK(write(fd, "{\"id\":1}\n{\"id\":", 15) == 15);
    char *big = malloc(1 << 20);
    memset(big, '7', 1 << 20);
    size_t off = 0;
    while (off < (1u << 20)) {
        ssize_t w = write(fd, big + off, (1u << 20) - off);
        if (w <= 0) break;
        off += (size_t)w;
        spin_once();
    }
    free(big);
    CHECK(write(fd, "}\n{\"id\":2}\n{\"id\":3}", 19) == 19); /* last line ends at EOF */
    close(fd);
    SPIN_UNTIL(count_lines(out) >= 3);
    CHECK(count_lines(out) == 3);
    ed_stream_def *s = ed_engine_stream(eng, "ts");
    CHECK(s && s->decode_errors == 1);
    CHECK(run("DROP QUERY tq;", err, sizeof err));
}

/* A tcp stream NAME (columns cols, extra options opts) on a free port,
 * copied by query NAMEq into file sink NAMEo at DIR/NAME.jsonl (out);
 * returns the port, or -1. tcp_pipeline_drop removes the three. */
static int tcp_pipeline(const char *name, const char *cols, const char *opts, char *out, size_t outlen)
{
    char sql[1024], err[512] = "";
    snprintf(out, outlen, "%s/%s.jsonl", dir, name);
    int port = free_port();
    snprintf(sql, sizeof sql,
             "CREATE STREAM %s (%s) WITH (connector='tcp', port=%d%s);"
             "CREATE SINK %so WITH (connector='file', path='%s');"
             "CREATE QUERY %sq AS INSERT INTO %so SELECT * FROM %s;",
             name, cols, port, opts, name, out, name, name, name);
    int ok = run(sql, err, sizeof err);
    CHECK(ok);
    if (!ok) fprintf(stderr, "error: %s\n", err);
    return ok ? port : -1;
}

static void tcp_pipeline_drop(const char *name)
{
    char sql[256], err[512] = "";
    snprintf(sql, sizeof sql, "DROP QUERY %sq; DROP SINK %so; DROP STREAM %s;", name, name, name);
    CHECK(run(sql, err, sizeof err));
}

/* Two connections at once, each 60 000 lines (~1.7 MB, several reads of
 * the source's buffer) written non-blocking in pieces of 1..70 000 bytes
 * that cut lines anywhere, interleaved: every line arrives once, and no
 * unfinished line of one connection is glued to the other's bytes (the
 * read buffer is shared by the connections of a stream). */
static void test_tcp_producers(void)
{
    enum { LINES = 60000 };
    char out[256];
    int port = tcp_pipeline("tp", "p BIGINT, id BIGINT", "", out, sizeof out);
    char *buf[2];
    size_t len[2] = {0, 0}, off[2] = {0, 0};
    int fd[2];
    for (int k = 0; k < 2; k++) {
        buf[k] = malloc((size_t)LINES * 40);
        for (int i = 0; i < LINES; i++)
            len[k] += (size_t)sprintf(buf[k] + len[k], "{\"id\":%d,\"p\":%d}\n", i * 2 + k, k);
        fd[k] = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {0};
        a.sin_family = AF_INET;
        a.sin_port = htons((uint16_t)port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        CHECK(connect(fd[k], (struct sockaddr *)&a, sizeof a) == 0);
        fcntl(fd[k], F_SETFL, O_NONBLOCK);
    }
    unsigned r = 12345;
    for (int spins = 0; (off[0] < len[0] || off[1] < len[1]) && spins < 100000; spins++) {
        for (int k = 0; k < 2; k++) {
            r = r * 1103515245u + 12345u;
            size_t want = 1 + (r >> 8) % 70000;
            if (want > len[k] - off[k]) want = len[k] - off[k];
            if (!want) continue;
            ssize_t w = write(fd[k], buf[k] + off[k], want);
            if (w > 0) off[k] += (size_t)w;
        }
        event_base_loop(base, EVLOOP_NONBLOCK);
    }
    CHECK(off[0] == len[0] && off[1] == len[1]);
    close(fd[0]);
    close(fd[1]);
    SPIN_UNTIL(count_lines(out) >= 2 * LINES);
    CHECK(count_lines(out) == 2 * LINES);
    /* each id once, from its own connection */
    char *seen = calloc(2 * LINES, 1);
    FILE *f = fopen(out, "r");
    char line[128];
    int bad = 0, n = 0;
    while (f && fgets(line, sizeof line, f)) {
        int p = -1, id = -1;
        if (sscanf(line, "{\"p\":%d,\"id\":%d}", &p, &id) != 2 || id < 0 || id >= 2 * LINES || id % 2 != p ||
            seen[id]++)
            bad++;
        n++;
    }
    if (f) fclose(f);
    CHECK(n == 2 * LINES && bad == 0);
    ed_stream_def *s = ed_engine_stream(eng, "tp");
    CHECK(s && s->decode_errors == 0 && s->events_in == 2 * LINES);
    free(seen);
    free(buf[0]);
    free(buf[1]);
    tcp_pipeline_drop("tp");
}

static int tcp_connect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* a number of a stream's connector_state (SHOW STREAMS / API view) */
static long long tcp_state(const char *stream, const char *field)
{
    json_t *l = ed_engine_list(eng, OBJ_STREAM);
    long long v = -1;
    size_t i;
    json_t *o;
    json_array_foreach(l, i, o) {
        if (strcmp(json_string_value(json_object_get(o, "name")), stream) == 0)
            v = json_integer_value(json_object_get(json_object_get(o, "connector_state"), field));
    }
    json_decref(l);
    return v;
}

/* max_connections = 2: a third producer is closed at once and counted; its
 * place is free again when one of the two leaves. */
static void test_tcp_max_connections(void)
{
    char out[256], err[512] = "";
    int port = tcp_pipeline("tm", "id BIGINT", ", max_connections=2", out, sizeof out);
    CHECK(!run("CREATE STREAM tm0 (id BIGINT) WITH (connector='tcp', port=1, max_connections=0);", err, sizeof err) &&
          strstr(err, "max_connections"));
    int a = tcp_connect(port), b = tcp_connect(port);
    SPIN_UNTIL(tcp_state("tm", "connections") == 2);
    int c = tcp_connect(port);
    SPIN_UNTIL(tcp_state("tm", "refused") == 1);
    CHECK(tcp_state("tm", "connections") == 2 && tcp_state("tm", "refused") == 1);
    char ch;
    ssize_t got = -1;
    for (int i = 0; i < 2000 && got < 0; i++) { /* the refused producer sees end of stream */
        got = recv(c, &ch, 1, MSG_DONTWAIT);
        if (got < 0) spin_once();
    }
    CHECK(got == 0);
    CHECK(write(a, "{\"id\":1}\n", 9) == 9 && write(b, "{\"id\":2}\n", 9) == 9);
    close(a);
    SPIN_UNTIL(count_lines(out) >= 2 && tcp_state("tm", "connections") == 1);
    int d = tcp_connect(port);
    CHECK(d >= 0 && write(d, "{\"id\":3}\n", 9) == 9);
    SPIN_UNTIL(count_lines(out) >= 3);
    CHECK(count_lines(out) == 3 && tcp_state("tm", "refused") == 1 && tcp_state("tm", "accepted") == 3);
    close(b);
    close(c);
    close(d);
    tcp_pipeline_drop("tm");
}

/* Out of descriptors: accept() fails with EMFILE while connections wait in
 * the backlog. The listener must pause instead of failing again on every
 * pass of the loop (libevent's own listener spun at 100 % CPU and wrote a
 * warning per pass: 5 M lines in a few seconds), then accept the waiting
 * producers once descriptors are back. */
static void test_tcp_out_of_fds(void)
{
    char out[256];
    int port = tcp_pipeline("tf", "id BIGINT", "", out, sizeof out);
    int saved_pause = ed_net_accept_pause_ms;
    ed_net_accept_pause_ms = 1000;
    /* two producers connect (the kernel completes them; eddy has not
     * accepted yet), then the limit drops to just above them and every free
     * descriptor below it is taken: accept() has none left */
    int a = tcp_connect(port), b = tcp_connect(port);
    CHECK(a >= 0 && b >= 0);
    struct rlimit old, low;
    CHECK(getrlimit(RLIMIT_NOFILE, &old) == 0);
    low = old;
    low.rlim_cur = (rlim_t)(a > b ? a : b) + 1;
    CHECK(setrlimit(RLIMIT_NOFILE, &low) == 0);
    int hold[64], nhold = 0;
    while (nhold < 64 && (hold[nhold] = open("/dev/null", O_RDONLY)) >= 0) nhold++;
    CHECK(nhold < 64 && errno == EMFILE); /* no descriptor left */
    CHECK(write(a, "{\"id\":7}\n", 9) == 9);
    for (int i = 0; i < 200; i++) event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
    long long errors = tcp_state("tf", "accept_errors");
    CHECK(errors >= 1 && errors <= 3); /* one per pause, not one per pass */
    CHECK(tcp_state("tf", "connections") == 0);
    CHECK(setrlimit(RLIMIT_NOFILE, &old) == 0);
    for (int i = 0; i < nhold; i++) close(hold[i]);
    SPIN_UNTIL(count_lines(out) >= 1); /* after the pause the waiting producers get in */
    CHECK(count_lines(out) == 1 && tcp_state("tf", "connections") == 2);
    ed_net_accept_pause_ms = saved_pause;
    close(a);
    close(b);
    tcp_pipeline_drop("tf");
}

/* A connection that never completes its request, idle or trickling, is
 * answered 408 and closed once ed_http_timeout_ms has passed, instead of
 * holding its descriptor for ever. */
static void test_http_timeout(int port)
{
    int saved = ed_http_timeout_ms;
    ed_http_timeout_ms = 200;
    int fd = tcp_connect(port);
    CHECK(fd >= 0 && write(fd, "GET /metrics HTT", 16) == 16);
    char buf[512];
    size_t n = 0;
    ssize_t got = -1;
    for (int i = 0; i < 2000 && got != 0; i++) { /* until the server closes */
        got = recv(fd, buf + n, sizeof buf - 1 - n, MSG_DONTWAIT);
        if (got > 0) n += (size_t)got;
        else if (got < 0) spin_once();
    }
    buf[n] = 0;
    CHECK(got == 0 && strncmp(buf, "HTTP/1.1 408 ", 13) == 0);
    close(fd);
    /* trickling a byte every ~50 ms (each read restarts a read timeout, not
     * this deadline) is answered 408 as well */
    fd = tcp_connect(port);
    CHECK(fd >= 0 && write(fd, "GET /metrics HTTP/1.1\r\nX-Slow: ", 31) == 31);
    n = 0;
    got = -1;
    for (int i = 0; i < 1000 && got != 0; i++) {
        if (i % 5 == 0 && send(fd, "a", 1, MSG_NOSIGNAL) != 1) break; /* the server closed */
        got = recv(fd, buf + n, sizeof buf - 1 - n, MSG_DONTWAIT);
        if (got > 0) n += (size_t)got;
        else if (got < 0) spin_once();
    }
    buf[n] = 0;
    CHECK(strncmp(buf, "HTTP/1.1 408 ", 13) == 0);
    close(fd);
    ed_http_timeout_ms = saved;
}

static void test_generator(void)
{
    char out[256], sql[1024], err[512] = "";
    snprintf(out, sizeof out, "%s/gen.jsonl", dir);
    snprintf(sql, sizeof sql,
             "CREATE STREAM g (device VARCHAR, temp DOUBLE, humidity DOUBLE, ts TIMESTAMP) WITH (connector='generator', rate=2000, seed=7);"
             "CREATE SINK gout WITH (connector='file', path='%s');"
             "CREATE QUERY gq AS INSERT INTO gout SELECT device, temp, ts FROM g;",
             out);
    CHECK(run(sql, err, sizeof err));
    SPIN_UNTIL(count_lines(out) >= 50);
    CHECK(count_lines(out) >= 50);
    FILE *f = fopen(out, "r");
    char line[256];
    CHECK(f && fgets(line, sizeof line, f));
    json_t *j = json_loads(line, 0, NULL);
    CHECK(j && !strncmp(json_string_value(json_object_get(j, "device")), "sensor-", 7) &&
          json_is_real(json_object_get(j, "temp")) && json_is_string(json_object_get(j, "ts")));
    json_decref(j);
    if (f) fclose(f);
    CHECK(ed_engine_stream(eng, "g")->decode_errors == 0);
    CHECK(run("DROP QUERY gq;", err, sizeof err));
}

static void test_option_errors(void)
{
    char err[512];
    CHECK(!run("CREATE STREAM e1 (id BIGINT) WITH (connector='tcp', prot=9000);", err, sizeof err) &&
          strstr(err, "unknown option 'prot'") && strstr(err, "did you mean 'port'"));
    CHECK(!run("CREATE STREAM e2 (id BIGINT) WITH (connector='tcp');", err, sizeof err) && strstr(err, "requires option 'port'"));
    CHECK(!run("CREATE STREAM e4 (id BIGINT) WITH (connector='file', path='/nonexistent/x.jsonl');", err, sizeof err) &&
          strstr(err, "cannot open"));
    CHECK(!run("CREATE STREAM e5 (id BIGINT) WITH (connector='file', path='/dev/null', follow='maybe');", err, sizeof err) &&
          strstr(err, "true or false"));
    CHECK(!run("CREATE STREAM e6 (id BIGINT) WITH (connector='generator', kind='stocks');", err, sizeof err) &&
          strstr(err, "unknown generator kind"));
    CHECK(!run("CREATE STREAM e7 (id BIGINT) WITH (connector='tcp', port=1, format='csv');", err, sizeof err) &&
          strstr(err, "format"));
    CHECK(!run("CREATE SINK k1 WITH (connector='file', path='/nonexistent/dir/out.jsonl');", err, sizeof err) &&
          strstr(err, "cannot open"));
    CHECK(!run("CREATE SINK k2 WITH (connector='websocket', max_queue=5);", err, sizeof err) &&
          strstr(err, "did you mean 'max_queue_bytes'"));
    CHECK(!run("CREATE SINK k3 WITH (connector='pigeon');", err, sizeof err) && strstr(err, "unknown sink connector"));
    CHECK(!run("CREATE SINK k4 WITH (connector='websocket', max_clients=0);", err, sizeof err) &&
          strstr(err, "'max_clients' must be 1..1000000"));
    CHECK(!run("CREATE SINK k5 WITH (connector='websocket', max_clients=1000001);", err, sizeof err) &&
          strstr(err, "'max_clients' must be 1..1000000"));
    CHECK(ed_engine_sink(eng, "k4") == NULL && ed_engine_sink(eng, "k5") == NULL);
    CHECK(ed_engine_stream(eng, "e1") == NULL && ed_engine_sink(eng, "k1") == NULL);
}

int main(void)
{
    CHECK(mkdtemp(dir) != NULL);
    base = event_base_new();
    char err[256];
    ed_http *http = ed_http_new(base, "127.0.0.1", 0, err, sizeof err);
    CHECK(http != NULL);
    ed_conn *c = ed_conn_new(base, http);
    eng = ed_engine_new(&ed_conn_host_ops, c);
    ed_conn_set_engine(c, eng);
    test_file_source();
    test_file_follow();
    test_tcp_source();
    test_tcp_producers();
    test_tcp_max_connections();
    test_tcp_out_of_fds();
    test_http_timeout(ed_http_port(http));
    test_generator();
    test_option_errors();
    ed_engine_free(eng);
    ed_conn_free(c);
    ed_http_free(http);
    event_base_free(base);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    if (failures) { fprintf(stderr, "%d failures\n", failures); return 1; }
    puts("test_serve_host: ok");
    return 0;
}
