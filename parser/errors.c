/* errors.c — error positions and messages: ed_error_set, rendering with the
 * offending line and a caret, and "did you mean" suggestions. */
#include "parser.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ed_error_set(ed_error *err, ed_pos pos, const char *fmt, ...)
{
    err->line = pos.line;
    err->col = pos.col;
    err->offset = pos.line ? pos.offset : -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
}

void ed_error_render(const char *text, size_t len, const ed_error *err, ed_sb *out)
{
    if (err->line <= 0) {
        ed_sb_printf(out, "error: %s\n", err->msg);
        return;
    }
    ed_sb_printf(out, "error at line %d, column %d: %s\n", err->line, err->col, err->msg);
    if (!text)
        return;
    /* find the line by counting newlines: the offset may be missing */
    size_t start = 0;
    int line = 1;
    for (size_t i = 0; i < len && line < err->line; i++)
        if (text[i] == '\n') {
            line++;
            start = i + 1;
        }
    if (line != err->line)
        return;
    size_t end = start;
    while (end < len && text[end] != '\n')
        end++;
    size_t shown = end;
    if (shown > start && text[shown - 1] == '\r')
        shown--;
    ed_sb_puts(out, "  ");
    ed_sb_append(out, text + start, shown - start);
    ed_sb_puts(out, "\n  ");
    /* the caret goes under column col (code points); tabs are copied so the
     * caret lines up however the terminal expands them */
    int col = 1;
    for (size_t i = start; i < shown && col < err->col; i++) {
        unsigned char ch = (unsigned char)text[i];
        if ((ch & 0xC0) == 0x80)
            continue;
        ed_sb_putc(out, ch == '\t' ? '\t' : ' ');
        col++;
    }
    for (; col < err->col; col++)
        ed_sb_putc(out, ' ');
    ed_sb_puts(out, "^\n");
}

/* Edit distance counting an adjacent transposition as one edit (so FORM is
 * one edit from FROM), compared case-insensitively. */
static int distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 1000;
    int d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
            int cost = ca != cb;
            int v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) && tolower((unsigned char)a[i - 2]) == cb &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[la][lb];
}

const char *ed_suggest(const char *name, const char *const *candidates, int n)
{
    int len = (int)strlen(name);
    int limit = len / 3 > 1 ? len / 3 : 1;
    const char *best = NULL;
    int bestd = limit + 1;
    for (int i = 0; i < n; i++) {
        if (!candidates[i])
            continue;
        int dd = distance(name, candidates[i]);
        if (dd < bestd) {
            bestd = dd;
            best = candidates[i];
        }
    }
    return best;
}
