/* sink_file.c — the stdout and file sinks: one JSON object per line. */
#include "conn_internal.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

const ed_opt_spec ed_stdout_opts[] = {{NULL, 0, NULL, false, NULL}};
const ed_opt_spec ed_file_sink_opts[] = {
    {"path", EDO_STRING, NULL, true, "file to append JSON lines to"},
    {NULL, 0, NULL, false, NULL},
};

int ed_file_sink_open(ed_conn *c, ed_sink_def *s, char *err, size_t errlen)
{
    (void)c;
    const char *path = ed_kv_get(s->opts, s->nopts, "path");
    FILE *f = fopen(path, "a");
    if (!f) {
        snprintf(err, errlen, "sink '%s': cannot open '%s': %s", s->name, path, strerror(errno));
        return -1;
    }
    s->host_data = f;
    return 0;
}

void ed_file_sink_close(ed_sink_def *s)
{
    if (s->host_data) fclose(s->host_data);
    s->host_data = NULL;
}

void ed_file_sink_write(ed_sink_def *s, const ed_row *row)
{
    FILE *f = s->host_data;
    /* flushed per row so readers (tail -f, tests) see complete lines */
    if (fwrite(row->json, 1, row->json_len, f) != row->json_len || fputc('\n', f) == EOF || fflush(f) != 0)
        s->write_errors++;
}
