/* fn_math.c — numeric scalars: ABS, ROUND, FLOOR, CEIL/CEILING, SQRT, POWER.
 * BIGINT stays BIGINT where the result is integral (ABS, ROUND, FLOOR, CEIL);
 * errors (sqrt of a negative, overflow) give NULL and bump eval_errors. */
#include "fn_util.h"
#include <math.h>
#include <stdio.h>

static bool need_num(const ed_type *args, int nargs, const char *fname, char *err, size_t errlen)
{
    for (int i = 0; i < nargs; i++)
        if (args[i] != ED_NULL && !ed_is_num(args[i])) {
            snprintf(err, errlen, "function %s expects a numeric argument, got %s", fname, ed_type_name(args[i]));
            return false;
        }
    return true;
}

/* Same type as the argument (an untyped NULL counts as BIGINT). */
static ed_type same_check(const ed_type *args, int nargs, char *err, size_t errlen)
{
    if (!need_num(args, nargs, "abs/floor/ceil", err, errlen)) return ED_TYPE_COUNT;
    return args[0] == ED_DOUBLE ? ED_DOUBLE : ED_BIGINT;
}

static ed_type double_check(const ed_type *args, int nargs, char *err, size_t errlen)
{
    if (!need_num(args, nargs, nargs == 1 ? "sqrt" : "power", err, errlen)) return ED_TYPE_COUNT;
    return ED_DOUBLE;
}

static ed_value fail(ed_fn_ctx *ctx)
{
    ed_bump(ctx->eval_errors);
    return ed_v_null();
}

static ed_value abs_call(const ed_value *a, int n, ed_fn_ctx *ctx)
{
    (void)n;
    if (a[0].type == ED_DOUBLE) return ed_v_double(fabs(a[0].u.d));
    if (a[0].u.i == INT64_MIN) return fail(ctx);
    return ed_v_int(a[0].u.i < 0 ? -a[0].u.i : a[0].u.i);
}

static ed_value floor_call(const ed_value *a, int n, ed_fn_ctx *ctx)
{
    (void)n, (void)ctx;
    return a[0].type == ED_DOUBLE ? ed_v_double(floor(a[0].u.d)) : a[0];
}

static ed_value ceil_call(const ed_value *a, int n, ed_fn_ctx *ctx)
{
    (void)n, (void)ctx;
    return a[0].type == ED_DOUBLE ? ed_v_double(ceil(a[0].u.d)) : a[0];
}

static ed_type round_check(const ed_type *args, int nargs, char *err, size_t errlen)
{
    if (!need_num(args, 1, "round", err, errlen)) return ED_TYPE_COUNT;
    if (nargs == 2 && args[1] != ED_NULL && args[1] != ED_BIGINT) {
        snprintf(err, errlen, "second argument of round must be BIGINT, got %s", ed_type_name(args[1]));
        return ED_TYPE_COUNT;
    }
    return args[0] == ED_DOUBLE ? ED_DOUBLE : ED_BIGINT;
}

/* C round() rounds half away from zero, which is what we document. */
static ed_value round_call(const ed_value *a, int n, ed_fn_ctx *ctx)
{
    int64_t digits = n == 2 ? a[1].u.i : 0;
    if (a[0].type == ED_DOUBLE) {
        double x = a[0].u.d;
        if (digits == 0 || !isfinite(x)) return ed_v_double(round(x));
        if (digits > 308) return ed_v_double(x);
        if (digits < -308) return ed_v_double(0.0 * x);
        double p = pow(10.0, (double)(digits < 0 ? -digits : digits));
        double r = digits > 0 ? round(x * p) / p : round(x / p) * p;
        /* x * p may overflow for huge x with many digits: x is already exact */
        return ed_v_double(isfinite(r) ? r : x);
    }
    int64_t x = a[0].u.i;
    if (digits >= 0) return a[0];
    if (digits < -18) return ed_v_int(0);
    int64_t p = 1;
    for (int64_t i = 0; i < -digits; i++) p *= 10;
    int64_t q = x / p, r = x % p;
    if (r > 0 && r * 2 >= p) q++;      /* |r| < p <= 1e18: 2r cannot overflow */
    else if (r < 0 && -r * 2 >= p) q--;
    int64_t out;
    if (__builtin_mul_overflow(q, p, &out)) return fail(ctx);
    return ed_v_int(out);
}

static ed_value sqrt_call(const ed_value *a, int n, ed_fn_ctx *ctx)
{
    (void)n;
    double x = ed_num(&a[0]);
    if (x < 0) return fail(ctx);
    return ed_v_double(sqrt(x));
}

static ed_value power_call(const ed_value *a, int n, ed_fn_ctx *ctx)
{
    (void)n;
    double r = pow(ed_num(&a[0]), ed_num(&a[1]));
    if (isnan(r) || isinf(r)) {
        if (ed_num(&a[0]) == 0) ed_bump(ctx->div_by_zero); /* 0 ^ negative */
        else ed_bump(ctx->eval_errors);
        return ed_v_null();
    }
    return ed_v_double(r);
}

const ed_scalar_fn ed_builtin_math[] = {
    {"abs", 1, 1, false, same_check, abs_call, "abs(x): absolute value, same type as x", NULL, NULL},
    {"round", 1, 2, false, round_check, round_call,
     "round(x [, digits]): round half away from zero; BIGINT stays BIGINT", NULL, NULL},
    {"floor", 1, 1, false, same_check, floor_call, "floor(x): largest integer <= x", NULL, NULL},
    {"ceil", 1, 1, false, same_check, ceil_call, "ceil(x): smallest integer >= x", NULL, NULL},
    {"ceiling", 1, 1, false, same_check, ceil_call, "ceiling(x): same as ceil", NULL, NULL},
    {"sqrt", 1, 1, false, double_check, sqrt_call, "sqrt(x): square root as DOUBLE; NULL for x < 0", NULL, NULL},
    {"power", 2, 2, false, double_check, power_call, "power(x, y): x raised to y as DOUBLE", NULL, NULL},
};
const int ed_builtin_math_n = (int)(sizeof ed_builtin_math / sizeof ed_builtin_math[0]);
