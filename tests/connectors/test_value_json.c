/* test_value_json.c — ed_value_json and ed_ts_format (common/value.c), the
 * text every JSON sink writes, against a reference implementation with
 * printf (their original form): the same bytes for DOUBLE (integral,
 * short decimals, values needing 16 or 17 digits, tiny and huge, -0.0,
 * NaN/inf), BIGINT extremes and timestamps, and every DOUBLE reads back. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/strbuf.h"
#include "common/value.h"

static int failures;
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c); failures++; } } while (0)

static void ref_double(char *out, double d)
{
    char buf[40];
    if (!isfinite(d)) strcpy(out, "null");
    else if (fabs(d) < 1e15 && d == (double)(int64_t)d) snprintf(out, 40, "%.1f", d);
    else {
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(buf, sizeof buf, "%.*g", prec, d);
            if (strtod(buf, NULL) == d) break;
        }
        strcpy(out, buf);
    }
}

static uint64_t rs = 88172645463325252ULL;
static uint64_t rnd(void) { rs ^= rs << 13; rs ^= rs >> 7; rs ^= rs << 17; return rs; }

static int nd, bad;

static void check_double(double d)
{
    char want[48];
    ref_double(want, d);
    ed_sb sb = ED_SB_INIT;
    ed_value v = ed_v_double(d);
    ed_value_json(&sb, &v);
    ed_sb_putc(&sb, 0);
    nd++;
    if (strcmp(sb.buf, want) != 0 || (isfinite(d) && strtod(sb.buf, NULL) != d)) {
        if (bad++ < 10) fprintf(stderr, "double %.17g: got %s, want %s\n", d, sb.buf, want);
    }
    ed_sb_free(&sb);
}

static void test_doubles(void)
{
    static const double fixed[] = {0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 1e-4, 1.5e-4, 9.99e-5,
                                   0.00012345678901234, 1e15, 1e15 - 1, 999999999999999.9, 123456789012345.6,
                                   1e16, 1e17, 1e22, 1e23, 1e300, 1e-300, 5e-324, 1.7976931348623157e308,
                                   2.2250738585072014e-308, 3861.724, 4253 * 0.908, 0.908, 100.5, -100.25,
                                   9007199254740993.0, 4503599627370497.5, 0.1 + 0.2, 1e-5, 123.456e-6};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
        check_double(fixed[i]);
        check_double(-fixed[i]);
    }
    check_double(NAN);
    check_double(INFINITY);
    check_double(-INFINITY);
    for (int i = 0; i < 200000; i++) {
        uint64_t r = rnd();
        double d;
        switch (i % 5) {
        case 0: memcpy(&d, &r, sizeof d); break;                                     /* any bits */
        case 1: d = (double)(int64_t)(r % 2000000000) / pow(10, (double)((r >> 40) % 20)); break; /* short decimals */
        case 2: d = (double)(r % 100000000) * 0.908; break;                           /* Nexmark q1 */
        case 3: d = (double)(r >> 11) * 0x1p-53 * pow(10, (double)((r % 40)) - 20); break;
        default: d = (double)(int64_t)(r % 10000000) / 1000.0 + (double)(r >> 60) * 1e-13; break;
        }
        check_double(d);
        check_double(-d);
    }
    CHECK(bad == 0);
    CHECK(nd > 400000);
}

static void test_ints_and_timestamps(void)
{
    static const int64_t ints[] = {0, 1, -1, 9, 10, -10, 1234567890123, INT64_MAX, INT64_MIN, INT64_MIN + 1};
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
        char want[32];
        snprintf(want, sizeof want, "%lld", (long long)ints[i]);
        ed_sb sb = ED_SB_INIT;
        ed_value v = ed_v_int(ints[i]);
        ed_value_json(&sb, &v);
        ed_sb_putc(&sb, 0);
        CHECK(strcmp(sb.buf, want) == 0);
        ed_sb_free(&sb);
    }
    /* timestamps: fields checked against a printf rendering of the parts */
    int badts = 0;
    for (int i = 0; i < 100000; i++) {
        int64_t ms = (int64_t)(rnd() % 600000000000000ULL) - 300000000000000LL; /* about +-9500 years */
        if (i < 10) ms = (int64_t[]){0, -1, 1, 86399999, -86400000, 1767225600000, 253402300799999, 253402300800000,
                                     -62167219200000, -62167219200001}[i];
        char buf[32];
        int n = ed_ts_format(ms, buf);
        int64_t back;
        int y = atoi(buf);
        if (n != 24 || strlen(buf) != 24) badts++;
        else if (y > 0 && y < 9999 && (ed_ts_parse(buf, 24, &back) != 0 || back != ms)) badts++;
        else if (ms >= 253402300800000 && strncmp(buf, "9999-", 5) != 0) badts++;
        else if (ms < -62167219200000 && strncmp(buf, "0000-", 5) != 0) badts++;
    }
    CHECK(badts == 0);
    char buf[32];
    CHECK(ed_ts_format(1795867200123, buf) == 24 && strcmp(buf, "2026-11-28T12:00:00.123Z") == 0);
    CHECK(ed_ts_format(-1, buf) == 24 && strcmp(buf, "1969-12-31T23:59:59.999Z") == 0);
}

int main(void)
{
    test_doubles();
    test_ints_and_timestamps();
    if (failures) {
        fprintf(stderr, "%d failures\n", failures);
        return 1;
    }
    printf("test_value_json: %d doubles ok\n", nd);
    return 0;
}
