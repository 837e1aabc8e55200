/* fn_time.c — time scalars on TIMESTAMP values (epoch milliseconds, UTC):
 * HOUR, MINUTE, SECOND, YEAR, MONTH, DAY (DAYOFMONTH), DAYOFWEEK,
 * DAYOFYEAR, and DATE_FORMAT(ts, pattern). Days before 1970 are negative
 * milliseconds: the day is taken with a floored division (-1 ms is
 * 23:59:59.999 of 1969-12-31), and dates use the proleptic Gregorian
 * calendar (H. Hinnant's days <-> civil conversion). */
#include "fn_util.h"
#include <stdio.h>
#include <string.h>

#define MS_PER_DAY INT64_C(86400000)
#define MS_PER_HOUR INT64_C(3600000)
#define MS_PER_MINUTE INT64_C(60000)

typedef struct civil {
    int64_t year;
    int month, day;          /* 1..12, 1..31 */
    int64_t days;            /* since 1970-01-01 */
    int64_t ms_of_day;       /* 0 .. 86 399 999 */
} civil;

static civil to_civil(int64_t ms)
{
    civil c;
    int64_t d = ms / MS_PER_DAY, r = ms % MS_PER_DAY;
    if (r < 0) r += MS_PER_DAY, d--;
    c.days = d;
    c.ms_of_day = r;
    /* days -> (y, m, d): Hinnant, civil_from_days */
    int64_t z = d + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;                                   /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);           /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                 /* [0, 11] */
    c.day = (int)(doy - (153 * mp + 2) / 5 + 1);
    c.month = (int)(mp < 10 ? mp + 3 : mp - 9);
    c.year = yoe + era * 400 + (c.month <= 2);
    return c;
}

/* (y, m, d) -> days since 1970-01-01: Hinnant, days_from_civil */
static int64_t from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static ed_type ts_check(const char *name, const ed_type *args, char *err, size_t errlen)
{
    if (args[0] != ED_NULL && args[0] != ED_TIMESTAMP) {
        snprintf(err, errlen, "%s expects a TIMESTAMP argument, got %s", name, ed_type_name(args[0]));
        return ED_TYPE_COUNT;
    }
    return ED_BIGINT;
}

#define PART(fn, label, expr)                                                                   \
    static ed_type fn##_check(const ed_type *args, int nargs, char *err, size_t errlen)        \
    {                                                                                           \
        (void)nargs;                                                                            \
        return ts_check(label, args, err, errlen);                                              \
    }                                                                                           \
    static ed_value fn##_call(const ed_value *a, int n, ed_fn_ctx *ctx)                         \
    {                                                                                           \
        (void)n, (void)ctx;                                                                     \
        civil c = to_civil(a[0].u.i);                                                           \
        return ed_v_int(expr);                                                                  \
    }

PART(hour, "hour", c.ms_of_day / MS_PER_HOUR)
PART(minute, "minute", c.ms_of_day / MS_PER_MINUTE % 60)
PART(second, "second", c.ms_of_day / 1000 % 60)
PART(year, "year", c.year)
PART(month, "month", c.month)
PART(day, "day", c.day)
/* 1 = Sunday .. 7 = Saturday (ODBC, Flink); 1970-01-01 was a Thursday */
PART(dow, "dayofweek", ((c.days % 7 + 7 + 4) % 7) + 1)
PART(doy, "dayofyear", c.days - from_civil(c.year, 1, 1) + 1)

/* DATE_FORMAT(ts, pattern): Java/Flink pattern letters yyyy (also yy), MM,
 * dd, HH, mm, ss, SSS, text in single quotes ('' is a quote), any other
 * non-letter as is. A letter it does not know (or MMM, a month name), an
 * unterminated quote or more than 256 bytes of result make the result NULL
 * and count an eval error. */
static ed_type fmt_check(const ed_type *args, int nargs, char *err, size_t errlen)
{
    (void)nargs;
    if (ts_check("date_format", args, err, errlen) == ED_TYPE_COUNT) return ED_TYPE_COUNT;
    if (args[1] != ED_NULL && args[1] != ED_VARCHAR) {
        snprintf(err, errlen, "date_format expects a VARCHAR pattern, got %s", ed_type_name(args[1]));
        return ED_TYPE_COUNT;
    }
    return ED_VARCHAR;
}

static ed_value fmt_call(const ed_value *a, int n, ed_fn_ctx *ctx)
{
    (void)n;
    civil c = to_civil(a[0].u.i);
    const char *p = a[1].u.s, *end = p + a[1].len;
    char buf[256];
    size_t o = 0;
    while (p < end) {
        char ch = *p;
        size_t run = 1;
        while (p + run < end && p[run] == ch) run++;
        char tmp[32];
        int k = -1;
        if (ch == '\'') {
            if (run >= 2) { /* '' is one quote; a quoted text runs to the next lone quote */
                k = snprintf(tmp, sizeof tmp, "'");
                run = 2;
            } else {
                const char *q = p + 1;
                size_t w = 0;
                while (q < end) {
                    if (*q == '\'' && q + 1 < end && q[1] == '\'') {
                        if (o + w < sizeof buf) buf[o + w] = '\'';
                        w++, q += 2;
                    } else if (*q == '\'') {
                        break;
                    } else {
                        if (o + w < sizeof buf) buf[o + w] = *q;
                        w++, q++;
                    }
                }
                if (q == end || o + w > sizeof buf) { /* an unterminated quote, or over 256 bytes */
                    ed_bump(ctx->eval_errors);
                    return ed_v_null();
                }
                o += w;
                p = q + 1;
                continue;
            }
        } else if (ch == 'y') {
            k = run == 2 ? snprintf(tmp, sizeof tmp, "%02lld", (long long)((c.year % 100 + 100) % 100))
                         : snprintf(tmp, sizeof tmp, "%0*lld", (int)run, (long long)c.year);
        } else if (ch == 'M' && run <= 2) { /* MMM and longer are month names: not supported */
            k = snprintf(tmp, sizeof tmp, "%0*d", (int)run, c.month);
        } else if (ch == 'd') {
            k = snprintf(tmp, sizeof tmp, "%0*d", (int)run, c.day);
        } else if (ch == 'H') {
            k = snprintf(tmp, sizeof tmp, "%0*lld", (int)run, (long long)(c.ms_of_day / MS_PER_HOUR));
        } else if (ch == 'm') {
            k = snprintf(tmp, sizeof tmp, "%0*lld", (int)run, (long long)(c.ms_of_day / MS_PER_MINUTE % 60));
        } else if (ch == 's') {
            k = snprintf(tmp, sizeof tmp, "%0*lld", (int)run, (long long)(c.ms_of_day / 1000 % 60));
        } else if (ch == 'S') {
            k = snprintf(tmp, sizeof tmp, "%0*lld", (int)run, (long long)(c.ms_of_day % 1000));
        } else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) {
            ed_bump(ctx->eval_errors);
            return ed_v_null();
        } else { /* any other character stands for itself */
            if (run > 16) run = 16;
            memcpy(tmp, p, run);
            k = (int)run;
        }
        if (k < 0 || run > 16 || o + (size_t)k > sizeof buf) { /* absurd widths, or over 256 bytes of text */
            ed_bump(ctx->eval_errors);
            return ed_v_null();
        }
        memcpy(buf + o, tmp, (size_t)k);
        o += (size_t)k;
        p += run;
    }
    char *s = ed_arena_alloc(ctx->arena, o ? o : 1);
    memcpy(s, buf, o);
    return ed_v_str(s, (uint32_t)o);
}

#define TS_FN(nm, fn, doc_) {.name = nm, .min_args = 1, .max_args = 1, .check = fn##_check, .call = fn##_call, .doc = doc_}

const ed_scalar_fn ed_builtin_time[] = {
    TS_FN("hour", hour, "hour(ts): hour of the day of a TIMESTAMP, 0..23 (UTC)"),
    TS_FN("minute", minute, "minute(ts): minute of the hour, 0..59 (UTC)"),
    TS_FN("second", second, "second(ts): second of the minute, 0..59"),
    TS_FN("year", year, "year(ts): the year (UTC)"),
    TS_FN("month", month, "month(ts): month of the year, 1..12 (UTC)"),
    TS_FN("day", day, "day(ts): day of the month, 1..31 (UTC)"),
    TS_FN("dayofmonth", day, "dayofmonth(ts): day of the month, 1..31 (UTC)"),
    TS_FN("dayofweek", dow, "dayofweek(ts): 1 = Sunday .. 7 = Saturday (UTC)"),
    TS_FN("dayofyear", doy, "dayofyear(ts): day of the year, 1..366 (UTC)"),
    {.name = "date_format", .min_args = 2, .max_args = 2, .check = fmt_check, .call = fmt_call,
     .doc = "date_format(ts, pattern): ts as text in UTC; yyyy MM dd HH mm ss SSS, 'quoted text'"},
};
const int ed_builtin_time_n = (int)(sizeof ed_builtin_time / sizeof ed_builtin_time[0]);
