/* op_project.c — per-event queries: filter and projection.
 *
 * Every row that passes WHERE is projected and emitted at once; the
 * watermark plays no part (per-event queries pass late events through). The
 * operator keeps no state.
 */
#include "internal.h"

static void project_push(ed_query *q, const ed_value *rows, int ncols, const int64_t *t, const int64_t *wm, int n)
{
    (void)t;
    (void)wm;
    const ed_plan *p = q->plan;
    const int nout = p->nout;
    ed_value out[nout > 0 ? nout : 1];
    /* bare column reads are copied, not evaluated (once per batch) */
    int slot[nout > 0 ? nout : 1];
    for (int i = 0; i < nout; i++) slot[i] = ed_expr_slot(p->out[i]);
    const ed_expr *where = p->where;
    ed_expr *const *exprs = p->out;
    ed_engine *eng = q->engine;
    for (int r = 0; r < n; r++) {
        const ed_value *row = rows + (size_t)r * (size_t)ncols;
        q->events_in++;
        if (where && !ed_expr_eval_pred(where, row, &q->fctx)) continue;
        for (int i = 0; i < nout; i++) out[i] = slot[i] >= 0 ? row[slot[i]] : ed_expr_eval(exprs[i], row, &q->fctx);
        ed_query_emit(q, out, ++eng->emit_group, ED_TS_MIN);
    }
}

static void project_wm(ed_query *q, int64_t wm) { q->watermark = wm; }

static void project_size(ed_query *q, uint64_t *keys, uint64_t *bytes)
{
    (void)q;
    *keys = 0;
    *bytes = 0;
}

static void project_free(ed_query *q) { (void)q; }

const ed_op_vt ed_op_project_vt = {"Project", project_push, project_wm, project_size, project_free, NULL, NULL, NULL, NULL};
