/* client.c — the subcommands that talk to a running `eddy serve` over its
 * HTTP API: exec, queries (ls), drop, explain, tail. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

/* Parse "--url U" / "--url=U" out of argv in place; returns the new argc. */
static int take_url(int argc, char **argv, const char **url, int *bad)
{
    int o = 1;
    *bad = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--url")) {
            if (i + 1 >= argc) {
                ed_cli_err("--url needs a value");
                *bad = 1;
                return argc;
            }
            *url = argv[++i];
        } else if (!strncmp(argv[i], "--url=", 6)) {
            *url = argv[i] + 6;
        } else {
            argv[o++] = argv[i];
        }
    }
    return o;
}

static bool wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return true;
    return false;
}

/* Prologue shared by the client subcommands: --help prints usage, --url is
 * taken out, and exactly nargs positional arguments must remain (`what`
 * names them in the error). Returns -1 to go on, else the exit status. */
static int client_args(int *argc, char **argv, const char *cmd, const char *usage, int nargs, const char *what,
                       const char **url)
{
    if (wants_help(*argc, argv)) {
        puts(usage);
        return 0;
    }
    int bad;
    *url = NULL;
    *argc = take_url(*argc, argv, url, &bad);
    if (bad) return 2;
    if (*argc != nargs + 1) {
        if (nargs == 0) ed_cli_err("%s: unexpected argument '%s'", cmd, argv[1]);
        else ed_cli_err("%s: expected %s (try 'eddy %s --help')", cmd, what, cmd);
        return 2;
    }
    *url = ed_cli_default_url(*url);
    return -1;
}

/* Send statements and print the results; exit status. */
static int run_statements(const char *url, const char *text, size_t len)
{
    json_t *res = NULL;
    char err[512];
    if (ed_cli_post_statements(url, text, len, &res, err, sizeof err) < 0) {
        ed_cli_err("%s", err);
        return 1;
    }
    int failed = ed_render_results(res);
    json_decref(res);
    return failed ? 1 : 0;
}

int ed_cmd_exec(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        puts("usage: eddy exec [--url URL] \"STATEMENTS\"\n"
             "       eddy exec [--url URL] -f FILE.sql   (FILE '-' reads stdin)\n"
             "Submits statements to a running engine (default URL http://127.0.0.1:7070,\n"
             "or $EDDY_URL) and prints each result. Exit status 1 if any statement failed.");
        return 0;
    }
    const char *url = NULL;
    int bad;
    argc = take_url(argc, argv, &url, &bad);
    if (bad) return 2;
    url = ed_cli_default_url(url);
    ed_sb text = ED_SB_INIT;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-f")) {
            if (i + 1 >= argc) {
                ed_cli_err("-f needs a file name");
                ed_sb_free(&text);
                return 2;
            }
            if (ed_cli_read_file(argv[++i], &text) < 0) {
                ed_sb_free(&text);
                return 1;
            }
            ed_sb_putc(&text, '\n');
        } else if (argv[i][0] == '-' && argv[i][1]) {
            ed_cli_err("exec: unknown option '%s'", argv[i]);
            ed_sb_free(&text);
            return 2;
        } else {
            ed_sb_puts(&text, argv[i]);
            ed_sb_putc(&text, '\n');
        }
    }
    if (!text.len) {
        ed_cli_err("exec: no statements given (try 'eddy exec --help')");
        return 2;
    }
    int rc = run_statements(url, text.buf, text.len);
    ed_sb_free(&text);
    return rc;
}

int ed_cmd_queries(int argc, char **argv)
{
    static const char *usage = "usage: eddy queries [--url URL]   (alias: eddy ls)\n"
                               "Lists running queries with their counters.";
    const char *url;
    int pre = client_args(&argc, argv, "queries", usage, 0, NULL, &url);
    if (pre >= 0) return pre;
    ed_sb resp = ED_SB_INIT;
    int status = 0;
    char err[512];
    if (ed_cli_http(url, "GET", "/api/v1/queries", NULL, 0, &status, &resp, err, sizeof err) < 0) {
        ed_cli_err("%s", err);
        ed_sb_free(&resp);
        return 1;
    }
    json_t *j = json_loadb(resp.buf ? resp.buf : "", resp.len, 0, NULL);
    ed_sb_free(&resp);
    if (status != 200 || !json_is_array(j)) {
        ed_cli_err("unexpected response from %s (HTTP %d)", url, status);
        json_decref(j);
        return 1;
    }
    static const char *const skip[] = {"sql", "plan", NULL};
    ed_render_table(j, skip);
    json_decref(j);
    return 0;
}

int ed_cmd_drop(int argc, char **argv)
{
    static const char *usage = "usage: eddy drop [--url URL] NAME\nStops the query NAME and removes it.";
    const char *url;
    int pre = client_args(&argc, argv, "drop", usage, 1, "one query name", &url);
    if (pre >= 0) return pre;
    ed_sb path = ED_SB_INIT, resp = ED_SB_INIT;
    ed_sb_printf(&path, "/api/v1/queries/%s", argv[1]);
    int status = 0;
    char err[512];
    int rc = ed_cli_http(url, "DELETE", path.buf, NULL, 0, &status, &resp, err, sizeof err);
    ed_sb_free(&path);
    if (rc < 0) {
        ed_cli_err("%s", err);
        ed_sb_free(&resp);
        return 1;
    }
    int ret = 0;
    if (status == 200) {
        printf("dropped query %s\n", argv[1]);
    } else {
        json_t *j = json_loadb(resp.buf ? resp.buf : "", resp.len, 0, NULL);
        const char *m = json_string_value(json_object_get(j, "error"));
        ed_cli_err("cannot drop query '%s': %s", argv[1], m ? m : "server error");
        json_decref(j);
        ret = 1;
    }
    ed_sb_free(&resp);
    return ret;
}

int ed_cmd_explain(int argc, char **argv)
{
    static const char *usage = "usage: eddy explain [--url URL] NAME | \"SELECT ...\"\n"
                               "Prints the plan of a running query, or of a SELECT without starting it.";
    const char *url;
    int pre = client_args(&argc, argv, "explain", usage, 1, "a query name or a SELECT", &url);
    if (pre >= 0) return pre;
    ed_sb text = ED_SB_INIT;
    /* A bare name is a query; anything with a space is a statement. */
    if (strpbrk(argv[1], " \t\n")) ed_sb_printf(&text, "EXPLAIN %s", argv[1]);
    else ed_sb_printf(&text, "EXPLAIN QUERY %s", argv[1]);
    int rc = run_statements(url, text.buf, text.len);
    ed_sb_free(&text);
    return rc;
}

int ed_cmd_tail(int argc, char **argv)
{
    static const char *usage = "usage: eddy tail [--url URL] SINK\n"
                               "Prints every row of the WebSocket sink SINK as one JSON line until Ctrl-C.";
    const char *url;
    int pre = client_args(&argc, argv, "tail", usage, 1, "one sink name", &url);
    if (pre >= 0) return pre;
    ed_cli_catch_sigint();
    char err[512];
    if (ed_ws_tail(url, argv[1], err, sizeof err) < 0) {
        ed_cli_err("%s", err);
        return 1;
    }
    return 0;
}
