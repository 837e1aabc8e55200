/* checkpoint.c — periodic, consistent checkpoints for eddy serve (see
 * checkpoint.h for the protocol). */
#include "checkpoint.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ckpt_file.h"

struct ed_checkpoint {
    struct event_base *base;
    ed_engine *eng;
    ed_conn *conn;
    char *dir;
    int64_t interval_ms;
    struct event *ev_timer, *ev_poll;
    /* the checkpoint in progress: state taken, waiting for the sinks */
    bool pending;
    ed_sb blob;
    json_t *positions;
    int64_t started_ms;
    bool warned_slow;
    /* metrics */
    uint64_t written, failed;
    size_t last_bytes;
    double last_duration_s;
    int64_t last_success_ms;
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Take the state and positions now (between two events) and mark the sinks. */
static bool begin(ed_checkpoint *k)
{
    if (k->pending || !ed_conn_sink_barrier(k->conn)) return false;
    ed_sb_clear(&k->blob);
    ed_engine_snapshot(k->eng, &k->blob);
    k->positions = ed_conn_positions(k->conn);
    k->pending = true;
    k->started_ms = mono_ms();
    k->warned_slow = false;
    return true;
}

/* Write the pending checkpoint and commit its positions. */
static int finish(ed_checkpoint *k, bool wait_commit)
{
    char *pos = json_dumps(k->positions, JSON_COMPACT | JSON_SORT_KEYS);
    ed_ckpt_section secs[2] = {{"engine", k->blob.buf ? k->blob.buf : "", k->blob.len},
                               {"positions", pos, strlen(pos)}};
    char err[512];
    int rc = ed_ckpt_write(k->dir, secs, 2, ed_conn_wall_ms(), err, sizeof err);
    if (rc < 0) {
        k->failed++;
        fprintf(stderr, "eddy: checkpoint failed (the previous one is kept): %s\n", err);
    } else {
        k->written++;
        k->last_bytes = k->blob.len + strlen(pos);
        k->last_duration_s = (double)(mono_ms() - k->started_ms) / 1000.0;
        k->last_success_ms = ed_conn_wall_ms();
        ed_conn_commit_positions(k->conn, k->positions, wait_commit);
    }
    free(pos);
    json_decref(k->positions);
    k->positions = NULL;
    k->pending = false;
    return rc;
}

static void on_poll(evutil_socket_t fd, short what, void *arg)
{
    ed_checkpoint *k = arg;
    (void)fd;
    (void)what;
    if (!k->pending) return;
    if (ed_conn_sinks_settled(k->conn)) {
        finish(k, false);
        return;
    }
    if (!k->warned_slow && mono_ms() - k->started_ms > k->interval_ms) {
        fprintf(stderr, "eddy: checkpoint waits for Kafka sink deliveries (brokers unreachable?)\n");
        k->warned_slow = true;
    }
    struct timeval tv = {0, 10 * 1000};
    event_add(k->ev_poll, &tv);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    ed_checkpoint *k = arg;
    if (begin(k)) on_poll(-1, 0, k);
}

ed_checkpoint *ed_checkpoint_new(struct event_base *base, ed_engine *e, ed_conn *c, const char *dir,
                                 int64_t interval_ms)
{
    ed_checkpoint *k = ed_xcalloc(1, sizeof *k);
    k->base = base;
    k->eng = e;
    k->conn = c;
    k->dir = ed_xstrdup(dir);
    k->interval_ms = interval_ms;
    k->blob = (ed_sb)ED_SB_INIT;
    k->ev_timer = event_new(base, -1, EV_PERSIST, on_timer, k);
    k->ev_poll = event_new(base, -1, 0, on_poll, k);
    return k;
}

void ed_checkpoint_start(ed_checkpoint *k)
{
    struct timeval tv = {(time_t)(k->interval_ms / 1000), (suseconds_t)(k->interval_ms % 1000) * 1000};
    event_add(k->ev_timer, &tv);
}

int ed_checkpoint_restore(ed_checkpoint *k, char *err, size_t errlen)
{
    ed_sb buf = ED_SB_INIT;
    ed_ckpt_section secs[ED_CKPT_MAX_SECTIONS];
    int n = 0;
    int64_t created = 0;
    int rc = ed_ckpt_read(k->dir, &buf, secs, &n, &created, err, errlen);
    if (rc <= 0) {
        ed_sb_free(&buf);
        return rc;
    }
    const ed_ckpt_section *eng = ed_ckpt_find(secs, n, "engine");
    const ed_ckpt_section *pos = ed_ckpt_find(secs, n, "positions");
    json_error_t jerr;
    json_t *positions = pos ? json_loadb(pos->data, pos->len, 0, &jerr) : NULL;
    if (!eng || !json_is_object(positions)) {
        snprintf(err, errlen, "%s/checkpoint: %s", k->dir,
                 !eng ? "no engine section" : "positions section is not a JSON object");
        json_decref(positions);
        ed_sb_free(&buf);
        return -1;
    }
    int skipped = 0;
    char why[512];
    if (ed_engine_restore(k->eng, eng->data, eng->len, &skipped, why, sizeof why) < 0) {
        const char *msg = strncmp(why, "checkpoint: ", 12) == 0 ? why + 12 : why;
        snprintf(err, errlen, "%s/checkpoint: %s", k->dir, msg);
        json_decref(positions);
        ed_sb_free(&buf);
        return -1;
    }
    ed_conn_restore_positions(k->conn, positions);
    time_t secs_ = (time_t)(created / 1000);
    char when[64];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&secs_));
    fprintf(stderr, "eddy: restored state from %s/checkpoint (written %s)%s\n", k->dir, when,
            skipped ? "; objects no longer in the catalog were skipped" : "");
    json_decref(positions);
    ed_sb_free(&buf);
    return 1;
}

/* Serve the sinks' delivery reports until settled or the deadline passes. */
static bool wait_settled(ed_checkpoint *k, int64_t deadline)
{
    while (!ed_conn_sinks_settled(k->conn)) {
        if (mono_ms() > deadline) return false;
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return true;
}

int ed_checkpoint_final(ed_checkpoint *k)
{
    int64_t deadline = mono_ms() + 10000;
    if (k->pending) {
        /* the one in progress is older: drop it, the final one covers it */
        json_decref(k->positions);
        k->positions = NULL;
        k->pending = false;
    }
    if (!wait_settled(k, deadline) || !begin(k) || !wait_settled(k, deadline)) {
        fprintf(stderr, "eddy: no final checkpoint: Kafka sinks did not deliver within 10 s; "
                        "the previous checkpoint is kept\n");
        if (k->pending) {
            json_decref(k->positions);
            k->positions = NULL;
            k->pending = false;
        }
        return -1;
    }
    int rc = finish(k, true);
    if (rc == 0) fprintf(stderr, "eddy: final checkpoint written to %s/checkpoint\n", k->dir);
    return rc;
}

void ed_checkpoint_metrics(ed_checkpoint *k, ed_sb *out)
{
    ed_sb_printf(out,
                 "# HELP eddy_checkpoints_total Checkpoints written to the state directory.\n"
                 "# TYPE eddy_checkpoints_total counter\n"
                 "eddy_checkpoints_total %llu\n"
                 "# HELP eddy_checkpoint_failures_total Checkpoints that could not be written.\n"
                 "# TYPE eddy_checkpoint_failures_total counter\n"
                 "eddy_checkpoint_failures_total %llu\n"
                 "# HELP eddy_checkpoint_in_progress 1 while a checkpoint waits for Kafka sink deliveries.\n"
                 "# TYPE eddy_checkpoint_in_progress gauge\n"
                 "eddy_checkpoint_in_progress %d\n"
                 "# HELP eddy_checkpoint_last_bytes Size of the last checkpoint's state.\n"
                 "# TYPE eddy_checkpoint_last_bytes gauge\n"
                 "eddy_checkpoint_last_bytes %zu\n"
                 "# HELP eddy_checkpoint_last_duration_seconds From taking the state to the durable file.\n"
                 "# TYPE eddy_checkpoint_last_duration_seconds gauge\n"
                 "eddy_checkpoint_last_duration_seconds %.3f\n"
                 "# HELP eddy_checkpoint_last_success_timestamp_seconds Wall time of the last checkpoint.\n"
                 "# TYPE eddy_checkpoint_last_success_timestamp_seconds gauge\n"
                 "eddy_checkpoint_last_success_timestamp_seconds %.3f\n",
                 (unsigned long long)k->written, (unsigned long long)k->failed, k->pending, k->last_bytes,
                 k->last_duration_s, (double)k->last_success_ms / 1000.0);
}

void ed_checkpoint_free(ed_checkpoint *k)
{
    if (!k) return;
    event_free(k->ev_timer);
    event_free(k->ev_poll);
    json_decref(k->positions);
    ed_sb_free(&k->blob);
    free(k->dir);
    free(k);
}
