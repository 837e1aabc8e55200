/* nexmark.h — the Nexmark event generator (person / auction / bid) and the
 * `connector = 'nexmark'` source built on it.
 *
 * Contract:
 * - The generator is pure and deterministic: the same (seed, rate,
 *   max_events) gives the same rows, whatever batch sizes are asked for.
 * - The three tables share ONE event sequence: event n (0-based) is a person
 *   if n % 50 == 0, an auction if n % 50 in 1..3, else a bid (1:3:46, as in
 *   the Nexmark generator). A generator filling one table skips the events of
 *   the other two, so ids line up across tables and joins match.
 * - Event time of event n = ED_NX_BASE_MS + n * 1000 / rate (integer ms).
 *   rate 0 ("as fast as possible") uses the Flink Nexmark default spacing of
 *   10 M events/s for event time, i.e. 0.1 µs per event.
 * - Columns of the target schema are matched by name; unknown columns are
 *   left NULL. Accepted names (lower-case, as schemas store them):
 *     bid:     auction, bidder, price, channel, url, date_time (also
 *              datetime, ts), extra
 *     auction: id, item_name (itemname), description, initial_bid
 *              (initialbid), reserve, date_time, expires, seller, category,
 *              extra
 *     person:  id, name, email_address (emailaddress), credit_card
 *              (creditcard), city, state, date_time, extra
 *   BIGINT columns get integers (prices in cents), TIMESTAMP columns epoch
 *   ms, DOUBLE columns the number as double, VARCHAR columns the text.
 *   A mismatched type leaves NULL. VARCHAR bytes live either in the batch
 *   arena or in the generator's read-only tables (strings that repeat:
 *   extra/name/description slices, channels, URLs); the latter stay valid
 *   until ed_nexmark_gen_free(), so free the generator only after the last
 *   ed_engine_push() of its batches.
 * - max_events counts events of the whole sequence (all three tables);
 *   < 0 means unlimited.
 */
#ifndef EDDY_NEXMARK_H
#define EDDY_NEXMARK_H
#include <stdint.h>
#include <stdio.h>
#include "../common/schema.h"

/* 2026-01-01T00:00:00Z */
#define ED_NX_BASE_MS INT64_C(1767225600000)
/* event-time spacing used when rate == 0 (Flink Nexmark default target) */
#define ED_NX_DEFAULT_RATE INT64_C(10000000)

typedef struct ed_nexmark_gen ed_nexmark_gen;
typedef enum { ED_NX_PERSON, ED_NX_AUCTION, ED_NX_BID } ed_nx_table;

/* "person" / "auction" / "bid" (also "persons", "auctions", "bids") -> table,
 * or -1. */
int ed_nx_table_parse(const char *name);
const char *ed_nx_table_name(ed_nx_table t);
/* The table's full schema with the canonical names and natural types
 * (BIGINT ids and prices, VARCHAR strings, TIMESTAMP date_time/expires). */
const ed_schema *ed_nx_schema(ed_nx_table t);

ed_nexmark_gen *ed_nexmark_gen_new(uint64_t seed, int64_t rate_per_sec, int64_t max_events);
/* Append up to max_rows rows of `table` to b (schema s, arrival 0). Returns
 * the rows produced; 0 once the event sequence is exhausted. */
int ed_nexmark_gen_fill(ed_nexmark_gen *g, ed_nx_table table, const ed_schema *s, ed_batch *b, int max_rows);
/* The table event n of the shared sequence belongs to. */
ed_nx_table ed_nx_event_table(int64_t n);
/* Events of the whole sequence consumed so far. */
int64_t ed_nexmark_gen_events(const ed_nexmark_gen *g);
/* Continue from event n of the sequence (events are a pure function of
 * their number, so a generator can produce any slice; engine/parallel.c's
 * workers each generate every other chunk). */
void ed_nexmark_gen_seek(ed_nexmark_gen *g, int64_t n);
void ed_nexmark_gen_free(ed_nexmark_gen *g);

/* Write the rows of `table` among the first `events` events as JSON lines
 * (one object per line; Flink field names in snake_case as above; date_time
 * as RFC 3339). Returns the number of lines written, -1 on write error. */
int64_t ed_nexmark_write_json(FILE *out, ed_nx_table table, uint64_t seed, int64_t events, int64_t rate);

/* libevent source for connector = 'nexmark'. Options: table ('bid' |
 * 'auction' | 'person', default bid), events (total events of the sequence,
 * default unlimited), rate (events/s, 0 = as fast as possible; this is also
 * the wall-clock pacing), seed (default 42), batch (rows per push, default
 * 1024). Pushes batches to e from event-loop callbacks; stops at the end. */
struct event_base;
struct ed_engine;
struct ed_stream_def;
typedef struct ed_nexmark_source ed_nexmark_source;
ed_nexmark_source *ed_nexmark_source_new(struct event_base *base, struct ed_engine *e, struct ed_stream_def *s,
                                         char *err, size_t errlen);
/* true once every event has been pushed */
int ed_nexmark_source_done(const ed_nexmark_source *src);
void ed_nexmark_source_free(ed_nexmark_source *src);

#endif
