/* explain_dump.c — prints the plans of a statement file for the EXPLAIN
 * golden tests (tests/explain/run.py). Runs every statement of FILE.sql in
 * one engine whose host opens nothing, and writes the "plan" text of each
 * EXPLAIN to stdout, one blank line between plans. A statement that fails
 * prints its rendered error on stderr and makes the exit status 1.
 * usage: explain_dump FILE.sql */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine/engine.h"

static int64_t h_now(void *c) { return 0; }
static int h_src_open(void *c, ed_stream_def *s, char *err, size_t n) { return 0; }
static void h_src_close(void *c, ed_stream_def *s) {}
static int h_sink_open(void *c, ed_sink_def *s, char *err, size_t n) { return 0; }
static void h_sink_close(void *c, ed_sink_def *s) {}
static void h_write(void *c, ed_sink_def *s, const ed_row *r) {}
static const ed_host_ops OPS = {h_now, h_src_open, h_src_close, h_sink_open, h_sink_close, h_write};

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: explain_dump FILE.sql\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    ed_sb text = ED_SB_INIT;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) ed_sb_append(&text, buf, n);
    fclose(f);
    ed_engine *e = ed_engine_new(&OPS, NULL);
    json_t *res = ed_engine_exec(e, text.buf ? text.buf : "", text.len);
    int rc = 0, plans = 0;
    size_t i;
    json_t *r;
    json_array_foreach(res, i, r) {
        if (!json_is_true(json_object_get(r, "ok"))) {
            const char *d = json_string_value(json_object_get(r, "detail"));
            const char *m = json_string_value(json_object_get(r, "error"));
            fprintf(stderr, "statement %zu failed:\n%s\n", i + 1, d && *d ? d : m ? m : "?");
            rc = 1;
            continue;
        }
        const char *plan = json_string_value(json_object_get(r, "plan"));
        if (!plan) continue;
        if (plans++) fputc('\n', stdout);
        fputs(plan, stdout);
    }
    if (!plans && !rc) {
        fprintf(stderr, "%s: no EXPLAIN statement\n", argv[1]);
        rc = 1;
    }
    json_decref(res);
    ed_engine_free(e);
    ed_sb_free(&text);
    return rc;
}
