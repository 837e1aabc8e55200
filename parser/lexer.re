/* lexer.re — re2c tokenizer for eddy SQL: identifiers and keywords,
 * 'strings', "quoted identifiers", numbers, operators, comments. Generated
 * into lexer.c at build time; strings and comments are scanned by hand so an
 * unterminated one reports where it started. */
#include "lexer.h"
#include <string.h>

void ed_lexer_init(ed_lexer *lx, const char *buf, size_t len)
{
    lx->buf = buf;
    lx->len = len;
    lx->off = 0;
    lx->line = 1;
    lx->pos = 0;
    lx->col = 1;
}

/* Move the line/column bookkeeping forward to byte offset to. Columns count
 * code points (UTF-8 continuation bytes do not start a column) so carets line
 * up under non-ASCII text. Linear overall because tokens come in order. */
static void advance(ed_lexer *lx, size_t to)
{
    for (size_t i = lx->pos; i < to; i++) {
        unsigned char c = (unsigned char)lx->buf[i];
        if (c == '\n') {
            lx->line++;
            lx->col = 1;
        } else if ((c & 0xC0) != 0x80) {
            lx->col++;
        }
    }
    lx->pos = to;
}

/* Find the end of a quoted run starting at s (which holds the quote q);
 * a doubled quote is an escaped one. NULL if unterminated. */
static const unsigned char *scan_quoted(const unsigned char *s, const unsigned char *lim, unsigned char q)
{
    for (s++; s < lim; s++) {
        if (*s == q) {
            if (s + 1 < lim && s[1] == q)
                s++;
            else
                return s + 1;
        }
    }
    return NULL;
}

int ed_lex(ed_lexer *lx, ed_token *tok)
{
    const unsigned char *base = (const unsigned char *)lx->buf;
    const unsigned char *lim = base + lx->len;
    const unsigned char *cur = base + lx->off, *mar = cur, *start;
    int type;
    const char *err = NULL;

    if (lx->off > lx->len) { /* after EOF/error: stay there */
        cur = lim;
    }
loop:
    start = cur;
    /*!re2c
        re2c:define:YYCTYPE = "unsigned char";
        re2c:define:YYCURSOR = cur;
        re2c:define:YYMARKER = mar;
        re2c:define:YYLIMIT = lim;
        re2c:yyfill:enable = 0;
        re2c:eof = 0;

        digit = [0-9];
        idstart = [a-zA-Z_\x80-\xff];
        idchar = [a-zA-Z0-9_\x80-\xff];
        exp = [eE] [+-]? digit+;

        $                         { type = ED_TOK_EOF; goto done; }
        [ \t\r\n\f\v]+            { goto loop; }
        "--" [^\n]*               { goto loop; }
        "/*" {
            const unsigned char *e = cur;
            while (e + 1 < lim && !(e[0] == '*' && e[1] == '/'))
                e++;
            if (e + 1 >= lim) {
                type = ED_TOK_ERROR;
                err = "unterminated comment (missing '*/')";
                goto done;
            }
            cur = e + 2;
            goto loop;
        }
        ['] {
            const unsigned char *e = scan_quoted(start, lim, '\'');
            if (!e) {
                type = ED_TOK_ERROR;
                err = "unterminated string literal (missing closing ')";
                goto done;
            }
            cur = e;
            type = TK_STRING;
            goto done;
        }
        ["] {
            const unsigned char *e = scan_quoted(start, lim, '"');
            if (!e) {
                type = ED_TOK_ERROR;
                err = "unterminated quoted identifier (missing closing \")";
                goto done;
            }
            if (e - start == 2) {
                type = ED_TOK_ERROR;
                err = "empty quoted identifier";
                goto done;
            }
            cur = e;
            type = TK_QID;
            goto done;
        }
        idstart idchar* {
            const ed_keyword *kw = ed_keyword_find((const char *)start, (size_t)(cur - start));
            type = kw ? kw->token : TK_ID;
            goto done;
        }
        digit+                    { type = TK_INTEGER; goto done; }
        (digit+ "." digit* | "." digit+) exp? | digit+ exp { type = TK_DECIMAL; goto done; }
        "+"   { type = TK_PLUS; goto done; }
        "-"   { type = TK_MINUS; goto done; }
        "*"   { type = TK_STAR; goto done; }
        "/"   { type = TK_SLASH; goto done; }
        "%"   { type = TK_PERCENT; goto done; }
        "||"  { type = TK_CONCAT; goto done; }
        "="   { type = TK_EQ; goto done; }
        "<>" | "!=" { type = TK_NE; goto done; }
        "<"   { type = TK_LT; goto done; }
        "<="  { type = TK_LE; goto done; }
        ">"   { type = TK_GT; goto done; }
        ">="  { type = TK_GE; goto done; }
        "("   { type = TK_LP; goto done; }
        ")"   { type = TK_RP; goto done; }
        ","   { type = TK_COMMA; goto done; }
        ";"   { type = TK_SEMI; goto done; }
        "."   { type = TK_DOT; goto done; }
        *     { type = ED_TOK_ERROR; err = "unexpected character"; goto done; }
    */
done:
    advance(lx, (size_t)(start - base));
    tok->type = type;
    tok->p = (const char *)start;
    tok->len = (int)(cur - start);
    tok->line = lx->line;
    tok->col = lx->col;
    tok->offset = (int)(start - base);
    tok->err = err;
    if (type == ED_TOK_EOF || type == ED_TOK_ERROR) {
        tok->len = type == ED_TOK_ERROR ? tok->len : 0;
        lx->off = lx->len + 1; /* sticky */
    } else {
        lx->off = (size_t)(cur - base);
    }
    return type;
}
