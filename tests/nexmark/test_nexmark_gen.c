/* test_nexmark_gen.c — the Nexmark generator: determinism, the 1:3:46 event
 * mix, id/category/price ranges, hot keys, column subsets, event time, and
 * the JSON-lines writer (parsed back with jansson). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "connectors/nexmark.h"

#include "../check.h"

/* Generators stay alive until the end: VARCHAR values may point into their
 * tables (nexmark.h). */
static ed_nexmark_gen *live[64];
static int nlive;

/* all rows of a table among the first `events` events, in one batch */
static int gen_all(ed_nx_table t, const ed_schema *s, uint64_t seed, int64_t rate, int64_t events, int chunk,
                   ed_batch *out)
{
    ed_nexmark_gen *g = ed_nexmark_gen_new(seed, rate, events);
    ed_batch_init(out, s->ncols);
    int total = 0, n;
    while ((n = ed_nexmark_gen_fill(g, t, s, out, chunk)) > 0) total += n;
    CHECK(ed_nexmark_gen_fill(g, t, s, out, chunk) == 0);
    if (nlive < 64) live[nlive++] = g;
    else ed_nexmark_gen_free(g);
    return total;
}

static int values_equal(const ed_value *a, const ed_value *b)
{
    if (a->type != b->type) return 0;
    if (a->type == ED_VARCHAR) return a->len == b->len && memcmp(a->u.s, b->u.s, a->len) == 0;
    if (a->type == ED_DOUBLE) return a->u.d == b->u.d;
    return a->type == ED_NULL || a->u.i == b->u.i;
}

static int batches_equal(const ed_batch *a, const ed_batch *b)
{
    if (a->nrows != b->nrows || a->ncols != b->ncols) return 0;
    for (size_t i = 0; i < (size_t)a->nrows * (size_t)a->ncols; i++)
        if (!values_equal(&a->vals[i], &b->vals[i])) return 0;
    return 1;
}

static const ed_value *cell(const ed_batch *b, int r, int c)
{
    return &b->vals[(size_t)r * (size_t)b->ncols + (size_t)c];
}

static void test_determinism(void)
{
    for (int t = 0; t < 3; t++) {
        const ed_schema *s = ed_nx_schema((ed_nx_table)t);
        ed_batch a, b, c;
        int na = gen_all((ed_nx_table)t, s, 7, 0, 3000, 1024, &a);
        int nb = gen_all((ed_nx_table)t, s, 7, 0, 3000, 7, &b);   /* other batch sizes */
        int nc = gen_all((ed_nx_table)t, s, 8, 0, 3000, 1024, &c); /* other seed */
        CHECK(na > 0 && na == nb && na == nc);
        CHECK(batches_equal(&a, &b));
        CHECK(!batches_equal(&a, &c));
        ed_batch_free(&a);
        ed_batch_free(&b);
        ed_batch_free(&c);
    }
}

static void test_proportions(void)
{
    ed_batch b;
    int np = gen_all(ED_NX_PERSON, ed_nx_schema(ED_NX_PERSON), 1, 0, 5000, 100, &b);
    ed_batch_free(&b);
    int na = gen_all(ED_NX_AUCTION, ed_nx_schema(ED_NX_AUCTION), 1, 0, 5000, 100, &b);
    ed_batch_free(&b);
    int nb = gen_all(ED_NX_BID, ed_nx_schema(ED_NX_BID), 1, 0, 5000, 100, &b);
    ed_batch_free(&b);
    CHECK(np == 100);
    CHECK(na == 300);
    CHECK(nb == 4600);
    int cnt[3] = {0, 0, 0};
    for (int64_t n = 0; n < 5000; n++) cnt[ed_nx_event_table(n)]++;
    CHECK(cnt[ED_NX_PERSON] == 100 && cnt[ED_NX_AUCTION] == 300 && cnt[ED_NX_BID] == 4600);
    /* a generator that stops mid-sequence: events 0..59 hold 2 persons */
    np = gen_all(ED_NX_PERSON, ed_nx_schema(ED_NX_PERSON), 1, 0, 60, 1, &b);
    ed_batch_free(&b);
    CHECK(np == 2);
}

static void test_ranges(void)
{
    const int64_t events = 50000;
    ed_batch p, a, b;
    int np = gen_all(ED_NX_PERSON, ed_nx_schema(ED_NX_PERSON), 3, 0, events, 1024, &p);
    int na = gen_all(ED_NX_AUCTION, ed_nx_schema(ED_NX_AUCTION), 3, 0, events, 1024, &a);
    int nb = gen_all(ED_NX_BID, ed_nx_schema(ED_NX_BID), 3, 0, events, 1024, &b);
    /* persons: ids 1000, 1001, ... in order */
    for (int r = 0; r < np; r++) {
        CHECK(cell(&p, r, 0)->type == ED_BIGINT && cell(&p, r, 0)->u.i == 1000 + r);
        CHECK(cell(&p, r, 4)->type == ED_VARCHAR && cell(&p, r, 5)->len == 2);   /* city, state */
        CHECK(cell(&p, r, 3)->len == 19);                                        /* credit card */
    }
    /* auctions: ids 1000.. consecutive, categories 10..14, sellers exist */
    int cats[5] = {0};
    for (int r = 0; r < na; r++) {
        CHECK(cell(&a, r, 0)->u.i == 1000 + r);
        int64_t cat = cell(&a, r, 8)->u.i;
        CHECK(cat >= 10 && cat <= 14);
        if (cat >= 10 && cat <= 14) cats[cat - 10]++;
        int64_t seller = cell(&a, r, 7)->u.i;
        CHECK(seller >= 1000 && seller < 1000 + np + 10);
        CHECK(cell(&a, r, 6)->u.i > cell(&a, r, 5)->u.i);            /* expires > date_time */
        CHECK(cell(&a, r, 4)->u.i >= cell(&a, r, 3)->u.i);           /* reserve >= initial */
        CHECK(cell(&a, r, 5)->type == ED_TIMESTAMP);
    }
    for (int k = 0; k < 5; k++) CHECK(cats[k] > na / 10);
    /* bids: keys in range, half to a hot auction, prices log-uniform */
    int64_t prev_ts = 0, hot = 0, hotchan = 0, small = 0, xmin = 1 << 30, xmax = 0;
    double xsum = 0;
    for (int r = 0; r < nb; r++) {
        int64_t auc = cell(&b, r, 0)->u.i, bidder = cell(&b, r, 1)->u.i, price = cell(&b, r, 2)->u.i;
        CHECK(auc >= 1000 && auc < 1000 + na + 10);
        CHECK(bidder >= 1000 && bidder < 1000 + np + 10);
        CHECK(price >= 100 && price <= 100000000);
        if (price < 10000) small++;
        if (auc % 100 == 0) hot++;
        int64_t ts = cell(&b, r, 5)->u.i;
        CHECK(ts >= prev_ts && ts >= ED_NX_BASE_MS);
        prev_ts = ts;
        const ed_value *ch = cell(&b, r, 3), *url = cell(&b, r, 4), *x = cell(&b, r, 6);
        CHECK(ch->type == ED_VARCHAR && url->type == ED_VARCHAR && x->type == ED_VARCHAR);
        CHECK(url->len > 24 && memcmp(url->u.s, "https://www.nexmark.com/", 24) == 0);
        if (ch->len < 8 || memcmp(ch->u.s, "channel-", 8) != 0) hotchan++;
        if (x->len < xmin) xmin = x->len;
        if (x->len > xmax) xmax = x->len;
        xsum += x->len;
    }
    /* hot auction: ~1/2 of bids (plus 1 % by chance) */
    CHECK(hot > nb * 45 / 100 && hot < nb * 56 / 100);
    CHECK(hotchan > nb * 45 / 100 && hotchan < nb * 55 / 100);
    /* log-uniform over 6 decades: 2 of 6 decades are below 10^4 cents */
    CHECK(small > nb * 30 / 100 && small < nb * 37 / 100);
    /* extra pads a bid to ~100 bytes: 68 +- 20 % */
    CHECK(xmin >= 54 && xmax <= 82 && xsum / nb > 64 && xsum / nb < 72);
    /* event time: rate 0 means 10 M events/s, so 50 000 events span 5 ms */
    CHECK(prev_ts - ED_NX_BASE_MS == (events - 1) * 1000 / ED_NX_DEFAULT_RATE);
    ed_batch_free(&p);
    ed_batch_free(&a);
    ed_batch_free(&b);
}

static void test_rate_and_subset(void)
{
    /* rate 1000/s: event n at base + n ms; bids skip n % 50 < 4 */
    ed_column cols[] = {{"price", ED_DOUBLE}, {"ts", ED_TIMESTAMP}, {"nope", ED_BIGINT}, {"auction", ED_VARCHAR},
                        {"auction", ED_BIGINT}};
    ed_schema sub = {5, cols};
    ed_batch b, full;
    int n = gen_all(ED_NX_BID, &sub, 5, 1000, 200, 3, &b);
    int nf = gen_all(ED_NX_BID, ed_nx_schema(ED_NX_BID), 5, 1000, 200, 64, &full);
    CHECK(n == 184 && nf == 184);
    CHECK(cell(&b, 0, 1)->u.i == ED_NX_BASE_MS + 4);
    CHECK(cell(&b, 46, 1)->u.i == ED_NX_BASE_MS + 54);
    for (int r = 0; r < n && r < nf; r++) {
        CHECK(cell(&b, r, 0)->type == ED_DOUBLE && cell(&b, r, 0)->u.d == (double)cell(&full, r, 2)->u.i);
        CHECK(cell(&b, r, 1)->u.i == cell(&full, r, 5)->u.i);
        CHECK(cell(&b, r, 2)->type == ED_NULL);   /* unknown column */
        CHECK(cell(&b, r, 3)->type == ED_NULL);   /* wrong type */
        CHECK(cell(&b, r, 4)->u.i == cell(&full, r, 0)->u.i);
    }
    ed_batch_free(&b);
    ed_batch_free(&full);
    CHECK(ed_nx_table_parse("bid") == ED_NX_BID && ed_nx_table_parse("auction") == ED_NX_AUCTION &&
          ed_nx_table_parse("person") == ED_NX_PERSON && ed_nx_table_parse("x") == -1);
}

static void test_json(void)
{
    for (int t = 0; t < 3; t++) {
        FILE *f = tmpfile();
        CHECK(f != NULL);
        if (!f) return;
        int64_t lines = ed_nexmark_write_json(f, (ed_nx_table)t, 11, 5000, 0);
        CHECK(lines == (t == ED_NX_BID ? 4600 : t == ED_NX_AUCTION ? 300 : 100));
        rewind(f);
        const ed_schema *s = ed_nx_schema((ed_nx_table)t);
        ed_batch b;
        int n = gen_all((ed_nx_table)t, s, 11, 0, 5000, 1024, &b);
        CHECK(n == lines);
        char *line = NULL;
        size_t cap = 0;
        ssize_t len;
        int r = 0;
        double bytes = 0;
        while ((len = getline(&line, &cap, f)) > 0) {
            bytes += (double)len;
            json_error_t err;
            json_t *o = json_loadb(line, (size_t)len, 0, &err);
            CHECK(o && json_is_object(o));
            if (!o) break;
            CHECK((int)json_object_size(o) == s->ncols);
            for (int c = 0; c < s->ncols && r < n; c++) {
                json_t *v = json_object_get(o, s->cols[c].name);
                const ed_value *x = cell(&b, r, c);
                if (x->type == ED_BIGINT) CHECK(json_is_integer(v) && json_integer_value(v) == x->u.i);
                else if (x->type == ED_VARCHAR)
                    CHECK(json_is_string(v) && json_string_length(v) == x->len &&
                          memcmp(json_string_value(v), x->u.s, x->len) == 0);
                else if (x->type == ED_TIMESTAMP) {
                    int64_t ms = 0;
                    CHECK(json_is_string(v) &&
                          ed_ts_parse(json_string_value(v), json_string_length(v), &ms) == 0 && ms == x->u.i);
                }
            }
            json_decref(o);
            r++;
        }
        CHECK(r == lines);
        if (t == ED_NX_BID) CHECK(bytes / r > 180 && bytes / r < 280);   /* ~250-byte JSON bids */
        free(line);
        ed_batch_free(&b);
        fclose(f);
    }
}

/* FNV-1a of the JSON lines of a table: pins the generator's exact output
 * (a deliberate change of the model must update these, and say so). */
static uint64_t json_hash(ed_nx_table t, uint64_t seed, int64_t events, int64_t rate)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CHECK(f && ed_nexmark_write_json(f, t, seed, events, rate) > 0);
    fclose(f);
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)buf[i]) * UINT64_C(0x100000001b3);
    free(buf);
    return h;
}

static void test_golden_output(void)
{
    static const struct { ed_nx_table t; uint64_t seed; int64_t events, rate; uint64_t hash; } cases[] = {
        {ED_NX_BID, 42, 30000, 0, UINT64_C(0x40ba80178264de80)},
        {ED_NX_BID, 7, 30000, 1000, UINT64_C(0xe6a7becb34fc3961)},
        {ED_NX_BID, 5, 20000, 3, UINT64_C(0x94cff48c1e83d551)},
        {ED_NX_AUCTION, 42, 30000, 0, UINT64_C(0xe260b11fc6fc0a10)},
        {ED_NX_PERSON, 42, 30000, 0, UINT64_C(0xe47030d5dcafa64e)},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        uint64_t h = json_hash(cases[i].t, cases[i].seed, cases[i].events, cases[i].rate);
        if (h != cases[i].hash)
            fprintf(stderr, "golden case %zu: hash 0x%016llx, expected 0x%016llx\n", i, (unsigned long long)h,
                    (unsigned long long)cases[i].hash);
        CHECK(h == cases[i].hash);
    }
}

/* Columns typed otherwise than the natural types (price DOUBLE, date_time
 * BIGINT), reordered, with aliases and unknown columns, give the same values
 * as the natural bid schema, from any starting event (seek) and in any
 * batch size. */
static void test_bid_column_forms(void)
{
    static ed_column odd[] = {{"extra", ED_VARCHAR}, {"price", ED_DOUBLE},   {"nope", ED_BIGINT},
                              {"ts", ED_BIGINT},     {"auction", ED_BIGINT}, {"url", ED_VARCHAR},
                              {"bidder", ED_TIMESTAMP}, {"channel", ED_VARCHAR}, {"datetime", ED_TIMESTAMP}};
    ed_schema so = {9, odd};
    const ed_schema *sn = ed_nx_schema(ED_NX_BID);
    ed_batch a, b;
    int na = gen_all(ED_NX_BID, sn, 99, 3000, 20000, 1024, &a);
    int nb = gen_all(ED_NX_BID, &so, 99, 3000, 20000, 13, &b);
    CHECK(na == nb && na > 18000);
    int bad = 0;
    for (int r = 0; r < na && r < nb; r++) {
        const ed_value *x = &a.vals[(size_t)r * 7], *y = &b.vals[(size_t)r * 9];
        if (!values_equal(&x[6], &y[0]) || y[1].type != ED_DOUBLE || y[1].u.d != (double)x[2].u.i ||
            y[2].type != ED_NULL || y[3].type != ED_BIGINT || y[3].u.i != x[5].u.i || !values_equal(&x[0], &y[4]) ||
            !values_equal(&x[4], &y[5]) || y[6].type != ED_TIMESTAMP || y[6].u.i != x[1].u.i ||
            !values_equal(&x[3], &y[7]) || !values_equal(&x[5], &y[8]))
            bad++;
    }
    CHECK(bad == 0);
    /* a generator started at any event (ed_nexmark_gen_seek) continues the
     * same sequence */
    for (int64_t start = 0; start < 120; start += 7) {
        ed_nexmark_gen *g = ed_nexmark_gen_new(99, 3000, 20000);
        ed_nexmark_gen_seek(g, start);
        ed_batch c;
        ed_batch_init(&c, 7);
        int nc = ed_nexmark_gen_fill(g, ED_NX_BID, sn, &c, 50);
        /* the first bid at or after `start` is bid number k of the full run */
        int k = 0;
        for (int64_t e = 0; e < start; e++) k += ed_nx_event_table(e) == ED_NX_BID;
        CHECK(nc == 50);
        for (int r = 0; r < nc; r++)
            for (int col = 0; col < 7; col++)
                if (!values_equal(&c.vals[(size_t)r * 7 + (size_t)col], &a.vals[(size_t)(k + r) * 7 + (size_t)col])) bad++;
        CHECK(bad == 0);
        ed_batch_free(&c);
        if (nlive < 64) live[nlive++] = g;
        else ed_nexmark_gen_free(g);
    }
    ed_batch_free(&a);
    ed_batch_free(&b);
}

int main(void)
{
    test_determinism();
    test_proportions();
    test_ranges();
    test_rate_and_subset();
    test_json();
    test_golden_output();
    test_bid_column_forms();
    for (int i = 0; i < nlive; i++) ed_nexmark_gen_free(live[i]);
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("nexmark generator: ok\n");
    return 0;
}
