/* serve.c — `eddy serve`: the engine behind one HTTP port (control API,
 * WebSocket sinks via the connectors, Prometheus metrics), a 50 ms tick,
 * clean shutdown on SIGINT/SIGTERM, and the optional --state-dir: the
 * catalog (streams, sinks, queries) and checkpoints of their state
 * (checkpoint.h), both brought back after a restart. */
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../connectors/connectors.h"
#include "../connectors/http.h"
#include "../engine/engine.h"
#include "checkpoint.h"
#include "cli.h"

typedef struct serve {
    struct event_base *base;
    ed_http *http;
    ed_conn *conn;
    ed_engine *eng;
    const char *state_dir;
    ed_checkpoint *ckpt;
} serve;

static void reply_json(ed_http_req *req, int status, json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    ed_http_reply(req, status, "application/json", s ? s : "null", s ? strlen(s) : 4);
    free(s);
}

static void reply_error(ed_http_req *req, int status, const char *msg)
{
    json_t *j = json_pack("{s:s}", "error", msg);
    reply_json(req, status, j);
    json_decref(j);
}

/* Append the "sql" of every non-internal object of one kind. */
static void dump_kind(serve *sv, ed_object_kind kind, json_t *internal_sinks, ed_sb *out)
{
    json_t *list = ed_engine_list(sv->eng, kind);
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o) {
        if (json_is_true(json_object_get(o, "internal"))) continue;
        const char *sink = json_string_value(json_object_get(o, "sink"));
        if (kind == OBJ_QUERY && sink && json_object_get(internal_sinks, sink)) continue;
        const char *sql = json_string_value(json_object_get(o, "sql"));
        if (!sql || !*sql) continue;
        size_t n = strlen(sql);
        while (n > 0 && (sql[n - 1] == ';' || sql[n - 1] == ' ' || sql[n - 1] == '\n' || sql[n - 1] == '\t' ||
                         sql[n - 1] == '\r'))
            n--;
        ed_sb_append(out, sql, n);
        ed_sb_puts(out, ";\n");
    }
    json_decref(list);
}

/* Write DIR/catalog.sql atomically: tmp file, fsync, rename, fsync dir. */
static void save_catalog(serve *sv)
{
    if (!sv->state_dir) return;
    json_t *internal = json_object();
    json_t *sinks = ed_engine_list(sv->eng, OBJ_SINK);
    size_t i;
    json_t *o;
    json_array_foreach(sinks, i, o) {
        const char *n = json_string_value(json_object_get(o, "name"));
        if (n && json_is_true(json_object_get(o, "internal"))) json_object_set_new(internal, n, json_true());
    }
    json_decref(sinks);
    ed_sb sql = ED_SB_INIT;
    ed_sb_puts(&sql, "-- eddy catalog, written by eddy serve --state-dir; restored at start\n");
    dump_kind(sv, OBJ_STREAM, internal, &sql);
    dump_kind(sv, OBJ_SINK, internal, &sql);
    dump_kind(sv, OBJ_QUERY, internal, &sql);
    json_decref(internal);
    ed_sb tmp = ED_SB_INIT, dst = ED_SB_INIT;
    ed_sb_printf(&tmp, "%s/catalog.sql.tmp", sv->state_dir);
    ed_sb_printf(&dst, "%s/catalog.sql", sv->state_dir);
    int fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    bool ok = fd >= 0;
    for (size_t off = 0; ok && off < sql.len;) {
        ssize_t w = write(fd, sql.buf + off, sql.len - off);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) ok = false;
        else off += (size_t)w;
    }
    if (ok && fsync(fd) < 0) ok = false;
    if (fd >= 0 && close(fd) < 0) ok = false;
    if (ok && rename(tmp.buf, dst.buf) < 0) ok = false;
    if (!ok) {
        ed_cli_err("cannot write %s: %s", dst.buf, strerror(errno));
        unlink(tmp.buf);
    } else {
        int dfd = open(sv->state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
    }
    ed_sb_free(&tmp);
    ed_sb_free(&dst);
    ed_sb_free(&sql);
}

/* True if an ok result of this batch created or dropped something. */
static bool changed_catalog(json_t *res)
{
    size_t i;
    json_t *r;
    json_array_foreach(res, i, r) {
        if (!json_is_true(json_object_get(r, "ok"))) continue;
        const char *st = json_string_value(json_object_get(r, "statement"));
        if (st && (!strncmp(st, "CREATE", 6) || !strncmp(st, "DROP", 4))) return true;
    }
    return false;
}

static bool all_ok(json_t *res)
{
    size_t i;
    json_t *r;
    json_array_foreach(res, i, r)
        if (!json_is_true(json_object_get(r, "ok"))) return false;
    return true;
}

static void on_statements(ed_http_req *req, void *ctx)
{
    serve *sv = ctx;
    if (strcmp(ed_http_req_method(req), "POST") != 0) {
        reply_error(req, 405, "use POST with the statements as the body");
        return;
    }
    size_t len = 0;
    const char *body = ed_http_req_body(req, &len);
    json_t *res = ed_engine_exec(sv->eng, body ? body : "", body ? len : 0);
    if (changed_catalog(res)) save_catalog(sv);
    reply_json(req, all_ok(res) ? 200 : 400, res);
    json_decref(res);
}

static void on_list(ed_http_req *req, ed_engine *e, ed_object_kind kind)
{
    if (strcmp(ed_http_req_method(req), "GET") != 0) {
        reply_error(req, 405, "method not allowed");
        return;
    }
    json_t *l = ed_engine_list(e, kind);
    reply_json(req, 200, l);
    json_decref(l);
}

static void on_streams(ed_http_req *req, void *ctx) { on_list(req, ((serve *)ctx)->eng, OBJ_STREAM); }
static void on_sinks(ed_http_req *req, void *ctx) { on_list(req, ((serve *)ctx)->eng, OBJ_SINK); }

static void on_queries(ed_http_req *req, void *ctx)
{
    serve *sv = ctx;
    const char *path = ed_http_req_path(req);
    const char *name = path + strlen("/api/v1/queries");
    while (*name == '/') name++;
    const char *m = ed_http_req_method(req);
    if (!*name) {
        on_list(req, sv->eng, OBJ_QUERY);
        return;
    }
    if (!strcmp(m, "GET")) {
        json_t *q = ed_engine_query_info(sv->eng, name);
        if (!q) {
            char msg[300];
            snprintf(msg, sizeof msg, "no query named '%.200s'", name);
            reply_error(req, 404, msg);
            return;
        }
        reply_json(req, 200, q);
        json_decref(q);
    } else if (!strcmp(m, "DELETE")) {
        char err[512];
        if (ed_engine_drop_query(sv->eng, name, err, sizeof err) < 0) {
            json_t *qi = ed_engine_query_info(sv->eng, name);
            reply_error(req, qi ? 400 : 404, err);
            json_decref(qi);
            return;
        }
        save_catalog(sv);
        json_t *j = json_pack("{s:b,s:s}", "ok", 1, "dropped", name);
        reply_json(req, 200, j);
        json_decref(j);
    } else {
        reply_error(req, 405, "method not allowed");
    }
}

static void on_metrics(ed_http_req *req, void *ctx)
{
    serve *sv = ctx;
    ed_sb sb = ED_SB_INIT;
    ed_engine_metrics(sv->eng, &sb);
    ed_conn_metrics(sv->conn, &sb);
    if (sv->ckpt) ed_checkpoint_metrics(sv->ckpt, &sb);
    ed_http_reply(req, 200, "text/plain; version=0.0.4", sb.buf ? sb.buf : "", sb.len);
    ed_sb_free(&sb);
}

static void on_healthz(ed_http_req *req, void *ctx)
{
    ed_http_reply(req, 200, "text/plain", "ok\n", 3);
}

static void on_tick(evutil_socket_t fd, short what, void *ctx)
{
    ed_engine_tick(((serve *)ctx)->eng);
}

static void on_signal(evutil_socket_t sig, short what, void *ctx)
{
    serve *sv = ctx;
    fprintf(stderr, "eddy: %s received, shutting down\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    event_base_loopbreak(sv->base);
}

/* Run a file's statements at start; print errors; -1 if any failed. */
static int run_file(serve *sv, const char *path)
{
    ed_sb text = ED_SB_INIT;
    if (ed_cli_read_file(path, &text) < 0) return -1;
    json_t *res = ed_engine_exec(sv->eng, text.buf, text.len);
    ed_sb_free(&text);
    int rc = 0;
    size_t i;
    json_t *r;
    json_array_foreach(res, i, r) {
        if (json_is_true(json_object_get(r, "ok"))) continue;
        const char *d = json_string_value(json_object_get(r, "detail"));
        const char *m = json_string_value(json_object_get(r, "error"));
        fprintf(stderr, "eddy: %s: statement failed\n", path);
        if (d && *d) fprintf(stderr, "%s%s", d, d[strlen(d) - 1] == '\n' ? "" : "\n");
        else fprintf(stderr, "error: %s\n", m ? m : "?");
        rc = -1;
    }
    json_decref(res);
    return rc;
}

static int parse_listen(const char *s, char *host, size_t hostlen, int *port)
{
    const char *colon = strrchr(s, ':');
    const char *p = colon ? colon + 1 : s;
    char *end;
    long v = strtol(p, &end, 10);
    if (!*p || *end || v < 0 || v > 65535) return -1;
    *port = (int)v;
    if (colon) {
        size_t n = (size_t)(colon - s);
        if (n >= hostlen) return -1;
        if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
            memcpy(host, s + 1, n - 2);
            host[n - 2] = 0;
        } else {
            memcpy(host, s, n);
            host[n] = 0;
        }
        if (!*host) snprintf(host, hostlen, "0.0.0.0");
    } else {
        snprintf(host, hostlen, "127.0.0.1");
    }
    return 0;
}

static const char serve_help[] =
    "usage: eddy serve [-f FILE.sql]... [--listen HOST:PORT] [--state-dir DIR] [--checkpoint-interval S]\n"
    "Runs the engine. One HTTP port serves the control API (/api/v1/...),\n"
    "WebSocket sinks (/ws/NAME) and Prometheus metrics (/metrics).\n"
    "  -f FILE.sql          run the statements in FILE at start (repeatable)\n"
    "  --listen HOST:PORT   listen address (default 127.0.0.1:7070; port 0 = any)\n"
    "  --state-dir DIR      keep the catalog (DIR/catalog.sql) and checkpoints of the\n"
    "                       queries' state and Kafka offsets (DIR/checkpoint);\n"
    "                       both are restored at start\n"
    "  --checkpoint-interval S  seconds between checkpoints (default 10; one more is\n"
    "                       written at SIGINT/SIGTERM)\n";

int ed_cmd_serve(int argc, char **argv)
{
    const char *listen = "127.0.0.1:7070";
    const char *state_dir = NULL;
    double ckpt_s = 10;
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(serve_help, stdout);
            free(files);
            return 0;
        } else if (!strcmp(a, "-f") || !strcmp(a, "--file")) {
            if (!val) goto missing;
            files[nfiles++] = val;
            i++;
        } else if (!strcmp(a, "--listen")) {
            if (!val) goto missing;
            listen = val;
            i++;
        } else if (!strncmp(a, "--listen=", 9)) {
            listen = a + 9;
        } else if (!strcmp(a, "--state-dir")) {
            if (!val) goto missing;
            state_dir = val;
            i++;
        } else if (!strncmp(a, "--state-dir=", 12)) {
            state_dir = a + 12;
        } else if (!strcmp(a, "--checkpoint-interval")) {
            if (!val) goto missing;
            char *end;
            double v = strtod(val, &end);
            if (*end || !(v >= 0.01 && v <= 86400)) {
                ed_cli_err("serve: --checkpoint-interval expects seconds between 0.01 and 86400, got '%s'", val);
                free(files);
                return 2;
            }
            ckpt_s = v;
            i++;
        } else {
            ed_cli_err("serve: unknown argument '%s' (try 'eddy serve --help')", a);
            free(files);
            return 2;
        }
        continue;
    missing:
        ed_cli_err("serve: %s needs a value", a);
        free(files);
        return 2;
    }
    char host[256];
    int port;
    if (parse_listen(listen, host, sizeof host, &port) < 0) {
        ed_cli_err("serve: invalid --listen address '%s' (expected HOST:PORT)", listen);
        free(files);
        return 2;
    }
    if (state_dir) {
        struct stat st;
        if (stat(state_dir, &st) < 0 && mkdir(state_dir, 0755) < 0) {
            ed_cli_err("cannot create state directory %s: %s", state_dir, strerror(errno));
            free(files);
            return 1;
        }
    }
    signal(SIGPIPE, SIG_IGN);
    /* every producer, WebSocket client and Kafka broker connection is a
     * descriptor: take the hard limit, not the (often 1024) soft one */
    struct rlimit nofile;
    if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
        nofile.rlim_cur = nofile.rlim_max;
        setrlimit(RLIMIT_NOFILE, &nofile);
    }
    serve sv = {0};
    sv.state_dir = state_dir;
    sv.base = event_base_new();
    char err[512] = "";
    sv.http = ed_http_new(sv.base, host, port, err, sizeof err);
    if (!sv.http) {
        ed_cli_err("%s", *err ? err : "cannot listen");
        event_base_free(sv.base);
        free(files);
        return 1;
    }
    sv.conn = ed_conn_new(sv.base, sv.http);
    sv.eng = ed_engine_new(&ed_conn_host_ops, sv.conn);
    ed_conn_set_engine(sv.conn, sv.eng);
    if (state_dir) {
        ed_conn_set_checkpointing(sv.conn, true);
        sv.ckpt = ed_checkpoint_new(sv.base, sv.eng, sv.conn, state_dir, (int64_t)(ckpt_s * 1000));
    }
    ed_http_route(sv.http, NULL, "/api/v1/statements", on_statements, &sv);
    ed_http_route(sv.http, NULL, "/api/v1/streams", on_streams, &sv);
    ed_http_route(sv.http, NULL, "/api/v1/sinks", on_sinks, &sv);
    ed_http_route(sv.http, NULL, "/api/v1/queries", on_queries, &sv);
    ed_http_route(sv.http, "GET", "/metrics", on_metrics, &sv);
    ed_http_route(sv.http, "GET", "/healthz", on_healthz, &sv);

    int rc = 0;
    if (state_dir) {
        ed_sb path = ED_SB_INIT;
        ed_sb_printf(&path, "%s/catalog.sql", state_dir);
        if (access(path.buf, F_OK) == 0) {
            if (run_file(&sv, path.buf) < 0) rc = 1;
            else fprintf(stderr, "eddy: restored catalog from %s\n", path.buf);
        }
        ed_sb_free(&path);
        if (rc == 0 && ed_checkpoint_restore(sv.ckpt, err, sizeof err) < 0) {
            ed_cli_err("cannot restore the checkpoint: %s", err);
            ed_cli_err("refusing to start with part of the state; move %s/checkpoint away to start from "
                       "the catalog alone (Kafka sources then resume at their committed offsets)",
                       state_dir);
            rc = 1;
        }
    }
    for (int i = 0; i < nfiles && rc == 0; i++)
        if (run_file(&sv, files[i]) < 0) rc = 1;
    if (rc == 0 && nfiles > 0) save_catalog(&sv);

    struct event *tick = NULL, *sigint = NULL, *sigterm = NULL;
    if (rc == 0) {
        tick = event_new(sv.base, -1, EV_PERSIST, on_tick, &sv);
        struct timeval tv = {0, 50000};
        event_add(tick, &tv);
        sigint = evsignal_new(sv.base, SIGINT, on_signal, &sv);
        sigterm = evsignal_new(sv.base, SIGTERM, on_signal, &sv);
        event_add(sigint, NULL);
        event_add(sigterm, NULL);
        if (sv.ckpt) ed_checkpoint_start(sv.ckpt);
        fprintf(stderr, "eddy: listening on http://%s:%d (control API /api/v1, WebSocket sinks /ws/NAME, /metrics)\n",
                host, ed_http_port(sv.http));
        event_base_dispatch(sv.base);
        if (sv.ckpt) ed_checkpoint_final(sv.ckpt);
    }
    if (tick) event_free(tick);
    if (sigint) event_free(sigint);
    if (sigterm) event_free(sigterm);
    ed_checkpoint_free(sv.ckpt);
    ed_engine_free(sv.eng);
    ed_conn_free(sv.conn);
    ed_http_free(sv.http);
    event_base_free(sv.base);
    free(files);
    return rc;
}
