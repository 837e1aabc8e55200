/* plan.c — the binder and planner: a SELECT's AST becomes a read-only
 * ed_plan with every name resolved and every expression compiled.
 *
 * Two row shapes exist. Input rows are the stream's columns (WHERE, GROUP BY
 * keys, aggregate arguments, and the output of per-event queries). Post rows
 * exist only for windowed queries and are laid out as
 *     [window_start][window_end][group key 0..g-1][aggregate 0..a-1]
 * SELECT items and HAVING of a windowed query are compiled against post
 * rows: the resolver's pre() hook maps any sub-expression equal to a GROUP
 * BY expression, any aggregate call and the window pseudo-columns to slots,
 * so e.g. `MAX(price) * 2` reads aggregate slot k and multiplies.
 */
#include "internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POST_WS 0
#define POST_WE 1
#define POST_GROUP0 2

typedef struct bind_ctx {
    ed_plan *p;
    const ed_select *sel;
    ed_stream_def *stream;
    bool post;                 /* compiling against post rows */
    const ed_ast **group_ast;  /* GROUP BY expressions (for matching) */
    const ed_ast **agg_ast;    /* aggregate calls found so far */
    int agg_cap;
} bind_ctx;

static const char *PSEUDO[] = {"window_start", "window_end"};

static void unknown_column(bind_ctx *b, const ed_ast *node, ed_error *err)
{
    const ed_schema *s = &b->stream->schema;
    const char **cands = ed_xcalloc((size_t)s->ncols + 2, sizeof(char *));
    int n = 0;
    for (int i = 0; i < s->ncols; i++) cands[n++] = s->cols[i].name;
    if (b->p->windowed) cands[n++] = PSEUDO[0], cands[n++] = PSEUDO[1];
    const char *hint = ed_suggest(node->str, cands, n);
    if (hint)
        ed_error_set(err, node->pos, "unknown column '%s' in stream '%s' (did you mean '%s'?)", node->str, b->stream->name, hint);
    else
        ed_error_set(err, node->pos, "unknown column '%s' in stream '%s'", node->str, b->stream->name);
    free(cands);
}

/* Input rows: stream columns only. */
static int input_column(void *ctx, const ed_ast *node, ed_type *type, ed_error *err)
{
    bind_ctx *b = ctx;
    int i = ed_schema_find(&b->stream->schema, node->str);
    if (i >= 0) {
        *type = b->stream->schema.cols[i].type;
        return i;
    }
    if (!strcmp(node->str, PSEUDO[0]) || !strcmp(node->str, PSEUDO[1])) {
        ed_error_set(err, node->pos, "%s can only be used in SELECT and HAVING of a windowed query", node->str);
        return -1;
    }
    unknown_column(b, node, err);
    return -1;
}

static bool is_agg_call(const ed_ast *n, const ed_agg_fn **fn, ed_error *err, bool *bad)
{
    *bad = false;
    if (n->kind != AST_CALL) return false;
    const char *name = n->str;
    if (n->distinct) {
        if (strcmp(name, "count") != 0) {
            if (ed_registry_agg(name)) {
                ed_error_set(err, n->pos, "DISTINCT is only supported in COUNT(DISTINCT x)");
                *bad = true;
                return true;
            }
            return false;
        }
        name = "count_distinct";
    }
    *fn = ed_registry_agg(name);
    return *fn != NULL;
}

/* Compile one aggregate call (arguments over input rows) and add it. */
static int add_agg(bind_ctx *b, const ed_ast *call, const ed_agg_fn *fn, ed_type *type, ed_error *err)
{
    ed_plan *p = b->p;
    for (int i = 0; i < p->naggs; i++)
        if (ed_ast_equal(b->agg_ast[i], call)) {
            *type = p->aggs[i].result_type;
            return POST_GROUP0 + p->ngroup + i;
        }
    int nargs = call->nargs;
    bool star = nargs == 1 && call->args[0]->kind == AST_STAR;
    if (star) {
        if (strcmp(fn->name, "count") != 0) {
            ed_error_set(err, call->args[0]->pos, "'*' is only allowed in COUNT(*)");
            return -2;
        }
        nargs = 0;
    }
    if (nargs < fn->min_args || (fn->max_args >= 0 && nargs > fn->max_args)) {
        ed_error_set(err, call->pos, "wrong number of arguments to %s: got %d", call->str, nargs);
        return -2;
    }
    bind_ctx in = *b;
    in.post = false;
    ed_expr_resolver r = {&in, NULL, input_column};
    ed_expr **args = ed_xcalloc((size_t)nargs + 1, sizeof(ed_expr *));
    ed_type targs[8] = {0};
    for (int i = 0; i < nargs; i++) {
        args[i] = ed_expr_compile(call->args[i], &r, err);
        if (!args[i]) {
            for (int k = 0; k < i; k++) ed_expr_free(args[k]);
            free(args);
            return -2;
        }
        if (i < 8) targs[i] = ed_expr_type(args[i]);
    }
    char msg[256] = "";
    ed_type rt = fn->check(targs, nargs, msg, sizeof msg);
    if (rt == ED_TYPE_COUNT) {
        ed_error_set(err, call->pos, "%s", msg[0] ? msg : "invalid arguments to aggregate");
        for (int k = 0; k < nargs; k++) ed_expr_free(args[k]);
        free(args);
        return -2;
    }
    if (p->naggs == b->agg_cap) {
        b->agg_cap = b->agg_cap ? b->agg_cap * 2 : 8;
        b->agg_ast = ed_xrealloc(b->agg_ast, sizeof(*b->agg_ast) * (size_t)b->agg_cap);
        p->aggs = ed_xrealloc(p->aggs, sizeof(*p->aggs) * (size_t)b->agg_cap);
    }
    ed_plan_agg *a = &p->aggs[p->naggs];
    memset(a, 0, sizeof *a);
    a->fn = fn;
    a->args = args;
    a->nargs = nargs;
    a->arg_type = nargs ? targs[0] : ED_NULL;
    a->result_type = rt;
    a->offset = p->state_size;
    p->state_size += (fn->state_size + 7) & ~(size_t)7; /* states are 8-byte aligned */
    ed_sb sb = ED_SB_INIT;
    ed_ast_text(call, &sb);
    a->text = ed_sb_steal(&sb);
    b->agg_ast[p->naggs] = call;
    p->naggs++;
    *type = rt;
    return POST_GROUP0 + p->ngroup + p->naggs - 1;
}

/* Post rows: group keys, aggregates and window bounds. */
static int post_pre(void *ctx, const ed_ast *node, ed_type *type, ed_error *err)
{
    bind_ctx *b = ctx;
    ed_plan *p = b->p;
    for (int i = 0; i < p->ngroup; i++)
        if (ed_ast_equal(b->group_ast[i], node)) {
            *type = ed_expr_type(p->group[i]);
            return POST_GROUP0 + i;
        }
    if (node->kind == AST_COLUMN) {
        for (int i = 0; i < 2; i++)
            if (!strcmp(node->str, PSEUDO[i])) {
                *type = ED_TIMESTAMP;
                return POST_WS + i;
            }
    }
    const ed_agg_fn *fn = NULL;
    bool bad;
    if (is_agg_call(node, &fn, err, &bad)) {
        if (bad) return -2;
        return add_agg(b, node, fn, type, err);
    }
    return -1;
}

static int post_column(void *ctx, const ed_ast *node, ed_type *type, ed_error *err)
{
    bind_ctx *b = ctx;
    (void)type;
    if (ed_schema_find(&b->stream->schema, node->str) >= 0)
        ed_error_set(err, node->pos, "column '%s' must appear in GROUP BY or be used in an aggregate function", node->str);
    else
        unknown_column(b, node, err);
    return -1;
}

static bool contains_agg(const ed_ast *n)
{
    if (!n) return false;
    if (n->kind == AST_CALL && (ed_registry_agg(n->str) || (n->distinct && !strcmp(n->str, "count")))) return true;
    for (int i = 0; i < n->nargs; i++)
        if (contains_agg(n->args[i])) return true;
    return false;
}

static bool is_bool(ed_expr *e) { return ed_expr_type(e) == ED_BOOL || ed_expr_type(e) == ED_NULL; }

static char *output_name(const ed_select_item *it, int idx)
{
    if (it->alias) return ed_xstrdup(it->alias);
    if (it->expr->kind == AST_COLUMN) return ed_xstrdup(it->expr->str);
    if (it->expr->kind == AST_CALL) return ed_xstrdup(it->expr->str);
    char buf[32];
    snprintf(buf, sizeof buf, "col%d", idx + 1);
    return ed_xstrdup(buf);
}

static void add_out(ed_plan *p, ed_expr *e, char *name)
{
    p->out = ed_xrealloc(p->out, sizeof(ed_expr *) * (size_t)(p->nout + 1));
    p->out_names = ed_xrealloc(p->out_names, sizeof(char *) * (size_t)(p->nout + 1));
    p->out[p->nout] = e;
    p->out_names[p->nout] = name;
    p->nout++;
}

static int check_window(const ed_select *sel, ed_error *err)
{
    if (sel->size_ms <= 0) {
        ed_error_set(err, sel->size_pos, "window SIZE must be positive");
        return -1;
    }
    if (sel->window == WIN_HOPPING) {
        if (sel->advance_ms <= 0) {
            ed_error_set(err, sel->advance_pos, "window ADVANCE BY must be positive");
            return -1;
        }
        if (sel->advance_ms > sel->size_ms) {
            ed_error_set(err, sel->advance_pos,
                    "HOPPING window ADVANCE BY (%lld ms) is greater than SIZE (%lld ms): events between windows would be lost",
                    (long long)sel->advance_ms, (long long)sel->size_ms);
            return -1;
        }
    }
    return 0;
}

static int64_t gcd64(int64_t a, int64_t b)
{
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

ed_plan *ed_plan_build(ed_engine *e, const ed_select *sel, ed_stream_def *stream, ed_error *err)
{
    (void)e;
    ed_plan *p = ed_xcalloc(1, sizeof *p);
    p->stream = stream;
    bind_ctx b = {.p = p, .sel = sel, .stream = stream};
    ed_expr_resolver in = {&b, NULL, input_column};

    bool has_agg = contains_agg(sel->having);
    for (int i = 0; i < sel->nitems; i++) has_agg |= contains_agg(sel->items[i].expr);
    p->windowed = sel->window != WIN_NONE;
    if (!p->windowed && (has_agg || sel->ngroup || sel->having)) {
        ed_pos pos = sel->ngroup ? sel->group_by[0]->pos : sel->having ? sel->having->pos : sel->pos;
        ed_error_set(err, pos, "aggregation needs a WINDOW clause (WINDOW TUMBLING (SIZE ...) or WINDOW HOPPING (SIZE ..., ADVANCE BY ...))");
        goto fail;
    }
    if (p->windowed) {
        if (check_window(sel, err)) goto fail;
        p->wkind = sel->window;
        p->size_ms = sel->size_ms;
        p->advance_ms = sel->window == WIN_TUMBLING ? sel->size_ms : sel->advance_ms;
        p->pane_ms = gcd64(p->size_ms, p->advance_ms);
    }
    if (sel->where) {
        if (contains_agg(sel->where)) {
            ed_error_set(err, sel->where->pos, "aggregate functions are not allowed in WHERE (use HAVING)");
            goto fail;
        }
        p->where = ed_expr_compile(sel->where, &in, err);
        if (!p->where) goto fail;
        if (!is_bool(p->where)) {
            ed_error_set(err, sel->where->pos, "WHERE must be a BOOLEAN expression, not %s", ed_type_name(ed_expr_type(p->where)));
            goto fail;
        }
    }
    if (!p->windowed) {
        for (int i = 0; i < sel->nitems; i++) {
            const ed_select_item *it = &sel->items[i];
            if (it->expr->kind == AST_STAR) {
                for (int c = 0; c < stream->schema.ncols; c++) {
                    ed_ast col = {.kind = AST_COLUMN, .pos = it->pos, .str = stream->schema.cols[c].name};
                    add_out(p, ed_expr_compile(&col, &in, err), ed_xstrdup(col.str));
                }
                continue;
            }
            ed_expr *x = ed_expr_compile(it->expr, &in, err);
            if (!x) goto fail;
            add_out(p, x, output_name(it, i));
        }
    } else {
        p->ngroup = sel->ngroup;
        p->group = ed_xcalloc((size_t)p->ngroup + 1, sizeof(ed_expr *));
        p->group_text = ed_xcalloc((size_t)p->ngroup + 1, sizeof(char *));
        b.group_ast = ed_xcalloc((size_t)p->ngroup + 1, sizeof(ed_ast *));
        for (int i = 0; i < p->ngroup; i++) {
            const ed_ast *g = sel->group_by[i];
            if (contains_agg(g)) {
                ed_error_set(err, g->pos, "aggregate functions are not allowed in GROUP BY");
                goto fail;
            }
            p->group[i] = ed_expr_compile(g, &in, err);
            if (!p->group[i]) goto fail;
            b.group_ast[i] = g;
            ed_sb sb = ED_SB_INIT;
            ed_ast_text(g, &sb);
            p->group_text[i] = ed_sb_steal(&sb);
        }
        b.post = true;
        ed_expr_resolver post = {&b, post_pre, post_column};
        for (int i = 0; i < sel->nitems; i++) {
            const ed_select_item *it = &sel->items[i];
            if (it->expr->kind == AST_STAR) {
                ed_error_set(err, it->pos, "SELECT * is not allowed in a windowed query; name the group keys and aggregates");
                goto fail;
            }
            ed_expr *x = ed_expr_compile(it->expr, &post, err);
            if (!x) goto fail;
            add_out(p, x, output_name(it, i));
        }
        if (sel->having) {
            p->having = ed_expr_compile(sel->having, &post, err);
            if (!p->having) goto fail;
            if (!is_bool(p->having)) {
                ed_error_set(err, sel->having->pos, "HAVING must be a BOOLEAN expression, not %s",
                        ed_type_name(ed_expr_type(p->having)));
                goto fail;
            }
        }
        p->npost = POST_GROUP0 + p->ngroup + p->naggs;
        p->post_names = ed_xcalloc((size_t)p->npost, sizeof(char *));
        p->post_names[POST_WS] = ed_xstrdup(PSEUDO[0]);
        p->post_names[POST_WE] = ed_xstrdup(PSEUDO[1]);
        for (int i = 0; i < p->ngroup; i++) p->post_names[POST_GROUP0 + i] = ed_xstrdup(p->group_text[i]);
        for (int i = 0; i < p->naggs; i++) p->post_names[POST_GROUP0 + p->ngroup + i] = ed_xstrdup(p->aggs[i].text);
    }
    for (int i = 0; i < p->nout; i++)
        for (int k = 0; k < i; k++)
            if (!strcmp(p->out_names[i], p->out_names[k])) {
                ed_error_set(err, sel->items[i < sel->nitems ? i : 0].pos,
                        "duplicate output column name '%s' (give it another name with AS)", p->out_names[i]);
                goto fail;
            }
    free(b.group_ast);
    free(b.agg_ast);
    return p;
fail:
    free(b.group_ast);
    free(b.agg_ast);
    ed_plan_free(p);
    return NULL;
}

void ed_plan_free(ed_plan *p)
{
    if (!p) return;
    ed_expr_free(p->where);
    ed_expr_free(p->having);
    for (int i = 0; i < p->ngroup; i++) {
        ed_expr_free(p->group[i]);
        free(p->group_text[i]);
    }
    free(p->group);
    free(p->group_text);
    for (int i = 0; i < p->naggs; i++) {
        for (int k = 0; k < p->aggs[i].nargs; k++) ed_expr_free(p->aggs[i].args[k]);
        free(p->aggs[i].args);
        free(p->aggs[i].text);
    }
    free(p->aggs);
    for (int i = 0; i < p->npost; i++) free(p->post_names[i]);
    free(p->post_names);
    for (int i = 0; i < p->nout; i++) {
        ed_expr_free(p->out[i]);
        free(p->out_names[i]);
    }
    free(p->out);
    free(p->out_names);
    free(p);
}

static void fmt_dur(int64_t ms, ed_sb *out)
{
    static const struct { int64_t ms; const char *u; } units[] = {
        {86400000, "DAY"}, {3600000, "HOUR"}, {60000, "MINUTE"}, {1000, "SECOND"}, {1, "MILLISECOND"}};
    for (int i = 0; i < 5; i++)
        if (ms % units[i].ms == 0) {
            int64_t n = ms / units[i].ms;
            ed_sb_printf(out, "%lld %s%s", (long long)n, units[i].u, n == 1 ? "" : "S");
            return;
        }
}

void ed_plan_explain(const ed_plan *p, const char *qname, const ed_sink_def *sink, ed_sb *out)
{
    const ed_stream_def *s = p->stream;
    const char **in_names = ed_xcalloc((size_t)s->schema.ncols + 1, sizeof(char *));
    for (int i = 0; i < s->schema.ncols; i++) in_names[i] = s->schema.cols[i].name;
    ed_sb_printf(out, "Query %s\n", qname ? qname : "(ad-hoc)");
    ed_sb_printf(out, "  Source: stream %s (connector %s)", s->name, s->connector ? s->connector : "?");
    if (s->ts_col >= 0) {
        ed_sb_printf(out, ", event time %s, watermark %s", s->schema.cols[s->ts_col].name, s->schema.cols[s->ts_col].name);
        if (s->wm_delay_ms) { /* no "- 0 DAYS" for WATERMARK FOR ts AS ts */
            ed_sb_puts(out, " - ");
            fmt_dur(s->wm_delay_ms, out);
        }
    } else {
        ed_sb_puts(out, ", arrival time");
    }
    ed_sb_putc(out, '\n');
    if (p->where) {
        ed_sb_puts(out, "  Filter: ");
        ed_expr_explain(p->where, in_names, out);
        ed_sb_putc(out, '\n');
    }
    const char *const *proj_names = in_names;
    if (p->windowed) {
        ed_sb_printf(out, "  WindowAggregate: %s (SIZE ", p->wkind == WIN_TUMBLING ? "TUMBLING" : "HOPPING");
        fmt_dur(p->size_ms, out);
        if (p->wkind == WIN_HOPPING) {
            ed_sb_puts(out, ", ADVANCE BY ");
            fmt_dur(p->advance_ms, out);
            ed_sb_puts(out, "), panes of ");
            fmt_dur(p->pane_ms, out);
        } else {
            ed_sb_putc(out, ')');
        }
        ed_sb_putc(out, '\n');
        ed_sb_puts(out, "    group by: ");
        if (!p->ngroup) ed_sb_puts(out, "(none)");
        for (int i = 0; i < p->ngroup; i++) {
            if (i) ed_sb_puts(out, ", ");
            ed_expr_explain(p->group[i], in_names, out);
        }
        ed_sb_puts(out, "\n    aggregates: ");
        if (!p->naggs) ed_sb_puts(out, "(none)");
        for (int i = 0; i < p->naggs; i++) {
            if (i) ed_sb_puts(out, ", ");
            ed_sb_puts(out, p->aggs[i].text);
        }
        ed_sb_putc(out, '\n');
        if (p->having) {
            ed_sb_puts(out, "  Having: ");
            ed_expr_explain(p->having, (const char *const *)p->post_names, out);
            ed_sb_putc(out, '\n');
        }
        proj_names = (const char *const *)p->post_names;
    }
    ed_sb_puts(out, "  Project: ");
    for (int i = 0; i < p->nout; i++) {
        if (i) ed_sb_puts(out, ", ");
        ed_expr_explain(p->out[i], proj_names, out);
        ed_sb_printf(out, " AS %s", p->out_names[i]);
    }
    ed_sb_putc(out, '\n');
    if (sink) ed_sb_printf(out, "  Sink: %s (connector %s)\n", sink->name, sink->connector ? sink->connector : "?");
    free(in_names);
}
