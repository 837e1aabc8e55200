/* kafka.h — Kafka source and sink (librdkafka), driven from a libevent loop.
 *
 * Contract:
 * - Everything runs on the event loop thread: the consumer's queue wakes a
 *   pipe fd (rd_kafka_queue_io_event_enable) and an event on it drains the
 *   queue into one ed_batch per drain, pushed with ed_engine_push(). A
 *   100 ms timer serves rebalances and errors; the producer's delivery reports
 *   are served by a 50 ms timer. No polling threads of our own.
 * - Source options: brokers, topic, group, start ('earliest'|'latest'),
 *   format ('json'), timestamp ('kafka': event time from the message
 *   timestamp into s->ts_col), kafka.<property> passed to librdkafka.
 *   Pseudo-columns _key (VARCHAR), _partition (BIGINT), _offset (BIGINT) are
 *   filled when the schema declares them. Offsets are not auto-committed by
 *   librdkafka: an offset is stored once its message reached the engine, and
 *   stored offsets are committed every second, on revoke and on close.
 * - Sink options: brokers, topic, key (column name), format ('json'),
 *   max_queue (default 100000), kafka.<property>. Idempotent producer,
 *   acks=all; failed deliveries and rows refused because the local queue is
 *   full are counted in s->write_errors (never silently lost).
 * - *_new() validates options and returns NULL with err filled on bad options.
 */
#ifndef EDDY_KAFKA_H
#define EDDY_KAFKA_H
#include <stdbool.h>
#include <stddef.h>
#include <event2/event.h>
#include <jansson.h>
#include "../engine/engine.h"

typedef struct ed_kafka_source ed_kafka_source;

/* Messages one drain of the consumer queue takes before the source yields
 * to the event loop (it continues on the loop's next pass). */
#define ED_KAFKA_DRAIN 10000

ed_kafka_source *ed_kafka_source_new(struct event_base *base, ed_engine *engine, ed_stream_def *s, char *err,
                                     size_t errlen);
void ed_kafka_source_free(ed_kafka_source *k);
/* Source state for SHOW/metrics: {"state":"connected"|"connecting"|"brokers_down",
 * "assigned":[partitions...],"messages":N,"rebalances":N,"commits":N,
 * "commit_failures":N,"commit_pending":bool,"last_error":"..."}. New reference. */
json_t *ed_kafka_source_status(const ed_kafka_source *k);

/* Checkpoints (see kafka_source.c): with checkpointing on, offsets are
 * committed only through ed_kafka_source_commit. positions() is a new array
 * [{"topic":..,"partition":..,"offset":next to read}] of what the engine has
 * consumed; restore_positions() applies such an array at the next assignment
 * of each partition listed (once), ahead of committed offsets. */
void ed_kafka_source_set_checkpointing(ed_kafka_source *k, bool on);
json_t *ed_kafka_source_positions(const ed_kafka_source *k);
void ed_kafka_source_restore_positions(ed_kafka_source *k, json_t *positions);
void ed_kafka_source_commit(ed_kafka_source *k, json_t *positions, bool wait); /* wait: synchronous */

typedef struct ed_kafka_sink ed_kafka_sink;

ed_kafka_sink *ed_kafka_sink_new(struct event_base *base, ed_sink_def *s, char *err, size_t errlen);
void ed_kafka_sink_write(ed_kafka_sink *k, const ed_row *row);
/* Flushes outstanding messages with a bounded timeout (5 s), then frees. */
void ed_kafka_sink_free(ed_kafka_sink *k);
/* Checkpoint barrier: barrier() marks every row produced so far (false if
 * the previous barrier has not settled yet); settled() is true once each of
 * them has a delivery report (delivered, or failed and counted). */
bool ed_kafka_sink_barrier(ed_kafka_sink *k);
bool ed_kafka_sink_settled(ed_kafka_sink *k);
/* {"state":..,"queued":N (rows waiting for delivery),"delivered":N,
 *  "failed":N,"dropped_queue_full":N,"last_error":".."}. New reference. */
json_t *ed_kafka_sink_status(const ed_kafka_sink *k);

/* Shared by kafka_source.c and kafka_sink.c (kafka_conf.c). */
struct rd_kafka_conf_s;
/* Apply every `kafka.<property>` option to conf; -1 with err on the first
 * property librdkafka rejects. */
int ed_kafka_conf_passthrough(struct rd_kafka_conf_s *conf, const ed_kv *opts, int nopts, char *err,
                              size_t errlen);
/* Every option must be in known (NULL-terminated) or start with "kafka."; -1
 * with err naming the unknown option otherwise. */
int ed_kafka_opts_check(const char *what, const ed_kv *opts, int nopts, const char *const *known, char *err,
                        size_t errlen);
/* Set one property; -1 with err (naming the property) if rejected. */
int ed_kafka_conf_set(struct rd_kafka_conf_s *conf, const char *key, const char *value, char *err, size_t errlen);
/* From a statistics JSON document (statistics.interval.ms): 1 if at least one
 * real broker connection is UP, 0 if none, -1 if the document is unreadable. */
int ed_kafka_stats_brokers_up(const char *json, size_t len);
/* Wall clock in ms (CLOCK_REALTIME), the same clock as serve's now_ms. */
int64_t ed_kafka_now_ms(void);

#endif
