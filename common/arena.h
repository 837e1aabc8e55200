/* arena.h — bump allocator with named lifetimes.
 *
 * Contract: an arena owns every byte it hands out; nothing allocated from it
 * is freed individually. ed_arena_reset() keeps the first chunk and frees the
 * rest (per-batch lifetimes); ed_arena_free() releases everything. Not
 * thread-safe: one owner at a time. Allocation failure aborts the process
 * (out of memory is not a recoverable condition for the engine).
 */
#ifndef EDDY_ARENA_H
#define EDDY_ARENA_H
#include <stddef.h>

typedef struct ed_arena_chunk ed_arena_chunk;
typedef struct ed_arena {
    ed_arena_chunk *head;   /* current chunk (newest first) */
    size_t chunk_size;      /* default size of new chunks */
    size_t bytes;           /* total bytes reserved by chunks */
} ed_arena;

void ed_arena_init(ed_arena *a, size_t chunk_size);
void *ed_arena_alloc(ed_arena *a, size_t n);        /* 8-byte aligned, zeroed */
char *ed_arena_strndup(ed_arena *a, const char *s, size_t n); /* NUL-terminated copy */
char *ed_arena_strdup(ed_arena *a, const char *s);
void ed_arena_reset(ed_arena *a);
void ed_arena_free(ed_arena *a);

/* Allocation helpers that abort on out-of-memory. */
void *ed_xmalloc(size_t n);
void *ed_xcalloc(size_t n, size_t sz);
void *ed_xrealloc(void *p, size_t n);
char *ed_xstrdup(const char *s);
char *ed_xstrndup(const char *s, size_t n);

#endif
