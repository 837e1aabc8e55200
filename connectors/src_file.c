/* src_file.c — the file source: reads a JSON-lines file from the event loop
 * in 64 KiB chunks (so a big file never blocks the loop), optionally
 * following appended lines: woken by inotify when the file changes (Linux),
 * with a poll every second as a safety net (every 100 ms where inotify is
 * not available, or for file systems that do not report changes).
 *
 * Position (checkpoints): `consumed` is the byte offset just past the last
 * line handed to the engine; every read pushes its batch before returning
 * to the loop, so between two events it matches the engine's state exactly.
 * A restart resumes there (ed_file_src_restore). */
#include "conn_internal.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/inotify.h>
#endif
#include "ingest.h"

const ed_opt_spec ed_file_src_opts[] = {
    {"path", EDO_STRING, NULL, true, "JSON-lines file to read"},
    {"follow", EDO_BOOL, "false", false, "keep reading lines appended to the file"},
    {NULL, 0, NULL, false, NULL},
};

#define CHUNK (64 * 1024)

typedef struct file_src {
    ed_conn *c;
    ed_stream_def *s;
    FILE *f;
    bool follow;
    struct event *timer;
    struct event *watch; /* follow: readable when the file changed (inotify fd) */
    int wfd;
    ed_lines lines;     /* the bytes of an unfinished line */
    long consumed;      /* offset past the last complete line pushed */
    ed_batch batch;
    char buf[CHUNK];
} file_src;

static void schedule(file_src *fs, int ms)
{
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    evtimer_add(fs->timer, &tv);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    file_src *fs = arg;
    ed_stream_def *s = fs->s;
    long base = ftell(fs->f);
    size_t n = fread(fs->buf, 1, CHUNK, fs->f);
    int64_t now = ed_conn_wall_ms();
    size_t done = ed_lines_feed(&fs->lines, s, &fs->batch, fs->buf, n, now);
    if (done && base >= 0) fs->consumed = base + (long)done;
    if (n == CHUNK) {
        ed_conn_push(fs->c, s, &fs->batch);
        schedule(fs, 0);
        return;
    }
    clearerr(fs->f);
    if (!fs->follow) {
        ed_lines_end(&fs->lines, s, &fs->batch, now);
        if (base >= 0) fs->consumed = base + (long)n;
        ed_conn_push(fs->c, s, &fs->batch);
        return; /* done: the stream stays, it just gets no more events */
    }
    ed_conn_push(fs->c, s, &fs->batch);
    schedule(fs, n ? 0 : fs->watch ? 1000 : 100);
}

#ifdef __linux__
/* The followed file changed: drain the notifications and read now. */
static void on_watch(evutil_socket_t fd, short what, void *arg)
{
    (void)what;
    file_src *fs = arg;
    char buf[4096];
    while (read(fd, buf, sizeof buf) > 0) {
    }
    schedule(fs, 0);
}
#endif

/* follow: watch the file for appends (inotify), so lines are read as they
 * arrive instead of at the next poll. Without it the poll stays. */
static void watch_file(file_src *fs, const char *path)
{
    fs->wfd = -1;
#ifdef __linux__
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) return;
    if (inotify_add_watch(fd, path, IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE) < 0) {
        close(fd);
        return;
    }
    fs->wfd = fd;
    fs->watch = event_new(fs->c->base, fd, EV_READ | EV_PERSIST, on_watch, fs);
    event_add(fs->watch, NULL);
#else
    (void)path;
#endif
}

int ed_file_src_open(ed_conn *c, ed_stream_def *s, char *err, size_t errlen)
{
    const char *path = ed_kv_get(s->opts, s->nopts, "path");
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "stream '%s': cannot open '%s': %s", s->name, path, strerror(errno));
        return -1;
    }
    file_src *fs = ed_xcalloc(1, sizeof *fs);
    fs->c = c;
    fs->s = s;
    fs->f = f;
    fs->follow = ed_opt_bool(s->opts, s->nopts, ed_file_src_opts, "follow");
    ed_batch_init(&fs->batch, s->schema.ncols);
    fs->timer = evtimer_new(c->base, on_timer, fs);
    if (fs->follow) watch_file(fs, path);
    else fs->wfd = -1;
    s->host_data = fs;
    schedule(fs, 0);
    return 0;
}

void ed_file_src_close(ed_stream_def *s)
{
    file_src *fs = s->host_data;
    if (!fs) return;
    event_free(fs->timer);
    if (fs->watch) event_free(fs->watch);
    if (fs->wfd >= 0) close(fs->wfd);
    fclose(fs->f);
    ed_lines_free(&fs->lines);
    ed_batch_free(&fs->batch);
    free(fs);
}

json_t *ed_file_src_position(ed_stream_def *s)
{
    file_src *fs = s->host_data;
    return json_pack("{s:s,s:I}", "path", ed_kv_get(s->opts, s->nopts, "path"), "offset", (json_int_t)fs->consumed);
}

void ed_file_src_restore(ed_stream_def *s, json_t *pos)
{
    file_src *fs = s->host_data;
    const char *path = json_string_value(json_object_get(pos, "path"));
    json_int_t off = json_integer_value(json_object_get(pos, "offset"));
    if (!path || strcmp(path, ed_kv_get(s->opts, s->nopts, "path")) != 0 || off <= 0) return;
    struct stat st;
    if (fstat(fileno(fs->f), &st) == 0 && (json_int_t)st.st_size < off) {
        fprintf(stderr, "eddy: stream %s: %s is shorter than the checkpoint's position %lld (truncated or "
                        "replaced?): reading it from the start\n", s->name, path, (long long)off);
        return;
    }
    if (fseek(fs->f, (long)off, SEEK_SET) == 0) {
        fs->consumed = (long)off;
        ed_lines_free(&fs->lines); /* nothing read before the position counts */
    }
}
