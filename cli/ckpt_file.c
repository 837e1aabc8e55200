/* ckpt_file.c — checkpoint container, CRC-32 and atomic file replacement. */
#include "ckpt_file.h"
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char magic[8] = {'E', 'D', 'D', 'Y', 'C', 'K', 'P', 'T'};

uint32_t ed_crc32(const void *data, size_t len)
{
    static uint32_t table[256];
    static bool ready;
    if (!ready) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        ready = true;
    }
    const unsigned char *p = data;
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < len; i++) c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

static void put_le(ed_sb *out, uint64_t v, int bytes)
{
    unsigned char b[8];
    for (int i = 0; i < bytes; i++) b[i] = (unsigned char)(v >> (8 * i));
    ed_sb_append(out, (const char *)b, (size_t)bytes);
}

static uint64_t get_le(const unsigned char *p, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

void ed_ckpt_encode(const ed_ckpt_section *secs, int n, int64_t created_ms, ed_sb *out)
{
    size_t start = out->len;
    ed_sb_append(out, magic, sizeof magic);
    put_le(out, ED_CKPT_VERSION, 4);
    put_le(out, 0, 4);
    put_le(out, (uint64_t)created_ms, 8);
    put_le(out, (uint64_t)n, 4);
    for (int i = 0; i < n; i++) {
        size_t nl = strlen(secs[i].name);
        put_le(out, nl, 2);
        ed_sb_append(out, secs[i].name, nl);
        put_le(out, secs[i].len, 8);
        ed_sb_append(out, secs[i].data, secs[i].len);
    }
    put_le(out, ed_crc32(out->buf + start, out->len - start), 4);
}

#define HEADER (8 + 4 + 4 + 8 + 4)

int ed_ckpt_decode(char *buf, size_t len, ed_ckpt_section *secs, int *n, int64_t *created_ms, char *err,
                   size_t errlen)
{
    const unsigned char *p = (const unsigned char *)buf;
    if (len < 8 || memcmp(p, magic, 8) != 0) {
        snprintf(err, errlen, "not an eddy checkpoint (bad magic)");
        return -1;
    }
    if (len < HEADER + 4) {
        snprintf(err, errlen, "truncated (%zu bytes, header needs %d)", len, HEADER + 4);
        return -1;
    }
    uint32_t version = (uint32_t)get_le(p + 8, 4);
    if (version != ED_CKPT_VERSION) {
        snprintf(err, errlen, "format version %u, this eddy reads version %d", version, ED_CKPT_VERSION);
        return -1;
    }
    uint32_t crc = (uint32_t)get_le(p + len - 4, 4);
    if (ed_crc32(p, len - 4) != crc) {
        snprintf(err, errlen, "checksum mismatch (file corrupt or truncated)");
        return -1;
    }
    if (get_le(p + 12, 4) != 0) {
        snprintf(err, errlen, "unknown flags %u", (unsigned)get_le(p + 12, 4));
        return -1;
    }
    *created_ms = (int64_t)get_le(p + 16, 8);
    uint64_t ns = get_le(p + 24, 4);
    if (ns > ED_CKPT_MAX_SECTIONS) {
        snprintf(err, errlen, "%llu sections (at most %d)", (unsigned long long)ns, ED_CKPT_MAX_SECTIONS);
        return -1;
    }
    size_t off = HEADER, end = len - 4;
    for (uint64_t i = 0; i < ns; i++) {
        if (end - off < 2) goto trunc;
        size_t nl = (size_t)get_le(p + off, 2);
        off += 2;
        if (end - off < nl + 8) goto trunc;
        const char *name = buf + off;
        off += nl;
        uint64_t sl = get_le(p + off, 8);
        off += 8;
        if (sl > end - off) goto trunc;
        secs[i].name = name;
        secs[i].data = buf + off;
        secs[i].len = (size_t)sl;
        /* NUL-terminate the name in place: its terminator overwrites the
         * first byte of the length field, which has been read (and the CRC
         * checked) already */
        buf[off - 8] = 0;
        off += (size_t)sl;
    }
    if (off != end) {
        snprintf(err, errlen, "%zu bytes of garbage after the last section", end - off);
        return -1;
    }
    *n = (int)ns;
    return 0;
trunc:
    snprintf(err, errlen, "a section runs past the end of the file");
    return -1;
}

const ed_ckpt_section *ed_ckpt_find(const ed_ckpt_section *secs, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(secs[i].name, name)) return &secs[i];
    return NULL;
}

static int write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

int ed_ckpt_write(const char *dir, const ed_ckpt_section *secs, int n, int64_t created_ms, char *err, size_t errlen)
{
    ed_sb data = ED_SB_INIT, tmp = ED_SB_INIT, dst = ED_SB_INIT;
    ed_ckpt_encode(secs, n, created_ms, &data);
    ed_sb_printf(&tmp, "%s/checkpoint.tmp", dir);
    ed_sb_printf(&dst, "%s/checkpoint", dir);
    int rc = -1;
    int fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create %s: %s", tmp.buf, strerror(errno));
        goto out;
    }
    if (write_all(fd, data.buf, data.len) < 0 || fsync(fd) < 0) {
        snprintf(err, errlen, "cannot write %s: %s", tmp.buf, strerror(errno));
        close(fd);
        unlink(tmp.buf);
        goto out;
    }
    if (close(fd) < 0 || rename(tmp.buf, dst.buf) < 0) {
        snprintf(err, errlen, "cannot replace %s: %s", dst.buf, strerror(errno));
        unlink(tmp.buf);
        goto out;
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    rc = 0;
out:
    ed_sb_free(&data);
    ed_sb_free(&tmp);
    ed_sb_free(&dst);
    return rc;
}

int ed_ckpt_read(const char *dir, ed_sb *buf, ed_ckpt_section *secs, int *n, int64_t *created_ms, char *err,
                 size_t errlen)
{
    ed_sb path = ED_SB_INIT;
    ed_sb_printf(&path, "%s/checkpoint", dir);
    int rc = -1;
    int fd = open(path.buf, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) rc = 0;
        else snprintf(err, errlen, "%s: %s", path.buf, strerror(errno));
        goto out;
    }
    char chunk[65536];
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            snprintf(err, errlen, "%s: %s", path.buf, strerror(errno));
            close(fd);
            goto out;
        }
        if (r == 0) break;
        ed_sb_append(buf, chunk, (size_t)r);
    }
    close(fd);
    char why[256];
    if (ed_ckpt_decode(buf->buf, buf->len, secs, n, created_ms, why, sizeof why) < 0) {
        snprintf(err, errlen, "%s: %s", path.buf, why);
        goto out;
    }
    rc = 1;
out:
    ed_sb_free(&path);
    return rc;
}
