/* strbuf.h — growable byte buffer used for building text (JSON, metrics,
 * error messages). The buffer owns its memory; ed_sb_free() releases it.
 * The content is always NUL-terminated after any append. */
#ifndef EDDY_STRBUF_H
#define EDDY_STRBUF_H
#include <stdarg.h>
#include <stddef.h>

typedef struct ed_sb {
    char *buf;
    size_t len, cap;
} ed_sb;

#define ED_SB_INIT {NULL, 0, 0}
void ed_sb_reserve(ed_sb *sb, size_t extra);
void ed_sb_append(ed_sb *sb, const char *s, size_t n);
void ed_sb_puts(ed_sb *sb, const char *s);
void ed_sb_putc(ed_sb *sb, char c);
void ed_sb_printf(ed_sb *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ed_sb_vprintf(ed_sb *sb, const char *fmt, va_list ap);
/* Append s as a JSON string literal (quotes included), escaping as RFC 8259
 * requires; bytes are copied as-is otherwise (input is expected to be UTF-8). */
void ed_sb_json_str(ed_sb *sb, const char *s, size_t n);
void ed_sb_clear(ed_sb *sb);
void ed_sb_free(ed_sb *sb);
/* Take ownership of the buffer (caller frees with free()); sb is reset. */
char *ed_sb_steal(ed_sb *sb);

#endif
