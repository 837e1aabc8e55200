/* lexer.h — parser-internal: the re2c tokenizer and the keyword list.
 *
 * ed_lex() is a pure function over a buffer: all state is in the ed_lexer
 * the caller owns. The buffer must have a NUL byte at buf[len] (the lexer
 * uses it as a sentinel; NUL bytes before len are ordinary characters).
 * Token types are the TK_* codes lemon generates into grammar.h. */
#ifndef EDDY_LEXER_H
#define EDDY_LEXER_H
#include <stddef.h>
#include <stdint.h>
#include "grammar.h"

#define ED_TOK_EOF 0
#define ED_TOK_ERROR (-1)

typedef struct ed_token {
    int type;            /* TK_*, ED_TOK_EOF or ED_TOK_ERROR */
    const char *p;       /* first byte in the buffer */
    int len;             /* bytes */
    int line, col;       /* 1-based; col counts code points */
    int offset;          /* byte offset of p */
    const char *err;     /* ED_TOK_ERROR: static message */
} ed_token;

typedef struct ed_lexer {
    const char *buf;
    size_t len, off;     /* off: where the next token search starts */
    int line;            /* line at pos */
    size_t pos;          /* bytes before pos have been counted for line/col */
    int col;             /* code-point column at pos */
} ed_lexer;

void ed_lexer_init(ed_lexer *lx, const char *buf, size_t len);
/* Next token into *tok; returns tok->type. After ED_TOK_EOF or
 * ED_TOK_ERROR every further call returns ED_TOK_EOF. */
int ed_lex(ed_lexer *lx, ed_token *tok);

/* The keyword list (keywords.c). extra is the ed_type for TK_TYPE words and
 * the milliseconds of one unit for TK_UNIT words, 0 otherwise. */
typedef struct ed_keyword {
    const char *name;    /* upper case */
    int token;
    int64_t extra;
} ed_keyword;
const ed_keyword *ed_keyword_find(const char *p, size_t n); /* case-insensitive */
int ed_keyword_count(void);
const ed_keyword *ed_keyword_entry(int i);

#endif
