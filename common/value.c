/* value.c — type names, time formatting/parsing, JSON rendering, ordering. */
#include "value.h"
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

const char *ed_type_name(ed_type t)
{
    static const char *names[] = {"NULL", "BOOLEAN", "BIGINT", "DOUBLE", "VARCHAR", "TIMESTAMP", "INTERVAL"};
    return (unsigned)t < ED_TYPE_COUNT ? names[t] : "?";
}

/* Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

int ed_ts_format(int64_t ms, char *buf)
{
    int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
    int64_t rem = ms - days * 86400000;
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    int hh = (int)(rem / 3600000), mi = (int)(rem / 60000 % 60), ss = (int)(rem / 1000 % 60), mss = (int)(rem % 1000);
    if (y < 0 || y > 9999) y = y < 0 ? 0 : 9999; /* clamp: JSON output stays RFC 3339 */
    /* "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", without printf */
    int yy = (int)y;
    char *o = buf;
    o[0] = (char)('0' + yy / 1000), o[1] = (char)('0' + yy / 100 % 10), o[2] = (char)('0' + yy / 10 % 10);
    o[3] = (char)('0' + yy % 10), o[4] = '-';
    o[5] = (char)('0' + m / 10), o[6] = (char)('0' + m % 10), o[7] = '-';
    o[8] = (char)('0' + d / 10), o[9] = (char)('0' + d % 10), o[10] = 'T';
    o[11] = (char)('0' + hh / 10), o[12] = (char)('0' + hh % 10), o[13] = ':';
    o[14] = (char)('0' + mi / 10), o[15] = (char)('0' + mi % 10), o[16] = ':';
    o[17] = (char)('0' + ss / 10), o[18] = (char)('0' + ss % 10), o[19] = '.';
    o[20] = (char)('0' + mss / 100), o[21] = (char)('0' + mss / 10 % 10), o[22] = (char)('0' + mss % 10);
    o[23] = 'Z', o[24] = 0;
    return 24;
}

static int digits(const char *s, size_t n, size_t *i, int count, int *out)
{
    int v = 0;
    for (int k = 0; k < count; k++) {
        if (*i >= n || s[*i] < '0' || s[*i] > '9') return -1;
        v = v * 10 + (s[*i] - '0');
        (*i)++;
    }
    *out = v;
    return 0;
}

/* two decimal digits at s, or -1 */
static inline int dig2(const char *s)
{
    unsigned a = (unsigned)(unsigned char)s[0] - '0', b = (unsigned)(unsigned char)s[1] - '0';
    return a > 9 || b > 9 ? -1 : (int)(a * 10 + b);
}

static const int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

/* The form ed_ts_format writes, "YYYY-MM-DDTHH:MM:SS.mmmZ" (also with 't',
 * ' ', 'z'): 1 if parsed into *out, 0 if the general parser must decide.
 * Accepts and computes exactly what the general parser does for it. */
static int ts_parse_fixed(const char *s, size_t n, int64_t *out)
{
    if (n != 24 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' ||
        s[16] != ':' || s[19] != '.' || (s[23] != 'Z' && s[23] != 'z'))
        return 0;
    int y1 = dig2(s), y2 = dig2(s + 2), mo = dig2(s + 5), d = dig2(s + 8), h = dig2(s + 11), mi = dig2(s + 14),
        se = dig2(s + 17), f1 = dig2(s + 20);
    unsigned f2 = (unsigned)(unsigned char)s[22] - '0';
    if ((y1 | y2 | mo | d | h | mi | se | f1) < 0 || f2 > 9) return 0;
    if (mo < 1 || mo > 12 || d < 1 || d > month_days[mo - 1] || h > 23 || mi > 59 || se > 60) return 0;
    int y = y1 * 100 + y2;
    if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 0;
    if (se == 60) se = 59; /* leap second: clamp */
    int64_t days = days_from_civil(y, (unsigned)mo, (unsigned)d);
    *out = days * 86400000 + (int64_t)h * 3600000 + (int64_t)mi * 60000 + (int64_t)se * 1000 + f1 * 10 + (int)f2;
    return 1;
}

int ed_ts_parse(const char *s, size_t n, int64_t *out)
{
    if (ts_parse_fixed(s, n, out)) return 0;
    size_t i = 0;
    int y, mo, d, h, mi, se;
    if (digits(s, n, &i, 4, &y) || i >= n || s[i++] != '-' || digits(s, n, &i, 2, &mo) || i >= n || s[i++] != '-' ||
        digits(s, n, &i, 2, &d))
        return -1;
    if (i >= n || (s[i] != 'T' && s[i] != 't' && s[i] != ' ')) return -1;
    i++;
    if (digits(s, n, &i, 2, &h) || i >= n || s[i++] != ':' || digits(s, n, &i, 2, &mi) || i >= n || s[i++] != ':' ||
        digits(s, n, &i, 2, &se))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return -1;
    if (d > month_days[mo - 1]) return -1;
    if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return -1;
    int frac = 0;
    if (i < n && s[i] == '.') {
        i++;
        int nd = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            if (nd < 3) frac = frac * 10 + (s[i] - '0');
            nd++;
            i++;
        }
        if (nd == 0) return -1;
        for (; nd < 3; nd++) frac *= 10;
    }
    int64_t off = 0;
    if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
        i++;
    } else if (i < n && (s[i] == '+' || s[i] == '-')) {
        int sign = s[i++] == '-' ? -1 : 1, oh, om;
        if (digits(s, n, &i, 2, &oh) || i >= n || s[i++] != ':' || digits(s, n, &i, 2, &om) || oh > 23 || om > 59)
            return -1;
        off = sign * ((int64_t)oh * 3600000 + (int64_t)om * 60000);
    } else {
        return -1;
    }
    if (i != n) return -1;
    if (se == 60) se = 59; /* leap second: clamp */
    int64_t days = days_from_civil(y, (unsigned)mo, (unsigned)d);
    *out = days * 86400000 + (int64_t)h * 3600000 + (int64_t)mi * 60000 + (int64_t)se * 1000 + frac - off;
    return 0;
}

/* decimal digits of v (no sign) at the end of buf[0..20); returns the start */
static char *u64_digits(uint64_t v, char *end)
{
    char *p = end;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return p;
}

static const double pow10_tab[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                     1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* The double formats of ed_value_json, without printf where possible:
 * - integral and |d| < 1e15: "%.1f" (e.g. "3.0", "-0.0");
 * - else the shortest of "%.15g", "%.16g", "%.17g" that reads back as d.
 * Shortcut for the second rule: if d is m / 10^k (k >= 1, m < 10^15, so at
 * most 15 significant digits) exactly as strtod would read that decimal,
 * with 1e-4 <= |d| (where %g keeps fixed notation), then "%.15g" prints
 * exactly those digits (a double is within half an ulp, 2^-53 relative, of
 * it, far below half the spacing of 15-digit decimals, 5e-16 relative; %g
 * drops trailing zeros and the smallest k has none), and it reads back as
 * d, so it is the answer. (double)m / 10^k is one correctly rounded
 * division of exact operands, i.e. what strtod returns for the decimal. */
static void double_json(ed_sb *sb, double d)
{
    char buf[48];
    if (!isfinite(d)) {
        ed_sb_puts(sb, "null");
        return;
    }
    double a = fabs(d);
    char *end = buf + sizeof buf, *p;
    if (a < 1e15 && d == (double)(int64_t)d) { /* range first: the cast is UB beyond int64 */
        end[-2] = '.', end[-1] = '0';
        p = u64_digits((uint64_t)a, end - 2);
        if (signbit(d)) *--p = '-';
        ed_sb_append(sb, p, (size_t)(end - p));
        return;
    }
    int prec = 15;
    if (a >= 1e-4 && a < 1e15) {
        /* every decimal of at most 15 significant digits is m / 10^k for one
         * of these k (k = 0: d is integral, handled above), so if none reads
         * back as d, neither does "%.15g" */
        prec = 16;
        for (int k = 1; k <= 22; k++) {
            double s = a * pow10_tab[k];
            if (s >= 1e15) break;
            uint64_t m = (uint64_t)(s + 0.5);
            if ((double)m / pow10_tab[k] != a) continue;
            /* m / 10^k: integer part, '.', k digits */
            p = u64_digits(m, end);
            int nd = (int)(end - p);
            if (nd <= k) { /* 0.000ddd */
                while (nd < k) *--p = '0', nd++;
                *--p = '.';
                *--p = '0';
            } else {
                memmove(p - 1, p, (size_t)(nd - k));
                p--;
                end[-k - 1] = '.';
            }
            if (d < 0) *--p = '-';
            ed_sb_append(sb, p, (size_t)(end - p));
            return;
        }
    }
    for (; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, d);
        if (prec == 17 || strtod(buf, NULL) == d) break;
    }
    ed_sb_puts(sb, buf);
}

void ed_value_json(ed_sb *sb, const ed_value *v)
{
    char buf[40];
    switch (v->type) {
    case ED_BOOL: ed_sb_puts(sb, v->u.b ? "true" : "false"); break;
    case ED_BIGINT:
    case ED_INTERVAL: {
        /* "%lld" */
        uint64_t u = v->u.i < 0 ? 0 - (uint64_t)v->u.i : (uint64_t)v->u.i;
        char *p = u64_digits(u, buf + sizeof buf);
        if (v->u.i < 0) *--p = '-';
        ed_sb_append(sb, p, (size_t)(buf + sizeof buf - p));
        break;
    }
    case ED_DOUBLE: double_json(sb, v->u.d); break;
    case ED_VARCHAR: ed_sb_json_str(sb, v->u.s, v->len); break;
    case ED_TIMESTAMP: {
        int n = ed_ts_format(v->u.i, buf);
        ed_sb_putc(sb, '"');
        ed_sb_append(sb, buf, (size_t)n);
        ed_sb_putc(sb, '"');
        break;
    }
    default: ed_sb_puts(sb, "null");
    }
}

int ed_value_cmp(const ed_value *a, const ed_value *b)
{
    if (a->type == ED_NULL || b->type == ED_NULL) return (a->type != ED_NULL) - (b->type != ED_NULL);
    if (a->type == ED_DOUBLE || b->type == ED_DOUBLE) {
        double x = a->type == ED_DOUBLE ? a->u.d : (double)a->u.i;
        double y = b->type == ED_DOUBLE ? b->u.d : (double)b->u.i;
        if (x < y) return -1;
        if (x > y) return 1;
        if (x == y) return 0;
        return isnan(x) - isnan(y); /* NaN sorts last, equal to itself */
    }
    switch (a->type) {
    case ED_BOOL: return (int)a->u.b - (int)b->u.b;
    case ED_VARCHAR: {
        uint32_t n = a->len < b->len ? a->len : b->len;
        int c = n ? memcmp(a->u.s, b->u.s, n) : 0;
        if (c) return c < 0 ? -1 : 1;
        return (a->len > b->len) - (a->len < b->len);
    }
    default: return (a->u.i > b->u.i) - (a->u.i < b->u.i);
    }
}

uint64_t ed_value_hash(const ed_value *v, uint64_t seed)
{
    uint64_t h = seed ^ ((uint64_t)v->type * 0x9E3779B97F4A7C15ULL);
    switch (v->type) {
    case ED_NULL: return ed_mix64(h);
    case ED_BOOL: return ed_mix64(h ^ v->u.b);
    case ED_DOUBLE: {
        double d = v->u.d;
        if (d == 0) d = 0; /* -0 == 0 */
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        return ed_mix64(h ^ bits);
    }
    case ED_VARCHAR: {
        /* FNV-1a then mix */
        uint64_t x = 0xcbf29ce484222325ULL;
        for (uint32_t i = 0; i < v->len; i++) x = (x ^ (unsigned char)v->u.s[i]) * 0x100000001b3ULL;
        return ed_mix64(h ^ x);
    }
    default: return ed_mix64(h ^ (uint64_t)v->u.i);
    }
}
