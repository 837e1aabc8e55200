/* grammar.y — the eddy SQL grammar (lemon). The single source of the
 * language: every statement, clause and operator precedence is here.
 * Actions only build arena-allocated AST nodes (build.c). lemon must report
 * zero conflicts; parser.cmake fails the build otherwise. */

%name edParse
%token_prefix TK_
%token_type {ed_token}
%extra_argument {ed_pctx *ctx}
%stack_size 400
%start_symbol input

%include {
#include <assert.h>
#include <string.h>
#include "build.h"
}

%syntax_error {
    /* parse.c checks every token before feeding it, so this is a backstop. */
    (void)yymajor;
    if (!ctx->failed)
        ed_fail(ctx, ed_tok_pos(&TOKEN), "syntax error");
}
%stack_overflow {
    /* reported at the token whose shift would pass %stack_size */
    ed_fail(ctx, ctx->tok_pos, "statement too deeply nested");
}

/* Terminals the lexer produces that the rules below may not mention first. */
%token ID QID INTEGER DECIMAL STRING TYPE UNIT SEMI DOT.

/* Non-reserved words: where a name is expected and the word has no meaning
 * of its own, it is read as an identifier (a column may be called "size"). */
%fallback ID REPLACE STREAM SINK QUERY STREAMS SINKS QUERIES FUNCTIONS
    WATERMARK TUMBLING HOPPING SIZE ADVANCE PRECISION TYPE UNIT SHOW DESCRIBE EXPLAIN ESCAPE.

/* Operator precedence, lowest first. */
%left OR.
%left AND.
%right NOT.
%left IS BETWEEN IN LIKE EQ NE LT LE GT GE.
%left ESCAPE.  /* above LIKE: "x LIKE p ESCAPE e" shifts ESCAPE */
%left CONCAT.
%left PLUS MINUS.
%left STAR SLASH PERCENT.
%right UMINUS.

input ::= stmt_list.
stmt_list ::= stmt_opt.
stmt_list ::= stmt_list SEMI stmt_opt.
stmt_opt ::= .
stmt_opt ::= stmt(S). { ed_add_stmt(ctx, S); }

/* ---- names ------------------------------------------------------------ */
%type name {ed_name}
name(A) ::= ID(T).  { A = ed_mk_name(ctx, &T); }
name(A) ::= QID(T). { A = ed_mk_name(ctx, &T); }

/* ---- CREATE STREAM / SINK / QUERY --------------------------------------- */
%type or_replace {int}
or_replace(A) ::= .            { A = 0; }
or_replace(A) ::= OR REPLACE.  { A = 1; }
%type if_not_exists {int}
if_not_exists(A) ::= .               { A = 0; }
if_not_exists(A) ::= IF NOT EXISTS.  { A = 1; }
%type if_exists {int}
if_exists(A) ::= .           { A = 0; }
if_exists(A) ::= IF EXISTS.  { A = 1; }

%type stmt {ed_stmt *}
stmt(A) ::= CREATE(C) or_replace(R) STREAM if_not_exists(E) name(N) LP stream_elems(B) RP with_opt(W). {
    A = ed_mk_stmt(ctx, ST_CREATE_STREAM, &C);
    A->or_replace = R; A->if_not_exists = E; A->name = N.s; A->name_pos = N.pos;
    ed_stmt_set_stream_body(ctx, A, B);
    ed_stmt_set_options(ctx, A, W);
}
stmt(A) ::= CREATE(C) or_replace(R) SINK if_not_exists(E) name(N) with_opt(W). {
    A = ed_mk_stmt(ctx, ST_CREATE_SINK, &C);
    A->or_replace = R; A->if_not_exists = E; A->name = N.s; A->name_pos = N.pos;
    ed_stmt_set_options(ctx, A, W);
}
stmt(A) ::= CREATE(C) or_replace(R) QUERY if_not_exists(E) name(N) AS INSERT INTO name(K) select(S). {
    A = ed_mk_stmt(ctx, ST_CREATE_QUERY, &C);
    A->or_replace = R; A->if_not_exists = E; A->name = N.s; A->name_pos = N.pos;
    A->sink = K.s; A->sink_pos = K.pos; A->select = S;
}

%type stream_elems {ed_vec *}
stream_elems(A) ::= stream_elem(E).                         { A = ed_vec_push(ctx, NULL, E); }
stream_elems(A) ::= stream_elems(L) COMMA stream_elem(E).   { A = ed_vec_push(ctx, L, E); }
%type stream_elem {ed_selem *}
stream_elem(A) ::= name(N) typename(T). {
    A = ed_arena_alloc(ctx->arena, sizeof *A);
    A->col = ed_arena_alloc(ctx->arena, sizeof *A->col);
    A->col->name = N.s; A->col->type = T; A->col->pos = N.pos; A->pos = N.pos;
}
stream_elem(A) ::= WATERMARK(W) FOR name(N) AS expr(E). {
    A = ed_arena_alloc(ctx->arena, sizeof *A);
    A->wm_col = N; A->wm_expr = E; A->pos = ed_tok_pos(&W);
}

%type typename {ed_type}
typename(A) ::= TYPE(T).                         { A = ed_mk_type(ctx, &T, NULL); }
typename(A) ::= TYPE(T) PRECISION(P).            { A = ed_mk_type(ctx, &T, &P); }
typename(A) ::= TYPE(T) LP(P) INTEGER RP.        { A = ed_mk_type(ctx, &T, &P); }
typename(A) ::= TIMESTAMP.                       { A = ED_TIMESTAMP; }

%type with_opt {ed_vec *}
with_opt(A) ::= .                          { A = NULL; }
with_opt(A) ::= WITH LP options(L) RP.     { A = L; }
%type options {ed_vec *}
options(A) ::= option(O).                  { A = ed_vec_push(ctx, NULL, O); }
options(A) ::= options(L) COMMA option(O). { A = ed_vec_push(ctx, L, O); }
%type option {ed_option *}
option(A) ::= optkey(K) EQ STRING(V).      { A = ed_mk_option(ctx, K, OPT_STRING, &V, NULL); }
option(A) ::= optkey(K) EQ INTEGER(V).     { A = ed_mk_option(ctx, K, OPT_NUMBER, &V, NULL); }
option(A) ::= optkey(K) EQ DECIMAL(V).     { A = ed_mk_option(ctx, K, OPT_NUMBER, &V, NULL); }
option(A) ::= optkey(K) EQ MINUS(S) INTEGER(V). { A = ed_mk_option(ctx, K, OPT_NUMBER, &V, &S); }
option(A) ::= optkey(K) EQ MINUS(S) DECIMAL(V). { A = ed_mk_option(ctx, K, OPT_NUMBER, &V, &S); }
option(A) ::= optkey(K) EQ TRUE(V).        { A = ed_mk_option(ctx, K, OPT_BOOL, &V, NULL); }
option(A) ::= optkey(K) EQ FALSE(V).       { A = ed_mk_option(ctx, K, OPT_BOOL, &V, NULL); }
option(A) ::= optkey(K) EQ ID(V).          { A = ed_mk_option(ctx, K, OPT_IDENT, &V, NULL); }
option(A) ::= optkey(K) EQ QID(V).         { A = ed_mk_option(ctx, K, OPT_IDENT, &V, NULL); }
option(A) ::= optkey(K) EQ INTERVAL(I) STRING(S) UNIT(U). { A = ed_mk_option_interval(ctx, K, &I, &S, &U); }
%type optkey {ed_name}
optkey(A) ::= name(N).                     { A = N; }
optkey(A) ::= GROUP(T).                    { A = ed_mk_name(ctx, &T); } /* WITH (group = ...) for Kafka consumer groups */
optkey(A) ::= optkey(K) DOT name(N).       { A = ed_join_key(ctx, K, N); }
optkey(A) ::= optkey(K) DOT GROUP(T).      { ed_name n = ed_mk_name(ctx, &T); A = ed_join_key(ctx, K, n); }

/* ---- DROP / SHOW / DESCRIBE / EXPLAIN ----------------------------------- */
%type objkind {int}
objkind(A) ::= STREAM. { A = OBJ_STREAM; }
objkind(A) ::= SINK.   { A = OBJ_SINK; }
objkind(A) ::= QUERY.  { A = OBJ_QUERY; }

stmt(A) ::= DROP(D) objkind(O) if_exists(E) name(N). {
    A = ed_mk_stmt(ctx, ST_DROP, &D);
    A->object = O; A->if_exists = E; A->name = N.s; A->name_pos = N.pos;
}
stmt(A) ::= SHOW(S) STREAMS.   { A = ed_mk_stmt(ctx, ST_SHOW, &S); A->object = OBJ_STREAM; }
stmt(A) ::= SHOW(S) SINKS.     { A = ed_mk_stmt(ctx, ST_SHOW, &S); A->object = OBJ_SINK; }
stmt(A) ::= SHOW(S) QUERIES.   { A = ed_mk_stmt(ctx, ST_SHOW, &S); A->object = OBJ_QUERY; }
stmt(A) ::= SHOW(S) FUNCTIONS. { A = ed_mk_stmt(ctx, ST_SHOW, &S); A->object = OBJ_FUNCTION; }
stmt(A) ::= DESCRIBE(D) name(N). {
    A = ed_mk_stmt(ctx, ST_DESCRIBE, &D); A->name = N.s; A->name_pos = N.pos;
}
stmt(A) ::= EXPLAIN(X) name(N). {
    A = ed_mk_stmt(ctx, ST_EXPLAIN, &X); A->name = N.s; A->name_pos = N.pos;
}
stmt(A) ::= EXPLAIN(X) QUERY name(N). {
    A = ed_mk_stmt(ctx, ST_EXPLAIN, &X); A->object = OBJ_QUERY; A->name = N.s; A->name_pos = N.pos;
}
stmt(A) ::= EXPLAIN(X) select(S). {
    A = ed_mk_stmt(ctx, ST_EXPLAIN, &X); A->select = S;
}
stmt(A) ::= select(S). {
    A = ed_mk_stmt(ctx, ST_SELECT, NULL); A->pos = S->pos; A->select = S;
}

/* ---- SELECT ------------------------------------------------------------- */
%type select {ed_select *}
select(A) ::= SELECT(S) sel_items(I) FROM name(F) where_opt(W) window_opt(N) group_opt(G) having_opt(H). {
    A = ed_mk_select(ctx, &S, I, F, W, N, G, H);
}
%type sel_items {ed_vec *}
sel_items(A) ::= sel_item(I).                     { A = ed_vec_push(ctx, NULL, I); }
sel_items(A) ::= sel_items(L) COMMA sel_item(I).  { A = ed_vec_push(ctx, L, I); }
%type sel_item {ed_select_item *}
sel_item(A) ::= STAR(S).               { A = ed_mk_item(ctx, ed_mk(ctx, AST_STAR, ed_tok_pos(&S)), NULL); }
sel_item(A) ::= expr(E).               { A = ed_mk_item(ctx, E, NULL); }
sel_item(A) ::= expr(E) AS name(N).    { A = ed_mk_item(ctx, E, &N); }

%type where_opt {ed_ast *}
where_opt(A) ::= .              { A = NULL; }
where_opt(A) ::= WHERE expr(E). { A = E; }

%type window_opt {ed_winspec}
window_opt(A) ::= . { memset(&A, 0, sizeof A); }
window_opt(A) ::= WINDOW(W) TUMBLING LP SIZE duration(S) RP. {
    memset(&A, 0, sizeof A);
    A.kind = WIN_TUMBLING; A.pos = ed_tok_pos(&W); A.size = S; A.advance = S;
}
window_opt(A) ::= WINDOW(W) HOPPING LP SIZE duration(S) COMMA ADVANCE BY duration(D) RP. {
    memset(&A, 0, sizeof A);
    A.kind = WIN_HOPPING; A.pos = ed_tok_pos(&W); A.size = S; A.advance = D;
}
%type duration {ed_dur}
duration(A) ::= INTEGER(N) UNIT(U).             { A = ed_mk_dur(ctx, &N, &U); }
duration(A) ::= INTERVAL(I) STRING(S) UNIT(U).  { A = ed_mk_dur_interval(ctx, &I, &S, &U); }

%type group_opt {ed_vec *}
group_opt(A) ::= .                       { A = NULL; }
group_opt(A) ::= GROUP BY exprlist(L).   { A = L; }
%type having_opt {ed_ast *}
having_opt(A) ::= .               { A = NULL; }
having_opt(A) ::= HAVING expr(E). { A = E; }

/* ---- expressions -------------------------------------------------------- */
%type expr {ed_ast *}
%type exprlist {ed_vec *}
exprlist(A) ::= expr(E).                     { A = ed_vec_push(ctx, NULL, E); }
exprlist(A) ::= exprlist(L) COMMA expr(E).   { A = ed_vec_push(ctx, L, E); }

expr(A) ::= NULL(T).     { A = ed_mk_lit(ctx, &T); }
expr(A) ::= TRUE(T).     { A = ed_mk_lit(ctx, &T); }
expr(A) ::= FALSE(T).    { A = ed_mk_lit(ctx, &T); }
expr(A) ::= INTEGER(T).  { A = ed_mk_lit(ctx, &T); }
expr(A) ::= DECIMAL(T).  { A = ed_mk_lit(ctx, &T); }
expr(A) ::= STRING(T).   { A = ed_mk_lit(ctx, &T); }
expr(A) ::= INTERVAL(I) STRING(S) UNIT(U). { A = ed_mk_interval(ctx, &I, &S, &U); }
expr(A) ::= TIMESTAMP(T) STRING(S).        { A = ed_mk_timestamp(ctx, &T, &S); }
expr(A) ::= name(N).                       { A = ed_mk_column(ctx, N); }
expr(A) ::= LP expr(E) RP.                 { A = E; }

expr(A) ::= name(N) LP RP.                        { A = ed_mk_call(ctx, N, NULL, false); }
expr(A) ::= name(N) LP exprlist(L) RP.            { A = ed_mk_call(ctx, N, L, false); }
expr(A) ::= name(N) LP DISTINCT exprlist(L) RP.   { A = ed_mk_call(ctx, N, L, true); }
expr(A) ::= name(N) LP STAR(S) RP. {
    A = ed_mk_call(ctx, N, ed_vec_push(ctx, NULL, ed_mk(ctx, AST_STAR, ed_tok_pos(&S))), false);
}
/* SUBSTRING(s FROM start [FOR len]) is sugar for SUBSTRING(s, start[, len]);
 * EXTRACT(part FROM ts) for the date part's function, part(ts). */
expr(A) ::= name(N) LP expr(S) FROM expr(F) RP. {
    if (strcmp(N.s, "extract") == 0) {
        A = ed_mk_extract(ctx, N, S, F);
    } else {
        A = ed_mk_call(ctx, N, ed_vec_push(ctx, ed_vec_push(ctx, NULL, S), F), false);
        if (strcmp(N.s, "substring") != 0)
            ed_fail(ctx, N.pos, "FROM inside parentheses is only valid in SUBSTRING(s FROM start FOR length) and EXTRACT(part FROM ts)");
    }
}
expr(A) ::= name(N) LP expr(S) FROM expr(F) FOR expr(L) RP. {
    A = ed_mk_call(ctx, N, ed_vec_push(ctx, ed_vec_push(ctx, ed_vec_push(ctx, NULL, S), F), L), false);
    if (strcmp(N.s, "substring") != 0)
        ed_fail(ctx, N.pos, "FROM inside parentheses is only valid in SUBSTRING(s FROM start FOR length) and EXTRACT(part FROM ts)");
}

expr(A) ::= CASE(C) case_operand(O) when_list(W) case_else(E) END. { A = ed_mk_case(ctx, &C, O, W, E); }
%type case_operand {ed_ast *}
case_operand(A) ::= .         { A = NULL; }
case_operand(A) ::= expr(E).  { A = E; }
%type when_list {ed_vec *}
when_list(A) ::= WHEN expr(W) THEN expr(T).               { A = ed_vec_push(ctx, ed_vec_push(ctx, NULL, W), T); }
when_list(A) ::= when_list(L) WHEN expr(W) THEN expr(T).  { A = ed_vec_push(ctx, ed_vec_push(ctx, L, W), T); }
%type case_else {ed_ast *}
case_else(A) ::= .              { A = NULL; }
case_else(A) ::= ELSE expr(E).  { A = E; }

expr(A) ::= CAST(C) LP expr(E) AS typename(T) RP.  { A = ed_mk_cast(ctx, &C, E, T); }

expr(A) ::= MINUS(O) expr(E). [UMINUS]  { A = ed_mk_unary(ctx, &O, AST_OP_NEG, E); }
expr(A) ::= PLUS expr(E). [UMINUS]      { A = E; }
expr(A) ::= NOT(O) expr(E).             { A = ed_mk_unary(ctx, &O, AST_OP_NOT, E); }

expr(A) ::= expr(X) PLUS expr(Y).     { A = ed_mk_binary(ctx, AST_OP_ADD, X, Y); }
expr(A) ::= expr(X) MINUS expr(Y).    { A = ed_mk_binary(ctx, AST_OP_SUB, X, Y); }
expr(A) ::= expr(X) STAR expr(Y).     { A = ed_mk_binary(ctx, AST_OP_MUL, X, Y); }
expr(A) ::= expr(X) SLASH expr(Y).    { A = ed_mk_binary(ctx, AST_OP_DIV, X, Y); }
expr(A) ::= expr(X) PERCENT expr(Y).  { A = ed_mk_binary(ctx, AST_OP_MOD, X, Y); }
expr(A) ::= expr(X) CONCAT expr(Y).   { A = ed_mk_binary(ctx, AST_OP_CONCAT, X, Y); }
expr(A) ::= expr(X) EQ expr(Y).       { A = ed_mk_binary(ctx, AST_OP_EQ, X, Y); }
expr(A) ::= expr(X) NE expr(Y).       { A = ed_mk_binary(ctx, AST_OP_NE, X, Y); }
expr(A) ::= expr(X) LT expr(Y).       { A = ed_mk_binary(ctx, AST_OP_LT, X, Y); }
expr(A) ::= expr(X) LE expr(Y).       { A = ed_mk_binary(ctx, AST_OP_LE, X, Y); }
expr(A) ::= expr(X) GT expr(Y).       { A = ed_mk_binary(ctx, AST_OP_GT, X, Y); }
expr(A) ::= expr(X) GE expr(Y).       { A = ed_mk_binary(ctx, AST_OP_GE, X, Y); }
expr(A) ::= expr(X) AND expr(Y).      { A = ed_mk_binary(ctx, AST_OP_AND, X, Y); }
expr(A) ::= expr(X) OR expr(Y).       { A = ed_mk_binary(ctx, AST_OP_OR, X, Y); }

expr(A) ::= expr(X) IS NULL. {
    A = ed_mk_nary(ctx, AST_IS_NULL, X->pos, false, X, NULL);
}
expr(A) ::= expr(X) IS NOT NULL. {
    A = ed_mk_nary(ctx, AST_IS_NULL, X->pos, true, X, NULL);
}
/* The NOT forms are spelled out: an empty "not_opt" rule would have to be
 * reduced before the operator is seen and clash with finishing the left
 * operand. */
expr(A) ::= expr(X) BETWEEN expr(L) AND expr(H). [BETWEEN] {
    A = ed_mk_nary(ctx, AST_BETWEEN, X->pos, false, X, ed_vec_push(ctx, ed_vec_push(ctx, NULL, L), H));
}
expr(A) ::= expr(X) NOT BETWEEN expr(L) AND expr(H). [BETWEEN] {
    A = ed_mk_nary(ctx, AST_BETWEEN, X->pos, true, X, ed_vec_push(ctx, ed_vec_push(ctx, NULL, L), H));
}
expr(A) ::= expr(X) IN LP exprlist(L) RP. [IN] {
    A = ed_mk_nary(ctx, AST_IN, X->pos, false, X, L);
}
expr(A) ::= expr(X) NOT IN LP exprlist(L) RP. [IN] {
    A = ed_mk_nary(ctx, AST_IN, X->pos, true, X, L);
}
expr(A) ::= expr(X) LIKE expr(P). [LIKE] {
    A = ed_mk_nary(ctx, AST_LIKE, X->pos, false, X, ed_vec_push(ctx, NULL, P));
}
expr(A) ::= expr(X) NOT LIKE expr(P). [LIKE] {
    A = ed_mk_nary(ctx, AST_LIKE, X->pos, true, X, ed_vec_push(ctx, NULL, P));
}
/* The escape is any expression here; the binder requires a one-character
 * string literal and reports anything else at its position. */
expr(A) ::= expr(X) LIKE expr(P) ESCAPE expr(E). [LIKE] {
    A = ed_mk_nary(ctx, AST_LIKE, X->pos, false, X, ed_vec_push(ctx, ed_vec_push(ctx, NULL, P), E));
}
expr(A) ::= expr(X) NOT LIKE expr(P) ESCAPE expr(E). [LIKE] {
    A = ed_mk_nary(ctx, AST_LIKE, X->pos, true, X, ed_vec_push(ctx, ed_vec_push(ctx, NULL, P), E));
}

%code {
/* Would the parser, in its current state, accept terminal tok? Replays
 * lemon's own tables on a copy of the state stack (reductions included,
 * fallback to ID included) without running any action. parse.c calls this
 * before feeding each token, so an error is caught in the state the token
 * arrived in, and the same test over every terminal lists what was
 * expected. Tied to lempar.c's table layout (Debian's lemon 3.40). */
int ed_parser_accepts(void *parser, int tok)
{
    yyParser *p = (yyParser *)parser;
    YYACTIONTYPE stk[YYSTACKDEPTH + 8];
    int top = (int)(p->yytos - p->yystack);
    if (top < 0 || top >= YYSTACKDEPTH)
        return 1; /* let the real parser report the overflow */
    for (int i = 0; i <= top; i++)
        stk[i] = p->yystack[i].stateno;
    YYACTIONTYPE act = stk[top];
    for (int guard = 0; guard < 100000; guard++) {
        act = yy_find_shift_action((YYCODETYPE)tok, act);
        if (act >= YY_MIN_REDUCE) {
            unsigned rule = act - YY_MIN_REDUCE;
            int base = top + yyRuleInfoNRhs[rule];
            if (base < 0)
                return 0;
            act = yy_find_reduce_action(stk[base], (YYCODETYPE)yyRuleInfoLhs[rule]);
            top = base + 1;
            if (top >= YYSTACKDEPTH + 8)
                return 1;
            stk[top] = act;
        } else if (act <= YY_MAX_SHIFTREDUCE) {
            return 1;
        } else if (act == YY_ACCEPT_ACTION) {
            return 1;
        } else {
            return 0;
        }
    }
    return 0;
}

int ed_parser_ntokens(void) { return YYNTOKEN; }

/* The identifier a keyword falls back to, or 0 for reserved words. */
int ed_parser_fallback(int tok)
{
#ifdef YYFALLBACK
    if (tok > 0 && (size_t)tok < sizeof yyFallback / sizeof yyFallback[0])
        return yyFallback[tok];
#endif
    return 0;
}
}
