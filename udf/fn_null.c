/* fn_null.c — NULL-handling scalars: COALESCE and NULLIF. Both are called
 * with NULL arguments (null_call) because handling NULL is their purpose. */
#include "fn_util.h"
#include <stdio.h>

/* Common type of a list: identical types, or BIGINT/DOUBLE mixed -> DOUBLE.
 * Untyped NULLs adopt the others' type. */
static ed_type unify(const ed_type *args, int nargs, const char *fname, char *err, size_t errlen)
{
    ed_type t = ED_NULL;
    for (int i = 0; i < nargs; i++) {
        ed_type a = args[i];
        if (a == ED_NULL || a == t) continue;
        if (t == ED_NULL) t = a;
        else if (ed_is_num(a) && ed_is_num(t)) t = ED_DOUBLE;
        else {
            snprintf(err, errlen, "arguments of %s have incompatible types %s and %s", fname, ed_type_name(t), ed_type_name(a));
            return ED_TYPE_COUNT;
        }
    }
    return t;
}

static ed_type coalesce_check(const ed_type *args, int nargs, char *err, size_t errlen)
{
    return unify(args, nargs, "coalesce", err, errlen);
}

/* The evaluator converts a BIGINT result to DOUBLE when check() said DOUBLE. */
static ed_value coalesce_call(const ed_value *args, int nargs, ed_fn_ctx *ctx)
{
    (void)ctx;
    for (int i = 0; i < nargs; i++)
        if (args[i].type != ED_NULL) return args[i];
    return ed_v_null();
}

static ed_type nullif_check(const ed_type *args, int nargs, char *err, size_t errlen)
{
    if (unify(args, nargs, "nullif", err, errlen) == ED_TYPE_COUNT) return ED_TYPE_COUNT;
    return args[0];
}

static ed_value nullif_call(const ed_value *args, int nargs, ed_fn_ctx *ctx)
{
    (void)nargs;
    (void)ctx;
    if (args[0].type == ED_NULL || args[1].type == ED_NULL) return args[0];
    return ed_value_cmp(&args[0], &args[1]) == 0 ? ed_v_null() : args[0];
}

const ed_scalar_fn ed_builtin_null[] = {
    {"coalesce", 1, -1, true, coalesce_check, coalesce_call, "coalesce(x, y, ...): the first non-NULL argument", NULL, NULL},
    {"nullif", 2, 2, true, nullif_check, nullif_call, "nullif(a, b): NULL if a = b, else a", NULL, NULL},
};
const int ed_builtin_null_n = (int)(sizeof ed_builtin_null / sizeof ed_builtin_null[0]);
