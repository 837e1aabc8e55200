/* harness.h — tiny test harness for the expression tests: hand-built AST
 * nodes (independent of the parser), a fixed test row, and CHECK macros. */
#ifndef EDDY_TEST_EXPR_HARNESS_H
#define EDDY_TEST_EXPR_HARNESS_H
#include "engine/expr.h"
#include <stdio.h>
#include <string.h>

extern int t_failures, t_checks;
extern uint64_t t_div0, t_everr;
extern ed_fn_ctx t_ctx;
extern ed_value t_row[];
extern const char *const t_names[];

#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        t_checks++;                                                        \
        if (!(cond)) {                                                     \
            t_failures++;                                                  \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                  \
            fputc('\n', stderr);                                           \
        }                                                                  \
    } while (0)

/* AST constructors; nodes live in a test arena. */
ed_ast *at(ed_ast *n, int line, int col);
ed_ast *lnull(void);
ed_ast *lb(bool b);
ed_ast *li(int64_t i);
ed_ast *ld(double d);
ed_ast *ls(const char *s);
ed_ast *lts(const char *rfc3339);
ed_ast *liv(int64_t ms);
ed_ast *col(const char *name);
ed_ast *star(void);
ed_ast *bin(int op, ed_ast *a, ed_ast *b);
ed_ast *neg(ed_ast *a);
ed_ast *not_(ed_ast *a);
ed_ast *isnull(ed_ast *a, bool negated);
ed_ast *between(ed_ast *x, ed_ast *lo, ed_ast *hi, bool negated);
ed_ast *in_(bool negated, int n, ...);      /* x, items... */
ed_ast *like(ed_ast *a, ed_ast *p, bool negated);
ed_ast *like_esc(ed_ast *a, ed_ast *p, ed_ast *esc, bool negated); /* a [NOT] LIKE p ESCAPE esc */
ed_ast *cast(ed_ast *a, ed_type t);
ed_ast *call(const char *name, int n, ...);
ed_ast *case_(bool operand, bool has_else, int n, ...);

/* Test row columns: a BIGINT=10, d DOUBLE=2.5, s VARCHAR='héllo', t
 * TIMESTAMP, b BOOLEAN=true, n BIGINT=NULL, iv INTERVAL=5000, ns VARCHAR=NULL */
extern const ed_expr_resolver t_resolver;

/* Compile (must succeed) and evaluate over t_row; counters reset first. */
ed_value ev(ed_ast *ast);
/* Compile must fail; returns the error. */
ed_error cerr(ed_ast *ast);
/* Compile and explain with t_names. */
void explain(ed_ast *ast, char *buf, size_t cap);

bool v_int(ed_value v, int64_t i);
bool v_dbl(ed_value v, double d);
bool v_bool(ed_value v, bool b);
bool v_str(ed_value v, const char *s);
bool v_null(ed_value v);
const char *show(ed_value v);

void test_aggregates(void);
void test_registry(void);

#endif
