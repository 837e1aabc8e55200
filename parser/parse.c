/* parse.c — ed_parse(): runs the re2c lexer and feeds lemon's push parser
 * token by token. Each token is checked against the parser state before it
 * is fed, so a syntax error is reported in the state where it happened, with
 * the list of tokens that state would have accepted. */
#include "build.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* grammar.c (lemon) */
void *edParseAlloc(void *(*mallocProc)(size_t));
void edParseFree(void *p, void (*freeProc)(void *));
void edParse(void *p, int major, ed_token minor, ed_pctx *ctx);
int ed_parser_accepts(void *parser, int tok);
int ed_parser_ntokens(void);
int ed_parser_fallback(int tok);

static const char *punct_name(int t)
{
    switch (t) {
    case TK_SEMI: return "';'";
    case TK_LP: return "'('";
    case TK_RP: return "')'";
    case TK_COMMA: return "','";
    case TK_DOT: return "'.'";
    case TK_PLUS: return "'+'";
    case TK_MINUS: return "'-'";
    case TK_STAR: return "'*'";
    case TK_SLASH: return "'/'";
    case TK_PERCENT: return "'%'";
    case TK_CONCAT: return "'||'";
    case TK_EQ: return "'='";
    case TK_NE: return "'<>'";
    case TK_LT: return "'<'";
    case TK_LE: return "'<='";
    case TK_GT: return "'>'";
    case TK_GE: return "'>='";
    case TK_ID: return "a name";
    case TK_QID: return "a quoted name";
    case TK_INTEGER: return "an integer";
    case TK_DECIMAL: return "a number";
    case TK_STRING: return "a string";
    case TK_TYPE: return "a type name";
    case TK_UNIT: return "a time unit (MILLISECOND, SECOND, MINUTE, HOUR, DAY)";
    case 0: return "end of input";
    default: return NULL;
    }
}

static const int EXPR_START[] = {TK_ID, TK_QID, TK_INTEGER, TK_DECIMAL, TK_STRING, TK_NULL, TK_TRUE, TK_FALSE,
                                 TK_INTERVAL, TK_TIMESTAMP, TK_CASE, TK_CAST, TK_LP, TK_MINUS, TK_PLUS, TK_NOT};
static const int OPERATORS[] = {TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH, TK_PERCENT, TK_CONCAT, TK_EQ,
                                TK_NE, TK_LT, TK_LE, TK_GT, TK_GE, TK_AND, TK_OR, TK_IS, TK_NOT,
                                TK_BETWEEN, TK_IN, TK_LIKE};

static void drop_all(char *exp, const int *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        exp[set[i]] = 0;
}

/* Fill err for an unexpected token: what it was, what would have fitted,
 * and a hint when a nearby keyword or the clause order explains it. */
static void syntax_error(ed_pctx *c, void *parser, const ed_token *tok)
{
    int nt = ed_parser_ntokens();
    char *exp = calloc((size_t)nt, 1);
    if (!exp)
        abort();
    for (int t = 0; t < nt; t++)
        exp[t] = (char)ed_parser_accepts(parser, t);
    /* keywords that are only accepted because they can act as a name */
    if (exp[TK_ID])
        for (int t = 1; t < nt; t++)
            if (ed_parser_fallback(t) == TK_ID)
                exp[t] = 0;
    bool expr = exp[TK_ID] && exp[TK_INTEGER] && exp[TK_STRING];
    bool oper = exp[TK_PLUS] && exp[TK_STAR] && exp[TK_EQ];
    if (expr)
        drop_all(exp, EXPR_START, sizeof EXPR_START / sizeof EXPR_START[0]);
    if (oper)
        drop_all(exp, OPERATORS, sizeof OPERATORS / sizeof OPERATORS[0]);
    if (exp[TK_ID])
        exp[TK_QID] = 0;
    if (exp[TK_TYPE])
        exp[TK_TIMESTAMP] = 0; /* "a type name" covers it */

    const char *names[160];
    int n = 0;
    const char *kwcand[160];
    int nkw = 0;
    /* punctuation first, then keywords in list order, then categories */
    for (int t = 1; t < nt && n < 40; t++)
        if (exp[t] && t != TK_ID && punct_name(t) && t != TK_TYPE && t != TK_UNIT && t != TK_INTEGER &&
            t != TK_DECIMAL && t != TK_STRING && t != TK_QID)
            names[n++] = punct_name(t);
    for (int i = 0; i < ed_keyword_count() && n < 80; i++) {
        const ed_keyword *kw = ed_keyword_entry(i);
        if (!exp[kw->token])
            continue;
        if (kw->token == TK_TYPE || kw->token == TK_UNIT) { /* suggest, but list as a class */
            kwcand[nkw++] = kw->name;
            continue;
        }
        names[n++] = kw->name;
        kwcand[nkw++] = kw->name;
    }
    static const int CLASSES[] = {TK_QID, TK_INTEGER, TK_DECIMAL, TK_STRING, TK_TYPE, TK_UNIT};
    for (size_t i = 0; i < sizeof CLASSES / sizeof CLASSES[0]; i++)
        if (exp[CLASSES[i]])
            names[n++] = punct_name(CLASSES[i]);
    if (exp[TK_ID])
        names[n++] = "a name";
    if (expr)
        names[n++] = "an expression";
    if (oper)
        names[n++] = "an operator";
    if (exp[0])
        names[n++] = "end of input";
    free(exp);

    ed_sb sb = ED_SB_INIT;
    if (tok->type == ED_TOK_EOF)
        ed_sb_puts(&sb, "syntax error at end of input");
    else if (tok->type == TK_STRING)
        ed_sb_printf(&sb, "syntax error at %.*s%s", tok->len > 40 ? 40 : tok->len, tok->p, tok->len > 40 ? "..." : "");
    else
        ed_sb_printf(&sb, "syntax error at '%.*s%s'", tok->len > 40 ? 40 : tok->len, tok->p, tok->len > 40 ? "..." : "");
    if (n == 1) {
        ed_sb_printf(&sb, ": expected %s", names[0]);
    } else if (n > 1) {
        ed_sb_puts(&sb, ": expected one of: ");
        for (int i = 0; i < n; i++)
            ed_sb_printf(&sb, "%s%s", i ? ", " : "", names[i]);
    }
    /* a misspelt keyword: FORM for FROM */
    if (nkw && tok->type == TK_ID && tok->len < 40) {
        char word[48];
        memcpy(word, tok->p, (size_t)tok->len);
        word[tok->len] = '\0';
        const char *s = ed_suggest(word, kwcand, nkw);
        if (s)
            ed_sb_printf(&sb, " (did you mean %s?)", s);
    }
    if (tok->type == TK_WHERE || tok->type == TK_WINDOW || tok->type == TK_GROUP || tok->type == TK_HAVING)
        ed_sb_puts(&sb, " (clauses go in the order FROM, WHERE, WINDOW, GROUP BY, HAVING)");
    ed_fail(c, ed_tok_pos(tok), "%s", sb.buf);
    ed_sb_free(&sb);
}

static void lex_error(ed_pctx *c, const ed_token *tok)
{
    unsigned char ch = (unsigned char)tok->p[0];
    if (strcmp(tok->err, "unexpected character") != 0)
        ed_fail(c, ed_tok_pos(tok), "%s", tok->err);
    else if (ch >= 0x20 && ch < 0x7f)
        ed_fail(c, ed_tok_pos(tok), "unexpected character '%c'", ch);
    else
        ed_fail(c, ed_tok_pos(tok), "unexpected byte 0x%02x", ch);
}

int ed_parse(const char *text, size_t len, ed_arena *arena, ed_stmt_list *out, ed_error *err)
{
    ed_error scratch;
    if (!err)
        err = &scratch;
    memset(err, 0, sizeof *err);
    err->offset = -1;
    out->stmts = NULL;
    out->n = 0;

    /* the lexer wants a NUL sentinel after the text */
    char *buf = ed_arena_alloc(arena, len + 1);
    if (len)
        memcpy(buf, text, len);

    ed_pctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.arena = arena;
    ctx.err = err;

    ed_lexer lx;
    ed_lexer_init(&lx, buf, len);
    void *parser = edParseAlloc(malloc);
    if (!parser)
        abort();

    /* [first token, end of last token) of each non-empty statement */
    int nspan = 0, capspan = 0;
    int *spans = NULL;
    int first = -1, last_end = -1;
    int rc = -1;
    ed_token tok;
    for (;;) {
        int t = ed_lex(&lx, &tok);
        if (t == ED_TOK_ERROR) {
            lex_error(&ctx, &tok);
            break;
        }
        /* TIMESTAMP and INTERVAL start literals only before a string;
         * elsewhere, where a name fits, they are names (a column "timestamp"). */
        if (t == TK_TIMESTAMP || t == TK_INTERVAL) {
            ed_lexer peek = lx;
            ed_token next;
            if (ed_lex(&peek, &next) != TK_STRING && ed_parser_accepts(parser, TK_ID))
                t = tok.type = TK_ID;
        }
        if (!ed_parser_accepts(parser, t)) {
            syntax_error(&ctx, parser, &tok);
            break;
        }
        if (t == TK_SEMI || t == ED_TOK_EOF) {
            if (first >= 0) {
                if (nspan == capspan) {
                    capspan = capspan ? capspan * 2 : 16;
                    int *ns = ed_arena_alloc(arena, sizeof(int) * 2 * (size_t)capspan);
                    if (nspan)
                        memcpy(ns, spans, sizeof(int) * 2 * (size_t)nspan);
                    spans = ns;
                }
                spans[2 * nspan] = first;
                spans[2 * nspan + 1] = last_end;
                nspan++;
            }
            first = -1;
        } else {
            if (first < 0)
                first = tok.offset;
            last_end = tok.offset + tok.len;
        }
        ctx.tok_pos = ed_tok_pos(&tok);
        edParse(parser, t, tok, &ctx);
        if (ctx.failed)
            break;
        if (t == ED_TOK_EOF) {
            rc = 0;
            break;
        }
    }
    edParseFree(parser, free);
    if (rc != 0)
        return -1;

    out->n = ctx.stmts.n;
    out->stmts = (ed_stmt **)ctx.stmts.v;
    for (int i = 0; i < out->n && i < nspan; i++) {
        out->stmts[i]->text_offset = spans[2 * i];
        out->stmts[i]->text_len = spans[2 * i + 1] - spans[2 * i];
    }
    return 0;
}
