/* agg_basic.c — COUNT, SUM, AVG, MIN, MAX. States are plain structs in the
 * engine's state block; only MIN/MAX of VARCHAR own heap memory (a copy of
 * the current extreme), released by destroy(). NULL inputs are skipped.
 * Checkpoints: COUNT and AVG are copied verbatim; SUM (bools, type) and
 * MIN/MAX (a pointer) have serializers that validate what they read. */
#include "ckpt_codec.h"
#include "fn_util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- count ---- */
static ed_type count_check(const ed_type *args, int nargs, char *err, size_t errlen)
{
    (void)args, (void)nargs, (void)err, (void)errlen;
    return ED_BIGINT;
}
static void count_init(void *st, ed_type t) { (void)t; *(int64_t *)st = 0; }
static void count_step(void *st, const ed_value *a, int n)
{
    if (n == 0 || a[0].type != ED_NULL) ++*(int64_t *)st;
}
static void count_combine(void *d, const void *s) { *(int64_t *)d += *(const int64_t *)s; }
static ed_value count_final(const void *st, ed_arena *ar) { (void)ar; return ed_v_int(*(const int64_t *)st); }

/* ---- sum ---- */
typedef struct sum_state {
    int64_t i;
    double d;
    uint8_t type;      /* result type: BIGINT, DOUBLE or INTERVAL */
    bool any;          /* saw a non-NULL input */
    bool overflow;     /* BIGINT sum overflowed: result is NULL */
} sum_state;

static ed_type sum_check(const ed_type *args, int nargs, char *err, size_t errlen)
{
    (void)nargs;
    ed_type t = args[0];
    if (t == ED_NULL) return ED_BIGINT;
    if (t == ED_BIGINT || t == ED_DOUBLE || t == ED_INTERVAL) return t;
    snprintf(err, errlen, "sum cannot be applied to %s", ed_type_name(t));
    return ED_TYPE_COUNT;
}
static void sum_init(void *st, ed_type t)
{
    sum_state *s = st;
    memset(s, 0, sizeof *s);
    s->type = (uint8_t)(t == ED_NULL ? ED_BIGINT : t);
}
static void sum_step(void *st, const ed_value *a, int n)
{
    sum_state *s = st;
    (void)n;
    if (a[0].type == ED_NULL) return;
    s->any = true;
    if (s->type == ED_DOUBLE) s->d += ed_num(&a[0]);
    else if (__builtin_add_overflow(s->i, a[0].u.i, &s->i)) s->overflow = true;
}
static void sum_combine(void *dst, const void *src)
{
    sum_state *d = dst;
    const sum_state *s = src;
    if (!s->any) return;
    d->any = true;
    d->overflow |= s->overflow;
    d->d += s->d;
    if (__builtin_add_overflow(d->i, s->i, &d->i)) d->overflow = true;
}
static ed_value sum_final(const void *st, ed_arena *ar)
{
    const sum_state *s = st;
    (void)ar;
    if (!s->any || s->overflow) return ed_v_null();
    if (s->type == ED_DOUBLE) return ed_v_double(s->d);
    ed_value v = ed_v_int(s->i);
    v.type = s->type;
    return v;
}

/* the NULL of an overflowed BIGINT/INTERVAL sum is an error the engine counts */
static bool sum_final_error(const void *st)
{
    const sum_state *s = st;
    return s->any && s->overflow;
}

/* checkpoint: type, any, overflow, i, d (bools and type validated) */
static void sum_ser(const void *st, ed_sb *out)
{
    const sum_state *s = st;
    ed_ck_put_u8(out, s->type);
    ed_ck_put_u8(out, s->any);
    ed_ck_put_u8(out, s->overflow);
    ed_ck_put_i64(out, s->i);
    ed_ck_put_f64(out, s->d);
}
static int sum_deser(void *st, const unsigned char **p, const unsigned char *end)
{
    sum_state *s = st;
    uint8_t t;
    if (ed_ck_get_u8(p, end, &t) || t != s->type) return -1;
    if (ed_ck_get_bool(p, end, &s->any) || ed_ck_get_bool(p, end, &s->overflow)) return -1;
    if (ed_ck_get_i64(p, end, &s->i) || ed_ck_get_f64(p, end, &s->d)) return -1;
    return 0;
}

/* ---- avg ---- */
typedef struct avg_state {
    double sum;
    int64_t n;
} avg_state;

static ed_type avg_check(const ed_type *args, int nargs, char *err, size_t errlen)
{
    (void)nargs;
    if (args[0] == ED_NULL || ed_is_num(args[0])) return ED_DOUBLE;
    snprintf(err, errlen, "avg cannot be applied to %s", ed_type_name(args[0]));
    return ED_TYPE_COUNT;
}
static void avg_init(void *st, ed_type t) { (void)t; memset(st, 0, sizeof(avg_state)); }
static void avg_step(void *st, const ed_value *a, int n)
{
    avg_state *s = st;
    (void)n;
    if (a[0].type == ED_NULL) return;
    s->sum += ed_num(&a[0]);
    s->n++;
}
static void avg_combine(void *dst, const void *src)
{
    avg_state *d = dst;
    const avg_state *s = src;
    d->sum += s->sum;
    d->n += s->n;
}
static ed_value avg_final(const void *st, ed_arena *ar)
{
    const avg_state *s = st;
    (void)ar;
    return s->n ? ed_v_double(s->sum / (double)s->n) : ed_v_null();
}

/* ---- min / max ---- */
typedef struct mm_state {
    ed_value v;        /* ED_NULL until the first non-NULL input */
    uint8_t type;      /* argument type (DOUBLE inputs normalised) */
    char *heap;        /* owned copy of a VARCHAR extreme */
    uint32_t cap;
} mm_state;

static ed_type mm_check(const ed_type *args, int nargs, char *err, size_t errlen)
{
    (void)nargs, (void)err, (void)errlen;
    return args[0]; /* every type is ordered (ed_value_cmp) */
}
static void mm_init(void *st, ed_type t)
{
    mm_state *s = st;
    memset(s, 0, sizeof *s);
    s->type = (uint8_t)t;
}
static void mm_set(mm_state *s, const ed_value *v)
{
    s->v = *v;
    if (s->type == ED_DOUBLE && v->type == ED_BIGINT) s->v = ed_v_double((double)v->u.i);
    if (v->type == ED_VARCHAR) {
        if (v->len > s->cap || !s->heap) {
            s->cap = v->len < 16 ? 16 : v->len;
            s->heap = ed_xrealloc(s->heap, s->cap);
        }
        if (v->len) memcpy(s->heap, v->u.s, v->len);
        s->v.u.s = s->heap;
    }
}
static void mm_offer(mm_state *s, const ed_value *v, int sign)
{
    if (v->type == ED_NULL) return;
    if (s->v.type == ED_NULL || sign * ed_value_cmp(v, &s->v) < 0) mm_set(s, v);
}
static void min_step(void *st, const ed_value *a, int n) { (void)n; mm_offer(st, &a[0], 1); }
static void max_step(void *st, const ed_value *a, int n) { (void)n; mm_offer(st, &a[0], -1); }
static void min_combine(void *d, const void *s) { mm_offer(d, &((const mm_state *)s)->v, 1); }
static void max_combine(void *d, const void *s) { mm_offer(d, &((const mm_state *)s)->v, -1); }
static ed_value mm_final(const void *st, ed_arena *ar)
{
    const mm_state *s = st;
    ed_value v = s->v;
    if (v.type == ED_VARCHAR) v.u.s = ed_arena_strndup(ar, v.u.s, v.len);
    return v;
}
static void mm_destroy(void *st)
{
    mm_state *s = st;
    free(s->heap);
    s->heap = NULL;
    s->cap = 0;
}
static size_t mm_heap(const void *st) { return ((const mm_state *)st)->cap; }
/* checkpoint: argument type, then the current extreme as a value */
static void mm_ser(const void *st, ed_sb *out)
{
    const mm_state *s = st;
    ed_ck_put_u8(out, s->type);
    ed_ck_put_value(out, &s->v);
}
static int mm_deser(void *st, const unsigned char **p, const unsigned char *end)
{
    mm_state *s = st;
    uint8_t t;
    ed_value v;
    if (ed_ck_get_u8(p, end, &t) || t != s->type || ed_ck_get_value(p, end, &v)) return -1;
    bool num = (v.type == ED_BIGINT || v.type == ED_DOUBLE) && (t == ED_BIGINT || t == ED_DOUBLE);
    if (v.type != ED_NULL && v.type != t && !num) return -1;
    if (v.type == ED_NULL) s->v = v;
    else mm_set(s, &v);
    return 0;
}

const ed_agg_fn ed_builtin_aggs[] = {
    {"count", sizeof(int64_t), 0, 1, count_check, count_init, count_step, count_combine, count_final, NULL, NULL,
     "count(*) counts rows; count(x) counts non-NULL x", NULL, NULL, NULL},
    {"sum", sizeof(sum_state), 1, 1, sum_check, sum_init, sum_step, sum_combine, sum_final, NULL, NULL,
     "sum(x): BIGINT, DOUBLE or INTERVAL sum; NULL if no non-NULL input or on BIGINT overflow (counted in eval_errors)",
     sum_ser, sum_deser, sum_final_error},
    {"avg", sizeof(avg_state), 1, 1, avg_check, avg_init, avg_step, avg_combine, avg_final, NULL, NULL,
     "avg(x): mean as DOUBLE; NULL if no non-NULL input", NULL, NULL, NULL},
    {"min", sizeof(mm_state), 1, 1, mm_check, mm_init, min_step, min_combine, mm_final, mm_destroy, mm_heap,
     "min(x): smallest non-NULL value (strings by bytes)", mm_ser, mm_deser, NULL},
    {"max", sizeof(mm_state), 1, 1, mm_check, mm_init, max_step, max_combine, mm_final, mm_destroy, mm_heap,
     "max(x): largest non-NULL value (strings by bytes)", mm_ser, mm_deser, NULL},
};
const int ed_builtin_aggs_n = (int)(sizeof ed_builtin_aggs / sizeof ed_builtin_aggs[0]);
