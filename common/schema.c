/* schema.c — see schema.h */
#include "schema.h"
#include <stdlib.h>
#include <string.h>

int ed_schema_find(const ed_schema *s, const char *name)
{
    for (int i = 0; i < s->ncols; i++)
        if (strcmp(s->cols[i].name, name) == 0) return i;
    return -1;
}

void ed_batch_init(ed_batch *b, int ncols)
{
    memset(b, 0, sizeof *b);
    b->ncols = ncols;
    ed_arena_init(&b->arena, 64 * 1024);
}

ed_value *ed_batch_add_row(ed_batch *b, int64_t arrival)
{
    if (b->nrows == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 256;
        b->vals = ed_xrealloc(b->vals, sizeof(ed_value) * (size_t)b->cap * (size_t)(b->ncols ? b->ncols : 1));
        b->arrival = ed_xrealloc(b->arrival, sizeof(int64_t) * (size_t)b->cap);
        b->part = ed_xrealloc(b->part, sizeof(int32_t) * (size_t)b->cap);
    }
    ed_value *row = b->vals + (size_t)b->nrows * (size_t)b->ncols;
    memset(row, 0, sizeof(ed_value) * (size_t)b->ncols);
    b->arrival[b->nrows] = arrival;
    b->part[b->nrows] = -1;
    b->nrows++;
    return row;
}

ed_value *ed_batch_add_rows(ed_batch *b, int n, int64_t arrival)
{
    if (b->nrows + n > b->cap) {
        int cap = b->cap ? b->cap : 256;
        while (cap < b->nrows + n) cap *= 2;
        b->cap = cap;
        b->vals = ed_xrealloc(b->vals, sizeof(ed_value) * (size_t)b->cap * (size_t)(b->ncols ? b->ncols : 1));
        b->arrival = ed_xrealloc(b->arrival, sizeof(int64_t) * (size_t)b->cap);
        b->part = ed_xrealloc(b->part, sizeof(int32_t) * (size_t)b->cap);
    }
    ed_value *rows = b->vals + (size_t)b->nrows * (size_t)b->ncols;
    memset(rows, 0, sizeof(ed_value) * (size_t)b->ncols * (size_t)n);
    for (int r = 0; r < n; r++) {
        b->arrival[b->nrows + r] = arrival;
        b->part[b->nrows + r] = -1;
    }
    b->nrows += n;
    return rows;
}

void ed_batch_pop_row(ed_batch *b)
{
    if (b->nrows > 0) b->nrows--;
}

void ed_batch_clear(ed_batch *b)
{
    b->nrows = 0;
    ed_arena_reset(&b->arena);
}

void ed_batch_free(ed_batch *b)
{
    free(b->vals);
    free(b->arrival);
    free(b->part);
    ed_arena_free(&b->arena);
    memset(b, 0, sizeof *b);
}
