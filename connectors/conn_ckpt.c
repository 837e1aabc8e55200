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

void ed_conn_metrics(ed_conn *c, ed_sb *out)
{
    if (!c->engine) return;
    static const char *const src_counters[] = {"messages", "rebalances", "commits", "commit_failures", NULL};
    static const char *const sink_counters[] = {"produced", "delivered", "failed", "dropped_queue_full", NULL};
    json_t *list = ed_engine_list(c->engine, OBJ_STREAM);
    size_t i;
    json_t *o;
    bool head = false;
    json_array_foreach(list, i, o) {
        json_t *st = json_object_get(o, "connector_state");
        const char *name = json_string_value(json_object_get(o, "name"));
        if (!st || !name || !is_kafka(json_string_value(json_object_get(o, "connector")))) continue;
        if (!head) {
            ed_sb_puts(out, "# HELP eddy_kafka_source_state Kafka source connection state (1 = current).\n"
                            "# TYPE eddy_kafka_source_state gauge\n");
            head = true;
        }
        state_lines(out, "eddy_kafka_source_state", "stream", name, json_string_value(json_object_get(st, "state")),
                    source_states);
        ed_sb_printf(out, "eddy_kafka_source_assigned_partitions{stream=\"%s\"} %zu\n", name,
                     json_array_size(json_object_get(st, "assigned")));
        for (int k = 0; src_counters[k]; k++)
            ed_sb_printf(out, "eddy_kafka_source_%s_total{stream=\"%s\"} %lld\n", src_counters[k], name,
                         (long long)num(st, src_counters[k]));
    }
    json_decref(list);
    list = ed_engine_list(c->engine, OBJ_SINK);
    head = false;
    json_array_foreach(list, i, o) {
        json_t *st = json_object_get(o, "connector_state");
        const char *name = json_string_value(json_object_get(o, "name"));
        if (!st || !name || !is_kafka(json_string_value(json_object_get(o, "connector")))) continue;
        if (!head) {
            ed_sb_puts(out, "# HELP eddy_kafka_sink_state Kafka sink connection state (1 = current).\n"
                            "# TYPE eddy_kafka_sink_state gauge\n");
            head = true;
        }
        state_lines(out, "eddy_kafka_sink_state", "sink", name, json_string_value(json_object_get(st, "state")),
                    sink_states);
        ed_sb_printf(out, "eddy_kafka_sink_queued{sink=\"%s\"} %lld\n", name, (long long)num(st, "queued"));
        for (int k = 0; sink_counters[k]; k++)
            ed_sb_printf(out, "eddy_kafka_sink_%s_total{sink=\"%s\"} %lld\n", sink_counters[k], name,
                         (long long)num(st, sink_counters[k]));
    }
    json_decref(list);
}
