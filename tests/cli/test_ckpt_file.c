/* test_ckpt_file.c — the checkpoint container (cli/ckpt_file.c): round trip,
 * atomic replacement, and every kind of damage rejected with a message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../../cli/ckpt_file.h"

#include "../check.h"

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f) return;
    CHECK(fwrite(data, 1, len, f) == len);
    fclose(f);
}

int main(void)
{
    char dir[] = "/tmp/eddy-ckpt-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char err[512];
    ed_sb buf = ED_SB_INIT;
    ed_ckpt_section secs[ED_CKPT_MAX_SECTIONS];
    int n = 0;
    int64_t created = 0;

    /* no checkpoint yet */
    CHECK(ed_ckpt_read(dir, &buf, secs, &n, &created, err, sizeof err) == 0);

    /* round trip, including an empty section and binary data */
    char bin[300];
    for (int i = 0; i < (int)sizeof bin; i++) bin[i] = (char)(i * 7);
    ed_ckpt_section in[3] = {{"engine", bin, sizeof bin}, {"positions", "{\"s\":[]}", 8}, {"empty", "", 0}};
    CHECK(ed_ckpt_write(dir, in, 3, 1700000000123, err, sizeof err) == 0);
    CHECK(ed_ckpt_read(dir, &buf, secs, &n, &created, err, sizeof err) == 1);
    CHECK(n == 3 && created == 1700000000123);
    const ed_ckpt_section *e = ed_ckpt_find(secs, n, "engine");
    CHECK(e && e->len == sizeof bin && memcmp(e->data, bin, sizeof bin) == 0);
    const ed_ckpt_section *p = ed_ckpt_find(secs, n, "positions");
    CHECK(p && p->len == 8 && memcmp(p->data, "{\"s\":[]}", 8) == 0);
    CHECK(ed_ckpt_find(secs, n, "empty") && ed_ckpt_find(secs, n, "empty")->len == 0);
    CHECK(ed_ckpt_find(secs, n, "nope") == NULL);
    ed_sb_free(&buf);

    /* a second write replaces the first; no temporary file is left behind */
    ed_ckpt_section in2[1] = {{"engine", "v2", 2}};
    CHECK(ed_ckpt_write(dir, in2, 1, 5, err, sizeof err) == 0);
    buf = (ed_sb)ED_SB_INIT;
    CHECK(ed_ckpt_read(dir, &buf, secs, &n, &created, err, sizeof err) == 1);
    CHECK(n == 1 && secs[0].len == 2 && memcmp(secs[0].data, "v2", 2) == 0);
    ed_sb_free(&buf);
    char path[600], tmp[600];
    snprintf(path, sizeof path, "%s/checkpoint", dir);
    snprintf(tmp, sizeof tmp, "%s/checkpoint.tmp", dir);
    CHECK(access(tmp, F_OK) != 0);

    /* a crash while writing leaves a stray .tmp: the checkpoint is unaffected */
    write_file(tmp, "garbage", 7);
    buf = (ed_sb)ED_SB_INIT;
    CHECK(ed_ckpt_read(dir, &buf, secs, &n, &created, err, sizeof err) == 1);
    ed_sb_free(&buf);

    /* every truncation and every single-bit flip of a real file is rejected */
    ed_sb good = ED_SB_INIT;
    ed_ckpt_encode(in, 3, 42, &good);
    int rejected = 0, total = 0;
    for (size_t len = 0; len < good.len; len++) {
        char *copy = malloc(len + 1);
        memcpy(copy, good.buf, len);
        int m;
        total++;
        if (ed_ckpt_decode(copy, len, secs, &m, &created, err, sizeof err) < 0 && err[0]) rejected++;
        free(copy);
    }
    for (size_t i = 0; i < good.len; i++)
        for (int bit = 0; bit < 8; bit += 3) {
            char *copy = malloc(good.len);
            memcpy(copy, good.buf, good.len);
            copy[i] ^= (char)(1 << bit);
            int m;
            total++;
            err[0] = 0;
            if (ed_ckpt_decode(copy, good.len, secs, &m, &created, err, sizeof err) < 0 && err[0]) rejected++;
            free(copy);
        }
    CHECK(rejected == total);

    /* the messages say what is wrong */
    write_file(path, good.buf, good.len - 1);
    buf = (ed_sb)ED_SB_INIT;
    CHECK(ed_ckpt_read(dir, &buf, secs, &n, &created, err, sizeof err) == -1);
    CHECK(strstr(err, "checksum") != NULL && strstr(err, "checkpoint") != NULL);
    ed_sb_free(&buf);
    write_file(path, "hello world, not a checkpoint", 29);
    buf = (ed_sb)ED_SB_INIT;
    CHECK(ed_ckpt_read(dir, &buf, secs, &n, &created, err, sizeof err) == -1);
    CHECK(strstr(err, "not an eddy checkpoint") != NULL);
    ed_sb_free(&buf);
    /* another format version, with a valid checksum: incompatible, not corrupt */
    ed_sb v2 = ED_SB_INIT;
    ed_sb_append(&v2, good.buf, good.len - 4);
    v2.buf[8] = 2;
    uint32_t crc = ed_crc32(v2.buf, v2.len);
    unsigned char c4[4] = {(unsigned char)crc, (unsigned char)(crc >> 8), (unsigned char)(crc >> 16),
                           (unsigned char)(crc >> 24)};
    ed_sb_append(&v2, (const char *)c4, 4);
    write_file(path, v2.buf, v2.len);
    buf = (ed_sb)ED_SB_INIT;
    CHECK(ed_ckpt_read(dir, &buf, secs, &n, &created, err, sizeof err) == -1);
    CHECK(strstr(err, "format version 2") != NULL);
    ed_sb_free(&buf);
    ed_sb_free(&v2);
    ed_sb_free(&good);

    /* known CRC-32 check value */
    CHECK(ed_crc32("123456789", 9) == 0xCBF43926u);

    /* an unwritable directory fails cleanly */
    CHECK(ed_ckpt_write("/nonexistent/eddy", in2, 1, 0, err, sizeof err) == -1 && strstr(err, "cannot create"));

    unlink(path);
    unlink(tmp);
    rmdir(dir);
    if (failures) fprintf(stderr, "%d checks failed\n", failures);
    return failures ? 1 : 0;
}
