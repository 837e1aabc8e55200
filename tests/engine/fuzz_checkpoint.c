/* fuzz_checkpoint.c — libFuzzer target for ed_engine_restore.
 *
 * A valid blob is built once (an engine fed 40 events with string and
 * numeric GROUP BY keys, MIN/MAX of strings, COUNT DISTINCT, SUM, AVG, a
 * partitioned stream). The fuzz input is a mutation script over it, so every
 * input reaches deep into the decoder: u16 cut length (>= blob length: no
 * cut), then (u16 offset, u8 xor) triples. Invariants (abort on violation):
 * restore returns 0 or -1; on -1 the message starts with "checkpoint: " and
 * the engine's own snapshot still equals a fresh engine's; on 0 the engine
 * runs more events and finishes. ASan/UBSan check memory and UB. */
#include "engine/engine.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t clock_ms;
static int64_t f_now(void *c) { (void)c; return clock_ms; }
static void f_write(void *c, ed_sink_def *s, const ed_row *r) { (void)c, (void)s, (void)r; }
static const ed_host_ops OPS = {f_now, NULL, NULL, NULL, NULL, f_write};

static const char *SQL =
    "CREATE STREAM bids (auction BIGINT, bidder VARCHAR, price DOUBLE, ts TIMESTAMP,"
    " WATERMARK FOR ts AS ts - INTERVAL '2' SECOND) WITH (connector = 'test');"
    "CREATE STREAM kb (auction BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts) WITH (connector = 'test');"
    "CREATE SINK out WITH (connector = 'test');"
    "CREATE QUERY a AS INSERT INTO out SELECT auction, COUNT(*) AS n, SUM(price) AS s, AVG(price) AS m,"
    " MIN(bidder) AS lo, MAX(price) AS hi, window_end FROM bids WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY auction;"
    "CREATE QUERY b AS INSERT INTO out SELECT bidder, COUNT(DISTINCT auction) AS na, COUNT(DISTINCT price) AS np,"
    " window_start FROM bids WINDOW HOPPING (SIZE 6 SECONDS, ADVANCE BY 2 SECONDS) GROUP BY bidder HAVING COUNT(*) > 1;"
    "CREATE QUERY c AS INSERT INTO out SELECT auction, price FROM bids WHERE price > 50;"
    "CREATE QUERY d AS INSERT INTO out SELECT auction, COUNT(*) AS n, window_end FROM kb"
    " WINDOW TUMBLING (SIZE 3 SECONDS) GROUP BY auction;";

static ed_engine *make(void)
{
    ed_engine *e = ed_engine_new(&OPS, NULL);
    json_t *r = ed_engine_exec(e, SQL, strlen(SQL));
    json_decref(r);
    int32_t parts[] = {0, 1};
    ed_engine_set_partitions(e, ed_engine_stream(e, "kb"), parts, 2);
    return e;
}

static void feed(ed_engine *e, int from, int to)
{
    static const char *names[] = {"alice", "bob", "", "carol"};
    ed_stream_def *s = ed_engine_stream(e, "bids"), *k = ed_engine_stream(e, "kb");
    ed_batch b;
    ed_batch_init(&b, s->schema.ncols);
    for (int i = from; i < to; i++) {
        ed_value *row = ed_batch_add_row(&b, ++clock_ms);
        row[0] = ed_v_int(i % 4);
        row[1] = ed_v_str(names[i % 4], (uint32_t)strlen(names[i % 4]));
        row[2] = i % 7 == 0 ? ed_v_null() : ed_v_double((double)((i * 37) % 100));
        row[3] = ed_v_ts(i * 400 - (i % 5) * 900);
    }
    ed_engine_push(e, s, &b);
    ed_batch_free(&b);
    ed_batch_init(&b, k->schema.ncols);
    for (int i = from; i < to; i++) {
        ed_value *row = ed_batch_add_row(&b, ++clock_ms);
        row[0] = ed_v_int(i % 3);
        row[1] = ed_v_ts(i * 300 + (i % 2) * 500);
        b.part[b.nrows - 1] = i % 2;
    }
    ed_engine_push(e, k, &b);
    ed_batch_free(&b);
}

static ed_sb base = ED_SB_INIT, fresh = ED_SB_INIT;
static ed_engine *eng;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!base.len) {
        ed_engine *e = make();
        feed(e, 0, 40);
        ed_engine_snapshot(e, &base);
        ed_engine_free(e);
        e = make();
        ed_engine_snapshot(e, &fresh);
        ed_engine_free(e);
    }
    if (!eng) eng = make();
    unsigned char *blob = malloc(base.len);
    memcpy(blob, base.buf, base.len);
    size_t len = base.len;
    if (size >= 2) {
        size_t cut = (size_t)data[0] | (size_t)data[1] << 8;
        if (cut < len) len = cut;
        for (size_t i = 2; i + 3 <= size; i += 3) {
            size_t off = ((size_t)data[i] | (size_t)data[i + 1] << 8) % base.len;
            blob[off] ^= data[i + 2];
        }
    }
    char err[512] = "";
    int rc = ed_engine_restore(eng, blob, len, NULL, err, sizeof err);
    free(blob);
    if (rc == -1) {
        if (strncmp(err, "checkpoint: ", 12) != 0) abort();
        ed_sb now = ED_SB_INIT;
        ed_engine_snapshot(eng, &now);
        if (now.len != fresh.len || memcmp(now.buf, fresh.buf, now.len) != 0) abort(); /* half-loaded */
        ed_sb_free(&now);
    } else if (rc == 0) {
        feed(eng, 40, 60);
        ed_engine_finish(eng);
        ed_engine_free(eng);
        eng = NULL;
    } else {
        abort();
    }
    return 0;
}
