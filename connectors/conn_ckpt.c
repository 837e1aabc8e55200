/* conn_ckpt.c — the serve host's part of checkpoints and connector state:
 * Kafka source positions and sink barriers across every stream and sink of
 * the engine, live connector state for SHOW/API (status hooks) and for
 * /metrics. */
#include "conn_internal.h"
#include "kafka.h"
#include <string.h>

static bool is_kafka(const char *connector) { return connector && !strcmp(connector, "kafka"); }

/* Calls fn for every Kafka source (stream) or sink of the engine. */
static void each_kafka(ed_conn *c, ed_object_kind kind, void (*fn)(void *obj, void *arg), void *arg)
{
    if (!c->engine) return;
    json_t *list = ed_engine_list(c->engine, kind);
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o) {
        const char *name = json_string_value(json_object_get(o, "name"));
        if (!name) continue;
        if (kind == OBJ_STREAM) {
            ed_stream_def *s = ed_engine_stream(c->engine, name);
            if (s && is_kafka(s->connector) && s->host_data) fn(s, arg);
        } else {
            ed_sink_def *s = ed_engine_sink(c->engine, name);
            if (s && is_kafka(s->connector) && s->host_data) fn(s, arg);
        }
    }
    json_decref(list);
}

void ed_conn_set_checkpointing(ed_conn *c, bool on) { c->checkpointing = on; }

static bool is_file(const char *connector) { return connector && !strcmp(connector, "file"); }

/* Positions: Kafka sources {"stream":[{"topic","partition","offset"}...]},
 * file sources {"stream":{"path","offset"}}. Other sources (tcp, generators)
 * cannot be replayed and have none. */
json_t *ed_conn_positions(ed_conn *c)
{
    json_t *o = json_object();
    if (!c->engine) return o;
    json_t *list = ed_engine_list(c->engine, OBJ_STREAM);
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it) {
        ed_stream_def *s = ed_engine_stream(c->engine, json_string_value(json_object_get(it, "name")));
        if (!s || !s->host_data) continue;
        if (is_kafka(s->connector)) json_object_set_new(o, s->name, ed_kafka_source_positions(s->host_data));
        else if (is_file(s->connector)) json_object_set_new(o, s->name, ed_file_src_position(s));
    }
    json_decref(list);
    return o;
}

void ed_conn_restore_positions(ed_conn *c, json_t *positions)
{
    const char *name;
    json_t *p;
    json_object_foreach(positions, name, p) {
        ed_stream_def *s = c->engine ? ed_engine_stream(c->engine, name) : NULL;
        if (!s || !s->host_data) continue;
        if (is_kafka(s->connector) && json_is_array(p)) ed_kafka_source_restore_positions(s->host_data, p);
        else if (is_file(s->connector) && json_is_object(p)) ed_file_src_restore(s, p);
    }
}

typedef struct commit_arg {
    json_t *positions;
    bool wait;
} commit_arg;

static void commit_positions(void *obj, void *arg)
{
    ed_stream_def *s = obj;
    commit_arg *a = arg;
    json_t *p = json_object_get(a->positions, s->name);
    if (json_is_array(p)) ed_kafka_source_commit(s->host_data, p, a->wait);
}

void ed_conn_commit_positions(ed_conn *c, json_t *positions, bool wait)
{
    commit_arg a = {positions, wait};
    each_kafka(c, OBJ_STREAM, commit_positions, &a);
}

static void sink_settled(void *obj, void *arg)
{
    ed_sink_def *s = obj;
    if (!ed_kafka_sink_settled(s->host_data)) *(bool *)arg = false;
}

bool ed_conn_sinks_settled(ed_conn *c)
{
    bool ok = true;
    each_kafka(c, OBJ_SINK, sink_settled, &ok);
    return ok;
}

static void sink_barrier(void *obj, void *arg)
{
    ed_sink_def *s = obj;
    (void)arg;
    ed_kafka_sink_barrier(s->host_data);
}

bool ed_conn_sink_barrier(ed_conn *c)
{
    if (!ed_conn_sinks_settled(c)) return false;
    each_kafka(c, OBJ_SINK, sink_barrier, NULL);
    return true;
}

/* Status hooks (ed_engine_set_status_hooks). */
json_t *ed_conn_stream_status(void *ctx, ed_stream_def *s)
{
    (void)ctx;
    if (is_kafka(s->connector) && s->host_data) return ed_kafka_source_status(s->host_data);
    if (s->connector && !strcmp(s->connector, "tcp") && s->host_data) return ed_tcp_source_status(s);
    return NULL;
}

json_t *ed_conn_sink_status(void *ctx, ed_sink_def *s)
{
    (void)ctx;
    if (is_kafka(s->connector) && s->host_data) return ed_kafka_sink_status(s->host_data);
    return NULL;
}

static const char *const source_states[] = {"connecting", "connected", "brokers_down", NULL};
static const char *const sink_states[] = {"connecting", "connected", "brokers_down", "fatal", NULL};

static void state_lines(ed_sb *out, const char *metric, const char *label, const char *name, const char *state,
                        const char *const *states)
{
    for (int i = 0; states[i]; i++)
        ed_sb_printf(out, "%s{%s=\"%s\",state=\"%s\"} %d\n", metric, label, name, states[i],
                     state && !strcmp(state, states[i]));
}

static json_int_t num(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

/* One Prometheus family per entry, its samples together (the text format
 * wants a family's samples contiguous): field "#x" is the length of array
 * x, any other a number of the connector_state. */
typedef struct fam {
    const char *metric, *type, *help, *field;
} fam;

static bool want_kafka(const char *conn) { return is_kafka(conn); }
static bool want_tcp(const char *conn) { return conn && !strcmp(conn, "tcp"); }

/* The connector_state of catalog row o if its connector is wanted (and its
 * name in *name), else NULL. */
static json_t *wanted_state(json_t *o, bool (*want)(const char *), const char **name)
{
    json_t *st = json_object_get(o, "connector_state");
    *name = json_string_value(json_object_get(o, "name"));
    return st && *name && want(json_string_value(json_object_get(o, "connector"))) ? st : NULL;
}

/* HELP and TYPE before a family's first sample */
static void family_head(ed_sb *out, bool *head, const char *metric, const char *type, const char *help)
{
    if (*head) return;
    ed_sb_printf(out, "# HELP %s %s\n# TYPE %s %s\n", metric, help, metric, type);
    *head = true;
}

static void families(ed_sb *out, json_t *list, bool (*want)(const char *), const char *label, const fam *f)
{
    for (; f->metric; f++) {
        bool head = false;
        size_t i;
        json_t *o, *st;
        const char *name;
        json_array_foreach(list, i, o) {
            if (!(st = wanted_state(o, want, &name))) continue;
            family_head(out, &head, f->metric, f->type, f->help);
            long long v = f->field[0] == '#' ? (long long)json_array_size(json_object_get(st, f->field + 1))
                                             : (long long)num(st, f->field);
            ed_sb_printf(out, "%s{%s=\"%s\"} %lld\n", f->metric, label, name, v);
        }
    }
}

/* the state family: one sample per (object, possible state), 1 = current */
static void state_family(ed_sb *out, json_t *list, const char *metric, const char *help, const char *label,
                         const char *const *states)
{
    bool head = false;
    size_t i;
    json_t *o, *st;
    const char *name;
    json_array_foreach(list, i, o) {
        if (!(st = wanted_state(o, want_kafka, &name))) continue;
        family_head(out, &head, metric, "gauge", help);
        state_lines(out, metric, label, name, json_string_value(json_object_get(st, "state")), states);
    }
}

void ed_conn_metrics(ed_conn *c, ed_sb *out)
{
    if (!c->engine) return;
    static const fam kafka_src[] = {
        {"eddy_kafka_source_assigned_partitions", "gauge", "Partitions assigned to the stream's consumer.", "#assigned"},
        {"eddy_kafka_source_messages_total", "counter", "Messages consumed.", "messages"},
        {"eddy_kafka_source_rebalances_total", "counter", "Consumer group rebalances.", "rebalances"},
        {"eddy_kafka_source_commits_total", "counter", "Offset commits.", "commits"},
        {"eddy_kafka_source_commit_failures_total", "counter", "Offset commits that failed.", "commit_failures"},
        {NULL, NULL, NULL, NULL}};
    static const fam tcp_src[] = {
        {"eddy_tcp_source_connections", "gauge", "Producers connected to the tcp source.", "connections"},
        {"eddy_tcp_source_refused_total", "counter", "Producers closed at once because max_connections were connected.",
         "refused"},
        {"eddy_tcp_source_accept_errors_total", "counter",
         "accept() failures of the source's listener (out of descriptors or memory).", "accept_errors"},
        {NULL, NULL, NULL, NULL}};
    static const fam kafka_sink[] = {
        {"eddy_kafka_sink_queued", "gauge", "Rows waiting in the producer's local queue.", "queued"},
        {"eddy_kafka_sink_produced_total", "counter", "Rows handed to the producer.", "produced"},
        {"eddy_kafka_sink_delivered_total", "counter", "Rows acknowledged by the brokers.", "delivered"},
        {"eddy_kafka_sink_failed_total", "counter", "Rows whose delivery failed.", "failed"},
        {"eddy_kafka_sink_dropped_queue_full_total", "counter", "Rows dropped because the local queue was full.",
         "dropped_queue_full"},
        {NULL, NULL, NULL, NULL}};
    json_t *list = ed_engine_list(c->engine, OBJ_STREAM);
    state_family(out, list, "eddy_kafka_source_state", "Kafka source connection state (1 = current).", "stream",
                 source_states);
    families(out, list, want_kafka, "stream", kafka_src);
    families(out, list, want_tcp, "stream", tcp_src);
    json_decref(list);
    list = ed_engine_list(c->engine, OBJ_SINK);
    state_family(out, list, "eddy_kafka_sink_state", "Kafka sink connection state (1 = current).", "sink", sink_states);
    families(out, list, want_kafka, "sink", kafka_sink);
    json_decref(list);
    if (c->http)
        ed_sb_printf(out, "# HELP eddy_http_accept_errors_total accept() failures of the HTTP listener.\n"
                          "# TYPE eddy_http_accept_errors_total counter\n"
                          "eddy_http_accept_errors_total %llu\n",
                     (unsigned long long)ed_http_accept_errors(c->http));
}
