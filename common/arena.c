/* arena.c — see arena.h. Chunks are a singly linked list, newest first. */
#include "arena.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ed_arena_chunk {
    ed_arena_chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

static void oom(void) { fputs("eddy: out of memory\n", stderr); abort(); }

void *ed_xmalloc(size_t n) { void *p = malloc(n ? n : 1); if (!p) oom(); return p; }
void *ed_xcalloc(size_t n, size_t sz) { void *p = calloc(n ? n : 1, sz ? sz : 1); if (!p) oom(); return p; }
void *ed_xrealloc(void *p, size_t n) { p = realloc(p, n ? n : 1); if (!p) oom(); return p; }
char *ed_xstrdup(const char *s) { return ed_xstrndup(s, strlen(s)); }
char *ed_xstrndup(const char *s, size_t n)
{
    char *p = ed_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

void ed_arena_init(ed_arena *a, size_t chunk_size)
{
    a->head = NULL;
    a->chunk_size = chunk_size ? chunk_size : 8192;
    a->bytes = 0;
}

void *ed_arena_alloc(ed_arena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    ed_arena_chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t sz = n > a->chunk_size ? n : a->chunk_size;
        c = ed_xmalloc(sizeof(*c) + sz);
        c->size = sz;
        c->used = 0;
        c->next = a->head;
        a->head = c;
        a->bytes += sz;
    }
    void *p = c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *ed_arena_strndup(ed_arena *a, const char *s, size_t n)
{
    char *p = ed_arena_alloc(a, n + 1);
    if (n) memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *ed_arena_strdup(ed_arena *a, const char *s) { return ed_arena_strndup(a, s, strlen(s)); }

void ed_arena_reset(ed_arena *a)
{
    ed_arena_chunk *c = a->head;
    if (!c) return;
    /* keep the oldest chunk (last in list): it is usually the default size */
    while (c->next) {
        ed_arena_chunk *n = c->next;
        a->bytes -= c->size;
        free(c);
        c = n;
    }
    c->used = 0;
    a->head = c;
}

void ed_arena_free(ed_arena *a)
{
    ed_arena_chunk *c = a->head;
    while (c) {
        ed_arena_chunk *n = c->next;
        free(c);
        c = n;
    }
    a->head = NULL;
    a->bytes = 0;
}
