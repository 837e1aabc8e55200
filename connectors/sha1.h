/* sha1.h — SHA-1 and base64, only for the WebSocket handshake
 * (Sec-WebSocket-Accept); not for anything security-sensitive. */
#ifndef EDDY_SHA1_H
#define EDDY_SHA1_H
#include <stddef.h>
#include <stdint.h>

void ed_sha1(const void *data, size_t n, uint8_t out[20]);
/* Standard base64 with padding; out must hold 4*((n+2)/3)+1 bytes. Returns length. */
size_t ed_base64(const uint8_t *in, size_t n, char *out);

#endif
