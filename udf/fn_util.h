/* fn_util.h — helpers shared by the built-in functions and the expression
 * evaluator (UTF-8 code points, value-to-text), plus the built-in tables.
 * Private to udf/ and engine/expr*.c; not part of the registry contract. */
#ifndef EDDY_UDF_FN_UTIL_H
#define EDDY_UDF_FN_UTIL_H
#include "registry.h"

/* Number of code points in s[0..n) (counts non-continuation bytes, so
 * malformed input still gives a stable answer). */
int64_t ed_utf8_len(const char *s, size_t n);
/* Byte length of the code point starting at s (1 for invalid lead bytes),
 * never past end. */
size_t ed_utf8_step(const char *s, const char *end);

/* LIKE ... ESCAPE: esc is one code point of escn > 0 bytes; the code point
 * after it in the pattern is matched literally (so "!%" is a '%', "!!" a
 * '!'). Returns 1 match, 0 no match, -1 if the pattern ends with the escape
 * (ed_like_pattern_check: 0 if the pattern is well-formed, else -1). */
int ed_like_match_esc(const char *s, size_t sn, const char *p, size_t pn, const char *esc, size_t escn);
int ed_like_pattern_check(const char *p, size_t pn, const char *esc, size_t escn);

/* Render v as text the way CAST(v AS VARCHAR) does; bytes from arena when
 * needed. NULL stays NULL. */
ed_value ed_value_to_text(ed_value v, ed_arena *arena);

/* BIGINT or DOUBLE as a double. */
static inline double ed_num(const ed_value *v) { return v->type == ED_DOUBLE ? v->u.d : (double)v->u.i; }
static inline bool ed_is_num(ed_type t) { return t == ED_BIGINT || t == ED_DOUBLE; }
static inline void ed_bump(uint64_t *c) { if (c) ++*c; }

/* Built-in tables (fn_*.c, agg_*.c) for ed_registry_builtins(). */
extern const ed_scalar_fn ed_builtin_math[];
extern const int ed_builtin_math_n;
extern const ed_scalar_fn ed_builtin_string[];
extern const int ed_builtin_string_n;
extern const ed_scalar_fn ed_builtin_null[];
extern const int ed_builtin_null_n;
extern const ed_scalar_fn ed_builtin_time[];
extern const int ed_builtin_time_n;
extern const ed_scalar_fn ed_builtin_regex[];
extern const int ed_builtin_regex_n;
extern const ed_agg_fn ed_builtin_aggs[];
extern const int ed_builtin_aggs_n;
extern const ed_agg_fn ed_builtin_count_distinct;

#endif
