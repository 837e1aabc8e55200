/* render.c — printing statement results and listings for humans: short
 * lines for DDL, aligned tables for SHOW rows, plan text for EXPLAIN, and
 * rendered errors (line, column, caret) on stderr. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static bool skipped(const char *key, const char *const *skip)
{
    for (int i = 0; skip && skip[i]; i++)
        if (strcmp(skip[i], key) == 0) return true;
    return false;
}

/* Cell text of a JSON value (caller frees). */
static char *cell(json_t *v)
{
    if (!v || json_is_null(v)) return strdup("");
    if (json_is_string(v)) return strdup(json_string_value(v));
    /* connector_state in a table: its state word (DESCRIBE shows all of it) */
    if (json_is_object(v) && json_is_string(json_object_get(v, "state")))
        return strdup(json_string_value(json_object_get(v, "state")));
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
    return s ? s : strdup("?");
}

/* Display width: code points (continuation bytes do not count). */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) w++;
    return w;
}

static void pad(size_t n)
{
    while (n--) fputc(' ', stdout);
}

void ed_render_table(json_t *rows, const char *const *skip)
{
    if (!json_is_array(rows) || json_array_size(rows) == 0) {
        printf("(no rows)\n");
        return;
    }
    /* Columns: union of keys in first-seen order. */
    json_t *cols = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        const char *k;
        json_t *v;
        json_object_foreach(row, k, v) {
            /* nested values stay out of tables, except a connector_state's word */
            if (skipped(k, skip) || json_is_array(v) || (json_is_object(v) && strcmp(k, "connector_state") != 0))
                continue;
            bool have = false;
            for (size_t c = 0; c < json_array_size(cols); c++)
                if (strcmp(json_string_value(json_array_get(cols, c)), k) == 0) have = true;
            if (!have) json_array_append_new(cols, json_string(k));
        }
    }
    size_t nc = json_array_size(cols), nr = json_array_size(rows);
    size_t *w = calloc(nc ? nc : 1, sizeof *w);
    char **cells = calloc(nc * nr + 1, sizeof *cells);
    for (size_t c = 0; c < nc; c++) w[c] = width(json_string_value(json_array_get(cols, c)));
    json_array_foreach(rows, i, row) {
        for (size_t c = 0; c < nc; c++) {
            char *s = cell(json_object_get(row, json_string_value(json_array_get(cols, c))));
            /* Keep tables on one line per row. */
            for (char *p = s; *p; p++)
                if (*p == '\n' || *p == '\t') *p = ' ';
            cells[i * nc + c] = s;
            if (width(s) > w[c]) w[c] = width(s);
        }
    }
    for (size_t c = 0; c < nc; c++) {
        const char *h = json_string_value(json_array_get(cols, c));
        fputs(h, stdout);
        if (c + 1 < nc) pad(w[c] - width(h) + 2);
    }
    fputc('\n', stdout);
    for (size_t r = 0; r < nr; r++) {
        for (size_t c = 0; c < nc; c++) {
            const char *s = cells[r * nc + c];
            fputs(s, stdout);
            if (c + 1 < nc) pad(w[c] - width(s) + 2);
            free(cells[r * nc + c]);
        }
        fputc('\n', stdout);
    }
    free(cells);
    free(w);
    json_decref(cols);
}

static void print_error(json_t *r)
{
    const char *detail = json_string_value(json_object_get(r, "detail"));
    const char *msg = json_string_value(json_object_get(r, "error"));
    if (detail && *detail) {
        fputs(detail, stderr);
        if (detail[strlen(detail) - 1] != '\n') fputc('\n', stderr);
    } else {
        fprintf(stderr, "error: %s\n", msg ? msg : "statement failed");
    }
}

int ed_render_results(json_t *results)
{
    int failed = 0;
    size_t i;
    json_t *r;
    json_array_foreach(results, i, r) {
        if (!json_is_true(json_object_get(r, "ok"))) {
            print_error(r);
            failed++;
            continue;
        }
        const char *stmt = json_string_value(json_object_get(r, "statement"));
        const char *msg = json_string_value(json_object_get(r, "message"));
        json_t *rows = json_object_get(r, "rows");
        json_t *plan = json_object_get(r, "plan");
        json_t *obj = json_object_get(r, "object");
        if (json_is_array(rows)) {
            static const char *const skip[] = {"sql", "plan", "options", "columns", NULL};
            ed_render_table(rows, skip);
        } else if (json_is_string(plan)) {
            const char *p = json_string_value(plan);
            fputs(p, stdout);
            if (*p && p[strlen(p) - 1] != '\n') fputc('\n', stdout);
        } else if (json_is_object(obj)) {
            /* DESCRIBE: columns as a table, then the other fields. */
            if (msg) printf("%s\n", msg);
            json_t *cols = json_object_get(obj, "columns");
            if (json_is_array(cols)) ed_render_table(cols, NULL);
            const char *k;
            json_t *v;
            json_object_foreach(obj, k, v) {
                if (json_is_array(v) || strcmp(k, "plan") == 0) continue;
                char *s = json_is_object(v) ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER) : cell(v);
                printf("%s: %s\n", k, s);
                free(s);
            }
            const char *pl = json_string_value(json_object_get(obj, "plan"));
            if (pl) printf("%s%s", pl, *pl && pl[strlen(pl) - 1] != '\n' ? "\n" : "");
        } else if (json_object_get(r, "query") && json_object_get(r, "sink")) {
            const char *s = json_string_value(json_object_get(r, "sink"));
            printf("started query %s writing to sink %s\n",
                   json_string_value(json_object_get(r, "query")), s ? s : "?");
        } else if (msg && *msg) {
            printf("%s\n", msg);
        } else {
            printf("%s OK\n", stmt ? stmt : "statement");
        }
    }
    fflush(stdout);
    return failed;
}
