/* json_decode.h — schema-driven JSON event decoder (the ingest hot path).
 *
 * Contract: decodes exactly one JSON object (RFC 8259) from line[0..n) and
 * stores only the schema's columns, matched by name (case-sensitive; schema
 * names are lower-case). Everything else is still validated but skipped.
 * - row has s->ncols values, zeroed by the caller (= NULLs); a missing field
 *   or JSON null leaves NULL. Duplicate keys: the last one wins.
 * - BIGINT: integers only (1.5, 1e3 and "12" are type errors; out of int64
 *   range is an error). DOUBLE: any JSON number. BOOLEAN: true/false.
 *   VARCHAR: strings; escapes decoded, \uXXXX surrogate pairs combined into
 *   UTF-8; a lone surrogate is REJECTED (it cannot be represented in UTF-8);
 *   raw invalid UTF-8 is rejected. TIMESTAMP: integer epoch ms or an RFC 3339
 *   string. VARCHAR bytes are copied into arena.
 * - Nesting depth is limited to 64. After the object only whitespace is
 *   allowed (so a trailing \r from CRLF lines is fine).
 * - Duplicate keys: the last value wins, but every occurrence must have the
 *   column's type. Fields are matched after unescaping the key.
 * Returns 0, or -1 with a short reason in why (byte offsets are 0-based;
 * e.g. "invalid JSON at byte 17:
 * expected ':'", "field 'price': expected DOUBLE, got string"). On failure
 * row may have been partially filled; the caller discards it.
 */
#ifndef EDDY_JSON_DECODE_H
#define EDDY_JSON_DECODE_H
#include <stddef.h>
#include "../common/arena.h"
#include "../common/schema.h"

#define ED_JSON_MAX_DEPTH 64

int ed_json_decode_row(const ed_schema *s, const char *line, size_t n, ed_value *row, ed_arena *arena, char *why,
                       size_t whylen);

#endif
