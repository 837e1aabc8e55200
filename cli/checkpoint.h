/* checkpoint.h — checkpoints of `eddy serve --state-dir DIR`.
 *
 * Contract: every interval (and once more at a graceful shutdown) the
 * engine's state (ed_engine_snapshot) and the Kafka sources' positions are
 * taken together, between two events, so the state reflects exactly the
 * input before those positions. The checkpoint is made durable
 * (ckpt_file.h: atomic replace of DIR/checkpoint) only once every row the
 * Kafka sinks were given before it has a delivery report; then, and only
 * then, the positions are committed to Kafka. One checkpoint is in progress
 * at a time. At start, after the catalog has been replayed,
 * ed_checkpoint_restore loads DIR/checkpoint into the engine and hands the
 * positions to the sources; a corrupt or incompatible checkpoint is an error
 * (serve refuses to start) and nothing of it is loaded.
 */
#ifndef EDDY_CHECKPOINT_H
#define EDDY_CHECKPOINT_H
#include <event2/event.h>
#include "../common/strbuf.h"
#include "../connectors/connectors.h"
#include "../engine/engine.h"

typedef struct ed_checkpoint ed_checkpoint;

ed_checkpoint *ed_checkpoint_new(struct event_base *base, ed_engine *e, ed_conn *c, const char *dir,
                                 int64_t interval_ms);
/* 1 restored, 0 no checkpoint, -1 with err (corrupt, incompatible). */
int ed_checkpoint_restore(ed_checkpoint *k, char *err, size_t errlen);
/* Start the periodic timer. */
void ed_checkpoint_start(ed_checkpoint *k);
/* Graceful shutdown: a last checkpoint, waiting (bounded) for the sinks'
 * delivery reports and for the offset commit. 0 written, -1 not. */
int ed_checkpoint_final(ed_checkpoint *k);
/* Prometheus lines: eddy_checkpoints_total, eddy_checkpoint_failures_total... */
void ed_checkpoint_metrics(ed_checkpoint *k, ed_sb *out);
void ed_checkpoint_free(ed_checkpoint *k);

#endif
