/* ckpt_file.h — the checkpoint file in `eddy serve --state-dir DIR`.
 *
 * Contract: DIR/checkpoint holds named sections (the engine's state blob,
 * the sources' positions) in one container:
 *   "EDDYCKPT" | u32 version | u32 flags (0) | u64 created_ms |
 *   u32 nsections | { u16 name_len, name, u64 len, bytes }* | u32 CRC-32
 * all little-endian; the CRC (IEEE 802.3) covers every byte before it.
 * ed_ckpt_write writes DIR/checkpoint.tmp, fsyncs it, renames it over
 * DIR/checkpoint and fsyncs DIR: a crash at any point leaves either the old
 * or the new checkpoint, never a mix. ed_ckpt_read verifies the magic,
 * version, every length and the CRC before returning anything: a file that
 * is truncated, corrupt or from another format version is an error with a
 * message saying which, and nothing of it is used.
 */
#ifndef EDDY_CKPT_FILE_H
#define EDDY_CKPT_FILE_H
#include <stddef.h>
#include <stdint.h>
#include "../common/strbuf.h"

#define ED_CKPT_VERSION 1
#define ED_CKPT_MAX_SECTIONS 16

typedef struct ed_ckpt_section {
    const char *name;      /* NUL-terminated; on read, points into the buffer */
    const void *data;
    size_t len;
} ed_ckpt_section;

/* 0, or -1 with err (the previous checkpoint, if any, is intact). */
int ed_ckpt_write(const char *dir, const ed_ckpt_section *secs, int n, int64_t created_ms, char *err, size_t errlen);

/* 1 loaded, 0 no checkpoint in dir, -1 unreadable/corrupt/incompatible (err
 * says why). On 1, secs[0..*n) point into buf (the caller frees buf). */
int ed_ckpt_read(const char *dir, ed_sb *buf, ed_ckpt_section *secs, int *n, int64_t *created_ms, char *err,
                 size_t errlen);

/* Container encode/decode on memory (used by the two above; tests).
 * decode writes NUL terminators for section names into buf. */
void ed_ckpt_encode(const ed_ckpt_section *secs, int n, int64_t created_ms, ed_sb *out);
int ed_ckpt_decode(char *buf, size_t len, ed_ckpt_section *secs, int *n, int64_t *created_ms, char *err,
                   size_t errlen);

/* Look up a section by name (NULL if absent). */
const ed_ckpt_section *ed_ckpt_find(const ed_ckpt_section *secs, int n, const char *name);

uint32_t ed_crc32(const void *data, size_t len);

#endif
