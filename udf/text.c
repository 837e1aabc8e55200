/* text.c — UTF-8 code point helpers and value-to-text rendering shared by
 * the string functions, CONCAT and CAST(... AS VARCHAR). */
#include "fn_util.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int64_t ed_utf8_len(const char *s, size_t n)
{
    int64_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) c++;
    return c;
}

size_t ed_utf8_step(const char *s, const char *end)
{
    size_t k = 1;
    while (s + k < end && ((unsigned char)s[k] & 0xC0) == 0x80) k++;
    return k;
}

/* Shortest %g form that reads back to the same double, so CAST to VARCHAR
 * and back is lossless. */
static int fmt_double(double d, char *buf, size_t cap)
{
    int n = 0;
    for (int prec = 15; prec <= 17; prec++) {
        n = snprintf(buf, cap, "%.*g", prec, d);
        if (strtod(buf, NULL) == d) break;
    }
    return n;
}

ed_value ed_value_to_text(ed_value v, ed_arena *arena)
{
    char buf[64];
    int n;
    switch (v.type) {
    case ED_NULL:
    case ED_VARCHAR: return v;
    case ED_BOOL: return v.u.b ? ed_v_str("true", 4) : ed_v_str("false", 5);
    case ED_BIGINT:
    case ED_INTERVAL: n = snprintf(buf, sizeof buf, "%" PRId64, v.u.i); break;
    case ED_DOUBLE: n = fmt_double(v.u.d, buf, sizeof buf); break;
    case ED_TIMESTAMP: n = ed_ts_format(v.u.i, buf); break;
    default: return ed_v_null();
    }
    return ed_v_str(ed_arena_strndup(arena, buf, (size_t)n), (uint32_t)n);
}
