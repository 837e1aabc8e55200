/* ws_frame.h — RFC 6455 frame parsing and encoding, pure functions over
 * bytes (no I/O), so the protocol rules are unit-tested without sockets. */
#ifndef EDDY_WS_FRAME_H
#define EDDY_WS_FRAME_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    ED_WS_CONT = 0x0, ED_WS_TEXT = 0x1, ED_WS_BINARY = 0x2,
    ED_WS_CLOSE = 0x8, ED_WS_PING = 0x9, ED_WS_PONG = 0xA
};

typedef struct ed_ws_frame {
    bool fin;
    uint8_t opcode;
    bool masked;
    uint8_t mask[4];
    uint64_t len;            /* payload length */
    size_t header_len;       /* bytes before the payload */
    const uint8_t *payload;  /* into the parsed buffer, still masked */
} ed_ws_frame;

/* Parse one frame from buf[0..n). Returns the bytes of the whole frame
 * (header + payload) when complete, 0 if more bytes are needed, or a
 * negative RFC 6455 close code: -1002 (protocol error: reserved bits, bad
 * opcode, fragmented or oversized control frame, non-minimal length, unmasked
 * client frame when require_mask), -1009 (payload larger than max_payload;
 * reported as soon as the header is complete). */
long ed_ws_frame_parse(const uint8_t *buf, size_t n, bool require_mask, uint64_t max_payload, ed_ws_frame *f);

/* XOR-unmask payload bytes in place; offset = index of data[0] in the payload. */
void ed_ws_unmask(uint8_t *data, size_t n, const uint8_t mask[4], uint64_t offset);

/* Write an unmasked server frame header for a final frame; returns its size
 * (2, 4 or 10; out needs 10 bytes). */
size_t ed_ws_frame_header(uint8_t *out, uint8_t opcode, uint64_t len);

/* Whole-buffer UTF-8 validity (RFC 3629). */
bool ed_ws_utf8_valid(const uint8_t *s, size_t n);

#endif
