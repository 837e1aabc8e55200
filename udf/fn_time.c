/* fn_time.c — time scalars: HOUR(ts), the hour of the day (0..23, UTC) of a
 * TIMESTAMP. Timestamps are epoch milliseconds, so days before 1970 are
 * negative: the hour is taken with a floored remainder (-1 ms is 23:59:59.999
 * of 1969-12-31, hour 23). */
#include "fn_util.h"
#include <stdio.h>

#define MS_PER_DAY INT64_C(86400000)
#define MS_PER_HOUR INT64_C(3600000)

static ed_type hour_check(const ed_type *args, int nargs, char *err, size_t errlen)
{
    (void)nargs;
    if (args[0] != ED_NULL && args[0] != ED_TIMESTAMP) {
        snprintf(err, errlen, "hour expects a TIMESTAMP argument, got %s", ed_type_name(args[0]));
        return ED_TYPE_COUNT;
    }
    return ED_BIGINT;
}

static ed_value hour_call(const ed_value *a, int n, ed_fn_ctx *ctx)
{
    (void)n, (void)ctx;
    int64_t ms = a[0].u.i % MS_PER_DAY; /* truncated: in (-1 day, 1 day) */
    if (ms < 0) ms += MS_PER_DAY;
    return ed_v_int(ms / MS_PER_HOUR);
}

const ed_scalar_fn ed_builtin_time[] = {
    {.name = "hour", .min_args = 1, .max_args = 1, .check = hour_check, .call = hour_call,
     .doc = "hour(ts): hour of the day of a TIMESTAMP, 0..23 (UTC)"},
};
const int ed_builtin_time_n = (int)(sizeof ed_builtin_time / sizeof ed_builtin_time[0]);
