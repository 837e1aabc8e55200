/* expr_eval.c — runs a compiled program over one row: one loop over the
 * steps with a value stack sized at compile time (no allocation except
 * result strings in ctx->arena). Implements SQL NULL semantics and
 * three-valued logic; arithmetic errors give NULL and bump counters. */
#include "expr_impl.h"
#include "../udf/fn_util.h"
#include <math.h>
#include <string.h>

bool ed_like_match(const char *s, size_t sn, const char *p, size_t pn)
{
    size_t si = 0, pi = 0, star_p = 0, star_s = 0;
    bool star = false;
    const char *se = s + sn;
    while (si < sn) {
        if (pi < pn && p[pi] == '%') {
            while (pi < pn && p[pi] == '%') pi++;
            star = true;
            star_p = pi;
            star_s = si;
        } else if (pi < pn && p[pi] == '_') {
            si += ed_utf8_step(s + si, se);
            pi++;
        } else if (pi < pn && p[pi] == s[si]) {
            si++;
            pi++;
        } else if (star) {
            /* let the last % absorb one more code point and retry */
            star_s += ed_utf8_step(s + star_s, se);
            si = star_s;
            pi = star_p;
        } else {
            return false;
        }
    }
    while (pi < pn && p[pi] == '%') pi++;
    return pi == pn;
}

static inline ed_value typed_int(int64_t i, uint8_t t)
{
    ed_value v = ed_v_int(i);
    v.type = t;
    return v;
}

static inline int cmp_vals(const ed_value *a, const ed_value *b)
{
    if (a->type == b->type && (a->type == ED_BIGINT || a->type == ED_TIMESTAMP || a->type == ED_INTERVAL))
        return (a->u.i > b->u.i) - (a->u.i < b->u.i);
    return ed_value_cmp(a, b);
}

static inline bool cmp_result(int op, int c)
{
    switch (op) {
    case AST_OP_EQ: return c == 0;
    case AST_OP_NE: return c != 0;
    case AST_OP_LT: return c < 0;
    case AST_OP_LE: return c <= 0;
    case AST_OP_GT: return c > 0;
    default: return c >= 0;
    }
}

/* 3VL as 0 = FALSE, 1 = TRUE, 2 = NULL */
static inline int tv(const ed_value *v) { return v->type == ED_NULL ? 2 : v->u.b; }
static inline ed_value from_tv(int t) { return t == 2 ? ed_v_null() : ed_v_bool(t); }

static ed_value eval_steps(const ed_expr *e, const ed_value *row, ed_fn_ctx *ctx);

ed_value ed_expr_eval(const ed_expr *e, const ed_value *row, ed_fn_ctx *ctx)
{
    /* the forms of expr_impl.h's SH_*: what the step loop would compute */
    switch (e->shape) {
    case SH_SLOT: return row[e->sh_slot];
    case SH_SLOT_K_D: {
        const ed_value *v = &row[e->sh_slot];
        if (v->type == ED_NULL) return ed_v_null();
        double l = ed_num(v), r = e->sh_kd;
        return ed_v_double(e->sh_op == X_ADD_D ? l + r : e->sh_op == X_SUB_D ? l - r : l * r);
    }
    case SH_SLOT_K_CMP: {
        const ed_value *v = &row[e->sh_slot];
        if (v->type == ED_NULL) return ed_v_null();
        if (v->type != e->sh_type) break; /* not the declared type: the general path decides */
        return ed_v_bool(cmp_result(e->sh_op, (v->u.i > e->sh_ki) - (v->u.i < e->sh_ki)));
    }
    case SH_SLOT_K_I_K_CMP: {
        const ed_value *v = &row[e->sh_slot];
        if (v->type == ED_NULL) return ed_v_null();
        if (v->type != ED_BIGINT) break;
        int64_t l = v->u.i, k = e->sh_ki2, x;
        switch (e->sh_op2) {
        case X_ADD_I: if (__builtin_add_overflow(l, k, &x)) goto general; break; /* counted there */
        case X_SUB_I: if (__builtin_sub_overflow(l, k, &x)) goto general; break;
        case X_MUL_I: if (__builtin_mul_overflow(l, k, &x)) goto general; break;
        case X_DIV_I: x = l / k; break; /* k is not 0 or -1 */
        default: x = l % k; break;
        }
        return ed_v_bool(cmp_result(e->sh_op, (x > e->sh_ki) - (x < e->sh_ki)));
    }
    default: break;
    }
general:
    return eval_steps(e, row, ctx);
}

ed_value ed_expr_eval_general(const ed_expr *e, const ed_value *row, ed_fn_ctx *ctx)
{
    return eval_steps(e, row, ctx);
}

static __attribute__((noinline)) ed_value eval_steps(const ed_expr *e, const ed_value *row, ed_fn_ctx *ctx)
{
    ed_value st[e->max_depth];
    int sp = 0;
    const ed_step *s = e->steps;
    for (int pc = 0; pc < e->nsteps; pc++) {
        const ed_step *x = &s[pc];
        switch (x->op) {
        case X_NOP: break;
        case X_CONST: st[sp++] = x->k; break;
        case X_SLOT:
            st[sp] = row[x->a];
            if (x->type == ED_DOUBLE && st[sp].type == ED_BIGINT) st[sp] = ed_v_double((double)st[sp].u.i);
            sp++;
            break;
        case X_POP: sp--; break;
        case X_DUP: st[sp] = st[sp - 1]; sp++; break;
        case X_TO_DOUBLE:
            if (st[sp - 1].type == ED_BIGINT) st[sp - 1] = ed_v_double((double)st[sp - 1].u.i);
            break;
        case X_NEG_I: {
            ed_value *a = &st[sp - 1];
            if (a->type == ED_NULL) break;
            if (a->u.i == INT64_MIN) {
                ed_bump(ctx->eval_errors);
                *a = ed_v_null();
            } else {
                a->u.i = -a->u.i;
            }
            break;
        }
        case X_NEG_D:
            if (st[sp - 1].type != ED_NULL) st[sp - 1] = ed_v_double(-ed_num(&st[sp - 1]));
            break;
        case X_NOT:
            if (st[sp - 1].type != ED_NULL) st[sp - 1].u.b = !st[sp - 1].u.b;
            break;
        case X_ADD_I: case X_SUB_I: case X_MUL_I: case X_DIV_I: case X_MOD_I: {
            ed_value *a = &st[sp - 2], *b = &st[sp - 1];
            sp--;
            if (a->type == ED_NULL || b->type == ED_NULL) {
                *a = ed_v_null();
                break;
            }
            int64_t l = a->u.i, r = b->u.i, out = 0;
            bool ovf = false;
            switch (x->op) {
            case X_ADD_I: ovf = __builtin_add_overflow(l, r, &out); break;
            case X_SUB_I: ovf = __builtin_sub_overflow(l, r, &out); break;
            case X_MUL_I: ovf = __builtin_mul_overflow(l, r, &out); break;
            default:
                if (r == 0) {
                    ed_bump(ctx->div_by_zero);
                    *a = ed_v_null();
                    continue;
                }
                if (r == -1) { /* INT64_MIN / -1 overflows; INT64_MIN % -1 is 0 */
                    if (x->op == X_MOD_I) out = 0;
                    else ovf = __builtin_sub_overflow((int64_t)0, l, &out);
                } else {
                    out = x->op == X_DIV_I ? l / r : l % r;
                }
            }
            if (ovf) {
                ed_bump(ctx->eval_errors);
                *a = ed_v_null();
            } else {
                *a = typed_int(out, x->type);
            }
            break;
        }
        case X_ADD_D: case X_SUB_D: case X_MUL_D: case X_DIV_D: case X_MOD_D: {
            ed_value *a = &st[sp - 2], *b = &st[sp - 1];
            sp--;
            if (a->type == ED_NULL || b->type == ED_NULL) {
                *a = ed_v_null();
                break;
            }
            double l = ed_num(a), r = ed_num(b), out;
            switch (x->op) {
            case X_ADD_D: out = l + r; break;
            case X_SUB_D: out = l - r; break;
            case X_MUL_D: out = l * r; break;
            default:
                if (r == 0) {
                    ed_bump(ctx->div_by_zero);
                    *a = ed_v_null();
                    continue;
                }
                out = x->op == X_DIV_D ? l / r : fmod(l, r);
            }
            *a = ed_v_double(out);
            break;
        }
        case X_CONCAT: {
            ed_value *a = &st[sp - 2], *b = &st[sp - 1];
            sp--;
            if (a->type == ED_NULL || b->type == ED_NULL) {
                *a = ed_v_null();
                break;
            }
            size_t n = (size_t)a->len + b->len;
            if (n > UINT32_MAX) {
                ed_bump(ctx->eval_errors);
                *a = ed_v_null();
                break;
            }
            char *p = ed_arena_alloc(ctx->arena, n + 1);
            if (a->len) memcpy(p, a->u.s, a->len);
            if (b->len) memcpy(p + a->len, b->u.s, b->len);
            *a = ed_v_str(p, (uint32_t)n);
            break;
        }
        case X_CMP: {
            ed_value *a = &st[sp - 2], *b = &st[sp - 1];
            sp--;
            if (a->type == ED_NULL || b->type == ED_NULL) *a = ed_v_null();
            else *a = ed_v_bool(cmp_result(x->a, cmp_vals(a, b)));
            break;
        }
        case X_AND: {
            int l = tv(&st[sp - 2]), r = tv(&st[sp - 1]);
            sp--;
            st[sp - 1] = from_tv(l == 0 || r == 0 ? 0 : (l == 2 || r == 2 ? 2 : 1));
            break;
        }
        case X_OR: {
            int l = tv(&st[sp - 2]), r = tv(&st[sp - 1]);
            sp--;
            st[sp - 1] = from_tv(l == 1 || r == 1 ? 1 : (l == 2 || r == 2 ? 2 : 0));
            break;
        }
        case X_JF_KEEP:
            if (st[sp - 1].type == ED_BOOL && !st[sp - 1].u.b) pc = x->a - 1;
            break;
        case X_JT_KEEP:
            if (st[sp - 1].type == ED_BOOL && st[sp - 1].u.b) pc = x->a - 1;
            break;
        case X_JMP: pc = x->a - 1; break;
        case X_JNT_POP:
            sp--;
            if (!(st[sp].type == ED_BOOL && st[sp].u.b)) pc = x->a - 1;
            break;
        case X_IS_NULL: st[sp - 1] = ed_v_bool((st[sp - 1].type == ED_NULL) != x->neg); break;
        case X_BETWEEN: {
            ed_value *v = &st[sp - 3], *lo = &st[sp - 2], *hi = &st[sp - 1];
            sp -= 2;
            /* x >= lo AND x <= hi, in three-valued logic */
            int a = v->type == ED_NULL || lo->type == ED_NULL ? 2 : cmp_vals(v, lo) >= 0;
            int b = v->type == ED_NULL || hi->type == ED_NULL ? 2 : cmp_vals(v, hi) <= 0;
            int r = a == 0 || b == 0 ? 0 : (a == 2 || b == 2 ? 2 : 1);
            if (x->neg && r != 2) r = !r;
            *v = from_tv(r);
            break;
        }
        case X_IN:
        case X_IN_CONST: {
            const ed_value *items = x->op == X_IN ? &st[sp - x->a] : (const ed_value *)x->p;
            ed_value *v = x->op == X_IN ? &st[sp - x->a - 1] : &st[sp - 1];
            if (x->op == X_IN) sp -= x->a;
            int r;
            if (v->type == ED_NULL) {
                r = 2;
            } else {
                r = 0; /* not found: FALSE, or NULL if the list holds a NULL */
                for (int i = 0; i < x->a; i++) {
                    if (items[i].type == ED_NULL) r = 2;
                    else if (cmp_vals(v, &items[i]) == 0) {
                        r = 1;
                        break;
                    }
                }
            }
            if (x->neg && r != 2) r = !r;
            *v = from_tv(r);
            break;
        }
        case X_LIKE: {
            ed_value *a = &st[sp - 2], *b = &st[sp - 1];
            sp--;
            if (a->type == ED_NULL || b->type == ED_NULL) *a = ed_v_null();
            else if (x->k.type == ED_VARCHAR) { /* LIKE ... ESCAPE x->k */
                int r = ed_like_match_esc(a->u.s, a->len, b->u.s, b->len, x->k.u.s, x->k.len);
                if (r < 0) ed_bump(ctx->eval_errors);
                *a = r < 0 ? ed_v_null() : ed_v_bool((r == 1) != x->neg);
            } else *a = ed_v_bool(ed_like_match(a->u.s, a->len, b->u.s, b->len) != x->neg);
            break;
        }
        case X_CAST: st[sp - 1] = ed_value_cast(st[sp - 1], (ed_type)x->type, ctx); break;
        case X_CALL:
        case X_CALL_ST: {
            const ed_call_site *cs = x->op == X_CALL_ST ? x->p : NULL;
            const ed_scalar_fn *f = cs ? cs->f : x->p;
            int n = x->a;
            ed_value *args = &st[sp - n];
            ed_value r;
            bool skip = false;
            if (!x->b)
                for (int i = 0; i < n; i++)
                    if (args[i].type == ED_NULL) skip = true;
            if (skip) r = ed_v_null();
            else if (cs) {
                /* the caller's ctx stays untouched: programs may run on several threads */
                ed_fn_ctx sc = *ctx;
                sc.state = cs->state;
                r = f->call(args, n, &sc);
            } else r = f->call(args, n, ctx);
            if (x->type == ED_DOUBLE && r.type == ED_BIGINT) r = ed_v_double((double)r.u.i);
            sp -= n;
            st[sp++] = r;
            break;
        }
        }
    }
    return sp > 0 ? st[sp - 1] : ed_v_null();
}

bool ed_expr_eval_pred(const ed_expr *e, const ed_value *row, ed_fn_ctx *ctx)
{
    ed_value v = ed_expr_eval(e, row, ctx);
    return v.type == ED_BOOL && v.u.b;
}
