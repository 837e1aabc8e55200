/* conn_internal.h — shared between the serve host's source and sink files
 * (not a public API). */
#ifndef EDDY_CONN_INTERNAL_H
#define EDDY_CONN_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include <event2/event.h>
#include "connectors.h"

typedef struct ws_sink ws_sink;
typedef struct ws_client ws_client;

struct ed_conn {
    struct event_base *base;
    ed_http *http;
    ed_engine *engine;
    ws_sink *ws_sinks;     /* open websocket sinks */
    ws_client *clients;    /* every live websocket connection */
    bool checkpointing;    /* serve --state-dir: Kafka offsets only via checkpoints */
};

/* Status hooks for the engine (conn_ckpt.c). */
json_t *ed_conn_stream_status(void *ctx, ed_stream_def *s);
json_t *ed_conn_sink_status(void *ctx, ed_sink_def *s);

/* Declarative option tables: validation, defaults and docs in one place. */
typedef enum { EDO_STRING, EDO_INT, EDO_BOOL } ed_opt_type;
typedef struct ed_opt_spec {
    const char *name;
    ed_opt_type type;
    const char *def;      /* NULL: required (or no default) */
    bool required;
    const char *doc;
} ed_opt_spec;

/* Check every option against the common table plus the connector's table:
 * unknown names (with the nearest valid one), types, required ones. */
int ed_opts_check(const char *what, const char *connector, const ed_kv *kv, int n, const ed_opt_spec *common,
                  const ed_opt_spec *spec, char *err, size_t errlen);
const char *ed_opt_str(const ed_kv *kv, int n, const ed_opt_spec *spec, const char *name);
long long ed_opt_int(const ed_kv *kv, int n, const ed_opt_spec *spec, const char *name);
bool ed_opt_bool(const ed_kv *kv, int n, const ed_opt_spec *spec, const char *name);

extern const ed_opt_spec ed_source_common_opts[];
extern const ed_opt_spec ed_sink_common_opts[];

/* sources */
extern const ed_opt_spec ed_tcp_opts[], ed_file_src_opts[], ed_gen_opts[];
int ed_tcp_open(ed_conn *c, ed_stream_def *s, char *err, size_t errlen);
void ed_tcp_close(ed_stream_def *s);
/* live state: connections, max_connections, accepted, refused, accept_errors */
json_t *ed_tcp_source_status(ed_stream_def *s);
int ed_file_src_open(ed_conn *c, ed_stream_def *s, char *err, size_t errlen);
void ed_file_src_close(ed_stream_def *s);
/* checkpoint position {"path":..,"offset":N} and resuming from one */
json_t *ed_file_src_position(ed_stream_def *s);
void ed_file_src_restore(ed_stream_def *s, json_t *pos);
int ed_gen_open(ed_conn *c, ed_stream_def *s, char *err, size_t errlen);
void ed_gen_close(ed_stream_def *s);

/* sinks */
extern const ed_opt_spec ed_stdout_opts[], ed_file_sink_opts[], ed_ws_opts[];
int ed_file_sink_open(ed_conn *c, ed_sink_def *s, char *err, size_t errlen);
void ed_file_sink_close(ed_sink_def *s);
void ed_file_sink_write(ed_sink_def *s, const ed_row *row);
int ed_ws_open(ed_conn *c, ed_sink_def *s, char *err, size_t errlen);
void ed_ws_close(ed_conn *c, ed_sink_def *s);
void ed_ws_write(ed_conn *c, ed_sink_def *s, const ed_row *row);
void ed_ws_route(ed_http_req *req, void *ctx);
void ed_ws_free_all(ed_conn *c);

/* Every source calls this with its filled batch: one push per read. */
void ed_conn_push(ed_conn *c, ed_stream_def *s, ed_batch *b);

#endif
