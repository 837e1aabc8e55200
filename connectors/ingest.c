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
