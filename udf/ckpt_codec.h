/* ckpt_codec.h — little-endian encoding helpers for checkpoint blobs.
 *
 * Contract: writers append to an ed_sb; readers take a cursor (*p) and the
 * end of the readable bytes, check bounds before every read, and on success
 * advance *p and return 0; on failure they return -1 and leave *p
 * unchanged. Nothing here allocates: a decoded VARCHAR points into the
 * blob, and the caller copies its bytes if it keeps them. Lives in udf/ so
 * the aggregates' serialize/deserialize (udf/agg_*.c) and the engine's
 * checkpoint code (engine/checkpoint.c, engine/op_window.c) share it.
 *
 * Value encoding: one type byte (ed_type), then NULL: nothing; BOOL: one byte
 * 0/1; BIGINT, TIMESTAMP, INTERVAL: int64; DOUBLE: the IEEE-754 bits as
 * uint64; VARCHAR: uint32 length + bytes. Unknown type bytes and BOOL bytes
 * other than 0/1 are errors.
 */
#ifndef EDDY_CKPT_CODEC_H
#define EDDY_CKPT_CODEC_H
#include <stdint.h>
#include <string.h>
#include "../common/strbuf.h"
#include "../common/value.h"

static inline void ed_ck_put_u8(ed_sb *out, uint8_t v) { ed_sb_append(out, (const char *)&v, 1); }

static inline void ed_ck_put_u32(ed_sb *out, uint32_t v)
{
    unsigned char b[4];
    for (int i = 0; i < 4; i++) b[i] = (unsigned char)(v >> (8 * i));
    ed_sb_append(out, (const char *)b, 4);
}

static inline void ed_ck_put_u64(ed_sb *out, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
    ed_sb_append(out, (const char *)b, 8);
}

static inline void ed_ck_put_i64(ed_sb *out, int64_t v) { ed_ck_put_u64(out, (uint64_t)v); }

static inline void ed_ck_put_f64(ed_sb *out, double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    ed_ck_put_u64(out, bits);
}

/* uint32 length + bytes */
static inline void ed_ck_put_bytes(ed_sb *out, const void *s, uint32_t n)
{
    ed_ck_put_u32(out, n);
    if (n) ed_sb_append(out, (const char *)s, n);
}

static inline void ed_ck_put_str(ed_sb *out, const char *s) { ed_ck_put_bytes(out, s, (uint32_t)strlen(s)); }

/* Length-prefixed section: reserve a uint32, write the body, then patch the
 * length in with ed_ck_end_len(out, ed_ck_begin_len(out)). */
static inline size_t ed_ck_begin_len(ed_sb *out)
{
    ed_ck_put_u32(out, 0);
    return out->len;
}

static inline void ed_ck_end_len(ed_sb *out, size_t start)
{
    uint32_t n = (uint32_t)(out->len - start);
    for (int i = 0; i < 4; i++) out->buf[start - 4 + (size_t)i] = (char)(unsigned char)(n >> (8 * i));
}

/* The same with a uint64 length, for sections that may pass 4 GiB (a
 * query's whole state); read back with ed_ck_get_section. */
static inline size_t ed_ck_begin_len64(ed_sb *out)
{
    ed_ck_put_u64(out, 0);
    return out->len;
}

static inline void ed_ck_end_len64(ed_sb *out, size_t start)
{
    uint64_t n = (uint64_t)(out->len - start);
    for (int i = 0; i < 8; i++) out->buf[start - 8 + (size_t)i] = (char)(unsigned char)(n >> (8 * i));
}

static inline void ed_ck_put_value(ed_sb *out, const ed_value *v)
{
    ed_ck_put_u8(out, v->type);
    switch (v->type) {
    case ED_NULL: break;
    case ED_BOOL: ed_ck_put_u8(out, v->u.b ? 1 : 0); break;
    case ED_DOUBLE: ed_ck_put_f64(out, v->u.d); break;
    case ED_VARCHAR: ed_ck_put_bytes(out, v->u.s, v->len); break;
    default: ed_ck_put_i64(out, v->u.i); break;
    }
}

static inline int ed_ck_get_u8(const unsigned char **p, const unsigned char *end, uint8_t *v)
{
    if (end - *p < 1) return -1;
    *v = **p;
    *p += 1;
    return 0;
}

static inline int ed_ck_get_u32(const unsigned char **p, const unsigned char *end, uint32_t *v)
{
    if (end - *p < 4) return -1;
    uint32_t x = 0;
    for (int i = 0; i < 4; i++) x |= (uint32_t)(*p)[i] << (8 * i);
    *v = x;
    *p += 4;
    return 0;
}

static inline int ed_ck_get_u64(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
    if (end - *p < 8) return -1;
    uint64_t x = 0;
    for (int i = 0; i < 8; i++) x |= (uint64_t)(*p)[i] << (8 * i);
    *v = x;
    *p += 8;
    return 0;
}

static inline int ed_ck_get_i64(const unsigned char **p, const unsigned char *end, int64_t *v)
{
    uint64_t x;
    if (ed_ck_get_u64(p, end, &x)) return -1;
    *v = (int64_t)x;
    return 0;
}

static inline int ed_ck_get_f64(const unsigned char **p, const unsigned char *end, double *d)
{
    uint64_t x;
    if (ed_ck_get_u64(p, end, &x)) return -1;
    memcpy(d, &x, sizeof x);
    return 0;
}

/* 0/1 byte into a bool; other values are errors */
static inline int ed_ck_get_bool(const unsigned char **p, const unsigned char *end, bool *b)
{
    if (end - *p < 1 || **p > 1) return -1;
    *b = **p == 1;
    *p += 1;
    return 0;
}

/* uint32 length + bytes: *s points into the blob */
static inline int ed_ck_get_bytes(const unsigned char **p, const unsigned char *end, const char **s, uint32_t *n)
{
    const unsigned char *q = *p;
    uint32_t len;
    if (ed_ck_get_u32(&q, end, &len) || (uint64_t)(end - q) < len) return -1;
    *s = (const char *)q;
    *n = len;
    *p = q + len;
    return 0;
}

/* uint64 length + body: [*body, *body_end) inside the blob */
static inline int ed_ck_get_section(const unsigned char **p, const unsigned char *end, const unsigned char **body,
                                    const unsigned char **body_end)
{
    const unsigned char *q = *p;
    uint64_t len;
    if (ed_ck_get_u64(&q, end, &len) || (uint64_t)(end - q) < len) return -1;
    *body = q;
    *body_end = q + len;
    *p = q + len;
    return 0;
}

/* A value; a VARCHAR's bytes point into the blob. */
static inline int ed_ck_get_value(const unsigned char **p, const unsigned char *end, ed_value *v)
{
    const unsigned char *q = *p;
    uint8_t t;
    ed_value x = ed_v_null();
    if (ed_ck_get_u8(&q, end, &t) || t >= ED_TYPE_COUNT) return -1;
    switch (t) {
    case ED_NULL: break;
    case ED_BOOL: {
        bool b;
        if (ed_ck_get_bool(&q, end, &b)) return -1;
        x = ed_v_bool(b);
        break;
    }
    case ED_DOUBLE: {
        double d;
        if (ed_ck_get_f64(&q, end, &d)) return -1;
        x = ed_v_double(d);
        break;
    }
    case ED_VARCHAR: {
        const char *s;
        uint32_t n;
        if (ed_ck_get_bytes(&q, end, &s, &n)) return -1;
        x = ed_v_str(n ? s : "", n);
        break;
    }
    default: {
        int64_t i;
        if (ed_ck_get_i64(&q, end, &i)) return -1;
        x = ed_v_int(i);
        x.type = t;
        break;
    }
    }
    *v = x;
    *p = q;
    return 0;
}

#endif
