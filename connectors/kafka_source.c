/* kafka_source.c — Kafka consumer-group source driven by the libevent loop.
 *
 * librdkafka runs its own network threads; this file never blocks the loop
 * and runs no polling thread. The consumer queue wakes a pipe
 * (rd_kafka_queue_io_event_enable) whenever it goes from empty to non-empty;
 * the pipe's read event drains up to ED_KAFKA_DRAIN messages with
 * rd_kafka_consumer_poll(rk, 0), decodes each JSON value into one ed_batch
 * and pushes the batch once per drain; a drain that stops at the limit
 * continues from a zero-delay timer, after the loop has polled sockets and
 * run due timers (a backlog never starves the HTTP API, WebSocket clients,
 * other sources or the checkpoint timer). The same poll serves rebalances,
 * errors and statistics (they are forwarded to the consumer queue by
 * rd_kafka_poll_set_consumer); a 100 ms timer also drains, so nothing waits
 * on a missed wakeup.
 *
 * Offsets: enable.auto.commit=false and enable.auto.offset.store=false. An
 * offset is stored only after its message was handed to the engine; stored
 * offsets are committed (asynchronously) at most every commit_interval_ms,
 * when partitions are revoked, and when the source closes. Committing at
 * revoke alone is not enough: brokers (and the mock cluster) may refuse
 * commits once a rebalance is in progress.
 *
 * Checkpoint mode (eddy serve --state-dir): the source never commits on its
 * own schedule nor at close. It keeps `positions`, the next offset to read
 * of every partition whose messages reached the engine; a checkpoint saves
 * them with the engine state and, once the checkpoint file is durable,
 * commits exactly those (ed_kafka_source_commit). After a restart the
 * positions from the checkpoint are applied when each partition is next
 * assigned (once), so reading resumes exactly where the restored state
 * ends. On revoke the consumed offsets are still committed so the next owner
 * does not read them twice.
 */
#include "kafka.h"
#include <errno.h>
#include <fcntl.h>
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ingest.h"


enum { ST_CONNECTING, ST_CONNECTED, ST_BROKERS_DOWN };
static const char *const state_names[] = {"connecting", "connected", "brokers_down"};

struct ed_kafka_source {
    struct event_base *base;
    ed_engine *engine;
    ed_stream_def *s;
    rd_kafka_t *rk;
    rd_kafka_queue_t *q;
    int pipefd[2];
    struct event *ev_read, *ev_timer, *ev_more;
    ed_batch batch;
    int key_col, part_col, off_col, ts_col; /* -1 when not declared / not from Kafka */
    int state;
    bool closing;
    bool cooperative;
    /* last consumed message per partition in the current batch, to store
     * offsets after the push */
    rd_kafka_topic_partition_list_t *pending;
    int last_pending;      /* index in pending of the last message's partition, -1 none */
    int32_t *assigned;
    int nassigned;
    uint64_t messages, rebalances, commits, commit_failures;
    bool dirty;            /* offsets stored since the last commit was issued */
    int commits_in_flight;
    int64_t commit_interval_ms, last_commit_ms;
    bool checkpointing;
    rd_kafka_topic_partition_list_t *positions; /* next offset to read, per partition the engine consumed */
    rd_kafka_topic_partition_list_t *restore;   /* from a checkpoint, applied at the next assignment */
    char last_error[256];
};

static void set_position(rd_kafka_topic_partition_list_t *l, const char *topic, int32_t part, int64_t off)
{
    rd_kafka_topic_partition_t *p = rd_kafka_topic_partition_list_find(l, topic, part);
    if (!p) p = rd_kafka_topic_partition_list_add(l, topic, part);
    p->offset = off;
}

static void set_state(ed_kafka_source *k, int st, const char *why)
{
    if (k->state == st) return;
    k->state = st;
    fprintf(stderr, "eddy: kafka source %s: %s%s%s\n", k->s->name, state_names[st], why ? ": " : "", why ? why : "");
}

/* Hand the decoded rows to the engine, then mark their offsets as processed. */
static void flush_batch(ed_kafka_source *k)
{
    if (k->batch.nrows > 0 && !k->closing) ed_engine_push(k->engine, k->s, &k->batch);
    ed_batch_clear(&k->batch);
    if (k->pending->cnt > 0) {
        rd_kafka_resp_err_t err = rd_kafka_offsets_store(k->rk, k->pending);
        /* a partition revoked meanwhile rejects the store: harmless */
        (void)err;
        for (int i = 0; i < k->pending->cnt; i++)
            set_position(k->positions, k->pending->elems[i].topic, k->pending->elems[i].partition,
                         k->pending->elems[i].offset);
        k->dirty = true;
        rd_kafka_topic_partition_list_destroy(k->pending);
        k->pending = rd_kafka_topic_partition_list_new(16);
        k->last_pending = -1;
    }
}

/* Messages come in runs of one partition: the last one's entry is tried
 * before a search of the list (a strcmp per entry: with 100 partitions the
 * search was ~3 % of the consuming thread). */
static void note_offset(ed_kafka_source *k, const rd_kafka_message_t *m)
{
    const char *topic = rd_kafka_topic_name(m->rkt);
    rd_kafka_topic_partition_t *p = NULL;
    if (k->last_pending >= 0 && k->last_pending < k->pending->cnt) {
        p = &k->pending->elems[k->last_pending];
        if (p->partition != m->partition || strcmp(p->topic, topic) != 0) p = NULL;
    }
    if (!p) {
        p = rd_kafka_topic_partition_list_find(k->pending, topic, m->partition);
        if (!p) p = rd_kafka_topic_partition_list_add(k->pending, topic, m->partition);
        k->last_pending = (int)(p - k->pending->elems);
    }
    p->offset = m->offset + 1; /* the committed offset is the next one to read */
}

static void refresh_assignment(ed_kafka_source *k)
{
    rd_kafka_topic_partition_list_t *a = NULL;
    if (rd_kafka_assignment(k->rk, &a) != RD_KAFKA_RESP_ERR_NO_ERROR) return;
    free(k->assigned);
    k->nassigned = a->cnt;
    k->assigned = ed_xmalloc(sizeof(int32_t) * (size_t)(a->cnt ? a->cnt : 1));
    /* the engine tracks partitions by number: a multi-topic stream shares
     * numbers across topics, which only makes the watermark more cautious */
    for (int i = 0; i < a->cnt; i++) k->assigned[i] = a->elems[i].partition;
    rd_kafka_topic_partition_list_destroy(a);
    if (!k->closing) ed_engine_set_partitions(k->engine, k->s, k->assigned, k->nassigned);
}

static void rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts,
                         void *opaque)
{
    ed_kafka_source *k = opaque;
    k->rebalances++;
    /* rows of partitions about to be revoked are pushed before the engine
     * forgets those partitions */
    flush_batch(k);
    rd_kafka_error_t *e = NULL;
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        /* a checkpoint's positions win over committed offsets, once */
        for (int i = 0; i < parts->cnt; i++) {
            rd_kafka_topic_partition_t *p = &parts->elems[i];
            rd_kafka_topic_partition_t *r = rd_kafka_topic_partition_list_find(k->restore, p->topic, p->partition);
            if (!r) continue;
            p->offset = r->offset;
            set_position(k->positions, p->topic, p->partition, r->offset);
            rd_kafka_topic_partition_list_del(k->restore, p->topic, p->partition);
        }
        if (k->cooperative)
            e = rd_kafka_incremental_assign(rk, parts);
        else
            rd_kafka_assign(rk, parts);
        set_state(k, ST_CONNECTED, NULL);
    } else {
        /* commit what the engine has consumed, so the next owner resumes there */
        rd_kafka_resp_err_t cerr = rd_kafka_commit(rk, NULL, 0);
        if (cerr && cerr != RD_KAFKA_RESP_ERR__NO_OFFSET) {
            snprintf(k->last_error, sizeof k->last_error, "commit on revoke: %s", rd_kafka_err2str(cerr));
            fprintf(stderr, "eddy: kafka source %s: %s\n", k->s->name, k->last_error);
        }
        else if (!cerr)
            k->dirty = false;
        for (int i = 0; i < parts->cnt; i++)
            rd_kafka_topic_partition_list_del(k->positions, parts->elems[i].topic, parts->elems[i].partition);
        if (k->cooperative)
            e = rd_kafka_incremental_unassign(rk, parts);
        else
            rd_kafka_assign(rk, NULL);
    }
    if (e) {
        snprintf(k->last_error, sizeof k->last_error, "rebalance: %s", rd_kafka_error_string(e));
        rd_kafka_error_destroy(e);
    }
    refresh_assignment(k);
}

static void commit_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *offsets, void *opaque)
{
    ed_kafka_source *k = opaque;
    (void)rk;
    (void)offsets;
    if (k->commits_in_flight > 0) k->commits_in_flight--;
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR__NO_OFFSET) {
        k->commits++;
    } else {
        k->commit_failures++;
        k->dirty = true; /* try again at the next interval */
        snprintf(k->last_error, sizeof k->last_error, "offset commit: %s", rd_kafka_err2str(err));
    }
}

static void maybe_commit(ed_kafka_source *k)
{
    if (!k->dirty || k->checkpointing || k->commit_interval_ms <= 0) return;
    int64_t now = ed_kafka_now_ms();
    if (now - k->last_commit_ms < k->commit_interval_ms) return;
    k->last_commit_ms = now;
    k->dirty = false;
    /* async: the result arrives through commit_cb on a later poll */
    if (rd_kafka_commit(k->rk, NULL, 1) == RD_KAFKA_RESP_ERR_NO_ERROR) k->commits_in_flight++;
}

static void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
    ed_kafka_source *k = opaque;
    (void)rk;
    snprintf(k->last_error, sizeof k->last_error, "%s", reason);
    if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) set_state(k, ST_BROKERS_DOWN, reason);
}

static int stats_cb(rd_kafka_t *rk, char *json, size_t len, void *opaque)
{
    ed_kafka_source *k = opaque;
    (void)rk;
    int up = ed_kafka_stats_brokers_up(json, len);
    if (up == 1) set_state(k, ST_CONNECTED, NULL);
    else if (up == 0 && k->state == ST_CONNECTED) set_state(k, ST_BROKERS_DOWN, "no broker connection is up");
    return 0; /* librdkafka frees json */
}

static void decode_message(ed_kafka_source *k, const rd_kafka_message_t *m, int64_t now)
{
    ed_stream_def *s = k->s;
    char why[256];
    const char *payload = m->payload ? (const char *)m->payload : "";
    if (ed_ingest_line(s, &k->batch, payload, m->len, now, why, sizeof why) < 0) {
        if (s->dead_letter) ed_dead_letter_write(s->dead_letter, s->name, why, payload, m->len);
        return;
    }
    int r = k->batch.nrows - 1;
    ed_value *row = k->batch.vals + (size_t)r * (size_t)k->batch.ncols;
    k->batch.part[r] = m->partition;
    if (k->key_col >= 0)
        row[k->key_col] = m->key ? ed_v_str(ed_arena_strndup(&k->batch.arena, m->key, m->key_len), (uint32_t)m->key_len)
                                 : ed_v_null();
    if (k->part_col >= 0) row[k->part_col] = ed_v_int(m->partition);
    if (k->off_col >= 0) row[k->off_col] = ed_v_int(m->offset);
    if (k->ts_col >= 0) {
        rd_kafka_timestamp_type_t tt;
        int64_t ts = rd_kafka_message_timestamp(m, &tt);
        row[k->ts_col] = tt == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? ed_v_null() : ed_v_ts(ts);
    }
}

/* Drain the consumer queue; returns true if the drain stopped at the limit. */
static bool drain(ed_kafka_source *k)
{
    int64_t now = ed_kafka_now_ms();
    int n = 0;
    /* one message per call, not rd_kafka_consume_batch_queue: a batch call
     * serves a rebalance in the middle of filling its array and returns the
     * messages taken before it afterwards, when their partitions may be
     * revoked (positions and offsets of a partition this consumer no longer
     * owns). consumer_poll hands messages and rebalances over in queue order. */
    for (; n < ED_KAFKA_DRAIN; n++) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(k->rk, 0);
        if (!m) break;
        if (m->err) {
            if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
                snprintf(k->last_error, sizeof k->last_error, "%s", rd_kafka_message_errstr(m));
        } else {
            k->messages++;
            decode_message(k, m, now);
            note_offset(k, m);
            if (k->state != ST_CONNECTED) set_state(k, ST_CONNECTED, NULL);
        }
        rd_kafka_message_destroy(m);
    }
    flush_batch(k);
    maybe_commit(k);
    return n == ED_KAFKA_DRAIN;
}

/* Drain; if messages remain, continue once the loop has polled for I/O and
 * run due timers. (event_active() would not do: libevent runs an event
 * activated from a callback in the same pass, before polling again.) */
static void drain_more(ed_kafka_source *k)
{
    static const struct timeval zero = {0, 0};
    if (drain(k)) evtimer_add(k->ev_more, &zero);
}

static void on_more(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    drain_more(arg);
}

static void on_wakeup(evutil_socket_t fd, short what, void *arg)
{
    ed_kafka_source *k = arg;
    (void)what;
    char buf[256];
    while (read(fd, buf, sizeof buf) > 0) {
    }
    drain_more(k);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    drain_more(arg);
}

static int check_pseudo(const ed_stream_def *s, const char *name, ed_type want, int *col, char *err, size_t errlen)
{
    *col = ed_schema_find(&s->schema, name);
    if (*col >= 0 && s->schema.cols[*col].type != want) {
        snprintf(err, errlen, "column %s must be %s", name, ed_type_name(want));
        return -1;
    }
    return 0;
}

static int set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static const char *const source_opts[] = {"connector", "format",    "max_event_bytes", "dead_letter", "idle_timeout",
                                          "brokers",   "topic",     "group",           "start",       "timestamp",
                                          NULL};

ed_kafka_source *ed_kafka_source_new(struct event_base *base, ed_engine *engine, ed_stream_def *s, char *err,
                                     size_t errlen)
{
    if (ed_kafka_opts_check("source", s->opts, s->nopts, source_opts, err, errlen) < 0) return NULL;
    const char *brokers = ed_kv_get(s->opts, s->nopts, "brokers");
    const char *topic = ed_kv_get(s->opts, s->nopts, "topic");
    const char *group = ed_kv_get(s->opts, s->nopts, "group");
    const char *start = ed_kv_get(s->opts, s->nopts, "start");
    const char *tsopt = ed_kv_get(s->opts, s->nopts, "timestamp");
    if (!brokers || !*brokers) {
        snprintf(err, errlen, "kafka source needs option brokers");
        return NULL;
    }
    if (!topic || !*topic) {
        snprintf(err, errlen, "kafka source needs option topic");
        return NULL;
    }
    if (s->format && strcmp(s->format, "json") != 0) {
        snprintf(err, errlen, "kafka source: format '%s' is not supported (json)", s->format);
        return NULL;
    }
    if (start && strcmp(start, "earliest") != 0 && strcmp(start, "latest") != 0) {
        snprintf(err, errlen, "option start must be 'earliest' or 'latest', not '%s'", start);
        return NULL;
    }
    int ts_col = -1;
    if (tsopt) {
        if (strcmp(tsopt, "kafka") != 0) {
            snprintf(err, errlen, "option timestamp must be 'kafka' (or absent), not '%s'", tsopt);
            return NULL;
        }
        if (s->ts_col < 0 || s->schema.cols[s->ts_col].type != ED_TIMESTAMP) {
            snprintf(err, errlen, "timestamp = 'kafka' needs a TIMESTAMP event-time column (WATERMARK FOR col ...)");
            return NULL;
        }
        ts_col = s->ts_col;
    }
    int key_col, part_col, off_col;
    if (check_pseudo(s, "_key", ED_VARCHAR, &key_col, err, errlen) < 0 ||
        check_pseudo(s, "_partition", ED_BIGINT, &part_col, err, errlen) < 0 ||
        check_pseudo(s, "_offset", ED_BIGINT, &off_col, err, errlen) < 0)
        return NULL;

    char gbuf[300];
    if (!group || !*group) {
        snprintf(gbuf, sizeof gbuf, "eddy-%s", s->name);
        group = gbuf;
    }
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    char enbuf[32];
    snprintf(enbuf, sizeof enbuf, "%d", 1000);
    if (ed_kafka_conf_set(conf, "bootstrap.servers", brokers, err, errlen) < 0 ||
        ed_kafka_conf_set(conf, "group.id", group, err, errlen) < 0 ||
        ed_kafka_conf_set(conf, "auto.offset.reset", start ? start : "latest", err, errlen) < 0 ||
        ed_kafka_conf_set(conf, "enable.auto.commit", "false", err, errlen) < 0 ||
        ed_kafka_conf_set(conf, "enable.auto.offset.store", "false", err, errlen) < 0 ||
        ed_kafka_conf_set(conf, "queued.min.messages", "1000000", err, errlen) < 0 ||
        ed_kafka_conf_set(conf, "queued.max.messages.kbytes", "262144", err, errlen) < 0 ||
        ed_kafka_conf_set(conf, "statistics.interval.ms", enbuf, err, errlen) < 0 ||
        ed_kafka_conf_set(conf, "client.id", "eddy", err, errlen) < 0 ||
        ed_kafka_conf_passthrough(conf, s->opts, s->nopts, err, errlen) < 0) {
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    ed_kafka_source *k = ed_xcalloc(1, sizeof *k);
    k->base = base;
    k->engine = engine;
    k->s = s;
    k->key_col = key_col;
    k->part_col = part_col;
    k->off_col = off_col;
    k->ts_col = ts_col;
    k->pipefd[0] = k->pipefd[1] = -1;
    k->pending = rd_kafka_topic_partition_list_new(16);
    k->last_pending = -1;
    k->positions = rd_kafka_topic_partition_list_new(16);
    k->restore = rd_kafka_topic_partition_list_new(0);
    ed_batch_init(&k->batch, s->schema.ncols);
    rd_kafka_conf_set_opaque(conf, k);
    rd_kafka_conf_set_rebalance_cb(conf, rebalance_cb);
    rd_kafka_conf_set_error_cb(conf, error_cb);
    rd_kafka_conf_set_stats_cb(conf, stats_cb);
    rd_kafka_conf_set_offset_commit_cb(conf, commit_cb);
    k->commit_interval_ms = 1000;

    char why[512];
    k->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, why, sizeof why);
    if (!k->rk) {
        rd_kafka_conf_destroy(conf);
        snprintf(err, errlen, "kafka consumer: %s", why);
        ed_kafka_source_free(k);
        return NULL;
    }
    const char *proto = rd_kafka_rebalance_protocol(k->rk);
    k->cooperative = proto && strcmp(proto, "COOPERATIVE") == 0;
    rd_kafka_poll_set_consumer(k->rk);
    k->q = rd_kafka_queue_get_consumer(k->rk);
    if (pipe(k->pipefd) < 0 || set_nonblock(k->pipefd[0]) < 0 || set_nonblock(k->pipefd[1]) < 0) {
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        ed_kafka_source_free(k);
        return NULL;
    }
    k->ev_read = event_new(base, k->pipefd[0], EV_READ | EV_PERSIST, on_wakeup, k);
    k->ev_timer = event_new(base, -1, EV_PERSIST, on_timer, k);
    k->ev_more = evtimer_new(base, on_more, k);
    struct timeval tv = {0, 100 * 1000};
    event_add(k->ev_read, NULL);
    event_add(k->ev_timer, &tv);
    rd_kafka_queue_io_event_enable(k->q, k->pipefd[1], "1", 1);

    rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(4);
    char *tl = ed_xstrdup(topic), *save = NULL;
    for (char *t = strtok_r(tl, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ') t++;
        if (*t) rd_kafka_topic_partition_list_add(topics, t, RD_KAFKA_PARTITION_UA);
    }
    free(tl);
    rd_kafka_resp_err_t serr = rd_kafka_subscribe(k->rk, topics);
    rd_kafka_topic_partition_list_destroy(topics);
    if (serr) {
        snprintf(err, errlen, "kafka subscribe to '%s': %s", topic, rd_kafka_err2str(serr));
        ed_kafka_source_free(k);
        return NULL;
    }
    return k;
}

void ed_kafka_source_free(ed_kafka_source *k)
{
    if (!k) return;
    k->closing = true;
    if (k->q) rd_kafka_queue_io_event_enable(k->q, -1, NULL, 0);
    if (k->ev_read) event_free(k->ev_read);
    if (k->ev_timer) event_free(k->ev_timer);
    if (k->ev_more) event_free(k->ev_more);
    if (k->rk) {
        /* rows already decoded were pushed at the end of every drain; commit
         * the offsets the engine has seen, then leave the group */
        ed_batch_clear(&k->batch);
        if (!k->checkpointing) {
            if (k->pending->cnt > 0) rd_kafka_offsets_store(k->rk, k->pending);
            rd_kafka_commit(k->rk, NULL, 0);
        }
        rd_kafka_consumer_close(k->rk);
    }
    if (k->q) rd_kafka_queue_destroy(k->q);
    if (k->rk) rd_kafka_destroy(k->rk);
    if (k->pipefd[0] >= 0) close(k->pipefd[0]);
    if (k->pipefd[1] >= 0) close(k->pipefd[1]);
    rd_kafka_topic_partition_list_destroy(k->pending);
    rd_kafka_topic_partition_list_destroy(k->positions);
    rd_kafka_topic_partition_list_destroy(k->restore);
    ed_batch_free(&k->batch);
    free(k->assigned);
    free(k);
}

json_t *ed_kafka_source_status(const ed_kafka_source *k)
{
    json_t *parts = json_array();
    for (int i = 0; i < k->nassigned; i++) json_array_append_new(parts, json_integer(k->assigned[i]));
    return json_pack("{s:s,s:o,s:I,s:I,s:I,s:I,s:b,s:s}", "state", state_names[k->state], "assigned", parts,
                     "messages", (json_int_t)k->messages, "rebalances", (json_int_t)k->rebalances, "commits",
                     (json_int_t)k->commits, "commit_failures", (json_int_t)k->commit_failures, "commit_pending",
                     k->dirty || k->commits_in_flight > 0, "last_error", k->last_error);
}

void ed_kafka_source_set_checkpointing(ed_kafka_source *k, bool on) { k->checkpointing = on; }

json_t *ed_kafka_source_positions(const ed_kafka_source *k)
{
    json_t *a = json_array();
    for (int i = 0; i < k->positions->cnt; i++) {
        const rd_kafka_topic_partition_t *p = &k->positions->elems[i];
        json_array_append_new(a, json_pack("{s:s,s:i,s:I}", "topic", p->topic, "partition", (int)p->partition,
                                           "offset", (json_int_t)p->offset));
    }
    return a;
}

/* positions: an array made by ed_kafka_source_positions; entries that are not
 * well formed are skipped. NULL list on error. */
static rd_kafka_topic_partition_list_t *positions_list(json_t *positions)
{
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(16);
    size_t i;
    json_t *o;
    json_array_foreach(positions, i, o) {
        const char *t = json_string_value(json_object_get(o, "topic"));
        json_t *p = json_object_get(o, "partition"), *off = json_object_get(o, "offset");
        if (!t || !json_is_integer(p) || !json_is_integer(off) || json_integer_value(off) < 0) continue;
        set_position(l, t, (int32_t)json_integer_value(p), json_integer_value(off));
    }
    return l;
}

void ed_kafka_source_restore_positions(ed_kafka_source *k, json_t *positions)
{
    rd_kafka_topic_partition_list_destroy(k->restore);
    k->restore = positions_list(positions);
}

void ed_kafka_source_commit(ed_kafka_source *k, json_t *positions, bool wait)
{
    rd_kafka_topic_partition_list_t *l = positions_list(positions);
    if (l->cnt > 0) {
        rd_kafka_resp_err_t err = rd_kafka_commit(k->rk, l, wait ? 0 : 1);
        if (!wait && err == RD_KAFKA_RESP_ERR_NO_ERROR) k->commits_in_flight++;
        else if (wait && err == RD_KAFKA_RESP_ERR_NO_ERROR) k->commits++;
        else if (wait) {
            k->commit_failures++;
            snprintf(k->last_error, sizeof k->last_error, "offset commit: %s", rd_kafka_err2str(err));
        }
    }
    rd_kafka_topic_partition_list_destroy(l);
}
