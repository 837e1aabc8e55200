/* ast.h — the abstract syntax tree produced by the parser.
 *
 * Contract: every node, string and array of one parse lives in the arena
 * passed to ed_parse(); freeing the arena frees the tree. Nodes carry the
 * 1-based line and column where they start, for error messages. The tree is
 * purely syntactic: names are not resolved and types are not checked (that is
 * the engine's binder). Identifiers are stored lower-cased unless they were
 * double-quoted; keywords are case-insensitive.
 */
#ifndef EDDY_AST_H
#define EDDY_AST_H
#include <stdbool.h>
#include <stdint.h>
#include "../common/value.h"

typedef struct ed_pos {
    int line, col;      /* 1-based */
    int offset;         /* byte offset in the submitted text */
} ed_pos;

typedef enum ed_ast_kind {
    AST_NULL,        /* NULL literal */
    AST_BOOL,        /* TRUE / FALSE: ival 0/1 */
    AST_INT,         /* integer literal: ival */
    AST_DOUBLE,      /* decimal/exponent literal: dval */
    AST_STRING,      /* 'text' (quotes removed, '' unescaped): str, slen */
    AST_INTERVAL,    /* INTERVAL '5' SECOND or 5 SECONDS: ival = milliseconds */
    AST_TIMESTAMP,   /* TIMESTAMP '2026-01-01T00:00:00Z': ival = epoch ms */
    AST_COLUMN,      /* name in str (also window_start / window_end) */
    AST_STAR,        /* '*' as in COUNT(*) or SELECT * */
    AST_UNARY,       /* op: '-' or AST_OP_NOT; args[0] */
    AST_BINARY,      /* op: one of ed_ast_op; args[0], args[1] */
    AST_IS_NULL,     /* args[0] IS [NOT] NULL; negated = IS NOT NULL */
    AST_BETWEEN,     /* args[0] [NOT] BETWEEN args[1] AND args[2] */
    AST_IN,          /* args[0] [NOT] IN (args[1..nargs-1]) */
    AST_LIKE,        /* args[0] [NOT] LIKE args[1] [ESCAPE args[2]] (nargs 2 or 3) */
    AST_CASE,        /* CASE [operand] WHEN w THEN t ... [ELSE e] END:
                        args = [operand if has_operand], (w, t)*, [e if has_else] */
    AST_CAST,        /* CAST(args[0] AS cast_type) */
    AST_CALL,        /* str = function name (lower-case); args; distinct for
                        COUNT(DISTINCT x); COUNT(*) has one AST_STAR arg */
} ed_ast_kind;

typedef enum ed_ast_op {
    AST_OP_ADD = 1, AST_OP_SUB, AST_OP_MUL, AST_OP_DIV, AST_OP_MOD, AST_OP_CONCAT,
    AST_OP_EQ, AST_OP_NE, AST_OP_LT, AST_OP_LE, AST_OP_GT, AST_OP_GE,
    AST_OP_AND, AST_OP_OR, AST_OP_NOT, AST_OP_NEG
} ed_ast_op;

typedef struct ed_ast ed_ast;
struct ed_ast {
    ed_ast_kind kind;
    ed_pos pos;
    int op;              /* ed_ast_op for UNARY/BINARY */
    bool negated;        /* IS NOT NULL, NOT BETWEEN, NOT IN, NOT LIKE */
    bool distinct;       /* COUNT(DISTINCT x) */
    bool has_operand, has_else; /* CASE */
    ed_type cast_type;   /* CAST target */
    int64_t ival;
    double dval;
    char *str;           /* NUL-terminated; for AST_STRING also slen */
    uint32_t slen;
    ed_ast **args;
    int nargs;
};

typedef enum ed_stmt_kind {
    ST_CREATE_STREAM = 1,
    ST_CREATE_SINK,
    ST_CREATE_QUERY,
    ST_DROP,             /* object + name (+ if_exists) */
    ST_SHOW,             /* object: OBJ_STREAM / OBJ_SINK / OBJ_QUERY (SHOW STREAMS...) or OBJ_FUNCTION */
    ST_DESCRIBE,         /* name: a stream, sink or query */
    ST_EXPLAIN,          /* name (EXPLAIN QUERY name / EXPLAIN name) or select */
    ST_SELECT,           /* ad-hoc SELECT */
} ed_stmt_kind;

typedef enum ed_object_kind { OBJ_NONE = 0, OBJ_STREAM, OBJ_SINK, OBJ_QUERY, OBJ_FUNCTION } ed_object_kind;

typedef enum ed_window_kind { WIN_NONE = 0, WIN_TUMBLING, WIN_HOPPING } ed_window_kind;

/* WITH (key = value, ...). Keys are lower-cased and may contain dots
 * (kafka.security.protocol). The value is kept as text; value_kind says how
 * it was written. */
typedef enum ed_opt_kind { OPT_STRING = 1, OPT_NUMBER, OPT_BOOL, OPT_IDENT, OPT_INTERVAL } ed_opt_kind;
typedef struct ed_option {
    char *key;
    char *value;         /* text; for OPT_INTERVAL the milliseconds as decimal text */
    ed_opt_kind value_kind;
    ed_pos pos, value_pos;
} ed_option;

typedef struct ed_coldef {
    char *name;
    ed_type type;
    ed_pos pos;
} ed_coldef;

typedef struct ed_select_item {
    ed_ast *expr;        /* AST_STAR for SELECT * */
    char *alias;         /* NULL if none */
    ed_pos pos;
} ed_select_item;

typedef struct ed_select {
    ed_pos pos;
    ed_select_item *items;
    int nitems;
    char *from;
    ed_pos from_pos;
    ed_ast *where;       /* NULL if none */
    ed_window_kind window;
    int64_t size_ms, advance_ms; /* advance_ms == size_ms for TUMBLING */
    ed_pos window_pos, size_pos, advance_pos;
    ed_ast **group_by;
    int ngroup;
    ed_ast *having;      /* NULL if none */
} ed_select;

typedef struct ed_stmt {
    ed_stmt_kind kind;
    ed_pos pos;
    int text_offset, text_len; /* the statement's text in the submission (no trailing ';') */
    char *name;          /* CREATE/DROP/DESCRIBE/EXPLAIN target */
    ed_pos name_pos;
    ed_object_kind object;  /* DROP / SHOW / EXPLAIN QUERY */
    bool if_exists, if_not_exists, or_replace;
    /* CREATE STREAM */
    ed_coldef *cols;
    int ncols;
    char *wm_col;        /* WATERMARK FOR wm_col AS wm_expr; NULL if none */
    ed_pos wm_pos;
    ed_ast *wm_expr;
    /* CREATE STREAM / SINK */
    ed_option *opts;
    int nopts;
    /* CREATE QUERY name AS INSERT INTO sink SELECT ...; ST_SELECT; ST_EXPLAIN of a SELECT */
    char *sink;
    ed_pos sink_pos;
    ed_select *select;
} ed_stmt;

#endif
