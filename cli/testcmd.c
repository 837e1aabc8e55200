/* testcmd.c — `eddy test`: runs statements offline over JSON-lines input
 * files with a simulated clock (1 ms per event), prints every emitted row
 * as {"sink":..,"row":..} on stdout, and compares sinks with --expect files
 * as multisets. No sockets, no files written, same output every time. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../connectors/ingest.h"
#include "../engine/engine.h"
#include "cli.h"

typedef struct pair {
    const char *name, *path;
} pair;

typedef struct collected {
    const char *sink;
    json_t *rows; /* array of row objects */
} collected;

typedef struct tctx {
    int64_t clock;
    collected *col;
    int ncol;
    ed_sb line;
} tctx;

static int64_t t_now(void *ctx) { return ((tctx *)ctx)->clock; }
static int t_source_open(void *ctx, ed_stream_def *s, char *err, size_t errlen) { return 0; }
static void t_source_close(void *ctx, ed_stream_def *s) {}
static int t_sink_open(void *ctx, ed_sink_def *s, char *err, size_t errlen) { return 0; }
static void t_sink_close(void *ctx, ed_sink_def *s) {}

static void t_sink_write(void *ctx, ed_sink_def *s, const ed_row *row)
{
    tctx *t = ctx;
    ed_sb_clear(&t->line);
    ed_sb_puts(&t->line, "{\"sink\":");
    ed_sb_json_str(&t->line, s->name, strlen(s->name));
    ed_sb_puts(&t->line, ",\"row\":");
    ed_sb_append(&t->line, row->json, row->json_len);
    ed_sb_puts(&t->line, "}\n");
    fwrite(t->line.buf, 1, t->line.len, stdout);
    for (int i = 0; i < t->ncol; i++) {
        if (strcmp(t->col[i].sink, s->name) != 0) continue;
        json_error_t je;
        json_t *j = json_loadb(row->json, row->json_len, 0, &je);
        json_array_append_new(t->col[i].rows, j ? j : json_string(row->json));
    }
}

static const ed_host_ops test_ops = {t_now, t_source_open, t_source_close, t_sink_open, t_sink_close, t_sink_write};

/* Equality of JSON values where 3 and 3.0 are the same number. */
static bool row_equal(json_t *a, json_t *b)
{
    if (json_is_number(a) && json_is_number(b)) {
        if (json_is_integer(a) && json_is_integer(b)) return json_integer_value(a) == json_integer_value(b);
        return json_number_value(a) == json_number_value(b);
    }
    if (json_typeof(a) != json_typeof(b)) return false;
    if (json_is_object(a)) {
        if (json_object_size(a) != json_object_size(b)) return false;
        const char *k;
        json_t *v;
        json_object_foreach(a, k, v) {
            json_t *w = json_object_get(b, k);
            if (!w || !row_equal(v, w)) return false;
        }
        return true;
    }
    if (json_is_array(a)) {
        if (json_array_size(a) != json_array_size(b)) return false;
        for (size_t i = 0; i < json_array_size(a); i++)
            if (!row_equal(json_array_get(a, i), json_array_get(b, i))) return false;
        return true;
    }
    return json_equal(a, b);
}

static void print_row(const char *prefix, json_t *r)
{
    char *s = json_dumps(r, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    fprintf(stderr, "%s%s\n", prefix, s ? s : "?");
    free(s);
}

/* Compare one sink's rows with its expect file; 0 equal, 1 differ, -1 error. */
static int compare(const char *sink, const char *path, json_t *got)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        ed_cli_err("cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    json_t *want = json_array();
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int lineno = 0, rc = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        size_t k = (size_t)n;
        while (k > 0 && (line[k - 1] == '\n' || line[k - 1] == '\r' || line[k - 1] == ' ')) k--;
        if (k == 0) continue;
        json_error_t je;
        json_t *j = json_loadb(line, k, 0, &je);
        if (!j || !json_is_object(j)) {
            ed_cli_err("%s:%d: not a JSON object: %s", path, lineno, j ? "wrong type" : je.text);
            json_decref(j);
            rc = -1;
            break;
        }
        json_array_append_new(want, j);
    }
    free(line);
    fclose(f);
    if (rc < 0) {
        json_decref(want);
        return -1;
    }
    size_t nw = json_array_size(want), ng = json_array_size(got);
    bool *used = calloc(nw + 1, 1);
    json_t *unexpected = json_array();
    for (size_t i = 0; i < ng; i++) {
        json_t *g = json_array_get(got, i);
        bool found = false;
        for (size_t j = 0; j < nw && !found; j++)
            if (!used[j] && row_equal(g, json_array_get(want, j))) used[j] = found = true;
        if (!found) json_array_append(unexpected, g);
    }
    size_t missing = 0;
    for (size_t j = 0; j < nw; j++) missing += !used[j];
    if (missing || json_array_size(unexpected)) {
        ed_cli_err("sink '%s' does not match %s: %zu missing, %zu unexpected (got %zu rows, expected %zu)", sink, path,
                   missing, json_array_size(unexpected), ng, nw);
        for (size_t j = 0; j < nw; j++)
            if (!used[j]) print_row("  - missing:    ", json_array_get(want, j));
        for (size_t i = 0; i < json_array_size(unexpected); i++)
            print_row("  + unexpected: ", json_array_get(unexpected, i));
        rc = 1;
    }
    free(used);
    json_decref(unexpected);
    json_decref(want);
    return rc;
}

/* Feed one input file into its stream, one event per batch. */
static int feed(ed_engine *e, tctx *t, ed_stream_def *s, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        ed_cli_err("cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    ed_batch b;
    ed_batch_init(&b, s->schema.ncols);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int lineno = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        size_t k = (size_t)n;
        if (k > 0 && line[k - 1] == '\n') k--;
        bool blank = true;
        for (size_t i = 0; i < k && blank; i++)
            if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r') blank = false;
        if (blank) continue; /* blank lines are not events */
        t->clock++;
        ed_batch_clear(&b);
        char why[256] = "";
        if (ed_ingest_line(s, &b, line, k, t->clock, why, sizeof why) < 0) {
            fprintf(stderr, "eddy test: %s:%d: skipped event for stream '%s': %s\n", path, lineno, s->name, why);
            continue;
        }
        ed_engine_push(e, s, &b);
        ed_engine_tick(e);
    }
    free(line);
    ed_batch_free(&b);
    fclose(f);
    return 0;
}

static const char test_help[] =
    "usage: eddy test FILE.sql --input STREAM=FILE.jsonl [--input ...] [--expect SINK=FILE.jsonl ...]\n"
    "Runs the statements in FILE.sql offline: no server, no network, no files written.\n"
    "Each --input file is read in order into its stream (one JSON object per line);\n"
    "streams without a WATERMARK use a simulated clock that advances 1 ms per event.\n"
    "At the end of input every open window emits. Every emitted row is printed as\n"
    "  {\"sink\":\"NAME\",\"row\":{...}}\n"
    "With --expect SINK=FILE the sink's rows are compared with FILE (one JSON object\n"
    "per line) as a multiset; a mismatch prints the difference and exits 1.\n";

static int parse_pair(const char *opt, const char *v, pair *p)
{
    const char *eq = v ? strchr(v, '=') : NULL;
    if (!eq || eq == v || !eq[1]) {
        ed_cli_err("test: %s expects NAME=FILE, got '%s'", opt, v ? v : "");
        return -1;
    }
    /* Unquoted SQL names are case-insensitive and stored lower-case. */
    char *name = strndup(v, (size_t)(eq - v));
    for (char *c = name; *c; c++)
        if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
    p->name = name;
    p->path = eq + 1;
    return 0;
}

int ed_cmd_test(int argc, char **argv)
{
    const char *sqlfile = NULL;
    pair *in = calloc((size_t)argc, sizeof *in), *ex = calloc((size_t)argc, sizeof *ex);
    int nin = 0, nex = 0, rc = 0;
    ed_engine *e = NULL;
    tctx t = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(test_help, stdout);
            goto done;
        } else if (!strcmp(a, "--input") || !strcmp(a, "--expect")) {
            pair *p = a[2] == 'i' ? &in[nin++] : &ex[nex++];
            if (parse_pair(a, i + 1 < argc ? argv[i + 1] : NULL, p) < 0) {
                rc = 2;
                goto done;
            }
            i++;
        } else if (!strncmp(a, "--input=", 8) || !strncmp(a, "--expect=", 9)) {
            pair *p = a[2] == 'i' ? &in[nin++] : &ex[nex++];
            if (parse_pair(a[2] == 'i' ? "--input" : "--expect", strchr(a, '=') + 1, p) < 0) {
                rc = 2;
                goto done;
            }
        } else if (a[0] == '-' && a[1]) {
            ed_cli_err("test: unknown option '%s' (try 'eddy test --help')", a);
            rc = 2;
            goto done;
        } else if (!sqlfile) {
            sqlfile = a;
        } else {
            ed_cli_err("test: more than one statement file ('%s' and '%s')", sqlfile, a);
            rc = 2;
            goto done;
        }
    }
    if (!sqlfile) {
        ed_cli_err("test: no statement file given (try 'eddy test --help')");
        rc = 2;
        goto done;
    }
    ed_sb text = ED_SB_INIT;
    if (ed_cli_read_file(sqlfile, &text) < 0) {
        rc = 1;
        goto done;
    }
    t.ncol = nex;
    t.col = calloc((size_t)nex + 1, sizeof *t.col);
    for (int i = 0; i < nex; i++) {
        t.col[i].sink = ex[i].name;
        t.col[i].rows = json_array();
    }
    e = ed_engine_new(&test_ops, &t);
    json_t *res = ed_engine_exec(e, text.buf, text.len);
    ed_sb_free(&text);
    size_t i;
    json_t *r;
    json_array_foreach(res, i, r) {
        if (json_is_true(json_object_get(r, "ok"))) continue;
        const char *d = json_string_value(json_object_get(r, "detail"));
        const char *m = json_string_value(json_object_get(r, "error"));
        fprintf(stderr, "eddy: %s: statement failed\n", sqlfile);
        if (d && *d) fprintf(stderr, "%s%s", d, d[strlen(d) - 1] == '\n' ? "" : "\n");
        else fprintf(stderr, "error: %s\n", m ? m : "?");
        rc = 1;
    }
    json_decref(res);
    if (rc) goto done;
    for (int k = 0; k < nin; k++)
        if (!ed_engine_stream(e, in[k].name)) {
            ed_cli_err("test: --input names unknown stream '%s'", in[k].name);
            rc = 1;
            goto done;
        }
    for (int k = 0; k < nex; k++)
        if (!ed_engine_sink(e, ex[k].name)) {
            ed_cli_err("test: --expect names unknown sink '%s'", ex[k].name);
            rc = 1;
            goto done;
        }
    for (int k = 0; k < nin; k++)
        if (feed(e, &t, ed_engine_stream(e, in[k].name), in[k].path) < 0) {
            rc = 1;
            goto done;
        }
    ed_engine_finish(e);
    fflush(stdout);
    for (int k = 0; k < nex; k++) {
        int c = compare(ex[k].name, ex[k].path, t.col[k].rows);
        if (c != 0) rc = 1;
    }
done:
    if (e) ed_engine_free(e);
    for (int k = 0; k < t.ncol; k++) json_decref(t.col[k].rows);
    free(t.col);
    ed_sb_free(&t.line);
    for (int k = 0; k < nin; k++) free((char *)in[k].name);
    for (int k = 0; k < nex; k++) free((char *)ex[k].name);
    free(in);
    free(ex);
    fflush(stdout);
    return rc;
}
