/* test_nexmark_cmd.c — the JSON lines of `eddy nexmark` decode (with eddy's
 * own stream decoder) to exactly the values the in-process generator gives
 * the nexmark connector for the same table/events/seed/rate.
 *
 *   test_nexmark_cmd TABLE EVENTS SEED RATE FILE.jsonl
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "connectors/json_decode.h"
#include "connectors/nexmark.h"

static int values_equal(const ed_value *a, const ed_value *b)
{
    if (a->type != b->type) return 0;
    if (a->type == ED_VARCHAR) return a->len == b->len && memcmp(a->u.s, b->u.s, a->len) == 0;
    if (a->type == ED_DOUBLE) return a->u.d == b->u.d;
    return a->type == ED_NULL || a->u.i == b->u.i;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: %s TABLE EVENTS SEED RATE FILE.jsonl\n", argv[0]);
        return 2;
    }
    int t = ed_nx_table_parse(argv[1]);
    if (t < 0) return 2;
    const ed_schema *s = ed_nx_schema((ed_nx_table)t);
    ed_nexmark_gen *g = ed_nexmark_gen_new(strtoull(argv[3], NULL, 10), atoll(argv[4]), atoll(argv[2]));
    FILE *f = fopen(argv[5], "r");
    if (!f) {
        perror(argv[5]);
        return 2;
    }
    ed_batch b;
    ed_batch_init(&b, s->ncols);
    ed_arena arena;
    ed_arena_init(&arena, 1 << 16);
    ed_value *row = calloc((size_t)s->ncols, sizeof *row);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0, bad = 0, nonnull = 0;
    int r = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        lineno++;
        if (r == b.nrows) { /* next chunk of the generator, odd size on purpose */
            ed_batch_clear(&b);
            r = 0;
            if (ed_nexmark_gen_fill(g, (ed_nx_table)t, s, &b, 333) == 0) {
                fprintf(stderr, "line %ld: the file has more rows than the generator\n", lineno);
                return 1;
            }
        }
        memset(row, 0, sizeof *row * (size_t)s->ncols);
        ed_arena_reset(&arena);
        char why[200];
        if (line[n - 1] == '\n') n--;
        if (ed_json_decode_row(s, line, (size_t)n, row, &arena, why, sizeof why) < 0) {
            fprintf(stderr, "line %ld does not decode: %s\n", lineno, why);
            return 1;
        }
        const ed_value *want = b.vals + (size_t)r * (size_t)s->ncols;
        for (int c = 0; c < s->ncols; c++) {
            if (want[c].type != ED_NULL) nonnull++;
            if (!values_equal(&row[c], &want[c])) {
                if (bad++ < 5) fprintf(stderr, "line %ld column %s differs from the generator\n", lineno, s->cols[c].name);
            }
        }
        r++;
    }
    if (r < b.nrows || ed_nexmark_gen_fill(g, (ed_nx_table)t, s, &b, 1) != 0) {
        fprintf(stderr, "the generator has more rows than the file (%ld lines)\n", lineno);
        return 1;
    }
    if (lineno == 0 || nonnull == 0) {
        fprintf(stderr, "no rows compared\n");
        return 1;
    }
    printf("%ld lines of %s equal the generator's rows (%ld values)\n", lineno, argv[1], nonnull);
    free(line);
    free(row);
    fclose(f);
    ed_arena_free(&arena);
    ed_batch_free(&b);
    ed_nexmark_gen_free(g);
    return bad ? 1 : 0;
}
