/* engine.h — the engine core: catalog, planner, operators, windows, state.
 *
 * Contract:
 * - The engine does not touch sockets, files, libevent or librdkafka. The
 *   program that embeds it (eddy serve, eddy test) is the "host": it supplies
 *   a clock and opens/closes connectors through ed_host_ops, decodes events
 *   into ed_batch rows and pushes them with ed_engine_push(); the engine calls
 *   sink_write() synchronously for every result row.
 * - Single-threaded: every function must be called from the thread that owns
 *   the engine (the event loop thread in serve).
 * - Time: now_ms() is the only clock. Watermarks move with events (event
 *   time) or with now_ms() (arrival time, idle timeouts via ed_engine_tick()).
 * - Statements: ed_engine_exec() parses, binds and plans each statement; a
 *   statement that fails changes nothing. Execution stops at the first failing
 *   statement.
 */
#ifndef EDDY_ENGINE_H
#define EDDY_ENGINE_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "../common/schema.h"
#include "../common/strbuf.h"
#include "../parser/ast.h"

typedef struct ed_engine ed_engine;

typedef struct ed_kv {
    char *key, *value;
} ed_kv;

/* A stream in the catalog. The engine owns it; the host may keep a pointer
 * until source_close() is called for it, and may set host_data. Counters are
 * public for the host to update (decode_errors) and to read. */
typedef struct ed_stream_def {
    char *name;
    ed_schema schema;
    int ts_col;                /* event-time column, -1: arrival time is event time */
    int64_t wm_delay_ms;       /* WATERMARK ... AS ts - delay */
    int64_t idle_timeout_ms;   /* option idle_timeout; 0 = never */
    size_t max_event_bytes;    /* option max_event_bytes; default 1 MiB */
    const char *connector;     /* option connector (lower-case) */
    const char *format;        /* option format, default "json" */
    const char *dead_letter;   /* option dead_letter (path) or NULL */
    ed_kv *opts;               /* every WITH option, keys lower-case */
    int nopts;
    char *sql;                 /* the CREATE statement text */
    /* state, maintained by the engine */
    int64_t watermark;         /* ED_TS_MIN until the first event */
    int64_t max_event_time;
    int64_t last_arrival;      /* now_ms() of the last accepted event */
    int64_t wm_at_last_event;
    /* counters */
    uint64_t events_in;        /* valid events accepted (engine counts) */
    uint64_t decode_errors;    /* host counts: malformed / oversized / wrong type */
    uint64_t null_time_events; /* engine counts: event-time column NULL */
    void *host_data;
    /* partitioned sources (Kafka): per-partition event-time progress; the
     * stream's watermark is the minimum over partitions that are not idle */
    struct ed_part_wm *parts;
    int nparts;
    /* engine/ingest.c's caches over parts: the last partition looked up, and
     * the minimum (and its partition) for one arrival time; whoever changes
     * parts or nparts clears pmin_valid */
    int part_hint;
    bool pmin_valid;
    int pmin_arg;
    int64_t pmin_now, pmin;
} ed_stream_def;

typedef struct ed_part_wm {
    int32_t part;
    int64_t max_event_time;    /* ED_TS_MIN until the partition's first event */
    int64_t last_arrival;
} ed_part_wm;

typedef struct ed_sink_def {
    char *name;
    const char *connector;
    ed_kv *opts;
    int nopts;
    char *sql;
    bool internal;             /* created for an ad-hoc SELECT; dropped with it */
    bool raw_rows;             /* host sets (in sink_open, or at any time between
                                  writes): sink_write reads vals only, row->json is
                                  NULL (discarding sinks; a WebSocket sink without
                                  clients, which renders later with ed_row_json) */
    uint64_t rows_out;         /* engine counts rows handed to sink_write */
    /* maintained by the host (metrics) */
    uint64_t clients, dropped_clients, refused_clients, write_errors;
    void *host_data;
} ed_sink_def;

/* One result row, valid only during the sink_write() call. */
typedef struct ed_row {
    const char *query;
    int n;
    const ed_value *vals;          /* SELECT order */
    const char *const *names;      /* output names (alias or column name) */
    const char *json;              /* the row as a JSON object, no newline (NULL for raw_rows sinks) */
    size_t json_len;
    uint64_t emit_group;           /* rows from one window firing share it */
    int64_t window_end;            /* ED_TS_MIN for per-event rows */
} ed_row;

/* Append the row {"name":value,...} as JSON to sb: the text row->json
 * holds (for sinks that set raw_rows and render later). */
void ed_row_json(ed_sb *sb, int n, const char *const *names, const ed_value *vals);

typedef struct ed_host_ops {
    int64_t (*now_ms)(void *ctx);
    /* Validate options and start a source; return 0, or -1 with err filled
     * (then the CREATE fails and changes nothing). */
    int (*source_open)(void *ctx, ed_stream_def *s, char *err, size_t errlen);
    void (*source_close)(void *ctx, ed_stream_def *s);
    int (*sink_open)(void *ctx, ed_sink_def *s, char *err, size_t errlen);
    void (*sink_close)(void *ctx, ed_sink_def *s);
    void (*sink_write)(void *ctx, ed_sink_def *s, const ed_row *row);
} ed_host_ops;

ed_engine *ed_engine_new(const ed_host_ops *ops, void *host_ctx);
void ed_engine_free(ed_engine *e);   /* closes every source and sink */

/* Run statements. Returns a new JSON array, one object per statement run:
 *  {"ok":true,"statement":"CREATE STREAM","name":"bids","message":"..."}
 *  SHOW/DESCRIBE add "rows":[...]; EXPLAIN adds "plan":"text";
 *  an ad-hoc SELECT starts a query and adds "query" and "sink" names;
 *  {"ok":false,"error":"message","line":L,"column":C,"detail":"rendered with caret"}
 * Caller owns the result (json_decref). */
json_t *ed_engine_exec(ed_engine *e, const char *text, size_t len);

/* Look up catalog objects (NULL if absent). */
ed_stream_def *ed_engine_stream(ed_engine *e, const char *name);
ed_sink_def *ed_engine_sink(ed_engine *e, const char *name);

/* Feed decoded events of stream s, in arrival order. Rows with a NULL
 * event-time column are dropped and counted. The batch is not modified;
 * the caller clears it afterwards. */
void ed_engine_push(ed_engine *e, ed_stream_def *s, const ed_batch *b);

/* Partitioned sources (batch->part[r] >= 0): declare the partitions now
 * assigned to this engine (after a rebalance). Partitions not in the list stop
 * holding the watermark back; a new one holds it until it sends data or has
 * been silent for idle_timeout. */
void ed_engine_set_partitions(ed_engine *e, ed_stream_def *s, const int32_t *parts, int n);

/* Advance processing time: arrival-time watermarks follow now_ms(), idle
 * streams (idle_timeout) advance their watermark with the wall clock, and
 * windows that closed are emitted. Call periodically (serve: every 50 ms). */
void ed_engine_tick(ed_engine *e);

/* End of input (eddy test): every watermark moves to +infinity, every open
 * window emits, in order. */
void ed_engine_finish(ed_engine *e);

/* Control-plane views (new JSON values; caller owns). */
json_t *ed_engine_list(ed_engine *e, ed_object_kind what);  /* array */
json_t *ed_engine_query_info(ed_engine *e, const char *name); /* NULL if absent */
/* DROP QUERY name; 0 or -1 with err. */
int ed_engine_drop_query(ed_engine *e, const char *name, char *err, size_t errlen);

/* Optional host hooks: the live state of a stream's source / a sink's
 * connector (Kafka: connection state, assigned partitions, rows queued...),
 * as a new JSON object or NULL. The engine adds it as "connector_state" to
 * SHOW STREAMS / SHOW SINKS rows, DESCRIBE and the control API's lists. */
typedef json_t *(*ed_stream_status_fn)(void *host_ctx, ed_stream_def *s);
typedef json_t *(*ed_sink_status_fn)(void *host_ctx, ed_sink_def *s);
void ed_engine_set_status_hooks(ed_engine *e, ed_stream_status_fn stream, ed_sink_status_fn sink);

/* Prometheus text exposition of every stream, query and sink. */
void ed_engine_metrics(ed_engine *e, ed_sb *out);

/* Checkpoints (engine/checkpoint.c). ed_engine_snapshot appends to out one
 * self-describing, versioned binary blob holding the state of every stream
 * (watermark, max event time, per-partition progress, counters) and every
 * query (operator state: open panes/windows with group keys and partial
 * aggregates, last emitted window, counters), each tagged with the
 * stream's / query's name and a fingerprint of its SQL text. Call between
 * pushes (the engine is single-threaded), never during sink_write. */
void ed_engine_snapshot(ed_engine *e, ed_sb *out);
/* Load a blob from ed_engine_snapshot into an engine whose catalog was
 * rebuilt from the same statements. All-or-nothing: the whole blob is
 * decoded and validated first; on corruption, a version it doesn't know, or
 * a query whose SQL differs, returns -1 with a precise message in err
 * (e.g. "checkpoint: query q5: SQL text differs from the checkpoint") and
 * the engine is unchanged. Streams/queries in the engine but not in the
 * blob keep empty state; objects in the blob but not in the catalog are
 * skipped (and counted in *skipped if not NULL). Processing-time fields
 * (last arrival, partition idleness) restart from now_ms(). */
int ed_engine_restore(ed_engine *e, const void *blob, size_t len, int *skipped, char *err, size_t errlen);

/* Lookup helper for WITH options (keys lower-case); NULL if absent. */
const char *ed_kv_get(const ed_kv *kv, int n, const char *key);

#endif
