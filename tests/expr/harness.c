/* harness.c — helpers for the expression tests: AST construction by hand,
 * a resolver over a fixed row, and value comparison/printing. */
#include "harness.h"
#include "udf/fn_util.h"
#include <stdarg.h>
#include <stdlib.h>

int t_failures, t_checks;
uint64_t t_div0, t_everr;
static ed_arena t_arena_store;
static ed_arena *ar(void)
{
    if (!t_arena_store.chunk_size) ed_arena_init(&t_arena_store, 4096);
    return &t_arena_store;
}
static ed_arena t_eval_arena;
ed_fn_ctx t_ctx = {&t_eval_arena, &t_div0, &t_everr, NULL};

static const char *COLS[] = {"a", "d", "s", "t", "b", "n", "iv", "ns"};
static const ed_type TYPES[] = {ED_BIGINT, ED_DOUBLE, ED_VARCHAR, ED_TIMESTAMP, ED_BOOL, ED_BIGINT, ED_INTERVAL, ED_VARCHAR};
const char *const t_names[] = {"a", "d", "s", "t", "b", "n", "iv", "ns"};
ed_value t_row[8];

static int resolve(void *ctx, const ed_ast *node, ed_type *type, ed_error *err)
{
    (void)ctx;
    for (int i = 0; i < 8; i++)
        if (!strcmp(COLS[i], node->str)) {
            *type = TYPES[i];
            return i;
        }
    err->line = node->pos.line;
    err->col = node->pos.col;
    snprintf(err->msg, sizeof err->msg, "unknown column '%s'", node->str);
    return -1;
}
const ed_expr_resolver t_resolver = {NULL, NULL, resolve};

static ed_ast *mk(ed_ast_kind k)
{
    ed_ast *n = ed_arena_alloc(ar(), sizeof *n);
    n->kind = k;
    n->pos.line = 1;
    n->pos.col = 1;
    return n;
}
static ed_ast *mkargs(ed_ast_kind k, int n, ed_ast **a)
{
    ed_ast *x = mk(k);
    x->nargs = n;
    x->args = ed_arena_alloc(ar(), sizeof(ed_ast *) * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) x->args[i] = a[i];
    if (n && a[0]->pos.line) x->pos = a[0]->pos;
    return x;
}
ed_ast *at(ed_ast *n, int line, int col)
{
    n->pos.line = line;
    n->pos.col = col;
    return n;
}
ed_ast *lnull(void) { return mk(AST_NULL); }
ed_ast *lb(bool b) { ed_ast *n = mk(AST_BOOL); n->ival = b; return n; }
ed_ast *li(int64_t i) { ed_ast *n = mk(AST_INT); n->ival = i; return n; }
ed_ast *ld(double d) { ed_ast *n = mk(AST_DOUBLE); n->dval = d; return n; }
ed_ast *ls(const char *s)
{
    ed_ast *n = mk(AST_STRING);
    n->str = ed_arena_strdup(ar(), s);
    n->slen = (uint32_t)strlen(s);
    return n;
}
ed_ast *lts(const char *s)
{
    ed_ast *n = mk(AST_TIMESTAMP);
    int64_t ms = 0;
    if (ed_ts_parse(s, strlen(s), &ms) != 0) abort();
    n->ival = ms;
    return n;
}
ed_ast *liv(int64_t ms) { ed_ast *n = mk(AST_INTERVAL); n->ival = ms; return n; }
ed_ast *col(const char *name) { ed_ast *n = mk(AST_COLUMN); n->str = ed_arena_strdup(ar(), name); return n; }
ed_ast *star(void) { return mk(AST_STAR); }
ed_ast *bin(int op, ed_ast *a, ed_ast *b)
{
    ed_ast *x[2] = {a, b};
    ed_ast *n = mkargs(AST_BINARY, 2, x);
    n->op = op;
    return n;
}
ed_ast *neg(ed_ast *a) { ed_ast *n = mkargs(AST_UNARY, 1, &a); n->op = AST_OP_NEG; return n; }
ed_ast *not_(ed_ast *a) { ed_ast *n = mkargs(AST_UNARY, 1, &a); n->op = AST_OP_NOT; return n; }
ed_ast *isnull(ed_ast *a, bool negated) { ed_ast *n = mkargs(AST_IS_NULL, 1, &a); n->negated = negated; return n; }
ed_ast *between(ed_ast *x, ed_ast *lo, ed_ast *hi, bool negated)
{
    ed_ast *a[3] = {x, lo, hi};
    ed_ast *n = mkargs(AST_BETWEEN, 3, a);
    n->negated = negated;
    return n;
}
static ed_ast *vargs(ed_ast_kind k, int n, va_list ap)
{
    ed_ast *a[32];
    for (int i = 0; i < n; i++) a[i] = va_arg(ap, ed_ast *);
    return mkargs(k, n, a);
}
ed_ast *in_(bool negated, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    ed_ast *x = vargs(AST_IN, n, ap);
    va_end(ap);
    x->negated = negated;
    return x;
}
ed_ast *like(ed_ast *a, ed_ast *p, bool negated)
{
    ed_ast *x[2] = {a, p};
    ed_ast *n = mkargs(AST_LIKE, 2, x);
    n->negated = negated;
    return n;
}
ed_ast *like_esc(ed_ast *a, ed_ast *p, ed_ast *esc, bool negated)
{
    ed_ast *x[3] = {a, p, esc};
    ed_ast *n = mkargs(AST_LIKE, 3, x);
    n->negated = negated;
    return n;
}
ed_ast *cast(ed_ast *a, ed_type t) { ed_ast *n = mkargs(AST_CAST, 1, &a); n->cast_type = t; return n; }
ed_ast *call(const char *name, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    ed_ast *x = vargs(AST_CALL, n, ap);
    va_end(ap);
    x->str = ed_arena_strdup(ar(), name);
    x->pos.line = 1, x->pos.col = 1;
    return x;
}
ed_ast *case_(bool operand, bool has_else, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    ed_ast *x = vargs(AST_CASE, n, ap);
    va_end(ap);
    x->has_operand = operand;
    x->has_else = has_else;
    return x;
}

ed_value ev(ed_ast *ast)
{
    ed_error err = {0};
    t_div0 = t_everr = 0;
    ed_expr *e = ed_expr_compile(ast, &t_resolver, &err);
    if (!e) {
        t_failures++;
        fprintf(stderr, "unexpected compile error at %d:%d: %s\n", err.line, err.col, err.msg);
        return ed_v_null();
    }
    ed_value v = ed_expr_eval(e, t_row, &t_ctx);
    /* results must not point into the program: copy strings to the eval arena */
    if (v.type == ED_VARCHAR) v.u.s = ed_arena_strndup(&t_eval_arena, v.u.s, v.len);
    ed_expr_free(e);
    return v;
}

ed_error cerr(ed_ast *ast)
{
    ed_error err = {0};
    ed_expr *e = ed_expr_compile(ast, &t_resolver, &err);
    if (e) {
        t_failures++;
        fprintf(stderr, "expected a compile error, got none\n");
        ed_expr_free(e);
    }
    return err;
}

void explain(ed_ast *ast, char *buf, size_t cap)
{
    ed_error err = {0};
    ed_expr *e = ed_expr_compile(ast, &t_resolver, &err);
    buf[0] = 0;
    if (!e) {
        snprintf(buf, cap, "error: %s", err.msg);
        return;
    }
    ed_sb sb = ED_SB_INIT;
    ed_expr_explain(e, t_names, &sb);
    snprintf(buf, cap, "%s", sb.buf ? sb.buf : "");
    ed_sb_free(&sb);
    ed_expr_free(e);
}

bool v_int(ed_value v, int64_t i) { return v.type == ED_BIGINT && v.u.i == i; }
bool v_dbl(ed_value v, double d) { return v.type == ED_DOUBLE && (v.u.d == d || (v.u.d - d < 1e-9 && d - v.u.d < 1e-9)); }
bool v_bool(ed_value v, bool b) { return v.type == ED_BOOL && v.u.b == b; }
bool v_str(ed_value v, const char *s) { return v.type == ED_VARCHAR && v.len == strlen(s) && !memcmp(v.u.s, s, v.len); }
bool v_null(ed_value v) { return v.type == ED_NULL; }

const char *show(ed_value v)
{
    static char buf[256];
    ed_value t = ed_value_to_text(v, &t_eval_arena);
    if (t.type == ED_NULL) return "NULL";
    snprintf(buf, sizeof buf, "%s %.*s", ed_type_name((ed_type)v.type), (int)t.len, t.u.s);
    return buf;
}
