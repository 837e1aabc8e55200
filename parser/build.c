/* build.c — AST constructors called by the grammar actions: names,
 * literals (with their validation: intervals, timestamps, integer range),
 * operators, calls, statements. Everything goes into the parse arena. */
#include "build.h"
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ed_pos ed_tok_pos(const ed_token *t)
{
    ed_pos p = {t->line, t->col, t->offset};
    return p;
}

void ed_fail(ed_pctx *c, ed_pos pos, const char *fmt, ...)
{
    if (c->failed)
        return; /* the first error is the one the user sees */
    c->failed = true;
    c->err->line = pos.line;
    c->err->col = pos.col;
    c->err->offset = pos.offset;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err->msg, sizeof c->err->msg, fmt, ap);
    va_end(ap);
}

ed_vec *ed_vec_new(ed_pctx *c) { return ed_arena_alloc(c->arena, sizeof(ed_vec)); }

ed_vec *ed_vec_push(ed_pctx *c, ed_vec *v, void *item)
{
    if (!v)
        v = ed_vec_new(c);
    if (v->n == v->cap) {
        int cap = v->cap ? v->cap * 2 : 4;
        void **nv = ed_arena_alloc(c->arena, sizeof(void *) * (size_t)cap);
        if (v->n)
            memcpy(nv, v->v, sizeof(void *) * (size_t)v->n);
        v->v = nv;
        v->cap = cap;
    }
    v->v[v->n++] = item;
    return v;
}

/* Copy a quoted token's body, turning doubled quotes into one. */
static char *unquote(ed_pctx *c, const ed_token *t, uint32_t *len)
{
    char q = t->p[0];
    char *s = ed_arena_alloc(c->arena, (size_t)t->len);
    uint32_t n = 0;
    for (int i = 1; i < t->len - 1; i++) {
        s[n++] = t->p[i];
        if (t->p[i] == q)
            i++;
    }
    s[n] = '\0';
    if (len)
        *len = n;
    return s;
}

ed_name ed_mk_name(ed_pctx *c, const ed_token *t)
{
    ed_name n = {NULL, ed_tok_pos(t)};
    if (t->type == TK_QID) {
        n.s = unquote(c, t, NULL);
    } else {
        /* identifiers and non-reserved keywords used as names: ASCII lower case */
        n.s = ed_arena_strndup(c->arena, t->p, (size_t)t->len);
        for (char *p = n.s; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
    }
    return n;
}

ed_ast *ed_mk(ed_pctx *c, ed_ast_kind kind, ed_pos pos)
{
    ed_ast *a = ed_arena_alloc(c->arena, sizeof *a);
    a->kind = kind;
    a->pos = pos;
    return a;
}

static ed_ast **args_from(ed_pctx *c, ed_vec *v, ed_ast *first, int *n)
{
    int cnt = (first ? 1 : 0) + (v ? v->n : 0);
    *n = cnt;
    if (!cnt)
        return NULL;
    ed_ast **a = ed_arena_alloc(c->arena, sizeof(ed_ast *) * (size_t)cnt);
    int k = 0;
    if (first)
        a[k++] = first;
    for (int i = 0; v && i < v->n; i++)
        a[k++] = v->v[i];
    return a;
}

ed_ast *ed_mk_lit(ed_pctx *c, const ed_token *t)
{
    ed_pos pos = ed_tok_pos(t);
    ed_ast *a;
    switch (t->type) {
    case TK_NULL:
        return ed_mk(c, AST_NULL, pos);
    case TK_TRUE:
    case TK_FALSE:
        a = ed_mk(c, AST_BOOL, pos);
        a->ival = t->type == TK_TRUE;
        return a;
    case TK_STRING:
        a = ed_mk(c, AST_STRING, pos);
        a->str = unquote(c, t, &a->slen);
        return a;
    case TK_INTEGER: {
        char buf[64];
        if (t->len < (int)sizeof buf) {
            memcpy(buf, t->p, (size_t)t->len);
            buf[t->len] = '\0';
            errno = 0;
            char *end;
            long long v = strtoll(buf, &end, 10);
            if (errno == 0 && *end == '\0') {
                a = ed_mk(c, AST_INT, pos);
                a->ival = v;
                return a;
            }
        }
        /* beyond BIGINT: keep it as a DOUBLE, as SQL engines do */
    }
    /* fallthrough */
    default: {
        char *s = ed_arena_strndup(c->arena, t->p, (size_t)t->len);
        a = ed_mk(c, AST_DOUBLE, pos);
        a->dval = strtod(s, NULL);
        if (!isfinite(a->dval))
            ed_fail(c, pos, "numeric literal out of range: %s", s);
        return a;
    }
    }
}

/* Parse the text of an interval literal ('5', ' -1.5 ') times a unit into
 * whole milliseconds. Returns 0 on success. */
static int interval_ms(const ed_token *s, int64_t unit, int64_t *out)
{
    char buf[64];
    int n = 0;
    for (int i = 1; i < s->len - 1; i++) {
        char ch = s->p[i];
        if (ch == ' ')
            continue;
        if (n >= (int)sizeof buf - 1)
            return -1;
        if (!((ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '+'))
            return -1;
        buf[n++] = ch;
    }
    buf[n] = '\0';
    if (!n)
        return -1;
    char *end;
    errno = 0;
    if (!strchr(buf, '.')) {
        long long v = strtoll(buf, &end, 10);
        if (errno || *end || (v != 0 && llabs(v) > INT64_MAX / unit))
            return -1;
        *out = v * unit;
        return 0;
    }
    double d = strtod(buf, &end);
    if (errno || *end || !isfinite(d))
        return -1;
    double ms = d * (double)unit;
    if (fabs(ms) > 9.0e15 || ms != floor(ms))
        return -1; /* must be a whole number of milliseconds */
    *out = (int64_t)ms;
    return 0;
}

static int64_t unit_ms(const ed_token *unit)
{
    const ed_keyword *kw = ed_keyword_find(unit->p, (size_t)unit->len);
    return kw ? kw->extra : 1;
}

ed_ast *ed_mk_interval(ed_pctx *c, const ed_token *kw, const ed_token *s, const ed_token *unit)
{
    ed_ast *a = ed_mk(c, AST_INTERVAL, ed_tok_pos(kw));
    if (interval_ms(s, unit_ms(unit), &a->ival) != 0)
        ed_fail(c, ed_tok_pos(s), "invalid interval %.*s: expected a number such as '5'", s->len > 40 ? 40 : s->len, s->p);
    return a;
}

ed_ast *ed_mk_timestamp(ed_pctx *c, const ed_token *kw, const ed_token *s)
{
    ed_ast *a = ed_mk(c, AST_TIMESTAMP, ed_tok_pos(kw));
    uint32_t n;
    char *txt = unquote(c, s, &n);
    if (ed_ts_parse(txt, n, &a->ival) != 0)
        ed_fail(c, ed_tok_pos(s), "invalid timestamp %.*s: expected RFC 3339 such as '2026-11-28T12:00:00Z'",
                s->len > 40 ? 40 : s->len, s->p);
    return a;
}

ed_ast *ed_mk_column(ed_pctx *c, ed_name n)
{
    ed_ast *a = ed_mk(c, AST_COLUMN, n.pos);
    a->str = n.s;
    return a;
}

ed_ast *ed_mk_unary(ed_pctx *c, const ed_token *op, int opcode, ed_ast *e)
{
    /* -5 is a literal, so BIGINT's minimum and constant folding need no help */
    if (opcode == AST_OP_NEG && e->kind == AST_INT && e->ival != INT64_MIN) {
        e->ival = -e->ival;
        e->pos = ed_tok_pos(op);
        return e;
    }
    if (opcode == AST_OP_NEG && e->kind == AST_DOUBLE) {
        e->dval = -e->dval;
        e->pos = ed_tok_pos(op);
        return e;
    }
    ed_ast *a = ed_mk(c, AST_UNARY, ed_tok_pos(op));
    a->op = opcode;
    a->args = args_from(c, NULL, e, &a->nargs);
    return a;
}

ed_ast *ed_mk_binary(ed_pctx *c, int opcode, ed_ast *x, ed_ast *y)
{
    ed_ast *a = ed_mk(c, AST_BINARY, x->pos);
    a->op = opcode;
    a->nargs = 2;
    a->args = ed_arena_alloc(c->arena, sizeof(ed_ast *) * 2);
    a->args[0] = x;
    a->args[1] = y;
    return a;
}

ed_ast *ed_mk_nary(ed_pctx *c, ed_ast_kind kind, ed_pos pos, bool negated, ed_ast *first, ed_vec *rest)
{
    ed_ast *a = ed_mk(c, kind, pos);
    a->negated = negated;
    a->args = args_from(c, rest, first, &a->nargs);
    return a;
}

ed_ast *ed_mk_call(ed_pctx *c, ed_name fn, ed_vec *args, bool distinct)
{
    ed_ast *a = ed_mk(c, AST_CALL, fn.pos);
    a->str = fn.s;
    a->distinct = distinct;
    a->args = args_from(c, args, NULL, &a->nargs);
    return a;
}

ed_ast *ed_mk_extract(ed_pctx *c, ed_name fn, ed_ast *part, ed_ast *ts)
{
    static const char *const parts[] = {"year", "month", "day", "hour", "minute", "second", "dayofweek", "dayofyear", NULL};
    const char *p = part->kind == AST_COLUMN ? part->str : NULL;
    int i = 0;
    while (p && parts[i] && strcmp(parts[i], p) != 0) i++;
    if (!p || !parts[i]) {
        ed_fail(c, part->pos, "EXTRACT expects a date part before FROM: YEAR, MONTH, DAY, HOUR, MINUTE, SECOND, "
                              "DAYOFWEEK or DAYOFYEAR");
        return ts;
    }
    ed_name n = {ed_arena_strndup(c->arena, parts[i], strlen(parts[i])), fn.pos};
    return ed_mk_call(c, n, ed_vec_push(c, NULL, ts), false);
}

ed_ast *ed_mk_case(ed_pctx *c, const ed_token *kw, ed_ast *operand, ed_vec *whens, ed_ast *els)
{
    ed_ast *a = ed_mk(c, AST_CASE, ed_tok_pos(kw));
    a->has_operand = operand != NULL;
    a->has_else = els != NULL;
    if (els)
        whens = ed_vec_push(c, whens, els);
    a->args = args_from(c, whens, operand, &a->nargs);
    return a;
}

ed_ast *ed_mk_cast(ed_pctx *c, const ed_token *kw, ed_ast *e, ed_type t)
{
    ed_ast *a = ed_mk(c, AST_CAST, ed_tok_pos(kw));
    a->cast_type = t;
    a->args = args_from(c, NULL, e, &a->nargs);
    return a;
}

ed_type ed_mk_type(ed_pctx *c, const ed_token *t, const ed_token *modifier)
{
    const ed_keyword *kw = ed_keyword_find(t->p, (size_t)t->len);
    ed_type ty = kw ? (ed_type)kw->extra : ED_NULL;
    if (modifier && modifier->type == TK_PRECISION && strcmp(kw ? kw->name : "", "DOUBLE") != 0)
        ed_fail(c, ed_tok_pos(modifier), "PRECISION only follows DOUBLE");
    if (modifier && modifier->type == TK_LP && ty != ED_VARCHAR)
        ed_fail(c, ed_tok_pos(modifier), "only VARCHAR takes a length");
    return ty;
}

ed_dur ed_mk_dur(ed_pctx *c, const ed_token *num, const ed_token *unit)
{
    ed_dur d = {0, ed_tok_pos(num)};
    ed_token s = *num; /* reuse the interval reader on the bare digits */
    s.p -= 1;
    s.len += 2;
    if (interval_ms(&s, unit_ms(unit), &d.ms) != 0)
        ed_fail(c, d.pos, "duration out of range");
    return d;
}

ed_dur ed_mk_dur_interval(ed_pctx *c, const ed_token *kw, const ed_token *s, const ed_token *unit)
{
    ed_dur d = {0, ed_tok_pos(kw)};
    if (interval_ms(s, unit_ms(unit), &d.ms) != 0)
        ed_fail(c, ed_tok_pos(s), "invalid interval %.*s: expected a number such as '5'", s->len > 40 ? 40 : s->len, s->p);
    return d;
}

ed_name ed_join_key(ed_pctx *c, ed_name a, ed_name b)
{
    size_t la = strlen(a.s), lb = strlen(b.s);
    char *s = ed_arena_alloc(c->arena, la + lb + 2);
    memcpy(s, a.s, la);
    s[la] = '.';
    memcpy(s + la + 1, b.s, lb + 1);
    a.s = s;
    return a;
}

static void lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

ed_option *ed_mk_option(ed_pctx *c, ed_name key, ed_opt_kind kind, const ed_token *v, const ed_token *sign)
{
    ed_option *o = ed_arena_alloc(c->arena, sizeof *o);
    lower(key.s);
    o->key = key.s;
    o->pos = key.pos;
    o->value_kind = kind;
    o->value_pos = ed_tok_pos(sign ? sign : v);
    switch (kind) {
    case OPT_STRING:
        o->value = unquote(c, v, NULL);
        break;
    case OPT_BOOL:
        o->value = ed_arena_strdup(c->arena, v->type == TK_TRUE ? "true" : "false");
        break;
    case OPT_IDENT:
        o->value = ed_mk_name(c, v).s;
        break;
    default: {
        char *s = ed_arena_alloc(c->arena, (size_t)v->len + 2);
        size_t k = 0;
        if (sign)
            s[k++] = '-';
        memcpy(s + k, v->p, (size_t)v->len);
        o->value = s;
        break;
    }
    }
    return o;
}

ed_option *ed_mk_option_interval(ed_pctx *c, ed_name key, const ed_token *kw, const ed_token *s, const ed_token *unit)
{
    ed_option *o = ed_arena_alloc(c->arena, sizeof *o);
    lower(key.s);
    o->key = key.s;
    o->pos = key.pos;
    o->value_kind = OPT_INTERVAL;
    o->value_pos = ed_tok_pos(kw);
    int64_t ms = 0;
    if (interval_ms(s, unit_ms(unit), &ms) != 0)
        ed_fail(c, ed_tok_pos(s), "invalid interval %.*s: expected a number such as '5'", s->len > 40 ? 40 : s->len, s->p);
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)ms);
    o->value = ed_arena_strdup(c->arena, buf);
    return o;
}

ed_select_item *ed_mk_item(ed_pctx *c, ed_ast *e, ed_name *alias)
{
    ed_select_item *it = ed_arena_alloc(c->arena, sizeof *it);
    it->expr = e;
    it->alias = alias ? alias->s : NULL;
    it->pos = e->pos;
    return it;
}

ed_select *ed_mk_select(ed_pctx *c, const ed_token *kw, ed_vec *items, ed_name from, ed_ast *where,
                        ed_winspec win, ed_vec *group, ed_ast *having)
{
    ed_select *s = ed_arena_alloc(c->arena, sizeof *s);
    s->pos = ed_tok_pos(kw);
    s->nitems = items->n;
    s->items = ed_arena_alloc(c->arena, sizeof *s->items * (size_t)items->n);
    for (int i = 0; i < items->n; i++)
        s->items[i] = *(ed_select_item *)items->v[i];
    s->from = from.s;
    s->from_pos = from.pos;
    s->where = where;
    s->window = win.kind;
    s->window_pos = win.pos;
    if (win.kind != WIN_NONE) {
        s->size_ms = win.size.ms;
        s->size_pos = win.size.pos;
        s->advance_ms = win.advance.ms;
        s->advance_pos = win.advance.pos;
        if (win.size.ms <= 0)
            ed_fail(c, win.size.pos, "window SIZE must be positive");
        else if (win.advance.ms <= 0)
            ed_fail(c, win.advance.pos, "window ADVANCE must be positive");
        else if (win.advance.ms > win.size.ms)
            ed_fail(c, win.advance.pos,
                    "ADVANCE (%lld ms) must not exceed SIZE (%lld ms): events between windows would be lost",
                    (long long)win.advance.ms, (long long)win.size.ms);
    }
    s->group_by = args_from(c, group, NULL, &s->ngroup);
    s->having = having;
    return s;
}

ed_stmt *ed_mk_stmt(ed_pctx *c, ed_stmt_kind kind, const ed_token *first)
{
    ed_stmt *st = ed_arena_alloc(c->arena, sizeof *st);
    st->kind = kind;
    if (first)
        st->pos = ed_tok_pos(first);
    return st;
}

void ed_stmt_set_stream_body(ed_pctx *c, ed_stmt *st, ed_vec *elems)
{
    int ncols = 0;
    for (int i = 0; i < elems->n; i++)
        ncols += ((ed_selem *)elems->v[i])->col != NULL;
    st->cols = ed_arena_alloc(c->arena, sizeof *st->cols * (size_t)(ncols ? ncols : 1));
    for (int i = 0; i < elems->n; i++) {
        ed_selem *e = elems->v[i];
        if (e->col) {
            for (int j = 0; j < st->ncols; j++)
                if (strcmp(st->cols[j].name, e->col->name) == 0)
                    ed_fail(c, e->pos, "duplicate column '%s'", e->col->name);
            st->cols[st->ncols++] = *e->col;
        } else if (st->wm_col) {
            ed_fail(c, e->pos, "only one WATERMARK clause is allowed");
        } else {
            st->wm_col = e->wm_col.s;
            st->wm_pos = e->wm_col.pos;
            st->wm_expr = e->wm_expr;
        }
    }
    if (ncols == 0)
        ed_fail(c, st->name_pos, "stream '%s' has no columns", st->name);
}

void ed_stmt_set_options(ed_pctx *c, ed_stmt *st, ed_vec *opts)
{
    if (!opts)
        return;
    st->opts = ed_arena_alloc(c->arena, sizeof *st->opts * (size_t)opts->n);
    for (int i = 0; i < opts->n; i++) {
        ed_option *o = opts->v[i];
        for (int j = 0; j < st->nopts; j++)
            if (strcmp(st->opts[j].key, o->key) == 0)
                ed_fail(c, o->pos, "option '%s' is given twice", o->key);
        st->opts[st->nopts++] = *o;
    }
}

void ed_add_stmt(ed_pctx *c, ed_stmt *st) { ed_vec_push(c, &c->stmts, st); }
