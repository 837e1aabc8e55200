/* schema.h — a stream's columns, and the row batches that carry its events.
 *
 * Contract: an ed_batch owns its value array and an arena for the VARCHAR
 * bytes of its rows; ed_batch_clear() makes it reusable (the arena is reset,
 * so values from the previous fill become invalid). Rows are row-major:
 * row r, column c is vals[r * ncols + c]. arrival[r] is the time (ms, from
 * the engine's clock) at which the row was accepted; the host fills it.
 * Kafka-style sources may also fill part[r] (partition, -1 if none).
 */
#ifndef EDDY_SCHEMA_H
#define EDDY_SCHEMA_H
#include "arena.h"
#include "value.h"

typedef struct ed_column {
    char *name;
    ed_type type;
} ed_column;

typedef struct ed_schema {
    int ncols;
    ed_column *cols;
} ed_schema;

/* Index of column name (case-sensitive; names are stored lower-case), or -1. */
int ed_schema_find(const ed_schema *s, const char *name);

typedef struct ed_batch {
    int ncols;
    int nrows, cap;
    ed_value *vals;
    int64_t *arrival;
    int32_t *part;
    ed_arena arena;
} ed_batch;

void ed_batch_init(ed_batch *b, int ncols);
/* Append a row of NULLs and return it (ncols values). */
ed_value *ed_batch_add_row(ed_batch *b, int64_t arrival);
/* Append n (>= 0) rows of NULLs at once; returns the first (rows are
 * contiguous, ncols values each). */
ed_value *ed_batch_add_rows(ed_batch *b, int n, int64_t arrival);
/* Drop the last row (e.g. after a decode error filled it half-way). */
void ed_batch_pop_row(ed_batch *b);
void ed_batch_clear(ed_batch *b);
void ed_batch_free(ed_batch *b);

#endif
