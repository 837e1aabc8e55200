/* json_decode.c — schema-driven decoder of one JSON object per event.
 *
 * A single pass over the bytes: keys are matched against the schema's
 * columns and only those values are materialised; everything else is
 * validated (the line must be valid JSON) but not stored. No DOM, no
 * allocation except VARCHAR bytes copied into the batch arena.
 *
 * Fast paths (each falls back to the general byte-at-a-time code, so they
 * change no accept/reject decision, value or error message):
 * - strings are scanned 16 bytes at a time (SSE2; 8 with SWAR for the tail
 *   and elsewhere): a block without '"', '\\', a control character or a
 *   non-ASCII byte is skipped whole; the first such byte is handled by the
 *   byte-wise code, which then resumes block scanning;
 * - a key of plain ASCII closed within 16 bytes and directly followed by ':'
 *   is taken in one step; keys are matched first against the column after
 *   the last one matched (lines usually list fields in schema order);
 * - integers of up to 18 digits are accumulated while scanning, without
 *   overflow checks; DOUBLEs with at most 15 significant digits and a small
 *   decimal exponent use one exact multiplication or division (Clinger's
 *   fast path, correctly rounded like strtod), others go to strtod;
 * - the VARCHAR values of a line share one arena copy of the line's rest
 *   when that is short (copy_str).
 */
#include "json_decode.h"
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct jp {
    const char *p, *start, *end;
    ed_arena *arena;
    char *why;
    size_t whylen;
    /* input bytes [copy_src, end) copied to copy_dst (see copy_str) */
    const char *copy_src;
    char *copy_dst;
} jp;

/* The arena copy of input bytes s[0..n) for a VARCHAR value. The first
 * copy of a line takes the whole rest of the line when that is short
 * (COPY_REST_MAX), so the following VARCHARs of the same line are already
 * copied: one allocation per line instead of one per value. */
#define COPY_REST_MAX 512
static const char *copy_str(jp *j, const char *s, size_t n)
{
    if (j->copy_dst && s >= j->copy_src) return j->copy_dst + (s - j->copy_src);
    size_t rest = (size_t)(j->end - s);
    if (rest > COPY_REST_MAX) return ed_arena_strndup(j->arena, s, n);
    j->copy_dst = ed_arena_alloc(j->arena, rest + 1);
    memcpy(j->copy_dst, s, rest);
    j->copy_src = s;
    return j->copy_dst;
}

static int fail(jp *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(jp *j, const char *fmt, ...)
{
    if (j->why && j->whylen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(j->why, j->whylen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int syntax(jp *j, const char *what)
{
    if (j->p >= j->end) return fail(j, "invalid JSON at byte %zu: %s, got end of input", (size_t)(j->p - j->start), what);
    return fail(j, "invalid JSON at byte %zu: %s", (size_t)(j->p - j->start), what);
}

static inline void skip_ws(jp *j)
{
    if (j->p < j->end && (unsigned char)*j->p > ' ') return; /* the usual case: no whitespace */
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')) j->p++;
}

static int hex4(const char *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return -1;
    }
    *out = v;
    return 0;
}

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s, const unsigned char *end)
{
    unsigned c = s[0];
    size_t n = (size_t)(end - s);
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80) return 0;
        if (c == 0xE0 && s[1] < 0xA0) return 0;  /* overlong */
        if (c == 0xED && s[1] >= 0xA0) return 0; /* surrogate */
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80) return 0;
        if (c == 0xF0 && s[1] < 0x90) return 0;  /* overlong */
        if (c == 0xF4 && s[1] >= 0x90) return 0; /* > U+10FFFF */
        return 4;
    }
    return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xC0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18)); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* SWAR string scanning. block_special(p) flags (bit 7 of each byte, lowest
 * address = lowest bits) the bytes of p[0..8) that end a run of plain string
 * characters: '"', '\\', < 0x20, >= 0x80. Borrows of the subtractions only
 * run towards higher bytes, so bytes above a flagged one may be flagged
 * falsely, but the lowest flag is always exact: callers only use that one. */
#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
static inline uint64_t block_special(const unsigned char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    uint64_t qt = x ^ (ONES * '"'), bs = x ^ (ONES * '\\');
    return (((qt - ONES) & ~qt) | ((bs - ONES) & ~bs) | (x - ONES * 0x20) | x) & HIGHS;
}
static inline size_t first_flagged(uint64_t m) { return (size_t)__builtin_ctzll(m) >> 3; }
#else
/* not little-endian: no block scanning (flag the first byte) */
static inline uint64_t block_special(const unsigned char *p) { (void)p; return 1; }
static inline size_t first_flagged(uint64_t m) { (void)m; return 0; }
#endif

#ifdef __SSE2__
#include <emmintrin.h>
/* The same flags for 16 bytes, one bit per byte (bit i = p[i]): a signed
 * compare with 0x20 catches both < 0x20 and >= 0x80 (negative). Exact for
 * every byte. */
static inline unsigned block16_special(const unsigned char *p)
{
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
                             _mm_cmplt_epi8(x, _mm_set1_epi8(0x20)));
    return (unsigned)_mm_movemask_epi8(m);
}
#endif

/* Parse a string at j->p (which is '"'). On success (*s, *len) is the decoded
 * text: a pointer into the input when there were no escapes (*borrowed = 1),
 * else a copy in the arena (only when decode; otherwise only validated
 * and *s is NULL). */
static int parse_string(jp *j, const char **s, size_t *len, int *borrowed, int decode)
{
    const char *b = ++j->p;
    const unsigned char *q = (const unsigned char *)b, *end = (const unsigned char *)j->end;
    int escapes = 0;
    for (;;) {
        /* skip blocks of plain ASCII (see block_special) */
#ifdef __SSE2__
        while (end - q >= 16) {
            unsigned m = block16_special(q);
            if (m) {
                q += __builtin_ctz(m);
                goto special;
            }
            q += 16;
        }
#endif
        while (end - q >= 8) {
            uint64_t m = block_special(q);
            if (m) {
                q += first_flagged(m);
                break;
            }
            q += 8;
        }
#ifdef __SSE2__
    special:
#endif
        if (q >= end) { j->p = (const char *)q; return syntax(j, "unterminated string"); }
        unsigned c = *q;
        if (c == '"') break;
        if (c < 0x20) { j->p = (const char *)q; return syntax(j, "control character in string"); }
        if (c == '\\') {
            escapes = 1;
            if (q + 1 >= end) { j->p = (const char *)q + 1; return syntax(j, "unterminated string"); }
            unsigned e = q[1];
            if (e == 'u') {
                unsigned u;
                if (end - q < 6 || hex4((const char *)q + 2, &u)) { j->p = (const char *)q; return syntax(j, "invalid \\u escape"); }
                if (u >= 0xD800 && u <= 0xDBFF) {
                    unsigned lo;
                    if (end - q < 12 || q[6] != '\\' || q[7] != 'u' || hex4((const char *)q + 8, &lo) || lo < 0xDC00 || lo > 0xDFFF) {
                        j->p = (const char *)q;
                        return syntax(j, "lone surrogate in \\u escape");
                    }
                    q += 12;
                } else if (u >= 0xDC00 && u <= 0xDFFF) {
                    j->p = (const char *)q;
                    return syntax(j, "lone surrogate in \\u escape");
                } else {
                    q += 6;
                }
                continue;
            }
            if (!strchr("\"\\/bfnrt", (int)e) || e == 0) { j->p = (const char *)q; return syntax(j, "invalid escape in string"); }
            q += 2;
            continue;
        }
        if (c < 0x80) { q++; continue; }
        size_t l = utf8_len(q, end);
        if (!l) { j->p = (const char *)q; return syntax(j, "invalid UTF-8 in string"); }
        q += l;
    }
    size_t raw = (size_t)((const char *)q - b);
    j->p = (const char *)q + 1;
    if (!escapes) { *s = b; *len = raw; *borrowed = 1; return 0; }
    *borrowed = 0;
    if (!decode) { *s = NULL; *len = 0; return 0; }
    /* decoded text is never longer than the escaped text */
    char *o = ed_arena_alloc(j->arena, raw + 1), *w = o;
    for (const char *r = b; r < b + raw;) {
        if (*r != '\\') { *w++ = *r++; continue; }
        char e = r[1];
        if (e == 'u') {
            unsigned u;
            hex4(r + 2, &u);
            r += 6;
            if (u >= 0xD800 && u <= 0xDBFF) {
                unsigned lo;
                hex4(r + 2, &lo);
                r += 6;
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            }
            w += put_utf8(w, u);
            continue;
        }
        switch (e) {
        case 'b': *w++ = '\b'; break;
        case 'f': *w++ = '\f'; break;
        case 'n': *w++ = '\n'; break;
        case 'r': *w++ = '\r'; break;
        case 't': *w++ = '\t'; break;
        default: *w++ = e; break;
        }
        r += 2;
    }
    *w = 0;
    *s = o;
    *len = (size_t)(w - o);
    return 0;
}

/* A scanned JSON number: its text, and what the fast paths need. */
typedef struct jnum {
    const char *s;
    size_t len;
    int is_int;      /* no fraction, no exponent */
    int neg;
    int ndig;        /* digits of the integer and fraction parts */
    int frac;        /* digits of the fraction part */
    int exp;         /* the exponent's value (clamped to +-100000) */
    uint64_t mant;   /* the digits as an integer, exact if ndig <= 19 */
} jnum;

/* Scan a JSON number at j->p. */
static int scan_number(jp *j, jnum *n)
{
    const char *p = j->p, *e = j->end, *b = p;
    uint64_t m = 0;
    const char *d0;
    n->is_int = 1;
    n->neg = 0;
    n->frac = 0;
    n->exp = 0;
    if (p < e && *p == '-') p++, n->neg = 1;
    if (p >= e || *p < '0' || *p > '9') { j->p = p; return syntax(j, "invalid number"); }
    d0 = p;
    if (*p == '0') p++;
    else while (p < e && *p >= '0' && *p <= '9') m = m * 10 + (uint64_t)(*p++ - '0');
    if (p < e && *p == '.') {
        n->is_int = 0;
        p++;
        if (p >= e || *p < '0' || *p > '9') { j->p = p; return syntax(j, "invalid number: digit expected after '.'"); }
        const char *f0 = p;
        while (p < e && *p >= '0' && *p <= '9') m = m * 10 + (uint64_t)(*p++ - '0');
        n->frac = (int)(p - f0 < 100000 ? p - f0 : 100000);
        n->ndig = (int)(p - d0 - 1 < 100000 ? p - d0 - 1 : 100000);
    } else {
        n->ndig = (int)(p - d0 < 100000 ? p - d0 : 100000);
    }
    if (p < e && (*p == 'e' || *p == 'E')) {
        n->is_int = 0;
        p++;
        int eneg = 0, ev = 0;
        if (p < e && (*p == '+' || *p == '-')) eneg = *p++ == '-';
        if (p >= e || *p < '0' || *p > '9') { j->p = p; return syntax(j, "invalid number: digit expected in exponent"); }
        while (p < e && *p >= '0' && *p <= '9') {
            if (ev < 100000) ev = ev * 10 + (*p - '0');
            p++;
        }
        n->exp = eneg ? -ev : ev;
    }
    n->mant = m;
    n->s = b;
    n->len = (size_t)(p - b);
    j->p = p;
    return 0;
}

/* an integer number as int64; -1 if out of range */
static int parse_int64(const jnum *n, int64_t *out)
{
    if (n->ndig <= 18) { /* < 10^18: no overflow possible */
        *out = n->neg ? -(int64_t)n->mant : (int64_t)n->mant;
        return 0;
    }
    const char *s = n->s;
    size_t i = (size_t)n->neg;
    uint64_t v = 0, lim = n->neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < n->len; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (lim - d) / 10) return -1;
        v = v * 10 + d;
    }
    *out = n->neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

static const double pow10_exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                       1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static int parse_double(jp *j, const jnum *n, double *out)
{
    /* Clinger's fast path: mantissa < 10^15 < 2^53 and 10^|e| <= 10^22 are
     * exact doubles, so one multiplication or division rounds correctly */
    int e10 = n->exp - n->frac;
    if (n->ndig <= 15 && e10 >= -22 && e10 <= 22) {
        double d = (double)n->mant;
        d = e10 >= 0 ? d * pow10_exact[e10] : d / pow10_exact[-e10];
        *out = n->neg ? -d : d;
        return 0;
    }
    char buf[64];
    size_t len = n->len;
    char *tmp = len < sizeof buf ? buf : ed_xmalloc(len + 1);
    memcpy(tmp, n->s, len);
    tmp[len] = 0;
    errno = 0;
    double d = strtod(tmp, NULL);
    int bad = errno == ERANGE && isinf(d);
    if (tmp != buf) free(tmp);
    if (bad) return fail(j, "number out of range at byte %zu", (size_t)(n->s - j->start));
    *out = d;
    return 0;
}

static int skip_value(jp *j, int depth);

static int match_lit(jp *j, const char *lit, size_t n)
{
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n) != 0) return syntax(j, "unexpected character");
    j->p += n;
    return 0;
}

static int skip_container(jp *j, int depth)
{
    char open = *j->p, close = open == '{' ? '}' : ']';
    if (depth > ED_JSON_MAX_DEPTH) return fail(j, "invalid JSON at byte %zu: nesting deeper than %d", (size_t)(j->p - j->start), ED_JSON_MAX_DEPTH);
    j->p++;
    skip_ws(j);
    if (j->p < j->end && *j->p == close) { j->p++; return 0; }
    for (;;) {
        if (open == '{') {
            const char *s; size_t l; int borrowed;
            if (j->p >= j->end || *j->p != '"') return syntax(j, "expected string key");
            if (parse_string(j, &s, &l, &borrowed, 0)) return -1;
            skip_ws(j);
            if (j->p >= j->end || *j->p != ':') return syntax(j, "expected ':'");
            j->p++;
            skip_ws(j);
        }
        if (skip_value(j, depth)) return -1;
        skip_ws(j);
        if (j->p < j->end && *j->p == ',') { j->p++; skip_ws(j); continue; }
        if (j->p < j->end && *j->p == close) { j->p++; return 0; }
        return syntax(j, open == '{' ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static int skip_value(jp *j, int depth)
{
    if (j->p >= j->end) return syntax(j, "expected a value");
    const char *s; size_t l; int k;
    switch (*j->p) {
    case '{': case '[': return skip_container(j, depth + 1);
    case '"': return parse_string(j, &s, &l, &k, 0);
    case 't': return match_lit(j, "true", 4);
    case 'f': return match_lit(j, "false", 5);
    case 'n': return match_lit(j, "null", 4);
    default:
        if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9')) {
            jnum num;
            if (scan_number(j, &num)) return -1;
            if (!num.is_int) { double d; return parse_double(j, &num, &d); }
            return 0;
        }
        return syntax(j, "expected a value");
    }
}

static const char *json_kind(char c)
{
    switch (c) {
    case '{': return "object";
    case '[': return "array";
    case '"': return "string";
    case 't': case 'f': return "boolean";
    default: return "number";
    }
}

/* Parse the value of column col into *v. */
static int parse_column(jp *j, const ed_column *col, ed_value *v)
{
    if (j->p >= j->end) return syntax(j, "expected a value");
    char c = *j->p;
    if (c == 'n') {
        if (match_lit(j, "null", 4)) return -1;
        *v = ed_v_null();
        return 0;
    }
    const char *s; size_t l; int borrowed;
    switch (col->type) {
    case ED_BOOL:
        if (c == 't') { if (match_lit(j, "true", 4)) return -1; *v = ed_v_bool(true); return 0; }
        if (c == 'f') { if (match_lit(j, "false", 5)) return -1; *v = ed_v_bool(false); return 0; }
        break;
    case ED_BIGINT:
    case ED_DOUBLE:
    case ED_TIMESTAMP:
        if (c == '-' || (c >= '0' && c <= '9')) {
            jnum num;
            if (scan_number(j, &num)) return -1;
            if (col->type == ED_DOUBLE) {
                double d;
                if (parse_double(j, &num, &d)) return -1;
                *v = ed_v_double(d);
                return 0;
            }
            if (!num.is_int) {
                double d;
                if (parse_double(j, &num, &d)) return -1;
                return fail(j, "field '%s': expected %s, got decimal number %.*s", col->name, ed_type_name(col->type),
                            (int)(num.len > 40 ? 40 : num.len), num.s);
            }
            int64_t i;
            if (parse_int64(&num, &i)) return fail(j, "field '%s': integer out of range", col->name);
            *v = col->type == ED_BIGINT ? ed_v_int(i) : ed_v_ts(i);
            return 0;
        }
        if (c == '"' && col->type == ED_TIMESTAMP) {
            if (parse_string(j, &s, &l, &borrowed, 1)) return -1;
            int64_t ms;
            if (ed_ts_parse(s, l, &ms))
                return fail(j, "field '%s': invalid timestamp '%.*s' (expected RFC 3339 or epoch milliseconds)", col->name,
                            (int)(l > 40 ? 40 : l), s);
            *v = ed_v_ts(ms);
            return 0;
        }
        break;
    case ED_VARCHAR:
        if (c == '"') {
            if (parse_string(j, &s, &l, &borrowed, 1)) return -1;
            if (l > UINT32_MAX) return fail(j, "field '%s': string too long", col->name);
            if (borrowed) s = copy_str(j, s, l);
            *v = ed_v_str(s, (uint32_t)l);
            return 0;
        }
        break;
    default: break;
    }
    if (c != '{' && c != '[' && c != '"' && c != 't' && c != 'f' && c != '-' && (c < '0' || c > '9'))
        return syntax(j, "expected a value");
    return fail(j, "field '%s': expected %s, got %s", col->name, ed_type_name(col->type), json_kind(c));
}

/* does column name `name` equal key k[0..n) (k has no NUL)? */
static inline int name_eq(const char *name, const char *k, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (name[i] != k[i]) return 0; /* also stops at name's NUL */
    return name[n] == 0;
}

/* the column named k[0..n), trying column `hint` first; -1 if none */
static inline int find_col(const ed_schema *s, const char *k, size_t n, int hint)
{
    if (hint < s->ncols && name_eq(s->cols[hint].name, k, n)) return hint;
    for (int i = 0; i < s->ncols; i++)
        if (i != hint && name_eq(s->cols[i].name, k, n)) return i;
    return -1;
}

int ed_json_decode_row(const ed_schema *s, const char *line, size_t n, ed_value *row, ed_arena *arena, char *why,
                       size_t whylen)
{
    jp j = {line, line, line + n, arena, why, whylen, NULL, NULL};
    skip_ws(&j);
    if (j.p >= j.end || *j.p != '{') return syntax(&j, "expected '{'");
    j.p++;
    skip_ws(&j);
    if (j.p < j.end && *j.p == '}') {
        j.p++;
    } else {
        int hint = 0;
        for (;;) {
            const char *k; size_t kl; int borrowed;
            if (j.p >= j.end || *j.p != '"') return syntax(&j, "expected string key");
#ifdef __SSE2__
            /* the usual key: plain ASCII closed within 16 bytes, then ':' */
            if (j.end - j.p >= 18) {
                const unsigned char *q = (const unsigned char *)j.p + 1;
                unsigned m = block16_special(q);
                if (m) {
                    unsigned at = (unsigned)__builtin_ctz(m);
                    if (q[at] == '"' && q[at + 1] == ':') {
                        k = (const char *)q;
                        kl = at;
                        borrowed = 1;
                        j.p = (const char *)q + at + 2;
                        goto have_key;
                    }
                }
            }
#endif
            /* keys with escapes are decoded into the arena (rare) */
            if (parse_string(&j, &k, &kl, &borrowed, 1)) return -1;
            skip_ws(&j);
            if (j.p >= j.end || *j.p != ':') return syntax(&j, "expected ':'");
            j.p++;
#ifdef __SSE2__
        have_key:
#endif
            skip_ws(&j);
            /* a NUL can only come from an escape; no column name has one */
            int col = !borrowed && memchr(k, 0, kl) ? -1 : find_col(s, k, kl, hint);
            if (col >= 0) {
                hint = col + 1;
                if (parse_column(&j, &s->cols[col], &row[col])) return -1;
            } else if (skip_value(&j, 1)) {
                return -1;
            }
            skip_ws(&j);
            if (j.p < j.end && *j.p == ',') { j.p++; skip_ws(&j); continue; }
            if (j.p < j.end && *j.p == '}') { j.p++; break; }
            return syntax(&j, "expected ',' or '}'");
        }
    }
    skip_ws(&j);
    if (j.p != j.end) return syntax(&j, "unexpected data after the object");
    return 0;
}
