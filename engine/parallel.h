/* parallel.h — ed_par: one set of statements run on N threads ("shards").
 *
 * Contract:
 * - Each shard is a complete, single-threaded ed_engine built from the same
 *   statements (the engine core stays single-threaded). While ed_par_run()
 *   runs, one thread at a time drives a shard: its home thread, or an idle
 *   thread helping when the home thread is behind (descheduled, or more
 *   rows); hand-over is an atomic flag taken per chunk, with acquire/release
 *   ordering. Its sinks call the shard's host ops from that thread, never two
 *   at once, so every shard needs its own host context (no thread-local
 *   state).
 * - Input: one stream's event sequence cut into chunks 0, 1, 2, ... Each
 *   worker (the thread of a shard) claims the next chunk number and makes it
 *   with the fill callback, so the source work is split too (the Nexmark
 *   generator can start anywhere: events are a pure function of their
 *   number). Each row goes to the shard that owns it (routing below). Chunks
 *   are handed over through a table of published chunk pointers and
 *   returned through single-producer/single-consumer rings: a few atomic
 *   steps per chunk, no lock and nothing per event.
 * - Results equal the one-thread run: every shard consumes chunks in
 *   sequence order, and every row carries the watermark the one-thread run
 *   would give it (the maximum event time of all rows before it in the
 *   sequence, whatever shard they went to, minus the delay): each chunk tells
 *   every shard its maximum event time, and a row's watermark is
 *   max(prefix of earlier chunks, running max inside its chunk) - delay.
 *   So lateness, window contents and the late/event counters (summed over
 *   shards) are those of the one-thread run.
 * - Routing (per stream, from the plans of the queries reading it):
 *     hash   windowed queries GROUP BY plain columns: rows go by the hash of
 *            the columns every such query groups by (q5: auction);
 *     local  only per-event queries: rows stay on the shard that made them;
 *     single a windowed query without such a column (global aggregate such
 *            as q7, or GROUP BY an expression): every row goes to shard 0.
 * - Output order: each shard emits in its own order. Rows of one window
 *   firing (same query and window_end) come as a multiset equal to the
 *   one-thread run's, possibly split over shards and in another order;
 *   per-event rows are the same multiset. emit_group numbers are per shard.
 * - Not supported: Kafka-style partitioned batches (part[] ignored), idle
 *   timeouts and ed_engine_tick() during a run (bounded runs only).
 */
#ifndef EDDY_PARALLEL_H
#define EDDY_PARALLEL_H
#include "engine.h"

#define ED_PAR_MAX_SHARDS 16

typedef struct ed_par ed_par;

/* Append the rows of chunk `chunk` of the input sequence to b (empty, the
 * stream's schema; set arrival for arrival-time streams). Return the rows
 * added; 0 ends the sequence, and then every later chunk must return 0 too.
 * Called on worker w's thread with fill_ctx[w], for chunks that worker
 * claimed (increasing per worker; each chunk is asked for once, by one
 * worker): any chunk may be made by any worker. */
typedef int (*ed_par_fill_fn)(void *ctx, int worker, int64_t chunk, ed_batch *b);

/* N engines with host ops and host_ctx[i], each running the statements.
 * NULL with err filled if a statement fails on any shard. */
ed_par *ed_par_new(int nshards, const ed_host_ops *ops, void *const *host_ctx, const char *sql, size_t len,
                   char *err, size_t errlen);
void ed_par_free(ed_par *p);
int ed_par_shards(const ed_par *p);
ed_engine *ed_par_engine(ed_par *p, int shard);

/* The routing ed_par_run uses for the stream: "hash(auction)", "local",
 * "single"; NULL if the stream is unknown. Valid until the next call. */
const char *ed_par_routing(ed_par *p, const char *stream);

/* Run the stream's whole input (fill_ctx[w] for worker w) through the
 * shards, one thread each (worker 0 on the caller's thread), then finish
 * every shard (all windows emit). Once per ed_par: returns 0, or -1 if the
 * stream is unknown or the shards already ran. */
int ed_par_run(ed_par *p, const char *stream, ed_par_fill_fn fill, void *const *fill_ctx);

#endif
