/* ws_frame.c — RFC 6455 frame parser/encoder and UTF-8 check. Pure: the
 * WebSocket sink feeds it the bytes it has; it never reads or allocates. */
#include "ws_frame.h"

long ed_ws_frame_parse(const uint8_t *buf, size_t n, bool require_mask, uint64_t max_payload, ed_ws_frame *f)
{
    if (n < 2) return 0;
    uint8_t b0 = buf[0], b1 = buf[1];
    f->fin = (b0 & 0x80) != 0;
    f->opcode = b0 & 0x0F;
    f->masked = (b1 & 0x80) != 0;
    if (b0 & 0x70) return -1002; /* no extension negotiated: reserved bits must be 0 */
    uint8_t op = f->opcode;
    if (!(op <= 2 || (op >= 8 && op <= 10))) return -1002;
    if (require_mask && !f->masked) return -1002;
    uint64_t len = b1 & 0x7F;
    size_t h = 2;
    if (op >= 8 && (!f->fin || len > 125)) return -1002; /* control frames: unfragmented, <= 125 */
    if (len == 126) {
        if (n < 4) return 0;
        len = (uint64_t)buf[2] << 8 | buf[3];
        if (len < 126) return -1002;
        h = 4;
    } else if (len == 127) {
        if (n < 10) return 0;
        len = 0;
        for (int i = 0; i < 8; i++) len = len << 8 | buf[2 + i];
        if (len >> 63) return -1002;
        if (len <= 0xFFFF) return -1002;
        h = 10;
    }
    if (len > max_payload) return -1009;
    if (f->masked) {
        if (n < h + 4) return 0;
        for (int i = 0; i < 4; i++) f->mask[i] = buf[h + i];
        h += 4;
    }
    f->len = len;
    f->header_len = h;
    if ((uint64_t)(n - h) < len) return 0;
    f->payload = buf + h;
    return (long)(h + len);
}

void ed_ws_unmask(uint8_t *data, size_t n, const uint8_t mask[4], uint64_t offset)
{
    for (size_t i = 0; i < n; i++) data[i] ^= mask[(offset + i) & 3];
}

size_t ed_ws_frame_header(uint8_t *out, uint8_t opcode, uint64_t len)
{
    out[0] = (uint8_t)(0x80 | (opcode & 0x0F));
    if (len < 126) { out[1] = (uint8_t)len; return 2; }
    if (len <= 0xFFFF) { out[1] = 126; out[2] = (uint8_t)(len >> 8); out[3] = (uint8_t)len; return 4; }
    out[1] = 127;
    for (int i = 0; i < 8; i++) out[2 + i] = (uint8_t)(len >> (8 * (7 - i)));
    return 10;
}

bool ed_ws_utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        if (c < 0x80) { i++; continue; }
        size_t need;
        uint8_t lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) need = 1;
        else if (c >= 0xE0 && c <= 0xEF) { need = 2; if (c == 0xE0) lo = 0xA0; if (c == 0xED) hi = 0x9F; }
        else if (c >= 0xF0 && c <= 0xF4) { need = 3; if (c == 0xF0) lo = 0x90; if (c == 0xF4) hi = 0x8F; }
        else return false;
        if (n - i <= need) return false;
        if (s[i + 1] < lo || s[i + 1] > hi) return false;
        for (size_t k = 2; k <= need; k++)
            if ((s[i + k] & 0xC0) != 0x80) return false;
        i += need + 1;
    }
    return true;
}
