/* parser.h — turns statement text into ASTs.
 *
 * Contract: pure functions over a buffer; no global state; safe to call from
 * any thread with distinct arenas. ed_parse() parses every ';'-separated
 * statement of text (the last ';' is optional; comments `-- ...` and
 * `/ * ... * /` are skipped). On success it returns 0 and fills *out with an
 * arena-allocated array. On the first syntax error it returns -1, fills *err
 * with the position and a message naming what was expected, and *out is
 * unspecified (everything is in the arena; resetting it frees it all).
 */
#ifndef EDDY_PARSER_H
#define EDDY_PARSER_H
#include "../common/arena.h"
#include "../common/strbuf.h"
#include "ast.h"

typedef struct ed_error {
    int line, col;        /* 1-based; 0 if not tied to a position */
    int offset;           /* byte offset in the text, -1 if none */
    char msg[512];        /* e.g. "syntax error at 'FORM': expected FROM" */
} ed_error;

typedef struct ed_stmt_list {
    ed_stmt **stmts;
    int n;
} ed_stmt_list;

int ed_parse(const char *text, size_t len, ed_arena *arena, ed_stmt_list *out, ed_error *err);

/* Render an error the way the CLI prints it:
 *   error at line 3, column 14: unknown column 'prce' (did you mean 'price'?)
 *     WHERE prce > 10
 *           ^
 * text is the whole submission; the offending line is shown with a caret. */
void ed_error_render(const char *text, size_t len, const ed_error *err, ed_sb *out);

/* Set err from a position and printf-style message (used by later passes). */
void ed_error_set(ed_error *err, ed_pos pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Dump an AST as an S-expression for golden tests, e.g.
 * (select (items (col price)) (from bids) (where (> (col price) (int 10)))) */
void ed_ast_dump_stmt(const ed_stmt *st, ed_sb *out);
void ed_ast_dump_expr(const ed_ast *e, ed_sb *out);
/* SQL spelling of an ed_ast_op: "+", "<>", "AND", ... */
const char *ed_ast_op_sql(int op);

/* Keywords, from the single keyword list (for docs, shell completion and the
 * consistency test). Returns NULL past the end. */
const char *ed_keyword_at(int i);

/* Levenshtein-nearest of candidates to name, or NULL if none is close enough
 * (distance <= max(1, len/3)). Used for "did you mean" hints. */
const char *ed_suggest(const char *name, const char *const *candidates, int n);

#endif
