/* shell.c — `eddy shell`: an interactive prompt (libedit: line editing and
 * history) that sends each ';'-terminated statement to the server. An
 * ad-hoc SELECT streams its rows until Ctrl-C and then drops its query.
 * When stdin is not a terminal, statements are read from stdin without a
 * prompt (scripts and tests). */
#include <editline/readline.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

/* True when text holds a complete statement: a ';' outside quotes and
 * comments, followed only by whitespace. */
static bool complete(const char *s, size_t n)
{
    bool inq = false, done = false;
    char q = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (inq) {
            if (c == q) inq = false;
            continue;
        }
        if (c == '\'' || c == '"') {
            inq = true;
            q = c;
            done = false;
        } else if (c == '-' && i + 1 < n && s[i + 1] == '-') {
            while (i < n && s[i] != '\n') i++;
        } else if (c == ';') {
            done = true;
        } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            done = false;
        }
    }
    return done;
}

static void stream_adhoc(const char *url, const char *query, const char *sink)
{
    fprintf(stderr, "-- streaming rows of %s; press Ctrl-C to stop\n", query);
    ed_cli_interrupted = 0;
    ed_cli_catch_sigint();
    char err[512];
    if (ed_ws_tail(url, sink, err, sizeof err) < 0 && !ed_cli_interrupted) ed_cli_err("%s", err);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    ed_cli_interrupted = 0;
    ed_sb path = ED_SB_INIT, resp = ED_SB_INIT;
    ed_sb_printf(&path, "/api/v1/queries/%s", query);
    int status = 0;
    if (ed_cli_http(url, "DELETE", path.buf, NULL, 0, &status, &resp, err, sizeof err) < 0) ed_cli_err("%s", err);
    else if (status == 200) fprintf(stderr, "-- stopped query %s\n", query);
    ed_sb_free(&path);
    ed_sb_free(&resp);
}

/* Send one statement batch; returns the number of failures (or 1 when the
 * server cannot be reached). */
static int send_text(const char *url, const char *text, size_t len)
{
    json_t *res = NULL;
    char err[512];
    if (ed_cli_post_statements(url, text, len, &res, err, sizeof err) < 0) {
        ed_cli_err("%s", err);
        return 1;
    }
    int failed = ed_render_results(res);
    size_t i;
    json_t *r;
    json_array_foreach(res, i, r) {
        const char *q = json_string_value(json_object_get(r, "query"));
        const char *s = json_string_value(json_object_get(r, "sink"));
        const char *st = json_string_value(json_object_get(r, "statement"));
        if (q && s && st && !strcmp(st, "SELECT") && json_is_true(json_object_get(r, "ok")))
            stream_adhoc(url, q, s);
    }
    json_decref(res);
    return failed;
}

int ed_cmd_shell(int argc, char **argv)
{
    const char *url = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            puts("usage: eddy shell [--url URL]\n"
                 "Interactive prompt: statements end with ';' and may span lines.\n"
                 "An ad-hoc SELECT streams its rows until Ctrl-C, then its query is dropped.\n"
                 "With stdin not a terminal, statements are read from stdin.");
            return 0;
        } else if (!strcmp(argv[i], "--url") && i + 1 < argc) {
            url = argv[++i];
        } else if (!strncmp(argv[i], "--url=", 6)) {
            url = argv[i] + 6;
        } else {
            ed_cli_err("shell: unknown argument '%s' (try 'eddy shell --help')", argv[i]);
            return 2;
        }
    }
    url = ed_cli_default_url(url);
    bool tty = isatty(0);
    ed_sb stmt = ED_SB_INIT;
    int failures = 0;
    if (tty) {
        using_history();
        printf("eddy shell connected to %s. Statements end with ';'. Ctrl-D quits.\n", url);
    }
    for (;;) {
        char *line;
        if (tty) {
            line = readline(stmt.len ? "   ...> " : "eddy> ");
        } else {
            size_t cap = 0;
            line = NULL;
            ssize_t n = getline(&line, &cap, stdin);
            if (n < 0) {
                free(line);
                line = NULL;
            } else if (n > 0 && line[n - 1] == '\n') {
                line[n - 1] = 0;
            }
        }
        if (!line) break;
        if (stmt.len) ed_sb_putc(&stmt, '\n');
        ed_sb_puts(&stmt, line);
        free(line);
        if (!complete(stmt.buf, stmt.len)) continue;
        if (tty) add_history(stmt.buf);
        failures += send_text(url, stmt.buf, stmt.len);
        ed_sb_clear(&stmt);
    }
    /* A final statement without ';' still runs at end of input. */
    bool blank = true;
    for (size_t i = 0; i < stmt.len && blank; i++)
        if (stmt.buf[i] != ' ' && stmt.buf[i] != '\n' && stmt.buf[i] != '\t') blank = false;
    if (!blank) failures += send_text(url, stmt.buf, stmt.len);
    ed_sb_free(&stmt);
    if (tty) putchar('\n');
    return failures ? 1 : 0;
}
