/* registry.c — the function registry: built-ins and UDFs live in the same
 * two tables, looked up by name at compile time only. Entries are copied, so
 * a caller's struct may be temporary (its strings and functions may not). */
#include "fn_util.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static ed_scalar_fn **scalars; /* each entry allocated once: pointers stay valid */
static int nscalars, capscalars;
static ed_agg_fn **aggs;
static int naggs, capaggs;
static bool builtins_done;

static bool name_ok(const char *name)
{
    return name && *name;
}

int ed_registry_add_scalar(const ed_scalar_fn *fn)
{
    if (!fn || !name_ok(fn->name) || !fn->check || !fn->call || fn->min_args < 0 ||
        (fn->max_args >= 0 && fn->max_args < fn->min_args) || (fn->release && !fn->prepare))
        return -1;
    if (ed_registry_scalar(fn->name) || ed_registry_agg(fn->name)) return -1;
    if (nscalars == capscalars) {
        capscalars = capscalars ? capscalars * 2 : 32;
        scalars = ed_xrealloc(scalars, sizeof(*scalars) * (size_t)capscalars);
    }
    scalars[nscalars] = ed_xmalloc(sizeof **scalars);
    *scalars[nscalars++] = *fn;
    return 0;
}

int ed_registry_add_agg(const ed_agg_fn *fn)
{
    /* The engine calls all four unconditionally (combine for panes). */
    if (!fn || !name_ok(fn->name) || !fn->check || !fn->init || !fn->step || !fn->combine || !fn->final ||
        fn->state_size == 0 || fn->min_args < 0 || (fn->max_args >= 0 && fn->max_args < fn->min_args))
        return -1;
    /* Checkpoints: both or neither; a state with heap memory (destroy) cannot
     * be copied verbatim. */
    if (!fn->serialize != !fn->deserialize || (fn->destroy && !fn->serialize)) return -1;
    if (ed_registry_scalar(fn->name) || ed_registry_agg(fn->name)) return -1;
    if (naggs == capaggs) {
        capaggs = capaggs ? capaggs * 2 : 16;
        aggs = ed_xrealloc(aggs, sizeof(*aggs) * (size_t)capaggs);
    }
    aggs[naggs] = ed_xmalloc(sizeof **aggs);
    *aggs[naggs++] = *fn;
    return 0;
}

const ed_scalar_fn *ed_registry_scalar(const char *name)
{
    for (int i = 0; i < nscalars; i++)
        if (!strcasecmp(scalars[i]->name, name)) return scalars[i];
    return NULL;
}

const ed_agg_fn *ed_registry_agg(const char *name)
{
    for (int i = 0; i < naggs; i++)
        if (!strcasecmp(aggs[i]->name, name)) return aggs[i];
    return NULL;
}

const ed_scalar_fn *ed_registry_scalar_at(int i)
{
    return i >= 0 && i < nscalars ? scalars[i] : NULL;
}

const ed_agg_fn *ed_registry_agg_at(int i)
{
    return i >= 0 && i < naggs ? aggs[i] : NULL;
}

void ed_registry_builtins(void)
{
    if (builtins_done) return;
    builtins_done = true;
    for (int i = 0; i < ed_builtin_null_n; i++) ed_registry_add_scalar(&ed_builtin_null[i]);
    for (int i = 0; i < ed_builtin_math_n; i++) ed_registry_add_scalar(&ed_builtin_math[i]);
    for (int i = 0; i < ed_builtin_string_n; i++) ed_registry_add_scalar(&ed_builtin_string[i]);
    for (int i = 0; i < ed_builtin_time_n; i++) ed_registry_add_scalar(&ed_builtin_time[i]);
    for (int i = 0; i < ed_builtin_regex_n; i++) ed_registry_add_scalar(&ed_builtin_regex[i]);
    for (int i = 0; i < ed_builtin_aggs_n; i++) ed_registry_add_agg(&ed_builtin_aggs[i]);
    ed_registry_add_agg(&ed_builtin_count_distinct);
}
