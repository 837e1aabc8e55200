/* test_lexer.c — the re2c lexer: token kinds, positions (line, code-point
 * column, offset), case-insensitive keywords, the keyword list's
 * consistency, and precise errors for unterminated strings and comments. */
#include "lexer.h"
#include "parser/parser.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../check.h"

typedef struct {
    int type;
    const char *text;
    int line, col, offset;
} want_tok;

static void expect_tokens(const char *src, const want_tok *w, int n)
{
    ed_lexer lx;
    ed_token t;
    ed_lexer_init(&lx, src, strlen(src));
    for (int i = 0; i < n; i++) {
        ed_lex(&lx, &t);
        int ok = t.type == w[i].type && t.len == (int)strlen(w[i].text) && memcmp(t.p, w[i].text, (size_t)t.len) == 0 &&
                 t.line == w[i].line && t.col == w[i].col && t.offset == w[i].offset;
        if (!ok) {
            fprintf(stderr, "token %d of [%s]: got type %d '%.*s' %d:%d@%d, want type %d '%s' %d:%d@%d\n", i, src,
                    t.type, t.len, t.p, t.line, t.col, t.offset, w[i].type, w[i].text, w[i].line, w[i].col,
                    w[i].offset);
            failures++;
        }
    }
}

int main(void)
{
    /* kinds and positions, across lines and comments */
    const want_tok w1[] = {
        {TK_SELECT, "select", 1, 1, 0},   {TK_ID, "Price", 1, 8, 7},        {TK_STAR, "*", 1, 14, 13},
        {TK_DECIMAL, "1.5e3", 1, 16, 15}, {TK_COMMA, ",", 1, 21, 20},       {TK_STRING, "'it''s'", 2, 3, 24},
        {TK_CONCAT, "||", 3, 1, 46},      {TK_QID, "\"Q x\"", 3, 4, 49},    {TK_NE, "!=", 3, 10, 55},
        {TK_NE, "<>", 3, 13, 58},         {TK_LE, "<=", 3, 16, 61},         {TK_GE, ">=", 3, 19, 64},
        {TK_INTEGER, "42", 3, 22, 67},    {TK_DECIMAL, ".5", 3, 25, 70},    {TK_SEMI, ";", 3, 27, 72},
        {ED_TOK_EOF, "", 3, 28, 73},
    };
    const char *src = "select Price * 1.5e3,\n  'it''s' -- comment --\n|| \"Q x\" != <> <= >= 42 .5;";
    /* offsets: line 2 starts at 22, line 3 at 46 */
    expect_tokens(src, w1, (int)(sizeof w1 / sizeof w1[0]));

    /* code-point columns after non-ASCII text */
    const want_tok w2[] = {{TK_STRING, "'héllo'", 1, 1, 0}, {TK_PLUS, "+", 1, 9, 9}, {TK_ID, "x", 1, 11, 11}};
    expect_tokens("'héllo' + x", w2, 3);

    /* keywords are case-insensitive; types and units are token classes */
    const want_tok w3[] = {{TK_SELECT, "SeLeCt", 1, 1, 0}, {TK_FROM, "from", 1, 8, 7}, {TK_TYPE, "Bigint", 1, 13, 12},
                           {TK_UNIT, "seconds", 1, 20, 19}, {TK_ID, "window_start", 1, 28, 27},
                           {TK_ID, "coalesce", 1, 41, 40}};
    expect_tokens("SeLeCt from Bigint seconds window_start coalesce", w3, 6);

    /* every keyword of the list lexes as that keyword, in any case */
    int nkw = 0;
    for (int i = 0; ed_keyword_at(i); i++, nkw++) {
        const char *k = ed_keyword_at(i);
        const ed_keyword *e = ed_keyword_entry(i);
        CHECK(e && strcmp(e->name, k) == 0);
        char lower[32];
        size_t l = strlen(k);
        CHECK(l < sizeof lower);
        for (size_t j = 0; j <= l; j++)
            lower[j] = (char)(k[j] >= 'A' && k[j] <= 'Z' ? k[j] + 32 : k[j]);
        const char *forms[2] = {k, lower};
        for (int f = 0; f < 2; f++) {
            ed_lexer lx;
            ed_token t;
            ed_lexer_init(&lx, forms[f], l);
            ed_lex(&lx, &t);
            if (t.type != e->token || t.type == TK_ID || t.len != (int)l) {
                fprintf(stderr, "keyword %s lexes as %d\n", forms[f], t.type);
                failures++;
            }
            CHECK(ed_lex(&lx, &t) == ED_TOK_EOF);
        }
        for (int j = 0; j < i; j++)
            CHECK(strcasecmp(ed_keyword_at(j), k) != 0); /* no duplicates */
    }
    CHECK(nkw == ed_keyword_count());
    CHECK(nkw > 50);
    CHECK(ed_keyword_at(-1) == NULL && ed_keyword_at(nkw) == NULL);
    /* function names stay identifiers (resolved later by the registry) */
    const char *fns[] = {"coalesce", "nullif", "abs", "round", "floor", "ceil", "sqrt", "power", "lower", "upper",
                         "length", "substring", "concat", "count", "sum", "avg", "min", "max", "left", "right"};
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
        CHECK(ed_keyword_find(fns[i], strlen(fns[i])) == NULL);

    /* errors carry the position where the bad token starts */
    struct {
        const char *src;
        int line, col;
        const char *msg;
    } errs[] = {
        {"a 'abc", 1, 3, "unterminated string"},
        {"a\n  /* x\n y", 2, 3, "unterminated comment"},
        {"x \"abc", 1, 3, "unterminated quoted identifier"},
        {"a ? b", 1, 3, "unexpected character"},
    };
    for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) {
        ed_lexer lx;
        ed_token t;
        ed_lexer_init(&lx, errs[i].src, strlen(errs[i].src));
        while (ed_lex(&lx, &t) != ED_TOK_ERROR && t.type != ED_TOK_EOF)
            ;
        CHECK(t.type == ED_TOK_ERROR);
        CHECK(t.line == errs[i].line && t.col == errs[i].col);
        CHECK(t.err && strncmp(t.err, errs[i].msg, strlen(errs[i].msg)) == 0);
        CHECK(ed_lex(&lx, &t) == ED_TOK_EOF); /* sticky end after an error */
    }
    /* a NUL byte inside the text is an ordinary (bad) character, not the end */
    {
        const char s[] = "a \0 b";
        ed_lexer lx;
        ed_token t;
        ed_lexer_init(&lx, s, 5);
        CHECK(ed_lex(&lx, &t) == TK_ID);
        CHECK(ed_lex(&lx, &t) == ED_TOK_ERROR && t.offset == 2);
    }
    printf("%s\n", failures ? "lexer tests FAILED" : "lexer tests passed");
    return failures != 0;
}
