/* expr_explain.c — EXPLAIN text of a compiled expression: the template
 * recorded at compile time with slot reads replaced by their names. */
#include "expr_impl.h"
#include <stdlib.h>
#include <string.h>

void ed_expr_explain(const ed_expr *e, const char *const *names, ed_sb *out)
{
    const char *p = e->text;
    while (*p) {
        const char *open = strchr(p, ED_EXPLAIN_SLOT_OPEN);
        if (!open) {
            ed_sb_puts(out, p);
            return;
        }
        ed_sb_append(out, p, (size_t)(open - p));
        char *end;
        long slot = strtol(open + 1, &end, 10);
        if (names && names[slot]) ed_sb_puts(out, names[slot]);
        else ed_sb_printf(out, "$%ld", slot);
        p = *end == ED_EXPLAIN_SLOT_CLOSE ? end + 1 : end;
    }
}
