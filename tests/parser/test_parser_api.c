/* test_parser_api.c — parser facts the golden dumps do not show: node and
 * statement positions, statement text spans, option kinds, error rendering,
 * suggestions, and that a failed parse leaves the arena reusable. */
#include "parser/parser.h"
#include <stdio.h>
#include <string.h>

#include "../check.h"

static int pos_is(ed_pos p, int line, int col) { return p.line == line && p.col == col; }

int main(void)
{
    ed_arena arena;
    ed_arena_init(&arena, 512);
    ed_stmt_list l;
    ed_error err;

    const char *src = "  SHOW STREAMS ;\n"
                      "CREATE QUERY q AS INSERT INTO s\n"
                      "  SELECT a + 1 AS b FROM t WHERE x > 2\n"
                      "  WINDOW TUMBLING (SIZE 5 SECONDS) ;  -- done\n"
                      "CREATE STREAM t (x BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts) WITH (port = 9000, follow = true)";
    CHECK(ed_parse(src, strlen(src), &arena, &l, &err) == 0);
    CHECK(l.n == 3);
    if (l.n == 3) {
        ed_stmt *s0 = l.stmts[0], *s1 = l.stmts[1], *s2 = l.stmts[2];
        CHECK(s0->kind == ST_SHOW && s0->object == OBJ_STREAM && pos_is(s0->pos, 1, 3));
        CHECK(s0->text_offset == 2 && s0->text_len == 12);
        CHECK(s1->kind == ST_CREATE_QUERY && pos_is(s1->pos, 2, 1) && pos_is(s1->name_pos, 2, 14));
        CHECK(strcmp(s1->sink, "s") == 0 && pos_is(s1->sink_pos, 2, 31));
        const char *want1 = "CREATE QUERY q AS INSERT INTO s\n  SELECT a + 1 AS b FROM t WHERE x > 2\n"
                            "  WINDOW TUMBLING (SIZE 5 SECONDS)";
        CHECK(s1->text_len == (int)strlen(want1) && memcmp(src + s1->text_offset, want1, strlen(want1)) == 0);
        ed_select *sel = s1->select;
        CHECK(sel && pos_is(sel->pos, 3, 3) && sel->nitems == 1);
        if (sel && sel->nitems == 1) {
            CHECK(strcmp(sel->items[0].alias, "b") == 0);
            CHECK(pos_is(sel->items[0].pos, 3, 10));
            ed_ast *e = sel->items[0].expr;
            CHECK(e->kind == AST_BINARY && e->op == AST_OP_ADD && pos_is(e->pos, 3, 10));
            CHECK(e->nargs == 2 && pos_is(e->args[1]->pos, 3, 14) && e->args[1]->kind == AST_INT);
        }
        CHECK(sel && pos_is(sel->from_pos, 3, 26) && sel->where && pos_is(sel->where->pos, 3, 34));
        CHECK(sel && sel->window == WIN_TUMBLING && sel->size_ms == 5000 && sel->advance_ms == 5000);
        CHECK(sel && pos_is(sel->window_pos, 4, 3) && pos_is(sel->size_pos, 4, 25));
        CHECK(s2->kind == ST_CREATE_STREAM && s2->ncols == 2 && strcmp(s2->wm_col, "ts") == 0);
        CHECK(pos_is(s2->cols[1].pos, 5, 28) && s2->cols[1].type == ED_TIMESTAMP);
        CHECK(s2->nopts == 2 && s2->opts[0].value_kind == OPT_NUMBER && strcmp(s2->opts[0].value, "9000") == 0);
        CHECK(s2->opts[1].value_kind == OPT_BOOL && strcmp(s2->opts[1].value, "true") == 0);
        CHECK(pos_is(s2->opts[0].pos, 5, 72) && pos_is(s2->opts[0].value_pos, 5, 79));
        CHECK(s2->text_offset + s2->text_len == (int)strlen(src));
    }

    /* an error: position, message, rendering with a caret; the arena is reusable */
    const char *bad = "SELECT price\n  FROM bids WHERE prce >> 10";
    CHECK(ed_parse(bad, strlen(bad), &arena, &l, &err) == -1);
    CHECK(err.line == 2 && err.col == 25 && err.offset == 37); /* the second > */
    CHECK(strstr(err.msg, "syntax error at '>'") != NULL);
    ed_arena_reset(&arena);
    CHECK(ed_parse("SELECT 1 FROM t", 15, &arena, &l, NULL) == 0 && l.n == 1);

    /* ed_error_set + render, as later passes use them */
    ed_pos p = {2, 9, 21};
    ed_error_set(&err, p, "unknown column '%s' (did you mean '%s'?)", "prce", "price");
    ed_sb sb = ED_SB_INIT;
    ed_error_render(bad, strlen(bad), &err, &sb);
    CHECK(strcmp(sb.buf, "error at line 2, column 9: unknown column 'prce' (did you mean 'price'?)\n"
                         "    FROM bids WHERE prce >> 10\n"
                         "          ^\n") == 0 ||
          (fprintf(stderr, "%s", sb.buf), 0));
    ed_sb_clear(&sb);
    ed_pos none = {0, 0, -1};
    ed_error_set(&err, none, "no position");
    ed_error_render(bad, strlen(bad), &err, &sb);
    CHECK(strcmp(sb.buf, "error: no position\n") == 0);
    ed_sb_free(&sb);

    /* suggestions */
    const char *cols[] = {"price", "auction", "bidder", "ts"};
    CHECK(strcmp(ed_suggest("prce", cols, 4), "price") == 0);
    CHECK(strcmp(ed_suggest("Price", cols, 4), "price") == 0);
    CHECK(strcmp(ed_suggest("auctoin", cols, 4), "auction") == 0); /* transposition */
    CHECK(ed_suggest("zzzz", cols, 4) == NULL);
    CHECK(ed_suggest("t", cols, 4) != NULL); /* short names allow one edit */
    CHECK(ed_suggest("x", cols, 0) == NULL);

    /* deep nesting fails cleanly instead of overflowing */
    {
        static char deep[20000];
        int n = 0;
        n += sprintf(deep, "SELECT ");
        for (int i = 0; i < 5000; i++)
            deep[n++] = '(';
        deep[n++] = '1';
        for (int i = 0; i < 5000; i++)
            deep[n++] = ')';
        n += sprintf(deep + n, " FROM t");
        CHECK(ed_parse(deep, (size_t)n, &arena, &l, &err) == -1);
        CHECK(strstr(err.msg, "nested") != NULL);
    }
    /* ADVANCE equal to SIZE is fine; TUMBLING copies SIZE into ADVANCE */
    const char *hop = "SELECT 1 FROM t WINDOW HOPPING (SIZE 4 SECONDS, ADVANCE BY 4000 MILLISECONDS)";
    CHECK(ed_parse(hop, strlen(hop), &arena, &l, &err) == 0 && l.stmts[0]->select->window == WIN_HOPPING &&
          l.stmts[0]->select->advance_ms == 4000);

    ed_arena_free(&arena);
    printf("%s\n", failures ? "parser api tests FAILED" : "parser api tests passed");
    return failures != 0;
}
