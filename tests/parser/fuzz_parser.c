/* fuzz_parser.c — libFuzzer target for the lexer and parser: any bytes
 * must parse or fail cleanly, and a successful parse must dump. */
#include "parser/parser.h"
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ed_arena arena;
    ed_arena_init(&arena, 4096);
    ed_stmt_list list;
    ed_error err;
    ed_sb sb = ED_SB_INIT;
    if (ed_parse((const char *)data, size, &arena, &list, &err) == 0) {
        for (int i = 0; i < list.n; i++) {
            ed_ast_dump_stmt(list.stmts[i], &sb);
            /* the statement text must lie inside the input */
            if (list.stmts[i]->text_offset < 0 || (size_t)(list.stmts[i]->text_offset + list.stmts[i]->text_len) > size)
                __builtin_trap();
        }
    } else {
        if (err.msg[0] == '\0')
            __builtin_trap();
        ed_error_render((const char *)data, size, &err, &sb);
    }
    ed_sb_free(&sb);
    ed_arena_free(&arena);
    return 0;
}
