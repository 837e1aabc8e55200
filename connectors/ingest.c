/* ingest.c — decode event lines into batch rows; count and dead-letter the
 * bad ones. Every source goes through here so errors are treated alike. */
#include "ingest.h"
#include <stdio.h>
#include <string.h>
#include "json_decode.h"

static int blank(const char *line, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r') return 0;
    return 1;
}

int ed_ingest_line(ed_stream_def *s, ed_batch *b, const char *line, size_t n, int64_t arrival, char *why, size_t whylen)
{
    if (why && whylen) why[0] = 0;
    /* an empty line is not an event (e.g. a trailing blank line in a file) */
    if (blank(line, n)) return 0;
    size_t max = s->max_event_bytes ? s->max_event_bytes : (size_t)1 << 20;
    if (n > max) {
        if (why) snprintf(why, whylen, "event of %zu bytes exceeds max_event_bytes (%zu)", n, max);
        s->decode_errors++;
        return -1;
    }
    ed_value *row = ed_batch_add_row(b, arrival);
    if (ed_json_decode_row(&s->schema, line, n, row, &b->arena, why, whylen) != 0) {
        ed_batch_pop_row(b);
        s->decode_errors++;
        return -1;
    }
    return 0;
}

int ed_ingest_line_dl(ed_stream_def *s, ed_batch *b, const char *line, size_t n, int64_t arrival)
{
    char why[256];
    int rc = ed_ingest_line(s, b, line, n, arrival, why, sizeof why);
    if (rc != 0 && s->dead_letter) ed_dead_letter_write(s->dead_letter, s->name, why, line, n);
    return rc;
}

void ed_dead_letter_write(const char *path, const char *stream, const char *reason, const char *line, size_t n)
{
    FILE *f = fopen(path, "a");
    if (!f) {
        static int warned;
        if (!warned++) fprintf(stderr, "eddy: cannot open dead_letter file '%s'\n", path);
        return;
    }
    ed_sb sb = ED_SB_INIT;
    ed_sb_puts(&sb, "{\"stream\":");
    ed_sb_json_str(&sb, stream ? stream : "", stream ? strlen(stream) : 0);
    ed_sb_puts(&sb, ",\"reason\":");
    ed_sb_json_str(&sb, reason ? reason : "", reason ? strlen(reason) : 0);
    ed_sb_puts(&sb, ",\"line\":");
    ed_sb_json_str(&sb, line, n > 4096 ? 4096 : n);
    ed_sb_puts(&sb, "}\n");
    fwrite(sb.buf, 1, sb.len, f);
    fclose(f);
    ed_sb_free(&sb);
}

static void lines_oversized(ed_lines *L, ed_stream_def *s, size_t max, const char *p, size_t n)
{
    char why[128];
    s->decode_errors++;
    if (!s->dead_letter) return;
    if (L->partial.len < 4096) ed_sb_append(&L->partial, p, n < 4096 - L->partial.len ? n : 4096 - L->partial.len);
    snprintf(why, sizeof why, "event exceeds max_event_bytes (%zu)", max);
    ed_dead_letter_write(s->dead_letter, s->name, why, L->partial.buf, L->partial.len);
}

size_t ed_lines_feed(ed_lines *L, ed_stream_def *s, ed_batch *b, const char *p, size_t n, int64_t arrival)
{
    const size_t max = s->max_event_bytes ? s->max_event_bytes : (size_t)1 << 20;
    const char *const start = p, *const end = p + n;
    size_t done = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        const size_t len = (size_t)(stop - p);
        if (L->skipping) {
            if (nl) L->skipping = false;
        } else if (L->partial.len + len > max) {
            lines_oversized(L, s, max, p, len);
            ed_sb_clear(&L->partial);
            L->skipping = !nl;
        } else if (!nl) {
            ed_sb_append(&L->partial, p, len);
        } else if (L->partial.len) {
            ed_sb_append(&L->partial, p, len);
            ed_ingest_line_dl(s, b, L->partial.buf, L->partial.len, arrival);
            ed_sb_clear(&L->partial);
        } else {
            ed_ingest_line_dl(s, b, p, len, arrival);
        }
        if (nl) done = (size_t)(nl + 1 - start);
        p = nl ? nl + 1 : end;
    }
    return done;
}

void ed_lines_end(ed_lines *L, ed_stream_def *s, ed_batch *b, int64_t arrival)
{
    if (L->partial.len && !L->skipping) ed_ingest_line_dl(s, b, L->partial.buf, L->partial.len, arrival);
    ed_sb_clear(&L->partial);
    L->skipping = false;
}

void ed_lines_free(ed_lines *L)
{
    ed_sb_free(&L->partial);
    L->skipping = false;
}
