/* expr.h — compiled scalar expressions.
 *
 * Contract: ed_expr_compile() turns an AST into a flat, read-only program of
 * steps (postfix order, evaluated with a small value stack in one loop, no
 * name lookups at run time). Column references are resolved at compile time
 * through the resolver to slots of the row the expression will see. The
 * program may be shared by many evaluations; evaluation state lives in the
 * caller's ed_fn_ctx (arena for strings, counters). Aggregate calls are an
 * error unless the resolver's pre() hook replaces them with a slot.
 *
 * SQL semantics: three-valued logic (AND/OR/NOT with NULL), comparisons with
 * NULL yield NULL, BIGINT/BIGINT truncates toward zero, x/0 and x%0 yield NULL
 * and bump ctx->div_by_zero; BIGINT overflow yields NULL and bumps eval_errors. BIGINT op DOUBLE promotes to DOUBLE. TIMESTAMP ± INTERVAL is a
 * TIMESTAMP, TIMESTAMP - TIMESTAMP an INTERVAL.
 */
#ifndef EDDY_EXPR_H
#define EDDY_EXPR_H
#include "../parser/ast.h"
#include "../parser/parser.h"
#include "../udf/registry.h"

typedef struct ed_expr ed_expr;

typedef struct ed_expr_resolver {
    void *ctx;
    /* Called for each node top-down before it is compiled. Return a slot >= 0
     * (and set *type) to compile the whole node as a read of row[slot];
     * -1 to compile it normally; -2 on error (err filled). May be NULL. */
    int (*pre)(void *ctx, const ed_ast *node, ed_type *type, ed_error *err);
    /* Resolve AST_COLUMN: return slot >= 0 and set *type, or -1 with err
     * filled ("unknown column 'prce' (did you mean 'price'?)"). */
    int (*column)(void *ctx, const ed_ast *node, ed_type *type, ed_error *err);
} ed_expr_resolver;

/* Returns NULL on error with err filled (position of the offending node). */
ed_expr *ed_expr_compile(const ed_ast *ast, const ed_expr_resolver *r, ed_error *err);
void ed_expr_free(ed_expr *e);
ed_type ed_expr_type(const ed_expr *e);      /* ED_NULL if always NULL */
/* True if the expression is a constant (no slot reads). */
bool ed_expr_is_const(const ed_expr *e);
/* The slot if e is a bare read of row[slot] whose value is its result
 * unchanged (a projection may copy it without evaluating e), else -1. */
int ed_expr_slot(const ed_expr *e);

ed_value ed_expr_eval(const ed_expr *e, const ed_value *row, ed_fn_ctx *ctx);
/* WHERE/HAVING: true only when the result is TRUE (NULL and FALSE reject). */
bool ed_expr_eval_pred(const ed_expr *e, const ed_value *row, ed_fn_ctx *ctx);

/* Human-readable rendering for EXPLAIN, e.g. "(price > 10)" with columns
 * rendered by name through names[slot] (may be NULL: "$3"). */
void ed_expr_explain(const ed_expr *e, const char *const *names, ed_sb *out);

/* Cast v to type t (CAST semantics); on failure returns NULL value and bumps
 * ctx->eval_errors. Strings go into ctx->arena. */
ed_value ed_value_cast(ed_value v, ed_type t, ed_fn_ctx *ctx);

#endif
