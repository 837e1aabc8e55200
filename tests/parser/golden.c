/* golden.c — golden parser tests: for every cases/NAME.sql, the parse must
 * match NAME.ast (one S-expression per statement) or fail exactly as
 * NAME.err says (rendered error: position, message, caret line). */
#include "parser/parser.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    ed_sb sb = ED_SB_INIT;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        ed_sb_append(&sb, buf, n);
    fclose(f);
    if (!sb.buf)
        ed_sb_append(&sb, "", 0);
    *len = sb.len;
    return ed_sb_steal(&sb);
}

static int cmp_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int run_case(const char *dir, const char *base)
{
    char path[1024];
    size_t len, elen;
    snprintf(path, sizeof path, "%s/%s.sql", dir, base);
    char *sql = slurp(path, &len);
    snprintf(path, sizeof path, "%s/%s.ast", dir, base);
    char *want = slurp(path, &elen);
    int is_err = 0;
    if (!want) {
        snprintf(path, sizeof path, "%s/%s.err", dir, base);
        want = slurp(path, &elen);
        is_err = 1;
    }
    if (!sql || !want) {
        fprintf(stderr, "FAIL %s: missing .sql or expected .ast/.err\n", base);
        free(sql);
        free(want);
        return 1;
    }
    ed_arena arena;
    ed_arena_init(&arena, 1024);
    ed_stmt_list list;
    ed_error err;
    ed_sb got = ED_SB_INIT;
    int rc = ed_parse(sql, len, &arena, &list, &err);
    if (rc == 0) {
        for (int i = 0; i < list.n; i++) {
            ed_ast_dump_stmt(list.stmts[i], &got);
            ed_sb_putc(&got, '\n');
        }
    } else {
        ed_error_render(sql, len, &err, &got);
    }
    if (!got.buf)
        ed_sb_append(&got, "", 0);
    int fail = 0;
    if ((rc != 0) != is_err) {
        fprintf(stderr, "FAIL %s: expected %s, got %s\n%s", base, is_err ? "an error" : "success",
                rc ? "an error" : "success", got.buf);
        fail = 1;
    } else if (got.len != elen || memcmp(got.buf, want, elen) != 0) {
        fprintf(stderr, "FAIL %s\n--- expected\n%s--- got\n%s", base, want, got.buf);
        fail = 1;
    } else {
        printf("ok %s\n", base);
    }
    ed_sb_free(&got);
    ed_arena_free(&arena);
    free(sql);
    free(want);
    return fail;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "cases";
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "cannot open %s\n", dir);
        return 1;
    }
    char *names[512];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 512) {
        size_t l = strlen(e->d_name);
        if (l > 4 && strcmp(e->d_name + l - 4, ".sql") == 0)
            names[n++] = strndup(e->d_name, l - 4);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmp_name);
    int failed = 0;
    for (int i = 0; i < n; i++) {
        failed += run_case(dir, names[i]);
        free(names[i]);
    }
    printf("%d passed, %d failed\n", n - failed, failed);
    return failed || n == 0;
}
