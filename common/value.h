/* value.h — SQL types and runtime values shared by parser, engine,
 * functions and connectors.
 *
 * Contract: an ed_value is a small tagged union passed by value. A NULL of
 * any SQL type has type ED_NULL. VARCHAR values point at bytes they do not
 * own (a batch arena, a state arena, or a plan constant); whoever copies a
 * value beyond that lifetime copies the bytes too. TIMESTAMP is epoch
 * milliseconds (UTC); INTERVAL is milliseconds.
 */
#ifndef EDDY_VALUE_H
#define EDDY_VALUE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "strbuf.h"

typedef enum ed_type {
    ED_NULL = 0,     /* the NULL value, or "unknown type" for a NULL literal */
    ED_BOOL,
    ED_BIGINT,
    ED_DOUBLE,
    ED_VARCHAR,
    ED_TIMESTAMP,
    ED_INTERVAL,
    ED_TYPE_COUNT
} ed_type;

typedef struct ed_value {
    uint8_t type;        /* ed_type */
    uint32_t len;        /* VARCHAR byte length */
    union {
        bool b;
        int64_t i;       /* BIGINT, TIMESTAMP (epoch ms), INTERVAL (ms) */
        double d;
        const char *s;   /* VARCHAR bytes, not NUL-terminated */
    } u;
} ed_value;

#define ED_TS_MIN INT64_MIN
#define ED_TS_MAX INT64_MAX

static inline ed_value ed_v_null(void) { ed_value v = {0}; return v; }
static inline ed_value ed_v_bool(bool b) { ed_value v = {0}; v.type = ED_BOOL; v.u.b = b; return v; }
static inline ed_value ed_v_int(int64_t i) { ed_value v = {0}; v.type = ED_BIGINT; v.u.i = i; return v; }
static inline ed_value ed_v_double(double d) { ed_value v = {0}; v.type = ED_DOUBLE; v.u.d = d; return v; }
static inline ed_value ed_v_ts(int64_t ms) { ed_value v = {0}; v.type = ED_TIMESTAMP; v.u.i = ms; return v; }
static inline ed_value ed_v_str(const char *s, uint32_t n) { ed_value v = {0}; v.type = ED_VARCHAR; v.u.s = s; v.len = n; return v; }

/* "BIGINT", "DOUBLE", ... */
const char *ed_type_name(ed_type t);

/* Format epoch ms as RFC 3339 UTC with milliseconds: 2026-11-28T12:00:00.000Z.
 * buf must hold at least 32 bytes. Returns length. */
int ed_ts_format(int64_t ms, char *buf);
/* Parse RFC 3339 (date 'T' or ' ' time, optional fraction, 'Z' or ±hh:mm
 * offset) into epoch ms. Returns 0 on success, -1 if malformed. */
int ed_ts_parse(const char *s, size_t n, int64_t *out_ms);

/* Append v as a JSON value (numbers, true/false, null, strings; TIMESTAMP as
 * an RFC 3339 string; DOUBLE with the shortest representation that round
 * trips, NaN/Inf as null). */
void ed_value_json(ed_sb *sb, const ed_value *v);

/* Total order used for GROUP BY keys, MIN/MAX and comparisons between values
 * of the same type (BIGINT and DOUBLE compare numerically). NULL sorts first.
 * Strings compare by bytes. */
int ed_value_cmp(const ed_value *a, const ed_value *b);
/* Hash consistent with equality under ed_value_cmp for same-typed values. */
uint64_t ed_value_hash(const ed_value *v, uint64_t seed);
/* MurmurHash3's 64-bit finalizer (ed_value_hash ends with it): every input
 * bit moves every output bit; for hash tables keyed by integers. */
static inline uint64_t ed_mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 33);
}

#endif
