/* internal.h — private structures of the engine core (not for hosts).
 *
 * A query is a read-only ed_plan (built once by plan.c from the AST) plus an
 * operator instance holding its state (op_project.c for per-event queries,
 * op_window.c for windowed aggregation). Everything a plan owns is freed by
 * ed_plan_free(); everything an operator owns by its free() callback.
 */
#ifndef EDDY_ENGINE_INTERNAL_H
#define EDDY_ENGINE_INTERNAL_H
#include "engine.h"
#include "expr.h"
#include "../parser/parser.h"

typedef struct ed_query ed_query;

/* One aggregate call of a windowed query. */
typedef struct ed_plan_agg {
    const ed_agg_fn *fn;
    ed_expr **args;          /* evaluated on input rows */
    int nargs;
    ed_type arg_type;        /* type of args[0], ED_NULL for COUNT(*) */
    ed_type result_type;
    size_t offset;           /* byte offset of its state in a group's state block */
    char *text;              /* "count(*)", "max(price)" for EXPLAIN */
} ed_plan_agg;

typedef struct ed_plan {
    ed_stream_def *stream;
    ed_expr *where;          /* on input rows; NULL = all */
    bool windowed;
    ed_window_kind wkind;
    int64_t size_ms, advance_ms, pane_ms;
    /* pre-aggregation: group keys and aggregate arguments over input rows */
    int ngroup;
    ed_expr **group;
    char **group_text;
    int naggs;
    ed_plan_agg *aggs;
    size_t state_size;       /* bytes of one group's aggregate states */
    /* post-aggregation row: [group keys][aggregate results][window_start][window_end] */
    int npost;
    char **post_names;
    ed_expr *having;         /* on post rows */
    /* output: over input rows (per-event) or post rows (windowed) */
    int nout;
    ed_expr **out;
    char **out_names;
} ed_plan;

/* Operator interface: one dispatch point for every operator. */
typedef struct ed_op_vt {
    const char *name;
    /* rows: n rows of the stream's schema; wm[i] is the stream watermark when
     * row i arrived (after row i moved it); t[i] its event time. */
    void (*push)(ed_query *q, const ed_value *rows, int ncols, const int64_t *t, const int64_t *wm, int n);
    void (*on_watermark)(ed_query *q, int64_t wm);
    void (*state_size)(ed_query *q, uint64_t *keys, uint64_t *bytes);
    void (*free)(ed_query *q);
    /* Checkpoints (checkpoint.c); all four NULL for a stateless operator.
     * snapshot appends the operator state. restore decodes what snapshot
     * wrote (bounds-checked, reading up to end) into a new state without
     * touching q's current one: 0 and *new_state set, or -1 with err filled
     * and nothing left allocated. install frees q's state and adopts
     * new_state; discard frees a decoded state that will not be installed. */
    void (*snapshot)(ed_query *q, ed_sb *out);
    int (*restore)(ed_query *q, const unsigned char **p, const unsigned char *end, void **new_state, char *err,
                   size_t errlen);
    void (*install)(ed_query *q, void *new_state);
    void (*discard)(ed_query *q, void *new_state);
} ed_op_vt;

struct ed_query {
    char *name;
    char *sql;
    ed_plan *plan;
    ed_sink_def *sink;
    ed_engine *engine;
    const ed_op_vt *op;
    void *state;             /* operator state */
    int64_t watermark;       /* last watermark the operator saw */
    /* counters */
    uint64_t events_in, events_out, late_events, div_by_zero, eval_errors;
    ed_fn_ctx fctx;          /* arena = engine scratch arena */
};

struct ed_engine {
    ed_host_ops ops;
    void *host;
    ed_stream_def **streams;
    int nstreams;
    ed_sink_def **sinks;
    int nsinks;
    ed_query **queries;
    int nqueries;
    uint64_t emit_group;     /* increments per window firing / per-event row */
    int adhoc_seq;
    ed_arena scratch;        /* per-batch: expression strings; reset after each push */
    /* per-push scratch arrays */
    int64_t *tbuf, *wbuf;
    ed_value *rowbuf;
    int bufcap;
    size_t rowcap;
    ed_sb rowbuf_json;       /* JSON text of the row being emitted */
    ed_stream_status_fn stream_status;  /* host hooks for live connector state (may be NULL) */
    ed_sink_status_fn sink_status;
};

/* plan.c */
ed_plan *ed_plan_build(ed_engine *e, const ed_select *sel, ed_stream_def *stream, ed_error *err);
void ed_plan_free(ed_plan *p);
void ed_plan_explain(const ed_plan *p, const char *qname, const ed_sink_def *sink, ed_sb *out);

/* operators */
extern const ed_op_vt ed_op_project_vt;
extern const ed_op_vt ed_op_window_vt;
void ed_op_init(ed_query *q);   /* picks the operator for q->plan and creates its state */

/* emit a result row (values in output order) to the query's sink */
void ed_query_emit(ed_query *q, const ed_value *vals, uint64_t group, int64_t window_end);

/* catalog.c */
ed_query *ed_engine_query(ed_engine *e, const char *name);
void ed_query_free(ed_query *q);
void ed_stream_free(ed_stream_def *s);
void ed_sink_free(ed_sink_def *s);
json_t *ed_stream_json(ed_engine *e, ed_stream_def *s);
json_t *ed_sink_json(ed_engine *e, ed_sink_def *s);
json_t *ed_query_json(ed_query *q, bool with_plan);
/* stream watermark moved (tick/finish): let every query of s fire */
void ed_engine_advance(ed_engine *e, ed_stream_def *s, int64_t wm);

/* ingest.c, for engine/parallel.c: feed n rows (none with a NULL event
 * time) whose event times t[] and stream watermarks wm[] (non-decreasing, the
 * watermark right after each row) were computed by the caller, e.g. globally
 * over a stream split across threads. Row r is rows[r * stride ...]; stride
 * may be below the schema's ncols when no query of s reads the columns past
 * it (operators only read the slots their expressions name). Counts
 * events_in and moves the stream's max event time and watermark as
 * ed_engine_push would; partitions and arrival bookkeeping are the caller's. */
void ed_engine_push_timed(ed_engine *e, ed_stream_def *s, const ed_value *rows, int stride, int n,
                          const int64_t *t, const int64_t *wm);

/* ast_util.c */
bool ed_ast_equal(const ed_ast *a, const ed_ast *b);
void ed_ast_text(const ed_ast *a, ed_sb *out);   /* SQL-ish text for names/EXPLAIN */

/* floor division helpers for epoch alignment */
static inline int64_t ed_floor_div(int64_t a, int64_t b) { int64_t q = a / b; return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q; }
static inline int64_t ed_align(int64_t t, int64_t unit) { return ed_floor_div(t, unit) * unit; }

#endif
