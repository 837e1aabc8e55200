/* connectors.h — the `eddy serve` host: sources (tcp, file, generator,
 * kafka), sinks (stdout, file, websocket) and the clock, behind ed_host_ops.
 *
 * Usage: c = ed_conn_new(base, http); e = ed_engine_new(&ed_conn_host_ops, c);
 * ed_conn_set_engine(c, e); ... ed_engine_free(e); ed_conn_free(c);
 * ed_conn_new registers the route GET /ws/ on http for WebSocket sinks.
 * Every source decodes its input into a batch and calls ed_engine_push()
 * once per read. now_ms is the wall clock (CLOCK_REALTIME, ms).
 */
#ifndef EDDY_CONNECTORS_H
#define EDDY_CONNECTORS_H
#include <event2/event.h>
#include <stdbool.h>
#include "../engine/engine.h"
#include "http.h"

typedef struct ed_conn ed_conn;

ed_conn *ed_conn_new(struct event_base *base, ed_http *http);
void ed_conn_set_engine(ed_conn *c, ed_engine *e);
extern const ed_host_ops ed_conn_host_ops;   /* ctx = ed_conn* */
void ed_conn_free(ed_conn *c);

/* Checkpoint support (serve --state-dir; see cli/serve.c):
 * set_checkpointing(true) before any stream exists: Kafka sources then
 * commit offsets only through commit_positions().
 * positions(): new object {"stream": [{"topic","partition","offset"}...]}
 * with the next offset to read of every partition each Kafka source has
 * handed to the engine, and {"stream": {"path","offset"}} for file sources
 * (tcp and generator sources cannot be replayed and have no position);
 * restore_positions() gives such an object back to the
 * sources after a restart; commit_positions() commits it (async unless wait).
 * sink_barrier() marks every row written so far to a Kafka sink (false, and
 * nothing marked, while the previous barrier is unsettled); sinks_settled()
 * is true once all marked rows have delivery reports. */
void ed_conn_set_checkpointing(ed_conn *c, bool on);
json_t *ed_conn_positions(ed_conn *c);
void ed_conn_restore_positions(ed_conn *c, json_t *positions);
void ed_conn_commit_positions(ed_conn *c, json_t *positions, bool wait);
bool ed_conn_sink_barrier(ed_conn *c);
bool ed_conn_sinks_settled(ed_conn *c);

/* Prometheus lines for connector state (Kafka sources and sinks). */
void ed_conn_metrics(ed_conn *c, ed_sb *out);

/* Wall clock in ms (CLOCK_REALTIME). */
int64_t ed_conn_wall_ms(void);

#endif
