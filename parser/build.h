/* build.h — parser-internal: the parse context and the AST constructors the
 * grammar actions call. Everything is allocated in the parse arena; the
 * first error recorded wins and stops the parse. */
#ifndef EDDY_PARSER_BUILD_H
#define EDDY_PARSER_BUILD_H
#include <stdbool.h>
#include "lexer.h"
#include "parser.h"

typedef struct ed_vec {
    void **v;
    int n, cap;
} ed_vec;

typedef struct ed_name {
    char *s;
    ed_pos pos;
} ed_name;

typedef struct ed_dur {
    int64_t ms;
    ed_pos pos;
} ed_dur;

typedef struct ed_winspec {
    ed_window_kind kind;
    ed_dur size, advance;
    ed_pos pos;
} ed_winspec;

typedef struct ed_selem {  /* one element of CREATE STREAM's parenthesis */
    ed_coldef *col;          /* a column, or NULL for the WATERMARK clause */
    ed_name wm_col;
    ed_ast *wm_expr;
    ed_pos pos;
} ed_selem;

typedef struct ed_pctx {
    ed_arena *arena;
    ed_vec stmts;            /* ed_stmt* in order */
    ed_error *err;
    bool failed;
    ed_pos tok_pos;          /* the token being fed (for the stack-overflow error) */
} ed_pctx;

ed_pos ed_tok_pos(const ed_token *t);
void ed_fail(ed_pctx *c, ed_pos pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

ed_vec *ed_vec_new(ed_pctx *c);
ed_vec *ed_vec_push(ed_pctx *c, ed_vec *v, void *item);

ed_name ed_mk_name(ed_pctx *c, const ed_token *t);
ed_ast *ed_mk(ed_pctx *c, ed_ast_kind kind, ed_pos pos);
ed_ast *ed_mk_lit(ed_pctx *c, const ed_token *t);          /* NULL TRUE FALSE INTEGER DECIMAL STRING */
ed_ast *ed_mk_interval(ed_pctx *c, const ed_token *kw, const ed_token *s, const ed_token *unit);
ed_ast *ed_mk_timestamp(ed_pctx *c, const ed_token *kw, const ed_token *s);
ed_ast *ed_mk_column(ed_pctx *c, ed_name n);
ed_ast *ed_mk_unary(ed_pctx *c, const ed_token *op, int opcode, ed_ast *a);
ed_ast *ed_mk_binary(ed_pctx *c, int opcode, ed_ast *a, ed_ast *b);
ed_ast *ed_mk_nary(ed_pctx *c, ed_ast_kind kind, ed_pos pos, bool negated, ed_ast *first, ed_vec *rest);
ed_ast *ed_mk_call(ed_pctx *c, ed_name fn, ed_vec *args, bool distinct);
/* EXTRACT(part FROM ts): the call part(ts); part must be a date part name */
ed_ast *ed_mk_extract(ed_pctx *c, ed_name fn, ed_ast *part, ed_ast *ts);
ed_ast *ed_mk_case(ed_pctx *c, const ed_token *kw, ed_ast *operand, ed_vec *whens, ed_ast *els);
ed_ast *ed_mk_cast(ed_pctx *c, const ed_token *kw, ed_ast *a, ed_type t);
ed_type ed_mk_type(ed_pctx *c, const ed_token *t, const ed_token *modifier);
ed_dur ed_mk_dur(ed_pctx *c, const ed_token *num, const ed_token *unit);
ed_dur ed_mk_dur_interval(ed_pctx *c, const ed_token *kw, const ed_token *s, const ed_token *unit);

ed_option *ed_mk_option(ed_pctx *c, ed_name key, ed_opt_kind kind, const ed_token *value, const ed_token *sign);
ed_option *ed_mk_option_interval(ed_pctx *c, ed_name key, const ed_token *kw, const ed_token *s, const ed_token *unit);
ed_name ed_join_key(ed_pctx *c, ed_name a, ed_name b);

ed_select_item *ed_mk_item(ed_pctx *c, ed_ast *e, ed_name *alias);
ed_select *ed_mk_select(ed_pctx *c, const ed_token *kw, ed_vec *items, ed_name from, ed_ast *where,
                        ed_winspec win, ed_vec *group, ed_ast *having);
ed_stmt *ed_mk_stmt(ed_pctx *c, ed_stmt_kind kind, const ed_token *first);
void ed_stmt_set_stream_body(ed_pctx *c, ed_stmt *st, ed_vec *elems);
void ed_stmt_set_options(ed_pctx *c, ed_stmt *st, ed_vec *opts);
void ed_add_stmt(ed_pctx *c, ed_stmt *st);

#endif
