/* strbuf.c — see strbuf.h */
#include "strbuf.h"
#include "arena.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ed_sb_reserve(ed_sb *sb, size_t extra)
{
    if (sb->len + extra + 1 <= sb->cap) return;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < sb->len + extra + 1) cap *= 2;
    sb->buf = ed_xrealloc(sb->buf, cap);
    sb->cap = cap;
}

void ed_sb_append(ed_sb *sb, const char *s, size_t n)
{
    ed_sb_reserve(sb, n);
    if (n) memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
    sb->buf[sb->len] = 0;
}

void ed_sb_puts(ed_sb *sb, const char *s) { ed_sb_append(sb, s, strlen(s)); }
void ed_sb_putc(ed_sb *sb, char c) { ed_sb_append(sb, &c, 1); }

void ed_sb_vprintf(ed_sb *sb, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) return;
    ed_sb_reserve(sb, (size_t)n);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void ed_sb_printf(ed_sb *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ed_sb_vprintf(sb, fmt, ap);
    va_end(ap);
}

void ed_sb_json_str(ed_sb *sb, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    ed_sb_reserve(sb, n + 2);
    ed_sb_putc(sb, '"');
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        ed_sb_append(sb, s + start, i - start);
        start = i + 1;
        switch (c) {
        case '"': ed_sb_append(sb, "\\\"", 2); break;
        case '\\': ed_sb_append(sb, "\\\\", 2); break;
        case '\n': ed_sb_append(sb, "\\n", 2); break;
        case '\r': ed_sb_append(sb, "\\r", 2); break;
        case '\t': ed_sb_append(sb, "\\t", 2); break;
        case '\b': ed_sb_append(sb, "\\b", 2); break;
        case '\f': ed_sb_append(sb, "\\f", 2); break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            ed_sb_append(sb, u, 6);
        }
        }
    }
    ed_sb_append(sb, s + start, n - start);
    ed_sb_putc(sb, '"');
}

void ed_sb_clear(ed_sb *sb)
{
    sb->len = 0;
    if (sb->buf) sb->buf[0] = 0;
}

void ed_sb_free(ed_sb *sb)
{
    free(sb->buf);
    sb->buf = NULL;
    sb->len = sb->cap = 0;
}

char *ed_sb_steal(ed_sb *sb)
{
    if (!sb->buf) ed_sb_reserve(sb, 0), sb->buf[0] = 0;
    char *b = sb->buf;
    sb->buf = NULL;
    sb->len = sb->cap = 0;
    return b;
}
