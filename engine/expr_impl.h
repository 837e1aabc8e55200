/* expr_impl.h — the compiled form of an expression, shared by
 * expr_compile.c (builds it), expr_eval.c (runs it) and expr_explain.c.
 * A program is a flat array of steps in postfix order; jumps implement
 * AND/OR short-circuit and CASE. Private to engine/expr*.c. */
#ifndef EDDY_EXPR_IMPL_H
#define EDDY_EXPR_IMPL_H
#include "expr.h"

enum {
    X_NOP,          /* placeholder (CASE branch coercion not needed) */
    X_CONST,        /* push k */
    X_SLOT,         /* push row[a] (type: declared; BIGINT widened if DOUBLE) */
    X_POP, X_DUP,
    X_TO_DOUBLE,    /* widen BIGINT on top to DOUBLE */
    X_NEG_I, X_NEG_D, X_NOT,
    /* int64 arithmetic (BIGINT, TIMESTAMP, INTERVAL); result type in type */
    X_ADD_I, X_SUB_I, X_MUL_I, X_DIV_I, X_MOD_I,
    X_ADD_D, X_SUB_D, X_MUL_D, X_DIV_D, X_MOD_D,
    X_CONCAT,
    X_CMP,          /* a: AST_OP_EQ .. AST_OP_GE */
    X_AND, X_OR,    /* combine two three-valued operands */
    X_JF_KEEP,      /* AND: top is FALSE -> jump to a, keeping it */
    X_JT_KEEP,      /* OR: top is TRUE -> jump to a, keeping it */
    X_JMP,          /* jump to a */
    X_JNT_POP,      /* pop; unless it was TRUE, jump to a */
    X_IS_NULL,      /* neg: IS NOT NULL */
    X_BETWEEN,      /* x lo hi -> bool; neg */
    X_IN,           /* x + a items on the stack; neg */
    X_IN_CONST,     /* x; a constants at p (ed_value[]), neg */
    X_LIKE,         /* x pattern; neg; k: the ESCAPE character (VARCHAR) or type 0 */
    X_CAST,         /* to type */
    X_CALL,         /* p: ed_scalar_fn, a: nargs, b: null_call */
    X_CALL_ST,      /* as X_CALL, p: ed_call_site (a function with prepare()) */
};

/* A call of a function with prepare(): the function and the state prepare()
 * built for this call site, passed to call() as ctx->state. Kept in the
 * program's arena, chained from ed_expr.sites for release(). */
typedef struct ed_call_site {
    const struct ed_scalar_fn *f;
    void *state;
    struct ed_call_site *next;
} ed_call_site;

typedef struct ed_step {
    uint8_t op;
    uint8_t type;     /* result type (cast target, call result) */
    bool neg;
    int32_t a, b;
    const void *p;
    ed_value k;
} ed_step;

/* Programs of a few common forms are recognised at compile time and run
 * without the step loop (expr_eval.c); the result is the same. */
enum {
    SH_NONE,
    SH_SLOT,        /* [SLOT a] with no widening: row[a] */
    SH_SLOT_K_D,    /* [SLOT a][CONST k, a number][ADD_D | SUB_D | MUL_D] */
    SH_SLOT_K_CMP,  /* [SLOT a][CONST k][CMP], slot and k BIGINT or TIMESTAMP */
    SH_SLOT_K_I_K_CMP, /* [SLOT a][CONST k][ADD_I..MOD_I][CONST c][CMP], all
                        * BIGINT, k not 0 or -1 for DIV_I / MOD_I */
};

struct ed_expr {
    ed_step *steps;
    int nsteps;
    uint8_t shape;    /* SH_* */
    uint8_t sh_op;    /* SH_SLOT_K_D: X_ADD_D..; SH_SLOT_K_CMP: AST_OP_* */
    uint8_t sh_type;  /* SH_SLOT_K_CMP: the slot's declared type */
    int32_t sh_slot;
    double sh_kd;     /* SH_SLOT_K_D: k as a double */
    uint8_t sh_op2;   /* SH_SLOT_K_I_K_CMP: the arithmetic step (X_ADD_I..) */
    int64_t sh_ki;    /* SH_SLOT_K_CMP: k; SH_SLOT_K_I_K_CMP: c */
    int64_t sh_ki2;   /* SH_SLOT_K_I_K_CMP: k */
    int max_depth;    /* value stack size needed */
    ed_type type;
    bool is_const;
    char *text;       /* EXPLAIN template; slots as \x01<n>\x02 */
    ed_arena arena;   /* constant strings, IN lists, text, call sites */
    ed_call_site *sites; /* X_CALL_ST states to release with the program */
};

#define ED_EXPLAIN_SLOT_OPEN '\x01'
#define ED_EXPLAIN_SLOT_CLOSE '\x02'

/* ed_expr_eval without the SH_* shortcuts (the tests compare the two). */
ed_value ed_expr_eval_general(const ed_expr *e, const ed_value *row, ed_fn_ctx *ctx);

/* LIKE with % and _ (one code point); no escape character. */
bool ed_like_match(const char *s, size_t sn, const char *p, size_t pn);
/* Whether CAST(from AS to) is allowed at compile time. */
bool ed_cast_allowed(ed_type from, ed_type to);

#endif
