/* kafka_sink.c — Kafka sink: every result row becomes one message (the row's
 * JSON as value, an optional column as key) on an idempotent producer
 * (enable.idempotence=true, acks=all, retries handled by librdkafka).
 *
 * Rows are never silently lost: librdkafka buffers up to max_queue messages
 * while brokers are unreachable; a row that does not fit (QUEUE_FULL), a
 * message that finally fails delivery (delivery report with an error, e.g.
 * message.timeout.ms expired) and messages still queued when the sink closes
 * after its 5 s flush are all counted in s->write_errors and reported on
 * stderr at most once per second. Delivery reports are served by a 50 ms
 * libevent timer (rd_kafka_poll(rk, 0)); the loop never blocks.
 *
 * Checkpoint barrier: every message carries the parity of the epoch it was
 * produced in, and inflight[parity] counts its epoch's undelivered messages.
 * ed_kafka_sink_barrier() starts a new epoch; ed_kafka_sink_settled() says
 * when every message produced before the barrier has a delivery report. A
 * checkpoint is made durable only then, so rows emitted before a checkpoint
 * are never lost by a crash after it (at-least-once: rows emitted after it
 * are emitted again when the restored engine replays their input).
 */
#include <stdint.h>
#include "kafka.h"
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ST_CONNECTING, ST_CONNECTED, ST_BROKERS_DOWN, ST_FATAL };
static const char *const state_names[] = {"connecting", "connected", "brokers_down", "fatal"};

struct ed_kafka_sink {
    struct event_base *base;
    ed_sink_def *s;
    rd_kafka_t *rk;
    rd_kafka_topic_t *rkt;
    char *key;
    struct event *ev_timer;
    int state;
    uint64_t produced, delivered, failed, dropped;
    uint64_t unreported_failed, unreported_dropped;
    int64_t last_report_ms;
    uint64_t inflight[2];
    unsigned epoch;
    char last_error[256];
    ed_sb keybuf;
};

static void set_state(ed_kafka_sink *k, int st, const char *why)
{
    if (k->state == st || k->state == ST_FATAL) return;
    k->state = st;
    fprintf(stderr, "eddy: kafka sink %s: %s%s%s\n", k->s->name, state_names[st], why ? ": " : "", why ? why : "");
}

/* Losses are reported, rate limited so a dead broker does not flood stderr. */
static void report_losses(ed_kafka_sink *k, bool force)
{
    if (!k->unreported_failed && !k->unreported_dropped) return;
    int64_t now = ed_kafka_now_ms();
    if (!force && now - k->last_report_ms < 1000) return;
    k->last_report_ms = now;
    fprintf(stderr, "eddy: kafka sink %s: %llu rows dropped (local queue full), %llu deliveries failed%s%s\n",
            k->s->name, (unsigned long long)k->unreported_dropped, (unsigned long long)k->unreported_failed,
            k->unreported_failed && k->last_error[0] ? ": " : "", k->unreported_failed ? k->last_error : "");
    k->unreported_failed = k->unreported_dropped = 0;
}

static void dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    ed_kafka_sink *k = opaque;
    (void)rk;
    uintptr_t parity = (uintptr_t)m->_private - 1;
    if (parity < 2 && k->inflight[parity] > 0) k->inflight[parity]--;
    if (m->err) {
        k->failed++;
        k->unreported_failed++;
        k->s->write_errors++;
        snprintf(k->last_error, sizeof k->last_error, "%s", rd_kafka_err2str(m->err));
    } else {
        k->delivered++;
        set_state(k, ST_CONNECTED, NULL);
    }
}

static void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
    ed_kafka_sink *k = opaque;
    snprintf(k->last_error, sizeof k->last_error, "%s", reason);
    if (err == RD_KAFKA_RESP_ERR__FATAL) {
        char why[200];
        rd_kafka_fatal_error(rk, why, sizeof why);
        snprintf(k->last_error, sizeof k->last_error, "fatal: %s", why);
        set_state(k, ST_FATAL, why);
    } else if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
        set_state(k, ST_BROKERS_DOWN, reason);
    }
}

static int stats_cb(rd_kafka_t *rk, char *json, size_t len, void *opaque)
{
    ed_kafka_sink *k = opaque;
    (void)rk;
    int up = ed_kafka_stats_brokers_up(json, len);
    if (up == 1) set_state(k, ST_CONNECTED, NULL);
    else if (up == 0 && k->state == ST_CONNECTED) set_state(k, ST_BROKERS_DOWN, "no broker connection is up");
    return 0;
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    ed_kafka_sink *k = arg;
    (void)fd;
    (void)what;
    rd_kafka_poll(k->rk, 0);
    report_losses(k, false);
}

static const char *const sink_opts[] = {"connector", "format", "brokers", "topic", "key", "max_queue", NULL};

ed_kafka_sink *ed_kafka_sink_new(struct event_base *base, ed_sink_def *s, char *err, size_t errlen)
{
    if (ed_kafka_opts_check("sink", s->opts, s->nopts, sink_opts, err, errlen) < 0) return NULL;
    const char *brokers = ed_kv_get(s->opts, s->nopts, "brokers");
    const char *topic = ed_kv_get(s->opts, s->nopts, "topic");
    const char *key = ed_kv_get(s->opts, s->nopts, "key");
    const char *format = ed_kv_get(s->opts, s->nopts, "format");
    const char *maxq = ed_kv_get(s->opts, s->nopts, "max_queue");
    if (!brokers || !*brokers) {
        snprintf(err, errlen, "kafka sink needs option brokers");
        return NULL;
    }
    if (!topic || !*topic) {
        snprintf(err, errlen, "kafka sink needs option topic");
        return NULL;
    }
    if (format && strcmp(format, "json") != 0) {
        snprintf(err, errlen, "kafka sink: format '%s' is not supported (json)", format);
        return NULL;
    }
    if (maxq) {
        char *end;
        long long v = strtoll(maxq, &end, 10);
        if (*end || v < 1 || v > 10000000) {
            snprintf(err, errlen, "option max_queue must be an integer between 1 and 10000000, not '%s'", maxq);
            return NULL;
        }
    }
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    if (ed_kafka_conf_set(conf, "bootstrap.servers", brokers, err, errlen) < 0 ||
        ed_kafka_conf_set(conf, "enable.idempotence", "true", err, errlen) < 0 ||
        ed_kafka_conf_set(conf, "acks", "all", err, errlen) < 0 ||
        ed_kafka_conf_set(conf, "queue.buffering.max.messages", maxq ? maxq : "100000", err, errlen) < 0 ||
        ed_kafka_conf_set(conf, "linger.ms", "5", err, errlen) < 0 ||
        ed_kafka_conf_set(conf, "statistics.interval.ms", "1000", err, errlen) < 0 ||
        ed_kafka_conf_set(conf, "client.id", "eddy", err, errlen) < 0 ||
        ed_kafka_conf_passthrough(conf, s->opts, s->nopts, err, errlen) < 0) {
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    ed_kafka_sink *k = ed_xcalloc(1, sizeof *k);
    k->base = base;
    k->s = s;
    k->key = key && *key ? ed_xstrdup(key) : NULL;
    k->keybuf = (ed_sb)ED_SB_INIT;
    rd_kafka_conf_set_opaque(conf, k);
    rd_kafka_conf_set_dr_msg_cb(conf, dr_cb);
    rd_kafka_conf_set_error_cb(conf, error_cb);
    rd_kafka_conf_set_stats_cb(conf, stats_cb);
    char why[512];
    k->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, why, sizeof why);
    if (!k->rk) {
        rd_kafka_conf_destroy(conf);
        snprintf(err, errlen, "kafka producer: %s", why);
        ed_kafka_sink_free(k);
        return NULL;
    }
    k->rkt = rd_kafka_topic_new(k->rk, topic, NULL);
    if (!k->rkt) {
        snprintf(err, errlen, "kafka topic '%s': %s", topic, rd_kafka_err2str(rd_kafka_last_error()));
        ed_kafka_sink_free(k);
        return NULL;
    }
    k->ev_timer = event_new(base, -1, EV_PERSIST, on_timer, k);
    struct timeval tv = {0, 50 * 1000};
    event_add(k->ev_timer, &tv);
    return k;
}

/* The key column rendered as text: strings raw, numbers as decimal. */
static bool render_key(ed_kafka_sink *k, const ed_row *row)
{
    for (int i = 0; i < row->n; i++) {
        if (strcmp(row->names[i], k->key) != 0) continue;
        const ed_value *v = &row->vals[i];
        ed_sb_clear(&k->keybuf);
        if (v->type == ED_NULL) return false;
        if (v->type == ED_VARCHAR) {
            ed_sb_append(&k->keybuf, v->u.s, v->len);
        } else if (v->type == ED_TIMESTAMP) {
            char buf[32];
            int n = ed_ts_format(v->u.i, buf);
            ed_sb_append(&k->keybuf, buf, (size_t)n);
        } else {
            ed_value_json(&k->keybuf, v);
        }
        return true;
    }
    return false;
}

void ed_kafka_sink_write(ed_kafka_sink *k, const ed_row *row)
{
    bool has_key = k->key && render_key(k, row);
    rd_kafka_resp_err_t err;
    for (;;) {
        err = rd_kafka_producev(k->rk, RD_KAFKA_V_RKT(k->rkt), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                RD_KAFKA_V_VALUE((void *)row->json, row->json_len),
                                RD_KAFKA_V_KEY(has_key ? k->keybuf.buf : NULL, has_key ? k->keybuf.len : 0),
                                RD_KAFKA_V_OPAQUE((void *)(uintptr_t)(1 + (k->epoch & 1))), RD_KAFKA_V_END);
        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) break;
        /* delivery reports not yet served may free room: serve them once,
         * without waiting, then give up on this row (counted, reported) */
        if (rd_kafka_poll(k->rk, 0) == 0) break;
    }
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        k->produced++;
        k->inflight[k->epoch & 1]++;
        return;
    }
    k->s->write_errors++;
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        k->dropped++;
        k->unreported_dropped++;
    } else {
        k->failed++;
        k->unreported_failed++;
        snprintf(k->last_error, sizeof k->last_error, "%s", rd_kafka_err2str(err));
    }
    report_losses(k, false);
}

void ed_kafka_sink_free(ed_kafka_sink *k)
{
    if (!k) return;
    if (k->ev_timer) event_free(k->ev_timer);
    if (k->rk) {
        rd_kafka_flush(k->rk, 5000);
        int left = rd_kafka_outq_len(k->rk);
        if (left > 0) {
            /* still undelivered after the bounded flush: counted as lost */
            k->failed += (uint64_t)left;
            k->unreported_failed += (uint64_t)left;
            k->s->write_errors += (uint64_t)left;
            snprintf(k->last_error, sizeof k->last_error, "%d messages undelivered at close", left);
        }
        report_losses(k, true);
    }
    if (k->rkt) rd_kafka_topic_destroy(k->rkt);
    if (k->rk) rd_kafka_destroy(k->rk);
    ed_sb_free(&k->keybuf);
    free(k->key);
    free(k);
}

json_t *ed_kafka_sink_status(const ed_kafka_sink *k)
{
    return json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:s}", "state", state_names[k->state], "queued",
                     (json_int_t)rd_kafka_outq_len(k->rk), "produced", (json_int_t)k->produced, "delivered",
                     (json_int_t)k->delivered, "failed", (json_int_t)k->failed, "dropped_queue_full",
                     (json_int_t)k->dropped, "last_error", k->last_error);
}

bool ed_kafka_sink_barrier(ed_kafka_sink *k)
{
    if (k->inflight[(k->epoch + 1) & 1] > 0) return false; /* the epoch before is still in flight */
    k->epoch++;
    return true;
}

bool ed_kafka_sink_settled(ed_kafka_sink *k)
{
    rd_kafka_poll(k->rk, 0);
    return k->inflight[(k->epoch + 1) & 1] == 0;
}
