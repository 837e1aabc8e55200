/* ast_util.c — structural equality of expressions (GROUP BY matching,
 * aggregate de-duplication) and SQL-like rendering (output names, EXPLAIN). */
#include "internal.h"
#include <string.h>

bool ed_ast_equal(const ed_ast *a, const ed_ast *b)
{
    if (a == b) return true;
    if (!a || !b) return false;
    if (a->kind != b->kind || a->op != b->op || a->negated != b->negated || a->distinct != b->distinct ||
        a->has_operand != b->has_operand || a->has_else != b->has_else || a->nargs != b->nargs)
        return false;
    switch (a->kind) {
    case AST_BOOL:
    case AST_INT:
    case AST_INTERVAL:
    case AST_TIMESTAMP:
        if (a->ival != b->ival) return false;
        break;
    case AST_DOUBLE:
        if (a->dval != b->dval) return false;
        break;
    case AST_STRING:
        if (a->slen != b->slen || memcmp(a->str, b->str, a->slen) != 0) return false;
        break;
    case AST_COLUMN:
    case AST_CALL:
        if (strcmp(a->str, b->str) != 0) return false;
        break;
    case AST_CAST:
        if (a->cast_type != b->cast_type) return false;
        break;
    default: break;
    }
    for (int i = 0; i < a->nargs; i++)
        if (!ed_ast_equal(a->args[i], b->args[i])) return false;
    return true;
}

void ed_ast_text(const ed_ast *a, ed_sb *out)
{
    char buf[40];
    switch (a->kind) {
    case AST_NULL: ed_sb_puts(out, "NULL"); break;
    case AST_BOOL: ed_sb_puts(out, a->ival ? "TRUE" : "FALSE"); break;
    case AST_INT: ed_sb_printf(out, "%lld", (long long)a->ival); break;
    case AST_DOUBLE: {
        ed_value v = ed_v_double(a->dval);
        ed_value_json(out, &v);
        break;
    }
    case AST_STRING:
        ed_sb_putc(out, '\'');
        for (uint32_t i = 0; i < a->slen; i++) {
            if (a->str[i] == '\'') ed_sb_putc(out, '\'');
            ed_sb_putc(out, a->str[i]);
        }
        ed_sb_putc(out, '\'');
        break;
    case AST_INTERVAL: ed_sb_printf(out, "INTERVAL '%lld' MILLISECOND", (long long)a->ival); break;
    case AST_TIMESTAMP:
        ed_ts_format(a->ival, buf);
        ed_sb_printf(out, "TIMESTAMP '%s'", buf);
        break;
    case AST_COLUMN: ed_sb_puts(out, a->str); break;
    case AST_STAR: ed_sb_putc(out, '*'); break;
    case AST_UNARY:
        ed_sb_puts(out, a->op == AST_OP_NOT ? "(NOT " : "(-");
        ed_ast_text(a->args[0], out);
        ed_sb_putc(out, ')');
        break;
    case AST_BINARY:
        ed_sb_putc(out, '(');
        ed_ast_text(a->args[0], out);
        ed_sb_printf(out, " %s ", ed_ast_op_sql(a->op));
        ed_ast_text(a->args[1], out);
        ed_sb_putc(out, ')');
        break;
    case AST_IS_NULL:
        ed_sb_putc(out, '(');
        ed_ast_text(a->args[0], out);
        ed_sb_puts(out, a->negated ? " IS NOT NULL)" : " IS NULL)");
        break;
    case AST_BETWEEN:
        ed_sb_putc(out, '(');
        ed_ast_text(a->args[0], out);
        ed_sb_puts(out, a->negated ? " NOT BETWEEN " : " BETWEEN ");
        ed_ast_text(a->args[1], out);
        ed_sb_puts(out, " AND ");
        ed_ast_text(a->args[2], out);
        ed_sb_putc(out, ')');
        break;
    case AST_IN:
        ed_sb_putc(out, '(');
        ed_ast_text(a->args[0], out);
        ed_sb_puts(out, a->negated ? " NOT IN (" : " IN (");
        for (int i = 1; i < a->nargs; i++) {
            if (i > 1) ed_sb_puts(out, ", ");
            ed_ast_text(a->args[i], out);
        }
        ed_sb_puts(out, "))");
        break;
    case AST_LIKE:
        ed_sb_putc(out, '(');
        ed_ast_text(a->args[0], out);
        ed_sb_puts(out, a->negated ? " NOT LIKE " : " LIKE ");
        ed_ast_text(a->args[1], out);
        if (a->nargs > 2) {
            ed_sb_puts(out, " ESCAPE ");
            ed_ast_text(a->args[2], out);
        }
        ed_sb_putc(out, ')');
        break;
    case AST_CASE: {
        int i = 0;
        ed_sb_puts(out, "CASE");
        if (a->has_operand) {
            ed_sb_putc(out, ' ');
            ed_ast_text(a->args[i++], out);
        }
        int end = a->nargs - (a->has_else ? 1 : 0);
        for (; i + 1 < end + 1 && i < end; i += 2) {
            ed_sb_puts(out, " WHEN ");
            ed_ast_text(a->args[i], out);
            ed_sb_puts(out, " THEN ");
            ed_ast_text(a->args[i + 1], out);
        }
        if (a->has_else) {
            ed_sb_puts(out, " ELSE ");
            ed_ast_text(a->args[a->nargs - 1], out);
        }
        ed_sb_puts(out, " END");
        break;
    }
    case AST_CAST:
        ed_sb_puts(out, "CAST(");
        ed_ast_text(a->args[0], out);
        ed_sb_printf(out, " AS %s)", ed_type_name(a->cast_type));
        break;
    case AST_CALL:
        ed_sb_printf(out, "%s(", a->str);
        if (a->distinct) ed_sb_puts(out, "DISTINCT ");
        for (int i = 0; i < a->nargs; i++) {
            if (i) ed_sb_puts(out, ", ");
            ed_ast_text(a->args[i], out);
        }
        ed_sb_putc(out, ')');
        break;
    }
}
