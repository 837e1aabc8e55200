/* test_json_decode.c — unit tests for the schema-driven JSON decoder and
 * ingest helpers, plus a differential test against jansson on generated
 * inputs (same accept/reject, same values for the schema's columns). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "connectors/ingest.h"
#include "connectors/json_decode.h"

static int failures;
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c); failures++; } } while (0)

static ed_column cols[] = {{"id", ED_BIGINT}, {"price", ED_DOUBLE}, {"name", ED_VARCHAR},
                           {"ok", ED_BOOL},   {"ts", ED_TIMESTAMP}};
static ed_schema S = {5, cols};
static ed_arena A;
static ed_value R[5];
static char WHY[256];

static int dec(const char *s) { memset(R, 0, sizeof R); WHY[0] = 0; return ed_json_decode_row(&S, s, strlen(s), R, &A, WHY, sizeof WHY); }
static int decn(const char *s, size_t n) { memset(R, 0, sizeof R); WHY[0] = 0; return ed_json_decode_row(&S, s, n, R, &A, WHY, sizeof WHY); }
static int str_is(const ed_value *v, const char *s) { return v->type == ED_VARCHAR && v->len == strlen(s) && memcmp(v->u.s, s, v->len) == 0; }

static void test_basic(void)
{
    CHECK(dec("{\"id\":1,\"price\":9.5,\"name\":\"bob\",\"ok\":true,\"ts\":1700000000000}") == 0);
    CHECK(R[0].type == ED_BIGINT && R[0].u.i == 1);
    CHECK(R[1].type == ED_DOUBLE && R[1].u.d == 9.5);
    CHECK(str_is(&R[2], "bob"));
    CHECK(R[3].type == ED_BOOL && R[3].u.b);
    CHECK(R[4].type == ED_TIMESTAMP && R[4].u.i == 1700000000000);
    /* missing = NULL, null = NULL, unknown fields skipped (even nested) */
    CHECK(dec("{\"zzz\":{\"a\":[1,{\"b\":null}],\"c\":\"x\"},\"id\":null}") == 0);
    for (int i = 0; i < 5; i++) CHECK(R[i].type == ED_NULL);
    CHECK(dec("  {}  ") == 0);
    CHECK(dec("{\"ok\":false}") == 0 && R[3].type == ED_BOOL && !R[3].u.b);
    /* duplicate keys: last wins */
    CHECK(dec("{\"id\":1,\"id\":2}") == 0 && R[0].u.i == 2);
    CHECK(dec("{\"id\":1,\"id\":null}") == 0 && R[0].type == ED_NULL);
    /* field names are case-sensitive and matched after unescaping */
    CHECK(dec("{\"ID\":1}") == 0 && R[0].type == ED_NULL);
    CHECK(dec("{\"\\u0069d\":7}") == 0 && R[0].u.i == 7);
}

static void test_numbers(void)
{
    CHECK(dec("{\"id\":-9223372036854775808}") == 0 && R[0].u.i == INT64_MIN);
    CHECK(dec("{\"id\":9223372036854775807}") == 0 && R[0].u.i == INT64_MAX);
    CHECK(dec("{\"id\":9223372036854775808}") == -1 && strstr(WHY, "out of range"));
    CHECK(dec("{\"id\":1.5}") == -1 && strstr(WHY, "field 'id': expected BIGINT"));
    CHECK(dec("{\"id\":1e3}") == -1);
    CHECK(dec("{\"id\":\"12\"}") == -1 && strcmp(WHY, "field 'id': expected BIGINT, got string") == 0);
    CHECK(dec("{\"price\":3}") == 0 && R[1].type == ED_DOUBLE && R[1].u.d == 3.0);
    CHECK(dec("{\"price\":-1.25e2}") == 0 && R[1].u.d == -125.0);
    CHECK(dec("{\"price\":2E-1}") == 0 && R[1].u.d == 0.2);
    CHECK(dec("{\"price\":\"1.5\"}") == -1 && strcmp(WHY, "field 'price': expected DOUBLE, got string") == 0);
    CHECK(dec("{\"price\":1e400}") == -1);
    CHECK(dec("{\"price\":01}") == -1 && strstr(WHY, "invalid JSON"));
    CHECK(dec("{\"price\":1.}") == -1);
    CHECK(dec("{\"price\":.5}") == -1);
    CHECK(dec("{\"price\":+1}") == -1);
    CHECK(dec("{\"price\":-}") == -1);
    CHECK(dec("{\"price\":1e}") == -1);
    CHECK(dec("{\"price\":NaN}") == -1);
    CHECK(dec("{\"ok\":1}") == -1 && strstr(WHY, "expected BOOLEAN, got number"));
    CHECK(dec("{\"id\":true}") == -1 && strstr(WHY, "got boolean"));
    CHECK(dec("{\"id\":[1]}") == -1 && strstr(WHY, "got array"));
    CHECK(dec("{\"name\":{}}") == -1 && strstr(WHY, "got object"));
}

static void test_strings(void)
{
    CHECK(dec("{\"name\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"}") == 0 && str_is(&R[2], "a\"b\\c/d\b\f\n\r\t"));
    CHECK(dec("{\"name\":\"\\u00e9\\u20AC\"}") == 0 && str_is(&R[2], "\xc3\xa9\xe2\x82\xac"));
    CHECK(dec("{\"name\":\"\\ud83d\\ude00\"}") == 0 && str_is(&R[2], "\xf0\x9f\x98\x80"));
    CHECK(dec("{\"name\":\"caf\xc3\xa9\"}") == 0 && str_is(&R[2], "caf\xc3\xa9"));
    CHECK(dec("{\"name\":\"\\u0000x\"}") == 0 && R[2].len == 2 && R[2].u.s[0] == 0);
    /* lone surrogates are rejected: they have no UTF-8 encoding */
    CHECK(dec("{\"name\":\"\\ud83d\"}") == -1 && strstr(WHY, "surrogate"));
    CHECK(dec("{\"name\":\"\\ude00\"}") == -1);
    CHECK(dec("{\"name\":\"\\ud83d\\u0041\"}") == -1);
    CHECK(dec("{\"zz\":\"\\ud83d\"}") == -1); /* also in skipped fields */
    /* invalid UTF-8: bad byte, overlong, surrogate encoded, truncated */
    CHECK(dec("{\"name\":\"\xff\"}") == -1 && strstr(WHY, "UTF-8"));
    CHECK(dec("{\"name\":\"\xc0\xaf\"}") == -1);
    CHECK(dec("{\"name\":\"\xed\xa0\x80\"}") == -1);
    CHECK(dec("{\"name\":\"\xe2\x82\"}") == -1);
    CHECK(dec("{\"zz\":\"\xf5\x80\x80\x80\"}") == -1);
    CHECK(dec("{\"name\":\"\\x\"}") == -1 && strstr(WHY, "escape"));
    CHECK(dec("{\"name\":\"\\u12g4\"}") == -1);
    CHECK(dec("{\"name\":\"a\tb\"}") == -1 && strstr(WHY, "control"));
    CHECK(dec("{\"name\":\"abc}") == -1 && strstr(WHY, "unterminated"));
    /* the decoded string lives in the arena, not in the input buffer */
    char buf[] = "{\"name\":\"hello\"}";
    CHECK(decn(buf, strlen(buf)) == 0);
    memset(buf, 'x', sizeof buf - 1);
    CHECK(str_is(&R[2], "hello"));
}

static void test_timestamps(void)
{
    CHECK(dec("{\"ts\":\"2026-11-28T12:00:00.000Z\"}") == 0 && R[4].type == ED_TIMESTAMP && R[4].u.i == 1795867200000);
    CHECK(dec("{\"ts\":\"2026-11-28T14:00:00+02:00\"}") == 0 && R[4].u.i == 1795867200000);
    CHECK(dec("{\"ts\":-1}") == 0 && R[4].u.i == -1);
    CHECK(dec("{\"ts\":\"yesterday\"}") == -1 && strstr(WHY, "field 'ts': invalid timestamp"));
    CHECK(dec("{\"ts\":1.5}") == -1);
    CHECK(dec("{\"ts\":true}") == -1 && strstr(WHY, "expected TIMESTAMP, got boolean"));
}

static void test_syntax(void)
{
    CHECK(dec("") == -1 && strstr(WHY, "expected '{'"));
    CHECK(dec("[1]") == -1);
    CHECK(dec("\"x\"") == -1);
    CHECK(dec("{\"id\" 1}") == -1 && strcmp(WHY, "invalid JSON at byte 6: expected ':'") == 0);
    CHECK(dec("{\"id\":1,}") == -1);
    CHECK(dec("{\"id\":1") == -1 && strstr(WHY, "end of input"));
    CHECK(dec("{id:1}") == -1);
    CHECK(dec("{\"id\":1} x") == -1 && strstr(WHY, "after the object"));
    CHECK(dec("{\"id\":1}{}") == -1);
    CHECK(dec("{\"id\":1}\r") == 0 && R[0].u.i == 1);
    CHECK(dec("{\"id\":1} \t\r\n") == 0);
    CHECK(dec("{\"ok\":tru}") == -1);
    CHECK(dec("{\"ok\":nul}") == -1);
    CHECK(dec("{\"a\":[1,]}") == -1);
    CHECK(dec("{\"a\":[1 2]}") == -1);
    CHECK(decn("{\"id\":1}\0", 9) == -1); /* NUL after the object is garbage */
    /* nesting: 64 levels ok (the top object is level 1), 65 rejected */
    char deep[300];
    for (int lim = 63; lim <= 64; lim++) {
        size_t k = 0;
        k += (size_t)sprintf(deep + k, "{\"a\":");
        for (int i = 0; i < lim; i++) deep[k++] = '[';
        for (int i = 0; i < lim; i++) deep[k++] = ']';
        deep[k++] = '}';
        deep[k] = 0;
        int rc = dec(deep);
        CHECK(lim == 63 ? rc == 0 : (rc == -1 && strstr(WHY, "nesting")));
    }
}

/* ---- ingest -------------------------------------------------------- */

static void test_ingest(void)
{
    char dl[] = "/tmp/eddy-dl-XXXXXX";
    int fd = mkstemp(dl);
    CHECK(fd >= 0);
    close(fd);
    ed_stream_def s;
    memset(&s, 0, sizeof s);
    s.name = "bids";
    s.schema = S;
    s.max_event_bytes = 20;
    s.dead_letter = dl;
    ed_batch b;
    ed_batch_init(&b, S.ncols);
    char why[128];
    CHECK(ed_ingest_line(&s, &b, "{\"id\":5}", 8, 42, why, sizeof why) == 0 && b.nrows == 1 && b.arrival[0] == 42);
    CHECK(b.vals[0].u.i == 5);
    CHECK(ed_ingest_line(&s, &b, "{\"id\":\"x\"}", 10, 43, why, sizeof why) == -1 && b.nrows == 1);
    CHECK(s.decode_errors == 1);
    const char *big = "{\"name\":\"0123456789012345\"}";
    CHECK(ed_ingest_line(&s, &b, big, strlen(big), 44, why, sizeof why) == -1 && strstr(why, "max_event_bytes"));
    CHECK(s.decode_errors == 2 && b.nrows == 1);
    /* exactly max_event_bytes is accepted */
    CHECK(ed_ingest_line(&s, &b, "{\"name\":\"012345678\"}", 20, 45, why, sizeof why) == 0 && b.nrows == 2);
    CHECK(ed_ingest_line(&s, &b, " \r", 2, 45, why, sizeof why) == 0 && b.nrows == 2); /* blank: not an event */
    CHECK(ed_ingest_line_dl(&s, &b, "{bad\"\n", 6, 46) == -1 && s.decode_errors == 3);
    FILE *f = fopen(dl, "r");
    char line[512] = {0};
    CHECK(f && fgets(line, sizeof line, f));
    json_error_t je;
    json_t *j = json_loads(line, 0, &je);
    CHECK(j && strcmp(json_string_value(json_object_get(j, "stream")), "bids") == 0);
    CHECK(j && strcmp(json_string_value(json_object_get(j, "line")), "{bad\"\n") == 0);
    CHECK(j && strstr(json_string_value(json_object_get(j, "reason")), "invalid JSON"));
    json_decref(j);
    CHECK(!fgets(line, sizeof line, f));
    if (f) fclose(f);
    /* dead-letter lines are truncated to 4096 bytes */
    char *huge = malloc(10000);
    memset(huge, 'a', 10000);
    ed_dead_letter_write(dl, "s", "too big", huge, 10000);
    free(huge);
    f = fopen(dl, "r");
    char *l2 = calloc(1, 20000);
    CHECK(f && fgets(l2, 20000, f) && fgets(l2, 20000, f));
    j = json_loads(l2, 0, &je);
    CHECK(j && strlen(json_string_value(json_object_get(j, "line"))) == 4096);
    json_decref(j);
    free(l2);
    if (f) fclose(f);
    unlink(dl);
    ed_batch_free(&b);
}

/* ---- differential vs jansson ----------------------------------------- */

static uint64_t rng = 12345;
static uint64_t rnd(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

/* Does jansson's parse of `text` mean our decoder must accept it? */
static int expect_accept(json_t *j)
{
    if (!j || !json_is_object(j)) return 0;
    for (int c = 0; c < S.ncols; c++) {
        json_t *v = json_object_get(j, cols[c].name);
        if (!v || json_is_null(v)) continue;
        switch (cols[c].type) {
        case ED_BIGINT: if (!json_is_integer(v)) return 0; break;
        case ED_DOUBLE: if (!json_is_number(v)) return 0; break;
        case ED_BOOL: if (!json_is_boolean(v)) return 0; break;
        case ED_VARCHAR: if (!json_is_string(v)) return 0; break;
        case ED_TIMESTAMP: {
            int64_t ms;
            if (json_is_integer(v)) break;
            if (!json_is_string(v) || ed_ts_parse(json_string_value(v), json_string_length(v), &ms)) return 0;
            break;
        }
        default: return 0;
        }
    }
    return 1;
}

static int same_values(json_t *j)
{
    for (int c = 0; c < S.ncols; c++) {
        json_t *v = json_object_get(j, cols[c].name);
        if (!v || json_is_null(v)) { if (R[c].type != ED_NULL) return 0; continue; }
        if (R[c].type != cols[c].type) return 0;
        switch (cols[c].type) {
        case ED_BIGINT: if (R[c].u.i != json_integer_value(v)) return 0; break;
        case ED_DOUBLE: if (R[c].u.d != json_number_value(v) && !(isnan(R[c].u.d))) return 0; break;
        case ED_BOOL: if (R[c].u.b != json_is_true(v)) return 0; break;
        case ED_VARCHAR:
            if (R[c].len != json_string_length(v) || memcmp(R[c].u.s, json_string_value(v), R[c].len)) return 0;
            break;
        case ED_TIMESTAMP: {
            int64_t ms = 0;
            if (json_is_integer(v)) ms = json_integer_value(v);
            else ed_ts_parse(json_string_value(v), json_string_length(v), &ms);
            if (R[c].u.i != ms) return 0;
            break;
        }
        default: return 0;
        }
    }
    return 1;
}

/* Inputs where the two parsers legitimately differ by design: integers too
 * big for jansson in fields we skip, and NUL in object keys. */
static int out_of_scope(const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        run = (s[i] >= '0' && s[i] <= '9') ? run + 1 : 0;
        if (run >= 18) return 1;
    }
    return memmem(s, n, "\\u0000", 6) != NULL;
}

static void test_differential(void)
{
    static const char *bases[] = {
        "{\"id\":1,\"price\":9.5,\"name\":\"bob\",\"ok\":true,\"ts\":1700000000000}",
        "{\"id\":-42,\"price\":-0.5e3,\"name\":\"\\u00e9\\ud83d\\ude00 x\",\"ok\":false,\"ts\":\"2026-11-28T12:00:00Z\"}",
        "{\"x\":[1,2,{\"y\":null}],\"id\":7,\"z\":{\"a\":\"b\"}}",
        "{ \"name\" : \"caf\xc3\xa9 \\\"q\\\" \\n\" , \"price\" : 12 }",
        "{\"id\":null,\"price\":null,\"ok\":null,\"ts\":\"2020-02-29T00:00:00.123+05:30\"}",
        "{\"id\":1,\"id\":2,\"name\":\"a\",\"name\":\"bb\"}",
        "{\"ts\":-5,\"price\":1E2,\"extra\":[true,false,null,\"s\",-0.0]}",
        "{}",
        "{\"price\":1.0e-3,\"ok\":true,\"n\":{\"m\":{\"k\":[[],{}]}}}",
    };
    static const char alphabet[] = "{}[]:,\" \\/-+.eE0123456789tfnulrsabu\xc3\xa9\xff\t\r\n";
    int nb = (int)(sizeof bases / sizeof *bases), compared = 0, mismatches = 0;
    char buf[512];
    for (int iter = 0; iter < 30000; iter++) {
        const char *b = bases[iter % nb];
        size_t n = strlen(b);
        memcpy(buf, b, n);
        int muts = iter < nb ? 0 : 1 + (int)(rnd() % 2);
        for (int m = 0; m < muts; m++) {
            size_t pos = n ? rnd() % n : 0;
            int op = (int)(rnd() % 3);
            char c = alphabet[rnd() % (sizeof alphabet - 1)];
            if (op == 0 && n > 0) { memmove(buf + pos, buf + pos + 1, n - pos - 1); n--; }
            else if (op == 1 && n < sizeof buf - 1) { memmove(buf + pos + 1, buf + pos, n - pos); buf[pos] = c; n++; }
            else if (n > 0) buf[pos] = c;
        }
        if (out_of_scope(buf, n)) continue;
        json_error_t je;
        json_t *j = json_loadb(buf, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
        int want = expect_accept(j);
        int got = decn(buf, n) == 0;
        compared++;
        if (want != got || (got && !same_values(j))) {
            if (mismatches++ < 10)
                fprintf(stderr, "differential mismatch (jansson %s, ours %s: %s): %.*s\n", want ? "accepts" : "rejects",
                        got ? "accepts" : "rejects", WHY, (int)n, buf);
        }
        if (!got) CHECK(WHY[0] != 0); /* every rejection says why */
        json_decref(j);
    }
    CHECK(mismatches == 0);
    CHECK(compared > 20000);
    fprintf(stderr, "differential: %d inputs compared\n", compared);
}

/* ---- fast paths (SWAR string scanning, number and timestamp shortcuts) --- */

/* decode `line` and compare with jansson (accept/reject and values) */
static int agrees_with_jansson(const char *line, size_t n)
{
    json_error_t je;
    json_t *j = json_loadb(line, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
    int want = expect_accept(j);
    int got = decn(line, n) == 0;
    int ok = want == got && (!got || same_values(j));
    if (!ok) fprintf(stderr, "mismatch (jansson %s, ours %s: %s): %.*s\n", want ? "accepts" : "rejects",
                     got ? "accepts" : "rejects", WHY, (int)n, line);
    json_decref(j);
    return ok;
}

/* Every special byte sequence at every offset of strings 0..40 bytes long,
 * so each lands on every position of an 8-byte block and across block
 * edges, in a stored column and in a skipped member; the string may also be
 * cut off by the end of the input. */
static void test_swar_strings(void)
{
    static const char *specials[] = {
        "\\\"", "\\\\", "\\n", "\\/", "\\u00e9", "\\ud83d\\ude00", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
        "\"",            /* ends the string early: the rest is garbage */
        "\xff", "\xc3",  "\xe2\x82", "\xc0\xaf", "\xed\xa0\x80", "\x01", "\x1f", "\x7f", "\\x", "\\u12", "\\ud83d",
        " ", "~",
    };
    int ns = (int)(sizeof specials / sizeof *specials), bad = 0, cases = 0;
    char body[128], line[512];
    for (int len = 0; len <= 40; len++) {
        for (int si = 0; si < ns; si++) {
            for (int pos = 0; pos <= len; pos++) {
                size_t sl = strlen(specials[si]);
                memset(body, 'a' + pos % 26, (size_t)len);
                memmove(body + pos + sl, body + pos, (size_t)(len - pos));
                memcpy(body + pos, specials[si], sl);
                int bl = len + (int)sl;
                for (int where = 0; where < 3; where++) {
                    int n;
                    if (where == 0) n = snprintf(line, sizeof line, "{\"name\":\"%.*s\",\"id\":5}", bl, body);
                    else if (where == 1) n = snprintf(line, sizeof line, "{\"zz\":\"%.*s\",\"id\":5}", bl, body);
                    else n = snprintf(line, sizeof line, "{\"name\":\"%.*s", bl, body); /* unterminated */
                    cases++;
                    if (!agrees_with_jansson(line, (size_t)n)) bad++;
                    if (where == 0 && si < 9 && R[2].type == ED_VARCHAR) {
                        /* no escapes: stored bytes = the input bytes */
                        if (specials[si][0] != '\\' && (R[2].len != (uint32_t)bl || memcmp(R[2].u.s, body, (size_t)bl)))
                            bad++;
                    }
                    if (where == 2) CHECK(decn(line, (size_t)n) == -1);
                }
            }
        }
    }
    CHECK(bad == 0);
    CHECK(cases > 30000);
    /* the error offset of a bad byte deep in a long string is exact */
    CHECK(dec("{\"name\":\"aaaaaaaaaaaaaaaaaaaaaaaaa\x01\"}") == -1 &&
          strcmp(WHY, "invalid JSON at byte 34: control character in string") == 0);
    CHECK(dec("{\"zz\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xff\"}") == -1 &&
          strcmp(WHY, "invalid JSON at byte 50: invalid UTF-8 in string") == 0);
}

/* mutations of long lines (strings spanning many 8-byte blocks) */
static void test_differential_long(void)
{
    static const char *bases[] = {
        "{\"id\":1000,\"bidder\":1001,\"price\":4253,\"channel\":\"Google\",\"url\":\"https://www.nexmark.com/"
        "abc/d_e/fgh/item.htm?query=1&channel_id=1207959552\",\"ts\":\"2026-01-01T00:00:00.012Z\",\"name\":"
        "\"qwertyuiopasdfg hjklzxcvbnm qwertyuiopasdfghj klzxcvbnmqwertyuiopasdfghjklzxcvb\"}",
        "{\"name\":\"0123456789abcdef\\u00e9\\\"0123456789\\\\abcdef\\n0123456789caf\xc3\xa9 \xe2\x82\xac"
        "0123456789\xf0\x9f\x98\x80 end\",\"price\":12345.678901,\"zz\":\"\\ud83d\\ude00 long skipped string "
        "that needs several blocks \\/ and escapes\",\"id\":-12345678901234}",
    };
    static const char alphabet[] = "\"\\/unbt0123456789.eE-+ {}[]:,az\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xff\x01\x7f";
    int nb = (int)(sizeof bases / sizeof *bases), mismatches = 0, compared = 0;
    char buf[1024];
    for (int iter = 0; iter < 30000; iter++) {
        const char *b = bases[iter % nb];
        size_t n = strlen(b);
        memcpy(buf, b, n);
        int muts = iter < nb ? 0 : 1 + (int)(rnd() % 3);
        for (int m = 0; m < muts; m++) {
            size_t pos = n ? rnd() % n : 0;
            int op = (int)(rnd() % 3);
            char c = alphabet[rnd() % (sizeof alphabet - 1)];
            if (op == 0 && n > 0) { memmove(buf + pos, buf + pos + 1, n - pos - 1); n--; }
            else if (op == 1 && n < sizeof buf - 1) { memmove(buf + pos + 1, buf + pos, n - pos); buf[pos] = c; n++; }
            else if (n > 0) buf[pos] = c;
        }
        if (out_of_scope(buf, n)) continue;
        compared++;
        if (!agrees_with_jansson(buf, n) && mismatches++ > 10) break;
    }
    CHECK(mismatches == 0);
    CHECK(compared > 20000);
}

/* DOUBLE columns: the exact fast path must give strtod's bits */
static void test_number_fast_paths(void)
{
    char line[128], num[64];
    int bad = 0;
    for (int iter = 0; iter < 200000; iter++) {
        uint64_t r = rnd();
        int digits = 1 + (int)(r % 19), fracd = (int)((r >> 8) % (unsigned)(digits + 1)), e = (int)((r >> 16) % 61) - 30;
        int use_exp = (int)((r >> 24) & 1), neg = (int)((r >> 25) & 1);
        char d[24];
        uint64_t m = rnd();
        for (int k = 0; k < digits; k++, m /= 10) d[k] = (char)('0' + m % 10);
        if (digits - fracd > 1 && d[0] == '0') d[0] = '1'; /* no leading zero before more integer digits */
        int ip = digits - fracd;
        int n = snprintf(num, sizeof num, "%s%.*s%s%.*s", neg ? "-" : "", ip ? ip : 1, ip ? d : "0", fracd ? "." : "",
                         fracd, d + ip);
        if (use_exp) n += snprintf(num + n, sizeof num - (size_t)n, "e%d", e);
        snprintf(line, sizeof line, "{\"price\":%s}", num);
        double want = strtod(num, NULL);
        if (dec(line) != 0 || R[1].type != ED_DOUBLE || memcmp(&R[1].u.d, &want, sizeof want) != 0) {
            if (bad++ < 5) fprintf(stderr, "double mismatch: %s -> %.17g (%s)\n", num, R[1].u.d, WHY);
        }
    }
    CHECK(bad == 0);
    CHECK(dec("{\"price\":-0}") == 0 && R[1].u.d == 0 && signbit(R[1].u.d));
    CHECK(dec("{\"price\":-0.0e5}") == 0 && R[1].u.d == 0 && signbit(R[1].u.d));
    CHECK(dec("{\"price\":0.0000000000000000000000001}") == 0 && R[1].u.d == 1e-25);
    CHECK(dec("{\"price\":123456789012345678901234567890}") == 0 && R[1].u.d == 123456789012345678901234567890.0);
    CHECK(dec("{\"price\":9007199254740993}") == 0 && R[1].u.d == 9007199254740992.0); /* ties to even */
    CHECK(dec("{\"price\":1e22}") == 0 && R[1].u.d == 1e22);
    CHECK(dec("{\"price\":1e23}") == 0 && R[1].u.d == 1e23);
    CHECK(dec("{\"price\":1e-400}") == 0 && R[1].u.d == 0); /* underflow is not an error */
    CHECK(dec("{\"price\":1e99999999999}") == -1 && strstr(WHY, "out of range"));
    CHECK(dec("{\"zz\":1e99999999999}") == -1 && strstr(WHY, "out of range"));
    /* BIGINT: 18 digits take the unchecked path, 19 the checked one */
    CHECK(dec("{\"id\":999999999999999999}") == 0 && R[0].u.i == 999999999999999999);
    CHECK(dec("{\"id\":-999999999999999999}") == 0 && R[0].u.i == -999999999999999999);
    CHECK(dec("{\"id\":1000000000000000000}") == 0 && R[0].u.i == 1000000000000000000);
    CHECK(dec("{\"id\":9999999999999999999}") == -1 && strstr(WHY, "out of range"));
    CHECK(dec("{\"id\":-9223372036854775809}") == -1 && strstr(WHY, "out of range"));
    CHECK(dec("{\"id\":123456789012345678901234567890}") == -1 && strstr(WHY, "out of range"));
    CHECK(dec("{\"id\":-0}") == 0 && R[0].u.i == 0);
    CHECK(dec("{\"ts\":1767225600000}") == 0 && R[4].u.i == 1767225600000);
}

/* RFC 3339 timestamps in ed_ts_format's form take a fixed-layout shortcut:
 * same values and same rejections as the general parser */
static void test_timestamp_fast_path(void)
{
    char a[64], b[64];
    int bad = 0;
    for (int iter = 0; iter < 20000; iter++) {
        uint64_t r = rnd();
        int y = (int)(r % 10000), mo = (int)((r >> 14) % 14), d = (int)((r >> 18) % 33), h = (int)((r >> 24) % 25),
            mi = (int)((r >> 30) % 61), se = (int)((r >> 36) % 62), ms = (int)((r >> 42) % 1000);
        const char *sep = ((r >> 52) & 3) == 0 ? " " : ((r >> 52) & 3) == 1 ? "t" : "T";
        snprintf(a, sizeof a, "%04d-%02d-%02d%s%02d:%02d:%02d.%03d%s", y, mo, d, sep, h, mi, se, ms, (r >> 55) & 1 ? "z" : "Z");
        snprintf(b, sizeof b, "%04d-%02d-%02d%s%02d:%02d:%02d.%03d000+00:00", y, mo, d, sep, h, mi, se, ms);
        int64_t va = 0, vb = 0;
        int ra = ed_ts_parse(a, strlen(a), &va), rb = ed_ts_parse(b, strlen(b), &vb);
        if (ra != rb || (ra == 0 && va != vb)) bad++;
        /* a non-digit anywhere a digit belongs is rejected */
        char c = a[r % 24];
        if (c >= '0' && c <= '9') {
            a[r % 24] = (char)('/' + ((r >> 60) & 1) * 11); /* '/' or ':' */
            if (ed_ts_parse(a, strlen(a), &va) == 0) bad++;
        }
    }
    CHECK(bad == 0);
    int64_t v;
    CHECK(ed_ts_parse("2024-02-29T23:59:60.999Z", 24, &v) == 0 && v == 1709251199999);
    CHECK(ed_ts_parse("2023-02-29T00:00:00.000Z", 24, &v) == -1);
    CHECK(ed_ts_parse("1900-02-29T00:00:00.000Z", 24, &v) == -1);
    CHECK(ed_ts_parse("2000-02-29T00:00:00.000Z", 24, &v) == 0);
    CHECK(ed_ts_parse("2026-04-31T00:00:00.000Z", 24, &v) == -1);
    CHECK(ed_ts_parse("2026-01-01T24:00:00.000Z", 24, &v) == -1);
    CHECK(ed_ts_parse("0000-01-01T00:00:00.000Z", 24, &v) == 0 && v == -62167219200000);
    CHECK(ed_ts_parse("2026-01-01T00:00:00.000X", 24, &v) == -1);
}

/* VARCHAR values are copies (one shared copy of the rest of a short line,
 * or one per value when the rest is long): they survive the input buffer,
 * with escapes, duplicates and skipped members in between. */
static void test_varchar_copies(void)
{
    static ed_column vc[] = {{"a", ED_VARCHAR}, {"b", ED_VARCHAR}, {"c", ED_VARCHAR}, {"n", ED_BIGINT}};
    ed_schema vs = {4, vc};
    for (int pad = 0; pad <= 1200; pad += 100) {
        for (int order = 0; order < 3; order++) {
            char *line = malloc(2000), *p = line;
            char padding[1300];
            memset(padding, 'p', (size_t)pad);
            padding[pad] = 0;
            if (order == 0)
                p += sprintf(p, "{\"a\":\"alpha\",\"zz\":\"%s\",\"b\":\"be\\u00e9ta\",\"c\":\"gamma\",\"n\":7}", padding);
            else if (order == 1)
                p += sprintf(p, "{\"c\":\"gamma\",\"a\":\"x\",\"a\":\"alpha\",\"n\":7,\"b\":\"be\xc3\xa9ta\",\"zz\":\"%s\"}", padding);
            else
                p += sprintf(p, "{\"zz\":[\"%s\"],\"b\":\"be\xc3\xa9ta\",\"a\":\"alpha\",\"c\":\"gamma\",\"n\":7}", padding);
            ed_value r[4];
            memset(r, 0, sizeof r);
            char why[128];
            CHECK(ed_json_decode_row(&vs, line, (size_t)(p - line), r, &A, why, sizeof why) == 0);
            memset(line, '#', (size_t)(p - line));
            free(line);
            CHECK(str_is(&r[0], "alpha"));
            CHECK(str_is(&r[1], "be\xc3\xa9ta"));
            CHECK(str_is(&r[2], "gamma"));
            CHECK(r[3].type == ED_BIGINT && r[3].u.i == 7);
        }
    }
}

/* Keys of every length around the 16-byte key shortcut, in and out of
 * schema order, with whitespace, escapes and non-ASCII bytes, and lines cut
 * anywhere: same values as written, and every cut line is rejected. */
static void test_keys(void)
{
    static char names[24][32];
    static ed_column kc[24];
    for (int i = 0; i < 24; i++) {
        memset(names[i], 'a' + i % 26, (size_t)i + 1);
        names[i][i + 1] = 0;
        kc[i].name = names[i];
        kc[i].type = ED_BIGINT;
    }
    ed_schema ks = {24, kc};
    char line[2048];
    ed_value r[24];
    char why[128];
    for (int variant = 0; variant < 6; variant++) {
        char *p = line;
        p += sprintf(p, "{");
        for (int i = 0; i < 24; i++) {
            int c = variant % 2 ? 23 - i : i;
            if (i) p += sprintf(p, variant == 2 ? " , " : ",");
            if (variant == 3) /* first byte escaped: "\u0061aaa" */
                p += sprintf(p, "\"\\u%04x%s\"", names[c][0], names[c] + 1);
            else
                p += sprintf(p, "\"%s\"", names[c]);
            p += sprintf(p, variant == 2 ? " : %d" : variant == 4 ? ":\t%d" : ":%d", c * 10);
            if (variant == 5) p += sprintf(p, ",\"%s\xc3\xa9\":1,\"%s\":[1]", names[c], names[c] + 1);
            if (variant == 5 && c > 0) p += sprintf(p, ",\"%.*s#\":\"x\"", c, names[c]); /* same length, last byte differs */
        }
        p += sprintf(p, "}");
        memset(r, 0, sizeof r);
        CHECK(ed_json_decode_row(&ks, line, (size_t)(p - line), r, &A, why, sizeof why) == 0);
        /* (variant 5's extra keys are unknown: other letters, or a suffix) */
        for (int i = 0; i < 24; i++) CHECK(r[i].type == ED_BIGINT && r[i].u.i == i * 10);
        /* every proper prefix is rejected */
        for (size_t cut = 0; cut < (size_t)(p - line); cut++) {
            memset(r, 0, sizeof r);
            why[0] = 0;
            CHECK(ed_json_decode_row(&ks, line, cut, r, &A, why, sizeof why) == -1 && why[0]);
        }
    }
}

int main(void)
{
    ed_arena_init(&A, 4096);
    test_basic();
    test_numbers();
    test_strings();
    test_timestamps();
    test_syntax();
    test_ingest();
    test_differential();
    test_swar_strings();
    test_differential_long();
    test_number_fast_paths();
    test_timestamp_fast_path();
    test_varchar_copies();
    test_keys();
    ed_arena_free(&A);
    if (failures) { fprintf(stderr, "%d failures\n", failures); return 1; }
    puts("test_json_decode: ok");
    return 0;
}
