/* test_ws_frame.c — RFC 6455 frame parser: masked/unmasked frames, 7/16/64
 * bit lengths, "need more" at every split point, protocol errors; frame
 * header encoding; UTF-8 validation; SHA-1/base64 handshake key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "connectors/sha1.h"
#include "connectors/ws_frame.h"

static int failures;
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c); failures++; } } while (0)

/* Build a client frame: fin, opcode, masked with key, payload. */
static size_t build(uint8_t *out, int fin, int op, int masked, const uint8_t *pl, size_t n)
{
    static const uint8_t key[4] = {0x37, 0xfa, 0x21, 0x3d};
    size_t h = ed_ws_frame_header(out, (uint8_t)op, n);
    if (!fin) out[0] &= 0x7f;
    if (masked) {
        out[1] |= 0x80;
        memcpy(out + h, key, 4);
        h += 4;
    }
    for (size_t i = 0; i < n; i++) out[h + i] = masked ? pl[i] ^ key[i & 3] : pl[i];
    return h + n;
}

static void test_sizes(void)
{
    size_t sizes[] = {0, 5, 125, 126, 127, 65535, 65536, 70000};
    uint8_t *pl = malloc(70000), *fr = malloc(70020);
    for (size_t i = 0; i < 70000; i++) pl[i] = (uint8_t)('a' + i % 26);
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        for (int masked = 0; masked <= 1; masked++) {
            size_t n = sizes[k], fl = build(fr, 1, ED_WS_TEXT, masked, pl, n);
            size_t expect_h = (n < 126 ? 2 : n <= 65535 ? 4 : 10) + (masked ? 4 : 0);
            ed_ws_frame f;
            long rc = ed_ws_frame_parse(fr, fl, false, 1 << 20, &f);
            CHECK(rc == (long)fl);
            CHECK(f.len == n && f.header_len == expect_h && f.fin && f.opcode == ED_WS_TEXT && f.masked == masked);
            uint8_t *copy = malloc(n + 1);
            memcpy(copy, f.payload, n);
            if (masked) ed_ws_unmask(copy, n, f.mask, 0);
            CHECK(n == 0 || memcmp(copy, pl, n) == 0);
            free(copy);
            /* need more at every split point (sampled for big frames) */
            size_t step = fl > 1000 ? 997 : 1;
            for (size_t cut = 0; cut < fl; cut += step) CHECK(ed_ws_frame_parse(fr, cut, false, 1 << 20, &f) == 0);
            CHECK(ed_ws_frame_parse(fr, fl - 1, false, 1 << 20, &f) == 0);
            /* trailing bytes of the next frame are not consumed */
            fr[fl] = 0x81;
            CHECK(ed_ws_frame_parse(fr, fl + 1, false, 1 << 20, &f) == (long)fl);
        }
    }
    /* unmasking can resume at any offset */
    uint8_t fr2[64], data[] = "hello world";
    size_t fl = build(fr2, 1, ED_WS_TEXT, 1, data, 11);
    ed_ws_frame f;
    CHECK(ed_ws_frame_parse(fr2, fl, true, 100, &f) == (long)fl);
    uint8_t a[11];
    memcpy(a, f.payload, 11);
    ed_ws_unmask(a, 5, f.mask, 0);
    ed_ws_unmask(a + 5, 6, f.mask, 5);
    CHECK(memcmp(a, "hello world", 11) == 0);
    free(pl);
    free(fr);
}

static void test_errors(void)
{
    uint8_t fr[200], pl[200] = {0};
    ed_ws_frame f;
    size_t n = build(fr, 1, ED_WS_TEXT, 0, pl, 3);
    CHECK(ed_ws_frame_parse(fr, n, true, 100, &f) == -1002);   /* unmasked client frame */
    CHECK(ed_ws_frame_parse(fr, n, false, 100, &f) == (long)n);
    n = build(fr, 1, ED_WS_TEXT, 1, pl, 3);
    fr[0] |= 0x40;                                               /* RSV1 */
    CHECK(ed_ws_frame_parse(fr, n, true, 100, &f) == -1002);
    for (int op = 3; op <= 15; op++) {
        if (op >= 8 && op <= 10) continue;
        n = build(fr, 1, op, 1, pl, 1);
        CHECK(ed_ws_frame_parse(fr, n, true, 100, &f) == -1002); /* reserved opcodes */
    }
    n = build(fr, 0, ED_WS_PING, 1, pl, 1);
    CHECK(ed_ws_frame_parse(fr, n, true, 100, &f) == -1002);     /* fragmented control frame */
    n = build(fr, 1, ED_WS_PING, 1, pl, 126);
    CHECK(ed_ws_frame_parse(fr, n, true, 1000, &f) == -1002);    /* control frame > 125 */
    n = build(fr, 1, ED_WS_TEXT, 1, pl, 101);
    CHECK(ed_ws_frame_parse(fr, n, true, 100, &f) == -1009);     /* too big */
    CHECK(ed_ws_frame_parse(fr, 4, true, 100, &f) == -1009);     /* known from the header alone */
    /* non-minimal lengths */
    uint8_t nm16[] = {0x81, 0xFE, 0x00, 0x05, 1, 2, 3, 4};
    CHECK(ed_ws_frame_parse(nm16, sizeof nm16, true, 100, &f) == -1002);
    uint8_t nm64[] = {0x81, 0xFF, 0, 0, 0, 0, 0, 0, 0x01, 0x00, 1, 2, 3, 4};
    CHECK(ed_ws_frame_parse(nm64, sizeof nm64, true, 1 << 20, &f) == -1002);
    uint8_t top[] = {0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0};
    CHECK(ed_ws_frame_parse(top, sizeof top, false, UINT64_MAX, &f) == -1002); /* MSB must be 0 */
    /* a continuation frame and a close frame parse fine */
    n = build(fr, 0, ED_WS_CONT, 1, pl, 2);
    CHECK(ed_ws_frame_parse(fr, n, true, 100, &f) == (long)n && !f.fin && f.opcode == ED_WS_CONT);
    n = build(fr, 1, ED_WS_CLOSE, 1, pl, 2);
    CHECK(ed_ws_frame_parse(fr, n, true, 100, &f) == (long)n && f.opcode == ED_WS_CLOSE);
}

static void test_header_and_utf8(void)
{
    uint8_t h[10];
    CHECK(ed_ws_frame_header(h, ED_WS_TEXT, 5) == 2 && h[0] == 0x81 && h[1] == 5);
    CHECK(ed_ws_frame_header(h, ED_WS_CLOSE, 300) == 4 && h[0] == 0x88 && h[1] == 126 && h[2] == 1 && h[3] == 44);
    CHECK(ed_ws_frame_header(h, ED_WS_BINARY, 65536) == 10 && h[1] == 127 && h[7] == 1 && h[8] == 0 && h[9] == 0);
    CHECK(ed_ws_utf8_valid((const uint8_t *)"", 0));
    CHECK(ed_ws_utf8_valid((const uint8_t *)"caf\xc3\xa9 \xf0\x9f\x98\x80 \xe2\x82\xac", 14));
    CHECK(!ed_ws_utf8_valid((const uint8_t *)"\xff", 1));
    CHECK(!ed_ws_utf8_valid((const uint8_t *)"\xc0\xaf", 2));     /* overlong */
    CHECK(!ed_ws_utf8_valid((const uint8_t *)"\xed\xa0\x80", 3)); /* surrogate */
    CHECK(!ed_ws_utf8_valid((const uint8_t *)"\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
    CHECK(!ed_ws_utf8_valid((const uint8_t *)"\xe2\x82", 2));     /* truncated */
    CHECK(!ed_ws_utf8_valid((const uint8_t *)"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80" "edited", 19));
}

static void test_handshake_key(void)
{
    /* RFC 6455 section 1.3 example */
    const char *k = "dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    uint8_t d[20];
    char b64[32];
    ed_sha1(k, strlen(k), d);
    ed_base64(d, 20, b64);
    CHECK(strcmp(b64, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") == 0);
    /* FIPS 180 vectors, including the two-block padding case */
    ed_sha1("abc", 3, d);
    ed_base64(d, 20, b64);
    CHECK(strcmp(b64, "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=") == 0);
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    ed_sha1(m, strlen(m), d);
    CHECK(d[0] == 0x84 && d[1] == 0x98 && d[19] == 0xf1);
    ed_sha1("", 0, d);
    CHECK(d[0] == 0xda && d[1] == 0x39 && d[19] == 0x09);
    CHECK(ed_base64((const uint8_t *)"a", 1, b64) == 4 && strcmp(b64, "YQ==") == 0);
    CHECK(ed_base64((const uint8_t *)"ab", 2, b64) == 4 && strcmp(b64, "YWI=") == 0);
}

int main(void)
{
    test_sizes();
    test_errors();
    test_header_and_utf8();
    test_handshake_key();
    if (failures) { fprintf(stderr, "%d failures\n", failures); return 1; }
    puts("test_ws_frame: ok");
    return 0;
}
