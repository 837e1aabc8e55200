/* fuzz_json_decode.c — libFuzzer target for the JSON event decoder: any
 * input must decode or fail cleanly, decoded values must be well-formed
 * (VARCHAR valid UTF-8 within the arena) and decoding is deterministic. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "connectors/json_decode.h"
#include "connectors/ws_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ed_column cols[] = {{"id", ED_BIGINT}, {"price", ED_DOUBLE}, {"name", ED_VARCHAR},
                               {"ok", ED_BOOL},   {"ts", ED_TIMESTAMP}};
    ed_schema s = {5, cols};
    ed_arena a;
    ed_arena_init(&a, 4096);
    ed_value r1[5], r2[5];
    memset(r1, 0, sizeof r1);
    memset(r2, 0, sizeof r2);
    char why[128], why2[128];
    int rc1 = ed_json_decode_row(&s, (const char *)data, size, r1, &a, why, sizeof why);
    int rc2 = ed_json_decode_row(&s, (const char *)data, size, r2, &a, why2, sizeof why2);
    if (rc1 != rc2) abort();
    if (rc1 == 0) {
        for (int i = 0; i < 5; i++) {
            if (r1[i].type != r2[i].type) abort();
            if (r1[i].type != ED_NULL && r1[i].type != cols[i].type) abort();
            if (r1[i].type == ED_VARCHAR && !ed_ws_utf8_valid((const uint8_t *)r1[i].u.s, r1[i].len)) abort();
        }
    } else if (!why[0] || strcmp(why, why2) != 0) {
        abort();
    }
    ed_arena_free(&a);
    return 0;
}
