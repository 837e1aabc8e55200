/* dump.c — S-expression rendering of statements and expressions, the
 * format of the golden parser tests (tests/parser/cases/\*.ast) and of
 * EXPLAIN's echo of the query text. One statement per line. */
#include "parser.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *ed_ast_op_sql(int op)
{
    switch (op) {
    case AST_OP_ADD: return "+";
    case AST_OP_SUB: return "-";
    case AST_OP_MUL: return "*";
    case AST_OP_DIV: return "/";
    case AST_OP_MOD: return "%";
    case AST_OP_CONCAT: return "||";
    case AST_OP_EQ: return "=";
    case AST_OP_NE: return "<>";
    case AST_OP_LT: return "<";
    case AST_OP_LE: return "<=";
    case AST_OP_GT: return ">";
    case AST_OP_GE: return ">=";
    case AST_OP_AND: return "AND";
    case AST_OP_OR: return "OR";
    case AST_OP_NOT: return "NOT";
    case AST_OP_NEG: return "-";
    default: return "?";
    }
}

/* The golden-file spelling: SQL text, but lower-case words and "neg". */
static const char *op_name(int op)
{
    switch (op) {
    case AST_OP_AND: return "and";
    case AST_OP_OR: return "or";
    case AST_OP_NOT: return "not";
    case AST_OP_NEG: return "neg";
    default: return ed_ast_op_sql(op);
    }
}

static void quoted(ed_sb *out, const char *s, size_t n)
{
    ed_sb_json_str(out, s, n);
}

/* Names print bare when they are plain lower-case identifiers, else quoted,
 * so a golden file can tell "Mixed Case" from two tokens. */
static void name(ed_sb *out, const char *s)
{
    const char *p = s;
    for (; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.'))
            break;
    if (*p || !*s)
        quoted(out, s, strlen(s));
    else
        ed_sb_puts(out, s);
}

static void args(ed_sb *out, const ed_ast *e, int from)
{
    for (int i = from; i < e->nargs; i++) {
        ed_sb_putc(out, ' ');
        ed_ast_dump_expr(e->args[i], out);
    }
}

void ed_ast_dump_expr(const ed_ast *e, ed_sb *out)
{
    if (!e) {
        ed_sb_puts(out, "()");
        return;
    }
    switch (e->kind) {
    case AST_NULL: ed_sb_puts(out, "(null)"); break;
    case AST_BOOL: ed_sb_puts(out, e->ival ? "(bool true)" : "(bool false)"); break;
    case AST_INT: ed_sb_printf(out, "(int %lld)", (long long)e->ival); break;
    case AST_DOUBLE: {
        /* shortest text that reads back to the same double */
        char buf[40];
        if (e->dval == floor(e->dval) && fabs(e->dval) < 1e15) {
            snprintf(buf, sizeof buf, "%.0f", e->dval); /* 2e3 reads as 2000 */
        } else {
            for (int prec = 1; prec <= 17; prec++) {
                snprintf(buf, sizeof buf, "%.*g", prec, e->dval);
                if (strtod(buf, NULL) == e->dval)
                    break;
            }
        }
        ed_sb_printf(out, "(double %s)", buf);
        break;
    }
    case AST_STRING:
        ed_sb_puts(out, "(string ");
        quoted(out, e->str, e->slen);
        ed_sb_putc(out, ')');
        break;
    case AST_INTERVAL: ed_sb_printf(out, "(interval %lld)", (long long)e->ival); break;
    case AST_TIMESTAMP: {
        char buf[40];
        ed_ts_format(e->ival, buf);
        ed_sb_printf(out, "(timestamp %lld %s)", (long long)e->ival, buf);
        break;
    }
    case AST_COLUMN:
        ed_sb_puts(out, "(col ");
        name(out, e->str);
        ed_sb_putc(out, ')');
        break;
    case AST_STAR: ed_sb_puts(out, "(star)"); break;
    case AST_UNARY:
        ed_sb_printf(out, "(%s", op_name(e->op));
        args(out, e, 0);
        ed_sb_putc(out, ')');
        break;
    case AST_BINARY:
        ed_sb_printf(out, "(%s", op_name(e->op));
        args(out, e, 0);
        ed_sb_putc(out, ')');
        break;
    case AST_IS_NULL:
        ed_sb_puts(out, e->negated ? "(is_not_null" : "(is_null");
        args(out, e, 0);
        ed_sb_putc(out, ')');
        break;
    case AST_BETWEEN:
        ed_sb_puts(out, e->negated ? "(not_between" : "(between");
        args(out, e, 0);
        ed_sb_putc(out, ')');
        break;
    case AST_IN:
        ed_sb_puts(out, e->negated ? "(not_in" : "(in");
        args(out, e, 0);
        ed_sb_putc(out, ')');
        break;
    case AST_LIKE:
        ed_sb_puts(out, e->negated ? "(not_like " : "(like ");
        ed_ast_dump_expr(e->args[0], out);
        ed_sb_putc(out, ' ');
        ed_ast_dump_expr(e->args[1], out);
        if (e->nargs > 2) {
            ed_sb_puts(out, " (escape ");
            ed_ast_dump_expr(e->args[2], out);
            ed_sb_putc(out, ')');
        }
        ed_sb_putc(out, ')');
        break;
    case AST_CASE: {
        int i = 0;
        int nw = e->nargs - (e->has_operand ? 1 : 0) - (e->has_else ? 1 : 0);
        ed_sb_puts(out, "(case");
        if (e->has_operand) {
            ed_sb_puts(out, " (operand ");
            ed_ast_dump_expr(e->args[i++], out);
            ed_sb_putc(out, ')');
        }
        for (int w = 0; w + 1 < nw; w += 2) {
            ed_sb_puts(out, " (when ");
            ed_ast_dump_expr(e->args[i++], out);
            ed_sb_putc(out, ' ');
            ed_ast_dump_expr(e->args[i++], out);
            ed_sb_putc(out, ')');
        }
        if (e->has_else) {
            ed_sb_puts(out, " (else ");
            ed_ast_dump_expr(e->args[i++], out);
            ed_sb_putc(out, ')');
        }
        ed_sb_putc(out, ')');
        break;
    }
    case AST_CAST:
        ed_sb_puts(out, "(cast ");
        ed_ast_dump_expr(e->args[0], out);
        ed_sb_printf(out, " %s)", ed_type_name(e->cast_type));
        break;
    case AST_CALL:
        ed_sb_puts(out, "(call ");
        name(out, e->str);
        ed_sb_puts(out, e->distinct ? " distinct" : "");
        args(out, e, 0);
        ed_sb_putc(out, ')');
        break;
    default:
        ed_sb_printf(out, "(?kind %d)", (int)e->kind);
    }
}

static void dump_select(const ed_select *s, ed_sb *out)
{
    ed_sb_puts(out, "(select (items");
    for (int i = 0; i < s->nitems; i++) {
        ed_sb_putc(out, ' ');
        if (s->items[i].alias) {
            ed_sb_puts(out, "(as ");
            ed_ast_dump_expr(s->items[i].expr, out);
            ed_sb_putc(out, ' ');
            name(out, s->items[i].alias);
            ed_sb_putc(out, ')');
        } else {
            ed_ast_dump_expr(s->items[i].expr, out);
        }
    }
    ed_sb_puts(out, ") (from ");
    name(out, s->from);
    ed_sb_putc(out, ')');
    if (s->where) {
        ed_sb_puts(out, " (where ");
        ed_ast_dump_expr(s->where, out);
        ed_sb_putc(out, ')');
    }
    if (s->window == WIN_TUMBLING)
        ed_sb_printf(out, " (window tumbling %lld)", (long long)s->size_ms);
    else if (s->window == WIN_HOPPING)
        ed_sb_printf(out, " (window hopping %lld %lld)", (long long)s->size_ms, (long long)s->advance_ms);
    if (s->ngroup) {
        ed_sb_puts(out, " (group_by");
        for (int i = 0; i < s->ngroup; i++) {
            ed_sb_putc(out, ' ');
            ed_ast_dump_expr(s->group_by[i], out);
        }
        ed_sb_putc(out, ')');
    }
    if (s->having) {
        ed_sb_puts(out, " (having ");
        ed_ast_dump_expr(s->having, out);
        ed_sb_putc(out, ')');
    }
    ed_sb_putc(out, ')');
}

static const char *opt_kind(ed_opt_kind k)
{
    switch (k) {
    case OPT_STRING: return "string";
    case OPT_NUMBER: return "number";
    case OPT_BOOL: return "bool";
    case OPT_IDENT: return "ident";
    case OPT_INTERVAL: return "interval";
    default: return "?";
    }
}

static const char *obj_name(ed_object_kind o)
{
    switch (o) {
    case OBJ_STREAM: return "stream";
    case OBJ_SINK: return "sink";
    case OBJ_QUERY: return "query";
    case OBJ_FUNCTION: return "function";
    default: return "?";
    }
}

static void dump_flags(const ed_stmt *st, ed_sb *out)
{
    if (st->or_replace)
        ed_sb_puts(out, " or_replace");
    if (st->if_not_exists)
        ed_sb_puts(out, " if_not_exists");
    if (st->if_exists)
        ed_sb_puts(out, " if_exists");
}

static void dump_options(const ed_stmt *st, ed_sb *out)
{
    if (!st->nopts)
        return;
    ed_sb_puts(out, " (with");
    for (int i = 0; i < st->nopts; i++) {
        ed_sb_printf(out, " (%s %s ", st->opts[i].key, opt_kind(st->opts[i].value_kind));
        quoted(out, st->opts[i].value, strlen(st->opts[i].value));
        ed_sb_putc(out, ')');
    }
    ed_sb_putc(out, ')');
}

void ed_ast_dump_stmt(const ed_stmt *st, ed_sb *out)
{
    switch (st->kind) {
    case ST_CREATE_STREAM:
        ed_sb_printf(out, "(create_stream %s", st->name);
        dump_flags(st, out);
        ed_sb_puts(out, " (cols");
        for (int i = 0; i < st->ncols; i++)
        {
            ed_sb_puts(out, " (");
            name(out, st->cols[i].name);
            ed_sb_printf(out, " %s)", ed_type_name(st->cols[i].type));
        }
        ed_sb_putc(out, ')');
        if (st->wm_col) {
            ed_sb_puts(out, " (watermark ");
            name(out, st->wm_col);
            ed_sb_putc(out, ' ');
            ed_ast_dump_expr(st->wm_expr, out);
            ed_sb_putc(out, ')');
        }
        dump_options(st, out);
        ed_sb_putc(out, ')');
        break;
    case ST_CREATE_SINK:
        ed_sb_printf(out, "(create_sink %s", st->name);
        dump_flags(st, out);
        dump_options(st, out);
        ed_sb_putc(out, ')');
        break;
    case ST_CREATE_QUERY:
        ed_sb_printf(out, "(create_query %s", st->name);
        dump_flags(st, out);
        ed_sb_printf(out, " (insert %s) ", st->sink);
        dump_select(st->select, out);
        ed_sb_putc(out, ')');
        break;
    case ST_DROP:
        ed_sb_printf(out, "(drop %s %s", obj_name(st->object), st->name);
        dump_flags(st, out);
        ed_sb_putc(out, ')');
        break;
    case ST_SHOW:
        ed_sb_printf(out, "(show %s)", obj_name(st->object));
        break;
    case ST_DESCRIBE:
        ed_sb_printf(out, "(describe %s)", st->name);
        break;
    case ST_EXPLAIN:
        if (st->select) {
            ed_sb_puts(out, "(explain ");
            dump_select(st->select, out);
            ed_sb_putc(out, ')');
        } else {
            ed_sb_printf(out, "(explain%s %s)", st->object == OBJ_QUERY ? " query" : "", st->name);
        }
        break;
    case ST_SELECT:
        dump_select(st->select, out);
        break;
    default:
        ed_sb_printf(out, "(?stmt %d)", (int)st->kind);
    }
}
