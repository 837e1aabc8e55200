/* agg_distinct.c — COUNT(DISTINCT x): an open-addressing hash set of the
 * distinct non-NULL values (8-byte slots for fixed-width types). The set and copies of string bytes are the
 * state's own heap memory (heap_bytes reports it; destroy frees it), so a
 * state outlives the batches its inputs came from. combine = set union.
 * Checkpoints: the type, the count and the values in a canonical order
 * (independent of the slot layout), so equal sets give equal bytes. */
#include "ckpt_codec.h"
#include "fn_util.h"
#include <stdlib.h>
#include <string.h>

typedef struct dset {
    /* cap slots. Fixed-width types (BIGINT, DOUBLE, TIMESTAMP, INTERVAL):
     * the value's 64 bits, 0 = empty, the value whose bits are 0 kept in
     * has_zero; half the memory of ed_value slots, and distinct sets are
     * probed at random, so that is half the cache misses' footprint. Other
     * types (VARCHAR, BOOLEAN): ed_value slots, type ED_NULL = empty. */
    void *slot;
    uint32_t cap, n;   /* n includes has_zero */
    uint8_t type;      /* argument type (BIGINT inputs of DOUBLE normalised) */
    bool wide;         /* ed_value slots */
    bool has_zero;
    size_t str_bytes;  /* bytes of owned string copies */
} dset;

static ed_type cd_check(const ed_type *args, int nargs, char *err, size_t errlen)
{
    (void)args, (void)nargs, (void)err, (void)errlen;
    return ED_BIGINT;
}

static void cd_init(void *st, ed_type t)
{
    dset *s = st;
    memset(s, 0, sizeof *s);
    s->type = (uint8_t)t;
    s->wide = !(t == ED_BIGINT || t == ED_DOUBLE || t == ED_TIMESTAMP || t == ED_INTERVAL);
}

static bool same(const ed_value *a, const ed_value *b)
{
    return a->type == b->type && ed_value_cmp(a, b) == 0;
}

static void put(dset *s, const ed_value *v, bool copy);
static void put_bits(dset *s, uint64_t k);

static void grow(dset *s)
{
    void *old = s->slot;
    uint32_t oldcap = s->cap;
    s->cap = oldcap ? oldcap * 2 : 16;
    s->slot = ed_xcalloc(s->cap, s->wide ? sizeof(ed_value) : sizeof(uint64_t));
    s->n = s->has_zero;
    if (s->wide) {
        const ed_value *o = old;
        for (uint32_t i = 0; i < oldcap; i++)
            if (o[i].type != ED_NULL) put(s, &o[i], false);
    } else {
        const uint64_t *o = old;
        for (uint32_t i = 0; i < oldcap; i++)
            if (o[i]) put_bits(s, o[i]);
    }
    free(old);
}

static void put_bits(dset *s, uint64_t k)
{
    if (!k) {
        s->n += !s->has_zero;
        s->has_zero = true;
        return;
    }
    if ((s->n + 1) * 4 > s->cap * 3) grow(s);
    uint64_t *slot = s->slot;
    uint32_t mask = s->cap - 1, i = (uint32_t)ed_mix64(k) & mask;
    while (slot[i]) {
        if (slot[i] == k) return;
        i = (i + 1) & mask;
    }
    slot[i] = k;
    s->n++;
}

static uint64_t bits_of(const ed_value *v)
{
    uint64_t b;
    if (v->type == ED_DOUBLE) memcpy(&b, &v->u.d, sizeof b);
    else b = (uint64_t)v->u.i;
    return b;
}

static ed_value value_of(const dset *s, uint64_t b)
{
    ed_value v = ed_v_null();
    v.type = s->type;
    if (s->type == ED_DOUBLE) memcpy(&v.u.d, &b, sizeof b);
    else v.u.i = (int64_t)b;
    return v;
}

static void put(dset *s, const ed_value *in, bool copy)
{
    ed_value v = *in;
    if (v.type == ED_NULL) return;
    if (s->type == ED_DOUBLE && v.type == ED_BIGINT) v = ed_v_double((double)v.u.i);
    if (v.type == ED_DOUBLE && v.u.d == 0) v.u.d = 0;             /* -0 and 0 are one value */
    if (v.type == ED_DOUBLE && v.u.d != v.u.d) v.u.d = __builtin_nan(""); /* and every NaN */
    if (!s->wide) {
        put_bits(s, bits_of(&v));
        return;
    }
    if ((s->n + 1) * 4 > s->cap * 3) grow(s);
    ed_value *slot = s->slot;
    uint32_t mask = s->cap - 1, i = (uint32_t)ed_value_hash(&v, 0) & mask;
    while (slot[i].type != ED_NULL) {
        if (same(&slot[i], &v)) return;
        i = (i + 1) & mask;
    }
    if (copy && v.type == ED_VARCHAR) {
        char *p = ed_xmalloc(v.len ? v.len : 1);
        if (v.len) memcpy(p, v.u.s, v.len);
        v.u.s = p;
        s->str_bytes += v.len ? v.len : 1;
    }
    slot[i] = v;
    s->n++;
}

static void cd_step(void *st, const ed_value *a, int n)
{
    (void)n;
    put(st, &a[0], true);
}

static void cd_combine(void *dst, const void *src)
{
    const dset *s = src;
    if (s->wide) {
        const ed_value *slot = s->slot;
        for (uint32_t i = 0; i < s->cap; i++)
            if (slot[i].type != ED_NULL) put(dst, &slot[i], true);
        return;
    }
    const uint64_t *slot = s->slot;
    for (uint32_t i = 0; i < s->cap; i++)
        if (slot[i]) put_bits(dst, slot[i]);
    if (s->has_zero) put_bits(dst, 0);
}

static ed_value cd_final(const void *st, ed_arena *ar)
{
    (void)ar;
    return ed_v_int(((const dset *)st)->n);
}

static void cd_destroy(void *st)
{
    dset *s = st;
    if (s->wide) {
        ed_value *slot = s->slot;
        for (uint32_t i = 0; i < s->cap; i++)
            if (slot[i].type == ED_VARCHAR) free((void *)slot[i].u.s);
    }
    free(s->slot);
    s->slot = NULL;
    s->cap = s->n = 0;
    s->has_zero = false;
    s->str_bytes = 0;
}

static size_t cd_heap(const void *st)
{
    const dset *s = st;
    return (size_t)s->cap * (s->wide ? sizeof(ed_value) : sizeof(uint64_t)) + s->str_bytes;
}

/* Canonical order of the encoding: type, then payload bits / bytes. */
static int canon_cmp(const void *a, const void *b)
{
    const ed_value *x = *(const ed_value *const *)a, *y = *(const ed_value *const *)b;
    if (x->type != y->type) return x->type < y->type ? -1 : 1;
    switch (x->type) {
    case ED_VARCHAR: {
        uint32_t n = x->len < y->len ? x->len : y->len;
        int c = n ? memcmp(x->u.s, y->u.s, n) : 0;
        if (c) return c;
        return (x->len > y->len) - (x->len < y->len);
    }
    case ED_DOUBLE: {
        uint64_t bx, by;
        memcpy(&bx, &x->u.d, sizeof bx);
        memcpy(&by, &y->u.d, sizeof by);
        return (bx > by) - (bx < by);
    }
    case ED_BOOL: return (int)x->u.b - (int)y->u.b;
    default: return (x->u.i > y->u.i) - (x->u.i < y->u.i);
    }
}

static void cd_ser(const void *st, ed_sb *out)
{
    const dset *s = st;
    ed_ck_put_u8(out, s->type);
    ed_ck_put_u32(out, s->n);
    if (!s->n) return;
    const ed_value **v = ed_xmalloc(sizeof(*v) * s->n);
    ed_value *vals = s->wide ? NULL : ed_xmalloc(sizeof(*vals) * s->n); /* fixed-width: as values */
    uint32_t k = 0;
    if (s->wide) {
        const ed_value *slot = s->slot;
        for (uint32_t i = 0; i < s->cap && k < s->n; i++)
            if (slot[i].type != ED_NULL) v[k++] = &slot[i];
    } else {
        const uint64_t *slot = s->slot;
        if (s->has_zero) vals[k] = value_of(s, 0), v[k] = &vals[k], k++;
        for (uint32_t i = 0; i < s->cap && k < s->n; i++)
            if (slot[i]) vals[k] = value_of(s, slot[i]), v[k] = &vals[k], k++;
    }
    qsort(v, k, sizeof(*v), canon_cmp);
    for (uint32_t i = 0; i < k; i++) ed_ck_put_value(out, v[i]);
    free(vals);
    free(v);
}

static int cd_deser(void *st, const unsigned char **p, const unsigned char *end)
{
    dset *s = st;
    uint8_t t;
    uint32_t n;
    if (ed_ck_get_u8(p, end, &t) || t != s->type || ed_ck_get_u32(p, end, &n)) return -1;
    if (n > (uint64_t)(end - *p)) return -1; /* each value takes at least one byte */
    for (uint32_t i = 0; i < n; i++) {
        ed_value v;
        if (ed_ck_get_value(p, end, &v) || v.type == ED_NULL) return -1;
        bool num = (v.type == ED_BIGINT || v.type == ED_DOUBLE) && (t == ED_BIGINT || t == ED_DOUBLE);
        if (v.type != t && !num) return -1;
        uint32_t before = s->n;
        put(s, &v, true);
        if (s->n == before) return -1; /* a duplicate: not a set this code wrote */
    }
    return 0;
}

const ed_agg_fn ed_builtin_count_distinct = {
    "count_distinct", sizeof(dset), 1, 1, cd_check, cd_init, cd_step, cd_combine, cd_final, cd_destroy, cd_heap,
    "count(DISTINCT x): number of distinct non-NULL values", cd_ser, cd_deser, NULL};
