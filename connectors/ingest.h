/* ingest.h — turning raw event lines into batch rows, and dead letters.
 *
 * Shared by every source (tcp, file, generator) and by `eddy test`, so bad
 * events are handled the same way everywhere: counted in s->decode_errors,
 * and written to the stream's dead_letter file if it names one.
 */
#ifndef EDDY_INGEST_H
#define EDDY_INGEST_H
#include <stddef.h>
#include <stdint.h>
#include "../engine/engine.h"

/* Decode one line (without its newline) into a new row of b. Enforces
 * s->max_event_bytes. On failure the row is popped, s->decode_errors is
 * incremented, why holds the reason, and -1 is returned (the caller decides
 * about dead-lettering; see ed_ingest_line_dl for the common case). */
int ed_ingest_line(ed_stream_def *s, ed_batch *b, const char *line, size_t n, int64_t arrival, char *why,
                   size_t whylen);

/* ed_ingest_line plus: on failure, if s->dead_letter is set, write the line
 * there. Returns what ed_ingest_line returned. */
int ed_ingest_line_dl(ed_stream_def *s, ed_batch *b, const char *line, size_t n, int64_t arrival);

/* Append {"stream":..,"reason":..,"line":"<raw text, at most 4096 bytes>"}
 * as one line to path. Errors opening the file are ignored (reported once to
 * stderr): a broken dead-letter file must not stop a stream. */
void ed_dead_letter_write(const char *path, const char *stream, const char *reason, const char *line, size_t n);

/* A byte stream cut into lines for ed_ingest_line_dl (tcp connections,
 * files). Bytes of an unfinished line wait in `partial` for the next feed;
 * a line longer than s->max_event_bytes is counted in s->decode_errors,
 * dead-lettered (its first 4 KiB) and skipped up to the next newline
 * without being buffered whole. */
typedef struct ed_lines {
    ed_sb partial;
    bool skipping;
} ed_lines;

/* Decode every line that ends in p[0..n) into b. Returns the offset in p
 * just past its last newline (0 if it has none): the bytes before it are
 * fully handed over. */
size_t ed_lines_feed(ed_lines *L, ed_stream_def *s, ed_batch *b, const char *p, size_t n, int64_t arrival);
/* End of input: an unfinished last line counts as a line. */
void ed_lines_end(ed_lines *L, ed_stream_def *s, ed_batch *b, int64_t arrival);
void ed_lines_free(ed_lines *L);

#endif
