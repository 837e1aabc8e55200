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
#include "../engine/engine.h"
#include "http.h"

typedef struct ed_conn ed_conn;

ed_conn *ed_conn_new(struct event_base *base, ed_http *http);
void ed_conn_set_engine(ed_conn *c, ed_engine *e);
extern const ed_host_ops ed_conn_host_ops;   /* ctx = ed_conn* */
void ed_conn_free(ed_conn *c);

/* Wall clock in ms (CLOCK_REALTIME). */
int64_t ed_conn_wall_ms(void);

#endif
