/* expr_compile.c — type-checks an expression AST and compiles it into a
 * flat postfix program (see expr_impl.h). Names are resolved here, once:
 * columns through the resolver, functions through the registry; the
 * resolver's pre() hook may replace any sub-tree by a slot read (group keys
 * and aggregates of a windowed query). The EXPLAIN text is built alongside,
 * in the same recursion, because compile order is textual order. */
#include "expr_impl.h"
#include "../udf/fn_util.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BAD ED_TYPE_COUNT

typedef struct cc {
    ed_step *s;
    int n, cap;
    int depth, max;
    bool reads;                  /* any slot read: not a constant */
    const ed_expr_resolver *r;
    ed_error *err;
    ed_expr *e;
    ed_sb tx;                    /* EXPLAIN template */
} cc;

/* Append a step; delta is its effect on the stack depth. */
static int emit(cc *c, uint8_t op, int delta)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->s = ed_xrealloc(c->s, sizeof(ed_step) * (size_t)c->cap);
    }
    memset(&c->s[c->n], 0, sizeof(ed_step));
    c->s[c->n].op = op;
    c->depth += delta;
    if (c->depth > c->max) c->max = c->depth;
    return c->n++;
}

static void emit_const(cc *c, ed_value v)
{
    int i = emit(c, X_CONST, 1);
    if (v.type == ED_VARCHAR) v.u.s = ed_arena_strndup(&c->e->arena, v.u.s, v.len);
    c->s[i].k = v;
    c->s[i].type = v.type;
}

static bool comparable(ed_type a, ed_type b)
{
    return a == ED_NULL || b == ED_NULL || a == b || (ed_is_num(a) && ed_is_num(b));
}

static bool is_boolish(ed_type t) { return t == ED_BOOL || t == ED_NULL; }

/* ---- literals in EXPLAIN text ---- */

static void text_string(ed_sb *sb, const char *s, size_t n)
{
    ed_sb_putc(sb, '\'');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'') ed_sb_putc(sb, '\'');
        ed_sb_putc(sb, s[i]);
    }
    ed_sb_putc(sb, '\'');
}

static void text_interval(ed_sb *sb, int64_t ms)
{
    static const struct { int64_t ms; const char *unit; } u[] = {
        {86400000, "DAY"}, {3600000, "HOUR"}, {60000, "MINUTE"}, {1000, "SECOND"}, {1, "MILLISECOND"}};
    for (int i = 0; i < 5; i++)
        if (ms % u[i].ms == 0) {
            ed_sb_printf(sb, "INTERVAL '%" PRId64 "' %s", ms / u[i].ms, u[i].unit);
            return;
        }
}

static void text_value(ed_sb *sb, ed_value v, ed_arena *ar)
{
    char buf[40];
    switch (v.type) {
    case ED_NULL: ed_sb_puts(sb, "NULL"); break;
    case ED_BOOL: ed_sb_puts(sb, v.u.b ? "TRUE" : "FALSE"); break;
    case ED_VARCHAR: text_string(sb, v.u.s, v.len); break;
    case ED_TIMESTAMP:
        ed_ts_format(v.u.i, buf);
        ed_sb_printf(sb, "TIMESTAMP '%s'", buf);
        break;
    case ED_INTERVAL: text_interval(sb, v.u.i); break;
    default: {
        ed_value t = ed_value_to_text(v, ar);
        ed_sb_append(sb, t.u.s, t.len);
    }
    }
}

/* ---- "did you mean" over registered function names ---- */

static const char *suggest_fn(const char *name)
{
    const char *cands[256];
    int n = 0;
    const ed_scalar_fn *f;
    const ed_agg_fn *g;
    for (int i = 0; n < 256 && (f = ed_registry_scalar_at(i)); i++) cands[n++] = f->name;
    for (int i = 0; n < 256 && (g = ed_registry_agg_at(i)); i++)
        if (strcmp(g->name, "count_distinct") != 0) cands[n++] = g->name; /* spelled COUNT(DISTINCT x) */
    return ed_suggest(name, cands, n);
}

/* ---- the compiler ---- */

static ed_type comp(cc *c, const ed_ast *n);

static ed_type comp_binary(cc *c, const ed_ast *n)
{
    int op = n->op;
    ed_sb_putc(&c->tx, '(');
    if (op == AST_OP_AND || op == AST_OP_OR) {
        ed_type a = comp(c, n->args[0]);
        if (a == BAD) return BAD;
        if (!is_boolish(a)) {
            ed_error_set(c->err, n->args[0]->pos, "operator %s expects BOOLEAN operands, got %s", ed_ast_op_sql(op), ed_type_name(a));
            return BAD;
        }
        int j = emit(c, op == AST_OP_AND ? X_JF_KEEP : X_JT_KEEP, 0);
        ed_sb_printf(&c->tx, " %s ", ed_ast_op_sql(op));
        ed_type b = comp(c, n->args[1]);
        if (b == BAD) return BAD;
        if (!is_boolish(b)) {
            ed_error_set(c->err, n->args[1]->pos, "operator %s expects BOOLEAN operands, got %s", ed_ast_op_sql(op), ed_type_name(b));
            return BAD;
        }
        emit(c, op == AST_OP_AND ? X_AND : X_OR, -1);
        c->s[j].a = c->n;
        ed_sb_putc(&c->tx, ')');
        return ED_BOOL;
    }
    ed_type a = comp(c, n->args[0]);
    if (a == BAD) return BAD;
    if (op == AST_OP_CONCAT && a != ED_VARCHAR && a != ED_NULL) {
        c->s[emit(c, X_CAST, 0)].type = ED_VARCHAR;
    }
    ed_sb_printf(&c->tx, " %s ", ed_ast_op_sql(op));
    ed_type b = comp(c, n->args[1]);
    if (b == BAD) return BAD;
    ed_sb_putc(&c->tx, ')');
    if (op == AST_OP_CONCAT) {
        if (b != ED_VARCHAR && b != ED_NULL) c->s[emit(c, X_CAST, 0)].type = ED_VARCHAR;
        emit(c, X_CONCAT, -1);
        return ED_VARCHAR;
    }
    if (op >= AST_OP_EQ && op <= AST_OP_GE) {
        if (!comparable(a, b)) {
            ed_error_set(c->err, n->pos, "operator %s cannot be applied to %s and %s%s", ed_ast_op_sql(op), ed_type_name(a),
                    ed_type_name(b),
                    (a == ED_TIMESTAMP && b == ED_VARCHAR) || (b == ED_TIMESTAMP && a == ED_VARCHAR)
                        ? " (use a TIMESTAMP '...' literal or CAST)"
                        : "");
            return BAD;
        }
        int i = emit(c, X_CMP, -1);
        c->s[i].a = op;
        c->s[i].type = ED_BOOL;
        return ED_BOOL;
    }
    /* arithmetic: an untyped NULL takes the type that makes the operation valid */
    ed_type ta = a, tb = b;
    if (ta == ED_NULL && tb == ED_NULL) ta = tb = ED_BIGINT;
    else if (ta == ED_NULL) ta = tb == ED_TIMESTAMP ? ED_INTERVAL : tb;
    else if (tb == ED_NULL) tb = ta == ED_TIMESTAMP ? ED_INTERVAL : (ta == ED_INTERVAL && op >= AST_OP_MUL ? ED_BIGINT : ta);
    ed_type rt = BAD;
    bool dbl = false;
    if (ta == ED_BIGINT && tb == ED_BIGINT) rt = ED_BIGINT;
    else if (ed_is_num(ta) && ed_is_num(tb)) rt = ED_DOUBLE, dbl = true;
    else if (op == AST_OP_ADD) {
        if ((ta == ED_TIMESTAMP && tb == ED_INTERVAL) || (ta == ED_INTERVAL && tb == ED_TIMESTAMP)) rt = ED_TIMESTAMP;
        else if (ta == ED_INTERVAL && tb == ED_INTERVAL) rt = ED_INTERVAL;
    } else if (op == AST_OP_SUB) {
        if (ta == ED_TIMESTAMP && tb == ED_INTERVAL) rt = ED_TIMESTAMP;
        else if ((ta == ED_TIMESTAMP && tb == ED_TIMESTAMP) || (ta == ED_INTERVAL && tb == ED_INTERVAL)) rt = ED_INTERVAL;
    } else if (op == AST_OP_MUL) {
        if ((ta == ED_INTERVAL && tb == ED_BIGINT) || (ta == ED_BIGINT && tb == ED_INTERVAL)) rt = ED_INTERVAL;
    } else if (op == AST_OP_DIV) {
        if (ta == ED_INTERVAL && tb == ED_BIGINT) rt = ED_INTERVAL;
    }
    if (rt == BAD) {
        ed_error_set(c->err, n->pos, "operator %s cannot be applied to %s and %s", ed_ast_op_sql(op), ed_type_name(a), ed_type_name(b));
        return BAD;
    }
    static const uint8_t iop[] = {0, X_ADD_I, X_SUB_I, X_MUL_I, X_DIV_I, X_MOD_I};
    static const uint8_t dop[] = {0, X_ADD_D, X_SUB_D, X_MUL_D, X_DIV_D, X_MOD_D};
    if (op < AST_OP_ADD || op > AST_OP_MOD) {
        ed_error_set(c->err, n->pos, "unsupported operator");
        return BAD;
    }
    int i = emit(c, dbl ? dop[op] : iop[op], -1);
    c->s[i].type = (uint8_t)rt;
    return a == ED_NULL && b == ED_NULL ? ED_NULL : rt;
}

static ed_type comp_unary(cc *c, const ed_ast *n)
{
    bool not = n->op == AST_OP_NOT;
    ed_sb_puts(&c->tx, not ? "(NOT " : "(-");
    ed_type a = comp(c, n->args[0]);
    if (a == BAD) return BAD;
    ed_sb_putc(&c->tx, ')');
    if (not) {
        if (!is_boolish(a)) {
            ed_error_set(c->err, n->pos, "operator NOT cannot be applied to %s", ed_type_name(a));
            return BAD;
        }
        emit(c, X_NOT, 0);
        return ED_BOOL;
    }
    if (a != ED_NULL && a != ED_BIGINT && a != ED_DOUBLE && a != ED_INTERVAL) {
        ed_error_set(c->err, n->pos, "operator - cannot be applied to %s", ed_type_name(a));
        return BAD;
    }
    c->s[emit(c, a == ED_DOUBLE ? X_NEG_D : X_NEG_I, 0)].type = (uint8_t)a;
    return a;
}

/* A function with prepare(): show it the call's constant arguments (an
 * argument compiled to one X_CONST step, from at[i] to at[i + 1]). On success
 * *out is a call site in the program's arena, chained for release(). */
static int prepare_site(cc *c, const ed_ast *n, const ed_scalar_fn *f, const ed_type *types, const int *at,
                        ed_call_site **out)
{
    int na = n->nargs;
    bool kb[8];
    ed_value kv[8];
    bool *is_const = na <= 8 ? kb : ed_xcalloc((size_t)na, sizeof(bool));
    ed_value *consts = na <= 8 ? kv : ed_xcalloc((size_t)na, sizeof(ed_value));
    for (int i = 0; i < na; i++) {
        is_const[i] = at[i + 1] == at[i] + 1 && c->s[at[i]].op == X_CONST;
        consts[i] = is_const[i] ? c->s[at[i]].k : ed_v_null();
    }
    ed_fn_site site = {na, types, is_const, consts, -1};
    void *state = NULL;
    char msg[256] = "";
    int rc = f->prepare(&site, &state, msg, sizeof msg);
    if (rc < 0) {
        ed_pos pos = site.err_arg >= 0 && site.err_arg < na ? n->args[site.err_arg]->pos : n->pos;
        ed_error_set(c->err, pos, "%s", msg[0] ? msg : "invalid arguments");
    } else {
        ed_call_site *cs = ed_arena_alloc(&c->e->arena, sizeof *cs);
        cs->f = f;
        cs->state = state;
        cs->next = c->e->sites;
        c->e->sites = cs;
        *out = cs;
    }
    if (is_const != kb) free(is_const);
    if (consts != kv) free(consts);
    return rc < 0 ? -1 : 0;
}

static ed_type comp_call(cc *c, const ed_ast *n)
{
    const ed_scalar_fn *f = ed_registry_scalar(n->str);
    if (!f) {
        if (ed_registry_agg(n->str) || n->distinct)
            ed_error_set(c->err, n->pos, "aggregate function %s is not allowed here", n->str);
        else {
            const char *hint = suggest_fn(n->str);
            if (hint) ed_error_set(c->err, n->pos, "unknown function '%s' (did you mean '%s'?)", n->str, hint);
            else ed_error_set(c->err, n->pos, "unknown function '%s'", n->str);
        }
        return BAD;
    }
    if (n->distinct) {
        ed_error_set(c->err, n->pos, "DISTINCT is only allowed in COUNT(DISTINCT x)");
        return BAD;
    }
    int na = n->nargs;
    if (na < f->min_args || (f->max_args >= 0 && na > f->max_args)) {
        if (f->max_args < 0)
            ed_error_set(c->err, n->pos, "function %s expects at least %d argument%s, got %d", f->name, f->min_args,
                    f->min_args == 1 ? "" : "s", na);
        else if (f->min_args == f->max_args)
            ed_error_set(c->err, n->pos, "function %s expects %d argument%s, got %d", f->name, f->min_args,
                    f->min_args == 1 ? "" : "s", na);
        else
            ed_error_set(c->err, n->pos, "function %s expects %d to %d arguments, got %d", f->name, f->min_args, f->max_args, na);
        return BAD;
    }
    ed_type small[8];
    int small_at[9];
    ed_type *types = na <= 8 ? small : ed_xcalloc((size_t)na, sizeof(ed_type));
    int *at = na <= 8 ? small_at : ed_xcalloc((size_t)na + 1, sizeof(int)); /* first step of each argument */
    ed_sb_printf(&c->tx, "%s(", f->name);
    ed_type rt = BAD;
    for (int i = 0; i < na; i++) {
        if (i) ed_sb_puts(&c->tx, ", ");
        if (n->args[i]->kind == AST_STAR) {
            ed_error_set(c->err, n->args[i]->pos, "'*' is only allowed in COUNT(*)");
            goto out;
        }
        at[i] = c->n;
        types[i] = comp(c, n->args[i]);
        if (types[i] == BAD) goto out;
    }
    at[na] = c->n;
    ed_sb_putc(&c->tx, ')');
    char msg[256] = "";
    rt = f->check(types, na, msg, sizeof msg);
    if (rt == BAD) {
        ed_error_set(c->err, n->pos, "%s", msg[0] ? msg : "invalid arguments");
        goto out;
    }
    ed_call_site *cs = NULL;
    if (f->prepare && prepare_site(c, n, f, types, at, &cs) < 0) {
        rt = BAD;
        goto out;
    }
    int i = emit(c, cs ? X_CALL_ST : X_CALL, 1 - na);
    c->s[i].p = cs ? (const void *)cs : (const void *)f;
    c->s[i].a = na;
    c->s[i].b = f->null_call;
    c->s[i].type = (uint8_t)rt;
out:
    if (types != small) free(types);
    if (at != small_at) free(at);
    return rt;
}

static ed_type comp_case(cc *c, const ed_ast *n)
{
    int k = 0, nw = (n->nargs - n->has_operand - n->has_else) / 2;
    ed_type opt = ED_NULL, rt = ED_NULL;
    int *fix = ed_xcalloc((size_t)nw + 1, sizeof(int));   /* coercion placeholders */
    int *ends = ed_xcalloc((size_t)nw + 1, sizeof(int));  /* jumps to the end */
    ed_type *bt = ed_xcalloc((size_t)nw + 1, sizeof(ed_type));
    ed_type ret = BAD;
    ed_sb_puts(&c->tx, "CASE");
    if (n->has_operand) {
        ed_sb_putc(&c->tx, ' ');
        if ((opt = comp(c, n->args[k++])) == BAD) goto out;
    }
    for (int w = 0; w < nw; w++) {
        const ed_ast *wn = n->args[k++], *tn = n->args[k++];
        ed_sb_puts(&c->tx, " WHEN ");
        if (n->has_operand) emit(c, X_DUP, 1);
        ed_type wt = comp(c, wn);
        if (wt == BAD) goto out;
        if (n->has_operand) {
            if (!comparable(opt, wt)) {
                ed_error_set(c->err, wn->pos, "CASE operand of type %s cannot be compared with %s", ed_type_name(opt), ed_type_name(wt));
                goto out;
            }
            c->s[emit(c, X_CMP, -1)].a = AST_OP_EQ;
        } else if (!is_boolish(wt)) {
            ed_error_set(c->err, wn->pos, "WHEN condition must be BOOLEAN, not %s", ed_type_name(wt));
            goto out;
        }
        int jn = emit(c, X_JNT_POP, -1);
        if (n->has_operand) emit(c, X_POP, -1);
        ed_sb_puts(&c->tx, " THEN ");
        ed_type tt = comp(c, tn);
        if (tt == BAD) goto out;
        fix[w] = emit(c, X_NOP, 0);
        bt[w] = tt;
        ends[w] = emit(c, X_JMP, 0);
        c->depth--; /* the next WHEN starts without this branch's value */
        if (n->has_operand) c->depth++;
        c->s[jn].a = c->n;
        if (tt != ED_NULL) {
            if (rt == ED_NULL) rt = tt;
            else if (rt != tt) {
                if (ed_is_num(rt) && ed_is_num(tt)) rt = ED_DOUBLE;
                else {
                    ed_error_set(c->err, tn->pos, "CASE branches have incompatible types %s and %s", ed_type_name(rt), ed_type_name(tt));
                    goto out;
                }
            }
        }
    }
    if (n->has_operand) emit(c, X_POP, -1);
    if (n->has_else) {
        ed_sb_puts(&c->tx, " ELSE ");
        const ed_ast *en = n->args[k];
        ed_type et = comp(c, en);
        if (et == BAD) goto out;
        if (et != ED_NULL) {
            if (rt == ED_NULL) rt = et;
            else if (rt != et) {
                if (ed_is_num(rt) && ed_is_num(et)) rt = ED_DOUBLE;
                else {
                    ed_error_set(c->err, en->pos, "CASE branches have incompatible types %s and %s", ed_type_name(rt), ed_type_name(et));
                    goto out;
                }
            }
        }
        bt[nw] = et;
    } else {
        emit_const(c, ed_v_null());
        bt[nw] = ED_NULL;
    }
    fix[nw] = emit(c, X_NOP, 0);
    ed_sb_puts(&c->tx, " END");
    for (int w = 0; w < nw; w++) c->s[ends[w]].a = c->n;
    if (rt == ED_DOUBLE)
        for (int w = 0; w <= nw; w++)
            if (bt[w] == ED_BIGINT) c->s[fix[w]].op = X_TO_DOUBLE;
    ret = rt;
out:
    free(fix);
    free(ends);
    free(bt);
    return ret;
}

static ed_type comp_in(cc *c, const ed_ast *n)
{
    ed_sb_putc(&c->tx, '(');
    ed_type x = comp(c, n->args[0]);
    if (x == BAD) return BAD;
    ed_sb_puts(&c->tx, n->negated ? " NOT IN (" : " IN (");
    int first = c->n, items = n->nargs - 1;
    bool all_const = true;
    for (int i = 1; i < n->nargs; i++) {
        if (i > 1) ed_sb_puts(&c->tx, ", ");
        int before = c->n;
        ed_type t = comp(c, n->args[i]);
        if (t == BAD) return BAD;
        if (!comparable(x, t)) {
            ed_error_set(c->err, n->args[i]->pos, "IN list item of type %s cannot be compared with %s", ed_type_name(t), ed_type_name(x));
            return BAD;
        }
        if (!(c->n == before + 1 && c->s[before].op == X_CONST)) all_const = false;
    }
    ed_sb_puts(&c->tx, "))");
    if (all_const) {
        /* constant list: keep it beside the step instead of pushing it */
        ed_value *vals = ed_arena_alloc(&c->e->arena, sizeof(ed_value) * (size_t)(items ? items : 1));
        for (int i = 0; i < items; i++) vals[i] = c->s[first + i].k;
        c->n = first;
        c->depth -= items;
        int i = emit(c, X_IN_CONST, 0);
        c->s[i].p = vals;
        c->s[i].a = items;
        c->s[i].neg = n->negated;
    } else {
        int i = emit(c, X_IN, -items);
        c->s[i].a = items;
        c->s[i].neg = n->negated;
    }
    return ED_BOOL;
}

/* LIKE's ESCAPE (args[2]): must be a string literal of one code point; a
 * constant pattern (compiled from step pstart) must not end with it. Sets
 * *esc to the escape copied into the program's arena and appends
 * " ESCAPE '...'" to the EXPLAIN text. */
static int like_escape(cc *c, const ed_ast *n, int pstart, ed_value *esc)
{
    const ed_ast *e = n->args[2];
    if (e->kind != AST_STRING) {
        ed_error_set(c->err, e->pos, "ESCAPE must be a one-character string literal, e.g. ESCAPE '!'");
        return -1;
    }
    if (e->slen == 0 || ed_utf8_step(e->str, e->str + e->slen) != e->slen) {
        ed_error_set(c->err, e->pos, "ESCAPE must be a single character, got '%.*s'", e->slen > 40 ? 40 : (int)e->slen,
                     e->str);
        return -1;
    }
    const ed_step *pat = &c->s[pstart];
    if (c->n == pstart + 1 && pat->op == X_CONST && pat->k.type == ED_VARCHAR &&
        ed_like_pattern_check(pat->k.u.s, pat->k.len, e->str, e->slen) < 0) {
        ed_error_set(c->err, n->args[1]->pos, "LIKE pattern ends with the escape character");
        return -1;
    }
    *esc = ed_v_str(ed_arena_strndup(&c->e->arena, e->str, e->slen), e->slen);
    ed_sb_puts(&c->tx, " ESCAPE ");
    text_string(&c->tx, e->str, e->slen);
    return 0;
}

static ed_type comp_node(cc *c, const ed_ast *n)
{
    switch (n->kind) {
    case AST_NULL: emit_const(c, ed_v_null()); text_value(&c->tx, ed_v_null(), &c->e->arena); return ED_NULL;
    case AST_BOOL:
    case AST_INT:
    case AST_DOUBLE:
    case AST_STRING:
    case AST_INTERVAL:
    case AST_TIMESTAMP: {
        ed_value v = ed_v_null();
        if (n->kind == AST_BOOL) v = ed_v_bool(n->ival != 0);
        else if (n->kind == AST_INT) v = ed_v_int(n->ival);
        else if (n->kind == AST_DOUBLE) v = ed_v_double(n->dval);
        else if (n->kind == AST_STRING) v = ed_v_str(n->str ? n->str : "", n->str ? n->slen : 0);
        else if (n->kind == AST_TIMESTAMP) v = ed_v_ts(n->ival);
        else v = ed_v_int(n->ival), v.type = ED_INTERVAL;
        emit_const(c, v);
        text_value(&c->tx, v, &c->e->arena);
        return (ed_type)v.type;
    }
    case AST_COLUMN: {
        ed_type t = ED_NULL;
        if (!c->r || !c->r->column) {
            ed_error_set(c->err, n->pos, "column '%s' cannot be used here", n->str);
            return BAD;
        }
        int slot = c->r->column(c->r->ctx, n, &t, c->err);
        if (slot < 0) return BAD;
        int i = emit(c, X_SLOT, 1);
        c->s[i].a = slot;
        c->s[i].type = (uint8_t)t;
        c->reads = true;
        ed_sb_printf(&c->tx, "%c%d%c", ED_EXPLAIN_SLOT_OPEN, slot, ED_EXPLAIN_SLOT_CLOSE);
        return t;
    }
    case AST_STAR: ed_error_set(c->err, n->pos, "'*' is not allowed here"); return BAD;
    case AST_UNARY: return comp_unary(c, n);
    case AST_BINARY: return comp_binary(c, n);
    case AST_IS_NULL: {
        ed_sb_putc(&c->tx, '(');
        if (comp(c, n->args[0]) == BAD) return BAD;
        ed_sb_puts(&c->tx, n->negated ? " IS NOT NULL)" : " IS NULL)");
        c->s[emit(c, X_IS_NULL, 0)].neg = n->negated;
        return ED_BOOL;
    }
    case AST_BETWEEN: {
        ed_type t[3];
        ed_sb_putc(&c->tx, '(');
        for (int i = 0; i < 3; i++) {
            if (i) ed_sb_puts(&c->tx, i == 1 ? (n->negated ? " NOT BETWEEN " : " BETWEEN ") : " AND ");
            if ((t[i] = comp(c, n->args[i])) == BAD) return BAD;
            if (i && !comparable(t[0], t[i])) {
                ed_error_set(c->err, n->args[i]->pos, "BETWEEN bound of type %s cannot be compared with %s", ed_type_name(t[i]),
                        ed_type_name(t[0]));
                return BAD;
            }
        }
        ed_sb_putc(&c->tx, ')');
        c->s[emit(c, X_BETWEEN, -2)].neg = n->negated;
        return ED_BOOL;
    }
    case AST_IN: return comp_in(c, n);
    case AST_LIKE: {
        ed_sb_putc(&c->tx, '(');
        ed_type a = comp(c, n->args[0]);
        if (a == BAD) return BAD;
        ed_sb_puts(&c->tx, n->negated ? " NOT LIKE " : " LIKE ");
        int pstart = c->n;
        ed_type b = comp(c, n->args[1]);
        if (b == BAD) return BAD;
        ed_value esc = {0}; /* ESCAPE: a one-character string literal, kept in the step's k */
        if (n->nargs > 2 && like_escape(c, n, pstart, &esc) < 0) return BAD;
        ed_sb_putc(&c->tx, ')');
        if ((a != ED_VARCHAR && a != ED_NULL) || (b != ED_VARCHAR && b != ED_NULL)) {
            ed_error_set(c->err, n->pos, "LIKE cannot be applied to %s and %s", ed_type_name(a), ed_type_name(b));
            return BAD;
        }
        int li = emit(c, X_LIKE, -1);
        c->s[li].neg = n->negated;
        c->s[li].k = esc;
        return ED_BOOL;
    }
    case AST_CASE: return comp_case(c, n);
    case AST_CAST: {
        ed_sb_puts(&c->tx, "CAST(");
        ed_type a = comp(c, n->args[0]);
        if (a == BAD) return BAD;
        ed_sb_printf(&c->tx, " AS %s)", ed_type_name(n->cast_type));
        if (!ed_cast_allowed(a, n->cast_type)) {
            ed_error_set(c->err, n->pos, "cannot cast %s to %s", ed_type_name(a), ed_type_name(n->cast_type));
            return BAD;
        }
        c->s[emit(c, X_CAST, 0)].type = (uint8_t)n->cast_type;
        return n->cast_type;
    }
    case AST_CALL: return comp_call(c, n);
    }
    ed_error_set(c->err, n->pos, "unsupported expression");
    return BAD;
}

/* Constant folding: replace the sub-program [start, n) by one X_CONST when it
 * reads no slot and calls no function (a UDF need not be pure), and its
 * evaluation counts no error (1 / 0 must still be counted for every row). */
static void fold(cc *c, int start, int depth)
{
    int len = c->n - start;
    if (len <= 1) return;
    for (int i = start; i < c->n; i++)
        if (c->s[i].op == X_SLOT || c->s[i].op == X_CALL || c->s[i].op == X_CALL_ST) return;
    ed_step *tmp = ed_xmalloc(sizeof(ed_step) * (size_t)len);
    memcpy(tmp, c->s + start, sizeof(ed_step) * (size_t)len);
    for (int i = 0; i < len; i++)
        if (tmp[i].op == X_JF_KEEP || tmp[i].op == X_JT_KEEP || tmp[i].op == X_JMP || tmp[i].op == X_JNT_POP)
            tmp[i].a -= start; /* jumps are absolute */
    ed_expr view = {.steps = tmp, .nsteps = len, .max_depth = c->max > 0 ? c->max : 1};
    ed_arena scratch;
    ed_arena_init(&scratch, 256);
    uint64_t div0 = 0, errs = 0;
    ed_fn_ctx ctx = {&scratch, &div0, &errs, NULL};
    ed_value v = ed_expr_eval(&view, NULL, &ctx);
    if (!div0 && !errs) {
        c->n = start;
        c->depth = depth;
        emit_const(c, v); /* copies string bytes into the program's arena */
    }
    ed_arena_free(&scratch);
    free(tmp);
}

static ed_type comp(cc *c, const ed_ast *n)
{
    if (c->r && c->r->pre) {
        ed_type t = ED_NULL;
        int slot = c->r->pre(c->r->ctx, n, &t, c->err);
        if (slot == -2) return BAD;
        if (slot >= 0) {
            int i = emit(c, X_SLOT, 1);
            c->s[i].a = slot;
            c->s[i].type = (uint8_t)t;
            c->reads = true;
            ed_sb_printf(&c->tx, "%c%d%c", ED_EXPLAIN_SLOT_OPEN, slot, ED_EXPLAIN_SLOT_CLOSE);
            return t;
        }
    }
    int start = c->n, depth = c->depth;
    ed_type t = comp_node(c, n);
    if (t != BAD) fold(c, start, depth);
    return t;
}

/* Recognise the forms expr_eval.c runs without the step loop (SH_*). */
static void classify(ed_expr *e)
{
    const ed_step *s = e->steps;
    e->shape = SH_NONE;
    if (e->nsteps == 1 && s[0].op == X_SLOT && s[0].type != ED_DOUBLE) {
        e->shape = SH_SLOT;
        e->sh_slot = s[0].a;
        return;
    }
    if (e->nsteps < 3 || s[0].op != X_SLOT || s[1].op != X_CONST) return;
    ed_type st = (ed_type)s[0].type, kt = (ed_type)s[1].k.type;
    if (e->nsteps == 5) {
        int ar = s[2].op;
        if (st == ED_BIGINT && kt == ED_BIGINT && ar >= X_ADD_I && ar <= X_MOD_I && s[2].type == ED_BIGINT &&
            s[3].op == X_CONST && s[3].k.type == ED_BIGINT && s[4].op == X_CMP &&
            !((ar == X_DIV_I || ar == X_MOD_I) && (s[1].k.u.i == 0 || s[1].k.u.i == -1))) {
            e->shape = SH_SLOT_K_I_K_CMP;
            e->sh_op = (uint8_t)s[4].a;
            e->sh_op2 = (uint8_t)ar;
            e->sh_slot = s[0].a;
            e->sh_ki2 = s[1].k.u.i;
            e->sh_ki = s[3].k.u.i;
        }
        return;
    }
    if (e->nsteps != 3) return;
    if ((s[2].op == X_ADD_D || s[2].op == X_SUB_D || s[2].op == X_MUL_D) && (kt == ED_BIGINT || kt == ED_DOUBLE) &&
        (st == ED_BIGINT || st == ED_DOUBLE)) {
        e->shape = SH_SLOT_K_D;
        e->sh_op = s[2].op;
        e->sh_slot = s[0].a;
        e->sh_kd = kt == ED_DOUBLE ? s[1].k.u.d : (double)s[1].k.u.i;
    } else if (s[2].op == X_CMP && (st == ED_BIGINT || st == ED_TIMESTAMP) && kt == st) {
        e->shape = SH_SLOT_K_CMP;
        e->sh_op = (uint8_t)s[2].a;
        e->sh_type = (uint8_t)st;
        e->sh_slot = s[0].a;
        e->sh_ki = s[1].k.u.i;
    }
}

int ed_expr_slot(const ed_expr *e)
{
    return e->shape == SH_SLOT ? e->sh_slot : -1;
}

static void release_sites(ed_expr *e)
{
    for (ed_call_site *cs = e->sites; cs; cs = cs->next)
        if (cs->state && cs->f->release) cs->f->release(cs->state);
    e->sites = NULL;
}

ed_expr *ed_expr_compile(const ed_ast *ast, const ed_expr_resolver *r, ed_error *err)
{
    ed_expr *e = ed_xcalloc(1, sizeof *e);
    ed_arena_init(&e->arena, 1024);
    cc c = {.r = r, .err = err, .e = e, .tx = ED_SB_INIT};
    ed_type t = comp(&c, ast);
    if (t == BAD) {
        free(c.s);
        ed_sb_free(&c.tx);
        release_sites(e);
        ed_arena_free(&e->arena);
        free(e);
        return NULL;
    }
    e->steps = c.s;
    e->nsteps = c.n;
    e->max_depth = c.max > 0 ? c.max : 1;
    e->type = t;
    e->is_const = !c.reads;
    classify(e);
    e->text = ed_arena_strndup(&e->arena, c.tx.buf ? c.tx.buf : "", c.tx.len);
    ed_sb_free(&c.tx);
    return e;
}

void ed_expr_free(ed_expr *e)
{
    if (!e) return;
    release_sites(e);
    free(e->steps);
    ed_arena_free(&e->arena);
    free(e);
}

ed_type ed_expr_type(const ed_expr *e) { return e->type; }
bool ed_expr_is_const(const ed_expr *e) { return e->is_const; }
