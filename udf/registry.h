/* registry.h — the one registry of scalar functions and aggregates.
 *
 * Contract: built-ins register at ed_registry_builtins(); user-defined
 * functions will register through the same structs later, so the engine
 * never special-cases a function by name. The registry is immutable while
 * queries run (register at startup only); lookups are by lower-case name.
 *
 * Scalar functions: check() types a call at compile time; call() runs per
 * row. Unless null_call is set, the evaluator returns NULL without calling
 * when any argument is NULL. Strings a function returns must be allocated
 * from ctx->arena (per-batch lifetime) or point into its arguments. The
 * optional prepare() sees the constant arguments of one call site once, at
 * compile time: it can reject them (an error at that argument's position)
 * and build a read-only state (a compiled pattern) that call() finds in
 * ctx->state; release() frees it with the compiled expression.
 *
 * Aggregates follow init / step / combine / final (+ destroy, heap_bytes):
 * state is a fixed-size block of state_size bytes owned by the engine;
 * heap memory a state points to is the aggregate's own and is released by
 * destroy(). combine(dst, src) must be associative, so the engine can
 * aggregate hopping windows into panes and combine panes at emit. step()
 * receives NULL arguments too (SQL aggregates skip them); COUNT(*) receives
 * nargs == 0. step() has no ed_fn_ctx: an aggregate that hits a run-time
 * error (SUM's BIGINT overflow) remembers it in its state, final() returns
 * NULL, and the optional final_error() tells the engine, which counts each
 * such emitted result in the query's eval_errors.
 */
#ifndef EDDY_REGISTRY_H
#define EDDY_REGISTRY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../common/arena.h"
#include "../common/value.h"

typedef struct ed_fn_ctx {
    ed_arena *arena;          /* per-batch memory for result strings */
    uint64_t *div_by_zero;    /* counter to bump on division by zero */
    uint64_t *eval_errors;    /* counter for other runtime errors (bad cast...) */
    const void *state;        /* in call(): the call site's prepare() state, else NULL */
} ed_fn_ctx;

/* One call site as prepare() sees it, after check() accepted the types. */
typedef struct ed_fn_site {
    int nargs;
    const ed_type *types;     /* as given to check() */
    const bool *is_const;     /* argument i is a constant (a literal, or folded to one) */
    const ed_value *consts;   /* its value when is_const[i] (strings live as long as the program) */
    int err_arg;              /* on error: the argument to report at, -1 (default) the call */
} ed_fn_site;

typedef struct ed_scalar_fn {
    const char *name;
    int min_args, max_args;   /* max_args -1: variadic */
    bool null_call;           /* true: called even with NULL args (COALESCE, CONCAT) */
    /* Return the result type, or ED_TYPE_COUNT and write a message to err.
     * Argument type ED_NULL means an untyped NULL literal. */
    ed_type (*check)(const ed_type *args, int nargs, char *err, size_t errlen);
    ed_value (*call)(const ed_value *args, int nargs, ed_fn_ctx *ctx);
    const char *doc;          /* one line for SHOW FUNCTIONS / docs */
    /* Optional (both may be NULL). prepare() runs once per call site when the
     * expression is compiled: return 0 and set *state (NULL: no state), or -1
     * with a message in err and site->err_arg set: a compile-time error. The
     * state is shared by every evaluation (and thread) of the program, so
     * call() must only read it. release(state) runs when the program is freed
     * (only for a non-NULL state). */
    int (*prepare)(ed_fn_site *site, void **state, char *err, size_t errlen);
    void (*release)(void *state);
} ed_scalar_fn;

typedef struct ed_agg_fn {
    const char *name;         /* "count", "sum", ... ; "count_distinct" for COUNT(DISTINCT x) */
    size_t state_size;
    int min_args, max_args;
    ed_type (*check)(const ed_type *args, int nargs, char *err, size_t errlen);
    /* arg_type: the compile-time type of the argument (ED_NULL for COUNT(*)) */
    void (*init)(void *state, ed_type arg_type);
    void (*step)(void *state, const ed_value *args, int nargs);
    void (*combine)(void *dst, const void *src);
    /* Strings returned must be copied into arena (result lifetime). */
    ed_value (*final)(const void *state, ed_arena *arena);
    void (*destroy)(void *state);          /* may be NULL */
    size_t (*heap_bytes)(const void *state); /* bytes held outside state; may be NULL */
    const char *doc;
    /* Checkpoints (optional; both or neither). serialize appends the state to
     * out in a self-contained encoding (udf/ckpt_codec.h helpers); the same
     * state must give the same bytes. deserialize runs on a state that init()
     * prepared with the query's argument type, reads exactly what serialize
     * wrote, bounds-checks every read, and returns 0, or -1 on malformed
     * input, leaving the state safe to destroy(). With both NULL the engine
     * copies the state_size bytes verbatim, which is only right for states
     * without pointers: an aggregate with destroy() must provide both. */
    void (*serialize)(const void *state, ed_sb *out);
    int (*deserialize)(void *state, const unsigned char **p, const unsigned char *end);
    /* Optional (may be NULL): true when final() of this state is NULL because
     * of a run-time error (e.g. SUM's BIGINT overflow), not for lack of input.
     * The engine asks after each final() it emits and adds 1 to the query's
     * eval_errors when true (so a hopping window counts each window whose
     * result the error made NULL). Must not change the state. */
    bool (*final_error)(const void *state);
} ed_agg_fn;

/* Register built-ins once (idempotent, not thread-safe: call at startup). */
void ed_registry_builtins(void);
/* Register a UDF; returns 0, or -1 if the name exists or the struct is
 * incomplete (every aggregate needs init, step, combine and final; serialize
 * and deserialize come as a pair, and are required with destroy()). */
int ed_registry_add_scalar(const ed_scalar_fn *fn);
int ed_registry_add_agg(const ed_agg_fn *fn);
const ed_scalar_fn *ed_registry_scalar(const char *name);
const ed_agg_fn *ed_registry_agg(const char *name);
/* Iterate (for SHOW FUNCTIONS and "did you mean" suggestions); NULL past the end. */
const ed_scalar_fn *ed_registry_scalar_at(int i);
const ed_agg_fn *ed_registry_agg_at(int i);

#endif
